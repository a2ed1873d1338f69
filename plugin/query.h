/*
 * query.h - the query string of an IT Glue request, and the plan of which
 * pages to fetch (pure: no I/O).
 *
 * The client builds every query itself: it never follows links.next, because
 * links.next already holds the filters and adding them again is answered with
 * 422 "Duplicate Parameters Specified". For the same reason a parameter may
 * appear only once in a query.
 */
#ifndef ITG_QUERY_H
#define ITG_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonapi.h"

/* IT Glue's largest page[size]; also the client's default. */
#define ITG_PAGE_SIZE_MAX 1000

/* The most pages one listing may span (a hundred million records at 1000 a
 * page): more is taken for a server gone wrong. */
#define ITG_PAGES_MAX 100000

/* Longest query built, in bytes. */
#define ITG_QUERY_MAX 8192

struct itg_query {
	char text[ITG_QUERY_MAX]; /* "filter[name]=a%2Cb&sort=-name" */
	size_t len;
};

void itg_query_init(struct itg_query *q);

/*
 * Append KEY=VALUE, VALUE percent-encoded (everything but ALPHA, DIGIT and
 * "-._~"). KEY is 1..64 of [a-z0-9_-] optionally followed by one [name]
 * of the same characters ("page[size]"), sent as is. Returns 0, or
 * XDR_EINVAL (bad key, KEY already in the query), XDR_ERANGE (too long);
 * on failure the query is unchanged.
 */
int itg_query_add(struct itg_query *q, const char *key, const char *value);

/*
 * Append filter[FIELD]=V1,V2,... (an OR list). A comma inside a value is sent
 * as "\,", the escape IT Glue reads as a literal comma. N is at least 1 and
 * no value is empty. Same returns as itg_query_add.
 */
int itg_query_filter(struct itg_query *q, const char *field,
                     const char *const *values, size_t n);

/*
 * Percent-encode SRC into DST (DSTSIZE bytes) as itg_query_add does. Returns
 * the length written, or XDR_ERANGE if it does not fit (DST then "").
 */
int itg_url_encode(const char *src, char *dst, size_t dstsize);

/* What to fetch after a page. */
enum itg_plan_mode {
	ITG_PLAN_DONE,      /* nothing more */
	ITG_PLAN_RANGE,     /* pages next..last, known now: fetch together */
	ITG_PLAN_ONE_BY_ONE /* page next; decide again after it */
};

struct itg_page_plan {
	enum itg_plan_mode mode;
	int64_t next; /* the first page still to fetch */
	int64_t last; /* ITG_PLAN_RANGE: the last one */
};

/*
 * Is there a page after page PAGE (its meta, ITEMS resources on it, asked
 * with PAGE_SIZE)? With meta: no when next-page is null or absent, when
 * current-page >= total-pages, or when next-page does not move forward.
 * Without meta: yes only after a full page.
 */
bool itg_page_more(const struct itg_paging *meta, int64_t page, size_t items,
                   uint32_t page_size);

/*
 * Plan the rest of a listing from its first page. Returns 0 and *plan, or
 * XDR_ERANGE when total-pages is over ITG_PAGES_MAX.
 */
int itg_page_plan(const struct itg_paging *meta, size_t items,
                  uint32_t page_size, struct itg_page_plan *plan);

#endif /* ITG_QUERY_H */
