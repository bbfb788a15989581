/* client.c — the Workspace client: URLs, AK/SK signing, the error model.
 *
 * Owns: turning (method, path template, query, body) into a signed HTTP request, and an HTTP
 * outcome into 0 or -errno plus the API's error_code / error_msg / X-Request-Id. It keeps
 * the last failures for /.wksfs/errors. It must not cache (api.c decides that) and must never
 * log a secret: the Authorization header and the SK stay out of every message.
 */
#include "src/client.h"

#include "src/json.h"
#include <errno.h>
#include <string.h>

#include "src/errmap.h"
#include "src/health.h"
#include "src/iam.h"
#include "src/metrics.h"

#define ERROR_RING 64
#define LATENCY_RING 1024

struct WksClient {
	char *endpoint;
	char *host;		/* host[:port] as written in the endpoint: signed as `host` */
	char *app_endpoint;	/* App Streaming */
	char *app_host;
	char *project_id;
	char *ak;
	char *sk;
	char *security_token;
	char *region;
	char *iam_endpoint;
	char *iam_host;
	IamSession *iam;	/* token auth when set */
	int retries;
	gint64 timeout_us;
	HttpClient *http;

	GMutex lock;
	GQueue errors;		/* char* lines, newest last; guarded by lock */
	WksClientStats stats;	/* guarded by lock */
	double latency_ms[LATENCY_RING];	/* guarded by lock */
	guint latency_count;	/* guarded by lock */
	Health *health;		/* /.wksfs/online; its own lock */
	Metrics *metrics;	/* /.wksfs/metrics' request counters; its own lock */
};

void wks_error_clear(WksError *e)
{
	if (!e)
		return;
	g_clear_pointer(&e->error_code, g_free);
	g_clear_pointer(&e->error_msg, g_free);
	g_clear_pointer(&e->request_id, g_free);
	e->err = 0;
	e->status = 0;
	e->sent = FALSE;
}

static char *host_of(const char *endpoint)
{
	const char *p = strstr(endpoint, "://");

	p = p ? p + 3 : endpoint;
	return g_ascii_strdown(p, strcspn(p, "/?#"));
}

WksClient *wks_client_new(const WksClientConfig *config)
{
	WksClient *c = g_new0(WksClient, 1);
	gsize len = strlen(config->endpoint);

	while (len > 0 && config->endpoint[len - 1] == '/')
		len--;
	c->endpoint = g_strndup(config->endpoint, len);
	c->host = host_of(c->endpoint);
	c->app_endpoint = g_strdup(config->appstream_endpoint ? config->appstream_endpoint
							      : c->endpoint);
	while (g_str_has_suffix(c->app_endpoint, "/"))
		c->app_endpoint[strlen(c->app_endpoint) - 1] = '\0';
	c->app_host = host_of(c->app_endpoint);
	c->project_id = g_strdup(config->project_id);
	c->ak = g_strdup(config->ak);
	c->sk = g_strdup(config->sk);
	c->security_token = g_strdup(config->security_token);
	c->retries = MAX(config->retries, 0);
	c->timeout_us = (config->http.timeout_s ? config->http.timeout_s : 30) * G_USEC_PER_SEC;
	c->http = http_client_new(&config->http);
	c->region = g_strdup(config->region);
	c->iam_endpoint = g_strdup(config->iam_endpoint ? config->iam_endpoint
							: "https://iam.myhuaweicloud.com");
	g_strchomp(c->iam_endpoint);
	while (g_str_has_suffix(c->iam_endpoint, "/"))
		c->iam_endpoint[strlen(c->iam_endpoint) - 1] = '\0';
	c->iam_host = host_of(c->iam_endpoint);
	if (config->iam_user) {
		IamConfig ic = {
			.endpoint = c->iam_endpoint,
			.user = config->iam_user,
			.domain = config->iam_domain,
			.password = config->iam_password,
			.project_id = config->project_id,
			.project_name = config->region,
		};

		c->iam = iam_session_new(c->http, &ic);
	}
	g_mutex_init(&c->lock);
	g_queue_init(&c->errors);
	c->health = health_new();
	c->metrics = metrics_new();
	return c;
}

