/* floorfs-ll.c — the benchmark's best FUSE floor: the tenant of floor-tree.c served from
 * memory through the low-level FUSE API with every kernel cache on, the way wksfs is to use
 * them (issue 9): entry and attribute timeouts of -o timeout=SECS (default a day) on every
 * reply, no FUSE_OPEN round trip (open answers ENOSYS once, FUSE_CAP_NO_OPEN_SUPPORT, after
 * which the kernel opens files itself and keeps their pages), directories opened with
 * keep_cache and cache_readdir so the kernel keeps their listings, readdirplus always (an
 * `ls -l` is answered from the listing), symlinks cached (FUSE_CAP_CACHE_SYMLINKS), flush
 * answered ENOSYS once. Inodes are computed, not stored (see "Inodes"); nothing changes after
 * start-up, so there is no lock, no forget bookkeeping and no invalidation. What it measures
 * is the kernel's cost, the budget wksfs's warm reads are held to. Not part of wksfs:
 * tests/bench/bench.sh builds and mounts it.
 *
 *   floorfs-ll TENANT.jsonl MOUNTPOINT [-o timeout=SECS] [-o no_opendir] [FUSE options]
 *
 * -o no_opendir answers opendir ENOSYS as well (FUSE_CAP_NO_OPENDIR_SUPPORT; the kernel then
 * caches every listing by default): no OPENDIR/RELEASEDIR pair per directory either.
 */
#include "floor-tree.h"

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION 314
#endif
#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Inodes. 1 is /, 2 desktops/, 3 desktops-by-status/, STATUS_INO + k its k-th status
 * directory. Desktop i owns the block (i + 1) << 16: slot 0 is its directory, slot 1 + j its
 * j-th file, USERS_SLOT its users/ directory, USERS_SLOT + 1 + u the link to its u-th user
 * and STATUS_SLOT its link under desktops-by-status/<STATUS>/. */
#define ROOT_INO	1
#define DESKTOPS_INO	2
#define BY_STATUS_INO	3
#define STATUS_INO	0x100
#define MAX_STATUSES	0xff00
#define USERS_SLOT	0x8000
#define STATUS_SLOT	0xffff
#define MAX_FILES	(USERS_SLOT - 1)
#define MAX_USERS	(STATUS_SLOT - USERS_SLOT - 1)

static FloorTree tree;
static double timeout = 86400;
static gboolean no_opendir;	/* answer opendir ENOSYS too: then not even OPENDIR is sent */

typedef enum {
	INO_NONE,
	INO_ROOT,
	INO_DESKTOPS,
	INO_BY_STATUS,
	INO_STATUS,
	INO_DESKTOP,
	INO_FILE,
	INO_USERS,
	INO_USER_LINK,
	INO_STATUS_LINK,
} InoType;

/* A decoded inode; the members that its type does not use are NULL. */
typedef struct {
	InoType type;
	const char *status;		/* INO_STATUS */
	GArray *members;		/* INO_STATUS: indexes into tree.desktops */
	const FloorDesktop *desktop;	/* INO_DESKTOP and below */
	const FloorFile *file;		/* INO_FILE */
	const char *user;		/* INO_USER_LINK */
} Ino;

static fuse_ino_t desktop_ino(const FloorDesktop *d, guint slot)
{
	return ((fuse_ino_t)d->index + 1) << 16 | slot;
}

static Ino decode(fuse_ino_t ino)
{
	Ino it = { INO_NONE };
	guint64 block = ino >> 16;
	guint slot = ino & 0xffff;

	if (ino == ROOT_INO || ino == DESKTOPS_INO || ino == BY_STATUS_INO) {
		it.type = ino == ROOT_INO ? INO_ROOT : ino == DESKTOPS_INO ? INO_DESKTOPS :
			  INO_BY_STATUS;
	} else if (block == 0) {
		if (ino >= STATUS_INO && ino - STATUS_INO < tree.statuses->len) {
			it.type = INO_STATUS;
			it.status = tree.statuses->pdata[ino - STATUS_INO];
			it.members = g_hash_table_lookup(tree.by_status, it.status);
		}
	} else if (block <= tree.desktops->len) {
		it.desktop = tree.desktops->pdata[block - 1];
		if (slot == 0) {
			it.type = INO_DESKTOP;
		} else if (slot - 1 < it.desktop->files->len) {
			it.type = INO_FILE;
			it.file = &g_array_index(it.desktop->files, FloorFile, slot - 1);
		} else if (slot == USERS_SLOT) {
			it.type = INO_USERS;
		} else if (slot > USERS_SLOT && slot - USERS_SLOT - 1 < it.desktop->users->len) {
			it.type = INO_USER_LINK;
			it.user = it.desktop->users->pdata[slot - USERS_SLOT - 1];
		} else if (slot == STATUS_SLOT && it.desktop->status[0]) {
			it.type = INO_STATUS_LINK;
		}
	}
	return it;
}

