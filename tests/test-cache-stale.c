/* test-cache-stale.c — the cache when refreshes fail, on a fake clock: stale-on-error,
 * invalidation that marks stale (and forget that drops), only -ENOENT removing a value, the
 * generation guard keeping a stale value stale, the remembered failure and source_down
 * that keep a dead network from being asked once per step; cache_peek, which sees a value
 * however stale, and how long a get says its answer stays fresh. */
#include "tests/cache-fixture.h"

#include <errno.h>

static void test_stale_on_error(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = G_USEC_PER_SEC };
	Source down = { .rc = -EIO };
	CacheGetOptions stale = { .stale_on_error = TRUE };
	CacheGetOptions strict = { 0 };
	CacheInfo info;
	int rc;

	g_autofree char *a = get(c, "k", &ok, &stale, NULL, &info);
	gint64 fetched = info.stored_us;
	fake_now += 2 * G_USEC_PER_SEC;
	g_autofree char *b = get(c, "k", &down, &stale, &rc, &info);
	g_assert_cmpstr(b, ==, "ACTIVE");
	g_assert_true(info.stale);
	g_assert_cmpint(info.refresh_error, ==, -EIO);
	g_assert_cmpint(info.stored_us, ==, fetched);	/* mtime stays the fetch time */

	/* The twin: without stale_on_error the failure shows. */
	g_assert_null(get(c, "k", &down, &strict, &rc, NULL));
	g_assert_cmpint(rc, ==, -EIO);
	/* And a missing object is never served stale. */
	Source gone = { .rc = -ENOENT };
	g_assert_null(get(c, "k", &gone, &stale, &rc, NULL));
	g_assert_cmpint(rc, ==, -ENOENT);
}

/* An invalidated value is never fresh again (the next get fetches), but it stays for
 * stale-on-error until a successful fetch replaces it. */
static void test_invalidate_marks_stale(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = 60 * G_USEC_PER_SEC };
	Source down = { .rc = -EIO };
	Source changed = { .value = "SHUTOFF", .ttl_us = 60 * G_USEC_PER_SEC };
	CacheGetOptions stale = { .stale_on_error = TRUE };
	CacheGetOptions strict = { 0 };
	CacheInfo info;
	int rc;

	g_autofree char *a = get(c, "O:desktops/d1", &ok, &stale, NULL, &info);
	gint64 fetched = info.stored_us;
	cache_invalidate(c, "O:desktops/d1");
	g_assert_null(cache_lookup(c, "O:desktops/d1", NULL));	/* not fresh */
	g_autofree char *b = get(c, "O:desktops/d1", &down, &stale, &rc, &info);
	g_assert_cmpint(down.fetches, ==, 1);			/* it asked */
	g_assert_cmpint(rc, ==, 0);
	g_assert_cmpstr(b, ==, "ACTIVE");			/* and kept the last good */
	g_assert_true(info.stale);
	g_assert_cmpint(info.refresh_error, ==, -EIO);
	g_assert_cmpint(info.stored_us, ==, fetched);
	/* A strict caller (ctl refresh) sees the failure; the value still stays. */
	cache_invalidate_prefix(c, "O:desktops/");
	g_assert_null(get(c, "O:desktops/d1", &down, &strict, &rc, NULL));
	g_assert_cmpint(rc, ==, -EIO);
	g_autofree char *d = get(c, "O:desktops/d1", &down, &stale, &rc, NULL);
	g_assert_cmpstr(d, ==, "ACTIVE");
	/* Only a successful fetch replaces it, and that is fresh again. */
	g_autofree char *e = get(c, "O:desktops/d1", &changed, &stale, &rc, &info);
	g_assert_cmpstr(e, ==, "SHUTOFF");
	g_assert_false(info.stale);
	g_autofree char *f = get(c, "O:desktops/d1", &down, &stale, &rc, &info);
	g_assert_cmpstr(f, ==, "SHUTOFF");
	g_assert_false(info.stale);

	/* The twin: forget drops the value, so the failure shows. */
	cache_forget(c, "O:desktops/d1");
	g_assert_null(get(c, "O:desktops/d1", &down, &stale, &rc, NULL));
	g_assert_cmpint(rc, ==, -EIO);
	g_autofree char *g = get(c, "O:desktops/d2", &ok, &stale, NULL, NULL);
	cache_forget_prefix(c, "O:");
	g_assert_null(get(c, "O:desktops/d2", &down, &stale, &rc, NULL));
	g_assert_cmpint(rc, ==, -EIO);

	/* A remembered "no such object" has nothing to serve: invalidation removes it. */
	Source missing = { .rc = -ENOENT };
	CacheGetOptions neg = { .negative_ttl_us = 60 * G_USEC_PER_SEC, .stale_on_error = TRUE };
	g_assert_null(get(c, "O:desktops/new", &missing, &neg, &rc, NULL));
	cache_invalidate(c, "O:desktops/new");
	g_autofree char *h = get(c, "O:desktops/new", &ok, &neg, &rc, NULL);
	g_assert_cmpstr(h, ==, "ACTIVE");
}

