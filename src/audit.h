/* audit.h — /.wksfs/audit and the last result of each object's action file. */
#pragma once

#include <glib.h>

#include "src/api.h"

typedef struct Audit Audit;

Audit *audit_new(void);
void audit_free(Audit *audit);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Audit, audit_free)

/* -o audit_file: every line from now on is also appended to path (created 0600), on disk
 * before audit_add returns. Called once, before any line. */
gboolean audit_open_file(Audit *audit, const char *path, GError **error);
/* PATH opened for appending lines (created 0600; a regular file), or -1 and *error. */
int audit_open_log(const char *path, GError **error);

/* One line, logfmt: time, uid, pid, command, path (who; may be NULL), request (method, path
 * and body as sent), result (its outcome) and request_id (the API's; NULL: none). Logged at
 * message level too. */
void audit_add(Audit *audit, const ApiCaller *who, const char *method, const char *path,
	       const char *body, const char *result, const char *request_id);
/* Appends " key=value" (no space first when out is empty), value logfmt-quoted when it
 * is not a plain word (go-logfmt's rules): what /.wksfs/audit and /.wksfs/changes write. */
void audit_logfmt_field(GString *out, const char *key, const char *value);
/* The lines so far by outcome: sent and answered with success, sent and failed, refused
 * before anything was formed (another uid, -o ro), audited only (-o dry_run). */
typedef struct {
	guint64 ok;
	guint64 failed;
	guint64 refused;
	guint64 dry_run;
} AuditCounts;
void audit_get_counts(Audit *audit, AuditCounts *ret_counts);

/* Every line kept, oldest first, each ending in a newline (caller frees). */
char *audit_text(Audit *audit);

/* The object's last action result becomes result (taken). */
void audit_set_result(Audit *audit, const ResKind *kind, const char *name, char *result);
/* Its last action result, "" if none (caller frees). */
char *audit_last_result(Audit *audit, const ResKind *kind, const char *name);

/* Whether a mutation that failed this way (rc < 0) may have been applied all the same: it
 * was sent (not refused at connect, resolve or TLS verification) and its answer was lost (a
 * timeout, a reset, a cut body), unreadable (a 2xx whose body is not JSON: applied), or a
 * 500, 502 or 504 (the service may have acted before it or its gateway failed). A 4xx or a
 * 503 (the service did not take it) says it was not. */
gboolean audit_outcome_unknown(int rc, const WksError *e);
/* "error: <strerror> <error_code>: <error_msg>", what a failed mutation reads back (its last
 * result and its audit line), for one object (mutate.c) and for each writer of a batch
 * (batch.c); "unknown, may have been applied: ..." instead when the request was sent and
 * its answer lost or unreadable (SEMANTICS §4). */
char *audit_describe_error(int rc, const WksError *e);
