/* tenant.c — the emulated tenant and its state machine.
 *
 * Owns: the tenant's arrays and lookup tables (generate.c fills them; tenant-create.c adds
 * what the API creates), the jobs that desktop, pool and App Streaming server actions and
 * desktop creates start (a server's start, stop or reboot is a transition with no job id,
 * as the SDK has it; a rejoin-domain is a REJOIN_DOMAIN job), session logoffs, and the
 * mutations that touch several tables (renaming and deleting desktops, deleting users,
 * group membership). Jobs and delayed logoffs advance lazily: tenant_lock() finishes every
 * job whose deadline (monotonic clock) has passed, so no timer thread exists.
 * Must not: know about HTTP or JSON (render.c and the handlers do), sleep, or do I/O.
 */
#include "emulator/tenant.h"
#include "emulator/emulator.h"
#include "emulator/kinds.h"

#include <stdio.h>
#include <string.h>

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

static void job_free(gpointer data)
{
	Job *job = data;

	g_free(job->targets);
	g_free(job->sub_ids);
	g_free(job->user_names);
	if (job->user_emails)
		for (guint i = 0; i < job->n; i++)
			g_free(job->user_emails[i]);
	g_free(job->user_emails);
	g_free(job);
}

static GHashTable *table(void)
{
	return g_hash_table_new(g_str_hash, g_str_equal);
}

Tenant *tenant_new(const TenantSpec *spec)
{
	Tenant *t = g_new0(Tenant, 1);

	g_mutex_init(&t->lock);
	t->job_seconds = spec->job_seconds;
	t->project_id = g_strdup(spec->project_id);
	t->n_desktops = spec->desktops;
	t->n_users = spec->users;
	t->n_groups = spec->groups;
	t->n_pools = spec->pools;
	t->n_server_groups = spec->server_groups;
	t->n_servers = spec->servers;
	t->n_sessions = spec->sessions;
	t->cap_desktops = t->n_desktops + EMU_MAX_CREATED;
	t->cap_users = t->n_users + EMU_MAX_CREATED;
	t->cap_groups = t->n_groups + EMU_MAX_CREATED;
	t->desktops = g_new0(Desktop, t->cap_desktops);
	t->users = g_new0(User, t->cap_users);
	t->groups = g_new0(Group, t->cap_groups);
	t->pools = g_new0(Pool, MAX(t->n_pools, 1));
	t->server_groups = g_new0(ServerGroup, MAX(t->n_server_groups, 1));
	t->servers = g_new0(AppServer, MAX(t->n_servers, 1));
	t->sessions = g_new0(Session, MAX(t->n_sessions, 1));
	/* The start of this UTC hour: two emulators started in the same hour agree. */
	t->session_anchor_ms = g_get_real_time() / G_USEC_PER_SEC / 3600 * 3600 * 1000;
	t->desktop_by_id = table();
	t->desktop_by_name = table();
	t->user_by_id = table();
	t->user_by_name = table();
	t->group_by_id = table();
	t->pool_by_id = table();
	t->server_group_by_id = table();
	t->server_by_id = table();
	t->session_by_id = table();
	t->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, job_free);
	g_queue_init(&t->running);
	g_queue_init(&t->finished);
	g_queue_init(&t->logoffs);
	generate_tenant(t, spec);
	/* After the desktops, users and server groups: the new kinds refer to them. */
	t->kinds = kinds_generate(t, spec->seed, spec->kind_counts, spec->hostile_names);
	return t;
}

