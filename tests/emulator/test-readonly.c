/* test-readonly.c — the read-only kinds of wksfs issue 10 in the emulator, over real HTTP:
 * every list route answers its documented array and total; paging by each list's own
 * limits (the 400s of a limit out of range, an offset past 4.14.13's 99, a missing
 * mandatory offset or limit on 4.20.1 and 4.15.3); the filters wksfs sends for a name;
 * details with their wrapper and brief lists without the detail's fields; sub-collections
 * and their 404; the singletons (statistics that follow the desktops, online-users' query
 * rules); the live jobs' sub-jobs; --kind-count, --hostile-names, the state views and
 * determinism per seed.
 */
#include "tests/emulator/emu-client.h"

#include <string.h>

#define P "/v2/" PROJECT
#define A "/v1/" PROJECT

static Emulator *shared;

static int size_of(const cJSON *obj, const char *array)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(obj, array);

	g_assert_true(cJSON_IsArray(arr));
	return cJSON_GetArraySize(arr);
}

static void assert_status(const char *target, long status, const char *code)
{
	g_autoptr(Reply) r = http(shared, "GET", target, NULL, AUTH_SIGNED);

	if (code)
		assert_error(r, status, code);
	else
		g_assert_cmpint(r->status, ==, status);
}

/* Every list: 200, its array, its total (or none) equal to the objects when they fit. */
static void test_lists(void)
{
	static const struct {
		const char *target, *array, *total;
	} lists[] = {
		{ P "/sites", "site_infos", "total_count" },
		{ P "/ous?offset=0&limit=1000", "ous", "total_count" },
		{ P "/availability-zones", "availability_zones", "total_count" },
		{ P "/products?offset=0&limit=100", "products", "total_count" },
		{ P "/images?offset=0&limit=100", "images", "total_count" },
		{ P "/desktop-name-policies?offset=0&limit=50", "desktop_name_policy_infos",
		  "total_count" },
		{ P "/terminals/binding-desktops?offset=0&limit=100", "bind_list", "total_num" },
		{ P "/bandwidths?offset=0&limit=1000", "bandwidths", "total_count" },
		{ P "/eips?offset=0&limit=1000", "eips", "total_count" },
		{ P "/nat-gateways", "nat_gateways", NULL },
		{ P "/policy-groups/detail?offset=0&limit=100", "policy_groups", "total_count" },
		{ P "/access-policy?offset=0&limit=100", "policies", "total" },
		{ P "/scripts?offset=0&limit=100", "scripts", "count" },
		{ P "/script-execution-records?offset=0&limit=100", "script_records", "count" },
		{ P "/scheduled-tasks?offset=0&limit=50", "scheduled_tasks", "total_count" },
		{ P "/snapshots?offset=0&limit=1000", "desktop_snapshots", "total_count" },
		{ P "/screen-records?offset=0&limit=100", "screen_records", "total_count" },
		{ P "/statistics/notify-rules?offset=0&limit=100", "items", "count" },
		{ P "/alarms?offset=0&limit=100", "alarm_histories", "count" },
		{ P "/workspace-sub-jobs?offset=0&limit=1000", "jobs", "total_count" },
		{ A "/app-center/apps?offset=0&limit=100", "items", "count" },
		{ A "/app-center/app-catalogs", "items", NULL },
		{ A "/app-center/app-rules?offset=0&limit=100", "items", "count" },
		{ A "/app-groups?offset=0&limit=100", "items", "count" },
		{ A "/image-servers?offset=0&limit=100", "items", "count" },
		{ A "/persistent-storages?offset=0&limit=100", "items", "count" },
		{ A "/policy-groups?offset=0&limit=100", "items", "count" },
		{ A "/schedule-task?offset=0&limit=100", "items", "count" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(lists); i++) {
		cJSON *body = get_json(shared, lists[i].target);
		int n = size_of(body, lists[i].array);

		g_assert_cmpint(n, >, 0);
		/* Equal, but where the tenant holds more than the page (scheduled tasks). */
		if (lists[i].total && !strstr(lists[i].target, "scheduled-tasks"))
			g_assert_cmpfloat(num_field(body, lists[i].total), ==, n);
		else if (lists[i].total)
			g_assert_cmpfloat(num_field(body, lists[i].total), >, n);
		else
			g_assert_null(cJSON_GetObjectItem(body, "total_count"));
		cJSON_Delete(body);
	}
	/* 4.25.1: the resources inside an object, and the site quotas beside them. */
	cJSON *q = get_json(shared, P "/quotas");

	g_assert_cmpint(size_of(cJSON_GetObjectItem(q, "quotas"), "resources"), ==, 8);
	g_assert_cmpint(size_of(q, "site_quotas"), ==, 1);
	cJSON_Delete(q);
}

static void test_paging(void)
{
	cJSON *page = get_json(shared, P "/scheduled-tasks?offset=50&limit=50");
	cJSON *first = get_json(shared, P "/scheduled-tasks?offset=0&limit=2");
	cJSON *apps = get_json(shared, A "/app-groups");

	/* --kind-count scheduled-tasks=55: a second page of 5. */
	g_assert_cmpint(size_of(page, "scheduled_tasks"), ==, 5);
	g_assert_cmpfloat(num_field(page, "total_count"), ==, 55);
	g_assert_cmpint(size_of(first, "scheduled_tasks"), ==, 2);
	/* App Streaming's default page is 10. */
	g_assert_cmpint(size_of(apps, "items"), ==, 10);
	g_assert_cmpfloat(num_field(apps, "count"), ==, 12);
	cJSON_Delete(page);
	cJSON_Delete(first);
	cJSON_Delete(apps);
	/* The mandatory offset and limit (4.20.1, 4.15.3). */
	assert_status(P "/scheduled-tasks", 400, "WKS.0001");
	assert_status(P "/scheduled-tasks?offset=0", 400, "WKS.0001");
	assert_status(P "/terminals/binding-desktops?limit=10", 400, "WKS.0001");
	/* Each list's own limits. */
	assert_status(P "/scheduled-tasks?offset=0&limit=51", 400, "WKS.0509");
	assert_status(P "/desktop-name-policies?limit=51", 400, "WKS.0509");
	assert_status(P "/policy-groups/detail?limit=101", 400, "WKS.0509");
	assert_status(P "/scripts?limit=0", 400, "WKS.0509");
	assert_status(A "/app-groups?limit=101", 400, "WKS.0509");
	assert_status(P "/snapshots?limit=1001", 400, "WKS.0509");
	assert_status(P "/images?offset=-1", 400, "WKS.0508");
	assert_status(P "/access-policy?offset=100&limit=100", 400, "WKS.0508");
	assert_status(P "/access-policy?offset=99&limit=100", 200, NULL);
	/* 4.29.9 takes no offset: every answer starts at the first gateway. */
	cJSON *a = get_json(shared, P "/nat-gateways?limit=1");
	cJSON *b = get_json(shared, P "/nat-gateways?limit=1&offset=1");

	g_assert_cmpint(size_of(a, "nat_gateways"), ==, 1);
	g_assert_cmpstr(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(a, "nat_gateways"), 0),
				  "id"), ==,
			str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "nat_gateways"), 0),
				  "id"));
	cJSON_Delete(a);
	cJSON_Delete(b);
}