static char *link_target(const Ino *it)
{
	return it->type == INO_USER_LINK ? floor_user_link(it->user) :
	       floor_status_link(it->desktop);
}

static int fill_attr(fuse_ino_t ino, struct stat *st)
{
	Ino it = decode(ino);
	g_autofree char *target = NULL;

	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_mtime = st->st_ctime = st->st_atime = tree.loaded;
	st->st_nlink = 1;
	switch (it.type) {
	case INO_NONE:
		return -ENOENT;
	case INO_FILE:
		st->st_mode = S_IFREG | 0444;
		st->st_size = it.file->len;
		break;
	case INO_USER_LINK:
	case INO_STATUS_LINK:
		target = link_target(&it);
		st->st_mode = S_IFLNK | 0777;
		st->st_size = strlen(target);
		break;
	default:
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
		break;
	}
	return 0;
}

/* The idx-th entry of directory dir, "." and ".." left out. */
static gboolean child_at(const Ino *dir, guint idx, const char **ret_name, fuse_ino_t *ret_ino)
{
	static const char *const root[] = { "desktops", "desktops-by-status" };
	const FloorDesktop *d = dir->desktop;

	switch (dir->type) {
	case INO_ROOT:
		if (idx >= G_N_ELEMENTS(root))
			return FALSE;
		*ret_name = root[idx];
		*ret_ino = idx == 0 ? DESKTOPS_INO : BY_STATUS_INO;
		return TRUE;
	case INO_DESKTOPS:
		if (idx >= tree.desktops->len)
			return FALSE;
		d = tree.desktops->pdata[idx];
		*ret_name = d->id;
		*ret_ino = desktop_ino(d, 0);
		return TRUE;
	case INO_BY_STATUS:
		if (idx >= tree.statuses->len)
			return FALSE;
		*ret_name = tree.statuses->pdata[idx];
		*ret_ino = STATUS_INO + idx;
		return TRUE;
	case INO_STATUS:
		if (idx >= dir->members->len)
			return FALSE;
		d = tree.desktops->pdata[g_array_index(dir->members, guint, idx)];
		*ret_name = d->id;
		*ret_ino = desktop_ino(d, STATUS_SLOT);
		return TRUE;
	case INO_DESKTOP:
		if (idx < d->files->len) {
			*ret_name = g_array_index(d->files, FloorFile, idx).name;
			*ret_ino = desktop_ino(d, 1 + idx);
			return TRUE;
		}
		if (idx > d->files->len)
			return FALSE;
		*ret_name = "users";
		*ret_ino = desktop_ino(d, USERS_SLOT);
		return TRUE;
	case INO_USERS:
		if (idx >= d->users->len)
			return FALSE;
		*ret_name = d->users->pdata[idx];
		*ret_ino = desktop_ino(d, USERS_SLOT + 1 + idx);
		return TRUE;
	default:
		return FALSE;
	}
}

/* The child of dir called name, or 0. Hash lookups where a directory is big. */
static fuse_ino_t child_named(const Ino *dir, const char *name)
{
	const FloorDesktop *d = dir->desktop;
	const char *child_name;
	fuse_ino_t ino;

	switch (dir->type) {
	case INO_DESKTOPS:
		d = g_hash_table_lookup(tree.by_id, name);
		return d ? desktop_ino(d, 0) : 0;
	case INO_STATUS:
		d = g_hash_table_lookup(tree.by_id, name);
		return d && strcmp(d->status, dir->status) == 0 ? desktop_ino(d, STATUS_SLOT) : 0;
	case INO_BY_STATUS:
		for (guint i = 0; i < tree.statuses->len; i++)
			if (strcmp(tree.statuses->pdata[i], name) == 0)
				return STATUS_INO + i;
		return 0;
	default:
		for (guint i = 0; child_at(dir, i, &child_name, &ino); i++)
			if (strcmp(child_name, name) == 0)
				return ino;
		return 0;
	}
}

