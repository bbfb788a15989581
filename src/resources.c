/* resources.c — every resource kind as data: list and detail paths, paging, ids and names,
 * file aliases, writable fields, actions, links, create bodies and views. Adding a kind is one
 * entry here plus its tests; the FUSE operations never change for it. Paths, wrappers, page
 * limits, total fields, body fields and enum values are the API's own (shared/api/
 * catalog.json, resources.md, sdk-operations.md).
 */
#include "src/resources.h"

#include <string.h>

/* ---- desktops: 4.3.8 list (full objects), 4.3.5 detail, 4.3.9 actions ---- */

static const ResVerb desktop_verbs[] = {
	{ "start", "os-start", ARG_HARD, NULL },
	{ "stop", "os-stop", ARG_HARD, NULL },
	{ "reboot", "reboot", ARG_HARD, NULL },
	{ "hibernate", "os-hibernate", ARG_HARD, NULL },
	{ NULL },
};

/* 4.3.1: the body (Table 4-292 ... 4-298), answered by a job that creates the desktops. */
static const ResBodyField volume_body[] = {
	{ "type", BODY_STRING, TRUE },
	{ "size", BODY_INTEGER, TRUE },
	{ NULL },
};

static const ResBodyField desktop_create_body[] = {
	{ "desktop_type", BODY_STRING, TRUE },
	{ "availability_zone", BODY_STRING },
	{ "product_id", BODY_STRING, TRUE },
	{ "image_type", BODY_STRING, TRUE },
	{ "image_id", BODY_STRING, TRUE },
	{ "root_volume", BODY_OBJECT, TRUE, .fields = volume_body },
	{ "data_volumes", BODY_ARRAY, .items = BODY_OBJECT, .fields = volume_body },
	{ "nics", BODY_ARRAY, .items = BODY_OBJECT,
	  .fields = (const ResBodyField[]){ { "subnet_id", BODY_STRING, TRUE }, { NULL } } },
	{ "security_groups", BODY_ARRAY, .items = BODY_OBJECT,
	  .fields = (const ResBodyField[]){ { "id", BODY_STRING, TRUE }, { NULL } } },
	{ "desktops", BODY_ARRAY, .items = BODY_OBJECT,
	  .fields = (const ResBodyField[]){
		  { "user_name", BODY_STRING, TRUE },
		  { "user_email", BODY_STRING },
		  { "user_phone", BODY_STRING },
		  { "user_group", BODY_STRING },
		  { "computer_name", BODY_STRING },
		  { "os_host_name", BODY_STRING },
		  { "desktop_name_prefix", BODY_STRING },
		  { NULL },
	  } },
	{ "desktop_name", BODY_STRING },
	{ "desktop_ips", BODY_ARRAY, .items = BODY_STRING },
	{ "size", BODY_INTEGER },
	{ "email_notification", BODY_BOOLEAN },
	{ "enterprise_project_id", BODY_STRING },
	{ "tags", BODY_ARRAY, .items = BODY_OBJECT,
	  .fields = (const ResBodyField[]){
		  { "key", BODY_STRING, TRUE },
		  { "value", BODY_STRING },
		  { NULL },
	  } },
	{ "apply_shared_vpc_dedicated_param", BODY_OBJECT,
	  .fields = (const ResBodyField[]){
		  { "address", BODY_STRING },
		  { "port", BODY_INTEGER },
		  { "availability_zone", BODY_ARRAY, .items = BODY_STRING },
		  { NULL },
	  } },
	{ "eip", BODY_OBJECT,
	  .fields = (const ResBodyField[]){
		  { "id", BODY_STRING },
		  { "type", BODY_STRING },
		  { "charge_mode", BODY_STRING },
		  { "bandwidth_size", BODY_INTEGER },
		  { NULL },
	  } },
	{ "desktop_name_policy_id", BODY_STRING },
	{ "hour_package_product_id", BODY_STRING },
	{ "hour_package_offering_id", BODY_STRING },
	{ NULL },
};