/* The name filters wksfs sends, exact or fuzzy as documented. */
static void test_filters(void)
{
	static const struct {
		const char *target, *array;
		int n;
	} filters[] = {
		{ P "/policy-groups/detail?policy_group_name=Policy%20group%202", "policy_groups",
		  1 },
		{ P "/policy-groups/detail?policy_group_name=policy%20GROUP", "policy_groups", 3 },
		{ P "/desktop-name-policies?policy_name=name_policy", "desktop_name_policy_infos",
		  3 },
		{ P "/scripts?name=script-02", "scripts", 1 },
		{ P "/scripts?name=script", "scripts", 0 },
		{ P "/scheduled-tasks?offset=0&limit=50&task_name=Scheduled%20task%207",
		  "scheduled_tasks", 1 },
		{ P "/ous?ou_name=ou02", "ous", 1 },
		{ P "/products?product_id=workspace.x86.general.large2", "products", 1 },
		{ P "/bandwidths?bandwidth_name=wks-bw-01", "bandwidths", 1 },
		{ P "/nat-gateways?name=nat-wks-01", "nat_gateways", 1 },
		{ A "/app-center/apps?name=APP-0", "items", 3 },
		{ A "/app-center/app-rules?name=rule-02", "items", 1 },
		{ A "/app-groups?name=app-group-1&limit=100", "items", 3 },
		{ A "/image-servers?server_name=image-server", "items", 2 },
		{ A "/persistent-storages?name=storage-02", "items", 1 },
		{ A "/policy-groups?policy_group_name=app-policy-01", "items", 1 },
		{ A "/schedule-task?task_name=server-task-02", "items", 1 },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(filters); i++) {
		cJSON *body = get_json(shared, filters[i].target);

		if (size_of(body, filters[i].array) != filters[i].n)
			g_test_fail_printf("%s: %d, not %d", filters[i].target,
					   size_of(body, filters[i].array), filters[i].n);
		cJSON_Delete(body);
	}
	/* The filter selects; it is the total too. */
	cJSON *eips = get_json(shared, P "/eips");
	const char *address = str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(eips, "eips"), 1),
					"address");
	g_autofree char *one = g_strdup_printf(P "/eips?address=%s", address);
	cJSON *hit = get_json(shared, one);

	g_assert_cmpfloat(num_field(hit, "total_count"), ==, 1);
	cJSON_Delete(hit);
	cJSON_Delete(eips);
}

