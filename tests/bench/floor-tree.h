/* floor-tree.h — the tenant the benchmark's FUSE floors serve (floorfs.c on the high-level
 * API, floorfs-ll.c on the low-level one): loaded once, rendered once, never changed. */
#pragma once

#include <glib.h>
#include <time.h>

typedef struct {
	const char *name;	/* interned: every desktop has the same fields */
	const char *data;	/* into the desktop's blob, set once the blob is complete */
	guint32 off;		/* the same, as an offset */
	guint32 len;
} FloorFile;

typedef struct {
	guint index;		/* in FloorTree.desktops */
	char *id;
	const char *status;	/* interned; "" when the object has none */
	GString *blob;		/* every file's text, one after the other */
	GArray *files;		/* FloorFile, in the API's field order */
	GPtrArray *users;	/* char *: user_list, the names under users/ */
} FloorDesktop;

typedef struct {
	GPtrArray *desktops;	/* FloorDesktop, in the API's order */
	GHashTable *by_id;	/* desktop_id -> FloorDesktop (borrowed) */
	GPtrArray *statuses;	/* interned status names, sorted */
	GHashTable *by_status;	/* status -> GArray of guint, indexes into desktops */
	time_t loaded;
} FloorTree;

gboolean floor_tree_load(FloorTree *t, const char *path, GError **error);
const FloorFile *floor_desktop_file(const FloorDesktop *d, const char *name);
/* The symlink targets, as wksfs writes them; the caller frees. */
char *floor_status_link(const FloorDesktop *d);
char *floor_user_link(const char *user);
