/*
 * resource_text.c - a page of a large collection written straight as text:
 * the same document sbx_resource() and json-c would give (same members, same
 * order, same escapes), without building and freeing a copy of every record
 * first, which cost more than IT Glue's latency for a page of a thousand
 * configurations with their interfaces.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

#include "paging.h"
#include "sandbox.h"

struct text {
	char *p;
	size_t len, cap;
	bool oom;
};

static void put(struct text *t, const char *s, size_t n)
{
	if (t->oom)
		return;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 4096;
		char *grown;

		while (cap < t->len + n + 1)
			cap *= 2;
		grown = realloc(t->p, cap);
		if (!grown) {
			t->oom = true;
			return;
		}
		t->p = grown;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

static void put_s(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* A JSON string as json-c writes it with JSON_C_TO_STRING_NOSLASHESCAPE. */
static void put_string(struct text *t, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t start = 0;

	put(t, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[7];
		const char *e = NULL;

		switch (c) {
		case '\b':
			e = "\\b";
			break;
		case '\n':
			e = "\\n";
			break;
		case '\r':
			e = "\\r";
			break;
		case '\t':
			e = "\\t";
			break;
		case '\f':
			e = "\\f";
			break;
		case '"':
			e = "\\\"";
			break;
		case '\\':
			e = "\\\\";
			break;
		default:
			if (c < ' ') {
				snprintf(esc, sizeof(esc), "\\u00%c%c",
				         hex[c >> 4], hex[c & 0xf]);
				e = esc;
			}
			break;
		}
		if (e) {
			put(t, s + start, i - start);
			put_s(t, e);
			start = i + 1;
		}
	}
	put(t, s + start, n - start);
	put(t, "\"", 1);
}

static void put_value(struct text *t, struct json_object *v)
{
	char num[32];

	switch (json_object_get_type(v)) {
	case json_type_null:
		put_s(t, "null");
		break;
	case json_type_boolean:
		put_s(t, json_object_get_boolean(v) ? "true" : "false");
		break;
	case json_type_int:
		snprintf(num, sizeof(num), "%" PRId64,
		         json_object_get_int64(v));
		put_s(t, num);
		break;
	case json_type_double:
		put_s(t, json_object_to_json_string_ext(
		                 v, JSON_C_TO_STRING_PLAIN |
		                            JSON_C_TO_STRING_NOSLASHESCAPE));
		break;
	case json_type_string:
		put_string(t, json_object_get_string(v),
		           (size_t)json_object_get_string_len(v));
		break;
	case json_type_array: {
		size_t n = json_object_array_length(v);

		put(t, "[", 1);
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				put(t, ",", 1);
			put_value(t, json_object_array_get_idx(v, i));
		}
		put(t, "]", 1);
		break;
	}
	case json_type_object: {
		bool first = true;

		put(t, "{", 1);
		json_object_object_foreach(v, key, value)
		{
			if (!first)
				put(t, ",", 1);
			first = false;
			put_string(t, key, strlen(key));
			put(t, ":", 1);
			put_value(t, value);
		}
		put(t, "}", 1);
		break;
	}
	}
}

static bool listed(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

static void member(struct text *t, bool *first, const char *key,
                   struct json_object *value)
{
	if (!*first)
		put(t, ",", 1);
	*first = false;
	put_string(t, key, strlen(key));
	put(t, ":", 1);
	put_value(t, value);
}

static int resource_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                         struct json_object *stored, struct text *out,
                         struct text *included);

/* The identifiers of a nested relationship and, asked for, its objects. */
static int nested_text(struct sbx_ctx *ctx, const struct sbx_nested *n,
                       struct json_object *owner, struct text *out,
                       struct text *included)
{
	struct json_object *items = NULL, *saved = ctx->parent;
	size_t count;
	char id[24];
	int rc = XDR_OK;

	put_string(out, n->relationship, strlen(n->relationship));
	put_s(out, ":{\"data\":[");
	if (!json_object_object_get_ex(owner, n->member, &items) || !items)
		items = NULL;
	count = items ? json_object_array_length(items) : 0;
	ctx->parent = owner;
	for (size_t i = 0; i < count && rc == XDR_OK; i++) {
		struct json_object *item = json_object_array_get_idx(items, i);

		snprintf(id, sizeof(id), "%" PRId64, sbx_id_of(item));
		put_s(out, i > 0 ? ",{\"id\":" : "{\"id\":");
		put_string(out, id, strlen(id));
		put_s(out, ",\"type\":");
		put_string(out, n->family->type, strlen(n->family->type));
		put(out, "}", 1);
		if (included) {
			if (included->len > 0)
				put(included, ",", 1);
			rc = resource_text(ctx, n->family, item, included,
			                   NULL);
		}
	}
	ctx->parent = saved;
	put_s(out, "]}");
	return rc;
}

