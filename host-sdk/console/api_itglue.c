/*
 * api_itglue.c - every route under /api/itglue: a plugin request built from the
 * path, the query and the members of the body the action knows, then
 * xdr_plugin_admin() and the answer passed through, as "xdr-host admin
 * itglue ACTION" does.
 */
#include "config.h"

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#include "api_call.h"
#include "handlers.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The plugin's ids of IT Glue records and of jobs are positive integers. */
#define ID_MAX INT64_MAX

/* A request object, or NULL with a 500 reply. */
static struct json_object *new_request(struct xcon_reply *reply)
{
	struct json_object *req = json_object_new_object();

	if (req == NULL)
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
	return req;
}

/* {"instance": the path's :inst}, or NULL with a reply. */
static struct json_object *instance_request(const struct xcon_request *req,
                                            struct xcon_reply *reply)
{
	struct json_object *r = new_request(reply);

	if (r == NULL)
		return NULL;
	if (req->param == NULL || req->param[0] == '\0') {
		json_object_put(r);
		xcon_reply_error(reply, 400, "bad_request",
		                 "the path names no instance");
		return NULL;
	}
	if (!xcon_add(r, "instance", xcon_id_value(req->param), reply)) {
		json_object_put(r);
		return NULL;
	}
	return r;
}

/* The members of the body the action knows, added to r (released and NULL
 * on failure, with a reply). */
static struct json_object *with_body(struct json_object *r,
                                     const struct xcon_request *req,
                                     const struct xcon_member *members,
                                     size_t n, const char *what,
                                     struct xcon_reply *reply)
{
	struct json_object *body;

	if (r == NULL)
		return NULL;
	body = xcon_body_object(req, reply);
	if (body == NULL ||
	    !xcon_copy_members(r, body, members, n, what, reply)) {
		json_object_put(body);
		json_object_put(r);
		return NULL;
	}
	json_object_put(body);
	return r;
}

XCON_HANDLER(xcon_api_itglue_status)
{
	(void)req;
	xcon_call_itglue(c, reply, "status", NULL);
}

XCON_HANDLER(xcon_api_itglue_instances)
{
	(void)req;
	xcon_call_itglue(c, reply, "instance.list", NULL);
}

/* ---- instance.add and instance.update: the API key ---------------------- */

static const struct xcon_member instance_members[] = {
        {"name", XCON_STRING},      {"region", XCON_STRING},
        {"url", XCON_STRING},       {"api_key", XCON_STRING},
        {"ca_file", XCON_NULLABLE}, {"proxy", XCON_NULLABLE},
        {"rate", XCON_OBJECT},
};

/* Wipe a JSON string's bytes in place: json-c frees them unwiped. */
static void wipe_string(struct json_object *s)
{
	if (s != NULL && json_object_is_type(s, json_type_string))
		OPENSSL_cleanse((char *)json_object_get_string(s),
		                (size_t)json_object_get_string_len(s));
}

/* rate: {requests, seconds}, both integers, nothing else. */
static bool rate_ok(struct json_object *body, struct xcon_reply *reply)
{
	struct json_object *rate, *v;

	if (!json_object_object_get_ex(body, "rate", &rate))
		return true;
	if (json_object_is_type(rate, json_type_object) &&
	    json_object_object_length(rate) == 2 &&
	    json_object_object_get_ex(rate, "requests", &v) &&
	    json_object_is_type(v, json_type_int) &&
	    json_object_object_get_ex(rate, "seconds", &v) &&
	    json_object_is_type(v, json_type_int))
		return true;
	xcon_reply_error(reply, 400, "bad_request",
	                 "\"rate\" must be {\"requests\": integer, "
	                 "\"seconds\": integer}");
	return false;
}

/*
 * The key goes into the plugin's request and nowhere else: its parsed
 * string and the request's text are wiped after the call (the server wipes
 * the body), and an answer that would show it is refused.
 */
static void instance_write(struct xcon *c, const struct xcon_request *req,
                           struct xcon_reply *reply, const char *action,
                           struct json_object *r)
{
	struct xdr_plugin_rec *rec;
	struct json_object *body = NULL, *key = NULL;
	const char *text;
	char *answer = NULL;
	int status;