static gboolean is_dir(InoType type)
{
	return type != INO_NONE && type != INO_FILE && type != INO_USER_LINK &&
	       type != INO_STATUS_LINK;
}

static void entry_for(fuse_ino_t ino, struct fuse_entry_param *e)
{
	memset(e, 0, sizeof(*e));
	e->ino = ino;
	e->attr_timeout = timeout;
	e->entry_timeout = timeout;
	fill_attr(ino, &e->attr);
}

static void ll_init(void *userdata, struct fuse_conn_info *conn)
{
	if (conn->capable & FUSE_CAP_READDIRPLUS)
		conn->want |= FUSE_CAP_READDIRPLUS;
	conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
	if (conn->capable & FUSE_CAP_CACHE_SYMLINKS)
		conn->want |= FUSE_CAP_CACHE_SYMLINKS;
	if (!(conn->capable & FUSE_CAP_NO_OPEN_SUPPORT))
		fprintf(stderr, "floorfs-ll: the kernel cannot skip FUSE_OPEN; every open is a "
			"round trip\n");
}

static void ll_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	Ino dir = decode(parent);
	struct fuse_entry_param e;
	fuse_ino_t ino;

	if (!is_dir(dir.type)) {
		fuse_reply_err(req, dir.type == INO_NONE ? ENOENT : ENOTDIR);
		return;
	}
	ino = child_named(&dir, name);
	if (!ino) {
		/* A negative entry, cached as long as the positive ones. */
		memset(&e, 0, sizeof(e));
		e.entry_timeout = timeout;
		fuse_reply_entry(req, &e);
		return;
	}
	entry_for(ino, &e);
	fuse_reply_entry(req, &e);
}

static void ll_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;
	int rc = fill_attr(ino, &st);

	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_attr(req, &st, timeout);
}

static void ll_readlink(fuse_req_t req, fuse_ino_t ino)
{
	Ino it = decode(ino);
	g_autofree char *target = NULL;

	if (it.type != INO_USER_LINK && it.type != INO_STATUS_LINK) {
		fuse_reply_err(req, it.type == INO_NONE ? ENOENT : EINVAL);
		return;
	}
	target = link_target(&it);
	fuse_reply_readlink(req, target);
}

static void ll_opendir(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	Ino it = decode(ino);

	if (!is_dir(it.type)) {
		fuse_reply_err(req, it.type == INO_NONE ? ENOENT : ENOTDIR);
		return;
	}
	if (no_opendir) {
		/* the kernel's default without opendir: FOPEN_KEEP_CACHE | FOPEN_CACHE_DIR */
		fuse_reply_err(req, ENOSYS);
		return;
	}
	fi->keep_cache = 1;
	fi->cache_readdir = 1;
	fuse_reply_open(req, fi);
}

/* Entries from offset off ("." is 0, ".." 1, then the children), as many as fit in size. */
static void reply_dir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, gboolean plus)
{
	Ino dir = decode(ino);
	g_autofree char *buf = NULL;
	size_t pos = 0, need;

	if (!is_dir(dir.type)) {
		fuse_reply_err(req, dir.type == INO_NONE ? ENOENT : ENOTDIR);
		return;
	}
	buf = g_malloc(size);
	for (guint64 idx = off < 0 ? 0 : off; ; idx++) {
		struct fuse_entry_param e = { 0 };
		const char *name;
		fuse_ino_t child;

		if (idx < 2) {
			name = idx == 0 ? "." : "..";
			child = ino;
			/* the kernel takes no reference for these: attributes only, ino 0 */
			e.attr.st_ino = ino;
			e.attr.st_mode = S_IFDIR;
		} else if (!child_at(&dir, idx - 2, &name, &child)) {
			break;
		} else {
			entry_for(child, &e);
		}
		if (plus) {
			need = fuse_add_direntry_plus(req, buf + pos, size - pos, name, &e,
						      idx + 1);
		} else {
			e.attr.st_ino = child;
			need = fuse_add_direntry(req, buf + pos, size - pos, name, &e.attr,
						 idx + 1);
		}
		if (need > size - pos)
			break;
		pos += need;
	}
	fuse_reply_buf(req, buf, pos);
}

static void ll_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		       struct fuse_file_info *fi)
{
	reply_dir(req, ino, size, off, FALSE);
}

static void ll_readdirplus(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
			   struct fuse_file_info *fi)
{
	reply_dir(req, ino, size, off, TRUE);
}

