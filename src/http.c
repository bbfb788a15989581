/* http.c — the only file that talks to libcurl.
 *
 * Owns: one CURL easy handle per thread (GPrivate), all sharing a CURLSH for connections,
 * DNS and TLS sessions, so concurrent FUSE threads reuse kept-alive connections (reads only:
 * a mutation never goes on a reused connection, see http_request); timeouts; the response
 * size cap; the cancel hook, polled while a GET transfers (libcurl calls it about once a
 * second when nothing arrives) so an interrupted or shut-down read stops at once; the debug
 * line of every request (method, path and query, status, bytes, milliseconds), made here
 * because every request, IAM's included, passes here. It must not know about signing, JSON
 * or the cache, and never logs a header or a body: they carry the signature, the token,
 * the password.
 */
#include "src/http.h"

#include <curl/curl.h>
#include <errno.h>
#include <string.h>

struct HttpClient {
	HttpConfig config;
	char *cafile;
	CURLSH *share;
	GMutex share_locks[CURL_LOCK_DATA_LAST];
	GMutex handles_lock;
	GPtrArray *handles;	/* ThreadHandle* alive; guarded by handles_lock */
	HttpCancelFunc cancel;	/* set before any request; then read-only */
	gpointer cancel_data;
	gint mutations;		/* atomic: non-GET requests being sent or awaiting an answer */
};

/* A thread's easy handle. Freed when the thread exits (page threads come and go) or, for
 * threads still alive, with the client. */
typedef struct {
	HttpClient *http;
	CURL *h;
} ThreadHandle;

static void thread_handle_free(gpointer data)
{
	ThreadHandle *th = data;

	if (!th)
		return;
	if (th->http) {
		g_mutex_lock(&th->http->handles_lock);
		g_ptr_array_remove_fast(th->http->handles, th);
		g_mutex_unlock(&th->http->handles_lock);
	}
	curl_easy_cleanup(th->h);
	g_free(th);
}

static GPrivate thread_handle = G_PRIVATE_INIT(thread_handle_free);

typedef struct {
	GByteArray *body;
	gsize max;
	gboolean too_big;
	char *request_id;
	char *subject_token;
	gint64 retry_after_s;
	HttpClient *http;	/* for the cancel func */
	int cancelled;		/* its -errno once it stopped the transfer */
} Sink;

static void share_lock(CURL *h, curl_lock_data data, curl_lock_access access, void *user)
{
	HttpClient *http = user;

	g_mutex_lock(&http->share_locks[data]);
}

static void share_unlock(CURL *h, curl_lock_data data, void *user)
{
	HttpClient *http = user;

	g_mutex_unlock(&http->share_locks[data]);
}

HttpClient *http_client_new(const HttpConfig *config)
{
	HttpClient *http = g_new0(HttpClient, 1);

	http->config = *config;
	http->cafile = g_strdup(config->cafile);
	http->config.cafile = http->cafile;
	if (!http->config.connect_timeout_s)
		http->config.connect_timeout_s = 10;
	if (!http->config.timeout_s)
		http->config.timeout_s = 30;
	if (!http->config.max_body)
		http->config.max_body = 64u << 20;
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_init(&http->share_locks[i]);
	http->share = curl_share_init();
	curl_share_setopt(http->share, CURLSHOPT_LOCKFUNC, share_lock);
	curl_share_setopt(http->share, CURLSHOPT_UNLOCKFUNC, share_unlock);
	curl_share_setopt(http->share, CURLSHOPT_USERDATA, http);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(http->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	g_mutex_init(&http->handles_lock);
	http->handles = g_ptr_array_new();
	return http;
}

void http_client_free(HttpClient *http)
{
	if (!http)
		return;
	/* Handles of threads still alive: detach them (their thread frees the rest). */
	g_mutex_lock(&http->handles_lock);
	for (guint i = 0; i < http->handles->len; i++) {
		ThreadHandle *th = http->handles->pdata[i];

		curl_easy_cleanup(th->h);
		th->h = NULL;	/* curl_easy_cleanup(NULL) is a no-op */
		th->http = NULL;
	}
	g_mutex_unlock(&http->handles_lock);
	g_ptr_array_free(http->handles, TRUE);
	curl_share_cleanup(http->share);
	g_free(http->cafile);
	for (int i = 0; i < CURL_LOCK_DATA_LAST; i++)
		g_mutex_clear(&http->share_locks[i]);
	g_mutex_clear(&http->handles_lock);
	g_free(http);
}

void http_client_set_cancel_func(HttpClient *http, HttpCancelFunc func, gpointer data)
{
	http->cancel = func;
	http->cancel_data = data;
}

int http_cancelled(HttpClient *http, gboolean mutation)
{
	return http->cancel ? http->cancel(mutation, http->cancel_data) : 0;
}

guint http_mutations_in_flight(HttpClient *http)
{
	return (guint)g_atomic_int_get(&http->mutations);
}

static const char *cancel_reason(int err)
{
	return err == -EINTR ? "interrupted" : "shutting down";
}

/* libcurl's progress callback, GETs only: non-zero aborts the transfer
 * (CURLE_ABORTED_BY_CALLBACK). */
static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	Sink *sink = user;

	sink->cancelled = http_cancelled(sink->http, FALSE);
	return sink->cancelled != 0;
}

