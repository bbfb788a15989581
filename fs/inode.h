/* inode.h — the inodes the kernel holds: numbers, paths and lookup counts (low-level FUSE).
 * Thread-safe. Numbers are never reused, so no generation is needed. */
#pragma once

#include <glib.h>

#include <fuse_lowlevel.h>

typedef struct FsInodes FsInodes;

FsInodes *fs_inodes_new(void);
void fs_inodes_free(FsInodes *t);

/* The path of ino ("/" for the root), NULL when the kernel holds no such inode. Caller
 * frees. */
char *fs_inodes_path(FsInodes *t, fuse_ino_t ino);
/* The inode of name in parent, made the first time, its lookup count raised by one: for a
 * reply the kernel counts (an entry, a create, a readdirplus entry). 0 if parent is gone. */
fuse_ino_t fs_inodes_ref(FsInodes *t, fuse_ino_t parent, const char *name);
/* The inode of name in parent, if the kernel holds it (no count taken); 0 otherwise. */
fuse_ino_t fs_inodes_child(FsInodes *t, fuse_ino_t parent, const char *name);
/* The inode a path names, if the kernel holds it (no count taken); 0 otherwise. */
fuse_ino_t fs_inodes_find(FsInodes *t, const char *path);
/* The kernel dropped n lookups of ino. */
void fs_inodes_forget(FsInodes *t, fuse_ino_t ino, guint64 n);
/* ino and every inode the kernel holds below it, appended to out (fuse_ino_t). */
void fs_inodes_subtree(FsInodes *t, fuse_ino_t ino, GArray *out);
/* The data version (ns) last told the kernel in this inode's attributes; 0 if none. */
void fs_inodes_set_version(FsInodes *t, fuse_ino_t ino, gint64 version);
gint64 fs_inodes_version(FsInodes *t, fuse_ino_t ino);
/* A directory: the version of the entries the kernel was last given (its readdir cache). */
void fs_inodes_set_listed(FsInodes *t, fuse_ino_t ino, gint64 version);
gint64 fs_inodes_listed(FsInodes *t, fuse_ino_t ino);
/* A create made this file and opened it (delta 1), or that descriptor sent its value or
 * was released (-1): until then the file exists for stat although nothing was sent (a new
 * tag's value goes out when written, or at close). */
void fs_inodes_add_created(FsInodes *t, fuse_ino_t ino, int delta);
gboolean fs_inodes_created(FsInodes *t, fuse_ino_t ino);
/* How many inodes the kernel holds. */
guint fs_inodes_count(FsInodes *t);
