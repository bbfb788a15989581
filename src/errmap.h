/* errmap.h — the one table from API outcomes to errno (doc/SEMANTICS.md §5). */
#pragma once

/* -errno for an HTTP status and the API's error_code (may be NULL); 0 for 2xx. */
int errmap_from_status(long status, const char *error_code);
/* -errno for an error code the API gave without a status (a batch action's per-object
 * failure): the code's documented status, else EIO. */
int errmap_from_code(const char *error_code);
