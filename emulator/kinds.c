/* kinds.c — the generic read-only kinds (kinds.h): their objects, made once from each
 * kind's template, and the list, detail and sub-collection routes that serve them.
 *
 * Owns: KindStore (every object of every generic kind, made at tenant_new; the set never
 * changes, and an object's fields only under the tenant lock: policy-writes.c), the
 * generation rules (each kind draws from its own GRand seeded with the tenant seed and the
 * kind's name, so a kind keeps its objects whatever the other kinds or --kind-count say,
 * except for what it references: desktops, users, server groups, another kind's objects),
 * and the list semantics every such route shares: the kind's filters (exact or fuzzy), its
 * paging rules and their 400s (WKS.0508 offset, WKS.0509 limit, WKS.0001 for a mandatory
 * parameter missing), the total, brief lists and the detail wrapper.
 * Also the objects the API creates in these kinds (kinds-create.c): kept apart from the
 * generated ones, appended with the tenant lock held, each existing from a time on (at
 * once, or when the job that makes it ends).
 * Must not: change an object after generation (policy-writes.c does, and a deleted one is
 * only marked gone, under the tenant lock), or take the tenant lock except to read objects
 * (kinds-routes.c), to append created ones and to mark what is gone.
 */
#include "emulator/kinds.h"

#include <stdio.h>
#include <string.h>

/* 2023-01-01T00:00:00Z and two years: the span generated times fall in. */
#define BASE_MS G_GINT64_CONSTANT(1672531200000)
#define SPAN_MS G_GINT64_CONSTANT(63072000000)
#define DAY_MS G_GINT64_CONSTANT(86400000)
#define MAX_COUNT 100000

typedef struct {
	GPtrArray *items;	/* cJSON*, the full (detail) form, in list order */
	GArray *parent;		/* gint32: a sub-collection's object -> its parent's index */
} KindObjects;

/* What the API created in one kind; guarded by the tenant lock. */
typedef struct {
	GPtrArray *items;	/* cJSON*, the full form, in creation order */
	GArray *from_us;	/* gint64, monotonic: item i exists from then on */
} KindCreated;

struct KindStore {
	GHashTable *by_name;	/* EmuKind.name -> KindObjects* */
	GHashTable *created;	/* EmuKind.name -> KindCreated*, made by the first create */
	GHashTable *gone;	/* "<kind>/<id>" of the objects the API deleted (deletes.c);
				 * the tenant lock guards it */
};

static const EmuKind *const *const kind_lists[] = { emu_workspace_kinds, emu_app_kinds };

/* Every generic kind in table order (parents before their sub-collections); NULL past the
 * end. */
const EmuKind *kinds_nth(guint n)
{
	for (guint l = 0; l < G_N_ELEMENTS(kind_lists); l++) {
		for (guint i = 0; kind_lists[l][i]; i++)
			if (n-- == 0)
				return kind_lists[l][i];
	}
	return NULL;
}

const EmuKind *kinds_lookup(const char *name)
{
	const EmuKind *k;

	for (guint i = 0; name && (k = kinds_nth(i)); i++)
		if (g_str_equal(k->name, name))
			return k;
	return NULL;
}

static void objects_free(gpointer data)
{
	KindObjects *o = data;

	g_ptr_array_unref(o->items);
	g_array_unref(o->parent);
	g_free(o);
}

static void created_free(gpointer data)
{
	KindCreated *c = data;

	g_ptr_array_unref(c->items);
	g_array_unref(c->from_us);
	g_free(c);
}

void kinds_free(KindStore *store)
{
	if (!store)
		return;
	g_hash_table_destroy(store->by_name);
	g_hash_table_destroy(store->created);
	g_hash_table_destroy(store->gone);
	g_free(store);
}

static const KindObjects *objects_of(const KindStore *store, const char *name)
{
	return store ? g_hash_table_lookup(store->by_name, name) : NULL;
}

const GPtrArray *kinds_objects(const Tenant *t, const char *kind)
{
	const KindObjects *o = objects_of(t->kinds, kind);

	return o ? o->items : NULL;
}

/* ---- counts ---- */

/* The count a --kind-count entry sets for kind, or -1. */
static gint64 count_override(const char *counts, const char *kind)
{
	g_auto(GStrv) items = counts ? g_strsplit(counts, ",", -1) : NULL;
	gint64 n = -1;

	for (guint i = 0; items && items[i]; i++) {
		char *eq = strchr(items[i], '=');

		if (eq && (gsize)(eq - items[i]) == strlen(kind) &&
		    strncmp(items[i], kind, strlen(kind)) == 0)
			g_ascii_string_to_signed(eq + 1, 10, 0, MAX_COUNT, &n, NULL);
	}
	return n;
}

