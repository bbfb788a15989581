/* test-admin.c — what an admin runs into first, mounted for real: two tenants from two
 * fstab lines (-o credentials_file=, -o profile=), credentials and log/audit files refused
 * before any request, -d as one line per API request and no secret, libfuse's trace only
 * with -o fuse_debug, going offline and coming back (and throttling) in the log, and
 * -o audit_file: logfmt lines a parser reads back, on disk before write() returns, kept
 * across unmounts. The emulator's counters are the oracle for "one line per request" and
 * "nothing sent". */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tests/logfmt.h"

#define FUSE_SUPER_MAGIC 0x65735546
#define PROJECT_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define PROJECT_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define FAULTS_OFF "{\"fail_rate\": 0, \"methods\": \"\", \"route\": \"\"}"

static const char *const TENANT_A[] = { "--ak", "TENANTAKEYAAAA", "--sk", "TENANTASECRETAAAA",
					"--project-id", PROJECT_A, "--desktops", "3",
					"--users", "2", "--seed", "1", NULL };
static const char *const TENANT_B[] = { "--ak", "TENANTBKEYBBBB", "--sk", "TENANTBSECRETBBBB",
					"--project-id", PROJECT_B, "--desktops", "5",
					"--users", "3", "--seed", "2", NULL };
#define PROFILES \
	"[basic]\nak = EMULATORAK\nsk = EMULATORSK\n" \
	"[tenant-a]\nak = TENANTAKEYAAAA\nsk = TENANTASECRETAAAA\nproject_id = " PROJECT_A "\n" \
	"[tenant-b]\nak = TENANTBKEYBBBB\nsk = TENANTBSECRETBBBB\nproject_id = " PROJECT_B "\n"

static gboolean is_fuse_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && (unsigned long)sfs.f_type == FUSE_SUPER_MAGIC;
}

static char *write_file(const char *dir, const char *name, const char *text, int mode)
{
	char *path = g_build_filename(dir, name, NULL);

	g_assert_true(g_file_set_contents(path, text, -1, NULL));
	g_assert_no_errno(g_chmod(path, mode));
	return path;
}

static char *slurp(const char *path)
{
	char *text = NULL;

	return g_file_get_contents(path, &text, NULL, NULL) ? text : g_strdup("");
}

static gint64 total_requests(Mount *m)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	gint64 n = (gint64)cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total"));

	cJSON_Delete(stats);
	return n;
}

static void child_setup(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
}

/* wksfs -f on m's mountpoint with options, expected to give up: its output, and the test
 * fails unless it exited non-zero within 5 s, unmounted, with one line. */
static char *run_refused(Mount *m, const char *options)
{
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *opts = g_strdup_printf("endpoint=%s,auto_unmount,%s", endpoint,
						options);
	const char *argv[] = { g_getenv("WKSFS_BIN"), "-f", "-o", opts, m->mnt, NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	gint64 t0 = g_get_monotonic_time();
	int status = -1;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, m->env, 0, child_setup, NULL, &out,
				   &err, &status, &error));
	g_test_message("-o %s: %s%s", options, out, err);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), !=, 0);
	g_assert_cmpfloat((double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC, <, 5.0);
	g_assert_false(is_fuse_mount(m->mnt));
	/* One line, the reason: nothing of the log before it. */
	g_autofree char *all = g_strconcat(out, err, NULL);
	g_assert_true(g_str_has_suffix(all, "\n"));
	g_assert_true(strchr(all, '\n') == all + strlen(all) - 1);
	return g_steal_pointer(&all);
}

/* ---- credentials ---- */

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

/* mount.fuse3 SOURCE MNT -o OPTIONS, as mount(8) runs it for the fstab line
 * "SOURCE MNT fuse OPTIONS": the daemon's pid, 0 if it did not mount. */
static GPid fstab_mount(Mount *m, const char *source, const char *options)
{
	g_autofree char *bindir = g_path_get_dirname(g_getenv("WKSFS_BIN"));
	g_autofree char *path = g_strconcat(bindir, ":", g_getenv("PATH"), NULL);
	const char *argv[] = { "/sbin/mount.fuse3", source, m->mnt, "-o", options, NULL };
	g_autofree char *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	int status = -1;

	harness_setenv(m, "PATH", path);
	g_assert_true(g_spawn_sync(NULL, (char **)argv, m->env, 0, NULL, NULL, &out, &err,
				   &status, &error));
	g_test_message("mount.fuse3 %s %s -o %s: %s%s", source, m->mnt, options, out, err);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_fuse_mount(m->mnt))
		return 0;
	return find_daemon(m->mnt);
}

