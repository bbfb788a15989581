/* test-network.c — the client against a hostile network and odd servers, mounted for real:
 * one IAM login per expiry, a mutation on the wire once whatever happens to it, which 401s
 * are resent, names a strict JSON parser rejects, bodies that are garbage every time, pagers
 * that ignore offset or lie about the total, ids that are URL dot segments. The emulator's
 * request counters are the oracle. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define LOGIN "POST /v3/auth/tokens"
#define USERS "GET /v2/{project_id}/users"
#define DESKTOPS "GET /v2/{project_id}/desktops/detail"
#define USER_ACTION "POST /v2/{project_id}/users/{user_id}/actions"
#define USER_PUT "PUT /v2/{project_id}/users/{user_id}"
#define NO_FAULTS "{\"fail_rate\": 0, \"reset_rate\": 0, \"truncate_rate\": 0, " \
		  "\"malformed_rate\": 0, \"html_rate\": 0, \"stall_ms\": 0, \"methods\": \"\", " \
		  "\"fail_code\": \"\", \"ignore_offset\": false, \"total\": \"\"}"

/* The emulator with IAM password login set up (no AK/SK anywhere), mounted with opts. */
static Mount *iam_mount(const char *const *args, const char *opts)
{
	Mount *m = harness_emulator_or_skip(args);

	if (!m)
		return NULL;
	g_autofree char *pw = g_build_filename(m->workdir, "password", NULL);
	g_assert_true(g_file_set_contents(pw, "EMULATORPASSWORD\n", -1, NULL));
	g_assert_no_errno(g_chmod(pw, 0600));
	g_autofree char *all = g_strdup_printf(
		"%s,iam_endpoint=http://127.0.0.1:%d,iam_user=admin,iam_domain=demo-domain,"
		"password_file=%s,region=ap-southeast-1", opts, m->port, pw);
	harness_setenv(m, "HUAWEICLOUD_SDK_AK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_SK", NULL);
	harness_setenv(m, "HUAWEICLOUD_SDK_PROJECT_ID", NULL);
	harness_setenv(m, "HOME", m->workdir);
	if (!harness_mount(m, all)) {
		g_test_fail_printf("IAM login mount failed");
		harness_stop(m);
		return NULL;
	}
	return m;
}

static int count_entries(Mount *m, const char *rel, int *ret_err)
{
	g_autofree char *path = harness_path(m, rel);
	DIR *d = opendir(path);
	struct dirent *de;
	int n = 0;

	*ret_err = 0;
	if (!d) {
		*ret_err = errno;
		return -1;
	}
	errno = 0;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')	/* ., .., a collection's .create */
			n++;
	if (errno)
		*ret_err = errno;
	closedir(d);
	return *ret_err ? -1 : n;
}

static gboolean listed(GPtrArray *names, const char *name)
{
	return g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL);
}

/* Reads whose GETs fail with 503 most of the time are retried, and the retries reuse the
 * token: the only login is the one at start-up (the token is valid for 24 h). */
static void test_iam_no_login_per_retry(void)
{
	const char *args[] = { "--users", "4", NULL };
	Mount *m = iam_mount(args, "ttl=0,retries=10");

	if (!m)
		return;
	g_autofree char *email = harness_read(m, "users/user0001/user_email");
	g_assert_nonnull(email);
	g_assert_cmpint(harness_route_count(m, LOGIN), ==, 1);
	harness_reset_stats(m);
	/* p = 0.6^11 ~ 0.4% that one GET fails for good: the reads succeed. */
	harness_emu_post(m, "/__emulator/faults",
			 "{\"fail_rate\": 0.6, \"fail_status\": 503, \"methods\": \"GET\"}");
	for (int i = 0; i < 5; i++) {
		g_autofree char *got = harness_read(m, "users/user0001/user_email");

		g_assert_cmpstr(got, ==, email);
	}
	harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
	/* The retry loop ran (many more GETs than reads), and logged in no more. */
	g_assert_cmpint(harness_route_count(m, USERS), >=, 5 + 3);
	g_assert_cmpint(harness_route_count(m, LOGIN), ==, 0);
	harness_stop(m);
}

