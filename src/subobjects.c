/* subobjects.c — the LINK_OBJECTS directories: an object's own sub-collection of objects no
 * kind lists (a scheduled task's run records, an app group's published apps), shown as
 * directories of files like a kind's objects.
 *
 * Cache keys (beside links.c's sub-lists, under the object's "S:<dir>/<name>/" prefix, so
 * that an invalidation of the object reaches them): "S:<dir>/<name>/<link>" -> the names,
 * NUL-separated, in API order; "S:<dir>/<name>/<link>/<entry>" -> that object rendered (a
 * blob of src/render.h). One fetch pages the whole sub-collection and stores every object
 * (the listing's rule: reading them costs the pages, nothing per object); both expire with
 * the object's kind's TTL.
 * Must not: know FUSE, or keep anything outside the cache.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/json.h"
#include "src/keys.h"
#include "src/reader.h"
#include "src/render.h"
#include "src/store.h"

#define MAX_PAGES 10000

static char *names_key(const ResKind *kind, const char *name, const ResLink *link)
{
	return g_strconcat("S:", kind->dir, "/", name, "/", link->dir, NULL);
}

static char *entry_key(const ResKind *kind, const char *name, const ResLink *link,
		       const char *entry)
{
	return g_strconcat("S:", kind->dir, "/", name, "/", link->dir, "/", entry, NULL);
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	const char *name;
	const ResLink *link;
} SubArgs;

/* One page of the sub-collection, its array checked. */
static int get_page(ApiClient *api, const ResKind *objects, const char *id, gint64 offset,
		    cJSON **ret_root)
{
	char off[24], lim[24];
	SignerPair q[2] = { { "offset", off }, { "limit", lim } };
	g_autoptr(GBytes) body = NULL;
	cJSON *root;
	int rc;

	g_snprintf(off, sizeof(off), "%" G_GINT64_FORMAT, offset);
	g_snprintf(lim, sizeof(lim), "%d", objects->page_limit);
	rc = wks_call_at(api->client, objects->service == SERVICE_APPSTREAM, "GET",
			 objects->list_path, id, q, objects->page_limit > 0 ? 2 : 0, NULL, &body,
			 NULL);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	if (!cJSON_IsArray(cJSON_GetObjectItem(root, objects->array_key))) {
		g_warning("GET %s: no \"%s\" array in the response", objects->list_path,
			  objects->array_key);
		cJSON_Delete(root);
		return -EIO;
	}
	*ret_root = root;
	return 0;
}

/* Stores a page's objects; the names not seen yet go to packed. How many were new. */
static guint store_page(SubArgs *a, const cJSON *arr, CacheTicket ticket, gint64 started_us,
			GHashTable *seen, GByteArray *packed)
{
	const ResKind *objects = a->link->objects;
	const cJSON *item;
	guint added = 0;

	cJSON_ArrayForEach(item, arr) {
		const char *entry = json_name(item, objects->name_field);
		g_autofree char *key = NULL;
		g_autoptr(GBytes) previous = NULL, blob = NULL;

		if (!entry || g_hash_table_contains(seen, entry))
			continue;
		key = entry_key(a->kind, a->name, a->link, entry);
		previous = cache_peek(a->api->cache, key);
		blob = render_object(objects, item, previous);
		if (!blob) {
			g_warning("%s/%s/%s/%s: the object is too large to show", a->kind->dir,
				  a->name, a->link->dir, entry);
			continue;
		}
		cache_store(a->api->cache, key, blob, MAX(started_us, cache_now(a->api->cache)),
			    store_kind_ttl_us(a->api, a->kind), ticket);
		g_hash_table_add(seen, g_strdup(entry));
		g_byte_array_append(packed, (const guint8 *)entry, strlen(entry) + 1);
		added++;
	}
	return added;
}

/* Every page, sequentially: the first gives the total; paging stops at it, at a short or
 * empty page (no total), at a page with no new name, or after MAX_PAGES. */
static int fetch_all(SubArgs *a, const char *id, CacheTicket ticket, gint64 started_us,
		     GByteArray *packed)
{
	const ResKind *objects = a->link->objects;
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gint64 deadline = g_get_monotonic_time() + 4 * wks_client_timeout_us(a->api->client);
	gint64 offset = 0, total = -1;

	for (int page = 0; page < MAX_PAGES; page++) {
		g_autoptr(cJSON) root = NULL;
		const cJSON *arr;
		guint added;
		int n, rc;

		if (page > 0 && g_get_monotonic_time() >= deadline)
			return -ETIMEDOUT;
		rc = get_page(a->api, objects, id, offset, &root);
		if (rc < 0)
			return rc;
		if (total < 0 && !json_int(cJSON_GetObjectItem(root, objects->total_field), &total))
			total = -1;
		arr = cJSON_GetObjectItem(root, objects->array_key);
		n = cJSON_GetArraySize(arr);
		added = store_page(a, arr, ticket, started_us, seen, packed);
		offset += n;
		if (objects->page_limit <= 0 || n == 0 ||
		    (total >= 0 ? offset >= total : n < objects->page_limit))
			break;
		if (added == 0) {
			g_warning("GET %s: the page at offset %" G_GINT64_FORMAT " brought no new "
				  "name: the listing stops there", objects->list_path, offset - n);
			break;
		}
	}
	return 0;
}

