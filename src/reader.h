/* reader.h — the cached reads (reader.c): a collection's listing and one object, through the
 * cache. Below the facade (api.c) and the other modules that read (links.c, mutate.c). */
#pragma once

#include <glib.h>

#include "cache/cache.h"
#include "src/api.h"

/* The listing of kind through the cache: its names in API order (char*, owned by the
 * array), the cache's answer (info.stale when the names are the last good ones) and its
 * freshness; each ret_* may be NULL. The names in doubt are settled first. o: the options of
 * the read, NULL for store_cache_options() (taken before the doubts are settled). */
int reader_list(ApiClient *api, const ResKind *kind, const CacheGetOptions *o,
		GPtrArray **ret_names, CacheInfo *ret_info, ApiFreshness *ret_fresh);

/* One object through the cache, rendered (a blob of src/render.h), and how fresh it is;
 * either may be NULL. The answer settles the object's doubt. o as for reader_list. */
int reader_get(ApiClient *api, const ResKind *kind, const char *name, const CacheGetOptions *o,
	       GBytes **ret_blob, ApiFreshness *ret_fresh);

/* The id the API paths take, from the (cached) object. */
int reader_object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id);
