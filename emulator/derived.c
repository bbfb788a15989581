/* derived.c — what the read-only kinds of issue 10 compute from the tenant's live state:
 * the Workspace service itself (4.2.7), the quotas and their use (4.25.1), the desktop
 * statistics (4.21.14 run state, 4.21.15 login state, 4.21.16 unused desktops), the alarm
 * counts (4.22.2, over the generated alarms), the logins per hour or day (4.13.4), and the
 * sub-jobs of running and finished jobs (4.28.2, before kinds.c's generated history).
 *
 * Owns: those answers' shapes (catalog.json's example responses) and their rules: the
 * unused desktops are the ones nobody is connected to, paged by offset and limit 0-2000
 * (default 1000); online-users takes query_type MONTH | WEEK | DAY, or start_time with
 * end_time (one without the other is 400 WKS.0001), and counts logins from the desktops
 * connected now, spread over office hours.
 * Must not: change the tenant; every answer is built under the tenant lock and sent after.
 */
#include "emulator/kinds.h"
#include "emulator/render.h"

#include <string.h>

#define J(...) #__VA_ARGS__

#define INVALID(resp, what) \
	emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered through " \
			"the interface is invalid. %s is invalid.", what)

/* ---- 4.2.7 the Workspace service ---- */

static const char workspace_template[] = J({"id": "", "is_global": false,
	"ad_domains": {"domain_type": "LOCAL_AD", "domain_name": "vdesktop.com",
		"domain_admin_account": "vdsadmin", "active_domain_name": "ecs-ad.vdesktop.com",
		"active_domain_ip": "192.168.0.131", "standby_domain_name": "",
		"standby_domain_ip": "", "active_dns_ip": "192.168.0.131", "standby_dns_ip": "",
		"delete_computer_object": "1", "use_ldaps": true, "tls_config": {
			"cert_pem": "", "cert_start_time": "2024-01-25T09:24:27",
			"cert_end_time": "2026-01-25T09:34:27"}},
	"vpc_id": "", "vpc_name": "vpc-workspace", "access_mode": "BOTH",
	"adn_conflict_network": "", "dedicated_subnets": "192.168.0.0/24;10.0.0.0/16",
	"dedicated_access_address": "https://192.168.0.53",
	"internet_access_address": "https://172.16.25.134", "internet_access_port": "443",
	"status": "SUBSCRIBED", "access_status": "openSuccess", "subnet_ids": [],
	"vpc_config_infos": [], "management_subnet_cidr": "192.168.0.0/24",
	"infrastructure_security_group": {"id": "", "name": "WorkspaceManagerSecurityGroup"},
	"desktop_security_group": {"id": "", "name": "WorkspaceUserSecurityGroup"},
	"closable": false, "config_status": "0", "progress": "100%", "job_id": "",
	"fail_code": 0, "fail_reason": "", "enterprise_id": "wks-enterprise",
	"enterprise_project_id": "0", "is_send_email": true, "authorized_collect_log": false,
	"authorized_hda_upgrade": false, "site_configs": [], "dc_vnc_ip": "",
	"is_authorized_inst_all_agent": true, "is_support_ipv6": false,
	"enable_user_create_snapshot": false});

