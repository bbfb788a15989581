/* test-metrics.c — /.wksfs/metrics through a real mount: every line parses as the Prometheus
 * text exposition format (0.0.4: HELP and TYPE before a family's samples, escaped label
 * values, counters named _total, a histogram's cumulative buckets), the values are the ones
 * /.wksfs/stats/ shows and the emulator counted (requests by method and collection, throttled
 * answers, retries, mutations, invalid writes), and each open renders them anew. */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include "src/metrics.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC(cJSON, cJSON_Delete)

static const char *const TENANT[] = { "--desktops", "30", "--users", "6", "--pools", "3",
				      "--seed", "9", "--job-seconds", "1", NULL };

typedef struct {
	GHashTable *values;	/* "name{labels as written}" -> double* */
	GPtrArray *samples;	/* Sample*, in order */
} Parsed;

typedef struct {
	char *name;
	GHashTable *labels;	/* name -> unescaped value */
	double value;
} Sample;

static void sample_free(gpointer data)
{
	Sample *s = data;

	g_free(s->name);
	g_hash_table_unref(s->labels);
	g_free(s);
}

static gboolean name_char(char c, gboolean first)
{
	return g_ascii_isalpha(c) || c == '_' || c == ':' || (!first && g_ascii_isdigit(c));
}

/* A sample line, checked character by character; NULL (and the test failed) if it is not
 * one. */
static Sample *parse_sample(const char *line)
{
	Sample *s = g_new0(Sample, 1);
	const char *p = line, *start = line;
	g_autoptr(GString) value = NULL;
	char *end = NULL;

	s->labels = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	while (name_char(*p, p == start))
		p++;
	g_assert_cmpint(p - start, >, 0);
	s->name = g_strndup(start, p - start);
	if (*p == '{') {
		p++;
		while (*p != '}') {
			const char *ls = p;
			g_autofree char *lname = NULL;

			while (name_char(*p, p == ls))
				p++;
			g_assert_cmpint(p - ls, >, 0);
			lname = g_strndup(ls, p - ls);
			g_assert_cmpint(*p++, ==, '=');
			g_assert_cmpint(*p++, ==, '"');
			value = g_string_new(NULL);
			for (; *p != '"'; p++) {
				g_assert_cmpint(*p, !=, '\0');
				g_assert_cmpint(*p, !=, '\n');
				if (*p == '\\') {
					p++;
					g_assert_true(*p == '\\' || *p == '"' || *p == 'n');
					g_string_append_c(value, *p == 'n' ? '\n' : *p);
				} else {
					g_string_append_c(value, *p);
				}
			}
			p++;
			g_assert_false(g_hash_table_contains(s->labels, lname));
			g_hash_table_insert(s->labels, g_steal_pointer(&lname),
					    g_string_free(g_steal_pointer(&value), FALSE));
			if (*p == ',')
				p++;
			else
				g_assert_cmpint(*p, ==, '}');
		}
		p++;
	}
	g_assert_cmpint(*p++, ==, ' ');
	if (strcmp(p, "+Inf") == 0)
		s->value = INFINITY;
	else {
		s->value = g_ascii_strtod(p, &end);
		g_assert_true(end && end != p && *end == '\0');
	}
	return s;
}

/* The family a sample belongs to: a histogram's _bucket, _sum and _count are its own. */
static char *family_of(GHashTable *types, const char *name)
{
	static const char *const suffixes[] = { "_bucket", "_sum", "_count" };

	for (gsize i = 0; i < G_N_ELEMENTS(suffixes); i++) {
		if (g_str_has_suffix(name, suffixes[i])) {
			g_autofree char *base = g_strndup(name, strlen(name) -
								strlen(suffixes[i]));
			if (g_strcmp0(g_hash_table_lookup(types, base), "histogram") == 0)
				return g_steal_pointer(&base);
		}
	}
	return g_strdup(name);
}

