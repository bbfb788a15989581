/* test-hostile.c — wksfs against a hostile tenant (wks-emulator --hostile-tenant, see
 * emulator/hostile.c): ids and names with '/', "..", ".", newlines, control characters,
 * 300 bytes, no UTF-8; duplicates; empty, null, numeric and missing ids; wrong field types;
 * a value nested 1,000 deep; a 10 MB desktop; totals that lie, a collection that keeps
 * growing and one that never ends. Mounted for real: `find` of the whole tree finishes
 * (the endless collection apart: /hostile/endless shows it fails at its deadline, having
 * asked a bounded number of pages); a walk of every directory sees only safe names (no
 * ".", "..", '/', nothing over NAME_MAX) and stats, reads or resolves every entry,
 * symlinks inside the mount; paging ends (the emulator's counts); the daemon's peak RSS
 * stays under 20x the tenant's JSON; the duplicates, the deep and the big object are all
 * there; an object without an id cannot be changed; what was odd is in /.wksfs/errors;
 * the daemon is alive at the end. With -o max_listing=N the endless collection ends at
 * once with exactly N objects, the cut logged and in /.wksfs/errors, a listing with a total
 * is cut the same (and one of exactly N is not), so is a group's members list, and bad
 * caps are refused at mount.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/harness.h"

#define R_DESKTOP "GET /v2/{project_id}/desktops/{desktop_id}"

static const char *const TENANT[] = {
	"--hostile-tenant", "--desktops", "3", "--users", "3", "--groups", "1", "--pools", "0",
	"--server-groups", "1", "--servers", "1", "--sessions", "1", NULL,
};

typedef struct {
	Mount *m;
	guint dirs, files, links, errors;
} Walk;

static void walk_fail(Walk *w, const char *path, const char *what)
{
	if (w->errors++ < 20)
		g_test_message("%s: %s", path, what);
}

/* Lexically, where a symlink in dir pointing at target lands. */
static char *resolve(const char *dir, const char *target)
{
	g_autofree char *joined = g_build_filename(dir, target, NULL);
	g_auto(GStrv) parts = g_strsplit(joined, "/", -1);
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	GString *s = g_string_new("");

	for (guint i = 0; parts[i]; i++) {
		if (!*parts[i] || g_str_equal(parts[i], "."))
			continue;
		if (g_str_equal(parts[i], "..")) {
			if (out->len)
				g_ptr_array_remove_index(out, out->len - 1);
			continue;
		}
		g_ptr_array_add(out, parts[i]);
	}
	for (guint i = 0; i < out->len; i++)
		g_string_append_printf(s, "/%s", (char *)out->pdata[i]);
	return g_string_free(s, FALSE);
}

/* Reads a file whole: what the open saw is what read returns (st_size at open), except in
 * /.wksfs, whose live counters are rendered anew at each open and each stat. */
static void read_whole(Walk *w, const char *path, const struct stat *st)
{
	struct stat at_open;
	char buf[65536];
	gsize total = 0;
	ssize_t n;
	int fd;

	if (!(st->st_mode & S_IRUSR))
		return;		/* write-only: .create */
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &at_open) < 0) {
		walk_fail(w, path, g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		total += (gsize)n;
	if (n < 0)
		walk_fail(w, path, g_strerror(errno));
	else if (total != (gsize)at_open.st_size && !strstr(path, "/.wksfs/"))
		walk_fail(w, path, "read a length other than st_size");
	close(fd);
}

static void walk(Walk *w, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	guint dots = 0;

	if (!d) {
		walk_fail(w, dir, g_strerror(errno));
		return;
	}
	w->dirs++;
	while ((de = readdir(d))) {
		g_autofree char *path = NULL;
		struct stat st;

		if (g_str_equal(de->d_name, ".") || g_str_equal(de->d_name, "..")) {
			if (++dots > 2)
				walk_fail(w, dir, "a second \".\" or \"..\"");
			continue;
		}
		if (strchr(de->d_name, '/') || strlen(de->d_name) > NAME_MAX || !de->d_name[0]) {
			walk_fail(w, dir, "an entry that is no file name");
			continue;
		}
		/* Blocks until a job ends; there are none here, but never wait on one. The
		 * endless collection has its own test. */
		if (g_str_equal(de->d_name, "wait") ||
		    (g_str_equal(dir, w->m->mnt) && g_str_has_prefix(de->d_name, "products")))
			continue;
		path = g_build_filename(dir, de->d_name, NULL);
		if (lstat(path, &st) < 0) {
			walk_fail(w, path, g_strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			walk(w, path);
		} else if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n = readlink(path, target, sizeof(target) - 1);
			g_autofree char *lands = NULL;

			w->links++;
			if (n < 0) {
				walk_fail(w, path, g_strerror(errno));
				continue;
			}
			target[n] = '\0';
			lands = resolve(dir, target);
			if (target[0] == '/' || !g_str_has_prefix(lands, w->m->mnt) ||
			    (lands[strlen(w->m->mnt)] && lands[strlen(w->m->mnt)] != '/'))
				walk_fail(w, path, "a symlink out of the mount");
		} else {
			w->files++;
			read_whole(w, path, &st);
		}
	}
	closedir(d);
}

static gboolean listed(GPtrArray *names, const char *name)
{
	return g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL);
}

