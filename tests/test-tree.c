/* test-tree.c — the whole tree of a generated tenant through a real mount: every file read
 * and checked against the emulator's own JSON, every action verb of every kind with its
 * failure modes, jobs and `wait`, links and views, the safety options, hostile names. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const TENANT[] = {
	"--desktops", "12", "--users", "6", "--groups", "3", "--pools", "2", "--server-groups",
	"2", "--servers", "5", "--sessions", "10", "--seed", "5", "--job-seconds", "0.5", NULL,
};


/* ---- the walk ---- */

static Mount *walk_mount;
static int walk_files, walk_links, walk_errors;

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = path + strlen(walk_mount->mnt);

	if (type == FTW_SL) {
		struct stat target;

		walk_links++;
		if (stat(path, &target) < 0) {
			g_test_fail_printf("broken link %s: %s", rel, g_strerror(errno));
			walk_errors++;
		}
		return 0;
	}
	if (type == FTW_DNR || type == FTW_NS) {
		g_test_fail_printf("cannot read %s", rel);
		walk_errors++;
		return 0;
	}
	if (type != FTW_F || g_str_has_suffix(path, "/wait"))
		return 0;
	g_autofree char *text = harness_read(walk_mount, rel + 1);
	if (!text && !g_str_has_suffix(path, "/ctl")) {
		g_test_fail_printf("cat %s: %s", rel, g_strerror(errno));
		walk_errors++;
	}
	if (text && (gsize)st->st_size != strlen(text) && !strstr(rel, "/.wksfs/")) {
		g_test_fail_printf("%s: st_size %jd, read %zu", rel, (intmax_t)st->st_size,
				   strlen(text));
		walk_errors++;
	}
	walk_files++;
	return 0;
}

static const struct {
	const char *dir;	/* our directory */
	const char *state;	/* the emulator's state view */
} KINDS[] = {
	{ "desktops", "desktops" },	    { "users", "users" },
	{ "user-groups", "groups" },	    { "desktop-pools", "pools" },
	{ "app-server-groups", "server-groups" }, { "app-servers", "servers" },
	{ "app-sessions", "sessions" },	    { "session-types", "session-types" },
};

static cJSON *state_of(Mount *m, const char *kind, const cJSON *ours)
{
	static const char *const keys[] = { "id", "desktop_id", "user_name", "name",
					    "resource_spec_code" };

	for (gsize i = 0; i < G_N_ELEMENTS(keys); i++) {
		const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(ours, keys[i]));
		g_autofree char *esc = key ? g_uri_escape_string(key, NULL, FALSE) : NULL;
		g_autofree char *path = esc ? g_strdup_printf("/__emulator/state/%s/%s", kind, esc)
					    : NULL;
		g_autofree char *text = NULL;

		if (!path)
			continue;
		cJSON *state = harness_emu_get_maybe(m, path);
		if (state)
			return state;
	}
	return NULL;
}

/* Every object's info.json and scalar files agree with the emulator's own JSON. */
static void check_kind(Mount *m, const char *dir, const char *state_kind)
{
	g_autoptr(GPtrArray) names = harness_list(m, dir);

	if (names->len == 0)
		g_test_fail_printf("%s is empty", dir);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("%s/%s/info.json", dir,
						       (char *)names->pdata[i]);
		g_autofree char *text = harness_read(m, rel);
		cJSON *ours = text ? cJSON_Parse(text) : NULL;
		cJSON *state = ours ? state_of(m, state_kind, ours) : NULL;
		const cJSON *field;

		if (!state) {
			g_test_fail_printf("%s: no emulator state to compare", rel);
			cJSON_Delete(ours);
			continue;
		}
		cJSON_ArrayForEach(field, ours) {
			const cJSON *theirs = cJSON_GetObjectItem(state, field->string);

			if (theirs && !cJSON_Compare(field, theirs, TRUE))
				g_test_fail_printf("%s: field %s differs", rel, field->string);
			if (cJSON_IsString(field) && !strchr(field->string, '/') &&
			    field->string[0] != '.') {
				g_autofree char *frel = g_strdup_printf(
					"%s/%s/%s", dir, (char *)names->pdata[i], field->string);
				g_autofree char *ftext = harness_read(m, frel);
				g_autofree char *want = g_strconcat(field->valuestring, "\n", NULL);

				if (g_strcmp0(ftext, want) != 0)
					g_test_fail_printf("%s reads %s", frel, ftext);
			}
		}
		cJSON_Delete(ours);
		cJSON_Delete(state);
	}
}

