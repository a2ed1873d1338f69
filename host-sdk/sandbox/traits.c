/*
 * traits.c - flexible asset traits checked against their type's fields,
 * stored, and shown as IT Glue shows them.
 *
 * Upload values arrive as {"content": base64, "file_name": ...}; they are
 * decoded to check them and to know their size, and kept as
 * {"id", "file_name", "size", "content"} (base64, since JSON carries no raw
 * bytes). They are shown as a list of one {"id", "name", "url", "size"},
 * the url serving the decoded bytes from /_sandbox/files/:id.
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

#include "base64.h"
#include "sandbox.h"

static struct json_object *field_by_key(struct json_object *type,
                                        const char *key)
{
	struct json_object *fields;
	size_t n;

	if (!json_object_object_get_ex(type, "fields", &fields))
		return NULL;
	n = json_object_array_length(fields);
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);
		const char *k = sbx_str_of(f, "name-key");

		if (k && !strcmp(k, key))
			return f;
	}
	return NULL;
}

static void trait_problem(struct sbx_problem *p, const char *key,
                          const char *detail)
{
	char pointer[160];

	snprintf(pointer, sizeof(pointer),
	         "/data/attributes/flexible-asset-traits.%.100s", key);
	sbx_problem_set(p, 422, "Unprocessable Entity", detail, pointer);
	p->detail_array = true;
}

static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i])
		                    : s[i] != '-')
			return false;
	return true;
}

static struct json_object *number_value(struct json_object *v)
{
	const char *s;
	char *end;
	double d;

	if (json_object_is_type(v, json_type_int) ||
	    json_object_is_type(v, json_type_double))
		return json_object_get(v);
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	d = strtod(s, &end);
	if (!*s || *end)
		return NULL;
	if (d == (double)(int64_t)d && !strpbrk(s, ".eE"))
		return json_object_new_int64((int64_t)d);
	return json_object_new_double(d);
}

static struct json_object *upload_value(struct sbx_store *s,
                                        struct json_object *v, int *rc)
{
	const char *content = sbx_str_of(v, "content");
	const char *name = sbx_str_of(v, "file_name");
	unsigned char *bytes;
	size_t size;
	struct json_object *o;

	*rc = XDR_EINVAL;
	if (!content || !name || !*name)
		return NULL;
	*rc = sbx_base64_decode(content, strlen(content), &bytes, &size);
	if (*rc != XDR_OK)
		return NULL;
	free(bytes);
	o = json_object_new_object();
	if (!o) {
		*rc = XDR_ENOMEM;
		return NULL;
	}
	json_object_object_add(o, "id",
	                       json_object_new_int64(sbx_store_take_id(s)));
	json_object_object_add(o, "file_name", json_object_new_string(name));
	json_object_object_add(o, "size", json_object_new_int64((int64_t)size));
	json_object_object_add(o, "content", json_object_new_string(content));
	return o;
}

/* A tag: one id or a list of ids, numbers or digit strings. */
static struct json_object *tag_value(struct json_object *v)
{
	struct json_object *out = json_object_new_array();
	bool single = !json_object_is_type(v, json_type_array);
	size_t n = single ? 1 : json_object_array_length(v);

	for (size_t i = 0; out && i < n; i++) {
		struct json_object *e =
		        single ? v : json_object_array_get_idx(v, i);
		int64_t id = -1;

		if (json_object_is_type(e, json_type_int))
			id = json_object_get_int64(e);
		else if (json_object_is_type(e, json_type_string))
			sbx_parse_id(json_object_get_string(e), &id);
		if (id < 1) {
			json_object_put(out);
			return NULL;
		}
		json_object_array_add(out, json_object_new_int64(id));
	}
	return out;
}

/* The stored form of V for FIELD; NULL with *RC set when refused. */
static struct json_object *stored_value(struct sbx_store *s,
                                        struct json_object *field,
                                        struct json_object *v, int *rc)
{
	const char *kind = sbx_str_of(field, "kind");
	struct json_object *out = NULL;

