/* test-tags.c — desktops/<id>/tags/ through real mounts of the
 * emulator. Tags: read from the listing's own `tags` field (no request per desktop), else
 * from 4.6.1; created, overwritten and deleted through files from a shell (checked in the
 * emulator's state), shown by `ls` and `cat` as soon as the write returned although the
 * kernel was caching them; refused before anything is sent (bad key or value, an 11th tag
 * the mount knows of, a missing key), or by the API (an 11th tag it did not know of); -o ro,
 * dry_run, and another uid. The emulator's request counters and the FUSE request counters
 * in /.wksfs/stats are the oracles. users/<name>/groups/ is tests/test-groups.c's.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_DETAIL "GET /v2/{project_id}/desktops/{desktop_id}"
#define R_TAGS "GET /v2/{project_id}/desktops/{desktop_id}/tags"
#define R_SET "POST /v2/{project_id}/desktops/{desktop_id}/tags"
#define R_DEL "DELETE /v2/{project_id}/desktops/{desktop_id}/tags/{key}"


static const char *const TENANT[] = { "--desktops", "8", "--users", "24", "--groups", "4",
				      "--seed", "12", "--hostile-names", NULL };

/* ---- helpers ---- */

/* For qsort and g_ptr_array_sort, which pass pointers to the strings. */
static int by_text(const void *a, const void *b)
{
	return g_strcmp0(*(char *const *)a, *(char *const *)b);
}

static cJSON *state(Mount *m, const char *kind, const char *name)
{
	g_autofree char *esc = g_uri_escape_string(name, NULL, FALSE);
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, esc);

	return harness_emu_get(m, path);
}

/* A desktop's tags in the emulator, "key=value\n" each, sorted. */
static char *state_tags(Mount *m, const char *id)
{
	cJSON *d = state(m, "desktops", id);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	const cJSON *tag;
	GString *out = g_string_new(NULL);

	cJSON_ArrayForEach(tag, cJSON_GetObjectItem(d, "tags"))
		g_ptr_array_add(lines, g_strdup_printf(
			"%s=%s\n", cJSON_GetStringValue(cJSON_GetObjectItem(tag, "key")),
			cJSON_GetStringValue(cJSON_GetObjectItem(tag, "value"))));
	cJSON_Delete(d);
	g_ptr_array_sort(lines, by_text);
	for (guint i = 0; i < lines->len; i++)
		g_string_append(out, lines->pdata[i]);
	return g_string_free(out, FALSE);
}

static char *sorted_lines(char *pairs)
{
	g_auto(GStrv) lines = g_strsplit(pairs, "\n", -1);
	guint n = g_strv_length(lines);
	GString *out = g_string_new(NULL);

	g_free(pairs);
	qsort(lines, n, sizeof(char *), by_text);
	for (guint i = 0; i < n; i++)
		if (lines[i][0])
			g_string_append_printf(out, "%s\n", lines[i]);
	return g_string_free(out, FALSE);
}

/* The tags as the mount shows them, in state_tags' form; each file's size checked. */
static char *mount_tags(Mount *m, const char *id)
{
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", id);
	g_autoptr(GPtrArray) keys = harness_list(m, dir);
	GString *out = g_string_new(NULL);

	for (guint i = 0; i < keys->len; i++) {
		g_autofree char *rel = g_strdup_printf("%s/%s", dir, (char *)keys->pdata[i]);
		g_autofree char *value = harness_read(m, rel);

		g_assert_nonnull(value);
		g_assert_true(g_str_has_suffix(value, "\n"));
		g_assert_cmpuint(harness_size(m, rel), ==, strlen(value));
		g_string_append_printf(out, "%s=%s", (char *)keys->pdata[i], value);
	}
	return sorted_lines(g_string_free(out, FALSE));
}

static guint n_tags(Mount *m, const char *id)
{
	g_autofree char *tags = state_tags(m, id);
	guint n = 0;

	for (const char *p = tags; *p; p++)
		n += *p == '\n';
	return n;
}

/* A desktop that has at least `least` tags in the emulator. */
static char *desktop_with_tags(Mount *m, guint least)
{
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");

	for (guint i = 0; i < names->len; i++)
		if (n_tags(m, names->pdata[i]) >= least)
			return g_strdup(names->pdata[i]);
	return NULL;
}

