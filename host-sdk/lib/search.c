/*
 * search.c - saved searches: an event id and, optionally, field values that
 * the events' structured fields must hold, run over the event log; and the
 * events of the search a pack's report or dashboard names.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

bool xdr_search_match(const char *filter, const char *fields)
{
	struct json_object *want, *have;
	bool match = true;

	if (filter == NULL)
		return true;
	if (xdr_json_parse(filter, strlen(filter), 4, &want, NULL) != XDR_OK)
		return false;
	if (fields == NULL ||
	    xdr_json_parse(fields, strlen(fields), 4, &have, NULL) != XDR_OK) {
		json_object_put(want);
		return false;
	}
	json_object_object_foreach(want, name, value)
	{
		struct json_object *v;

		if (!json_object_object_get_ex(have, name, &v) ||
		    !json_object_is_type(v, json_type_string) ||
		    strcmp(json_object_get_string(v),
		           json_object_get_string(value)) != 0) {
			match = false;
			break;
		}
	}
	json_object_put(want);
	json_object_put(have);
	return match;
}

/* Keep the events that match; the others are freed. */
static void keep_matching(struct xdr_event_list *list, const char *filter)
{
	size_t kept = 0;

	for (size_t i = 0; i < list->n; i++) {
		struct xdr_event_rec *e = &list->items[i];

		if (xdr_search_match(filter, e->fields)) {
			list->items[kept++] = *e;
		} else {
			free(e->severity);
			free(e->source);
			free(e->category);
			free(e->description);
			free(e->fields);
		}
	}
	list->n = kept;
}

int xdr_search_run(struct xdr_db *db, const char *name,
                   struct xdr_event_list *out, struct xdr_err *err)
{
	struct json_object *obj, *id, *fields;
	char *body, *filter = NULL;
	uint32_t event_id = 0;
	int rc = xdr_kp_object_get(db, XDR_KP_SEARCH, name, &body, err);

	if (rc != XDR_OK)
		return rc;
	rc = xdr_json_parse(body, strlen(body), 16, &obj, err);
	free(body);
	if (rc != XDR_OK)
		return rc;
	if (json_object_object_get_ex(obj, "event_id", &id))
		event_id = (uint32_t)json_object_get_int64(id);
	if (json_object_object_get_ex(obj, "fields", &fields)) {
		filter = strdup(json_object_to_json_string_ext(
		        fields, JSON_C_TO_STRING_PLAIN));
		if (filter == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	json_object_put(obj);
	if (rc == XDR_OK && event_id == 0)
		rc = xdr_errf(err, XDR_EINVAL, "saved search has no event_id");
	if (rc == XDR_OK)
		rc = xdr_event_list(db, event_id, out, err);
	if (rc == XDR_OK)
		keep_matching(out, filter);
	free(filter);
	return rc;
}

int xdr_kp_events_of(struct xdr_db *db, const char *body,
                     struct xdr_event_list *out, struct xdr_err *err)
{
	struct json_object *obj, *ref;
	int rc = xdr_json_parse(body, strlen(body), 16, &obj, err);

	if (rc != XDR_OK)
		return rc;
	if (!json_object_object_get_ex(obj, "search", &ref))
		rc = xdr_errf(err, XDR_EINVAL, "the object names no search");
	else
		rc = xdr_search_run(db, json_object_get_string(ref), out, err);
	json_object_put(obj);
	return rc;
}
