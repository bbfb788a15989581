/* tenant.c — the emulated tenant and its state machine.
 *
 * Owns: generating desktops and users from --seed (a GRand seeded with the 64-bit seed; no
 * wall clock in generated data, so one seed and one size always give the same tenant), the
 * lookup tables, and the jobs that desktop actions start. Jobs advance lazily: tenant_lock()
 * finishes every job whose deadline (monotonic clock) has passed, so no timer thread exists.
 * Must not: know about HTTP or JSON (render.c and the handlers do), sleep, or do I/O.
 */
#include "emulator/tenant.h"
#include "emulator/emulator.h"

#include <stdio.h>
#include <string.h>

const EmuProduct emu_products[] = {
	{ "workspace.x86.general.large2", "s6.large.2", "2", "4096",
	  "General | 2 vCPUs | 4 GB memory", "general", "80", FALSE },
	{ "workspace.x86.general.xlarge2", "s6.xlarge.2", "4", "8192",
	  "General | 4 vCPUs | 8 GB memory", "general", "80", FALSE },
	{ "workspace.x86.enterprise.xlarge4", "s6.xlarge.4", "4", "16384",
	  "Enterprise | 4 vCPUs | 16 GB memory", "enterprise", "100", FALSE },
	{ "workspace.x86.ultimate.2xlarge4", "p1.2xlarge.8", "8", "32768",
	  "Ultimate | 8 vCPUs | 32 GB memory", "ultimate", "140", FALSE },
	{ "workspace.x86.dedicated.2xlarge2", "c6.2xlarge.2", "8", "16384",
	  "Dedicated | 8 vCPUs | 16 GB memory", "dedicated", "100", FALSE },
	{ "workspace.gpu.workstation.4xlarge4", "g6.4xlarge.4", "16", "65536",
	  "Workstation | 16 vCPUs | 64 GB memory | GPU", "workstation", "200", TRUE },
};
const guint emu_n_products = G_N_ELEMENTS(emu_products);

const EmuImage emu_images[] = {
	{ "WKS_WIN1064_UserImage", "Windows", "Version2009(OS Build 19041.1288)", ".win" },
	{ "WKS_WIN11_23H2_64bit", "Windows", "Version23H2(OS Build 22631.2861)", ".win" },
	{ "Windows_Server_2019_DataCenter_64bit", "Windows",
	  "Windows Server 2019 Datacenter(OS Build 17763.1879)", ".win" },
	{ "UOS_20_Professional_64bit", "Linux", "UOS 20 Professional(1070)", ".linux" },
	{ "Ubuntu_22.04_64bit", "Linux", "Ubuntu 22.04.3 LTS", ".linux" },
};
const guint emu_n_images = G_N_ELEMENTS(emu_images);

const char *const emu_zones[] = { "ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c" };
const guint emu_n_zones = G_N_ELEMENTS(emu_zones);

static const char *const name_prefixes[] = {
	"dev", "ops", "fin", "hr", "eng", "qa", "sales", "mkt", "lab", "it", "law", "cad",
};

static const char *const user_descriptions[] = {
	"", "", "", "Finance team", "Engineering", "Contractor", "Help desk", "Design studio",
	"Sales EMEA", "Temporary account",
};

/* 2023-01-01T00:00:00Z: generated creation times fall in the two years after it. */
#define BASE_MS G_GINT64_CONSTANT(1672531200000)
#define SPAN_MS G_GINT64_CONSTANT(63072000000)

