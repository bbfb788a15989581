/* query.h — typed access to a request's query arguments, with the API's 400 answers. */
#pragma once

#include "emulator/emulator.h"

/* One list's paging rules (catalog.md's pagination table). */
typedef struct {
	gint64 default_limit;           /* a missing limit; -1 = no limit */
	gint64 min_limit;
	gint64 max_limit;               /* -1 = no maximum */
	gboolean zero_is_default;       /* limit=0 means the default (4.9.1, 4.9.7) */
} QueryPage;

/* offset and limit. A bad offset answers 400 WKS.0508, a bad limit 400 WKS.0509. */
gboolean query_page(const EmuRequest *req, EmuResponse *resp, const QueryPage *page,
		    gint64 *ret_offset, gint64 *ret_limit);
/* query_page with limits from 0 to max_limit. */
gboolean query_paging(const EmuRequest *req, EmuResponse *resp, gint64 default_limit,
		      gint64 max_limit, gint64 *ret_offset, gint64 *ret_limit);
/* "true" / "false" -> 1 / 0, absent -> -1; anything else answers 400 WKS.0001. */
gboolean query_bool(const EmuRequest *req, EmuResponse *resp, const char *name, int *ret);
/* Every value of a repeated argument (borrowed strings), or NULL when absent. */
GPtrArray *query_all(const EmuRequest *req, const char *name);
/* The API's "fuzzy" match of a query value: an ASCII-case-insensitive substring (queries
 * are bytes, not necessarily UTF-8). */
gboolean query_fuzzy(const char *haystack, const char *needle);
/* An item of a comma-separated query value ("a,b,c"). */
gboolean query_in_list(const char *csv, const char *item);

/* A body's array of 1..max distinct, non-empty string ids (borrowed into ids). FALSE, with
 * 400 WKS.0001 naming `field`, when it is anything else. */
gboolean query_id_array(const cJSON *arr, const char *field, guint max, GPtrArray *ids,
			EmuResponse *resp);
