/* listing.c — a collection, every page of it: the first page gives the total, the rest are
 * fetched at once, never more than max_conns in flight. Each object is rendered (src/render.h)
 * on the thread that parsed its page and stored in the cache as it arrives, so
 * `cat desktops/STAR/status` costs the pages and nothing per desktop.
 * A broken pager never makes it loop for ever: paging stops at the first page that brings
 * no name not seen yet (a server that ignores offset, a total larger than the collection),
 * after MAX_PAGES, and when the listing's deadline (LISTING_TIMEOUTS times -o timeout)
 * passes, which fails it with -ETIMEDOUT. A total smaller than the first page is ignored.
 * Nameless objects are skipped (they could not be addressed); a name repeated within a
 * page is given a suffix (listing_twin_name), so each duplicate has a path of its own; both
 * are noted in /.wksfs/errors. One listing holds at most -o max_listing objects: paging
 * stops there, the objects past the cap are neither listed nor cached, and the cut is
 * logged and noted in /.wksfs/errors (listing_note_cut); what was read is served.
 */
#include "src/listing.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/json.h"
#include "src/keys.h"
#include "src/render.h"
#include "src/shape.h"
#include "src/store.h"

#define MAX_PAGES 10000
/* A whole listing may take this many times the budget of one call. */
#define LISTING_TIMEOUTS 4

static gint64 listing_deadline(ApiClient *api)
{
	return g_get_monotonic_time() + LISTING_TIMEOUTS * wks_client_timeout_us(api->client);
}

static void warn_stale(const char *path, gint64 offset)
{
	g_warning("GET %s: the page at offset %" G_GINT64_FORMAT " brought no new name (does "
		  "the server ignore offset?): the listing stops there", path, offset);
}

/* AS.2's times: yyyy-MM-ddTHH:mm:ss.SSSZ, UTC. */
static void format_time(char buf[40], gint64 unix_s)
{
	g_autoptr(GDateTime) t = g_date_time_new_from_unix_utc(unix_s);
	g_autofree char *s = g_date_time_format(t, "%Y-%m-%dT%H:%M:%S.000Z");

	g_strlcpy(buf, s, 40);
}

gsize listing_page_query(ApiClient *api, const ResKind *kind, gint64 offset,
			 char bufs[4][40], SignerPair ret_query[4])
{
	gsize n = 0;

	if (kind->page_limit > 0) {
		g_snprintf(bufs[0], 40, "%" G_GINT64_FORMAT, offset);
		g_snprintf(bufs[1], 40, "%d", kind->page_limit);
		ret_query[n++] = (SignerPair){ "offset", bufs[0] };
		ret_query[n++] = (SignerPair){ "limit", bufs[1] };
	}
	if (kind->session_window) {
		gint64 now = g_get_real_time() / G_USEC_PER_SEC;

		format_time(bufs[2], now - api->session_window_s);
		/* The next whole second: a session that ended within this one (logged off a
		 * moment ago) ended before the window's end, which the API compares in ms. */
		format_time(bufs[3], now + 1);
		ret_query[n++] = (SignerPair){ "query_begin_time", bufs[2] };
		ret_query[n++] = (SignerPair){ "query_end_time", bufs[3] };
	}
	return n;
}

static int get_page(ApiClient *api, const ResKind *kind, gint64 offset, cJSON **ret_root)
{
	char bufs[4][40];
	SignerPair q[4];
	g_autoptr(GBytes) body = NULL;
	cJSON *root;
	gsize n = listing_page_query(api, kind, offset, bufs, q);
	int rc;

	rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, "GET", kind->list_path,
			 NULL, q, n, NULL, &body, NULL);
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

/* One listing's fetch: its cache ticket (the guard against a mutation during its flight),
 * and when it started. The listing counts as fetched then; each object counts as fetched
 * when its page was stored, so an object is never due before the listing that would
 * refresh it, and a listing slower than the TTL still leaves its late pages cached. */
typedef struct {
	CacheTicket ticket;
	gint64 started_us;	/* cache_now's clock */
} ListingRun;

