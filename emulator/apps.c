/* apps.c — the App Streaming routes: server groups, servers, sessions, jobs, session types.
 *
 * Owns: ListServerGroups and ListServers ({"count", "items"}, limit 1-100, default 10, the
 * SDK's filters), ShowServerGroup (AS.3, flat), ShowServer (flat), the servers' batch-start |
 * batch-stop | batch-reboot (PATCH, {"items": [1-20 ids]} plus "type" SOFT | HARD for stop and
 * reboot; all or nothing; answered 200 with no body, as the SDK's response models have no
 * field: the servers show the transition themselves), batch-rejoin-domain ({"items"}; answered
 * {"job_id"}, a REJOIN_DOMAIN job of ShowJobDetail, GET /v2/{project_id}/job/{job_id}),
 * batch-maint (BatchChangeServerMaintainMode: {"items", "maintain_status": bool}, both
 * mandatory), LogoffUserSession (POST .../session/logoff: {"session_ids", "message_type"
 * 0-2, "delay_time" >= 0 s, optional "message", "title", "transaction_id"}), AS.2 sessions
 * (query_begin_time and
 * query_end_time mandatory: a session is in the window when it started at or after the
 * beginning and ended — or, still open, started — at or before the end; limit 1-100, default
 * 10, total "count") and the session types (AS.1's POST query, and the SDK's GET).
 * App Streaming documents no error codes of its own: errors use the Workspace ones.
 * Must not: print or sleep under the tenant lock.
 */
#include "emulator/emulator.h"
#include "emulator/query.h"
#include "emulator/render.h"
#include "emulator/tenant.h"

#include <string.h>

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

static const QueryPage app_page = { 10, 1, 100, FALSE };

static void reply_list(EmuResponse *resp, gint64 total, cJSON *items)
{
	cJSON *body = cJSON_CreateObject();

	cJSON_AddNumberToObject(body, "count", (double)total);
	cJSON_AddItemToObject(body, "items", items);
	emu_reply_json(resp, 200, body);
}

static gboolean bool_ok(int want, gboolean have)
{
	return want < 0 || want == (have ? 1 : 0);
}

/* "Server groups whose tags contain this value": a key, a value or "key=value". */
static gboolean has_tag(const ServerGroup *g, const char *want)
{
	const char *key, *value;
	g_autofree char *kv = NULL;

	if (!g->tag)
		return FALSE;
	render_tag(g->tag - 1, &key, &value);
	kv = g_strdup_printf("%s=%s", key, value);
	return strstr(kv, want) != NULL;
}

void server_groups_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *name = emu_request_arg(req, "server_group_name");
	const char *id = emu_request_arg(req, "server_group_id");
	const char *app_type = emu_request_arg(req, "app_type");
	const char *tags = emu_request_arg(req, "tags");
	const char *project = emu_request_arg(req, "enterprise_project_id");
	gint64 offset, limit, total = 0;
	int secondary;
	cJSON *items;

	if (!query_page(req, resp, &app_page, &offset, &limit) ||
	    !query_bool(req, resp, "is_secondary_server_group", &secondary))
		return;
	items = cJSON_CreateArray();
	tenant_lock(t);
	for (gsize i = 0; i < t->n_server_groups; i++) {
		const ServerGroup *g = &t->server_groups[i];

		if ((name && !query_fuzzy(g->name, name)) || (id && !g_str_equal(id, g->id)) ||
		    (app_type && !g_str_equal(app_type, g->session_desktop ?
					      "SESSION_DESKTOP_APP" : "COMMON_APP")) ||
		    (project && *project && !g_str_equal(project, "0")) || secondary == 1)
			continue;
		if (tags && !has_tag(g, tags))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(items, render_server_group(t, g, FALSE));
		total++;
	}
	tenant_unlock(t);
	reply_list(resp, total, items);
}

void server_groups_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	ServerGroup *g;

	tenant_lock(t);
	g = g_hash_table_lookup(t->server_group_by_id, req->params[1]);
	if (g)
		body = render_server_group(t, g, TRUE);
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is server group and resource id [%s].",
				req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