/* A memory bound of the plain build (kB) in this build. AddressSanitizer's shadow memory,
 * redzones and 256 MB quarantine multiply a process's peak: three times over. Under valgrind
 * the peak measured is memcheck's process: the shadow of every byte the daemon holds and its
 * queue of freed blocks (20 MB) double it, and memcheck's own code, translations and tables
 * add a fixed VALGRIND_BASE_KB (measured: 194 MB for the tenant test, 122 MB for the endless
 * collection). */
#define VALGRIND_BASE_KB (100 * 1024)
static gint64 memory_bound_kb(gint64 plain_kb)
{
	if (harness_under_valgrind())
		return plain_kb * 2 + VALGRIND_BASE_KB;
	return g_getenv("WKSFS_SANITIZED") ? plain_kb * 3 : plain_kb;
}

/* The daemon's peak resident set, in kB, from /proc/<pid>/status. */

static gint64 vm_hwm_kb(GPid pid)
{
	g_autofree char *file = g_strdup_printf("/proc/%d/status", (int)pid);
	g_autofree char *text = NULL;
	const char *p;

	if (!g_file_get_contents(file, &text, NULL, NULL) || !(p = strstr(text, "VmHWM:")))
		return -1;
	return g_ascii_strtoll(p + 6, NULL, 10);
}

