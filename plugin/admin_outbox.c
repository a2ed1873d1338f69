/*
 * admin_outbox.c - the action "outbox.list": a page of the outbox, the
 * latest change first, for the console's Outbox screen (status.outbox
 * gives only counts and the last failures) and, by report_ids, for the
 * IT Glue state of each report of a page of the Report Dashboard.
 */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "admin_list.h"
#include "json_util.h"
#include "outbox_store.h"

static struct json_object *row_object(const struct itg_outbox_row *r)
{
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "report_id", json_object_new_int64(r->report_id)) !=
	            0 ||
	    itg_json_add(o, "state",
	                 json_object_new_string(
	                         itg_outbox_state_name(r->state))) != 0 ||
	    itg_json_add(o, "attempts", json_object_new_int64(r->attempts)) !=
	            0 ||
	    itg_list_add_line(o, "asset_id", r->asset_id) != 0 ||
	    itg_list_add_line(o, "last_error", r->last_error) != 0 ||
	    itg_json_add(o, "next_attempt",
	                 json_object_new_int64(r->next_attempt)) != 0 ||
	    itg_json_add(o, "updated_at",
	                 json_object_new_int64(r->updated_at)) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* report_ids: 1 to ITG_OUTBOX_PAGE_IDS_MAX positive integers, into *ids
 * (malloc'd; NULL and 0 when absent). */
static int read_ids(struct json_object *request, int64_t **ids, size_t *n,
                    struct json_object **response)
{
	struct json_object *v;
	size_t len;

	*ids = NULL;
	*n = 0;
	if (!json_object_object_get_ex(request, "report_ids", &v))
		return XDR_OK;
	len = json_object_is_type(v, json_type_array)
	              ? json_object_array_length(v)
	              : 0;
	if (len == 0 || len > ITG_OUTBOX_PAGE_IDS_MAX)
		goto bad;
	*ids = malloc(len * sizeof(**ids));
	if (*ids == NULL) {
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory reading report_ids");
		return XDR_ENOMEM;
	}
	for (size_t i = 0; i < len; i++) {
		struct json_object *e = json_object_array_get_idx(v, i);

		if (!json_object_is_type(e, json_type_int) ||
		    json_object_get_int64(e) <= 0) {
			free(*ids);
			*ids = NULL;
			goto bad;
		}
		(*ids)[i] = json_object_get_int64(e);
	}
	*n = len;
	return XDR_OK;
bad:
	*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
	                            "\"report_ids\" must be an array of 1 "
	                            "to %d report ids (positive integers)",
	                            ITG_OUTBOX_PAGE_IDS_MAX);
	return XDR_EINVAL;
}

int itg_admin_outbox_list(struct itg_plugin *p, struct json_object *request,
                          struct json_object **response)
{
	static const char *const members[] = {"state", "report_ids", "offset",
	                                      "limit", NULL};
	struct itg_list_page page;
	struct itg_outbox_row *rows = NULL;
	struct json_object *items, *o;
	enum itg_outbox_state state;
	const char *state_name = NULL;
	int64_t total = 0, *ids = NULL;
	size_t n = 0, n_ids = 0;
	char err[512];
	int rc;

	rc = itg_list_members(request, members, "outbox.list",
	                      "{state?: \"pending\", \"working\", \"done\" or "
	                      "\"failed\", report_ids?: [ids], offset?, "
	                      "limit?}",
	                      response);
	if (rc == XDR_OK)
		rc = itg_list_text_member(request, "state", 16, &state_name,
		                          response);
	if (rc == XDR_OK && state_name != NULL &&
	    itg_outbox_state_parse(state_name, &state) != 0) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "\"state\" must be \"pending\", "
		                        "\"working\", \"done\" or \"failed\"");
		rc = XDR_EINVAL;
	}
	if (rc == XDR_OK)
		rc = itg_list_page_read(request, &page, response);
	if (rc == XDR_OK)
		rc = read_ids(request, &ids, &n_ids, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_outbox_page(p->store, state_name, ids, n_ids, page.offset,
	                     page.limit, &rows, &n, &total, err, sizeof(err));
	free(ids);
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
		        items != NULL ? row_object(&rows[i]) : NULL;

		if (items != NULL &&
		    (r == NULL || json_object_array_add(items, r) != 0)) {
			json_object_put(r);
			json_object_put(items);
			items = NULL;
		}
		itg_outbox_row_clear(&rows[i]);
	}
	free(rows);
	o = itg_list_answer(total, &page, items);
	if (o == NULL) {
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory answering "
		                            "outbox.list");
		return XDR_ENOMEM;
	}
	*response = o;
	return XDR_OK;
}
