/* render.c — Workspace tenant objects -> cJSON, with the API's field names and types.
 *
 * Owns: the DesktopDetailInfo, User, UserDetail, job, UserGroupInfo, UserInGroup and desktop
 * pool shapes (catalog.json 4.3.8, 4.8.1, 4.8.4, 4.28.1, 4.9.1, 4.9.7, 4.4.5, 4.4.15) and every
 * derived value (volume ids, MAC, IP, order id come from the object's salt, so they are stable
 * without being stored). Field order follows the catalog tables. App Streaming objects are in
 * render-apps.c.
 * Must not: change tenant state, take locks (callers hold the tenant lock), print JSON.
 */
#include "emulator/render.h"
#include "emulator/emulator.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char *const tag_keys[EMU_N_TAGS] = { "team", "env", "cost-center", "owner" };
static const char *const tag_values[EMU_N_TAGS] = { "finance", "prod", "cc-1042", "it-ops" };

char *render_time_ms(gint64 unix_ms)
{
	time_t secs = (time_t)(unix_ms / 1000);
	struct tm tm;

	gmtime_r(&secs, &tm);
	return g_strdup_printf("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
			       tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
			       (int)(unix_ms % 1000));
}

static void add_time(cJSON *obj, const char *name, gint64 unix_ms)
{
	g_autofree char *s = render_time_ms(unix_ms);

	cJSON_AddStringToObject(obj, name, s);
}

static void add_fmt(cJSON *obj, const char *name, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void add_fmt(cJSON *obj, const char *name, const char *fmt, ...)
{
	g_autofree char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	s = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	cJSON_AddStringToObject(obj, name, s);
}

static void hex128(guint64 salt, guint k, char out[33])
{
	snprintf(out, 33, "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
		 emu_mix64(salt + k), emu_mix64(salt + k + 1));
}

static void derived_uuid(guint64 salt, guint k, char out[37])
{
	emu_format_uuid(emu_mix64(salt + k), emu_mix64(salt + k + 1), out);
}

void render_desktop_ipv4(const Tenant *t, const Desktop *d, char out[16])
{
	guint i = (guint)(d - t->desktops);
	guint rest = i / 250;

	snprintf(out, 16, "10.%u.%u.%u", (rest >> 8) & 0xff, rest & 0xff, i % 250 + 2);
}

void render_tag(guint i, const char **ret_key, const char **ret_value)
{
	*ret_key = tag_keys[i];
	*ret_value = tag_values[i];
}

static cJSON *render_volume(const Desktop *d, guint n, gboolean ssd, int size)
{
	cJSON *v = cJSON_CreateObject();
	char id[33], volume_id[37];

	hex128(d->salt, 10 + 4 * n, id);
	derived_uuid(d->salt, 12 + 4 * n, volume_id);
	cJSON_AddStringToObject(v, "type", ssd ? "SSD" : "SAS");
	cJSON_AddNumberToObject(v, "size", size);
	add_fmt(v, "device", "/dev/vd%c", 'a' + n);
	cJSON_AddStringToObject(v, "id", id);
	cJSON_AddStringToObject(v, "volume_id", volume_id);
	cJSON_AddStringToObject(v, "bill_resource_id", volume_id);
	add_time(v, "create_time", d->created_ms - 9000 + 7 * n);
	add_fmt(v, "display_name", "%s-volume-%04u", d->computer_name, n);
	cJSON_AddStringToObject(v, "resource_spec_code",
				ssd ? "workspace.volume.ultrahigh" : "workspace.volume.high");
	return v;
}

static cJSON *render_product(const EmuProduct *p, gboolean monthly)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "product_id", p->product_id);
	cJSON_AddStringToObject(o, "flavor_id", p->flavor_id);
	cJSON_AddStringToObject(o, "type", "BASE");
	cJSON_AddStringToObject(o, "cpu", p->cpu);
	cJSON_AddStringToObject(o, "memory", p->memory);
	cJSON_AddStringToObject(o, "descriptions", p->descriptions);
	cJSON_AddStringToObject(o, "charge_mode", monthly ? "1" : "0");
	cJSON_AddStringToObject(o, "architecture", "x86");
	cJSON_AddBoolToObject(o, "is_gpu", p->is_gpu);
	cJSON_AddStringToObject(o, "package_type", p->package_type);
	cJSON_AddStringToObject(o, "system_disk_type", "SAS");
	cJSON_AddStringToObject(o, "system_disk_size", p->system_disk_size);
	cJSON_AddBoolToObject(o, "contain_data_disk", FALSE);
	cJSON_AddStringToObject(o, "resource_type", "hws.resource.type.workspace.desktop");
	cJSON_AddStringToObject(o, "cloud_service_type", "hws.service.type.vdi");
	cJSON_AddStringToObject(o, "volume_product_type", "workspace");
	cJSON_AddStringToObject(o, "status", "normal");
	return o;
}

