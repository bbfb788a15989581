/* test-stale.c — the last good data through a real mount while the API fails: after an
 * invalidation (ctl refresh, a failed, refused or successful mutation, a job's end) reads
 * still serve what was read before, the views derived from it too, and /.wksfs/online is 0;
 * only a 404 removes an object; the new data shows once the API is back. And a stalled API
 * costs one timeout per user-visible operation, not one per FUSE step or per object. The
 * emulator's faults make the API fail; its counters and state are the oracle. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define R_DESKTOP "GET /v2/{project_id}/desktops/{desktop_id}"
#define R_LIST "GET /v2/{project_id}/desktops/detail"

static const char *const TENANT[] = {
	"--desktops", "20", "--users", "5", "--seed", "3", "--job-seconds", "600", NULL,
};

#define FAULTS_OFF "{\"fail_rate\": 0, \"stall_ms\": 0, \"methods\": \"\", \"route\": \"\"}"
#define FAIL_503 "{\"fail_rate\": 1.0, \"fail_status\": 503, \"methods\": \"\", \"route\": \"\"}"

static void faults(Mount *m, const char *json)
{
	harness_emu_post(m, "/__emulator/faults", json);
}

static char *read_rel(Mount *m, const char *fmt, const char *name)
{
	g_autofree char *rel = g_strdup_printf(fmt, name);

	return harness_read(m, rel);
}

/* Names of a directory, joined by spaces: one string to compare. */
static char *names_of(Mount *m, const char *rel)
{
	g_autoptr(GPtrArray) names = harness_list(m, rel);

	g_ptr_array_add(names, NULL);
	return g_strjoinv(" ", (char **)names->pdata);
}

/* What a reader sees of one desktop and what is derived from its collection. */
typedef struct {
	char *desktop;
	char *user;
	char *status;
	char *computer_name;
	char *listing;
	char *by_status;	/* desktops-by-status/<status>/ */
	char *user_desktops;	/* users/<user>/desktops/ */
} View;

static void view_clear(View *v)
{
	g_clear_pointer(&v->status, g_free);
	g_clear_pointer(&v->computer_name, g_free);
	g_clear_pointer(&v->listing, g_free);
	g_clear_pointer(&v->by_status, g_free);
	g_clear_pointer(&v->user_desktops, g_free);
}

/* Reads everything; the test fails if any of it cannot be read. */
static void view_read(Mount *m, View *v)
{
	g_autofree char *status = NULL;
	g_autofree char *by_status = NULL;
	g_autofree char *mine = g_strdup_printf("users/%s/desktops", v->user);

	view_clear(v);
	v->status = read_rel(m, "desktops/%s/status", v->desktop);
	g_assert_nonnull(v->status);
	v->computer_name = read_rel(m, "desktops/%s/computer_name", v->desktop);
	g_assert_nonnull(v->computer_name);
	v->listing = names_of(m, "desktops");
	if (!v->status)
		return;		/* failed already; the views have no key */
	status = g_strchomp(g_strdup(v->status));
	by_status = g_strdup_printf("desktops-by-status/%s", status);
	v->by_status = names_of(m, by_status);
	v->user_desktops = names_of(m, mine);
}

static void assert_same_view(Mount *m, View *before)
{
	View now = { before->desktop, before->user };

	view_read(m, &now);
	g_assert_cmpstr(now.status, ==, before->status);
	g_assert_cmpstr(now.computer_name, ==, before->computer_name);
	g_assert_cmpstr(now.listing, ==, before->listing);
	g_assert_cmpstr(now.by_status, ==, before->by_status);
	g_assert_cmpstr(now.user_desktops, ==, before->user_desktops);
	g_assert_true(now.by_status && strstr(now.by_status, before->desktop));
	g_assert_true(now.user_desktops && strstr(now.user_desktops, before->desktop));
	view_clear(&now);
}

static void assert_online(Mount *m, const char *want)
{
	g_autofree char *online = harness_read(m, ".wksfs/online");

	g_assert_cmpstr(online, ==, want);
}

