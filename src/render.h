/* render.h — an API object as the files of its directory (the sysfs rule), rendered once.
 *
 * Every file of an object, in a stable order: one per top-level field (a scalar is its text
 * plus "\n", null is empty, an array of scalars one item per line, anything else its JSON,
 * compact, plus "\n", in "<field>.json", as is a field the kind lists as JSON), the kind's
 * aliases, an empty file for each writable field the object lacks, for a kind with tags
 * (ResTags) that carries them a marker "<dir>/" and one writable "<dir>/<key>" per tag (the
 * value as a scalar's file: res_tag_file), and info.json: the whole object as compact JSON
 * and a "\n". Field names that collide with the fixed files (info.json, action, wait, link
 * and tag directories, tags' files) or are not usable as names (empty, not UTF-8, over 255
 * bytes) are left out; their data stays in info.json. The first of two fields with one name
 * wins, as does the first of two tags with one key.
 *
 * The rendered form is one immutable GBytes, the blob: the cache holds it, and a request
 * reads names, sizes and bytes out of it without parsing or printing JSON. The accessors
 * take any GBytes and answer 0, NULL or -1 for one render_object() did not make.
 */
#pragma once

#include <cjson/cJSON.h>
#include <glib.h>

#include "src/resources.h"

/* The rendered object: built once when the object enters the cache. NULL if obj is not a
 * JSON object (or renders to more than 256 MiB). previous (may be NULL) is the blob this one
 * replaces: when every file's name, flags and bytes are identical, the new blob keeps
 * previous's version time, otherwise its version is now (wall clock, ns), strictly greater
 * than previous's. */
GBytes *render_object(const ResKind *kind, const cJSON *obj, GBytes *previous);
/* A blob render_object made (magic check). */
gboolean render_is_blob(GBytes *blob);
/* The number of files. */
guint render_count(GBytes *blob);
/* File i's name (unescaped), NUL-terminated, inside the blob. */
const char *render_name(GBytes *blob, guint i);
/* A field file a write changes. */
gboolean render_writable(GBytes *blob, guint i);
gsize render_size(GBytes *blob, guint i);
/* File i's bytes: a new reference into the blob (g_bytes_new_from_bytes, no copy), or for a
 * file that is a slice of info.json, a copy of its few bytes with their "\n". */
GBytes *render_content(GBytes *blob, guint i);
/* The index of the file called name, or -1. No allocation. */
int render_find(GBytes *blob, const char *name);
/* The object's JSON: info.json's bytes, no copy. */
GBytes *render_json(GBytes *blob);
/* When these bytes were first seen (wall clock, ns); 0 for a non-blob. */
gint64 render_version_ns(GBytes *blob);

/* The names a top-level field of the object holds, as the API layer reads an id, a view's
 * key or a link: for an array, each non-empty string in it, in order (*ret_array TRUE);
 * otherwise the field if it is a usable name (json_name(): a non-empty string of at most
 * 255 bytes of UTF-8), or none. Read from the field's own file when that shows the field
 * exactly, else from render_json() parsed (an aliased, reserved or structured field, one
 * the object lacks, or an object with keys that differ only in case, which cJSON's lookup
 * would confuse). NULL for a non-blob. */
GPtrArray *render_field_strings(GBytes *blob, const char *field, gboolean *ret_array);
