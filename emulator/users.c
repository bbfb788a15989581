/* users.c — the Workspace user routes (4.8.1, 4.8.2, 4.8.3, 4.8.4, 4.8.5, 4.8.8).
 *
 * Owns: the users list (string offset/limit, "all users" without a limit, the documented
 * filters), user lookup, validating a 4.8.2 or 4.8.5 body completely before applying any of
 * it, creating a user (tenant-create.c adds it), LOCK / UNLOCK / RESET_PWD, and deleting a
 * user.
 * Must not: print or sleep under the tenant lock.
 */
#include "emulator/emulator.h"
#include "emulator/query.h"
#include "emulator/render.h"
#include "emulator/tenant.h"

#include <string.h>

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

static void reply_no_user(EmuResponse *resp, const char *id)
{
	emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The resource "
			"type is user and resource id [%s].", id);
}

static gboolean in_group(const Tenant *t, const User *u, const char *group_name)
{
	for (guint i = 0; u->groups && i < u->groups->len; i++)
		if (g_str_equal(t->groups[g_array_index(u->groups, guint32, i)].name, group_name))
			return TRUE;
	return FALSE;
}

void users_list(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *user_name = emu_request_arg(req, "user_name");
	const char *description = emu_request_arg(req, "description");
	const char *active_type = emu_request_arg(req, "active_type");
	const char *group_name = emu_request_arg(req, "group_name");
	const char *project = emu_request_arg(req, "enterprise_project_id");
	int subscription, share_desktops, with_total;
	gint64 offset, limit, total = 0;
	cJSON *body, *list;

	if (!query_paging(req, resp, -1, -1, &offset, &limit) ||
	    !query_bool(req, resp, "share_space_subscription", &subscription) ||
	    !query_bool(req, resp, "share_space_desktops", &share_desktops) ||
	    !query_bool(req, resp, "is_query_total_desktops", &with_total))
		return;

	body = cJSON_CreateObject();
	tenant_lock(t);
	list = cJSON_CreateArray();
	for (gsize i = 0; i < t->n_users; i++) {
		const User *u = &t->users[i];

		if (u->deleted)
			continue;
		if (user_name && !g_str_equal(user_name, u->name))
			continue;
		if (description && !strstr(u->description, description))
			continue;
		if (active_type && !g_str_equal(active_type, u->active_type == ADMIN_ACTIVATE ?
						"ADMIN_ACTIVATE" : "USER_ACTIVATE"))
			continue;
		if (group_name && !in_group(t, u, group_name))
			continue;
		/* No user is subscribed to collaboration or on a shared desktop. */
		if (subscription == 1 || share_desktops == 1)
			continue;
		if (project && !g_str_equal(project, "0"))
			continue;
		if (total >= offset && total - offset < limit)
			cJSON_AddItemToArray(list, render_user(t, u, with_total != 0));
		total++;
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	cJSON_AddItemToObject(body, "users", list);
	emu_reply_json(resp, 200, body);
}

void users_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *body = NULL;
	User *u;

	tenant_lock(t);
	u = tenant_user(t, req->params[1]);
	if (u) {
		body = cJSON_CreateObject();
		cJSON_AddItemToObject(body, "user_detail", render_user_detail(t, u));
	}
	tenant_unlock(t);
	if (!body) {
		reply_no_user(resp, req->params[1]);
		return;
	}
	emu_reply_json(resp, 200, body);
}

static gboolean valid_email(const char *s)
{
	const char *at = strchr(s, '@');
	const char *p;
	gboolean label_empty = TRUE, has_dot = FALSE;

	if (!*s)
		return TRUE; /* clearing the address */
	if (strlen(s) > 254 || !at || at == s || strchr(at + 1, '@'))
		return FALSE;
	for (p = s; p < at; p++)
		if (!g_ascii_isalnum(*p) && !strchr(".!#$%&'*+/=?^_`{|}~-", *p))
			return FALSE;
	for (p = at + 1; *p; p++) {
		if (*p == '.') {
			if (label_empty)
				return FALSE;
			label_empty = TRUE;
			has_dot = TRUE;
		} else if (g_ascii_isalnum(*p) || *p == '-') {
			label_empty = FALSE;
		} else {
			return FALSE;
		}
	}
	return has_dot && !label_empty;
}

