/* test-units.c — the systemd units of examples/ (issue 12 item 8): verified by
 * systemd-analyze, the service's ExecStartPost run against a real mount of the emulator and
 * against a plain directory, the mount unit's What/Type/Options through mount.fuse3.
 */
#include "tests/harness.h"

#include <string.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

/* examples/NAME in the source tree. */
static char *example(const char *name)
{
	return g_build_filename(g_test_get_dir(G_TEST_DIST), "..", "examples", name, NULL);
}

/* The value of KEY= in a unit file (its first line). */
static char *unit_value(const char *unit, const char *key)
{
	g_autofree char *path = example(unit), *text = NULL;
	g_auto(GStrv) lines = NULL;
	g_autofree char *prefix = g_strconcat(key, "=", NULL);

	g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
	lines = g_strsplit(text, "\n", -1);
	for (guint i = 0; lines[i]; i++)
		if (g_str_has_prefix(lines[i], prefix))
			return g_strdup(lines[i] + strlen(prefix));
	return NULL;
}

static char *replace(const char *s, const char *from, const char *to)
{
	g_auto(GStrv) parts = g_strsplit(s, from, -1);

	return g_strjoinv(to, parts);
}

static int sh(const char *command, char **env)
{
	const char *argv[] = { "/bin/sh", "-c", command, NULL };
	int status = -1;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, env, 0, NULL, NULL, NULL, NULL, &status,
				   NULL));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static gboolean is_fuse_mount(const char *path)
{
	struct statfs s;

	return statfs(path, &s) == 0 && s.f_type == 0x65735546;
}

/* systemd-analyze verify accepts both units, with ExecStart pointing at the built wksfs
 * (it checks that the binary exists); and it would refuse a mount unit whose name is not
 * its Where=. */
static void test_units_verify(void)
{
	g_autofree char *analyze = g_find_program_in_path("systemd-analyze");
	g_autofree char *dir = g_dir_make_tmp("wksfs-units-XXXXXX", NULL);

	if (!analyze) {
		g_test_skip("systemd-analyze (package systemd) is not installed");
		return;
	}
	for (const char *const *u = (const char *const[]){ "wksfs.service", "mnt-wks.mount",
							   "mnt-x.mount", NULL }; *u; u++) {
		const char *src = g_str_equal(*u, "mnt-x.mount") ? "mnt-wks.mount" : *u;
		g_autofree char *path = example(src), *text = NULL, *fixed = NULL;
		g_autofree char *copy = g_build_filename(dir, *u, NULL);
		g_autofree char *cmd = g_strdup_printf("systemd-analyze verify '%s' >&2", copy);

		g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
		fixed = replace(text, "/usr/local/bin/wksfs", g_getenv("WKSFS_BIN"));
		g_assert_true(g_file_set_contents(copy, fixed, -1, NULL));
		g_assert_cmpint(sh(cmd, NULL), ==, g_str_equal(*u, "mnt-x.mount") ? 1 : 0);
		unlink(copy);
	}
	rmdir(dir);
}

/* The service is started once ExecStartPost returns: it returns 0 as soon as the tenant is
 * mounted, and fails (when its timeout ends) while the mount point is a plain directory. */
static void test_service_waits_for_mount(void)
{
	g_autofree char *post = unit_value("wksfs.service", "ExecStartPost");
	g_autofree char *start = unit_value("wksfs.service", "ExecStart");
	Mount *m;

	g_assert_nonnull(post);
	g_assert_nonnull(start);
	g_assert_nonnull(strstr(start, "/usr/local/bin/wksfs /mnt/wks -f "));	/* foreground */
	g_assert_null(strchr(post, '$'));	/* no systemd variable expansion to undo */
	g_assert_true(g_str_has_prefix(post, "/usr/bin/timeout 30 "));
	m = harness_emulator_or_skip(NULL);
	if (!m)
		return;
	g_autofree char *at_mnt = replace(post, "/mnt/wks", m->mnt);
	g_autofree char *short_wait = replace(at_mnt, "timeout 30 ", "timeout 1 ");
	gint64 t0 = g_get_monotonic_time();

	/* Not mounted yet: it waits, and fails at its timeout (124). */
	g_assert_cmpint(sh(short_wait, NULL), ==, 124);
	g_assert_cmpint(g_get_monotonic_time() - t0, >=, G_USEC_PER_SEC);
	g_assert_true(harness_mount(m, NULL));
	t0 = g_get_monotonic_time();
	g_assert_cmpint(sh(at_mnt, NULL), ==, 0);
	g_assert_cmpint(g_get_monotonic_time() - t0, <, G_USEC_PER_SEC);
	harness_stop(m);
}

