/* files.c — open files: what a descriptor reads and what its writes do.
 *
 *   read-only files    the rendered bytes are snapshotted at open: one read sequence sees
 *                      one version, and fstat() gives exactly their size
 *   field files        like a sysfs store: a write() that completes a line validates and
 *                      sends it before returning, so its error reaches the shell; a value
 *                      without its newline is sent once at flush, and so is the empty value
 *                      of a truncation nothing was written after
 *   tag files          the same, the value of one tag (tags/<key>); a create makes a new
 *                      one, sent as a field is, or with the empty value when nothing is
 *                      written before the last close (`touch tags/k`)
 *   action, ctl        a command runs once, when its line is complete (in write), or at
 *                      flush if it has no newline; an action descriptor reads back its own
 *                      result
 *   .create            a JSON body, which may span lines: complete when a write ends in a
 *                      newline (unless the JSON so far is cut short: a large body comes in
 *                      several writes), or at flush; sent once, and its descriptor reads
 *                      back the new object's name or job
 *   documents          field files of a JSON object (policies.json), complete as a
 *                      .create body is, or of text (a script's content), complete only at
 *                      the last close; a write no more writing can make valid (a NUL
 *                      byte, not UTF-8) is refused, and nothing of that value is sent
 *   wait               the first read blocks until the job ends (or -o wait_timeout)
 *   <kind>.jsonl       read-only, snapshotted at open as references to the cached
 *                      objects' bytes (ApiLines), copied out per read, dropped at release
 *
 * This file opens, reads and releases descriptors; writes.c takes their writes, flushes and
 * truncations. What flush sends, it sends at the writer's last close (not while the process
 * still holds a dup of the descriptor), once. Never acts in release.
 *
 * A plain read-only file may keep its pages in the kernel (ll.c decides, from its version);
 * every other file is direct_io: the kernel never serves its bytes from a cache. After a
 * mutation, the kernel has dropped what it cached of the object before write() returns.
 * FUSE only; the API is reached through src/api.h.
 */
#include "fs/fs-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "fs/handle.h"
#include "fs/node.h"

static void handle_destroy(gpointer data);

static FsHandle *handle_new(HandleType type, FsNode *node, const char *path)
{
	FsHandle *h = g_new0(FsHandle, 1);

	h->type = type;
	h->path = g_strdup(path);
	h->node = node;
	h->pending = g_byte_array_new();
	g_mutex_init(&h->lock);
	fs_handle_track(fs_context(), h, handle_destroy);	/* freed at exit if still open */
	return h;
}

/* The created file exists by itself from now on, or, its value refused, not at all. */
void fs_handle_created_done(FsContext *ctx, FsHandle *h)
{
	fuse_ino_t ino;

	g_mutex_lock(&h->lock);
	ino = h->created;
	h->created = 0;
	g_mutex_unlock(&h->lock);
	if (ino)
		fs_inodes_add_created(ctx->inodes, ino, -1);
}

static void handle_free(FsContext *ctx, FsHandle *h)
{
	if (!h)
		return;
	fs_handle_created_done(ctx, h);
	fs_handle_untrack(ctx, h);
	handle_destroy(h);
}

static void handle_destroy(gpointer data)
{
	FsHandle *h = data;

	fs_node_free(h->node);
	g_free(h->path);
	g_clear_pointer(&h->snapshot, g_bytes_unref);
	g_clear_pointer(&h->lines, api_lines_free);
	g_clear_pointer(&h->pending, g_byte_array_unref);
	g_free(h->result);
	g_mutex_clear(&h->lock);
	g_free(h);
}

const char *fs_handle_path(struct fuse_file_info *fi)
{
	return handle_of(fi)->path;
}

gboolean fs_handle_size(struct fuse_file_info *fi, gsize *ret_size)
{
	FsHandle *h = handle_of(fi);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);

	if ((h->type == HANDLE_ACTION || h->type == HANDLE_CREATE) && h->result) {
		*ret_size = strlen(h->result);
		return TRUE;
	}
	if (h->lines) {
		*ret_size = (gsize)api_lines_size(h->lines);
		return TRUE;
	}
	if (h->type == HANDLE_CHANGES) {
		*ret_size = (gsize)api_changes_size(fs_context()->api);
		return TRUE;
	}
	if ((h->type != HANDLE_SNAPSHOT && h->type != HANDLE_ACTION &&
	     h->type != HANDLE_CREATE) || !h->snapshot)
		return FALSE;
	*ret_size = g_bytes_get_size(h->snapshot);
	return TRUE;
}

int fs_refuse_read_only(FsContext *ctx, const char *path)
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

/* A plain read-only file: its bytes at open, and their version for the kernel's cache. */
static int open_plain(struct fuse_file_info *fi, FsHandle *h, GBytes *content, gint64 version,
		      gint64 *ret_version)
{
	h->snapshot = content;
	*ret_version = version;
	return open_handle(fi, h);
}