/* Only a 404 removes an invalidated value. */
static void test_enoent_removes(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = 60 * G_USEC_PER_SEC };
	Source gone = { .rc = -ENOENT };
	Source down = { .rc = -EIO };
	CacheGetOptions stale = { .stale_on_error = TRUE };
	int rc;

	g_autofree char *a = get(c, "k", &ok, &stale, NULL, NULL);
	cache_invalidate(c, "k");
	g_assert_null(get(c, "k", &gone, &stale, &rc, NULL));
	g_assert_cmpint(rc, ==, -ENOENT);
	g_assert_null(get(c, "k", &down, &stale, &rc, NULL));
	g_assert_cmpint(rc, ==, -EIO);		/* nothing left to serve */
}

static void invalidate_k(gpointer data)
{
	cache_invalidate(data, "k");
}

/* The guard with a value already cached: a fetch that raced an invalidation neither
 * replaces the old value nor makes it fresh again. */
static void test_generation_guard_stale(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source v1 = { .value = "v1", .ttl_us = 60 * G_USEC_PER_SEC };
	Source racing = { .value = "v2", .ttl_us = 60 * G_USEC_PER_SEC, .during = invalidate_k };
	Source down = { .rc = -EIO };
	Source v3 = { .value = "v3", .ttl_us = 60 * G_USEC_PER_SEC };
	CacheGetOptions stale = { .stale_on_error = TRUE };
	int rc;

	racing.during_data = c;
	g_autofree char *a = get(c, "k", &v1, &stale, NULL, NULL);
	cache_invalidate(c, "k");
	g_autofree char *b = get(c, "k", &racing, &stale, NULL, NULL);
	g_assert_cmpstr(b, ==, "v2");		/* its caller gets it */
	g_autofree char *d = get(c, "k", &down, &stale, &rc, NULL);
	g_assert_cmpstr(d, ==, "v1");		/* not stored; v1 is still the last good */
	g_autofree char *e = get(c, "k", &v3, &stale, NULL, NULL);
	g_assert_cmpstr(e, ==, "v3");		/* and never fresh */
	g_assert_cmpint(v3.fetches, ==, 1);
}

/* A failed refresh of a value is remembered for error_ttl: the steps right after it (the
 * kernel's lookup, open, fstat) are answered without asking again. */
static void test_stale_memo(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = G_USEC_PER_SEC };
	Source down = { .rc = -ETIMEDOUT };
	CacheGetOptions o = { .stale_on_error = TRUE, .error_ttl_us = G_USEC_PER_SEC };
	CacheGetOptions strict = { .error_ttl_us = G_USEC_PER_SEC };
	CacheGetOptions none = { .stale_on_error = TRUE };
	CacheInfo info;
	int rc;

	g_autofree char *a = get(c, "k", &ok, &o, NULL, NULL);
	fake_now += 2 * G_USEC_PER_SEC;
	for (int i = 0; i < 4; i++) {
		g_autofree char *v = get(c, "k", &down, &o, &rc, &info);

		g_assert_cmpstr(v, ==, "ACTIVE");
		g_assert_true(info.stale);
		g_assert_cmpint(info.refresh_error, ==, -ETIMEDOUT);
	}
	g_assert_cmpint(down.fetches, ==, 1);	/* one wait, not four */
	/* Without stale_on_error the failure is remembered the same way. */
	g_assert_null(get(c, "k", &down, &strict, &rc, NULL));
	g_assert_cmpint(rc, ==, -ETIMEDOUT);
	g_assert_cmpint(down.fetches, ==, 1);
	fake_now += G_USEC_PER_SEC;
	g_autofree char *b = get(c, "k", &down, &o, &rc, NULL);
	g_assert_cmpstr(b, ==, "ACTIVE");
	g_assert_cmpint(down.fetches, ==, 2);	/* the memo lapsed: asked again */
	/* An invalidation clears the memo: the next get asks at once. */
	cache_invalidate(c, "k");
	g_autofree char *d = get(c, "k", &down, &o, &rc, NULL);
	g_assert_cmpint(down.fetches, ==, 3);

	/* The twin: error_ttl 0 asks every time. */
	Source d2 = { .rc = -ETIMEDOUT };
	g_autofree char *x = get(c, "k2", &ok, &none, NULL, NULL);
	fake_now += 2 * G_USEC_PER_SEC;
	g_autofree char *y = get(c, "k2", &d2, &none, &rc, NULL);
	g_autofree char *z = get(c, "k2", &d2, &none, &rc, NULL);
	g_assert_cmpstr(z, ==, "ACTIVE");
	g_assert_cmpint(d2.fetches, ==, 2);
}

