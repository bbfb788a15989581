/* main.c — the composition root: options, credentials, the start-up probe, then the mount.
 *
 * The only file that sees every layer. Order matters (sshfs's): authenticate and probe
 * first, in the terminal, so a bad key or an unreachable endpoint fails with one clear line
 * and nothing mounted; only then mount and daemonize.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "fs/fs.h"
#include "src/api.h"
#include "src/client.h"
#include "src/credentials.h"
#include "src/demo.h"

typedef struct {
	char *endpoint;
	char *appstream_endpoint;
	int session_window;
	int wait_timeout;
	int read_only;
	int dry_run;
	int allow_delete;
	char *region;
	char *project_id;
	char *iam_endpoint;
	char *iam_user;
	char *iam_domain;
	char *password_file;
	int ttl;
	int negative_ttl;
	int stale_on_error;
	int max_cache_mb;
	int timeout;
	int connect_timeout;
	int retries;
	int max_conns;
	int batch_window_ms;
	int batch_max;
	char *cafile;
	int insecure;
	int demo;
	int show_help;
	int show_version;
	int allow_other;
	int bad;		/* an option was refused (already reported) */
	char *source;		/* mount(8)'s device argument: the mount's fsname */
	char *mountpoint;
	int nonopts;
} Options;

#define OPT(t, p) { t, offsetof(Options, p), 1 }

static gint64 kind_ttl[API_MAX_KINDS];

/* The numeric options. fuse_opt's %d would take "5m" as 5 and "8x" as 8, so these are
 * parsed here, strictly, and each mistake is named. */
typedef struct {
	const char *name;
	gboolean duration;	/* SECS, or a number with s, m or h */
	size_t offset;		/* an int in Options */
	int min, max;
} NumericOption;

static const NumericOption numeric_options[] = {
	{ "ttl", TRUE, offsetof(Options, ttl), 0, G_MAXINT },
	{ "negative_ttl", TRUE, offsetof(Options, negative_ttl), 0, G_MAXINT },
	{ "timeout", TRUE, offsetof(Options, timeout), 1, G_MAXINT },
	{ "connect_timeout", TRUE, offsetof(Options, connect_timeout), 1, G_MAXINT },
	{ "session_window", TRUE, offsetof(Options, session_window), 1, G_MAXINT },
	{ "wait_timeout", TRUE, offsetof(Options, wait_timeout), 1, G_MAXINT },
	{ "max_cache_mb", FALSE, offsetof(Options, max_cache_mb), 0, 1 << 24 },
	{ "retries", FALSE, offsetof(Options, retries), 0, 20 },
	{ "max_conns", FALSE, offsetof(Options, max_conns), 1, 64 },
	{ "batch_window_ms", FALSE, offsetof(Options, batch_window_ms), 0, 10000 },
	{ "batch_max", FALSE, offsetof(Options, batch_max), 1, 100 },
	{ NULL, FALSE, 0, 0, 0 }
};

/* "30", and for a duration also "30s", "5m", "1h", into *ret_value (seconds). */
static gboolean parse_number(const char *text, gboolean duration, gint64 *ret_value)
{
	gint64 unit = 1;
	guint64 n;
	char *end = NULL;

	if (!g_ascii_isdigit(text[0]))
		return FALSE;
	errno = 0;
	n = g_ascii_strtoull(text, &end, 10);
	if (duration && *end && !end[1]) {
		unit = *end == 's' ? 1 : *end == 'm' ? 60 : *end == 'h' ? 3600 : 0;
		end += unit != 0;
	}
	if (*end)
		return FALSE;
	/* Too large is out of range, reported as such by the caller. */
	*ret_value = errno || n > G_MAXINT ? G_MAXINT64 : (gint64)n * unit;
	return TRUE;
}

