/* fuzz-create.c — the `.create` body check (src/create.c): a JSON body written to
 * <kind>/.create, or to a writable JSON document (policies.json), checked against the
 * documented fields before anything is sent.
 *
 * Input: the first byte picks a spec (each kind's create, then each JSON field's body), the
 * rest is the body.
 *
 * Invariants: a refusal has a reason fit for /.wksfs/errors (one line of printable UTF-8)
 * that quotes no value of the body, and leaves ret_root untouched; an accepted body is one
 * object of known fields, each once, with the mandatory ones and a usable name, is never
 * "cut short", and the shown (audited) form is JSON with every secret field "***".
 */
#include <string.h>

#include "fuzz/fuzz.h"
#include "src/create.h"
#include "src/json.h"

static ResCreate specs[128];
static guint n_specs;
static GString *spec_names;	/* every field name the specs list, for the quoting check */

static void add_names(const ResBodyField *fields)
{
	for (const ResBodyField *f = fields; f && f->name; f++) {
		g_string_append_printf(spec_names, "%s\n", f->name);
		add_names(f->fields);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	spec_names = g_string_new(NULL);
	for (int i = 0; res_kinds[i]; i++) {
		const ResKind *k = res_kinds[i];

		if (k->create && n_specs < G_N_ELEMENTS(specs))
			specs[n_specs++] = *k->create;
		for (const ResField *f = k->fields; f && f->field; f++)
			if (f->type == FIELD_JSON && f->body && n_specs < G_N_ELEMENTS(specs))
				specs[n_specs++] = (ResCreate){ .body = f->body };
	}
	for (guint i = 0; i < n_specs; i++)
		add_names(specs[i].body);
	if (n_specs == 0)
		abort();
	return 0;
}

static const ResBodyField *named(const ResBodyField *fields, const char *name)
{
	for (const ResBodyField *f = fields; f->name; f++)
		if (name && strcmp(f->name, name) == 0)
			return f;
	return NULL;
}

/* The fields of an accepted object: known, once each, the mandatory ones there. */
static void check_accepted(const ResBodyField *fields, const cJSON *obj)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, obj) {
		FUZZ_CHECK(named(fields, it->string), "unknown field \"%s\" accepted", it->string);
		for (const cJSON *b = obj->child; b != it; b = b->next)
			FUZZ_CHECK(strcmp(b->string, it->string) != 0, "\"%s\" twice accepted",
				   it->string);
	}
	for (const ResBodyField *f = fields; f->name; f++)
		FUZZ_CHECK(!f->mandatory || cJSON_GetObjectItemCaseSensitive(obj, f->name),
			   "mandatory \"%s\" missing, accepted", f->name);
}

/* The shown form: every secret field's value masked, at every level the spec lists. */
static void check_masked(const ResBodyField *fields, const cJSON *obj)
{
	const cJSON *it, *each;

	cJSON_ArrayForEach(it, obj) {
		const ResBodyField *f = named(fields, it->string);

		if (!f)
			continue;
		if (f->secret) {
			FUZZ_CHECK(cJSON_IsString(it) && strcmp(it->valuestring, "***") == 0,
				   "secret \"%s\" shown", f->name);
			continue;
		}
		if (!f->fields)
			continue;
		if (cJSON_IsObject(it))
			check_masked(f->fields, it);
		else if (cJSON_IsArray(it))
			cJSON_ArrayForEach(each, it)
				if (cJSON_IsObject(each))
					check_masked(f->fields, each);
	}
}

static void collect(const cJSON *v, GString *keys, GPtrArray *values)
{
	const cJSON *it;

	if (cJSON_IsString(v))
		g_ptr_array_add(values, v->valuestring);
	cJSON_ArrayForEach(it, v) {
		if (it->string)
			g_string_append_printf(keys, "%s\n", it->string);
		collect(it, keys, values);
	}
}

/* No string value of the body in the reason (a value may be a password). Values that are
 * also (part of) a key or a documented field name prove nothing. */
static void check_no_value_quoted(const char *why, const char *body, gsize len)
{
	g_autofree char *copy = g_strndup(body, len);
	g_autoptr(cJSON) root = cJSON_ParseWithLength(copy, len);
	g_autoptr(GString) keys = g_string_new(NULL);
	g_autoptr(GPtrArray) values = g_ptr_array_new();
	/* Up to the list of the fields a level takes (spec names, joined by ", "). */
	g_autofree char *own = g_strndup(why, strstr(why, "takes: ") ? (gsize)(strstr(why,
		"takes: ") - why) : strlen(why));

	if (!root)
		return;
	collect(root, keys, values);
	for (guint i = 0; i < values->len; i++) {
		const char *v = values->pdata[i];

		if (strlen(v) < 4 || strstr(keys->str, v) || strstr(spec_names->str, v))
			continue;
		FUZZ_CHECK(!strstr(own, v), "the reason \"%s\" quotes the value \"%s\"", why, v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ResCreate *spec;
	const char *body;
	gsize len;
	cJSON *sentinel = (cJSON *)&spec, *root = sentinel;
	g_autofree char *why = NULL;

	if (size == 0)
		return 0;
	spec = &specs[data[0] % n_specs];
	body = (const char *)data + 1;
	len = size - 1;
	why = create_check_body(spec, body, len, &root);
	if (why) {
		FUZZ_CHECK(fuzz_printable_line(why), "reason \"%s\" is not one printable line",
			   why);
		FUZZ_CHECK(root == sentinel, "ret_root set on a refusal");
		check_no_value_quoted(why, body, len);
		return 0;
	}
	g_autoptr(cJSON) owned = root;
	FUZZ_CHECK(cJSON_IsObject(root), "accepted a non-object");
	FUZZ_CHECK(len <= CREATE_MAX_BODY, "accepted %zu bytes", len);
	FUZZ_CHECK(!create_body_cut_short(body, len), "an accepted body is \"cut short\"");
	check_accepted(spec->body, root);
	if (spec->name_field)
		FUZZ_CHECK(create_name_at(root, spec->name_field), "accepted without a name");
	{
		char *shown = create_print_shown(spec, root);
		g_autoptr(cJSON) back = cJSON_Parse(shown);

		FUZZ_CHECK(cJSON_IsObject(back), "the shown body is not JSON: %s", shown);
		check_masked(spec->body, back);
		cJSON_free(shown);
	}
	return 0;
}
