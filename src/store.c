/* store.c — the caching policy every fetch and every mutation shares: per-kind TTLs, the
 * options of a read, the outage window, and invalidation.
 *
 * Owns: how long data stays fresh (per kind), how a read treats a failure (negative entries,
 * stale-on-error, a failure remembered for a second) and, while the API is known to be down
 * (the outage window below), that reads which have stale data serve it without asking, so
 * one `ls -l` waits for a dead network once, not once per object. A mutation marks exactly
 * the object stale (only a successful re-fetch replaces it, only a 404 removes it, only
 * `forget` drops it) with what is derived from it, and puts its name in doubt rather than
 * its collection's listing (see doubt.c). The filesystem is told through the callback
 * (ApiClient.on_invalidate), the only way up: after an invalidation, and when a fetch
 * brought an object whose bytes changed.
 * Must not: fetch (reader.c, listing.c, links.c and jobs.c do; the reads report to the
 * outage window here), or call up into api.c: it sits below every module that reads or
 * changes the Workspace.
 */
#include "src/store.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "src/api-private.h"
#include "src/changes.h"
#include "src/doubt.h"
#include "src/keys.h"
#include "src/render.h"

gint64 store_kind_ttl_us(ApiClient *api, const ResKind *kind)
{
	int i = res_kind_index(kind);

	return i >= 0 && i < API_MAX_KINDS ? api->ttl_us[i] : 0;
}

/* A failure is remembered for a second: the kernel revalidates a dentry whose lookup
 * failed with a second lookup at once, and one `cat` is lookup, lookup, open, fstat: each
 * would wait for the network again. */
#define ERROR_TTL_US G_USEC_PER_SEC

/* The outage window: after a fetch failed for want of the API (the client went offline: a
 * transport failure, a timeout, a 5xx, throttling), reads that have stale data serve it at
 * once for as long as the failed fetch took — a stalled API cost a whole timeout, so asking
 * again costs at most as long as serving stale saved; a quick 503 is asked again soon —
 * at least OUTAGE_MIN_US, at most OUTAGE_MAX_US. Recovery: the window ends early as soon
 * as any request succeeds (the client is online again: a read of data not cached, a write,
 * the job poller), and the first read after the window asks the API again. */
#define OUTAGE_MIN_US G_USEC_PER_SEC
#define OUTAGE_MAX_US (30 * G_USEC_PER_SEC)

void store_fetch_done(ApiClient *api, int rc, gint64 started_us)
{
	gint64 now = g_get_monotonic_time();

	if (rc >= 0 || rc == -ENOENT || rc == -EINTR || rc == -ECANCELED ||
	    wks_client_online(api->client))
		return;
	g_mutex_lock(&api->lock);
	api->outage_error = rc;
	api->outage_until_us = now + CLAMP(now - started_us, OUTAGE_MIN_US, OUTAGE_MAX_US);
	g_mutex_unlock(&api->lock);
}

/* The outage's -errno while its window is open and nothing has succeeded since, else 0. */
static int outage_error_now(ApiClient *api)
{
	gint64 now = g_get_monotonic_time();
	int rc = 0;

	if (wks_client_online(api->client))
		return 0;
	g_mutex_lock(&api->lock);
	if (now < api->outage_until_us)
		rc = api->outage_error;
	g_mutex_unlock(&api->lock);
	return rc;
}

CacheGetOptions store_cache_options(ApiClient *api)
{
	return (CacheGetOptions){ api->negative_ttl_us, api->stale_on_error, ERROR_TTL_US,
				  outage_error_now(api) };
}

CacheGetOptions store_refresh_options(ApiClient *api)
{
	return (CacheGetOptions){ api->negative_ttl_us, FALSE, 0, 0 };
}

/* Gives memory freed in bulk back to the system. Parsed pages and evicted objects are freed
 * on many threads' glibc arenas, which keep it otherwise: memory would follow the size of
 * the tenant instead of max_cache_mb. */
void store_release_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* The filesystem's callback: it only queues work (ApiInvalidateFunc). */
static void notify(ApiClient *api, const ResKind *kind, const char *name)
{
	if (api->on_invalidate)
		api->on_invalidate(kind, name, api->on_invalidate_data);
}

void store_object_stored(ApiClient *api, const ResKind *kind, const char *name,
			 GBytes *previous, GBytes *blob)
{
	if (!previous)
		return;
	changes_object(api->changes, kind, name, previous, blob);
	if (render_version_ns(previous) == render_version_ns(blob))
		return;
	notify(api, kind, name);
}

void store_expect(ApiClient *api, const ResKind *kind, const char *name, const char *source)
{
	changes_expect(api->changes, kind, name, source);
}

void store_listing_stored(ApiClient *api, const ResKind *kind, const char *old_names,
			  gsize old_len, const char *new_names, gsize new_len, gboolean moved)
{
	changes_listing(api->changes, kind, old_names, old_len, new_names, new_len);
	if (moved)
		notify(api, kind, NULL);
}

/* Marks stale (drop FALSE) or drops (TRUE) an object or a collection, what is derived from
 * it, and tells the filesystem. */
static void invalidate(ApiClient *api, const ResKind *kind, const char *name, gboolean drop)
{
	void (*one)(Cache *, const char *) = drop ? cache_forget : cache_invalidate;
	void (*prefix)(Cache *, const char *) = drop ? cache_forget_prefix
						      : cache_invalidate_prefix;
	g_autofree char *lkey = key_list(kind);
	g_autofree char *derived = key_indexes(kind);
	gboolean names_kept = FALSE;

	if (name) {
		g_autofree char *okey = key_object(kind, name);
		g_autofree char *subs = key_subs(kind, name);

		one(api->cache, okey);
		prefix(api->cache, subs);	/* its sub-collections */
		/* After the object: a read that settles the doubt must see it stale. */
		names_kept = !drop && api_doubt_add(api, kind, name);
	} else {
		api_doubts_forget(api, kind);	/* the listing is read again anyway */
	}
	if (!name && drop) {
		g_autofree char *objects = key_objects(kind);
		g_autofree char *subs = key_subs(kind, NULL);

		prefix(api->cache, objects);
		prefix(api->cache, subs);
	}
	if (!names_kept)
		one(api->cache, lkey);
	prefix(api->cache, derived);	/* indexes derived from the listing (links.c) */
	notify(api, kind, name);
}

void store_invalidate(ApiClient *api, const ResKind *kind, const char *name)
{
	invalidate(api, kind, name, FALSE);
}

void store_invalidate_all(ApiClient *api, const ResKind *kind)
{
	g_autofree char *objects = key_objects(kind);
	g_autofree char *subs = key_subs(kind, NULL);

	cache_invalidate_prefix(api->cache, objects);
	cache_invalidate_prefix(api->cache, subs);
	invalidate(api, kind, NULL, FALSE);
}

void store_forget(ApiClient *api, const ResKind *kind, const char *name)
{
	if (!kind) {
		cache_forget_prefix(api->cache, "");
		for (int i = 0; res_kinds[i]; i++)
			api_doubts_forget(api, res_kinds[i]);
		for (int i = 0; res_kinds[i]; i++)
			notify(api, res_kinds[i], NULL);
		store_release_memory();
		return;
	}
	invalidate(api, kind, name, TRUE);
	if (!name)
		store_release_memory();
}
