/* api.c — the Workspace as the filesystem needs it: listings, objects, writes, actions.
 *
 * Owns: paging (the first page gives the total, the rest follow), the cache keys and the
 * caching policy (a listing stores every object in it; a mutation invalidates exactly the
 * object and its collection), the validation of what users write, and the last result of
 * each object's action file. It never sees FUSE; it reaches the network only through
 * client.c and keeps data only in cache/.
 *
 * Cache keys: "L:<dir>" -> the listing's names, NUL-separated; "O:<dir>/<name>" -> the
 * object's compact JSON.
 */
#include "src/api.h"

#include "src/json.h"
#include <errno.h>
#include <string.h>

#include "cache/cache.h"
#include "src/input.h"

#define MAX_PAGES 10000		/* a hostile total_count never makes us loop for ever */
#define MAX_NAME 255

struct ApiClient {
	WksClient *client;
	Cache *cache;
	gint64 ttl_us;
	int max_conns;
	GMutex lock;
	GHashTable *results;	/* "<dir>/<name>" -> last action result; guarded by lock */
};

ApiClient *api_new(WksClient *client, const ApiConfig *config)
{
	ApiClient *api = g_new0(ApiClient, 1);

	api->client = client;
	api->cache = cache_new(NULL, NULL);
	api->ttl_us = config->ttl_s * G_USEC_PER_SEC;
	api->max_conns = MAX(config->max_conns, 1);
	g_mutex_init(&api->lock);
	api->results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return api;
}

void api_free(ApiClient *api)
{
	if (!api)
		return;
	wks_client_free(api->client);
	cache_free(api->cache);
	g_hash_table_destroy(api->results);
	g_mutex_clear(&api->lock);
	g_free(api);
}

const char *api_endpoint(ApiClient *api)
{
	return wks_client_endpoint(api->client);
}

const char *api_project_id(ApiClient *api)
{
	return wks_client_project_id(api->client);
}

char *api_errors_text(ApiClient *api)
{
	return wks_client_errors_text(api->client);
}


static char *list_key(const ResKind *kind)
{
	return g_strconcat("L:", kind->dir, NULL);
}

static char *object_key(const ResKind *kind, const char *name)
{
	return g_strconcat("O:", kind->dir, "/", name, NULL);
}

/* Monotonic store time -> wall-clock seconds. */
static gint64 wall_time(ApiClient *api, gint64 stored_us)
{
	gint64 age_us = cache_now(api->cache) - stored_us;

	return (g_get_real_time() - age_us) / G_USEC_PER_SEC;
}

static cJSON *parse_bytes(GBytes *bytes)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(bytes, &len);

	return data ? cJSON_ParseWithLength(data, len) : NULL;
}

/* A number the API may also send as a numeric string (catalog.md, last section). */
static gboolean json_int(const cJSON *v, gint64 *ret)
{
	if (cJSON_IsNumber(v)) {
		*ret = (gint64)v->valuedouble;
		return TRUE;
	}
	if (cJSON_IsString(v)) {
		char *end = NULL;
		gint64 n = g_ascii_strtoll(v->valuestring, &end, 10);

		if (end && end != v->valuestring && *end == '\0') {
			*ret = n;
			return TRUE;
		}
	}
	return FALSE;
}

static const char *valid_name(const cJSON *item, const char *field)
{
	const cJSON *v = cJSON_GetObjectItem(item, field);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > MAX_NAME ||
	    !g_utf8_validate(v->valuestring, -1, NULL))
		return NULL;
	return v->valuestring;
}

static GBytes *print_bytes(const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	GBytes *b = g_bytes_new(text, strlen(text));

	cJSON_free(text);
	return b;
}

static void page_query(const ResKind *kind, gint64 offset, char *off_buf, char *lim_buf,
		       SignerPair q[2])
{
	g_snprintf(off_buf, 24, "%" G_GINT64_FORMAT, offset);
	g_snprintf(lim_buf, 24, "%d", kind->page_limit);
	q[0] = (SignerPair){ "offset", off_buf };
	q[1] = (SignerPair){ "limit", lim_buf };
}

