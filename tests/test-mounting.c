/* test-mounting.c — how wksfs gets mounted and who may use the mount: other local users
 * (allow_other), the fstab forms through mount.fuse3, option mistakes caught before the
 * network, and the mount foot-guns (a file as mountpoint, mounting twice, ro). The emulator's
 * counters are the oracle for "nothing was sent". */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <grp.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define FUSE_SUPER_MAGIC 0x65735546
#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define R_DELETE "DELETE /v2/{project_id}/desktops/{desktop_id}"

static const char *const TENANT[] = { "--desktops", "6", "--users", "4", "--seed", "3", NULL };

/* The unprivileged user the tests act as. */
#define OTHER_UID 65534
#define OTHER_GID 65534


static gint64 total_requests(Mount *m)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	gint64 n = (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total"));

	cJSON_Delete(stats);
	return n;
}

static char *first_in(Mount *m, const char *dir)
{
	g_autoptr(GPtrArray) names = harness_list(m, dir);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

static gboolean is_fuse_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == FUSE_SUPER_MAGIC;
}

/* The /proc/mounts fields (source, target, type, options, ...) of the mount on path. */
static GStrv proc_mount(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;

	g_assert_true(g_file_get_contents("/proc/mounts", &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (int i = 0; lines[i]; i++) {
		GStrv f = g_strsplit(lines[i], " ", -1);

		if (g_strv_length(f) >= 4 && strcmp(f[1], path) == 0)
			return f;
		g_strfreev(f);
	}
	return NULL;
}

static gboolean has_mount_option(GStrv fields, const char *opt)
{
	g_auto(GStrv) opts = g_strsplit(fields[3], ",", -1);

	return g_strv_contains((const char *const *)opts, opt);
}

/* ---- acting as another user ---- */

typedef enum { OP_READ, OP_WRITE, OP_RMDIR, OP_WRITE_FD } Op;

/* Who a child acts as: another user, or the mount's owner (root here) without the
 * capabilities that bypass file modes, as an owner that is not root. */
typedef enum { AS_OTHER, AS_PLAIN_OWNER } Who;

static gboolean become(Who who)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct none[2] = { { 0 } };

	if (who == AS_PLAIN_OWNER)
		return syscall(SYS_capset, &hdr, none) == 0;
	return setgroups(0, NULL) == 0 && setresgid(OTHER_GID, OTHER_GID, OTHER_GID) == 0 &&
	       setresuid(OTHER_UID, OTHER_UID, OTHER_UID) == 0;
}

/* Runs op on path (or on fd, opened by the caller) in a child that acts as who: 0 or the
 * errno of the first failing step. Only system calls after fork. */
static int as_user(Who who, Op op, const char *path, int fd, const char *text)
{
	int status = -1;
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		char buf[256];
		size_t len = text ? strlen(text) : 0;

		if (!become(who))
			_exit(200);
		switch (op) {
		case OP_READ:
			fd = open(path, O_RDONLY);
			if (fd < 0)
				_exit(errno);
			if (read(fd, buf, sizeof(buf)) <= 0)
				_exit(errno ? errno : 201);
			_exit(0);
		case OP_WRITE:
			fd = open(path, O_WRONLY | O_TRUNC);
			if (fd < 0)
				_exit(errno);
			G_GNUC_FALLTHROUGH;
		case OP_WRITE_FD:
			if (write(fd, text, len) != (ssize_t)len)
				_exit(errno ? errno : 202);
			_exit(close(fd) == 0 ? 0 : errno);
		case OP_RMDIR:
			_exit(rmdir(path) == 0 ? 0 : errno);
		}
		_exit(203);
	}
	if (fd >= 0)
		close(fd);	/* the child holds it now; this close flushes nothing written */
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), <, 200);
	return WEXITSTATUS(status);
}

static int as_other(Op op, const char *path, int fd, const char *text)
{
	return as_user(AS_OTHER, op, path, fd, text);
}

static int other_at(Mount *m, Op op, const char *rel, const char *text)
{
	g_autofree char *path = harness_path(m, rel);

	return as_other(op, path, -1, text);
}

/* The test's files must be reachable by the other user. */
static void open_workdir(Mount *m)
{
	g_assert_no_errno(chmod(m->workdir, 0755));
}