/* One tag's value in the emulator, or NULL. */
static char *state_tag(Mount *m, const char *id, const char *key)
{
	cJSON *d = state(m, "desktops", id);
	const cJSON *tag;
	char *value = NULL;

	cJSON_ArrayForEach(tag, cJSON_GetObjectItem(d, "tags"))
		if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(tag, "key")), key) == 0)
			value = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(tag, "value")));
	cJSON_Delete(d);
	return value;
}

static int count_lines(Mount *m, const char *rel, const char *needle)
{
	g_autofree char *text = harness_read(m, rel);
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	int n = 0;

	for (int i = 0; lines[i]; i++)
		n += strstr(lines[i], needle) != NULL;
	return n;
}

/* open(O_WRONLY|O_CREAT|O_TRUNC) + one write + close, like `echo text > file` for a file
 * that may not exist yet: 0 or the errno of the first failing step. */
static int put(Mount *m, const char *rel, const char *text)
{
	g_autofree char *path = harness_path(m, rel);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(text))
		err = EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	return err;
}

static int unlink_at(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);

	return unlink(path) == 0 ? 0 : errno;
}

/* ---- reading ---- */

/* The listing carries every desktop's tags: `ls` and `cat` of all of them cost no request. */
static void test_read_from_listing(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	guint with = 0;

	harness_reset_stats(m);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *want = state_tags(m, names->pdata[i]);
		g_autofree char *got = mount_tags(m, names->pdata[i]);
		g_autofree char *dir = g_strdup_printf("desktops/%s", (char *)names->pdata[i]);
		g_autoptr(GPtrArray) files = harness_list(m, dir);

		g_assert_cmpstr(got, ==, want);
		with += want[0] != '\0';
		/* tags/ is a directory of the object; tags.json stays; the tag files are not
		 * the object's own. */
		g_assert_true(g_ptr_array_find_with_equal_func(files, "tags", g_str_equal, NULL));
		g_assert_true(g_ptr_array_find_with_equal_func(files, "tags.json", g_str_equal,
							       NULL));
		for (guint k = 0; k < files->len; k++)
			g_assert_false(g_str_has_prefix(files->pdata[k], "tags%2F"));
	}
	g_assert_cmpuint(with, >, 0);
	g_assert_cmpint(harness_sh(m, "", "cat desktops/*/tags/* > /dev/null", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DETAIL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_TAGS), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 0);

	/* A tag's rendered name is no file of the object. */
	g_autofree char *d = desktop_with_tags(m, 1);
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autoptr(GPtrArray) keys = harness_list(m, dir);
	g_autofree char *hidden = g_strdup_printf("desktops/%s/tags%%2F%s", d,
						  (char *)keys->pdata[0]);
	g_assert_null(harness_read(m, hidden));
	g_assert_cmpint(errno, ==, ENOENT);
	harness_stop(m);
}

/* The twin: a listing without `tags` (an API that leaves the field out). Each desktop's tags
 * come from 4.6.1, once, and writes show in them at once as well. */
static void test_read_without_field(void)
{
	Mount *m = harness_emulator_or_skip(TENANT);

	if (!m)
		return;
	harness_emu_post(m, "/__emulator/faults",
			 "{\"hide_field\":\"tags\",\"route\":\"" R_LIST "," R_DETAIL "\"}");
	if (!harness_mount(m, "ttl=600")) {
		harness_stop(m);
		g_test_fail();
		return;
	}
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *d = NULL;

	harness_reset_stats(m);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *want = state_tags(m, names->pdata[i]);
		g_autofree char *got = mount_tags(m, names->pdata[i]);

		g_assert_cmpstr(got, ==, want);
		if (!d && want[0])
			d = g_strdup(names->pdata[i]);
	}
	g_assert_cmpint(harness_route_count(m, R_TAGS), ==, names->len);
	/* Cached like the objects: a second pass costs nothing. */
	for (guint i = 0; i < names->len; i++)
		g_free(mount_tags(m, names->pdata[i]));
	g_assert_cmpint(harness_route_count(m, R_TAGS), ==, names->len);
	g_assert_cmpint(harness_route_count(m, R_DETAIL), ==, 0);

	g_assert_nonnull(d);
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autofree char *zone = g_strdup_printf("%s/zone", dir);
	g_assert_cmpint(harness_sh(m, dir, "echo blue > zone", NULL), ==, 0);
	g_autofree char *set = state_tag(m, d, "zone");
	g_assert_cmpstr(set, ==, "blue");
	g_assert_true(harness_listed(m, dir, "zone"));
	g_autofree char *value = harness_read(m, zone);
	g_assert_cmpstr(value, ==, "blue\n");
	g_assert_cmpint(harness_sh(m, dir, "rm zone", NULL), ==, 0);
	g_assert_false(harness_listed(m, dir, "zone"));
	g_assert_null(harness_read(m, zone));
	harness_stop(m);
}

