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

/* Room for N more bytes and a final '\0'; false once memory ran out. Kept
 * out of put() so that the common case, room enough, stays a compare. */
static bool grow(struct text *t, size_t n)
{
	size_t cap = t->cap ? t->cap : 4096;
	char *grown;

	if (t->oom)
		return false;
	while (cap < t->len + n + 1)
		cap *= 2;
	grown = realloc(t->p, cap);
	if (!grown) {
		t->oom = true;
		return false;
	}
	t->p = grown;
	t->cap = cap;
	return true;
}

static void put(struct text *t, const char *s, size_t n)
{
	if (t->cap - t->len < n + 1 && !grow(t, n))
		return;
	memcpy(t->p + t->len, s, n);
	t->len += n;
}

static void put_s(struct text *t, const char *s)
{
	put(t, s, strlen(s));
}

/* A string literal, its length known when compiling. */
#define PUT_LIT(t, lit) put((t), (lit), sizeof(lit) - 1)

/* The text ends with a '\0' not counted in its length, as bodies do. */
static void finish(struct text *t)
{
	if (t->cap - t->len < 1 && !grow(t, 0))
		return;
	t->p[t->len] = '\0';
}

/* V in decimal, as "%" PRId64 writes it, without the cost of printf. */
static void put_int(struct text *t, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	put(t, p, (size_t)(buf + sizeof(buf) - p));
}

/* An id as JSON:API writes it: a JSON string of the decimal number. */
static void put_id(struct text *t, int64_t id)
{
	PUT_LIT(t, "\"");
	put_int(t, id);
	PUT_LIT(t, "\"");
}

/* What json-c writes for a byte that needs escaping. */
static void put_escape(struct text *t, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};

	switch (c) {
	case '\b':
		PUT_LIT(t, "\\b");
		break;
	case '\n':
		PUT_LIT(t, "\\n");
		break;
	case '\r':
		PUT_LIT(t, "\\r");
		break;
	case '\t':
		PUT_LIT(t, "\\t");
		break;
	case '\f':
		PUT_LIT(t, "\\f");
		break;
	case '"':
		PUT_LIT(t, "\\\"");
		break;
	case '\\':
		PUT_LIT(t, "\\\\");
		break;
	default:
		put(t, esc, sizeof(esc));
		break;
	}
}

/* A JSON string as json-c writes it with JSON_C_TO_STRING_NOSLASHESCAPE:
 * control characters, '"' and '\\' escaped, every other byte as is. */
static void put_string(struct text *t, const char *s, size_t n)
{
	size_t start = 0;

	PUT_LIT(t, "\"");
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= ' ' && c != '"' && c != '\\')
			continue;
		put(t, s + start, i - start);
		put_escape(t, c);
		start = i + 1;
	}
	put(t, s + start, n - start);
	PUT_LIT(t, "\"");
}

static void put_value(struct text *t, struct json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		PUT_LIT(t, "null");
		break;
	case json_type_boolean:
		if (json_object_get_boolean(v))
			PUT_LIT(t, "true");
		else
			PUT_LIT(t, "false");
		break;
	case json_type_int:
		put_int(t, json_object_get_int64(v));
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

		PUT_LIT(t, "[");
		for (size_t i = 0; i < n; i++) {
			if (i > 0)
				PUT_LIT(t, ",");
			put_value(t, json_object_array_get_idx(v, i));
		}
		PUT_LIT(t, "]");
		break;
	}
	case json_type_object: {
		bool first = true;

		PUT_LIT(t, "{");
		json_object_object_foreach(v, key, value)
		{
			if (!first)
				PUT_LIT(t, ",");
			first = false;
			put_string(t, key, strlen(key));
			PUT_LIT(t, ":");
			put_value(t, value);
		}
		PUT_LIT(t, "}");
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
		PUT_LIT(t, ",");
	*first = false;
	put_string(t, key, strlen(key));
	PUT_LIT(t, ":");
	put_value(t, value);
}

/* ---- the attributes of one resource ---- */

/* Listed attributes whose values are gathered in one walk of each object;
 * any further ones (no family has that many) are looked up one by one. */
#define SLOTS_MAX 48

enum slot_source { SLOT_NONE, SLOT_STORED, SLOT_DERIVED };

/* The value each listed attribute takes, derived over stored over null.
 * Walking the stored and derived objects once each costs a compare or two
 * per member, where looking every listed attribute up in both cost two
 * hash lookups per attribute: most of a page's time. */
