/* test-jsonl.c — /<kind>.jsonl through real mounts: one line per object, the bytes of its
 * info.json, in the listing's order, as the emulator holds it; the cost of the directory
 * (cold: the listing's pages, warm or after `ls`: nothing, and `ls` after it nothing), the
 * kernel's page cache while nothing changed and the new bytes at once after a write; the
 * TTL, stale-on-error, read-only refusals, and which names exist. The emulator's counters
 * are the oracle. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_GROUPS "GET /v2/{project_id}/groups"
#define R_USERS "GET /v2/{project_id}/users"

/* 1100 desktops: three pages of 500. */
static const char *const TENANT[] = { "--desktops", "1100", "--users", "12", "--groups", "250",
				      "--seed", "5", NULL };

/* A directory's names in the order the mount gives them (the API's), dot names left out. */
static GPtrArray *raw_names(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(path);
	struct dirent *de;

	g_assert_nonnull(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	return names;
}

static guint count_lines(const char *text)
{
	guint n = 0;

	for (const char *p = text; (p = strchr(p, '\n')); p++)
		n++;
	return n;
}

/* Requests the emulator served, all routes. */
static gint64 emu_total(Mount *m)
{
	g_autoptr(cJSON) stats = harness_emu_get(m, "/__emulator/stats");

	return (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total"));
}

/* The text a shell command prints (the test fails if it does not exit 0). */
static char *sh(const char *script)
{
	const char *argv[] = { "/bin/sh", "-c", script, NULL };
	g_autofree char *out = NULL;
	int status = 0;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
				   NULL, &status, NULL));
	g_assert_true(g_spawn_check_wait_status(status, NULL));
	return g_steal_pointer(&out);
}

/* stat never lists: `ls -l` of the root costs no request, each uncached collection's file
 * is 0 bytes for now, and reading one after that stat (wc -c, jq and tail trust no size
 * of 0) gives every line, after which it has its exact size. */
static void test_stat_lists_nothing(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *root = harness_path(m, "");
	g_autofree char *file = harness_path(m, "desktops.jsonl");
	g_autofree char *ls = g_strdup_printf("ls -l '%s' | grep -c 'jsonl$'", root);
	g_autofree char *wc = g_strdup_printf("wc -c < '%s'", file);
	g_autofree char *tail = g_strdup_printf("tail -n 1 '%s' | wc -l", file);

	harness_reset_stats(m);
	g_autofree char *n = sh(ls);
	g_assert_cmpint(g_ascii_strtoll(n, NULL, 10), >, 20);
	g_assert_cmpint(emu_total(m), ==, 0);
	g_assert_cmpuint(harness_size(m, "desktops.jsonl"), ==, 0);
	g_assert_cmpint(emu_total(m), ==, 0);
	g_autofree char *bytes = sh(wc);
	g_assert_cmpint(emu_total(m), ==, 3);
	g_autofree char *text = harness_read(m, "desktops.jsonl");
	g_assert_cmpint(g_ascii_strtoll(bytes, NULL, 10), ==, strlen(text));
	g_assert_cmpuint(count_lines(text), ==, 1100);
	g_assert_cmpuint(harness_size(m, "desktops.jsonl"), ==, strlen(text));
	g_autofree char *last = sh(tail);
	g_assert_cmpint(g_ascii_strtoll(last, NULL, 10), ==, 1);
	g_assert_cmpint(emu_total(m), ==, 3);
	harness_stop(m);
}

/* Cold, the file costs the listing's pages (no GET per object); its lines are the objects'
 * info.json in listing order, each the emulator's object; `ls` after it costs nothing. */