static void test_walk(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,session_window=2592000");

	if (!m)
		return;
	walk_mount = m;
	walk_files = walk_links = walk_errors = 0;
	g_assert_cmpint(nftw(m->mnt, visit, 16, FTW_PHYS), ==, 0);
	g_test_message("walked %d files and %d links", walk_files, walk_links);
	g_assert_cmpint(walk_errors, ==, 0);
	g_assert_cmpint(walk_files, >, 500);
	g_assert_cmpint(walk_links, >, 20);
	for (gsize i = 0; i < G_N_ELEMENTS(KINDS); i++)
		check_kind(m, KINDS[i].dir, KINDS[i].state);
	g_autofree char *readme = harness_read(m, "README");
	g_assert_nonnull(strstr(readme, "/desktop-pools/<name>/"));
	g_assert_nonnull(strstr(readme, "add USER"));
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* ---- actions ---- */

/* The nth (from 0) object of dir whose file reads value (any object if value is NULL). */
static char *nth_in(Mount *m, const char *dir, const char *file, const char *value, guint nth)
{
	g_autoptr(GPtrArray) names = harness_list(m, dir);

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("%s/%s/%s", dir, (char *)names->pdata[i],
						       file);
		g_autofree char *text = value ? harness_read(m, rel) : NULL;

		if ((!value || (text && strcmp(g_strchomp(text), value) == 0)) && nth-- == 0)
			return g_strdup(names->pdata[i]);
	}
	return NULL;
}

static char *first_in(Mount *m, const char *dir, const char *file, const char *value)
{
	return nth_in(m, dir, file, value, 0);
}

static int act(Mount *m, const char *dir, const char *name, const char *command)
{
	g_autofree char *rel = g_strdup_printf("%s/%s/action", dir, name);

	return harness_write(m, rel, command);
}

static void fault_route(Mount *m, const char *route, int status)
{
	g_autofree char *body = g_strdup_printf(
		"{\"fail_rate\": 1.0, \"fail_status\": %d, \"route\": \"%s\"}", status, route);

	harness_emu_post(m, "/__emulator/faults", body);
}

static void clear_faults(Mount *m)
{
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0, \"route\": \"\"}");
}

/* Each kind: every verb once (success), an unknown verb (EINVAL, nothing sent), and the API
 * refusing with 409 (EBUSY) and 403 (EACCES), read back from the action file. */
