/* control.c — request counters, the request log and the /__emulator control routes.
 *
 * Owns: the per-route counters that tests use as an oracle (every API request that reached
 * the router, keyed "METHOD /template", or "unmatched"; rejected ones included), in-flight and
 * its peak (a request is in flight from its headers until its answer is queued or it is
 * abandoned, so latency and stalls count), the log of the last EMU_MAX_LOG API requests, and
 * the control routes: stats, reset-stats, requests, faults (faults.c), expire-tokens and
 * secrets (auth.c: tests only) and the state views (/__emulator/state/...) that bypass
 * auth. Control requests are not counted or logged and get no faults.
 * Must not: sleep (server.c waits), or hold its lock while taking the tenant's.
 */
#include "emulator/emulator.h"
#include "emulator/kinds.h"
#include "emulator/render.h"
#include "emulator/tenant.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
	gint64 arrived_us;
	char method[12];        /* as received, cut short */
	gint32 route;           /* emu_api_routes index, -1 = unmatched */
	guint16 status;
	guint8 fault;           /* EmuFault */
} LogEntry;

struct Control {
	GMutex lock;            /* guards every field below */
	gint64 start_us;        /* monotonic: t_ms 0 of the request log */
	guint64 *counts;        /* per emu_api_routes entry, then "unmatched" */
	guint64 total;
	gint64 in_flight;
	gint64 peak;
	LogEntry *log;          /* ring of EMU_MAX_LOG entries */
	guint log_next;         /* where the next entry goes */
	guint log_len;
};

Control *control_new(const EmuConfig *cfg)
{
	Control *c = g_new0(Control, 1);

	g_mutex_init(&c->lock);
	c->start_us = g_get_monotonic_time();
	c->counts = g_new0(guint64, emu_n_api_routes + 1);
	c->log = g_new0(LogEntry, EMU_MAX_LOG);
	return c;
}

void control_free(Control *c)
{
	if (!c)
		return;
	g_free(c->log);
	g_free(c->counts);
	g_mutex_clear(&c->lock);
	g_free(c);
}

void control_request_begin(Control *c, const EmuRoute *route)
{
	gsize slot = route ? (gsize)(route - emu_api_routes) : emu_n_api_routes;

	g_mutex_lock(&c->lock);
	c->counts[slot]++;
	c->total++;
	c->in_flight++;
	c->peak = MAX(c->peak, c->in_flight);
	g_mutex_unlock(&c->lock);
}

void control_request_end(Control *c)
{
	g_mutex_lock(&c->lock);
	c->in_flight--;
	g_mutex_unlock(&c->lock);
}

void control_log_request(Control *c, gint64 arrived_us, const char *method,
			 const EmuRoute *route, guint status, EmuFault fault)
{
	LogEntry *e;

	g_mutex_lock(&c->lock);
	e = &c->log[c->log_next];
	e->arrived_us = arrived_us;
	g_strlcpy(e->method, method, sizeof(e->method));
	e->route = route ? (gint32)(route - emu_api_routes) : -1;
	e->status = (guint16)status;
	e->fault = (guint8)fault;
	c->log_next = (c->log_next + 1) % EMU_MAX_LOG;
	c->log_len = MIN(c->log_len + 1, EMU_MAX_LOG);
	g_mutex_unlock(&c->lock);
}

static int compare_entries(gconstpointer a, gconstpointer b)
{
	const LogEntry *ea = a, *eb = b;

	return ea->arrived_us < eb->arrived_us ? -1 : ea->arrived_us > eb->arrived_us;
}

/* Oldest first by arrival: entries are added as requests finish, which is not always the
 * order they came in. */
