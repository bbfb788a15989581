/* changes.c — /.wksfs/changes: what wksfs saw change, one logfmt line each.
 *
 * Owns: the lines kept (the last max_lines), their offsets (counted from the first line ever
 * written, so a reader's offset stays valid as old lines fall off and the size only grows),
 * the field-level comparison of two rendered objects (the files of render.h, not the JSON),
 * the created/deleted events of two listings, each line's source (the thread's, or one a
 * write or a job announced for that object: changes_expect), and -o changes_file.
 * Must not: fetch, touch the cache or tell the kernel anything; store.c and reader.c call
 * it with what they fetched. Locking: `lock` guards the lines and the expectations and is
 * held for nothing else; the file is written outside it (one write(2) per line, O_APPEND).
 */
#include "src/changes.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "src/audit.h"
#include "src/render.h"

/* A value longer than this is cut, and marked so ("..." at its end). */
#define MAX_VALUE 1024
/* How long a write's or a job's announced change waits for the fetch that shows it. */
#define EXPECT_US (60 * G_USEC_PER_SEC)
#define MAX_EXPECTED 4096

static const char DROPPED[] = "# older lines dropped";

typedef struct {
	const char *source;	/* static */
	gint64 until_us;
} Expected;

struct Changes {
	GMutex lock;
	GQueue lines;		/* char*, each with its "\n", oldest first; lock */
	guint64 first_off;	/* the offset of the oldest line kept; lock */
	guint64 end_off;	/* every byte ever appended; lock */
	guint64 count;		/* lines ever appended; lock */
	guint max_lines;
	GHashTable *expected;	/* "<dir>/<name>" or "<dir>/" -> Expected*; lock */
	int fd;			/* -o changes_file, or -1; set before any line */
	char *file;
};

static __thread const char *thread_source;

Changes *changes_new(guint max_lines)
{
	Changes *changes = g_new0(Changes, 1);

	g_mutex_init(&changes->lock);
	g_queue_init(&changes->lines);
	changes->max_lines = MAX(max_lines, 1);
	changes->expected = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	changes->fd = -1;
	return changes;
}

void changes_free(Changes *changes)
{
	if (!changes)
		return;
	g_queue_clear_full(&changes->lines, g_free);
	g_hash_table_destroy(changes->expected);
	if (changes->fd >= 0)
		close(changes->fd);
	g_free(changes->file);
	g_mutex_clear(&changes->lock);
	g_free(changes);
}

gboolean changes_open_file(Changes *changes, const char *path, GError **error)
{
	int fd = audit_open_log(path, error);

	if (fd < 0)
		return FALSE;
	changes->fd = fd;
	changes->file = g_strdup(path);
	return TRUE;
}

void changes_set_thread_source(const char *source)
{
	thread_source = source;
}

static char *expect_key(const ResKind *kind, const char *name)
{
	return g_strconcat(kind->dir, "/", name ? name : "", NULL);
}

void changes_expect(Changes *changes, const ResKind *kind, const char *name,
		    const char *source)
{
	Expected *e = g_new(Expected, 1);
	gint64 now = g_get_monotonic_time();
	GHashTableIter it;
	gpointer value;

	e->source = source;
	e->until_us = now + EXPECT_US;
	g_mutex_lock(&changes->lock);
	if (g_hash_table_size(changes->expected) >= MAX_EXPECTED) {
		g_hash_table_iter_init(&it, changes->expected);
		while (g_hash_table_iter_next(&it, NULL, &value))
			if (((Expected *)value)->until_us < now)
				g_hash_table_iter_remove(&it);
	}
	if (g_hash_table_size(changes->expected) < MAX_EXPECTED)
		g_hash_table_replace(changes->expected, expect_key(kind, name), e);
	else
		g_free(e);
	g_mutex_unlock(&changes->lock);
}

/* The source of what a fetch of kind/name saw, taking its expectation (a fetch settles
 * it, changed or not); the thread's otherwise. */
static const char *take_source(Changes *changes, const ResKind *kind, const char *name)
{
	g_autofree char *key = NULL;
	const char *source = thread_source ? thread_source : "refresh";
	Expected *e;

	g_mutex_lock(&changes->lock);
	if (g_hash_table_size(changes->expected) == 0) {	/* a listing's usual case */
		g_mutex_unlock(&changes->lock);
		return source;
	}
	key = expect_key(kind, name);
	e = g_hash_table_lookup(changes->expected, key);
	if (e && e->until_us >= g_get_monotonic_time())
		source = e->source;
	if (e)
		g_hash_table_remove(changes->expected, key);
	g_mutex_unlock(&changes->lock);
	return source;
}

/* On disk before the caller goes on; a failure is logged, the line stays in the feed. */
static void append_to_file(Changes *changes, const char *text, gsize len)
{
	ssize_t n;

	do
		n = write(changes->fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len || fdatasync(changes->fd) < 0)
		g_warning("changes_file %s: %s: the line is only in /.wksfs/changes",
			  changes->file, n < 0 || n == (ssize_t)len ? g_strerror(errno)
							    : "short write");
}

/* Appends one line (taken: without its "\n"). */
static void add_line(Changes *changes, GString *line)
{
	char *text;
	gsize len;

	g_string_append_c(line, '\n');
	len = line->len;
	text = g_string_free(line, FALSE);
	if (changes->fd >= 0)
		append_to_file(changes, text, len);
	g_mutex_lock(&changes->lock);
	g_queue_push_tail(&changes->lines, text);
	changes->end_off += len;
	changes->count++;
	while (g_queue_get_length(&changes->lines) > changes->max_lines) {
		char *old = g_queue_pop_head(&changes->lines);

		changes->first_off += strlen(old);
		g_free(old);
	}
	g_mutex_unlock(&changes->lock);
}

