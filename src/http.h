/* http.h — libcurl behind a small synchronous interface, safe to call from any thread. */
#pragma once

#include <glib.h>

typedef struct HttpClient HttpClient;

typedef struct {
	long connect_timeout_s;	/* 0 = default 10 */
	long timeout_s;		/* total per request; 0 = default 30 */
	gsize max_body;		/* response cap in bytes; 0 = default 64 MiB */
	const char *cafile;	/* extra trust anchors (PEM), or NULL for the system store */
	gboolean insecure;	/* no TLS verification (the caller warns loudly) */
} HttpConfig;

typedef struct {
	const char *method;
	const char *url;		/* absolute, query included */
	const char *const *headers;	/* NULL-terminated "Name: value" lines, or NULL */
	const void *body;
	gsize body_len;
	long timeout_ms;		/* this request's total budget; 0 = the config's */
} HttpRequest;

typedef struct {
	long status;
	GBytes *body;
	char *request_id;	/* X-Request-Id, or NULL */
	char *subject_token;	/* X-Subject-Token (IAM), or NULL */
	gint64 retry_after_s;	/* Retry-After in seconds, -1 when absent */
	double seconds;
} HttpResponse;

/* Asked whether the calling thread's request should stop: 0 to go on, or the -errno to
 * fail with (-EINTR: the FUSE request behind it was interrupted; -ECANCELED: shutting
 * down). `mutation` is TRUE for a request that is not a GET: it is asked once, before
 * anything is sent, and a mutation in flight is never aborted (its outcome must reach its
 * writer). May be called on any thread, often; it must not block. */
typedef int (*HttpCancelFunc)(gboolean mutation, gpointer data);

HttpClient *http_client_new(const HttpConfig *config);
void http_client_free(HttpClient *http);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HttpClient, http_client_free)

/* Set once, before the first request from another thread. */
void http_client_set_cancel_func(HttpClient *http, HttpCancelFunc func, gpointer data);
/* What the cancel func says now for the calling thread: 0 or -errno (0 without one). */
int http_cancelled(HttpClient *http, gboolean mutation);
/* Mutations (non-GET requests) on the wire now. */
guint http_mutations_in_flight(HttpClient *http);

void http_response_free(HttpResponse *resp);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HttpResponse, http_response_free)

/* 0 and a response (any HTTP status), or -errno for a transport failure: -ETIMEDOUT,
 * -ECONNREFUSED, -EHOSTUNREACH, -EPROTO (an untrusted certificate), -EFBIG (response over
 * the cap), -EIO, or the cancel func's -errno (a GET is aborted mid-transfer, a mutation is
 * only refused before it is sent). A short description
 * of a transport failure is left in *ret_error when that is not NULL. */
int http_request(HttpClient *http, const HttpRequest *req, HttpResponse **ret_resp,
		 char **ret_error);
