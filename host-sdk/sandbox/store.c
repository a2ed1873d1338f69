/*
 * store.c - the sandbox's data: one JSON document in the data-file format,
 * checked when loaded, written back atomically.
 *
 * Resources stay in the shape of the data file (kebab-case attributes,
 * integer ids, nested interfaces and fields) and are turned into JSON:API
 * resources only when served, so /_sandbox/data and --save give back
 * exactly what a data file holds.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xdr/plugin.h>

#include "namekey.h"
#include "sandbox.h"

const char *const sbx_collections[] = {
        "api_keys",
        "organizations",
        "contacts",
        "configurations",
        "flexible_asset_types",
        "flexible_assets",
        NULL,
};

static const char *const field_kinds[] = {
        "Checkbox", "Date",   "Header", "Number",  "Select",   "Text",
        "Textbox",  "Upload", "Tag",    "Percent", "Password", NULL,
};

/* Columns kept at most: a few attributes of three collections. */
#define COLUMNS_MAX 16

void sbx_store_init(struct sbx_store *s)
{
	s->root = NULL;
	s->next_id = 1;
	s->columns = NULL;
	s->n_columns = 0;
}

/* Before the content is replaced: the columns read the old one. */
static void drop_columns(struct sbx_store *s)
{
	for (size_t i = 0; i < s->n_columns; i++) {
		json_object_put(s->columns[i].array);
		free(s->columns[i].values);
	}
	free(s->columns);
	s->columns = NULL;
	s->n_columns = 0;
}

void sbx_store_free(struct sbx_store *s)
{
	drop_columns(s);
	json_object_put(s->root);
	sbx_store_init(s);
}

const int64_t *sbx_store_column(struct sbx_store *s, struct json_object *array,
                                const char *attribute)
{
	size_t n = json_object_array_length(array);
	struct sbx_column *c = NULL;
	int64_t *values;

	for (size_t i = 0; i < s->n_columns; i++) {
		if (s->columns[i].array == array &&
		    !strcmp(s->columns[i].attribute, attribute)) {
			if (s->columns[i].n == n)
				return s->columns[i].values;
			c = &s->columns[i];
		}
	}
	if (strlen(attribute) >= sizeof(c->attribute))
		return NULL;
	values = malloc((n ? n : 1) * sizeof(*values));
	if (!values)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = NULL;

		json_object_object_get_ex(json_object_array_get_idx(array, i),
		                          attribute, &v);
		values[i] = json_object_is_type(v, json_type_int)
		                    ? json_object_get_int64(v)
		                    : INT64_MIN;
	}
	if (!c) {
		struct sbx_column *grown;

		if (s->n_columns == COLUMNS_MAX) {
			free(values);
			return NULL;
		}
		grown = realloc(s->columns,
		                (s->n_columns + 1) * sizeof(*grown));
		if (!grown) {
			free(values);
			return NULL;
		}
		s->columns = grown;
		c = &s->columns[s->n_columns++];
		c->array = json_object_get(array);
		snprintf(c->attribute, sizeof(c->attribute), "%s", attribute);
	} else {
		free(c->values);
	}
	c->n = n;
	c->values = values;
	return values;
}

void sbx_store_changed(struct sbx_store *s, struct json_object *array)
{
	size_t kept = 0;

	for (size_t i = 0; i < s->n_columns; i++) {
		if (s->columns[i].array == array) {
			json_object_put(s->columns[i].array);
			free(s->columns[i].values);
		} else {
			s->columns[kept++] = s->columns[i];
		}
	}
	s->n_columns = kept;
}

struct json_object *sbx_store_collection(const struct sbx_store *s,
                                         const char *name)
{
	struct json_object *a = NULL;

	if (!s->root || !json_object_object_get_ex(s->root, name, &a))
		return NULL;
	return a;
}

int64_t sbx_id_of(struct json_object *o)
{
	return sbx_int_of(o, "id");
}

int64_t sbx_int_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	return json_object_get_int64(v);
}

