/* fs.c — the FUSE operations. FUSE only: a path becomes a node (path.c), a node's data comes
 * from src/api.h, and files are rendered by render.c. It never calls curl or the cache.
 *
 *   /
 *   ├── .wksfs/            version endpoint project_id errors
 *   ├── desktops/<desktop_id>/
 *   │       <field> ... <field>.json   info.json   action
 *   └── users/<user_name>/
 *           <field> ... email phone    info.json   action
 *
 * Files: read-only files snapshot their bytes at open, so one read sequence sees one
 * version and st_size is what read returns. Field files buffer writes per open file and
 * send one request at flush. Action files run one command per write() and return its error
 * from write(). Every file is direct_io: the kernel never serves a stale page.
 */
#include "fs/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs-private.h"
#include "fs/path.h"
#include "fs/render.h"

#define MAX_FIELD_WRITE (64 * 1024)

typedef enum {
	HANDLE_SNAPSHOT,	/* read-only bytes fixed at open */
	HANDLE_FIELD,		/* buffered write, committed at flush */
	HANDLE_ACTION,		/* each write is a command for the object's action */
	HANDLE_META_COMMAND,	/* each write is a command for /.wksfs/ctl */
} HandleType;

typedef struct {
	HandleType type;
	FsPath *path;
	const ResKind *kind;
	const ResField *field;
	GBytes *snapshot;
	GByteArray *buf;
	gboolean dirty;
	GMutex lock;		/* guards buf and dirty: writes and flushes may race */
} FsHandle;

/* From the API layer, on any thread: queue the kernel invalidations, nothing more. */
static void on_invalidate(const ResKind *kind, const char *name, gpointer data)
{
	FsContext *ctx = data;
	g_autofree char *esc = name ? fs_escape_name(name) : NULL;
	int k = res_kind_index(kind);

	/* Queueing never blocks; the lock keeps the notifier alive meanwhile (fs_destroy). */
	g_mutex_lock(&ctx->lock);
	if (!ctx->notifier) {
		g_mutex_unlock(&ctx->lock);
		return;
	}
	fs_notifier_queue(ctx->notifier, g_strconcat("/", kind->dir, NULL));
	if (esc)
		fs_notifier_queue(ctx->notifier, g_strconcat("/", kind->dir, "/", esc, NULL));
	if (esc && k >= 0 && k < API_MAX_KINDS && ctx->seen_files[k]) {
		GHashTableIter it;
		gpointer file;

		g_hash_table_iter_init(&it, ctx->seen_files[k]);
		while (g_hash_table_iter_next(&it, &file, NULL))
			fs_notifier_queue(ctx->notifier,
					  g_strconcat("/", kind->dir, "/", esc, "/", file, NULL));
	}
	g_mutex_unlock(&ctx->lock);
}

FsContext *fs_context_new(ApiClient *api)
{
	FsContext *ctx = g_new0(FsContext, 1);

	ctx->api = api;
	ctx->uid = getuid();
	ctx->gid = getgid();
	ctx->started = time(NULL);
	g_mutex_init(&ctx->lock);
	api_set_invalidate_func(api, on_invalidate, ctx);
	return ctx;
}

void fs_context_free(FsContext *ctx)
{
	if (!ctx)
		return;
	fs_notifier_stop(g_steal_pointer(&ctx->notifier));
	api_free(ctx->api);
	for (int i = 0; i < API_MAX_KINDS; i++)
		g_clear_pointer(&ctx->seen_files[i], g_hash_table_destroy);
	g_mutex_clear(&ctx->lock);
	g_free(ctx);
}

/* Remembers the file names of a kind, for invalidations (see on_invalidate). */
static void remember_files(FsContext *ctx, const ResKind *kind, GPtrArray *files)
{
	int k = res_kind_index(kind);

	if (k < 0 || k >= API_MAX_KINDS)
		return;
	g_mutex_lock(&ctx->lock);
	if (!ctx->seen_files[k])
		ctx->seen_files[k] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	/* Bounded: a hostile API inventing new field names per object stops adding here. */
	for (guint i = 0; i < files->len && g_hash_table_size(ctx->seen_files[k]) < 512; i++) {
		const char *name = ((FsFile *)files->pdata[i])->name;

		if (!g_hash_table_contains(ctx->seen_files[k], name))
			g_hash_table_add(ctx->seen_files[k], fs_escape_name(name));
	}
	g_mutex_unlock(&ctx->lock);
}

static FsContext *context(void)
{
	return fuse_get_context()->private_data;
}

