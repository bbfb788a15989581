/* test-render.c — objects to files, rendered once into a blob: the sysfs rule, aliases,
 * hostile field names, the order of the files, the version time (kept while the bytes are
 * the same, new when one differs), accessors that refuse what is not a blob, and fields
 * read from the files as the JSON would give them. */
#include "src/render.h"

#include <string.h>

#include "src/json.h"

static GBytes *render(const char *kind, const char *json, GBytes *previous)
{
	g_autoptr(cJSON) obj = cJSON_Parse(json);

	return render_object(res_kind_lookup(kind), obj, previous);
}

static char *content(GBytes *blob, const char *name)
{
	int i = render_find(blob, name);
	g_autoptr(GBytes) b = i < 0 ? NULL : render_content(blob, (guint)i);

	if (!b)
		return NULL;
	g_assert_cmpuint(g_bytes_get_size(b), ==, render_size(blob, (guint)i));
	return g_strndup(g_bytes_get_data(b, NULL), g_bytes_get_size(b));
}

static gboolean writable(GBytes *blob, const char *name)
{
	int i = render_find(blob, name);

	g_assert_cmpint(i, >=, 0);
	return render_writable(blob, (guint)i);
}

static void test_scalars_and_arrays(void)
{
	g_autoptr(GBytes) blob = render(
		"desktops", "{\"desktop_id\":\"d1\",\"status\":\"ACTIVE\",\"cpu\":2,\"ratio\":0.5,"
			    "\"in_maintenance_mode\":false,\"ou\":null,\"user_list\":[\"a\",\"b\"],"
			    "\"empty\":[],\"tags\":[{\"key\":\"k\",\"value\":\"v\"}],"
			    "\"flavor\":{\"id\":\"f\"}}", NULL);
	g_autofree char *status = content(blob, "status");
	g_autofree char *cpu = content(blob, "cpu");
	g_autofree char *ratio = content(blob, "ratio");
	g_autofree char *maint = content(blob, "in_maintenance_mode");
	g_autofree char *ou = content(blob, "ou");
	g_autofree char *users = content(blob, "user_list");
	g_autofree char *empty = content(blob, "empty");
	g_autofree char *tags = content(blob, "tags.json");
	g_autofree char *flavor = content(blob, "flavor.json");
	g_autofree char *info = content(blob, "info.json");

	g_assert_true(render_is_blob(blob));
	g_assert_cmpstr(status, ==, "ACTIVE\n");
	g_assert_cmpstr(cpu, ==, "2\n");
	g_assert_cmpstr(ratio, ==, "0.5\n");
	g_assert_cmpstr(maint, ==, "false\n");
	g_assert_cmpstr(ou, ==, "");
	g_assert_cmpstr(users, ==, "a\nb\n");
	g_assert_cmpstr(empty, ==, "");
	g_assert_cmpstr(tags, ==, "[{\"key\":\"k\",\"value\":\"v\"}]\n");
	g_assert_cmpstr(flavor, ==, "{\"id\":\"f\"}\n");
	g_assert_cmpint(render_find(blob, "tags"), ==, -1);
	g_assert_cmpint(render_find(blob, "flavor"), ==, -1);
	g_assert_true(g_str_has_suffix(info, "}\n"));
	g_assert_false(writable(blob, "status"));
	g_assert_true(writable(blob, "computer_name"));	/* absent, still settable */
}

static void test_stable_json_names(void)
{
	/* Object-typed fields keep their .json name when null or empty. */
	g_autoptr(GBytes) blob = render(
		"desktops", "{\"desktop_id\":\"d1\",\"tags\":[],\"hour_package_info\":null}", NULL);
	g_autofree char *tags = content(blob, "tags.json");
	g_autofree char *hour = content(blob, "hour_package_info.json");

	g_assert_cmpstr(tags, ==, "[]\n");
	g_assert_cmpstr(hour, ==, "null\n");
	g_assert_cmpint(render_find(blob, "tags"), ==, -1);
}

