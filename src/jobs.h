/* jobs.h — the one owner of every asynchronous job, and of every object in transition, the
 * mount follows (jobs.c). */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct JobWatcher JobWatcher;

/* The one poller of every job; follows it until it ends, then invalidates the job and the
 * objects it changes, so the new state shows without waiting for the TTL. Waiters block on
 * what it learns. jobs_free wakes them (-ECANCELED) and joins the thread. */
JobWatcher *jobs_new(ApiClient *api);
void jobs_free(JobWatcher *jobs);
/* How many jobs it has followed (0 for NULL: none started yet). Lock-free. */
guint64 jobs_followed(JobWatcher *jobs);
/* Follows job_id (once, however often called), polled at path ({id} = the job id; on App
 * Streaming's host when appstream), adding the n objects of kind it changes; names NULL:
 * the collection (the names a create adds). */
void jobs_watch(JobWatcher *jobs, const char *job_id, const char *path, gboolean appstream,
		const ResKind *kind, const char *const *names, guint n);
/* Follows one object of kind (id: what its detail path takes) through the transition an
 * action just started, until kind->action->busy_field says it is over; then invalidates
 * it. Again for an object followed already: from now on, the earlier answers forgotten. */
void jobs_follow(JobWatcher *jobs, const ResKind *kind, const char *name, const char *id);
/* Until the job ends (its status in *ret_status), deadline_us (monotonic) passes
 * (-ETIMEDOUT), cancelled() says so (-EINTR), the client's cancel hook refuses (its
 * -errno), the watcher stops (-ECANCELED) or a poll made during the wait fails (its -errno).
 * Never polls itself. */
int jobs_wait(JobWatcher *jobs, const char *job_id, gint64 deadline_us,
	      gboolean (*cancelled)(void), char **ret_status);

/* An action on the n objects of kind (their names and ids) succeeded, its answer naming
 * job_id or none (NULL). A job at kind->action->job_path is followed there; any other is a
 * Workspace job, recorded for /jobs too; the job's end invalidates the objects. No job and
 * a busy field: each object is followed itself (jobs_follow). */
void api_action_answered(ApiClient *api, const ResKind *kind, const char *job_id,
			 const char *const *names, const char *const *ids, guint n);
/* A create of kind answered with a Workspace job: recorded for /jobs, followed, and its end
 * invalidates kind's collection (the names it adds) and, when also is given, that kind's
 * collection with every object in it (the objects the create may change). */
void api_create_answered(ApiClient *api, const char *job_id, const ResKind *kind,
			 const ResKind *also);
