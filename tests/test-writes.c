/* test-writes.c — what writers see, from a real shell and from raw write() calls: field
 * values sent when their line is complete (errors reach `sh -c 'echo ... > file'`),
 * truncation, commands split across writes, each descriptor's own action result, refused
 * tree changes (EROFS / EACCES / EPERM, never ENOSYS), and missing view keys. The emulator's
 * request counters are the oracle: a mutation reaches the API at most once.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#define R_USER_PUT "PUT /v2/{project_id}/users/{user_id}"
#define R_USER_ACTION "POST /v2/{project_id}/users/{user_id}/actions"
#define R_GROUP_ACTION "POST /v2/{project_id}/groups/{group_id}/actions"
#define R_USERS "GET /v2/{project_id}/users"


static char *user_field(Mount *m, const char *user, const char *field)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/users/%s", user);
	cJSON *state = harness_emu_get(m, path);
	char *v = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(state, field)));

	cJSON_Delete(state);
	return v;
}

static int open_at(Mount *m, const char *rel, int flags)
{
	g_autofree char *path = harness_path(m, rel);

	return open(path, flags);
}

/* write() returning its size, or -errno. */
static gssize put(int fd, const char *text)
{
	gssize n = write(fd, text, strlen(text));

	return n < 0 ? -errno : n;
}

/* A field write that completes a line is validated and sent inside write(): the shell sees
 * the error. Without its newline, the value is sent once at close. */
static void test_field_lines(void)
{
	const char *args[] = { "--desktops", "2", "--users", "3", "--seed", "5", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *u = users->pdata[0];
	g_autofree char *dir = g_strdup_printf("users/%s", u);
	g_autofree char *email = g_strdup_printf("users/%s/email", u);

	harness_reset_stats(m);
	/* Invalid: the shell exits non-zero, nothing is sent, /.wksfs/errors says why. */
	g_assert_cmpint(harness_sh(m, dir, "echo bad > email", NULL), !=, 0);
	g_assert_cmpint(harness_sh(m, dir, "printf 'a@b.cc\\nc@d.ee\\n' > email", NULL), !=, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 0);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_autofree char *where = g_strdup_printf("/users/%s/email", u);
	g_assert_nonnull(strstr(errors, where));
	g_assert_nonnull(strstr(errors, "\"bad\" is not an e-mail address"));
	g_assert_nonnull(strstr(errors, "more than one line"));

	/* Refused by the API: the shell sees it, and the PUT was sent exactly once. */
	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\":1,\"fail_status\":409,\"methods\":\"PUT\"}");
	g_assert_cmpint(harness_sh(m, dir, "echo x@y.zz > email", NULL), !=, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\":0,\"methods\":\"\"}");
	g_autofree char *kept = user_field(m, u, "user_email");
	g_assert_cmpstr(kept, !=, "x@y.zz");

	g_assert_cmpint(harness_sh(m, dir, "echo x@y.zz > email", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 2);
	g_autofree char *now = user_field(m, u, "user_email");
	g_assert_cmpstr(now, ==, "x@y.zz");

	/* No newline: sent once, at close. */
	g_assert_cmpint(harness_sh(m, dir, "printf 'p@q.zz' > email", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 3);
	g_autofree char *p = user_field(m, u, "user_email");
	g_assert_cmpstr(p, ==, "p@q.zz");

	/* Raw writes: the line is sent inside the write that completes it, close adds nothing;
	 * a value split across writes is one value. */
	int fd = open_at(m, email, O_WRONLY | O_TRUNC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "s@t"), ==, 3);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 3);
	g_assert_cmpint(put(fd, ".zz\n"), ==, 4);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 4);
	g_autofree char *st = user_field(m, u, "user_email");
	g_assert_cmpstr(st, ==, "s@t.zz");
	/* A second line on the same descriptor is a second value. */
	g_assert_cmpint(put(fd, "bad line\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 4);

	/* dup'ed descriptors: the unfinished value is sent once, at the last close. */
	fd = open_at(m, email, O_WRONLY | O_TRUNC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "d@u.zz"), ==, 6);
	int fd2 = dup(fd);
	g_assert_no_errno(close(fd2));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 4);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 5);
	g_autofree char *du = user_field(m, u, "user_email");
	g_assert_cmpstr(du, ==, "d@u.zz");
	harness_stop(m);
}

