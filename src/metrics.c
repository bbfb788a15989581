/* metrics.c — what /.wksfs/metrics says of the API requests: a counter per method, route
 * and status class, a histogram of their durations, and the writes refused as invalid; and
 * the Prometheus text exposition format (0.0.4) every part of the file is written in.
 *
 * Owns: its counters (one lock) and the format's rules: HELP and TYPE before a family's
 * samples, label values escaped (\\, \", \n), HELP text escaped (\\, \n), numbers as
 * integers when they are, else with 9 significant digits, +Inf for the last bucket.
 * Must not: call any other module (the client calls it, for every request it sends).
 */
#include "src/metrics.h"

#include <math.h>
#include <string.h>

/* Upper bounds of the duration buckets, in seconds (+Inf is implied). */
static const double BUCKETS[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
#define N_BUCKETS G_N_ELEMENTS(BUCKETS)

struct Metrics {
	GMutex lock;
	GHashTable *requests;	/* "METHOD\tROUTE\tCLASS" -> guint64*; lock */
	guint64 buckets[N_BUCKETS];	/* cumulative at write time, per bucket here; lock */
	guint64 count;		/* lock */
	double sum;		/* lock */
	guint64 invalid;	/* lock */
};

Metrics *metrics_new(void)
{
	Metrics *m = g_new0(Metrics, 1);

	g_mutex_init(&m->lock);
	m->requests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	return m;
}

void metrics_free(Metrics *m)
{
	if (!m)
		return;
	g_hash_table_destroy(m->requests);
	g_mutex_clear(&m->lock);
	g_free(m);
}

static const char *status_class(long status)
{
	static const char *const classes[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };

	if (status >= 100 && status < 600)
		return classes[status / 100 - 1];
	return "none";	/* no answer: a transport failure, a timeout */
}

void metrics_note_request(Metrics *m, const char *method, const char *route, long status,
			  double seconds)
{
	g_autofree char *key = g_strdup_printf("%s\t%s\t%s", method, route ? route : "-",
					       status_class(status));
	guint64 *n;

	g_mutex_lock(&m->lock);
	n = g_hash_table_lookup(m->requests, key);
	if (!n) {
		n = g_new0(guint64, 1);
		g_hash_table_insert(m->requests, g_steal_pointer(&key), n);
	}
	(*n)++;
	for (gsize i = 0; i < N_BUCKETS; i++) {
		if (seconds <= BUCKETS[i]) {
			m->buckets[i]++;
			break;
		}
	}
	m->count++;
	m->sum += MAX(seconds, 0);
	g_mutex_unlock(&m->lock);
}

void metrics_note_invalid(Metrics *m)
{
	g_mutex_lock(&m->lock);
	m->invalid++;
	g_mutex_unlock(&m->lock);
}

char *metrics_route_kind(const char *route)
{
	const char *p = route ? strstr(route, "{project_id}/") : NULL;

	if (p) {
		p += strlen("{project_id}/");
		return g_strndup(p, strcspn(p, "/?"));
	}
	if (route && g_str_has_prefix(route, "/v3/"))
		return g_strdup("iam");
	return g_strdup("other");
}

char *metrics_escape_label(const char *value)
{
	GString *out = g_string_new(NULL);

	for (const char *p = value; *p; p++) {
		if (*p == '\\')
			g_string_append(out, "\\\\");
		else if (*p == '"')
			g_string_append(out, "\\\"");
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
	return g_string_free(out, FALSE);
}

void metrics_family(GString *out, const char *name, const char *type, const char *help)
{
	g_string_append_printf(out, "# HELP %s ", name);
	for (const char *p = help; *p; p++) {
		if (*p == '\\')
			g_string_append(out, "\\\\");
		else if (*p == '\n')
			g_string_append(out, "\\n");
		else
			g_string_append_c(out, *p);
	}
	g_string_append_printf(out, "\n# TYPE %s %s\n", name, type);
}

static void append_value(GString *out, double v)
{
	char buf[G_ASCII_DTOSTR_BUF_SIZE];

	if (isinf(v))
		g_string_append(out, v > 0 ? "+Inf" : "-Inf");
	else if (isnan(v))
		g_string_append(out, "NaN");
	else if (v > -1e15 && v < 1e15 && v == (double)(gint64)v)
		g_string_append_printf(out, "%.0f", v);
	else
		g_string_append(out, g_ascii_formatd(buf, sizeof(buf), "%.9g", v));
}

void metrics_sample(GString *out, const char *name, const char *const *labels, double value)
{
	g_string_append(out, name);
	for (int i = 0; labels && labels[i]; i += 2) {
		g_autofree char *esc = metrics_escape_label(labels[i + 1]);

		g_string_append_printf(out, "%s%s=\"%s\"", i ? "," : "{", labels[i], esc);
	}
	if (labels && labels[0])
		g_string_append_c(out, '}');
	g_string_append_c(out, ' ');
	append_value(out, value);
	g_string_append_c(out, '\n');
}

static int compare_keys(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void metrics_write(Metrics *m, GString *out)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GArray) counts = g_array_new(FALSE, FALSE, sizeof(guint64));
	guint64 buckets[N_BUCKETS], count, invalid, cumulative = 0;
	GHashTableIter it;
	gpointer k, v;
	double sum;

	g_mutex_lock(&m->lock);
	g_hash_table_iter_init(&it, m->requests);
	while (g_hash_table_iter_next(&it, &k, &v))
		g_ptr_array_add(keys, g_strdup_printf("%s\t%" G_GUINT64_FORMAT, (char *)k,
						      *(guint64 *)v));
	memcpy(buckets, m->buckets, sizeof(buckets));
	count = m->count;
	sum = m->sum;
	invalid = m->invalid;
	g_mutex_unlock(&m->lock);
	g_ptr_array_sort(keys, compare_keys);

	metrics_family(out, "wksfs_api_requests_total", "counter",
		       "HTTP requests sent to the API (each retry is one), by method, route "
		       "(the path template), the collection it is about and status class "
		       "(none: no answer).");
	for (guint i = 0; i < keys->len; i++) {
		g_auto(GStrv) f = g_strsplit(keys->pdata[i], "\t", 4);
		g_autofree char *kind = metrics_route_kind(f[1]);
		const char *labels[] = { "method", f[0], "kind", kind, "route", f[1],
					 "code", f[2], NULL };

		metrics_sample(out, "wksfs_api_requests_total", labels,
			       (double)g_ascii_strtoull(f[3], NULL, 10));
	}
	metrics_family(out, "wksfs_api_request_duration_seconds", "histogram",
		       "How long each HTTP request to the API took, answered or not.");
	for (gsize i = 0; i < N_BUCKETS; i++) {
		char le[G_ASCII_DTOSTR_BUF_SIZE];
		const char *labels[] = { "le", g_ascii_formatd(le, sizeof(le), "%g", BUCKETS[i]),
					 NULL };

		cumulative += buckets[i];
		metrics_sample(out, "wksfs_api_request_duration_seconds_bucket", labels,
			       (double)cumulative);
	}
	metrics_sample(out, "wksfs_api_request_duration_seconds_bucket",
		       (const char *const[]){ "le", "+Inf", NULL }, (double)count);
	metrics_sample(out, "wksfs_api_request_duration_seconds_sum", NULL, sum);
	metrics_sample(out, "wksfs_api_request_duration_seconds_count", NULL, (double)count);
	metrics_family(out, "wksfs_invalid_writes_total", "counter",
		       "Writes refused as invalid input (EINVAL), nothing sent.");
	metrics_sample(out, "wksfs_invalid_writes_total", NULL, (double)invalid);
}
