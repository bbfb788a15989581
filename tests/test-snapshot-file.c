/* test-snapshot-file.c — the snapshot file (src/snapshot.c) as its loader sees it: a good
 * file loads (stale, offline, its age), and every bad one is refused with its reason and
 * changes nothing: each truncation, each flipped byte, and — checksummed correctly, so only
 * the parser stands between them and the cache — counts and lengths that run past the end,
 * a key with a NUL, trailing bytes, another version, another project. */
#include "src/listing.h"
#include "src/snapshot.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

#define ENDPOINT "http://127.0.0.1:1"
#define PROJECT "0123456789abcdef0123456789abcdef"

static char *workdir;

static ApiClient *new_api(void)
{
	WksClientConfig cc = { .endpoint = ENDPOINT, .project_id = PROJECT, .ak = "AK",
			       .sk = "SK", .retries = 0 };
	ApiConfig ac = { .ttl_s = 60, .stale_on_error = TRUE, .max_conns = 1 };

	for (int i = 0; i < API_MAX_KINDS; i++)
		ac.kind_ttl_s[i] = -1;
	return api_new(wks_client_new(&cc), &ac);
}

static void put_u32(GByteArray *b, guint32 v)
{
	v = GUINT32_TO_LE(v);
	g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void put_str(GByteArray *b, const char *s, gsize len)
{
	put_u32(b, (guint32)len);
	g_byte_array_append(b, (const guint8 *)s, (guint)len);
}

/* A file's body as snapshot.c writes it, up to the entries. */
static GByteArray *header(guint32 version, const char *project, guint32 count)
{
	GByteArray *b = g_byte_array_new();
	gint64 written = GINT64_TO_LE(g_get_real_time() - 30 * G_USEC_PER_SEC);

	g_byte_array_append(b, (const guint8 *)"WKSFSNAP", 8);
	put_u32(b, version);
	g_byte_array_append(b, (const guint8 *)&written, 8);
	put_str(b, ENDPOINT, strlen(ENDPOINT));
	put_str(b, project, strlen(project));
	put_str(b, "", 0);
	put_u32(b, count);
	return b;
}

/* The SHA-256 appended, and the file written (0600). */
static char *finish(GByteArray *b)
{
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 sum[32];
	gsize len = sizeof(sum);
	char *path = g_build_filename(workdir, "s", NULL);

	g_checksum_update(ck, b->data, b->len);
	g_checksum_get_digest(ck, sum, &len);
	g_byte_array_append(b, sum, 32);
	g_assert_true(g_file_set_contents(path, (const char *)b->data, b->len, NULL));
	g_assert_cmpint(g_chmod(path, 0600), ==, 0);
	g_byte_array_unref(b);
	return path;
}

/* The good file: a listing of two desktops and one object. */
static GByteArray *good_body(void)
{
	GByteArray *b = header(1, PROJECT, 2);
	g_autoptr(GBytes) names = g_bytes_new_static("d1\0d2\0", 6);
	g_autoptr(GBytes) listing = listing_versioned(names, NULL);
	gsize len;
	const char *p = g_bytes_get_data(listing, &len);

	put_str(b, "L:desktops", 10);
	put_str(b, p, len);
	put_str(b, "O:desktops/d1", 13);
	put_str(b, "blob", 4);
	return b;
}

/* Loads path offline: FALSE with a message containing want, and nothing changed. */
static void assert_refused(const char *path, const char *want)
{
	g_autoptr(ApiClient) api = new_api();
	g_autoptr(Snapshot) s = snapshot_new(path, api, NULL, 0, 0);
	g_autoptr(GError) error = NULL;
	ApiFreshness fresh;
	gint64 age;

	g_assert_false(snapshot_load(s, -EHOSTUNREACH, &error));
	g_assert_nonnull(error);
	if (!strstr(error->message, want))
		g_test_fail_printf("\"%s\" lacks \"%s\"", error->message, want);
	g_assert_false(api_read_only(api));
	g_assert_false(api_snapshot_age(api, &age));
	g_assert_cmpint(api_list_peek(api, res_kind_lookup("desktops"), &fresh), ==, -ENOENT);
}

static void test_good(void)
{
	g_autofree char *path = finish(good_body());
	g_autoptr(ApiClient) api = new_api();
	g_autoptr(Snapshot) s = snapshot_new(path, api, NULL, 0, 0);
	g_autoptr(GError) error = NULL;
	ApiFreshness fresh;
	gint64 age = -1;

	g_assert_false(api_read_only(api));
	g_test_expect_message("wksfs-api", G_LOG_LEVEL_WARNING, "offline: serving 2 entries *");
	g_assert_true(snapshot_load(s, -EHOSTUNREACH, &error));
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	g_assert_true(api_read_only(api));	/* offline: mutations refused */
	g_assert_true(api_snapshot_age(api, &age));
	g_assert_cmpint(age, >=, 29);
	g_assert_cmpint(age, <=, 90);
	/* The listing is there, stale (never fresh), with its version. */
	g_assert_cmpint(api_list_peek(api, res_kind_lookup("desktops"), &fresh), ==, 0);
	g_assert_cmpint(fresh.fresh_us, ==, 0);
	g_assert_cmpint(fresh.version_ns, >, 0);
}

static void test_online_load(void)
{
	g_autofree char *path = finish(good_body());
	g_autoptr(ApiClient) api = new_api();
	g_autoptr(Snapshot) s = snapshot_new(path, api, NULL, 0, 0);
	ApiFreshness fresh;

	g_assert_true(snapshot_load(s, 0, NULL));
	g_assert_false(api_read_only(api));	/* online: writes allowed */
	g_assert_cmpint(api_list_peek(api, res_kind_lookup("desktops"), &fresh), ==, 0);
}

static void test_truncated_and_flipped(void)
{
	g_autofree char *good = finish(good_body());
	g_autofree char *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(good, &data, &len, NULL));
	for (gsize n = 0; n < len; n++) {
		g_assert_true(g_file_set_contents(good, data, (gssize)n, NULL));
		assert_refused(good, n < 52 ? "truncated" : "corrupt or truncated");
	}
	for (gsize at = 8; at < len; at += 7) {
		g_autofree char *bad = g_memdup2(data, len);

		bad[at] ^= 0x01;
		g_assert_true(g_file_set_contents(good, bad, (gssize)len, NULL));
		assert_refused(good, "corrupt or truncated");
	}
}

