/* test-delete.c — `rmdir <kind>/<name>` for every kind with a delete endpoint, against the
 * real emulator: each kind's object leaves the emulator's state and `ls` at once, with
 * exactly one mutation on the wire in the kind's documented form (DELETE .../{id}, POST
 * .../batch-delete, a DELETE with a body); an asynchronous delete's job is listed under
 * /jobs and ends. Every refusal with the errno the shell sees: no -o allow_delete (EPERM,
 * nothing sent, audited), -o ro (EROFS), -o dry_run (nothing sent, audited as such), a name
 * wksfs knows to be absent (ENOENT, nothing sent), an object deleted behind the mount's back
 * (the API's answer mapped: 404 ENOENT, a per-id result, a 400), a pool that still has
 * desktops (409 EBUSY), another uid through allow_other (EACCES), and a kind without a
 * delete endpoint (EPERM, mode 0555).
 */
#include "tests/harness.h"

#include <errno.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

static const char *const TENANT[] = { "--desktops", "8", "--users", "4", "--groups", "3",
				      "--pools", "4", "--seed", "5", "--job-seconds", "1", NULL };

typedef struct {
	const char *dir;	/* wksfs's */
	const char *state;	/* the emulator's state view */
	const char *route;	/* the delete's, as the emulator counts it */
	gboolean job;		/* asynchronous: the answer names a job */
} Deletable;

static const Deletable kinds[] = {
	{ "desktops", "desktops", "DELETE /v2/{project_id}/desktops/{desktop_id}" },
	{ "users", "users", "DELETE /v2/{project_id}/users/{user_id}" },
	{ "user-groups", "groups", "DELETE /v2/{project_id}/groups/{group_id}" },
	{ "desktop-pools", "pools", "DELETE /v2/{project_id}/desktop-pools/{pool_id}" },
	{ "sites", "sites", "DELETE /v2/{project_id}/sites/{site_id}", TRUE },
	{ "desktop-name-policies", "desktop-name-policies",
	  "POST /v2/{project_id}/desktop-name-policies/batch-delete" },
	{ "ous", "ous", "DELETE /v2/{project_id}/ous/{ou_id}" },
	{ "snapshots", "snapshots", "POST /v2/{project_id}/snapshots/batch-delete", TRUE },
	{ "policy-groups", "policy-groups",
	  "DELETE /v2/{project_id}/policy-groups/{policy_group_id}" },
	{ "access-policies", "access-policies", "DELETE /v2/{project_id}/access-policy" },
	{ "terminal-bindings", "terminal-bindings",
	  "POST /v2/{project_id}/terminals/binding-desktops/batch-delete" },
	{ "screen-records", "screen-records", "POST /v2/{project_id}/screen-records/batch-delete",
	  TRUE },
	{ "scheduled-tasks", "scheduled-tasks",
	  "DELETE /v2/{project_id}/scheduled-tasks/{task_id}" },
	{ "notify-rules", "notify-rules",
	  "DELETE /v2/{project_id}/statistics/notify-rules/{rule_id}" },
	{ "scripts", "scripts", "DELETE /v2/{project_id}/scripts/{script_id}" },
	{ "sub-jobs", "sub-jobs", "POST /v2/{project_id}/workspace-sub-jobs/batch-delete" },
	{ "bandwidths", "bandwidths", "DELETE /v2/{project_id}/bandwidths/{bandwidth_id}", TRUE },
	{ "apps", "apps", "DELETE /v1/{project_id}/app-center/apps/{app_id}" },
	{ "app-rules", "app-rules", "DELETE /v1/{project_id}/app-center/app-rules/{rule_id}" },
	{ "app-groups", "app-groups", "DELETE /v1/{project_id}/app-groups/{app_group_id}" },
	{ "app-storages", "app-storages",
	  "DELETE /v1/{project_id}/persistent-storages/{storage_id}" },
	{ "app-policy-groups", "app-policy-groups",
	  "DELETE /v1/{project_id}/policy-groups/{policy_group_id}" },
	{ "app-scheduled-tasks", "app-scheduled-tasks",
	  "DELETE /v1/{project_id}/schedule-task/{task_id}" },
};

/* Kinds wksfs lists that the API gives no delete (an object of each is refused). */
static const char *const undeletable[] = { "images", "products", "alarms", "eips",
					   "availability-zones", "script-executions", NULL };

#define OTHER_UID 65534
#define OTHER_GID 65534

/* The emulator's state of one object, NULL when it has none by that key. */
static cJSON *state_of(Mount *m, const char *view, const char *key)
{
	g_autofree char *esc = g_uri_escape_string(key, NULL, FALSE);
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", view, esc);

	return harness_emu_get_maybe(m, path);
}

