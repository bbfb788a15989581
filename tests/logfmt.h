/* logfmt.h — a logfmt reader for the tests, written from the format (go-logfmt's decoder),
 * not from wksfs's writer: what a SIEM's parser would read back from an audit line. */
#pragma once

#include <glib.h>

/* The key=value pairs of one line, in order (each key once), as "key", "value", "key", ...
 * (NULL-terminated); NULL and *ret_error for a line a logfmt parser would refuse. */
GStrv logfmt_parse(const char *line, char **ret_error);
/* The value of key in fields, or NULL. */
const char *logfmt_get(GStrv fields, const char *key);
