/* fs.h — the FUSE side of wksfs. */
#pragma once

#include <fuse.h>

#include "src/api.h"

typedef struct FsContext FsContext;

/* Takes ownership of api. wait_timeout_s: how long `cat jobs/ID/wait` may block. */
FsContext *fs_context_new(ApiClient *api, gint64 wait_timeout_s);
void fs_context_free(FsContext *ctx);

const struct fuse_operations *fs_operations(void);
