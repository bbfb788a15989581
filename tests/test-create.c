/* test-create.c — creating objects through `<kind>/.create`, from a real shell and from raw
 * write() calls against the real emulator: users, user groups (synchronous: the new name in
 * `ls` as soon as write() returned, the kernel's cached listing too) and desktops (a job:
 * `wait`, then the new desktop is listed); what a descriptor reads back; and every refusal
 * with the errno the shell sees — invalid bodies (nothing sent), a name taken (sent once),
 * -o ro, -o dry_run, another uid — and a create whose outcome is unknown (sent once, never
 * again). The emulator's request counters and state views are the oracle.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_CREATE_USER "POST /v2/{project_id}/users"
#define R_CREATE_GROUP "POST /v2/{project_id}/groups"
#define R_CREATE_DESKTOPS "POST /v2/{project_id}/desktops"

static const char *const TENANT[] = { "--desktops", "6", "--users", "4", "--groups", "2",
				      "--seed", "7", "--job-seconds", "1", NULL };


static cJSON *state(Mount *m, const char *kind, const char *key)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, key);

	return harness_emu_get_maybe(m, path);
}

static char *state_field(Mount *m, const char *kind, const char *key, const char *field)
{
	cJSON *obj = state(m, kind, key);
	char *v = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(obj, field)));

	cJSON_Delete(obj);
	return v;
}

static char *write_file(Mount *m, const char *name, const char *text)
{
	char *path = g_build_filename(m->workdir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	return path;
}

/* A pretty body, several lines, through `cat body.json > users/.create`: the user exists
 * in the emulator, `ls users` shows it at once, its groups changed with it, the audit
 * records it with the password masked, and a descriptor reads back the new name. */
static void test_user(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *gid = state_field(m, "groups", "finance", "id");
	g_autofree char *quantity = harness_read(m, "user-groups/finance/user_quantity");
	g_autofree char *body = g_strdup_printf(
		"{\n"
		"  \"user_name\": \"newbie\",\n"
		"  \"user_email\": \"newbie@example.com\",\n"
		"  \"description\": \"made through .create\",\n"
		"  \"active_type\": \"ADMIN_ACTIVATE\",\n"
		"  \"password\": \"Secret-1234\",\n"
		"  \"group_ids\": [\"%s\"]\n"
		"}\n", gid);
	g_autofree char *file = write_file(m, "user.json", body);
	g_autofree char *cmd = g_strdup_printf("cat '%s' > users/.create", file);
	g_autofree char *err = NULL;
	guint before = harness_assert_listing_cached(m, "users");

	g_assert_nonnull(quantity);
	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, NULL, cmd, &err), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 1);
	g_autofree char *email = state_field(m, "users", "newbie", "user_email");
	g_assert_cmpstr(email, ==, "newbie@example.com");

	/* At once, though the TTL is 600 s and the kernel kept the listing. */
	g_autoptr(GPtrArray) now = harness_list(m, "users");
	g_assert_cmpuint(now->len, ==, before + 1);
	g_assert_true(harness_listed(m, "users", "newbie"));
	g_autofree char *mail = harness_read(m, "users/newbie/email");
	g_assert_cmpstr(mail, ==, "newbie@example.com\n");
	/* The group it joined counts it (user-groups is invalidated with users). */
	g_autofree char *more = harness_read(m, "user-groups/finance/user_quantity");
	g_autofree char *want = g_strdup_printf("%d\n", atoi(quantity) + 1);
	g_assert_cmpstr(more, ==, want);

	/* The audit: who, what, the outcome; never the password, nor in the daemon's log. */
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "path=/users/.create request=\"POST "
				"/v2/{project_id}/users {"));
	/* logfmt: a plain word unquoted, the body's quotes escaped. */
	g_assert_nonnull(strstr(audit, "result=newbie"));
	g_assert_nonnull(strstr(audit, "\\\"password\\\":\\\"***\\\""));
	g_assert_null(strstr(audit, "Secret-1234"));
	g_autofree char *log = NULL;
	g_assert_true(g_file_get_contents(m->fs_log, &log, NULL, NULL));
	g_assert_null(strstr(log, "Secret-1234"));

	/* A shell reads it back on the descriptor it wrote with, which it cannot rewind. */
	g_autofree char *other = write_file(m, "other.json", "{\"user_name\": \"third\",\n"
					    "\"description\": \"read back by a shell\"}\n");
	g_autofree char *back = g_strdup_printf("exec 3<> users/.create && cat '%s' >&3 && "
						"read -r name <&3 && echo \"got $name\"", other);
	g_autofree char *got = NULL;
	const char *argv[] = { "sh", "-c", back, NULL };
	g_assert_true(g_spawn_sync(m->mnt, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   &got, NULL, NULL, NULL));
	g_assert_cmpstr(got, ==, "got third\n");

	/* The descriptor that wrote reads back the name; a fresh one reads nothing. */
	g_autofree char *result = NULL;
	g_assert_cmpint(harness_create_rw(m, "users", "{\"user_name\": \"second\"}\n", &result), ==, 0);
	g_assert_cmpstr(result, ==, "second\n");
	g_autofree char *fresh = harness_read(m, "users/.create");
	g_assert_cmpstr(fresh, ==, "");
	g_assert_true(harness_listed(m, "users", "second"));
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 3);

	/* ls -a shows it: a write-only control file of the owner. */
	g_autofree char *path = harness_path(m, "users/.create");
	struct stat st;
	g_assert_no_errno(stat(path, &st));
	g_assert_true(S_ISREG(st.st_mode));
	g_assert_cmpint(st.st_mode & 0777, ==, 0644);
	g_autofree char *ls = NULL;
	g_autofree char *users_dir = harness_path(m, "users");
	g_autofree char *ls_cmd = g_strdup_printf("ls -a '%s'", users_dir);
	g_assert_true(g_spawn_command_line_sync(ls_cmd, &ls, NULL, NULL, NULL));
	g_assert_nonnull(strstr(ls, ".create\n"));
	g_autofree char *readme = harness_read(m, "README");
	g_assert_nonnull(strstr(readme, "/users/.create"));
	g_assert_nonnull(strstr(readme, "/desktops/.create"));
	harness_stop(m);
}

