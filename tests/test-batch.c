/* test-batch.c — action writes that arrive together share one API call (src/batch.c), and
 * one poller per job (src/jobs.c). The emulator's counters are the oracle: how many 4.3.9
 * POSTs and job GETs a workload cost; each writer's write() and action file say its own
 * outcome, a desktop the API names in failed_operation_list failing for that writer only.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_ACTION "POST /v2/{project_id}/desktops/action"
#define R_JOB "GET /v2/{project_id}/workspace-jobs/{job_id}"

typedef struct {
	Mount *m;
	GPtrArray *names;	/* the desktops */
	int *fds;		/* each opened beforehand, or NULL: open, write, close here */
	gint64 *rc;		/* per desktop: write()'s size, or -errno */
	gint next;		/* the next desktop to write */
	gint gate;		/* writers start together once it is 1 */
} Writers;

static gpointer writer_thread(gpointer data)
{
	Writers *ws = data;
	guint i;

	while (!g_atomic_int_get(&ws->gate))
		g_thread_yield();
	while ((i = (guint)g_atomic_int_add(&ws->next, 1)) < ws->names->len) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/action",
						       (char *)ws->names->pdata[i]);
		gssize n;

		if (!ws->fds) {
			int err = harness_write(ws->m, rel, "reboot\n");

			ws->rc[i] = err ? -err : 7;
			continue;
		}
		n = write(ws->fds[i], "reboot\n", 7);
		ws->rc[i] = n < 0 ? -errno : n;
	}
	return NULL;
}

/* `echo reboot > desktops/NAME/action` for every name, from n_threads threads started
 * together (pre_open: every descriptor opened first, so the writes arrive within a few
 * ms). Returns each write's outcome, as in Writers.rc. */
static gint64 *write_all(Mount *m, GPtrArray *names, guint n_threads, gboolean pre_open)
{
	Writers ws = { m, names, NULL, g_new0(gint64, names->len), 0, 0 };
	g_autofree GThread **threads = g_new0(GThread *, n_threads);
	g_autofree int *fds = pre_open ? g_new0(int, names->len) : NULL;

	for (guint i = 0; fds && i < names->len; i++) {
		g_autofree char *path = g_strdup_printf("%s/desktops/%s/action", m->mnt,
							(char *)names->pdata[i]);

		fds[i] = open(path, O_WRONLY | O_TRUNC);
		g_assert_cmpint(fds[i], >=, 0);
	}
	ws.fds = fds;
	for (guint i = 0; i < n_threads; i++)
		threads[i] = g_thread_new("writer", writer_thread, &ws);
	g_atomic_int_set(&ws.gate, 1);
	for (guint i = 0; i < n_threads; i++)
		g_thread_join(threads[i]);
	for (guint i = 0; fds && i < names->len; i++)
		g_assert_cmpint(close(fds[i]), ==, 0);
	return ws.rc;
}

/* The first n desktops that are running (reboot acts on those); with free, only those out
 * of maintenance mode (the generated tenant has some in it). */
static GPtrArray *active_desktops(Mount *m, guint n, gboolean free)
{
	g_autoptr(GPtrArray) active = harness_list(m, "desktops-by-status/ACTIVE");
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < active->len && names->len < n; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/in_maintenance_mode",
						       (char *)active->pdata[i]);
		g_autofree char *maint = free ? harness_read(m, rel) : NULL;

		if (g_strcmp0(maint, "true\n") != 0)
			g_ptr_array_add(names, g_strdup(active->pdata[i]));
	}
	g_assert_cmpuint(names->len, ==, n);
	return names;
}

static char *action_text(Mount *m, const char *name)
{
	g_autofree char *rel = g_strdup_printf("desktops/%s/action", name);

	return harness_read(m, rel);
}

/* 1,000 reboots from 250 writers at once: one 4.3.9 call per batch of up to 100 (a batch
 * holds at most as many writers as are in flight, and as the daemon has threads:
 * max_threads=256 here), each writer its own outcome — the batch's job, or for a desktop
 * the generated tenant has in maintenance mode, EBUSY and the API's message naming it — and
 * the watcher's polls per job, not per desktop (a job ending before its first poll costs
 * that poll and the GET that opening jobs/ID/wait makes). */
