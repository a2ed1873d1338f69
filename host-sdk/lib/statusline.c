/*
 * statusline.c - stderr shared by messages and the one progress line that
 * is rewritten in place while the host waits for plugins.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "compat/os.h"
#include "xdrhost.h"

static os_mutex lock = OS_MUTEX_INIT;
static char shown[256]; /* the progress line on screen, "" if none */

bool xdr_stderr_is_tty(void)
{
	return os_stderr_is_terminal();
}

/* Columns of the terminal, so that the line never wraps (a wrapped line
 * cannot be rewritten with \r). */
static size_t columns(void)
{
	size_t n = os_stderr_columns();

	return n > 1 ? n : 80;
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
	os_mutex_lock(&lock);
	snprintf(shown, sizeof(shown), "%s", text);
	draw();
	os_mutex_unlock(&lock);
}

void xdr_statusline_clear(void)
{
	os_mutex_lock(&lock);
	if (shown[0] != '\0') {
		erase();
		shown[0] = '\0';
	}
	os_mutex_unlock(&lock);
}

void xdr_eprintf(const char *fmt, ...)
{
	va_list ap;

	os_mutex_lock(&lock);
	if (shown[0] != '\0')
		erase();
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (shown[0] != '\0')
		draw();
	else
		fflush(stderr);
	os_mutex_unlock(&lock);
}
