/* fs-private.h — what the FUSE operations share with meta.c and notify.c. */
#pragma once

#include <sys/types.h>

#include "fs/fs.h"
#include "src/render.h"

typedef struct FsNotifier FsNotifier;

/* One file of an object, out of its rendered blob (src/render.h). */
typedef struct {
	char *name;		/* file name (unescaped) */
	GBytes *content;	/* exactly what read() returns; NULL from fs_object_files */
	gboolean writable;	/* a field file that a write changes */
} FsFile;

/* File i of blob; its bytes (no copy) only with_content. */
static inline FsFile *fs_file_new(GBytes *blob, guint i, gboolean with_content)
{
	FsFile *f = g_new0(FsFile, 1);

	f->name = g_strdup(render_name(blob, i));
	f->content = with_content ? render_content(blob, i) : NULL;
	f->writable = render_writable(blob, i);
	return f;
}

static inline void fs_file_free(FsFile *f)
{
	if (!f)
		return;
	g_free(f->name);
	if (f->content)
		g_bytes_unref(f->content);
	g_free(f);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(FsFile, fs_file_free)

struct FsContext {
	ApiClient *api;
	uid_t uid;
	gid_t gid;
	time_t started;
	gint64 wait_timeout_s;	/* how long `cat jobs/ID/wait` waits */
	FsNotifier *notifier;	/* started in init, after the daemon forked; guarded by lock */
	gint stopping;		/* atomic: the session is ending (fs_context_shutdown) */

	GMutex lock;
	/* Per kind (index in res_kinds): every file name rendered so far, so an invalidation
	 * can name the kernel's cached entries. Small: the fields of one kind. */
	GHashTable *seen_files[API_MAX_KINDS];	/* guarded by lock */
	/* Open handles -> their GDestroyNotify: the kernel sends no release for files still
	 * open when the session ends, so fs_context_free frees them. Guarded by lock. */
	GHashTable *handles;
};

/* fs.c: attributes, shared with files.c. */
void fs_fill_file(FsContext *ctx, struct stat *st, time_t mtime, mode_t mode, gsize size);
/* The names of an object's files, contents NULL (remembered for invalidations); -errno. */
int fs_object_files(FsContext *ctx, const ResKind *kind, const char *name,
		    GPtrArray **ret_files, gint64 *ret_mtime);
FsContext *fs_context(void);
/* One rendered file of an object, or -errno (-ENOENT: no such file). */
int fs_object_file(FsContext *ctx, const ResKind *kind, const char *name, const char *file,
		   FsFile **ret_file, gint64 *ret_mtime);

/* files.c: open files. */
int fs_open(const char *path, struct fuse_file_info *fi);
int fs_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi);
int fs_write(const char *path, const char *data, size_t size, off_t off,
	     struct fuse_file_info *fi);
int fs_flush(const char *path, struct fuse_file_info *fi);
int fs_release(const char *path, struct fuse_file_info *fi);
int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi);
/* Who asked, for the audit log: uid, pid, the process's name (*ret_command, caller frees). */
ApiCaller fs_caller(const char *path, char **ret_command);
/* The size an open file reads, for fstat(); FALSE if fi holds no snapshot. */
gboolean fs_handle_size(struct fuse_file_info *fi, gsize *ret_size);

/* fs.c: files.c registers every handle it creates (free_func frees it) and unregisters it
 * when it is released; those left when the context is freed are freed then. */
void fs_handle_track(FsContext *ctx, gpointer handle, GDestroyNotify free_func);
void fs_handle_untrack(FsContext *ctx, gpointer handle);

/* readme.c: /README, generated from the tables. */
GBytes *fs_readme(FsContext *ctx);

/* meta.c: the /.wksfs tree. `file` is the path below /.wksfs ("" for the directory). */
gboolean fs_meta_is_dir(const char *file);
/* The names in a meta directory, or NULL if file is not one. */
GPtrArray *fs_meta_list(const char *file);
/* A meta file's content now, or NULL if there is no such file. */
GBytes *fs_meta_content(FsContext *ctx, const char *file);
/* TRUE for command files (written to, one command per write). */
gboolean fs_meta_is_command(const char *file);
/* Runs one command written to a meta command file: 0 or -errno. */
int fs_meta_command(FsContext *ctx, const char *file, const char *data, size_t len);

/* notify.c: kernel cache invalidation, from a thread of its own (never inside a FUSE
 * request or under a lock: libfuse's rule). */
FsNotifier *fs_notifier_start(struct fuse *fuse);
/* Drops what is still queued and joins the thread: no kernel notify after it returns. */
void fs_notifier_stop(FsNotifier *n);
/* Queues a path to invalidate; takes ownership. */
void fs_notifier_queue(FsNotifier *n, char *path);
