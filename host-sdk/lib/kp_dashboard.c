/*
 * kp_dashboard.c - the pack's dashboards: one self-contained HTML page (no
 * script, no external resource) with an inline SVG bar chart per chart of
 * the dashboard: events per day, or events by the value of a field.
 */
#include "config.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "internal.h"

#define MAX_BARS 12
#define CHART_W  560
#define BAR_H    22

struct bucket {
	char *label;
	size_t count;
};

struct buckets {
	struct bucket *items;
	size_t n, cap;
};

static void buckets_free(struct buckets *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->items[i].label);
	free(b->items);
}

/* Count one more event under label (taken). */
static int count(struct buckets *b, char *label)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->items[i].label, label) == 0) {
			b->items[i].count++;
			free(label);
			return XDR_OK;
		}
	if (xdr_array_grow(&b->items, &b->cap, b->n, sizeof(*b->items)) !=
	    XDR_OK) {
		free(label);
		return XDR_ENOMEM;
	}
	b->items[b->n].label = label;
	b->items[b->n++].count = 1;
	return XDR_OK;
}

static int by_label(const void *a, const void *b)
{
	return strcmp(((const struct bucket *)a)->label,
	              ((const struct bucket *)b)->label);
}

/* Most events first; ties in label order. */
static int by_count(const void *a, const void *b)
{
	const struct bucket *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->label, y->label);
}

static int tally(const struct xdr_event_list *events, const char *column,
                 bool per_day, struct buckets *b)
{
	memset(b, 0, sizeof(*b));
	for (size_t i = 0; i < events->n; i++) {
		char *v = xdr_event_column(&events->items[i], column);

		if (v == NULL || count(b, v) != XDR_OK) {
			buckets_free(b);
			return XDR_ENOMEM;
		}
	}
	if (b->n > 0)
		qsort(b->items, b->n, sizeof(*b->items),
		      per_day ? by_label : by_count);
	return XDR_OK;
}

/* Characters of a label drawn left of its bar; longer ones are cut with an
 * ellipsis, and the whole label is the bar's tooltip. */
#define LABEL_MAX 26

/* LABEL, cut to LABEL_MAX bytes on a UTF-8 character boundary. */
static void put_label(FILE *f, const char *label)
{
	size_t len = strlen(label);
	char cut[LABEL_MAX + 4];

	if (len <= LABEL_MAX) {
		xdr_html_put(f, label);
		return;
	}
	len = LABEL_MAX - 1;
	while (len > 0 && ((unsigned char)label[len] & 0xc0) == 0x80)
		len--;
	memcpy(cut, label, len);
	memcpy(cut + len, "\xe2\x80\xa6", 4); /* U+2026 and the NUL */
	xdr_html_put(f, cut);
}

/* Horizontal bars: label, bar, count; the last MAX_BARS days or the top
 * MAX_BARS values. */
static void chart_svg(FILE *f, const char *title, const char *id,
                      const struct buckets *b, bool per_day)
{
	size_t first = per_day && b->n > MAX_BARS ? b->n - MAX_BARS : 0;
	size_t shown = b->n - first < MAX_BARS ? b->n - first : MAX_BARS;
	size_t max = 1, height = 40 + shown * (BAR_H + 6) + (shown ? 0 : 24);

	for (size_t i = first; i < first + shown; i++)
		if (b->items[i].count > max)
			max = b->items[i].count;
	fputs("<figure class=\"chart\"><figcaption>", f);
	xdr_html_put(f, title);
	fprintf(f,
	        "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	        "id=\"%s\" width=\"%d\" height=\"%zu\" role=\"img\">\n",
	        id, CHART_W, height);
	if (shown == 0)
		fputs("<text x=\"10\" y=\"30\" class=\"none\">no "
		      "events</text>\n",
		      f);
	for (size_t k = 0; k < shown; k++) {
		const struct bucket *it = &b->items[first + k];
		size_t y = 20 + k * (BAR_H + 6);
		size_t w = it->count * 300 / max;

		fputs("<g class=\"bar\"><title>", f);
		xdr_html_put(f, it->label[0] ? it->label : "(none)");
		fprintf(f, "</title><text x=\"0\" y=\"%zu\">", y + 15);
		put_label(f, it->label[0] ? it->label : "(none)");
		fprintf(f,
		        "</text><rect x=\"200\" y=\"%zu\" width=\"%zu\" "
		        "height=\"%d\" rx=\"3\"/><text x=\"%zu\" y=\"%zu\" "
		        "class=\"n\">%zu</text></g>\n",
		        y, w > 0 ? w : 1, BAR_H, 208 + w, y + 15, it->count);
	}
	fputs("</svg></figure>\n", f);
}