static void test_user_aliases(void)
{
	g_autoptr(GBytes) blob = render(
		"users", "{\"id\":\"u1\",\"user_name\":\"alice\",\"user_email\":\"a@b.c\"}", NULL);
	g_autofree char *email = content(blob, "email");
	g_autofree char *user_email = content(blob, "user_email");
	g_autofree char *phone = content(blob, "phone");

	g_assert_cmpstr(email, ==, "a@b.c\n");
	g_assert_cmpstr(user_email, ==, "a@b.c\n");
	g_assert_true(writable(blob, "email"));
	g_assert_true(writable(blob, "user_email"));
	/* A writable field the object lacks still has its empty file. */
	g_assert_cmpstr(phone, ==, "");
	g_assert_true(writable(blob, "phone"));
	g_assert_true(writable(blob, "description"));
	g_assert_false(writable(blob, "user_name"));
}

static void test_hostile_fields(void)
{
	/* Names colliding with the fixed files are dropped (their data stays in info.json),
	 * and so are unusable ones; the first of two equal names wins. */
	g_autofree char *longname = g_strnfill(256, 'x');
	g_autofree char *json = g_strdup_printf(
		"{\"action\":\"rm\",\"info.json\":1,\"\":2,\"a/b\":3,\"ok\":4,\"users\":[\"u\"],"
		"\"bad\xff\":5,\"%s\":6,\"ok\":7}", longname);
	g_autoptr(GBytes) blob = render("desktops", json, NULL);
	g_autofree char *info = content(blob, "info.json");
	g_autofree char *ok = content(blob, "ok");

	g_assert_cmpint(render_find(blob, ""), ==, -1);
	g_assert_cmpint(render_find(blob, "action"), ==, -1);
	g_assert_cmpint(render_find(blob, "users"), ==, -1);	/* a link directory */
	g_assert_cmpint(render_find(blob, longname), ==, -1);
	g_assert_cmpint(render_find(blob, "a/b"), >=, 0);	/* fs escapes it to a%2Fb */
	g_assert_cmpstr(ok, ==, "4\n");
	g_assert_nonnull(strstr(info, "\"action\""));
	for (guint i = 0; i < render_count(blob); i++)
		g_assert_true(g_utf8_validate(render_name(blob, i), -1, NULL));
	g_assert_null(render("desktops", "[1,2]", NULL));
	g_assert_null(render_object(res_kind_lookup("desktops"), NULL, NULL));
}

/* Fields in the object's order, then the aliases, the missing writable fields, info.json. */
static void test_order(void)
{
	static const char *const want[] = { "user_name", "user_email", "id", "email", "phone",
					    "description", "info.json" };
	g_autoptr(GBytes) blob = render(
		"users", "{\"user_name\":\"alice\",\"user_email\":\"a@b.c\",\"id\":\"u1\"}", NULL);

	g_assert_cmpuint(render_count(blob), ==, G_N_ELEMENTS(want));
	for (guint i = 0; i < render_count(blob) && i < G_N_ELEMENTS(want); i++) {
		g_assert_cmpstr(render_name(blob, i), ==, want[i]);
		g_assert_cmpint(render_find(blob, want[i]), ==, (int)i);
	}
}

/* info.json is the object; the bytes handed out point into the blob. */
static void test_json_and_no_copy(void)
{
	const char *text = "{\"desktop_id\":\"d1\",\"n\":[1,2],\"o\":{\"k\":\"v\"}}";
	g_autoptr(cJSON) obj = cJSON_Parse(text);
	g_autoptr(GBytes) blob = render_object(res_kind_lookup("desktops"), obj, NULL);
	g_autoptr(GBytes) json = render_json(blob);
	g_autoptr(cJSON) back = json_parse_bytes(json);
	gsize size = 0;
	const guint8 *start = g_bytes_get_data(blob, &size);
	const guint8 *p = g_bytes_get_data(json, NULL);

	g_assert_true(cJSON_Compare(obj, back, TRUE));
	g_assert_true(p >= start && p + g_bytes_get_size(json) <= start + size);
	g_assert_false(render_is_blob(json));	/* a slice is not a blob */
}

/* info.json is the object as compact JSON; a field whose file reads the same as its JSON
 * text is not stored a second time, and one that does not (escapes, lines) keeps its own. */
