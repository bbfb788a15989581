/* test-credentials.c — the credentials chain without a network: -o credentials_file= and
 * -o profile= (a section of an SDK credentials file, nothing taken from the environment),
 * the environment, ~/.huaweicloud/credentials, and the refusals, each with a message that
 * says what to do. */
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "src/credentials.h"

#define TWO_PROFILES \
	"[basic]\nak = BASICAK\nsk = BASICSK\n" \
	"[tenant-a]\nak = AKA\nsk = SKA\nproject_id = aaaa\n" \
	"[tenant-b]\nak = AKB\nsk = SKB\nproject_id = bbbb\nsecurity_token = TOKB\n" \
	"[no-sk]\nak = AKC\n"

/* HOME for the whole run: GLib reads it once (g_get_home_dir). */
static char *home;

typedef struct {
	char *dir;
	char *file;	/* TWO_PROFILES, mode 0600 */
} Fixture;

static void setup(Fixture *f, gconstpointer data)
{
	f->dir = g_dir_make_tmp("wksfs-creds-XXXXXX", NULL);
	f->file = g_build_filename(f->dir, "credentials", NULL);
	g_assert_true(g_file_set_contents(f->file, TWO_PROFILES, -1, NULL));
	g_assert_no_errno(g_chmod(f->file, 0600));
	/* The environment names other keys: a named profile must not take them. */
	g_setenv("HUAWEICLOUD_SDK_AK", "ENVAK", TRUE);
	g_setenv("HUAWEICLOUD_SDK_SK", "ENVSK", TRUE);
	g_setenv("HUAWEICLOUD_SDK_PROJECT_ID", "envproject", TRUE);
	g_setenv("HUAWEICLOUD_SDK_SECURITY_TOKEN", "ENVTOKEN", TRUE);
	g_unsetenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE");
}

static void teardown(Fixture *f, gconstpointer data)
{
	g_autofree char *dot = g_build_filename(home, ".huaweicloud", NULL);
	g_autofree char *file = g_build_filename(dot, "credentials", NULL);

	g_unlink(file);
	g_rmdir(dot);
	g_unlink(f->file);
	g_rmdir(f->dir);
	g_free(f->file);
	g_free(f->dir);
}

/* credentials_resolve's message, or NULL when it succeeded (c is filled then). */
static char *resolve(const CredentialsRequest *req, Credentials *c)
{
	g_autoptr(GError) error = NULL;

	memset(c, 0, sizeof(*c));
	if (credentials_resolve(req, c, &error))
		return NULL;
	g_test_message("refused: %s", error->message);
	return g_strdup(error->message);
}

static void test_profile(Fixture *f, gconstpointer data)
{
	CredentialsRequest a = { .file = f->file, .profile = "tenant-a" };
	CredentialsRequest b = { .file = f->file, .profile = "tenant-b" };
	Credentials c;

	g_assert_null(resolve(&a, &c));
	g_assert_cmpstr(c.ak, ==, "AKA");
	g_assert_cmpstr(c.sk, ==, "SKA");
	g_assert_cmpstr(c.project_id, ==, "aaaa");
	g_assert_null(c.security_token);	/* not ENVTOKEN */
	g_assert_cmpstr(c.source, ==, f->file);
	credentials_clear(&c);

	g_assert_null(resolve(&b, &c));
	g_assert_cmpstr(c.ak, ==, "AKB");
	g_assert_cmpstr(c.project_id, ==, "bbbb");
	g_assert_cmpstr(c.security_token, ==, "TOKB");
	credentials_clear(&c);

	/* -o project_id= still wins over the profile's. */
	a.project_id = "override";
	g_assert_null(resolve(&a, &c));
	g_assert_cmpstr(c.project_id, ==, "override");
	credentials_clear(&c);
}

/* credentials_file= alone is its [basic] section; profile= alone is a section of the
 * default file ($HUAWEICLOUD_SDK_CREDENTIALS_FILE, else ~/.huaweicloud/credentials). */
static void test_file_or_profile_alone(Fixture *f, gconstpointer data)
{
	CredentialsRequest file_only = { .file = f->file, .region = TRUE };
	CredentialsRequest profile_only = { .profile = "tenant-b" };
	Credentials c;

	g_assert_null(resolve(&file_only, &c));
	g_assert_cmpstr(c.ak, ==, "BASICAK");
	g_assert_null(c.project_id);	/* not envproject: looked up through IAM */
	credentials_clear(&c);

	g_setenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE", f->file, TRUE);
	g_assert_null(resolve(&profile_only, &c));
	g_assert_cmpstr(c.ak, ==, "AKB");
	credentials_clear(&c);

	g_unsetenv("HUAWEICLOUD_SDK_CREDENTIALS_FILE");
	g_autofree char *msg = resolve(&profile_only, &c);
	g_autofree char *dflt = g_build_filename(home, ".huaweicloud", "credentials", NULL);
	g_assert_nonnull(msg);
	g_assert_nonnull(strstr(msg, dflt));	/* the default file, named: it is missing */
	g_assert_nonnull(strstr(msg, "No such file or directory"));
}

