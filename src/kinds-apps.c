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
	.name_filter = "name",
	.json_fields = (const char *const[]){ "rule", NULL },
};

/* ---- App Streaming: ListServerGroups / ShowServerGroup (AS.3), ListServers and the
 * batch actions (sdk-operations.md), AS.2 sessions, session types ---- */

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
	.json_fields = (const char *const[]){ "flavor", "product_info", "metadata", "freeze",
		"host_address", "tags", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
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
			{ NULL },
		},
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
	.name_filter = "task_name",
	.json_fields = (const char *const[]){ "schedule_task_policy", NULL },
};
