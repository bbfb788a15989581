/* test-snapshot.c — -o snapshot=PATH (issue 13): a mount saves its last good data (on a timer
 * and at unmount, mode 0600, no secret in it); with the API gone, a new mount starts from it
 * offline (every desktop listed, the files as they were with their mtimes, /.wksfs/online 0,
 * /.wksfs/snapshot_age, every write refused with EROFS and nothing sent) and goes online by
 * itself once the API answers again. A snapshot of another project, a corrupt or truncated
 * one, is refused; bad credentials fail as without a snapshot; max_cache_mb bounds it. */
#include "tests/harness.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define OPTS "ttl=600,retries=1,timeout=5,snapshot_interval=1,allow_delete"

static const char *const TENANT[] = {
	"--desktops", "12", "--users", "4", "--seed", "5", "--job-seconds", "600", NULL,
};

static char *snapshot_path(Mount *m)
{
	return g_build_filename(m->workdir, "wksfs.snapshot", NULL);
}

static char *options(Mount *m, const char *more)
{
	g_autofree char *path = snapshot_path(m);

	return g_strdup_printf(OPTS ",snapshot=%s%s%s", path, more ? "," : "", more ? more : "");
}

/* A mount that must fail: FALSE from harness_mount, and its log says want. */
static void assert_refused(Mount *m, const char *opts, const char *want)
{
	g_autofree char *all = NULL;
	struct stat st = { 0 };
	const char *log;

	stat(m->fs_log, &st);	/* the log is appended to: this mount's lines come after */
	g_assert_false(harness_mount(m, opts));
	g_assert_true(g_file_get_contents(m->fs_log, &all, NULL, NULL));
	log = all + MIN((gsize)st.st_size, strlen(all));
	if (!strstr(log, want) || strstr(log, "mounting offline from"))
		g_test_fail_printf("the log lacks \"%s\" (or mounted offline):\n%s", want, log);
}

static gint64 mtime_of(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	struct stat st;

	g_assert_cmpint(stat(path, &st), ==, 0);
	return (gint64)st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
}

/* What a reader saw of every desktop: its status and computer_name, and their mtimes. */
typedef struct {
	GPtrArray *names;
	GPtrArray *texts;
	GArray *mtimes;
} Seen;

static void seen_read(Mount *m, Seen *s)
{
	static const char *const files[] = { "status", "computer_name", NULL };

	s->names = harness_list(m, "desktops");
	s->texts = g_ptr_array_new_with_free_func(g_free);
	s->mtimes = g_array_new(FALSE, FALSE, sizeof(gint64));
	for (guint i = 0; i < s->names->len; i++) {
		for (int f = 0; files[f]; f++) {
			g_autofree char *rel = g_strdup_printf("desktops/%s/%s",
							       (char *)s->names->pdata[i],
							       files[f]);
			char *text = harness_read(m, rel);
			gint64 mt;

			g_assert_nonnull(text);
			g_ptr_array_add(s->texts, text);
			mt = mtime_of(m, rel);
			g_array_append_val(s->mtimes, mt);
		}
	}
}

static void seen_clear(Seen *s)
{
	g_clear_pointer(&s->names, g_ptr_array_unref);
	g_clear_pointer(&s->texts, g_ptr_array_unref);
	if (s->mtimes)
		g_array_unref(g_steal_pointer(&s->mtimes));
}

static void seen_assert_equal(const Seen *a, const Seen *b)
{
	g_assert_cmpuint(a->names->len, ==, b->names->len);
	for (guint i = 0; i < a->names->len; i++)
		g_assert_cmpstr(a->names->pdata[i], ==, b->names->pdata[i]);
	g_assert_cmpuint(a->texts->len, ==, b->texts->len);
	for (guint i = 0; i < a->texts->len; i++) {
		g_assert_cmpstr(a->texts->pdata[i], ==, b->texts->pdata[i]);
		g_assert_cmpint(g_array_index(a->mtimes, gint64, i), ==,
				g_array_index(b->mtimes, gint64, i));
	}
}

