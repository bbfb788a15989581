/* kinds-policy.c — policies, automation, audit and monitoring, as data: policy groups (their
 * policies.json writable, their targets/), access policies, scripts (their content
 * writable) and their executions, scheduled tasks with their
 * run records, snapshots, screen recordings, notification rules, alarms, and two
 * singletons: the desktop statistics (four GETs, one directory) and the online users.
 * Paths, arrays, page limits and total fields are the API's own (shared/api/catalog.json).
 * Nothing here is a GET with a side effect: screen recordings' download addresses (4.19.4)
 * and the exports stay out.
 * Must not: hold code; resources.c keeps the lookups and the one list of kinds.
 */
#include "src/kinds.h"

/* ---- policy groups: 4.14.10 list (full objects, limit 0-100), 4.14.4 detail; policies.json
 * through 4.14.7 (the API merges: items left out keep their values), targets/ from 4.14.8
 * (limit 0-1000, total_count) ---- */

/* The objects a group applies to mix six types (INSTANCE, USER, USERGROUP, OU, CLIENTIP,
 * DESKTOPSPOOL, or ALL): half of them no kind lists, and a desktop is named by its SID,
 * which desktops/ does not use. So each target is a directory of its own files
 * (target_id, target_name, target_type), named by its id: names repeat across types (a user
 * and a group both "finance"), ids do not. */
static const ResKind policy_group_targets = {
	.dir = "targets",
	.list_path = "/v2/{project_id}/policy-groups/{id}/targets",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "targets",
	.id_field = "target_id",
	.name_field = "target_id",
};

const ResKind res_policy_groups = {
	.dir = "policy-groups",
	.list_path = "/v2/{project_id}/policy-groups/detail",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "policy_groups",
	.id_field = "policy_group_id",
	.name_field = "policy_group_name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/policy-groups/{id}" },
	.name_filter = "policy_group_name",
	.detail_path = "/v2/{project_id}/policy-groups/{id}",
	.detail_wrapper = "policy_group",
	.create = &res_create_policy_groups,	/* 4.14.2 */
	.json_fields = (const char *const[]){ "policies", "targets", NULL },
	.aliases = (const ResAlias[]){ { "policies.json", "policies" }, { NULL } },
	.fields = (const ResField[]){
		{ "policies", FIELD_JSON, 64 * 1024, "PUT",
		  "/v2/{project_id}/policy-groups/{id}/policies", .body = res_policies_body },
		{ NULL },
	},
	.links = (const ResLink[]){
		{ "targets", NULL, LINK_OBJECTS, .objects = &policy_group_targets },
		{ NULL },
	},
};

/* ---- access policies: 4.14.13, limit 0-100, total "total" ---- */

const ResKind res_access_policies = {
	.dir = "access-policies",
	.list_path = "/v2/{project_id}/access-policy",
	.page_limit = 100,
	.total_field = "total",
	.array_key = "policies",
	.id_field = "policy_id",
	.name_field = "policy_id",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/access-policy",
				      "policy_id_list" },
	.json_fields = (const char *const[]){ "ip_list", NULL },
};

/* ---- scripts: 4.24.2 list (brief: no content), 4.24.3 detail; limit 1-100; content
 * through 4.24.4, whose body must hold the script's name with its content: the name, the
 * description and the version go along as the cached object has them, so they stay ---- */

const ResKind res_scripts = {
	.dir = "scripts",
	.list_path = "/v2/{project_id}/scripts",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "scripts",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/scripts/{id}" },
	.name_filter = "name",
	.detail_path = "/v2/{project_id}/scripts/{id}",
	.fields = (const ResField[]){
		{ "content", FIELD_TEXT, 64 * 1024, "PUT", "/v2/{project_id}/scripts/{id}",
		  .carry = (const char *const[]){ "name", "description", "version", NULL },
		  .detail_only = TRUE },
		{ NULL },
	},
	.create = &res_create_scripts,	/* 4.24.1 */
};

/* ---- script executions: 4.24.8 records (limit 1-100), 4.24.7 detail ---- */

const ResKind res_script_executions = {
	.dir = "script-executions",
	.list_path = "/v2/{project_id}/script-execution-records",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "script_records",
	.id_field = "id",
	.name_field = "id",
	.detail_path = "/v2/{project_id}/script-execution-records/{id}",
};

