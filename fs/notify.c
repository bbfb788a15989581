/* notify.c — tells the kernel to drop what it caches of changed inodes.
 *
 * Owns: one thread and its queue. FUSE handlers and the API's threads only queue inodes;
 * this thread calls fuse_lowlevel_notify_inval_inode(), which must not run under one of
 * our locks or inside a request about the same inode (libfuse's rule; rclone#4977 is what
 * happens otherwise). A request that changed something waits for the queue to drain
 * (fs_notifier_sync) before it answers, so that its writer's next read finds no old bytes.
 * An inode the kernel no longer holds is simply skipped (-ENOENT).
 */
#include "fs/fs-private.h"

#include <errno.h>

typedef struct {
	fuse_ino_t ino;		/* 0: a barrier, or the stop (done NULL) */
	gboolean *done;		/* a barrier: set under the notifier's lock */
} Item;

struct FsNotifier {
	struct fuse_session *se;
	GAsyncQueue *queue;	/* Item* */
	GThread *thread;
	GMutex lock;
	GCond cond;		/* a barrier was passed */
	gint64 sent;		/* atomic: invalidations handed to the kernel */
};

static gpointer notifier_thread(gpointer data)
{
	FsNotifier *n = data;

	for (;;) {
		g_autofree Item *it = g_async_queue_pop(n->queue);

		if (it->ino) {
			/* Attributes, pages, and a directory's cached listing. */
			fuse_lowlevel_notify_inval_inode(n->se, it->ino, 0, 0);
			__atomic_fetch_add(&n->sent, 1, __ATOMIC_RELAXED);
			continue;
		}
		if (!it->done)
			break;
		g_mutex_lock(&n->lock);
		*it->done = TRUE;
		g_cond_broadcast(&n->cond);
		g_mutex_unlock(&n->lock);
	}
	return NULL;
}

FsNotifier *fs_notifier_start(struct fuse_session *se)
{
	FsNotifier *n = g_new0(FsNotifier, 1);

	n->se = se;
	n->queue = g_async_queue_new_full(g_free);
	g_mutex_init(&n->lock);
	g_cond_init(&n->cond);
	n->thread = g_thread_new("wksfs-notify", notifier_thread, n);
	return n;
}

static void push(FsNotifier *n, fuse_ino_t ino, gboolean *done)
{
	Item *it = g_new0(Item, 1);

	it->ino = ino;
	it->done = done;
	g_async_queue_push(n->queue, it);
}

void fs_notifier_stop(FsNotifier *n)
{
	Item *it;

	if (!n)
		return;
	/* What is still queued is for a session that is ending: drop it (waking any barrier's
	 * waiter), stop at once. */
	g_async_queue_lock(n->queue);
	while ((it = g_async_queue_try_pop_unlocked(n->queue))) {
		if (!it->ino && it->done) {
			g_mutex_lock(&n->lock);
			*it->done = TRUE;
			g_cond_broadcast(&n->cond);
			g_mutex_unlock(&n->lock);
		}
		g_free(it);
	}
	g_async_queue_push_unlocked(n->queue, g_new0(Item, 1));
	g_async_queue_unlock(n->queue);
	g_thread_join(n->thread);
	g_async_queue_unref(n->queue);
	g_mutex_clear(&n->lock);
	g_cond_clear(&n->cond);
	g_free(n);
}

void fs_notifier_queue(FsNotifier *n, fuse_ino_t ino)
{
	if (n && ino)
		push(n, ino, NULL);
}

guint64 fs_notifier_sent(FsNotifier *n)
{
	return n ? (guint64)__atomic_load_n(&n->sent, __ATOMIC_RELAXED) : 0;
}

void fs_notifier_sync(FsNotifier *n)
{
	gboolean done = FALSE;

	push(n, 0, &done);
	g_mutex_lock(&n->lock);
	while (!done)
		g_cond_wait(&n->cond, &n->lock);
	g_mutex_unlock(&n->lock);
}