	if (r == NULL)
		goto out;
	body = xcon_body_object(req, reply);
	if (body == NULL)
		goto out;
	json_object_object_get_ex(body, "api_key", &key);
	if (!rate_ok(body, reply) ||
	    !xcon_copy_members(r, body, instance_members, N(instance_members),
	                       action, reply))
		goto out;
	rec = xcon_itglue(c, reply);
	if (rec == NULL)
		goto out;
	text = json_object_to_json_string_ext(
	        r, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		goto out;
	}
	status = xdr_plugin_admin(rec, action, text, &answer);
	OPENSSL_cleanse((char *)text, strlen(text));
	/* An empty key is in every text: nothing of it can be shown. */
	if (answer != NULL && key != NULL &&
	    json_object_is_type(key, json_type_string) &&
	    json_object_get_string_len(key) > 0 &&
	    strstr(answer, json_object_get_string(key)) != NULL) {
		OPENSSL_cleanse(answer, strlen(answer));
		free(answer);
		xcon_reply_error(reply, 500, "internal_error",
		                 "the plugin's answer to %s held the API key: "
		                 "it is not shown",
		                 action);
		goto out;
	}
	xcon_reply_plugin(reply, status, answer);
out:
	wipe_string(key);
	json_object_put(body);
	json_object_put(r);
}

XCON_HANDLER(xcon_api_itglue_instance_add)
{
	instance_write(c, req, reply, "instance.add", new_request(reply));
}

XCON_HANDLER(xcon_api_itglue_instance_update)
{
	instance_write(c, req, reply, "instance.update",
	               instance_request(req, reply));
}

XCON_HANDLER(xcon_api_itglue_instance_remove)
{
	struct json_object *r = instance_request(req, reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "instance.remove", r);
}

XCON_HANDLER(xcon_api_itglue_instance_groups)
{
	static const struct xcon_member members[] = {{"groups", XCON_IDS}};
	struct json_object *r =
	        with_body(instance_request(req, reply), req, members,
	                  N(members), "instance.groups", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "instance.groups", r);
}

XCON_HANDLER(xcon_api_itglue_instance_test)
{
	struct json_object *r = instance_request(req, reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "instance.test", r);
}

/* ---- import ------------------------------------------------------------- */

/* The import filters plugin/README lists; the plugin checks which feature
 * takes which. */
static const struct xcon_member filter_members[] = {
        {"name", XCON_STRINGS},
        {"organization_type_id", XCON_ID_LIST},
        {"organization_status_id", XCON_ID_LIST},
        {"organization_id", XCON_ID_LIST},
        {"configuration_type_id", XCON_ID_LIST},
        {"configuration_status_id", XCON_ID_LIST},
        {"archived", XCON_BOOL},
};

/* The body's filter, copied member by member into r. */
static bool copy_filter(struct json_object *r, struct json_object *body,
                        struct xcon_reply *reply)
{
	struct json_object *filter, *copy;

	if (!json_object_object_get_ex(body, "filter", &filter))
		return true;
	if (!json_object_is_type(filter, json_type_object)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"filter\" must be an object");
		return false;
	}
	copy = json_object_new_object();
	if (copy == NULL) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		return false;
	}
	if (!xcon_copy_members(copy, filter, filter_members, N(filter_members),
	                       "filter", reply)) {
		json_object_put(copy);
		return false;
	}
	return xcon_add(r, "filter", copy, reply);
}

/* select: "all" or an array of ids. */
static bool copy_select(struct json_object *r, struct json_object *body,
                        struct xcon_reply *reply)
{
	struct json_object *sel;

	if (!json_object_object_get_ex(body, "select", &sel))
		return true;
	if (!(json_object_is_type(sel, json_type_string) &&
	      strcmp(json_object_get_string(sel), "all") == 0) &&
	    !xcon_type_ok(sel, XCON_IDS)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"select\" must be \"all\" or an array of "
		                 "ids");
		return false;
	}
	return xcon_add(r, "select", json_object_get(sel), reply);
}

/* import and import.preview: {feature, filter?} and select (import) or
 * offset and limit (the preview). */