/* Parses and validates the whole text. */
static Parsed parse(const char *text)
{
	Parsed r = { g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free),
		     g_ptr_array_new_with_free_func(sample_free) };
	g_autoptr(GHashTable) help = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GHashTable) types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							     g_free);
	g_autoptr(GHashTable) sampled = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
							       NULL);
	g_auto(GStrv) lines = NULL;

	g_assert_true(g_str_has_suffix(text, "\n"));
	g_assert_true(g_utf8_validate(text, -1, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i] && lines[i][0]; i++) {
		const char *line = lines[i];

		if (g_str_has_prefix(line, "# HELP ") || g_str_has_prefix(line, "# TYPE ")) {
			g_auto(GStrv) w = g_strsplit(line + 7, " ", 2);
			gboolean is_help = line[2] == 'H';

			g_assert_nonnull(w[1]);
			g_assert_true(g_str_has_prefix(w[0], "wksfs_"));
			g_assert_false(g_hash_table_contains(sampled, w[0]));
			if (is_help) {
				g_assert_false(g_hash_table_contains(help, w[0]));
				g_hash_table_add(help, g_strdup(w[0]));
				continue;
			}
			g_assert_true(g_hash_table_contains(help, w[0]));
			g_assert_false(g_hash_table_contains(types, w[0]));
			g_assert_true(g_strv_contains((const char *const[]){ "counter", "gauge",
					"histogram", "summary", "untyped", NULL }, w[1]));
			if (strcmp(w[1], "counter") == 0)
				g_assert_true(g_str_has_suffix(w[0], "_total"));
			g_hash_table_insert(types, g_strdup(w[0]), g_strdup(w[1]));
			continue;
		}
		g_assert_cmpint(line[0], !=, '#');
		Sample *s = parse_sample(line);
		g_autofree char *family = family_of(types, s->name);

		g_test_message("%s", line);
		g_assert_true(g_hash_table_contains(types, family));
		g_hash_table_add(sampled, g_strdup(family));
		g_assert_false(g_hash_table_contains(r.values, line));
		g_hash_table_insert(r.values, g_strndup(line, strrchr(line, ' ') - line),
				    g_memdup2(&s->value, sizeof(double)));
		g_ptr_array_add(r.samples, s);
	}
	return r;
}

static void parsed_clear(Parsed *r)
{
	g_hash_table_unref(r->values);
	g_ptr_array_unref(r->samples);
}

/* The sum of a family's samples whose labels include label=value (label NULL: all). */
static double sum(const Parsed *r, const char *name, const char *label, const char *value)
{
	double total = 0;

	for (guint i = 0; i < r->samples->len; i++) {
		const Sample *s = r->samples->pdata[i];

		if (strcmp(s->name, name) != 0)
			continue;
		if (label && g_strcmp0(g_hash_table_lookup(s->labels, label), value) != 0)
			continue;
		total += s->value;
	}
	return total;
}

static double one(const Parsed *r, const char *key)
{
	double *v = g_hash_table_lookup(r->values, key);

	g_assert_nonnull(v);
	return *v;
}

/* "METHOD /v2/{project_id}/<kind>/..." -> "METHOD <kind>", as the metrics' kind label. */
static char *method_kind(const char *route)
{
	const char *sp = strchr(route, ' ');
	g_autofree char *kind = NULL;

	if (!sp)
		return g_strdup(route);	/* "unmatched": a path it serves no route for */
	kind = metrics_route_kind(sp + 1);

	return g_strdup_printf("%.*s %s", (int)(sp - route), route, kind);
}

/* The exposition's own rules, without a mount. */
static void test_format(void)
{
	g_autofree char *esc = metrics_escape_label("a\\b\"c\nd");
	g_autoptr(GString) out = g_string_new(NULL);
	g_autofree char *k1 = metrics_route_kind("/v2/{project_id}/desktops/{id}");
	g_autofree char *k2 = metrics_route_kind("/v3/auth/tokens");

	g_assert_cmpstr(esc, ==, "a\\\\b\\\"c\\nd");
	g_assert_cmpstr(k1, ==, "desktops");
	g_assert_cmpstr(k2, ==, "iam");
	metrics_family(out, "wksfs_x_total", "counter", "a \\ b\nc");
	metrics_sample(out, "wksfs_x_total", (const char *const[]){ "l", "q\"\\\n", NULL }, 3);
	metrics_sample(out, "wksfs_x_total", NULL, 0.25);
	g_assert_cmpstr(out->str, ==, "# HELP wksfs_x_total a \\\\ b\\nc\n"
			"# TYPE wksfs_x_total counter\n"
			"wksfs_x_total{l=\"q\\\"\\\\\\n\"} 3\nwksfs_x_total 0.25\n");
	Parsed r = parse(out->str);
	const Sample *s = r.samples->pdata[0];
	g_assert_cmpstr(g_hash_table_lookup(s->labels, "l"), ==, "q\"\\\n");
	parsed_clear(&r);
}

static void read_some(Mount *m)
{
	g_autoptr(GPtrArray) users = harness_list(m, "users");

	for (guint i = 0; i < users->len; i++) {
		g_autofree char *rel = g_strdup_printf("users/%s/info.json",
						       (char *)users->pdata[i]);
		g_free(harness_read(m, rel));
	}
}

/* After reads, a mutation, an invalid write and throttled answers: the metrics parse, and
 * agree with /.wksfs/stats/ and with the emulator's own counters. */