static void test_compact_and_shared(void)
{
	const char *text = "{ \"desktop_id\" : \"d1\", \"status\": \"ACTIVE\", \"n\": 1e3,"
			   " \"ok\": true, \"q\": \"a\\\"b\\tc\", \"e\": \"\\u00e9t\\u00e9\","
			   " \"l\": [\"x\", 2], \"o\": { \"k\": [ 1, {} ] }, \"z\": null }";
	g_autoptr(cJSON) obj = cJSON_Parse(text);
	g_autoptr(GBytes) blob = render_object(res_kind_lookup("desktops"), obj, NULL);
	g_autofree char *compact = cJSON_PrintUnformatted(obj);
	g_autofree char *want = g_strconcat(compact, "\n", NULL);
	g_autofree char *info = content(blob, "info.json");
	g_autofree char *status = content(blob, "status");
	g_autofree char *n = content(blob, "n");
	g_autofree char *ok = content(blob, "ok");
	g_autofree char *q = content(blob, "q");
	g_autofree char *e = content(blob, "e");
	g_autofree char *l = content(blob, "l");
	g_autofree char *o = content(blob, "o.json");
	g_autofree char *z = content(blob, "z");
	gsize names = 0, size = g_bytes_get_size(blob);

	g_assert_cmpstr(info, ==, want);
	g_assert_cmpstr(status, ==, "ACTIVE\n");
	g_assert_cmpstr(n, ==, "1000\n");
	g_assert_cmpstr(ok, ==, "true\n");
	g_assert_cmpstr(q, ==, "a\"b\tc\n");
	g_assert_cmpstr(e, ==, "\xc3\xa9t\xc3\xa9\n");
	g_assert_cmpstr(l, ==, "x\n2\n");
	g_assert_cmpstr(o, ==, "{\"k\":[1,{}]}\n");
	g_assert_cmpstr(z, ==, "");
	/* What a blob costs: the JSON once, the names, an entry each, and the few bytes kept
	 * apart (q, l and the slices' offsets); a copy of every value would not fit. */
	for (guint i = 0; i < render_count(blob); i++)
		names += strlen(render_name(blob, i)) + 1;
	g_assert_cmpuint(size, <=, strlen(want) + names + render_count(blob) * (8 + 4) +
			 strlen(q) + strlen(l) + 64);
}

/* The same bytes keep the version of the blob they replace; any change makes a later one. */
static void test_version(void)
{
	const char *a = "{\"desktop_id\":\"d1\",\"status\":\"ACTIVE\",\"tags\":[]}";
	g_autoptr(GBytes) first = render("desktops", a, NULL);
	g_autoptr(GBytes) again = NULL, changed = NULL, back = NULL, reordered = NULL;
	gint64 v1 = render_version_ns(first);
	gint64 wall = g_get_real_time() * 1000;

	g_assert_cmpint(v1, >, wall - 60 * G_GINT64_CONSTANT(1000000000));
	g_assert_cmpint(v1, <=, wall + 1000);
	g_usleep(2000);
	again = render("desktops", a, first);
	g_assert_cmpint(render_version_ns(again), ==, v1);
	g_assert_true(g_bytes_get_size(again) == g_bytes_get_size(first));

	/* One byte differs: a later version, even if the clock had not moved. */
	changed = render("desktops", "{\"desktop_id\":\"d1\",\"status\":\"ACTIVF\",\"tags\":[]}",
			 again);
	g_assert_cmpint(render_version_ns(changed), >, v1);
	/* Back to the first bytes: still a change from the blob it replaces. */
	back = render("desktops", a, changed);
	g_assert_cmpint(render_version_ns(back), >, render_version_ns(changed));
	/* The same values in another order are other files in another order. */
	reordered = render("desktops", "{\"status\":\"ACTIVE\",\"desktop_id\":\"d1\",\"tags\":[]}",
			   back);
	g_assert_cmpint(render_version_ns(reordered), >, render_version_ns(back));

	/* A previous that is not a blob is no version to keep. */
	g_autoptr(GBytes) text = g_bytes_new_static(a, strlen(a));
	g_autoptr(GBytes) fresh = render("desktops", a, text);
	g_assert_cmpint(render_version_ns(fresh), >, v1);
}

