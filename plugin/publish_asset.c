/*
 * publish_asset.c - one report as a flexible asset of the reports' type:
 * its request body, finding it, creating it, relating it to configurations.
 */
#include <config.h>

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include <xdr/plugin.h>

#include "json_util.h"
#include "publish_asset.h"

#define ASSETS_PATH "/flexible_assets"

/* Ids of duplicates named in a message, at most. */
#define DUPLICATES_SHOWN 5

static const char frame_tail[] = "}}}}";

/* S as a JSON string, quotes included; NULL when memory runs out. */
static char *quote(const char *s)
{
	struct json_object *o = json_object_new_string(s);
	char *q = itg_json_to_string(o);

	json_object_put(o);
	return q;
}

static bool keys_ok(const struct itg_publish_type *type)
{
	if (type == NULL || type->id <= 0)
		return false;
	for (size_t i = 0; i < ITG_REPORT_FIELDS; i++)
		if (type->key[i] == NULL || *type->key[i] == '\0')
			return false;
	return true;
}

int itg_publish_frame(const struct itg_publish_type *type,
                      int64_t organization_id, const char *title,
                      int64_t generated_at, unsigned int expiry_days,
                      char **head, char **tail)
{
	char generated[ITG_DATE_SIZE], expiry[ITG_DATE_SIZE];
	char *q[ITG_REPORT_FIELDS + 3] = {NULL};
	int rc = XDR_ENOMEM, n;

	if (head == NULL || tail == NULL)
		return XDR_EINVAL;
	*head = NULL;
	*tail = NULL;
	if (!keys_ok(type) || organization_id <= 0 || title == NULL ||
	    *title == '\0' || itg_report_date(generated_at, generated) != 0 ||
	    itg_report_expiry(generated_at, expiry_days, expiry) != 0)
		return XDR_EINVAL;
	for (size_t i = 0; i < ITG_REPORT_FIELDS; i++)
		q[i] = quote(type->key[i]);
	q[ITG_REPORT_FIELDS] = quote(title);
	q[ITG_REPORT_FIELDS + 1] = quote(generated);
	q[ITG_REPORT_FIELDS + 2] = quote(expiry);
	for (size_t i = 0; i < ITG_REPORT_FIELDS + 3; i++)
		if (q[i] == NULL)
			goto out;
#define HEAD_FORMAT                                                            \
	"{\"data\":{\"type\":\"flexible-assets\",\"attributes\":{"             \
	"\"organization-id\":%" PRId64 ",\"flexible-asset-type-id\":%" PRId64  \
	",\"traits\":{%s:%s,%s:%s,%s:%s,%s:"
#define HEAD_ARGS                                                              \
	organization_id, type->id, q[ITG_FIELD_REPORT_NAME],                   \
	        q[ITG_REPORT_FIELDS], q[ITG_FIELD_GENERATION_DATE],            \
	        q[ITG_REPORT_FIELDS + 1], q[ITG_FIELD_EXPIRY_DATE],            \
	        q[ITG_REPORT_FIELDS + 2], q[ITG_FIELD_REPORT_FILE]
	n = snprintf(NULL, 0, HEAD_FORMAT, HEAD_ARGS);
	if (n < 0)
		goto out;
	*head = malloc((size_t)n + 1);
	*tail = strdup(frame_tail);
	if (*head == NULL || *tail == NULL) {
		free(*head);
		free(*tail);
		*head = NULL;
		*tail = NULL;
		goto out;
	}
	snprintf(*head, (size_t)n + 1, HEAD_FORMAT, HEAD_ARGS);
#undef HEAD_FORMAT
#undef HEAD_ARGS
	rc = 0;
out:
	for (size_t i = 0; i < ITG_REPORT_FIELDS + 3; i++)
		free(q[i]);
	return rc;
}

int itg_publish_prepare(const struct itg_publish_type *type,
                        int64_t organization_id,
                        const struct itg_report *report,
                        struct itg_upload *upload, struct itg_api_error *err)
{
	char name[ITG_REPORT_FILE_NAME_MAX], msg[ITG_APIERROR_MAX];
	char *head = NULL, *tail = NULL;
	int rc;

	if (upload != NULL)
		memset(upload, 0, sizeof(*upload));
	if (err == NULL)
		return XDR_EINVAL;
	memset(err, 0, sizeof(*err));
	if (upload == NULL || report == NULL || report->html_path == NULL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "a report needs its file and a result");
		return XDR_EINVAL;
	}
	rc = itg_report_file_name(report->title, report->report_id,
	                          report->generated_at, name, sizeof(name));
	if (rc == 0)
		rc = itg_publish_frame(type, organization_id, report->title,
		                       report->generated_at,
		                       report->expiry_days, &head, &tail);
	if (rc == XDR_ENOMEM) {
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0,
		                 "out of memory");
		return rc;
	}
	if (rc != 0) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "report %" PRId64 " cannot be published: it "
		                 "needs a title, a positive id, a generation "
		                 "time and an expiry within years 1970..9999, "
		                 "an organization and the type's four keys",
		                 report->report_id);
		return XDR_EINVAL;
	}
	rc = itg_upload_build(report->html_path, name, head, tail, 0, upload,
	                      msg, sizeof(msg));
	free(head);
	free(tail);
	if (rc == XDR_ERANGE)
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_TOO_LARGE, 0, "%s",
		                 msg);
	else if (rc == XDR_ENOMEM)
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0, "%s",
		                 msg);
	else if (rc != 0)
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0, "%s",
		                 msg);
	if (rc == XDR_ERANGE || rc == XDR_ERROR)
		rc = XDR_ERROR;
	return rc;
}

