/* listing.h — a collection, every page of it (listing.c), and the cached value of a listing
 * (its names and their version). */
#pragma once

#include <glib.h>

#include "src/api.h"

/* Every page of a collection, started at started_us (cache_now's clock). Stores each object
 * in the cache, as fetched at started_us, and returns the names, NUL-separated, in API
 * order. */
int listing_fetch(ApiClient *api, const ResKind *kind, gint64 started_us, GBytes **ret_packed);
/* A listing's cached value: the version of its names (wall ns, as a blob's version), then
 * the names, NUL-separated, in API order. listing_versioned() makes it from the names: the
 * version is previous's (the value it replaces) while the names are the same in the same
 * order, else now and later than previous's. */
GBytes *listing_versioned(GBytes *names, GBytes *previous);
/* The names of a listing's value (*ret_len bytes) and, when ret_version_ns is not NULL,
 * their version. */
const char *listing_names(GBytes *value, gsize *ret_len, gint64 *ret_version_ns);
/* The query of one page: offset/limit (buffers hold the numbers) and, for kinds that need
 * it, the session window. Returns the number of pairs (at most 4). */
gsize listing_page_query(ApiClient *api, const ResKind *kind, gint64 offset,
			 char bufs[4][40], SignerPair ret_query[4]);
/* A sub-collection's names (LINK_SUBLIST), every page. */
int listing_fetch_sub(ApiClient *api, const char *path, const char *id, const char *array,
		      const char *total, const char *name_field, int limit,
		      GPtrArray **ret_names);
