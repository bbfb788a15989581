/* test-lifecycle.c — how a mount ends and how its waits are cut short: SIGTERM during an
 * action, the exit status of a signal-driven unmount, readers killed while the API stalls,
 * readers blocked at shutdown, unmounting while jobs end, files left open at exit. The
 * emulator's counters are the oracle for "sent once". */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546
#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_JOB "GET /v2/{project_id}/workspace-jobs/{job_id}"

static gboolean is_fuse_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == FUSE_SUPER_MAGIC;
}

/* Polls for pid's exit for at most `seconds`; TRUE and its wait status if it exited. */
static gboolean reap_within(GPid pid, double seconds, int *ret_status)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)(seconds * G_USEC_PER_SEC);

	do {
		if (waitpid(pid, ret_status, WNOHANG) == pid)
			return TRUE;
		g_usleep(10 * 1000);
	} while (g_get_monotonic_time() < deadline);
	return FALSE;
}

/* Sends sig to the daemon and waits (at most `seconds`) for it to exit; on success the
 * mount is the test's no more (harness_stop then only stops the emulator). Returns how
 * long it took in µs, or -1 if it still runs. */
static gint64 signal_daemon(Mount *m, int sig, double seconds, int *ret_status)
{
	gint64 t0 = g_get_monotonic_time();

	g_assert_cmpint(kill(m->fs_pid, sig), ==, 0);
	if (!reap_within(m->fs_pid, seconds, ret_status))
		return -1;
	m->fs_pid = 0;
	m->mounted = FALSE;
	return g_get_monotonic_time() - t0;
}

static void assert_clean_exit(Mount *m, int status)
{
	if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
		g_autofree char *log = NULL;

		g_file_get_contents(m->fs_log, &log, NULL, NULL);
		g_test_message("wksfs log:\n%s", log ? log : "");
		g_test_fail_printf("wksfs exited with wait status 0x%x, not 0", status);
	}
	g_assert_false(is_fuse_mount(m->mnt));
}

/* A desktop the emulator shows ACTIVE and not in maintenance (a stop succeeds). */
static char *active_desktop(Mount *m)
{
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *path = g_strdup_printf("/__emulator/state/desktops/%s",
							(char *)names->pdata[i]);
		cJSON *d = harness_emu_get(m, path);
		gboolean match = g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(d, "status")),
					   "ACTIVE") == 0 &&
				 !cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode"));

		cJSON_Delete(d);
		if (match)
			return g_strdup(names->pdata[i]);
	}
	g_test_fail_printf("no ACTIVE desktop");
	return NULL;
}

static GPid spawn_cat(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	const char *argv[] = { "cat", path, NULL };
	g_autoptr(GError) error = NULL;
	GPid pid = 0;

	if (!g_spawn_async(NULL, (char **)argv, NULL,
			   G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
			   G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
			   NULL, NULL, &pid, &error))
		g_error("spawn cat: %s", error->message);
	return pid;
}

/* Polls until the emulator holds at least n requests unanswered. */
static void wait_in_flight(Mount *m, gint64 n)
{
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < deadline) {
		cJSON *stats = harness_emu_get(m, "/__emulator/stats");
		gint64 now = (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "in_flight"));

		cJSON_Delete(stats);
		if (now >= n)
			return;
		g_usleep(20 * 1000);
	}
	g_test_fail_printf("the emulator never held %" G_GINT64_FORMAT " requests", n);
}

typedef struct {
	Mount *m;
	const char *rel;
	const char *text;
} WriteJob;

/* Like a script that writes a command, does a little more, then closes: write() and
 * close() must both tell the truth. Returns the errno of the first failing step, or 0. */
