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

#include "fs/path.h"
#include "fs/render.h"

#define MAX_FIELD_WRITE (64 * 1024)

struct FsContext {
	ApiClient *api;
	uid_t uid;
	gid_t gid;
	time_t started;
};

typedef enum {
	HANDLE_SNAPSHOT,	/* read-only bytes fixed at open */
	HANDLE_FIELD,		/* buffered write, committed at flush */
	HANDLE_ACTION,		/* each write is a command */
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

static const char *const meta_files[] = { "version", "endpoint", "project_id", "errors", NULL };

FsContext *fs_context_new(ApiClient *api)
{
	FsContext *ctx = g_new0(FsContext, 1);

	ctx->api = api;
	ctx->uid = getuid();
	ctx->gid = getgid();
	ctx->started = time(NULL);
	return ctx;
}

void fs_context_free(FsContext *ctx)
{
	if (!ctx)
		return;
	api_free(ctx->api);
	g_free(ctx);
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

static GBytes *meta_content(FsContext *ctx, const char *file)
{
	char *text = NULL;

	if (strcmp(file, "version") == 0)
		text = g_strdup(WKSFS_VERSION "\n");
	else if (strcmp(file, "endpoint") == 0)
		text = g_strdup_printf("%s\n", api_endpoint(ctx->api));
	else if (strcmp(file, "project_id") == 0)
		text = g_strdup_printf("%s\n", api_project_id(ctx->api));
	else if (strcmp(file, "errors") == 0)
		text = api_errors_text(ctx->api);
	return text ? g_bytes_new_take(text, strlen(text)) : NULL;
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
	return *ret_files ? 0 : -EIO;
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

	switch (p->type) {
	case FS_NODE_ROOT:
	case FS_NODE_META_DIR:
	case FS_NODE_KIND_DIR:
		fill_dir(ctx, st, ctx->started, 0555);
		return 0;
	case FS_NODE_META_FILE: {
		g_autoptr(GBytes) b = meta_content(ctx, p->file);

		if (!b)
			return -ENOENT;
		fill_file(ctx, st, time(NULL), 0444, g_bytes_get_size(b));
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
		for (int i = 0; meta_files[i]; i++)
			filler(buf, meta_files[i], NULL, 0, 0);
		return 0;
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

	if (p->type == FS_NODE_META_FILE) {
		GBytes *b = meta_content(ctx, p->file);

		if (!b)
			return -ENOENT;
		if (writing) {
			g_bytes_unref(b);
			return -EACCES;
		}
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&p), NULL);
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

static FsHandle *handle_of(struct fuse_file_info *fi)
{
	return (FsHandle *)(uintptr_t)fi->fh;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	FsHandle *h = handle_of(fi);
	const guint8 *data;
	gsize len = 0;

	if (h->type == HANDLE_ACTION)
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
	return fuse_get_context()->private_data;
}

static const struct fuse_operations operations = {
	.init = fs_init,
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
