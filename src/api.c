/* api.c — the facade the filesystem holds: the ApiClient, which composes the client
 * (client.c), the cache and its policy (store.c), the cached reads (reader.c), the names in
 * doubt (doubt.c), the audit and last results (audit.c), the action batcher (batch.c) and
 * the job watcher (jobs.c).
 *
 * Owns: the ApiClient's life (api_new, api_free, stopping the watcher), the listings and
 * objects of api.h over reader.c, `refresh` and `forget` for /.wksfs/ctl, the stats and the
 * start-up probe. The rest of api.h is the writes (mutate.c), the links and views
 * (links.c) and what is cached now (peek.c). Must not: be called from src/ (it is on top:
 * only fs/ and main.c call it), see FUSE (the filesystem learns of invalidations through
 * a callback), or reach the network but through client.c and keep data but in cache/.
 */
#include "src/api-private.h"

#include "src/audit.h"
#include "src/batch.h"
#include "src/changes.h"
#include "src/jobs.h"
#include "src/reader.h"
#include "src/render.h"
#include "src/store.h"
#include "src/watch.h"

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
	api->max_listing = config->max_listing > 0 ? config->max_listing
						     : API_DEFAULT_LISTING;
	api->session_window_s = config->session_window_s > 0 ? config->session_window_s : 86400;
	api->read_only = config->read_only;
	api->dry_run = config->dry_run;
	api->allow_delete = config->allow_delete;
	g_mutex_init(&api->lock);
	g_queue_init(&api->job_ids);
	api->audit = config->audit ? config->audit : audit_new();
	api->batch = batch_new(config->batch_window_ms, MAX(config->batch_max, 1));
	api->changes = config->changes ? config->changes : changes_new(1000);
	if (config->watch_s > 0)
		api->watch = watch_start(api, config->watch_s);
	return api;
}

void api_free(ApiClient *api)
{
	if (!api)
		return;
	jobs_free(api->jobs);	/* first: its thread uses the rest */
	watch_stop(api->watch);
	wks_client_free(api->client);
	cache_free(api->cache);
	g_queue_clear_full(&api->job_ids, g_free);
	audit_free(api->audit);
	batch_free(api->batch);
	changes_free(api->changes);
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
	Watcher *watch;

	g_mutex_lock(&api->lock);
	jobs = g_steal_pointer(&api->jobs);
	watch = g_steal_pointer(&api->watch);
	g_mutex_unlock(&api->lock);
	jobs_free(jobs);	/* joins its thread: no invalidation comes after this */
	watch_stop(watch);	/* likewise */
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

int api_list_fresh(ApiClient *api, const ResKind *kind, GPtrArray **ret_names,
		   ApiFreshness *ret_fresh)
{
	watch_note_read(api, kind);
	return reader_list(api, kind, NULL, ret_names, NULL, ret_fresh);
}

int api_list(ApiClient *api, const ResKind *kind, GPtrArray **ret_names, gint64 *ret_mtime)
{
	ApiFreshness fresh;
	int rc = api_list_fresh(api, kind, ret_names, &fresh);

	if (rc == 0 && ret_mtime)
		*ret_mtime = fresh.version_ns / NS_PER_S;
	return rc;
}

int api_get_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_blob,
		   ApiFreshness *ret_fresh)
{
	watch_note_read(api, kind);
	return reader_get(api, kind, name, NULL, ret_blob, ret_fresh);
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
		return reader_get(api, kind, name, &o, NULL, NULL);
	return reader_list(api, kind, &o, &names, NULL, NULL);
}

guint64 api_changes_size(ApiClient *api)
{
	return changes_size(api->changes);
}

GBytes *api_changes_read(ApiClient *api, guint64 off, gsize size)
{
	return changes_read(api->changes, off, size);
}

guint64 api_changes_count(ApiClient *api)
{
	return changes_count(api->changes);
}

guint64 api_watch_passes(ApiClient *api)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&api->lock);

	return watch_passes(api->watch);
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
