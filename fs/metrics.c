/* metrics.c — /.wksfs/metrics: the mount's counters in the Prometheus text exposition
 * format (0.0.4), what node_exporter's textfile collector reads: the API layer's part
 * (api_metrics_write) and the filesystem's own — FUSE requests by operation (as
 * stats/fuse_*), the inodes the kernel holds, the kernel notifications sent, uptime.
 * Rendered at each open (meta files are direct_io and never kept by the kernel), so every
 * read of a fresh descriptor is the state then.
 * Must not: keep any state; the owners count.
 */
#include "fs/fs-private.h"

#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "src/metrics.h"

/* The operation label of each FsOp, as stats/fuse_<op>s names it. */
static const char *const op_names[FS_N_OPS] = {
	"lookup", "getattr", "open", "read", "readdir", "other",
};

/* The allocator's view, to tell a leak (in use grows) from fragmentation (free grows: RSS
 * rises while in use stays flat). mallinfo2 walks every arena. An allocator that replaces
 * glibc's (ASan's) reports nothing: no gauge then, rather than a false 0. */
static void heap_metrics(GString *out)
{
#ifdef __GLIBC__
	struct mallinfo2 mi = mallinfo2();

	if (mi.uordblks + mi.hblkhd == 0)
		return;
	metrics_family(out, "wksfs_heap_in_use_bytes", "gauge",
		       "Bytes the daemon's allocations hold (glibc mallinfo2: uordblks + hblkhd).");
	metrics_sample(out, "wksfs_heap_in_use_bytes", NULL, (double)(mi.uordblks + mi.hblkhd));
	metrics_family(out, "wksfs_heap_free_bytes", "gauge",
		       "Bytes freed but kept by the allocator's arenas (mallinfo2 fordblks).");
	metrics_sample(out, "wksfs_heap_free_bytes", NULL, (double)mi.fordblks);
#else
	(void)out;
#endif
}

GBytes *fs_metrics(FsContext *ctx)
{
	GString *out = g_string_new(NULL);
	guint64 notifications;
	guint pending, peak;
	double now = (double)g_get_real_time() / G_USEC_PER_SEC;

	api_metrics_write(ctx->api, out);
	metrics_family(out, "wksfs_fuse_requests_total", "counter",
		       "FUSE requests served outside /.wksfs, by operation (stats/fuse_*).");
	for (int op = 0; op < FS_N_OPS; op++) {
		const char *labels[] = { "op", op_names[op], NULL };

		metrics_sample(out, "wksfs_fuse_requests_total", labels,
			       (double)__atomic_load_n(&ctx->ops[op], __ATOMIC_RELAXED));
	}
	metrics_family(out, "wksfs_kernel_inodes", "gauge",
		       "Inodes the kernel holds (stats/kernel_inodes).");
	metrics_sample(out, "wksfs_kernel_inodes", NULL, fs_inodes_count(ctx->inodes));
	g_mutex_lock(&ctx->lock);
	notifications = fs_notifier_sent(ctx->notifier);
	fs_notifier_pending(ctx->notifier, &pending, &peak);
	g_mutex_unlock(&ctx->lock);
	metrics_family(out, "wksfs_kernel_notifications_total", "counter",
		       "Cache invalidations sent to the kernel (an inode's attributes, pages "
		       "and listing) after a change wksfs learned of.");
	metrics_sample(out, "wksfs_kernel_notifications_total", NULL, (double)notifications);
	metrics_family(out, "wksfs_kernel_notifications_pending", "gauge",
		       "Invalidations queued for the kernel and not yet sent (an inode once).");
	metrics_sample(out, "wksfs_kernel_notifications_pending", NULL, pending);
	metrics_family(out, "wksfs_kernel_notifications_pending_peak", "gauge",
		       "The most invalidations ever queued at once.");
	metrics_sample(out, "wksfs_kernel_notifications_pending_peak", NULL, peak);
	metrics_family(out, "wksfs_watch_passes_total", "counter",
		       "Passes of -o watch over the collections being read.");
	metrics_sample(out, "wksfs_watch_passes_total", NULL, (double)api_watch_passes(ctx->api));
	metrics_family(out, "wksfs_changes_lines_total", "counter",
		       "Lines appended to /.wksfs/changes.");
	metrics_sample(out, "wksfs_changes_lines_total", NULL,
		       (double)api_changes_count(ctx->api));
	heap_metrics(out);
	metrics_family(out, "wksfs_start_time_seconds", "gauge",
		       "When the mount started, in seconds since the epoch.");
	metrics_sample(out, "wksfs_start_time_seconds", NULL, (double)ctx->started);
	metrics_family(out, "wksfs_uptime_seconds", "gauge", "Seconds since the mount started.");
	metrics_sample(out, "wksfs_uptime_seconds", NULL, MAX(now - (double)ctx->started, 0));
	metrics_family(out, "wksfs_build_info", "gauge",
		       "Always 1: the version, endpoint and project of this mount as labels.");
	metrics_sample(out, "wksfs_build_info",
		       (const char *const[]){ "version", WKSFS_VERSION, "endpoint",
					      api_endpoint(ctx->api), "project_id",
					      api_project_id(ctx->api), NULL }, 1);
	return g_string_free_to_bytes(out);
}