static cJSON *render_metadata(const Tenant *t, const Desktop *d)
{
	const EmuProduct *p = &emu_products[d->product];
	const EmuImage *img = &emu_images[d->image];
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "image_name", img->image_name);
	add_fmt(m, "metering.resourcespeccode", "%s%s", p->flavor_id, img->spec_suffix);
	cJSON_AddStringToObject(m, "charging_mode", d->monthly ? "1" : "0");
	cJSON_AddStringToObject(m, "metering.image_id", t->image_ids[d->image]);
	cJSON_AddStringToObject(m, "metering.resourcetype", "1");
	cJSON_AddStringToObject(m, "os_type", img->os_type);
	cJSON_AddStringToObject(m, "os_bit", "64");
	add_fmt(m, "bill_resource_id", "%s.workspace", d->id);
	cJSON_AddStringToObject(m, "desktop_os_version", img->os_version);
	return m;
}

static cJSON *render_addresses(const Tenant *t, const Desktop *d, const char *ipv4)
{
	cJSON *map = cJSON_CreateObject();
	cJSON *list = cJSON_AddArrayToObject(map, t->subnet_ids[d->subnet]);
	cJSON *a = cJSON_CreateObject();
	guint32 mac = (guint32)emu_mix64(d->salt + 40);

	cJSON_AddStringToObject(a, "addr", ipv4);
	cJSON_AddStringToObject(a, "version", "4");
	add_fmt(a, "OS-EXT-IPS-MAC:mac_addr", "fa:16:3e:%02x:%02x:%02x", (mac >> 16) & 0xff,
		(mac >> 8) & 0xff, mac & 0xff);
	cJSON_AddStringToObject(a, "OS-EXT-IPS:type", "fixed");
	cJSON_AddItemToArray(list, a);
	return map;
}

static const char *user_group_of(const Desktop *d)
{
	gboolean admin = d->salt & 1;

	if (d->user < 0)
		return "";
	if (g_str_equal(emu_images[d->image].os_type, "Windows"))
		return admin ? "administrators" : "users";
	return admin ? "sudo" : "default";
}

static int job_process(const Job *job)
{
	gint64 now = g_get_monotonic_time();
	gint64 span = job->deadline_us - job->start_us;

	if (job->done)
		return 100;
	if (span <= 0)
		return 99;
	return (int)CLAMP((now - job->start_us) * 100 / span, 0, 99);
}

