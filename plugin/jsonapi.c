/*
 * jsonapi.c - reading IT Glue's JSON:API documents (pure: no I/O).
 */
#include <config.h>

#include "jsonapi.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <xdr/plugin.h>

#include "errbuf.h"
#include "json_prune.h"
#include "text.h"

struct json_object *itg_json_parse_strict(const char *text, size_t len,
                                          char *err, size_t errsize)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	if (text == NULL) {
		itg_errf(err, errsize, "no text to parse");
		return NULL;
	}
	if (len > INT_MAX - 1) {
		itg_errf(err, errsize, "the text is too long to parse");
		return NULL;
	}
	tok = json_tokener_new_ex(ITG_JSONAPI_MAX_DEPTH);
	if (tok == NULL) {
		itg_errf(err, errsize, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                    JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		/* A NUL ends the input, so that a bare number completes and a
		 * cut document says so. */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	if (jerr != json_tokener_success) {
		itg_errf(err, errsize, "not valid JSON: %s (at byte %zu)",
		         json_tokener_error_desc(jerr), end < len ? end : len);
		json_object_put(obj);
		obj = NULL;
	} else if (end < len) {
		/* A NUL inside the body stops json-c early. */
		itg_errf(err, errsize,
		         "not valid JSON: unexpected bytes after the value "
		         "(at byte %zu)",
		         end);
		json_object_put(obj);
		obj = NULL;
	} else if (obj == NULL) {
		itg_errf(err, errsize, "the value is null");
	}
	json_tokener_free(tok);
	return obj;
}

/* A JSON string holding JSON is decoded once; anything else is kept. */
static struct json_object *decode_once(struct json_object *root, char *err,
                                       size_t errsize)
{
	struct json_object *inner;
	char why[160];

	if (!json_object_is_type(root, json_type_string))
		return root;
	inner = itg_json_parse_strict(json_object_get_string(root),
	                              (size_t)json_object_get_string_len(root),
	                              why, sizeof(why));
	json_object_put(root);
	if (inner == NULL)
		itg_errf(err, errsize, "the document is a string holding %s",
		         why);
	return inner;
}

/* An integer, an integral double or a string of decimal digits. */
static int value_int64(struct json_object *v, int64_t *out)
{
	const char *s, *p;
	char *end;
	long long n;
	double d;

	switch (json_object_get_type(v)) {
	case json_type_int:
		/* json-c clamps what does not fit in int64 to INT64_MAX. */
		if (json_object_get_int64(v) == INT64_MAX &&
		    json_object_get_uint64(v) > (uint64_t)INT64_MAX)
			return XDR_EINVAL;
		*out = json_object_get_int64(v);
		return 0;
	case json_type_double:
		d = json_object_get_double(v);
		if (!isfinite(d) || d != floor(d) || d < -9.0e18 || d > 9.0e18)
			return XDR_EINVAL;
		*out = (int64_t)d;
		return 0;
	case json_type_string:
		s = json_object_get_string(v);
		p = s[0] == '-' ? s + 1 : s;
		if (*p < '0' || *p > '9')
			return XDR_EINVAL;
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno != 0 || *end != '\0')
			return XDR_EINVAL;
		*out = n;
		return 0;
	default:
		return XDR_EINVAL;
	}
}

int itg_json_int64(struct json_object *obj, const char *key, int64_t *out)
{
	struct json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL)
		return XDR_ENOTFOUND;
	return value_int64(v, out);
}

const char *itg_json_str(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

int itg_json_bool(struct json_object *obj, const char *key,
                  enum itg_tristate *out)
{
	struct json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    v == NULL) {
		*out = ITG_TRI_NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_boolean))
		return XDR_EINVAL;
	*out = json_object_get_boolean(v) ? ITG_TRI_TRUE : ITG_TRI_FALSE;
	return 0;
}

