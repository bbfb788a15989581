/* create.h — the JSON bodies written to `<kind>/.create`, checked against the kind's
 * documented fields before anything is sent (create.c). Pure; the unit tests use it too. */
#pragma once

#include <glib.h>

#include "src/json.h"
#include "src/resources.h"

/* The longest body a create takes (the API's own bodies are a few KB). */
#define CREATE_MAX_BODY (64 * 1024)

/* Whether body (which ends in a newline) is a JSON text cut short: the parser ran out of
 * input, so a writer sending a large body in several writes is not done. */
gboolean create_body_cut_short(const char *body, gsize len);

/* Checks a body against spec: UTF-8, one JSON object, every field known (at every level
 * whose fields the spec lists), of its documented type, the mandatory ones present, the
 * name field a usable name. NULL and the parsed object in *ret_root, or why it is refused
 * (caller frees); the reason never quotes a value. */
char *create_check_body(const ResCreate *spec, const char *body, gsize len,
			cJSON **ret_root);

/* The name at path in root ("user_name", or "policy_group.policy_group_name" in a wrapped
 * body): a usable name (json_name), or NULL. */
const char *create_name_at(const cJSON *root, const char *path);

/* A checked body as the audit and a dry run show it: compact, with every secret field's
 * value replaced by "***" (cJSON_free it). */
char *create_print_shown(const ResCreate *spec, const cJSON *root);
