/* files.c — open files: what a descriptor reads and what its writes do.
 *
 *   read-only files    the rendered bytes are snapshotted at open: one read sequence sees
 *                      one version, and fstat() gives exactly their size
 *   field files        writes are buffered per descriptor and sent once, at flush; the
 *                      error comes back from close()
 *   action, ctl        each write() is one command, run before write returns
 *   wait               the first read blocks until the job ends (or -o wait_timeout)
 *
 * Every file is direct_io: the kernel never serves a stale page. FUSE only; the API is
 * reached through src/api.h.
 */
#include "fs/fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "fs/node.h"
#include "fs/render.h"

#define MAX_FIELD_WRITE (64 * 1024)

typedef enum {
	HANDLE_SNAPSHOT,	/* read-only bytes fixed at open */
	HANDLE_FIELD,		/* buffered write, committed at flush */
	HANDLE_ACTION,		/* each write is a command for the object's action */
	HANDLE_META_COMMAND,	/* each write is a command for /.wksfs/ctl */
	HANDLE_WAIT,		/* the first read waits for the job */
} HandleType;

typedef struct {
	HandleType type;
	FsNode *node;
	const ResField *field;
	GBytes *snapshot;	/* SNAPSHOT; WAIT once it has waited */
	GByteArray *buf;	/* FIELD */
	gboolean dirty;		/* FIELD */
	GMutex lock;		/* guards buf, dirty and a WAIT's snapshot */
} FsHandle;

static void handle_destroy(gpointer data);

static FsHandle *handle_new(HandleType type, FsNode *node)
{
	FsHandle *h = g_new0(FsHandle, 1);

	h->type = type;
	h->node = node;
	g_mutex_init(&h->lock);
	fs_handle_track(fs_context(), h, handle_destroy);	/* freed at exit if still open */
	return h;
}

static void handle_free(FsHandle *h)
{
	if (!h)
		return;
	fs_handle_untrack(fs_context(), h);
	handle_destroy(h);
}

static void handle_destroy(gpointer data)
{
	FsHandle *h = data;

	fs_node_free(h->node);
	g_clear_pointer(&h->snapshot, g_bytes_unref);
	g_clear_pointer(&h->buf, g_byte_array_unref);
	g_mutex_clear(&h->lock);
	g_free(h);
}

static FsHandle *handle_of(struct fuse_file_info *fi)
{
	return (FsHandle *)(uintptr_t)fi->fh;
}

gboolean fs_handle_size(struct fuse_file_info *fi, gsize *ret_size)
{
	FsHandle *h = handle_of(fi);

	if (h->type != HANDLE_SNAPSHOT)
		return FALSE;
	*ret_size = g_bytes_get_size(h->snapshot);
	return TRUE;
}

ApiCaller fs_caller(const char *path, char **ret_command)
{
	struct fuse_context *fc = fuse_get_context();
	g_autofree char *comm = g_strdup_printf("/proc/%d/comm", fc->pid);

	*ret_command = NULL;
	if (g_file_get_contents(comm, ret_command, NULL, NULL))
		g_strchomp(*ret_command);
	return (ApiCaller){ fc->uid, fc->pid, *ret_command, path };
}

static int refuse(FsContext *ctx, const char *path)
{
	g_autofree char *command = NULL;
	ApiCaller who = fs_caller(path, &command);

	return api_refuse_read_only(ctx->api, &who);
}

static int open_handle(struct fuse_file_info *fi, FsHandle *h)
{
	fi->fh = (uint64_t)(uintptr_t)h;
	fi->direct_io = 1;
	return 0;
}

static int open_meta(FsContext *ctx, FsNode *taken, gboolean writing, struct fuse_file_info *fi)
{
	g_autoptr(FsNode) node = taken;
	const char *file = node->path->file;
	GBytes *b;
	FsHandle *h;

	if (fs_meta_is_dir(file))
		return -EISDIR;
	b = fs_meta_content(ctx, file);
	if (!b)
		return -ENOENT;
	if (writing) {
		g_bytes_unref(b);
		/* ctl steers this mount's cache, never the cloud: it works read-only too. */
		if (!fs_meta_is_command(file))
			return -EACCES;
		return open_handle(fi, handle_new(HANDLE_META_COMMAND, g_steal_pointer(&node)));
	}
	h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node));
	h->snapshot = b;
	return open_handle(fi, h);
}