/* A 401 to a mutation is resent after a new login only when the API gateway refused it
 * (APIGW.0301: the service never saw it); a 401 from the service itself is final. */
static void test_iam_401_on_mutation(void)
{
	const char *args[] = { "--users", "4", NULL };
	Mount *m = iam_mount(args, "ttl=0");

	if (!m)
		return;
	g_autofree char *warm = harness_read(m, "users/user0001/user_email");
	g_assert_nonnull(warm);
	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 401, "
			 "\"fail_code\": \"WKS.5100\", \"methods\": \"POST\", "
			 "\"route\": \"" USER_ACTION "\"}");
	g_assert_cmpint(harness_write(m, "users/user0001/action", "lock\n"), ==, EACCES);
	g_assert_cmpint(harness_route_count(m, USER_ACTION), ==, 1);
	g_assert_cmpint(harness_route_count(m, LOGIN), ==, 0);

	/* The gateway's refusal: one new login, one resend (refused again: the writer hears). */
	harness_emu_post(m, "/__emulator/faults", "{\"fail_code\": \"\"}");
	g_assert_cmpint(harness_write(m, "users/user0001/action", "lock\n"), ==, EACCES);
	g_assert_cmpint(harness_route_count(m, USER_ACTION), ==, 1 + 2);
	g_assert_cmpint(harness_route_count(m, LOGIN), ==, 1);
	harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
	harness_stop(m);
}

/* Each fault on the mutation's method only, so the GETs around it keep a kept-alive
 * connection warm: the reuse path (where libcurl would resend silently) is exercised. */
static const char *const mutation_faults[] = {
	"\"reset_rate\": 1.0",
	"\"truncate_rate\": 1.0",
	"\"malformed_rate\": 1.0",
	"\"stall_ms\": 4000",
	"\"fail_rate\": 1.0, \"fail_status\": 500",
	"\"fail_rate\": 1.0, \"fail_status\": 503",
	"\"fail_rate\": 1.0, \"fail_status\": 429, \"retry_after_s\": 0",
};

static void warm_connections(Mount *m)
{
	for (int i = 0; i < 4; i++) {
		g_autofree char *got = harness_read(m, "users/user0002/user_email");

		g_assert_nonnull(got);
	}
}

/* A mutation reaches the API once under every fault, and its writer hears of the failure. */
static void test_mutation_once(void)
{
	const char *args[] = { "--users", "4", NULL };
	Mount *m = harness_start(args, "ttl=0,timeout=2,retries=4");
	g_autoptr(GString) failures = g_string_new(NULL);

	if (!m)
		return;
	for (gsize f = 0; f < G_N_ELEMENTS(mutation_faults); f++) {
		static const struct {
			const char *method, *route, *file, *text;
		} writes[] = {
			{ "POST", USER_ACTION, "users/user0001/action", "reset-password\n" },
			{ "PUT", USER_PUT, "users/user0001/description", "changed once\n" },
		};

		for (gsize w = 0; w < G_N_ELEMENTS(writes); w++) {
			g_autofree char *fault = g_strdup_printf("{%s, \"methods\": \"%s\"}",
								 mutation_faults[f],
								 writes[w].method);
			gint64 before;
			int rc;

			warm_connections(m);
			before = harness_route_count(m, writes[w].route);
			harness_emu_post(m, "/__emulator/faults", fault);
			rc = harness_write(m, writes[w].file, writes[w].text);
			harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
			if (rc == 0)
				g_string_append_printf(failures, "; %s under %s: the write "
						       "succeeded", writes[w].method, fault);
			if (harness_route_count(m, writes[w].route) != before + 1)
				g_string_append_printf(failures, "; %s under %s: %" G_GINT64_FORMAT
						       " requests on the wire, not 1",
						       writes[w].method, fault,
						       harness_route_count(m, writes[w].route) -
						       before);
		}
	}
	if (failures->len)
		g_test_fail_printf("%s", failures->str + 2);
	harness_stop(m);
}

/* A name holding a lone surrogate escape does not make its collection unreadable: it shows
 * as the text \ud800lone, its object reads, and no page is fetched twice. */