static gboolean valid_phone(const char *s)
{
	guint digits = 0;

	if (strlen(s) > 32)
		return FALSE;
	for (const char *p = s; *p; p++) {
		if (g_ascii_isdigit(*p))
			digits++;
		else if (!(*p == '+' && p == s) && *p != '-' && *p != ' ')
			return FALSE;
	}
	return !*s || digits >= 4;
}

/* "0", yyyy-MM-ddTHH:mm:ssZ or yyyy-MM-ddTHH:mm:ss.SSSZ (4.8.5) -> epoch ms (0 = never). */
static gboolean parse_expiry(const char *s, gint64 *ret_ms)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	gsize len = strlen(s);
	g_autoptr(GDateTime) dt = NULL;

	if (g_str_equal(s, "0")) {
		*ret_ms = 0;
		return TRUE;
	}
	if (len != 20 && len != 24)
		return FALSE;
	for (gsize i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !g_ascii_isdigit(s[i]) : s[i] != shape[i])
			return FALSE;
	if (len == 24 && (s[19] != '.' || !g_ascii_isdigit(s[20]) || !g_ascii_isdigit(s[21]) ||
			  !g_ascii_isdigit(s[22])))
		return FALSE;
	if (s[len - 1] != 'Z')
		return FALSE;
	dt = g_date_time_new_from_iso8601(s, NULL);
	if (!dt)
		return FALSE;
	*ret_ms = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
	return TRUE;
}

typedef struct {
	const char *name;
	gboolean is_bool;
	gsize max_len;
} UserField;

static const UserField user_fields[] = {
	{ "description", FALSE, 255 },
	{ "user_email", FALSE, 254 },
	{ "user_phone", FALSE, 32 },
	{ "active_type", FALSE, 32 },
	{ "account_expires", FALSE, 24 },
	{ "enable_change_password", TRUE, 0 },
	{ "next_login_change_password", TRUE, 0 },
	{ "password_never_expired", TRUE, 0 },
	{ "disabled", TRUE, 0 },
	{ "user_info_map", FALSE, 1024 },
};

/* The field of fields (n of them) that item of a 4.8.4 or 4.8.2 body sets, checked: its
 * type, length and format; group_ids (4.8.2's array) is its caller's to check. NULL after a
 * 400. */
static const UserField *valid_field(const UserField *fields, gsize n, const cJSON *item,
				    EmuResponse *resp)
{
	const UserField *field = NULL;
	const char *s;
	gint64 ms;

	for (gsize i = 0; item->string && i < n; i++)
		if (g_str_equal(item->string, fields[i].name))
			field = &fields[i];
	if (!field) {
		INVALID(resp, item->string ? item->string : "body");
		return NULL;
	}
	if (g_str_equal(field->name, "group_ids"))
		return field;
	if (field->is_bool ? !cJSON_IsBool(item) :
	    !cJSON_IsString(item) || strlen(item->valuestring) > field->max_len) {
		INVALID(resp, field->name);
		return NULL;
	}
	s = field->is_bool ? NULL : item->valuestring;
	if ((g_str_equal(field->name, "user_name") && !tenant_valid_user_name(s)) ||
	    (g_str_equal(field->name, "user_email") && !valid_email(s)) ||
	    (g_str_equal(field->name, "user_phone") && !valid_phone(s)) ||
	    (g_str_equal(field->name, "active_type") &&
	     !g_str_equal(s, "USER_ACTIVATE") && !g_str_equal(s, "ADMIN_ACTIVATE")) ||
	    (g_str_equal(field->name, "account_expires") && !parse_expiry(s, &ms))) {
		INVALID(resp, field->name);
		return NULL;
	}
	return field;
}

static gboolean validate_update(cJSON *json, EmuResponse *resp)
{
	cJSON *item;

	cJSON_ArrayForEach(item, json)
		if (!valid_field(user_fields, G_N_ELEMENTS(user_fields), item, resp))
			return FALSE;
	return TRUE;
}

static void set_string(char **field, cJSON *item)
{
	g_free(*field);
	*field = g_strdup(item->valuestring);
}

