/*
 * cmd_admin.c - admin PLUGIN ACTION [JSON | -]: one administrator's action,
 * its response printed as JSON, then a wait until the plugins are idle.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define REQUEST_MAX_BYTES (1024 * 1024)
#define JSON_MAX_DEPTH    32

/*
 * The request as one canonical JSON object, or NULL for none. It is parsed
 * here, before any plugin is loaded, so that a typo is a usage error.
 */
static int read_request(struct cli *cli, const char *arg, char **out)
{
	struct json_object *obj = NULL;
	struct xdr_err err;
	char *text = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if (arg == NULL)
		return CLI_OK;
	if (strcmp(arg, "-") == 0) {
		if (xdr_read_fd(fileno(stdin), "the request on stdin",
		                REQUEST_MAX_BYTES, &text, &len, &err) != XDR_OK)
			return cli_fail_err(&err);
		arg = text;
	}
	rc = xdr_json_parse(arg, strlen(arg), JSON_MAX_DEPTH, &obj, &err);
	free(text);
	if (rc != XDR_OK)
		return cli_usage_error(cli, "the request is not JSON: %s",
		                       err.msg);
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return cli_usage_error(cli,
		                       "the request must be a JSON object");
	}
	*out = strdup(json_object_to_json_string_ext(
	        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return *out ? CLI_OK : cli_fail("out of memory");
}

/* "no plugin named 'x' (loaded: a, b)", or why x was refused. */
static int not_available(const struct xdr_plugins *set,
                         const struct xdr_plugin_rec *rec, const char *name)
{
	char loaded[256] = "";
	size_t used = 0;

	if (rec != NULL)
		return cli_fail("plugin %s refused: %s", rec->file,
		                rec->error ? rec->error : "not loaded");
	for (size_t i = 0; i < set->n && used < sizeof(loaded); i++)
		if (set->items[i].loaded)
			used += (size_t)snprintf(
			        loaded + used, sizeof(loaded) - used, "%s%s",
			        used ? ", " : "", set->items[i].name);
	return cli_fail("no plugin named '%s' (loaded: %s)", name,
	                used ? loaded : "none");
}

/* Print the response; an error response also goes to stderr. */
static int answer(const char *plugin, const char *action, int status,
                  const char *response)
{
	struct json_object *obj = NULL, *error, *message;
	struct xdr_err err;
	int rc;

	/* The ABI promises a response even on failure; the host drops one
	 * larger than it accepts. */
	if (response == NULL)
		return cli_fail("%s %s: plugin returned no response (status "
		                "%s), or one too large to accept",
		                plugin, action, xdr_status_name(status));
	if (xdr_json_parse(response, strlen(response), JSON_MAX_DEPTH, &obj,
	                   &err) != XDR_OK)
		return cli_fail("%s %s: plugin returned invalid JSON (%s)",
		                plugin, action, err.msg);
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return cli_fail("%s %s: plugin returned invalid JSON: not an "
		                "object",
		                plugin, action);
	}
	if (status == XDR_OK)
		return cli_print_json(obj, true);
	if (json_object_object_get_ex(obj, "error", &error) &&
	    json_object_object_get_ex(error, "message", &message) &&
	    json_object_is_type(message, json_type_string))
		snprintf(err.msg, sizeof(err.msg), "%s",
		         json_object_get_string(message));
	else
		snprintf(err.msg, sizeof(err.msg), "%s (%d)",
		         xdr_status_name(status), status);
	rc = cli_print_json(obj, true);
	fflush(stdout);
	cli_fail("%s %s: %s", plugin, action, err.msg);
	return rc == CLI_OK ? CLI_FAILED : rc;
}

/*
 * The job an action started: a successful response {"job": N, ...} names one
 * (the convention of include/xdr/plugin.h). 0 if there is none.
 */
