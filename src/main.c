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
#include <limits.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs/fs.h"
#include "src/api.h"
#include "src/audit.h"
#include "src/changes.h"
#include "src/client.h"
#include "src/credentials.h"
#include "src/demo.h"
#include "src/help.h"
#include "src/logging.h"
#include "src/snapshot.h"

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
	char *credentials_file;
	char *profile;
	char *log_level;
	char *log_file;
	char *audit_file;
	char *changes_file;
	int watch;		/* -o watch=SECS: 0 = off */
	int changes_max;
	char *snapshot;		/* -o snapshot=PATH (src/snapshot.h) */
	int snapshot_interval;
	int debug;		/* -d: ours, not libfuse's (-o fuse_debug is libfuse's) */
	int fuse_debug;
	int ttl;
	int negative_ttl;
	int stale_on_error;
	int max_cache_mb;
	int timeout;
	int connect_timeout;
	int retries;
	int max_conns;
	int max_listing;
	int batch_window_ms;
	int batch_max;
	char *cafile;
	int insecure;
	int dumpable;		/* -o dumpable: core dumps and ptrace as for any process */
	int demo;
	int show_help;
	int show_version;
	int allow_other;
	int bad;		/* an option was refused (already reported) */
	char *source;		/* mount(8)'s device argument: the mount's fsname */
	char *mountpoint;
	int nonopts;
} Options;

/* Frees the strings fuse_opt_parse gave o (its "%s" options). */
static void options_clear(Options *o)
{
	char **strings[] = { &o->source, &o->mountpoint, &o->endpoint, &o->appstream_endpoint,
			     &o->region, &o->project_id, &o->cafile, &o->iam_endpoint,
			     &o->iam_user, &o->iam_domain, &o->password_file,
			     &o->credentials_file, &o->profile, &o->log_level, &o->log_file,
			     &o->audit_file, &o->changes_file, &o->snapshot };

	for (gsize i = 0; i < G_N_ELEMENTS(strings); i++)
		g_clear_pointer(strings[i], g_free);
}

#define OPT(t, p) { t, offsetof(Options, p), 1 }

enum { KEY_DEBUG = 1 };

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
	{ "max_listing", FALSE, offsetof(Options, max_listing), 1, API_MAX_LISTING },
	{ "batch_window_ms", FALSE, offsetof(Options, batch_window_ms), 0, 10000 },
	{ "batch_max", FALSE, offsetof(Options, batch_max), 1, 100 },
	{ "watch", TRUE, offsetof(Options, watch), 1, 86400 },
	{ "changes_max", FALSE, offsetof(Options, changes_max), 1, 1000000 },
	{ "snapshot_interval", TRUE, offsetof(Options, snapshot_interval), 0, G_MAXINT },
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

	if (key == KEY_DEBUG) {
		o->debug = 1;
		return 0;
	}
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
	OPT("credentials_file=%s", credentials_file),
	OPT("profile=%s", profile),
	OPT("log_level=%s", log_level),
	OPT("log_file=%s", log_file),
	OPT("audit_file=%s", audit_file),
	OPT("changes_file=%s", changes_file),
	OPT("snapshot=%s", snapshot),
	OPT("fuse_debug", fuse_debug),
	/* -d is wksfs's debug output; libfuse's request trace is -o fuse_debug. */
	FUSE_OPT_KEY("-d", KEY_DEBUG),
	FUSE_OPT_KEY("debug", KEY_DEBUG),
	{ "stale_on_error", offsetof(Options, stale_on_error), 1 },
	{ "no_stale_on_error", offsetof(Options, stale_on_error), 0 },
	OPT("cafile=%s", cafile),
	OPT("insecure", insecure),
	OPT("dumpable", dumpable),
	OPT("--demo", demo),
	OPT("-h", show_help),
	OPT("--help", show_help),
	OPT("-V", show_version),
	OPT("--version", show_version),
	FUSE_OPT_END
};

/* Regions where App Streaming has a host of its own (the Go SDK's region table,
 * shared/auth/signing.md §6); elsewhere it shares the Workspace host. */
static gboolean appstream_host_region(const char *region)
{
	static const char *const own[] = { "cn-north-4", "cn-east-3", "cn-south-1",
					   "cn-southwest-2", "cn-north-9", NULL };

	return g_strv_contains(own, region);
}

