/* main.c — wks-emulator: command line, start-up and shutdown.
 *
 * Owns: the command line of DESIGN.md §5 (a contract: scripts outside this repo drive it),
 * generating the tenant before listening, the port file (written to a temporary name and
 * renamed, so a reader never sees a partial port), the "listening on" line, and a clean exit
 * 0 on SIGINT/SIGTERM (the signals are blocked in every thread and taken with sigwait here).
 * Must not: serve requests (server.c) or build tenant data (tenant.c).
 */
#include "emulator/emulator.h"
#include "emulator/tenant.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static EmuConfig cfg = {
	.port = 0,
	.desktops = 20,
	.users = 10,
	.seed = 1,
	.job_seconds = 3,
	.token_ttl = 86400,
};

/* Accepted so the command line stays stable; generating these kinds comes later. */
static gint64 opt_groups, opt_pools, opt_server_groups, opt_servers, opt_sessions;

static const GOptionEntry entries[] = {
	{ "host", 0, 0, G_OPTION_ARG_STRING, &cfg.host, "Address to listen on (127.0.0.1)",
	  "HOST" },
	{ "port", 0, 0, G_OPTION_ARG_INT, &cfg.port, "TCP port; 0 = any free port (0)", "N" },
	{ "port-file", 0, 0, G_OPTION_ARG_FILENAME, &cfg.port_file,
	  "Write the chosen port to PATH once listening", "PATH" },
	{ "ak", 0, 0, G_OPTION_ARG_STRING, &cfg.ak, "Accepted access key (EMULATORAK)", "AK" },
	{ "sk", 0, 0, G_OPTION_ARG_STRING, &cfg.sk, "Its secret key (EMULATORSK)", "SK" },
	{ "project-id", 0, 0, G_OPTION_ARG_STRING, &cfg.project_id,
	  "Project id (0123456789abcdef0123456789abcdef)", "ID" },
	{ "iam-user", 0, 0, G_OPTION_ARG_STRING, &cfg.iam_user, "IAM user name (admin)", "U" },
	{ "iam-password", 0, 0, G_OPTION_ARG_STRING, &cfg.iam_password,
	  "IAM password (EMULATORPASSWORD)", "P" },
	{ "iam-domain", 0, 0, G_OPTION_ARG_STRING, &cfg.iam_domain,
	  "IAM account (domain) name (demo-domain)", "D" },
	{ "desktops", 0, 0, G_OPTION_ARG_INT64, &cfg.desktops, "Desktops to generate (20)", "N" },
	{ "users", 0, 0, G_OPTION_ARG_INT64, &cfg.users, "Users to generate (10)", "N" },
	{ "groups", 0, 0, G_OPTION_ARG_INT64, &opt_groups, "User groups (not implemented yet)",
	  "N" },
	{ "pools", 0, 0, G_OPTION_ARG_INT64, &opt_pools, "Desktop pools (not implemented yet)",
	  "N" },
	{ "server-groups", 0, 0, G_OPTION_ARG_INT64, &opt_server_groups,
	  "App server groups (not implemented yet)", "N" },
	{ "servers", 0, 0, G_OPTION_ARG_INT64, &opt_servers, "App servers (not implemented yet)",
	  "N" },
	{ "sessions", 0, 0, G_OPTION_ARG_INT64, &opt_sessions,
	  "App sessions (not implemented yet)", "N" },
	{ "seed", 0, 0, G_OPTION_ARG_INT64, &cfg.seed, "Tenant seed (1)", "S" },
	{ "latency-ms", 0, 0, G_OPTION_ARG_INT, &cfg.latency_ms,
	  "Delay added to every API response (0)", "N" },
	{ "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.fail_rate,
	  "Fraction of API requests answered 503 (0)", "R" },
	{ "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.rate_limit,
	  "API requests per second before 429 APIG.0308; 0 = off (0)", "RPS" },
	{ "job-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.job_seconds,
	  "How long a desktop action job runs (3)", "S" },
	{ "token-ttl", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.token_ttl,
	  "Lifetime of issued IAM tokens in seconds (86400)", "S" },
	{ "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cfg.tls_cert,
	  "Serve https with this PEM certificate", "PEM" },
	{ "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &cfg.tls_key, "... and this PEM key", "PEM" },
	{ NULL },
};

static const char description[] =
	"Serves the Workspace API subset wksfs uses, and IAM (/v3/auth/tokens, /v3/projects),\n"
	"on one port. Control routes (no auth, not counted):\n"
	"  GET  /__emulator/stats         POST /__emulator/reset-stats\n"
	"  GET  /__emulator/faults        POST /__emulator/faults {\"latency_ms\", \"fail_rate\",\n"
	"                                      \"fail_status\", \"rate_limit\"}\n"
	"  GET  /__emulator/state/desktops/ID   GET /__emulator/state/users/NAME\n";

static gboolean usage_error(const char *fmt, ...) G_GNUC_PRINTF(1, 2);

static gboolean usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "wks-emulator: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	return FALSE;
}

