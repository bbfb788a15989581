/* test-apps.c — the App Streaming kinds of wksfs issue 5, driven over real HTTP.
 *
 * Server groups (ListServerGroups {"count", "items"} with limit 1-100, default 10; AS.3
 * detail), servers (list, filters, ShowServer, batch-start | batch-stop | batch-reboot
 * answered with no body as the SDK has it, the transition shown by the server itself,
 * batch-rejoin-domain's job at ShowJobDetail's path, batch-maint), sessions (AS.2: the mandatory
 * window, only sessions inside it, limit 1-100, default 10, total "count"), session types
 * (AS.1's POST query and the GET), their state views and determinism.
 */
#include "tests/emulator/emu-client.h"

#include <string.h>

#define N_SERVER_GROUPS 12
#define N_SERVERS 30
#define N_SESSIONS 80

static Emulator *shared;

static const char *const wide_window = "query_begin_time=2000-01-01T00:00:00.000Z&"
				       "query_end_time=2100-01-01T00:00:00.000Z";

static int items_of(const cJSON *obj)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(obj, "items");

	g_assert_true(cJSON_IsArray(items));
	return cJSON_GetArraySize(items);
}

static void assert_status(const char *method, const char *target, const char *body,
			  long status, const char *code)
{
	g_autoptr(Reply) r = http(shared, method, target, body, AUTH_SIGNED);

	if (code)
		assert_error(r, status, code);
	else
		g_assert_cmpint(r->status, ==, status);
}

static void test_server_groups(void)
{
	static const char *const detail_fields[] = {
		"id", "name", "image_id", "os_type", "product_id", "app_type", "create_time",
		"app_server_count", "product_info", "tags", "flavors", "route_policy", "ip_virtual",
		"storage_mount_policy", "server_group_status",
	};
	cJSON *first = get_json(shared, "/v1/" PROJECT "/app-server-groups");
	cJSON *all = get_json(shared, "/v1/" PROJECT "/app-server-groups?limit=100");
	cJSON *rest = get_json(shared, "/v1/" PROJECT "/app-server-groups?offset=10&limit=10");
	const cJSON *g;
	double servers = 0;

	g_assert_cmpfloat(num_field(first, "count"), ==, N_SERVER_GROUPS);
	g_assert_cmpint(items_of(first), ==, 10);
	g_assert_cmpint(items_of(all), ==, N_SERVER_GROUPS);
	g_assert_cmpint(items_of(rest), ==, N_SERVER_GROUPS - 10);
	cJSON_ArrayForEach(g, cJSON_GetObjectItem(all, "items")) {
		g_autofree char *path = g_strdup_printf("/v1/" PROJECT "/app-server-groups/%s",
							str_field(g, "id"));
		g_autofree char *by_id = g_strdup_printf("/v1/" PROJECT "/app-server-groups?"
							 "server_group_id=%s", str_field(g, "id"));
		cJSON *detail = get_json(shared, path);
		cJSON *one = get_json(shared, by_id);

		/* The detail is flat: the list item's fields plus its own. */
		for (guint i = 0; i < G_N_ELEMENTS(detail_fields); i++)
			g_assert_nonnull(cJSON_GetObjectItemCaseSensitive(detail,
									  detail_fields[i]));
		g_assert_null(cJSON_GetObjectItem(g, "flavors"));
		g_assert_cmpstr(str_field(detail, "name"), ==, str_field(g, "name"));
		g_assert_cmpint(items_of(one), ==, 1);
		servers += num_field(g, "app_server_count");
		cJSON_Delete(detail);
		cJSON_Delete(one);
	}
	g_assert_cmpfloat(servers, ==, N_SERVERS);
	assert_status("GET", "/v1/" PROJECT "/app-server-groups?limit=0", NULL, 400, "WKS.0509");
	assert_status("GET", "/v1/" PROJECT "/app-server-groups?limit=101", NULL, 400,
		      "WKS.0509");
	assert_status("GET", "/v1/" PROJECT "/app-server-groups/nope", NULL, 404,
		      "WKS.00010031");
	cJSON_Delete(first);
	cJSON_Delete(all);
	cJSON_Delete(rest);
}