static bool names_file(struct json_object *v, const char *file_name)
{
	const char *s;

	if (json_object_is_type(v, json_type_string))
		return strcmp(json_object_get_string(v), file_name) == 0;
	if (!json_object_is_type(v, json_type_object))
		return false;
	s = itg_json_str(v, "name");
	if (s != NULL && strcmp(s, file_name) == 0)
		return true;
	s = itg_json_str(v, "file_name");
	return s != NULL && strcmp(s, file_name) == 0;
}

bool itg_upload_trait_holds(struct json_object *value, const char *file_name)
{
	size_t n;

	if (value == NULL || file_name == NULL)
		return false;
	if (!json_object_is_type(value, json_type_array))
		return names_file(value, file_name);
	n = json_object_array_length(value);
	for (size_t i = 0; i < n; i++)
		if (names_file(json_object_array_get_idx(value, i), file_name))
			return true;
	return false;
}

/* Does the member KEY of A, when present, equal WANT? */
static bool same_id_or_absent(struct json_object *a, const char *key,
                              int64_t want)
{
	int64_t v;
	int rc = itg_json_int64(a, key, &v);

	return rc == XDR_ENOTFOUND || (rc == 0 && v == want);
}

bool itg_publish_asset_matches(const struct itg_resource *r,
                               const struct itg_publish_type *type,
                               int64_t organization_id, const char *file_name)
{
	struct json_object *traits, *value;

	if (r == NULL || type == NULL || file_name == NULL ||
	    type->key[ITG_FIELD_REPORT_FILE] == NULL)
		return false;
	if (!same_id_or_absent(r->attributes, "flexible-asset-type-id",
	                       type->id) ||
	    !same_id_or_absent(r->attributes, "organization-id",
	                       organization_id))
		return false;
	if (!json_object_object_get_ex(r->attributes, "traits", &traits) ||
	    !json_object_object_get_ex(traits, type->key[ITG_FIELD_REPORT_FILE],
	                               &value))
		return false;
	return itg_upload_trait_holds(value, file_name);
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

struct finding {
	const struct itg_publish_type *type;
	int64_t organization_id;
	const char *file_name;
	size_t count;
	int64_t ids[DUPLICATES_SHOWN];
};

static int found_one(void *user, const struct itg_resource *r,
                     const struct itg_doc *doc)
{
	struct finding *f = user;
	int64_t id;

	(void)doc;
	if (!itg_publish_asset_matches(r, f->type, f->organization_id,
	                               f->file_name) ||
	    parse_id(r->id, &id) != 0)
		return 0;
	if (f->count < DUPLICATES_SHOWN)
		f->ids[f->count] = id;
	f->count++;
	return 0;
}

static void several(const struct finding *f, struct itg_api_error *err)
{
	char ids[DUPLICATES_SHOWN * 24 + 8] = "";
	size_t len = 0;

	for (size_t i = 0; i < f->count && i < DUPLICATES_SHOWN; i++)
		len += (size_t)snprintf(ids + len, sizeof(ids) - len,
		                        "%s%" PRId64, i > 0 ? ", " : "",
		                        f->ids[i]);
	if (f->count > DUPLICATES_SHOWN)
		snprintf(ids + len, sizeof(ids) - len, ", ...");
	itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_INVALID, 0,
	                 "%zu flexible assets of organization %" PRId64
	                 " hold the report file %s (ids %s): delete the "
	                 "extra ones in IT Glue",
	                 f->count, f->organization_id, f->file_name, ids);
}

int itg_publish_find(struct itg_client *c, const struct itg_publish_type *type,
                     int64_t organization_id, const char *title,
                     const char *file_name, int64_t *asset_id,
                     struct itg_api_error *err)
{
	struct finding f;
	struct itg_query q;
	char type_id[24], org_id[24];
	const char *v[1];
	int rc;

