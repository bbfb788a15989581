/* test-faults.c — the run-time faults (README), observed by a real libcurl client.
 *
 * The settings (every key readable, an unknown key or a bad value changes nothing), an
 * injected 429 with Retry-After and APIG.0308, the methods and route filters, a stall longer
 * than the client's timeout while other connections are served, a reset, a truncated and a
 * malformed body, the request log, peak_in_flight under latency, a prompt exit on SIGTERM with
 * requests stalled, the fault options of the command line, and https with --tls-cert.
 * No assertion depends on tight timing: waits are polled, bounds are generous.
 */
#include "tests/emulator/emu-client.h"

#include <curl/curl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static Emulator *shared;

static const char *const users_path = "/v2/" PROJECT "/users";

static void set_faults(const char *json)
{
	g_autoptr(Reply) r = control(shared, "POST", "/__emulator/faults", json, 200);
}

/* Back to no faults at all. */
static void clear_faults(void)
{
	set_faults("{\"latency_ms\":0,\"fail_rate\":0,\"fail_status\":503,\"retry_after_s\":1,"
		   "\"rate_limit\":0,\"stall_ms\":0,\"reset_rate\":0,\"truncate_rate\":0,"
		   "\"malformed_rate\":0,\"methods\":\"\",\"route\":\"\"}");
}

static char *a_user_id(void)
{
	g_autoptr(Reply) r = http(shared, "GET", "/v2/" PROJECT "/users?limit=1", NULL,
				  AUTH_SIGNED);

	g_assert_cmpint(r->status, ==, 200);
	return g_strdup(str_field(cJSON_GetArrayItem(cJSON_GetObjectItem(r->json, "users"), 0),
				  "id"));
}

static void test_settings(void)
{
	static const char *const bad[] = {
		"{\"fail_rate\":0.5,\"bogus\":1}", "{\"fail_rate\":1.5}", "{\"fail_rate\":\"0.5\"}",
		"{\"fail_status\":200}", "{\"stall_ms\":1.5}", "{\"stall_ms\":-1}",
		"{\"retry_after_s\":100000}", "{\"methods\":\"FETCH\"}", "{\"methods\":5}",
		"{\"route\":\"GET /v2/{project_id}/nothing\"}", "{\"reset_rate\":2}", "[]",
	};
	static const char *const keys[] = {
		"latency_ms", "fail_rate", "fail_status", "retry_after_s", "rate_limit", "stall_ms",
		"reset_rate", "truncate_rate", "malformed_rate", "methods", "route",
	};
	g_autoptr(Reply) before = control(shared, "GET", "/__emulator/faults", NULL, 200);
	g_autoptr(Reply) set = NULL, after = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(keys); i++)
		g_assert_nonnull(cJSON_GetObjectItem(before->json, keys[i]));
	g_assert_cmpfloat(num_field(before->json, "fail_status"), ==, 503);
	g_assert_cmpfloat(num_field(before->json, "retry_after_s"), ==, 1);
	g_assert_cmpstr(str_field(before->json, "methods"), ==, "");
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(Reply) r = http(shared, "POST", "/__emulator/faults", bad[i], AUTH_NONE);
		g_autoptr(Reply) now = control(shared, "GET", "/__emulator/faults", NULL, 200);

		g_test_message("%s", bad[i]);
		g_assert_cmpint(r->status, ==, 400);
		g_assert_true(cJSON_Compare(now->json, before->json, TRUE));
	}

	set = control(shared, "POST", "/__emulator/faults",
		      "{\"latency_ms\":5,\"fail_rate\":0.25,\"fail_status\":502,"
		      "\"retry_after_s\":4,\"rate_limit\":1000,\"stall_ms\":7,\"reset_rate\":0.125,"
		      "\"truncate_rate\":0.5,\"malformed_rate\":0.75,\"methods\":\"post, get\","
		      "\"route\":\"GET /v2/{project_id}/users,"
		      "POST /v2/{project_id}/desktops/action\"}", 200);
	after = control(shared, "GET", "/__emulator/faults", NULL, 200);
	g_assert_true(cJSON_Compare(set->json, after->json, TRUE));
	g_assert_cmpfloat(num_field(after->json, "stall_ms"), ==, 7);
	g_assert_cmpfloat(num_field(after->json, "malformed_rate"), ==, 0.75);
	g_assert_cmpstr(str_field(after->json, "methods"), ==, "GET,POST");
	g_assert_cmpstr(str_field(after->json, "route"), ==,
			"POST /v2/{project_id}/desktops/action,GET /v2/{project_id}/users");
	clear_faults();
}