/* The object of k rmdir takes: the first listed, or for pools the first without desktops
 * (a pool that has some cannot be deleted: 409). Caller frees. */
static char *victim(Mount *m, const Deletable *k)
{
	g_autoptr(GPtrArray) names = harness_list(m, k->dir);

	g_assert_cmpuint(names->len, >, 0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("%s/%s/desktops", k->dir,
						       (char *)names->pdata[i]);

		if (!g_str_equal(k->dir, "desktop-pools"))
			return g_strdup(names->pdata[i]);
		g_autoptr(GPtrArray) in = harness_list(m, rel);
		if (in->len == 0)
			return g_strdup(names->pdata[i]);
	}
	g_assert_not_reached();
}

static int rmdir_at(Mount *m, const char *dir, const char *name)
{
	g_autofree char *rel = g_strdup_printf("%s/%s", dir, name);
	g_autofree char *path = harness_path(m, rel);

	return rmdir(path) == 0 ? 0 : errno;
}

static int count_lines(const char *text, const char *needle)
{
	g_auto(GStrv) lines = g_strsplit(text ? text : "", "\n", -1);
	int n = 0;

	for (int i = 0; lines[i]; i++)
		n += strstr(lines[i], needle) != NULL;
	return n;
}

/* One object of every deletable kind: gone from the emulator and from `ls` at once (the
 * listing was fresh: ttl=60), one request in the kind's form; a job is listed and ends. */
static void test_each_kind(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");

	if (!m)
		return;
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		const Deletable *k = &kinds[i];
		g_autofree char *name = victim(m, k);
		g_autoptr(cJSON) before = state_of(m, k->state, name);
		g_autoptr(cJSON) after = NULL;
		g_autoptr(GPtrArray) jobs_before = harness_list(m, "jobs");

		g_test_message("%s/%s", k->dir, name);
		g_assert_nonnull(before);
		harness_reset_stats(m);
		g_assert_cmpint(rmdir_at(m, k->dir, name), ==, 0);
		g_assert_cmpint(harness_mutation_count(m), ==, 1);
		g_assert_cmpint(harness_route_count(m, k->route), ==, 1);
		after = state_of(m, k->state, name);
		g_assert_null(after);
		g_assert_false(harness_listed(m, k->dir, name));
		if (k->job) {
			g_autoptr(GPtrArray) jobs = harness_list(m, "jobs");
			g_autofree char *audit = harness_read(m, ".wksfs/audit");
			g_autofree char *wait = NULL;
			const char *job = NULL;

			g_assert_cmpuint(jobs->len, ==, jobs_before->len + 1);
			for (guint j = 0; j < jobs->len && !job; j++)
				if (!g_ptr_array_find_with_equal_func(jobs_before, jobs->pdata[j],
								      g_str_equal, NULL))
					job = jobs->pdata[j];
			g_autofree char *rel = g_strdup_printf("jobs/%s/wait", job);
			g_autofree char *line = g_strdup_printf("job %s", job);
			wait = harness_read(m, rel);
			g_assert_cmpstr(wait, ==, "SUCCESS\n");
			g_assert_cmpint(count_lines(audit, line), ==, 1);
		}
	}
	harness_stop(m);
}

/* The directories rmdir deletes in are 0755, and /README shows each one's request; every
 * other kind's 0555, and its objects' rmdir is EPERM with nothing sent, allow_delete or
 * not. */
static void test_modes_and_undeletable(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");

	if (!m)
		return;
	g_autofree char *readme = harness_read(m, "README");
	g_assert_cmpint(count_lines(readme, "rmdir <name> deletes it: "), ==, G_N_ELEMENTS(kinds));
	g_assert_cmpint(count_lines(readme, "deletes it: POST /v2/{project_id}/snapshots/"
				    "batch-delete"), ==, 1);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *path = harness_path(m, kinds[i].dir);
		struct stat st;

		g_assert_no_errno(stat(path, &st));
		g_assert_cmpint(st.st_mode & 07777, ==, 0755);
	}
	for (const char *const *d = undeletable; *d; d++) {
		g_autofree char *path = harness_path(m, *d);
		g_autoptr(GPtrArray) names = harness_list(m, *d);
		struct stat st;

		g_test_message("%s", *d);
		g_assert_no_errno(stat(path, &st));
		g_assert_cmpint(st.st_mode & 07777, ==, 0555);
		g_assert_cmpuint(names->len, >, 0);
		harness_reset_stats(m);
		g_assert_cmpint(rmdir_at(m, *d, names->pdata[0]), ==, EPERM);
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
	}
	harness_stop(m);
}