static gboolean file_exists_within(const char *path, int seconds)
{
	gint64 deadline = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < deadline) {
		if (g_file_test(path, G_FILE_TEST_EXISTS))
			return TRUE;
		g_usleep(50 * 1000);
	}
	return FALSE;
}

static char *read_meta(Mount *m, const char *name)
{
	g_autofree char *rel = g_strconcat(".wksfs/", name, NULL);
	char *text = harness_read(m, rel);

	g_assert_nonnull(text);
	return text;
}

/* Every signature the emulator received (its /__emulator/secrets), in pieces of 16
 * characters as tests/test-secrets.c looks for them, is absent from data. */
static void assert_no_signature(Mount *m, const char *data, gsize len)
{
	cJSON *seen = harness_emu_get(m, "/__emulator/secrets");
	const cJSON *s;
	guint n = 0;

	cJSON_ArrayForEach(s, seen) {
		g_assert_true(cJSON_IsString(s));
		for (gsize at = 0; at + 16 <= strlen(s->valuestring); at += 16)
			if (memmem(data, len, s->valuestring + at, 16))
				g_test_fail_printf("the snapshot holds a piece of %s",
						   s->valuestring);
		n++;
	}
	g_assert_cmpuint(n, >, 0);	/* it signed its requests: there was something to find */
	cJSON_Delete(seen);
}

/* Online once with a snapshot: the data read is saved (the timer, then the unmount). */
static void save_once(Mount *m, Seen *ret_seen)
{
	g_autofree char *opts = options(m, NULL);
	g_autofree char *path = snapshot_path(m);
	g_autofree char *age = NULL;

	g_assert_true(harness_mount(m, opts));
	age = read_meta(m, "snapshot_age");
	g_assert_cmpstr(age, ==, "-\n");	/* none yet */
	seen_read(m, ret_seen);
	g_assert_cmpuint(ret_seen->names->len, ==, 12);
	/* snapshot_interval=1: written while mounted. */
	g_assert_true(file_exists_within(path, 10));
	harness_unmount_only(m);
}

/* The "done when": mount with a snapshot, unmount, stop the emulator, mount again. */
static void test_offline_start(void)
{
	Mount *m = harness_emulator_or_skip(TENANT);
	g_autofree char *path = NULL, *opts = NULL, *data = NULL, *online = NULL;
	g_autofree char *age = NULL, *action = NULL, *result = NULL;
	Seen before = { 0 }, after = { 0 };
	struct stat st;
	gsize len = 0;
	gint64 deadline, secs, started;

	if (!m)
		return;
	path = snapshot_path(m);
	opts = options(m, NULL);
	save_once(m, &before);

	/* The file: 0600, and no AK or SK in it (nothing else secret is in a signed session). */
	g_assert_cmpint(stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 07777, ==, 0600);
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	g_assert_cmpuint(len, >, 1000);
	g_assert_null(memmem(data, len, "EMULATORAK", 10));
	g_assert_null(memmem(data, len, "EMULATORSK", 10));
	assert_no_signature(m, data, len);

	harness_emulator_kill(m);
	started = g_get_monotonic_time();
	g_assert_true(harness_mount(m, opts));
	g_test_message("offline start: mounted in %.2f s",
		       (double)(g_get_monotonic_time() - started) / G_USEC_PER_SEC);
	online = read_meta(m, "online");
	g_assert_cmpstr(online, ==, "0\n");
	seen_read(m, &after);
	seen_assert_equal(&before, &after);
	age = read_meta(m, "snapshot_age");
	secs = g_ascii_strtoll(age, NULL, 10);
	g_assert_true(g_ascii_isdigit(age[0]));
	g_assert_cmpint(secs, >=, 0);
	g_assert_cmpint(secs, <, 120);

	/* Writes are refused with EROFS, before anything could be sent. */
	action = g_strdup_printf("desktops/%s/action", (char *)after.names->pdata[0]);
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, EROFS);
	g_assert_cmpint(harness_write(m, "desktops/.create", "{\"name\": \"x\"}\n"), ==, EROFS);
	{
		g_autofree char *rel = g_strdup_printf("desktops/%s/computer_name",
						       (char *)after.names->pdata[1]);

		g_assert_cmpint(harness_write(m, rel, "renamed\n"), ==, EROFS);
	}
	{
		g_autofree char *dir = g_strdup_printf("desktops/%s",
						       (char *)after.names->pdata[2]);
		g_autofree char *tags = g_strdup_printf("desktops/%s/tags",
							(char *)after.names->pdata[2]);
		g_autofree char *dpath = harness_path(m, dir);
		g_autofree char *err = NULL;

		/* A new tag: open(O_CREAT) as the shell does it. */
		g_assert_cmpint(harness_sh(m, tags, "echo v > snap", &err), !=, 0);
		g_assert_nonnull(strstr(err, "Read-only file system"));
		g_assert_cmpint(rmdir(dpath), ==, -1);
		g_assert_cmpint(errno, ==, EROFS);
	}
	{
		g_autofree char *audit = read_meta(m, "audit");

		g_assert_nonnull(strstr(audit, "offline, serving the snapshot"));
	}

	/* The API comes back: online within a few seconds, by itself, and writes work. */
	harness_emulator_restart(m);
	harness_reset_stats(m);
	started = g_get_monotonic_time();
	deadline = started + 10 * G_USEC_PER_SEC;
	for (;;) {
		g_autofree char *now = read_meta(m, "online");

		if (g_str_equal(now, "1\n"))
			break;
		g_assert_cmpint(g_get_monotonic_time(), <, deadline);
		g_usleep(100 * 1000);
	}
	g_test_message("online again %.2f s after the API came back",
		       (double)(g_get_monotonic_time() - started) / G_USEC_PER_SEC);
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	seen_clear(&before);
	seen_clear(&after);
	harness_stop(m);
}

