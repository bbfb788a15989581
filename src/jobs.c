/* jobs.c — follows the asynchronous jobs that actions start.
 *
 * Owns: one thread (started by the first action, so never before the daemon forks) that
 * polls GET /v2/{project_id}/workspace-jobs/{job_id} for each watched job, every 0.5 s
 * doubling to 5 s, until the job ends (SUCCESS or FAILED), disappears, or an hour passes;
 * then it invalidates the object the job changes. That is how `cat status` shows SHUTOFF
 * right after a stop job ends, without waiting for the TTL.
 *
 * Locking: `lock` guards `jobs` and `stop`; it is never held across a request.
 */
#include "src/api-private.h"

#include <errno.h>

#define FIRST_POLL_US (500 * 1000)
#define MAX_POLL_US (5 * G_USEC_PER_SEC)
#define GIVE_UP_US (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define JOB_PATH "/v2/{project_id}/workspace-jobs/{id}"

typedef struct {
	char *id;
	const ResKind *kind;
	char *name;
	gint64 next_us;
	gint64 interval_us;
	gint64 deadline_us;
} Job;

struct JobWatcher {
	ApiClient *api;
	GThread *thread;
	GMutex lock;
	GCond cond;
	GList *jobs;		/* Job*; guarded by lock */
	gboolean stop;		/* guarded by lock */
};

static void job_free(Job *job)
{
	g_free(job->id);
	g_free(job->name);
	g_free(job);
}

/* TRUE when the job is over (or can no longer be followed). */
static gboolean poll_job(ApiClient *api, Job *job)
{
	g_autoptr(GBytes) body = NULL;
	g_autoptr(cJSON) root = NULL;
	const char *status;
	int rc = wks_call(api->client, "GET", JOB_PATH, job->id, NULL, 0, NULL, &body, NULL);

	if (rc == -ENOENT || rc == -EACCES || rc == -EINVAL)
		return TRUE;
	if (rc < 0)
		return FALSE;	/* the network may come back */
	root = json_parse_bytes(body);
	status = cJSON_GetStringValue(cJSON_GetObjectItem(root, "status"));
	return g_strcmp0(status, "SUCCESS") == 0 || g_strcmp0(status, "FAILED") == 0;
}

static gpointer watcher_thread(gpointer data)
{
	JobWatcher *w = data;

	g_mutex_lock(&w->lock);
	while (!w->stop) {
		gint64 now = g_get_monotonic_time(), next = G_MAXINT64;
		GList *due = NULL;

		for (GList *l = w->jobs; l;) {
			Job *job = l->data;
			GList *cur = l;

			l = l->next;
			if (job->next_us <= now) {
				w->jobs = g_list_remove_link(w->jobs, cur);
				due = g_list_concat(due, cur);
			} else {
				next = MIN(next, job->next_us);
			}
		}
		if (!due) {
			if (next == G_MAXINT64)
				g_cond_wait(&w->cond, &w->lock);
			else
				g_cond_wait_until(&w->cond, &w->lock, next);
			continue;
		}
		g_mutex_unlock(&w->lock);
		for (GList *l = due; l; l = l->next) {
			Job *job = l->data;

			if (poll_job(w->api, job) || g_get_monotonic_time() > job->deadline_us) {
				g_debug("job %s ended: refreshing %s/%s", job->id, job->kind->dir,
					job->name);
				api_invalidate(w->api, job->kind, job->name);
				job_free(job);
				l->data = NULL;
			} else {
				job->interval_us = MIN(job->interval_us * 2, MAX_POLL_US);
				job->next_us = g_get_monotonic_time() + job->interval_us;
			}
		}
		g_mutex_lock(&w->lock);
		for (GList *l = due; l; l = l->next)
			if (l->data)
				w->jobs = g_list_prepend(w->jobs, l->data);
		g_list_free(due);
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

JobWatcher *jobs_new(ApiClient *api)
{
	JobWatcher *w = g_new0(JobWatcher, 1);

	w->api = api;
	g_mutex_init(&w->lock);
	g_cond_init(&w->cond);
	w->thread = g_thread_new("wksfs-jobs", watcher_thread, w);
	return w;
}

void jobs_free(JobWatcher *w)
{
	if (!w)
		return;
	g_mutex_lock(&w->lock);
	w->stop = TRUE;
	g_cond_signal(&w->cond);
	g_mutex_unlock(&w->lock);
	g_thread_join(w->thread);
	g_list_free_full(w->jobs, (GDestroyNotify)job_free);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->cond);
	g_free(w);
}

void jobs_watch(JobWatcher *w, const char *job_id, const ResKind *kind, const char *name)
{
	Job *job = g_new0(Job, 1);
	gint64 now = g_get_monotonic_time();

	job->id = g_strdup(job_id);
	job->kind = kind;
	job->name = g_strdup(name);
	job->interval_us = FIRST_POLL_US;
	job->next_us = now + FIRST_POLL_US;
	job->deadline_us = now + GIVE_UP_US;
	g_mutex_lock(&w->lock);
	w->jobs = g_list_prepend(w->jobs, job);
	g_cond_signal(&w->cond);
	g_mutex_unlock(&w->lock);
}
