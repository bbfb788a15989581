/* mutate.h — what mutate.c offers the other writers of the API layer (document.c): the one
 * way a mutation is sent. */
#pragma once

#include <glib.h>

#include "src/api.h"

/* Sends one mutation, once (or, with -o dry_run, only audits it), audits what happened and
 * invalidates the object (name; NULL: none). On success the response body, if any, is in
 * *ret_body (ret_body may be NULL). *result describes the outcome in every case (caller
 * frees). id fills the path's {id} (NULL: the path has none). */
int mutate_send(ApiClient *api, const ApiCaller *who, const ResKind *kind, const char *name,
		const char *method, const char *path, const char *id, const char *body,
		GBytes **ret_body, char **result);