/* One numeric option, "name=value": 1 if it is not one, 0 if taken, -1 if refused. */
static int numeric_option(Options *o, const char *arg)
{
	const char *eq = strchr(arg, '=');
	gsize len = eq ? (gsize)(eq - arg) : strlen(arg);
	gint64 v;

	for (const NumericOption *no = numeric_options; no->name; no++) {
		if (strlen(no->name) != len || strncmp(arg, no->name, len) != 0)
			continue;
		if (!eq || !parse_number(eq + 1, no->duration, &v)) {
			fprintf(stderr, "wksfs: bad option %s: %s\n", arg,
				no->duration ? "want seconds, or a number with s, m or h "
					       "(30, 30s, 5m, 1h)"
					     : "want a whole number");
			return -1;
		}
		if (v < no->min || v > no->max) {
			fprintf(stderr, "wksfs: bad option %s: must be %d..%d\n", arg, no->min,
				no->max);
			return -1;
		}
		*(int *)((char *)o + no->offset) = (int)v;
		return 0;
	}
	return 1;
}

/* -o ttl_<kind>=DURATION: 1 if arg is not one, 0 if taken, -1 if refused. */
static int kind_ttl_option(const char *arg)
{
	const char *eq = strchr(arg, '=');
	g_autofree char *dir = NULL;
	const ResKind *kind;
	gint64 secs;

	if (!g_str_has_prefix(arg, "ttl_"))
		return 1;
	dir = eq ? g_strndup(arg + 4, (gsize)(eq - arg - 4)) : g_strdup(arg + 4);
	kind = res_kind_lookup(dir);
	if (!kind || !eq || !parse_number(eq + 1, TRUE, &secs) || secs > G_MAXINT) {
		fprintf(stderr, "wksfs: bad option %s: want ttl_KIND=DURATION with a known KIND "
				"(ttl_desktops=5m)\n", arg);
		return -1;
	}
	kind_ttl[res_kind_index(kind)] = secs;
	return 0;
}

/* Options no template matched: the numeric ones are ours, the rest is libfuse's (which
 * reports unknown ones in fuse_session_new, still before any network call). Arguments: an
 * optional source (mount(8)'s device, "wksfs" in fstab), then the mountpoint. */
static int option_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	Options *o = data;
	int rc;

	if (key == FUSE_OPT_KEY_NONOPT) {
		o->nonopts++;
		if (o->nonopts == 2)
			o->source = g_steal_pointer(&o->mountpoint);
		if (o->nonopts <= 2)
			o->mountpoint = g_strdup(arg);
		return 0;
	}
	if (key != FUSE_OPT_KEY_OPT || arg[0] == '-')
		return 1;
	if (strcmp(arg, "allow_other") == 0)
		o->allow_other = 1;
	rc = numeric_option(o, arg);
	if (rc > 0)
		rc = kind_ttl_option(arg);
	if (rc < 0)
		o->bad = 1;	/* go on, so that every mistake is reported at once */
	return rc < 0 ? 0 : rc;
}

static const struct fuse_opt option_spec[] = {
	OPT("endpoint=%s", endpoint),
	OPT("appstream_endpoint=%s", appstream_endpoint),
	OPT("dry_run", dry_run),
	OPT("allow_delete", allow_delete),
	/* ro is ours and the kernel's: main() passes it on, so /proc/mounts says ro and the
	 * kernel refuses writes (EROFS) before they reach us; ours stays as a second wall. */
	OPT("ro", read_only),
	OPT("region=%s", region),
	OPT("project_id=%s", project_id),
	OPT("iam_endpoint=%s", iam_endpoint),
	OPT("iam_user=%s", iam_user),
	OPT("iam_domain=%s", iam_domain),
	OPT("password_file=%s", password_file),
	{ "stale_on_error", offsetof(Options, stale_on_error), 1 },
	{ "no_stale_on_error", offsetof(Options, stale_on_error), 0 },
	OPT("cafile=%s", cafile),
	OPT("insecure", insecure),
	OPT("--demo", demo),
	OPT("-h", show_help),
	OPT("--help", show_help),
	OPT("-V", show_version),
	OPT("--version", show_version),
	FUSE_OPT_END
};

