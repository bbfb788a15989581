/* peek.c — what the cache holds now, without fetching (the filesystem asks before it lets
 * the kernel keep a listing, and for readdirplus entries).
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/keys.h"
#include "src/listing.h"
#include "src/render.h"
#include "src/store.h"

int api_peek_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_blob,
		    ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_object(kind, name);
	gint64 stored_us = 0, left;
	GBytes *blob = cache_lookup(api->cache, key, &stored_us);

	memset(ret_fresh, 0, sizeof(*ret_fresh));
	if (!blob)
		return -EAGAIN;
	left = stored_us + store_kind_ttl_us(api, kind) - cache_now(api->cache);
	if (left <= 0) {
		g_bytes_unref(blob);
		return -EAGAIN;
	}
	ret_fresh->version_ns = render_version_ns(blob);
	ret_fresh->fresh_us = left;
	*ret_blob = blob;
	return 0;
}

int api_list_peek(ApiClient *api, const ResKind *kind, ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_list(kind);
	g_autoptr(GBytes) value = cache_peek(api->cache, key);
	gint64 stored_us = 0;
	gsize len;

	memset(ret_fresh, 0, sizeof(*ret_fresh));
	if (!value)
		return -ENOENT;
	listing_names(value, &len, &ret_fresh->version_ns);
	if (cache_state(api->cache, key, &stored_us) == CACHE_FRESH)
		ret_fresh->fresh_us = MAX(stored_us + store_kind_ttl_us(api, kind) -
						  cache_now(api->cache),
					  0);
	return 0;
}
