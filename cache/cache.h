/* cache.h — a TTL cache of immutable GBytes values, keyed by strings (glib only), with
 * single flight, a per-key generation guard, negative entries, stale-on-error and an LRU
 * bound. */
#pragma once

#include <glib.h>

typedef struct Cache Cache;

/* Monotonic microseconds; injectable so unit tests can drive time. */
typedef gint64 (*CacheClock)(gpointer user_data);

typedef struct {
	CacheClock clock;	/* NULL = g_get_monotonic_time */
	gpointer clock_data;
	gsize max_bytes;	/* bound on keys + values + overhead; 0 = unbounded */
} CacheConfig;

typedef struct {
	guint64 hits;
	guint64 misses;
	guint64 coalesced;	/* misses that waited for another caller's fetch */
	guint64 stale;		/* failed refreshes answered with the last good value */
	guint64 stores;
	guint64 refused;	/* stores dropped by the generation guard */
	guint64 marks;		/* invalidations remembered for fetches in flight */
	guint64 evictions;
	guint64 entries;
	guint64 bytes;
} CacheStats;

/* Fetches the value for a key: 0 with a value (ownership passes) and its TTL, or -errno.
 * Runs without any cache lock held. */
typedef int (*CacheFetchFunc)(gpointer user_data, GBytes **ret_value, gint64 *ret_ttl_us);

typedef struct {
	gint64 negative_ttl_us;		/* how long an -ENOENT is remembered; 0 = not at all */
	gboolean stale_on_error;	/* a failed refresh returns the expired value */
	gint64 error_ttl_us;		/* how long another failure is remembered (with or
					 * without a value to serve), so that a caller retrying
					 * at once (the kernel's lookup, lookup, open, fstat of
					 * one `cat`) is not made to wait for the network again */
	int source_down;		/* -errno: the caller knows the source is down; with
					 * stale_on_error an expired value is served at once,
					 * without fetching (0 = ask the source) */
} CacheGetOptions;

typedef struct {
	gint64 stored_us;	/* when the value was fetched (monotonic) */
	gboolean stale;		/* an expired (or invalidated) value served because the
				 * refresh failed, failed a moment ago, or the source is down */
	int refresh_error;	/* that failure's -errno when stale */
	gint64 expires_us;	/* when the value stops being fresh (monotonic): at or before
				 * now when it is not (stale, or not kept: a TTL of 0, a store
				 * the guard refused) */
} CacheInfo;

Cache *cache_new(const CacheConfig *config);
void cache_free(Cache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Cache, cache_free)

gint64 cache_now(Cache *cache);

/* The value for key: fresh from the cache, or fetched once however many callers miss at the
 * same time (the others wait and share the result). -errno when the fetch fails (or a
 * negative entry is fresh), unless stale_on_error finds an expired value to serve. */
int cache_get(Cache *cache, const char *key, CacheFetchFunc fetch, gpointer fetch_data,
	      const CacheGetOptions *options, GBytes **ret_value, CacheInfo *ret_info);

/* A fresh value (new reference) without fetching, or NULL. */
GBytes *cache_lookup(Cache *cache, const char *key, gint64 *ret_stored_us);
/* The value held for key however stale (expired, invalidated), or NULL: what a fetch
 * compares its answer with. Neither a hit nor a miss, and the LRU order stays. */
GBytes *cache_peek(Cache *cache, const char *key);

/* What the cache knows of a key without fetching: whether it holds a value, and whether that
 * value is fresh, expired (its TTL ran out) or invalidated (never fresh again). */
typedef enum {
	CACHE_ABSENT,		/* no value (never stored, dropped, or only a remembered error) */
	CACHE_FRESH,
	CACHE_EXPIRED,
	CACHE_INVALIDATED,
} CacheState;

CacheState cache_state(Cache *cache, const char *key, gint64 *ret_stored_us);

/* A fetch made outside cache_get (a listing storing many objects) holds a ticket from
 * before it goes to the network until its last store, and releases it once. A store made
 * with a ticket is refused when its key was invalidated (itself or by a prefix) after the
 * ticket was taken: the fetch may carry pre-mutation data. Invalidations of other keys do
 * not matter. */
typedef guint64 CacheTicket;

CacheTicket cache_ticket_take(Cache *cache);
void cache_ticket_release(Cache *cache, CacheTicket ticket);

/* Stores value (a reference is taken), fetched at since_us (cache_now's clock; 0 = now), to
 * expire at since_us + ttl_us; nothing is stored when that has passed. FALSE when refused by
 * the guard. */
gboolean cache_store(Cache *cache, const char *key, GBytes *value, gint64 since_us,
		     gint64 ttl_us, CacheTicket ticket);

/* Marks key stale: it is never served as fresh again, but its value stays for
 * stale_on_error until a successful fetch replaces it (or a -ENOENT removes it). A
 * remembered failure (negative or error entry) is dropped. Stores of key by fetches that
 * started before are refused, and callers that come after do not share their answer. */
void cache_invalidate(Cache *cache, const char *key);
/* The same for every key starting with prefix; "" is every key. */
void cache_invalidate_prefix(Cache *cache, const char *prefix);
/* Drops key, value and all (nothing left to serve stale); guarded like an invalidation. */
void cache_forget(Cache *cache, const char *key);
/* The same for every key starting with prefix; "" drops everything. */
void cache_forget_prefix(Cache *cache, const char *prefix);

void cache_get_stats(Cache *cache, CacheStats *ret_stats);

/* Calls func for each value held (fresh, expired or invalidated; not a remembered error),
 * the most recently used first, until it returns FALSE. A copy of the walk is taken under
 * the lock; func runs without it and may call into the cache. */
typedef gboolean (*CacheWalkFunc)(const char *key, GBytes *value, gpointer data);
void cache_walk(Cache *cache, CacheWalkFunc func, gpointer data);
/* Puts a value already out of date in the cache (a snapshot's): never fresh, served only as
 * stale data (stale_on_error) until a successful fetch replaces it. Not stored when the key
 * holds anything already. */
void cache_restore(Cache *cache, const char *key, GBytes *value);