static void fstab_unmount(const char *mnt, GPid daemon)
{
	const char *umount[] = { "fusermount3", "-u", "-z", mnt, NULL };
	g_autofree char *status = g_strdup_printf("/proc/%d/status", daemon);
	gint64 deadline = g_get_monotonic_time() + 20 * G_USEC_PER_SEC;

	g_spawn_sync(NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
		     NULL, NULL);
	for (;;) {
		g_autofree char *text = NULL;

		if (daemon <= 0 || !g_file_get_contents(status, &text, NULL, NULL) ||
		    strstr(text, "State:\tZ"))
			return;
		if (g_get_monotonic_time() > deadline) {
			kill(daemon, SIGKILL);
			g_test_fail_printf("the daemon on %s outlived its mount", mnt);
			return;
		}
		g_usleep(20 * 1000);
	}
}

/* Two fstab lines, two tenants, one credentials file with a profile each. The environment
 * holds keys neither emulator accepts: a mount that named its profile must not use them. */
static void test_two_tenants_fstab(void)
{
	if (!g_file_test("/sbin/mount.fuse3", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("/sbin/mount.fuse3 (package fuse3) is not installed");
		return;
	}
	Mount *a = harness_emulator_or_skip(TENANT_A);
	if (!a)
		return;
	Mount *b = harness_emulator(TENANT_B);
	g_autofree char *creds = write_file(a->workdir, "credentials", PROFILES, 0600);
	g_autofree char *log_a = g_build_filename(a->workdir, "a.log", NULL);
	g_autofree char *log_b = g_build_filename(b->workdir, "b.log", NULL);
	g_autofree char *ep_a = harness_endpoint(a), *ep_b = harness_endpoint(b);
	g_autofree char *opts_a = g_strdup_printf("_netdev,endpoint=%s,credentials_file=%s,"
						  "profile=tenant-a,log_file=%s,auto_unmount",
						  ep_a, creds, log_a);
	g_autofree char *opts_b = g_strdup_printf("_netdev,endpoint=%s,credentials_file=%s,"
						  "profile=tenant-b,log_file=%s,auto_unmount",
						  ep_b, creds, log_b);
	GPid da = fstab_mount(a, "wksfs#tenant-a", opts_a);
	GPid db = fstab_mount(b, "wksfs#tenant-b", opts_b);

	if (da > 0 && db > 0) {
		g_autofree char *pa = harness_read(a, ".wksfs/project_id");
		g_autofree char *pb = harness_read(b, ".wksfs/project_id");
		g_autoptr(GPtrArray) desktops_a = harness_list(a, "desktops");
		g_autoptr(GPtrArray) desktops_b = harness_list(b, "desktops");

		g_assert_cmpstr(pa, ==, PROJECT_A "\n");
		g_assert_cmpstr(pb, ==, PROJECT_B "\n");
		g_assert_cmpuint(desktops_a->len, ==, 3);
		g_assert_cmpuint(desktops_b->len, ==, 5);
		g_assert_cmpint(harness_route_count(a, "GET /v2/{project_id}/desktops/detail"),
				>=, 1);
		g_assert_cmpint(harness_route_count(b, "GET /v2/{project_id}/desktops/detail"),
				>=, 1);
	} else {
		g_autofree char *la = slurp(log_a), *lb = slurp(log_b);

		g_test_fail_printf("fstab mounts: tenant-a %d, tenant-b %d\n%s\n%s", da, db, la,
				   lb);
	}
	fstab_unmount(a->mnt, da);
	fstab_unmount(b->mnt, db);

	/* The twin: tenant-b's profile against tenant-a's API is refused, before the mount. */
	g_autofree char *crossed = g_strdup_printf("credentials_file=%s,profile=tenant-b", creds);
	g_autofree char *out = run_refused(a, crossed);
	g_assert_nonnull(strstr(out, "refused the credentials"));
	g_assert_null(strstr(out, "TENANTBSECRET"));

	g_unlink(creds);
	g_unlink(log_a);
	g_unlink(log_b);
	harness_stop(b);
	harness_stop(a);
}

/* Every mistake in the credentials or the log and audit files fails in the terminal, with
 * one line naming it, before any request and without mounting. */
static void test_refused_before_mount(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	g_autofree char *good = write_file(m->workdir, "good", PROFILES, 0600);
	g_autofree char *open_file = write_file(m->workdir, "open", PROFILES, 0644);
	g_autofree char *missing = g_build_filename(m->workdir, "missing", NULL);
	const struct {
		char *options;
		const char *want[3];
	} cases[] = {
		{ g_strdup_printf("credentials_file=%s,profile=tenant-c", good),
		  { "has no profile [tenant-c]", "basic, tenant-a, tenant-b", NULL } },
		{ g_strdup_printf("credentials_file=%s,profile=tenant-a", open_file),
		  { "readable by group or others", "chmod 600", NULL } },
		{ g_strdup_printf("credentials_file=%s", missing),
		  { missing, "No such file or directory", NULL } },
		{ g_strdup_printf("credentials_file=%s", m->workdir),
		  { "not a regular file", NULL } },
		{ g_strdup_printf("log_file=%s/no/such/dir/log", m->workdir),
		  { "log_file:", "No such file or directory", NULL } },
		{ g_strdup_printf("audit_file=%s", m->workdir), { "audit_file:", NULL } },
		{ g_strdup("log_level=loud"), { "bad option log_level=loud", NULL } },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = run_refused(m, cases[i].options);

		for (int w = 0; w < 3 && cases[i].want[w]; w++)
			g_assert_nonnull(strstr(out, cases[i].want[w]));
		g_assert_null(strstr(out, "TENANTASECRET"));
		g_free(cases[i].options);
	}
	g_assert_cmpint(total_requests(m), ==, 0);
	g_unlink(good);
	g_unlink(open_file);
	harness_stop(m);
}

/* ---- logging ---- */

#define REQUEST_LINE "^\\S+Z wksfs\\[\\d+\\] debug wksfs-api: (GET|POST|PUT|PATCH|DELETE) " \
		     "/\\S* -> \\d{3} \\(\\d+ bytes, \\d+\\.\\d ms\\)$"

/* The lines of text that match pattern. */
static guint count_matching(const char *text, const char *pattern)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
	guint n = 0;

	for (int i = 0; lines[i]; i++)
		n += g_regex_match_simple(pattern, lines[i], 0, 0);
	return n;
}