static void apply_update(User *u, cJSON *json)
{
	cJSON *item;

	cJSON_ArrayForEach(item, json) {
		const char *n = item->string;

		if (g_str_equal(n, "description"))
			set_string(&u->description, item);
		else if (g_str_equal(n, "user_email"))
			set_string(&u->email, item);
		else if (g_str_equal(n, "user_phone"))
			set_string(&u->phone, item);
		else if (g_str_equal(n, "user_info_map"))
			set_string(&u->user_info_map, item);
		else if (g_str_equal(n, "active_type"))
			u->active_type = g_str_equal(item->valuestring, "ADMIN_ACTIVATE") ?
					 ADMIN_ACTIVATE : USER_ACTIVATE;
		else if (g_str_equal(n, "account_expires"))
			parse_expiry(item->valuestring, &u->account_expires_ms);
		else if (g_str_equal(n, "enable_change_password"))
			u->enable_change_password = cJSON_IsTrue(item);
		else if (g_str_equal(n, "next_login_change_password"))
			u->next_login_change_password = cJSON_IsTrue(item);
		else if (g_str_equal(n, "password_never_expired"))
			u->password_never_expired = cJSON_IsTrue(item);
		else if (g_str_equal(n, "disabled"))
			u->disabled = cJSON_IsTrue(item);
	}
}

void users_update(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	gboolean found;
	User *u;

	if (!json)
		return;
	if (!validate_update(json, resp))
		goto out;
	tenant_lock(t);
	u = tenant_user(t, req->params[1]);
	found = u != NULL;
	if (u)
		apply_update(u, json);
	tenant_unlock(t);
	if (found) {
		cJSON *body = cJSON_CreateObject();

		cJSON_AddStringToObject(body, "id", req->params[1]);
		emu_reply_json(resp, 200, body);
	} else {
		reply_no_user(resp, req->params[1]);
	}
out:
	cJSON_Delete(json);
}

void users_action(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	cJSON *op, *item;
	gboolean found;
	User *u;

	if (!json)
		return;
	cJSON_ArrayForEach(item, json) {
		if (!item->string || !g_str_equal(item->string, "op_type")) {
			INVALID(resp, item->string ? item->string : "body");
			goto out;
		}
	}
	op = cJSON_GetObjectItemCaseSensitive(json, "op_type");
	if (!cJSON_IsString(op) || (!g_str_equal(op->valuestring, "LOCK") &&
				    !g_str_equal(op->valuestring, "UNLOCK") &&
				    !g_str_equal(op->valuestring, "RESET_PWD"))) {
		INVALID(resp, "op_type (LOCK, UNLOCK or RESET_PWD)");
		goto out;
	}
	tenant_lock(t);
	u = tenant_user(t, req->params[1]);
	found = u != NULL;
	if (u && g_str_equal(op->valuestring, "RESET_PWD"))
		/* The new password goes to the user out of band; what is observable is that
		 * they must change it at the next login. */
		u->next_login_change_password = TRUE;
	else if (u)
		u->locked = g_str_equal(op->valuestring, "LOCK");
	tenant_unlock(t);
	if (found)
		emu_reply_empty(resp, 204);
	else
		reply_no_user(resp, req->params[1]);
out:
	cJSON_Delete(json);
}

/* 4.8.3: 204. The user's desktops stay, unassigned. */
void users_delete(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	User *u;

	tenant_lock(t);
	u = tenant_user(t, req->params[1]);
	if (u)
		tenant_delete_user(t, u);
	tenant_unlock(t);
	if (u)
		emu_reply_empty(resp, 204);
	else
		reply_no_user(resp, req->params[1]);
}

/* ---- 4.8.2 ---- */

static const UserField create_fields[] = {
	{ "user_name", FALSE, 20 },
	{ "user_email", FALSE, 254 },
	{ "account_expires", FALSE, 24 },
	{ "active_type", FALSE, 32 },
	{ "user_phone", FALSE, 32 },
	{ "password", FALSE, 32 },
	{ "enable_change_password", TRUE, 0 },
	{ "next_login_change_password", TRUE, 0 },
	{ "group_ids", FALSE, 0 },	/* an array of ids, checked on its own */
	{ "description", FALSE, 255 },
	{ "alias_name", FALSE, 64 },
	{ "enterprise_project_id", FALSE, 64 },
	{ "user_info_map", FALSE, 1024 },
};

