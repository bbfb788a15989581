/* inode.c — the low-level API names files by inode: this table maps the numbers the kernel
 * holds to the paths the rest of fs/ resolves (fs_node_resolve), and counts the kernel's
 * lookups so that an inode lives exactly as long as the kernel remembers it.
 *
 * A tree: each inode knows its parent and its children by name, so a lookup is one hash
 * probe in its directory and an invalidation can walk everything below an object. Paths
 * never change here (nothing is renamed), so each inode keeps its path.
 */
#include "fs/inode.h"

#include <string.h>

typedef struct Inode Inode;
struct Inode {
	fuse_ino_t ino;
	guint64 nlookup;
	gint64 version;
	gint64 listed;
	guint created;		/* descriptors a create opened on it, their value not sent */
	Inode *parent;
	GHashTable *children;	/* name -> Inode*, NULL while none */
	char *path;
	const char *name;	/* the last segment, inside path */
};

struct FsInodes {
	GMutex lock;
	GHashTable *by_ino;	/* &ino -> Inode* */
	Inode *root;
	fuse_ino_t next;
};

static Inode *inode_new(FsInodes *t, Inode *parent, const char *name)
{
	Inode *n = g_new0(Inode, 1);

	n->ino = t->next++;
	n->parent = parent;
	if (!parent) {
		n->path = g_strdup("/");
		n->name = n->path;
	} else {
		n->path = parent == t->root ? g_strconcat("/", name, NULL)
					    : g_strconcat(parent->path, "/", name, NULL);
		n->name = n->path + strlen(n->path) - strlen(name);
		if (!parent->children)
			parent->children = g_hash_table_new(g_str_hash, g_str_equal);
		g_hash_table_insert(parent->children, (char *)n->name, n);
	}
	g_hash_table_insert(t->by_ino, &n->ino, n);
	return n;
}

static void inode_free(Inode *n)
{
	if (n->children)
		g_hash_table_destroy(n->children);
	g_free(n->path);
	g_free(n);
}

FsInodes *fs_inodes_new(void)
{
	FsInodes *t = g_new0(FsInodes, 1);

	g_mutex_init(&t->lock);
	t->by_ino = g_hash_table_new(g_int64_hash, g_int64_equal);
	t->next = FUSE_ROOT_ID;
	t->root = inode_new(t, NULL, NULL);
	t->root->nlookup = 1;	/* the kernel never forgets the root */
	return t;
}

void fs_inodes_free(FsInodes *t)
{
	GHashTableIter it;
	gpointer n;

	if (!t)
		return;
	g_hash_table_iter_init(&it, t->by_ino);
	while (g_hash_table_iter_next(&it, NULL, &n))
		inode_free(n);
	g_hash_table_destroy(t->by_ino);
	g_mutex_clear(&t->lock);
	g_free(t);
}

static Inode *get(FsInodes *t, fuse_ino_t ino)
{
	guint64 key = ino;

	return g_hash_table_lookup(t->by_ino, &key);
}

char *fs_inodes_path(FsInodes *t, fuse_ino_t ino)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	return n ? g_strdup(n->path) : NULL;
}

fuse_ino_t fs_inodes_ref(FsInodes *t, fuse_ino_t parent, const char *name)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *p = get(t, parent), *n;

	if (!p)
		return 0;
	n = p->children ? g_hash_table_lookup(p->children, name) : NULL;
	if (!n)
		n = inode_new(t, p, name);
	n->nlookup++;
	return n->ino;
}

fuse_ino_t fs_inodes_child(FsInodes *t, fuse_ino_t parent, const char *name)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *p = get(t, parent);
	Inode *n = p && p->children ? g_hash_table_lookup(p->children, name) : NULL;

	return n ? n->ino : 0;
}

fuse_ino_t fs_inodes_find(FsInodes *t, const char *path)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	g_auto(GStrv) parts = g_strsplit(path, "/", -1);
	Inode *n = t->root;

	for (int i = 0; parts[i] && n; i++) {
		if (!parts[i][0])
			continue;
		n = n->children ? g_hash_table_lookup(n->children, parts[i]) : NULL;
	}
	return n ? n->ino : 0;
}

/* Frees n once neither the kernel nor a child holds it, then its parent likewise. */
static void release(FsInodes *t, Inode *n)
{
	while (n && n != t->root && n->nlookup == 0 &&
	       (!n->children || g_hash_table_size(n->children) == 0)) {
		Inode *parent = n->parent;

		g_hash_table_remove(parent->children, n->name);
		g_hash_table_remove(t->by_ino, &n->ino);
		inode_free(n);
		n = parent;
	}
}

void fs_inodes_forget(FsInodes *t, fuse_ino_t ino, guint64 count)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	if (!n || n == t->root)
		return;
	n->nlookup = count >= n->nlookup ? 0 : n->nlookup - count;
	release(t, n);
}

static void collect(Inode *n, GArray *out)
{
	GHashTableIter it;
	gpointer child;

	g_array_append_val(out, n->ino);
	if (!n->children)
		return;
	g_hash_table_iter_init(&it, n->children);
	while (g_hash_table_iter_next(&it, NULL, &child))
		collect(child, out);
}

void fs_inodes_subtree(FsInodes *t, fuse_ino_t ino, GArray *out)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	if (n)
		collect(n, out);
}

void fs_inodes_set_version(FsInodes *t, fuse_ino_t ino, gint64 version)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	if (n)
		n->version = version;
}

gint64 fs_inodes_version(FsInodes *t, fuse_ino_t ino)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	return n ? n->version : 0;
}

void fs_inodes_add_created(FsInodes *t, fuse_ino_t ino, int delta)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	if (n && (delta > 0 || n->created > 0))
		n->created += delta;
}

gboolean fs_inodes_created(FsInodes *t, fuse_ino_t ino)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	return n && n->created > 0;
}

void fs_inodes_set_listed(FsInodes *t, fuse_ino_t ino, gint64 version)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	if (n)
		n->listed = version;
}

gint64 fs_inodes_listed(FsInodes *t, fuse_ino_t ino)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);
	Inode *n = get(t, ino);

	return n ? n->listed : 0;
}

guint fs_inodes_count(FsInodes *t)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&t->lock);

	return g_hash_table_size(t->by_ino);
}