cJSON *render_desktop(const Tenant *t, const Desktop *d)
{
	const EmuProduct *p = &emu_products[d->product];
	const User *user = d->user >= 0 ? &t->users[d->user] : NULL;
	static const char *const modes[] = { "", "NAT", "EIP" };
	cJSON *o = cJSON_CreateObject();
	cJSON *arr, *item;
	char ipv4[16], sid[37];

	render_desktop_ipv4(t, d, ipv4);
	cJSON_AddStringToObject(o, "desktop_id", d->id);
	cJSON_AddStringToObject(o, "computer_name", d->computer_name);
	cJSON_AddStringToObject(o, "os_host_name", d->computer_name);
	cJSON_AddItemToObject(o, "addresses", render_addresses(t, d, ipv4));
	arr = cJSON_AddArrayToObject(o, "ip_addresses");
	cJSON_AddItemToArray(arr, cJSON_CreateString(ipv4));
	cJSON_AddStringToObject(o, "ipv4", ipv4);
	cJSON_AddStringToObject(o, "ipv6", "");
	arr = cJSON_AddArrayToObject(o, "user_list");
	if (user)
		cJSON_AddItemToArray(arr, cJSON_CreateString(user->name));
	cJSON_AddArrayToObject(o, "user_group_list");
	/* 4.3.8's desktop_type filter: DEDICATED or POOLED (a desktop in a pool). */
	cJSON_AddStringToObject(o, "desktop_type", d->pool >= 0 ? "POOLED" : "DEDICATED");
	cJSON_AddStringToObject(o, "resource_type", d->pool >= 0 ? "POOLED_DESKTOP" :
				"DEDICATED_DESKTOP");
	cJSON_AddItemToObject(o, "metadata", render_metadata(t, d));
	item = cJSON_AddObjectToObject(o, "flavor");
	cJSON_AddStringToObject(item, "id", p->flavor_id);
	cJSON_AddArrayToObject(item, "links");
	cJSON_AddStringToObject(o, "status", desktop_status_name(d->status));
	cJSON_AddStringToObject(o, "task_status", d->task_status);
	cJSON_AddBoolToObject(o, "in_maintenance_mode", d->in_maintenance_mode);
	add_time(o, "created", d->created_ms);
	arr = cJSON_AddArrayToObject(o, "security_groups");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "id", t->security_group_id);
	cJSON_AddStringToObject(item, "name", "WorkspaceUserSecurityGroup");
	cJSON_AddItemToArray(arr, item);
	cJSON_AddStringToObject(o, "login_status", login_status_name(d->login_status));
	cJSON_AddStringToObject(o, "user_name", user ? user->name : "");
	arr = cJSON_AddArrayToObject(o, "attach_user_infos");
	if (user) {
		item = cJSON_CreateObject();
		cJSON_AddStringToObject(item, "user_id", user->id);
		cJSON_AddStringToObject(item, "user_name", user->name);
		cJSON_AddStringToObject(item, "user_group", user_group_of(d));
		cJSON_AddStringToObject(item, "type", "USER");
		cJSON_AddItemToArray(arr, item);
	}
	cJSON_AddStringToObject(o, "product_id", p->product_id);
	cJSON_AddStringToObject(o, "share_resource_sku", "");
	cJSON_AddItemToObject(o, "root_volume", render_volume(d, 0, d->salt & 2,
							     atoi(p->system_disk_size)));
	arr = cJSON_AddArrayToObject(o, "data_volumes");
	for (guint n = 1; n <= d->n_data_volumes; n++)
		cJSON_AddItemToArray(arr, render_volume(d, n, d->salt & 2, 50 * n));
	cJSON_AddStringToObject(o, "user_group", user_group_of(d));
	cJSON_AddStringToObject(o, "availability_zone", emu_zones[d->zone]);
	cJSON_AddStringToObject(o, "site_type", "CENTER");
	cJSON_AddStringToObject(o, "site_name", "Huawei Cloud Central Site");
	cJSON_AddItemToObject(o, "product", render_product(p, d->monthly));
	cJSON_AddStringToObject(o, "ou_name", "");
	cJSON_AddStringToObject(o, "os_version", emu_images[d->image].os_version);
	derived_uuid(d->salt, 30, sid);
	cJSON_AddStringToObject(o, "sid", sid);
	if (d->monthly)
		add_fmt(o, "order_id", "CS%08" G_GINT64_MODIFIER "X",
			emu_mix64(d->salt + 50) & G_GUINT64_CONSTANT(0xffffffffffff));
	else
		cJSON_AddStringToObject(o, "order_id", "");
	cJSON_AddItemToObject(o, "tags", tags_render(t, d));
	cJSON_AddBoolToObject(o, "is_support_internet", d->internet != 0);
	cJSON_AddStringToObject(o, "internet_mode", modes[d->internet]);
	arr = cJSON_AddArrayToObject(o, "internet_mode_list");
	if (d->internet)
		cJSON_AddItemToArray(arr, cJSON_CreateString(modes[d->internet]));
	cJSON_AddBoolToObject(o, "is_attaching_eip", FALSE);
	cJSON_AddStringToObject(o, "attach_state", user ? "ATTACHED" : "UNATTACH");
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddStringToObject(o, "subnet_id", t->subnet_ids[d->subnet]);
	cJSON_AddStringToObject(o, "bill_resource_id", d->id);
	if (d->job)
		cJSON_AddNumberToObject(o, "process", job_process(d->job));
	else
		cJSON_AddNullToObject(o, "process");
	cJSON_AddStringToObject(o, "root_resource_id", d->id);
	cJSON_AddNullToObject(o, "hour_package_info");
	return o;
}