static void test_malformed(void)
{
	GByteArray *b;
	g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL, *p5 = NULL;
	g_autofree char *p6 = NULL, *p7 = NULL;

	b = header(1, PROJECT, 1000);		/* more entries than there are */
	put_str(b, "O:desktops/d1", 13);
	put_str(b, "blob", 4);
	p1 = finish(b);
	assert_refused(p1, "malformed");

	b = header(1, PROJECT, 1);		/* a value longer than the file */
	put_str(b, "O:desktops/d1", 13);
	put_u32(b, 0xfffffff0u);
	g_byte_array_append(b, (const guint8 *)"blob", 4);
	p2 = finish(b);
	assert_refused(p2, "malformed");

	b = header(1, PROJECT, 1);		/* a key with a NUL */
	put_str(b, "O:desk\0tops", 11);
	put_str(b, "blob", 4);
	p3 = finish(b);
	assert_refused(p3, "malformed");

	b = good_body();			/* bytes after the last entry */
	g_byte_array_append(b, (const guint8 *)"x", 1);
	p4 = finish(b);
	assert_refused(p4, "malformed");

	b = header(2, PROJECT, 0);
	p5 = finish(b);
	assert_refused(p5, "version 2");

	b = header(1, "ffffffffffffffffffffffffffffffff", 0);
	p6 = finish(b);
	assert_refused(p6, "is a snapshot of project ffffffffffffffffffffffffffffffff");

	b = g_byte_array_new();			/* a header cut inside the endpoint */
	g_byte_array_append(b, (const guint8 *)"WKSFSNAP\1\0\0\0\0\0\0\0\0\0\0\0\xff\xff", 22);
	p7 = finish(b);
	assert_refused(p7, "malformed");
}

static void test_not_mine(void)
{
	g_autofree char *path = finish(good_body());

	g_assert_cmpint(g_chmod(path, 0620), ==, 0);
	assert_refused(path, "writable by others");
	g_unlink(path);
	assert_refused(path, "No such file");
}

int main(int argc, char **argv)
{
	int rc;

	g_test_init(&argc, &argv, NULL);
	workdir = g_dir_make_tmp("wksfs-snapfile-XXXXXX", NULL);
	g_assert_nonnull(workdir);
	g_test_add_func("/snapshot-file/good", test_good);
	g_test_add_func("/snapshot-file/online-load", test_online_load);
	g_test_add_func("/snapshot-file/truncated-and-flipped", test_truncated_and_flipped);
	g_test_add_func("/snapshot-file/malformed", test_malformed);
	g_test_add_func("/snapshot-file/not-mine", test_not_mine);
	rc = g_test_run();
	{
		g_autofree char *s = g_build_filename(workdir, "s", NULL);

		g_unlink(s);
		g_rmdir(workdir);
	}
	g_free(workdir);
	return rc;
}
