/* exposition.c — /.wksfs/metrics' API part: the request counters (metrics.c), the client's
 * errors, retries and throttling, the cache, online, the mutations by outcome and the jobs
 * followed, in the Prometheus text exposition format (0.0.4). The values are the ones
 * /.wksfs/stats/ shows, read from the same counters.
 * Must not: count anything itself; it only reads the owners' counters.
 */
#include "src/api.h"

#include "src/api-private.h"
#include "src/audit.h"
#include "src/jobs.h"
#include "src/metrics.h"

static void one(GString *out, const char *name, const char *type, const char *help,
		double value)
{
	metrics_family(out, name, type, help);
	metrics_sample(out, name, NULL, value);
}

void api_metrics_write(ApiClient *api, GString *out)
{
	WksClientStats ws;
	CacheStats cs;
	AuditCounts ac;
	guint64 followed;

	wks_client_get_stats(api->client, &ws);
	cache_get_stats(api->cache, &cs);
	audit_get_counts(api->audit, &ac);
	g_mutex_lock(&api->lock);
	followed = jobs_followed(api->jobs);	/* the lock keeps the watcher alive */
	g_mutex_unlock(&api->lock);

	metrics_write(wks_client_metrics(api->client), out);
	one(out, "wksfs_api_errors_total", "counter",
	    "API calls that failed in the end, after their retries (stats/api_errors).",
	    (double)ws.errors);
	one(out, "wksfs_api_retries_total", "counter",
	    "Requests sent again after a failure (idempotent requests only; stats/retries).",
	    (double)ws.retries);
	one(out, "wksfs_api_throttled_total", "counter",
	    "Throttling answers: HTTP 429 or APIG.0308 (stats/throttled).",
	    (double)ws.throttled);
	one(out, "wksfs_online", "gauge",
	    "1 while the API answers, 0 after a request failed for want of it (online).",
	    api_online(api) ? 1 : 0);
	one(out, "wksfs_cache_hits_total", "counter",
	    "Reads answered from the cache (stats/cache_hits).", (double)cs.hits);
	one(out, "wksfs_cache_misses_total", "counter",
	    "Reads the cache could not answer fresh (stats/cache_misses).", (double)cs.misses);
	one(out, "wksfs_cache_coalesced_total", "counter",
	    "Misses that shared another reader's request (stats/coalesced).",
	    (double)cs.coalesced);
	one(out, "wksfs_cache_stale_served_total", "counter",
	    "Failed refreshes answered with the last good data (stats/stale).",
	    (double)cs.stale);
	one(out, "wksfs_cache_evictions_total", "counter",
	    "Entries dropped to keep the cache within -o max_cache_mb.", (double)cs.evictions);
	one(out, "wksfs_cache_entries", "gauge", "Entries in the cache (stats/cache_entries).",
	    (double)cs.entries);
	one(out, "wksfs_cache_bytes", "gauge",
	    "Bytes the cache holds, keys and overhead included (stats/cache_bytes).",
	    (double)cs.bytes);
	metrics_family(out, "wksfs_mutations_total", "counter",
		       "Mutations as /.wksfs/audit records them, by outcome: ok and failed were "
		       "sent, refused (another uid, -o ro) and dry_run were not.");
	metrics_sample(out, "wksfs_mutations_total",
		       (const char *const[]){ "outcome", "ok", NULL }, (double)ac.ok);
	metrics_sample(out, "wksfs_mutations_total",
		       (const char *const[]){ "outcome", "failed", NULL }, (double)ac.failed);
	metrics_sample(out, "wksfs_mutations_total",
		       (const char *const[]){ "outcome", "refused", NULL }, (double)ac.refused);
	metrics_sample(out, "wksfs_mutations_total",
		       (const char *const[]){ "outcome", "dry_run", NULL }, (double)ac.dry_run);
	one(out, "wksfs_jobs_followed_total", "counter",
	    "Asynchronous jobs followed to their end (one poller for all).", (double)followed);
}
