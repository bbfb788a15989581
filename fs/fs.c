/* fs.c — the FUSE operations on the tree: attributes, directories, symlinks, removal.
 * FUSE only: a path becomes a node (node.c) from the resource table, a node's data comes
 * from src/api.h, files are rendered by src/render.c and opened by files.c. It never calls
 * curl or the cache, and never names a kind.
 *
 * What the tree cannot take is refused, never ENOSYS: on -o ro every change is EROFS (and
 * audited); otherwise a name the API does not make (create, mknod, mkdir, symlink, link,
 * rename, unlink) is EACCES, as the 0555 directories say, and a mode, owner or xattr
 * (chmod, chown, setxattr, removexattr) is EPERM. utimens is a no-op on the files one may
 * write (fields, action, ctl), so `touch email` works and sends nothing.
 *
 *   /README  /.wksfs/
 *   /<kind>/<name>/          <field> ... <field>.json  info.json  action  wait  <link>/
 *   /<kind>/<name>/<link>/<target>   -> ../../../<target kind>/<target>
 *   /<view>/<key>[/<name>]           -> the objects of the view's kind
 */
#include "fs/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fs/fs-private.h"
#include "fs/node.h"
#include "fs/path.h"

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
	if (esc) {
		fs_notifier_queue(ctx->notifier, g_strconcat("/", kind->dir, "/", esc, NULL));
		for (const ResLink *l = kind->links; l && l->dir; l++)
			fs_notifier_queue(ctx->notifier,
					  g_strconcat("/", kind->dir, "/", esc, "/", l->dir, NULL));
	}
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

/* Asked by every API request on the thread that makes it (src/http.h): a FUSE worker sees
 * its own request's interrupt; the job and page threads see only the shutdown. */
static int on_cancel(gboolean mutation, gpointer data)
{
	FsContext *ctx = data;

	if (g_atomic_int_get(&ctx->stopping))
		return -ECANCELED;
	/* A mutation is never abandoned for an interrupt: it is sent, and its outcome told. */
	if (!mutation && fuse_interrupted())
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

FsContext *fs_context(void)
{
	return fuse_get_context()->private_data;
}

static void fill_dir(FsContext *ctx, struct stat *st, time_t mtime, mode_t mode)
{
	st->st_mode = S_IFDIR | mode;
	st->st_nlink = 2;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_mtime = st->st_ctime = st->st_atime = mtime;
}

void fs_fill_file(FsContext *ctx, struct stat *st, time_t mtime, mode_t mode, gsize size)
{
	st->st_mode = S_IFREG | mode;
	st->st_nlink = 1;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_mtime = st->st_ctime = st->st_atime = mtime;
}

/* The names of an object's files (contents NULL), remembered for invalidations. */
int fs_object_files(FsContext *ctx, const ResKind *kind, const char *name,
		    GPtrArray **ret_files, gint64 *ret_mtime)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness fresh;
	GPtrArray *files;
	int rc = api_get_object(ctx->api, kind, name, &blob, &fresh);

	if (rc < 0)
		return rc;
	files = g_ptr_array_new_with_free_func((GDestroyNotify)fs_file_free);
	for (guint i = 0; i < render_count(blob); i++)
		g_ptr_array_add(files, fs_file_new(blob, i, FALSE));
	remember_files(ctx, kind, files);
	if (ret_mtime)
		*ret_mtime = fresh.version_ns / 1000000000;
	*ret_files = files;
	return 0;
}

int fs_object_file(FsContext *ctx, const ResKind *kind, const char *name, const char *file,
		   FsFile **ret_file, gint64 *ret_mtime)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness fresh;
	int rc = api_get_object(ctx->api, kind, name, &blob, &fresh);
	int i = rc < 0 ? -1 : render_find(blob, file);

	if (rc < 0)
		return rc;
	if (i < 0)
		return -ENOENT;
	if (ret_mtime)
		*ret_mtime = fresh.version_ns / 1000000000;
	*ret_file = fs_file_new(blob, (guint)i, TRUE);
	return 0;
}

static void fill_link(FsContext *ctx, struct stat *st, time_t mtime, const char *target)
{
	st->st_mode = S_IFLNK | 0777;
	st->st_nlink = 1;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_size = (off_t)strlen(target);
	st->st_mtime = st->st_ctime = st->st_atime = mtime;
}