static int audit_count(Mount *m, const char *needle)
{
	g_autofree char *audit = harness_read(m, ".wksfs/audit");
	g_auto(GStrv) lines = g_strsplit(audit ? audit : "", "\n", -1);
	int n = 0;

	for (int i = 0; lines[i]; i++)
		n += strstr(lines[i], needle) != NULL;
	return n;
}

/* With allow_other, another user reads what the modes allow and cannot act at all: the
 * kernel refuses (default_permissions, owner-only write bits), nothing is sent. */
static void test_other_user_refused(void)
{
	Mount *m = harness_start(TENANT, "allow_other,allow_delete");

	if (!m)
		return;
	open_workdir(m);
	g_autofree char *d = first_in(m, "desktops");
	g_autofree char *u = first_in(m, "users");
	g_autofree char *status = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *email = g_strdup_printf("users/%s/email", u);
	g_autofree char *lock = g_strdup_printf("users/%s/action", u);
	g_autofree char *dir = g_strdup_printf("desktops/%s", d);
	g_auto(GStrv) fields = proc_mount(m->mnt);

	g_assert_nonnull(fields);
	g_assert_true(has_mount_option(fields, "default_permissions"));
	g_assert_true(has_mount_option(fields, "allow_other"));

	g_assert_cmpint(other_at(m, OP_READ, status, NULL), ==, 0);
	g_assert_cmpint(other_at(m, OP_READ, "README", NULL), ==, 0);
	g_assert_cmpint(other_at(m, OP_WRITE, action, "stop\n"), ==, EACCES);
	g_assert_cmpint(other_at(m, OP_WRITE, email, "x@example.com\n"), ==, EACCES);
	g_assert_cmpint(other_at(m, OP_WRITE, lock, "lock\n"), ==, EACCES);
	g_assert_cmpint(other_at(m, OP_WRITE, ".wksfs/ctl", "forget\n"), ==, EACCES);
	g_assert_cmpint(other_at(m, OP_RMDIR, dir, NULL), ==, EACCES);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	/* The kernel refused them all: none reached wksfs. */
	g_assert_cmpint(audit_count(m, "refused"), ==, 0);

	/* The owner still acts. */
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	harness_stop(m);
}

/* A descriptor the owner opened, written by another user (passed over a socket, inherited
 * across a setuid): the daemon itself refuses, audits, and sends nothing. */
