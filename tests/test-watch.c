/* test-watch.c — -o watch=SECS and /.wksfs/changes through real mounts: a change made
 * through a second mount shows in the feed (field, old, new, source=watch) and in `cat`
 * within two watch periods though the TTL is long; the watch costs only the pages of the
 * collections being read, and nothing once nobody reads them; created and deleted events;
 * the mount's own writes as source=write; `tail -f` follows and ends at unmount; the
 * changes_max bound with offsets that stay put; -o changes_file; bad options refused. */
#include "tests/harness.h"
#include "tests/logfmt.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define R_USERS "GET /v2/{project_id}/users"
#define R_DESKTOPS "GET /v2/{project_id}/desktops/detail"

static const char *const TENANT[] = { "--desktops", "4", "--users", "4", "--groups", "2",
				      "--job-seconds", "1", NULL };

static char *first_entry(Mount *m, const char *dir)
{
	g_autoptr(GPtrArray) names = harness_list(m, dir);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

/* A line of the feed with these key=value pairs (NULL-terminated), or NULL. Comment lines
 * (the dropped part) are skipped; every other line must parse. */
static char *find_line(const char *feed, const char *const *want)
{
	g_auto(GStrv) lines = g_strsplit(feed ? feed : "", "\n", -1);

	for (int i = 0; lines[i]; i++) {
		g_autofree char *error = NULL;
		g_auto(GStrv) f = NULL;
		gboolean all = TRUE;

		if (!lines[i][0] || lines[i][0] == '#')
			continue;
		f = logfmt_parse(lines[i], &error);
		if (!f)
			g_error("not logfmt: %s (%s)", lines[i], error);
		for (int k = 0; want[k] && all; k += 2)
			all = g_strcmp0(logfmt_get(f, want[k]), want[k + 1]) == 0;
		if (all)
			return g_strdup(lines[i]);
	}
	return NULL;
}

/* Polls m's feed for such a line for at most timeout_s; how long it took in *ret_s. */
static char *wait_line(Mount *m, const char *const *want, double timeout_s, double *ret_s)
{
	gint64 t0 = g_get_monotonic_time();

	for (;;) {
		g_autofree char *feed = harness_read(m, ".wksfs/changes");
		char *line = find_line(feed, want);
		double s = (double)(g_get_monotonic_time() - t0) / G_USEC_PER_SEC;

		if (line || s > timeout_s) {
			if (ret_s)
				*ret_s = s;
			if (!line)
				g_test_message("feed now:\n%s", feed ? feed : "(unreadable)");
			return line;
		}
		g_usleep(100 * 1000);
	}
}

/* A description changed and a desktop stopped through a second mount: m, watching every
 * 2 s with a 600 s TTL, shows both in the feed with the right old and new values, and
 * `cat` shows the new ones, within two periods. */
static void test_watch_sees_other_mount(void)
{
	Mount *m = harness_start((const char *const *)TENANT, "ttl=600,watch=2");
	Mount *other = NULL;
	double took = 0;

	if (!m)
		return;
	g_autofree char *u = first_entry(m, "users");
	g_autofree char *d = first_entry(m, "desktops");
	g_autofree char *urel = g_strdup_printf("users/%s/description", u);
	g_autofree char *srel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *arel = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *old_desc = harness_read(m, urel);
	g_autofree char *old_status = harness_read(m, srel);
	g_assert_nonnull(old_desc);
	g_assert_cmpstr(old_status, ==, "ACTIVE\n");
	g_strchomp(old_desc);

	other = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(other);
	/* Spaces and quotes: the value must come back logfmt-quoted. */
	g_assert_cmpint(harness_write(other, urel, "changed \"elsewhere\" now\n"), ==, 0);
	const char *want_desc[] = { "kind", "users", "name", u, "field", "description",
				    "old", old_desc, "new", "changed \"elsewhere\" now",
				    "source", "watch", NULL };
	g_autofree char *line = wait_line(m, want_desc, 2 * 2 + 1, &took);
	g_assert_nonnull(line);
	g_assert_nonnull(strstr(line, "new=\"changed \\\"elsewhere\\\" now\""));
	g_test_message("description seen after %.1f s", took);
	/* cat is fresh at once, though the TTL is 600 s. */
	g_autofree char *now = harness_read(m, urel);
	g_assert_cmpstr(now, ==, "changed \"elsewhere\" now\n");

	g_assert_cmpint(harness_write(other, arel, "stop\n"), ==, 0);
	const char *want_status[] = { "kind", "desktops", "name", d, "field", "status",
				      "new", "SHUTOFF", "source", "watch", NULL };
	/* The job takes a second, then two periods at most. */
	g_autofree char *sline = wait_line(m, want_status, 1 + 2 * 2 + 1, &took);
	g_assert_nonnull(sline);
	g_test_message("status seen after %.1f s: %s", took, sline);
	g_autofree char *status = harness_read(m, srel);
	g_assert_cmpstr(status, ==, "SHUTOFF\n");
	/* Each step of the status is old -> new of the one before: the first starts at
	 * ACTIVE. */
	const char *first_step[] = { "kind", "desktops", "name", d, "field", "status",
				     "old", "ACTIVE", NULL };
	g_autofree char *feed = harness_read(m, ".wksfs/changes");
	g_autofree char *step = find_line(feed, first_step);
	g_assert_nonnull(step);
	/* The watcher never sent anything: the two mutations are the other mount's. */
	g_assert_cmpint(harness_mutation_count(m), ==, 2);
	harness_stop(other);
	harness_stop(m);
}

/* Every GET the emulator counted, by route. */
static gint64 gets(Mount *m)
{
	cJSON *stats = harness_emu_get(m, "/__emulator/stats");
	const cJSON *r;
	gint64 n = 0;

	cJSON_ArrayForEach(r, cJSON_GetObjectItem(stats, "routes"))
		if (cJSON_IsNumber(r) && g_str_has_prefix(r->string, "GET "))
			n += (gint64)r->valuedouble;
	cJSON_Delete(stats);
	return n;
}

/* Idle periods cost one page of the collection that was read, nothing for the kinds never
 * read; once the collection was not read for its TTL, nothing at all. */
static void test_watch_economy(void)
{
	Mount *m = harness_start((const char *const *)TENANT, "ttl=3,watch=1");

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	g_assert_cmpuint(users->len, ==, 4);
	harness_reset_stats(m);
	g_usleep(2500 * 1000);	/* passes at about 1 s and 2 s: users was read 2.5 s ago */
	gint64 listed = harness_route_count(m, R_USERS);
	g_test_message("%" G_GINT64_FORMAT " users pages in 2.5 s of watch=1", listed);
	g_assert_cmpint(listed, >=, 2);
	g_assert_cmpint(listed, <=, 3);
	g_assert_cmpint(gets(m), ==, listed);
	g_assert_cmpint(harness_route_count(m, R_DESKTOPS), ==, 0);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	/* Past the 3 s TTL since the read: no longer watched. */
	g_usleep(1500 * 1000);
	harness_reset_stats(m);
	g_usleep(2500 * 1000);
	g_assert_cmpint(gets(m), ==, 0);
	/* watch passes go on: /.wksfs/metrics counts them */
	g_autofree char *metrics = harness_read(m, ".wksfs/metrics");
	g_assert_nonnull(strstr(metrics, "wksfs_watch_passes_total "));
	harness_stop(m);
}

/* A user created and one deleted through a second mount: event=created and event=deleted
 * with source=watch on m; the second mount's own feed says source=write. */
static void test_created_deleted(void)
{
	Mount *m = harness_start((const char *const *)TENANT, "ttl=600,watch=1");
	Mount *other = NULL;
	const char *body = "{\"user_name\": \"newbie\", \"user_email\": \"newbie@example.com\", "
			   "\"active_type\": \"ADMIN_ACTIVATE\", \"password\": \"Secret-1234\"}\n";

	if (!m)
		return;
	g_autoptr(GPtrArray) users = harness_list(m, "users");
	other = harness_mount_beside(m, "ttl=600,allow_delete");
	g_assert_nonnull(other);
	g_autoptr(GPtrArray) theirs = harness_list(other, "users");
	g_assert_cmpint(harness_write(other, "users/.create", body), ==, 0);
	const char *created[] = { "kind", "users", "name", "newbie", "event", "created",
				  "source", "watch", NULL };
	g_autofree char *cline = wait_line(m, created, 2 * 1 + 1, NULL);
	g_assert_nonnull(cline);
	g_assert_true(harness_listed(m, "users", "newbie"));

	g_autofree char *vpath = g_strdup_printf("%s/users/%s", other->mnt,
						 (char *)users->pdata[0]);
	g_assert_no_errno(rmdir(vpath));
	const char *deleted[] = { "kind", "users", "name", users->pdata[0], "event", "deleted",
				  "source", "watch", NULL };
	g_autofree char *dline = wait_line(m, deleted, 2 * 1 + 1, NULL);
	g_assert_nonnull(dline);
	g_assert_false(harness_listed(m, "users", users->pdata[0]));

	/* The other mount saw its own create and delete as writes. */
	g_autoptr(GPtrArray) after = harness_list(other, "users");
	const char *own_created[] = { "name", "newbie", "event", "created", "source", "write",
				      NULL };
	const char *own_deleted[] = { "name", users->pdata[0], "event", "deleted", "source",
				      "write", NULL };
	g_autofree char *oc = wait_line(other, own_created, 1, NULL);
	g_autofree char *od = wait_line(other, own_deleted, 1, NULL);
	g_assert_nonnull(oc);
	g_assert_nonnull(od);
	harness_stop(other);
	harness_stop(m);
}

/* Without watch: this mount's action is source=job when its job's end brings the new
 * status; a change made elsewhere, seen when the TTL ran out, is source=refresh. */
static void test_job_and_refresh_sources(void)
{
	/* Desktops cached long: only the job's end can make their status due. */
	Mount *m = harness_start((const char *const *)TENANT, "ttl=600,ttl_users=1");
	Mount *other = NULL;

	if (!m)
		return;
	g_autofree char *d = first_entry(m, "desktops");
	g_autofree char *u = first_entry(m, "users");
	g_autofree char *arel = g_strdup_printf("desktops/%s/action", d);
	g_autofree char *urel = g_strdup_printf("users/%s/description", u);
	g_autofree char *srel = g_strdup_printf("desktops/%s/status", d);
	g_autofree char *status0 = harness_read(m, srel);
	g_autofree char *desc0 = harness_read(m, urel);
	g_assert_cmpstr(status0, ==, "ACTIVE\n");
	g_assert_cmpint(harness_write(m, arel, "stop\n"), ==, 0);
	const char *by_job[] = { "kind", "desktops", "name", d, "field", "status",
				 "new", "SHUTOFF", "source", "job", NULL };
	g_autofree char *jline = NULL;
	/* The job ends after a second; its end makes the status due again. */
	for (int i = 0; i < 50 && !jline; i++) {
		g_autofree char *s = harness_read(m, srel);

		jline = wait_line(m, by_job, 0.2, NULL);
	}
	g_assert_nonnull(jline);

	other = harness_mount_beside(m, "ttl=0");
	g_assert_nonnull(other);
	g_assert_cmpint(harness_write(other, urel, "from the other side\n"), ==, 0);
	g_usleep(1200 * 1000);	/* m's 1 s TTL runs out */
	g_autofree char *desc = harness_read(m, urel);
	g_assert_cmpstr(desc, ==, "from the other side\n");
	const char *by_refresh[] = { "kind", "users", "name", u, "field", "description",
				     "new", "from the other side", "source", "refresh", NULL };
	g_autofree char *rline = wait_line(m, by_refresh, 1, NULL);
	g_assert_nonnull(rline);
	harness_stop(other);
	harness_stop(m);
}

/* Reads what is there now on fd within timeout_s, appended to acc; FALSE on EOF. */
static gboolean read_some(int fd, GString *acc, double timeout_s)
{
	gint64 end = g_get_monotonic_time() + (gint64)(timeout_s * G_USEC_PER_SEC);
	char buf[4096];

	while (g_get_monotonic_time() < end) {
		ssize_t n = read(fd, buf, sizeof(buf));

		if (n > 0) {
			g_string_append_len(acc, buf, n);
			return TRUE;
		}
		if (n == 0)
			return FALSE;
		if (errno != EAGAIN && errno != EINTR)
			return FALSE;
		g_usleep(50 * 1000);
	}
	return TRUE;
}

/* tail -f sees each line as the mount's own writes make them, and ends when the file
 * system goes away. */
static void test_tail_follow(void)
{
	Mount *m = harness_start((const char *const *)TENANT, "ttl=600");
	g_autoptr(GString) got = g_string_new(NULL);
	int out = -1, status = 0;
	GPid pid = 0;

	if (!m)
		return;
	g_autofree char *u = first_entry(m, "users");
	g_autofree char *urel = g_strdup_printf("users/%s/description", u);
	g_autofree char *feed = harness_path(m, ".wksfs/changes");
	g_autofree char *first = harness_read(m, urel);
	const char *argv[] = { "tail", "-f", "-s", "0.2", feed, NULL };

	g_assert_true(g_spawn_async_with_pipes(NULL, (char **)argv, NULL,
					       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD,
					       NULL, NULL, &pid, NULL, &out, NULL, NULL));
	g_assert_no_errno(fcntl(out, F_SETFL, O_NONBLOCK));
	for (int i = 0; i < 3; i++) {
		g_autofree char *value = g_strdup_printf("tail step %d\n", i);
		g_autofree char *want = g_strdup_printf("new=\"tail step %d\"", i);
		g_autofree char *back = NULL;
		gint64 t0 = g_get_monotonic_time();

		g_assert_cmpint(harness_write(m, urel, value), ==, 0);
		back = harness_read(m, urel);	/* the re-fetch that sees it */
		g_assert_cmpstr(back, ==, value);
		while (!strstr(got->str, want) &&
		       g_get_monotonic_time() - t0 < 5 * G_USEC_PER_SEC)
			g_assert_true(read_some(out, got, 0.5));
		g_assert_nonnull(strstr(got->str, want));
	}
	g_assert_nonnull(strstr(got->str, "source=write"));
	/* The descriptor tail holds keeps the mount busy (fusermount3 -u says so, and -z
	 * would leave the daemon serving tail): SIGTERM, as systemctl stop sends, unmounts,
	 * the daemon exits 0, and tail's next poll fails: it ends by itself. */
	const char *umount[] = { "fusermount3", "-u", m->mnt, NULL };
	g_autofree char *uerr = NULL;
	int ustatus = 0;
	g_assert_true(g_spawn_sync(NULL, (char **)umount, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, &uerr, &ustatus, NULL));
	g_assert_false(WIFEXITED(ustatus) && WEXITSTATUS(ustatus) == 0);
	g_assert_nonnull(strstr(uerr, "busy"));
	g_assert_no_errno(kill(m->fs_pid, SIGTERM));
	gint64 t0 = g_get_monotonic_time();
	while (waitpid(pid, &status, WNOHANG) == 0 &&
	       g_get_monotonic_time() - t0 < 10 * G_USEC_PER_SEC)
		g_usleep(100 * 1000);
	if (waitpid(pid, &status, WNOHANG) == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		g_test_fail_printf("tail -f still running 10 s after the unmount");
	}
	close(out);
	harness_stop(m);	/* the daemon's exit status is checked there */
}

/* changes_max=3: the file keeps 3 lines, its size counts every line ever written, an offset
 * read before stays valid, the older bytes read as one padded comment line; changes_file
 * has every line. */
static void test_bounded_and_file(void)
{
	Mount *m = harness_emulator_or_skip((const char *const *)TENANT);
	struct stat st;

	if (!m)
		return;
	g_autofree char *log = g_build_filename(m->workdir, "changes.log", NULL);
	g_autofree char *opts = g_strdup_printf("ttl=600,changes_max=3,changes_file=%s", log);
	g_assert_true(harness_mount(m, opts));
	g_autofree char *u = first_entry(m, "users");
	g_autofree char *urel = g_strdup_printf("users/%s/description", u);
	g_autofree char *feed = harness_path(m, ".wksfs/changes");
	g_autofree char *first = harness_read(m, urel);
	g_autoptr(GString) all = g_string_new(NULL);
	guint64 offset2 = 0;

	for (int i = 0; i < 6; i++) {
		g_autofree char *value = g_strdup_printf("bounded %d\n", i);
		g_autofree char *back = NULL;

		g_assert_cmpint(harness_write(m, urel, value), ==, 0);
		back = harness_read(m, urel);
		g_assert_cmpstr(back, ==, value);
		if (i == 2) {
			g_assert_no_errno(stat(feed, &st));
			offset2 = (guint64)st.st_size;	/* where line 3 will start */
		}
	}
	g_autofree char *ondisk = NULL;
	g_assert_true(g_file_get_contents(log, &ondisk, NULL, NULL));
	g_auto(GStrv) disk_lines = g_strsplit(ondisk, "\n", -1);
	g_assert_cmpuint(g_strv_length(disk_lines), ==, 6 + 1);	/* and the last "" */
	g_assert_no_errno(stat(log, &st));
	g_assert_cmpint(st.st_mode & 0777, ==, 0600);
	gsize disk_size = strlen(ondisk);

	g_assert_no_errno(stat(feed, &st));
	g_assert_cmpint(st.st_size, ==, (off_t)disk_size);
	g_autofree char *text = harness_read(m, ".wksfs/changes");
	g_assert_nonnull(text);
	g_assert_cmpuint(strlen(text), ==, disk_size);
	/* The last 3 lines are kept, byte for byte where they were. */
	const char *keep = ondisk + offset2;
	g_assert_cmpstr(text + offset2, ==, keep);
	g_assert_true(g_str_has_prefix(text, "# older lines dropped"));
	g_assert_cmpint(text[offset2 - 1], ==, '\n');
	g_assert_null(memchr(text, '\n', offset2 - 1));
	/* A reader at the offset it had (tail's) reads on from there. */
	int fd = open(feed, O_RDONLY);
	char buf[256];
	ssize_t n;

	g_assert_no_errno(fd);
	n = pread(fd, buf, sizeof(buf) - 1, (off_t)offset2);
	g_assert_cmpint(n, >, 0);
	buf[n] = '\0';
	g_assert_true(g_str_has_prefix(keep, buf));
	close(fd);
	g_assert_nonnull(strstr(keep, "new=\"bounded 5\""));
	g_assert_null(strstr(keep, "new=\"bounded 2\""));
	harness_stop(m);
}

/* Bad values are refused at start with the reason, and nothing is mounted. */
static void test_bad_options(void)
{
	const char *bin = g_getenv("WKSFS_BIN");
	const char *cases[][2] = {
		{ "watch=0", "bad option watch=0: must be 1..86400" },
		{ "watch=often", "bad option watch=often: want seconds" },
		{ "changes_max=0", "bad option changes_max=0: must be 1..1000000" },
		{ "changes_file=/nonexistent/dir/changes.log",
		  "changes_file: /nonexistent/dir/changes.log: No such file or directory" },
	};

	g_assert_nonnull(bin);
	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *out = NULL, *err = NULL;
		const char *argv[] = { bin, "/nonexistent", "-o", cases[i][0], NULL };
		int status = 0;

		g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, &out, &err,
					   &status, NULL));
		g_assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		if (!strstr(err, cases[i][1]))
			g_error("%s: want \"%s\" in: %s", cases[i][0], cases[i][1], err);
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/watch/bad-options", test_bad_options);
	g_test_add_func("/watch/other-mount", test_watch_sees_other_mount);
	g_test_add_func("/watch/economy", test_watch_economy);
	g_test_add_func("/watch/created-deleted", test_created_deleted);
	g_test_add_func("/watch/job-and-refresh", test_job_and_refresh_sources);
	g_test_add_func("/watch/tail-follow", test_tail_follow);
	g_test_add_func("/watch/bounded-and-file", test_bounded_and_file);
	return g_test_run();
}