void tenant_free(Tenant *t)
{
	GHashTable *tables[] = {
		t ? t->desktop_by_id : NULL, t ? t->desktop_by_name : NULL,
		t ? t->user_by_id : NULL, t ? t->user_by_name : NULL, t ? t->group_by_id : NULL,
		t ? t->pool_by_id : NULL, t ? t->server_group_by_id : NULL,
		t ? t->server_by_id : NULL, t ? t->session_by_id : NULL, t ? t->jobs : NULL,
	};

	if (!t)
		return;
	for (gsize i = 0; i < t->n_users; i++) {
		g_free(t->users[i].email);
		g_free(t->users[i].phone);
		g_free(t->users[i].description);
		g_free(t->users[i].user_info_map);
		if (t->users[i].groups)
			g_array_free(t->users[i].groups, TRUE);
	}
	for (gsize i = 0; i < t->n_groups; i++) {
		g_free(t->groups[i].name);
		g_free(t->groups[i].description);
		g_array_free(t->groups[i].members, TRUE);
	}
	for (gsize i = 0; i < t->n_pools; i++) {
		g_free(t->pools[i].name);
		g_free(t->pools[i].description);
		g_array_free(t->pools[i].desktops, TRUE);
	}
	for (gsize i = 0; i < t->n_server_groups; i++) {
		g_free(t->server_groups[i].name);
		g_free(t->server_groups[i].description);
	}
	kinds_free(t->kinds);
	g_queue_clear(&t->running);
	g_queue_clear(&t->finished);
	g_queue_clear_full(&t->logoffs, g_free);
	for (guint i = 0; i < G_N_ELEMENTS(tables); i++)
		g_hash_table_destroy(tables[i]);
	if (t->desktop_tags)
		g_hash_table_destroy(t->desktop_tags);
	g_free(t->desktops);
	g_free(t->users);
	g_free(t->groups);
	g_free(t->pools);
	g_free(t->server_groups);
	g_free(t->servers);
	g_free(t->sessions);
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

	if (job->kind == JOB_CREATE_DESKTOPS)
		tenant_finish_create(t, job);
	for (guint i = 0; i < job->n; i++) {
		AppServer *s = job->kind == JOB_SERVERS ? &t->servers[job->targets[i]] : NULL;
		Desktop *d = s ? NULL : &t->desktops[job->targets[i]];

		if (s) {
			if (job->op != EMU_OP_REJOIN_DOMAIN)	/* the domain, not the power */
				s->status = result;
			s->task_status = "";
			s->job = NULL;
			s->updated_ms = job->begin_ms + (job->deadline_us - job->start_us) / 1000;
		} else {
			d->status = result;
			d->task_status = "";
			d->job = NULL;
			/* A started desktop registers itself; a stopped one unregisters (4.3.8). */
			d->login_status = result == DESKTOP_ACTIVE ? LOGIN_REGISTERED :
					  LOGIN_UNREGISTER;
		}
	}
	job->done = TRUE;
	g_queue_push_tail(&t->finished, job);
	while (g_queue_get_length(&t->finished) > EMU_MAX_JOBS) {
		Job *old = g_queue_pop_head(&t->finished);

		g_hash_table_remove(t->jobs, old->id);
	}
}

/* A logoff LogoffUserSession delayed (delay_time). */
typedef struct {
	gint64 due_us;                  /* monotonic */
	guint32 session;
} Logoff;

static void sign_out(Session *s)
{
	if (s->end_ms || s->state == SESSION_SIGNED_OUT || s->state == SESSION_INIT_FAIL)
		return;	/* ended already */
	s->state = SESSION_SIGNED_OUT;
	s->end_ms = MAX(g_get_real_time() / 1000, s->start_ms);
}

void tenant_lock(Tenant *t)
{
	gint64 now = g_get_monotonic_time();
	Logoff *logoff;
	Job *job;

	g_mutex_lock(&t->lock);
	while ((job = g_queue_peek_head(&t->running)) && job->deadline_us <= now)
		finish_job(t, g_queue_pop_head(&t->running));
	while ((logoff = g_queue_peek_head(&t->logoffs)) && logoff->due_us <= now) {
		sign_out(&t->sessions[logoff->session]);
		g_free(g_queue_pop_head(&t->logoffs));
	}
}

void tenant_unlock(Tenant *t)
{
	g_mutex_unlock(&t->lock);
}

Desktop *tenant_desktop(Tenant *t, const char *id)
{
	return g_hash_table_lookup(t->desktop_by_id, id);
}

Desktop *tenant_desktop_by_name(Tenant *t, const char *computer_name)
{
	return g_hash_table_lookup(t->desktop_by_name, computer_name);
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
	Job *job = g_hash_table_lookup(t->jobs, id);

	return job && job->kind != JOB_SERVERS ? job : NULL;	/* the Workspace's jobs */
}

Job *tenant_app_job(Tenant *t, const char *id)
{
	Job *job = g_hash_table_lookup(t->jobs, id);

	return job && job->op == EMU_OP_REJOIN_DOMAIN ? job : NULL;
}

