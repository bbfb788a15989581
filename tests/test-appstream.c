/* test-appstream.c — App Streaming as the official SDK has it, through real mounts.
 *
 * Every mount here has two emulators of one seed (so one tenant): Workspace's endpoint on
 * one, App Streaming's (-o appstream_endpoint) on the other, so that each request's host is
 * checked by whose counters it reaches. A server action (batch-start | -stop | -reboot) is
 * answered with no job id: wksfs follows the server by ShowServer until its task_status is
 * idle, then invalidates it, so `cat status` shows the transition and then its end within
 * the TTL — polls bounded and counted, no workspace-jobs request anywhere. A job id
 * (batch-rejoin-domain) is polled at ShowJobDetail's path on App Streaming's host.
 * maintain_status is written through BatchChangeServerMaintainMode, logoff through
 * LogoffUserSession; one object is fetched by ShowServer once its id is known, and the
 * emulator honours the name filters wksfs sends.
 */
#include "tests/harness.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#define R_SHOW "GET /v1/{project_id}/app-servers/{server_id}"
#define R_SERVERS "GET /v1/{project_id}/app-servers"
#define R_GROUPS "GET /v1/{project_id}/app-server-groups"
#define R_SESSIONS "GET /v1/{project_id}/session/list-sessions"
#define R_WS_JOB "GET /v2/{project_id}/workspace-jobs/{job_id}"
#define R_APP_JOB "GET /v2/{project_id}/job/{job_id}"
#define R_MAINT "PATCH /v1/{project_id}/app-servers/actions/batch-maint"
#define R_LOGOFF "POST /v1/{project_id}/session/logoff"

typedef struct {
	Mount *ws;	/* Workspace's emulator, and the mount */
	Mount *app;	/* App Streaming's emulator */
} Pair;

/* Both emulators with args, wksfs mounted with options on ws, App Streaming on app. */
static gboolean pair_start(Pair *p, const char *const *args, const char *options)
{
	g_autofree char *app_url = NULL, *opts = NULL;

	p->app = harness_emulator_or_skip(args);
	if (!p->app)
		return FALSE;
	p->ws = harness_emulator(args);
	app_url = harness_endpoint(p->app);
	opts = g_strdup_printf("appstream_endpoint=%s,%s", app_url, options);
	if (!harness_mount(p->ws, opts)) {
		g_test_fail_printf("wksfs did not mount");
		harness_stop(p->ws);
		harness_stop(p->app);
		return FALSE;
	}
	return TRUE;
}

static void pair_stop(Pair *p)
{
	harness_stop(p->ws);
	harness_stop(p->app);
}

static void reset(Pair *p)
{
	harness_reset_stats(p->ws);
	harness_reset_stats(p->app);
}

/* A file of the mount, its trailing newline dropped; "" when it cannot be read. */
static char *read_line(Mount *m, const char *fmt, ...) G_GNUC_PRINTF(2, 3);
static char *read_line(Mount *m, const char *fmt, ...)
{
	va_list ap;
	g_autofree char *rel = NULL;
	char *text;

	va_start(ap, fmt);
	rel = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	text = harness_read(m, rel);
	return text ? g_strchomp(text) : g_strdup("");
}

/* A field of the emulator's own state of an object ("servers", "sessions"). */
static char *state(Mount *emu, const char *kind, const char *key, const char *field)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/%s/%s", kind, key);
	cJSON *obj = harness_emu_get(emu, path);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, field);
	char *text = cJSON_IsBool(v) ? g_strdup(cJSON_IsTrue(v) ? "true" : "false")
				     : g_strdup(cJSON_GetStringValue(v));

	cJSON_Delete(obj);
	return text ? text : g_strdup("");
}

/* Polls `cat app-servers/NAME/status` (50 ms) until it reads want; how long it took (s),
 * or a failure after 15 s. The TTL is 60 s: only the follow's invalidation brings it. */
static double wait_status(Mount *m, const char *name, const char *want)
{
	gint64 start = g_get_monotonic_time();

	for (;;) {
		g_autofree char *now = read_line(m, "app-servers/%s/status", name);

		if (g_str_equal(now, want))
			return (g_get_monotonic_time() - start) / (double)G_USEC_PER_SEC;
		if (g_get_monotonic_time() - start > 15 * G_USEC_PER_SEC) {
			g_test_fail_printf("app-servers/%s/status still %s after 15 s, not %s",
					   name, now, want);
			return -1;
		}
		g_usleep(50 * 1000);
	}
}

