/* kinds-apps.c — the App Center (Workspace /v1/{project_id}/app-center/..., on the
 * Workspace endpoint) and Application Streaming (-o appstream_endpoint), as data. App
 * Streaming lists answer {"count", "items"} and take limit 1-100 (the SDK's request models,
 * sdk-operations.md); App Center lists document the same.
 * Must not: hold code; resources.c keeps the lookups and the one list of kinds.
 */
#include "src/kinds.h"

/* ---- App Center: 4.31.3 apps, 4.31.15 categories (no paging), 4.32.2 app rules ---- */

const ResKind res_apps = {
	.dir = "apps",
	.list_path = "/v1/{project_id}/app-center/apps",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/app-center/apps/{id}" },
	.name_filter = "name",
	.json_fields = (const char *const[]){ "app_file_store", NULL },
};

const ResKind res_app_catalogs = {
	.dir = "app-catalogs",
	.list_path = "/v1/{project_id}/app-center/app-catalogs",
	.array_key = "items",
	.id_field = "id",
	.name_field = "id",
	.default_ttl_s = 3600,
};

const ResKind res_app_rules = {
	.dir = "app-rules",
	.list_path = "/v1/{project_id}/app-center/app-rules",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/app-center/app-rules/{id}" },
	.name_filter = "name",
	.json_fields = (const char *const[]){ "rule", NULL },
};

/* ---- App Streaming: ListServerGroups / ShowServerGroup (AS.3), ListServers, ShowServer and
 * the batch actions (sdk-operations.md and the SDK's models), AS.2 sessions and
 * LogoffUserSession, session types ---- */

const ResKind res_app_server_groups = {
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

const ResKind res_app_servers = {
	.dir = "app-servers",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/app-servers",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "server_name",
	/* ShowServer: one server by its id, once a listing or a lookup by name gave it. */
	.detail_path = "/v1/{project_id}/app-servers/{id}",
	/* AppServer's object-typed fields, and those ShowServer adds. */
	.json_fields = (const char *const[]){ "flavor", "product_info", "metadata", "freeze",
		"host_address", "tags", "addresses", "root_volume", "data_volumes",
		"security_groups", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){
		/* BatchChangeServerMaintainMode: {"items": [id], "maintain_status": bool} */
		{ "maintain_status", FIELD_BOOL, 5, "PATCH",
		  "/v1/{project_id}/app-servers/actions/batch-maint", NULL, "items" },
		{ NULL },
	},
	.action = &(const ResAction){
		.method = "PATCH",
		.ids_field = "items",
		.type_field = "type",
		.verbs = (const ResVerb[]){
			{ "start", NULL, ARG_NONE,
			  "/v1/{project_id}/app-servers/actions/batch-start" },
			{ "stop", NULL, ARG_HARD,
			  "/v1/{project_id}/app-servers/actions/batch-stop" },
			{ "reboot", NULL, ARG_HARD,
			  "/v1/{project_id}/app-servers/actions/batch-reboot" },
			/* BatchRejoinDomain: the one of these whose answer names a job. */
			{ "rejoin-domain", NULL, ARG_NONE,
			  "/v1/{project_id}/app-servers/actions/batch-rejoin-domain" },
			{ NULL },
		},
		.job_path = "/v2/{project_id}/job/{id}",
		/* The start, stop and reboot answers carry nothing: the server shows its
		 * transition in task_status (AppServerTaskStatus) until it is over. These
		 * values are no transition: nothing set, or how one ended. */
		.busy_field = "task_status",
		.idle_values = (const char *const[]){ "null", "rebuild_fail",
			"updating_tsvi_failed", "delete_failed", "upgrad_access_agent_fail",
			"upgrad_access_agent_success", "migrate_failed", "install_app_failed",
			NULL },
	},
};

const ResKind res_app_sessions = {
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
	/* LogoffUserSession: at once (delay_time 0), with an "info" notice (message_type 0);
	 * both are mandatory in LogoffUserSessionReq. */
	.action = &(const ResAction){
		.method = "POST",
		.path = "/v1/{project_id}/session/logoff",
		.ids_field = "session_ids",
		.verbs = (const ResVerb[]){ { "logoff", NULL, ARG_NONE, NULL }, { NULL } },
		.fixed_body = "{\"message_type\":0,\"delay_time\":0}",
	},
};

const ResKind res_session_types = {
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


/* ---- ListAppGroup, with apps/ from ListPublishedApp ---- */

static const ResKind published_apps = {
	.dir = "apps",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/app-groups/{id}/apps",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.json_fields = (const char *const[]){ "app_extended_info", NULL },
};

const ResKind res_app_groups = {
	.dir = "app-groups",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/app-groups",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/app-groups/{id}" },
	.name_filter = "name",
	.links = (const ResLink[]){
		{ "apps", NULL, LINK_OBJECTS, .objects = &published_apps },
		{ NULL },
	},
};

/* ---- ListImageServers, ListPersistentStorage, ListPolicyGroup, ListScheduleTasks ---- */

const ResKind res_image_servers = {
	.dir = "image-servers",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/image-servers",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.name_filter = "server_name",
	.json_fields = (const char *const[]){ "image_ref", "authorize_accounts", NULL },
};

const ResKind res_app_storages = {
	.dir = "app-storages",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/persistent-storages",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/persistent-storages/{id}" },
	.name_filter = "name",
	.json_fields = (const char *const[]){ "storage_metadata", NULL },
};

const ResKind res_app_policy_groups = {
	.dir = "app-policy-groups",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/policy-groups",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/policy-groups/{id}" },
	.name_filter = "policy_group_name",
	.json_fields = (const char *const[]){ "targets", "policies", NULL },
};

const ResKind res_app_scheduled_tasks = {
	.dir = "app-scheduled-tasks",
	.service = SERVICE_APPSTREAM,
	.list_path = "/v1/{project_id}/schedule-task",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "id",
	.name_field = "task_name",
	.delete = &(const ResDelete){ "DELETE", "/v1/{project_id}/schedule-task/{id}" },
	.name_filter = "task_name",
	.json_fields = (const char *const[]){ "schedule_task_policy", NULL },
};
