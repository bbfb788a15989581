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
 *   wait               the first read blocks until the job ends (or -o wait_timeout)
 *
 * Writes are a stream: their offsets are ignored. A write holding more than one line is
 * refused (EINVAL) with nothing of it sent; a line is sent at most once, whatever happens.
 * What flush sends, it sends at the writer's last close (not while the process still holds
 * a dup of the descriptor), once. Never acts in release.
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

#include "fs/node.h"

/* The longest line a descriptor buffers: far above any valid value or command. */
#define MAX_LINE (64 * 1024)

typedef enum {
	HANDLE_SNAPSHOT,	/* read-only bytes fixed at open */
	HANDLE_FIELD,		/* a value per line, sent when complete or at flush (a field
				 * or a tag: field NULL, node NODE_TAG) */
	HANDLE_ACTION,		/* a command per line for the object's action */
	HANDLE_META_COMMAND,	/* a command per line for /.wksfs/ctl */
	HANDLE_WAIT,		/* the first read waits for the job */
	HANDLE_CREATE,		/* a JSON body for the collection's create */
} HandleType;

typedef struct {
	HandleType type;
	FsNode *node;
	char *path;		/* where it was opened, from the mount's root */
	const ResField *field;
	GBytes *snapshot;	/* what reads see: fixed at open (WAIT: once it has waited) */
	GMutex lock;		/* guards the fields below and a WAIT's snapshot */
	GByteArray *pending;	/* FIELD, commands: the line written so far, not yet sent */
	gboolean truncated;	/* FIELD: truncated (O_TRUNC, ftruncate) and not written since */
	gboolean unchanged;	/* FIELD: neither written nor truncated since open */
	gboolean overflow;	/* the current line passed MAX_LINE: dropped up to its newline */
	fuse_ino_t created;	/* a create made its file (fs_create), whose value is not sent
				 * yet: its inode, until the first send (fs_handle_created) */
	char *result;		/* ACTION, CREATE: this descriptor's last outcome, once it
				 * wrote */
	guint64 written;	/* bytes written on this descriptor */
	guint64 result_at;	/* `written` when the result was set: the descriptor's offset
				 * then, from which a read reads the result from its start */
} FsHandle;

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
static void created_done(FsContext *ctx, FsHandle *h)
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
	created_done(ctx, h);
	fs_handle_untrack(ctx, h);
	handle_destroy(h);
}

static void handle_destroy(gpointer data)
{
	FsHandle *h = data;

	fs_node_free(h->node);
	g_free(h->path);
	g_clear_pointer(&h->snapshot, g_bytes_unref);
	g_clear_pointer(&h->pending, g_byte_array_unref);
	g_free(h->result);
	g_mutex_clear(&h->lock);
	g_free(h);
}

static FsHandle *handle_of(struct fuse_file_info *fi)
{
	return (FsHandle *)(uintptr_t)fi->fh;
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
	if ((h->type != HANDLE_SNAPSHOT && h->type != HANDLE_ACTION &&
	     h->type != HANDLE_CREATE) || !h->snapshot)
		return FALSE;
	*ret_size = g_bytes_get_size(h->snapshot);
	return TRUE;
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
		return refuse(ctx, path);
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
		return refuse(ctx, path);
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
	if (!fs_node_is_file(node))
		return node->type == NODE_LINK || node->type == NODE_VIEW_LINK ? -ELOOP : -EISDIR;

	if (node->type == NODE_TAG)
		return open_tag(ctx, g_steal_pointer(&node), path, writing, fi, ret_version);

	if (node->type == NODE_CREATE) {
		if (writing && api_read_only(ctx->api))
			return refuse(ctx, path);
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
			return refuse(ctx, path);
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
			return api_read_only(ctx->api) ? refuse(ctx, path) : -EACCES;
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
		return api_read_only(ctx->api) ? refuse(ctx, path) : -EACCES;
	if (!writing)
		return open_plain(fi, handle_new(HANDLE_SNAPSHOT, g_steal_pointer(&node), path),
				  g_steal_pointer(&content), version, ret_version);
	if (api_read_only(ctx->api))
		return refuse(ctx, path);
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
	len = g_bytes_get_size(h->snapshot);
	if (off < 0 || (gsize)off >= len)
		*ret_bytes = g_bytes_new_static("", 0);
	else
		*ret_bytes = g_bytes_new_from_bytes(h->snapshot, (gsize)off,
						    MIN(size, len - (gsize)off));
	return 0;
}

/* Adds a write to the descriptor's line. A write holding a newline completes it: the line
 * (pending bytes and this write, possibly more than one line, which the API layer refuses)
 * is taken out into *ret_line to be sent once. A create body is complete when a write ends
 * in a newline and the JSON so far is not cut short. Otherwise *ret_line is NULL. */
static int take_write(FsHandle *h, const char *data, size_t size, GByteArray **ret_line)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);
	gboolean newline = h->type == HANDLE_CREATE ? data[size - 1] == '\n'
						    : memchr(data, '\n', size) != NULL;

	/* What is written, not the truncation before it, is the value now. */
	h->truncated = FALSE;
	h->unchanged = FALSE;
	if (h->overflow || h->pending->len + size > MAX_LINE) {
		/* Nothing of an over-long line is sent, not even its tail at flush. */
		g_byte_array_set_size(h->pending, 0);
		h->overflow = !newline;
		return -EFBIG;
	}
	g_byte_array_append(h->pending, (const guint8 *)data, (guint)size);
	h->written += size;	/* where the write leaves the descriptor's offset */
	if (newline && h->type == HANDLE_CREATE &&
	    api_create_incomplete((const char *)h->pending->data, h->pending->len))
		newline = FALSE;	/* the writer is not done: more writes follow */
	if (!newline) {
		*ret_line = NULL;
		return 0;
	}
	*ret_line = g_steal_pointer(&h->pending);
	h->pending = g_byte_array_new();
	return 0;
}