static void test_429(void)
{
	g_autoptr(Reply) throttled = NULL, failed = NULL, limited = NULL, second = NULL;

	set_faults("{\"fail_rate\":1,\"fail_status\":429,\"retry_after_s\":3}");
	throttled = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	assert_error(throttled, 429, "APIG.0308");
	g_assert_cmpstr(throttled->retry_after, ==, "3");

	set_faults("{\"fail_status\":503}");
	failed = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	assert_error(failed, 503, "WKS.0002");
	g_assert_null(failed->retry_after);

	/* One request per 100 s: the second of two is over the limit. */
	set_faults("{\"fail_rate\":0,\"rate_limit\":0.01}");
	limited = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	second = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	g_assert_cmpint(limited->status, ==, 200);
	assert_error(second, 429, "APIG.0308");
	g_assert_cmpint(atoi(second->retry_after), >=, 1);
	clear_faults();
}

static void test_filters(void)
{
	g_autofree char *id = a_user_id();
	g_autofree char *action = g_strdup_printf("/v2/" PROJECT "/users/%s/actions", id);
	g_autoptr(Reply) get = NULL, post = NULL, users = NULL, desktops = NULL;

	set_faults("{\"fail_rate\":1,\"methods\":\"GET\"}");
	get = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	post = http(shared, "POST", action, "{\"op_type\":\"UNLOCK\"}", AUTH_SIGNED);
	assert_error(get, 503, "WKS.0002");
	g_assert_cmpint(post->status, ==, 204);

	set_faults("{\"methods\":\"\",\"route\":\"GET /v2/{project_id}/users\"}");
	users = http(shared, "GET", users_path, NULL, AUTH_SIGNED);
	desktops = http(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=1", NULL,
			AUTH_SIGNED);
	assert_error(users, 503, "WKS.0002");
	g_assert_cmpint(desktops->status, ==, 200);
	clear_faults();
}

typedef struct {
	Emulator *e;
	long timeout_ms;
	Reply *reply;
	gint64 elapsed_us;
} Pending;

static gpointer pending_get(gpointer data)
{
	Pending *p = data;
	gint64 t0 = g_get_monotonic_time();

	p->reply = http_try(p->e, "GET", users_path, NULL, p->timeout_ms);
	p->elapsed_us = g_get_monotonic_time() - t0;
	return NULL;
}

static cJSON *stats_of(Emulator *e)
{
	g_autoptr(Reply) r = http(e, "GET", "/__emulator/stats", NULL, AUTH_NONE);

	return cJSON_Duplicate(r->json, TRUE);
}

/* Polls (10 ms) until at least n API requests are in flight; fails after 10 s. */
static void wait_in_flight(Emulator *e, double n)
{
	for (int i = 0; i < 1000; i++) {
		cJSON *stats = stats_of(e);
		gboolean there = num_field(stats, "in_flight") >= n;

		cJSON_Delete(stats);
		if (there)
			return;
		g_usleep(10 * 1000);
	}
	g_error("fewer than %g requests in flight after 10 s", n);
}

static cJSON *requests_log(void)
{
	g_autoptr(Reply) r = control(shared, "GET", "/__emulator/requests", NULL, 200);

	g_assert_true(cJSON_IsArray(r->json));
	return cJSON_Duplicate(r->json, TRUE);
}

