/* floorfs.c — the benchmark's direct_io FUSE floor: the tenant of floor-tree.c served from
 * memory through the high-level FUSE API the way wksfs serves it today. Every file is
 * direct_io (an open, reads and a release per file, no page cache), every entry carries its
 * d_type, and the kernel's timeouts are libfuse's defaults (1 s), as in wksfs. No network, no
 * cache, no locks (nothing changes after start-up): the least work today's design can do for
 * the same `ls`, `cat` and `grep`. floorfs-ll.c is the floor with the kernel's caches on.
 * Not part of wksfs: tests/bench/bench.sh builds and mounts it.
 *
 *   floorfs TENANT.jsonl MOUNTPOINT [FUSE options]
 */
#include "floor-tree.h"

#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum {
	NODE_DIR,
	NODE_FILE,
	NODE_LINK,
} NodeType;

/* What a path names: a directory, a desktop's file, or a link (desktop set, user or not). */
typedef struct {
	NodeType type;
	const FloorDesktop *desktop;	/* the desktop a link or file belongs to */
	const FloorFile *file;
	const char *user;		/* a link under desktops/<id>/users/ */
	/* the entries of a directory, when it is one */
	enum { LIST_ROOT, LIST_DESKTOPS, LIST_STATUSES, LIST_STATUS, LIST_DESKTOP,
	       LIST_USERS } list;
	GArray *members;		/* LIST_STATUS: indexes into tree.desktops */
} Node;

static FloorTree tree;

static const char *user_named(const FloorDesktop *d, const char *name)
{
	for (guint i = 0; i < d->users->len; i++)
		if (strcmp(d->users->pdata[i], name) == 0)
			return d->users->pdata[i];
	return NULL;
}

static int resolve_desktop(char **parts, guint n, Node *ret)
{
	const FloorDesktop *d = g_hash_table_lookup(tree.by_id, parts[1]);
	Node node = { NODE_DIR, d, .list = LIST_DESKTOP };

	if (!d || n > 4)
		return -ENOENT;
	if (n == 3 && strcmp(parts[2], "users") == 0) {
		node.list = LIST_USERS;
	} else if (n == 3) {
		node.type = NODE_FILE;
		node.file = floor_desktop_file(d, parts[2]);
		if (!node.file)
			return -ENOENT;
	} else if (n == 4) {
		node.type = NODE_LINK;
		node.user = strcmp(parts[2], "users") == 0 ? user_named(d, parts[3]) : NULL;
		if (!node.user)
			return -ENOENT;
	}
	*ret = node;
	return 0;
}

static int resolve_status(char **parts, guint n, Node *ret)
{
	Node node = { NODE_DIR, .list = LIST_STATUS };
	const FloorDesktop *d;

	if (n > 3)
		return -ENOENT;
	node.members = g_hash_table_lookup(tree.by_status, parts[1]);
	if (!node.members)
		return -ENOENT;
	if (n == 3) {
		d = g_hash_table_lookup(tree.by_id, parts[2]);
		if (!d || strcmp(d->status, parts[1]) != 0)
			return -ENOENT;
		node.type = NODE_LINK;
		node.desktop = d;
	}
	*ret = node;
	return 0;
}

static int resolve(const char *path, Node *ret)
{
	g_auto(GStrv) parts = g_strsplit(path + 1, "/", 0);
	guint n = g_strv_length(parts);
	Node node = { NODE_DIR, .list = LIST_ROOT };

	if (n == 0 || (n == 1 && !parts[0][0])) {
		*ret = node;
		return 0;
	}
	if (strcmp(parts[0], "desktops") == 0) {
		node.list = LIST_DESKTOPS;
		if (n > 1)
			return resolve_desktop(parts, n, ret);
	} else if (strcmp(parts[0], "desktops-by-status") == 0) {
		node.list = LIST_STATUSES;
		if (n > 1)
			return resolve_status(parts, n, ret);
	} else {
		return -ENOENT;
	}
	*ret = node;
	return 0;
}

static char *link_target(const Node *node)
{
	return node->user ? floor_user_link(node->user) : floor_status_link(node->desktop);
}

