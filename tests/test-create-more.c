/* test-create-more.c — `<kind>/.create` for policy groups, scripts, scheduled tasks, desktop
 * name policies, OUs (synchronous: the new name in `ls` as soon as write() returned, though
 * the kernel held the listing and the TTL is long) and snapshots (a job: `wait`, then they
 * are listed), against the real emulator: the object in its state, the files of the new
 * directory (a nested object, an empty sub-collection), what the
 * descriptor reads back; and the refusals with the errno the shell sees — a mandatory field
 * missing, a wrong type, an unknown field, at the top and deep in a policy group's policies
 * (nothing sent), a name the API already has (sent once: EEXIST), a snapshot of a desktop
 * that does not exist or is being snapshotted, -o ro and -o dry_run. The emulator's request
 * counters and state views are the oracle.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_SNAPSHOTS "POST /v2/{project_id}/snapshots/batch-create"
/* A policy group's body, to be completed. */
#define PG "{\"policy_group\": {\"policy_group_name\": \"p\", "

static const char *const TENANT[] = { "--desktops", "4", "--users", "3", "--groups", "2",
				      "--seed", "11", "--job-seconds", "1", NULL };

typedef struct {
	const char *kind;	/* the directory, and the emulator's state view */
	const char *route;	/* the POST, as the emulator counts it */
	const char *body;
	const char *name;	/* the directory of the new object (escaped) */
	const char *key;	/* its name in a state view's path */
	const char *file;	/* a file of the new directory ... */
	const char *content;	/* ... and a part of what it reads */
	const char *field;	/* a field of the emulator's object ... */
	const char *value;	/* ... and its value */
} Case;

static const Case CASES[] = {
	{ "policy-groups", "POST /v2/{project_id}/policy-groups",
	  "{\"policy_group\": {\"policy_group_name\": \"Kiosk/Lobby\", \"priority\": 7,\n"
	  "  \"description\": \"lobby kiosks\",\n"
	  "  \"targets\": [{\"target_id\": \"default-apply-all-targets\", \"target_name\": "
	  "\"All-Targets\", \"target_type\": \"ALL\"}],\n"
	  "  \"policies\": {\"audio\": {\"audio_redirection_enable\": false},\n"
	  "    \"peripherals\": {\"usb_port_redirection\": {\"usb_enable\": false,\n"
	  "      \"options\": {\"usb_storage_enable\": false}}}}}}\n",
	  "Kiosk%2FLobby", "Kiosk%2FLobby", "policies.json", "\"audio_redirection_enable\"",
	  "description", "lobby kiosks" },
	{ "scripts", "POST /v2/{project_id}/scripts",
	  "{\"name\": \"cleanup\", \"type\": \"SHELL\", \"content\": \"rm -rf /tmp/cache\",\n"
	  " \"description\": \"clears the cache\", \"version\": \"2\"}\n",
	  "cleanup", "cleanup", "description", "clears the cache\n", "content",
	  "rm -rf /tmp/cache" },
	{ "scheduled-tasks", "POST /v2/{project_id}/scheduled-tasks",
	  "{\"task_name\": \"Nightly stop\", \"task_type\": \"STOP\", \"scheduled_type\": "
	  "\"DAY\",\n \"day_interval\": 1, \"scheduled_time\": \"22:00:00\", \"time_zone\": "
	  "\"Asia/Shanghai\",\n \"description\": \"stops them all\", \"force_execute\": "
	  "true,\n \"apply_objects\": [{\"object_id\": \"all\", \"object_type\": "
	  "\"ALL_DESKTOPS\"}]}\n",
	  "Nightly stop", "Nightly%20stop", "description", "stops them all\n",
	  "scheduled_time", "22:00:00" },
	{ "desktop-name-policies", "POST /v2/{project_id}/desktop-name-policies",
	  "{\"policy_name\": \"Lab_names\", \"name_prefix\": \"lab\", \"digit_number\": 3,\n"
	  " \"start_number\": 1, \"single_domain_user_inc\": 1, \"is_default_policy\": false}\n",
	  "Lab_names", "Lab_names", "name_prefix", "lab\n", "name_prefix", "lab" },
	{ "ous", "POST /v2/{project_id}/ous",
	  "{\"domain\": \"vdesktop.com\", \"ou_name\": \"research\", \"description\": \"R&D\"}\n",
	  "research", "research", "ou_dn", "OU=research,DC=vdesktop,DC=com\n", "description",
	  "R&D" },
};

