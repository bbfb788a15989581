/* kinds-apps.c — Application Streaming (-o appstream_endpoint), as data. App Streaming lists
 * answer {"count", "items"} and take limit 1-100 (the SDK's request models,
 * sdk-operations.md).
 * Must not: hold code; resources.c keeps the lookups and the one list of kinds.
 */
#include "src/kinds.h"

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
			{ "start", NULL, ARG_NONE, "/v1/{project_id}/app-servers/actions/batch-start" },
			{ "stop", NULL, ARG_HARD, "/v1/{project_id}/app-servers/actions/batch-stop" },
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
