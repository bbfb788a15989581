/* attr.c — what a path is: its attributes, its directory entries, a symlink's target, and
 * how long the kernel may keep each of them.
 *
 * The kernel's caches are used with exact freshness: an object's names and attributes are
 * kept for as long as the object stays fresh in wksfs's cache (its TTL left), never longer;
 * st_mtime is the data's version (when wksfs first saw these bytes, in ns), so the kernel
 * keeps a file's pages across opens while the bytes are unchanged and drops them as soon as
 * it sees a new version (FUSE_CAP_AUTO_INVAL_DATA). Control files (action, wait, .create,
 * /.wksfs) have no attribute caching at all. Lookups in the rendered objects only: no JSON here.
 */
#include "fs/fs-private.h"

#include <errno.h>
#include <string.h>

#include "fs/path.h"
#include "src/render.h"

/* The root, README, /.wksfs and the collections' names: fixed for the mount's life. */
#define FIXED_S 3600.0

static double secs(gint64 us)
{
	return us > 0 ? (double)us / G_USEC_PER_SEC : 0;
}

static void set_times(struct stat *st, gint64 version_ns, time_t fallback)
{
	struct timespec ts = { fallback, 0 };

	if (version_ns > 0) {
		ts.tv_sec = version_ns / 1000000000;
		ts.tv_nsec = version_ns % 1000000000;
	}
	st->st_mtim = st->st_ctim = st->st_atim = ts;
}

static void fill(FsContext *ctx, struct stat *st, mode_t mode, gsize size, gint64 version)
{
	st->st_mode = mode;
	st->st_nlink = S_ISDIR(mode) ? 2 : 1;
	st->st_uid = ctx->uid;
	st->st_gid = ctx->gid;
	st->st_size = (off_t)size;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
	st->st_blksize = 4096;
	set_times(st, version, ctx->started);
}

static void fixed(FsTimes *t, double attr_s)
{
	t->entry_s = FIXED_S;
	t->attr_s = attr_s;
	t->version = 0;
}

static void object_times(FsTimes *t, const ApiFreshness *f)
{
	t->entry_s = t->attr_s = f->stale ? 0 : secs(f->fresh_us);
	t->version = f->version_ns;
}

int fs_object_file(FsContext *ctx, const ResKind *kind, const char *name, const char *file,
		   GBytes **ret_content, gboolean *ret_writable, gint64 *ret_version)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness f;
	int rc = api_get_object_file(ctx->api, kind, name, file, FALSE, &blob, &f);
	int i;

	if (rc < 0)
		return rc;
	i = render_find(blob, file);
	if (i < 0)
		return -ENOENT;
	if (ret_content)
		*ret_content = render_content(blob, (guint)i);
	if (ret_writable)
		*ret_writable = render_writable(blob, (guint)i);
	if (ret_version)
		*ret_version = f.version_ns;
	return 0;
}

int fs_sub_file(FsContext *ctx, const FsNode *n, GBytes **ret_content, gint64 *ret_version)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness f;
	int rc = api_sub_object(ctx->api, n->kind, n->path->name, n->link, n->path->entry, &blob,
				&f);
	int i;

	if (rc < 0)
		return rc;
	i = render_find(blob, n->path->sub);
	if (i < 0)
		return -ENOENT;
	*ret_content = render_content(blob, (guint)i);
	*ret_version = f.version_ns;
	return 0;
}

/* The name a symlink node points to, checked to exist, and how long that holds. */
static int link_target_name(FsContext *ctx, const FsNode *n, char **ret_name,
			    ApiFreshness *ret_fresh)
{
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GBytes) blob = NULL;
	const FsPath *p = n->path;
	int rc;

	memset(ret_fresh, 0, sizeof(*ret_fresh));
	switch (n->type) {
	case NODE_LINK:
		rc = api_get_object(ctx->api, n->kind, p->name, &blob, ret_fresh);
		if (rc < 0)
			return rc;
		if (!api_link_has(ctx->api, n->kind, p->name, n->link, p->entry))
			return -ENOENT;
		*ret_name = g_strdup(p->entry);
		return 0;
	case NODE_VIEW_KEY:
		rc = api_view_members(ctx->api, n->view, p->name, &names);
		if (rc < 0)
			return rc;
		api_list_peek(ctx->api, res_kind_lookup(n->view->kind), ret_fresh);
		*ret_name = g_strdup(names->pdata[0]);
		return 0;
	case NODE_VIEW_LINK:
		if (!api_view_has(ctx->api, n->view, p->name, p->file))
			return -ENOENT;
		api_list_peek(ctx->api, res_kind_lookup(n->view->kind), ret_fresh);
		*ret_name = g_strdup(p->file);
		return 0;
	default:
		return -EINVAL;
	}
}

