/* jobs.c — the one owner of every asynchronous job, and of every object in transition, the
 * mount follows.
 *
 * Owns: the JobWatcher, one thread (started on first use, so never before the daemon forks)
 * that polls each thing it follows at most once per interval — 0.5 s doubling to 5 s, at
 * most 1 s while someone waits — until it is over, disappears, or an hour passes:
 *   a Workspace job    GET /v2/{project_id}/workspace-jobs/{job_id}, until SUCCESS or FAILED;
 *   an App Streaming   GET /v2/{project_id}/job/{job_id} (ShowJobDetail) on App Streaming's
 *     job              host, until SUCCESS or FAILED (the kind's ResAction.job_path);
 *   an object          an action answered without a job id (App Streaming's batch-start,
 *                      -stop, -reboot): GET its detail path by id (ShowServer) until its
 *                      busy field (task_status) is idle — once it was seen busy, or, never
 *                      seen so (the transition was over before the first poll, or had not
 *                      begun), after FOLLOW_GRACE_US of idle answers.
 * Then it invalidates the job and every object the job changes (a batched action's job
 * changes many; a create's, the collection it adds to), or the object, and only then wakes
 * the waiters, so `cat wait; cat status` shows the new state without waiting for the TTL.
 * `cat jobs/ID/wait` (api_job_wait) never polls: it blocks on the watcher's knowledge of the
 * job (a GCond), so a job is polled as often with 50 readers as with none; a wait on a job
 * this mount did not start registers it. Also api_action_answered: what follows an action,
 * and the jobs /jobs lists (Workspace's: the jobs kind reads workspace-jobs).
 *
 * Locking: `lock` guards the job table, each Job's fields, `stop` and `waiters`; it is
 * never held across a request or an invalidation.
 */
#include "src/jobs.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/json.h"
#include "src/store.h"

#define FIRST_POLL_US (500 * 1000)
#define WAITED_POLL_US G_USEC_PER_SEC
#define MAX_POLL_US (5 * G_USEC_PER_SEC)
#define GIVE_UP_US (G_GINT64_CONSTANT(3600) * G_USEC_PER_SEC)
#define WAKE_US (100 * 1000)	/* how often a waiter looks at its cancel hooks */
#define ENDED_KEPT 1000		/* ended jobs remembered for late waiters */
#define JOB_IDS 1000		/* the jobs /jobs lists */
#define JOB_PATH "/v2/{project_id}/workspace-jobs/{id}"
/* A followed object never seen busy is over after this many seconds of idle answers. */
#define FOLLOW_GRACE_US (5 * G_USEC_PER_SEC)

typedef struct {
	int refs;		/* the table's, and one per waiter */
	char *id;		/* the key: a job id, or "<dir>/<name>" for an object */
	const char *path;	/* a job's: GET this, {id} = the job id */
	gboolean appstream;	/* ... on App Streaming's host */
	const ResKind *kind;	/* an object's kind (NULL for a job) */
	char *object_id;	/* an object's id, as its detail path takes it */
	gboolean seen_busy;	/* an object's busy field was seen busy */
	gint64 grace_us;	/* monotonic: an object never seen busy is over when idle then */
	guint arm;		/* an object: bumped by each action; only its answers count */
	guint polled_arm;	/* the arm the poll on the wire was made for */
	GPtrArray *targets;	/* "<dir>/<name>" of the objects the job changes */
	gint64 next_us;		/* monotonic: when it is due */
	gint64 interval_us;
	gint64 deadline_us;
	gboolean polling;	/* a poll is on the wire */
	gboolean ended;
	char *status;		/* SUCCESS or FAILED once ended, else NULL */
	int end_rc;		/* ended without a status: why (-ENOENT, -ETIMEDOUT, ...) */
	guint polls;		/* answers so far */
	int last_rc;		/* the last answer's outcome */
	int waiters;
} Job;

