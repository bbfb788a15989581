/* kinds-create.c — the creates of the generic kinds (kinds.h): policy groups (4.14.2, 201
 * {"id"}), scripts (4.24.1, {"script_id"}), scheduled tasks (4.20.2, 200 and no body),
 * desktop name policies (4.5.2, {"policy_id"}, at most 50 in a tenant), OUs (4.10.2,
 * {"id"}) and snapshots (4.12.1, {"job_id"}).
 *
 * Owns: checking each body as its table documents it — only the documented fields, each of
 * its type, the mandatory ones present and not empty, and the few documented value rules
 * (a script's type, a task's type and period, a policy name's characters, a snapshot's disk
 * type); anything else is 400 WKS.0001 — and making the new object from the kind's template
 * with what the body gave, a new id and the time, so that the kind's list, detail and state
 * view show it like a generated one (kinds.c keeps it). A name already taken in the kind is
 * 409 EMU.0409 (no code is documented for it, as for users and groups); more than
 * EMU_MAX_CREATED creates of a kind is 400 WKS.0106. Snapshots: one job over the desktops
 * (unknown: 404 WKS.00010031; one with a job running or a snapshot being made: 409, the
 * documented "Operation conflict"), whose snapshots exist when it ends — one of the system
 * disk and one per data disk, as disk_type says, named after the desktop, the given name and
 * the time.
 * Must not: change a generated object, or reply under the tenant lock.
 */
#include "emulator/kinds.h"
#include "emulator/render.h"

#include <string.h>

#define INVALID(resp, ...) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. " __VA_ARGS__)

#define MAX_NAME 255
#define MAX_NAME_POLICIES 50	/* 4.5.2: "A maximum of 50 ... are allowed." */
#define MAX_SNAPSHOT_DESKTOPS 100

typedef enum {
	V_STRING,
	V_INTEGER,
	V_BOOLEAN,
	V_OBJECT,
	V_ARRAY,
} ValueType;

typedef struct {
	const char *name;
	ValueType type;
	gboolean mandatory;
} BodyField;

#define FIELDS(...) ((const BodyField[]){ __VA_ARGS__, { NULL } })

static gboolean typed(ValueType type, const cJSON *v)
{
	switch (type) {
	case V_STRING:
		return cJSON_IsString(v);
	case V_INTEGER:
		return cJSON_IsNumber(v) && v->valuedouble == (double)(gint64)v->valuedouble;
	case V_BOOLEAN:
		return cJSON_IsBool(v);
	case V_OBJECT:
		return cJSON_IsObject(v);
	case V_ARRAY:
	default:
		return cJSON_IsArray(v);
	}
}

/* obj holds only the listed fields, each of its type, the mandatory ones (a string not
 * empty); where names the object in the error ("" at the top). */
static gboolean check(const cJSON *obj, const BodyField *fields, const char *where,
		      EmuResponse *resp)
{
	const char *dot = *where ? "." : "";
	const cJSON *item;

	if (!cJSON_IsObject(obj)) {
		INVALID(resp, "%s is invalid.", where);
		return FALSE;
	}
	cJSON_ArrayForEach(item, obj) {
		const BodyField *f = fields;

		while (f->name && g_strcmp0(f->name, item->string) != 0)
			f++;
		if (!f->name || !typed(f->type, item) ||
		    (f->type == V_STRING && strlen(item->valuestring) > 64 * 1024)) {
			INVALID(resp, "%s%s%s is invalid.", where, dot,
				item->string ? item->string : "");
			return FALSE;
		}
	}
	for (const BodyField *f = fields; f->name; f++) {
		item = cJSON_GetObjectItemCaseSensitive(obj, f->name);
		if (f->mandatory && (!item || (cJSON_IsString(item) && !item->valuestring[0]))) {
			INVALID(resp, "%s%s%s is missing.", where, dot, f->name);
			return FALSE;
		}
	}
	return TRUE;
}

/* Each item of an optional array is an object of the listed fields. */
static gboolean check_items(const cJSON *obj, const char *name, const BodyField *fields,
			    EmuResponse *resp)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(obj, name))
		if (!check(item, fields, name, resp))
			return FALSE;
	return TRUE;
}

