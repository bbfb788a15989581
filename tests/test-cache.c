/* test-cache.c — TTL and the generation guard, on a fake clock. */
#include "cache/cache.h"

static gint64 fake_now;

static gint64 fake_clock(gpointer data)
{
	return fake_now;
}

static void test_ttl(void)
{
	g_autoptr(Cache) c = cache_new(fake_clock, NULL);
	g_autoptr(GBytes) v = g_bytes_new_static("x", 1);
	gint64 stored = 0;

	fake_now = 1000;
	g_assert_true(cache_store(c, "k", v, 10 * G_USEC_PER_SEC, cache_generation(c)));
	fake_now += 9 * G_USEC_PER_SEC;
	GBytes *hit = cache_lookup(c, "k", &stored);
	g_assert_nonnull(hit);
	g_assert_cmpint(stored, ==, 1000);
	g_bytes_unref(hit);
	fake_now += 1 * G_USEC_PER_SEC;
	g_assert_null(cache_lookup(c, "k", NULL));

	CacheStats s;
	cache_get_stats(c, &s);
	g_assert_cmpuint(s.hits, ==, 1);
	g_assert_cmpuint(s.misses, ==, 1);
}

static void test_ttl_zero(void)
{
	g_autoptr(Cache) c = cache_new(fake_clock, NULL);
	g_autoptr(GBytes) v = g_bytes_new_static("x", 1);

	/* The twin of test_ttl: with caching off nothing is ever served. */
	g_assert_true(cache_store(c, "k", v, 0, cache_generation(c)));
	g_assert_null(cache_lookup(c, "k", NULL));
}

static void test_generation_guard(void)
{
	g_autoptr(Cache) c = cache_new(fake_clock, NULL);
	g_autoptr(GBytes) old = g_bytes_new_static("ACTIVE", 6);
	g_autoptr(GBytes) fresh = g_bytes_new_static("SHUTOFF", 7);

	/* A GET starts, a mutation invalidates, the GET's (pre-mutation) answer arrives. */
	guint64 gen = cache_generation(c);
	cache_invalidate(c, "O:desktops/d1");
	g_assert_false(cache_store(c, "O:desktops/d1", old, G_USEC_PER_SEC * 60, gen));
	g_assert_null(cache_lookup(c, "O:desktops/d1", NULL));

	/* A fetch that starts after the mutation stores normally. */
	g_assert_true(cache_store(c, "O:desktops/d1", fresh, G_USEC_PER_SEC * 60,
				  cache_generation(c)));
	g_autoptr(GBytes) got = cache_lookup(c, "O:desktops/d1", NULL);
	g_assert_true(g_bytes_equal(got, fresh));
}

static void test_invalidate_prefix(void)
{
	g_autoptr(Cache) c = cache_new(fake_clock, NULL);
	g_autoptr(GBytes) v = g_bytes_new_static("x", 1);
	guint64 gen = cache_generation(c);

	cache_store(c, "O:desktops/a", v, G_USEC_PER_SEC, gen);
	cache_store(c, "O:desktops/b", v, G_USEC_PER_SEC, gen);
	cache_store(c, "O:users/a", v, G_USEC_PER_SEC, gen);
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
	g_test_add_func("/cache/ttl-zero", test_ttl_zero);
	g_test_add_func("/cache/generation-guard", test_generation_guard);
	g_test_add_func("/cache/invalidate-prefix", test_invalidate_prefix);
	return g_test_run();
}
