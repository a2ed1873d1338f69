/*
 * admin_publish.c - the publishing actions: publish.check (may a report
 * configuration of this group ask for publishing?), publish (the seed's
 * "Publish to IT Glue" of the report list) and outbox.retry.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "host_groups.h"
#include "jobs.h"
#include "json_util.h"
#include "mapping_store.h"
#include "outbox_store.h"
#include "publish.h"
#include "publish_run.h"

#define ERR_MAX 512

static int answer_error(struct json_object **response, int rc, const char *code,
                        const char *message)
{
	*response = itg_admin_error(code, "%s", message);
	return rc;
}

int itg_admin_publish_check(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response)
{
	struct itg_groups groups;
	struct itg_instance inst;
	const struct itg_group *g = NULL;
	struct json_object *ref;
	char err[ERR_MAX];
	char *org = NULL;
	int rc;

	if (!json_object_object_get_ex(request, "group", &ref) ||
	    json_object_object_length(request) != 1)
		return answer_error(response, XDR_EINVAL, ITG_ADMIN_BAD_REQUEST,
		                    "publish.check takes {\"group\": name or "
		                    "id}");
	if (itg_host_groups(p, &groups) != XDR_OK)
		return answer_error(response, XDR_ERROR, ITG_ADMIN_INTERNAL,
		                    "cannot read the host's groups");
	g = json_object_is_type(ref, json_type_int)
	            ? itg_groups_by_id(&groups, json_object_get_int64(ref))
	            : itg_groups_by_name(&groups, json_object_get_string(ref));
	if (g == NULL) {
		itg_groups_clear(&groups);
		return answer_error(response, XDR_ENOTFOUND,
		                    ITG_ADMIN_NOT_FOUND,
		                    "no such Open XDR group");
	}
	rc = itg_publish_target(p, g->id, &inst, &org, err, sizeof(err));
	if (rc != XDR_OK) {
		char message[ERR_MAX + 300];

		snprintf(message, sizeof(message),
		         "reports of group \"%s\" cannot be published to IT "
		         "Glue: %s",
		         g->name, err);
		itg_groups_clear(&groups);
		return answer_error(response, rc,
		                    rc == XDR_ENOTFOUND ? "not_mapped"
		                                        : ITG_ADMIN_INTERNAL,
		                    message);
	}
	*response = json_object_new_object();
	itg_json_add(*response, "ok", json_object_new_boolean(1));
	itg_json_add(*response, "group", json_object_new_string(g->name));
	itg_json_add(*response, "instance", json_object_new_string(inst.name));
	itg_json_add(*response, "organization_id", json_object_new_string(org));
	free(org);
	itg_instance_clear(&inst);
	itg_groups_clear(&groups);
	return XDR_OK;
}

static int report_id_of(struct json_object *request, int64_t *id)
{
	struct json_object *v;

	if (!json_object_object_get_ex(request, "report_id", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_object_length(request) != 1)
		return XDR_EINVAL;
	*id = json_object_get_int64(v);
	return *id > 0 ? 0 : XDR_EINVAL;
}

/* The job of a manual publish: drain, then tell how the report ended. */
static int publish_task(struct itg_plugin *p, struct itg_job_ctx *ctx,
                        struct json_object *params, struct json_object **result)
{
	struct itg_outbox_row row;
	struct json_object *idv = NULL;
	char err[ERR_MAX];
	int64_t id;

	json_object_object_get_ex(params, "report_id", &idv);
	id = json_object_get_int64(idv);
	itg_publish_drain(p, ctx);
	*result = json_object_new_object();
	itg_json_add(*result, "report_id", json_object_new_int64(id));
	if (itg_outbox_get(p->store, id, &row, err, sizeof(err)) != XDR_OK) {
		itg_json_add(*result, "detail", json_object_new_string(err));
		return XDR_ERROR;
	}
	itg_json_add(*result, "state",
	             json_object_new_string(itg_outbox_state_name(row.state)));
	itg_json_add(*result, "file", json_object_new_string(row.file_name));
	if (row.asset_id != NULL)
		itg_json_add(*result, "asset_id",
		             json_object_new_string(row.asset_id));
	itg_json_add(*result, "attempts", json_object_new_int(row.attempts));
	if (row.state != ITG_OUTBOX_DONE)
		itg_json_add(*result, "detail",
		             json_object_new_string(
		                     row.last_error ? row.last_error
		                                    : "retrying later"));
	{
		int ok = row.state == ITG_OUTBOX_DONE;

		itg_outbox_row_clear(&row);
		return ok ? 0 : XDR_ERROR;
	}
}

/* publish and outbox.retry: queue the report again and drain as a job. */
static int requeue(struct itg_plugin *p, struct json_object *request,
                   struct json_object **response, const char *action)
{
	struct json_object *params;
	char err[ERR_MAX];
	int64_t id;
	int rc;

	if (report_id_of(request, &id) != 0) {
		snprintf(err, sizeof(err), "%s takes {\"report_id\": N}",
		         action);
		return answer_error(response, XDR_EINVAL, ITG_ADMIN_BAD_REQUEST,
		                    err);
	}
	rc = itg_publish_queue(p, id, true, err, sizeof(err));
	if (rc != XDR_OK)
		return answer_error(response, rc,
		                    rc == XDR_ENOTFOUND ? ITG_ADMIN_NOT_FOUND
		                    : rc == XDR_EBUSY   ? "busy"
		                                        : ITG_ADMIN_INTERNAL,
		                    err);
	params = json_object_new_object();
	itg_json_add(params, "report_id", json_object_new_int64(id));
	return itg_jobs_start_answer(p, "publish", publish_task, params,
	                             response);
}

int itg_admin_publish(struct itg_plugin *p, struct json_object *request,
                      struct json_object **response)
{
	return requeue(p, request, response, "publish");
}

int itg_admin_outbox_retry(struct itg_plugin *p, struct json_object *request,
                           struct json_object **response)
{
	struct itg_outbox_row row;
	char err[ERR_MAX];
	int64_t id;

	if (report_id_of(request, &id) == 0 &&
	    itg_outbox_get(p->store, id, &row, err, sizeof(err)) == XDR_OK) {
		bool failed = row.state == ITG_OUTBOX_FAILED;

		itg_outbox_row_clear(&row);
		if (!failed)
			return answer_error(response, XDR_EINVAL,
			                    ITG_ADMIN_BAD_REQUEST,
			                    "outbox.retry requeues a failed "
			                    "report; this one has not failed");
	}
	return requeue(p, request, response, "outbox.retry");
}