static void handle_free(FsHandle *h)
{
	if (!h)
		return;
	fs_path_free(h->path);
	g_clear_pointer(&h->snapshot, g_bytes_unref);
	g_clear_pointer(&h->buf, g_byte_array_unref);
	g_mutex_clear(&h->lock);
	g_free(h);
}

static void fill_dir(FsContext *ctx, struct stat *st, time_t mtime, mode_t mode)
{
	st->st_mode = S_IFDIR | mode;
	st->st_nlink = 2;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_mtime = st->st_ctime = st->st_atime = mtime;
}

static void fill_file(FsContext *ctx, struct stat *st, time_t mtime, mode_t mode, gsize size)
{
	st->st_mode = S_IFREG | mode;
	st->st_nlink = 1;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_mtime = st->st_ctime = st->st_atime = mtime;
}

/* The rendered files of an object, or -errno. */
static int object_files(FsContext *ctx, const ResKind *kind, const char *name,
			GPtrArray **ret_files, gint64 *ret_mtime)
{
	g_autoptr(GBytes) json = NULL;
	int rc = api_get(ctx->api, kind, name, &json, ret_mtime);

	if (rc < 0)
		return rc;
	*ret_files = render_object(kind, json);
	if (!*ret_files)
		return -EIO;
	remember_files(ctx, kind, *ret_files);
	return 0;
}

static FsHandle *handle_of(struct fuse_file_info *fi)
{
	return (FsHandle *)(uintptr_t)fi->fh;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	FsContext *ctx = context();
	g_autoptr(FsPath) p = NULL;
	g_autoptr(GPtrArray) files = NULL;
	const ResKind *kind = NULL;
	gint64 mtime = ctx->started;
	int rc = fs_path_parse(path, &p);

	if (rc < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	if (p->kind && !(kind = res_kind_lookup(p->kind)))
		return -ENOENT;

	/* fstat() on an open file: the size of what this descriptor reads. */
	if (fi && fi->fh && handle_of(fi)->type == HANDLE_SNAPSHOT &&
	    p->type == FS_NODE_OBJECT_FILE) {
		FsHandle *h = handle_of(fi);

		rc = object_files(ctx, kind, p->name, &files, &mtime);
		fill_file(ctx, st, rc < 0 ? time(NULL) : mtime,
			  strcmp(p->file, "action") == 0 ? 0644 : 0444,
			  g_bytes_get_size(h->snapshot));
		return 0;
	}

	switch (p->type) {
	case FS_NODE_ROOT:
	case FS_NODE_META_DIR:
	case FS_NODE_KIND_DIR:
		fill_dir(ctx, st, ctx->started, 0555);
		return 0;
	case FS_NODE_META_FILE: {
		g_autoptr(GBytes) b = NULL;

		if (fs_meta_is_dir(p->file)) {
			fill_dir(ctx, st, ctx->started, 0555);
			return 0;
		}
		b = fs_meta_content(ctx, p->file);
		if (!b)
			return -ENOENT;
		fill_file(ctx, st, time(NULL), fs_meta_is_command(p->file) ? 0644 : 0444,
			  g_bytes_get_size(b));
		return 0;
	}
	case FS_NODE_OBJECT_DIR: {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, kind, p->name, &json, &mtime);
		if (rc < 0)
			return rc;
		fill_dir(ctx, st, mtime, 0755);
		return 0;
	}
	case FS_NODE_OBJECT_FILE:
		break;
	}

	rc = object_files(ctx, kind, p->name, &files, &mtime);
	if (rc < 0)
		return rc;
	if (strcmp(p->file, "action") == 0 && kind->action) {
		g_autofree char *res = api_last_result(ctx->api, kind, p->name);

		fill_file(ctx, st, mtime, 0644, strlen(res));
		return 0;
	}
	FsFile *f = render_find(files, p->file);
	if (!f)
		return -ENOENT;
	fill_file(ctx, st, mtime, f->writable ? 0644 : 0444, g_bytes_get_size(f->content));
	return 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	FsContext *ctx = context();
	g_autoptr(FsPath) p = NULL;
	const ResKind *kind = NULL;
	int rc = fs_path_parse(path, &p);

	if (rc < 0)
		return rc;
	if (p->kind && !(kind = res_kind_lookup(p->kind)))
		return -ENOENT;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);

	switch (p->type) {
	case FS_NODE_ROOT:
		filler(buf, ".wksfs", NULL, 0, 0);
		for (int i = 0; res_kinds[i]; i++)
			filler(buf, res_kinds[i]->dir, NULL, 0, 0);
		return 0;
	case FS_NODE_META_DIR:
	case FS_NODE_META_FILE: {
		g_autoptr(GPtrArray) names = fs_meta_list(p->file);

		if (!names)
			return -ENOTDIR;
		for (guint i = 0; i < names->len; i++)
			filler(buf, names->pdata[i], NULL, 0, 0);
		return 0;
	}
	case FS_NODE_KIND_DIR: {
		g_autoptr(GPtrArray) names = NULL;

		rc = api_list(ctx->api, kind, &names, NULL);
		if (rc < 0)
			return rc;
		for (guint i = 0; i < names->len; i++) {
			g_autofree char *esc = fs_escape_name(names->pdata[i]);

			if (esc)
				filler(buf, esc, NULL, 0, 0);
		}
		return 0;
	}
	case FS_NODE_OBJECT_DIR: {
		g_autoptr(GPtrArray) files = NULL;

		rc = object_files(ctx, kind, p->name, &files, NULL);
		if (rc < 0)
			return rc;
		for (guint i = 0; i < files->len; i++) {
			g_autofree char *esc = fs_escape_name(((FsFile *)files->pdata[i])->name);

			if (esc)
				filler(buf, esc, NULL, 0, 0);
		}
		if (kind->action)
			filler(buf, "action", NULL, 0, 0);
		return 0;
	}
	default:
		return -ENOTDIR;
	}
}

