/* test-emulator.c — the real wks-emulator binary, driven over real HTTP.
 *
 * Through emu-client.c (the binary on port 0, requests signed with the project's signer),
 * checks what the README and the catalog promise: the documented fields and totals, paging
 * limits, 401s, the action -> job -> status state machine, PUTs that later GETs see, the
 * request counters, determinism, bad input, the command-line contract and a clean exit 0 on
 * SIGTERM.
 */
#include "tests/emulator/emu-client.h"

#include <curl/curl.h>
#include <string.h>
#include <sys/wait.h>

#define N_DESKTOPS 40
#define N_USERS 12

static Emulator *shared;

static const char *const desktop_fields[] = {
	"desktop_id", "computer_name", "os_host_name", "addresses", "ip_addresses", "ipv4", "ipv6",
	"user_list", "user_group_list", "desktop_type", "resource_type", "metadata", "flavor",
	"status", "task_status", "in_maintenance_mode", "created", "security_groups",
	"login_status", "user_name", "attach_user_infos", "product_id", "share_resource_sku",
	"root_volume", "data_volumes", "user_group", "availability_zone", "site_type", "site_name",
	"product", "ou_name", "os_version", "sid", "order_id", "tags", "is_support_internet",
	"internet_mode", "internet_mode_list", "is_attaching_eip", "attach_state",
	"enterprise_project_id", "subnet_id", "bill_resource_id", "process", "root_resource_id",
	"hour_package_info",
};

static const char *const user_fields[] = {
	"id", "sid", "user_name", "user_email", "total_desktops", "user_phone", "active_type",
	"is_pre_user", "account_expires", "password_never_expired", "account_expired",
	"enable_change_password", "next_login_change_password", "description", "locked",
	"disabled", "share_space_subscription", "share_space_desktops", "group_names",
	"enterprise_project_id", "user_info_map",
};

static void check_desktop(const cJSON *d)
{
	const char *status = str_field(d, "status");

	for (guint i = 0; i < G_N_ELEMENTS(desktop_fields); i++)
		g_assert_nonnull(cJSON_GetObjectItemCaseSensitive(d, desktop_fields[i]));
	g_assert_true(g_regex_match_simple("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}"
					   "-[0-9a-f]{12}$", str_field(d, "desktop_id"), 0, 0));
	g_assert_true(g_regex_match_simple("^[A-Za-z][A-Za-z0-9-]{0,14}$",
					   str_field(d, "computer_name"), 0, 0));
	g_assert_true(g_regex_match_simple("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$",
					   str_field(d, "created"), 0, 0));
	g_assert_true(g_str_equal(status, "ACTIVE") || g_str_equal(status, "SHUTOFF") ||
		      g_str_equal(status, "HIBERNATED") || g_str_equal(status, "ERROR"));
	g_assert_true(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(d, "in_maintenance_mode")));
	g_assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "user_list")));
	g_assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(d, "tags")));
	g_assert_true(cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(d, "root_volume")));
}

static void test_detail_signed(void)
{
	g_autoptr(Reply) r = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=5&offset=0",
				  NULL, AUTH_SIGNED);
	const cJSON *list;
	const cJSON *d;

	g_assert_cmpint(r->status, ==, 200);
	g_assert_cmpfloat(num_field(r->json, "total_count"), ==, N_DESKTOPS);
	list = cJSON_GetObjectItemCaseSensitive(r->json, "desktops");
	g_assert_cmpint(cJSON_GetArraySize(list), ==, 5);
	cJSON_ArrayForEach(d, list)
		check_desktop(d);
}

/* Every desktop of the tenant, in order, through pages of `limit`. */
static GPtrArray *all_desktop_ids(int limit)
{
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);

	for (int offset = 0;; offset += limit) {
		g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/detail?"
							  "offset=%d&limit=%d", offset, limit);
		g_autoptr(Reply) r = http(shared, "GET", target, NULL, AUTH_SIGNED);
		const cJSON *d;

		g_assert_cmpint(r->status, ==, 200);
		g_assert_cmpfloat(num_field(r->json, "total_count"), ==, N_DESKTOPS);
		cJSON_ArrayForEach(d, cJSON_GetObjectItemCaseSensitive(r->json, "desktops"))
			g_ptr_array_add(ids, g_strdup(str_field(d, "desktop_id")));
		if (offset + limit >= N_DESKTOPS)
			break;
	}
	return ids;
}