/* A caller that knows the source is down is served the expired or invalidated value at
 * once; data it does not have is still fetched, and fresh data is unaffected. */
static void test_source_down(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = G_USEC_PER_SEC };
	Source down = { .rc = -ETIMEDOUT };
	CacheGetOptions up = { .stale_on_error = TRUE };
	CacheGetOptions o = { .stale_on_error = TRUE, .source_down = -ETIMEDOUT };
	CacheInfo info;
	int rc;

	g_autofree char *a = get(c, "a", &ok, &up, NULL, NULL);
	g_autofree char *b = get(c, "b", &ok, &up, NULL, NULL);
	fake_now += 2 * G_USEC_PER_SEC;
	cache_invalidate(c, "b");
	g_autofree char *x = get(c, "a", &down, &o, &rc, &info);
	g_autofree char *y = get(c, "b", &down, &o, &rc, NULL);
	g_assert_cmpstr(x, ==, "ACTIVE");
	g_assert_cmpstr(y, ==, "ACTIVE");
	g_assert_true(info.stale);
	g_assert_cmpint(info.refresh_error, ==, -ETIMEDOUT);
	g_assert_cmpint(down.fetches, ==, 0);	/* no wait at all */
	g_assert_null(get(c, "missing", &down, &o, &rc, NULL));
	g_assert_cmpint(rc, ==, -ETIMEDOUT);
	g_assert_cmpint(down.fetches, ==, 1);	/* nothing to serve: it asks */

	/* The twins: without source_down, or without stale_on_error, it asks. */
	CacheGetOptions strict = { .source_down = -ETIMEDOUT };
	g_autofree char *z = get(c, "a", &down, &up, &rc, NULL);
	g_assert_cmpint(down.fetches, ==, 2);
	g_assert_null(get(c, "a", &down, &strict, &rc, NULL));
	g_assert_cmpint(down.fetches, ==, 3);
}

static char *peek(Cache *c, const char *key)
{
	g_autoptr(GBytes) v = cache_peek(c, key);

	return v ? g_strndup(g_bytes_get_data(v, NULL), g_bytes_get_size(v)) : NULL;
}

/* cache_peek sees the value held whatever its freshness (a fetch compares its answer with
 * it), counts neither a hit nor a miss, and sees nothing once the value is gone. */
static void test_peek(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = G_USEC_PER_SEC };
	Source gone = { .rc = -ENOENT };
	CacheGetOptions neg = { .negative_ttl_us = 60 * G_USEC_PER_SEC };
	CacheStats before, after;
	int rc;

	g_assert_null(cache_peek(c, "k"));
	g_autofree char *a = get(c, "k", &ok, NULL, NULL, NULL);
	cache_get_stats(c, &before);
	g_autofree char *fresh = peek(c, "k");
	fake_now += 2 * G_USEC_PER_SEC;
	g_assert_null(cache_lookup(c, "k", NULL));		/* expired */
	g_autofree char *expired = peek(c, "k");
	cache_invalidate(c, "k");
	g_autofree char *invalidated = peek(c, "k");
	g_assert_cmpstr(fresh, ==, "ACTIVE");
	g_assert_cmpstr(expired, ==, "ACTIVE");
	g_assert_cmpstr(invalidated, ==, "ACTIVE");
	cache_get_stats(c, &after);
	g_assert_cmpuint(after.hits, ==, before.hits);
	g_assert_cmpuint(after.misses, ==, before.misses + 1);	/* the lookup's */

	/* A 404 removes the value and a remembered "no such object" is not one. */
	g_assert_null(get(c, "k", &gone, &neg, &rc, NULL));
	g_assert_cmpint(rc, ==, -ENOENT);
	g_assert_null(cache_peek(c, "k"));
	g_autofree char *b = get(c, "k2", &ok, NULL, NULL, NULL);
	cache_forget(c, "k2");
	g_assert_null(cache_peek(c, "k2"));
}