const char *sbx_str_of(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

struct json_object *sbx_find_by_id(struct json_object *array, int64_t id)
{
	size_t n = json_object_array_length(array), lo = 0, hi = n;

	/* Collections are mostly in id order (generated data, records
	 * created through the API): a binary search finds those at once,
	 * and the scan below still finds any record of an unordered file. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct json_object *o = json_object_array_get_idx(array, mid);
		int64_t at = sbx_id_of(o);

		if (at == id)
			return o;
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(array, i);

		if (sbx_id_of(o) == id)
			return o;
	}
	return NULL;
}

struct json_object *sbx_store_find(const struct sbx_store *s,
                                   const char *collection, int64_t id)
{
	struct json_object *a = sbx_store_collection(s, collection);

	return a ? sbx_find_by_id(a, id) : NULL;
}

struct json_object *sbx_store_find_indexed(struct sbx_store *s,
                                           const char *collection, int64_t id)
{
	struct json_object *a = sbx_store_collection(s, collection);
	const int64_t *ids = a ? sbx_store_column(s, a, "id") : NULL;
	size_t n = a ? json_object_array_length(a) : 0, lo = 0, hi = n;

	if (!ids)
		return a ? sbx_find_by_id(a, id) : NULL;
	/* As sbx_find_by_id(), on numbers: ids are unique, so the record
	 * either search finds is the one. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ids[mid] == id)
			return json_object_array_get_idx(a, mid);
		if (ids[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < n; i++)
		if (ids[i] == id)
			return json_object_array_get_idx(a, i);
	return NULL;
}

int64_t sbx_store_take_id(struct sbx_store *s)
{
	return s->next_id++;
}

const char *sbx_store_key_region(const struct sbx_store *s, const char *key)
{
	struct json_object *keys = sbx_store_collection(s, "api_keys");
	size_t n = keys ? json_object_array_length(keys) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *k = json_object_array_get_idx(keys, i);
		const char *v = sbx_str_of(k, "key");

		if (v && !strcmp(v, key))
			return sbx_str_of(k, "region");
	}
	return NULL;
}

bool sbx_parse_id(const char *s, int64_t *id)
{
	char *end;
	long long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < 1)
		return false;
	*id = v;
	return true;
}

void sbx_now_rfc3339(char out[32])
{
	struct timespec ts;
	struct tm tm;
	char date[20];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	if (!strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm))
		snprintf(date, sizeof(date), "1970-01-01T00:00:00");
	snprintf(out, 32, "%s.%03dZ", date, (int)(ts.tv_nsec / 1000000));
}

/* ---- checking a data file ---- */

struct check {
	char *err;
	size_t errlen;
	struct json_object *root;
	int64_t max_id;
	int64_t *org_ids, *type_ids; /* sorted, for references */
	size_t orgs, types;
};

#if defined(__GNUC__)
__attribute__((format(printf, 4, 5)))
#endif
static int
refuse(struct check *c, const char *where, struct json_object *entry,
       const char *fmt, ...)
{
	char why[256];
	va_list ap;
	int64_t id = entry ? sbx_id_of(entry) : -1;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (id > 0)
		snprintf(c->err, c->errlen, "%s (id %" PRId64 "): %s", where,
		         id, why);
	else
		snprintf(c->err, c->errlen, "%s: %s", where, why);
	return XDR_EINVAL;
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (; s && *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

/* Member KEY must be absent, null or of TYPE. */
static bool optional_type(struct json_object *o, const char *key,
                          json_type type)
{
	struct json_object *v;

	return !json_object_object_get_ex(o, key, &v) || !v ||
	       json_object_is_type(v, type);
}

static int fill_string(struct json_object *o, const char *key,
                       const char *value)
{
	if (json_object_object_get_ex(o, key, NULL))
		return XDR_OK;
	return json_object_object_add(o, key, json_object_new_string(value))
	               ? XDR_ENOMEM
	               : XDR_OK;
}

static int fill_times(struct json_object *o)
{
	if (fill_string(o, "created-at", SBX_DEFAULT_TIME) ||
	    fill_string(o, "updated-at", SBX_DEFAULT_TIME))
		return XDR_ENOMEM;
	return XDR_OK;
}

static int compare_ids(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The ids of ARRAY, sorted, for duplicate checks and lookups. */
static int64_t *sorted_ids(struct json_object *array, size_t *count)
{
	size_t n = json_object_array_length(array);
	int64_t *ids = malloc((n ? n : 1) * sizeof(*ids));

	if (!ids)
		return NULL;
	for (size_t i = 0; i < n; i++)
		ids[i] = sbx_id_of(json_object_array_get_idx(array, i));
	qsort(ids, n, sizeof(*ids), compare_ids);
	*count = n;
	return ids;
}

static bool has_id(const int64_t *ids, size_t n, int64_t id)
{
	return bsearch(&id, ids, n, sizeof(*ids), compare_ids) != NULL;
}

/* Each entry of ARRAY an object with a positive id, unique in ARRAY. */
static int check_ids(struct check *c, const char *name,
                     struct json_object *array)
{
	size_t n = json_object_array_length(array), count;
	char where[96];
	int64_t *ids;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(array, i);

		snprintf(where, sizeof(where), "%s[%zu]", name, i);
		if (!json_object_is_type(o, json_type_object))
			return refuse(c, where, NULL, "not an object");
		if (sbx_id_of(o) < 1)
			return refuse(c, where, NULL,
			              "\"id\" must be a positive integer");
		if (fill_times(o))
			return XDR_ENOMEM;
	}
	ids = sorted_ids(array, &count);
	if (!ids)
		return XDR_ENOMEM;
	for (size_t i = 1; i < count; i++) {
		if (ids[i] != ids[i - 1])
			continue;
		for (size_t k = 0, seen = 0; k < n; k++) {
			struct json_object *o =
			        json_object_array_get_idx(array, k);

			if (sbx_id_of(o) == ids[i] && seen++) {
				int64_t dup = ids[i];

				free(ids);
				snprintf(where, sizeof(where), "%s[%zu]", name,
				         k);
				return refuse(c, where, o,
				              "id %" PRId64 " is used twice",
				              dup);
			}
		}
	}
	free(ids);
	return XDR_OK;
}

/* An optional nested array of objects with ids (interfaces, fields...). */
static int nested_array(struct check *c, const char *where,
                        struct json_object *o, const char *key,
                        struct json_object **out)
{
	char inner[128];

	*out = NULL;
	if (!json_object_object_get_ex(o, key, out) || !*out)
		return XDR_OK;
	if (!json_object_is_type(*out, json_type_array))
		return refuse(c, where, o, "\"%s\" must be an array", key);
	snprintf(inner, sizeof(inner), "%s.%s", where, key);
	return check_ids(c, inner, *out);
}

static struct json_object *collection(struct check *c, const char *name)
{
	struct json_object *a = NULL;

	json_object_object_get_ex(c->root, name, &a);
	return a;
}

static int check_org_ref(struct check *c, const char *where,
                         struct json_object *o)
{
	int64_t org = sbx_int_of(o, "organization-id");

	if (org < 1)
		return refuse(c, where, o,
		              "\"organization-id\" must be an integer");
	if (!has_id(c->org_ids, c->orgs, org))
		return refuse(c, where, o,
		              "organization-id %" PRId64 " does not exist",
		              org);
	return XDR_OK;
}

static int check_api_keys(struct check *c, struct json_object *keys)
{
	static const char *const regions[] = {"us", "eu", "au", NULL};
	size_t n = json_object_array_length(keys);
	char where[64];

	for (size_t i = 0; i < n; i++) {
		struct json_object *k = json_object_array_get_idx(keys, i);
		const char *key = sbx_str_of(k, "key");

		snprintf(where, sizeof(where), "api_keys[%zu]", i);
		if (!key || !*key)
			return refuse(c, where, NULL,
			              "\"key\" must be a non-empty string");
		if (!is_one_of(sbx_str_of(k, "region"), regions))
			return refuse(c, where, NULL,
			              "\"region\" must be us, eu or au");
		for (size_t j = 0; j < i; j++)
			if (!strcmp(sbx_str_of(
			                    json_object_array_get_idx(keys, j),
			                    "key"),
			            key))
				return refuse(c, where, NULL,
				              "key %s is listed twice", key);
	}
	return XDR_OK;
}

static int check_organizations(struct check *c, struct json_object *a)
{
	size_t n = json_object_array_length(a);
	char where[64];

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		const char *name = sbx_str_of(o, "name");

		snprintf(where, sizeof(where), "organizations[%zu]", i);
		if (!name || !*name)
			return refuse(c, where, o,
			              "\"name\" must be a non-empty string");
	}
	return XDR_OK;
}

static int check_contacts(struct check *c, struct json_object *a)
{
	size_t n = json_object_array_length(a);
	char where[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct json_object *emails;

		snprintf(where, sizeof(where), "contacts[%zu]", i);
		if ((rc = check_org_ref(c, where, o)))
			return rc;
		if (!optional_type(o, "important", json_type_boolean))
			return refuse(c, where, o,
			              "\"important\" must be true, false "
			              "or null");
		if (!optional_type(o, "contact-emails", json_type_array))
			return refuse(c, where, o,
			              "\"contact-emails\" must be an array");
		if (json_object_object_get_ex(o, "contact-emails", &emails) &&
		    emails) {
			size_t m = json_object_array_length(emails);

			for (size_t k = 0; k < m; k++)
				if (!sbx_str_of(json_object_array_get_idx(
				                        emails, k),
				                "value"))
					return refuse(c, where, o,
					              "contact-emails[%zu] "
					              "has no \"value\"",
					              k);
		}
	}
	return XDR_OK;
}

static int check_configurations(struct check *c, struct json_object *a)
{
	size_t n = json_object_array_length(a);
	char where[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct json_object *ifaces;

		snprintf(where, sizeof(where), "configurations[%zu]", i);
		if ((rc = check_org_ref(c, where, o)))
			return rc;
		if (!sbx_str_of(o, "name"))
			return refuse(c, where, o, "\"name\" must be a string");
		if (!optional_type(o, "archived", json_type_boolean))
			return refuse(c, where, o,
			              "\"archived\" must be true or false");
		if ((rc = nested_array(c, where, o, "interfaces", &ifaces)))
			return rc;
	}
	return XDR_OK;
}

static int check_fields(struct check *c, const char *where,
                        struct json_object *type, struct json_object *fields)
{
	size_t n = json_object_array_length(fields);
	const char **keys = calloc(n + 1, sizeof(*keys));
	char key[SBX_NAME_KEY_SIZE];
	int rc = XDR_OK;

	if (!keys)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n && rc == XDR_OK; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);
		const char *name = sbx_str_of(f, "name");
		const char *nk = sbx_str_of(f, "name-key");

		if (!name || !*name) {
			rc = refuse(c, where, type,
			            "fields[%zu] has no \"name\"", i);
		} else if (!is_one_of(sbx_str_of(f, "kind"), field_kinds)) {
			rc = refuse(c, where, type,
			            "fields[%zu] (%s): unknown kind", i, name);
		} else if (!nk) {
			sbx_name_key_unique(name, keys, i, key, sizeof(key));
			if (json_object_object_add(f, "name-key",
			                           json_object_new_string(key)))
				rc = XDR_ENOMEM;
		}
		if (rc == XDR_OK) {
			keys[i] = sbx_str_of(f, "name-key");
			for (size_t k = 0; k < i; k++)
				if (!strcmp(keys[k], keys[i]))
					rc = refuse(c, where, type,
					            "name-key %s is used "
					            "twice",
					            keys[i]);
		}
	}
	free(keys);
	return rc;
}

static int check_types(struct check *c, struct json_object *a)
{
	size_t n = json_object_array_length(a);
	char where[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct json_object *fields;

		snprintf(where, sizeof(where), "flexible_asset_types[%zu]", i);
		if (!sbx_str_of(o, "name"))
			return refuse(c, where, o, "\"name\" must be a string");
		if ((rc = nested_array(c, where, o, "fields", &fields)))
			return rc;
		if (!fields) {
			fields = json_object_new_array();
			if (!fields ||
			    json_object_object_add(o, "fields", fields))
				return XDR_ENOMEM;
		}
		if ((rc = check_fields(c, where, o, fields)))
			return rc;
	}
	return XDR_OK;
}

static int check_assets(struct check *c, struct json_object *a)
{
	size_t n = json_object_array_length(a);
	char where[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(a, i);
		struct json_object *traits, *nested;
		int64_t type = sbx_int_of(o, "flexible-asset-type-id");

		snprintf(where, sizeof(where), "flexible_assets[%zu]", i);
		if ((rc = check_org_ref(c, where, o)))
			return rc;
		if (!has_id(c->type_ids, c->types, type))
			return refuse(c, where, o,
			              "flexible-asset-type-id %" PRId64
			              " does not exist",
			              type);
		if (!json_object_object_get_ex(o, "traits", &traits) ||
		    !traits) {
			if (json_object_object_add(o, "traits",
			                           json_object_new_object()))
				return XDR_ENOMEM;
		} else if (!json_object_is_type(traits, json_type_object)) {
			return refuse(c, where, o,
			              "\"traits\" must be an object");
		}
		if (!json_object_object_get_ex(o, "name", NULL)) {
			const char *title = sbx_traits_title(
			        sbx_find_by_id(collection(c, "flexible_asset_"
			                                     "types"),
			                       type),
			        traits ? traits
			               : json_object_object_get(o, "traits"));

			if (json_object_object_add(
			            o, "name",
			            json_object_new_string(title ? title : "")))
				return XDR_ENOMEM;
		}
		if ((rc = nested_array(c, where, o, "attachments", &nested)) ||
		    (rc = nested_array(c, where, o, "related-items", &nested)))
			return rc;
	}
	return XDR_OK;
}

/* Every "id" anywhere (uploads inside traits included) stays below next_id. */
static void find_max_id(struct json_object *o, int64_t *max)
{
	if (json_object_is_type(o, json_type_array)) {
		size_t n = json_object_array_length(o);

		for (size_t i = 0; i < n; i++)
			find_max_id(json_object_array_get_idx(o, i), max);
	} else if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, value)
		{
			if (!strcmp(key, "id") &&
			    json_object_is_type(value, json_type_int) &&
			    json_object_get_int64(value) > *max)
				*max = json_object_get_int64(value);
			find_max_id(value, max);
		}
	}
}