#define USAGE_LINE "usage: %s [SOURCE] MOUNTPOINT [-o option[,option...]] [-f] [-d]"

static void usage(const char *prog)
{
	printf(USAGE_LINE "\n"
	       "       %s --demo MOUNTPOINT [-f]\n"
	       "\n"
	       "Shows a Huawei Cloud Workspace tenant as files.\n"
	       "\n"
	       "Credentials, first found wins: the environment (HUAWEICLOUD_SDK_AK, _SK,\n"
	       "_SECURITY_TOKEN, _PROJECT_ID, _IAM_ENDPOINT); the file\n"
	       "$HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials ([basic] ak, sk,\n"
	       "project_id, security_token); IAM password login (iam_user, iam_domain,\n"
	       "password_file). Secrets are never taken from the command line, and files that\n"
	       "group or others can read are refused.\n"
	       "\n"
	       "wksfs options:\n"
	       "    --demo                 mount a generated tenant served by the bundled emulator\n"
	       "    -o region=REGION       endpoint https://workspace.REGION.myhuaweicloud.com\n"
	       "    -o endpoint=URL        the Workspace endpoint (overrides region)\n"
	       "    -o appstream_endpoint=URL  App Streaming (default: appstream.REGION for\n"
	       "                           mainland China regions, else the Workspace one)\n"
	       "    -o project_id=ID       project (default: from the credentials, else resolved\n"
	       "                           through IAM from the region)\n"
	       "    -o iam_endpoint=URL    IAM (default https://iam.myhuaweicloud.com)\n"
	       "    -o iam_user=NAME,iam_domain=ACCOUNT,password_file=PATH\n"
	       "                           log in to IAM with a password instead of AK/SK\n"
	       "    -o ttl=SECS            how long listings and objects stay cached (30)\n"
	       "    -o ttl_KIND=SECS       the same for one kind (ttl_desktops, ttl_users, ...)\n"
	       "    -o negative_ttl=SECS   how long \"no such object\" is remembered (5)\n"
	       "                           (every SECS may also be 30s, 5m or 1h)\n"
	       "    -o no_stale_on_error   fail reads when the API is down instead of serving\n"
	       "                           the last good data (stale_on_error is the default)\n"
	       "    -o max_cache_mb=N      bound the cache's memory (default: unbounded)\n"
	       "    -o session_window=SECS how far back app-sessions/ looks (86400)\n"
	       "    -o wait_timeout=SECS   how long cat jobs/ID/wait blocks (600)\n"
	       "    -o ro                  read-only, in the kernel too: writes fail with EROFS\n"
	       "    -o dry_run             mutations are audited and logged, not sent\n"
	       "    -o allow_delete        let rmdir desktops/ID or users/NAME delete it\n"
	       "    -o timeout=SECS        total time allowed per request (30)\n"
	       "    -o connect_timeout=SECS  time allowed to connect (10)\n"
	       "    -o retries=N           extra attempts for reads (GET) that failed (4)\n"
	       "    -o max_conns=N         requests in flight at once for one listing (8)\n"
	       "    -o batch_window_ms=MS  actions (one verb, on desktops) written within MS of\n"
	       "                           each other go out as one call; a batch waits at most\n"
	       "                           10 windows (20; 0: one call per write)\n"
	       "    -o batch_max=N         objects per batched call at most (100)\n"
	       "    -o cafile=PATH         trust the CA certificates in PATH (PEM)\n"
	       "    -o insecure            do not verify TLS certificates (dangerous)\n"
	       "    -o allow_other         let other users read; only the mounting user (and\n"
	       "                           root) may act (implies default_permissions)\n"
	       "    -V, --version          print the version\n"
	       "\n",
	       prog, prog);
}