static void check_failures(Mount *m, const char *dir, const char *name, const char *verb,
			   const char *route)
{
	gint64 before = harness_mutation_count(m);

	g_assert_cmpint(act(m, dir, name, "fly\n"), ==, EINVAL);
	g_assert_cmpint(act(m, dir, name, "\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, before);
	fault_route(m, route, 409);
	g_assert_cmpint(act(m, dir, name, verb), ==, EBUSY);
	fault_route(m, route, 403);
	g_assert_cmpint(act(m, dir, name, verb), ==, EACCES);
	clear_faults(m);
	g_autofree char *rel = g_strdup_printf("%s/%s/action", dir, name);
	g_autofree char *result = harness_read(m, rel);
	g_assert_true(g_str_has_prefix(result, "error: Permission denied"));
}

static void test_actions(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	/* desktops: each verb on a desktop in a state that allows it */
	static const struct {
		const char *status, *verb;
		guint nth;
	} dverbs[] = {
		{ "ACTIVE", "stop\n", 0 }, { "ACTIVE", "reboot hard\n", 1 },
		{ "ACTIVE", "hibernate\n", 2 }, { "SHUTOFF", "start\n", 0 },
	};
	/* Each on its own desktop: one in the middle of a job would answer 409. Read the
	 * statuses before the first action changes any. */
	char *targets[G_N_ELEMENTS(dverbs)];
	for (gsize i = 0; i < G_N_ELEMENTS(dverbs); i++)
		targets[i] = nth_in(m, "desktops", "status", dverbs[i].status, dverbs[i].nth);
	for (gsize i = 0; i < G_N_ELEMENTS(dverbs); i++) {
		g_autofree char *d = targets[i];

		if (!d) {
			g_test_fail_printf("no %s desktop", dverbs[i].status);
			continue;
		}
		g_assert_cmpint(act(m, "desktops", d, dverbs[i].verb), ==, 0);
	}
	g_autofree char *d0 = first_in(m, "desktops", NULL, NULL);
	check_failures(m, "desktops", d0, "reboot\n", "POST /v2/{project_id}/desktops/action");

	/* users */
	g_autofree char *u = first_in(m, "users", NULL, NULL);
	for (const char *const *v = (const char *const[]){ "lock\n", "unlock\n",
							  "reset-password\n", NULL }; *v; v++)
		g_assert_cmpint(act(m, "users", u, *v), ==, 0);
	check_failures(m, "users", u, "lock\n", "POST /v2/{project_id}/users/{user_id}/actions");

	/* user groups: add and remove a member, visible in members/ */
	g_autofree char *g = first_in(m, "user-groups", NULL, NULL);
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *newbie = users->pdata[users->len - 1];
	g_autofree char *add = g_strdup_printf("add %s\n", newbie);
	g_autofree char *remove = g_strdup_printf("remove %s\n", newbie);
	g_autofree char *members = g_strdup_printf("user-groups/%s/members", g);
	g_autofree char *link = g_strdup_printf("%s/%s", members, newbie);
	g_autofree char *link_path = harness_path(m, link);
	struct stat st;
	act(m, "user-groups", g, remove);	/* whatever it was, start from "not a member" */
	g_assert_cmpint(act(m, "user-groups", g, add), ==, 0);
	g_assert_no_errno(lstat(link_path, &st));
	g_assert_true(S_ISLNK(st.st_mode));
	g_assert_cmpint(act(m, "user-groups", g, remove), ==, 0);
	g_assert_cmpint(lstat(link_path, &st), ==, -1);
	g_assert_cmpint(act(m, "user-groups", g, "add no-such-user\n"), ==, EINVAL);
	g_assert_cmpint(act(m, "user-groups", g, "add\n"), ==, EINVAL);
	check_failures(m, "user-groups", g, add, "POST /v2/{project_id}/groups/{group_id}/actions");

	/* desktop pools */
	g_autofree char *p = first_in(m, "desktop-pools", NULL, NULL);
	for (const char *const *v = (const char *const[]){ "reboot\n", "stop hard\n",
							  "start\n", "hibernate\n", NULL }; *v; v++) {
		int rc = act(m, "desktop-pools", p, *v);

		/* A pool whose desktops are in the wrong state for a verb answers 409. */
		if (rc != 0 && rc != EBUSY)
			g_test_fail_printf("pool %s: %s", *v, g_strerror(rc));
	}
	check_failures(m, "desktop-pools", p, "reboot\n",
		       "POST /v2/{project_id}/desktop-pools/{pool_id}/action");

	/* app servers */
	g_autofree char *s = first_in(m, "app-servers", NULL, NULL);
	for (const char *const *v = (const char *const[]){ "stop\n", "start\n", "reboot hard\n",
							  NULL }; *v; v++) {
		int rc = act(m, "app-servers", s, *v);

		if (rc != 0 && rc != EBUSY)
			g_test_fail_printf("server %s: %s", *v, g_strerror(rc));
	}
	g_assert_cmpint(act(m, "app-servers", s, "start hard\n"), ==, EINVAL);
	check_failures(m, "app-servers", s, "reboot\n",
		       "PATCH /v1/{project_id}/app-servers/actions/batch-reboot");

	/* Kinds without actions have no action file. */
	g_autofree char *t = first_in(m, "session-types", NULL, NULL);
	g_autofree char *tact = g_strdup_printf("session-types/%s/action", t);
	g_assert_null(harness_read(m, tact));
	g_assert_cmpint(errno, ==, ENOENT);

	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "POST /v2/{project_id}/desktops/action"));
	g_assert_nonnull(strstr(audit, "command="));
	harness_stop(m);
}

