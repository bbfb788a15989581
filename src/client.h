/* client.h — signed requests to the Workspace API, with the error model. */
#pragma once

#include <glib.h>

#include "src/http.h"
#include "src/signer.h"

typedef struct WksClient WksClient;
typedef struct Metrics Metrics;

typedef struct {
	const char *endpoint;		/* scheme://host[:port], no trailing slash */
	const char *appstream_endpoint;	/* App Streaming; NULL: the same as endpoint */
	const char *project_id;
	const char *ak;
	const char *sk;
	const char *security_token;	/* NULL unless temporary keys */
	int retries;			/* extra attempts for idempotent requests */
	const char *region;		/* project name, for IAM scoping and lookup */
	const char *iam_endpoint;	/* https://iam.myhuaweicloud.com by default */
	const char *iam_user;		/* set: token auth with this IAM user instead of AK/SK */
	const char *iam_domain;
	const char *iam_password;
	HttpConfig http;
} WksClientConfig;

/* What went wrong with a call, kept for the caller and for /.wksfs/errors. */
typedef struct {
	int err;		/* -errno */
	long status;		/* HTTP status, 0 for a transport failure */
	char *error_code;
	char *error_msg;
	char *request_id;
	gboolean sent;		/* the request may have reached the API (it was not refused at
				 * connect, resolve or TLS verification, nor cancelled first) */
} WksError;

void wks_error_clear(WksError *e);
/* One line for a failed call to `what`: "cannot reach WHAT: ..." or "WHAT answered HTTP
 * 401 CODE: message". */
char *wks_error_describe(const WksError *e, const char *what);

WksClient *wks_client_new(const WksClientConfig *config);
void wks_client_free(WksClient *c);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(WksClient, wks_client_free)

const char *wks_client_endpoint(WksClient *c);

/* The hook every request asks whether to stop (see HttpCancelFunc): a GET is aborted, a
 * mutation only refused before it is sent. Set before requests start on other threads. */
void wks_client_set_cancel_func(WksClient *c, HttpCancelFunc func, gpointer data);
/* What the hook says now for the calling thread: 0 or -errno. */
int wks_client_cancelled(WksClient *c, gboolean mutation);
/* Mutations on the wire now. */
guint wks_client_mutations_in_flight(WksClient *c);

/* Start-up only, before any other call: finds the project id when none was configured —
 * from the IAM token's scope, or with AK/SK through GET /v3/projects?name=<region> as the
 * SDKs do. -errno with a one-line reason. */
int wks_client_resolve_project(WksClient *c, char **ret_reason);
const char *wks_client_project_id(WksClient *c);

/* One API call. `path` may contain {project_id} and {id}; `id` fills the latter (percent-
 * encoded). `body` is sent as application/json when not NULL. On 2xx returns 0 and the body
 * (possibly empty) in *ret_body; otherwise -errno, with details in *ret_error when not NULL. */
int wks_call(WksClient *c, const char *method, const char *path, const char *id,
	     const SignerPair *query, gsize n_query, const char *body, GBytes **ret_body,
	     WksError *ret_error);
/* The same on App Streaming's endpoint when `appstream` is TRUE. On success *ret_error (when
 * given) holds the status and request id. */
int wks_call_at(WksClient *c, gboolean appstream, const char *method, const char *path,
		const char *id, const SignerPair *query, gsize n_query, const char *body,
		GBytes **ret_body, WksError *ret_error);
const char *wks_client_appstream_endpoint(WksClient *c);

/* The recent failures, one per line: time, request, status, error_code, error_msg,
 * request id. */
char *wks_client_errors_text(WksClient *c);
/* Adds a line to them for a request refused before it was sent (invalid input): the same
 * columns, no status, no request id; not counted as an API error. */
void wks_client_note_error(WksClient *c, const char *method, const char *path,
			   const char *message);

typedef struct {
	guint64 calls;		/* HTTP requests sent, retries included */
	guint64 errors;		/* calls that failed in the end */
	guint64 retries;
	guint64 throttled;	/* 429 / APIG.0308 answers */
} WksClientStats;

void wks_client_get_stats(WksClient *c, WksClientStats *ret_stats);

/* Percentile (0-100) of the recent requests' durations in ms; 0 when there were none. */
gint64 wks_client_latency_ms(WksClient *c, int percentile);

/* The request counters behind /.wksfs/metrics (src/metrics.h). */
Metrics *wks_client_metrics(WksClient *c);

/* FALSE after the last call failed for want of the API (transport error, 5xx, throttled
 * after retries); TRUE after any other answer. */
gboolean wks_client_online(WksClient *c);
/* The time budget of one call, retries included (-o timeout), in microseconds. */
gint64 wks_client_timeout_us(WksClient *c);