static void test_other_user_descriptor(void)
{
	Mount *m = harness_start(TENANT, "allow_other");

	if (!m)
		return;
	open_workdir(m);
	g_autofree char *d = first_in(m, "desktops");
	g_autofree char *u = first_in(m, "users");
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *email = g_strdup_printf("users/%s/email", u);
	g_autofree char *lock = g_strdup_printf("users/%s/action", u);
	const char *const files[][2] = {
		{ action, "stop\n" },
		{ email, "x@example.com\n" },
		{ lock, "lock\n" },
		{ ".wksfs/ctl", "forget\n" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *path = harness_path(m, files[i][0]);
		int fd = open(path, O_WRONLY | O_TRUNC);

		g_assert_no_errno(fd);
		g_test_message("%s, written by uid %d", files[i][0], OTHER_UID);
		g_assert_cmpint(as_other(OP_WRITE_FD, NULL, fd, files[i][1]), ==, EACCES);
	}
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_cmpint(audit_count(m, "refused: uid 65534 does not own this mount"), ==, 4);
	harness_stop(m);
}

/* ---- spawning wksfs by hand ---- */

static void child_setup(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

static GPid spawn(Mount *m, const char *const *argv)
{
	g_autoptr(GError) error = NULL;
	int fd = open(m->fs_log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	GPid pid = 0;

	g_assert_no_errno(fd);
	if (!g_spawn_async_with_fds(NULL, (char **)argv, m->env,
				    G_SPAWN_DO_NOT_REAP_CHILD, child_setup, NULL, &pid, -1, fd,
				    fd, &error))
		g_error("spawn %s: %s", argv[0], error->message);
	close(fd);
	return pid;
}

static gboolean wait_exit(GPid pid, int seconds, int *ret_status)
{
	gint64 deadline = g_get_monotonic_time() + seconds * G_USEC_PER_SEC;

	while (g_get_monotonic_time() < deadline) {
		if (waitpid(pid, ret_status, WNOHANG) == pid)
			return TRUE;
		g_usleep(10 * 1000);
	}
	return FALSE;
}

static void unmount_path(const char *path)
{
	const char *lazy[] = { "fusermount3", "-u", "-z", path, NULL };

	g_spawn_sync(NULL, (char **)lazy, NULL, G_SPAWN_SEARCH_PATH |
		     G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
		     NULL, NULL, NULL, NULL, NULL, NULL);
}

/* Runs wksfs -f on mnt, expecting it to give up: its exit status, its output in
 * *ret_output, the seconds it took. A wksfs that mounted instead is unmounted and the
 * test fails. */
static int run_refused(Mount *m, const char *mnt, const char *options, char **ret_output,
		       double *ret_seconds)
{
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *opts = options ? g_strdup_printf("auto_unmount,%s", options) : NULL;
	const char *argv[] = { g_getenv("WKSFS_BIN"), "-f", mnt, opts ? "-o" : NULL, opts, NULL };
	gint64 t0 = g_get_monotonic_time();
	int status = -1;
	GPid pid = spawn(m, argv);

	if (!wait_exit(pid, 20, &status)) {
		g_test_fail_printf("wksfs %s %s still running after 20 s", mnt, opts);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		unmount_path(mnt);
	}
	*ret_seconds = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;
	g_assert_true(g_file_get_contents(m->fs_log, ret_output, NULL, NULL));
	g_test_message("wksfs -o %s: %s", opts, *ret_output);
	return status;
}

/* A listener that accepts connections and never answers: an endpoint that hangs. */
static int silent_listener(int *ret_port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	g_assert_no_errno(fd);
	g_assert_no_errno(bind(fd, (struct sockaddr *)&a, sizeof(a)));
	g_assert_no_errno(listen(fd, 64));
	g_assert_no_errno(getsockname(fd, (struct sockaddr *)&a, &len));
	*ret_port = ntohs(a.sin_port);
	return fd;
}

/* Each mistake fails at once, naming the option, with an endpoint that would hang the
 * probe for its whole timeout; nothing is mounted. */
static void test_bad_options(void)
{
	static const char *const bad[][2] = {
		{ "tll=60", "tll=60" },
		{ "ttl=5x", "ttl=5x" },
		{ "ttl=-1", "ttl=-1" },
		{ "ttl=", "ttl=" },
		{ "ttl=1.5h", "ttl=1.5h" },
		{ "ttl_desktops=5q", "ttl_desktops=5q" },
		{ "ttl_nosuchkind=5", "ttl_nosuchkind=5" },
		{ "negative_ttl=5 s", "negative_ttl=5 s" },
		{ "timeout=0", "timeout=0" },
		{ "connect_timeout=ten", "connect_timeout=ten" },
		{ "session_window=1d", "session_window=1d" },
		{ "wait_timeout=10mm", "wait_timeout=10mm" },
		{ "max_cache_mb=12k", "max_cache_mb=12k" },
		{ "retries=3x", "retries=3x" },
		{ "retries=21", "retries=21" },
		{ "max_conns=8x", "max_conns=8x" },
		{ "max_conns=99999999999999999999", "max_conns=99999999999999999999" },
		{ "endpoint=ftp://example.com", "endpoint=ftp://example.com" },
	};
	Mount *m = harness_emulator_or_skip(NULL);
	int port = 0;
	int listener;

	if (!m)
		return;
	listener = silent_listener(&port);
	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autofree char *opts = NULL;
		g_autofree char *out = NULL;
		double secs = 0;
		int status;

		/* The endpoint first: a bad endpoint= given later overrides it. */
		opts = g_strdup_printf("endpoint=http://127.0.0.1:%d,%s", port, bad[i][0]);
		status = run_refused(m, m->mnt, opts, &out, &secs);
		g_assert_true(WIFEXITED(status));
		g_assert_cmpint(WEXITSTATUS(status), !=, 0);
		g_assert_nonnull(strstr(out, bad[i][1]));
		g_assert_cmpfloat(secs, <, 5.0);	/* the probe would hang for 30 s */
		g_assert_false(is_fuse_mount(m->mnt));
	}
	close(listener);

	/* wksfs alone: how to call it. */
	g_autofree char *out = NULL;
	const char *alone[] = { g_getenv("WKSFS_BIN"), NULL };
	int status = -1;
	GPid pid = spawn(m, alone);

	g_assert_true(wait_exit(pid, 20, &status));
	g_assert_true(g_file_get_contents(m->fs_log, &out, NULL, NULL));
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 0);
	g_assert_nonnull(strstr(out, "usage:"));
	g_assert_nonnull(strstr(out, "MOUNTPOINT"));
	g_assert_cmpint(total_requests(m), ==, 0);
	harness_stop(m);
}

/* Durations take s, m and h: ttl=1m keeps a listing for a minute, not one second. */
static void test_durations(void)
{
	Mount *m = harness_start(TENANT, "ttl=1m,negative_ttl=1m,timeout=1m,connect_timeout=10s,"
					 "session_window=24h,wait_timeout=10m,ttl_users=1h");

	if (!m)
		return;
	g_autoptr(GPtrArray) first = harness_list(m, "desktops");
	gint64 listed = harness_route_count(m, R_LIST);

	g_assert_cmpint(listed, >=, 1);
	/* No condition to poll: the claim is about time passing. */
	g_usleep(2500 * 1000);
	g_autoptr(GPtrArray) again = harness_list(m, "desktops");
	g_assert_cmpuint(again->len, ==, first->len);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, listed);
	harness_stop(m);
}