static void test_tenant(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");
	Walk w = { 0 };

	if (!m)
		return;
	w.m = m;

	/* What was odd, said in /.wksfs/errors (read before the walk adds its own). */
	g_autoptr(GPtrArray) first_desktops = harness_list(m, "desktops");
	g_autoptr(GPtrArray) first_users = harness_list(m, "users");
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(errors);
	g_test_message("errors:\n%s", errors);
	g_assert_nonnull(strstr(errors, "/v2/{project_id}/users 0 - 6 objects skipped: no "
				    "usable user_name"));
	g_assert_nonnull(strstr(errors, "/v2/{project_id}/desktops/detail 0 - 6 objects "
				    "skipped: no usable desktop_id"));
	g_assert_nonnull(strstr(errors, "/v2/{project_id}/users 0 - 2 objects with a "
				    "duplicate user_name shown as NAME%FFk"));
	g_assert_nonnull(strstr(errors, "/v2/{project_id}/desktops/detail 0 - 1 objects with "
				    "a duplicate desktop_id"));
	g_assert_nonnull(strstr(errors, "1 values nested deeper than 256 levels shown as "
				    "null"));
	g_assert_nonnull(strstr(errors, "LIST /desktops 0 - 1 names longer than 255 bytes "
				    "once escaped are not shown"));

	/* Paging ended: a growing collection cost two pages, a total of 10^9 two. */
	g_autoptr(GPtrArray) images = harness_list(m, "images");
	g_assert_true(listed(images, "img-dup%FF2"));
	g_assert_true(listed(images, "%2F"));
	g_test_message("list GETs: images %" G_GINT64_FORMAT ", users %" G_GINT64_FORMAT
		       ", desktops %" G_GINT64_FORMAT,
		       harness_route_count(m, "GET /v2/{project_id}/images"),
		       harness_route_count(m, "GET /v2/{project_id}/users"),
		       harness_route_count(m, "GET /v2/{project_id}/desktops/detail"));
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/images"), <=, 2);
	/* The first page, then an empty one. */
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/users"), <=, 2);
	/* The mount's probe, then two pages of 500 (the total of 10 ignored). */
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/desktops/detail"), <=, 3);

	/* An object without an id is shown but cannot be changed: a clear errno, nothing
	 * sent. */
	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, "users/no-id/description", "x\n"), ==, EIO);
	g_assert_cmpint(harness_write(m, "users/no-id/action", "lock\n"), ==, EIO);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *noid_errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(noid_errors, "- /users/no-id 0 - the object has no usable id: "
				"nothing sent"));

	/* find of the whole tree (but the endless products, test_endless) finishes, with no
	 * error. */
	{
		g_autofree char *endless = g_build_filename(m->mnt, "products", NULL);
		g_autofree char *endless_lines = g_build_filename(m->mnt, "products.jsonl", NULL);
		const char *argv[] = { "timeout", "240", "find", m->mnt, "(", "-path", endless,
				       "-o", "-path", endless_lines, ")", "-prune", "-o",
				       "-print", NULL };
		g_autofree char *out = NULL, *err = NULL;
		int status = -1;

		g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL,
					   NULL, &out, &err, &status, NULL));
		if (!g_spawn_check_wait_status(status, NULL))
			g_test_message("find: %s", err);
		g_assert_true(g_spawn_check_wait_status(status, NULL));
	}
	/* Every entry reachable, none escaping. */
	walk(&w, m->mnt);
	g_test_message("walked %u directories, %u files, %u symlinks", w.dirs, w.files,
		       w.links);
	g_assert_cmpuint(w.errors, ==, 0);
	g_assert_cmpuint(w.files, >, 1000);

	/* Escaped names, reversibly. */
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	static const char *const escaped[] = {
		"plain-desktop", "a%2Fb", "%2E.", "%2E", "line%0Abreak", "ctl%01%1B[31m%7F",
		"odd-fields", "wrong-types", "deep", "big",
	};
	for (gsize i = 0; i < G_N_ELEMENTS(escaped); i++) {
		if (!listed(desktops, escaped[i]))
			g_test_fail_printf("desktops/%s is not listed", escaped[i]);
	}
	/* A total (10) smaller than the first page (500): every desktop is still listed. */
	for (int i = 0; i < 600; i++) {
		g_autofree char *id = g_strdup_printf("filler-%04d", i);

		if (!listed(desktops, id)) {
			g_test_fail_printf("desktops/%s is not listed", id);
			break;
		}
	}
	/* The duplicates: the k-th of a name is <name>%FF<k>, each its own object. */
	g_autofree char *twin2 = harness_read(m, "desktops/twin-desktop%FF2/description");
	g_assert_cmpstr(twin2, ==, "the second twin\n");
	g_assert_true(listed(desktops, "twin-desktop"));
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autofree char *t1 = harness_read(m, "users/twin/id");
	g_autofree char *t2 = harness_read(m, "users/twin%FF2/id");
	g_autofree char *t3 = harness_read(m, "users/twin%FF3/id");
	g_assert_cmpstr(t1, ==, "uid-07\n");
	g_assert_cmpstr(t2, ==, "uid-08\n");
	g_assert_cmpstr(t3, ==, "uid-09\n");
	g_assert_true(listed(users, "ops%2Fadmin"));
	g_assert_true(listed(users, "%2E."));
	g_assert_true(listed(users, "new%0Aline"));
	/* No id: shown by its name; wrong types: shown as the API sent them. */
	g_assert_true(listed(users, "no-id"));
	g_autofree char *email = harness_read(m, "users/wrong-types/user_email");
	g_assert_cmpstr(email, ==, "5\n");
	/* No usable name (empty, null, a number, missing, 300 bytes, no UTF-8): not listed. */
	g_assert_cmpuint(users->len, ==, 11);
	g_assert_cmpuint(desktops->len, ==, 612);

	/* Field names that are no file names are escaped; an empty one has no file. */
	g_autoptr(GPtrArray) fields = harness_list(m, "desktops/odd-fields");
	g_assert_true(listed(fields, "a%2Fb"));
	g_assert_true(listed(fields, "%2E."));
	g_assert_true(listed(fields, "x%0Ay"));
	g_autofree char *slash = harness_read(m, "desktops/odd-fields/a%2Fb");
	g_assert_cmpstr(slash, ==, "slash\n");
	/* Wrong types: a null is an empty file, an object <field>.json. */
	g_autofree char *ipv4 = harness_read(m, "desktops/wrong-types/ipv4");
	g_assert_cmpstr(ipv4, ==, "");
	g_autofree char *status = harness_read(m, "desktops/wrong-types/status");
	g_assert_cmpstr(status, ==, "7\n");
	g_autofree char *descr = harness_read(m, "users/wrong-types/description.json");
	g_assert_cmpstr(descr, ==, "{}\n");

	/* The deep value is cut at the depth limit, the big object is whole. */
	g_assert_cmpuint(harness_size(m, "desktops/deep/info.json"), >, 0);
	g_assert_cmpuint(harness_size(m, "desktops/big/description"), ==, 10 * 1024 * 1024 + 1);

	/* Memory: the tenant's JSON is over 10 MB (the big desktop); the peak stays under
	 * 20 times that. */
	gint64 hwm = vm_hwm_kb(m->fs_pid);
	g_test_message("VmHWM %" G_GINT64_FORMAT " kB", hwm);
	g_assert_cmpint(hwm, >, 0);
	g_test_message("VmHWM bound in this build: %" G_GINT64_FORMAT " kB",
		       memory_bound_kb(20 * 10 * 1024));
	g_assert_cmpint(hwm, <, memory_bound_kb(20 * 10 * 1024));

	/* Nothing crashed: alive and serving. */
	g_assert_cmpint(kill(m->fs_pid, 0), ==, 0);
	g_autofree char *plain = harness_read(m, "desktops/plain-desktop/computer_name");
	g_assert_cmpstr(plain, ==, "plain\n");
	harness_stop(m);
}