/* ---- writing ---- */

/* Create, overwrite and delete from a shell: one request each, in the emulator's state, and
 * in `ls` and `cat` at once although the kernel kept the directory and the file. */
static void test_create_overwrite_delete(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *d = desktop_with_tags(m, 1);
	g_assert_nonnull(d);
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autofree char *zone = g_strdup_printf("%s/zone", dir);
	g_autofree char *json = g_strdup_printf("desktops/%s/tags.json", d);
	g_autofree char *json_before = harness_read(m, json);

	/* The object's other files, which the kernel keeps, are dropped with it too. */
	harness_assert_cached(m, json, json_before);
	harness_assert_listing_cached(m, dir);
	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, dir, "echo blue > zone", NULL), ==, 0);
	/* stat first: a read from the daemon would make the kernel ask for them anyway */
	g_assert_cmpuint(harness_size(m, json), ==,
			 strlen(json_before) + strlen(",{'key':'zone','value':'blue'}"));
	g_autofree char *json_blue = harness_read(m, json);
	g_assert_nonnull(strstr(json_blue, "{\"key\":\"zone\",\"value\":\"blue\"}"));
	g_assert_cmpint(harness_route_count(m, R_SET), ==, 1);
	g_autofree char *blue = state_tag(m, d, "zone");
	g_assert_cmpstr(blue, ==, "blue");
	g_assert_true(harness_listed(m, dir, "zone"));
	g_assert_cmpuint(harness_size(m, zone), ==, 5);
	g_autofree char *now = harness_read(m, zone);
	g_assert_cmpstr(now, ==, "blue\n");

	/* Overwrite, while the kernel keeps the file's pages and the listing. */
	harness_assert_cached(m, zone, "blue\n");
	harness_assert_listing_cached(m, dir);
	g_assert_cmpint(harness_sh(m, dir, "echo red > zone", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_SET), ==, 2);
	g_autofree char *red = state_tag(m, d, "zone");
	g_assert_cmpstr(red, ==, "red");
	g_assert_cmpuint(harness_size(m, zone), ==, 4);
	g_autofree char *again = harness_read(m, zone);
	g_assert_cmpstr(again, ==, "red\n");

	/* Delete. */
	harness_assert_cached(m, zone, "red\n");
	harness_assert_listing_cached(m, dir);
	g_autofree char *json_red = harness_read(m, json);
	harness_assert_cached(m, json, json_red);
	g_assert_cmpint(harness_sh(m, dir, "rm zone", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DEL), ==, 1);
	g_assert_cmpuint(harness_size(m, json), ==, strlen(json_before));
	g_autofree char *json_after = harness_read(m, json);
	g_assert_cmpstr(json_after, ==, json_before);
	g_autofree char *gone = state_tag(m, d, "zone");
	g_assert_null(gone);
	g_assert_false(harness_listed(m, dir, "zone"));
	g_assert_null(harness_read(m, zone));
	g_assert_cmpint(errno, ==, ENOENT);
	/* A key it lacks: ENOENT, nothing sent (4.6.3 itself would answer 204). */
	g_autofree char *err = NULL;
	g_assert_cmpint(harness_sh(m, dir, "rm zone", &err), !=, 0);
	g_assert_nonnull(strstr(err, g_strerror(ENOENT)));
	g_assert_cmpint(unlink_at(m, zone), ==, ENOENT);
	g_assert_cmpint(harness_route_count(m, R_DEL), ==, 1);

	/* A new file stands, empty, from its create to its first value. */
	g_autofree char *open_rel = g_strdup_printf("%s/opened", dir);
	g_autofree char *open_path = harness_path(m, open_rel);
	struct stat st;
	int fd = open(open_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	g_assert_no_errno(fd);
	g_assert_no_errno(stat(open_path, &st));
	g_assert_cmpint(st.st_size, ==, 0);
	g_assert_cmpint(write(fd, "now\n", 4), ==, 4);
	g_assert_cmpuint(harness_size(m, open_rel), ==, 4);
	g_assert_no_errno(close(fd));
	g_autofree char *opened = state_tag(m, d, "opened");
	g_assert_cmpstr(opened, ==, "now");

	/* touch makes a tag with the empty value; a truncation sends what is left; a value
	 * without its newline is sent at close. */
	g_assert_cmpint(harness_sh(m, dir, "touch bare", NULL), ==, 0);
	g_autofree char *bare = state_tag(m, d, "bare");
	g_assert_cmpstr(bare, ==, "");
	g_autofree char *bare_rel = g_strdup_printf("%s/bare", dir);
	g_autofree char *bare_text = harness_read(m, bare_rel);
	g_assert_cmpstr(bare_text, ==, "\n");
	g_assert_cmpint(harness_sh(m, dir, "echo abcdef > cut && truncate -s 3 cut", NULL), ==, 0);
	g_autofree char *cut = state_tag(m, d, "cut");
	g_assert_cmpstr(cut, ==, "abc");
	g_assert_cmpint(harness_sh(m, dir, "printf plain > raw", NULL), ==, 0);
	g_autofree char *raw = state_tag(m, d, "raw");
	g_assert_cmpstr(raw, ==, "plain");
	g_assert_cmpint(harness_route_count(m, R_SET), ==, 7);
	g_autofree char *want = state_tags(m, d);
	g_autofree char *got = mount_tags(m, d);
	g_assert_cmpstr(got, ==, want);
	harness_stop(m);
}

