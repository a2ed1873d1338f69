/*
 * query.c - the query string of an IT Glue request, and the plan of which
 * pages to fetch (pure: no I/O).
 */
#include <config.h>

#include "query.h"

#include <string.h>

#include <xdr/plugin.h>

#define KEY_PART_MAX 64

void itg_query_init(struct itg_query *q)
{
	q->text[0] = '\0';
	q->len = 0;
}

static bool unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

int itg_url_encode(const char *src, char *dst, size_t dstsize)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	unsigned char c;

	if (dstsize == 0)
		return XDR_ERANGE;
	for (; *src != '\0'; src++) {
		c = (unsigned char)*src;
		if (unreserved(c)) {
			if (n + 1 >= dstsize)
				goto too_long;
			dst[n++] = (char)c;
		} else {
			if (n + 3 >= dstsize)
				goto too_long;
			dst[n++] = '%';
			dst[n++] = hex[c >> 4];
			dst[n++] = hex[c & 0x0f];
		}
	}
	dst[n] = '\0';
	return (int)n;
too_long:
	dst[0] = '\0';
	return XDR_ERANGE;
}

/* 1..KEY_PART_MAX of [a-z0-9_-]; returns its length, 0 if none. */
static size_t key_part(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') ||
	       s[n] == '_' || s[n] == '-')
		n++;
	return n <= KEY_PART_MAX ? n : 0;
}

static bool valid_key(const char *key)
{
	size_t n = key_part(key), m;

	if (n == 0)
		return false;
	if (key[n] == '\0')
		return true;
	if (key[n] != '[')
		return false;
	m = key_part(key + n + 1);
	return m > 0 && key[n + 1 + m] == ']' && key[n + 2 + m] == '\0';
}

static bool has_key(const struct itg_query *q, const char *key)
{
	size_t klen = strlen(key);
	const char *p = q->text;

	while (*p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return true;
		p = strchr(p, '&');
		if (p == NULL)
			break;
		p++;
	}
	return false;
}

int itg_query_add(struct itg_query *q, const char *key, const char *value)
{
	char enc[ITG_QUERY_MAX];
	size_t klen, need;
	int elen;

	if (key == NULL || value == NULL || !valid_key(key) || has_key(q, key))
		return XDR_EINVAL;
	elen = itg_url_encode(value, enc, sizeof(enc));
	if (elen < 0)
		return XDR_ERANGE;
	klen = strlen(key);
	need = (q->len > 0 ? 1 : 0) + klen + 1 + (size_t)elen;
	if (q->len + need >= sizeof(q->text))
		return XDR_ERANGE;
	if (q->len > 0)
		q->text[q->len++] = '&';
	memcpy(q->text + q->len, key, klen);
	q->len += klen;
	q->text[q->len++] = '=';
	memcpy(q->text + q->len, enc, (size_t)elen + 1);
	q->len += (size_t)elen;
	return 0;
}

int itg_query_filter(struct itg_query *q, const char *field,
                     const char *const *values, size_t n)
{
	char key[KEY_PART_MAX + 16], list[ITG_QUERY_MAX];
	size_t len = 0, i;
	const char *v;

	if (field == NULL || values == NULL || n == 0 || key_part(field) == 0 ||
	    field[key_part(field)] != '\0')
		return XDR_EINVAL;
	for (i = 0; i < n; i++) {
		v = values[i];
		if (v == NULL || v[0] == '\0')
			return XDR_EINVAL;
		if (i > 0) {
			if (len + 1 >= sizeof(list))
				return XDR_ERANGE;
			list[len++] = ',';
		}
		for (; *v != '\0'; v++) {
			if (len + 2 >= sizeof(list))
				return XDR_ERANGE;
			if (*v == ',')
				list[len++] = '\\';
			list[len++] = *v;
		}
	}
	list[len] = '\0';
	strcpy(key, "filter[");
	strcat(key, field);
	strcat(key, "]");
	return itg_query_add(q, key, list);
}

bool itg_page_more(const struct itg_paging *meta, int64_t page, size_t items,
                   uint32_t page_size)
{
	int64_t current;

	if (meta == NULL || !meta->present)
		return items > 0 && items >= page_size;
	current = meta->current_page != ITG_PAGE_UNKNOWN ? meta->current_page
	                                                 : page;
	if (meta->next_page == ITG_PAGE_UNKNOWN || meta->next_page <= current)
		return false;
	if (meta->total_pages != ITG_PAGE_UNKNOWN &&
	    current >= meta->total_pages)
		return false;
	return true;
}

int itg_page_plan(const struct itg_paging *meta, size_t items,
                  uint32_t page_size, struct itg_page_plan *plan)
{
	plan->mode = ITG_PLAN_DONE;
	plan->next = 2;
	plan->last = 1;
	if (!itg_page_more(meta, 1, items, page_size))
		return 0;
	if (meta != NULL && meta->present &&
	    meta->total_pages != ITG_PAGE_UNKNOWN) {
		if (meta->total_pages > ITG_PAGES_MAX)
			return XDR_ERANGE;
		plan->mode = ITG_PLAN_RANGE;
		plan->last = meta->total_pages;
		return 0;
	}
	plan->mode = ITG_PLAN_ONE_BY_ONE;
	plan->last = 0;
	return 0;
}