static gboolean check_options(void)
{
	const struct {
		const char *name;
		gint64 value;
	} later[] = {
		{ "--groups", opt_groups }, { "--pools", opt_pools },
		{ "--server-groups", opt_server_groups }, { "--servers", opt_servers },
		{ "--sessions", opt_sessions },
	};

	for (guint i = 0; i < G_N_ELEMENTS(later); i++)
		if (later[i].value != 0)
			return usage_error("%s is not implemented yet (only 0 is accepted)",
					   later[i].name);
	if (cfg.port < 0 || cfg.port > 65535)
		return usage_error("--port must be 0..65535");
	if (cfg.desktops < 0 || cfg.desktops > EMU_MAX_DESKTOPS)
		return usage_error("--desktops must be 0..%d", EMU_MAX_DESKTOPS);
	if (cfg.users < 0 || cfg.users > EMU_MAX_USERS)
		return usage_error("--users must be 0..%d", EMU_MAX_USERS);
	if (cfg.latency_ms < 0 || cfg.latency_ms > 600000)
		return usage_error("--latency-ms must be 0..600000");
	if (!(cfg.fail_rate >= 0 && cfg.fail_rate <= 1))
		return usage_error("--fail-rate must be between 0 and 1");
	if (!(cfg.rate_limit >= 0 && cfg.rate_limit <= 1e6))
		return usage_error("--rate-limit must be 0..1000000");
	if (!(cfg.job_seconds >= 0 && cfg.job_seconds <= 86400))
		return usage_error("--job-seconds must be 0..86400");
	if (!(cfg.token_ttl > 0 && cfg.token_ttl <= 10 * 86400))
		return usage_error("--token-ttl must be > 0 and at most 864000");
	if (!cfg.tls_cert != !cfg.tls_key)
		return usage_error("--tls-cert and --tls-key go together");
	if (!*cfg.ak || !*cfg.sk || !*cfg.project_id || !*cfg.iam_user || !*cfg.iam_password)
		return usage_error("--ak, --sk, --project-id, --iam-user and --iam-password "
				   "must not be empty");
	return TRUE;
}

static gboolean parse_options(int argc, char **argv)
{
	g_autoptr(GOptionContext) ctx = g_option_context_new("- Huawei Cloud Workspace emulator");
	g_autoptr(GError) error = NULL;

	g_option_context_add_main_entries(ctx, entries, NULL);
	g_option_context_set_description(ctx, description);
	if (!g_option_context_parse(ctx, &argc, &argv, &error))
		return usage_error("%s (see --help)", error->message);
	if (argc > 1)
		return usage_error("unexpected argument \"%s\" (see --help)", argv[1]);
#define DEFAULT(field, value) if (!cfg.field) cfg.field = g_strdup(value)
	DEFAULT(host, "127.0.0.1");
	DEFAULT(ak, "EMULATORAK");
	DEFAULT(sk, "EMULATORSK");
	DEFAULT(project_id, "0123456789abcdef0123456789abcdef");
	DEFAULT(iam_user, "admin");
	DEFAULT(iam_password, "EMULATORPASSWORD");
	DEFAULT(iam_domain, "demo-domain");
#undef DEFAULT
	return check_options();
}

static gboolean write_port_file(const char *path, int port)
{
	g_autofree char *tmp = g_strdup_printf("%s.XXXXXX", path);
	g_autofree char *text = g_strdup_printf("%d\n", port);
	int fd = g_mkstemp(tmp);
	gsize len = strlen(text);

	if (fd < 0)
		goto out_error;
	if (write(fd, text, len) != (ssize_t)len || fchmod(fd, 0644) < 0) {
		close(fd);
		goto out_unlink;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0)
		goto out_unlink;
	return TRUE;

out_unlink:
	unlink(tmp);
out_error:
	return usage_error("cannot write --port-file %s: %s", path, g_strerror(errno));
}

int main(int argc, char **argv)
{
	Emu emu = { .cfg = &cfg };
	g_autofree char *url = NULL;
	EmuServer *server;
	g_autoptr(GError) error = NULL;
	sigset_t signals;
	gboolean v6;
	gint64 t0;
	int sig = 0;

	/* stdout carries the "listening on" line scripts wait for; logs go to stderr. */
	g_log_writer_default_set_use_stderr(TRUE);
	if (!parse_options(argc, argv))
		return 2;

	/* Blocked before any thread exists, so only sigwait below ever takes them. */
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* Every connection has its own thread and so its own malloc arena; keep freed pages
	 * (and the MB-sized reply buffers) in the arenas instead of returning them to the
	 * kernel after each page, which made each 500-desktop page pay its page faults again
	 * (about 4x slower). */
	mallopt(M_TRIM_THRESHOLD, 256 * 1024 * 1024);
	mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);

	t0 = g_get_monotonic_time();
	emu.tenant = tenant_new(cfg.seed, (gsize)cfg.desktops, (gsize)cfg.users,
				cfg.job_seconds, cfg.project_id);
	g_debug("generated %" G_GINT64_FORMAT " desktops, %" G_GINT64_FORMAT
		" users in %.1f ms", cfg.desktops, cfg.users,
		(g_get_monotonic_time() - t0) / 1000.0);
	emu.tokens = token_store_new();
	emu.control = control_new(&cfg);

	server = server_start(&emu, &error);
	if (!server) {
		fprintf(stderr, "wks-emulator: %s\n", error->message);
		goto out_free;
	}
	v6 = strchr(cfg.host, ':') != NULL;
	url = g_strdup_printf("%s://%s%s%s:%d", cfg.tls_cert ? "https" : "http", v6 ? "[" : "",
			      cfg.host, v6 ? "]" : "", server_port(server));
	if (cfg.port_file && !write_port_file(cfg.port_file, server_port(server)))
		goto out_stop;
	printf("wks-emulator listening on %s\n", url);
	fflush(stdout);

	while (sigwait(&signals, &sig) != 0)
		;
	g_debug("signal %d: shutting down", sig);
	server_stop(server);
	control_free(emu.control);
	token_store_free(emu.tokens);
	tenant_free(emu.tenant);
	return 0;

out_stop:
	server_stop(server);
out_free:
	control_free(emu.control);
	token_store_free(emu.tokens);
	tenant_free(emu.tenant);
	return 1;
}
