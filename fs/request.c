/* request.c — the request a FUSE worker thread is serving: set by each handler in ll.c
 * first and cleared before it replies (a reply frees the request). Everything that wants
 * the caller (the audit's uid, pid and command; an interrupt) asks here. */
#include "fs/fs-private.h"

static __thread fuse_req_t current;

void fs_set_current_req(fuse_req_t req)
{
	current = req;
}

fuse_req_t fs_current_req(void)
{
	return current;
}

FsContext *fs_context(void)
{
	return current ? fuse_req_userdata(current) : NULL;
}

ApiCaller fs_caller(const char *path, char **ret_command)
{
	const struct fuse_ctx *fc = fuse_req_ctx(fs_current_req());
	g_autofree char *comm = g_strdup_printf("/proc/%d/comm", fc->pid);

	*ret_command = NULL;
	if (g_file_get_contents(comm, ret_command, NULL, NULL))
		g_strchomp(*ret_command);
	return (ApiCaller){ fc->uid, fc->pid, *ret_command, path };
}
