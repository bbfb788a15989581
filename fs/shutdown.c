/* shutdown.c — what SIGTERM, SIGINT and SIGHUP do to a mounted wksfs.
 *
 * Owns: the signal handlers (they only write to a pipe, from whatever thread takes the
 * signal) and one thread that carries the shutdown out, in this order: cancel what waits
 * on the network, detach the mount, let mutations in flight finish, end the loop. It must
 * never abandon a mutation that was sent: its writer learns the outcome.
 *
 * Why: libfuse's own handlers end the session at once: its workers stop reading
 * /dev/fuse, fuse_unmount() closes it, and the kernel aborts whatever is still queued
 * (ENOTCONN, ECONNABORTED) — the close() of a writer whose action the API has applied, the
 * read of a reader whose data had arrived — and fuse_loop_mt() returns the signal's number,
 * so the daemon exited 1. Here the handler only wakes a thread, which cancels what waits on
 * the network (reads, job waits: ECANCELED), detaches the mount (nothing new can start;
 * open files keep being served), lets mutations in flight finish (libcurl's timeout bounds
 * each; none starts after the signal) and then, once the last file is closed (the kernel
 * ends the session itself) or a second after the last mutation, ends the loop. */
#include "fs/fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <fuse_lowlevel.h>

#define SHUTDOWN_GRACE_US (G_USEC_PER_SEC)

static const int shutdown_signals[] = { SIGTERM, SIGINT, SIGHUP };
static int shutdown_pipe[2] = { -1, -1 };

struct FsShutdown {
	struct fuse_session *se;
	FsContext *ctx;
	const char *mountpoint;
	pthread_t main_thread;
	GThread *thread;
	struct sigaction old[G_N_ELEMENTS(shutdown_signals)];
	struct sigaction old_pipe;
};

static void on_shutdown_signal(int sig)
{
	int saved = errno;
	char c = 's';

	if (write(shutdown_pipe[1], &c, 1) < 0) {
		/* full: a wake-up is pending already */
	}
	errno = saved;
}

/* 's' (a signal), 'q' (the loop ended: stop), or 0 when nothing came within timeout_ms. */
static char shutdown_next(int timeout_ms)
{
	struct pollfd pfd = { shutdown_pipe[0], POLLIN, 0 };
	char c = 0;

	if (poll(&pfd, 1, timeout_ms) > 0 && read(shutdown_pipe[0], &c, 1) == 1)
		return c;
	return 0;
}

/* Like fusermount3 -u -z: the path leaves the namespace at once, open files stay served,
 * and the kernel ends the session when the last of them is closed. */
static void detach_mount(const char *mountpoint)
{
	const char *argv[] = { "fusermount3", "-u", "-q", "-z", "--", mountpoint, NULL };
	g_autoptr(GError) error = NULL;
	int status = 0;

	if (umount2(mountpoint, MNT_DETACH) == 0)
		return;
	if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
			  NULL, &status, &error) || !g_spawn_check_wait_status(status, NULL))
		g_warning("cannot detach %s: %s", mountpoint,
			  error ? error->message : "fusermount3 failed");
}

static gpointer shutdown_thread(gpointer data)
{
	FsShutdown *sd = data;
	gint64 idle_since = 0;
	char c;

	while ((c = shutdown_next(-1)) != 's')
		if (c == 'q')
			return NULL;
	g_message("signal: finishing the actions in flight, then unmounting");
	fs_context_shutdown(sd->ctx);
	detach_mount(sd->mountpoint);
	for (;;) {
		gint64 now = g_get_monotonic_time();

		if (shutdown_next(50) == 'q')
			return NULL;	/* the last file was closed: the kernel ended it */
		if (fs_context_busy(sd->ctx))
			idle_since = 0;
		else if (!idle_since)
			idle_since = now;
		/* The grace lets a writer's flush and close follow its write. */
		if (idle_since && now - idle_since >= SHUTDOWN_GRACE_US)
			break;
	}
	/* Files are still open. fuse_loop_mt() waits in sem_wait(): a signal wakes it (again
	 * and again, in case it arrives just before the wait). */
	fuse_session_exit(sd->se);
	do
		pthread_kill(sd->main_thread, SIGTERM);
	while (shutdown_next(100) != 'q');
	return NULL;
}

FsShutdown *fs_shutdown_start(struct fuse_session *se, FsContext *ctx, const char *mountpoint)
{
	FsShutdown *sd = g_new0(FsShutdown, 1);
	struct sigaction sa = { 0 };
	struct sigaction ign = { 0 };
	sigset_t block, old;

	if (!g_unix_open_pipe(shutdown_pipe, FD_CLOEXEC, NULL)) {
		g_free(sd);
		return NULL;
	}
	sd->se = se;
	sd->ctx = ctx;
	sd->mountpoint = mountpoint;
	g_unix_set_fd_nonblocking(shutdown_pipe[1], TRUE, NULL);
	/* No SA_RESTART: the signal must interrupt fuse_loop_mt()'s sem_wait(). */
	sa.sa_handler = on_shutdown_signal;
	sigemptyset(&sa.sa_mask);
	for (gsize i = 0; i < G_N_ELEMENTS(shutdown_signals); i++)
		sigaction(shutdown_signals[i], &sa, &sd->old[i]);
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &sd->old_pipe);
	sd->main_thread = pthread_self();
	/* The thread must not take the signals itself: the main thread is the one to wake. */
	sigemptyset(&block);
	for (gsize i = 0; i < G_N_ELEMENTS(shutdown_signals); i++)
		sigaddset(&block, shutdown_signals[i]);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	sd->thread = g_thread_new("wksfs-shutdown", shutdown_thread, sd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return sd;
}

void fs_shutdown_finish(FsShutdown *sd)
{
	char c = 'q';

	if (!sd)
		return;
	while (write(shutdown_pipe[1], &c, 1) < 0 && errno == EAGAIN)
		g_usleep(1000);	/* the thread drains the pipe */
	g_thread_join(sd->thread);
	for (gsize i = 0; i < G_N_ELEMENTS(shutdown_signals); i++)
		sigaction(shutdown_signals[i], &sd->old[i], NULL);
	sigaction(SIGPIPE, &sd->old_pipe, NULL);
	close(shutdown_pipe[0]);
	close(shutdown_pipe[1]);
	shutdown_pipe[0] = shutdown_pipe[1] = -1;
	g_free(sd);
}
