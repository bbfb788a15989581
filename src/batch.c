/* batch.c — action writes that arrive together go out as one API call.
 *
 * Owns: the open batches, one per (kind, verb, hard). The first writer of a batch is its
 * leader: it sends once no writer has joined for the window (-o batch_window_ms), the
 * batch is full (-o batch_max, or the kind's own limit) or ten windows have passed since it
 * came, whichever is first — so a lone write waits one window, and a stream of writes, each
 * within a window of the last, fills whole batches even on a busy machine, where writes
 * arrive a few ms apart. It sends the one call with
 * every id, without any lock, and files each writer's own outcome: an id named in the
 * answer's failure list (4.3.9 failed_operation_list) fails for that writer only, with the
 * API's code and message; if the call itself fails, every writer gets that error. The others
 * share the batch's job, which the watcher polls once for all (jobs.c). A writer never waits
 * longer than ten windows plus the call; an id is never in one call twice (a second write
 * to the same object starts the next batch).
 * Must not: retry (a mutation reaches the API at most once), or run the per-writer checks
 * (caller, read-only, dry-run, input): mutate.c has made them before a writer gets here.
 * Locking: `lock` guards the open table and every Batch's fields; it is never held across
 * the call.
 */
#include "src/batch.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/audit.h"
#include "src/errmap.h"
#include "src/input.h"
#include "src/jobs.h"
#include "src/json.h"
#include "src/store.h"

/* A batch waits for the next writer at most one window, and for all at most this many. */
#define WINDOWS_AT_MOST 10

struct Batcher {
	GMutex lock;
	gint64 window_us;
	guint max;
	GHashTable *open;	/* key -> Batch*, the batches still taking writers; lock */
};

typedef struct {
	char *name;		/* the object's directory name */
	char *id;		/* what the API takes */
	guint uid;
	int pid;
	char *command;
	char *path;
	int rc;			/* the outcome, once the batch is done */
	char *result;
} Member;

typedef struct {
	int refs;		/* one per member still waiting */
	char *key;
	const ResKind *kind;
	const ResVerb *verb;
	gboolean hard;
	GPtrArray *members;	/* Member*; fixed once closed */
	GHashTable *ids;	/* the members' ids */
	gint64 opened_us;	/* monotonic: when its leader came */
	gint64 joined_us;	/* when its last writer came */
	gboolean closed;	/* no more joiners: it is being sent */
	gboolean done;		/* every member's outcome is in */
	GCond cond;		/* closed (the leader), done (the others) */
} Batch;

static void member_free(Member *m)
{
	g_free(m->name);
	g_free(m->id);
	g_free(m->command);
	g_free(m->path);
	g_free(m->result);
	g_free(m);
}

static void batch_unref(Batch *batch)
{
	if (--batch->refs > 0)
		return;
	g_free(batch->key);
	g_ptr_array_unref(batch->members);
	g_hash_table_destroy(batch->ids);
	g_cond_clear(&batch->cond);
	g_free(batch);
}

Batcher *batch_new(gint64 window_ms, guint max)
{
	Batcher *b = g_new0(Batcher, 1);

	g_mutex_init(&b->lock);
	b->window_us = window_ms * 1000;
	b->max = MAX(max, 1);
	b->open = g_hash_table_new(g_str_hash, g_str_equal);
	return b;
}

void batch_free(Batcher *b)
{
	if (!b)
		return;
	g_hash_table_destroy(b->open);	/* empty: every writer has returned */
	g_mutex_clear(&b->lock);
	g_free(b);
}

gboolean batch_applies(Batcher *b, const ResKind *kind, const ResVerb *verb)
{
	const ResAction *action = kind->action;

	return b && b->window_us > 0 && action && action->ids_field && action->failed_list &&
	       verb->arg != ARG_USER;
}

/* Under b->lock: no one joins batch any more. */
static void close_batch(Batcher *b, Batch *batch)
{
	if (g_hash_table_lookup(b->open, batch->key) == batch)
		g_hash_table_remove(b->open, batch->key);
	batch->closed = TRUE;
	g_cond_broadcast(&batch->cond);
}

/* The answer's failure list: id -> its entry (borrowed from root). */
static GHashTable *failures(const ResAction *action, cJSON *root)
{
	GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
	cJSON *entry;

	cJSON_ArrayForEach(entry, cJSON_GetObjectItem(root, action->failed_list)) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(entry,
									  action->failed_id));

		if (id)
			g_hash_table_insert(by_id, (gpointer)id, entry);
	}
	return by_id;
}

