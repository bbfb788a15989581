/* changes.h — /.wksfs/changes, the feed of what wksfs saw change (changes.c). */
#pragma once

#include <glib.h>

#include "src/resources.h"

typedef struct Changes Changes;

/* Keeps the last max_lines lines (at least 1). */
Changes *changes_new(guint max_lines);
void changes_free(Changes *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Changes, changes_free)

/* -o changes_file: every line from now on is also appended to path (O_APPEND, created 0600,
 * fdatasync'd). Called once, before any line. */
gboolean changes_open_file(Changes *changes, const char *path, GError **error);

/* The source this thread's changes are seen by ("watch" on the watcher's thread); NULL
 * restores the default, "refresh". */
void changes_set_thread_source(const char *source);
/* A change to kind/name (name NULL: its collection's names) is expected from source
 * ("write", "job"): the next fetch of it is labelled so, whether or not it changed. */
void changes_expect(Changes *changes, const ResKind *kind, const char *name,
		    const char *source);

/* A fetch replaced previous with blob (render.h blobs) for kind/name: one line per file
 * whose bytes differ (info.json aside), field=, old= and new= without their last newline. */
void changes_object(Changes *changes, const ResKind *kind, const char *name, GBytes *previous,
		    GBytes *blob);
/* A listing replaced the names old_names with new_names (packed NUL-terminated names):
 * one event=created or event=deleted line per name that came or went. */
void changes_listing(Changes *changes, const ResKind *kind, const char *old_names,
		     gsize old_len, const char *new_names, gsize new_len);

/* The file's size: every byte ever appended, so offsets never move. */
guint64 changes_size(Changes *changes);
/* Up to size bytes at off. Bytes older than the lines kept read as one comment line,
 * "# older lines dropped", padded with spaces to its exact length. */
GBytes *changes_read(Changes *changes, guint64 off, gsize size);
/* How many lines were ever appended. */
guint64 changes_count(Changes *changes);