/* ---- jobs, views ---- */

static char *job_of(Mount *m, const char *dir, const char *name)
{
	g_autofree char *rel = g_strdup_printf("%s/%s/action", dir, name);
	g_autofree char *result = harness_read(m, rel);

	if (!result || !g_str_has_prefix(result, "job "))
		return NULL;
	return g_strdup(g_strchomp(result + 4));
}

static void test_jobs_and_views(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,wait_timeout=20");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", "status", "ACTIVE");
	g_assert_nonnull(d);
	g_assert_cmpint(act(m, "desktops", d, "stop\n"), ==, 0);
	g_autofree char *job = job_of(m, "desktops", d);
	g_assert_nonnull(job);

	/* The job is listed under /jobs and waitable. */
	g_autoptr(GPtrArray) jobs = harness_list(m, "jobs");
	g_assert_true(g_ptr_array_find_with_equal_func(jobs, job, g_str_equal, NULL));
	g_autofree char *wait_rel = g_strdup_printf("jobs/%s/wait", job);
	g_autofree char *status_rel = g_strdup_printf("jobs/%s/status", job);
	g_autofree char *final = harness_read(m, wait_rel);
	g_assert_cmpstr(final, ==, "SUCCESS\n");
	g_autofree char *status = harness_read(m, status_rel);
	g_assert_cmpstr(status, ==, "SUCCESS\n");
	/* Right after the wait, the desktop shows what the job did: no waiting for a TTL. */
	g_autofree char *dstatus_rel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *dstatus = harness_read(m, dstatus_rel);
	g_assert_cmpstr(dstatus, ==, "SHUTOFF\n");

	/* desktops-by-status follows the emulator's state once the job is done. */
	g_autofree char *link = g_strdup_printf("desktops-by-status/SHUTOFF/%s", d);
	g_autofree char *path = harness_path(m, link);
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	struct stat st;
	while (lstat(path, &st) < 0 && g_get_monotonic_time() < deadline)
		g_usleep(100 * 1000);
	g_assert_no_errno(lstat(path, &st));
	g_autoptr(GPtrArray) shutoff = harness_list(m, "desktops-by-status/SHUTOFF");
	for (guint i = 0; i < shutoff->len; i++) {
		g_autofree char *sp = g_strdup_printf("/__emulator/state/desktops/%s",
						      (char *)shutoff->pdata[i]);
		cJSON *state = harness_emu_get(m, sp);

		g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(state, "status")), ==,
				"SHUTOFF");
		cJSON_Delete(state);
	}
	char target[256] = "";
	g_assert_cmpint(readlink(path, target, sizeof(target) - 1), >, 0);
	g_autofree char *want = g_strdup_printf("../../desktops/%s", d);
	g_assert_cmpstr(target, ==, want);

	/* desktops-by-name: computer_name -> the desktop. */
	g_autofree char *cn_rel = g_strdup_printf("desktops/%s/computer_name", d);
	g_autofree char *cn = harness_read(m, cn_rel);
	g_autofree char *by_name = g_strdup_printf("desktops-by-name/%s/desktop_id",
						   g_strchomp(cn));
	g_autofree char *id = harness_read(m, by_name);
	g_assert_cmpstr(g_strchomp(id), ==, d);
	harness_stop(m);
}

