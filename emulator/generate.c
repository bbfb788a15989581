/* generate.c — the deterministic tenant of --seed.
 *
 * Owns: every generated value. Desktops and users come from a GRand seeded with the 64-bit
 * seed, in the same draw order as always, so a seed keeps its desktops and users; the later
 * kinds (user groups, desktop pools, App Streaming server groups, servers and sessions) draw
 * from a second generator, so asking for them leaves the desktops and users as they were
 * (except that pooled desktops take their pool's product and image). No wall clock in
 * generated data, except sessions: they lie in the week before the start of the UTC hour the
 * emulator started in, so a client's "recent sessions" window finds them. --hostile-names
 * then renames a few objects to names that are not safe as file names.
 * Must not: know about HTTP or JSON, or be called after tenant_new.
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
	d->pool = -1;
	g_hash_table_insert(t->desktop_by_id, d->id, d);
	g_hash_table_insert(t->desktop_by_name, d->computer_name, d);
}

const EmuAppProduct emu_app_products[] = {
	{ "workspace.appstream.general.xlarge.2", "c7.xlarge.2", "4", "8192",
	  "Application Streaming General | 4 vCPUs | 8 GB memory", 4 },
	{ "workspace.appstream.general.2xlarge.4", "c7.2xlarge.4", "8", "32768",
	  "Application Streaming General | 8 vCPUs | 32 GB memory", 8 },
	{ "workspace.appstream.gpu.4xlarge.4", "g6.4xlarge.4", "16", "65536",
	  "Application Streaming GPU | 16 vCPUs | 64 GB memory", 16 },
};
const guint emu_n_app_products = G_N_ELEMENTS(emu_app_products);

static const char *const group_names[] = {
	"finance", "engineering", "support", "design", "sales", "contractors", "it-ops",
	"legal", "marketing", "qa",
};

static const char *const server_group_topics[] = {
	"office", "design", "development", "finance", "engineering", "training",
};

static void hex_id(GRand *rng, char out[33])
{
	guint64 hi = rand64(rng), lo = rand64(rng);

	snprintf(out, 33, "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x", hi, lo);
}

/* The i-th name of a list, with a counter once the list is used up: "qa", "qa-2", ... */
static char *nth_name(const char *const *names, guint n, gsize i)
{
	if (i < n)
		return g_strdup(names[i]);
	return g_strdup_printf("%s-%u", names[i % n], (guint)(i / n + 1));
}

static void generate_groups(Tenant *t, GRand *rng)
{
	for (gsize i = 0; i < t->n_groups; i++) {
		Group *g = &t->groups[i];

		hex_id(rng, g->id);
		g->name = nth_name(group_names, G_N_ELEMENTS(group_names), i);
		g->description = chance(rng, 70) ? g_strdup_printf("Users of %s", g->name) :
			g_strdup("");
		g->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
		g->members = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_hash_table_insert(t->group_by_id, g->id, g);
	}
	if (!t->n_groups)
		return;
	/* About a third of the users are in one group, some in two. */
	for (gsize u = 0; u < t->n_users; u++) {
		if (chance(rng, 35))
			tenant_group_add(t, &t->groups[g_rand_int_range(rng, 0,
						(gint32)t->n_groups)], &t->users[u]);
		if (chance(rng, 10))
			tenant_group_add(t, &t->groups[g_rand_int_range(rng, 0,
						(gint32)t->n_groups)], &t->users[u]);
	}
}

/* A quarter of the desktops are pooled, dealt round-robin so every pool gets some; most take
 * the pool's product and image, the rest are "inconsistent" (4.4.15 inconsistent_type). */
static void generate_pools(Tenant *t, GRand *rng)
{
	gsize next = 0;

	for (gsize i = 0; i < t->n_pools; i++) {
		Pool *p = &t->pools[i];

		rand_uuid(rng, p->id);
		p->name = g_strdup_printf("pool-%s-%02u", name_prefixes[g_rand_int_range(rng, 0,
					  G_N_ELEMENTS(name_prefixes))], (guint)(i + 1));
		p->description = chance(rng, 50) ? g_strdup("Shared desktops") : g_strdup("");
		p->salt = rand64(rng);
		p->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
		p->product = g_rand_int_range(rng, 0, emu_n_products);
		p->image = g_rand_int_range(rng, 0, emu_n_images);
		p->zone = g_rand_int_range(rng, 0, emu_n_zones);
		p->subnet = g_rand_int_range(rng, 0, EMU_N_SUBNETS);
		p->n_data_volumes = g_rand_int_range(rng, 0, 3);
		p->dynamic = chance(rng, 50);
		p->monthly = chance(rng, 30);
		p->in_maintenance_mode = chance(rng, 5);
		p->desktops = g_array_new(FALSE, FALSE, sizeof(guint32));
		g_hash_table_insert(t->pool_by_id, p->id, p);
	}
	for (gsize i = 0; t->n_pools && i < t->n_desktops; i++) {
		Desktop *d = &t->desktops[i];
		guint32 di = (guint32)i;
		Pool *p;

		if (!chance(rng, 25))
			continue;
		p = &t->pools[next++ % t->n_pools];
		d->pool = (gint32)(p - t->pools);
		g_array_append_val(p->desktops, di);
		if (chance(rng, 90)) {
			d->product = p->product;
			d->image = p->image;
		}
	}
}