static void assert_no_secret(const char *log, const char *const *secrets)
{
	for (int i = 0; secrets[i]; i++)
		if (strstr(log, secrets[i]))
			g_test_fail_printf("the log holds %s", secrets[i]);
	g_assert_null(strstr(log, "Signature="));
	g_assert_null(strstr(log, "Authorization"));
	g_assert_false(g_regex_match_simple("MII[A-Za-z0-9+/]{16}", log, 0, 0)); /* a token */
}

static void read_some(Mount *m)
{
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_autoptr(GPtrArray) users = harness_list(m, "users");

	for (guint i = 0; i < desktops->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)desktops->pdata[i]);
		g_autofree char *status = harness_read(m, rel);

		g_assert_nonnull(status);
	}
	g_autofree char *rel = g_strdup_printf("users/%s/info.json", (char *)users->pdata[0]);
	g_autofree char *info = harness_read(m, rel);
	g_assert_nonnull(info);
}

/* -d: one line per API request (method, path, status, bytes, ms) and nothing of the keys,
 * the temporary token or the signature; no libfuse trace, no max-threads line. */
static void test_debug_lines(void)
{
	static const char *const keys[] = { "--ak", "LOGTESTAK7Q2W", "--sk", "LOGTESTSK9Z8X7",
					    "--desktops", "6", "--users", "3", NULL };
	static const char *const secrets[] = { "LOGTESTAK7Q2W", "LOGTESTSK9Z8X7",
					       "LOGTESTTOKEN5R4E", NULL };
	Mount *m = harness_emulator_or_skip(keys);

	if (!m)
		return;
	g_autofree char *log_path = g_build_filename(m->workdir, "debug.log", NULL);
	g_autofree char *opts = g_strdup_printf("log_file=%s,ttl=60", log_path);

	harness_setenv(m, "HUAWEICLOUD_SDK_AK", "LOGTESTAK7Q2W");
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", "LOGTESTSK9Z8X7");
	harness_setenv(m, "HUAWEICLOUD_SDK_SECURITY_TOKEN", "LOGTESTTOKEN5R4E");
	g_assert_true(harness_mount_with(m, "-d", opts, NULL));
	gint64 before = total_requests(m);
	g_autofree char *at_mount = slurp(log_path);
	g_assert_cmpuint(count_matching(at_mount, REQUEST_LINE), ==, before);	/* the probe */

	read_some(m);
	gint64 after = total_requests(m);
	g_autofree char *log = slurp(log_path);
	g_test_message("%" G_GINT64_FORMAT " requests:\n%s", after, log);
	g_assert_cmpint(after, >, before);
	g_assert_cmpuint(count_matching(log, REQUEST_LINE), ==, after);
	g_assert_cmpuint(count_matching(log, " debug wksfs-api: GET /v2/\\S+/desktops/detail\\?"),
			 >=, 1);
	assert_no_secret(log, secrets);
	g_assert_null(strstr(log, "opcode"));
	g_assert_null(strstr(log, "unique:"));
	g_assert_null(strstr(log, "Ignoring invalid max threads"));
	/* All of it went to the file; the terminal got nothing. */
	g_autofree char *terminal = slurp(m->fs_log);
	g_assert_cmpstr(terminal, ==, "");
	harness_stop(m);
	g_unlink(log_path);
}

