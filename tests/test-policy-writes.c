/* test-policy-writes.c — the documents of issue 10 through real mounts of the emulator:
 * policy-groups/<name>/policies.json (a JSON object, which may span writes, checked against
 * 4.14.7's documented policy items before the one PUT), scripts/<name>/content (a text of
 * many lines, sent at the writer's last close with the script's name; read from the detail,
 * 4.24.3, since the listing's objects lack it) and policy-groups/<name>/targets/ (4.14.8).
 * Each write reaches the emulator's state with exactly one request and shows at once in
 * `cat` although the kernel caches; bad input is EINVAL from write() with nothing sent; -o
 * ro, dry_run and another uid are refused. The emulator's request counters are the oracle.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_PG_LIST "GET /v2/{project_id}/policy-groups/detail"
#define R_PG_DETAIL "GET /v2/{project_id}/policy-groups/{policy_group_id}"
#define R_PG_PUT "PUT /v2/{project_id}/policy-groups/{policy_group_id}/policies"
#define R_PG_TARGETS "GET /v2/{project_id}/policy-groups/{policy_group_id}/targets"
#define R_SCRIPTS "GET /v2/{project_id}/scripts"
#define R_SCRIPT "GET /v2/{project_id}/scripts/{script_id}"
#define R_SCRIPT_PUT "PUT /v2/{project_id}/scripts/{script_id}"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)


static const char *const TENANT[] = { "--desktops", "3", "--users", "4", "--seed", "7", NULL };

static int open_at(Mount *m, const char *rel, int flags)
{
	g_autofree char *path = harness_path(m, rel);
	int fd = open(path, flags);

	g_assert_no_errno(fd);
	return fd;
}

/* write() of len bytes: its size, or -errno. */
static gssize put_len(int fd, const char *text, gsize len)
{
	gssize n = write(fd, text, len);

	return n < 0 ? -errno : n;
}

static gssize put(int fd, const char *text)
{
	return put_len(fd, text, strlen(text));
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

/* Every request the emulator counted since its stats were reset. */
static gint64 requests(Mount *m)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	gint64 n = (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total"));

	cJSON_Delete(stats);
	return n;
}

/* A file of the mount without its newline (caller frees). */
static char *read_line(Mount *m, const char *rel)
{
	char *text = harness_read(m, rel);

	g_assert_nonnull(text);
	g_strchomp(text);
	return text;
}

/* The emulator's object of kind whose id the mount's <dir>/<id_file> shows. */
static cJSON *state_of(Mount *m, const char *kind, const char *dir, const char *id_file)
{
	g_autofree char *rel = g_strdup_printf("%s/%s", dir, id_file);
	g_autofree char *id = read_line(m, rel);
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, id);

	return harness_emu_get(m, path);
}

/* A member of a policy group's items, by a dotted path ("audio.play_volume"). */
static const cJSON *item_at(const cJSON *policies, const char *path)
{
	g_auto(GStrv) parts = g_strsplit(path, ".", -1);
	const cJSON *v = policies;

	for (guint i = 0; parts[i] && v; i++)
		v = cJSON_GetObjectItemCaseSensitive(v, parts[i]);
	return v;
}

static const cJSON *state_item(const cJSON *group, const char *path)
{
	return item_at(cJSON_GetObjectItem(group, "policies"), path);
}

/* policies.json as the mount shows it, parsed. */
static cJSON *shown(Mount *m, const char *dir)
{
	g_autofree char *rel = g_strdup_printf("%s/policies.json", dir);
	g_autofree char *text = harness_read(m, rel);
	cJSON *root = cJSON_Parse(text ? text : "");

	g_assert_nonnull(root);
	return root;
}

static char *first_group(Mount *m)
{
	g_autoptr(GPtrArray) groups = harness_list(m, "policy-groups");

	g_assert_cmpuint(groups->len, >, 0);
	return g_strdup_printf("policy-groups/%s", (char *)groups->pdata[0]);
}