static void test_values(void)
{
	Mount *m = harness_start(TENANT, "ttl=600,retries=1");

	if (!m)
		return;
	g_autoptr(GPtrArray) desktops = harness_list(m, "desktops");
	g_autofree char *action = g_strdup_printf("desktops/%s/action",
						  (char *)desktops->pdata[0]);
	read_some(m);
	g_assert_cmpint(harness_write(m, action, "reboot\n"), ==, 0);
	g_assert_cmpint(harness_write(m, action, "bogus\n"), ==, EINVAL);
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 1.0, \"fail_status\": 429}");
	{
		/* Throttled, retried once, then failed: its errno is not the point. */
		g_autofree char *pools = harness_path(m, "desktop-pools");
		DIR *d = opendir(pools);

		while (d && readdir(d))
			;
		if (d)
			closedir(d);
	}
	harness_emu_post(m, "/__emulator/faults", "{\"fail_rate\": 0}");
	g_usleep(1100 * 1000);	/* the failure is remembered for a second */
	g_free(harness_read(m, "desktop-pools.jsonl"));	/* answered: online again */

	g_autofree char *text = harness_read(m, ".wksfs/metrics");
	g_assert_nonnull(text);
	Parsed r = parse(text);

	/* /.wksfs/stats/, read after: reading /.wksfs moves none of them. */
	g_assert_cmpfloat(sum(&r, "wksfs_api_requests_total", NULL, NULL), ==,
			  harness_stat(m, "api_calls"));
	g_assert_cmpfloat(one(&r, "wksfs_api_throttled_total"), ==, harness_stat(m, "throttled"));
	g_assert_cmpfloat(one(&r, "wksfs_api_throttled_total"), >, 0);
	g_assert_cmpfloat(one(&r, "wksfs_api_retries_total"), ==, harness_stat(m, "retries"));
	g_assert_cmpfloat(one(&r, "wksfs_api_retries_total"), >, 0);
	g_assert_cmpfloat(one(&r, "wksfs_api_errors_total"), ==, harness_stat(m, "api_errors"));
	g_assert_cmpfloat(one(&r, "wksfs_cache_hits_total"), ==, harness_stat(m, "cache_hits"));
	g_assert_cmpfloat(one(&r, "wksfs_cache_misses_total"), ==,
			  harness_stat(m, "cache_misses"));
	g_assert_cmpfloat(one(&r, "wksfs_cache_coalesced_total"), ==,
			  harness_stat(m, "coalesced"));
	g_assert_cmpfloat(one(&r, "wksfs_cache_stale_served_total"), ==,
			  harness_stat(m, "stale"));
	g_assert_cmpfloat(one(&r, "wksfs_cache_entries"), ==, harness_stat(m, "cache_entries"));
	g_assert_cmpfloat(one(&r, "wksfs_fuse_requests_total{op=\"lookup\"}"), ==,
			  harness_stat(m, "fuse_lookups"));
	g_assert_cmpfloat(one(&r, "wksfs_fuse_requests_total{op=\"read\"}"), ==,
			  harness_stat(m, "fuse_reads"));
	g_assert_cmpfloat(sum(&r, "wksfs_fuse_requests_total", NULL, NULL), ==,
			  harness_stat(m, "fuse_requests"));
	/* A gauge the reads of /.wksfs/stats/ themselves raise (their inodes). */
	g_assert_cmpfloat(one(&r, "wksfs_kernel_inodes"), >, 0);
	g_assert_cmpfloat(one(&r, "wksfs_kernel_inodes"), <=, harness_stat(m, "kernel_inodes"));
	g_autofree char *online = harness_read(m, ".wksfs/online");
	g_assert_cmpstr(online, ==, "1\n");
	g_assert_cmpfloat(one(&r, "wksfs_online"), ==, 1);
	g_assert_cmpfloat(one(&r, "wksfs_mutations_total{outcome=\"ok\"}"), ==, 1);
	g_assert_cmpfloat(one(&r, "wksfs_mutations_total{outcome=\"ok\"}"), ==,
			  harness_mutation_count(m));
	g_assert_cmpfloat(one(&r, "wksfs_invalid_writes_total"), ==, 1);
	g_assert_cmpfloat(one(&r, "wksfs_jobs_followed_total"), ==, 1);
	g_assert_cmpfloat(one(&r, "wksfs_kernel_notifications_total"), >, 0);
	/* The allocator's view: a mounted daemon holds at least its cache's bytes. Under ASan
	 * (WKSFS_SANITIZED), whose allocator mallinfo2 knows nothing of, the gauges are left
	 * out rather than reported as 0. */
	if (g_getenv("WKSFS_SANITIZED")) {
		g_assert_null(g_hash_table_lookup(r.values, "wksfs_heap_in_use_bytes"));
		g_assert_null(g_hash_table_lookup(r.values, "wksfs_heap_free_bytes"));
	} else {
		g_assert_cmpfloat(one(&r, "wksfs_heap_in_use_bytes"), >=,
				  one(&r, "wksfs_cache_bytes"));
		g_assert_cmpfloat(one(&r, "wksfs_heap_free_bytes"), >=, 0);
	}
	g_assert_cmpfloat(sum(&r, "wksfs_api_requests_total", "code", "4xx"), ==,
			  one(&r, "wksfs_api_throttled_total"));

	/* The emulator's counts, route by route, summed by method and collection. */
	g_autoptr(cJSON) stats = harness_emu_get(m, "/__emulator/stats");
	g_autoptr(GHashTable) emu = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	const cJSON *route;
	cJSON_ArrayForEach(route, cJSON_GetObjectItem(stats, "routes")) {
		g_autofree char *key = method_kind(route->string);
		gint64 n = GPOINTER_TO_SIZE(g_hash_table_lookup(emu, key));

		g_hash_table_insert(emu, g_steal_pointer(&key),
				    GSIZE_TO_POINTER(n + (gint64)route->valuedouble));
	}
	GHashTableIter it;
	gpointer key, value;
	guint compared = 0;
	g_hash_table_iter_init(&it, emu);
	while (g_hash_table_iter_next(&it, &key, &value)) {
		g_auto(GStrv) mk = g_strsplit(key, " ", 2);
		double ours = 0;

		for (guint i = 0; i < r.samples->len; i++) {
			const Sample *s = r.samples->pdata[i];

			if (strcmp(s->name, "wksfs_api_requests_total") == 0 &&
			    g_strcmp0(g_hash_table_lookup(s->labels, "method"), mk[0]) == 0 &&
			    g_strcmp0(g_hash_table_lookup(s->labels, "kind"), mk[1]) == 0)
				ours += s->value;
		}
		g_test_message("%s: emulator %zu, metrics %g", (char *)key,
			       GPOINTER_TO_SIZE(value), ours);
		g_assert_cmpfloat(ours, ==, (double)GPOINTER_TO_SIZE(value));
		compared += ours > 0;
	}
	g_assert_cmpuint(compared, >=, 4);	/* desktops, users, pools, the action, jobs */
	g_assert_cmpfloat(cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total")), ==,
			  sum(&r, "wksfs_api_requests_total", NULL, NULL));

	/* The histogram: cumulative, +Inf is the count, the count every request. */
	double last = 0;
	for (guint i = 0; i < r.samples->len; i++) {
		const Sample *s = r.samples->pdata[i];

		if (strcmp(s->name, "wksfs_api_request_duration_seconds_bucket") != 0)
			continue;
		g_assert_cmpfloat(s->value, >=, last);
		last = s->value;
	}
	g_assert_cmpfloat(one(&r, "wksfs_api_request_duration_seconds_bucket{le=\"+Inf\"}"), ==,
			  one(&r, "wksfs_api_request_duration_seconds_count"));
	g_assert_cmpfloat(one(&r, "wksfs_api_request_duration_seconds_count"), ==,
			  sum(&r, "wksfs_api_requests_total", NULL, NULL));
	g_assert_cmpfloat(one(&r, "wksfs_api_request_duration_seconds_sum"), >, 0);
	parsed_clear(&r);
	harness_stop(m);
}

