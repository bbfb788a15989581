/* tenant-create.c — the tenant's growth: the users, groups and desktops the API creates.
 *
 * Owns: adding a user (4.8.2) or a group (4.9.2) at the end of its array, in the room
 * tenant_new left (EMU_MAX_CREATED each; past it, 400 WKS.0106 "Insufficient quota."), under
 * a name no other one has (409 otherwise: 4.8.2 and 4.9.2 document no code for a name that
 * is taken, so EMU.0409 is the emulator's own); and the 4.3.1 job: its desktops take their
 * slots at once, hidden (`creating`, and `deleted` so that no list counts them) until the
 * job ends, when they join the lists and the lookups, each with its user, registered then
 * if there was none by that name (as the service registers a new desktop's new user). A
 * computer name is unique across the desktops, the desktops being created and the batch
 * itself (400 WKS.00010139).
 * Must not: know about HTTP or JSON (create.c, users.c and groups.c check the bodies), or
 * move an array.
 */
#include "emulator/tenant.h"
#include "emulator/emulator.h"

#include <stdio.h>
#include <string.h>

gboolean tenant_valid_user_name(const char *s)
{
	gsize len = strlen(s);

	if (len < 1 || len > 20 || !g_ascii_isalpha(s[0]))
		return FALSE;
	for (const char *p = s; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return FALSE;
	return TRUE;
}

static gboolean fail(TenantError *err, guint status, const char *code, char *msg)
{
	err->status = status;
	err->code = code;
	err->msg = msg;
	return FALSE;
}

static void quota(TenantError *err)
{
	fail(err, 400, "WKS.0106", g_strdup_printf("Insufficient quota. The emulator creates at "
						   "most %d of each kind.", EMU_MAX_CREATED));
}

/* 32 hex digits, as the generated user and group ids. */
static void random_hex_id(char out[33])
{
	g_autofree char *uuid = g_uuid_string_random();
	gsize n = 0;

	for (const char *p = uuid; *p && n < 32; p++)
		if (*p != '-')
			out[n++] = *p;
	out[n] = '\0';
}

static gint64 now_ms(void)
{
	return g_get_real_time() / 1000;
}

User *tenant_add_user(Tenant *t, const char *name, TenantError *err)
{
	User *u;

	if (tenant_user_by_name(t, name)) {
		fail(err, 409, "EMU.0409", g_strdup_printf("The user name already exists. "
							   "user_name [%s].", name));
		return NULL;
	}
	if (t->n_users >= t->cap_users) {
		quota(err);
		return NULL;
	}
	u = &t->users[t->n_users++];
	random_hex_id(u->id);
	g_strlcpy(u->name, name, sizeof(u->name));
	u->email = g_strdup("");
	u->phone = g_strdup("");
	u->description = g_strdup("");
	u->user_info_map = g_strdup("");
	u->created_ms = now_ms();
	u->active_type = USER_ACTIVATE;
	/* 4.8.2: both "will be set to true during creation". */
	u->enable_change_password = TRUE;
	u->next_login_change_password = TRUE;
	g_hash_table_insert(t->user_by_id, u->id, u);
	g_hash_table_insert(t->user_by_name, u->name, u);
	return u;
}

Group *tenant_add_group(Tenant *t, const char *name, TenantError *err)
{
	Group *g;

	for (gsize i = 0; i < t->n_groups; i++) {
		if (!t->groups[i].deleted && g_str_equal(t->groups[i].name, name)) {
			fail(err, 409, "EMU.0409", g_strdup_printf("The user group name already "
								   "exists. group_name [%s].",
								   name));
			return NULL;
		}
	}
	if (t->n_groups >= t->cap_groups) {
		quota(err);
		return NULL;
	}
	g = &t->groups[t->n_groups++];
	random_hex_id(g->id);
	g->name = g_strdup(name);
	g->description = g_strdup("");
	g->created_ms = now_ms();
	g->members = g_array_new(FALSE, FALSE, sizeof(guint32));
	g_hash_table_insert(t->group_by_id, g->id, g);
	return g;
}

/* Whether a desktop being created (a running create job's) has this computer name. */
gboolean tenant_name_being_created(Tenant *t, const char *name)
{
	for (GList *l = t->running.head; l; l = l->next) {
		const Job *job = l->data;

		for (guint i = 0; job->kind == JOB_CREATE_DESKTOPS && i < job->n; i++)
			if (g_str_equal(t->desktops[job->targets[i]].computer_name, name))
				return TRUE;
	}
	return FALSE;
}

static gboolean name_taken(Tenant *t, GHashTable *batch, const char *name)
{
	return tenant_desktop_by_name(t, name) || tenant_name_being_created(t, name) ||
	       g_hash_table_contains(batch, name);
}

/* A free name: the prefix (at most 9 characters of it) and a number. */
static void free_name(Tenant *t, GHashTable *batch, const char *prefix, char out[16])
{
	for (guint k = (guint)t->n_desktops + 1;; k++) {
		snprintf(out, 16, "%.9s-%05u", prefix, k % 100000);
		if (!name_taken(t, batch, out))
			return;
	}
}

Job *tenant_start_create(Tenant *t, const TenantNewDesktop *nd, guint n, TenantError *err)
{
	g_autoptr(GHashTable) batch = g_hash_table_new(g_str_hash, g_str_equal);
	g_autofree guint32 *index = NULL;
	gsize first = t->n_desktops;
	Job *job;

	if (n == 0 || t->n_desktops + n > t->cap_desktops) {
		quota(err);
		return NULL;
	}
	for (guint i = 0; i < n; i++) {
		const char *name = nd[i].computer_name;

		if (!name)
			continue;
		if (name_taken(t, batch, name)) {
			fail(err, 400, "WKS.00010139", g_strdup_printf(
				"The desktop name already exists in the domain. computer_name "
				"[%s].", name));
			return NULL;
		}
		g_hash_table_add(batch, (gpointer)name);
	}
	index = g_new(guint32, n);
	for (guint i = 0; i < n; i++) {
		Desktop *d = &t->desktops[first + i];
		guint64 hi = (guint64)g_random_int() << 32 | g_random_int();

		memset(d, 0, sizeof(*d));
		if (nd[i].computer_name)
			g_strlcpy(d->computer_name, nd[i].computer_name, sizeof(d->computer_name));
		else
			free_name(t, batch, nd[i].prefix ? nd[i].prefix : "wks", d->computer_name);
		g_hash_table_add(batch, d->computer_name);
		emu_format_uuid(hi, (guint64)g_random_int() << 32 | g_random_int(), d->id);
		d->salt = (guint64)g_random_int() << 32 | g_random_int();
		d->created_ms = now_ms();
		d->user = -1;
		d->pool = -1;
		d->status = DESKTOP_SHUTOFF;
		d->login_status = LOGIN_UNREGISTER;
		d->task_status = "";
		d->product = nd[i].product;
		d->image = nd[i].image;
		d->zone = nd[i].zone;
		d->subnet = nd[i].subnet;
		d->n_data_volumes = nd[i].n_data_volumes;
		d->creating = TRUE;
		d->deleted = TRUE;	/* so that every list leaves it out */
		index[i] = (guint32)(first + i);
	}
	t->n_desktops += n;
	t->n_deleted_desktops += n;
	job = tenant_new_job(t, JOB_CREATE_DESKTOPS, g_steal_pointer(&index), n, EMU_OP_START,
			     FALSE);
	job->user_names = g_malloc0_n(n, sizeof(*job->user_names));
	job->user_emails = g_new0(char *, n);
	for (guint i = 0; i < n; i++) {
		g_strlcpy(job->user_names[i], nd[i].user_name ? nd[i].user_name : "", 24);
		job->user_emails[i] = g_strdup(nd[i].user_email);
		t->desktops[job->targets[i]].task_status = "building";
	}
	return job;
}

void tenant_finish_create(Tenant *t, Job *job)
{
	for (guint i = 0; i < job->n; i++) {
		Desktop *d = &t->desktops[job->targets[i]];
		const char *name = job->user_names[i];
		User *u;

		d->creating = FALSE;
		d->deleted = FALSE;
		t->n_deleted_desktops--;
		g_hash_table_insert(t->desktop_by_id, d->id, d);
		g_hash_table_insert(t->desktop_by_name, d->computer_name, d);
		if (!name[0])
			continue;
		u = tenant_user_by_name(t, name);
		if (!u) {
			TenantError err = { 0 };

			u = tenant_add_user(t, name, &err);	/* NULL: no room left */
			tenant_error_clear(&err);
			if (u && job->user_emails[i]) {
				g_free(u->email);
				u->email = g_strdup(job->user_emails[i]);
			}
		}
		if (u) {
			d->user = (gint32)(u - t->users);
			u->total_desktops++;
		}
	}
}