void workspace_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	cJSON *o = cJSON_Parse(workspace_template);
	cJSON *subnets = cJSON_CreateArray(), *vpcs = cJSON_CreateArray();
	cJSON *vpc = cJSON_CreateObject(), *ids = cJSON_CreateArray();
	guint64 h = emu_mix64(g_str_hash(t->project_id));
	char id[37];

	emu_format_uuid(h, emu_mix64(h), id);
	cJSON_ReplaceItemInObjectCaseSensitive(o, "vpc_id", cJSON_CreateString(id));
	cJSON_AddStringToObject(vpc, "vpc_id", id);
	g_snprintf(id, sizeof(id), "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x", h,
		   emu_mix64(h + 1));
	cJSON_ReplaceItemInObjectCaseSensitive(o, "id", cJSON_CreateString(id));
	for (guint i = 0; i < EMU_N_SUBNETS; i++) {
		cJSON *s = cJSON_CreateObject();

		cJSON_AddStringToObject(s, "subnet_id", t->subnet_ids[i]);
		cJSON_AddItemToArray(subnets, s);
		cJSON_AddItemToArray(ids, cJSON_CreateString(t->subnet_ids[i]));
	}
	cJSON_AddItemToObject(vpc, "subnet_ids", ids);
	cJSON_AddBoolToObject(vpc, "default_access_vpc", TRUE);
	cJSON_AddItemToArray(vpcs, vpc);
	cJSON_ReplaceItemInObjectCaseSensitive(o, "subnet_ids", subnets);
	cJSON_ReplaceItemInObjectCaseSensitive(o, "vpc_config_infos", vpcs);
	cJSON_ReplaceItemInObjectCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "desktop_security_group"), "id",
		cJSON_CreateString(t->security_group_id));
	emu_format_uuid(emu_mix64(h + 2), emu_mix64(h + 3), id);
	cJSON_ReplaceItemInObjectCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(o, "infrastructure_security_group"), "id",
		cJSON_CreateString(id));
	emu_reply_json(resp, 200, o);
}

/* ---- 4.25.1 quotas: the central site's, their use counted from the tenant ---- */

static void add_quota(cJSON *arr, const char *type, gint64 quota, gint64 used,
		      const char *unit)
{
	cJSON *r = cJSON_CreateObject();

	cJSON_AddStringToObject(r, "type", type);
	cJSON_AddNumberToObject(r, "quota", (double)MAX(quota, used));
	cJSON_AddNumberToObject(r, "used", (double)used);
	if (unit)
		cJSON_AddStringToObject(r, "unit", unit);
	cJSON_AddItemToArray(arr, r);
}

void quotas_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const GPtrArray *policy_groups = kinds_objects(t, "policy-groups");
	gint64 instances = 0, gpu = 0, volumes = 0, gigabytes = 0, cores = 0, memory = 0;
	gint64 users = 0;
	cJSON *body = cJSON_CreateObject(), *res, *site, *site_res;

	tenant_lock(t);
	for (gsize i = 0; i < t->n_desktops; i++) {
		const Desktop *d = &t->desktops[i];
		const EmuProduct *p = &emu_products[d->product];

		if (d->deleted)
			continue;
		instances += !p->is_gpu;
		gpu += p->is_gpu;
		volumes += 1 + d->n_data_volumes;
		gigabytes += atoi(p->system_disk_size) + 100 * d->n_data_volumes;
		cores += atoi(p->cpu);
		memory += atoi(p->memory) / 1024;
	}
	for (gsize i = 0; i < t->n_users; i++)
		users += !t->users[i].deleted;
	tenant_unlock(t);
	res = cJSON_AddArrayToObject(cJSON_AddObjectToObject(body, "quotas"), "resources");
	add_quota(res, "general_instances", 1000, instances, NULL);
	add_quota(res, "volumes", 5000, volumes, NULL);
	add_quota(res, "volume_gigabytes", 500000, gigabytes, "GB");
	add_quota(res, "cores", 8000, cores, NULL);
	add_quota(res, "Memory", 16000, memory, "GB");
	add_quota(res, "gpu_instances", 10, gpu, NULL);
	add_quota(res, "users", 3000, users, NULL);
	add_quota(res, "policy_groups", 100, policy_groups ? policy_groups->len : 0, NULL);
	site = cJSON_CreateObject();
	cJSON_AddStringToObject(site, "site_id", "147258369");
	site_res = cJSON_AddArrayToObject(site, "resources");
	add_quota(site_res, "gpu_instances", 50, 0, NULL);
	add_quota(site_res, "ies_instances", 500, 0, NULL);
	cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "site_quotas"), site);
	emu_reply_json(resp, 200, body);
}

/* ---- 4.21.14, 4.21.15, 4.21.16 desktop statistics; 4.22.2 alarm counts ---- */

