/* test-fault-matrix.c — issue 11's fault matrix: every run-time fault the emulator injects,
 * against every kind of operation, on a real mount with -o timeout=2.
 *
 * One subtest per fault (its own mount, so one cell cannot leave the next a cache to hide
 * behind). Each primes the cache with the fault off, turns the fault on, then runs: a cold
 * listing (desktops/, 3 pages, never listed), a warm read (a desktop's file, ttl 60), an
 * expired read (a user's file, ttl_users=1, past its TTL), a field write, a user action, a
 * users/.create and a batch of 6 desktop reboots written at once; then turns it off and
 * checks the daemon serves normally (a listing, a fresh read, a write). Asserted per cell:
 * no syscall took longer than timeout + 1 s; a read gives the right bytes (the expired one
 * its last good data, as SEMANTICS §3 promises with stale_on_error) or one of the errnos
 * SEMANTICS §5 gives that fault; a mutation is on the wire at most once, a write() that
 * succeeded was applied (the emulator's state), one that failed failed with the fault's
 * errno and, only where the answer was lost after the handler ran, may have been applied
 * (§4, "when the answer is lost"). The emulator's request log and state are the oracle.
 */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TIMEOUT_S 2
/* timeout + 1 s; under a sanitizer (WKSFS_SANITIZED: every test's time limit multiplied by
 * 4) or valgrind (WKSFS_VALGRIND: 20) the CPU alone makes a 3-page listing take longer, so
 * the bound is multiplied alike (harness_slowdown()). */
#define SLOWDOWN harness_slowdown()
#define BOUND_US ((gint64)(TIMEOUT_S + 1) * G_USEC_PER_SEC * SLOWDOWN)
#define N_DESKTOPS 1200		/* 3 pages of 500 */
#define N_BATCH 6
#define R_LOGIN "POST /v3/auth/tokens"
#define R_USER_PUT "PUT /v2/{project_id}/users/{user_id}"
#define R_USER_ACTION "POST /v2/{project_id}/users/{user_id}/actions"
#define R_USER_CREATE "POST /v2/{project_id}/users"
#define R_DESKTOP_ACTION "POST /v2/{project_id}/desktops/action"
#define P_PUT "/users/user0003/description"
#define P_ACTION "/users/user0004/action"
#define P_CREATE "/users/.create"
#define NO_FAULTS "{\"latency_ms\": 0, \"fail_rate\": 0, \"reset_rate\": 0, " \
		  "\"truncate_rate\": 0, \"malformed_rate\": 0, \"html_rate\": 0, " \
		  "\"stall_ms\": 0, \"rate_limit\": 0, \"methods\": \"\", \"route\": \"\", " \
		  "\"fail_code\": \"\"}"

typedef enum {
	KIND_PLAIN,	/* the body below, POSTed to /__emulator/faults */
	KIND_KILL,	/* the emulator SIGKILLed mid-listing, restarted after the mutations */
	KIND_RESTART,	/* the emulator SIGKILLed mid-listing and restarted at once */
	KIND_TOKENS,	/* IAM token mode; every token expired before each operation */
} FaultKind;

/* Which errnos a failure may have, and whether a failed mutation may still have been
 * applied (its answer was lost after the emulator's handler ran). */
typedef struct {
	const char *name;
	FaultKind kind;
	const char *body;
	int errnos[3];		/* 0-terminated; none: every operation must succeed */
	gboolean maybe_applied;
	gboolean in_doubt;	/* a failed mutation reads back "unknown, may have been applied" */
} Fault;

