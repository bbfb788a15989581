/* api-private.h — the ApiClient, the one struct the modules of the API layer share (api.c
 * makes and frees it); nothing outside src/ includes it. What the modules offer one another
 * is in their own headers: keys.h, store.h, doubt.h, listing.h, reader.h, jobs.h, batch.h,
 * audit.h. */
#pragma once

#include "cache/cache.h"
#include "src/api.h"

typedef struct JobWatcher JobWatcher;
typedef struct Audit Audit;
typedef struct Batcher Batcher;
typedef struct Changes Changes;
typedef struct Watcher Watcher;

struct ApiClient {
	WksClient *client;
	Cache *cache;
	/* The caching policy (store.c). */
	gint64 ttl_us[API_MAX_KINDS];	/* per kind, index as in res_kinds */
	gint64 negative_ttl_us;
	gboolean stale_on_error;
	/* Paging (listing.c). */
	int max_conns;
	int max_listing;	/* objects in one listing at most */
	gint64 session_window_s;
	/* The mutations' switches (mutate.c). */
	gboolean read_only;
	gboolean dry_run;
	gboolean allow_delete;
	gint offline;		/* atomic: started from a snapshot, the API not yet answered:
				 * mutations fail with EROFS (snapshot.c) */
	gint64 snapshot_written_s; /* atomic: wall time of the snapshot loaded or last
				 * written, 0: none (/.wksfs/snapshot_age) */
	/* The filesystem's (api_set_invalidate_func); store.c calls it. */
	ApiInvalidateFunc on_invalidate;
	gpointer on_invalidate_data;

	GMutex lock;
	int outage_error;	/* the last fetch that failed for want of the API; lock */
	gint64 outage_until_us;	/* monotonic: its window (store.c); lock */
	JobWatcher *jobs;	/* started by the first action or wait; guarded by lock */
	GQueue job_ids;		/* char*, the jobs this mount started, oldest first; lock */
	Audit *audit;		/* /.wksfs/audit and the last results (audit.c) */
	Batcher *batch;		/* action batching (batch.c) */
	Changes *changes;	/* /.wksfs/changes (changes.c) */
	Watcher *watch;		/* -o watch (watch.c), or NULL; guarded by lock */
	gint64 read_us[API_MAX_KINDS];	/* atomic: when a reader last read each kind */
	GHashTable *in_doubt[API_MAX_KINDS]; /* per kind: names changed since its listing
				 * was fetched (see store_invalidate); NULL = none; lock */
};
