/* reader.c — the cached reads: a collection's listing and one object, through the cache's
 * single flight, with the policy of store.c (per-kind TTLs, negative entries, stale-on-error,
 * the outage window).
 *
 * Owns: how a read reaches the API. A listing stores every object in it (listing.c), and
 * they expire with it. One object is fetched by its detail path — by name when the name is
 * the id, else by the id its cached value (however stale) holds — or by the list's name
 * filter; a kind that cannot fetch one object is answered by its listing. An object read
 * in bulk is refreshed in bulk: see refresh_by_listing(). A listing is served only after
 * its names in doubt are settled by reading their objects, and every read of an object
 * settles its own (doubt.c). Every fetch reports its outcome to the outage window.
 * Must not: mark anything stale itself (store.c does, for the mutations and the job
 * watcher; doubt.c, for a 404 that settles a doubt), or call up into api.c, which sits on
 * top of it: it serves api.c, links.c and mutate.c.
 *
 * Version times: st_mtime is when wksfs first saw the data as it is, not when it last
 * fetched it: a re-fetch that brings the same bytes keeps the version of the value it
 * replaces (cache_peek), so the kernel may keep its page cache while nothing changed.
 */
#include "src/reader.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/doubt.h"
#include "src/json.h"
#include "src/keys.h"
#include "src/listing.h"
#include "src/render.h"
#include "src/store.h"

/* How fresh a cached answer is, for ApiFreshness. An invalidated value expires at
 * G_MININT64: compared, never subtracted from. */
static ApiFreshness freshness(ApiClient *api, gint64 version_ns, const CacheInfo *info)
{
	gint64 now = cache_now(api->cache);
	gint64 left = !info->stale && info->expires_us > now ? info->expires_us - now : 0;

	return (ApiFreshness){ version_ns, left, info->stale };
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	const char *name;
} FetchArgs;

static int fetch_listing(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	FetchArgs *a = data;
	g_autofree char *key = key_list(a->kind);
	g_autoptr(GBytes) names = NULL;
	g_autoptr(GBytes) previous = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 started;
	int rc;

	*ret_ttl_us = store_kind_ttl_us(a->api, a->kind);
	if (!a->kind->list_path) {
		/* No list endpoint (jobs): the objects this mount created. */
		GByteArray *packed = g_byte_array_new();

		g_mutex_lock(&a->api->lock);
		for (GList *l = a->api->job_ids.head; l; l = l->next)
			g_byte_array_append(packed, l->data, strlen(l->data) + 1);
		g_mutex_unlock(&a->api->lock);
		*ret_ttl_us = 0;
		names = g_byte_array_free_to_bytes(packed);
		rc = 0;
	} else {
		started = cache_now(a->api->cache);
		rc = listing_fetch(a->api, a->kind, started, &names);
		store_fetch_done(a->api, rc, start);
		store_release_memory();
		/* The listing counts as fetched when it started: it is due before any of its
		 * objects. */
		*ret_ttl_us -= cache_now(a->api->cache) - started;
	}
	if (rc < 0)
		return rc;
	previous = cache_peek(a->api->cache, key);
	*ret_value = listing_versioned(names, previous);
	if (a->kind->list_path && previous) {
		gint64 old_version = 0, new_version = 0;
		gsize old_len = 0, new_len = 0;
		const char *old_names = listing_names(previous, &old_len, &old_version);
		const char *new_names = listing_names(*ret_value, &new_len, &new_version);

		store_listing_stored(a->api, a->kind, old_names, old_len, new_names, new_len,
				     old_version != new_version);
	}
	return 0;
}

static GPtrArray *unpack_names(GBytes *packed)
{
	gsize len = 0;
	const char *p = listing_names(packed, &len, NULL);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		g_ptr_array_add(names, g_strdup(p + i));
	return names;
}

/* Before the listing is served: each name in doubt is settled by reading its object (one
 * GET each, which reading it would cost anyway). A failure leaves the name in doubt. */
static void settle_doubts(ApiClient *api, const ResKind *kind)
{
	g_autoptr(GPtrArray) names = api_doubts_names(api, kind);

	for (guint i = 0; i < names->len; i++)
		reader_get(api, kind, names->pdata[i], NULL, NULL, NULL);	/* settles it */
}

