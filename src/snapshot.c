/* snapshot.c — -o snapshot=PATH: the last good data on disk, and an offline start from it.
 *
 * Owns: the file's format, its atomic writes (a temporary file in the same directory, mode
 * 0600, fsync, rename), the timer that writes it when the cache changed, its load at an
 * offline start, and the probe that brings an offline mount back online. Must not: save
 * anything but cached values (no credential, token or signature is ever in the cache), or
 * load a file of another endpoint, project or region, or one whose checksum fails.
 *
 * Format (version 1; integers little-endian; a string is a u32 length and its bytes):
 *   "WKSFSNAP" u32 version  i64 written (wall clock, us)
 *   string endpoint  string project_id  string region ("" for none)
 *   u32 count, then count times: string key, string value (the cached bytes as they are,
 *   version stamps included, so the files keep their mtimes)
 *   32 bytes: the SHA-256 of everything before them.
 * Entries are the cache's values, the most recently used first, while key and value bytes
 * stay within max_cache_mb; the rest are left out.
 *
 * Locking: `lock` guards stop; the thread waits on `cond`. The api's offline flag and the
 * written time are atomics (api-private.h).
 */
#include "src/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "src/api-private.h"
#include "src/store.h"

#define SNAPSHOT_MAGIC "WKSFSNAP"
#define SNAPSHOT_VERSION 1
#define SNAPSHOT_SUM_LEN 32
#define PROBE_INTERVAL_US G_USEC_PER_SEC
#define OUTAGE_OPEN_US (5 * G_USEC_PER_SEC)

struct Snapshot {
	char *path;
	ApiClient *api;
	char *region;
	gint64 interval_us;
	gsize max_bytes;
	GThread *thread;
	GMutex lock;
	GCond cond;
	gboolean stop;		/* guarded by lock */
	guint64 saved_stores;	/* the cache's store count at the last save (thread only) */
};

Snapshot *snapshot_new(const char *path, ApiClient *api, const char *region, gint64 interval_s,
		       gsize max_bytes)
{
	Snapshot *s = g_new0(Snapshot, 1);

	/* Absolute now: the daemon works in / (fuse_daemonize) when it writes. */
	s->path = g_canonicalize_filename(path, NULL);
	s->api = api;
	s->region = g_strdup(region ? region : "");
	s->interval_us = interval_s * G_USEC_PER_SEC;
	s->max_bytes = max_bytes;
	g_mutex_init(&s->lock);
	g_cond_init(&s->cond);
	return s;
}

void snapshot_free(Snapshot *s)
{
	if (!s)
		return;
	g_mutex_clear(&s->lock);
	g_cond_clear(&s->cond);
	g_free(s->path);
	g_free(s->region);
	g_free(s);
}

gboolean api_snapshot_age(ApiClient *api, gint64 *ret_age_s)
{
	gint64 written = __atomic_load_n(&api->snapshot_written_s, __ATOMIC_RELAXED);

	if (!written)
		return FALSE;
	*ret_age_s = MAX(0, g_get_real_time() / G_USEC_PER_SEC - written);
	return TRUE;
}

/* Writing. */

static void put_u32(GByteArray *b, guint32 v)
{
	v = GUINT32_TO_LE(v);
	g_byte_array_append(b, (const guint8 *)&v, 4);
}

static void put_bytes(GByteArray *b, const void *data, gsize len)
{
	put_u32(b, (guint32)len);
	g_byte_array_append(b, data, (guint)len);
}

static void put_str(GByteArray *b, const char *s)
{
	put_bytes(b, s, strlen(s));
}

typedef struct {
	GByteArray *body;
	gsize bytes;		/* keys and values so far */
	gsize max_bytes;
	guint32 count;
	guint32 left_out;
} Walk;

static gboolean add_entry(const char *key, GBytes *value, gpointer data)
{
	Walk *w = data;
	gsize len;
	const void *bytes = g_bytes_get_data(value, &len);
	gsize size = strlen(key) + len;

	if (len > G_MAXUINT32 || (w->max_bytes && w->bytes + size > w->max_bytes)) {
		w->left_out++;
		return TRUE;	/* a smaller, less recently used one may still fit */
	}
	w->bytes += size;
	w->count++;
	put_str(w->body, key);
	put_bytes(w->body, bytes, len);
	return TRUE;
}