static void test_servers(void)
{
	cJSON *first = get_json(shared, "/v1/" PROJECT "/app-servers");
	cJSON *all = get_json(shared, "/v1/" PROJECT "/app-servers?limit=100");
	const cJSON *s = cJSON_GetArrayItem(cJSON_GetObjectItem(all, "items"), 0);
	g_autofree char *by_group = g_strdup_printf("/v1/" PROJECT "/app-servers?limit=100&"
						    "server_group_id=%s",
						    str_field(s, "server_group_id"));
	cJSON *grouped = get_json(shared, by_group);
	cJSON *named = get_json(shared, "/v1/" PROJECT "/app-servers?server_name=00003");
	const cJSON *item;

	g_assert_cmpfloat(num_field(first, "count"), ==, N_SERVERS);
	g_assert_cmpint(items_of(first), ==, 10);
	g_assert_cmpint(items_of(all), ==, N_SERVERS);
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(grouped, "items"))
		g_assert_cmpstr(str_field(item, "server_group_id"), ==,
				str_field(s, "server_group_id"));
	g_assert_cmpfloat(num_field(grouped, "count"), ==, items_of(grouped));
	g_assert_cmpfloat(num_field(named, "count"), ==, 1);
	assert_status("GET", "/v1/" PROJECT "/app-servers?limit=0", NULL, 400, "WKS.0509");
	assert_status("GET", "/v1/" PROJECT "/app-servers?maintain_status=maybe", NULL, 400,
		      "WKS.0001");
	cJSON_Delete(first);
	cJSON_Delete(all);
	cJSON_Delete(grouped);
	cJSON_Delete(named);
}

static char *server_state_in(Emulator *e, const char *id, const char *field)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/servers/%s", id);
	g_autoptr(Reply) r = control(e, "GET", path, NULL, 200);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(r->json, field);

	return cJSON_IsBool(v) ? g_strdup(cJSON_IsTrue(v) ? "true" : "false")
			       : g_strdup(cJSON_GetStringValue(v));
}

static char *server_state(const char *id, const char *field)
{
	return server_state_in(shared, id, field);
}

/* Polls the server (20 ms) until its transition is over (task_status ""); fails after 10 s. */
static void wait_server(Emulator *e, const char *id)
{
	for (int i = 0; i < 500; i++) {
		g_autofree char *task = server_state_in(e, id, "task_status");

		if (!*task)
			return;
		g_usleep(20 * 1000);
	}
	g_error("server %s stayed in transition for 10 s", id);
}

/* PATCHes a batch action: as the SDK's response models have it, 200 and no body at all;
 * then waits for the server's transition. */
static void batch(const char *verb, const char *body, const char *id)
{
	g_autofree char *path = g_strdup_printf("/v1/" PROJECT "/app-servers/actions/batch-%s",
						verb);
	g_autoptr(Reply) r = http(shared, "PATCH", path, body, AUTH_SIGNED);

	g_assert_cmpint(r->status, ==, 200);
	g_assert_cmpuint(r->body->len, ==, 0);
	g_assert_null(r->json);
	wait_server(shared, id);
}

static char *first_active(Emulator *e)
{
	cJSON *all = get_json(e, "/v1/" PROJECT "/app-servers?limit=100");
	char *id = NULL;
	const cJSON *s;

	cJSON_ArrayForEach(s, cJSON_GetObjectItem(all, "items"))
		if (!id && g_str_equal(str_field(s, "vm_status"), "ACTIVE") &&
		    !cJSON_IsTrue(cJSON_GetObjectItem(s, "maintain_status")))
			id = g_strdup(str_field(s, "id"));
	cJSON_Delete(all);
	g_assert_nonnull(id);
	return id;
}

