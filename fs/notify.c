/* notify.c — tells the kernel to forget what it cached for changed paths.
 *
 * Owns: one thread and its queue. FUSE handlers and the API's job thread only queue paths;
 * this thread calls fuse_invalidate_path(), which must never run inside a request handler
 * or under one of our locks (libfuse's rule; rclone#4977 is what happens otherwise).
 * A path the kernel does not know is simply skipped.
 */
#include "fs/fs-private.h"

#include <errno.h>

struct FsNotifier {
	struct fuse *fuse;
	GAsyncQueue *queue;	/* char* paths; "" stops the thread */
	GThread *thread;
};

static gpointer notifier_thread(gpointer data)
{
	FsNotifier *n = data;

	for (;;) {
		g_autofree char *path = g_async_queue_pop(n->queue);

		if (!path[0])
			break;
		/* -ENOENT: the kernel has nothing cached for it. */
		fuse_invalidate_path(n->fuse, path);
	}
	return NULL;
}

FsNotifier *fs_notifier_start(struct fuse *fuse)
{
	FsNotifier *n = g_new0(FsNotifier, 1);

	n->fuse = fuse;
	n->queue = g_async_queue_new_full(g_free);
	n->thread = g_thread_new("wksfs-notify", notifier_thread, n);
	return n;
}

void fs_notifier_stop(FsNotifier *n)
{
	char *path;

	if (!n)
		return;
	/* What is still queued is for a session that is ending: drop it, stop at once. */
	g_async_queue_lock(n->queue);
	while ((path = g_async_queue_try_pop_unlocked(n->queue)))
		g_free(path);
	g_async_queue_push_unlocked(n->queue, g_strdup(""));
	g_async_queue_unlock(n->queue);
	g_thread_join(n->thread);
	g_async_queue_unref(n->queue);
	g_free(n);
}

void fs_notifier_queue(FsNotifier *n, char *path)
{
	if (!n) {
		g_free(path);
		return;
	}
	g_async_queue_push(n->queue, path);
}
