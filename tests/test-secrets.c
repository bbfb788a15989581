/* test-secrets.c — no secret in anything wksfs writes or shows (issue 11, "Secrets and
 * access"): with -o debug (log_level=debug), a log file and an audit file, a mount with
 * AK/SK (and a security token) from a credentials file and a mount logged in to IAM with a
 * password (tokens expiring every 2 s, so renewed) do reads, field writes, an action, a
 * .create of a user with a password, a failing request and a failing mutation; then the
 * AK, SK, security token, IAM password, user password, every X-Auth-Token the emulator
 * issued and every signature it received (its test-only /__emulator/secrets) are looked
 * for in the log file, the daemon's stderr, the audit file, /proc/PID/cmdline and
 * /proc/PID/environ, and every file of the mount's /.wksfs (errors, audit, metrics, stats,
 * ...). No syslog: a foreground daemon with a log file never opens it. A secret is found
 * even in part: any 31 characters of a token or signature in a row.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AK "SECRETAKQ7W2E9"
#define SK "SECRETSKZ8X7C6V5"
#define STS "SECRETSTSP4O3I2U"
#define IAM_PASSWORD "SECRETIAMPWL1K2J"
#define USER_PASSWORD "Us3r!SECRETPWM9N8"
#define FAULTS_OFF "{\"fail_rate\": 0, \"methods\": \"\", \"route\": \"\"}"

static char *write_private(Mount *m, const char *name, const char *text)
{
	char *path = g_build_filename(m->workdir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_no_errno(chmod(path, 0600));
	return path;
}

static char *slurp(const char *path)
{
	char *text = NULL;
	gsize len = 0;

	if (!g_file_get_contents(path, &text, &len, NULL))
		return g_strdup("");
	/* /proc/PID/cmdline and environ separate with NUL bytes. */
	for (gsize i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = '\n';
	return text;
}

static char *first(Mount *m, const char *rel)
{
	g_autoptr(GPtrArray) names = harness_list(m, rel);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

/* What a session of an admin does: reads, a field write, an action, a .create of a user
 * with a password, a read and an action that fail (injected faults). */
static void session(Mount *m, const char *tag)
{
	g_autofree char *desktop = first(m, "desktops");
	g_autofree char *user = first(m, "users");
	g_autofree char *status = g_strdup_printf("desktops/%s/status", desktop);
	g_autofree char *info = g_strdup_printf("users/%s/info.json", user);
	g_autofree char *email = g_strdup_printf("users/%s/email", user);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", desktop);
	g_autofree char *body = g_strdup_printf(
		"{\"user_name\": \"new%s\", \"user_email\": \"new%s@example.com\", "
		"\"password\": \"" USER_PASSWORD "\", \"active_type\": \"USER_ACTIVATE\"}\n",
		tag, tag);
	g_autofree char *s = harness_read(m, status);
	g_autofree char *i = harness_read(m, info);
	g_autofree char *r = harness_read(m, "README");

	g_assert_nonnull(s);
	g_assert_nonnull(i);
	g_assert_nonnull(r);
	g_assert_cmpint(harness_write(m, email, "secret-test@example.com\n"), ==, 0);
	/* Sent either way: EBUSY is the API's 409 for a desktop that cannot reboot now. */
	int rc = harness_write(m, action, "reboot\n");
	g_assert_true(rc == 0 || rc == EBUSY);
	g_assert_cmpint(harness_write(m, "users/.create", body), ==, 0);
	/* A refused create with the password in it: the reason must not quote it. */
	g_assert_cmpint(harness_write(m, "users/.create",
				      "{\"user_name\": 7, \"password\": \"" USER_PASSWORD "\"}\n"),
			==, EINVAL);

	/* A mutation the API fails, then a read. */
	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\": 1.0, \"fail_status\": 500, \"methods\": \"POST\"}");
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, EIO);
	/* Only the listing: an IAM login due meanwhile (the IAM mount's tokens last 2 s, and a
	 * sanitized build is slow) must not fail instead. */
	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\": 1.0, \"fail_status\": 500, \"methods\": \"\", "
			 "\"route\": \"GET /v2/{project_id}/desktop-pools\"}");
	g_autofree char *pools = harness_read(m, "desktop-pools/x");
	g_assert_null(pools);
	harness_emu_post(m, "/__emulator/faults", FAULTS_OFF);
}

