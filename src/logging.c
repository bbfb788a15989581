/* logging.c — the one handler of every g_log line: its threshold and where it goes.
 *
 * Owns: the level threshold (-o log_level, -d), the destination (stderr in the foreground,
 * -o log_file, syslog once daemonized) and the line format. A message may carry text from
 * the network (an API's error_msg, a name): control characters are escaped, so one call is
 * one line and nobody can forge another. Must not: decide what is logged, or at which level
 * (each layer does, at its boundary); it never logs itself. The state is set at start-up,
 * before any thread, and only read afterwards; each line is a single write(2) (O_APPEND),
 * so lines from many threads never interleave.
 */
#include "src/logging.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static LoggingLevel threshold = LOGGING_DEFAULT_LEVEL;
static int log_fd = -1;		/* -o log_file, or -1 */
static gboolean use_syslog;

static const char *const level_names[] = { "error", "warning", "notice", "info", "debug" };

gboolean logging_parse_level(const char *name, LoggingLevel *ret_level)
{
	for (gsize i = 0; i < G_N_ELEMENTS(level_names); i++) {
		if (g_strcmp0(name, level_names[i]) == 0) {
			*ret_level = (LoggingLevel)i;
			return TRUE;
		}
	}
	return FALSE;
}

static LoggingLevel level_of(GLogLevelFlags flags)
{
	if (flags & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
		return LOGGING_ERROR;
	if (flags & G_LOG_LEVEL_WARNING)
		return LOGGING_WARNING;
	if (flags & G_LOG_LEVEL_MESSAGE)
		return LOGGING_NOTICE;
	if (flags & G_LOG_LEVEL_INFO)
		return LOGGING_INFO;
	return LOGGING_DEBUG;
}

static const int syslog_priorities[] = { LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO,
					 LOG_DEBUG };

/* The message with control characters as \xHH (a newline from the network would start a
 * line of its own). */
static void append_escaped(GString *out, const char *message)
{
	for (const char *c = message; *c; c++) {
		if ((guchar)*c < 0x20 || *c == 0x7f)
			g_string_append_printf(out, "\\x%02x", (guchar)*c);
		else
			g_string_append_c(out, *c);
	}
}

static void write_all(int fd, const char *data, gsize len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* nowhere to report it */
		data += n;
		len -= (gsize)n;
	}
}

void logging_line(LoggingLevel level, const char *domain, const char *message)
{
	g_autoptr(GString) line = g_string_new(NULL);

	if (level > threshold && g_strcmp0(domain, "fuse") != 0)
		return;
	if (log_fd >= 0) {
		g_autoptr(GDateTime) now = g_date_time_new_now_utc();
		g_autofree char *ts = g_date_time_format(now, "%Y-%m-%dT%H:%M:%S");

		g_string_append_printf(line, "%s.%03dZ wksfs[%d] %s %s: ", ts,
				       g_date_time_get_microsecond(now) / 1000, (int)getpid(),
				       level_names[level], domain ? domain : "wksfs");
	} else if (use_syslog) {
		g_string_append_printf(line, "%s: ", domain ? domain : "wksfs");
	} else {
		g_string_append_printf(line, "wksfs: %s: ", level_names[level]);
	}
	append_escaped(line, message ? message : "");
	if (use_syslog && log_fd < 0) {
		syslog(syslog_priorities[level], "%s", line->str);
		return;
	}
	g_string_append_c(line, '\n');
	write_all(log_fd >= 0 ? log_fd : STDERR_FILENO, line->str, line->len);
}

static void handler(const char *domain, GLogLevelFlags flags, const char *message,
		    gpointer data)
{
	logging_line(level_of(flags), domain, message);
}

void logging_init(LoggingLevel level)
{
	threshold = level;
	g_log_set_default_handler(handler, NULL);
}

gboolean logging_open_file(const char *path, GError **error)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);

	if (fd < 0) {
		g_set_error(error, G_FILE_ERROR, g_file_error_from_errno(errno), "%s: %s", path,
			    g_strerror(errno));
		return FALSE;
	}
	if (log_fd >= 0)
		close(log_fd);
	log_fd = fd;
	return TRUE;
}

void logging_daemonized(void)
{
	if (log_fd >= 0)
		return;
	openlog("wksfs", LOG_PID, LOG_DAEMON);
	use_syslog = TRUE;
}

void logging_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
}