guint64 emu_mix64(guint64 x)
{
	x += G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
	x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT(0xbf58476d1ce4e5b9);
	x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

void emu_format_uuid(guint64 hi, guint64 lo, char out[37])
{
	hi = (hi & ~G_GUINT64_CONSTANT(0xf000)) | G_GUINT64_CONSTANT(0x4000);
	lo = (lo & ~(G_GUINT64_CONSTANT(3) << 62)) | (G_GUINT64_CONSTANT(2) << 62);
	snprintf(out, 37, "%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
		 (guint)(hi >> 32), (guint)(hi >> 16) & 0xffff, (guint)hi & 0xffff,
		 (guint)(lo >> 48), lo & G_GUINT64_CONSTANT(0xffffffffffff));
}

static guint64 rand64(GRand *rng)
{
	return (guint64)g_rand_int(rng) << 32 | g_rand_int(rng);
}

static void rand_uuid(GRand *rng, char out[37])
{
	guint64 hi = rand64(rng);

	emu_format_uuid(hi, rand64(rng), out);
}

/* TRUE with probability percent/100. */
static gboolean chance(GRand *rng, guint percent)
{
	return (guint)g_rand_int_range(rng, 0, 100) < percent;
}

static void generate_users(Tenant *t, GRand *rng)
{
	for (gsize i = 0; i < t->n_users; i++) {
		User *u = &t->users[i];
		guint64 hi = rand64(rng), lo = rand64(rng);

		snprintf(u->id, sizeof(u->id), "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER
			 "x", hi, lo);
		snprintf(u->name, sizeof(u->name), "user%04u", (guint)(i + 1));
		u->email = g_strdup_printf("%s@example.com", u->name);
		if (chance(rng, 70))
			u->phone = g_strdup_printf("+86-138%08u",
						   g_rand_int_range(rng, 0, 100000000));
		else
			u->phone = g_strdup("");
		u->description = g_strdup(user_descriptions[g_rand_int_range(rng, 0,
						G_N_ELEMENTS(user_descriptions))]);
		u->user_info_map = g_strdup("");
		u->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
		u->account_expires_ms = 0;
		u->active_type = chance(rng, 90) ? USER_ACTIVATE : ADMIN_ACTIVATE;
		u->password_never_expired = chance(rng, 30);
		u->enable_change_password = chance(rng, 90);
		u->next_login_change_password = chance(rng, 10);
		u->locked = chance(rng, 2);
		u->disabled = chance(rng, 2);
		g_hash_table_insert(t->user_by_id, u->id, u);
		g_hash_table_insert(t->user_by_name, u->name, u);
	}
}

static void generate_desktop(Tenant *t, GRand *rng, gsize i)
{
	Desktop *d = &t->desktops[i];
	guint roll;

	rand_uuid(rng, d->id);
	snprintf(d->computer_name, sizeof(d->computer_name), "%s-%05u",
		 name_prefixes[g_rand_int_range(rng, 0, G_N_ELEMENTS(name_prefixes))],
		 (guint)(i + 1));
	d->salt = rand64(rng);
	d->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
	d->product = g_rand_int_range(rng, 0, emu_n_products);
	d->image = g_rand_int_range(rng, 0, emu_n_images);
	d->zone = g_rand_int_range(rng, 0, emu_n_zones);
	d->subnet = g_rand_int_range(rng, 0, EMU_N_SUBNETS);
	d->n_data_volumes = g_rand_int_range(rng, 0, 3);
	/* Two draws ANDed: most desktops carry zero or one tag. */
	d->tag_mask = g_rand_int_range(rng, 0, 1 << EMU_N_TAGS) &
		      g_rand_int_range(rng, 0, 1 << EMU_N_TAGS);
	d->internet = g_rand_int_range(rng, 0, 3);
	d->monthly = chance(rng, 40);
	d->in_maintenance_mode = chance(rng, 3);

	roll = g_rand_int_range(rng, 0, 100);
	d->status = roll < 80 ? DESKTOP_ACTIVE : roll < 94 ? DESKTOP_SHUTOFF :
		    roll < 97 ? DESKTOP_HIBERNATED : DESKTOP_ERROR;

	d->user = -1;
	if (t->n_users > 0 && chance(rng, 85)) {
		d->user = g_rand_int_range(rng, 0, (gint32)t->n_users);
		t->users[d->user].total_desktops++;
	}

	roll = g_rand_int_range(rng, 0, 100);
	if (d->status != DESKTOP_ACTIVE)
		d->login_status = LOGIN_UNREGISTER;
	else if (d->user < 0 || roll < 50)
		d->login_status = LOGIN_REGISTERED;
	else
		d->login_status = roll < 85 ? LOGIN_CONNECTED : LOGIN_DISCONNECTED;
	d->task_status = "";
	g_hash_table_insert(t->desktop_by_id, d->id, d);
}

static void job_free(gpointer data)
{
	Job *job = data;

	g_free(job->desktops);
	g_free(job->sub_ids);
	g_free(job);
}

Tenant *tenant_new(gint64 seed, gsize n_desktops, gsize n_users, double job_seconds,
		   const char *project_id)
{
	guint32 seed_words[2] = { (guint32)((guint64)seed >> 32), (guint32)seed };
	g_autoptr(GRand) rng = g_rand_new_with_seed_array(seed_words, 2);
	Tenant *t = g_new0(Tenant, 1);

	g_mutex_init(&t->lock);
	t->job_seconds = job_seconds;
	t->project_id = g_strdup(project_id);
	t->n_desktops = n_desktops;
	t->n_users = n_users;
	t->desktops = g_new0(Desktop, MAX(n_desktops, 1));
	t->users = g_new0(User, MAX(n_users, 1));
	t->desktop_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	t->user_by_id = g_hash_table_new(g_str_hash, g_str_equal);
	t->user_by_name = g_hash_table_new(g_str_hash, g_str_equal);
	t->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, job_free);
	g_queue_init(&t->running);
	g_queue_init(&t->finished);

	for (guint i = 0; i < EMU_N_SUBNETS; i++)
		rand_uuid(rng, t->subnet_ids[i]);
	rand_uuid(rng, t->security_group_id);
	for (guint i = 0; i < G_N_ELEMENTS(t->image_ids); i++)
		rand_uuid(rng, t->image_ids[i]);

	generate_users(t, rng);
	for (gsize i = 0; i < n_desktops; i++)
		generate_desktop(t, rng, i);
	return t;
}

