/* fs.h — the FUSE side of wksfs. */
#pragma once

#include <fuse_lowlevel.h>

#include "src/api.h"

typedef struct FsContext FsContext;

/* wait_timeout_s: how long `cat jobs/ID/wait` may block. Made before the start-up probe,
 * so that libfuse can check its options first; the api is attached once the probe passed. */
FsContext *fs_context_new(gint64 wait_timeout_s);
/* Takes ownership of api; before the mount, never after. */
void fs_context_set_api(FsContext *ctx, ApiClient *api);
void fs_context_free(FsContext *ctx);

/* The session is ending (a signal): from now on reads that wait for the network and job
 * waits end with ECANCELED, and a mutation not yet sent is refused with ECANCELED; one
 * already in flight completes and its writer gets the real outcome. Any thread. */
void fs_context_shutdown(FsContext *ctx);
/* TRUE while a mutation is on the wire (the shutdown lets it finish). Any thread. */
gboolean fs_context_busy(FsContext *ctx);
/* After the FUSE loop returned, before fuse_unmount() and fuse_destroy() (libfuse frees its
 * node table before it calls .destroy): shuts down, then joins the job watcher and the
 * kernel notifier, so nothing touches the session any more. */
void fs_context_stop(FsContext *ctx);

/* Starts the kernel notifier, once the session exists and the daemon forked. */
void fs_context_start(FsContext *ctx, struct fuse_session *se);

/* The low-level operations (fs/ll.c); the session's userdata is the FsContext. */
const struct fuse_lowlevel_ops *fs_operations(void);

/* SIGTERM, SIGINT and SIGHUP, once the daemon runs (fs/shutdown.c): reads and waits are
 * cancelled, the mount is detached, mutations in flight finish and their writers learn the
 * outcome, then the loop ends (exit 0). NULL when it cannot be set up. */
typedef struct FsShutdown FsShutdown;
FsShutdown *fs_shutdown_start(struct fuse_session *se, FsContext *ctx, const char *mountpoint);
/* After the loop returned: stops the thread, restores the signal handlers. */
void fs_shutdown_finish(FsShutdown *sd);
