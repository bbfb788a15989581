/* test-cache.c — the cache on a fake clock: TTL (with its cache-off twin), single flight
 * under real threads, the generation guard against a GET racing a mutation (per key: an
 * unrelated invalidation refuses nothing, a listing loses exactly the object invalidated
 * during its flight, a late caller never shares an older flight), negative
 * entries, stale-on-error, invalidation that marks stale (and forget that drops), the
 * remembered failure and source_down that keep a dead network from being asked once per
 * step, the LRU bound. */
#include "cache/cache.h"

#include <errno.h>
#include <string.h>

static gint64 fake_now;

static gint64 fake_clock(gpointer data)
{
	return fake_now;
}

static Cache *new_cache(gsize max_bytes)
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

static int fetch(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
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

static char *get(Cache *c, const char *key, Source *s, const CacheGetOptions *o, int *ret_rc,
		 CacheInfo *ret_info)
{
	g_autoptr(GBytes) v = NULL;
	int rc = cache_get(c, key, fetch, s, o, &v, ret_info);

	if (ret_rc)
		*ret_rc = rc;
	return rc == 0 ? g_strndup(g_bytes_get_data(v, NULL), g_bytes_get_size(v)) : NULL;
}

static void expiry(gint64 ttl_us, int *ret_inside, int *ret_after)
{
	g_autoptr(Cache) c = new_cache(0);
	Source s = { .value = "ACTIVE", .ttl_us = ttl_us };
	g_autofree char *a = get(c, "k", &s, NULL, NULL, NULL);

	fake_now += 5 * G_USEC_PER_SEC;
	g_autofree char *b = get(c, "k", &s, NULL, NULL, NULL);
	*ret_inside = s.fetches - 1;
	fake_now += 10 * G_USEC_PER_SEC;
	g_autofree char *d = get(c, "k", &s, NULL, NULL, NULL);
	*ret_after = s.fetches - 1 - *ret_inside;
	g_assert_cmpstr(a, ==, "ACTIVE");
	g_assert_cmpstr(d, ==, "ACTIVE");
}

static void test_ttl(void)
{
	int inside, after;

	expiry(10 * G_USEC_PER_SEC, &inside, &after);
	g_assert_cmpint(inside, ==, 0);	/* a second read inside the TTL: no fetch */
	g_assert_cmpint(after, ==, 1);	/* after it: exactly one */
}

static void test_ttl_off(void)
{
	int inside, after;

	/* The twin: with caching off every read fetches. */
	expiry(0, &inside, &after);
	g_assert_cmpint(inside, ==, 1);
	g_assert_cmpint(after, ==, 1);
}

typedef struct {
	Cache *cache;
	Source *source;
	char *got;
} Reader;

static gpointer reader(gpointer data)
{
	Reader *r = data;

	r->got = get(r->cache, "cold", r->source, NULL, NULL, NULL);
	return NULL;
}

static void single_flight(int *ret_fetches, guint64 *ret_coalesced)
{
	g_autoptr(Cache) c = new_cache(0);
	Source s = { .value = "v", .ttl_us = G_USEC_PER_SEC, .gated = TRUE };
	Reader r[16];
	GThread *t[16];
	CacheStats st;

	g_mutex_init(&s.lock);
	g_cond_init(&s.cond);
	for (int i = 0; i < 16; i++) {
		r[i] = (Reader){ c, &s, NULL };
		t[i] = g_thread_new("reader", reader, &r[i]);
	}
	/* Wait until all 16 are in: one fetching (held at the gate), 15 waiting on its
	 * flight. */
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	do {
		cache_get_stats(c, &st);
		g_usleep(1000);
	} while (st.coalesced < 15 && g_get_monotonic_time() < deadline);
	g_mutex_lock(&s.lock);
	s.open = TRUE;
	g_cond_broadcast(&s.cond);
	g_mutex_unlock(&s.lock);
	for (int i = 0; i < 16; i++) {
		g_thread_join(t[i]);
		g_assert_cmpstr(r[i].got, ==, "v");
		g_free(r[i].got);
	}
	cache_get_stats(c, &st);
	*ret_fetches = s.fetches;
	*ret_coalesced = st.coalesced;
	g_mutex_clear(&s.lock);
	g_cond_clear(&s.cond);
}

static void test_single_flight(void)
{
	int fetches;
	guint64 coalesced;

	single_flight(&fetches, &coalesced);
	g_assert_cmpint(fetches, ==, 1);
	g_assert_cmpuint(coalesced, ==, 15);
}

static void invalidate_during(gpointer data)
{
	cache_invalidate(data, "O:desktops/d1");
}

/* A GET starts, the mutation (and its invalidation) happens while it is in flight, and the
 * GET's pre-mutation answer arrives: it is returned to its caller but never stored. */
static void test_generation_guard(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source old = { .value = "ACTIVE", .ttl_us = 60 * G_USEC_PER_SEC,
		       .during = invalidate_during };
	Source fresh = { .value = "SHUTOFF", .ttl_us = 60 * G_USEC_PER_SEC };
	CacheStats st;

	old.during_data = c;
	g_autofree char *a = get(c, "O:desktops/d1", &old, NULL, NULL, NULL);
	g_assert_cmpstr(a, ==, "ACTIVE");
	g_autofree char *b = get(c, "O:desktops/d1", &fresh, NULL, NULL, NULL);
	g_assert_cmpstr(b, ==, "SHUTOFF");
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.refused, ==, 1);

	/* The twin: without the racing invalidation the first answer is cached. */
	g_autoptr(Cache) c2 = new_cache(0);
	Source plain = { .value = "ACTIVE", .ttl_us = 60 * G_USEC_PER_SEC };
	g_autofree char *x = get(c2, "O:desktops/d1", &plain, NULL, NULL, NULL);
	g_autofree char *y = get(c2, "O:desktops/d1", &fresh, NULL, NULL, NULL);
	g_assert_cmpstr(y, ==, "ACTIVE");

	/* Plain stores obey the same guard. */
	CacheTicket t = cache_ticket_take(c2);
	g_autoptr(GBytes) v = g_bytes_new_static("x", 1);
	cache_invalidate(c2, "k");
	g_assert_false(cache_store(c2, "k", v, 0, G_USEC_PER_SEC, t));
	cache_ticket_release(c2, t);
}