/* ---- scheduled tasks: 4.20.1 (offset and limit mandatory, limit 0-50), 4.20.3 detail,
 * 4.20.8 run records (limit 0-100) ---- */

static const ResKind scheduled_task_records = {
	.dir = "records",
	.list_path = "/v2/{project_id}/scheduled-tasks/{id}/records",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "tasks_records",
	.id_field = "id",
	.name_field = "id",
};

const ResKind res_scheduled_tasks = {
	.dir = "scheduled-tasks",
	.list_path = "/v2/{project_id}/scheduled-tasks",
	.page_limit = 50,
	.total_field = "total_count",
	.array_key = "scheduled_tasks",
	.id_field = "id",
	.name_field = "task_name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/scheduled-tasks/{id}" },
	.name_filter = "task_name",
	.detail_path = "/v2/{project_id}/scheduled-tasks/{id}",
	.create = &res_create_scheduled_tasks,	/* 4.20.2 */
	.links = (const ResLink[]){
		{ "records", NULL, LINK_OBJECTS, .objects = &scheduled_task_records },
		{ NULL },
	},
};

/* ---- snapshots: 4.12.4, limit 1-1000 ---- */

const ResKind res_snapshots = {
	.dir = "snapshots",
	.list_path = "/v2/{project_id}/snapshots",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "desktop_snapshots",
	.id_field = "snapshot_id",
	.name_field = "snapshot_id",
	.create = &res_create_snapshots,	/* 4.12.1 */
	.delete = &(const ResDelete){ "POST", "/v2/{project_id}/snapshots/batch-delete",
				      "snapshot_ids", .job_field = "job_id" },
};

/* ---- screen recordings: 4.19.1 (limit 0-100; the last 15 days unless asked), 4.19.2 ---- */

const ResKind res_screen_records = {
	.dir = "screen-records",
	.list_path = "/v2/{project_id}/screen-records",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "screen_records",
	.id_field = "id",
	.name_field = "id",
	.delete = &(const ResDelete){ "POST", "/v2/{project_id}/screen-records/batch-delete",
				      "screen_records", "id", .job_field = "job_id" },
	.detail_path = "/v2/{project_id}/screen-records/{id}",
};

/* ---- notification rules: 4.21.7, limit 1-100 ---- */

const ResKind res_notify_rules = {
	.dir = "notify-rules",
	.list_path = "/v2/{project_id}/statistics/notify-rules",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "items",
	.id_field = "rule_id",
	.name_field = "rule_id",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/statistics/notify-rules/{id}" },
	.name_filter = "rule_id",
};

/* ---- alarms: 4.22.1 (default limit 100, no maximum stated) ---- */

const ResKind res_alarms = {
	.dir = "alarms",
	.list_path = "/v2/{project_id}/alarms",
	.page_limit = 100,
	.total_field = "count",
	.array_key = "alarm_histories",
	.id_field = "record_id",
	.name_field = "record_id",
	/* AlarmHistoryItem */
	.json_fields = (const char *const[]){ "metric", "condition", "additional_info",
		"data_points", NULL },
};

/* ---- statistics: 4.21.14 run state, 4.21.15 login state, 4.21.16 desktops unused since
 * yesterday (one page: limit 2000, the API's maximum; total_count counts them all), 4.22.2
 * alarm counts — one directory ---- */

#define RUN_STATE_GET "/v2/{project_id}/desktops/statistics/run-state"

const ResKind res_statistics = {
	.dir = "statistics",
	.list_path = RUN_STATE_GET,
	.parts = (const ResPart[]){
		{ RUN_STATE_GET },
		{ "/v2/{project_id}/desktops/statistics/login-state" },
		{ "/v2/{project_id}/desktops/statistics/unused",
		  (const char *const[]){ "offset", "0", "limit", "2000", NULL } },
		{ "/v2/{project_id}/statistics/alarms" },
		{ NULL },
	},
	.json_fields = (const char *const[]){ "unused_desktops", NULL },
};

/* ---- online users: 4.13.4, today's logins by hour (query_type DAY) ---- */

#define ONLINE_USERS_GET "/v2/{project_id}/connections/online-users"

const ResKind res_online_users = {
	.dir = "online-users",
	.list_path = ONLINE_USERS_GET,
	.parts = (const ResPart[]){
		{ ONLINE_USERS_GET, (const char *const[]){ "query_type", "DAY", NULL } },
		{ NULL },
	},
};