static void generate_server_groups(Tenant *t, GRand *rng)
{
	for (gsize i = 0; i < t->n_server_groups; i++) {
		ServerGroup *g = &t->server_groups[i];
		guint topic = (guint)(i % G_N_ELEMENTS(server_group_topics));
		guint round = (guint)(i / G_N_ELEMENTS(server_group_topics));

		rand_uuid(rng, g->id);
		g->name = round ? g_strdup_printf("Server group for %s applications %u",
						  server_group_topics[topic], round + 1) :
			g_strdup_printf("Server group for %s applications",
					server_group_topics[topic]);
		g->description = g_strdup_printf("Application servers of the %s team",
						 server_group_topics[topic]);
		g->salt = rand64(rng);
		g->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
		g->product = g_rand_int_range(rng, 0, emu_n_app_products);
		/* The Windows Server image: App Streaming servers run Windows. */
		g->image = 2;
		g->subnet = g_rand_int_range(rng, 0, EMU_N_SUBNETS);
		g->session_desktop = chance(rng, 40);
		g->enabled = chance(rng, 90);
		g->mount_policy = g_rand_int_range(rng, 0, 3);
		g->tag = g_rand_int_range(rng, 0, EMU_N_TAGS + 1);
		g_hash_table_insert(t->server_group_by_id, g->id, g);
	}
}

/* Dealt round-robin over the server groups. */
static void generate_servers(Tenant *t, GRand *rng)
{
	for (gsize i = 0; i < t->n_servers; i++) {
		AppServer *s = &t->servers[i];
		guint roll;

		rand_uuid(rng, s->id);
		s->group = (gint32)(i % t->n_server_groups);
		snprintf(s->name, sizeof(s->name), "appsrv-%05u", (guint)(i + 1));
		snprintf(s->machine_name, sizeof(s->machine_name), "APS-%07u", (guint)(i + 1));
		s->salt = rand64(rng);
		s->created_ms = BASE_MS + (gint64)(g_rand_double(rng) * SPAN_MS);
		roll = g_rand_int_range(rng, 0, 100);
		s->status = roll < 85 ? DESKTOP_ACTIVE : roll < 97 ? DESKTOP_SHUTOFF :
			    DESKTOP_ERROR;
		s->zone = g_rand_int_range(rng, 0, emu_n_zones);
		s->maintain = chance(rng, 5);
		s->scaling_auto_create = chance(rng, 10);
		s->task_status = "";
		t->server_groups[s->group].n_servers++;
		g_hash_table_insert(t->server_by_id, s->id, s);
	}
}

static void generate_sessions(Tenant *t, GRand *rng)
{
	const gint64 week = G_GINT64_CONSTANT(7) * 24 * 3600 * 1000;

	for (gsize i = 0; i < t->n_sessions; i++) {
		Session *s = &t->sessions[i];
		/* 5 minutes to 8 hours */
		gint64 length = (5 * 60 + g_rand_int_range(rng, 0, 8 * 3600)) *
				G_GINT64_CONSTANT(1000);
		guint roll;

		hex_id(rng, s->id);
		s->server = g_rand_int_range(rng, 0, (gint32)t->n_servers);
		if (t->n_users)
			g_strlcpy(s->login_user, t->users[g_rand_int_range(rng, 0,
					(gint32)t->n_users)].name, sizeof(s->login_user));
		else
			snprintf(s->login_user, sizeof(s->login_user), "user%04u",
				 (guint)g_rand_int_range(rng, 1, 10000));
		s->app = g_rand_int_range(rng, 0, 6);
		s->client = g_rand_int(rng);
		s->start_ms = t->session_anchor_ms - (gint64)(g_rand_double(rng) * week);
		s->pre_conn_ms = s->start_ms - g_rand_int_range(rng, 1000, 20000);
		roll = g_rand_int_range(rng, 0, 100);
		if (s->start_ms + length > t->session_anchor_ms) {
			s->state = roll < 70 ? SESSION_ACTIVE : roll < 95 ? SESSION_DISCONNECTED :
				   SESSION_APPC_INIT;
			if (s->state != SESSION_APPC_INIT)
				t->servers[s->server].session_count++;
		} else {
			s->end_ms = s->start_ms + length;
			s->state = roll < 95 ? SESSION_SIGNED_OUT : SESSION_INIT_FAIL;
		}
		g_hash_table_insert(t->session_by_id, s->id, s);
	}
}

