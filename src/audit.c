/* audit.c — what was asked of the API, by whom, and what came of it.
 *
 * Owns: the last AUDIT_LINES lines of /.wksfs/audit (one per mutation a writer asked for:
 * sent, refused or dry-run; a batched action is one line per writer, each naming the shared
 * request id) and the last result of each object's action file ("<dir>/<name>" -> text),
 * and the text a failed mutation reads back (audit_describe_error).
 * Must not: reach the network or the cache; it only records what mutate.c and batch.c tell
 * it. Locking: `lock` guards both tables and is never held across anything but them.
 */
#include "src/audit.h"

#define AUDIT_LINES 1000

struct Audit {
	GMutex lock;
	GQueue lines;		/* char*, oldest first; guarded by lock */
	GHashTable *results;	/* "<dir>/<name>" -> last action result; guarded by lock */
};

Audit *audit_new(void)
{
	Audit *audit = g_new0(Audit, 1);

	g_mutex_init(&audit->lock);
	g_queue_init(&audit->lines);
	audit->results = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return audit;
}

void audit_free(Audit *audit)
{
	if (!audit)
		return;
	g_queue_clear_full(&audit->lines, g_free);
	g_hash_table_destroy(audit->results);
	g_mutex_clear(&audit->lock);
	g_free(audit);
}

void audit_add(Audit *audit, const ApiCaller *who, const char *method, const char *path,
	       const char *body, const char *result, const char *request_id)
{
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	char *line = g_strdup_printf("%s uid=%u pid=%d command=%s path=%s request=\"%s %s %s\" "
				     "result=\"%s\" request_id=%s",
				     ts, who ? who->uid : 0, who ? who->pid : 0,
				     who && who->command ? who->command : "-",
				     who && who->path ? who->path : "-", method, path,
				     body ? body : "", result, request_id ? request_id : "-");

	g_strdelimit(line, "\r\n", ' ');
	g_message("audit: %s", line);
	g_mutex_lock(&audit->lock);
	g_queue_push_tail(&audit->lines, line);
	while (g_queue_get_length(&audit->lines) > AUDIT_LINES)
		g_free(g_queue_pop_head(&audit->lines));
	g_mutex_unlock(&audit->lock);
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

char *audit_describe_error(int rc, const WksError *e)
{
	return g_strdup_printf("error: %s%s%s%s%s", g_strerror(-rc), e->error_code ? " " : "",
			       e->error_code ? e->error_code : "", e->error_msg ? ": " : "",
			       e->error_msg ? e->error_msg : "");
}