static void test_content_and_cold_cost(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	harness_reset_stats(m);
	g_autofree char *text = harness_read(m, "desktops.jsonl");
	g_assert_nonnull(text);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 3);
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/desktops/{desktop_id}"), ==,
			0);
	g_assert_cmpint(emu_total(m), ==, 3);
	g_assert_cmpuint(harness_size(m, "desktops.jsonl"), ==, strlen(text));
	g_assert_true(g_str_has_suffix(text, "}\n"));

	/* ls after it: the listing it fetched. */
	g_autoptr(GPtrArray) names = raw_names(m, "desktops");
	g_assert_cmpuint(names->len, ==, 1100);
	g_assert_cmpuint(count_lines(text), ==, names->len);
	g_assert_cmpint(emu_total(m), ==, 3);

	/* Line i is desktop i's info.json, byte for byte, and the emulator's object. */
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/info.json",
						       (char *)names->pdata[i]);
		g_autofree char *info = harness_read(m, rel);
		g_autofree char *line = g_strconcat(lines[i], "\n", NULL);

		g_assert_cmpstr(line, ==, info);
		if (i % 25 == 0) {
			g_autofree char *state_path = g_strdup_printf("/__emulator/state/desktops/%s",
								      (char *)names->pdata[i]);
			g_autoptr(cJSON) state = harness_emu_get(m, state_path);
			g_autoptr(cJSON) parsed = cJSON_Parse(lines[i]);

			g_assert_true(cJSON_Compare(parsed, state, TRUE));
		}
	}
	g_assert_cmpstr(lines[names->len], ==, "");
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 3);

	/* The tools that trust st_size or read to the end agree: `cat STAR/info.json` is the
	 * same bytes (in the shell's sorted order: compared sorted), wc -c, tail, cp. */
	g_autofree char *mnt = harness_path(m, "");
	g_autofree char *cmd = g_strdup_printf("cd '%s' && cat desktops/*/info.json | sort | md5sum"
					       " && sort desktops.jsonl | md5sum && wc -c < "
					       "desktops.jsonl && tail -n 1 desktops.jsonl && cp "
					       "desktops.jsonl '%s/copy' && cmp desktops.jsonl "
					       "'%s/copy' && echo same", mnt, m->workdir, m->workdir);
	g_autofree char *out = sh(cmd);
	g_auto(GStrv) outl = g_strsplit(out, "\n", -1);
	g_assert_cmpuint(g_strv_length(outl), ==, 6);
	g_assert_cmpstr(outl[0], ==, outl[1]);
	g_assert_cmpint(g_ascii_strtoll(outl[2], NULL, 10), ==, (gint64)strlen(text));
	g_assert_cmpstr(outl[3], ==, lines[names->len - 1]);
	g_assert_cmpstr(outl[4], ==, "same");
	harness_stop(m);
}

/* After `ls desktops` the file costs no request; a second read none either; jq (when it is
 * installed) finds exactly the objects the emulator has in that status. */
static void test_warm_after_ls(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	harness_reset_stats(m);
	g_autofree char *text = harness_read(m, "desktops.jsonl");
	g_autofree char *again = harness_read(m, "desktops.jsonl");
	g_assert_nonnull(text);
	g_assert_cmpstr(text, ==, again);
	g_assert_cmpuint(count_lines(text), ==, names->len);
	g_assert_cmpint(emu_total(m), ==, 0);

	/* The report's fast path counts what the lines say (and the lines, the emulator). */
	guint active = 0;
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] && lines[i][0]; i++) {
		g_autoptr(cJSON) o = cJSON_Parse(lines[i]);

		g_assert_nonnull(o);
		active += g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(o, "status")),
				    "ACTIVE") == 0;
	}
	g_assert_cmpuint(active, >, 0);
	g_autofree char *jq = g_find_program_in_path("jq");

	if (jq) {
		g_autofree char *path = harness_path(m, "desktops.jsonl");
		g_autofree char *cmd = g_strdup_printf("jq -c 'select(.status==\"ACTIVE\")' '%s' "
						       "| wc -l; jq -c . '%s' | wc -l", path, path);
		g_autofree char *out = sh(cmd);
		g_auto(GStrv) n = g_strsplit(out, "\n", -1);

		g_assert_cmpint(g_ascii_strtoll(n[0], NULL, 10), ==, active);
		g_assert_cmpint(g_ascii_strtoll(n[1], NULL, 10), ==, names->len);
	} else {
		g_test_message("jq is not installed: the jq cross-check is left out");
	}
	harness_stop(m);
}

static char *first_user(Mount *m)
{
	g_autoptr(GPtrArray) users = harness_list(m, "users");

	g_assert_cmpuint(users->len, >, 0);
	return g_strdup(users->pdata[0]);
}

/* Warm reads come from the kernel's page cache (no FUSE read, no API call); a write to one
 * object's field shows in the file at once, and the new bytes are cached again. */
static void test_kernel_cache_and_write(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *user = first_user(m);
	g_autofree char *text = harness_read(m, "users.jsonl");
	g_assert_nonnull(text);
	g_assert_null(strstr(text, "\"description\":\"changed by the test\""));
	harness_assert_cached(m, "users.jsonl", text);

	g_autofree char *rel = g_strdup_printf("users/%s/description", user);
	g_assert_cmpint(harness_write(m, rel, "changed by the test\n"), ==, 0);
	/* stat first: the kernel must have dropped the attributes it kept (the old size); the
	 * changed object is not cached again yet, so the size is 0 (unknown) for now. */
	gsize size = harness_size(m, "users.jsonl");
	gint64 reads = harness_stat(m, "fuse_reads");
	g_autofree char *after = harness_read(m, "users.jsonl");
	g_assert_cmpint(harness_stat(m, "fuse_reads"), >, reads);
	g_assert_nonnull(strstr(after, "\"description\":\"changed by the test\""));
	g_assert_cmpuint(count_lines(after), ==, count_lines(text));
	g_assert_cmpuint(size, ==, 0);
	/* Once read, it is cached again: its exact size. */
	g_assert_cmpuint(harness_size(m, "users.jsonl"), ==, strlen(after));
	g_assert_cmpuint(strlen(after), !=, strlen(text));
	/* The line is the user's info.json now. */
	g_autofree char *info_rel = g_strdup_printf("users/%s/info.json", user);
	g_autofree char *info = harness_read(m, info_rel);
	g_assert_nonnull(strstr(after, info));
	harness_assert_cached(m, "users.jsonl", after);
	harness_stop(m);
}