static int check_document(struct check *c)
{
	int rc;

	if (!json_object_is_type(c->root, json_type_object))
		return refuse(c, "the document", NULL, "not a JSON object");
	json_object_object_foreach(c->root, key, value)
	{
		if (!is_one_of(key, sbx_collections))
			return refuse(c, key, NULL, "unknown member");
		if (!json_object_is_type(value, json_type_array))
			return refuse(c, key, NULL, "must be an array");
	}
	for (const char *const *name = sbx_collections; *name; name++) {
		struct json_object *a = collection(c, *name);

		if (!a) {
			a = json_object_new_array();
			if (!a || json_object_object_add(c->root, *name, a))
				return XDR_ENOMEM;
		}
		if (strcmp(*name, "api_keys") && (rc = check_ids(c, *name, a)))
			return rc;
	}
	c->org_ids = sorted_ids(collection(c, "organizations"), &c->orgs);
	c->type_ids =
	        sorted_ids(collection(c, "flexible_asset_types"), &c->types);
	if (!c->org_ids || !c->type_ids)
		return XDR_ENOMEM;
	if ((rc = check_api_keys(c, collection(c, "api_keys"))) ||
	    (rc = check_organizations(c, collection(c, "organizations"))) ||
	    (rc = check_contacts(c, collection(c, "contacts"))) ||
	    (rc = check_configurations(c, collection(c, "configurations"))) ||
	    (rc = check_types(c, collection(c, "flexible_asset_types"))) ||
	    (rc = check_assets(c, collection(c, "flexible_assets"))))
		return rc;
	find_max_id(c->root, &c->max_id);
	return XDR_OK;
}

