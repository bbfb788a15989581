/* help.h — what `wksfs --help` and a bare `wksfs` print. */
#pragma once

#include <stdio.h>

/* "usage: PROG [SOURCE] MOUNTPOINT ..." and a pointer to --help, for a bad command line. */
void help_print_usage(FILE *out, const char *prog);
/* The whole --help: every option wksfs documents (doc/wksfs.1 documents the same ones:
 * tests/check-manpage.py compares them). */
void help_print(FILE *out, const char *prog);
