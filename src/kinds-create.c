/* kinds-create.c — the create endpoints of the kinds, as data: each one's method and path,
 * the body's documented fields (their types, the mandatory ones, nested objects' own fields,
 * secrets), what names the new object and what else a create changes. A kind's ResKind
 * points at its entry here (.create); `<kind>/.create` takes the body (src/create.c).
 * Fields, types and mandatory flags are the API Reference's (shared/api/catalog.json,
 * request_body and objects).
 * Must not: hold code.
 */
#include "src/kinds.h"

/* ---- desktops: 4.3.1 (Tables 4-292 to 4-298), answered by a job that creates them ---- */

static const ResBodyField volume_body[] = {
	{ "type", BODY_STRING, TRUE },
	{ "size", BODY_INTEGER, TRUE },
	{ NULL },
};

static const ResBodyField desktops_body[] = {
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

/* A desktop for a user that does not exist yet registers the user too. */
const ResCreate res_create_desktops = {
	"POST", "/v2/{project_id}/desktops", desktops_body,
	.job_field = "job_id", .also_changes = "users",
};

/* ---- users: 4.8.2, answered 201 {"id"} ---- */

const ResCreate res_create_users = {
	"POST", "/v2/{project_id}/users",
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
	/* The groups it joins count it. */
	.name_field = "user_name", .id_field = "id", .also_changes = "user-groups",
};

/* ---- user groups: 4.9.2, answered 201 without a body ---- */

const ResCreate res_create_user_groups = {
	"POST", "/v2/{project_id}/groups",
	(const ResBodyField[]){
		{ "group_name", BODY_STRING, TRUE },
		{ "platform_type", BODY_STRING, TRUE },
		{ "description", BODY_STRING },
		{ NULL },
	},
	.name_field = "group_name",
};
