/*
 * import_filter.c - what an import asks for: read, turned into a query, and
 * checked again on every record (pure: no I/O).
 */
#include <config.h>

#include "import_filter.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include <xdr/plugin.h>

#include "errbuf.h"

const char *itg_feature_name(enum itg_feature feature)
{
	switch (feature) {
	case ITG_FEATURE_ORGANIZATIONS:
		return "organizations";
	case ITG_FEATURE_CONFIGURATIONS:
		return "configurations";
	}
	return "?";
}

const char *itg_feature_path(enum itg_feature feature)
{
	return feature == ITG_FEATURE_ORGANIZATIONS ? "/organizations"
	                                            : "/configurations";
}

void itg_import_filter_clear(struct itg_import_filter *f)
{
	free(f->name);
	free(f->type_ids.ids);
	free(f->status_ids.ids);
	free(f->organization_ids.ids);
	free(f->select.ids);
	memset(f, 0, sizeof(*f));
}

/* A positive id: a JSON integer, or a string of digits (IT Glue's ids come
 * back as strings, so a user pasting one should not be refused). */
static bool read_id(struct json_object *v, int64_t *out)
{
	const char *s;
	char *end;
	long long n;

	if (json_object_is_type(v, json_type_int)) {
		*out = json_object_get_int64(v);
		return *out > 0;
	}
	if (!json_object_is_type(v, json_type_string))
		return false;
	s = json_object_get_string(v);
	if (s[0] < '0' || s[0] > '9')
		return false;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || n <= 0)
		return false;
	*out = n;
	return true;
}

/* One id or a list of ids into LIST, without duplicates. */
static int read_ids(struct json_object *v, const char *what,
                    struct itg_id_list *list, char *err, size_t errsize)
{
	size_t n = json_object_is_type(v, json_type_array)
	                   ? json_object_array_length(v)
	                   : 1;

	if (n == 0 || n > ITG_IMPORT_IDS_MAX) {
		itg_errf(err, errsize, "%s: give 1 to %d ids", what,
		         ITG_IMPORT_IDS_MAX);
		return XDR_EINVAL;
	}
	list->ids = calloc(n, sizeof(*list->ids));
	if (list->ids == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *item =
		        json_object_is_type(v, json_type_array)
		                ? json_object_array_get_idx(v, i)
		                : v;
		int64_t id;
		bool seen = false;

		if (!read_id(item, &id)) {
			itg_errf(err, errsize,
			         "%s: %s is not an IT Glue id (a positive "
			         "number)",
			         what, json_object_to_json_string(item));
			return XDR_EINVAL;
		}
		for (size_t j = 0; j < list->n; j++)
			seen = seen || list->ids[j] == id;
		if (!seen)
			list->ids[list->n++] = id;
	}
	return 0;
}

struct filter_key {
	const char *key;
	enum itg_feature feature; /* 0: both */
};

static const struct filter_key filter_keys[] = {
        {"name", 0},
        {"organization_type_id", ITG_FEATURE_ORGANIZATIONS},
        {"organization_status_id", ITG_FEATURE_ORGANIZATIONS},
        {"organization_id", ITG_FEATURE_CONFIGURATIONS},
        {"configuration_type_id", ITG_FEATURE_CONFIGURATIONS},
        {"configuration_status_id", ITG_FEATURE_CONFIGURATIONS},
        {"archived", ITG_FEATURE_CONFIGURATIONS},
};

static bool filter_known(enum itg_feature feature, const char *key)
{
	for (size_t i = 0; i < sizeof(filter_keys) / sizeof(filter_keys[0]);
	     i++) {
		if (strcmp(filter_keys[i].key, key) == 0)
			return filter_keys[i].feature == 0 ||
			       filter_keys[i].feature == feature;
	}
	return false;
}

