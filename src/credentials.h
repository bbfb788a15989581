/* credentials.h — where the keys come from, as the Huawei Cloud SDKs look for them. */
#pragma once

#include <glib.h>

typedef struct {
	char *ak;
	char *sk;
	char *security_token;
	char *project_id;
	char *domain_id;
	char *iam_endpoint;
	char *source;		/* "environment" or the file's path, for messages */
} Credentials;

/* Environment (HUAWEICLOUD_SDK_AK, _SK, _SECURITY_TOKEN, _PROJECT_ID, _DOMAIN_ID,
 * _IAM_ENDPOINT), else the INI file $HUAWEICLOUD_SDK_CREDENTIALS_FILE or
 * ~/.huaweicloud/credentials (section [basic], keys ak, sk, security_token, project_id,
 * domain_id, iam_endpoint). Returns TRUE with ak == NULL when there are none; FALSE with an
 * error for a file that is unsafe (readable by group or others) or unreadable. */
gboolean credentials_load(Credentials *ret, GError **error);

/* The first line of a secret file (a password), refusing a file readable by group or
 * others. */
char *credentials_read_secret_file(const char *path, GError **error);

/* Wipes and frees. */
void credentials_clear(Credentials *c);
