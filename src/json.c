/* json.c — small cJSON helpers shared by the client layers. The getters return borrowed
 * pointers and tolerate wrong types: the API documents numbers as strings in places. */
#include "src/json.h"

#include <string.h>

#define MAX_NAME 255

cJSON *json_parse_bytes(GBytes *bytes)
{
	gsize len = 0;
	const char *data = bytes ? g_bytes_get_data(bytes, &len) : NULL;

	return data ? cJSON_ParseWithLength(data, len) : NULL;
}

/* The value of the \uXXXX escape at p (p[0] == '\\'), or -1. */
static int escape_at(const char *p, const char *end)
{
	int v = 0;

	if (end - p < 6 || p[0] != '\\' || p[1] != 'u')
		return -1;
	for (int i = 2; i < 6; i++) {
		int d = g_ascii_xdigit_value(p[i]);

		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

GBytes *json_escape_lone_surrogates(GBytes *bytes)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(bytes, &len);
	const char *end = data + len;
	GString *out = NULL;
	gboolean in_string = FALSE;

	/* One pass; a backslash only means something inside a string, where it starts an
	 * escape: two characters, or six for \uXXXX, twelve for a valid pair. */
	for (const char *p = data; p < end;) {
		gsize n = 1;	/* bytes copied as they are */

		if (*p == '"') {
			in_string = !in_string;
		} else if (in_string && *p == '\\' && p + 1 < end) {
			int hi = escape_at(p, end), lo;

			n = hi >= 0 ? 6 : 2;
			if (hi >= 0xD800 && hi <= 0xDFFF) {
				lo = hi <= 0xDBFF ? escape_at(p + 6, end) : -1;
				if (lo >= 0xDC00 && lo <= 0xDFFF) {
					n = 12;
				} else {
					if (!out) {
						out = g_string_sized_new(len + 16);
						g_string_append_len(out, data, p - data);
					}
					g_string_append(out, "\\\\");
					g_string_append_len(out, p + 1, 5);
					p += 6;
					continue;
				}
			}
		}
		if (out)
			g_string_append_len(out, p, n);
		p += n;
	}
	if (!out)
		return g_bytes_ref(bytes);
	return g_string_free_to_bytes(out);
}

gboolean json_int(const cJSON *v, gint64 *ret)
{
	if (cJSON_IsNumber(v)) {
		*ret = (gint64)v->valuedouble;
		return TRUE;
	}
	if (cJSON_IsString(v)) {
		char *end = NULL;
		gint64 n = g_ascii_strtoll(v->valuestring, &end, 10);

		if (end && end != v->valuestring && *end == '\0') {
			*ret = n;
			return TRUE;
		}
	}
	return FALSE;
}

const char *json_name(const cJSON *item, const char *field)
{
	const cJSON *v = cJSON_GetObjectItem(item, field);

	if (!cJSON_IsString(v) || !v->valuestring[0] || strlen(v->valuestring) > MAX_NAME ||
	    !g_utf8_validate(v->valuestring, -1, NULL))
		return NULL;
	return v->valuestring;
}

/* Where the value that opens at p (a '{' or '[') ends: just past its closing bracket, or
 * end when it never closes. Strings are skipped whole, escapes included. */
static const char *skip_value(const char *p, const char *end)
{
	gsize depth = 0;
	gboolean in_string = FALSE;

	for (; p < end; p++) {
		if (in_string) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_string = FALSE;
		} else if (*p == '"') {
			in_string = TRUE;
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if ((*p == '}' || *p == ']') && --depth == 0) {
			return p + 1;
		}
	}
	return end;
}

GBytes *json_cut_deep(GBytes *bytes, guint max_depth, guint *ret_cut)
{
	gsize len = 0;
	const char *data = g_bytes_get_data(bytes, &len);
	const char *end = data + len;
	GString *out = NULL;
	gboolean in_string = FALSE;
	guint depth = 0, cut = 0;

	for (const char *p = data; p < end; p++) {
		if (in_string) {
			if (*p == '\\' && p + 1 < end) {
				if (out)
					g_string_append_c(out, *p);
				p++;
			} else if (*p == '"') {
				in_string = FALSE;
			}
		} else if (*p == '"') {
			in_string = TRUE;
		} else if ((*p == '{' || *p == '[') && ++depth > max_depth) {
			if (!out) {
				out = g_string_sized_new(len);
				g_string_append_len(out, data, p - data);
			}
			g_string_append(out, "null");
			p = skip_value(p, end) - 1;
			depth--;
			cut++;
			continue;
		} else if (*p == '}' || *p == ']') {
			if (depth)
				depth--;
		}
		if (out)
			g_string_append_c(out, *p);
	}
	*ret_cut = cut;
	if (!out)
		return g_bytes_ref(bytes);
	return g_string_free_to_bytes(out);
}
