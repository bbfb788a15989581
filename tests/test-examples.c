/* test-examples.c — the scripts of examples/ (issue 12 item 8), each run as an admin runs it
 * against a real mount of the emulator, its output checked against the API's own answers
 * (harness_api_get: the emulator's state, not the mount's): the status report, an action on
 * every desktop of a status and pool with all the jobs waited for, users and desktops as
 * CSV, users without a desktop, two snapshots compared. The systemd units of examples/ are
 * tests/test-units.c's.
 */
#include "src/json.h"
#include "tests/harness.h"

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define R_JOB "GET /v2/{project_id}/workspace-jobs/{job_id}"

/* examples/NAME in the source tree. */
static char *example(const char *name)
{
	return g_build_filename(g_test_get_dir(G_TEST_DIST), "..", "examples", name, NULL);
}

/* Runs examples/SCRIPT with args (NULL-terminated); its stdout, and its exit status. */
static char *run(const char *script, const char *const *args, int *ret_status)
{
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = -1;

	g_ptr_array_add(argv, example(script));
	for (guint i = 0; args[i]; i++)
		g_ptr_array_add(argv, g_strdup(args[i]));
	g_ptr_array_add(argv, NULL);
	g_assert_true(g_spawn_sync(NULL, (char **)argv->pdata, NULL, 0, NULL, NULL, &out, &err,
				   &status, &error));
	g_assert_no_error(error);
	g_test_message("%s: exit %d\n%s%s", script, WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		       out, err);
	g_assert_true(WIFEXITED(status));
	*ret_status = WEXITSTATUS(status);
	return g_steal_pointer(&out);
}

/* Every object of a list route ("/v2/{project_id}/users?limit=N" style paging by offset),
 * straight from the API. */
static cJSON *api_all(Mount *m, const char *path, const char *array, guint limit)
{
	cJSON *all = cJSON_CreateArray();

	for (guint offset = 0;; offset += limit) {
		g_autofree char *url = g_strdup_printf("%s%soffset=%u&limit=%u", path,
						       strchr(path, '?') ? "&" : "?", offset, limit);
		g_autoptr(cJSON) page = harness_api_get(m, url, NULL);
		cJSON *items = cJSON_GetObjectItem(page, array), *item;
		guint n = 0;

		g_assert_true(cJSON_IsArray(items));
		while ((item = cJSON_DetachItemFromArray(items, 0))) {
			cJSON_AddItemToArray(all, item);
			n++;
		}
		if (n < limit)
			return all;
	}
}

static const char *str(const cJSON *o, const char *field)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, field));

	return s ? s : "";
}

static const cJSON *by_field(const cJSON *array, const char *field, const char *value)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, array)
		if (strcmp(str(o, field), value) == 0)
			return o;
	return NULL;
}

static gboolean names_user(const cJSON *desktop, const char *user)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, cJSON_GetObjectItem(desktop, "user_list"))
		if (g_strcmp0(cJSON_GetStringValue(u), user) == 0)
			return TRUE;
	return FALSE;
}

