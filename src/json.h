/* json.h — cJSON with glib's ownership helpers, and the lenient getters the API needs. */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

/* Parses bytes; NULL when they are not JSON. */
cJSON *json_parse_bytes(GBytes *bytes);
/* The body with every \uD800-\uDFFF escape that is not half of a valid pair turned into
 * the text "\\uXXXX" (an escaped backslash): strict parsers (cJSON) reject a lone
 * surrogate, and one odd name must not make a whole page unreadable. A new reference to
 * the same bytes when there is nothing to change. */
GBytes *json_escape_lone_surrogates(GBytes *bytes);
/* How deep an answer may nest (cJSON refuses 1,000). */
#define JSON_MAX_DEPTH 256
/* The body with every array or object nested deeper than max_depth replaced by null, so
 * that one deep value does not make a whole page unreadable; *ret_cut says how many were.
 * A new reference to the same bytes when there is nothing to change. */
GBytes *json_cut_deep(GBytes *bytes, guint max_depth, guint *ret_cut);
/* A number the API may also send as a numeric string (catalog.md, last section). */
gboolean json_int(const cJSON *v, gint64 *ret);
/* A string field usable as a name: non-empty, valid UTF-8, at most 255 bytes; else NULL. */
const char *json_name(const cJSON *item, const char *field);
