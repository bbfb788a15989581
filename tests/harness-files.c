/* harness-files.c — the mount as its user meets it, for the tests: reading, writing and
 * listing files, a shell in a directory, a .create on one descriptor, another uid's write,
 * the counters in /.wksfs/stats and the kernel-cache assertions. harness.c starts and stops
 * the emulator and the mount and speaks to the emulator's control API.
 */
#include "tests/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *harness_read(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	GString *out = g_string_new(NULL);
	char buf[65536];
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		g_string_append_len(out, buf, n);
	if (n < 0) {
		int err = errno;

		close(fd);
		g_string_free(out, TRUE);
		errno = err;
		return NULL;
	}
	close(fd);
	return g_string_free(out, FALSE);
}

int harness_write(Mount *m, const char *rel, const char *text)
{
	g_autofree char *path = harness_path(m, rel);
	int fd = open(path, O_WRONLY | O_TRUNC);
	int err = 0;
	ssize_t n;

	if (fd < 0)
		return errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		err = errno;
	else if ((size_t)n != strlen(text))
		err = EIO;
	if (close(fd) < 0 && !err)
		err = errno;
	return err;
}

static int compare_names(gconstpointer a, gconstpointer b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

GPtrArray *harness_list(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	DIR *d = opendir(path);
	struct dirent *de;

	if (!d) {
		g_test_fail_printf("opendir %s: %s", rel, g_strerror(errno));
		return names;
	}
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0 &&
		    (de->d_name[0] != '.' || !rel[0] || strcmp(rel, "/") == 0))
			g_ptr_array_add(names, g_strdup(de->d_name));
	closedir(d);
	g_ptr_array_sort(names, compare_names);
	return names;
}

gint64 harness_stat(Mount *m, const char *name)
{
	g_autofree char *rel = g_strconcat(".wksfs/stats/", name, NULL);
	g_autofree char *text = harness_read(m, rel);

	g_assert_nonnull(text);
	return g_ascii_strtoll(text, NULL, 10);
}

gsize harness_size(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	struct stat st;

	g_assert_no_errno(stat(path, &st));
	return (gsize)st.st_size;
}

void harness_assert_cached(Mount *m, const char *rel, const char *want)
{
	static const char *const names[] = { "fuse_reads", "fuse_lookups", "fuse_getattrs",
					     "fuse_opens", "api_calls" };
	gint64 before[G_N_ELEMENTS(names)];

	/* Until the kernel has it all: after pages come from the daemon it asks for the
	 * attributes once more (the cached atime is dropped), and after a change the first
	 * open reads directly while the kernel learns the new version. */
	for (int i = 0; i < 3; i++) {
		gint64 reads = harness_stat(m, "fuse_reads");

		g_free(harness_read(m, rel));
		harness_size(m, rel);
		if (harness_stat(m, "fuse_reads") == reads)
			break;
	}
	for (guint i = 0; i < G_N_ELEMENTS(names); i++)
		before[i] = harness_stat(m, names[i]);
	for (int i = 0; i < 5; i++) {
		g_autofree char *text = harness_read(m, rel);

		g_assert_cmpstr(text, ==, want);
		g_assert_cmpuint(harness_size(m, rel), ==, strlen(want));
	}
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		gint64 want_n = before[i] + (strcmp(names[i], "fuse_opens") == 0 ? 5 : 0);

		g_test_message("%s: %" G_GINT64_FORMAT, names[i], harness_stat(m, names[i]));
		g_assert_cmpint(harness_stat(m, names[i]), ==, want_n);
	}
}

guint harness_assert_listing_cached(Mount *m, const char *dir)
{
	g_autoptr(GPtrArray) first = harness_list(m, dir);
	gint64 readdirs = harness_stat(m, "fuse_readdirs");
	g_autoptr(GPtrArray) again = harness_list(m, dir);

	g_assert_cmpuint(again->len, ==, first->len);
	g_assert_cmpint(harness_stat(m, "fuse_readdirs"), ==, readdirs);
	return first->len;
}

int harness_sh(Mount *m, const char *rel, const char *cmd, char **ret_err)
{
	g_autofree char *dir = harness_path(m, rel ? rel : "");
	g_autofree char *err = NULL;
	const char *argv[] = { "sh", "-c", cmd, NULL };
	g_autoptr(GError) error = NULL;
	int status = -1;

	g_assert_true(g_spawn_sync(dir, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, &err, &status, &error));
	g_assert_no_error(error);
	g_test_message("%s: %s", cmd, err ? err : "");
	if (ret_err)
		*ret_err = g_steal_pointer(&err);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

gboolean harness_listed(Mount *m, const char *rel, const char *name)
{
	g_autoptr(GPtrArray) names = harness_list(m, rel);

	return g_ptr_array_find_with_equal_func(names, name, g_str_equal, NULL);
}

int harness_create_rw(Mount *m, const char *kind, const char *body, char **ret_result)
{
	g_autofree char *rel = g_strdup_printf("%s/.create", kind);
	g_autofree char *path = harness_path(m, rel);
	char buf[4096] = { 0 };
	int fd = open(path, O_RDWR | O_TRUNC);
	ssize_t n;
	int rc = 0;

	g_assert_no_errno(fd);
	if (write(fd, body, strlen(body)) < 0)
		rc = -errno;
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	g_assert_cmpint(n, >=, 0);
	g_assert_no_errno(close(fd));
	*ret_result = g_strndup(buf, (gsize)n);
	return rc;
}

int harness_as_other(const char *path, int fd, const char *text, gboolean remove)
{
	int status = -1;
	pid_t pid = fork();

	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		size_t len = text ? strlen(text) : 0;

		if (setgroups(0, NULL) != 0 ||
		    setresgid(HARNESS_OTHER_GID, HARNESS_OTHER_GID, HARNESS_OTHER_GID) != 0 ||
		    setresuid(HARNESS_OTHER_UID, HARNESS_OTHER_UID, HARNESS_OTHER_UID) != 0)
			_exit(200);
		if (remove)
			_exit(unlink(path) == 0 ? 0 : errno);
		if (fd < 0)
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			_exit(errno);
		if (write(fd, text, len) != (ssize_t)len)
			_exit(errno ? errno : 201);
		_exit(close(fd) == 0 ? 0 : errno);
	}
	if (fd >= 0)
		close(fd);	/* the child holds it now */
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), <, 200);
	return WEXITSTATUS(status);
}

int harness_list_errno(Mount *m, const char *rel)
{
	g_autofree char *path = harness_path(m, rel);
	DIR *d = opendir(path);
	int err;

	if (!d)
		return errno;
	errno = 0;
	while (readdir(d))
		;
	err = errno;
	closedir(d);
	return err;
}

void harness_unmount_only(Mount *m)
{
	const char *argv[] = { "fusermount3", "-u", m->mnt, NULL };
	int status = -1;

	g_assert_true(g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
				   NULL, NULL, &status, NULL));
	g_assert_cmpint(status, ==, 0);
	g_assert_cmpint(waitpid(m->fs_pid, &status, 0), ==, m->fs_pid);
	g_assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	m->fs_pid = 0;
	m->mounted = FALSE;
}