static cJSON *state(Mount *m, const char *kind, const char *key)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, key);

	return harness_emu_get_maybe(m, path);
}

/* The first object's name in a kind's listing. */
static char *first(Mount *m, const char *kind)
{
	g_autoptr(GPtrArray) names = harness_list(m, kind);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

/* Each kind: the POST went out once, the emulator has it, `ls` shows it at once (the
 * kernel's cached listing too), its files read what the body said, the descriptor reads
 * back its directory name, and /README describes the body. */
static void test_created(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *readme = harness_read(m, "README");

	for (gsize i = 0; i < G_N_ELEMENTS(CASES); i++) {
		const Case *c = &CASES[i];
		g_autofree char *result = NULL, *want = g_strdup_printf("%s\n", c->name);
		g_autofree char *file = g_strdup_printf("%s/%s/%s", c->kind, c->name, c->file);
		g_autofree char *in_readme = g_strdup_printf("/%s/.create", c->kind);
		guint before = harness_assert_listing_cached(m, c->kind);

		g_test_message("%s", c->kind);
		g_assert_nonnull(strstr(readme, in_readme));
		g_assert_false(harness_listed(m, c->kind, c->name));
		harness_reset_stats(m);
		g_assert_cmpint(harness_create_rw(m, c->kind, c->body, &result), ==, 0);
		g_assert_cmpstr(result, ==, want);
		g_assert_cmpint(harness_route_count(m, c->route), ==, 1);
		g_assert_cmpint(harness_mutation_count(m), ==, 1);

		cJSON *obj = state(m, c->kind, c->key);
		g_assert_nonnull(obj);
		g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(obj, c->field)), ==,
				c->value);
		cJSON_Delete(obj);

		g_autoptr(GPtrArray) now = harness_list(m, c->kind);
		g_assert_cmpuint(now->len, ==, before + 1);
		g_assert_true(harness_listed(m, c->kind, c->name));
		g_autofree char *text = harness_read(m, file);
		g_assert_nonnull(text);
		g_assert_nonnull(strstr(text, c->content));
	}
	/* /README lists a policy group's body two levels deep, its policies' groups abridged. */
	g_assert_nonnull(strstr(readme, "policies {peripherals {...} audio"));
	/* A new task has no run records yet: an empty directory, not an error. */
	g_autoptr(GPtrArray) records = harness_list(m, "scheduled-tasks/Nightly stop/records");
	g_assert_cmpuint(records->len, ==, 0);
	cJSON *task = state(m, "scheduled-tasks", "Nightly%20stop");
	g_autofree char *records_get = g_strdup_printf(
		"/v2/{project_id}/scheduled-tasks/%s/records?offset=0&limit=10",
		cJSON_GetStringValue(cJSON_GetObjectItem(task, "id")));
	long status = 0;
	cJSON *none = harness_api_get(m, records_get, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_cmpint(cJSON_GetNumberValue(cJSON_GetObjectItem(none, "total_count")), ==, 0);
	cJSON_Delete(none);
	cJSON_Delete(task);
	/* The detail (4.14.4) knows a new group too. */
	cJSON *group = state(m, "policy-groups", "Kiosk%2FLobby");
	g_autofree char *detail_get = g_strdup_printf("/v2/{project_id}/policy-groups/%s",
		cJSON_GetStringValue(cJSON_GetObjectItem(group, "policy_group_id")));
	cJSON *detail = harness_api_get(m, detail_get, &status);
	g_assert_cmpint(status, ==, 200);
	g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(detail,
			"policy_group"), "policy_group_name")), ==, "Kiosk/Lobby");
	cJSON_Delete(detail);
	cJSON_Delete(group);
	g_autofree char *priority = harness_read(m, "policy-groups/Kiosk%2FLobby/priority");
	g_assert_cmpstr(priority, ==, "7\n");
	/* From a shell too; the audit records it. */
	g_autofree char *err = NULL;
	g_assert_cmpint(harness_sh(m, NULL, "echo '{\"domain\": \"vdesktop.com\", "
				   "\"ou_name\": \"sales\"}' > ous/.create", &err), ==, 0);
	g_assert_true(harness_listed(m, "ous", "sales"));
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "path=/ous/.create request=\"POST /v2/{project_id}/ous {"));
	g_assert_nonnull(strstr(audit, "result=sales"));
	harness_stop(m);
}

