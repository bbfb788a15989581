/* fuzz-render.c — the JSON-to-tree rendering (src/render.c): an API object as the files of
 * its directory, then every file read back out of the blob.
 *
 * Input: the first byte picks the kind, the rest is the JSON text (from the API, so
 * anything at all).
 *
 * Invariants: a blob exactly for a JSON object; file names (API names: fs/ escapes them,
 * fuzz-escape.c checks that) non-empty UTF-8, unique, each
 * found again by render_find() at its index; every file's content as long as its size;
 * info.json is the object itself (what cJSON reads back equals the object as printed) and
 * render_json() its bytes; a scalar field under its own name is its text and a "\n";
 * a writable file is a writable field or a tag; rendering the same object again keeps the
 * version; render_field_strings() (read from the files) agrees with the JSON for every
 * field, the kind's name and id fields included.
 */
#include <string.h>

#include "fuzz/fuzz.h"
#include "src/json.h"
#include "src/render.h"

/* render.h's rule for render_field_strings, read from the JSON. */
static GPtrArray *expected_strings(const cJSON *obj, const char *field, gboolean *ret_array)
{
	GPtrArray *out = g_ptr_array_new();
	const cJSON *v = cJSON_GetObjectItem(obj, field), *it;
	const char *name;

	*ret_array = cJSON_IsArray(v);
	if (*ret_array) {
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it) && it->valuestring[0])
				g_ptr_array_add(out, it->valuestring);
	} else if ((name = json_name(obj, field))) {
		g_ptr_array_add(out, (char *)name);
	}
	return out;
}

static void check_field_strings(GBytes *blob, const cJSON *info, const char *field)
{
	gboolean want_array = FALSE, got_array = FALSE;
	g_autoptr(GPtrArray) want = NULL;
	g_autoptr(GPtrArray) got = NULL;

	if (!field)
		return;
	want = expected_strings(info, field, &want_array);
	got = render_field_strings(blob, field, &got_array);
	FUZZ_CHECK(got != NULL, "no strings for a blob");
	FUZZ_CHECK(got_array == want_array, "field \"%s\": array %d, JSON says %d", field,
		   got_array, want_array);
	FUZZ_CHECK(got->len == want->len, "field \"%s\": %u names, JSON has %u", field, got->len,
		   want->len);
	for (guint i = 0; i < got->len; i++)
		FUZZ_CHECK(strcmp(got->pdata[i], want->pdata[i]) == 0,
			   "field \"%s\" name %u: \"%s\", JSON \"%s\"", field, i,
			   (char *)got->pdata[i], (char *)want->pdata[i]);
}

static gboolean same_print(const cJSON *a, const cJSON *b)
{
	char *pa = cJSON_PrintUnformatted(a), *pb = cJSON_PrintUnformatted(b);
	gboolean same = pa && pb && strcmp(pa, pb) == 0;

	cJSON_free(pa);
	cJSON_free(pb);
	return same;
}

static gboolean tag_file(const ResKind *kind, const char *name)
{
	return kind->tags && g_str_has_prefix(name, kind->tags->dir) &&
	       name[strlen(kind->tags->dir)] == '/';
}