/* A collection without end and without a total: the listing gives up at its deadline
 * (4 x timeout) with ETIMEDOUT, having asked a bounded number of pages; the daemon serves
 * the rest as before. */
static void test_endless(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,timeout=2");
	g_autofree char *dir = NULL;
	gint64 start, pages, hwm;
	int err;
	DIR *d;

	if (!m)
		return;
	dir = harness_path(m, "products");
	start = g_get_monotonic_time();
	/* The listing fails either at opendir or at the first readdir. */
	d = opendir(dir);
	if (d) {
		errno = 0;
		while (readdir(d))
			;
		err = errno;
		closedir(d);
	} else {
		err = errno;
	}
	g_assert_cmpint(err, ==, ETIMEDOUT);
	g_assert_cmpint(g_get_monotonic_time() - start, <,
			12 * harness_slowdown() * G_USEC_PER_SEC);
	pages = harness_route_count(m, "GET /v2/{project_id}/products");
	hwm = vm_hwm_kb(m->fs_pid);
	g_test_message("%" G_GINT64_FORMAT " pages asked, VmHWM %" G_GINT64_FORMAT " kB",
		       pages, hwm);
	g_assert_cmpint(pages, >, 1);
	g_assert_cmpint(pages, <=, 10000);	/* MAX_PAGES */
	/* Memory follows the pages fetched before the deadline (the cache is unbounded by
	 * default): under 1 kB an object of 100 a page, beyond the tenant test's bound. */
	g_test_message("VmHWM bound in this build: %" G_GINT64_FORMAT " kB",
		       memory_bound_kb(200 * 1024 + pages * 100));
	g_assert_cmpint(hwm, <, memory_bound_kb(200 * 1024 + pages * 100));
	g_assert_cmpint(kill(m->fs_pid, 0), ==, 0);
	g_autofree char *plain = harness_read(m, "desktops/plain-desktop/computer_name");
	g_assert_cmpstr(plain, ==, "plain\n");
	harness_stop(m);
}