void servers_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *group = emu_request_arg(req, "server_group_id");
	const char *name = emu_request_arg(req, "server_name");
	const char *machine = emu_request_arg(req, "machine_name");
	const char *ip = emu_request_arg(req, "ip_addr");
	const char *id = emu_request_arg(req, "server_id");
	gint64 offset, limit, total = 0;
	int maintain, scaling;
	cJSON *items;

	if (!query_page(req, resp, &app_page, &offset, &limit) ||
	    !query_bool(req, resp, "maintain_status", &maintain) ||
	    !query_bool(req, resp, "scaling_auto_create", &scaling))
		return;
	items = cJSON_CreateArray();
	tenant_lock(t);
	for (gsize i = 0; i < t->n_servers; i++) {
		const AppServer *s = &t->servers[i];
		char ipv4[16];

		render_server_ipv4(t, s, ipv4);
		if ((group && !g_str_equal(group, t->server_groups[s->group].id)) ||
		    (name && !query_fuzzy(s->name, name)) ||
		    (machine && !query_fuzzy(s->machine_name, machine)) ||
		    (ip && !strstr(ipv4, ip)) || (id && !g_str_equal(id, s->id)) ||
		    !bool_ok(maintain, s->maintain) || !bool_ok(scaling, s->scaling_auto_create))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(items, render_server(t, s));
		total++;
	}
	tenant_unlock(t);
	reply_list(resp, total, items);
}

void servers_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	AppServer *s;

	tenant_lock(t);
	s = g_hash_table_lookup(t->server_by_id, req->params[1]);
	if (s)
		body = render_server_detail(t, s);
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is server and resource id [%s].", req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* A body whose keys are all in allowed (NULL-terminated); else 400 naming the first other. */
static gboolean only_keys(const cJSON *json, const char *const *allowed, EmuResponse *resp)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, json) {
		gboolean known = FALSE;

		for (const char *const *k = allowed; item->string && *k; k++)
			known |= g_str_equal(item->string, *k);
		if (!known) {
			INVALID(resp, item->string ? item->string : "body");
			return FALSE;
		}
	}
	return TRUE;
}

static void servers_batch(Emu *emu, EmuRequest *req, EmuResponse *resp, EmuOp op)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *item, *body = NULL;
	TenantError err = { 0 };
	const char *type = NULL;
	Job *job;

	if (!json)
		return;
	/* BatchStartServerReq and BatchRejoinDomainReq: items; ServerHaltReq: items, type. */
	if (!only_keys(json, op == EMU_OP_START || op == EMU_OP_REJOIN_DOMAIN ?
			     (const char *const[]){ "items", NULL } :
			     (const char *const[]){ "items", "type", NULL }, resp))
		goto out;
	if (!query_id_array(cJSON_GetObjectItemCaseSensitive(json, "items"), "items", 20, ids,
			    resp))
		goto out;
	item = cJSON_GetObjectItemCaseSensitive(json, "type");
	if (item) {
		type = cJSON_IsString(item) ? item->valuestring : "";
		if (!g_str_equal(type, "SOFT") && !g_str_equal(type, "HARD")) {
			INVALID(resp, "type (SOFT or HARD)");
			goto out;
		}
	}

	tenant_lock(emu->tenant);
	job = tenant_start_server_action(emu->tenant, (char **)ids->pdata, ids->len, op,
					 type && g_str_equal(type, "HARD"), &err);
	if (job && op == EMU_OP_REJOIN_DOMAIN) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "job_id", job->id);
	}
	tenant_unlock(emu->tenant);
	if (body)
		emu_reply_json(resp, 200, body);
	else if (job)
		emu_reply_empty(resp, 200);	/* Batch{Start,Stop,Reboot}ServerResponse */
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}

void servers_batch_start(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	servers_batch(emu, req, resp, EMU_OP_START);
}

void servers_batch_stop(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	servers_batch(emu, req, resp, EMU_OP_STOP);
}

void servers_batch_reboot(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	servers_batch(emu, req, resp, EMU_OP_REBOOT);
}

void servers_batch_rejoin(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	servers_batch(emu, req, resp, EMU_OP_REJOIN_DOMAIN);
}

