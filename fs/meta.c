/* meta.c — /.wksfs, the mount's own state, sysfs-style (one value per file):
 *
 *   version endpoint appstream_endpoint project_id online errors audit
 *   changes  what wksfs saw change, appended live (src/changes.c); read at open's offsets
 *   snapshot_age  seconds since the -o snapshot file was written ("-": none)
 *   metrics  all of the counters below and more, in Prometheus' text format (metrics.c)
 *   stats/   api_calls api_errors cache_hits cache_misses coalesced stale throttled retries
 *            fuse_lookups fuse_getattrs fuse_opens fuse_reads fuse_readdirs fuse_other
 *            fuse_requests kernel_inodes (the FUSE requests this mount served, outside
 *            /.wksfs, and the inodes the kernel holds)
 *            p50_ms p99_ms cache_entries cache_bytes
 *   ctl      write "refresh [PATH]" or "forget [PATH]" (PATH relative to the mount root)
 *
 * Content is rendered when a file is opened, from the API layer's live counters.
 */
#include "fs/fs-private.h"

#include <errno.h>
#include <string.h>

#include "fs/path.h"

#define MAX_COMMAND 4096

static const char *const top_files[] = {
	"version", "endpoint", "appstream_endpoint", "project_id", "online", "errors", "audit",
	"ctl", "stats", "metrics", "changes", "snapshot_age", NULL,
};

/* The filesystem's own counters, after the API's. */
static const char *const fs_stat_names[] = {
	"fuse_lookups", "fuse_getattrs", "fuse_opens", "fuse_reads", "fuse_readdirs",
	"fuse_other", "fuse_requests", "kernel_inodes", NULL,
};

static gboolean fs_stat_value(FsContext *ctx, const char *name, gint64 *ret_value)
{
	gint64 total = 0;

	for (int op = 0; op < FS_N_OPS; op++) {
		gint64 v = __atomic_load_n(&ctx->ops[op], __ATOMIC_RELAXED);

		total += v;
		if (strcmp(name, fs_stat_names[op]) == 0) {
			*ret_value = v;
			return TRUE;
		}
	}
	if (strcmp(name, "fuse_requests") == 0) {
		*ret_value = total;
		return TRUE;
	}
	if (strcmp(name, "kernel_inodes") == 0) {
		*ret_value = fs_inodes_count(ctx->inodes);
		return TRUE;
	}
	return FALSE;
}

static const char CTL_HELP[] =
	"write one command per line:\n"
	"  refresh [PATH]   fetch PATH (an object or a collection; default: all) now\n"
	"  forget [PATH]    drop what is cached under PATH (default: everything)\n";

gboolean fs_meta_is_dir(const char *file)
{
	return !file || !file[0] || strcmp(file, "stats") == 0;
}

GPtrArray *fs_meta_list(const char *file)
{
	GPtrArray *names = g_ptr_array_new();
	const char *const *list = NULL;

	if (!file || !file[0])
		list = top_files;
	else if (strcmp(file, "stats") == 0) {
		for (int i = 0; api_stat_names[i]; i++)
			g_ptr_array_add(names, (char *)api_stat_names[i]);
		list = fs_stat_names;
	}
	if (!list) {
		g_ptr_array_free(names, TRUE);
		return NULL;
	}
	for (int i = 0; list[i]; i++)
		g_ptr_array_add(names, (char *)list[i]);
	return names;
}

gboolean fs_meta_is_live(const char *file)
{
	return g_strcmp0(file, "changes") == 0;
}

gboolean fs_meta_is_command(const char *file)
{
	return g_strcmp0(file, "ctl") == 0;
}

