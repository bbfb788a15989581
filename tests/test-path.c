/* test-path.c — path parsing and the reversible escaping of names (table-driven). */
#include "fs/path.h"

#include <errno.h>
#include <string.h>

static void test_escape(void)
{
	static const struct {
		const char *name, *file;
	} cases[] = {
		{ "desk-01", "desk-01" },
		{ "a/b", "a%2Fb" },
		{ "100%", "100%25" },
		{ ".hidden", "%2Ehidden" },
		{ "..", "%2E." },
		{ "a.b", "a.b" },
		{ "tab\there", "tab%09here" },
		{ "nl\n", "nl%0A" },
		{ "del\x7f", "del%7F" },
		{ "\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9" },
		{ "%2F", "%252F" },
		/* The duplicate suffix (src/listing.c): 0xFF is in no UTF-8 text. */
		{ "twin\xff" "2", "twin%FF2" },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autofree char *esc = fs_escape_name(cases[i].name);
		g_autofree char *back = fs_unescape_name(esc);

		g_assert_cmpstr(esc, ==, cases[i].file);
		g_assert_cmpstr(back, ==, cases[i].name);
	}
	g_assert_null(fs_escape_name(""));
}

/* A name longer than NAME_MAX once escaped has no file name at all. */
static void test_escape_name_max(void)
{
	g_autofree char *fits = g_strnfill(85, '/');	/* 255 bytes escaped */
	g_autofree char *over = g_strnfill(86, '/');
	g_autofree char *long_plain = g_strnfill(256, 'a');
	g_autofree char *esc = fs_escape_name(fits);

	g_assert_cmpuint(strlen(esc), ==, 255);
	g_assert_null(fs_escape_name(over));
	g_assert_null(fs_escape_name(long_plain));
}

static void test_unescape_rejects(void)
{
	/* Only the canonical escape of a name is accepted back: one object, one path. */
	static const char *const bad[] = {
		"%2f", "%41", "a%", "a%4", "%zz", "%00", ".hidden", "%2e", "a/b",
	};

	for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
		char *got = fs_unescape_name(bad[i]);

		if (got)
			g_test_fail_printf("%s unescaped to %s", bad[i], got);
		g_free(got);
	}
}

static void test_parse(void)
{
	static const struct {
		const char *path;
		int rc;
		FsNodeType type;
		const char *kind, *name, *file;
	} cases[] = {
		{ "/", 0, FS_NODE_ROOT, NULL, NULL, NULL },
		{ "/.wksfs", 0, FS_NODE_META_DIR, NULL, NULL, NULL },
		{ "/.wksfs/version", 0, FS_NODE_META_FILE, NULL, NULL, "version" },
		{ "/desktops", 0, FS_NODE_KIND_DIR, "desktops", NULL, NULL },
		{ "/desktops/", 0, FS_NODE_KIND_DIR, "desktops", NULL, NULL },
		{ "/desktops/abc", 0, FS_NODE_OBJECT_DIR, "desktops", "abc", NULL },
		{ "/users/a%2Fb/email", 0, FS_NODE_OBJECT_FILE, "users", "a/b", "email" },
		{ "/users/%2Ex/info.json", 0, FS_NODE_OBJECT_FILE, "users", ".x", "info.json" },
		{ "/desktops/a/users/c", 0, FS_NODE_DEEP, "desktops", "a", "users" },
		/* A collection's own file: no object's escaped name starts with '.'. */
		{ "/users/.create", 0, FS_NODE_KIND_FILE, "users", NULL, ".create" },
		{ "/users/.create/x", -ENOENT },
		{ "/users/.x/email", -ENOENT },
		{ "/desktops/a/b/c/d", 0, FS_NODE_DEEPER, "desktops", "a", "b" },
		{ "/desktops/a/b/c/d/e", -ENOENT },
		{ "/desktops/a/b/c/%zz", -ENOENT },
		{ "/.wksfs/stats/api_calls", 0, FS_NODE_META_FILE, NULL, NULL, "stats/api_calls" },
		{ "/.wksfs/a/b/c", -ENOENT },
		{ "/desktops/%zz", -ENOENT },
		{ "/desktops/%41", -ENOENT },
		{ "/desktops//x", -ENOENT },
		{ "/desktops/../users", -ENOENT },
		{ "relative", -ENOENT },
	};

	for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(FsPath) p = NULL;
		int rc = fs_path_parse(cases[i].path, &p);

		g_assert_cmpint(rc, ==, cases[i].rc);
		if (rc < 0)
			continue;
		g_assert_cmpint(p->type, ==, cases[i].type);
		g_assert_cmpstr(p->kind, ==, cases[i].kind);
		g_assert_cmpstr(p->name, ==, cases[i].name);
		g_assert_cmpstr(p->file, ==, cases[i].file);
		if (p->type == FS_NODE_DEEP || p->type == FS_NODE_DEEPER)
			g_assert_cmpstr(p->entry, ==, "c");
		if (p->type == FS_NODE_DEEPER)
			g_assert_cmpstr(p->sub, ==, "d");
	}
}

int main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/path/escape", test_escape);
	g_test_add_func("/path/escape-name-max", test_escape_name_max);
	g_test_add_func("/path/unescape-rejects", test_unescape_rejects);
	g_test_add_func("/path/parse", test_parse);
	return g_test_run();
}