/* A page, parsed: its objects' names and rendered blobs, in order. */
typedef struct {
	int index;
	int rc;
	int count;		/* objects in the page, named or not */
	GPtrArray *names;	/* char* */
	GPtrArray *blobs;	/* GBytes* (src/render.h); NULL for one too large to render */
} Page;

static void blob_unref(gpointer blob)
{
	if (blob)
		g_bytes_unref(blob);
}

static void page_free(Page *p)
{
	if (!p)
		return;
	g_clear_pointer(&p->names, g_ptr_array_unref);
	g_clear_pointer(&p->blobs, g_ptr_array_unref);
	g_free(p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Page, page_free)

/* The k-th object (k >= 2) of a page with a name already in it is named <name> 0xFF k:
 * no UTF-8 text holds the byte 0xFF, so no real name (json_name) can be one of these, and
 * every duplicate has a path of its own (fs/path.c shows the byte as %FF). NULL for the
 * first of a name. repeats counts the names (keys borrowed from the page). */
static char *listing_twin_name(GHashTable *repeats, const char *name)
{
	guint k = GPOINTER_TO_UINT(g_hash_table_lookup(repeats, name)) + 1;

	g_hash_table_insert(repeats, (gpointer)name, GUINT_TO_POINTER(k));
	return k >= 2 ? g_strdup_printf("%s\xff%u", name, k) : NULL;
}

/* What /.wksfs/errors says of a page's odd objects. */
static void note_odd_page(ApiClient *api, const ResKind *kind, guint skipped, guint renamed)
{
	g_autofree char *msg = NULL;

	if (skipped) {
		msg = g_strdup_printf("%u objects skipped: no usable %s (missing, not a string, "
				      "empty, over 255 bytes or not UTF-8)", skipped,
				      kind->name_field);
		g_warning("GET %s: %s", kind->list_path, msg);
		wks_client_note_error(api->client, "GET", kind->list_path, msg);
		g_clear_pointer(&msg, g_free);
	}
	if (renamed) {
		msg = g_strdup_printf("%u objects with a duplicate %s shown as NAME%%FFk (the "
				      "k-th of a name)", renamed, kind->name_field);
		g_warning("GET %s: %s", kind->list_path, msg);
		wks_client_note_error(api->client, "GET", kind->list_path, msg);
	}
}

/* Drops a page's objects past the room the listing has left (in API order); TRUE if it
 * dropped any. */
static gboolean trim_page(Page *p, gint64 room)
{
	room = MAX(room, 0);
	if (!p->names || p->names->len <= room)
		return FALSE;
	g_ptr_array_set_size(p->names, (guint)room);
	g_ptr_array_set_size(p->blobs, (guint)room);
	return TRUE;
}

/* The cap was hit: the log and /.wksfs/errors say where the listing was cut. */
static void listing_note_cut(ApiClient *api, const char *what, const char *path)
{
	g_autofree char *msg = g_strdup_printf("the listing was cut at %d objects "
					       "(-o max_listing=%d): the rest is not shown",
					       api->max_listing, api->max_listing);

	g_warning("%s %s: %s", what, path, msg);
	wks_client_note_error(api->client, what, path, msg);
}

/* Turns a page's JSON (taken) into names and rendered objects, each compared with the one
 * cached (however stale) for its version. Nameless objects cannot be addressed and are
 * skipped. */
static Page *split_page(ApiClient *api, const ResKind *kind, cJSON *root, int index)
{
	Page *p = g_new0(Page, 1);
	const cJSON *arr = cJSON_GetObjectItem(root, kind->array_key);
	const cJSON *item;

	p->index = index;
	p->count = cJSON_GetArraySize(arr);
	p->names = g_ptr_array_new_with_free_func(g_free);
	p->blobs = g_ptr_array_new_with_free_func(blob_unref);
	g_autoptr(GHashTable) repeats = g_hash_table_new(g_str_hash, g_str_equal);
	guint skipped = 0, renamed = 0;

	cJSON_ArrayForEach(item, arr) {
		const char *name = json_name(item, kind->name_field);
		g_autofree char *key = NULL;
		g_autofree char *twin = NULL;
		g_autoptr(GBytes) previous = NULL;
		GBytes *blob;

		if (!name) {
			skipped++;
			continue;
		}
		twin = listing_twin_name(repeats, name);
		if (twin) {
			name = twin;
			renamed++;
		}
		key = key_object(kind, name);
		previous = cache_peek(api->cache, key);
		blob = render_object(kind, item, previous);
		if (!blob)
			g_warning("%s/%s: the object is too large to show", kind->dir, name);
		g_ptr_array_add(p->names, g_strdup(name));
		g_ptr_array_add(p->blobs, blob);
	}
	note_odd_page(api, kind, skipped, renamed);
	cJSON_Delete(root);
	return p;
}

/* Copies a page's objects into the cache. This runs on the listing's own thread, not the
 * page threads, so the cached copies lie together instead of among the parse's garbage in
 * the page threads' malloc arenas: scattered, each would pin a page of memory glibc cannot
 * give back, and memory would follow the tenant's size instead of max_cache_mb. An object
 * unchanged since its last refresh keeps its cached blob. */
static void store_page(ApiClient *api, const ResKind *kind, const ListingRun *run, Page *p)
{
	for (guint i = 0; i < p->names->len; i++) {
		GBytes *blob = p->blobs->pdata[i];
		g_autoptr(GBytes) copy = NULL, previous = NULL;
		g_autofree char *key = NULL;
		gsize size = 0;
		const void *data;

		if (!blob)
			continue;
		key = key_object(kind, p->names->pdata[i]);
		previous = cache_peek(api->cache, key);
		/* Unchanged (most objects at most refreshes): the cache keeps its blob for an
		 * equal value anyway (put_entry), so none is copied for it. */
		if (previous && g_bytes_equal(previous, blob)) {
			copy = g_bytes_ref(previous);
		} else {
			data = g_bytes_get_data(blob, &size);
			copy = g_bytes_new(data, size);
		}
		g_clear_pointer(&p->blobs->pdata[i], g_bytes_unref);
		if (cache_store(api->cache, key, copy, MAX(run->started_us, cache_now(api->cache)),
				store_kind_ttl_us(api, kind), run->ticket))
			store_object_stored(api, kind, p->names->pdata[i], previous, copy);
	}
}

typedef struct {
	ApiClient *api;
	const ResKind *kind;
	gint64 first_offset;	/* offset of the first page to fetch */
	int n_pages;
	gint64 room;		/* objects the listing may still take from first_offset on */
	gint64 deadline;	/* monotonic */
	gint next;		/* next page to fetch (atomic) */
	gint failed;		/* atomic: stop fetching, the listing fails */
	gint stale;		/* atomic: stop fetching, the pages so far are the listing */
	GAsyncQueue *done;	/* Page*, in completion order */
} PageJob;

static gpointer page_worker(gpointer data)
{
	PageJob *job = data;
	int i;

	while ((i = g_atomic_int_add(&job->next, 1)) < job->n_pages) {
		gint64 offset = job->first_offset + (gint64)i * job->kind->page_limit;
		cJSON *root = NULL;
		Page *p;
		int rc;

		if (g_atomic_int_get(&job->failed))
			rc = -ECANCELED;
		else if (g_atomic_int_get(&job->stale))
			rc = 0;		/* not fetched: p->names stays NULL */
		else if (g_get_monotonic_time() >= job->deadline)
			rc = -ETIMEDOUT;
		else
			rc = get_page(job->api, job->kind, offset, &root);

		if (rc == 0 && !root) {
			p = g_new0(Page, 1);
			p->index = i;
		} else if (rc < 0) {
			g_atomic_int_set(&job->failed, 1);
			p = g_new0(Page, 1);
			p->index = i;
			p->rc = rc;
		} else {
			p = split_page(job->api, job->kind, root, i);
		}
		g_async_queue_push(job->done, p);
	}
	return NULL;
}

/* Whether a page holds a name neither in seen nor in arrived; adds its names to arrived
 * (borrowed from the page). */
static gboolean page_brings_news(GHashTable *seen, GHashTable *arrived, GPtrArray *names)
{
	gboolean news = FALSE;

	for (guint i = 0; i < names->len; i++) {
		if (g_hash_table_contains(seen, names->pdata[i]))
			continue;
		news |= g_hash_table_add(arrived, names->pdata[i]);
	}
	return news;
}

/* Pages at once, at most max_conns in flight. Each page is stored as it completes (memory
 * holds a few pages, whatever the size of the tenant); the names come back in page
 * order, NULL for the pages not fetched because one brought no new name (seen holds the
 * names before first_offset). */
static int fetch_pages(ApiClient *api, const ResKind *kind, const ListingRun *run,
		       gint64 first_offset, int n_pages, gint64 room, gint64 deadline,
		       GHashTable *seen, GPtrArray ***ret_names)
{
	PageJob job = { api, kind, first_offset, n_pages, room, deadline, 0, 0, 0,
			g_async_queue_new_full((GDestroyNotify)page_free) };
	g_autofree GPtrArray **names = g_new0(GPtrArray *, n_pages);
	g_autoptr(GHashTable) arrived = g_hash_table_new(g_str_hash, g_str_equal);
	int n_threads = MIN(api->max_conns, n_pages);
	g_autoptr(GPtrArray) threads = g_ptr_array_new();
	int rc = 0;

	for (int t = 0; t < n_threads; t++)
		g_ptr_array_add(threads, g_thread_new("wksfs-page", page_worker, &job));
	for (int got = 0; got < n_pages; got++) {
		g_autoptr(Page) p = g_async_queue_pop(job.done);

		if (p->rc < 0) {
			if (rc == 0 || rc == -ECANCELED)
				rc = p->rc;
			continue;
		}
		if (rc < 0 || !p->names)
			continue;
		if (!page_brings_news(seen, arrived, p->names) &&
		    !g_atomic_int_exchange(&job.stale, 1))
			warn_stale(kind->list_path,
				   first_offset + (gint64)p->index * kind->page_limit);
		/* The cap, by position: this page starts index pages into the room. */
		trim_page(p, room - (gint64)p->index * kind->page_limit);
		store_page(api, kind, run, p);
		names[p->index] = g_steal_pointer(&p->names);
	}
	for (guint t = 0; t < threads->len; t++)
		g_thread_join(threads->pdata[t]);
	g_async_queue_unref(job.done);
	if (rc < 0) {
		for (int i = 0; i < n_pages; i++)
			if (names[i])
				g_ptr_array_unref(names[i]);
		return rc;
	}
	*ret_names = g_steal_pointer(&names);
	return 0;
}

typedef struct {
	GHashTable *seen;
	GByteArray *packed;
	guint cap;		/* -o max_listing */
	gboolean cut;		/* a name was left out for the cap */
} Listing;

/* The objects the listing may still take. */
static gint64 listing_room(const Listing *l)
{
	return (gint64)l->cap - g_hash_table_size(l->seen);
}

/* Appends the names not seen yet, up to the cap, and says how many there were. `seen`
 * points into the pages' name arrays, which the caller keeps alive until the listing is
 * packed. */
static guint add_names(Listing *l, GPtrArray *names)
{
	guint added = 0;

	for (guint i = 0; i < names->len; i++) {
		char *name = names->pdata[i];

		if (g_hash_table_contains(l->seen, name))
			continue;
		if (listing_room(l) <= 0) {
			l->cut = TRUE;
			break;
		}
		g_hash_table_add(l->seen, name);
		g_byte_array_append(l->packed, (const guint8 *)name, strlen(name) + 1);
		added++;
	}
	return added;
}

static int fetch_all(ApiClient *api, const ResKind *kind, const ListingRun *run,
		     GBytes **ret_packed)
{
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func((GDestroyNotify)g_ptr_array_unref);
	g_autoptr(GByteArray) packed = g_byte_array_new();
	Listing l = { seen, packed, (guint)api->max_listing, FALSE };
	gint64 deadline = listing_deadline(api);
	cJSON *first = NULL;
	gint64 offset = 0, total = -1;
	int n, rc;

	rc = get_page(api, kind, 0, &first);
	if (rc < 0)
		return rc;
	if (!json_int(cJSON_GetObjectItem(first, kind->total_field), &total) || total < 0)
		total = -1;
	/* A total smaller than the first page is a lie: walk on as if there were none. */
	if (total >= 0 && total < cJSON_GetArraySize(cJSON_GetObjectItem(first,
							kind->array_key)))
		total = -1;
	{
		g_autoptr(Page) p = split_page(api, kind, first, 0);

		l.cut |= trim_page(p, listing_room(&l));
		store_page(api, kind, run, p);
		add_names(&l, p->names);
		g_ptr_array_add(keep, g_steal_pointer(&p->names));
		n = p->count;
	}
	offset = n;

	if (total >= 0 && n == kind->page_limit && offset < total && listing_room(&l) <= 0) {
		l.cut = TRUE;
	} else if (total >= 0 && n == kind->page_limit && offset < total) {
		gint64 room = listing_room(&l);
		gint64 pages = (total - offset + kind->page_limit - 1) / kind->page_limit;
		GPtrArray **page_names = NULL;

		pages = MIN(pages, MAX_PAGES);
		pages = MIN(pages, (room + kind->page_limit - 1) / kind->page_limit);
		rc = fetch_pages(api, kind, run, offset, (int)pages, room, deadline, seen,
				 &page_names);
		if (rc < 0)
			return rc;
		for (int i = 0; i < pages; i++) {
			if (!page_names[i])
				continue;
			add_names(&l, page_names[i]);
			g_ptr_array_add(keep, page_names[i]);
		}
		g_free(page_names);
		/* Full, and the total says there is more: the pages past the cap were not
		 * asked for. */
		l.cut |= listing_room(&l) <= 0 && total - offset > room;
	} else if (kind->page_limit > 0) {
		/* No total, or a server that pages smaller than asked: walk one by one until
		 * the total is reached or a page comes back empty (or short, without total). */
		for (int page = 1; n > 0 && page < MAX_PAGES; page++) {
			cJSON *root = NULL;
			g_autoptr(Page) p = NULL;

			if (total >= 0 ? offset >= total : n < kind->page_limit)
				break;
			if (listing_room(&l) <= 0) {
				l.cut = TRUE;
				break;
			}
			if (g_get_monotonic_time() >= deadline)
				return -ETIMEDOUT;
			rc = get_page(api, kind, offset, &root);
			if (rc < 0)
				return rc;
			p = split_page(api, kind, root, page);
			l.cut |= trim_page(p, listing_room(&l));
			store_page(api, kind, run, p);
			if (add_names(&l, p->names) == 0 && p->count > 0) {
				warn_stale(kind->list_path, offset);
				break;
			}
			g_ptr_array_add(keep, g_steal_pointer(&p->names));
			n = p->count;
			offset += n;
		}
	}
	if (l.cut) {
		g_autofree char *path = g_strconcat("/", kind->dir, NULL);

		listing_note_cut(api, "LIST", path);
	}
	*ret_packed = g_byte_array_free_to_bytes(g_steal_pointer(&packed));
	return 0;
}

void api_note_odd(ApiClient *api, const char *dir, guint n, const char *why)
{
	g_autofree char *msg = g_strdup_printf("%u %s", n, why);
	g_autofree char *path = g_strconcat("/", dir, NULL);

	g_warning("%s: %s", path, msg);
	wks_client_note_error(api->client, "LIST", path, msg);
}

int listing_fetch(ApiClient *api, const ResKind *kind, gint64 started_us, GBytes **ret_packed)
{
	ListingRun run = { cache_ticket_take(api->cache), started_us };
	int rc = shape_owns(kind) ? shape_fetch(api, kind, run.ticket, started_us, ret_packed)
				  : fetch_all(api, kind, &run, ret_packed);

	cache_ticket_release(api->cache, run.ticket);
	return rc;
}

/* The version, 8 bytes of wall-clock ns, then the names. */
GBytes *listing_versioned(GBytes *names, GBytes *previous)
{
	gsize len = 0, old_len = 0;
	const guint8 *p = g_bytes_get_data(names, &len);
	const guint8 *old = previous ? g_bytes_get_data(previous, &old_len) : NULL;
	gint64 version = g_get_real_time() * 1000, old_version;
	GByteArray *out = g_byte_array_sized_new((guint)(len + sizeof(version)));

	if (old && old_len >= sizeof(old_version)) {
		memcpy(&old_version, old, sizeof(old_version));
		/* No names: the data may be NULL, which memcmp must not see. */
		if (old_len - sizeof(old_version) == len &&
		    (len == 0 || memcmp(old + sizeof(old_version), p, len) == 0))
			version = old_version;
		else
			version = MAX(version, old_version + 1);
	}
	g_byte_array_append(out, (const guint8 *)&version, sizeof(version));
	g_byte_array_append(out, p, (guint)len);
	return g_byte_array_free_to_bytes(out);
}

const char *listing_names(GBytes *listing, gsize *ret_len, gint64 *ret_version_ns)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(listing, &len);
	gint64 version = 0;

	if (!p || len < sizeof(version)) {
		*ret_len = 0;
		return "";
	}
	memcpy(&version, p, sizeof(version));
	if (ret_version_ns)
		*ret_version_ns = version;
	*ret_len = len - sizeof(version);
	return p + sizeof(version);
}

