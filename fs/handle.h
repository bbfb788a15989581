/* handle.h — an open file's state (FsHandle), shared by files.c, which opens, reads and
 * releases descriptors, and writes.c, which takes their writes, flushes and truncations. */
#pragma once

#include "fs/fs-private.h"

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
	HANDLE_CHANGES,		/* /.wksfs/changes: read live, at absolute offsets */
} HandleType;

typedef struct {
	HandleType type;
	FsNode *node;
	char *path;		/* where it was opened, from the mount's root */
	const ResField *field;
	GBytes *snapshot;	/* what reads see: fixed at open (WAIT: once it has waited) */
	ApiLines *lines;	/* a SNAPSHOT of a <kind>.jsonl instead: its lines at open */
	GMutex lock;		/* guards the fields below and a WAIT's snapshot */
	GByteArray *pending;	/* FIELD, commands: the line written so far, not yet sent */
	gboolean truncated;	/* FIELD: truncated (O_TRUNC, ftruncate) and not written since */
	gboolean unchanged;	/* FIELD: neither written nor truncated since open */
	int dropping;		/* the current line was refused before its end (-EFBIG: it passed
				 * MAX_LINE; -EINVAL: no more writing makes it valid): its
				 * bytes are dropped up to its newline, each write failing so */
	gboolean refused;	/* a document refused: nothing more of it is taken or sent */
	fuse_ino_t created;	/* a create made its file (fs_create), whose value is not sent
				 * yet: its inode, until the first send (fs_handle_created) */
	char *result;		/* ACTION, CREATE: this descriptor's last outcome, once it
				 * wrote */
	guint64 written;	/* bytes written on this descriptor */
	guint64 result_at;	/* `written` when the result was set: the descriptor's offset
				 * then, from which a read reads the result from its start */
} FsHandle;

static inline FsHandle *handle_of(struct fuse_file_info *fi)
{
	return (FsHandle *)(uintptr_t)fi->fh;
}

/* The file a create made (fs_create) exists by itself from now on, or, its value refused,
 * not at all. */
void fs_handle_created_done(FsContext *ctx, FsHandle *h);
/* EROFS for a change to a read-only mount, audited as refused. */
int fs_refuse_read_only(FsContext *ctx, const char *path);