/* IAM password login at -o log_level=debug: the login is one request line too; neither the
 * password nor the token shows. And its twin: -o fuse_debug at the default level has
 * libfuse's trace but no request line. */
static void test_iam_and_fuse_debug(void)
{
	static const char *const args[] = { "--iam-password", "LOGTESTPASSWORD3E", NULL };
	static const char *const secrets[] = { "LOGTESTPASSWORD3E", NULL };
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return;
	g_autofree char *pw = write_file(m->workdir, "password", "LOGTESTPASSWORD3E\n", 0600);
	g_autofree char *log_path = g_build_filename(m->workdir, "iam.log", NULL);
	g_autofree char *opts = g_strdup_printf(
		"log_level=debug,log_file=%s,iam_endpoint=http://127.0.0.1:%d,iam_user=admin,"
		"iam_domain=demo-domain,password_file=%s,region=ap-southeast-1", log_path,
		m->port, pw);

	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HOME", m->workdir);
	g_assert_true(harness_mount(m, opts));
	read_some(m);
	gint64 total = total_requests(m);
	g_autofree char *log = slurp(log_path);
	g_test_message("%s", log);
	g_assert_cmpuint(count_matching(log, REQUEST_LINE), ==, total);
	g_assert_cmpuint(count_matching(log, " POST /v3/auth/tokens\\S* -> 201 "), ==,
			 harness_route_count(m, "POST /v3/auth/tokens"));
	assert_no_secret(log, secrets);
	harness_stop(m);
	g_unlink(log_path);
	g_unlink(pw);

	Mount *t = harness_emulator_or_skip(NULL);
	g_autofree char *trace_path = g_build_filename(t->workdir, "trace.log", NULL);
	g_autofree char *trace_opts = g_strdup_printf("fuse_debug,log_file=%s", trace_path);

	g_assert_true(harness_mount(t, trace_opts));
	read_some(t);
	g_autofree char *trace = slurp(trace_path);
	g_assert_cmpuint(count_matching(trace, " fuse: unique: \\d+, opcode: LOOKUP"), >=, 1);
	g_assert_cmpuint(count_matching(trace, REQUEST_LINE), ==, 0);
	harness_stop(t);
	g_unlink(trace_path);
}

/* Polls the log for a line matching pattern, for up to 10 s. */
static gboolean log_has(const char *path, const char *pattern)
{
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;

	do {
		g_autofree char *text = slurp(path);

		if (count_matching(text, pattern) > 0)
			return TRUE;
		g_usleep(50 * 1000);
	} while (g_get_monotonic_time() < deadline);
	return FALSE;
}

