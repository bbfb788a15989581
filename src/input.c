/* input.c — what users write, checked before anything is sent: field values (one line,
 * bounded, well-formed for their type) and action commands (one line, a known verb, at most
 * one "hard"), and the body a checked action becomes. Bad input is refused here, with a
 * reason for /.wksfs/errors and the action file, so it never reaches the API. Pure: no I/O,
 * no state.
 */
#include "src/input.h"

#include <string.h>

#define MAX_COMMAND 256

static gboolean valid_email(const char *v)
{
	const char *at = strchr(v, '@');

	return at && at != v && !strchr(at + 1, '@') && strchr(at + 1, '.') &&
	       at[1] != '.' && v[strlen(v) - 1] != '.' && !strpbrk(v, " \t,;<>()[]\\\"");
}

/* 4.3.20: 1-15 characters, letters, digits, '-' and '_', starting with a letter. */
static gboolean valid_computer_name(const char *v)
{
	gsize len = strlen(v);

	if (len < 1 || len > 15 || !g_ascii_isalpha(v[0]))
		return FALSE;
	for (const char *p = v; *p; p++)
		if (!g_ascii_isalnum(*p) && *p != '-' && *p != '_')
			return FALSE;
	return TRUE;
}

static gboolean valid_phone(const char *v)
{
	gboolean digit = FALSE;

	for (const char *p = v; *p; p++) {
		if (g_ascii_isdigit(*p))
			digit = TRUE;
		else if (!(*p == '+' && p == v) && *p != ' ' && *p != '-')
			return FALSE;
	}
	return digit;
}

/* The value as one line of text, or NULL if it cannot be one. */
char *input_field_text(const char *value, gsize len, gsize max_len)
{
	if (len == 0)
		return g_strdup("");	/* value may be NULL then (an empty GByteArray) */
	if (len > 0 && value[len - 1] == '\n')
		len--;
	if (len > max_len || memchr(value, '\0', len) || !g_utf8_validate(value, len, NULL))
		return NULL;
	for (gsize i = 0; i < len; i++)
		if ((guchar)value[i] < 0x20 || value[i] == 0x7f)
			return NULL;
	return g_strndup(value, len);
}

cJSON *input_field_value(const ResField *field, const char *text)
{
	switch (field->type) {
	case FIELD_EMAIL:
		return valid_email(text) ? cJSON_CreateString(text) : NULL;
	case FIELD_PHONE:
		return valid_phone(text) ? cJSON_CreateString(text) : NULL;
	case FIELD_BOOL:
		if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
			return cJSON_CreateBool(text[0] == 't');
		return NULL;
	case FIELD_COMPUTER_NAME:
		return valid_computer_name(text) ? cJSON_CreateString(text) : NULL;
	case FIELD_STRING:
	default:
		return cJSON_CreateString(text);
	}
}

/* Why text is not one line: a newline anywhere but at the very end. */
static gboolean one_line(const char *text, gsize len)
{
	const char *nl = len ? memchr(text, '\n', len) : NULL;

	return !nl || nl == text + len - 1;
}

char *input_check_field(const ResField *field, const char *value, gsize len,
			cJSON **ret_value)
{
	g_autofree char *text = NULL;
	cJSON *v;

	if (!one_line(value, len))
		return g_strdup("more than one line (a value is one line)");
	text = input_field_text(value, len, field->max_len);
	if (!text) {
		if (len - (len > 0 && value[len - 1] == '\n') > field->max_len)
			return g_strdup_printf("longer than %" G_GSIZE_FORMAT " bytes",
					       field->max_len);
		return g_strdup("not one line of printable UTF-8 text");
	}
	v = input_field_value(field, text);
	if (!v) {
		switch (field->type) {
		case FIELD_EMAIL:
			return g_strdup_printf("\"%s\" is not an e-mail address", text);
		case FIELD_PHONE:
			return g_strdup_printf("\"%s\" is not a phone number", text);
		case FIELD_BOOL:
			return g_strdup_printf("\"%s\" is neither true nor false", text);
		case FIELD_COMPUTER_NAME:
			return g_strdup_printf("\"%s\" is not a computer name (1-15 letters, "
					       "digits, '-' or '_', starting with a letter)",
					       text);
		case FIELD_STRING:
		default:
			return g_strdup("not a valid value");
		}
	}
	*ret_value = v;
	return NULL;
}

/* 4.6.2 Tag: "uppercase letters, lowercase letters, digits, hyphens (-), and underscores
 * (_)", counted in Unicode characters; the letters and digits of any script. */
static gboolean valid_tag_text(const char *s, int max_chars)
{
	for (const char *p = s; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (!g_unichar_isalpha(c) && !g_unichar_isdigit(c) && c != '-' && c != '_')
			return FALSE;
	}
	return g_utf8_strlen(s, -1) <= max_chars;
}