/* A detail: the wrapper, the detail's own fields; the list is brief. */
static void test_details(void)
{
	cJSON *pgs = get_json(shared, P "/policy-groups/detail");
	const cJSON *pg = cJSON_GetArrayItem(cJSON_GetObjectItem(pgs, "policy_groups"), 0);
	g_autofree char *pg_path = g_strdup_printf(P "/policy-groups/%s",
						   str_field(pg, "policy_group_id"));
	cJSON *one = get_json(shared, pg_path);
	cJSON *scripts = get_json(shared, P "/scripts");
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(scripts, "scripts"), 1);
	g_autofree char *s_path = g_strdup_printf(P "/scripts/%s", str_field(s, "id"));
	cJSON *script = get_json(shared, s_path);
	cJSON *tasks = get_json(shared, P "/scheduled-tasks?offset=0&limit=1");
	const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(tasks, "scheduled_tasks"), 0);
	g_autofree char *t_path = g_strdup_printf(P "/scheduled-tasks/%s", str_field(t, "id"));
	cJSON *task = get_json(shared, t_path);

	g_assert_true(cJSON_Compare(cJSON_GetObjectItem(one, "policy_group"), pg, TRUE));
	g_assert_null(cJSON_GetObjectItem(s, "content"));
	g_assert_nonnull(cJSON_GetObjectItem(script, "content"));
	g_assert_cmpstr(str_field(script, "name"), ==, str_field(s, "name"));
	g_assert_nonnull(cJSON_GetObjectItem(t, "last_status"));
	g_assert_null(cJSON_GetObjectItem(t, "week_list"));
	g_assert_null(cJSON_GetObjectItem(task, "last_status"));
	g_assert_nonnull(cJSON_GetObjectItem(task, "week_list"));
	assert_status(P "/scripts/nope", 404, "WKS.00010031");
	assert_status(P "/policy-groups/nope", 404, "WKS.00010031");
	cJSON_Delete(pgs);
	cJSON_Delete(one);
	cJSON_Delete(scripts);
	cJSON_Delete(script);
	cJSON_Delete(tasks);
	cJSON_Delete(task);
}

