/* mutate.c — the changes the filesystem asks for: field writes, actions, tags (deletes are
 * delete.c's, creates create.c's).
 *
 * Owns: building each request from the resource table and the per-writer checks — the
 * caller's uid, -o ro (EROFS), the input, the object's id, -o dry_run (audited, not sent);
 * a tag is a file, so its rm needs no -o allow_delete. A tag write is checked against the tags
 * the object has (tags.c) before it is sent: a new key beyond the most an object may carry
 * is refused here, a delete of a key it lacks is ENOENT (the API would answer 204). Only
 * after them does an action go out alone or join a batch (batch.c).
 * Input is validated, and an action's body built, in input.c; a mutation is never retried
 * (client.c). What was done is recorded in audit.c; the jobs actions start, and the objects
 * an action without a job sets in transition, are followed in jobs.c.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "src/audit.h"
#include "src/batch.h"
#include "src/input.h"
#include "src/jobs.h"
#include "src/json.h"
#include "src/metrics.h"
#include "src/mutate.h"
#include "src/reader.h"
#include "src/signer.h"
#include "src/store.h"

char *api_last_result(ApiClient *api, const ResKind *kind, const char *name)
{
	return audit_last_result(api->audit, kind, name);
}

gboolean api_read_only(ApiClient *api)
{
	return api->read_only || g_atomic_int_get(&api->offline);
}

gboolean api_mounted_ro(ApiClient *api)
{
	return api->read_only;
}

static void audit(ApiClient *api, const ApiCaller *who, const char *method, const char *path,
		  const char *body, const char *result, const char *request_id)
{
	audit_add(api->audit, who, method, path, body, result, request_id);
}

/* Defence in depth behind the kernel's mode checks (default_permissions): a descriptor
 * opened by the owner and handed to another user still cannot act with the owner's keys. */
int api_check_caller(ApiClient *api, const ApiCaller *caller)
{
	g_autofree char *result = NULL;

	if (!caller || caller->uid == 0 || caller->uid == getuid())
		return 0;
	result = g_strdup_printf("refused: uid %u does not own this mount", caller->uid);
	audit(api, caller, "-", "-", NULL, result, NULL);
	return -EACCES;
}

int api_refuse_read_only(ApiClient *api, const ApiCaller *caller)
{
	audit(api, caller, "-", "-", NULL, g_atomic_int_get(&api->offline) && !api->read_only
	      ? "refused: offline, serving the snapshot until the API answers"
	      : "refused: mounted read-only", NULL);
	return -EROFS;
}

char *api_audit_text(ApiClient *api)
{
	return audit_text(api->audit);
}

/* Sends one mutation (or, with dry_run, only audits it); invalidates the object. On success
 * the response body, if any, is in *ret_body. *result describes the outcome, in every case
 * (caller frees). */
static int send(ApiClient *api, const ApiCaller *who, const ResKind *kind, const char *name,
		const char *method, const char *path, const char *id, const char *body,
		GBytes **ret_body, char **result)
{
	WksError err = { 0 };
	int rc;

	if (api->dry_run) {
		audit(api, who, method, path, body, "dry-run, not sent", NULL);
		*result = g_strdup_printf("dry-run: %s %s %s", method, path, body ? body : "");
		return 0;
	}
	rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, method, path, id, NULL,
			 0, body, ret_body, &err);
	*result = rc < 0 ? audit_describe_error(rc, &err) : g_strdup("ok");
	audit(api, who, method, path, body, *result, err.request_id);
	wks_error_clear(&err);
	if (name) {
		store_expect(api, kind, name, "write");
		store_invalidate(api, kind, name);
	}
	return rc;
}

int mutate_send(ApiClient *api, const ApiCaller *who, const ResKind *kind, const char *name,
		const char *method, const char *path, const char *id, const char *body,
		GBytes **ret_body, char **result)
{
	return send(api, who, kind, name, method, path, id, body, ret_body, result);
}

void api_note_invalid(ApiClient *api, const char *what, const char *path, const char *why)
{
	g_autofree char *msg = g_strdup_printf("invalid input, not sent: %s", why);

	g_message("refused %s %s: %s", what, path ? path : "-", why);
	wks_client_note_error(api->client, what, path ? path : "-", msg);
	metrics_note_invalid(wks_client_metrics(api->client));
}

