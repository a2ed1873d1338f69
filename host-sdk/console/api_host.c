/*
 * api_host.c - the host's own data, as the command line's commands give
 * and change it: settings (setting get/set), plugins (plugin list), groups
 * (group list), systems (system list), report configurations (report
 * config add/set/list), reports (report generate/list) and the event log
 * (events).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api_call.h"
#include "handlers.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define REPORT_MAX_BYTES (32u * 1024 * 1024)

static void reply_oom(struct xcon_reply *reply)
{
	xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
}

/* The systems are paged by SQL and cannot be searched. */
static bool no_search(const struct xcon_request *req, struct xcon_reply *reply)
{
	if (xcon_query(req, "q") == NULL)
		return true;
	xcon_reply_error(reply, 400, "bad_request",
	                 "\"q\": this list cannot be searched");
	return false;
}

static const char *group_name(const void *item)
{
	return ((const struct xdr_group_rec *)item)->name;
}

static const char *config_name(const void *item)
{
	return ((const struct xdr_report_config_rec *)item)->name;
}

/* ---- settings ----------------------------------------------------------- */

/* The setting's definition, or NULL with a 404 listing the known keys. */
static const struct xdr_setting_def *setting_def(const char *key,
                                                 struct xcon_reply *reply)
{
	struct xdr_err err;

	if (key == NULL || xdr_setting_check(key, "", &err) == XDR_ENOTFOUND) {
		if (key == NULL)
			snprintf(err.msg, sizeof(err.msg), "no setting named");
		xcon_reply_error(reply, 404, "not_found", "%s", err.msg);
		return NULL;
	}
	for (size_t i = 0; i < xdr_setting_count(); i++)
		if (strcmp(xdr_setting_at(i)->key, key) == 0)
			return xdr_setting_at(i);
	xcon_reply_error(reply, 404, "not_found", "no setting named %s", key);
	return NULL;
}

/* {"key", "value", "label", "values"} */
static void reply_setting(struct xcon_reply *reply,
                          const struct xdr_setting_def *def, const char *value)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL ||
	    !xcon_add(o, "key", json_object_new_string(def->key), reply) ||
	    !xcon_add(o, "value", json_object_new_string(value), reply) ||
	    !xcon_add(o, "label", json_object_new_string(def->label), reply) ||
	    !xcon_add(o, "values", json_object_new_string(def->values),
	              reply)) {
		json_object_put(o);
		reply_oom(reply);
		return;
	}
	xcon_reply_json(reply, 200, o);
}

