/* test-hostile-input.c — what a local user can throw at the mount (issue 11, "Hostile local
 * input"): garbage, 1 MB, binary and NUL-containing writes; writes at offsets and with
 * O_APPEND; concurrent writers on one field file; and every refused operation (touch, mkdir,
 * mv, chmod, chown, ln, ln -s, setfattr, mknod, truncate, rmdir, rm) on each kind of node,
 * table-driven. Each cell asserts the exact errno, that nothing reached the API (the
 * emulator's counters) and that the daemon still serves.
 */
#include "tests/harness.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#define R_USER_PUT "PUT /v2/{project_id}/users/{user_id}"

/* The first name of a directory that is not a control file (.create). */
static char *first(Mount *m, const char *rel)
{
	g_autoptr(GPtrArray) names = harness_list(m, rel);

	g_assert_cmpuint(names->len, >, 0);
	return g_strdup(names->pdata[0]);
}

static char *user_email(Mount *m, const char *user)
{
	g_autofree char *path = g_strdup_printf("/__emulator/state/users/%s", user);
	cJSON *state = harness_emu_get(m, path);
	char *v = g_strdup(cJSON_GetStringValue(cJSON_GetObjectItem(state, "user_email")));

	cJSON_Delete(state);
	return v;
}

/* The daemon is alive and answers. */
static void assert_serving(Mount *m)
{
	g_autofree char *version = harness_read(m, ".wksfs/version");
	struct stat st;

	g_assert_cmpint(kill(m->fs_pid, 0), ==, 0);
	g_assert_nonnull(version);
	g_assert_no_errno(stat(m->mnt, &st));
}

static int open_rel(Mount *m, const char *rel, int flags)
{
	g_autofree char *path = harness_path(m, rel);

	return open(path, flags);
}

/* write() of len bytes: its size, or -errno. */
static gssize put(int fd, const void *data, gsize len)
{
	gssize n = write(fd, data, len);

	return n < 0 ? -errno : n;
}

/* How many times needle is in text. */
static guint count_of(const char *text, const char *needle)
{
	guint n = 0;

	for (const char *p = strstr(text, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* ---- the table ---- */

typedef enum {
	OP_TOUCH,	/* touch FILE on an existing node: utimensat(NULL) */
	OP_OPEN_W,	/* open(O_WRONLY) and close, nothing written */
	OP_CREATE,	/* touch DIR/newfile: open(O_CREAT) of a new name */
	OP_MKDIR,	/* mkdir DIR/newdir, or mkdir FILE */
	OP_MV,		/* mv NODE NODE2 */
	OP_CHMOD,
	OP_CHOWN,
	OP_LN,		/* ln NODE DIR/hard (the node's own dir for a file) */
	OP_LN_S,	/* ln -s x DIR/sym, or ln -s x FILE */
	OP_SETFATTR,	/* setfattr -n user.x -v 1 NODE */
	OP_MKNOD,	/* mknod DIR/fifo p, or mknod FILE p */
	OP_TRUNCATE,	/* truncate -s0 NODE (by path) */
	OP_RMDIR,
	OP_RM,
	N_OPS
} Op;

static const char *const op_names[N_OPS] = { "touch", "open-w", "create", "mkdir", "mv",
	"chmod", "chown", "ln", "ln-s", "setfattr", "mknod", "truncate", "rmdir", "rm" };

/* SKIP: not a refused operation here (it works and changes something, e.g. creating a tag);
 * OK: succeeds and sends nothing. */
#define SKIP (-1)
#define OK 0

typedef struct {
	const char *name;
	const char *rel;	/* with %D (a desktop) and %U (a user) filled in */
	gboolean dir;
	int want[N_OPS];
} NodeRow;

/* A directory: its entries cannot be created, renamed, or linked; the kernel refuses hard
 * links to directories (EPERM) and opening one for writing (EISDIR). */
#define DIR_ROW(rmdir_errno) { EPERM, EISDIR, EACCES, EACCES, EACCES, EPERM, EPERM, EPERM, \
			       EACCES, EPERM, EACCES, EISDIR, rmdir_errno, EISDIR }
/* A read-only file: no writing, no truncating, and its name exists (EEXIST). */
#define RO_ROW { EPERM, EACCES, ENOTDIR, EEXIST, EACCES, EPERM, EPERM, EACCES, EEXIST, EPERM, \
		 EEXIST, EACCES, ENOTDIR, EACCES }
/* A writable file (a field, an action, .create, ctl): touch and an open without writes are
 * no-ops that send nothing; truncating a field sends its value (not tried here). */
#define RW_ROW(trunc) { OK, OK, ENOTDIR, EEXIST, EACCES, EPERM, EPERM, EACCES, EEXIST, EPERM, \
			EEXIST, trunc, ENOTDIR, EACCES }