cJSON *render_group_names(const Tenant *t, const User *u)
{
	cJSON *names = cJSON_CreateArray();

	for (guint i = 0; u->groups && i < u->groups->len; i++)
		cJSON_AddItemToArray(names, cJSON_CreateString(
			t->groups[g_array_index(u->groups, guint32, i)].name));
	return names;
}

static gboolean account_expired(const User *u)
{
	return u->account_expires_ms != 0 && u->account_expires_ms < g_get_real_time() / 1000;
}

static const char *active_type_name(const User *u)
{
	return u->active_type == ADMIN_ACTIVATE ? "ADMIN_ACTIVATE" : "USER_ACTIVATE";
}

cJSON *render_user(const Tenant *t, const User *u, gboolean with_total)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", u->id);
	cJSON_AddStringToObject(o, "sid", u->id);
	cJSON_AddStringToObject(o, "user_name", u->name);
	cJSON_AddStringToObject(o, "user_email", u->email);
	if (with_total)
		cJSON_AddNumberToObject(o, "total_desktops", u->total_desktops);
	cJSON_AddStringToObject(o, "user_phone", u->phone);
	cJSON_AddStringToObject(o, "active_type", active_type_name(u));
	cJSON_AddBoolToObject(o, "is_pre_user", FALSE);
	if (u->account_expires_ms)
		add_time(o, "account_expires", u->account_expires_ms);
	else
		cJSON_AddStringToObject(o, "account_expires", "0");
	cJSON_AddBoolToObject(o, "password_never_expired", u->password_never_expired);
	cJSON_AddBoolToObject(o, "account_expired", account_expired(u));
	cJSON_AddBoolToObject(o, "enable_change_password", u->enable_change_password);
	cJSON_AddBoolToObject(o, "next_login_change_password", u->next_login_change_password);
	cJSON_AddStringToObject(o, "description", u->description);
	cJSON_AddBoolToObject(o, "locked", u->locked);
	cJSON_AddBoolToObject(o, "disabled", u->disabled);
	cJSON_AddBoolToObject(o, "share_space_subscription", FALSE);
	cJSON_AddNumberToObject(o, "share_space_desktops", 0);
	cJSON_AddItemToObject(o, "group_names", render_group_names(t, u));
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddStringToObject(o, "user_info_map", u->user_info_map);
	return o;
}