static const char *const server_args[] = {
	"--desktops", "2", "--users", "2", "--server-groups", "2", "--servers", "4",
	"--sessions", "10", "--seed", "21", "--job-seconds", "2", NULL,
};

/* A server whose vm_status the mount reads as ACTIVE, not in maintenance. */
static char *active_server(Mount *m)
{
	g_autoptr(GPtrArray) names = harness_list(m, "app-servers");

	for (guint i = 0; i < names->len; i++) {
		g_autofree char *vm = read_line(m, "app-servers/%s/vm_status",
						(char *)names->pdata[i]);
		g_autofree char *maint = read_line(m, "app-servers/%s/maintain_status",
						   (char *)names->pdata[i]);

		if (g_str_equal(vm, "ACTIVE") && g_str_equal(maint, "false"))
			return g_strdup(names->pdata[i]);
	}
	g_test_fail_printf("no ACTIVE app server");
	return NULL;
}

typedef struct {
	const char *command;
	const char *during;	/* status while the server is in transition */
	const char *task;	/* task_status then */
	const char *after;	/* status once it is over */
} Step;

/* stop, start, reboot: each write answers at once ("ok": the SDK's answers name no job),
 * `cat` shows the transition, then its end — long before the 60 s TTL, which only the
 * follow's invalidation can cut short. The polls are ShowServer's, on App Streaming's host,
 * a handful per action; nothing asks workspace-jobs, on either host. */
static void test_server_follow(void)
{
	static const Step steps[] = {
		{ "stop\n", "UNREGISTER", "powering-off", "STOPPED" },
		{ "start\n", "UNREGISTER", "powering-on", "REGISTERED" },
		{ "reboot hard\n", "UNREGISTER", "rebooting_hard", "REGISTERED" },
	};
	Pair p;

	if (!pair_start(&p, server_args, "ttl=60"))
		return;
	g_autofree char *name = active_server(p.ws);
	g_assert_nonnull(name);
	g_autofree char *action = g_strdup_printf("app-servers/%s/action", name);

	for (guint i = 0; i < G_N_ELEMENTS(steps); i++) {
		const Step *s = &steps[i];
		gint64 shows, lists, settled;

		reset(&p);
		g_assert_cmpint(harness_write(p.ws, action, s->command), ==, 0);
		g_autofree char *result = read_line(p.ws, "%s", action);
		g_assert_cmpstr(result, ==, "ok");
		g_autofree char *during = read_line(p.ws, "app-servers/%s/status", name);
		g_autofree char *task = read_line(p.ws, "app-servers/%s/task_status", name);
		g_assert_cmpstr(during, ==, s->during);
		g_assert_cmpstr(task, ==, s->task);
		g_assert_cmpfloat(wait_status(p.ws, name, s->after), >=, 0);
		g_autofree char *idle = read_line(p.ws, "app-servers/%s/task_status", name);
		g_assert_cmpstr(idle, ==, "");

		/* Bounded: once the server is idle the follow is over, and nothing more is
		 * asked (waited for, since nothing can be polled for an absence: a poll is due
		 * 0.5 to 5 s after the last). */
		settled = harness_route_count(p.app, R_SHOW);
		g_usleep(3 * G_USEC_PER_SEC);
		shows = harness_route_count(p.app, R_SHOW);
		g_assert_cmpint(shows, ==, settled);
		/* 2 s of transition: polls at 0.5, 1.5 and 3.5 s, and the reads of `cat`. */
		g_test_message("%.*s: %" G_GINT64_FORMAT " ShowServer requests",
			       (int)strcspn(s->command, "\n"), s->command, shows);
		g_assert_cmpint(shows, >=, 3);
		g_assert_cmpint(shows, <=, 8);
		/* One object is fetched by ShowServer (its id was known), never by the list. */
		lists = harness_route_count(p.app, R_SERVERS);
		g_assert_cmpint(lists, ==, 0);
		g_assert_cmpint(harness_route_count(p.app, R_WS_JOB), ==, 0);
		g_assert_cmpint(harness_route_count(p.ws, R_WS_JOB), ==, 0);
		g_assert_cmpint(harness_route_count(p.ws, R_SHOW), ==, 0);
		g_assert_cmpint(harness_route_count(p.app, R_APP_JOB), ==, 0);
	}
	/* The job directory has nothing: no action named a job. */
	g_autoptr(GPtrArray) jobs = harness_list(p.ws, "jobs");
	g_assert_cmpuint(jobs->len, ==, 0);
	pair_stop(&p);
}

