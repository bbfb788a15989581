/* routes.c — the API route table, path-template matching, and the desktop and job handlers.
 *
 * Owns: which method + path template reaches which handler (the stats keys are these
 * templates), query validation for 4.3.8 (paging limits, every documented filter, sorting),
 * the 4.3.9 action body and its answer (the job, and in failed_operation_list each desktop
 * the job leaves out, with its own error_code and error_msg), and the 4.3.5 / 4.28.1 lookups.
 * Other kinds' handlers live in users.c, desktops.c, groups.c, pools.c and apps.c.
 * Must not: print or sleep under the tenant lock; handlers build cJSON under it and reply
 * after unlocking.
 */
#include "emulator/emulator.h"
#include "emulator/kinds.h"
#include "emulator/render.h"
#include "emulator/tenant.h"
#include "emulator/query.h"

#include <string.h>

static void desktops_detail(Emu *emu, EmuRequest *req, EmuResponse *resp);
static void desktops_get(Emu *emu, EmuRequest *req, EmuResponse *resp);
static void desktops_action(Emu *emu, EmuRequest *req, EmuResponse *resp);
static void jobs_get(Emu *emu, EmuRequest *req, EmuResponse *resp);

/* First match wins: literal segments come before a parameter at the same place. */
#define R(method, template, handler) { method, template, EMU_AUTH_REQUIRED, handler }
const EmuRoute emu_api_routes[] = {
	R("GET", "/v2/{project_id}/desktops/detail", desktops_detail),
	R("POST", "/v2/{project_id}/desktops", desktops_create),
	R("POST", "/v2/{project_id}/desktops/action", desktops_action),
	R("PUT", "/v2/{project_id}/desktops/maintenance-mode", desktops_maintenance),
	R("GET", "/v2/{project_id}/desktops/{desktop_id}", desktops_get),
	R("PUT", "/v2/{project_id}/desktops/{desktop_id}", desktops_update),
	R("DELETE", "/v2/{project_id}/desktops/{desktop_id}", desktops_delete),
	R("GET", "/v2/{project_id}/desktops/{desktop_id}/tags", tags_list),
	R("POST", "/v2/{project_id}/desktops/{desktop_id}/tags", tags_create),
	R("DELETE", "/v2/{project_id}/desktops/{desktop_id}/tags/{key}", tags_delete),
	R("GET", "/v2/{project_id}/workspace-jobs/{job_id}", jobs_get),
	R("GET", "/v2/{project_id}/users", users_list),
	R("POST", "/v2/{project_id}/users", users_create),
	R("GET", "/v2/{project_id}/users/{user_id}", users_get),
	R("PUT", "/v2/{project_id}/users/{user_id}", users_update),
	R("DELETE", "/v2/{project_id}/users/{user_id}", users_delete),
	R("POST", "/v2/{project_id}/users/{user_id}/actions", users_action),
	R("GET", "/v2/{project_id}/groups", groups_list),
	R("POST", "/v2/{project_id}/groups", groups_create),
	R("GET", "/v2/{project_id}/groups/{group_id}/users", groups_users),
	R("POST", "/v2/{project_id}/groups/{group_id}/actions", groups_action),
	R("GET", "/v2/{project_id}/desktop-pools", pools_list),
	R("GET", "/v2/{project_id}/desktop-pools/{pool_id}", pools_get),
	R("GET", "/v2/{project_id}/desktop-pools/{pool_id}/desktops", pools_desktops),
	R("POST", "/v2/{project_id}/desktop-pools/{pool_id}/action", pools_action),
	R("GET", "/v1/{project_id}/app-server-groups", server_groups_list),
	R("GET", "/v1/{project_id}/app-server-groups/{server_group_id}", server_groups_get),
	R("GET", "/v1/{project_id}/app-servers", servers_list),
	R("PATCH", "/v1/{project_id}/app-servers/actions/batch-start", servers_batch_start),
	R("PATCH", "/v1/{project_id}/app-servers/actions/batch-stop", servers_batch_stop),
	R("PATCH", "/v1/{project_id}/app-servers/actions/batch-reboot", servers_batch_reboot),
	R("PATCH", "/v1/{project_id}/app-servers/actions/batch-rejoin-domain",
	  servers_batch_rejoin),
	R("PATCH", "/v1/{project_id}/app-servers/actions/batch-maint", servers_batch_maint),
	R("GET", "/v1/{project_id}/app-servers/{server_id}", servers_get),
	R("GET", "/v2/{project_id}/job/{job_id}", app_jobs_get),
	R("GET", "/v1/{project_id}/session/list-sessions", sessions_list),
	R("POST", "/v1/{project_id}/session/logoff", sessions_logoff),
	R("GET", "/v1/{project_id}/session-type", session_types_list),
	R("POST", "/v1/{project_id}/session-type", session_types_query),
	/* Read-only kinds of issue 10: kinds.h's tables (kinds_list finds the kind by its
	 * route) and derived.c's singletons. */
	R("GET", "/v2/{project_id}/workspaces", workspace_get),
	R("GET", "/v2/{project_id}/sites", kinds_list),
	R("GET", "/v2/{project_id}/ous", kinds_list),
	R("POST", "/v2/{project_id}/ous", kinds_create_ou),
	R("GET", "/v2/{project_id}/quotas", quotas_get),
	R("GET", "/v2/{project_id}/availability-zones", kinds_list),
	R("GET", "/v2/{project_id}/products", kinds_list),
	R("GET", "/v2/{project_id}/images", kinds_list),
	R("GET", "/v2/{project_id}/desktop-name-policies", kinds_list),
	R("POST", "/v2/{project_id}/desktop-name-policies", kinds_create_name_policy),
	R("GET", "/v2/{project_id}/terminals/binding-desktops", kinds_list),
	R("GET", "/v2/{project_id}/bandwidths", kinds_list),
	R("GET", "/v2/{project_id}/eips", kinds_list),
	R("GET", "/v2/{project_id}/nat-gateways", kinds_list),
	R("GET", "/v2/{project_id}/policy-groups/detail", kinds_list),
	R("POST", "/v2/{project_id}/policy-groups", kinds_create_policy_group),
	R("GET", "/v2/{project_id}/policy-groups/{policy_group_id}", kinds_get),
	R("PUT", "/v2/{project_id}/policy-groups/{policy_group_id}/policies",
	  policy_groups_policies_put),
	R("GET", "/v2/{project_id}/policy-groups/{policy_group_id}/targets",
	  policy_groups_targets),
	R("GET", "/v2/{project_id}/access-policy", kinds_list),
	R("GET", "/v2/{project_id}/scripts", kinds_list),
	R("POST", "/v2/{project_id}/scripts", kinds_create_script),
	R("GET", "/v2/{project_id}/scripts/{script_id}", kinds_get),
	R("PUT", "/v2/{project_id}/scripts/{script_id}", scripts_update),
	R("GET", "/v2/{project_id}/script-execution-records", kinds_list),
	R("GET", "/v2/{project_id}/script-execution-records/{record_id}", kinds_get),
	R("GET", "/v2/{project_id}/scheduled-tasks", kinds_list),
	R("POST", "/v2/{project_id}/scheduled-tasks", kinds_create_scheduled_task),
	R("GET", "/v2/{project_id}/scheduled-tasks/{task_id}", kinds_get),
	R("GET", "/v2/{project_id}/scheduled-tasks/{task_id}/records", kinds_list),
	R("GET", "/v2/{project_id}/snapshots", kinds_list),
	R("POST", "/v2/{project_id}/snapshots/batch-create", kinds_create_snapshots),
	R("GET", "/v2/{project_id}/screen-records", kinds_list),
	/* Before the template it would match as a record id (deletes.c). */
	R("POST", "/v2/{project_id}/screen-records/batch-delete", deletes_generic),
	R("GET", "/v2/{project_id}/screen-records/{record_id}", kinds_get),
	R("GET", "/v2/{project_id}/statistics/notify-rules", kinds_list),
	R("GET", "/v2/{project_id}/alarms", kinds_list),
	R("GET", "/v2/{project_id}/statistics/alarms", stats_alarms),
	R("GET", "/v2/{project_id}/desktops/statistics/run-state", stats_run_state),
	R("GET", "/v2/{project_id}/desktops/statistics/login-state", stats_login_state),
	R("GET", "/v2/{project_id}/desktops/statistics/unused", stats_unused),
	R("GET", "/v2/{project_id}/connections/online-users", online_users_get),
	R("GET", "/v2/{project_id}/workspace-sub-jobs", kinds_list),
	R("GET", "/v1/{project_id}/app-center/apps", kinds_list),
	R("GET", "/v1/{project_id}/app-center/app-catalogs", kinds_list),
	R("GET", "/v1/{project_id}/app-center/app-rules", kinds_list),
	R("GET", "/v1/{project_id}/app-groups", kinds_list),
	R("GET", "/v1/{project_id}/app-groups/{app_group_id}/apps", kinds_list),
	R("GET", "/v1/{project_id}/image-servers", kinds_list),
	R("GET", "/v1/{project_id}/persistent-storages", kinds_list),
	R("GET", "/v1/{project_id}/policy-groups", kinds_list),
	R("GET", "/v1/{project_id}/schedule-task", kinds_list),
	/* Deletes (deletes.c): its table gives each generic route's form and answer. */
	R("DELETE", "/v2/{project_id}/groups/{group_id}", groups_delete),
	R("DELETE", "/v2/{project_id}/desktop-pools/{pool_id}", pools_delete),
	R("DELETE", "/v2/{project_id}/sites/{site_id}", deletes_generic),
	R("POST", "/v2/{project_id}/desktop-name-policies/batch-delete", deletes_generic),
	R("DELETE", "/v2/{project_id}/ous/{ou_id}", deletes_generic),
	R("POST", "/v2/{project_id}/snapshots/batch-delete", deletes_generic),
	R("DELETE", "/v2/{project_id}/policy-groups/{policy_group_id}", deletes_generic),
	R("DELETE", "/v2/{project_id}/access-policy", deletes_generic),
	R("POST", "/v2/{project_id}/terminals/binding-desktops/batch-delete", deletes_generic),
	R("DELETE", "/v2/{project_id}/scheduled-tasks/{task_id}", deletes_generic),
	R("DELETE", "/v2/{project_id}/statistics/notify-rules/{rule_id}", deletes_generic),
	R("DELETE", "/v2/{project_id}/scripts/{script_id}", deletes_generic),
	R("POST", "/v2/{project_id}/workspace-sub-jobs/batch-delete", deletes_generic),
	R("DELETE", "/v2/{project_id}/bandwidths/{bandwidth_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/app-center/apps/{app_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/app-center/app-rules/{rule_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/app-groups/{app_group_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/persistent-storages/{storage_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/policy-groups/{policy_group_id}", deletes_generic),
	R("DELETE", "/v1/{project_id}/schedule-task/{task_id}", deletes_generic),
	{ "POST", "/v3/auth/tokens", EMU_AUTH_NONE, iam_create_token },
	R("GET", "/v3/projects", iam_list_projects),
};
#undef R
const gsize emu_n_api_routes = G_N_ELEMENTS(emu_api_routes);

