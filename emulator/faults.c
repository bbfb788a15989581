/* faults.c — the fault switches (README) and the decision for each API request.
 *
 * Owns: the settings (latency, fail rate and status, Retry-After of an injected 429, stall,
 * reset, truncate, malformed and html rates, the paging faults ignore_offset and total, a
 * field hidden from the answers' objects (hide_field: an API version without it), the
 * requests-per-second limit, and the methods and
 * routes the per-request faults are restricted to), their validation — from the command line
 * and from POST /__emulator/faults, where every key is checked before any changes — and the
 * per-request draw. Latency and the rate limit apply to every API request; fail, stall,
 * reset, truncate and malformed only to requests passing the methods and route filters.
 * The draws come from one GRand seeded with --seed, so one request sequence always meets the
 * same faults. Also what an injected failure or a malformed answer says.
 * Must not: sleep, touch connections (server.c acts on the plan), or take another lock.
 */
#include "emulator/emulator.h"

#include <math.h>
#include <string.h>

static const char *const methods[] = { "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE",
				       "OPTIONS" };

struct Faults {
	GMutex lock;            /* guards every field below */
	guint latency_ms;
	double fail_rate;
	guint fail_status;
	guint retry_after_s;
	guint stall_ms;
	double reset_rate;
	double truncate_rate;
	double malformed_rate;
	double html_rate;
	char fail_code[32];     /* error_code of an injected failure; "" = by status */
	gboolean ignore_offset;
	EmuTotalMode total;
	char hide_field[32];    /* "" = none */
	guint method_mask;      /* bit i: methods[i]; 0 = every method */
	gboolean *route_set;    /* per emu_api_routes entry; NULL = every route */
	double rate_limit;      /* requests per second, 0 = off */
	double bucket;          /* token bucket for rate_limit */
	gint64 bucket_us;
	GRand *rng;
};

const char *fault_name(EmuFault fault)
{
	static const char *const names[] = {
		"none", "fail", "stall", "reset", "truncate", "malformed", "rate_limit", "html",
	};

	return names[fault];
}

/* "GET,POST" (any case, spaces allowed) -> a mask; "" -> 0 (every method). */
static gboolean parse_methods(const char *s, guint *ret_mask, GError **error)
{
	g_auto(GStrv) items = g_strsplit(s, ",", -1);
	guint mask = 0;

	for (guint i = 0; items[i]; i++) {
		char *m = g_strstrip(items[i]);
		guint k;

		if (!*m && !items[1])
			break;
		for (k = 0; k < G_N_ELEMENTS(methods); k++)
			if (g_ascii_strcasecmp(m, methods[k]) == 0)
				break;
		if (k == G_N_ELEMENTS(methods)) {
			g_set_error(error, EMU_ERROR, 0, "methods: \"%s\" is not an HTTP method "
				    "(a comma list of GET, POST, PUT, PATCH, DELETE, ...)", m);
			return FALSE;
		}
		mask |= 1u << k;
	}
	*ret_mask = mask;
	return TRUE;
}

/* "POST /v2/{project_id}/desktops/action,GET /v3/projects" -> a set over the route table;
 * "" -> NULL (every route). Each item must be a stats key. */
static gboolean parse_routes(const char *s, gboolean **ret_set, GError **error)
{
	g_auto(GStrv) items = g_strsplit(s, ",", -1);
	g_autofree gboolean *set = g_new0(gboolean, emu_n_api_routes);
	gboolean any = FALSE;

	for (guint i = 0; items[i]; i++) {
		char *want = g_strstrip(items[i]);
		gboolean found = FALSE;

		if (!*want && !items[1])
			break;
		for (gsize k = 0; k < emu_n_api_routes; k++) {
			const EmuRoute *r = &emu_api_routes[k];
			g_autofree char *key = g_strdup_printf("%s %s", r->method, r->template);

			if (g_str_equal(key, want))
				set[k] = found = TRUE;
		}
		if (!found) {
			g_set_error(error, EMU_ERROR, 0, "route: \"%s\" is not a route (use a "
				    "key of GET /__emulator/stats, e.g. \"GET "
				    "/v2/{project_id}/users\")", want);
			return FALSE;
		}
		any = TRUE;
	}
	*ret_set = any ? g_steal_pointer(&set) : NULL;
	return TRUE;
}