/* Each open renders the counters now: a request between two reads shows in the second, by
 * exactly what the emulator counted; the file's stat size is what a read returns. */
static void test_fresh_each_open(void)
{
	Mount *m = harness_start(TENANT, "ttl=600");

	if (!m)
		return;
	g_autofree char *before = harness_read(m, ".wksfs/metrics");
	Parsed a = parse(before);
	harness_reset_stats(m);
	g_free(harness_read(m, "users.jsonl"));
	g_autoptr(cJSON) stats = harness_emu_get(m, "/__emulator/stats");
	g_autofree char *after = harness_read(m, ".wksfs/metrics");
	Parsed b = parse(after);

	g_assert_cmpfloat(cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total")), >, 0);
	g_assert_cmpfloat(sum(&b, "wksfs_api_requests_total", NULL, NULL) -
				  sum(&a, "wksfs_api_requests_total", NULL, NULL), ==,
			  cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "total")));
	g_assert_cmpfloat(sum(&b, "wksfs_api_requests_total", "kind", "users"), >, 0);
	g_assert_cmpint(harness_write(m, ".wksfs/metrics", "x\n"), ==, EACCES);
	parsed_clear(&a);
	parsed_clear(&b);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/metrics/format", test_format);
	g_test_add_func("/metrics/values", test_values);
	g_test_add_func("/metrics/fresh-each-open", test_fresh_each_open);
	return g_test_run();
}
