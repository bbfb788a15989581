/* cache-fixture.h — what the cache's unit tests share: a fake clock, and a Source whose
 * fetches they count, gate, fail or interrupt. Included by one test file per executable. */
#pragma once

#include "cache/cache.h"

#include <string.h>

static gint64 fake_now;

static inline gint64 fake_clock(gpointer data)
{
	return fake_now;
}

static inline Cache *new_cache(gsize max_bytes)
{
	CacheConfig cfg = { fake_clock, NULL, max_bytes };

	fake_now = 1000;
	return cache_new(&cfg);
}

typedef struct {
	gint fetches;		/* atomic */
	int rc;
	const char *value;
	gint64 ttl_us;
	/* Optional gate: the fetch blocks until opened (single-flight test). */
	GMutex lock;
	GCond cond;
	gboolean gated;
	gboolean open;
	/* Optional hook run in the middle of the fetch (the race test). */
	void (*during)(gpointer);
	gpointer during_data;
} Source;

static inline int fetch(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	Source *s = data;

	g_atomic_int_inc(&s->fetches);
	if (s->gated) {
		g_mutex_lock(&s->lock);
		while (!s->open)
			g_cond_wait(&s->cond, &s->lock);
		g_mutex_unlock(&s->lock);
	}
	if (s->during)
		s->during(s->during_data);
	if (s->rc < 0)
		return s->rc;
	*ret_value = g_bytes_new(s->value, strlen(s->value));
	*ret_ttl_us = s->ttl_us;
	return 0;
}

static inline char *get(Cache *c, const char *key, Source *s, const CacheGetOptions *o, int *ret_rc,
		 CacheInfo *ret_info)
{
	g_autoptr(GBytes) v = NULL;
	int rc = cache_get(c, key, fetch, s, o, &v, ret_info);

	if (ret_rc)
		*ret_rc = rc;
	return rc == 0 ? g_strndup(g_bytes_get_data(v, NULL), g_bytes_get_size(v)) : NULL;
}