cJSON *render_user_detail(const Tenant *t, const User *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "description", u->description);
	cJSON_AddStringToObject(o, "id", u->id);
	cJSON_AddStringToObject(o, "user_name", u->name);
	cJSON_AddStringToObject(o, "user_email", u->email);
	cJSON_AddStringToObject(o, "user_phone", u->phone);
	cJSON_AddStringToObject(o, "active_type", active_type_name(u));
	cJSON_AddStringToObject(o, "object_sid", u->id);
	cJSON_AddStringToObject(o, "sam_account_name", u->name);
	add_fmt(o, "user_principal_name", "%s@example.com", u->name);
	cJSON_AddStringToObject(o, "full_name", u->name);
	add_fmt(o, "distinguished_name", "CN=%s,OU=Workspace,DC=example,DC=com", u->name);
	cJSON_AddNumberToObject(o, "account_type", 0);
	add_time(o, "when_created", u->created_ms);
	cJSON_AddNumberToObject(o, "account_expires", (double)u->account_expires_ms);
	cJSON_AddBoolToObject(o, "is_pre_user", FALSE);
	cJSON_AddBoolToObject(o, "user_expired", account_expired(u));
	cJSON_AddBoolToObject(o, "locked", u->locked);
	cJSON_AddBoolToObject(o, "enable_change_password", u->enable_change_password);
	cJSON_AddBoolToObject(o, "password_never_expired", u->password_never_expired);
	cJSON_AddBoolToObject(o, "next_login_change_password", u->next_login_change_password);
	cJSON_AddBoolToObject(o, "disabled", u->disabled);
	cJSON_AddItemToObject(o, "group_names", render_group_names(t, u));
	cJSON_AddBoolToObject(o, "share_space_subscription", FALSE);
	cJSON_AddNumberToObject(o, "share_space_desktops", 0);
	cJSON_AddNumberToObject(o, "total_desktops", u->total_desktops);
	return o;
}

/* The user of a job's i-th desktop: its own, or the one a create job gives it. */
static const char *job_user(const Tenant *t, const Job *job, guint i)
{
	const Desktop *d = &t->desktops[job->targets[i]];

	if (d->user >= 0)
		return t->users[d->user].name;
	return job->user_names ? job->user_names[i] : "";
}

/* One sub-job's entities: a desktop's (4.28.1), or an App Streaming server's. */
static void add_entities(const Tenant *t, const Job *job, guint i, cJSON *s)
{
	cJSON *e = cJSON_AddObjectToObject(s, "entities");
	char ipv4[16];

	if (job->kind == JOB_SERVERS) {
		const AppServer *srv = &t->servers[job->targets[i]];

		render_server_ipv4(t, srv, ipv4);
		cJSON_AddStringToObject(e, "server_id", srv->id);
		cJSON_AddStringToObject(e, "server_name", srv->name);
		cJSON_AddStringToObject(e, "machine_name", srv->machine_name);
		cJSON_AddStringToObject(e, "ip_address", ipv4);
	} else {
		const Desktop *d = &t->desktops[job->targets[i]];

		render_desktop_ipv4(t, d, ipv4);
		cJSON_AddStringToObject(e, "desktop_id", d->id);
		cJSON_AddStringToObject(e, "product_id", emu_products[d->product].product_id);
		cJSON_AddStringToObject(e, "user_name", job_user(t, job, i));
		cJSON_AddStringToObject(e, "desktop_name", d->computer_name);
		cJSON_AddStringToObject(e, "ip_address", ipv4);
	}
}

/* job_type: the 4.28.2 enumeration has "executeDesktopsAction: performing operations on a
 * desktop", the type 4.3.9 and 4.4.12 jobs get here, for the job and each per-desktop
 * sub-job, and "createDesktops" (4.3.1). App Streaming server jobs have no documented
 * Workspace job type; they are "executeAppServersAction" here. */
