/* test-mount.c — wksfs mounted for real against the emulator: what the shell sees, and what
 * it costs in API calls (the emulator's counters are the oracle). */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_DESKTOP "GET /v2/{project_id}/desktops/{desktop_id}"
#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define R_USERS "GET /v2/{project_id}/users"
#define R_USER_PUT "PUT /v2/{project_id}/users/{user_id}"
#define R_USER_ACTION "POST /v2/{project_id}/users/{user_id}/actions"

static cJSON *emu_desktop(Mount *m, const char *id)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/desktops/%s", id);

	return harness_emu_get(m, path);
}

static char *strip(char *s)
{
	return s ? g_strchomp(s) : s;
}

/* Every desktop and user file reads back the emulator's own values. */
static void test_read_tree(void)
{
	const char *args[] = { "--desktops", "25", "--users", "8", "--seed", "7", NULL };
	Mount *m = harness_start(args, "ttl=60");
	g_autoptr(GPtrArray) desktops = NULL;
	g_autoptr(GPtrArray) users = NULL;

	if (!m)
		return;
	g_autoptr(GPtrArray) root = harness_list(m, "");
	/* The collections' <kind>.jsonl files beside them are test-jsonl's. */
	for (guint i = root->len; i-- > 0;)
		if (g_str_has_suffix(root->pdata[i], ".jsonl"))
			g_ptr_array_remove_index(root, i);
	static const char *const top[] = { ".wksfs", "README", "access-policies", "alarms",
		"app-catalogs", "app-groups", "app-policy-groups", "app-rules",
		"app-scheduled-tasks", "app-server-groups", "app-servers", "app-sessions",
		"app-storages", "apps", "availability-zones", "bandwidths",
		"desktop-name-policies", "desktop-pools", "desktops", "desktops-by-name",
		"desktops-by-status", "eips", "image-servers", "images", "jobs", "nat-gateways",
		"notify-rules", "online-users", "ous", "policy-groups", "products", "quotas",
		"scheduled-tasks", "screen-records", "script-executions", "scripts",
		"session-types", "sites", "snapshots", "statistics", "sub-jobs",
		"terminal-bindings", "user-groups", "users", "workspace" };
	g_assert_cmpuint(root->len, ==, G_N_ELEMENTS(top));
	for (gsize i = 0; i < G_N_ELEMENTS(top) && i < root->len; i++)
		g_assert_cmpstr(root->pdata[i], ==, top[i]);

	desktops = harness_list(m, "desktops");
	g_assert_cmpuint(desktops->len, ==, 25);
	for (guint i = 0; i < desktops->len; i++) {
		const char *id = desktops->pdata[i];
		g_autofree char *rel = g_strdup_printf("desktops/%s/status", id);
		g_autofree char *status = harness_read(m, rel);
		g_autofree char *rel_name = g_strdup_printf("desktops/%s/computer_name", id);
		g_autofree char *name = harness_read(m, rel_name);
		g_autofree char *rel_info = g_strdup_printf("desktops/%s/info.json", id);
		g_autofree char *info = harness_read(m, rel_info);
		cJSON *state = emu_desktop(m, id);
		cJSON *parsed = cJSON_Parse(info);

		g_assert_cmpstr(strip(status), ==,
				cJSON_GetObjectItem(state, "status")->valuestring);
		g_assert_cmpstr(strip(name), ==,
				cJSON_GetObjectItem(state, "computer_name")->valuestring);
		g_assert_true(cJSON_Compare(parsed, state, TRUE));
		cJSON_Delete(state);
		cJSON_Delete(parsed);
	}

	/* A desktop's directory: one file per field, objects as .json, info.json, action. */
	g_autofree char *d0 = g_strdup_printf("desktops/%s", (char *)desktops->pdata[0]);
	g_autoptr(GPtrArray) files = harness_list(m, d0);
	g_assert_true(g_ptr_array_find_with_equal_func(files, "action", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(files, "info.json", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(files, "user_list", g_str_equal, NULL));
	g_assert_true(g_ptr_array_find_with_equal_func(files, "in_maintenance_mode", g_str_equal,
						       NULL));

	users = harness_list(m, "users");
	g_assert_cmpuint(users->len, ==, 8);
	for (guint i = 0; i < users->len; i++) {
		g_autofree char *rel = g_strdup_printf("users/%s/email", (char *)users->pdata[i]);
		g_autofree char *rel2 = g_strdup_printf("users/%s/user_email",
							(char *)users->pdata[i]);
		g_autofree char *path = g_strdup_printf("/__emulator/state/users/%s",
							(char *)users->pdata[i]);
		g_autofree char *email = harness_read(m, rel);
		g_autofree char *email2 = harness_read(m, rel2);
		cJSON *state = harness_emu_get(m, path);

		g_assert_nonnull(email);
		g_assert_cmpstr(email, ==, email2);
		g_assert_cmpstr(strip(email), ==,
				cJSON_GetObjectItem(state, "user_email")->valuestring);
		cJSON_Delete(state);
	}

	/* Sizes are exactly what read returns. */
	g_autofree char *status_path = g_strdup_printf("%s/desktops/%s/status", m->mnt,
						       (char *)desktops->pdata[0]);
	g_autofree char *status = harness_read(m, status_path + strlen(m->mnt) + 1);
	struct stat st;
	g_assert_no_errno(stat(status_path, &st));
	g_assert_cmpint(st.st_size, ==, strlen(status));

	g_autofree char *missing = harness_read(m, "desktops/no-such-desktop/status");
	g_assert_null(missing);
	g_assert_cmpint(errno, ==, ENOENT);
	harness_stop(m);
}

/* `ls -l desktops; cat desktops/STAR/status` over N desktops: the listing's pages and
 * nothing per desktop with caching on; per-desktop GETs with it off. */
static void listing_cost(int ttl, gint64 *ret_list, gint64 *ret_single)
{
	const char *args[] = { "--desktops", "2000", "--users", "50", "--seed", "3", NULL };
	g_autofree char *opts = g_strdup_printf("ttl=%d", ttl);
	Mount *m = harness_start(args, opts);
	g_autoptr(GPtrArray) names = NULL;

	*ret_list = *ret_single = -1;
	if (!m)
		return;
	harness_reset_stats(m);
	names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, 2000);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *p = g_strdup_printf("%s/desktops/%s", m->mnt,
						     (char *)names->pdata[i]);
		struct stat st;

		g_assert_no_errno(lstat(p, &st));
		g_assert_true(S_ISDIR(st.st_mode));
	}
	g_autoptr(GPtrArray) again = harness_list(m, "desktops");
	for (guint i = 0; i < again->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)again->pdata[i]);
		g_autofree char *s = harness_read(m, rel);

		g_assert_nonnull(s);
	}
	*ret_list = harness_route_count(m, R_LIST);
	*ret_single = harness_route_count(m, R_DESKTOP);
	harness_stop(m);
}

