/*
 * kp_render.c - the pack's reports: the events of a saved search as an HTML
 * table or as CSV (RFC 4180), in the columns the report names.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "internal.h"

struct report {
	struct json_object *root;
	const char *title;
	struct json_object *columns;
	size_t n_columns;
};

static int report_read(const char *body, struct report *r, struct xdr_err *err)
{
	struct json_object *v;
	int rc = xdr_json_parse(body, strlen(body), 16, &r->root, err);

	if (rc != XDR_OK)
		return rc;
	r->title = json_object_object_get_ex(r->root, "title", &v)
	                   ? json_object_get_string(v)
	                   : NULL;
	if (!json_object_object_get_ex(r->root, "columns", &r->columns) ||
	    !json_object_is_type(r->columns, json_type_array) ||
	    r->title == NULL) {
		json_object_put(r->root);
		return xdr_errf(err, XDR_EINVAL,
		                "report object has no title or columns");
	}
	r->n_columns = json_object_array_length(r->columns);
	return XDR_OK;
}

static const char *column(const struct report *r, size_t i)
{
	return json_object_get_string(json_object_array_get_idx(r->columns, i));
}

static bool render_csv(FILE *f, const struct report *r,
                       const struct xdr_event_list *events)
{
	for (size_t c = 0; c < r->n_columns; c++) {
		if (c > 0)
			fputc(',', f);
		xdr_csv_put(f, column(r, c));
	}
	fputs("\r\n", f);
	for (size_t i = 0; i < events->n; i++) {
		for (size_t c = 0; c < r->n_columns; c++) {
			char *v = xdr_event_column(&events->items[i],
			                           column(r, c));

			if (v == NULL)
				return false;
			if (c > 0)
				fputc(',', f);
			xdr_csv_put(f, v);
			free(v);
		}
		fputs("\r\n", f);
	}
	return true;
}

static bool render_html(FILE *f, const struct report *r,
                        const struct xdr_event_list *events)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\">"
	      "<title>",
	      f);
	xdr_html_put(f, r->title);
	fputs("</title><style>body{font-family:sans-serif;margin:2em}"
	      "table{border-collapse:collapse}th,td{border:1px solid #ccc;"
	      "padding:4px 8px;text-align:left}th{background:#eef}"
	      "</style></head><body>\n<h1>",
	      f);
	xdr_html_put(f, r->title);
	fprintf(f, "</h1>\n<p id=\"count\">%zu event%s</p>\n<table><tr>",
	        events->n, events->n == 1 ? "" : "s");
	for (size_t c = 0; c < r->n_columns; c++) {
		fputs("<th>", f);
		xdr_html_put(f, column(r, c));
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < events->n; i++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < r->n_columns; c++) {
			char *v = xdr_event_column(&events->items[i],
			                           column(r, c));

			if (v == NULL)
				return false;
			fputs("<td>", f);
			xdr_html_put(f, v);
			fputs("</td>", f);
			free(v);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n</body></html>\n", f);
	return true;
}

int xdr_kp_report_render(const char *report_body,
                         const struct xdr_event_list *events,
                         enum xdr_kp_format format, char **out,
                         struct xdr_err *err)
{
	struct report r;
	struct os_memstream ms;
	char *text;
	bool ok;
	int rc = report_read(report_body, &r, err);

	if (rc != XDR_OK)
		return rc;
	if (os_memstream_open(&ms) != 0) {
		json_object_put(r.root);
		return xdr_errf(err, XDR_ENOMEM, "cannot render: %s",
		                strerror(errno));
	}
	ok = format == XDR_KP_CSV ? render_csv(ms.f, &r, events)
	                          : render_html(ms.f, &r, events);
	text = os_memstream_close(&ms, NULL);
	json_object_put(r.root);
	if (!ok || text == NULL) {
		free(text);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	*out = text;
	return XDR_OK;
}
