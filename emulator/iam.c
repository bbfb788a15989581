/* iam.c — the IAM endpoint the emulator also plays (shared/auth/iam-token.md).
 *
 * Owns: POST /v3/auth/tokens (password method, project scope by id or by region name; 201,
 * X-Subject-Token, the Keystone token body) and GET /v3/projects?name=<region> (the SDK's
 * project-id discovery: the emulator's one project answers to every region name).
 * IAM errors use the Keystone shape {"error": {"code", "message", "title"}}.
 * Must not: log or echo the password or the token.
 */
#include "emulator/emulator.h"

#include <string.h>
#include <time.h>

static void reply_keystone_error(EmuResponse *resp, guint status, const char *message)
{
	cJSON *body = cJSON_CreateObject();
	cJSON *error = cJSON_AddObjectToObject(body, "error");

	cJSON_AddNumberToObject(error, "code", status);
	cJSON_AddStringToObject(error, "message", message);
	cJSON_AddStringToObject(error, "title", status == 401 ? "Unauthorized" : "Bad Request");
	emu_reply_json(resp, status, body);
}

/* The base URL the client reached us at (the catalog and links point back to it). */
static char *base_url(Emu *emu, const EmuRequest *req)
{
	const char *host = emu_request_header(req, "Host");

	return g_strdup_printf("%s://%s", emu->cfg->tls_cert ? "https" : "http",
			       host ? host : emu->cfg->host);
}

/* Stable ids for the account and the user, derived from their names. */
static char *derived_id(const char *kind, const char *name)
{
	g_autofree char *text = g_strconcat(kind, ":", name, NULL);
	char *sha = g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);

	sha[32] = '\0';
	return sha;
}

/* 2020-01-04T09:05:22.701000Z: IAM uses microseconds. */
static char *iam_time(gint64 unix_us)
{
	time_t secs = (time_t)(unix_us / G_USEC_PER_SEC);
	struct tm tm;

	gmtime_r(&secs, &tm);
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
			       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			       (int)(unix_us % G_USEC_PER_SEC));
}

static const char *get_string(cJSON *obj, const char *path)
{
	g_auto(GStrv) keys = g_strsplit(path, ".", -1);

	for (guint i = 0; keys[i] && obj; i++)
		obj = cJSON_GetObjectItemCaseSensitive(obj, keys[i]);
	return cJSON_IsString(obj) ? obj->valuestring : NULL;
}

static gboolean has_password_method(cJSON *auth)
{
	cJSON *methods = cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(auth, "identity"), "methods");
	cJSON *m;

	cJSON_ArrayForEach(m, methods)
		if (cJSON_IsString(m) && g_str_equal(m->valuestring, "password"))
			return cJSON_GetArraySize(methods) == 1;
	return FALSE;
}

static cJSON *named(const char *id, const char *name)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "name", name);
	return o;
}

static cJSON *token_body(Emu *emu, const char *url, const char *region, gboolean catalog,
			 gint64 issued_us, gint64 expires_us)
{
	const EmuConfig *cfg = emu->cfg;
	g_autofree char *domain_id = derived_id("domain", cfg->iam_domain);
	g_autofree char *user_id = derived_id("user", cfg->iam_user);
	g_autofree char *issued = iam_time(issued_us), *expires = iam_time(expires_us);
	cJSON *body = cJSON_CreateObject();
	cJSON *token = cJSON_AddObjectToObject(body, "token");
	g_autofree char *service_id = derived_id("service", "workspace");
	g_autofree char *endpoint_id = derived_id("endpoint", url);
	cJSON *arr, *item, *endpoint;

	cJSON_AddStringToObject(token, "expires_at", expires);
	cJSON_AddStringToObject(token, "issued_at", issued);
	arr = cJSON_AddArrayToObject(token, "methods");
	cJSON_AddItemToArray(arr, cJSON_CreateString("password"));
	arr = cJSON_AddArrayToObject(token, "catalog");
	if (catalog) {
		item = named(service_id, "workspace");
		cJSON_AddStringToObject(item, "type", "workspace");
		endpoint = cJSON_CreateObject();
		cJSON_AddStringToObject(endpoint, "url", url);
		cJSON_AddStringToObject(endpoint, "region", region);
		cJSON_AddStringToObject(endpoint, "region_id", region);
		cJSON_AddStringToObject(endpoint, "interface", "public");
		cJSON_AddStringToObject(endpoint, "id", endpoint_id);
		cJSON_AddItemToArray(cJSON_AddArrayToObject(item, "endpoints"), endpoint);
		cJSON_AddItemToArray(arr, item);
	}
	item = named(cfg->project_id, region);
	cJSON_AddItemToObject(item, "domain", named(domain_id, cfg->iam_domain));
	cJSON_AddItemToObject(token, "project", item);
	arr = cJSON_AddArrayToObject(token, "roles");
	cJSON_AddItemToArray(arr, named("0", "te_admin"));
	item = named(user_id, cfg->iam_user);
	cJSON_AddStringToObject(item, "password_expires_at", "");
	cJSON_AddItemToObject(item, "domain", named(domain_id, cfg->iam_domain));
	cJSON_AddItemToObject(token, "user", item);
	return body;
}

