/* render-apps.c — App Streaming objects -> cJSON, in the API's field names and types.
 *
 * Owns: the ServerGroup (ListServerGroups items; ShowServerGroup, AS.3, adds its detail
 * fields at the top level), AppServer (ListServers; ShowServer adds addresses, volumes and
 * security groups at the top level), ShowJobDetail's job, SessionInfo (AS.2) and
 * SessionTypeEntity (AS.1) shapes. A server in transition (start, stop, reboot) shows it:
 * task_status powering-on | powering-off | rebooting | rebooting_hard, vm_status REBOOT |
 * HARD_REBOOT while rebooting, and status UNREGISTER (its agent is down) until it ends.
 * Field names and types follow AS.1-AS.3 and, for what the seed pages lack,
 * the official SDK's models (shared/api/sdk-operations.md): numbers the pages declare as
 * Integer are numbers even where an example prints them as strings.
 * Must not: change tenant state, take locks (callers hold the tenant lock), print JSON.
 */
#include "emulator/render.h"
#include "emulator/emulator.h"

#include <stdio.h>

static const char *const mount_policies[] = { "USER", "SHARE", "ANY" };
static const char *const app_names[] = {
	"Notepad++", "WPS Office", "AutoCAD", "Google Chrome", "Visual Studio Code", "SAP GUI",
};

static void add_time(cJSON *obj, const char *name, gint64 unix_ms)
{
	g_autofree char *s = render_time_ms(unix_ms);

	cJSON_AddStringToObject(obj, name, s);
}

void render_server_ipv4(const Tenant *t, const AppServer *s, char out[16])
{
	guint i = (guint)(s - t->servers);

	snprintf(out, 16, "172.16.%u.%u", (i / 250) & 0xff, i % 250 + 2);
}

static cJSON *app_product(const EmuAppProduct *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "product_id", p->product_id);
	cJSON_AddStringToObject(o, "flavor_id", p->flavor_id);
	cJSON_AddStringToObject(o, "type", "BASE");
	cJSON_AddStringToObject(o, "architecture", "x86");
	cJSON_AddStringToObject(o, "cpu", p->cpu);
	cJSON_AddStringToObject(o, "cpu_desc", p->descriptions);
	cJSON_AddStringToObject(o, "memory", p->memory);
	cJSON_AddBoolToObject(o, "is_gpu", FALSE);
	cJSON_AddStringToObject(o, "system_disk_type", "SAS");
	cJSON_AddStringToObject(o, "system_disk_size", "80");
	cJSON_AddStringToObject(o, "descriptions", p->descriptions);
	cJSON_AddStringToObject(o, "charge_mode", "0");
	cJSON_AddBoolToObject(o, "contain_data_disk", FALSE);
	cJSON_AddStringToObject(o, "resource_type", "hws.resource.type.workspace.appstream");
	cJSON_AddStringToObject(o, "cloud_service_type", "hws.service.type.vdi");
	cJSON_AddStringToObject(o, "volume_product_type", "workspace");
	cJSON_AddNumberToObject(o, "sessions", p->sessions);
	cJSON_AddStringToObject(o, "status", "normal");
	cJSON_AddStringToObject(o, "package_type", "general");
	return o;
}

static cJSON *tags_of(guint tag)
{
	cJSON *arr = cJSON_CreateArray();

	if (tag) {
		cJSON *item = cJSON_CreateObject();
		const char *key, *value;

		render_tag(tag - 1, &key, &value);
		cJSON_AddStringToObject(item, "key", key);
		cJSON_AddStringToObject(item, "value", value);
		cJSON_AddItemToArray(arr, item);
	}
	return arr;
}

static cJSON *flavor_of(const EmuAppProduct *p)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", p->flavor_id);
	cJSON_AddArrayToObject(o, "links");
	return o;
}

