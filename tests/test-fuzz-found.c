/* test-fuzz-found.c — what the fuzz targets (fuzz/) found, fixed, as plain unit tests: the
 * default suite keeps each fix even when the fuzz suite is not run. One test per finding;
 * its regression input is also in fuzz/corpus/<target>/regress-*.
 */
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fs/path.h"
#include "src/create.h"
#include "src/credentials.h"
#include "src/input.h"
#include "src/render.h"
#include "src/signer.h"

/* fuzz-path: "/.wksfs/stats/" named the file "stats/" (the trailing empty part joined). */
static void test_meta_trailing_slash(void)
{
	g_autoptr(FsPath) p = NULL;

	g_assert_cmpint(fs_path_parse("/.wksfs/stats/", &p), ==, 0);
	g_assert_cmpint(p->type, ==, FS_NODE_META_FILE);
	g_assert_cmpstr(p->file, ==, "stats");
}

/* fuzz-signer: a year before 1000 formatted as 3 digits, a date that does not parse back. */
static void test_date_before_1000(void)
{
	gint64 t = 0;
	g_autofree char *back = NULL;

	g_assert_true(signer_parse_date("02240101T000000Z", &t));
	back = signer_format_date(t);
	g_assert_cmpstr(back, ==, "02240101T000000Z");
}

/* fuzz-command: a refusal quoted an invalid UTF-8 or control-character verb into
 * /.wksfs/errors; a command is now refused before it is quoted. */
static void test_command_bytes(void)
{
	const ResAction *desk = res_kind_lookup("desktops")->action;
	static const char *const bad[] = { "stop\xd1\xd1[\"idart\n", "st\x1b[2Jop\n",
					   "add al\x01ice" };
	const ResVerb *v = NULL;
	gboolean hard = FALSE;
	char *arg = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *why = input_check_command(desk, bad[i], strlen(bad[i]), &v,
							   &hard, &arg);

		g_assert_nonnull(why);
		g_assert_true(g_utf8_validate(why, -1, NULL));
		for (const char *p = why; *p; p++)
			g_assert_cmpint((guchar)*p, >=, 0x20);
		g_assert_null(v);
	}
	/* A line ending of another system still works. */
	g_assert_null(input_check_command(desk, "stop\r\n", 6, &v, &hard, &arg));
	g_assert_cmpstr(v->verb, ==, "stop");
}

/* fuzz-credentials: GKeyFile's message quoted the line it could not read ("sk SECRET"). */
static void test_credentials_line_not_quoted(void)
{
	g_autofree char *dir = g_dir_make_tmp("wksfs-found-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "credentials", NULL);
	CredentialsRequest req = { .file = file, .project_id = "p" };
	g_autoptr(GError) error = NULL;
	Credentials c = { 0 };

	g_assert_true(g_file_set_contents(file, "[basic]\nak = AK1\nsk TOPSECRETVALUE\n", -1,
					  NULL));
	g_assert_no_errno(g_chmod(file, 0600));
	g_assert_false(credentials_resolve(&req, &c, &error));
	g_assert_nonnull(error);
	g_test_message("refused: %s", error->message);
	g_assert_null(strstr(error->message, "TOPSECRETVALUE"));
	g_assert_nonnull(strstr(error->message, "not an INI file"));
	g_unlink(file);
	g_rmdir(dir);
}

/* fuzz-create: an unknown field's name with a control character, quoted into the reason. */
static void test_create_key_not_printable(void)
{
	const ResCreate *spec = res_kind_lookup("users")->create;
	static const char body[] = "{\"use\\u001b[2Jme\":\"bob\",\"user_name\":\"bob\"}\n";
	cJSON *root = NULL;
	g_autofree char *why = create_check_body(spec, body, strlen(body), &root);

	g_assert_nonnull(why);
	g_assert_null(root);
	g_assert_null(strchr(why, '\x1b'));
	g_assert_nonnull(strstr(why, "not printable"));
}

/* fuzz-render: of two fields with one name, the second made a file when the first was
 * structured ("a.json", then "a"), and the names read from the files were the second's. */
static void test_render_first_field_wins(void)
{
	g_autoptr(cJSON) obj = cJSON_Parse("{\"desktop_id\":\"d1\",\"a\":[{\"k\":1}],\"a\":\"x\"}");
	g_autoptr(GBytes) blob = render_object(res_kind_lookup("desktops"), obj, NULL);
	g_autoptr(GPtrArray) names = NULL;
	gboolean array = FALSE;

	g_assert_nonnull(blob);
	g_assert_cmpint(render_find(blob, "a.json"), >=, 0);
	g_assert_cmpint(render_find(blob, "a"), ==, -1);
	names = render_field_strings(blob, "a", &array);
	g_assert_true(array);	/* the first "a", as the JSON reads */
	g_assert_cmpuint(names->len, ==, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/fuzz-found/path/meta-trailing-slash", test_meta_trailing_slash);
	g_test_add_func("/fuzz-found/signer/date-before-1000", test_date_before_1000);
	g_test_add_func("/fuzz-found/command/bytes-refused-before-quoted", test_command_bytes);
	g_test_add_func("/fuzz-found/credentials/line-not-quoted",
			test_credentials_line_not_quoted);
	g_test_add_func("/fuzz-found/create/key-not-printable", test_create_key_not_printable);
	g_test_add_func("/fuzz-found/render/first-field-wins", test_render_first_field_wins);
	return g_test_run();
}
