/* kinds-core.c — the kinds wksfs began with, as data: desktops, users, user groups, desktop
 * pools, and jobs, with the tenant's sub-jobs. Paths, wrappers, page limits, total fields
 * and enum values are the API's own (shared/api/catalog.json, resources.md).
 * Must not: hold code; resources.c keeps the lookups and the one list of kinds.
 */
#include "src/kinds.h"

/* ---- desktops: 4.3.8 list (full objects), 4.3.5 detail, 4.3.9 actions ---- */

static const ResVerb desktop_verbs[] = {
	{ "start", "os-start", ARG_HARD, NULL },
	{ "stop", "os-stop", ARG_HARD, NULL },
	{ "reboot", "reboot", ARG_HARD, NULL },
	{ "hibernate", "os-hibernate", ARG_HARD, NULL },
	{ NULL },
};

const ResKind res_desktops = {
	.dir = "desktops",
	.list_path = "/v2/{project_id}/desktops/detail",
	.page_limit = 500,
	.total_field = "total_count",
	.array_key = "desktops",
	.id_field = "desktop_id",
	.name_field = "desktop_id",
	.detail_path = "/v2/{project_id}/desktops/{id}",
	.detail_wrapper = "desktop",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/desktops/{id}",
				      .also_changes = "users" },
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
	/* 4.3.8 carries each desktop's tags; 4.6.1 lists them, 4.6.2 creates or overwrites
	 * one, 4.6.3 deletes one (and answers 204 for a key that is not there). Tag rules:
	 * a key of 1-128 characters, a value of at most 43, at most 10 tags (4.6.2). */
	.tags = &(const ResTags){
		.dir = "tags",
		.field = "tags",
		.key = "key",
		.value = "value",
		.list_path = "/v2/{project_id}/desktops/{id}/tags",
		.set_path = "/v2/{project_id}/desktops/{id}/tags",
		.set_wrapper = "tag",
		.delete_path = "/v2/{project_id}/desktops/{id}/tags/{key}",
		.max_tags = 10,
		.key_max = 128,
		.value_max = 43,
	},
	.create = &res_create_desktops,	/* 4.3.1 */
};

/* ---- users: 4.8.1 list, 4.8.5 modify, 4.8.8 actions ---- */

#define USER_PUT "/v2/{project_id}/users/{id}"

const ResKind res_users = {
	.dir = "users",
	.list_path = "/v2/{project_id}/users",
	/* 4.8.1 states no maximum; 1000 keeps pages the size of the desktop ones. */
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "users",
	.id_field = "id",
	.name_field = "user_name",
	.name_filter = "user_name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/users/{id}",
				      .also_changes = "user-groups" },
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
		/* 4.8.1 User.group_names: the groups the user is in, by name. */
		{ "groups", "user-groups", LINK_FIELD, "group_names" },
		{ NULL },
	},
	.create = &res_create_users,	/* 4.8.2 */
};

/* ---- user groups: 4.9.1 list, 4.9.6 membership, 4.9.7 members ---- */

const ResKind res_user_groups = {
	.dir = "user-groups",
	.list_path = "/v2/{project_id}/groups",
	.page_limit = 100,
	.total_field = "total_count",
	.array_key = "user_groups",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/groups/{id}",
				      .also_changes = "users" },
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
	.create = &res_create_user_groups,	/* 4.9.2 */
};

/* ---- desktop pools: 4.4.2 list, 4.4.5 detail, 4.4.12 actions, 4.4.15 desktops ---- */

const ResKind res_desktop_pools = {
	.dir = "desktop-pools",
	.list_path = "/v2/{project_id}/desktop-pools",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "desktop_pools",
	.id_field = "id",
	.name_field = "name",
	.delete = &(const ResDelete){ "DELETE", "/v2/{project_id}/desktop-pools/{id}" },
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

/* ---- jobs: 4.28.1; the listing is the jobs this mount's actions started ---- */

const ResKind res_jobs = {
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

/* ---- sub-jobs: 4.28.2, every sub-job of the tenant, not only this mount's ---- */

const ResKind res_sub_jobs = {
	.dir = "sub-jobs",
	.list_path = "/v2/{project_id}/workspace-sub-jobs",
	.page_limit = 1000,
	.total_field = "total_count",
	.array_key = "jobs",
	.id_field = "id",
	.name_field = "id",
	.delete = &(const ResDelete){ "POST", "/v2/{project_id}/workspace-sub-jobs/batch-delete",
				      "job_ids" },
	.ttl_s = 10,	/* running sub-jobs move; the whole tenant's list is long */
	/* JobDetailInfo */
	.json_fields = (const char *const[]){ "entities", NULL },
};