static void invalidate_d2(gpointer data)
{
	cache_invalidate(data, "O:desktops/d2");
}

static void invalidate_users(gpointer data)
{
	cache_invalidate_prefix(data, "O:users/");
}

static void invalidate_desktops(gpointer data)
{
	cache_invalidate_prefix(data, "O:desktops/");
}

/* Whether a GET of O:desktops/d1, with during() run in its flight, was stored: a second
 * get does not fetch. */
static gboolean stored_despite(void (*during)(gpointer))
{
	g_autoptr(Cache) c = new_cache(0);
	Source racing = { .value = "ACTIVE", .ttl_us = 60 * G_USEC_PER_SEC, .during = during };
	Source again = { .value = "SHUTOFF", .ttl_us = 60 * G_USEC_PER_SEC };
	CacheStats st;

	racing.during_data = c;
	g_autofree char *a = get(c, "O:desktops/d1", &racing, NULL, NULL, NULL);
	g_assert_cmpstr(a, ==, "ACTIVE");	/* its caller has it either way */
	g_autofree char *b = get(c, "O:desktops/d1", &again, NULL, NULL, NULL);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.marks, ==, 0);	/* nothing in flight: nothing remembered */
	g_assert_cmpuint(st.refused, ==, (guint64)again.fetches);
	return again.fetches == 0;
}

/* The guard is per key: an invalidation of another key (or of a prefix that does not
 * cover it) during a fetch refuses nothing; one of the key or of its prefix refuses it. */
static void test_guard_per_key(void)
{
	g_assert_true(stored_despite(invalidate_d2));
	g_assert_true(stored_despite(invalidate_users));
	g_assert_false(stored_despite(invalidate_during));	/* O:desktops/d1 itself */
	g_assert_false(stored_despite(invalidate_desktops));
}

/* A listing stores many objects under one ticket: the one invalidated during its flight
 * keeps its (stale) value, every other is stored; a ticket taken after the invalidation
 * stores it. */