cJSON *render_server_group(const Tenant *t, const ServerGroup *g, gboolean detail)
{
	const EmuAppProduct *p = &emu_app_products[g->product];
	cJSON *o = cJSON_CreateObject();
	cJSON *item, *sub;
	char site[37];

	emu_format_uuid(emu_mix64(g->salt + 1), emu_mix64(g->salt + 2), site);
	cJSON_AddStringToObject(o, "id", g->id);
	cJSON_AddStringToObject(o, "name", g->name);
	cJSON_AddStringToObject(o, "description", g->description);
	cJSON_AddStringToObject(o, "image_id", t->image_ids[g->image]);
	cJSON_AddStringToObject(o, "os_type", emu_images[g->image].os_type);
	cJSON_AddStringToObject(o, "product_id", p->product_id);
	cJSON_AddStringToObject(o, "subnet_id", t->subnet_ids[g->subnet]);
	cJSON_AddStringToObject(o, "system_disk_type", "SAS");
	cJSON_AddNumberToObject(o, "system_disk_size", 80);
	cJSON_AddBoolToObject(o, "is_vdi", FALSE);
	cJSON_AddStringToObject(o, "extra_session_type", "CPU");
	cJSON_AddNumberToObject(o, "extra_session_size", 0);
	cJSON_AddStringToObject(o, "app_type", g->session_desktop ? "SESSION_DESKTOP_APP" :
				"COMMON_APP");
	add_time(o, "create_time", g->created_ms);
	add_time(o, "update_time", g->created_ms);
	cJSON_AddStringToObject(o, "storage_mount_policy", mount_policies[g->mount_policy]);
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddArrayToObject(o, "primary_server_group_ids");
	cJSON_AddArrayToObject(o, "secondary_server_group_ids");
	cJSON_AddBoolToObject(o, "server_group_status", g->enabled);
	cJSON_AddStringToObject(o, "site_type", "CENTER");
	cJSON_AddStringToObject(o, "site_id", site);
	cJSON_AddNumberToObject(o, "app_server_flavor_count", 1);
	cJSON_AddNumberToObject(o, "app_server_count", g->n_servers);
	cJSON_AddNumberToObject(o, "app_group_count", 1 + (int)(g->salt % 3));
	cJSON_AddStringToObject(o, "image_name", emu_images[g->image].image_name);
	cJSON_AddItemToObject(o, "product_info", app_product(p));
	cJSON_AddStringToObject(o, "subnet_name", "subnet-workspace");
	item = cJSON_AddObjectToObject(o, "scaling_policy");
	cJSON_AddBoolToObject(item, "enable", FALSE);
	cJSON_AddNumberToObject(item, "max_scaling_amount", 10);
	cJSON_AddNumberToObject(item, "single_expansion_count", 1);
	sub = cJSON_AddObjectToObject(item, "scaling_policy_by_session");
	cJSON_AddNumberToObject(sub, "session_usage_threshold", 85);
	cJSON_AddNumberToObject(sub, "shrink_after_session_idle_minutes", 60);
	cJSON_AddItemToObject(o, "tags", tags_of(g->tag));
	cJSON_AddStringToObject(o, "ou_name", "");
	if (!detail)
		return o;
	item = cJSON_AddArrayToObject(o, "flavors");
	cJSON_AddItemToArray(item, flavor_of(p));
	cJSON_AddStringToObject(o, "project_name", EMU_DEFAULT_REGION);
	cJSON_AddNumberToObject(o, "image_min_disk", 0);
	item = cJSON_AddObjectToObject(o, "route_policy");
	cJSON_AddNumberToObject(item, "max_session", p->sessions);
	cJSON_AddNumberToObject(item, "cpu_threshold", 85);
	cJSON_AddNumberToObject(item, "mem_threshold", 85);
	cJSON_AddStringToObject(o, "image_product_id", "");
	cJSON_AddStringToObject(o, "image_type", "private");
	item = cJSON_AddObjectToObject(o, "ip_virtual");
	cJSON_AddBoolToObject(item, "enable", FALSE);
	return o;
}

static gboolean in_transition(const AppServer *s)
{
	return s->job && s->job->op != EMU_OP_REJOIN_DOMAIN;
}

/* AppServer.status is the registration state; vm_status the machine's. */
static const char *server_status(const AppServer *s)
{
	if (s->maintain)
		return "MAINTAINING";
	if (in_transition(s))
		return "UNREGISTER";
	switch (s->status) {
	case DESKTOP_ACTIVE:
		return "REGISTERED";
	case DESKTOP_SHUTOFF:
		return "STOPPED";
	default:
		return "UNREGISTER";
	}
}