static void test_lone_surrogate_name(void)
{
	const char *args[] = { "--users", "8", "--desktops", "4", "--hostile-wire", NULL };
	Mount *m = harness_start(args, "ttl=60,retries=4");

	if (!m)
		return;
	harness_reset_stats(m);
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_assert_cmpuint(users->len, ==, 8);
	g_assert_cmpuint(desktops->len, ==, 4);
	g_assert_true(listed(users, "\\ud800lone"));
	g_autofree char *uname = harness_read(m, "users/\\ud800lone/user_name");
	g_assert_cmpstr(uname, ==, "\\ud800lone\n");
	g_autofree char *uinfo = harness_read(m, "users/\\ud800lone/info.json");
	g_assert_true(uinfo && strstr(uinfo, "\\\\ud800lone"));	/* JSON: an escaped backslash */
	/* Desktops are named by id; the odd one is a computer_name. */
	int odd = 0;
	for (guint i = 0; i < desktops->len; i++) {
		g_autofree char *rel = g_strdup_printf("desktops/%s/computer_name",
						       (char *)desktops->pdata[i]);
		g_autofree char *info = g_strdup_printf("desktops/%s/info.json",
							(char *)desktops->pdata[i]);
		g_autofree char *cn = harness_read(m, rel);
		g_autofree char *json = harness_read(m, info);

		g_assert_nonnull(json);
		if (g_strcmp0(cn, "\\ud800lone\n") == 0)
			odd++;
	}
	g_assert_cmpint(odd, ==, 1);
	g_assert_cmpint(harness_route_count(m, USERS), ==, 1);
	g_assert_cmpint(harness_route_count(m, DESKTOPS), ==, 1);
	harness_stop(m);
}

/* A 200 whose body is the same garbage every time is asked for again once, not retries
 * times: the same bytes twice are what the server says. */
static void test_same_garbage_not_retried(void)
{
	const char *args[] = { "--users", "4", NULL };
	Mount *m = harness_start(args, "ttl=0,retries=10");

	if (!m)
		return;
	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"html_rate\": 1.0, \"methods\": \"GET\"}");
	g_autofree char *got = harness_read(m, "users/user0001/user_email");
	int err = errno;
	harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
	g_assert_null(got);
	g_assert_cmpint(err, ==, EIO);
	g_assert_cmpint(harness_route_count(m, USERS), ==, 2);
	harness_stop(m);
}

/* A server that ignores offset costs a handful of GETs, with a total (inflated: the
 * concurrent pages) and without one (the sequential walk), for collections and for
 * sub-collections (a group's members). */
static void test_broken_pager(void)
{
	const char *args[] = { "--desktops", "1200", "--users", "30", "--groups", "2", NULL };
	Mount *m = harness_start(args, "ttl=0,max_conns=4");

	if (!m)
		return;
	static const char *const totals[] = { "inflate", "hide" };
	for (gsize t = 0; t < G_N_ELEMENTS(totals); t++) {
		g_autofree char *fault = g_strdup_printf("{\"ignore_offset\": true, "
							 "\"total\": \"%s\"}", totals[t]);
		int err = 0, n;

		harness_reset_stats(m);
		harness_emu_post(m, "/__emulator/faults", fault);
		n = count_entries(m, "desktops", &err);
		harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
		g_assert_cmpint(err, ==, 0);
		g_assert_cmpint(n, ==, 500);	/* the one page the server keeps sending */
		g_assert_cmpint(harness_route_count(m, DESKTOPS), >=, 2);
		g_assert_cmpint(harness_route_count(m, DESKTOPS), <=, 4 + 2);
	}

	g_autoptr(GPtrArray) groups = harness_list(m, "user-groups");
	g_assert_cmpuint(groups->len, >=, 1);
	g_autofree char *rel = g_strdup_printf("user-groups/%s/members",
					       (char *)groups->pdata[0]);
	int err = 0;
	int members = count_entries(m, rel, &err);
	g_assert_cmpint(err, ==, 0);
	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"ignore_offset\": true, "
			 "\"total\": \"inflate\"}");
	int got = count_entries(m, rel, &err);
	harness_emu_post(m, "/__emulator/faults", NO_FAULTS);
	g_assert_cmpint(err, ==, 0);
	g_assert_cmpint(got, ==, members);
	g_assert_cmpint(harness_route_count(m, "GET /v2/{project_id}/groups/{group_id}/users"),
			<=, 3);
	harness_stop(m);
}