static void test_listing_skips_invalidated(void)
{
	g_autoptr(Cache) c = new_cache(0);
	g_autoptr(GBytes) old = g_bytes_new_static("old", 3);
	g_autoptr(GBytes) listed = g_bytes_new_static("listed", 6);
	CacheTicket before = cache_ticket_take(c);
	const char *keys[] = { "O:desktops/d1", "O:desktops/d2", "O:desktops/d3" };
	gint64 stored_us = 0;
	CacheStats st;

	g_assert_true(cache_store(c, "O:desktops/d2", old, 0, 60 * G_USEC_PER_SEC, before));
	CacheTicket listing = cache_ticket_take(c);

	cache_invalidate(c, "O:desktops/d2");	/* the mutation, during the listing */
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.marks, ==, 1);
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_true(cache_store(c, keys[i], listed, 0, 60 * G_USEC_PER_SEC, listing) ==
			      (i != 1));
	for (guint i = 0; i < G_N_ELEMENTS(keys); i++) {
		g_autoptr(GBytes) v = cache_lookup(c, keys[i], NULL);

		if (i == 1)
			g_assert_null(v);	/* not fresh: neither the old nor the listed */
		else
			g_assert_true(g_bytes_equal(v, listed));
	}
	g_assert_cmpint(cache_state(c, "O:desktops/d2", &stored_us), ==, CACHE_INVALIDATED);
	cache_ticket_release(c, listing);
	cache_ticket_release(c, before);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.refused, ==, 1);
	g_assert_cmpuint(st.marks, ==, 0);	/* no fetch in flight: forgotten */

	CacheTicket after = cache_ticket_take(c);
	g_assert_true(cache_store(c, "O:desktops/d2", listed, 0, 60 * G_USEC_PER_SEC, after));
	cache_ticket_release(c, after);
	g_assert_cmpint(cache_state(c, "O:desktops/d2", NULL), ==, CACHE_FRESH);
}

/* Marks live exactly as long as an older ticket: released out of order, the marks go when
 * the oldest ticket goes. */
static void test_marks_pruned(void)
{
	g_autoptr(Cache) c = new_cache(0);
	g_autoptr(GBytes) v = g_bytes_new_static("v", 1);
	CacheTicket t1 = cache_ticket_take(c);
	CacheStats st;

	cache_invalidate(c, "a");
	CacheTicket t2 = cache_ticket_take(c);
	cache_invalidate(c, "b");
	cache_invalidate(c, "b");		/* one mark per key */
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.marks, ==, 2);
	g_assert_true(cache_store(c, "a", v, 0, G_USEC_PER_SEC, t2));	/* after a's mark */
	g_assert_false(cache_store(c, "b", v, 0, G_USEC_PER_SEC, t2));
	cache_ticket_release(c, t2);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.marks, ==, 2);	/* t1 is older than both */
	g_assert_false(cache_store(c, "a", v, 0, G_USEC_PER_SEC, t1));
	cache_ticket_release(c, t1);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.marks, ==, 0);
}

/* A value counts from when it was fetched: a listing's objects expire with the listing. */
static void test_store_since(void)
{
	g_autoptr(Cache) c = new_cache(0);
	g_autoptr(GBytes) v = g_bytes_new_static("v", 1);
	gint64 start = fake_now = 10 * G_USEC_PER_SEC;
	CacheTicket t = cache_ticket_take(c);

	fake_now += 400 * 1000;
	g_assert_true(cache_store(c, "k", v, start, G_USEC_PER_SEC, t));
	g_assert_true(cache_store(c, "late", v, start - G_USEC_PER_SEC, G_USEC_PER_SEC, t));
	cache_ticket_release(c, t);
	g_assert_cmpint(cache_state(c, "late", NULL), ==, CACHE_ABSENT);	/* due on arrival */
	fake_now = start + G_USEC_PER_SEC - 1;
	g_assert_cmpint(cache_state(c, "k", NULL), ==, CACHE_FRESH);
	fake_now = start + G_USEC_PER_SEC;
	g_assert_cmpint(cache_state(c, "k", NULL), ==, CACHE_EXPIRED);
}

typedef struct {
	Cache *cache;
	Source *source;
	char *got;
	gboolean done;		/* atomic */
} LateReader;

static gpointer late_reader(gpointer data)
{
	LateReader *r = data;

	r->got = get(r->cache, "k", r->source, NULL, NULL, NULL);
	g_atomic_int_set(&r->done, TRUE);
	return NULL;
}

/* A caller that misses after an invalidation does not share the answer of a fetch that
 * started before it: it fetches anew (and gets the post-mutation state). */