static const ResKind desktops = {
	.dir = "desktops",
	.list_path = "/v2/{project_id}/desktops/detail",
	.page_limit = 500,
	.total_field = "total_count",
	.array_key = "desktops",
	.id_field = "desktop_id",
	.name_field = "desktop_id",
	.detail_path = "/v2/{project_id}/desktops/{id}",
	.detail_wrapper = "desktop",
	.delete_path = "/v2/{project_id}/desktops/{id}",
	/* 4.3.8 DesktopDetailInfo: the Map and object-typed fields. */
	.json_fields = (const char *const[]){ "addresses", "metadata", "flavor",
		"security_groups", "attach_user_infos", "root_volume", "data_volumes", "product",
		"tags", "hour_package_info", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){
		/* 4.3.3 */
		{ "computer_name", FIELD_COMPUTER_NAME, 15, "PUT", "/v2/{project_id}/desktops/{id}",
		  "desktop", NULL },
		/* 4.3.27 */
		{ "in_maintenance_mode", FIELD_BOOL, 5, "PUT",
		  "/v2/{project_id}/desktops/maintenance-mode", NULL, "desktop_ids" },
		{ NULL },
	},
	.action = &(const ResAction){
		.method = "POST",
		.path = "/v2/{project_id}/desktops/action",
		.ids_field = "desktop_ids",
		.op_field = "op_type",
		.type_field = "type",
		.verbs = desktop_verbs,
		/* 4.3.9: {"job_id", "failed_operation_list": [VmOperateResult]}. It states
		 * no maximum; 100 ids a call, as the other batch bodies (4.12.x). App servers'
		 * batch-* answer only a job_id, all or nothing, so they are not batched: one
		 * server's refusal would become every writer's. */
		.failed_list = "failed_operation_list",
		.failed_id = "desktop_id",
		.batch_limit = 100,
	},
	.links = (const ResLink[]){
		{ "users", "users", LINK_FIELD, "user_list" },
		{ NULL },
	},
	/* A desktop for a user that does not exist yet registers the user too. */
	.create = &(const ResCreate){ "POST", "/v2/{project_id}/desktops", desktop_create_body,
				      .job_field = "job_id", .also_changes = "users" },
};

/* ---- users: 4.8.1 list, 4.8.5 modify, 4.8.8 actions ---- */

#define USER_PUT "/v2/{project_id}/users/{id}"

static const ResKind users = {
	.dir = "users",
	.list_path = "/v2/{project_id}/users",
	/* 4.8.1 states no maximum; 1000 keeps pages the size of the desktop ones. */
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "users",
	.id_field = "id",
	.name_field = "user_name",
	.name_filter = "user_name",
	.delete_path = "/v2/{project_id}/users/{id}",
	.json_fields = (const char *const[]){ NULL },
	.aliases = (const ResAlias[]){
		{ "email", "user_email" },
		{ "phone", "user_phone" },
		{ NULL },
	},
	.fields = (const ResField[]){
		{ "user_email", FIELD_EMAIL, 128, "PUT", USER_PUT, NULL, NULL },
		{ "user_phone", FIELD_PHONE, 32, "PUT", USER_PUT, NULL, NULL },
		{ "description", FIELD_STRING, 255, "PUT", USER_PUT, NULL, NULL },
		{ NULL },
	},
	.action = &(const ResAction){
		.method = "POST",
		.path = "/v2/{project_id}/users/{id}/actions",
		.op_field = "op_type",
		.verbs = (const ResVerb[]){
			{ "lock", "LOCK", ARG_NONE, NULL },
			{ "unlock", "UNLOCK", ARG_NONE, NULL },
			{ "reset-password", "RESET_PWD", ARG_NONE, NULL },
			{ NULL },
		},
	},
	.links = (const ResLink[]){
		{ "desktops", "desktops", LINK_REVERSE, "user_list" },
		{ NULL },
	},
	/* 4.8.2: 201 {"id"}. */
	.create = &(const ResCreate){ "POST", "/v2/{project_id}/users",
		(const ResBodyField[]){
			{ "user_name", BODY_STRING, TRUE },
			{ "user_email", BODY_STRING },
			{ "account_expires", BODY_STRING },
			{ "active_type", BODY_STRING },
			{ "user_phone", BODY_STRING },
			{ "password", BODY_STRING, .secret = TRUE },
			{ "enable_change_password", BODY_BOOLEAN },
			{ "next_login_change_password", BODY_BOOLEAN },
			{ "group_ids", BODY_ARRAY, .items = BODY_STRING },
			{ "description", BODY_STRING },
			{ "alias_name", BODY_STRING },
			{ "enterprise_project_id", BODY_STRING },
			{ "user_info_map", BODY_STRING },
			{ NULL },
		},
		.name_field = "user_name", .id_field = "id", .also_changes = "user-groups" },
};