/* Sends a value to a field (field) or, field NULL, to the tag node names. */
static int send_value(FsContext *ctx, const ApiCaller *who, const FsNode *node,
		      const ResField *field, const char *text, gsize len)
{
	if (node->type == NODE_TAG)
		return api_set_tag(ctx->api, who, node->kind, node->path->name, node->path->entry,
				   text, len);
	return api_set_field(ctx->api, who, node->kind, node->path->name, field, text, len);
}

/* Sends one line, or a value at flush: a field value, an action or a ctl command. */
static int send_line(FsContext *ctx, FsHandle *h, const char *path, GByteArray *line)
{
	g_autofree char *command = NULL, *outcome = NULL;
	ApiCaller who = fs_caller(path, &command);
	/* An empty GByteArray's data may be NULL. */
	const char *text = line->len ? (const char *)line->data : "";
	int rc;

	switch (h->type) {
	case HANDLE_FIELD:
		rc = send_value(ctx, &who, h->node, h->field, text, line->len);
		created_done(ctx, h);
		break;
	case HANDLE_ACTION:
		rc = api_action(ctx->api, &who, h->node->kind, h->node->path->name, text,
				line->len, &outcome);
		g_mutex_lock(&h->lock);
		g_free(h->result);
		h->result = g_steal_pointer(&outcome);
		h->result_at = h->written;
		g_mutex_unlock(&h->lock);
		break;
	case HANDLE_CREATE: {
		g_autofree char *name = NULL, *esc = NULL;

		rc = api_create(ctx->api, &who, h->node->kind, text, line->len, &name, &outcome);
		/* The new object's directory, as `ls` shows it. */
		esc = name ? fs_escape_name(name) : NULL;
		if (esc) {
			g_free(outcome);
			outcome = g_strconcat(esc, "\n", NULL);
		}
		g_mutex_lock(&h->lock);
		g_free(h->result);
		h->result = g_steal_pointer(&outcome);
		h->result_at = h->written;
		g_mutex_unlock(&h->lock);
		break;
	}
	case HANDLE_META_COMMAND:
		rc = api_check_caller(ctx->api, &who);
		if (rc == 0)
			rc = fs_meta_command(ctx, h->node->path->file, text, line->len);
		break;
	default:
		return -EBADF;
	}
	/* What the change invalidated has left the kernel before the writer goes on. */
	fs_sync_kernel(ctx);
	return rc;
}

int fs_write(const char *path, const char *data, size_t size, struct fuse_file_info *fi)
{
	FsHandle *h = handle_of(fi);
	g_autoptr(GByteArray) line = NULL;
	int rc;

	if (h->type != HANDLE_FIELD && h->type != HANDLE_ACTION &&
	    h->type != HANDLE_META_COMMAND && h->type != HANDLE_CREATE)
		return -EBADF;
	if (size == 0)
		return 0;
	rc = take_write(h, data, size, &line);
	if (rc < 0)
		return rc;
	if (line)
		rc = send_line(fs_context(), h, path, line);
	if (rc < 0) {
		/* A failed write() leaves the descriptor's offset where it was: its result is
		 * read from there (a shell's `read r <&3` after the refused line). */
		g_mutex_lock(&h->lock);
		h->written -= size;
		h->result_at = MIN(h->result_at, h->written);
		g_mutex_unlock(&h->lock);
		return rc;
	}
	return (int)size;
}

