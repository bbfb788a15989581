/* api.c — the Workspace as the filesystem needs it: listings, objects, writes, actions.
 *
 * Owns: the cache keys and the caching policy — a listing stores every object in it, and
 * they expire with it; reads go through the cache's single flight with per-kind TTLs,
 * negative entries and stale-on-error; a mutation marks exactly the object stale (only a
 * successful re-fetch replaces it, only a 404 removes it, only `forget` drops it) with what
 * is derived from it, and puts its name in doubt rather than its collection's listing (see
 * doubt.c), and its job is followed so the new state shows when the job ends. An object
 * read in bulk is refreshed in bulk: see refresh_by_listing(). While the API is known to
 * be down (the outage window below), reads that have stale data serve it without asking,
 * so one `ls -l` waits for a dead network once, not once per object. It composes the audit
 * and last results (audit.c), the action batcher (batch.c) and the job watcher (jobs.c). It
 * never sees FUSE (the filesystem learns of invalidations through a callback); it reaches
 * the network only through client.c and keeps data only in cache/.
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
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "src/audit.h"
#include "src/batch.h"
#include "src/input.h"
#include "src/keys.h"
#include "src/render.h"

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

gint64 api_kind_ttl_us(ApiClient *api, const ResKind *kind)
{
	int i = res_kind_index(kind);

	return i >= 0 && i < API_MAX_KINDS ? api->ttl_us[i] : 0;
}

/* How fresh a cached answer is, for ApiFreshness. An invalidated value expires at
 * G_MININT64: compared, never subtracted from. */
static ApiFreshness freshness(ApiClient *api, gint64 version_ns, const CacheInfo *info)
{
	gint64 now = cache_now(api->cache);
	gint64 left = !info->stale && info->expires_us > now ? info->expires_us - now : 0;

	return (ApiFreshness){ version_ns, left, info->stale };
}

/* A failure is remembered for a second: the kernel revalidates a dentry whose lookup
 * failed with a second lookup at once, and one `cat` is lookup, lookup, open, fstat: each
 * would wait for the network again. */
#define ERROR_TTL_US G_USEC_PER_SEC

/* The outage window: after a fetch failed for want of the API (the client went offline: a
 * transport failure, a timeout, a 5xx, throttling), reads that have stale data serve it at
 * once for as long as the failed fetch took — a stalled API cost a whole timeout, so asking
 * again costs at most as long as serving stale saved; a quick 503 is asked again soon —
 * at least OUTAGE_MIN_US, at most OUTAGE_MAX_US. Recovery: the window ends early as soon
 * as any request succeeds (the client is online again: a read of data not cached, a write,
 * the job poller), and the first read after the window asks the API again. */
#define OUTAGE_MIN_US G_USEC_PER_SEC
#define OUTAGE_MAX_US (30 * G_USEC_PER_SEC)

void api_fetch_done(ApiClient *api, int rc, gint64 started_us)
{
	gint64 now = g_get_monotonic_time();

	if (rc >= 0 || rc == -ENOENT || rc == -EINTR || rc == -ECANCELED ||
	    wks_client_online(api->client))
		return;
	g_mutex_lock(&api->lock);
	api->outage_error = rc;
	api->outage_until_us = now + CLAMP(now - started_us, OUTAGE_MIN_US, OUTAGE_MAX_US);
	g_mutex_unlock(&api->lock);
}

/* The outage's -errno while its window is open and nothing has succeeded since, else 0. */
static int outage_error_now(ApiClient *api)
{
	gint64 now = g_get_monotonic_time();
	int rc = 0;

	if (wks_client_online(api->client))
		return 0;
	g_mutex_lock(&api->lock);
	if (now < api->outage_until_us)
		rc = api->outage_error;
	g_mutex_unlock(&api->lock);
	return rc;
}

CacheGetOptions api_cache_options(ApiClient *api)
{
	return (CacheGetOptions){ api->negative_ttl_us, api->stale_on_error, ERROR_TTL_US,
				  outage_error_now(api) };
}

/* `refresh`: ask the API now, whatever is remembered, and report its failure. */
static CacheGetOptions refresh_options(ApiClient *api)
{
	return (CacheGetOptions){ api->negative_ttl_us, FALSE, 0, 0 };
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	const char *name;
} FetchArgs;