/* A tag another client deleted, once this mount knows (refresh): rm is ENOENT and sends
 * nothing, although the kernel still holds the name (4.6.3 would answer 204 and rm would
 * seem to succeed). */
static void test_rm_gone_elsewhere(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	Mount *b = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(b);
	g_autofree char *d = desktop_with_tags(m, 1);
	g_assert_nonnull(d);
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autoptr(GPtrArray) keys = harness_list(m, dir);
	g_autofree char *rel = g_strdup_printf("%s/%s", dir, (char *)keys->pdata[0]);
	g_autofree char *value = harness_read(m, rel);
	g_autofree char *refresh = g_strdup_printf("refresh desktops/%s\n", d);

	g_assert_nonnull(value);
	harness_reset_stats(m);
	g_assert_cmpint(unlink_at(b, rel), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DEL), ==, 1);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", refresh), ==, 0);
	g_assert_cmpint(unlink_at(m, rel), ==, ENOENT);
	g_assert_cmpint(harness_route_count(m, R_DEL), ==, 1);
	g_assert_false(harness_listed(m, dir, keys->pdata[0]));
	harness_stop(b);
	harness_stop(m);
}

/* Refused before anything is sent: a bad key, a bad value, an 11th tag the mount knows of.
 * Refused by the API: an 11th tag added behind the mount's back. */
