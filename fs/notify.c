/* notify.c — tells the kernel to drop what it caches of changed inodes.
 *
 * Owns: one thread and its queue. FUSE handlers and the API's threads only queue inodes;
 * this thread calls fuse_lowlevel_notify_inval_inode(), which must not run under one of
 * our locks or inside a request about the same inode (libfuse's rule; rclone#4977 is what
 * happens otherwise). A request that changed something waits for the queue to drain
 * (fs_notifier_sync) before it answers, so that its writer's next read finds no old bytes.
 * An inode the kernel no longer holds is simply skipped (-ENOENT). An inode already queued
 * and not yet sent is not queued again: one invalidation sent after the changes covers them
 * all, and the queue stays bounded by the inodes the kernel holds however fast a refresh
 * of a big collection (every object in it, each ttl) queues them.
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
	GHashTable *pending;	/* fuse_ino_t* (in its Item) queued, not yet sent; queue's lock */
	guint peak;		/* the most pending at once; queue's lock */
	GThread *thread;
	GMutex lock;
	GCond cond;		/* a barrier was passed */
	gint64 sent;		/* atomic: invalidations handed to the kernel */
};

static gpointer notifier_thread(gpointer data)
{
	FsNotifier *n = data;

	for (;;) {
		g_autofree Item *it = NULL;

		g_async_queue_lock(n->queue);
		it = g_async_queue_pop_unlocked(n->queue);
		if (it->ino)
			g_hash_table_remove(n->pending, &it->ino);
		g_async_queue_unlock(n->queue);
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
	n->pending = g_hash_table_new(g_int64_hash, g_int64_equal);
	g_mutex_init(&n->lock);
	g_cond_init(&n->cond);
	n->thread = g_thread_new("wksfs-notify", notifier_thread, n);
	return n;
}

static void push(FsNotifier *n, fuse_ino_t ino, gboolean *done)
{
	Item *it;

	g_async_queue_lock(n->queue);
	if (ino && g_hash_table_contains(n->pending, &ino)) {
		g_async_queue_unlock(n->queue);
		return;
	}
	it = g_new0(Item, 1);
	it->ino = ino;
	it->done = done;
	if (ino) {
		g_hash_table_add(n->pending, &it->ino);
		n->peak = MAX(n->peak, g_hash_table_size(n->pending));
	}
	g_async_queue_push_unlocked(n->queue, it);
	g_async_queue_unlock(n->queue);
}

void fs_notifier_stop(FsNotifier *n)
{
	Item *it;

	if (!n)
		return;
	/* What is still queued is for a session that is ending: drop it (waking any barrier's
	 * waiter), stop at once. */
	g_async_queue_lock(n->queue);
	g_hash_table_remove_all(n->pending);
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
	g_hash_table_destroy(n->pending);
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

void fs_notifier_pending(FsNotifier *n, guint *now, guint *peak)
{
	*now = *peak = 0;
	if (!n)
		return;
	g_async_queue_lock(n->queue);
	*now = g_hash_table_size(n->pending);
	*peak = n->peak;
	g_async_queue_unlock(n->queue);
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
