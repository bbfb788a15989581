/* test-client.c — the Workspace client under a bad network and odd credentials, mounted for
 * real: retries, time bounds, never resending a mutation, IAM tokens, the credentials file,
 * project lookup, concurrent paging. The emulator's counters and faults are the oracle. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PROJECT "0123456789abcdef0123456789abcdef"

static char *first_entry(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	DIR *d = opendir(path);
	struct dirent *de;
	char *name = NULL;

	g_assert_nonnull(d);
	while (!name && (de = readdir(d)))
		if (de->d_name[0] != '.')
			name = g_strdup(de->d_name);
	closedir(d);
	return name;
}

static char *write_private(Mount *m, const char *name, const char *text, int mode)
{
	char *path = g_build_filename(m->workdir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_no_errno(chmod(path, mode));
	return path;
}

/* 30% of requests fail with 503: retries make every read succeed. Each read is a few GETs
 * (lookup, open); with retries=10 one GET fails for good with p = 0.3^11 ~ 2e-6, so 40
 * reads cannot flake (with the default 4 it would be 0.3^5 ~ 0.24% per GET). */
static void test_retry_503(void)
{
	Mount *m = harness_start(NULL, "ttl=0,retries=10");

	if (!m)
		return;
	g_autofree char *user = first_entry(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);

	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0.3, \"fail_status\": 503}");
	for (int i = 0; i < 40; i++) {
		g_autofree char *email = harness_read(m, rel);

		if (!email)
			g_test_fail_printf("read %d failed: %s", i, g_strerror(errno));
	}
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/users"), >, 40);
	harness_stop(m);
}

/* Every request fails: reads fail with EIO, within the time budget. */
static void test_fail_all_bounded(void)
{
	Mount *m = harness_start(NULL, "ttl=0,timeout=3");

	if (!m)
		return;
	g_autofree char *user = first_entry(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);

	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 503}");
	gint64 t0 = g_get_monotonic_time();
	g_autofree char *email = harness_read(m, rel);
	gint64 took = g_get_monotonic_time() - t0;
	g_assert_null(email);
	g_assert_cmpint(errno, ==, EIO);
	g_assert_cmpint(took, <, 4 * G_USEC_PER_SEC);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	harness_stop(m);
}

/* A POST answered with 500 is never sent again. */
static void test_post_not_repeated(void)
{
	const char *args[] = { "--desktops", "5", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autofree char *d = first_entry(m, "desktops");
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *status_rel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *status = harness_read(m, status_rel);
	const char *verb = g_str_has_prefix(status, "ACTIVE") ? "reboot\n" : "start\n";

	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 500}");
	g_assert_cmpint(harness_write(m, action, verb), ==, EIO);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_assert_cmpint(harness_route_count(m, "POST /v2/{project_id}/desktops/action"), ==, 1);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "POST /v2/" PROJECT "/desktops/action 500"));
	harness_stop(m);
}

/* Nothing listens: the mount fails at once with a reason, nothing mounted. */
static void test_closed_port(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	int port = m->port;
	m->port = 1;	/* nothing listens on port 1 */
	gint64 t0 = g_get_monotonic_time();
	g_assert_false(harness_mount(m, NULL));
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 15 * G_USEC_PER_SEC);
	g_assert_cmpint(WEXITSTATUS(m->fs_status), !=, 0);
	g_autofree char *log = NULL;
	g_file_get_contents(m->fs_log, &log, NULL, NULL);
	g_assert_nonnull(strstr(log, "cannot reach http://127.0.0.1:1"));
	m->port = port;
	harness_stop(m);
}

/* A wrong project id is named in the one-line reason. */
static void test_wrong_project(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", "ffffffffffffffffffffffffffffffff");
	g_assert_false(harness_mount(m, NULL));
	g_assert_cmpint(WEXITSTATUS(m->fs_status), !=, 0);
	g_autofree char *log = NULL;
	g_file_get_contents(m->fs_log, &log, NULL, NULL);
	g_assert_nonnull(strstr(log, "project"));
	harness_stop(m);
}

