/*
 * statusline.c - stderr shared by messages and the one progress line that
 * is rewritten in place while the host waits for plugins.
 */
#include "config.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "xdrhost.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static char shown[256]; /* the progress line on screen, "" if none */

bool xdr_stderr_is_tty(void)
{
	return isatty(STDERR_FILENO) == 1;
}

/* Columns of the terminal, so that the line never wraps (a wrapped line
 * cannot be rewritten with \r). */
static size_t columns(void)
{
	struct winsize ws;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1)
		return ws.ws_col;
	return 80;
}

static void draw(void)
{
	size_t width = columns() - 1, len = strlen(shown);

	fprintf(stderr, "\r%.*s\033[K", (int)(len < width ? len : width),
	        shown);
	fflush(stderr);
}

static void erase(void)
{
	fputs("\r\033[K", stderr);
	fflush(stderr);
}

void xdr_statusline_set(const char *text)
{
	if (!xdr_stderr_is_tty())
		return;
	pthread_mutex_lock(&lock);
	snprintf(shown, sizeof(shown), "%s", text);
	draw();
	pthread_mutex_unlock(&lock);
}

void xdr_statusline_clear(void)
{
	pthread_mutex_lock(&lock);
	if (shown[0] != '\0') {
		erase();
		shown[0] = '\0';
	}
	pthread_mutex_unlock(&lock);
}

void xdr_eprintf(const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&lock);
	if (shown[0] != '\0')
		erase();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (shown[0] != '\0')
		draw();
	else
		fflush(stderr);
	pthread_mutex_unlock(&lock);
}
