/*
 * publish_type.c - the flexible asset type that holds published reports:
 * found by name, or created with its four fields, and its fields' name-keys.
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include <xdr/plugin.h>

#include "errbuf.h"
#include "json_util.h"
#include "publish_type.h"

#define TYPE_RESOURCE  "flexible-asset-types"
#define FIELD_RESOURCE "flexible-asset-fields"
#define TYPES_PATH     "/flexible_asset_types"
#define INCLUDE_FIELDS "flexible_asset_fields"

/* A listing callback's value that stops the listing once the type is seen. */
#define SEARCH_FOUND 1

/* Longest type name accepted, in bytes. */
#define TYPE_NAME_MAX 255

struct field_spec {
	const char *name;
	const char *kind; /* created with, and accepted */
	const char *also; /* another kind accepted, or NULL */
	bool required;
	bool use_for_title;
	bool expiration;
};

/* Every field is show-in-list, so the list of reports shows them all. */
static const struct field_spec specs[ITG_REPORT_FIELDS] = {
        [ITG_FIELD_REPORT_NAME] = {"Report Name", "Text", "Textbox", true, true,
                                   false},
        [ITG_FIELD_GENERATION_DATE] = {"Report Generation Date", "Date", NULL,
                                       false, false, false},
        [ITG_FIELD_REPORT_FILE] = {"Report File", "Upload", NULL, false, false,
                                   false},
        [ITG_FIELD_EXPIRY_DATE] = {"Expiry Date", "Date", NULL, false, false,
                                   true},
};

const char *itg_report_field_name(enum itg_report_field f)
{
	if ((unsigned int)f >= ITG_REPORT_FIELDS)
		return "";
	return specs[f].name;
}

void itg_publish_type_clear(struct itg_publish_type *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < ITG_REPORT_FIELDS; i++)
		free(t->key[i]);
	memset(t, 0, sizeof(*t));
}

static bool is_type(const char *type, const char *dashed)
{
	size_t n = strlen(dashed);

	if (type == NULL || strlen(type) != n)
		return false;
	/* IT Glue writes types with dashes; some examples use '_'. */
	for (size_t i = 0; i < n; i++)
		if (type[i] != dashed[i] &&
		    !(type[i] == '_' && dashed[i] == '-'))
			return false;
	return true;
}

const struct itg_resource *itg_publish_type_pick(const struct itg_doc *doc,
                                                 const char *name)
{
	const struct itg_resource *loose = NULL;

	if (doc == NULL || name == NULL)
		return NULL;
	for (size_t i = 0; i < doc->n_data; i++) {
		const struct itg_resource *r = &doc->data[i];
		const char *n = itg_json_str(r->attributes, "name");

		if (!is_type(r->type, TYPE_RESOURCE) || n == NULL)
			continue;
		if (strcmp(n, name) == 0)
			return r;
		if (loose == NULL && strcasecmp(n, name) == 0)
			loose = r;
	}
	return loose;
}

/* A JSON id, string or number, as text; false for anything else. */
static bool id_text(struct json_object *v, char *out, size_t size)
{
	int n;

	if (json_object_is_type(v, json_type_string))
		n = snprintf(out, size, "%s", json_object_get_string(v));
	else if (json_object_is_type(v, json_type_int))
		n = snprintf(out, size, "%" PRId64, json_object_get_int64(v));
	else
		return false;
	return n > 0 && (size_t)n < size;
}

static int parse_id(const char *text, int64_t *out)
{
	char *end;
	long long v;

	if (text == NULL || *text < '0' || *text > '9')
		return XDR_EINVAL;
	v = strtoll(text, &end, 10);
	if (*end != '\0' || v <= 0)
		return XDR_EINVAL;
	*out = (int64_t)v;
	return 0;
}

/* The ids the type lists under relationships, or NULL if it lists none. */
static struct json_object *listed_fields(const struct itg_resource *type)
{
	static const char *const names[] = {"flexible-asset-fields",
	                                    "flexible_asset_fields"};
	struct json_object *rel, *data;

	for (size_t i = 0; i < 2; i++)
		if (json_object_object_get_ex(type->relationships, names[i],
		                              &rel) &&
		    json_object_object_get_ex(rel, "data", &data) &&
		    json_object_is_type(data, json_type_array))
			return data;
	return NULL;
}

static bool listed(struct json_object *list, const char *id)
{
	size_t n = json_object_array_length(list);
	char text[ITG_JSONAPI_ID_MAX];

	for (size_t i = 0; i < n; i++) {
		struct json_object *ident, *v;

		ident = json_object_array_get_idx(list, i);
		if (json_object_object_get_ex(ident, "id", &v) &&
		    id_text(v, text, sizeof(text)) && strcmp(text, id) == 0)
			return true;
	}
	return false;
}

