/* fuzz-options.c — the option parser (src/main.c): what fuse_opt_parse() makes of a command
 * line with wksfs's template and option_proc, and the numeric options' strict parser;
 * nothing is mounted.
 *
 * main.c's parser is static, so this file includes it (its main() renamed): the target
 * tests the very code wksfs runs, not a copy.
 *
 * Input: lines, each one argument ("-o", "ttl=5m,ro", "/mnt"); the first line also as the
 * value of a fuse_opt-escaped -o fsname=... and -o profile=....
 *
 * Invariants: every numeric option ends within its bounds or at its default, a per-kind TTL
 * at -1 or a number of seconds; a refused option sets bad; parse_number() agrees with a
 * reference ("digits", or for a duration digits and one of s, m, h); an option value
 * escaped as main.c's mount_arg() escapes it comes back unchanged.
 */
#define main wksfs_main
int wksfs_main(int argc, char **argv);
#include "src/main.c"
#undef main

#include "fuzz/fuzz.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

static const Options defaults = { .ttl = -1, .negative_ttl = 5, .stale_on_error = 1,
				  .timeout = 30, .connect_timeout = 10, .retries = 4,
				  .max_conns = 8, .session_window = 86400, .wait_timeout = 600,
				  .batch_window_ms = 20, .batch_max = 100 };

/* fuse_opt_parse on argv, main()'s way; stderr (the refusals) to /dev/null meanwhile. */
static int parse(int argc, char **argv, Options *o)
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	FILE *err = stderr;
	int rc;

	*o = defaults;
	for (int i = 0; i < API_MAX_KINDS; i++)
		kind_ttl[i] = -1;
	stderr = devnull;
	rc = fuse_opt_parse(&args, o, option_spec, option_proc);
	stderr = err;
	fuse_opt_free_args(&args);
	return rc;
}

static void check_bounds(const Options *o)
{
	for (const NumericOption *no = numeric_options; no->name; no++) {
		int v = *(const int *)((const char *)o + no->offset);
		int d = *(const int *)((const char *)&defaults + no->offset);

		FUZZ_CHECK(v == d || (v >= no->min && v <= no->max), "%s=%d out of %d..%d",
			   no->name, v, no->min, no->max);
	}
	for (int i = 0; i < API_MAX_KINDS; i++)
		FUZZ_CHECK(kind_ttl[i] >= -1 && kind_ttl[i] <= G_MAXINT, "ttl_ %" G_GINT64_FORMAT,
			   kind_ttl[i]);
}

/* parse_number's contract, written plainly. */
static gboolean reference_number(const char *t, gboolean duration, gint64 *ret)
{
	gsize digits = strspn(t, "0123456789");
	gint64 unit = 1, n = 0;

	if (digits == 0)
		return FALSE;
	if (t[digits] && duration && !t[digits + 1] && strchr("smh", t[digits]))
		unit = t[digits] == 's' ? 1 : t[digits] == 'm' ? 60 : 3600;
	else if (t[digits])
		return FALSE;
	for (gsize i = 0; i < digits; i++) {
		n = n * 10 + (t[i] - '0');
		if (n > G_MAXINT) {
			*ret = G_MAXINT64;	/* out of range, whatever the unit */
			return TRUE;
		}
	}
	*ret = n * unit;
	return TRUE;
}

static void check_number(const char *t)
{
	for (int duration = 0; duration < 2; duration++) {
		gint64 got = 0, want = 0;
		gboolean ok = parse_number(t, duration, &got);
		gboolean wok = reference_number(t, duration, &want);

		FUZZ_CHECK(ok == wok, "parse_number(\"%s\", %d): %d, want %d", t, duration, ok, wok);
		if (ok)
			FUZZ_CHECK(got == want || (got > G_MAXINT && want > G_MAXINT),
				   "parse_number(\"%s\", %d) = %" G_GINT64_FORMAT ", want %"
				   G_GINT64_FORMAT, t, duration, got, want);
	}
}

static void check_escaped_value(const char *value)
{
	g_autofree char *profile = mount_arg("profile", value);
	char *argv[] = { (char *)"wksfs", profile, (char *)"/mnt/x", NULL };
	Options o;
	int rc = parse(3, argv, &o);

	FUZZ_CHECK(rc == 0 && !o.bad, "-o profile=<escaped> refused");
	FUZZ_CHECK(o.profile && strcmp(o.profile, value) == 0, "profile \"%s\" came back \"%s\"",
		   value, o.profile ? o.profile : "(none)");
	FUZZ_CHECK(o.mountpoint && strcmp(o.mountpoint, "/mnt/x") == 0, "mountpoint lost");
	options_clear(&o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *s = g_strndup((const char *)data, size);
	gchar **lines = g_strsplit(s, "\n", 16);
	guint n = g_strv_length(lines);
	g_autofree char **argv = g_new0(char *, n + 2);
	Options o;
	int rc;

	argv[0] = (char *)"wksfs";
	for (guint i = 0; i < n; i++)
		argv[i + 1] = lines[i];
	rc = parse((int)n + 1, argv, &o);
	FUZZ_CHECK(rc == 0 || rc == -1, "fuse_opt_parse: %d", rc);
	if (rc == 0)
		check_bounds(&o);
	FUZZ_CHECK(o.nonopts >= 0 && (o.nonopts == 0) == (o.mountpoint == NULL),
		   "%d arguments, mountpoint %s", o.nonopts, o.mountpoint ? "set" : "unset");
	if (o.log_level) {
		LoggingLevel level;

		(void)logging_parse_level(o.log_level, &level);
	}
	options_clear(&o);
	if (n > 0) {
		const char *eq = strchr(lines[0], '=');

		check_number(lines[0]);
		if (eq)
			check_number(eq + 1);
		check_escaped_value(lines[0]);
	}
	g_strfreev(lines);
	return 0;
}