/* Gives memory freed in bulk back to the system. Parsed pages and evicted objects are freed
 * on many threads' glibc arenas, which keep it otherwise: memory would follow the size of
 * the tenant instead of max_cache_mb. */
static void release_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

static int fetch_listing(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	FetchArgs *a = data;
	g_autofree char *key = key_list(a->kind);
	g_autoptr(GBytes) names = NULL;
	g_autoptr(GBytes) previous = NULL;
	gint64 start = g_get_monotonic_time();
	gint64 started;
	int rc;

	*ret_ttl_us = api_kind_ttl_us(a->api, a->kind);
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
		api_fetch_done(a->api, rc, start);
		release_memory();
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
	return list_with(api, kind, api_cache_options(api), TRUE, ret_names, ret_info, NULL);
}

int api_list_fresh(ApiClient *api, const ResKind *kind, GPtrArray **ret_names,
		   ApiFreshness *ret_fresh)
{
	return list_with(api, kind, api_cache_options(api), TRUE, ret_names, NULL, ret_fresh);
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

	*ret_ttl_us = api_kind_ttl_us(a->api, kind);
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

		rc = list_with(a->api, kind, api_cache_options(a->api), FALSE, NULL, &info, NULL);
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
	api_object_stored(a->api, kind, a->name, previous, *ret_value);
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
	gint64 ttl = api_kind_ttl_us(api, kind);
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
	rc = list_with(api, kind, api_cache_options(api), FALSE, NULL, &info, NULL);
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

	api_fetch_done(a->api, rc, start);
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
	CacheGetOptions o = api_cache_options(api);

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

/* Marks stale (drop FALSE) or drops (TRUE) an object or a collection, what is derived from
 * it, and tells the filesystem. */
static void invalidate(ApiClient *api, const ResKind *kind, const char *name, gboolean drop)
{
	void (*one)(Cache *, const char *) = drop ? cache_forget : cache_invalidate;
	void (*prefix)(Cache *, const char *) = drop ? cache_forget_prefix
						      : cache_invalidate_prefix;
	g_autofree char *lkey = key_list(kind);
	g_autofree char *derived = key_indexes(kind);
	gboolean names_kept = FALSE;

	if (name) {
		g_autofree char *okey = key_object(kind, name);
		g_autofree char *subs = key_subs(kind, name);

		one(api->cache, okey);
		prefix(api->cache, subs);	/* its sub-collections */
		/* After the object: a read that settles the doubt must see it stale. */
		names_kept = !drop && api_doubt_add(api, kind, name);
	} else {
		api_doubts_forget(api, kind);	/* the listing is read again anyway */
	}
	if (!name && drop) {
		g_autofree char *objects = key_objects(kind);
		g_autofree char *subs = key_subs(kind, NULL);

		prefix(api->cache, objects);
		prefix(api->cache, subs);
	}
	if (!names_kept)
		one(api->cache, lkey);
	prefix(api->cache, derived);	/* indexes derived from the listing (links.c) */
	if (api->on_invalidate)
		api->on_invalidate(kind, name, api->on_invalidate_data);
}

void api_invalidate(ApiClient *api, const ResKind *kind, const char *name)
{
	invalidate(api, kind, name, FALSE);
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

	CacheGetOptions o = refresh_options(api);

	if (!kind) {
		for (int i = 0; res_kinds[i] && rc == 0; i++)
			rc = api_refresh(api, res_kinds[i], NULL);
		return rc;
	}
	/* Marked stale, then fetched now: a failure is the writer's answer, and the last good
	 * data stays for the readers. */
	api_invalidate(api, kind, name);
	if (name)
		return get_with(api, kind, name, &o, NULL, NULL);
	return list_with(api, kind, o, TRUE, &names, NULL, NULL);
}

void api_forget(ApiClient *api, const ResKind *kind, const char *name)
{
	if (!kind) {
		cache_forget_prefix(api->cache, "");
		for (int i = 0; res_kinds[i]; i++)
			api_doubts_forget(api, res_kinds[i]);
		for (int i = 0; res_kinds[i]; i++)
			if (api->on_invalidate)
				api->on_invalidate(res_kinds[i], NULL, api->on_invalidate_data);
		release_memory();
		return;
	}
	invalidate(api, kind, name, TRUE);
	if (!name)
		release_memory();
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
