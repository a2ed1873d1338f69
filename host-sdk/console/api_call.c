/*
 * api_call.c - what the route handlers share: typed members copied into a
 * plugin request, query values, the itglue plugin called.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "api_call.h"

#define XCON_ID_MAX_BYTES 256

static const char *type_words(enum xcon_type t)
{
	switch (t) {
	case XCON_STRING:
		return "a string";
	case XCON_INT:
		return "an integer";
	case XCON_BOOL:
		return "true or false";
	case XCON_ID:
		return "an id or a name";
	case XCON_IDS:
		return "an array of ids or names";
	case XCON_NULLABLE:
		return "a string or null";
	case XCON_SCALAR:
		return "a string, a number, true, false or null";
	case XCON_STRINGS:
		return "a string, an array of strings or null";
	case XCON_ID_LIST:
		return "an id or an array of ids";
	case XCON_OBJECT:
		return "an object";
	case XCON_SKIP:
		return "?";
	}
	return "?";
}

static bool id_ok(struct json_object *v)
{
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) > 0;
	return json_object_is_type(v, json_type_string) &&
	       json_object_get_string_len(v) > 0 &&
	       json_object_get_string_len(v) <= XCON_ID_MAX_BYTES;
}

bool xcon_type_ok(struct json_object *v, enum xcon_type t)
{
	switch (t) {
	case XCON_STRING:
		return json_object_is_type(v, json_type_string);
	case XCON_INT:
		return json_object_is_type(v, json_type_int);
	case XCON_BOOL:
		return json_object_is_type(v, json_type_boolean);
	case XCON_ID:
		return id_ok(v);
	case XCON_NULLABLE:
		return v == NULL || json_object_is_type(v, json_type_string);
	case XCON_SCALAR:
		return v == NULL || json_object_is_type(v, json_type_string) ||
		       json_object_is_type(v, json_type_int) ||
		       json_object_is_type(v, json_type_boolean);
	case XCON_OBJECT:
		return json_object_is_type(v, json_type_object);
	case XCON_SKIP:
		return true;
	case XCON_ID_LIST:
		if (id_ok(v))
			return true;
		/* fall through */
	case XCON_IDS:
	case XCON_STRINGS:
		if (t == XCON_STRINGS &&
		    (v == NULL || json_object_is_type(v, json_type_string)))
			return true;
		if (!json_object_is_type(v, json_type_array))
			return false;
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct json_object *e = json_object_array_get_idx(v, i);

			if (t != XCON_STRINGS
			            ? !id_ok(e)
			            : !json_object_is_type(e, json_type_string))
				return false;
		}
		return true;
	}
	return false;
}

bool xcon_add(struct json_object *obj, const char *key,
              struct json_object *value, struct xcon_reply *reply)
{
	if (value != NULL && json_object_object_add(obj, key, value) == 0)
		return true;
	json_object_put(value);
	xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
	return false;
}

bool xcon_copy_members(struct json_object *req, struct json_object *body,
                       const struct xcon_member *members, size_t n,
                       const char *what, struct xcon_reply *reply)
{
	json_object_object_foreach(body, key, value)
	{
		size_t i;

		for (i = 0; i < n; i++)
			if (strcmp(members[i].name, key) == 0)
				break;
		if (i == n) {
			char q[XDR_QUOTE_MAX];

			xcon_reply_error(reply, 400, "bad_request",
			                 "%s takes no member %s", what,
			                 xdr_quote(key, q, sizeof(q)));
			return false;
		}
		if (members[i].type == XCON_SKIP)
			continue;
		if (!xcon_type_ok(value, members[i].type)) {
			xcon_reply_error(reply, 400, "bad_request",
			                 "\"%s\" must be %s", members[i].name,
			                 type_words(members[i].type));
			return false;
		}
		if (value == NULL) { /* JSON null */
			if (json_object_object_add(req, members[i].name,
			                           NULL) != 0) {
				xcon_reply_error(reply, 500, "out_of_memory",
				                 "out of memory");
				return false;
			}
		} else if (!xcon_add(req, members[i].name,
		                     json_object_get(value), reply)) {
			return false;
		}
	}
	return true;
}

struct json_object *xcon_id_value(const char *s)
{
	size_t len = strlen(s);

	if (len > 0 && len <= 18 && strspn(s, "0123456789") == len &&
	    s[0] != '0')
		return json_object_new_int64(strtoll(s, NULL, 10));
	return json_object_new_string(s);
}

bool xcon_query_page(const struct xcon_request *req, struct json_object *obj,
                     int64_t *offset, int64_t *limit, struct xcon_reply *reply)
{
	struct xdr_err err;
	int64_t off, lim;

	if (xcon_page_parse(xcon_query(req, "offset"), xcon_query(req, "limit"),
	                    &off, &lim, &err) != XDR_OK) {
		xcon_reply_error(reply, 400, "bad_request", "%s", err.msg);
		return false;
	}
	if (offset != NULL)
		*offset = off;
	if (limit != NULL)
		*limit = lim;
	if (obj == NULL)
		return true;
	return xcon_add(obj, "offset", json_object_new_int64(off), reply) &&
	       xcon_add(obj, "limit", json_object_new_int64(lim), reply);
}