void stats_run_state(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	gint64 n[4] = { 0 };	/* DesktopStatus */
	cJSON *body = cJSON_CreateObject();

	tenant_lock(t);
	for (gsize i = 0; i < t->n_desktops; i++)
		if (!t->desktops[i].deleted)
			n[t->desktops[i].status]++;
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "stop_num", (double)n[DESKTOP_SHUTOFF]);
	cJSON_AddNumberToObject(body, "active_num", (double)n[DESKTOP_ACTIVE]);
	cJSON_AddNumberToObject(body, "error_num", (double)n[DESKTOP_ERROR]);
	cJSON_AddNumberToObject(body, "hibernated_num", (double)n[DESKTOP_HIBERNATED]);
	emu_reply_json(resp, 200, body);
}

void stats_login_state(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	gint64 n[4] = { 0 }, broken = 0;	/* LoginStatus; desktops in ERROR */
	cJSON *body = cJSON_CreateObject();

	tenant_lock(t);
	for (gsize i = 0; i < t->n_desktops; i++) {
		const Desktop *d = &t->desktops[i];

		if (d->deleted)
			continue;
		if (d->status == DESKTOP_ERROR)
			broken++;
		else
			n[d->login_status]++;
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "in_use_num", (double)n[LOGIN_CONNECTED]);
	cJSON_AddNumberToObject(body, "unregistered_num", (double)n[LOGIN_UNREGISTER]);
	cJSON_AddNumberToObject(body, "unable_to_connect_num", (double)broken);
	cJSON_AddNumberToObject(body, "ready_num", (double)n[LOGIN_REGISTERED]);
	cJSON_AddNumberToObject(body, "disconnected_num", (double)n[LOGIN_DISCONNECTED]);
	emu_reply_json(resp, 200, body);
}

void stats_unused(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	static const QueryPage page = { 1000, 0, 2000, FALSE };
	Tenant *t = emu->tenant;
	gint64 offset, limit, total = 0;
	cJSON *body, *list;

	if (!query_page(req, resp, &page, &offset, &limit))
		return;
	if (offset > 2000) {
		emu_reply_error(resp, 400, "WKS.0508",
				"The value of offset must be from 0 to 2000.");
		return;
	}
	body = cJSON_CreateObject();
	list = cJSON_AddArrayToObject(body, "unused_desktops");
	tenant_lock(t);
	for (gsize i = 0; i < t->n_desktops; i++) {
		const Desktop *d = &t->desktops[i];
		cJSON *o;
		char *s;

		if (d->deleted || d->login_status == LOGIN_CONNECTED ||
		    d->login_status == LOGIN_DISCONNECTED)
			continue;
		if (total >= offset && total - offset < limit) {
			o = cJSON_CreateObject();
			cJSON_AddStringToObject(o, "desktop_id", d->id);
			cJSON_AddStringToObject(o, "compute_name", d->computer_name);
			s = render_time_ms(d->created_ms);
			cJSON_AddStringToObject(o, "create_time", s);
			g_free(s);
			s = render_time_ms(d->created_ms + (gint64)(d->salt % 86400000));
			cJSON_AddStringToObject(o, "disconnect_time", s);
			g_free(s);
			cJSON_AddItemToArray(list, o);
		}
		total++;
	}
	tenant_unlock(t);
	cJSON_AddNumberToObject(body, "total_count", (double)total);
	emu_reply_json(resp, 200, body);
}

void stats_alarms(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	const GPtrArray *alarms = kinds_objects(emu->tenant, "alarms");
	gint64 n[5] = { 0 };
	cJSON *body = cJSON_CreateObject();

	for (guint i = 0; alarms && i < alarms->len; i++) {
		int level = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(alarms->pdata[i],
									  "level"));

		if (level >= 1 && level <= 4)
			n[level]++;
	}
	cJSON_AddNumberToObject(body, "critical_count", (double)n[1]);
	cJSON_AddNumberToObject(body, "major_count", (double)n[2]);
	cJSON_AddNumberToObject(body, "minor_count", (double)n[3]);
	cJSON_AddNumberToObject(body, "info_count", (double)n[4]);
	cJSON_AddNumberToObject(body, "total", (double)(alarms ? alarms->len : 0));
	emu_reply_json(resp, 200, body);
}

/* ---- 4.13.4 logins per hour (DAY) or per day (WEEK, MONTH, or a time window) ---- */