static void reply_requests(Control *c, EmuResponse *resp)
{
	g_autofree LogEntry *copy = g_new(LogEntry, EMU_MAX_LOG);
	cJSON *body = cJSON_CreateArray();
	gint64 start_us;
	guint n;

	g_mutex_lock(&c->lock);
	n = c->log_len;
	for (guint i = 0; i < n; i++)
		copy[i] = c->log[(c->log_next + EMU_MAX_LOG - n + i) % EMU_MAX_LOG];
	start_us = c->start_us;
	g_mutex_unlock(&c->lock);
	qsort(copy, n, sizeof(*copy), compare_entries);
	for (guint i = 0; i < n; i++) {
		const LogEntry *e = &copy[i];
		cJSON *o = cJSON_CreateObject();

		cJSON_AddNumberToObject(o, "t_ms", (e->arrived_us - start_us) / 1000.0);
		cJSON_AddStringToObject(o, "method", e->method);
		if (e->route >= 0) {
			g_autofree char *key = g_strdup_printf("%s %s",
				emu_api_routes[e->route].method, emu_api_routes[e->route].template);

			cJSON_AddStringToObject(o, "route", key);
		} else {
			cJSON_AddStringToObject(o, "route", "unmatched");
		}
		cJSON_AddNumberToObject(o, "status", e->status);
		cJSON_AddStringToObject(o, "fault", fault_name(e->fault));
		cJSON_AddItemToArray(body, o);
	}
	emu_reply_json(resp, 200, body);
}

static void reply_stats(Control *c, EmuResponse *resp)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *routes;

	g_mutex_lock(&c->lock);
	cJSON_AddNumberToObject(body, "total", (double)c->total);
	cJSON_AddNumberToObject(body, "peak_in_flight", (double)c->peak);
	cJSON_AddNumberToObject(body, "in_flight", (double)c->in_flight);
	routes = cJSON_AddObjectToObject(body, "routes");
	for (gsize i = 0; i < emu_n_api_routes; i++) {
		g_autofree char *key = g_strdup_printf("%s %s", emu_api_routes[i].method,
						       emu_api_routes[i].template);

		cJSON_AddNumberToObject(routes, key, (double)c->counts[i]);
	}
	cJSON_AddNumberToObject(routes, "unmatched", (double)c->counts[emu_n_api_routes]);
	g_mutex_unlock(&c->lock);
	emu_reply_json(resp, 200, body);
}

static void reset_stats(Control *c, EmuResponse *resp)
{
	g_mutex_lock(&c->lock);
	memset(c->counts, 0, sizeof(*c->counts) * (emu_n_api_routes + 1));
	c->total = 0;
	c->log_next = c->log_len = 0;
	/* Requests still being answered stay in flight; the peak restarts from them. */
	c->peak = c->in_flight;
	g_mutex_unlock(&c->lock);
	emu_reply_empty(resp, 204);
}

/* The object as the API shows it, found under the lock; NULL when there is none. */
static cJSON *state_of(Tenant *t, const char *kind, const char *key)
{
	if (g_str_equal(kind, "desktops")) {
		Desktop *d = tenant_desktop(t, key);

		if (!d)
			d = tenant_desktop_by_name(t, key);
		return d ? render_desktop(t, d) : NULL;
	}
	if (g_str_equal(kind, "users")) {
		User *u = tenant_user_by_name(t, key);

		if (!u)
			u = tenant_user(t, key);
		return u ? render_user(t, u, TRUE) : NULL;
	}
	if (g_str_equal(kind, "groups")) {
		Group *g = tenant_group(t, key);

		return g && !g->deleted ? render_group(t, g) : NULL;
	}
	if (g_str_equal(kind, "pools")) {
		Pool *p = tenant_pool(t, key);

		return p && !p->deleted ? render_pool(t, p) : NULL;
	}
	if (g_str_equal(kind, "server-groups")) {
		ServerGroup *g = tenant_server_group(t, key);

		return g ? render_server_group(t, g, TRUE) : NULL;
	}
	if (g_str_equal(kind, "servers")) {
		AppServer *srv = tenant_server(t, key);

		return srv ? render_server(t, srv) : NULL;
	}
	if (g_str_equal(kind, "sessions")) {
		Session *s = tenant_session(t, key);

		return s ? render_session(t, s) : NULL;
	}
	if (g_str_equal(kind, "jobs")) {
		Job *job = tenant_job(t, key);

		if (job)
			return render_job(t, job);
		job = tenant_app_job(t, key);
		return job ? render_app_job(t, job) : NULL;
	}
	if (g_str_equal(kind, "session-types")) {
		for (guint i = 0; i < EMU_N_SESSION_TYPES; i++) {
			cJSON *type = render_session_type(i);

			if (g_str_equal(cJSON_GetStringValue(cJSON_GetObjectItem(type,
					"resource_spec_code")), key))
				return type;
			cJSON_Delete(type);
		}
	}
	return NULL;
}

