/*
 * query.c - parsing the query string of an API request.
 *
 * The raw query string is parsed here rather than taken from the HTTP
 * library, because IT Glue refuses a repeated parameter (422 "Duplicate
 * Parameters Specified") and that can only be seen before decoding merges
 * the copies.
 */
#include "config.h"

#include "query.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

char *sbx_percent_decode(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%' && i + 2 < len &&
		           (hi = hex_value((unsigned char)s[i + 1])) >= 0 &&
		           (lo = hex_value((unsigned char)s[i + 2])) >= 0) {
			out[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* A page parameter: digits only, at least 1, no overflow. */
static bool parse_page_value(const char *s, long *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 1)
		return false;
	*out = v;
	return true;
}

static int add_param(struct sbx_query *q, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	size_t klen = eq ? (size_t)(eq - s) : len;
	struct sbx_param *grown;
	struct sbx_param p;

	p.key = sbx_percent_decode(s, klen);
	p.value = eq ? sbx_percent_decode(eq + 1, len - klen - 1)
	             : sbx_percent_decode("", 0);
	if (!p.key || !p.value)
		goto nomem;
	grown = realloc(q->params, (q->count + 1) * sizeof(*grown));
	if (!grown)
		goto nomem;
	q->params = grown;
	q->params[q->count++] = p;
	return XDR_OK;
nomem:
	free(p.key);
	free(p.value);
	return XDR_ENOMEM;
}

int sbx_query_parse(const char *raw, struct sbx_query *q,
                    enum sbx_query_problem *problem)
{
	const char *v;

	memset(q, 0, sizeof(*q));
	q->page_number = 1;
	q->page_size = SBX_PAGE_SIZE_DEFAULT;
	*problem = SBX_QUERY_FINE;
	while (raw && *raw) {
		size_t len = strcspn(raw, "&");

		if (len > 0 && add_param(q, raw, len) != XDR_OK)
			return XDR_ENOMEM;
		raw += len;
		if (*raw == '&')
			raw++;
	}
	for (size_t i = 0; i < q->count; i++)
		for (size_t j = i + 1; j < q->count; j++)
			if (!strcmp(q->params[i].key, q->params[j].key)) {
				*problem = SBX_QUERY_DUPLICATE;
				return XDR_EINVAL;
			}
	v = sbx_query_get(q, "page[number]");
	if (v && !parse_page_value(v, &q->page_number)) {
		*problem = SBX_QUERY_BAD_PAGE;
		return XDR_EINVAL;
	}
	v = sbx_query_get(q, "page[size]");
	if (v && !parse_page_value(v, &q->page_size)) {
		*problem = SBX_QUERY_BAD_PAGE;
		return XDR_EINVAL;
	}
	if (q->page_size > SBX_PAGE_SIZE_MAX)
		q->page_size = SBX_PAGE_SIZE_MAX;
	q->sort = sbx_query_get(q, "sort");
	return XDR_OK;
}

void sbx_query_free(struct sbx_query *q)
{
	for (size_t i = 0; i < q->count; i++) {
		free(q->params[i].key);
		free(q->params[i].value);
	}
	free(q->params);
	memset(q, 0, sizeof(*q));
}

const char *sbx_query_get(const struct sbx_query *q, const char *key)
{
	for (size_t i = 0; i < q->count; i++)
		if (!strcmp(q->params[i].key, key))
			return q->params[i].value;
	return NULL;
}

const char *sbx_query_filter(const struct sbx_query *q, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < q->count; i++) {
		const char *k = q->params[i].key;

		if (!strncmp(k, "filter[", 7) && !strncmp(k + 7, name, n) &&
		    !strcmp(k + 7 + n, "]"))
			return q->params[i].value;
	}
	return NULL;
}

bool sbx_query_includes(const struct sbx_query *q, const char *name)
{
	const char *s = sbx_query_get(q, "include");
	size_t n = strlen(name);

	while (s && *s) {
		size_t len = strcspn(s, ",");

		if (len == n && !strncmp(s, name, n))
			return true;
		s += len;
		if (*s == ',')
			s++;
	}
	return false;
}

/* Appends S percent-encoded (RFC 3986 unreserved kept) to OUT at *POS. */
static size_t encode_into(char *out, size_t pos, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' ||
		    c == '~') {
			if (out)
				out[pos] = (char)c;
			pos++;
		} else {
			if (out) {
				out[pos] = '%';
				out[pos + 1] = hex[c >> 4];
				out[pos + 2] = hex[c & 15];
			}
			pos += 3;
		}
	}
	return pos;
}

/* Writes the encoded query into OUT (or only measures it when OUT is NULL). */
static size_t build_with_page(const struct sbx_query *q, const char *number,
                              const char *size, char *out)
{
	bool seen_number = false, seen_size = false;
	size_t pos = 0;

	for (size_t i = 0; i < q->count; i++) {
		const char *k = q->params[i].key;
		const char *v = q->params[i].value;

		if (!strcmp(k, "page[number]")) {
			v = number;
			seen_number = true;
		} else if (!strcmp(k, "page[size]")) {
			v = size;
			seen_size = true;
		}
		if (pos) {
			if (out)
				out[pos] = '&';
			pos++;
		}
		pos = encode_into(out, pos, k);
		if (out)
			out[pos] = '=';
		pos = encode_into(out, pos + 1, v);
	}
	if (!seen_number) {
		if (pos && out)
			out[pos] = '&';
		pos += pos ? 1 : 0;
		pos = encode_into(out, pos, "page[number]");
		if (out)
			out[pos] = '=';
		pos = encode_into(out, pos + 1, number);
	}
	if (!seen_size) {
		if (out)
			out[pos] = '&';
		pos = encode_into(out, pos + 1, "page[size]");
		if (out)
			out[pos] = '=';
		pos = encode_into(out, pos + 1, size);
	}
	return pos;
}

char *sbx_query_with_page(const struct sbx_query *q, long number, long size)
{
	char n[24], s[24];
	size_t len;
	char *out;

	snprintf(n, sizeof(n), "%ld", number);
	snprintf(s, sizeof(s), "%ld", size);
	len = build_with_page(q, n, s, NULL);
	out = malloc(len + 1);
	if (!out)
		return NULL;
	build_with_page(q, n, s, out);
	out[len] = '\0';
	return out;
}