static void assert_refused(GBytes *b)
{
	gboolean array = FALSE;

	g_assert_false(render_is_blob(b));
	g_assert_cmpuint(render_count(b), ==, 0);
	g_assert_null(render_name(b, 0));
	g_assert_false(render_writable(b, 0));
	g_assert_cmpuint(render_size(b, 0), ==, 0);
	g_assert_null(render_content(b, 0));
	g_assert_cmpint(render_find(b, "status"), ==, -1);
	g_assert_null(render_json(b));
	g_assert_cmpint(render_version_ns(b), ==, 0);
	g_assert_null(render_field_strings(b, "status", &array));
}

/* Whatever the cache holds besides blobs, and blobs cut short, read as nothing. */
static void test_not_a_blob(void)
{
	g_autoptr(GBytes) blob = render("desktops", "{\"status\":\"ACTIVE\"}", NULL);
	gsize size = g_bytes_get_size(blob);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) json = g_bytes_new_static("{\"status\":\"ACTIVE\"}", 19);
	g_autoptr(GBytes) names = g_bytes_new_static("d1\0d2\0", 6);
	g_autoptr(GBytes) zeros = g_bytes_new_take(g_malloc0(size), size);

	assert_refused(NULL);
	assert_refused(empty);
	assert_refused(json);
	assert_refused(names);
	assert_refused(zeros);
	for (gsize cut = 0; cut < size; cut += 7) {
		g_autoptr(GBytes) part = g_bytes_new_from_bytes(blob, 0, cut);

		assert_refused(part);
	}
	/* In range but past the end of the files. */
	g_assert_null(render_name(blob, render_count(blob)));
	g_assert_null(render_content(blob, render_count(blob)));
}

/* What json_name() and the arrays of names give on the parsed object, the reference
 * render_field_strings must equal. */
static GPtrArray *strings_of(const cJSON *obj, const char *field, gboolean *ret_array)
{
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	const cJSON *v = cJSON_GetObjectItem(obj, field);
	const cJSON *it;

	*ret_array = cJSON_IsArray(v);
	if (*ret_array) {
		cJSON_ArrayForEach(it, v)
			if (cJSON_IsString(it) && it->valuestring[0])
				g_ptr_array_add(out, g_strdup(it->valuestring));
	} else if (json_name(obj, field)) {
		g_ptr_array_add(out, g_strdup(json_name(obj, field)));
	}
	return out;
}

/* A field read from the files reads as from the JSON, for every kind of value, for aliased
 * and reserved names, and for keys that differ only in case. */
static void test_field_strings(void)
{
	g_autofree char *longval = g_strnfill(256, 'v');
	g_autofree char *hostile = g_strdup_printf(
		"{\"desktop_id\":\"d1\",\"status\":\"ACTIVE\",\"n\":3,\"b\":true,\"z\":null,"
		"\"e\":\"\",\"ml\":\"a\\nb\",\"users\":[\"x\"],\"user_list\":[\"u1\",\"\",\"u2\"],"
		"\"mixed\":[\"a\",1],\"lines\":[\"a\\nb\"],\"none\":[],\"o\":{\"k\":\"v\"},"
		"\"long\":\"%s\",\"dup\":\"first\",\"dup\":\"second\",\"tags\":\"t\"}", longval);
	static const struct {
		const char *kind, *json;
	} objects[] = {
		{ "desktops", NULL },
		{ "users", "{\"id\":\"u1\",\"user_name\":\"alice\",\"user_email\":\"a@b.c\"}" },
		{ "desktops", "{\"Status\":\"a\",\"status\":\"b\",\"desktop_id\":\"d\"}" },
		{ "desktops", "{\"status\":\"a\",\"STATUS\":\"b\"}" },
	};
	static const char *const fields[] = { "desktop_id", "status", "n", "b", "z", "e", "ml",
					      "users", "user_list", "mixed", "lines", "none", "o",
					      "long", "dup", "tags", "missing", "email", "id",
					      "user_name", "user_email", "Status", "STATUS" };

	for (gsize i = 0; i < G_N_ELEMENTS(objects); i++) {
		const char *text = objects[i].json ? objects[i].json : hostile;
		g_autoptr(cJSON) obj = cJSON_Parse(text);
		g_autoptr(GBytes) blob = render_object(res_kind_lookup(objects[i].kind), obj, NULL);

		for (gsize f = 0; f < G_N_ELEMENTS(fields); f++) {
			gboolean want_array = FALSE, got_array = FALSE;
			g_autoptr(GPtrArray) want = strings_of(obj, fields[f], &want_array);
			g_autoptr(GPtrArray) got = render_field_strings(blob, fields[f], &got_array);

			g_assert_nonnull(got);
			if (!got)
				continue;
			if (got_array != want_array || got->len != want->len)
				g_test_fail_printf("object %zu, %s: %u names (array %d), want %u "
						   "(array %d)", i, fields[f], got->len, got_array,
						   want->len, want_array);
			for (guint k = 0; k < got->len && k < want->len; k++)
				g_assert_cmpstr(got->pdata[k], ==, want->pdata[k]);
		}
	}
}