static int fetch_names(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	SubArgs *a = data;
	g_autofree char *id = NULL;
	g_autoptr(GByteArray) packed = g_byte_array_new();
	gint64 start = g_get_monotonic_time();
	gint64 started_us = cache_now(a->api->cache);
	CacheTicket ticket;
	int rc = reader_object_id(a->api, a->kind, a->name, &id);

	if (rc < 0)
		return rc;
	ticket = cache_ticket_take(a->api->cache);
	rc = fetch_all(a, id, ticket, started_us, packed);
	cache_ticket_release(a->api->cache, ticket);
	store_fetch_done(a->api, rc, start);
	if (rc < 0)
		return rc;
	*ret_value = g_byte_array_free_to_bytes(g_steal_pointer(&packed));
	*ret_ttl_us = store_kind_ttl_us(a->api, a->kind) - (cache_now(a->api->cache) - started_us);
	return 0;
}

static ApiFreshness fresh_of(ApiClient *api, GBytes *blob, const CacheInfo *info)
{
	gint64 now = cache_now(api->cache);
	gint64 left = !info->stale && info->expires_us > now ? info->expires_us - now : 0;

	return (ApiFreshness){ blob ? render_version_ns(blob) : 0, left, info->stale };
}

static int get_names(SubArgs *a, GBytes **ret_packed, CacheInfo *ret_info)
{
	g_autofree char *key = names_key(a->kind, a->name, a->link);
	CacheGetOptions o = store_cache_options(a->api);

	o.negative_ttl_us = 0;
	return cache_get(a->api->cache, key, fetch_names, a, &o, ret_packed, ret_info);
}

static gboolean packed_has(GBytes *packed, const char *entry)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(packed, &len);

	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		if (strcmp(p + i, entry) == 0)
			return TRUE;
	return FALSE;
}

int api_sub_list(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
		 GPtrArray **ret_names, ApiFreshness *ret_fresh)
{
	SubArgs a = { api, kind, name, link };
	g_autoptr(GBytes) packed = NULL;
	GPtrArray *names;
	CacheInfo info;
	const char *p;
	gsize len = 0;
	int rc;

	if (link->source != LINK_OBJECTS)
		return -EINVAL;
	rc = get_names(&a, &packed, &info);
	if (rc < 0)
		return rc;
	names = g_ptr_array_new_with_free_func(g_free);
	p = g_bytes_get_data(packed, &len);
	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		g_ptr_array_add(names, g_strdup(p + i));
	*ret_names = names;
	if (ret_fresh)
		*ret_fresh = fresh_of(api, NULL, &info);
	return 0;
}

typedef struct {
	SubArgs sub;
	const char *entry;
} EntryArgs;

/* An object of the sub-collection: from the fetch of the whole sub-collection. */
static int fetch_entry(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	EntryArgs *a = data;
	g_autofree char *key = entry_key(a->sub.kind, a->sub.name, a->sub.link, a->entry);
	g_autofree char *nkey = names_key(a->sub.kind, a->sub.name, a->sub.link);
	gint64 stored_us = 0;

	for (int attempt = 0; attempt < 2; attempt++) {
		g_autoptr(GBytes) packed = NULL;
		CacheInfo info;
		int rc = get_names(&a->sub, &packed, &info);

		if (rc < 0)
			return rc;
		if (info.stale)
			return info.refresh_error < 0 ? info.refresh_error : -EIO;
		if (!packed_has(packed, a->entry))
			return -ENOENT;
		*ret_value = cache_lookup(a->sub.api->cache, key, &stored_us);
		if (*ret_value) {
			*ret_ttl_us = stored_us + store_kind_ttl_us(a->sub.api, a->sub.kind) -
				      cache_now(a->sub.api->cache);
			return 0;
		}
		/* Listed, but evicted since: the names are fetched again, with it. */
		cache_invalidate(a->sub.api->cache, nkey);
	}
	return -EIO;
}

int api_sub_object(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
		   const char *entry, GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	EntryArgs a = { { api, kind, name, link }, entry };
	g_autofree char *key = NULL;
	g_autoptr(GBytes) blob = NULL;
	CacheGetOptions o = store_cache_options(api);
	CacheInfo info;
	int rc;

	if (link->source != LINK_OBJECTS)
		return -EINVAL;
	key = entry_key(kind, name, link, entry);
	rc = cache_get(api->cache, key, fetch_entry, &a, &o, &blob, &info);
	if (rc < 0)
		return rc;
	if (ret_fresh)
		*ret_fresh = fresh_of(api, blob, &info);
	if (ret_blob)
		*ret_blob = g_steal_pointer(&blob);
	return 0;
}