static void test_sub_collections(void)
{
	cJSON *groups = get_json(shared, A "/app-groups?limit=2");
	const cJSON *g = cJSON_GetArrayItem(cJSON_GetObjectItem(groups, "items"), 1);
	g_autofree char *path = g_strdup_printf(A "/app-groups/%s/apps", str_field(g, "id"));
	cJSON *apps = get_json(shared, path);
	const cJSON *app;
	cJSON *tasks = get_json(shared, P "/scheduled-tasks?offset=0&limit=1");
	const cJSON *t = cJSON_GetArrayItem(cJSON_GetObjectItem(tasks, "scheduled_tasks"), 0);
	g_autofree char *records = g_strdup_printf(P "/scheduled-tasks/%s/records?limit=100",
						   str_field(t, "id"));
	cJSON *recs = get_json(shared, records);

	g_assert_cmpint(size_of(apps, "items"), ==, 3);
	g_assert_cmpfloat(num_field(g, "app_count"), ==, 3);
	cJSON_ArrayForEach(app, cJSON_GetObjectItem(apps, "items"))
		g_assert_cmpstr(str_field(app, "app_group_id"), ==, str_field(g, "id"));
	g_assert_cmpint(size_of(recs, "tasks_records"), ==, 3);
	g_assert_cmpstr(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(recs, "tasks_records"),
						     0), "task_type"), ==,
			str_field(t, "task_type"));
	assert_status(A "/app-groups/nope/apps", 404, "WKS.00010031");
	assert_status(P "/scheduled-tasks/nope/records", 404, "WKS.00010031");
	cJSON_Delete(groups);
	cJSON_Delete(apps);
	cJSON_Delete(tasks);
	cJSON_Delete(recs);
}

/* The statistics follow the desktops; a stop moves them once its job ends. */
static void test_statistics(void)
{
	cJSON *desktops = get_json(shared, P "/desktops/detail");
	cJSON *run = get_json(shared, P "/desktops/statistics/run-state");
	cJSON *login = get_json(shared, P "/desktops/statistics/login-state");
	cJSON *unused = get_json(shared, P "/desktops/statistics/unused?limit=2000");
	cJSON *alarms = get_json(shared, P "/statistics/alarms");
	cJSON *listed = get_json(shared, P "/alarms");
	const cJSON *d;
	int active = 0, connected = 0, stop_num;
	const char *victim = NULL;

	cJSON_ArrayForEach(d, cJSON_GetObjectItem(desktops, "desktops")) {
		active += g_str_equal(str_field(d, "status"), "ACTIVE");
		connected += g_str_equal(str_field(d, "login_status"), "CONNECTED");
		if (!victim && g_str_equal(str_field(d, "status"), "ACTIVE") &&
		    !cJSON_IsTrue(cJSON_GetObjectItem(d, "in_maintenance_mode")))
			victim = str_field(d, "desktop_id");
	}
	g_assert_cmpfloat(num_field(run, "active_num"), ==, active);
	g_assert_cmpfloat(num_field(login, "in_use_num"), ==, connected);
	g_assert_cmpfloat(num_field(unused, "total_count"), ==, size_of(unused, "unused_desktops"));
	g_assert_cmpfloat(num_field(alarms, "total"), ==, num_field(listed, "count"));
	stop_num = (int)num_field(run, "stop_num");
	g_assert_nonnull(victim);
	g_autofree char *body = g_strdup_printf("{\"desktop_ids\": [\"%s\"], \"op_type\": "
						"\"os-stop\"}", victim);
	g_autoptr(Reply) r = http(shared, "POST", P "/desktops/action", body, AUTH_SIGNED);

	g_assert_cmpint(r->status, ==, 200);
	wait_job(shared, str_field(r->json, "job_id"));
	cJSON *after = get_json(shared, P "/desktops/statistics/run-state");

	g_assert_cmpfloat(num_field(after, "stop_num"), ==, stop_num + 1);
	/* The job's sub-job is the tenant's first. */
	cJSON *subs = get_json(shared, P "/workspace-sub-jobs?limit=1");
	const cJSON *sub = cJSON_GetArrayItem(cJSON_GetObjectItem(subs, "jobs"), 0);

	g_assert_cmpstr(str_field(sub, "job_id"), ==, str_field(r->json, "job_id"));
	g_assert_cmpstr(str_field(sub, "entity"), ==, victim);
	assert_status(P "/desktops/statistics/unused?offset=2001", 400, "WKS.0508");
	assert_status(P "/desktops/statistics/unused?limit=2001", 400, "WKS.0509");
	cJSON_Delete(after);
	cJSON_Delete(subs);
	cJSON_Delete(desktops);
	cJSON_Delete(run);
	cJSON_Delete(login);
	cJSON_Delete(unused);
	cJSON_Delete(alarms);
	cJSON_Delete(listed);
}