static int64_t started_job(int status, const char *response)
{
	struct json_object *obj = NULL, *job;
	struct xdr_err err;
	int64_t id = 0;

	if (status != XDR_OK || response == NULL ||
	    xdr_json_parse(response, strlen(response), JSON_MAX_DEPTH, &obj,
	                   &err) != XDR_OK)
		return 0;
	if (json_object_is_type(obj, json_type_object) &&
	    json_object_object_get_ex(obj, "job", &job) &&
	    json_object_is_type(job, json_type_int))
		id = json_object_get_int64(job);
	json_object_put(obj);
	return id > 0 ? id : 0;
}

/* A finished job that did not end "done" is a failure of the action; its
 * result's "detail" (or error message) says why. */
static int job_outcome(const char *plugin, const char *action,
                       const char *response)
{
	struct json_object *obj = NULL, *state, *result, *why;
	struct xdr_err err;
	int rc = CLI_OK;

	if (xdr_json_parse(response, strlen(response), JSON_MAX_DEPTH, &obj,
	                   &err) != XDR_OK)
		return CLI_OK;
	/* A job's state is a string; anything else is not "done" either. */
	if (json_object_object_get_ex(obj, "state", &state) &&
	    !(json_object_is_type(state, json_type_string) &&
	      strcmp(json_object_get_string(state), "done") == 0)) {
		const char *reason =
		        json_object_is_type(state, json_type_string)
		                ? json_object_get_string(state)
		                : "the job did not finish";

		if (json_object_object_get_ex(obj, "result", &result) &&
		    (json_object_object_get_ex(result, "detail", &why) ||
		     (json_object_object_get_ex(result, "error", &why) &&
		      json_object_object_get_ex(why, "message", &why))) &&
		    json_object_is_type(why, json_type_string))
			reason = json_object_get_string(why);
		cli_fail("%s %s: %s", plugin, action, reason);
		rc = CLI_FAILED;
	}
	json_object_put(obj);
	return rc;
}

/*
 * The action started job JOB and the plugins are idle again: answer with the
 * job as it ended, in place of the first answer.
 */
static int answer_job(struct xdr_plugin_rec *rec, const char *plugin,
                      const char *action, int64_t job)
{
	char request[64];
	char *response = NULL;
	int status, rc;

	snprintf(request, sizeof(request), "{\"id\":%lld}", (long long)job);
	status = xdr_plugin_admin(rec, "job", request, &response);
	rc = answer(plugin, "job", status, response);
	if (rc == CLI_OK)
		rc = job_outcome(plugin, action, response);
	free(response);
	return rc;
}

int cmd_admin(struct cli *cli, struct cli_args *args)
{
	const char *plugin = args->pos[0], *action = args->pos[1];
	struct xdr_plugin_rec *rec;
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	struct cli_wait w;
	char *request, *response = NULL;
	int rc, status, waited;
	int64_t job;

	rc = cli_wait_options(cli, args, &w);
	if (rc == CLI_OK)
		rc = read_request(cli, args->n_pos > 2 ? args->pos[2] : NULL,
		                  &request);
	if (rc != CLI_OK)
		return rc;
	rc = cli_open_plugins(cli, &rt, &set);
	if (rc != CLI_OK) {
		free(request);
		return rc;
	}
	rec = xdr_plugins_find(set, plugin);
	if (rec == NULL || !rec->loaded) {
		rc = not_available(set, rec, plugin);
	} else {
		status = xdr_plugin_admin(rec, action, request, &response);
		job = w.wait ? started_job(status, response) : 0;
		rc = job == 0 ? answer(plugin, action, status, response)
		              : CLI_OK;
		waited = cli_wait(&w, set);
		if (job != 0 && waited == CLI_OK)
			rc = answer_job(rec, plugin, action, job);
		else if (job != 0)
			answer(plugin, action, status, response);
		if (rc == CLI_OK || waited > CLI_BUSY) /* interrupted */
			rc = waited;
	}
	free(request);
	free(response);
	cli_close(rt, set);
	return rc;
}
