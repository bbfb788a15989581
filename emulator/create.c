/* create.c — creating desktops (4.3.1, POST /v2/{project_id}/desktops).
 *
 * Owns: checking a 4.3.1 body completely before anything changes — only the documented
 * fields, at the top and in each Desktop, Volume, Nic, SecurityGroup and Tag object; the
 * mandatory ones (desktop_type, product_id, image_type, image_id, root_volume, each
 * desktop's user_name, each volume's type and size, each nic's subnet_id, each tag's key);
 * their types and documented ranges — and answering {"job_id"} for the job that creates the
 * desktops (tenant-create.c): they appear in the lists when it ends, each assigned to its
 * user. The documented refusals: an unknown product (400 WKS.0301), an unknown image (500
 * WKS.0923), an unknown subnet (400 WKS.0020), a computer name already taken (400
 * WKS.00010139), no room left (400 WKS.0106); any other malformed part is 400 WKS.0001.
 * What the emulator does not model is accepted and not kept: tags, security groups, EIPs,
 * volume types and data volume sizes, e-mail notification; SHARED desktops are refused.
 * Must not: print or sleep under the tenant lock.
 */
#include "emulator/emulator.h"
#include "emulator/tenant.h"

#include <string.h>

#define INVALID(resp, ...) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. " __VA_ARGS__)

#define MAX_BATCH 50

static const char *const body_fields[] = {
	"desktop_type", "availability_zone", "product_id", "image_type", "image_id",
	"root_volume", "data_volumes", "nics", "security_groups", "desktops", "desktop_name",
	"desktop_ips", "size", "email_notification", "enterprise_project_id", "tags",
	"apply_shared_vpc_dedicated_param", "eip", "desktop_name_policy_id",
	"hour_package_product_id", "hour_package_offering_id", NULL,
};
static const char *const desktop_fields[] = {
	"user_name", "user_email", "user_phone", "user_group", "computer_name", "os_host_name",
	"desktop_name_prefix", NULL,
};
static const char *const volume_fields[] = { "type", "size", NULL };
static const char *const nic_fields[] = { "subnet_id", NULL };
static const char *const group_fields[] = { "id", NULL };
static const char *const tag_fields[] = { "key", "value", NULL };
static const char *const string_fields[] = {
	"availability_zone", "desktop_name", "enterprise_project_id", "desktop_name_policy_id",
	"hour_package_product_id", "hour_package_offering_id", NULL,
};

static gboolean listed(const char *const *names, const char *name)
{
	for (guint i = 0; name && names[i]; i++)
		if (g_str_equal(names[i], name))
			return TRUE;
	return FALSE;
}

/* obj is an object holding only the listed fields. */
static gboolean only(const cJSON *obj, const char *const *names, const char *what,
		     EmuResponse *resp)
{
	const cJSON *item;

	if (!cJSON_IsObject(obj)) {
		INVALID(resp, "%s is not an object.", what);
		return FALSE;
	}
	cJSON_ArrayForEach(item, obj) {
		if (!listed(names, item->string)) {
			INVALID(resp, "%s%s%s is invalid.", what, *what ? "." : "",
				item->string ? item->string : "");
			return FALSE;
		}
	}
	return TRUE;
}

/* A string field: absent (*ret NULL) unless mandatory, else a string of 1 to max bytes. */
static gboolean string_at(const cJSON *obj, const char *name, gboolean mandatory, gsize max,
			  const char **ret, EmuResponse *resp)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

	*ret = NULL;
	if (!v && !mandatory)
		return TRUE;
	if (!v) {
		INVALID(resp, "%s is missing.", name);
		return FALSE;
	}
	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > max) {
		INVALID(resp, "%s is invalid.", name);
		return FALSE;
	}
	*ret = v->valuestring;
	return TRUE;
}