char *kinds_check_counts(const char *counts)
{
	g_auto(GStrv) items = counts ? g_strsplit(counts, ",", -1) : NULL;

	for (guint i = 0; items && items[i]; i++) {
		char *eq = strchr(items[i], '=');
		g_autofree char *name = eq ? g_strndup(items[i], (gsize)(eq - items[i])) : NULL;
		const EmuKind *k = kinds_lookup(name);
		gint64 n;

		if (!k || !g_ascii_string_to_signed(eq + 1, 10, 0, MAX_COUNT, &n, NULL))
			return g_strdup_printf("\"%s\" is not KIND=N with a generated kind and N "
					       "from 0 to %d", items[i], MAX_COUNT);
		if (k->count < 0)
			return g_strdup_printf("%s is the emulator's catalog: its count is fixed",
					       k->name);
	}
	return NULL;
}

/* Objects of kind in a tenant (for a sub-collection: per parent). */
static guint count_of(const EmuKind *k, const char *counts)
{
	gint64 n = count_override(counts, k->name);

	if (n >= 0)
		return (guint)n;
	if (k->parent)
		return (guint)k->per_parent;
	if (k->count >= 0)
		return (guint)k->count;
	for (const GenField *f = k->gen; f && f->field; f++) {
		if (f->rule == GEN_IMAGE)
			return emu_n_images;
		if (f->rule == GEN_PRODUCT)
			return emu_n_products;
		if (f->rule == GEN_ZONE)
			return emu_n_zones;
	}
	return 0;
}

/* ---- generation ---- */

typedef struct {
	const Tenant *t;
	const KindStore *store;
	const char *counts;
	GRand *rng;
	const cJSON *parent;	/* the object a sub-collection's object belongs to */
} Gen;

static guint64 rand64(GRand *rng)
{
	return (guint64)g_rand_int(rng) << 32 | g_rand_int(rng);
}

static cJSON *time_value(Gen *g, const char *format)
{
	gboolean recent = g_str_equal(format, "recent");
	gint64 ms = recent ? g->t->session_anchor_ms - (gint64)(g_rand_double(g->rng) *
								 14 * DAY_MS)
			   : BASE_MS + (gint64)(g_rand_double(g->rng) * SPAN_MS);
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(ms / 1000);
	g_autofree char *s = NULL;

	if (g_str_equal(format, "iso"))
		s = render_time_ms(ms);
	else if (g_str_equal(format, "z"))
		s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
	else if (g_str_equal(format, "offset"))
		s = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S.000+00:00");
	else
		s = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S");
	return cJSON_CreateString(s);
}

static cJSON *product_value(guint i, const char *field)
{
	const EmuProduct *p = &emu_products[i % emu_n_products];
	const char *s = g_str_equal(field, "product_id") ? p->product_id :
			g_str_equal(field, "flavor_id") ? p->flavor_id :
			g_str_equal(field, "cpu") ? p->cpu :
			g_str_equal(field, "memory") ? p->memory :
			g_str_equal(field, "descriptions") ? p->descriptions :
			g_str_equal(field, "package_type") ? p->package_type :
			g_str_equal(field, "system_disk_size") ? p->system_disk_size : NULL;

	return s ? cJSON_CreateString(s) : cJSON_CreateBool(p->is_gpu);
}

/* A field of object i of another kind ("scripts:id"), or NULL when it has none. */
static cJSON *kind_value(Gen *g, const char *arg, guint i)
{
	g_auto(GStrv) parts = g_strsplit(arg, ":", 2);
	const KindObjects *o = parts[1] ? objects_of(g->store, parts[0]) : NULL;
	const cJSON *v;

	if (!o || !o->items->len)
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(o->items->pdata[i % o->items->len], parts[1]);
	return v ? cJSON_Duplicate(v, TRUE) : NULL;
}