static void test_server_actions(void)
{
	g_autofree char *id = first_active(shared);
	g_autofree char *body = NULL, *typed = NULL, *vm = NULL;
	g_autofree char *status = NULL, *twenty_one = NULL, *job = NULL;
	GString *many = g_string_new("{\"items\":[");

	body = g_strdup_printf("{\"items\":[\"%s\"]}", id);
	typed = g_strdup_printf("{\"items\":[\"%s\"],\"type\":\"HARD\"}", id);

	/* Starting a running server conflicts; start takes no "type". */
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-start", body, 409,
		      "WKS.00010032");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-start", typed, 400,
		      "WKS.0001");
	batch("stop", typed, id);
	vm = server_state(id, "vm_status");
	status = server_state(id, "status");
	g_assert_cmpstr(vm, ==, "SHUTOFF");
	g_assert_cmpstr(status, ==, "STOPPED");
	/* No job: the server names none, and no job path knows one. */
	job = server_state(id, "job_id");
	g_assert_null(job);
	batch("start", body, id);
	g_free(vm);
	vm = server_state(id, "vm_status");
	g_assert_cmpstr(vm, ==, "ACTIVE");
	g_free(status);
	status = server_state(id, "status");
	g_assert_cmpstr(status, ==, "REGISTERED");
	batch("reboot", typed, id);

	for (int i = 0; i < 21; i++)
		g_string_append_printf(many, "%s\"id-%d\"", i ? "," : "", i);
	g_string_append(many, "]}");
	twenty_one = g_string_free(many, FALSE);
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-stop", twenty_one,
		      400, "WKS.0001");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-stop",
		      "{\"items\":[]}", 400, "WKS.0001");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-stop",
		      "{\"items\":[\"nope\"]}", 404, "WKS.00010031");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-rejoin-domain", typed,
		      400, "WKS.0001");
}

/* ShowServer: the list's AppServer, flat, plus addresses, volumes and security groups. */
static void test_show_server(void)
{
	cJSON *all = get_json(shared, "/v1/" PROJECT "/app-servers?limit=100");
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItem(all, "items")) {
		g_autofree char *path = g_strdup_printf("/v1/" PROJECT "/app-servers/%s",
							str_field(item, "id"));
		cJSON *one = get_json(shared, path);
		const cJSON *field;

		cJSON_ArrayForEach(field, item)
			g_assert_true(cJSON_Compare(field, cJSON_GetObjectItemCaseSensitive(
					one, field->string), TRUE));
		g_assert_true(cJSON_IsObject(cJSON_GetObjectItem(one, "addresses")));
		g_assert_true(cJSON_IsObject(cJSON_GetObjectItem(one, "root_volume")));
		g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(one, "data_volumes")));
		g_assert_true(cJSON_IsArray(cJSON_GetObjectItem(one, "security_groups")));
		g_assert_null(cJSON_GetObjectItem(item, "addresses"));
		cJSON_Delete(one);
	}
	assert_status("GET", "/v1/" PROJECT "/app-servers/nope", NULL, 404, "WKS.00010031");
	cJSON_Delete(all);
}

/* BatchRejoinDomain names a job: ShowJobDetail's, on /v2/{project_id}/job/{job_id} only. */
static void test_rejoin_job(void)
{
	g_autofree char *id = first_active(shared);
	g_autofree char *body = g_strdup_printf("{\"items\":[\"%s\"]}", id);
	g_autoptr(Reply) r = http(shared, "PATCH", "/v1/" PROJECT "/app-servers/actions/"
				  "batch-rejoin-domain", body, AUTH_SIGNED);
	g_autofree char *job_path = NULL, *ws_path = NULL, *last = NULL;
	const cJSON *sub;
	cJSON *job = NULL;

	g_assert_cmpint(r->status, ==, 200);
	g_assert_nonnull(str_field(r->json, "job_id"));
	job_path = g_strdup_printf("/v2/" PROJECT "/job/%s", str_field(r->json, "job_id"));
	ws_path = g_strdup_printf("/v2/" PROJECT "/workspace-jobs/%s",
				  str_field(r->json, "job_id"));
	last = server_state(id, "job_id");
	g_assert_cmpstr(last, ==, str_field(r->json, "job_id"));
	for (int i = 0; i < 500; i++) {
		cJSON_Delete(job);
		job = get_json(shared, job_path);
		g_assert_cmpstr(str_field(job, "job_type"), ==, "REJOIN_DOMAIN");
		if (g_str_equal(str_field(job, "status"), "SUCCESS"))
			break;
		g_assert_cmpstr(str_field(job, "status"), ==, "RUNNING");
		g_usleep(20 * 1000);
	}
	g_assert_cmpstr(str_field(job, "status"), ==, "SUCCESS");
	g_assert_cmpfloat(num_field(job, "sub_jobs_total"), ==, 1);
	sub = cJSON_GetArrayItem(cJSON_GetObjectItem(job, "sub_jobs"), 0);
	g_assert_cmpstr(str_field(cJSON_GetObjectItem(sub, "job_resource_info"), "resource_id"),
			==, id);
	g_assert_cmpstr(str_field(sub, "job_id"), ==, str_field(r->json, "job_id"));
	g_assert_nonnull(str_field(job, "end_time"));
	/* Not a Workspace job. */
	assert_status("GET", ws_path, NULL, 404, "WKS.00010031");
	assert_status("GET", "/v2/" PROJECT "/job/nope", NULL, 404, "WKS.00010031");
	cJSON_Delete(job);
}

