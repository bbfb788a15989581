/* api.c — the Workspace as the filesystem needs it: listings, objects, writes, actions.
 *
 * Owns: the reads — a listing stores every object in it, and they expire with it; reads go
 * through the cache's single flight with the policy of store.c (per-kind TTLs, negative
 * entries, stale-on-error, the outage window). An object read in bulk is refreshed in bulk:
 * see refresh_by_listing(). What a mutation marks stale, and the filesystem's callback, are
 * store.c's; the names in doubt are doubt.c's. It composes the audit and last results
 * (audit.c), the action batcher (batch.c) and the job watcher (jobs.c). It never sees FUSE
 * (the filesystem learns of invalidations through a callback); it reaches the network only
 * through client.c and keeps data only in cache/.
 *
 * Cache keys: see src/keys.h.
 *
 * Version times: st_mtime is when wksfs first saw the data as it is, not when it last
 * fetched it: a re-fetch that brings the same bytes keeps the version of the value it
 * replaces (cache_peek), so the kernel may keep its page cache while nothing changed.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/audit.h"
#include "src/batch.h"
#include "src/input.h"
#include "src/keys.h"
#include "src/render.h"
#include "src/store.h"

#define NS_PER_S G_GINT64_CONSTANT(1000000000)

const char *const api_stat_names[] = {
	"api_calls", "api_errors", "cache_hits", "cache_misses", "coalesced", "stale",
	"throttled", "retries", "p50_ms", "p99_ms", "cache_entries", "cache_bytes", NULL,
};

ApiClient *api_new(WksClient *client, const ApiConfig *config)
{
	ApiClient *api = g_new0(ApiClient, 1);
	CacheConfig cc = { .max_bytes = config->max_cache_bytes };

	api->client = client;
	api->cache = cache_new(&cc);
	for (int i = 0, known = TRUE; i < API_MAX_KINDS; i++) {
		gint64 t = config->ttl_s;

		known = known && res_kinds[i];
		/* A kind's own default (jobs: 1 s), shorter than the mount's. */
		if (known && res_kinds[i]->ttl_s)
			t = MIN(t, res_kinds[i]->ttl_s);
		if (config->kind_ttl_s[i] >= 0)
			t = config->kind_ttl_s[i];
		api->ttl_us[i] = t * G_USEC_PER_SEC;
	}
	api->negative_ttl_us = config->negative_ttl_s * G_USEC_PER_SEC;
	api->stale_on_error = config->stale_on_error;
	api->max_conns = MAX(config->max_conns, 1);
	api->session_window_s = config->session_window_s > 0 ? config->session_window_s : 86400;
	api->read_only = config->read_only;
	api->dry_run = config->dry_run;
	api->allow_delete = config->allow_delete;
	g_mutex_init(&api->lock);
	g_queue_init(&api->job_ids);
	api->audit = audit_new();
	api->batch = batch_new(config->batch_window_ms, MAX(config->batch_max, 1));
	return api;
}

void api_free(ApiClient *api)
{
	if (!api)
		return;
	jobs_free(api->jobs);	/* first: its thread uses the rest */
	wks_client_free(api->client);
	cache_free(api->cache);
	g_queue_clear_full(&api->job_ids, g_free);
	audit_free(api->audit);
	batch_free(api->batch);
	for (int i = 0; i < API_MAX_KINDS; i++)
		g_clear_pointer(&api->in_doubt[i], g_hash_table_unref);
	g_mutex_clear(&api->lock);
	g_free(api);
}

void api_set_invalidate_func(ApiClient *api, ApiInvalidateFunc func, gpointer data)
{
	api->on_invalidate = func;
	api->on_invalidate_data = data;
}

void api_set_cancel_func(ApiClient *api, HttpCancelFunc func, gpointer data)
{
	wks_client_set_cancel_func(api->client, func, data);
}

gboolean api_busy(ApiClient *api)
{
	return wks_client_mutations_in_flight(api->client) > 0;
}

void api_stop_background(ApiClient *api)
{
	JobWatcher *jobs;

	g_mutex_lock(&api->lock);
	jobs = g_steal_pointer(&api->jobs);
	g_mutex_unlock(&api->lock);
	jobs_free(jobs);	/* joins its thread: no invalidation comes after this */
}

const char *api_endpoint(ApiClient *api)
{
	return wks_client_endpoint(api->client);
}

const char *api_appstream_endpoint(ApiClient *api)
{
	return wks_client_appstream_endpoint(api->client);
}

const char *api_project_id(ApiClient *api)
{
	return wks_client_project_id(api->client);
}

char *api_errors_text(ApiClient *api)
{
	return wks_client_errors_text(api->client);
}

gboolean api_online(ApiClient *api)
{
	return wks_client_online(api->client);
}

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
		api_doubts_settle(api, kind);
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

int api_list_info(ApiClient *api, const ResKind *kind, GPtrArray **ret_names,
		  CacheInfo *ret_info)
{
	return list_with(api, kind, store_cache_options(api), TRUE, ret_names, ret_info, NULL);
}

int api_list_fresh(ApiClient *api, const ResKind *kind, GPtrArray **ret_names,
		   ApiFreshness *ret_fresh)
{
	return list_with(api, kind, store_cache_options(api), TRUE, ret_names, NULL, ret_fresh);
}

