/* api-private.h — what api.c shares with the rest of the API layer (listing.c, jobs.c,
 * links.c, mutate.c, batch.c, doubt.c); nothing outside src/ includes it but the unit test
 * of the listing's cached value (tests/test-listing.c). */
#pragma once

#include "cache/cache.h"
#include "src/api.h"
#include "src/json.h"

typedef struct JobWatcher JobWatcher;
typedef struct Audit Audit;
typedef struct Batcher Batcher;

struct ApiClient {
	WksClient *client;
	Cache *cache;
	gint64 ttl_us[API_MAX_KINDS];	/* per kind, index as in res_kinds */
	gint64 negative_ttl_us;
	gboolean stale_on_error;
	int max_conns;
	gint64 session_window_s;
	gboolean read_only;
	gboolean dry_run;
	gboolean allow_delete;
	ApiInvalidateFunc on_invalidate;
	gpointer on_invalidate_data;

	GMutex lock;
	int outage_error;	/* the last fetch that failed for want of the API; lock */
	gint64 outage_until_us;	/* monotonic: its window (store.c); lock */
	JobWatcher *jobs;	/* started by the first action or wait; guarded by lock */
	GQueue job_ids;		/* char*, the jobs this mount started, oldest first; lock */
	Audit *audit;		/* /.wksfs/audit and the last results (audit.c) */
	Batcher *batch;		/* action batching (batch.c) */
	GHashTable *in_doubt[API_MAX_KINDS]; /* per kind: names changed since its listing
				 * was fetched (see store_invalidate); NULL = none; lock */
};

/* doubt.c: whether one object can be fetched by itself (by id or by the list's name
 * filter); if not, its collection's listing is the only way to it. */
gboolean api_fetchable_alone(const ResKind *kind);
/* An object changed: its name is put in doubt. FALSE when its collection's listing must be
 * marked stale instead (the kind cannot fetch one object, or too many names are in doubt). */
gboolean api_doubt_add(ApiClient *api, const ResKind *kind, const char *name);
/* The listing is read again anyway: no name of kind is in doubt. */
void api_doubts_forget(ApiClient *api, const ResKind *kind);
/* A read of the object ended with rc (and info): settles its name if the answer says. */
void api_doubt_settle(ApiClient *api, const ResKind *kind, const char *name, int rc,
		      const CacheInfo *info);
/* The names of kind in doubt, copied (char*, owned by the array; empty: none). Reading
 * each object settles it (reader.c does, before it serves the listing). */
GPtrArray *api_doubts_names(ApiClient *api, const ResKind *kind);

/* Records a job this mount started, for /jobs, and follows it until it ends, then
 * invalidates the n objects of kind it changes (jobs.c). */
void api_job_started(ApiClient *api, const char *job_id, const ResKind *kind,
		     const char *const *names, guint n);
/* listing.c: every page of a collection, started at started_us (cache_now's clock). Stores
 * each object in the cache, as fetched at started_us, and returns the names, NUL-separated,
 * in API order. */
int listing_fetch(ApiClient *api, const ResKind *kind, gint64 started_us, GBytes **ret_packed);
/* A listing's cached value: the version of its names (wall ns, as a blob's version), then
 * the names, NUL-separated, in API order. listing_versioned() makes it from the names: the
 * version is previous's (the value it replaces) while the names are the same in the same
 * order, else now and later than previous's. */
GBytes *listing_versioned(GBytes *names, GBytes *previous);
/* The names of a listing's value (*ret_len bytes) and, when ret_version_ns is not NULL,
 * their version. */
const char *listing_names(GBytes *value, gsize *ret_len, gint64 *ret_version_ns);
/* The query of one page: offset/limit (buffers hold the numbers) and, for kinds that need
 * it, the session window. Returns the number of pairs (at most 4). */
gsize listing_page_query(ApiClient *api, const ResKind *kind, gint64 offset,
			 char bufs[4][40], SignerPair ret_query[4]);
/* A sub-collection's names (LINK_SUBLIST), every page. */
int listing_fetch_sub(ApiClient *api, const char *path, const char *id, const char *array,
		      const char *total, const char *name_field, int limit,
		      GPtrArray **ret_names);

/* jobs.c: the one poller of every job; follows it until it ends, then invalidates the job
 * and the objects it changes, so the new state shows without waiting for the TTL. Waiters
 * block on what it learns. jobs_free wakes them (-ECANCELED) and joins the thread. */
JobWatcher *jobs_new(ApiClient *api);
void jobs_free(JobWatcher *jobs);
/* Follows job_id (once, however often called), adding the n objects of kind it changes. */
void jobs_watch(JobWatcher *jobs, const char *job_id, const ResKind *kind,
		const char *const *names, guint n);
/* Until the job ends (its status in *ret_status), deadline_us (monotonic) passes
 * (-ETIMEDOUT), cancelled() says so (-EINTR), the client's cancel hook refuses (its
 * -errno), the watcher stops (-ECANCELED) or a poll made during the wait fails (its -errno).
 * Never polls itself. */
int jobs_wait(JobWatcher *jobs, const char *job_id, gint64 deadline_us,
	      gboolean (*cancelled)(void), char **ret_status);
