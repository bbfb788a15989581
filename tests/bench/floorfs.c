/* floorfs.c — the benchmark's FUSE floor: a tenant's desktops, loaded once from a file of
 * JSON lines (one desktop object per line, as `jq -c '.desktops[]'` prints the pages of
 * GET /v2/{project_id}/desktops/detail), served from memory as
 *
 *   /desktops/<desktop_id>/   <field> ... <field>.json  info.json
 *
 * rendered the way wksfs renders its plain files: a scalar is its text and a newline, an array
 * of scalars one item per line, anything else pretty JSON in <field>.json. Every file is
 * direct_io and every entry carries its d_type, as in wksfs, and the kernel's timeouts are
 * libfuse's defaults, as in wksfs. No network, no cache, no locks (nothing changes after
 * start-up): the least work any FUSE filesystem can do for the same `ls`, `cat` and `grep`.
 * Not part of wksfs: tests/bench/bench.sh builds and mounts it.
 *
 *   floorfs TENANT.jsonl MOUNTPOINT [FUSE options]
 */
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef struct Desktop Desktop;

typedef struct {
	const char *name;	/* interned: every desktop has the same fields */
	const Desktop *owner;
	guint32 off;
	guint32 len;
} FloorFile;

struct Desktop {
	char *id;
	GString *blob;		/* every file's text, one after the other */
	GArray *files;		/* FloorFile, in the API's field order */
};

static GPtrArray *desktops;	/* Desktop, in the API's order; read-only once mounted */
static GHashTable *by_id;	/* desktop_id -> Desktop (borrowed) */
static time_t loaded;

static gboolean is_scalar(const cJSON *v)
{
	return !cJSON_IsArray(v) && !cJSON_IsObject(v);
}

static gboolean scalar_array(const cJSON *v)
{
	const cJSON *it;

	if (!cJSON_IsArray(v))
		return FALSE;
	cJSON_ArrayForEach(it, v)
		if (!is_scalar(it))
			return FALSE;
	return TRUE;
}

static void append_scalar(GString *out, const cJSON *v)
{
	char *s;

	if (cJSON_IsString(v)) {
		g_string_append(out, v->valuestring);
	} else if (!cJSON_IsNull(v)) {
		s = cJSON_PrintUnformatted(v);
		g_string_append(out, s);
		cJSON_free(s);
	}
}

static void append_pretty(GString *out, const cJSON *v)
{
	char *s = cJSON_Print(v);

	g_string_append(out, s);
	g_string_append_c(out, '\n');
	cJSON_free(s);
}

static void add_file(Desktop *d, const char *name, gsize start)
{
	FloorFile f = { g_intern_string(name), d, start, d->blob->len - start };

	g_array_append_val(d->files, f);
}

static Desktop *desktop_new(const cJSON *obj)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "desktop_id");
	const cJSON *field, *it;
	Desktop *d;
	gsize start;

	if (!cJSON_IsString(id) || !id->valuestring[0] || strchr(id->valuestring, '/'))
		return NULL;
	d = g_new0(Desktop, 1);
	d->id = g_strdup(id->valuestring);
	d->blob = g_string_new(NULL);
	d->files = g_array_new(FALSE, FALSE, sizeof(FloorFile));
	cJSON_ArrayForEach(field, obj) {
		g_autofree char *json_name = NULL;

		start = d->blob->len;
		if (!field->string[0] || strchr(field->string, '/'))
			continue;
		if (is_scalar(field)) {
			append_scalar(d->blob, field);
			if (!cJSON_IsNull(field))
				g_string_append_c(d->blob, '\n');
			add_file(d, field->string, start);
		} else if (scalar_array(field)) {
			cJSON_ArrayForEach(it, field) {
				append_scalar(d->blob, it);
				g_string_append_c(d->blob, '\n');
			}
			add_file(d, field->string, start);
		} else {
			json_name = g_strconcat(field->string, ".json", NULL);
			append_pretty(d->blob, field);
			add_file(d, json_name, start);
		}
	}
	start = d->blob->len;
	append_pretty(d->blob, obj);
	add_file(d, "info.json", start);
	return d;
}