struct slots {
	struct json_object *value[SLOTS_MAX];
	unsigned char source[SLOTS_MAX]; /* enum slot_source */
	size_t unlisted; /* members of the walked object not listed */
};

static size_t count_of(const char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

/* The position of KEY in LIST (N entries), or -1. The search starts at
 * *NEXT, after where the object's previous member was found: records
 * mostly hold their attributes in the listed order. */
static long position_of(const char *key, const char *const *list, size_t n,
                        size_t *next)
{
	for (size_t k = 0; k < n; k++) {
		size_t i = (*next + k) % n;

		if (!strcmp(key, list[i])) {
			*next = i + 1;
			return (long)i;
		}
	}
	return -1;
}

/* Puts the members of O (stored or derived, by SOURCE) that F lists in
 * their slots; counts in S->unlisted the other ones that are served (for
 * a stored object: all but "id" and the hidden ones). */
static void fill_slots(struct slots *s, const struct sbx_family *f, size_t n,
                       struct json_object *o, enum slot_source source)
{
	size_t next = 0;

	s->unlisted = 0;
	json_object_object_foreach(o, key, value)
	{
		long i = position_of(key, f->attributes, n, &next);

		if (i >= SLOTS_MAX) {
			continue;
		} else if (i >= 0) {
			s->value[i] = value;
			s->source[i] = (unsigned char)source;
		} else if (source == SLOT_DERIVED ||
		           (strcmp(key, "id") && !listed(key, f->hidden))) {
			s->unlisted++;
		}
	}
}

/* The attributes object of STORED, with DERIVED (may be NULL) over it:
 * the listed attributes first, in order (derived over stored over null),
 * then the other stored ones, then the other derived ones: the order
 * json-c keeps as sbx_resource() adds them. */
static void attributes_text(const struct sbx_family *f,
                            struct json_object *stored,
                            struct json_object *derived, struct text *out)
{
	size_t n = count_of(f->attributes), stored_unlisted, derived_unlisted;
	struct slots s;
	struct json_object *v;
	bool first = true;

	memset(s.source, SLOT_NONE, sizeof(s.source));
	fill_slots(&s, f, n, stored, SLOT_STORED);
	stored_unlisted = s.unlisted;
	derived_unlisted = 0;
	if (derived) {
		fill_slots(&s, f, n, derived, SLOT_DERIVED);
		derived_unlisted = s.unlisted;
	}
	PUT_LIT(out, "{");
	for (size_t i = 0; i < n; i++) {
		const char *a = f->attributes[i];

		if (i < SLOTS_MAX)
			v = s.source[i] == SLOT_NONE ? NULL : s.value[i];
		else if (!json_object_object_get_ex(derived, a, &v) &&
		         !json_object_object_get_ex(stored, a, &v))
			v = NULL;
		member(out, &first, a, v);
	}
	if (stored_unlisted) {
		json_object_object_foreach(stored, key, value)
		{
			if (!strcmp(key, "id") || listed(key, f->hidden) ||
			    listed(key, f->attributes))
				continue;
			if (!json_object_object_get_ex(derived, key, &v))
				v = value;
			member(out, &first, key, v);
		}
	}
	if (derived_unlisted) {
		json_object_object_foreach(derived, dkey, dvalue)
		{
			if (listed(dkey, f->attributes) ||
			    json_object_object_get_ex(stored, dkey, NULL))
				continue;
			member(out, &first, dkey, dvalue);
		}
	}
	PUT_LIT(out, "}");
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
	int rc = XDR_OK;

	put_string(out, n->relationship, strlen(n->relationship));
	PUT_LIT(out, ":{\"data\":[");
	if (!json_object_object_get_ex(owner, n->member, &items) || !items)
		items = NULL;
	count = items ? json_object_array_length(items) : 0;
	ctx->parent = owner;
	for (size_t i = 0; i < count && rc == XDR_OK; i++) {
		struct json_object *item = json_object_array_get_idx(items, i);

		if (i > 0)
			PUT_LIT(out, ",");
		PUT_LIT(out, "{\"id\":");
		put_id(out, sbx_id_of(item));
		PUT_LIT(out, ",\"type\":");
		put_string(out, n->family->type, strlen(n->family->type));
		PUT_LIT(out, "}");
		if (included) {
			if (included->len > 0)
				PUT_LIT(included, ",");
			rc = resource_text(ctx, n->family, item, included,
			                   NULL);
		}
	}
	ctx->parent = saved;
	PUT_LIT(out, "]}");
	return rc;
}

/* The relationships of STORED that F's relate() builds, and its included
 * resources into INCLUDED when not NULL. */
static int related_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                        struct json_object *stored, struct text *out,
                        struct text *included)
{
	struct json_object *rels = json_object_new_object();
	struct json_object *inc = json_object_new_array();
	int rc = rels && inc ? f->relate(ctx, stored, rels, inc) : XDR_ENOMEM;

