/* test-input.c — what users write: field values and action commands (table-driven). */
#include "src/input.h"
#include "src/json.h"

#include <string.h>

static void test_field_text(void)
{
	static const struct {
		const char *in;
		const char *out; /* NULL = refused */
	} cases[] = {
		{ "a@b.org\n", "a@b.org" },
		{ "a@b.org", "a@b.org" },
		{ "", "" },
		{ "\n", "" },
		{ "a\nb\n", NULL },
		{ "a\n\n", NULL },
		{ "tab\there", NULL },
		{ "cr\r\n", NULL },
		{ "\xff\xfe", NULL },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *got = input_field_text(cases[i].in, strlen(cases[i].in), 64);

		g_assert_cmpstr(got, ==, cases[i].out);
	}
	g_autofree char *longv = g_strnfill(65, 'x');
	g_assert_null(input_field_text(longv, 65, 64));
	g_assert_null(input_field_text("a\0b", 3, 64));
}

static void test_field_types(void)
{
	const ResKind *users = res_kind_lookup("users");
	const ResField *email = res_field_for_file(users, "email");
	const ResField *phone = res_field_for_file(users, "phone");
	static const char *const good_email[] = { "a@b.org", "first.last+tag@example.co.uk" };
	static const char *const bad_email[] = { "", "plain", "@b.org", "a@", "a@b", "a@@b.org",
						 "a b@c.org", "a@b.org.", "a@.org" };
	static const char *const good_phone[] = { "+86 138-0000-0000", "12345" };
	static const char *const bad_phone[] = { "", "abc", "12+34", "+", "--" };

	for (gsize i = 0; i < G_N_ELEMENTS(good_email); i++) {
		cJSON *v = input_field_value(email, good_email[i]);

		g_assert_nonnull(v);
		cJSON_Delete(v);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_email); i++)
		g_assert_null(input_field_value(email, bad_email[i]));
	for (gsize i = 0; i < G_N_ELEMENTS(good_phone); i++) {
		cJSON *v = input_field_value(phone, good_phone[i]);

		g_assert_nonnull(v);
		cJSON_Delete(v);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_phone); i++)
		g_assert_null(input_field_value(phone, bad_phone[i]));
}

static void test_commands(void)
{
	const ResAction *desk = res_kind_lookup("desktops")->action;
	const ResAction *user = res_kind_lookup("users")->action;
	static const struct {
		const char *cmd;
		const char *op; /* NULL = refused */
		gboolean hard;
	} cases[] = {
		{ "stop\n", "os-stop", FALSE },    { "  reboot  hard \n", "reboot", TRUE },
		{ "start", "os-start", FALSE },	   { "hibernate\thard", "os-hibernate", TRUE },
		{ "fly", NULL, FALSE },		   { "STOP", NULL, FALSE },
		{ "stop now", NULL, FALSE },	   { "stop hard hard", NULL, FALSE },
		{ "", NULL, FALSE },		   { "\n", NULL, FALSE },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		gboolean hard = FALSE;
		g_autofree char *arg = NULL;
		const ResVerb *v = input_parse_command(desk, cases[i].cmd, strlen(cases[i].cmd),
						       &hard, &arg);

		g_assert_cmpstr(v ? v->op_value : NULL, ==, cases[i].op);
		if (v)
			g_assert_cmpint(hard, ==, cases[i].hard);
	}
	gboolean hard;
	char *arg = NULL;
	g_assert_nonnull(input_parse_command(user, "reset-password\n", 15, &hard, &arg));
	g_assert_null(input_parse_command(user, "lock hard", 9, &hard, &arg));
	g_autofree char *longc = g_strnfill(300, 'x');
	g_assert_null(input_parse_command(desk, longc, 300, &hard, &arg));

	/* A verb that takes a user: exactly one. */
	const ResAction *group = res_kind_lookup("user-groups")->action;
	const ResVerb *add = input_parse_command(group, "add alice\n", 10, &hard, &arg);
	g_assert_nonnull(add);
	g_assert_cmpstr(add->op_value, ==, "ADD");
	g_assert_cmpstr(arg, ==, "alice");
	g_clear_pointer(&arg, g_free);
	g_assert_null(input_parse_command(group, "add", 3, &hard, &arg));
	g_assert_null(input_parse_command(group, "add a b", 7, &hard, &arg));
	g_assert_null(input_parse_command(group, "remove", 6, &hard, &arg));

	/* Computer names (4.3.20). */
	const ResField *cn = res_field_for_file(res_kind_lookup("desktops"), "computer_name");
	static const char *const good_cn[] = { "a", "Fin-01", "x_y", "abcdefghijklmno" };
	static const char *const bad_cn[] = { "", "1abc", "-a", "a b", "abcdefghijklmnop", "a.b" };
	for (gsize i = 0; i < G_N_ELEMENTS(good_cn); i++) {
		cJSON *v = input_field_value(cn, good_cn[i]);

		g_assert_nonnull(v);
		cJSON_Delete(v);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cn); i++)
		g_assert_null(input_field_value(cn, bad_cn[i]));
}

/* A lone surrogate escape becomes text (an escaped backslash), in one pass that follows
 * strings and escapes; everything else is left byte for byte. */
static void test_lone_surrogates(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "{\"n\":\"\\ud800lone\"}", "{\"n\":\"\\\\ud800lone\"}" },
		{ "{\"n\":\"\\uDC00\"}", "{\"n\":\"\\\\uDC00\"}" },
		{ "{\"n\":\"\\ud83d\\ude00\"}", "{\"n\":\"\\ud83d\\ude00\"}" },
		{ "{\"n\":\"\\ud83d\\u0041\"}", "{\"n\":\"\\\\ud83d\\u0041\"}" },
		{ "{\"n\":\"\\\\ud800\"}", "{\"n\":\"\\\\ud800\"}" },
		{ "{\"n\":\"\\\"\\ud800\"}", "{\"n\":\"\\\"\\\\ud800\"}" },
		{ "{\"a\\ud800\":1,\"b\":\"\\ud800\"}",
		  "{\"a\\\\ud800\":1,\"b\":\"\\\\ud800\"}" },
		{ "{\"n\":\"\\ud800", "{\"n\":\"\\\\ud800" },
		{ "{\"n\":\"\\ud8", "{\"n\":\"\\ud8" },
		{ "{\"n\":\"plain\"}", "{\"n\":\"plain\"}" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) in = g_bytes_new_static(cases[i].in, strlen(cases[i].in));
		g_autoptr(GBytes) out = json_escape_lone_surrogates(in);
		g_autofree char *got = g_strndup(g_bytes_get_data(out, NULL),
						 g_bytes_get_size(out));

		g_assert_cmpstr(got, ==, cases[i].out);
	}
	/* What the rewrite gives parses, and the name reads literally. */
	static const char text[] = "{\"users\":[{\"user_name\":\"\\ud800lone\"}]}";
	g_autoptr(GBytes) page = g_bytes_new_static(text, strlen(text));
	g_autoptr(GBytes) fixed = json_escape_lone_surrogates(page);
	g_autoptr(cJSON) bad = json_parse_bytes(page);
	g_autoptr(cJSON) root = json_parse_bytes(fixed);
	g_assert_null(bad);
	g_assert_cmpstr(json_name(cJSON_GetArrayItem(cJSON_GetObjectItem(root, "users"), 0),
				  "user_name"), ==, "\\ud800lone");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/input/field-text", test_field_text);
	g_test_add_func("/input/field-types", test_field_types);
	g_test_add_func("/input/commands", test_commands);
	g_test_add_func("/input/lone-surrogates", test_lone_surrogates);
	return g_test_run();
}