/* Whether listing the directory fails (opendir or readdir): 0, or the errno. */
/* Going offline is a warning, coming back a notice, throttling a warning; not a word of it
 * while the API answers. At the default level: no request lines. */
static void test_outage_lines(void)
{
	Mount *m = harness_emulator_or_skip(NULL);

	if (!m)
		return;
	g_autofree char *log_path = g_build_filename(m->workdir, "outage.log", NULL);
	g_autofree char *opts = g_strdup_printf("log_file=%s,retries=0", log_path);

	g_assert_true(harness_mount(m, opts));
	read_some(m);
	g_autofree char *calm = slurp(log_path);
	g_assert_cmpuint(count_matching(calm, " (warning|notice) "), ==, 0);
	g_assert_cmpuint(count_matching(calm, REQUEST_LINE), ==, 0);

	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\": 1.0, \"fail_status\": 503, \"methods\": \"\"}");
	g_assert_cmpint(harness_list_errno(m, "user-groups"), ==, EIO);
	g_autofree char *online = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(online, ==, "0\n");
	g_assert_true(log_has(log_path, "Z wksfs\\[\\d+\\] warning wksfs-api: offline: GET /v2/"
			      "\\S+ the API answered HTTP 503"));
	harness_emu_post(m, "/__emulator/faults", FAULTS_OFF);
	gint64 deadline = g_get_monotonic_time() + 10 * G_USEC_PER_SEC;
	while (harness_list_errno(m, "user-groups") != 0 && g_get_monotonic_time() < deadline)
		g_usleep(100 * 1000);
	g_assert_true(log_has(log_path, "Z wksfs\\[\\d+\\] notice wksfs-api: online again after "
			      "\\d+\\.\\d s: GET /v2/"));
	g_autofree char *back = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(back, ==, "1\n");

	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\": 1.0, \"fail_status\": 429, \"methods\": \"\"}");
	g_assert_cmpint(harness_list_errno(m, "app-servers"), ==, EAGAIN);
	g_assert_true(log_has(log_path, " warning wksfs-api: throttled: GET /v1/\\S+ -> HTTP 429 "
			      "APIG.0308"));
	harness_emu_post(m, "/__emulator/faults", FAULTS_OFF);
	g_autofree char *log = slurp(log_path);
	g_test_message("%s", log);
	harness_stop(m);
	g_unlink(log_path);
}

/* ---- the audit ---- */

/* As `echo VALUE > users/U/description` from a process whose name holds a quote, a
 * newline and a backslash: 0 or the errno. */
static int write_as(Mount *m, const char *comm, const char *rel, const char *value)
{
	g_autofree char *path = harness_path(m, rel);
	int status = -1;
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		int fd;

		prctl(PR_SET_NAME, comm);
		fd = open(path, O_WRONLY | O_TRUNC);
		if (fd < 0)
			_exit(errno);
		if (write(fd, value, strlen(value)) != (ssize_t)strlen(value))
			_exit(errno ? errno : 200);
		_exit(close(fd) == 0 ? 0 : errno);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Whether the JSON holds the string value anywhere. */
static gboolean json_holds(const cJSON *node, const char *value)
{
	const cJSON *child;

	if (cJSON_IsString(node) && strcmp(node->valuestring, value) == 0)
		return TRUE;
	cJSON_ArrayForEach(child, node)
		if (json_holds(child, value))
			return TRUE;
	return FALSE;
}

/* The audit line of path in text, parsed; NULL if there is none. */
static GStrv audit_line(const char *text, const char *path)
{
	g_auto(GStrv) lines = g_strsplit(text, "\n", -1);

	for (int i = 0; lines[i]; i++) {
		g_autofree char *why = NULL;
		GStrv f = lines[i][0] ? logfmt_parse(lines[i], &why) : NULL;

		if (lines[i][0] && !f)
			g_error("not logfmt (%s): %s", why, lines[i]);
		if (f && g_strcmp0(logfmt_get(f, "path"), path) == 0)
			return f;
		g_strfreev(f);
	}
	return NULL;
}

#define COMM "q\"uo\nte\\x"
#define VALUE "say \"hi\" \\ now"

static void check_audit_fields(GStrv f, const char *value)
{
	const char *request = logfmt_get(f, "request");
	g_auto(GStrv) words = g_strsplit(request ? request : "", " ", 3);
	cJSON *body;

	g_assert_nonnull(f);
	g_assert_cmpstr(logfmt_get(f, "command"), ==, COMM);
	g_assert_cmpstr(logfmt_get(f, "uid"), ==, "0");
	g_assert_cmpstr(logfmt_get(f, "result"), ==, "ok");
	g_assert_true(g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$",
					   logfmt_get(f, "time"), 0, 0));
	g_assert_nonnull(logfmt_get(f, "request_id"));
	g_assert_cmpstr(logfmt_get(f, "request_id"), !=, "-");
	g_assert_cmpuint(g_strv_length(words), ==, 3);
	g_assert_cmpstr(words[0], ==, "PUT");
	g_assert_true(g_str_has_prefix(words[1], "/v2/"));
	body = cJSON_Parse(words[2]);
	g_assert_nonnull(body);
	g_assert_true(json_holds(body, value));
	cJSON_Delete(body);
}