static bool field_of(const struct itg_resource *field, struct json_object *list,
                     int64_t type_id)
{
	int64_t owner;
	int rc;

	if (!is_type(field->type, FIELD_RESOURCE))
		return false;
	if (list != NULL)
		return listed(list, field->id);
	rc = itg_json_int64(field->attributes, "flexible-asset-type-id",
	                    &owner);
	return rc == XDR_ENOTFOUND || (rc == 0 && owner == type_id);
}

static bool kind_ok(const struct field_spec *s, const char *kind)
{
	return kind != NULL &&
	       (strcasecmp(kind, s->kind) == 0 ||
	        (s->also != NULL && strcasecmp(kind, s->also) == 0));
}

/* Our field S among the N fields; 0 and *OUT, or XDR_EINVAL with ERR. */
static int match_field(const struct field_spec *s,
                       const struct itg_resource *const *fields, size_t n,
                       const char *type_name, const struct itg_resource **out,
                       char *err, size_t errsize)
{
	const char *other_kind = NULL;

	for (size_t i = 0; i < n; i++) {
		struct json_object *a = fields[i]->attributes;
		const char *name = itg_json_str(a, "name");
		const char *kind = itg_json_str(a, "kind");

		if (name == NULL || strcasecmp(name, s->name) != 0)
			continue;
		if (kind_ok(s, kind)) {
			*out = fields[i];
			return 0;
		}
		if (other_kind == NULL)
			other_kind = kind != NULL ? kind : "(none)";
	}
	if (other_kind != NULL)
		itg_errf(err, errsize,
		         "the flexible asset type '%s' has no field '%s' of "
		         "kind %s (its '%s' is of kind %s): add it in IT Glue "
		         "or remove the type",
		         type_name, s->name, s->kind, s->name, other_kind);
	else
		itg_errf(err, errsize,
		         "the flexible asset type '%s' has no field '%s' of "
		         "kind %s: add it in IT Glue or remove the type",
		         type_name, s->name, s->kind);
	return XDR_EINVAL;
}

static size_t title_fields(const struct itg_resource *const *fields, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		enum itg_tristate t = ITG_TRI_NULL;

		if (itg_json_bool(fields[i]->attributes, "use-for-title", &t) ==
		            0 &&
		    t == ITG_TRI_TRUE)
			count++;
	}
	return count;
}

static int read_fields(const struct itg_resource *const *fields, size_t n,
                       const char *type_name, struct itg_publish_type *out,
                       char *err, size_t errsize)
{
	for (size_t f = 0; f < ITG_REPORT_FIELDS; f++) {
		const struct itg_resource *r = NULL;
		const char *key;
		enum itg_tristate title = ITG_TRI_NULL;
		int rc = match_field(&specs[f], fields, n, type_name, &r, err,
		                     errsize);

		if (rc != 0)
			return rc;
		key = itg_json_str(r->attributes, "name-key");
		if (key == NULL || *key == '\0') {
			itg_errf(err, errsize,
			         "the field '%s' of the flexible asset type "
			         "'%s' has no name-key",
			         specs[f].name, type_name);
			return XDR_EINVAL;
		}
		out->key[f] = strdup(key);
		if (out->key[f] == NULL) {
			itg_errf(err, errsize, "out of memory");
			return XDR_ENOMEM;
		}
		if (f == ITG_FIELD_REPORT_NAME &&
		    itg_json_bool(r->attributes, "use-for-title", &title) == 0)
			out->report_name_is_title = title == ITG_TRI_TRUE;
	}
	/* With several title fields, an asset's name is more than the
	 * report's title. */
	if (title_fields(fields, n) != 1)
		out->report_name_is_title = false;
	return 0;
}