static int floor_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	Node node;
	int rc = resolve(path, &node);
	g_autofree char *target = NULL;

	if (rc < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_mtime = st->st_ctime = st->st_atime = tree.loaded;
	st->st_nlink = 1;
	switch (node.type) {
	case NODE_DIR:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		break;
	case NODE_FILE:
		st->st_mode = S_IFREG | 0444;
		st->st_size = node.file->len;
		break;
	case NODE_LINK:
		target = link_target(&node);
		st->st_mode = S_IFLNK | 0777;
		st->st_size = strlen(target);
		break;
	}
	return 0;
}

static int floor_readlink(const char *path, char *buf, size_t size)
{
	Node node;
	int rc = resolve(path, &node);
	g_autofree char *target = NULL;

	if (rc < 0)
		return rc;
	if (node.type != NODE_LINK)
		return -EINVAL;
	target = link_target(&node);
	g_strlcpy(buf, target, size);
	return 0;
}

static int floor_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
			 struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct stat dir = { .st_mode = S_IFDIR }, file = { .st_mode = S_IFREG };
	struct stat link = { .st_mode = S_IFLNK };
	const FloorDesktop *d;
	Node node;
	int rc = resolve(path, &node);

	if (rc < 0)
		return rc;
	if (node.type != NODE_DIR)
		return -ENOTDIR;
	filler(buf, ".", &dir, 0, 0);
	filler(buf, "..", &dir, 0, 0);
	switch (node.list) {
	case LIST_ROOT:
		filler(buf, "desktops", &dir, 0, 0);
		filler(buf, "desktops-by-status", &dir, 0, 0);
		break;
	case LIST_DESKTOPS:
		for (guint i = 0; i < tree.desktops->len; i++)
			filler(buf, ((FloorDesktop *)tree.desktops->pdata[i])->id, &dir, 0, 0);
		break;
	case LIST_STATUSES:
		for (guint i = 0; i < tree.statuses->len; i++)
			filler(buf, tree.statuses->pdata[i], &dir, 0, 0);
		break;
	case LIST_STATUS:
		for (guint i = 0; i < node.members->len; i++) {
			d = tree.desktops->pdata[g_array_index(node.members, guint, i)];
			filler(buf, d->id, &link, 0, 0);
		}
		break;
	case LIST_DESKTOP:
		for (guint i = 0; i < node.desktop->files->len; i++)
			filler(buf, g_array_index(node.desktop->files, FloorFile, i).name, &file,
			       0, 0);
		filler(buf, "users", &dir, 0, 0);
		break;
	case LIST_USERS:
		for (guint i = 0; i < node.desktop->users->len; i++)
			filler(buf, node.desktop->users->pdata[i], &link, 0, 0);
		break;
	}
	return 0;
}

static int floor_open(const char *path, struct fuse_file_info *fi)
{
	Node node;
	int rc = resolve(path, &node);

	if (rc < 0)
		return rc;
	if (node.type == NODE_DIR)
		return -EISDIR;
	if (node.type != NODE_FILE)
		return -ELOOP;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	fi->fh = (uint64_t)(uintptr_t)node.file;
	fi->direct_io = 1;
	return 0;
}

static int floor_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	const FloorFile *f = (const FloorFile *)(uintptr_t)fi->fh;

	if (off < 0 || (guint64)off >= f->len)
		return 0;
	if (size > (size_t)(f->len - off))
		size = f->len - off;
	memcpy(buf, f->data + off, size);
	return size;
}

static const struct fuse_operations operations = {
	.getattr = floor_getattr,
	.readlink = floor_readlink,
	.readdir = floor_readdir,
	.open = floor_open,
	.read = floor_read,
};

int main(int argc, char *argv[])
{
	g_autoptr(GError) error = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: %s TENANT.jsonl MOUNTPOINT [FUSE options]\n", argv[0]);
		return 2;
	}
	if (!floor_tree_load(&tree, argv[1], &error)) {
		fprintf(stderr, "floorfs: %s\n", error->message);
		return 1;
	}
	/* argv without the tenant file: fuse_main sees "floorfs MOUNTPOINT [options]". */
	argv[1] = argv[0];
	return fuse_main(argc - 1, argv + 1, &operations, NULL);
}
