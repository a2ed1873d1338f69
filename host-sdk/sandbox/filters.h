/*
 * filters.h - filter[...] parameters: comma lists with the "\," escape, the
 * filters each resource family knows, and how a value matches. Pure.
 */
#ifndef SBX_FILTERS_H
#define SBX_FILTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "query.h"

/* How a filter compares a stored attribute with one item of its list. */
enum sbx_match {
	SBX_MATCH_ID,            /* integer attribute, decimal text */
	SBX_MATCH_NAME,          /* string, ASCII case-insensitive */
	SBX_MATCH_EXACT,         /* string, byte for byte */
	SBX_MATCH_BOOL,          /* "true"/"false" against true/false only */
	SBX_MATCH_PRIMARY_EMAIL, /* the primary entry of contact-emails */
};

struct sbx_filter_rule {
	const char *name; /* as in filter[name], snake_case */
	enum sbx_match match;
};

/* One filter of a request, its list split. */
struct sbx_filter {
	const struct sbx_filter_rule *rule;
	char attribute[64]; /* kebab-case attribute the rule reads */
	char **items;
	size_t count;
	/* An id filter's items that are integers written as the sandbox writes
	 * them (what an integer attribute can match), sorted. */
	int64_t *ids;
	size_t n_ids;
	/* The same as a bitmap of BITS_SPAN bits from BITS_MIN when they are
	 * many and close together (organization ids): a test per record
	 * instead of a binary search. NULL: search IDS. */
	uint64_t *bits;
	int64_t bits_min;
	uint64_t bits_span;
	/* The attribute of every record of the collection, by position
	 * (INT64_MIN where it is no integer), when the caller has it; NULL:
	 * read from each record. */
	const int64_t *column;
};

struct sbx_filter_set {
	struct sbx_filter *filters;
	size_t count;
};

/*
 * Splits a filter value on commas; "\," is a literal comma, any other
 * backslash is kept. An empty value is one empty item. Returns XDR_OK or
 * XDR_ENOMEM; free with sbx_filter_items_free().
 */
int sbx_filter_split(const char *value, char ***items, size_t *count);
void sbx_filter_items_free(char **items, size_t count);

/* organization_id -> organization-id. False when OUT is too small. */
bool sbx_filter_attribute(const char *name, char *out, size_t size);

/* True if VALUE (NULL when absent) matches ITEM under MATCH. */
bool sbx_filter_value_matches(enum sbx_match match, struct json_object *value,
                              const char *item);

/*
 * Collects the filters of Q that RULES (terminated by a NULL name) know;
 * every other filter[...] is ignored, as IT Glue does. Returns XDR_OK or
 * XDR_ENOMEM; free with sbx_filter_set_free() in both cases.
 */
int sbx_filter_set_build(const struct sbx_query *q,
                         const struct sbx_filter_rule *rules,
                         struct sbx_filter_set *set);
void sbx_filter_set_free(struct sbx_filter_set *set);

/* True if RESOURCE (a stored object) passes every filter of SET. */
bool sbx_filter_set_matches(const struct sbx_filter_set *set,
                            struct json_object *resource);
/* The same for the record at position ROW of its collection, reading the
 * filters' columns where they have one. */
bool sbx_filter_set_matches_row(const struct sbx_filter_set *set,
                                struct json_object *resource, size_t row);

#endif