void fs_stat_created(FsContext *ctx, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	fill(ctx, st, S_IFREG | 0644, 0, 0);
}

int fs_readlink(FsContext *ctx, const char *path, char **ret_target)
{
	g_autoptr(FsNode) n = NULL;
	g_autofree char *tname = NULL;
	ApiFreshness f;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	rc = link_target_name(ctx, n, &tname, &f);
	if (rc < 0)
		return rc;
	*ret_target = fs_node_link_target(n, tname);
	return *ret_target ? 0 : -EINVAL;
}

int fs_stat(FsContext *ctx, const char *path, FsStatMode mode, struct stat *st, FsTimes *t)
{
	g_autoptr(FsNode) n = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autofree char *target = NULL, *tname = NULL;
	ApiFreshness f;
	gsize size;
	int rc = fs_node_resolve(path, &n), i;
	FsPath *p;

	if (rc < 0)
		return rc;
	p = n->path;
	memset(st, 0, sizeof(*st));
	memset(t, 0, sizeof(*t));
	switch (n->type) {
	case NODE_ROOT:
	case NODE_VIEW:
		fill(ctx, st, S_IFDIR | 0555, 0, 0);
		fixed(t, n->type == NODE_ROOT ? FIXED_S : 0);
		return 0;
	case NODE_KIND:
		/* Fixed attributes: stat never lists a collection (with default_permissions the
		 * kernel asks for them on every path walk). Its cached listing is checked at
		 * opendir instead (fs_dir_check). */
		fill(ctx, st, S_IFDIR | (n->kind->delete ? 0755 : 0555), 0, 0);
		fixed(t, FIXED_S);
		return 0;
	case NODE_JSONL: {
		guint64 lines_size = 0;
		int k = res_kind_index(n->kind);

		/* The exact size of what an open reads now, when the collection is cached and
		 * fresh; else the size last told (0 before the first, as /proc's files): stat
		 * never lists a collection (an `ls -l` of the root would list every one), and
		 * an open reading what it has not been told the size of reads directly (ll.c's
		 * cache_policy), to the end (jq, grep, cat, wc -c, tail and cp read a 0-sized
		 * file to its end). */
		rc = api_lines_stat(ctx->api, n->kind, TRUE, &lines_size, &f);
		if (rc == -EAGAIN) {
			/* Not fresh: the size and version last told (0 before the first read
			 * and after a change), uncached. A 0 here while an open reads the
			 * kernel's pages of that version (keep_cache) cut the reader's file
			 * short: a concurrent `cat` read nothing. An open of another version
			 * reads directly. */
			gint64 version = 0;

			if (k >= 0 && k < API_MAX_KINDS) {
				g_mutex_lock(&ctx->lock);
				lines_size = ctx->jsonl_size[k];
				version = ctx->jsonl_version[k];
				g_mutex_unlock(&ctx->lock);
			}
			fill(ctx, st, S_IFREG | 0444, (gsize)lines_size, version);
			fixed(t, 0);
			t->version = version;
			return 0;
		}
		if (rc < 0)
			return rc;
		if (k >= 0 && k < API_MAX_KINDS) {
			g_mutex_lock(&ctx->lock);
			ctx->jsonl_size[k] = lines_size;
			ctx->jsonl_version[k] = f.version_ns;
			g_mutex_unlock(&ctx->lock);
		}
		fill(ctx, st, S_IFREG | 0444, (gsize)lines_size, f.version_ns);
		t->entry_s = FIXED_S;
		t->attr_s = f.stale ? 0 : secs(f.fresh_us);
		t->version = f.version_ns;
		return 0;
	}
	case NODE_CREATE:
		/* Each descriptor reads only its own result: empty until it wrote. */
		fill(ctx, st, S_IFREG | 0644, 0, 0);
		fixed(t, 0);
		return 0;
	case NODE_README: {
		g_autoptr(GBytes) b = fs_readme(ctx);

		fill(ctx, st, S_IFREG | 0444, g_bytes_get_size(b), 0);
		fixed(t, FIXED_S);
		return 0;
	}
	case NODE_META_DIR:
	case NODE_META_FILE: {
		g_autoptr(GBytes) b = NULL;

		fixed(t, 0);
		if (fs_meta_is_dir(p->file)) {
			fill(ctx, st, S_IFDIR | 0555, 0, 0);
			return 0;
		}
		if (fs_meta_is_live(p->file)) {
			fill(ctx, st, S_IFREG | 0444, (gsize)api_changes_size(ctx->api),
			     g_get_real_time() * 1000);
			return 0;
		}
		b = fs_meta_content(ctx, p->file);
		if (!b)
			return -ENOENT;
		fill(ctx, st, S_IFREG | (fs_meta_is_command(p->file) ? 0644 : 0444),
		     g_bytes_get_size(b), g_get_real_time() * 1000);
		return 0;
	}
	case NODE_VIEW_KEY:
		if (mode == FS_STAT_PEEK)
			return -EAGAIN;
		if (n->view->grouped) {
			g_autoptr(GPtrArray) names = NULL;

			rc = api_view_members(ctx->api, n->view, p->name, &names);
			if (rc < 0)
				return rc;
			api_list_peek(ctx->api, res_kind_lookup(n->view->kind), &f);
			fill(ctx, st, S_IFDIR | 0555, 0, 0);
			t->entry_s = t->attr_s = f.stale ? 0 : secs(f.fresh_us);
			return 0;
		}
		/* a flat view's key is a symlink */
		G_GNUC_FALLTHROUGH;
	case NODE_LINK:
	case NODE_VIEW_LINK:
		if (mode == FS_STAT_PEEK)
			return -EAGAIN;
		rc = link_target_name(ctx, n, &tname, &f);
		if (rc < 0)
			return rc;
		target = fs_node_link_target(n, tname);
		if (!target)
			return -ENOENT;
		fill(ctx, st, S_IFLNK | 0777, strlen(target), 0);
		/* The kernel caches the target (FUSE_CAP_CACHE_SYMLINKS) as long as the
		 * attributes: a flat view's key may come to name another object. */
		t->entry_s = t->attr_s = f.stale ? 0 : secs(f.fresh_us);
		return 0;
	case NODE_SUBOBJECT:
	case NODE_SUBFILE:
		/* Derived from the sub-collection, which a readdirplus does not fetch. */
		if (mode == FS_STAT_PEEK)
			return -EAGAIN;
		rc = api_sub_object(ctx->api, n->kind, p->name, n->link, p->entry, &blob, &f);
		if (rc < 0)
			return rc;
		object_times(t, &f);
		if (n->type == NODE_SUBOBJECT) {
			fill(ctx, st, S_IFDIR | 0555, 0, f.version_ns);
			return 0;
		}
		i = render_find(blob, p->sub);
		if (i < 0)
			return -ENOENT;
		size = render_size(blob, (guint)i);
		fill(ctx, st, S_IFREG | 0444, size, f.version_ns);
		return 0;
	case NODE_TAG: {
		g_autoptr(GBytes) b = NULL;

		rc = api_tag(ctx->api, n->kind, p->name, p->entry, mode == FS_STAT_PEEK, &b, &f);
		if (rc < 0)
			return rc;
		object_times(t, &f);
		fill(ctx, st, S_IFREG | 0644, g_bytes_get_size(b), f.version_ns);
		return 0;
	}
	default:
		break;
	}

	/* An object, or something in it. A readdirplus takes only what is cached: an object
	 * evicted since its listing is not worth a GET per entry. A singleton's directory
	 * stands in the root as a collection's does: its stat fetches nothing either (an `ls
	 * -l` of the root would GET every singleton's parts); what is cached gives its time. */
	rc = api_get_object_file(ctx->api, n->kind, p->name, p->file,
				 mode == FS_STAT_PEEK || (n->type == NODE_OBJECT &&
							  res_is_singleton(n->kind)),
				 &blob, &f);
	if (rc == -EAGAIN && n->type == NODE_OBJECT && res_is_singleton(n->kind)) {
		fill(ctx, st, S_IFDIR | 0555, 0, 0);
		fixed(t, 0);
		return 0;
	}
	if (rc < 0)
		return rc;
	object_times(t, &f);
	switch (n->type) {
	case NODE_OBJECT:
	case NODE_LINKDIR:
	case NODE_TAGDIR:
		/* A tag directory takes new files and removals (the owner's alone). */
		fill(ctx, st, S_IFDIR | (n->type == NODE_LINKDIR ? 0555 : 0755), 0, f.version_ns);
		return 0;
	case NODE_ACTION: {
		g_autofree char *res = api_last_result(ctx->api, n->kind, p->name);

		size = strlen(res);
		fill(ctx, st, S_IFREG | 0644, size, f.version_ns);
		t->attr_s = 0;
		return 0;
	}
	case NODE_WAIT:
		fill(ctx, st, S_IFREG | 0444, 0, f.version_ns);	/* known once it has waited */
		t->attr_s = 0;
		return 0;
	default:
		break;
	}
	i = render_find(blob, p->file);
	if (i < 0)
		return -ENOENT;
	size = render_size(blob, (guint)i);
	/* The mode is the path's (the kernel caches it for default_permissions' checks). */
	fill(ctx, st, S_IFREG | (render_writable(blob, (guint)i) ? 0644 : 0444), size,
	     f.version_ns);
	return 0;
}

