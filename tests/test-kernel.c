/* test-kernel.c — the kernel's caches with exact freshness, through real mounts: a warm
 * read is served by the kernel (the FUSE request counters in /.wksfs/stats/ do not move),
 * and every change wksfs learns of reaches the kernel before the reader sees anything: a
 * write, a job's end, `refresh`, `forget`, and a change behind the mount's back once the
 * TTL ran out. Each freshness test first shows the kernel's cache in use (the warm read
 * costs no FUSE read), so it would fail if the invalidation were missing. */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const TENANT[] = { "--desktops", "20", "--users", "5", "--seed", "4",
				      "--job-seconds", "1", NULL };

typedef struct {
	gint64 lookups, getattrs, opens, reads, readdirs, api_calls;
} Counts;

static Counts counts(Mount *m)
{
	return (Counts){ harness_stat(m, "fuse_lookups"), harness_stat(m, "fuse_getattrs"),
			 harness_stat(m, "fuse_opens"), harness_stat(m, "fuse_reads"),
			 harness_stat(m, "fuse_readdirs"), harness_stat(m, "api_calls") };
}

static char *first_desktop(Mount *m, const char *status)
{
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)names->pdata[i]);
		g_autofree char *s = harness_read(m, rel);

		if (g_strcmp0(s, status) == 0)
			return g_strdup(names->pdata[i]);
	}
	return NULL;
}

/* A warm `cat` of a cached file and a warm `ls` of a cached directory reach the daemon 0
 * times for their data; `ls -l` of a collection comes with its attributes (readdirplus). */
static void test_warm_reads(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *d = first_desktop(m, "ACTIVE\n");
	g_assert_nonnull(d);
	g_autofree char *status = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *info = g_strdup_printf("desktops/%s/info.json", d);
	g_autofree char *text = harness_read(m, info);
	g_assert_nonnull(text);
	harness_assert_cached(m, status, "ACTIVE\n");
	harness_assert_cached(m, info, text);

	/* ls: listed once, then the kernel's own copy. */
	g_autoptr(GPtrArray) first = harness_list(m, "desktops");
	Counts before = counts(m);
	for (int i = 0; i < 3; i++) {
		g_autoptr(GPtrArray) again = harness_list(m, "desktops");
		g_assert_cmpuint(again->len, ==, first->len);
	}
	Counts after = counts(m);
	g_assert_cmpint(after.readdirs, ==, before.readdirs);
	g_assert_cmpint(after.api_calls, ==, before.api_calls);

	/* stat of every desktop after `ls`: the listing brought the attributes. */
	g_autofree char *dir = harness_path(m, "desktops");
	g_autofree char *script = g_strdup_printf("ls -l '%s'", dir);
	g_autofree char *listing = NULL;
	g_assert_true(g_spawn_command_line_sync(script, &listing, NULL, NULL, NULL));
	before = counts(m);
	for (guint i = 0; i < first->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s", (char *)first->pdata[i]);
		g_autofree char *path = harness_path(m, rel);
		struct stat st;

		g_assert_no_errno(stat(path, &st));
		g_assert_true(S_ISDIR(st.st_mode));
	}
	after = counts(m);
	g_assert_cmpint(after.lookups, ==, before.lookups);
	g_assert_cmpint(after.getattrs, ==, before.getattrs);
	harness_stop(m);
}

/* A change made through a second mount shows within the TTL + 1 s. */
static void test_change_behind_the_back(void)
{
	const int ttl = 2;
	Mount *m = harness_start(TENANT, "ttl=2");

	if (!m)
		return;
	Mount *b = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(b);
	g_autofree char *d = first_desktop(m, "ACTIVE\n");
	g_assert_nonnull(d);
	g_autofree char *status = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *state = g_strdup_printf("/__emulator/state/desktops/%s", d);
	harness_assert_cached(m, status, "ACTIVE\n");

	g_assert_cmpint(harness_write(b, action, "stop\n"), ==, 0);
	/* When the emulator changed it: the job's end. */
	gint64 changed = 0, seen = 0;
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	while (!changed && g_get_monotonic_time() < deadline) {
		cJSON *obj = harness_emu_get(m, state);
		const cJSON *s = cJSON_GetObjectItem(obj, "status");

		if (cJSON_IsString(s) && strcmp(s->valuestring, "SHUTOFF") == 0)
			changed = g_get_monotonic_time();
		else
			g_usleep(20 * 1000);
		cJSON_Delete(obj);
	}
	g_assert_cmpint(changed, >, 0);
	while (!seen && g_get_monotonic_time() < changed + (ttl + 3) * G_USEC_PER_SEC) {
		g_autofree char *text = harness_read(m, status);

		if (g_strcmp0(text, "SHUTOFF\n") == 0 && harness_size(m, status) == 8)
			seen = g_get_monotonic_time();
		else
			g_usleep(50 * 1000);
	}
	g_assert_cmpint(seen, >, 0);
	g_assert_cmpint(seen - changed, <=, (ttl + 1) * G_USEC_PER_SEC);
	harness_stop(b);
	harness_stop(m);
}