static const Fault faults[] = {
	{ "latency-spike", KIND_PLAIN, "{\"latency_ms\": 300}", { 0 }, FALSE, FALSE },
	/* Latency is added after the handler: the request is applied, its answer late. */
	{ "latency-past-timeout", KIND_PLAIN, "{\"latency_ms\": 2600}", { ETIMEDOUT }, TRUE, TRUE },
	{ "5xx-burst", KIND_PLAIN, "{\"fail_rate\": 1, \"fail_status\": 503}", { EIO }, FALSE,
	  FALSE },
	{ "429-storm", KIND_PLAIN, "{\"fail_rate\": 1, \"fail_status\": 429, "
	  "\"retry_after_s\": 1}", { EAGAIN }, FALSE, FALSE },
	{ "stall-past-timeout", KIND_PLAIN, "{\"stall_ms\": 5000}", { ETIMEDOUT }, FALSE, TRUE },
	{ "reset-mid-body", KIND_PLAIN, "{\"reset_rate\": 1}", { EIO }, FALSE, TRUE },
	{ "truncated-json", KIND_PLAIN, "{\"truncate_rate\": 1}", { EIO }, TRUE, TRUE },
	{ "malformed-json", KIND_PLAIN, "{\"malformed_rate\": 1}", { EIO }, TRUE, TRUE },
	/* Half the requests fail: reads survive on retries, a failed write was not applied. */
	{ "5xx-flaky", KIND_PLAIN, "{\"fail_rate\": 0.5, \"fail_status\": 500}", { EIO },
	  FALSE, TRUE },
	/* Longer than the timeout: honoured by giving up, not by sleeping past it. */
	{ "429-long-retry-after", KIND_PLAIN, "{\"fail_rate\": 1, \"fail_status\": 429, "
	  "\"retry_after_s\": 30}", { EAGAIN }, FALSE, FALSE },
	{ "rate-limit", KIND_PLAIN, "{\"rate_limit\": 3}", { EAGAIN }, FALSE, FALSE },
	/* The same HTML page under a 200 every time (a proxy's error page). */
	{ "html-body", KIND_PLAIN, "{\"html_rate\": 1}", { EIO }, TRUE, TRUE },
	{ "killed-mid-listing", KIND_KILL, NULL, { ECONNREFUSED, EIO, ETIMEDOUT }, FALSE, FALSE },
	{ "killed-and-restarted", KIND_RESTART, NULL, { ECONNREFUSED, EIO, ETIMEDOUT }, FALSE,
	  FALSE },
	{ "token-expiry", KIND_TOKENS, NULL, { 0 }, FALSE, FALSE },
};

typedef struct {
	Mount *m;
	const Fault *fault;
	GString *failures;
	char *ids[N_BATCH];	/* active desktops out of maintenance mode */
	char *warm;		/* what desktops/<ids[0]>/computer_name read when primed */
	char *expired;		/* users/user0002/user_email when primed */
	gboolean locked;	/* user0004's state when primed */
	gint64 slowest_us;
	char slowest[96];
} Cell;

