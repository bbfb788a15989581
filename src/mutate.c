/* mutate.c — every change the filesystem asks for: field writes, actions, deletes.
 *
 * Owns: building each request from the resource table, the safety options (-o ro: EROFS,
 * -o dry_run: audited but not sent, -o allow_delete), /.wksfs/audit, the last result of each
 * object's action file, and following the jobs actions start. Input is validated in
 * input.c before anything here runs; a mutation is never retried (client.c).
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "src/input.h"

#define AUDIT_LINES 1000
#define JOB_IDS 1000

static void set_result(ApiClient *api, const ResKind *kind, const char *name, char *result)
{
	g_mutex_lock(&api->lock);
	g_hash_table_replace(api->results, g_strconcat(kind->dir, "/", name, NULL), result);
	g_mutex_unlock(&api->lock);
}

char *api_last_result(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autofree char *key = g_strconcat(kind->dir, "/", name, NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&api->lock);

	return g_strdup(g_hash_table_lookup(api->results, key) ?: "");
}

gboolean api_read_only(ApiClient *api)
{
	return api->read_only;
}

static void audit(ApiClient *api, const ApiCaller *who, const char *method, const char *path,
		  const char *body, const char *result, const char *request_id)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	char *line = g_strdup_printf("%s uid=%u pid=%d command=%s path=%s request=\"%s %s %s\" "
				     "result=\"%s\" request_id=%s",
				     ts, who ? who->uid : 0, who ? who->pid : 0,
				     who && who->command ? who->command : "-",
				     who && who->path ? who->path : "-", method, path,
				     body ? body : "", result, request_id ? request_id : "-");

	g_strdelimit(line, "\r\n", ' ');
	g_message("audit: %s", line);
	g_mutex_lock(&api->lock);
	g_queue_push_tail(&api->audit, line);
	while (g_queue_get_length(&api->audit) > AUDIT_LINES)
		g_free(g_queue_pop_head(&api->audit));
	g_mutex_unlock(&api->lock);
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
	audit(api, caller, "-", "-", NULL, "refused: mounted read-only", NULL);
	return -EROFS;
}

char *api_audit_text(ApiClient *api)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&api->lock);

	for (GList *l = api->audit.head; l; l = l->next)
		g_string_append_printf(out, "%s\n", (char *)l->data);
	return g_string_free(out, FALSE);
}

static char *describe(int rc, const WksError *e)
{
	return g_strdup_printf("error: %s%s%s%s%s", g_strerror(-rc), e->error_code ? " " : "",
			       e->error_code ? e->error_code : "", e->error_msg ? ": " : "",
			       e->error_msg ? e->error_msg : "");
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
	*result = rc < 0 ? describe(rc, &err) : g_strdup("ok");
	audit(api, who, method, path, body, *result, err.request_id);
	wks_error_clear(&err);
	if (name)
		api_invalidate(api, kind, name);
	return rc;
}

void api_note_invalid(ApiClient *api, const char *what, const char *path, const char *why)
{
	g_autofree char *msg = g_strdup_printf("invalid input, not sent: %s", why);

	g_message("refused %s %s: %s", what, path ? path : "-", why);
	wks_client_note_error(api->client, what, path ? path : "-", msg);
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
	if (api->read_only)
		return -EROFS;
	why = input_check_field(field, value, len, &val);
	if (why) {
		api_note_invalid(api, field->method, caller ? caller->path : NULL, why);
		return -EINVAL;
	}
	rc = api_object_id(api, kind, name, &id);
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

void api_job_started(ApiClient *api, const char *job_id, const ResKind *kind,
		     const char *name)
{
	g_mutex_lock(&api->lock);
	g_queue_push_tail(&api->job_ids, g_strdup(job_id));
	g_hash_table_replace(api->job_targets, g_strdup(job_id),
			     g_strconcat(kind->dir, "/", name, NULL));
	while (g_queue_get_length(&api->job_ids) > JOB_IDS) {
		char *old = g_queue_pop_head(&api->job_ids);

		g_hash_table_remove(api->job_targets, old);
		g_free(old);
	}
	/* Started here, on first use, so that no thread exists before the daemon forks. */
	if (!api->jobs)
		api->jobs = jobs_new(api);
	g_mutex_unlock(&api->lock);
	jobs_watch(api->jobs, job_id, kind, name);
	api_invalidate(api, res_kind_lookup("jobs"), NULL);
}