void wks_client_free(WksClient *c)
{
	if (!c)
		return;
	iam_session_free(c->iam);
	http_client_free(c->http);
	g_free(c->region);
	g_free(c->iam_endpoint);
	g_free(c->iam_host);
	g_queue_clear_full(&c->errors, g_free);
	health_free(c->health);
	metrics_free(c->metrics);
	g_mutex_clear(&c->lock);
	if (c->sk)
		memset(c->sk, 0, strlen(c->sk));
	g_free(c->endpoint);
	g_free(c->host);
	g_free(c->app_endpoint);
	g_free(c->app_host);
	g_free(c->project_id);
	g_free(c->ak);
	g_free(c->sk);
	g_free(c->security_token);
	g_free(c);
}

const char *wks_client_endpoint(WksClient *c)
{
	return c->endpoint;
}

const char *wks_client_appstream_endpoint(WksClient *c)
{
	return c->app_endpoint;
}

const char *wks_client_project_id(WksClient *c)
{
	return c->project_id;
}

/* A path segment as it goes on the wire. Encode() leaves '.' alone, but a segment that is
 * exactly "." or ".." would be removed by libcurl's dot-segment rule (RFC 3986 §5.2.4)
 * after signing and reach another route: those are sent percent-encoded, and signed as
 * sent. */
static char *encode_segment(const char *s)
{
	if (strcmp(s, ".") == 0)
		return g_strdup("%2E");
	if (strcmp(s, "..") == 0)
		return g_strdup("%2E%2E");
	return signer_encode(s);
}