Faults *faults_new(const EmuConfig *cfg, GError **error)
{
	Faults *f = g_new0(Faults, 1);

	g_mutex_init(&f->lock);
	f->latency_ms = (guint)cfg->latency_ms;
	f->fail_rate = cfg->fail_rate;
	f->fail_status = (guint)cfg->fail_status;
	f->retry_after_s = (guint)cfg->retry_after_s;
	f->stall_ms = (guint)cfg->stall_ms;
	f->reset_rate = cfg->reset_rate;
	f->truncate_rate = cfg->truncate_rate;
	f->malformed_rate = cfg->malformed_rate;
	f->rate_limit = cfg->rate_limit;
	f->bucket = MAX(cfg->rate_limit, 1.0);
	f->bucket_us = g_get_monotonic_time();
	f->rng = g_rand_new_with_seed((guint32)cfg->seed);
	if (!parse_methods(cfg->fault_methods ? cfg->fault_methods : "", &f->method_mask,
			   error) ||
	    !parse_routes(cfg->fault_route ? cfg->fault_route : "", &f->route_set, error)) {
		faults_free(f);
		return NULL;
	}
	return f;
}

void faults_free(Faults *f)
{
	if (!f)
		return;
	g_rand_free(f->rng);
	g_free(f->route_set);
	g_mutex_clear(&f->lock);
	g_free(f);
}

guint faults_latency_ms(Faults *f)
{
	guint ms;

	g_mutex_lock(&f->lock);
	ms = f->latency_ms;
	g_mutex_unlock(&f->lock);
	return ms;
}

static gboolean method_matches(const Faults *f, const char *method)
{
	if (!f->method_mask)
		return TRUE;
	for (guint k = 0; k < G_N_ELEMENTS(methods); k++)
		if ((f->method_mask & (1u << k)) && g_str_equal(method, methods[k]))
			return TRUE;
	return FALSE;
}

/* One draw per non-zero rate, so a run with only fail_rate set sees the same sequence as
 * before the other faults existed. */
static gboolean draw(Faults *f, double rate)
{
	return rate > 0 && g_rand_double(f->rng) < rate;
}

static const char *const total_modes[] = { "", "hide", "inflate" };

void faults_pick(Faults *f, const char *method, const EmuRoute *route, FaultPlan *ret_plan)
{
	FaultPlan plan = { .fault = EMU_FAULT_NONE };

	g_mutex_lock(&f->lock);
	if (f->rate_limit > 0) {
		gint64 now = g_get_monotonic_time();

		f->bucket = MIN(MAX(f->rate_limit, 1.0),
				f->bucket + f->rate_limit * (now - f->bucket_us) / G_USEC_PER_SEC);
		f->bucket_us = now;
		if (f->bucket >= 1.0) {
			f->bucket -= 1.0;
		} else {
			plan.fault = EMU_FAULT_RATE_LIMIT;
			plan.status = 429;
			/* When the next token is due, in whole seconds. */
			plan.retry_after_s = (guint)MAX(1.0, ceil((1.0 - f->bucket) /
								  f->rate_limit));
			goto out;
		}
	}
	if (!method_matches(f, method) ||
	    (f->route_set && !f->route_set[route - emu_api_routes]))
		goto out;
	plan.stall_ms = f->stall_ms;
	plan.ignore_offset = f->ignore_offset;
	plan.total = f->total;
	g_strlcpy(plan.hide_field, f->hide_field, sizeof(plan.hide_field));
	if (draw(f, f->reset_rate)) {
		plan.fault = EMU_FAULT_RESET;
	} else if (draw(f, f->truncate_rate)) {
		plan.fault = EMU_FAULT_TRUNCATE;
	} else if (draw(f, f->malformed_rate)) {
		/* A cut that varies, as a flaky proxy's would: two attempts rarely see the
		 * same bytes. */
		plan.fault = EMU_FAULT_MALFORMED;
		plan.cut = g_rand_double_range(f->rng, 0.05, 0.95);
	} else if (draw(f, f->html_rate)) {
		plan.fault = EMU_FAULT_HTML;
	} else if (draw(f, f->fail_rate))
		plan.fault = EMU_FAULT_FAIL;
	else if (plan.stall_ms)
		plan.fault = EMU_FAULT_STALL;
	plan.status = f->fail_status;
	plan.retry_after_s = f->retry_after_s;
	g_strlcpy(plan.code, f->fail_code, sizeof(plan.code));
out:
	g_mutex_unlock(&f->lock);
	*ret_plan = plan;
}