/* By id, else the first object whose name (at name_offset, a char * or char[]) matches. */
static gpointer find(GHashTable *ids, gpointer array, gsize n, gsize size, glong name_offset,
		     gboolean name_is_pointer, const char *key)
{
	gpointer hit = g_hash_table_lookup(ids, key);

	for (gsize i = 0; !hit && i < n; i++) {
		gpointer obj = (char *)array + i * size;
		const char *name = name_is_pointer ? G_STRUCT_MEMBER(char *, obj, name_offset) :
				   G_STRUCT_MEMBER_P(obj, name_offset);

		if (g_str_equal(name, key))
			hit = obj;
	}
	return hit;
}

Group *tenant_group(Tenant *t, const char *key)
{
	return find(t->group_by_id, t->groups, t->n_groups, sizeof(Group),
		    G_STRUCT_OFFSET(Group, name), TRUE, key);
}

Pool *tenant_pool(Tenant *t, const char *key)
{
	return find(t->pool_by_id, t->pools, t->n_pools, sizeof(Pool),
		    G_STRUCT_OFFSET(Pool, name), TRUE, key);
}

ServerGroup *tenant_server_group(Tenant *t, const char *key)
{
	return find(t->server_group_by_id, t->server_groups, t->n_server_groups,
		    sizeof(ServerGroup), G_STRUCT_OFFSET(ServerGroup, name), TRUE, key);
}

AppServer *tenant_server(Tenant *t, const char *key)
{
	return find(t->server_by_id, t->servers, t->n_servers, sizeof(AppServer),
		    G_STRUCT_OFFSET(AppServer, name), FALSE, key);
}

Session *tenant_session(Tenant *t, const char *id)
{
	return g_hash_table_lookup(t->session_by_id, id);
}

void tenant_error_clear(TenantError *err)
{
	g_clear_pointer(&err->msg, g_free);
}

const char *emu_op_name(EmuOp op)
{
	static const char *const names[] = {
		"os-start", "os-stop", "reboot", "os-hibernate", "rejoin-domain",
	};

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

const char *session_state_name(SessionState state)
{
	static const char *const names[] = {
		"Active", "Disconnected", "AppcInit", "SignedOut", "InitFail",
	};

	return names[state];
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
	case EMU_OP_REJOIN_DOMAIN:
		return "rejoining_domain";
	case EMU_OP_STOP:
	case EMU_OP_HIBERNATE:
	default:
		return "powering-off";
	}
}

Job *tenant_new_job(Tenant *t, JobKind kind, guint32 *targets, guint n, EmuOp op,
		    gboolean hard)
{
	gint64 now = g_get_monotonic_time();
	g_autofree char *job_id = g_uuid_string_random();
	Job *job = g_new0(Job, 1);

	g_strlcpy(job->id, job_id, sizeof(job->id));
	job->kind = kind;
	job->op = op;
	job->hard = hard;
	job->begin_ms = g_get_real_time() / 1000;
	job->start_us = now;
	job->deadline_us = now + (gint64)(t->job_seconds * G_USEC_PER_SEC);
	job->n = n;
	job->targets = targets;
	job->sub_ids = g_malloc_n(MAX(n, 1), sizeof(*job->sub_ids));
	for (guint i = 0; i < n; i++) {
		g_autofree char *sub = g_uuid_string_random();

		g_strlcpy(job->sub_ids[i], sub, 37);
		if (kind == JOB_SERVERS) {
			AppServer *s = &t->servers[targets[i]];

			s->job = job;
			s->task_status = task_status_for(op, hard);
			s->updated_ms = job->begin_ms;
			if (op == EMU_OP_REJOIN_DOMAIN) {
				g_strlcpy(s->last_job_id, job->id, sizeof(s->last_job_id));
				s->last_job_ms = job->begin_ms;
			}
		} else {
			t->desktops[targets[i]].job = job;
			t->desktops[targets[i]].task_status = task_status_for(op, hard);
		}
	}
	g_hash_table_insert(t->jobs, job->id, job);
	g_queue_push_tail(&t->running, job);
	return job;
}

void tenant_failure_free(TenantFailure *f)
{
	tenant_error_clear(&f->err);
	g_free(f);
}