static void test_listing_cached(void)
{
	gint64 list, single;

	listing_cost(60, &list, &single);
	if (list < 0)
		return;
	g_assert_cmpint(list, ==, 4);
	g_assert_cmpint(single, ==, 0);
}

static void test_listing_uncached(void)
{
	gint64 list, single;

	listing_cost(0, &list, &single);
	if (list < 0)
		return;
	/* Twin of the above: without the cache every stat and read goes to the API. */
	g_assert_cmpint(list, >=, 8);
	g_assert_cmpint(single, >=, 4000);
}

/* The first desktop the emulator has in the given status. */
static char *desktop_in_status(Mount *m, const char *status)
{
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");

	for (guint i = 0; i < names->len; i++) {
		cJSON *d = emu_desktop(m, names->pdata[i]);
		gboolean match = g_strcmp0(cJSON_GetObjectItem(d, "status")->valuestring,
					   status) == 0 &&
				 !cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode"));

		cJSON_Delete(d);
		if (match)
			return g_strdup(names->pdata[i]);
	}
	return NULL;
}

static void test_action_stop(void)
{
	const char *args[] = { "--desktops", "20", "--seed", "11", "--job-seconds", "0.5",
			       NULL };
	Mount *m = harness_start(args, "ttl=60");
	g_autofree char *id = NULL;

	if (!m)
		return;
	id = desktop_in_status(m, "ACTIVE");
	g_assert_nonnull(id);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", id);
	g_autofree char *status_rel = g_strdup_printf("desktops/%s/status", id);
	g_autofree char *before = harness_read(m, status_rel);
	g_assert_cmpstr(strip(before), ==, "ACTIVE");

	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);

	g_autofree char *result = harness_read(m, action);
	g_assert_true(g_str_has_prefix(result, "job "));

	/* The job moves the emulator's desktop to SHUTOFF after 0.5 s. */
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;
	gboolean stopped = FALSE;
	while (!stopped && g_get_monotonic_time() < deadline) {
		cJSON *d = emu_desktop(m, id);

		stopped = g_strcmp0(cJSON_GetObjectItem(d, "status")->valuestring,
				    "SHUTOFF") == 0;
		cJSON_Delete(d);
		if (!stopped)
			g_usleep(50 * 1000);
	}
	g_assert_true(stopped);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);

	/* A second stop on the now stopped desktop: the API says 409, the shell EBUSY. */
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, EBUSY);
	g_autofree char *err = harness_read(m, action);
	g_assert_true(g_str_has_prefix(err, "error: "));
	g_assert_nonnull(strstr(err, "WKS.00010108"));
	harness_stop(m);
}