cJSON *render_job(const Tenant *t, const Job *job)
{
	const char *status = job->done ? "SUCCESS" : "RUNNING";
	const char *type = job->kind == JOB_SERVERS ? "executeAppServersAction" :
			   job->kind == JOB_CREATE_DESKTOPS ? "createDesktops" :
			   job->kind == JOB_CREATE_SNAPSHOTS ? "createSnapshot" :
			   job->kind == JOB_DELETE ? job->type :
			   "executeDesktopsAction";
	gint64 end_ms = job->begin_ms + (gint64)((job->deadline_us - job->start_us) / 1000);
	int process = job_process(job);
	cJSON *o = cJSON_CreateObject();
	cJSON *subs;

	cJSON_AddStringToObject(o, "id", job->id);
	cJSON_AddStringToObject(o, "job_type", type);
	add_time(o, "begin_time", job->begin_ms);
	if (job->done)
		add_time(o, "end_time", end_ms);
	else
		cJSON_AddStringToObject(o, "end_time", "");
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddStringToObject(o, "job_error_code", "");
	cJSON_AddStringToObject(o, "fail_reason", "");
	cJSON_AddNumberToObject(o, "sub_jobs_total", job->n);
	subs = cJSON_AddArrayToObject(o, "sub_jobs");
	for (guint i = 0; i < job->n; i++) {
		cJSON *s = cJSON_CreateObject();
		const char *entity, *user = "";
		char ipv4[16];

		if (job->kind == JOB_SERVERS) {
			entity = t->servers[job->targets[i]].id;
			render_server_ipv4(t, &t->servers[job->targets[i]], ipv4);
		} else {
			const Desktop *d = &t->desktops[job->targets[i]];

			entity = d->id;
			user = job_user(t, job, i);
			render_desktop_ipv4(t, d, ipv4);
		}
		cJSON_AddStringToObject(s, "id", job->sub_ids[i]);
		cJSON_AddStringToObject(s, "job_type", type);
		add_entities(t, job, i, s);
		add_time(s, "begin_time", job->begin_ms);
		if (job->done)
			add_time(s, "end_time", end_ms);
		else
			cJSON_AddStringToObject(s, "end_time", "");
		cJSON_AddStringToObject(s, "status", status);
		cJSON_AddStringToObject(s, "error_code", "");
		cJSON_AddStringToObject(s, "fail_reason", "");
		cJSON_AddStringToObject(s, "host", "");
		cJSON_AddStringToObject(s, "project_id", t->project_id);
		cJSON_AddStringToObject(s, "job_id", job->id);
		cJSON_AddNumberToObject(s, "process", process);
		cJSON_AddStringToObject(s, "attach_user", user);
		cJSON_AddStringToObject(s, "entity", entity);
		cJSON_AddStringToObject(s, "ip_address", ipv4);
		cJSON_AddItemToArray(subs, s);
	}
	return o;
}

cJSON *render_group(const Tenant *t, const Group *g)
{
	cJSON *o = cJSON_CreateObject();
	int desktops = 0;

	for (guint i = 0; i < g->members->len; i++)
		desktops += t->users[g_array_index(g->members, guint32, i)].total_desktops;
	cJSON_AddStringToObject(o, "name", g->name);
	cJSON_AddStringToObject(o, "id", g->id);
	add_time(o, "create_time", g->created_ms);
	cJSON_AddStringToObject(o, "description", g->description);
	cJSON_AddNumberToObject(o, "user_quantity", g->members->len);
	cJSON_AddObjectToObject(o, "parent");
	cJSON_AddStringToObject(o, "realm_id", "");
	cJSON_AddStringToObject(o, "platform_type", g->ad ? "AD" : "LOCAL");
	add_fmt(o, "group_dn", "CN=%s,OU=Workspace,DC=example,DC=com", g->name);
	cJSON_AddStringToObject(o, "domain", "example.com");
	add_fmt(o, "sid", "S-1-5-21-%u-%u", (guint)(emu_mix64((guint64)g->created_ms) %
		1000000000), (guint)(g - t->groups) + 1000);
	cJSON_AddNumberToObject(o, "total_desktops", desktops);
	return o;
}

cJSON *render_group_member(const Tenant *t, const User *u)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", u->id);
	cJSON_AddStringToObject(o, "user_name", u->name);
	cJSON_AddStringToObject(o, "user_email", u->email);
	cJSON_AddStringToObject(o, "user_phone", u->phone);
	cJSON_AddNumberToObject(o, "total_desktops", u->total_desktops);
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddStringToObject(o, "description", u->description);
	return o;
}

static cJSON *pool_volume(const Pool *p, guint n, int size)
{
	cJSON *v = cJSON_CreateObject();
	char id[37];

	derived_uuid(p->salt, 10 + 4 * n, id);
	cJSON_AddStringToObject(v, "id", id);
	cJSON_AddStringToObject(v, "type", "SAS");
	cJSON_AddNumberToObject(v, "size", size);
	cJSON_AddStringToObject(v, "resource_spec_code", "workspace.volume.high");
	return v;
}