/* The listing through the cache; with settle, its names in doubt are settled first. */
static int list_with(ApiClient *api, const ResKind *kind, CacheGetOptions o,
		     gboolean settle_first, GPtrArray **ret_names, CacheInfo *ret_info,
		     ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_list(kind);
	g_autoptr(GBytes) packed = NULL;
	FetchArgs args = { api, kind, NULL };
	CacheInfo info;
	int rc;

	if (settle_first)
		settle_doubts(api, kind);
	o.negative_ttl_us = 0;
	rc = cache_get(api->cache, key, fetch_listing, &args, &o, &packed, &info);
	if (rc < 0)
		return rc;
	if (ret_fresh) {
		gint64 version = 0;
		gsize len;

		listing_names(packed, &len, &version);
		*ret_fresh = freshness(api, version, &info);
	}
	if (ret_names)
		*ret_names = unpack_names(packed);
	if (ret_info)
		*ret_info = info;
	return 0;
}

static gboolean listing_says_absent(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autofree char *key = key_list(kind);
	g_autoptr(GBytes) packed = cache_lookup(api->cache, key, NULL);
	gsize len = 0;
	const char *p;

	if (!packed)
		return FALSE;
	p = listing_names(packed, &len, NULL);
	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		if (strcmp(p + i, name) == 0)
			return FALSE;
	return TRUE;
}

/* The id of the object whose value (however stale) the cache holds, for a kind whose names
 * are not its ids; NULL when there is none. */
static char *cached_id(const ResKind *kind, GBytes *previous)
{
	g_autoptr(GPtrArray) ids = NULL;
	gboolean array = FALSE;

	if (!previous || g_str_equal(kind->id_field, kind->name_field))
		return NULL;
	ids = render_field_strings(previous, kind->id_field, &array);
	return ids && !array && ids->len == 1 ? g_strdup(ids->pdata[0]) : NULL;
}

/* One object from the API: by its detail path, or by the list's name filter. */
static int get_object(FetchArgs *a, GBytes **ret_value, gint64 *ret_ttl_us)
{
	const ResKind *kind = a->kind;
	g_autofree char *key = key_object(kind, a->name);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GBytes) previous = NULL;
	g_autoptr(cJSON) root = NULL;
	g_autofree char *id = NULL;
	const cJSON *obj = NULL;
	int rc;

	*ret_ttl_us = store_kind_ttl_us(a->api, kind);
	/* A fresh listing is authoritative: a name it lacks does not exist (yet). */
	if (listing_says_absent(a->api, kind, a->name))
		return -ENOENT;
	previous = cache_peek(a->api->cache, key);
	if (kind->detail_path && g_str_equal(kind->id_field, kind->name_field))
		id = g_strdup(a->name);
	else if (kind->detail_path)
		id = cached_id(kind, previous);
	if (id) {
		/* A 404 by a remembered id: the object is gone (or was renamed: its name is
		 * another directory now). */
		rc = wks_call_at(a->api->client, kind->service == SERVICE_APPSTREAM, "GET",
				 kind->detail_path, id, NULL, 0, NULL, &body, NULL);
		if (rc < 0)
			return rc;
		root = json_parse_bytes(body);
		obj = kind->detail_wrapper ? cJSON_GetObjectItem(root, kind->detail_wrapper)
					   : root;
	} else if (kind->name_filter) {
		SignerPair q[5];
		char bufs[4][40];
		const cJSON *item;
		gsize n = listing_page_query(a->api, kind, 0, bufs, q);

		q[n++] = (SignerPair){ kind->name_filter, a->name };
		rc = wks_call_at(a->api->client, kind->service == SERVICE_APPSTREAM, "GET",
				 kind->list_path, NULL, q, n, NULL, &body, NULL);
		if (rc < 0)
			return rc;
		root = json_parse_bytes(body);
		/* The filter may match loosely; only the exact name is this object. */
		cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, kind->array_key)) {
			if (g_strcmp0(json_name(item, kind->name_field), a->name) == 0) {
				obj = item;
				break;
			}
		}
		if (!obj)
			return cJSON_IsArray(cJSON_GetObjectItem(root, kind->array_key)) ? -ENOENT
											 : -EIO;
	} else if (kind->list_path) {
		/* No way to ask for one object: the listing answers (and caches it). A listing
		 * that is only the last good one proves nothing: its failure is the answer, so
		 * that the object's own last good value is served, not removed. */
		CacheInfo info;

		rc = list_with(a->api, kind, store_cache_options(a->api), FALSE, NULL, &info, NULL);
		if (rc < 0)
			return rc;
		if (info.stale)
			return info.refresh_error < 0 ? info.refresh_error : -EIO;
		*ret_value = cache_lookup(a->api->cache, key, NULL);
		return *ret_value ? 0 : -ENOENT;
	} else {
		return -ENOENT;
	}
	if (!cJSON_IsObject(obj))
		return -EIO;
	if (g_strcmp0(json_name(obj, kind->name_field), a->name) != 0)
		return -ENOENT;
	/* The value this one replaces: another fetch (a listing) may have stored it since. */
	g_clear_pointer(&previous, g_bytes_unref);
	previous = cache_peek(a->api->cache, key);
	*ret_value = render_object(kind, obj, previous);
	if (!*ret_value) {
		g_warning("%s/%s: the object is too large to show", kind->dir, a->name);
		return -EIO;
	}
	/* Told before it is stored: the kernel asks again after, and gets it (single flight). */
	store_object_stored(a->api, kind, a->name, previous, *ret_value);
	return 0;
}

