/* create.c — creating objects: the bodies written to `<kind>/.create` (users, user groups,
 * desktops, and any kind whose table entry has a ResCreate).
 *
 * Owns: checking a body against the kind's documented fields before anything is sent (one
 * JSON object in UTF-8; every field known, at each level whose fields the table lists, so a
 * typo is an error rather than a field the API silently ignores; each of its documented
 * type; the mandatory ones present), and the create itself: the caller's checks first (uid,
 * -o ro, the body, -o dry_run), then one POST, never resent (client.c sends a mutation at
 * most once), audited with its secret fields masked. What it answers becomes the writer's
 * result: the new object's name, or "job <id>" for an asynchronous create, whose job is
 * followed (jobs.c) and whose end invalidates the collection. A synchronous create
 * invalidates the collection before it returns, so the new name shows at once; so does a
 * create whose outcome is unknown (a timeout, a 5xx: it may have been applied).
 * Must not: retry, fetch, or hold a lock; parse anything but the writer's body and the API's
 * answer.
 */
#include "src/create.h"

#include <errno.h>
#include <string.h>

#include "src/api-private.h"
#include "src/audit.h"
#include "src/errmap.h"
#include "src/jobs.h"
#include "src/store.h"

/* ---- the body ---- */

static const char *type_name(BodyType type)
{
	switch (type) {
	case BODY_STRING:
		return "a string";
	case BODY_INTEGER:
		return "an integer";
	case BODY_BOOLEAN:
		return "true or false";
	case BODY_ARRAY:
		return "an array";
	case BODY_OBJECT:
	default:
		return "an object";
	}
}

static gboolean has_type(BodyType type, const cJSON *v)
{
	switch (type) {
	case BODY_STRING:
		return cJSON_IsString(v);
	case BODY_INTEGER:
		/* Exactly representable, no fraction: what an Integer field can hold. */
		return cJSON_IsNumber(v) && v->valuedouble >= -9007199254740992.0 &&
		       v->valuedouble <= 9007199254740992.0 &&
		       v->valuedouble == (double)(gint64)v->valuedouble;
	case BODY_BOOLEAN:
		return cJSON_IsBool(v);
	case BODY_ARRAY:
		return cJSON_IsArray(v);
	case BODY_OBJECT:
	default:
		return cJSON_IsObject(v);
	}
}