/* /__emulator/state/KIND/ID-OR-NAME: desktops (id or computer_name), users (user_name or
 * id), groups, pools, server-groups, servers (id or name), sessions, jobs (id) and
 * session-types (resource_spec_code). The key is percent-decoded. */
static void reply_state(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const kinds[] = {
		"desktops", "users", "groups", "pools", "server-groups", "servers", "sessions",
		"jobs", "session-types",
	};
	const char *kind = req->params[0], *key = req->params[1];
	gboolean known = FALSE;
	cJSON *body;

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		known |= g_str_equal(kind, kinds[i]);
	tenant_lock(emu->tenant);
	if (known)
		body = state_of(emu->tenant, kind, key);
	else
		body = kinds_state(emu->tenant, kind, key, &known);
	tenant_unlock(emu->tenant);
	if (!known) {
		emu_reply_error(resp, 404, "EMU.0404", "no state view \"%s\" (one of desktops, "
				"users, groups, pools, server-groups, servers, sessions, jobs, "
				"session-types, or a read-only kind)", kind);
		return;
	}
	if (!body) {
		emu_reply_error(resp, 404, "EMU.0404", "no %s \"%s\" in the tenant", kind, key);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* /__emulator/state/KIND: every object of a read-only kind (kinds_state). */
static void reply_kind_state(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	gboolean known;
	cJSON *body;

	tenant_lock(emu->tenant);
	body = kinds_state(emu->tenant, req->params[0], NULL, &known);
	tenant_unlock(emu->tenant);
	if (!body) {
		emu_reply_error(resp, 404, "EMU.0404", "no read-only kind \"%s\"", req->params[0]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* POST /__emulator/expire-tokens: {"expired": n}, the tokens that were valid until now. */
static void expire_tokens(Emu *emu, EmuResponse *resp)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "expired", token_store_expire_all(emu->tokens));
	emu_reply_json(resp, 200, body);
}

gboolean control_dispatch(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Control *c = emu->control;
	gboolean get = g_str_equal(req->method, "GET"), post = g_str_equal(req->method, "POST");
	const char *path = req->path;
	const char *allowed;
	gboolean handled = TRUE;

	if (g_str_equal(path, "/__emulator/stats")) {
		allowed = "GET";
		if (get)
			reply_stats(c, resp);
		else
			handled = FALSE;
	} else if (g_str_equal(path, "/__emulator/reset-stats")) {
		allowed = "POST";
		if (post)
			reset_stats(c, resp);
		else
			handled = FALSE;
	} else if (g_str_equal(path, "/__emulator/requests")) {
		allowed = "GET";
		if (get)
			reply_requests(c, resp);
		else
			handled = FALSE;
	} else if (g_str_equal(path, "/__emulator/secrets")) {
		/* Tests only: what a client must never write anywhere (auth.c). */
		allowed = "GET";
		if (get)
			emu_reply_json(resp, 200, token_store_seen(emu->tokens));
		else
			handled = FALSE;
	} else if (g_str_equal(path, "/__emulator/faults")) {
		allowed = "GET, POST";
		if (get)
			faults_get(emu->faults, resp);
		else if (post)
			faults_set(emu->faults, req, resp);
		else
			handled = FALSE;
	} else if (g_str_equal(path, "/__emulator/expire-tokens")) {
		allowed = "POST";
		if (post)
			expire_tokens(emu, resp);
		else
			handled = FALSE;
	} else if (routes_match("/__emulator/state/{kind}", path, req)) {
		allowed = "GET";
		if (get)
			reply_kind_state(emu, req, resp);
		else
			handled = FALSE;
	} else if (routes_match("/__emulator/state/{kind}/{key}", path, req)) {
		allowed = "GET";
		if (get)
			reply_state(emu, req, resp);
		else
			handled = FALSE;
	} else {
		return FALSE;
	}
	if (!handled) {
		emu_reply_error(resp, 405, "EMU.0405", "use %s on %s", allowed, path);
		emu_reply_header(resp, "Allow", allowed);
	}
	return TRUE;
}
