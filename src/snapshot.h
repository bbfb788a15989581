/* snapshot.h — -o snapshot=PATH: the last good listings and objects on disk, and an offline
 * start from them when the API cannot be reached (snapshot.c). */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct Snapshot Snapshot;

/* The snapshot file of api's mount: endpoint, project id and region (NULL: none) are what a
 * file must name to be loaded. interval_s: how often a changed cache is saved (0: only at
 * unmount). max_bytes: the bound on what is saved (0: none). */
Snapshot *snapshot_new(const char *path, ApiClient *api, const char *region, gint64 interval_s,
		       gsize max_bytes);
void snapshot_free(Snapshot *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Snapshot, snapshot_free)

/* Loads the file into the cache as stale data (never fresh: served when a refresh fails,
 * replaced by the next successful fetch). offline: 0, or the -errno of a start-up probe that
 * failed for want of the API: the mount starts offline (mutations fail with EROFS until the
 * API answers).
 * FALSE with the reason when there is no usable snapshot (missing, corrupt, truncated, of
 * another endpoint, project or region); nothing is loaded then. */
gboolean snapshot_load(Snapshot *s, int offline, GError **error);

/* Once the daemon runs: the timer that saves, and when offline the probe (every second)
 * that brings the mount online. */
void snapshot_start(Snapshot *s);
/* At unmount, before the api is freed: stops the thread and saves a last time (not while
 * still offline: the file holds all there is). NULL is a no-op. */
void snapshot_stop(Snapshot *s);

/* Writes the cache's values to the file now (atomically, mode 0600). */
gboolean snapshot_save(Snapshot *s, GError **error);