static void import_call(struct xcon *c, const struct xcon_request *req,
                        struct xcon_reply *reply, const char *action,
                        bool preview)
{
	static const struct xcon_member import_members[] = {
	        {"feature", XCON_STRING},
	        {"filter", XCON_SKIP},
	        {"select", XCON_SKIP},
	};
	static const struct xcon_member preview_members[] = {
	        {"feature", XCON_STRING},
	        {"filter", XCON_SKIP},
	        {"offset", XCON_INT},
	        {"limit", XCON_INT},
	};
	struct json_object *r = instance_request(req, reply), *body;
	bool ok;

	if (r == NULL)
		return;
	body = xcon_body_object(req, reply);
	if (body == NULL) {
		json_object_put(r);
		return;
	}
	ok = (preview ? xcon_copy_members(r, body, preview_members,
	                                  N(preview_members), action, reply)
	              : xcon_copy_members(r, body, import_members,
	                                  N(import_members), action, reply)) &&
	     copy_filter(r, body, reply) &&
	     (preview || copy_select(r, body, reply));
	json_object_put(body);
	if (ok)
		xcon_call_itglue(c, reply, action, r);
	else
		json_object_put(r);
}

XCON_HANDLER(xcon_api_itglue_import_preview)
{
	import_call(c, req, reply, "import.preview", true);
}

XCON_HANDLER(xcon_api_itglue_import)
{
	import_call(c, req, reply, "import", false);
}

/* ---- the lists ---------------------------------------------------------- */

/* A query value into r under key, when present (at most max bytes). */
static bool query_into(const struct xcon_request *req, struct json_object *r,
                       const char *key, size_t max, struct xcon_reply *reply)
{
	const char *v;

	if (!xcon_query_text(req, key, max, &v, reply))
		return false;
	if (v == NULL)
		return true;
	if (v[0] == '\0') {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"%s\" must not be empty", key);
		return false;
	}
	return xcon_add(r, key, json_object_new_string(v), reply);
}

XCON_HANDLER(xcon_api_itglue_imported)
{
	struct json_object *r = instance_request(req, reply);
	int64_t org = 0;

	if (r == NULL)
		return;
	if (!query_into(req, r, "feature", 32, reply) ||
	    !query_into(req, r, "q", XCON_QUERY_MAX, reply) ||
	    !xcon_query_int(req, "organization_id", 1, ID_MAX, &org, reply) ||
	    (org > 0 && !xcon_add(r, "organization_id",
	                          json_object_new_int64(org), reply)) ||
	    !xcon_query_page(req, r, NULL, NULL, reply)) {
		json_object_put(r);
		return;
	}
	xcon_call_itglue(c, reply, "imported.list", r);
}

XCON_HANDLER(xcon_api_itglue_mappings)
{
	struct json_object *r = instance_request(req, reply);
	const char *group;

	if (r == NULL)
		return;
	if (!query_into(req, r, "kind", 16, reply) ||
	    !xcon_query_text(req, "group", XDR_NAME_MAX_CHARS * 4, &group,
	                     reply) ||
	    (group != NULL &&
	     !xcon_add(r, "group", xcon_id_value(group), reply)) ||
	    !query_into(req, r, "state", 16, reply) ||
	    !query_into(req, r, "q", XCON_QUERY_MAX, reply) ||
	    !xcon_query_page(req, r, NULL, NULL, reply)) {
		json_object_put(r);
		return;
	}
	xcon_call_itglue(c, reply, "mappings", r);
}

XCON_HANDLER(xcon_api_itglue_outbox)
{
	struct json_object *r = new_request(reply);

	if (r == NULL)
		return;
	if (!query_into(req, r, "state", 16, reply) ||
	    !xcon_query_page(req, r, NULL, NULL, reply)) {
		json_object_put(r);
		return;
	}
	xcon_call_itglue(c, reply, "outbox.list", r);
}

/* ---- auto-map, jobs, mapping by hand ------------------------------------ */

XCON_HANDLER(xcon_api_itglue_automap)
{
	static const struct xcon_member members[] = {
	        {"instance", XCON_ID},  {"groups", XCON_IDS},
	        {"dry_run", XCON_BOOL}, {"reset_exclusions", XCON_BOOL},
	        {"full", XCON_BOOL},
	};
	struct json_object *r = with_body(new_request(reply), req, members,
	                                  N(members), "automap", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "automap", r);
}

