/*
 * admin_import_preview.c - the action "import.preview": one page of what an
 * import with the same filter would bring, read from IT Glue and stored
 * nowhere, for the seed's "Import Selected" (the administrator picks the
 * ids, then runs import with "select"). It runs as a job: IT Glue may be
 * slow, and the host must not wait on the network.
 *
 * IT Glue pages by number, so a page starts at a multiple of its size. As
 * the import does, each record is checked against the filter again (IT
 * Glue ignores filters it does not know): those that do not match are not
 * listed, and counted as "skipped".
 */
#include <config.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "admin_list.h"
#include "client.h"
#include "import_filter.h"
#include "instance_client.h"
#include "instance_store.h"
#include "jobs.h"
#include "json_util.h"
#include "query.h"

#define ERR_MAX 512

/* An attribute that is text, or an integer shown as one. */
static int add_attr(struct json_object *o, const char *key,
                    struct json_object *attributes, const char *name)
{
	const char *s = itg_json_str(attributes, name);
	int64_t n;
	char digits[32];

	if (s == NULL && itg_json_int64(attributes, name, &n) == 0) {
		snprintf(digits, sizeof(digits), "%" PRId64, n);
		s = digits;
	}
	return itg_list_add_line(o, key, s);
}

static struct json_object *item(const struct itg_resource *r,
                                enum itg_feature feature)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = r->attributes;
	enum itg_tristate archived = ITG_TRI_NULL;
	int rc;

	rc = itg_list_add_line(o, "id", r->id) ||
	     add_attr(o, "name", a, "name");
	if (feature == ITG_FEATURE_ORGANIZATIONS)
		rc = rc || add_attr(o, "short_name", a, "short-name") ||
		     add_attr(o, "type", a, "organization-type-name") ||
		     add_attr(o, "status", a, "organization-status-name");
	else
		rc = rc ||
		     add_attr(o, "organization_id", a, "organization-id") ||
		     add_attr(o, "hostname", a, "hostname") ||
		     add_attr(o, "primary_ip", a, "primary-ip") ||
		     add_attr(o, "mac_address", a, "mac-address") ||
		     add_attr(o, "type", a, "configuration-type-name") ||
		     add_attr(o, "status", a, "configuration-status-name") ||
		     itg_json_add(
		             o, "archived",
		             json_object_new_boolean(archived == ITG_TRI_TRUE));
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The page's records that match, and the answer around them. */
static struct json_object *page_answer(const struct itg_doc *doc,
                                       const struct itg_import_filter *f,
                                       const struct itg_list_page *page,
                                       const char *instance)
{
	struct json_object *items = json_object_new_array();
	struct json_object *o;
	int64_t skipped = 0;

	for (size_t i = 0; items != NULL && i < doc->n_data; i++) {
		struct json_object *r;

		if (!itg_import_matches(f, &doc->data[i])) {
			skipped++;
			continue;
		}
		r = item(&doc->data[i], f->feature);
		if (r == NULL || json_object_array_add(items, r) != 0) {
			json_object_put(r);
			json_object_put(items);
			items = NULL;
		}
	}
	/* IT Glue's count of what its filters kept; unknown without meta. */
	o = itg_list_answer(
	        doc->paging.total_count >= 0 ? doc->paging.total_count : -1,
	        page, items);
	if (o != NULL && doc->paging.total_count < 0)
		json_object_object_add(o, "total", NULL);
	if (o == NULL || itg_list_add_line(o, "instance", instance) != 0 ||
	    itg_json_add(o, "feature",
	                 json_object_new_string(
	                         itg_feature_name(f->feature))) != 0 ||
	    itg_json_add(o, "skipped", json_object_new_int64(skipped)) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The page's query: the import's, then page[size] and page[number]. */
static int page_query(const struct itg_import_filter *f,
                      const struct itg_list_page *page, struct itg_query *q)
{
	char size[32], number[32];

	if (itg_import_query(f, 0, q) != 1)
		return XDR_ERANGE;
	snprintf(size, sizeof(size), "%" PRId64, page->limit);
	snprintf(number, sizeof(number), "%" PRId64,
	         page->offset / page->limit + 1);
	if (itg_query_add(q, "page[size]", size) != 0 ||
	    itg_query_add(q, "page[number]", number) != 0)
		return XDR_ERANGE;
	return 0;
}

static int preview_task(struct itg_plugin *p, struct itg_job_ctx *ctx,
                        struct json_object *params, struct json_object **result)
{
	struct itg_import_filter filter;
	struct itg_list_page page = {0, ITG_LIST_LIMIT_DEFAULT};
	struct itg_instance inst;
	struct itg_client *client = NULL;
	struct itg_doc *doc = NULL;
	struct itg_api_error e;
	struct itg_query q;
	struct json_object *ref = NULL, *answer = NULL;
	char err[ERR_MAX] = "";
	int rc;

	json_object_object_get_ex(params, "instance", &ref);
	rc = itg_import_filter_read(params, &filter, err, sizeof(err));
	if (rc == 0 && itg_list_page_read(params, &page, &answer) != XDR_OK) {
		snprintf(err, sizeof(err), "bad page");
		rc = XDR_EINVAL;
	}
	json_object_put(answer);
	if (rc == 0)
		rc = itg_instances_find(p->store, json_object_get_string(ref),
		                        &inst, err, sizeof(err));
	if (rc != 0) {
		itg_import_filter_clear(&filter);
		*result = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s", err);
		return rc;
	}
	rc = page_query(&filter, &page, &q);
	if (rc != 0)
		snprintf(err, sizeof(err), "the filter makes too long a query");
	if (rc == 0)
		rc = itg_instance_client(p, &inst, NULL, ctx, NULL, &client,
		                         err, sizeof(err));
	if (rc == 0) {
		rc = itg_client_get(client, itg_feature_path(filter.feature),
		                    &q, &doc, &e);
		if (rc != 0)
			snprintf(err, sizeof(err), "%s", e.message);
	}
	itg_client_free(client);
	if (rc == 0) {
		*result = page_answer(doc, &filter, &page, inst.name);
		if (*result == NULL) {
			snprintf(err, sizeof(err), "out of memory");
			rc = XDR_ENOMEM;
		}
	}
	if (rc != 0) {
		*result = json_object_new_object();
		itg_json_add(*result, "detail", json_object_new_string(err));
	}
	itg_doc_free(doc);
	itg_instance_clear(&inst);
	itg_import_filter_clear(&filter);
	return rc == 0 ? 0 : XDR_ERROR;
}

int itg_admin_import_preview(struct itg_plugin *p, struct json_object *request,
                             struct json_object **response)
{
	static const char *const members[] = {"instance", "feature", "filter",
	                                      "offset",   "limit",   NULL};
	struct itg_list_page page;
	int rc;

	rc = itg_list_members(request, members, "import.preview",
	                      "{instance, feature, filter?, offset?, limit?}",
	                      response);
	if (rc == XDR_OK)
		rc = itg_list_page_read(request, &page, response);
	if (rc == XDR_OK && page.offset % page.limit != 0) {
		*response = itg_admin_error(
		        ITG_ADMIN_BAD_REQUEST,
		        "\"offset\" must be a multiple of \"limit\": IT Glue "
		        "answers whole pages");
		rc = XDR_EINVAL;
	}
	if (rc == XDR_OK && page.offset / page.limit >= ITG_PAGES_MAX) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "\"offset\" is past the last page IT "
		                        "Glue may have");
		rc = XDR_EINVAL;
	}
	if (rc != XDR_OK)
		return rc;
	return itg_import_job_start(p, request, "import.preview", preview_task,
	                            response);
}
