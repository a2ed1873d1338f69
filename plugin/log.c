/*
 * log.c - the plugin's lines in the host's log.
 */
#include <config.h>

#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void itg_log(const struct itg_plugin *p, enum xdr_log_level level,
             const char *fmt, ...)
{
	static const char ellipsis[] = "...";
	char raw[ITG_LOG_LINE_MAX], line[ITG_LOG_LINE_MAX];
	va_list ap;
	int n;

	if (p == NULL || p->api == NULL || p->api->log == NULL)
		return;
	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(raw)) {
		itg_text_line(line, sizeof(line), raw);
	} else {
		/* Cut: whole characters, then the ellipsis. */
		raw[sizeof(raw) - sizeof(ellipsis)] = '\0';
		itg_utf8_trim_cut(raw);
		if (!itg_text_line(line, sizeof(line) - (sizeof(ellipsis) - 1),
		                   raw))
			strcat(line, ellipsis);
	}
	p->api->log(p->api->host, level, line);
}