static void test_detail_paging(void)
{
	g_autoptr(GPtrArray) whole = all_desktop_ids(500);
	g_autoptr(GPtrArray) paged = all_desktop_ids(7);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(Reply) tail = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?offset=35&"
				     "limit=10", NULL, AUTH_SIGNED);
	g_autoptr(Reply) beyond = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?offset=99",
				       NULL, AUTH_SIGNED);
	g_autoptr(Reply) big = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=501",
				    NULL, AUTH_SIGNED);
	g_autoptr(Reply) neg = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?offset=-1",
				    NULL, AUTH_SIGNED);
	g_autoptr(Reply) junk = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=ten",
				     NULL, AUTH_SIGNED);

	g_assert_cmpint(whole->len, ==, N_DESKTOPS);
	g_assert_cmpint(paged->len, ==, N_DESKTOPS);
	for (guint i = 0; i < whole->len; i++) {
		g_assert_cmpstr(whole->pdata[i], ==, paged->pdata[i]);
		g_assert_true(g_hash_table_add(seen, whole->pdata[i]));
	}
	g_assert_cmpint(tail->status, ==, 200);
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(tail->json, "desktops")), ==, 5);
	g_assert_cmpint(beyond->status, ==, 200);
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(beyond->json, "desktops")), ==, 0);
	assert_error(big, 400, "WKS.0509");
	assert_error(neg, 400, "WKS.0508");
	assert_error(junk, 400, "WKS.0509");
}

static void test_auth(void)
{
	static const char body_fmt[] =
		"{\"auth\":{\"identity\":{\"methods\":[\"password\"],\"password\":{\"user\":"
		"{\"domain\":{\"name\":\"demo-domain\"},\"name\":\"admin\",\"password\":\"%s\"}}},"
		"\"scope\":{\"project\":{\"name\":\"ap-southeast-1\"}}}}";
	const char *detail = "/v2/" PROJECT "/desktops/detail?limit=1";
	g_autofree char *good = g_strdup_printf(body_fmt, "EMULATORPASSWORD");
	g_autofree char *bad = g_strdup_printf(body_fmt, "nope");
	g_autoptr(Reply) unsigned_ = http(shared, "GET", detail, NULL, AUTH_NONE);
	g_autoptr(Reply) wrong_sk = http_full(shared, "GET", detail, NULL, AUTH_SIGNED,
					      "EMULATORAK", "WRONGSK");
	g_autoptr(Reply) wrong_ak = http_full(shared, "GET", detail, NULL, AUTH_SIGNED,
					      "OTHERAK", "EMULATORSK");
	g_autoptr(Reply) wrong_project = http(shared, "GET", "/v2/ffffffffffffffffffffffffffffffff"
					      "/desktops/detail", NULL, AUTH_SIGNED);
	g_autoptr(Reply) bad_login = http(shared, "POST", "/v3/auth/tokens", bad, AUTH_NONE);
	g_autoptr(Reply) login = http(shared, "POST", "/v3/auth/tokens", good, AUTH_NONE);
	g_autoptr(Reply) with_token = NULL;
	g_autoptr(Reply) projects = NULL;
	const cJSON *token;

	assert_error(unsigned_, 401, "APIGW.0301");
	assert_error(wrong_sk, 401, "APIGW.0301");
	g_assert_null(strstr(wrong_sk->body->str, "WRONGSK"));
	assert_error(wrong_ak, 401, "APIGW.0301");
	assert_error(wrong_project, 401, "WKS.00010025");
	g_assert_cmpint(bad_login->status, ==, 401);
	g_assert_null(bad_login->subject_token);

	g_assert_cmpint(login->status, ==, 201);
	g_assert_nonnull(login->subject_token);
	token = cJSON_GetObjectItemCaseSensitive(login->json, "token");
	g_assert_true(*str_field(token, "expires_at"));
	g_assert_cmpstr(str_field(cJSON_GetObjectItem(token, "project"), "id"), ==, PROJECT);
	shared->token = g_strdup(login->subject_token);
	with_token = http(shared, "GET", detail, NULL, AUTH_TOKEN);
	g_assert_cmpint(with_token->status, ==, 200);

	projects = http(shared, "GET", "/v3/projects?name=ap-southeast-1", NULL, AUTH_SIGNED);
	g_assert_cmpint(projects->status, ==, 200);
	g_assert_cmpstr(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(projects->json,
				"projects"), 0), "id"), ==, PROJECT);
}