/* Every readdir of a collection brings its entries' attributes, not only the first reply:
 * after a plain listing of 300 desktops (many replies), a stat of each costs no lookup, as
 * a glob like desktops/ * /status needs. */
static void test_listing_brings_attributes(void)
{
	static const char *const big[] = { "--desktops", "300", "--users", "5", "--seed", "4",
					   NULL };
	Mount *m = harness_start(big, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, 300);
	Counts before = counts(m);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s", (char *)names->pdata[i]);
		g_autofree char *path = harness_path(m, rel);
		struct stat st;

		g_assert_no_errno(stat(path, &st));
	}
	Counts after = counts(m);
	g_assert_cmpint(after.lookups, ==, before.lookups);
	g_assert_cmpint(after.api_calls, ==, before.api_calls);
	harness_stop(m);
}

/* A link directory drawn from the object's own field (desktops/<id>/users/) is kept by the
 * kernel like the object's: a warm `ls` costs no readdir, and once the object has changed
 * the kernel lists it again. */
static void test_link_dirs(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	Mount *b = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(b);
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *users = NULL;
	g_autofree char *d = NULL;
	for (guint i = 0; i < names->len && !d; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/user_list",
						       (char *)names->pdata[i]);
		g_autofree char *list = harness_read(m, rel);
		g_autofree char *st = g_strdup_printf("desktops/%s/status",
						      (char *)names->pdata[i]);
		g_autofree char *status = harness_read(m, st);

		if (list && list[0] && g_strcmp0(status, "ACTIVE\n") == 0) {
			d = g_strdup(names->pdata[i]);
			users = g_steal_pointer(&list);
		}
	}
	g_assert_nonnull(d);
	g_autofree char *dir = g_strdup_printf("desktops/%s/users", d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *wait = g_strdup_printf("desktops/%s/wait", d);
	g_autofree char *cmd = g_strdup_printf("refresh desktops/%s\n", d);
	g_autoptr(GPtrArray) first = harness_list(m, dir);
	g_auto(GStrv) want = g_strsplit(users, "\n", -1);
	g_assert_cmpuint(first->len, ==, g_strv_length(want) - 1);

	Counts before = counts(m);
	for (int i = 0; i < 3; i++) {
		g_autoptr(GPtrArray) again = harness_list(m, dir);
		g_assert_cmpuint(again->len, ==, first->len);
	}
	Counts after = counts(m);
	g_assert_cmpint(after.readdirs, ==, before.readdirs);
	g_assert_cmpint(after.api_calls, ==, before.api_calls);

	/* The desktop changes behind the mount's back; a refresh brings the new version. */
	g_assert_cmpint(harness_write(b, action, "stop\n"), ==, 0);
	g_free(harness_read(b, wait));
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", cmd), ==, 0);
	before = counts(m);
	g_autoptr(GPtrArray) now = harness_list(m, dir);
	after = counts(m);
	g_assert_cmpuint(now->len, ==, first->len);
	g_assert_cmpint(after.readdirs, >, before.readdirs);
	harness_stop(b);
	harness_stop(m);
}