static FsHandle *handle_new(HandleType type, FsPath *path, const ResKind *kind)
{
	FsHandle *h = g_new0(FsHandle, 1);

	h->type = type;
	h->path = path;
	h->kind = kind;
	g_mutex_init(&h->lock);
	return h;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	FsContext *ctx = context();
	g_autoptr(FsPath) p = NULL;
	g_autoptr(GPtrArray) files = NULL;
	gboolean writing = (fi->flags & O_ACCMODE) != O_RDONLY;
	const ResKind *kind = NULL;
	FsHandle *h;
	FsFile *f;
	int rc = fs_path_parse(path, &p);

	if (rc < 0)
		return rc;
	if (p->kind && !(kind = res_kind_lookup(p->kind)))
		return -ENOENT;
	fi->direct_io = 1;

	if (p->type == FS_NODE_META_FILE && !fs_meta_is_dir(p->file)) {
		GBytes *b = fs_meta_content(ctx, p->file);

		if (!b)
			return -ENOENT;
		if (writing && !fs_meta_is_command(p->file)) {
			g_bytes_unref(b);
			return -EACCES;
		}
		h = handle_new(writing ? HANDLE_META_COMMAND : HANDLE_SNAPSHOT,
			       g_steal_pointer(&p), NULL);
		if (writing)
			g_bytes_unref(b);
		else
			h->snapshot = b;
		fi->fh = (uint64_t)(uintptr_t)h;
		return 0;
	}
	if (p->type != FS_NODE_OBJECT_FILE)
		return -EISDIR;

	rc = object_files(ctx, kind, p->name, &files, NULL);
	if (rc < 0)
		return rc;

	if (strcmp(p->file, "action") == 0 && kind->action) {
		if (writing) {
			h = handle_new(HANDLE_ACTION, g_steal_pointer(&p), kind);
		} else {
			g_autofree char *res = api_last_result(ctx->api, kind, p->name);

			h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&p), kind);
			h->snapshot = g_bytes_new(res, strlen(res));
		}
		fi->fh = (uint64_t)(uintptr_t)h;
		return 0;
	}

	f = render_find(files, p->file);
	if (!f)
		return -ENOENT;
	if (writing && !f->writable)
		return -EACCES;
	if (writing) {
		const ResField *field = res_field_for_file(kind, p->file);

		h = handle_new(HANDLE_FIELD, g_steal_pointer(&p), kind);
		h->field = field;
		h->buf = g_byte_array_new();
		if (!(fi->flags & O_TRUNC)) {
			gsize len = 0;
			const guint8 *d = g_bytes_get_data(f->content, &len);

			g_byte_array_append(h->buf, d, len);
		}
	} else {
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&p), kind);
		h->snapshot = g_bytes_ref(f->content);
	}
	fi->fh = (uint64_t)(uintptr_t)h;
	return 0;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	FsHandle *h = handle_of(fi);
	const guint8 *data;
	gsize len = 0;

	if (h->type == HANDLE_ACTION || h->type == HANDLE_META_COMMAND)
		return -EBADF;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);
	if (h->type == HANDLE_FIELD) {
		data = h->buf->data;
		len = h->buf->len;
	} else {
		data = g_bytes_get_data(h->snapshot, &len);
	}
	if (off < 0 || (gsize)off >= len)
		return 0;
	size = MIN(size, len - (gsize)off);
	memcpy(buf, data + off, size);
	return (int)size;
}