static const NodeRow rows[] = {
	/* The root is the mount point: the kernel refuses renaming and removing it. */
	{ "root", "", TRUE, { EPERM, EISDIR, EACCES, EACCES, EBUSY, EPERM, EPERM, EPERM, EACCES,
			      EPERM, EACCES, EISDIR, EBUSY, EISDIR } },
	{ "collection", "users", TRUE, DIR_ROW(EPERM) },
	{ "read-only collection", "images", TRUE, DIR_ROW(EPERM) },
	/* Without allow_delete, rmdir of an object is EPERM (and audited). */
	{ "object dir", "users/%U", TRUE, DIR_ROW(EPERM) },
	{ "desktop dir", "desktops/%D", TRUE, DIR_ROW(EPERM) },
	{ "field file", "users/%U/email", FALSE, RW_ROW(SKIP) },
	{ "read-only file", "users/%U/info.json", FALSE, RO_ROW },
	{ "read-only scalar", "desktops/%D/status", FALSE, RO_ROW },
	{ "action", "desktops/%D/action", FALSE, RW_ROW(OK) },
	{ ".create", "users/.create", FALSE, RW_ROW(OK) },
	{ "/.wksfs file", ".wksfs/version", FALSE, RO_ROW },
	{ "/.wksfs/errors", ".wksfs/errors", FALSE, RO_ROW },
	{ "/.wksfs/ctl", ".wksfs/ctl", FALSE, RW_ROW(OK) },
	{ "/.wksfs dir", ".wksfs", TRUE, DIR_ROW(EPERM) },
	{ "/.wksfs/stats", ".wksfs/stats", TRUE, DIR_ROW(EPERM) },
	/* A tag directory takes new files (tags); everything else is refused. */
	{ "tags dir", "desktops/%D/tags", TRUE, { EPERM, EISDIR, SKIP, EACCES, EACCES, EPERM,
						  EPERM, EPERM, EACCES, EPERM, EACCES, EISDIR,
						  EPERM, EISDIR } },
	{ "link dir", "desktops/%D/users", TRUE, DIR_ROW(EPERM) },
	{ "view dir", "desktops-by-name", TRUE, DIR_ROW(EPERM) },
	/* A symlink: the l* calls act on it, not on its target (chmod has none: skipped);
	 * a new name below it is one in the user's directory. */
	{ "link", "desktops/%D/users/%U", FALSE, { EPERM, ELOOP, EACCES, EEXIST, EACCES, SKIP,
						    EPERM, EACCES, EEXIST, EPERM, EEXIST, SKIP,
						    ENOTDIR, EACCES } },
	{ ".jsonl", "desktops.jsonl", FALSE, RO_ROW },
	{ "README", "README", FALSE, RO_ROW },
};

/* What one operation on path gives: 0 or the errno. */
static int run_op(Op op, const char *path, gboolean dir)
{
	g_autofree char *parent = g_path_get_dirname(path);
	g_autofree char *inside = NULL;
	g_autofree char *other = g_strconcat(path, "2", NULL);
	int rc = 0, fd;

	switch (op) {
	case OP_TOUCH:
		rc = utimensat(AT_FDCWD, path, NULL, AT_SYMLINK_NOFOLLOW);
		break;
	case OP_OPEN_W:
		fd = open(path, O_WRONLY | O_NOFOLLOW);
		rc = fd < 0 ? -1 : close(fd);
		break;
	case OP_CREATE:
		inside = g_build_filename(path, "newfile", NULL);
		fd = open(inside, O_WRONLY | O_CREAT, 0644);
		rc = fd < 0 ? -1 : close(fd);
		break;
	case OP_MKDIR:
		inside = dir ? g_build_filename(path, "newdir", NULL) : g_strdup(path);
		rc = mkdir(inside, 0755);
		break;
	case OP_MV:
		rc = rename(path, other);
		break;
	case OP_CHMOD:
		rc = chmod(path, 0600);
		break;
	case OP_CHOWN:
		rc = lchown(path, 1, 1);
		break;
	case OP_LN:
		inside = g_build_filename(dir ? path : parent, "hard", NULL);
		rc = linkat(AT_FDCWD, path, AT_FDCWD, inside, 0);
		break;
	case OP_LN_S:
		inside = dir ? g_build_filename(path, "sym", NULL) : g_strdup(path);
		rc = symlink("x", inside);
		break;
	case OP_SETFATTR:
		rc = lsetxattr(path, "user.x", "1", 1, 0);
		break;
	case OP_MKNOD:
		inside = dir ? g_build_filename(path, "fifo", NULL) : g_strdup(path);
		rc = mknod(inside, S_IFIFO | 0600, 0);
		break;
	case OP_TRUNCATE:
		rc = truncate(path, 0);
		break;
	case OP_RMDIR:
		rc = rmdir(path);
		break;
	case OP_RM:
		rc = unlink(path);
		break;
	default:
		g_assert_not_reached();
	}
	return rc < 0 ? errno : 0;
}