static const ResBodyField *field_named(const ResBodyField *fields, const char *name)
{
	for (const ResBodyField *f = fields; name && f->name; f++)
		if (strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

static char *field_list(const ResBodyField *fields)
{
	GString *s = g_string_new(NULL);

	for (const ResBodyField *f = fields; f->name; f++)
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", f->name);
	return g_string_free(s, FALSE);
}

static char *check_object(const ResBodyField *fields, const cJSON *obj, const char *where);

/* One value of field f at where ("root_volume", "desktops[0]"). */
static char *check_value(const ResBodyField *f, const cJSON *v, const char *where)
{
	const cJSON *item;
	int i = 0;

	if (!has_type(f->type, v))
		return g_strdup_printf("\"%s\" must be %s", where, type_name(f->type));
	if (f->type == BODY_OBJECT)
		return f->fields ? check_object(f->fields, v, where) : NULL;
	if (f->type != BODY_ARRAY)
		return NULL;
	cJSON_ArrayForEach(item, v) {
		g_autofree char *at = g_strdup_printf("%s[%d]", where, i++);
		const ResBodyField of = { f->name, f->items, FALSE, BODY_STRING, f->fields,
					  f->secret };
		char *why;

		if (f->items == BODY_ARRAY) /* no documented body nests arrays in arrays */
			return g_strdup_printf("\"%s\" must not be an array", at);
		why = check_value(&of, item, at);
		if (why)
			return why;
	}
	return NULL;
}

/* A JSON key (its \u escapes decoded) as one line of UTF-8 text. */
static gboolean printable(const char *s)
{
	if (!g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (; *s; s++)
		if ((guchar)*s < 0x20 || *s == 0x7f)
			return FALSE;
	return TRUE;
}

/* An object whose fields are listed: nothing unknown, nothing twice, each of its type, the
 * mandatory ones present. */
static char *check_object(const ResBodyField *fields, const cJSON *obj, const char *where)
{
	const cJSON *item;

	cJSON_ArrayForEach(item, obj) {
		const ResBodyField *f = field_named(fields, item->string);
		g_autofree char *at = where ? g_strdup_printf("%s.%s", where, item->string)
					    : g_strdup(item->string);
		char *why;

		if (!f) {
			g_autofree char *known = field_list(fields);

			/* The reason goes to /.wksfs/errors: never a second line, nor bytes a
			 * terminal would act on. */
			if (!printable(item->string))
				return g_strdup_printf("an unknown field whose name is not "
						       "printable (%s%stakes: %s)",
						       where ? where : "", where ? " " : "", known);
			return g_strdup_printf("unknown field \"%s\" (%s%stakes: %s)", at,
					       where ? where : "", where ? " " : "", known);
		}
		for (const cJSON *before = obj->child; before != item; before = before->next)
			if (g_strcmp0(before->string, item->string) == 0)
				return g_strdup_printf("field \"%s\" given twice", at);
		why = check_value(f, item, at);
		if (why)
			return why;
	}
	for (const ResBodyField *f = fields; f->name; f++) {
		if (f->mandatory && !cJSON_GetObjectItemCaseSensitive(obj, f->name)) {
			if (where)
				return g_strdup_printf("missing mandatory field \"%s.%s\"", where,
						       f->name);
			return g_strdup_printf("missing mandatory field \"%s\"", f->name);
		}
	}
	return NULL;
}

/* Only blanks in [p, end). */
static gboolean blank(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!g_ascii_isspace(*p))
			return FALSE;
	return TRUE;
}

/* Parses body (NUL-terminated copy, len bytes): the object, or NULL with *ret_stop where the
 * parser stopped. cJSON reads one byte past a length it is given, so the copy ends in NUL. */
static cJSON *parse(const char *body, gsize len, gsize *ret_stop, gboolean *ret_trailing)
{
	g_autofree char *copy = g_strndup(body, len);
	const char *end = NULL;
	cJSON *root = cJSON_ParseWithLengthOpts(copy, len, &end, FALSE);

	*ret_trailing = FALSE;
	*ret_stop = end ? (gsize)(end - copy) : 0;
	if (root && !blank(end, copy + len)) {
		*ret_trailing = TRUE;
		cJSON_Delete(root);
		return NULL;
	}
	return root;
}

/* The brackets left open at the end of text, outside strings; -1 when they do not match or
 * the text ends inside a string (no JSON text cut at a newline does: strings hold none). */
static int open_brackets(const char *text, gsize len)
{
	g_autoptr(GString) stack = g_string_new(NULL);
	gboolean in_string = FALSE;

	for (gsize i = 0; i < len; i++) {
		char c = text[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
		} else if (c == '"') {
			in_string = TRUE;
		} else if (c == '{' || c == '[') {
			g_string_append_c(stack, c == '{' ? '}' : ']');
		} else if (c == '}' || c == ']') {
			if (!stack->len || stack->str[stack->len - 1] != c)
				return -1;
			g_string_truncate(stack, stack->len - 1);
		}
	}
	return in_string ? -1 : (int)MIN(stack->len, G_MAXINT);
}

gboolean create_body_cut_short(const char *body, gsize len)
{
	const char *first;
	gboolean trailing;
	gsize stop;
	cJSON *root;

	if (len == 0 || len > CREATE_MAX_BODY || blank(body, body + len) ||
	    open_brackets(body, len) <= 0)
		return FALSE;
	/* What no more writing makes an object: another first byte, or a control character
	 * (JSON has none, in strings or between tokens, but blanks). cJSON's stop position
	 * for these is not always where they are. */
	for (first = body; g_ascii_isspace(*first); first++)
		;
	if (*first != '{')
		return FALSE;
	for (gsize i = 0; i < len; i++)
		if ((guchar)body[i] < 0x20 && !g_ascii_isspace(body[i]))
			return FALSE;
	root = parse(body, len, &stop, &trailing);
	if (root) {
		cJSON_Delete(root);
		return FALSE;
	}
	/* Open brackets, and the parser ran out of input (it reports the last byte, or one
	 * past a failed string's opening quote): not a mistake before the end. */
	return !trailing && stop + 2 >= len;
}

const char *create_name_at(const cJSON *root, const char *path)
{
	g_auto(GStrv) parts = path ? g_strsplit(path, ".", -1) : NULL;
	const cJSON *obj = root;
	guint n = parts ? g_strv_length(parts) : 0;

	for (guint i = 0; i + 1 < n && obj; i++)
		obj = cJSON_GetObjectItemCaseSensitive(obj, parts[i]);
	return n && cJSON_IsObject(obj) ? json_name(obj, parts[n - 1]) : NULL;
}

char *create_check_body(const ResCreate *spec, const char *body, gsize len,
			cJSON **ret_root)
{
	g_autoptr(cJSON) root = NULL;
	const char *name;
	gboolean trailing;
	gsize stop;
	char *why;

	if (len > CREATE_MAX_BODY)
		return g_strdup_printf("longer than %d bytes", CREATE_MAX_BODY);
	if (len == 0 || blank(body, body + len))
		return g_strdup("an empty body (the API's JSON create body is expected)");
	if (memchr(body, '\0', len) || !g_utf8_validate(body, (gssize)len, NULL))
		return g_strdup("not UTF-8 text");
	root = parse(body, len, &stop, &trailing);
	if (!root) {
		if (trailing)
			return g_strdup("more than one JSON value (one object is the body)");
		return g_strdup_printf("not JSON (the parser stopped at byte %" G_GSIZE_FORMAT
				       ")", stop);
	}
	if (!cJSON_IsObject(root))
		return g_strdup("not a JSON object (the body is one object)");
	why = check_object(spec->body, root, NULL);
	if (why)
		return why;
	name = create_name_at(root, spec->name_field);
	if (spec->name_field && !name)
		return g_strdup_printf("\"%s\" is not a name (1 to 255 bytes of UTF-8)",
				       spec->name_field);
	*ret_root = g_steal_pointer(&root);
	return NULL;
}

/* Replaces the values of secret fields in obj (a copy), at every level the spec lists. */
static void mask(const ResBodyField *fields, cJSON *obj)
{
	cJSON *next;

	for (cJSON *item = obj->child; item; item = next) {
		const ResBodyField *f = field_named(fields, item->string);
		cJSON *each;

		next = item->next;	/* item is freed when it is replaced */
		if (!f)
			continue;
		if (f->secret) {
			cJSON_ReplaceItemInObjectCaseSensitive(obj, f->name,
							       cJSON_CreateString("***"));
			continue;
		}
		if (!f->fields)
			continue;
		if (cJSON_IsObject(item))
			mask(f->fields, item);
		else if (cJSON_IsArray(item))
			cJSON_ArrayForEach(each, item)
				if (cJSON_IsObject(each))
					mask(f->fields, each);
	}
}

char *create_print_shown(const ResCreate *spec, const cJSON *root)
{
	g_autoptr(cJSON) copy = cJSON_Duplicate(root, TRUE);

	mask(spec->body, copy);
	return cJSON_PrintUnformatted(copy);
}

/* ---- the create ---- */

static char *refused(int rc, const char *why)
{
	return why ? g_strdup_printf("error: %s: %s", g_strerror(-rc), why)
		   : g_strdup_printf("error: %s", g_strerror(-rc));
}

/* The collection gains a name (and another kind may change): stale now, so the next
 * listing shows it; a name given is also stale (a "no such object" remembered for it). */
static void invalidate(ApiClient *api, const ResKind *kind, const char *name)
{
	const ResKind *also = res_kind_lookup(kind->create->also_changes);

	if (name)
		store_invalidate(api, kind, name);
	store_expect(api, kind, NULL, "write");
	store_invalidate(api, kind, NULL);
	if (also)
		store_invalidate_all(api, also);
}

/* What the API answered to a create that succeeded: the result, the new object's name in
 * *ret_name when it is known (the body's, else the answer's id), and for an asynchronous
 * create the job followed. */
static char *created(ApiClient *api, const ResKind *kind, const char *name, GBytes *resp,
		     char **ret_name)
{
	const ResCreate *spec = kind->create;
	const ResKind *also = res_kind_lookup(spec->also_changes);
	g_autoptr(cJSON) root = resp ? json_parse_bytes(resp) : NULL;
	const char *job;

	invalidate(api, kind, name);
	if (!name && spec->id_field)
		name = create_name_at(root, spec->id_field);
	if (name)
		*ret_name = g_strdup(name);
	if (!spec->job_field)
		return g_strdup(name ? name : "ok");
	job = cJSON_GetStringValue(cJSON_GetObjectItem(root, spec->job_field));
	if (!job || !job[0] || strlen(job) > 255 || strchr(job, '/'))
		return g_strdup("ok");	/* no job to follow: what it made shows already */
	api_create_answered(api, job, kind, also);
	return g_strdup_printf("job %s", job);
}

/* One create; *result set in every case. */
static int run_create(ApiClient *api, const ApiCaller *caller, const ResKind *kind,
		      const char *body, gsize len, char **ret_name, char **result)
{
	const ResCreate *spec = kind->create;
	g_autoptr(cJSON) root = NULL;
	g_autoptr(GBytes) resp = NULL;
	g_autofree char *why = NULL, *sent = NULL, *shown = NULL;
	WksError err = { 0 };
	const char *name;
	char *printed;
	int rc = api_check_caller(api, caller);

	if (rc < 0) {
		*result = refused(rc, NULL);
		return rc;
	}
	if (!spec) {
		*result = refused(-EPERM, "this kind has no create");
		return -EPERM;
	}
	if (api_read_only(api)) {
		*result = refused(-EROFS, NULL);
		return api_refuse_read_only(api, caller);
	}
	why = create_check_body(spec, body, len, &root);
	if (why) {
		api_note_invalid(api, "create", caller ? caller->path : NULL, why);
		*result = refused(-EINVAL, why);
		return -EINVAL;
	}
	name = create_name_at(root, spec->name_field);
	printed = cJSON_PrintUnformatted(root);
	sent = g_strdup(printed);
	cJSON_free(printed);
	shown = create_print_shown(spec, root);
	if (api->dry_run) {
		audit_add(api->audit, caller, spec->method, spec->path, shown, "dry-run, not sent",
			  NULL);
		*result = g_strdup_printf("dry-run: %s %s %s", spec->method, spec->path, shown);
		return 0;
	}
	rc = wks_call_at(api->client, kind->service == SERVICE_APPSTREAM, spec->method,
			 spec->path, NULL, NULL, 0, sent, &resp, &err);
	if (rc == 0) {
		*result = created(api, kind, name, resp, ret_name);
	} else {
		g_autofree char *line = NULL;

		rc = errmap_for_create(rc, err.status, err.error_code);
		line = audit_describe_error(rc, &err);
		if (audit_outcome_unknown(rc, &err)) {
			/* It may exist now: the next listing says. */
			invalidate(api, kind, name);
			*result = g_strdup_printf("%s (it may have been created: the API did not "
						  "say; it was not sent again)", line);
		} else {
			*result = g_strdup(line);
		}
	}
	audit_add(api->audit, caller, spec->method, spec->path, shown, *result, err.request_id);
	wks_error_clear(&err);
	return rc;
}

int api_create(ApiClient *api, const ApiCaller *caller, const ResKind *kind, const char *body,
	       gsize len, char **ret_name, char **outcome)
{
	g_autofree char *result = NULL, *name = NULL;
	int rc = run_create(api, caller, kind, body, len, &name, &result);

	*outcome = g_strdup_printf("%s\n", result);
	if (rc == 0 && name)
		*ret_name = g_steal_pointer(&name);
	return rc;
}

gboolean api_create_incomplete(const char *body, gsize len)
{
	return create_body_cut_short(body, len);
}