static gboolean load(const char *path, GError **error)
{
	g_autofree char *text = NULL;
	char *line, *next;

	if (!g_file_get_contents(path, &text, NULL, error))
		return FALSE;
	desktops = g_ptr_array_new();
	by_id = g_hash_table_new(g_str_hash, g_str_equal);
	for (line = text; line && *line; line = next) {
		cJSON *obj;
		Desktop *d;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (!*line)
			continue;
		obj = cJSON_Parse(line);
		d = cJSON_IsObject(obj) ? desktop_new(obj) : NULL;
		cJSON_Delete(obj);
		if (!d) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "%s: line %u is not a desktop object", path, desktops->len + 1);
			return FALSE;
		}
		g_ptr_array_add(desktops, d);
		g_hash_table_insert(by_id, d->id, d);
	}
	loaded = time(NULL);
	return TRUE;
}

/* "/desktops/<id>/<file>" -> the desktop and the file; either may be NULL for a directory.
 * Returns 0 for a directory, 1 for a file, -ENOENT otherwise. */
static int resolve(const char *path, Desktop **ret_d, const FloorFile **ret_f)
{
	g_auto(GStrv) parts = g_strsplit(path + 1, "/", 0);
	guint n = g_strv_length(parts);
	Desktop *d;

	*ret_d = NULL;
	*ret_f = NULL;
	if (n == 0 || (n == 1 && !parts[0][0]))
		return 0;
	if (strcmp(parts[0], "desktops") != 0 || n > 3)
		return -ENOENT;
	if (n == 1)
		return 0;
	d = g_hash_table_lookup(by_id, parts[1]);
	if (!d)
		return -ENOENT;
	*ret_d = d;
	if (n == 2)
		return 0;
	for (guint i = 0; i < d->files->len; i++) {
		const FloorFile *f = &g_array_index(d->files, FloorFile, i);

		if (strcmp(f->name, parts[2]) == 0) {
			*ret_f = f;
			return 1;
		}
	}
	return -ENOENT;
}

static int floor_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	Desktop *d;
	const FloorFile *f;
	int rc = resolve(path, &d, &f);

	if (rc < 0)
		return rc;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_mtime = st->st_ctime = st->st_atime = loaded;
	if (rc == 0) {
		st->st_mode = S_IFDIR | 0555;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = f->len;
	}
	return 0;
}

static int floor_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
			 struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct stat dir = { .st_mode = S_IFDIR }, file = { .st_mode = S_IFREG };
	Desktop *d;
	const FloorFile *f;
	int rc = resolve(path, &d, &f);

	if (rc < 0)
		return rc;
	if (rc == 1)
		return -ENOTDIR;
	filler(buf, ".", &dir, 0, 0);
	filler(buf, "..", &dir, 0, 0);
	if (strcmp(path, "/") == 0) {
		filler(buf, "desktops", &dir, 0, 0);
	} else if (!d) {
		for (guint i = 0; i < desktops->len; i++)
			filler(buf, ((Desktop *)desktops->pdata[i])->id, &dir, 0, 0);
	} else {
		for (guint i = 0; i < d->files->len; i++)
			filler(buf, g_array_index(d->files, FloorFile, i).name, &file, 0, 0);
	}
	return 0;
}

static int floor_open(const char *path, struct fuse_file_info *fi)
{
	Desktop *d;
	const FloorFile *f;
	int rc = resolve(path, &d, &f);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return -EISDIR;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	fi->fh = (uint64_t)(uintptr_t)f;
	fi->direct_io = 1;
	return 0;
}

static int floor_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	const FloorFile *f = (const FloorFile *)(uintptr_t)fi->fh;

	if (off < 0 || (guint64)off >= f->len)
		return 0;
	if (size > (size_t)(f->len - off))
		size = f->len - off;
	memcpy(buf, f->owner->blob->str + f->off + off, size);
	return size;
}

static const struct fuse_operations operations = {
	.getattr = floor_getattr,
	.readdir = floor_readdir,
	.open = floor_open,
	.read = floor_read,
};

int main(int argc, char *argv[])
{
	g_autoptr(GError) error = NULL;

	if (argc < 3) {
		fprintf(stderr, "usage: %s TENANT.jsonl MOUNTPOINT [FUSE options]\n", argv[0]);
		return 2;
	}
	if (!load(argv[1], &error)) {
		fprintf(stderr, "floorfs: %s\n", error->message);
		return 1;
	}
	/* argv without the tenant file: fuse_main sees "floorfs MOUNTPOINT [options]". */
	argv[1] = argv[0];
	return fuse_main(argc - 1, argv + 1, &operations, NULL);
}