/* A listing is bounded in time too: with -o timeout=5 a walk of slow pages without a total
 * fails with ETIMEDOUT after about 4 x 5 s instead of taking as long as the pages do (24
 * pages of over a second here; each page well inside its own timeout, even under a
 * sanitizer, where the emulator alone takes about a second to render a page). */
static void test_listing_deadline(void)
{
	const char *args[] = { "--desktops", "12000", "--users", "4", NULL };
	Mount *m = harness_start(args, "ttl=0,timeout=5");

	if (!m)
		return;
	harness_reset_stats(m);
	harness_emu_post(m, "/__emulator/faults", "{\"total\": \"hide\", \"latency_ms\": 1000}");
	gint64 t0 = g_get_monotonic_time();
	int err = 0;
	int n = count_entries(m, "desktops", &err);
	gint64 took = g_get_monotonic_time() - t0;
	harness_emu_post(m, "/__emulator/faults", "{\"total\": \"\", \"latency_ms\": 0}");
	g_assert_cmpint(n, ==, -1);
	g_assert_cmpint(err, ==, ETIMEDOUT);
	g_assert_cmpint(took, >=, 20 * G_USEC_PER_SEC);
	g_assert_cmpint(took, <, 32 * G_USEC_PER_SEC);
	g_assert_cmpint(harness_route_count(m, DESKTOPS), <, 24);
	harness_stop(m);
}

/* Objects whose id is "." or "..": the request reaches the object's route (libcurl would
 * remove a literal dot segment after signing), and what it changed reads back. */
static void test_dot_ids(void)
{
	const char *args[] = { "--users", "8", "--hostile-wire", NULL };
	Mount *m = harness_start(args, "ttl=0");

	if (!m)
		return;
	static const char *const files[] = { "%2E.", "%2E" };
	for (gsize i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autofree char *desc = g_strdup_printf("users/%s/description", files[i]);
		g_autofree char *action = g_strdup_printf("users/%s/action", files[i]);
		g_autofree char *name = g_strdup_printf("users/%s/user_name", files[i]);
		g_autofree char *uname = harness_read(m, name);

		g_assert_cmpstr(uname, ==, i == 0 ? "..\n" : ".\n");
		harness_reset_stats(m);
		g_assert_cmpint(harness_write(m, desc, "dotted\n"), ==, 0);
		g_assert_cmpint(harness_route_count(m, USER_PUT), ==, 1);
		g_autofree char *got = harness_read(m, desc);
		g_assert_cmpstr(got, ==, "dotted\n");
		g_assert_cmpint(harness_write(m, action, "lock\n"), ==, 0);
		g_assert_cmpint(harness_route_count(m, USER_ACTION), ==, 1);
		g_assert_cmpint(harness_route_count(m, "unmatched"), ==, 0);
		g_autofree char *locked = g_strdup_printf("users/%s/locked", files[i]);
		g_autofree char *state = harness_read(m, locked);
		g_assert_cmpstr(state, ==, "true\n");
	}
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_set_nonfatal_assertions();
	g_test_add_func("/network/iam-no-login-per-retry", test_iam_no_login_per_retry);
	g_test_add_func("/network/iam-401-on-mutation", test_iam_401_on_mutation);
	g_test_add_func("/network/mutation-once", test_mutation_once);
	g_test_add_func("/network/lone-surrogate-name", test_lone_surrogate_name);
	g_test_add_func("/network/same-garbage-not-retried", test_same_garbage_not_retried);
	g_test_add_func("/network/broken-pager", test_broken_pager);
	g_test_add_func("/network/listing-deadline", test_listing_deadline);
	g_test_add_func("/network/dot-ids", test_dot_ids);
	return g_test_run();
}
