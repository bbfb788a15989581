/* lines.c — a collection as JSON Lines (/<kind>.jsonl): each object's info.json (the object
 * as compact JSON and a "\n"), in the listing's order.
 *
 * Owns: reading a collection's objects out of the cache in listing order, for the size,
 * version and freshness a stat shows and for the snapshot an open reads. Nothing is copied
 * at open: a snapshot holds a reference to each object's info.json (a slice of its cached
 * blob) and where each line starts; a read copies out only the bytes it asks for, and the
 * release drops the references. The listing and the objects come through reader.c, so the
 * file costs what `ls` and `cat STAR/info.json` of the collection cost (the listing's pages;
 * an object a write put in doubt, its GET) and shares their cache, TTL and stale-on-error.
 * Must not: fetch by itself (reader.c does), mark anything stale, or parse JSON.
 */
#include "src/api.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/doubt.h"
#include "src/keys.h"
#include "src/listing.h"
#include "src/reader.h"
#include "src/render.h"
#include "src/store.h"

struct ApiLines {
	GPtrArray *lines;	/* GBytes*: each object's info.json, in listing order */
	guint64 *starts;	/* starts[i]: the offset of line i; starts[lines->len]: the size */
};

gboolean api_lines_kind(const ResKind *kind)
{
	return kind && kind->list_path && !res_is_singleton(kind);
}

/* What is true of every part is true of the whole: its version is the newest part's (each
 * change gives a part a version later than any before: src/render.h, listing.h), it is
 * fresh for as long as its stalest part, stale when one part is. */
static void merge(ApiFreshness *all, const ApiFreshness *part)
{
	all->version_ns = MAX(all->version_ns, part->version_ns);
	all->fresh_us = MIN(all->fresh_us, part->fresh_us);
	all->stale = all->stale || part->stale;
}

/* The listing's names with their freshness: through the cache (a fetch when it is not
 * fresh), or with peek only what is cached and fresh, no name in doubt (-EAGAIN). */
static int names_of(ApiClient *api, const ResKind *kind, gboolean peek, GPtrArray **ret_names,
		    ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_list(kind);
	g_autoptr(GPtrArray) doubts = NULL;
	g_autoptr(GBytes) packed = NULL;
	GPtrArray *names;
	gint64 stored_us = 0;
	gsize len = 0;
	const char *p;

	if (!peek)
		return reader_list(api, kind, NULL, ret_names, NULL, ret_fresh);
	doubts = api_doubts_names(api, kind);
	if (doubts->len > 0)
		return -EAGAIN;
	packed = cache_lookup(api->cache, key, &stored_us);
	if (!packed)
		return -EAGAIN;
	memset(ret_fresh, 0, sizeof(*ret_fresh));
	ret_fresh->fresh_us = stored_us + store_kind_ttl_us(api, kind) - cache_now(api->cache);
	if (ret_fresh->fresh_us <= 0)
		return -EAGAIN;
	p = listing_names(packed, &len, &ret_fresh->version_ns);
	names = g_ptr_array_new_with_free_func(g_free);
	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		g_ptr_array_add(names, g_strdup(p + i));
	*ret_names = names;
	return 0;
}

/* One object's info.json and freshness: the cached value while it is fresh, else (unless
 * peek: -EAGAIN) through the cache's read. */
static int line_of(ApiClient *api, const ResKind *kind, const char *name, gboolean peek,
		   GBytes **ret_line, ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_object(kind, name);
	gint64 stored_us = 0, left = 0;
	g_autoptr(GBytes) blob = cache_lookup(api->cache, key, &stored_us);
	int rc;

	if (blob)
		left = stored_us + store_kind_ttl_us(api, kind) - cache_now(api->cache);
	if (blob && left > 0) {
		*ret_fresh = (ApiFreshness){ render_version_ns(blob), left, FALSE };
	} else {
		g_clear_pointer(&blob, g_bytes_unref);
		if (peek)
			return -EAGAIN;
		rc = reader_get(api, kind, name, NULL, &blob, ret_fresh);
		if (rc < 0)
			return rc;
	}
	*ret_line = render_json(blob);
	return *ret_line ? 0 : -EIO;
}

/* The lines of kind's collection: appended to out (NULL: only counted), their total size
 * and their freshness. An object gone since the listing (-ENOENT) has no line. */
static int collect(ApiClient *api, const ResKind *kind, gboolean peek, GPtrArray *out,
		   guint64 *ret_size, ApiFreshness *ret_fresh)
{
	g_autoptr(GPtrArray) names = NULL;
	ApiFreshness all, part;
	guint64 size = 0;
	int rc;

	if (!api_lines_kind(kind))
		return -ENOENT;
	rc = names_of(api, kind, peek, &names, &all);
	if (rc < 0)
		return rc;
	for (guint i = 0; i < names->len; i++) {
		g_autoptr(GBytes) line = NULL;

		rc = line_of(api, kind, names->pdata[i], peek, &line, &part);
		if (rc == -ENOENT)
			continue;
		if (rc < 0)
			return rc;
		merge(&all, &part);
		size += g_bytes_get_size(line);
		if (out)
			g_ptr_array_add(out, g_steal_pointer(&line));
	}
	*ret_size = size;
	*ret_fresh = all;
	return 0;
}

int api_lines_stat(ApiClient *api, const ResKind *kind, gboolean peek, guint64 *ret_size,
		   ApiFreshness *ret_fresh)
{
	return collect(api, kind, peek, NULL, ret_size, ret_fresh);
}

void api_lines_free(ApiLines *l)
{
	if (!l)
		return;
	g_ptr_array_unref(l->lines);
	g_free(l->starts);
	g_free(l);
}

int api_lines_open(ApiClient *api, const ResKind *kind, ApiLines **ret_lines,
		   ApiFreshness *ret_fresh)
{
	g_autoptr(ApiLines) l = g_new0(ApiLines, 1);
	guint64 size = 0, at = 0;
	int rc;

	l->lines = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	rc = collect(api, kind, FALSE, l->lines, &size, ret_fresh);
	if (rc < 0)
		return rc;
	l->starts = g_new(guint64, l->lines->len + 1);
	for (guint i = 0; i < l->lines->len; i++) {
		l->starts[i] = at;
		at += g_bytes_get_size(l->lines->pdata[i]);
	}
	l->starts[l->lines->len] = at;
	*ret_lines = g_steal_pointer(&l);
	return 0;
}

guint64 api_lines_size(const ApiLines *l)
{
	return l->starts[l->lines->len];
}

/* The line holding offset off (< the size): the last whose start is at or before it. */
static guint line_at(const ApiLines *l, guint64 off)
{
	guint lo = 0, hi = l->lines->len;	/* starts[lo] <= off < starts[hi] */

	while (hi - lo > 1) {
		guint mid = lo + (hi - lo) / 2;

		if (l->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

GBytes *api_lines_read(const ApiLines *l, guint64 off, gsize size)
{
	guint64 total = api_lines_size(l);
	guint8 *buf;
	gsize n = 0;

	if (off >= total || size == 0)
		return g_bytes_new_static("", 0);
	size = (gsize)MIN((guint64)size, total - off);
	buf = g_malloc(size);
	for (guint i = line_at(l, off); n < size; i++) {
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(l->lines->pdata[i], &len);
		gsize skip = (gsize)(off + n - l->starts[i]);
		gsize take = MIN(len - skip, size - n);

		memcpy(buf + n, data + skip, take);
		n += take;
	}
	return g_bytes_new_take(buf, size);
}