/* A job longer than wait_timeout: `cat wait` fails with ETIMEDOUT. */
static void test_wait_timeout(void)
{
	const char *args[] = { "--desktops", "6", "--job-seconds", "30", NULL };
	Mount *m = harness_start(args, "ttl=60,wait_timeout=1");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", "status", "ACTIVE");
	g_assert_cmpint(act(m, "desktops", d, "reboot\n"), ==, 0);
	g_autofree char *job = job_of(m, "desktops", d);
	g_autofree char *wait_rel = g_strdup_printf("jobs/%s/wait", job);
	gint64 t0 = g_get_monotonic_time();
	g_autofree char *final = harness_read(m, wait_rel);
	g_assert_null(final);
	g_assert_cmpint(errno, ==, ETIMEDOUT);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 5 * G_USEC_PER_SEC);
	harness_stop(m);
}

/* ---- writes, safety ---- */

static void test_fields(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", "in_maintenance_mode", "false");
	g_autofree char *cn = g_strdup_printf("desktops/%s/computer_name", d);
	g_autofree char *mm = g_strdup_printf("desktops/%s/in_maintenance_mode", d);
	g_autofree char *sp = g_strdup_printf("/__emulator/state/desktops/%s", d);
	gint64 before = harness_mutation_count(m);

	g_assert_cmpint(harness_write(m, cn, "renamed-01\n"), ==, 0);
	g_assert_cmpint(harness_write(m, mm, "true\n"), ==, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, before + 2);
	cJSON *state = harness_emu_get(m, sp);
	g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(state, "computer_name")), ==,
			"renamed-01");
	g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(state, "in_maintenance_mode")));
	cJSON_Delete(state);
	g_autofree char *back = harness_read(m, cn);
	g_assert_cmpstr(back, ==, "renamed-01\n");

	/* Malformed values: EINVAL at close, nothing sent. */
	g_assert_cmpint(harness_write(m, cn, "two\nlines\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, cn, "much-too-long-name-1\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, cn, "1starts-digit\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(m, mm, "maybe\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, before + 2);
	harness_stop(m);
}

static void test_read_only(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,ro");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", NULL, NULL);
	g_autofree char *u = first_in(m, "users", NULL, NULL);
	g_autofree char *email = g_strdup_printf("users/%s/email", u);
	g_autofree char *dir = g_strdup_printf("desktops/%s", d);
	g_autofree char *dir_path = harness_path(m, dir);

	g_assert_cmpint(act(m, "desktops", d, "stop\n"), ==, EROFS);
	g_assert_cmpint(harness_write(m, email, "a@b.org\n"), ==, EROFS);
	g_assert_cmpint(rmdir(dir_path), ==, -1);
	g_assert_cmpint(errno, ==, EROFS);
	/* ro is the kernel's too: it refuses writes before wksfs sees them, so /.wksfs/ctl
	 * is read-only as well, and the attempts are not in the audit log (the trade-off for
	 * a mount that says ro in /proc/mounts). */
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget\n"), ==, EROFS);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_cmpstr(audit, ==, "");
	harness_stop(m);
}

static void test_dry_run(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,dry_run,allow_delete");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", NULL, NULL);
	g_autofree char *u = first_in(m, "users", NULL, NULL);
	g_autofree char *email = g_strdup_printf("users/%s/email", u);
	g_autofree char *dir = g_strdup_printf("desktops/%s", d);
	g_autofree char *dir_path = harness_path(m, dir);

	g_assert_cmpint(act(m, "desktops", d, "stop\n"), ==, 0);
	g_assert_cmpint(harness_write(m, email, "a@b.org\n"), ==, 0);
	g_assert_no_errno(rmdir(dir_path));
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_auto(GStrv) lines = g_strsplit(audit, "\n", -1);
	int dry = 0;
	for (int i = 0; lines[i]; i++)
		dry += strstr(lines[i], "dry-run") != NULL;
	g_assert_cmpint(dry, ==, 3);
	g_autofree char *result = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *text = harness_read(m, result);
	g_assert_true(g_str_has_prefix(text, "dry-run: POST"));
	harness_stop(m);
}