/* The value of a varied field for object i; NULL: the template's stays. */
static cJSON *gen_value(Gen *g, const GenField *f, guint i)
{
	const Tenant *t = g->t;
	char buf[64];

	switch (f->rule) {
	case GEN_UUID:
		emu_format_uuid(rand64(g->rng), rand64(g->rng), buf);
		return cJSON_CreateString(buf);
	case GEN_HEX32: {
		guint64 hi = rand64(g->rng), lo = rand64(g->rng);

		snprintf(buf, sizeof(buf), "%016" G_GINT64_MODIFIER "x%016" G_GINT64_MODIFIER "x",
			 hi, lo);
		return cJSON_CreateString(buf);
	}
	case GEN_NAME: {
		g_autofree char *s = g_strdup_printf(f->arg, i + 1);

		return cJSON_CreateString(s);
	}
	case GEN_INDEX:
		return cJSON_CreateNumber(i + 1);
	case GEN_PICK: {
		guint n = 0;

		while (f->pick[n])
			n++;
		return cJSON_CreateString(f->pick[i % n]);
	}
	case GEN_FIRST:
		return cJSON_CreateBool(i == 0);
	case GEN_INT:
		return cJSON_CreateNumber(g_rand_int_range(g->rng, f->min, f->max + 1));
	case GEN_TIME:
		return time_value(g, f->arg);
	case GEN_DESKTOP:
		if (!t->n_desktops)
			return NULL;
		return cJSON_CreateString(g_str_equal(f->arg, "id") ?
			t->desktops[i % t->n_desktops].id :
			t->desktops[i % t->n_desktops].computer_name);
	case GEN_USER:
		if (!t->n_users)
			return NULL;
		return cJSON_CreateString(g_str_equal(f->arg, "id") ? t->users[i % t->n_users].id :
					  t->users[i % t->n_users].name);
	case GEN_SERVER_GROUP:
		if (!t->n_server_groups)
			return NULL;
		return cJSON_CreateString(g_str_equal(f->arg, "id") ?
			t->server_groups[i % t->n_server_groups].id :
			t->server_groups[i % t->n_server_groups].name);
	case GEN_IMAGE: {
		const EmuImage *img = &emu_images[i % emu_n_images];

		if (g_str_equal(f->arg, "id"))
			return cJSON_CreateString(t->image_ids[i % emu_n_images]);
		return cJSON_CreateString(g_str_equal(f->arg, "name") ? img->image_name :
					  g_str_equal(f->arg, "os_type") ? img->os_type :
					  img->os_version);
	}
	case GEN_PRODUCT:
		return product_value(i, f->arg);
	case GEN_ZONE:
		return cJSON_CreateString(emu_zones[i % emu_n_zones]);
	case GEN_PROJECT:
		return cJSON_CreateString(t->project_id);
	case GEN_KIND:
		return kind_value(g, f->arg, i);
	case GEN_PARENT: {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(g->parent, f->arg);

		return v ? cJSON_Duplicate(v, TRUE) : NULL;
	}
	case GEN_CHILDREN: {
		const EmuKind *child = kinds_lookup(f->arg);

		return cJSON_CreateNumber(child ? count_of(child, g->counts) : 0);
	}
	case GEN_IPV4: {
		g_autofree char *s = g_strdup_printf(f->arg, i / 250, i % 250 + 1);

		return cJSON_CreateString(s);
	}
	case GEN_MAC: {
		guint64 r = rand64(g->rng);

		snprintf(buf, sizeof(buf), "%02X-%02X-%02X-%02X-%02X-%02X", 0x28,
			 (guint)(r >> 8) & 0xff, (guint)(r >> 16) & 0xff, (guint)(r >> 24) & 0xff,
			 (guint)(r >> 32) & 0xff, (guint)(r >> 40) & 0xff);
		return cJSON_CreateString(buf);
	}
	}
	return NULL;
}

/* Puts value (taken) at a path of members of obj ("a.b", "a.0.b"). FALSE (value freed)
 * when the path does not exist in the template: a table mistake. */
static gboolean put_path(cJSON *obj, const char *path, cJSON *value)
{
	g_auto(GStrv) steps = g_strsplit(path, ".", -1);
	guint n = g_strv_length(steps);
	cJSON *at = obj;

	for (guint i = 0; at && i + 1 < n; i++)
		at = cJSON_IsArray(at) ? cJSON_GetArrayItem(at, atoi(steps[i]))
				       : cJSON_GetObjectItemCaseSensitive(at, steps[i]);
	if (cJSON_IsObject(at) && cJSON_GetObjectItemCaseSensitive(at, steps[n - 1]))
		return cJSON_ReplaceItemInObjectCaseSensitive(at, steps[n - 1], value);
	if (cJSON_IsArray(at) && cJSON_GetArrayItem(at, atoi(steps[n - 1])))
		return cJSON_ReplaceItemInArray(at, atoi(steps[n - 1]), value);
	cJSON_Delete(value);
	return FALSE;
}