/* The name a symlink node points to, checked to exist; -ENOENT otherwise. */
static int link_target_name(FsContext *ctx, const FsNode *n, char **ret_name)
{
	g_autoptr(GPtrArray) names = NULL;
	const FsPath *p = n->path;
	int rc;

	switch (n->type) {
	case NODE_LINK:
		if (!api_link_has(ctx->api, n->kind, p->name, n->link, p->entry))
			return -ENOENT;
		*ret_name = g_strdup(p->entry);
		return 0;
	case NODE_VIEW_KEY:
		rc = api_view_members(ctx->api, n->view, p->name, &names);
		if (rc < 0)
			return rc;
		*ret_name = g_strdup(names->pdata[0]);
		return 0;
	case NODE_VIEW_LINK:
		if (!api_view_has(ctx->api, n->view, p->name, p->file))
			return -ENOENT;
		*ret_name = g_strdup(p->file);
		return 0;
	default:
		return -EINVAL;
	}
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	g_autofree char *target = NULL, *tname = NULL;
	gint64 mtime = ctx->started;
	gsize size;
	int rc = fs_node_resolve(path, &n);
	FsPath *p;

	if (rc < 0)
		return rc;
	p = n->path;
	memset(st, 0, sizeof(*st));
	switch (n->type) {
	case NODE_ROOT:
	case NODE_VIEW:
		fill_dir(ctx, st, ctx->started, 0555);
		return 0;
	case NODE_KIND:
		/* The owner's write bit where rmdir may delete: with default_permissions (forced
		 * by allow_other) the kernel checks it, even for a non-root mounter. */
		fill_dir(ctx, st, ctx->started, n->kind->delete_path ? 0755 : 0555);
		return 0;
	case NODE_README: {
		g_autoptr(GBytes) b = fs_readme(ctx);

		fs_fill_file(ctx, st, ctx->started, 0444, g_bytes_get_size(b));
		return 0;
	}
	case NODE_META_DIR:
	case NODE_META_FILE: {
		g_autoptr(GBytes) b = NULL;

		if (fs_meta_is_dir(p->file)) {
			fill_dir(ctx, st, ctx->started, 0555);
			return 0;
		}
		b = fs_meta_content(ctx, p->file);
		if (!b)
			return -ENOENT;
		fs_fill_file(ctx, st, time(NULL), fs_meta_is_command(p->file) ? 0644 : 0444,
			     g_bytes_get_size(b));
		return 0;
	}
	case NODE_OBJECT:
	case NODE_LINKDIR: {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, n->kind, p->name, &json, &mtime);
		if (rc < 0)
			return rc;
		fill_dir(ctx, st, mtime, n->type == NODE_OBJECT ? 0755 : 0555);
		return 0;
	}
	case NODE_VIEW_KEY:
		if (n->view->grouped) {
			g_autoptr(GPtrArray) names = NULL;

			rc = api_view_members(ctx->api, n->view, p->name, &names);
			if (rc < 0)
				return rc;
			fill_dir(ctx, st, ctx->started, 0555);
			return 0;
		}
		/* a flat view's key is a symlink */
		G_GNUC_FALLTHROUGH;
	case NODE_LINK:
	case NODE_VIEW_LINK:
		rc = link_target_name(ctx, n, &tname);
		if (rc < 0)
			return rc;
		target = fs_node_link_target(n, tname);
		if (!target)
			return -ENOENT;
		fill_link(ctx, st, ctx->started, target);
		return 0;
	case NODE_FILE:
	case NODE_ACTION:
	case NODE_WAIT:
		break;
	}

	if (n->type == NODE_ACTION) {
		g_autoptr(GBytes) json = NULL;
		g_autofree char *res = NULL;

		rc = api_get(ctx->api, n->kind, p->name, &json, &mtime);
		if (rc < 0)
			return rc;
		res = api_last_result(ctx->api, n->kind, p->name);
		size = strlen(res);
		/* fstat(): what this descriptor reads, its own result once it wrote. */
		if (fi && fi->fh)
			fs_handle_size(fi, &size);
		fs_fill_file(ctx, st, mtime, 0644, size);
		return 0;
	}
	/* fstat() on an open file: the size of what this descriptor reads. The mode is the
	 * path's (the kernel caches it for default_permissions' checks). */
	if (fi && fi->fh && fs_handle_size(fi, &size)) {
		g_autoptr(GBytes) json = NULL;
		gboolean writable = res_field_for_file(n->kind, p->file) != NULL;

		rc = api_get(ctx->api, n->kind, p->name, &json, &mtime);
		fs_fill_file(ctx, st, rc < 0 ? time(NULL) : mtime, writable ? 0644 : 0444, size);
		return 0;
	}
	if (n->type == NODE_WAIT) {
		g_autoptr(GBytes) json = NULL;

		rc = api_get(ctx->api, n->kind, p->name, &json, &mtime);
		if (rc < 0)
			return rc;
		fs_fill_file(ctx, st, mtime, 0444, 0);	/* known only once it has waited */
		return 0;
	}
	FsFile *f = NULL;
	rc = fs_object_file(ctx, n->kind, p->name, p->file, &f, &mtime);
	if (rc < 0)
		return rc;
	fs_fill_file(ctx, st, mtime, f->writable ? 0644 : 0444, g_bytes_get_size(f->content));
	fs_file_free(f);
	return 0;
}