	*rc = XDR_EINVAL;
	if (!strcmp(kind, "Upload"))
		return json_object_is_type(v, json_type_object)
		               ? upload_value(s, v, rc)
		               : NULL;
	if (!strcmp(kind, "Number") || !strcmp(kind, "Percent")) {
		out = number_value(v);
	} else if (!strcmp(kind, "Checkbox")) {
		if (json_object_is_type(v, json_type_boolean))
			out = json_object_get(v);
		else if (json_object_is_type(v, json_type_string) &&
		         (!strcmp(json_object_get_string(v), "true") ||
		          !strcmp(json_object_get_string(v), "false")))
			out = json_object_new_boolean(
			        !strcmp(json_object_get_string(v), "true"));
	} else if (!strcmp(kind, "Date")) {
		if (json_object_is_type(v, json_type_string) &&
		    is_date(json_object_get_string(v)))
			out = json_object_get(v);
	} else if (!strcmp(kind, "Tag")) {
		out = tag_value(v);
	} else if (json_object_is_type(v, json_type_string)) {
		out = json_object_get(v);
	}
	if (out)
		*rc = XDR_OK;
	return out;
}

static bool is_blank(struct json_object *v)
{
	return !v ||
	       (json_object_is_type(v, json_type_string) &&
	        !*json_object_get_string(v)) ||
	       (json_object_is_type(v, json_type_array) &&
	        !json_object_array_length(v));
}

static int check_required(struct json_object *type, struct json_object *out,
                          struct sbx_problem *p)
{
	struct json_object *fields;
	size_t n;

	json_object_object_get_ex(type, "fields", &fields);
	n = json_object_array_length(fields);
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);
		struct json_object *v = NULL, *req;
		const char *key = sbx_str_of(f, "name-key");

		if (!json_object_object_get_ex(f, "required", &req) ||
		    !json_object_get_boolean(req) ||
		    !strcmp(sbx_str_of(f, "kind"), "Header"))
			continue;
		json_object_object_get_ex(out, key, &v);
		if (is_blank(v)) {
			trait_problem(p, key, "can't be blank");
			return XDR_EINVAL;
		}
	}
	return XDR_OK;
}

int sbx_traits_build(struct sbx_store *s, struct json_object *type,
                     struct json_object *input, struct json_object **out,
                     struct sbx_problem *p)
{
	struct json_object *traits;
	int rc = XDR_OK;

	*out = NULL;
	if (input && !json_object_is_type(input, json_type_object)) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                "traits must be an object",
		                "data/attributes/traits");
		return XDR_EINVAL;
	}
	/* IT Glue refuses the whole request for one unknown key. */
	if (input) {
		json_object_object_foreach(input, key, value)
		{
			struct json_object *f = field_by_key(type, key);

			(void)value;
			if (!f || !strcmp(sbx_str_of(f, "kind"), "Header")) {
				sbx_problem_set(
				        p, 422, "Unprocessable Entity",
				        "Request contains invalid trait keys",
				        "data/attributes/traits");
				return XDR_EINVAL;
			}
		}
	}
	traits = json_object_new_object();
	if (!traits)
		return XDR_ENOMEM;
	if (input) {
		json_object_object_foreach(input, key, value)
		{
			struct json_object *stored;

			if (!value)
				continue;
			stored = stored_value(s, field_by_key(type, key), value,
			                      &rc);
			if (!stored) {
				if (rc == XDR_EINVAL)
					trait_problem(p, key, "is invalid");
				json_object_put(traits);
				return rc;
			}
			json_object_object_add(traits, key, stored);
		}
	}
	rc = check_required(type, traits, p);
	if (rc != XDR_OK) {
		json_object_put(traits);
		return rc;
	}
	*out = traits;
	return XDR_OK;
}

/* {"type": tag-type, "values": [{"id", "name"}]}, names looked up. */
static struct json_object *render_tag(struct sbx_ctx *ctx,
                                      struct json_object *field,
                                      struct json_object *ids)
{
	static const struct {
		const char *tag_type, *collection;
	} kinds[] = {{"Configurations", "configurations"},
	             {"Organizations", "organizations"},
	             {"Contacts", "contacts"}};
	const char *tag_type = sbx_str_of(field, "tag-type");
	const char *collection = NULL;
	struct json_object *o = json_object_new_object();
	struct json_object *values = json_object_new_array();
	size_t n = json_object_array_length(ids);

