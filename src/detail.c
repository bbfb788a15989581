/* detail.c — detail-only fields (ResField.detail_only): what an object's listing leaves out
 * and only its detail GET returns (a script's content: 4.24.2 lists brief objects, 4.24.3
 * has the content).
 *
 * Owns: which blob a file of an object is read from. The object's own, unless the file is a
 * detail-only field the object shows empty (a brief object from the listing: the renderer
 * gives a writable field the object lacks an empty file); then the object's detail, fetched
 * by the id the cached object holds, rendered once and cached under the object's
 * "S:<dir>/<name>/" prefix (keys.h), so that whatever invalidates the object drops it, and
 * it expires with the kind's TTL. So `ls scripts` stays the listing's pages, and reading a
 * script's content costs one detail GET, once per TTL. An object fetched by its detail (a
 * read after a write) shows the field itself: no second GET.
 * Must not: change the object's own cache entry (the listing keeps storing brief objects
 * there), or know FUSE.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/json.h"
#include "src/keys.h"
#include "src/reader.h"
#include "src/render.h"
#include "src/store.h"

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	const char *name;
	const char *id;
} DetailArgs;

static int fetch_detail(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	DetailArgs *a = data;
	const ResKind *kind = a->kind;
	g_autofree char *key = key_detail(kind, a->name);
	g_autoptr(GBytes) body = NULL, previous = NULL;
	g_autoptr(cJSON) root = NULL;
	gint64 start = g_get_monotonic_time();
	const cJSON *obj;
	int rc;

	*ret_ttl_us = store_kind_ttl_us(a->api, kind);
	rc = wks_call_at(a->api->client, kind->service == SERVICE_APPSTREAM, "GET",
			 kind->detail_path, a->id, NULL, 0, NULL, &body, NULL);
	store_fetch_done(a->api, rc, start);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	obj = kind->detail_wrapper ? cJSON_GetObjectItem(root, kind->detail_wrapper) : root;
	if (!cJSON_IsObject(obj))
		return -EIO;
	if (g_strcmp0(json_name(obj, kind->name_field), a->name) != 0)
		return -ENOENT;	/* renamed since the listing: its name is another directory */
	previous = cache_peek(a->api->cache, key);
	*ret_value = render_object(kind, obj, previous);
	return *ret_value ? 0 : -EIO;
}

/* How fresh a cached answer is (reader.c's rule). */
static ApiFreshness freshness(ApiClient *api, GBytes *blob, const CacheInfo *info)
{
	gint64 now = cache_now(api->cache);
	gint64 left = !info->stale && info->expires_us > now ? info->expires_us - now : 0;

	return (ApiFreshness){ render_version_ns(blob), left, info->stale };
}

/* The detail of an object whose blob (from the listing) lacks the field. */
static int get_detail(ApiClient *api, const ResKind *kind, const char *name, GBytes *object,
		      gboolean peek, GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_detail(kind, name);
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GBytes) blob = NULL;
	CacheGetOptions o = store_cache_options(api);
	gboolean array = FALSE;
	gint64 stored_us = 0;
	CacheInfo info;
	DetailArgs args = { api, kind, name, NULL };
	int rc;

	if (peek) {
		gint64 left;

		blob = cache_lookup(api->cache, key, &stored_us);
		left = blob ? stored_us + store_kind_ttl_us(api, kind) - cache_now(api->cache) : 0;
		if (left <= 0)
			return -EAGAIN;
		*ret_fresh = (ApiFreshness){ render_version_ns(blob), left, FALSE };
		*ret_blob = g_steal_pointer(&blob);
		return 0;
	}
	ids = render_field_strings(object, kind->id_field, &array);
	if (!ids || array || ids->len != 1)
		return -EIO;
	args.id = ids->pdata[0];
	rc = cache_get(api->cache, key, fetch_detail, &args, &o, &blob, &info);
	if (rc < 0)
		return rc;
	*ret_fresh = freshness(api, blob, &info);
	*ret_blob = g_steal_pointer(&blob);
	return 0;
}

int api_get_object_file(ApiClient *api, const ResKind *kind, const char *name,
			const char *file, gboolean peek, GBytes **ret_blob,
			ApiFreshness *ret_fresh)
{
	const ResField *field = file ? res_field_for_file(kind, file) : NULL;
	g_autoptr(GBytes) blob = NULL, detail = NULL;
	ApiFreshness f;
	int i, rc;

	rc = peek ? api_peek_object(api, kind, name, &blob, &f)
		  : reader_get(api, kind, name, NULL, &blob, &f);
	if (rc < 0)
		return rc;
	i = field && field->detail_only ? render_find(blob, file) : -1;
	if (i >= 0 && render_size(blob, (guint)i) == 0) {
		rc = get_detail(api, kind, name, blob, peek, &detail, &f);
		if (rc < 0)
			return rc;
		g_clear_pointer(&blob, g_bytes_unref);
		blob = g_steal_pointer(&detail);
	}
	if (ret_fresh)
		*ret_fresh = f;
	*ret_blob = g_steal_pointer(&blob);
	return 0;
}
