/* test-listing.c — a listing's cached value: its names and their version, kept while a
 * re-fetch brings the same names in the same order, later as soon as they differ. */
#include "src/listing.h"

#include <string.h>

static GBytes *names(const char *packed, gsize len)
{
	return g_bytes_new(packed, len);
}

static gint64 version_of(GBytes *value)
{
	gint64 version = -1;
	gsize len;

	listing_names(value, &len, &version);
	return version;
}

static void test_names_and_version(void)
{
	g_autoptr(GBytes) two = names("d1\0d2\0", 6);
	g_autoptr(GBytes) value = listing_versioned(two, NULL);
	gint64 version = 0, wall = g_get_real_time() * 1000;
	gsize len = 0;
	const char *p = listing_names(value, &len, &version);

	g_assert_cmpuint(len, ==, 6);
	g_assert_cmpmem(p, len, "d1\0d2\0", 6);
	g_assert_cmpint(version, >, wall - 60 * G_GINT64_CONSTANT(1000000000));
	g_assert_cmpint(version, <=, wall + 1000 * 1000);

	/* Nothing to read in what is too short to be a listing's value. */
	g_autoptr(GBytes) junk = g_bytes_new_static("abc", 3);
	p = listing_names(junk, &len, NULL);
	g_assert_cmpuint(len, ==, 0);
	g_assert_nonnull(p);
}

static void test_version_kept(void)
{
	g_autoptr(GBytes) a = names("d1\0d2\0", 6);
	g_autoptr(GBytes) swapped = names("d2\0d1\0", 6);
	g_autoptr(GBytes) more = names("d1\0d2\0d3\0", 9);
	g_autoptr(GBytes) empty = names("", 0);
	g_autoptr(GBytes) first = listing_versioned(a, NULL);
	g_autoptr(GBytes) same = NULL, reordered = NULL, grown = NULL, none = NULL;
	g_autoptr(GBytes) junk = g_bytes_new_static("abc", 3);
	g_autoptr(GBytes) fresh = NULL;

	g_usleep(2000);
	same = listing_versioned(a, first);
	g_assert_cmpint(version_of(same), ==, version_of(first));
	/* Any change, even of order only, is a later version, whatever the clock says. */
	reordered = listing_versioned(swapped, same);
	g_assert_cmpint(version_of(reordered), >, version_of(same));
	grown = listing_versioned(more, reordered);
	g_assert_cmpint(version_of(grown), >, version_of(reordered));
	none = listing_versioned(empty, grown);
	g_assert_cmpint(version_of(none), >, version_of(grown));
	/* Still none (jobs/ before this mount started one): the same version. */
	g_autoptr(GBytes) still_none = listing_versioned(empty, none);
	g_assert_cmpint(version_of(still_none), ==, version_of(none));
	/* A previous value too short to be one is no version to keep. */
	fresh = listing_versioned(a, junk);
	g_assert_cmpint(version_of(fresh), >, 0);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/listing/names-and-version", test_names_and_version);
	g_test_add_func("/listing/version-kept", test_version_kept);
	return g_test_run();
}