/* Snapshots: the descriptor reads back the job; nothing is listed while it runs, and each
 * desktop's system disk snapshot is listed as soon as `wait` returns. */
static void test_snapshots(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_autofree char *body = g_strdup_printf(
		"{\"desktop_ids\": [\"%s\", \"%s\"], \"disk_type\": \"SYSTEM_DISK\",\n"
		" \"system_disk_snapshot\": {\"name\": \"before-upgrade\", \"description\": "
		"\"pre-patch\"}}\n", (char *)desktops->pdata[0], (char *)desktops->pdata[1]);
	g_autofree char *result = NULL;
	guint before = harness_assert_listing_cached(m, "snapshots");

	harness_reset_stats(m);
	g_assert_cmpint(harness_create_rw(m, "snapshots", body, &result), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_SNAPSHOTS), ==, 1);
	g_assert_true(g_str_has_prefix(result, "job "));
	g_strchomp(result);
	const char *job = result + 4;
	g_assert_true(harness_listed(m, "jobs", job));
	g_autoptr(GPtrArray) running = harness_list(m, "snapshots");
	g_assert_cmpuint(running->len, ==, before);

	g_autofree char *wait = g_strdup_printf("jobs/%s/wait", job);
	g_autofree char *end = harness_read(m, wait);
	g_assert_cmpstr(end, ==, "SUCCESS\n");
	g_autofree char *type = g_strdup_printf("jobs/%s/job_type", job);
	g_autofree char *job_type = harness_read(m, type);
	g_assert_cmpstr(job_type, ==, "createSnapshot\n");
	/* At once after the wait, though the TTL is 600 s. */
	g_autoptr(GPtrArray) now = harness_list(m, "snapshots");
	g_assert_cmpuint(now->len, ==, before + 2);
	cJSON *all = harness_emu_get(m, "/__emulator/state/snapshots");
	guint found = 0;
	const cJSON *s;
	cJSON_ArrayForEach(s, all) {
		const char *desktop = cJSON_GetStringValue(cJSON_GetObjectItem(s, "desktop_id"));
		const char *desc = cJSON_GetStringValue(cJSON_GetObjectItem(s, "description"));
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(s, "snapshot_id"));

		if (g_strcmp0(desc, "pre-patch") != 0)
			continue;
		found++;
		g_assert_true(g_strcmp0(desktop, desktops->pdata[0]) == 0 ||
			      g_strcmp0(desktop, desktops->pdata[1]) == 0);
		g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(s, "is_system_disk")));
		g_assert_true(harness_listed(m, "snapshots", id));
		g_autofree char *rel = g_strdup_printf("snapshots/%s/snapshot_name", id);
		g_autofree char *name = harness_read(m, rel);
		g_assert_nonnull(strstr(name, "before-upgrade"));
	}
	cJSON_Delete(all);
	g_assert_cmpuint(found, ==, 2);
	harness_stop(m);
}

/* Each malformed body: EINVAL from write(), the reason in /.wksfs/errors, nothing sent. A
 * missing mandatory field for every kind; wrong types and unknown fields across them. */