static int fs_write(const char *path, const char *data, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	FsContext *ctx = context();
	FsHandle *h = handle_of(fi);
	int rc;

	switch (h->type) {
	case HANDLE_ACTION:
		rc = api_action(ctx->api, h->kind, h->path->name, data, size);
		return rc < 0 ? rc : (int)size;
	case HANDLE_META_COMMAND:
		rc = fs_meta_command(ctx, h->path->file, data, size);
		return rc < 0 ? rc : (int)size;
	case HANDLE_FIELD: {
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);

		if (off < 0 || (gsize)off + size > MAX_FIELD_WRITE)
			return -EFBIG;
		if (h->buf->len < (gsize)off + size)
			g_byte_array_set_size(h->buf, (guint)(off + size));
		memcpy(h->buf->data + off, data, size);
		h->dirty = TRUE;
		return (int)size;
	}
	default:
		return -EBADF;
	}
}

static int fs_flush(const char *path, struct fuse_file_info *fi)
{
	FsContext *ctx = context();
	FsHandle *h = handle_of(fi);
	g_autoptr(GByteArray) value = NULL;

	if (h->type != HANDLE_FIELD)
		return 0;
	/* Commit once: a dup'ed descriptor flushes again, with nothing new to send. */
	g_mutex_lock(&h->lock);
	if (h->dirty) {
		value = g_byte_array_new();
		g_byte_array_append(value, h->buf->data, h->buf->len);
		h->dirty = FALSE;
	}
	g_mutex_unlock(&h->lock);
	if (!value)
		return 0;
	return api_set_field(ctx->api, h->kind, h->path->name, h->field,
			     (const char *)value->data, value->len);
}

static int fs_release(const char *path, struct fuse_file_info *fi)
{
	handle_free(handle_of(fi));
	return 0;
}

static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	FsContext *ctx = context();
	g_autoptr(FsPath) p = NULL;
	const ResKind *kind;
	int rc = fs_path_parse(path, &p);

	if (rc < 0)
		return rc;
	if (p->type == FS_NODE_META_FILE && fs_meta_is_command(p->file))
		return 0;
	if (p->type != FS_NODE_OBJECT_FILE || !(kind = res_kind_lookup(p->kind)))
		return p->type == FS_NODE_OBJECT_FILE ? -ENOENT : -EACCES;
	/* Command files take `>` redirections: truncating them means nothing. */
	if (strcmp(p->file, "action") == 0 && kind->action)
		return 0;
	if (!res_field_for_file(kind, p->file))
		return -EACCES;
	if (fi && handle_of(fi)->type == HANDLE_FIELD) {
		FsHandle *h = handle_of(fi);
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);

		if (size < 0 || size > MAX_FIELD_WRITE)
			return -EFBIG;
		g_byte_array_set_size(h->buf, (guint)size);
		h->dirty = TRUE;
		return 0;
	}
	(void)ctx;
	/* A truncate without an open handle would need a write to follow; alone it changes
	 * nothing in the cloud. */
	return 0;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	/* open() then sees O_TRUNC itself, so `echo x > email` starts an empty buffer instead
	 * of a separate truncate() racing the handle. */
	if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC)
		conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
	cfg->nullpath_ok = 0;
	cfg->hard_remove = 1;
	/* Threads start here, after the daemon forked. */
	FsContext *ctx = fuse_get_context()->private_data;
	FsNotifier *n = fs_notifier_start(fuse_get_context()->fuse);

	g_mutex_lock(&ctx->lock);
	ctx->notifier = n;
	g_mutex_unlock(&ctx->lock);
	return ctx;
}

static void fs_destroy(void *data)
{
	FsContext *ctx = data;
	FsNotifier *n;

	g_mutex_lock(&ctx->lock);
	n = g_steal_pointer(&ctx->notifier);
	g_mutex_unlock(&ctx->lock);
	fs_notifier_stop(n);
}

static const struct fuse_operations operations = {
	.init = fs_init,
	.destroy = fs_destroy,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
	.write = fs_write,
	.flush = fs_flush,
	.release = fs_release,
	.truncate = fs_truncate,
};

const struct fuse_operations *fs_operations(void)
{
	return &operations;
}
