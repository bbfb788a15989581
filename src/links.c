/* links.c — the symlink directories: an object's links (desktops/ID/users/, users/NAME/
 * desktops/, user-groups/NAME/members/, ...) and the top-level views (desktops-by-name/,
 * desktops-by-status/). All of it is derived from cached listings, so walking links costs
 * the listings and the sub-collections (one cached GET each), nothing per object. A field
 * is read from the rendered object's own file for it (render_field_strings), not parsed.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/keys.h"
#include "src/listing.h"
#include "src/reader.h"
#include "src/render.h"
#include "src/store.h"

static void add_unique(GPtrArray *out, GHashTable *seen, const char *name)
{
	if (name && g_hash_table_add(seen, g_strdup(name)))
		g_ptr_array_add(out, g_strdup(name));
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	const char *field;
} IndexArgs;

/* (value, name) pairs, NUL-separated, for every object of a kind and every value its field
 * holds (a scalar, or each string of an array), in listing order. Built from the cached
 * listing once and cached beside it ("X:<dir>/<field>", marked stale with the listing), so a
 * view or reverse link costs one pass over the listing, not one per lookup. An index built
 * from a listing that is only the last good one is answered but not kept: it must not
 * outlive the outage as fresh. */
static int build_index(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	IndexArgs *a = data;
	g_autoptr(GPtrArray) all = NULL;
	GByteArray *packed;
	CacheInfo info;
	int rc = reader_list(a->api, a->kind, NULL, &all, &info, NULL);

	if (rc < 0)
		return rc;
	packed = g_byte_array_new();
	for (guint i = 0; i < all->len; i++) {
		g_autoptr(GBytes) blob = NULL;
		g_autoptr(GPtrArray) values = NULL;
		gboolean array;

		if (reader_get(a->api, a->kind, all->pdata[i], NULL, &blob, NULL) < 0)
			continue;	/* gone since the listing */
		values = render_field_strings(blob, a->field, &array);
		for (guint k = 0; values && k < values->len; k++) {
			const char *value = values->pdata[k];

			g_byte_array_append(packed, (const guint8 *)value, strlen(value) + 1);
			g_byte_array_append(packed, all->pdata[i], strlen(all->pdata[i]) + 1);
		}
	}
	*ret_value = g_byte_array_free_to_bytes(packed);
	*ret_ttl_us = info.stale ? 0 : store_kind_ttl_us(a->api, a->kind);
	return 0;
}

static int field_index(ApiClient *api, const ResKind *kind, const char *field,
		       GBytes **ret_pairs)
{
	g_autofree char *key = key_index(kind, field);
	IndexArgs args = { api, kind, field };
	CacheGetOptions o = store_cache_options(api);

	/* Derived, no network of its own: always rebuilt from the listing (which the outage
	 * window answers at once) rather than served from an older index. */
	o.negative_ttl_us = 0;
	o.stale_on_error = TRUE;
	o.source_down = 0;

	return cache_get(api->cache, key, build_index, &args, &o, ret_pairs, NULL);
}

/* Walks an index: each (value, name) pair, value NULL matching any. */
typedef gboolean (*PairFunc)(const char *value, const char *name, gpointer data);

static void each_pair(GBytes *pairs, PairFunc func, gpointer data)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(pairs, &len);

	for (gsize i = 0; i < len;) {
		const char *value = p + i;
		const char *name = value + strlen(value) + 1;

		i = (gsize)(name - p) + strlen(name) + 1;
		if (!func(value, name, data))
			return;
	}
}

typedef struct {
	const char *value;	/* NULL: collect the values instead */
	gboolean first_only;
	GPtrArray *out;
	GHashTable *seen;
} Collect;

static gboolean collect(const char *value, const char *name, gpointer data)
{
	Collect *c = data;

	if (!c->value) {
		add_unique(c->out, c->seen, value);
		return TRUE;
	}
	if (strcmp(value, c->value) != 0)
		return TRUE;
	add_unique(c->out, c->seen, name);
	return !c->first_only;
}

/* The names of target objects whose field holds value; or, value NULL, the values. */
static int lookup(ApiClient *api, const ResKind *kind, const char *field, const char *value,
		  gboolean first_only, GPtrArray **ret_out)
{
	g_autoptr(GBytes) pairs = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	Collect c = { value, first_only, g_ptr_array_new_with_free_func(g_free), seen };
	int rc = field_index(api, kind, field, &pairs);

	if (rc < 0) {
		g_ptr_array_unref(c.out);
		return rc;
	}
	each_pair(pairs, collect, &c);
	*ret_out = c.out;
	return 0;
}

typedef struct {
	ApiClient *api;
	const ResLink *link;
	const char *id;
} SubArgs;

static int fetch_sub(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	SubArgs *a = data;
	g_autoptr(GPtrArray) names = NULL;
	GByteArray *packed;
	gint64 start = g_get_monotonic_time();
	int rc = listing_fetch_sub(a->api, a->link->sub_path, a->id, a->link->sub_array,
				   a->link->sub_total, a->link->sub_name, a->link->sub_limit,
				   &names);

	store_fetch_done(a->api, rc, start);
	if (rc < 0)
		return rc;
	packed = g_byte_array_new();
	for (guint i = 0; i < names->len; i++)
		g_byte_array_append(packed, names->pdata[i], strlen(names->pdata[i]) + 1);
	*ret_value = g_byte_array_free_to_bytes(packed);
	*ret_ttl_us = store_kind_ttl_us(a->api, res_kind_lookup(a->link->target));
	return 0;
}

