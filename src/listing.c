/* listing.c — a collection, every page of it: the first page gives the total, the rest are
 * fetched at once, never more than max_conns in flight. Each object is stored in the cache
 * as it arrives, so `cat desktops/STAR/status` costs the pages and nothing per desktop.
 * A hostile total never makes it loop for ever (MAX_PAGES), and duplicate or nameless
 * objects are skipped (they could not be addressed).
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#define MAX_PAGES 10000

void listing_page_query(const ResKind *kind, gint64 offset, char off[24], char lim[24],
			SignerPair ret_query[2])
{
	g_snprintf(off, 24, "%" G_GINT64_FORMAT, offset);
	g_snprintf(lim, 24, "%d", kind->page_limit);
	ret_query[0] = (SignerPair){ "offset", off };
	ret_query[1] = (SignerPair){ "limit", lim };
}

static int get_page(ApiClient *api, const ResKind *kind, gint64 offset, cJSON **ret_root)
{
	char off[24], lim[24];
	SignerPair q[2];
	g_autoptr(GBytes) body = NULL;
	cJSON *root;
	int rc;

	listing_page_query(kind, offset, off, lim, q);
	rc = wks_call(api->client, "GET", kind->list_path, NULL, q, 2, NULL, &body, NULL);
	if (rc < 0)
		return rc;
	root = json_parse_bytes(body);
	if (!cJSON_IsArray(cJSON_GetObjectItem(root, kind->array_key))) {
		g_warning("GET %s: no \"%s\" array in the response", kind->list_path,
			  kind->array_key);
		cJSON_Delete(root);
		return -EIO;
	}
	*ret_root = root;
	return 0;
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	gint64 first_offset;	/* offset of page 1 (page 0 is already fetched) */
	int n_pages;
	cJSON **roots;		/* one slot per page; each written by one worker */
	int *rcs;
	gint next;		/* next page to fetch (atomic) */
} PageJob;

static gpointer page_worker(gpointer data)
{
	PageJob *job = data;
	int i;

	while ((i = g_atomic_int_add(&job->next, 1)) < job->n_pages) {
		gint64 offset = job->first_offset + (gint64)i * job->kind->page_limit;

		job->rcs[i] = get_page(job->api, job->kind, offset, &job->roots[i]);
		if (job->rcs[i] < 0)
			g_atomic_int_set(&job->next, job->n_pages);	/* stop early */
	}
	return NULL;
}

/* Pages 1..n-1 at once, at most max_conns in flight; the results in page order. */
static int fetch_pages(ApiClient *api, const ResKind *kind, gint64 first_offset, int n_pages,
		       cJSON ***ret_roots)
{
	PageJob job = { api, kind, first_offset, n_pages, g_new0(cJSON *, n_pages),
			g_new0(int, n_pages), 0 };
	int n_threads = MIN(api->max_conns, n_pages);
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	int rc = 0;

	for (int t = 1; t < n_threads; t++)
		g_ptr_array_add(threads, g_thread_new("wksfs-page", page_worker, &job));
	page_worker(&job);	/* this thread works too */
	for (guint t = 0; t < threads->len; t++)
		g_thread_join(threads->pdata[t]);
	for (int i = 0; i < n_pages && rc == 0; i++)
		rc = job.rcs[i];
	g_free(job.rcs);
	if (rc < 0) {
		for (int i = 0; i < n_pages; i++)
			cJSON_Delete(job.roots[i]);
		g_free(job.roots);
		return rc;
	}
	*ret_roots = job.roots;
	return 0;
}

typedef struct {
	GPtrArray *names;
	GHashTable *seen;
	GByteArray *packed;
	guint64 gen;
} Listing;

/* Takes a page's objects into the listing and the cache; returns how many it had. */
static int absorb_page(ApiClient *api, const ResKind *kind, const cJSON *root, Listing *l)
{
	const cJSON *arr = cJSON_GetObjectItem(root, kind->array_key);
	const cJSON *item;

	cJSON_ArrayForEach(item, arr) {
		const char *name = json_name(item, kind->name_field);
		g_autoptr(GBytes) obj = NULL;
		g_autofree char *key = NULL;

		if (!name || g_hash_table_contains(l->seen, name))
			continue;	/* nameless or duplicate: not addressable */
		g_ptr_array_add(l->names, g_strdup(name));
		g_hash_table_add(l->seen, l->names->pdata[l->names->len - 1]);
		g_byte_array_append(l->packed, (const guint8 *)name, strlen(name) + 1);
		obj = json_print_bytes(item);
		key = api_object_key(kind, name);
		cache_store(api->cache, key, obj, api_kind_ttl_us(api, kind), l->gen);
	}
	return cJSON_GetArraySize(arr);
}

int listing_fetch(ApiClient *api, const ResKind *kind, GBytes **ret_packed)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GByteArray) packed = g_byte_array_new();
	Listing l = { names, seen, packed, cache_generation(api->cache) };
	g_autoptr(cJSON) first = NULL;
	gint64 offset = 0, total = -1;
	int n, rc;

	rc = get_page(api, kind, 0, &first);
	if (rc < 0)
		return rc;
	n = absorb_page(api, kind, first, &l);
	offset = n;
	if (!json_int(cJSON_GetObjectItem(first, kind->total_field), &total) || total < 0)
		total = -1;

	if (total >= 0 && n == kind->page_limit && offset < total) {
		gint64 pages = (total - offset + kind->page_limit - 1) / kind->page_limit;
		cJSON **roots = NULL;

		pages = MIN(pages, MAX_PAGES);
		rc = fetch_pages(api, kind, offset, (int)pages, &roots);
		if (rc < 0)
			return rc;
		for (int i = 0; i < pages; i++) {
			absorb_page(api, kind, roots[i], &l);
			cJSON_Delete(roots[i]);
		}
		g_free(roots);
	} else {
		/* No total, or a server that pages smaller than asked: walk one by one until
		 * the total is reached or a page comes back empty (or short, without total). */
		for (int page = 1; n > 0 && page < MAX_PAGES; page++) {
			g_autoptr(cJSON) root = NULL;

			if (total >= 0 ? offset >= total : n < kind->page_limit)
				break;
			rc = get_page(api, kind, offset, &root);
			if (rc < 0)
				return rc;
			n = absorb_page(api, kind, root, &l);
			offset += n;
		}
	}
	*ret_packed = g_byte_array_free_to_bytes(g_steal_pointer(&packed));
	return 0;
}
