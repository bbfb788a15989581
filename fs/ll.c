/* ll.c — the FUSE low-level operations: inodes to paths (inode.c), replies that carry how
 * long the kernel may keep them (attr.c decides), and the kernel's caches used:
 *
 *   entries, attributes  timeouts per reply, the object's TTL left (0 for control files)
 *   file pages           kept across opens (keep_cache) while the version is unchanged;
 *                        a new version in a reply drops them (FUSE_CAP_AUTO_INVAL_DATA)
 *   directory listings   kept (cache_readdir) where the directory's mtime moves with them
 *   ls -l                readdirplus: the entries come with their attributes
 *
 * FUSE_OPEN is still sent for every open: the kernel can only skip it for the whole
 * connection (FUSE_CAP_NO_OPEN_SUPPORT), and field, action and ctl files need one handle
 * per descriptor (a line is sent once, each writer reads its own result). A plain
 * read-only open is answered from memory with keep_cache and noflush, so a warm `cat` costs
 * the OPEN and an asynchronous RELEASE, nothing else.
 *
 * Every handler sets the thread's current request first (fs_current_req: the caller's
 * uid and pid, its interrupt) and clears it before replying, which frees the request.
 */
#include "fs/fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "fs/path.h"

/* What a plain entry of an inode the kernel does not hold shows as d_ino (libfuse's own
 * high-level API uses the same). */
#define UNKNOWN_INO 0xffffffff

static FsContext *begin(fuse_req_t req)
{
	fs_set_current_req(req);
	return fuse_req_userdata(req);
}

/* Requests about /.wksfs are not counted: reading the counters must not move them. */
static void count(FsContext *ctx, FsOp op, const char *path)
{
	if (path && !g_str_has_prefix(path, "/.wksfs"))
		__atomic_fetch_add(&ctx->ops[op], 1, __ATOMIC_RELAXED);
}

static void reply_err(fuse_req_t req, int rc)
{
	fs_set_current_req(NULL);
	fuse_reply_err(req, rc < 0 ? -rc : rc);
}

static char *child_path(const char *parent, const char *name)
{
	return strcmp(parent, "/") == 0 ? g_strconcat("/", name, NULL)
					: g_strconcat(parent, "/", name, NULL);
}

/* The path of parent/name; NULL (and *rc) when the parent is gone or the name too long. */
static char *path_of(FsContext *ctx, fuse_ino_t parent, const char *name, int *rc)
{
	g_autofree char *ppath = fs_inodes_path(ctx->inodes, parent);

	*rc = 0;
	if (!ppath) {
		*rc = -ENOENT;
		return NULL;
	}
	if (!name)
		return g_steal_pointer(&ppath);
	if (strlen(name) > 255) {
		*rc = -ENAMETOOLONG;
		return NULL;
	}
	return child_path(ppath, name);
}

/* fs_stat, and for a file a create made whose first value is not sent yet (ino, when the
 * kernel holds it), the attributes it has until then. */
static int stat_of(FsContext *ctx, fuse_ino_t ino, const char *path, FsStatMode mode,
		   struct stat *st, FsTimes *t)
{
	int rc = fs_stat(ctx, path, mode, st, t);

	if (rc == -ENOENT && ino && fs_inodes_created(ctx->inodes, ino)) {
		fs_stat_created(ctx, st);
		memset(t, 0, sizeof(*t));
		return 0;
	}
	return rc;
}

/* The entry for parent/name, its lookup count taken. */
static int make_entry(FsContext *ctx, fuse_ino_t parent, const char *name, const char *path,
		      FsStatMode mode, struct fuse_entry_param *e)
{
	struct stat st;
	FsTimes t;
	int rc = stat_of(ctx, fs_inodes_child(ctx->inodes, parent, name), path, mode, &st, &t);

	memset(e, 0, sizeof(*e));
	if (rc < 0)
		return rc;
	e->ino = fs_inodes_ref(ctx->inodes, parent, name);
	if (!e->ino)
		return -ENOENT;
	fs_inodes_set_version(ctx->inodes, e->ino, t.version);
	st.st_ino = e->ino;
	e->attr = st;
	e->attr_timeout = t.attr_s;
	e->entry_timeout = t.entry_s;
	return 0;
}

