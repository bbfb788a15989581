/* test-cache.c — the cache on a fake clock: TTL (with its cache-off twin), single flight
 * under real threads, the generation guard against a GET racing a mutation (per key: an
 * unrelated invalidation refuses nothing, a listing loses exactly the object invalidated
 * during its flight, a late caller never shares an older flight), negative entries, the
 * remembered error, interrupted fetches, the LRU bound. Failed refreshes and staleness:
 * test-cache-stale.c. */
#include <errno.h>
#include <string.h>

#include "tests/cache-fixture.h"

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

/* A key stored again keeps one entry (its bytes those of the new value, the old value let
 * go, or kept if equal) and becomes the most recently used: the bound then evicts the
 * others first. */
static void test_store_again(void)
{
	g_autoptr(Cache) c = new_cache(3 * (2 + 900 + 96) + 100);
	g_autofree char *big = g_strnfill(900, 'x');
	g_autoptr(GBytes) small = g_bytes_new_static("abc", 3);
	g_autoptr(GBytes) v = g_bytes_new(big, 900);
	CacheTicket t = cache_ticket_take(c);
	CacheStats st, again;

	cache_store(c, "k1", v, 0, G_USEC_PER_SEC * 60, t);
	cache_get_stats(c, &st);
	cache_store(c, "k1", small, 0, G_USEC_PER_SEC * 60, t);
	cache_get_stats(c, &again);
	g_assert_cmpuint(again.entries, ==, 1);
	g_assert_cmpuint(again.bytes, ==, st.bytes - 900 + 3);
	g_autoptr(GBytes) got = cache_lookup(c, "k1", NULL);
	g_assert_true(got == small);
	/* An equal value (a refresh of an unchanged object) keeps the stored one. */
	g_autoptr(GBytes) equal = g_bytes_new("abc", 3);
	cache_store(c, "k1", equal, 0, G_USEC_PER_SEC * 60, t);
	g_autoptr(GBytes) kept = cache_lookup(c, "k1", NULL);
	g_assert_true(kept == small);
	cache_store(c, "k1", v, 0, G_USEC_PER_SEC * 60, t);
	cache_store(c, "k2", v, 0, G_USEC_PER_SEC * 60, t);
	cache_store(c, "k3", v, 0, G_USEC_PER_SEC * 60, t);
	cache_store(c, "k1", v, 0, G_USEC_PER_SEC * 60, t);	/* k2 now the oldest */
	cache_store(c, "k4", v, 0, G_USEC_PER_SEC * 60, t);	/* past the bound: one goes */
	cache_ticket_release(c, t);
	g_autoptr(GBytes) k1 = cache_lookup(c, "k1", NULL);
	g_autoptr(GBytes) k2 = cache_lookup(c, "k2", NULL);
	g_autoptr(GBytes) k4 = cache_lookup(c, "k4", NULL);
	g_assert_nonnull(k1);
	g_assert_null(k2);
	g_assert_nonnull(k4);
	cache_get_stats(c, &st);
	g_assert_cmpuint(st.entries, ==, 3);
	g_assert_cmpuint(st.evictions, ==, 1);
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
	g_test_add_func("/cache/error-memo", test_error_memo);
	g_test_add_func("/cache/interrupted-fetch", test_interrupted_fetch);
	g_test_add_func("/cache/lru-bound", test_lru_bound);
	g_test_add_func("/cache/invalidate-prefix", test_invalidate_prefix);
	g_test_add_func("/cache/store-again", test_store_again);
	return g_test_run();
}
