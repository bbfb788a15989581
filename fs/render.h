/* render.h — an API object as the files of its directory (the sysfs rule). */
#pragma once

#include <glib.h>

#include "src/resources.h"

typedef struct {
	char *name;		/* file name (unescaped) */
	GBytes *content;	/* exactly what read() returns */
	gboolean writable;	/* a field file that a write changes */
} FsFile;

void fs_file_free(FsFile *f);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FsFile, fs_file_free)

/* Every file of an object, in a stable order: one per top-level field (a scalar is its text
 * plus "\n", an array of scalars one item per line, anything else pretty JSON in
 * "<field>.json"), the kind's aliases, and info.json with the whole object. NULL if json is
 * not a JSON object. Field names that collide with the fixed files (info.json, action, wait, link
 * directories) or are not usable as names are left out; their data stays in info.json. */
GPtrArray *render_object(const ResKind *kind, GBytes *json);
/* The same files' names and flags only: contents NULL. */
GPtrArray *render_names(const ResKind *kind, GBytes *json);

FsFile *render_find(GPtrArray *files, const char *name);

/* One file of an object, as render_object() would render it, without rendering the others
 * (a stat or an open needs one). NULL if the object has no such file. Caller frees. */
FsFile *render_file(const ResKind *kind, GBytes *json, const char *name);