/* The object's id, for a change. An object the API listed without a usable id (hostile
 * data) cannot be changed: -EIO, nothing sent, and the reason in /.wksfs/errors. */
int mutate_object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id)
{
	int rc = reader_object_id(api, kind, name, ret_id);

	if (rc == -EIO) {
		g_autofree char *path = g_strdup_printf("/%s/%s", kind->dir, name);
		g_autofree char *msg = g_strdup_printf("the object has no usable %s: nothing "
						       "sent", kind->id_field);

		g_message("%s: %s", path, msg);
		wks_client_note_error(api->client, "-", path, msg);
	}
	return rc;
}

int api_set_field(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		  const char *name, const ResField *field, const char *value, gsize len)
{
	g_autofree char *id = NULL, *result = NULL, *why = NULL;
	g_autoptr(cJSON) body = NULL;
	cJSON *val = NULL, *target;
	char *printed;
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (api_read_only(api))
		return -EROFS;
	why = input_check_field(field, value, len, &val);
	if (why) {
		api_note_invalid(api, field->method, caller ? caller->path : NULL, why);
		return -EINVAL;
	}
	rc = mutate_object_id(api, kind, name, &id);
	if (rc < 0) {
		cJSON_Delete(val);
		return rc;
	}
	body = cJSON_CreateObject();
	target = body;
	if (field->ids_field)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(body, field->ids_field),
				     cJSON_CreateString(id));
	if (field->wrapper)
		target = cJSON_AddObjectToObject(body, field->wrapper);
	cJSON_AddItemToObject(target, field->field, val);
	printed = cJSON_PrintUnformatted(body);
	rc = send(api, caller, kind, name, field->method, field->path,
		  field->ids_field ? NULL : id, printed, NULL, &result);
	cJSON_free(printed);
	return rc;
}

/* One action; *result is set in every case: "job <id>", "ok", "error: ...". */
static int run_action(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		      const char *name, const char *command, gsize len, char **result)
{
	const ResAction *action = kind->action;
	g_autofree char *id = NULL, *arg = NULL, *arg_id = NULL, *why = NULL;
	g_autoptr(GBytes) resp = NULL;
	g_autoptr(cJSON) root = NULL;
	const ResVerb *verb = NULL;
	gboolean hard = FALSE;
	char *printed;
	int rc = api_check_caller(api, caller);

	*result = NULL;
	if (rc < 0) {
		*result = g_strdup_printf("error: %s", g_strerror(-rc));
		return rc;
	}
	why = action ? input_check_command(action, command, len, &verb, &hard, &arg)
		     : g_strdup("this object has no actions");
	if (why) {
		api_note_invalid(api, "action", caller ? caller->path : NULL, why);
		*result = g_strdup_printf("error: %s: %s", g_strerror(EINVAL), why);
		return -EINVAL;
	}
	if (api_read_only(api)) {
		*result = g_strdup_printf("error: %s", g_strerror(EROFS));
		return -EROFS;
	}
	rc = mutate_object_id(api, kind, name, &id);
	if (rc < 0) {
		*result = g_strdup_printf("error: %s", g_strerror(-rc));
		return rc;
	}
	if (verb->arg == ARG_USER) {
		/* "add alice": the API wants alice's id. */
		rc = reader_object_id(api, res_kind_lookup("users"), arg, &arg_id);
		if (rc < 0) {
			if (rc == -ENOENT) {
				g_autofree char *no = g_strdup_printf("no user \"%s\"", arg);

				api_note_invalid(api, "action", caller ? caller->path : NULL, no);
				*result = g_strdup_printf("error: %s: %s", g_strerror(EINVAL), no);
				return -EINVAL;
			}
			*result = g_strdup_printf("error: %s", g_strerror(-rc));
			return rc;
		}
	}
	/* Every check above is this writer's own; a dry run is audited alone, never sent. */
	if (!api->dry_run && batch_applies(api->batch, kind, verb))
		return batch_run(api, caller, kind, name, id, verb, hard, result);
	printed = input_action_body(action, verb, hard, arg_id, (const char *const[]){ id }, 1);
	rc = send(api, caller, kind, name, action->method, verb->path ? verb->path : action->path,
		  action->ids_field ? NULL : id, printed, &resp, result);
	cJSON_free(printed);
	if (verb->arg == ARG_USER)
		store_invalidate(api, res_kind_lookup("users"), arg);

	root = resp ? json_parse_bytes(resp) : NULL;
	const char *job = cJSON_GetStringValue(cJSON_GetObjectItem(root, "job_id"));
	if (job && (!job[0] || strlen(job) > 255 || strchr(job, '/')))
		job = NULL;
	if (rc == 0 && job) {
		g_free(*result);
		*result = g_strdup_printf("job %s", job);
	}
	/* A dry run sent nothing: there is nothing to follow. */
	if (rc == 0 && !api->dry_run)
		api_action_answered(api, kind, job, (const char *const[]){ name },
				    (const char *const[]){ id }, 1);
	return rc;
}