static char *find_desktop(const char *query)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/desktops/detail?%s", query);
	g_autoptr(Reply) r = http(shared, "GET", target, NULL, AUTH_SIGNED);
	const cJSON *d = cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "desktops"), 0);

	g_assert_cmpint(r->status, ==, 200);
	g_assert_nonnull(d);
	return g_strdup(str_field(d, "desktop_id"));
}

static void test_action_job(void)
{
	g_autofree char *id = find_desktop("status=ACTIVE&in_maintenance_mode=false&limit=1");
	g_autofree char *body = g_strdup_printf("{\"desktop_ids\":[\"%s\"],\"op_type\":\"os-stop\","
						"\"type\":\"SOFT\"}", id);
	g_autofree char *start = g_strdup_printf("{\"desktop_ids\":[\"%s\"],"
						 "\"op_type\":\"os-start\"}", id);
	g_autofree char *desktop = g_strdup_printf("/v2/" PROJECT "/desktops/%s", id);
	g_autofree char *job_path = NULL;
	g_autoptr(Reply) conflict = http(shared, "POST", "/v2/" PROJECT "/desktops/action", start,
					 AUTH_SIGNED);
	g_autoptr(Reply) bad_op = http(shared, "POST", "/v2/" PROJECT "/desktops/action",
				       "{\"desktop_ids\":[\"x\"],\"op_type\":\"explode\"}",
				       AUTH_SIGNED);
	g_autoptr(Reply) action = NULL;
	gint64 t0 = g_get_monotonic_time();
	gboolean done = FALSE;

	assert_error(conflict, 409, "WKS.00010107");
	assert_error(bad_op, 400, "WKS.0505");

	action = http(shared, "POST", "/v2/" PROJECT "/desktops/action", body, AUTH_SIGNED);
	g_assert_cmpint(action->status, ==, 200);
	g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(action->json, "failed_operation_list")));
	job_path = g_strdup_printf("/v2/" PROJECT "/workspace-jobs/%s",
				   str_field(action->json, "job_id"));

	while (!done) {
		/* Desktop first: a job still RUNNING afterwards was running at that read. */
		g_autoptr(Reply) d = http(shared, "GET", desktop, NULL, AUTH_SIGNED);
		g_autoptr(Reply) job = http(shared, "GET", job_path, NULL, AUTH_SIGNED);
		const cJSON *dd = cJSON_GetObjectItem(d->json, "desktop");
		const char *status = str_field(job->json, "status");

		g_assert_cmpint(job->status, ==, 200);
		g_assert_cmpfloat(num_field(job->json, "sub_jobs_total"), ==, 1);
		check_desktop(dd);
		if (g_str_equal(status, "RUNNING")) {
			g_assert_cmpstr(str_field(dd, "status"), ==, "ACTIVE");
			g_assert_cmpstr(str_field(dd, "task_status"), ==, "powering-off");
		} else {
			g_assert_cmpstr(status, ==, "SUCCESS");
			done = TRUE;
		}
		g_assert_cmpint(g_get_monotonic_time() - t0, <, 10 * G_USEC_PER_SEC);
		if (!done)
			g_usleep(20 * 1000);
	}
	/* --job-seconds 0.3 */
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, 300 * 1000);
	{
		g_autoptr(Reply) d = http(shared, "GET", desktop, NULL, AUTH_SIGNED);
		const cJSON *dd = cJSON_GetObjectItem(d->json, "desktop");

		g_assert_cmpstr(str_field(dd, "status"), ==, "SHUTOFF");
		g_assert_cmpstr(str_field(dd, "task_status"), ==, "");
	}
}