static int render_chart(FILE *f, struct json_object *c, size_t i,
                        const struct xdr_event_list *events)
{
	struct json_object *v;
	const char *kind = "per_day", *title = "", *field = "";
	struct buckets b;
	char id[32];
	bool per_day;

	if (json_object_object_get_ex(c, "kind", &v))
		kind = json_object_get_string(v);
	if (json_object_object_get_ex(c, "title", &v))
		title = json_object_get_string(v);
	if (json_object_object_get_ex(c, "field", &v))
		field = json_object_get_string(v);
	per_day = strcmp(kind, "per_day") == 0;
	if (tally(events, per_day ? "date" : field, per_day, &b) != XDR_OK)
		return XDR_ENOMEM;
	snprintf(id, sizeof(id), "chart-%zu", i + 1);
	chart_svg(f, title, id, &b, per_day);
	buckets_free(&b);
	return XDR_OK;
}

static int render(FILE *f, struct json_object *root,
                  const struct xdr_event_list *events)
{
	struct json_object *v, *charts = NULL;
	const char *title = "";

	if (json_object_object_get_ex(root, "title", &v))
		title = json_object_get_string(v);
	json_object_object_get_ex(root, "charts", &charts);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\">"
	      "<title>",
	      f);
	xdr_html_put(f, title);
	fputs("</title>\n<style>body{font-family:sans-serif;margin:24px;"
	      "background:#f6f7f9;color:#222}h1{font-size:22px}"
	      ".total{font-size:40px;font-weight:bold;color:#b8860b}"
	      ".chart{display:inline-block;background:#fff;margin:8px;"
	      "padding:12px;border-radius:6px;box-shadow:0 1px 3px #aaa}"
	      "figcaption{font-weight:bold;margin-bottom:6px}"
	      "rect{fill:#e0a800}text{font-size:13px}.n{font-weight:bold}"
	      "</style></head><body>\n<h1>",
	      f);
	xdr_html_put(f, title);
	fprintf(f,
	        "</h1>\n<p><span class=\"total\" id=\"total\">%zu</span> "
	        "event%s</p>\n",
	        events->n, events->n == 1 ? "" : "s");
	for (size_t i = 0; charts && i < json_object_array_length(charts); i++)
		if (render_chart(f, json_object_array_get_idx(charts, i), i,
		                 events) != XDR_OK)
			return XDR_ENOMEM;
	fputs("</body></html>\n", f);
	return XDR_OK;
}

int xdr_kp_dashboard_render(const char *dashboard_body,
                            const struct xdr_event_list *events, char **out,
                            struct xdr_err *err)
{
	struct json_object *root;
	struct os_memstream ms;
	char *text;
	int rc = xdr_json_parse(dashboard_body, strlen(dashboard_body), 16,
	                        &root, err);

	if (rc != XDR_OK)
		return rc;
	if (os_memstream_open(&ms) != 0) {
		json_object_put(root);
		return xdr_errf(err, XDR_ENOMEM, "cannot render: %s",
		                strerror(errno));
	}
	rc = render(ms.f, root, events);
	text = os_memstream_close(&ms, NULL);
	json_object_put(root);
	if (rc != XDR_OK || text == NULL) {
		free(text);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	*out = text;
	return XDR_OK;
}
