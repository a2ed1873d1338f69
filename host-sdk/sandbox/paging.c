/*
 * paging.c - page arithmetic, meta and links.
 *
 * An empty result has total-pages 0, as IT Glue answers; a page past the end
 * is empty, with next-page null and prev-page the page before the one asked
 * for. links.next is absent on the last page and carries every parameter of
 * the request, so a client that follows it and adds its filters again gets
 * the 422 for duplicate parameters, as with IT Glue.
 */
#include "config.h"

#include "paging.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sbx_page_compute(long total, long number, long size, struct sbx_page *p)
{
	memset(p, 0, sizeof(*p));
	p->number = number;
	p->size = size;
	p->total_count = total;
	p->total_pages = total / size + (total % size ? 1 : 0);
	p->last = p->total_pages ? p->total_pages : 1;
	p->prev = number > 1 ? number - 1 : 0;
	if (number <= p->total_pages) {
		p->first = (number - 1) * size;
		p->count = total - p->first < size ? total - p->first : size;
		p->next = number < p->total_pages ? number + 1 : 0;
	} else {
		p->first = total;
	}
}

static struct json_object *page_or_null(long n)
{
	return n > 0 ? json_object_new_int64(n) : NULL;
}

struct json_object *sbx_page_meta(const struct sbx_page *p)
{
	struct json_object *meta = json_object_new_object();
	struct json_object *filters = json_object_new_object();

	if (!meta || !filters) {
		json_object_put(meta);
		json_object_put(filters);
		return NULL;
	}
	json_object_object_add(meta, "current-page",
	                       json_object_new_int64(p->number));
	json_object_object_add(meta, "next-page", page_or_null(p->next));
	json_object_object_add(meta, "prev-page", page_or_null(p->prev));
	json_object_object_add(meta, "total-pages",
	                       json_object_new_int64(p->total_pages));
	json_object_object_add(meta, "total-count",
	                       json_object_new_int64(p->total_count));
	json_object_object_add(meta, "filters", filters);
	return meta;
}

static int add_link(struct json_object *links, const char *name,
                    const char *base_url, const char *path,
                    const struct sbx_query *q, long number, long size)
{
	char *query = sbx_query_with_page(q, number, size);
	size_t len;
	char *url;

	if (!query)
		return -1;
	len = strlen(base_url) + strlen(path) + strlen(query) + 2;
	url = malloc(len);
	if (!url) {
		free(query);
		return -1;
	}
	snprintf(url, len, "%s%s?%s", base_url, path, query);
	json_object_object_add(links, name, json_object_new_string(url));
	free(url);
	free(query);
	return 0;
}

struct json_object *sbx_page_links(const struct sbx_page *p,
                                   const char *base_url, const char *path,
                                   const struct sbx_query *q)
{
	struct json_object *links = json_object_new_object();

	if (!links)
		return NULL;
	if (add_link(links, "self", base_url, path, q, p->number, p->size) ||
	    (p->next &&
	     add_link(links, "next", base_url, path, q, p->next, p->size)) ||
	    add_link(links, "last", base_url, path, q, p->last, p->size)) {
		json_object_put(links);
		return NULL;
	}
	return links;
}