/* The twin: an action that is not sent (-o dry_run) sets nothing in transition, so nothing
 * is followed — not one ShowServer request in the time the follow above polls three. */
static void test_dry_run_follows_nothing(void)
{
	Pair p;

	if (!pair_start(&p, server_args, "ttl=60,dry_run"))
		return;
	g_autofree char *name = active_server(p.ws);
	g_assert_nonnull(name);
	g_autofree char *action = g_strdup_printf("app-servers/%s/action", name);

	reset(&p);
	g_assert_cmpint(harness_write(p.ws, action, "stop\n"), ==, 0);
	g_autofree char *result = read_line(p.ws, "%s", action);
	g_assert_true(g_str_has_prefix(result, "dry-run: PATCH"));
	g_usleep(4 * G_USEC_PER_SEC);
	g_assert_cmpint(harness_mutation_count(p.app) + harness_mutation_count(p.ws), ==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_SHOW), ==, 0);
	g_autofree char *vm = state(p.app, "servers", name, "vm_status");
	g_assert_cmpstr(vm, ==, "ACTIVE");
	pair_stop(&p);
}

/* BatchRejoinDomain names a job: polled at GET /v2/{project_id}/job/{job_id} on App
 * Streaming's host (the Workspace emulator has never heard of it), until it ends; then the
 * server's task_status reads idle at once. */
static void test_rejoin_job(void)
{
	const char *const args[] = {
		"--desktops", "2", "--users", "2", "--server-groups", "2", "--servers", "4",
		"--sessions", "10", "--seed", "21", "--job-seconds", "1.5", NULL,
	};
	Pair p;

	if (!pair_start(&p, args, "ttl=60"))
		return;
	g_autofree char *name = active_server(p.ws);
	g_assert_nonnull(name);
	g_autofree char *action = g_strdup_printf("app-servers/%s/action", name);

	reset(&p);
	g_assert_cmpint(harness_write(p.ws, action, "rejoin-domain\n"), ==, 0);
	g_autofree char *result = read_line(p.ws, "%s", action);
	g_assert_true(g_str_has_prefix(result, "job "));
	g_autofree char *task = read_line(p.ws, "app-servers/%s/task_status", name);
	g_assert_cmpstr(task, ==, "rejoining_domain");
	gint64 start = g_get_monotonic_time();
	for (;;) {
		g_autofree char *now = read_line(p.ws, "app-servers/%s/task_status", name);

		if (!*now) {
			g_test_message("idle after %.2f s", (g_get_monotonic_time() - start) / 1e6);
			break;
		}
		if (g_get_monotonic_time() - start > 15 * G_USEC_PER_SEC) {
			g_test_fail_printf("task_status still %s after 15 s", now);
			break;
		}
		g_usleep(50 * 1000);
	}
	gint64 polls = harness_route_count(p.app, R_APP_JOB);
	g_test_message("rejoin-domain: %" G_GINT64_FORMAT " ShowJobDetail polls", polls);
	g_assert_cmpint(polls, >=, 1);
	g_assert_cmpint(polls, <=, 4);
	g_assert_cmpint(harness_route_count(p.ws, R_APP_JOB), ==, 0);
	g_assert_cmpint(harness_route_count(p.ws, R_WS_JOB), ==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_WS_JOB), ==, 0);
	/* The job was App Streaming's: /jobs lists Workspace jobs only. */
	g_autoptr(GPtrArray) jobs = harness_list(p.ws, "jobs");
	g_assert_cmpuint(jobs->len, ==, 0);
	pair_stop(&p);
}

/* maintain_status: true and false through the file reach the emulator (one PATCH each);
 * anything else fails with EINVAL from write() and sends nothing. */
