/* input.h — validation of what users write to field and action files. */
#pragma once

#include <glib.h>

#include "src/json.h"
#include "src/resources.h"

/* The value as one line of text (a single trailing newline dropped), or NULL if it cannot
 * be one: an inner newline or control character, invalid UTF-8, longer than max_len. */
char *input_field_text(const char *value, gsize len, gsize max_len);

/* The JSON value to send for a field, or NULL when text is malformed for its type. */
cJSON *input_field_value(const ResField *field, const char *text);

/* The verb of a command line ("stop", "stop hard", "add alice"), or NULL: unknown verb, a
 * missing or extra word, over-long. *ret_arg is the ARG_USER argument (caller frees). */
const ResVerb *input_parse_command(const ResAction *action, const char *command, gsize len,
				   gboolean *ret_hard, char **ret_arg);