static char *fill(const char *rel, const char *desktop, const char *user)
{
	g_autofree char *d = NULL;
	g_auto(GStrv) parts = g_strsplit(rel, "%D", -1);

	d = g_strjoinv(desktop, parts);
	g_auto(GStrv) uparts = g_strsplit(d, "%U", -1);
	return g_strjoinv(user, uparts);
}

/* Every refused operation on every kind of node: the exact errno, nothing sent, the tree
 * unchanged, the daemon serving. */
static void test_refused_table(void)
{
	const char *args[] = { "--desktops", "2", "--users", "2", "--seed", "11", NULL };
	Mount *m = harness_start(args, "ttl=60");
	g_autoptr(GString) wrong = g_string_new(NULL);
	guint cells = 0;

	if (!m)
		return;
	g_autofree char *desktop = first(m, "desktops");
	g_autofree char *dir = g_strdup_printf("desktops/%s/users", desktop);
	g_autofree char *user = first(m, dir);	/* a user the desktop links to */
	g_autoptr(GPtrArray) root_before = harness_list(m, "");

	for (gsize r = 0; r < G_N_ELEMENTS(rows); r++) {
		const NodeRow *row = &rows[r];
		g_autofree char *rel = fill(row->rel, desktop, user);
		g_autofree char *path = harness_path(m, rel);

		for (int op = 0; op < N_OPS; op++) {
			int want = row->want[op], got;

			if (want == SKIP)
				continue;
			harness_reset_stats(m);
			got = run_op((Op)op, path, row->dir);
			if (got != want)
				g_string_append_printf(wrong, "\n%s (%s) %s: %s, want %s",
						       row->name, rel, op_names[op],
						       got ? g_strerror(got) : "ok",
						       want ? g_strerror(want) : "ok");
			if (harness_mutation_count(m) != 0)
				g_string_append_printf(wrong, "\n%s %s sent a mutation",
						       row->name, op_names[op]);
			cells++;
		}
		assert_serving(m);
	}
	g_test_message("%u cells", cells);
	if (wrong->len)
		g_test_fail_printf("cells that differ:%s", wrong->str);
	/* Nothing was made or renamed. */
	g_autoptr(GPtrArray) root_after = harness_list(m, "");
	g_assert_cmpuint(root_after->len, ==, root_before->len);
	g_autofree char *udir = g_strdup_printf("users/%s", user);
	g_autoptr(GPtrArray) files = harness_list(m, udir);
	g_assert_true(g_ptr_array_find_with_equal_func(files, "email", g_str_equal, NULL));
	g_assert_false(g_ptr_array_find_with_equal_func(files, "email2", g_str_equal, NULL));
	harness_stop(m);
}

/* ---- writes ---- */

/* Every kind of file that takes writes (%U / %D filled in). */
static const char *const write_targets[] = {
	"users/%U/email", "users/%U/description", "desktops/%D/computer_name",
	"desktops/%D/action", "users/%U/action", "users/.create", ".wksfs/ctl",
};

/* One write of len bytes to a fresh O_WRONLY|O_TRUNC descriptor of rel: what write() gave
 * (its size or -errno); close's errno in *ret_close (nothing is left to send, so 0). */
static gssize write_once(Mount *m, const char *rel, const void *data, gsize len,
			 int *ret_close)
{
	int fd = open_rel(m, rel, O_WRONLY | O_TRUNC);
	gssize n;

	g_assert_cmpint(fd, >=, 0);
	n = put(fd, data, len);
	*ret_close = close(fd) < 0 ? errno : 0;
	return n;
}

/* Garbage, binary, NUL-containing and 1 MB writes: a clear errno from write() itself, the
 * reason in /.wksfs/errors, nothing sent, and a good value still goes through afterwards. */