void tenant_free(Tenant *t)
{
	if (!t)
		return;
	for (gsize i = 0; i < t->n_users; i++) {
		g_free(t->users[i].email);
		g_free(t->users[i].phone);
		g_free(t->users[i].description);
		g_free(t->users[i].user_info_map);
	}
	g_queue_clear(&t->running);
	g_queue_clear(&t->finished);
	g_hash_table_destroy(t->jobs);
	g_hash_table_destroy(t->desktop_by_id);
	g_hash_table_destroy(t->user_by_id);
	g_hash_table_destroy(t->user_by_name);
	g_free(t->desktops);
	g_free(t->users);
	g_free(t->project_id);
	g_mutex_clear(&t->lock);
	g_free(t);
}

static DesktopStatus op_result(EmuOp op)
{
	switch (op) {
	case EMU_OP_STOP:
		return DESKTOP_SHUTOFF;
	case EMU_OP_HIBERNATE:
		return DESKTOP_HIBERNATED;
	case EMU_OP_START:
	case EMU_OP_REBOOT:
	default:
		return DESKTOP_ACTIVE;
	}
}

static void finish_job(Tenant *t, Job *job)
{
	DesktopStatus result = op_result(job->op);

	for (guint i = 0; i < job->n; i++) {
		Desktop *d = &t->desktops[job->desktops[i]];

		d->status = result;
		d->task_status = "";
		d->job = NULL;
		/* A started desktop registers itself; a stopped one unregisters (4.3.8). */
		d->login_status = result == DESKTOP_ACTIVE ? LOGIN_REGISTERED : LOGIN_UNREGISTER;
	}
	job->done = TRUE;
	g_queue_push_tail(&t->finished, job);
	while (g_queue_get_length(&t->finished) > EMU_MAX_JOBS) {
		Job *old = g_queue_pop_head(&t->finished);

		g_hash_table_remove(t->jobs, old->id);
	}
}

void tenant_lock(Tenant *t)
{
	gint64 now = g_get_monotonic_time();
	Job *job;

	g_mutex_lock(&t->lock);
	while ((job = g_queue_peek_head(&t->running)) && job->deadline_us <= now)
		finish_job(t, g_queue_pop_head(&t->running));
}

void tenant_unlock(Tenant *t)
{
	g_mutex_unlock(&t->lock);
}

Desktop *tenant_desktop(Tenant *t, const char *id)
{
	return g_hash_table_lookup(t->desktop_by_id, id);
}

User *tenant_user(Tenant *t, const char *id)
{
	return g_hash_table_lookup(t->user_by_id, id);
}

User *tenant_user_by_name(Tenant *t, const char *name)
{
	return g_hash_table_lookup(t->user_by_name, name);
}

Job *tenant_job(Tenant *t, const char *id)
{
	return g_hash_table_lookup(t->jobs, id);
}

void tenant_error_clear(TenantError *err)
{
	g_clear_pointer(&err->msg, g_free);
}

const char *emu_op_name(EmuOp op)
{
	static const char *const names[] = { "os-start", "os-stop", "reboot", "os-hibernate" };

	return names[op];
}

const char *desktop_status_name(DesktopStatus status)
{
	static const char *const names[] = { "ACTIVE", "SHUTOFF", "HIBERNATED", "ERROR" };

	return names[status];
}