/* IAM password login; tokens that expire every 2 s are renewed invisibly. */
static void test_iam_token_expiry(void)
{
	const char *args[] = { "--token-ttl", "2", NULL };
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return;
	g_autofree char *pw = write_private(m, "password", "EMULATORPASSWORD\n", 0600);
	g_autofree char *opts = g_strdup_printf(
		"ttl=0,iam_endpoint=http://127.0.0.1:%d,iam_user=admin,iam_domain=demo-domain,"
		"password_file=%s,region=ap-southeast-1", m->port, pw);
	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HOME", m->workdir);	/* no credentials file either */
	if (!harness_mount(m, opts)) {
		g_test_fail_printf("IAM login mount failed");
		harness_stop(m);
		return;
	}
	g_autofree char *project = harness_read(m, ".wksfs/project_id");
	g_assert_cmpstr(project, ==, PROJECT "\n");
	g_autofree char *user = first_entry(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	int reads = 0;
	while (g_get_monotonic_time() < end) {
		g_autofree char *email = harness_read(m, rel);

		if (!email)
			g_test_fail_printf("read failed after %d reads: %s", reads,
					   g_strerror(errno));
		reads++;
		g_usleep(100 * 1000);
	}
	g_assert_cmpint(harness_route_count(m, "POST /v3/auth/tokens"), >=, 3);

	/* The same password file readable by others is refused before anything is sent. */
	harness_stop(m);
}

static void test_password_file_mode(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	g_autofree char *pw = write_private(m, "password", "EMULATORPASSWORD\n", 0644);
	g_autofree char *opts = g_strdup_printf(
		"iam_endpoint=http://127.0.0.1:%d,iam_user=admin,iam_domain=demo-domain,"
		"password_file=%s,region=ap-southeast-1", m->port, pw);
	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HOME", m->workdir);
	g_assert_false(harness_mount(m, opts));
	g_autofree char *log = NULL;
	g_file_get_contents(m->fs_log, &log, NULL, NULL);
	g_assert_nonnull(strstr(log, "readable by group or others"));
	g_assert_null(strstr(log, "EMULATORPASSWORD"));
	g_assert_cmpint(harness_route_count(m, "total"), ==, 0);
	harness_stop(m);
}

/* ~/.huaweicloud/credentials: refused when others can read it, used when private; with no
 * project id the project is looked up through IAM by region, as the SDKs do. */
static void test_credentials_file_and_project_lookup(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	g_autofree char *file = write_private(m, "credentials",
					      "[basic]\nak = EMULATORAK\nsk = EMULATORSK\n", 0644);
	g_autofree char *opts = g_strdup_printf("iam_endpoint=http://127.0.0.1:%d,"
						"region=ap-southeast-1", m->port);
	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_CREDENTIALS_FILE", file);
	g_assert_false(harness_mount(m, opts));
	g_autofree char *log = NULL;
	g_file_get_contents(m->fs_log, &log, NULL, NULL);
	g_assert_nonnull(strstr(log, "chmod 600"));
	g_assert_null(strstr(log, "EMULATORSK"));

	g_assert_no_errno(chmod(file, 0600));
	harness_reset_stats(m);
	g_assert_true(harness_mount(m, opts));
	g_autofree char *project = harness_read(m, ".wksfs/project_id");
	g_assert_cmpstr(project, ==, PROJECT "\n");
	g_assert_cmpint(harness_route_count(m, "GET /v3/projects"), ==, 1);
	harness_stop(m);
}

/* The pages after the first are fetched at once, never more than max_conns in flight. */
static void test_concurrent_paging(void)
{
	const char *args[] = { "--desktops", "10000", "--users", "10", "--latency-ms", "50", NULL };
	Mount *m = harness_start(args, "ttl=60,max_conns=6");

	if (!m)
		return;
	harness_reset_stats(m);
	g_autofree char *path = harness_path(m, "desktops");
	DIR *d = opendir(path);
	int n = 0;
	while (readdir(d))
		n++;
	closedir(d);
	g_assert_cmpint(n, ==, 10000 + 3);	/* and ., .., .create */
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/desktops/detail"), ==, 20);
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	int peak = cJSON_GetObjectItem(stats, "peak_in_flight")->valueint;
	cJSON_Delete(stats);
	g_assert_cmpint(peak, <=, 6);
	g_assert_cmpint(peak, >=, 4);
	harness_stop(m);
}

typedef struct {
	Mount *m;
	char *rel;
	char *result;
	int err;
	gint64 took_us;
} ReadJob;

static gpointer read_job(gpointer data)
{
	ReadJob *j = data;
	gint64 t0 = g_get_monotonic_time();

	j->result = harness_read(j->m, j->rel);
	j->err = j->result ? 0 : errno;
	j->took_us = g_get_monotonic_time() - t0;
	return NULL;
}

/* A request that stalls past -o timeout fails with ETIMEDOUT in time, and the rest of the
 * mount keeps answering meanwhile. */
static void test_stall(void)
{
	const char *args[] = { "--users", "6", NULL };
	Mount *m = harness_start(args, "ttl=600,timeout=2");

	if (!m)
		return;
	g_autofree char *u0 = first_entry(m, "users");
	g_autofree char *cached = g_strdup_printf("users/%s/email", u0);
	g_autofree char *warm = harness_read(m, cached);

	/* Forget one user so reading it needs the API, then stall every GET for 10 s. */
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget users\n"), ==, 0);
	g_autofree char *again = harness_read(m, cached);	/* re-listed and cached */
	g_assert_cmpstr(again, ==, warm);
	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 10000, \"methods\": \"GET\"}");
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget users\n"), ==, 0);
	ReadJob job = { m, g_strdup(cached), NULL, 0, 0 };
	GThread *t = g_thread_new("stalled-read", read_job, &job);

	/* Meanwhile: the mount's own files answer at once. */
	g_usleep(300 * 1000);
	gint64 t0 = g_get_monotonic_time();
	g_autofree char *version = harness_read(m, ".wksfs/version");
	g_assert_nonnull(version);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, G_USEC_PER_SEC / 2);

	g_thread_join(t);
	g_assert_null(job.result);
	g_assert_cmpint(job.err, ==, ETIMEDOUT);
	g_assert_cmpint(job.took_us, <, 3500 * 1000);	/* timeout 2 s + 1 s */
	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 0}");
	g_free(job.rel);
	harness_stop(m);
}