/* libfuse's own lines (its errors, and its request trace with -o fuse_debug) go where ours
 * go. They are not GLib errors (which would abort): the level is only their label. */
static void fuse_log_line(enum fuse_log_level level, const char *fmt, va_list ap)
{
	g_autofree char *text = g_strdup_vprintf(fmt, ap);

	g_strchomp(text);
	logging_line(level <= FUSE_LOG_ERR ? LOGGING_ERROR : level == FUSE_LOG_WARNING
		     ? LOGGING_WARNING : level == FUSE_LOG_NOTICE ? LOGGING_NOTICE
		     : level == FUSE_LOG_INFO ? LOGGING_INFO : LOGGING_DEBUG, "fuse", text);
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
	if (o->debug)
		fuse_opt_add_arg(args, "-f");
	if (o->fuse_debug)
		fuse_opt_add_arg(args, "-d");	/* libfuse's trace; implies -f */
	fuse_opt_add_arg(args, o->mountpoint);
	if (fuse_parse_cmdline(args, &opts) != 0)
		return NULL;
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
		 FsContext *ctx, Snapshot *snap)
{
	struct fuse_loop_config *loop;
	FsShutdown *sd = NULL;
	int ret = 1;

	if (fuse_session_mount(se, opts->mountpoint) != 0)
		return 1;
	if (fuse_daemonize(opts->foreground) != 0)
		goto out_unmount;
	if (!opts->foreground)
		logging_daemonized();
	/* After daemonizing: the threads must live in the daemon. */
	fs_context_start(ctx, se);
	snapshot_start(snap);
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
		/* UINT_MAX: not given. libfuse 3.14 would refuse it with a line at every
		 * start ("Ignoring invalid max threads value") and keep its default. */
		if (opts->max_idle_threads != UINT_MAX)
			fuse_loop_cfg_set_idle_threads(loop, opts->max_idle_threads);
		ret = fuse_session_loop_mt(se, loop) ? 1 : 0;
		fuse_loop_cfg_destroy(loop);
	}
	fs_shutdown_finish(sd);
out_unmount:
	/* No job watcher or notifier may outlive the loop: they write to the session. */
	fs_context_stop(ctx);
	fuse_session_unmount(se);
	/* The last save: the mount is gone, the cache still here. */
	snapshot_stop(snap);
	return ret;
}

