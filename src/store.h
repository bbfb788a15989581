/* store.h — the caching policy every fetch and every mutation shares (store.c): per-kind
 * TTLs, the options of a read, the outage window, invalidation and the filesystem's
 * callback. Below the reads (reader.c, listing.c, links.c), the mutations (mutate.c,
 * batch.c) and the job watcher (jobs.c). */
#pragma once

#include <glib.h>

#include "cache/cache.h"
#include "src/api.h"

/* How long an object or a listing of kind stays fresh (0: not cached). */
gint64 store_kind_ttl_us(ApiClient *api, const ResKind *kind);

/* The options every read uses: per-mount negative TTL and stale-on-error, a failure
 * remembered for a second, and source_down while the API is known to be down. */
CacheGetOptions store_cache_options(ApiClient *api);
/* `refresh`: ask the API now, whatever is remembered, and report its failure. */
CacheGetOptions store_refresh_options(ApiClient *api);

/* A fetch (started at started_us, monotonic) ended with rc: a failure for want of the API
 * opens the outage window. Every fetch function calls it. */
void store_fetch_done(ApiClient *api, int rc, gint64 started_us);

/* Gives memory freed in bulk (a listing's pages, a forget) back to the system. */
void store_release_memory(void);

/* A fetch stored blob for an object that held previous (the value it replaced, may be
 * NULL): when the bytes changed, the filesystem is told, as for an invalidation, so the
 * kernel drops what it keeps of the old ones. */
void store_object_stored(ApiClient *api, const ResKind *kind, const char *name,
			 GBytes *previous, GBytes *blob);

/* The next fetch of kind/name (name NULL: its listing) shows what source ("write", "job")
 * did, for /.wksfs/changes (changes.c): called before the invalidation that makes it due. */
void store_expect(ApiClient *api, const ResKind *kind, const char *name, const char *source);

/* A listing replaced the names old_names (packed, NUL-terminated) with new_names: the
 * names that came or went are in /.wksfs/changes, and when the names changed (moved: their
 * order too) the kernel is told of the collection. */
void store_listing_stored(ApiClient *api, const ResKind *kind, const char *old_names,
			  gsize old_len, const char *new_names, gsize new_len, gboolean moved);

/* Marks an object (name) or a whole collection (name NULL) stale in the cache, with what
 * is derived from it, then tells the filesystem. The data stays for stale-on-error until a
 * successful re-fetch replaces it. An object's invalidation leaves its collection's listing
 * (the names) alone when the object can be fetched by itself: the name is only in doubt,
 * and the next read of the object or of the listing settles it (a 404 marks the listing
 * stale). Safe from any thread. */
void store_invalidate(ApiClient *api, const ResKind *kind, const char *name);
/* Marks a collection stale with every object in it and their sub-collections: a change
 * reached objects it does not name (a new user's groups). As store_invalidate otherwise. */
void store_invalidate_all(ApiClient *api, const ResKind *kind);
/* `forget`: drops an object, a collection with its objects, or with kind NULL everything,
 * and tells the filesystem. */
void store_forget(ApiClient *api, const ResKind *kind, const char *name);