static void fail(Cell *c, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static void fail(Cell *c, const char *fmt, ...)
{
	va_list ap;

	g_string_append(c->failures, "\n  ");
	va_start(ap, fmt);
	g_string_append_vprintf(c->failures, fmt, ap);
	va_end(ap);
}

/* Each syscall's duration, checked against timeout + 1 s. */
static void timed(Cell *c, const char *what, const char *rel, gint64 start_us)
{
	gint64 took = g_get_monotonic_time() - start_us;

	if (took > c->slowest_us) {
		c->slowest_us = took;
		g_snprintf(c->slowest, sizeof(c->slowest), "%s %s", what, rel);
	}
	if (took > BOUND_US)
		fail(c, "%s %s blocked %.2f s (bound: timeout + 1 s = %d s)", what, rel,
		     took / 1e6, (TIMEOUT_S + 1) * SLOWDOWN);
}

static gboolean allowed(const Cell *c, int err)
{
	/* Under a sanitizer or valgrind the CPU alone can take an operation past its deadline
	 * (retries included): ETIMEDOUT, which every operation documents for that, is a right
	 * answer. */
	if (err == ETIMEDOUT && harness_slowdown() > 1)
		return TRUE;
	for (guint i = 0; i < G_N_ELEMENTS(c->fault->errnos) && c->fault->errnos[i]; i++)
		if (c->fault->errnos[i] == err)
			return TRUE;
	return FALSE;
}

/* open + read until EOF + close, each timed; the bytes, or NULL with *ret_err. */
static char *timed_read(Cell *c, const char *rel, int *ret_err)
{
	g_autofree char *path = harness_path(c->m, rel);
	GString *out = g_string_new(NULL);
	char buf[65536];
	gint64 t = g_get_monotonic_time();
	int fd = open(path, O_RDONLY);
	ssize_t n;

	*ret_err = fd < 0 ? errno : 0;
	timed(c, "open", rel, t);
	if (fd < 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	for (;;) {
		t = g_get_monotonic_time();
		n = read(fd, buf, sizeof(buf));
		*ret_err = n < 0 ? errno : 0;
		timed(c, "read", rel, t);
		if (n <= 0)
			break;
		g_string_append_len(out, buf, n);
	}
	t = g_get_monotonic_time();
	close(fd);
	timed(c, "close", rel, t);
	if (*ret_err) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* opendir + each readdir + closedir, timed: the entries not starting with '.', or -1. */
static int timed_list(Cell *c, const char *rel, int *ret_err)
{
	g_autofree char *path = harness_path(c->m, rel);
	gint64 t = g_get_monotonic_time();
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	*ret_err = d ? 0 : errno;
	timed(c, "opendir", rel, t);
	if (!d)
		return -1;
	for (;;) {
		t = g_get_monotonic_time();
		errno = 0;
		de = readdir(d);
		*ret_err = errno;
		timed(c, "readdir", rel, t);
		if (!de)
			break;
		n += de->d_name[0] != '.';
	}
	t = g_get_monotonic_time();
	closedir(d);
	timed(c, "closedir", rel, t);
	return *ret_err ? -1 : n;
}

/* `echo text > rel`: open(O_TRUNC), one write, close, each timed; 0 or the first errno. */
static int timed_write(Cell *c, const char *rel, const char *text)
{
	g_autofree char *path = harness_path(c->m, rel);
	gint64 t = g_get_monotonic_time();
	int fd = open(path, O_WRONLY | O_TRUNC);
	int err = fd < 0 ? errno : 0;
	ssize_t n;

	timed(c, "open", rel, t);
	if (fd < 0)
		return err;
	t = g_get_monotonic_time();
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(text))
		err = EIO;
	timed(c, "write", rel, t);
	t = g_get_monotonic_time();
	if (close(fd) < 0 && !err)
		err = errno;
	timed(c, "close", rel, t);
	return err;
}

static const char *errname(int err)
{
	return err ? g_strerror(err) : "success";
}

/* A read under the fault: the right bytes, or (no data allowed: want_any) a clear errno. */
static void check_read(Cell *c, const char *what, const char *rel, const char *want)
{
	int err;
	g_autofree char *got = timed_read(c, rel, &err);

	if (!got)
		fail(c, "%s (%s): %s, though the data is cached", what, rel, errname(err));
	else if (g_strcmp0(got, want) != 0)
		fail(c, "%s (%s): \"%s\", not \"%s\"", what, rel, got, want);
}

/* Requests for route that the emulator did not refuse for their token: the ones that can
 * have been applied (a token refusal is APIGW.0301: the gateway turned it away). */
static gint64 on_the_wire(Mount *m, const char *route)
{
	cJSON *log = harness_emu_get(m, "/__emulator/requests");
	const cJSON *e;
	gint64 n = 0;

	cJSON_ArrayForEach(e, log)
		if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(e, "route")), route) == 0 &&
		    cJSON_GetNumberValue(cJSON_GetObjectItem(e, "status")) != 401)
			n++;
	cJSON_Delete(log);
	return n;
}

/* The result= of the last audit line for the mount's path ("/users/x/action"), unquoted. */
static char *audit_result(Cell *c, const char *path)
{
	g_autofree char *audit = harness_read(c->m, ".wksfs/audit");
	g_autofree char *key = g_strdup_printf(" path=%s ", path);
	g_auto(GStrv) lines = g_strsplit(audit ? audit : "", "\n", -1);
	const char *found = NULL;

	for (guint i = 0; lines[i]; i++)
		if (strstr(lines[i], key))
			found = strstr(lines[i], " result=");
	if (!found)
		return g_strdup("");
	found += strlen(" result=");
	return g_strdup(found + (*found == '"'));
}

/* A mutation's outcome: write()'s err against what the emulator applied, and what the
 * audit (and so the action file) says of it. */