/* Truncating a field file sends the truncated value: an empty description is valid. */
static void test_truncate(void)
{
	const char *args[] = { "--desktops", "2", "--users", "3", "--seed", "6", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *u = users->pdata[1];
	g_autofree char *dir = g_strdup_printf("users/%s", u);
	g_autofree char *desc = g_strdup_printf("users/%s/description", u);
	g_autofree char *desc_path = harness_path(m, desc);
	g_autofree char *email_path = g_strdup_printf("%s/users/%s/email", m->mnt, u);

	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, dir, "echo first > description", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);

	/* O_TRUNC and close, nothing written: the empty value, once. */
	g_assert_cmpint(harness_sh(m, dir, ": > description", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 2);
	g_autofree char *empty = user_field(m, u, "description");
	g_assert_cmpstr(empty, ==, "");
	g_autofree char *back = harness_read(m, desc);
	g_assert_cmpstr(back, ==, "\n");

	/* truncate(1): open, ftruncate, close. */
	g_assert_cmpint(harness_sh(m, dir, "echo second > description", NULL), ==, 0);
	g_assert_cmpint(harness_sh(m, dir, "truncate -s0 description", NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 4);
	g_autofree char *t1 = user_field(m, u, "description");
	g_assert_cmpstr(t1, ==, "");

	/* truncate(2) with no descriptor: sent at once. */
	g_assert_cmpint(harness_sh(m, dir, "echo third > description", NULL), ==, 0);
	g_assert_no_errno(truncate(desc_path, 0));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 6);
	g_autofree char *t2 = user_field(m, u, "description");
	g_assert_cmpstr(t2, ==, "");

	/* Growing a value would add NUL bytes: refused, nothing sent. */
	g_assert_cmpint(truncate(desc_path, 100), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	/* An empty address is not one: refused, nothing sent. */
	g_assert_cmpint(truncate(email_path, 0), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 6);

	/* An open without O_TRUNC and without writes sends nothing. */
	int fd = open(desc_path, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_no_errno(close(fd));
	/* A write after the truncation is the value, sent once. */
	fd = open(desc_path, O_WRONLY | O_TRUNC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "fourth\n"), ==, 7);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 7);
	g_autofree char *t3 = user_field(m, u, "description");
	g_assert_cmpstr(t3, ==, "fourth");
	harness_stop(m);
}

/* A command runs once, when its line is complete; without a newline, at close. */
static void test_command_lines(void)
{
	const char *args[] = { "--desktops", "2", "--users", "3", "--seed", "7", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	const char *u = users->pdata[0];
	g_autofree char *action = g_strdup_printf("users/%s/action", u);
	g_autofree char *locked = g_strdup_printf("/__emulator/state/users/%s", u);

	harness_reset_stats(m);
	int fd = open_at(m, action, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "lock"), ==, 4);
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 0);
	g_assert_cmpint(put(fd, "\n"), ==, 1);
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 1);
	cJSON *state = harness_emu_get(m, locked);
	g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(state, "locked")));
	cJSON_Delete(state);
	/* Two lines in one write: refused, nothing sent. */
	g_assert_cmpint(put(fd, "unlock\nlock\n"), ==, -EINVAL);
	g_assert_cmpint(put(fd, "unlock\n\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 1);

	/* No newline: run at the last close, once, even with the descriptor dup'ed. */
	fd = open_at(m, action, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "unlock"), ==, 6);
	int fd2 = dup(fd);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 1);
	g_assert_no_errno(close(fd2));
	g_assert_cmpint(harness_route_count(m, R_USER_ACTION), ==, 2);
	state = harness_emu_get(m, locked);
	g_assert_true(cJSON_IsFalse(cJSON_GetObjectItem(state, "locked")));
	cJSON_Delete(state);

	/* /.wksfs/ctl the same way: "refresh users" costs one listing, when complete. */
	gint64 lists = harness_route_count(m, R_USERS);
	fd = open_at(m, ".wksfs/ctl", O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "refresh users"), ==, 13);
	g_assert_cmpint(harness_route_count(m, R_USERS), ==, lists);
	g_assert_cmpint(put(fd, "\n"), ==, 1);
	g_assert_cmpint(harness_route_count(m, R_USERS), ==, lists + 1);
	g_assert_cmpint(put(fd, "refresh users\nrefresh users\n"), ==, -EINVAL);
	g_assert_cmpint(put(fd, "refresh users\n\n"), ==, -EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USERS), ==, lists + 1);
	harness_stop(m);
}

