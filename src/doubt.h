/* doubt.h — the names in doubt (doubt.c): per kind, the objects changed since their
 * collection's listing was fetched. Invalidation (store.c) adds them; reads (reader.c)
 * settle them. */
#pragma once

#include <glib.h>

#include "cache/cache.h"
#include "src/api.h"

/* Whether one object can be fetched by itself (by id or by the list's name filter); if not,
 * its collection's listing is the only way to it. */
gboolean api_fetchable_alone(const ResKind *kind);
/* An object changed: its name is put in doubt. FALSE when its collection's listing must be
 * marked stale instead (the kind cannot fetch one object, or too many names are in doubt). */
gboolean api_doubt_add(ApiClient *api, const ResKind *kind, const char *name);
/* The listing is read again anyway: no name of kind is in doubt. */
void api_doubts_forget(ApiClient *api, const ResKind *kind);
/* A read of the object ended with rc (and info): settles its name if the answer says. */
void api_doubt_settle(ApiClient *api, const ResKind *kind, const char *name, int rc,
		      const CacheInfo *info);
/* The names of kind in doubt, copied (char*, owned by the array; empty: none). Reading
 * each object settles it (reader.c does, before it serves the listing). */
GPtrArray *api_doubts_names(ApiClient *api, const ResKind *kind);