static const char *string_of(const cJSON *obj, const char *name)
{
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, name));
}

/* An optional string field is one of values (NULL-terminated). */
static gboolean one_of(const cJSON *obj, const char *name, const char *const *values,
		       EmuResponse *resp)
{
	const char *v = string_of(obj, name);

	for (guint i = 0; v && values[i]; i++)
		if (g_str_equal(values[i], v))
			return TRUE;
	if (!v)
		return TRUE;
	INVALID(resp, "%s is invalid.", name);
	return FALSE;
}

/* ---- the new object ---- */

static void put(cJSON *obj, const char *name, cJSON *value)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, name))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, value);
	else
		cJSON_AddItemToObject(obj, name, value);
}

/* The kind's template with every body field it has taken from body. */
static cJSON *from_template(const EmuKind *k, const cJSON *body)
{
	cJSON *obj = cJSON_Parse(k->template);
	const cJSON *item;

	cJSON_ArrayForEach(item, body)
		if (cJSON_GetObjectItemCaseSensitive(obj, item->string))
			put(obj, item->string, cJSON_Duplicate(item, TRUE));
	return obj;
}

static char *new_uuid(void)
{
	return g_uuid_string_random();
}

static char *new_hex32(void)
{
	g_autofree char *uuid = g_uuid_string_random();
	GString *s = g_string_new(NULL);

	for (const char *p = uuid; *p; p++)
		if (*p != '-')
			g_string_append_c(s, *p);
	return g_string_free(s, FALSE);
}

static char *now_text(const char *format)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();

	return g_date_time_format(now, format);
}

static gboolean names_match(const EmuKind *k, const cJSON *obj, const char *name)
{
	return g_strcmp0(string_of(obj, k->name_field), name) == 0;
}

/* Whether an object of k (generated, created, or being created) is called name. With the
 * tenant lock held. */
static gboolean name_taken(Tenant *t, const EmuKind *k, const char *name)
{
	const GPtrArray *items = kinds_objects(t, k->name);
	gboolean taken = FALSE;

	for (guint i = 0; items && !taken && i < items->len; i++)
		taken = names_match(k, items->pdata[i], name);
	for (int pending = 0; pending < 2 && !taken; pending++) {
		g_autoptr(GPtrArray) made = kinds_created(t, k->name, pending);

		for (guint i = 0; !taken && i < made->len; i++)
			taken = names_match(k, made->pdata[i], name);
	}
	return taken;
}

/* How many objects of k the API created so far (and being created). */
static guint created_count(Tenant *t, const EmuKind *k)
{
	g_autoptr(GPtrArray) now = kinds_created(t, k->name, FALSE);
	g_autoptr(GPtrArray) later = kinds_created(t, k->name, TRUE);

	return now->len + later->len;
}

/* Adds obj (taken) to k unless its name is taken or there is no room (max_total: objects
 * in all, or 0); replies status with {answer_key: its id} (no body without a key). */
static void add_one(Emu *emu, EmuResponse *resp, const EmuKind *k, cJSON *obj, guint status,
		    const char *answer_key, guint max_total)
{
	Tenant *t = emu->tenant;
	g_autofree char *name = g_strdup(string_of(obj, k->name_field));
	g_autofree char *id = g_strdup(string_of(obj, k->id_field));
	const GPtrArray *generated = kinds_objects(t, k->name);
	gboolean taken, full;
	guint made;

	tenant_lock(t);
	taken = name_taken(t, k, name);
	made = created_count(t, k);
	full = made >= EMU_MAX_CREATED ||
	       (max_total && (generated ? generated->len : 0) + made >= max_total);
	if (!taken && !full)
		kinds_add_created(t, k, g_steal_pointer(&obj), 0);
	tenant_unlock(t);
	cJSON_Delete(obj);
	if (taken) {
		emu_reply_error(resp, 409, "EMU.0409", "The name already exists. %s [%s].",
				k->name_field, name);
	} else if (full) {
		emu_reply_error(resp, 400, "WKS.0106", "Insufficient quota. The tenant has no room "
				"for more %s.", k->name);
	} else if (answer_key) {
		cJSON *body = cJSON_CreateObject();

		cJSON_AddStringToObject(body, answer_key, id);
		emu_reply_json(resp, status, body);
	} else {
		emu_reply_empty(resp, status);
	}
}

