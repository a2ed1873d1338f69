/*
 * errbuf.c - one-line error messages into a caller's buffer.
 */
#include <config.h>

#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

void itg_errf(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsize == 0)
		return;
	va_start(ap, fmt);
	if (vsnprintf(err, errsize, fmt, ap) < 0)
		err[0] = '\0';
	va_end(ap);
}
