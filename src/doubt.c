/* doubt.c — the names in doubt: which objects changed since their collection's listing was
 * fetched, so that a mutation of one object need not mark the whole listing stale.
 *
 * Owns: per kind, the set of names an invalidation put in doubt (ApiClient.in_doubt, under
 * api->lock). A field write, an action or a job's end changes an object, not the names of
 * its collection; a DELETE takes a name out. Rather than re-reading the whole listing after
 * every mutation (and refusing the store of a listing in flight), the object alone is
 * marked stale and its name put in doubt: the next read of the object settles it (a fresh
 * value came from the API after the mutation; a 404 marks the listing stale), and a listing
 * is served only after its names in doubt are settled, one GET each (which reading those
 * objects would cost anyway): reader.c reads them, from api_doubts_names(). Must not: read
 * (it makes no request and calls no module of the API layer), hold api->lock across
 * anything but the sets, or mark anything stale but the listing and what is derived from it.
 */
#include "src/doubt.h"

#include <errno.h>

#include "src/api-private.h"
#include "src/keys.h"

/* Whether one object can be fetched by itself (by id, or by the list's name filter); if
 * not, its collection's listing is the only way to it. */
gboolean api_fetchable_alone(const ResKind *kind)
{
	return (kind->detail_path && g_str_equal(kind->id_field, kind->name_field)) ||
	       kind->name_filter;
}

/* More names in doubt than this and the listing is marked stale instead: its pages cost
 * less than a GET per name. */
#define DOUBTS_MAX 16

/* An object of kind changed: its name is in doubt (a DELETE takes it out of the listing;
 * the other mutations leave the names as they are). FALSE when the listing itself must be
 * marked stale instead: the kind cannot fetch one object, or too many names are in doubt. */
gboolean api_doubt_add(ApiClient *api, const ResKind *kind, const char *name)
{
	int k = res_kind_index(kind);
	GHashTable **set;
	gboolean ok = TRUE;

	if (!kind->list_path || !api_fetchable_alone(kind) || k < 0 || k >= API_MAX_KINDS)
		return FALSE;
	g_mutex_lock(&api->lock);
	set = &api->in_doubt[k];
	if (!*set)
		*set = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_hash_table_add(*set, g_strdup(name));
	if (g_hash_table_size(*set) > DOUBTS_MAX) {
		g_clear_pointer(set, g_hash_table_unref);
		ok = FALSE;
	}
	g_mutex_unlock(&api->lock);
	return ok;
}

void api_doubts_forget(ApiClient *api, const ResKind *kind)
{
	int k = res_kind_index(kind);

	if (k < 0 || k >= API_MAX_KINDS)
		return;
	g_mutex_lock(&api->lock);
	g_clear_pointer(&api->in_doubt[k], g_hash_table_unref);
	g_mutex_unlock(&api->lock);
}

/* A read of an object ended with rc: one that came from the API after the object was
 * invalidated (a fresh value is one: the guard refuses older fetches) settles its name's
 * doubt; a 404 also marks the listing, which still names it, stale. */
void api_doubt_settle(ApiClient *api, const ResKind *kind, const char *name, int rc,
		      const CacheInfo *info)
{
	int k = res_kind_index(kind);
	gboolean was;

	if (k < 0 || k >= API_MAX_KINDS || (rc < 0 && rc != -ENOENT) || (rc == 0 && info->stale))
		return;
	g_mutex_lock(&api->lock);
	was = api->in_doubt[k] && g_hash_table_remove(api->in_doubt[k], name);
	g_mutex_unlock(&api->lock);
	if (was && rc == -ENOENT) {
		g_autofree char *lkey = key_list(kind);
		g_autofree char *derived = key_indexes(kind);

		cache_invalidate(api->cache, lkey);
		cache_invalidate_prefix(api->cache, derived);
	}
}

GPtrArray *api_doubts_names(ApiClient *api, const ResKind *kind)
{
	int k = res_kind_index(kind);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	if (k < 0 || k >= API_MAX_KINDS)
		return names;
	g_mutex_lock(&api->lock);
	if (api->in_doubt[k]) {
		GHashTableIter it;
		gpointer name;

		g_hash_table_iter_init(&it, api->in_doubt[k]);
		while (g_hash_table_iter_next(&it, &name, NULL))
			g_ptr_array_add(names, g_strdup(name));
	}
	g_mutex_unlock(&api->lock);
	return names;
}