struct json_object *itg_json_array(struct json_object *obj, const char *key)
{
	struct json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* An optional member that must be an object (or null) when present. */
static int optional_object(struct json_object *obj, const char *key,
                           struct json_object **out)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return XDR_EINVAL;
	*out = v;
	return 0;
}

/* An id member (string or integer) into a normalised string. */
static int id_to_string(struct json_object *v, char *id, size_t idsize)
{
	int64_t n;

	if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		size_t len = (size_t)json_object_get_string_len(v);

		if (len == 0 || len >= idsize || strlen(s) != len)
			return XDR_EINVAL;
		memcpy(id, s, len + 1);
		return 0;
	}
	if (value_int64(v, &n) != 0)
		return XDR_EINVAL;
	snprintf(id, idsize, "%" PRId64, n);
	return 0;
}

/* A server's type as a reason quotes it: one line, bounded. */
static const char *shown(const char *type, char *buf, size_t size)
{
	itg_text_line(buf, size, type);
	return buf;
}

static int read_resource(struct json_object *obj, struct itg_resource *r,
                         const char *where, size_t index, char *err,
                         size_t errsize)
{
	struct json_object *type, *id;
	char type_text[64];

	memset(r, 0, sizeof(*r));
	r->object = obj;
	if (!json_object_is_type(obj, json_type_object)) {
		itg_errf(err, errsize, "%s[%zu] is not an object", where,
		         index);
		return XDR_EINVAL;
	}
	/* A NUL inside would make the type read as another, shorter one. */
	if (!json_object_object_get_ex(obj, "type", &type) ||
	    !json_object_is_type(type, json_type_string) ||
	    json_object_get_string_len(type) == 0 ||
	    strlen(json_object_get_string(type)) !=
	            (size_t)json_object_get_string_len(type)) {
		itg_errf(err, errsize, "%s[%zu] has no type", where, index);
		return XDR_EINVAL;
	}
	r->type = json_object_get_string(type);
	if (optional_object(obj, "attributes", &r->attributes) != 0 ||
	    optional_object(obj, "relationships", &r->relationships) != 0) {
		itg_errf(err, errsize,
		         "%s[%zu]: attributes or relationships is not an "
		         "object",
		         where, index);
		return XDR_EINVAL;
	}
	/* Configuration interfaces are documented with the id only inside
	 * attributes. */
	if ((!json_object_object_get_ex(obj, "id", &id) || id == NULL) &&
	    (r->attributes == NULL ||
	     !json_object_object_get_ex(r->attributes, "id", &id) ||
	     id == NULL)) {
		itg_errf(err, errsize, "%s[%zu] (%s) has no id", where, index,
		         shown(r->type, type_text, sizeof(type_text)));
		return XDR_EINVAL;
	}
	if (id_to_string(id, r->id, sizeof(r->id)) != 0) {
		itg_errf(err, errsize,
		         "%s[%zu] (%s) has an id that is neither a string of "
		         "1 to %d bytes nor an integer",
		         where, index,
		         shown(r->type, type_text, sizeof(type_text)),
		         ITG_JSONAPI_ID_MAX - 1);
		return XDR_EINVAL;
	}
	return 0;
}