cJSON *render_server(const Tenant *t, const AppServer *s)
{
	const ServerGroup *g = &t->server_groups[s->group];
	const EmuAppProduct *p = &emu_app_products[g->product];
	cJSON *o = cJSON_CreateObject();
	cJSON *item, *arr;
	char ipv4[16], instance[37];

	render_server_ipv4(t, s, ipv4);
	emu_format_uuid(emu_mix64(s->salt + 1), emu_mix64(s->salt + 2), instance);
	cJSON_AddStringToObject(o, "id", s->id);
	cJSON_AddStringToObject(o, "name", s->name);
	cJSON_AddStringToObject(o, "machine_name", s->machine_name);
	cJSON_AddStringToObject(o, "description", "");
	cJSON_AddStringToObject(o, "server_group_id", g->id);
	cJSON_AddItemToObject(o, "flavor", flavor_of(p));
	cJSON_AddStringToObject(o, "status", server_status(s));
	add_time(o, "create_time", s->created_ms);
	add_time(o, "update_time", s->updated_ms ? s->updated_ms : s->created_ms);
	cJSON_AddStringToObject(o, "image_id", t->image_ids[g->image]);
	cJSON_AddStringToObject(o, "availability_zone", emu_zones[s->zone]);
	cJSON_AddStringToObject(o, "domain", "example.com");
	cJSON_AddStringToObject(o, "ou_name", "");
	cJSON_AddStringToObject(o, "sid", "");
	cJSON_AddStringToObject(o, "instance_id", instance);
	cJSON_AddStringToObject(o, "os_version", emu_images[g->image].os_version);
	cJSON_AddStringToObject(o, "os_type", emu_images[g->image].os_type);
	cJSON_AddStringToObject(o, "order_id", "");
	cJSON_AddBoolToObject(o, "maintain_status", s->maintain);
	cJSON_AddBoolToObject(o, "scaling_auto_create", s->scaling_auto_create);
	if (*s->last_job_id) {
		cJSON_AddStringToObject(o, "job_id", s->last_job_id);
		cJSON_AddStringToObject(o, "job_type", "REJOIN_DOMAIN");
		cJSON_AddStringToObject(o, "job_status", s->job && !in_transition(s) ? "RUNNING" :
					"SUCCESS");
		add_time(o, "job_time", s->last_job_ms);
	}
	cJSON_AddStringToObject(o, "resource_pool_id", "");
	cJSON_AddStringToObject(o, "resource_pool_type", "public");
	cJSON_AddStringToObject(o, "host_id", "");
	cJSON_AddStringToObject(o, "server_group_name", g->name);
	cJSON_AddItemToObject(o, "product_info", app_product(p));
	item = cJSON_AddObjectToObject(o, "metadata");
	cJSON_AddStringToObject(item, "charging_mode", "0");
	cJSON_AddStringToObject(item, "image_name", emu_images[g->image].image_name);
	cJSON_AddStringToObject(item, "os_type", emu_images[g->image].os_type);
	cJSON_AddNumberToObject(o, "session_count", s->session_count);
	if (in_transition(s) && s->job->op == EMU_OP_REBOOT)
		cJSON_AddStringToObject(o, "vm_status", s->job->hard ? "HARD_REBOOT" : "REBOOT");
	else
		cJSON_AddStringToObject(o, "vm_status", desktop_status_name(s->status));
	cJSON_AddStringToObject(o, "task_status", s->task_status);
	cJSON_AddArrayToObject(o, "freeze");
	arr = cJSON_AddArrayToObject(o, "host_address");
	item = cJSON_CreateObject();
	cJSON_AddStringToObject(item, "addr", ipv4);
	cJSON_AddNumberToObject(item, "version", 4);
	cJSON_AddStringToObject(item, "OS-EXT-IPS:type", "fixed");
	cJSON_AddStringToObject(item, "subnet_id", t->subnet_ids[g->subnet]);
	cJSON_AddItemToArray(arr, item);
	cJSON_AddStringToObject(o, "enterprise_project_id", "0");
	cJSON_AddItemToObject(o, "tags", tags_of(g->tag));
	return o;
}