/* One action; *result is set in every case: "job <id>", "ok", "error: ...". */
static int run_action(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		      const char *name, const char *command, gsize len, char **result)
{
	const ResAction *action = kind->action;
	g_autofree char *id = NULL, *arg = NULL, *arg_id = NULL, *why = NULL;
	g_autoptr(cJSON) body = NULL;
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
	if (api->read_only) {
		*result = g_strdup_printf("error: %s", g_strerror(EROFS));
		return -EROFS;
	}
	rc = api_object_id(api, kind, name, &id);
	if (rc < 0) {
		*result = g_strdup_printf("error: %s", g_strerror(-rc));
		return rc;
	}
	body = cJSON_CreateObject();
	if (verb->arg == ARG_USER) {
		/* "add alice": the API wants alice's id. */
		rc = api_object_id(api, res_kind_lookup("users"), arg, &arg_id);
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
		cJSON_AddItemToArray(cJSON_AddArrayToObject(body, action->arg_field),
				     cJSON_CreateString(arg_id));
	}
	if (action->ids_field)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(body, action->ids_field),
				     cJSON_CreateString(id));
	if (action->op_field && verb->op_value)
		cJSON_AddStringToObject(body, action->op_field, verb->op_value);
	if (action->type_field && verb->arg == ARG_HARD)
		cJSON_AddStringToObject(body, action->type_field, hard ? "HARD" : "SOFT");
	printed = cJSON_PrintUnformatted(body);
	rc = send(api, caller, kind, name, action->method, verb->path ? verb->path : action->path,
		  action->ids_field ? NULL : id, printed, &resp, result);
	cJSON_free(printed);
	if (verb->arg == ARG_USER)
		api_invalidate(api, res_kind_lookup("users"), arg);

	root = resp ? json_parse_bytes(resp) : NULL;
	const char *job = cJSON_GetStringValue(cJSON_GetObjectItem(root, "job_id"));
	if (rc == 0 && job && job[0] && strlen(job) <= 255 && !strchr(job, '/')) {
		g_free(*result);
		*result = g_strdup_printf("job %s", job);
		api_job_started(api, job, kind, name);
	}
	return rc;
}

int api_action(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name,
	       const char *command, gsize len, char **outcome)
{
	g_autofree char *result = NULL;
	int rc = run_action(api, caller, kind, name, command, len, &result);
	char *line = g_strdup_printf("%s\n", result);

	/* Every attempt is what the file reads back next: refused ones too. */
	set_result(api, kind, name, g_strdup(line));
	if (outcome)
		*outcome = line;
	else
		g_free(line);
	return rc;
}

int api_delete(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name)
{
	g_autofree char *id = NULL, *result = NULL;
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (api->read_only)
		return api_refuse_read_only(api, caller);
	if (!kind->delete_path)
		return -EPERM;
	if (!api->allow_delete) {
		audit(api, caller, "DELETE", kind->delete_path,
		      NULL, "refused: mounted without allow_delete", NULL);
		return -EPERM;
	}
	rc = api_object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	rc = send(api, caller, kind, name, "DELETE", kind->delete_path, id, NULL, NULL, &result);
	return rc;
}

/* The object a finished job changed is refreshed now: `cat wait; cat status` must show the
 * new state (the job thread would see the end later). */
static void job_ended(ApiClient *api, const char *job_id)
{
	g_autofree char *target = NULL;
	const ResKind *kind;
	char *slash;

	g_mutex_lock(&api->lock);
	target = g_strdup(g_hash_table_lookup(api->job_targets, job_id));
	g_mutex_unlock(&api->lock);
	if (!target || !(slash = strchr(target, '/')))
		return;
	*slash = '\0';
	kind = res_kind_lookup(target);
	if (kind)
		api_invalidate(api, kind, slash + 1);
}

int api_job_wait(ApiClient *api, const ResKind *kind, const char *name, gint64 timeout_s,
		 gboolean (*cancelled)(void), char **ret_status)
{
	gint64 deadline = g_get_monotonic_time() + timeout_s * G_USEC_PER_SEC;

	for (;;) {
		g_autoptr(GBytes) json = NULL;
		g_autoptr(cJSON) obj = NULL;
		const char *status;
		int rc;

		/* Polled straight from the API: invalidating the cache every second would bump
		 * its generation and keep every concurrent fetch from being stored. */
		rc = wks_call(api->client, "GET", kind->detail_path, name, NULL, 0, NULL, &json,
			      NULL);
		if (rc < 0)
			return rc;
		obj = json_parse_bytes(json);
		status = cJSON_GetStringValue(cJSON_GetObjectItem(obj, "status"));
		if (g_strcmp0(status, "SUCCESS") == 0 || g_strcmp0(status, "FAILED") == 0) {
			api_invalidate(api, kind, name);	/* jobs/ID/status shows the end */
			job_ended(api, name);
			*ret_status = g_strdup(status);
			return 0;
		}
		for (int i = 0; i < 10; i++) {
			if (g_get_monotonic_time() >= deadline)
				return -ETIMEDOUT;
			if (cancelled && cancelled())
				return -EINTR;
			rc = wks_client_cancelled(api->client, FALSE);
			if (rc < 0)
				return rc;	/* interrupted, or the mount is shutting down */
			g_usleep(100 * 1000);
		}
	}
}