/* The entry of a file a create just made: empty, and the kernel asks again next time (its
 * value reaches the API when written). */
static int created_entry(FsContext *ctx, fuse_ino_t parent, const char *name,
			 struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	fs_stat_created(ctx, &e->attr);
	e->ino = fs_inodes_ref(ctx->inodes, parent, name);
	if (!e->ino)
		return -ENOENT;
	fs_inodes_set_version(ctx->inodes, e->ino, 0);
	e->attr.st_ino = e->ino;
	return 0;
}

static void ll_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	FsContext *ctx = begin(req);
	struct fuse_entry_param e;
	int rc;
	g_autofree char *path = path_of(ctx, parent, name, &rc);

	count(ctx, FS_OP_LOOKUP, path);
	if (path)
		rc = make_entry(ctx, parent, name, path, FS_STAT_FETCH, &e);
	if (rc < 0) {
		/* Not cached by the kernel (no negative entry): a new object shows at once. */
		reply_err(req, rc);
		return;
	}
	fs_set_current_req(NULL);
	if (fuse_reply_entry(req, &e) != 0)
		fs_inodes_forget(ctx->inodes, e.ino, 1);
}

static void ll_forget(fuse_req_t req, fuse_ino_t ino, uint64_t nlookup)
{
	FsContext *ctx = fuse_req_userdata(req);

	fs_inodes_forget(ctx->inodes, ino, nlookup);
	fuse_reply_none(req);
}

static void ll_forget_multi(fuse_req_t req, size_t count, struct fuse_forget_data *forgets)
{
	FsContext *ctx = fuse_req_userdata(req);

	for (size_t i = 0; i < count; i++)
		fs_inodes_forget(ctx->inodes, forgets[i].ino, forgets[i].nlookup);
	fuse_reply_none(req);
}

static void reply_stat(fuse_req_t req, FsContext *ctx, fuse_ino_t ino, const char *path,
		       struct fuse_file_info *fi, double max_attr_s)
{
	struct stat st;
	FsTimes t;
	int rc = stat_of(ctx, ino, path, FS_STAT_FETCH, &st, &t);
	gsize size;

	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	/* fstat() on an open file: the size of what this descriptor reads (its snapshot, or
	 * its own result once it wrote an action), kept by no cache. */
	if (fi && fi->fh && S_ISREG(st.st_mode) && fs_handle_size(fi, &size)) {
		st.st_size = (off_t)size;
		t.attr_s = 0;
	}
	fs_inodes_set_version(ctx->inodes, ino, t.version);
	st.st_ino = ino;
	fs_set_current_req(NULL);
	fuse_reply_attr(req, &st, MIN(t.attr_s, max_attr_s));
}

static void ll_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_GETATTR, path);
	if (!path) {
		reply_err(req, rc);
		return;
	}
	reply_stat(req, ctx, ino, path, fi, G_MAXDOUBLE);
}

/* chmod, chown: refused; truncate: a field write; touch: a no-op where one may write. */
static void ll_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int valid,
		       struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);
	const int times = FUSE_SET_ATTR_ATIME | FUSE_SET_ATTR_MTIME | FUSE_SET_ATTR_ATIME_NOW |
			  FUSE_SET_ATTR_MTIME_NOW;

	count(ctx, FS_OP_OTHER, path);
	if (!path) {
		reply_err(req, rc);
		return;
	}
	if (valid & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID))
		rc = fs_refused(path, -EPERM);
	if (rc == 0 && (valid & FUSE_SET_ATTR_SIZE))
		rc = fs_truncate(path, attr->st_size, fi);
	if (rc == 0 && (valid & times) && !(valid & FUSE_SET_ATTR_SIZE) &&
	    !fs_writable_file(ctx, path))
		rc = fs_refused(path, -EPERM);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	reply_stat(req, ctx, ino, path, fi, 0);
}

static void ll_readlink(fuse_req_t req, fuse_ino_t ino)
{
	FsContext *ctx = begin(req);
	g_autofree char *target = NULL;
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_OTHER, path);
	if (path)
		rc = fs_readlink(ctx, path, &target);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	fs_set_current_req(NULL);
	fuse_reply_readlink(req, target);
}