/* Of 100 logins a day, how many fall in each hour. */
static const guint8 hour_share[24] = {
	0, 0, 0, 0, 0, 0, 1, 3, 9, 12, 11, 9, 6, 8, 10, 9, 8, 6, 4, 2, 1, 1, 0, 0,
};

/* yyyy-MM-ddTHH:mmZ (the example's), or with seconds. */
static GDateTime *parse_time(const char *s)
{
	g_autofree char *iso = NULL;

	if (!s || strlen(s) < 17 || s[strlen(s) - 1] != 'Z')
		return NULL;
	iso = strlen(s) == 17 ? g_strdup_printf("%.16s:00Z", s) : g_strdup(s);
	return g_date_time_new_from_iso8601(iso, NULL);
}

void online_users_get(Emu *emu, EmuRequest *req, EmuResponse *resp)
{
	Tenant *t = emu->tenant;
	const char *type = emu_request_arg(req, "query_type");
	const char *from_s = emu_request_arg(req, "start_time");
	const char *to_s = emu_request_arg(req, "end_time");
	g_autoptr(GDateTime) from = parse_time(from_s), to = parse_time(to_s);
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	gint64 connected = 0, days;
	cJSON *body, *counts;

	if (type && !g_str_equal(type, "MONTH") && !g_str_equal(type, "WEEK") &&
	    !g_str_equal(type, "DAY")) {
		INVALID(resp, "query_type (MONTH, WEEK or DAY)");
		return;
	}
	if (!type && (!from_s != !to_s || (from_s && (!from || !to)))) {
		INVALID(resp, !from_s || !from ? "start_time" : "end_time");
		return;
	}
	tenant_lock(t);
	for (gsize i = 0; i < t->n_desktops; i++)
		connected += !t->desktops[i].deleted &&
			     t->desktops[i].login_status == LOGIN_CONNECTED;
	tenant_unlock(t);
	body = cJSON_CreateObject();
	counts = cJSON_AddArrayToObject(body, "time_counts");
	if ((type && g_str_equal(type, "DAY")) || (!type && !from_s)) {
		for (guint h = 0; h < 24; h++) {
			g_autofree char *s = g_strdup_printf("%02u:00 : %" G_GINT64_FORMAT, h,
							     connected * hour_share[h] / 10);

			cJSON_AddItemToArray(counts, cJSON_CreateString(s));
		}
		emu_reply_json(resp, 200, body);
		return;
	}
	days = type ? (g_str_equal(type, "WEEK") ? 7 : 30)
		    : CLAMP(g_date_time_difference(to, from) / G_TIME_SPAN_DAY + 1, 1, 366);
	for (gint64 d = 0; d < days; d++) {
		g_autoptr(GDateTime) day = type ? g_date_time_add_days(now, (gint)(d - days + 1))
						: g_date_time_add_days(from, (gint)d);
		g_autofree char *date = g_date_time_format(day, "%Y-%m-%d");
		gint64 n = connected * (7 + g_date_time_get_day_of_week(day) % 6) / 10;
		g_autofree char *s = g_strdup_printf("%s : %" G_GINT64_FORMAT, date, n);

		cJSON_AddItemToArray(counts, cJSON_CreateString(s));
	}
	emu_reply_json(resp, 200, body);
}

/* ---- 4.28.2 the live jobs' sub-jobs, newest job first ---- */

static void add_sub_jobs(GPtrArray *out, Tenant *t, const Job *job)
{
	cJSON *o = render_job(t, job);
	cJSON *subs = cJSON_GetObjectItemCaseSensitive(o, "sub_jobs");
	cJSON *s;

	while (subs && (s = cJSON_DetachItemFromArray(subs, 0)))
		g_ptr_array_add(out, s);
	cJSON_Delete(o);
}

GPtrArray *derived_sub_jobs(Tenant *t)
{
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);

	for (GList *l = t->running.tail; l; l = l->prev)
		add_sub_jobs(out, t, l->data);
	for (GList *l = t->finished.tail; l; l = l->prev)
		add_sub_jobs(out, t, l->data);
	return out;
}
