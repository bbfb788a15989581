/* audit.c — what was asked of the API, by whom, and what came of it.
 *
 * Owns: the last AUDIT_LINES lines of /.wksfs/audit (one per mutation a writer asked for:
 * sent, refused or dry-run; a batched action is one line per writer, each naming the shared
 * request id), their logfmt form, -o audit_file (each line appended and on disk before
 * audit_add returns, so before the write() that caused it does), the last result of each
 * object's action file ("<dir>/<name>" -> text), and the text a failed mutation reads back
 * (audit_describe_error).
 * Must not: reach the network or the cache; it only records what mutate.c and batch.c tell
 * it. Locking: `lock` guards both tables and is never held across anything but them; the
 * file is written outside it (one write(2) per line, O_APPEND: lines never interleave).
 */
#include "src/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AUDIT_LINES 1000

struct Audit {
	GMutex lock;
	GQueue lines;		/* char*, oldest first; guarded by lock */
	GHashTable *results;	/* "<dir>/<name>" -> last action result; guarded by lock */
	int fd;			/* -o audit_file, or -1; set before any audit_add */
	AuditCounts counts;	/* every line by outcome; guarded by lock */
	char *file;
};

Audit *audit_new(void)
{
	Audit *audit = g_new0(Audit, 1);

	g_mutex_init(&audit->lock);
	g_queue_init(&audit->lines);
	audit->results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	audit->fd = -1;
	return audit;
}

void audit_free(Audit *audit)
{
	if (!audit)
		return;
	g_queue_clear_full(&audit->lines, g_free);
	g_hash_table_destroy(audit->results);
	if (audit->fd >= 0)
		close(audit->fd);
	g_free(audit->file);
	g_mutex_clear(&audit->lock);
	g_free(audit);
}

int audit_open_log(const char *path, GError **error)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	struct stat st;

	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a regular file",
			    path);
		close(fd);
		return -1;
	}
	return fd;
}

gboolean audit_open_file(Audit *audit, const char *path, GError **error)
{
	int fd = audit_open_log(path, error);

	if (fd < 0)
		return FALSE;
	audit->fd = fd;
	audit->file = g_strdup(path);
	return TRUE;
}

/* logfmt's value: bare when it is a plain word, else quoted with \\, \" and \n, \r, \t
 * escaped and any other control character as \u00XX (go-logfmt's rules), so a parser reads
 * back exactly the text, whatever a process name, a path or a request body holds. */
static void append_value(GString *out, const char *value)
{
	gboolean plain = value[0] != '\0';

	for (const char *c = value; *c && plain; c++)
		plain = (guchar)*c > ' ' && *c != '=' && *c != '"' && *c != '\\' && *c != 0x7f;
	if (plain) {
		g_string_append(out, value);
		return;
	}
	g_string_append_c(out, '"');
	for (const char *c = value; *c; c++) {
		switch (*c) {
		case '"':
		case '\\':
			g_string_append_c(out, '\\');
			g_string_append_c(out, *c);
			break;
		case '\n':
			g_string_append(out, "\\n");
			break;
		case '\r':
			g_string_append(out, "\\r");
			break;
		case '\t':
			g_string_append(out, "\\t");
			break;
		default:
			if ((guchar)*c < ' ' || *c == 0x7f)
				g_string_append_printf(out, "\\u%04x", (guchar)*c);
			else
				g_string_append_c(out, *c);
		}
	}
	g_string_append_c(out, '"');
}

void audit_logfmt_field(GString *out, const char *key, const char *value)
{
	if (out->len)
		g_string_append_c(out, ' ');
	g_string_append_printf(out, "%s=", key);
	append_value(out, value);
}

/* The line on disk before the caller goes on. A failure cannot undo what was sent: it is
 * logged, loudly. */
static void append_to_file(Audit *audit, const char *line)
{
	g_autofree char *text = g_strconcat(line, "\n", NULL);
	gsize len = strlen(text);
	ssize_t n;

	do
		n = write(audit->fd, text, len);
	while (n < 0 && errno == EINTR);
	if (n != (ssize_t)len || fdatasync(audit->fd) < 0)
		g_warning("audit_file %s: %s: the line is only in /.wksfs/audit", audit->file,
			  n < 0 || n == (ssize_t)len ? g_strerror(errno) : "short write");
}

void audit_add(Audit *audit, const ApiCaller *who, const char *method, const char *path,
	       const char *body, const char *result, const char *request_id)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_autofree char *uid = g_strdup_printf("%u", who ? who->uid : 0);
	g_autofree char *pid = g_strdup_printf("%d", who ? who->pid : 0);
	g_autofree char *request = g_strdup_printf("%s %s%s%s", method, path, body ? " " : "",
						   body ? body : "");
	GString *line = g_string_new(NULL);

	audit_logfmt_field(line, "time", ts);
	audit_logfmt_field(line, "uid", uid);
	audit_logfmt_field(line, "pid", pid);
	audit_logfmt_field(line, "command", who && who->command ? who->command : "-");
	audit_logfmt_field(line, "path", who && who->path ? who->path : "-");
	audit_logfmt_field(line, "request", request);
	audit_logfmt_field(line, "result", result);
	audit_logfmt_field(line, "request_id", request_id ? request_id : "-");
	g_message("audit: %s", line->str);
	if (audit->fd >= 0)
		append_to_file(audit, line->str);
	g_mutex_lock(&audit->lock);
	if (strcmp(method, "-") == 0 || g_str_has_prefix(result, "refused"))
		audit->counts.refused++;
	else if (g_str_has_prefix(result, "dry-run"))
		audit->counts.dry_run++;
	else if (g_str_has_prefix(result, "error") || g_str_has_prefix(result, "unknown"))
		audit->counts.failed++;
	else
		audit->counts.ok++;
	g_queue_push_tail(&audit->lines, g_string_free(line, FALSE));
	while (g_queue_get_length(&audit->lines) > AUDIT_LINES)
		g_free(g_queue_pop_head(&audit->lines));
	g_mutex_unlock(&audit->lock);
}

void audit_get_counts(Audit *audit, AuditCounts *ret_counts)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&audit->lock);

	*ret_counts = audit->counts;
}

char *audit_text(Audit *audit)
{
	GString *out = g_string_new(NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&audit->lock);

	for (GList *l = audit->lines.head; l; l = l->next)
		g_string_append_printf(out, "%s\n", (char *)l->data);
	return g_string_free(out, FALSE);
}

void audit_set_result(Audit *audit, const ResKind *kind, const char *name, char *result)
{
	g_mutex_lock(&audit->lock);
	g_hash_table_replace(audit->results, g_strconcat(kind->dir, "/", name, NULL), result);
	g_mutex_unlock(&audit->lock);
}

char *audit_last_result(Audit *audit, const ResKind *kind, const char *name)
{
	g_autofree char *key = g_strconcat(kind->dir, "/", name, NULL);
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&audit->lock);

	return g_strdup(g_hash_table_lookup(audit->results, key) ?: "");
}

gboolean audit_outcome_unknown(int rc, const WksError *e)
{
	return rc < 0 && e->sent && (e->status == 0 || (e->status >= 200 && e->status < 300) ||
				     e->status == 500 || e->status == 502 || e->status == 504);
}

char *audit_describe_error(int rc, const WksError *e)
{
	return g_strdup_printf("%s: %s%s%s%s%s", audit_outcome_unknown(rc, e) ?
			       "unknown, may have been applied"
			       : "error", g_strerror(-rc), e->error_code ? " " : "",
			       e->error_code ? e->error_code : "", e->error_msg ? ": " : "",
			       e->error_msg ? e->error_msg : "");
}