static void test_singletons(void)
{
	cJSON *ws = get_json(shared, P "/workspaces");
	cJSON *day = get_json(shared, P "/connections/online-users?query_type=DAY");
	cJSON *week = get_json(shared, P "/connections/online-users?query_type=WEEK");
	cJSON *range = get_json(shared, P "/connections/online-users?start_time="
				"2025-01-01T00:00Z&end_time=2025-01-03T00:00Z");

	g_assert_cmpstr(str_field(ws, "status"), ==, "SUBSCRIBED");
	g_assert_true(g_regex_match_simple("^[0-9a-f]{32}$", str_field(ws, "id"), 0, 0));
	g_assert_cmpint(size_of(ws, "subnet_ids"), ==, 4);
	g_assert_cmpint(size_of(day, "time_counts"), ==, 24);
	g_assert_true(g_str_has_prefix(cJSON_GetArrayItem(cJSON_GetObjectItem(day,
		"time_counts"), 9)->valuestring, "09:00 : "));
	g_assert_cmpint(size_of(week, "time_counts"), ==, 7);
	g_assert_cmpint(size_of(range, "time_counts"), ==, 3);
	g_assert_true(g_str_has_prefix(cJSON_GetArrayItem(cJSON_GetObjectItem(range,
		"time_counts"), 0)->valuestring, "2025-01-01 : "));
	assert_status(P "/connections/online-users?query_type=YEAR", 400, "WKS.0001");
	assert_status(P "/connections/online-users?start_time=2025-01-01T00:00Z", 400,
		      "WKS.0001");
	assert_status(P "/connections/online-users?end_time=2025-01-01T00:00Z", 400, "WKS.0001");
	cJSON_Delete(ws);
	cJSON_Delete(day);
	cJSON_Delete(week);
	cJSON_Delete(range);
}

/* 4.19.1: the last 15 days unless a window is asked for. */
static void test_screen_records(void)
{
	cJSON *recent = get_json(shared, P "/screen-records?limit=100");
	cJSON *old = get_json(shared, P "/screen-records?start_time=2020-01-01%2000:00:00&"
			      "end_time=2020-12-31%2000:00:00");

	g_assert_cmpint(size_of(recent, "screen_records"), ==, 3);
	g_assert_cmpint(size_of(old, "screen_records"), ==, 0);
	assert_status(P "/screen-records?start_time=yesterday", 400, "WKS.0001");
	cJSON_Delete(recent);
	cJSON_Delete(old);
}

static void test_state_views(void)
{
	g_autoptr(Reply) all = control(shared, "GET", "/__emulator/state/scripts", NULL, 200);
	g_autoptr(Reply) subs = control(shared, "GET", "/__emulator/state/published-apps", NULL,
					200);
	const cJSON *first = cJSON_GetArrayItem(all->json, 0);
	g_autofree char *by_name = g_strdup_printf("/__emulator/state/scripts/%s",
						   "script-02");
	g_autoptr(Reply) one = control(shared, "GET", by_name, NULL, 200);
	g_autoptr(Reply) none = control(shared, "GET", "/__emulator/state/nothing", NULL, 404);

	/* The full form: the detail's content too. */
	g_assert_cmpint(cJSON_GetArraySize(all->json), ==, 3);
	g_assert_nonnull(cJSON_GetObjectItem(first, "content"));
	g_assert_cmpstr(str_field(one->json, "name"), ==, "script-02");
	g_assert_cmpint(cJSON_GetArraySize(subs->json), ==, 12);	/* one per app group */
}