static void test_maintain_status(void)
{
	Pair p;

	if (!pair_start(&p, server_args, "ttl=60"))
		return;
	g_autofree char *name = active_server(p.ws);
	g_assert_nonnull(name);
	g_autofree char *file = g_strdup_printf("app-servers/%s/maintain_status", name);

	reset(&p);
	g_assert_cmpint(harness_write(p.ws, file, "true\n"), ==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_MAINT), ==, 1);
	g_autofree char *on = state(p.app, "servers", name, "maintain_status");
	g_assert_cmpstr(on, ==, "true");
	g_autofree char *shown = read_line(p.ws, "%s", file);
	g_autofree char *status = read_line(p.ws, "app-servers/%s/status", name);
	g_assert_cmpstr(shown, ==, "true");
	g_assert_cmpstr(status, ==, "MAINTAINING");

	g_assert_cmpint(harness_write(p.ws, file, "false\n"), ==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_MAINT), ==, 2);
	g_autofree char *off = state(p.app, "servers", name, "maintain_status");
	g_assert_cmpstr(off, ==, "false");
	g_autofree char *cleared = read_line(p.ws, "%s", file);
	g_assert_cmpstr(cleared, ==, "false");

	/* Only the documented values: nothing is sent, the reason is in .wksfs/errors. */
	gint64 before = harness_mutation_count(p.app) + harness_mutation_count(p.ws);
	for (const char *const *bad = (const char *const[]){ "yes\n", "1\n", "TRUE\n", "true x\n",
							     NULL }; *bad; bad++)
		g_assert_cmpint(harness_write(p.ws, file, *bad), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(p.app) + harness_mutation_count(p.ws), ==,
			before);
	g_autofree char *still = state(p.app, "servers", name, "maintain_status");
	g_assert_cmpstr(still, ==, "false");
	g_autofree char *errors = harness_read(p.ws, ".wksfs/errors");
	g_assert_nonnull(strstr(errors, "\"yes\" is neither true nor false"));
	pair_stop(&p);
}

/* An open session (Active or Disconnected), or NULL. */
static char *open_session(Mount *m)
{
	g_autoptr(GPtrArray) ids = harness_list(m, "app-sessions");

	for (guint i = 0; i < ids->len; i++) {
		g_autofree char *st = read_line(m, "app-sessions/%s/session_state",
						(char *)ids->pdata[i]);

		if (g_str_equal(st, "Active") || g_str_equal(st, "Disconnected"))
			return g_strdup(ids->pdata[i]);
	}
	return NULL;
}

/* logoff: one LogoffUserSession; the session is signed out in the emulator and reads so at
 * once (within a 60 s TTL). It stays listed: ListSessions lists signed-out sessions (AS.2,
 * "SignedOut: The session has been logged out of"). A malformed command sends nothing. */
static void test_logoff(void)
{
	const char *const args[] = {
		"--desktops", "2", "--users", "4", "--server-groups", "2", "--servers", "4",
		"--sessions", "200", "--seed", "21", NULL,
	};
	Pair p;

	/* A week back: the generated sessions started in the week before the emulator. */
	if (!pair_start(&p, args, "ttl=60,session_window=691200"))
		return;
	g_autofree char *id = open_session(p.ws);
	g_assert_nonnull(id);
	g_autofree char *action = g_strdup_printf("app-sessions/%s/action", id);

	reset(&p);
	g_assert_cmpint(harness_write(p.ws, action, "logoff now\n"), ==, EINVAL);
	g_assert_cmpint(harness_write(p.ws, action, "logout\n"), ==, EINVAL);
	g_assert_cmpint(harness_mutation_count(p.app) + harness_mutation_count(p.ws), ==, 0);

	g_assert_cmpint(harness_write(p.ws, action, "logoff\n"), ==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_LOGOFF), ==, 1);
	g_autofree char *result = read_line(p.ws, "%s", action);
	g_assert_cmpstr(result, ==, "ok");
	g_autofree char *emu = state(p.app, "sessions", id, "session_state");
	g_assert_cmpstr(emu, ==, "SignedOut");
	g_autofree char *shown = read_line(p.ws, "app-sessions/%s/session_state", id);
	g_assert_cmpstr(shown, ==, "SignedOut");
	g_autofree char *end = read_line(p.ws, "app-sessions/%s/end_time", id);
	g_assert_cmpstr(end, !=, "");
	g_autoptr(GPtrArray) ids = harness_list(p.ws, "app-sessions");
	g_assert_true(g_ptr_array_find_with_equal_func(ids, id, g_str_equal, NULL));
	pair_stop(&p);
}

