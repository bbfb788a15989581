/* watch.h — -o watch=SECS: the collections being looked at, re-listed every SECS (watch.c). */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct Watcher Watcher;

/* Starts the thread: every period_s, each collection read within the last max(its TTL,
 * period_s) is listed again through the cache (its pages, in single flight with readers),
 * and what changed goes to the cache, the kernel and /.wksfs/changes (source=watch). */
Watcher *watch_start(ApiClient *api, gint64 period_s);
/* Stops it promptly (a listing in flight ends first) and joins it. NULL is fine. */
void watch_stop(Watcher *watcher);

/* A reader looked at kind now: it is watched for the next max(TTL, period). */
void watch_note_read(ApiClient *api, const ResKind *kind);
/* Passes made so far. */
guint64 watch_passes(Watcher *watcher);