int itg_publish_type_read(const struct itg_doc *doc,
                          const struct itg_resource *type,
                          const char *type_name, struct itg_publish_type *out,
                          char *err, size_t errsize)
{
	const struct itg_resource **fields;
	struct json_object *list;
	size_t n = 0;
	int rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (doc == NULL || type == NULL || type_name == NULL || out == NULL) {
		itg_errf(err, errsize, "no type to read");
		return XDR_EINVAL;
	}
	if (parse_id(type->id, &out->id) != 0) {
		itg_errf(err, errsize,
		         "the flexible asset type '%s' has the id '%s', which "
		         "is not a positive number",
		         type_name, type->id);
		return XDR_EINVAL;
	}
	fields = calloc(doc->n_included + 1, sizeof(*fields));
	if (fields == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	list = listed_fields(type);
	for (size_t i = 0; i < doc->n_included; i++)
		if (field_of(&doc->included[i], list, out->id))
			fields[n++] = &doc->included[i];
	if (n == 0) {
		itg_errf(err, errsize,
		         "the answer does not include the fields of the "
		         "flexible asset type '%s'",
		         type_name);
		rc = XDR_ENOTFOUND;
	} else {
		rc = read_fields(fields, n, type_name, out, err, errsize);
	}
	free(fields);
	if (rc != 0)
		itg_publish_type_clear(out);
	return rc;
}

static struct json_object *field_object(size_t order,
                                        const struct field_spec *s)
{
	struct json_object *a = json_object_new_object(), *f;

	if (a == NULL)
		return NULL;
	if (itg_json_add(a, "order", json_object_new_int64((int64_t)order)) ||
	    itg_json_add(a, "name", json_object_new_string(s->name)) ||
	    itg_json_add(a, "kind", json_object_new_string(s->kind)) ||
	    itg_json_add(a, "required", json_object_new_boolean(s->required)) ||
	    itg_json_add(a, "show-in-list", json_object_new_boolean(1)) ||
	    itg_json_add(a, "use-for-title",
	                 json_object_new_boolean(s->use_for_title)) ||
	    itg_json_add(a, "expiration",
	                 json_object_new_boolean(s->expiration))) {
		json_object_put(a);
		return NULL;
	}
	f = json_object_new_object();
	if (f == NULL ||
	    itg_json_add(f, "type",
	                 json_object_new_string("flexible_asset_fields"))) {
		json_object_put(a);
		json_object_put(f);
		return NULL;
	}
	if (itg_json_add(f, "attributes", a)) {
		json_object_put(f);
		return NULL;
	}
	return f;
}

/* Each child is attached as soon as it is made, so releasing ROOT releases
 * everything, and a failed add has already released its value. */
char *itg_publish_type_body(const char *name)
{
	struct json_object *root = json_object_new_object();
	struct json_object *data, *attrs, *rels, *holder, *list;
	char *text = NULL;

	if (root == NULL || name == NULL)
		goto out;
	data = json_object_new_object();
	if (itg_json_add(root, "data", data) ||
	    itg_json_add(data, "type",
	                 json_object_new_string("flexible_asset_types")))
		goto out;
	attrs = json_object_new_object();
	if (itg_json_add(data, "attributes", attrs) ||
	    itg_json_add(attrs, "name", json_object_new_string(name)) ||
	    itg_json_add(attrs, "description",
	                 json_object_new_string(
	                         "Reports published by Netsurion Open XDR")) ||
	    itg_json_add(attrs, "show-in-menu", json_object_new_boolean(1)) ||
	    itg_json_add(attrs, "enabled", json_object_new_boolean(1)))
		goto out;
	rels = json_object_new_object();
	holder = json_object_new_object();
	if (itg_json_add(data, "relationships", rels)) {
		json_object_put(holder);
		goto out;
	}
	list = json_object_new_array();
	if (itg_json_add(rels, "flexible-asset-fields", holder)) {
		json_object_put(list);
		goto out;
	}
	if (itg_json_add(holder, "data", list))
		goto out;
	for (size_t i = 0; i < ITG_REPORT_FIELDS; i++) {
		struct json_object *f = field_object(i + 1, &specs[i]);

		if (f == NULL || json_object_array_add(list, f) != 0) {
			json_object_put(f);
			goto out;
		}
	}
	text = itg_json_to_string(root);
out:
	json_object_put(root);
	return text;
}

/* What a search of the listing found. */
struct search {
	const char *name;
	struct itg_publish_type *out;
	bool found;
	int64_t id;
	int rc;
	char msg[ITG_APIERROR_MAX];
};

static int search_page(void *user, const struct itg_doc *doc, int64_t page)
{
	struct search *s = user;
	const struct itg_resource *r = itg_publish_type_pick(doc, s->name);

	(void)page;
	if (r == NULL)
		return 0;
	s->found = true;
	s->rc = itg_publish_type_read(doc, r, s->name, s->out, s->msg,
	                              sizeof(s->msg));
	if (s->rc == XDR_ENOTFOUND && parse_id(r->id, &s->id) != 0)
		s->rc = XDR_EINVAL;
	return SEARCH_FOUND;
}

/* The type's fields from GET /flexible_asset_types/:id?include=... */
static int read_shown(struct itg_client *c, const char *name, int64_t id,
                      struct itg_publish_type *out, struct itg_api_error *err)
{
	char path[64], msg[ITG_APIERROR_MAX];
	struct itg_query q;
	struct itg_doc *doc = NULL;
	int rc;

	snprintf(path, sizeof(path), TYPES_PATH "/%" PRId64, id);
	itg_query_init(&q);
	if (itg_query_add(&q, "include", INCLUDE_FIELDS) != 0)
		return XDR_EINVAL;
	rc = itg_client_get(c, path, &q, &doc, err);
	if (rc != 0)
		return rc;
	if (doc->n_data != 1) {
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_BAD_RESPONSE, 200,
		                 "IT Glue answered GET %s without the type",
		                 path);
		itg_doc_free(doc);
		return XDR_ERROR;
	}
	rc = itg_publish_type_read(doc, &doc->data[0], name, out, msg,
	                           sizeof(msg));
	itg_doc_free(doc);
	if (rc == XDR_ENOTFOUND)
		/* A type always has fields: ours are missing. */
		itg_errf(msg, sizeof(msg),
		         "the flexible asset type '%s' has no field '%s' of "
		         "kind %s: add it in IT Glue or remove the type",
		         name, specs[0].name, specs[0].kind);
	if (rc == XDR_ENOTFOUND || rc == XDR_EINVAL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_INVALID, 0, "%s",
		                 msg);
		return XDR_ERROR;
	}
	if (rc == XDR_ENOMEM)
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0, "%s",
		                 msg);
	return rc;
}