/* Regions where App Streaming has a host of its own (the Go SDK's region table,
 * shared/auth/signing.md §6); elsewhere it shares the Workspace host. */
static gboolean appstream_host_region(const char *region)
{
	static const char *const own[] = { "cn-north-4", "cn-east-3", "cn-south-1",
					   "cn-southwest-2", "cn-north-9", NULL };

	return g_strv_contains(own, region);
}

static gboolean use_syslog;

static void log_handler(const char *domain, GLogLevelFlags level, const char *message,
			gpointer data)
{
	int prio = (level & G_LOG_LEVEL_ERROR)	    ? LOG_ERR
		   : (level & G_LOG_LEVEL_CRITICAL) ? LOG_CRIT
		   : (level & G_LOG_LEVEL_WARNING)  ? LOG_WARNING
		   : (level & G_LOG_LEVEL_MESSAGE)  ? LOG_NOTICE
		   : (level & G_LOG_LEVEL_INFO)	    ? LOG_INFO
						    : LOG_DEBUG;

	if (use_syslog)
		syslog(prio, "%s: %s", domain ? domain : "wksfs", message);
	else
		g_log_default_handler(domain, level, message, data);
}

/* Refused before any network call: a mountpoint that is not a directory mounts, then fails
 * every access with EIO; one that is already a mount point would be covered silently. */
