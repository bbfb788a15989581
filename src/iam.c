/* iam.c — IAM token authentication (shared/auth/iam-token.md).
 *
 * Owns: POST /v3/auth/tokens with a password, the token from X-Subject-Token, its expiry,
 * and refreshing it: before it expires (at the last fifth of its life, at most 10 minutes
 * early) and once when the API refuses it. Logins are single-flight: one thread logs in,
 * the others wait on a GCond; no lock is held across the network. Never logs the password
 * or the token.
 */
#include "src/iam.h"

#include "src/json.h"
#include <errno.h>
#include <string.h>

#include "src/errmap.h"

struct IamSession {
	HttpClient *http;
	char *url;
	char *body;		/* the login request (holds the password); wiped at free */

	GMutex lock;
	GCond cond;
	gboolean logging_in;	/* guarded by lock */
	char *token;		/* guarded by lock */
	gint64 refresh_at_us;	/* monotonic; guarded by lock */
	char *project_id;	/* guarded by lock */
};


IamSession *iam_session_new(HttpClient *http, const IamConfig *config)
{
	IamSession *s = g_new0(IamSession, 1);
	g_autoptr(cJSON) root = cJSON_CreateObject();
	cJSON *auth = cJSON_AddObjectToObject(root, "auth");
	cJSON *identity = cJSON_AddObjectToObject(auth, "identity");
	cJSON *methods = cJSON_AddArrayToObject(identity, "methods");
	cJSON *user = cJSON_AddObjectToObject(cJSON_AddObjectToObject(identity, "password"),
					      "user");
	cJSON *project = cJSON_AddObjectToObject(cJSON_AddObjectToObject(auth, "scope"),
						 "project");
	char *text;

	cJSON_AddItemToArray(methods, cJSON_CreateString("password"));
	cJSON_AddStringToObject(cJSON_AddObjectToObject(user, "domain"), "name", config->domain);
	cJSON_AddStringToObject(user, "name", config->user);
	cJSON_AddStringToObject(user, "password", config->password);
	if (config->project_id)
		cJSON_AddStringToObject(project, "id", config->project_id);
	else
		cJSON_AddStringToObject(project, "name", config->project_name);
	text = cJSON_PrintUnformatted(root);
	s->body = g_strdup(text);
	memset(text, 0, strlen(text));
	cJSON_free(text);

	s->http = http;
	s->url = g_strdup_printf("%s/v3/auth/tokens?nocatalog=true", config->endpoint);
	s->project_id = g_strdup(config->project_id);
	g_mutex_init(&s->lock);
	g_cond_init(&s->cond);
	return s;
}

void iam_session_free(IamSession *s)
{
	if (!s)
		return;
	if (s->body)
		memset(s->body, 0, strlen(s->body));
	g_free(s->body);
	if (s->token)
		memset(s->token, 0, strlen(s->token));
	g_free(s->token);
	g_free(s->url);
	g_free(s->project_id);
	g_mutex_clear(&s->lock);
	g_cond_clear(&s->cond);
	g_free(s);
}

/* Seconds from now until an ISO-8601 time, or -1 if it cannot be parsed. */
static gint64 seconds_until(const char *iso)
{
	g_autoptr(GDateTime) t = iso ? g_date_time_new_from_iso8601(iso, NULL) : NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	if (!t)
		return -1;
	return g_date_time_difference(t, now) / G_USEC_PER_SEC;
}

static int login(IamSession *s, char **ret_token, gint64 *ret_life_s, char **ret_project,
		 char **ret_reason)
{
	static const char *const headers[] = { "Content-Type: application/json;charset=utf8",
					       "Accept: application/json", NULL };
	HttpRequest req = { "POST", s->url, headers, s->body, strlen(s->body), 0 };
	g_autoptr(HttpResponse) resp = NULL;
	g_autofree char *transport = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *token, *project;
	int rc = http_request(s->http, &req, &resp, &transport);

	if (rc < 0) {
		*ret_reason = g_strdup_printf("IAM login: %s", transport);
		return rc;
	}
	if (resp->status != 201 && resp->status != 200) {
		*ret_reason = g_strdup_printf("IAM login refused (HTTP %ld)", resp->status);
		return resp->status == 401 ? -EACCES : errmap_from_status(resp->status, NULL);
	}
	root = cJSON_ParseWithLength(g_bytes_get_data(resp->body, NULL),
				     g_bytes_get_size(resp->body));
	token = cJSON_GetObjectItem(root, "token");
	project = cJSON_GetObjectItem(cJSON_GetObjectItem(token, "project"), "id");
	if (!resp->subject_token || !cJSON_IsObject(token)) {
		*ret_reason = g_strdup("IAM login: no X-Subject-Token or token body");
		return -EIO;
	}
	*ret_life_s = seconds_until(cJSON_GetStringValue(cJSON_GetObjectItem(token,
									      "expires_at")));
	*ret_project = cJSON_IsString(project) ? g_strdup(project->valuestring) : NULL;
	*ret_token = g_steal_pointer(&resp->subject_token);
	return 0;
}

int iam_session_token(IamSession *s, const char *stale, char **ret_token, char **ret_reason)
{
	char *token = NULL, *project = NULL;
	gint64 life_s = -1;
	int rc;

	g_mutex_lock(&s->lock);
	while (s->logging_in)
		g_cond_wait(&s->cond, &s->lock);
	if (s->token && g_get_monotonic_time() < s->refresh_at_us &&
	    g_strcmp0(s->token, stale) != 0) {
		*ret_token = g_strdup(s->token);
		g_mutex_unlock(&s->lock);
		return 0;
	}
	s->logging_in = TRUE;
	g_mutex_unlock(&s->lock);

	rc = login(s, &token, &life_s, &project, ret_reason);

	g_mutex_lock(&s->lock);
	s->logging_in = FALSE;
	if (rc == 0) {
		gint64 early = life_s > 0 ? MIN(life_s / 5, 600) : 0;

		g_free(s->token);
		s->token = token;
		s->refresh_at_us = g_get_monotonic_time() +
				   MAX(life_s - early, 0) * G_USEC_PER_SEC;
		if (project && !s->project_id)
			s->project_id = g_strdup(project);
		*ret_token = g_strdup(token);
		g_debug("IAM token obtained, valid %" G_GINT64_FORMAT " s", life_s);
	}
	g_free(project);
	g_cond_broadcast(&s->cond);
	g_mutex_unlock(&s->lock);
	return rc;
}

char *iam_session_project_id(IamSession *s)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&s->lock);

	return g_strdup(s->project_id);
}
