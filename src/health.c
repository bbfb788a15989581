/* health.c — whether the API answers, and what the log says about it.
 *
 * Owns: the online flag (/.wksfs/online, and the outage window in store.c), its changes as
 * log lines (going offline a warning, coming back a notice, each once per change), the
 * throttling warning (at most one a minute, with a count of the answers it stands for),
 * and whether anything has succeeded yet: before that, the start-up probe reports every
 * failure in the terminal and the log stays silent. Must not: know about HTTP or the error
 * model (client.c tells it each outcome) or log anything per request.
 * Locking: `lock` guards all but `online`, which is read without it (atomic) and changed
 * under it, so one thread logs each change.
 */
#include "src/health.h"

#define THROTTLE_LOG_US (60 * G_USEC_PER_SEC)

struct Health {
	GMutex lock;
	gint online;		/* atomic */
	gboolean answered;	/* a success yet */
	gint64 offline_since_us;
	gint64 throttle_logged_us;	/* the last throttling warning, 0: none yet */
	guint throttled_unlogged;	/* throttled answers since */
};

Health *health_new(void)
{
	Health *h = g_new0(Health, 1);

	g_mutex_init(&h->lock);
	h->online = TRUE;
	return h;
}

void health_free(Health *h)
{
	if (!h)
		return;
	g_mutex_clear(&h->lock);
	g_free(h);
}

void health_note(Health *h, gboolean online, gboolean success, const char *method,
		 const char *path, HealthWhyFunc why_offline, gconstpointer data)
{
	gint64 now = g_get_monotonic_time();
	gboolean changed, answered;
	gint64 since;

	g_mutex_lock(&h->lock);
	changed = g_atomic_int_get(&h->online) != online;
	answered = h->answered;
	since = h->offline_since_us;
	if (changed)
		g_atomic_int_set(&h->online, online);
	if (changed && !online)
		h->offline_since_us = now;
	h->answered = h->answered || success;
	g_mutex_unlock(&h->lock);
	if (!changed || !answered)
		return;
	if (online) {
		g_message("online again after %.1f s: %s %s answered (/.wksfs/online is 1)",
			  (double)(now - since) / G_USEC_PER_SEC, method, path);
	} else {
		g_autofree char *why = why_offline(data);

		g_warning("offline: %s %s: %s (/.wksfs/online is 0; cached data is served while "
			  "stale_on_error allows)", method, path, why);
	}
}

void health_note_throttled(Health *h, const char *method, const char *path, long status,
			   const char *error_code)
{
	gint64 now = g_get_monotonic_time();
	g_autofree char *since = NULL;
	gboolean warn;
	guint more;

	g_mutex_lock(&h->lock);
	warn = !h->throttle_logged_us || now - h->throttle_logged_us >= THROTTLE_LOG_US;
	more = h->throttled_unlogged;
	if (warn) {
		h->throttle_logged_us = now;
		h->throttled_unlogged = 0;
	} else {
		h->throttled_unlogged++;
	}
	g_mutex_unlock(&h->lock);
	if (!warn)
		return;
	since = more ? g_strdup_printf(", and %u more since the last warning", more)
		     : g_strdup("");
	g_warning("throttled: %s %s -> HTTP %ld %s%s; reads are retried within the timeout, "
		  "writes fail with EAGAIN", method, path, status, error_code ? error_code : "-",
		  since);
}

gboolean health_online(Health *h)
{
	return g_atomic_int_get(&h->online);
}

gboolean health_answered(Health *h)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);

	return h->answered;
}