int main(int argc, char **argv)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	/* ttl -1: not given (each kind's own default applies, else 30 s). */
	Options o = { .ttl = -1, .negative_ttl = 5, .stale_on_error = 1, .timeout = 30,
		      .connect_timeout = 10, .retries = 4, .max_conns = 8,
		      .max_listing = API_DEFAULT_LISTING,
		      .session_window = 86400, .wait_timeout = 600, .batch_window_ms = 20,
		      .batch_max = 100, .changes_max = 1000, .snapshot_interval = 60 };
	g_autoptr(DemoTenant) demo = NULL;
	g_autoptr(Audit) audit = audit_new();
	g_autoptr(Changes) changes = NULL;
	Credentials creds = { 0 };
	LoggingLevel level = LOGGING_DEFAULT_LEVEL;
	g_autofree char *endpoint = NULL, *reason = NULL;
	g_autofree char *app_endpoint = NULL;
	struct fuse_cmdline_opts fuse_opts;
	WksClient *client;
	g_autoptr(GError) error = NULL;
	g_autoptr(Snapshot) snap = NULL;
	struct fuse_session *se;
	FsContext *ctx = NULL;
	ApiClient *api;
	int ret = 1, rc;

	/* First, before any secret is read: no core dump, and no ptrace or /proc/PID/mem of
	 * the process by its own uid (the SK, tokens and passwords live in its memory). */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	logging_init(level);
	fuse_set_log_func(fuse_log_line);
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
	if (o.dumpable)
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	/* Slow-changing kinds keep their longer default unless a TTL was asked for. */
	for (int i = 0; res_kinds[i] && o.ttl < 0; i++)
		if (res_kinds[i]->default_ttl_s && kind_ttl[i] < 0)
			kind_ttl[i] = res_kinds[i]->default_ttl_s;
	if (o.ttl < 0)
		o.ttl = 30;
	if (o.show_help) {
		help_print(stdout, argv[0]);
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
		help_print_usage(stderr, argv[0]);
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
	if (o.log_level && !logging_parse_level(o.log_level, &level)) {
		fprintf(stderr, "wksfs: bad option log_level=%s: want error, warning, notice, "
				"info or debug\n", o.log_level);
		goto out_args;
	}
	logging_init(o.debug ? LOGGING_DEBUG : level);
	if (o.log_file && !logging_open_file(o.log_file, &error)) {
		fprintf(stderr, "wksfs: log_file: %s\n", error->message);
		goto out_args;
	}
	if (o.audit_file && !audit_open_file(audit, o.audit_file, &error)) {
		fprintf(stderr, "wksfs: audit_file: %s\n", error->message);
		goto out_args;
	}
	changes = changes_new((guint)o.changes_max);
	if (o.changes_file && !changes_open_file(changes, o.changes_file, &error)) {
		fprintf(stderr, "wksfs: changes_file: %s\n", error->message);
		goto out_args;
	}
	/* In the log, at each start (with -o log_file, in the file: stderr may be gone). */
	if (o.insecure)
		g_warning("-o insecure: TLS certificates are NOT verified; anyone on the network "
			  "path can read and change your traffic");
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
		CredentialsRequest cr = {
			.file = o.credentials_file, .profile = o.profile,
			.project_id = o.project_id, .iam_endpoint = o.iam_endpoint,
			.iam_user = o.iam_user, .iam_domain = o.iam_domain,
			.password_file = o.password_file, .region = o.region != NULL,
		};

		if (!credentials_resolve(&cr, &creds, &error)) {
			fprintf(stderr, "wksfs: %s\n", error->message);
			goto out_fuse;
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
		.iam_password = creds.password,
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
		.max_listing = o.max_listing,
		.session_window_s = o.session_window,
		.read_only = o.read_only,
		.dry_run = o.dry_run,
		.allow_delete = o.allow_delete,
		.batch_window_ms = o.batch_window_ms,
		.batch_max = o.batch_max,
		.audit = g_steal_pointer(&audit),
		.changes = g_steal_pointer(&changes),
		.watch_s = o.watch,
	};
	memcpy(ac.kind_ttl_s, kind_ttl, sizeof(kind_ttl));
	client = wks_client_new(&cc);
	if (wks_client_resolve_project(client, &reason) < 0) {
		fprintf(stderr, "wksfs: %s\n", reason);
		wks_client_free(client);
		goto out_curl;
	}
	api = api_new(client, &ac);
	if (o.snapshot)
		snap = snapshot_new(o.snapshot, api, o.region, o.snapshot_interval,
				    ac.max_cache_bytes);
	rc = api_probe(api, &reason);
	if (rc < 0) {
		fprintf(stderr, "wksfs: %s\n", reason);
		/* Only an API that did not answer (the network, a timeout, a 5xx) is a reason
		 * to start offline: a refusal (401, 403) fails as without a snapshot. */
		if (!snap || api_online(api) || !snapshot_load(snap, rc, &error)) {
			if (error)
				fprintf(stderr, "wksfs: not mounting offline: %s\n",
					error->message);
			api_free(api);
			goto out_curl;
		}
		fprintf(stderr, "wksfs: mounting offline from the snapshot %s, read-only until "
				"the API answers\n", o.snapshot);
	} else if (snap && !snapshot_load(snap, 0, &error)) {
		if (!g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			g_warning("snapshot not loaded: %s; the next save replaces it",
				  error->message);
		g_clear_error(&error);
	}
	fs_context_set_api(ctx, api);
	ret = serve(se, &fuse_opts, ctx, snap);
	g_clear_pointer(&snap, snapshot_free);	/* before the api it points to */
out_curl:
	curl_global_cleanup();
out_fuse:
	fuse_session_destroy(se);
	free(fuse_opts.mountpoint);
out_args:
	fs_context_free(ctx);
	fuse_opt_free_args(&args);
	options_clear(&o);
	credentials_clear(&creds);
	logging_close();
	return ret;
}