static void test_invalid(void)
{
	static const struct {
		const char *kind;
		const char *body;
		const char *reason;
	} cases[] = {
		{ "policy-groups", "{\"policy_group\": {\"priority\": 1}}",
		  "\"policy_group.policy_group_name\" is not a name" },
		{ "policy-groups", "{\"description\": \"no wrapper\"}",
		  "unknown field \"description\"" },
		{ "policy-groups", "{}", "missing mandatory field \"policy_group\"" },
		{ "policy-groups", PG "\"priority\": \"high\"}}",
		  "\"policy_group.priority\" must be an integer" },
		{ "policy-groups", PG "\"policies\": {\"audio\": {\"audio_redirection_enable\": "
		  "\"yes\"}}}}",
		  "\"policy_group.policies.audio.audio_redirection_enable\" must be true or "
		  "false" },
		{ "policy-groups", PG "\"policies\": {\"peripherals\": {\"usb_port_redirection\": "
		  "{\"options\": {\"usb_storage_enabled\": true}}}}}}",
		  "unknown field \"policy_group.policies.peripherals.usb_port_redirection.options."
		  "usb_storage_enabled\"" },
		{ "policy-groups", PG "\"targets\": [{\"target\": \"x\"}]}}",
		  "unknown field \"policy_group.targets[0].target\"" },
		{ "scripts", "{\"name\": \"s\", \"type\": \"SHELL\"}",
		  "missing mandatory field \"content\"" },
		{ "scripts", "{\"name\": \"s\", \"type\": \"SHELL\", \"content\": [\"ls\"]}",
		  "\"content\" must be a string" },
		{ "scripts", "{\"name\": \"s\", \"type\": \"SHELL\", \"content\": \"ls\", "
			     "\"script_version\": \"1\"}", "unknown field \"script_version\"" },
		{ "scheduled-tasks", "{\"task_name\": \"t\"}", "missing mandatory field "
		  "\"task_type\"" },
		{ "scheduled-tasks", "{\"task_name\": \"t\", \"task_type\": \"STOP\", "
		  "\"day_interval\": \"1\"}", "\"day_interval\" must be an integer" },
		{ "scheduled-tasks", "{\"task_name\": \"t\", \"task_type\": \"STOP\", "
		  "\"apply_objects\": [{\"object_id\": 5}]}",
		  "\"apply_objects[0].object_id\" must be a string" },
		{ "desktop-name-policies", "{\"policy_name\": \"p\", \"name_prefix\": \"x\", "
		  "\"digit_number\": 2, \"start_number\": 1}",
		  "missing mandatory field \"single_domain_user_inc\"" },
		{ "desktop-name-policies", "{\"policy_name\": \"p\", \"name_prefix\": \"x\", "
		  "\"digit_number\": 2, \"start_number\": 1, \"single_domain_user_inc\": 1, "
		  "\"is_default_policy\": 1}",
		  "\"is_default_policy\" must be true or false" },
		{ "ous", "{\"ou_name\": \"o\"}", "missing mandatory field \"domain\"" },
		{ "ous", "{\"ou_name\": \"o\", \"domain\": \"d\", \"desc\": \"x\"}",
		  "unknown field \"desc\"" },
		{ "snapshots", "{\"desktop_ids\": \"one\"}", "\"desktop_ids\" must be an array" },
		{ "snapshots", "{\"desktop_ids\": [\"d\"], \"system_disk_snapshot\": {\"name\": "
			       "\"n\", \"size\": 2}}",
		  "unknown field \"system_disk_snapshot.size\"" },
	};
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	harness_reset_stats(m);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *rel = g_strdup_printf("%s/.create", cases[i].kind);
		g_autofree char *body = g_strdup_printf("%s\n", cases[i].body);
		g_autofree char *result = NULL, *errors = NULL;

		g_test_message("%s: %s", cases[i].kind, cases[i].reason);
		g_assert_cmpint(harness_write(m, rel, body), ==, EINVAL);
		g_assert_cmpint(harness_create_rw(m, cases[i].kind, body, &result), ==, -EINVAL);
		g_assert_true(g_str_has_prefix(result, "error: Invalid argument: "));
		errors = harness_read(m, ".wksfs/errors");
		g_assert_nonnull(strstr(errors, rel));
		g_assert_nonnull(strstr(errors, cases[i].reason));
	}
	/* The shell sees it. */
	g_autofree char *err = NULL;
	g_assert_cmpint(harness_sh(m, NULL, "echo '{\"name\": \"s\"}' > scripts/.create", &err), !=, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* What the API refuses: a name it has (409: EEXIST), a desktop it does not know (404:
 * ENOENT), a desktop being snapshotted (409); each POST went out once. */
static void test_refused(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autofree char *group = first(m, "policy-groups"), *script = first(m, "scripts");
	g_autofree char *ou = first(m, "ous"), *policy = first(m, "desktop-name-policies");
	g_autofree char *task = first(m, "scheduled-tasks");
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	char *taken[] = {
		g_strdup_printf("{\"policy_group\": {\"policy_group_name\": \"%s\"}}", group),
		g_strdup_printf("{\"name\": \"%s\", \"type\": \"BAT\", \"content\": \"dir\"}",
				script),
		g_strdup_printf("{\"task_name\": \"%s\", \"task_type\": \"REBOOT\"}", task),
		g_strdup_printf("{\"policy_name\": \"%s\", \"name_prefix\": \"n\", "
				"\"digit_number\": 2, \"start_number\": 1, "
				"\"single_domain_user_inc\": 0}", policy),
		g_strdup_printf("{\"domain\": \"vdesktop.com\", \"ou_name\": \"%s\"}", ou),
	};
	g_autofree char *snap = g_strdup_printf("{\"desktop_ids\": [\"%s\"]}\n",
						(char *)desktops->pdata[0]);

	harness_reset_stats(m);
	for (gsize i = 0; i < G_N_ELEMENTS(CASES); i++) {
		g_autofree char *result = NULL, *body = g_strdup_printf("%s\n", taken[i]);

		g_clear_pointer(&taken[i], g_free);

		g_test_message("%s", CASES[i].kind);
		g_assert_cmpint(harness_create_rw(m, CASES[i].kind, body, &result), ==, -EEXIST);
		g_assert_true(g_str_has_prefix(result, "error: File exists"));
		g_assert_nonnull(strstr(result, "EMU.0409"));
		g_assert_cmpint(harness_route_count(m, CASES[i].route), ==, 1);
	}
	g_assert_cmpint(harness_mutation_count(m), ==, G_N_ELEMENTS(CASES));

	g_autofree char *unknown = NULL, *first_job = NULL, *again = NULL;
	g_assert_cmpint(harness_create_rw(m, "snapshots", "{\"desktop_ids\": [\"no-such-desktop\"]}\n",
				  &unknown), ==, -ENOENT);
	g_assert_nonnull(strstr(unknown, "WKS.00010031"));
	g_assert_cmpint(harness_create_rw(m, "snapshots", snap, &first_job), ==, 0);
	g_assert_true(g_str_has_prefix(first_job, "job "));
	g_assert_cmpint(harness_create_rw(m, "snapshots", snap, &again), ==, -EEXIST);
	g_assert_nonnull(strstr(again, "Operation conflict"));
	g_assert_cmpint(harness_route_count(m, R_SNAPSHOTS), ==, 3);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "Operation conflict"));
	harness_stop(m);
}