/* An injected failure carries the code Appendix A.2 documents for its status. */
static const struct {
	guint status;
	const char *code;
	const char *msg;
} fault_codes[] = {
	{ 400, "WKS.0001", "The format of the parameters entered through the interface is "
	  "invalid." },
	{ 401, "APIGW.0301", "Incorrect IAM authentication information." },
	{ 403, "WKS.00010024", "No authority." },
	{ 404, "WKS.00010031", "The resource does not found." },
	{ 409, "WKS.00010032", "Operation conflict." },
};

void faults_reply(EmuResponse *resp, const FaultPlan *plan)
{
	g_autofree char *retry_after = g_strdup_printf("%u", plan->retry_after_s);

	if (plan->fault == EMU_FAULT_RATE_LIMIT) {
		emu_reply_error(resp, 429, "APIG.0308", "The request is throttled (more than "
				"the emulator's requests-per-second limit).");
		emu_reply_header(resp, "Retry-After", retry_after);
	} else if (plan->status == 429) {
		emu_reply_error(resp, 429, "APIG.0308", "The request is throttled "
				"(fault injected by wks-emulator).");
		emu_reply_header(resp, "Retry-After", retry_after);
	} else {
		const char *code = "WKS.0002", *msg = "Internal error. Please contact your "
			"system administrator.";

		for (guint i = 0; i < G_N_ELEMENTS(fault_codes); i++) {
			if (fault_codes[i].status == plan->status) {
				code = fault_codes[i].code;
				msg = fault_codes[i].msg;
			}
		}
		if (plan->code[0])
			code = plan->code;
		emu_reply_error(resp, plan->status, code, "%s (fault injected by wks-emulator)",
				msg);
	}
}

/* A 200 application/json that no JSON parser accepts: a proper prefix of what the handler
 * answered (a proper prefix of a JSON object never parses), or an HTML error page. */
void faults_malform(EmuResponse *resp, const FaultPlan *plan)
{
	static const char html[] = "<html><head><title>502 Bad Gateway</title></head>"
				   "<body><h1>502 Bad Gateway</h1></body></html>";

	if (plan->fault == EMU_FAULT_MALFORMED && resp->body_len >= 2) {
		resp->body_len = CLAMP((gsize)(resp->body_len * plan->cut), 1,
				       resp->body_len - 1);
		resp->body[resp->body_len] = '\0';
	} else {
		g_free(resp->body);
		resp->body = g_strdup(html);
		resp->body_len = sizeof(html) - 1;
	}
	resp->status = 200;
}

void faults_page_request(EmuRequest *req, const FaultPlan *plan)
{
	for (guint i = 0; plan->ignore_offset && i < req->args->len; i++) {
		SignerPair *p = &g_array_index(req->args, SignerPair, i);

		if (g_str_equal(p->name, "offset")) {
			g_free((char *)p->value);
			p->value = g_strdup("0");
		}
	}
}

/* The field left out of every object in root's top-level arrays and objects. */
static void hide_field(cJSON *root, const char *field)
{
	cJSON *member, *item;

	cJSON_ArrayForEach(member, root) {
		if (cJSON_IsObject(member))
			cJSON_DeleteItemFromObjectCaseSensitive(member, field);
		if (!cJSON_IsArray(member))
			continue;
		cJSON_ArrayForEach(item, member)
			cJSON_DeleteItemFromObjectCaseSensitive(item, field);
	}
}

void faults_page_reply(EmuResponse *resp, const FaultPlan *plan)
{
	static const char *const fields[] = { "total_count", "count" };
	cJSON *root;

	if ((plan->total == EMU_TOTAL_AS_IS && !plan->hide_field[0]) || resp->status != 200 ||
	    !resp->body)
		return;
	root = cJSON_ParseWithLength(resp->body, resp->body_len);
	if (cJSON_IsObject(root) && plan->hide_field[0])
		hide_field(root, plan->hide_field);
	for (gsize i = 0; cJSON_IsObject(root) && plan->total != EMU_TOTAL_AS_IS &&
			  i < G_N_ELEMENTS(fields); i++) {
		if (!cJSON_GetObjectItem(root, fields[i]))
			continue;
		if (plan->total == EMU_TOTAL_HIDE)
			cJSON_DeleteItemFromObject(root, fields[i]);
		else
			cJSON_ReplaceItemInObject(root, fields[i],
						  cJSON_CreateNumber(EMU_INFLATED_TOTAL));
	}
	if (cJSON_IsObject(root))
		emu_reply_json(resp, resp->status, root);	/* takes root */
	else
		cJSON_Delete(root);
}