static void add(GArray *out, const char *name, mode_t type)
{
	FsDirent d = { g_strdup(name), type };

	g_array_append_val(out, d);
}

/* Says how many were added: a name too long once escaped has no entry. */
static guint add_names(GArray *out, GPtrArray *names, mode_t type)
{
	guint added = 0;

	for (guint i = 0; i < names->len; i++) {
		FsDirent d = { fs_escape_name(names->pdata[i]), type };

		if (d.name) {
			g_array_append_val(out, d);
			added++;
		}
	}
	return added;
}

void fs_dirents_free(GArray *entries)
{
	if (!entries)
		return;
	for (guint i = 0; i < entries->len; i++)
		g_free(g_array_index(entries, FsDirent, i).name);
	g_array_free(entries, TRUE);
}

/* The version of a cacheable directory's entries now, without fetching: 0 when what is
 * cached is not fresh (or not there). */
static gint64 listing_version(FsContext *ctx, const FsNode *n)
{
	g_autoptr(GBytes) blob = NULL;
	ApiFreshness f = { 0 };

	switch (n->type) {
	case NODE_KIND:
		return api_list_peek(ctx->api, n->kind, &f) == 0 && f.fresh_us > 0 && !f.stale
			       ? f.version_ns : 0;
	case NODE_LINKDIR:
		if (n->link->source != LINK_FIELD)
			return 0;	/* other kinds' listings, or a sub-collection */
		G_GNUC_FALLTHROUGH;
	case NODE_OBJECT:
		return api_peek_object(ctx->api, n->kind, n->path->name, &blob, &f) == 0
			       ? f.version_ns : 0;
	case NODE_TAGDIR:
		return api_tags(ctx->api, n->kind, n->path->name, TRUE, NULL, &f) == 0
			       ? f.version_ns : 0;
	default:
		return 1;	/* fixed names */
	}
}