Job *tenant_start_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
			 GPtrArray *failed, TenantError *err)
{
	g_autofree guint32 *index = g_new(guint32, MAX(n, 1));
	g_autoptr(GPtrArray) refused = g_ptr_array_new_with_free_func(
		(GDestroyNotify)tenant_failure_free);
	guint ok = 0;

	for (guint i = 0; i < n; i++) {
		Desktop *d = tenant_desktop(t, ids[i]);
		TenantFailure *f;

		if (!d) {
			set_error(err, 404, "WKS.00010031", g_strdup_printf(
				"The resource does not found. The resource type is desktop and "
				"resource id [%s].", ids[i]));
			return NULL;
		}
		f = g_new0(TenantFailure, 1);
		if (!check_desktop(d, op, &f->err)) {
			f->desktop = d;
			g_ptr_array_add(refused, f);
			continue;
		}
		g_free(f);
		index[ok++] = (guint32)(d - t->desktops);
	}
	if (ok == 0) {
		TenantFailure *first = refused->pdata[0];

		*err = first->err;
		first->err.msg = NULL;
		return NULL;
	}
	for (guint i = 0; i < refused->len; i++)
		g_ptr_array_add(failed, g_steal_pointer(&refused->pdata[i]));
	g_ptr_array_set_free_func(refused, NULL);
	return tenant_new_job(t, JOB_DESKTOPS, g_steal_pointer(&index), ok, op, hard);
}

Job *tenant_start_pool_action(Tenant *t, Pool *pool, EmuOp op, gboolean hard,
			      TenantError *err)
{
	g_autofree guint32 *index = g_new(guint32, MAX(pool->desktops->len, 1));
	guint n = 0;

	if (pool->in_maintenance_mode) {
		set_error(err, 409, "WKS.0016", g_strdup_printf("Cannot operate the desktop in "
			"maintenance mode or the desktop id is invalid. resource id [%s].",
			pool->id));
		return NULL;
	}
	for (guint i = 0; i < pool->desktops->len; i++) {
		guint32 di = g_array_index(pool->desktops, guint32, i);
		TenantError skip = { 0 };

		if (check_desktop(&t->desktops[di], op, &skip))
			index[n++] = di;
		tenant_error_clear(&skip);
	}
	if (n == 0) {
		set_error(err, 409, "WKS.00010032", g_strdup_printf("Operation conflict. No "
			"desktop of the pool can take operation [%s] now, resource id [%s].",
			op == EMU_OP_HIBERNATE ? "hibernate" : emu_op_name(op), pool->id));
		return NULL;
	}
	return tenant_new_job(t, JOB_DESKTOPS, g_steal_pointer(&index), n, op, hard);
}

static gboolean check_server(const AppServer *s, EmuOp op, TenantError *err)
{
	gboolean ok = op == EMU_OP_START ? s->status == DESKTOP_SHUTOFF :
		      s->status == DESKTOP_ACTIVE;

	if (s->job || !ok)
		return set_error(err, 409, "WKS.00010032", g_strdup_printf(
			"Operation conflict. The server current instance status is [%s%s%s] and "
			"deny operation [%s], resource id [%s].", desktop_status_name(s->status),
			*s->task_status ? "/" : "", s->task_status, emu_op_name(op), s->id));
	return TRUE;
}

Job *tenant_start_server_action(Tenant *t, char **ids, guint n, EmuOp op, gboolean hard,
				TenantError *err)
{
	g_autofree guint32 *index = g_new(guint32, MAX(n, 1));

	for (guint i = 0; i < n; i++) {
		AppServer *s = g_hash_table_lookup(t->server_by_id, ids[i]);

		if (!s) {
			set_error(err, 404, "WKS.00010031", g_strdup_printf(
				"The resource does not found. The resource type is server and "
				"resource id [%s].", ids[i]));
			return NULL;
		}
		if (!check_server(s, op, err))
			return NULL;
		index[i] = (guint32)(s - t->servers);
	}
	return tenant_new_job(t, JOB_SERVERS, g_steal_pointer(&index), n, op, hard);
}

gboolean tenant_logoff_sessions(Tenant *t, char **ids, guint n, gint64 delay_s,
				TenantError *err)
{
	gint64 due = g_get_monotonic_time() + delay_s * G_USEC_PER_SEC;

	for (guint i = 0; i < n; i++)
		if (!tenant_session(t, ids[i]))
			return set_error(err, 404, "WKS.00010031", g_strdup_printf("The resource "
				"does not found. The resource type is session and resource id "
				"[%s].", ids[i]));
	for (guint i = 0; i < n; i++) {
		Session *s = tenant_session(t, ids[i]);
		Logoff *logoff;
		GList *l;

		if (delay_s <= 0) {
			sign_out(s);
			continue;
		}
		logoff = g_new0(Logoff, 1);
		logoff->due_us = due;
		logoff->session = (guint32)(s - t->sessions);
		/* Kept in due order: one delay for the call, so after every earlier one. */
		for (l = t->logoffs.tail; l && ((Logoff *)l->data)->due_us > due; l = l->prev)
			;
		if (l)
			g_queue_insert_after(&t->logoffs, l, logoff);
		else
			g_queue_push_head(&t->logoffs, logoff);
	}
	return TRUE;
}