static char *first_script(Mount *m)
{
	g_autoptr(GPtrArray) scripts = harness_list(m, "scripts");

	g_assert_cmpuint(scripts->len, >, 0);
	return g_strdup_printf("scripts/%s", (char *)scripts->pdata[0]);
}

/* ---- policies.json ---- */

/* One PUT per complete object, whether it ends a write with its newline, is spread over
 * several writes, or ends at close; the kernel's cached copy is replaced at once. */
static void test_policies(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *dir = first_group(m);
	g_autofree char *rel = g_strdup_printf("%s/policies.json", dir);
	g_autoptr(cJSON) before = state_of(m, "policy-groups", dir, "policy_group_id");
	g_autofree char *old = harness_read(m, rel);
	g_assert_nonnull(old);
	g_assert_cmpstr(cJSON_GetStringValue(state_item(before, "audio.record_volume")), ==,
			"100");
	harness_assert_cached(m, rel, old);

	/* One shell write of two lines: sent in write(), once. */
	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, dir, "printf '{\"audio\": {\"play_volume\": \"42\"},\\n"
			   " \"watermark\": {\"watermark_enable\": true}}\\n' > policies.json", NULL),
			==, 0);
	g_assert_cmpint(harness_route_count(m, R_PG_PUT), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	{
		g_autoptr(cJSON) now = state_of(m, "policy-groups", dir, "policy_group_id");
		g_autoptr(cJSON) file = shown(m, dir);

		g_assert_cmpstr(cJSON_GetStringValue(state_item(now, "audio.play_volume")), ==,
				"42");
		g_assert_true(cJSON_IsTrue(state_item(now, "watermark.watermark_enable")));
		/* The API merges: an item left out keeps its value. */
		g_assert_cmpstr(cJSON_GetStringValue(state_item(now, "audio.record_volume")), ==,
				"100");
		g_assert_true(cJSON_Compare(file, cJSON_GetObjectItem(now, "policies"), TRUE));
	}
	g_assert_cmpint(harness_route_count(m, R_PG_DETAIL), ==, 1);

	/* Across writes: the first line is not a whole object, nothing is sent for it. */
	harness_reset_stats(m);
	int fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "{\"client\":\n"), ==, 11);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_cmpint(put(fd, "  {\"session_persistence_time\": 99}}\n"), ==, 36);
	g_assert_cmpint(harness_route_count(m, R_PG_PUT), ==, 1);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	{
		g_autoptr(cJSON) file = shown(m, dir);

		g_assert_cmpint((gint64)cJSON_GetNumberValue(item_at(file,
					"client.session_persistence_time")), ==, 99);
	}

	/* Without its newline: sent once, at close. */
	harness_reset_stats(m);
	fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "{\"display\": {\"video_card_memory_size\": 512}}"), ==, 44);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_PG_PUT), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	{
		g_autoptr(cJSON) now = state_of(m, "policy-groups", dir, "policy_group_id");
		g_autoptr(cJSON) file = shown(m, dir);

		g_assert_cmpint((gint64)cJSON_GetNumberValue(state_item(now,
					"display.video_card_memory_size")), ==, 512);
		g_assert_true(cJSON_Compare(file, cJSON_GetObjectItem(now, "policies"), TRUE));
	}

	/* What cat shows goes back as it is. */
	g_autofree char *copy = harness_read(m, rel);
	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, rel, copy), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_PG_PUT), ==, 1);
	harness_stop(m);
}

/* Bad input is EINVAL from write() (and exit 1 in a shell), nothing sent, the reason in
 * /.wksfs/errors. */