static int list_node(FsContext *ctx, const FsNode *n, GArray *out, gint64 *version)
{
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GBytes) blob = NULL;
	const FsPath *p = n->path;
	ApiFreshness f;
	guint shown;
	int rc;

	switch (n->type) {
	case NODE_ROOT:
		add(out, "README", S_IFREG);
		add(out, ".wksfs", S_IFDIR);
		for (int i = 0; res_kinds[i]; i++)
			add(out, res_kinds[i]->dir, S_IFDIR);
		for (const ResView *v = res_views; v->dir; v++)
			add(out, v->dir, S_IFDIR);
		for (int i = 0; res_kinds[i]; i++) {
			g_autofree char *jsonl = g_strconcat(res_kinds[i]->dir, ".jsonl", NULL);

			if (api_lines_kind(res_kinds[i]))
				add(out, jsonl, S_IFREG);
		}
		return 0;
	case NODE_META_DIR:
	case NODE_META_FILE:
		names = fs_meta_list(p->file);
		if (!names)
			return -ENOTDIR;
		for (guint i = 0; i < names->len; i++)
			add(out, names->pdata[i],
			    fs_meta_is_dir(names->pdata[i]) ? S_IFDIR : S_IFREG);
		return 0;
	case NODE_KIND:
		rc = api_list_fresh(ctx->api, n->kind, &names, &f);
		if (rc < 0)
			return rc;
		*version = f.stale ? 0 : f.version_ns;
		if (n->kind->create)
			add(out, ".create", S_IFREG);	/* ls -a shows it */
		shown = add_names(out, names, S_IFDIR);
		if (shown < names->len)
			api_note_odd(ctx->api, n->kind->dir, names->len - shown,
				     "names longer than 255 bytes once escaped are not shown");
		return 0;
	case NODE_LINKDIR:
		/* Taken first: what the names are read from is this version or a later one. */
		*version = listing_version(ctx, n);
		rc = api_links(ctx->api, n->kind, p->name, n->link, &names);
		if (rc < 0)
			return rc;
		add_names(out, names, n->link->source == LINK_OBJECTS ? S_IFDIR : S_IFLNK);
		return 0;
	case NODE_SUBOBJECT:
		rc = api_sub_object(ctx->api, n->kind, p->name, n->link, p->entry, &blob, &f);
		if (rc < 0)
			return rc;
		for (guint i = 0; i < render_count(blob); i++) {
			g_autofree char *esc = fs_escape_name(render_name(blob, i));

			if (esc)
				add(out, esc, S_IFREG);
		}
		return 0;
	case NODE_VIEW:
		rc = api_view_keys(ctx->api, n->view, &names);
		if (rc < 0)
			return rc;
		add_names(out, names, n->view->grouped ? S_IFDIR : S_IFLNK);
		return 0;
	case NODE_VIEW_KEY:
		if (!n->view->grouped)
			return -ENOTDIR;
		rc = api_view_members(ctx->api, n->view, p->name, &names);
		if (rc < 0)
			return rc;
		add_names(out, names, S_IFLNK);
		return 0;
	case NODE_OBJECT:
		rc = api_get_object(ctx->api, n->kind, p->name, &blob, &f);
		if (rc < 0)
			return rc;
		*version = f.stale ? 0 : f.version_ns;
		for (guint i = 0; i < render_count(blob); i++) {
			const char *name = render_name(blob, i);
			g_autofree char *esc = res_tag_key(n->kind, name) ? NULL
									  : fs_escape_name(name);

			if (esc)
				add(out, esc, S_IFREG);
		}
		if (n->kind->action)
			add(out, "action", S_IFREG);
		if (n->kind->waitable)
			add(out, "wait", S_IFREG);
		for (const ResLink *l = n->kind->links; l && l->dir; l++)
			add(out, l->dir, S_IFDIR);
		if (n->kind->tags)
			add(out, n->kind->tags->dir, S_IFDIR);
		return 0;
	case NODE_TAGDIR:
		rc = api_tags(ctx->api, n->kind, p->name, FALSE, &names, &f);
		if (rc < 0)
			return rc;
		*version = f.stale ? 0 : f.version_ns;
		add_names(out, names, S_IFREG);
		return 0;
	default:
		return -ENOTDIR;
	}
}

