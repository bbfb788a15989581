/* fuzz.h — what every libFuzzer target in fuzz/ shares: the entry point's declaration and
 * the invariant check, which aborts (a finding for libFuzzer) with the broken rule named.
 *
 * The targets assert what the code promises (round trips, limits, what a refusal leaves
 * untouched), not only that it does not crash. None of them does I/O beyond a temporary
 * file, none talks to the network.
 */
#pragma once

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_CHECK(cond, ...)                                                             \
	do {                                                                              \
		if (!(cond)) {                                                            \
			fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__,        \
				__LINE__, #cond);                                         \
			fprintf(stderr, __VA_ARGS__);                                     \
			fputc('\n', stderr);                                              \
			abort();                                                          \
		}                                                                         \
	} while (0)

/* A reason or message a user sees (a write's errno reason in /.wksfs/errors, a terminal
 * line): one line of UTF-8, no control characters, so it cannot forge a second line. */
static inline gboolean fuzz_printable_line(const char *s)
{
	if (!s || !s[0] || !g_utf8_validate(s, -1, NULL))
		return FALSE;
	for (const char *p = s; *p; p++)
		if ((guchar)*p < 0x20 || *p == 0x7f)
			return FALSE;
	return TRUE;
}
