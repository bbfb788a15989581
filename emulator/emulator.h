/* emulator.h — the pieces of wks-emulator and the few types they share.
 *
 * main.c     options, start-up, signals, port file
 * server.c   libmicrohttpd glue: request context, routing, auth/fault/latency pipeline, replies
 * request.c  the request and reply helpers every handler uses
 * routes.c   the route table and the Workspace desktop and job handlers
 * query.c    typed query arguments (paging, booleans, repeated keys) and their 400s
 * users.c    the Workspace user handlers
 * desktops.c the desktop writes (rename, maintenance mode, delete)
 * tags.c     the desktop tag routes and the tags each desktop carries
 * groups.c   the user group handlers
 * create.c   4.3.1, creating desktops (users and groups are created in users.c, groups.c)
 * tenant-create.c  the tenant's growth: new users, groups, and the desktop create job
 * pools.c    the desktop pool handlers
 * apps.c     the App Streaming handlers (server groups, servers, sessions, jobs, session
 *            types)
 * tenant.c   the tenant's tables, its mutations and the job state machine
 * generate.c the deterministic tenant of --seed
 * render.c   Workspace tenant objects -> cJSON, in the API's field names
 * render-apps.c  App Streaming objects -> cJSON
 * auth.c     AK/SK signature verification and the IAM token store
 * iam.c      the IAM routes (/v3/auth/tokens, /v3/projects)
 * control.c  request counters, the request log and the /__emulator control routes
 * faults.c   the fault switches and the fault decision for each API request
 * kinds.c    the read-only kinds of issue 10, generated from a table (kinds-workspace.c,
 *            kinds-apps.c) and served by generic routes (kinds-routes.c)
 * hostile.c  --hostile-tenant: desktops, users and images that break every documented rule
 * derived.c  the answers those kinds compute from the tenant: the Workspace service,
 *            quotas, statistics, online users, the live jobs' sub-jobs
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
#define EMU_MAX_GROUPS 10000
#define EMU_MAX_POOLS 10000
#define EMU_MAX_SERVER_GROUPS 10000
#define EMU_MAX_SERVERS 100000
#define EMU_MAX_SESSIONS 1000000
/* Desktops, users and groups the API may create in one run, each. */
#define EMU_MAX_CREATED 1000
/* Finished jobs kept for GET /workspace-jobs/{job_id}; the oldest finished ones go first. */
#define EMU_MAX_JOBS 10000
/* IAM tokens kept at once; expired ones are purged first, then the oldest. */
#define EMU_MAX_TOKENS 10000
/* API requests kept for GET /__emulator/requests. */
#define EMU_MAX_LOG 1000
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
	gint64 groups;
	gint64 pools;
	gint64 server_groups;
	gint64 servers;
	gint64 sessions;
	gboolean hostile_names;
	gboolean hostile_wire;	/* ids "." and "..", lone surrogate escapes (see main.c) */
	gboolean hostile_tenant; /* desktops, users and images break every rule (hostile.c) */
	char *kind_counts;	/* --kind-count KIND=N,...: the read-only kinds' sizes */
	int exit_with_fd;	/* exit when this descriptor reads EOF (the parent is gone) */
	gint64 seed;
	int latency_ms;
	double fail_rate;
	int fail_status;
	int retry_after_s;
	int stall_ms;
	double reset_rate;
	double truncate_rate;
	double malformed_rate;
	char *fault_methods;    /* comma list; NULL/"" = every method */
	char *fault_route;      /* comma list of stats keys; NULL/"" = every route */
	double rate_limit;
	double job_seconds;
	double token_ttl;
	char *tls_cert;
	char *tls_key;
} EmuConfig;

typedef struct Tenant Tenant;
typedef struct TokenStore TokenStore;
typedef struct Control Control;
typedef struct Faults Faults;