static gint cmp_str(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- status-report.sh ---- */

static void test_status_report(void)
{
	/* 3% of generated desktops are in ERROR: this seed gives some. */
	const char *args[] = { "--desktops", "300", "--seed", "7", NULL };
	Mount *m = harness_start(args, "ttl=600");

	if (!m)
		return;
	g_autoptr(cJSON) desktops = api_all(m, "/v2/{project_id}/desktops/detail", "desktops",
					    500);
	g_autoptr(GHashTable) counts = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) statuses = g_ptr_array_new();
	g_autoptr(GPtrArray) errors = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) want = g_string_new(NULL);
	const char *script_args[] = { m->mnt, NULL };
	g_autofree char *out = NULL;
	const cJSON *d;
	int status;

	cJSON_ArrayForEach(d, desktops) {
		const char *s = str(d, "status");
		guint n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, s));

		if (!n)
			g_ptr_array_add(statuses, (char *)s);
		g_hash_table_insert(counts, (char *)s, GUINT_TO_POINTER(n + 1));
		if (strcmp(s, "ERROR") == 0) {
			g_autoptr(GString) users = g_string_new(NULL);
			const cJSON *u;

			cJSON_ArrayForEach(u, cJSON_GetObjectItem(d, "user_list"))
				g_string_append_printf(users, "%s%s", users->len ? "," : "",
						       cJSON_GetStringValue(u));
			g_ptr_array_add(errors, g_strdup_printf("%s %s %s\n", str(d, "desktop_id"),
							str(d, "computer_name"), users->str));
		}
	}
	g_assert_cmpuint(errors->len, >, 0);
	g_assert_cmpuint(statuses->len, >=, 3);
	g_ptr_array_sort(statuses, cmp_str);
	g_ptr_array_sort(errors, cmp_str);
	for (guint i = 0; i < statuses->len; i++)
		g_string_append_printf(want, "%s %u\n", (char *)statuses->pdata[i],
				       GPOINTER_TO_UINT(g_hash_table_lookup(counts,
							statuses->pdata[i])));
	g_string_append_printf(want, "total %d\n\nERROR desktops:\n", cJSON_GetArraySize(desktops));
	for (guint i = 0; i < errors->len; i++)
		g_string_append(want, errors->pdata[i]);

	out = run("status-report.sh", script_args, &status);
	g_assert_cmpstr(out, ==, want->str);
	g_assert_cmpint(status, ==, 1);	/* some desktops are in ERROR */

	/* Not a mount: exit 2, nothing on stdout. */
	const char *bad_args[] = { m->workdir, NULL };
	g_autofree char *bad = run("status-report.sh", bad_args, &status);

	g_assert_cmpstr(bad, ==, "");
	g_assert_cmpint(status, ==, 2);
	harness_stop(m);
}

/* ---- act-on-status.sh ---- */

/* The ids of a pool's desktops, from the API. */
static GPtrArray *pool_desktop_ids(Mount *m, const char *pool_id)
{
	g_autofree char *path = g_strdup_printf("/v2/{project_id}/desktop-pools/%s/desktops",
						pool_id);
	g_autoptr(cJSON) list = api_all(m, path, "pool_desktops", 100);
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	const cJSON *d;

	cJSON_ArrayForEach(d, list)
		g_ptr_array_add(ids, g_strdup(str(d, "desktop_id")));
	return ids;
}

static char *api_status(Mount *m, const char *desktop_id)
{
	g_autoptr(cJSON) all = api_all(m, "/v2/{project_id}/desktops/detail", "desktops", 500);

	return g_strdup(str(by_field(all, "desktop_id", desktop_id), "status"));
}

