/* query.c — typed access to query arguments.
 *
 * Owns: how paging arguments and booleans are read and which WKS code a bad one gets.
 * Must not: touch the tenant.
 */
#include "emulator/query.h"

gboolean query_paging(const EmuRequest *req, EmuResponse *resp, gint64 default_limit,
		      gint64 max_limit, gint64 *ret_offset, gint64 *ret_limit)
{
	const char *offset_s = emu_request_arg(req, "offset");
	const char *limit_s = emu_request_arg(req, "limit");
	gint64 offset = 0, limit = default_limit < 0 ? G_MAXINT64 : default_limit;

	if (offset_s && !g_ascii_string_to_signed(offset_s, 10, 0, G_MAXINT32, &offset, NULL)) {
		emu_reply_error(resp, 400, "WKS.0508", "The value of offset cannot be smaller "
				"than 0 (offset must be an integer from 0 to %d).", G_MAXINT32);
		return FALSE;
	}
	if (limit_s && !g_ascii_string_to_signed(limit_s, 10, 0,
						 max_limit < 0 ? G_MAXINT32 : max_limit,
						 &limit, NULL)) {
		if (max_limit < 0)
			emu_reply_error(resp, 400, "WKS.0509", "The value of limit must be an "
					"integer from 0 to %d.", G_MAXINT32);
		else
			emu_reply_error(resp, 400, "WKS.0509", "The value of limit must be an "
					"integer from 0 to %" G_GINT64_FORMAT ".", max_limit);
		return FALSE;
	}
	*ret_offset = offset;
	*ret_limit = limit;
	return TRUE;
}

gboolean query_bool(const EmuRequest *req, EmuResponse *resp, const char *name, int *ret)
{
	const char *s = emu_request_arg(req, name);

	if (!s) {
		*ret = -1;
	} else if (g_str_equal(s, "true")) {
		*ret = 1;
	} else if (g_str_equal(s, "false")) {
		*ret = 0;
	} else {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. %s is invalid (true or false).",
				name);
		return FALSE;
	}
	return TRUE;
}

GPtrArray *query_all(const EmuRequest *req, const char *name)
{
	GPtrArray *all = NULL;

	for (guint i = 0; i < req->args->len; i++) {
		const SignerPair *p = &g_array_index(req->args, SignerPair, i);

		if (!g_str_equal(p->name, name))
			continue;
		if (!all)
			all = g_ptr_array_new();
		g_ptr_array_add(all, (gpointer)p->value);
	}
	return all;
}
