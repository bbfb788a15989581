/* kinds-routes.c — the routes of the generic read-only kinds (kinds.h): lists, details,
 * sub-collections, and their state views.
 *
 * Owns: what every generic list does with a request — the kind's filters (an exact or
 * fuzzy match on the field; a boolean or number compared as the API prints it), a time
 * window (start_time / end_time, yyyy-MM-dd HH:mm:ss, else the last window_days days),
 * paging by the kind's rules (a mandatory offset and limit missing is 400 WKS.0001, the
 * rest query_page's), the total field, and the brief form of a list item (brief_drop); a
 * detail without the list-only fields, in its wrapper; a sub-collection of an unknown
 * parent is 404. What the API created in a kind (kinds.c) is listed after the generated
 * objects, found by id and shown in the state views like them; a created parent has an
 * empty sub-collection. An object the API deleted (kinds_gone) is in none of them.
 * Objects change only under the tenant lock (policy-writes.c's PUTs, creates, deletes):
 * lists and details copy them under it.
 * Must not: change an object, or hold the tenant lock longer than copying the objects
 * takes.
 */
#include "emulator/kinds.h"

#include <string.h>

#define INVALID(resp, what, why) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid%s.", what, why)

/* The kind whose route (list, or detail when detail is TRUE) path matches; req->params
 * are filled from it. */
static const EmuKind *kind_of(EmuRequest *req, gboolean detail)
{
	const EmuKind *k;

	for (guint i = 0; (k = kinds_nth(i)); i++) {
		const char *route = detail ? k->detail_route : k->list_route;

		if (route && routes_match(route, req->path, req))
			return k;
	}
	return NULL;
}

/* A field's value as the API prints it in a query: a string, true / false, a number. */
static char *value_text(const cJSON *v)
{
	if (cJSON_IsString(v))
		return g_strdup(v->valuestring);
	if (cJSON_IsBool(v))
		return g_strdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNumber(v)) {
		if (v->valuedouble == (double)(gint64)v->valuedouble)
			return g_strdup_printf("%" G_GINT64_FORMAT, (gint64)v->valuedouble);
		return g_strdup_printf("%g", v->valuedouble);
	}
	return NULL;
}

static gboolean field_matches(const cJSON *obj, const char *field, MatchMode mode,
			      const char *want)
{
	g_autofree char *have = value_text(cJSON_GetObjectItemCaseSensitive(obj, field));

	if (!have)
		return FALSE;
	return mode == MATCH_FUZZY ? query_fuzzy(have, want) : g_str_equal(have, want);
}

/* yyyy-MM-dd HH:mm:ss: such times compare as strings. */
static gboolean plain_time(const char *s)
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";

	if (strlen(s) != sizeof(shape) - 1)
		return FALSE;
	for (guint i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != shape[i])
			return FALSE;
	return TRUE;
}

typedef struct {
	const char *param[8];
	const KindFilter *filter[8];
	guint n;
	char *from, *to;	/* the time window, or NULL */
} Selection;

static void selection_clear(Selection *s)
{
	g_free(s->from);
	g_free(s->to);
}

/* The filters and window a request asks for; FALSE after a 400. */
static gboolean parse_selection(const EmuKind *k, const EmuRequest *req, EmuResponse *resp,
				Selection *s)
{
	for (const KindFilter *f = k->filters; f && f->param; f++) {
		const char *want = emu_request_arg(req, f->param);

		if (want && s->n < G_N_ELEMENTS(s->param)) {
			s->param[s->n] = want;
			s->filter[s->n++] = f;
		}
	}
	if (!k->window_field)
		return TRUE;
	s->from = g_strdup(emu_request_arg(req, "start_time"));
	s->to = g_strdup(emu_request_arg(req, "end_time"));
	if ((s->from && !plain_time(s->from)) || (s->to && !plain_time(s->to))) {
		INVALID(resp, s->from && !plain_time(s->from) ? "start_time" : "end_time",
			" (yyyy-MM-dd HH:mm:ss)");
		return FALSE;
	}
	if (!s->from && !s->to) {
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		g_autoptr(GDateTime) from = g_date_time_add_days(now, -k->window_days);

		s->from = g_date_time_format(from, "%Y-%m-%d %H:%M:%S");
		s->to = g_date_time_format(now, "%Y-%m-%d %H:%M:%S");
	}
	return TRUE;
}

static gboolean selected(const EmuKind *k, const Selection *s, const cJSON *obj)
{
	for (guint i = 0; i < s->n; i++)
		if (!field_matches(obj, s->filter[i]->field, s->filter[i]->mode, s->param[i]))
			return FALSE;
	if (k->window_field) {
		const char *at = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj,
							k->window_field));

		if (!at || (s->from && strcmp(at, s->from) < 0) || (s->to && strcmp(at, s->to) > 0))
			return FALSE;
	}
	return TRUE;
}