/* The lines of a file of the mount, or -1 when it cannot be read. */
static gint64 count_lines(Mount *m, const char *rel)
{
	g_autofree char *text = harness_read(m, rel);
	gint64 n = 0;

	if (!text)
		return -1;
	for (const char *p = text; *p; p++)
		n += *p == '\n';
	return n;
}

/* -o max_listing=500 against the endless collection: the listing ends at once with
 * exactly 500 objects (5 pages of 100, no more asked), what was read is served, and the
 * log and /.wksfs/errors say where it was cut. */
static void test_capped(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,timeout=2,max_listing=500");
	g_autofree char *log = NULL, *errors = NULL, *one = NULL;
	gint64 start, hwm;

	if (!m)
		return;
	start = g_get_monotonic_time();
	g_autoptr(GPtrArray) products = harness_list(m, "products");
	g_test_message("%u products in %.1f s, %" G_GINT64_FORMAT " pages", products->len,
		       (g_get_monotonic_time() - start) / 1e6,
		       harness_route_count(m, "GET /v2/{project_id}/products"));
	g_assert_cmpuint(products->len, ==, 500);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/products"), ==, 5);
	g_assert_true(listed(products, "endless-0"));
	g_assert_true(listed(products, "endless-499"));
	g_assert_false(listed(products, "endless-500"));
	/* The one-object-a-line view is the same listing, and costs nothing more. */
	g_assert_cmpint(count_lines(m, "products.jsonl"), ==, 500);
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/products"), ==, 5);
	one = harness_read(m, "products/endless-499/product_id");
	g_assert_cmpstr(one, ==, "endless-499\n");

	errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(errors);
	g_test_message("errors:\n%s", errors);
	g_assert_nonnull(strstr(errors, "LIST /products 0 - the listing was cut at 500 objects "
				"(-o max_listing=500): the rest is not shown"));
	g_assert_true(g_file_get_contents(m->fs_log, &log, NULL, NULL));
	g_assert_nonnull(strstr(log, "LIST /products: the listing was cut at 500 objects"));
	/* Memory: what 500 objects take, not what the deadline lets in (test_endless). */
	hwm = vm_hwm_kb(m->fs_pid);
	g_test_message("VmHWM %" G_GINT64_FORMAT " kB", hwm);
	g_assert_cmpint(hwm, >, 0);
	g_assert_cmpint(hwm, <, memory_bound_kb(64 * 1024));
	g_assert_cmpint(kill(m->fs_pid, 0), ==, 0);
	harness_stop(m);
}

/* A collection with a true total, paged at once: 1,200 desktops, a cap of 700 cost the
 * first page and one more (cut to 200), and the view shows 700; a collection of exactly
 * the cap is whole and not reported as cut. */
static void test_capped_total(void)
{
	static const char *const emu[] = { "--desktops", "1200", "--users", "5", NULL };
	static const char *const exact[] = { "--desktops", "1000", "--users", "5", NULL };
	const char *route = "GET /v2/{project_id}/desktops/detail";
	Mount *m = harness_start(emu, "ttl=600,max_listing=700");
	g_autofree char *errors = NULL, *errors_exact = NULL;

	if (!m)
		return;
	harness_reset_stats(m);
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_assert_cmpuint(desktops->len, ==, 700);
	g_assert_cmpint(harness_route_count(m, route), ==, 2);
	g_assert_cmpint(count_lines(m, "desktops.jsonl"), ==, 700);
	errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(errors);
	g_assert_nonnull(strstr(errors, "LIST /desktops 0 - the listing was cut at 700 objects"));
	{
		cJSON *page = harness_api_get(m, "/v2/{project_id}/desktops/detail?"
							"offset=1100&limit=1", NULL);
		const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(page, "desktops"), 0);
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(d, "desktop_id"));
		g_autofree char *rel = g_strdup_printf("desktops/%s/status", id);
		g_autofree char *st = NULL;
		int err;

		/* Past the cap, a desktop is not there, as in the listing: ENOENT, and the
		 * API is not asked. */
		g_assert_nonnull(id);
		g_assert_false(listed(desktops, id));
		harness_reset_stats(m);
		st = harness_read(m, rel);
		err = errno;
		g_assert_null(st);
		g_assert_cmpint(err, ==, ENOENT);
		g_assert_cmpint(harness_route_count(m, R_DESKTOP), ==, 0);
		cJSON_Delete(page);
	}
	harness_stop(m);

	m = harness_start(exact, "ttl=600,max_listing=1000");
	if (!m)
		return;
	g_autoptr(GPtrArray) all = harness_list(m, "desktops");
	g_assert_cmpuint(all->len, ==, 1000);
	errors_exact = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(errors_exact);
	g_assert_null(strstr(errors_exact, "cut at"));
	harness_stop(m);
}

