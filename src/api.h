/* api.h — what the filesystem asks of the Workspace: collections, objects, field writes and
 * actions, cached. fs/ reaches the cloud only through here. */
#pragma once

#include <glib.h>

#include "src/client.h"
#include "src/resources.h"

typedef struct ApiClient ApiClient;

/* At most this many kinds (res_kinds): main.c refuses to start with more. */
#define API_MAX_KINDS 64
/* -o max_listing: one listing holds at most this many objects; beyond, it is cut (and the
 * cut reported). The default is ten times the largest tenant measured (10^5 desktops);
 * the bound keeps the names of one listing within a few hundred MB. */
#define API_DEFAULT_LISTING 1000000
#define API_MAX_LISTING 10000000

typedef struct {
	gint64 ttl_s;		/* how long listings and objects stay fresh; 0 = no caching */
	gint64 kind_ttl_s[API_MAX_KINDS];	/* per kind (index in res_kinds); -1 = ttl_s */
	gint64 negative_ttl_s;	/* how long "no such object" is remembered */
	gboolean stale_on_error; /* serve the last good data when a refresh fails */
	gsize max_cache_bytes;	/* 0 = unbounded */
	int max_conns;		/* requests in flight at once for one listing */
	int max_listing;	/* objects in one listing at most (0: API_DEFAULT_LISTING) */
	gint64 session_window_s; /* how far back app-sessions look */
	gboolean read_only;	/* every mutation fails with EROFS */
	gboolean dry_run;	/* mutations are audited, not sent */
	gboolean allow_delete;	/* only then does a delete reach the API */
	gint64 batch_window_ms;	/* actions written this close together share one call; 0 = off */
	int batch_max;		/* ids per batched call at most */
	struct Audit *audit;	/* taken (-o audit_file opened); NULL: a new one */
	struct Changes *changes; /* taken (-o changes_max, changes_file); NULL: a new one */
	gint64 watch_s;		/* -o watch: re-list what is being read every watch_s; 0 = off */
} ApiConfig;

/* Who asked for a mutation, for /.wksfs/audit. */
typedef struct {
	guint uid;
	int pid;
	const char *command;	/* the process's name */
	const char *path;	/* the file or directory, relative to the mount */
} ApiCaller;

/* Told after cached data changed or was dropped: an object (name) or a whole collection
 * (name NULL). May run on any thread, sometimes inside a FUSE request: it must only queue
 * work, never block or call back into the API. */
typedef void (*ApiInvalidateFunc)(const ResKind *kind, const char *name, gpointer data);

/* Takes ownership of client. */
ApiClient *api_new(WksClient *client, const ApiConfig *config);
void api_free(ApiClient *api);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiClient, api_free)

void api_set_invalidate_func(ApiClient *api, ApiInvalidateFunc func, gpointer data);

/* The hook every API request asks whether to stop (HttpCancelFunc in src/http.h): reads
 * are aborted mid-transfer, retry backoffs and job waits end, a mutation is only refused
 * before it is sent. Set before the mount serves requests. */
void api_set_cancel_func(ApiClient *api, HttpCancelFunc func, gpointer data);

/* TRUE while a mutation is on the wire (sent, its answer not yet in). */
gboolean api_busy(ApiClient *api);

/* Stops and joins the job watcher, so no invalidation arrives after it returns. For the
 * end of the session, once no request can start an action any more. */
void api_stop_background(ApiClient *api);

const char *api_endpoint(ApiClient *api);
const char *api_appstream_endpoint(ApiClient *api);
const char *api_project_id(ApiClient *api);

typedef struct {
	gint64 version_ns;	/* st_mtime: when this data was first seen as it is (wall, ns) */
	gint64 fresh_us;	/* how much longer it is fresh in the cache (0: stale or expired) */
	gboolean stale;		/* served stale (refresh failed, the API is down) */
} ApiFreshness;

/* The names of a collection's objects in API order (char*, owned by the array), and in
 * *ret_mtime (wall clock, s) their version: when wksfs first saw these names in this order.
 * A listing also caches every object in it. */
int api_list(ApiClient *api, const ResKind *kind, GPtrArray **ret_names, gint64 *ret_mtime);
/* api_list with its freshness: version_ns changes whenever the names change and stays while
 * a re-fetch returns the same names in the same order. */