struct JobWatcher {
	ApiClient *api;
	GThread *thread;
	GMutex lock;
	GCond wake;		/* the thread: a new job, a waiter, stop */
	GCond changed;		/* the waiters: a poll answered, a job ended, stop */
	GHashTable *jobs;	/* id -> Job*, running and recently ended; lock */
	GQueue ended;		/* char* ids of ended jobs, oldest first; lock */
	gboolean stop;		/* lock */
	int waiters;		/* lock */
	gint followed;		/* atomic: jobs followed since the mount */
};

static void job_unref(Job *job)
{
	if (!job || --job->refs > 0)
		return;
	g_free(job->id);
	g_free(job->object_id);
	g_ptr_array_unref(job->targets);
	g_free(job->status);
	g_free(job);
}

/* Under w->lock. */
static Job *job_add(JobWatcher *w, const char *id, gint64 first_us)
{
	Job *job = g_hash_table_lookup(w->jobs, id);
	gint64 now = g_get_monotonic_time();

	if (job)
		return job;
	g_atomic_int_inc(&w->followed);
	job = g_new0(Job, 1);
	job->refs = 1;
	job->id = g_strdup(id);
	job->path = JOB_PATH;
	job->targets = g_ptr_array_new_with_free_func(g_free);
	job->interval_us = FIRST_POLL_US;
	job->next_us = now + first_us;
	job->deadline_us = now + GIVE_UP_US;
	g_hash_table_insert(w->jobs, job->id, job);
	g_cond_signal(&w->wake);
	return job;
}

/* Whether an object's busy field says it is in transition: a string that is neither ""
 * nor one of the action's idle values. */
static gboolean is_busy(const ResAction *action, const cJSON *obj)
{
	const char *v = cJSON_GetStringValue(cJSON_GetObjectItem(obj, action->busy_field));

	for (const char *const *idle = action->idle_values; v && idle && *idle; idle++)
		if (strcmp(v, *idle) == 0)
			return FALSE;
	return v && *v;
}

/* One GET; under no lock; job's fields read here never change after it was added. A job:
 * sets *ret_status (SUCCESS, FAILED) when it is over. An object: *ret_busy. Returns the
 * answer's -errno, or 0. */
static int poll_job(ApiClient *api, Job *job, char **ret_status, gboolean *ret_busy)
{
	const ResKind *kind = job->kind;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *obj;
	const char *status;
	int rc;

	if (kind)
		rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, "GET",
				 kind->detail_path, job->object_id, NULL, 0, NULL, &body, NULL);
	else
		rc = wks_call_at(api->client, job->appstream, "GET", job->path, job->id, NULL, 0,
				 NULL, &body, NULL);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	if (kind) {
		obj = kind->detail_wrapper ? cJSON_GetObjectItem(root, kind->detail_wrapper) : root;
		if (!cJSON_IsObject(obj))
			return -EIO;
		*ret_busy = is_busy(kind->action, obj);
		return 0;
	}
	status = cJSON_GetStringValue(cJSON_GetObjectItem(root, "status"));
	if (g_strcmp0(status, "SUCCESS") == 0 || g_strcmp0(status, "FAILED") == 0)
		*ret_status = g_strdup(status);
	return 0;
}

/* The job and what it changed are stale now; under no lock. */
static void invalidate_targets(ApiClient *api, const char *id, GPtrArray *targets)
{
	if (!strchr(id, '/'))	/* a job; an object's key is its target */
		store_invalidate(api, res_kind_lookup("jobs"), id);
	for (guint i = 0; i < targets->len; i++) {
		g_autofree char *dir = g_strdup(targets->pdata[i]);
		char *slash = strchr(dir, '/');
		const ResKind *kind;

		if (slash)
			*slash = '\0';
		kind = res_kind_lookup(dir);
		/* "<dir>": the collection (a create's new names); "<dir>/": every object of it
		 * too (no object's name is empty). */
		if (kind)	/* for /.wksfs/changes */
			store_expect(api, kind, slash && slash[1] ? slash + 1 : NULL, "job");
		if (kind && slash && !slash[1])
			store_invalidate_all(api, kind);
		else if (kind)
			store_invalidate(api, kind, slash ? slash + 1 : NULL);
	}
}