static void test_action_after_ttl(void)
{
	const char *args[] = { "--desktops", "10", "--seed", "5", "--job-seconds", "0.3", NULL };
	Mount *m = harness_start(args, "ttl=1");
	g_autofree char *id = NULL;

	if (!m)
		return;
	id = desktop_in_status(m, "ACTIVE");
	g_assert_nonnull(id);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", id);
	g_autofree char *status_rel = g_strdup_printf("desktops/%s/status", id);

	g_assert_cmpint(harness_write(m, action, "stop"), ==, 0);
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;
	gboolean seen = FALSE;
	while (!seen && g_get_monotonic_time() < deadline) {
		g_autofree char *s = harness_read(m, status_rel);

		seen = g_strcmp0(strip(s), "SHUTOFF") == 0;
		if (!seen)
			g_usleep(100 * 1000);
	}
	g_assert_true(seen);
	harness_stop(m);
}

static void test_action_invalid(void)
{
	const char *args[] = { "--desktops", "5", "--users", "3", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autofree char *action = g_strdup_printf("desktops/%s/action", (char *)names->pdata[0]);
	g_autofree char *uaction = g_strdup_printf("users/%s/action", (char *)users->pdata[0]);

	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, action, "fly\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, action, "stop now\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, action, "\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, action, "STOP\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, uaction, "lock hard\n"), ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 0);

	/* Read-only files refuse writes with nothing sent. */
	g_autofree char *status = g_strdup_printf("desktops/%s/status", (char *)names->pdata[0]);
	g_assert_cmpint(harness_write(m, status, "ACTIVE\n"), ==, EACCES);
	g_assert_cmpint(harness_route_count(m, "total"), ==, 0);
	harness_stop(m);
}