static void test_stall(void)
{
	g_autofree char *id = a_user_id();
	g_autofree char *action = g_strdup_printf("/v2/" PROJECT "/users/%s/actions", id);
	Pending held = { shared, 4000 };
	g_autoptr(Reply) quick = NULL, post = NULL;
	GThread *thread;
	gint64 t0 = g_get_monotonic_time(), t1;
	cJSON *stats, *log = NULL, *e;
	int stalled = 0;

	g_autoptr(Reply) reset = control(shared, "POST", "/__emulator/reset-stats", NULL, 204);
	set_faults("{\"stall_ms\":60000,\"methods\":\"GET\"}");
	thread = g_thread_new("held", pending_get, &held);
	wait_in_flight(shared, 1);

	/* Another connection, stalled too, with a 1 s client timeout: it fires in time. */
	t1 = g_get_monotonic_time();
	quick = http_try(shared, "GET", users_path, NULL, 1000);
	g_assert_cmpint(quick->rc, ==, CURLE_OPERATION_TIMEDOUT);
	g_assert_cmpint(g_get_monotonic_time() - t1, >=, 900 * 1000);
	g_assert_cmpint(g_get_monotonic_time() - t1, <, 10 * G_USEC_PER_SEC);
	/* A POST is not stalled (methods), and is served while the first GET is held. */
	post = http(shared, "POST", action, "{\"op_type\":\"UNLOCK\"}", AUTH_SIGNED);
	g_assert_cmpint(post->status, ==, 204);
	stats = stats_of(shared);
	g_assert_cmpfloat(num_field(stats, "peak_in_flight"), >=, 2);
	cJSON_Delete(stats);

	g_thread_join(thread);
	g_assert_cmpint(held.reply->rc, ==, CURLE_OPERATION_TIMEDOUT);
	reply_free(held.reply);
	/* Nowhere near the 60 s stall: nothing waited for it. */
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 40 * G_USEC_PER_SEC);

	/* Both stalls end when their clients hang up: status 0, fault "stall". */
	for (int i = 0; i < 500 && stalled < 2; i++) {
		cJSON_Delete(log);
		log = requests_log();
		stalled = 0;
		cJSON_ArrayForEach(e, log)
			if (g_str_equal(str_field(e, "fault"), "stall") &&
			    num_field(e, "status") == 0)
				stalled++;
		if (stalled < 2)
			g_usleep(10 * 1000);
	}
	g_assert_cmpint(stalled, ==, 2);
	cJSON_ArrayForEach(e, log)
		if (g_str_equal(str_field(e, "method"), "POST"))
			g_assert_cmpstr(str_field(e, "fault"), ==, "none");
	cJSON_Delete(log);
	clear_faults();
}

static void test_reset(void)
{
	g_autoptr(Reply) get = NULL, post = NULL;

	set_faults("{\"reset_rate\":1}");
	get = http_try(shared, "GET", users_path, NULL, 0);
	post = http_try(shared, "POST", "/v2/" PROJECT "/desktops/action", "{}", 0);
	g_test_message("reset: curl %d (%s), %d", get->rc, curl_easy_strerror(get->rc), post->rc);
	g_assert_true(get->rc == CURLE_RECV_ERROR || get->rc == CURLE_GOT_NOTHING);
	g_assert_true(post->rc == CURLE_RECV_ERROR || post->rc == CURLE_GOT_NOTHING);
	g_assert_cmpint(get->body->len, ==, 0);
	clear_faults();
}

static void test_truncate(void)
{
	g_autoptr(Reply) r = NULL;

	set_faults("{\"truncate_rate\":1}");
	r = http_try(shared, "GET", "/v2/" PROJECT "/desktops/detail", NULL, 0);
	g_test_message("truncate: curl %d, %zu of %" G_GINT64_FORMAT " bytes", r->rc,
		       r->body->len, r->content_length);
	g_assert_true(r->rc == CURLE_PARTIAL_FILE || (r->rc == CURLE_OK && !r->json));
	g_assert_null(r->json);
	g_assert_cmpint(r->content_length, >, (gint64)r->body->len);
	clear_faults();
}

