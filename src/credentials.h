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
	char *password;		/* IAM password login (-o password_file), or NULL */
	char *source;		/* "environment" or the file's path, for messages */
} Credentials;

/* What the command line says about them. */
typedef struct {
	const char *file;	/* -o credentials_file, or NULL */
	const char *profile;	/* -o profile: the file's section, or NULL ([basic]) */
	const char *project_id;	/* -o project_id, overriding the credentials' */
	const char *iam_endpoint;	/* -o iam_endpoint, likewise */
	const char *iam_user;	/* -o iam_user, iam_domain, password_file */
	const char *iam_domain;
	const char *password_file;
	gboolean region;	/* -o region given: a project can be looked up */
} CredentialsRequest;

/* The chain, first found wins. A mount that names its credentials (credentials_file= or
 * profile=) reads them from that file's section alone, and nothing from the environment:
 * the section must exist and hold ak and sk. Otherwise the environment
 * (HUAWEICLOUD_SDK_AK, _SK, _SECURITY_TOKEN, _PROJECT_ID, _DOMAIN_ID, _IAM_ENDPOINT), else
 * the file $HUAWEICLOUD_SDK_CREDENTIALS_FILE or ~/.huaweicloud/credentials, section
 * [basic] (keys ak, sk, security_token, project_id, domain_id, iam_endpoint), else IAM
 * password login. Every file is refused when group or others may read it. No network.
 * FALSE with an error that names what to do, for the terminal. */
gboolean credentials_resolve(const CredentialsRequest *req, Credentials *ret,
			     GError **error);

/* The first line of a secret file (a password), refusing a file readable by group or
 * others. */
char *credentials_read_secret_file(const char *path, GError **error);

/* Wipes and frees. */
void credentials_clear(Credentials *c);