/* ---- foot-guns ---- */

/* A file as mountpoint, and a second mount on a mounted path: one line, no request. */
static void test_refused_mountpoints(void)
{
	Mount *m = harness_start(TENANT, NULL);

	if (!m)
		return;
	g_autofree char *file = g_build_filename(m->workdir, "afile", NULL);
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *opts = g_strdup_printf("endpoint=%s", endpoint);
	g_autofree char *out = NULL, *out2 = NULL;
	double secs = 0;
	int status;

	g_assert_true(g_file_set_contents(file, "", 0, NULL));
	harness_reset_stats(m);
	status = run_refused(m, file, opts, &out, &secs);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 0);
	g_assert_nonnull(strstr(out, "not a directory"));
	g_assert_false(is_fuse_mount(file));
	g_unlink(file);

	status = run_refused(m, m->mnt, opts, &out2, &secs);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 0);
	g_assert_nonnull(strstr(out2, "already a mount point"));
	g_assert_cmpint(total_requests(m), ==, 0);
	/* The first mount is untouched, and alone on the path. */
	g_autofree char *readme = harness_read(m, "README");
	g_assert_nonnull(readme);
	g_autofree char *mounts = NULL;
	g_autofree char *needle = g_strdup_printf(" %s ", m->mnt);
	g_assert_true(g_file_get_contents("/proc/mounts", &mounts, NULL, NULL));
	g_assert_nonnull(strstr(mounts, needle));
	g_assert_null(strstr(strstr(mounts, needle) + 1, needle));
	harness_stop(m);
}

/* -o ro reaches the kernel: /proc/mounts says ro, writes fail with EROFS, nothing sent. */
static void test_read_only_kernel(void)
{
	Mount *m = harness_start(TENANT, "ro");

	if (!m)
		return;
	g_auto(GStrv) fields = proc_mount(m->mnt);
	g_autofree char *d = first_in(m, "desktops");
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);

	g_assert_nonnull(fields);
	g_assert_true(has_mount_option(fields, "ro"));
	g_assert_false(has_mount_option(fields, "rw"));
	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, EROFS);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	harness_stop(m);
}

/* An owner that is not root (here: root without CAP_DAC_OVERRIDE, whom the kernel holds to
 * the owner's mode bits under default_permissions) can still rmdir with allow_delete: the
 * directories rmdir deletes in carry the owner's write bit. */