static double request_time(const cJSON *log, const char *route, const char *fault, int nth)
{
	const cJSON *r;
	int seen = 0;

	cJSON_ArrayForEach(r, log) {
		if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(r, "route")), route) != 0)
			continue;
		if (fault && g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(r, "fault")),
				       fault) != 0)
			continue;
		if (seen++ == nth)
			return cJSON_GetObjectItem(r, "t_ms")->valuedouble;
	}
	return -1;
}

/* 429 with Retry-After: 2 — the next attempt comes no sooner than 2 s later (the
 * emulator's timestamps), and the read then succeeds. */
static void test_retry_after(void)
{
	const char *args[] = { "--users", "6", NULL };
	Mount *m = harness_start(args, "ttl=0");

	if (!m)
		return;
	g_autofree char *u0 = first_entry(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", u0);

	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 429, "
				 "\"retry_after_s\": 2, \"methods\": \"GET\"}");
	ReadJob job = { m, rel, NULL, 0, 0 };
	GThread *t = g_thread_new("throttled-read", read_job, &job);
	/* Let the first attempt be throttled, then lift the limit. */
	gint64 deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (harness_route_count(m, "GET /v2/{project_id}/users") < 1 &&
	       g_get_monotonic_time() < deadline)
		g_usleep(20 * 1000);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_thread_join(t);
	g_assert_nonnull(job.result);

	cJSON *log = harness_emu_get(m, "/__emulator/requests");
	double first = request_time(log, "GET /v2/{project_id}/users", "fail", 0);
	double next = request_time(log, "GET /v2/{project_id}/users", "none", 0);
	cJSON_Delete(log);
	g_assert_cmpfloat(first, >=, 0);
	g_assert_cmpfloat(next, >=, first + 2000);
	g_autofree char *throttled = harness_read(m, ".wksfs/stats/throttled");
	g_assert_cmpint(atoi(throttled), >=, 1);
	g_free(job.result);
	harness_stop(m);
}