static int read_filter_member(struct itg_import_filter *f, const char *key,
                              struct json_object *v, char *err, size_t errsize)
{
	if (strcmp(key, "name") == 0) {
		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0) {
			itg_errf(err, errsize,
			         "filter.name must be a non-empty string");
			return XDR_EINVAL;
		}
		f->name = strdup(json_object_get_string(v));
		return f->name != NULL ? 0 : XDR_ENOMEM;
	}
	if (strcmp(key, "archived") == 0) {
		if (!json_object_is_type(v, json_type_boolean)) {
			itg_errf(err, errsize,
			         "filter.archived must be true or false");
			return XDR_EINVAL;
		}
		f->archived = json_object_get_boolean(v) ? 1 : 0;
		return 0;
	}
	if (strcmp(key, "organization_id") == 0)
		return read_ids(v, "filter.organization_id",
		                &f->organization_ids, err, errsize);
	if (strstr(key, "_type_id") != NULL)
		return read_ids(v, "filter.type", &f->type_ids, err, errsize);
	return read_ids(v, "filter.status", &f->status_ids, err, errsize);
}

static int read_filter(struct json_object *filter, struct itg_import_filter *f,
                       char *err, size_t errsize)
{
	if (filter == NULL)
		return 0;
	if (!json_object_is_type(filter, json_type_object)) {
		itg_errf(err, errsize, "\"filter\" must be an object");
		return XDR_EINVAL;
	}
	json_object_object_foreach(filter, key, v)
	{
		int rc;

		if (!filter_known(f->feature, key)) {
			itg_errf(err, errsize,
			         "unknown filter \"%s\" for %s; the filters "
			         "are %s",
			         key, itg_feature_name(f->feature),
			         f->feature == ITG_FEATURE_ORGANIZATIONS
			                 ? "name, organization_type_id, "
			                   "organization_status_id"
			                 : "name, organization_id, "
			                   "configuration_type_id, "
			                   "configuration_status_id, archived");
			return XDR_EINVAL;
		}
		rc = read_filter_member(f, key, v, err, errsize);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int itg_import_filter_read(struct json_object *request,
                           struct itg_import_filter *out, char *err,
                           size_t errsize)
{
	struct json_object *feature = NULL, *filter = NULL, *select = NULL;
	const char *name;
	int rc;

	memset(out, 0, sizeof(*out));
	out->archived = -1;
	json_object_object_get_ex(request, "feature", &feature);
	name = json_object_is_type(feature, json_type_string)
	               ? json_object_get_string(feature)
	               : "";
	if (strcmp(name, "organizations") == 0) {
		out->feature = ITG_FEATURE_ORGANIZATIONS;
	} else if (strcmp(name, "configurations") == 0) {
		out->feature = ITG_FEATURE_CONFIGURATIONS;
	} else {
		itg_errf(err, errsize,
		         "\"feature\" must be \"organizations\" or "
		         "\"configurations\"");
		return XDR_EINVAL;
	}
	json_object_object_get_ex(request, "filter", &filter);
	rc = read_filter(filter, out, err, errsize);
	if (rc != 0)
		return rc;
	if (!json_object_object_get_ex(request, "select", &select) ||
	    (json_object_is_type(select, json_type_string) &&
	     strcmp(json_object_get_string(select), "all") == 0)) {
		out->select_all = true;
		return 0;
	}
	if (!json_object_is_type(select, json_type_array)) {
		itg_errf(err, errsize,
		         "\"select\" must be \"all\" or a list of IT Glue ids");
		return XDR_EINVAL;
	}
	return read_ids(select, "select", &out->select, err, errsize);
}

/* filter[KEY]=ids as a comma list. */
static int add_ids(struct itg_query *q, const char *key, const int64_t *ids,
                   size_t n)
{
	char buf[ITG_QUERY_MAX];
	size_t used = 0;

	if (n == 0)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(buf + used, sizeof(buf) - used, "%s%" PRId64,
		                 i > 0 ? "," : "", ids[i]);

		if (w < 0 || (size_t)w >= sizeof(buf) - used)
			return XDR_ERANGE;
		used += (size_t)w;
	}
	return itg_query_add(q, key, buf) < 0 ? XDR_ERANGE : 0;
}

int itg_import_query(const struct itg_import_filter *f, size_t pass,
                     struct itg_query *q)
{
	const bool orgs = f->feature == ITG_FEATURE_ORGANIZATIONS;
	size_t first = pass * ITG_IMPORT_IDS_PER_REQUEST;
	const char *names[1];
	int rc = 0;

	if (f->select_all ? pass > 0 : first >= f->select.n)
		return 0;
	itg_query_init(q);
	if (f->name != NULL) {
		names[0] = f->name;
		rc = itg_query_filter(q, "name", names, 1) < 0 ? XDR_ERANGE : 0;
	}
	if (rc == 0)
		rc = add_ids(q,
		             orgs ? "filter[organization_type_id]"
		                  : "filter[configuration_type_id]",
		             f->type_ids.ids, f->type_ids.n);
	if (rc == 0)
		rc = add_ids(q,
		             orgs ? "filter[organization_status_id]"
		                  : "filter[configuration_status_id]",
		             f->status_ids.ids, f->status_ids.n);
	if (rc == 0)
		rc = add_ids(q, "filter[organization_id]",
		             f->organization_ids.ids, f->organization_ids.n);
	if (rc == 0 && f->archived >= 0)
		rc = itg_query_add(q, "filter[archived]",
		                   f->archived ? "true" : "false") < 0
		             ? XDR_ERANGE
		             : 0;
	if (rc == 0 && !f->select_all) {
		size_t n = f->select.n - first;

		if (n > ITG_IMPORT_IDS_PER_REQUEST)
			n = ITG_IMPORT_IDS_PER_REQUEST;
		rc = add_ids(q, "filter[id]", f->select.ids + first, n);
	}
	if (rc == 0)
		rc = itg_query_add(q, "sort", "id") < 0 ? XDR_ERANGE : 0;
	if (rc == 0 && !orgs)
		rc = itg_query_add(q, "include", "configuration_interfaces") < 0
		             ? XDR_ERANGE
		             : 0;
	return rc < 0 ? rc : 1;
}

static bool in_list(const struct itg_id_list *list, int64_t id)
{
	for (size_t i = 0; i < list->n; i++) {
		if (list->ids[i] == id)
			return true;
	}
	return false;
}

/* Does the attribute KEY hold one of LIST (an empty list matches all)? */
static bool attr_in(struct json_object *attrs, const char *key,
                    const struct itg_id_list *list)
{
	int64_t v;

	if (list->n == 0)
		return true;
	return itg_json_int64(attrs, key, &v) == 0 && in_list(list, v);
}

bool itg_import_matches(const struct itg_import_filter *f,
                        const struct itg_resource *r)
{
	const bool orgs = f->feature == ITG_FEATURE_ORGANIZATIONS;
	struct json_object *a = r->attributes;
	const char *name = itg_json_str(a, "name");
	char *end;
	long long id = strtoll(r->id, &end, 10);

	if (strcmp(r->type, itg_feature_name(f->feature)) != 0 ||
	    *end != '\0' || id <= 0)
		return false;
	if (!f->select_all && !in_list(&f->select, id))
		return false;
	if (f->name != NULL && (name == NULL || strcasecmp(name, f->name) != 0))
		return false;
	if (!attr_in(a, orgs ? "organization-type-id" : "configuration-type-id",
	             &f->type_ids) ||
	    !attr_in(a,
	             orgs ? "organization-status-id"
	                  : "configuration-status-id",
	             &f->status_ids) ||
	    !attr_in(a, "organization-id", &f->organization_ids))
		return false;
	if (f->archived >= 0) {
		enum itg_tristate archived;

		if (itg_json_bool(a, "archived", &archived) != 0)
			return false;
		if ((archived == ITG_TRI_TRUE) != (f->archived == 1))
			return false;
	}
	return true;
}