/* An ACTIVE desktop that has a user: the views of both are non-trivial. */
static void pick(Mount *m, View *v)
{
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");

	for (guint i = 0; i < names->len && !v->desktop; i++) {
		g_autofree char *status = read_rel(m, "desktops/%s/status", names->pdata[i]);
		g_autofree char *users = read_rel(m, "desktops/%s/user_list", names->pdata[i]);

		if (g_strcmp0(status, "ACTIVE\n") != 0 || !users || !strchr(users, '\n') ||
		    users[0] == '\n')
			continue;
		*strchr(users, '\n') = '\0';
		v->desktop = g_strdup(names->pdata[i]);
		v->user = g_strdup(users);
	}
	g_assert_nonnull(v->desktop);
}

static void view_free(View *v)
{
	view_clear(v);
	g_free(v->desktop);
	g_free(v->user);
}

/* Back to an API that answers, everything read again fresh (refresh asks at once). */
static void recover(Mount *m, View *v)
{
	faults(m, FAULTS_OFF);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "refresh\n"), ==, 0);
	assert_online(m, "1\n");
	view_read(m, v);
}

/* ctl refresh with the API failing: the refresh itself fails (EIO), and what it marked
 * stale is still served — the object, the listing, the views — with online 0. ctl forget
 * still drops. */
static void test_refresh(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,retries=1,timeout=5");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	view_read(m, &v);
	g_autofree char *one = g_strdup_printf("refresh /desktops/%s\n", v.desktop);
	const char *cmds[] = { one, "refresh /desktops\n", "refresh desktops\n", "refresh\n" };

	for (guint i = 0; i < G_N_ELEMENTS(cmds); i++) {
		g_test_message("%s", cmds[i]);
		faults(m, FAIL_503);
		g_assert_cmpint(harness_write(m, ".wksfs/ctl", cmds[i]), ==, EIO);
		assert_same_view(m, &v);
		assert_online(m, "0\n");
		recover(m, &v);
	}

	/* The twin: forget is the explicit "drop it", so with the API failing nothing is left
	 * to serve. */
	g_autofree char *forget = g_strdup_printf("forget /desktops/%s\n", v.desktop);
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", v.desktop);
	faults(m, FAIL_503);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", forget), ==, 0);
	g_autofree char *dropped = harness_read(m, rel);
	g_assert_null(dropped);
	g_assert_cmpint(errno, ==, EIO);
	faults(m, FAULTS_OFF);
	view_free(&v);
	harness_stop(m);
}

/* A mutation marks the desktop and its collection stale; when the API fails next, reads
 * (and the action file, which needs the object) still work. Failed (503), refused (409)
 * and successful. */
static void test_mutations(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,retries=1,timeout=5");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	view_read(m, &v);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", v.desktop);
	g_autofree char *cn = g_strdup_printf("desktops/%s/computer_name", v.desktop);

	/* Failed: the writer learns it, the readers keep the last good data. */
	faults(m, FAIL_503);
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, EIO);
	assert_same_view(m, &v);
	assert_online(m, "0\n");
	g_autofree char *result = harness_read(m, action);
	g_assert_nonnull(result);
	g_assert_true(g_str_has_prefix(result, "error: "));
	g_assert_cmpint(harness_write(m, cn, "failedname\n"), ==, EIO);
	assert_same_view(m, &v);
	recover(m, &v);

	/* Refused by the API (409), then the API fails. */
	faults(m, "{\"fail_rate\": 1.0, \"fail_status\": 409, \"methods\": \"POST\", "
		  "\"route\": \"\"}");
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, EBUSY);
	faults(m, FAIL_503);
	assert_same_view(m, &v);
	assert_online(m, "0\n");
	g_autofree char *refused = harness_read(m, action);
	g_assert_nonnull(refused);
	g_assert_true(g_str_has_prefix(refused, "error: "));
	recover(m, &v);

	/* Successful (its job runs for ten minutes: nothing else invalidates), then the API
	 * fails: the pre-mutation data is the last good data. */
	gint64 posts = harness_route_count(m, "POST /v2/{project_id}/desktops/action");
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, "POST /v2/{project_id}/desktops/action"), ==,
			posts + 1);
	faults(m, FAIL_503);
	assert_same_view(m, &v);
	assert_online(m, "0\n");
	g_autofree char *job = harness_read(m, action);
	g_assert_nonnull(job);
	g_assert_true(g_str_has_prefix(job, "job "));
	faults(m, FAULTS_OFF);
	view_free(&v);
	harness_stop(m);
}