static cJSON *make_object(Gen *g, const EmuKind *k, const cJSON *template, guint i)
{
	cJSON *obj = cJSON_Duplicate(template, TRUE);

	for (const GenField *f = k->gen; f && f->field; f++) {
		cJSON *v = gen_value(g, f, i);

		if (v && !put_path(obj, f->field, v))
			g_warning("kind %s: no field %s in its template", k->name, f->field);
	}
	return obj;
}

static KindObjects *generate_kind(Gen *g, const EmuKind *k, gint64 seed, gboolean hostile)
{
	guint32 words[3] = { (guint32)((guint64)seed >> 32), (guint32)seed, g_str_hash(k->name) };
	g_autoptr(GRand) rng = g_rand_new_with_seed_array(words, 3);
	cJSON *template = cJSON_Parse(k->template);
	KindObjects *o = g_new0(KindObjects, 1);
	const KindObjects *parents = k->parent ? objects_of(g->store, k->parent) : NULL;
	guint n = count_of(k, g->counts);
	guint n_parents = k->parent ? (parents ? parents->items->len : 0) : 1;

	o->items = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
	o->parent = g_array_new(FALSE, FALSE, sizeof(gint32));
	if (!cJSON_IsObject(template)) {
		g_warning("kind %s: its template is not a JSON object", k->name);
		cJSON_Delete(template);
		return o;
	}
	g->rng = rng;
	for (guint p = 0; p < n_parents; p++) {
		gint32 pi = k->parent ? (gint32)p : -1;

		g->parent = parents ? parents->items->pdata[p] : NULL;
		for (guint j = 0; j < n; j++) {
			cJSON *obj = make_object(g, k, template, p * n + j);

			g_ptr_array_add(o->items, obj);
			g_array_append_val(o->parent, pi);
		}
	}
	if (hostile && k->hostile_name && o->items->len)
		put_path(o->items->pdata[0], k->name_field, cJSON_CreateString(k->hostile_name));
	g->rng = NULL;
	g->parent = NULL;
	cJSON_Delete(template);
	return o;
}

KindStore *kinds_generate(const Tenant *t, gint64 seed, const char *counts,
			  gboolean hostile_names)
{
	KindStore *store = g_new0(KindStore, 1);
	Gen g = { t, store, counts, NULL, NULL };
	const EmuKind *k;

	store->by_name = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, objects_free);
	store->created = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, created_free);
	store->gone = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; (k = kinds_nth(i)); i++)
		g_hash_table_insert(store->by_name, (gpointer)k->name,
				    generate_kind(&g, k, seed, hostile_names));
	return store;
}

const GArray *kinds_parents(const Tenant *t, const char *kind)
{
	const KindObjects *o = objects_of(t->kinds, kind);

	return o ? o->parent : NULL;
}

/* ---- what the API created ---- */

void kinds_add_created(Tenant *t, const EmuKind *k, cJSON *obj, gint64 from_us)
{
	KindCreated *c = g_hash_table_lookup(t->kinds->created, k->name);

	if (!c) {
		c = g_new0(KindCreated, 1);
		c->items = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
		c->from_us = g_array_new(FALSE, FALSE, sizeof(gint64));
		g_hash_table_insert(t->kinds->created, (gpointer)k->name, c);
	}
	g_ptr_array_add(c->items, obj);
	g_array_append_val(c->from_us, from_us);
}

GPtrArray *kinds_created(Tenant *t, const char *kind, gboolean pending)
{
	const KindCreated *c = g_hash_table_lookup(t->kinds->created, kind);
	GPtrArray *out = g_ptr_array_new_with_free_func((GDestroyNotify)cJSON_Delete);
	gint64 now = g_get_monotonic_time();

	for (guint i = 0; c && i < c->items->len; i++)
		if ((g_array_index(c->from_us, gint64, i) > now) == pending)
			g_ptr_array_add(out, cJSON_Duplicate(c->items->pdata[i], TRUE));
	return out;
}

/* ---- what the API deleted ---- */

static char *gone_key(const char *kind, const char *id)
{
	return g_strdup_printf("%s/%s", kind, id);
}

gboolean kinds_gone(const Tenant *t, const char *kind, const cJSON *obj)
{
	const EmuKind *k = kinds_lookup(kind);
	const char *id = k ? cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj,
										   k->id_field))
			   : NULL;
	g_autofree char *key = NULL;

	if (!id || !t->kinds || g_hash_table_size(t->kinds->gone) == 0)
		return FALSE;
	key = gone_key(kind, id);
	return g_hash_table_contains(t->kinds->gone, key);
}

void kinds_mark_gone(Tenant *t, const char *kind, const char *id)
{
	if (t->kinds)
		g_hash_table_add(t->kinds->gone, gone_key(kind, id));
}