/* ENOSYS once: the kernel then opens every file itself, FOPEN_KEEP_CACHE, for good. */
static void ll_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	Ino it = decode(ino);

	if (it.type != INO_FILE)
		fuse_reply_err(req, it.type == INO_NONE ? ENOENT : EISDIR);
	else if ((fi->flags & O_ACCMODE) != O_RDONLY)
		fuse_reply_err(req, EACCES);
	else
		fuse_reply_err(req, ENOSYS);
}

static void ll_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	Ino it = decode(ino);

	if (it.type != INO_FILE) {
		fuse_reply_err(req, it.type == INO_NONE ? ENOENT : EISDIR);
		return;
	}
	if (off < 0 || (guint64)off >= it.file->len)
		size = 0;
	else if (size > (size_t)(it.file->len - off))
		size = it.file->len - off;
	fuse_reply_buf(req, size ? it.file->data + off : NULL, size);
}

static const struct fuse_lowlevel_ops operations = {
	.init = ll_init,
	.lookup = ll_lookup,
	.getattr = ll_getattr,
	.readlink = ll_readlink,
	.opendir = ll_opendir,
	.readdir = ll_readdir,
	.readdirplus = ll_readdirplus,
	.open = ll_open,
	.read = ll_read,
	/* no .flush: libfuse answers ENOSYS and the kernel stops sending it */
};

typedef struct {
	char *timeout;
	int no_opendir;
} Options;

static const struct fuse_opt option_spec[] = {
	{ "timeout=%s", offsetof(Options, timeout), 0 },
	{ "no_opendir", offsetof(Options, no_opendir), 1 },
	FUSE_OPT_END
};

static int serve(struct fuse_args *args, const struct fuse_cmdline_opts *cmd)
{
	struct fuse_loop_config *config;
	struct fuse_session *se;
	int ret = 1;

	se = fuse_session_new(args, &operations, sizeof(operations), NULL);
	if (!se)
		return 1;
	if (fuse_set_signal_handlers(se) != 0)
		goto out_destroy;
	if (fuse_session_mount(se, cmd->mountpoint) != 0)
		goto out_signals;
	fuse_daemonize(cmd->foreground);
	if (cmd->singlethread) {
		ret = fuse_session_loop(se);
	} else {
		config = fuse_loop_cfg_create();
		fuse_loop_cfg_set_clone_fd(config, cmd->clone_fd);
		fuse_loop_cfg_set_max_threads(config, cmd->max_threads);
		ret = fuse_session_loop_mt(se, config);
		fuse_loop_cfg_destroy(config);
	}
	fuse_session_unmount(se);
out_signals:
	fuse_remove_signal_handlers(se);
out_destroy:
	fuse_session_destroy(se);
	return ret ? 1 : 0;
}

int main(int argc, char *argv[])
{
	g_autoptr(GError) error = NULL;
	struct fuse_args args = FUSE_ARGS_INIT(argc - 1, argv + 1);
	struct fuse_cmdline_opts cmd = { 0 };
	Options opts = { 0 };
	const char *tenant = argv[1];
	char *end = NULL;
	int ret;

	if (argc < 3) {
		fprintf(stderr, "usage: %s TENANT.jsonl MOUNTPOINT [-o timeout=SECS] "
			"[-o no_opendir] [FUSE options]\n", argv[0]);
		return 2;
	}
	/* argv without the tenant file: libfuse sees "floorfs-ll MOUNTPOINT [options]". */
	argv[1] = argv[0];
	if (fuse_opt_parse(&args, &opts, option_spec, NULL) != 0 ||
	    fuse_parse_cmdline(&args, &cmd) != 0 || !cmd.mountpoint) {
		fprintf(stderr, "floorfs-ll: bad arguments\n");
		return 2;
	}
	no_opendir = opts.no_opendir;
	if (opts.timeout) {
		timeout = g_ascii_strtod(opts.timeout, &end);
		if (end == opts.timeout || *end || timeout < 0) {
			fprintf(stderr, "floorfs-ll: bad timeout '%s'\n", opts.timeout);
			return 2;
		}
	}
	if (!floor_tree_load(&tree, tenant, &error)) {
		fprintf(stderr, "floorfs-ll: %s\n", error->message);
		return 1;
	}
	ret = serve(&args, &cmd);
	free(cmd.mountpoint);
	free(opts.timeout);
	fuse_opt_free_args(&args);
	return ret;
}
