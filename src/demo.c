/* demo.c — starts and stops the bundled emulator for `wksfs --demo`.
 *
 * Owns: finding wks-emulator (WKSFS_EMULATOR, next to our own binary in the build tree,
 * where meson install puts it: LIBEXECDIR/wksfs/), its process, and the wait for its port
 * file. Nothing here is used outside --demo.
 */
#include "src/demo.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct DemoTenant {
	GPid pid;
	int lifeline;		/* write end of the pipe the emulator watches */
	char *dir;
	char *endpoint;
};

/* Installed, wksfs is BINDIR/wksfs and the emulator LIBEXECDIR/wksfs/wks-emulator under
 * the same root: / or, before packaging, a DESTDIR. */
static char *installed_emulator(const char *dir)
{
	g_autofree char *root = NULL;

	if (!g_str_has_suffix(dir, WKSFS_BINDIR))
		return NULL;
	root = g_strndup(dir, strlen(dir) - strlen(WKSFS_BINDIR));
	return g_build_filename(root[0] ? root : "/", WKSFS_LIBEXECDIR, "wksfs", "wks-emulator",
				NULL);
}

static char *find_emulator(const char *argv0)
{
	g_autofree char *self = g_file_read_link("/proc/self/exe", NULL);
	g_autofree char *dir = g_path_get_dirname(self ? self : argv0);
	const char *env = g_getenv("WKSFS_EMULATOR");
	char *candidates[] = {
		env ? g_strdup(env) : NULL,
		g_build_filename(dir, "emulator", "wks-emulator", NULL),
		installed_emulator(dir),
		g_build_filename(WKSFS_LIBEXECDIR, "wksfs", "wks-emulator", NULL),
		g_strdup(WKSFS_EMULATOR_BUILD_PATH),
	};
	char *found = NULL;

	for (gsize i = 0; i < G_N_ELEMENTS(candidates); i++) {
		if (!found && candidates[i] && g_file_test(candidates[i], G_FILE_TEST_IS_EXECUTABLE))
			found = g_strdup(candidates[i]);
		g_free(candidates[i]);
	}
	return found;
}

DemoTenant *demo_tenant_start(const char *argv0, GError **error)
{
	g_autoptr(DemoTenant) demo = g_new0(DemoTenant, 1);

	demo->lifeline = -1;
	g_autofree char *bin = find_emulator(argv0);
	g_autofree char *port_file = NULL;
	gint64 deadline = g_get_monotonic_time() + 15 * G_USEC_PER_SEC;

	if (!bin) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "cannot find wks-emulator (looked beside wksfs and in "
			    WKSFS_LIBEXECDIR "/wksfs; set WKSFS_EMULATOR)");
		return NULL;
	}
	demo->dir = g_dir_make_tmp("wksfs-demo-XXXXXX", error);
	if (!demo->dir)
		return NULL;
	port_file = g_build_filename(demo->dir, "port", NULL);
	/* A lifeline: the emulator exits when the pipe's write end, which only we hold,
	 * closes — however wksfs ends, SIGKILL included. */
	int pipefd[2];
	if (!g_unix_open_pipe(pipefd, FD_CLOEXEC, error))
		return NULL;
	demo->lifeline = pipefd[1];
	const int source_fds[] = { pipefd[0] };
	const int target_fds[] = { 3 };
	const char *args[] = {
		bin, "--host", "127.0.0.1", "--port", "0", "--port-file", port_file,
		"--exit-with-fd", "3",
		"--desktops", "40", "--users", "15", "--groups", "4", "--pools", "2",
		"--server-groups", "2", "--servers", "6", "--sessions", "12", "--seed", "2026",
		"--job-seconds", "5", NULL,
	};
	/* Its output goes to a log beside the port file, not to our stdout/stderr: after we
	 * daemonize, an inherited pipe would keep whoever ran us (a script, `| tee`) waiting
	 * for an end-of-file that never comes. */
	g_autofree char *log = g_build_filename(demo->dir, "emulator.log", NULL);
	int log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (log_fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", log,
			    g_strerror(errno));
		close(pipefd[0]);
		return NULL;
	}
	gboolean spawned = g_spawn_async_with_pipes_and_fds(
		NULL, args, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDIN_FROM_DEV_NULL, NULL,
		NULL, -1, log_fd, log_fd, source_fds, target_fds, 1, &demo->pid, NULL, NULL, NULL,
		error);
	close(pipefd[0]);
	close(log_fd);
	if (!spawned)
		return NULL;

	while (g_get_monotonic_time() < deadline) {
		g_autofree char *port = NULL;
		int status;

		if (g_file_get_contents(port_file, &port, NULL, NULL) && g_strstrip(port)[0]) {
			demo->endpoint = g_strdup_printf("http://127.0.0.1:%s", port);
			return g_steal_pointer(&demo);
		}
		if (waitpid(demo->pid, &status, WNOHANG) == demo->pid) {
			g_autofree char *why = NULL;

			demo->pid = 0;
			g_file_get_contents(log, &why, NULL, NULL);
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_FAILED,
				    "wks-emulator exited before listening%s%s",
				    why && why[0] ? ": " : "", why ? g_strstrip(why) : "");
			return NULL;
		}
		g_usleep(20 * 1000);
	}
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_AGAIN,
		    "wks-emulator did not start listening within 15 s");
	return NULL;
}

const char *demo_tenant_endpoint(DemoTenant *demo)
{
	return demo->endpoint;
}

void demo_tenant_free(DemoTenant *demo)
{
	if (!demo)
		return;
	if (demo->lifeline >= 0)
		close(demo->lifeline);
	if (demo->pid > 0) {
		kill(demo->pid, SIGTERM);
		/* After daemonizing we are no longer its parent: ECHILD is fine. */
		waitpid(demo->pid, NULL, 0);
	}
	if (demo->dir) {
		g_autofree char *port_file = g_build_filename(demo->dir, "port", NULL);
		g_autofree char *log = g_build_filename(demo->dir, "emulator.log", NULL);

		g_unlink(port_file);
		g_unlink(log);
		g_rmdir(demo->dir);
	}
	g_free(demo->dir);
	g_free(demo->endpoint);
	g_free(demo);
}
