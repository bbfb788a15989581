/* resources.c — the one list of resource kinds, the views, the lookups, and the checks a
 * table entry must pass. The kinds themselves are data in src/kinds-*.c, one file per
 * family: list and detail paths, paging, ids and names, file aliases, writable fields,
 * actions and links, and create bodies (kinds-create.c). Adding a kind is one entry there,
 * its place in res_kinds here, plus its emulator routes and tests; the FUSE operations
 * never change for it.
 * Must not: know any kind by name (the views name theirs), or do I/O.
 */
#include "src/resources.h"

#include <string.h>

#include "src/kinds.h"

const ResKind *const res_kinds[] = {
	&res_desktops, &res_users, &res_user_groups, &res_desktop_pools,
	&res_app_server_groups, &res_app_servers, &res_app_sessions, &res_session_types,
	&res_jobs,
	/* issue 10, read-only: Workspace */
	&res_workspace, &res_sites, &res_ous, &res_quotas, &res_availability_zones,
	&res_products, &res_images, &res_desktop_name_policies, &res_terminal_bindings,
	&res_bandwidths, &res_eips, &res_nat_gateways, &res_policy_groups,
	&res_access_policies, &res_scripts, &res_script_executions, &res_scheduled_tasks,
	&res_snapshots, &res_screen_records, &res_notify_rules, &res_alarms, &res_statistics,
	&res_online_users, &res_sub_jobs,
	/* the App Center and Application Streaming */
	&res_apps, &res_app_catalogs, &res_app_rules, &res_app_groups, &res_image_servers,
	&res_app_storages, &res_app_policy_groups, &res_app_scheduled_tasks,
	NULL,
};

const ResView res_views[] = {
	{ "desktops-by-name", "desktops", "computer_name", FALSE },
	{ "desktops-by-status", "desktops", "status", TRUE },
	{ NULL },
};

const ResKind *res_kind_lookup(const char *dir)
{
	for (int i = 0; dir && res_kinds[i]; i++)
		if (strcmp(res_kinds[i]->dir, dir) == 0)
			return res_kinds[i];
	return NULL;
}

int res_kind_index(const ResKind *kind)
{
	for (int i = 0; res_kinds[i]; i++)
		if (res_kinds[i] == kind)
			return i;
	return -1;
}

int res_kind_count(void)
{
	int n = 0;

	while (res_kinds[n])
		n++;
	return n;
}

const ResView *res_view_lookup(const char *dir)
{
	for (const ResView *v = res_views; dir && v->dir; v++)
		if (strcmp(v->dir, dir) == 0)
			return v;
	return NULL;
}

const ResLink *res_link_lookup(const ResKind *kind, const char *dir)
{
	for (const ResLink *l = kind->links; l && l->dir; l++)
		if (strcmp(l->dir, dir) == 0)
			return l;
	return NULL;
}

const char *res_field_name(const ResKind *kind, const char *file)
{
	for (const ResAlias *a = kind->aliases; a && a->file; a++)
		if (strcmp(a->file, file) == 0)
			return a->field;
	return file;
}

const char *res_field_file(const ResKind *kind, const ResField *field)
{
	for (const ResAlias *a = kind->aliases; a && a->file; a++)
		if (strcmp(a->field, field->field) == 0)
			return a->file;
	return field->field;
}

const ResField *res_field_for_file(const ResKind *kind, const char *file)
{
	const char *field = res_field_name(kind, file);

	for (const ResField *f = kind->fields; f && f->field; f++)
		if (strcmp(f->field, field) == 0)
			return f;
	return NULL;
}

gboolean res_is_json_field(const ResKind *kind, const char *field)
{
	for (const char *const *f = kind->json_fields; f && *f; f++)
		if (strcmp(*f, field) == 0)
			return TRUE;
	return FALSE;
}

gboolean res_is_reserved_file(const ResKind *kind, const char *file)
{
	return strcmp(file, "info.json") == 0 || (kind->action && strcmp(file, "action") == 0) ||
	       (kind->waitable && strcmp(file, "wait") == 0) ||
	       res_link_lookup(kind, file) != NULL ||
	       (kind->tags && strcmp(file, kind->tags->dir) == 0) || res_tag_key(kind, file);
}

char *res_tag_file(const ResTags *tags, const char *key)
{
	return g_strconcat(tags->dir, "/", key, NULL);
}

const char *res_tag_key(const ResKind *kind, const char *file)
{
	gsize n = kind->tags ? strlen(kind->tags->dir) : 0;

	if (!kind->tags || strncmp(file, kind->tags->dir, n) != 0 || file[n] != '/')
		return NULL;
	return file + n + 1;
}

gboolean res_is_singleton(const ResKind *kind)
{
	return kind->parts != NULL;
}

const char *res_singleton_name(const ResKind *kind)
{
	return kind->dir;
}

/* Safe as one path segment of the tree, and as the text of a cache key. */
static gboolean plain_name(const char *s)
{
	if (!s || !s[0] || s[0] == '.' || strlen(s) > 64)
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return FALSE;
	return TRUE;
}