	if (rc == XDR_OK) {
		bool first = true;

		json_object_object_foreach(rels, key, value)
		        member(out, &first, key, value);
		for (size_t i = 0;
		     included && i < json_object_array_length(inc); i++) {
			if (included->len > 0)
				PUT_LIT(included, ",");
			put_value(included, json_object_array_get_idx(inc, i));
		}
	}
	json_object_put(rels);
	json_object_put(inc);
	return rc;
}

/* What sbx_resource() would build for STORED, as text, and its included
 * resources (comma-separated) into INCLUDED when not NULL. */
static int resource_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                         struct json_object *stored, struct text *out,
                         struct text *included)
{
	struct json_object *derived = NULL;
	int rc = XDR_OK;

	if (f->derive) {
		derived = json_object_new_object();
		if (!derived || f->derive(ctx, stored, derived) != XDR_OK) {
			json_object_put(derived);
			return XDR_ENOMEM;
		}
	}
	PUT_LIT(out, "{\"id\":");
	put_id(out, sbx_id_of(stored));
	PUT_LIT(out, ",\"type\":");
	put_string(out, f->type, strlen(f->type));
	PUT_LIT(out, ",\"attributes\":");
	attributes_text(f, stored, derived, out);
	json_object_put(derived);
	PUT_LIT(out, ",\"relationships\":{");
	if (f->nested && sbx_wants(ctx, f->nested->include))
		rc = nested_text(ctx, f->nested, stored, out, included);
	else if (f->relate && !f->nested)
		rc = related_text(ctx, f, stored, out, included);
	PUT_LIT(out, "}}");
	return rc != XDR_OK ? rc : out->oom ? XDR_ENOMEM : XDR_OK;
}

/* A first guess at the size of a page, so that its text is seldom moved
 * while it grows: a configuration takes about 900 bytes, its interfaces
 * about 600 more in included[]. */
#define RESOURCE_GUESS 1024
#define INCLUDED_GUESS 640

static void reserve(struct text *t, long items, size_t each)
{
	if (items > 0)
		grow(t, (size_t)items * each);
}

int sbx_list_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                  struct json_object *const *items, const struct sbx_page *page)
{
	const struct sbx_query *q = ctx->req->query;
	bool with_included = sbx_query_get(q, "include") != NULL;
	struct text doc = {0}, inc = {0};
	struct json_object *meta = NULL, *links = NULL;
	int rc = XDR_OK;

	if (with_included && f->nested) {
		reserve(&doc, page->count, RESOURCE_GUESS + INCLUDED_GUESS);
		reserve(&inc, page->count, INCLUDED_GUESS);
	} else {
		reserve(&doc, page->count, RESOURCE_GUESS);
	}
	PUT_LIT(&doc, "{\"data\":[");
	for (long i = 0; i < page->count && rc == XDR_OK; i++) {
		if (i > 0)
			PUT_LIT(&doc, ",");
		rc = resource_text(ctx, f, items[i], &doc, &inc);
	}
	PUT_LIT(&doc, "]");
	if (with_included) {
		PUT_LIT(&doc, ",\"included\":[");
		put(&doc, inc.p ? inc.p : "", inc.len);
		PUT_LIT(&doc, "]");
	}
	meta = sbx_page_meta(page);
	links = sbx_page_links(page, ctx->req->base_url, ctx->req->path, q);
	if (!meta || !links)
		rc = XDR_ENOMEM;
	PUT_LIT(&doc, ",\"meta\":");
	put_value(&doc, meta);
	PUT_LIT(&doc, ",\"links\":");
	put_value(&doc, links);
	PUT_LIT(&doc, "}");
	finish(&doc);
	json_object_put(meta);
	json_object_put(links);
	free(inc.p);
	if (rc == XDR_OK && (doc.oom || inc.oom))
		rc = XDR_ENOMEM;
	if (rc == XDR_OK) {
		/* The text becomes the body as it is, not copied. */
		rc = sbx_respond_take(ctx->res, 200, SBX_MEDIA_TYPE, doc.p,
		                      doc.len);
		doc.p = NULL;
	}
	free(doc.p);
	return rc;
}
