/*
 * log.c - the plugin's lines in the host's log.
 */
#include <config.h>

#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void one_line(char *s)
{
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c < 0x20 || c == 0x7f)
			*s = ' ';
	}
}

void itg_log(const struct itg_plugin *p, enum xdr_log_level level,
             const char *fmt, ...)
{
	static const char ellipsis[] = "...";
	char line[ITG_LOG_LINE_MAX];
	va_list ap;
	int n;

	if (p == NULL || p->api == NULL || p->api->log == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		memcpy(line + sizeof(line) - sizeof(ellipsis), ellipsis,
		       sizeof(ellipsis));
	one_line(line);
	p->api->log(p->api->host, level, line);
}
