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
		const ResVerb *got = NULL;
		g_autofree char *why = input_check_command(desk, cases[i].cmd,
							   strlen(cases[i].cmd), &got, &hard,
							   &arg);

		g_assert_cmpstr(got ? got->op_value : NULL, ==, cases[i].op);
		/* A refusal always says why; a success never does. */
		g_assert_true((why == NULL) == (cases[i].op != NULL));
		if (got)
			g_assert_cmpint(hard, ==, cases[i].hard);
	}
	gboolean hard;
	char *arg = NULL;
	const ResVerb *v = NULL;
	char *why = NULL;

	g_assert_null(input_check_command(user, "reset-password\n", 15, &v, &hard, &arg));
	why = input_check_command(user, "lock hard", 9, &v, &hard, &arg);
	g_assert_cmpstr(why, ==, "\"lock\" takes no argument");
	g_free(why);
	why = input_check_command(desk, "fly\n", 4, &v, &hard, &arg);
	g_assert_cmpstr(why, ==, "unknown command \"fly\" (one of: start, stop, reboot, hibernate)");
	g_free(why);
	g_autofree char *longc = g_strnfill(300, 'x');
	why = input_check_command(desk, longc, 300, &v, &hard, &arg);
	g_assert_nonnull(why);
	g_free(why);

	/* One line per command: a second line, even an empty one, is refused. */
	static const char *const multi[] = { "lock\nunlock\n", "lock\n\n", "lock\nunlock",
					     "\nlock" };
	for (gsize i = 0; i < G_N_ELEMENTS(multi); i++) {
		v = NULL;
		why = input_check_command(user, multi[i], strlen(multi[i]), &v, &hard, &arg);
		g_assert_cmpstr(why, ==, "more than one line (one command per line)");
		g_assert_null(v);
		g_free(why);
	}

	/* A verb that takes a user: exactly one. */
	const ResAction *group = res_kind_lookup("user-groups")->action;
	const ResVerb *add = NULL;
	g_assert_null(input_check_command(group, "add alice\n", 10, &add, &hard, &arg));
	g_assert_nonnull(add);
	g_assert_cmpstr(add->op_value, ==, "ADD");
	g_assert_cmpstr(arg, ==, "alice");
	g_clear_pointer(&arg, g_free);
	static const char *const bad_group[] = { "add", "add a b", "remove" };
	for (gsize i = 0; i < G_N_ELEMENTS(bad_group); i++) {
		why = input_check_command(group, bad_group[i], strlen(bad_group[i]), &v, &hard,
					  &arg);
		g_assert_nonnull(why);
		g_assert_null(arg);
		g_free(why);
	}

	/* Computer names (4.3.20). */
	const ResField *cn = res_field_for_file(res_kind_lookup("desktops"), "computer_name");
	static const char *const good_cn[] = { "a", "Fin-01", "x_y", "abcdefghijklmno" };
	static const char *const bad_cn[] = { "", "1abc", "-a", "a b", "abcdefghijklmnop", "a.b" };
	for (gsize i = 0; i < G_N_ELEMENTS(good_cn); i++) {
		cJSON *value = input_field_value(cn, good_cn[i]);

		g_assert_nonnull(value);
		cJSON_Delete(value);
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_cn); i++)
		g_assert_null(input_field_value(cn, bad_cn[i]));
}

/* input_check_field: the value to send, or a reason; the same line rules as for commands. */
static void test_field_check(void)
{
	const ResKind *users = res_kind_lookup("users");
	const ResField *email = res_field_for_file(users, "email");
	const ResField *desc = res_field_for_file(users, "description");
	cJSON *v = NULL;
	char *why;

	g_assert_null(input_check_field(email, "a@b.org\n", 8, &v));
	g_assert_cmpstr(cJSON_GetStringValue(v), ==, "a@b.org");
	cJSON_Delete(v);
	v = NULL;
	g_assert_null(input_check_field(desc, "", 0, &v));	/* an empty description */
	g_assert_cmpstr(cJSON_GetStringValue(v), ==, "");
	cJSON_Delete(v);
	v = NULL;
	why = input_check_field(email, "bad\n", 4, &v);
	g_assert_cmpstr(why, ==, "\"bad\" is not an e-mail address");
	g_assert_null(v);
	g_free(why);
	why = input_check_field(email, "a@b.org\n\n", 9, &v);
	g_assert_cmpstr(why, ==, "more than one line (a value is one line)");
	g_free(why);
	why = input_check_field(desc, "tab\there", 8, &v);
	g_assert_cmpstr(why, ==, "not one line of printable UTF-8 text");
	g_free(why);
	g_autofree char *longv = g_strnfill(desc->max_len + 1, 'x');
	why = input_check_field(desc, longv, desc->max_len + 1, &v);
	g_assert_true(g_str_has_prefix(why, "longer than "));
	g_assert_null(v);
	g_free(why);
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

/* Every action's body as the table builds it: fixed_body's members are in it (a table text
 * that is not a JSON object is a GLib-CRITICAL, fatal here), and App Streaming's bodies are
 * the SDK's request models. */
static void test_action_bodies(void)
{
	const ResKind *sessions = res_kind_lookup("app-sessions");
	const ResKind *servers = res_kind_lookup("app-servers");
	const char *const ids[] = { "s1", "s2" };
	char *body;

	for (int i = 0; res_kinds[i]; i++) {
		const ResAction *a = res_kinds[i]->action;

		for (const ResVerb *v = a ? a->verbs : NULL; v && v->verb; v++) {
			g_autoptr(cJSON) root = NULL;

			body = input_action_body(a, v, FALSE, NULL, ids, 1);
			root = cJSON_Parse(body);
			g_assert_true(cJSON_IsObject(root));
			cJSON_free(body);
		}
		/* A follow needs the object's own GET and a busy field. */
		if (a && a->busy_field)
			g_assert_nonnull(res_kinds[i]->detail_path);
	}
	g_assert_nonnull(sessions->action);
	body = input_action_body(sessions->action, &sessions->action->verbs[0], FALSE, NULL,
				 ids, 2);
	g_assert_cmpstr(body, ==, "{\"message_type\":0,\"delay_time\":0,"
				  "\"session_ids\":[\"s1\",\"s2\"]}");
	cJSON_free(body);
	/* BatchStartServerReq: items alone; ServerHaltReq: items and type. */
	body = input_action_body(servers->action, &servers->action->verbs[0], FALSE, NULL, ids,
				 1);
	g_assert_cmpstr(body, ==, "{\"items\":[\"s1\"]}");
	cJSON_free(body);
	body = input_action_body(servers->action, &servers->action->verbs[1], TRUE, NULL, ids,
				 1);
	g_assert_cmpstr(body, ==, "{\"items\":[\"s1\"],\"type\":\"HARD\"}");
	cJSON_free(body);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/input/field-text", test_field_text);
	g_test_add_func("/input/field-types", test_field_types);
	g_test_add_func("/input/commands", test_commands);
	g_test_add_func("/input/field-check", test_field_check);
	g_test_add_func("/input/lone-surrogates", test_lone_surrogates);
	g_test_add_func("/input/action-bodies", test_action_bodies);
	return g_test_run();
}
