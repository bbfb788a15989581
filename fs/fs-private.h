/* fs-private.h — what the FUSE operations (ll.c) share with attr.c, files.c, meta.c and
 * notify.c. */
#pragma once

#include <sys/types.h>

#include <fuse_lowlevel.h>

#include "fs/fs.h"
#include "fs/inode.h"
#include "fs/node.h"

typedef struct FsNotifier FsNotifier;

/* FUSE requests served, per opcode family, for /.wksfs/stats/fuse_* (requests about
 * /.wksfs itself are not counted: reading the counters must not move them). */
typedef enum {
	FS_OP_LOOKUP,
	FS_OP_GETATTR,
	FS_OP_OPEN,
	FS_OP_READ,
	FS_OP_READDIR,
	FS_OP_OTHER,
	FS_N_OPS,
} FsOp;

struct FsContext {
	ApiClient *api;
	uid_t uid;
	gid_t gid;
	time_t started;
	gint64 wait_timeout_s;	/* how long `cat jobs/ID/wait` waits */
	FsInodes *inodes;
	FsNotifier *notifier;	/* started in init, after the daemon forked; guarded by lock */
	gint stopping;		/* atomic: the session is ending (fs_context_shutdown) */
	gint64 ops[FS_N_OPS];	/* atomic */

	GMutex lock;
	/* Open handles -> their GDestroyNotify: the kernel sends no release for files still
	 * open when the session ends, so fs_context_free frees them. Guarded by lock. */
	GHashTable *handles;
	/* What each <kind>.jsonl's stat last told the kernel (index as in res_kinds): while
	 * the collection has only expired, a stat tells it again, never 0, which would shrink
	 * the file under a reader of the kernel's cached pages; a change (on_invalidate)
	 * resets it to 0, unknown. Guarded by lock. */
	guint64 jsonl_size[API_MAX_KINDS];
	gint64 jsonl_version[API_MAX_KINDS];
};

/* How long the kernel may keep what a reply tells it, and the data version it shows. */
typedef struct {
	double entry_s;		/* the name -> inode */
	double attr_s;		/* the attributes (and with them the kept pages) */
	gint64 version;		/* st_mtime in ns: changes whenever the bytes do; 0 = none */
} FsTimes;

/* request.c: the request the calling thread is serving (NULL on other threads). */
void fs_set_current_req(fuse_req_t req);
fuse_req_t fs_current_req(void);
FsContext *fs_context(void);
/* Who asked, for the audit log: uid, pid, the process's name (*ret_command, caller frees). */
ApiCaller fs_caller(const char *path, char **ret_command);

/* What a stat may fetch to answer (never a whole collection: a collection's directory has
 * fixed attributes). */
typedef enum {
	FS_STAT_PEEK,		/* nothing: -EAGAIN when it is not cached (readdirplus) */
	FS_STAT_FETCH,		/* the object it is about, if it is not fresh */
} FsStatMode;

/* attr.c: a path's attributes and how long the kernel may keep them (an open file's own
 * size, for fstat(), is the caller's: fs_handle_size). */
int fs_stat(FsContext *ctx, const char *path, FsStatMode mode, struct stat *st,
	    FsTimes *times);
/* Whether path is a directory (-ENOTDIR, -ENOENT otherwise), whether the kernel may keep
 * its listing (cache_readdir: the root, /.wksfs, collections, objects), and the version of
 * its entries now if that is known without fetching and fresh (else 0). */
int fs_dir_check(FsContext *ctx, const char *path, gboolean *ret_cacheable,
		 gint64 *ret_version);
/* The attributes of a file made by a create (a new tag) before anything is written to it:
 * empty, and known to the kernel for no time at all. */
void fs_stat_created(FsContext *ctx, struct stat *st);
int fs_readlink(FsContext *ctx, const char *path, char **ret_target);
/* One file of an object: its bytes, whether a write changes it, and the object's
 * version; -ENOENT when the object has no such file. */
int fs_object_file(FsContext *ctx, const ResKind *kind, const char *name, const char *file,
		   GBytes **ret_content, gboolean *ret_writable, gint64 *ret_version);

/* A NODE_SUBFILE's bytes and the version of its object. */
int fs_sub_file(FsContext *ctx, const FsNode *n, GBytes **ret_content, gint64 *ret_version);

typedef struct {
	char *name;		/* escaped, as the kernel sees it */
	mode_t type;		/* S_IFDIR, S_IFREG, S_IFLNK */
} FsDirent;