static cJSON *without(const cJSON *obj, const char *const *drop)
{
	cJSON *copy = cJSON_Duplicate(obj, TRUE);

	for (const char *const *d = drop; d && *d; d++)
		cJSON_DeleteItemFromObjectCaseSensitive(copy, *d);
	return copy;
}

/* The paging a request asks for under the kind's rules; FALSE after a 400. */
static gboolean parse_paging(const EmuKind *k, const EmuRequest *req, EmuResponse *resp,
			     gint64 *ret_offset, gint64 *ret_limit)
{
	if (!k->paged) {
		*ret_offset = 0;
		*ret_limit = G_MAXINT64;
		return TRUE;
	}
	if (k->paging_mandatory) {
		const char *missing = !emu_request_arg(req, "offset") ? "offset" :
				      !emu_request_arg(req, "limit") ? "limit" : NULL;

		if (missing) {
			INVALID(resp, missing, " (mandatory)");
			return FALSE;
		}
	}
	if (!query_page(req, resp, &k->page, ret_offset, ret_limit))
		return FALSE;
	if (k->limit_only)
		*ret_offset = 0;
	if (k->max_offset > 0 && *ret_offset > k->max_offset) {
		emu_reply_error(resp, 400, "WKS.0508", "The value of offset must be from 0 to %"
				G_GINT64_FORMAT ".", k->max_offset);
		return FALSE;
	}
	return TRUE;
}

/* The index of the object of kind whose id is id, or -1. */
static gint find_by_id(const GPtrArray *items, const char *id_field, const char *id)
{
	for (guint i = 0; items && i < items->len; i++) {
		const char *have = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
			items->pdata[i], id_field));

		if (have && g_str_equal(have, id))
			return (gint)i;
	}
	return -1;
}

static void not_found(EmuResponse *resp, const char *what, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is %s and resource id [%s].", what, id);
}

/* A list's candidates in order: the kind's live objects, its generated ones (borrowed),
 * those of one parent for a sub-collection (none for G_MAXINT: a created parent), then the
 * ones the API created; none the API deleted. *ret_owned holds the copies of the live and
 * created ones. With the tenant lock held. */
static GPtrArray *candidates(Emu *emu, const EmuKind *k, gint parent, GPtrArray **ret_owned)
{
	const GPtrArray *items = kinds_objects(emu->tenant, k->name);
	const GArray *parents = kinds_parents(emu->tenant, k->name);
	GPtrArray *out = g_ptr_array_new(), *owned, *created;
	guint n_live;

	owned = k->live ? k->live(emu->tenant)
			: g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
	created = kinds_created(emu->tenant, k->name, FALSE);
	n_live = owned->len;
	for (guint i = 0; i < n_live; i++)
		if (!kinds_gone(emu->tenant, k->name, owned->pdata[i]))
			g_ptr_array_add(out, owned->pdata[i]);
	for (guint i = 0; items && i < items->len; i++)
		if ((parent < 0 || g_array_index(parents, gint32, i) == parent) &&
		    !kinds_gone(emu->tenant, k->name, items->pdata[i]))
			g_ptr_array_add(out, items->pdata[i]);
	for (guint i = 0; i < created->len; i++)
		if (!kinds_gone(emu->tenant, k->name, created->pdata[i]))
			g_ptr_array_add(out, created->pdata[i]);
	g_ptr_array_extend_and_steal(owned, created);
	*ret_owned = owned;
	return out;
}

/* A copy of the object of kind k the API created whose id is id, or NULL. */
static cJSON *created_by_id(Emu *emu, const EmuKind *k, const char *id)
{
	g_autoptr(GPtrArray) created = NULL;
	gint i;

	tenant_lock(emu->tenant);
	created = kinds_created(emu->tenant, k->name, FALSE);
	tenant_unlock(emu->tenant);
	i = find_by_id(created, k->id_field, id);
	return i < 0 ? NULL : g_ptr_array_steal_index(created, (guint)i);
}

void kinds_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuKind *k = kind_of(req, FALSE);
	g_autoptr(GPtrArray) live = NULL, all = NULL;
	Selection sel = { 0 };
	gint64 offset, limit, total = 0;
	gint parent = -1;
	cJSON *body, *list;

	if (!k) {
		emu_reply_error(resp, 404, "WKS.0010", "No resources found in the system.");
		return;
	}
	if (k->parent) {
		const EmuKind *pk = kinds_lookup(k->parent);

		const GPtrArray *pitems = kinds_objects(emu->tenant, k->parent);
		cJSON *made = NULL;
		gboolean gone;

		parent = find_by_id(pitems, pk->id_field, req->params[1]);
		tenant_lock(emu->tenant);
		gone = parent >= 0 && kinds_gone(emu->tenant, k->parent, pitems->pdata[parent]);
		tenant_unlock(emu->tenant);
		if (parent < 0 && (made = created_by_id(emu, pk, req->params[1])))
			parent = G_MAXINT;	/* created: nothing under it yet */
		cJSON_Delete(made);
		if (parent < 0 || gone) {
			not_found(resp, k->parent, req->params[1]);
			return;
		}
	}
	if (!parse_paging(k, req, resp, &offset, &limit) || !parse_selection(k, req, resp, &sel))
		goto out;
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, k->array_key);
	tenant_lock(emu->tenant);
	all = candidates(emu, k, parent, &live);
	for (guint i = 0; i < all->len; i++) {
		if (!selected(k, &sel, all->pdata[i]))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, without(all->pdata[i], k->brief_drop));
		total++;
	}
	tenant_unlock(emu->tenant);
	if (k->total_field)
		cJSON_AddNumberToObject(body, k->total_field, (double)total);
	emu_reply_json(resp, 200, body);