static void test_maintain(void)
{
	g_autofree char *id = first_active(shared);
	g_autofree char *on = g_strdup_printf("{\"items\":[\"%s\"],\"maintain_status\":true}",
					      id);
	g_autofree char *off = g_strdup_printf("{\"items\":[\"%s\"],"
					       "\"maintain_status\":false}", id);
	g_autofree char *bare = g_strdup_printf("{\"items\":[\"%s\"]}", id);
	g_autofree char *text = g_strdup_printf("{\"items\":[\"%s\"],"
						"\"maintain_status\":\"true\"}", id);
	g_autofree char *extra = g_strdup_printf("{\"items\":[\"%s\"],\"maintain_status\":true,"
						 "\"x\":1}", id);
	g_autofree char *a = NULL, *b = NULL, *c = NULL;
	g_autoptr(Reply) r = NULL;

	r = http(shared, "PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint", on,
		 AUTH_SIGNED);
	g_assert_cmpint(r->status, ==, 200);
	g_assert_cmpuint(r->body->len, ==, 0);
	a = server_state(id, "maintain_status");
	b = server_state(id, "status");
	g_assert_cmpstr(a, ==, "true");
	g_assert_cmpstr(b, ==, "MAINTAINING");
	g_clear_pointer(&r, reply_free);
	r = http(shared, "PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint", off,
		 AUTH_SIGNED);
	g_assert_cmpint(r->status, ==, 200);
	c = server_state(id, "maintain_status");
	g_assert_cmpstr(c, ==, "false");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint", bare, 400,
		      "WKS.0001");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint", text, 400,
		      "WKS.0001");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint", extra, 400,
		      "WKS.0001");
	assert_status("PATCH", "/v1/" PROJECT "/app-servers/actions/batch-maint",
		      "{\"items\":[\"nope\"],\"maintain_status\":true}", 404, "WKS.00010031");
}

/* A transition that outlasts the test: while it runs, the server shows it and refuses
 * another action (no timing involved). */
static void test_server_busy(void)
{
	const char *const args[] = {
		"--server-groups", "1", "--servers", "3", "--job-seconds", "600", "--seed", "11",
		NULL,
	};
	Emulator *e = emulator_start(args);
	g_autofree char *id = first_active(e);
	g_autofree char *body = NULL, *path = NULL;
	g_autoptr(Reply) running = NULL, again = NULL;
	const cJSON *s;
	cJSON *server;

	body = g_strdup_printf("{\"items\":[\"%s\"],\"type\":\"SOFT\"}", id);
	running = http(e, "PATCH", "/v1/" PROJECT "/app-servers/actions/batch-reboot", body,
		       AUTH_SIGNED);
	g_assert_cmpint(running->status, ==, 200);
	g_assert_cmpuint(running->body->len, ==, 0);
	again = http(e, "PATCH", "/v1/" PROJECT "/app-servers/actions/batch-stop", body,
		     AUTH_SIGNED);
	assert_error(again, 409, "WKS.00010032");
	path = g_strdup_printf("/v1/" PROJECT "/app-servers?server_id=%s", id);
	server = get_json(e, path);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(server, "items"), 0);
	g_assert_cmpstr(str_field(s, "task_status"), ==, "rebooting");
	g_assert_cmpstr(str_field(s, "vm_status"), ==, "REBOOT");
	g_assert_cmpstr(str_field(s, "status"), ==, "UNREGISTER");
	g_assert_null(cJSON_GetObjectItem(s, "job_id"));
	cJSON_Delete(server);
	emulator_stop(e);
}

static gint64 parse_ms(const char *s)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601(s, NULL);

	g_assert_nonnull(dt);
	return g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
}