/* A field write: the new value in `cat` and in `stat` as soon as write() returned. */
static void test_write_shows_at_once(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/description", (char *)users->pdata[0]);
	/* Longer, then shorter: a write's own reply may only grow the size the kernel knows. */
	g_assert_cmpint(harness_write(m, rel, "on call this week and the next\n"), ==, 0);
	harness_assert_cached(m, rel, "on call this week and the next\n");
	g_assert_cmpint(harness_write(m, rel, "off\n"), ==, 0);
	/* stat first: a read from the daemon would make the kernel ask for attributes anyway */
	g_assert_cmpuint(harness_size(m, rel), ==, 4);
	g_autofree char *now = harness_read(m, rel);
	g_assert_cmpstr(now, ==, "off\n");

	/* Another file of the object, which the write did not touch itself: info.json. */
	g_autofree char *info = g_strdup_printf("users/%s/info.json", (char *)users->pdata[0]);
	g_autofree char *before = harness_read(m, info);
	g_assert_nonnull(strstr(before, "\"off\""));
	harness_assert_cached(m, info, before);
	g_assert_cmpint(harness_write(m, rel, "on call again\n"), ==, 0);
	g_assert_cmpuint(harness_size(m, info), ==, strlen(before) + strlen("on call again") - 3);
	g_autofree char *after = harness_read(m, info);
	g_assert_nonnull(strstr(after, "\"on call again\""));
	harness_stop(m);
}

/* A job's end: what `wait` returns after is already in the kernel. */
static void test_job_end_shows_at_once(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *d = first_desktop(m, "ACTIVE\n");
	g_assert_nonnull(d);
	g_autofree char *status = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	harness_assert_cached(m, status, "ACTIVE\n");

	g_autofree char *apath = harness_path(m, action);
	int fd = open(apath, O_RDWR);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(write(fd, "stop\n", 5), ==, 5);
	char buf[128] = { 0 };
	g_assert_cmpint(pread(fd, buf, sizeof(buf) - 1, 0), >, 4);
	close(fd);
	g_assert_true(g_str_has_prefix(buf, "job "));
	g_strchomp(buf);
	g_autofree char *wait = g_strdup_printf("jobs/%s/wait", buf + 4);
	g_autofree char *end = harness_read(m, wait);
	g_assert_cmpstr(end, ==, "SUCCESS\n");
	g_assert_cmpuint(harness_size(m, status), ==, 8);
	g_autofree char *after = harness_read(m, status);
	g_assert_cmpstr(after, ==, "SHUTOFF\n");
	harness_stop(m);
}

/* `refresh` of an object, of its collection, and `forget`: the change made behind the
 * mount's back shows at once although the TTL is long. */
static void test_refresh_and_forget(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	Mount *b = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(b);
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *targets[] = { "users/%s", "users", "" };
	const char *verbs[] = { "refresh", "refresh", "forget" };

	for (int i = 0; i < 3; i++) {
		g_autofree char *rel = g_strdup_printf("users/%s/description",
						       (char *)users->pdata[i]);
		/* Each value a different length from the last. */
		g_autofree char *value = g_strdup_printf("changed%*s\n", 3 * i + 1, "");
		g_autofree char *old = harness_read(m, rel);
		g_autofree char *target = g_strdup_printf(targets[i], (char *)users->pdata[i]);
		g_autofree char *cmd = target[0] ? g_strdup_printf("%s %s\n", verbs[i], target)
						 : g_strdup_printf("%s\n", verbs[i]);

		harness_assert_cached(m, rel, old);
		g_assert_cmpuint(strlen(old), !=, strlen(value));
		g_assert_cmpint(harness_write(b, rel, value), ==, 0);
		/* Still the old bytes: nothing told this mount. */
		g_autofree char *still = harness_read(m, rel);
		g_assert_cmpstr(still, ==, old);
		g_assert_cmpint(harness_write(m, ".wksfs/ctl", cmd), ==, 0);
		g_assert_cmpuint(harness_size(m, rel), ==, strlen(value));
		g_autofree char *now = harness_read(m, rel);
		g_assert_cmpstr(now, ==, value);
	}
	harness_stop(b);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/kernel/warm-reads", test_warm_reads);
	g_test_add_func("/kernel/change-behind-the-back", test_change_behind_the_back);
	g_test_add_func("/kernel/write-shows-at-once", test_write_shows_at_once);
	g_test_add_func("/kernel/job-end-shows-at-once", test_job_end_shows_at_once);
	g_test_add_func("/kernel/refresh-and-forget", test_refresh_and_forget);
	g_test_add_func("/kernel/link-dirs", test_link_dirs);
	g_test_add_func("/kernel/listing-brings-attributes", test_listing_brings_attributes);
	return g_test_run();
}