typedef struct {
	const EmuConfig *cfg;
	Tenant *tenant;
	TokenStore *tokens;
	Control *control;
	Faults *faults;
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
void users_delete(Emu *emu, EmuRequest *req, EmuResponse *resp);
void users_create(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* desktops.c */
void desktops_update(Emu *emu, EmuRequest *req, EmuResponse *resp);
void desktops_maintenance(Emu *emu, EmuRequest *req, EmuResponse *resp);
void desktops_delete(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* tags.c */
void tags_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void tags_create(Emu *emu, EmuRequest *req, EmuResponse *resp);
void tags_delete(Emu *emu, EmuRequest *req, EmuResponse *resp);
/* create.c */
void desktops_create(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* groups.c */
void groups_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void groups_users(Emu *emu, EmuRequest *req, EmuResponse *resp);
void groups_action(Emu *emu, EmuRequest *req, EmuResponse *resp);
void groups_create(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* pools.c */
void pools_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void pools_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void pools_desktops(Emu *emu, EmuRequest *req, EmuResponse *resp);
void pools_action(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* apps.c */
void server_groups_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void server_groups_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_batch_start(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_batch_stop(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_batch_reboot(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_batch_rejoin(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_batch_maint(Emu *emu, EmuRequest *req, EmuResponse *resp);
void servers_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void app_jobs_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void sessions_logoff(Emu *emu, EmuRequest *req, EmuResponse *resp);
void sessions_list(Emu *emu, EmuRequest *req, EmuResponse *resp);
void session_types_query(Emu *emu, EmuRequest *req, EmuResponse *resp);
void session_types_list(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* deletes.c: the generic kinds' deletes (each route's form is in its table), 4.9.4, 4.4.4 */
void deletes_generic(Emu *emu, EmuRequest *req, EmuResponse *resp);
void groups_delete(Emu *emu, EmuRequest *req, EmuResponse *resp);
void pools_delete(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* derived.c (the generic read-only kinds' handlers are in kinds.h) */
void workspace_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void quotas_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
void stats_run_state(Emu *emu, EmuRequest *req, EmuResponse *resp);
void stats_login_state(Emu *emu, EmuRequest *req, EmuResponse *resp);
void stats_unused(Emu *emu, EmuRequest *req, EmuResponse *resp);
void stats_alarms(Emu *emu, EmuRequest *req, EmuResponse *resp);
void online_users_get(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* hostile.c: with --hostile-tenant, answers the routes it owns (TRUE), else FALSE. */
gboolean hostile_serve(Emu *emu, const EmuRoute *route, EmuRequest *req, EmuResponse *resp);

/* iam.c */
void iam_create_token(Emu *emu, EmuRequest *req, EmuResponse *resp);
void iam_list_projects(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* request.c: the reply helpers every handler uses */
void emu_reply_json(EmuResponse *resp, guint status, cJSON *body);   /* takes body */
void emu_reply_error(EmuResponse *resp, guint status, const char *code, const char *fmt, ...)
	G_GNUC_PRINTF(4, 5);
void emu_reply_empty(EmuResponse *resp, guint status);
/* 200 {"job_id": job_id}: the answer of an asynchronous operation. */
void emu_reply_job(EmuResponse *resp, const char *job_id);
void emu_reply_header(EmuResponse *resp, const char *name, const char *value);
/* First value of a query argument (decoded), or NULL. */
const char *emu_request_arg(const EmuRequest *req, const char *name);
/* First value of a header (case-insensitive), or NULL. */
const char *emu_request_header(const EmuRequest *req, const char *name);
/* Parses the body as a JSON object; on failure replies 400 WKS.0001 and returns NULL. */
cJSON *emu_request_json_object(const EmuRequest *req, EmuResponse *resp);

/* server.c: the daemon */
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
/* Every issued token expires now; how many were still valid. */
guint token_store_expire_all(TokenStore *store);
/* TRUE when the request carries a valid credential; otherwise *ret_reason says why (static
 * text, never a secret). */
/* The last tokens issued and signatures received (a JSON array of strings), for the
 * test-only /__emulator/secrets. */
cJSON *token_store_seen(TokenStore *store);
gboolean auth_check(Emu *emu, const EmuRequest *req, const char **ret_reason);

typedef enum {
	EMU_FAULT_NONE,
	EMU_FAULT_FAIL,         /* answer fail_status (429: APIG.0308 + Retry-After) */
	EMU_FAULT_STALL,        /* no answer for stall_ms, then a normal one */
	EMU_FAULT_RESET,        /* the connection is reset, no answer */
	EMU_FAULT_TRUNCATE,     /* full Content-Length, the connection closes mid-body */
	EMU_FAULT_MALFORMED,    /* 200 application/json whose body is not JSON */
	EMU_FAULT_RATE_LIMIT,   /* over the requests-per-second limit: 429 */
	EMU_FAULT_HTML,         /* 200 application/json with always the same HTML page */
} EmuFault;

/* What a broken pager does to a list's total (faults "total"). */
typedef enum {
	EMU_TOTAL_AS_IS,
	EMU_TOTAL_HIDE,         /* no total_count / count field */
	EMU_TOTAL_INFLATE,      /* total_count / count says EMU_INFLATED_TOTAL */
} EmuTotalMode;

#define EMU_INFLATED_TOTAL 1000000

/* What happens to one API request. */
typedef struct {
	EmuFault fault;
	guint status;           /* FAIL and RATE_LIMIT */
	guint retry_after_s;    /* for a 429 */
	guint stall_ms;         /* wait this long first (any fault but RATE_LIMIT) */
	char code[32];          /* FAIL: this error_code instead of the status's, or "" */
	double cut;             /* MALFORMED: the fraction of the body sent, in (0, 1) */
	gboolean ignore_offset; /* the handler sees offset=0 whatever was asked */
	EmuTotalMode total;     /* what happens to a list's total */
	char hide_field[32];    /* this field is left out of the answer's objects, or "" */
} FaultPlan;

/* faults.c */
/* NULL with *error set when --fault-methods or --fault-route is invalid. */
Faults *faults_new(const EmuConfig *cfg, GError **error);
void faults_free(Faults *faults);
/* The latency currently added to every API response. */
guint faults_latency_ms(Faults *faults);
/* Decides the faults for one authenticated API request. */
void faults_pick(Faults *faults, const char *method, const EmuRoute *route,
		 FaultPlan *ret_plan);
const char *fault_name(EmuFault fault);
/* The answer of a FAIL or RATE_LIMIT plan. */
void faults_reply(EmuResponse *resp, const FaultPlan *plan);
/* Turns an answer into a 200 application/json whose body is not JSON: a proper prefix of
 * it (plan->cut), or for EMU_FAULT_HTML, a fixed HTML page. */
void faults_malform(EmuResponse *resp, const FaultPlan *plan);
/* The paging faults: offset=0 in the request before the handler, the total of the answer
 * after it, and a field hidden from its objects (those in its top-level arrays and
 * objects: the listed items, a detail's wrapped object). */
void faults_page_request(EmuRequest *req, const FaultPlan *plan);
void faults_page_reply(EmuResponse *resp, const FaultPlan *plan);
/* GET and POST /__emulator/faults. */
void faults_get(Faults *faults, EmuResponse *resp);
void faults_set(Faults *faults, const EmuRequest *req, EmuResponse *resp);

/* control.c */
Control *control_new(const EmuConfig *cfg);
void control_free(Control *control);
/* Counts one API request against its route (NULL: "unmatched"); it stays in flight until
 * control_request_end. */
void control_request_begin(Control *control, const EmuRoute *route);
void control_request_end(Control *control);
/* Adds a finished API request to the log of GET /__emulator/requests: when it arrived
 * (monotonic us), its status (0: no answer was sent) and its fault. */
void control_log_request(Control *control, gint64 arrived_us, const char *method,
			 const EmuRoute *route, guint status, EmuFault fault);
/* Handles /__emulator/...; FALSE when the path is not a control path. */
gboolean control_dispatch(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* Small shared formatting helpers (render.c). */
/* yyyy-MM-ddTHH:mm:ss.SSSZ */
char *render_time_ms(gint64 unix_ms);