/* A get says until when its answer is fresh: the TTL from the fetch, what is left of it on
 * a hit, nothing for a stale answer or one not kept. */
static void test_expires(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source ok = { .value = "ACTIVE", .ttl_us = 10 * G_USEC_PER_SEC };
	Source uncached = { .value = "ACTIVE", .ttl_us = 0 };
	Source down = { .rc = -EIO };
	CacheGetOptions stale = { .stale_on_error = TRUE };
	CacheInfo info;

	g_autofree char *a = get(c, "k", &ok, &stale, NULL, &info);
	g_assert_cmpint(info.expires_us, ==, fake_now + 10 * G_USEC_PER_SEC);
	gint64 expires = info.expires_us;
	fake_now += 4 * G_USEC_PER_SEC;
	g_autofree char *b = get(c, "k", &ok, &stale, NULL, &info);
	g_assert_cmpint(info.expires_us, ==, expires);		/* 6 s left */
	g_assert_cmpint(ok.fetches, ==, 1);
	cache_invalidate(c, "k");
	g_autofree char *d = get(c, "k", &down, &stale, NULL, &info);
	g_assert_true(info.stale);
	g_assert_cmpint(info.expires_us, <=, fake_now);
	g_autofree char *e = get(c, "u", &uncached, &stale, NULL, &info);
	g_assert_cmpstr(e, ==, "ACTIVE");
	g_assert_cmpint(info.expires_us, <=, fake_now);
}

static gboolean collect_key(const char *key, GBytes *value, gpointer data)
{
	g_ptr_array_add(data, g_strdup(key));
	return TRUE;
}

/* A snapshot's entries (cache_restore): never fresh, served while the source is down,
 * replaced by the first successful fetch; a key already held is left alone. cache_walk
 * sees every value, most recently used first, and no remembered error. */
static void test_restore_walk(void)
{
	g_autoptr(Cache) c = new_cache(0);
	g_autoptr(GBytes) old = g_bytes_new_static("OLD", 3);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	Source ok = { .value = "NEW", .ttl_us = G_USEC_PER_SEC };
	Source down = { .rc = -ECONNREFUSED };
	Source gone = { .rc = -ENOENT };
	CacheGetOptions stale = { .stale_on_error = TRUE, .negative_ttl_us = G_USEC_PER_SEC };
	int rc;

	cache_restore(c, "r", old);
	g_assert_cmpint(cache_state(c, "r", NULL), ==, CACHE_INVALIDATED);
	g_assert_null(cache_lookup(c, "r", NULL));
	g_autofree char *a = get(c, "r", &down, &stale, &rc, NULL);
	g_assert_cmpstr(a, ==, "OLD");
	g_assert_cmpint(down.fetches, ==, 1);	/* it asked: never fresh */
	g_autofree char *b = get(c, "r", &ok, &stale, &rc, NULL);
	g_assert_cmpstr(b, ==, "NEW");
	cache_restore(c, "r", old);		/* held already: stays NEW, fresh */
	g_assert_cmpint(cache_state(c, "r", NULL), ==, CACHE_FRESH);

	g_autofree char *x = get(c, "x", &ok, &stale, &rc, NULL);
	g_assert_null(get(c, "neg", &gone, &stale, &rc, NULL));
	g_autofree char *again = get(c, "r", &ok, &stale, &rc, NULL);	/* r used last */
	cache_walk(c, collect_key, keys);
	g_assert_cmpuint(keys->len, ==, 2);
	g_assert_cmpstr(keys->pdata[0], ==, "r");
	g_assert_cmpstr(keys->pdata[1], ==, "x");
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/stale-on-error", test_stale_on_error);
	g_test_add_func("/cache/invalidate-marks-stale", test_invalidate_marks_stale);
	g_test_add_func("/cache/enoent-removes", test_enoent_removes);
	g_test_add_func("/cache/generation-guard-stale", test_generation_guard_stale);
	g_test_add_func("/cache/stale-memo", test_stale_memo);
	g_test_add_func("/cache/source-down", test_source_down);
	g_test_add_func("/cache/peek", test_peek);
	g_test_add_func("/cache/expires", test_expires);
	g_test_add_func("/cache/restore-walk", test_restore_walk);
	return g_test_run();
}
