/* tags.c — an object's tag directory (ResTags: desktops/<id>/tags/<key>): which tags it has
 * and what each one's file reads.
 *
 * Owns: where the tags are read from. An object that carries them (4.3.8's `tags`) has them
 * rendered with it (render.c: the marker "<dir>/" and a file "<dir>/<key>" per tag), so a
 * listing that brings the objects brings their tags, and `cat desktops/STAR/tags/STAR`
 * costs no request of its own. An object without the field is asked for its tags (the
 * kind's list_path, one GET), rendered once when the answer arrives and cached among the
 * object's sub-collections ("S:<dir>/<name>/<tags dir>", keys.h), so it is marked stale
 * with the object and a change in it reaches the filesystem like an object's.
 * Must not: change anything (mutate.c sends the tag writes), or parse JSON but in a fetch.
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
} TagsArgs;

/* The object's own tags GET, rendered: the answer holds them in the field the object lacks,
 * so it renders to the same tag files. */
static int fetch_tags(gpointer data, GBytes **ret_value, gint64 *ret_ttl_us)
{
	TagsArgs *a = data;
	const ResKind *kind = a->kind;
	g_autofree char *key = key_sub(kind, a->name, kind->tags->dir);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GBytes) previous = NULL;
	g_autoptr(cJSON) root = NULL;
	gint64 start = g_get_monotonic_time();
	int rc = wks_call_at(a->api->client, kind->service == SERVICE_APPSTREAM, "GET",
			     kind->tags->list_path, a->id, NULL, 0, NULL, &body, NULL);

	store_fetch_done(a->api, rc, start);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	if (!cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(root, kind->tags->field)))
		return -EIO;
	previous = cache_peek(a->api->cache, key);
	*ret_value = render_object(kind, root, previous);
	if (!*ret_value)
		return -EIO;
	/* A change reaches the kernel as an object's does (the tag files are under it). */
	store_object_stored(a->api, kind, a->name, previous, *ret_value);
	*ret_ttl_us = store_kind_ttl_us(a->api, kind);
	return 0;
}

/* How fresh a value stored at stored_us is now (peek: only a fresh one is answered). */
static gint64 fresh_left(ApiClient *api, const ResKind *kind, gint64 stored_us)
{
	return stored_us + store_kind_ttl_us(api, kind) - cache_now(api->cache);
}

static int fallback_blob(ApiClient *api, const ResKind *kind, const char *name, gboolean peek,
			 GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	g_autofree char *key = key_sub(kind, name, kind->tags->dir);
	g_autofree char *id = NULL;
	g_autoptr(GBytes) blob = NULL;
	CacheGetOptions o = store_cache_options(api);
	CacheInfo info;
	gint64 stored_us = 0, now, left;
	int rc;

	if (peek) {
		blob = cache_lookup(api->cache, key, &stored_us);
		if (!blob || fresh_left(api, kind, stored_us) <= 0)
			return -EAGAIN;
		*ret_fresh = (ApiFreshness){ render_version_ns(blob),
					     fresh_left(api, kind, stored_us), FALSE };
		*ret_blob = g_steal_pointer(&blob);
		return 0;
	}
	rc = reader_object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	o.negative_ttl_us = 0;	/* the object exists: its tags are never "absent" */
	TagsArgs args = { api, kind, name, id };
	rc = cache_get(api->cache, key, fetch_tags, &args, &o, &blob, &info);
	if (rc < 0)
		return rc;
	now = cache_now(api->cache);
	left = !info.stale && info.expires_us > now ? info.expires_us - now : 0;
	*ret_fresh = (ApiFreshness){ render_version_ns(blob), left, info.stale };
	*ret_blob = g_steal_pointer(&blob);
	return 0;
}

/* The blob that holds the object's tag files: the object's own, or its tags GET's. */
static int tags_blob(ApiClient *api, const ResKind *kind, const char *name, gboolean peek,
		     GBytes **ret_blob, ApiFreshness *ret_fresh)
{
	g_autofree char *marker = NULL;
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness f;
	int rc;

	if (!kind->tags)
		return -ENOENT;
	rc = peek ? api_peek_object(api, kind, name, &blob, &f)
		  : reader_get(api, kind, name, NULL, &blob, &f);
	if (rc < 0)
		return rc;
	marker = res_tag_file(kind->tags, "");
	if (render_find(blob, marker) < 0)
		return fallback_blob(api, kind, name, peek, ret_blob, ret_fresh);
	*ret_blob = g_steal_pointer(&blob);
	*ret_fresh = f;
	return 0;
}

int api_tags(ApiClient *api, const ResKind *kind, const char *name, gboolean peek,
	     GPtrArray **ret_keys, ApiFreshness *ret_fresh)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness f;
	int rc = tags_blob(api, kind, name, peek, &blob, &f);

	if (rc < 0)
		return rc;
	if (ret_keys) {
		GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);

		for (guint i = 0; i < render_count(blob); i++) {
			const char *key = res_tag_key(kind, render_name(blob, i));

			if (key && key[0])
				g_ptr_array_add(keys, g_strdup(key));
		}
		*ret_keys = keys;
	}
	if (ret_fresh)
		*ret_fresh = f;
	return 0;
}

int api_tag(ApiClient *api, const ResKind *kind, const char *name, const char *key,
	    gboolean peek, GBytes **ret_content, ApiFreshness *ret_fresh)
{
	g_autoptr(GBytes) blob = NULL;
	g_autofree char *file = NULL;
	ApiFreshness f;
	int rc = tags_blob(api, kind, name, peek, &blob, &f), i;

	if (rc < 0)
		return rc;
	file = res_tag_file(kind->tags, key);
	i = key[0] ? render_find(blob, file) : -1;
	if (i < 0)
		return -ENOENT;
	if (ret_content)
		*ret_content = render_content(blob, (guint)i);
	if (ret_fresh)
		*ret_fresh = f;
	return 0;
}