/* -o audit_file: the line of a value with quotes and a backslash, written by a process
 * whose name has a quote and a newline, is on disk when write() returns, is logfmt that
 * parses back to exactly those values, and stays after unmount; a second mount appends. */
static void test_audit_file(void)
{
	static const char *const tenant[] = { "--users", "3", "--desktops", "2", NULL };
	g_autofree char *dir = g_dir_make_tmp("wksfs-audit-XXXXXX", NULL);
	g_autofree char *file = g_build_filename(dir, "audit.log", NULL);
	g_autofree char *opts = g_strdup_printf("audit_file=%s", file);
	Mount *m = harness_start(tenant, opts);
	struct stat st;

	if (!m) {
		g_rmdir(dir);
		return;
	}
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_assert_cmpuint(users->len, >=, 2);
	g_autofree char *rel = g_strdup_printf("users/%s/description", (char *)users->pdata[0]);
	g_autofree char *path = g_strdup_printf("/%s", rel);

	g_assert_cmpint(write_as(m, COMM, rel, VALUE "\n"), ==, 0);
	/* On disk already: nothing has been unmounted or flushed since write() returned. */
	g_autofree char *on_disk = slurp(file);
	g_test_message("%s", on_disk);
	g_auto(GStrv) f = audit_line(on_disk, path);
	check_audit_fields(f, VALUE);
	g_assert_no_errno(stat(file, &st));
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	/* The same line as /.wksfs/audit's. */
	g_autofree char *shown = harness_read(m, ".wksfs/audit");
	g_assert_cmpstr(shown, ==, on_disk);

	/* A second mount on the same file appends; unmounting either keeps every line. */
	Mount *b = harness_mount_beside(m, opts);
	g_assert_nonnull(b);
	g_autofree char *rel_b = g_strdup_printf("users/%s/description",
						 (char *)users->pdata[1]);
	g_autofree char *path_b = g_strdup_printf("/%s", rel_b);
	g_assert_cmpint(write_as(b, COMM, rel_b, "second \"one\"\n"), ==, 0);
	harness_stop(b);
	harness_stop(m);
	g_autofree char *kept = slurp(file);
	g_auto(GStrv) lines = g_strsplit(kept, "\n", -1);
	g_assert_cmpuint(g_strv_length(lines), ==, 3);	/* two lines and the end */
	g_auto(GStrv) first = audit_line(kept, path);
	g_auto(GStrv) second = audit_line(kept, path_b);
	check_audit_fields(first, VALUE);
	check_audit_fields(second, "second \"one\"");
	g_unlink(file);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/admin/two-tenants-fstab", test_two_tenants_fstab);
	g_test_add_func("/admin/refused-before-mount", test_refused_before_mount);
	g_test_add_func("/admin/debug-lines", test_debug_lines);
	g_test_add_func("/admin/iam-and-fuse-debug", test_iam_and_fuse_debug);
	g_test_add_func("/admin/outage-lines", test_outage_lines);
	g_test_add_func("/admin/audit-file", test_audit_file);
	return g_test_run();
}
