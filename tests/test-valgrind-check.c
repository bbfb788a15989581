/* test-valgrind-check.c — harness_valgrind_check() (harness-valgrind.c) on memcheck logs as
 * valgrind writes them: a clean log passes and is removed, an error or a block definitely
 * lost fails the test (in a subprocess) and keeps the log, a child's empty log is not
 * counted, and without WKSFS_VALGRIND nothing is read. */
#include <glib/gstdio.h>
#include <string.h>

#include "tests/harness.h"

#define CLEAN "==4242== Memcheck, a memory error detector\n" \
	"==4242== HEAP SUMMARY:\n" \
	"==4242==     in use at exit: 18,804 bytes in 9 blocks\n" \
	"==4242== LEAK SUMMARY:\n" \
	"==4242==    definitely lost: 0 bytes in 0 blocks\n" \
	"==4242==    indirectly lost: 0 bytes in 0 blocks\n" \
	"==4242==      possibly lost: 0 bytes in 0 blocks\n" \
	"==4242== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
#define INVALID "==4243== Invalid read of size 8\n" \
	"==4243==    at 0x10A2B3: fs_node_free (node.c:88)\n" \
	"==4243== ERROR SUMMARY: 2 errors from 1 contexts (suppressed: 0 from 0)\n"
#define LEAK "==4244== 1,024 bytes in 1 blocks are definitely lost in loss record 7 of 9\n" \
	"==4244== LEAK SUMMARY:\n" \
	"==4244==    definitely lost: 1,024 bytes in 1 blocks\n" \
	"==4244== ERROR SUMMARY: 0 errors from 0 contexts (suppressed: 0 from 0)\n"
/* Killed before its summary, an error already reported. */
#define KILLED "==4245== Conditional jump or move depends on uninitialised value(s)\n" \
	"==4245==    at 0x10C0DE: render_value (render.c:12)\n"

static char *workdir_with(const char *name, const char *log)
{
	char *dir = g_dir_make_tmp("wksfs-vgcheck-XXXXXX", NULL);
	g_autofree char *path = g_build_filename(dir, name, NULL);

	g_assert_nonnull(dir);
	g_assert_true(g_file_set_contents(path, log, -1, NULL));
	return dir;
}

static void remove_all(const char *dir)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const char *name;

	while (d && (name = g_dir_read_name(d))) {
		g_autofree char *path = g_build_filename(dir, name, NULL);

		g_unlink(path);
	}
	g_rmdir(dir);
}

static void test_clean(void)
{
	g_autofree char *dir = workdir_with("vg.4242", CLEAN);
	g_autofree char *log = g_build_filename(dir, "vg.4242", NULL);

	g_setenv("WKSFS_VALGRIND", "1", TRUE);
	harness_valgrind_check(dir);
	g_assert_false(g_test_failed());
	g_assert_false(g_file_test(log, G_FILE_TEST_EXISTS));
	remove_all(dir);
}

/* The child: the check of the log named by the parent's environment. */
static void check_in_child(const char *name, const char *log, const char *want_out)
{
	g_autofree char *dir = workdir_with(name, log);
	g_autofree char *kept = g_strconcat(dir, "/", name, ".failed", NULL);
	g_autofree char *results = g_build_filename(dir, "results.txt", NULL);
	g_autofree char *text = NULL;

	g_setenv("WKSFS_VALGRIND", "1", TRUE);
	g_setenv("WKSFS_VGCHECK_DIR", dir, TRUE);
	g_setenv("WKSFS_VALGRIND_RESULTS", results, TRUE);
	g_test_trap_subprocess("/valgrind-check/child", 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
	g_unsetenv("WKSFS_VALGRIND_RESULTS");
	g_test_trap_assert_failed();
	g_assert_true(g_file_test(kept, G_FILE_TEST_EXISTS));
	/* The logfmt line the suite's results are made of. */
	g_assert_true(g_file_get_contents(results, &text, NULL, NULL));
	g_test_message("%s", text);
	g_assert_true(g_pattern_match_simple(want_out, text));
	remove_all(dir);
}

static void test_child(void)
{
	if (!g_test_subprocess()) {
		g_test_skip("run by the other tests in a subprocess");
		return;
	}
	harness_valgrind_check(g_getenv("WKSFS_VGCHECK_DIR"));
	if (g_test_failed())
		exit(1);
}

static void test_invalid_read(void)
{
	check_in_child("vg.4243", INVALID, "test=test-valgrind-check *errors=2 definitely_lost=0 *");
}

static void test_definitely_lost(void)
{
	check_in_child("vg.4244", LEAK, "test=test-valgrind-check *errors=0 definitely_lost=1024 *");
}

static void test_killed_with_error(void)
{
	check_in_child("vg.4245", KILLED,
		       "test=test-valgrind-check *errors=1 definitely_lost=0 error_reports=1*");
}

/* A fork's child that exec'd (fusermount3) leaves an empty log: said, not counted. */
static void test_child_log(void)
{
	g_autofree char *dir = workdir_with("vg.4246", "");

	g_setenv("WKSFS_VALGRIND", "1", TRUE);
	harness_valgrind_check(dir);
	g_assert_false(g_test_failed());
	remove_all(dir);
}

static void test_not_under_valgrind(void)
{
	g_autofree char *dir = workdir_with("vg.4243", INVALID);
	g_autofree char *log = g_build_filename(dir, "vg.4243", NULL);

	g_unsetenv("WKSFS_VALGRIND");
	harness_valgrind_check(dir);
	g_assert_false(g_test_failed());
	g_assert_true(g_file_test(log, G_FILE_TEST_EXISTS));
	remove_all(dir);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	if (!g_test_subprocess())
		g_unsetenv("WKSFS_VALGRIND_RESULTS");
	g_test_add_func("/valgrind-check/clean", test_clean);
	g_test_add_func("/valgrind-check/invalid-read", test_invalid_read);
	g_test_add_func("/valgrind-check/definitely-lost", test_definitely_lost);
	g_test_add_func("/valgrind-check/killed-with-error", test_killed_with_error);
	g_test_add_func("/valgrind-check/child-log", test_child_log);
	g_test_add_func("/valgrind-check/not-under-valgrind", test_not_under_valgrind);
	g_test_add_func("/valgrind-check/child", test_child);
	return g_test_run();
}