gboolean routes_match(const char *template, const char *raw_path, EmuRequest *req)
{
	g_auto(GStrv) want = g_strsplit(template, "/", -1);
	g_auto(GStrv) got = NULL;
	g_autofree char *path = g_strdup(raw_path);
	gsize len = strlen(path);
	guint n_params = 0;

	/* The SDK strips one trailing '/' before sending; accept the request either way. */
	if (len > 1 && path[len - 1] == '/')
		path[len - 1] = '\0';
	got = g_strsplit(path, "/", -1);
	if (g_strv_length(want) != g_strv_length(got))
		return FALSE;
	for (guint i = 0; want[i]; i++) {
		if (want[i][0] == '{') {
			if (!*got[i])
				return FALSE;
		} else if (!g_str_equal(want[i], got[i])) {
			return FALSE;
		}
	}
	for (guint i = 0; i < G_N_ELEMENTS(req->params); i++)
		g_clear_pointer(&req->params[i], g_free);
	for (guint i = 0; want[i]; i++) {
		if (want[i][0] != '{' || n_params >= G_N_ELEMENTS(req->params))
			continue;
		req->params[n_params] = signer_decode(got[i], FALSE);
		if (!req->params[n_params])
			return FALSE;
		n_params++;
	}
	return TRUE;
}

