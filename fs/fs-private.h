/* fs-private.h — what the FUSE operations share with meta.c and notify.c. */
#pragma once

#include <sys/types.h>

#include "fs/fs.h"

typedef struct FsNotifier FsNotifier;

struct FsContext {
	ApiClient *api;
	uid_t uid;
	gid_t gid;
	time_t started;
	FsNotifier *notifier;	/* started in init, after the daemon forked */

	GMutex lock;
	/* Per kind (index in res_kinds): every file name rendered so far, so an invalidation
	 * can name the kernel's cached entries. Small: the fields of one kind. */
	GHashTable *seen_files[API_MAX_KINDS];	/* guarded by lock */
};

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
void fs_notifier_stop(FsNotifier *n);
/* Queues a path to invalidate; takes ownership. */
void fs_notifier_queue(FsNotifier *n, char *path);