static gboolean write_all(int fd, const guint8 *data, gsize len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return FALSE;
		data += n;
		len -= (gsize)n;
	}
	return TRUE;
}

/* The rename itself on disk: a crash after it finds the new file, not the old one. */
static void sync_dir(const char *path)
{
	g_autofree char *dir = g_path_get_dirname(path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	if (fsync(fd) != 0) {
		/* a directory that cannot be synced (some file systems): the file is */
	}
	close(fd);
}

static gboolean write_file(const char *path, GByteArray *data, GError **error)
{
	g_autofree char *tmp = g_strconcat(path, ".tmp-XXXXXX", NULL);
	int fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, 0600);
	int saved;

	if (fd < 0) {
		saved = errno;
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", tmp,
			    g_strerror(saved));
		return FALSE;
	}
	if (!write_all(fd, data->data, data->len) || fsync(fd) != 0) {
		saved = errno ? errno : EIO;
		close(fd);
		g_unlink(tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", tmp,
			    g_strerror(saved));
		return FALSE;
	}
	close(fd);
	if (g_rename(tmp, path) != 0) {
		saved = errno;
		g_unlink(tmp);
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(saved), "%s: %s", path,
			    g_strerror(saved));
		return FALSE;
	}
	sync_dir(path);
	return TRUE;
}

gboolean snapshot_save(Snapshot *s, GError **error)
{
	g_autoptr(GByteArray) body = g_byte_array_new();
	gint64 now_us = g_get_real_time();
	gint64 written = GINT64_TO_LE(now_us);
	guint8 sum[SNAPSHOT_SUM_LEN];
	gsize sum_len = sizeof(sum);
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	Walk w = { body, 0, s->max_bytes, 0, 0 };
	guint count_at;
	guint32 count;
	CacheStats cs;

	cache_get_stats(s->api->cache, &cs);
	g_byte_array_append(body, (const guint8 *)SNAPSHOT_MAGIC, 8);
	put_u32(body, SNAPSHOT_VERSION);
	g_byte_array_append(body, (const guint8 *)&written, 8);
	put_str(body, api_endpoint(s->api));
	put_str(body, api_project_id(s->api));
	put_str(body, s->region);
	count_at = body->len;
	put_u32(body, 0);
	cache_walk(s->api->cache, add_entry, &w);
	count = GUINT32_TO_LE(w.count);
	memcpy(body->data + count_at, &count, 4);
	g_checksum_update(ck, body->data, body->len);
	g_checksum_get_digest(ck, sum, &sum_len);
	g_byte_array_append(body, sum, SNAPSHOT_SUM_LEN);
	if (!write_file(s->path, body, error))
		return FALSE;
	s->saved_stores = cs.stores;
	__atomic_store_n(&s->api->snapshot_written_s, now_us / G_USEC_PER_SEC, __ATOMIC_RELAXED);
	g_info("snapshot: %u entries (%zu bytes) written to %s%s", w.count, (gsize)body->len,
	       s->path, w.left_out ? ", some left out by max_cache_mb" : "");
	return TRUE;
}

/* Reading: a cursor over the file's bytes, every length checked. */

typedef struct {
	const guint8 *p;
	gsize left;
} Cursor;

static gboolean get_u32(Cursor *c, guint32 *ret)
{
	guint32 v;

	if (c->left < 4)
		return FALSE;
	memcpy(&v, c->p, 4);
	c->p += 4;
	c->left -= 4;
	*ret = GUINT32_FROM_LE(v);
	return TRUE;
}

static gboolean get_bytes(Cursor *c, const guint8 **ret, guint32 *ret_len)
{
	guint32 len;

	if (!get_u32(c, &len) || c->left < len)
		return FALSE;
	*ret = c->p;
	*ret_len = len;
	c->p += len;
	c->left -= len;
	return TRUE;
}

