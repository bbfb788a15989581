/* writes.c — what a descriptor's writes do: a line (a field's value, a command, a .create
 * body, a document) taken in and sent once when complete (files.c says when, per kind of
 * file), what is left sent at the writer's last close, and truncation (O_TRUNC, ftruncate,
 * truncate(path)). Writes are a stream: their offsets are ignored. A write holding more
 * than one line is refused (EINVAL) with nothing of it sent; a line is sent at most once,
 * whatever happens. Never acts in release (files.c).
 * FUSE only; the API is reached through src/api.h.
 */
#include "fs/handle.h"

#include <errno.h>
#include <string.h>

#include "fs/node.h"

/* Adds a write to the descriptor's line. A write holding a newline completes it: the line
 * (pending bytes and this write, possibly more than one line, which the API layer refuses)
 * is taken out into *ret_line to be sent once. A create body is complete when a write ends
 * in a newline and the JSON so far is not cut short. Otherwise *ret_line is NULL. */
static int take_write(FsHandle *h, const char *data, size_t size, GByteArray **ret_line)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&h->lock);
	gboolean doc = h->type == HANDLE_CREATE || api_field_is_document(h->field);
	gboolean newline = doc ? data[size - 1] == '\n' : memchr(data, '\n', size) != NULL;
	const char *why;
	int rc;

	/* What is written, not the truncation before it, is the value now. */
	h->truncated = FALSE;
	h->unchanged = FALSE;
	if (h->refused)
		return -EINVAL;
	if (h->dropping || h->pending->len + size > MAX_LINE) {
		/* Nothing of an over-long line is sent, not even its tail at flush. Its
		 * reason is listed once, when it passes the limit. */
		if (!h->dropping) {
			g_autofree char *longer = g_strdup_printf("a line longer than %d bytes",
								  MAX_LINE);

			api_note_invalid(fs_context()->api, "write", h->path, longer);
		}
		rc = h->dropping ? h->dropping : -EFBIG;
		g_byte_array_set_size(h->pending, 0);
		h->dropping = newline ? 0 : rc;
		h->refused = doc && h->field;	/* a document has no line to skip to */
		return rc;
	}
	g_byte_array_append(h->pending, (const guint8 *)data, (guint)size);
	why = doc || newline ? NULL : api_text_so_far_problem((const char *)h->pending->data,
							       h->pending->len);
	if (why) {
		/* A line no more writing makes valid fails now, not at a close the shell does
		 * not check (`printf 'a\0b' > email`); the rest of it is dropped. */
		api_note_invalid(fs_context()->api, "write", h->path, why);
		g_byte_array_set_size(h->pending, 0);
		h->dropping = -EINVAL;
		return -EINVAL;
	}
	h->written += size;	/* where the write leaves the descriptor's offset */
	if (doc) {
		/* Complete now, or the writer is not done: more writes follow. */
		rc = api_document_take(fs_context()->api, h->path, h->field,
				       (const char *)h->pending->data, h->pending->len, newline);
		if (rc < 0) {
			g_byte_array_set_size(h->pending, 0);
			h->refused = TRUE;
			h->written -= size;	/* a failed write() moves no offset */
			return rc;
		}
		newline = rc == 1;
	}
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
	if (api_field_is_document(field))
		return api_set_document(ctx->api, who, node->kind, node->path->name, field, text,
					len);
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
		fs_handle_created_done(ctx, h);
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
	left = h->pending && !h->refused && (h->pending->len > 0 || h->truncated);
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
	if (node->type == NODE_JSONL)	/* read-only, as an object's read-only files */
		return api_read_only(ctx->api) ? fs_refuse_read_only(ctx, path) : -EACCES;
	if (!fs_node_is_file(node))
		return node->type == NODE_README || node->type == NODE_META_FILE ? -EACCES
										 : -EISDIR;
	if (api_read_only(ctx->api))
		return fs_refuse_read_only(ctx, path);
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
		h->dropping = 0;
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
