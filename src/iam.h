/* iam.h — IAM password login: a project-scoped token, refreshed before it expires. */
#pragma once

#include <glib.h>

#include "src/http.h"

typedef struct IamSession IamSession;

typedef struct {
	const char *endpoint;		/* https://iam.myhuaweicloud.com */
	const char *user;
	const char *domain;		/* the account name */
	const char *password;
	const char *project_id;		/* scope by id, or NULL to scope by project_name */
	const char *project_name;	/* the region id */
} IamConfig;

/* http is borrowed and must outlive the session. */
IamSession *iam_session_new(HttpClient *http, const IamConfig *config);
void iam_session_free(IamSession *s);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(IamSession, iam_session_free)

/* A valid token (caller frees), logging in when there is none, when it is close to expiry,
 * or when `stale` is the token the API just refused. Concurrent callers share one login.
 * -errno with a reason (caller frees) on failure. */
int iam_session_token(IamSession *s, const char *stale, char **ret_token, char **ret_reason);

/* The project the token is scoped to (known after the first login). */
char *iam_session_project_id(IamSession *s);
