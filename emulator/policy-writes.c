/* policy-writes.c — the writes of the generic kinds, and the sub-list they need: a policy
 * group's policy items (4.14.7 PUT), the objects it applies to (4.14.8 GET), a script's
 * update (4.24.4 PUT).
 *
 * Owns: what those routes check and change. 4.14.7 takes {"policies": {...}}: nothing but
 * "policies", an object whose members are among the 13 documented groups (Table 4-1804),
 * each an object (400 WKS.0001 otherwise); it "modifies some or all policy items", so the
 * items given are merged into the group's (objects member by member, a value replacing
 * one), and the answer is 200 {"policies": the group's items now}. 4.14.8 pages the group's
 * targets (limit 0-1000, offset; total_count) filtered by target_type (exact) and
 * target_name (fuzzy). 4.24.4 takes name and content (mandatory strings), description and
 * version (strings), nothing else, and answers 204; a name another script has is 400. An
 * unknown group or script is 404 WKS.00010031; update_time moves on every write. What they
 * change, the list, the detail (4.14.4, 4.24.3) and the state view show next.
 * Must not: print or sleep under the tenant lock; change anything but the object written.
 */
#include "emulator/emulator.h"
#include "emulator/kinds.h"
#include "emulator/query.h"
#include "emulator/tenant.h"

#include <string.h>

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

/* Table 4-1804: the groups of policy items. */
static const char *const policy_groups[] = {
	"peripherals", "audio", "client", "display", "file_and_clipboard", "session",
	"virtual_channel", "watermark", "keyboard_mouse", "seamless", "personalized_data_mgmt",
	"custom", "record_audit", NULL,
};

static void not_found(EmuResponse *resp, const char *what, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is %s and resource id [%s].", what, id);
}

/* The object of kind whose id_field is id (borrowed, changed under the tenant lock). */
static cJSON *find(Emu *emu, const char *kind, const char *id_field, const char *id)
{
	const GPtrArray *items = kinds_objects(emu->tenant, kind);

	for (guint i = 0; items && id && i < items->len; i++) {
		cJSON *obj = items->pdata[i];

		if (g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj,
				id_field)), id) == 0)
			return obj;
	}
	return NULL;
}

static char *now_text(const char *format)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	return g_date_time_format(now, format);
}

static void set_string(cJSON *obj, const char *field, const char *value)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, field))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, field, cJSON_CreateString(value));
	else
		cJSON_AddStringToObject(obj, field, value);
}

/* Merges src into dst: objects member by member, anything else replaced. */
static void merge(cJSON *dst, const cJSON *src)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, src) {
		cJSON *have = cJSON_GetObjectItemCaseSensitive(dst, item->string);

		if (have && cJSON_IsObject(have) && cJSON_IsObject(item))
			merge(have, item);
		else if (have)
			cJSON_ReplaceItemInObjectCaseSensitive(dst, item->string,
							       cJSON_Duplicate(item, TRUE));
		else
			cJSON_AddItemToObject(dst, item->string, cJSON_Duplicate(item, TRUE));
	}
}

/* Why a 4.14.7 body is refused, or NULL. */
static const char *policies_problem(const cJSON *json)
{
	const cJSON *policies = cJSON_GetObjectItemCaseSensitive(json, "policies");
	const cJSON *item;

	cJSON_ArrayForEach(item, json)
		if (!g_str_equal(item->string, "policies"))
			return "The request body (only policies is taken)";
	if (!policies)
		return NULL;
	if (!cJSON_IsObject(policies))
		return "policies (an object)";
	cJSON_ArrayForEach(item, policies) {
		if (!g_strv_contains(policy_groups, item->string))
			return "policies (an unknown group of policy items)";
		if (!cJSON_IsObject(item))
			return "policies (each group of policy items is an object)";
	}
	return NULL;
}