static int open_meta(FsContext *ctx, FsNode *taken, const char *path, gboolean writing,
		     struct fuse_file_info *fi)
{
	g_autoptr(FsNode) node = taken;
	const char *file = node->path->file;
	GBytes *b;
	FsHandle *h;

	if (fs_meta_is_dir(file))
		return -EISDIR;
	if (fs_meta_is_live(file)) {
		/* Not a snapshot: `tail -f` reads what was appended since on the same descriptor,
		 * and with direct_io never from the kernel's cache. */
		if (writing)
			return -EACCES;
		return open_handle(fi, handle_new(HANDLE_CHANGES, g_steal_pointer(&node), path));
	}
	b = fs_meta_content(ctx, file);
	if (!b)
		return -ENOENT;
	if (writing && !fs_meta_is_command(file)) {
		g_bytes_unref(b);
		return -EACCES;
	}
	/* ctl steers this mount's cache, never the cloud: it works read-only too. */
	h = handle_new(writing ? HANDLE_META_COMMAND : HANDLE_SNAPSHOT, g_steal_pointer(&node),
		       path);
	h->snapshot = b;
	return open_handle(fi, h);
}

/* A value to write: a field's (NULL for a tag: its file's own), what it is now, whether this
 * open truncated it. */
static FsHandle *value_handle(FsNode *node, const char *path, const ResField *field,
			      GBytes *content, gboolean truncated)
{
	FsHandle *h = handle_new(HANDLE_FIELD, node, path);

	h->field = field;
	h->snapshot = content;
	/* `: > description` sends the empty value at close; an open without O_TRUNC and
	 * without writes sends nothing. */
	h->truncated = truncated;
	h->unchanged = !truncated;
	return h;
}

/* A tag's file. One that does not exist yet is made by create (fs_create). */
static int open_tag(FsContext *ctx, FsNode *taken, const char *path, gboolean writing,
		    struct fuse_file_info *fi, gint64 *ret_version)
{
	g_autoptr(FsNode) node = taken;
	g_autoptr(GBytes) content = NULL;
	ApiFreshness f;
	int rc = api_tag(ctx->api, node->kind, node->path->name, node->path->entry, FALSE,
			 &content, &f);

	if (rc < 0)
		return rc;
	if (!writing)
		return open_plain(fi, handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path),
				  g_steal_pointer(&content), f.version_ns, ret_version);
	if (api_read_only(ctx->api))
		return fs_refuse_read_only(ctx, path);
	return open_handle(fi, value_handle(g_steal_pointer(&node), path, NULL,
					    g_steal_pointer(&content),
					    (fi->flags & O_TRUNC) != 0));
}

int fs_create(const char *path, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) node = NULL;
	int rc = fs_node_resolve(path, &node);

	if (rc < 0)
		return rc;
	if (node->type != NODE_TAG)
		return fs_refused(path, -EACCES);
	if (api_read_only(ctx->api))
		return fs_refuse_read_only(ctx, path);
	/* The object must be there; the key is checked when its value is sent. */
	rc = api_tags(ctx->api, node->kind, node->path->name, FALSE, NULL, NULL);
	if (rc < 0)
		return rc;
	/* Nothing written by the last close: the tag is made with the empty value. */
	return open_handle(fi, value_handle(g_steal_pointer(&node), path, NULL,
					    g_bytes_new_static("", 0), TRUE));
}

void fs_handle_created(FsContext *ctx, struct fuse_file_info *fi, fuse_ino_t ino)
{
	FsHandle *h = handle_of(fi);

	fs_inodes_add_created(ctx->inodes, ino, 1);
	g_mutex_lock(&h->lock);
	h->created = ino;
	g_mutex_unlock(&h->lock);
}

