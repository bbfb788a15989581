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

GBytes *json_print_bytes(const cJSON *item)
{
	char *text = cJSON_PrintUnformatted(item);
	GBytes *b = g_bytes_new(text, strlen(text));

	cJSON_free(text);
	return b;
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
