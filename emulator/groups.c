/* groups.c — the user group routes (4.9.1, 4.9.2, 4.9.6, 4.9.7).
 *
 * Owns: the groups list (limit 1-100, 0 or none = 100, keyword = fuzzy name), creating a
 * group (group_name, platform_type AD or LOCAL, description; 201 without a body), the members
 * of a group (limit 1-2000, 0 or none = 2000, the documented filters), and ADD / DELETE of
 * members, validated completely before any change; changes show in later lists and in each
 * user's group_names.
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

static void reply_no_group(EmuResponse *resp, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is user group and resource id [%s].", id);
}

void groups_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const QueryPage page = { 100, 1, 100, TRUE };
	Tenant *t = emu->tenant;
	const char *keyword = emu_request_arg(req, "keyword");
	gint64 offset, limit, total = 0;
	cJSON *body, *list;

	if (!query_page(req, resp, &page, &offset, &limit))
		return;
	body = cJSON_CreateObject();
	list = cJSON_CreateArray();
	tenant_lock(t);
	for (gsize i = 0; i < t->n_groups; i++) {
		const Group *g = &t->groups[i];

		if (g->deleted || (keyword && !query_fuzzy(g->name, keyword)))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, render_group(t, g));
		total++;
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	cJSON_AddItemToObject(body, "user_groups", list);
	emu_reply_json(resp, 200, body);
}

void groups_users(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const QueryPage page = { 2000, 1, 2000, TRUE };
	Tenant *t = emu->tenant;
	const char *user_name = emu_request_arg(req, "user_name");
	const char *description = emu_request_arg(req, "description");
	const char *active_type = emu_request_arg(req, "active_type");
	const char *project = emu_request_arg(req, "enterprise_project_id");
	gint64 offset, limit, total = 0;
	cJSON *body = NULL, *list;
	Group *g;

	if (!query_page(req, resp, &page, &offset, &limit))
		return;
	list = cJSON_CreateArray();
	tenant_lock(t);
	g = g_hash_table_lookup(t->group_by_id, req->params[1]);
	for (guint i = 0; g && i < g->members->len; i++) {
		const User *u = &t->users[g_array_index(g->members, guint32, i)];

		if ((user_name && !query_fuzzy(u->name, user_name)) ||
		    (description && !query_fuzzy(u->description, description)) ||
		    (active_type && !g_str_equal(active_type, u->active_type == ADMIN_ACTIVATE ?
						 "ADMIN_ACTIVATE" : "USER_ACTIVATE")) ||
		    (project && !g_str_equal(project, "0")))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, render_group_member(t, u));
		total++;
	}
	tenant_unlock(t);
	if (!g) {
		cJSON_Delete(list);
		reply_no_group(resp, req->params[1]);
		return;
	}
	body = cJSON_CreateObject();
	cJSON_AddItemToObject(body, "users", list);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	emu_reply_json(resp, 200, body);
}

/* {"op_type": "ADD" | "DELETE", "user_ids": [...]}; every user must exist. Adding a member
 * or removing a non-member changes nothing. */
void groups_action(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *op, *ids, *item;
	g_autofree char *missing = NULL;
	gboolean add, found;
	Group *g;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || (!g_str_equal(item->string, "op_type") &&
				      !g_str_equal(item->string, "user_ids"))) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	op = cJSON_GetObjectItemCaseSensitive(json, "op_type");
	if (!cJSON_IsString(op) || (!g_str_equal(op->valuestring, "ADD") &&
				    !g_str_equal(op->valuestring, "DELETE"))) {
		INVALID(resp, "op_type (ADD or DELETE)");
		goto out;
	}
	add = g_str_equal(op->valuestring, "ADD");
	ids = cJSON_GetObjectItemCaseSensitive(json, "user_ids");
	if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 ||
	    cJSON_GetArraySize(ids) > 1000) {
		INVALID(resp, "user_ids (an array of 1 to 1000 user IDs)");
		goto out;
	}
	cJSON_ArrayForEach(item, ids) {
		if (!cJSON_IsString(item)) {
			INVALID(resp, "user_ids");
			goto out;
		}
	}

	tenant_lock(t);
	g = g_hash_table_lookup(t->group_by_id, req->params[1]);
	found = g != NULL;
	cJSON_ArrayForEach(item, ids)
		if (g && !missing && !tenant_user(t, item->valuestring))
			missing = g_strdup(item->valuestring);
	cJSON_ArrayForEach(item, ids) {
		User *u = g && !missing ? tenant_user(t, item->valuestring) : NULL;

		if (u && add)
			tenant_group_add(t, g, u);
		else if (u)
			tenant_group_remove(t, g, u);
	}
	tenant_unlock(t);
	if (!found)
		reply_no_group(resp, req->params[1]);
	else if (missing)
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is user and resource id [%s].", missing);
	else
		emu_reply_empty(resp, 204);
out:
	cJSON_Delete(json);
}

/* 4.9.2: {"group_name", "platform_type": "AD" | "LOCAL", "description"}, checked whole
 * first; 201 without a body ("Normal."). */
void groups_create(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	const cJSON *name, *platform, *description, *item;
	TenantError err = { 0 };
	Group *g;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || (!g_str_equal(item->string, "group_name") &&
				      !g_str_equal(item->string, "platform_type") &&
				      !g_str_equal(item->string, "description"))) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	name = cJSON_GetObjectItemCaseSensitive(json, "group_name");
	platform = cJSON_GetObjectItemCaseSensitive(json, "platform_type");
	description = cJSON_GetObjectItemCaseSensitive(json, "description");
	if (!cJSON_IsString(name) || !name->valuestring[0] || strlen(name->valuestring) > 64) {
		INVALID(resp, name ? "group_name (1 to 64 characters)" : "group_name (missing)");
		goto out;
	}
	if (!cJSON_IsString(platform) || (!g_str_equal(platform->valuestring, "AD") &&
					  !g_str_equal(platform->valuestring, "LOCAL"))) {
		INVALID(resp, platform ? "platform_type (AD or LOCAL)" : "platform_type (missing)");
		goto out;
	}
	if (description && (!cJSON_IsString(description) ||
			    strlen(description->valuestring) > 255)) {
		INVALID(resp, "description (at most 255 characters)");
		goto out;
	}
	tenant_lock(t);
	g = tenant_add_group(t, name->valuestring, &err);
	if (g) {
		g->ad = g_str_equal(platform->valuestring, "AD");
		if (description) {
			g_free(g->description);
			g->description = g_strdup(description->valuestring);
		}
	}
	tenant_unlock(t);
	if (g)
		emu_reply_empty(resp, 201);
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}
