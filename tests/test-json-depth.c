/* test-json-depth.c — json_cut_deep (src/json.c): an answer nested deeper than cJSON
 * parses (1,000) keeps its shallow values and loses only the deep ones, shown as null;
 * brackets and escapes inside strings do not count; a body within the limit is the same
 * bytes. */
#include "src/json.h"

#include <string.h>

static GBytes *text(const char *s)
{
	return g_bytes_new(s, strlen(s));
}

static char *cut_text(const char *s, guint max, guint *ret_cut)
{
	g_autoptr(GBytes) in = text(s);
	g_autoptr(GBytes) out = json_cut_deep(in, max, ret_cut);
	gsize len = 0;
	const char *p = g_bytes_get_data(out, &len);

	return g_strndup(p, len);
}

static void test_cases(void)
{
	static const struct {
		const char *in, *out;
		guint cut;
	} cases[] = {
		{ "{\"a\":1}", "{\"a\":1}", 0 },
		{ "{\"a\":{\"b\":{}}}", "{\"a\":{\"b\":null}}", 1 },
		{ "[[1],[2,[3]],4]", "[[1],[2,null],4]", 1 },
		{ "{\"s\":\"[[[{{{\",\"t\":[]}", "{\"s\":\"[[[{{{\",\"t\":[]}", 0 },
		{ "{\"s\":\"\\\"[\",\"d\":{\"e\":[\"]\\\\\"]}}",
		  "{\"s\":\"\\\"[\",\"d\":{\"e\":null}}", 1 },
		{ "{\"a\":{\"b\":[", "{\"a\":{\"b\":null", 1 },	/* never closed */
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		guint cut = 99;
		g_autofree char *out = cut_text(cases[i].in, 2, &cut);

		g_assert_cmpstr(out, ==, cases[i].out);
		g_assert_cmpuint(cut, ==, cases[i].cut);
	}
}

static void test_thousand_deep(void)
{
	GString *s = g_string_new("{\"items\":[{\"id\":\"x\",\"deep\":");
	g_autoptr(GBytes) in = NULL, out = NULL;
	g_autoptr(cJSON) before = NULL, after = NULL;
	guint cut = 0;

	for (int i = 0; i < 1000; i++)
		g_string_append(s, "{\"n\":");
	g_string_append(s, "0");
	for (int i = 0; i < 1000; i++)
		g_string_append_c(s, '}');
	g_string_append(s, "}],\"total_count\":1}");
	in = g_string_free_to_bytes(s);
	before = json_parse_bytes(in);
	g_assert_null(before);		/* cJSON's own limit */
	out = json_cut_deep(in, JSON_MAX_DEPTH, &cut);
	g_assert_cmpuint(cut, ==, 1);
	after = json_parse_bytes(out);
	g_assert_nonnull(after);
	g_assert_cmpstr(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(after,
			"items"), 0), "id")->valuestring, ==, "x");
	g_assert_cmpint(cJSON_GetObjectItem(after, "total_count")->valueint, ==, 1);
}

static void test_same_bytes(void)
{
	g_autoptr(GBytes) in = text("{\"a\":[1,2,{\"b\":3}]}");
	guint cut = 7;
	g_autoptr(GBytes) out = json_cut_deep(in, JSON_MAX_DEPTH, &cut);

	g_assert_true(out == in);
	g_assert_cmpuint(cut, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/json-depth/cases", test_cases);
	g_test_add_func("/json-depth/thousand-deep", test_thousand_deep);
	g_test_add_func("/json-depth/same-bytes", test_same_bytes);
	return g_test_run();
}