/* The API's own sub-collection, cached under "S:<dir>/<name>/<link>". */
static int sub_collection(ApiClient *api, const ResKind *kind, const char *name,
			  const ResLink *link, GPtrArray **ret_names)
{
	g_autofree char *id = NULL;
	g_autofree char *key = key_sub(kind, name, link->dir);
	g_autoptr(GBytes) packed = NULL;
	CacheGetOptions o = store_cache_options(api);
	const char *p;
	gsize len = 0;
	int rc = reader_object_id(api, kind, name, &id);

	if (rc < 0)
		return rc;
	o.negative_ttl_us = 0;
	o.stale_on_error = TRUE;
	SubArgs args = { api, link, id };
	rc = cache_get(api->cache, key, fetch_sub, &args, &o, &packed, NULL);
	if (rc < 0)
		return rc;
	*ret_names = g_ptr_array_new_with_free_func(g_free);
	p = g_bytes_get_data(packed, &len);
	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		g_ptr_array_add(*ret_names, g_strdup(p + i));
	return 0;
}

int api_links(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
	      GPtrArray **ret_names)
{
	const ResKind *target = res_kind_lookup(link->target);
	g_autoptr(GBytes) blob = NULL;
	g_autofree char *id = NULL;
	int rc;

	switch (link->source) {
	case LINK_FIELD: {
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GHashTable) seen =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		g_autoptr(GPtrArray) values = NULL;
		gboolean array = FALSE;

		rc = reader_get(api, kind, name, NULL, &blob, NULL);
		if (rc < 0)
			return rc;
		/* The field's array of names; anything else links nothing (api_link_has agrees). */
		values = render_field_strings(blob, link->field, &array);
		for (guint i = 0; array && values && i < values->len; i++)
			add_unique(out, seen, values->pdata[i]);
		*ret_names = g_steal_pointer(&out);
		return 0;
	}
	case LINK_REVERSE:
		return lookup(api, target, link->field, name, FALSE, ret_names);
	case LINK_MATCH:
		rc = reader_object_id(api, kind, name, &id);
		if (rc < 0)
			return rc;
		return lookup(api, target, link->field, id, FALSE, ret_names);
	case LINK_SUBLIST:
		return sub_collection(api, kind, name, link, ret_names);
	case LINK_OBJECTS:
		return api_sub_list(api, kind, name, link, ret_names, NULL);
	}
	return -EINVAL;
}

int api_view_keys(ApiClient *api, const ResView *view, GPtrArray **ret_keys)
{
	return lookup(api, res_kind_lookup(view->kind), view->field, NULL, FALSE, ret_keys);
}

int api_view_members(ApiClient *api, const ResView *view, const char *key,
		     GPtrArray **ret_names)
{
	g_autoptr(GPtrArray) names = NULL;
	/* A flat view shows the first object with the key (names can be shared). */
	int rc = lookup(api, res_kind_lookup(view->kind), view->field, key, !view->grouped,
			&names);

	if (rc < 0)
		return rc;
	/* ret_names only on success: the callers free it (they freed it twice before). */
	if (names->len == 0)
		return -ENOENT;
	*ret_names = g_steal_pointer(&names);
	return 0;
}

/* Whether an object's field is `value` (scalar) or holds it (array). */
static gboolean field_holds(ApiClient *api, const ResKind *kind, const char *name,
			    const char *field, const char *value)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GPtrArray) values = NULL;
	gboolean array;

	if (reader_get(api, kind, name, NULL, &blob, NULL) < 0)
		return FALSE;
	values = render_field_strings(blob, field, &array);
	for (guint i = 0; values && i < values->len; i++)
		if (strcmp(values->pdata[i], value) == 0)
			return TRUE;
	return FALSE;
}

gboolean api_link_has(ApiClient *api, const ResKind *kind, const char *name,
		      const ResLink *link, const char *entry)
{
	const ResKind *target = res_kind_lookup(link->target);
	g_autoptr(GPtrArray) names = NULL;
	g_autofree char *id = NULL;

	switch (link->source) {
	case LINK_FIELD:
		return field_holds(api, kind, name, link->field, entry);
	case LINK_REVERSE:
		return field_holds(api, target, entry, link->field, name);
	case LINK_MATCH:
		return reader_object_id(api, kind, name, &id) == 0 &&
		       field_holds(api, target, entry, link->field, id);
	case LINK_SUBLIST:
	case LINK_OBJECTS:
		if (api_links(api, kind, name, link, &names) < 0)
			return FALSE;
		for (guint i = 0; i < names->len; i++)
			if (strcmp(names->pdata[i], entry) == 0)
				return TRUE;
		return FALSE;
	}
	return FALSE;
}

gboolean api_view_has(ApiClient *api, const ResView *view, const char *key, const char *name)
{
	return field_holds(api, res_kind_lookup(view->kind), name, view->field, key);
}