/* 8 to 32 characters, three of: lower case, upper case, digits, others. */
static gboolean complex_password(const char *s)
{
	gboolean lower = FALSE, upper = FALSE, digit = FALSE, other = FALSE;
	gsize len = strlen(s);

	for (const char *p = s; *p; p++) {
		lower |= g_ascii_islower(*p);
		upper |= g_ascii_isupper(*p);
		digit |= g_ascii_isdigit(*p);
		other |= !g_ascii_isalnum(*p);
	}
	return len >= 8 && len <= 32 && lower + upper + digit + other >= 3;
}

static gboolean validate_group_ids(const cJSON *ids, EmuResponse *resp)
{
	const cJSON *id;

	if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) > 100) {
		INVALID(resp, "group_ids (an array of at most 100 group IDs)");
		return FALSE;
	}
	cJSON_ArrayForEach(id, ids) {
		if (!cJSON_IsString(id)) {
			INVALID(resp, "group_ids");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean validate_create(cJSON *json, EmuResponse *resp)
{
	const char *name = NULL, *password = NULL, *active = NULL;
	g_autofree char *lower_name = NULL, *lower_password = NULL;
	cJSON *item;

	cJSON_ArrayForEach(item, json) {
		const UserField *field = valid_field(create_fields, G_N_ELEMENTS(create_fields),
						     item, resp);
		const char *s;

		if (!field)
			return FALSE;
		if (g_str_equal(field->name, "group_ids")) {
			if (!validate_group_ids(item, resp))
				return FALSE;
			continue;
		}
		s = field->is_bool ? NULL : item->valuestring;
		if (g_str_equal(field->name, "user_name"))
			name = s;
		else if (g_str_equal(field->name, "password"))
			password = s;
		else if (g_str_equal(field->name, "active_type"))
			active = s;
	}
	if (!name) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. user_name is missing.");
		return FALSE;
	}
	if (active && g_str_equal(active, "ADMIN_ACTIVATE") && !password) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. password is missing (activation "
				"by the administrator needs one).");
		return FALSE;
	}
	if (!password)
		return TRUE;
	if (!complex_password(password)) {
		emu_reply_error(resp, 400, "WKS.00170101", "The password complexity is "
				"insufficient.");
		return FALSE;
	}
	lower_name = g_ascii_strdown(name, -1);
	lower_password = g_ascii_strdown(password, -1);
	if (strstr(lower_password, lower_name)) {
		emu_reply_error(resp, 400, "WKS.00170103", "The password contains the user name.");
		return FALSE;
	}
	return TRUE;
}

/* The first of group_ids that names no group, or NULL. */
static const char *missing_group(Tenant *t, const cJSON *ids)
{
	const cJSON *id;

	cJSON_ArrayForEach(id, ids)
		if (!g_hash_table_lookup(t->group_by_id, id->valuestring))
			return id->valuestring;
	return NULL;
}

static void apply_create(Tenant *t, User *u, cJSON *json)
{
	const cJSON *ids = cJSON_GetObjectItemCaseSensitive(json, "group_ids"), *id;

	/* 4.8.5's fields are set as a modify sets them; the rest are not shown by the API. */
	apply_update(u, json);
	cJSON_ArrayForEach(id, ids)
		tenant_group_add(t, g_hash_table_lookup(t->group_by_id, id->valuestring), u);
}

void users_create(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *json = emu_request_json_object(req, resp);
	TenantError err = { 0 };
	g_autofree char *missing = NULL, *id = NULL;
	User *u = NULL;

	if (!json)
		return;
	if (!validate_create(json, resp))
		goto out;
	tenant_lock(t);
	missing = g_strdup(missing_group(t, cJSON_GetObjectItemCaseSensitive(json,
									"group_ids")));
	if (!missing)
		u = tenant_add_user(t, cJSON_GetObjectItemCaseSensitive(json,
							"user_name")->valuestring, &err);
	if (u) {
		apply_create(t, u, json);
		id = g_strdup(u->id);
	}
	tenant_unlock(t);
	if (missing) {
		emu_reply_error(resp, 404, "WKS.00010031", "The resource does not found. The "
				"resource type is user group and resource id [%s].", missing);
	} else if (!u) {
		emu_reply_error(resp, err.status, err.code, "%s", err.msg);
	} else {
		cJSON *body = cJSON_CreateObject();

		cJSON_AddStringToObject(body, "id", id);
		emu_reply_json(resp, 201, body);
	}
	tenant_error_clear(&err);
out:
	cJSON_Delete(json);
}
