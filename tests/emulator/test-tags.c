/* test-tags.c — the desktop tag routes of the emulator (4.6.1 list, 4.6.2 create or
 * overwrite, 4.6.3 delete) over real HTTP: the documented bodies and answers, the tag rules
 * (WKS.0564), the 10-tag limit (WKS.0566), the idempotent delete, unknown desktops, the
 * desktop's own `tags` field (4.3.5, 4.3.8, the state view) moving with them, the `tag`
 * filter of 4.3.8 following the new tags, and the hide_field fault (a listing without the
 * field).
 */
#include "tests/emulator/emu-client.h"

#include <string.h>

static Emulator *shared;

static void assert_status(const char *method, const char *target, const char *body,
			  long status, const char *code)
{
	g_autoptr(Reply) r = http(shared, method, target, body, AUTH_SIGNED);

	if (code)
		assert_error(r, status, code);
	else
		g_assert_cmpint(r->status, ==, status);
}

/* "k=v,k2=v2": the tags as the list shows them, in order. */
static char *pairs(const cJSON *tags)
{
	GString *out = g_string_new(NULL);
	const cJSON *tag;

	g_assert_true(cJSON_IsArray(tags));
	cJSON_ArrayForEach(tag, tags)
		g_string_append_printf(out, "%s%s=%s", out->len ? "," : "", str_field(tag, "key"),
				       str_field(tag, "value"));
	return g_string_free(out, FALSE);
}

static char *listed_tags(const char *id)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);
	cJSON *body = get_json(shared, target);
	char *text = pairs(cJSON_GetObjectItemCaseSensitive(body, "tags"));

	cJSON_Delete(body);
	return text;
}

/* The desktop's own tags field, in 4.3.5 and in the state view. */
static char *field_tags(const char *id)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/%s", id);
	g_autofree char *state_path = g_strdup_printf("/__emulator/state/desktops/%s", id);
	cJSON *body = get_json(shared, target);
	g_autoptr(Reply) state = control(shared, "GET", state_path, NULL, 200);
	char *text = pairs(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(body, "desktop"), "tags"));
	g_autofree char *seen = pairs(cJSON_GetObjectItemCaseSensitive(state->json, "tags"));

	g_assert_cmpstr(seen, ==, text);
	cJSON_Delete(body);
	return text;
}

static char *first_desktop(const char *query)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/detail?limit=1%s",
						  query);
	cJSON *list = get_json(shared, target);
	const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(list, "desktops"), 0);
	char *id;

	g_assert_nonnull(d);
	id = g_strdup(str_field(d, "desktop_id"));
	cJSON_Delete(list);
	return id;
}

static void post_tag(const char *id, const char *key, const char *value, long status,
		     const char *code)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);
	g_autofree char *body = g_strdup_printf("{\"tag\":{\"key\":\"%s\",\"value\":\"%s\"}}",
						key, value);

	assert_status("POST", target, body, status, code);
}

static void test_create_overwrite_delete(void)
{
	g_autofree char *id = first_desktop("");
	g_autofree char *before = listed_tags(id);
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);
	g_autofree char *del = g_strdup_printf("%s/zone", path);
	g_autofree char *field = field_tags(id);

	g_assert_cmpstr(field, ==, before);
	post_tag(id, "zone", "blue", 204, NULL);
	g_autofree char *one = listed_tags(id);
	g_autofree char *want = g_strdup_printf("%s%szone=blue", before, before[0] ? "," : "");
	g_assert_cmpstr(one, ==, want);
	g_autofree char *one_field = field_tags(id);
	g_assert_cmpstr(one_field, ==, want);

	/* The same key again overwrites it, in its place. */
	post_tag(id, "zone", "red", 204, NULL);
	g_autofree char *two = listed_tags(id);
	g_autofree char *want2 = g_strdup_printf("%s%szone=red", before, before[0] ? "," : "");
	g_assert_cmpstr(two, ==, want2);
	/* The 4.3.8 tag filter follows. */
	g_autofree char *found = first_desktop("&tag=zone%3Dred");
	g_assert_cmpstr(found, ==, id);

	/* A value is optional: it is the empty string then. */
	assert_status("POST", path, "{\"tag\":{\"key\":\"bare\"}}", 204, NULL);
	g_autofree char *three = listed_tags(id);
	g_assert_true(g_str_has_suffix(three, ",bare="));
	g_autofree char *del_bare = g_strdup_printf("%s/bare", path);
	assert_status("DELETE", del_bare, NULL, 204, NULL);

	assert_status("DELETE", del, NULL, 204, NULL);
	g_autofree char *after = listed_tags(id);
	g_assert_cmpstr(after, ==, before);
	/* "If the tag to be deleted does not exist, the deletion is considered successful." */
	assert_status("DELETE", del, NULL, 204, NULL);
	g_autofree char *after_field = field_tags(id);
	g_assert_cmpstr(after_field, ==, before);
}