void faults_get(Faults *f, EmuResponse *resp)
{
	cJSON *body = cJSON_CreateObject();
	GString *list = g_string_new(NULL);

	g_mutex_lock(&f->lock);
	cJSON_AddNumberToObject(body, "latency_ms", f->latency_ms);
	cJSON_AddNumberToObject(body, "fail_rate", f->fail_rate);
	cJSON_AddNumberToObject(body, "fail_status", f->fail_status);
	cJSON_AddNumberToObject(body, "retry_after_s", f->retry_after_s);
	cJSON_AddNumberToObject(body, "rate_limit", f->rate_limit);
	cJSON_AddNumberToObject(body, "stall_ms", f->stall_ms);
	cJSON_AddNumberToObject(body, "reset_rate", f->reset_rate);
	cJSON_AddNumberToObject(body, "truncate_rate", f->truncate_rate);
	cJSON_AddNumberToObject(body, "malformed_rate", f->malformed_rate);
	cJSON_AddNumberToObject(body, "html_rate", f->html_rate);
	cJSON_AddStringToObject(body, "fail_code", f->fail_code);
	cJSON_AddBoolToObject(body, "ignore_offset", f->ignore_offset);
	cJSON_AddStringToObject(body, "total", total_modes[f->total]);
	cJSON_AddStringToObject(body, "hide_field", f->hide_field);
	for (guint k = 0; k < G_N_ELEMENTS(methods); k++)
		if (f->method_mask & (1u << k))
			g_string_append_printf(list, "%s%s", list->len ? "," : "", methods[k]);
	cJSON_AddStringToObject(body, "methods", list->str);
	g_string_truncate(list, 0);
	for (gsize k = 0; f->route_set && k < emu_n_api_routes; k++)
		if (f->route_set[k])
			g_string_append_printf(list, "%s%s %s", list->len ? "," : "",
					       emu_api_routes[k].method,
					       emu_api_routes[k].template);
	cJSON_AddStringToObject(body, "route", list->str);
	g_mutex_unlock(&f->lock);
	g_string_free(list, TRUE);
	emu_reply_json(resp, 200, body);
}

/* The numeric settings: integral ones are guint fields, the others double. */
typedef struct {
	const char *key;
	double lo, hi;
	gboolean integral;
	glong offset;
} NumberKey;

static const NumberKey number_keys[] = {
	{ "latency_ms", 0, 600000, TRUE, G_STRUCT_OFFSET(Faults, latency_ms) },
	{ "fail_rate", 0, 1, FALSE, G_STRUCT_OFFSET(Faults, fail_rate) },
	{ "fail_status", 400, 599, TRUE, G_STRUCT_OFFSET(Faults, fail_status) },
	{ "retry_after_s", 0, 86400, TRUE, G_STRUCT_OFFSET(Faults, retry_after_s) },
	{ "rate_limit", 0, 1e6, FALSE, G_STRUCT_OFFSET(Faults, rate_limit) },
	{ "stall_ms", 0, 600000, TRUE, G_STRUCT_OFFSET(Faults, stall_ms) },
	{ "reset_rate", 0, 1, FALSE, G_STRUCT_OFFSET(Faults, reset_rate) },
	{ "truncate_rate", 0, 1, FALSE, G_STRUCT_OFFSET(Faults, truncate_rate) },
	{ "malformed_rate", 0, 1, FALSE, G_STRUCT_OFFSET(Faults, malformed_rate) },
	{ "html_rate", 0, 1, FALSE, G_STRUCT_OFFSET(Faults, html_rate) },
};

