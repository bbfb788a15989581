/* shape.h — the kinds listing.c does not page itself (src/shape.c): a singleton, whose one
 * object comes from one or more GETs, and a list inside an object ("quotas.resources").
 * listing_fetch() hands them here. */
#pragma once

#include "src/api-private.h"
#include "src/json.h"

/* Whether listing_fetch() leaves the kind to shape_fetch(). */
gboolean shape_owns(const ResKind *kind);
/* Like listing_fetch: the names, NUL-separated, in API order; every object fetched is
 * stored in the cache as fetched at started_us, unless ticket says a mutation came after. */
int shape_fetch(ApiClient *api, const ResKind *kind, CacheTicket ticket, gint64 started_us,
		GBytes **ret_packed);
/* The array a response holds at array_key, which may name a path of objects
 * ("quotas.resources"); NULL when there is none. */
const cJSON *shape_array(const cJSON *root, const char *array_key);