static gpointer write_thread(gpointer data)
{
	WriteJob *w = data;
	g_autofree char *path = harness_path(w->m, w->rel);
	int fd = open(path, O_WRONLY | O_TRUNC);
	int err = 0;

	if (fd < 0)
		return GINT_TO_POINTER(errno);
	if (write(fd, w->text, strlen(w->text)) != (ssize_t)strlen(w->text))
		err = errno ? errno : EIO;
	else
		g_test_message("write() succeeded");
	g_usleep(200 * 1000);	/* the script's next step, before its close */
	if (close(fd) < 0 && !err)
		err = errno;
	return GINT_TO_POINTER(err);
}

/* Item 8: SIGTERM while a POST is in flight. The API applies it once, the writer's write()
 * and close() both succeed, the daemon exits 0. */
static void test_term_during_action(void)
{
	const char *args[] = { "--desktops", "8", "--seed", "3", NULL };
	Mount *m = harness_start(args, "ttl=60,timeout=20");
	int status = 0;

	if (!m)
		return;
	g_autofree char *id = active_desktop(m);
	g_autofree char *rel = g_strdup_printf("desktops/%s/action", id);
	WriteJob w = { m, rel, "stop\n" };

	harness_emu_post(m, "/__emulator/faults",
			 "{\"latency_ms\": 1500, \"methods\": \"POST\", \"route\": \"" R_ACTION "\"}");
	GThread *writer = g_thread_new("writer", write_thread, &w);
	wait_in_flight(m, 1);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	gint64 took = signal_daemon(m, SIGTERM, 25, &status);
	int err = GPOINTER_TO_INT(g_thread_join(writer));

	g_assert_cmpint(took, >=, 0);
	g_test_message("the writer: %s", err ? g_strerror(err) : "success");
	if (err)
		g_test_fail_printf("the writer saw %s, not the API's answer (success)",
				   g_strerror(err));
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	assert_clean_exit(m, status);
	harness_stop(m);
}

/* Item 18: SIGTERM, SIGINT and SIGHUP unmount cleanly: exit status 0, the mount gone. */
static void test_signal_exit_status(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };

	for (gsize i = 0; i < G_N_ELEMENTS(sigs); i++) {
		const char *args[] = { "--desktops", "3", NULL };
		Mount *m = harness_start(args, NULL);
		int status = 0;

		if (!m)
			return;
		g_autoptr(GPtrArray) names = harness_list(m, "desktops");
		g_assert_cmpuint(names->len, ==, 3);
		g_test_message("signal %s", g_strsignal(sigs[i]));
		g_assert_cmpint(signal_daemon(m, sigs[i], 10, &status), >=, 0);
		assert_clean_exit(m, status);
		harness_stop(m);
	}
}

/* Item 14: a reader stuck on a stalled GET dies at once when killed, and the daemon stays
 * healthy. Without interrupts it stayed until the stall ended. */
static void test_kill_stalled_reader(void)
{
	const char *args[] = { "--desktops", "4", NULL };
	Mount *m = harness_start(args, "ttl=0,timeout=30,retries=0");
	int status = 0;

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", (char *)names->pdata[0]);

	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 20000, \"methods\": \"GET\"}");
	GPid cat = spawn_cat(m, rel);
	wait_in_flight(m, 1);
	g_usleep(500 * 1000);	/* it really is stuck: the stall holds it */
	g_assert_cmpint(waitpid(cat, &status, WNOHANG), ==, 0);
	gint64 t0 = g_get_monotonic_time();
	g_assert_cmpint(kill(cat, SIGKILL), ==, 0);
	gboolean reaped = reap_within(cat, 4, &status);
	gint64 took = g_get_monotonic_time() - t0;

	if (!reaped) {
		reap_within(cat, 30, &status);
		g_test_fail_printf("the killed reader was still there after 4 s");
	}
	g_test_message("reaped %.2f s after SIGKILL", took / 1e6);
	g_assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* Still healthy: the next read answers, and the interrupt did not mark it offline. */
	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 0}");
	g_autofree char *text = harness_read(m, rel);
	g_assert_nonnull(text);
	g_assert_cmpuint(strlen(text), >, 1);
	g_autofree char *online = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(online, ==, "1\n");
	harness_stop(m);
}

