/* jobs.h — the one owner of every asynchronous job the mount follows (jobs.c). */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct JobWatcher JobWatcher;

/* The one poller of every job; follows it until it ends, then invalidates the job and the
 * objects it changes, so the new state shows without waiting for the TTL. Waiters block on
 * what it learns. jobs_free wakes them (-ECANCELED) and joins the thread. */
JobWatcher *jobs_new(ApiClient *api);
void jobs_free(JobWatcher *jobs);
/* Follows job_id (once, however often called), adding the n objects of kind it changes;
 * names NULL: the collection (the names a create adds). */
void jobs_watch(JobWatcher *jobs, const char *job_id, const ResKind *kind,
		const char *const *names, guint n);
/* Until the job ends (its status in *ret_status), deadline_us (monotonic) passes
 * (-ETIMEDOUT), cancelled() says so (-EINTR), the client's cancel hook refuses (its
 * -errno), the watcher stops (-ECANCELED) or a poll made during the wait fails (its -errno).
 * Never polls itself. */
int jobs_wait(JobWatcher *jobs, const char *job_id, gint64 deadline_us,
	      gboolean (*cancelled)(void), char **ret_status);

/* Records a job this mount started, for /jobs, and follows it until it ends, then
 * invalidates the n objects of kind it changes (names NULL: kind's whole collection). */
void api_job_started(ApiClient *api, const char *job_id, const ResKind *kind,
		     const char *const *names, guint n);
/* The job (started) also changes objects of kind it does not name: the collection and its
 * objects are invalidated too when it ends. */
void api_job_changes(ApiClient *api, const char *job_id, const ResKind *kind);