typedef struct {
	const char *status;
	const char *computer_name;      /* substring */
	const char *user_name;
	GPtrArray *user_names;
	GPtrArray *desktop_ids;
	const char *desktop_ip;
	const char *desktop_type;
	const char *tag;
	const char *pool_id;
	const char *enterprise_project_id;
	const char *image_id;
	const char *charge_mode;
	const char *subnet_id;
	const char *availability_zone;
	int user_attached;              /* -1 = no filter, else 0/1 */
	int in_maintenance_mode;
	int is_share_desktop;
	int is_support_internet;
	const char *sort_field;         /* NULL, "created" or "computer_name" */
	gboolean descending;
	gboolean any;                   /* some filter is set */
} DesktopFilter;

static void desktop_filter_clear(DesktopFilter *f)
{
	g_clear_pointer(&f->user_names, g_ptr_array_unref);
	g_clear_pointer(&f->desktop_ids, g_ptr_array_unref);
}

static gboolean parse_desktop_filter(const EmuRequest *req, EmuResponse *resp, DesktopFilter *f)
{
	static const char *const bools[] = {
		"user_attached", "in_maintenance_mode", "is_share_desktop", "is_support_internet",
	};
	int *bool_fields[] = {
		&f->user_attached, &f->in_maintenance_mode, &f->is_share_desktop,
		&f->is_support_internet,
	};
	const char *sort_type;

	f->status = emu_request_arg(req, "status");
	f->computer_name = emu_request_arg(req, "computer_name");
	f->user_name = emu_request_arg(req, "user_name");
	f->user_names = query_all(req, "user_names");
	f->desktop_ids = query_all(req, "desktop_id");
	f->desktop_ip = emu_request_arg(req, "desktop_ip");
	f->desktop_type = emu_request_arg(req, "desktop_type");
	f->tag = emu_request_arg(req, "tag");
	f->pool_id = emu_request_arg(req, "pool_id");
	f->enterprise_project_id = emu_request_arg(req, "enterprise_project_id");
	f->image_id = emu_request_arg(req, "image_id");
	f->charge_mode = emu_request_arg(req, "charge_mode");
	f->subnet_id = emu_request_arg(req, "subnet_id");
	f->availability_zone = emu_request_arg(req, "availability_zone");
	if (f->user_names && f->user_names->len > 100) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. user_names is invalid (at most "
				"100 users).");
		return FALSE;
	}
	for (guint i = 0; i < G_N_ELEMENTS(bools); i++)
		if (!query_bool(req, resp, bools[i], bool_fields[i]))
			return FALSE;
	f->sort_field = emu_request_arg(req, "sort_field");
	sort_type = emu_request_arg(req, "sort_type");
	if (f->sort_field && !g_str_equal(f->sort_field, "created") &&
	    !g_str_equal(f->sort_field, "computer_name")) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. sort_field is invalid.");
		return FALSE;
	}
	if (sort_type && !g_str_equal(sort_type, "ASC") && !g_str_equal(sort_type, "DESC")) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. sort_type is invalid.");
		return FALSE;
	}
	f->descending = sort_type && g_str_equal(sort_type, "DESC");
	f->any = f->status || f->computer_name || f->user_name || f->user_names ||
		 f->desktop_ids || f->desktop_ip || f->desktop_type || f->tag || f->pool_id ||
		 f->enterprise_project_id || f->image_id || f->charge_mode || f->subnet_id ||
		 f->availability_zone || f->user_attached >= 0 || f->in_maintenance_mode >= 0 ||
		 f->is_share_desktop >= 0 || f->is_support_internet >= 0;
	return TRUE;
}

