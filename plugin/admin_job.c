/*
 * admin_job.c - the "job" action: the state, progress and result of a job
 * an earlier action started.
 */
#include <config.h>

#include <json.h>

#include "admin.h"
#include "jobs.h"

int itg_admin_job(struct itg_plugin *p, struct json_object *request,
                  struct json_object **response)
{
	struct json_object *id;
	char err[256];
	int rc;

	if (!json_object_object_get_ex(request, "id", &id) ||
	    !json_object_is_type(id, json_type_int) ||
	    json_object_object_length(request) != 1) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "job takes {\"id\": N}, the id an "
		                            "action answered");
		return XDR_EINVAL;
	}
	rc = itg_jobs_describe(p, json_object_get_int64(id), response, err,
	                       sizeof(err));
	if (rc != XDR_OK)
		*response = itg_admin_error(rc == XDR_ENOTFOUND
		                                    ? ITG_ADMIN_NOT_FOUND
		                                    : ITG_ADMIN_INTERNAL,
		                            "%s", err);
	return rc;
}
