/* query.c — typed access to query arguments.
 *
 * Owns: how paging arguments and booleans are read and which WKS code a bad one gets.
 * Must not: touch the tenant.
 */
#include "emulator/query.h"

#include <string.h>

gboolean query_page(const EmuRequest *req, EmuResponse *resp, const QueryPage *page,
		    gint64 *ret_offset, gint64 *ret_limit)
{
	const char *offset_s = emu_request_arg(req, "offset");
	const char *limit_s = emu_request_arg(req, "limit");
	gint64 max = page->max_limit < 0 ? G_MAXINT32 : page->max_limit;
	gint64 min = page->zero_is_default ? 0 : page->min_limit;
	gint64 offset = 0, limit = page->default_limit < 0 ? G_MAXINT64 : page->default_limit;

	if (offset_s && !g_ascii_string_to_signed(offset_s, 10, 0, G_MAXINT32, &offset, NULL)) {
		emu_reply_error(resp, 400, "WKS.0508", "The value of offset cannot be smaller "
				"than 0 (offset must be an integer from 0 to %d).", G_MAXINT32);
		return FALSE;
	}
	if (limit_s && !g_ascii_string_to_signed(limit_s, 10, min, max, &limit, NULL)) {
		emu_reply_error(resp, 400, "WKS.0509", "The value of limit must be an integer "
				"from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ".",
				page->min_limit, max);
		return FALSE;
	}
	if (limit_s && limit == 0 && page->zero_is_default)
		limit = page->default_limit;
	*ret_offset = offset;
	*ret_limit = limit;
	return TRUE;
}

gboolean query_paging(const EmuRequest *req, EmuResponse *resp, gint64 default_limit,
		      gint64 max_limit, gint64 *ret_offset, gint64 *ret_limit)
{
	const QueryPage page = { default_limit, 0, max_limit, FALSE };

	return query_page(req, resp, &page, ret_offset, ret_limit);
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

gboolean query_fuzzy(const char *haystack, const char *needle)
{
	g_autofree char *h = g_ascii_strdown(haystack, -1);
	g_autofree char *n = g_ascii_strdown(needle, -1);

	return strstr(h, n) != NULL;
}

gboolean query_in_list(const char *csv, const char *item)
{
	g_auto(GStrv) items = g_strsplit(csv, ",", -1);

	for (guint i = 0; items[i]; i++)
		if (g_str_equal(g_strstrip(items[i]), item))
			return TRUE;
	return FALSE;
}

gboolean query_id_array(const cJSON *arr, const char *field, guint max, GPtrArray *ids,
			EmuResponse *resp)
{
	const cJSON *id;

	if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) < 1 ||
	    (guint)cJSON_GetArraySize(arr) > max) {
		emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters entered "
				"through the interface is invalid. %s (an array of 1 to %u IDs) is "
				"invalid.", field, max);
		return FALSE;
	}
	cJSON_ArrayForEach(id, arr) {
		gboolean dup = FALSE;

		for (guint i = 0; cJSON_IsString(id) && i < ids->len; i++)
			dup |= g_str_equal(ids->pdata[i], id->valuestring);
		if (!cJSON_IsString(id) || !*id->valuestring || dup) {
			emu_reply_error(resp, 400, "WKS.0001", "The format of the parameters "
					"entered through the interface is invalid. %s%s is invalid.",
					field, dup ? " (duplicate ID)" : "");
			return FALSE;
		}
		g_ptr_array_add(ids, id->valuestring);
	}
	return TRUE;
}