static cJSON *volume(const AppServer *s, guint n, const char *device, int size)
{
	cJSON *o = cJSON_CreateObject();
	char id[37], volume_id[37];

	emu_format_uuid(emu_mix64(s->salt + 10 + n), emu_mix64(s->salt + 20 + n), id);
	emu_format_uuid(emu_mix64(s->salt + 30 + n), emu_mix64(s->salt + 40 + n), volume_id);
	cJSON_AddStringToObject(o, "encrypt_flag", "0");
	cJSON_AddStringToObject(o, "type", "SAS");
	cJSON_AddNumberToObject(o, "size", size);
	cJSON_AddStringToObject(o, "device", device);
	cJSON_AddStringToObject(o, "id", id);
	cJSON_AddStringToObject(o, "volume_id", volume_id);
	return o;
}

cJSON *render_server_detail(const Tenant *t, const AppServer *s)
{
	const ServerGroup *g = &t->server_groups[s->group];
	cJSON *o = render_server(t, s);
	cJSON *nets = cJSON_AddObjectToObject(o, "addresses");
	cJSON *arr = cJSON_AddArrayToObject(nets, t->subnet_ids[g->subnet]);
	cJSON *addr = cJSON_CreateObject(), *sg;
	char ipv4[16], mac[18], port[37];

	render_server_ipv4(t, s, ipv4);
	snprintf(mac, sizeof(mac), "fa:16:3e:%02x:%02x:%02x", (guint)(s->salt & 0xff),
		 (guint)((s->salt >> 8) & 0xff), (guint)((s->salt >> 16) & 0xff));
	emu_format_uuid(emu_mix64(s->salt + 3), emu_mix64(s->salt + 4), port);
	cJSON_AddStringToObject(addr, "addr", ipv4);
	cJSON_AddNumberToObject(addr, "version", 4);
	cJSON_AddStringToObject(addr, "OS-EXT-IPS-MAC:mac_addr", mac);
	cJSON_AddStringToObject(addr, "OS-EXT-IPS:type", "fixed");
	cJSON_AddStringToObject(addr, "OS-EXT-IPS:port_id", port);
	cJSON_AddItemToArray(arr, addr);
	cJSON_AddItemToObject(o, "root_volume", volume(s, 0, "/dev/vda", 80));
	cJSON_AddArrayToObject(o, "data_volumes");
	arr = cJSON_AddArrayToObject(o, "security_groups");
	sg = cJSON_CreateObject();
	cJSON_AddStringToObject(sg, "id", t->security_group_id);
	cJSON_AddStringToObject(sg, "name", "WorkspaceUserSecurityGroup");
	cJSON_AddItemToArray(arr, sg);
	return o;
}

/* ShowJobDetail: an App Streaming job (REJOIN_DOMAIN), one sub-job per server. */
cJSON *render_app_job(const Tenant *t, const Job *job)
{
	const char *status = job->done ? "SUCCESS" : "RUNNING";
	gint64 end_ms = job->begin_ms + (job->deadline_us - job->start_us) / 1000;
	cJSON *o = cJSON_CreateObject();
	cJSON *subs;

	cJSON_AddStringToObject(o, "id", job->id);
	cJSON_AddStringToObject(o, "job_type", "REJOIN_DOMAIN");
	add_time(o, "begin_time", job->begin_ms);
	if (job->done)
		add_time(o, "end_time", end_ms);
	cJSON_AddStringToObject(o, "status", status);
	cJSON_AddNumberToObject(o, "sub_jobs_total", job->n);
	subs = cJSON_AddArrayToObject(o, "sub_jobs");
	for (guint i = 0; i < job->n; i++) {
		const AppServer *srv = &t->servers[job->targets[i]];
		cJSON *sub = cJSON_CreateObject();
		cJSON *res;

		cJSON_AddStringToObject(sub, "id", job->sub_ids[i]);
		cJSON_AddStringToObject(sub, "job_type", "REJOIN_DOMAIN");
		res = cJSON_AddObjectToObject(sub, "job_resource_info");
		cJSON_AddStringToObject(res, "resource_id", srv->id);
		cJSON_AddStringToObject(res, "resource_name", srv->name);
		add_time(sub, "begin_time", job->begin_ms);
		if (job->done)
			add_time(sub, "end_time", end_ms);
		cJSON_AddStringToObject(sub, "status", status);
		cJSON_AddStringToObject(sub, "project_id", t->project_id);
		cJSON_AddStringToObject(sub, "job_id", job->id);
		cJSON_AddItemToArray(subs, sub);
	}
	return o;
}

