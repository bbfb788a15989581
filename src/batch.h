/* batch.h — actions written within a short window, sent as one API call (SEMANTICS.md §4). */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct Batcher Batcher;

/* A batch is sent once no writer joined it for window_ms, once it is full or ten windows
 * after it opened. window_ms 0: every action goes out alone. max: ids per call at most (the
 * kind's own limit may be lower). */
Batcher *batch_new(gint64 window_ms, guint max);
void batch_free(Batcher *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Batcher, batch_free)

/* TRUE when an action with this verb on this kind is batched: the window is on and the
 * kind's action body takes an ids array and its answer names the objects that failed. */
gboolean batch_applies(Batcher *b, const ResKind *kind, const ResVerb *verb);

/* Joins (or opens) the batch of kind, verb and hard; returns once the batch's one call has
 * answered (a lone writer: one window and the call), with this writer's own outcome: -errno, and *ret_result ("job <id>", "ok",
 * "error: ...") in every case. Checks (caller, read-only, dry-run, input) are the caller's,
 * made before. name: the object's directory name; id: the id the API takes. */
int batch_run(ApiClient *api, const ApiCaller *who, const ResKind *kind, const char *name,
	      const char *id, const ResVerb *verb, gboolean hard, char **ret_result);
