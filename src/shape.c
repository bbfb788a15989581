/* shape.c — the kinds of an unusual shape, fetched as a listing would be:
 *
 *   a singleton     (ResKind.parts) the tenant itself, the statistics: one object, its
 *                   fields those of every part's answer merged in order (the first of two
 *                   fields with one name wins); its listing is its one name
 *   a nested list   (array_key "quotas.resources") the objects of an array inside an
 *                   object; not paged
 *
 * listing_fetch() hands them here; what is fetched is rendered and stored like a page of a
 * listing (with the listing's ticket, so a fetch that began before a mutation never stores
 * the old state), so reading one file costs the kind's GETs once per TTL, never one per
 * file. Any part failing fails the fetch: stale-on-error then serves the last good object
 * whole, never a mix of old and new parts.
 * Must not: page (these are one GET per part), or be reached for a kind listing.c pages.
 */
#include "src/shape.h"

#include <errno.h>
#include <string.h>

#include "src/keys.h"
#include "src/render.h"
#include "src/store.h"

gboolean shape_owns(const ResKind *kind)
{
	return res_is_singleton(kind) || (kind->array_key && strchr(kind->array_key, '.'));
}

const cJSON *shape_array(const cJSON *root, const char *array_key)
{
	g_auto(GStrv) steps = g_strsplit(array_key, ".", -1);
	const cJSON *v = root;

	for (guint i = 0; steps[i] && v; i++)
		v = cJSON_IsObject(v) ? cJSON_GetObjectItemCaseSensitive(v, steps[i]) : NULL;
	return cJSON_IsArray(v) ? v : NULL;
}

/* One GET, its answer a JSON object. */
static int get_json(ApiClient *api, const ResKind *kind, const char *path,
		    const char *const *query, cJSON **ret_root)
{
	SignerPair q[RES_MAX_PART_QUERY];
	g_autoptr(GBytes) body = NULL;
	cJSON *root;
	gsize n = 0;
	int rc;

	for (const char *const *p = query; p && p[0] && p[1] && n < RES_MAX_PART_QUERY; p += 2)
		q[n++] = (SignerPair){ p[0], p[1] };
	rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, "GET", path, NULL, q,
			 n, NULL, &body, NULL);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	if (!cJSON_IsObject(root)) {
		g_warning("GET %s: the answer is not a JSON object", path);
		cJSON_Delete(root);
		return -EIO;
	}
	*ret_root = root;
	return 0;
}

/* Renders and stores one object, as a listing's page does. FALSE if it cannot be shown. */
static gboolean store(ApiClient *api, const ResKind *kind, const char *name,
		      const cJSON *obj, CacheTicket ticket, gint64 started_us)
{
	g_autofree char *key = key_object(kind, name);
	g_autoptr(GBytes) previous = cache_peek(api->cache, key);
	g_autoptr(GBytes) blob = render_object(kind, obj, previous);

	if (!blob) {
		g_warning("%s/%s: the object is too large to show", kind->dir, name);
		return FALSE;
	}
	if (cache_store(api->cache, key, blob, MAX(started_us, cache_now(api->cache)),
			store_kind_ttl_us(api, kind), ticket))
		store_object_stored(api, kind, name, previous, blob);
	return TRUE;
}

static int fetch_singleton(ApiClient *api, const ResKind *kind, CacheTicket ticket,
			   gint64 started_us, GByteArray *names)
{
	g_autoptr(cJSON) merged = cJSON_CreateObject();
	const char *name = res_singleton_name(kind);

	for (const ResPart *p = kind->parts; p->path; p++) {
		g_autoptr(cJSON) root = NULL;
		const cJSON *field;
		int rc = get_json(api, kind, p->path, p->query, &root);

		if (rc < 0)
			return rc;
		cJSON_ArrayForEach(field, root)
			if (!cJSON_GetObjectItemCaseSensitive(merged, field->string))
				cJSON_AddItemToObject(merged, field->string,
						      cJSON_Duplicate(field, TRUE));
	}
	if (store(api, kind, name, merged, ticket, started_us))
		g_byte_array_append(names, (const guint8 *)name, strlen(name) + 1);
	return 0;
}

static int fetch_nested(ApiClient *api, const ResKind *kind, CacheTicket ticket,
			gint64 started_us, GByteArray *names)
{
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	const cJSON *arr, *item;
	int rc = get_json(api, kind, kind->list_path, NULL, &root);

	if (rc < 0)
		return rc;
	arr = shape_array(root, kind->array_key);
	if (!arr) {
		g_warning("GET %s: no \"%s\" array in the response", kind->list_path,
			  kind->array_key);
		return -EIO;
	}
	cJSON_ArrayForEach(item, arr) {
		const char *name = json_name(item, kind->name_field);

		/* Nameless or duplicate objects could not be addressed. */
		if (!name || !g_hash_table_add(seen, (gpointer)name))
			continue;
		if (store(api, kind, name, item, ticket, started_us))
			g_byte_array_append(names, (const guint8 *)name, strlen(name) + 1);
	}
	return 0;
}

int shape_fetch(ApiClient *api, const ResKind *kind, CacheTicket ticket, gint64 started_us,
		GBytes **ret_packed)
{
	g_autoptr(GByteArray) names = g_byte_array_new();
	int rc = res_is_singleton(kind) ? fetch_singleton(api, kind, ticket, started_us, names)
					: fetch_nested(api, kind, ticket, started_us, names);

	if (rc < 0)
		return rc;
	*ret_packed = g_byte_array_free_to_bytes(g_steal_pointer(&names));
	return 0;
}