static void test_bad_writes(void)
{
	const char *args[] = { "--desktops", "2", "--users", "2", "--seed", "12", NULL };
	Mount *m = harness_start(args, "ttl=60");
	GRand *rand = g_rand_new_with_seed(11);

	if (!m)
		return;
	g_autofree char *desktop = first(m, "desktops");
	g_autofree char *user = first(m, "users");
	g_autofree char *garbage = g_malloc(4096);
	g_autofree char *big = g_malloc(1 << 20);

	for (gsize i = 0; i < 4095; i++)
		garbage[i] = (char)(g_rand_int_range(rand, 1, 256) == '\n' ? 'x'
					: g_rand_int_range(rand, 1, 256));
	garbage[4095] = '\n';
	memset(big, 'a', (1 << 20) - 1);
	big[(1 << 20) - 1] = '\n';
	g_rand_free(rand);

	static const struct {
		const char *what;
		const char *data;
		gsize len;
	} bad[] = {
#define BAD(what, text) { what, text, sizeof(text) - 1 }
		BAD("NUL inside", "a\0b@example.com\n"),
		BAD("only a NUL", "\0\n"),
		BAD("invalid UTF-8", "\xff\xfe\xfd@example.com\n"),
		BAD("control characters", "a\x01\x02\x1b[2J@example.com\n"),
		BAD("two lines", "a@example.com\nb@example.com\n"),
		/* No newline: still refused by write() itself, since no more writing could
		 * make it valid (a shell does not check the close that would send it). */
		BAD("NUL, no newline", "{\"a\0b"),
		BAD("invalid UTF-8, no newline", "{\"ab\xff\xfe"),
#undef BAD
	};
	for (gsize t = 0; t < G_N_ELEMENTS(write_targets); t++) {
		g_autofree char *rel = fill(write_targets[t], desktop, user);
		int close_err;

		harness_reset_stats(m);
		for (gsize b = 0; b < G_N_ELEMENTS(bad); b++) {
			gssize n = write_once(m, rel, bad[b].data, bad[b].len, &close_err);

			if (n != -EINVAL || close_err != 0)
				g_test_fail_printf("%s: %s: write gave %zd (want -EINVAL), close "
						   "%s", rel, bad[b].what, n, g_strerror(close_err));
		}
		g_assert_cmpint(write_once(m, rel, garbage, 4096, &close_err), ==, -EINVAL);
		g_assert_cmpint(close_err, ==, 0);
		/* Over the 64 KiB a line may hold: EFBIG, not a partial value. */
		g_assert_cmpint(write_once(m, rel, big, 1 << 20, &close_err), ==, -EFBIG);
		g_assert_cmpint(close_err, ==, 0);
		/* 1 MB in 4 KiB pieces without a newline: refused once it is too long, and
		 * its tail is not sent at close either. */
		int fd = open_rel(m, rel, O_WRONLY | O_TRUNC);
		gssize last = 0;

		g_assert_cmpint(fd, >=, 0);
		for (gsize off = 0; off < (1 << 20) && last >= 0; off += 4096)
			last = put(fd, big, 4096);
		g_assert_cmpint(last, ==, -EFBIG);
		g_assert_no_errno(close(fd));
		g_assert_cmpint(harness_mutation_count(m), ==, 0);
		assert_serving(m);
		/* Each refusal's reason is in /.wksfs/errors, an overlong line's once. */
		g_autofree char *errors = harness_read(m, ".wksfs/errors");
		g_autofree char *overlong = g_strdup_printf(" /%s 0 - invalid input, not sent: a "
							    "line longer than 65536 bytes", rel);
		g_autofree char *invalid = g_strdup_printf(" /%s 0 - invalid input, not sent: ",
							   rel);
		/* Once per descriptor: the 1 MB write, and the pieces. */
		g_assert_cmpuint(count_of(errors, overlong), ==, 2);
		g_assert_cmpuint(count_of(errors, invalid), >=, G_N_ELEMENTS(bad) + 2);
	}
	/* A character cut between two writes is not invalid: it is sent whole, once. */
	g_autofree char *desc = g_strdup_printf("users/%s/description", user);
	harness_reset_stats(m);
	int fd = open_rel(m, desc, O_WRONLY | O_TRUNC);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, "caf\xc3", 4), ==, 4);
	g_assert_cmpint(put(fd, "\xa9 ok", 4), ==, 4);
	g_assert_cmpint(harness_mutation_count(m), ==, 0);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	g_autofree char *state_path = g_strdup_printf("/__emulator/state/users/%s", user);
	cJSON *state = harness_emu_get(m, state_path);
	g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(state, "description")), ==,
			"caf\xc3\xa9 ok");
	cJSON_Delete(state);
	/* A good value still goes through, once. */
	g_autofree char *email = g_strdup_printf("users/%s/email", user);
	harness_reset_stats(m);
	g_assert_cmpint(harness_write(m, email, "after@example.com\n"), ==, 0);
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	g_autofree char *now = user_email(m, user);
	g_assert_cmpstr(now, ==, "after@example.com");
	harness_stop(m);
}

