/* readme.c — /README: the tree, the verbs and where the mount points, generated from the
 * resource table so it can never disagree with what the filesystem does. */
#include "fs/fs-private.h"

#include <string.h>

/* Appends w to a wrapped, indented paragraph; glued to what precedes it (after a brace),
 * or after a space. */
static void word(GString *out, gsize *col, const char *w, gboolean glued)
{
	if (*col + strlen(w) + 1 > 92) {
		g_string_append(out, "\n       ");
		*col = 7;
		glued = FALSE;
	}
	g_string_append_printf(out, "%s%s", glued ? "" : " ", w);
	*col += strlen(w) + !glued;
}

/* The fields of a body, nested objects in braces: "root_volume* {type* size*}"; below two
 * levels an object is "{...}" (a policy group's policies nest five deep, 340 fields). */
static void describe_fields(GString *out, gsize *col, const ResBodyField *fields,
			    gboolean glued, int depth)
{
	for (const ResBodyField *f = fields; f->name; f++, glued = FALSE) {
		gboolean list = f->type == BODY_ARRAY && f->fields;
		g_autofree char *w = g_strdup_printf("%s%s", f->name, f->mandatory ? "*" : "");

		word(out, col, w, glued);
		if (!f->fields)
			continue;
		if (depth >= 2) {
			word(out, col, list ? "[{...}]" : "{...}", FALSE);
			continue;
		}
		word(out, col, list ? "[{" : "{", FALSE);
		describe_fields(out, col, f->fields, TRUE, depth + 1);
		word(out, col, list ? "}]" : "}", TRUE);
	}
}

/* /<kind>/.create: the body's fields, the mandatory ones marked, and what reads back. */
static void describe_create(GString *out, const ResKind *k)
{
	const ResCreate *c = k->create;
	gsize col = 4;

	g_string_append_printf(out, "/%s/.create\n    write: the JSON body of %s %s, one "
			       "object; fields (* mandatory):\n   ", k->dir, c->method, c->path);
	describe_fields(out, &col, c->body, FALSE, 0);
	g_string_append_printf(out, "\n    checked before it is sent (unknown fields, types, "
			       "mandatory ones: EINVAL);\n    read back on the same "
			       "descriptor: %s\n",
			       c->job_field ? "\"job <job_id>\" (see /jobs/<job_id>/wait)"
					    : "the new object's directory name");
}

static void describe_singleton(GString *out, const ResKind *k)
{
	g_string_append_printf(out, "/%s/\n    one object: the fields of GET", k->dir);
	for (const ResPart *p = k->parts; p->path; p++) {
		g_string_append_printf(out, "%s %s", p == k->parts ? "" : ",\n       ", p->path);
		for (const char *const *q = p->query; q && q[0] && q[1]; q += 2)
			g_string_append_printf(out, "%s%s=%s", q == p->query ? "?" : "&", q[0],
					       q[1]);
	}
	g_string_append(out, "\n    one file per field, info.json (all of it)\n");
	if (k->default_ttl_s)
		g_string_append_printf(out, "    cached %d s unless -o ttl or ttl_%s is given\n",
				       k->default_ttl_s, k->dir);
}

