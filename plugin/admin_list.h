/*
 * admin_list.h - what the list actions (a paged "mappings", imported.list,
 * outbox.list) share: the members a request may have, a page of it
 * (offset, limit), and values shown as one line.
 */
#ifndef ITG_ADMIN_LIST_H
#define ITG_ADMIN_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* A page: LIMIT rows from OFFSET (0 is the first). */
#define ITG_LIST_LIMIT_DEFAULT 100
#define ITG_LIST_LIMIT_MAX     1000
/* Bytes of a text value a list shows, before its NUL. */
#define ITG_LIST_VALUE_MAX 1024
/* Bytes of a filter's text ("q"). */
#define ITG_LIST_QUERY_MAX 256

struct itg_list_page {
	int64_t offset;
	int64_t limit;
};

/*
 * Refuse a member of REQUEST that is not in ALLOWED (NULL-terminated):
 * XDR_EINVAL with "ACTION takes USAGE" in *response. XDR_OK otherwise.
 */
int itg_list_members(struct json_object *request, const char *const *allowed,
                     const char *action, const char *usage,
                     struct json_object **response);

/*
 * The members "offset" (an integer >= 0, default 0) and "limit" (1 to
 * ITG_LIST_LIMIT_MAX, default ITG_LIST_LIMIT_DEFAULT) of REQUEST into
 * *page. XDR_EINVAL with the error in *response when either is not.
 */
int itg_list_page_read(struct json_object *request, struct itg_list_page *page,
                       struct json_object **response);

/*
 * The optional string member KEY of REQUEST into *out (borrowed; NULL when
 * absent or null): 1 to MAX bytes of UTF-8. XDR_EINVAL with the error in
 * *response when it is something else.
 */
int itg_list_text_member(struct json_object *request, const char *key,
                         size_t max, const char **out,
                         struct json_object **response);

/*
 * Add VALUE under KEY as one line of UTF-8 (itg_text_line_dup, at most
 * ITG_LIST_VALUE_MAX bytes), or null when VALUE is NULL. 0 or -1 (out of
 * memory).
 */
int itg_list_add_line(struct json_object *obj, const char *key,
                      const char *value);

/* Whether NEEDLE (ASCII letters in any case) is in HAYSTACK; NULL never
 * is. The filter "q" of the lists. */
bool itg_list_matches(const char *haystack, const char *needle);

/* {total, offset, limit, items} around ITEMS (taken over), or NULL. */
struct json_object *itg_list_answer(int64_t total,
                                    const struct itg_list_page *page,
                                    struct json_object *items);

#endif /* ITG_ADMIN_LIST_H */
