/*
 * paging.h - which slice of a result a page is, and its meta and links as
 * IT Glue writes them. Pure.
 */
#ifndef SBX_PAGING_H
#define SBX_PAGING_H

#include <json-c/json.h>

#include "query.h"

struct sbx_page {
	long number;      /* as asked for, from 1 */
	long size;        /* items per page */
	long total_count; /* items in the whole result */
	long total_pages; /* 0 for an empty result */
	long first;       /* index of the page's first item */
	long count;       /* items on this page; 0 past the end */
	long next;        /* next page number, 0 on the last page or past it */
	long prev;        /* previous page number, 0 on page 1 */
	long last;        /* page number links.last points to, at least 1 */
};

/* NUMBER and SIZE must be >= 1; TOTAL >= 0. */
void sbx_page_compute(long total, long number, long size, struct sbx_page *p);

/*
 * meta: current-page, next-page, prev-page (null when none), total-pages,
 * total-count, filters {}. NULL when out of memory.
 */
struct json_object *sbx_page_meta(const struct sbx_page *p);

/*
 * links: self, next (only when there is a next page), last; each
 * BASE_URL + PATH + "?" + the query of Q with the page replaced. NULL when
 * out of memory.
 */
struct json_object *sbx_page_links(const struct sbx_page *p,
                                   const char *base_url, const char *path,
                                   const struct sbx_query *q);

#endif
