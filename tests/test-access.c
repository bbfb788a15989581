/* test-access.c — who can reach the daemon and its secrets (issue 11, "Secrets and
 * access"):
 *   - the daemon is not dumpable unless -o dumpable. The oracle is the kernel's, from
 *     outside: proc(5) gives a process's /proc/PID files its effective uid and gid, except
 *     root:root while it is not dumpable. The daemon runs as root (FUSE needs it here:
 *     /dev/fuse is root's alone, so a non-root mount through fusermount3 cannot be tried)
 *     with group nogroup, so /proc/PID belongs to group 65534 exactly when it is dumpable.
 *   - without allow_other, another uid gets EACCES on every path; with it, it reads what
 *     the modes allow and cannot write, and nothing is sent;
 *   - -o insecure (no TLS verification) says so at warning level in the log at each start,
 *     and without it an untrusted certificate is refused.
 */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

static char *slurp(const char *path)
{
	char *text = NULL;

	return g_file_get_contents(path, &text, NULL, NULL) ? text : g_strdup("");
}

/* The daemon's group becomes nogroup before it starts; its uid stays root. */
static void as_nogroup(gpointer data)
{
	if (setgroups(0, NULL) != 0 || setresgid(NOBODY, NOBODY, NOBODY) != 0)
		_exit(126);
	prctl(PR_SET_PDEATHSIG, SIGKILL);	/* after the change, which clears it */
}

/* The group of /proc/PID/FILE, as the kernel shows it to everyone. */
static gid_t proc_group(GPid pid, const char *file)
{
	g_autofree char *path = g_strdup_printf("/proc/%d/%s", (int)pid, file);
	struct stat st;

	g_assert_no_errno(stat(path, &st));
	return st.st_gid;
}

static void test_dumpable(void)
{
	for (int dumpable = 0; dumpable <= 1; dumpable++) {
		Mount *m = harness_emulator_or_skip(NULL);

		if (!m)
			return;
		if (!harness_mount_with(m, "-f", dumpable ? "dumpable" : NULL, as_nogroup)) {
			g_test_fail_printf("wksfs (group nogroup) did not mount");
			harness_stop(m);
			return;
		}
		/* The probe ran, the mount is up: the daemon is past reading credentials. */
		g_autofree char *status_path = g_strdup_printf("/proc/%d/status", (int)m->fs_pid);
		g_autofree char *status = slurp(status_path);
		g_assert_nonnull(strstr(status, "\nGid:\t65534\t65534\t65534\t65534\n"));
		g_assert_nonnull(strstr(status, "\nUid:\t0\t0\t0\t0\n"));
		for (int i = 0; i < 3; i++) {
			static const char *const files[] = { "status", "environ", "mem" };

			g_assert_cmpuint(proc_group(m->fs_pid, files[i]), ==,
					 dumpable ? NOBODY : 0);
		}
		harness_stop(m);
	}
}

/* Runs fn(path, flags) as uid and gid nobody in a child: 0 or the errno. */
typedef enum { TRY_STAT, TRY_READ, TRY_LIST, TRY_WRITE } Try;

static int as_nobody(const char *path, Try what)
{
	pid_t pid = fork();
	int status = 0;

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		struct stat st;
		DIR *d;
		int fd, rc = 0;
		char buf[64];

		if (setgroups(0, NULL) != 0 || setresgid(NOBODY, NOBODY, NOBODY) != 0 ||
		    setresuid(NOBODY, NOBODY, NOBODY) != 0)
			_exit(250);
		switch (what) {
		case TRY_STAT:
			rc = lstat(path, &st);
			break;
		case TRY_READ:
			fd = open(path, O_RDONLY);
			rc = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf));
			break;
		case TRY_LIST:
			d = opendir(path);
			rc = d && readdir(d) ? 0 : -1;
			break;
		case TRY_WRITE:
			fd = open(path, O_WRONLY | O_TRUNC);
			rc = fd < 0 ? -1 : (int)write(fd, "x@example.com\n", 14);
			break;
		}
		_exit(rc < 0 ? errno : 0);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 250);
	return WEXITSTATUS(status);
}

