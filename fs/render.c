/* render.c — JSON to file text. One value per file, named after the API's own field, so the
 * API reference explains every file; info.json keeps the whole object for jq.
 * Pure: no I/O, no API calls.
 */
#include "fs/render.h"

#include "src/json.h"
#include <string.h>


void fs_file_free(FsFile *f)
{
	if (!f)
		return;
	g_free(f->name);
	if (f->content)
		g_bytes_unref(f->content);
	g_free(f);
}

static void append_scalar(GString *out, const cJSON *v)
{
	if (cJSON_IsString(v)) {
		g_string_append(out, v->valuestring);
	} else if (cJSON_IsNull(v)) {
		/* nothing: a null field is an empty file */
	} else {
		char *s = cJSON_PrintUnformatted(v);

		g_string_append(out, s);
		cJSON_free(s);
	}
}

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

static GBytes *render_value(const cJSON *v, gboolean as_json)
{
	GString *out = g_string_new(NULL);
	const cJSON *it;

	if (as_json) {
		char *s = cJSON_Print(v);

		g_string_append(out, s);
		g_string_append_c(out, '\n');
		cJSON_free(s);
	} else if (is_scalar(v)) {
		append_scalar(out, v);
		if (!cJSON_IsNull(v))
			g_string_append_c(out, '\n');
	} else if (scalar_array(v)) {
		cJSON_ArrayForEach(it, v) {
			append_scalar(out, it);
			g_string_append_c(out, '\n');
		}
	} else {
		char *s = cJSON_Print(v);

		g_string_append(out, s);
		g_string_append_c(out, '\n');
		cJSON_free(s);
	}
	return g_string_free_to_bytes(out);
}


static void add_file(GPtrArray *files, GHashTable *names, const char *name, GBytes *content,
		     gboolean writable)
{
	FsFile *f;

	if (g_hash_table_contains(names, name)) {
		if (content)
			g_bytes_unref(content);
		return;
	}
	f = g_new0(FsFile, 1);
	f->name = g_strdup(name);
	f->content = content;
	f->writable = writable;
	g_ptr_array_add(files, f);
	g_hash_table_add(names, f->name);
}

/* Every file of an object; with names_only the contents are left NULL (a directory
 * listing needs the names, and rendering 3 KB of pretty JSON per object costs more than the
 * rest of the listing). */
static GPtrArray *render(const ResKind *kind, GBytes *json, gboolean names_only)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(json, &len);
	g_autoptr(cJSON) root = data ? cJSON_ParseWithLength(data, len) : NULL;
	g_autoptr(GHashTable) names = g_hash_table_new(g_str_hash, g_str_equal);
	GPtrArray *files;
	const cJSON *field;

	if (!cJSON_IsObject(root))
		return NULL;
	files = g_ptr_array_new_with_free_func((GDestroyNotify)fs_file_free);
	cJSON_ArrayForEach(field, root) {
		gboolean plain = (is_scalar(field) || scalar_array(field)) &&
				 !res_is_json_field(kind, field->string);
		g_autofree char *name = plain ? g_strdup(field->string)
					      : g_strconcat(field->string, ".json", NULL);

		if (!field->string[0] || res_is_reserved_file(kind, name) || !g_utf8_validate(name, -1, NULL) ||
		    strlen(name) > 255)
			continue;
		add_file(files, names, name, names_only ? NULL : render_value(field, !plain),
			 res_field_for_file(kind, name) != NULL);
	}
	for (const ResAlias *a = kind->aliases; a->file; a++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, a->field);

		if (v && (is_scalar(v) || scalar_array(v)))
			add_file(files, names, a->file, names_only ? NULL : render_value(v, FALSE),
				 res_field_for_file(kind, a->file) != NULL);
	}
	/* A writable field the object lacks still gets its (empty) file, so it can be set. */
	for (const ResField *f = kind->fields; f->field; f++)
		add_file(files, names, res_field_file(kind, f),
			 names_only ? NULL : g_bytes_new_static("", 0), TRUE);
	if (names_only) {
		add_file(files, names, "info.json", NULL, FALSE);
	} else {
		char *pretty = cJSON_Print(root);
		GString *s = g_string_new(pretty);

		cJSON_free(pretty);
		g_string_append_c(s, '\n');
		add_file(files, names, "info.json", g_string_free_to_bytes(s), FALSE);
	}
	return files;
}

GPtrArray *render_object(const ResKind *kind, GBytes *json)
{
	return render(kind, json, FALSE);
}

GPtrArray *render_names(const ResKind *kind, GBytes *json)
{
	return render(kind, json, TRUE);
}

FsFile *render_find(GPtrArray *files, const char *name)
{
	for (guint i = 0; i < files->len; i++) {
		FsFile *f = files->pdata[i];

		if (strcmp(f->name, name) == 0)
			return f;
	}
	return NULL;
}

static FsFile *new_file(const char *name, GBytes *content, gboolean writable)
{
	FsFile *f = g_new0(FsFile, 1);

	f->name = g_strdup(name);
	f->content = content;
	f->writable = writable;
	return f;
}

FsFile *render_file(const ResKind *kind, GBytes *json, const char *name)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(json, &len);
	g_autoptr(cJSON) root = data ? cJSON_ParseWithLength(data, len) : NULL;
	gboolean writable = res_field_for_file(kind, name) != NULL;
	const cJSON *v;

	if (!cJSON_IsObject(root) || !name[0])
		return NULL;
	if (strcmp(name, "info.json") == 0) {
		char *pretty = cJSON_Print(root);
		GString *s = g_string_new(pretty);

		cJSON_free(pretty);
		g_string_append_c(s, '\n');
		return new_file(name, g_string_free_to_bytes(s), FALSE);
	}
	if (res_is_reserved_file(kind, name))
		return NULL;
	/* A field shown under its own name, when it is plain. */
	v = cJSON_GetObjectItemCaseSensitive(root, name);
	if (v && (is_scalar(v) || scalar_array(v)) && !res_is_json_field(kind, name))
		return new_file(name, render_value(v, FALSE), writable);
	/* "<field>.json" for an object-typed or structured field. */
	if (g_str_has_suffix(name, ".json")) {
		g_autofree char *field = g_strndup(name, strlen(name) - 5);

		v = cJSON_GetObjectItemCaseSensitive(root, field);
		if (v && (res_is_json_field(kind, field) || !(is_scalar(v) || scalar_array(v))))
			return new_file(name, render_value(v, TRUE), FALSE);
	}
	/* An alias. */
	if (strcmp(res_field_name(kind, name), name) != 0) {
		v = cJSON_GetObjectItemCaseSensitive(root, res_field_name(kind, name));
		if (v && (is_scalar(v) || scalar_array(v)))
			return new_file(name, render_value(v, FALSE), writable);
	}
	/* A writable field the object lacks: its empty file. */
	if (writable)
		return new_file(name, g_bytes_new_static("", 0), TRUE);
	return NULL;
}