static gboolean name_fits(const char *field, const char *name, EmuResponse *resp)
{
	if (strlen(name) <= MAX_NAME && g_utf8_validate(name, -1, NULL))
		return TRUE;
	INVALID(resp, "%s (at most %d characters) is invalid.", field, MAX_NAME);
	return FALSE;
}

/* ---- 4.14.2 policy groups ---- */

void kinds_create_policy_group(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const target_types[] = { "INSTANCE", "USER", "USERGROUP", "CLIENTIP",
						    "OU", "DESKTOPPOOL", "ALL", NULL };
	const EmuKind *k = kinds_lookup("policy-groups");
	cJSON *json = emu_request_json_object(req, resp), *obj;
	const cJSON *group, *item;
	const GPtrArray *generated = kinds_objects(emu->tenant, k->name);
	g_autofree char *id = new_hex32(), *now = now_text("%Y-%m-%d %H:%M:%S");
	const char *name;

	if (!json)
		return;
	group = cJSON_GetObjectItemCaseSensitive(json, "policy_group");
	if (!check(json, FIELDS({ "policy_group", V_OBJECT, TRUE }), "", resp) ||
	    /* The table leaves the name optional; a group is not made without one. */
	    !check(group, FIELDS({ "policy_group_id", V_STRING },
				 { "policy_group_name", V_STRING, TRUE },
				 { "priority", V_INTEGER }, { "description", V_STRING },
				 { "update_time", V_STRING }, { "targets", V_ARRAY },
				 { "policies", V_OBJECT }), "policy_group", resp) ||
	    !check_items(group, "targets", FIELDS({ "target_id", V_STRING },
						  { "target_name", V_STRING },
						  { "target_type", V_STRING }), resp))
		goto out;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(group, "targets"))
		if (!one_of(item, "target_type", target_types, resp))
			goto out;
	name = string_of(group, "policy_group_name");
	if (!name_fits("policy_group_name", name, resp))
		goto out;
	obj = from_template(k, group);
	put(obj, "policy_group_id", cJSON_CreateString(id));
	put(obj, "update_time", cJSON_CreateString(now));
	if (!cJSON_GetObjectItemCaseSensitive(group, "priority"))
		put(obj, "priority", cJSON_CreateNumber((generated ? generated->len : 0) + 1));
	if (!cJSON_GetObjectItemCaseSensitive(group, "description"))
		put(obj, "description", cJSON_CreateString(""));
	if (!cJSON_GetObjectItemCaseSensitive(group, "policies"))
		put(obj, "policies", cJSON_CreateObject());
	if (!cJSON_GetObjectItemCaseSensitive(group, "targets"))
		put(obj, "targets", cJSON_CreateArray());
	add_one(emu, resp, k, obj, 201, "id", 0);
out:
	cJSON_Delete(json);
}

/* ---- 4.24.1 scripts ---- */

void kinds_create_script(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const types[] = { "POWERSHELL", "BAT", "SHELL", NULL };
	const EmuKind *k = kinds_lookup("scripts");
	cJSON *json = emu_request_json_object(req, resp), *obj;
	g_autofree char *id = new_uuid(), *now = render_time_ms(g_get_real_time() / 1000);

	if (!json)
		return;
	if (!check(json, FIELDS({ "name", V_STRING, TRUE }, { "type", V_STRING, TRUE },
				{ "description", V_STRING }, { "content", V_STRING, TRUE },
				{ "version", V_STRING }), "", resp) ||
	    !one_of(json, "type", types, resp) || !name_fits("name", string_of(json, "name"),
							      resp))
		goto out;
	obj = from_template(k, json);
	put(obj, "id", cJSON_CreateString(id));
	put(obj, "create_time", cJSON_CreateString(now));
	put(obj, "update_time", cJSON_CreateString(now));
	if (!cJSON_GetObjectItemCaseSensitive(json, "version"))
		put(obj, "version", cJSON_CreateString(""));
	add_one(emu, resp, k, obj, 200, "script_id", 0);
out:
	cJSON_Delete(json);
}