static void test_malformed(void)
{
	g_autoptr(Reply) r = NULL;

	set_faults("{\"malformed_rate\":1,\"methods\":\"GET\"}");
	r = http_try(shared, "GET", "/v2/" PROJECT "/desktops/detail?limit=3", NULL, 0);
	g_assert_cmpint(r->rc, ==, CURLE_OK);
	g_assert_cmpint(r->status, ==, 200);
	g_assert_cmpstr(r->content_type, ==, "application/json");
	g_assert_cmpint(r->body->len, >, 0);
	g_assert_null(r->json);
	clear_faults();
}

static int by_arrival(gconstpointer a, gconstpointer b)
{
	double x = num_field(*(cJSON *const *)a, "t_ms"), y = num_field(*(cJSON *const *)b, "t_ms");

	return (x > y) - (x < y);
}

static void test_requests_log(void)
{
	static const char *const faults[] = { "none", "fail", "reset", "malformed", "none" };
	static const long statuses[] = { 200, 503, 0, 200, 401 };
	g_autoptr(Reply) reset = control(shared, "POST", "/__emulator/reset-stats", NULL, 204);
	cJSON *log, *e;
	double last = -1;
	int i = 0;

	reply_free(http_try(shared, "GET", users_path, NULL, 0));
	set_faults("{\"fail_rate\":1}");
	reply_free(http_try(shared, "GET", users_path, NULL, 0));
	set_faults("{\"fail_rate\":0,\"reset_rate\":1}");
	reply_free(http_try(shared, "GET", users_path, NULL, 0));
	set_faults("{\"reset_rate\":0,\"malformed_rate\":1}");
	reply_free(http_try(shared, "GET", users_path, NULL, 0));
	clear_faults();
	reply_free(http(shared, "GET", users_path, NULL, AUTH_NONE));

	/* A reset connection's request is logged when the server notices the connection is
	 * gone, which may come after the next request: poll, then read in arrival order. */
	log = requests_log();
	for (gint64 end = g_get_monotonic_time() + 5 * G_USEC_PER_SEC;
	     cJSON_GetArraySize(log) < (int)G_N_ELEMENTS(faults) && g_get_monotonic_time() < end;) {
		cJSON_Delete(log);
		g_usleep(20 * 1000);
		log = requests_log();
	}
	g_assert_cmpint(cJSON_GetArraySize(log), ==, G_N_ELEMENTS(faults));
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();
	cJSON_ArrayForEach(e, log)
		g_ptr_array_add(sorted, e);
	g_ptr_array_sort(sorted, by_arrival);
	for (guint k = 0; k < sorted->len; k++) {
		e = sorted->pdata[k];
		g_assert_cmpfloat(num_field(e, "t_ms"), >=, last);
		last = num_field(e, "t_ms");
		g_assert_cmpstr(str_field(e, "method"), ==, "GET");
		g_assert_cmpstr(str_field(e, "route"), ==, "GET /v2/{project_id}/users");
		g_assert_cmpfloat(num_field(e, "status"), ==, statuses[i]);
		g_assert_cmpstr(str_field(e, "fault"), ==, faults[i]);
		i++;
	}
	cJSON_Delete(log);

	/* Only the last 1000 are kept. */
	for (i = 0; i < 1003; i++)
		reply_free(http(shared, "GET", "/v2/" PROJECT "/nowhere", NULL, AUTH_NONE));
	log = requests_log();
	g_assert_cmpint(cJSON_GetArraySize(log), ==, 1000);
	cJSON_ArrayForEach(e, log)
		g_assert_cmpstr(str_field(e, "route"), ==, "unmatched");
	cJSON_Delete(log);

	reply_free(control(shared, "POST", "/__emulator/reset-stats", NULL, 204));
	log = requests_log();
	g_assert_cmpint(cJSON_GetArraySize(log), ==, 0);
	cJSON_Delete(log);
}