static void test_policies_refused(void)
{
	static const struct {
		const char *body;
		const char *why;
	} bad[] = {
		{ "nope\n", "not JSON" },
		{ "[1]\n", "not a JSON object" },
		{ "{\"audio\": {\"play_volume\": 50}}\n", "\"audio.play_volume\" must be a string" },
		{ "{\"client\": {\"session_persistence_time\": \"99\"}}\n",
		  "\"client.session_persistence_time\" must be an integer" },
		{ "{\"watermark\": {\"watermark_enable\": 1}}\n",
		  "\"watermark.watermark_enable\" must be true or false" },
		{ "{\"audio\": \"loud\"}\n", "\"audio\" must be an object" },
		{ "{\"audo\": {}}\n", "unknown field \"audo\"" },
		{ "{\"audio\": {}} {}\n", "more than one JSON value" },
	};
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *dir = first_group(m);
	g_autofree char *rel = g_strdup_printf("%s/policies.json", dir);
	g_autoptr(cJSON) before = state_of(m, "policy-groups", dir, "policy_group_id");

	harness_reset_stats(m);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		int fd = open_at(m, rel, O_WRONLY | O_TRUNC);

		g_test_message("%s", bad[i].body);
		g_assert_cmpint(put(fd, bad[i].body), ==, -EINVAL);
		g_assert_no_errno(close(fd));	/* nothing left to send */
		g_assert_cmpint(count_lines(m, ".wksfs/errors", bad[i].why), >=, 1);
	}
	g_assert_cmpint(harness_sh(m, dir, "echo '{\"audio\": 1}' > policies.json", NULL), ==, 1);
	/* A NUL byte is refused in its own write; the rest of that value is not sent. */
	int fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put_len(fd, "{\"a\0", 4), ==, -EINVAL);
	g_assert_cmpint(put(fd, "}\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_cmpint(count_lines(m, ".wksfs/errors", "invalid input, not sent"), ==,
			(int)G_N_ELEMENTS(bad) + 2);
	g_autoptr(cJSON) after = state_of(m, "policy-groups", dir, "policy_group_id");
	g_assert_true(cJSON_Compare(before, after, TRUE));
	harness_stop(m);
}

/* ---- scripts/<name>/content ---- */

/* The listing is brief: `ls scripts` costs its page and nothing per script; the content is
 * the detail's, one GET, then cached; a write is one PUT at close carrying the script's
 * name, description and version, and shows at once. */
static void test_content(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	harness_reset_stats(m);
	g_autofree char *dir = first_script(m);
	g_autofree char *rel = g_strdup_printf("%s/content", dir);
	g_assert_cmpint(harness_route_count(m, R_SCRIPTS), ==, 1);
	g_assert_cmpint(harness_route_count(m, R_SCRIPT), ==, 0);
	g_autoptr(cJSON) before = state_of(m, "scripts", dir, "id");
	const char *content = cJSON_GetStringValue(cJSON_GetObjectItem(before, "content"));
	g_assert_nonnull(content);
	g_assert_cmpstr(content, !=, "");
	g_autofree char *want = g_strdup_printf("%s\n", content);

	/* The listing's object lacks the content: one detail GET, then the cache. */
	harness_reset_stats(m);
	g_autofree char *text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, want);
	g_assert_cmpint(harness_size(m, rel), ==, strlen(want));
	g_assert_cmpint(harness_route_count(m, R_SCRIPT), ==, 1);
	g_assert_cmpint(requests(m), ==, 1);
	g_free(text);
	text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, want);
	g_autoptr(GPtrArray) again = harness_list(m, "scripts");
	g_assert_cmpuint(again->len, >, 0);
	g_assert_cmpint(requests(m), ==, 1);
	harness_assert_cached(m, rel, want);

	/* Many lines in several writes: sent once, at the last close. */
	harness_reset_stats(m);
	int fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "echo one\n"), ==, 9);
	g_assert_cmpint(put(fd, "echo two\n"), ==, 9);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_SCRIPT_PUT), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	{
		g_autoptr(cJSON) now = state_of(m, "scripts", dir, "id");
		const char *keep[] = { "name", "description", "version", "type" };

		/* The one trailing newline is the file's, as for every field. */
		g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(now, "content")), ==,
				"echo one\necho two");
		for (guint i = 0; i < G_N_ELEMENTS(keep); i++)
			g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(now, keep[i])),
					==, cJSON_GetStringValue(cJSON_GetObjectItem(before,
											 keep[i])));
	}
	/* At once, although the kernel held the old bytes. */
	g_free(text);
	text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, "echo one\necho two\n");
	g_assert_cmpint(harness_size(m, rel), ==, strlen(text));

	/* From a shell, as cat writes a file. */
	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, dir, "printf 'df -h /\\nuptime\\n' | cat > content", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_SCRIPT_PUT), ==, 1);
	g_free(text);
	text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, "df -h /\nuptime\n");
	harness_stop(m);
}