/* A sub-collection (a group's members, LINK_SUBLIST) is capped the same: ~100 members, a
 * cap of 30, the group's own path in the report. */
static void test_capped_sublist(void)
{
	static const char *const emu[] = { "--desktops", "3", "--users", "300", "--groups", "1",
					   "--seed", "5", NULL };
	Mount *m = harness_start(emu, "ttl=600,max_listing=30");
	g_autofree char *rel = NULL, *errors = NULL, *id = NULL, *want = NULL;

	if (!m)
		return;
	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");
	g_assert_cmpuint(groups->len, ==, 1);
	rel = g_strdup_printf("user-groups/%s/id", (char *)groups->pdata[0]);
	id = harness_read(m, rel);
	g_assert_nonnull(id);
	g_strchomp(id);
	g_clear_pointer(&rel, g_free);
	rel = g_strdup_printf("user-groups/%s/members", (char *)groups->pdata[0]);
	g_autoptr(GPtrArray) members = harness_list(m, rel);
	g_assert_cmpuint(members->len, ==, 30);
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_assert_cmpuint(users->len, ==, 30);
	errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(errors);
	g_test_message("errors:\n%s", errors);
	want = g_strdup_printf("GET /v2/{project_id}/groups/%s/users 0 - the listing was cut "
			       "at 30 objects", id);
	g_assert_nonnull(strstr(errors, want));
	g_assert_nonnull(strstr(errors, "LIST /users 0 - the listing was cut at 30 objects"));
	harness_stop(m);
}

/* Bad caps are refused before anything is mounted, each with the reason. */
static void test_cap_refused(void)
{
	static const char *const bad[][2] = {
		{ "max_listing=0", "bad option max_listing=0: must be 1..10000000" },
		{ "max_listing=-1", "bad option max_listing=-1: want a whole number" },
		{ "max_listing=abc", "bad option max_listing=abc: want a whole number" },
		{ "max_listing=99999999999", "bad option max_listing=99999999999: must be "
					     "1..10000000" },
		{ "max_listing=10000001", "bad option max_listing=10000001: must be "
					  "1..10000000" },
		{ "max_listing=5k", "bad option max_listing=5k: want a whole number" },
	};
	const char *bin = g_getenv("WKSFS_BIN");

	g_assert_nonnull(bin);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		const char *argv[] = { bin, "/nonexistent", "-o", bad[i][0], NULL };
		g_autofree char *out = NULL, *err = NULL;
		int status = 0;

		g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, &out, &err,
					   &status, NULL));
		g_assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (!strstr(err, bad[i][1]))
			g_test_fail_printf("%s: stderr \"%s\"", bad[i][0], err);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/hostile/tenant", test_tenant);
	g_test_add_func("/hostile/endless", test_endless);
	g_test_add_func("/hostile/capped", test_capped);
	g_test_add_func("/hostile/capped-total", test_capped_total);
	g_test_add_func("/hostile/capped-sublist", test_capped_sublist);
	g_test_add_func("/hostile/cap-refused", test_cap_refused);
	return g_test_run();
}