/* {key: the path's param as a positive integer}, or NULL with a reply. */
static struct json_object *id_request(const struct xcon_request *req,
                                      const char *key, const char *what,
                                      struct xcon_reply *reply)
{
	struct json_object *r, *id = NULL;

	if (req->param != NULL)
		id = xcon_id_value(req->param);
	if (id == NULL || !json_object_is_type(id, json_type_int)) {
		json_object_put(id);
		xcon_reply_error(reply, 400, "bad_request",
		                 "%s must be a positive integer", what);
		return NULL;
	}
	r = new_request(reply);
	if (r == NULL || !xcon_add(r, key, id, reply)) {
		json_object_put(r);
		return NULL;
	}
	return r;
}

XCON_HANDLER(xcon_api_itglue_job)
{
	struct json_object *r = id_request(req, "id", "the job id", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "job", r);
}

XCON_HANDLER(xcon_api_itglue_map)
{
	static const struct xcon_member members[] = {
	        {"instance", XCON_ID},         {"group", XCON_ID},
	        {"organization_id", XCON_ID},  {"system", XCON_ID},
	        {"configuration_id", XCON_ID},
	};
	struct json_object *r = with_body(new_request(reply), req, members,
	                                  N(members), "map", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "map", r);
}

XCON_HANDLER(xcon_api_itglue_unmap)
{
	static const struct xcon_member members[] = {
	        {"instance", XCON_ID},
	        {"group", XCON_ID},
	        {"system", XCON_ID},
	};
	struct json_object *r = with_body(new_request(reply), req, members,
	                                  N(members), "unmap", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "unmap", r);
}

/* ---- publishing --------------------------------------------------------- */

XCON_HANDLER(xcon_api_itglue_publish_check)
{
	struct json_object *r;
	const char *group;

	if (!xcon_query_text(req, "group", XDR_NAME_MAX_CHARS * 4, &group,
	                     reply))
		return;
	if (group == NULL || group[0] == '\0') {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"group\" is required");
		return;
	}
	r = new_request(reply);
	if (r != NULL &&
	    xcon_add(r, "group", json_object_new_string(group), reply))
		xcon_call_itglue(c, reply, "publish.check", r);
	else
		json_object_put(r);
}

/* {"report_id": N} of the body, for publish and outbox.retry. */
static void report_call(struct xcon *c, const struct xcon_request *req,
                        struct xcon_reply *reply, const char *action)
{
	static const struct xcon_member members[] = {
	        {"report_id", XCON_INT},
	};
	struct json_object *r = with_body(new_request(reply), req, members,
	                                  N(members), action, reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, action, r);
}

XCON_HANDLER(xcon_api_itglue_publish)
{
	report_call(c, req, reply, "publish");
}

XCON_HANDLER(xcon_api_itglue_outbox_retry)
{
	report_call(c, req, reply, "outbox.retry");
}

/* ---- the plugin's settings ---------------------------------------------- */

XCON_HANDLER(xcon_api_itglue_config_get)
{
	(void)req;
	xcon_call_itglue(c, reply, "config.get", NULL);
}

XCON_HANDLER(xcon_api_itglue_config_put)
{
	/* The settings of plugin/admin_config.c; null resets one. */
	static const struct xcon_member members[] = {
	        {"region_url.us", XCON_NULLABLE},
	        {"region_url.eu", XCON_NULLABLE},
	        {"region_url.au", XCON_NULLABLE},
	        {"automap_interval_hours", XCON_SCALAR},
	        {"automap_full_pass_hours", XCON_SCALAR},
	        {"publish_max_attempts", XCON_SCALAR},
	        {"publish_max_age_hours", XCON_SCALAR},
	        {"report_expiry_days", XCON_SCALAR},
	        {"request_timeout_seconds", XCON_SCALAR},
	        {"msp_domains", XCON_STRINGS},
	        {"public_domains", XCON_STRINGS},
	        {"not_public_domains", XCON_STRINGS},
	};
	struct json_object *r = with_body(new_request(reply), req, members,
	                                  N(members), "config.set", reply);

	if (r != NULL)
		xcon_call_itglue(c, reply, "config.set", r);
}
