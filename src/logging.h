/* logging.h — where wksfs's log lines go, and which of them. */
#pragma once

#include <glib.h>

/* syslog's names and order; a line is written when its level is at most the threshold. */
typedef enum {
	LOGGING_ERROR,
	LOGGING_WARNING,
	LOGGING_NOTICE,		/* g_message */
	LOGGING_INFO,
	LOGGING_DEBUG,
} LoggingLevel;

#define LOGGING_DEFAULT_LEVEL LOGGING_INFO

/* "error", "warning", "notice", "info" or "debug". */
gboolean logging_parse_level(const char *name, LoggingLevel *ret_level);

/* Installs the handler of every g_log line: from now on, lines at `level` or above go to
 * stderr ("wksfs: LEVEL: message"). Lines of the domain "fuse" (libfuse's own, which it
 * only makes when asked) are always written. */
void logging_init(LoggingLevel level);
/* One line, as the handler writes a g_log line: for lines that are not GLib's (libfuse's),
 * whose level must not trigger GLib's fatal handling. */
void logging_line(LoggingLevel level, const char *domain, const char *message);
/* Appends every line from now on to path (created 0600), timestamped, one write(2) per
 * line. FALSE, with nothing changed, if it cannot be opened. */
gboolean logging_open_file(const char *path, GError **error);
/* After daemonizing, stderr leads nowhere: without a log file, lines go to syslog. */
void logging_daemonized(void);
/* Closes the log file (lines go to stderr again). */
void logging_close(void);
