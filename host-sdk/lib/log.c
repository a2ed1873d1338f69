/*
 * log.c - the host's log file, HOME/xdr-host.log, shared by the host and
 * every plugin and safe to write from any thread.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "compat/os.h"
#include "xdrhost.h"

#define LOG_LINE_MAX 4096

struct xdr_log {
	os_mutex lock;
	char *path;
	FILE *file;
	bool verbose;
	bool open_failed; /* said once, not again */
};

struct xdr_log *xdr_log_new(const char *path, bool verbose)
{
	struct xdr_log *log = calloc(1, sizeof(*log));

	if (log == NULL)
		return NULL;
	log->path = strdup(path);
	if (log->path == NULL) {
		free(log);
		return NULL;
	}
	log->verbose = verbose;
	os_mutex_init(&log->lock);
	return log;
}

void xdr_log_free(struct xdr_log *log)
{
	if (log == NULL)
		return;
	if (log->file != NULL)
		fclose(log->file);
	os_mutex_destroy(&log->lock);
	free(log->path);
	free(log);
}

/* Opened on first use so that commands that log nothing create nothing. */
static FILE *log_file(struct xdr_log *log)
{
	int fd;

	if (log->file != NULL || log->open_failed)
		return log->file;
	fd = open(log->path,
	          O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_BINARY, 0600);
	if (fd >= 0)
		log->file = fdopen(fd, "ab");
	if (log->file == NULL) {
		xdr_eprintf("xdr-host: cannot open log file '%s': %s\n",
		            log->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		log->open_failed = true;
	}
	return log->file;
}

static void write_line(struct xdr_log *log, enum xdr_log_level level,
                       const char *source, const char *message, bool echo)
{
	char when[XDR_RFC3339_MAX], text[LOG_LINE_MAX];
	const char *lname = xdr_log_level_name(level);
	FILE *f;

	if (log == NULL)
		return;
	snprintf(text, sizeof(text), "%s", message ? message : "");
	/* One line per message: a newline would forge a second entry. */
	xdr_text_flatten(text);
	xdr_rfc3339_format((int64_t)time(NULL), when);
	os_mutex_lock(&log->lock);
	f = log_file(log);
	if (f != NULL) {
		fprintf(f, "%s %s %s: %s\n", when, lname, source, text);
		fflush(f);
	}
	os_mutex_unlock(&log->lock);
	if (echo && (level <= XDR_LOG_WARNING || log->verbose))
		xdr_eprintf("%s: %s: %s\n", source, lname, text);
}

void xdr_log_write(struct xdr_log *log, enum xdr_log_level level,
                   const char *source, const char *message)
{
	write_line(log, level, source, message, true);
}

void xdr_log_quiet(struct xdr_log *log, enum xdr_log_level level,
                   const char *source, const char *message)
{
	write_line(log, level, source, message, false);
}