/* A NUL byte or bytes no UTF-8 can continue are EINVAL from that write; nothing of the
 * value is sent, not even at close. */
static void test_content_refused(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *dir = first_script(m);
	g_autofree char *rel = g_strdup_printf("%s/content", dir);
	g_autoptr(cJSON) before = state_of(m, "scripts", dir, "id");

	harness_reset_stats(m);
	int fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "echo ok\n"), ==, 8);
	g_assert_cmpint(put_len(fd, "a\0b\n", 4), ==, -EINVAL);
	g_assert_cmpint(put(fd, "more\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	/* A character cut between writes is fine; a byte that starts none is not. */
	fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "caf\xc3"), ==, 4);
	g_assert_cmpint(put(fd, "\xff\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_sh(m, dir, "printf 'x\\377\\n' > content", NULL), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_cmpint(count_lines(m, ".wksfs/errors", "invalid input, not sent"), ==, 3);
	g_autoptr(cJSON) after = state_of(m, "scripts", dir, "id");
	g_assert_true(cJSON_Compare(before, after, TRUE));
	/* A character cut at the end, then completed: sent whole. */
	fd = open_at(m, rel, O_WRONLY | O_TRUNC);
	g_assert_cmpint(put(fd, "caf\xc3"), ==, 4);
	g_assert_cmpint(put(fd, "\xa9\n"), ==, 2);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	g_autofree char *text = harness_read(m, rel);
	g_assert_cmpstr(text, ==, "caf\xc3\xa9\n");
	harness_stop(m);
}

/* ---- targets/ ---- */

/* One directory per target, named by its id, with the API's fields: one 4.14.8 page. */
static void test_targets(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) groups = harness_list(m, "policy-groups");

	g_assert_cmpuint(groups->len, >=, 2);
	for (guint g = 0; g < groups->len; g++) {
		g_autofree char *dir = g_strdup_printf("policy-groups/%s", (char *)groups->pdata[g]);
		g_autofree char *tdir = g_strdup_printf("%s/targets", dir);
		g_autoptr(cJSON) state = state_of(m, "policy-groups", dir, "policy_group_id");
		const cJSON *targets = cJSON_GetObjectItem(state, "targets"), *t;
		g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func(g_free);

		harness_reset_stats(m);
		g_autoptr(GPtrArray) names = harness_list(m, tdir);
		g_assert_cmpint(harness_route_count(m, R_PG_TARGETS), ==, 1);
		cJSON_ArrayForEach(t, targets)
			g_ptr_array_add(want, g_strdup(cJSON_GetStringValue(
				cJSON_GetObjectItem(t, "target_id"))));
		g_assert_cmpuint(names->len, ==, want->len);
		g_assert_cmpuint(names->len, ==, 3);
		cJSON_ArrayForEach(t, targets) {
			const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(t, "target_id"));
			const char *fields[] = { "target_id", "target_name", "target_type" };

			g_assert_true(g_ptr_array_find_with_equal_func(names, id, g_str_equal,
								       NULL));
			for (guint f = 0; f < G_N_ELEMENTS(fields); f++) {
				g_autofree char *file = g_strdup_printf("%s/%s/%s", tdir, id,
									fields[f]);
				g_autofree char *v = read_line(m, file);

				g_assert_cmpstr(v, ==, cJSON_GetStringValue(
					cJSON_GetObjectItem(t, fields[f])));
			}
		}
		/* The one page was enough: every file came from it. */
		g_assert_cmpint(harness_route_count(m, R_PG_TARGETS), ==, 1);
		g_assert_cmpint(requests(m), ==, 1);
	}
	harness_stop(m);
}

/* ---- ro, dry_run, another uid ---- */