static void test_thousand_reboots(void)
{
	const char *args[] = { "--desktops", "1400", "--seed", "21", "--job-seconds", "0.3",
			       NULL };
	/* 50 ms, not the default 20: on a shared 2-core machine, under the whole suite, two
	 * writes of one stream can arrive more than 20 ms apart and end a batch early (a
	 * quiet run holds the budget with 20 ms: 10 to 15 calls). Under valgrind or ASan
	 * (harness_slowdown()) the daemon takes that much longer between two writes. */
	g_autofree char *options = g_strdup_printf("ttl=600,max_threads=256,batch_window_ms=%d",
						   50 * harness_slowdown());
	Mount *m = harness_start(args, options);

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 1000, FALSE);
	g_autoptr(GHashTable) jobs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gint64 *rc = NULL;
	GHashTableIter it;
	gpointer job;
	gint64 posts, polls, start;
	guint refused = 0;

	harness_reset_stats(m);
	start = g_get_monotonic_time();
	rc = write_all(m, names, 250, FALSE);
	posts = harness_route_count(m, R_ACTION);
	g_test_message("1000 reboots: %" G_GINT64_FORMAT " POSTs in %" G_GINT64_FORMAT " ms",
		       posts, (g_get_monotonic_time() - start) / 1000);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *text = action_text(m, names->pdata[i]);

		g_autofree char *rel = g_strdup_printf("desktops/%s/in_maintenance_mode",
						       (char *)names->pdata[i]);
		g_autofree char *maint = harness_read(m, rel);

		g_assert_nonnull(text);
		if (g_strcmp0(maint, "true\n") == 0) {
			/* The API refuses these, and names them: theirs alone fail. */
			g_assert_cmpint(rc[i], ==, -EBUSY);
			g_assert_nonnull(strstr(text, "WKS.0016"));
			g_assert_nonnull(strstr(text, names->pdata[i]));
			refused++;
			continue;
		}
		g_assert_cmpint(rc[i], ==, 7);
		g_assert_true(g_str_has_prefix(text, "job "));
		g_hash_table_add(jobs, g_strndup(text + 4, strcspn(text + 4, "\n")));
	}
	g_test_message("%u refused (maintenance mode)", refused);
	g_assert_cmpuint(refused, <, 100);
	g_assert_cmpint(posts, <=, 20);
	g_assert_cmpint(posts, ==, g_hash_table_size(jobs));	/* one job per call */

	/* Every job ends; waiting on each costs no poll of its own. */
	g_hash_table_iter_init(&it, jobs);
	while (g_hash_table_iter_next(&it, &job, NULL)) {
		g_autofree char *rel = g_strdup_printf("jobs/%s/wait", (char *)job);
		g_autofree char *status = harness_read(m, rel);

		g_assert_cmpstr(status, ==, "SUCCESS\n");
	}
	polls = harness_route_count(m, R_JOB);
	g_test_message("%u jobs: %" G_GINT64_FORMAT " polls", g_hash_table_size(jobs), polls);
	g_assert_cmpint(polls, <=, 40);
	harness_stop(m);
}

/* 50 reboots in one batch, one desktop in maintenance mode: the API names it in
 * failed_operation_list; that writer gets EBUSY and the API's message, the other 49 the
 * job. The audit has a line per writer, all naming the one request id. */
