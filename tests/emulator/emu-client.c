/* emu-client.c — the real wks-emulator as a child process, and HTTP requests to it.
 *
 * Owns: spawning (port 0, a port file polled every 10 ms, never a blind sleep), a clean
 * SIGTERM stop that must exit 0, and requests signed through src/signer.h exactly as a
 * client signs them (content-type, host, X-Project-Id, X-Sdk-Date).
 */
#include "tests/emulator/emu-client.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "src/signer.h"

/* A test that aborts must not leave its emulator running. */
static void die_with_parent(gpointer data)
{
	prctl(PR_SET_PDEATHSIG, SIGTERM);
}

static const char *emulator_path(void)
{
	const char *path = g_getenv("WKS_EMULATOR");

	g_assert_nonnull(path);
	return path;
}

/* Spawns the emulator; FALSE with *ret_status set when it exits before listening. */
Emulator *emulator_try_start(const char *const *extra, int *ret_status)
{
	Emulator *e = g_new0(Emulator, 1);
	g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *port_file = NULL;
	g_autoptr(GError) error = NULL;
	int log_fd;

	e->dir = g_dir_make_tmp("wks-emulator-test-XXXXXX", &error);
	g_assert_no_error(error);
	port_file = g_build_filename(e->dir, "port", NULL);
	e->log = g_build_filename(e->dir, "log", NULL);
	g_ptr_array_add(argv, g_strdup(emulator_path()));
	g_ptr_array_add(argv, g_strdup("--port-file"));
	g_ptr_array_add(argv, g_strdup(port_file));
	for (guint i = 0; extra && extra[i]; i++)
		g_ptr_array_add(argv, g_strdup(extra[i]));
	g_ptr_array_add(argv, NULL);

	log_fd = g_open(e->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	g_assert_cmpint(log_fd, >=, 0);
	g_spawn_async_with_fds(NULL, (char **)argv->pdata, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
			       die_with_parent, NULL, &e->pid, -1, log_fd, log_fd, &error);
	g_assert_no_error(error);
	close(log_fd);

	for (int i = 0; i < 1000; i++) {
		g_autofree char *text = NULL;
		int status;

		if (g_file_get_contents(port_file, &text, NULL, NULL)) {
			e->port = atoi(text);
			g_assert_cmpint(e->port, >, 0);
			return e;
		}
		if (waitpid(e->pid, &status, WNOHANG) == e->pid) {
			*ret_status = status;
			g_spawn_close_pid(e->pid);
			e->pid = 0;
			return e;
		}
		g_usleep(10 * 1000);
	}
	g_error("wks-emulator did not write its port file within 10 s");
	return NULL;
}

Emulator *emulator_start(const char *const *extra)
{
	int status = 0;
	Emulator *e = emulator_try_start(extra, &status);

	if (!e->port) {
		g_autofree char *log = NULL;

		g_file_get_contents(e->log, &log, NULL, NULL);
		g_error("wks-emulator exited (status %d) before listening:\n%s", status, log);
	}
	return e;
}

char *emulator_log(Emulator *e)
{
	char *log = NULL;

	g_file_get_contents(e->log, &log, NULL, NULL);
	return log ? log : g_strdup("");
}

/* SIGTERM must give a clean exit 0. */
void emulator_stop(Emulator *e)
{
	g_autofree char *port_file = g_build_filename(e->dir, "port", NULL);
	int status = -1;

	if (e->pid) {
		kill(e->pid, SIGTERM);
		g_assert_cmpint(waitpid(e->pid, &status, 0), ==, e->pid);
		g_spawn_close_pid(e->pid);
		g_assert_true(WIFEXITED(status));
		g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	}
	g_unlink(port_file);
	g_unlink(e->log);
	g_rmdir(e->dir);
	g_free(e->dir);
	g_free(e->log);
	g_free(e->token);
	g_free(e);
}

void reply_free(Reply *r)
{
	if (!r)
		return;
	g_string_free(r->body, TRUE);
	g_free(r->request_id);
	g_free(r->content_type);
	g_free(r->subject_token);
	g_free(r->retry_after);
	cJSON_Delete(r->json);
	g_free(r);
}

size_t reply_append(char *data, size_t size, size_t n, void *user)
{
	g_string_append_len(((Reply *)user)->body, data, size * n);
	return size * n;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
	Reply *r = user;
	g_autofree char *line = g_strndup(data, size * n);
	char *colon = strchr(line, ':');

	if (colon) {
		char *value = g_strstrip(colon + 1);

		*colon = '\0';
		if (g_ascii_strcasecmp(line, "X-Request-Id") == 0)
			r->request_id = g_strdup(value);
		else if (g_ascii_strcasecmp(line, "Content-Type") == 0)
			r->content_type = g_strdup(value);
		else if (g_ascii_strcasecmp(line, "X-Subject-Token") == 0)
			r->subject_token = g_strdup(value);
		else if (g_ascii_strcasecmp(line, "Retry-After") == 0)
			r->retry_after = g_strdup(value);
		else if (g_ascii_strcasecmp(line, "Content-Length") == 0)
			r->content_length = g_ascii_strtoll(value, NULL, 10);
	}
	return size * n;
}

/* The query as the client's parameter list (what the SDK signs). */
static GArray *query_pairs(const char *query)
{
	GArray *pairs = g_array_new(FALSE, FALSE, sizeof(SignerPair));
	g_auto(GStrv) items = g_strsplit(query ? query : "", "&", -1);

	for (guint i = 0; items[i]; i++) {
		char *eq = strchr(items[i], '=');
		SignerPair p;

		if (!*items[i])
			continue;
		if (eq)
			*eq = '\0';
		p.name = signer_decode(items[i], TRUE);
		p.value = signer_decode(eq ? eq + 1 : "", TRUE);
		/* A malformed escape (a bad-input test) is signed as sent. */
		if (!p.name)
			p.name = g_strdup(items[i]);
		if (!p.value)
			p.value = g_strdup(eq + 1);
		g_array_append_val(pairs, p);
	}
	return pairs;
}

static void free_pairs(GArray *pairs)
{
	for (guint i = 0; i < pairs->len; i++) {
		g_free((char *)g_array_index(pairs, SignerPair, i).name);
		g_free((char *)g_array_index(pairs, SignerPair, i).value);
	}
	g_array_free(pairs, TRUE);
}

static Reply *perform(Emulator *e, const char *method, const char *target, const char *body,
		      AuthMode auth, const char *ak, const char *sk, long timeout_ms)
{
	Reply *r = g_new0(Reply, 1);
	CURL *curl = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	g_autofree char *url = g_strdup_printf("http://127.0.0.1:%d%s", e->port, target);
	g_autofree char *host = g_strdup_printf("127.0.0.1:%d", e->port);
	g_autofree char *date = signer_format_date(g_get_real_time() / G_USEC_PER_SEC);
	g_autofree char *path = g_strdup(target);
	char *q = strchr(path, '?');
	gsize body_len = body ? strlen(body) : 0;

	if (q)
		*q++ = '\0';
	r->body = g_string_new(NULL);
	r->content_length = -1;
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, "Expect:");
	if (auth == AUTH_SIGNED) {
		SignerPair signed_headers[] = {
			{ "content-type", "application/json" },
			{ "host", host },
			{ "X-Project-Id", PROJECT },
			{ "X-Sdk-Date", date },
		};
		GArray *pairs = query_pairs(q);
		g_autofree char *authz = signer_authorization(method, path,
				(const SignerPair *)pairs->data, pairs->len, signed_headers,
				G_N_ELEMENTS(signed_headers), body, body_len, ak, sk);
		g_autofree char *h1 = g_strdup_printf("Host: %s", host);
		g_autofree char *h2 = g_strdup_printf("X-Project-Id: %s", PROJECT);
		g_autofree char *h3 = g_strdup_printf("X-Sdk-Date: %s", date);
		g_autofree char *h4 = g_strdup_printf("Authorization: %s", authz);

		free_pairs(pairs);
		hdrs = curl_slist_append(hdrs, h1);
		hdrs = curl_slist_append(hdrs, h2);
		hdrs = curl_slist_append(hdrs, h3);
		hdrs = curl_slist_append(hdrs, h4);
	} else if (auth == AUTH_TOKEN) {
		g_autofree char *h = g_strdup_printf("X-Auth-Token: %s", e->token);

		hdrs = curl_slist_append(hdrs, h);
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, reply_append);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout_ms ? timeout_ms : 20000L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)body_len);
	}
	r->rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &r->status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);
	if (r->body->len)
		r->json = cJSON_ParseWithLength(r->body->str, r->body->len);
	return r;
}