/* Every regular file under /.wksfs, read. */
static void collect_meta(Mount *m, const char *rel, GString *out)
{
	g_autofree char *dir = harness_path(m, rel);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	g_assert_nonnull(d);
	while ((name = g_dir_read_name(d))) {
		g_autofree char *child = g_build_filename(rel, name, NULL);
		g_autofree char *path = harness_path(m, child);
		struct stat st;

		g_assert_no_errno(lstat(path, &st));
		if (S_ISDIR(st.st_mode)) {
			collect_meta(m, child, out);
		} else {
			g_autofree char *text = harness_read(m, child);

			g_assert_nonnull(text);
			g_string_append_printf(out, "==== %s\n%s", child, text);
		}
	}
}

/* The secrets of this session: the fixed ones, and what the emulator issued and saw. */
static GPtrArray *secrets_of(Mount *m, const char *const *fixed, guint *ret_seen)
{
	GPtrArray *all = g_ptr_array_new_with_free_func(g_free);
	cJSON *seen = harness_emu_get(m, "/__emulator/secrets");
	const cJSON *s;

	for (int i = 0; fixed[i]; i++)
		g_ptr_array_add(all, g_strdup(fixed[i]));
	*ret_seen = 0;
	cJSON_ArrayForEach(s, seen) {
		g_assert_true(cJSON_IsString(s));
		g_assert_cmpuint(strlen(s->valuestring), >=, 32);
		/* A part of one is as bad (a line cut short, a token's tail): every piece of
		 * 16 characters is looked for, so any 31 in a row are found. */
		for (gsize at = 0; at + 16 <= strlen(s->valuestring); at += 16)
			g_ptr_array_add(all, g_strndup(s->valuestring + at, 16));
		(*ret_seen)++;
	}
	cJSON_Delete(seen);
	return all;
}

/* Looks for every secret in every place; the places named in the failure. */
static void assert_nowhere(Mount *m, const char *log_path, const char *audit_path,
			   GPtrArray *secrets)
{
	g_autofree char *cmdline_path = g_strdup_printf("/proc/%d/cmdline", (int)m->fs_pid);
	g_autofree char *environ_path = g_strdup_printf("/proc/%d/environ", (int)m->fs_pid);
	g_autoptr(GString) meta = g_string_new(NULL);
	struct {
		const char *where;
		char *text;
	} places[] = {
		{ "the log file", slurp(log_path) },
		{ "stderr", slurp(m->fs_log) },
		{ "the audit file", slurp(audit_path) },
		{ "/proc/PID/cmdline", slurp(cmdline_path) },
		{ "/proc/PID/environ", slurp(environ_path) },
		{ "/.wksfs", NULL },
	};

	collect_meta(m, ".wksfs", meta);
	places[G_N_ELEMENTS(places) - 1].text = g_strdup(meta->str);
	/* The places hold what the session did: the checks below look at real text. */
	g_assert_nonnull(strstr(places[0].text, " debug wksfs-api: PUT /v2/"));
	g_assert_nonnull(strstr(places[0].text, " -> 500 "));
	g_assert_nonnull(strstr(places[2].text, "\\\"password\\\":\\\"***\\\""));
	g_assert_nonnull(strstr(places[3].text, "auto_unmount"));
	g_assert_nonnull(strstr(places[4].text, "HOME="));
	g_assert_nonnull(strstr(meta->str, "==== .wksfs/audit\n"));
	g_assert_nonnull(strstr(meta->str, "==== .wksfs/metrics\n"));
	g_assert_nonnull(strstr(meta->str, "==== .wksfs/errors\n"));
	g_assert_nonnull(strstr(meta->str, "/desktops/action 500 WKS.0002 "));
	g_assert_nonnull(strstr(meta->str, "/desktop-pools 500 WKS.0002 "));
	for (gsize p = 0; p < G_N_ELEMENTS(places); p++) {
		for (guint s = 0; s < secrets->len; s++)
			if (strstr(places[p].text, secrets->pdata[s]))
				g_test_fail_printf("%s holds the secret %s", places[p].where,
						   (char *)secrets->pdata[s]);
		/* Whatever the emulator saw: no signature or token header at all. */
		g_assert_null(strstr(places[p].text, "Signature="));
		g_assert_null(strstr(places[p].text, "X-Auth-Token:"));
		g_assert_false(g_regex_match_simple("MII[A-Za-z0-9+/]{16}", places[p].text, 0, 0));
		g_free(places[p].text);
	}
}