void http_response_free(HttpResponse *resp)
{
	if (!resp)
		return;
	g_clear_pointer(&resp->body, g_bytes_unref);
	g_free(resp->request_id);
	g_free(resp->subject_token);
	g_free(resp);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	Sink *sink = user;
	gsize n = size * nmemb;

	if (sink->body->len + n > sink->max) {
		sink->too_big = TRUE;
		return 0;	/* aborts the transfer with CURLE_WRITE_ERROR */
	}
	g_byte_array_append(sink->body, (const guint8 *)data, n);
	return n;
}

static char *header_value(const char *line, size_t len, const char *name)
{
	size_t nl = strlen(name);

	if (len <= nl + 1 || g_ascii_strncasecmp(line, name, nl) != 0 || line[nl] != ':')
		return NULL;
	return g_strstrip(g_strndup(line + nl + 1, len - nl - 1));
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	Sink *sink = user;
	size_t n = size * nmemb;
	char *v;

	if ((v = header_value(data, n, "X-Request-Id"))) {
		g_free(sink->request_id);
		sink->request_id = v;
	} else if ((v = header_value(data, n, "X-Subject-Token"))) {
		g_free(sink->subject_token);
		sink->subject_token = v;
	} else if ((v = header_value(data, n, "Retry-After"))) {
		char *end = NULL;
		gint64 secs = g_ascii_strtoll(v, &end, 10);

		/* Only the delta-seconds form; an HTTP date is rare from API gateways. */
		if (end && end != v && *end == '\0' && secs >= 0)
			sink->retry_after_s = MIN(secs, 3600);
		g_free(v);
	}
	return n;
}

static CURL *handle_for_thread(HttpClient *http)
{
	ThreadHandle *th = g_private_get(&thread_handle);
	CURL *h;

	if (th && th->http == http) {
		h = th->h;
		curl_easy_reset(h);
	} else {
		th = g_new0(ThreadHandle, 1);
		th->http = http;
		th->h = h = curl_easy_init();
		g_mutex_lock(&http->handles_lock);
		g_ptr_array_add(http->handles, th);
		g_mutex_unlock(&http->handles_lock);
		g_private_replace(&thread_handle, th);
	}
	curl_easy_setopt(h, CURLOPT_SHARE, http->share);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, http->config.connect_timeout_s);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, http->config.timeout_s);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_USERAGENT, "wksfs/" WKSFS_VERSION);
	if (http->config.cafile)
		curl_easy_setopt(h, CURLOPT_CAINFO, http->config.cafile);
	if (http->config.insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	return h;
}

