/* metrics.h — the API requests' counters and duration histogram (metrics.c), and the
 * Prometheus text exposition format (0.0.4) that /.wksfs/metrics is written in. */
#pragma once

#include <glib.h>

typedef struct Metrics Metrics;

Metrics *metrics_new(void);
void metrics_free(Metrics *m);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(Metrics, metrics_free)

/* One HTTP request sent (a retry is another): its method, path template ("route", as the
 * emulator keys its counters), the status it got (0: no answer, a transport failure) and
 * how long it took. Thread-safe. */
void metrics_note_request(Metrics *m, const char *method, const char *route, long status,
			  double seconds);
/* A write refused as invalid input, nothing sent. */
void metrics_note_invalid(Metrics *m);

/* The collection a route is about: the path segment after {project_id} ("desktops" for
 * /v2/{project_id}/desktops/detail), "iam" for /v3/..., else "other" (caller frees). */
char *metrics_route_kind(const char *route);

/* Appends the requests' families: wksfs_api_requests_total, the duration histogram,
 * wksfs_invalid_writes_total. */
void metrics_write(Metrics *m, GString *out);

/* The exposition format. A family's HELP and TYPE lines (type: counter, gauge, histogram),
 * before its samples. */
void metrics_family(GString *out, const char *name, const char *type, const char *help);
/* A sample: name, labels as NULL-terminated name/value pairs (may be NULL), value. */
void metrics_sample(GString *out, const char *name, const char *const *labels, double value);
/* A label value escaped as the format wants it: \\, \", \n. Caller frees. */
char *metrics_escape_label(const char *value);