int fs_open(const char *path, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) node = NULL;
	gboolean writing = (fi->flags & O_ACCMODE) != O_RDONLY;
	const ResKind *kind;
	const char *file, *name;
	FsHandle *h;
	FsFile *f;
	int rc = fs_node_resolve(path, &node);

	if (rc < 0)
		return rc;
	if (node->type == NODE_README) {
		if (writing)
			return -EACCES;
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node));
		h->snapshot = fs_readme(ctx);
		return open_handle(fi, h);
	}
	if (node->type == NODE_META_FILE || node->type == NODE_META_DIR)
		return open_meta(ctx, g_steal_pointer(&node), writing, fi);
	if (node->type != NODE_FILE)
		return node->type == NODE_LINK || node->type == NODE_VIEW_LINK ? -ELOOP : -EISDIR;

	kind = node->kind;
	file = node->path->file;
	name = node->path->name;

	if (strcmp(file, "action") == 0 && kind->action) {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, kind, name, &json, NULL);	/* it must exist */
		if (rc < 0)
			return rc;
		if (writing) {
			if (api_read_only(ctx->api))
				return refuse(ctx, path);
			return open_handle(fi, handle_new(HANDLE_ACTION, g_steal_pointer(&node)));
		}
		g_autofree char *res = api_last_result(ctx->api, kind, name);
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node));
		h->snapshot = g_bytes_new(res, strlen(res));
		return open_handle(fi, h);
	}
	if (strcmp(file, "wait") == 0 && kind->waitable) {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, kind, name, &json, NULL);
		if (rc < 0)
			return rc;
		if (writing)
			return -EACCES;
		return open_handle(fi, handle_new(HANDLE_WAIT, g_steal_pointer(&node)));
	}

	rc = fs_object_file(ctx, kind, name, file, &f, NULL);
	if (rc < 0)
		return rc;
	g_autoptr(FsFile) owned = f;
	if (writing && !f->writable)
		return api_read_only(ctx->api) ? refuse(ctx, path) : -EACCES;
	if (!writing) {
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node));
		h->snapshot = g_bytes_ref(f->content);
		return open_handle(fi, h);
	}
	if (api_read_only(ctx->api))
		return refuse(ctx, path);
	h = handle_new(HANDLE_FIELD, g_steal_pointer(&node));
	h->field = res_field_for_file(kind, file);
	h->buf = g_byte_array_new();
	if (!(fi->flags & O_TRUNC)) {
		gsize len = 0;
		const guint8 *d = g_bytes_get_data(f->content, &len);

		g_byte_array_append(h->buf, d, len);
	}
	return open_handle(fi, h);
}

static gboolean interrupted(void)
{
	return fuse_interrupted() != 0;
}

/* The first read of a wait file blocks until the job ends. */
static int wait_for_job(FsContext *ctx, FsHandle *h)
{
	g_autofree char *status = NULL;
	int rc;

	if (h->snapshot)
		return 0;
	rc = api_job_wait(ctx->api, h->node->kind, h->node->path->name, ctx->wait_timeout_s,
			  interrupted, &status);
	if (rc < 0)
		return rc;
	h->snapshot = g_bytes_new_take(g_strconcat(status, "\n", NULL), strlen(status) + 1);
	return 0;
}

int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	FsHandle *h = handle_of(fi);
	const guint8 *data;
	gsize len = 0;

	if (h->type == HANDLE_ACTION || h->type == HANDLE_META_COMMAND)
		return -EBADF;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);
	if (h->type == HANDLE_WAIT) {
		int rc = wait_for_job(fs_context(), h);

		if (rc < 0)
			return rc;
	}
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

int fs_write(const char *path, const char *data, size_t size, off_t off,
	     struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	FsHandle *h = handle_of(fi);
	g_autofree char *command = NULL;
	int rc;

	switch (h->type) {
	case HANDLE_ACTION: {
		ApiCaller who = fs_caller(path, &command);

		rc = api_action(ctx->api, &who, h->node->kind, h->node->path->name, data, size);
		return rc < 0 ? rc : (int)size;
	}
	case HANDLE_META_COMMAND:
		rc = fs_meta_command(ctx, h->node->path->file, data, size);
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

int fs_flush(const char *path, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	FsHandle *h = handle_of(fi);
	g_autoptr(GByteArray) value = NULL;
	g_autofree char *command = NULL;

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
	ApiCaller who = fs_caller(path, &command);
	return api_set_field(ctx->api, &who, h->node->kind, h->node->path->name, h->field,
			     (const char *)value->data, value->len);
}

int fs_release(const char *path, struct fuse_file_info *fi)
{
	handle_free(handle_of(fi));
	return 0;
}

int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) node = NULL;
	int rc = fs_node_resolve(path, &node);

	if (rc < 0)
		return rc;
	/* Command files take `>` redirections: truncating them means nothing. */
	if (node->type == NODE_META_FILE && fs_meta_is_command(node->path->file))
		return 0;
	if (node->type != NODE_FILE)
		return -EACCES;
	if (api_read_only(ctx->api))
		return -EROFS;
	if (strcmp(node->path->file, "action") == 0 && node->kind->action)
		return 0;
	if (!res_field_for_file(node->kind, node->path->file))
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
	/* Alone, a truncate changes nothing in the cloud: the write that follows does. */
	return 0;
}