/* Item 16: SIGTERM with a reader blocked in `cat jobs/ID/wait`: the daemon exits within a
 * couple of seconds, the reader gets an error instead of hanging. */
static void test_term_with_waiter(void)
{
	const char *args[] = { "--desktops", "4", "--job-seconds", "120", NULL };
	Mount *m = harness_start(args, "ttl=60,wait_timeout=300");
	int status = 0, cat_status = 0;

	if (!m)
		return;
	g_autofree char *id = active_desktop(m);
	g_autofree char *act = g_strdup_printf("desktops/%s/action", id);
	g_assert_cmpint(harness_write(m, act, "reboot\n"), ==, 0);
	g_autofree char *result = harness_read(m, act);
	g_assert_true(result && g_str_has_prefix(result, "job "));
	g_autofree char *wait_rel = g_strdup_printf("jobs/%s/wait", g_strchomp(result + 4));
	gint64 polls = harness_route_count(m, R_JOB);
	GPid cat = spawn_cat(m, wait_rel);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	/* The wait polls the job every second: two more polls, and it is blocked. */
	while (harness_route_count(m, R_JOB) < polls + 3 && g_get_monotonic_time() < deadline)
		g_usleep(50 * 1000);
	g_assert_cmpint(waitpid(cat, &cat_status, WNOHANG), ==, 0);
	gint64 took = signal_daemon(m, SIGTERM, 10, &status);

	g_assert_cmpint(took, >=, 0);
	g_test_message("exited %.2f s after SIGTERM", took / 1e6);
	g_assert_cmpint(took, <, 5 * G_USEC_PER_SEC);
	g_assert_true(reap_within(cat, 5, &cat_status));
	g_assert_true(WIFEXITED(cat_status) && WEXITSTATUS(cat_status) != 0);
	assert_clean_exit(m, status);
	harness_stop(m);
}

/* Item 16, the other half: a reader blocked on a stalled GET at SIGTERM. */
static void test_term_with_stalled_reader(void)
{
	const char *args[] = { "--desktops", "4", NULL };
	Mount *m = harness_start(args, "ttl=0,timeout=30");
	int status = 0, cat_status = 0;

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *rel = g_strdup_printf("desktops/%s/status", (char *)names->pdata[0]);

	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 25000, \"methods\": \"GET\"}");
	GPid cat = spawn_cat(m, rel);
	wait_in_flight(m, 1);
	g_assert_cmpint(waitpid(cat, &cat_status, WNOHANG), ==, 0);
	gint64 took = signal_daemon(m, SIGTERM, 10, &status);

	g_assert_cmpint(took, >=, 0);
	g_test_message("exited %.2f s after SIGTERM", took / 1e6);
	g_assert_cmpint(took, <, 5 * G_USEC_PER_SEC);
	g_assert_true(reap_within(cat, 5, &cat_status));
	g_assert_true(WIFEXITED(cat_status) && WEXITSTATUS(cat_status) != 0);
	assert_clean_exit(m, status);
	harness_stop(m);
}

/* Item 17: unmount while jobs end and invalidations flow, many times; the daemon exits 0
 * every time (a notifier still running inside fuse_destroy() crashed it). */
