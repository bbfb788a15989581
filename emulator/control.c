/* control.c — request counters, fault switches and the /__emulator control routes.
 *
 * Owns: the per-route counters that tests use as an oracle (every API request that reached
 * the router, keyed "METHOD /template", or "unmatched"; rejected ones included), in-flight and
 * its peak, the fault settings (latency, fail rate and status, requests-per-second limit) and
 * their decisions, and the state views (/__emulator/state/...) that bypass auth.
 * Control requests are not counted and get no faults.
 * Must not: sleep (server.c adds latency), or hold its lock while taking the tenant's.
 */
#include "emulator/emulator.h"
#include "emulator/render.h"
#include "emulator/tenant.h"

#include <math.h>
#include <string.h>

struct Control {
	GMutex lock;            /* guards every field below */
	guint64 *counts;        /* per emu_api_routes entry, then "unmatched" */
	guint64 total;
	gint64 in_flight;
	gint64 peak;
	guint latency_ms;
	double fail_rate;
	guint fail_status;
	double rate_limit;      /* requests per second, 0 = off */
	double bucket;          /* token bucket for rate_limit */
	gint64 bucket_us;
	GRand *rng;
};

Control *control_new(const EmuConfig *cfg)
{
	Control *c = g_new0(Control, 1);

	g_mutex_init(&c->lock);
	c->counts = g_new0(guint64, emu_n_api_routes + 1);
	c->latency_ms = (guint)cfg->latency_ms;
	c->fail_rate = cfg->fail_rate;
	c->fail_status = 503;
	c->rate_limit = cfg->rate_limit;
	c->bucket = MAX(cfg->rate_limit, 1.0);
	c->bucket_us = g_get_monotonic_time();
	c->rng = g_rand_new_with_seed((guint32)cfg->seed);
	return c;
}

