/* node.c — from a path to what it names, using the resource table only:
 *
 *   /README  /.wksfs/...
 *   /<kind>/.create                  a create body's file, for kinds with a create
 *   /<kind>/<name>/<file>            fields, info.json; action, wait (their own types)
 *   /<kind>/<name>/<link>/<target>   symlinks to ../../../<target kind>/<target>
 *   /<view>/<key>                    flat view: symlink to ../<kind>/<name>
 *   /<view>/<key>/<name>             grouped view: symlink to ../../<kind>/<name>
 *
 * Pure: no API calls; the operations check existence through src/api.h.
 */
#include "fs/node.h"

#include <errno.h>
#include <string.h>

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
	       node->type == NODE_CREATE;
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
		if (!node->kind && !node->view) {
			if (p->type != FS_NODE_KIND_DIR || strcmp(p->kind, "README") != 0)
				return -ENOENT;
			node->type = NODE_README;
			break;
		}
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
		} else if (p->type == FS_NODE_KIND_FILE) {
			if (!node->kind->create || strcmp(p->file, ".create") != 0)
				return -ENOENT;
			node->type = NODE_CREATE;
		} else if (p->type == FS_NODE_OBJECT_DIR) {
			node->type = NODE_OBJECT;
		} else {
			node->link = res_link_lookup(node->kind, p->file);
			if (p->type == FS_NODE_OBJECT_FILE)
				node->type = node->link ? NODE_LINKDIR : file_type(node->kind, p->file);
			else if (node->link)
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