/* Append the resources of ARRAY (NULL: none) to *list. */
static int read_resources(struct json_object *array, const char *where,
                          struct itg_resource **list, size_t *n, char *err,
                          size_t errsize)
{
	size_t count, i;
	struct itg_resource *grown;
	int rc;

	if (array == NULL)
		return 0;
	count = json_object_array_length(array);
	if (count == 0)
		return 0;
	grown = realloc(*list, (*n + count) * sizeof(**list));
	if (grown == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	*list = grown;
	for (i = 0; i < count; i++) {
		rc = read_resource(json_object_array_get_idx(array, i),
		                   &grown[*n], where, i, err, errsize);
		if (rc != 0)
			return rc;
		(*n)++;
	}
	return 0;
}

static int read_data(struct itg_doc *doc, char *err, size_t errsize)
{
	struct json_object *data;
	struct json_object *nested;
	size_t i;
	int rc;

	if (!json_object_object_get_ex(doc->root, "data", &data)) {
		itg_errf(err, errsize, "the document has no data");
		return XDR_EINVAL;
	}
	if (data == NULL)
		return 0;
	if (json_object_is_type(data, json_type_object)) {
		doc->data = calloc(1, sizeof(*doc->data));
		if (doc->data == NULL) {
			itg_errf(err, errsize, "out of memory");
			return XDR_ENOMEM;
		}
		rc = read_resource(data, doc->data, "data", 0, err, errsize);
		if (rc != 0)
			return rc;
		doc->n_data = 1;
	} else if (json_object_is_type(data, json_type_array)) {
		doc->data_is_array = true;
		rc = read_resources(data, "data", &doc->data, &doc->n_data, err,
		                    errsize);
		if (rc != 0)
			return rc;
	} else {
		itg_errf(err, errsize,
		         "data is neither an object, an array nor null");
		return XDR_EINVAL;
	}
	rc = read_resources(itg_json_array(doc->root, "included"), "included",
	                    &doc->included, &doc->n_included, err, errsize);
	/* Some documented answers put included inside the resource. */
	for (i = 0; rc == 0 && i < doc->n_data; i++) {
		nested = itg_json_array(doc->data[i].object, "included");
		rc = read_resources(nested, "data.included", &doc->included,
		                    &doc->n_included, err, errsize);
	}
	return rc;
}

static int read_page_member(struct json_object *meta, const char *key,
                            int64_t *out, char *err, size_t errsize)
{
	int rc = itg_json_int64(meta, key, out);

	if (rc == XDR_ENOTFOUND) {
		*out = ITG_PAGE_UNKNOWN;
		return 0;
	}
	if (rc != 0 || *out < 0) {
		itg_errf(err, errsize, "meta.%s is not a page number", key);
		return XDR_EINVAL;
	}
	return 0;
}

static int read_meta_links(struct itg_doc *doc, char *err, size_t errsize)
{
	struct json_object *meta, *links;
	struct itg_paging *pg = &doc->paging;
	const char *next;
	int rc;

	if (optional_object(doc->root, "meta", &meta) != 0 ||
	    optional_object(doc->root, "links", &links) != 0) {
		itg_errf(err, errsize, "meta or links is not an object");
		return XDR_EINVAL;
	}
	pg->present = meta != NULL;
	rc = read_page_member(meta, "current-page", &pg->current_page, err,
	                      errsize);
	if (rc == 0)
		rc = read_page_member(meta, "next-page", &pg->next_page, err,
		                      errsize);
	if (rc == 0)
		rc = read_page_member(meta, "prev-page", &pg->prev_page, err,
		                      errsize);
	if (rc == 0)
		rc = read_page_member(meta, "total-pages", &pg->total_pages,
		                      err, errsize);
	if (rc == 0)
		rc = read_page_member(meta, "total-count", &pg->total_count,
		                      err, errsize);
	next = itg_json_str(links, "next");
	doc->links_next = next != NULL && next[0] != '\0' ? next : NULL;
	return rc;
}

static int key_cmp(const struct itg_included_key *x, const char *type,
                   const char *id)
{
	int c = strcmp(x->type, type);

	return c != 0 ? c : strcmp(x->id, id);
}

static int by_key(const void *a, const void *b)
{
	const struct itg_included_key *x = a, *y = b;
	int c = key_cmp(x, y->type, y->id);

	return c != 0 ? c : x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* Included resources by type, id, then position, for a binary search: a
 * page of configurations holds thousands of interfaces. */
static int index_included(struct itg_doc *doc, char *err, size_t errsize)
{
	size_t n = doc->n_included;
	struct itg_included_key *v;

	if (n < 2)
		return 0;
	v = malloc(n * sizeof(*v));
	if (v == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		v[i].type = doc->included[i].type;
		v[i].id = doc->included[i].id;
		v[i].pos = i;
	}
	qsort(v, n, sizeof(*v), by_key);
	doc->included_index = v;
	return 0;
}

/* TEXT parsed, without the attributes that KEEP does not name. The
 * pruner checks the text as strictly as json-c does; whatever it refuses is
 * parsed whole, so that json-c says what is wrong (or reads what the pruner
 * is stricter about, such as nesting right at the limit). */
static struct json_object *parse_kept(const char *text, size_t len,
                                      const char *const *keep, int *rc,
                                      char *err, size_t errsize)
{
	struct json_object *root;
	char *pruned = NULL;
	size_t pruned_len = 0;

	*rc = XDR_EINVAL;
	if (keep != NULL) {
		int prc = itg_json_prune(text, len, keep,
		                         ITG_JSONAPI_MAX_DEPTH - 1, &pruned,
		                         &pruned_len);

		if (prc == XDR_ENOMEM) {
			itg_errf(err, errsize, "out of memory");
			*rc = XDR_ENOMEM;
			return NULL;
		}
		if (prc == 0) {
			root = itg_json_parse_strict(pruned, pruned_len, err,
			                             errsize);
			free(pruned);
			return root;
		}
	}
	return itg_json_parse_strict(text, len, err, errsize);
}

int itg_jsonapi_parse(const char *text, size_t len, size_t max_size,
                      struct itg_doc **out, char *err, size_t errsize)
{
	return itg_jsonapi_parse_kept(text, len, max_size, NULL, out, err,
	                              errsize);
}

int itg_jsonapi_parse_kept(const char *text, size_t len, size_t max_size,
                           const char *const *keep, struct itg_doc **out,
                           char *err, size_t errsize)
{
	struct itg_doc *doc;
	struct json_object *root;
	int rc;

	*out = NULL;
	if (max_size != 0 && len > max_size) {
		itg_errf(err, errsize,
		         "the document is %zu bytes long; at most %zu are "
		         "accepted",
		         len, max_size);
		return XDR_ERANGE;
	}
	root = parse_kept(text, len, keep, &rc, err, errsize);
	if (root == NULL)
		return rc;
	root = decode_once(root, err, errsize);
	if (root == NULL)
		return XDR_EINVAL;
	if (!json_object_is_type(root, json_type_object)) {
		itg_errf(err, errsize, "the document is not a JSON object");
		json_object_put(root);
		return XDR_EINVAL;
	}
	doc = calloc(1, sizeof(*doc));
	if (doc == NULL) {
		itg_errf(err, errsize, "out of memory");
		json_object_put(root);
		return XDR_ENOMEM;
	}
	doc->root = root;
	rc = read_data(doc, err, errsize);
	if (rc == 0)
		rc = read_meta_links(doc, err, errsize);
	if (rc == 0)
		rc = index_included(doc, err, errsize);
	if (rc != 0) {
		itg_doc_free(doc);
		return rc;
	}
	*out = doc;
	return 0;
}

void itg_doc_free(struct itg_doc *doc)
{
	if (doc == NULL)
		return;
	json_object_put(doc->root);
	free(doc->data);
	free(doc->included);
	free(doc->included_index);
	free(doc);
}

const struct itg_resource *itg_doc_included(const struct itg_doc *doc,
                                            const char *type, const char *id)
{
	size_t i;

	if (doc == NULL || type == NULL || id == NULL)
		return NULL;
	if (doc->included_index == NULL) {
		for (i = 0; i < doc->n_included; i++)
			if (strcmp(doc->included[i].type, type) == 0 &&
			    strcmp(doc->included[i].id, id) == 0)
				return &doc->included[i];
		return NULL;
	}
	/* The first of the equal ones in the index is the first in order. */
	size_t lo = 0, hi = doc->n_included;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (key_cmp(&doc->included_index[mid], type, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < doc->n_included &&
	    key_cmp(&doc->included_index[lo], type, id) == 0)
		return &doc->included[doc->included_index[lo].pos];
	return NULL;
}