static void test_act_on_status(void)
{
	const char *args[] = { "--desktops", "60", "--pools", "3", "--seed", "11",
			       "--job-seconds", "0.3", NULL };
	Mount *m = harness_start(args, "ttl=600,batch_window_ms=200");

	if (!m)
		return;
	g_autoptr(cJSON) pools = api_all(m, "/v2/{project_id}/desktop-pools", "desktop_pools",
					 100);
	g_autoptr(cJSON) before = api_all(m, "/v2/{project_id}/desktops/detail", "desktops",
					  500);
	g_autoptr(GPtrArray) targets = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) members = NULL;
	g_autofree char *out = NULL, *summary = NULL, *maint_rel = NULL;
	const char *pool = NULL, *maint;
	g_auto(GStrv) lines = NULL;
	const cJSON *p, *d;
	int status;

	/* The pool with the most ACTIVE desktops out of maintenance mode. */
	cJSON_ArrayForEach(p, pools) {
		g_autoptr(GPtrArray) ids = pool_desktop_ids(m, str(p, "id"));
		g_autoptr(GPtrArray) active = g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; i < ids->len; i++) {
			d = by_field(before, "desktop_id", ids->pdata[i]);
			if (strcmp(str(d, "status"), "ACTIVE") == 0 &&
			    !cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode")))
				g_ptr_array_add(active, g_strdup(ids->pdata[i]));
		}
		if (active->len > targets->len) {
			g_ptr_array_set_size(targets, 0);
			for (guint i = 0; i < active->len; i++)
				g_ptr_array_add(targets, g_strdup(active->pdata[i]));
			pool = str(p, "name");
			g_clear_pointer(&members, g_ptr_array_unref);
			members = g_steal_pointer(&ids);
		}
	}
	g_assert_cmpuint(targets->len, >=, 3);
	g_ptr_array_sort(targets, cmp_str);
	/* One of them in maintenance mode: the API refuses it, the others go ahead. */
	maint = targets->pdata[1];
	maint_rel = g_strdup_printf("desktops/%s/in_maintenance_mode", maint);
	g_assert_cmpint(harness_write(m, maint_rel, "true\n"), ==, 0);

	harness_reset_stats(m);
	const char *stop_args[] = { "-p", pool, m->mnt, "ACTIVE", "stop", NULL };

	out = run("act-on-status.sh", stop_args, &status);
	g_assert_cmpint(status, ==, 1);
	lines = g_strsplit(out, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, targets->len + 2);	/* + summary, "" */
	for (guint i = 0; i < targets->len; i++) {
		const char *id = targets->pdata[i];
		g_autofree char *now = api_status(m, id);

		g_assert_true(g_str_has_prefix(lines[i], id));
		if (id == maint) {
			/* The refused writer's own result, read back from its descriptor once. */
			g_assert_nonnull(strstr(lines[i], " failed error: Device or resource busy "
						"WKS.0016: "));
			g_assert_cmpstr(now, ==, "ACTIVE");
		} else {
			g_assert_nonnull(strstr(lines[i], " ok job "));
			g_assert_true(g_str_has_suffix(lines[i], " SUCCESS"));
			g_assert_cmpstr(now, ==, "SHUTOFF");	/* the job really ran */
		}
	}
	/* Sent together: batched into few calls, one job each. */
	gint64 posts = harness_route_count(m, R_ACTION);

	g_assert_cmpint(posts, >=, 1);
	g_assert_cmpint(posts, <, (gint64)targets->len);
	summary = g_strdup_printf("stop: %u desktops, %" G_GINT64_FORMAT " jobs, 1 failed",
				  targets->len, posts);
	g_assert_cmpstr(lines[targets->len], ==, summary);
	/* Nothing outside the pool was touched. */
	g_autoptr(cJSON) after = api_all(m, "/v2/{project_id}/desktops/detail", "desktops", 500);

	cJSON_ArrayForEach(d, before) {
		gboolean in_pool = FALSE;

		for (guint i = 0; i < members->len; i++)
			in_pool |= strcmp(members->pdata[i], str(d, "desktop_id")) == 0;
		if (!in_pool)
			g_assert_cmpstr(str(by_field(after, "desktop_id", str(d, "desktop_id")),
					    "status"), ==, str(d, "status"));
	}

	/* Start them again: every one succeeds, exit 0. */
	const char *start_args[] = { "-p", pool, m->mnt, "SHUTOFF", "start", NULL };
	g_autofree char *again = run("act-on-status.sh", start_args, &status);
	g_auto(GStrv) again_lines = g_strsplit(again, "\n", -1);

	g_assert_cmpint(status, ==, 0);
	g_assert_cmpuint(g_strv_length(again_lines), >=, targets->len + 1);
	for (guint i = 0; again_lines[i] && again_lines[i + 1] && again_lines[i + 2]; i++)
		g_assert_true(g_str_has_suffix(again_lines[i], " SUCCESS"));
	for (guint i = 0; i < targets->len; i++) {
		g_autofree char *now = api_status(m, targets->pdata[i]);

		if (targets->pdata[i] != maint)
			g_assert_cmpstr(now, ==, "ACTIVE");
	}

	/* A job that cannot be waited for (the API answers 404 for it) is a failure too,
	 * naming the job. */
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1, \"fail_status\": 404, "
			 "\"route\": \"" R_JOB "\"}");
	const char *reboot_args[] = { "-p", pool, m->mnt, "ACTIVE", "reboot", NULL };
	g_autofree char *lost = run("act-on-status.sh", reboot_args, &status);
	g_auto(GStrv) lost_lines = g_strsplit(lost, "\n", -1);

	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_assert_cmpint(status, ==, 1);
	for (guint i = 0; lost_lines[i] && lost_lines[i + 1] && lost_lines[i + 2]; i++)
		if (!strstr(lost_lines[i], "WKS.0016"))	/* the one in maintenance mode */
			g_assert_nonnull(strstr(lost_lines[i], " failed job "));
	g_assert_nonnull(strstr(lost, " ended: wait failed: "));

	/* Usage mistakes: exit 2, nothing sent. */
	harness_reset_stats(m);
	const char *bad_verb[] = { m->mnt, "ACTIVE", "explode", NULL };
	const char *bad_pool[] = { "-p", "no-such-pool", m->mnt, "ACTIVE", "stop", NULL };
	g_autofree char *o1 = run("act-on-status.sh", bad_verb, &status);

	g_assert_cmpint(status, ==, 2);
	g_autofree char *o2 = run("act-on-status.sh", bad_pool, &status);

	g_assert_cmpint(status, ==, 2);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* ---- users-desktops-csv.sh, users-without-desktop.sh ---- */

