/* floor-tree.c — the tenant of the benchmark's FUSE floors: a file of JSON lines (one desktop
 * object per line, as `jq -c '.desktops[]'` prints the pages of
 * GET /v2/{project_id}/desktops/detail), loaded and rendered once into
 *
 *   desktops/<desktop_id>/           <field> ... <field>.json  info.json  users/<user_name>
 *   desktops-by-status/<STATUS>/<desktop_id> -> ../../desktops/<desktop_id>
 *
 * rendered the way wksfs renders its plain files: a scalar is its text and a newline, an array
 * of scalars one item per line, anything else compact JSON in <field>.json; users/ holds a link
 * per name in user_list, as in wksfs. It owns the data only: how it is served (and with which
 * kernel caches) is floorfs.c's and floorfs-ll.c's business. Nothing changes after loading, so
 * there are no locks. Not part of wksfs: tests/bench/bench.sh builds it.
 */
#include "floor-tree.h"

#include <cjson/cJSON.h>
#include <string.h>

static gboolean is_scalar(const cJSON *v)
{
	return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static gboolean scalar_array(const cJSON *v)
{
	const cJSON *it;

	if (!cJSON_IsArray(v))
		return FALSE;
	cJSON_ArrayForEach(it, v)
		if (!is_scalar(it))
			return FALSE;
	return TRUE;
}

static void append_scalar(GString *out, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		g_string_append(out, v->valuestring);
	} else if (!cJSON_IsNull(v)) {
		s = cJSON_PrintUnformatted(v);
		g_string_append(out, s);
		cJSON_free(s);
	}
}

static void append_json(GString *out, const cJSON *v)
{
	char *s = cJSON_PrintUnformatted(v);

	g_string_append(out, s);
	g_string_append_c(out, '\n');
	cJSON_free(s);
}

static void add_file(FloorDesktop *d, const char *name, gsize start)
{
	FloorFile f = { g_intern_string(name), NULL, start, d->blob->len - start };

	g_array_append_val(d->files, f);
}

static gboolean safe_name(const char *s)
{
	return s[0] && strchr(s, '/') == NULL && strcmp(s, ".") != 0 && strcmp(s, "..") != 0;
}

static void add_users(FloorDesktop *d, const cJSON *list)
{
	const cJSON *it;

	if (!scalar_array(list))
		return;
	cJSON_ArrayForEach(it, list)
		if (cJSON_IsString(it) && safe_name(it->valuestring))
			g_ptr_array_add(d->users, g_strdup(it->valuestring));
}

static FloorDesktop *desktop_new(const cJSON *obj)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "desktop_id");
	const cJSON *status = cJSON_GetObjectItemCaseSensitive(obj, "status");
	const cJSON *field, *it;
	FloorDesktop *d;
	gsize start;

	if (!cJSON_IsString(id) || !safe_name(id->valuestring))
		return NULL;
	d = g_new0(FloorDesktop, 1);
	d->id = g_strdup(id->valuestring);
	d->status = g_intern_string(cJSON_IsString(status) && safe_name(status->valuestring) ?
				    status->valuestring : "");
	d->blob = g_string_new(NULL);
	d->files = g_array_new(FALSE, FALSE, sizeof(FloorFile));
	d->users = g_ptr_array_new_with_free_func(g_free);
	cJSON_ArrayForEach(field, obj) {
		g_autofree char *json_name = NULL;

		start = d->blob->len;
		if (!safe_name(field->string) || strcmp(field->string, "users") == 0)
			continue;
		if (is_scalar(field)) {
			append_scalar(d->blob, field);
			if (!cJSON_IsNull(field))
				g_string_append_c(d->blob, '\n');
			add_file(d, field->string, start);
		} else if (scalar_array(field)) {
			cJSON_ArrayForEach(it, field) {
				append_scalar(d->blob, it);
				g_string_append_c(d->blob, '\n');
			}
			add_file(d, field->string, start);
		} else {
			json_name = g_strconcat(field->string, ".json", NULL);
			append_json(d->blob, field);
			add_file(d, json_name, start);
		}
	}
	start = d->blob->len;
	append_json(d->blob, obj);
	add_file(d, "info.json", start);
	for (guint i = 0; i < d->files->len; i++) {
		FloorFile *f = &g_array_index(d->files, FloorFile, i);

		f->data = d->blob->str + f->off;
	}
	add_users(d, cJSON_GetObjectItemCaseSensitive(obj, "user_list"));
	return d;
}

static int by_name(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void index_statuses(FloorTree *t)
{
	GHashTableIter iter;
	gpointer status;

	t->by_status = g_hash_table_new(g_str_hash, g_str_equal);
	for (guint i = 0; i < t->desktops->len; i++) {
		const FloorDesktop *d = t->desktops->pdata[i];
		GArray *members;

		if (!d->status[0])
			continue;
		members = g_hash_table_lookup(t->by_status, d->status);
		if (!members) {
			members = g_array_new(FALSE, FALSE, sizeof(guint));
			g_hash_table_insert(t->by_status, (gpointer)d->status, members);
		}
		g_array_append_val(members, i);
	}
	t->statuses = g_ptr_array_new();
	g_hash_table_iter_init(&iter, t->by_status);
	while (g_hash_table_iter_next(&iter, &status, NULL))
		g_ptr_array_add(t->statuses, status);
	g_ptr_array_sort(t->statuses, by_name);
}

gboolean floor_tree_load(FloorTree *t, const char *path, GError **error)
{
	g_autofree char *text = NULL;
	char *line, *next;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	t->desktops = g_ptr_array_new();
	t->by_id = g_hash_table_new(g_str_hash, g_str_equal);
	for (line = text; line && *line; line = next) {
		cJSON *obj;
		FloorDesktop *d;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		obj = cJSON_Parse(line);
		d = cJSON_IsObject(obj) ? desktop_new(obj) : NULL;
		cJSON_Delete(obj);
		if (!d || g_hash_table_contains(t->by_id, d->id)) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s: line %u is not a new desktop object", path,
				    t->desktops->len + 1);
			return FALSE;
		}
		d->index = t->desktops->len;
		g_ptr_array_add(t->desktops, d);
		g_hash_table_insert(t->by_id, d->id, d);
	}
	index_statuses(t);
	t->loaded = time(NULL);
	return TRUE;
}

const FloorFile *floor_desktop_file(const FloorDesktop *d, const char *name)
{
	for (guint i = 0; i < d->files->len; i++) {
		const FloorFile *f = &g_array_index(d->files, FloorFile, i);

		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

char *floor_status_link(const FloorDesktop *d)
{
	return g_strconcat("../../desktops/", d->id, NULL);
}

char *floor_user_link(const char *user)
{
	return g_strconcat("../../../users/", user, NULL);
}
