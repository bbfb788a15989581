/* watch.c — -o watch=SECS: what the admin is looking at, kept fresh without waiting for the
 * TTL.
 *
 * Owns: one thread. Every period it re-lists each collection a reader listed or read an
 * object of within the last max(its TTL, the period) — not every kind, and never one only
 * the watcher itself reads — by marking its listing stale and reading it through reader.c:
 * the same pages, in single flight with the readers, as a read costs. What the listing
 * brings is stored as any read stores it (store.c), so changed objects reach the kernel's
 * notify queue and /.wksfs/changes, here with source=watch.
 * Must not: send a mutation, tell the kernel anything itself, or outlive the session
 * (api_stop_background stops it before the notifier goes).
 */
#include "src/watch.h"

#include "src/api-private.h"
#include "src/changes.h"
#include "src/keys.h"
#include "src/reader.h"
#include "src/store.h"

struct Watcher {
	ApiClient *api;
	gint64 period_us;
	GThread *thread;
	GMutex lock;
	GCond cond;		/* stop was set */
	gboolean stop;		/* lock */
	guint64 passes;		/* atomic */
};

void watch_note_read(ApiClient *api, const ResKind *kind)
{
	int i = res_kind_index(kind);

	if (i >= 0 && i < API_MAX_KINDS)
		__atomic_store_n(&api->read_us[i], g_get_monotonic_time(), __ATOMIC_RELAXED);
}

static gboolean watched(Watcher *w, int i)
{
	const ResKind *kind = res_kinds[i];
	gint64 read = __atomic_load_n(&w->api->read_us[i], __ATOMIC_RELAXED);
	gint64 window = MAX(store_kind_ttl_us(w->api, kind), w->period_us);

	return kind->list_path && read && g_get_monotonic_time() - read <= window;
}

static void pass(Watcher *w)
{
	CacheGetOptions o = store_refresh_options(w->api);

	for (int i = 0; res_kinds[i] && i < API_MAX_KINDS; i++) {
		g_autofree char *key = NULL;
		int rc;

		if (!watched(w, i))
			continue;
		key = key_list(res_kinds[i]);
		cache_invalidate(w->api->cache, key);
		rc = reader_list(w->api, res_kinds[i], &o, NULL, NULL, NULL);
		if (rc < 0)
			g_debug("watch: %s: %s", res_kinds[i]->dir, g_strerror(-rc));
	}
	__atomic_add_fetch(&w->passes, 1, __ATOMIC_RELAXED);
}

static gpointer watch_thread(gpointer data)
{
	Watcher *w = data;
	gint64 next = g_get_monotonic_time() + w->period_us;

	changes_set_thread_source("watch");
	g_mutex_lock(&w->lock);
	while (!w->stop) {
		if (!g_cond_wait_until(&w->cond, &w->lock, next) && !w->stop) {
			g_mutex_unlock(&w->lock);
			pass(w);
			g_mutex_lock(&w->lock);
			next = g_get_monotonic_time() + w->period_us;
		}
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

Watcher *watch_start(ApiClient *api, gint64 period_s)
{
	Watcher *w = g_new0(Watcher, 1);

	w->api = api;
	w->period_us = period_s * G_USEC_PER_SEC;
	g_mutex_init(&w->lock);
	g_cond_init(&w->cond);
	w->thread = g_thread_new("wksfs-watch", watch_thread, w);
	return w;
}

void watch_stop(Watcher *w)
{
	if (!w)
		return;
	g_mutex_lock(&w->lock);
	w->stop = TRUE;
	g_cond_signal(&w->cond);
	g_mutex_unlock(&w->lock);
	g_thread_join(w->thread);
	g_cond_clear(&w->cond);
	g_mutex_clear(&w->lock);
	g_free(w);
}

guint64 watch_passes(Watcher *w)
{
	return w ? __atomic_load_n(&w->passes, __ATOMIC_RELAXED) : 0;
}