static void test_one_fails_in_batch(void)
{
	const char *args[] = { "--desktops", "80", "--seed", "22", NULL };
	/* A wide window: 50 threads on a shared machine all write within it. */
	Mount *m = harness_start(args, "ttl=600,batch_window_ms=500");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 50, TRUE);
	const char *bad = names->pdata[17];
	g_autofree char *rel = g_strdup_printf("desktops/%s/in_maintenance_mode", bad);
	g_autofree char *audit = NULL, *request_id = NULL, *job = NULL;
	g_autofree gint64 *rc = NULL;
	g_auto(GStrv) lines = NULL;
	guint batched = 0;

	g_assert_cmpint(harness_write(m, rel, "true\n"), ==, 0);
	harness_reset_stats(m);
	rc = write_all(m, names, names->len, TRUE);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *text = action_text(m, names->pdata[i]);

		g_assert_nonnull(text);
		if (names->pdata[i] == bad) {
			g_assert_cmpint(rc[i], ==, -EBUSY);
			g_assert_true(g_str_has_prefix(text, "error: "));
			g_assert_nonnull(strstr(text, "WKS.0016: Cannot operate the desktop in "
						"maintenance mode"));
			g_assert_nonnull(strstr(text, bad));
			continue;
		}
		g_assert_cmpint(rc[i], ==, 7);
		g_assert_true(g_str_has_prefix(text, "job "));
		if (!job)
			job = g_strdup(text);
		g_assert_cmpstr(text, ==, job);
	}

	audit = harness_read(m, ".wksfs/audit");
	g_assert_nonnull(audit);
	lines = g_strsplit(audit, "\n", -1);
	for (char **l = lines; *l; l++) {
		const char *id = strstr(*l, "request_id=");

		if (!strstr(*l, "one of a batch of 50"))
			continue;
		batched++;
		g_assert_nonnull(id);
		g_assert_cmpstr(id, !=, "request_id=-");
		if (!request_id)
			request_id = g_strdup(id);
		g_assert_cmpstr(id, ==, request_id);
		g_assert_nonnull(strstr(*l, " uid=0 pid="));
		g_assert_nonnull(strstr(*l, "path=/desktops/"));
	}
	g_assert_cmpuint(batched, ==, 50);
	harness_stop(m);
}

/* A lone write waits for the window, never longer (plus the call): 500 ms here. */
static void test_lone_write(void)
{
	const char *args[] = { "--desktops", "5", "--seed", "23", NULL };
	Mount *m = harness_start(args, "ttl=600,batch_window_ms=500");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 1, TRUE);
	g_autofree char *rel = g_strdup_printf("desktops/%s/action", (char *)names->pdata[0]);
	gint64 start = g_get_monotonic_time(), took;

	g_assert_cmpint(harness_write(m, rel, "reboot\n"), ==, 0);
	took = (g_get_monotonic_time() - start) / 1000;
	g_test_message("lone write: %" G_GINT64_FORMAT " ms", took);
	g_assert_cmpint(took, >=, 450);
	g_assert_cmpint(took, <, 500 + 1500);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	harness_stop(m);
}

/* The twin: with batch_window_ms=0 the same simultaneous writes cost one call each. */
static void test_window_off(void)
{
	const char *args[] = { "--desktops", "30", "--seed", "22", NULL };
	Mount *m = harness_start(args, "ttl=600,batch_window_ms=0");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 10, TRUE);
	g_autoptr(GHashTable) jobs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autofree gint64 *rc = NULL;

	harness_reset_stats(m);
	rc = write_all(m, names, names->len, TRUE);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 10);
	for (guint i = 0; i < names->len; i++) {
		g_assert_cmpint(rc[i], ==, 7);
		g_hash_table_add(jobs, action_text(m, names->pdata[i]));
	}
	g_assert_cmpuint(g_hash_table_size(jobs), ==, 10);
	harness_stop(m);
}

/* -o dry_run stays per writer, before batching: simultaneous writes are each audited as
 * their own dry run, and nothing is sent. */
static void test_dry_run(void)
{
	const char *args[] = { "--desktops", "30", "--seed", "25", NULL };
	Mount *m = harness_start(args, "ttl=600,dry_run,batch_window_ms=200");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 10, TRUE);
	g_autofree gint64 *rc = NULL;
	g_autofree char *audit = NULL;
	g_auto(GStrv) lines = NULL;
	guint dry = 0;

	harness_reset_stats(m);
	rc = write_all(m, names, names->len, TRUE);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *text = action_text(m, names->pdata[i]);
		g_autofree char *body = g_strdup_printf("{\"desktop_ids\":[\"%s\"],",
							(char *)names->pdata[i]);

		g_assert_cmpint(rc[i], ==, 7);
		g_assert_true(g_str_has_prefix(text, "dry-run: POST "));
		g_assert_nonnull(strstr(text, body));	/* its own id alone */
	}
	audit = harness_read(m, ".wksfs/audit");
	lines = g_strsplit(audit, "\n", -1);
	for (char **l = lines; *l; l++) {
		g_assert_null(strstr(*l, "batch"));
		dry += strstr(*l, "result=\"dry-run, not sent\"") != NULL;
	}
	g_assert_cmpuint(dry, ==, 10);
	harness_stop(m);
}