static void test_hostile_and_counts(void)
{
	const char *const args[] = { "--desktops", "3", "--users", "2", "--hostile-names",
				     "--kind-count", "scripts=1,policy-groups=0", NULL };
	const char *const bad[] = { "--kind-count", "products=3", NULL };
	const char *const unknown[] = { "--kind-count", "nothing=3", NULL };
	Emulator *e = emulator_start(args);
	cJSON *scripts = get_json(e, P "/scripts");
	cJSON *pgs = get_json(e, P "/policy-groups/detail");
	int status = 0;

	g_assert_cmpint(size_of(scripts, "scripts"), ==, 1);
	g_assert_cmpstr(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(scripts, "scripts"), 0),
				  "name"), ==, ".profile setup");
	g_assert_cmpint(size_of(pgs, "policy_groups"), ==, 0);
	cJSON_Delete(scripts);
	cJSON_Delete(pgs);
	emulator_stop(e);
	/* The catalog's counts are fixed; unknown kinds are refused. */
	for (guint i = 0; i < 2; i++) {
		Emulator *r = emulator_try_start(i ? unknown : bad, &status);

		g_assert_cmpint(r->port, ==, 0);
		g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 2);
		emulator_stop(r);
	}
}

/* One seed, one tenant; another seed, other objects. */
static void test_determinism(void)
{
	const char *const s5[] = { "--desktops", "4", "--seed", "5", NULL };
	const char *const s6[] = { "--desktops", "4", "--seed", "6", NULL };
	Emulator *a = emulator_start(s5), *b = emulator_start(s5), *c = emulator_start(s6);
	static const char *const targets[] = { P "/policy-groups/detail", P "/snapshots",
					       A "/app-groups", P "/alarms" };

	for (gsize i = 0; i < G_N_ELEMENTS(targets); i++) {
		g_autoptr(Reply) ra = http(a, "GET", targets[i], NULL, AUTH_SIGNED);
		g_autoptr(Reply) rb = http(b, "GET", targets[i], NULL, AUTH_SIGNED);
		g_autoptr(Reply) rc = http(c, "GET", targets[i], NULL, AUTH_SIGNED);

		g_assert_cmpstr(ra->body->str, ==, rb->body->str);
		g_assert_cmpstr(ra->body->str, !=, rc->body->str);
	}
	emulator_stop(a);
	emulator_stop(b);
	emulator_stop(c);
}

int main(int argc, char **argv)
{
	const char *const args[] = {
		"--desktops", "25", "--users", "6", "--server-groups", "2", "--servers", "4",
		"--job-seconds", "0.2", "--seed", "3",
		"--kind-count", "scheduled-tasks=55,app-groups=12", NULL,
	};
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);
	g_test_add_func("/readonly/lists", test_lists);
	g_test_add_func("/readonly/paging", test_paging);
	g_test_add_func("/readonly/filters", test_filters);
	g_test_add_func("/readonly/details", test_details);
	g_test_add_func("/readonly/sub-collections", test_sub_collections);
	g_test_add_func("/readonly/statistics", test_statistics);
	g_test_add_func("/readonly/singletons", test_singletons);
	g_test_add_func("/readonly/screen-records", test_screen_records);
	g_test_add_func("/readonly/state-views", test_state_views);
	g_test_add_func("/readonly/hostile-and-counts", test_hostile_and_counts);
	g_test_add_func("/readonly/determinism", test_determinism);
	ret = g_test_run();
	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