/* A group whose name is not a safe file name: the descriptor reads back its directory. */
static void test_group(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *result = NULL;
	guint before = harness_assert_listing_cached(m, "user-groups");

	harness_reset_stats(m);
	g_assert_cmpint(harness_create_rw(m, "user-groups", "{\"group_name\": \"ops/night\", "
				  "\"platform_type\": \"AD\", \"description\": \"night shift\"}\n",
				  &result), ==, 0);
	g_assert_cmpstr(result, ==, "ops%2Fnight\n");
	g_assert_cmpint(harness_route_count(m, R_CREATE_GROUP), ==, 1);
	g_autofree char *platform = state_field(m, "groups", "ops%2Fnight", "platform_type");
	g_assert_cmpstr(platform, ==, "AD");
	g_autoptr(GPtrArray) now = harness_list(m, "user-groups");
	g_assert_cmpuint(now->len, ==, before + 1);
	g_assert_true(harness_listed(m, "user-groups", "ops%2Fnight"));
	g_autofree char *description = harness_read(m, "user-groups/ops%2Fnight/description");
	g_assert_cmpstr(description, ==, "night shift\n");
	harness_stop(m);
}

static char *desktop_body(Mount *m, const char *computer_name, const char *user)
{
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_autofree char *rel = g_strdup_printf("desktops/%s/product_id",
					       (char *)desktops->pdata[0]);
	g_autofree char *meta_rel = g_strdup_printf("desktops/%s/metadata.json",
						    (char *)desktops->pdata[0]);
	g_autofree char *product = harness_read(m, rel);
	g_autofree char *meta_text = harness_read(m, meta_rel);
	cJSON *meta = cJSON_Parse(meta_text);
	char *body;

	g_assert_nonnull(product);
	g_assert_nonnull(meta);
	body = g_strdup_printf(
		"{\n"
		"  \"desktop_type\": \"DEDICATED\",\n"
		"  \"product_id\": \"%s\",\n"
		"  \"image_type\": \"gold\",\n"
		"  \"image_id\": \"%s\",\n"
		"  \"root_volume\": {\"type\": \"SAS\", \"size\": 80},\n"
		"  \"desktops\": [\n"
		"    {\"user_name\": \"%s\", \"user_email\": \"%s@example.com\",\n"
		"     \"computer_name\": \"%s\"}\n"
		"  ],\n"
		"  \"email_notification\": false\n"
		"}\n", g_strchomp(product),
		cJSON_GetStringValue(cJSON_GetObjectItem(meta, "metering.image_id")), user, user,
		computer_name);
	cJSON_Delete(meta);
	return body;
}