static void check_mutation(Cell *c, const char *what, const char *path, int err,
			   gboolean applied, gint64 wire, gint64 wire_max)
{
	g_autofree char *result = audit_result(c, path);
	const char *want = !err ? NULL : c->fault->in_doubt ? "unknown, may have been applied: "
		: "error: ";

	if (want && !g_str_has_prefix(result, want))
		fail(c, "%s: the audit says \"%.60s\", not \"%s...\"", what, result, want);
	if (!err && (g_str_has_prefix(result, "error") || g_str_has_prefix(result, "unknown")))
		fail(c, "%s: write() succeeded, the audit says \"%.60s\"", what, result);
	g_test_message("%s: %s: %s, %s, %" G_GINT64_FORMAT " on the wire", c->fault->name, what,
		       errname(err), applied ? "applied" : "not applied", wire);
	if (wire > wire_max)
		fail(c, "%s: %" G_GINT64_FORMAT " requests on the wire, at most %" G_GINT64_FORMAT,
		     what, wire, wire_max);
	if (!err && !applied)
		fail(c, "%s: write() succeeded but the emulator did not apply it", what);
	if (err && !allowed(c, err))
		fail(c, "%s: %s, not an errno this fault documents", what, errname(err));
	if (err && c->fault->kind == KIND_RESTART)
		fail(c, "%s: %s, though the emulator was back", what, errname(err));
	if (err && applied && !c->fault->maybe_applied)
		fail(c, "%s: failed with %s but the emulator applied it", what, errname(err));
}

static cJSON *user_state(Mount *m, const char *name)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/users/%s", name);

	return harness_emu_get_maybe(m, path);
}

static const char *desktop_task(Mount *m, const char *id, char buf[32])
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/desktops/%s", id);
	cJSON *d = harness_emu_get(m, path);

	g_strlcpy(buf, cJSON_GetStringValue(cJSON_GetObjectItem(d, "task_status")) ?: "", 32);
	cJSON_Delete(d);
	return buf;
}

static void prime(Cell *c)
{
	cJSON *list = harness_api_get(c->m, "/v2/{project_id}/desktops/detail?limit=100", NULL);
	const cJSON *d;
	guint n = 0;
	int err;

	g_assert_nonnull(list);
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(list, "desktops")) {
		if (n == N_BATCH)
			break;
		if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(d, "status")),
			      "ACTIVE") == 0 &&
		    !cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode")))
			c->ids[n++] = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(
				d, "desktop_id")));
	}
	cJSON_Delete(list);
	g_assert_cmpuint(n, ==, N_BATCH);
	g_autofree char *warm_rel = g_strdup_printf("desktops/%s/computer_name", c->ids[0]);
	c->warm = timed_read(c, warm_rel, &err);
	g_assert_nonnull(c->warm);
	c->expired = timed_read(c, "users/user0002/user_email", &err);
	g_assert_nonnull(c->expired);
	g_free(harness_read(c->m, "users/user0003/description"));
	g_free(harness_read(c->m, "users/user0004/action"));
	cJSON *u = user_state(c->m, "user0004");
	g_assert_nonnull(u);
	c->locked = cJSON_IsTrue(cJSON_GetObjectItem(u, "locked"));
	cJSON_Delete(u);
	g_usleep(1200 * 1000);	/* past ttl_users=1: the user's file is expired */
}

static void before_op(Cell *c)
{
	if (c->fault->kind == KIND_TOKENS)
		harness_emu_post(c->m, "/__emulator/expire-tokens", "");
}

typedef struct {
	Cell *c;
	char *rel;
	char *want;
} Burst;

static gpointer burst_reader(gpointer data)
{
	Burst *b = data;

	check_read(b->c, "burst read", b->rel, b->want);
	return NULL;
}

/* 8 readers of expired users' files at once, the tokens expiring under them: each gets
 * the right bytes (a GET refused for its token logs in again and is sent once more). */