static gboolean integer(const cJSON *v, gint64 lo, gint64 hi, gint64 *ret)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < lo || v->valuedouble > hi ||
	    v->valuedouble != (double)(gint64)v->valuedouble)
		return FALSE;
	*ret = (gint64)v->valuedouble;
	return TRUE;
}

/* Table 4-292: type SAS | SSD | GPSSD; size in GB, a multiple of 10, 80 (system) or 10
 * (data) to 32760. */
static gboolean volume(const cJSON *v, gboolean system, EmuResponse *resp)
{
	static const char *const types[] = { "SAS", "SSD", "GPSSD", NULL };
	const char *what = system ? "root_volume" : "data_volumes", *type;
	gint64 size;

	if (!only(v, volume_fields, what, resp) || !string_at(v, "type", TRUE, 16, &type, resp))
		return FALSE;
	if (!listed(types, type)) {
		INVALID(resp, "%s.type (SAS, SSD or GPSSD) is invalid.", what);
		return FALSE;
	}
	if (!integer(cJSON_GetObjectItemCaseSensitive(v, "size"), system ? 80 : 10, 32760,
		     &size) || size % 10) {
		INVALID(resp, "%s.size (%d to 32760 GB, a multiple of 10) is invalid.", what,
			system ? 80 : 10);
		return FALSE;
	}
	return TRUE;
}

/* Each item of an optional array is an object of the listed fields, mandatory one first. */
static gboolean objects(const cJSON *json, const char *name, const char *const *fields,
			int max, EmuResponse *resp)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(json, name), *item;
	const char *s;

	if (!arr)
		return TRUE;
	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) > max) {
		INVALID(resp, "%s (an array of at most %d objects) is invalid.", name, max);
		return FALSE;
	}
	cJSON_ArrayForEach(item, arr)
		if (!only(item, fields, name, resp) || !string_at(item, fields[0], TRUE, 128, &s,
								   resp))
			return FALSE;
	return TRUE;
}

static int product_index(const char *id)
{
	for (guint i = 0; i < emu_n_products; i++)
		if (g_str_equal(emu_products[i].product_id, id))
			return (int)i;
	return -1;
}

/* The generated image ids never change: read without the lock. */
static int image_index(const Tenant *t, const char *id)
{
	for (guint i = 0; i < emu_n_images; i++)
		if (g_str_equal(t->image_ids[i], id))
			return (int)i;
	return -1;
}

static int subnet_index(const Tenant *t, const cJSON *json)
{
	const cJSON *nic = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(json, "nics"), 0);
	const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(nic, "subnet_id"));

	if (!id)
		return 0;	/* "If this parameter is not specified, the default NIC is used." */
	for (guint i = 0; i < EMU_N_SUBNETS; i++)
		if (g_str_equal(t->subnet_ids[i], id))
			return (int)i;
	return -1;
}

/* 1 to 13 letters, digits and '-', starting with a letter: a name prefix (4.3.1). */
static gboolean valid_prefix(const char *s)
{
	gsize len = strlen(s);

	if (len < 1 || len > 13 || !g_ascii_isalpha(s[0]))
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-')
			return FALSE;
	return TRUE;
}