XCON_HANDLER(xcon_api_setting_get)
{
	const struct xdr_setting_def *def = setting_def(req->param, reply);
	struct xdr_err err;
	char *value;
	int rc;

	if (def == NULL)
		return;
	if ((rc = xdr_setting_get(xcon_runtime(c)->db, def->key, &value,
	                          &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	reply_setting(reply, def, value);
	free(value);
}

XCON_HANDLER(xcon_api_setting_put)
{
	static const struct xcon_member members[] = {{"value", XCON_STRING}};
	const struct xdr_setting_def *def = setting_def(req->param, reply);
	struct json_object *body, *known, *v;
	struct xdr_err err;
	int rc;

	if (def == NULL || (body = xcon_body_object(req, reply)) == NULL)
		return;
	known = json_object_new_object();
	if (known == NULL) {
		reply_oom(reply);
	} else if (xcon_copy_members(known, body, members, N(members),
	                             "a setting", reply)) {
		if (!json_object_object_get_ex(known, "value", &v)) {
			xcon_reply_error(reply, 400, "bad_request",
			                 "\"value\" is required");
		} else if ((rc = xdr_setting_check(def->key,
		                                   json_object_get_string(v),
		                                   &err)) != XDR_OK ||
		           (rc = xdr_setting_set(xcon_runtime(c)->db, def->key,
		                                 json_object_get_string(v),
		                                 &err)) != XDR_OK) {
			xcon_reply_err(reply, rc, &err);
		} else {
			reply_setting(reply, def, json_object_get_string(v));
		}
	}
	json_object_put(known);
	json_object_put(body);
}

/* ---- plugins, groups, systems ------------------------------------------- */

XCON_HANDLER(xcon_api_plugins)
{
	struct json_object *o;

	(void)req;
	o = xdr_json_plugins(xcon_plugins(c));
	if (o == NULL)
		reply_oom(reply);
	else
		xcon_reply_json(reply, 200, o);
}

/* What a list of groups or of report configurations, read whole (they are
 * few), gives reply_sliced(): a page of its rows rendered as JSON. */
typedef struct json_object *(*render_rows)(void *rows, size_t n);

static struct json_object *render_groups(void *rows, size_t n)
{
	struct xdr_group_list page = {rows, n};

	return xdr_json_groups(&page);
}

static struct json_object *render_configs(void *rows, size_t n)
{
	struct xdr_report_config_list page = {rows, n};

	return xdr_json_report_configs(&page);
}

/* The page of the n rows (each size bytes) whose name holds q, as
 * {"total", "offset", "limit", "items"}. */
static void reply_sliced(struct xcon_reply *reply, void *rows, size_t n,
                         size_t size, const char *(*name)(const void *),
                         const char *q, int64_t offset, int64_t limit,
                         render_rows render)
{
	struct json_object *items;
	int64_t total;
	size_t kept;
	void *cut = NULL;

	if (!xcon_slice(rows, n, size, name, q, offset, limit, &cut, &kept,
	                &total)) {
		reply_oom(reply);
	} else if ((items = render(cut, kept)) == NULL) {
		reply_oom(reply);
	} else {
		xcon_reply_json(reply, 200,
		                xdr_json_page(total, offset, limit, items));
	}
	free(cut);
}

XCON_HANDLER(xcon_api_groups)
{
	struct xdr_group_list list;
	struct xdr_err err;
	int64_t offset, limit;
	const char *q;
	int rc;

	if (!xcon_small_page(req, &offset, &limit, &q, reply))
		return;
	if ((rc = xdr_group_list(xcon_runtime(c)->db, &list, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	reply_sliced(reply, list.items, list.n, sizeof(list.items[0]),
	             group_name, q, offset, limit, render_groups);
	xdr_group_list_free(&list);
}

/* The id of the group named by s (its id or its name); false with a 404. */
static bool group_id(struct xcon *c, const char *s, int64_t *id,
                     struct xcon_reply *reply)
{
	struct xdr_group_list list;
	struct xdr_err err;
	char q[XDR_QUOTE_MAX];
	int rc;

	*id = 0;
	if ((rc = xdr_group_list(xcon_runtime(c)->db, &list, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return false;
	}
	for (size_t i = 0; *id == 0 && i < list.n; i++) {
		char digits[24];

		snprintf(digits, sizeof(digits), "%" PRId64, list.items[i].id);
		if (strcmp(list.items[i].name, s) == 0 ||
		    strcmp(digits, s) == 0)
			*id = list.items[i].id;
	}
	xdr_group_list_free(&list);
	if (*id == 0)
		xcon_reply_error(reply, 404, "not_found", "no group %s",
		                 xdr_quote(s, q, sizeof(q)));
	return *id != 0;
}

XCON_HANDLER(xcon_api_systems)
{
	struct xdr_system_list list;
	struct xdr_err err;
	int64_t offset, limit, total, gid = 0;
	const char *group;
	int rc;

	if (!no_search(req, reply) ||
	    !xcon_query_page(req, NULL, &offset, &limit, reply) ||
	    !xcon_query_text(req, "group", XDR_NAME_MAX_CHARS * 4, &group,
	                     reply))
		return;
	if (group != NULL && !group_id(c, group, &gid, reply))
		return;
	if ((rc = xdr_system_page(xcon_runtime(c)->db, gid, offset, limit,
	                          &list, &total, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	xcon_reply_json(
	        reply, 200,
	        xdr_json_page(total, offset, limit, xdr_json_systems(&list)));
	xdr_system_list_free(&list);
}

/* ---- report configurations ---------------------------------------------- */

XCON_HANDLER(xcon_api_report_configs)
{
	struct xdr_report_config_list list;
	struct xdr_err err;
	int64_t offset, limit;
	const char *q;
	int rc;

	if (!xcon_small_page(req, &offset, &limit, &q, reply))
		return;
	if ((rc = xdr_report_config_list(xcon_runtime(c)->db, &list, &err)) !=
	    XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	reply_sliced(reply, list.items, list.n, sizeof(list.items[0]),
	             config_name, q, offset, limit, render_configs);
	xdr_report_config_list_free(&list);
}

/*
 * Publishing on: the itglue plugin's publish.check first (report config
 * add/set's check_publish). A refusal is the reply (409 not_mapped, passed
 * through); without the plugin *warning says nothing was checked.
 */
static bool publish_allowed(struct xcon *c, const char *group, char **warning,
                            struct xcon_reply *reply)
{
	struct xdr_err err;
	char *answer = NULL;
	bool checked;
	int status;

	*warning = NULL;
	status = xdr_publish_check(xcon_plugins(c), group, &checked, &answer,
	                           &err);
	if (status != XDR_OK) {
		if (answer != NULL)
			xcon_reply_plugin(reply, status, answer);
		else
			xcon_reply_err(reply, status, &err);
		return false;
	}
	free(answer);
	if (!checked &&
	    asprintf(warning,
	             "the itglue plugin is not loaded: whether group \"%s\" "
	             "can be published to IT Glue was not checked",
	             group) < 0) {
		*warning = NULL;
		reply_oom(reply);
		return false;
	}
	return true;
}

/* A configuration as report config list gives it, with the warning. */
static void reply_config(struct xcon_reply *reply, unsigned status, int64_t id,
                         const char *name, const char *group, bool publish,
                         const char *warning)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL || !xcon_add(o, "id", json_object_new_int64(id), reply) ||
	    !xcon_add(o, "name", json_object_new_string(name), reply) ||
	    !xcon_add(o, "group", json_object_new_string(group), reply) ||
	    !xcon_add(o, "publish_itglue", json_object_new_boolean(publish),
	              reply) ||
	    (warning != NULL &&
	     !xcon_add(o, "warning", json_object_new_string(warning), reply))) {
		json_object_put(o);
		reply_oom(reply);
		return;
	}
	xcon_reply_json(reply, status, o);
}

XCON_HANDLER(xcon_api_report_config_add)
{
	static const struct xcon_member members[] = {
	        {"name", XCON_STRING},
	        {"group", XCON_STRING},
	        {"publish_itglue", XCON_BOOL},
	};
	struct json_object *body, *known = NULL, *name, *group, *publish;
	struct xdr_report_config_list list;
	struct xdr_err err;
	char *warning = NULL;
	bool on;
	int64_t id;
	int rc;

	body = xcon_body_object(req, reply);
	if (body == NULL)
		return;
	known = json_object_new_object();
	if (known == NULL) {
		reply_oom(reply);
		goto out;
	}
	if (!xcon_copy_members(known, body, members, N(members),
	                       "a report configuration", reply))
		goto out;
	if (!json_object_object_get_ex(known, "name", &name) ||
	    !json_object_object_get_ex(known, "group", &group)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"name\" and \"group\" are required");
		goto out;
	}
	on = json_object_object_get_ex(known, "publish_itglue", &publish) &&
	     json_object_get_boolean(publish);
	if (on &&
	    !publish_allowed(c, json_object_get_string(group), &warning, reply))
		goto out;
	if ((rc = xdr_report_config_add(
	             xcon_runtime(c)->db, json_object_get_string(name),
	             json_object_get_string(group), on, &id, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		goto out;
	}
	/* Answered as stored: the names trimmed. */
	if ((rc = xdr_report_config_list(xcon_runtime(c)->db, &list, &err)) !=
	    XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		goto out;
	}
	/* Removed meanwhile, by another client: said so. */
	xcon_reply_error(reply, 409, "conflict",
	                 "report configuration %" PRId64
	                 " was removed as it was added",
	                 id);
	for (size_t i = 0; i < list.n; i++)
		if (list.items[i].id == id)
			reply_config(reply, 201, id, list.items[i].name,
			             list.items[i].group,
			             list.items[i].publish_itglue, warning);
	xdr_report_config_list_free(&list);
out:
	free(warning);
	json_object_put(known);
	json_object_put(body);
}

XCON_HANDLER(xcon_api_report_config_update)
{
	static const struct xcon_member members[] = {
	        {"publish_itglue", XCON_BOOL},
	};
	struct json_object *body, *known = NULL, *publish;
	struct xdr_report_config_list list = {NULL, 0};
	const struct xdr_report_config_rec *rec = NULL;
	struct xdr_err err;
	char *warning = NULL;
	int64_t id = 0;
	bool on;
	int rc;

	if (req->param != NULL) {
		struct json_object *v = xcon_id_value(req->param);

		if (json_object_is_type(v, json_type_int))
			id = json_object_get_int64(v);
		json_object_put(v);
	}
	if (id <= 0) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "the configuration id must be a positive "
		                 "integer");
		return;
	}
	body = xcon_body_object(req, reply);
	if (body == NULL)
		return;
	known = json_object_new_object();
	if (known == NULL) {
		reply_oom(reply);
		goto out;
	}
	if (!xcon_copy_members(known, body, members, N(members),
	                       "a report configuration's update", reply))
		goto out;
	if (!json_object_object_get_ex(known, "publish_itglue", &publish)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"publish_itglue\" is required");
		goto out;
	}
	on = json_object_get_boolean(publish);
	if ((rc = xdr_report_config_list(xcon_runtime(c)->db, &list, &err)) !=
	    XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		goto out;
	}
	for (size_t i = 0; rec == NULL && i < list.n; i++)
		if (list.items[i].id == id)
			rec = &list.items[i];
	if (rec == NULL) {
		xcon_reply_error(reply, 404, "not_found",
		                 "no report configuration %" PRId64, id);
		goto out;
	}
	if (on && !publish_allowed(c, rec->group, &warning, reply))
		goto out;
	if ((rc = xdr_report_config_set_publish(xcon_runtime(c)->db, id, on,
	                                        &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		goto out;
	}
	reply_config(reply, 200, id, rec->name, rec->group, on, warning);
out:
	free(warning);
	xdr_report_config_list_free(&list);
	json_object_put(known);
	json_object_put(body);
}

/* ---- reports ------------------------------------------------------------ */

/*
 * Each report of the page gets "itglue": its outbox row (null when it has
 * none), from the plugin's outbox.list for the page's ids. Without the
 * plugin, or when it does not answer (the integration is off), the member
 * is left out.
 */
static void join_outbox(struct xcon *c, struct json_object *items,
                        const struct xdr_report_list *list)
{
	struct xdr_plugin_rec *rec =
	        xdr_plugins_find(xcon_plugins(c), "itglue");
	struct json_object *req, *ids, *answer = NULL, *rows;
	char *text = NULL;
	int status;

	if (rec == NULL || !rec->loaded || rec->stopped || list->n == 0)
		return;
	req = json_object_new_object();
	ids = json_object_new_array();
	if (req == NULL || ids == NULL ||
	    json_object_object_add(req, "report_ids", ids) != 0) {
		json_object_put(ids);
		json_object_put(req);
		return;
	}
	for (size_t i = 0; i < list->n; i++)
		json_object_array_add(ids,
		                      json_object_new_int64(list->items[i].id));
	json_object_object_add(req, "limit",
	                       json_object_new_int64((int64_t)list->n));
	status = xdr_plugin_admin(
	        rec, "outbox.list",
	        json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN),
	        &text);
	json_object_put(req);
	if (status != XDR_OK || text == NULL ||
	    xdr_json_parse(text, strlen(text), 32, &answer, NULL) != XDR_OK ||
	    !json_object_is_type(answer, json_type_object) ||
	    !json_object_object_get_ex(answer, "items", &rows) ||
	    !json_object_is_type(rows, json_type_array)) {
		json_object_put(answer);
		free(text);
		return;
	}
	free(text);
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		struct json_object *item = json_object_array_get_idx(items, i);
		struct json_object *row = NULL, *id;

		for (size_t j = 0;
		     row == NULL && j < json_object_array_length(rows); j++) {
			struct json_object *r =
			        json_object_array_get_idx(rows, j);

			if (json_object_object_get_ex(r, "report_id", &id) &&
			    json_object_get_int64(id) == list->items[i].id)
				row = r;
		}
		json_object_object_add(item, "itglue", json_object_get(row));
	}
	json_object_put(answer);
}

XCON_HANDLER(xcon_api_reports)
{
	struct xdr_report_list list;
	struct json_object *items;
	struct xdr_err err;
	int64_t offset, limit, total;
	const char *q;
	int rc;

	if (!xcon_query_page(req, NULL, &offset, &limit, reply) ||
	    !xcon_query_text(req, "q", XCON_QUERY_MAX, &q, reply))
		return;
	if ((rc = xdr_report_search(xcon_runtime(c)->db, q, offset, limit,
	                            &list, &total, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	items = xdr_json_reports(&list);
	if (items == NULL) {
		reply_oom(reply);
	} else {
		join_outbox(c, items, &list);
		xcon_reply_json(reply, 200,
		                xdr_json_page(total, offset, limit, items));
	}
	xdr_report_list_free(&list);
}

/* A report's body, kept until the host has copied it: HOME/console-upload-
 * XXXXXX/report.html (the name the report's record keeps). */
struct upload {
	char *dir;
	char *path;
};

static void upload_remove(struct upload *u)
{
	if (u->path != NULL)
		unlink(u->path);
	if (u->dir != NULL)
		rmdir(u->dir);
	free(u->path);
	free(u->dir);
	u->path = u->dir = NULL;
}

static int upload_write(struct xdr_runtime *rt, const struct xcon_request *req,
                        struct upload *u, struct xdr_err *err)
{
	int fd, rc = XDR_OK;

	u->path = NULL;
	u->dir = xdr_path_join(rt->home, "console-upload-XXXXXX");
	if (u->dir == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	if (mkdtemp(u->dir) == NULL) {
		rc = xdr_errf(err, XDR_ERROR, "cannot create %s: %s", u->dir,
		              strerror(errno));
		free(u->dir);
		u->dir = NULL;
		return rc;
	}
	u->path = xdr_path_join(u->dir, "report.html");
	if (u->path == NULL) {
		upload_remove(u);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	fd = open(u->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600);
	if (fd < 0 || xdr_write_all(fd, req->body, req->body_len) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot write %s: %s", u->path,
		              strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == XDR_OK)
		rc = xdr_errf(err, XDR_ERROR, "cannot write %s: %s", u->path,
		              strerror(errno));
	if (rc != XDR_OK)
		upload_remove(u);
	return rc;
}

/* A plugin refused the report: a line in the answer's "errors". */
struct refusals {
	int64_t id;
	struct json_object *answer;
};

static void refused(void *ctx, const struct xdr_plugin_rec *rec, int status)
{
	struct refusals *r = ctx;
	struct json_object *errors;
	char line[256];

	if (!json_object_object_get_ex(r->answer, "errors", &errors)) {
		errors = json_object_new_array();
		if (errors == NULL ||
		    json_object_object_add(r->answer, "errors", errors) != 0) {
			json_object_put(errors);
			return;
		}
	}
	snprintf(line, sizeof(line),
	         "%s: on_report_generated(%" PRId64 ") failed: %s (%d)",
	         rec->name, r->id, xdr_status_name(status), status);
	json_object_array_add(errors, json_object_new_string(line));
}

XCON_HANDLER(xcon_api_report_generate)
{
	struct xdr_runtime *rt = xcon_runtime(c);
	struct xdr_report_spec spec;
	struct refusals refusals;
	struct upload upload;
	struct json_object *o;
	struct xdr_err err;
	int64_t id;
	int rc;

	memset(&spec, 0, sizeof(spec));
	if (!xcon_query_text(req, "config", XDR_NAME_MAX_CHARS * 4,
	                     &spec.config, reply) ||
	    !xcon_query_text(req, "group", XDR_NAME_MAX_CHARS * 4, &spec.group,
	                     reply) ||
	    !xcon_query_text(req, "title", XDR_TITLE_MAX_CHARS * 4, &spec.title,
	                     reply) ||
	    !xcon_query_text(req, "type", XDR_NAME_MAX_CHARS * 4, &spec.type,
	                     reply))
		return;
	if ((spec.config == NULL) == (spec.group == NULL)) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "give \"config\" or \"group\", one of them");
		return;
	}
	if (spec.title == NULL) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "\"title\" is required");
		return;
	}
	if (strcmp(req->content_type, "text/html") != 0) {
		xcon_reply_error(reply, 415, "unsupported_media_type",
		                 "a report is sent as text/html");
		return;
	}
	if (req->body_len > REPORT_MAX_BYTES) {
		xcon_reply_error(reply, 413, "too_large",
		                 "a report is at most %u bytes",
		                 REPORT_MAX_BYTES);
		return;
	}
	if (req->body_len == 0) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "the report (the body) is empty");
		return;
	}
	if ((rc = upload_write(rt, req, &upload, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	spec.file = upload.path;
	spec.generated_at = (int64_t)time(NULL);
	rc = xdr_report_generate(rt->db, rt->home, &spec, &id, &err);
	upload_remove(&upload);
	if (rc != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	o = json_object_new_object();
	if (o == NULL || !xcon_add(o, "id", json_object_new_int64(id), reply)) {
		json_object_put(o);
		reply_oom(reply);
		return;
	}
	/* Every loaded plugin hears of it, as report generate tells them;
	 * a refusal is said, the report stays generated. */
	refusals.id = id;
	refusals.answer = o;
	xdr_plugins_report_generated(xcon_plugins(c), id, refused, &refusals);
	xcon_reply_json(reply, 201, o);
}

/* ---- the event log ------------------------------------------------------ */

XCON_HANDLER(xcon_api_events)
{
	struct xdr_event_list list;
	struct xdr_err err;
	int64_t offset, limit, total, id = 0;
	const char *q;
	int rc;

	if (!xcon_query_page(req, NULL, &offset, &limit, reply) ||
	    !xcon_query_text(req, "q", XCON_QUERY_MAX, &q, reply) ||
	    !xcon_query_int(req, "id", 1, UINT32_MAX, &id, reply))
		return;
	if ((rc = xdr_event_search(xcon_runtime(c)->db, (uint32_t)id, q, offset,
	                           limit, &list, &total, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	xcon_reply_json(
	        reply, 200,
	        xdr_json_page(total, offset, limit, xdr_json_events(&list)));
	xdr_event_list_free(&list);
}