/* A job's end marks its object stale (cat wait does it at once); the API failing next
 * still leaves what was read. */
static void test_job_end(void)
{
	const char *args[] = { "--desktops", "20", "--users", "5", "--seed", "3",
			       "--job-seconds", "3", NULL };
	Mount *m = harness_start(args, "ttl=600,retries=1,timeout=5,wait_timeout=30");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", v.desktop);
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, 0);
	g_autofree char *job = harness_read(m, action);
	g_assert_nonnull(job);
	g_assert_true(g_str_has_prefix(job, "job "));
	if (!job || !g_str_has_prefix(job, "job ")) {
		harness_stop(m);
		return;
	}
	g_autofree char *wait = g_strdup_printf("jobs/%s/wait", g_strchomp(job + 4));
	view_read(m, &v);	/* read after the stop, before the job's end is seen */
	g_autofree char *final = harness_read(m, wait);
	g_assert_cmpstr(final, ==, "SUCCESS\n");
	faults(m, FAIL_503);
	assert_same_view(m, &v);
	assert_online(m, "0\n");
	faults(m, FAULTS_OFF);
	view_free(&v);
	harness_stop(m);
}

/* Only a 404 removes an object: stale through a failed refresh, gone after a 404, and not
 * resurrected when the API fails again. */
static void test_gone(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,retries=1,timeout=5");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	view_read(m, &v);
	g_autofree char *one = g_strdup_printf("refresh desktops/%s\n", v.desktop);
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", v.desktop);

	faults(m, FAIL_503);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", one), ==, EIO);
	g_autofree char *stale = harness_read(m, rel);
	g_assert_cmpstr(stale, ==, v.status);
	faults(m, "{\"fail_rate\": 1.0, \"fail_status\": 404, \"methods\": \"\", "
		  "\"route\": \"" R_DESKTOP "\"}");
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", one), ==, ENOENT);
	g_autofree char *gone = harness_read(m, rel);
	g_assert_null(gone);
	g_assert_cmpint(errno, ==, ENOENT);
	faults(m, FAIL_503);
	g_autofree char *still = harness_read(m, rel);
	g_assert_null(still);
	faults(m, FAULTS_OFF);
	view_free(&v);
	harness_stop(m);
}

/* A change made while reads fail (GETs fail, the PUT goes through) shows once the API is
 * back; until then the last good value does. */
static void test_recovery(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,retries=1,timeout=5");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	view_read(m, &v);
	g_autofree char *cn = g_strdup_printf("desktops/%s/computer_name", v.desktop);

	faults(m, "{\"fail_rate\": 1.0, \"fail_status\": 503, \"methods\": \"GET\", "
		  "\"route\": \"\"}");
	g_assert_cmpint(harness_write(m, cn, "newname-7\n"), ==, 0);
	g_autofree char *during = harness_read(m, cn);
	g_assert_cmpstr(during, ==, v.computer_name);
	assert_online(m, "0\n");
	faults(m, FAULTS_OFF);

	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	g_autofree char *now = NULL;
	while (g_get_monotonic_time() < deadline) {
		g_free(now);
		now = harness_read(m, cn);
		if (g_strcmp0(now, "newname-7\n") == 0)
			break;
		g_usleep(100 * 1000);
	}
	g_assert_cmpstr(now, ==, "newname-7\n");
	assert_online(m, "1\n");
	view_free(&v);
	harness_stop(m);
}

/* ---- a stalled API ---- */

#define TIMEOUT_S 2
#define STALL "{\"stall_ms\": 60000, \"methods\": \"\", \"route\": \"\"}"

static gint64 elapsed_ms(gint64 since_us)
{
	return (g_get_monotonic_time() - since_us) / 1000;
}

/* An expired file, the API stalled: one `cat` (lookup, lookup, open, read) returns the
 * stale value after one timeout, not one per step. */