/* The parts every desktop of the body shares. */
static gboolean check_common(const Tenant *t, const cJSON *json, TenantNewDesktop *common,
			     EmuResponse *resp)
{
	static const char *const image_types[] = { "private", "gold", NULL };
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(json, "data_volumes"), *item;
	const char *type, *product, *image_type, *image, *zone, *s;
	int index;

	if (!string_at(json, "desktop_type", TRUE, 32, &type, resp) ||
	    !string_at(json, "product_id", TRUE, 128, &product, resp) ||
	    !string_at(json, "image_type", TRUE, 32, &image_type, resp) ||
	    !string_at(json, "image_id", TRUE, 64, &image, resp))
		return FALSE;
	for (guint i = 0; string_fields[i]; i++)
		if (!string_at(json, string_fields[i], FALSE, 128, &s, resp))
			return FALSE;
	if (!g_str_equal(type, "DEDICATED")) {
		INVALID(resp, "desktop_type (DEDICATED; the emulator does not create SHARED "
			"desktops) is invalid.");
		return FALSE;
	}
	if (!listed(image_types, image_type)) {
		INVALID(resp, "image_type (private or gold) is invalid.");
		return FALSE;
	}
	if (!cJSON_GetObjectItemCaseSensitive(json, "root_volume")) {
		INVALID(resp, "root_volume is missing.");
		return FALSE;
	}
	if (!volume(cJSON_GetObjectItemCaseSensitive(json, "root_volume"), TRUE, resp))
		return FALSE;
	if (data && (!cJSON_IsArray(data) || cJSON_GetArraySize(data) > 10)) {
		INVALID(resp, "data_volumes (at most 10) is invalid.");
		return FALSE;
	}
	cJSON_ArrayForEach(item, data)
		if (!volume(item, FALSE, resp))
			return FALSE;
	if (!objects(json, "nics", nic_fields, 1, resp) ||
	    !objects(json, "security_groups", group_fields, 10, resp) ||
	    !objects(json, "tags", tag_fields, 20, resp))
		return FALSE;
	item = cJSON_GetObjectItemCaseSensitive(json, "email_notification");
	if (item && !cJSON_IsBool(item)) {
		INVALID(resp, "email_notification is invalid.");
		return FALSE;
	}
	if ((item = cJSON_GetObjectItemCaseSensitive(json, "eip")) && !cJSON_IsObject(item)) {
		INVALID(resp, "eip is invalid.");
		return FALSE;
	}
	item = cJSON_GetObjectItemCaseSensitive(json, "apply_shared_vpc_dedicated_param");
	if (item && !cJSON_IsObject(item)) {
		INVALID(resp, "apply_shared_vpc_dedicated_param is invalid.");
		return FALSE;
	}
	if ((item = cJSON_GetObjectItemCaseSensitive(json, "desktop_ips")) &&
	    !cJSON_IsArray(item)) {
		INVALID(resp, "desktop_ips is invalid.");
		return FALSE;
	}
	zone = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(json, "availability_zone"));
	common->zone = 0;
	for (guint i = 0; zone && i < emu_n_zones; i++)
		if (g_str_equal(emu_zones[i], zone))
			common->zone = i + 1;
	if (zone && !common->zone) {
		INVALID(resp, "availability_zone is invalid.");
		return FALSE;
	}
	common->zone = common->zone ? common->zone - 1 : 0;
	if ((index = product_index(product)) < 0) {
		emu_reply_error(resp, 400, "WKS.0301", "Product package info error. product_id "
				"[%s].", product);
		return FALSE;
	}
	common->product = (guint8)index;
	if ((index = image_index(t, image)) < 0) {
		emu_reply_error(resp, 500, "WKS.0923", "The image does not exist. image_id [%s].",
				image);
		return FALSE;
	}
	common->image = (guint8)index;
	if ((index = subnet_index(t, json)) < 0) {
		emu_reply_error(resp, 400, "WKS.0020", "Failed to invoke query subnets interface. "
				"The subnet does not exist.");
		return FALSE;
	}
	common->subnet = (guint8)index;
	common->n_data_volumes = (guint8)(data ? cJSON_GetArraySize(data) : 0);
	return TRUE;
}

