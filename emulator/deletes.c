/* deletes.c — the delete routes of the generic kinds (kinds.h), of user groups (4.9.4) and of
 * desktop pools (4.4.4). Desktops and users are deleted in desktops.c and users.c.
 *
 * Owns: each generic delete's documented form (DELETE .../{id}, or POST .../batch-delete,
 * or a DELETE with a body, the ids in a body array of strings or of {"id": ...} objects,
 * with its documented maximum), its answer (204; 200 and an empty object; 200 and a job id,
 * the job followed at GET .../workspace-jobs/{job_id}; 200 and a result per id, 4.15.6),
 * and its refusals: a body without the array, or with more ids than allowed, is 400
 * WKS.0001; an unknown id is 404 WKS.00010031 where the API documents a 404, else 400
 * WKS.0001 (4.5.4, 4.20.5 and 4.21.5 list none); 4.28.3 deletes only sub-jobs that are
 * SUCCESS or FAILED (400 otherwise). A call deletes all of its ids or none. A deleted object
 * is marked gone (kinds_mark_gone): it leaves the lists, details and state views at once.
 * A group's members leave it; a pool that still has desktops is 409 WKS.00010032.
 * Must not: print or sleep under the tenant lock; handlers build cJSON under it and reply
 * after unlocking.
 */
#include "emulator/emulator.h"
#include "emulator/kinds.h"
#include "emulator/tenant.h"

#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

typedef enum {
	ANSWER_NONE,		/* 204 */
	ANSWER_EMPTY,		/* 200 {} */
	ANSWER_JOB,		/* 200 {"job_id": ...} */
	ANSWER_RESULTS,		/* 200 {"result_list": [{id, delete_result_code, _msg}]} */
} DeleteAnswer;

typedef struct {
	const char *method;
	const char *route;		/* as in emu_api_routes */
	const char *kind;		/* the generic kind (kinds.h) */
	const char *ids_field;		/* the body's array, or NULL: the route's {..._id} */
	const char *id_key;		/* the array holds {id_key: id} objects; NULL: strings */
	int max_ids;			/* the most ids a call takes */
	DeleteAnswer answer;
	const char *job_type;		/* ANSWER_JOB: the job's job_type */
	gboolean no_404;		/* the API documents no 404: an unknown id is 400 */
	const char *only_field;		/* the objects deletable are those whose field ... */
	const char *const *only;	/* ... has one of these values (NULL-terminated) */
} EmuDelete;

#define ONE(method, route, kind) method, route, kind, NULL, NULL, 1
/* 4.28.2's enumeration has deleteSnapshot; sites, bandwidths and screen records are named
 * alike here, since the API documents no job type for them. */
static const EmuDelete deletes[] = {
	{ ONE("DELETE", "/v2/{project_id}/sites/{site_id}", "sites"), ANSWER_JOB,
	  "deleteSite" },
	{ "POST", "/v2/{project_id}/desktop-name-policies/batch-delete", "desktop-name-policies",
	  "policy_ids", NULL, 50, ANSWER_NONE, .no_404 = TRUE },
	{ ONE("DELETE", "/v2/{project_id}/ous/{ou_id}", "ous"), ANSWER_NONE },
	{ "POST", "/v2/{project_id}/snapshots/batch-delete", "snapshots", "snapshot_ids", NULL,
	  100, ANSWER_JOB, "deleteSnapshot" },
	{ ONE("DELETE", "/v2/{project_id}/policy-groups/{policy_group_id}", "policy-groups"),
	  ANSWER_NONE },
	{ "DELETE", "/v2/{project_id}/access-policy", "access-policies", "policy_id_list", NULL,
	  100, ANSWER_EMPTY },
	{ "POST", "/v2/{project_id}/terminals/binding-desktops/batch-delete", "terminal-bindings",
	  "id_list", NULL, 100, ANSWER_RESULTS },
	{ "POST", "/v2/{project_id}/screen-records/batch-delete", "screen-records",
	  "screen_records", "id", 100, ANSWER_JOB, "deleteScreenRecords" },
	{ ONE("DELETE", "/v2/{project_id}/scheduled-tasks/{task_id}", "scheduled-tasks"),
	  ANSWER_EMPTY, .no_404 = TRUE },
	{ ONE("DELETE", "/v2/{project_id}/statistics/notify-rules/{rule_id}", "notify-rules"),
	  ANSWER_EMPTY, .no_404 = TRUE },
	{ ONE("DELETE", "/v2/{project_id}/scripts/{script_id}", "scripts"), ANSWER_NONE },
	{ "POST", "/v2/{project_id}/workspace-sub-jobs/batch-delete", "sub-jobs", "job_ids", NULL,
	  100, ANSWER_EMPTY, .only_field = "status",
	  .only = (const char *const[]){ "SUCCESS", "FAILED", NULL } },
	{ ONE("DELETE", "/v2/{project_id}/bandwidths/{bandwidth_id}", "bandwidths"), ANSWER_JOB,
	  "deleteBandwidth" },
	{ ONE("DELETE", "/v1/{project_id}/app-center/apps/{app_id}", "apps"), ANSWER_EMPTY },
	{ ONE("DELETE", "/v1/{project_id}/app-center/app-rules/{rule_id}", "app-rules"),
	  ANSWER_EMPTY },
	/* App Streaming: the SDK's DeleteAppGroup, DeletePersistentStorage, DeletePolicyGroup
	 * and DeleteScheduleTask, whose responses carry no fields. */
	{ ONE("DELETE", "/v1/{project_id}/app-groups/{app_group_id}", "app-groups"),
	  ANSWER_EMPTY },
	{ ONE("DELETE", "/v1/{project_id}/persistent-storages/{storage_id}", "app-storages"),
	  ANSWER_EMPTY },
	{ ONE("DELETE", "/v1/{project_id}/policy-groups/{policy_group_id}", "app-policy-groups"),
	  ANSWER_EMPTY },
	{ ONE("DELETE", "/v1/{project_id}/schedule-task/{task_id}", "app-scheduled-tasks"),
	  ANSWER_EMPTY },
};
#undef ONE