bool xcon_query_text(const struct xcon_request *req, const char *key,
                     size_t max, const char **out, struct xcon_reply *reply)
{
	const char *v = xcon_query(req, key);

	*out = NULL;
	if (v != NULL && strlen(v) > max) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"%s\" is longer than %zu bytes", key, max);
		return false;
	}
	*out = v;
	return true;
}

bool xcon_query_int(const struct xcon_request *req, const char *key,
                    int64_t min, int64_t max, int64_t *out,
                    struct xcon_reply *reply)
{
	const char *v = xcon_query(req, key);
	int64_t n;

	if (v == NULL)
		return true;
	if (!xcon_int_parse(v, min, max, &n)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"%s\" must be an integer from %" PRId64
		                 " to %" PRId64,
		                 key, min, max);
		return false;
	}
	*out = n;
	return true;
}

static char ascii_lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch;
}

bool xcon_name_matches(const char *name, const char *q)
{
	size_t nq;

	if (q == NULL || q[0] == '\0')
		return true;
	nq = strlen(q);
	for (const char *s = name; *s != '\0'; s++) {
		size_t i;

		for (i = 0; i < nq && s[i] != '\0'; i++)
			if (ascii_lower(s[i]) != ascii_lower(q[i]))
				break;
		if (i == nq)
			return true;
	}
	return false;
}

bool xcon_ask_itglue(struct xcon *c, struct xcon_reply *reply,
                     const char *action, struct json_object *req, int *status,
                     char **answer)
{
	struct xdr_plugin_rec *rec = xcon_itglue(c, reply);
	const char *text = NULL;

	*answer = NULL;
	if (rec == NULL) {
		json_object_put(req);
		return false;
	}
	if (req != NULL) {
		text = json_object_to_json_string_ext(
		        req, JSON_C_TO_STRING_PLAIN |
		                     JSON_C_TO_STRING_NOSLASHESCAPE);
		if (text == NULL) {
			json_object_put(req);
			xcon_reply_error(reply, 500, "out_of_memory",
			                 "out of memory");
			return false;
		}
	}
	*status = xdr_plugin_admin(rec, action, text, answer);
	json_object_put(req);
	return true;
}

void xcon_call_itglue(struct xcon *c, struct xcon_reply *reply,
                      const char *action, struct json_object *req)
{
	char *answer;
	int status;

	if (xcon_ask_itglue(c, reply, action, req, &status, &answer))
		xcon_reply_plugin(reply, status, answer);
}

/* The items of items[0..n) (each size bytes) whose name holds q, from
 * offset, at most limit of them, copied (shallow) into *out; *total counts
 * every match. false when out of memory. */
bool xcon_slice(const void *items, size_t n, size_t size,
                const char *(*name_of)(const void *), const char *q,
                int64_t offset, int64_t limit, void **out, size_t *n_out,
                int64_t *total)
{
	char *page = malloc((size_t)limit * size);

	*out = page;
	*n_out = 0;
	*total = 0;
	if (page == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *item = (const char *)items + i * size;

		if (!xcon_name_matches(name_of(item), q))
			continue;
		if (*total >= offset && (int64_t)*n_out < limit)
			memcpy(page + (*n_out)++ * size, item, size);
		(*total)++;
	}
	return true;
}

bool xcon_small_page(const struct xcon_request *req, int64_t *offset,
                     int64_t *limit, const char **q, struct xcon_reply *reply)
{
	return xcon_query_page(req, NULL, offset, limit, reply) &&
	       xcon_query_text(req, "q", XCON_QUERY_MAX, q, reply);
}

static const char *text_of(const void *item)
{
	return *(char *const *)item;
}

void xcon_reply_names(const struct xcon_request *req, char **names, size_t n,
                      struct xcon_reply *reply)
{
	struct json_object *items;
	int64_t offset, limit, total;
	const char *q;
	void *cut;
	size_t m;

	if (!xcon_small_page(req, &offset, &limit, &q, reply))
		return;
	if (!xcon_slice(names, n, sizeof(names[0]), text_of, q, offset, limit,
	                &cut, &m, &total)) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		return;
	}
	items = json_object_new_array();
	for (size_t i = 0; items != NULL && i < m; i++)
		if (json_object_array_add(
		            items, json_object_new_string(((char **)cut)[i])) !=
		    0) {
			json_object_put(items);
			items = NULL;
		}
	free(cut);
	if (items == NULL)
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
	else
		xcon_reply_json(reply, 200,
		                xdr_json_page(total, offset, limit, items));
}
