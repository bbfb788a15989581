/* fuzz-escape.c — name escaping (fs/path.c): an API name becomes one safe file name and
 * comes back unchanged.
 *
 * Invariants: fs_escape_name() of any non-empty name is a file name the kernel accepts as
 * one component (no '/', no NUL, never "." or "..", no leading '.', no control character)
 * and fs_unescape_name() returns the name; of any text, fs_unescape_name() accepts only
 * the canonical escape of a name (escaping the result gives the text back), so one object
 * never has two paths.
 */
#include <string.h>

#include "fs/path.h"
#include "fuzz/fuzz.h"

static void check_file_name(const char *e, const char *name)
{
	FUZZ_CHECK(e[0] != '\0', "empty escape of \"%s\"", name);
	FUZZ_CHECK(strcmp(e, ".") != 0 && strcmp(e, "..") != 0, "\"%s\" escapes to %s", name, e);
	FUZZ_CHECK(e[0] != '.', "escape \"%s\" starts with '.'", e);
	for (const char *p = e; *p; p++) {
		FUZZ_CHECK(*p != '/', "'/' in escape \"%s\"", e);
		FUZZ_CHECK((guchar)*p >= 0x20 && *p != 0x7f, "control byte in escape of a name");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	g_autofree char *s = g_strndup((const char *)data, size);	/* up to a NUL */
	g_autofree char *e = fs_escape_name(s);
	g_autofree char *u = fs_unescape_name(s);

	if (!s[0]) {
		FUZZ_CHECK(e == NULL, "the empty name has an escape");
		FUZZ_CHECK(u == NULL, "the empty file name names something");
		return 0;
	}
	/* A name whose escape would pass NAME_MAX has none (it gets no entry): a name of at
	 * most NAME_MAX / 3 bytes always has one. */
	FUZZ_CHECK(e != NULL || strlen(s) > 255 / 3, "no escape for a short non-empty name");
	if (!e)
		return 0;
	FUZZ_CHECK(strlen(e) <= 255, "an escape longer than NAME_MAX");
	check_file_name(e, s);
	FUZZ_CHECK(strlen(e) <= 3 * strlen(s), "escape longer than 3 bytes a byte");
	{
		g_autofree char *back = fs_unescape_name(e);

		FUZZ_CHECK(back && strcmp(back, s) == 0, "round trip lost \"%s\" (escape %s)", s,
			   e);
	}
	if (u) {
		/* Accepted back: the input was the canonical escape of u. */
		g_autofree char *again = fs_escape_name(u);

		FUZZ_CHECK(u[0] != '\0', "\"%s\" unescapes to the empty name", s);
		FUZZ_CHECK(again && strcmp(again, s) == 0, "\"%s\" is not canonical yet accepted",
			   s);
		check_file_name(s, u);
	}
	return 0;
}