#define INVALID(resp, what, why) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid%s.", what, why)

static const EmuDelete *spec_of(EmuRequest *req)
{
	for (guint i = 0; i < G_N_ELEMENTS(deletes); i++)
		if (g_str_equal(req->method, deletes[i].method) &&
		    routes_match(deletes[i].route, req->path, req))
			return &deletes[i];
	return NULL;
}

/* The ids a request names, in order (borrowed from json or req); FALSE after a 400. */
static gboolean ids_of(const EmuDelete *d, EmuRequest *req, const cJSON *json,
		       EmuResponse *resp, GPtrArray *ids)
{
	const cJSON *arr = json ? cJSON_GetObjectItemCaseSensitive(json, d->ids_field) : NULL;
	const cJSON *item;

	if (!d->ids_field) {
		g_ptr_array_add(ids, req->params[1]);
		return TRUE;
	}
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0) {
		INVALID(resp, d->ids_field, " (a non-empty array)");
		return FALSE;
	}
	if (cJSON_GetArraySize(arr) > d->max_ids) {
		g_autofree char *why = g_strdup_printf(" (at most %d)", d->max_ids);

		INVALID(resp, d->ids_field, why);
		return FALSE;
	}
	cJSON_ArrayForEach(item, arr) {
		const cJSON *id = d->id_key ? cJSON_GetObjectItemCaseSensitive(item, d->id_key)
					    : item;

		if (!cJSON_IsString(id) || !id->valuestring[0]) {
			INVALID(resp, d->ids_field, d->id_key ? " (objects with a string id)"
							      : " (an array of strings)");
			return FALSE;
		}
		g_ptr_array_add(ids, id->valuestring);
	}
	return TRUE;
}

/* The object of kind k whose id is id and that is not gone: among the live objects, the
 * generated ones, then those the API created; NULL when none. With the tenant lock held. */
static const cJSON *find(Tenant *t, const EmuKind *k, const GPtrArray *live,
			 const GPtrArray *created, const char *id)
{
	const GPtrArray *sets[] = { live, kinds_objects(t, k->name), created };

	for (guint s = 0; s < G_N_ELEMENTS(sets); s++) {
		for (guint i = 0; sets[s] && i < sets[s]->len; i++) {
			const cJSON *o = sets[s]->pdata[i];
			const char *have = cJSON_GetStringValue(
				cJSON_GetObjectItemCaseSensitive(o, k->id_field));

			if (have && g_str_equal(have, id) && !kinds_gone(t, k->name, o))
				return o;
		}
	}
	return NULL;
}

static gboolean deletable(const EmuDelete *d, const cJSON *obj)
{
	const char *v = d->only_field ? cJSON_GetStringValue(
		cJSON_GetObjectItemCaseSensitive(obj, d->only_field)) : NULL;

	if (!d->only_field)
		return TRUE;
	for (const char *const *o = d->only; v && *o; o++)
		if (g_str_equal(*o, v))
			return TRUE;
	return FALSE;
}