/* BatchChangeMaintainServerReq: {"items": [1-20 ids], "maintain_status": bool}. */
void servers_batch_maint(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	cJSON *json = emu_request_json_object(req, resp);
	const cJSON *mode;
	gboolean found = TRUE;
	Tenant *t = emu->tenant;
	const char *missing = NULL;

	if (!json)
		return;
	if (!only_keys(json, (const char *const[]){ "items", "maintain_status", NULL }, resp) ||
	    !query_id_array(cJSON_GetObjectItemCaseSensitive(json, "items"), "items", 20, ids,
			    resp))
		goto out;
	mode = cJSON_GetObjectItemCaseSensitive(json, "maintain_status");
	if (!cJSON_IsBool(mode)) {
		INVALID(resp, "maintain_status (mandatory, true or false)");
		goto out;
	}
	tenant_lock(t);
	for (guint i = 0; found && i < ids->len; i++)
		if (!(found = g_hash_table_contains(t->server_by_id, ids->pdata[i])))
			missing = ids->pdata[i];
	for (guint i = 0; found && i < ids->len; i++) {
		AppServer *s = g_hash_table_lookup(t->server_by_id, ids->pdata[i]);

		s->maintain = cJSON_IsTrue(mode);
		s->updated_ms = g_get_real_time() / 1000;
	}
	tenant_unlock(t);
	if (found)
		emu_reply_empty(resp, 200);	/* BatchChangeServerMaintainModeResponse */
	else
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is server and resource id [%s].", missing);
out:
	cJSON_Delete(json);
}

/* ShowJobDetail: App Streaming's own jobs; a Workspace job id is not one of them. */
void app_jobs_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	Job *job;

	tenant_lock(t);
	job = tenant_app_job(t, req->params[1]);
	if (job)
		body = render_app_job(t, job);
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is job and resource id [%s].", req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* An optional string member of at most max bytes. */
static gboolean optional_text(const cJSON *json, const char *name, gsize max, EmuResponse *resp)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(json, name);

	if (!v || (cJSON_IsString(v) && strlen(v->valuestring) <= max))
		return TRUE;
	INVALID(resp, name);
	return FALSE;
}

/* LogoffUserSessionReq: message_type and delay_time are mandatory (no omitempty in the SDK's
 * model); session_ids names the sessions (1-100 here: the model states no bound). */
void sessions_logoff(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	cJSON *json = emu_request_json_object(req, resp);
	const cJSON *type, *delay;
	TenantError err = { 0 };
	gboolean ok;

	if (!json)
		return;
	if (!only_keys(json, (const char *const[]){ "session_ids", "message_type", "message",
						    "title", "delay_time", "transaction_id",
						    NULL }, resp) ||
	    !query_id_array(cJSON_GetObjectItemCaseSensitive(json, "session_ids"), "session_ids",
			    100, ids, resp))
		goto out;
	type = cJSON_GetObjectItemCaseSensitive(json, "message_type");
	delay = cJSON_GetObjectItemCaseSensitive(json, "delay_time");
	if (!cJSON_IsNumber(type) || type->valuedouble != (int)type->valuedouble ||
	    type->valueint < 0 || type->valueint > 2) {
		INVALID(resp, "message_type (mandatory: 0 info, 1 warn, 2 serious)");
		goto out;
	}
	if (!cJSON_IsNumber(delay) || delay->valuedouble != (int)delay->valuedouble ||
	    delay->valueint < 0) {
		INVALID(resp, "delay_time (mandatory: seconds, 0 or more)");
		goto out;
	}
	if (!optional_text(json, "message", 1024, resp) ||
	    !optional_text(json, "title", 256, resp) ||
	    !optional_text(json, "transaction_id", 128, resp))
		goto out;
	tenant_lock(emu->tenant);
	ok = tenant_logoff_sessions(emu->tenant, (char **)ids->pdata, ids->len, delay->valueint,
				    &err);
	tenant_unlock(emu->tenant);
	if (ok)
		emu_reply_empty(resp, 200);	/* LogoffUserSessionResponse */
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}

/* A mandatory ISO 8601 time with a zone ("2024-02-27T03:47:51.182Z") -> epoch ms. */
static gboolean window_time(const EmuRequest *req, EmuResponse *resp, const char *name,
			    gint64 *ret_ms)
{
	const char *s = emu_request_arg(req, name);
	g_autoptr(GDateTime) dt = s ? g_date_time_new_from_iso8601(s, NULL) : NULL;
	g_autofree char *what = NULL;

	if (!dt) {
		what = g_strdup_printf("%s (mandatory, like 2024-02-27T03:47:51.182Z)", name);
		INVALID(resp, what);
		return FALSE;
	}
	*ret_ms = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
	return TRUE;
}