static void put_policies(Emu *emu, EmuRequest *req, EmuResponse *resp, const cJSON *json)
{
	g_autofree char *now = now_text("%Y-%m-%d %H:%M:%S");
	const char *why;
	cJSON *group, *have, *body = NULL;

	why = policies_problem(json);
	if (why) {
		INVALID(resp, why);
		return;
	}
	tenant_lock(emu->tenant);
	group = find(emu, "policy-groups", "policy_group_id", req->params[1]);
	if (group) {
		have = cJSON_GetObjectItemCaseSensitive(group, "policies");
		if (!cJSON_IsObject(have)) {
			cJSON_DeleteItemFromObjectCaseSensitive(group, "policies");
			have = cJSON_AddObjectToObject(group, "policies");
		}
		merge(have, cJSON_GetObjectItemCaseSensitive(json, "policies"));
		set_string(group, "update_time", now);
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "policies", cJSON_Duplicate(have, TRUE));
	}
	tenant_unlock(emu->tenant);
	if (!body) {
		not_found(resp, "policy-groups", req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

/* PUT /v2/{project_id}/policy-groups/{policy_group_id}/policies (4.14.7) */
void policy_groups_policies_put(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	cJSON *json = emu_request_json_object(req, resp);

	if (json)
		put_policies(emu, req, resp, json);
	cJSON_Delete(json);
}

/* GET /v2/{project_id}/policy-groups/{policy_group_id}/targets (4.14.8) */
void policy_groups_targets(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const QueryPage page = { 1000, 0, 1000, FALSE };
	const char *type = emu_request_arg(req, "target_type");
	const char *name = emu_request_arg(req, "target_name");
	gint64 offset, limit, total = 0;
	const cJSON *group, *targets, *item;
	cJSON *body, *list;

	if (!query_page(req, resp, &page, &offset, &limit))
		return;
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "targets");
	tenant_lock(emu->tenant);
	group = find(emu, "policy-groups", "policy_group_id", req->params[1]);
	targets = group ? cJSON_GetObjectItemCaseSensitive(group, "targets") : NULL;
	cJSON_ArrayForEach(item, targets) {
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItem(item, "target_type"));
		const char *n = cJSON_GetStringValue(cJSON_GetObjectItem(item, "target_name"));

		if ((type && g_strcmp0(t, type) != 0) || (name && (!n || !query_fuzzy(n, name))))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, cJSON_Duplicate(item, TRUE));
		total++;
	}
	tenant_unlock(emu->tenant);
	if (!group) {
		cJSON_Delete(body);
		not_found(resp, "policy-groups", req->params[1]);
		return;
	}
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	emu_reply_json(resp, 200, body);
}

/* Why a 4.24.4 body is refused, or NULL. */
static const char *script_problem(const cJSON *json)
{
	static const char *const known[] = { "name", "description", "content", "version", NULL };
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(json, "name");
	const cJSON *content = cJSON_GetObjectItemCaseSensitive(json, "content");
	const cJSON *item;

	cJSON_ArrayForEach(item, json) {
		if (!g_strv_contains(known, item->string))
			return "The request body (name, description, content, version)";
		if (!cJSON_IsString(item))
			return "A field of the request body (each is a string)";
	}
	if (!cJSON_IsString(name) || !name->valuestring[0] || strlen(name->valuestring) > 64)
		return "name (mandatory: 1 to 64 characters)";
	if (!cJSON_IsString(content))
		return "content (mandatory)";
	return NULL;
}

static void update_script(Emu *emu, EmuRequest *req, EmuResponse *resp, const cJSON *json)
{
	g_autofree char *now = now_text("%Y-%m-%dT%H:%M:%S.000Z");
	const GPtrArray *items = kinds_objects(emu->tenant, "scripts");
	const char *why, *name;
	gboolean taken = FALSE;
	const cJSON *item;
	cJSON *script;

	why = script_problem(json);
	if (why) {
		INVALID(resp, why);
		return;
	}
	name = cJSON_GetObjectItemCaseSensitive(json, "name")->valuestring;
	tenant_lock(emu->tenant);
	script = find(emu, "scripts", "id", req->params[1]);
	for (guint i = 0; script && items && i < items->len; i++)
		taken |= items->pdata[i] != script &&
			 g_strcmp0(cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
				 items->pdata[i], "name")), name) == 0;
	if (script && !taken) {
		cJSON_ArrayForEach(item, json)
			set_string(script, item->string, item->valuestring);
		set_string(script, "update_time", now);
	}
	tenant_unlock(emu->tenant);
	if (!script)
		not_found(resp, "scripts", req->params[1]);
	else if (taken)
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. The script name %s already "
				"exists.", name);
	else
		emu_reply_empty(resp, 204);
}

/* PUT /v2/{project_id}/scripts/{script_id} (4.24.4) */
void scripts_update(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	cJSON *json = emu_request_json_object(req, resp);

	if (json)
		update_script(emu, req, resp, json);
	cJSON_Delete(json);
}