/* The lookups of one object by name: the list filter wksfs sends (server_name,
 * server_group_name) must be honoured, or an object past the first page (100) is not
 * found; once its id is known, a server is fetched by ShowServer. */
static void test_name_lookups(void)
{
	const char *const args[] = {
		"--desktops", "2", "--users", "2", "--server-groups", "130", "--servers", "150",
		"--sessions", "5", "--seed", "21", NULL,
	};
	Pair p;

	if (!pair_start(&p, args, "ttl=60"))
		return;
	/* Cold: no listing, no object. */
	reset(&p);
	g_autofree char *status = read_line(p.ws, "app-servers/appsrv-00140/status");
	g_autofree char *want = state(p.app, "servers", "appsrv-00140", "status");
	g_assert_cmpstr(status, ==, want);
	g_autofree char *id = read_line(p.ws, "app-servers/appsrv-00140/id");
	g_autofree char *want_id = state(p.app, "servers", "appsrv-00140", "id");
	g_assert_cmpstr(id, ==, want_id);
	g_assert_cmpint(harness_route_count(p.app, R_SERVERS), ==, 1);
	g_assert_cmpint(harness_route_count(p.app, R_SHOW), ==, 0);
	g_assert_cmpint(harness_read(p.ws, "app-servers/appsrv-00999/status") == NULL, ==, TRUE);
	g_assert_cmpint(errno, ==, ENOENT);

	/* Known: a refresh asks ShowServer, which brings its own fields. */
	reset(&p);
	g_assert_cmpint(harness_write(p.ws, ".wksfs/ctl", "refresh app-servers/appsrv-00140\n"),
			==, 0);
	g_assert_cmpint(harness_route_count(p.app, R_SHOW), ==, 1);
	g_assert_cmpint(harness_route_count(p.app, R_SERVERS), ==, 0);
	g_autofree char *addresses = harness_read(p.ws, "app-servers/appsrv-00140/addresses.json");
	g_assert_nonnull(addresses);
	g_assert_nonnull(strstr(addresses, "\"addr\""));

	/* A server group past the first page, by its (fuzzily matched) name, cold. */
	g_autoptr(GPtrArray) groups = harness_list(p.ws, "app-server-groups");
	g_assert_cmpuint(groups->len, ==, 130);
	/* The directory lists in the API's order: its last entry is on the second page. */
	g_autofree char *dir = harness_path(p.ws, "app-server-groups");
	GDir *d = g_dir_open(dir, 0, NULL);
	g_autofree char *last = NULL;
	for (const char *e; d && (e = g_dir_read_name(d));)
		last = (g_free(last), g_strdup(e));
	g_dir_close(d);	/* before the unmount */
	g_assert_nonnull(last);
	g_autofree char *last_id = NULL;
	for (guint i = 0; i < groups->len; i++) {
		g_autofree char *gid = read_line(p.ws, "app-server-groups/%s/id",
						 (char *)groups->pdata[i]);
		g_autofree char *gname = read_line(p.ws, "app-server-groups/%s/name",
						   (char *)groups->pdata[i]);
		g_autofree char *want_name = state(p.app, "server-groups", gid, "name");

		g_assert_cmpstr(gname, ==, want_name);
		if (g_str_equal(groups->pdata[i], last))
			last_id = g_strdup(gid);
	}
	g_assert_cmpint(harness_write(p.ws, ".wksfs/ctl", "forget app-server-groups\n"), ==, 0);
	reset(&p);
	g_autofree char *cold = read_line(p.ws, "app-server-groups/%s/id", last);
	g_assert_cmpstr(cold, ==, last_id);
	g_assert_cmpint(harness_route_count(p.app, R_GROUPS), ==, 1);
	pair_stop(&p);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/appstream/server-follow", test_server_follow);
	g_test_add_func("/appstream/dry-run-follows-nothing", test_dry_run_follows_nothing);
	g_test_add_func("/appstream/rejoin-job", test_rejoin_job);
	g_test_add_func("/appstream/maintain-status", test_maintain_status);
	g_test_add_func("/appstream/logoff", test_logoff);
	g_test_add_func("/appstream/name-lookups", test_name_lookups);
	return g_test_run();
}