static gboolean in_list(GPtrArray *list, const char *s)
{
	for (guint i = 0; i < list->len; i++)
		if (g_str_equal(list->pdata[i], s))
			return TRUE;
	return FALSE;
}

/* "key1=value1,key2=value2": the desktop must carry every pair. */
static gboolean has_tags(const Tenant *t, const Desktop *d, const char *spec)
{
	g_auto(GStrv) pairs = g_strsplit(spec, ",", -1);
	cJSON *tags = tags_render(t, d);
	gboolean all = TRUE;

	for (guint i = 0; all && pairs[i]; i++) {
		gboolean found = FALSE;
		const cJSON *tag;

		cJSON_ArrayForEach(tag, tags) {
			const char *key = cJSON_GetStringValue(cJSON_GetObjectItem(tag, "key"));
			const char *value = cJSON_GetStringValue(cJSON_GetObjectItem(tag, "value"));
			g_autofree char *kv = g_strdup_printf("%s=%s", key, value);

			found |= g_str_equal(kv, pairs[i]) || g_str_equal(key, pairs[i]);
		}
		all = found;
	}
	cJSON_Delete(tags);
	return all;
}

static gboolean bool_matches(int want, gboolean have)
{
	return want < 0 || want == (have ? 1 : 0);
}

static gboolean desktop_matches(const Tenant *t, const Desktop *d, const DesktopFilter *f)
{
	const char *user = d->user >= 0 ? t->users[d->user].name : NULL;

	if (f->status && !g_str_equal(f->status, desktop_status_name(d->status)))
		return FALSE;
	if (f->computer_name && !strstr(d->computer_name, f->computer_name))
		return FALSE;
	if (f->user_names) {
		if (!user || !in_list(f->user_names, user))
			return FALSE;
	} else if (f->user_name && (!user || !g_str_equal(f->user_name, user))) {
		return FALSE;
	}
	if (f->desktop_ids && !in_list(f->desktop_ids, d->id))
		return FALSE;
	if (f->desktop_ip) {
		char ipv4[16];

		render_desktop_ipv4(t, d, ipv4);
		if (!g_str_equal(f->desktop_ip, ipv4))
			return FALSE;
	}
	/* Every generated desktop is in enterprise project "0". */
	if (f->desktop_type && !g_str_equal(f->desktop_type, d->pool >= 0 ? "POOLED" :
					    "DEDICATED"))
		return FALSE;
	/* "Use commas (,) to separate multiple desktop pool IDs." */
	if (f->pool_id && (d->pool < 0 || !query_in_list(f->pool_id, t->pools[d->pool].id)))
		return FALSE;
	if (f->enterprise_project_id && !g_str_equal(f->enterprise_project_id, "0"))
		return FALSE;
	if (f->tag && !has_tags(t, d, f->tag))
		return FALSE;
	if (f->image_id && !g_str_equal(f->image_id, t->image_ids[d->image]))
		return FALSE;
	/* The 4.3.8 query's charge_mode: 0 = monthly, 1 = pay-per-use. */
	if (f->charge_mode && !g_str_equal(f->charge_mode, d->monthly ? "0" : "1"))
		return FALSE;
	if (f->subnet_id && !g_str_equal(f->subnet_id, t->subnet_ids[d->subnet]))
		return FALSE;
	if (f->availability_zone && !g_str_equal(f->availability_zone, emu_zones[d->zone]))
		return FALSE;
	return bool_matches(f->user_attached, user != NULL) &&
	       bool_matches(f->in_maintenance_mode, d->in_maintenance_mode) &&
	       bool_matches(f->is_share_desktop, FALSE) &&
	       bool_matches(f->is_support_internet, d->internet != 0);
}

