/* fs.c — the filesystem's state (FsContext) and what is not reading or opening: the hooks
 * the API layer calls (invalidation, cancellation), refused operations, removal.
 *
 * What the tree cannot take is refused, never ENOSYS: on -o ro every change is EROFS (and
 * audited); otherwise a name the API does not make (create, mknod, mkdir, symlink, link,
 * rename, unlink: all but a tag's, in desktops/ID/tags/) is EACCES, as the 0555 directories
 * say, and a mode, owner or xattr (chmod, chown, setxattr, removexattr) is EPERM. utimens is
 * a no-op on the files one may write (fields, tags, action, .create, ctl), so `touch email`
 * works and sends nothing.
 */
#include "fs/fs.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs-private.h"
#include "fs/path.h"

/* Queues the inodes the kernel holds at path and below it. */
static void queue_subtree(FsContext *ctx, const char *path)
{
	fuse_ino_t ino = fs_inodes_find(ctx->inodes, path);
	g_autoptr(GArray) inos = NULL;

	if (!ino)
		return;
	inos = g_array_new(FALSE, FALSE, sizeof(fuse_ino_t));
	fs_inodes_subtree(ctx->inodes, ino, inos);
	for (guint i = 0; i < inos->len; i++)
		fs_notifier_queue(ctx->notifier, g_array_index(inos, fuse_ino_t, i));
}

static void queue_path(FsContext *ctx, const char *path)
{
	fuse_ino_t ino = fs_inodes_find(ctx->inodes, path);

	if (ino)
		fs_notifier_queue(ctx->notifier, ino);
}

/* From the API layer, on any thread, maybe inside a request: queue the kernel
 * invalidations, nothing more. An object: its directory and everything the kernel holds
 * below it, and the views of its kind (their membership follows its fields). A whole
 * collection: its directory and every object in it. Either: the collection's .jsonl. */
static void on_invalidate(const ResKind *kind, const char *name, gpointer data)
{
	FsContext *ctx = data;
	g_autofree char *kdir = g_strconcat("/", kind->dir, NULL);

	int k = res_kind_index(kind);

	/* Queueing never blocks; the lock keeps the notifier alive meanwhile. */
	g_mutex_lock(&ctx->lock);
	/* The JSON Lines changed: their size is unknown (0) until they are read again. */
	if (k >= 0 && k < API_MAX_KINDS) {
		ctx->jsonl_size[k] = 0;
		ctx->jsonl_version[k] = 0;
	}
	if (!ctx->notifier) {
		g_mutex_unlock(&ctx->lock);
		return;
	}
	if (name && res_is_singleton(kind)) {
		queue_subtree(ctx, kdir);	/* its directory is the object */
	} else if (name) {
		g_autofree char *esc = fs_escape_name(name);
		g_autofree char *odir = esc ? g_strconcat(kdir, "/", esc, NULL) : NULL;

		queue_path(ctx, kdir);
		if (odir)
			queue_subtree(ctx, odir);
	} else {
		queue_subtree(ctx, kdir);
	}
	/* The collection's JSON Lines hold every object's bytes: any change is theirs. */
	if (api_lines_kind(kind)) {
		g_autofree char *jsonl = g_strconcat(kdir, ".jsonl", NULL);

		queue_path(ctx, jsonl);
	}
	for (int v = 0; res_views[v].dir; v++) {
		g_autofree char *vdir = g_strconcat("/", res_views[v].dir, NULL);

		if (strcmp(res_views[v].kind, kind->dir) != 0)
			continue;
		queue_subtree(ctx, vdir);
	}
	g_mutex_unlock(&ctx->lock);
}

/* Asked by every API request on the thread that makes it (src/http.h): a FUSE worker sees
 * its own request's interrupt; the job and page threads see only the shutdown. */
static int on_cancel(gboolean mutation, gpointer data)
{
	FsContext *ctx = data;
	fuse_req_t req = fs_current_req();

	if (g_atomic_int_get(&ctx->stopping))
		return -ECANCELED;
	/* A mutation is never abandoned for an interrupt: it is sent, and its outcome told. */
	if (!mutation && req && fuse_req_interrupted(req))
		return -EINTR;
	return 0;
}

FsContext *fs_context_new(gint64 wait_timeout_s)
{
	FsContext *ctx = g_new0(FsContext, 1);

	ctx->wait_timeout_s = wait_timeout_s;
	ctx->uid = getuid();
	ctx->gid = getgid();
	ctx->started = time(NULL);
	ctx->inodes = fs_inodes_new();
	g_mutex_init(&ctx->lock);
	ctx->handles = g_hash_table_new(g_direct_hash, g_direct_equal);
	return ctx;
}

void fs_context_set_api(FsContext *ctx, ApiClient *api)
{
	ctx->api = api;
	api_set_invalidate_func(api, on_invalidate, ctx);
	api_set_cancel_func(api, on_cancel, ctx);
}

void fs_context_shutdown(FsContext *ctx)
{
	g_atomic_int_set(&ctx->stopping, TRUE);
}