static void describe_kind(GString *out, const ResKind *k)
{
	if (res_is_singleton(k)) {
		describe_singleton(out, k);
		return;
	}
	g_string_append_printf(out, "/%s/<%s>/\n", k->dir, k->name_field);
	if (k->list_path)
		g_string_append_printf(out, "    listed by GET %s\n", k->list_path);
	else
		g_string_append(out, "    the jobs this mount's actions started; any job id can be "
				     "opened by path\n");
	g_string_append(out, "    one file per field of the object, info.json (all of it)\n");
	for (const ResField *f = k->fields; f && f->field; f++)
		g_string_append_printf(out, "    %-22s writable: %s %s, %s\n", res_field_file(k, f),
				       f->method, f->path,
				       f->type == FIELD_JSON ? "a JSON object, sent when whole"
				       : f->type == FIELD_TEXT ? "any text, sent at the last close"
							       : "sent when a line is written");
	for (const ResField *f = k->fields; f && f->field; f++)
		if (f->detail_only)
			g_string_append_printf(out, "    %-22s read from GET %s (not listed)\n",
					       res_field_file(k, f), k->detail_path);
	if (k->action) {
		g_string_append(out, "    action                 write:");
		for (const ResVerb *v = k->action->verbs; v->verb; v++)
			g_string_append_printf(out, " %s%s", v->verb,
					       v->arg == ARG_HARD   ? " [hard]"
					       : v->arg == ARG_USER ? " USER"
								    : "");
		g_string_append(out, "; read: the last result\n");
	}
	if (k->waitable)
		g_string_append(out, "    wait                   read: blocks until the job ends, "
				     "then its final status\n");
	for (const ResLink *l = k->links; l && l->dir; l++) {
		if (l->source == LINK_OBJECTS)
			g_string_append_printf(out, "    %s/<%s>/%*s objects of GET %s\n", l->dir,
					       l->objects->name_field,
					       (int)MAX(0, 18 - (int)strlen(l->dir) -
							   (int)strlen(l->objects->name_field)),
					       "", l->objects->list_path);
		else
			g_string_append_printf(out, "    %s/%*s symlinks to ../../../%s/<name>\n",
					       l->dir, (int)(21 - strlen(l->dir)), "", l->target);
	}
	if (k->tags)
		g_string_append_printf(out,
				       "    %s/<key>%*s one file per tag, its value the content;\n"
				       "%26s write: creates or overwrites it (POST %s)\n"
				       "%26s rm: deletes it (DELETE %s)\n"
				       "%26s a key of 1-%d, a value of at most %d letters, digits, "
				       "- or _; at most %d tags\n",
				       k->tags->dir, (int)(16 - strlen(k->tags->dir)), "", "",
				       k->tags->set_path, "", k->tags->delete_path, "",
				       k->tags->key_max, k->tags->value_max, k->tags->max_tags);
	if (k->delete)
		g_string_append_printf(out, "    rmdir <name> deletes it: %s %s (only with -o "
				       "allow_delete)\n", k->delete->method, k->delete->path);
	if (k->default_ttl_s)
		g_string_append_printf(out, "    cached %d s unless -o ttl or ttl_%s is given\n",
				       k->default_ttl_s, k->dir);
	if (k->create)
		describe_create(out, k);
}

GBytes *fs_readme(FsContext *ctx)
{
	GString *out = g_string_new(NULL);

	g_string_append_printf(out,
			       "wksfs %s: a Huawei Cloud Workspace tenant as files\n\n"
			       "endpoint:   %s\napp stream: %s\nproject:    %s\n%s\n",
			       WKSFS_VERSION, api_endpoint(ctx->api),
			       api_appstream_endpoint(ctx->api), api_project_id(ctx->api),
			       /* Not api_read_only(): an offline start's refusal ends while
				* the kernel may hold this file's size. */
			       api_mounted_ro(ctx->api) ? "mounted read-only\n" : "");
	g_string_append(out,
			"A scalar field is its text and a newline, an array of scalars one item "
			"per line,\nan object <field>.json. Names that are not safe file names are "
			"escaped:\n/ -> %2F, % -> %25, a leading . -> %2E, control characters -> "
			"%XX.\nA name listed twice in a page: the k-th is <name>%FFk.\n\n");
	for (int i = 0; res_kinds[i]; i++)
		describe_kind(out, res_kinds[i]);
	for (const ResView *v = res_views; v->dir; v++)
		g_string_append_printf(out, "/%s/<%s>%s\n    symlinks to the %s, by %s\n", v->dir,
				       v->field, v->grouped ? "/<name>" : "", v->kind, v->field);
	g_string_append(out,
			"/<kind>.jsonl\n    every collection above as JSON Lines: each object's "
			"info.json, in listing\n    order, cached as the directory is (after `ls`, "
			"it costs nothing):\n    jq -c 'select(.status==\"ERROR\")' desktops.jsonl\n"
			"/.wksfs/\n    version endpoint project_id online errors audit changes "
			"snapshot_age\n"
			"    stats/  api_calls api_errors cache_hits cache_misses coalesced ...\n"
			"    metrics the counters in Prometheus' text format (for node_exporter's "
			"textfile\n            collector: cp it to a .prom file)\n"
			"    ctl     write \"refresh [PATH]\" or \"forget [PATH]\"\n\n"
			"Errors: 400 EINVAL, 401/403 EACCES, 404 ENOENT, 409 EBUSY (EEXIST for a "
			"create),\n429 EAGAIN, timeouts ETIMEDOUT, other failures EIO; details in "
			"/.wksfs/errors.\n"
			"rmdir <kind>/<name> deletes the object where its kind says so above, "
			"and only\nwith -o allow_delete; any other rmdir is EPERM and sends "
			"nothing.\n");
	return g_string_free_to_bytes(out);
}
