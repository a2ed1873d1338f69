/*
 * kp_text.c - what the pack's reports and dashboards share: escaping for
 * HTML and CSV, and the value of a named column of an event.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void xdr_html_put(FILE *f, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		case '\'':
			fputs("&#39;", f);
			break;
		default:
			if (xdr_line_break_len(s) > 0) {
				fputc(' ', f);
				s += xdr_line_break_len(s) - 1;
			} else {
				fputc(*s, f);
			}
		}
	}
}

void xdr_csv_put(FILE *f, const char *s)
{
	fputc('"', f);
	/* A cell a spreadsheet would read as a formula (OWASP's CSV
	 * injection): shown as text instead. */
	if (s != NULL && *s != '\0' && strchr("=+-@\t\r", *s) != NULL)
		fputc('\'', f);
	for (; s != NULL && *s; s++) {
		size_t n = xdr_line_break_len(s);

		if (n > 0) {
			fputc(' ', f);
			s += n - 1;
			continue;
		}
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

char *xdr_event_column(const struct xdr_event_rec *e, const char *column)
{
	struct json_object *fields, *v;
	char buf[XDR_RFC3339_MAX];
	char *out = NULL;

	if (strcmp(column, "time") == 0) {
		xdr_rfc3339_format(e->time, buf);
		return strdup(buf);
	}
	if (strcmp(column, "date") == 0) {
		xdr_rfc3339_format(e->time, buf);
		buf[10] = '\0';
		return strdup(buf);
	}
	if (strcmp(column, "event_id") == 0)
		return asprintf(&out, "%" PRIu32, e->id) < 0 ? NULL : out;
	if (strcmp(column, "severity") == 0)
		return strdup(e->severity);
	if (strcmp(column, "source") == 0)
		return strdup(e->source);
	if (strcmp(column, "description") == 0)
		return strdup(e->description);
	if (xdr_json_parse(e->fields, strlen(e->fields), 4, &fields, NULL) !=
	    XDR_OK)
		return strdup("");
	if (json_object_object_get_ex(fields, column, &v))
		out = strdup(json_object_get_string(v));
	else
		out = strdup("");
	json_object_put(fields);
	return out;
}