/* Refusals: another project, a corrupt or truncated file; bad credentials as without it. */
static void test_refused(void)
{
	Mount *m = harness_emulator_or_skip(TENANT);
	g_autofree char *path = NULL, *opts = NULL, *data = NULL, *first = NULL;
	Seen seen = { 0 };
	gsize len = 0;

	if (!m)
		return;
	path = snapshot_path(m);
	opts = options(m, NULL);
	save_once(m, &seen);
	first = g_strdup(seen.names->pdata[0]);
	seen_clear(&seen);
	g_assert_true(g_file_get_contents(path, &data, &len, NULL));
	harness_emulator_kill(m);

	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", "fedcba9876543210fedcba9876543210");
	assert_refused(m, opts, "is a snapshot of project " HARNESS_PROJECT);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", HARNESS_PROJECT);
	{
		/* Another endpoint (the later endpoint= wins): nothing listens on port 1. */
		g_autofree char *other = options(m, "endpoint=http://127.0.0.1:1");

		assert_refused(m, other, "is a snapshot of endpoint http://127.0.0.1:");
	}

	{
		g_autofree char *bad = g_memdup2(data, len);

		bad[len / 2] ^= 0x55;
		g_assert_true(g_file_set_contents(path, bad, (gssize)len, NULL));
		assert_refused(m, opts, "corrupt or truncated");
		g_assert_true(g_file_set_contents(path, data, (gssize)(len / 2), NULL));
		assert_refused(m, opts, "corrupt or truncated");
	}
	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	g_assert_cmpint(chmod(path, 0622), ==, 0);
	assert_refused(m, opts, "writable by others");
	g_unlink(path);
	assert_refused(m, opts, "not mounting offline");

	/* The file itself was fine: put back, it mounts offline. */
	g_assert_true(g_file_set_contents(path, data, (gssize)len, NULL));
	g_assert_cmpint(chmod(path, 0600), ==, 0);
	g_assert_true(harness_mount(m, opts));
	g_assert_true(harness_listed(m, "desktops", first));
	harness_unmount_only(m);

	/* Bad credentials with the API reachable: no offline mount. */
	harness_emulator_restart(m);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", "WRONGSK");
	assert_refused(m, opts, "refused the credentials");
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", "EMULATORSK");
	harness_stop(m);
}

/* With the API up at start the snapshot is loaded as stale data (never fresh: see
 * /cache/restore-walk in test-cache-stale.c): what a failing API falls back to, even for
 * data this mount has not read yet, with its mtime; its twin, a mount without the
 * snapshot, has nothing to serve. */