static int get_page(ApiClient *api, const ResKind *kind, gint64 offset, cJSON **ret_root)
{
	char off[24], lim[24];
	SignerPair q[2];
	g_autoptr(GBytes) body = NULL;
	cJSON *root;
	int rc;

	page_query(kind, offset, off, lim, q);
	rc = wks_call(api->client, "GET", kind->list_path, NULL, q, 2, NULL, &body, NULL);
	if (rc < 0)
		return rc;
	root = parse_bytes(body);
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
		const char *name = valid_name(item, kind->name_field);
		g_autoptr(GBytes) obj = NULL;
		g_autofree char *key = NULL;

		if (!name || g_hash_table_contains(l->seen, name))
			continue;	/* nameless or duplicate: not addressable */
		g_ptr_array_add(l->names, g_strdup(name));
		g_hash_table_add(l->seen, l->names->pdata[l->names->len - 1]);
		g_byte_array_append(l->packed, (const guint8 *)name, strlen(name) + 1);
		obj = print_bytes(item);
		key = object_key(kind, name);
		cache_store(api->cache, key, obj, api->ttl_us, l->gen);
	}
	return cJSON_GetArraySize(arr);
}

/* Fetches every page of a collection; stores the listing and each object. The first page
 * gives the total; the rest are fetched concurrently. Without a usable total the pages are
 * walked one by one until a short page. */
static int fetch_listing(ApiClient *api, const ResKind *kind, GPtrArray **ret_names)
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

	g_autofree char *lkey = list_key(kind);
	g_autoptr(GBytes) lbytes = g_byte_array_free_to_bytes(g_steal_pointer(&packed));
	cache_store(api->cache, lkey, lbytes, api->ttl_us, l.gen);
	*ret_names = g_steal_pointer(&names);
	return 0;
}

static GPtrArray *unpack_names(GBytes *packed)
{
	gsize len = 0;
	const char *p = g_bytes_get_data(packed, &len);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);

	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		g_ptr_array_add(names, g_strdup(p + i));
	return names;
}

int api_list(ApiClient *api, const ResKind *kind, GPtrArray **ret_names, gint64 *ret_mtime)
{
	g_autofree char *key = list_key(kind);
	gint64 stored = 0;
	g_autoptr(GBytes) packed = cache_lookup(api->cache, key, &stored);
	int rc;

	if (packed) {
		*ret_names = unpack_names(packed);
		if (ret_mtime)
			*ret_mtime = wall_time(api, stored);
		return 0;
	}
	rc = fetch_listing(api, kind, ret_names);
	if (rc == 0 && ret_mtime)
		*ret_mtime = g_get_real_time() / G_USEC_PER_SEC;
	return rc;
}

static gboolean listing_says_absent(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autofree char *key = list_key(kind);
	g_autoptr(GBytes) packed = cache_lookup(api->cache, key, NULL);
	gsize len = 0;
	const char *p;

	if (!packed)
		return FALSE;
	p = g_bytes_get_data(packed, &len);
	for (gsize i = 0; i < len; i += strlen(p + i) + 1)
		if (strcmp(p + i, name) == 0)
			return FALSE;
	return TRUE;
}