static void test_refused(void)
{
	static const char *const bad_keys[] = { "a=b", "a b", "a.b", "a*b", "a,b" };
	static const char *const bad_values[] = {
		"a b\n", "x/y\n", "a=b\n", "line\nline\n",
		"12345678901234567890123456789012345678901234\n",	/* 44 characters */
	};
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	const char *d = names->pdata[0];
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autofree char *k = g_strdup_printf("%s/k", dir);

	harness_reset_stats(m);
	for (gsize i = 0; i < G_N_ELEMENTS(bad_keys); i++) {
		g_autofree char *rel = g_strdup_printf("%s/%s", dir, bad_keys[i]);
		/* coreutils echo names the errno (dash's builtin says "I/O error" for any). */
		g_autofree char *cmd = g_strdup_printf("env echo v > '%s'", bad_keys[i]);
		g_autofree char *err = NULL;

		g_assert_cmpint(put(m, rel, "v\n"), ==, EINVAL);
		g_assert_cmpint(harness_sh(m, dir, cmd, &err), !=, 0);
		g_assert_nonnull(strstr(err, g_strerror(EINVAL)));
	}
	for (gsize i = 0; i < G_N_ELEMENTS(bad_values); i++)
		g_assert_cmpint(put(m, k, bad_values[i]), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "\"a=b\" is not a tag key"));
	g_assert_nonnull(strstr(errors, "not a tag value (at most 43"));
	g_assert_nonnull(strstr(errors, "more than one line"));
	g_assert_false(harness_listed(m, dir, "k"));

	/* A created file whose value was refused is gone at once, its descriptor still open. */
	g_autofree char *k_path = harness_path(m, k);
	struct stat st;
	int fd = open(k_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	g_assert_no_errno(fd);
	g_assert_no_errno(stat(k_path, &st));
	g_assert_cmpint(write(fd, "a b\n", 4), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(stat(k_path, &st), ==, -1);
	g_assert_cmpint(errno, ==, ENOENT);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_mutation_count(m), ==, 0);

	/* Up to 10 tags; the 11th is refused, with nothing sent; an overwrite is not. */
	guint have = n_tags(m, d);
	for (guint i = have; i < 10; i++) {
		g_autofree char *rel = g_strdup_printf("%s/fill%u", dir, i);

		g_assert_cmpint(put(m, rel, "x\n"), ==, 0);
	}
	g_assert_cmpuint(n_tags(m, d), ==, 10);
	gint64 sent = harness_mutation_count(m);
	g_autofree char *eleventh = g_strdup_printf("%s/eleventh", dir);
	g_assert_cmpint(put(m, eleventh, "x\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, sent);
	g_autofree char *errors2 = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors2, "has 10 tags, the most it may have"));
	g_autofree char *fill = g_strdup_printf("%s/fill9", dir);
	g_assert_cmpint(harness_write(m, fill, "y\n"), ==, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, sent + 1);
	g_assert_false(harness_listed(m, dir, "eleventh"));

	/* The API's own refusal: another client filled a desktop this mount still has with
	 * fewer tags. The write is sent once and fails with the API's error. */
	Mount *b = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(b);
	const char *d2 = names->pdata[1];
	g_autofree char *dir2 = g_strdup_printf("desktops/%s/tags", d2);
	g_autoptr(GPtrArray) seen = harness_list(m, dir2);
	g_assert_cmpuint(seen->len, <, 10);
	for (guint i = n_tags(m, d2); i < 10; i++) {
		g_autofree char *rel = g_strdup_printf("%s/other%u", dir2, i);

		g_assert_cmpint(put(b, rel, "x\n"), ==, 0);
	}
	g_autofree char *late = g_strdup_printf("%s/late", dir2);
	sent = harness_route_count(m, R_SET);
	g_assert_cmpint(put(m, late, "x\n"), ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_SET), ==, sent + 1);
	g_autofree char *errors3 = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors3, "WKS.0566"));
	g_autofree char *none = state_tag(m, d2, "late");
	g_assert_null(none);
	harness_stop(b);
	harness_stop(m);
}

/* -o ro: every tag change is EROFS, nothing sent. -o dry_run: each is audited and
 * succeeds, nothing is sent, nothing changes. */
