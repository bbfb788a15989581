/* main.c — wks-emulator: command line, start-up and shutdown.
 *
 * Owns: its command line (a contract: scripts outside this repo drive it),
 * generating the tenant before listening, the port file (written to a temporary name and
 * renamed, so a reader never sees a partial port), the "listening on" line, and a clean exit
 * 0 on SIGINT/SIGTERM (the signals are blocked in every thread and taken with sigwait here).
 * Must not: serve requests (server.c) or build tenant data (tenant.c).
 */
#include "emulator/emulator.h"
#include "emulator/kinds.h"
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
	.fail_status = 503,
	.retry_after_s = 1,
	.exit_with_fd = -1,
};

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
	{ "groups", 0, 0, G_OPTION_ARG_INT64, &cfg.groups, "User groups (0)", "N" },
	{ "pools", 0, 0, G_OPTION_ARG_INT64, &cfg.pools,
	  "Desktop pools; a quarter of the desktops become pooled (0)", "N" },
	{ "server-groups", 0, 0, G_OPTION_ARG_INT64, &cfg.server_groups,
	  "App Streaming server groups (0)", "N" },
	{ "servers", 0, 0, G_OPTION_ARG_INT64, &cfg.servers,
	  "App Streaming servers, dealt over the server groups (0)", "N" },
	{ "sessions", 0, 0, G_OPTION_ARG_INT64, &cfg.sessions,
	  "App Streaming sessions, in the week before the current hour (0)", "N" },
	{ "exit-with-fd", 0, 0, G_OPTION_ARG_INT, &cfg.exit_with_fd,
	  "Exit when descriptor FD reads end-of-file (the end of a pipe its parent holds)",
	  "FD" },
	{ "hostile-names", 0, 0, G_OPTION_ARG_NONE, &cfg.hostile_names,
	  "Make a few names unsafe as file names (see below)", NULL },
	{ "kind-count", 0, 0, G_OPTION_ARG_STRING, &cfg.kind_counts,
	  "Objects of the read-only kinds (policy-groups, scripts, ...; see below): "
	  "KIND=N[,KIND=N...]", "LIST" },
	{ "hostile-wire", 0, 0, G_OPTION_ARG_NONE, &cfg.hostile_wire,
	  "Make a few ids unsafe in URLs and names odd in JSON (see below)", NULL },
	{ "hostile-tenant", 0, 0, G_OPTION_ARG_NONE, &cfg.hostile_tenant,
	  "Serve desktops, users and images that break every rule of the API (see below)",
	  NULL },
	{ "seed", 0, 0, G_OPTION_ARG_INT64, &cfg.seed, "Tenant seed (1)", "S" },
	{ "latency-ms", 0, 0, G_OPTION_ARG_INT, &cfg.latency_ms,
	  "Delay added to every API response (0)", "N" },
	{ "fail-rate", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.fail_rate,
	  "Fraction of API requests answered --fail-status (0)", "R" },
	{ "fail-status", 0, 0, G_OPTION_ARG_INT, &cfg.fail_status,
	  "Status of those answers, 400..599; 429 is APIG.0308 with Retry-After (503)", "N" },
	{ "retry-after", 0, 0, G_OPTION_ARG_INT, &cfg.retry_after_s,
	  "Retry-After seconds of an injected 429 (1)", "S" },
	{ "stall-ms", 0, 0, G_OPTION_ARG_INT, &cfg.stall_ms,
	  "Hold every (filtered) API request this long before answering (0)", "N" },
	{ "reset-rate", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.reset_rate,
	  "Fraction of API requests whose connection is reset, unanswered (0)", "R" },
	{ "truncate-rate", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.truncate_rate,
	  "Fraction of API answers cut off after half the body (0)", "R" },
	{ "malformed-rate", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.malformed_rate,
	  "Fraction of API answers that are a 200 whose body is not JSON (0)", "R" },
	{ "fault-methods", 0, 0, G_OPTION_ARG_STRING, &cfg.fault_methods,
	  "Restrict fail/stall/reset/truncate/malformed to these methods (all)", "GET,..." },
	{ "fault-route", 0, 0, G_OPTION_ARG_STRING, &cfg.fault_route,
	  "... and to these routes, stats keys like \"GET /v2/{project_id}/users\" (all)",
	  "ROUTE,..." },
	{ "rate-limit", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.rate_limit,
	  "API requests per second before 429 APIG.0308; 0 = off (0)", "RPS" },
	{ "job-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.job_seconds,
	  "How long a desktop, pool or server action job runs (3)", "S" },
	{ "token-ttl", 0, 0, G_OPTION_ARG_DOUBLE, &cfg.token_ttl,
	  "Lifetime of issued IAM tokens in seconds (86400)", "S" },
	{ "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cfg.tls_cert,
	  "Serve https with this PEM certificate", "PEM" },
	{ "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &cfg.tls_key, "... and this PEM key", "PEM" },
	{ NULL },
};