/* One object from the API: by its detail path, or by the list's name filter. */
static int fetch_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret)
{
	guint64 gen = cache_generation(api->cache);
	g_autoptr(GBytes) body = NULL;
	g_autoptr(cJSON) root = NULL;
	const cJSON *obj = NULL;
	int rc;

	if (kind->detail_path) {
		rc = wks_call(api->client, "GET", kind->detail_path, name, NULL, 0, NULL, &body,
			      NULL);
		if (rc < 0)
			return rc;
		root = parse_bytes(body);
		obj = kind->detail_wrapper ? cJSON_GetObjectItem(root, kind->detail_wrapper)
					   : root;
	} else if (kind->name_filter) {
		SignerPair q[3];
		char off[24], lim[24];
		const cJSON *item;

		page_query(kind, 0, off, lim, q);
		q[2] = (SignerPair){ kind->name_filter, name };
		rc = wks_call(api->client, "GET", kind->list_path, NULL, q, 3, NULL, &body, NULL);
		if (rc < 0)
			return rc;
		root = parse_bytes(body);
		if (!cJSON_IsArray(cJSON_GetObjectItem(root, kind->array_key)))
			return -EIO;
		/* The filter may match by prefix; only an exact name is this object. */
		cJSON_ArrayForEach(item, cJSON_GetObjectItem(root, kind->array_key)) {
			if (g_strcmp0(valid_name(item, kind->name_field), name) == 0) {
				obj = item;
				break;
			}
		}
		if (!obj)
			return -ENOENT;
	} else {
		return -ENOENT;
	}
	if (!cJSON_IsObject(obj))
		return -EIO;
	if (g_strcmp0(valid_name(obj, kind->name_field), name) != 0)
		return -ENOENT;

	g_autofree char *key = object_key(kind, name);
	*ret = print_bytes(obj);
	cache_store(api->cache, key, *ret, api->ttl_us, gen);
	return 0;
}

int api_get(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_json,
	    gint64 *ret_mtime)
{
	g_autofree char *key = object_key(kind, name);
	gint64 stored = 0;
	GBytes *json = cache_lookup(api->cache, key, &stored);
	int rc;

	if (json) {
		*ret_json = json;
		if (ret_mtime)
			*ret_mtime = wall_time(api, stored);
		return 0;
	}
	/* A fresh listing is authoritative: a name it lacks does not exist (yet). */
	if (listing_says_absent(api, kind, name))
		return -ENOENT;
	rc = fetch_object(api, kind, name, ret_json);
	if (rc == 0 && ret_mtime)
		*ret_mtime = g_get_real_time() / G_USEC_PER_SEC;
	return rc;
}

static void invalidate_object(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autofree char *okey = object_key(kind, name);
	g_autofree char *lkey = list_key(kind);

	cache_invalidate(api->cache, okey);
	cache_invalidate(api->cache, lkey);
}

/* The id the API paths take, from the (cached) object. */
static int object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id)
{
	g_autoptr(GBytes) json = NULL;
	g_autoptr(cJSON) obj = NULL;
	const char *id;
	int rc = api_get(api, kind, name, &json, NULL);

	if (rc < 0)
		return rc;
	obj = parse_bytes(json);
	id = valid_name(obj, kind->id_field);
	if (!id)
		return -EIO;
	*ret_id = g_strdup(id);
	return 0;
}

int api_set_field(ApiClient *api, const ResKind *kind, const char *name, const ResField *field,
		  const char *value, gsize len)
{
	g_autofree char *text = input_field_text(value, len, field->max_len);
	g_autofree char *id = NULL;
	g_autoptr(cJSON) body = cJSON_CreateObject();
	cJSON *val, *target = body;
	char *printed;
	int rc;

	if (!text)
		return -EINVAL;
	val = input_field_value(field, text);
	if (!val)
		return -EINVAL;
	if (field->wrapper)
		target = cJSON_AddObjectToObject(body, field->wrapper);
	cJSON_AddItemToObject(target, field->field, val);

	rc = object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;
	printed = cJSON_PrintUnformatted(body);
	rc = wks_call(api->client, field->method, field->path, id, NULL, 0, printed, NULL, NULL);
	cJSON_free(printed);
	invalidate_object(api, kind, name);
	return rc;
}

