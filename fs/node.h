/* node.h — what a path names in the tree, decided from the tables (no API calls). */
#pragma once

#include "fs/path.h"
#include "src/resources.h"

typedef enum {
	NODE_ROOT,		/* / */
	NODE_README,		/* /README */
	NODE_META_DIR,		/* /.wksfs, /.wksfs/stats */
	NODE_META_FILE,		/* /.wksfs/<file> */
	NODE_KIND,		/* /<kind> */
	NODE_JSONL,		/* /<kind>.jsonl: the collection as JSON Lines */
	NODE_CREATE,		/* /<kind>/.create, for kinds with a create */
	NODE_OBJECT,		/* /<kind>/<name> */
	NODE_FILE,		/* /<kind>/<name>/<file>: a field, <field>.json, info.json */
	NODE_ACTION,		/* /<kind>/<name>/action, for kinds with actions */
	NODE_WAIT,		/* /<kind>/<name>/wait, for waitable kinds (jobs) */
	NODE_LINKDIR,		/* /<kind>/<name>/<link> */
	NODE_LINK,		/* /<kind>/<name>/<link>/<target name> */
	NODE_SUBOBJECT,		/* /<kind>/<name>/<link>/<entry>: an object of a LINK_OBJECTS
				 * sub-collection, a directory of files */
	NODE_SUBFILE,		/* /<kind>/<name>/<link>/<entry>/<file> */
	NODE_TAGDIR,		/* /<kind>/<name>/<tags dir>, for kinds with tags */
	NODE_TAG,		/* /<kind>/<name>/<tags dir>/<key>: a tag (entry is the key) */
	NODE_VIEW,		/* /<view> */
	NODE_VIEW_KEY,		/* /<view>/<key>: a symlink (flat view) or a directory */
	NODE_VIEW_LINK,		/* /<view>/<key>/<name> (grouped view) */
} FsNodeKind;

typedef struct {
	FsNodeKind type;
	FsPath *path;		/* the parsed segments: kind, name, file, entry */
	const ResKind *kind;
	const ResLink *link;
	const ResView *view;
} FsNode;

void fs_node_free(FsNode *node);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FsNode, fs_node_free)

/* -ENOENT when the path cannot name anything; existence is checked by the caller. */
int fs_node_resolve(const char *path, FsNode **ret_node);

/* A file of an object (NODE_FILE, NODE_ACTION, NODE_WAIT, NODE_SUBFILE or NODE_TAG) or a
 * collection's .create. */
gboolean fs_node_is_file(const FsNode *node);

/* The target of a symlink node, relative to its directory (caller frees). */
char *fs_node_link_target(const FsNode *node, const char *target_name);
