/* errmap.h — the one table from API outcomes to errno (DESIGN.md §3). */
#pragma once

/* -errno for an HTTP status and the API's error_code (may be NULL); 0 for 2xx. */
int errmap_from_status(long status, const char *error_code);