static void set_result(ApiClient *api, const ResKind *kind, const char *name, char *result)
{
	g_mutex_lock(&api->lock);
	g_hash_table_replace(api->results, g_strconcat(kind->dir, "/", name, NULL), result);
	g_mutex_unlock(&api->lock);
}

char *api_last_result(ApiClient *api, const ResKind *kind, const char *name)
{
	g_autofree char *key = g_strconcat(kind->dir, "/", name, NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&api->lock);

	return g_strdup(g_hash_table_lookup(api->results, key) ?: "");
}

int api_action(ApiClient *api, const ResKind *kind, const char *name, const char *command,
	       gsize len)
{
	const ResAction *action = kind->action;
	g_autofree char *id = NULL;
	g_autoptr(cJSON) body = cJSON_CreateObject();
	g_autoptr(GBytes) resp = NULL;
	g_autoptr(cJSON) root = NULL;
	const ResVerb *verb;
	WksError err = { 0 };
	gboolean hard = FALSE;
	char *printed;
	int rc;

	if (!action)
		return -EINVAL;
	verb = input_parse_command(action, command, len, &hard);
	if (!verb)
		return -EINVAL;
	rc = object_id(api, kind, name, &id);
	if (rc < 0)
		return rc;

	if (action->ids_field) {
		cJSON *ids = cJSON_AddArrayToObject(body, action->ids_field);

		cJSON_AddItemToArray(ids, cJSON_CreateString(id));
	}
	cJSON_AddStringToObject(body, action->op_field, verb->op_value);
	if (action->type_field)
		cJSON_AddStringToObject(body, action->type_field, hard ? "HARD" : "SOFT");
	printed = cJSON_PrintUnformatted(body);
	rc = wks_call(api->client, action->method, action->path, action->ids_field ? NULL : id,
		      NULL, 0, printed, &resp, &err);
	cJSON_free(printed);
	invalidate_object(api, kind, name);

	if (rc < 0) {
		set_result(api, kind, name,
			   g_strdup_printf("error: %s%s%s%s%s\n", g_strerror(-rc),
					   err.error_code ? " " : "",
					   err.error_code ? err.error_code : "",
					   err.error_msg ? ": " : "",
					   err.error_msg ? err.error_msg : ""));
		wks_error_clear(&err);
		return rc;
	}
	root = resp ? parse_bytes(resp) : NULL;
	const cJSON *job = cJSON_GetObjectItem(root, "job_id");
	if (cJSON_IsString(job) && job->valuestring[0])
		set_result(api, kind, name, g_strdup_printf("job %s\n", job->valuestring));
	else
		set_result(api, kind, name, g_strdup("ok\n"));
	return 0;
}

int api_probe(ApiClient *api, char **ret_reason)
{
	const ResKind *kind = res_kind_lookup("desktops");
	SignerPair q[2] = { { "offset", "0" }, { "limit", "1" } };
	WksError err = { 0 };
	int rc = wks_call(api->client, "GET", kind->list_path, NULL, q, 2, NULL, NULL, &err);

	if (rc == 0)
		return 0;
	if (err.status == 0)
		*ret_reason = g_strdup_printf("cannot reach %s: %s", api_endpoint(api),
					      err.error_msg ? err.error_msg : g_strerror(-rc));
	else if (err.status == 401 || err.status == 403)
		*ret_reason = g_strdup_printf(
			"%s refused the credentials (HTTP %ld%s%s%s%s): check the AK/SK and the "
			"project id", api_endpoint(api), err.status, err.error_code ? " " : "",
			err.error_code ? err.error_code : "", err.error_msg ? ": " : "",
			err.error_msg ? err.error_msg : "");
	else
		*ret_reason = g_strdup_printf("%s answered HTTP %ld%s%s%s%s", api_endpoint(api),
					      err.status, err.error_code ? " " : "",
					      err.error_code ? err.error_code : "",
					      err.error_msg ? ": " : "",
					      err.error_msg ? err.error_msg : "");
	wks_error_clear(&err);
	return rc;
}