static char *expand_path(WksClient *c, const char *tmpl, const char *id)
{
	g_autofree char *pid = encode_segment(c->project_id);
	g_autofree char *eid = id ? encode_segment(id) : NULL;
	GString *out = g_string_new(NULL);

	for (const char *p = tmpl; *p;) {
		if (g_str_has_prefix(p, "{project_id}")) {
			g_string_append(out, pid);
			p += strlen("{project_id}");
		} else if (g_str_has_prefix(p, "{id}") && eid) {
			g_string_append(out, eid);
			p += strlen("{id}");
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

/* Adds a line (taken) to /.wksfs/errors, the last ERROR_RING kept; `failed` counts it as a
 * failed call in the stats. The text may come from the network: one line per entry. */
static void push_error_line(WksClient *c, char *line, gboolean failed)
{
	g_strdelimit(line, "\r\n", ' ');
	g_mutex_lock(&c->lock);
	if (failed)
		c->stats.errors++;
	g_queue_push_tail(&c->errors, line);
	while (g_queue_get_length(&c->errors) > ERROR_RING)
		g_free(g_queue_pop_head(&c->errors));
	g_mutex_unlock(&c->lock);
}

/* A failure goes to /.wksfs/errors and, so that it outlives the mount, to the log: at info,
 * but a 404 (the normal answer to a name that does not exist) at debug. Before the first
 * answer the start-up probe reports it, in the terminal, in one line of its own. */
static void record_error(WksClient *c, const char *method, const char *path,
			 const WksError *e)
{

	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	char *line = g_strdup_printf("%s %s %s %ld %s %s request_id=%s", ts, method, path,
				     e->status, e->error_code ? e->error_code : "-",
				     e->error_msg ? e->error_msg : g_strerror(-e->err),
				     e->request_id ? e->request_id : "-");

	if (health_answered(c->health))
		g_log(G_LOG_DOMAIN, e->status == 404 ? G_LOG_LEVEL_DEBUG : G_LOG_LEVEL_INFO,
		      "error: %s", line + strlen(ts) + 1);
	push_error_line(c, line, TRUE);
}

static char *why_offline(gconstpointer data)
{
	return wks_error_describe(data, "the API");
}

/* Reads {error_code, error_msg} (or {"error": {code, message}}) from an error body. */
static void parse_error_body(GBytes *body, WksError *e)
{
	gsize len = 0;
	const char *data = body ? g_bytes_get_data(body, &len) : NULL;
	cJSON *root = data ? cJSON_ParseWithLength(data, len) : NULL;
	const cJSON *obj = root;
	const cJSON *code, *msg;

	if (!root)
		return;
	if (cJSON_IsObject(cJSON_GetObjectItem(root, "error")))
		obj = cJSON_GetObjectItem(root, "error");
	code = cJSON_GetObjectItem(obj, "error_code");
	if (!code)
		code = cJSON_GetObjectItem(obj, "code");
	msg = cJSON_GetObjectItem(obj, "error_msg");
	if (!msg)
		msg = cJSON_GetObjectItem(obj, "message");
	if (cJSON_IsString(code))
		e->error_code = g_strndup(code->valuestring, 64);
	if (cJSON_IsString(msg))
		e->error_msg = g_strndup(msg->valuestring, 512);
	cJSON_Delete(root);
}

/* One signed attempt. */
typedef struct {
	const char *base;	/* scheme://host[:port] */
	const char *host;	/* signed as `host` */
	const char *project_id;	/* X-Project-Id, or NULL */
	const char *token;	/* X-Auth-Token instead of a signature, or NULL */
	const char *route;	/* the path template, for /.wksfs/metrics */
} Target;

static int attempt(WksClient *c, const Target *t, const char *method, const char *wire_path,
		   const SignerPair *query, gsize n_query, const char *body, long timeout_ms,
		   HttpResponse **ret_resp, char **ret_transport)
{
	g_autoptr(GString) url = g_string_new(t->base);
	g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func(g_free);
	g_autofree char *date = signer_format_date(g_get_real_time() / G_USEC_PER_SEC);
	gsize body_len = body ? strlen(body) : 0;
	SignerPair headers[5];
	gsize n = 0;

	g_string_append(url, wire_path);
	for (gsize i = 0; i < n_query; i++) {
		g_autofree char *k = signer_encode(query[i].name);
		g_autofree char *v = signer_encode(query[i].value);

		g_string_append_printf(url, "%c%s=%s", i ? '&' : '?', k, v);
	}
	headers[n++] = (SignerPair){ "content-type", "application/json" };
	if (t->token) {
		g_ptr_array_add(lines, g_strdup_printf("X-Auth-Token: %s", t->token));
	} else {
		headers[n++] = (SignerPair){ "host", t->host };
		if (t->project_id)
			headers[n++] = (SignerPair){ "X-Project-Id", t->project_id };
		headers[n++] = (SignerPair){ "X-Sdk-Date", date };
		if (c->security_token)
			headers[n++] = (SignerPair){ "X-Security-Token", c->security_token };
	}
	for (gsize i = 0; i < n; i++)
		g_ptr_array_add(lines, g_strdup_printf("%s: %s", headers[i].name,
						       headers[i].value));
	if (!t->token) {
		g_autofree char *auth = signer_authorization(method, wire_path, query, n_query,
							     headers, n, body, body_len, c->ak,
							     c->sk);

		g_ptr_array_add(lines, g_strdup_printf("Authorization: %s", auth));
	}
	g_ptr_array_add(lines, g_strdup("Accept: application/json"));
	g_ptr_array_add(lines, NULL);

	HttpRequest req = { method, url->str, (const char *const *)lines->pdata, body, body_len,
			    timeout_ms };
	g_mutex_lock(&c->lock);
	c->stats.calls++;
	g_mutex_unlock(&c->lock);
	return http_request(c->http, &req, ret_resp, ret_transport);
}

void wks_client_set_cancel_func(WksClient *c, HttpCancelFunc func, gpointer data)
{
	http_client_set_cancel_func(c->http, func, data);
}

int wks_client_cancelled(WksClient *c, gboolean mutation)
{
	return http_cancelled(c->http, mutation);
}

guint wks_client_mutations_in_flight(WksClient *c)
{
	return http_mutations_in_flight(c->http);
}

/* A request stopped on our side (an interrupt, the shutdown): says nothing about the API. */
static gboolean is_cancel(int err)
{
	return err == -EINTR || err == -ECANCELED;
}

/* Sleeps for a retry's backoff in short slices: 0, or the cancel func's -errno. */
static int backoff_sleep(WksClient *c, gint64 wait_us)
{
	gint64 until = g_get_monotonic_time() + wait_us;

	for (;;) {
		gint64 left = until - g_get_monotonic_time();
		int rc = wks_client_cancelled(c, FALSE);

		if (rc < 0)
			return rc;
		if (left <= 0)
			return 0;
		g_usleep((gulong)MIN(left, 50 * 1000));
	}
}

static gboolean is_throttle(const WksError *e)
{
	return e->status == 429 || g_strcmp0(e->error_code, "APIG.0308") == 0 ||
	       g_strcmp0(e->error_code, "APIGW.0308") == 0;
}

/* The API gateway's own answers (APIG.xxxx, APIGW.xxxx): it refused the request before
 * forwarding it, so the service never saw it (signing.md §9, catalog.md). */
static gboolean gateway_refusal(const WksError *e)
{
	return g_str_has_prefix(e->error_code ? e->error_code : "", "APIG.") ||
	       g_str_has_prefix(e->error_code ? e->error_code : "", "APIGW.");
}

/* Whether an idempotent request that failed this way may succeed if sent again. */
static gboolean retryable(const WksError *e)
{
	if (e->status == 0)
		return e->err != -EFBIG && e->err != -EPROTO && !is_cancel(e->err);
	if (e->status >= 200 && e->status < 300)
		return TRUE;	/* a 2xx whose body was cut or garbled */
	return is_throttle(e) || e->status == 500 || e->status == 502 || e->status == 503 ||
	       e->status == 504;
}

/* Full-jitter exponential backoff: uniform in [base, 100 ms * 2^n], capped at 5 s. */
static gint64 backoff_us(int n)
{
	gint64 cap = MIN((gint64)100000 << MIN(n, 10), 5 * G_USEC_PER_SEC);

	return g_random_int_range(20000, (gint32)cap + 1);
}

static gboolean body_is_json(GBytes *body)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(body, &len);
	cJSON *root;

	if (len == 0)
		return TRUE;	/* 204-style answers */
	root = cJSON_ParseWithLength(data, len);
	cJSON_Delete(root);
	return root != NULL;
}

static void note_cut(WksClient *c, const char *method, const char *wire_path, guint cut)
{
	g_autofree char *msg = g_strdup_printf("%u values nested deeper than %d levels shown "
					       "as null", cut, JSON_MAX_DEPTH);

	g_warning("%s %s: %s", method, wire_path, msg);
	wks_client_note_error(c, method, wire_path, msg);
}

static int call_target(WksClient *c, Target *t, const char *method, const char *wire_path,
		       const SignerPair *query, gsize n_query, const char *body,
		       GBytes **ret_body, WksError *ret_error)
{
	g_autofree char *token = NULL;
	g_autoptr(GBytes) garbled = NULL;	/* the last 2xx body that was not JSON */
	gboolean reauthed = FALSE, refused = FALSE, deterministic = FALSE;
	gboolean idempotent = strcmp(method, "GET") == 0;
	gint64 start = g_get_monotonic_time();
	gint64 deadline = start + c->timeout_us;
	WksError e = { 0 };
	int rc;

	for (int n = 0;; n++) {
		g_autoptr(HttpResponse) resp = NULL;
		g_autofree char *transport = NULL;
		gint64 left = deadline - g_get_monotonic_time();
		gint64 wait_us;

		wks_error_clear(&e);
		if (c->iam) {
			/* Only a token the API refused is stale: a retry after a 503 or a
			 * timeout reuses the session's token instead of logging in again. */
			g_autofree char *used = g_steal_pointer(&token);

			rc = iam_session_token(c->iam, refused ? used : NULL, &token,
					       &e.error_msg);
			refused = FALSE;
			if (rc < 0) {
				e.err = rc;
				break;
			}
			t->token = token;
		}
		gint64 sent_us = g_get_monotonic_time();

		rc = attempt(c, t, method, wire_path, query, n_query, body,
			     MAX(left / 1000, 1), &resp, &transport);
		/* Failures before the request could leave: nothing can have been applied. */
		e.sent = rc >= 0 || !(rc == -ECONNREFUSED || rc == -EHOSTUNREACH ||
				      rc == -EPROTO || is_cancel(rc));
		metrics_note_request(c->metrics, method, t->route, rc < 0 ? 0 : resp->status,
				     (double)(g_get_monotonic_time() - sent_us) / G_USEC_PER_SEC);
		if (rc < 0) {
			e.err = rc;
			e.error_msg = g_steal_pointer(&transport);
		} else {
			g_mutex_lock(&c->lock);
			c->latency_ms[c->latency_count++ % LATENCY_RING] = resp->seconds * 1000;
			g_mutex_unlock(&c->lock);
			e.status = resp->status;
			e.request_id = g_steal_pointer(&resp->request_id);
			if (resp->status >= 200 && resp->status < 300) {
				g_autoptr(GBytes) escaped =
					json_escape_lone_surrogates(resp->body);
				guint cut = 0;
				g_autoptr(GBytes) fixed = json_cut_deep(escaped, JSON_MAX_DEPTH,
									&cut);

				if (cut)
					note_cut(c, method, wire_path, cut);
				if (body_is_json(fixed)) {
					if (ret_body)
						*ret_body = g_steal_pointer(&fixed);
					health_note(c->health, TRUE, TRUE, method,
						    wire_path, why_offline, &e);
					if (ret_error)
						*ret_error = e;	/* status, request id */
					else
						wks_error_clear(&e);
					return 0;
				}
				/* Garbled in transit varies; the same bytes twice are what
				 * the server says: asking again cannot help. */
				deterministic = garbled && g_bytes_equal(garbled, resp->body);
				g_clear_pointer(&garbled, g_bytes_unref);
				garbled = g_bytes_ref(resp->body);
				e.err = -EIO;
				e.error_msg = g_strdup(deterministic ? "the response is not "
						       "valid JSON (the same bytes twice)"
						       : "the response is not valid JSON");
			} else {
				parse_error_body(resp->body, &e);
				e.err = errmap_from_status(resp->status, e.error_code);
			}
		}
		/* Log in again and resend, once, when that cannot apply a mutation twice: a
		 * GET, or a refusal by the gateway itself (APIG*), which turns the request
		 * away before the service sees it. Any other 401 to a mutation is final. */
		if (c->iam && e.status == 401 && !reauthed &&
		    (idempotent || gateway_refusal(&e))) {
			reauthed = refused = TRUE;
			n--;
			continue;
		}
		if (is_throttle(&e)) {
			g_mutex_lock(&c->lock);
			c->stats.throttled++;
			g_mutex_unlock(&c->lock);
			health_note_throttled(c->health, method, wire_path, e.status,
					      e.error_code);
		}
		/* Never send a mutation twice: only GETs are retried. */
		if (!idempotent || n >= c->retries || !retryable(&e) || deterministic)
			break;
		wait_us = backoff_us(n);
		if (resp && resp->retry_after_s >= 0)
			wait_us = MAX(wait_us, resp->retry_after_s * G_USEC_PER_SEC);
		if (g_get_monotonic_time() + wait_us >= deadline)
			break;	/* the total time budget is spent */
		g_mutex_lock(&c->lock);
		c->stats.retries++;
		g_mutex_unlock(&c->lock);
		rc = backoff_sleep(c, wait_us);
		if (rc < 0) {
			wks_error_clear(&e);
			e.err = rc;
			break;
		}
	}
	if (is_throttle(&e))
		e.err = -EAGAIN;
	/* A cancelled read is not a failure of the API: online stays, nothing is logged. */
	if (!is_cancel(e.err)) {
		health_note(c->health, !(e.status == 0 || e.status >= 500 || is_throttle(&e)),
			    FALSE, method, wire_path, why_offline, &e);
		record_error(c, method, wire_path, &e);
	}
	rc = e.err;
	if (ret_error)
		*ret_error = e;
	else
		wks_error_clear(&e);
	return rc;
}

int wks_call_at(WksClient *c, gboolean appstream, const char *method, const char *path,
		const char *id, const SignerPair *query, gsize n_query, const char *body,
		GBytes **ret_body, WksError *ret_error)
{
	g_autofree char *wire_path = expand_path(c, path, id);
	Target t = { appstream ? c->app_endpoint : c->endpoint, appstream ? c->app_host : c->host,
		     c->project_id, NULL, path };

	return call_target(c, &t, method, wire_path, query, n_query, body, ret_body, ret_error);
}

int wks_call(WksClient *c, const char *method, const char *path, const char *id,
	     const SignerPair *query, gsize n_query, const char *body, GBytes **ret_body,
	     WksError *ret_error)
{
	return wks_call_at(c, FALSE, method, path, id, query, n_query, body, ret_body, ret_error);
}

char *wks_error_describe(const WksError *e, const char *what)
{
	if (e->status == 0)
		return g_strdup_printf("cannot reach %s: %s", what,
				       e->error_msg ? e->error_msg : g_strerror(-e->err));
	return g_strdup_printf("%s answered HTTP %ld%s%s%s%s", what, e->status,
			       e->error_code ? " " : "", e->error_code ? e->error_code : "",
			       e->error_msg ? ": " : "", e->error_msg ? e->error_msg : "");
}

int wks_client_resolve_project(WksClient *c, char **ret_reason)
{
	Target t = { c->iam_endpoint, c->iam_host, NULL, NULL, "/v3/projects" };
	g_autoptr(GBytes) body = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *projects, *id;
	WksError e = { 0 };
	int rc;

	if (c->project_id)
		return 0;
	if (c->iam) {
		g_autofree char *token = NULL;

		rc = iam_session_token(c->iam, NULL, &token, ret_reason);
		if (rc < 0)
			return rc;
		c->project_id = iam_session_project_id(c->iam);
		if (!c->project_id) {
			*ret_reason = g_strdup("the IAM token names no project");
			return -EIO;
		}
		return 0;
	}
	if (!c->region) {
		*ret_reason = g_strdup("no project id: set HUAWEICLOUD_SDK_PROJECT_ID, "
				       "-o project_id= or -o region=");
		return -EINVAL;
	}
	SignerPair q[] = { { "name", c->region } };
	rc = call_target(c, &t, "GET", "/v3/projects", q, 1, NULL, &body, &e);
	if (rc == 0)
		wks_error_clear(&e);	/* a success still carries its request id */
	if (rc < 0) {
		g_autofree char *what = g_strdup_printf("IAM %s", c->iam_endpoint);

		*ret_reason = wks_error_describe(&e, what);
		wks_error_clear(&e);
		return rc;
	}
	root = cJSON_ParseWithLength(g_bytes_get_data(body, NULL), g_bytes_get_size(body));
	projects = cJSON_GetObjectItem(root, "projects");
	id = cJSON_GetObjectItem(cJSON_GetArrayItem(projects, 0), "id");
	if (cJSON_GetArraySize(projects) != 1 || !cJSON_IsString(id) || !id->valuestring[0]) {
		*ret_reason = g_strdup_printf("IAM knows %d projects named %s: give -o project_id=",
					      cJSON_GetArraySize(projects), c->region);
		return -ENOENT;
	}
	c->project_id = g_strdup(id->valuestring);
	g_debug("project %s resolved through IAM", c->project_id);
	return 0;
}

char *wks_client_errors_text(WksClient *c)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->lock);

	for (GList *l = c->errors.head; l; l = l->next)
		g_string_append_printf(out, "%s\n", (char *)l->data);
	return g_string_free(out, FALSE);
}