GBytes *fs_meta_content(FsContext *ctx, const char *file)
{
	char *text = NULL;
	gint64 value;

	if (strcmp(file, "metrics") == 0)
		return fs_metrics(ctx);
	if (strcmp(file, "version") == 0)
		text = g_strdup(WKSFS_VERSION "\n");
	else if (strcmp(file, "endpoint") == 0)
		text = g_strdup_printf("%s\n", api_endpoint(ctx->api));
	else if (strcmp(file, "appstream_endpoint") == 0)
		text = g_strdup_printf("%s\n", api_appstream_endpoint(ctx->api));
	else if (strcmp(file, "audit") == 0)
		text = api_audit_text(ctx->api);
	else if (strcmp(file, "project_id") == 0)
		text = g_strdup_printf("%s\n", api_project_id(ctx->api));
	else if (strcmp(file, "online") == 0)
		text = g_strdup(api_online(ctx->api) ? "1\n" : "0\n");
	else if (strcmp(file, "errors") == 0)
		text = api_errors_text(ctx->api);
	else if (strcmp(file, "snapshot_age") == 0)
		text = api_snapshot_age(ctx->api, &value)
		       ? g_strdup_printf("%" G_GINT64_FORMAT "\n", value) : g_strdup("-\n");
	else if (strcmp(file, "ctl") == 0)
		text = g_strdup(CTL_HELP);
	else if (g_str_has_prefix(file, "stats/") &&
		 (api_stat(ctx->api, file + 6, &value) || fs_stat_value(ctx, file + 6, &value)))
		text = g_strdup_printf("%" G_GINT64_FORMAT "\n", value);
	return text ? g_bytes_new_take(text, strlen(text)) : NULL;
}

/* "refresh desktops/ID" -> the kind and object PATH names; -EINVAL if it names nothing. */
static int command_target(const char *arg, const ResKind **ret_kind, char **ret_name)
{
	g_autofree char *abs = g_strconcat(arg[0] == '/' ? "" : "/", arg, NULL);
	g_autoptr(FsPath) p = NULL;
	const ResKind *kind;

	if (arg[0] && fs_path_parse(abs, &p) < 0)
		return -EINVAL;
	if (!arg[0] || p->type == FS_NODE_ROOT) {
		/* No path, or the root: every collection. */
		*ret_kind = NULL;
		*ret_name = NULL;
		return 0;
	}
	if (!p->kind || !(kind = res_kind_lookup(p->kind)))
		return -EINVAL;
	*ret_kind = kind;
	/* A singleton's one object is its listing: refreshing the kind refreshes it. */
	*ret_name = res_is_singleton(kind) ? NULL : g_steal_pointer(&p->name);
	return 0;
}

/* Why a ctl command is refused, or NULL; *ret_kind and *ret_name then say what it names. */
static char *check_command(const char *data, size_t len, char **ret_verb,
			   const ResKind **ret_kind, char **ret_name)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) words = NULL;
	const char *nl = memchr(data, '\n', len);
	const char *arg;

	if (len > MAX_COMMAND || memchr(data, '\0', len))
		return g_strdup("not one command line");
	if (nl && nl != data + len - 1)
		return g_strdup("more than one line (one command per line)");
	text = g_strstrip(g_strndup(data, len));
	words = g_strsplit(text, " ", 2);
	if (!words[0] || (strcmp(words[0], "refresh") != 0 && strcmp(words[0], "forget") != 0))
		return g_strdup_printf("unknown command \"%s\" (refresh or forget)",
				       words[0] ? words[0] : "");
	arg = words[1] ? g_strstrip(words[1]) : "";
	if (command_target(arg, ret_kind, ret_name) < 0)
		return g_strdup_printf("\"%s\" names no collection or object", arg);
	*ret_verb = g_strdup(words[0]);
	return NULL;
}

int fs_meta_command(FsContext *ctx, const char *file, const char *data, size_t len)
{
	g_autofree char *verb = NULL, *name = NULL, *why = NULL;
	const ResKind *kind = NULL;

	if (!fs_meta_is_command(file))
		return -EACCES;
	why = check_command(data, len, &verb, &kind, &name);
	if (why) {
		api_note_invalid(ctx->api, "ctl", "/.wksfs/ctl", why);
		return -EINVAL;
	}
	if (strcmp(verb, "refresh") == 0)
		return api_refresh(ctx->api, kind, name);
	api_forget(ctx->api, kind, name);
	return 0;
}