static cJSON *results(GPtrArray *ids, const GPtrArray *unknown)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(body, "result_list");

	for (guint i = 0; i < ids->len; i++) {
		cJSON *r = cJSON_CreateObject();
		gboolean bad = g_ptr_array_find_with_equal_func((GPtrArray *)unknown,
								ids->pdata[i], g_str_equal, NULL);

		cJSON_AddItemToArray(list, r);
		cJSON_AddStringToObject(r, "id", ids->pdata[i]);
		cJSON_AddStringToObject(r, "delete_result_code",
					bad ? "WKS.00010031" : "WKS.00000000");
		cJSON_AddStringToObject(r, "delete_result_msg", bad ? "The resource does not "
					"found." : "success");
	}
	return body;
}

void deletes_generic(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuDelete *d = spec_of(req);
	const EmuKind *k = d ? kinds_lookup(d->kind) : NULL;
	g_autoptr(GPtrArray) ids = g_ptr_array_new();
	g_autoptr(GPtrArray) unknown = g_ptr_array_new();
	g_autoptr(GPtrArray) live = NULL, created = NULL;
	g_autoptr(cJSON) json = NULL;
	Tenant *t = emu->tenant;
	const char *refused = NULL;
	char job_id[37] = "";

	if (!k) {
		emu_reply_error(resp, 404, "WKS.0010", "No resources found in the system.");
		return;
	}
	if (d->ids_field && !(json = emu_request_json_object(req, resp)))
		return;
	if (!ids_of(d, req, json, resp, ids))
		return;
	tenant_lock(t);
	live = k->live ? k->live(t) : NULL;
	created = kinds_created(t, k->name, FALSE);
	for (guint i = 0; i < ids->len; i++) {
		const cJSON *o = find(t, k, live, created, ids->pdata[i]);

		if (!o)
			g_ptr_array_add(unknown, ids->pdata[i]);
		else if (!refused && !deletable(d, o))
			refused = ids->pdata[i];
	}
	/* All or nothing; a per-id answer deletes those it can. */
	if ((!unknown->len || d->answer == ANSWER_RESULTS) && !refused) {
		for (guint i = 0; i < ids->len; i++)
			if (!g_ptr_array_find_with_equal_func(unknown, ids->pdata[i], g_str_equal,
							      NULL))
				kinds_mark_gone(t, k->name, ids->pdata[i]);
		if (d->answer == ANSWER_JOB) {
			Job *job = tenant_new_job(t, JOB_DELETE, NULL, 0, EMU_OP_START, FALSE);

			job->type = d->job_type;
			g_strlcpy(job_id, job->id, sizeof(job_id));
		}
	}
	tenant_unlock(t);
	if (refused) {
		g_autofree char *only = g_strjoinv(" or ", (char **)d->only);
		g_autofree char *why = g_strdup_printf(" (%s is not %s)", refused, only);

		INVALID(resp, d->ids_field, why);
	} else if (unknown->len && d->answer != ANSWER_RESULTS) {
		if (d->no_404)
			INVALID(resp, d->ids_field ? d->ids_field : "id", " (no such object)");
		else
			emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. "
					"The resource type is %s and resource id [%s].", k->name,
					(char *)unknown->pdata[0]);
	} else if (d->answer == ANSWER_RESULTS) {
		emu_reply_json(resp, 200, results(ids, unknown));
	} else if (d->answer == ANSWER_JOB) {
		emu_reply_job(resp, job_id);
	} else if (d->answer == ANSWER_EMPTY) {
		emu_reply_json(resp, 200, cJSON_CreateObject());
	} else {
		emu_reply_empty(resp, 204);
	}
}

/* ---- 4.9.4 and 4.4.4 ---- */

void groups_delete(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	Group *g;

	tenant_lock(t);
	g = g_hash_table_lookup(t->group_by_id, req->params[1]);
	if (g) {
		while (g->members->len)
			tenant_group_remove(t, g, &t->users[g_array_index(g->members, guint32,
									  0)]);
		g_hash_table_remove(t->group_by_id, g->id);
		g->deleted = TRUE;
	}
	tenant_unlock(t);
	if (g)
		emu_reply_empty(resp, 204);
	else
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is group and resource id [%s].", req->params[1]);
}

void pools_delete(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	guint desktops = 0;
	Pool *p;

	tenant_lock(t);
	p = g_hash_table_lookup(t->pool_by_id, req->params[1]);
	for (guint i = 0; p && i < p->desktops->len; i++)
		desktops += !t->desktops[g_array_index(p->desktops, guint32, i)].deleted;
	if (p && !desktops) {
		g_hash_table_remove(t->pool_by_id, p->id);
		p->deleted = TRUE;
	}
	tenant_unlock(t);
	if (!p)
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is desktop pool and resource id [%s].",
				req->params[1]);
	else if (desktops)
		emu_reply_error(resp, 409, "WKS.00010032", "Operation conflict. The desktop pool "
				"still has %u desktops and deny operation [delete], resource id "
				"[%s].", desktops, req->params[1]);
	else
		emu_reply_empty(resp, 204);
}