static char *get_str(Cursor *c)
{
	const guint8 *p;
	guint32 len;

	if (!get_bytes(c, &p, &len) || memchr(p, 0, len))
		return NULL;
	return g_strndup((const char *)p, len);
}

/* Whether the file names this mount's endpoint, project and region; the reason if not. */
static gboolean same_tenant(Snapshot *s, const char *endpoint, const char *project,
			    const char *region, GError **error)
{
	const char *what = NULL, *theirs = NULL, *ours = NULL;

	if (g_strcmp0(endpoint, api_endpoint(s->api)) != 0)
		what = "endpoint", theirs = endpoint, ours = api_endpoint(s->api);
	else if (g_strcmp0(project, api_project_id(s->api)) != 0)
		what = "project", theirs = project, ours = api_project_id(s->api);
	else if (g_strcmp0(region, s->region) != 0)
		what = "region", theirs = region, ours = s->region;
	if (!what)
		return TRUE;
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		    "%s is a snapshot of %s %s, not of this mount's %s; refused", s->path, what,
		    theirs, ours);
	return FALSE;
}

gboolean snapshot_load(Snapshot *s, int offline, GError **error)
{
	CacheStats cs;
	g_autofree char *data = NULL;
	g_autofree char *endpoint = NULL, *project = NULL, *region = NULL;
	g_autoptr(GChecksum) ck = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 sum[SNAPSHOT_SUM_LEN];
	gsize sum_len = sizeof(sum), len = 0;
	guint32 version = 0, count;
	g_autoptr(GPtrArray) keys = NULL;
	g_autoptr(GPtrArray) values = NULL;
	gint64 written;
	struct stat st;
	Cursor c;

	/* What it holds is served as the tenant's data: only a file no one else could have
	 * written. */
	if (g_stat(s->path, &st) == 0 &&
	    (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "%s is writable by others, or owned by another user; refused",
			    s->path);
		return FALSE;
	}
	if (!g_file_get_contents(s->path, &data, &len, error))
		return FALSE;
	if (len < 8 + 4 + 8 + SNAPSHOT_SUM_LEN || memcmp(data, SNAPSHOT_MAGIC, 8) != 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s is not a wksfs snapshot (or is truncated); refused", s->path);
		return FALSE;
	}
	g_checksum_update(ck, (const guint8 *)data, len - SNAPSHOT_SUM_LEN);
	g_checksum_get_digest(ck, sum, &sum_len);
	if (memcmp(sum, data + len - SNAPSHOT_SUM_LEN, SNAPSHOT_SUM_LEN) != 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s is corrupt or truncated (its checksum does not match); refused",
			    s->path);
		return FALSE;
	}
	c = (Cursor){ (const guint8 *)data + 8, len - 8 - SNAPSHOT_SUM_LEN };
	if (!get_u32(&c, &version) || version != SNAPSHOT_VERSION) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: snapshot version %u, this wksfs reads %d; refused", s->path,
			    version, SNAPSHOT_VERSION);
		return FALSE;
	}
	memcpy(&written, c.p, 8);
	written = GINT64_FROM_LE(written);
	c.p += 8;
	c.left -= 8;
	endpoint = get_str(&c);
	project = get_str(&c);
	region = get_str(&c);
	if (!endpoint || !project || !region || !get_u32(&c, &count))
		goto bad;
	if (!same_tenant(s, endpoint, project, region, error))
		return FALSE;
	/* The whole file is checked before anything enters the cache: a bad one changes
	 * nothing. An entry is at least 8 bytes, so count cannot ask for more than that. */
	if (count > c.left / 8)
		goto bad;
	keys = g_ptr_array_new_full(count, g_free);
	values = g_ptr_array_new_full(count, (GDestroyNotify)g_bytes_unref);
	for (guint32 i = 0; i < count; i++) {
		char *key = get_str(&c);
		const guint8 *p;
		guint32 n;

		if (!key)
			goto bad;
		g_ptr_array_add(keys, key);
		if (!get_bytes(&c, &p, &n))
			goto bad;
		/* A copy each, not a view into the file: memory follows the cache as
		 * fetches replace the values. */
		g_ptr_array_add(values, g_bytes_new(p, n));
	}
	if (c.left)
		goto bad;
	for (guint i = 0; i < keys->len; i++)
		cache_restore(s->api->cache, keys->pdata[i], values->pdata[i]);
	__atomic_store_n(&s->api->snapshot_written_s, written / G_USEC_PER_SEC,
			 __ATOMIC_RELAXED);
	/* What was loaded counts as saved: only what the mount fetches makes a new file. */
	cache_get_stats(s->api->cache, &cs);
	s->saved_stores = cs.stores;
	if (!offline) {
		g_info("snapshot: %u entries of %s loaded as stale data", count, s->path);
		return TRUE;
	}
	g_atomic_int_set(&s->api->offline, TRUE);
	/* The outage window opens at once: reads serve the snapshot without waiting for an API
	 * that did not answer the probe (each failed probe keeps it open). */
	store_fetch_done(s->api, offline, g_get_monotonic_time() - OUTAGE_OPEN_US);
	g_warning("offline: serving %u entries of the snapshot %s written %" G_GINT64_FORMAT
		  " s ago, read-only (writes fail with EROFS) until the API answers", count,
		  s->path, MAX(0, (g_get_real_time() - written) / G_USEC_PER_SEC));
	return TRUE;