static gboolean valid_states(const char *csv)
{
	g_auto(GStrv) items = g_strsplit(csv, ",", -1);

	for (guint i = 0; items[i]; i++) {
		gboolean known = FALSE;

		for (SessionState s = SESSION_ACTIVE; s <= SESSION_INIT_FAIL; s++)
			known |= g_str_equal(g_strstrip(items[i]), session_state_name(s));
		if (!known)
			return FALSE;
	}
	return TRUE;
}

void sessions_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *user = emu_request_arg(req, "user_name");
	const char *group = emu_request_arg(req, "app_server_group_id");
	const char *vm_ip = emu_request_arg(req, "vm_ip");
	const char *public_ip = emu_request_arg(req, "public_ip");
	const char *machine = emu_request_arg(req, "machine_name");
	const char *states = emu_request_arg(req, "session_state");
	gint64 offset, limit, begin, end, total = 0;
	int success;
	cJSON *items;

	if (!query_page(req, resp, &app_page, &offset, &limit) ||
	    !window_time(req, resp, "query_begin_time", &begin) ||
	    !window_time(req, resp, "query_end_time", &end) ||
	    !query_bool(req, resp, "is_success", &success))
		return;
	if (states && !valid_states(states)) {
		INVALID(resp, "session_state (Active, Disconnected, AppcInit, SignedOut, "
			"InitFail)");
		return;
	}
	items = cJSON_CreateArray();
	tenant_lock(t);
	for (gsize i = 0; i < t->n_sessions; i++) {
		const Session *s = &t->sessions[i];
		const AppServer *srv = &t->servers[s->server];
		cJSON *obj;

		if (s->start_ms < begin || (s->end_ms ? s->end_ms : s->start_ms) > end ||
		    (user && !g_str_equal(user, s->login_user)) ||
		    (group && !g_str_equal(group, t->server_groups[srv->group].id)) ||
		    (machine && !g_str_equal(machine, srv->machine_name)) ||
		    (states && !query_in_list(states, session_state_name(s->state))) ||
		    !bool_ok(success, s->state != SESSION_INIT_FAIL))
			continue;
		obj = render_session(t, s);
		if ((vm_ip && !g_str_equal(vm_ip, cJSON_GetStringValue(
				cJSON_GetObjectItem(obj, "vm_ip")))) ||
		    (public_ip && !g_str_equal(public_ip, cJSON_GetStringValue(
				cJSON_GetObjectItem(obj, "public_ip"))))) {
			cJSON_Delete(obj);
			continue;
		}
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(items, obj);
		else
			cJSON_Delete(obj);
		total++;
	}
	tenant_unlock(t);
	reply_list(resp, total, items);
}

static void reply_session_types(EmuResponse *resp, cJSON *filter)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "session_types");

	for (guint i = 0; i < EMU_N_SESSION_TYPES; i++) {
		cJSON *type = render_session_type(i);
		cJSON *want;
		gboolean keep = TRUE;

		cJSON_ArrayForEach(want, filter)
			keep &= g_str_equal(want->valuestring, cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(type, want->string)));
		if (keep)
			cJSON_AddItemToArray(list, type);
		else
			cJSON_Delete(type);
	}
	emu_reply_json(resp, 200, body);
}

/* AS.1: a query sent as POST; every body field is an optional filter. */
void session_types_query(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const keys[] = {
		"resource_spec_code", "session_type", "resource_type", "cloud_service_type",
	};
	cJSON *json = NULL, *item;

	if (req->body->len && !(json = emu_request_json_object(req, resp)))
		return;
	cJSON_ArrayForEach(item, json) {
		gboolean known = FALSE;

		for (guint i = 0; item->string && i < G_N_ELEMENTS(keys); i++)
			known |= g_str_equal(item->string, keys[i]);
		if (!known || !cJSON_IsString(item)) {
			INVALID(resp, item->string ? item->string : "body");
			cJSON_Delete(json);
			return;
		}
	}
	reply_session_types(resp, json);
	cJSON_Delete(json);
}

void session_types_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	reply_session_types(resp, NULL);
}