static void test_plain_owner(void)
{
	Mount *m = harness_start(TENANT, "allow_other,allow_delete");

	if (!m)
		return;
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_assert_cmpuint(desktops->len, >=, 2);
	/* Two desktops: one being stopped cannot be deleted (409) meanwhile. */
	g_autofree char *action = g_strdup_printf("desktops/%s/action",
						  (char *)desktops->pdata[0]);
	g_autofree char *action_path = harness_path(m, action);
	g_autofree char *dir_path = g_strdup_printf("%s/desktops/%s", m->mnt,
						    (char *)desktops->pdata[1]);

	g_assert_cmpint(as_user(AS_PLAIN_OWNER, OP_WRITE, action_path, -1, "stop\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	g_assert_cmpint(as_user(AS_PLAIN_OWNER, OP_RMDIR, dir_path, -1, NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DELETE), ==, 1);
	harness_stop(m);
}

/* ---- fstab: mount.fuse3 ---- */

static GPid find_daemon(const char *mnt)
{
	g_autoptr(GDir) proc = g_dir_open("/proc", 0, NULL);
	const char *name;

	while (proc && (name = g_dir_read_name(proc))) {
		g_autofree char *path = g_strdup_printf("/proc/%s/cmdline", name);
		g_autofree char *cmd = NULL;
		gsize len = 0;
		gboolean wksfs = FALSE, at = FALSE;

		if (!g_ascii_isdigit(name[0]) || !g_file_get_contents(path, &cmd, &len, NULL))
			continue;
		for (const char *a = cmd; a < cmd + len; a += strlen(a) + 1) {
			wksfs = wksfs || (a == cmd && g_str_has_suffix(a, "wksfs"));
			at = at || strcmp(a, mnt) == 0;
		}
		if (wksfs && at)
			return atoi(name);
	}
	return 0;
}

static gboolean process_gone(GPid pid)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/status", pid);
	g_autofree char *text = NULL;

	return !g_file_get_contents(path, &text, NULL, NULL) || strstr(text, "State:\tZ");
}

/* mount.fuse3 SOURCE MNT [-t TYPE] -o ..., as mount(8) runs it for an fstab line; the
 * mount's source and type. */
static void mount_helper(Mount *m, const char *source, const char *type,
			 const char *want_source)
{
	g_autofree char *bindir = g_path_get_dirname(g_getenv("WKSFS_BIN"));
	g_autofree char *path = g_strconcat(bindir, ":", g_getenv("PATH"), NULL);
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *opts = g_strdup_printf("_netdev,endpoint=%s,ttl=1m,allow_other",
						endpoint);
	const char *argv[] = { "/sbin/mount.fuse3", source, m->mnt, "-o", opts,
			       type ? "-t" : NULL, type, NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = -1;
	GPid daemon;

	harness_setenv(m, "PATH", path);
	g_assert_true(g_spawn_sync(NULL, (char **)argv, m->env, 0, NULL, NULL, &out, &err,
				   &status, &error));
	g_test_message("mount.fuse3 %s: %s%s", source, out, err);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	g_assert_true(is_fuse_mount(m->mnt));
	daemon = find_daemon(m->mnt);
	g_assert_cmpint(daemon, >, 0);

	g_auto(GStrv) fields = proc_mount(m->mnt);
	g_assert_nonnull(fields);
	g_assert_cmpstr(fields[0], ==, want_source);
	g_assert_cmpstr(fields[2], ==, "fuse.wksfs");
	g_assert_true(has_mount_option(fields, "default_permissions"));
	g_autofree char *readme = harness_read(m, "README");
	g_assert_nonnull(readme);

	const char *umount[] = { "fusermount3", "-u", m->mnt, NULL };
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	g_assert_true(g_spawn_sync(NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, NULL, &status, NULL));
	g_assert_cmpint(status, ==, 0);
	while (!process_gone(daemon) && g_get_monotonic_time() < deadline)
		g_usleep(20 * 1000);
	if (!process_gone(daemon)) {
		kill(daemon, SIGKILL);
		g_test_fail_printf("the daemon outlived its mount");
	}
}

static void test_fstab_forms(void)
{
	Mount *m;

	if (!g_file_test("/sbin/mount.fuse3", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("/sbin/mount.fuse3 (package fuse3) is not installed");
		return;
	}
	m = harness_emulator_or_skip(TENANT);
	if (!m)
		return;
	/* wksfs  /mnt/wks  fuse.wksfs  ...: mount(8) names the subtype with -t */
	mount_helper(m, "wksfs", "fuse.wksfs", "wksfs");
	mount_helper(m, "tenant-a", "fuse.wksfs", "tenant-a");
	/* wksfs#tenant-a  /mnt/wks  fuse  ... */
	mount_helper(m, "wksfs#tenant-a", NULL, "tenant-a");
	/* wksfs#  /mnt/wks  fuse  ... (no source: the default name) */
	mount_helper(m, "wksfs#", NULL, "wksfs");
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/mounting/other-user-refused", test_other_user_refused);
	g_test_add_func("/mounting/other-user-descriptor", test_other_user_descriptor);
	g_test_add_func("/mounting/plain-owner", test_plain_owner);
	g_test_add_func("/mounting/fstab-forms", test_fstab_forms);
	g_test_add_func("/mounting/bad-options", test_bad_options);
	g_test_add_func("/mounting/durations", test_durations);
	g_test_add_func("/mounting/refused-mountpoints", test_refused_mountpoints);
	g_test_add_func("/mounting/read-only-kernel", test_read_only_kernel);
	return g_test_run();
}