/* Polls one due job (taken out of the schedule by `polling`) and files the answer. */
static void poll_due(JobWatcher *w, Job *job)
{
	g_autoptr(GPtrArray) targets = NULL;
	char *status = NULL;
	gboolean busy = FALSE;
	int rc = poll_job(w->api, job, &status, &busy);
	/* Gone, not ours, or refused: it can no longer be followed. */
	gboolean over = status || rc == -ENOENT || rc == -EACCES || rc == -EINVAL;
	guint arm;

	g_mutex_lock(&w->lock);
	arm = job->arm;
	/* An object: only an answer to a poll made since its latest action counts. */
	if (job->kind && rc == 0 && job->polled_arm == job->arm) {
		if (busy)
			job->seen_busy = TRUE;
		else if (job->seen_busy || g_get_monotonic_time() >= job->grace_us)
			over = TRUE;
		if (over)
			status = g_strdup("SUCCESS");	/* its transition is over */
	}
	if (!over && g_get_monotonic_time() > job->deadline_us) {
		over = TRUE;
		rc = -ETIMEDOUT;
	}
	if (over) {	/* nothing is added to an ended job: its targets leave with it */
		targets = g_steal_pointer(&job->targets);
		job->targets = g_ptr_array_new_with_free_func(g_free);
	}
	g_mutex_unlock(&w->lock);
	if (over) {
		g_debug("job %s ended (%s): refreshing %u objects", job->id,
			status ? status : g_strerror(-rc), targets->len);
		invalidate_targets(w->api, job->id, targets);
	}

	g_mutex_lock(&w->lock);
	job->polling = FALSE;
	job->polls++;
	job->last_rc = rc;
	if (over && job->kind && job->arm != arm) {
		/* Another action on the object came meanwhile (jobs_follow): it is followed on,
		 * its target put back. */
		over = FALSE;
		g_clear_pointer(&status, g_free);
	}
	if (over) {
		job->ended = TRUE;
		job->status = status;
		job->end_rc = status ? 0 : rc;
		g_queue_push_tail(&w->ended, g_strdup(job->id));
		while (g_queue_get_length(&w->ended) > ENDED_KEPT) {
			g_autofree char *old = g_queue_pop_head(&w->ended);
			Job *gone = g_hash_table_lookup(w->jobs, old);

			if (gone && gone->ended)	/* not an object followed again since */
				g_hash_table_remove(w->jobs, old);	/* unrefs */
		}
	} else {
		gint64 cap = job->waiters ? WAITED_POLL_US : MAX_POLL_US;

		job->interval_us = MIN(job->interval_us * 2, cap);
		job->next_us = g_get_monotonic_time() + job->interval_us;
	}
	g_cond_broadcast(&w->changed);
	g_mutex_unlock(&w->lock);
}

static gpointer watcher_thread(gpointer data)
{
	JobWatcher *w = data;

	g_mutex_lock(&w->lock);
	while (!w->stop) {
		gint64 now = g_get_monotonic_time(), next = G_MAXINT64;
		g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func(
			(GDestroyNotify)job_unref);
		GHashTableIter it;
		Job *job;

		g_hash_table_iter_init(&it, w->jobs);
		while (g_hash_table_iter_next(&it, NULL, (gpointer *)&job)) {
			if (job->ended || job->polling)
				continue;
			if (job->next_us <= now) {
				job->polling = TRUE;
				job->polled_arm = job->arm;
				job->refs++;
				g_ptr_array_add(due, job);
			} else {
				next = MIN(next, job->next_us);
			}
		}
		if (!due->len) {
			if (next == G_MAXINT64)
				g_cond_wait(&w->wake, &w->lock);
			else
				g_cond_wait_until(&w->wake, &w->lock, next);
			continue;
		}
		g_mutex_unlock(&w->lock);
		for (guint i = 0; i < due->len; i++)
			poll_due(w, due->pdata[i]);
		g_mutex_lock(&w->lock);
		g_ptr_array_set_size(due, 0);	/* unrefs, under the lock as every unref */
	}
	g_mutex_unlock(&w->lock);
	return NULL;
}