static GString *line_start(const ResKind *kind, const char *name)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S.%fZ");
	GString *line = g_string_new(NULL);

	audit_logfmt_field(line, "time", ts);
	audit_logfmt_field(line, "kind", kind->dir);
	audit_logfmt_field(line, "name", name);
	return line;
}

/* A file's bytes as a value: without its last "\n", cut at MAX_VALUE (and a NUL). */
static char *value_of(GBytes *content)
{
	gsize len = 0;
	const char *data = content ? g_bytes_get_data(content, &len) : NULL;
	g_autofree char *v = NULL;

	if (len && data[len - 1] == '\n')
		len--;
	if (len <= MAX_VALUE)
		return g_strndup(data ? data : "", len);
	v = g_strndup(data, MAX_VALUE);
	return g_strconcat(v, "...", NULL);
}

static gboolean same_bytes(GBytes *a, GBytes *b)
{
	if (!a || !b)
		return a == b;
	return g_bytes_equal(a, b);
}

static void field_line(Changes *changes, const ResKind *kind, const char *name,
		       const char *field, GBytes *old, GBytes *new, const char *source)
{
	g_autofree char *ov = value_of(old), *nv = value_of(new);
	GString *line = line_start(kind, name);

	audit_logfmt_field(line, "field", field);
	audit_logfmt_field(line, "old", ov);
	audit_logfmt_field(line, "new", nv);
	audit_logfmt_field(line, "source", source);
	add_line(changes, line);
}

void changes_object(Changes *changes, const ResKind *kind, const char *name, GBytes *previous,
		    GBytes *blob)
{
	const char *source = take_source(changes, kind, name);

	if (!previous || !render_is_blob(previous) || !render_is_blob(blob) ||
	    render_version_ns(previous) == render_version_ns(blob))
		return;
	/* The files of the new object, then those it no longer has. */
	for (guint i = 0; i < render_count(blob); i++) {
		const char *file = render_name(blob, i);
		int j = render_find(previous, file);
		g_autoptr(GBytes) nc = render_content(blob, i);
		g_autoptr(GBytes) oc = j >= 0 ? render_content(previous, (guint)j) : NULL;

		if (strcmp(file, "info.json") == 0 || same_bytes(oc, nc))
			continue;
		field_line(changes, kind, name, file, oc, nc, source);
	}
	for (guint j = 0; j < render_count(previous); j++) {
		const char *file = render_name(previous, j);
		g_autoptr(GBytes) oc = NULL;

		if (strcmp(file, "info.json") == 0 || render_find(blob, file) >= 0)
			continue;
		oc = render_content(previous, j);
		field_line(changes, kind, name, file, oc, NULL, source);
	}
}

static GHashTable *name_set(const char *names, gsize len)
{
	GHashTable *set = g_hash_table_new(g_str_hash, g_str_equal);

	for (gsize i = 0; i < len; i += strlen(names + i) + 1)
		g_hash_table_add(set, (gpointer)(names + i));
	return set;
}

static void events(Changes *changes, const ResKind *kind, const char *names, gsize len,
		   GHashTable *other, const char *event, const char *source)
{
	for (gsize i = 0; i < len; i += strlen(names + i) + 1) {
		GString *line;

		if (g_hash_table_contains(other, names + i))
			continue;
		line = line_start(kind, names + i);
		audit_logfmt_field(line, "event", event);
		audit_logfmt_field(line, "source", source);
		add_line(changes, line);
	}
}

void changes_listing(Changes *changes, const ResKind *kind, const char *old_names,
		     gsize old_len, const char *new_names, gsize new_len)
{
	const char *source = take_source(changes, kind, NULL);
	g_autoptr(GHashTable) old_set = name_set(old_names, old_len);
	g_autoptr(GHashTable) new_set = name_set(new_names, new_len);

	events(changes, kind, new_names, new_len, old_set, "created", source);
	events(changes, kind, old_names, old_len, new_set, "deleted", source);
}

guint64 changes_size(Changes *changes)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&changes->lock);

	return changes->end_off;
}

guint64 changes_count(Changes *changes)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&changes->lock);

	return changes->count;
}

/* Byte p of the dropped part [0, end): the DROPPED comment, spaces, a "\n" last. */
static char dropped_byte(guint64 p, guint64 end)
{
	if (p == end - 1)
		return '\n';
	return p < sizeof(DROPPED) - 1 ? DROPPED[p] : ' ';
}

GBytes *changes_read(Changes *changes, guint64 off, gsize size)
{
	GByteArray *out = g_byte_array_new();
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&changes->lock);
	guint64 at = changes->first_off;

	for (; off < changes->first_off && out->len < size; off++) {
		guint8 c = (guint8)dropped_byte(off, changes->first_off);

		g_byte_array_append(out, &c, 1);
	}
	for (GList *l = changes->lines.head; l && out->len < size; l = l->next) {
		gsize len = strlen(l->data);

		if (off < at + len) {
			gsize from = (gsize)(off - at);
			gsize n = MIN(len - from, size - out->len);

			g_byte_array_append(out, (const guint8 *)l->data + from, (guint)n);
			off += n;
		}
		at += len;
	}
	return g_byte_array_free_to_bytes(out);
}