void control_free(Control *c)
{
	if (!c)
		return;
	g_rand_free(c->rng);
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

guint control_latency_ms(Control *c)
{
	guint ms;

	g_mutex_lock(&c->lock);
	ms = c->latency_ms;
	g_mutex_unlock(&c->lock);
	return ms;
}

EmuFault control_pick_fault(Control *c, guint *ret_fail_status)
{
	EmuFault fault = EMU_FAULT_NONE;

	g_mutex_lock(&c->lock);
	if (c->rate_limit > 0) {
		gint64 now = g_get_monotonic_time();

		c->bucket = MIN(MAX(c->rate_limit, 1.0),
				c->bucket + c->rate_limit * (now - c->bucket_us) / G_USEC_PER_SEC);
		c->bucket_us = now;
		if (c->bucket >= 1.0)
			c->bucket -= 1.0;
		else
			fault = EMU_FAULT_THROTTLE;
	}
	if (fault == EMU_FAULT_NONE && c->fail_rate > 0 && g_rand_double(c->rng) < c->fail_rate) {
		fault = EMU_FAULT_FAIL;
		*ret_fail_status = c->fail_status;
	}
	g_mutex_unlock(&c->lock);
	return fault;
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
	/* Requests still being answered stay in flight; the peak restarts from them. */
	c->peak = c->in_flight;
	g_mutex_unlock(&c->lock);
	emu_reply_empty(resp, 204);
}

static void reply_faults(Control *c, EmuResponse *resp)
{
	cJSON *body = cJSON_CreateObject();

	g_mutex_lock(&c->lock);
	cJSON_AddNumberToObject(body, "latency_ms", c->latency_ms);
	cJSON_AddNumberToObject(body, "fail_rate", c->fail_rate);
	cJSON_AddNumberToObject(body, "fail_status", c->fail_status);
	cJSON_AddNumberToObject(body, "rate_limit", c->rate_limit);
	g_mutex_unlock(&c->lock);
	emu_reply_json(resp, 200, body);
}

/* A number in [lo, hi] (integral when asked); FALSE for anything else. */
static gboolean get_number(cJSON *item, double lo, double hi, gboolean integral, double *ret)
{
	if (!cJSON_IsNumber(item) || isnan(item->valuedouble) || item->valuedouble < lo ||
	    item->valuedouble > hi || (integral && item->valuedouble != floor(item->valuedouble)))
		return FALSE;
	*ret = item->valuedouble;
	return TRUE;
}

static gboolean is_later_fault(const char *k)
{
	static const char *const later[] = {
		"stall_ms", "reset_rate", "truncate_rate", "malformed_rate",
	};

	for (guint i = 0; i < G_N_ELEMENTS(later); i++)
		if (g_str_equal(k, later[i]))
			return TRUE;
	return FALSE;
}

/* Validates every setting before changing any. */
static void set_faults(Control *c, const EmuRequest *req, EmuResponse *resp)
{
	cJSON *json = emu_request_json_object(req, resp);
	double latency = -1, fail_rate = -1, fail_status = -1, rate_limit = -1, zero;
	cJSON *item;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		const char *k = item->string ? item->string : "";
		double *slot = NULL, lo = 0, hi = 0;
		gboolean integral = FALSE;

		if (g_str_equal(k, "latency_ms")) {
			slot = &latency, hi = 600000, integral = TRUE;
		} else if (g_str_equal(k, "fail_rate")) {
			slot = &fail_rate, hi = 1;
		} else if (g_str_equal(k, "fail_status")) {
			slot = &fail_status, lo = 400, hi = 599, integral = TRUE;
		} else if (g_str_equal(k, "rate_limit")) {
			slot = &rate_limit, hi = 1e6;
		} else if (is_later_fault(k)) {
			if (get_number(item, 0, 0, FALSE, &zero))
				continue;
			emu_reply_error(resp, 501, "EMU.0501", "the fault \"%s\" is not "
					"implemented yet (only 0 is accepted)", k);
			goto out;
		} else {
			emu_reply_error(resp, 400, "EMU.0400", "unknown fault setting \"%s\"", k);
			goto out;
		}
		if (!get_number(item, lo, hi, integral, slot)) {
			emu_reply_error(resp, 400, "EMU.0400", "%s must be a number from %g to %g",
					k, lo, hi);
			goto out;
		}
	}
	g_mutex_lock(&c->lock);
	if (latency >= 0)
		c->latency_ms = (guint)latency;
	if (fail_rate >= 0)
		c->fail_rate = fail_rate;
	if (fail_status >= 0)
		c->fail_status = (guint)fail_status;
	if (rate_limit >= 0) {
		c->rate_limit = rate_limit;
		c->bucket = MAX(rate_limit, 1.0);
		c->bucket_us = g_get_monotonic_time();
	}
	g_mutex_unlock(&c->lock);
	reply_faults(c, resp);
out:
	cJSON_Delete(json);
}

static void reply_state(Emu *emu, EmuRequest *req, EmuResponse *resp, gboolean desktop)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;

	tenant_lock(t);
	if (desktop) {
		Desktop *d = tenant_desktop(t, req->params[0]);

		body = d ? render_desktop(t, d) : NULL;
	} else {
		User *u = tenant_user_by_name(t, req->params[0]);

		body = u ? render_user(t, u, TRUE) : NULL;
	}
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "EMU.0404", "no %s \"%s\" in the tenant",
				desktop ? "desktop" : "user", req->params[0]);
		return;
	}
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
	} else if (g_str_equal(path, "/__emulator/faults")) {
		allowed = "GET, POST";
		if (get)
			reply_faults(c, resp);
		else if (post)
			set_faults(c, req, resp);
		else
			handled = FALSE;
	} else if (routes_match("/__emulator/state/desktops/{desktop_id}", path, req) ||
		   routes_match("/__emulator/state/users/{user_name}", path, req)) {
		gboolean desktop = g_str_has_prefix(path, "/__emulator/state/desktops/");

		allowed = "GET";
		if (get)
			reply_state(emu, req, resp, desktop);
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