static int fs_readlink(const char *path, char *buf, size_t size)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	g_autofree char *tname = NULL, *target = NULL;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	rc = link_target_name(ctx, n, &tname);
	if (rc < 0)
		return rc == -EINVAL ? -EINVAL : rc;
	target = fs_node_link_target(n, tname);
	if (!target || size == 0)
		return -EINVAL;
	g_strlcpy(buf, target, size);
	return 0;
}

/* Directory entries carry their type (d_type), so `grep -r` and `find` need not stat
 * every file to know what it is. */
static void add_entry(void *buf, fuse_fill_dir_t filler, const char *name, mode_t type)
{
	struct stat st = { .st_mode = type };

	filler(buf, name, &st, 0, 0);
}

static void fill_names(void *buf, fuse_fill_dir_t filler, GPtrArray *names, mode_t type)
{
	for (guint i = 0; i < names->len; i++) {
		g_autofree char *esc = fs_escape_name(names->pdata[i]);

		if (esc)
			add_entry(buf, filler, esc, type);
	}
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		      struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	g_autoptr(GPtrArray) names = NULL;
	mode_t type = S_IFDIR;
	int rc = fs_node_resolve(path, &n);
	FsPath *p;

	if (rc < 0)
		return rc;
	p = n->path;
	add_entry(buf, filler, ".", S_IFDIR);
	add_entry(buf, filler, "..", S_IFDIR);
	switch (n->type) {
	case NODE_ROOT:
		add_entry(buf, filler, "README", S_IFREG);
		add_entry(buf, filler, ".wksfs", S_IFDIR);
		for (int i = 0; res_kinds[i]; i++)
			add_entry(buf, filler, res_kinds[i]->dir, S_IFDIR);
		for (const ResView *v = res_views; v->dir; v++)
			add_entry(buf, filler, v->dir, S_IFDIR);
		return 0;
	case NODE_META_DIR:
	case NODE_META_FILE:
		names = fs_meta_list(p->file);
		if (!names)
			return -ENOTDIR;
		for (guint i = 0; i < names->len; i++)
			add_entry(buf, filler, names->pdata[i],
				  fs_meta_is_dir(names->pdata[i]) ? S_IFDIR : S_IFREG);
		return 0;
	case NODE_KIND:
		rc = api_list(ctx->api, n->kind, &names, NULL);
		break;
	case NODE_LINKDIR:
		rc = api_links(ctx->api, n->kind, p->name, n->link, &names);
		type = S_IFLNK;
		break;
	case NODE_VIEW:
		rc = api_view_keys(ctx->api, n->view, &names);
		type = n->view->grouped ? S_IFDIR : S_IFLNK;
		break;
	case NODE_VIEW_KEY:
		if (!n->view->grouped)
			return -ENOTDIR;
		rc = api_view_members(ctx->api, n->view, p->name, &names);
		type = S_IFLNK;
		break;
	case NODE_OBJECT: {
		g_autoptr(GPtrArray) files = NULL;

		rc = fs_object_files(ctx, n->kind, p->name, &files, NULL);
		if (rc < 0)
			return rc;
		for (guint i = 0; i < files->len; i++) {
			g_autofree char *esc = fs_escape_name(((FsFile *)files->pdata[i])->name);

			if (esc)
				add_entry(buf, filler, esc, S_IFREG);
		}
		if (n->kind->action)
			add_entry(buf, filler, "action", S_IFREG);
		if (n->kind->waitable)
			add_entry(buf, filler, "wait", S_IFREG);
		for (const ResLink *l = n->kind->links; l && l->dir; l++)
			add_entry(buf, filler, l->dir, S_IFDIR);
		return 0;
	}
	default:
		return -ENOTDIR;
	}
	if (rc < 0)
		return rc;
	fill_names(buf, filler, names, type);
	return 0;
}

