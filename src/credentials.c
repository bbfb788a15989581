/* credentials.c — the credentials chain: environment, then the SDK's credentials file.
 *
 * Owns: finding AK/SK (and the optional security token, project and IAM endpoint), and the
 * refusal of secret files that others can read (s3fs's rule). Secrets never come from argv
 * and are wiped when dropped. It does no network I/O.
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

static char *key_string(GKeyFile *kf, const char *key)
{
	char *v = g_key_file_get_string(kf, "basic", key, NULL);

	if (v && !v[0])
		g_clear_pointer(&v, g_free);
	return v ? g_strstrip(v) : NULL;
}

gboolean credentials_load(Credentials *ret, GError **error)
{
	g_autofree char *path = env("HUAWEICLOUD_SDK_CREDENTIALS_FILE");
	g_autoptr(GKeyFile) kf = NULL;
	char *data;
	gboolean explicit_file = path != NULL;

	memset(ret, 0, sizeof(*ret));
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

	if (!path)
		path = g_build_filename(g_get_home_dir(), ".huaweicloud", "credentials", NULL);
	if (!explicit_file && !g_file_test(path, G_FILE_TEST_EXISTS))
		return TRUE;	/* no file: maybe IAM password login follows */
	data = read_private(path, error);
	if (!data)
		return FALSE;
	kf = g_key_file_new();
	if (!g_key_file_load_from_data(kf, data, strlen(data), G_KEY_FILE_NONE, error)) {
		wipe(data);
		g_prefix_error(error, "%s: ", path);
		return FALSE;
	}
	wipe(data);
	ret->ak = key_string(kf, "ak");
	ret->sk = key_string(kf, "sk");
	if (!ret->ak || !ret->sk) {
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
			    "%s: section [basic] needs both ak and sk", path);
		return FALSE;
	}
	if (!ret->security_token)
		ret->security_token = key_string(kf, "security_token");
	if (!ret->project_id)
		ret->project_id = key_string(kf, "project_id");
	if (!ret->domain_id)
		ret->domain_id = key_string(kf, "domain_id");
	if (!ret->iam_endpoint)
		ret->iam_endpoint = key_string(kf, "iam_endpoint");
	ret->source = g_steal_pointer(&path);
	return TRUE;
}