/* A kind with tags: a marker when the object carries them, a writable file per tag named
 * by its key, the first of two keys, nothing for keys that cannot be names; a field that
 * would take a tag's name is left to info.json. */
static void test_tags(void)
{
	g_autoptr(GBytes) blob = render(
		"desktops", "{\"desktop_id\":\"d1\",\"tags/env\":\"field\",\"tags\":["
			    "{\"key\":\"env\",\"value\":\"prod\"},"
			    "{\"key\":\"env\",\"value\":\"dev\"},"
			    "{\"key\":\"owner\",\"value\":\"it-ops\"},{\"key\":\"bare\"},"
			    "{\"key\":\"\",\"value\":\"x\"},{\"key\":7,\"value\":\"x\"},"
			    "{\"value\":\"x\"},{\"key\":\"a/b\",\"value\":\"slash\"}]}", NULL);
	g_autoptr(GBytes) none = render("desktops", "{\"desktop_id\":\"d1\"}", NULL);
	g_autoptr(GBytes) null = render("desktops", "{\"desktop_id\":\"d1\",\"tags\":null}", NULL);
	g_autoptr(GBytes) user = render("users", "{\"id\":\"u1\",\"user_name\":\"a\","
				       "\"tags\":[{\"key\":\"k\",\"value\":\"v\"}]}", NULL);
	g_autofree char *marker = content(blob, "tags/");
	g_autofree char *env = content(blob, "tags/env");
	g_autofree char *owner = content(blob, "tags/owner");
	g_autofree char *bare = content(blob, "tags/bare");
	g_autofree char *slash = content(blob, "tags/a/b");
	guint tag_files = 0;

	g_assert_cmpstr(marker, ==, "");
	g_assert_cmpstr(env, ==, "prod\n");
	g_assert_cmpstr(owner, ==, "it-ops\n");
	g_assert_cmpstr(bare, ==, "");
	g_assert_cmpstr(slash, ==, "slash\n");
	g_assert_true(writable(blob, "tags/env"));
	g_assert_false(writable(blob, "tags/"));
	for (guint i = 0; i < render_count(blob); i++)
		tag_files += res_tag_key(res_kind_lookup("desktops"), render_name(blob, i)) != NULL;
	g_assert_cmpuint(tag_files, ==, 5);	/* the marker, env, owner, bare, a/b */
	g_autofree char *info = content(blob, "info.json");
	g_assert_nonnull(strstr(info, "\"tags/env\":\"field\""));
	g_assert_cmpint(render_find(none, "tags/"), ==, -1);
	g_assert_cmpint(render_find(null, "tags/"), ==, -1);
	/* A kind without tags renders no tag files. */
	g_assert_cmpint(render_find(user, "tags/"), ==, -1);
	g_assert_cmpint(render_find(user, "tags/k"), ==, -1);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/render/scalars-and-arrays", test_scalars_and_arrays);
	g_test_add_func("/render/user-aliases", test_user_aliases);
	g_test_add_func("/render/stable-json-names", test_stable_json_names);
	g_test_add_func("/render/hostile-fields", test_hostile_fields);
	g_test_add_func("/render/order", test_order);
	g_test_add_func("/render/json-and-no-copy", test_json_and_no_copy);
	g_test_add_func("/render/compact-and-shared", test_compact_and_shared);
	g_test_add_func("/render/version", test_version);
	g_test_add_func("/render/not-a-blob", test_not_a_blob);
	g_test_add_func("/render/field-strings", test_field_strings);
	g_test_add_func("/render/tags", test_tags);
	return g_test_run();
}