static void test_stall_cat(void)
{
	Mount *m = harness_start(TENANT, "ttl=1,timeout=2");
	View v = { 0 };

	if (!m)
		return;
	pick(m, &v);
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", v.desktop);
	g_autofree char *before = harness_read(m, rel);

	g_usleep(1100 * 1000);	/* past the 1 s TTL: the next read must try the API */
	faults(m, STALL);
	gint64 t0 = g_get_monotonic_time();
	g_autofree char *during = harness_read(m, rel);
	gint64 took = elapsed_ms(t0);

	g_test_message("cat of an expired file, API stalled: %" G_GINT64_FORMAT " ms", took);
	g_assert_cmpstr(during, ==, before);
	g_assert_cmpint(took, <, 2 * TIMEOUT_S * 1000 - 300);
	assert_online(m, "0\n");
	faults(m, FAULTS_OFF);
	view_free(&v);
	harness_stop(m);
}

/* stat of every one of 20 expired desktops and a read of each status, the API stalled:
 * the listing waits one timeout, every object after it is answered at once (the outage
 * window). Then the stall ends and fresh data shows. */
static void test_stall_walk(void)
{
	Mount *m = harness_start(TENANT, "ttl=1,timeout=2");
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GPtrArray) before = g_ptr_array_new_with_free_func(g_free);

	if (!m)
		return;
	names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, 20);
	for (guint i = 0; i < names->len; i++)
		g_ptr_array_add(before, read_rel(m, "desktops/%s/status", names->pdata[i]));

	g_usleep(1100 * 1000);	/* everything expired */
	faults(m, STALL);
	gint64 t0 = g_get_monotonic_time();
	g_autoptr(GPtrArray) during = harness_list(m, "desktops");
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = NULL;
		g_autofree char *rel = g_strdup_printf("desktops/%s", (char *)names->pdata[i]);
		g_autofree char *status = NULL;
		struct stat st;

		path = harness_path(m, rel);
		g_assert_no_errno(stat(path, &st));
		status = read_rel(m, "desktops/%s/status", names->pdata[i]);
		g_assert_cmpstr(status, ==, before->pdata[i]);
	}
	gint64 took = elapsed_ms(t0);

	g_test_message("ls -l and cat status of 20 expired desktops, API stalled: %"
		       G_GINT64_FORMAT " ms", took);
	g_assert_cmpuint(during->len, ==, names->len);
	g_assert_cmpint(took, <, 3 * TIMEOUT_S * 1000);
	assert_online(m, "0\n");

	/* The stall ends: after the window, a stat asks the API again (the emulator counts
	 * it) and the mount is online again. The desktop did not change, so its mtime (when
	 * wksfs first saw it as it is) stays: the re-fetch brought the same bytes. */
	g_autofree char *rel = g_strdup_printf("desktops/%s", (char *)names->pdata[0]);
	g_autofree char *path = harness_path(m, rel);
	struct stat st0, st;
	g_assert_no_errno(stat(path, &st0));
	faults(m, FAULTS_OFF);
	harness_reset_stats(m);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	gboolean asked = FALSE;
	while (!asked && g_get_monotonic_time() < deadline) {
		g_assert_no_errno(stat(path, &st));
		asked = harness_route_count(m, R_DESKTOP) + harness_route_count(m, R_LIST) >= 1;
		if (!asked)
			g_usleep(100 * 1000);
	}
	g_assert_true(asked);
	assert_online(m, "1\n");
	g_assert_cmpint(st.st_mtime, ==, st0.st_mtime);
	g_autofree char *status = read_rel(m, "desktops/%s/status", names->pdata[0]);
	g_assert_cmpstr(status, ==, before->pdata[0]);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/stale/refresh", test_refresh);
	g_test_add_func("/stale/mutations", test_mutations);
	g_test_add_func("/stale/job-end", test_job_end);
	g_test_add_func("/stale/gone", test_gone);
	g_test_add_func("/stale/recovery", test_recovery);
	g_test_add_func("/stale/stall-cat", test_stall_cat);
	g_test_add_func("/stale/stall-walk", test_stall_walk);
	return g_test_run();
}
