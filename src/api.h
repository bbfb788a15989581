/* api.h — what the filesystem asks of the Workspace: collections, objects, field writes and
 * actions, cached. fs/ reaches the cloud only through here. */
#pragma once

#include <glib.h>

#include "src/client.h"
#include "src/resources.h"

typedef struct ApiClient ApiClient;

#define API_MAX_KINDS 32

typedef struct {
	gint64 ttl_s;		/* how long listings and objects stay fresh; 0 = no caching */
	gint64 kind_ttl_s[API_MAX_KINDS];	/* per kind (index in res_kinds); -1 = ttl_s */
	gint64 negative_ttl_s;	/* how long "no such object" is remembered */
	gboolean stale_on_error; /* serve the last good data when a refresh fails */
	gsize max_cache_bytes;	/* 0 = unbounded */
	int max_conns;		/* requests in flight at once for one listing */
} ApiConfig;

/* Told after cached data changed or was dropped: an object (name) or a whole collection
 * (name NULL). May run on any thread, sometimes inside a FUSE request: it must only queue
 * work, never block or call back into the API. */
typedef void (*ApiInvalidateFunc)(const ResKind *kind, const char *name, gpointer data);

/* Takes ownership of client. */
ApiClient *api_new(WksClient *client, const ApiConfig *config);
void api_free(ApiClient *api);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiClient, api_free)

void api_set_invalidate_func(ApiClient *api, ApiInvalidateFunc func, gpointer data);

const char *api_endpoint(ApiClient *api);
const char *api_project_id(ApiClient *api);

/* The names of a collection's objects in API order (char*, owned by the array), and the
 * wall-clock time (s) the listing was fetched. A listing also caches every object in it. */
int api_list(ApiClient *api, const ResKind *kind, GPtrArray **ret_names, gint64 *ret_mtime);

/* One object as the API returned it (compact JSON) and when it was fetched. */
int api_get(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_json,
	    gint64 *ret_mtime);

/* Validates value (one line; a single trailing newline is dropped) and sends it. Invalid
 * input is -EINVAL with nothing sent. */
int api_set_field(ApiClient *api, const ResKind *kind, const char *name, const ResField *field,
		  const char *value, gsize len);

/* Runs one command written to an action file ("stop", "stop hard"). An unknown verb or
 * extra words are -EINVAL with nothing sent. */
int api_action(ApiClient *api, const ResKind *kind, const char *name, const char *command,
	       gsize len);

/* What the last action on this object gave: "job <id>\n", "ok\n" or "error: ...\n"; "" if
 * none. */
char *api_last_result(ApiClient *api, const ResKind *kind, const char *name);

/* /.wksfs/errors */
char *api_errors_text(ApiClient *api);

/* /.wksfs/ctl. Refresh fetches now (an object, a collection, or with kind NULL every
 * collection); forget drops cached data (kind NULL: all of it). */
int api_refresh(ApiClient *api, const ResKind *kind, const char *name);
void api_forget(ApiClient *api, const ResKind *kind, const char *name);

/* FALSE after a request failed for want of the API (transport error, 5xx, throttling);
 * TRUE again after the next answer. */
gboolean api_online(ApiClient *api);

/* /.wksfs/stats/<name>: NULL-terminated names, and one number each. */
extern const char *const api_stat_names[];
gboolean api_stat(ApiClient *api, const char *name, gint64 *ret_value);

/* One cheap authenticated call, for the start-up probe. -errno with a one-line reason. */
int api_probe(ApiClient *api, char **ret_reason);