/* "desktops": one desktop per item, each for its user. */
static gboolean check_desktops(const cJSON *list, const TenantNewDesktop *common,
			       GArray *out, EmuResponse *resp)
{
	const cJSON *item;

	if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1 ||
	    cJSON_GetArraySize(list) > MAX_BATCH) {
		INVALID(resp, "desktops (1 to %d desktops) is invalid.", MAX_BATCH);
		return FALSE;
	}
	cJSON_ArrayForEach(item, list) {
		TenantNewDesktop nd = *common;
		const char *s;

		if (!only(item, desktop_fields, "desktops", resp))
			return FALSE;
		for (guint i = 1; desktop_fields[i]; i++)
			if (!string_at(item, desktop_fields[i], FALSE, 254, &s, resp))
				return FALSE;
		if (!string_at(item, "user_name", TRUE, 32, &nd.user_name, resp))
			return FALSE;
		if (!tenant_valid_user_name(nd.user_name)) {
			INVALID(resp, "desktops.user_name (1 to 20 letters, digits, - or _, "
				"starting with a letter) is invalid.");
			return FALSE;
		}
		nd.user_email = cJSON_GetStringValue(cJSON_GetObjectItem(item, "user_email"));
		nd.computer_name = cJSON_GetStringValue(cJSON_GetObjectItem(item,
									    "computer_name"));
		nd.prefix = cJSON_GetStringValue(cJSON_GetObjectItem(item, "desktop_name_prefix"));
		if (nd.computer_name && !tenant_valid_computer_name(nd.computer_name)) {
			INVALID(resp, "desktops.computer_name (1 to 15 letters, digits, - or _, "
				"starting with a letter) is invalid.");
			return FALSE;
		}
		if (nd.prefix && !valid_prefix(nd.prefix)) {
			INVALID(resp, "desktops.desktop_name_prefix is invalid.");
			return FALSE;
		}
		g_array_append_val(out, nd);
	}
	return TRUE;
}

/* "size" desktops without a user, named desktop_name (one) or after it (more). */
static gboolean check_size(const cJSON *json, const TenantNewDesktop *common, GArray *out,
			   EmuResponse *resp)
{
	const char *name = cJSON_GetStringValue(cJSON_GetObjectItem(json, "desktop_name"));
	gint64 size;

	if (!integer(cJSON_GetObjectItemCaseSensitive(json, "size"), 1, MAX_BATCH, &size)) {
		INVALID(resp, "size (1 to %d) is invalid.", MAX_BATCH);
		return FALSE;
	}
	if (name && (size == 1 ? !tenant_valid_computer_name(name) : !valid_prefix(name))) {
		INVALID(resp, "desktop_name (1 to %d characters) is invalid.", size == 1 ? 15 : 13);
		return FALSE;
	}
	for (gint64 i = 0; i < size; i++) {
		TenantNewDesktop nd = *common;

		nd.computer_name = size == 1 ? name : NULL;
		nd.prefix = size == 1 ? NULL : name;
		g_array_append_val(out, nd);
	}
	return TRUE;
}

void desktops_create(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	g_autoptr(GArray) batch = g_array_new(FALSE, TRUE, sizeof(TenantNewDesktop));
	TenantNewDesktop common = { 0 };
	TenantError err = { 0 };
	const cJSON *list;
	char job_id[37] = "";
	Job *job;

	if (!json)
		return;
	if (!only(json, body_fields, "", resp) || !check_common(t, json, &common, resp))
		goto out;
	list = cJSON_GetObjectItemCaseSensitive(json, "desktops");
	if (list && cJSON_GetObjectItemCaseSensitive(json, "size")) {
		INVALID(resp, "size cannot be used together with desktops.");
		goto out;
	}
	if (!list && !cJSON_GetObjectItemCaseSensitive(json, "size")) {
		INVALID(resp, "desktops (or size) is missing.");
		goto out;
	}
	if (list ? !check_desktops(list, &common, batch, resp)
		 : !check_size(json, &common, batch, resp))
		goto out;
	tenant_lock(t);
	job = tenant_start_create(t, (const TenantNewDesktop *)(void *)batch->data, batch->len,
				  &err);
	if (job)
		g_strlcpy(job_id, job->id, sizeof(job_id));
	tenant_unlock(t);
	if (job)
		emu_reply_job(resp, job_id);
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}