/* Without allow_delete: EPERM for every kind, nothing sent, each refusal audited. */
static void test_without_allow_delete(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	harness_reset_stats(m);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *name = victim(m, &kinds[i]);

		g_assert_cmpint(rmdir_at(m, kinds[i].dir, name), ==, EPERM);
		g_assert_true(harness_listed(m, kinds[i].dir, name));
	}
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_cmpint(count_lines(audit, "refused: mounted without allow_delete"), ==,
			G_N_ELEMENTS(kinds));
	harness_stop(m);
}

/* -o ro: EROFS (the kernel's own refusal), nothing sent. */
static void test_read_only(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,ro,allow_delete");

	if (!m)
		return;
	harness_reset_stats(m);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *name = victim(m, &kinds[i]);

		g_assert_cmpint(rmdir_at(m, kinds[i].dir, name), ==, EROFS);
	}
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* -o dry_run: rmdir succeeds, nothing is sent, the audit says what would have been (the
 * batch form's body too), and the object stays. */
static void test_dry_run(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,dry_run,allow_delete");

	if (!m)
		return;
	harness_reset_stats(m);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *name = victim(m, &kinds[i]);
		g_autoptr(cJSON) state = NULL;

		g_assert_cmpint(rmdir_at(m, kinds[i].dir, name), ==, 0);
		g_assert_true(harness_listed(m, kinds[i].dir, name));
		state = state_of(m, kinds[i].state, name);
		g_assert_nonnull(state);
	}
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_cmpint(count_lines(audit, "dry-run, not sent"), ==, G_N_ELEMENTS(kinds));
	g_assert_cmpint(count_lines(audit, "snapshots/batch-delete"), ==, 1);
	g_assert_cmpint(count_lines(audit, "snapshot_ids"), ==, 1);
	harness_stop(m);
}

/* A name the listing lacks: ENOENT, nothing sent. An object another client deleted while
 * this mount's listing still shows it: the request goes out once and the API's answer is
 * the errno — 404 ENOENT (DELETE .../{id} and a batch form alike), a per-id result code
 * (4.15.6: ENOENT), a 400 where the API documents no 404 (4.5.4: EINVAL) — with the reason
 * in /.wksfs/errors; then the name is gone from `ls`. */
static void test_unknown(void)
{
	static const struct {
		const char *dir;
		int err;
		const char *code;
	} cases[] = {
		{ "ous", ENOENT, "WKS.00010031" },
		{ "snapshots", ENOENT, "WKS.00010031" },
		{ "terminal-bindings", ENOENT, "WKS.00010031" },
		{ "desktop-name-policies", EINVAL, "WKS.0001" },
	};
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");
	Mount *other;

	if (!m)
		return;
	harness_reset_stats(m);
	g_assert_cmpint(rmdir_at(m, "ous", "no-such-ou"), ==, ENOENT);
	g_assert_cmpint(rmdir_at(m, "snapshots", "no-such-snapshot"), ==, ENOENT);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);

	other = harness_mount_beside(m, "allow_delete");
	g_assert_nonnull(other);
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) names = harness_list(m, cases[i].dir);
		const char *name = names->pdata[0];
		g_autofree char *errors = NULL;

		g_test_message("%s/%s", cases[i].dir, name);
		g_assert_cmpint(rmdir_at(other, cases[i].dir, name), ==, 0);
		harness_reset_stats(m);
		g_assert_cmpint(rmdir_at(m, cases[i].dir, name), ==, cases[i].err);
		g_assert_cmpint(harness_mutation_count(m), ==, 1);
		errors = harness_read(m, ".wksfs/errors");
		g_assert_nonnull(strstr(errors, cases[i].code));
		g_assert_false(harness_listed(m, cases[i].dir, name));
	}
	harness_stop(other);
	harness_stop(m);
}

/* 4.4.4 on a pool that still has desktops: 409, EBUSY, sent once; the pool stays. */
static void test_busy(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");

	if (!m)
		return;
	g_autoptr(GPtrArray) pools = harness_list(m, "desktop-pools");
	const char *busy = NULL;

	for (guint i = 0; i < pools->len && !busy; i++) {
		g_autofree char *rel = g_strdup_printf("desktop-pools/%s/desktops",
						       (char *)pools->pdata[i]);
		g_autoptr(GPtrArray) in = harness_list(m, rel);

		if (in->len)
			busy = pools->pdata[i];
	}
	g_assert_nonnull(busy);
	harness_reset_stats(m);
	g_assert_cmpint(rmdir_at(m, "desktop-pools", busy), ==, EBUSY);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "WKS.00010032"));
	g_assert_true(harness_listed(m, "desktop-pools", busy));
	g_autoptr(cJSON) state = state_of(m, "pools", busy);
	g_assert_nonnull(state);
	harness_stop(m);
}