gboolean tenant_valid_computer_name(const char *s)
{
	gsize len = strlen(s);

	if (len < 1 || len > 15 || !g_ascii_isalpha(s[0]))
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_')
			return FALSE;
	return TRUE;
}

gboolean tenant_rename_desktop(Tenant *t, Desktop *d, const char *name, TenantError *err)
{
	Desktop *other;

	if (!tenant_valid_computer_name(name))
		return set_error(err, 400, "WKS.0001", g_strdup_printf("The format of the "
			"parameters entered through the interface is invalid. computer_name is "
			"invalid (1 to 15 letters, digits, - or _, starting with a letter)."));
	other = tenant_desktop_by_name(t, name);
	if ((other && other != d) || tenant_name_being_created(t, name))
		return set_error(err, 400, "WKS.00010139", g_strdup_printf("The desktop name "
			"already exists in the domain. computer_name [%s].", name));
	if (d->job)
		return set_error(err, 400, "WKS.0406", g_strdup_printf("The desktop cannot be "
			"modified because it is being started, stopped, or restarted. resource "
			"id [%s].", d->id));
	g_hash_table_remove(t->desktop_by_name, d->computer_name);
	g_strlcpy(d->computer_name, name, sizeof(d->computer_name));
	g_hash_table_insert(t->desktop_by_name, d->computer_name, d);
	return TRUE;
}

static void remove_index(GArray *array, guint32 value)
{
	for (guint i = 0; array && i < array->len; i++) {
		if (g_array_index(array, guint32, i) == value) {
			g_array_remove_index(array, i);
			return;
		}
	}
}

gboolean tenant_delete_desktop(Tenant *t, Desktop *d, gboolean delete_user, gboolean force,
			       TenantError *err)
{
	User *u = d->user >= 0 ? &t->users[d->user] : NULL;

	if (d->job && !force)
		return set_error(err, 409, "WKS.00010032", g_strdup_printf("Operation conflict. "
			"The desktop current instance status is [%s/%s] and deny operation "
			"[delete], resource id [%s].", desktop_status_name(d->status),
			d->task_status, d->id));
	g_hash_table_remove(t->desktop_by_id, d->id);
	g_hash_table_remove(t->desktop_by_name, d->computer_name);
	if (d->pool >= 0)
		remove_index(t->pools[d->pool].desktops, (guint32)(d - t->desktops));
	d->deleted = TRUE;
	t->n_deleted_desktops++;
	if (u) {
		u->total_desktops--;
		d->user = -1;
		if (delete_user && u->total_desktops == 0)
			tenant_delete_user(t, u);
	}
	return TRUE;
}

void tenant_delete_user(Tenant *t, User *u)
{
	gint32 ui = (gint32)(u - t->users);

	for (gsize i = 0; u->total_desktops && i < t->n_desktops; i++)
		if (t->desktops[i].user == ui)
			t->desktops[i].user = -1;
	u->total_desktops = 0;
	while (u->groups && u->groups->len)
		tenant_group_remove(t, &t->groups[g_array_index(u->groups, guint32, 0)], u);
	g_hash_table_remove(t->user_by_id, u->id);
	g_hash_table_remove(t->user_by_name, u->name);
	u->deleted = TRUE;
}

gboolean tenant_group_add(Tenant *t, Group *g, User *u)
{
	guint32 gi = (guint32)(g - t->groups), ui = (guint32)(u - t->users);

	for (guint i = 0; u->groups && i < u->groups->len; i++)
		if (g_array_index(u->groups, guint32, i) == gi)
			return FALSE;
	if (!u->groups)
		u->groups = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_array_append_val(u->groups, gi);
	g_array_append_val(g->members, ui);
	return TRUE;
}

gboolean tenant_group_remove(Tenant *t, Group *g, User *u)
{
	guint32 gi = (guint32)(g - t->groups), ui = (guint32)(u - t->users);
	guint before = g->members->len;

	remove_index(g->members, ui);
	remove_index(u->groups, gi);
	return g->members->len != before;
}
