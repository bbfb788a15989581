/* health.h — whether the API answers: /.wksfs/online, and the log lines of its changes. */
#pragma once

#include <glib.h>

typedef struct Health Health;

Health *health_new(void);
void health_free(Health *h);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Health, health_free)

/* The outcome of one request: online (it answered, or it failed in a way that says nothing
 * about reachability), success (a 2xx), and what was asked. why_offline is computed only
 * when going offline is logged: it returns the reason (caller of the func frees). */
typedef char *(*HealthWhyFunc)(gconstpointer data);
void health_note(Health *h, gboolean online, gboolean success, const char *method,
		 const char *path, HealthWhyFunc why_offline, gconstpointer data);
/* A throttled answer (status, error_code): warned about at most once a minute. */
void health_note_throttled(Health *h, const char *method, const char *path, long status,
			   const char *error_code);

gboolean health_online(Health *h);
/* Whether any request has succeeded yet: before that, failures are the start-up probe's,
 * reported in the terminal, not logged. */
gboolean health_answered(Health *h);