/* Another uid through allow_other: refused (EACCES: the collections are the owner's to
 * write), nothing sent. */
static void test_other_uid(void)
{
	Mount *m;

	if (getuid() != 0) {
		g_test_skip("needs root to act as another uid");
		return;
	}
	m = harness_start(TENANT, "ttl=60,allow_other,allow_delete");
	if (!m)
		return;
	g_assert_no_errno(chmod(m->workdir, 0755));
	harness_reset_stats(m);
	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++) {
		g_autofree char *name = victim(m, &kinds[i]);
		g_autofree char *rel = g_strdup_printf("%s/%s", kinds[i].dir, name);
		g_autofree char *path = harness_path(m, rel);
		int status = -1;
		pid_t pid = fork();

		g_assert_cmpint(pid, >=, 0);
		if (pid == 0) {
			if (setgroups(0, NULL) != 0 ||
			    setresgid(OTHER_GID, OTHER_GID, OTHER_GID) != 0 ||
			    setresuid(OTHER_UID, OTHER_UID, OTHER_UID) != 0)
				_exit(200);
			_exit(rmdir(path) == 0 ? 0 : errno);
		}
		g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
		g_assert_true(WIFEXITED(status));
		g_assert_cmpint(WEXITSTATUS(status), ==, EACCES);
		g_assert_true(harness_listed(m, kinds[i].dir, name));
	}
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* The first group that has a member: its name in *ret_group, the member's in *ret_user. */
static gboolean group_with_member(Mount *m, char **ret_group, char **ret_user)
{
	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");

	for (guint i = 0; i < groups->len; i++) {
		g_autofree char *rel = g_strdup_printf("user-groups/%s/members",
						       (char *)groups->pdata[i]);
		g_autoptr(GPtrArray) members = harness_list(m, rel);

		if (members->len) {
			*ret_group = g_strdup(groups->pdata[i]);
			*ret_user = g_strdup(members->pdata[0]);
			return TRUE;
		}
	}
	return FALSE;
}

/* What a delete changes beside its own kind shows at once too (ttl=60): a deleted group
 * leaves its members' groups/, a deleted user its groups' members/. */
static void test_related(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");
	g_autofree char *group = NULL, *user = NULL, *group2 = NULL, *user2 = NULL;

	if (!m)
		return;
	g_assert_true(group_with_member(m, &group, &user));
	g_autofree char *user_groups = g_strdup_printf("users/%s/groups", user);
	g_assert_true(harness_listed(m, user_groups, group));
	g_assert_cmpint(rmdir_at(m, "user-groups", group), ==, 0);
	g_assert_false(harness_listed(m, user_groups, group));

	g_assert_true(group_with_member(m, &group2, &user2));
	g_autofree char *members = g_strdup_printf("user-groups/%s/members", group2);
	g_assert_true(harness_listed(m, members, user2));
	g_assert_cmpint(rmdir_at(m, "users", user2), ==, 0);
	g_assert_false(harness_listed(m, members, user2));
	harness_stop(m);
}

/* What the API created can be deleted too: a new OU made through ous/.create leaves the
 * emulator and `ls` at its rmdir, one request. */
static void test_created_then_deleted(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");

	if (!m)
		return;
	g_assert_cmpint(harness_write(m, "ous/.create",
				      "{\"domain\": \"vdesktop.com\", \"ou_name\": \"brandnew\"}\n"),
			==, 0);
	g_assert_true(harness_listed(m, "ous", "brandnew"));
	harness_reset_stats(m);
	g_assert_cmpint(rmdir_at(m, "ous", "brandnew"), ==, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	g_assert_false(harness_listed(m, "ous", "brandnew"));
	g_autoptr(cJSON) all = harness_emu_get(m, "/__emulator/state/ous");
	const cJSON *o;

	cJSON_ArrayForEach(o, all)
		g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(o, "ou_name")), !=,
				"brandnew");
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/delete/each-kind", test_each_kind);
	g_test_add_func("/delete/modes-and-undeletable", test_modes_and_undeletable);
	g_test_add_func("/delete/without-allow-delete", test_without_allow_delete);
	g_test_add_func("/delete/read-only", test_read_only);
	g_test_add_func("/delete/dry-run", test_dry_run);
	g_test_add_func("/delete/unknown", test_unknown);
	g_test_add_func("/delete/busy", test_busy);
	g_test_add_func("/delete/other-uid", test_other_uid);
	g_test_add_func("/delete/related", test_related);
	g_test_add_func("/delete/created-then-deleted", test_created_then_deleted);
	return g_test_run();
}
