/*
 * publish_check.c - may the reports of a group be published to IT Glue?
 * The itglue plugin says, through its action publish.check; without the
 * plugin the host cannot tell. The command line and the console both ask
 * before they turn "Publish report to the IT Glue" on.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "xdrhost.h"

#define JSON_MAX_DEPTH 32

/* Into err: the message of an {"error": {"message"}} answer, or words of
 * its own when the answer has none. */
static void refusal(const char *answer, struct xdr_err *err)
{
	struct json_object *obj = NULL, *error, *message;
	const char *why = "the IT Glue plugin refused";

	if (answer != NULL &&
	    xdr_json_parse(answer, strlen(answer), JSON_MAX_DEPTH, &obj,
	                   NULL) == XDR_OK &&
	    json_object_is_type(obj, json_type_object) &&
	    json_object_object_get_ex(obj, "error", &error) &&
	    json_object_object_get_ex(error, "message", &message) &&
	    json_object_is_type(message, json_type_string))
		why = json_object_get_string(message);
	xdr_errf(err, XDR_ERROR, "%s", why);
	json_object_put(obj);
}

int xdr_publish_check(struct xdr_plugins *set, const char *group, bool *checked,
                      char **answer, struct xdr_err *err)
{
	struct xdr_plugin_rec *rec = xdr_plugins_find(set, "itglue");
	struct json_object *req;
	char *response = NULL;
	int status;

	*checked = false;
	if (answer != NULL)
		*answer = NULL;
	if (rec == NULL || !rec->loaded || rec->stopped)
		return XDR_OK;
	req = json_object_new_object();
	if (req == NULL ||
	    json_object_object_add(req, "group",
	                           json_object_new_string(group)) != 0) {
		json_object_put(req);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	status = xdr_plugin_admin(rec, "publish.check",
	                          json_object_to_json_string(req), &response);
	json_object_put(req);
	*checked = true;
	if (status != XDR_OK)
		refusal(response, err);
	if (answer != NULL)
		*answer = response;
	else
		free(response);
	return status;
}
