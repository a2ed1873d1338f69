/*
 * query.h - the query string of an API request: its parameters decoded, the
 * page asked for, sort and include, and the query string links are built from.
 * Pure: no I/O.
 */
#ifndef SBX_QUERY_H
#define SBX_QUERY_H

#include <stdbool.h>
#include <stddef.h>

#define SBX_PAGE_SIZE_DEFAULT 50
#define SBX_PAGE_SIZE_MAX     1000

struct sbx_param {
	char *key;
	char *value;
};

/* Why sbx_query_parse() refused a query string. */
enum sbx_query_problem {
	SBX_QUERY_FINE = 0,
	SBX_QUERY_DUPLICATE, /* a parameter appears twice: 422 */
	SBX_QUERY_BAD_PAGE   /* page[number] or page[size] not >= 1: 400 */
};

struct sbx_query {
	struct sbx_param *params; /* in the order received */
	size_t count;
	long page_number; /* 1 unless given */
	long page_size;   /* SBX_PAGE_SIZE_DEFAULT unless given, capped */
	const char *sort; /* value of sort=, or NULL */
};

/*
 * Parses RAW (the part after '?', without it; NULL or "" for none) into Q.
 * Returns XDR_OK, XDR_EINVAL with *PROBLEM set, or XDR_ENOMEM. Q must be
 * released with sbx_query_free() in every case.
 */
int sbx_query_parse(const char *raw, struct sbx_query *q,
                    enum sbx_query_problem *problem);
void sbx_query_free(struct sbx_query *q);

/* The value of parameter KEY (decoded), or NULL. */
const char *sbx_query_get(const struct sbx_query *q, const char *key);

/* The value of filter[NAME], or NULL. */
const char *sbx_query_filter(const struct sbx_query *q, const char *name);

/* True if NAME is one of the comma-separated values of include=. */
bool sbx_query_includes(const struct sbx_query *q, const char *name);

/*
 * The query string of Q with page[number] and page[size] set to NUMBER and
 * SIZE (replaced where they were, appended otherwise), every key and value
 * percent-encoded. Caller frees. NULL when out of memory.
 */
char *sbx_query_with_page(const struct sbx_query *q, long number, long size);

/*
 * Decodes %XX escapes and '+' (as a space) of the LEN bytes at S into a new
 * string. NULL when out of memory.
 */
char *sbx_percent_decode(const char *s, size_t len);

#endif