/* A change the tree cannot take: EROFS (audited) on a read-only mount, else err. */
static int refused(const char *path, int err)
{
	FsContext *ctx = fs_context();
	g_autofree char *command = NULL;

	if (!api_read_only(ctx->api))
		return err;
	ApiCaller who = fs_caller(path, &command);
	return api_refuse_read_only(ctx->api, &who);
}

/* rmdir desktops/ID: a delete, only with -o allow_delete (src/ decides, and audits). */
static int fs_rmdir(const char *path)
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
		return refused(path, -EPERM);
	ApiCaller who = fs_caller(path, &command);
	return api_delete(ctx->api, &who, n->kind, n->path->name);
}

/* open(O_CREAT): an existing file opens as usual; a new name is refused. (Paths resolve
 * by their shape, so whether the file exists is only known once it is opened.) */
static int fs_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int rc = fs_open(path, fi);

	if (rc == -ENOENT)
		return refused(path, -EACCES);
	if (rc == 0 && (fi->flags & O_EXCL)) {
		fs_release(path, fi);
		return -EEXIST;
	}
	return rc;
}

static int fs_mknod(const char *path, mode_t mode, dev_t rdev)
{
	return refused(path, -EACCES);
}

static int fs_mkdir(const char *path, mode_t mode)
{
	return refused(path, -EACCES);
}

static int fs_unlink(const char *path)
{
	return refused(path, -EACCES);
}

static int fs_symlink(const char *target, const char *path)
{
	return refused(path, -EACCES);
}

static int fs_link(const char *from, const char *to)
{
	return refused(to, -EACCES);
}

static int fs_rename(const char *from, const char *to, unsigned int flags)
{
	return refused(from, -EACCES);
}

static int fs_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	return refused(path, -EPERM);
}

static int fs_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	return refused(path, -EPERM);
}

static int fs_setxattr(const char *path, const char *name, const char *value, size_t size,
		       int flags)
{
	return refused(path, -EPERM);
}

static int fs_removexattr(const char *path, const char *name)
{
	return refused(path, -EPERM);
}

/* Whether path is a file one may open for writing here (ctl: even read-only). */
static gboolean writable_file(FsContext *ctx, const FsNode *n)
{
	g_autoptr(FsFile) f = NULL;

	if (n->type == NODE_META_FILE)
		return fs_meta_is_command(n->path->file);
	if (!fs_node_is_file(n) || api_read_only(ctx->api))
		return FALSE;
	if (n->type == NODE_ACTION)
		return TRUE;
	return fs_object_file(ctx, n->kind, n->path->name, n->path->file, &f, NULL) == 0 &&
	       f->writable;
}

/* touch: times are the API's (st_mtime is when the data was fetched). On a file one may
 * write, setting them is a harmless no-op that sends nothing; elsewhere it is refused. */
static int fs_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	FsContext *ctx = fs_context();
	g_autoptr(FsNode) n = NULL;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	if (writable_file(ctx, n))
		return 0;
	return refused(path, -EPERM);
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

/* libfuse calls this from fuse_destroy(), after it freed its node table: too late for the
 * notifier, which serve() stops first (fs_context_stop). This only makes sure of it. */
static void fs_destroy(void *data)
{
	fs_context_stop(data);
}

static const struct fuse_operations operations = {
	.init = fs_init,
	.destroy = fs_destroy,
	.getattr = fs_getattr,
	.readlink = fs_readlink,
	.readdir = fs_readdir,
	.rmdir = fs_rmdir,
	.create = fs_create,
	.mknod = fs_mknod,
	.mkdir = fs_mkdir,
	.unlink = fs_unlink,
	.symlink = fs_symlink,
	.link = fs_link,
	.rename = fs_rename,
	.chmod = fs_chmod,
	.chown = fs_chown,
	.utimens = fs_utimens,
	.setxattr = fs_setxattr,
	.removexattr = fs_removexattr,
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