out:
	selection_clear(&sel);
}

void kinds_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuKind *k = kind_of(req, TRUE);
	const GPtrArray *items = k ? kinds_objects(emu->tenant, k->name) : NULL;
	const char *id = req->params[1];
	gint i = items ? find_by_id(items, k->id_field, id) : -1;
	cJSON *made = i < 0 && k && id ? created_by_id(emu, k, id) : NULL;
	cJSON *obj, *body;
	gboolean gone;

	tenant_lock(emu->tenant);
	gone = i >= 0 ? kinds_gone(emu->tenant, k->name, items->pdata[i])
		      : made && kinds_gone(emu->tenant, k->name, made);
	tenant_unlock(emu->tenant);
	if ((i < 0 && !made) || gone) {
		cJSON_Delete(made);
		not_found(resp, k ? k->name : "resource", id ? id : "");
		return;
	}
	if (made) {
		obj = without(made, k->detail_drop);
		cJSON_Delete(made);
	} else {
		tenant_lock(emu->tenant);
		obj = without(items->pdata[i], k->detail_drop);
		tenant_unlock(emu->tenant);
	}
	if (k->detail_wrapper) {
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, k->detail_wrapper, obj);
	} else {
		body = obj;
	}
	emu_reply_json(resp, 200, body);
}

static gboolean names(const EmuKind *k, const cJSON *obj, const char *key)
{
	return field_matches(obj, k->id_field, MATCH_EXACT, key) ||
	       field_matches(obj, k->name_field, MATCH_EXACT, key);
}

cJSON *kinds_state(Tenant *t, const char *kind, const char *key, gboolean *ret_known)
{
	const EmuKind *k = kinds_lookup(kind);
	const GPtrArray *items = k ? kinds_objects(t, kind) : NULL;
	const GArray *parents = k ? kinds_parents(t, kind) : NULL;
	g_autoptr(GPtrArray) live = k && k->live ? k->live(t) : NULL;
	g_autoptr(GPtrArray) created = k ? kinds_created(t, kind, FALSE) : NULL;
	const GPtrArray *pitems = k && k->parent ? kinds_objects(t, k->parent) : NULL;
	cJSON *out;

	*ret_known = k != NULL;
	if (!k)
		return NULL;
	if (key) {
		for (guint i = 0; live && i < live->len; i++)
			if (names(k, live->pdata[i], key) && !kinds_gone(t, kind, live->pdata[i]))
				return cJSON_Duplicate(live->pdata[i], TRUE);
		for (guint i = 0; items && i < items->len; i++)
			if (names(k, items->pdata[i], key) && !kinds_gone(t, kind, items->pdata[i]))
				return cJSON_Duplicate(items->pdata[i], TRUE);
		for (guint i = 0; i < created->len; i++)
			if (names(k, created->pdata[i], key) &&
			    !kinds_gone(t, kind, created->pdata[i]))
				return cJSON_Duplicate(created->pdata[i], TRUE);
		return NULL;
	}
	if (k->parent) {
		const EmuKind *pk = kinds_lookup(k->parent);

		out = cJSON_CreateObject();
		for (guint i = 0; items && pitems && i < items->len; i++) {
			const cJSON *p = pitems->pdata[g_array_index(parents, gint32, i)];
			const char *pid = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(p, pk->id_field));
			cJSON *arr = cJSON_GetObjectItemCaseSensitive(out, pid);

			if (kinds_gone(t, kind, items->pdata[i]) || kinds_gone(t, k->parent, p))
				continue;
			if (!arr)
				arr = cJSON_AddArrayToObject(out, pid);
			cJSON_AddItemToArray(arr, cJSON_Duplicate(items->pdata[i], TRUE));
		}
		return out;
	}
	out = cJSON_CreateArray();
	for (guint i = 0; live && i < live->len; i++)
		if (!kinds_gone(t, kind, live->pdata[i]))
			cJSON_AddItemToArray(out, cJSON_Duplicate(live->pdata[i], TRUE));
	for (guint i = 0; items && i < items->len; i++)
		if (!kinds_gone(t, kind, items->pdata[i]))
			cJSON_AddItemToArray(out, cJSON_Duplicate(items->pdata[i], TRUE));
	for (guint i = 0; i < created->len; i++)
		if (!kinds_gone(t, kind, created->pdata[i]))
			cJSON_AddItemToArray(out, cJSON_Duplicate(created->pdata[i], TRUE));
	return out;
}