static void test_user_email_and_lock(void)
{
	const char *args[] = { "--desktops", "5", "--users", "4", "--seed", "9", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *user = users->pdata[1];
	g_autofree char *email = g_strdup_printf("users/%s/email", user);
	g_autofree char *state_path = g_strdup_printf("/__emulator/state/users/%s", user);

	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, email, "new.address@example.org\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	cJSON *state = harness_emu_get(m, state_path);
	g_assert_cmpstr(cJSON_GetObjectItem(state, "user_email")->valuestring, ==,
			"new.address@example.org");
	cJSON_Delete(state);
	g_autofree char *back = harness_read(m, email);
	g_assert_cmpstr(back, ==, "new.address@example.org\n");

	/* Malformed values fail in write() with nothing sent. */
	g_assert_cmpint(harness_write(m, email, "not-an-address\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, email, "a@b.org\nsecond line\n"), ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);

	/* Opening for writing (without O_TRUNC) and writing nothing sends nothing. */
	g_autofree char *path = harness_path(m, email);
	int fd = open(path, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	/* With O_TRUNC, close sends the empty value: not an address, so EINVAL, nothing sent. */
	fd = open(path, O_WRONLY | O_TRUNC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(close(fd), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);

	g_autofree char *action = g_strdup_printf("users/%s/action", user);
	g_assert_cmpint(harness_write(m, action, "lock\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 1);
	g_autofree char *locked_rel = g_strdup_printf("users/%s/locked", user);
	g_autofree char *locked = harness_read(m, locked_rel);
	g_assert_cmpstr(locked, ==, "true\n");
	harness_stop(m);
}

/* Bad credentials fail in the terminal with one line, quickly, nothing mounted. */
static void test_bad_credentials(void)
{
	const char *why = harness_unusable_reason();
	Mount *m;

	if (why) {
		g_test_skip(why);
		return;
	}
	m = harness_emulator(NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", "WRONGSK");
	gint64 t0 = g_get_monotonic_time();
	gboolean mounted = harness_mount(m, NULL);
	g_assert_false(mounted);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 15 * G_USEC_PER_SEC);
	g_assert_true(WIFEXITED(m->fs_status));
	g_assert_cmpint(WEXITSTATUS(m->fs_status), !=, 0);
	g_autofree char *log = NULL;
	g_assert_true(g_file_get_contents(m->fs_log, &log, NULL, NULL));
	g_assert_nonnull(strstr(log, "refused the credentials"));
	g_assert_null(strstr(log, "WRONGSK"));
	harness_stop(m);
}

/* A process is gone: no such pid, or a zombie nobody reaped yet. */
static gboolean process_gone(GPid pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
	g_autofree char *text = NULL;

	if (!g_file_get_contents(path, &text, NULL, NULL))
		return TRUE;
	return strstr(text, "State:\tZ") != NULL;
}

/* A child process of pid, found through /proc/PID/status's PPid; 0 if none. */
static GPid child_of(GPid parent)
{
	g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
	const char *name;

	while (proc && (name = g_dir_read_name(proc))) {
		g_autofree char *path = g_strdup_printf("/proc/%s/status", name);
		g_autofree char *text = NULL;
		const char *ppid;

		if (!g_ascii_isdigit(name[0]) || !g_file_get_contents(path, &text, NULL, NULL))
			continue;
		ppid = strstr(text, "\nPPid:");
		if (ppid && atoi(ppid + 7) == parent)
			return atoi(name);
	}
	return 0;
}

/* `wksfs --demo` mounts a generated tenant with nothing else set up, and its emulator does
 * not outlive it, even when wksfs is killed. */
static void test_demo(void)
{
	const char *why = harness_unusable_reason();
	Mount *m;

	if (why) {
		g_test_skip(why);
		return;
	}
	m = harness_emulator_or_skip(NULL);	/* for the work directory and the cleanup */
	g_autofree char *log = g_build_filename(m->workdir, "demo.log", NULL);
	const char *argv[] = { g_getenv("WKSFS_BIN"), "--demo", m->mnt, "-f", NULL };
	int fd = open(log, O_WRONLY | O_CREAT, 0644);
	GPid pid;
	g_auto(GStrv) env = g_get_environ();

	env = g_environ_setenv(env, "WKSFS_EMULATOR", g_getenv("WKS_EMULATOR"), TRUE);
	env = g_environ_unsetenv(env, "HUAWEICLOUD_SDK_AK");
	g_assert_true(g_spawn_async_with_fds(NULL, (char **)argv, env, G_SPAWN_DO_NOT_REAP_CHILD,
					     NULL, NULL, &pid, -1, fd, fd, NULL));
	close(fd);
	g_autofree char *desktops = harness_path(m, "desktops");
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;
	GDir *dir = NULL;
	while (!dir && g_get_monotonic_time() < deadline) {
		dir = g_dir_open(desktops, 0, NULL);
		if (!dir)
			g_usleep(50 * 1000);
	}
	g_assert_nonnull(dir);
	int n = 0;
	const char *name;
	while (dir && (name = g_dir_read_name(dir)))
		n += name[0] != '.';	/* not desktops/.create */
	if (dir)
		g_dir_close(dir);
	g_assert_cmpint(n, ==, 40);

	/* Its emulator is its child; kill wksfs outright and the emulator follows. */
	GPid emu = child_of(pid);
	g_assert_cmpint(emu, >, 0);
	/* The demo's directory (its --port-file's) is wksfs's to remove; killed, it cannot. */
	g_autofree char *cmdline_path = g_strdup_printf("/proc/%d/cmdline", emu);
	g_autofree char *cmdline = NULL;
	gsize cmdline_len = 0;
	g_autofree char *demo_dir = NULL;
	g_file_get_contents(cmdline_path, &cmdline, &cmdline_len, NULL);
	for (gsize i = 0; cmdline && i < cmdline_len; i += strlen(cmdline + i) + 1)
		if (strcmp(cmdline + i, "--port-file") == 0 && i + 12 < cmdline_len)
			demo_dir = g_path_get_dirname(cmdline + i + 12);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	const char *lazy[] = { "fusermount3", "-u", "-z", m->mnt, NULL };
	g_spawn_sync(NULL, (char **)lazy, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
		     NULL, NULL);
	deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (!process_gone(emu) && g_get_monotonic_time() < deadline)
		g_usleep(50 * 1000);
	g_assert_true(process_gone(emu));
	if (demo_dir && g_str_has_prefix(demo_dir, g_get_tmp_dir())) {
		g_autofree char *port = g_build_filename(demo_dir, "port", NULL);
		g_autofree char *elog = g_build_filename(demo_dir, "emulator.log", NULL);

		g_unlink(port);
		g_unlink(elog);
		g_rmdir(demo_dir);
	}
	g_unlink(log);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/mount/read-tree", test_read_tree);
	g_test_add_func("/mount/listing-cached", test_listing_cached);
	g_test_add_func("/mount/listing-uncached", test_listing_uncached);
	g_test_add_func("/mount/action-stop", test_action_stop);
	g_test_add_func("/mount/action-after-ttl", test_action_after_ttl);
	g_test_add_func("/mount/action-invalid", test_action_invalid);
	g_test_add_func("/mount/user-email-and-lock", test_user_email_and_lock);
	g_test_add_func("/mount/bad-credentials", test_bad_credentials);
	g_test_add_func("/mount/demo", test_demo);
	return g_test_run();
}
