/* fuzz-path.c — path parsing (fs/path.c): which node a mount path names.
 *
 * Invariants: only 0 or -ENOENT, and nothing returned on -ENOENT; a parsed path is one of
 * the tree's shapes with exactly the parts that shape has, no part empty, ".", ".." or
 * holding a '/' (but the path below /.wksfs), and printing the parts back (the names
 * escaped) gives the path itself, less one trailing '/': one path, one node, and no path
 * reaches outside its directory.
 */
#include <errno.h>
#include <string.h>

#include "fs/path.h"
#include "fuzz/fuzz.h"

static void check_segment(const char *what, const char *s, gboolean slash_ok)
{
	FUZZ_CHECK(s && s[0], "%s missing or empty", what);
	FUZZ_CHECK(strcmp(s, ".") != 0 && strcmp(s, "..") != 0, "%s is %s", what, s);
	if (!slash_ok)
		FUZZ_CHECK(!strchr(s, '/'), "%s \"%s\" holds a '/'", what, s);
}

static void append_escaped(GString *out, const char *name)
{
	g_autofree char *e = fs_escape_name(name);

	FUZZ_CHECK(e != NULL, "a parsed name has no escape");
	g_string_append_c(out, '/');
	g_string_append(out, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *s = g_strndup((const char *)data, size);
	g_autoptr(GString) back = g_string_new(NULL);
	g_autofree char *want = NULL;
	FsPath *sentinel = (FsPath *)&back, *p = sentinel;
	int rc = fs_path_parse(s, &p);
	g_autoptr(FsPath) owned = NULL;

	FUZZ_CHECK(rc == 0 || rc == -ENOENT, "rc %d", rc);
	if (rc < 0) {
		FUZZ_CHECK(p == sentinel, "ret_path set on failure");
		return 0;
	}
	owned = p;
	FUZZ_CHECK(s[0] == '/', "a relative path parsed");
	switch (p->type) {
	case FS_NODE_ROOT:
		FUZZ_CHECK(!p->kind && !p->name && !p->file && !p->entry && !p->sub, "root parts");
		break;
	case FS_NODE_META_DIR:
	case FS_NODE_META_FILE:
		FUZZ_CHECK(!p->kind && !p->name && !p->entry && !p->sub, "meta parts");
		g_string_append(back, "/.wksfs");
		if (p->type == FS_NODE_META_FILE) {
			gchar **parts = g_strsplit(p->file, "/", -1);

			FUZZ_CHECK(g_strv_length(parts) <= 2, "meta file too deep: %s", p->file);
			for (guint i = 0; parts[i]; i++)
				check_segment("a meta segment", parts[i], FALSE);
			g_strfreev(parts);
			g_string_append_printf(back, "/%s", p->file);
		} else {
			FUZZ_CHECK(!p->file, "meta dir with a file");
		}
		break;
	case FS_NODE_KIND_FILE:
		check_segment("kind", p->kind, FALSE);
		check_segment("collection file", p->file, FALSE);
		FUZZ_CHECK(p->file[0] == '.', "a collection file not starting with '.'");
		FUZZ_CHECK(!p->name && !p->entry && !p->sub, "kind file parts");
		g_string_append_printf(back, "/%s/%s", p->kind, p->file);
		break;
	case FS_NODE_KIND_DIR:
	case FS_NODE_OBJECT_DIR:
	case FS_NODE_OBJECT_FILE:
	case FS_NODE_DEEP:
	case FS_NODE_DEEPER:
		check_segment("kind", p->kind, FALSE);
		FUZZ_CHECK(strcmp(p->kind, ".wksfs") != 0, ".wksfs parsed as a kind");
		g_string_append_printf(back, "/%s", p->kind);
		FUZZ_CHECK((p->name != NULL) == (p->type >= FS_NODE_OBJECT_DIR), "name");
		FUZZ_CHECK((p->file != NULL) == (p->type >= FS_NODE_OBJECT_FILE), "file");
		FUZZ_CHECK((p->entry != NULL) == (p->type >= FS_NODE_DEEP), "entry");
		FUZZ_CHECK((p->sub != NULL) == (p->type == FS_NODE_DEEPER), "sub");
		/* Unescaped names may hold '/': they are API names, never path segments. */
		if (p->name)
			append_escaped(back, p->name);
		if (p->file)
			append_escaped(back, p->file);
		if (p->entry)
			append_escaped(back, p->entry);
		if (p->sub)
			append_escaped(back, p->sub);
		break;
	default:
		FUZZ_CHECK(FALSE, "unknown node type %d", p->type);
	}
	want = g_strdup(s);
	if (strlen(want) > 1 && want[strlen(want) - 1] == '/')
		want[strlen(want) - 1] = '\0';
	if (p->type == FS_NODE_ROOT)
		g_string_assign(back, "/");
	FUZZ_CHECK(strcmp(back->str, want) == 0, "\"%s\" parsed, prints back as \"%s\"", s,
		   back->str);
	return 0;
}