static gboolean api_path(const char *p)
{
	return p && (g_str_has_prefix(p, "/v1/{project_id}/") ||
		     g_str_has_prefix(p, "/v2/{project_id}/"));
}

/* What a kind that is listed must say: its GET, how it pages, where the objects are. */
static char *list_problem(const ResKind *k)
{
	if (!api_path(k->list_path))
		return g_strdup_printf("%s: list_path must be /v1|v2/{project_id}/...", k->dir);
	if (!k->array_key || !k->array_key[0])
		return g_strdup_printf("%s: a list needs its array_key", k->dir);
	if (!k->name_field || !k->id_field)
		return g_strdup_printf("%s: a list needs id_field and name_field", k->dir);
	if (k->page_limit < 0 || k->page_limit > 10000)
		return g_strdup_printf("%s: page_limit %d is out of range", k->dir, k->page_limit);
	if (strchr(k->array_key, '.') && k->page_limit)
		return g_strdup_printf("%s: an array inside an object is not paged", k->dir);
	if (k->session_window && k->page_limit <= 0)
		return g_strdup_printf("%s: a session window pages", k->dir);
	return NULL;
}

static char *singleton_problem(const ResKind *k)
{
	if (!k->parts[0].path || g_strcmp0(k->parts[0].path, k->list_path) != 0)
		return g_strdup_printf("%s: a singleton's list_path is its first part's path",
				       k->dir);
	for (const ResPart *p = k->parts; p->path; p++) {
		guint n = 0;

		if (!api_path(p->path))
			return g_strdup_printf("%s: part %s is not an API path", k->dir, p->path);
		for (const char *const *q = p->query; q && *q; q++)
			n++;
		if (n % 2 || n / 2 > RES_MAX_PART_QUERY)
			return g_strdup_printf("%s: part %s: query is name, value pairs (at most "
					       "%d)", k->dir, p->path, RES_MAX_PART_QUERY);
	}
	/* Writable fields and actions may come (PUT /workspaces takes no id); links would
	 * need their targets one level up, and a singleton is never deleted. */
	if (k->page_limit || k->name_filter || k->detail_path || k->links || k->waitable ||
	    k->delete || k->session_window)
		return g_strdup_printf("%s: a singleton has no paging, name filter, detail, "
				       "links, wait or delete", k->dir);
	return NULL;
}

/* A delete names its method and path; the path takes the id, or the body does. */
static char *delete_problem(const ResKind *k)
{
	const ResDelete *d = k->delete;

	if (!d->method || !api_path(d->path))
		return g_strdup_printf("%s: a delete needs its method and path", k->dir);
	if (!d->ids_field != !!strstr(d->path, "{id}"))
		return g_strdup_printf("%s: a delete takes the id in its path ({id}) or in its "
				       "body (ids_field), not both or neither", k->dir);
	if (d->id_key && !d->ids_field)
		return g_strdup_printf("%s: a delete's id_key needs ids_field", k->dir);
	if (d->results && (!d->result_id || !d->result_code || !d->result_ok))
		return g_strdup_printf("%s: a delete's results need their id, code and the code "
				       "of success", k->dir);
	if (d->also_changes && !res_kind_lookup(d->also_changes))
		return g_strdup_printf("%s: a delete's also_changes %s is no kind", k->dir,
				       d->also_changes);
	return NULL;
}

static char *link_problem(const ResKind *k, const ResLink *l)
{
	if (!plain_name(l->dir) || g_str_equal(l->dir, "info.json"))
		return g_strdup_printf("%s: link directory \"%s\" is not a plain name", k->dir,
				       l->dir ? l->dir : "");
	if (l->source == LINK_OBJECTS) {
		char *why;

		if (!l->objects || l->target)
			return g_strdup_printf("%s/%s: LINK_OBJECTS needs objects and no target",
					       k->dir, l->dir);
		why = res_kind_problem(l->objects);
		if (why)
			return why;
		if (!strstr(l->objects->list_path, "{id}") || !k->id_field)
			return g_strdup_printf("%s/%s: the objects' list_path takes {id}, the "
					       "object's id", k->dir, l->dir);
		return NULL;
	}
	if (!l->target || !res_kind_lookup(l->target))
		return g_strdup_printf("%s/%s: no such target kind", k->dir, l->dir);
	if (l->source == LINK_SUBLIST && (!api_path(l->sub_path) || !l->sub_array ||
					  !l->sub_name || l->sub_limit <= 0))
		return g_strdup_printf("%s/%s: a sub-list needs its path, array, name field and "
				       "page size", k->dir, l->dir);
	if (l->source != LINK_SUBLIST && !l->field)
		return g_strdup_printf("%s/%s: the link needs its field", k->dir, l->dir);
	return NULL;
}