gboolean fs_context_busy(FsContext *ctx)
{
	return ctx->api && api_busy(ctx->api);
}

void fs_context_stop(FsContext *ctx)
{
	FsNotifier *n;

	fs_context_shutdown(ctx);
	/* The job watcher first: a job ending now would queue invalidations. (No API yet when
	 * the start-up probe failed.) */
	if (ctx->api)
		api_stop_background(ctx->api);
	g_mutex_lock(&ctx->lock);
	n = g_steal_pointer(&ctx->notifier);	/* on_invalidate queues nothing after this */
	g_mutex_unlock(&ctx->lock);
	fs_notifier_stop(n);
}

void fs_context_start(FsContext *ctx, struct fuse_session *se)
{
	FsNotifier *n = fs_notifier_start(se);

	g_mutex_lock(&ctx->lock);
	ctx->notifier = n;
	g_mutex_unlock(&ctx->lock);
}

void fs_handle_track(FsContext *ctx, gpointer handle, GDestroyNotify free_func)
{
	g_mutex_lock(&ctx->lock);
	g_hash_table_insert(ctx->handles, handle, free_func);
	g_mutex_unlock(&ctx->lock);
}

void fs_handle_untrack(FsContext *ctx, gpointer handle)
{
	g_mutex_lock(&ctx->lock);
	g_hash_table_remove(ctx->handles, handle);
	g_mutex_unlock(&ctx->lock);
}

void fs_context_free(FsContext *ctx)
{
	GHashTableIter it;
	gpointer handle, free_func;

	if (!ctx)
		return;
	fs_context_stop(ctx);
	/* Files still open when the session ended: the kernel never released them. */
	g_hash_table_iter_init(&it, ctx->handles);
	while (g_hash_table_iter_next(&it, &handle, &free_func))
		((GDestroyNotify)free_func)(handle);
	g_hash_table_destroy(ctx->handles);
	api_free(ctx->api);
	fs_inodes_free(ctx->inodes);
	g_mutex_clear(&ctx->lock);
	g_free(ctx);
}

void fs_sync_kernel(FsContext *ctx)
{
	FsNotifier *n;

	g_mutex_lock(&ctx->lock);
	n = ctx->notifier;
	g_mutex_unlock(&ctx->lock);
	/* The notifier lives until fs_context_stop, which runs after the last request. */
	if (n)
		fs_notifier_sync(n);
}

void fs_forget_later(FsContext *ctx, fuse_ino_t ino)
{
	g_mutex_lock(&ctx->lock);
	if (ctx->notifier)
		fs_notifier_queue(ctx->notifier, ino);
	g_mutex_unlock(&ctx->lock);
}

int fs_refused(const char *path, int err)
{
	FsContext *ctx = fs_context();
	g_autofree char *command = NULL;

	if (!api_read_only(ctx->api))
		return err;
	ApiCaller who = fs_caller(path, &command);
	return api_refuse_read_only(ctx->api, &who);
}

/* rmdir desktops/ID: a delete, only with -o allow_delete (src/ decides, and audits). */
int fs_rmdir(const char *path)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	g_autofree char *command = NULL;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	if (n->type == NODE_README || fs_node_is_file(n))
		return -ENOTDIR;
	if (n->type != NODE_OBJECT)
		return fs_refused(path, -EPERM);
	ApiCaller who = fs_caller(path, &command);
	rc = api_delete(ctx->api, &who, n->kind, n->path->name);
	fs_sync_kernel(ctx);
	return rc;
}

/* rm desktops/ID/tags/KEY: the tag is deleted (src/ checks and audits). Anything else is a
 * name the API does not remove: EACCES. */
int fs_unlink(const char *path)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	g_autofree char *command = NULL;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0 || n->type != NODE_TAG)
		return fs_refused(path, -EACCES);
	ApiCaller who = fs_caller(path, &command);
	rc = api_delete_tag(ctx->api, &who, n->kind, n->path->name, n->path->entry);
	fs_sync_kernel(ctx);
	return rc;
}

gboolean fs_writable_file(FsContext *ctx, const char *path)
{
	g_autoptr(FsNode) n = NULL;
	gboolean writable = FALSE;

	if (fs_node_resolve(path, &n) < 0)
		return FALSE;
	if (n->type == NODE_META_FILE)
		return fs_meta_is_command(n->path->file);
	if (!fs_node_is_file(n) || n->type == NODE_SUBFILE || api_read_only(ctx->api))
		return FALSE;
	if (n->type == NODE_ACTION || n->type == NODE_CREATE)
		return TRUE;
	/* Any tag of an object that has tags: `touch tags/new` sets the times of a file its
	 * create made, whose value is sent only at its close. */
	if (n->type == NODE_TAG)
		return api_tags(ctx->api, n->kind, n->path->name, FALSE, NULL, NULL) == 0;
	return fs_object_file(ctx, n->kind, n->path->name, n->path->file, NULL, &writable,
			      NULL) == 0 && writable;
}