/* Whether the calling process still holds a descriptor on path. A shell's `: > file` or
 * `printf x > file` opens the file, dup2()s it onto stdout and closes the original: that
 * first flush comes before anything is written, and is not the end. (Only read when there is
 * something to send: /proc/PID/fd links name the file without entering this filesystem.) */
static gboolean caller_still_holds(const char *path)
{
	g_autofree char *dir = g_strdup_printf("/proc/%d/fd",
					       (int)fuse_req_ctx(fs_current_req())->pid);
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *ent;

	while (d && (ent = g_dir_read_name(d))) {
		g_autofree char *link = g_build_filename(dir, ent, NULL);
		g_autofree char *target = g_file_read_link(link, NULL);

		if (target && g_str_has_suffix(target, path))
			return TRUE;
	}
	return FALSE;
}

/* Sends what is left: a line without its newline, or a truncation's empty value, at the
 * caller's last close. Taken out under the lock, so another flush (dup'ed descriptors)
 * finds nothing. */
int fs_flush(const char *path, struct fuse_file_info *fi)
{
	FsHandle *h = handle_of(fi);
	g_autoptr(GByteArray) line = NULL;
	gboolean left;

	g_mutex_lock(&h->lock);
	left = h->pending && (h->pending->len > 0 || h->truncated);
	g_mutex_unlock(&h->lock);
	if (!left || caller_still_holds(path))
		return 0;
	g_mutex_lock(&h->lock);
	if (h->pending->len > 0 || h->truncated) {
		line = g_steal_pointer(&h->pending);
		h->pending = g_byte_array_new();
	}
	h->truncated = FALSE;
	g_mutex_unlock(&h->lock);
	if (!line)
		return 0;
	return send_line(fs_context(), h, path, line);
}

void fs_release(FsContext *ctx, struct fuse_file_info *fi)
{
	handle_free(ctx, handle_of(fi));
}

/* The first size bytes of a field's value: what truncate leaves of it. */
static int truncated_value(GBytes *content, off_t size, GByteArray **ret_value)
{
	gsize len = 0;
	const guint8 *d = g_bytes_get_data(content, &len);
	GByteArray *value;

	/* Growing a value pads it with NUL bytes, which no value holds. */
	if (size < 0 || (gsize)size > len)
		return -EINVAL;
	value = g_byte_array_new();
	g_byte_array_append(value, d, (guint)size);
	*ret_value = value;
	return 0;
}

int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) node = NULL;
	g_autoptr(GByteArray) value = NULL;
	g_autoptr(GBytes) content = NULL;
	int rc = fs_node_resolve(path, &node);

	if (rc < 0)
		return rc;
	/* Command files take `>` redirections: truncating them means nothing. */
	if (node->type == NODE_META_FILE && fs_meta_is_command(node->path->file))
		return 0;
	if (!fs_node_is_file(node))
		return node->type == NODE_README || node->type == NODE_META_FILE ? -EACCES
										 : -EISDIR;
	if (api_read_only(ctx->api))
		return refuse(ctx, path);
	if (node->type == NODE_ACTION || node->type == NODE_CREATE)
		return 0;
	if (node->type != NODE_TAG && !res_field_for_file(node->kind, node->path->file))
		return -EACCES;
	if (fi && handle_of(fi)->type == HANDLE_FIELD) {
		/* ftruncate, `truncate -s0`: the truncated value is sent at flush, unless a
		 * write follows (the write is the value then). */
		FsHandle *h = handle_of(fi);
		g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);

		/* What this descriptor sees: the value at open, or what it has written since. */
		if (h->unchanged) {
			rc = truncated_value(h->snapshot, size, &value);
			if (rc < 0)
				return rc;
			g_byte_array_unref(h->pending);
			h->pending = g_steal_pointer(&value);
		} else if (size < 0 || (gsize)size > h->pending->len) {
			return -EINVAL;
		} else {
			g_byte_array_set_size(h->pending, (guint)size);
		}
		h->unchanged = FALSE;
		h->truncated = TRUE;
		h->overflow = FALSE;
		return 0;
	}
	/* truncate(path) with no descriptor: the truncated value is sent now. */
	rc = node->type == NODE_TAG
		     ? api_tag(ctx->api, node->kind, node->path->name, node->path->entry, FALSE,
			       &content, NULL)
		     : fs_object_file(ctx, node->kind, node->path->name, node->path->file,
				      &content, NULL, NULL);
	if (rc < 0)
		return rc;
	rc = truncated_value(content, size, &value);
	if (rc < 0)
		return rc;
	g_autofree char *command = NULL;
	ApiCaller who = fs_caller(path, &command);
	rc = send_value(ctx, &who, node, res_field_for_file(node->kind, node->path->file),
			value->len ? (const char *)value->data : "", value->len);
	fs_sync_kernel(ctx);
	return rc;
}