/* pwrite at an offset, and O_APPEND: offsets are ignored, what is written is the value,
 * sent once (doc/SEMANTICS.md §4). */
static void test_offsets_and_append(void)
{
	const char *args[] = { "--desktops", "1", "--users", "2", "--seed", "13", NULL };
	Mount *m = harness_start(args, "ttl=60");

	if (!m)
		return;
	g_autofree char *user = first(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);
	const char *v1 = "offset@example.com\n", *v2 = "append@example.com\n";

	harness_reset_stats(m);
	int fd = open_rel(m, rel, O_WRONLY);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(pwrite(fd, v1, strlen(v1), 4096), ==, (gssize)strlen(v1));
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 1);
	g_autofree char *e1 = user_email(m, user);
	g_assert_cmpstr(e1, ==, "offset@example.com");

	fd = open_rel(m, rel, O_WRONLY | O_APPEND);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(put(fd, v2, strlen(v2)), ==, (gssize)strlen(v2));
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, 2);
	g_autofree char *e2 = user_email(m, user);
	g_assert_cmpstr(e2, ==, "append@example.com");

	/* A bad value at an offset is refused like any other, and sends nothing. */
	fd = open_rel(m, rel, O_WRONLY | O_APPEND);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(pwrite(fd, "not an address\n", 15, 1 << 20), ==, -1);
	g_assert_cmpint(errno, ==, EINVAL);
	g_assert_no_errno(close(fd));
	g_assert_cmpint(harness_mutation_count(m), ==, 2);
	assert_serving(m);
	harness_stop(m);
}

typedef struct {
	Mount *m;
	const char *rel;
	int shared_fd;		/* -1: each writer opens its own */
	int index;
	gssize result;
} Writer;

static gpointer writer_run(gpointer data)
{
	Writer *w = data;
	g_autofree char *value = w->index % 4 == 3
		? g_strdup_printf("garbage %d\n", w->index)	/* refused, alone */
		: g_strdup_printf("writer%d@example.com\n", w->index);
	int fd = w->shared_fd >= 0 ? w->shared_fd : open_rel(w->m, w->rel, O_WRONLY | O_TRUNC);

	if (fd < 0) {
		w->result = -errno;
		return NULL;
	}
	w->result = put(fd, value, strlen(value));
	if (w->shared_fd < 0)
		close(fd);
	return NULL;
}

/* Writers at once on one field file, each on its own descriptor and all on one shared
 * descriptor: every good line is sent exactly once and its writer told, a bad one fails
 * for its writer alone, and the value left is one of the good ones. */
static void test_concurrent_writers(void)
{
	const char *args[] = { "--desktops", "1", "--users", "2", "--seed", "14", NULL };
	Mount *m = harness_start(args, "ttl=60");
	enum { N = 12 };

	if (!m)
		return;
	g_autofree char *user = first(m, "users");
	g_autofree char *rel = g_strdup_printf("users/%s/email", user);

	for (int shared = 0; shared <= 1; shared++) {
		Writer w[N];
		GThread *t[N];
		int fd = shared ? open_rel(m, rel, O_WRONLY) : -1;
		gint64 good = 0;

		harness_reset_stats(m);
		for (int i = 0; i < N; i++) {
			w[i] = (Writer){ m, rel, fd, i, 0 };
			t[i] = g_thread_new("writer", writer_run, &w[i]);
		}
		for (int i = 0; i < N; i++)
			g_thread_join(t[i]);
		if (fd >= 0)
			g_assert_no_errno(close(fd));
		for (int i = 0; i < N; i++) {
			if (i % 4 == 3) {
				g_assert_cmpint(w[i].result, ==, -EINVAL);
			} else {
				g_assert_cmpint(w[i].result, >, 0);
				good++;
			}
		}
		g_assert_cmpint(harness_route_count(m, R_USER_PUT), ==, good);
		g_assert_cmpint(harness_mutation_count(m), ==, good);
		g_autofree char *now = user_email(m, user);
		g_assert_true(g_str_has_prefix(now, "writer"));
		g_assert_true(g_str_has_suffix(now, "@example.com"));
		assert_serving(m);
	}
	harness_stop(m);
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/hostile-input/refused-table", test_refused_table);
	g_test_add_func("/hostile-input/bad-writes", test_bad_writes);
	g_test_add_func("/hostile-input/offsets-and-append", test_offsets_and_append);
	g_test_add_func("/hostile-input/concurrent-writers", test_concurrent_writers);
	return g_test_run();
}