static const char description[] =
	"Serves the Workspace and App Streaming API subset wksfs uses, and IAM\n"
	"(/v3/auth/tokens, /v3/projects), on one port: desktops (4.3.3-4.3.9, 4.3.27), users\n"
	"(4.8.1-4.8.8), user groups (4.9.1, 4.9.6, 4.9.7), desktop pools (4.4.2, 4.4.5, 4.4.12,\n"
	"4.4.15), jobs (4.28.1), App Streaming server groups, servers (list, batch-start|stop|\n"
	"reboot), sessions (AS.2) and session types (AS.1); GET /__emulator/stats lists them.\n"
	"The read-only kinds of wksfs issue 10 (policy groups, images, products, AZs, quotas,\n"
	"snapshots, scripts, scheduled tasks and their records, OUs, sites, the Workspace\n"
	"service, sub-jobs, terminal bindings, screen recordings, notification rules, alarms,\n"
	"statistics, network, online users, the App Center, App Streaming app groups and their\n"
	"apps, image servers, storages, policy groups, scheduled tasks) are generated from\n"
	"their documented examples, a few of each (--kind-count KIND=N sets how many; for a\n"
	"sub-collection, how many per object: scheduled-task-records, published-apps).\n"
	"Control routes (no auth, not counted, no faults):\n"
	"  GET  /__emulator/stats         {total, peak_in_flight, in_flight, routes: {KEY: n}}\n"
	"  POST /__emulator/reset-stats   (also clears the request log)\n"
	"  GET  /__emulator/requests      the last 1000 API requests, oldest first: [{t_ms,\n"
	"                                 method, route, status (0: no answer), fault}]\n"
	"  GET  /__emulator/faults        every setting below\n"
	"  POST /__emulator/faults        set some: {\"latency_ms\", \"fail_rate\",\n"
	"       \"fail_status\", \"retry_after_s\", \"rate_limit\", \"stall_ms\", \"reset_rate\",\n"
	"       \"truncate_rate\", \"malformed_rate\", \"methods\": \"GET,POST\" (\"\" = all),\n"
	"       \"route\": \"METHOD /template,...\" (\"\" = all)}; an unknown key or a bad\n"
	"       value: 400, and nothing changes\n"
	"  GET  /__emulator/state/KIND/KEY   the object as the API shows it. KIND: desktops (id\n"
	"       or computer_name), users (user_name or id), groups, pools, server-groups,\n"
	"       servers (id or name), sessions, jobs (id), session-types (resource_spec_code),\n"
	"       or a read-only kind (id or name, its full form); KEY percent-encoded\n"
	"  GET  /__emulator/state/KIND       every object of a read-only kind, in list order\n"
	"Faults: latency and rate_limit apply to every API request; fail, stall, reset, truncate\n"
	"and malformed only to those matching methods and route. Each matching request is held\n"
	"stall_ms (ended early when the client hangs up), then reset (RST, no answer) with\n"
	"reset_rate, else truncated (full Content-Length, the connection closes after half the\n"
	"body) with truncate_rate, else malformed (200, application/json, a prefix of the body\n"
	"cut at a random point) with malformed_rate, else the same HTML page as a 200 with\n"
	"html_rate, else failed with fail_rate (fail_status; a 429 is APIG.0308 with\n"
	"Retry-After: retry_after_s; 400 WKS.0001, 401 APIGW.0301, 403 WKS.00010024, 404\n"
	"WKS.00010031, 409 WKS.00010032, others WKS.0002; \"fail_code\" overrides). Truncated\n"
	"and malformed requests were applied: only the answer is damaged. Broken pagers:\n"
	"\"ignore_offset\": true answers every page as if offset were 0; \"total\": \"hide\"\n"
	"drops a list's total_count/count, \"inflate\" makes it 1000000 (\"\" as is).\n"
	"An old API: \"hide_field\": \"tags\" leaves that field out of the objects an answer\n"
	"holds (those in its top-level arrays and objects; \"\" none).\n"
	"--hostile-names renames: users 2-4 to \"ops/admin\", \".hidden\" and \"100%done\",\n"
	"desktop 2's computer_name to one with a space (\"dev 00002\"), user group 1 to\n"
	"\"night\\nshift\" (a newline), server group 1 to \"Finance/Accounting apps\", policy\n"
	"group 1 to \"Finance/Legal policy\", script 1 to \".profile setup\" and app group 1\n"
	"to \"100% office apps\".\n"
	"--hostile-wire gives users 5 and 6 the id and name \"..\" and \".\" (URL dot segments),\n"
	"and user 7's name and desktop 3's computer_name \"\\ud800lone\": a lone surrogate\n"
	"escape on the wire (every JSON answer sends a stored literal \\ud800 as that escape,\n"
	"which strict parsers such as cJSON reject).\n"
	"--hostile-tenant answers the desktop, user, image and product lists (and a\n"
	"desktop's and a user's detail) with objects whose ids and names hold '/', \"..\",\n"
	"\".\", newlines, control characters, 300 bytes or no UTF-8, are duplicated, empty,\n"
	"null, numbers or missing; fields of the wrong type; a value nested 1,000 deep; a\n"
	"10 MB desktop; totals that lie (desktops: 10 for 600+, users: 10^9, images: every\n"
	"page fuller than asked and one more always to come); products never end (full\n"
	"pages, no total).\n";

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
		gint64 value, max;
	} counts[] = {
		{ "--desktops", cfg.desktops, EMU_MAX_DESKTOPS },
		{ "--users", cfg.users, EMU_MAX_USERS },
		{ "--groups", cfg.groups, EMU_MAX_GROUPS },
		{ "--pools", cfg.pools, EMU_MAX_POOLS },
		{ "--server-groups", cfg.server_groups, EMU_MAX_SERVER_GROUPS },
		{ "--servers", cfg.servers, EMU_MAX_SERVERS },
		{ "--sessions", cfg.sessions, EMU_MAX_SESSIONS },
	};

	if (cfg.port < 0 || cfg.port > 65535)
		return usage_error("--port must be 0..65535");
	for (guint i = 0; i < G_N_ELEMENTS(counts); i++)
		if (counts[i].value < 0 || counts[i].value > counts[i].max)
			return usage_error("%s must be 0..%" G_GINT64_FORMAT, counts[i].name,
					   counts[i].max);
	if (cfg.servers && !cfg.server_groups)
		return usage_error("--servers needs --server-groups (every server is in one)");
	if (cfg.kind_counts) {
		g_autofree char *why = kinds_check_counts(cfg.kind_counts);

		if (why)
			return usage_error("--kind-count: %s", why);
	}
	if (cfg.sessions && !cfg.servers)
		return usage_error("--sessions needs --servers (every session is on one)");
	if (cfg.latency_ms < 0 || cfg.latency_ms > 600000)
		return usage_error("--latency-ms must be 0..600000");
	if (!(cfg.fail_rate >= 0 && cfg.fail_rate <= 1) ||
	    !(cfg.reset_rate >= 0 && cfg.reset_rate <= 1) ||
	    !(cfg.truncate_rate >= 0 && cfg.truncate_rate <= 1) ||
	    !(cfg.malformed_rate >= 0 && cfg.malformed_rate <= 1))
		return usage_error("--fail-rate, --reset-rate, --truncate-rate and "
				   "--malformed-rate must be between 0 and 1");
	if (cfg.fail_status < 400 || cfg.fail_status > 599)
		return usage_error("--fail-status must be 400..599");
	if (cfg.retry_after_s < 0 || cfg.retry_after_s > 86400)
		return usage_error("--retry-after must be 0..86400");
	if (cfg.stall_ms < 0 || cfg.stall_ms > 600000)
		return usage_error("--stall-ms must be 0..600000");
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