static void check_files(const ResKind *kind, GBytes *blob, const cJSON *obj)
{
	guint n = render_count(blob);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	int info = render_find(blob, "info.json");

	FUZZ_CHECK(n >= 1, "no files");
	for (guint i = 0; i < n; i++) {
		const char *name = render_name(blob, i);
		g_autoptr(GBytes) content = render_content(blob, i);

		FUZZ_CHECK(name && name[0], "file %u has no name", i);
		FUZZ_CHECK(g_utf8_validate(name, -1, NULL), "file %u's name is not UTF-8", i);
		FUZZ_CHECK(render_find(blob, name) == (int)i, "\"%s\" found at %d, not %u", name,
			   render_find(blob, name), i);
		FUZZ_CHECK(g_hash_table_add(seen, (char *)name), "two files \"%s\"", name);
		FUZZ_CHECK(content && g_bytes_get_size(content) == render_size(blob, i),
			   "\"%s\": %zu bytes, size %zu", name,
			   content ? g_bytes_get_size(content) : 0, render_size(blob, i));
		if (render_writable(blob, i))
			FUZZ_CHECK(res_field_for_file(kind, name) || tag_file(kind, name),
				   "\"%s\" writable, not a field or a tag", name);
	}
	FUZZ_CHECK(render_count(blob) == n && render_name(blob, n) == NULL, "past the end");
	FUZZ_CHECK(info >= 0, "no info.json");
	{
		g_autoptr(GBytes) bytes = render_content(blob, (guint)info);
		g_autoptr(GBytes) json = render_json(blob);
		gsize len = g_bytes_get_size(bytes);
		const char *text = g_bytes_get_data(bytes, NULL);
		g_autoptr(cJSON) parsed = json_parse_bytes(json);
		char *printed = cJSON_PrintUnformatted(obj);
		g_autoptr(cJSON) expect = cJSON_Parse(printed);

		cJSON_free(printed);
		FUZZ_CHECK(g_bytes_equal(bytes, json), "render_json() is not info.json");
		FUZZ_CHECK(len >= 3 && text[len - 1] == '\n', "info.json does not end in \\n");
		FUZZ_CHECK(cJSON_IsObject(parsed), "info.json is not a JSON object");
		/* Printed, not cJSON_Compare(), which pairs a duplicate key with its first. */
		FUZZ_CHECK(expect && same_print(parsed, expect), "info.json is not the object");
		check_field_strings(blob, parsed, kind->name_field);
		check_field_strings(blob, parsed, kind->id_field);
		for (const cJSON *f = parsed->child; f; f = f->next)
			check_field_strings(blob, parsed, f->string);
	}
}

/* A string field under its own name, if it is the first to claim that name: its text and a
 * "\n". */
static void check_scalars(const ResKind *kind, GBytes *blob, const cJSON *obj)
{
	for (const cJSON *f = obj->child; f; f = f->next) {
		gboolean first = TRUE;
		g_autofree char *want = NULL;
		g_autoptr(GBytes) got = NULL;
		int i;

		/* Nor the name of an earlier field's JSON file ("a", then "a.json"). */
		for (const cJSON *b = obj->child; b != f; b = b->next)
			first &= strcmp(b->string, f->string) != 0 &&
				 !(g_str_has_prefix(f->string, b->string) &&
				   strcmp(f->string + strlen(b->string), ".json") == 0);
		if (!first || !cJSON_IsString(f) || res_is_json_field(kind, f->string) ||
		    res_is_reserved_file(kind, f->string))
			continue;
		i = render_find(blob, f->string);
		if (i < 0)
			continue;
		want = g_strconcat(f->valuestring, "\n", NULL);
		got = render_content(blob, (guint)i);
		FUZZ_CHECK(g_bytes_get_size(got) == strlen(want) &&
			   memcmp(g_bytes_get_data(got, NULL), want, strlen(want)) == 0,
			   "the file of string field \"%s\" is not its text", f->string);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ResKind *kind;
	g_autofree char *text = NULL;
	g_autoptr(cJSON) obj = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) again = NULL;

	if (size == 0)
		return 0;
	kind = res_kinds[data[0] % res_kind_count()];
	text = g_strndup((const char *)data + 1, size - 1);
	obj = cJSON_ParseWithLength(text, size - 1);
	blob = render_object(kind, obj, NULL);
	FUZZ_CHECK((blob != NULL) == cJSON_IsObject(obj), "a blob for %s",
		   cJSON_IsObject(obj) ? "an object: none" : "a non-object");
	if (!blob)
		return 0;
	FUZZ_CHECK(render_is_blob(blob) && render_version_ns(blob) > 0, "not a blob");
	check_files(kind, blob, obj);
	check_scalars(kind, blob, obj);
	again = render_object(kind, obj, blob);
	FUZZ_CHECK(again && g_bytes_equal(again, blob) &&
		   render_version_ns(again) == render_version_ns(blob),
		   "the same object rendered again changed");
	return 0;
}