const char *login_status_name(LoginStatus status)
{
	static const char *const names[] = {
		"UNREGISTER", "REGISTERED", "CONNECTED", "DISCONNECTED",
	};

	return names[status];
}

static gboolean set_error(TenantError *err, guint status, const char *code, char *msg)
{
	err->status = status;
	err->code = code;
	err->msg = msg;
	return FALSE;
}

/* Whether op may start on d; the codes are the ones Appendix A.2 lists for each case. */
static gboolean check_desktop(const Desktop *d, EmuOp op, TenantError *err)
{
	if (d->in_maintenance_mode)
		return set_error(err, 409, "WKS.0016", g_strdup_printf(
			"Cannot operate the desktop in maintenance mode or the desktop id is "
			"invalid. resource id [%s].", d->id));
	if (d->job || d->status == DESKTOP_ERROR)
		return set_error(err, 409, "WKS.00010032", g_strdup_printf(
			"Operation conflict. The desktop current instance status is [%s%s%s] and "
			"deny operation [%s], resource id [%s].", desktop_status_name(d->status),
			*d->task_status ? "/" : "", d->task_status, emu_op_name(op), d->id));
	if (op == EMU_OP_START && d->status == DESKTOP_ACTIVE)
		return set_error(err, 409, "WKS.00010107", g_strdup_printf(
			"Failed to start the desktop that is running. Please ensure that the "
			"desktop is stopped, and try again. resource id [%s].", d->id));
	if (op == EMU_OP_STOP && d->status != DESKTOP_ACTIVE)
		return set_error(err, 409, "WKS.00010108", g_strdup_printf(
			"Failed to stop the desktop that is not running. Please ensure that the "
			"desktop is running, and try again. resource id [%s].", d->id));
	if (op == EMU_OP_REBOOT && d->status != DESKTOP_ACTIVE)
		return set_error(err, 409, "WKS.00010104", g_strdup_printf(
			"Failed to reboot the desktop. The desktop is not running, resource id "
			"[%s].", d->id));
	if (op == EMU_OP_HIBERNATE && d->status != DESKTOP_ACTIVE)
		return set_error(err, 409, "WKS.00010032", g_strdup_printf(
			"Operation conflict. The desktop current instance status is [%s] and deny "
			"operation [%s], resource id [%s].", desktop_status_name(d->status),
			emu_op_name(op), d->id));
	return TRUE;
}

static const char *task_status_for(EmuOp op, gboolean hard)
{
	switch (op) {
	case EMU_OP_START:
		return "powering-on";
	case EMU_OP_REBOOT:
		return hard ? "rebooting_hard" : "rebooting";
	case EMU_OP_STOP:
	case EMU_OP_HIBERNATE:
	default:
		return "powering-off";
	}
}

Job *tenant_start_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
			 TenantError *err)
{
	g_autofree guint32 *index = g_new(guint32, MAX(n, 1));
	gint64 now = g_get_monotonic_time();
	g_autofree char *job_id = NULL;
	Job *job;

	for (guint i = 0; i < n; i++) {
		Desktop *d = tenant_desktop(t, ids[i]);

		if (!d) {
			set_error(err, 404, "WKS.00010031", g_strdup_printf(
				"The resource does not found. The resource type is desktop and "
				"resource id [%s].", ids[i]));
			return NULL;
		}
		if (!check_desktop(d, op, err))
			return NULL;
		index[i] = (guint32)(d - t->desktops);
	}

	job = g_new0(Job, 1);
	job_id = g_uuid_string_random();
	g_strlcpy(job->id, job_id, sizeof(job->id));
	job->op = op;
	job->hard = hard;
	job->begin_ms = g_get_real_time() / 1000;
	job->start_us = now;
	job->deadline_us = now + (gint64)(t->job_seconds * G_USEC_PER_SEC);
	job->n = n;
	job->desktops = g_steal_pointer(&index);
	job->sub_ids = g_malloc_n(MAX(n, 1), sizeof(*job->sub_ids));
	for (guint i = 0; i < n; i++) {
		Desktop *d = &t->desktops[job->desktops[i]];
		g_autofree char *sub = g_uuid_string_random();

		g_strlcpy(job->sub_ids[i], sub, 37);
		d->job = job;
		d->task_status = task_status_for(op, hard);
	}
	g_hash_table_insert(t->jobs, job->id, job);
	g_queue_push_tail(&t->running, job);
	return job;
}
