/*
 * jsonapi.h - reading IT Glue's JSON:API documents (pure: no I/O).
 *
 * IT Glue's bodies are JSON:API with quirks, all handled here: ids are strings
 * or numbers, some resources (configuration interfaces) carry their id only
 * in attributes, `included` sits at the top level or inside `data`, `meta`
 * and `links` may be missing or hold nulls and empty strings, and a body may
 * be a JSON string that holds the document (double-encoded).
 */
#ifndef ITG_JSONAPI_H
#define ITG_JSONAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct json_object;

/* Deepest nesting accepted; IT Glue's documents need about 8. */
#define ITG_JSONAPI_MAX_DEPTH 32

/* Longest resource id kept, including the NUL. */
#define ITG_JSONAPI_ID_MAX 64

/* A member of meta that is absent or null. */
#define ITG_PAGE_UNKNOWN (-1)

/* One resource object of `data` or `included`. Pointers borrow from the
 * document and live as long as it does. */
struct itg_resource {
	char id[ITG_JSONAPI_ID_MAX];       /* "455"; a numeric id normalised */
	const char *type;                  /* "configurations" */
	struct json_object *attributes;    /* an object, or NULL */
	struct json_object *relationships; /* an object, or NULL */
	struct json_object *object;        /* the whole resource object */
};

/* meta's paging members; each is ITG_PAGE_UNKNOWN when absent or null. */
struct itg_paging {
	bool present; /* the document has a meta object */
	int64_t current_page;
	int64_t next_page;
	int64_t prev_page;
	int64_t total_pages;
	int64_t total_count;
};

/* One entry of a document's index of its included resources. */
struct itg_included_key {
	const char *type, *id;
	size_t pos; /* in included */
};

struct itg_doc {
	struct json_object *root;  /* owned: the parsed document */
	bool data_is_array;        /* data was [...] rather than {...} */
	struct itg_resource *data; /* n_data resources */
	size_t n_data;
	struct itg_resource *included; /* top-level and nested, in order */
	size_t n_included;
	struct itg_included_key *included_index; /* included by type, id and
	                                            position: searched */
	struct itg_paging paging;
	const char *links_next; /* links.next, NULL when absent or "" */
};

/*
 * Parse LEN bytes of TEXT (no NUL needed) as a JSON:API document with data.
 * Strict JSON, UTF-8 checked, depth at most ITG_JSONAPI_MAX_DEPTH, nothing but
 * whitespace after the value, at most MAX_SIZE bytes (0: no limit). A
 * document that is a JSON string is decoded once more. `data` may be an
 * object, an array or null; each resource needs a type and an id (the
 * top-level one, or else attributes.id).
 *
 * Returns 0 with *out set (free with itg_doc_free), or XDR_EINVAL (not such a
 * document), XDR_ERANGE (over MAX_SIZE), XDR_ENOMEM, with *out NULL and a
 * one-line reason in err.
 */
int itg_jsonapi_parse(const char *text, size_t len, size_t max_size,
                      struct itg_doc **out, char *err, size_t errsize);

/*
 * As itg_jsonapi_parse, with only the attributes named in KEEP (a
 * NULL-terminated list; NULL: all) read from every resource: the others
 * are skipped unread (json_prune.h), which makes a large page several times
 * cheaper. The document is checked as strictly either way.
 */
int itg_jsonapi_parse_kept(const char *text, size_t len, size_t max_size,
                           const char *const *keep, struct itg_doc **out,
                           char *err, size_t errsize);

void itg_doc_free(struct itg_doc *doc);

/* The included resource of that type and id, or NULL. */
const struct itg_resource *itg_doc_included(const struct itg_doc *doc,
                                            const char *type, const char *id);

/*
 * Readers of one member of an object (attributes, an e-mail entry, ...).
 * OBJ may be NULL; a member that is absent reads like null.
 */

/* The string, or NULL when absent, null or not a string. */
const char *itg_json_str(struct json_object *obj, const char *key);

/* 0 and *out for an integer or a string of decimal digits (optional
 * leading '-'); XDR_ENOTFOUND when absent or null; XDR_EINVAL otherwise
 * (*out untouched). */
int itg_json_int64(struct json_object *obj, const char *key, int64_t *out);

/* A boolean that may be null, like a contact's `important`. */
enum itg_tristate {
	ITG_TRI_NULL = 0, /* absent or null */
	ITG_TRI_FALSE,
	ITG_TRI_TRUE
};

/* 0 and *out; XDR_EINVAL when the member is neither boolean nor null. */
int itg_json_bool(struct json_object *obj, const char *key,
                  enum itg_tristate *out);

/* The array, or NULL when absent, null or not an array. */
struct json_object *itg_json_array(struct json_object *obj, const char *key);

/*
 * Parse a whole value from TEXT (LEN bytes) under the same rules as
 * itg_jsonapi_parse (strict, UTF-8, depth limit, nothing after it) without
 * any JSON:API check. Returns the value (json_object_put it) or NULL with a
 * reason in err. Shared with the error reader.
 */
struct json_object *itg_json_parse_strict(const char *text, size_t len,
                                          char *err, size_t errsize);

#endif /* ITG_JSONAPI_H */