static void test_users(void)
{
	g_autoptr(Reply) list = http(shared, "GET", "/v2/" PROJECT "/users", NULL, AUTH_SIGNED);
	g_autoptr(Reply) desktops = http(shared, "GET", "/v2/" PROJECT "/desktops/detail", NULL,
					 AUTH_SIGNED);
	g_autoptr(GHashTable) assigned = g_hash_table_new(g_str_hash, g_str_equal);
	const cJSON *u, *d;
	const char *id = NULL;
	double sum = 0;

	g_assert_cmpint(list->status, ==, 200);
	g_assert_cmpfloat(num_field(list->json, "total_count"), ==, N_USERS);
	cJSON_ArrayForEach(d, cJSON_GetObjectItem(desktops->json, "desktops")) {
		const cJSON *name = cJSON_GetArrayItem(cJSON_GetObjectItem(d, "user_list"), 0);

		if (name)
			g_hash_table_insert(assigned, name->valuestring,
				GINT_TO_POINTER(GPOINTER_TO_INT(g_hash_table_lookup(assigned,
						name->valuestring)) + 1));
	}
	cJSON_ArrayForEach(u, cJSON_GetObjectItem(list->json, "users")) {
		const char *name = str_field(u, "user_name");

		for (guint i = 0; i < G_N_ELEMENTS(user_fields); i++)
			g_assert_nonnull(cJSON_GetObjectItemCaseSensitive(u, user_fields[i]));
		g_assert_true(g_regex_match_simple("^[0-9a-f]{32}$", str_field(u, "id"), 0, 0));
		g_assert_true(g_regex_match_simple("^[A-Za-z0-9_-]+$", name, 0, 0));
		g_assert_cmpfloat(num_field(u, "total_desktops"), ==,
				  GPOINTER_TO_INT(g_hash_table_lookup(assigned, name)));
		sum += num_field(u, "total_desktops");
		if (g_str_equal(name, "user0002"))
			id = str_field(u, "id");
	}
	/* Every user_list name is a generated user, and the counts agree both ways. */
	{
		GHashTableIter it;
		gpointer name, count;
		guint n = 0;

		g_hash_table_iter_init(&it, assigned);
		while (g_hash_table_iter_next(&it, &name, &count)) {
			g_autofree char *q = g_strdup_printf("/v2/" PROJECT "/users?user_name=%s",
							     (char *)name);
			g_autoptr(Reply) one = http(shared, "GET", q, NULL, AUTH_SIGNED);

			g_assert_cmpfloat(num_field(one->json, "total_count"), ==, 1);
			n += GPOINTER_TO_INT(count);
		}
		g_assert_cmpfloat(sum, ==, n);
	}
	g_assert_nonnull(id);
	{
		g_autofree char *path = g_strdup_printf("/v2/" PROJECT "/users/%s", id);
		g_autofree char *action = g_strdup_printf("%s/actions", path);
		g_autoptr(Reply) put = http(shared, "PUT", path,
					    "{\"user_email\":\"new@corp.example\","
					    "\"description\":\"moved\"}", AUTH_SIGNED);
		g_autoptr(Reply) bad_mail = http(shared, "PUT", path, "{\"user_email\":\"a@@b\"}",
						 AUTH_SIGNED);
		g_autoptr(Reply) unknown = http(shared, "PUT", path, "{\"shoe_size\":\"9\"}",
						AUTH_SIGNED);
		g_autoptr(Reply) lock = http(shared, "POST", action, "{\"op_type\":\"LOCK\"}",
					     AUTH_SIGNED);
		g_autoptr(Reply) get = http(shared, "GET", path, NULL, AUTH_SIGNED);
		g_autoptr(Reply) missing = http(shared, "GET", "/v2/" PROJECT "/users/0000", NULL,
						AUTH_SIGNED);
		const cJSON *detail = cJSON_GetObjectItem(get->json, "user_detail");

		g_assert_cmpint(put->status, ==, 200);
		g_assert_cmpstr(str_field(put->json, "id"), ==, id);
		assert_error(bad_mail, 400, "WKS.0001");
		assert_error(unknown, 400, "WKS.0001");
		g_assert_cmpint(lock->status, ==, 204);
		g_assert_cmpint(lock->body->len, ==, 0);
		g_assert_cmpint(get->status, ==, 200);
		g_assert_cmpstr(str_field(detail, "user_email"), ==, "new@corp.example");
		g_assert_cmpstr(str_field(detail, "description"), ==, "moved");
		g_assert_true(cJSON_IsTrue(cJSON_GetObjectItem(detail, "locked")));
		g_assert_cmpint(missing->status, ==, 404);
	}
}