/* RFC 4180: rows of fields (quoted, "" a quote), LF or CRLF line ends. */
static GPtrArray *parse_csv(const char *text)
{
	GPtrArray *rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GString) field = g_string_new(NULL);
	const char *p = text;

	while (*p) {
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				g_string_append_c(field, *p);
			}
			g_assert_cmpint(*p, ==, '"');	/* closed */
			p++;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				g_string_append_c(field, *p++);
		}
		g_ptr_array_add(row, g_strdup(field->str));
		g_string_truncate(field, 0);
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == '\r')
			p++;
		g_assert_cmpint(*p, ==, '\n');	/* a field ends in , or a line end */
		p++;
		g_ptr_array_add(row, NULL);
		g_ptr_array_add(rows, g_ptr_array_steal(row, NULL));
	}
	return rows;
}

static gint cmp_rows(gconstpointer a, gconstpointer b)
{
	char *const *x = *(char **const *)a, *const *y = *(char **const *)b;
	int c = strcmp(x[0], y[0]);

	return c ? c : strcmp(x[4], y[4]);	/* user_name, then computer_name */
}

static void test_users(void)
{
	const char *args[] = { "--desktops", "40", "--users", "15", "--seed", "3",
			       "--hostile-names", NULL };
	Mount *m = harness_start(args, "ttl=600");

	if (!m)
		return;
	/* A description with a comma and quotes, and a user without a desktop. */
	g_assert_cmpint(harness_write(m, "users/user0006/description",
				      "Ops, \"night\" shift\n"), ==, 0);
	g_assert_cmpint(harness_write(m, "users/.create", "{\"user_name\":\"nodesk1\","
				      "\"user_email\":\"nd@example.com\"}\n"), ==, 0);
	g_autoptr(cJSON) users = api_all(m, "/v2/{project_id}/users", "users", 100);
	g_autoptr(cJSON) desktops = api_all(m, "/v2/{project_id}/desktops/detail", "desktops",
					    500);
	g_autoptr(GPtrArray) want = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_autoptr(GPtrArray) lonely = g_ptr_array_new();
	g_autoptr(GString) want_lonely = g_string_new(NULL);
	const char *script_args[] = { m->mnt, NULL };
	g_autofree char *csv = NULL, *none = NULL;
	g_autoptr(GPtrArray) rows = NULL;
	const cJSON *u, *d;
	int status;

	cJSON_ArrayForEach(u, users) {
		const char *name = str(u, "user_name");
		guint n = 0;

		cJSON_ArrayForEach(d, desktops) {
			if (!names_user(d, name))
				continue;
			g_ptr_array_add(want, g_strdupv((char *[]){
				(char *)name, (char *)str(u, "user_email"),
				(char *)str(u, "description"), (char *)str(d, "desktop_id"),
				(char *)str(d, "computer_name"), (char *)str(d, "status"), NULL }));
			n++;
		}
		if (!n) {
			g_ptr_array_add(want, g_strdupv((char *[]){
				(char *)name, (char *)str(u, "user_email"),
				(char *)str(u, "description"), (char *)"", (char *)"", (char *)"",
				NULL }));
			g_ptr_array_add(lonely, (char *)name);
		}
	}
	g_ptr_array_sort(want, cmp_rows);

	csv = run("users-desktops-csv.sh", script_args, &status);
	g_assert_cmpint(status, ==, 0);
	rows = parse_csv(csv);
	g_assert_cmpuint(rows->len, ==, want->len + 1);
	g_autofree char *header = g_strjoinv(",", rows->pdata[0]);

	g_assert_cmpstr(header, ==,
			"user_name,user_email,description,desktop_id,computer_name,status");
	for (guint i = 0; i < want->len; i++) {
		char **got = rows->pdata[i + 1], **exp = want->pdata[i];

		g_assert_cmpuint(g_strv_length(got), ==, 6);
		for (guint k = 0; k < 6; k++)
			g_assert_cmpstr(got[k], ==, exp[k]);
	}
	/* What made this worth testing is there. */
	g_assert_nonnull(strstr(csv, "\"Ops, \"\"night\"\" shift\""));
	g_assert_nonnull(strstr(csv, "\"ops/admin\""));
	g_assert_nonnull(strstr(csv, "\"100%done\""));

	g_ptr_array_sort(lonely, cmp_str);
	g_assert_cmpuint(lonely->len, >=, 1);
	for (guint i = 0; i < lonely->len; i++)
		g_string_append_printf(want_lonely, "%s\n", (char *)lonely->pdata[i]);
	none = run("users-without-desktop.sh", script_args, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(none, ==, want_lonely->str);
	g_assert_nonnull(strstr(none, "nodesk1\n"));
	harness_stop(m);
}

/* ---- tenant-snapshot.sh ---- */

static void test_snapshot(void)
{
	const char *args[] = { "--desktops", "30", "--users", "12", "--seed", "5",
			       "--job-seconds", "0.3", NULL };
	Mount *m = harness_start(args, "ttl=600,allow_delete");

	if (!m)
		return;
	g_autofree char *old = g_build_filename(m->workdir, "old.jsonl", NULL);
	g_autofree char *new = g_build_filename(m->workdir, "new.jsonl", NULL);
	const char *save_old[] = { "save", m->mnt, old, NULL };
	const char *save_new[] = { "save", m->mnt, new, NULL };
	const char *diff[] = { "diff", old, new, NULL };
	const char *same[] = { "diff", old, old, NULL };
	g_autoptr(GPtrArray) active = harness_list(m, "desktops-by-status/ACTIVE");
	g_autofree char *o = NULL, *action_rel = NULL, *action = NULL, *wait_rel = NULL;
	g_autofree char *wait = NULL, *gone_rel = NULL, *added = NULL, *removed = NULL;
	g_autofree char *changed = NULL, *described = NULL, *stopped = NULL;
	const char *desktop, *gone_user;
	g_autoptr(cJSON) after = NULL;
	g_auto(GStrv) lines = NULL;
	int status;

	/* A user with no desktop, to delete later (deleting one with desktops changes them). */
	g_assert_cmpint(harness_write(m, "users/.create", "{\"user_name\":\"snapold\","
				      "\"user_email\":\"so@example.com\"}\n"), ==, 0);
	g_autoptr(cJSON) users = api_all(m, "/v2/{project_id}/users", "users", 100);

	o = run("tenant-snapshot.sh", save_old, &status);
	g_assert_cmpint(status, ==, 0);
	g_clear_pointer(&o, g_free);
	o = run("tenant-snapshot.sh", same, &status);
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpstr(o, ==, "");

	/* Changes: a desktop stopped (its job waited for), a user's description, a user made
	 * and one deleted. */
	desktop = active->pdata[0];
	action_rel = g_strdup_printf("desktops/%s/action", desktop);
	g_assert_cmpint(harness_write(m, action_rel, "stop\n"), ==, 0);
	action = harness_read(m, action_rel);
	g_assert_true(g_str_has_prefix(action, "job "));
	g_strchomp(action);
	wait_rel = g_strdup_printf("jobs/%s/wait", action + 4);
	wait = harness_read(m, wait_rel);
	g_assert_cmpstr(wait, ==, "SUCCESS\n");
	g_assert_cmpint(harness_write(m, "users/user0003/description", "snap, \"shot\"\n"), ==,
			0);
	g_assert_cmpint(harness_write(m, "users/.create", "{\"user_name\":\"snapnew\","
				      "\"user_email\":\"sn@example.com\"}\n"), ==, 0);
	gone_user = "snapold";
	gone_rel = harness_path(m, "users/snapold");
	g_assert_cmpint(rmdir(gone_rel), ==, 0);

	g_clear_pointer(&o, g_free);
	o = run("tenant-snapshot.sh", save_new, &status);
	g_assert_cmpint(status, ==, 0);
	g_clear_pointer(&o, g_free);
	o = run("tenant-snapshot.sh", diff, &status);
	g_assert_cmpint(status, ==, 1);

	after = api_all(m, "/v2/{project_id}/users", "users", 100);
	added = g_strdup_printf("added users %s", str(by_field(after, "user_name", "snapnew"),
							      "id"));
	removed = g_strdup_printf("removed users %s", str(by_field(users, "user_name",
								   gone_user), "id"));
	described = g_strdup_printf("changed users %s description \"%s\" -> "
				    "\"snap, \\\"shot\\\"\"",
				    str(by_field(users, "user_name", "user0003"), "id"),
				    str(by_field(users, "user_name", "user0003"), "description"));
	stopped = g_strdup_printf("changed desktops %s status \"ACTIVE\" -> \"SHUTOFF\"",
				  desktop);
	lines = g_strsplit(o, "\n", -1);
	for (const char *want[] = { added, removed, described, stopped, NULL }, **w = want; *w;
	     w++)
		g_assert_true(g_strv_contains((const char *const *)lines, *w));
	/* Nothing else changed: every other line is about the desktop stopped (its other
	 * fields move with its state) or the user edited. */
	changed = g_strdup_printf("changed desktops %s ", desktop);
	for (guint i = 0; lines[i] && *lines[i]; i++) {
		const char *l = lines[i];

		g_assert_true(g_str_has_prefix(l, changed) || strcmp(l, added) == 0 ||
			      strcmp(l, removed) == 0 || strcmp(l, described) == 0);
	}
	/* The files are JSON Lines, sorted, one object each. */
	g_autofree char *text = NULL;
	g_auto(GStrv) objs = NULL;

	g_assert_true(g_file_get_contents(new, &text, NULL, NULL));
	objs = g_strsplit(text, "\n", -1);
	for (guint i = 0; objs[i] && *objs[i]; i++) {
		g_autoptr(cJSON) line = cJSON_Parse(objs[i]);

		g_assert_true(cJSON_IsObject(cJSON_GetObjectItem(line, "object")));
		if (i)
			g_assert_cmpint(strcmp(objs[i - 1], objs[i]), <, 0);
	}
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/examples/status-report", test_status_report);
	g_test_add_func("/examples/act-on-status", test_act_on_status);
	g_test_add_func("/examples/users", test_users);
	g_test_add_func("/examples/snapshot", test_snapshot);
	return g_test_run();
}
