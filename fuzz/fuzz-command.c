/* fuzz-command.c — the action command parser (src/input.c, as src/mutate.c and the batch
 * use it): a line written to <object>/action, and the body a checked command becomes.
 *
 * Input: the first byte picks a kind with actions, the rest is the command.
 *
 * Invariants: a refusal has a reason fit for /.wksfs/errors (one line of printable UTF-8)
 * and leaves every ret_* untouched; an accepted command is one of the kind's verbs with the
 * argument its verb takes, without control characters, and the canonical form ("verb",
 * "verb hard", "verb arg") is accepted the same way; the body is one JSON object carrying
 * the ids, the argument and the verb's operation and type.
 */
#include <string.h>

#include "fuzz/fuzz.h"
#include "src/input.h"
#include "src/json.h"

static const ResKind *actionable[64];
static guint n_actionable;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	for (int i = 0; res_kinds[i]; i++)
		if (res_kinds[i]->action && n_actionable < G_N_ELEMENTS(actionable))
			actionable[n_actionable++] = res_kinds[i];
	if (n_actionable == 0)
		abort();
	return 0;
}

static gboolean in_string_array(const cJSON *obj, const char *field, const char *value)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(obj, field), *it;

	cJSON_ArrayForEach(it, a)
		if (cJSON_IsString(it) && strcmp(it->valuestring, value) == 0)
			return TRUE;
	return FALSE;
}

static void check_body(const ResAction *action, const ResVerb *verb, gboolean hard,
		       const char *arg)
{
	const char *ids[] = { "id-1", "id-2" };
	char *text = input_action_body(action, verb, hard, arg ? "arg-id" : NULL, ids, 2);
	g_autoptr(cJSON) body = cJSON_Parse(text);
	const cJSON *v;

	FUZZ_CHECK(cJSON_IsObject(body), "body %s is not an object", text);
	if (action->ids_field)
		FUZZ_CHECK(in_string_array(body, action->ids_field, "id-1") &&
			   in_string_array(body, action->ids_field, "id-2"), "ids in %s", text);
	if (arg)
		FUZZ_CHECK(in_string_array(body, action->arg_field, "arg-id"), "arg in %s", text);
	if (action->op_field && verb->op_value) {
		v = cJSON_GetObjectItemCaseSensitive(body, action->op_field);
		FUZZ_CHECK(cJSON_IsString(v) && strcmp(v->valuestring, verb->op_value) == 0,
			   "op in %s", text);
	}
	if (action->type_field && verb->arg == ARG_HARD) {
		v = cJSON_GetObjectItemCaseSensitive(body, action->type_field);
		FUZZ_CHECK(cJSON_IsString(v) && strcmp(v->valuestring, hard ? "HARD" : "SOFT") == 0,
			   "type in %s", text);
	}
	cJSON_free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const ResKind *kind;
	const ResAction *action;
	const char *command;
	gsize len;
	const ResVerb *sentinel_verb = (const ResVerb *)&kind, *verb = sentinel_verb;
	gboolean hard = 7;
	char *sentinel_arg = (char *)&len, *arg = sentinel_arg;
	g_autofree char *why = NULL;

	if (size == 0)
		return 0;
	kind = actionable[data[0] % n_actionable];
	action = kind->action;
	command = (const char *)data + 1;
	len = size - 1;
	why = input_check_command(action, command, len, &verb, &hard, &arg);
	if (why) {
		FUZZ_CHECK(fuzz_printable_line(why), "reason \"%s\" is not one printable line",
			   why);
		FUZZ_CHECK(verb == sentinel_verb && hard == 7 && arg == sentinel_arg,
			   "ret_* set on a refusal");
		return 0;
	}
	g_autofree char *owned_arg = arg;
	g_autofree char *canonical = NULL;
	gboolean known = FALSE;

	for (const ResVerb *v = action->verbs; v->verb; v++)
		known |= v == verb;
	FUZZ_CHECK(known, "a verb not of the kind");
	FUZZ_CHECK(hard == FALSE || hard == TRUE, "hard %d", hard);
	FUZZ_CHECK(!hard || verb->arg == ARG_HARD, "hard for a verb that takes none");
	FUZZ_CHECK((arg != NULL) == (verb->arg == ARG_USER), "argument and verb disagree");
	if (arg) {
		FUZZ_CHECK(arg[0] && strlen(arg) <= 255, "argument length");
		FUZZ_CHECK(fuzz_printable_line(arg) && !strchr(arg, ' ') && !strchr(arg, '\t'),
			   "the argument \"%s\" is not one printable word", arg);
	}
	canonical = arg ? g_strdup_printf("%s %s", verb->verb, arg)
			: g_strdup_printf("%s%s", verb->verb, hard ? " hard" : "");
	{
		const ResVerb *v2 = NULL;
		gboolean h2 = FALSE;
		g_autofree char *a2 = NULL;
		g_autofree char *why2 = input_check_command(action, canonical, strlen(canonical),
							    &v2, &h2, &a2);

		FUZZ_CHECK(!why2 && v2 == verb && h2 == hard && g_strcmp0(a2, arg) == 0,
			   "the canonical form \"%s\" is not the same command", canonical);
	}
	check_body(action, verb, hard, arg);
	return 0;
}