JobWatcher *jobs_new(ApiClient *api)
{
	JobWatcher *w = g_new0(JobWatcher, 1);

	w->api = api;
	g_mutex_init(&w->lock);
	g_cond_init(&w->wake);
	g_cond_init(&w->changed);
	w->jobs = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)job_unref);
	g_queue_init(&w->ended);
	w->thread = g_thread_new("wksfs-jobs", watcher_thread, w);
	return w;
}

void jobs_free(JobWatcher *w)
{
	if (!w)
		return;
	g_mutex_lock(&w->lock);
	w->stop = TRUE;
	g_cond_signal(&w->wake);
	g_cond_broadcast(&w->changed);
	while (w->waiters > 0)	/* each sees stop within WAKE_US and leaves */
		g_cond_wait(&w->changed, &w->lock);
	g_mutex_unlock(&w->lock);
	g_thread_join(w->thread);
	g_hash_table_destroy(w->jobs);
	g_queue_clear_full(&w->ended, g_free);
	g_mutex_clear(&w->lock);
	g_cond_clear(&w->wake);
	g_cond_clear(&w->changed);
	g_free(w);
}

guint64 jobs_followed(JobWatcher *w)
{
	return w ? (guint64)g_atomic_int_get(&w->followed) : 0;
}

void jobs_watch(JobWatcher *w, const char *job_id, const char *path, gboolean appstream,
		const ResKind *kind, const char *const *names, guint n)
{
	Job *job;

	g_mutex_lock(&w->lock);
	if (!g_hash_table_contains(w->jobs, job_id)) {
		job = job_add(w, job_id, FIRST_POLL_US);
		job->path = path;
		job->appstream = appstream;
	}
	job = g_hash_table_lookup(w->jobs, job_id);
	if (!names)
		g_ptr_array_add(job->targets, g_strdup(kind->dir));
	for (guint i = 0; names && i < n; i++)
		g_ptr_array_add(job->targets, g_strconcat(kind->dir, "/", names[i], NULL));
	g_mutex_unlock(&w->lock);
}

void jobs_follow(JobWatcher *w, const ResKind *kind, const char *name, const char *id)
{
	g_autofree char *key = g_strconcat(kind->dir, "/", name, NULL);
	gint64 now = g_get_monotonic_time();
	Job *job;

	g_mutex_lock(&w->lock);
	job = g_hash_table_lookup(w->jobs, key);
	if (job && job->ended) {	/* over: followed anew, its old end kept for no one */
		g_hash_table_remove(w->jobs, key);
		job = NULL;
	}
	if (!job) {
		job = job_add(w, key, FIRST_POLL_US);
		job->kind = kind;
		job->object_id = g_strdup(id);
		g_ptr_array_add(job->targets, g_strdup(key));
	}
	/* A new action: what the last one's transition showed no longer counts. */
	job->arm++;
	job->seen_busy = FALSE;
	job->grace_us = now + FOLLOW_GRACE_US;
	job->deadline_us = now + GIVE_UP_US;
	job->interval_us = FIRST_POLL_US;
	job->next_us = now + FIRST_POLL_US;
	if (!job->targets->len)	/* taken by a poll that ended the last transition */
		g_ptr_array_add(job->targets, g_strdup(key));
	g_cond_signal(&w->wake);
	g_mutex_unlock(&w->lock);
}