/* A desktop: the descriptor reads back the job, which /jobs lists; the desktop is in no
 * list until the job ends, and listed as soon as `wait` returns, with its new user. */
static void test_desktop(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *body = desktop_body(m, "newpc-1", "deskuser");
	g_autofree char *result = NULL;
	guint before = harness_assert_listing_cached(m, "desktops");
	guint users = harness_assert_listing_cached(m, "users");

	harness_reset_stats(m);
	g_assert_cmpint(harness_create_rw(m, "desktops", body, &result), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_CREATE_DESKTOPS), ==, 1);
	g_assert_true(g_str_has_prefix(result, "job "));
	g_strchomp(result);
	const char *job = result + 4;
	g_assert_true(harness_listed(m, "jobs", job));
	g_assert_null(state(m, "desktops", "newpc-1"));
	/* Listed again while the job runs: neither the desktop nor its user is there yet. */
	g_autoptr(GPtrArray) running = harness_list(m, "desktops");
	g_assert_cmpuint(running->len, ==, before);
	g_assert_false(harness_listed(m, "users", "deskuser"));

	g_autofree char *wait = g_strdup_printf("jobs/%s/wait", job);
	g_autofree char *end = harness_read(m, wait);
	g_assert_cmpstr(end, ==, "SUCCESS\n");
	g_autofree char *id = state_field(m, "desktops", "newpc-1", "desktop_id");
	g_assert_nonnull(id);
	/* At once after the wait, though the TTL is 600 s. */
	g_autoptr(GPtrArray) now = harness_list(m, "desktops");
	g_assert_cmpuint(now->len, ==, before + 1);
	g_assert_true(harness_listed(m, "desktops", id));
	g_autofree char *name_rel = g_strdup_printf("desktops/%s/computer_name", id);
	g_autofree char *name = harness_read(m, name_rel);
	g_assert_cmpstr(name, ==, "newpc-1\n");
	g_autofree char *link = g_strdup_printf("desktops/%s/users/deskuser", id);
	g_autofree char *link_path = harness_path(m, link);
	g_assert_true(g_file_test(link_path, G_FILE_TEST_IS_SYMLINK));
	/* The user the job registered is listed too. */
	g_autoptr(GPtrArray) with_user = harness_list(m, "users");
	g_assert_cmpuint(with_user->len, ==, users + 1);
	g_assert_true(harness_listed(m, "users", "deskuser"));
	harness_stop(m);
}