/* A search's outcome: 0 with *OUT, XDR_ENOTFOUND when there is no such
 * type, or an error. */
static int search(struct itg_client *c, const char *name,
                  struct itg_publish_type *out, struct itg_api_error *err)
{
	struct search s;
	struct itg_query q;
	const char *names[1] = {name};
	int rc;

	memset(&s, 0, sizeof(s));
	s.name = name;
	s.out = out;
	itg_query_init(&q);
	if (itg_query_filter(&q, "name", names, 1) != 0 ||
	    itg_query_add(&q, "include", INCLUDE_FIELDS) != 0) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "the type name '%s' does not fit in a query",
		                 name);
		return XDR_EINVAL;
	}
	rc = itg_client_list(c, TYPES_PATH, &q, 0, search_page, NULL, &s, err);
	if (rc != SEARCH_FOUND)
		return rc != 0 ? rc : XDR_ENOTFOUND;
	if (s.rc == XDR_ENOTFOUND)
		return read_shown(c, name, s.id, out, err);
	if (s.rc == XDR_EINVAL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_INVALID, 0, "%s",
		                 s.msg);
		return XDR_ERROR;
	}
	if (s.rc == XDR_ENOMEM)
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0, "%s",
		                 s.msg);
	return s.rc;
}

static int create(struct itg_client *c, const char *name,
                  struct itg_publish_type *out, struct itg_api_error *err)
{
	char *body = itg_publish_type_body(name);
	char msg[ITG_APIERROR_MAX];
	struct itg_doc *doc = NULL;
	int64_t id;
	int rc;

	if (body == NULL) {
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0,
		                 "out of memory");
		return XDR_ENOMEM;
	}
	rc = itg_client_post(c, TYPES_PATH, body, &doc, err);
	free(body);
	if (rc != 0)
		return rc;
	if (doc == NULL || doc->n_data != 1 ||
	    parse_id(doc->data[0].id, &id) != 0) {
		itg_doc_free(doc);
		/* It may exist now: the next search finds it. */
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_BAD_RESPONSE, 0,
		                 "IT Glue created the flexible asset type '%s' "
		                 "without saying its id",
		                 name);
		return XDR_ERROR;
	}
	rc = itg_publish_type_read(doc, &doc->data[0], name, out, msg,
	                           sizeof(msg));
	itg_doc_free(doc);
	if (rc == XDR_ENOTFOUND)
		return read_shown(c, name, id, out, err);
	if (rc == XDR_EINVAL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_INVALID, 0, "%s",
		                 msg);
		return XDR_ERROR;
	}
	if (rc == XDR_ENOMEM)
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0, "%s",
		                 msg);
	return rc;
}

int itg_publish_type_ensure(struct itg_client *c, const char *name,
                            struct itg_publish_type *out,
                            struct itg_api_error *err)
{
	struct itg_api_error post_err;
	int rc;

	if (out != NULL)
		memset(out, 0, sizeof(*out));
	if (err == NULL)
		return XDR_EINVAL;
	memset(err, 0, sizeof(*err));
	if (name == NULL)
		name = ITG_PUBLISH_TYPE_NAME;
	if (c == NULL || out == NULL || *name == '\0' ||
	    strlen(name) > TYPE_NAME_MAX) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "a flexible asset type needs a client, a name "
		                 "of 1..%d bytes and a result",
		                 TYPE_NAME_MAX);
		return XDR_EINVAL;
	}
	rc = search(c, name, out, err);
	if (rc != XDR_ENOTFOUND)
		return rc;
	rc = create(c, name, out, err);
	if (rc == 0 || err->status != 422)
		return rc;
	/* Taken meanwhile, or under another case than the filter matched. */
	post_err = *err;
	rc = search(c, name, out, err);
	if (rc == XDR_ENOTFOUND) {
		*err = post_err;
		rc = XDR_ERROR;
	}
	return rc;
}