/* With ttl=1 the file expires with its listing: a read after the TTL costs the pages once
 * more (and `ls` then costs nothing); the cache-on twin above costs nothing. */
static void test_ttl(void)
{
	Mount *m = harness_start(TENANT, "ttl=1");

	if (!m)
		return;
	g_free(harness_read(m, "user-groups.jsonl"));
	harness_reset_stats(m);
	g_usleep(1300 * 1000);
	g_autofree char *text = harness_read(m, "user-groups.jsonl");
	g_assert_nonnull(text);
	g_assert_cmpuint(count_lines(text), ==, 250);
	g_assert_cmpint(harness_route_count(m, R_GROUPS), ==, 3);	/* pages of 100 */
	g_autoptr(GPtrArray) names = harness_list(m, "user-groups");
	g_assert_cmpuint(names->len, ==, 250);
	g_assert_cmpint(harness_route_count(m, R_GROUPS), ==, 3);
	harness_stop(m);
}

/* The API down after the TTL: the last good lines are served, as the directory is. */
static void test_stale_on_error(void)
{
	Mount *m = harness_start(TENANT, "ttl=1");

	if (!m)
		return;
	g_autofree char *text = harness_read(m, "users.jsonl");
	g_assert_nonnull(text);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0}");
	g_usleep(1300 * 1000);
	g_autofree char *stale = harness_read(m, "users.jsonl");
	g_assert_cmpstr(stale, ==, text);
	g_autofree char *online = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(online, ==, "0\n");
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	harness_stop(m);
}

/* Read-only: EACCES for a write, a truncate or a removal; EROFS on -o ro. Nothing sent. */
static void test_read_only(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *path = harness_path(m, "users.jsonl");
	struct stat st;

	g_assert_no_errno(stat(path, &st));
	g_assert_cmpint(st.st_mode & 0777, ==, 0444);
	g_assert_true(S_ISREG(st.st_mode));
	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, "users.jsonl", "{}\n"), ==, EACCES);
	g_assert_cmpint(truncate(path, 0), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	g_assert_cmpint(unlink(path), ==, -1);
	g_assert_cmpint(errno, ==, EACCES);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);

	m = harness_start(TENANT, "ttl=600,ro");
	if (!m)
		return;
	g_assert_cmpint(harness_write(m, "users.jsonl", "{}\n"), ==, EROFS);
	g_autofree char *ro_path = harness_path(m, "users.jsonl");
	g_assert_cmpint(truncate(ro_path, 0), ==, -1);
	g_assert_cmpint(errno, ==, EROFS);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* Every collection with a listing has its file in `ls /`, and nothing else does: not a
 * singleton (workspace), not a view, not jobs (no list endpoint). */
static void test_names(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) root = harness_list(m, "");
	guint files = 0;

	for (guint i = 0; i < root->len; i++) {
		const char *name = root->pdata[i];
		g_autofree char *dir = NULL;
		g_autofree char *dpath = NULL;
		struct stat st;

		if (!g_str_has_suffix(name, ".jsonl"))
			continue;
		files++;
		dir = g_strndup(name, strlen(name) - 6);
		dpath = harness_path(m, dir);
		g_assert_no_errno(stat(dpath, &st));
		g_assert_true(S_ISDIR(st.st_mode));
	}
	g_assert_cmpuint(files, >=, 30);
	static const char *const none[] = { "workspace.jsonl", "statistics.jsonl",
		"desktops-by-status.jsonl", "desktops-by-name.jsonl", "jobs.jsonl",
		"README.jsonl", "desktops.jsonl.jsonl", ".jsonl" };
	for (gsize i = 0; i < G_N_ELEMENTS(none); i++) {
		g_autofree char *p = harness_path(m, none[i]);
		struct stat st;

		g_assert_cmpint(stat(p, &st), ==, -1);
		g_assert_cmpint(errno, ==, ENOENT);
	}
	for (const char *const *k = (const char *const[]){ "desktops.jsonl", "users.jsonl",
		"desktop-pools.jsonl", "user-groups.jsonl", "app-servers.jsonl", NULL }; *k; k++)
		g_assert_true(g_ptr_array_find_with_equal_func(root, *k, g_str_equal, NULL));
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/jsonl/content-and-cold-cost", test_content_and_cold_cost);
	g_test_add_func("/jsonl/stat-lists-nothing", test_stat_lists_nothing);
	g_test_add_func("/jsonl/warm-after-ls", test_warm_after_ls);
	g_test_add_func("/jsonl/kernel-cache-and-write", test_kernel_cache_and_write);
	g_test_add_func("/jsonl/ttl", test_ttl);
	g_test_add_func("/jsonl/stale-on-error", test_stale_on_error);
	g_test_add_func("/jsonl/read-only", test_read_only);
	g_test_add_func("/jsonl/names", test_names);
	return g_test_run();
}