/* Each malformed body: EINVAL from write(), the reason in /.wksfs/errors, nothing sent. */
static void test_invalid(void)
{
	static const struct {
		const char *kind;
		const char *body;
		const char *reason;
	} cases[] = {
		{ "users", "user_name=alice\n", "not JSON" },
		{ "users", "\n", "an empty body" },
		{ "users", "[\"alice\"]\n", "not a JSON object" },
		{ "users", "{\"user_email\": \"a@example.com\"}\n",
		  "missing mandatory field \"user_name\"" },
		{ "users", "{\"user_name\": 42}\n", "\"user_name\" must be a string" },
		{ "users", "{\"user_name\": \"a1\", \"enable_change_password\": \"yes\"}\n",
		  "must be true or false" },
		{ "users", "{\"user_name\": \"a1\", \"usr_email\": \"a@example.com\"}\n",
		  "unknown field \"usr_email\"" },
		{ "user-groups", "{\"group_name\": \"g1\"}\n",
		  "missing mandatory field \"platform_type\"" },
		{ "desktops", "{\"desktop_type\": \"DEDICATED\", \"product_id\": \"p\", "
			      "\"image_type\": \"gold\", \"image_id\": \"i\", \"root_volume\": "
			      "{\"type\": \"SAS\"}, \"size\": 1}\n",
		  "missing mandatory field \"root_volume.size\"" },
	};
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	harness_reset_stats(m);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *rel = g_strdup_printf("%s/.create", cases[i].kind);
		g_autofree char *result = NULL;

		g_test_message("%s: %s", cases[i].kind, cases[i].reason);
		g_assert_cmpint(harness_write(m, rel, cases[i].body), ==, EINVAL);
		g_assert_cmpint(harness_create_rw(m, cases[i].kind, cases[i].body, &result), ==,
				-EINVAL);
		g_assert_true(g_str_has_prefix(result, "error: Invalid argument: "));
		g_autofree char *errors = harness_read(m, ".wksfs/errors");
		g_assert_nonnull(strstr(errors, rel));
		g_assert_nonnull(strstr(errors, cases[i].reason));
	}
	/* The shell sees it (dash says "I/O error" for any failed write). */
	g_autofree char *err = NULL;
	g_assert_cmpint(harness_sh(m, NULL, "echo '{\"user_name\": 1}' > users/.create", &err), !=, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);

	/* A body split over writes is one body: sent when it is whole, not at a newline. */
	g_autofree char *path = harness_path(m, "users/.create");
	int fd = open(path, O_WRONLY | O_TRUNC);
	g_assert_no_errno(fd);
	static const char *const chunks[] = { "{\n", "  \"user_name\": \"chunky\"\n", "}\n" };
	for (guint i = 0; i < G_N_ELEMENTS(chunks); i++) {
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		g_assert_cmpint(write(fd, chunks[i], strlen(chunks[i])), ==, strlen(chunks[i]));
	}
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 1);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 1);
	g_autofree char *chunky = state_field(m, "users", "chunky", "user_name");
	g_assert_cmpstr(chunky, ==, "chunky");

	/* Without a newline it is sent at the last close; cut short, it is refused there. */
	g_assert_cmpint(harness_write(m, "users/.create", "{\"user_name\": \"nonl\"}"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 2);
	g_assert_true(harness_listed(m, "users", "nonl"));
	fd = open(path, O_WRONLY | O_TRUNC);
	g_assert_no_errno(fd);
	const char *cut = "{\n  \"user_name\": \"late\",\n";
	g_assert_cmpint(write(fd, cut, strlen(cut)), ==, strlen(cut));
	g_assert_cmpint(close(fd), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 2);
	g_assert_null(state(m, "users", "late"));
	harness_stop(m);
}

/* A name taken: the API's refusal (409 for users and groups, WKS.00010139 for a desktop's
 * computer name) is EEXIST; the POST went out once. */
static void test_duplicate(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_autofree char *name_rel = g_strdup_printf("desktops/%s/computer_name",
						    (char *)desktops->pdata[0]);
	g_autofree char *taken = harness_read(m, name_rel);
	g_autofree char *body = desktop_body(m, g_strchomp(taken), "someone");
	g_autofree char *result = NULL, *group = NULL, *err = NULL;

	harness_reset_stats(m);
	g_assert_cmpint(harness_create_rw(m, "users", "{\"user_name\": \"user0001\"}\n", &result), ==,
			-EEXIST);
	g_assert_true(g_str_has_prefix(result, "error: File exists"));
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 1);
	g_assert_cmpint(harness_sh(m, NULL, "echo '{\"group_name\": \"finance\", \"platform_type\": "
			   "\"LOCAL\"}' > user-groups/.create", &err), !=, 0);
	g_assert_cmpint(harness_route_count(m, R_CREATE_GROUP), ==, 1);
	g_assert_cmpint(harness_create_rw(m, "desktops", body, &group), ==, -EEXIST);
	g_assert_nonnull(strstr(group, "WKS.00010139"));
	g_assert_cmpint(harness_route_count(m, R_CREATE_DESKTOPS), ==, 1);
	g_assert_cmpint(harness_mutation_count(m), ==, 3);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "EMU.0409"));
	harness_stop(m);
}

/* -o ro: EROFS, nothing sent; reading is still allowed. */
static void test_read_only(void)
{
	Mount *m = harness_start(TENANT, "ro");

	if (!m)
		return;
	g_autofree char *err = NULL;

	g_assert_cmpint(harness_write(m, "users/.create", "{\"user_name\": \"ro1\"}\n"), ==,
			EROFS);
	g_assert_cmpint(harness_sh(m, NULL, "echo '{\"user_name\": \"ro2\"}' > users/.create",
				   &err), !=, 0);
	g_assert_nonnull(strstr(err, "Read-only file system"));
	g_autofree char *empty = harness_read(m, "users/.create");
	g_assert_cmpstr(empty, ==, "");
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_null(state(m, "users", "ro1"));
	harness_stop(m);
}