/* Validates every setting before changing any: a 400 leaves all of them as they were. */
void faults_set(Faults *f, const EmuRequest *req, EmuResponse *resp)
{
	cJSON *json = emu_request_json_object(req, resp);
	double value[G_N_ELEMENTS(number_keys)];
	gboolean given[G_N_ELEMENTS(number_keys)] = { FALSE };
	gboolean methods_given = FALSE, route_given = FALSE;
	gboolean ignore_offset = FALSE, ignore_offset_given = FALSE;
	int total = -1;
	const char *fail_code = NULL, *hidden = NULL;
	g_autofree gboolean *route_set = NULL;
	g_autoptr(GError) error = NULL;
	guint method_mask = 0;
	cJSON *item;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		const char *k = item->string ? item->string : "";
		guint i;

		if (g_str_equal(k, "methods") || g_str_equal(k, "route")) {
			gboolean ok = cJSON_IsString(item) &&
				(g_str_equal(k, "methods") ?
				 parse_methods(item->valuestring, &method_mask, &error) :
				 parse_routes(item->valuestring, &route_set, &error));

			if (!ok) {
				emu_reply_error(resp, 400, "EMU.0400", "%s", error ?
						error->message : "methods and route are strings");
				goto out;
			}
			*(g_str_equal(k, "methods") ? &methods_given : &route_given) = TRUE;
			continue;
		}
		if (g_str_equal(k, "ignore_offset")) {
			if (!cJSON_IsBool(item)) {
				emu_reply_error(resp, 400, "EMU.0400", "ignore_offset is true or "
						"false");
				goto out;
			}
			ignore_offset = cJSON_IsTrue(item);
			ignore_offset_given = TRUE;
			continue;
		}
		if (g_str_equal(k, "fail_code")) {
			if (!cJSON_IsString(item) || strlen(item->valuestring) >= 32) {
				emu_reply_error(resp, 400, "EMU.0400", "fail_code is a string of "
						"at most 31 characters (\"\" = by status)");
				goto out;
			}
			fail_code = item->valuestring;
			continue;
		}
		if (g_str_equal(k, "hide_field")) {
			if (!cJSON_IsString(item) || strlen(item->valuestring) >= 32) {
				emu_reply_error(resp, 400, "EMU.0400", "hide_field is a string of "
						"at most 31 characters (\"\" = none)");
				goto out;
			}
			hidden = item->valuestring;
			continue;
		}
		if (g_str_equal(k, "total")) {
			for (guint m = 0; cJSON_IsString(item) && m < G_N_ELEMENTS(total_modes);
			     m++)
				if (g_str_equal(item->valuestring, total_modes[m]))
					total = (int)m;
			if (total < 0) {
				emu_reply_error(resp, 400, "EMU.0400", "total is \"\" (as is), "
						"\"hide\" or \"inflate\"");
				goto out;
			}
			continue;
		}
		for (i = 0; i < G_N_ELEMENTS(number_keys); i++)
			if (g_str_equal(k, number_keys[i].key))
				break;
		if (i == G_N_ELEMENTS(number_keys)) {
			emu_reply_error(resp, 400, "EMU.0400", "unknown fault setting \"%s\"", k);
			goto out;
		}
		if (!cJSON_IsNumber(item) || isnan(item->valuedouble) ||
		    item->valuedouble < number_keys[i].lo ||
		    item->valuedouble > number_keys[i].hi ||
		    (number_keys[i].integral && item->valuedouble != floor(item->valuedouble))) {
			emu_reply_error(resp, 400, "EMU.0400", "%s must be %s from %g to %g", k,
					number_keys[i].integral ? "an integer" : "a number",
					number_keys[i].lo, number_keys[i].hi);
			goto out;
		}
		value[i] = item->valuedouble;
		given[i] = TRUE;
	}

	g_mutex_lock(&f->lock);
	for (guint i = 0; i < G_N_ELEMENTS(number_keys); i++) {
		if (!given[i])
			continue;
		if (number_keys[i].integral)
			G_STRUCT_MEMBER(guint, f, number_keys[i].offset) = (guint)value[i];
		else
			G_STRUCT_MEMBER(double, f, number_keys[i].offset) = value[i];
		if (g_str_equal(number_keys[i].key, "rate_limit")) {
			f->bucket = MAX(f->rate_limit, 1.0);
			f->bucket_us = g_get_monotonic_time();
		}
	}
	if (fail_code)
		g_strlcpy(f->fail_code, fail_code, sizeof(f->fail_code));
	if (hidden)
		g_strlcpy(f->hide_field, hidden, sizeof(f->hide_field));
	if (ignore_offset_given)
		f->ignore_offset = ignore_offset;
	if (total >= 0)
		f->total = (EmuTotalMode)total;
	if (methods_given)
		f->method_mask = method_mask;
	if (route_given) {
		g_free(f->route_set);
		f->route_set = g_steal_pointer(&route_set);
	}
	g_mutex_unlock(&f->lock);
	faults_get(f, resp);
out:
	cJSON_Delete(json);
}