int sbx_store_load(struct sbx_store *s, struct json_object *doc, char *err,
                   size_t errlen)
{
	struct check c = {err, errlen, NULL, 0, NULL, NULL, 0, 0};
	int rc;

	if (json_object_deep_copy(doc, &c.root, NULL)) {
		snprintf(err, errlen, "out of memory");
		return XDR_ENOMEM;
	}
	rc = check_document(&c);
	free(c.org_ids);
	free(c.type_ids);
	if (rc != XDR_OK) {
		if (rc == XDR_ENOMEM)
			snprintf(err, errlen, "out of memory");
		json_object_put(c.root);
		return rc;
	}
	drop_columns(s);
	json_object_put(s->root);
	s->root = c.root;
	s->next_id = c.max_id + 1;
	return XDR_OK;
}

int sbx_store_load_file(struct sbx_store *s, const char *path, char *err,
                        size_t errlen)
{
	struct json_object *doc = json_object_from_file(path);
	char why[384];
	int rc;

	if (!doc) {
		snprintf(err, errlen, "%s: %s", path,
		         json_util_get_last_err() ? json_util_get_last_err()
		                                  : "cannot be read");
		/* json-c's message ends with a newline. */
		err[strcspn(err, "\n")] = '\0';
		return XDR_EINVAL;
	}
	rc = sbx_store_load(s, doc, why, sizeof(why));
	json_object_put(doc);
	if (rc != XDR_OK)
		snprintf(err, errlen, "%s: %s", path, why);
	return rc;
}

