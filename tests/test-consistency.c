/* test-consistency.c — the cache seen through a real mount: single flight across processes,
 * expiry (with cache-off twins), st_mtime as the version of the bytes (kept by a re-fetch
 * of the same, moved by a change), a job's result showing without waiting for the TTL,
 * stale data and /.wksfs/online when the API is down, the memory bound, /.wksfs/ctl. The
 * emulator's counters are the oracle. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_USERS "GET /v2/{project_id}/users"
#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_DESKTOP "GET /v2/{project_id}/desktops/{desktop_id}"

static gint64 stat_file(Mount *m, const char *name)
{
	g_autofree char *rel = g_strdup_printf(".wksfs/stats/%s", name);
	g_autofree char *text = harness_read(m, rel);

	g_assert_nonnull(text);
	return g_ascii_strtoll(text, NULL, 10);
}

static char *entry(Mount *m, const char *rel, int index)
{
	g_autofree char *path = harness_path(m, rel);
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(path);
	struct dirent *de;

	g_assert_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	g_assert_cmpuint(names->len, >, (guint)index);
	return g_strdup(names->pdata[index]);
}

/* 16 processes read one cold file at once: one GET, 15 coalesced. The kernel keeps the
 * dentries (entry_timeout) so the 16 requests reach wksfs for the same object together. */
static void test_single_flight(void)
{
	const char *args[] = { "--users", "20", NULL };
	Mount *m = harness_start(args, "ttl=60,ttl_users=1");

	if (!m)
		return;
	g_autofree char *user = entry(m, "users", 3);
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	g_autofree char *path = harness_path(m, rel);
	g_autofree char *warm = harness_read(m, rel);	/* dentries now known to the kernel */
	g_assert_nonnull(warm);

	g_usleep(1200 * 1000);	/* the 1 s user TTL lapses: the object is cold again */
	/* The GET must outlast the 16 requests' arrival: under valgrind (harness_slowdown())
	 * they take seconds to reach it, and one arriving after the answer is a cache hit. */
	g_autofree char *latency = g_strdup_printf("{\"latency_ms\": %d}",
						   500 * harness_slowdown());
	harness_emu_post(m, "/__emulator/faults", latency);
	harness_reset_stats(m);
	gint64 coalesced0 = stat_file(m, "coalesced");
	GPid pids[16];
	for (int i = 0; i < 16; i++) {
		const char *argv[] = { "cat", path, NULL };

		g_assert_true(g_spawn_async(NULL, (char **)argv, NULL,
					    G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
					    G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pids[i], NULL));
	}
	for (int i = 0; i < 16; i++) {
		int status;

		g_assert_cmpint(waitpid(pids[i], &status, 0), ==, pids[i]);
		g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	harness_emu_post(m, "/__emulator/faults", "{\"latency_ms\": 0}");
	g_assert_cmpint(harness_route_count(m, R_USERS), ==, 1);
	g_assert_cmpint(stat_file(m, "coalesced") - coalesced0, ==, 15);
	harness_stop(m);
}

/* A second read inside the TTL costs nothing, one after it exactly one GET. */
static void expiry(const char *options, gint64 *ret_inside, gint64 *ret_after)
{
	const char *args[] = { "--users", "5", NULL };
	Mount *m = harness_start(args, options);

	*ret_inside = *ret_after = -1;
	if (!m)
		return;
	g_autofree char *user = entry(m, "users", 1);
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	g_autofree char *first = harness_read(m, rel);

	harness_reset_stats(m);
	g_autofree char *second = harness_read(m, rel);
	*ret_inside = harness_route_count(m, R_USERS);
	g_usleep(2100 * 1000);	/* past the 2 s TTL */
	harness_reset_stats(m);
	g_autofree char *third = harness_read(m, rel);
	*ret_after = harness_route_count(m, R_USERS);
	g_assert_cmpstr(first, ==, third);
	harness_stop(m);
}

static void test_expiry(void)
{
	gint64 inside, after;

	expiry("ttl=2", &inside, &after);
	if (inside < 0)
		return;
	g_assert_cmpint(inside, ==, 0);
	g_assert_cmpint(after, ==, 1);
}

static void test_expiry_cache_off(void)
{
	gint64 inside, after;

	/* The twin: with ttl=0 every read goes to the API. */
	expiry("ttl=0", &inside, &after);
	if (inside < 0)
		return;
	g_assert_cmpint(inside, >=, 1);
	g_assert_cmpint(after, >=, 1);
}

static char *active_desktop(Mount *m)
{
	for (int i = 0; i < 10; i++) {
		g_autofree char *d = entry(m, "desktops", i);
		g_autofree char *rel = g_strdup_printf("desktops/%s/status", d);
		g_autofree char *s = harness_read(m, rel);

		if (g_strcmp0(s, "ACTIVE\n") == 0)
			return g_steal_pointer(&d);
	}
	return NULL;
}

/* After `echo stop > action`, the new state shows when the job ends, long before the TTL. */
static void test_job_refreshes(void)
{
	const char *args[] = { "--desktops", "10", "--job-seconds", "1", NULL };
	Mount *m = harness_start(args, "ttl=600");

	if (!m)
		return;
	g_autofree char *d = active_desktop(m);
	g_assert_nonnull(d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *path = harness_path(m, rel);

	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, 0);
	gint64 t0 = g_get_monotonic_time();
	gboolean seen = FALSE;
	while (!seen && g_get_monotonic_time() - t0 < 20 * G_USEC_PER_SEC) {
		g_autofree char *s = harness_read(m, rel);
		struct stat st;

		seen = g_strcmp0(s, "SHUTOFF\n") == 0;
		/* The kernel was told too: the size it reports matches the new value. */
		if (seen) {
			g_assert_no_errno(stat(path, &st));
			g_assert_cmpint(st.st_size, ==, strlen("SHUTOFF\n"));
		} else {
			g_usleep(100 * 1000);
		}
	}
	g_assert_true(seen);
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/workspace-jobs/{job_id}"),
			>=, 1);
	harness_stop(m);
}