static void test_ro_and_dry_run(void)
{
	for (int ro = 1; ro >= 0; ro--) {
		Mount *m = harness_start(TENANT, ro ? "ttl=600,ro" : "ttl=600,dry_run");

		if (!m)
			return;
		g_autofree char *d = desktop_with_tags(m, 1);
		g_assert_nonnull(d);
		g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
		g_autoptr(GPtrArray) keys = harness_list(m, dir);
		const char *key = keys->pdata[0];
		g_autofree char *old = state_tag(m, d, key);
		g_autofree char *existing = g_strdup_printf("%s/%s", dir, key);
		g_autofree char *fresh = g_strdup_printf("%s/zone", dir);
		g_autofree char *before = state_tags(m, d);
		int want = ro ? EROFS : 0;

		harness_reset_stats(m);
		g_assert_cmpint(put(m, fresh, "v\n"), ==, want);
		g_assert_cmpint(harness_write(m, existing, "changed\n"), ==, want);
		g_assert_cmpint(unlink_at(m, existing), ==, want);
		g_assert_cmpint(harness_sh(m, dir, "touch zone2", NULL), ==, ro ? 1 : 0);
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		g_autofree char *after = state_tags(m, d);
		g_assert_cmpstr(after, ==, before);
		g_assert_false(harness_listed(m, dir, "zone"));
		g_assert_true(harness_listed(m, dir, key));
		g_autofree char *value = harness_read(m, existing);
		g_autofree char *want_value = g_strdup_printf("%s\n", old);
		g_assert_cmpstr(value, ==, want_value);
		if (ro) {
			/* ro is the kernel's too: it refuses before wksfs sees anything, so
			 * nothing is audited (as test-tree.c's read-only test says). */
			g_autofree char *audit = harness_read(m, ".wksfs/audit");

			g_assert_cmpstr(audit, ==, "");
		} else {
			g_autofree char *del = g_strdup_printf(
				"DELETE /v2/{project_id}/desktops/{id}/tags/%s", key);

			g_assert_cmpint(count_lines(m, ".wksfs/audit", "dry-run, not sent"), ==,
					4);
			/* logfmt: the body's quotes escaped. */
			g_assert_cmpint(count_lines(m, ".wksfs/audit",
						    "{\\\"tag\\\":{\\\"key\\\":\\\"zone\\\","
						    "\\\"value\\\":\\\"v\\\"}}"),
					==, 1);
			g_assert_cmpint(count_lines(m, ".wksfs/audit", del), ==, 1);
		}
		harness_stop(m);
	}
}

/* ---- another uid ---- */

/* With allow_other another user can read tags but not create, change or delete one: the
 * kernel refuses (owner-only write bits), and a descriptor the owner opened is refused by
 * the daemon itself. */
static void test_other_uid(void)
{
	Mount *m = harness_start(TENANT, "allow_other,ttl=600");

	if (!m)
		return;
	g_assert_no_errno(chmod(m->workdir, 0755));
	g_autofree char *d = desktop_with_tags(m, 1);
	g_assert_nonnull(d);
	g_autofree char *dir = g_strdup_printf("desktops/%s/tags", d);
	g_autoptr(GPtrArray) keys = harness_list(m, dir);
	g_autofree char *existing = g_strdup_printf("%s/%s/%s", m->mnt, dir,
						    (char *)keys->pdata[0]);
	g_autofree char *fresh = g_strdup_printf("%s/%s/zone", m->mnt, dir);
	g_autofree char *before = state_tags(m, d);

	harness_reset_stats(m);
	g_assert_cmpint(harness_as_other(existing, -1, "x\n", FALSE), ==, EACCES);
	g_assert_cmpint(harness_as_other(fresh, -1, "x\n", FALSE), ==, EACCES);
	g_assert_cmpint(harness_as_other(existing, -1, NULL, TRUE), ==, EACCES);
	g_assert_cmpint(count_lines(m, ".wksfs/audit", "refused"), ==, 0);

	/* Without O_TRUNC: the owner's own close sends nothing (with it, it would send the
	 * empty value, as `: > file` does). */
	int fd = open(existing, O_WRONLY);
	g_assert_no_errno(fd);
	g_assert_cmpint(harness_as_other(NULL, fd, "x\n", FALSE), ==, EACCES);
	g_assert_cmpint(count_lines(m, ".wksfs/audit",
				    "refused: uid 65534 does not own this mount"), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *after = state_tags(m, d);
	g_assert_cmpstr(after, ==, before);

	/* The owner still can. */
	g_autofree char *rel = g_strdup_printf("%s/zone", dir);
	g_assert_cmpint(put(m, rel, "mine\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_SET), ==, 1);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/tags/read-from-listing", test_read_from_listing);
	g_test_add_func("/tags/read-without-field", test_read_without_field);
	g_test_add_func("/tags/create-overwrite-delete", test_create_overwrite_delete);
	g_test_add_func("/tags/rm-gone-elsewhere", test_rm_gone_elsewhere);
	g_test_add_func("/tags/refused", test_refused);
	g_test_add_func("/tags/ro-and-dry-run", test_ro_and_dry_run);
	g_test_add_func("/tags/other-uid", test_other_uid);
	return g_test_run();
}
