/* emulator.h — the pieces of wks-emulator and the few types they share.
 *
 * main.c     options, start-up, signals, port file
 * server.c   libmicrohttpd glue: request context, routing, auth/fault/latency pipeline, replies
 * routes.c   the route table and the Workspace desktop and job handlers
 * query.c    typed query arguments (paging, booleans, repeated keys) and their 400s
 * users.c    the Workspace user handlers
 * tenant.c   the deterministic tenant (desktops, users) and the job state machine
 * render.c   tenant objects -> cJSON, in the API's field names
 * auth.c     AK/SK signature verification and the IAM token store
 * iam.c      the IAM routes (/v3/auth/tokens, /v3/projects)
 * control.c  request counters, fault switches and the /__emulator control routes
 */
#pragma once

#include <glib.h>
#include <cjson/cJSON.h>

#include "src/signer.h"

#define EMU_ERROR (g_quark_from_static_string("wks-emulator-error"))

/* Request bodies above this are answered 413 without being read. */
#define EMU_MAX_BODY (1024 * 1024)
#define EMU_MAX_DESKTOPS 1000000
#define EMU_MAX_USERS 1000000
/* Finished jobs kept for GET /workspace-jobs/{job_id}; the oldest finished ones go first. */
#define EMU_MAX_JOBS 10000
/* IAM tokens kept at once; expired ones are purged first, then the oldest. */
#define EMU_MAX_TOKENS 10000
/* The region a token is scoped to when the client scopes by project id, not by name. */
#define EMU_DEFAULT_REGION "ap-southeast-1"

typedef struct {
	char *host;
	int port;
	char *port_file;
	char *ak;
	char *sk;
	char *project_id;
	char *iam_user;
	char *iam_password;
	char *iam_domain;
	gint64 desktops;
	gint64 users;
	gint64 seed;
	int latency_ms;
	double fail_rate;
	double rate_limit;
	double job_seconds;
	double token_ttl;
	char *tls_cert;
	char *tls_key;
} EmuConfig;

typedef struct Tenant Tenant;
typedef struct TokenStore TokenStore;
typedef struct Control Control;

typedef struct {
	const EmuConfig *cfg;
	Tenant *tenant;
	TokenStore *tokens;
	Control *control;
} Emu;

/* One parsed request. Strings are owned by the request; all of it is freed after the reply. */
typedef struct {
	char *method;
	char *target;           /* request-target exactly as received */
	char *path;             /* raw (undecoded) path: target before '?' */
	GArray *args;           /* SignerPair: decoded query arguments in received order */
	gboolean args_malformed; /* a query escape was not %XX: args is incomplete */
	GArray *headers;        /* SignerPair: received headers in order, names as sent */
	GByteArray *body;
	char *params[4];        /* decoded path parameters, in template order */
	char *request_id;
} EmuRequest;

typedef struct {
	guint status;
	char *body;             /* NULL for no body */
	gsize body_len;
	GPtrArray *headers;     /* name, value, name, value, ... (owned) */
} EmuResponse;

typedef void (*EmuHandler)(Emu *emu, EmuRequest *req, EmuResponse *resp);

typedef enum {
	EMU_AUTH_NONE,          /* POST /v3/auth/tokens */
	EMU_AUTH_REQUIRED,      /* token or AK/SK */
} EmuAuth;

typedef struct {
	const char *method;
	const char *template;   /* "/v2/{project_id}/desktops/{desktop_id}" */
	EmuAuth auth;
	EmuHandler handler;
} EmuRoute;

/* routes.c */
extern const EmuRoute emu_api_routes[];
extern const gsize emu_n_api_routes;
/* Matches a raw path against a template; fills req->params (decoded). FALSE if no match. */
gboolean routes_match(const char *template, const char *raw_path, EmuRequest *req);

/* users.c */
void users_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void users_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void users_update(Emu *emu, EmuRequest *req, EmuResponse *resp);
void users_action(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* iam.c */
void iam_create_token(Emu *emu, EmuRequest *req, EmuResponse *resp);
void iam_list_projects(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* server.c: the reply helpers every handler uses, and the daemon */
void emu_reply_json(EmuResponse *resp, guint status, cJSON *body);   /* takes body */
void emu_reply_error(EmuResponse *resp, guint status, const char *code, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
void emu_reply_empty(EmuResponse *resp, guint status);
void emu_reply_header(EmuResponse *resp, const char *name, const char *value);
/* First value of a query argument (decoded), or NULL. */
const char *emu_request_arg(const EmuRequest *req, const char *name);
/* First value of a header (case-insensitive), or NULL. */
const char *emu_request_header(const EmuRequest *req, const char *name);
/* Parses the body as a JSON object; on failure replies 400 WKS.0001 and returns NULL. */
cJSON *emu_request_json_object(const EmuRequest *req, EmuResponse *resp);

typedef struct EmuServer EmuServer;
EmuServer *server_start(Emu *emu, GError **error);
int server_port(const EmuServer *server);
void server_stop(EmuServer *server);

/* auth.c */
TokenStore *token_store_new(void);
void token_store_free(TokenStore *store);
/* Issues a token valid for ttl seconds; returns the token string (g_free). */
char *token_store_issue(TokenStore *store, double ttl, gint64 *ret_issued_us,
			gint64 *ret_expires_us);
/* TRUE when the request carries a valid credential; otherwise *ret_reason says why (static
 * text, never a secret). */
gboolean auth_check(Emu *emu, const EmuRequest *req, const char **ret_reason);

/* control.c */
Control *control_new(const EmuConfig *cfg);
void control_free(Control *control);
/* Counts one API request against its route (NULL: "unmatched"); it stays in flight until
 * control_request_end. */
void control_request_begin(Control *control, const EmuRoute *route);
void control_request_end(Control *control);
/* The latency currently added to every API response. */
guint control_latency_ms(Control *control);
typedef enum {
	EMU_FAULT_NONE,
	EMU_FAULT_FAIL,         /* answer with *ret_fail_status */
	EMU_FAULT_THROTTLE,     /* over the requests-per-second limit: 429 */
} EmuFault;
/* Decides the fault for one authenticated API request. */
EmuFault control_pick_fault(Control *control, guint *ret_fail_status);
/* Handles /__emulator/...; FALSE when the path is not a control path. */
gboolean control_dispatch(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* Small shared formatting helpers (render.c). */
/* yyyy-MM-ddTHH:mm:ss.SSSZ */
char *render_time_ms(gint64 unix_ms);