/* mknod, mkdir, symlink, link, rename, setxattr, removexattr: refused. */
static void refuse_at(fuse_req_t req, fuse_ino_t parent, const char *name, int err)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, parent, name, &rc);

	count(ctx, FS_OP_OTHER, path);
	reply_err(req, path ? fs_refused(path, err) : rc);
}

static void ll_mknod(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		     dev_t rdev)
{
	refuse_at(req, parent, name, -EACCES);
}

static void ll_mkdir(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode)
{
	refuse_at(req, parent, name, -EACCES);
}

/* A tag's file: the tag is deleted. Anything else is refused (fs_unlink). */
static void ll_unlink(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, parent, name, &rc);

	count(ctx, FS_OP_OTHER, path);
	reply_err(req, path ? fs_unlink(path) : rc);
}

static void ll_symlink(fuse_req_t req, const char *link, fuse_ino_t parent, const char *name)
{
	refuse_at(req, parent, name, -EACCES);
}

static void ll_link(fuse_req_t req, fuse_ino_t ino, fuse_ino_t newparent, const char *newname)
{
	refuse_at(req, newparent, newname, -EACCES);
}

static void ll_rename(fuse_req_t req, fuse_ino_t parent, const char *name,
		      fuse_ino_t newparent, const char *newname, unsigned int flags)
{
	refuse_at(req, parent, name, -EACCES);
}

static void ll_setxattr(fuse_req_t req, fuse_ino_t ino, const char *name, const char *value,
			size_t size, int flags)
{
	refuse_at(req, ino, NULL, -EPERM);
}

static void ll_removexattr(fuse_req_t req, fuse_ino_t ino, const char *name)
{
	refuse_at(req, ino, NULL, -EPERM);
}

static void ll_rmdir(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, parent, name, &rc);

	count(ctx, FS_OP_OTHER, path);
	reply_err(req, path ? fs_rmdir(path) : rc);
}

/* The kernel may keep a plain file's pages when the bytes it opens are the version the
 * kernel was told; otherwise (the object changed since the lookup) this descriptor reads
 * them directly and the kernel is told to refresh the inode. */
static void cache_policy(FsContext *ctx, fuse_ino_t ino, gint64 version,
			 struct fuse_file_info *fi)
{
	if (!version)
		return;
	if (version == fs_inodes_version(ctx->inodes, ino)) {
		fi->direct_io = 0;
		fi->keep_cache = 1;
		fi->noflush = 1;
	} else {
		fs_forget_later(ctx, ino);
	}
}

static void ll_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	gint64 version = 0;
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_OPEN, path);
	if (path)
		rc = fs_open(path, fi, &version);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	cache_policy(ctx, ino, version, fi);
	fs_set_current_req(NULL);
	if (fuse_reply_open(req, fi) != 0)
		fs_release(ctx, fi);	/* the open was interrupted: nobody holds it */
}

static void ll_create(fuse_req_t req, fuse_ino_t parent, const char *name, mode_t mode,
		      struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	struct fuse_entry_param e;
	gboolean created = FALSE;
	gint64 version = 0;
	int rc;
	g_autofree char *path = path_of(ctx, parent, name, &rc);

	count(ctx, FS_OP_OTHER, path);
	if (!path) {
		reply_err(req, rc);
		return;
	}
	/* open(O_CREAT) of a name the kernel did not know: one that exists opens as usual, a
	 * new one is made where the tree takes one (a tag), else refused. */
	rc = fs_open(path, fi, &version);
	/* fs_open names a directory or a link from the path alone: one that is not there is
	 * a new name, which nothing here takes (`touch users/x` is EACCES, not EISDIR). */
	if (rc == -EISDIR || rc == -ELOOP) {
		struct stat st;
		FsTimes t;

		if (fs_stat(ctx, path, FS_STAT_FETCH, &st, &t) == -ENOENT)
			rc = -ENOENT;
	}
	if (rc == -ENOENT) {
		rc = fs_create(path, fi);
		if (rc == 0)
			created = TRUE;
		else if (rc == -ENOENT)
			rc = fs_refused(path, -EACCES);
	} else if (rc == 0 && (fi->flags & O_EXCL)) {
		rc = -EEXIST;
	}
	if (rc == 0 && created)
		rc = created_entry(ctx, parent, name, &e);
	else if (rc == 0)
		rc = make_entry(ctx, parent, name, path, FS_STAT_FETCH, &e);
	if (rc < 0) {
		if (fi->fh)
			fs_release(ctx, fi);
		reply_err(req, rc);
		return;
	}
	if (created)
		fs_handle_created(ctx, fi, e.ino);
	fs_set_current_req(NULL);
	if (fuse_reply_create(req, &e, fi) != 0) {
		fs_release(ctx, fi);
		fs_inodes_forget(ctx->inodes, e.ino, 1);
	}
}

