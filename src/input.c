/* input.c — what users write, checked before anything is sent: field values (one line,
 * bounded, well-formed for their type) and action commands (a known verb, at most one
 * "hard"). Bad input is refused here, so it never reaches the API.
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

const ResVerb *input_parse_command(const ResAction *action, const char *command, gsize len,
				   gboolean *ret_hard, char **ret_arg)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) words = NULL;
	const ResVerb *verb = NULL;
	guint n;

	if (len > MAX_COMMAND || memchr(command, '\0', len))
		return NULL;
	text = g_strstrip(g_strndup(command, len));
	words = g_strsplit_set(text, " \t", -1);
	n = 0;
	/* Collapse runs of blanks: drop the empty words g_strsplit_set leaves. */
	for (guint i = 0; words[i]; i++)
		if (words[i][0])
			words[n++] = words[i];
		else
			g_free(words[i]);
	words[n] = NULL;
	if (n == 0 || n > 2)
		return NULL;
	for (const ResVerb *v = action->verbs; v->verb; v++)
		if (strcmp(v->verb, words[0]) == 0)
			verb = v;
	if (!verb)
		return NULL;
	*ret_hard = FALSE;
	*ret_arg = NULL;
	switch (verb->arg) {
	case ARG_NONE:
		return n == 1 ? verb : NULL;
	case ARG_HARD:
		if (n == 2 && strcmp(words[1], "hard") != 0)
			return NULL;
		*ret_hard = n == 2;
		return verb;
	case ARG_USER:
		if (n != 2 || !g_utf8_validate(words[1], -1, NULL) || strlen(words[1]) > 255)
			return NULL;
		*ret_arg = g_strdup(words[1]);
		return verb;
	}
	return NULL;
}