static void read_burst(Cell *c)
{
	Burst b[8];
	GThread *threads[8];

	for (guint i = 0; i < 8; i++) {
		g_autofree char *name = g_strdup_printf("user%04u", i + 5);
		cJSON *u = user_state(c->m, name);

		b[i].c = c;
		b[i].rel = g_strdup_printf("users/%s/user_email", name);
		b[i].want = g_strdup_printf("%s\n",
			cJSON_GetStringValue(cJSON_GetObjectItem(u, "user_email")));
		cJSON_Delete(u);
	}
	g_usleep(1100 * 1000);	/* their cached copies (none, or the prime's) expired */
	for (guint i = 0; i < 8; i++)
		threads[i] = g_thread_new("burst", burst_reader, &b[i]);
	g_usleep(30 * 1000);
	harness_emu_post(c->m, "/__emulator/expire-tokens", "");
	for (guint i = 0; i < 8; i++) {
		g_thread_join(threads[i]);
		g_free(b[i].rel);
		g_free(b[i].want);
	}
}

typedef struct {
	Cell *c;
	int *fds;
	int errs[N_BATCH];
	gint64 took[N_BATCH];
	gint next;
	gint gate;
} Batch;

static gpointer batch_writer(gpointer data)
{
	Batch *b = data;
	guint i;

	while (!g_atomic_int_get(&b->gate))
		g_thread_yield();
	while ((i = (guint)g_atomic_int_add(&b->next, 1)) < N_BATCH) {
		gint64 t = g_get_monotonic_time();
		ssize_t n = write(b->fds[i], "reboot\n", 7);

		b->errs[i] = n < 0 ? errno : n == 7 ? 0 : EIO;
		b->took[i] = g_get_monotonic_time() - t;
	}
	return NULL;
}

/* 6 reboots written at once (descriptors opened beforehand): one batch (src/batch.c). */
static void batch_op(Cell *c, int *fds)
{
	Batch b = { .c = c, .fds = fds };
	GThread *threads[N_BATCH];
	char buf[32], *paths[N_BATCH];
	gint64 wire;

	for (guint i = 0; i < N_BATCH; i++)
		paths[i] = g_strdup_printf("/desktops/%s/action", c->ids[i]);
	for (guint i = 0; i < N_BATCH; i++)
		threads[i] = g_thread_new("batch", batch_writer, &b);
	g_atomic_int_set(&b.gate, 1);
	for (guint i = 0; i < N_BATCH; i++)
		g_thread_join(threads[i]);
	for (guint i = 0; i < N_BATCH; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/action", c->ids[i]);
		gint64 t = g_get_monotonic_time();

		if (b.took[i] > BOUND_US)
			fail(c, "write %s blocked %.2f s", rel, b.took[i] / 1e6);
		close(fds[i]);
		timed(c, "close", rel, t);
	}
	for (guint i = 0; c->fault->kind == KIND_KILL && i < N_BATCH; i++)
		check_mutation(c, "batch reboot (emulator down)", paths[i], b.errs[i], FALSE, 0,
			       0);
	wire = c->fault->kind == KIND_KILL ? 0 : on_the_wire(c->m, R_DESKTOP_ACTION);
	for (guint i = 0; c->fault->kind != KIND_KILL && i < N_BATCH; i++) {
		g_autofree char *what = g_strdup_printf("batch reboot of %s", c->ids[i]);
		gboolean applied = g_str_has_prefix(desktop_task(c->m, c->ids[i], buf),
						    "rebooting");

		check_mutation(c, what, paths[i], b.errs[i], applied, wire, N_BATCH);
	}
	for (guint i = 0; i < N_BATCH; i++)
		g_free(paths[i]);
}

typedef struct {
	Cell *c;
	int n;
	int err;
} Listing;

static gpointer list_thread(gpointer data)
{
	Listing *l = data;

	l->n = timed_list(l->c, "desktops", &l->err);
	return NULL;
}

static void check_listing(Cell *c, int n, int err)
{
	g_test_message("%s: cold listing: %d entries, %s", c->fault->name, n, errname(err));
	if (n < 0 && !allowed(c, err))
		fail(c, "cold listing: %s, not an errno this fault documents", errname(err));
	if (n >= 0 && n != N_DESKTOPS)
		fail(c, "cold listing: %d desktops, not %d", n, N_DESKTOPS);
}

