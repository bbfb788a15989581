/* delete.c — `rmdir <kind>/<name>`: deleting an object through its kind's ResDelete.
 *
 * Owns: the delete's checks, in order — the caller's uid (EACCES), -o ro (EROFS), a kind
 * without a delete (EPERM), -o allow_delete (EPERM, audited as refused), the object's id
 * (ENOENT when the listing lacks it: nothing sent), -o dry_run (audited, not sent) — then
 * one request in the kind's form: DELETE .../{id}, or the batch form with the one id in the
 * body's array (as a string, or as {id_key: id}). The answer: a job id (the API deletes
 * asynchronously) is followed under /jobs and its end invalidates the collection; a 200
 * that answers per id (4.15.6 result_list) fails as its result code says (errmap.c).
 * Whatever the outcome, the object and its collection are marked stale (store.c), so a
 * successful delete leaves `ls` at once; so are the objects of the kind it also changes
 * (also_changes: a deleted group's members).
 * Must not: retry (client.c sends a mutation at most once), or hold a lock.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/audit.h"
#include "src/errmap.h"
#include "src/jobs.h"
#include "src/json.h"
#include "src/mutate.h"
#include "src/reader.h"
#include "src/store.h"

static char *body_of(const ResDelete *d, const char *id)
{
	g_autoptr(cJSON) body = NULL;
	cJSON *ids, *item;
	char *printed, *out;

	if (!d->ids_field)
		return NULL;
	body = cJSON_CreateObject();
	ids = cJSON_AddArrayToObject(body, d->ids_field);
	if (d->id_key) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, d->id_key, id);
	} else {
		item = cJSON_CreateString(id);
	}
	cJSON_AddItemToArray(ids, item);
	printed = cJSON_PrintUnformatted(body);
	out = g_strdup(printed);
	cJSON_free(printed);
	return out;
}

/* A per-id answer's verdict on id: 0, or -errno with *ret_code set (borrowed from root). A
 * 200 that leaves the id out is taken as done: the API answered it as a whole. */
static int result_of(const ResDelete *d, const cJSON *root, const char *id,
		     const char **ret_code, const char **ret_msg)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, d->results)) {
		const char *rid = cJSON_GetStringValue(cJSON_GetObjectItem(item, d->result_id));
		const char *code = cJSON_GetStringValue(cJSON_GetObjectItem(item,
									    d->result_code));

		if (!rid || !g_str_equal(rid, id) || !code || g_str_equal(code, d->result_ok))
			continue;
		*ret_code = code;
		*ret_msg = cJSON_GetStringValue(cJSON_GetObjectItem(item, d->result_msg));
		return errmap_from_code(code);
	}
	return 0;
}

/* What the answer says after a 2xx: 0, or a per-id failure (noted in /.wksfs/errors). A
 * job id is followed; *result says what was done (caller frees). */
static int answered(ApiClient *api, const ResKind *kind, const char *path, const char *id,
		    GBytes *resp, char **result)
{
	const ResDelete *d = kind->delete;
	g_autoptr(cJSON) root = resp ? json_parse_bytes(resp) : NULL;
	const char *job = d->job_field ? cJSON_GetStringValue(cJSON_GetObjectItem(root,
									d->job_field))
				       : NULL;
	const char *code = NULL, *msg = NULL;
	int rc = d->results ? result_of(d, root, id, &code, &msg) : 0;

	if (rc < 0) {
		g_autofree char *line = g_strdup_printf("%s: %s", code, msg ? msg : "");

		wks_client_note_error(api->client, d->method, path, line);
		*result = g_strdup_printf("error: %s %s", g_strerror(-rc), line);
		return rc;
	}
	if (job && job[0] && strlen(job) <= 255 && !strchr(job, '/')) {
		/* The object may show until the job ends; its end invalidates the collection. */
		api_create_answered(api, job, kind, NULL);
		*result = g_strdup_printf("job %s", job);
		return 0;
	}
	*result = g_strdup("ok");
	return 0;
}

int api_delete(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name)
{
	const ResDelete *d = kind->delete;
	g_autofree char *id = NULL, *body = NULL, *result = NULL;
	g_autoptr(GBytes) resp = NULL;
	WksError err = { 0 };
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (api_read_only(api))
		return api_refuse_read_only(api, caller);
	if (!d)
		return -EPERM;
	if (!api->allow_delete) {
		audit_add(api->audit, caller, d->method, d->path, NULL,
			  "refused: mounted without allow_delete", NULL);
		return -EPERM;
	}
	rc = mutate_object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	body = body_of(d, id);
	if (api->dry_run) {
		audit_add(api->audit, caller, d->method, d->path, body, "dry-run, not sent", NULL);
		return 0;
	}
	rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, d->method, d->path,
			 d->ids_field ? NULL : id, NULL, 0, body, &resp, &err);
	if (rc < 0)
		result = audit_describe_error(rc, &err);
	else
		rc = answered(api, kind, d->path, id, resp, &result);
	audit_add(api->audit, caller, d->method, d->path, body, result, err.request_id);
	wks_error_clear(&err);
	store_expect(api, kind, name, "write");
	store_expect(api, kind, NULL, "write");
	store_invalidate(api, kind, name);
	if (d->also_changes)
		store_invalidate_all(api, res_kind_lookup(d->also_changes));
	return rc;
}
