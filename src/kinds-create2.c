/* kinds-create2.c — the create endpoints of the policy and tenant kinds, as data: policy
 * groups (4.14.2), scripts (4.24.1), scheduled tasks (4.20.2), desktop name policies
 * (4.5.2), OUs (4.10.2) and snapshots (4.12.1, a job). Each kind's ResKind points at its
 * entry (.create); `<kind>/.create` takes the body (src/create.c). Fields, types and
 * mandatory flags are the API Reference's (catalog.json, request_body and objects); where
 * the reference contradicts itself the official SDK's model decides (said at the entry).
 * Users, user groups and desktops are in kinds-create.c.
 * Must not: hold code.
 */
#include "src/kinds.h"

/* ---- policy groups: 4.14.2, {"policy_group": PolicyGroupForCreate}, answered 201 {"id"} ---- */

static const ResBodyField target_body[] = {
	{ "target_id", BODY_STRING },
	{ "target_name", BODY_STRING },
	{ "target_type", BODY_STRING },
	{ NULL },
};

static const ResBodyField policy_group_body[] = {
	{ "policy_group_id", BODY_STRING },
	{ "policy_group_name", BODY_STRING },
	{ "priority", BODY_INTEGER },
	{ "description", BODY_STRING },
	{ "update_time", BODY_STRING },
	{ "targets", BODY_ARRAY, .items = BODY_OBJECT, .fields = target_body },
	{ "policies", BODY_OBJECT, .fields = res_policies_body },
	{ NULL },
};

/* The name is optional in the table, but it is what the new directory is called: a body
 * without one is refused (create.c), as a group without a name could not be found. */
const ResCreate res_create_policy_groups = {
	"POST", "/v2/{project_id}/policy-groups",
	(const ResBodyField[]){
		{ "policy_group", BODY_OBJECT, TRUE, .fields = policy_group_body },
		{ NULL },
	},
	.name_field = "policy_group.policy_group_name", .id_field = "id",
};

/* ---- scripts: 4.24.1, answered {"script_id"} ---- */

const ResCreate res_create_scripts = {
	"POST", "/v2/{project_id}/scripts",
	(const ResBodyField[]){
		{ "name", BODY_STRING, TRUE },
		{ "type", BODY_STRING, TRUE },
		{ "description", BODY_STRING },
		{ "content", BODY_STRING, TRUE },
		{ "version", BODY_STRING },
		{ NULL },
	},
	.name_field = "name", .id_field = "script_id",
};

/* ---- scheduled tasks: 4.20.2, answered 200 without a body ---- */

const ResCreate res_create_scheduled_tasks = {
	"POST", "/v2/{project_id}/scheduled-tasks",
	(const ResBodyField[]){
		{ "scheduled_type", BODY_STRING },
		{ "day_interval", BODY_INTEGER },
		{ "week_list", BODY_STRING },
		{ "month_list", BODY_STRING },
		{ "date_list", BODY_STRING },
		{ "scheduled_date", BODY_STRING },
		{ "scheduled_time", BODY_STRING },
		{ "expire_time", BODY_STRING },
		{ "gray_count", BODY_INTEGER },
		{ "gray_desktop_ids", BODY_ARRAY, .items = BODY_STRING },
		{ "gray_fail_threshold", BODY_INTEGER },
		{ "life_cycle_type", BODY_STRING },
		{ "time_zone", BODY_STRING },
		{ "task_type", BODY_STRING, TRUE },
		{ "task_name", BODY_STRING, TRUE },
		{ "force_execute", BODY_BOOLEAN },
		{ "description", BODY_STRING },
		{ "extra_params", BODY_STRING },
		{ "apply_objects", BODY_ARRAY, .items = BODY_OBJECT,
		  .fields = (const ResBodyField[]){
			  { "object_id", BODY_STRING },
			  { "object_type", BODY_STRING },
			  { NULL },
		  } },
		{ "wait_time", BODY_INTEGER },
		{ NULL },
	},
	.name_field = "task_name",
};

/* ---- desktop name policies: 4.5.2, answered {"policy_id"} ---- */

/* The parameter table calls the increment "single_domain_user_increment"; its own example,
 * the list (4.5.1) and the official SDK (CreateDesktopNamePolicyReq) send
 * "single_domain_user_inc", which is what the API takes. */
const ResCreate res_create_desktop_name_policies = {
	"POST", "/v2/{project_id}/desktop-name-policies",
	(const ResBodyField[]){
		{ "policy_name", BODY_STRING, TRUE },
		{ "name_prefix", BODY_STRING, TRUE },
		{ "digit_number", BODY_INTEGER, TRUE },
		{ "start_number", BODY_INTEGER, TRUE },
		{ "single_domain_user_inc", BODY_INTEGER, TRUE },
		{ "is_default_policy", BODY_BOOLEAN },
		{ NULL },
	},
	.name_field = "policy_name", .id_field = "policy_id",
};

/* ---- OUs: 4.10.2, answered {"id"} ---- */

const ResCreate res_create_ous = {
	"POST", "/v2/{project_id}/ous",
	(const ResBodyField[]){
		{ "domain", BODY_STRING, TRUE },
		{ "ou_name", BODY_STRING, TRUE },
		{ "description", BODY_STRING },
		{ NULL },
	},
	.name_field = "ou_name", .id_field = "id",
};

/* ---- snapshots: 4.12.1 batch-create, answered {"job_id"}: they exist when it ends ---- */

static const ResBodyField disk_snapshot_body[] = {
	{ "name", BODY_STRING },
	{ "description", BODY_STRING },
	{ NULL },
};

const ResCreate res_create_snapshots = {
	"POST", "/v2/{project_id}/snapshots/batch-create",
	(const ResBodyField[]){
		{ "desktop_ids", BODY_ARRAY, .items = BODY_STRING },
		{ "disk_type", BODY_STRING },
		{ "system_disk_snapshot", BODY_OBJECT, .fields = disk_snapshot_body },
		{ "data_disk_snapshot", BODY_OBJECT, .fields = disk_snapshot_body },
		{ NULL },
	},
	.job_field = "job_id",
};
