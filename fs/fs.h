/* fs.h — the FUSE side of wksfs. */
#pragma once

#include <fuse.h>

#include "src/api.h"

typedef struct FsContext FsContext;

/* Takes ownership of api. */
FsContext *fs_context_new(ApiClient *api);
void fs_context_free(FsContext *ctx);

const struct fuse_operations *fs_operations(void);
