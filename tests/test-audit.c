/* test-audit.c — the audit line is logfmt that a parser reads back field by field, whatever
 * the values hold (quotes, backslashes, newlines, '=', control characters, nothing), and
 * -o audit_file appends each line, created 0600, before audit_add returns. */
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/audit.h"
#include "tests/logfmt.h"

/* The lines audit_text holds, one per element. */
static GStrv lines_of(Audit *audit)
{
	g_autofree char *text = audit_text(audit);
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = g_strv_length(lines);

	g_assert_cmpuint(n, >=, 1);
	g_assert_cmpstr(lines[n - 1], ==, "");	/* every line ends in a newline */
	g_free(lines[n - 1]);
	lines[n - 1] = NULL;
	return g_steal_pointer(&lines);
}

static GStrv parse(const char *line)
{
	g_autofree char *why = NULL;
	GStrv fields = logfmt_parse(line, &why);

	if (!fields)
		g_error("not logfmt (%s): %s", why, line);
	return fields;
}

static void test_round_trip(void)
{
	static const struct {
		const char *command, *path, *body, *result, *request_id;
	} cases[] = {
		{ "echo", "/desktops/d1/action", "{\"desktop_ids\":[\"d1\"],\"type\":\"SOFT\"}",
		  "job 42", "req-1" },
		{ "a\"b\nc\\d", "/users/has space/description",
		  "{\"description\":\"say \\\"hi\\\" \\\\ now\"}", "error: Invalid argument "
		  "WKS.0001: bad \"value\"\nsecond line", NULL },
		{ "tab\there", "/x=y", NULL, "ok", "id=with=equals" },
		{ "\x01\x1f\x7f", "", "", "", "" },
		{ "-", "-", "\\", "\"", "\\\"" },
	};
	g_autoptr(Audit) audit = audit_new();

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		ApiCaller who = { 1000 + (guint)i, 4242, cases[i].command, cases[i].path };

		audit_add(audit, &who, "POST", "/v2/{project_id}/desktops/action", cases[i].body,
			  cases[i].result, cases[i].request_id);
	}
	audit_add(audit, NULL, "-", "-", NULL, "refused: mounted read-only", NULL);

	g_auto(GStrv) lines = lines_of(audit);
	g_assert_cmpuint(g_strv_length(lines), ==, G_N_ELEMENTS(cases) + 1);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_auto(GStrv) f = parse(lines[i]);
		g_autofree char *uid = g_strdup_printf("%u", 1000 + (guint)i);
		g_autofree char *request = g_strdup_printf(
			"POST /v2/{project_id}/desktops/action%s%s", cases[i].body ? " " : "",
			cases[i].body ? cases[i].body : "");
		static const char *const keys[] = { "time", "uid", "pid", "command", "path",
						    "request", "result", "request_id", NULL };

		g_test_message("%s", lines[i]);
		g_assert_cmpuint(g_strv_length(f), ==, 2 * g_strv_length((GStrv)keys));
		for (int k = 0; keys[k]; k++)
			g_assert_cmpstr(f[2 * k], ==, keys[k]);	/* in this order */
		g_assert_true(g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
						   logfmt_get(f, "time"), 0, 0));
		g_assert_cmpstr(logfmt_get(f, "uid"), ==, uid);
		g_assert_cmpstr(logfmt_get(f, "pid"), ==, "4242");
		g_assert_cmpstr(logfmt_get(f, "command"), ==, cases[i].command);
		g_assert_cmpstr(logfmt_get(f, "path"), ==, cases[i].path);
		g_assert_cmpstr(logfmt_get(f, "request"), ==, request);
		g_assert_cmpstr(logfmt_get(f, "result"), ==, cases[i].result);
		g_assert_cmpstr(logfmt_get(f, "request_id"), ==,
				cases[i].request_id ? cases[i].request_id : "-");
		/* One line, whatever the values held. */
		g_assert_null(strchr(lines[i], '\n'));
	}
	g_auto(GStrv) refused = parse(lines[G_N_ELEMENTS(cases)]);
	g_assert_cmpstr(logfmt_get(refused, "uid"), ==, "0");
	g_assert_cmpstr(logfmt_get(refused, "command"), ==, "-");
	g_assert_cmpstr(logfmt_get(refused, "request"), ==, "- -");
	g_assert_cmpstr(logfmt_get(refused, "result"), ==, "refused: mounted read-only");
	g_assert_cmpstr(logfmt_get(refused, "request_id"), ==, "-");
}

/* A plain word stays bare (what grep and the existing scripts match), anything else is
 * quoted. */
static void test_bare_values(void)
{
	g_autoptr(Audit) audit = audit_new();
	ApiCaller who = { 0, 7, "sh", "/desktops/d1/action" };

	audit_add(audit, &who, "POST", "/v2/p/desktops/action", NULL, "ok", "abc-123");
	g_auto(GStrv) lines = lines_of(audit);
	g_assert_nonnull(strstr(lines[0], " uid=0 pid=7 command=sh path=/desktops/d1/action "
				"request=\"POST /v2/p/desktops/action\" result=ok "
				"request_id=abc-123"));
}

static void test_file(void)
{
	g_autofree char *dir = g_dir_make_tmp("wksfs-audit-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, "audit.log", NULL);
	g_autofree char *text = NULL;
	g_autoptr(GError) error = NULL;
	ApiCaller who = { 0, 1, "a\"b\nc", "/users/u/email" };
	struct stat st;

	/* Appended to what is there, never truncated. */
	g_assert_true(g_file_set_contents(path, "earlier line\n", -1, NULL));
	g_assert_no_errno(g_chmod(path, 0640));
	{
		g_autoptr(Audit) audit = audit_new();

		g_assert_true(audit_open_file(audit, path, &error));
		audit_add(audit, &who, "PUT", "/v2/p/users/u", "{\"a\":\"\\\"\"}", "ok", "r1");
		/* On disk before audit_add returned: read it now, the Audit still open. */
		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
		g_assert_cmpuint(g_strv_length(lines), ==, 3);
		g_assert_cmpstr(lines[0], ==, "earlier line");
		g_auto(GStrv) f = parse(lines[1]);
		g_assert_cmpstr(logfmt_get(f, "command"), ==, "a\"b\nc");
		g_assert_cmpstr(logfmt_get(f, "request"), ==, "PUT /v2/p/users/u {\"a\":\"\\\"\"}");
		g_autofree char *kept = audit_text(audit);
		g_assert_true(g_str_has_prefix(kept, lines[1]));
	}
	g_assert_no_errno(stat(path, &st));
	g_assert_cmpint(st.st_mode & 0777, ==, 0640);	/* an existing file keeps its mode */
	g_unlink(path);

	/* A new file is the owner's alone. */
	{
		g_autoptr(Audit) audit = audit_new();

		g_assert_true(audit_open_file(audit, path, &error));
		g_assert_no_errno(stat(path, &st));
		g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	}
	g_unlink(path);

	/* A directory, or a path that cannot be created, is refused with its reason. */
	{
		g_autoptr(Audit) audit = audit_new();
		g_autofree char *missing = g_build_filename(dir, "no", "such", "file", NULL);

		g_assert_false(audit_open_file(audit, dir, &error));
		g_assert_nonnull(strstr(error->message, dir));
		g_clear_error(&error);
		g_assert_false(audit_open_file(audit, missing, &error));
		g_assert_nonnull(strstr(error->message, "No such file or directory"));
	}
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/audit/round-trip", test_round_trip);
	g_test_add_func("/audit/bare-values", test_bare_values);
	g_test_add_func("/audit/file", test_file);
	return g_test_run();
}
