/*
 * api_call.h - what the route handlers share: a plugin request built from
 * the members of a body the action knows, each checked for its type; query
 * values read; a page's envelope cut from a small list; the itglue plugin
 * called and its answer replied.
 */
#ifndef XCON_API_CALL_H
#define XCON_API_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"

struct json_object;

/* The types a member may have. */
enum xcon_type {
	XCON_STRING,
	XCON_INT,      /* a JSON integer */
	XCON_BOOL,     /* true or false */
	XCON_ID,       /* a positive integer, or a string (a name or id) */
	XCON_IDS,      /* an array of XCON_ID */
	XCON_NULLABLE, /* a string or null */
	XCON_SCALAR,   /* a string, integer, boolean or null */
	XCON_STRINGS,  /* a string, an array of strings, or null */
	XCON_ID_LIST,  /* an XCON_ID or an array of them */
	XCON_OBJECT,   /* an object, its members checked by the caller */
	XCON_SKIP      /* known, but checked and copied by the caller */
};

/* One member the action knows. */
struct xcon_member {
	const char *name;
	enum xcon_type type;
};

/*
 * Copy into req each member of body that members[0..n) names, when its
 * value has the member's type (XCON_SKIP members are left to the caller);
 * a member body holds and that is not listed is refused too. false with a 400
 * bad_request naming the member otherwise.
 */
bool xcon_copy_members(struct json_object *req, struct json_object *body,
                       const struct xcon_member *members, size_t n,
                       const char *what, struct xcon_reply *reply);

/* Does v have type t? */
bool xcon_type_ok(struct json_object *v, enum xcon_type t);

/* s as a plugin names an instance, group or system: a positive integer
 * when s is one, else the string. NULL when out of memory. */
struct json_object *xcon_id_value(const char *s);

/* Add value under key; false (value released) when out of memory, with a
 * 500 reply. */
bool xcon_add(struct json_object *obj, const char *key,
              struct json_object *value, struct xcon_reply *reply);

/* The query's offset and limit into req; false with a 400 reply. */
bool xcon_query_page(const struct xcon_request *req, struct json_object *obj,
                     int64_t *offset, int64_t *limit, struct xcon_reply *reply);

/* The query value key (NULL if absent) when it is at most max bytes; false
 * with a 400 reply naming it otherwise. */
bool xcon_query_text(const struct xcon_request *req, const char *key,
                     size_t max, const char **out, struct xcon_reply *reply);

/* The query value key as an integer in min..max (*out unchanged when
 * absent); false with a 400 reply naming it otherwise. */
bool xcon_query_int(const struct xcon_request *req, const char *key,
                    int64_t min, int64_t max, int64_t *out,
                    struct xcon_reply *reply);

/* Does name hold q, ASCII letters in any case (q NULL or "": yes)? */
bool xcon_name_matches(const char *name, const char *q);

/*
 * A page of a small list cut in memory: the items of items[0..n) (each
 * size bytes) whose name (name_of) holds q, from offset, at most limit of
 * them, copied (shallow) into *out (malloc'd); *total counts every match.
 * false when out of memory.
 */
bool xcon_slice(const void *items, size_t n, size_t size,
                const char *(*name_of)(const void *), const char *q,
                int64_t offset, int64_t limit, void **out, size_t *n_out,
                int64_t *total);

/* The query's offset, limit and q for a list cut in memory; false with a
 * 400 reply. */
bool xcon_small_page(const struct xcon_request *req, int64_t *offset,
                     int64_t *limit, const char **q, struct xcon_reply *reply);

/* names[0..n) as a page, cut by the query's offset, limit and q. */
void xcon_reply_names(const struct xcon_request *req, char **names, size_t n,
                      struct xcon_reply *reply);

/* Call ACTION of the itglue plugin with req (released; NULL: no request)
 * and reply with its answer, passed through. */
void xcon_call_itglue(struct xcon *c, struct xcon_reply *reply,
                      const char *action, struct json_object *req);

/* As xcon_call_itglue(), but the answer is given to the caller: true with
 * the plugin's status in *status and its answer (malloc'd, may be NULL) in
 * *answer; false, with the reply set, when the plugin is not loaded or req
 * cannot be rendered. */
bool xcon_ask_itglue(struct xcon *c, struct xcon_reply *reply,
                     const char *action, struct json_object *req, int *status,
                     char **answer);

#endif