	if (asset_id != NULL)
		*asset_id = 0;
	if (err == NULL)
		return XDR_EINVAL;
	memset(err, 0, sizeof(*err));
	if (c == NULL || !keys_ok(type) || organization_id <= 0 ||
	    file_name == NULL || *file_name == '\0' || asset_id == NULL) {
		itg_apierror_set(
		        err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		        "finding a report needs a client, the type, an "
		        "organization and a file name");
		return XDR_EINVAL;
	}
	snprintf(type_id, sizeof(type_id), "%" PRId64, type->id);
	snprintf(org_id, sizeof(org_id), "%" PRId64, organization_id);
	itg_query_init(&q);
	v[0] = type_id;
	rc = itg_query_filter(&q, "flexible_asset_type_id", v, 1);
	v[0] = org_id;
	if (rc == 0)
		rc = itg_query_filter(&q, "organization_id", v, 1);
	v[0] = title;
	/* Only then is an asset's name its report's title. */
	if (rc == 0 && title != NULL && *title != '\0' &&
	    type->report_name_is_title)
		rc = itg_query_filter(&q, "name", v, 1);
	if (rc != 0) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "the report's title does not fit in a query");
		return XDR_EINVAL;
	}
	memset(&f, 0, sizeof(f));
	f.type = type;
	f.organization_id = organization_id;
	f.file_name = file_name;
	rc = itg_client_list(c, ASSETS_PATH, &q, 0, NULL, found_one, &f, err);
	if (rc != 0)
		return rc;
	if (f.count > 1) {
		several(&f, err);
		return XDR_ERROR;
	}
	if (f.count == 1)
		*asset_id = f.ids[0];
	return 0;
}

int itg_publish_create(struct itg_client *c, const struct itg_upload *upload,
                       int64_t *asset_id, struct itg_api_error *err)
{
	struct itg_doc *doc = NULL;
	int rc;

	if (asset_id != NULL)
		*asset_id = 0;
	if (err == NULL)
		return XDR_EINVAL;
	memset(err, 0, sizeof(*err));
	if (c == NULL || upload == NULL || upload->body == NULL ||
	    asset_id == NULL) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "creating a report needs a client, a prepared "
		                 "upload and a result");
		return XDR_EINVAL;
	}
	rc = itg_client_post(c, ASSETS_PATH, upload->body, &doc, err);
	if (rc != 0)
		return rc;
	if (doc == NULL || doc->n_data != 1 ||
	    parse_id(doc->data[0].id, asset_id) != 0) {
		*asset_id = 0;
		itg_apierror_set(
		        err, ITG_RETRY, ITG_ERR_BAD_RESPONSE, 0,
		        "IT Glue accepted the report %s without saying "
		        "the asset's id: find it before sending it again",
		        upload->file_name);
		rc = XDR_ERROR;
	}
	itg_doc_free(doc);
	return rc;
}

/* NEEDLE in HAYSTACK, ignoring ASCII case. */
static bool contains_word(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack != '\0'; haystack++) {
		size_t i = 0;

		while (i < n && haystack[i] != '\0' &&
		       tolower((unsigned char)haystack[i]) ==
		               tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

bool itg_publish_already_related(const struct itg_api_error *e)
{
	return e != NULL && e->status == 422 &&
	       contains_word(e->message, "already");
}

static char *relate_body(int64_t configuration_id, const char *notes)
{
	struct json_object *root = json_object_new_object();
	struct json_object *data, *attrs;
	char id[24];
	char *text = NULL;

	snprintf(id, sizeof(id), "%" PRId64, configuration_id);
	if (root == NULL)
		return NULL;
	data = json_object_new_object();
	if (itg_json_add(root, "data", data) ||
	    itg_json_add(data, "type", json_object_new_string("related_items")))
		goto out;
	attrs = json_object_new_object();
	if (itg_json_add(data, "attributes", attrs) ||
	    itg_json_add(attrs, "destination_id", json_object_new_string(id)) ||
	    itg_json_add(attrs, "destination_type",
	                 json_object_new_string("Configuration")))
		goto out;
	if (notes != NULL &&
	    itg_json_add(attrs, "notes", json_object_new_string(notes)))
		goto out;
	text = itg_json_to_string(root);
out:
	json_object_put(root);
	return text;
}

int itg_publish_relate(struct itg_client *c, int64_t asset_id,
                       int64_t configuration_id, const char *notes,
                       bool *already, struct itg_api_error *err)
{
	struct itg_doc *doc = NULL;
	char path[96];
	char *body;
	int rc;

	if (already != NULL)
		*already = false;
	if (err == NULL)
		return XDR_EINVAL;
	memset(err, 0, sizeof(*err));
	if (c == NULL || asset_id <= 0 || configuration_id <= 0) {
		itg_apierror_set(err, ITG_PERMANENT, ITG_ERR_CONFIG, 0,
		                 "relating needs a client, an asset and a "
		                 "configuration");
		return XDR_EINVAL;
	}
	body = relate_body(configuration_id, notes);
	if (body == NULL) {
		itg_apierror_set(err, ITG_RETRY, ITG_ERR_NO_MEMORY, 0,
		                 "out of memory");
		return XDR_ENOMEM;
	}
	snprintf(path, sizeof(path),
	         ASSETS_PATH "/%" PRId64 "/relationships/related_items",
	         asset_id);
	/* Repeatable: one that arrived twice is "already related". */
	rc = itg_client_post_repeatable(c, path, body, &doc, err);
	free(body);
	itg_doc_free(doc);
	if (rc != 0 && itg_publish_already_related(err)) {
		memset(err, 0, sizeof(*err));
		if (already != NULL)
			*already = true;
		rc = 0;
	}
	return rc;
}