void iam_create_token(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuConfig *cfg = emu->cfg;
	g_autofree char *domain_id = derived_id("domain", cfg->iam_domain);
	const char *nocatalog = emu_request_arg(req, "nocatalog");
	const char *user, *password, *domain, *domain_by_id, *project_id, *project_name;
	g_autofree char *token = NULL, *url = NULL;
	gint64 issued_us, expires_us;
	gboolean domain_ok;
	cJSON *json, *auth;

	json = cJSON_ParseWithLength((const char *)req->body->data, req->body->len);
	auth = cJSON_GetObjectItemCaseSensitive(json, "auth");
	if (!cJSON_IsObject(auth)) {
		reply_keystone_error(resp, 400, "The request body must be {\"auth\": {...}}.");
		goto out;
	}
	if (!has_password_method(auth)) {
		reply_keystone_error(resp, 400, "wks-emulator supports only the \"password\" "
				     "identity method.");
		goto out;
	}
	user = get_string(auth, "identity.password.user.name");
	password = get_string(auth, "identity.password.user.password");
	domain = get_string(auth, "identity.password.user.domain.name");
	domain_by_id = get_string(auth, "identity.password.user.domain.id");
	project_id = get_string(auth, "scope.project.id");
	project_name = get_string(auth, "scope.project.name");
	if (!user || !password || (!domain && !domain_by_id)) {
		reply_keystone_error(resp, 400, "identity.password.user needs name, password and "
				     "domain (name or id).");
		goto out;
	}
	if (!project_id && !project_name) {
		reply_keystone_error(resp, 400, "auth.scope.project (id or name) is required; "
				     "wks-emulator issues project-scoped tokens only.");
		goto out;
	}
	domain_ok = domain ? g_str_equal(domain, cfg->iam_domain)
			   : g_str_equal(domain_by_id, domain_id);
	if (!g_str_equal(user, cfg->iam_user) || !signer_equal(password, cfg->iam_password) ||
	    !domain_ok) {
		reply_keystone_error(resp, 401, "The username or password is wrong.");
		goto out;
	}
	if (project_id && !g_str_equal(project_id, cfg->project_id)) {
		reply_keystone_error(resp, 401, "The project in auth.scope does not exist in "
				     "this account.");
		goto out;
	}

	url = base_url(emu, req);
	token = token_store_issue(emu->tokens, cfg->token_ttl, &issued_us, &expires_us);
	emu_reply_json(resp, 201, token_body(emu, url, project_name ? project_name :
					     EMU_DEFAULT_REGION, !nocatalog || !*nocatalog,
					     issued_us, expires_us));
	emu_reply_header(resp, "X-Subject-Token", token);
out:
	cJSON_Delete(json);
}

void iam_list_projects(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuConfig *cfg = emu->cfg;
	const char *name = emu_request_arg(req, "name");
	g_autofree char *domain_id = derived_id("domain", cfg->iam_domain);
	g_autofree char *url = base_url(emu, req);
	g_autofree char *self = g_strdup_printf("%s/v3/projects/%s", url, cfg->project_id);
	cJSON *body = cJSON_CreateObject();
	cJSON *project = cJSON_CreateObject();
	cJSON *links;

	cJSON_AddStringToObject(project, "id", cfg->project_id);
	cJSON_AddStringToObject(project, "name", name && *name ? name : EMU_DEFAULT_REGION);
	cJSON_AddStringToObject(project, "domain_id", domain_id);
	cJSON_AddStringToObject(project, "description", "");
	cJSON_AddBoolToObject(project, "enabled", TRUE);
	cJSON_AddBoolToObject(project, "is_domain", FALSE);
	cJSON_AddStringToObject(project, "parent_id", domain_id);
	links = cJSON_AddObjectToObject(project, "links");
	cJSON_AddStringToObject(links, "self", self);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "projects"), project);
	links = cJSON_AddObjectToObject(body, "links");
	cJSON_AddNullToObject(links, "next");
	cJSON_AddNullToObject(links, "previous");
	cJSON_AddStringToObject(links, "self", self);
	emu_reply_json(resp, 200, body);
}