static void test_sessions(void)
{
	g_autofree char *all_path = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?%s&"
						    "limit=100", wide_window);
	g_autofree char *first_path = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?"
						      "%s", wide_window);
	cJSON *all = get_json(shared, all_path);
	cJSON *first = get_json(shared, first_path);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autoptr(GDateTime) day_ago = g_date_time_add_days(now, -1);
	g_autofree char *begin = g_date_time_format_iso8601(day_ago);
	g_autofree char *end = g_date_time_format_iso8601(now);
	g_autofree char *narrow = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?"
						  "query_begin_time=%s&query_end_time=%s&"
						  "limit=100", begin, end);
	g_autofree char *active = g_strdup_printf("%s&session_state=Active,Disconnected",
						  all_path);
	cJSON *recent = NULL, *open = NULL;
	const cJSON *s;
	int inside = 0;

	g_assert_cmpfloat(num_field(all, "count"), ==, N_SESSIONS);
	g_assert_cmpint(items_of(all), ==, N_SESSIONS);
	g_assert_cmpint(items_of(first), ==, 10);
	/* Exactly the sessions inside the last day. */
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(all, "items")) {
		gint64 start = parse_ms(str_field(s, "start_time"));
		const char *end_s = str_field(s, "end_time");
		gint64 stop = *end_s ? parse_ms(end_s) : start;

		inside += start >= parse_ms(begin) && stop <= parse_ms(end);
	}
	recent = get_json(shared, narrow);
	g_assert_cmpfloat(num_field(recent, "count"), ==, inside);
	g_assert_cmpint(inside, <, N_SESSIONS);
	open = get_json(shared, active);
	cJSON_ArrayForEach(s, cJSON_GetObjectItem(open, "items")) {
		const char *state = str_field(s, "session_state");

		g_assert_true(g_str_equal(state, "Active") || g_str_equal(state, "Disconnected"));
		g_assert_cmpstr(str_field(s, "end_time"), ==, "");
	}
	g_assert_cmpint(items_of(open), >, 0);

	assert_status("GET", "/v1/" PROJECT "/session/list-sessions", NULL, 400, "WKS.0001");
	assert_status("GET", "/v1/" PROJECT "/session/list-sessions?"
		      "query_begin_time=2024-02-27T03:47:51.182Z", NULL, 400, "WKS.0001");
	assert_status("GET", "/v1/" PROJECT "/session/list-sessions?"
		      "query_end_time=2024-02-27T03:47:51.182Z", NULL, 400, "WKS.0001");
	{
		g_autofree char *zero = g_strdup_printf("%s&limit=0", first_path);
		g_autofree char *big = g_strdup_printf("%s&limit=101", first_path);
		g_autofree char *state = g_strdup_printf("%s&session_state=Sleeping", first_path);

		assert_status("GET", zero, NULL, 400, "WKS.0509");
		assert_status("GET", big, NULL, 400, "WKS.0509");
		assert_status("GET", state, NULL, 400, "WKS.0001");
	}
	cJSON_Delete(all);
	cJSON_Delete(first);
	cJSON_Delete(recent);
	cJSON_Delete(open);
}

static char *session_state_of(const char *id)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/sessions/%s", id);
	g_autoptr(Reply) r = control(shared, "GET", path, NULL, 200);

	return g_strdup(str_field(r->json, "session_state"));
}

static void logoff(const char *id, int delay)
{
	g_autofree char *body = g_strdup_printf("{\"session_ids\":[\"%s\"],\"message_type\":0,"
						"\"delay_time\":%d,\"title\":\"Maintenance\"}",
						id, delay);
	g_autoptr(Reply) r = http(shared, "POST", "/v1/" PROJECT "/session/logoff", body,
				  AUTH_SIGNED);

	g_assert_cmpint(r->status, ==, 200);
	g_assert_cmpuint(r->body->len, ==, 0);
}