static void rename_user(Tenant *t, gsize i, const char *name)
{
	User *u = &t->users[i];

	g_hash_table_remove(t->user_by_name, u->name);
	g_strlcpy(u->name, name, sizeof(u->name));
	g_hash_table_insert(t->user_by_name, u->name, u);
}

/* Names a file system must escape (doc/SEMANTICS.md §6): '/', a leading '.', '%', a control
 * character, spaces. The e-mail addresses keep their generated, valid form. */
static void make_hostile(Tenant *t)
{
	static const char *const users[] = { "ops/admin", ".hidden", "100%done" };

	for (gsize i = 0; i < G_N_ELEMENTS(users) && i + 1 < t->n_users; i++)
		rename_user(t, i + 1, users[i]);
	if (t->n_desktops > 1) {
		Desktop *d = &t->desktops[1];
		char *sp = strchr(d->computer_name, '-');

		g_hash_table_remove(t->desktop_by_name, d->computer_name);
		if (sp)
			*sp = ' ';
		g_hash_table_insert(t->desktop_by_name, d->computer_name, d);
	}
	if (t->n_groups) {
		g_free(t->groups[0].name);
		t->groups[0].name = g_strdup("night\nshift");
	}
	if (t->n_server_groups) {
		g_free(t->server_groups[0].name);
		t->server_groups[0].name = g_strdup("Finance/Accounting apps");
	}
}

static void set_user_id(Tenant *t, gsize i, const char *id)
{
	User *u = &t->users[i];

	g_hash_table_remove(t->user_by_id, u->id);
	g_strlcpy(u->id, id, sizeof(u->id));
	g_hash_table_insert(t->user_by_id, u->id, u);
}

/* What is awkward on the wire rather than in a file name: ids that are URL dot segments,
 * and a name holding the literal text \ud800, which emu_reply_json sends as a lone
 * surrogate escape (valid JSON syntax, not a valid string for strict parsers). */
static void make_hostile_wire(Tenant *t)
{
	static const char lone[] = "\\ud800lone";

	if (t->n_users > 4) {
		rename_user(t, 4, "..");
		set_user_id(t, 4, "..");
	}
	if (t->n_users > 5) {
		rename_user(t, 5, ".");
		set_user_id(t, 5, ".");
	}
	if (t->n_users > 6)
		rename_user(t, 6, lone);
	if (t->n_desktops > 2) {
		Desktop *d = &t->desktops[2];

		g_hash_table_remove(t->desktop_by_name, d->computer_name);
		g_strlcpy(d->computer_name, lone, sizeof(d->computer_name));
		g_hash_table_insert(t->desktop_by_name, d->computer_name, d);
	}
}

void generate_tenant(Tenant *t, const TenantSpec *spec)
{
	guint32 seed_words[2] = { (guint32)((guint64)spec->seed >> 32), (guint32)spec->seed };
	guint32 kind_words[3] = { seed_words[0], seed_words[1], 0x6b696e64 };
	g_autoptr(GRand) rng = g_rand_new_with_seed_array(seed_words, 2);
	g_autoptr(GRand) kinds = g_rand_new_with_seed_array(kind_words, 3);

	for (guint i = 0; i < EMU_N_SUBNETS; i++)
		rand_uuid(rng, t->subnet_ids[i]);
	rand_uuid(rng, t->security_group_id);
	for (guint i = 0; i < G_N_ELEMENTS(t->image_ids); i++)
		rand_uuid(rng, t->image_ids[i]);
	generate_users(t, rng);
	for (gsize i = 0; i < t->n_desktops; i++)
		generate_desktop(t, rng, i);

	generate_groups(t, kinds);
	generate_pools(t, kinds);
	generate_server_groups(t, kinds);
	generate_servers(t, kinds);
	generate_sessions(t, kinds);
	if (spec->hostile_names)
		make_hostile(t);
	if (spec->hostile_wire)
		make_hostile_wire(t);
}