int fs_dir_check(FsContext *ctx, const char *path, gboolean *ret_cacheable,
		 gint64 *ret_version)
{
	g_autoptr(FsNode) n = NULL;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	*ret_version = 0;
	switch (n->type) {
	case NODE_META_DIR:
	case NODE_META_FILE:
		if (!fs_meta_is_dir(n->path->file))
			return -ENOTDIR;
		G_GNUC_FALLTHROUGH;
	case NODE_ROOT:
	case NODE_KIND:
	case NODE_OBJECT:
	case NODE_TAGDIR:
		/* A tag directory changes with what it is read from, which tells the kernel
		 * (the object's invalidation, a fetch that brought other bytes). */
		*ret_cacheable = TRUE;
		*ret_version = listing_version(ctx, n);
		return 0;
	case NODE_LINKDIR:
		/* Links held in the object's own field change with the object (its version,
		 * its invalidation); the others are derived from other listings. */
		*ret_cacheable = n->link->source == LINK_FIELD;
		*ret_version = listing_version(ctx, n);
		return 0;
	case NODE_SUBOBJECT:	/* a sub-collection's object, cached under its parent */
	case NODE_VIEW:
		*ret_cacheable = FALSE;
		return 0;
	case NODE_VIEW_KEY:
		*ret_cacheable = FALSE;
		return n->view->grouped ? 0 : -ENOTDIR;
	default:
		return -ENOTDIR;
	}
}

int fs_list(FsContext *ctx, const char *path, GArray **ret_entries, gint64 *ret_version)
{
	g_autoptr(FsNode) n = NULL;
	GArray *out;
	int rc = fs_node_resolve(path, &n);

	if (rc < 0)
		return rc;
	if (n->type == NODE_README || fs_node_is_file(n))
		return -ENOTDIR;
	out = g_array_new(FALSE, FALSE, sizeof(FsDirent));
	add(out, ".", S_IFDIR);
	add(out, "..", S_IFDIR);
	*ret_version = 1;	/* fixed names, unless the node says otherwise */
	rc = list_node(ctx, n, out, ret_version);
	if (rc < 0) {
		fs_dirents_free(out);
		return rc;
	}
	*ret_entries = out;
	return 0;
}
