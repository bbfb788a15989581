/* test-precise.c — invalidation is precise and a bulk read is refreshed in bulk, through a
 * real mount of 2,000 desktops. An action on one desktop during a slow listing voids that
 * desktop's store only: afterwards `cat desktops/STAR/status` costs no list GET and one GET
 * of the acted-on desktop (with one global generation the whole listing was refused and read
 * again). With a short TTL, the objects of a listing fall due with it and a bulk read after expiry
 * costs the listing's pages, not a GET per desktop. The emulator's counters are the oracle. */
#include "tests/harness.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#define R_DESKTOP "GET /v2/{project_id}/desktops/{desktop_id}"
#define R_LIST "GET /v2/{project_id}/desktops/detail"
#define R_ACTION "POST /v2/{project_id}/desktops/action"

#define N_DESKTOPS 2000
#define PAGES 4		/* 2,000 desktops in pages of 500 */
#define TTL_S 2		/* the short TTL of the bulk-refresh tests */

static const char *const TENANT[] = {
	"--desktops", "2000", "--users", "5", "--seed", "3", "--job-seconds", "600", NULL,
};

/* `cat desktops/STAR/status` in a shell, as a user types it; its exit status. */
static int cat_all_status(Mount *m, gint64 *ret_elapsed_us)
{
	g_autofree char *dir = harness_path(m, "desktops");
	g_autofree char *script = g_strdup_printf("cat '%s'/*/status > /dev/null", dir);
	const char *argv[] = { "sh", "-c", script, NULL };
	gint64 start = g_get_monotonic_time();
	int status = -1;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, NULL, &status, NULL));
	if (ret_elapsed_us)
		*ret_elapsed_us = g_get_monotonic_time() - start;
	return status;
}

/* The first ACTIVE desktop of the listing: one `stop` can be sent to. */
static char *active_desktop(Mount *m, GPtrArray *names)
{
	for (guint i = 0; i < names->len && i < 50; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)names->pdata[i]);
		g_autofree char *status = harness_read(m, rel);

		if (g_strcmp0(status, "ACTIVE\n") == 0)
			return g_strdup(names->pdata[i]);
	}
	return NULL;
}

static gboolean poll_count(Mount *m, const char *route, gint64 want, gint64 timeout_us)
{
	gint64 deadline = g_get_monotonic_time() + timeout_us;

	while (harness_route_count(m, route) < want) {
		if (g_get_monotonic_time() >= deadline)
			return FALSE;
		g_usleep(10 * 1000);
	}
	return TRUE;
}

/* (a) During a listing of 2,000 desktops slowed to 3 s a page, `echo stop` to one of them.
 * The listing's copy of that desktop is pre-mutation (the emulator answers the page before
 * the action and delivers it after): it must not be stored, and the other 1,999 must. */
static void test_action_during_listing(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, N_DESKTOPS);
	g_autofree char *d = active_desktop(m, names);
	g_assert_nonnull(d);
	g_autofree char *action = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *dir = harness_path(m, "desktops");
	const char *ls[] = { "ls", dir, NULL };
	GPid pid;
	int status;

	/* Cold again, then a slow listing in the background. */
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget desktops\n"), ==, 0);
	harness_emu_post(m, "/__emulator/faults",
			 "{\"latency_ms\": 3000, \"methods\": \"GET\", \"route\": \"" R_LIST "\"}");
	harness_reset_stats(m);
	g_assert_true(g_spawn_async(NULL, (char **)ls, NULL,
				    G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD |
				    G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, &pid, NULL));
	g_assert_true(poll_count(m, R_LIST, 1, 20 * G_USEC_PER_SEC));

	g_assert_cmpint(harness_write(m, action, "stop\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_ACTION), ==, 1);
	/* The action came while the listing was in flight, or the test proves nothing. */
	g_assert_cmpint(waitpid(pid, &status, WNOHANG), ==, 0);
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, PAGES);
	harness_emu_post(m, "/__emulator/faults", "{\"latency_ms\": 0, \"route\": \"\"}");

	harness_reset_stats(m);
	g_assert_cmpint(cat_all_status(m, NULL), ==, 0);
	/* No list GET: the listing's names were stored despite the action. One desktop GET:
	 * the acted-on desktop, whose listed copy was refused; every other was stored. */
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DESKTOP), ==, 1);
	harness_stop(m);
}

/* The twin of (a) without the action: the same slow listing, then the same `cat`, costs
 * nothing at all — the one desktop GET above is the action's, not the harness's. */
static void test_listing_alone(void)
{
	Mount *m = harness_start(TENANT, "ttl=60");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, N_DESKTOPS);
	g_assert_cmpint(harness_write(m, ".wksfs/ctl", "forget desktops\n"), ==, 0);
	harness_emu_post(m, "/__emulator/faults",
			 "{\"latency_ms\": 1000, \"methods\": \"GET\", \"route\": \"" R_LIST "\"}");
	g_autoptr(GPtrArray) again = harness_list(m, "desktops");
	g_assert_cmpuint(again->len, ==, N_DESKTOPS);
	harness_emu_post(m, "/__emulator/faults", "{\"latency_ms\": 0, \"route\": \"\"}");
	harness_reset_stats(m);
	g_assert_cmpint(cat_all_status(m, NULL), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_LIST), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_DESKTOP), ==, 0);
	harness_stop(m);
}