typedef struct {
	const Tenant *t;
	const DesktopFilter *f;
} SortCtx;

static int compare_desktops(gconstpointer a, gconstpointer b, gpointer data)
{
	const SortCtx *s = data;
	const Desktop *da = &s->t->desktops[*(const guint32 *)a];
	const Desktop *db = &s->t->desktops[*(const guint32 *)b];
	int c;

	if (g_str_equal(s->f->sort_field, "created"))
		c = da->created_ms < db->created_ms ? -1 : da->created_ms > db->created_ms;
	else
		c = strcmp(da->computer_name, db->computer_name);
	if (c == 0)
		c = da < db ? -1 : da > db;
	return s->f->descending ? -c : c;
}

static void desktops_detail(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	DesktopFilter f = { .user_attached = -1 };
	gint64 offset, limit;
	g_autoptr(GArray) hits = NULL;
	gsize total;
	cJSON *body, *list;

	if (!query_paging(req, resp, 500, 500, &offset, &limit))
		return;
	if (!parse_desktop_filter(req, resp, &f))
		goto out;

	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "desktops");
	tenant_lock(t);
	if (f.any || f.sort_field || t->n_deleted_desktops) {
		hits = g_array_new(FALSE, FALSE, sizeof(guint32));
		for (gsize i = 0; i < t->n_desktops; i++) {
			guint32 idx = (guint32)i;

			if (!t->desktops[i].deleted && desktop_matches(t, &t->desktops[i], &f))
				g_array_append_val(hits, idx);
		}
		if (f.sort_field) {
			SortCtx s = { t, &f };

			g_array_sort_with_data(hits, compare_desktops, &s);
		}
		total = hits->len;
	} else {
		total = t->n_desktops;
	}
	for (gint64 i = offset; i < (gint64)total && i < offset + limit; i++) {
		gsize idx = hits ? g_array_index(hits, guint32, i) : (gsize)i;

		cJSON_AddItemToArray(list, render_desktop(t, &t->desktops[idx]));
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	emu_reply_json(resp, 200, body);
out:
	desktop_filter_clear(&f);
}