int api_list_fresh(ApiClient *api, const ResKind *kind, GPtrArray **ret_names,
		   ApiFreshness *ret_fresh);

/* One object, rendered (a blob of src/render.h), and how fresh it is. The version is when
 * wksfs first saw the object's files as they are: a re-fetch that brings the same bytes
 * keeps it. */
int api_get_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_blob,
		   ApiFreshness *ret_fresh);
/* One object's JSON (info.json's bytes: the object as the API returned it, compact JSON)
 * and in *ret_mtime its version (wall clock, s; see api_get_object). Either may be NULL. */
int api_get(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_json,
	    gint64 *ret_mtime);

/* What is cached now, without fetching (a readdirplus entry, an opendir's check): an object
 * only while it is fresh (-EAGAIN otherwise); a listing however stale (-ENOENT when there
 * is none), fresh_us 0 once it expired. *ret_fresh is zeroed on failure. */
int api_peek_object(ApiClient *api, const ResKind *kind, const char *name, GBytes **ret_blob,
		    ApiFreshness *ret_fresh);
int api_list_peek(ApiClient *api, const ResKind *kind, ApiFreshness *ret_fresh);

/* Validates value (one line; a single trailing newline is dropped) and sends it. Invalid
 * input is -EINVAL with nothing sent and the reason in /.wksfs/errors. */
int api_set_field(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		  const char *name, const ResField *field, const char *value, gsize len);

/* Runs one command line written to an action file ("stop", "stop hard\n", "add alice").
 * Writes to many objects of a batchable kind within the batch window share one call (see
 * src/batch.h); each writer still gets its own outcome.
 * An unknown verb, a missing or extra word, a second line is -EINVAL with nothing sent and
 * the reason in /.wksfs/errors. Every attempt, refused or not, becomes the object's last
 * result (api_last_result); *outcome, when outcome is not NULL, is set to that text in every
 * case (caller frees), so the writer can read back its own. */
int api_action(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name,
	       const char *command, gsize len, char **outcome);

/* Creates an object of kind from the JSON body written to `<kind>/.create`: the body is
 * checked against the kind's documented fields first (-EINVAL, nothing sent, the reason in
 * /.wksfs/errors), -EROFS when read-only, -EACCES for another uid; with dry_run it is only
 * audited. Then one POST, never resent; the API's refusal as -errno (a name taken: -EEXIST).
 * *outcome, set in every case (caller frees), is what the writer reads back: the new
 * object's name, "job <id>" for an asynchronous create (the job is followed like an
 * action's, and its end invalidates the collection), "dry-run: ..." or "error: ...". On
 * success the new object's name, when known, is in *ret_name (caller frees). The collection
 * is invalidated before it returns. */
int api_create(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *body,
	       gsize len, char **ret_name, char **outcome);
/* Whether a body written so far (ending in a newline) is a JSON text cut short, so its
 * writer is still writing: a large body arrives in several writes. */
gboolean api_create_incomplete(const char *body, gsize len);

/* Deletes an object with one request of its kind's ResDelete (delete.c): -EPERM for a kind
 * without one and without allow_delete (audited), -EROFS when read-only, -ENOENT for a name
 * the listing lacks; nothing sent then. Otherwise the API's answer mapped (errmap.c). */
int api_delete(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name);

/* An object's tags (ResTags: desktops/<id>/tags/): their keys, in the API's order, and the
 * version and freshness of what they were read from (the object, or when it lacks the
 * field, its own tags GET, cached with it). peek: only what is cached and fresh (-EAGAIN
 * otherwise), as api_peek_object. -ENOENT for a kind without tags. */
int api_tags(ApiClient *api, const ResKind *kind, const char *name, gboolean peek,
	     GPtrArray **ret_keys, ApiFreshness *ret_fresh);
/* One tag's file: its value and a newline (a new reference); -ENOENT without that key. */
int api_tag(ApiClient *api, const ResKind *kind, const char *name, const char *key,
	    gboolean peek, GBytes **ret_content, ApiFreshness *ret_fresh);