static void test_unmount_while_jobs_end(void)
{
	const char *args[] = { "--desktops", "16", "--job-seconds", "0.5", NULL };
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return;
	for (int cycle = 0; cycle < 20; cycle++) {
		g_autoptr(GPtrArray) names = NULL;
		int status = 0;

		if (!harness_mount(m, "ttl=60")) {
			g_test_fail_printf("cycle %d: wksfs did not mount", cycle);
			break;
		}
		names = harness_list(m, "desktops");
		/* Actions on every desktop: their jobs end (and invalidate) around the unmount.
		 * Some fail (a desktop mid-job answers 409): the jobs still flow. */
		for (guint i = 0; i < names->len; i++) {
			g_autofree char *rel = g_strdup_printf("desktops/%s/action",
							       (char *)names->pdata[i]);
			g_autofree char *st = g_strdup_printf("desktops/%s/status",
							      (char *)names->pdata[i]);
			g_autofree char *text = harness_read(m, st);

			harness_write(m, rel, text && g_str_has_prefix(text, "ACTIVE") ? "reboot\n"
											  : "start\n");
		}
		/* Let the first jobs end (0.5 s, polled after 0.5 s), then unmount: half by
		 * fusermount3 -u, half by SIGTERM. */
		g_usleep((400 + 60 * (cycle % 10)) * 1000);
		if (cycle % 2) {
			g_assert_cmpint(signal_daemon(m, SIGTERM, 20, &status), >=, 0);
		} else {
			const char *argv[] = { "fusermount3", "-u", m->mnt, NULL };
			int rc = -1;

			g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				     NULL, NULL, &rc, NULL);
			g_assert_cmpint(rc, ==, 0);
			g_assert_true(reap_within(m->fs_pid, 20, &status));
			m->fs_pid = 0;
			m->mounted = FALSE;
		}
		assert_clean_exit(m, status);
		if (g_test_failed()) {
			g_test_message("cycle %d failed", cycle);
			break;
		}
		g_unlink(m->fs_log);
	}
	harness_stop(m);
}

/* Item 17, the leak: a file still open when the session ends. The daemon exits 0 within a
 * couple of seconds (the ASan run of this test checks that its handle was freed). */
static void test_open_file_at_exit(void)
{
	const char *args[] = { "--desktops", "3", NULL };
	Mount *m = harness_start(args, "ttl=60");
	int status = 0;
	char buf[64];

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *path = g_strdup_printf("%s/desktops/%s/status", m->mnt,
						(char *)names->pdata[0]);
	g_autofree char *act_path = g_strdup_printf("%s/desktops/%s/action", m->mnt,
						    (char *)names->pdata[0]);
	int fd = open(path, O_RDONLY);
	int act_fd = open(act_path, O_WRONLY);

	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(act_fd, >=, 0);
	g_assert_cmpint(read(fd, buf, sizeof(buf)), >, 0);
	gint64 took = signal_daemon(m, SIGTERM, 10, &status);

	g_assert_cmpint(took, >=, 0);
	g_assert_cmpint(took, <, 5 * G_USEC_PER_SEC);
	assert_clean_exit(m, status);
	close(fd);
	close(act_fd);
	harness_stop(m);
}

static void valgrind_steps(Mount *m, gboolean leave_open);

/* Under valgrind, where the window is wide; its exit status (99) reports an invalid access
 * or a block definitely lost. */
static void valgrind_exit(gboolean leave_open)
{
	g_autofree char *valgrind = g_find_program_in_path("valgrind");
	const char *args[] = { "--desktops", "12", "--job-seconds", "0.5", NULL };
	g_autofree char *real = g_strdup(g_getenv("WKSFS_BIN"));
	g_autofree char *wrapper = NULL, *script = NULL;
	Mount *m;

	if (!valgrind) {
		g_test_skip("valgrind is not installed");
		return;
	}
	if (g_getenv("WKSFS_SANITIZED")) {
		/* valgrind cannot run an ASan binary; ASan itself checks this run. */
		g_test_skip("AddressSanitizer build");
		return;
	}
	m = harness_emulator_or_skip(args);
	if (!m)
		return;
	if (harness_under_valgrind()) {
		/* The suite's wrapper runs every daemon under memcheck and harness_stop() reads
		 * its log (and a status of 99 fails assert_clean_exit): no second valgrind. */
		g_test_message("the daemon runs under the valgrind suite's wrapper");
		g_assert_true(harness_mount(m, "ttl=60"));
		valgrind_steps(m, leave_open);
		return;
	}
	wrapper = g_build_filename(m->workdir, "wksfs-valgrind", NULL);
	script = g_strdup_printf("#!/bin/sh\nexec %s -q --error-exitcode=99 --leak-check=full "
				 "--errors-for-leak-kinds=definite --show-leak-kinds=definite "
				 "%s \"$@\"\n", valgrind, real);
	g_assert_true(g_file_set_contents(wrapper, script, -1, NULL));
	g_assert_cmpint(g_chmod(wrapper, 0755), ==, 0);
	g_setenv("WKSFS_BIN", wrapper, TRUE);
	gboolean mounted = harness_mount(m, "ttl=60");
	g_setenv("WKSFS_BIN", real, TRUE);
	g_assert_true(mounted);
	valgrind_steps(m, leave_open);
}