static void test_late_caller_fetches(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source old = { .value = "old", .ttl_us = 60 * G_USEC_PER_SEC, .gated = TRUE };
	Source fresh = { .value = "new", .ttl_us = 60 * G_USEC_PER_SEC };
	LateReader r = { c, &old, NULL, FALSE };
	LateReader late = { c, &fresh, NULL, FALSE };
	GThread *t, *t2;
	gboolean late_done;
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	g_mutex_init(&old.lock);
	g_cond_init(&old.cond);
	t = g_thread_new("reader", late_reader, &r);
	while (!g_atomic_int_get(&old.fetches) && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	g_assert_cmpint(g_atomic_int_get(&old.fetches), ==, 1);
	cache_invalidate(c, "k");
	t2 = g_thread_new("late", late_reader, &late);
	/* It must not wait for the early fetch, which is held at its gate. */
	deadline = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	while (!g_atomic_int_get(&late.done) && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	late_done = g_atomic_int_get(&late.done);
	g_mutex_lock(&old.lock);
	old.open = TRUE;
	g_cond_broadcast(&old.cond);
	g_mutex_unlock(&old.lock);
	g_thread_join(t);
	g_thread_join(t2);
	g_assert_true(late_done);
	g_assert_cmpstr(late.got, ==, "new");
	g_assert_cmpint(fresh.fetches, ==, 1);
	g_free(late.got);
	g_assert_cmpstr(r.got, ==, "old");	/* the early caller has its own answer */
	g_free(r.got);
	g_autofree char *after = get(c, "k", &old, NULL, NULL, NULL);
	g_assert_cmpstr(after, ==, "new");	/* the early fetch was not stored over it */
	g_mutex_clear(&old.lock);
	g_cond_clear(&old.cond);
}

static void test_negative(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source missing = { .rc = -ENOENT };
	CacheGetOptions o = { .negative_ttl_us = 5 * G_USEC_PER_SEC };
	int rc;

	g_assert_null(get(c, "k", &missing, &o, &rc, NULL));
	g_assert_cmpint(rc, ==, -ENOENT);
	g_assert_null(get(c, "k", &missing, &o, &rc, NULL));
	g_assert_cmpint(missing.fetches, ==, 1);	/* remembered */
	fake_now += 5 * G_USEC_PER_SEC;
	g_assert_null(get(c, "k", &missing, &o, &rc, NULL));
	g_assert_cmpint(missing.fetches, ==, 2);	/* expired */

	/* The twin: negative_ttl 0 remembers nothing. */
	CacheGetOptions none = { 0 };
	Source m2 = { .rc = -ENOENT };
	g_assert_null(get(c, "k2", &m2, &none, &rc, NULL));
	g_assert_null(get(c, "k2", &m2, &none, &rc, NULL));
	g_assert_cmpint(m2.fetches, ==, 2);
}

static void test_error_memo(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source down = { .rc = -ETIMEDOUT };
	CacheGetOptions o = { .error_ttl_us = G_USEC_PER_SEC };
	CacheGetOptions none = { 0 };
	int rc;

	g_assert_null(get(c, "k", &down, &o, &rc, NULL));
	g_assert_null(get(c, "k", &down, &o, &rc, NULL));
	g_assert_cmpint(rc, ==, -ETIMEDOUT);
	g_assert_cmpint(down.fetches, ==, 1);	/* the immediate retry waits for nothing */
	fake_now += G_USEC_PER_SEC;
	g_assert_null(get(c, "k", &down, &o, &rc, NULL));
	g_assert_cmpint(down.fetches, ==, 2);
	/* The twin: without error_ttl every call goes out. */
	Source d2 = { .rc = -ETIMEDOUT };
	g_assert_null(get(c, "k2", &d2, &none, &rc, NULL));
	g_assert_null(get(c, "k2", &d2, &none, &rc, NULL));
	g_assert_cmpint(d2.fetches, ==, 2);
}

/* Only the first fetch is interrupted (its caller got a signal); the next one answers. */
static void interrupt_first(gpointer data)
{
	Source *s = data;

	s->rc = g_atomic_int_get(&s->fetches) == 1 ? -EINTR : 0;
}

/* An interrupted fetch says nothing about the key: it is not remembered, and a caller that
 * waited on it fetches for itself instead of failing with someone else's EINTR. */
static void test_interrupted_fetch(void)
{
	g_autoptr(Cache) c = new_cache(0);
	Source intr = { .rc = -EINTR };
	Source down = { .rc = -ETIMEDOUT };
	CacheGetOptions o = { .error_ttl_us = G_USEC_PER_SEC };
	CacheStats st;
	int rc;

	g_assert_null(get(c, "k", &intr, &o, &rc, NULL));
	g_assert_cmpint(rc, ==, -EINTR);
	g_assert_null(get(c, "k", &intr, &o, &rc, NULL));
	g_assert_cmpint(intr.fetches, ==, 2);	/* not remembered */
	/* The twin: any other failure is, for error_ttl. */
	g_assert_null(get(c, "k2", &down, &o, &rc, NULL));
	g_assert_null(get(c, "k2", &down, &o, &rc, NULL));
	g_assert_cmpint(down.fetches, ==, 1);

	/* A waiter on an interrupted flight fetches again and gets the value. */
	Source s = { .value = "v", .ttl_us = G_USEC_PER_SEC, .gated = TRUE,
		     .during = interrupt_first };
	s.during_data = &s;
	g_mutex_init(&s.lock);
	g_cond_init(&s.cond);
	Reader first = { c, &s, NULL }, second = { c, &s, NULL };
	GThread *t1 = g_thread_new("reader", reader, &first);
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (g_atomic_int_get(&s.fetches) < 1 && g_get_monotonic_time() < deadline)
		g_usleep(1000);
	GThread *t2 = g_thread_new("reader", reader, &second);
	do {
		cache_get_stats(c, &st);
		g_usleep(1000);
	} while (st.coalesced < 1 && g_get_monotonic_time() < deadline);
	g_mutex_lock(&s.lock);
	s.open = TRUE;
	g_cond_broadcast(&s.cond);
	g_mutex_unlock(&s.lock);
	g_thread_join(t1);
	g_thread_join(t2);
	g_assert_null(first.got);		/* the interrupted caller */
	g_assert_cmpstr(second.got, ==, "v");	/* the waiter, by a fetch of its own */
	g_assert_cmpint(s.fetches, ==, 2);
	g_free(second.got);
	g_mutex_clear(&s.lock);
	g_cond_clear(&s.cond);
}

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

static void test_lru_bound(void)
{
	g_autoptr(Cache) c = new_cache(4096);
	g_autofree char *big = g_strnfill(900, 'x');
	CacheTicket t = cache_ticket_take(c);
	CacheStats st;

	for (int i = 0; i < 20; i++) {
		g_autofree char *key = g_strdup_printf("k%d", i);
		g_autoptr(GBytes) v = g_bytes_new(big, 900);

		cache_store(c, key, v, 0, G_USEC_PER_SEC * 60, t);
		if (i == 10) {
			/* Touch k0..: k9 stays recently used. */
			g_autoptr(GBytes) hit = cache_lookup(c, "k9", NULL);
			g_assert_nonnull(hit);
		}
	}
	cache_ticket_release(c, t);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.bytes, <=, 4096);
	g_assert_cmpuint(st.evictions, >, 0);
	g_autoptr(GBytes) newest = cache_lookup(c, "k19", NULL);
	g_assert_nonnull(newest);
	g_autoptr(GBytes) oldest = cache_lookup(c, "k0", NULL);
	g_assert_null(oldest);
}

static void test_invalidate_prefix(void)
{
	g_autoptr(Cache) c = new_cache(0);
	g_autoptr(GBytes) v = g_bytes_new_static("x", 1);
	CacheTicket t = cache_ticket_take(c);

	cache_store(c, "O:desktops/a", v, 0, G_USEC_PER_SEC, t);
	cache_store(c, "O:desktops/b", v, 0, G_USEC_PER_SEC, t);
	cache_store(c, "O:users/a", v, 0, G_USEC_PER_SEC, t);
	cache_ticket_release(c, t);
	cache_invalidate_prefix(c, "O:desktops/");
	g_assert_null(cache_lookup(c, "O:desktops/a", NULL));
	g_assert_null(cache_lookup(c, "O:desktops/b", NULL));
	g_autoptr(GBytes) u = cache_lookup(c, "O:users/a", NULL);
	g_assert_nonnull(u);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/cache/ttl", test_ttl);
	g_test_add_func("/cache/ttl-off", test_ttl_off);
	g_test_add_func("/cache/single-flight", test_single_flight);
	g_test_add_func("/cache/generation-guard", test_generation_guard);
	g_test_add_func("/cache/guard-per-key", test_guard_per_key);
	g_test_add_func("/cache/listing-skips-invalidated", test_listing_skips_invalidated);
	g_test_add_func("/cache/marks-pruned", test_marks_pruned);
	g_test_add_func("/cache/store-since", test_store_since);
	g_test_add_func("/cache/late-caller-fetches", test_late_caller_fetches);
	g_test_add_func("/cache/negative", test_negative);
	g_test_add_func("/cache/stale-on-error", test_stale_on_error);
	g_test_add_func("/cache/error-memo", test_error_memo);
	g_test_add_func("/cache/interrupted-fetch", test_interrupted_fetch);
	g_test_add_func("/cache/lru-bound", test_lru_bound);
	g_test_add_func("/cache/invalidate-prefix", test_invalidate_prefix);
	g_test_add_func("/cache/invalidate-marks-stale", test_invalidate_marks_stale);
	g_test_add_func("/cache/enoent-removes", test_enoent_removes);
	g_test_add_func("/cache/generation-guard-stale", test_generation_guard_stale);
	g_test_add_func("/cache/stale-memo", test_stale_memo);
	g_test_add_func("/cache/source-down", test_source_down);
	return g_test_run();
}