/* Creates or overwrites a tag with value (one line; a single trailing newline is dropped):
 * one call. Invalid input, and a new key beyond the most tags an object may have, is
 * -EINVAL with nothing sent and the reason in /.wksfs/errors. Checked first as
 * api_set_field is: the caller, then -o ro. */
int api_set_tag(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *name,
		const char *key, const char *value, gsize len);
/* Deletes a tag: one call; -ENOENT (nothing sent) when the object has no such key, -EROFS
 * (audited) when read-only. A tag is a file: -o allow_delete is not needed. */
int api_delete_tag(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		   const char *name, const char *key);

/* TRUE when mutations fail with EROFS: -o ro, or started offline from a snapshot and the
 * API has not answered yet (src/snapshot.h). */
gboolean api_read_only(ApiClient *api);
/* TRUE for -o ro, the mount's own switch (api_read_only without an offline start). */
gboolean api_mounted_ro(ApiClient *api);
/* Seconds since the snapshot (-o snapshot) was written: the one loaded, or the last this
 * mount wrote. FALSE when there is none. */
gboolean api_snapshot_age(ApiClient *api, gint64 *ret_age_s);

/* 0 when the caller is the mounting user or root; otherwise the refusal is audited and the
 * answer is -EACCES. api_set_field, api_action and api_delete check it first. */
int api_check_caller(ApiClient *api, const ApiCaller *caller);

/* Records a mutation refused before it was formed (a write opened on a read-only mount) in
 * /.wksfs/audit; returns -EROFS. */
int api_refuse_read_only(ApiClient *api, const ApiCaller *caller);

/* /.wksfs/audit: every mutation, one line each. */
char *api_audit_text(ApiClient *api);

/* /.wksfs/changes (src/changes.h): its size (every byte ever appended) and up to size bytes
 * at off. */
guint64 api_changes_size(ApiClient *api);
GBytes *api_changes_read(ApiClient *api, guint64 off, gsize size);
/* Lines ever appended to it, and the passes -o watch made (0 without it). */
guint64 api_changes_count(ApiClient *api);
guint64 api_watch_passes(ApiClient *api);

/* The names a link directory of an object points to (objects of link->target). */
int api_links(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
	      GPtrArray **ret_names);

/* A LINK_OBJECTS directory (src/subobjects.c): the names of the object's own sub-collection
 * (every page), and one of its objects rendered (a blob of src/render.h), with how fresh
 * they are. Cached with the object, for its kind's TTL: what invalidates the object drops
 * them. -EINVAL for another kind of link. */
int api_sub_list(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
		 GPtrArray **ret_names, ApiFreshness *ret_fresh);
int api_sub_object(ApiClient *api, const ResKind *kind, const char *name, const ResLink *link,
		   const char *entry, GBytes **ret_blob, ApiFreshness *ret_fresh);

/* Whether a link directory holds `entry`, checked on the objects themselves (no scan). */
gboolean api_link_has(ApiClient *api, const ResKind *kind, const char *name,
		      const ResLink *link, const char *entry);
/* Whether the object `name` is under `key` in a grouped view. */
gboolean api_view_has(ApiClient *api, const ResView *view, const char *key, const char *name);

/* A view: its keys (field values), and for a key the objects it names (one for a flat
 * view: the first object with that value). */
int api_view_keys(ApiClient *api, const ResView *view, GPtrArray **ret_keys);
int api_view_members(ApiClient *api, const ResView *view, const char *key,
		     GPtrArray **ret_names);

/* Waits for a job to end (SUCCESS or FAILED), for at most timeout_s; the final status in
 * *ret_status. The job watcher is the one poller: any number of waiters cost no request;
 * a job this mount did not start is followed from now on. -ETIMEDOUT, -EINTR when
 * cancelled() says so, -ECANCELED at shutdown, the cancel func's -errno
 * (api_set_cancel_func), or the -errno of a poll that failed while it waited. */
int api_job_wait(ApiClient *api, const ResKind *kind, const char *name, gint64 timeout_s,
		 gboolean (*cancelled)(void), char **ret_status);

/* What the last action on this object gave: "job <id>\n", "ok\n" or "error: ...\n"; "" if
 * none. */
char *api_last_result(ApiClient *api, const ResKind *kind, const char *name);