typedef struct {
	Mount *m;
	const char *rel;
	char *status;
} Waiter;

static gpointer wait_thread(gpointer data)
{
	Waiter *w = data;

	w->status = harness_read(w->m, w->rel);
	return NULL;
}

/* 20 readers of one job's wait file cost no more polls than none: the watcher polls it
 * (at most once a second while someone waits), the readers block on what it learns. */
static void test_waiters_share_polls(void)
{
	const char *args[] = { "--desktops", "5", "--seed", "24", "--job-seconds", "3", NULL };
	Mount *m = harness_start(args, "ttl=600,batch_window_ms=0");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = active_desktops(m, 1, TRUE);
	g_autofree char *rel = g_strdup_printf("desktops/%s/action", (char *)names->pdata[0]);
	g_autofree char *text = NULL, *wait_rel = NULL;
	Waiter waiters[20];
	GThread *threads[20];
	gint64 polls;

	g_assert_cmpint(harness_write(m, rel, "reboot\n"), ==, 0);
	text = action_text(m, names->pdata[0]);
	g_assert_true(g_str_has_prefix(text, "job "));
	wait_rel = g_strdup_printf("jobs/%.*s/wait", (int)strcspn(text + 4, "\n"), text + 4);
	harness_reset_stats(m);
	for (int i = 0; i < 20; i++) {
		waiters[i] = (Waiter){ m, wait_rel, NULL };
		threads[i] = g_thread_new("waiter", wait_thread, &waiters[i]);
	}
	for (int i = 0; i < 20; i++) {
		g_thread_join(threads[i]);
		g_assert_cmpstr(waiters[i].status, ==, "SUCCESS\n");
		g_free(waiters[i].status);
	}
	polls = harness_route_count(m, R_JOB);
	g_test_message("20 waiters, a 3 s job: %" G_GINT64_FORMAT " polls", polls);
	g_assert_cmpint(polls, >=, 1);
	g_assert_cmpint(polls, <=, 6);
	harness_stop(m);
}

/* The options take what the other numeric ones take, and --help names them. */
static void test_options(void)
{
	const char *bin = g_getenv("WKSFS_BIN");
	g_autofree char *out = NULL, *err = NULL;
	const char *help[] = { bin, "--help", NULL };
	const char *bad[] = { bin, "/nonexistent", "-o", "batch_window_ms=20ms,batch_max=0",
			      NULL };
	int status = 0;

	g_assert_nonnull(bin);
	g_assert_true(g_spawn_sync(NULL, (char **)help, NULL, 0, NULL, NULL, &out, NULL,
				   &status, NULL));
	g_assert_nonnull(strstr(out, "-o batch_window_ms=MS"));
	g_assert_nonnull(strstr(out, "-o batch_max=N"));
	g_clear_pointer(&out, g_free);
	g_assert_true(g_spawn_sync(NULL, (char **)bad, NULL, 0, NULL, NULL, &out, &err,
				   &status, NULL));
	g_assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_assert_nonnull(strstr(err, "bad option batch_window_ms=20ms: want a whole number"));
	g_assert_nonnull(strstr(err, "bad option batch_max=0: must be 1..100"));
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/batch/options", test_options);
	g_test_add_func("/batch/thousand-reboots", test_thousand_reboots);
	g_test_add_func("/batch/one-fails-in-batch", test_one_fails_in_batch);
	g_test_add_func("/batch/lone-write", test_lone_write);
	g_test_add_func("/batch/window-off", test_window_off);
	g_test_add_func("/batch/dry-run", test_dry_run);
	g_test_add_func("/batch/waiters-share-polls", test_waiters_share_polls);
	return g_test_run();
}
