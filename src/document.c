/* document.c — field files whose value is a whole document rather than one line: a JSON
 * object (FIELD_JSON: a policy group's policies.json) or a text of many lines (FIELD_TEXT:
 * a script's content).
 *
 * Owns: when such a value is complete — JSON as a `.create` body is (a write ending in a
 * newline, unless the JSON so far is cut short: create.c decides, for both), text only at
 * the writer's last close, since every line of a script ends in a newline — and what each
 * write is refused for before then (a NUL byte, bytes no UTF-8 can continue), so the shell
 * sees the error from write(). Then the one send: the caller's checks first (uid, -o ro),
 * the whole value checked (JSON: one object of the documented fields and types, by
 * create.c's body check; text: UTF-8, one trailing newline dropped as for every field), the
 * fields the table says go along taken from the cached object as they are, one request
 * through mutate.c (audited, -o dry_run honoured, never resent, the object invalidated).
 * Must not: know FUSE, retry, or fetch anything but the object written to.
 */
#include "src/api-private.h"

#include <errno.h>
#include <string.h>

#include "src/create.h"
#include "src/json.h"
#include "src/mutate.h"
#include "src/reader.h"
#include "src/render.h"

gboolean api_field_is_document(const ResField *field)
{
	return field && (field->type == FIELD_JSON || field->type == FIELD_TEXT);
}

/* Whether text may still become UTF-8: valid, or cut inside its last character. */
static gboolean utf8_so_far(const char *text, gsize len)
{
	const char *end = NULL;
	gsize rest, need;
	guchar lead;

	if (g_utf8_validate(text, (gssize)len, &end))
		return TRUE;
	rest = len - (gsize)(end - text);
	lead = (guchar)*end;
	need = lead >= 0xf0 && lead <= 0xf4 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc2 ? 2 : 0;
	if (!need || lead > 0xf4 || rest >= need)
		return FALSE;
	for (gsize i = 1; i < rest; i++)
		if (((guchar)end[i] & 0xc0) != 0x80)
			return FALSE;
	return TRUE;
}

const char *api_text_so_far_problem(const char *text, gsize len)
{
	if (memchr(text, '\0', len))
		return "a NUL byte (the value is text)";
	if (!utf8_so_far(text, len))
		return "not UTF-8 text";
	return NULL;
}

int api_document_take(ApiClient *api, const char *path, const ResField *field,
		      const char *value, gsize len, gboolean at_newline)
{
	const char *why = api_text_so_far_problem(value, len);

	if (why) {
		api_note_invalid(api, field ? field->method : "create", path, why);
		return -EINVAL;
	}
	if (!field)
		return at_newline && !api_create_incomplete(value, len);
	if (field->type == FIELD_TEXT || !at_newline)
		return 0;
	return !create_body_cut_short(value, len);
}

/* A JSON field's value: one object of the documented fields (create.c's check). */
static char *check_json(const ResField *field, const char *value, gsize len, cJSON **ret)
{
	const ResCreate spec = { .body = field->body };

	if (len > field->max_len)
		return g_strdup_printf("longer than %" G_GSIZE_FORMAT " bytes", field->max_len);
	return create_check_body(&spec, value, len, ret);
}

/* A text field's value: UTF-8 without NUL bytes, its one trailing newline dropped. */
static char *check_text(const ResField *field, const char *value, gsize len, cJSON **ret)
{
	g_autofree char *copy = NULL;

	if (len > 0 && value[len - 1] == '\n')
		len--;
	if (len > field->max_len)
		return g_strdup_printf("longer than %" G_GSIZE_FORMAT " bytes", field->max_len);
	if (len && (memchr(value, '\0', len) || !g_utf8_validate(value, (gssize)len, NULL)))
		return g_strdup("not UTF-8 text without NUL bytes");
	/* cJSON copies a NUL-terminated string; the value is not one. */
	copy = g_strndup(value, len);
	*ret = cJSON_CreateString(copy);
	return NULL;
}

/* The body: the carried fields of the cached object (blob), then the value, in the
 * field's wrapper if it has one. */
static char *build_body(const ResField *field, GBytes *blob, cJSON *value)
{
	g_autoptr(GBytes) json = render_json(blob);
	g_autoptr(cJSON) obj = json ? json_parse_bytes(json) : NULL;
	g_autoptr(cJSON) body = cJSON_CreateObject();
	cJSON *target = field->wrapper ? cJSON_AddObjectToObject(body, field->wrapper) : body;
	char *printed;

	for (const char *const *c = field->carry; c && *c; c++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, *c);

		if (v && !cJSON_IsNull(v))
			cJSON_AddItemToObject(target, *c, cJSON_Duplicate(v, TRUE));
	}
	cJSON_AddItemToObject(target, field->field, value);
	printed = cJSON_PrintUnformatted(body);
	return printed;
}

int api_set_document(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		     const char *name, const ResField *field, const char *value, gsize len)
{
	g_autofree char *why = NULL, *id = NULL, *result = NULL;
	g_autoptr(GBytes) blob = NULL;
	cJSON *doc = NULL;
	char *printed;
	int rc = api_check_caller(api, caller);

	if (rc < 0)
		return rc;
	if (api_read_only(api))
		return api_refuse_read_only(api, caller);
	why = field->type == FIELD_JSON ? check_json(field, value, len, &doc)
					: check_text(field, value, len, &doc);
	if (why) {
		api_note_invalid(api, field->method, caller ? caller->path : NULL, why);
		return -EINVAL;
	}
	rc = mutate_object_id(api, kind, name, &id);
	if (rc == 0)
		rc = reader_get(api, kind, name, NULL, &blob, NULL);
	if (rc < 0) {
		cJSON_Delete(doc);
		return rc;
	}
	printed = build_body(field, blob, doc);
	rc = mutate_send(api, caller, kind, name, field->method, field->path, id, printed, NULL,
			 &result);
	cJSON_free(printed);
	return rc;
}
