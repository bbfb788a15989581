/* query.h — typed access to a request's query arguments, with the API's 400 answers. */
#pragma once

#include "emulator/emulator.h"

/* offset and limit. A missing limit is default_limit (-1: no limit); max_limit -1 = no
 * maximum. A bad offset answers 400 WKS.0508, a bad limit 400 WKS.0509. */
gboolean query_paging(const EmuRequest *req, EmuResponse *resp, gint64 default_limit,
		      gint64 max_limit, gint64 *ret_offset, gint64 *ret_limit);
/* "true" / "false" -> 1 / 0, absent -> -1; anything else answers 400 WKS.0001. */
gboolean query_bool(const EmuRequest *req, EmuResponse *resp, const char *name, int *ret);
/* Every value of a repeated argument (borrowed strings), or NULL when absent. */
GPtrArray *query_all(const EmuRequest *req, const char *name);
