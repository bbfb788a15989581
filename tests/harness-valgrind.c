/* harness-valgrind.c — the daemon under a wrapper (WKSFS_WRAPPER, tests/valgrind.sh) and,
 * under valgrind (WKSFS_VALGRIND), its memcheck logs read when the mount stops: a TAP comment
 * per daemon, the test failed on any error or a block definitely lost, one logfmt line per
 * daemon appended to $WKSFS_VALGRIND_RESULTS. Time bounds scale with harness_slowdown().
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

int harness_slowdown(void)
{
	if (g_getenv("WKSFS_VALGRIND"))
		return 20;
	if (g_getenv("WKSFS_SANITIZED"))
		return 4;
	return 1;
}

gboolean harness_under_valgrind(void)
{
	return g_getenv("WKSFS_VALGRIND") != NULL;
}

GPtrArray *harness_wrap_argv(const char *workdir, const char *const *argv)
{
	const char *wrapper = g_getenv("WKSFS_WRAPPER");
	GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
	g_auto(GStrv) words = NULL;
	g_autoptr(GError) error = NULL;

	if (wrapper && *wrapper) {
		if (!g_shell_parse_argv(wrapper, NULL, &words, &error))
			g_error("WKSFS_WRAPPER: %s", error->message);
		char *program = g_find_program_in_path(words[0]);

		if (!program)
			g_error("WKSFS_WRAPPER: %s not found", words[0]);
		g_ptr_array_add(out, program);
		for (guint i = 1; words[i]; i++)
			g_ptr_array_add(out, g_strdup(words[i]));
		if (harness_under_valgrind())
			g_ptr_array_add(out, g_strdup_printf("--log-file=%s/vg.%%p", workdir));
	}
	for (const char *const *a = argv; *a; a++)
		g_ptr_array_add(out, g_strdup(*a));
	g_ptr_array_add(out, NULL);
	return out;
}

/* The number after key in text ("ERROR SUMMARY: 3 errors", "definitely lost: 1,024 bytes"),
 * commas skipped; -1 when key is not there. */
static gint64 number_after(const char *text, const char *key)
{
	const char *p = strstr(text, key);
	gint64 n = 0;

	if (!p)
		return -1;
	for (p += strlen(key); *p == ' '; p++)
		;
	if (!g_ascii_isdigit(*p))
		return -1;
	for (; g_ascii_isdigit(*p) || *p == ','; p++)
		if (*p != ',')
			n = n * 10 + (*p - '0');
	return n;
}

/* Error reports of memcheck that appear as they happen, before any summary (a daemon killed
 * before its summary still shows them). */
static guint error_lines(const char *text)
{
	static const char *const kinds[] = {
		"Invalid read", "Invalid write", "Invalid free", "Conditional jump",
		"Use of uninitialised", "uninitialised byte", "Mismatched free",
		"Source and destination overlap", "Argument 'size' of function",
		"Invalid alignment", "fishy (possibly negative)",
	};
	guint n = 0;

	for (guint i = 0; i < G_N_ELEMENTS(kinds); i++)
		for (const char *p = strstr(text, kinds[i]); p; p = strstr(p + 1, kinds[i]))
			n++;
	return n;
}

static void append_result(const char *line)
{
	const char *file = g_getenv("WKSFS_VALGRIND_RESULTS");
	int fd;

	if (!file)
		return;
	fd = open(file, O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		return;
	if (write(fd, line, strlen(line)) < 0)
		g_test_message("valgrind: cannot append to %s: %s", file, g_strerror(errno));
	close(fd);
}

/* One log: TRUE when it shows nothing wrong (or is a child's, empty). */
static gboolean check_log(const char *path)
{
	g_autofree char *text = NULL;
	g_autofree char *line = NULL;
	g_autofree char *test = g_path_get_basename(g_get_prgname());
	gint64 errors, lost;
	guint seen;

	if (!g_file_get_contents(path, &text, NULL, NULL)) {
		g_test_fail_printf("valgrind log %s unreadable", path);
		return FALSE;
	}
	errors = number_after(text, "ERROR SUMMARY:");
	lost = number_after(text, "definitely lost:");
	seen = error_lines(text);
	if (errors < 0 && seen == 0) {
		/* No summary: a fork's child that exec'd (fusermount3; --child-silent-after-fork
		 * leaves it empty) or a daemon killed with SIGKILL. Said, not counted. */
		g_test_message("valgrind: no summary in %s (%zu bytes): not checked", path,
			       strlen(text));
		return TRUE;
	}
	if (lost < 0)
		lost = 0;	/* "All heap blocks were freed" or no leak check reached */
	if (errors < 0)
		errors = seen;	/* killed before its summary: the reports it made */
	line = g_strdup_printf("test=%s case=%s log=%s errors=%" G_GINT64_FORMAT
			       " definitely_lost=%" G_GINT64_FORMAT " error_reports=%u\n",
			       test, g_test_get_path(), path, errors,
			       lost, seen);
	append_result(line);
	g_test_message("valgrind: errors=%" G_GINT64_FORMAT " definitely_lost=%" G_GINT64_FORMAT
		       " bytes (%s) log=%s", errors, lost,
		       g_test_get_path(), path);
	if (errors > 0 || lost > 0 || seen > 0) {
		g_test_message("---- valgrind log (%s) ----\n%s", path, text);
		g_test_fail_printf("valgrind: %" G_GINT64_FORMAT " errors, %" G_GINT64_FORMAT
				   " bytes definitely lost (%s)", errors, lost, path);
		return FALSE;
	}
	return TRUE;
}

void harness_valgrind_check(const char *workdir)
{
	g_autoptr(GDir) dir = NULL;
	const char *name;
	g_autoptr(GPtrArray) bad = g_ptr_array_new_with_free_func(g_free);

	if (!harness_under_valgrind() || !workdir || !(dir = g_dir_open(workdir, 0, NULL)))
		return;
	while ((name = g_dir_read_name(dir))) {
		g_autofree char *path = NULL;

		if (!g_str_has_prefix(name, "vg.") || g_str_has_suffix(name, ".failed"))
			continue;
		path = g_build_filename(workdir, name, NULL);
		if (check_log(path))
			g_unlink(path);
		else
			g_ptr_array_add(bad, g_steal_pointer(&path));
	}
	/* Kept for the reader, and not read again by the next stop of this work directory. */
	for (guint i = 0; i < bad->len; i++) {
		g_autofree char *to = g_strconcat(bad->pdata[i], ".failed", NULL);

		g_rename(bad->pdata[i], to);
	}
}