static void ll_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	g_autoptr(GBytes) bytes = NULL;
	gsize len = 0;
	const void *data;
	int rc;

	count(ctx, FS_OP_READ, fs_handle_path(fi));
	rc = fs_read(fi, size, off, &bytes);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	data = g_bytes_get_data(bytes, &len);
	fs_set_current_req(NULL);
	fuse_reply_buf(req, data, len);
}

static void ll_write(fuse_req_t req, fuse_ino_t ino, const char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_OTHER, path);
	if (path)
		rc = fs_write(path, buf, size, fi);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	fs_set_current_req(NULL);
	fuse_reply_write(req, (size_t)rc);
}

static void ll_flush(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_OTHER, path);
	reply_err(req, path ? fs_flush(path, fi) : 0);
}

static void ll_release(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);

	count(ctx, FS_OP_OTHER, fs_handle_path(fi));
	fs_release(ctx, fi);
	reply_err(req, 0);
}

/* A directory handle: the entries, listed when the kernel first reads them (a warm `ls`
 * is answered from the kernel's cache and never reads). */
typedef struct {
	char *path;
	GMutex lock;
	GArray *entries;	/* FsDirent, NULL until the first read at offset 0 */
} DirHandle;

static void dir_free(gpointer data)
{
	DirHandle *d = data;

	g_free(d->path);
	fs_dirents_free(d->entries);
	g_mutex_clear(&d->lock);
	g_free(d);
}

static void ll_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	gboolean cacheable = FALSE;
	gint64 version = 0;
	DirHandle *d;
	int rc;
	g_autofree char *path = path_of(ctx, ino, NULL, &rc);

	count(ctx, FS_OP_OTHER, path);
	if (path)
		rc = fs_dir_check(ctx, path, &cacheable, &version);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	d = g_new0(DirHandle, 1);
	d->path = g_steal_pointer(&path);
	g_mutex_init(&d->lock);
	fs_handle_track(ctx, d, dir_free);
	fi->fh = (uint64_t)(uintptr_t)d;
	/* The kernel may fill its copy of the listing; it keeps the copy it has only while
	 * that is the version cached and fresh here now (as DAOS's dfuse decides). */
	fi->cache_readdir = cacheable;
	fi->keep_cache = cacheable && version && version == fs_inodes_listed(ctx->inodes, ino);
	fs_set_current_req(NULL);
	if (fuse_reply_open(req, fi) != 0) {
		fs_handle_untrack(ctx, d);
		dir_free(d);
	}
}

static void ll_releasedir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	FsContext *ctx = begin(req);
	DirHandle *d = (DirHandle *)(uintptr_t)fi->fh;

	count(ctx, FS_OP_OTHER, d->path);
	fs_handle_untrack(ctx, d);
	dir_free(d);
	reply_err(req, 0);
}

/* The inode number a plain entry shows (d_ino): the kernel's, when it holds one. */
static fuse_ino_t shown_ino(FsContext *ctx, const FsDirent *de, fuse_ino_t dir_ino)
{
	fuse_ino_t ino;

	if (strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0)
		return dir_ino;
	ino = fs_inodes_child(ctx->inodes, dir_ino, de->name);
	return ino ? ino : UNKNOWN_INO;
}