static char *pread_all(int fd)
{
	char buf[512];
	gssize n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return g_strdup_printf("pread: %s", g_strerror(errno));
	buf[n] = '\0';
	return g_strdup(buf);
}

/* Every attempt is what the action file reads next; a descriptor reads its own result. */
static void test_action_results(void)
{
	const char *args[] = { "--desktops", "2", "--users", "4", "--groups", "2", "--seed", "8",
			       NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autofree char *dir = g_strdup_printf("user-groups/%s", (char *)groups->pdata[0]);
	g_autofree char *action = g_strdup_printf("%s/action", dir);
	g_autofree char *add = g_strdup_printf("echo 'add %s' > action", (char *)users->pdata[0]);

	harness_reset_stats(m);
	g_assert_cmpint(harness_sh(m, dir, add, NULL), ==, 0);
	g_autofree char *ok = harness_read(m, action);
	g_assert_cmpstr(ok, ==, "ok\n");
	g_assert_cmpint(harness_route_count(m, R_GROUP_ACTION), ==, 1);

	/* Refused before anything is sent: still what the file reads back. */
	g_assert_cmpint(harness_sh(m, dir, "echo 'add nosuchuser' > action", NULL), !=, 0);
	g_autofree char *nouser = harness_read(m, action);
	g_assert_cmpstr(nouser, ==, "error: Invalid argument: no user \"nosuchuser\"\n");
	g_assert_cmpint(harness_sh(m, dir, "echo fly > action", NULL), !=, 0);
	g_autofree char *fly = harness_read(m, action);
	g_assert_true(g_str_has_prefix(fly, "error: Invalid argument: unknown command \"fly\""));
	g_assert_cmpint(harness_route_count(m, R_GROUP_ACTION), ==, 1);
	g_autofree char *errors = harness_read(m, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "no user \"nosuchuser\""));

	/* Two scripts side by side, each on its own O_RDWR descriptor. */
	int a = open_at(m, action, O_RDWR);
	int b = open_at(m, action, O_RDWR);
	g_assert_cmpint(a, >=, 0);
	g_assert_cmpint(b, >=, 0);
	g_autofree char *before = pread_all(a);
	g_assert_cmpstr(before, ==, fly);	/* before its write: the last result at open */
	g_autofree char *line = g_strdup_printf("remove %s\n", (char *)users->pdata[0]);
	g_assert_cmpint(put(a, line), ==, (gssize)strlen(line));
	g_assert_cmpint(put(b, "add nosuchuser\n"), ==, -EINVAL);
	g_autofree char *ra = pread_all(a);
	g_autofree char *rb = pread_all(b);
	g_assert_cmpstr(ra, ==, "ok\n");
	g_assert_cmpstr(rb, ==, nouser);
	g_assert_no_errno(close(a));
	g_assert_no_errno(close(b));
	g_autofree char *last = harness_read(m, action);
	g_assert_cmpstr(last, ==, nouser);
	g_assert_cmpint(harness_route_count(m, R_GROUP_ACTION), ==, 2);
	harness_stop(m);
}

typedef struct {
	const char *cmd;
	int rw_errno;	/* what a writable mount says; 0: the command succeeds */
} Refused;

static const Refused refused_cmds[] = {
	{ "touch newfile", EACCES },
	{ "mkdir newdir", EACCES },
	{ "rm email", EACCES },
	{ "rm -f locked", EACCES },
	{ "mv email email2", EACCES },
	{ "chmod 600 email", EPERM },
	{ "chown 1 email", EPERM },
	{ "ln -s email link", EACCES },
	{ "ln email hardlink", EACCES },
	{ "mknod fifo p", EACCES },
	{ "touch -d 2020-01-01 locked", EACCES },	/* its open for writing is refused */
	{ "touch -d 2020-01-01 .", EPERM },		/* utimensat on the directory */
	{ "sed -i s/a/b/ description", EACCES },
	{ "touch email", 0 },	/* a no-op on a writable file: nothing sent */
	{ "touch action", 0 },
};