int sbx_store_save_file(const struct sbx_store *s, const char *path, char *err,
                        size_t errlen)
{
	size_t tlen = strlen(path) + 32;
	char *tmp = malloc(tlen);
	const char *text;
	size_t len;
	FILE *f;
	bool ok;

	if (!tmp) {
		snprintf(err, errlen, "out of memory");
		return XDR_ENOMEM;
	}
	snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
	text = json_object_to_json_string_length(
	        s->root,
	        JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
	                JSON_C_TO_STRING_NOSLASHESCAPE,
	        &len);
	f = fopen(tmp, "w");
	ok = f && text && fwrite(text, 1, len, f) == len &&
	     fputc('\n', f) != EOF && fflush(f) == 0 && fsync(fileno(f)) == 0;
	if (f && fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return XDR_ERROR;
	}
	free(tmp);
	return XDR_OK;
}

int sbx_store_copy(struct sbx_store *dst, const struct sbx_store *src)
{
	struct json_object *copy = NULL;

	if (src->root && json_object_deep_copy(src->root, &copy, NULL))
		return XDR_ENOMEM;
	drop_columns(dst);
	json_object_put(dst->root);
	dst->root = copy;
	dst->next_id = src->next_id;
	return XDR_OK;
}

int sbx_store_default_keys(struct sbx_store *s)
{
	static const char *const regions[] = {"us", "eu", "au"};
	struct json_object *keys = sbx_store_collection(s, "api_keys");
	char key[64];

	if (!keys || json_object_array_length(keys) > 0)
		return XDR_OK;
	for (size_t i = 0; i < 3; i++) {
		struct json_object *k = json_object_new_object();

		snprintf(key, sizeof(key), "ITG.sandbox-%s-0000000000000000",
		         regions[i]);
		if (!k ||
		    json_object_object_add(k, "key",
		                           json_object_new_string(key)) ||
		    json_object_object_add(
		            k, "region", json_object_new_string(regions[i])) ||
		    json_object_array_add(keys, k)) {
			json_object_put(k);
			return XDR_ENOMEM;
		}
	}
	return XDR_OK;
}
