/* links.c — the symlink directories: an object's links (desktops/ID/users/, users/NAME/
 * desktops/, user-groups/NAME/members/, ...) and the top-level views (desktops-by-name/,
 * desktops-by-status/). All of it is derived from cached listings, so walking links costs
 * the listings and the sub-collections (one cached GET each), nothing per object.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

static gboolean array_has(const cJSON *arr, const char *value)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, value) == 0)
			return TRUE;
	return FALSE;
}

static void add_unique(GPtrArray *out, GHashTable *seen, const char *name)
{
	if (name && g_hash_table_add(seen, g_strdup(name)))
		g_ptr_array_add(out, g_strdup(name));
}

/* Objects of `target` whose field holds `value` (array) or equals it (scalar). */
static int scan(ApiClient *api, const ResKind *target, const char *field, const char *value,
		gboolean in_array, GPtrArray **ret_names)
{
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int rc = api_list(api, target, &all, NULL);

	if (rc < 0)
		return rc;
	for (guint i = 0; i < all->len; i++) {
		g_autoptr(GBytes) json = NULL;
		g_autoptr(cJSON) obj = NULL;
		const cJSON *v;

		if (api_object(api, target, all->pdata[i], &json) < 0)
			continue;	/* gone since the listing */
		obj = json_parse_bytes(json);
		v = cJSON_GetObjectItem(obj, field);
		if (in_array ? array_has(v, value) : g_strcmp0(cJSON_GetStringValue(v), value) == 0)
			add_unique(out, seen, all->pdata[i]);
	}
	*ret_names = g_steal_pointer(&out);
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
	int rc = listing_fetch_sub(a->api, a->link->sub_path, a->id, a->link->sub_array,
				   a->link->sub_total, a->link->sub_name, a->link->sub_limit,
				   &names);

	if (rc < 0)
		return rc;
	packed = g_byte_array_new();
	for (guint i = 0; i < names->len; i++)
		g_byte_array_append(packed, names->pdata[i], strlen(names->pdata[i]) + 1);
	*ret_value = g_byte_array_free_to_bytes(packed);
	*ret_ttl_us = api_kind_ttl_us(a->api, res_kind_lookup(a->link->target));
	return 0;
}

/* The API's own sub-collection, cached under "S:<dir>/<name>/<link>". */
static int sub_collection(ApiClient *api, const ResKind *kind, const char *name,
			  const ResLink *link, GPtrArray **ret_names)
{
	g_autofree char *id = NULL;
	g_autofree char *key = g_strconcat("S:", kind->dir, "/", name, "/", link->dir, NULL);
	g_autoptr(GBytes) packed = NULL;
	CacheGetOptions o = { 0, TRUE, G_USEC_PER_SEC };
	const char *p;
	gsize len = 0;
	int rc = api_object_id(api, kind, name, &id);

	if (rc < 0)
		return rc;
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
	g_autoptr(GBytes) json = NULL;
	g_autoptr(cJSON) obj = NULL;
	g_autofree char *id = NULL;
	int rc;

	switch (link->source) {
	case LINK_FIELD: {
		g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
		g_autoptr(GHashTable) seen =
			g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
		const cJSON *it;

		rc = api_object(api, kind, name, &json);
		if (rc < 0)
			return rc;
		obj = json_parse_bytes(json);
		cJSON_ArrayForEach(it, cJSON_GetObjectItem(obj, link->field))
			if (cJSON_IsString(it) && it->valuestring[0])
				add_unique(out, seen, it->valuestring);
		*ret_names = g_steal_pointer(&out);
		return 0;
	}
	case LINK_REVERSE:
		return scan(api, target, link->field, name, TRUE, ret_names);
	case LINK_MATCH:
		rc = api_object_id(api, kind, name, &id);
		if (rc < 0)
			return rc;
		return scan(api, target, link->field, id, FALSE, ret_names);
	case LINK_SUBLIST:
		return sub_collection(api, kind, name, link, ret_names);
	}
	return -EINVAL;
}

/* Every object of the view's kind with its key, in listing order. */
static int view_pairs(ApiClient *api, const ResView *view, GPtrArray **ret_names,
		      GPtrArray **ret_keys)
{
	const ResKind *kind = res_kind_lookup(view->kind);
	g_autoptr(GPtrArray) all = NULL;
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	int rc = api_list(api, kind, &all, NULL);

	if (rc < 0)
		return rc;
	for (guint i = 0; i < all->len; i++) {
		g_autoptr(GBytes) json = NULL;
		g_autoptr(cJSON) obj = NULL;
		const char *key;

		if (api_object(api, kind, all->pdata[i], &json) < 0)
			continue;
		obj = json_parse_bytes(json);
		key = json_name(obj, view->field);
		if (!key)
			continue;
		g_ptr_array_add(names, g_strdup(all->pdata[i]));
		g_ptr_array_add(keys, g_strdup(key));
	}
	*ret_names = g_steal_pointer(&names);
	*ret_keys = g_steal_pointer(&keys);
	return 0;
}

int api_view_keys(ApiClient *api, const ResView *view, GPtrArray **ret_keys)
{
	g_autoptr(GPtrArray) names = NULL, keys = NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	int rc = view_pairs(api, view, &names, &keys);

	if (rc < 0)
		return rc;
	for (guint i = 0; i < keys->len; i++)
		add_unique(out, seen, keys->pdata[i]);
	*ret_keys = g_steal_pointer(&out);
	return 0;
}

int api_view_members(ApiClient *api, const ResView *view, const char *key,
		     GPtrArray **ret_names)
{
	g_autoptr(GPtrArray) names = NULL, keys = NULL;
	g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func(g_free);
	int rc = view_pairs(api, view, &names, &keys);

	if (rc < 0)
		return rc;
	for (guint i = 0; i < keys->len; i++) {
		if (strcmp(keys->pdata[i], key) != 0)
			continue;
		g_ptr_array_add(out, g_strdup(names->pdata[i]));
		if (!view->grouped)
			break;	/* a name shared by two objects shows the first */
	}
	if (out->len == 0)
		return -ENOENT;
	*ret_names = g_steal_pointer(&out);
	return 0;
}