int api_action(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name,
	       const char *command, gsize len, char **outcome)
{
	g_autofree char *result = NULL;
	int rc = run_action(api, caller, kind, name, command, len, &result);
	char *line = g_strdup_printf("%s\n", result);

	/* Every attempt is what the file reads back next: refused ones too. */
	audit_set_result(api->audit, kind, name, g_strdup(line));
	if (outcome)
		*outcome = line;
	else
		g_free(line);
	return rc;
}

int api_set_tag(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name,
		const char *key, const char *value, gsize len)
{
	const ResTags *tags = kind->tags;
	g_autofree char *id = NULL, *text = NULL, *why = NULL, *result = NULL;
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(cJSON) body = NULL;
	cJSON *tag;
	char *printed;
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (!tags)
		return -ENOENT;
	if (api_read_only(api))
		return -EROFS;
	why = input_check_tag(tags, key, value, len, &text);
	if (!why) {
		rc = api_tags(api, kind, name, FALSE, &keys, NULL);
		if (rc < 0)
			return rc;
		if (!g_ptr_array_find_with_equal_func(keys, key, g_str_equal, NULL) &&
		    keys->len >= (guint)tags->max_tags)
			why = g_strdup_printf("%s has %u tags, the most it may have (remove one "
					      "first)", name, keys->len);
	}
	if (why) {
		api_note_invalid(api, "POST", caller ? caller->path : NULL, why);
		return -EINVAL;
	}
	rc = mutate_object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	body = cJSON_CreateObject();
	tag = cJSON_AddObjectToObject(body, tags->set_wrapper);
	cJSON_AddStringToObject(tag, tags->key, key);
	cJSON_AddStringToObject(tag, tags->value, text);
	printed = cJSON_PrintUnformatted(body);
	rc = send(api, caller, kind, name, "POST", tags->set_path, id, printed, NULL, &result);
	cJSON_free(printed);
	return rc;
}

/* A tag's path: the template with {key} filled in, percent-encoded (the client fills in the
 * rest). A key "." or ".." would be a dot segment on the wire: encoded whole (client.c). */
static char *tag_path(const char *tmpl, const char *key)
{
	g_autofree char *enc = strcmp(key, ".") == 0	? g_strdup("%2E")
			       : strcmp(key, "..") == 0 ? g_strdup("%2E%2E")
							: signer_encode(key);
	g_auto(GStrv) parts = g_strsplit(tmpl, "{key}", 2);

	return g_strjoinv(enc, parts);
}

int api_delete_tag(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		   const char *name, const char *key)
{
	g_autofree char *id = NULL, *path = NULL, *result = NULL;
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (!kind->tags)
		return -ENOENT;
	if (api_read_only(api))
		return api_refuse_read_only(api, caller);
	rc = api_tag(api, kind, name, key, FALSE, NULL, NULL);
	if (rc < 0)
		return rc;
	rc = mutate_object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	path = tag_path(kind->tags->delete_path, key);
	return send(api, caller, kind, name, "DELETE", path, id, NULL, NULL, &result);
}