/* The cheapest refresh: an object of a paged collection that is not cached or whose value
 * expired (not one a mutation invalidated: that costs one GET), while its collection's
 * listing is due too (expired or stale) and was fetched within the last two TTLs — the
 * collection is being read in bulk, `cat desktops/STAR/status` with a short TTL — is
 * refreshed by re-listing the collection, once for all such objects (the listing's single
 * flight): its pages refresh every object, instead of one GET per object. Objects stored by
 * a listing expire with it, so in a bulk read they fall due together. Returns 1 when the
 * rule does not apply (or the listing did not bring the object): fetch it by itself. */
static int refresh_by_listing(FetchArgs *a, GBytes **ret_value, gint64 *ret_ttl_us)
{
	ApiClient *api = a->api;
	const ResKind *kind = a->kind;
	gint64 ttl = store_kind_ttl_us(api, kind);
	g_autofree char *okey = key_object(kind, a->name);
	g_autofree char *lkey = key_list(kind);
	gint64 listed_us = 0, stored_us = 0;
	CacheState object, listing;
	CacheInfo info;
	GBytes *value;
	int rc;

	if (!kind->list_path || kind->page_limit <= 0 || ttl <= 0)
		return 1;
	object = cache_state(api->cache, okey, NULL);
	listing = cache_state(api->cache, lkey, &listed_us);
	if ((object != CACHE_EXPIRED && object != CACHE_ABSENT) ||
	    (listing != CACHE_EXPIRED && listing != CACHE_INVALIDATED) ||
	    cache_now(api->cache) - listed_us > 2 * ttl)
		return 1;
	rc = list_with(api, kind, store_cache_options(api), FALSE, NULL, &info, NULL);
	if (rc < 0)
		return rc;
	if (info.stale)
		return info.refresh_error < 0 ? info.refresh_error : -EIO;
	value = cache_lookup(api->cache, okey, &stored_us);
	if (!value)
		return listing_says_absent(api, kind, a->name) ? -ENOENT : 1;
	*ret_value = value;
	*ret_ttl_us = stored_us + ttl - cache_now(api->cache);
	return 0;
}

static int fetch_object(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	FetchArgs *a = data;
	gint64 start = g_get_monotonic_time();
	int rc = 1;

	if (api_fetchable_alone(a->kind))
		rc = refresh_by_listing(a, ret_value, ret_ttl_us);
	if (rc == 1)
		rc = get_object(a, ret_value, ret_ttl_us);

	store_fetch_done(a->api, rc, start);
	return rc;
}

static int get_with(ApiClient *api, const ResKind *kind, const char *name,
		    const CacheGetOptions *o, GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_object(kind, name);
	g_autoptr(GBytes) blob = NULL;
	FetchArgs args = { api, kind, name };
	CacheInfo info;
	int rc = cache_get(api->cache, key, fetch_object, &args, o, &blob, &info);

	api_doubt_settle(api, kind, name, rc, &info);
	if (rc < 0)
		return rc;
	if (ret_fresh)
		*ret_fresh = freshness(api, render_version_ns(blob), &info);
	if (ret_blob)
		*ret_blob = g_steal_pointer(&blob);
	return 0;
}

int reader_list(ApiClient *api, const ResKind *kind, const CacheGetOptions *o,
		GPtrArray **ret_names, CacheInfo *ret_info, ApiFreshness *ret_fresh)
{
	return list_with(api, kind, o ? *o : store_cache_options(api), TRUE, ret_names, ret_info,
			 ret_fresh);
}

int reader_get(ApiClient *api, const ResKind *kind, const char *name, const CacheGetOptions *o,
	       GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	CacheGetOptions usual;

	if (!o) {
		usual = store_cache_options(api);
		o = &usual;
	}
	return get_with(api, kind, name, o, ret_blob, ret_fresh);
}

int reader_object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	gboolean array = FALSE;
	int rc = reader_get(api, kind, name, NULL, &blob, NULL);

	if (rc < 0)
		return rc;
	ids = render_field_strings(blob, kind->id_field, &array);
	if (!ids || array || ids->len != 1)
		return -EIO;
	*ret_id = g_strdup(ids->pdata[0]);
	return 0;
}