bad:
	g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
		    "%s is malformed (an entry runs past its end); refused", s->path);
	return FALSE;
}

/* The thread: while offline, a probe every second (each failure keeps the outage window
 * open, so reads serve the snapshot without waiting for the network); online, a save every
 * interval when the cache changed. */

static gboolean wait_stop(Snapshot *s, gint64 us)
{
	gint64 until = g_get_monotonic_time() + us;
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&s->lock);

	while (!s->stop)
		if (!g_cond_wait_until(&s->cond, &s->lock, until))
			break;
	return s->stop;
}

static void probe_once(Snapshot *s)
{
	g_autofree char *reason = NULL;
	gint64 started = g_get_monotonic_time();
	int rc = api_probe(s->api, &reason);

	if (rc < 0) {
		store_fetch_done(s->api, rc, started);
		return;
	}
	g_atomic_int_set(&s->api->offline, FALSE);
	g_message("online: the API answers; the snapshot's data is refreshed as it is read, "
		  "and writes are allowed again");
}

static gpointer snapshot_thread(gpointer data)
{
	Snapshot *s = data;
	gint64 next_save = g_get_monotonic_time() + s->interval_us;

	for (;;) {
		gboolean offline = g_atomic_int_get(&s->api->offline);
		gint64 now = g_get_monotonic_time();
		g_autoptr(GError) error = NULL;
		CacheStats cs;

		if (wait_stop(s, offline ? PROBE_INTERVAL_US :
				 s->interval_us ? MAX(0, next_save - now) : G_MAXINT64 / 2))
			return NULL;
		if (offline) {
			probe_once(s);
			continue;
		}
		if (g_get_monotonic_time() < next_save)
			continue;
		next_save = g_get_monotonic_time() + s->interval_us;
		cache_get_stats(s->api->cache, &cs);
		if (cs.stores != s->saved_stores && !snapshot_save(s, &error))
			g_warning("snapshot: %s", error->message);
	}
}

void snapshot_start(Snapshot *s)
{
	if (!s || s->thread)
		return;
	s->thread = g_thread_new("wksfs-snapshot", snapshot_thread, s);
}

void snapshot_stop(Snapshot *s)
{
	g_autoptr(GError) error = NULL;
	CacheStats cs;

	if (!s)
		return;
	if (s->thread) {
		g_mutex_lock(&s->lock);
		s->stop = TRUE;
		g_cond_signal(&s->cond);
		g_mutex_unlock(&s->lock);
		g_thread_join(g_steal_pointer(&s->thread));
	}
	cache_get_stats(s->api->cache, &cs);
	if (g_atomic_int_get(&s->api->offline) || cs.stores == s->saved_stores)
		return;		/* nothing new since the file was loaded or written */
	if (!snapshot_save(s, &error))
		g_warning("snapshot: %s", error->message);
}