/* The API goes away: what was read still reads back, with its fetch time, online is 0;
 * when the API is back, online is 1 again. */
static void test_stale_on_error(void)
{
	const char *args[] = { "--users", "5", NULL };
	Mount *m = harness_start(args, "ttl=1,retries=1,timeout=5");

	if (!m)
		return;
	g_autofree char *user = entry(m, "users", 2);
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	g_autofree char *path = harness_path(m, rel);
	g_autofree char *before = harness_read(m, rel);
	struct stat st0, st1;

	g_assert_no_errno(stat(path, &st0));
	g_autofree char *on = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(on, ==, "1\n");
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 503}");
	g_usleep(1100 * 1000);	/* past the TTL: the next read must try the API */
	g_autofree char *during = harness_read(m, rel);
	g_assert_cmpstr(during, ==, before);
	g_assert_no_errno(stat(path, &st1));
	g_assert_cmpint(st1.st_mtime, ==, st0.st_mtime);
	g_autofree char *off = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(off, ==, "0\n");
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, " 503 "));
	g_assert_cmpint(stat_file(m, "stale"), >=, 1);

	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_usleep(1100 * 1000);
	g_autofree char *after = harness_read(m, rel);
	g_assert_cmpstr(after, ==, before);
	g_autofree char *back = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(back, ==, "1\n");
	harness_stop(m);
}

static void test_no_stale_on_error(void)
{
	const char *args[] = { "--users", "5", NULL };
	Mount *m = harness_start(args, "ttl=1,retries=1,timeout=5,no_stale_on_error");

	if (!m)
		return;
	g_autofree char *user = entry(m, "users", 2);
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	g_autofree char *before = harness_read(m, rel);

	/* The twin: the failure shows instead of the last good value. */
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 503}");
	g_usleep(1100 * 1000);
	g_autofree char *during = harness_read(m, rel);
	g_assert_null(during);
	g_assert_cmpint(errno, ==, EIO);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	harness_stop(m);
}

static struct stat stat_rel(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	struct stat st = { 0 };

	g_assert_no_errno(stat(path, &st));
	return st;
}

/* st_mtime is when wksfs first saw the object as it is: a re-fetch after the TTL that
 * brings the same bytes keeps it (the emulator counts the re-fetch), one after another
 * client changed the object moves it, for the object's directory and its files alike. */
static void test_version_mtime(void)
{
	const char *args[] = { "--users", "5", NULL };
	Mount *m = harness_start(args, "ttl=1");
	Mount *other = NULL;

	if (!m)
		return;
	g_autofree char *user = entry(m, "users", 1);
	g_autofree char *dir = g_strdup_printf("users/%s", user);
	g_autofree char *rel = g_strdup_printf("users/%s/description", user);
	g_autofree char *first = harness_read(m, rel);
	struct stat file0 = stat_rel(m, rel), dir0 = stat_rel(m, dir);

	/* Past the TTL, and into a later second than the first fetch's. */
	harness_reset_stats(m);
	g_usleep(1200 * 1000);
	struct stat file1 = stat_rel(m, rel), dir1 = stat_rel(m, dir);
	g_assert_cmpint(harness_route_count(m, R_USERS), >=, 1);
	g_assert_cmpint(file1.st_mtime, ==, file0.st_mtime);
	g_assert_cmpint(dir1.st_mtime, ==, dir0.st_mtime);

	/* The twin: another client changes the object; the next re-fetch moves the mtime. */
	other = harness_mount_beside(m, "ttl=0");
	if (other) {
		g_assert_cmpint(harness_write(other, rel, "changed elsewhere\n"), ==, 0);
		harness_reset_stats(m);
		g_usleep(1200 * 1000);
		struct stat file2 = stat_rel(m, rel), dir2 = stat_rel(m, dir);
		g_autofree char *second = harness_read(m, rel);

		g_assert_cmpint(harness_route_count(m, R_USERS), >=, 1);
		g_assert_cmpstr(second, ==, "changed elsewhere\n");
		g_assert_cmpstr(second, !=, first);
		g_assert_cmpint(file2.st_mtime, >, file1.st_mtime);
		g_assert_cmpint(dir2.st_mtime, >, dir1.st_mtime);
		g_assert_cmpint(file2.st_size, ==, (off_t)strlen(second));
	}
	harness_stop(other);
	harness_stop(m);
}