static int curl_errno(CURLcode rc, gboolean too_big)
{
	if (too_big)
		return -EFBIG;
	switch (rc) {
	case CURLE_OPERATION_TIMEDOUT:
		return -ETIMEDOUT;
	case CURLE_COULDNT_CONNECT:
		return -ECONNREFUSED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return -EHOSTUNREACH;
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_ISSUER_ERROR:
		return -EPROTO;	/* a certificate we do not trust: retrying cannot help */
	default:
		return -EIO;
	}
}

/* The URL's path and query, without scheme and host (nor any user:password@). */
static const char *url_path(const char *url)
{
	const char *p = strstr(url, "://");
	const char *slash = p ? strchr(p + 3, '/') : NULL;

	return slash ? slash : "/";
}

int http_request(HttpClient *http, const HttpRequest *req, HttpResponse **ret_resp,
		 char **ret_error)
{
	CURL *h = handle_for_thread(http);
	struct curl_slist *hdrs = NULL;
	gboolean mutation = g_strcmp0(req->method, "GET") != 0;
	Sink sink = { NULL, http->config.max_body, FALSE, NULL, NULL, -1, http, 0 };
	char errbuf[CURL_ERROR_SIZE] = "";
	gint64 started;
	CURLcode rc;
	double ms;
	int err;

	/* Counted before the cancel func is asked: a shutdown that sees no mutation in flight
	 * knows any later one is refused. */
	if (mutation)
		g_atomic_int_inc(&http->mutations);
	err = http_cancelled(http, mutation);
	if (err < 0) {
		if (mutation)
			g_atomic_int_dec_and_test(&http->mutations);
		if (ret_error)
			*ret_error = g_strdup(cancel_reason(err));
		return err;
	}
	sink.body = g_byte_array_new();

	for (const char *const *p = req->headers; p && *p; p++)
		hdrs = curl_slist_append(hdrs, *p);
	/* libcurl would add "Expect: 100-continue" to big bodies: one more round trip. */
	hdrs = curl_slist_append(hdrs, "Expect:");
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
	if (req->body || g_strcmp0(req->method, "GET") != 0) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	}
	if (g_strcmp0(req->method, "GET") == 0 && !req->body)
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	/* libcurl silently sends a request again when a reused connection dies before the
	 * first byte of the answer: a mutation goes out on a connection of its own, once. */
	if (g_strcmp0(req->method, "GET") != 0 && g_strcmp0(req->method, "HEAD") != 0) {
		curl_easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
	}
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	if (!mutation && http->cancel) {
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, &sink);
	}
	if (req->timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS,
				 MIN(req->timeout_ms, http->config.timeout_s * 1000));

	started = g_get_monotonic_time();
	rc = curl_easy_perform(h);
	ms = (double)(g_get_monotonic_time() - started) / 1000;
	if (mutation)
		g_atomic_int_dec_and_test(&http->mutations);
	curl_slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		const char *why = sink.cancelled ? cancel_reason(sink.cancelled)
				  : sink.too_big ? "response larger than the size cap"
				  : errbuf[0] ? errbuf : curl_easy_strerror(rc);

		err = rc == CURLE_ABORTED_BY_CALLBACK && sink.cancelled ? sink.cancelled
									 : curl_errno(rc, sink.too_big);
		g_debug("%s %s -> failed: %s (%.1f ms)", req->method, url_path(req->url), why, ms);
		if (ret_error)
			*ret_error = g_strdup(why);
		g_byte_array_unref(sink.body);
		g_free(sink.request_id);
		g_free(sink.subject_token);
		return err;
	}

	HttpResponse *resp = g_new0(HttpResponse, 1);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->seconds);
	resp->body = g_byte_array_free_to_bytes(sink.body);
	g_debug("%s %s -> %ld (%" G_GSIZE_FORMAT " bytes, %.1f ms)", req->method,
		url_path(req->url), resp->status, g_bytes_get_size(resp->body), ms);
	resp->request_id = sink.request_id;
	resp->subject_token = sink.subject_token;
	resp->retry_after_s = sink.retry_after_s;
	*ret_resp = resp;
	return 0;
}