/* The mount unit's What=, Where= and Type= with its Options= (the tenant's own region and
 * credentials file swapped for the emulator's endpoint and the environment's keys), as
 * systemd runs them (mount(8) -> mount.fuse3): mounted by the time it returns. */
static void test_mount_unit(void)
{
	g_autofree char *what = unit_value("mnt-wks.mount", "What");
	g_autofree char *where = unit_value("mnt-wks.mount", "Where");
	g_autofree char *type = unit_value("mnt-wks.mount", "Type");
	g_autofree char *options = unit_value("mnt-wks.mount", "Options");
	g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) opts = NULL;
	Mount *m;

	g_assert_cmpstr(what, ==, "wksfs");
	g_assert_cmpstr(where, ==, "/mnt/wks");
	g_assert_cmpstr(type, ==, "fuse.wksfs");
	g_assert_nonnull(options);
	if (!g_file_test("/sbin/mount.fuse3", G_FILE_TEST_IS_EXECUTABLE)) {
		g_test_skip("/sbin/mount.fuse3 (package fuse3) is not installed");
		return;
	}
	m = harness_emulator_or_skip(NULL);
	if (!m)
		return;
	g_autofree char *bindir = g_path_get_dirname(g_getenv("WKSFS_BIN"));
	g_autofree char *path = g_strconcat(bindir, ":", g_getenv("PATH"), NULL);
	g_autofree char *endpoint = harness_endpoint(m);
	g_autofree char *audit = g_build_filename(m->workdir, "audit", NULL);
	g_autofree char *joined = NULL, *out = NULL, *err = NULL;
	int status = -1;

	opts = g_strsplit(options, ",", -1);
	for (guint i = 0; opts[i]; i++) {
		if (g_str_has_prefix(opts[i], "region=") ||
		    g_str_has_prefix(opts[i], "credentials_file="))
			continue;
		if (g_str_has_prefix(opts[i], "audit_file="))
			g_ptr_array_add(kept, g_strconcat("audit_file=", audit, NULL));
		else
			g_ptr_array_add(kept, g_strdup(opts[i]));
	}
	g_ptr_array_add(kept, g_strconcat("endpoint=", endpoint, NULL));
	g_ptr_array_add(kept, NULL);
	joined = g_strjoinv(",", (char **)kept->pdata);
	harness_setenv(m, "PATH", path);

	const char *argv[] = { "/sbin/mount.fuse3", what, m->mnt, "-t", type, "-o", joined,
			       NULL };

	g_assert_true(g_spawn_sync(NULL, (char **)argv, m->env, 0, NULL, NULL, &out, &err,
				   &status, NULL));
	g_test_message("mount.fuse3 -o %s: %s%s", joined, out, err);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);
	g_assert_true(is_fuse_mount(m->mnt));	/* at once: no waiting */
	g_autofree char *version = harness_read(m, ".wksfs/version");

	g_assert_nonnull(version);
	g_autofree char *umount = g_strdup_printf("fusermount3 -u '%s'", m->mnt);

	g_assert_cmpint(sh(umount, NULL), ==, 0);
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/units/verify", test_units_verify);
	g_test_add_func("/units/service-waits-for-mount", test_service_waits_for_mount);
	g_test_add_func("/units/mount-unit", test_mount_unit);
	return g_test_run();
}