/* /.wksfs/ctl: refresh refetches now, forget drops; bad commands are EINVAL. */
static void test_ctl(void)
{
	const char *args[] = { "--desktops", "8", NULL };
	Mount *m = harness_start(args, "ttl=600");

	if (!m)
		return;
	g_autofree char *d = entry(m, "desktops", 0);
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *s = harness_read(m, rel);

	harness_reset_stats(m);
	g_autofree char *cmd = g_strdup_printf("refresh desktops/%s\n", d);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", cmd), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DESKTOP), ==, 1);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "refresh desktops\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 1);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget\n"), ==, 0);
	g_autofree char *again = harness_read(m, rel);
	g_assert_cmpstr(again, ==, s);
	g_assert_cmpint(harness_route_count(m, R_LIST) + harness_route_count(m, R_DESKTOP), ==, 3);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "explode\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "refresh nosuchkind\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, ".wksfs/stats/api_calls", "0\n"), ==, EACCES);
	harness_stop(m);
}

static gint64 rss_kb(GPid pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
	g_autofree char *text = NULL;
	const char *p;

	if (!g_file_get_contents(path, &text, NULL, NULL) || !(p = strstr(text, "VmRSS:")))
		return -1;
	return g_ascii_strtoll(p + 6, NULL, 10);
}

/* Reading a tenant several times the bound keeps the cache within max_cache_mb; RSS stays
 * within the bound plus a fixed overhead (README: "Memory"). */
static void test_memory_bound(void)
{
	if (g_getenv("WKSFS_SANITIZED")) {
		g_test_skip("resident size is meaningless under AddressSanitizer");
		return;
	}
	if (harness_under_valgrind()) {
		/* Its bound is the cache's bound plus a few MB: memcheck's own memory is larger
		 * than that margin, so nothing would be checked. */
		g_test_skip("resident size is memcheck's under valgrind, not the daemon's");
		return;
	}
	const char *args[] = { "--desktops", "30000", "--users", "10", NULL };
	Mount *m = harness_start(args, "ttl=600,max_cache_mb=16,max_conns=4");

	if (!m)
		return;
	gint64 base = rss_kb(m->fs_pid);
	g_autofree char *path = harness_path(m, "desktops");
	DIR *dir = opendir(path);
	int n = 0;
	while (readdir(dir))
		n++;
	closedir(dir);
	g_assert_cmpint(n, ==, 30003);	/* and ., .., .create */
	gint64 bytes = stat_file(m, "cache_bytes");
	gint64 rss = rss_kb(m->fs_pid);
	g_test_message("RSS %" G_GINT64_FORMAT " kB before, %" G_GINT64_FORMAT
		       " kB after listing 30000 desktops (~75 MB of JSON); cache %" G_GINT64_FORMAT
		       " bytes", base, rss, bytes);
	g_assert_cmpint(bytes, <=, 16 << 20);
	g_assert_cmpint(stat_file(m, "cache_entries"), <, 30000);
	/* 16 MB of cache + 32 MB of measured overhead (README, "Memory"): ~12 MB at start
	 * plus the names and allocator slack, ~38 MB in all when measured. */
	g_assert_cmpint(rss, <, (16 + 32) * 1024);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/consistency/single-flight", test_single_flight);
	g_test_add_func("/consistency/expiry", test_expiry);
	g_test_add_func("/consistency/expiry-cache-off", test_expiry_cache_off);
	g_test_add_func("/consistency/job-refreshes", test_job_refreshes);
	g_test_add_func("/consistency/stale-on-error", test_stale_on_error);
	g_test_add_func("/consistency/no-stale-on-error", test_no_stale_on_error);
	g_test_add_func("/consistency/version-mtime", test_version_mtime);
	g_test_add_func("/consistency/ctl", test_ctl);
	g_test_add_func("/consistency/memory-bound", test_memory_bound);
	return g_test_run();
}