/* The one call, and each member's outcome; under no lock. */
static void send_batch(ApiClient *api, Batch *batch)
{
	const ResAction *action = batch->kind->action;
	const char *path = batch->verb->path ? batch->verb->path : action->path;
	guint n = batch->members->len;
	g_autofree const char **ids = g_new0(const char *, n + 1);
	g_autofree const char **names = g_new0(const char *, n + 1);
	g_autofree const char **ids_ok = g_new0(const char *, n + 1);
	g_autoptr(GBytes) resp = NULL;
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GHashTable) failed = NULL;
	WksError err = { 0 };
	const char *job;
	guint started = 0;
	char *body;
	int rc;

	for (guint i = 0; i < n; i++)
		ids[i] = ((Member *)batch->members->pdata[i])->id;
	body = input_action_body(action, batch->verb, batch->hard, NULL, ids, n);
	rc = wks_call_at(api->client, batch->kind->service == SERVICE_APPSTREAM, action->method,
			 path, NULL, NULL, 0, body, &resp, &err);
	g_debug("batch %s: %u ids -> %d", batch->key, n, rc);
	root = rc == 0 && resp ? json_parse_bytes(resp) : NULL;
	job = cJSON_GetStringValue(cJSON_GetObjectItem(root, "job_id"));
	if (job && (!job[0] || strlen(job) > 255 || strchr(job, '/')))
		job = NULL;
	failed = failures(action, root);

	for (guint i = 0; i < n; i++) {
		Member *m = batch->members->pdata[i];
		cJSON *entry = g_hash_table_lookup(failed, m->id);
		ApiCaller who = { m->uid, m->pid, m->command, m->path };
		g_autofree char *line = NULL;

		if (rc < 0) {
			m->rc = rc;
			m->result = audit_describe_error(rc, &err);
		} else if (entry) {
			WksError e = {
				.error_code = cJSON_GetStringValue(cJSON_GetObjectItem(entry,
										       "error_code")),
				.error_msg = cJSON_GetStringValue(cJSON_GetObjectItem(entry,
										      "error_msg")),
			};

			m->rc = errmap_from_code(e.error_code);
			m->result = audit_describe_error(m->rc, &e);
			wks_client_note_error(api->client, "action", m->path, m->result);
		} else {
			m->rc = 0;
			m->result = job ? g_strdup_printf("job %s", job) : g_strdup("ok");
			ids_ok[started] = m->id;
			names[started++] = m->name;
		}
		line = n > 1 ? g_strdup_printf("%s (one of a batch of %u)", m->result, n)
			     : g_strdup(m->result);
		audit_add(api->audit, &who, action->method, path, body, line, err.request_id);
		store_expect(api, batch->kind, m->name, "write");
		store_invalidate(api, batch->kind, m->name);
	}
	if (started)
		api_action_answered(api, batch->kind, job, names, ids_ok, started);
	cJSON_free(body);
	wks_error_clear(&err);
}

int batch_run(ApiClient *api, const ApiCaller *who, const ResKind *kind, const char *name,
	      const char *id, const ResVerb *verb, gboolean hard, char **ret_result)
{
	Batcher *b = api->batch;
	guint limit = kind->action->batch_limit ? MIN(b->max, (guint)kind->action->batch_limit)
						: b->max;
	g_autofree char *key = g_strdup_printf("%s %s %d", kind->dir, verb->verb, hard);
	Member *m = g_new0(Member, 1);
	gboolean leader = FALSE;
	Batch *batch;
	int rc;

	m->name = g_strdup(name);
	m->id = g_strdup(id);
	m->uid = who ? who->uid : 0;
	m->pid = who ? who->pid : 0;
	m->command = g_strdup(who ? who->command : NULL);
	m->path = g_strdup(who ? who->path : NULL);

	g_mutex_lock(&b->lock);
	batch = g_hash_table_lookup(b->open, key);
	if (batch && g_hash_table_contains(batch->ids, id))
		close_batch(b, batch);	/* the second write to one object goes in the next */
	batch = g_hash_table_lookup(b->open, key);
	if (!batch) {
		batch = g_new0(Batch, 1);
		batch->key = g_steal_pointer(&key);
		batch->kind = kind;
		batch->verb = verb;
		batch->hard = hard;
		batch->members = g_ptr_array_new_with_free_func((GDestroyNotify)member_free);
		batch->ids = g_hash_table_new(g_str_hash, g_str_equal);
		g_cond_init(&batch->cond);
		g_hash_table_insert(b->open, batch->key, batch);
		batch->opened_us = g_get_monotonic_time();
		leader = TRUE;
	}
	g_ptr_array_add(batch->members, m);
	g_hash_table_add(batch->ids, m->id);
	batch->joined_us = g_get_monotonic_time();
	batch->refs++;
	if (batch->members->len >= limit)
		close_batch(b, batch);

	if (leader) {
		for (;;) {
			gint64 until = MIN(batch->joined_us + b->window_us,
					   batch->opened_us + WINDOWS_AT_MOST * b->window_us);

			if (batch->closed || g_get_monotonic_time() >= until)
				break;
			g_cond_wait_until(&batch->cond, &b->lock, until);
		}
		close_batch(b, batch);
		g_mutex_unlock(&b->lock);
		send_batch(api, batch);
		g_mutex_lock(&b->lock);
		batch->done = TRUE;
		g_cond_broadcast(&batch->cond);
	}
	while (!batch->done)
		g_cond_wait(&batch->cond, &b->lock);
	rc = m->rc;
	*ret_result = g_strdup(m->result);
	batch_unref(batch);
	g_mutex_unlock(&b->lock);
	return rc;
}
