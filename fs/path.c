/* path.c — the tree's addressing: which node a path names, and name escaping.
 *
 * Pure functions, no I/O and no knowledge of the API: the FUSE operations ask here what a
 * path is, then ask src/api.h whether it exists.
 *
 *   /                          FS_NODE_ROOT
 *   /.wksfs/<file>[/<file>]    FS_NODE_META_DIR, FS_NODE_META_FILE (file: "stats/x")
 *   /<top>/<name>/<file>       FS_NODE_KIND_DIR, FS_NODE_OBJECT_DIR, FS_NODE_OBJECT_FILE
 *   /<top>/.<file>             FS_NODE_KIND_FILE (a collection's own: .create)
 *   /<top>/<name>/<dir>/<entry>  FS_NODE_DEEP (link directories)
 *   /<top>/<name>/<dir>/<entry>/<file>  FS_NODE_DEEPER (a sub-collection's object's file)
 *
 * Escaping is a bijection between API names and file names: only the canonical escape of a
 * name is accepted back, so one object never has two paths.
 */
#include "fs/path.h"

#include <errno.h>
#include <limits.h>
#include <string.h>

void fs_path_free(FsPath *p)
{
	if (!p)
		return;
	g_free(p->kind);
	g_free(p->name);
	g_free(p->file);
	g_free(p->entry);
	g_free(p->sub);
	g_free(p);
}

static gboolean needs_escape(guchar c, gboolean first)
{
	return c == '/' || c == '%' || c < 0x20 || c == 0x7f || c == 0xff || (first && c == '.');
}

char *fs_escape_name(const char *name)
{
	GString *out;

	if (!name || !name[0])
		return NULL;
	out = g_string_sized_new(strlen(name));
	for (const char *p = name; *p; p++) {
		if (needs_escape((guchar)*p, p == name))
			g_string_append_printf(out, "%%%02X", (guchar)*p);
		else
			g_string_append_c(out, *p);
	}
	/* Longer than a file name may be (NAME_MAX): no path at all, rather than one that
	 * tools cannot copy or archive. */
	if (out->len > NAME_MAX) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

char *fs_unescape_name(const char *s)
{
	GString *out = g_string_sized_new(strlen(s));
	g_autofree char *again = NULL;

	for (const char *p = s; *p; p++) {
		if (*p == '%') {
			int hi = g_ascii_xdigit_value(p[1]);
			int lo = hi < 0 ? -1 : g_ascii_xdigit_value(p[2]);

			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
				g_string_free(out, TRUE);
				return NULL;
			}
			g_string_append_c(out, (char)(hi << 4 | lo));
			p += 2;
		} else {
			g_string_append_c(out, *p);
		}
	}
	again = fs_escape_name(out->str);
	if (!again || strcmp(again, s) != 0) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

int fs_path_parse(const char *path, FsPath **ret_path)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(FsPath) p = g_new0(FsPath, 1);
	guint n;

	if (!path || path[0] != '/')
		return -ENOENT;
	parts = g_strsplit(path + 1, "/", -1);
	n = g_strv_length(parts);
	if (n > 0 && parts[n - 1][0] == '\0')
		n--;	/* "/" itself, or a trailing slash */
	for (guint i = 0; i < n; i++)
		if (!parts[i][0] || strcmp(parts[i], ".") == 0 || strcmp(parts[i], "..") == 0)
			return -ENOENT;

	if (n == 0) {
		p->type = FS_NODE_ROOT;
	} else if (strcmp(parts[0], ".wksfs") == 0) {
		/* The mount's own state: file is the path below /.wksfs ("stats/api_calls"). */
		if (n > 3)
			return -ENOENT;
		p->type = n == 1 ? FS_NODE_META_DIR : FS_NODE_META_FILE;
		if (n >= 2) {
			/* Without the empty part a trailing '/' leaves ("stats/"). */
			g_clear_pointer(&parts[n], g_free);
			p->file = g_strjoinv("/", parts + 1);
		}
	} else {
		if (n > 5)
			return -ENOENT;
		p->kind = g_strdup(parts[0]);
		p->type = FS_NODE_KIND_DIR;
		if (n == 2 && parts[1][0] == '.') {
			/* No object's escaped name starts with '.' (it is %2E). */
			p->file = g_strdup(parts[1]);
			p->type = FS_NODE_KIND_FILE;
		} else if (n >= 2) {
			p->name = fs_unescape_name(parts[1]);
			if (!p->name)
				return -ENOENT;
			p->type = FS_NODE_OBJECT_DIR;
		}
		if (n >= 3) {
			p->file = fs_unescape_name(parts[2]);
			if (!p->file)
				return -ENOENT;
			p->type = FS_NODE_OBJECT_FILE;
		}
		if (n >= 4) {
			p->entry = fs_unescape_name(parts[3]);
			if (!p->entry)
				return -ENOENT;
			p->type = FS_NODE_DEEP;
		}
		if (n == 5) {
			p->sub = fs_unescape_name(parts[4]);
			if (!p->sub)
				return -ENOENT;
			p->type = FS_NODE_DEEPER;
		}
	}
	*ret_path = g_steal_pointer(&p);
	return 0;
}