static void test_rules(void)
{
	g_autofree char *long_key = g_strnfill(129, 'k');
	const char *const bad_keys[] = {
		"", "a b", "a=b", "a*b", "a<b", "a,b", "a/b", "a.b", long_key,
	};
	static const char *const bad_values[] = {
		"a b", "x/y", "a=b", "12345678901234567890123456789012345678901234",	/* 44 */
	};
	g_autofree char *id = first_desktop("");
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);
	g_autofree char *before = listed_tags(id);

	for (gsize i = 0; i < G_N_ELEMENTS(bad_keys); i++)
		post_tag(id, bad_keys[i], "v", 400, "WKS.0564");
	for (gsize i = 0; i < G_N_ELEMENTS(bad_values); i++)
		post_tag(id, "k", bad_values[i], 400, "WKS.0564");
	/* Unicode letters count as one character each: 43 of them are a value. */
	GString *wide = g_string_new(NULL);
	for (int i = 0; i < 43; i++)
		g_string_append(wide, "\xc3\xa9");
	post_tag(id, "wide", wide->str, 204, NULL);
	g_string_append(wide, "\xc3\xa9");
	post_tag(id, "wide", wide->str, 400, "WKS.0564");
	g_string_free(wide, TRUE);
	g_autofree char *del = g_strdup_printf("%s/wide", path);
	assert_status("DELETE", del, NULL, 204, NULL);
	/* 128 characters are a key. */
	long_key[128] = '\0';
	post_tag(id, long_key, "v", 204, NULL);
	g_autofree char *del_long = g_strdup_printf("%s/%s", path, long_key);
	assert_status("DELETE", del_long, NULL, 204, NULL);

	assert_status("POST", path, "{\"tag\":{\"value\":\"v\"}}", 400, "WKS.0564");
	assert_status("POST", path, "{\"tag\":{\"key\":5}}", 400, "WKS.0564");
	assert_status("POST", path, "{\"tag\":{\"key\":\"k\",\"value\":7}}", 400, "WKS.0564");
	assert_status("POST", path, "{\"tags\":[{\"key\":\"k\"}]}", 400, "WKS.0001");
	assert_status("POST", path, "{\"tag\":\"k\"}", 400, "WKS.0001");
	assert_status("POST", path, "{\"tag\":{\"key\":\"k\",\"color\":\"red\"}}", 400,
		      "WKS.0001");
	assert_status("POST", path, NULL, 400, "WKS.0001");
	g_autofree char *after = listed_tags(id);
	g_assert_cmpstr(after, ==, before);

	/* Unknown desktops, on every route. */
	assert_status("GET", "/v2/" PROJECT "/desktops/nope/tags", NULL, 404, "WKS.00010031");
	assert_status("POST", "/v2/" PROJECT "/desktops/nope/tags",
		      "{\"tag\":{\"key\":\"k\",\"value\":\"v\"}}", 404, "WKS.00010031");
	assert_status("DELETE", "/v2/" PROJECT "/desktops/nope/tags/k", NULL, 404,
		      "WKS.00010031");
}