void wks_client_get_stats(WksClient *c, WksClientStats *ret_stats)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&c->lock);

	*ret_stats = c->stats;
}

static int compare_double(gconstpointer a, gconstpointer b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

gint64 wks_client_latency_ms(WksClient *c, int percentile)
{
	double sorted[LATENCY_RING];
	guint n;

	g_mutex_lock(&c->lock);
	n = MIN(c->latency_count, LATENCY_RING);
	memcpy(sorted, c->latency_ms, n * sizeof(double));
	g_mutex_unlock(&c->lock);
	if (n == 0)
		return 0;
	qsort(sorted, n, sizeof(double), compare_double);
	return (gint64)(sorted[MIN(n - 1, (n * (guint)percentile) / 100)] + 0.5);
}

gboolean wks_client_online(WksClient *c)
{
	return health_online(c->health);
}

void wks_client_note_error(WksClient *c, const char *method, const char *path,
			   const char *message)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	/* The columns of record_error's lines: no status, no error_code, no request id. */
	char *line = g_strdup_printf("%s %s %s 0 - %s request_id=-", ts, method, path, message);

	push_error_line(c, line, FALSE);
}

Metrics *wks_client_metrics(WksClient *c)
{
	return c->metrics;
}

gint64 wks_client_timeout_us(WksClient *c)
{
	return c->timeout_us;
}