static void test_delete(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autofree char *d = first_in(m, "desktops", NULL, NULL);
	g_autofree char *dir = g_strdup_printf("desktops/%s", d);
	g_autofree char *dir_path = harness_path(m, dir);

	/* Without allow_delete nothing reaches the API. */
	g_assert_cmpint(rmdir(dir_path), ==, -1);
	g_assert_cmpint(errno, ==, EPERM);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "refused: mounted without allow_delete"));
	harness_stop(m);

	m = harness_start(TENANT, "ttl=60,allow_delete");
	if (!m)
		return;
	g_autofree char *dir_path2 = harness_path(m, dir);
	g_assert_no_errno(rmdir(dir_path2));
	g_assert_cmpint(harness_route_count(m, "DELETE /v2/{project_id}/desktops/{desktop_id}"),
			==, 1);
	g_autoptr(GPtrArray) left = harness_list(m, "desktops");
	g_assert_false(g_ptr_array_find_with_equal_func(left, d, g_str_equal, NULL));
	g_autofree char *u = first_in(m, "users", NULL, NULL);
	g_autofree char *udir = g_strdup_printf("users/%s", u);
	g_autofree char *udir_path = harness_path(m, udir);
	g_assert_no_errno(rmdir(udir_path));
	g_assert_cmpint(harness_route_count(m, "DELETE /v2/{project_id}/users/{user_id}"), ==, 1);
	g_autofree char *g = first_in(m, "images", NULL, NULL);
	g_autofree char *gdir = g_strdup_printf("images/%s", g);
	g_autofree char *gdir_path = harness_path(m, gdir);
	g_assert_cmpint(rmdir(gdir_path), ==, -1);	/* the API deletes no images */
	g_assert_cmpint(errno, ==, EPERM);
	harness_stop(m);
}

/* Names that are not safe file names are escaped, reversibly. */
static void test_hostile_names(void)
{
	const char *args[] = { "--users", "6", "--groups", "3", "--server-groups", "2",
			       "--servers", "3", "--hostile-names", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	static const struct {
		const char *file, *name;
	} expect[] = { { "ops%2Fadmin", "ops/admin" }, { "%2Ehidden", ".hidden" },
		       { "100%25done", "100%done" } };
	for (gsize i = 0; i < G_N_ELEMENTS(expect); i++) {
		g_autofree char *rel = g_strdup_printf("users/%s/user_name", expect[i].file);
		g_autofree char *name = harness_read(m, rel);
		g_autofree char *want = g_strconcat(expect[i].name, "\n", NULL);

		g_assert_true(g_ptr_array_find_with_equal_func(users, expect[i].file, g_str_equal,
							       NULL));
		g_assert_cmpstr(name, ==, want);
	}
	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");
	g_assert_true(g_ptr_array_find_with_equal_func(groups, "night%0Ashift", g_str_equal,
						       NULL));
	g_autoptr(GPtrArray) sgs = harness_list(m, "app-server-groups");
	g_assert_true(g_ptr_array_find_with_equal_func(sgs, "Finance%2FAccounting apps",
						       g_str_equal, NULL));
	/* A non-canonical spelling of an existing name is not another path to it. */
	g_assert_null(harness_read(m, "users/ops%2fadmin/user_name"));
	g_assert_cmpint(errno, ==, ENOENT);
	walk_mount = m;
	walk_files = walk_links = walk_errors = 0;
	g_assert_cmpint(nftw(m->mnt, visit, 16, FTW_PHYS), ==, 0);
	g_assert_cmpint(walk_errors, ==, 0);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/tree/walk", test_walk);
	g_test_add_func("/tree/actions", test_actions);
	g_test_add_func("/tree/jobs-and-views", test_jobs_and_views);
	g_test_add_func("/tree/wait-timeout", test_wait_timeout);
	g_test_add_func("/tree/fields", test_fields);
	g_test_add_func("/tree/read-only", test_read_only);
	g_test_add_func("/tree/dry-run", test_dry_run);
	g_test_add_func("/tree/delete", test_delete);
	g_test_add_func("/tree/hostile-names", test_hostile_names);
	return g_test_run();
}