/* The short-TTL tests assume a listing of N_DESKTOPS takes well under the TTL (objects
 * expire a TTL after their page, so a listing slower than the TTL brings first pages that are
 * due already, each then fetched by itself); ttl=2 leaves a loaded machine that margin.
 * Under a sanitizer a listing takes several seconds, and every object falls due while being
 * read. */
static gboolean skip_when_slow(void)
{
	if (harness_slowdown() == 1)
		return FALSE;
	g_test_skip("sanitizer or valgrind build: too slow for ttl=2");
	return TRUE;
}

/* The list GETs a bulk read may cost: the pages, once per TTL it lasts, plus one round. */
static gint64 pages_allowed(gint64 elapsed_us)
{
	return PAGES * (elapsed_us / (TTL_S * G_USEC_PER_SEC) + 2);
}

/* (b) a short TTL: after expiry, `cat desktops/STAR/status` re-lists (the readdir and, when the
 * read outlasts the TTL, the objects falling due with their listing) instead of ~1,000
 * desktop GETs. */
static void test_bulk_refresh_glob(void)
{
	Mount *m = NULL;
	gint64 elapsed_us = 0;

	if (skip_when_slow())
		return;
	m = harness_start(TENANT, "ttl=" G_STRINGIFY(TTL_S));

	if (!m)
		return;
	g_assert_cmpint(cat_all_status(m, NULL), ==, 0);
	g_usleep((TTL_S * 1000 + 200) * 1000);	/* past the TTL: listing and objects are due */
	harness_reset_stats(m);
	g_assert_cmpint(cat_all_status(m, &elapsed_us), ==, 0);
	g_test_message("cat took %" G_GINT64_FORMAT " ms: %" G_GINT64_FORMAT " list GETs, %"
		       G_GINT64_FORMAT " desktop GETs", elapsed_us / 1000,
		       harness_route_count(m, R_LIST), harness_route_count(m, R_DESKTOP));
	g_assert_cmpint(harness_route_count(m, R_DESKTOP), <=, 10);
	g_assert_cmpint(harness_route_count(m, R_LIST), >=, PAGES);
	g_assert_cmpint(harness_route_count(m, R_LIST), <=, pages_allowed(elapsed_us));
	harness_stop(m);
}

/* (b) without the readdir in front: the objects fall due before anyone re-reads the
 * listing. Reading all 2,000 by name after expiry costs the pages (once per TTL the reading
 * lasts), not a GET per desktop. */
static void test_bulk_refresh_by_name(void)
{
	Mount *m = NULL;
	gint64 start, elapsed_us;

	if (skip_when_slow())
		return;
	m = harness_start(TENANT, "ttl=" G_STRINGIFY(TTL_S));

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_assert_cmpuint(names->len, ==, N_DESKTOPS);
	g_usleep((TTL_S * 1000 + 200) * 1000);
	harness_reset_stats(m);
	start = g_get_monotonic_time();
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/status",
						       (char *)names->pdata[i]);
		g_autofree char *status = harness_read(m, rel);

		g_assert_nonnull(status);
	}
	elapsed_us = g_get_monotonic_time() - start;
	g_test_message("reads took %" G_GINT64_FORMAT " ms: %" G_GINT64_FORMAT " list GETs, %"
		       G_GINT64_FORMAT " desktop GETs", elapsed_us / 1000,
		       harness_route_count(m, R_LIST), harness_route_count(m, R_DESKTOP));
	g_assert_cmpint(harness_route_count(m, R_DESKTOP), <=, 10);
	g_assert_cmpint(harness_route_count(m, R_LIST), >=, PAGES);
	g_assert_cmpint(harness_route_count(m, R_LIST), <=, pages_allowed(elapsed_us));
	harness_stop(m);
}

/* The delete that the names in doubt are for: rmdir of one desktop while the listing is
 * fresh (ttl=60) takes it out of the next `ls` at once, through the settled doubt. */
static void test_delete_leaves_listing(void)
{
	Mount *m = harness_start(TENANT, "ttl=60,allow_delete");

	if (!m)
		return;
	g_autoptr(GPtrArray) names = harness_list(m, "desktops");
	g_autofree char *rel = g_strdup_printf("desktops/%s", (char *)names->pdata[7]);
	g_autofree char *path = harness_path(m, rel);

	harness_reset_stats(m);
	g_assert_cmpint(g_rmdir(path), ==, 0);
	g_autoptr(GPtrArray) left = harness_list(m, "desktops");
	g_assert_cmpuint(left->len, ==, N_DESKTOPS - 1);
	g_assert_false(g_ptr_array_find_with_equal_func(left, names->pdata[7], g_str_equal,
							NULL));
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/precise/action-during-listing", test_action_during_listing);
	g_test_add_func("/precise/listing-alone", test_listing_alone);
	g_test_add_func("/precise/bulk-refresh-glob", test_bulk_refresh_glob);
	g_test_add_func("/precise/bulk-refresh-by-name", test_bulk_refresh_by_name);
	g_test_add_func("/precise/delete-leaves-listing", test_delete_leaves_listing);
	return g_test_run();
}