static void test_online_start(void)
{
	static const char *fail_503 = "{\"fail_rate\": 1.0, \"fail_status\": 503, "
				      "\"methods\": \"\", \"route\": \"\"}";
	Mount *m = harness_emulator_or_skip(TENANT);
	g_autofree char *opts = NULL, *age = NULL, *rel = NULL, *text = NULL;
	Seen seen = { 0 };

	if (!m)
		return;
	opts = options(m, NULL);
	save_once(m, &seen);
	rel = g_strdup_printf("desktops/%s/status", (char *)seen.names->pdata[3]);

	g_assert_true(harness_mount(m, opts));
	age = read_meta(m, "snapshot_age");
	g_assert_true(g_ascii_isdigit(age[0]));
	harness_emu_post(m, "/__emulator/faults", fail_503);
	text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, seen.texts->pdata[3 * 2]);
	g_assert_cmpint(mtime_of(m, rel), ==, g_array_index(seen.mtimes, gint64, 3 * 2));
	harness_unmount_only(m);

	/* The twin: the same without the snapshot fails. */
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_assert_true(harness_mount(m, OPTS));
	harness_emu_post(m, "/__emulator/faults", fail_503);
	g_clear_pointer(&text, g_free);
	text = harness_read(m, rel);
	g_assert_null(text);
	seen_clear(&seen);
	harness_stop(m);
}

/* max_cache_mb bounds the file (the most recently used entries are kept); with
 * snapshot_interval=0 it is written only at unmount. */
static void test_bounded(void)
{
	static const char *const big[] = { "--desktops", "1500", "--users", "20", "--seed",
					   "5", NULL };
	Mount *m = harness_emulator_or_skip(big);
	g_autofree char *path = NULL, *opts = NULL;
	g_autoptr(GPtrArray) names = NULL;
	struct stat st;

	if (!m)
		return;
	path = snapshot_path(m);
	opts = options(m, "max_cache_mb=1,snapshot_interval=0");
	g_assert_true(harness_mount(m, opts));
	names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, 1500);
	g_assert_cmpint(harness_stat(m, "cache_bytes"), >, 0);
	g_assert_false(file_exists_within(path, 2));
	harness_unmount_only(m);
	g_assert_cmpint(stat(path, &st), ==, 0);
	g_test_message("snapshot of 1500 desktops with max_cache_mb=1: %jd bytes",
		       (intmax_t)st.st_size);
	g_assert_cmpint(st.st_size, <=, (1 << 20) + (64 << 10));
	g_assert_cmpint(st.st_size, >, 1000);
	harness_stop(m);
}

/* A daemonized wksfs (no -f: it works in /) writes a relative PATH where it was started. */
static void test_relative_daemon(void)
{
	Mount *m = harness_emulator_or_skip(TENANT);
	g_autofree char *cwd = g_get_current_dir();
	g_autofree char *path = NULL;
	const char *umount[] = { "fusermount3", "-u", NULL, NULL };
	g_autoptr(GPtrArray) names = NULL;
	int status = -1;

	if (!m)
		return;
	path = g_build_filename(m->workdir, "relative.snapshot", NULL);
	g_assert_cmpint(chdir(m->workdir), ==, 0);
	/* -s instead of -f: the daemon forks, and its parent exits once mounted. */
	g_assert_true(harness_mount_with(m, "-s", "ttl=600,snapshot=relative.snapshot,"
					 "snapshot_interval=0", NULL));
	g_assert_cmpint(chdir(cwd), ==, 0);
	names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, 12);
	umount[2] = m->mnt;
	g_assert_true(g_spawn_sync(NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, NULL, &status, NULL));
	g_assert_cmpint(status, ==, 0);
	m->mounted = FALSE;
	g_assert_true(file_exists_within(path, 20));
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/snapshot/offline-start", test_offline_start);
	g_test_add_func("/snapshot/refused", test_refused);
	g_test_add_func("/snapshot/online-start", test_online_start);
	g_test_add_func("/snapshot/bounded", test_bounded);
	g_test_add_func("/snapshot/relative-daemon", test_relative_daemon);
	return g_test_run();
}