static void test_peak_in_flight(void)
{
	Pending p[4];
	GThread *threads[4];
	cJSON *stats;

	reply_free(control(shared, "POST", "/__emulator/reset-stats", NULL, 204));
	set_faults("{\"latency_ms\":1500}");
	for (guint i = 0; i < G_N_ELEMENTS(p); i++) {
		p[i] = (Pending){ shared, 30000 };
		threads[i] = g_thread_new("get", pending_get, &p[i]);
	}
	for (guint i = 0; i < G_N_ELEMENTS(p); i++) {
		g_thread_join(threads[i]);
		g_assert_cmpint(p[i].reply->rc, ==, CURLE_OK);
		g_assert_cmpint(p[i].reply->status, ==, 200);
		g_assert_cmpint(p[i].elapsed_us, >=, 1400 * 1000);
		reply_free(p[i].reply);
	}
	clear_faults();
	stats = stats_of(shared);
	g_assert_cmpfloat(num_field(stats, "peak_in_flight"), ==, 4);
	g_assert_cmpfloat(num_field(stats, "in_flight"), ==, 0);
	cJSON_Delete(stats);
}

static void test_sigterm_while_stalled(void)
{
	const char *const args[] = { "--stall-ms", "60000", "--users", "2", NULL };
	Emulator *e = emulator_start(args);
	Pending p[2] = { { e, 30000 }, { e, 30000 } };
	GThread *threads[2];
	gint64 t0;

	for (guint i = 0; i < G_N_ELEMENTS(p); i++)
		threads[i] = g_thread_new("stalled", pending_get, &p[i]);
	wait_in_flight(e, 2);
	t0 = g_get_monotonic_time();
	emulator_stop(e);
	/* About 1 s at most; generous for a loaded machine. */
	g_assert_cmpint(g_get_monotonic_time() - t0, <, 3 * G_USEC_PER_SEC);
	for (guint i = 0; i < G_N_ELEMENTS(p); i++) {
		g_thread_join(threads[i]);
		g_assert_cmpint(p[i].reply->rc, !=, CURLE_OK);
		reply_free(p[i].reply);
	}
}

static void test_command_line(void)
{
	const char *const good[] = {
		"--fail-rate", "0.5", "--fail-status", "429", "--retry-after", "7", "--stall-ms",
		"20", "--reset-rate", "0.1", "--truncate-rate", "0.2", "--malformed-rate", "0.3",
		"--latency-ms", "3", "--rate-limit", "50", "--fault-methods", "get,PUT",
		"--fault-route", "GET /v2/{project_id}/users", NULL,
	};
	const char *const bad_method[] = { "--fault-methods", "FETCH", NULL };
	const char *const bad_route[] = { "--fault-route", "GET /x", NULL };
	const char *const bad_status[] = { "--fail-status", "200", NULL };
	const char *const bad_rate[] = { "--truncate-rate", "2", NULL };
	const char *const *bad[] = { bad_method, bad_route, bad_status, bad_rate };
	Emulator *e = emulator_start(good);
	g_autoptr(Reply) r = http(e, "GET", "/__emulator/faults", NULL, AUTH_NONE);

	g_assert_cmpfloat(num_field(r->json, "fail_rate"), ==, 0.5);
	g_assert_cmpfloat(num_field(r->json, "fail_status"), ==, 429);
	g_assert_cmpfloat(num_field(r->json, "retry_after_s"), ==, 7);
	g_assert_cmpfloat(num_field(r->json, "stall_ms"), ==, 20);
	g_assert_cmpfloat(num_field(r->json, "reset_rate"), ==, 0.1);
	g_assert_cmpfloat(num_field(r->json, "truncate_rate"), ==, 0.2);
	g_assert_cmpfloat(num_field(r->json, "malformed_rate"), ==, 0.3);
	g_assert_cmpfloat(num_field(r->json, "latency_ms"), ==, 3);
	g_assert_cmpfloat(num_field(r->json, "rate_limit"), ==, 50);
	g_assert_cmpstr(str_field(r->json, "methods"), ==, "GET,PUT");
	g_assert_cmpstr(str_field(r->json, "route"), ==, "GET /v2/{project_id}/users");
	emulator_stop(e);

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		int status = 0;
		Emulator *b = emulator_try_start(bad[i], &status);
		g_autofree char *log = emulator_log(b);

		g_assert_cmpint(b->port, ==, 0);
		g_assert_true(WIFEXITED(status));
		g_assert_cmpint(WEXITSTATUS(status), ==, 2);
		g_assert_true(g_str_has_prefix(log, "wks-emulator: "));
		emulator_stop(b);
	}
}