static void do_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi, gboolean plus)
{
	FsContext *ctx = begin(req);
	DirHandle *d = (DirHandle *)(uintptr_t)fi->fh;
	g_autofree char *buf = g_malloc(size);
	size_t used = 0;
	int rc = 0;

	count(ctx, FS_OP_READDIR, d->path);
	g_mutex_lock(&d->lock);
	/* Offset 0 is a fresh start (opendir, rewinddir): the listing is taken now. */
	if (off == 0 || !d->entries) {
		gint64 version = 0;

		g_clear_pointer(&d->entries, fs_dirents_free);
		rc = fs_list(ctx, d->path, &d->entries, &version);
		if (rc == 0)
			fs_inodes_set_listed(ctx->inodes, ino, version);
	}
	for (guint i = (guint)MAX(off, 0); rc == 0 && i < d->entries->len; i++) {
		const FsDirent *de = &g_array_index(d->entries, FsDirent, i);
		size_t need;

		if (!plus) {
			struct stat st = { .st_mode = de->type,
					   .st_ino = shown_ino(ctx, de, ino) };

			need = fuse_add_direntry(req, buf + used, size - used, de->name, &st,
						 i + 1);
		} else {
			struct fuse_entry_param e = { 0 };
			gboolean dot = strcmp(de->name, ".") == 0 || strcmp(de->name, "..") == 0;
			g_autofree char *path = dot ? NULL : child_path(d->path, de->name);

			need = fuse_add_direntry_plus(req, NULL, 0, de->name, NULL, 0);
			if (used + need > size)
				break;
			/* An entry without its attributes (ino 0) when they are not at hand;
			 * the kernel looks it up when it needs it. */
			if (dot || make_entry(ctx, ino, de->name, path, FS_STAT_PEEK, &e) < 0) {
				memset(&e, 0, sizeof(e));
				e.attr.st_mode = de->type;
				e.attr.st_ino = shown_ino(ctx, de, ino);
			}
			need = fuse_add_direntry_plus(req, buf + used, size - used, de->name, &e,
						      i + 1);
		}
		if (used + need > size)
			break;
		used += need;
	}
	g_mutex_unlock(&d->lock);
	if (rc < 0) {
		reply_err(req, rc);
		return;
	}
	fs_set_current_req(NULL);
	fuse_reply_buf(req, buf, used);
}

static void ll_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, FALSE);
}

static void ll_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	do_readdir(req, ino, size, off, fi, TRUE);
}

static void ll_init(void *data, struct fuse_conn_info *conn)
{
	/* open() sees O_TRUNC itself, so `echo x > email` starts an empty buffer instead of a
	 * separate truncate() racing the handle. */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	/* A reply with a new mtime drops the file's kept pages: what makes keep_cache exact. */
	if (conn->capable & FUSE_CAP_AUTO_INVAL_DATA)
		conn->want |= FUSE_CAP_AUTO_INVAL_DATA;
	/* Every readdir is a readdirplus, not only the first of a directory (the kernel's
	 * "auto" mode): a glob such as desktops/ * /status then finds each desktop already
	 * known instead of looking 10^4 of them up, for a few more (fuller) readdir replies. */
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	if (conn->capable & FUSE_CAP_CACHE_SYMLINKS)
		conn->want |= FUSE_CAP_CACHE_SYMLINKS;
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
}

/* libfuse calls this from fuse_session_destroy(): too late for the notifier, which serve()
 * stops first (fs_context_stop). This only makes sure of it. */
static void ll_destroy(void *data)
{
	fs_context_stop(data);
}

static const struct fuse_lowlevel_ops operations = {
	.init = ll_init,
	.destroy = ll_destroy,
	.lookup = ll_lookup,
	.forget = ll_forget,
	.forget_multi = ll_forget_multi,
	.getattr = ll_getattr,
	.setattr = ll_setattr,
	.readlink = ll_readlink,
	.mknod = ll_mknod,
	.mkdir = ll_mkdir,
	.unlink = ll_unlink,
	.rmdir = ll_rmdir,
	.symlink = ll_symlink,
	.rename = ll_rename,
	.link = ll_link,
	.open = ll_open,
	.read = ll_read,
	.write = ll_write,
	.flush = ll_flush,
	.release = ll_release,
	.opendir = ll_opendir,
	.readdir = ll_readdir,
	.readdirplus = ll_readdirplus,
	.releasedir = ll_releasedir,
	.setxattr = ll_setxattr,
	.removexattr = ll_removexattr,
	.create = ll_create,
};

const struct fuse_lowlevel_ops *fs_operations(void)
{
	return &operations;
}