/* ---- 4.20.2 scheduled tasks ---- */

void kinds_create_scheduled_task(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const task_types[] = { "START", "STOP", "REBOOT", "HIBERNATE",
						  "REBUILD", "EXECUTE_SCRIPT", "CREATE_SNAPSHOT",
						  NULL };
	static const char *const periods[] = { "FIXED_TIME", "DAY", "WEEK", "MONTH",
					       "LIFE_CYCLE", NULL };
	const EmuKind *k = kinds_lookup("scheduled-tasks");
	cJSON *json = emu_request_json_object(req, resp), *obj;
	const cJSON *item;
	g_autofree char *id = new_uuid();

	if (!json)
		return;
	if (!check(json, FIELDS({ "scheduled_type", V_STRING }, { "day_interval", V_INTEGER },
				{ "week_list", V_STRING }, { "month_list", V_STRING },
				{ "date_list", V_STRING }, { "scheduled_date", V_STRING },
				{ "scheduled_time", V_STRING }, { "expire_time", V_STRING },
				{ "gray_count", V_INTEGER }, { "gray_desktop_ids", V_ARRAY },
				{ "gray_fail_threshold", V_INTEGER },
				{ "life_cycle_type", V_STRING }, { "time_zone", V_STRING },
				{ "task_type", V_STRING, TRUE }, { "task_name", V_STRING, TRUE },
				{ "force_execute", V_BOOLEAN }, { "description", V_STRING },
				{ "extra_params", V_STRING }, { "apply_objects", V_ARRAY },
				{ "wait_time", V_INTEGER }), "", resp) ||
	    !check_items(json, "apply_objects", FIELDS({ "object_id", V_STRING },
						       { "object_type", V_STRING }), resp) ||
	    !one_of(json, "task_type", task_types, resp) ||
	    !one_of(json, "scheduled_type", periods, resp) ||
	    !name_fits("task_name", string_of(json, "task_name"), resp))
		goto out;
	cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(json, "gray_desktop_ids")) {
		if (!cJSON_IsString(item)) {
			INVALID(resp, "gray_desktop_ids is invalid.");
			goto out;
		}
	}
	obj = from_template(k, json);
	put(obj, "id", cJSON_CreateString(id));
	/* Nothing has run yet. */
	put(obj, "last_status", cJSON_CreateString(""));
	put(obj, "next_execution_time", cJSON_CreateString(""));
	add_one(emu, resp, k, obj, 200, NULL, 0);
out:
	cJSON_Delete(json);
}

/* ---- 4.5.2 desktop name policies ---- */

/* 1 to 30 letters, digits and underscores, starting with a letter or an underscore. */
static gboolean valid_policy_name(const char *s)
{
	gsize len = strlen(s);

	if (len < 1 || len > 30 || !(g_ascii_isalpha(s[0]) || s[0] == '_'))
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '_')
			return FALSE;
	return TRUE;
}

void kinds_create_name_policy(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuKind *k = kinds_lookup("desktop-name-policies");
	cJSON *json = emu_request_json_object(req, resp), *obj;
	g_autofree char *id = new_hex32();

	if (!json)
		return;
	/* single_domain_user_inc, as the example, the list and the SDK send it (the table
	 * says single_domain_user_increment). */
	if (!check(json, FIELDS({ "policy_name", V_STRING, TRUE },
				{ "name_prefix", V_STRING, TRUE },
				{ "digit_number", V_INTEGER, TRUE },
				{ "start_number", V_INTEGER, TRUE },
				{ "single_domain_user_inc", V_INTEGER, TRUE },
				{ "is_default_policy", V_BOOLEAN }), "", resp))
		goto out;
	if (!valid_policy_name(string_of(json, "policy_name"))) {
		INVALID(resp, "policy_name (1 to 30 letters, digits or underscores, starting with "
			"a letter or an underscore) is invalid.");
		goto out;
	}
	obj = from_template(k, json);
	put(obj, "policy_id", cJSON_CreateString(id));
	add_one(emu, resp, k, obj, 200, "policy_id", MAX_NAME_POLICIES);
out:
	cJSON_Delete(json);
}

