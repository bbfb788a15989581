/* cache.h — a TTL cache of immutable GBytes values, keyed by strings (glib only). */
#pragma once

#include <glib.h>

typedef struct Cache Cache;

/* Monotonic microseconds; injectable so unit tests can drive time. */
typedef gint64 (*CacheClock)(gpointer user_data);

typedef struct {
	guint64 hits;
	guint64 misses;
	guint64 stores;
	guint64 refused;	/* stores dropped by the generation guard */
	guint64 entries;
} CacheStats;

Cache *cache_new(CacheClock clock, gpointer clock_data);
void cache_free(Cache *cache);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Cache, cache_free)

gint64 cache_now(Cache *cache);

/* A fresh value: a new reference, and when it was stored (ret_stored_us may be NULL).
 * NULL when absent or expired. */
GBytes *cache_lookup(Cache *cache, const char *key, gint64 *ret_stored_us);

/* The generation a fetch starts under. A store made with an older generation is refused
 * when an invalidation happened since (the fetch may carry pre-mutation data). */
guint64 cache_generation(Cache *cache);

/* Stores value (a reference is taken) for ttl_us. Returns FALSE when refused. */
gboolean cache_store(Cache *cache, const char *key, GBytes *value, gint64 ttl_us,
		     guint64 generation);

void cache_invalidate(Cache *cache, const char *key);
void cache_invalidate_prefix(Cache *cache, const char *prefix);

void cache_get_stats(Cache *cache, CacheStats *ret_stats);
