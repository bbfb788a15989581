/* desktops.c — the desktop writes the tree needs (4.3.3, 4.3.27, 4.3.4).
 *
 * Owns: validating a 4.3.3 body completely before applying it (computer_name: 1-15 letters,
 * digits, '-' or '_', starting with a letter, unique: 400 WKS.0001 / WKS.00010139), setting
 * maintenance mode for a list of desktops (all or nothing), and deleting a desktop (gone from
 * every list and lookup; delete_users also deletes its user when that was their last desktop).
 * 4.3.3 and 4.3.27 document 200 without a body; they answer {}.
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

static void reply_no_desktop(EmuResponse *resp, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is desktop and resource id [%s].", id);
}

static void reply_ok(EmuResponse *resp)
{
	emu_reply_json(resp, 200, cJSON_CreateObject());
}

/* {"desktop": {"computer_name": "...", "self_backup_management": "0" | "1"}} */
static gboolean valid_update(cJSON *json, EmuResponse *resp, const char **ret_name)
{
	cJSON *desktop = cJSON_GetObjectItemCaseSensitive(json, "desktop");
	cJSON *item;

	cJSON_ArrayForEach(item, json) {
		if (!item->string || !g_str_equal(item->string, "desktop")) {
			INVALID(resp, item->string ? item->string : "body");
			return FALSE;
		}
	}
	if (!cJSON_IsObject(desktop)) {
		INVALID(resp, "desktop");
		return FALSE;
	}
	*ret_name = NULL;
	cJSON_ArrayForEach(item, desktop) {
		const char *k = item->string ? item->string : "";

		if (g_str_equal(k, "computer_name") && cJSON_IsString(item)) {
			*ret_name = item->valuestring;
		} else if (g_str_equal(k, "self_backup_management") &&
			   ((cJSON_IsString(item) && (g_str_equal(item->valuestring, "0") ||
						      g_str_equal(item->valuestring, "1"))) ||
			    (cJSON_IsNumber(item) && (item->valuedouble == 0 ||
						      item->valuedouble == 1)))) {
			/* Accepted (the example sends a number); snapshots are not emulated. */
		} else {
			INVALID(resp, *k ? k : "desktop");
			return FALSE;
		}
	}
	return TRUE;
}

void desktops_update(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	TenantError err = { 0 };
	const char *name;
	gboolean found, ok = TRUE;
	Desktop *d;

	if (!json)
		return;
	if (!valid_update(json, resp, &name))
		goto out;
	tenant_lock(t);
	d = tenant_desktop(t, req->params[1]);
	found = d != NULL;
	if (d && name)
		ok = tenant_rename_desktop(t, d, name, &err);
	tenant_unlock(t);
	if (!found)
		reply_no_desktop(resp, req->params[1]);
	else if (!ok)
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	else
		reply_ok(resp);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}

/* {"desktop_ids": [1-100 ids], "in_maintenance_mode": true | false} */
void desktops_maintenance(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *ids, *mode, *item;
	g_autofree char *missing = NULL;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || (!g_str_equal(item->string, "desktop_ids") &&
				      !g_str_equal(item->string, "in_maintenance_mode"))) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	ids = cJSON_GetObjectItemCaseSensitive(json, "desktop_ids");
	mode = cJSON_GetObjectItemCaseSensitive(json, "in_maintenance_mode");
	if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 ||
	    cJSON_GetArraySize(ids) > 100) {
		INVALID(resp, "desktop_ids (an array of 1 to 100 desktop IDs)");
		goto out;
	}
	cJSON_ArrayForEach(item, ids) {
		if (!cJSON_IsString(item)) {
			INVALID(resp, "desktop_ids");
			goto out;
		}
	}
	if (!cJSON_IsBool(mode)) {
		INVALID(resp, "in_maintenance_mode (true or false)");
		goto out;
	}
	tenant_lock(t);
	cJSON_ArrayForEach(item, ids)
		if (!missing && !tenant_desktop(t, item->valuestring))
			missing = g_strdup(item->valuestring);
	cJSON_ArrayForEach(item, ids)
		if (!missing)
			tenant_desktop(t, item->valuestring)->in_maintenance_mode =
				cJSON_IsTrue(mode);
	tenant_unlock(t);
	if (missing)
		reply_no_desktop(resp, missing);
	else
		reply_ok(resp);
out:
	cJSON_Delete(json);
}

void desktops_delete(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	TenantError err = { 0 };
	int delete_users, notify, force;
	gboolean found, ok = FALSE;
	Desktop *d;

	if (!query_bool(req, resp, "delete_users", &delete_users) ||
	    !query_bool(req, resp, "email_notification", &notify) ||
	    !query_bool(req, resp, "is_force_delete", &force))
		return;
	tenant_lock(t);
	d = tenant_desktop(t, req->params[1]);
	found = d != NULL;
	if (d)
		ok = tenant_delete_desktop(t, d, delete_users == 1, force == 1, &err);
	tenant_unlock(t);
	if (!found)
		reply_no_desktop(resp, req->params[1]);
	else if (!ok)
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	else
		emu_reply_empty(resp, 204);
	tenant_error_clear(&err);
}