static gboolean mountpoint_usable(const char *path)
{
	g_autofree char *parent = g_build_filename(path, "..", NULL);
	struct statx stx;
	struct stat st, up;
	gboolean mounted;

	if (statx(AT_FDCWD, path, AT_NO_AUTOMOUNT, STATX_TYPE, &stx) != 0 ||
	    stat(path, &st) != 0) {
		fprintf(stderr, "wksfs: mountpoint %s: %s\n", path, g_strerror(errno));
		return FALSE;
	}
	if (!S_ISDIR(stx.stx_mode)) {
		fprintf(stderr, "wksfs: mountpoint %s is not a directory\n", path);
		return FALSE;
	}
	if (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT)
		mounted = (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
	else	/* kernels before 5.8 */
		mounted = stat(parent, &up) != 0 || up.st_dev != st.st_dev ||
			  up.st_ino == st.st_ino;
	if (mounted) {
		fprintf(stderr, "wksfs: %s is already a mount point; unmount it first\n", path);
		return FALSE;
	}
	return TRUE;
}

/* "-oNAME=VALUE" with fuse_opt's separators escaped. */
static char *mount_arg(const char *name, const char *value)
{
	GString *out = g_string_new("-o");

	g_string_append_printf(out, "%s=", name);
	for (const char *c = value; *c; c++) {
		if (*c == ',' || *c == '\\')
			g_string_append_c(out, '\\');
		g_string_append_c(out, *c);
	}
	return g_string_free(out, FALSE);
}

/* The libfuse half of the command line, checked before any network call: the mountpoint,
 * and every option libfuse takes (fuse_session_new reports the unknown ones). Nothing is
 * mounted. */
static struct fuse_session *fuse_prepare(struct fuse_args *args, const Options *o,
					 FsContext *ctx, struct fuse_cmdline_opts *ret_opts)
{
	g_autofree char *fsname = NULL;
	struct fuse_cmdline_opts opts;
	struct fuse_session *se;

	/* Inserted first, so that the user's own -o max_threads= or fsname= still wins.
	 * libfuse's default of 10 worker threads caps how many requests can wait on the
	 * network at once. */
	fuse_opt_insert_arg(args, 1, "-omax_threads=64");
	fuse_opt_insert_arg(args, 1, "-osubtype=wksfs");	/* type fuse.wksfs */
	if (o->source && o->source[0]) {
		fsname = mount_arg("fsname", o->source);
		fuse_opt_insert_arg(args, 1, fsname);
	}
	if (o->read_only)
		fuse_opt_add_arg(args, "-oro");
	/* Other users may read what the modes allow, never act with the mounter's keys: the
	 * kernel checks the modes (owner-only write bits), and src/mutate.c the uid again. */
	if (o->allow_other)
		fuse_opt_add_arg(args, "-odefault_permissions");
	fuse_opt_add_arg(args, o->mountpoint);
	if (fuse_parse_cmdline(args, &opts) != 0)
		return NULL;
	if (opts.debug)
		g_setenv("G_MESSAGES_DEBUG", "all", TRUE);
	if (!opts.mountpoint || !mountpoint_usable(opts.mountpoint)) {
		free(opts.mountpoint);
		return NULL;
	}
	se = fuse_session_new(args, fs_operations(), sizeof(struct fuse_lowlevel_ops), ctx);
	if (!se) {
		free(opts.mountpoint);
		return NULL;
	}
	*ret_opts = opts;
	return se;
}

/* Mount, daemonize and serve, as fuse_main() does, with the probe already done. */
static int serve(struct fuse_session *se, const struct fuse_cmdline_opts *opts,
		 FsContext *ctx)
{
	struct fuse_loop_config *loop;
	FsShutdown *sd = NULL;
	int ret = 1;

	if (fuse_session_mount(se, opts->mountpoint) != 0)
		return 1;
	if (fuse_daemonize(opts->foreground) != 0)
		goto out_unmount;
	if (!opts->foreground) {
		openlog("wksfs", LOG_PID, LOG_DAEMON);
		use_syslog = TRUE;
	}
	/* After daemonizing: the threads must live in the daemon. */
	fs_context_start(ctx, se);
	sd = fs_shutdown_start(se, ctx, opts->mountpoint);
	if (!sd)
		goto out_unmount;

	/* A signal-driven unmount is a clean exit (0): only a real error of the loop is 1. */
	if (opts->singlethread) {
		ret = fuse_session_loop(se) ? 1 : 0;
	} else {
		loop = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(loop, opts->clone_fd);
		fuse_loop_cfg_set_max_threads(loop, opts->max_threads);
		fuse_loop_cfg_set_idle_threads(loop, opts->max_idle_threads);
		ret = fuse_session_loop_mt(se, loop) ? 1 : 0;
		fuse_loop_cfg_destroy(loop);
	}
	fs_shutdown_finish(sd);
out_unmount:
	/* No job watcher or notifier may outlive the loop: they write to the session. */
	fs_context_stop(ctx);
	fuse_session_unmount(se);
	return ret;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	/* ttl -1: not given (each kind's own default applies, else 30 s). */
	Options o = { .ttl = -1, .negative_ttl = 5, .stale_on_error = 1, .timeout = 30,
		      .connect_timeout = 10, .retries = 4, .max_conns = 8,
		      .session_window = 86400, .wait_timeout = 600, .batch_window_ms = 20,
		      .batch_max = 100 };
	g_autoptr(DemoTenant) demo = NULL;
	Credentials creds = { 0 };
	g_autofree char *endpoint = NULL, *reason = NULL, *password = NULL;
	g_autofree char *app_endpoint = NULL;
	struct fuse_cmdline_opts fuse_opts;
	WksClient *client;
	g_autoptr(GError) error = NULL;
	struct fuse_session *se;
	FsContext *ctx = NULL;
	ApiClient *api;
	int ret = 1;

	g_log_set_default_handler(log_handler, NULL);
#ifdef __GLIBC__
	/* Memory should follow max_cache_mb, not the tenant's size. A fixed mmap threshold
	 * keeps response bodies (MBs) out of the heaps, where glibc's dynamic threshold would
	 * otherwise put them after the first frees; fewer arenas leave fewer half-used
	 * heaps behind the page threads. Measured in tests/test-consistency.c. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
	mallopt(M_ARENA_MAX, 4);
#endif
	/* A broken table entry fails here, loudly, not at run time in some FUSE request. */
	reason = res_table_problem();
	if (reason || res_kind_count() > API_MAX_KINDS) {
		fprintf(stderr, "wksfs: the resource table is broken: %s\n",
			reason ? reason : "more kinds than API_MAX_KINDS");
		goto out_args;
	}
	for (int i = 0; i < API_MAX_KINDS; i++)
		kind_ttl[i] = -1;
	/* Every option is checked here, before credentials and the network. */
	if (fuse_opt_parse(&args, &o, option_spec, option_proc) != 0 || o.bad)
		goto out_args;
	/* Slow-changing kinds keep their longer default unless a TTL was asked for. */
	for (int i = 0; res_kinds[i] && o.ttl < 0; i++)
		if (res_kinds[i]->default_ttl_s && kind_ttl[i] < 0)
			kind_ttl[i] = res_kinds[i]->default_ttl_s;
	if (o.ttl < 0)
		o.ttl = 30;
	if (o.show_help) {
		usage(argv[0]);
		fuse_cmdline_help();
		fuse_lowlevel_help();
		ret = 0;
		goto out_args;
	}
	if (o.show_version) {
		printf("wksfs %s (libfuse %s, %s)\n", WKSFS_VERSION, fuse_pkgversion(),
		       curl_version());
		ret = 0;
		goto out_args;
	}
	if (!o.mountpoint) {
		fprintf(stderr, USAGE_LINE "\n       (--help lists the options)\n", argv[0]);
		goto out_args;
	}
	if (o.nonopts > 2) {
		fprintf(stderr, "wksfs: too many arguments: want [SOURCE] MOUNTPOINT\n");
		goto out_args;
	}
	if (o.endpoint && !g_str_has_prefix(o.endpoint, "https://") &&
	    !g_str_has_prefix(o.endpoint, "http://")) {
		fprintf(stderr, "wksfs: bad option endpoint=%s: must start with https:// or "
				"http://\n", o.endpoint);
		goto out_args;
	}
	if (o.cafile && access(o.cafile, R_OK) != 0) {
		fprintf(stderr, "wksfs: cafile %s: %s\n", o.cafile, g_strerror(errno));
		goto out_args;
	}
	if (o.insecure)
		fprintf(stderr, "wksfs: WARNING: -o insecure: TLS certificates are NOT verified; "
				"anyone on the network path can read and change your traffic\n");
	ctx = fs_context_new(o.wait_timeout);
	se = fuse_prepare(&args, &o, ctx, &fuse_opts);
	if (!se)
		goto out_args;

	if (o.demo) {
		demo = demo_tenant_start(argv[0], &error);
		if (!demo) {
			fprintf(stderr, "wksfs: --demo: %s\n", error->message);
			goto out_fuse;
		}
		endpoint = g_strdup(demo_tenant_endpoint(demo));
		creds.ak = g_strdup(DEMO_AK);
		creds.sk = g_strdup(DEMO_SK);
		creds.project_id = g_strdup(DEMO_PROJECT_ID);
	} else {
		if (!credentials_load(&creds, &error)) {
			fprintf(stderr, "wksfs: %s\n", error->message);
			goto out_fuse;
		}
		if (o.project_id) {
			g_free(creds.project_id);
			creds.project_id = g_strdup(o.project_id);
		}
		if (o.iam_endpoint) {
			g_free(creds.iam_endpoint);
			creds.iam_endpoint = g_strdup(o.iam_endpoint);
		}
		if (o.endpoint)
			endpoint = g_strdup(o.endpoint);
		else if (o.region)
			endpoint = g_strdup_printf("https://workspace.%s.myhuaweicloud.com",
						   o.region);
		if (o.appstream_endpoint)
			app_endpoint = g_strdup(o.appstream_endpoint);
		else if (o.region && !o.endpoint && appstream_host_region(o.region))
			app_endpoint = g_strdup_printf("https://appstream.%s.myhuaweicloud.com",
						       o.region);
	}
	if (!creds.ak && o.iam_user) {
		if (!o.iam_domain || !o.password_file) {
			fprintf(stderr, "wksfs: iam_user needs iam_domain= and password_file=\n");
			goto out_fuse;
		}
		password = credentials_read_secret_file(o.password_file, &error);
		if (!password) {
			fprintf(stderr, "wksfs: password_file: %s\n", error->message);
			goto out_fuse;
		}
	}
	if (!creds.ak && !password) {
		fprintf(stderr, "wksfs: no credentials: set HUAWEICLOUD_SDK_AK and "
				"HUAWEICLOUD_SDK_SK, write ~/.huaweicloud/credentials, or give "
				"-o iam_user=,iam_domain=,password_file=\n");
		goto out_fuse;
	}
	if (!creds.project_id && !o.region && !password) {
		fprintf(stderr, "wksfs: no project: set HUAWEICLOUD_SDK_PROJECT_ID, "
				"-o project_id= or -o region= (to look it up through IAM)\n");
		goto out_fuse;
	}
	if (password && !creds.project_id && !o.region) {
		fprintf(stderr, "wksfs: IAM login needs -o region= or -o project_id=\n");
		goto out_fuse;
	}
	if (!endpoint) {
		fprintf(stderr, "wksfs: no endpoint: give -o region=REGION or -o endpoint=URL\n");
		goto out_fuse;
	}

	curl_global_init(CURL_GLOBAL_DEFAULT);
	WksClientConfig cc = {
		.endpoint = endpoint,
		.appstream_endpoint = app_endpoint,
		.project_id = creds.project_id,
		.ak = creds.ak,
		.sk = creds.sk,
		.security_token = creds.security_token,
		.region = o.region,
		.iam_endpoint = creds.iam_endpoint,
		.iam_user = creds.ak ? NULL : o.iam_user,
		.iam_domain = o.iam_domain,
		.iam_password = password,
		.retries = o.retries,
		.http = { .connect_timeout_s = o.connect_timeout, .timeout_s = o.timeout,
			  .cafile = o.cafile, .insecure = o.insecure },
	};
	ApiConfig ac = {
		.ttl_s = o.ttl,
		.negative_ttl_s = o.negative_ttl,
		.stale_on_error = o.stale_on_error,
		.max_cache_bytes = (gsize)o.max_cache_mb << 20,
		.max_conns = o.max_conns,
		.session_window_s = o.session_window,
		.read_only = o.read_only,
		.dry_run = o.dry_run,
		.allow_delete = o.allow_delete,
		.batch_window_ms = o.batch_window_ms,
		.batch_max = o.batch_max,
	};
	memcpy(ac.kind_ttl_s, kind_ttl, sizeof(kind_ttl));
	client = wks_client_new(&cc);
	if (wks_client_resolve_project(client, &reason) < 0) {
		fprintf(stderr, "wksfs: %s\n", reason);
		wks_client_free(client);
		goto out_curl;
	}
	api = api_new(client, &ac);
	if (api_probe(api, &reason) < 0) {
		fprintf(stderr, "wksfs: %s\n", reason);
		api_free(api);
		goto out_curl;
	}
	fs_context_set_api(ctx, api);
	ret = serve(se, &fuse_opts, ctx);
out_curl:
	curl_global_cleanup();
out_fuse:
	fuse_session_destroy(se);
	free(fuse_opts.mountpoint);
out_args:
	fs_context_free(ctx);
	fuse_opt_free_args(&args);
	g_free(o.source);
	g_free(o.mountpoint);
	g_free(o.endpoint);
	g_free(o.appstream_endpoint);
	g_free(o.region);
	g_free(o.project_id);
	g_free(o.cafile);
	g_free(o.iam_endpoint);
	g_free(o.iam_user);
	g_free(o.iam_domain);
	g_free(o.password_file);
	credentials_clear(&creds);
	if (password)
		memset(password, 0, strlen(password));
	return ret;
}