/* -o dry_run: checked, audited, not sent; the descriptor reads what would have gone out. */
static void test_dry_run(void)
{
	Mount *m = harness_start(TENANT, "dry_run");

	if (!m)
		return;
	g_autofree char *result = NULL;

	g_assert_cmpint(harness_create_rw(m, "users", "{\"user_name\": \"ghost\", \"password\": "
				  "\"Hidden-9876\"}\n", &result), ==, 0);
	g_assert_true(g_str_has_prefix(result, "dry-run: POST /v2/{project_id}/users {"));
	g_assert_nonnull(strstr(result, "\"user_name\":\"ghost\""));
	g_assert_null(strstr(result, "Hidden-9876"));
	/* Still checked: an invalid body is refused as ever. */
	g_assert_cmpint(harness_write(m, "users/.create", "{\"name\": \"x\"}\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_null(state(m, "users", "ghost"));
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "result=\"dry-run, not sent\""));
	g_assert_null(strstr(audit, "Hidden-9876"));
	harness_stop(m);
}

/* With allow_other another uid cannot create: the kernel refuses the open (the mode is the
 * owner's), and a descriptor the owner handed over is refused by the daemon, audited. */
static void test_other_uid(void)
{
	if (getuid() != 0) {
		g_test_skip("acting as another uid needs root");
		return;
	}
	Mount *m = harness_start(TENANT, "allow_other");

	if (!m)
		return;
	g_assert_no_errno(chmod(m->workdir, 0755));
	g_autofree char *path = harness_path(m, "users/.create");
	int fd = open(path, O_WRONLY | O_TRUNC);

	g_assert_cmpint(harness_as_other(path, -1, "{\"user_name\": \"intruder\"}\n", FALSE), ==, EACCES);
	g_assert_no_errno(fd);
	g_assert_cmpint(harness_as_other(NULL, fd, "{\"user_name\": \"intruder\"}\n", FALSE), ==, EACCES);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_null(state(m, "users", "intruder"));
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(strstr(audit, "refused: uid 65534 does not own this mount"));
	harness_stop(m);
}

/* An answer that never arrives whole, and one that never arrives: the POST went out once
 * and is not resent; the writer is told it may have been applied, and a create that was
 * applied shows in `ls` at once. */
static void test_outcome_unknown(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,timeout=3");

	if (!m)
		return;
	g_autofree char *result = NULL, *late = NULL;
	guint before = harness_assert_listing_cached(m, "users");

	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"truncate_rate\": 1, \"route\": "
			 "\"" R_CREATE_USER "\"}");
	g_assert_cmpint(harness_create_rw(m, "users", "{\"user_name\": \"halfway\"}\n", &result), ==,
			-EIO);
	g_assert_nonnull(strstr(result, "it may have been created"));
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 1);
	/* The emulator made it before the answer was cut: `ls` shows it at once. */
	g_autofree char *made = state_field(m, "users", "halfway", "user_name");
	g_assert_cmpstr(made, ==, "halfway");
	g_autoptr(GPtrArray) now = harness_list(m, "users");
	g_assert_cmpuint(now->len, ==, before + 1);

	harness_emu_post(m, "/__emulator/faults", "{\"truncate_rate\": 0, \"stall_ms\": 8000}");
	g_assert_cmpint(harness_create_rw(m, "users", "{\"user_name\": \"stalled\"}\n", &late), ==,
			-ETIMEDOUT);
	g_assert_nonnull(strstr(late, "it may have been created"));
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 2);
	harness_emu_post(m, "/__emulator/faults", "{\"stall_ms\": 0, \"route\": \"\"}");
	g_assert_cmpint(harness_route_count(m, R_CREATE_USER), ==, 2);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/create/user", test_user);
	g_test_add_func("/create/group", test_group);
	g_test_add_func("/create/desktop", test_desktop);
	g_test_add_func("/create/invalid", test_invalid);
	g_test_add_func("/create/duplicate", test_duplicate);
	g_test_add_func("/create/read-only", test_read_only);
	g_test_add_func("/create/dry-run", test_dry_run);
	g_test_add_func("/create/other-uid", test_other_uid);
	g_test_add_func("/create/outcome-unknown", test_outcome_unknown);
	return g_test_run();
}
