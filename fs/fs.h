/* fs.h — the FUSE side of wksfs. */
#pragma once

#include <fuse.h>

#include "src/api.h"

typedef struct FsContext FsContext;

/* wait_timeout_s: how long `cat jobs/ID/wait` may block. Made before the start-up probe,
 * so that libfuse can check its options first; the api is attached once the probe passed. */
FsContext *fs_context_new(gint64 wait_timeout_s);
/* Takes ownership of api; before the mount, never after. */
void fs_context_set_api(FsContext *ctx, ApiClient *api);
void fs_context_free(FsContext *ctx);

const struct fuse_operations *fs_operations(void);
