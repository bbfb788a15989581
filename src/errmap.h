/* errmap.h — the one table from API outcomes to errno (doc/SEMANTICS.md §5). */
#pragma once

/* -errno for an HTTP status and the API's error_code (may be NULL); 0 for 2xx. */
int errmap_from_status(long status, const char *error_code);
/* -errno for an error code the API gave without a status (a batch action's per-object
 * failure): the code's documented status, else EIO. */
int errmap_from_code(const char *error_code);
/* A create's failure (rc from errmap_from_status): the answers that say the name is taken
 * (409, and the codes that mean "already exists") are -EEXIST; any other is rc. */
int errmap_for_create(int rc, long status, const char *error_code);
