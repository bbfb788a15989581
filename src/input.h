/* input.h — validation of what users write to field and action files, and the action body
 * a checked command becomes. */
#pragma once

#include <glib.h>

#include "src/json.h"
#include "src/resources.h"

/* The value as one line of text (a single trailing newline dropped), or NULL if it cannot
 * be one: an inner newline or control character, invalid UTF-8, longer than max_len. */
char *input_field_text(const char *value, gsize len, gsize max_len);

/* The JSON value to send for a field, or NULL when text is malformed for its type. */
cJSON *input_field_value(const ResField *field, const char *text);

/* Checks a value written to a field file (one line; a single trailing newline is dropped):
 * NULL and the JSON value to send in *ret_value, or why it is refused (caller frees): more
 * than one line, a control character, invalid UTF-8, too long, malformed for its type. */
char *input_check_field(const ResField *field, const char *value, gsize len,
			cJSON **ret_value);

/* Checks one command line ("stop", "stop hard\n", "add alice"): NULL with its verb, "hard"
 * and ARG_USER argument (caller frees) in ret_*, or why it is refused (caller frees): more
 * than one line, an unknown verb, a missing or extra word, over-long. */
char *input_check_command(const ResAction *action, const char *command, gsize len,
			  const ResVerb **ret_verb, gboolean *ret_hard, char **ret_arg);

/* An action's body: action->fixed_body's members, arg_id (ARG_USER) in action->arg_field,
 * the n ids in action->ids_field, the verb's op_value, SOFT or HARD. cJSON_free() it. Built
 * alike for one object (mutate.c)
 * and for a batch (batch.c). */
char *input_action_body(const ResAction *action, const ResVerb *verb, gboolean hard,
			const char *arg_id, const char *const *ids, guint n);
