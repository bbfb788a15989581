/* cache.c — the TTL cache behind every read.
 *
 * Owns: key -> (GBytes, stored_at, expires_at). Values are immutable and refcounted: a reader
 * takes a reference under the lock and reads without it. It must not know about HTTP, JSON or
 * FUSE; policy (what a mutation makes stale) belongs to the API layer.
 *
 * Locking: one GMutex guards the table, the generation and the counters; nothing slow ever
 * runs under it.
 *
 * Generation rule: every invalidation bumps `generation`. A fetch reads the generation before
 * it goes to the network and passes it to cache_store(); if any invalidation happened in
 * between, the store is refused, so a GET racing a mutation can never put the old state back
 * (sshfs's write counter). Conservative on purpose: an unrelated invalidation costs one
 * uncached fetch, never a wrong answer.
 */
#include "cache/cache.h"

#include <string.h>

typedef struct {
	GBytes *value;
	gint64 stored_us;
	gint64 expires_us;
} CacheEntry;

struct Cache {
	CacheClock clock;
	gpointer clock_data;
	GMutex lock;
	GHashTable *entries;	/* char* -> CacheEntry*; guarded by lock */
	guint64 generation;	/* guarded by lock */
	CacheStats stats;	/* guarded by lock (entries derived at read time) */
};

static void entry_free(gpointer p)
{
	CacheEntry *e = p;

	g_bytes_unref(e->value);
	g_free(e);
}

static gint64 default_clock(gpointer user_data)
{
	return g_get_monotonic_time();
}

Cache *cache_new(CacheClock clock, gpointer clock_data)
{
	Cache *cache = g_new0(Cache, 1);

	cache->clock = clock ? clock : default_clock;
	cache->clock_data = clock_data;
	g_mutex_init(&cache->lock);
	cache->entries = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, entry_free);
	return cache;
}

void cache_free(Cache *cache)
{
	if (!cache)
		return;
	g_hash_table_destroy(cache->entries);
	g_mutex_clear(&cache->lock);
	g_free(cache);
}

gint64 cache_now(Cache *cache)
{
	return cache->clock(cache->clock_data);
}

GBytes *cache_lookup(Cache *cache, const char *key, gint64 *ret_stored_us)
{
	gint64 now = cache_now(cache);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e = g_hash_table_lookup(cache->entries, key);

	if (!e || now >= e->expires_us) {
		cache->stats.misses++;
		return NULL;
	}
	cache->stats.hits++;
	if (ret_stored_us)
		*ret_stored_us = e->stored_us;
	return g_bytes_ref(e->value);
}

guint64 cache_generation(Cache *cache)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	return cache->generation;
}

gboolean cache_store(Cache *cache, const char *key, GBytes *value, gint64 ttl_us,
		     guint64 generation)
{
	gint64 now = cache_now(cache);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);
	CacheEntry *e;

	if (generation != cache->generation) {
		cache->stats.refused++;
		return FALSE;
	}
	if (ttl_us <= 0)
		return TRUE;	/* caching off: nothing to keep, nothing refused */
	e = g_new0(CacheEntry, 1);
	e->value = g_bytes_ref(value);
	e->stored_us = now;
	e->expires_us = now + ttl_us;
	g_hash_table_replace(cache->entries, g_strdup(key), e);
	cache->stats.stores++;
	return TRUE;
}

void cache_invalidate(Cache *cache, const char *key)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	cache->generation++;
	g_hash_table_remove(cache->entries, key);
}

static gboolean has_prefix(gpointer key, gpointer value, gpointer prefix)
{
	return g_str_has_prefix(key, prefix);
}

void cache_invalidate_prefix(Cache *cache, const char *prefix)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	cache->generation++;
	g_hash_table_foreach_remove(cache->entries, has_prefix, (gpointer)prefix);
}

void cache_get_stats(Cache *cache, CacheStats *ret_stats)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&cache->lock);

	*ret_stats = cache->stats;
	ret_stats->entries = g_hash_table_size(cache->entries);
}
