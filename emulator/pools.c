/* pools.c — the desktop pool routes (4.4.2, 4.4.5, 4.4.12, 4.4.15).
 *
 * Owns: the pools list (limit 0-1000, default 1000, the documented filters), one pool (a flat
 * object), the pool's desktops (limit 0-100, default 10, inconsistent_type) and the pool
 * action (op_type os-start | os-stop | reboot | hibernate, type SOFT | HARD), which starts one
 * job over the pool's desktops that can take it, like 4.3.9 does for a list of desktops.
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

static void reply_no_pool(EmuResponse *resp, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is desktop pool and resource id [%s].", id);
}

void pools_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *name = emu_request_arg(req, "name");
	const char *type = emu_request_arg(req, "type");
	const char *project = emu_request_arg(req, "enterprise_project_id");
	gint64 offset, limit, total = 0;
	int maintenance;
	cJSON *body, *list;

	if (!query_paging(req, resp, 1000, 1000, &offset, &limit) ||
	    !query_bool(req, resp, "in_maintenance_mode", &maintenance))
		return;
	if (type && !g_str_equal(type, "DYNAMIC") && !g_str_equal(type, "STATIC")) {
		INVALID(resp, "type (DYNAMIC or STATIC)");
		return;
	}
	body = cJSON_CreateObject();
	list = cJSON_CreateArray();
	tenant_lock(t);
	for (gsize i = 0; i < t->n_pools; i++) {
		const Pool *p = &t->pools[i];

		if (p->deleted || (name && !query_fuzzy(p->name, name)) ||
		    (type && !g_str_equal(type, p->dynamic ? "DYNAMIC" : "STATIC")) ||
		    (project && !g_str_equal(project, "0")) ||
		    (maintenance >= 0 && maintenance != (p->in_maintenance_mode ? 1 : 0)))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, render_pool(t, p));
		total++;
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	cJSON_AddItemToObject(body, "desktop_pools", list);
	emu_reply_json(resp, 200, body);
}

void pools_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	Pool *p;

	tenant_lock(t);
	p = g_hash_table_lookup(t->pool_by_id, req->params[1]);
	if (p)
		body = render_pool(t, p);
	tenant_unlock(t);
	if (!body) {
		reply_no_pool(resp, req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

void pools_desktops(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *inconsistent = emu_request_arg(req, "inconsistent_type");
	gint64 offset, limit, total = 0, on_demand = 0, period = 0;
	cJSON *body = NULL, *list;
	Pool *p;

	if (!query_paging(req, resp, 10, 100, &offset, &limit))
		return;
	if (inconsistent && !g_str_equal(inconsistent, "PRODUCT") &&
	    !g_str_equal(inconsistent, "IMAGE")) {
		INVALID(resp, "inconsistent_type (PRODUCT or IMAGE)");
		return;
	}
	list = cJSON_CreateArray();
	tenant_lock(t);
	p = g_hash_table_lookup(t->pool_by_id, req->params[1]);
	for (guint i = 0; p && i < p->desktops->len; i++) {
		const Desktop *d = &t->desktops[g_array_index(p->desktops, guint32, i)];

		if (inconsistent && (g_str_equal(inconsistent, "PRODUCT") ?
				     d->product == p->product : d->image == p->image))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, render_pool_desktop(t, d));
		total++;
		*(d->monthly ? &period : &on_demand) += 1;
	}
	tenant_unlock(t);
	if (!p) {
		cJSON_Delete(list);
		reply_no_pool(resp, req->params[1]);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "pool_desktops", list);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	cJSON_AddNumberToObject(body, "on_demand_desktops_num", (double)on_demand);
	cJSON_AddNumberToObject(body, "period_desktops_num", (double)period);
	emu_reply_json(resp, 200, body);
}

/* 4.4.12 spells hibernate without the "os-" of 4.3.9. */
static gboolean parse_pool_op(const char *s, EmuOp *ret_op)
{
	static const char *const names[] = { "os-start", "os-stop", "reboot", "hibernate" };

	for (EmuOp op = EMU_OP_START; op <= EMU_OP_HIBERNATE; op++) {
		if (g_str_equal(s, names[op])) {
			*ret_op = op;
			return TRUE;
		}
	}
	return FALSE;
}

void pools_action(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *item, *body = NULL;
	TenantError err = { 0 };
	const char *type = NULL;
	gboolean found;
	EmuOp op;
	Pool *p;
	Job *job;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || (!g_str_equal(item->string, "op_type") &&
				      !g_str_equal(item->string, "type"))) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	item = cJSON_GetObjectItemCaseSensitive(json, "op_type");
	if (!cJSON_IsString(item) || !parse_pool_op(item->valuestring, &op)) {
		emu_reply_error(resp, 400, "WKS.0505", "Invalid parameter action. op_type must be "
				"os-start, os-stop, reboot or hibernate.");
		goto out;
	}
	item = cJSON_GetObjectItemCaseSensitive(json, "type");
	if (item) {
		type = cJSON_IsString(item) ? item->valuestring : "";
		if (!g_str_equal(type, "SOFT") && !g_str_equal(type, "HARD")) {
			INVALID(resp, "type (SOFT or HARD)");
			goto out;
		}
	}

	tenant_lock(t);
	p = g_hash_table_lookup(t->pool_by_id, req->params[1]);
	found = p != NULL;
	job = p ? tenant_start_pool_action(t, p, op, type && g_str_equal(type, "HARD"), &err) :
	      NULL;
	if (job) {
		body = cJSON_CreateObject();
		cJSON_AddStringToObject(body, "job_id", job->id);
	}
	tenant_unlock(t);
	if (body)
		emu_reply_json(resp, 200, body);
	else if (!found)
		reply_no_pool(resp, req->params[1]);
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}