int fs_open(const char *path, struct fuse_file_info *fi, gint64 *ret_version)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) node = NULL;
	gboolean writing = (fi->flags & O_ACCMODE) != O_RDONLY;
	const ResKind *kind;
	const char *file, *name;
	g_autoptr(GBytes) content = NULL;
	gboolean writable = FALSE;
	gint64 version = 0;
	FsHandle *h;
	int rc = fs_node_resolve(path, &node);

	*ret_version = 0;
	if (rc < 0)
		return rc;
	if (node->type == NODE_README) {
		if (writing)
			return -EACCES;
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path);
		h->snapshot = fs_readme(ctx);
		return open_handle(fi, h);
	}
	if (node->type == NODE_META_FILE || node->type == NODE_META_DIR)
		return open_meta(ctx, g_steal_pointer(&node), path, writing, fi);
	if (node->type == NODE_JSONL) {
		ApiFreshness f;
		ApiLines *lines = NULL;

		if (writing)
			return api_read_only(ctx->api) ? fs_refuse_read_only(ctx, path) : -EACCES;
		rc = api_lines_open(ctx->api, node->kind, &lines, &f);
		if (rc < 0)
			return rc;
		h = handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path);
		h->lines = lines;
		*ret_version = f.version_ns;
		return open_handle(fi, h);
	}
	if (!fs_node_is_file(node))
		return node->type == NODE_LINK || node->type == NODE_VIEW_LINK ? -ELOOP : -EISDIR;

	if (node->type == NODE_TAG)
		return open_tag(ctx, g_steal_pointer(&node), path, writing, fi, ret_version);

	if (node->type == NODE_CREATE) {
		if (writing && api_read_only(ctx->api))
			return fs_refuse_read_only(ctx, path);
		/* Results are per descriptor: a fresh one reads nothing. */
		h = handle_new(writing ? HANDLE_CREATE : HANDLE_SNAPSHOT, g_steal_pointer(&node),
			       path);
		h->snapshot = g_bytes_new_static("", 0);
		return open_handle(fi, h);
	}
	kind = node->kind;
	file = node->path->file;
	name = node->path->name;

	if (node->type == NODE_ACTION) {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, kind, name, &json, NULL);	/* it must exist */
		if (rc < 0)
			return rc;
		if (writing && api_read_only(ctx->api))
			return fs_refuse_read_only(ctx, path);
		/* Before its own write, a descriptor reads the last result as of open. */
		char *res = api_last_result(ctx->api, kind, name);
		h = handle_new(writing ? HANDLE_ACTION : HANDLE_SNAPSHOT, g_steal_pointer(&node),
			       path);
		h->snapshot = g_bytes_new_take(res, strlen(res));
		return open_handle(fi, h);
	}
	if (node->type == NODE_WAIT) {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, kind, name, &json, NULL);
		if (rc < 0)
			return rc;
		if (writing)
			return -EACCES;
		return open_handle(fi, handle_new(HANDLE_WAIT, g_steal_pointer(&node), path));
	}

	if (node->type == NODE_SUBFILE) {
		if (writing)
			return api_read_only(ctx->api) ? fs_refuse_read_only(ctx, path) : -EACCES;
		rc = fs_sub_file(ctx, node, &content, &version);
		if (rc < 0)
			return rc;
		return open_plain(fi, handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path),
				  g_steal_pointer(&content), version, ret_version);
	}
	rc = fs_object_file(ctx, kind, name, file, &content, &writable, &version);
	if (rc < 0)
		return rc;
	if (writing && !writable)
		return api_read_only(ctx->api) ? fs_refuse_read_only(ctx, path) : -EACCES;
	if (!writing)
		return open_plain(fi, handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path),
				  g_steal_pointer(&content), version, ret_version);
	if (api_read_only(ctx->api))
		return fs_refuse_read_only(ctx, path);
	h = value_handle(g_steal_pointer(&node), path, res_field_for_file(kind, file),
			 g_steal_pointer(&content), (fi->flags & O_TRUNC) != 0);
	return open_handle(fi, h);
}

static gboolean interrupted(void)
{
	fuse_req_t req = fs_current_req();

	return req && fuse_req_interrupted(req);
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
	/* The job's changes were queued for the kernel when the watcher saw it end: they
	 * reach it before the waiter reads the end. */
	fs_sync_kernel(ctx);
	h->snapshot = g_bytes_new_take(g_strconcat(status, "\n", NULL), strlen(status) + 1);
	return 0;
}

int fs_read(struct fuse_file_info *fi, size_t size, off_t off, GBytes **ret_bytes)
{
	FsHandle *h = handle_of(fi);
	gsize len = 0;

	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);
	if (h->type == HANDLE_WAIT) {
		int rc = wait_for_job(fs_context(), h);

		if (rc < 0)
			return rc;
	}
	/* An action or create descriptor reads its own result once it wrote: scripts side by
	 * side do not read each other's. From offset 0 (pread), or from where its writes left
	 * the offset: a shell's `exec 3<>.create; cat body >&3; read r <&3` cannot seek. */
	if ((h->type == HANDLE_ACTION || h->type == HANDLE_CREATE) && h->result) {
		len = strlen(h->result);
		if (off >= 0 && (guint64)off >= h->result_at)
			off -= (off_t)h->result_at;
		if (off < 0 || (gsize)off >= len)
			*ret_bytes = g_bytes_new_static("", 0);
		else
			*ret_bytes = g_bytes_new(h->result + off, MIN(size, len - (gsize)off));
		return 0;
	}
	if (h->lines) {
		*ret_bytes = api_lines_read(h->lines, off < 0 ? G_MAXUINT64 : (guint64)off, size);
		return 0;
	}
	if (h->type == HANDLE_CHANGES) {
		*ret_bytes = off < 0 ? g_bytes_new_static("", 0)
				     : api_changes_read(fs_context()->api, (guint64)off, size);
		return 0;
	}
	len = g_bytes_get_size(h->snapshot);
	if (off < 0 || (gsize)off >= len)
		*ret_bytes = g_bytes_new_static("", 0);
	else
		*ret_bytes = g_bytes_new_from_bytes(h->snapshot, (gsize)off,
						    MIN(size, len - (gsize)off));
	return 0;
}

void fs_release(FsContext *ctx, struct fuse_file_info *fi)
{
	handle_free(ctx, handle_of(fi));
}
