/*
 * errbuf.c - one-line error messages into a caller's buffer.
 */
#include <config.h>

#include "errbuf.h"

#include <stdarg.h>
#include <stdio.h>

#include "text.h"

void itg_verrf(char *err, size_t errsize, const char *fmt, va_list ap)
{
	int n;

	if (err == NULL || errsize == 0)
		return;
	n = vsnprintf(err, errsize, fmt, ap);
	if (n < 0)
		err[0] = '\0';
	else if ((size_t)n >= errsize)
		/* A name quoted in the message may have been cut inside a
		 * character: the message must stay UTF-8. */
		itg_utf8_trim_cut(err);
}

void itg_errf(char *err, size_t errsize, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	itg_verrf(err, errsize, fmt, ap);
	va_end(ap);
}
