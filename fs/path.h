/* path.h — mount paths to nodes, and the reversible escaping of names (pure, no I/O). */
#pragma once

#include <glib.h>

typedef enum {
	FS_NODE_ROOT,		/* / */
	FS_NODE_META_DIR,	/* /.wksfs */
	FS_NODE_META_FILE,	/* /.wksfs/<file> or /.wksfs/<dir>/<file> */
	FS_NODE_KIND_DIR,	/* /desktops */
	FS_NODE_OBJECT_DIR,	/* /desktops/<name> */
	FS_NODE_OBJECT_FILE,	/* /desktops/<name>/<file> */
	FS_NODE_DEEP,		/* /desktops/<name>/<dir>/<entry> */
	FS_NODE_DEEPER,		/* /scheduled-tasks/<name>/<dir>/<entry>/<file> */
	/* Out of the order above (which goes one segment deeper at each step): */
	FS_NODE_KIND_FILE,	/* /desktops/.<file>: a collection's own file (.create); no
				 * escaped name starts with '.' */
} FsNodeType;

typedef struct {
	FsNodeType type;
	char *kind;	/* top-level directory, for KIND_DIR and below */
	char *name;	/* object name, unescaped */
	char *file;	/* an object's file (unescaped), a collection's own file (as is), or the
			 * path below /.wksfs */
	char *entry;	/* the fourth segment (unescaped) */
	char *sub;	/* the fifth (unescaped): a file of a sub-collection's object */
} FsPath;

void fs_path_free(FsPath *p);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FsPath, fs_path_free)

/* Splits an absolute path. -ENOENT for anything that cannot name a node (too deep, a
 * malformed or non-canonical escape). Whether the node exists is not checked here. */
int fs_path_parse(const char *path, FsPath **ret_path);

/* A name as a safe file name: '/' -> %2F, '%' -> %25, a leading '.' -> %2E, control
 * characters -> %XX. NULL for the empty string. */
char *fs_escape_name(const char *name);
/* The inverse; NULL when s is not exactly what fs_escape_name would produce. */
char *fs_unescape_name(const char *s);