static void add_ip(cJSON *o, const char *name, guint32 a, guint32 b)
{
	char ip[16];

	snprintf(ip, sizeof(ip), "%u.%u.%u.%u", a, b, 10 + (a ^ b) % 200, 1 + b % 250);
	cJSON_AddStringToObject(o, name, ip);
}

cJSON *render_session(const Tenant *t, const Session *s)
{
	const AppServer *srv = &t->servers[s->server];
	const ServerGroup *g = &t->server_groups[srv->group];
	gboolean open = s->end_ms == 0;
	gint64 last = open ? s->start_ms : s->end_ms;
	cJSON *o = cJSON_CreateObject();
	char vm_ip[16], stamp[96];

	render_server_ipv4(t, srv, vm_ip);
	snprintf(stamp, sizeof(stamp), "S-1-5-21-%u-%s@example.com-HDP-%u",
		 (guint)(srv->salt % 1000000000), s->login_user, (guint)(s->client % 9 + 1));
	cJSON_AddStringToObject(o, "id", s->id);
	cJSON_AddStringToObject(o, "session_stamp", stamp);
	cJSON_AddStringToObject(o, "os_session_id", s->state == SESSION_INIT_FAIL ? "" : "2");
	cJSON_AddStringToObject(o, "protocol_type", "HDP");
	cJSON_AddStringToObject(o, "login_user", s->login_user);
	/* "1 indicates shared desktop, and 2 indicates application". */
	cJSON_AddStringToObject(o, "session_type", g->session_desktop ? "1" : "2");
	cJSON_AddStringToObject(o, "app_server_group_id", g->id);
	cJSON_AddStringToObject(o, "app_server_group_name", g->name);
	add_time(o, "pre_conn_time", s->pre_conn_ms);
	add_time(o, "start_time", s->start_ms);
	if (open)
		cJSON_AddStringToObject(o, "end_time", "");
	else
		add_time(o, "end_time", s->end_ms);
	cJSON_AddStringToObject(o, "status_continue_time", "");
	cJSON_AddStringToObject(o, "machine_sid", "");
	cJSON_AddStringToObject(o, "machine_name", srv->machine_name);
	cJSON_AddStringToObject(o, "session_state", session_state_name(s->state));
	cJSON_AddStringToObject(o, "app_name", app_names[s->app % G_N_ELEMENTS(app_names)]);
	cJSON_AddStringToObject(o, "client_mac", "");
	cJSON_AddStringToObject(o, "client_name", "");
	add_ip(o, "client_ip", 192, (s->client >> 8) & 0xff);
	add_ip(o, "public_ip", 203, s->client & 0xff);
	cJSON_AddStringToObject(o, "client_version", "24.6.0");
	cJSON_AddStringToObject(o, "client_type", "WINDOWS");
	cJSON_AddStringToObject(o, "agent_version", "23.5.0.0606");
	cJSON_AddStringToObject(o, "vm_ip", vm_ip);
	cJSON_AddStringToObject(o, "failed_reason", s->state == SESSION_INIT_FAIL ?
				"The session failed to initialize." : "");
	cJSON_AddStringToObject(o, "failed_code", s->state == SESSION_INIT_FAIL ? "HDP.1001" : "");
	add_time(o, "last_update_status_time", last);
	cJSON_AddStringToObject(o, "tenant_id", t->project_id);
	cJSON_AddStringToObject(o, "primary_server_group_id", "");
	cJSON_AddStringToObject(o, "secondary_server_group_id", "");
	return o;
}

cJSON *render_session_type(guint i)
{
	static const char *const codes[EMU_N_SESSION_TYPES] = {
		"workspace.appstreamsession.premium", "workspace.appstreamsession.standard",
	};
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "resource_spec_code", codes[i]);
	cJSON_AddStringToObject(o, "session_type", i == 0 ? "GPU" : "CPU");
	cJSON_AddStringToObject(o, "resource_type", "hws.resource.type.workspace.appstreamsession");
	cJSON_AddStringToObject(o, "cloud_service_type", "hws.service.type.vdi");
	return o;
}