	if (!o || !values) {
		json_object_put(o);
		json_object_put(values);
		return NULL;
	}
	for (size_t i = 0; tag_type && i < 3; i++)
		if (!strcmp(tag_type, kinds[i].tag_type))
			collection = kinds[i].collection;
	json_object_object_add(
	        o, "type", tag_type ? json_object_new_string(tag_type) : NULL);
	json_object_object_add(o, "values", values);
	for (size_t i = 0; i < n; i++) {
		int64_t id = json_object_get_int64(
		        json_object_array_get_idx(ids, i));
		struct json_object *v = json_object_new_object();
		struct json_object *target =
		        collection ? sbx_store_find(ctx->store, collection, id)
		                   : NULL;
		const char *name = target ? sbx_str_of(target, "name") : NULL;

		if (!v)
			break;
		json_object_object_add(v, "id", json_object_new_int64(id));
		json_object_object_add(
		        v, "name", name ? json_object_new_string(name) : NULL);
		json_object_array_add(values, v);
	}
	return o;
}

static struct json_object *render_upload(struct sbx_ctx *ctx,
                                         struct json_object *stored)
{
	struct json_object *list = json_object_new_array();
	struct json_object *file = json_object_new_object();
	char url[512];

	if (!list || !file) {
		json_object_put(list);
		json_object_put(file);
		return NULL;
	}
	snprintf(url, sizeof(url), "%s/_sandbox/files/%" PRId64,
	         ctx->req->base_url, sbx_id_of(stored));
	json_object_object_add(file, "id",
	                       json_object_new_int64(sbx_id_of(stored)));
	json_object_object_add(
	        file, "name",
	        json_object_new_string(sbx_str_of(stored, "file_name")
	                                       ? sbx_str_of(stored, "file_name")
	                                       : ""));
	json_object_object_add(file, "url", json_object_new_string(url));
	json_object_object_add(
	        file, "size",
	        json_object_new_int64(sbx_int_of(stored, "size")));
	json_object_array_add(list, file);
	return list;
}

struct json_object *sbx_traits_render(struct sbx_ctx *ctx,
                                      struct json_object *type,
                                      struct json_object *traits)
{
	struct json_object *out = json_object_new_object();

	if (!out)
		return NULL;
	json_object_object_foreach(traits, key, value)
	{
		struct json_object *f = field_by_key(type, key);
		const char *kind = f ? sbx_str_of(f, "kind") : NULL;
		struct json_object *shown = NULL;

		if (kind && !strcmp(kind, "Upload") &&
		    json_object_is_type(value, json_type_object))
			shown = render_upload(ctx, value);
		else if (kind && !strcmp(kind, "Tag") &&
		         json_object_is_type(value, json_type_array))
			shown = render_tag(ctx, f, value);
		else if (value && json_object_deep_copy(value, &shown, NULL))
			shown = NULL;
		if (value && !shown) {
			json_object_put(out);
			return NULL;
		}
		json_object_object_add(out, key, shown);
	}
	return out;
}

const char *sbx_traits_title(struct json_object *type,
                             struct json_object *traits)
{
	struct json_object *fields, *v;
	size_t n;

	if (!json_object_object_get_ex(type, "fields", &fields))
		return NULL;
	n = json_object_array_length(fields);
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);
		struct json_object *title;

		if (!json_object_object_get_ex(f, "use-for-title", &title) ||
		    !json_object_get_boolean(title))
			continue;
		if (json_object_object_get_ex(traits, sbx_str_of(f, "name-key"),
		                              &v) &&
		    json_object_is_type(v, json_type_string))
			return json_object_get_string(v);
	}
	return NULL;
}

static struct json_object *file_in_asset(struct json_object *asset, int64_t id)
{
	struct json_object *traits, *atts;

	if (json_object_object_get_ex(asset, "traits", &traits) &&
	    json_object_is_type(traits, json_type_object)) {
		json_object_object_foreach(traits, key, value)
		{
			(void)key;
			if (json_object_is_type(value, json_type_object) &&
			    sbx_id_of(value) == id &&
			    sbx_str_of(value, "content"))
				return value;
		}
	}
	if (json_object_object_get_ex(asset, "attachments", &atts) &&
	    json_object_is_type(atts, json_type_array))
		return sbx_find_by_id(atts, id);
	return NULL;
}

struct json_object *sbx_file_find(const struct sbx_store *s, int64_t id)
{
	struct json_object *assets = sbx_store_collection(s, "flexible_assets");
	size_t n = assets ? json_object_array_length(assets) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *f =
		        file_in_asset(json_object_array_get_idx(assets, i), id);

		if (f)
			return f;
	}
	return NULL;
}