/* LogoffUserSession: an open session is signed out (at once, or after delay_time). */
static void test_logoff(void)
{
	g_autofree char *path = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?%s&"
						"limit=100&session_state=Active,Disconnected",
						wide_window);
	cJSON *active = get_json(shared, path);
	const cJSON *items = cJSON_GetObjectItem(active, "items");
	g_autofree char *now_id = NULL, *later_id = NULL, *state = NULL, *body = NULL;
	g_autofree char *view = NULL;
	g_autoptr(Reply) r = NULL;

	g_assert_cmpint(cJSON_GetArraySize(items), >=, 2);
	now_id = g_strdup(str_field(cJSON_GetArrayItem(items, 0), "id"));
	later_id = g_strdup(str_field(cJSON_GetArrayItem(items, 1), "id"));
	logoff(now_id, 0);
	state = session_state_of(now_id);
	g_assert_cmpstr(state, ==, "SignedOut");
	view = g_strdup_printf("/__emulator/state/sessions/%s", now_id);
	r = control(shared, "GET", view, NULL, 200);
	g_assert_cmpstr(str_field(r->json, "end_time"), !=, "");
	/* Signed out already: nothing changes, and it is no error. */
	logoff(now_id, 0);

	g_free(state);
	state = session_state_of(later_id);
	g_assert_cmpstr(state, !=, "SignedOut");
	logoff(later_id, 1);
	g_free(body);
	body = session_state_of(later_id);
	g_assert_cmpstr(body, ==, state);	/* not yet */
	for (int i = 0; i < 250 && !g_str_equal(state, "SignedOut"); i++) {
		g_usleep(20 * 1000);
		g_free(state);
		state = session_state_of(later_id);
	}
	g_assert_cmpstr(state, ==, "SignedOut");

	/* message_type and delay_time are mandatory; session_ids must name sessions. */
	g_free(body);
	body = g_strdup_printf("{\"session_ids\":[\"%s\"],\"delay_time\":0}", now_id);
	assert_status("POST", "/v1/" PROJECT "/session/logoff", body, 400, "WKS.0001");
	g_free(body);
	body = g_strdup_printf("{\"session_ids\":[\"%s\"],\"message_type\":0}", now_id);
	assert_status("POST", "/v1/" PROJECT "/session/logoff", body, 400, "WKS.0001");
	g_free(body);
	body = g_strdup_printf("{\"session_ids\":[\"%s\"],\"message_type\":3,"
			       "\"delay_time\":0}", now_id);
	assert_status("POST", "/v1/" PROJECT "/session/logoff", body, 400, "WKS.0001");
	assert_status("POST", "/v1/" PROJECT "/session/logoff",
		      "{\"session_ids\":[\"nope\"],\"message_type\":0,\"delay_time\":0}", 404,
		      "WKS.00010031");
	cJSON_Delete(active);
}

static void test_session_types(void)
{
	cJSON *all = get_json(shared, "/v1/" PROJECT "/session-type");
	g_autoptr(Reply) post = http(shared, "POST", "/v1/" PROJECT "/session-type", NULL,
				     AUTH_SIGNED);
	g_autoptr(Reply) gpu = http(shared, "POST", "/v1/" PROJECT "/session-type",
				    "{\"session_type\":\"GPU\"}", AUTH_SIGNED);
	const cJSON *types = cJSON_GetObjectItem(all, "session_types");

	g_assert_cmpint(cJSON_GetArraySize(types), ==, 2);
	g_assert_cmpint(post->status, ==, 200);
	g_assert_true(cJSON_Compare(post->json, all, TRUE));
	g_assert_cmpint(gpu->status, ==, 200);
	g_assert_cmpint(cJSON_GetArraySize(cJSON_GetObjectItem(gpu->json, "session_types")), ==,
			1);
	g_assert_cmpstr(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(gpu->json,
			"session_types"), 0), "resource_spec_code"), ==,
			"workspace.appstreamsession.premium");
	assert_status("POST", "/v1/" PROJECT "/session-type", "{\"flavor\":\"x\"}", 400,
		      "WKS.0001");
	{
		g_autoptr(Reply) state = control(shared, "GET", "/__emulator/state/session-types/"
						 "workspace.appstreamsession.standard", NULL, 200);

		g_assert_true(cJSON_Compare(state->json, cJSON_GetArrayItem(types, 1), TRUE));
	}
	cJSON_Delete(all);
}