static double route_count(const cJSON *stats, const char *key)
{
	return num_field(cJSON_GetObjectItem(stats, "routes"), key);
}

static void test_stats(void)
{
	g_autoptr(Reply) reset = http(shared, "POST", "/__emulator/reset-stats", NULL, AUTH_NONE);
	g_autoptr(Reply) a = http(shared, "GET", "/v2/" PROJECT "/desktops/detail", NULL,
				  AUTH_SIGNED);
	g_autoptr(Reply) b = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=2", NULL,
				  AUTH_SIGNED);
	g_autoptr(Reply) c = http(shared, "GET", "/v2/" PROJECT "/desktops/detail", NULL,
				  AUTH_NONE);
	g_autoptr(Reply) d = http(shared, "GET", "/v2/" PROJECT "/users", NULL, AUTH_SIGNED);
	g_autoptr(Reply) e = http(shared, "GET", "/v2/" PROJECT "/nothing-here", NULL,
				  AUTH_SIGNED);
	g_autoptr(Reply) stats = http(shared, "GET", "/__emulator/stats", NULL, AUTH_NONE);
	g_autoptr(Reply) reset2 = NULL;
	g_autoptr(Reply) zero = NULL;

	g_assert_cmpint(reset->status, ==, 204);
	assert_error(e, 404, "APIGW.0101");
	g_assert_cmpint(stats->status, ==, 200);
	g_assert_cmpfloat(num_field(stats->json, "total"), ==, 5);
	g_assert_cmpfloat(route_count(stats->json, "GET /v2/{project_id}/desktops/detail"), ==, 3);
	g_assert_cmpfloat(route_count(stats->json, "GET /v2/{project_id}/users"), ==, 1);
	g_assert_cmpfloat(route_count(stats->json, "unmatched"), ==, 1);
	g_assert_cmpfloat(route_count(stats->json, "POST /v2/{project_id}/desktops/action"), ==, 0);
	g_assert_cmpfloat(num_field(stats->json, "peak_in_flight"), >=, 1);

	reset2 = http(shared, "POST", "/__emulator/reset-stats", NULL, AUTH_NONE);
	zero = http(shared, "GET", "/__emulator/stats", NULL, AUTH_NONE);
	g_assert_cmpfloat(num_field(zero->json, "total"), ==, 0);
	g_assert_cmpfloat(num_field(zero->json, "peak_in_flight"), ==, 0);
	g_assert_cmpfloat(route_count(zero->json, "GET /v2/{project_id}/desktops/detail"), ==, 0);
}

static void test_determinism(void)
{
	const char *const seed7[] = { "--seed", "7", "--desktops", "300", "--users", "50", NULL };
	const char *const seed8[] = { "--seed", "8", "--desktops", "300", "--users", "50", NULL };
	Emulator *one = emulator_start(seed7);
	Emulator *two = emulator_start(seed7);
	Emulator *other = emulator_start(seed8);
	const char *target = "/v2/" PROJECT "/desktops/detail?limit=500";
	g_autoptr(Reply) r1 = http(one, "GET", target, NULL, AUTH_SIGNED);
	g_autoptr(Reply) r2 = http(two, "GET", target, NULL, AUTH_SIGNED);
	g_autoptr(Reply) r3 = http(other, "GET", target, NULL, AUTH_SIGNED);
	g_autoptr(Reply) u1 = http(one, "GET", "/v2/" PROJECT "/users", NULL, AUTH_SIGNED);
	g_autoptr(Reply) u2 = http(two, "GET", "/v2/" PROJECT "/users", NULL, AUTH_SIGNED);
	const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(r1->json, "desktops"), 0);
	g_autofree char *state_path = g_strdup_printf("/__emulator/state/desktops/%s",
						      str_field(first, "desktop_id"));
	g_autoptr(Reply) state = http(one, "GET", state_path, NULL, AUTH_NONE);

	g_assert_cmpint(r1->status, ==, 200);
	g_assert_cmpfloat(num_field(r1->json, "total_count"), ==, 300);
	g_assert_cmpstr(r1->body->str, ==, r2->body->str);
	g_assert_cmpstr(u1->body->str, ==, u2->body->str);
	g_assert_cmpstr(r1->body->str, !=, r3->body->str);
	g_assert_cmpint(state->status, ==, 200);
	g_assert_true(cJSON_Compare(state->json, first, TRUE));
	emulator_stop(one);
	emulator_stop(two);
	emulator_stop(other);
}