/* What sbx_resource() would build for STORED, as text, and its included
 * resources (comma-separated) into INCLUDED when not NULL. */
static int resource_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                         struct json_object *stored, struct text *out,
                         struct text *included)
{
	struct json_object *derived = json_object_new_object();
	struct json_object *v;
	bool first = true;
	char id[24];
	int rc = XDR_OK;

	if (!derived)
		return XDR_ENOMEM;
	if (f->derive && f->derive(ctx, stored, derived) != XDR_OK) {
		json_object_put(derived);
		return XDR_ENOMEM;
	}
	snprintf(id, sizeof(id), "%" PRId64, sbx_id_of(stored));
	put_s(out, "{\"id\":");
	put_string(out, id, strlen(id));
	put_s(out, ",\"type\":");
	put_string(out, f->type, strlen(f->type));
	put_s(out, ",\"attributes\":{");
	/* The listed attributes first, in order (derived over stored over
	 * null), then the other stored ones, then the other derived ones:
	 * the order json-c keeps as sbx_resource() adds them. */
	for (const char *const *a = f->attributes; a && *a; a++) {
		if (!json_object_object_get_ex(derived, *a, &v) &&
		    !json_object_object_get_ex(stored, *a, &v))
			v = NULL;
		member(out, &first, *a, v);
	}
	json_object_object_foreach(stored, key, value)
	{
		if (!strcmp(key, "id") || listed(key, f->hidden) ||
		    listed(key, f->attributes))
			continue;
		if (!json_object_object_get_ex(derived, key, &v))
			v = value;
		member(out, &first, key, v);
	}
	json_object_object_foreach(derived, dkey, dvalue)
	{
		if (listed(dkey, f->attributes) ||
		    json_object_object_get_ex(stored, dkey, NULL))
			continue;
		member(out, &first, dkey, dvalue);
	}
	json_object_put(derived);
	put_s(out, "},\"relationships\":{");
	if (f->nested && sbx_wants(ctx, f->nested->include)) {
		rc = nested_text(ctx, f->nested, stored, out, included);
	} else if (f->relate && !f->nested) {
		struct json_object *rels = json_object_new_object();
		struct json_object *inc = json_object_new_array();

		rc = rels && inc ? f->relate(ctx, stored, rels, inc)
		                 : XDR_ENOMEM;
		if (rc == XDR_OK) {
			bool rfirst = true;

			json_object_object_foreach(rels, rkey, rvalue)
			        member(out, &rfirst, rkey, rvalue);
			for (size_t i = 0;
			     included && i < json_object_array_length(inc);
			     i++) {
				if (included->len > 0)
					put(included, ",", 1);
				put_value(included,
				          json_object_array_get_idx(inc, i));
			}
		}
		json_object_put(rels);
		json_object_put(inc);
	}
	put_s(out, "}}");
	return rc != XDR_OK ? rc : out->oom ? XDR_ENOMEM : XDR_OK;
}

int sbx_list_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                  struct json_object *const *items, const struct sbx_page *page)
{
	const struct sbx_query *q = ctx->req->query;
	bool with_included = sbx_query_get(q, "include") != NULL;
	struct text doc = {0}, inc = {0};
	struct json_object *meta = NULL, *links = NULL;
	int rc = XDR_OK;

	put_s(&doc, "{\"data\":[");
	for (long i = 0; i < page->count && rc == XDR_OK; i++) {
		if (i > 0)
			put(&doc, ",", 1);
		rc = resource_text(ctx, f, items[i], &doc, &inc);
	}
	put(&doc, "]", 1);
	if (with_included) {
		put_s(&doc, ",\"included\":[");
		put(&doc, inc.p ? inc.p : "", inc.len);
		put(&doc, "]", 1);
	}
	meta = sbx_page_meta(page);
	links = sbx_page_links(page, ctx->req->base_url, ctx->req->path, q);
	if (!meta || !links)
		rc = XDR_ENOMEM;
	put_s(&doc, ",\"meta\":");
	put_value(&doc, meta);
	put_s(&doc, ",\"links\":");
	put_value(&doc, links);
	put(&doc, "}", 1);
	json_object_put(meta);
	json_object_put(links);
	free(inc.p);
	if (rc == XDR_OK && (doc.oom || inc.oom))
		rc = XDR_ENOMEM;
	if (rc == XDR_OK)
		rc = sbx_respond_bytes(ctx->res, 200, SBX_MEDIA_TYPE, doc.p,
		                       doc.len);
	free(doc.p);
	return rc;
}