static void test_state_views(void)
{
	g_autofree char *sessions = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?%s&"
						    "limit=5", wide_window);
	cJSON *servers = get_json(shared, "/v1/" PROJECT "/app-servers?limit=5");
	cJSON *groups = get_json(shared, "/v1/" PROJECT "/app-server-groups?limit=3");
	cJSON *list = get_json(shared, sessions);
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItem(servers, "items")) {
		g_autofree char *path = g_strdup_printf("/__emulator/state/servers/%s",
							str_field(item, "name"));
		g_autoptr(Reply) r = control(shared, "GET", path, NULL, 200);

		g_assert_true(cJSON_Compare(r->json, item, TRUE));
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(groups, "items")) {
		g_autofree char *api = g_strdup_printf("/v1/" PROJECT "/app-server-groups/%s",
						       str_field(item, "id"));
		g_autofree char *path = g_strdup_printf("/__emulator/state/server-groups/%s",
							str_field(item, "id"));
		g_autoptr(Reply) r = control(shared, "GET", path, NULL, 200);
		cJSON *detail = get_json(shared, api);

		g_assert_true(cJSON_Compare(r->json, detail, TRUE));
		cJSON_Delete(detail);
	}
	cJSON_ArrayForEach(item, cJSON_GetObjectItem(list, "items")) {
		g_autofree char *path = g_strdup_printf("/__emulator/state/sessions/%s",
							str_field(item, "id"));
		g_autoptr(Reply) r = control(shared, "GET", path, NULL, 200);

		g_assert_true(cJSON_Compare(r->json, item, TRUE));
	}
	reply_free(control(shared, "GET", "/__emulator/state/sessions/nope", NULL, 404));
	cJSON_Delete(servers);
	cJSON_Delete(groups);
	cJSON_Delete(list);
}

/* Both emulators start within a second, so (barring an hour boundary between them) their
 * sessions share the anchor; ids never depend on it. */
static void test_determinism(void)
{
	const char *const args[] = {
		"--seed", "4", "--server-groups", "3", "--servers", "7", "--sessions", "20",
		"--users", "5", NULL,
	};
	Emulator *one = emulator_start(args), *two = emulator_start(args);
	g_autofree char *sessions = g_strdup_printf("/v1/" PROJECT "/session/list-sessions?%s&"
						    "limit=100", wide_window);
	const char *const paths[] = {
		"/v1/" PROJECT "/app-server-groups?limit=100",
		"/v1/" PROJECT "/app-servers?limit=100",
	};
	cJSON *s1, *s2;
	const cJSON *a, *b;

	for (guint i = 0; i < G_N_ELEMENTS(paths); i++) {
		g_autoptr(Reply) r1 = http(one, "GET", paths[i], NULL, AUTH_SIGNED);
		g_autoptr(Reply) r2 = http(two, "GET", paths[i], NULL, AUTH_SIGNED);

		g_assert_cmpint(r1->status, ==, 200);
		g_assert_cmpstr(r1->body->str, ==, r2->body->str);
	}
	s1 = get_json(one, sessions);
	s2 = get_json(two, sessions);
	g_assert_cmpint(items_of(s1), ==, items_of(s2));
	for (a = cJSON_GetObjectItem(s1, "items")->child, b = cJSON_GetObjectItem(s2,
	     "items")->child; a && b; a = a->next, b = b->next) {
		g_assert_cmpstr(str_field(a, "id"), ==, str_field(b, "id"));
		g_assert_cmpstr(str_field(a, "session_state"), ==, str_field(b, "session_state"));
	}
	cJSON_Delete(s1);
	cJSON_Delete(s2);
	emulator_stop(one);
	emulator_stop(two);
}

int main(int argc, char **argv)
{
	const char *const args[] = {
		"--desktops", "5", "--users", "15", "--server-groups", G_STRINGIFY(N_SERVER_GROUPS),
		"--servers", G_STRINGIFY(N_SERVERS), "--sessions", G_STRINGIFY(N_SESSIONS),
		"--job-seconds", "0.3", "--seed", "11", NULL,
	};
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/apps/server-groups", test_server_groups);
	g_test_add_func("/apps/servers", test_servers);
	g_test_add_func("/apps/server-actions", test_server_actions);
	g_test_add_func("/apps/server-busy", test_server_busy);
	g_test_add_func("/apps/show-server", test_show_server);
	g_test_add_func("/apps/rejoin-job", test_rejoin_job);
	g_test_add_func("/apps/maintain", test_maintain);
	g_test_add_func("/apps/sessions", test_sessions);
	g_test_add_func("/apps/session-types", test_session_types);
	g_test_add_func("/apps/state-views", test_state_views);
	g_test_add_func("/apps/determinism", test_determinism);
	/* Last: it signs out open sessions the others count. */
	g_test_add_func("/apps/logoff", test_logoff);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