/* /.wksfs/errors */
char *api_errors_text(ApiClient *api);
/* Adds a line to /.wksfs/errors (wks_client_note_error) for input refused before anything
 * was sent: what was refused, where (the mount path), and why. */
void api_note_invalid(ApiClient *api, const char *what, const char *path, const char *why);
/* Adds a line to /.wksfs/errors for n objects of the collection dir the tree cannot show
 * as the API gave them, and why (a sentence that follows the count). */
void api_note_odd(ApiClient *api, const char *dir, guint n, const char *why);

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

/* ---- documents (src/document.c): field files whose value is a whole text, not one line:
 * FIELD_JSON (policies.json) and FIELD_TEXT (a script's content) ---- */

/* Whether a field's value is a document (may span lines); FALSE for NULL. */
gboolean api_field_is_document(const ResField *field);
/* Why text written so far can never become valid text, whatever follows (a NUL byte, bytes
 * that are not UTF-8 nor its cut-off start), or NULL. */
const char *api_text_so_far_problem(const char *text, gsize len);
/* The value written so far to a document field (field), or to a `.create` (field NULL),
 * whose last write ended in a newline when at_newline: 1 when it is complete and to be sent
 * now (a JSON text at a newline, not cut short), 0 while its writer goes on (text is
 * complete only at the writer's last close), or -EINVAL when no more writing can make it
 * valid (a NUL byte, bytes that are no UTF-8), the reason in /.wksfs/errors under path. */
int api_document_take(ApiClient *api, const char *path, const ResField *field,
		      const char *value, gsize len, gboolean at_newline);
/* Checks a whole document and sends it, once: a JSON field's value must be one object of
 * the documented fields and types (as a create body is checked), a text UTF-8 without NUL
 * bytes (one trailing newline dropped, as for any field); the fields field->carry names
 * go along as the cached object has them. As api_set_field otherwise: -EACCES for another
 * uid, -EROFS, -EINVAL with nothing sent, dry_run audited only, the object invalidated. */
int api_set_document(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		     const char *name, const ResField *field, const char *value, gsize len);

/* ---- detail-only fields (src/detail.c) ---- */

/* The object blob to read `file` of an object from: the object's (api_get_object, or with
 * peek api_peek_object), unless file is a detail-only field (ResField.detail_only) that the
 * object shows empty — the listing's brief objects lack it — then the object's detail,
 * fetched once and cached with the object for its TTL (peek: only a fresh cached one,
 * -EAGAIN otherwise). file may be NULL (the object itself). */
int api_get_object_file(ApiClient *api, const ResKind *kind, const char *name,
			const char *file, gboolean peek, GBytes **ret_blob,
			ApiFreshness *ret_fresh);

/* /<kind>.jsonl (src/lines.c): a collection as JSON Lines, each object's info.json in the
 * listing's order, read through the cache as the directory is (its pages when cold, nothing
 * while fresh). Only for kinds with a listing that are not singletons. */
typedef struct ApiLines ApiLines;
gboolean api_lines_kind(const ResKind *kind);
/* The size the lines have now and their freshness (the newest part's version, the stalest
 * part's time left). peek: only from what is cached and fresh (-EAGAIN otherwise). */
int api_lines_stat(ApiClient *api, const ResKind *kind, gboolean peek, guint64 *ret_size,
		   ApiFreshness *ret_fresh);
/* A snapshot of the lines for one open: references to the cached objects' bytes, no copy. */
int api_lines_open(ApiClient *api, const ResKind *kind, ApiLines **ret_lines,
		   ApiFreshness *ret_fresh);
guint64 api_lines_size(const ApiLines *l);
/* Up to size bytes at off (a new buffer; empty at or past the end). */
GBytes *api_lines_read(const ApiLines *l, guint64 off, gsize size);
void api_lines_free(ApiLines *l);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(ApiLines, api_lines_free)

/* /.wksfs/metrics' API part (src/exposition.c), appended to out in the Prometheus text
 * exposition format: requests by method, route and status class, their durations, errors,
 * retries, throttling, the cache, online, mutations by outcome, jobs followed. */
void api_metrics_write(ApiClient *api, GString *out);
