/* node.c — from a path to what it names, using the resource table only:
 *
 *   /README  /.wksfs/...
 *   /<kind>.jsonl                    a collection's objects, one line each (kind dirs
 *                                    are fixed names, none ends in .jsonl)
 *   /<kind>/.create                  a create body's file, for kinds with a create
 *   /<kind>/<name>/<file>            fields, info.json; action, wait (their own types)
 *   /<kind>/<name>/<link>/<target>   symlinks to ../../../<target kind>/<target>
 *   /<kind>/<name>/<link>/<entry>/<file>   an object of a LINK_OBJECTS sub-collection
 *   /<singleton>/<file>              a singleton kind's directory is its one object:
 *                                    the path is read as /<kind>/<name>/<file>
 *   /<kind>/<name>/tags/<key>        a tag, for kinds with tags (ResTags)
 *   /<view>/<key>                    flat view: symlink to ../<kind>/<name>
 *   /<view>/<key>/<name>             grouped view: symlink to ../../<kind>/<name>
 *
 * Pure: no API calls; the operations check existence through src/api.h.
 */
#include "fs/node.h"

#include <errno.h>
#include <string.h>

#include "src/api.h"

void fs_node_free(FsNode *node)
{
	if (!node)
		return;
	fs_path_free(node->path);
	g_free(node);
}

/* What a file name of an object is: its action, its wait, or a rendered file. */
static FsNodeKind file_type(const ResKind *kind, const char *file)
{
	if (kind->action && strcmp(file, "action") == 0)
		return NODE_ACTION;
	if (kind->waitable && strcmp(file, "wait") == 0)
		return NODE_WAIT;
	return NODE_FILE;
}

gboolean fs_node_is_file(const FsNode *node)
{
	return node->type == NODE_FILE || node->type == NODE_ACTION || node->type == NODE_WAIT ||
	       node->type == NODE_SUBFILE || node->type == NODE_TAG || node->type == NODE_CREATE;
}

/* "/desktops.jsonl": the collection it is the JSON Lines of, or NULL. */
static const ResKind *jsonl_kind(const FsPath *p)
{
	g_autofree char *dir = NULL;
	const ResKind *kind;

	if (p->type != FS_NODE_KIND_DIR || !g_str_has_suffix(p->kind, ".jsonl"))
		return NULL;
	dir = g_strndup(p->kind, strlen(p->kind) - strlen(".jsonl"));
	kind = res_kind_lookup(dir);
	return api_lines_kind(kind) ? kind : NULL;
}

/* A singleton's segments one step down: /workspace/status names the file status of the
 * object res_singleton_name(). -ENOENT when that is too deep. */
static int shift_singleton(FsPath *p, const ResKind *kind)
{
	if (p->type == FS_NODE_DEEPER)
		return -ENOENT;
	g_free(p->sub);
	p->sub = g_steal_pointer(&p->entry);
	p->entry = g_steal_pointer(&p->file);
	p->file = g_steal_pointer(&p->name);
	p->name = g_strdup(res_singleton_name(kind));
	p->type++;
	return 0;
}

int fs_node_resolve(const char *path, FsNode **ret_node)
{
	g_autoptr(FsNode) node = g_new0(FsNode, 1);
	FsPath *p;
	int rc = fs_path_parse(path, &node->path);

	if (rc < 0)
		return rc;
	p = node->path;
	switch (p->type) {
	case FS_NODE_ROOT:
		node->type = NODE_ROOT;
		break;
	case FS_NODE_META_DIR:
	case FS_NODE_META_FILE:
		node->type = p->type == FS_NODE_META_DIR ? NODE_META_DIR : NODE_META_FILE;
		break;
	default:
		node->kind = res_kind_lookup(p->kind);
		node->view = node->kind ? NULL : res_view_lookup(p->kind);
		if (!node->kind && !node->view && (node->kind = jsonl_kind(p))) {
			node->type = NODE_JSONL;
			break;
		}
		if (!node->kind && !node->view) {
			if (p->type != FS_NODE_KIND_DIR || strcmp(p->kind, "README") != 0)
				return -ENOENT;
			node->type = NODE_README;
			break;
		}
		if (p->type == FS_NODE_KIND_FILE) {
			/* A collection's own file: its .create (a singleton has none). */
			if (!node->kind || !node->kind->create || strcmp(p->file, ".create") != 0)
				return -ENOENT;
			node->type = NODE_CREATE;
			break;
		}
		if (node->kind && res_is_singleton(node->kind) &&
		    shift_singleton(p, node->kind) < 0)
			return -ENOENT;
		if (node->view) {
			if (p->type == FS_NODE_KIND_DIR)
				node->type = NODE_VIEW;
			else if (p->type == FS_NODE_OBJECT_DIR)
				node->type = NODE_VIEW_KEY;
			else if (p->type == FS_NODE_OBJECT_FILE && node->view->grouped)
				node->type = NODE_VIEW_LINK;
			else
				return -ENOENT;
			break;
		}
		if (p->type == FS_NODE_KIND_DIR) {
			node->type = NODE_KIND;
		} else if (p->type == FS_NODE_OBJECT_DIR) {
			node->type = NODE_OBJECT;
		} else if (node->kind->tags && strcmp(p->file, node->kind->tags->dir) == 0) {
			node->type = p->type == FS_NODE_OBJECT_FILE ? NODE_TAGDIR : NODE_TAG;
		} else {
			node->link = res_link_lookup(node->kind, p->file);
			/* The rendered names of tags ("tags/env") are the tag directory's. */
			if (res_tag_key(node->kind, p->file))
				return -ENOENT;
			if (p->type == FS_NODE_OBJECT_FILE)
				node->type = node->link ? NODE_LINKDIR : file_type(node->kind, p->file);
			else if (node->link && node->link->source == LINK_OBJECTS)
				node->type = p->type == FS_NODE_DEEP ? NODE_SUBOBJECT
								     : NODE_SUBFILE;
			else if (node->link && p->type == FS_NODE_DEEP)
				node->type = NODE_LINK;
			else
				return -ENOENT;
		}
	}
	*ret_node = g_steal_pointer(&node);
	return 0;
}

char *fs_node_link_target(const FsNode *node, const char *target_name)
{
	g_autofree char *esc = fs_escape_name(target_name);

	if (!esc)
		return NULL;
	switch (node->type) {
	case NODE_LINK:
		return g_strconcat("../../../", node->link->target, "/", esc, NULL);
	case NODE_VIEW_KEY:
		return g_strconcat("../", node->view->kind, "/", esc, NULL);
	case NODE_VIEW_LINK:
		return g_strconcat("../../", node->view->kind, "/", esc, NULL);
	default:
		return NULL;
	}
}