/* ---- 4.10.2 OUs ---- */

/* OU=name,DC=label,... for the domain's labels. */
static char *ou_dn(const char *name, const char *domain)
{
	g_auto(GStrv) labels = g_strsplit(domain, ".", -1);
	GString *dn = g_string_new(NULL);

	g_string_append_printf(dn, "OU=%s", name);
	for (guint i = 0; labels[i]; i++)
		g_string_append_printf(dn, ",DC=%s", labels[i]);
	return g_string_free(dn, FALSE);
}

void kinds_create_ou(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const EmuKind *k = kinds_lookup("ous");
	cJSON *json = emu_request_json_object(req, resp), *obj;
	g_autofree char *id = new_hex32(), *dn = NULL;

	if (!json)
		return;
	if (!check(json, FIELDS({ "domain", V_STRING, TRUE }, { "ou_name", V_STRING, TRUE },
				{ "description", V_STRING }), "", resp) ||
	    !name_fits("ou_name", string_of(json, "ou_name"), resp))
		goto out;
	dn = ou_dn(string_of(json, "ou_name"), string_of(json, "domain"));
	obj = from_template(k, json);
	put(obj, "id", cJSON_CreateString(id));
	put(obj, "domain_id", cJSON_CreateString(string_of(json, "domain")));
	put(obj, "ou_dn", cJSON_CreateString(dn));
	add_one(emu, resp, k, obj, 200, "id", 0);
out:
	cJSON_Delete(json);
}

/* ---- 4.12.1 snapshots ---- */

/* Whether desktop id has a snapshot being made. With the tenant lock held. */
static gboolean being_snapshotted(Tenant *t, const char *id)
{
	g_autoptr(GPtrArray) pending = kinds_created(t, "snapshots", TRUE);

	for (guint i = 0; i < pending->len; i++)
		if (g_strcmp0(string_of(pending->pdata[i], "desktop_id"), id) == 0)
			return TRUE;
	return FALSE;
}

/* One snapshot of d's system disk (system) or a data disk, from the kind's template. */
static cJSON *snapshot_of(Tenant *t, const EmuKind *k, const Desktop *d, gboolean system,
			  guint disk, const cJSON *info)
{
	cJSON *desktop = render_desktop(t, d);
	g_autofree char *id = new_uuid(), *stamp = now_text("%Y%m%d%H%M%S");
	g_autofree char *created = now_text("%Y-%m-%dT%H:%M:%SZ"), *name = NULL;
	const char *given = string_of(info, "name"), *description = string_of(info, "description");
	cJSON *obj = cJSON_Parse(k->template);

	/* "desktop name + disk snapshot name + timestamp" */
	if (system)
		name = g_strdup_printf("%s_%s%s%s", d->computer_name, given ? given : "",
				       given ? "_" : "", stamp);
	else
		name = g_strdup_printf("%s_%s%sdata%u_%s", d->computer_name, given ? given : "",
				       given ? "_" : "", disk, stamp);
	put(obj, "snapshot_id", cJSON_CreateString(id));
	put(obj, "snapshot_name", cJSON_CreateString(name));
	put(obj, "desktop_id", cJSON_CreateString(d->id));
	put(obj, "desktop_name", cJSON_CreateString(d->computer_name));
	put(obj, "desktop_sid", cJSON_CreateString(string_of(desktop, "sid") ?
						  string_of(desktop, "sid") : ""));
	cJSON_Delete(desktop);
	put(obj, "desktop_pool_id", cJSON_CreateString(d->pool >= 0 ? t->pools[d->pool].id
								 : ""));
	put(obj, "is_system_disk", cJSON_CreateBool(system));
	put(obj, "description", cJSON_CreateString(description ? description : ""));
	put(obj, "create_time", cJSON_CreateString(created));
	return obj;
}