static void desktops_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *id = req->params[1];
	cJSON *body = NULL;
	Desktop *d;

	tenant_lock(t);
	d = tenant_desktop(t, id);
	if (d) {
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "desktop", render_desktop(t, d));
	}
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is desktop and resource id [%s].", id);
		return;
	}
	emu_reply_json(resp, 200, body);
}

static gboolean parse_op(const char *s, EmuOp *ret_op)
{
	for (EmuOp op = EMU_OP_START; op <= EMU_OP_HIBERNATE; op++) {
		if (g_str_equal(s, emu_op_name(op))) {
			*ret_op = op;
			return TRUE;
		}
	}
	return FALSE;
}

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

static void desktops_action(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	g_autoptr(GPtrArray) failed = g_ptr_array_new_with_free_func(
		(GDestroyNotify)tenant_failure_free);
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *item;
	TenantError err = { 0 };
	const char *op_name = NULL, *type = NULL;
	EmuOp op;
	Job *job;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || (!g_str_equal(item->string, "desktop_ids") &&
				      !g_str_equal(item->string, "op_type") &&
				      !g_str_equal(item->string, "type"))) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	if (!query_id_array(cJSON_GetObjectItemCaseSensitive(json, "desktop_ids"), "desktop_ids", 100, ids,
			    resp))
		goto out;
	item = cJSON_GetObjectItemCaseSensitive(json, "op_type");
	if (!cJSON_IsString(item)) {
		INVALID(resp, "op_type");
		goto out;
	}
	op_name = item->valuestring;
	if (!parse_op(op_name, &op)) {
		emu_reply_error(resp, 400, "WKS.0505", "Invalid parameter action. op_type must be "
				"os-start, os-stop, reboot or os-hibernate.");
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

	tenant_lock(emu->tenant);
	job = tenant_start_action(emu->tenant, (char **)ids->pdata, ids->len, op,
				  type && g_str_equal(type, "HARD"), failed, &err);
	if (job) {
		cJSON *body = cJSON_CreateObject();
		cJSON *list;

		cJSON_AddStringToObject(body, "job_id", job->id);
		list = cJSON_AddArrayToObject(body, "failed_operation_list");
		for (guint i = 0; i < failed->len; i++) {
			const TenantFailure *f = failed->pdata[i];
			cJSON *entry = cJSON_CreateObject();

			cJSON_AddStringToObject(entry, "desktop_id", f->desktop->id);
			cJSON_AddStringToObject(entry, "desktop_name", f->desktop->computer_name);
			cJSON_AddStringToObject(entry, "error_code", f->err.code);
			cJSON_AddStringToObject(entry, "error_msg", f->err.msg);
			cJSON_AddItemToArray(list, entry);
		}
		tenant_unlock(emu->tenant);
		emu_reply_json(resp, 200, body);
	} else {
		tenant_unlock(emu->tenant);
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
		tenant_error_clear(&err);
	}
out:
	cJSON_Delete(json);
}

static void jobs_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *id = req->params[1];
	cJSON *body = NULL;
	Job *job;

	tenant_lock(t);
	job = tenant_job(t, id);
	if (job)
		body = render_job(t, job);
	tenant_unlock(t);
	if (!body) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is job and resource id [%s].", id);
		return;
	}
	emu_reply_json(resp, 200, body);
}