/* ---- user groups: 4.9.1 list, 4.9.6 membership, 4.9.7 members ---- */

static const ResKind user_groups = {
	.dir = "user-groups",
	.list_path = "/v2/{project_id}/groups",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "user_groups",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "keyword",	/* matches loosely; the exact name is picked out */
	.json_fields = (const char *const[]){ NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
	.action = &(const ResAction){
		.method = "POST",
		.path = "/v2/{project_id}/groups/{id}/actions",
		.op_field = "op_type",
		.arg_field = "user_ids",
		.verbs = (const ResVerb[]){
			{ "add", "ADD", ARG_USER, NULL },
			{ "remove", "DELETE", ARG_USER, NULL },
			{ NULL },
		},
	},
	.links = (const ResLink[]){
		{ "members", "users", LINK_SUBLIST, NULL, "/v2/{project_id}/groups/{id}/users",
		  "users", "total_count", "user_name", 2000 },
		{ NULL },
	},
	/* 4.9.2: 201 without a body. */
	.create = &(const ResCreate){ "POST", "/v2/{project_id}/groups",
		(const ResBodyField[]){
			{ "group_name", BODY_STRING, TRUE },
			{ "platform_type", BODY_STRING, TRUE },
			{ "description", BODY_STRING },
			{ NULL },
		},
		.name_field = "group_name" },
};

/* ---- desktop pools: 4.4.2 list, 4.4.5 detail, 4.4.12 actions, 4.4.15 desktops ---- */

static const ResKind desktop_pools = {
	.dir = "desktop-pools",
	.list_path = "/v2/{project_id}/desktop-pools",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "desktop_pools",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "name",
	.json_fields = (const char *const[]){ "product", "root_volume", "data_volumes",
		"security_groups", "autoscale_policy", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
	.action = &(const ResAction){
		.method = "POST",
		.path = "/v2/{project_id}/desktop-pools/{id}/action",
		.op_field = "op_type",
		.type_field = "type",
		.verbs = (const ResVerb[]){
			{ "start", "os-start", ARG_HARD, NULL },
			{ "stop", "os-stop", ARG_HARD, NULL },
			{ "reboot", "reboot", ARG_HARD, NULL },
			{ "hibernate", "hibernate", ARG_HARD, NULL },
			{ NULL },
		},
	},
	.links = (const ResLink[]){
		{ "desktops", "desktops", LINK_SUBLIST, NULL,
		  "/v2/{project_id}/desktop-pools/{id}/desktops", "pool_desktops", "total_count",
		  "desktop_id", 100 },
		{ NULL },
	},
};

/* ---- App Streaming: ListServerGroups / ShowServerGroup (AS.3), ListServers and the
 * batch actions (sdk-operations.md), AS.2 sessions, session types ---- */

static const ResKind app_server_groups = {
	.dir = "app-server-groups",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/app-server-groups",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "server_group_name",
	.json_fields = (const char *const[]){ "product_info", "scaling_policy", "tags", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
	.links = (const ResLink[]){
		{ "servers", "app-servers", LINK_MATCH, "server_group_id" },
		{ NULL },
	},
};

static const ResKind app_servers = {
	.dir = "app-servers",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/app-servers",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "server_name",
	.json_fields = (const char *const[]){ "flavor", "product_info", "metadata", "freeze",
		"host_address", "tags", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
	.action = &(const ResAction){
		.method = "PATCH",
		.ids_field = "items",
		.type_field = "type",
		.verbs = (const ResVerb[]){
			{ "start", NULL, ARG_NONE, "/v1/{project_id}/app-servers/actions/batch-start" },
			{ "stop", NULL, ARG_HARD, "/v1/{project_id}/app-servers/actions/batch-stop" },
			{ "reboot", NULL, ARG_HARD,
			  "/v1/{project_id}/app-servers/actions/batch-reboot" },
			{ NULL },
		},
	},
};

static const ResKind app_sessions = {
	.dir = "app-sessions",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/session/list-sessions",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.session_window = TRUE,
	.id_field = "id",
	.name_field = "id",
	.json_fields = (const char *const[]){ NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
};

static const ResKind session_types = {
	.dir = "session-types",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/session-type",
	.array_key = "session_types",
	.id_field = "resource_spec_code",
	.name_field = "resource_spec_code",
	.json_fields = (const char *const[]){ NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
};

/* ---- jobs: 4.28.1; the listing is the jobs this mount's actions started ---- */

static const ResKind jobs = {
	.dir = "jobs",
	.id_field = "id",
	.name_field = "id",
	.detail_path = "/v2/{project_id}/workspace-jobs/{id}",
	.ttl_s = 1,	/* a running job changes by the second */
	.waitable = TRUE,
	.json_fields = (const char *const[]){ "sub_jobs", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
};

const ResKind *const res_kinds[] = {
	&desktops, &users, &user_groups, &desktop_pools, &app_server_groups, &app_servers,
	&app_sessions, &session_types, &jobs, NULL,
};

const ResView res_views[] = {
	{ "desktops-by-name", "desktops", "computer_name", FALSE },
	{ "desktops-by-status", "desktops", "status", TRUE },
	{ NULL },
};

const ResKind *res_kind_lookup(const char *dir)
{
	for (int i = 0; dir && res_kinds[i]; i++)
		if (strcmp(res_kinds[i]->dir, dir) == 0)
			return res_kinds[i];
	return NULL;
}

int res_kind_index(const ResKind *kind)
{
	for (int i = 0; res_kinds[i]; i++)
		if (res_kinds[i] == kind)
			return i;
	return -1;
}

const ResView *res_view_lookup(const char *dir)
{
	for (const ResView *v = res_views; dir && v->dir; v++)
		if (strcmp(v->dir, dir) == 0)
			return v;
	return NULL;
}

const ResLink *res_link_lookup(const ResKind *kind, const char *dir)
{
	for (const ResLink *l = kind->links; l && l->dir; l++)
		if (strcmp(l->dir, dir) == 0)
			return l;
	return NULL;
}

const char *res_field_name(const ResKind *kind, const char *file)
{
	for (const ResAlias *a = kind->aliases; a->file; a++)
		if (strcmp(a->file, file) == 0)
			return a->field;
	return file;
}

const char *res_field_file(const ResKind *kind, const ResField *field)
{
	for (const ResAlias *a = kind->aliases; a->file; a++)
		if (strcmp(a->field, field->field) == 0)
			return a->file;
	return field->field;
}

const ResField *res_field_for_file(const ResKind *kind, const char *file)
{
	const char *field = res_field_name(kind, file);

	for (const ResField *f = kind->fields; f->field; f++)
		if (strcmp(f->field, field) == 0)
			return f;
	return NULL;
}

gboolean res_is_json_field(const ResKind *kind, const char *field)
{
	for (const char *const *f = kind->json_fields; f && *f; f++)
		if (strcmp(*f, field) == 0)
			return TRUE;
	return FALSE;
}

gboolean res_is_reserved_file(const ResKind *kind, const char *file)
{
	return strcmp(file, "info.json") == 0 || (kind->action && strcmp(file, "action") == 0) ||
	       (kind->waitable && strcmp(file, "wait") == 0) ||
	       res_link_lookup(kind, file) != NULL;
}