/* The steps of valgrind_exit() on the mounted m: actions whose jobs end while the daemon
 * exits (unmount, or SIGTERM with a file open); the daemon's exit must be clean. */
static void valgrind_steps(Mount *m, gboolean leave_open)
{
	int status = 0;

	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *open_path = g_strdup_printf("%s/desktops/%s/computer_name", m->mnt,
						     (char *)names->pdata[0]);
	int fd = open(open_path, O_RDONLY);

	g_assert_cmpint(fd, >=, 0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/action",
						       (char *)names->pdata[i]);
		g_autofree char *st = g_strdup_printf("desktops/%s/status",
						      (char *)names->pdata[i]);
		g_autofree char *text = harness_read(m, st);

		harness_write(m, rel, text && g_str_has_prefix(text, "ACTIVE") ? "reboot\n"
										  : "start\n");
	}
	/* The first job polls (the jobs end after 0.5 s): invalidations are about to flow. */
	gint64 deadline = g_get_monotonic_time() + 30 * G_USEC_PER_SEC;
	while (harness_route_count(m, R_JOB) < 1 && g_get_monotonic_time() < deadline)
		g_usleep(20 * 1000);
	if (leave_open) {
		g_assert_cmpint(signal_daemon(m, SIGTERM, 60, &status), >=, 0);
		close(fd);
	} else {
		const char *argv[] = { "fusermount3", "-u", m->mnt, NULL };
		int rc = -1;

		close(fd);
		g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
			     NULL, &rc, NULL);
		g_assert_cmpint(rc, ==, 0);
		g_assert_true(reap_within(m->fs_pid, 60, &status));
		m->fs_pid = 0;
		m->mounted = FALSE;
	}
	assert_clean_exit(m, status);
	harness_stop(m);
}

/* Item 17: fusermount3 -u while jobs end: no access to libfuse's freed node table. */
static void test_valgrind_unmount_jobs(void)
{
	valgrind_exit(FALSE);
}

/* Item 17: SIGTERM with a file open: its handle is freed, nothing definitely lost. */
static void test_valgrind_open_file(void)
{
	valgrind_exit(TRUE);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/lifecycle/term-during-action", test_term_during_action);
	g_test_add_func("/lifecycle/signal-exit-status", test_signal_exit_status);
	g_test_add_func("/lifecycle/kill-stalled-reader", test_kill_stalled_reader);
	g_test_add_func("/lifecycle/term-with-waiter", test_term_with_waiter);
	g_test_add_func("/lifecycle/term-with-stalled-reader", test_term_with_stalled_reader);
	g_test_add_func("/lifecycle/unmount-while-jobs-end", test_unmount_while_jobs_end);
	g_test_add_func("/lifecycle/open-file-at-exit", test_open_file_at_exit);
	g_test_add_func("/lifecycle/valgrind-unmount-jobs", test_valgrind_unmount_jobs);
	g_test_add_func("/lifecycle/valgrind-open-file", test_valgrind_open_file);
	return g_test_run();
}
