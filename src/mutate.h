/* mutate.h — what mutate.c offers the other writers of the API layer (document.c,
 * delete.c): the one way a mutation is sent, and the id it is sent for. */
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

/* The object's id, for a change. An object the API listed without a usable id (hostile
 * data) cannot be changed: -EIO, nothing sent, and the reason in /.wksfs/errors. */
int mutate_object_id(ApiClient *api, const ResKind *kind, const char *name, char **ret_id);