/* AK/SK and a security token from a credentials file (nothing in the environment). */
static void test_aksk(void)
{
	const char *args[] = { "--ak", AK, "--sk", SK, "--desktops", "2", "--users", "2",
			       "--job-seconds", "1", NULL };
	static const char *const fixed[] = { AK, SK, STS, USER_PASSWORD, NULL };
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return;
	g_autofree char *creds = write_private(m, "credentials",
		"[basic]\nak = " AK "\nsk = " SK "\nsecurity_token = " STS "\n"
		"project_id = " HARNESS_PROJECT "\n");
	g_autofree char *log_path = g_build_filename(m->workdir, "wksfs.log", NULL);
	g_autofree char *audit_path = g_build_filename(m->workdir, "audit.log", NULL);
	g_autofree char *opts = g_strdup_printf("debug,log_file=%s,audit_file=%s,ttl=0,"
						"credentials_file=%s", log_path, audit_path, creds);
	guint seen = 0;

	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HOME", m->workdir);
	if (!harness_mount(m, opts)) {
		g_test_fail_printf("the AK/SK mount failed");
		harness_stop(m);
		return;
	}
	session(m, "a");
	g_autoptr(GPtrArray) secrets = secrets_of(m, fixed, &seen);
	g_test_message("%u signatures seen", seen);
	g_assert_cmpuint(seen, >=, 10);
	assert_nowhere(m, log_path, audit_path, secrets);
	harness_stop(m);
}

/* IAM password login, tokens renewed every 2 s. */
static void test_iam(void)
{
	const char *args[] = { "--iam-password", IAM_PASSWORD, "--token-ttl", "2",
			       "--desktops", "2", "--users", "2", "--job-seconds", "1", NULL };
	static const char *const fixed[] = { IAM_PASSWORD, USER_PASSWORD, NULL };
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return;
	g_autofree char *pw = write_private(m, "password", IAM_PASSWORD "\n");
	g_autofree char *log_path = g_build_filename(m->workdir, "wksfs.log", NULL);
	g_autofree char *audit_path = g_build_filename(m->workdir, "audit.log", NULL);
	g_autofree char *opts = g_strdup_printf(
		"debug,log_file=%s,audit_file=%s,ttl=0,iam_endpoint=http://127.0.0.1:%d,"
		"iam_user=admin,iam_domain=demo-domain,password_file=%s,region=ap-southeast-1",
		log_path, audit_path, m->port, pw);
	guint seen = 0;

	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HOME", m->workdir);
	if (!harness_mount(m, opts)) {
		g_test_fail_printf("the IAM mount failed");
		harness_stop(m);
		return;
	}
	session(m, "b");
	/* Past two expiries: the token is renewed, and the new ones are looked for too. */
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (g_get_monotonic_time() < end) {
		g_autofree char *online = harness_read(m, "desktops.jsonl");

		g_assert_nonnull(online);
		g_usleep(200 * 1000);
	}
	session(m, "c");
	g_assert_cmpint(harness_route_count(m, "POST /v3/auth/tokens"), >=, 3);
	g_autoptr(GPtrArray) secrets = secrets_of(m, fixed, &seen);
	/* Every login but those the injected faults failed issued a token. */
	g_test_message("%u tokens issued", seen);
	g_assert_cmpuint(seen, >=, 3);
	assert_nowhere(m, log_path, audit_path, secrets);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/secrets/aksk", test_aksk);
	g_test_add_func("/secrets/iam", test_iam);
	return g_test_run();
}