Reply *http_try(Emulator *e, const char *method, const char *target, const char *body,
		long timeout_ms)
{
	return perform(e, method, target, body, AUTH_SIGNED, "EMULATORAK", "EMULATORSK",
		       timeout_ms);
}

Reply *http_full(Emulator *e, const char *method, const char *target, const char *body,
		 AuthMode auth, const char *ak, const char *sk)
{
	Reply *r = perform(e, method, target, body, auth, ak, sk, 0);

	g_assert_cmpint(r->rc, ==, CURLE_OK);

	/* Every reply: a hex X-Request-Id and Content-Type: application/json. */
	g_assert_nonnull(r->request_id);
	g_assert_true(g_regex_match_simple("^[0-9a-f]{16,}$", r->request_id, 0, 0));
	g_assert_cmpstr(r->content_type, ==, "application/json");
	return r;
}

Reply *http(Emulator *e, const char *method, const char *target, const char *body,
		   AuthMode auth)
{
	return http_full(e, method, target, body, auth, "EMULATORAK", "EMULATORSK");
}

cJSON *get_json(Emulator *e, const char *target)
{
	g_autoptr(Reply) r = http(e, "GET", target, NULL, AUTH_SIGNED);

	if (r->status != 200)
		g_error("GET %s: %ld %s", target, r->status, r->body->str);
	g_assert_nonnull(r->json);
	return g_steal_pointer(&r->json);
}

void wait_job(Emulator *e, const char *job_id)
{
	g_autofree char *target = g_strdup_printf("/v2/" PROJECT "/workspace-jobs/%s", job_id);

	for (int i = 0; i < 500; i++) {
		cJSON *job = get_json(e, target);
		gboolean done = g_str_equal(str_field(job, "status"), "SUCCESS");

		g_assert_cmpstr(str_field(job, "id"), ==, job_id);
		cJSON_Delete(job);
		if (done)
			return;
		g_usleep(20 * 1000);
	}
	g_error("job %s did not finish within 10 s", job_id);
}

Reply *control(Emulator *e, const char *method, const char *path, const char *body,
	       long status)
{
	Reply *r = http(e, method, path, body, AUTH_NONE);

	g_assert_cmpint(r->status, ==, status);
	return r;
}

const char *str_field(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	g_assert_true(cJSON_IsString(item));
	return item->valuestring;
}

double num_field(const cJSON *obj, const char *name)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, name);

	g_assert_true(cJSON_IsNumber(item));
	return item->valuedouble;
}

void assert_error(Reply *r, long status, const char *code)
{
	g_assert_cmpint(r->status, ==, status);
	g_assert_nonnull(r->json);
	g_assert_cmpstr(str_field(r->json, "error_code"), ==, code);
	g_assert_true(*str_field(r->json, "error_msg"));
}
