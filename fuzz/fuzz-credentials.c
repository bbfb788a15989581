/* fuzz-credentials.c — the credentials file's INI parser (src/credentials.c, GKeyFile
 * beneath), through credentials_resolve() as -o credentials_file= and -o profile= use it.
 *
 * Input: the first line is the profile (empty: none, so [basic]); the rest is the file,
 * written to a private temporary file for each run.
 *
 * Invariants: accepted credentials have an AK and an SK, neither empty nor with blanks
 * around it, come from the named section (whose header is in the file), carry the -o
 * project_id override and name the file as their source; a refusal has a message, and the
 * message never holds a secret: no value the file gives ak, sk or security_token, even on a
 * line the parser cannot read (section names are not secret: a missing profile's message
 * lists them).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fuzz/fuzz.h"
#include "src/credentials.h"

static char *path;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	g_autofree char *dir = g_dir_make_tmp("wksfs-fuzz-XXXXXX", NULL);

	if (!dir)
		abort();
	path = g_build_filename(dir, "credentials", NULL);
	return 0;
}

static gboolean write_private(const char *text, gsize len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	gboolean ok;

	if (fd < 0)
		return FALSE;
	ok = write(fd, text, len) == (ssize_t)len;
	close(fd);
	return ok;
}

/* Whether a section header holds s: a missing profile's message lists the sections. */
static gboolean in_section_name(gchar **lines, const char *s)
{
	for (guint i = 0; lines[i]; i++)
		if (strchr(lines[i], '[') && strstr(lines[i], s))
			return TRUE;
	return FALSE;
}

/* What the file gives a secret key on each line ("sk = x", "sk x", "  security_token=y"). */
static void check_no_secret(const char *message, const char *file, const char *profile)
{
	gchar **lines = g_strsplit(file, "\n", -1);
	static const char *const keys[] = { "ak", "sk", "security_token", NULL };

	for (guint i = 0; lines[i]; i++) {
		const char *l = lines[i];

		while (g_ascii_isspace(*l))
			l++;
		for (guint k = 0; keys[k]; k++) {
			gsize n = strlen(keys[k]);
			g_autofree char *value = NULL;
			const char *v = l + n;

			if (strncmp(l, keys[k], n) != 0 || (*v && !strchr(" \t=:", *v)))
				continue;
			while (*v && strchr(" \t=:", *v))
				v++;
			value = g_strstrip(g_strdup(v));
			/* Short values, or ones the message may hold for another reason (the
			 * path, the profile, a section name), prove nothing. */
			if (strlen(value) < 6 || strstr(path, value) || strstr(profile, value) ||
			    strchr(value, '[') || strchr(value, ']') || in_section_name(lines, value))
				continue;
			FUZZ_CHECK(!strstr(message, value),
				   "the message \"%s\" shows the value of %s", message, keys[k]);
		}
	}
	g_strfreev(lines);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	gsize plen = nl ? (gsize)(nl - (const char *)data) : size;
	g_autofree char *profile = g_strndup((const char *)data, plen);
	const char *file = nl ? nl + 1 : "";
	gsize flen = nl ? size - plen - 1 : 0;
	g_autofree char *text = g_strndup(file, flen);
	CredentialsRequest req = { .file = path, .profile = profile[0] ? profile : NULL,
				   .project_id = "p-fuzz" };
	Credentials c = { 0 };
	g_autoptr(GError) error = NULL;
	const char *section = profile[0] ? profile : "basic";

	if (!write_private(file, flen))
		abort();
	if (!credentials_resolve(&req, &c, &error)) {
		FUZZ_CHECK(error && error->message[0], "refused without a message");
		FUZZ_CHECK(!c.ak && !c.sk && !c.source, "ret filled on a refusal");
		check_no_secret(error->message, text, profile);
		return 0;
	}
	FUZZ_CHECK(!error, "accepted with an error");
	FUZZ_CHECK(c.ak && c.ak[0] && c.sk && c.sk[0], "accepted without ak and sk");
	FUZZ_CHECK(!g_ascii_isspace(c.ak[0]) && !g_ascii_isspace(c.ak[strlen(c.ak) - 1]) &&
		   !g_ascii_isspace(c.sk[0]) && !g_ascii_isspace(c.sk[strlen(c.sk) - 1]),
		   "blanks around a key");
	FUZZ_CHECK(c.source && strcmp(c.source, path) == 0, "source %s", c.source);
	FUZZ_CHECK(c.project_id && strcmp(c.project_id, "p-fuzz") == 0, "project_id override");
	{
		g_autofree char *header = g_strdup_printf("[%s]", section);

		FUZZ_CHECK(strstr(text, header) != NULL, "accepted without a section %s", header);
	}
	credentials_clear(&c);
	return 0;
}