static CURLcode https_get(int port, const char *cafile, long *ret_status)
{
	g_autofree char *url = g_strdup_printf("https://127.0.0.1:%d/__emulator/stats", port);
	g_autoptr(Reply) sink = g_new0(Reply, 1);
	CURL *curl = curl_easy_init();
	CURLcode rc;

	sink->body = g_string_new(NULL);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, reply_append);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
	if (cafile)
		curl_easy_setopt(curl, CURLOPT_CAINFO, cafile);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, ret_status);
	curl_easy_cleanup(curl);
	return rc;
}

static void test_tls(void)
{
	g_autofree char *openssl = g_find_program_in_path("openssl");
	g_autofree char *dir = NULL, *cert = NULL, *key = NULL, *out = NULL, *err = NULL;
	g_autoptr(GError) error = NULL;
	Emulator *e;
	long status = 0;
	int wait_status = 0;
	CURLcode rc;

	if (!openssl) {
		g_test_skip("openssl is not installed");
		return;
	}
	dir = g_dir_make_tmp("wks-emulator-tls-XXXXXX", &error);
	g_assert_no_error(error);
	cert = g_build_filename(dir, "cert.pem", NULL);
	key = g_build_filename(dir, "key.pem", NULL);
	{
		const char *argv[] = {
			openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
			"-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
			"-keyout", key, "-out", cert, NULL,
		};

		g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
			     &wait_status, &error);
		g_assert_no_error(error);
		if (!g_spawn_check_wait_status(wait_status, NULL))
			g_error("openssl req failed:\n%s", err);
	}
	{
		const char *const args[] = { "--tls-cert", cert, "--tls-key", key, NULL };

		e = emulator_start(args);
	}
	rc = https_get(e->port, cert, &status);
	g_assert_cmpint(rc, ==, CURLE_OK);
	g_assert_cmpint(status, ==, 200);
	rc = https_get(e->port, NULL, &status);
	g_test_message("without the CA: curl %d (%s)", rc, curl_easy_strerror(rc));
	g_assert_cmpint(rc, ==, CURLE_PEER_FAILED_VERIFICATION);
	emulator_stop(e);
	g_unlink(cert);
	g_unlink(key);
	g_rmdir(dir);
}

int main(int argc, char **argv)
{
	const char *const args[] = { "--desktops", "30", "--users", "6", "--seed", "5", NULL };
	int ret;

	g_test_init(&argc, &argv, NULL);
	if (!g_getenv("WKS_EMULATOR")) {
		g_test_skip("WKS_EMULATOR is not set (run through meson test)");
		return g_test_run();
	}
	curl_global_init(CURL_GLOBAL_ALL);
	shared = emulator_start(args);

	g_test_add_func("/faults/settings", test_settings);
	g_test_add_func("/faults/429", test_429);
	g_test_add_func("/faults/filters", test_filters);
	g_test_add_func("/faults/stall", test_stall);
	g_test_add_func("/faults/reset", test_reset);
	g_test_add_func("/faults/truncate", test_truncate);
	g_test_add_func("/faults/malformed", test_malformed);
	g_test_add_func("/faults/requests-log", test_requests_log);
	g_test_add_func("/faults/peak-in-flight", test_peak_in_flight);
	g_test_add_func("/faults/sigterm-while-stalled", test_sigterm_while_stalled);
	g_test_add_func("/faults/command-line", test_command_line);
	g_test_add_func("/faults/tls", test_tls);
	ret = g_test_run();

	emulator_stop(shared);
	curl_global_cleanup();
	return ret;
}