int listing_fetch_sub(ApiClient *api, const char *path, const char *id, const char *array,
		      const char *total_field, const char *name_field, int limit,
		      GPtrArray **ret_names)
{
	g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	gint64 offset = 0, total = -1;
	gint64 deadline = listing_deadline(api);
	gboolean cut = FALSE;

	for (int page = 0; page < MAX_PAGES && !cut; page++) {
		char off[24], lim[24];
		SignerPair q[2] = { { "offset", off }, { "limit", lim } };
		g_autoptr(GBytes) body = NULL;
		g_autoptr(cJSON) root = NULL;
		const cJSON *arr, *item;
		guint added = 0;
		int rc, n;

		if (page > 0 && g_get_monotonic_time() >= deadline)
			return -ETIMEDOUT;
		g_snprintf(off, sizeof(off), "%" G_GINT64_FORMAT, offset);
		g_snprintf(lim, sizeof(lim), "%d", limit);
		rc = wks_call(api->client, "GET", path, id, q, 2, NULL, &body, NULL);
		if (rc < 0)
			return rc;
		root = json_parse_bytes(body);
		arr = cJSON_GetObjectItem(root, array);
		if (!cJSON_IsArray(arr))
			return -EIO;
		if (total < 0 && !json_int(cJSON_GetObjectItem(root, total_field), &total))
			total = -1;
		n = cJSON_GetArraySize(arr);
		cJSON_ArrayForEach(item, arr) {
			const char *name = json_name(item, name_field);

			if (name && !g_hash_table_contains(seen, name) &&
			    names->len >= (guint)api->max_listing) {
				cut = TRUE;
				break;
			}
			if (name && g_hash_table_add(seen, g_strdup(name))) {
				g_ptr_array_add(names, g_strdup(name));
				added++;
			}
		}
		offset += n;
		if (n == 0 || (total >= 0 ? offset >= total : n < limit))
			break;
		/* Full at a page's end, and the pager says there is more. */
		if (names->len >= (guint)api->max_listing) {
			cut = TRUE;
			break;
		}
		if (added == 0) {
			warn_stale(path, offset - n);
			break;
		}
	}
	if (cut) {
		/* Which object's sub-collection: the path with its id. */
		g_auto(GStrv) parts = g_strsplit(path, "{id}", -1);
		g_autofree char *where = g_strjoinv(id, parts);

		listing_note_cut(api, "GET", where);
	}
	*ret_names = g_steal_pointer(&names);
	return 0;
}