/* The entries of a directory, "." and ".." first, and their version (as fs_dir_check's;
 * 0 when they are stale). */
int fs_list(FsContext *ctx, const char *path, GArray **ret_entries, gint64 *ret_version);
void fs_dirents_free(GArray *entries);

/* files.c: open files. *ret_version is the data version of a plain read-only file, whose
 * pages the kernel may keep (ll.c decides), and 0 for every other file (direct_io). */
int fs_open(const char *path, struct fuse_file_info *fi, gint64 *ret_version);
/* open(O_CREAT) of a name that does not exist: a new tag where the tree takes one (the value
 * is sent as a field's), else refused (EACCES, EROFS). */
int fs_create(const char *path, struct fuse_file_info *fi);
/* fs_create's descriptor now holds inode ino: the file stands for stat (with no bytes yet,
 * fs_stat_created) until its value is first sent or refused, or the descriptor is
 * released, whichever is first. */
void fs_handle_created(FsContext *ctx, struct fuse_file_info *fi, fuse_ino_t ino);
/* The bytes read() returns (a new reference, maybe empty). */
int fs_read(struct fuse_file_info *fi, size_t size, off_t off, GBytes **ret_bytes);
int fs_write(const char *path, const char *data, size_t size, struct fuse_file_info *fi);
int fs_flush(const char *path, struct fuse_file_info *fi);
void fs_release(FsContext *ctx, struct fuse_file_info *fi);
int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi);
/* The path an open file was opened at. */
const char *fs_handle_path(struct fuse_file_info *fi);
/* The size an open file reads, for fstat(); FALSE if fi holds no snapshot. */
gboolean fs_handle_size(struct fuse_file_info *fi, gsize *ret_size);

/* fs.c */
void fs_handle_track(FsContext *ctx, gpointer handle, GDestroyNotify free_func);
void fs_handle_untrack(FsContext *ctx, gpointer handle);
/* A change the tree cannot take: EROFS (audited) on a read-only mount, else err. */
int fs_refused(const char *path, int err);
int fs_rmdir(const char *path);
/* unlink: a tag's file deletes the tag; anything else is refused. */
int fs_unlink(const char *path);
/* Whether path is a file one may open for writing here (touch is a no-op there). */
gboolean fs_writable_file(FsContext *ctx, const char *path);
/* Every change queued for the kernel so far has reached it. From a request handler, after
 * a mutation: the writer's next read must not find the old bytes in the kernel's cache. */
void fs_sync_kernel(FsContext *ctx);
/* The kernel should drop what it caches of ino (after this request's reply). */
void fs_forget_later(FsContext *ctx, fuse_ino_t ino);

/* readme.c: /README, generated from the tables. */
GBytes *fs_readme(FsContext *ctx);

/* meta.c: the /.wksfs tree. `file` is the path below /.wksfs ("" for the directory). */
gboolean fs_meta_is_dir(const char *file);
/* The names in a meta directory, or NULL if file is not one. */
GPtrArray *fs_meta_list(const char *file);
/* metrics.c: /.wksfs/metrics, the Prometheus text exposition format, rendered now. */
GBytes *fs_metrics(FsContext *ctx);
/* A meta file's content now, or NULL if there is no such file. */
GBytes *fs_meta_content(FsContext *ctx, const char *file);
/* TRUE for command files (written to, one command per write). */
gboolean fs_meta_is_command(const char *file);
/* /.wksfs/changes: read live on its descriptor, its size the API layer's (no snapshot). */
gboolean fs_meta_is_live(const char *file);
/* Runs one command written to a meta command file: 0 or -errno. */
int fs_meta_command(FsContext *ctx, const char *file, const char *data, size_t len);

/* notify.c: kernel cache invalidation, from a thread of its own (never under one of our
 * locks). */
FsNotifier *fs_notifier_start(struct fuse_session *se);
/* Drops what is still queued and joins the thread: no kernel notify after it returns. */
void fs_notifier_stop(FsNotifier *n);
/* Queues an inode for the kernel to drop its attributes, pages and cached listing. */
void fs_notifier_queue(FsNotifier *n, fuse_ino_t ino);
/* How many invalidations were handed to the kernel (0 for NULL). */
guint64 fs_notifier_sent(FsNotifier *n);
/* Inodes queued and not yet sent, now and at the most (each inode is queued once). */
void fs_notifier_pending(FsNotifier *n, guint *now, guint *peak);
/* Returns once everything queued before it was handed to the kernel. */
void fs_notifier_sync(FsNotifier *n);