/* -o ro: EROFS and nothing sent; -o dry_run: checked, not sent, the descriptor reads what
 * would have gone out. */
static void test_ro_and_dry_run(void)
{
	Mount *m = harness_start(TENANT, "ro");

	if (!m)
		return;
	for (gsize i = 0; i < G_N_ELEMENTS(CASES); i++) {
		g_autofree char *rel = g_strdup_printf("%s/.create", CASES[i].kind);

		g_assert_cmpint(harness_write(m, rel, CASES[i].body), ==, EROFS);
	}
	g_assert_cmpint(harness_write(m, "snapshots/.create", "{\"desktop_ids\": [\"d\"]}\n"),
			==, EROFS);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);

	m = harness_start(TENANT, "dry_run");
	if (!m)
		return;
	g_autofree char *result = NULL;
	g_assert_cmpint(harness_create_rw(m, "scripts", CASES[1].body, &result), ==, 0);
	g_assert_true(g_str_has_prefix(result, "dry-run: POST /v2/{project_id}/scripts {"));
	g_assert_cmpint(harness_write(m, "ous/.create", "{\"ou_name\": \"x\"}\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_null(state(m, "scripts", "cleanup"));
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/create-more/created", test_created);
	g_test_add_func("/create-more/snapshots", test_snapshots);
	g_test_add_func("/create-more/invalid", test_invalid);
	g_test_add_func("/create-more/refused", test_refused);
	g_test_add_func("/create-more/ro-and-dry-run", test_ro_and_dry_run);
	return g_test_run();
}