/* The cold listing with the emulator SIGKILLed while its pages are in flight. */
static void killed_listing(Cell *c, gboolean restart)
{
	Listing l = { .c = c };
	GThread *th;

	harness_emu_post(c->m, "/__emulator/faults", "{\"latency_ms\": 400}");
	th = g_thread_new("list", list_thread, &l);
	g_usleep(600 * 1000);	/* the first page answered, the others under way */
	harness_emulator_kill(c->m);
	if (restart)
		harness_emulator_restart(c->m);
	g_thread_join(th);
	check_listing(c, l.n, l.err);
}

static void run_cell(gconstpointer data)
{
	const Fault *fault = data;
	const char *args[] = { "--desktops", "1200", "--users", "12", "--job-seconds", "600",
			       "--seed", "11", NULL };
	g_autofree char *opts = g_strdup_printf("timeout=%d,retries=4,ttl=60,ttl_users=1",
						TIMEOUT_S);
	Cell cell = { .fault = fault, .failures = g_string_new(NULL) };
	Cell *c = &cell;
	g_autofree char *desc = g_strdup_printf("fm %s\n", fault->name);
	g_autofree char *created = g_strdup_printf("fmuser%02d", (int)(fault - faults));
	g_autofree char *create = g_strdup_printf("{\"user_name\": \"%s\"}\n", created);
	int fds[N_BATCH];
	int err, n;

	c->m = harness_emulator_or_skip(args);
	if (!c->m)
		return;
	if (fault->kind == KIND_TOKENS) {
		g_autofree char *pw = g_build_filename(c->m->workdir, "password", NULL);
		g_autofree char *iam = g_strdup_printf(
			"%s,iam_endpoint=http://127.0.0.1:%d,iam_user=admin,"
			"iam_domain=demo-domain,password_file=%s,region=ap-southeast-1", opts,
			c->m->port, pw);

		g_assert_true(g_file_set_contents(pw, "EMULATORPASSWORD\n", -1, NULL));
		g_assert_no_errno(chmod(pw, 0600));
		harness_setenv(c->m, "HUAWEICLOUD_SDK_AK", NULL);
		harness_setenv(c->m, "HUAWEICLOUD_SDK_SK", NULL);
		harness_setenv(c->m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
		harness_setenv(c->m, "HOME", c->m->workdir);
		g_free(opts);
		opts = g_steal_pointer(&iam);
	}
	if (!harness_mount(c->m, opts)) {
		g_test_fail_printf("wksfs did not mount");
		harness_stop(c->m);
		return;
	}
	prime(c);
	for (guint i = 0; i < N_BATCH; i++) {
		g_autofree char *path = g_strdup_printf("%s/desktops/%s/action", c->m->mnt,
							c->ids[i]);

		fds[i] = open(path, O_WRONLY | O_TRUNC);
		g_assert_cmpint(fds[i], >=, 0);
	}
	harness_reset_stats(c->m);

	/* The fault on; the operations under it. */
	if (fault->kind == KIND_PLAIN)
		harness_emu_post(c->m, "/__emulator/faults", fault->body);
	if (fault->kind == KIND_KILL || fault->kind == KIND_RESTART) {
		killed_listing(c, fault->kind == KIND_RESTART);
	} else {
		before_op(c);
		n = timed_list(c, "desktops", &err);
		check_listing(c, n, err);
	}
	g_autofree char *warm_rel = g_strdup_printf("desktops/%s/computer_name", c->ids[0]);
	before_op(c);
	check_read(c, "warm read", warm_rel, c->warm);
	before_op(c);
	check_read(c, "expired read", "users/user0002/user_email", c->expired);
	if (fault->kind == KIND_TOKENS)
		read_burst(c);

	before_op(c);
	int put_err = timed_write(c, "users/user0003/description", desc);
	before_op(c);
	int act_err = timed_write(c, "users/user0004/action", c->locked ? "unlock\n" : "lock\n");
	before_op(c);
	int create_err = timed_write(c, "users/.create", create);
	before_op(c);
	batch_op(c, fds);

	if (fault->kind == KIND_KILL) {
		/* Nothing could have reached a dead emulator: each write failed, and the one
		 * restarted counts from zero. */
		harness_emulator_restart(c->m);
		check_mutation(c, "field write", P_PUT, put_err, FALSE, 0, 0);
		check_mutation(c, "action", P_ACTION, act_err, FALSE, 0, 0);
		check_mutation(c, ".create", P_CREATE, create_err, FALSE, 0, 0);
	} else {
		cJSON *u3 = user_state(c->m, "user0003"), *u4 = user_state(c->m, "user0004");
		cJSON *made = user_state(c->m, created);
		const char *d3 = cJSON_GetStringValue(cJSON_GetObjectItem(u3, "description"));
		g_autofree char *want = g_strndup(desc, strlen(desc) - 1);

		check_mutation(c, "field write", P_PUT, put_err, g_strcmp0(d3, want) == 0,
			       on_the_wire(c->m, R_USER_PUT), 1);
		check_mutation(c, "action", P_ACTION, act_err,
			       cJSON_IsTrue(cJSON_GetObjectItem(u4, "locked")) != c->locked,
			       on_the_wire(c->m, R_USER_ACTION), 1);
		check_mutation(c, ".create", P_CREATE, create_err, made != NULL,
			       on_the_wire(c->m, R_USER_CREATE), 1);
		cJSON_Delete(u3);
		cJSON_Delete(u4);
		cJSON_Delete(made);
		harness_emu_post(c->m, "/__emulator/faults", NO_FAULTS);
	}
	if (fault->kind == KIND_TOKENS) {
		gint64 logins = harness_route_count(c->m, R_LOGIN);

		g_test_message("%s: %" G_GINT64_FORMAT " IAM logins", fault->name, logins);
		if (logins > 10)	/* one per expiry at most, and the start-up one */
			fail(c, "%" G_GINT64_FORMAT " IAM logins for 9 expiries", logins);
	}

	/* The fault off: serving normally. A failure is remembered for up to the time the
	 * failed request took (SEMANTICS §3), so allow a few seconds for the first success. */
	gint64 recover_us = (gint64)8 * SLOWDOWN * G_USEC_PER_SEC;
	gint64 deadline = g_get_monotonic_time() + recover_us;
	gboolean ok = FALSE;

	while (!ok && g_get_monotonic_time() < deadline) {
		g_autofree char *fresh = timed_read(c, "users/user0009/user_email", &err);
		g_autofree char *online = harness_read(c->m, ".wksfs/online");

		n = timed_list(c, "desktops", &err);
		ok = fresh && n == N_DESKTOPS && g_strcmp0(online, "1\n") == 0;
		if (!ok)
			g_usleep(200 * 1000);
	}
	if (!ok)
		fail(c, "after the fault: not serving normally within %d s", 8 * SLOWDOWN);
	g_test_message("%s: serving normally %.2f s after the fault ended", fault->name,
		       (g_get_monotonic_time() - (deadline - recover_us)) / 1e6);
	err = timed_write(c, "users/user0005/description", "after the fault\n");
	if (err)
		fail(c, "after the fault: a field write failed: %s", errname(err));
	cJSON *u5 = user_state(c->m, "user0005");
	if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItem(u5, "description")),
		      "after the fault") != 0)
		fail(c, "after the fault: the field write did not reach the emulator");
	cJSON_Delete(u5);
	if (kill(c->m->fs_pid, 0) != 0)
		fail(c, "the daemon is gone");

	g_test_message("%s: slowest syscall %.2f s (%s)", fault->name, c->slowest_us / 1e6,
		       c->slowest);
	if (c->failures->len)
		g_test_fail_printf("%s:%s", fault->name, c->failures->str);
	harness_stop(c->m);
	g_string_free(c->failures, TRUE);
	for (guint i = 0; i < N_BATCH; i++)
		g_free(c->ids[i]);
	g_free(c->warm);
	g_free(c->expired);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(faults); i++) {
		g_autofree char *name = g_strdup_printf("/fault-matrix/%s", faults[i].name);

		g_test_add_data_func(name, &faults[i], run_cell);
	}
	return g_test_run();
}