/* 4.4.2 list items and the 4.4.5 detail are the same object. */
cJSON *render_pool(const Tenant *t, const Pool *p)
{
	const EmuProduct *prod = &emu_products[p->product];
	const EmuImage *img = &emu_images[p->image];
	cJSON *o = cJSON_CreateObject();
	cJSON *arr, *item;
	int used = 0;

	for (guint i = 0; i < p->desktops->len; i++)
		used += t->desktops[g_array_index(p->desktops, guint32, i)].user >= 0;
	cJSON_AddStringToObject(o, "id", p->id);
	cJSON_AddStringToObject(o, "name", p->name);
	cJSON_AddStringToObject(o, "type", p->dynamic ? "DYNAMIC" : "STATIC");
	cJSON_AddStringToObject(o, "description", p->description);
	add_time(o, "created_time", p->created_ms);
	/* 4.4.2: "0 (monthly) or 1 (pay-per-use)". */
	cJSON_AddStringToObject(o, "charging_mode", p->monthly ? "0" : "1");
	cJSON_AddNumberToObject(o, "desktop_count", p->desktops->len);
	cJSON_AddNumberToObject(o, "desktop_used", used);
	cJSON_AddStringToObject(o, "availability_zone", emu_zones[p->zone]);
	cJSON_AddStringToObject(o, "subnet_id", t->subnet_ids[p->subnet]);
	cJSON_AddItemToObject(o, "product", render_product(prod, p->monthly));
	cJSON_AddStringToObject(o, "image_id", t->image_ids[p->image]);
	cJSON_AddStringToObject(o, "image_name", img->image_name);
	cJSON_AddStringToObject(o, "image_os_type", img->os_type);
	cJSON_AddStringToObject(o, "image_os_version", img->os_version);
	cJSON_AddStringToObject(o, "image_os_platform", img->os_type);
	add_fmt(o, "image_product_code", "%s%s", prod->flavor_id, img->spec_suffix);
	cJSON_AddItemToObject(o, "root_volume", pool_volume(p, 0,
							   atoi(prod->system_disk_size)));
	arr = cJSON_AddArrayToObject(o, "data_volumes");
	for (guint n = 1; n <= p->n_data_volumes; n++)
		cJSON_AddItemToArray(arr, pool_volume(p, n, 50 * n));
	arr = cJSON_AddArrayToObject(o, "security_groups");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "id", t->security_group_id);
	cJSON_AddStringToObject(item, "name", "WorkspaceUserSecurityGroup");
	cJSON_AddItemToArray(arr, item);
	cJSON_AddNumberToObject(o, "disconnected_retention_period", p->dynamic ? 60 : 0);
	cJSON_AddBoolToObject(o, "enable_autoscale", p->dynamic);
	item = cJSON_AddObjectToObject(o, "autoscale_policy");
	cJSON_AddStringToObject(item, "autoscale_type", p->dynamic ? "AUTO_CREATED" :
				"ACCESS_CREATED");
	cJSON_AddNumberToObject(item, "max_auto_created", 10);
	cJSON_AddNumberToObject(item, "min_idle", 1);
	cJSON_AddNumberToObject(item, "once_auto_created", 1);
	cJSON_AddStringToObject(o, "status", "STEADY");
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddBoolToObject(o, "in_maintenance_mode", p->in_maintenance_mode);
	cJSON_AddStringToObject(o, "desktop_name_policy_id", "");
	return o;
}

/* PoolDesktopsDetailInfo (4.4.15): a DesktopDetailInfo plus how it differs from its pool. */
cJSON *render_pool_desktop(const Tenant *t, const Desktop *d)
{
	cJSON *o = render_desktop(t, d);
	cJSON *arr = cJSON_AddArrayToObject(o, "inconsistent_types");
	const Pool *p = d->pool >= 0 ? &t->pools[d->pool] : NULL;

	if (p && d->product != p->product)
		cJSON_AddItemToArray(arr, cJSON_CreateString("PRODUCT"));
	if (p && d->image != p->image)
		cJSON_AddItemToArray(arr, cJSON_CreateString("IMAGE"));
	return o;
}
