/* resources.c — every resource kind as data: list and detail paths, paging, ids and names,
 * file aliases, writable fields and actions. Adding a kind is one entry here plus its tests;
 * the FUSE operations never change for it. Enum values are the API's own
 * (shared/api/resources.md).
 */
#include "src/resources.h"

#include <string.h>

static const ResVerb desktop_verbs[] = {
	{ "start", "os-start", TRUE },
	{ "stop", "os-stop", TRUE },
	{ "reboot", "reboot", TRUE },
	{ "hibernate", "os-hibernate", TRUE },
	{ NULL },
};

static const ResAction desktop_action = {
	.method = "POST",
	.path = "/v2/{project_id}/desktops/action",
	.ids_field = "desktop_ids",
	.op_field = "op_type",
	.type_field = "type",
	.verbs = desktop_verbs,
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
	/* 4.3.8 DesktopDetailInfo: the Map and object-typed fields. */
	.json_fields = (const char *const[]){ "addresses", "metadata", "flavor",
		"security_groups", "attach_user_infos", "root_volume", "data_volumes", "product",
		"tags", "hour_package_info", NULL },
	.aliases = (const ResAlias[]){ { NULL } },
	.fields = (const ResField[]){ { NULL } },
	.action = &desktop_action,
};

static const ResVerb user_verbs[] = {
	{ "lock", "LOCK", FALSE },
	{ "unlock", "UNLOCK", FALSE },
	{ "reset-password", "RESET_PWD", FALSE },
	{ NULL },
};

static const ResAction user_action = {
	.method = "POST",
	.path = "/v2/{project_id}/users/{id}/actions",
	.op_field = "op_type",
	.verbs = user_verbs,
};

#define USER_PUT "/v2/{project_id}/users/{id}"

static const ResKind users = {
	.dir = "users",
	.list_path = "/v2/{project_id}/users",
	/* 4.8.1 states no maximum; 1000 keeps pages the size of the desktop ones. */
	.page_limit = 1000,
	.limit_is_string = TRUE,
	.total_field = "total_count",
	.array_key = "users",
	.id_field = "id",
	.name_field = "user_name",
	.name_filter = "user_name",
	.json_fields = (const char *const[]){ NULL },
	.aliases = (const ResAlias[]){
		{ "email", "user_email" },
		{ "phone", "user_phone" },
		{ NULL },
	},
	.fields = (const ResField[]){
		{ "user_email", FIELD_EMAIL, 128, "PUT", USER_PUT, NULL },
		{ "user_phone", FIELD_PHONE, 32, "PUT", USER_PUT, NULL },
		{ "description", FIELD_STRING, 255, "PUT", USER_PUT, NULL },
		{ NULL },
	},
	.action = &user_action,
};

const ResKind *const res_kinds[] = { &desktops, &users, NULL };

const ResKind *res_kind_lookup(const char *dir)
{
	for (int i = 0; res_kinds[i]; i++)
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

const char *res_field_name(const ResKind *kind, const char *file)
{
	for (const ResAlias *a = kind->aliases; a->file; a++)
		if (strcmp(a->file, file) == 0)
			return a->field;
	return file;
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