/* Resets, truncated and malformed answers to reads are retried until a good one comes. */
static void test_bad_answers(void)
{
	static const char *const faults[] = {
		"{\"reset_rate\": 0.3, \"methods\": \"GET\"}",
		"{\"truncate_rate\": 0.3, \"methods\": \"GET\"}",
		"{\"malformed_rate\": 0.3, \"methods\": \"GET\"}",
	};
	const char *args[] = { "--users", "6", NULL };
	Mount *m = harness_start(args, "ttl=0,retries=10");

	if (!m)
		return;
	g_autofree char *u0 = first_entry(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", u0);
	g_autofree char *good = harness_read(m, rel);

	for (gsize f = 0; f < G_N_ELEMENTS(faults); f++) {
		harness_emu_post(m, "/__emulator/faults", faults[f]);
		for (int i = 0; i < 15; i++) {
			g_autofree char *email = harness_read(m, rel);

			if (g_strcmp0(email, good) != 0)
				g_test_fail_printf("%s: read %d gave %s (%s)", faults[f], i,
						   email ? email : "nothing", g_strerror(errno));
		}
		harness_emu_post(m, "/__emulator/faults",
				 "{\"reset_rate\": 0, \"truncate_rate\": 0, \"malformed_rate\": 0}");
	}
	g_autofree char *retries = harness_read(m, ".wksfs/stats/retries");
	g_assert_cmpint(atoi(retries), >=, 3);
	harness_stop(m);
}

/* An untrusted certificate stops the mount with a reason; with -o cafile= it mounts. */
static void test_tls(void)
{
	const char *why = harness_unusable_reason();
	Mount *m;

	if (why) {
		g_test_skip(why);
		return;
	}
	m = harness_emulator_tls(NULL);
	if (!m)
		return;
	gint64 t0 = g_get_monotonic_time();
	g_assert_false(harness_mount(m, NULL));
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 15 * G_USEC_PER_SEC);
	g_assert_cmpint(WEXITSTATUS(m->fs_status), !=, 0);
	g_autofree char *log = NULL;
	g_file_get_contents(m->fs_log, &log, NULL, NULL);
	g_assert_nonnull(strstr(log, "certificate"));
	g_assert_cmpint(harness_route_count(m, "total"), ==, 0);

	g_autofree char *opts = g_strdup_printf("cafile=%s", m->ca_file);
	g_assert_true(harness_mount(m, opts));
	g_autofree char *endpoint = harness_read(m, ".wksfs/endpoint");
	g_assert_true(g_str_has_prefix(endpoint, "https://127.0.0.1:"));
	g_autofree char *d = first_entry(m, "desktops");
	g_assert_nonnull(d);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/client/retry-503", test_retry_503);
	g_test_add_func("/client/fail-all-bounded", test_fail_all_bounded);
	g_test_add_func("/client/post-not-repeated", test_post_not_repeated);
	g_test_add_func("/client/closed-port", test_closed_port);
	g_test_add_func("/client/wrong-project", test_wrong_project);
	g_test_add_func("/client/iam-token-expiry", test_iam_token_expiry);
	g_test_add_func("/client/password-file-mode", test_password_file_mode);
	g_test_add_func("/client/credentials-file", test_credentials_file_and_project_lookup);
	g_test_add_func("/client/concurrent-paging", test_concurrent_paging);
	g_test_add_func("/client/tls", test_tls);
	g_test_add_func("/client/stall", test_stall);
	g_test_add_func("/client/retry-after", test_retry_after);
	g_test_add_func("/client/bad-answers", test_bad_answers);
	return g_test_run();
}