/* A create body's fields, at one level and below: named once each, typed coherently. */
static char *body_problem(const ResKind *k, const ResBodyField *fields)
{
	for (const ResBodyField *f = fields; f->name; f++) {
		char *why;

		if (!f->name[0])
			return g_strdup_printf("%s/.create: a body field without a name", k->dir);
		for (const ResBodyField *g = f + 1; g->name; g++)
			if (g_str_equal(f->name, g->name))
				return g_strdup_printf("%s/.create: body field %s twice", k->dir,
						       f->name);
		if (f->secret && f->type != BODY_STRING)
			return g_strdup_printf("%s/.create: secret %s is not a string", k->dir,
					       f->name);
		if (f->type == BODY_ARRAY && f->items == BODY_ARRAY)
			return g_strdup_printf("%s/.create: %s: arrays of arrays are not checked",
					       k->dir, f->name);
		if (f->fields && f->type != BODY_OBJECT &&
		    !(f->type == BODY_ARRAY && f->items == BODY_OBJECT))
			return g_strdup_printf("%s/.create: %s has fields but holds no object",
					       k->dir, f->name);
		if (f->fields && (why = body_problem(k, f->fields)))
			return why;
	}
	return NULL;
}

/* The field a dotted path ("policy_group.policy_group_name") names in a body, or NULL. */
static const ResBodyField *body_field_at(const ResBodyField *fields, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	const ResBodyField *f = NULL;

	for (guint i = 0; parts[i]; i++) {
		for (f = fields; f && f->name && !g_str_equal(f->name, parts[i]); f++)
			;
		if (!f || !f->name)
			return NULL;
		fields = f->fields;
	}
	return f;
}

static char *create_problem(const ResKind *k)
{
	const ResCreate *c = k->create;
	const ResBodyField *name;

	if (k->parts)
		return g_strdup_printf("%s: a singleton has no create", k->dir);
	if (!c->method || !api_path(c->path) || !c->body || !c->body[0].name)
		return g_strdup_printf("%s/.create: needs its method, path and body fields",
				       k->dir);
	if (!c->name_field && !c->id_field && !c->job_field)
		return g_strdup_printf("%s/.create: nothing names what it creates (name_field, "
				       "id_field or job_field)", k->dir);
	if (c->name_field && (!(name = body_field_at(c->body, c->name_field)) ||
			      name->type != BODY_STRING))
		return g_strdup_printf("%s/.create: name_field %s is no string field of the "
				       "body", k->dir, c->name_field);
	if (c->also_changes && !res_kind_lookup(c->also_changes))
		return g_strdup_printf("%s/.create: also_changes %s is no kind", k->dir,
				       c->also_changes);
	return body_problem(k, c->body);
}

char *res_kind_problem(const ResKind *k)
{
	char *why = NULL;

	if (!k || !plain_name(k->dir))
		return g_strdup_printf("a kind's dir \"%s\" is not a plain name",
				       k && k->dir ? k->dir : "");
	if (k->parts)
		why = singleton_problem(k);
	else if (k->list_path)
		why = list_problem(k);
	else if (!k->detail_path || !k->id_field || !k->name_field)
		why = g_strdup_printf("%s: a kind without a list is fetched by its detail path",
				      k->dir);
	if (why)
		return why;
	if (k->detail_path && !api_path(k->detail_path))
		return g_strdup_printf("%s: detail_path is not an API path", k->dir);
	if (k->ttl_s < 0 || k->default_ttl_s < 0)
		return g_strdup_printf("%s: a TTL is negative", k->dir);
	for (const ResField *f = k->fields; f && f->field; f++) {
		if (!f->method || !api_path(f->path))
			return g_strdup_printf("%s/%s: a writable field needs its method and path",
					       k->dir, f->field);
		if ((f->type == FIELD_JSON) != (f->body != NULL))
			return g_strdup_printf("%s/%s: a JSON field, and only one, has its body's "
					       "fields", k->dir, f->field);
		if (f->detail_only && !k->detail_path)
			return g_strdup_printf("%s/%s: a detail-only field needs the detail path",
					       k->dir, f->field);
	}
	if (k->action && (!k->action->method || !k->action->verbs || !k->action->verbs[0].verb))
		return g_strdup_printf("%s: an action needs its method and verbs", k->dir);
	if (k->delete && (why = delete_problem(k)))
		return why;
	for (const ResLink *l = k->links; l && l->dir; l++)
		if ((why = link_problem(k, l)))
			return why;
	if (k->create)
		return create_problem(k);
	return NULL;
}

char *res_table_problem(void)
{
	g_autoptr(GHashTable) dirs = g_hash_table_new(g_str_hash, g_str_equal);
	char *why;

	for (int i = 0; res_kinds[i]; i++) {
		if ((why = res_kind_problem(res_kinds[i])))
			return why;
		if (!g_hash_table_add(dirs, (gpointer)res_kinds[i]->dir))
			return g_strdup_printf("%s: two kinds with one directory",
					       res_kinds[i]->dir);
	}
	for (const ResView *v = res_views; v->dir; v++) {
		if (!plain_name(v->dir) || !res_kind_lookup(v->kind) || !v->field)
			return g_strdup_printf("view %s: needs a plain name, a kind and a field",
					       v->dir ? v->dir : "");
		if (!g_hash_table_add(dirs, (gpointer)v->dir))
			return g_strdup_printf("%s: a view and a kind with one directory", v->dir);
	}
	if (g_hash_table_contains(dirs, "README"))
		return g_strdup("README is the help file, not a kind");
	return NULL;
}