/* At most 10 tags; an overwrite at 10 is still fine, an 11th key is WKS.0566. */
static void test_limit(void)
{
	g_autofree char *id = first_desktop("&offset=3");
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);
	g_autofree char *before = listed_tags(id);
	g_auto(GStrv) had = g_strsplit(before, ",", -1);
	guint n = before[0] ? g_strv_length(had) : 0;

	for (guint i = n; i < 10; i++) {
		g_autofree char *key = g_strdup_printf("fill%u", i);

		post_tag(id, key, "x", 204, NULL);
	}
	post_tag(id, "eleventh", "x", 400, "WKS.0566");
	post_tag(id, "fill9", "y", 204, NULL);
	g_autofree char *full = listed_tags(id);
	g_auto(GStrv) ten = g_strsplit(full, ",", -1);
	g_assert_cmpuint(g_strv_length(ten), ==, 10);
	g_assert_null(strstr(full, "eleventh"));
	g_assert_true(g_str_has_suffix(full, "fill9=y"));
	for (guint i = n; i < 10; i++) {
		g_autofree char *del = g_strdup_printf("%s/fill%u", path, i);

		assert_status("DELETE", del, NULL, 204, NULL);
	}
	g_autofree char *after = listed_tags(id);
	g_assert_cmpstr(after, ==, before);
}

/* A key with characters a path must escape reaches the route decoded. */
static void test_escaped_key(void)
{
	g_autofree char *id = first_desktop("");
	g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/desktops/%s/tags", id);

	post_tag(id, "\xc3\xa9t\xc3\xa9", "v", 204, NULL);
	g_autofree char *with = listed_tags(id);
	g_assert_nonnull(strstr(with, "\xc3\xa9t\xc3\xa9=v"));
	g_autofree char *del = g_strdup_printf("%s/%%C3%%A9t%%C3%%A9", path);
	assert_status("DELETE", del, NULL, 204, NULL);
	g_autofree char *without = listed_tags(id);
	g_assert_null(strstr(without, "\xc3\xa9t\xc3\xa9"));
}

/* hide_field: the listing and the detail without `tags`; 4.6.1 still answers them. */
static void test_hide_field(void)
{
	g_autofree char *id = first_desktop("");
	g_autofree char *detail = g_strdup_printf("/v2/" PROJECT "/desktops/%s", id);
	g_autofree char *tags = listed_tags(id);
	g_autoptr(Reply) set = control(shared, "POST", "/__emulator/faults",
				       "{\"hide_field\":\"tags\"}", 200);

	g_assert_cmpstr(str_field(set->json, "hide_field"), ==, "tags");
	cJSON *list = get_json(shared, "/v2/" PROJECT "/desktops/detail?limit=5");
	const cJSON *d;
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(list, "desktops")) {
		g_assert_null(cJSON_GetObjectItem(d, "tags"));
		g_assert_nonnull(cJSON_GetObjectItem(d, "status"));
	}
	cJSON_Delete(list);
	cJSON *one = get_json(shared, detail);
	g_assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(one, "desktop"), "tags"));
	cJSON_Delete(one);
	g_autofree char *still = listed_tags(id);
	g_assert_cmpstr(still, ==, tags);
	g_autoptr(Reply) off = control(shared, "POST", "/__emulator/faults",
				       "{\"hide_field\":\"\"}", 200);
	g_autoptr(Reply) bad = control(shared, "POST", "/__emulator/faults",
				       "{\"hide_field\":3}", 400);
	g_autofree char *back = field_tags(id);
	g_assert_cmpstr(back, ==, tags);
}

int main(int argc, char **argv)
{
	const char *const args[] = { "--desktops", "12", "--users", "6", "--seed", "11", NULL };
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/tags/create-overwrite-delete", test_create_overwrite_delete);
	g_test_add_func("/tags/rules", test_rules);
	g_test_add_func("/tags/limit", test_limit);
	g_test_add_func("/tags/escaped-key", test_escaped_key);
	g_test_add_func("/tags/hide-field", test_hide_field);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