/* --exit-with-fd: when whoever holds the pipe's other end is gone, shut down as on
 * SIGTERM (wksfs --demo holds it, even across its daemonizing fork, and even if it is
 * killed). */
static gpointer watch_parent(gpointer data)
{
	int fd = GPOINTER_TO_INT(data);
	char c;
	ssize_t n;

	do
		n = read(fd, &c, 1);
	while (n > 0 || (n < 0 && errno == EINTR));
	kill(getpid(), SIGTERM);
	return NULL;
}

int main(int argc, char **argv)
{
	Emu emu = { .cfg = &cfg };
	TenantSpec spec;
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
	spec = (TenantSpec){
		.seed = cfg.seed, .desktops = (gsize)cfg.desktops, .users = (gsize)cfg.users,
		.groups = (gsize)cfg.groups, .pools = (gsize)cfg.pools,
		.server_groups = (gsize)cfg.server_groups, .servers = (gsize)cfg.servers,
		.sessions = (gsize)cfg.sessions, .job_seconds = cfg.job_seconds,
		.project_id = cfg.project_id, .hostile_names = cfg.hostile_names,
		.hostile_wire = cfg.hostile_wire, .kind_counts = cfg.kind_counts,
	};
	emu.faults = faults_new(&cfg, &error);
	if (!emu.faults) {
		usage_error("%s (--fault-methods / --fault-route)", error->message);
		return 2;
	}

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
	emu.tenant = tenant_new(&spec);
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
	if (cfg.exit_with_fd >= 0)
		g_thread_unref(g_thread_new("exit-with-fd", watch_parent,
					    GINT_TO_POINTER(cfg.exit_with_fd)));

	while (sigwait(&signals, &sig) != 0)
		;
	g_debug("signal %d: shutting down", sig);
	server_stop(server);
	faults_free(emu.faults);
	control_free(emu.control);
	token_store_free(emu.tokens);
	tenant_free(emu.tenant);
	return 0;

out_stop:
	server_stop(server);
out_free:
	faults_free(emu.faults);
	control_free(emu.control);
	token_store_free(emu.tokens);
	tenant_free(emu.tenant);
	return 1;
}
