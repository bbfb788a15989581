/* credentials.c — the credentials chain: a named profile, or the environment, then the
 * SDK's credentials file, then IAM password login.
 *
 * Owns: finding AK/SK (and the optional security token, project and IAM endpoint) or the
 * IAM password, -o credentials_file= and -o profile= (one tenant per mount, so that fstab
 * can mount several), the refusal of secret files that others can read (s3fs's rule), and
 * the one line that says what is missing. Secrets never come from argv and are wiped when
 * dropped. It does no network I/O: all of it is decided before the first request.
 */
#include "src/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SECRET_FILE (64 * 1024)

static void wipe(char *s)
{
	if (s)
		memset(s, 0, strlen(s));
	g_free(s);
}

void credentials_clear(Credentials *c)
{
	wipe(c->sk);
	wipe(c->security_token);
	wipe(c->password);
	g_free(c->ak);
	g_free(c->project_id);
	g_free(c->domain_id);
	g_free(c->iam_endpoint);
	g_free(c->source);
	memset(c, 0, sizeof(*c));
}

static char *env(const char *name)
{
	const char *v = g_getenv(name);

	return v && v[0] ? g_strdup(v) : NULL;
}

/* Reads a whole secret file, refusing one that group or others may read. */
static char *read_private(const char *path, GError **error)
{
	struct stat st;
	char *data;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: not a regular file",
			    path);
		close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_PERM,
			    "%s is readable by group or others (mode %04o): run chmod 600 %s",
			    path, (unsigned)(st.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	if (st.st_size > MAX_SECRET_FILE) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s: too large", path);
		close(fd);
		return NULL;
	}
	data = g_malloc0((gsize)st.st_size + 1);
	n = read(fd, data, (size_t)st.st_size);
	close(fd);
	if (n < 0) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_IO, "%s: %s", path,
			    g_strerror(errno));
		wipe(data);
		return NULL;
	}
	return data;
}

char *credentials_read_secret_file(const char *path, GError **error)
{
	char *data = read_private(path, error);
	char *line;

	if (!data)
		return NULL;
	line = g_strndup(data, strcspn(data, "\r\n"));
	wipe(data);
	if (!line[0]) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s is empty", path);
		g_free(line);
		return NULL;
	}
	return line;
}

static char *key_string(GKeyFile *kf, const char *section, const char *key)
{
	char *v = g_key_file_get_string(kf, section, key, NULL);

	if (v && !g_strstrip(v)[0])
		g_clear_pointer(&v, g_free);
	return v;
}

/* "basic, tenant-a" (caller frees). */
static char *section_list(GKeyFile *kf)
{
	g_auto(GStrv) groups = g_key_file_get_groups(kf, NULL);

	return groups && groups[0] ? g_strjoinv(", ", groups) : g_strdup("none");
}

/* The file's section into ret (ak and sk at least); what ret already has (from the
 * environment) is kept. `named`: the section was asked for by name. */
static gboolean load_file(const char *path, const char *section, gboolean named,
			  Credentials *ret, GError **error)
{
	g_autoptr(GKeyFile) kf = g_key_file_new();
	g_autoptr(GError) parse_error = NULL;
	char *data = read_private(path, error);

	if (!data)
		return FALSE;
	if (!g_key_file_load_from_data(kf, data, strlen(data), G_KEY_FILE_NONE, &parse_error)) {
		wipe(data);
		/* GKeyFile's message quotes the line it cannot read, which may be "sk SECRET":
		 * say what is wrong without it. */
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s is not an INI file of [section] headers and key = value lines%s",
			    path, g_error_matches(parse_error, G_KEY_FILE_ERROR,
						  G_KEY_FILE_ERROR_UNKNOWN_ENCODING)
				  ? " in UTF-8" : "");
		return FALSE;
	}
	wipe(data);
	if (named && !g_key_file_has_group(kf, section)) {
		g_autofree char *have = section_list(kf);

		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "%s has no profile [%s] (its sections: %s)", path, section, have);
		return FALSE;
	}
	ret->ak = key_string(kf, section, "ak");
	ret->sk = key_string(kf, section, "sk");
	if (!ret->ak || !ret->sk) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: section [%s] needs both ak and sk", path, section);
		return FALSE;
	}
	if (!ret->security_token)
		ret->security_token = key_string(kf, section, "security_token");
	if (!ret->project_id)
		ret->project_id = key_string(kf, section, "project_id");
	if (!ret->domain_id)
		ret->domain_id = key_string(kf, section, "domain_id");
	if (!ret->iam_endpoint)
		ret->iam_endpoint = key_string(kf, section, "iam_endpoint");
	ret->source = g_strdup(path);
	return TRUE;
}