/* The desktops of a checked body, under the lock: NULL after a 404 or 409 (*err set). */
static GPtrArray *snapshot_desktops(Tenant *t, const cJSON *ids, TenantError *err)
{
	g_autoptr(GPtrArray) out = g_ptr_array_new();
	const cJSON *item;

	cJSON_ArrayForEach(item, ids) {
		Desktop *d = tenant_desktop(t, item->valuestring);

		if (!d) {
			err->status = 404;
			err->code = "WKS.00010031";
			err->msg = g_strdup_printf("The resource does not found. The resource type "
						   "is desktop and resource id [%s].",
						   item->valuestring);
			return NULL;
		}
		if (d->job || being_snapshotted(t, d->id)) {
			err->status = 409;
			err->code = "EMU.0409";
			err->msg = g_strdup_printf("Operation conflict. A task is running on the "
						   "desktop [%s].", d->id);
			return NULL;
		}
		g_ptr_array_add(out, d);
	}
	return g_steal_pointer(&out);
}

void kinds_create_snapshots(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const char *const disk_types[] = { "SYSTEM_DISK", "DATA_DISKS", "ALL", NULL };
	static const BodyField info[] = { { "name", V_STRING }, { "description", V_STRING },
					  { NULL } };
	const EmuKind *k = kinds_lookup("snapshots");
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	const cJSON *ids, *item, *sys, *data;
	g_autoptr(GPtrArray) desktops = NULL;
	TenantError err = { 0 };
	const char *type;
	char job_id[37] = "";
	Job *job;

	if (!json)
		return;
	ids = cJSON_GetObjectItemCaseSensitive(json, "desktop_ids");
	sys = cJSON_GetObjectItemCaseSensitive(json, "system_disk_snapshot");
	data = cJSON_GetObjectItemCaseSensitive(json, "data_disk_snapshot");
	if (!check(json, FIELDS({ "desktop_ids", V_ARRAY }, { "disk_type", V_STRING },
				{ "system_disk_snapshot", V_OBJECT },
				{ "data_disk_snapshot", V_OBJECT }), "", resp) ||
	    !one_of(json, "disk_type", disk_types, resp) ||
	    (sys && !check(sys, info, "system_disk_snapshot", resp)) ||
	    (data && !check(data, info, "data_disk_snapshot", resp)))
		goto out;
	if (cJSON_GetArraySize(ids) < 1 || cJSON_GetArraySize(ids) > MAX_SNAPSHOT_DESKTOPS) {
		INVALID(resp, "desktop_ids (1 to %d desktop ids) is invalid.",
			MAX_SNAPSHOT_DESKTOPS);
		goto out;
	}
	cJSON_ArrayForEach(item, ids) {
		if (!cJSON_IsString(item)) {
			INVALID(resp, "desktop_ids is invalid.");
			goto out;
		}
	}
	type = string_of(json, "disk_type") ? string_of(json, "disk_type") : "SYSTEM_DISK";
	tenant_lock(t);
	desktops = snapshot_desktops(t, ids, &err);
	if (desktops && created_count(t, k) + desktops->len * 11 > EMU_MAX_CREATED) {
		err.status = 400;
		err.code = "WKS.0106";
		err.msg = g_strdup("Insufficient quota.");
		g_clear_pointer(&desktops, g_ptr_array_unref);
	}
	if (desktops) {
		job = tenant_new_job(t, JOB_CREATE_SNAPSHOTS, NULL, 0, EMU_OP_START, FALSE);
		g_strlcpy(job_id, job->id, sizeof(job_id));
		for (guint i = 0; i < desktops->len; i++) {
			const Desktop *d = desktops->pdata[i];

			/* They exist when the job ends. */
			if (!g_str_equal(type, "DATA_DISKS"))
				kinds_add_created(t, k, snapshot_of(t, k, d, TRUE, 0, sys),
						  job->deadline_us);
			for (guint n = 0; !g_str_equal(type, "SYSTEM_DISK") &&
					  n < d->n_data_volumes; n++)
				kinds_add_created(t, k, snapshot_of(t, k, d, FALSE, n + 1, data),
						  job->deadline_us);
		}
	}
	tenant_unlock(t);
	if (desktops)
		emu_reply_job(resp, job_id);
	else
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}