int jobs_wait(JobWatcher *w, const char *job_id, gint64 deadline_us,
	      gboolean (*cancelled)(void), char **ret_status)
{
	gint64 now = g_get_monotonic_time();
	guint seen;
	Job *job;
	int rc;

	g_mutex_lock(&w->lock);
	/* Not one of ours (or long forgotten): followed from now on, asked at once. */
	job = job_add(w, job_id, 0);
	job->refs++;
	job->waiters++;
	w->waiters++;
	if (!job->ended && !job->polling && job->next_us > now + WAITED_POLL_US) {
		job->interval_us = WAITED_POLL_US;
		job->next_us = now + WAITED_POLL_US;
		g_cond_signal(&w->wake);
	}
	seen = job->polls;
	for (;;) {
		if (job->ended) {
			rc = job->end_rc;
			if (rc == 0)
				*ret_status = g_strdup(job->status);
			break;
		}
		if (job->polls != seen && job->last_rc < 0) {
			rc = job->last_rc;	/* this wait saw the API fail */
			break;
		}
		if (w->stop) {
			rc = -ECANCELED;
			break;
		}
		g_mutex_unlock(&w->lock);
		now = g_get_monotonic_time();
		if (now >= deadline_us)
			rc = -ETIMEDOUT;
		else if (cancelled && cancelled())
			rc = -EINTR;
		else
			rc = wks_client_cancelled(w->api->client, FALSE);
		g_mutex_lock(&w->lock);
		if (rc < 0)
			break;	/* timed out, interrupted, or the mount is shutting down */
		g_cond_wait_until(&w->changed, &w->lock, MIN(deadline_us, now + WAKE_US));
	}
	job->waiters--;
	w->waiters--;
	job_unref(job);
	if (w->stop)
		g_cond_broadcast(&w->changed);	/* jobs_free counts the waiters out */
	g_mutex_unlock(&w->lock);
	return rc;
}

static JobWatcher *watcher(ApiClient *api)
{
	JobWatcher *w;

	g_mutex_lock(&api->lock);
	/* Started here, on first use, so that no thread exists before the daemon forks. */
	if (!api->jobs)
		api->jobs = jobs_new(api);
	w = api->jobs;
	g_mutex_unlock(&api->lock);
	return w;
}

/* A Workspace job this mount started, for /jobs. */
static void remember_job(ApiClient *api, const char *job_id)
{
	g_mutex_lock(&api->lock);
	g_queue_push_tail(&api->job_ids, g_strdup(job_id));
	while (g_queue_get_length(&api->job_ids) > JOB_IDS)
		g_free(g_queue_pop_head(&api->job_ids));
	g_mutex_unlock(&api->lock);
}

void api_action_answered(ApiClient *api, const ResKind *kind, const char *job_id,
			 const char *const *names, const char *const *ids, guint n)
{
	const ResAction *action = kind->action;

	if (job_id && action->job_path) {
		jobs_watch(watcher(api), job_id, action->job_path,
			   kind->service == SERVICE_APPSTREAM, kind, names, n);
	} else if (job_id) {
		remember_job(api, job_id);
		jobs_watch(watcher(api), job_id, JOB_PATH, FALSE, kind, names, n);
		store_invalidate(api, res_kind_lookup("jobs"), NULL);
	} else if (action->busy_field && kind->detail_path) {
		for (guint i = 0; i < n; i++)
			jobs_follow(watcher(api), kind, names[i], ids[i]);
	}
}

void api_create_answered(ApiClient *api, const char *job_id, const ResKind *kind,
			 const ResKind *also)
{
	remember_job(api, job_id);
	jobs_watch(watcher(api), job_id, JOB_PATH, FALSE, kind, NULL, 0);
	if (also)	/* "<dir>/": the collection and every object in it */
		jobs_watch(watcher(api), job_id, JOB_PATH, FALSE, also,
			   (const char *const[]){ "" }, 1);
	store_invalidate(api, res_kind_lookup("jobs"), NULL);
}

int api_job_wait(ApiClient *api, const ResKind *kind, const char *name, gint64 timeout_s,
		 gboolean (*cancelled)(void), char **ret_status)
{
	gint64 deadline = g_get_monotonic_time() + timeout_s * G_USEC_PER_SEC;

	(void)kind;	/* always the jobs kind: the watcher knows its path */
	return jobs_wait(watcher(api), name, deadline, cancelled, ret_status);
}