/* AK/SK as the SDKs find them, or none (ak NULL, TRUE). */
static gboolean load_keys(const CredentialsRequest *req, Credentials *ret, GError **error)
{
	g_autofree char *path = g_strdup(req->file);
	gboolean named = req->file || req->profile;

	if (!path)
		path = env("HUAWEICLOUD_SDK_CREDENTIALS_FILE");
	if (named) {
		if (!path)
			path = g_build_filename(g_get_home_dir(), ".huaweicloud", "credentials",
						NULL);
		return load_file(path, req->profile ? req->profile : "basic", TRUE, ret, error);
	}
	ret->ak = env("HUAWEICLOUD_SDK_AK");
	ret->sk = env("HUAWEICLOUD_SDK_SK");
	ret->security_token = env("HUAWEICLOUD_SDK_SECURITY_TOKEN");
	ret->project_id = env("HUAWEICLOUD_SDK_PROJECT_ID");
	ret->domain_id = env("HUAWEICLOUD_SDK_DOMAIN_ID");
	ret->iam_endpoint = env("HUAWEICLOUD_SDK_IAM_ENDPOINT");
	if (ret->ak && ret->sk) {
		ret->source = g_strdup("environment");
		return TRUE;
	}
	g_clear_pointer(&ret->ak, g_free);
	g_clear_pointer(&ret->sk, wipe);
	if (path)	/* named by the environment: it must be there */
		return load_file(path, "basic", FALSE, ret, error);
	path = g_build_filename(g_get_home_dir(), ".huaweicloud", "credentials", NULL);
	if (!g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;	/* no file: maybe IAM password login follows */
	return load_file(path, "basic", FALSE, ret, error);
}

static void replace(char **field, const char *value)
{
	if (!value)
		return;
	g_free(*field);
	*field = g_strdup(value);
}

gboolean credentials_resolve(const CredentialsRequest *req, Credentials *ret,
			     GError **error)
{
	Credentials c = { 0 };

	if (!load_keys(req, &c, error)) {
		credentials_clear(&c);
		return FALSE;
	}
	replace(&c.project_id, req->project_id);
	replace(&c.iam_endpoint, req->iam_endpoint);
	if (!c.ak && req->iam_user) {
		if (!req->iam_domain || !req->password_file) {
			g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
				    "iam_user needs iam_domain= and password_file=");
			goto out_fail;
		}
		c.password = credentials_read_secret_file(req->password_file, error);
		if (!c.password) {
			g_prefix_error(error, "password_file: ");
			goto out_fail;
		}
	}
	if (!c.ak && !c.password) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_NOENT,
			    "no credentials: set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, write "
			    "~/.huaweicloud/credentials, give -o credentials_file= or -o profile=, "
			    "or -o iam_user=,iam_domain=,password_file=");
		goto out_fail;
	}
	if (!c.project_id && !req->region) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "%s", c.password
			    ? "IAM login needs -o region= or -o project_id="
			    : "no project: set HUAWEICLOUD_SDK_PROJECT_ID (or project_id in the "
			      "credentials file), -o project_id= or -o region= (to look it up "
			      "through IAM)");
		goto out_fail;
	}
	*ret = c;
	return TRUE;
out_fail:
	credentials_clear(&c);
	return FALSE;
}