char *input_check_tag(const ResTags *tags, const char *key, const char *value, gsize len,
		      char **ret_value)
{
	g_autofree char *text = NULL;

	if (!key[0] || !g_utf8_validate(key, -1, NULL) || !valid_tag_text(key, tags->key_max))
		return g_strdup_printf("\"%s\" is not a tag key (1-%d letters, digits, '-' or "
				       "'_')", key, tags->key_max);
	if (!one_line(value, len))
		return g_strdup("more than one line (a value is one line)");
	/* Four bytes a character at most: a longer text is too long whatever it holds. */
	text = input_field_text(value, len, (gsize)tags->value_max * 4);
	if (!text || !valid_tag_text(text, tags->value_max))
		return g_strdup_printf("not a tag value (at most %d letters, digits, '-' or '_')",
				       tags->value_max);
	*ret_value = g_steal_pointer(&text);
	return NULL;
}

static char *verb_list(const ResAction *action)
{
	GString *s = g_string_new(NULL);

	for (const ResVerb *v = action->verbs; v->verb; v++)
		g_string_append_printf(s, "%s%s", s->len ? ", " : "", v->verb);
	return g_string_free(s, FALSE);
}

char *input_check_command(const ResAction *action, const char *command, gsize len,
			  const ResVerb **ret_verb, gboolean *ret_hard, char **ret_arg)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) words = NULL;
	const ResVerb *verb = NULL;
	guint n;

	if (len > MAX_COMMAND)
		return g_strdup_printf("longer than %d bytes", MAX_COMMAND);
	if (memchr(command, '\0', len))
		return g_strdup("a NUL byte in the command");
	if (!one_line(command, len))
		return g_strdup("more than one line (one command per line)");
	/* A refusal quotes the verb in /.wksfs/errors: it must be one line of text there. */
	if (!g_utf8_validate(command, (gssize)len, NULL))
		return g_strdup("not UTF-8 text");
	text = g_strstrip(g_strndup(command, len));
	for (const char *p = text; *p; p++)
		if (((guchar)*p < 0x20 && *p != '\t') || *p == 0x7f)
			return g_strdup("a control character in the command");
	words = g_strsplit_set(text, " \t", -1);
	n = 0;
	/* Collapse runs of blanks: drop the empty words g_strsplit_set leaves. */
	for (guint i = 0; words[i]; i++)
		if (words[i][0])
			words[n++] = words[i];
		else
			g_free(words[i]);
	words[n] = NULL;
	if (n == 0) {
		g_autofree char *verbs = verb_list(action);

		return g_strdup_printf("an empty command (one of: %s)", verbs);
	}
	for (const ResVerb *v = action->verbs; v->verb; v++)
		if (strcmp(v->verb, words[0]) == 0)
			verb = v;
	if (!verb) {
		g_autofree char *verbs = verb_list(action);

		return g_strdup_printf("unknown command \"%s\" (one of: %s)", words[0], verbs);
	}
	switch (verb->arg) {
	case ARG_NONE:
		if (n != 1)
			return g_strdup_printf("\"%s\" takes no argument", verb->verb);
		*ret_hard = FALSE;
		*ret_arg = NULL;
		break;
	case ARG_HARD:
		if (n > 2 || (n == 2 && strcmp(words[1], "hard") != 0))
			return g_strdup_printf("\"%s\" takes at most the word \"hard\"",
					       verb->verb);
		*ret_hard = n == 2;
		*ret_arg = NULL;
		break;
	case ARG_USER:
		if (n != 2)
			return g_strdup_printf("\"%s\" takes one user name", verb->verb);
		if (!g_utf8_validate(words[1], -1, NULL) || strlen(words[1]) > 255)
			return g_strdup("not a user name");
		*ret_hard = FALSE;
		*ret_arg = g_strdup(words[1]);
		break;
	}
	*ret_verb = verb;
	return NULL;
}

char *input_action_body(const ResAction *action, const ResVerb *verb, gboolean hard,
			const char *arg_id, const char *const *ids, guint n)
{
	g_autoptr(cJSON) body = action->fixed_body ? cJSON_Parse(action->fixed_body) : NULL;

	if (action->fixed_body && !cJSON_IsObject(body))	/* the table's own text */
		g_critical("fixed_body %s is not a JSON object", action->fixed_body);
	if (!cJSON_IsObject(body)) {
		cJSON_Delete(body);
		body = cJSON_CreateObject();
	}
	if (arg_id)
		cJSON_AddItemToArray(cJSON_AddArrayToObject(body, action->arg_field),
				     cJSON_CreateString(arg_id));
	if (action->ids_field) {
		cJSON *array = cJSON_AddArrayToObject(body, action->ids_field);

		for (guint i = 0; i < n; i++)
			cJSON_AddItemToArray(array, cJSON_CreateString(ids[i]));
	}
	if (action->op_field && verb->op_value)
		cJSON_AddStringToObject(body, action->op_field, verb->op_value);
	if (action->type_field && verb->arg == ARG_HARD)
		cJSON_AddStringToObject(body, action->type_field, hard ? "HARD" : "SOFT");
	return cJSON_PrintUnformatted(body);
}