/* Runs every refused command in users/U and checks the errno its message names. */
static void run_refused(Mount *m, const char *dir, gboolean ro)
{
	for (gsize i = 0; i < G_N_ELEMENTS(refused_cmds); i++) {
		const Refused *r = &refused_cmds[i];
		int want = ro ? EROFS : r->rw_errno;
		g_autofree char *err = NULL;
		int status = harness_sh(m, dir, r->cmd, &err);

		g_test_message("%s: exit %d, %s", r->cmd, status, err);
		if (want == 0) {
			g_assert_cmpint(status, ==, 0);
			continue;
		}
		g_assert_cmpint(status, !=, 0);
		g_assert_nonnull(strstr(err, g_strerror(want)));
		g_assert_null(strstr(err, g_strerror(ENOSYS)));
	}
	g_autofree char *email = g_strdup_printf("%s/%s/email", m->mnt, dir);
	g_assert_cmpint(setxattr(email, "user.x", "1", 1, 0), ==, -1);
	g_assert_cmpint(errno, ==, ro ? EROFS : EPERM);
	g_assert_cmpint(removexattr(email, "user.x"), ==, -1);
	g_assert_cmpint(errno, ==, ro ? EROFS : EPERM);
	/* utimensat(2) itself on a read-only file. */
	g_autofree char *locked = g_strdup_printf("%s/%s/locked", m->mnt, dir);
	g_assert_cmpint(utimensat(AT_FDCWD, locked, NULL, 0), ==, -1);
	g_assert_cmpint(errno, ==, ro ? EROFS : EPERM);
	g_autofree char *users = harness_path(m, "users");
	g_assert_cmpint(rmdir(users), ==, -1);
	g_assert_cmpint(errno, ==, ro ? EROFS : EPERM);
}

/* Refused tree changes: EROFS read-only, EACCES or EPERM otherwise; never ENOSYS; nothing
 * sent either way. */
static void test_refused_ops(void)
{
	const char *args[] = { "--desktops", "2", "--users", "2", "--seed", "9", NULL };

	for (int ro = 0; ro <= 1; ro++) {
		Mount *m = harness_start(args, ro ? "ttl=60,ro" : "ttl=60");

		if (!m)
			return;
		g_autoptr(GPtrArray) users = harness_list(m, "users");
		g_autofree char *dir = g_strdup_printf("users/%s", (char *)users->pdata[0]);
		g_autofree char *before = harness_read(m, "README");

		harness_reset_stats(m);
		run_refused(m, dir, ro);
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		/* Nothing changed in the tree either. */
		g_autoptr(GPtrArray) files = harness_list(m, dir);
		g_assert_false(g_ptr_array_find_with_equal_func(files, "newfile", g_str_equal,
							       NULL));
		g_assert_true(g_ptr_array_find_with_equal_func(files, "email", g_str_equal, NULL));
		harness_stop(m);
	}
}

/* A key no object has, in a grouped or a flat view: ENOENT, and the daemon lives on (it
 * double-freed, fatal under G_DEBUG=fatal-criticals). harness_stop checks a clean exit. */
static void test_view_missing_key(void)
{
	const char *args[] = { "--desktops", "3", "--users", "2", "--seed", "10", NULL };
	Mount *m = harness_start(args, "ttl=60");
	static const char *const missing[] = { "desktops-by-status/NOSUCH",
					       "desktops-by-name/NOSUCH" };

	if (!m)
		return;
	for (int round = 0; round < 2; round++) {
		for (gsize i = 0; i < G_N_ELEMENTS(missing); i++) {
			g_autofree char *path = harness_path(m, missing[i]);
			struct stat st;
			char buf[64];

			g_assert_cmpint(lstat(path, &st), ==, -1);
			g_assert_cmpint(errno, ==, ENOENT);
			g_assert_cmpint(readlink(path, buf, sizeof(buf)), ==, -1);
			g_assert_cmpint(errno, ==, ENOENT);
			g_autofree char *cmd = g_strdup_printf("ls %s", missing[i]);
			g_autofree char *err = NULL;
			g_assert_cmpint(harness_sh(m, "", cmd, &err), !=, 0);
			g_assert_nonnull(strstr(err, g_strerror(ENOENT)));
		}
	}
	/* Still serving. */
	g_autoptr(GPtrArray) statuses = harness_list(m, "desktops-by-status");
	g_assert_cmpuint(statuses->len, >, 0);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/writes/field-lines", test_field_lines);
	g_test_add_func("/writes/truncate", test_truncate);
	g_test_add_func("/writes/command-lines", test_command_lines);
	g_test_add_func("/writes/action-results", test_action_results);
	g_test_add_func("/writes/refused-ops", test_refused_ops);
	g_test_add_func("/writes/view-missing-key", test_view_missing_key);
	return g_test_run();
}