int api_list(ApiClient *api, const ResKind *kind, GPtrArray **ret_names, gint64 *ret_mtime)
{
	ApiFreshness fresh;
	int rc = api_list_fresh(api, kind, ret_names, &fresh);

	if (rc == 0 && ret_mtime)
		*ret_mtime = fresh.version_ns / NS_PER_S;
	return rc;
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

/* One object from the API: by its detail path, or by the list's name filter. */
static int get_object(FetchArgs *a, GBytes **ret_value, gint64 *ret_ttl_us)
{
	const ResKind *kind = a->kind;
	g_autofree char *key = key_object(kind, a->name);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GBytes) previous = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *obj = NULL;
	int rc;

	*ret_ttl_us = store_kind_ttl_us(a->api, kind);
	/* A fresh listing is authoritative: a name it lacks does not exist (yet). */
	if (listing_says_absent(a->api, kind, a->name))
		return -ENOENT;
	if (kind->detail_path && g_str_equal(kind->id_field, kind->name_field)) {
		rc = wks_call_at(a->api->client, kind->service == SERVICE_APPSTREAM, "GET",
				 kind->detail_path, a->name, NULL, 0, NULL, &body, NULL);
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

int api_get_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_blob,
		   ApiFreshness *ret_fresh)
{
	CacheGetOptions o = store_cache_options(api);

	return get_with(api, kind, name, &o, ret_blob, ret_fresh);
}

int api_get(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_json,
	    gint64 *ret_mtime)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness fresh;
	int rc = api_get_object(api, kind, name, &blob, &fresh);

	if (rc < 0)
		return rc;
	if (ret_json)
		*ret_json = render_json(blob);
	if (ret_mtime)
		*ret_mtime = fresh.version_ns / NS_PER_S;
	return 0;
}

int api_object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	gboolean array = FALSE;
	int rc = api_get_object(api, kind, name, &blob, NULL);

	if (rc < 0)
		return rc;
	ids = render_field_strings(blob, kind->id_field, &array);
	if (!ids || array || ids->len != 1)
		return -EIO;
	*ret_id = g_strdup(ids->pdata[0]);
	return 0;
}

int api_refresh(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autoptr(GPtrArray) names = NULL;
	int rc = 0;

	CacheGetOptions o = store_refresh_options(api);

	if (!kind) {
		for (int i = 0; res_kinds[i] && rc == 0; i++)
			rc = api_refresh(api, res_kinds[i], NULL);
		return rc;
	}
	/* Marked stale, then fetched now: a failure is the writer's answer, and the last good
	 * data stays for the readers. */
	store_invalidate(api, kind, name);
	if (name)
		return get_with(api, kind, name, &o, NULL, NULL);
	return list_with(api, kind, o, TRUE, &names, NULL, NULL);
}

void api_forget(ApiClient *api, const ResKind *kind, const char *name)
{
	store_forget(api, kind, name);
}

gboolean api_stat(ApiClient *api, const char *name, gint64 *ret_value)
{
	CacheStats cs;
	WksClientStats ws;

	cache_get_stats(api->cache, &cs);
	wks_client_get_stats(api->client, &ws);
	if (g_str_equal(name, "api_calls"))
		*ret_value = (gint64)ws.calls;
	else if (g_str_equal(name, "api_errors"))
		*ret_value = (gint64)ws.errors;
	else if (g_str_equal(name, "cache_hits"))
		*ret_value = (gint64)cs.hits;
	else if (g_str_equal(name, "cache_misses"))
		*ret_value = (gint64)cs.misses;
	else if (g_str_equal(name, "coalesced"))
		*ret_value = (gint64)cs.coalesced;
	else if (g_str_equal(name, "stale"))
		*ret_value = (gint64)cs.stale;
	else if (g_str_equal(name, "throttled"))
		*ret_value = (gint64)ws.throttled;
	else if (g_str_equal(name, "retries"))
		*ret_value = (gint64)ws.retries;
	else if (g_str_equal(name, "p50_ms"))
		*ret_value = wks_client_latency_ms(api->client, 50);
	else if (g_str_equal(name, "p99_ms"))
		*ret_value = wks_client_latency_ms(api->client, 99);
	else if (g_str_equal(name, "cache_entries"))
		*ret_value = (gint64)cs.entries;
	else if (g_str_equal(name, "cache_bytes"))
		*ret_value = (gint64)cs.bytes;
	else
		return FALSE;
	return TRUE;
}

int api_probe(ApiClient *api, char **ret_reason)
{
	const ResKind *kind = res_kind_lookup("desktops");
	SignerPair q[2] = { { "offset", "0" }, { "limit", "1" } };
	WksError err = { 0 };
	int rc = wks_call(api->client, "GET", kind->list_path, NULL, q, 2, NULL, NULL, &err);

	if (rc == 0) {
		wks_error_clear(&err);	/* a success still carries its request id */
		return 0;
	}
	*ret_reason = wks_error_describe(&err, api_endpoint(api));
	if (err.status == 401 || err.status == 403) {
		char *plain = *ret_reason;

		*ret_reason = g_strdup_printf("%s: it refused the credentials; check the AK/SK "
					      "and the project id", plain);
		g_free(plain);
	}
	wks_error_clear(&err);
	return rc;
}