static void test_ro_and_dry_run(void)
{
	for (int ro = 1; ro >= 0; ro--) {
		Mount *m = harness_start(TENANT, ro ? "ttl=600,ro" : "ttl=600,dry_run");

		if (!m)
			return;
		g_autofree char *group = first_group(m);
		g_autofree char *script = first_script(m);
		g_autofree char *prel = g_strdup_printf("%s/policies.json", group);
		g_autofree char *crel = g_strdup_printf("%s/content", script);
		g_autoptr(cJSON) pg = state_of(m, "policy-groups", group, "policy_group_id");
		g_autoptr(cJSON) sc = state_of(m, "scripts", script, "id");
		int want = ro ? EROFS : 0;

		harness_reset_stats(m);
		g_assert_cmpint(harness_write(m, prel, "{\"audio\": {\"play_volume\": \"1\"}}\n"),
				==, want);
		g_assert_cmpint(harness_write(m, crel, "echo dry\n"), ==, want);
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		g_autoptr(cJSON) pg2 = state_of(m, "policy-groups", group, "policy_group_id");
		g_autoptr(cJSON) sc2 = state_of(m, "scripts", script, "id");
		g_assert_true(cJSON_Compare(pg, pg2, TRUE));
		g_assert_true(cJSON_Compare(sc, sc2, TRUE));
		if (!ro) {
			g_assert_cmpint(count_lines(m, ".wksfs/audit", "dry-run, not sent"), ==,
					2);
			/* The content's PUT carries the script's name (logfmt escapes the
			 * quotes). */
			g_autofree char *name = g_strdup_printf(
				"\\\"name\\\":\\\"%s\\\"",
				cJSON_GetStringValue(cJSON_GetObjectItem(sc, "name")));
			g_assert_cmpint(count_lines(m, ".wksfs/audit", name), ==, 1);
		}
		harness_stop(m);
	}
}

static void test_other_uid(void)
{
	Mount *m = harness_start(TENANT, "allow_other,ttl=600");

	if (!m)
		return;
	g_assert_no_errno(chmod(m->workdir, 0755));
	g_autofree char *group = first_group(m);
	g_autofree char *script = first_script(m);
	g_autofree char *ppath = g_strdup_printf("%s/%s/policies.json", m->mnt, group);
	g_autofree char *cpath = g_strdup_printf("%s/%s/content", m->mnt, script);
	const char *body = "{\"audio\": {\"play_volume\": \"7\"}}\n";

	harness_reset_stats(m);
	/* The kernel refuses: owner-only write bits. */
	g_assert_cmpint(harness_as_other(ppath, -1, body, FALSE), ==, EACCES);
	g_assert_cmpint(harness_as_other(cpath, -1, "echo x\n", FALSE), ==, EACCES);
	/* A descriptor the owner opened: the daemon refuses, and audits it. */
	g_assert_cmpint(harness_as_other(NULL, open(ppath, O_WRONLY), body, FALSE), ==, EACCES);
	int fd = open(cpath, O_WRONLY);
	g_assert_no_errno(fd);
	g_assert_cmpint(harness_as_other(NULL, fd, "echo x\n", FALSE), ==, EACCES);
	g_assert_cmpint(count_lines(m, ".wksfs/audit",
				    "refused: uid 65534 does not own this mount"), ==, 2);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	/* The owner still can. */
	g_autofree char *prel = g_strdup_printf("%s/policies.json", group);
	g_assert_cmpint(harness_write(m, prel, body), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_PG_PUT), ==, 1);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/policy-writes/policies", test_policies);
	g_test_add_func("/policy-writes/policies-refused", test_policies_refused);
	g_test_add_func("/policy-writes/content", test_content);
	g_test_add_func("/policy-writes/content-refused", test_content_refused);
	g_test_add_func("/policy-writes/targets", test_targets);
	g_test_add_func("/policy-writes/ro-and-dry-run", test_ro_and_dry_run);
	g_test_add_func("/policy-writes/other-uid", test_other_uid);
	return g_test_run();
}