static void test_bad_input(void)
{
	g_autofree char *huge = g_malloc(2 * 1024 * 1024 + 1);
	g_autoptr(Reply) bad_json = NULL, too_big = NULL, garbage = NULL, no_body = NULL;
	g_autoptr(Reply) wrong_method = NULL, bad_escape = NULL, alive = NULL;
	CURL *curl = curl_easy_init();
	struct curl_slist *hdrs = curl_slist_append(NULL, "Authorization: SDK-HMAC-SHA256 x");
	g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d/v2/" PROJECT "/users",
					       shared->port);
	long status = 0;

	memset(huge, 'x', 2 * 1024 * 1024);
	huge[2 * 1024 * 1024] = '\0';
	bad_json = http(shared, "POST", "/v2/" PROJECT "/desktops/action", "{\"desktop_ids\": [",
			AUTH_SIGNED);
	assert_error(bad_json, 400, "WKS.0001");
	no_body = http(shared, "POST", "/v2/" PROJECT "/desktops/action", NULL, AUTH_SIGNED);
	assert_error(no_body, 400, "WKS.0001");
	too_big = http(shared, "POST", "/v2/" PROJECT "/desktops/action", huge, AUTH_SIGNED);
	g_assert_cmpint(too_big->status, ==, 413);
	wrong_method = http(shared, "DELETE", "/v2/" PROJECT "/desktops/detail", NULL,
			    AUTH_SIGNED);
	g_assert_cmpint(wrong_method->status, ==, 405);
	bad_escape = http(shared, "GET", "/v2/" PROJECT "/users?user_name=%zz", NULL,
			  AUTH_SIGNED);
	g_assert_cmpint(bad_escape->status, ==, 400);

	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_NOBODY, 0L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, reply_append);
	garbage = g_new0(Reply, 1);
	garbage->body = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, garbage);
	g_assert_cmpint(curl_easy_perform(curl), ==, CURLE_OK);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	g_assert_cmpint(status, ==, 401);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);

	alive = http(shared, "GET", "/__emulator/stats", NULL, AUTH_NONE);
	g_assert_cmpint(alive->status, ==, 200);
}

static void test_command_line(void)
{
	const char *const servers[] = { "--servers", "3", NULL };
	const char *const bogus[] = { "--bogus", NULL };
	const char *const rate[] = { "--fail-rate", "1.5", NULL };
	const char *const *cases[] = { servers, bogus, rate };

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		int status = 0;
		Emulator *e = emulator_try_start(cases[i], &status);
		g_autofree char *log = emulator_log(e);

		g_assert_cmpint(e->port, ==, 0);
		g_assert_true(WIFEXITED(status));
		g_assert_cmpint(WEXITSTATUS(status), ==, 2);
		g_assert_true(g_str_has_prefix(log, "wks-emulator: "));
		if (i == 0)
			g_assert_nonnull(strstr(log, "--servers needs --server-groups"));
		emulator_stop(e);
	}
}

int main(int argc, char **argv)
{
	const char *const args[] = {
		"--desktops", G_STRINGIFY(N_DESKTOPS), "--users", G_STRINGIFY(N_USERS),
		"--job-seconds", "0.3", "--seed", "42", NULL,
	};
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/emulator/detail/signed", test_detail_signed);
	g_test_add_func("/emulator/detail/paging", test_detail_paging);
	g_test_add_func("/emulator/auth", test_auth);
	g_test_add_func("/emulator/action-job", test_action_job);
	g_test_add_func("/emulator/users", test_users);
	g_test_add_func("/emulator/stats", test_stats);
	g_test_add_func("/emulator/determinism", test_determinism);
	g_test_add_func("/emulator/bad-input", test_bad_input);
	g_test_add_func("/emulator/command-line", test_command_line);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