static char *first(Mount *m, const char *rel)
{
	g_autoptr(GPtrArray) names = harness_list(m, rel);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

/* Without allow_other another uid gets EACCES on every path; with it, reads work and
 * writes fail with EACCES; nothing is sent either way. */
static void test_other_uid(void)
{
	const char *args[] = { "--desktops", "2", "--users", "2", NULL };

	for (int allow = 0; allow <= 1; allow++) {
		Mount *m = harness_start(args, allow ? "ttl=60,allow_other" : "ttl=60");

		if (!m)
			return;
		/* nobody may reach the mountpoint itself: what refuses it is the mount. */
		g_assert_no_errno(chmod(m->workdir, 0755));
		g_assert_cmpint(as_nobody(m->workdir, TRY_LIST), ==, 0);
		g_autofree char *desktop = first(m, "desktops");
		g_autofree char *user = first(m, "users");
		char *rels[] = {
			g_strdup(""), g_strdup("desktops"), g_strdup_printf("desktops/%s", desktop),
			g_strdup_printf("desktops/%s/status", desktop),
			g_strdup_printf("desktops/%s/action", desktop),
			g_strdup_printf("desktops/%s/tags", desktop),
			g_strdup_printf("users/%s/email", user), g_strdup("users/.create"),
			g_strdup("desktops.jsonl"), g_strdup("README"), g_strdup(".wksfs"),
			g_strdup(".wksfs/ctl"), g_strdup(".wksfs/errors"),
		};

		harness_reset_stats(m);
		for (gsize i = 0; i < G_N_ELEMENTS(rels); i++) {
			g_autofree char *path = harness_path(m, rels[i]);
			struct stat st;
			gboolean dir;

			g_assert_no_errno(lstat(path, &st));
			dir = S_ISDIR(st.st_mode);
			if (!allow) {
				g_assert_cmpint(as_nobody(path, TRY_STAT), ==, EACCES);
				g_assert_cmpint(as_nobody(path, dir ? TRY_LIST : TRY_READ), ==,
						EACCES);
				if (!dir)
					g_assert_cmpint(as_nobody(path, TRY_WRITE), ==, EACCES);
				continue;
			}
			g_assert_cmpint(as_nobody(path, TRY_STAT), ==, 0);
			if (dir)
				g_assert_cmpint(as_nobody(path, TRY_LIST), ==, 0);
			else if (!g_str_has_suffix(rels[i], ".create"))
				g_assert_cmpint(as_nobody(path, TRY_READ), ==, 0);
			if (!dir)
				g_assert_cmpint(as_nobody(path, TRY_WRITE), ==, EACCES);
		}
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		for (gsize i = 0; i < G_N_ELEMENTS(rels); i++)
			g_free(rels[i]);
		harness_stop(m);
	}
}

#define INSECURE_LINE "Z wksfs\\[\\d+\\] warning wksfs: -o insecure: TLS certificates are " \
		      "NOT verified"

static guint count_matching(const char *text, const char *pattern)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = 0;

	for (int i = 0; lines[i]; i++)
		n += g_regex_match_simple(pattern, lines[i], 0, 0);
	return n;
}

/* -o insecure against a certificate nobody trusts: it mounts, and the log has the warning
 * once per start; without it (and without cafile=) the mount is refused. */
static void test_insecure_warns(void)
{
	Mount *m = harness_emulator_tls(NULL);

	if (!m)
		return;
	g_autofree char *log_path = g_build_filename(m->workdir, "wksfs.log", NULL);
	g_autofree char *opts = g_strdup_printf("insecure,log_file=%s", log_path);

	for (int start = 1; start <= 2; start++) {
		g_assert_true(harness_mount(m, opts));
		g_autofree char *version = harness_read(m, ".wksfs/version");
		g_assert_nonnull(version);
		g_autofree char *dummy = harness_read(m, "desktops.jsonl");
		g_assert_nonnull(dummy);
		harness_unmount_only(m);
		g_autofree char *log = slurp(log_path);
		g_assert_cmpuint(count_matching(log, INSECURE_LINE), ==, start);
	}
	g_autofree char *plain_log = g_build_filename(m->workdir, "plain.log", NULL);
	g_autofree char *plain = g_strdup_printf("log_file=%s", plain_log);
	g_assert_false(harness_mount(m, plain));
	g_autofree char *out = slurp(m->fs_log);
	g_assert_nonnull(strstr(out, "certificate"));
	g_autofree char *log = slurp(plain_log);
	g_assert_cmpuint(count_matching(log, "insecure"), ==, 0);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/access/not-dumpable", test_dumpable);
	g_test_add_func("/access/other-uid", test_other_uid);
	g_test_add_func("/access/insecure-warns", test_insecure_warns);
	return g_test_run();
}
