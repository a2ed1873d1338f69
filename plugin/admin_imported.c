/*
 * admin_imported.c - the action "imported.list": a page of the IT Glue
 * records an instance imported, the right pane of the Mapping page and the
 * list of the Import page.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "admin_list.h"
#include "import_lookup.h"
#include "instance.h"
#include "json_util.h"

#define USAGE                                                                  \
	"{instance, feature: \"organizations\" or \"configurations\", q?, "    \
	"organization_id?, offset?, limit?}"

static struct json_object *item(const struct itg_imported *r,
                                bool configurations)
{
	struct json_object *o = json_object_new_object();

	if (itg_list_add_line(o, "id", r->id) != 0 ||
	    itg_list_add_line(o, "name", r->name) != 0 ||
	    (!configurations &&
	     itg_list_add_line(o, "short_name", r->short_name) != 0) ||
	    (configurations &&
	     (itg_list_add_line(o, "organization_id", r->organization_id) !=
	              0 ||
	      itg_list_add_line(o, "organization", r->organization_name) != 0 ||
	      itg_list_add_line(o, "hostname", r->hostname) != 0 ||
	      itg_list_add_line(o, "primary_ip", r->primary_ip) != 0 ||
	      itg_list_add_line(o, "mac_address", r->mac_address) != 0)) ||
	    itg_list_add_line(o, "type", r->type_name) != 0 ||
	    itg_list_add_line(o, "status", r->status_name) != 0 ||
	    (configurations &&
	     itg_json_add(o, "archived",
	                  json_object_new_boolean(r->archived)) != 0)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The members feature, q and organization_id into *q. */
static int read_query(struct json_object *request, struct itg_imported_query *q,
                      struct json_object **response)
{
	struct itg_list_page page = {0, ITG_LIST_LIMIT_DEFAULT};
	const char *feature;
	int rc;

	memset(q, 0, sizeof(*q));
	rc = itg_list_text_member(request, "feature", 32, &feature, response);
	if (rc == XDR_OK &&
	    (feature == NULL || (strcmp(feature, "organizations") != 0 &&
	                         strcmp(feature, "configurations") != 0))) {
		*response = itg_admin_error(
		        ITG_ADMIN_BAD_REQUEST,
		        "\"feature\" must be \"organizations\" or "
		        "\"configurations\"");
		return XDR_EINVAL;
	}
	if (rc != XDR_OK)
		return rc;
	q->configurations = strcmp(feature, "configurations") == 0;
	rc = itg_list_text_member(request, "q", ITG_LIST_QUERY_MAX, &q->q,
	                          response);
	if (rc == XDR_OK) {
		struct json_object *v;

		/* An IT Glue id: digits, as a string or a number. */
		if (json_object_object_get_ex(request, "organization_id", &v) &&
		    v != NULL) {
			const char *s = json_object_get_string(v);

			if (!(json_object_is_type(v, json_type_string) ||
			      json_object_is_type(v, json_type_int)) ||
			    s[0] == '\0' || strlen(s) > 20 ||
			    strspn(s, "0123456789") != strlen(s)) {
				*response = itg_admin_error(
				        ITG_ADMIN_BAD_REQUEST,
				        "\"organization_id\" must be an IT "
				        "Glue id: 1 to 20 digits");
				return XDR_EINVAL;
			}
			q->organization_id = s;
		}
	}
	if (rc == XDR_OK)
		rc = itg_list_page_read(request, &page, response);
	q->offset = page.offset;
	q->limit = page.limit;
	return rc;
}

int itg_admin_imported_list(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response)
{
	static const char *const members[] = {
	        "instance", "feature", "q", "organization_id",
	        "offset",   "limit",   NULL};
	struct itg_imported_query q;
	struct itg_list_page page;
	struct itg_instance inst;
	struct itg_imported *rows = NULL;
	struct json_object *items, *o;
	int64_t total = 0;
	size_t n = 0;
	char err[512];
	int rc;

	rc = itg_list_members(request, members, "imported.list", USAGE,
	                      response);
	if (rc == XDR_OK)
		rc = read_query(request, &q, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_admin_instance_ref(p, request, &inst, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_imported_page(p->store, inst.id, &q, &rows, &n, &total, err,
	                       sizeof(err));
	itg_instance_clear(&inst);
	if (rc != 0) {
		*response =
		        itg_admin_error(rc == XDR_ENOMEM ? ITG_ADMIN_NO_MEMORY
		                                         : ITG_ADMIN_INTERNAL,
		                        "%s", err);
		return rc;
	}
	items = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		struct json_object *r =
		        items != NULL ? item(&rows[i], q.configurations) : NULL;

		if (items != NULL &&
		    (r == NULL || json_object_array_add(items, r) != 0)) {
			json_object_put(r);
			json_object_put(items);
			items = NULL;
		}
		itg_imported_clear(&rows[i]);
	}
	free(rows);
	page.offset = q.offset;
	page.limit = q.limit;
	o = itg_list_answer(total, &page, items);
	if (o == NULL ||
	    itg_json_add(o, "feature",
	                 json_object_new_string(
	                         q.configurations ? "configurations"
	                                          : "organizations")) != 0) {
		json_object_put(o);
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory answering "
		                            "imported.list");
		return XDR_ENOMEM;
	}
	*response = o;
	return XDR_OK;
}