/* Without credentials_file= or profile=, the chain is the SDKs': environment first. */
static void test_environment_first(Fixture *f, gconstpointer data)
{
	CredentialsRequest none = { 0 };
	Credentials c;

	g_assert_null(resolve(&none, &c));
	g_assert_cmpstr(c.ak, ==, "ENVAK");
	g_assert_cmpstr(c.project_id, ==, "envproject");
	g_assert_cmpstr(c.security_token, ==, "ENVTOKEN");
	g_assert_cmpstr(c.source, ==, "environment");
	credentials_clear(&c);

	/* Then ~/.huaweicloud/credentials, [basic]. */
	g_autofree char *dot = g_build_filename(home, ".huaweicloud", NULL);
	g_autofree char *dflt = g_build_filename(dot, "credentials", NULL);
	g_assert_no_errno(g_mkdir(dot, 0700));
	g_assert_true(g_file_set_contents(dflt, TWO_PROFILES, -1, NULL));
	g_assert_no_errno(g_chmod(dflt, 0600));
	g_unsetenv("HUAWEICLOUD_SDK_AK");
	g_unsetenv("HUAWEICLOUD_SDK_SK");
	g_assert_null(resolve(&none, &c));
	g_assert_cmpstr(c.ak, ==, "BASICAK");
	g_assert_cmpstr(c.project_id, ==, "envproject");	/* the environment's, kept */
	credentials_clear(&c);
}

static void test_refused(Fixture *f, gconstpointer data)
{
	g_autofree char *missing = g_build_filename(f->dir, "nope", NULL);
	Credentials c;
	const struct {
		CredentialsRequest req;
		const char *const want[3];
	} cases[] = {
		{ { .file = f->file, .profile = "tenant-c" },
		  { "has no profile [tenant-c]", "basic, tenant-a, tenant-b, no-sk", NULL } },
		{ { .file = f->file, .profile = "no-sk" },
		  { "section [no-sk] needs both ak and sk", NULL } },
		{ { .file = missing, .profile = "tenant-a" },
		  { missing, "No such file or directory", NULL } },
		{ { .file = f->dir }, { f->dir, "not a regular file", NULL } },
		{ { .file = f->file, .profile = "basic" },
		  { "no project", "-o project_id=", "-o region=" } },
		{ { .iam_user = "u", .iam_domain = "d" },
		  { "iam_user needs iam_domain= and password_file=", NULL } },
	};

	g_unsetenv("HUAWEICLOUD_SDK_AK");
	g_unsetenv("HUAWEICLOUD_SDK_SK");
	g_unsetenv("HUAWEICLOUD_SDK_PROJECT_ID");
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *msg = resolve(&cases[i].req, &c);

		g_assert_nonnull(msg);
		for (int w = 0; w < 3 && cases[i].want[w]; w++)
			g_assert_nonnull(strstr(msg, cases[i].want[w]));
	}

	/* Readable by group or others: refused, naming the fix; the keys are not shown. */
	g_assert_no_errno(g_chmod(f->file, 0644));
	CredentialsRequest open_file = { .file = f->file, .profile = "tenant-a" };
	g_autofree char *msg = resolve(&open_file, &c);
	g_assert_nonnull(msg);
	g_assert_nonnull(strstr(msg, "readable by group or others (mode 0644)"));
	g_assert_nonnull(strstr(msg, "chmod 600"));
	g_assert_null(strstr(msg, "SKA"));
	g_assert_no_errno(g_chmod(f->file, 0640));
	g_autofree char *msg2 = resolve(&open_file, &c);
	g_assert_nonnull(msg2);
	g_assert_nonnull(strstr(msg2, "mode 0640"));

	/* Nothing at all. */
	CredentialsRequest none = { 0 };
	g_autofree char *msg3 = resolve(&none, &c);
	g_assert_nonnull(msg3);
	g_assert_nonnull(strstr(msg3, "no credentials"));
	g_assert_nonnull(strstr(msg3, "-o profile="));
}

/* IAM password login: the password file's first line, under the same mode rule. */
static void test_password_file(Fixture *f, gconstpointer data)
{
	g_autofree char *pw = g_build_filename(f->dir, "password", NULL);
	CredentialsRequest req = { .iam_user = "u", .iam_domain = "d", .password_file = pw,
				   .region = TRUE };
	Credentials c;

	g_unsetenv("HUAWEICLOUD_SDK_AK");
	g_unsetenv("HUAWEICLOUD_SDK_SK");
	g_assert_true(g_file_set_contents(pw, "s3cret\nignored\n", -1, NULL));
	g_assert_no_errno(g_chmod(pw, 0604));
	g_autofree char *msg = resolve(&req, &c);
	g_assert_nonnull(msg);
	g_assert_true(g_str_has_prefix(msg, "password_file: "));
	g_assert_nonnull(strstr(msg, "chmod 600"));

	g_assert_no_errno(g_chmod(pw, 0600));
	g_assert_null(resolve(&req, &c));
	g_assert_cmpstr(c.password, ==, "s3cret");
	g_assert_null(c.ak);
	credentials_clear(&c);
	g_unlink(pw);
}

int main(int argc, char **argv)
{
	int rc;

	home = g_dir_make_tmp("wksfs-home-XXXXXX", NULL);
	g_setenv("HOME", home, TRUE);
	g_test_init(&argc, &argv, NULL);
	g_test_add("/credentials/profile", Fixture, NULL, setup, test_profile, teardown);
	g_test_add("/credentials/file-or-profile-alone", Fixture, NULL, setup,
		   test_file_or_profile_alone, teardown);
	g_test_add("/credentials/environment-first", Fixture, NULL, setup,
		   test_environment_first, teardown);
	g_test_add("/credentials/refused", Fixture, NULL, setup, test_refused, teardown);
	g_test_add("/credentials/password-file", Fixture, NULL, setup, test_password_file,
		   teardown);
	rc = g_test_run();
	g_rmdir(home);
	return rc;
}
