/*
 * admin.c - the router of the administrator's actions.
 */
#include <config.h>

#include "admin.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "errbuf.h"
#include "gate.h"
#include "json_util.h"
#include "store_ready.h"

struct action {
	const char *name;
	itg_admin_handler handler;
	bool ungated; /* answered even while the integration is disabled */
};

/* Keep "status" ungated: the host polls it to know when the plugin is idle,
 * and an administrator needs it to see that the gate is off. */
static const struct action actions[] = {
        {"status", itg_admin_status, true},
        {"instance.add", itg_admin_instance_add, false},
        {"instance.update", itg_admin_instance_update, false},
        {"instance.remove", itg_admin_instance_remove, false},
        {"instance.list", itg_admin_instance_list, false},
        {"instance.groups", itg_admin_instance_groups, false},
        {"instance.test", itg_admin_instance_test, false},
        {"job", itg_admin_job, false},
        {"import", itg_admin_import, false},
        {"import.preview", itg_admin_import_preview, false},
        {"automap", itg_admin_automap, false},
        {"map", itg_admin_map, false},
        {"unmap", itg_admin_unmap, false},
        {"mappings", itg_admin_mappings, false},
        {"imported.list", itg_admin_imported_list, false},
        {"publish.check", itg_admin_publish_check, false},
        {"publish", itg_admin_publish, false},
        {"outbox.retry", itg_admin_outbox_retry, false},
        {"outbox.list", itg_admin_outbox_list, false},
        {"config.get", itg_admin_config_get, false},
        {"config.set", itg_admin_config_set, false},
};

#define N_ACTIONS (sizeof(actions) / sizeof(actions[0]))

/* Sent when not even an error object can be built. */
static const char out_of_memory[] =
        "{\"error\":{\"code\":\"" ITG_ADMIN_NO_MEMORY
        "\",\"message\":\"the plugin ran out of memory\"}}";

struct json_object *itg_admin_error(const char *code, const char *fmt, ...)
{
	struct json_object *error;
	struct json_object *body;
	char message[512];
	va_list ap;

	va_start(ap, fmt);
	itg_verrf(message, sizeof(message), fmt, ap);
	va_end(ap);

	body = json_object_new_object();
	if (itg_json_add(body, "code", json_object_new_string(code)) != 0 ||
	    itg_json_add(body, "message", json_object_new_string(message)) !=
	            0) {
		json_object_put(body);
		return NULL;
	}
	/* itg_json_add() releases body if it cannot be added. */
	error = json_object_new_object();
	if (itg_json_add(error, "error", body) != 0) {
		json_object_put(error);
		return NULL;
	}
	return error;
}

static bool valid_action(const char *action)
{
	size_t i;
	char c;

	if (action == NULL || action[0] == '\0')
		return false;
	for (i = 0; (c = action[i]) != '\0'; i++) {
		if (i >= ITG_ADMIN_ACTION_MAX)
			return false;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

static const struct action *find_action(const char *name)
{
	size_t i;

	for (i = 0; i < N_ACTIONS; i++) {
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	}
	return NULL;
}

/* "status, foo, bar": the names of the table, for "unknown action". */
static void list_actions(char *buf, size_t size)
{
	const char *separator = "";
	size_t used = 0;
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < N_ACTIONS && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", separator,
		                 actions[i].name);

		if (n < 0)
			break;
		used += (size_t)n;
		separator = ", ";
	}
}

/*
 * Parse REQUEST into a JSON object. On failure returns NULL with *rc set and
 * *error holding the error answer (or NULL if memory ran out).
 */
static struct json_object *parse_request(const char *request, int *rc,
                                         struct json_object **error)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t len;

	*error = NULL;
	*rc = XDR_OK;
	if (request == NULL || request[0] == '\0') {
		obj = json_object_new_object();
		if (obj == NULL)
			*rc = XDR_ENOMEM;
		return obj;
	}
	len = strlen(request);
	if (len > ITG_ADMIN_REQUEST_MAX) {
		*rc = XDR_EINVAL;
		*error = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                         "request is larger than %d bytes",
		                         ITG_ADMIN_REQUEST_MAX);
		return NULL;
	}
	tok = json_tokener_new_ex(ITG_ADMIN_JSON_DEPTH);
	if (tok == NULL) {
		*rc = XDR_ENOMEM;
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                    JSON_TOKENER_VALIDATE_UTF8);
	/* The length includes the NUL: the input ends there, so a bare
	 * number is complete rather than "to be continued". */
	obj = json_tokener_parse_ex(tok, request, (int)len + 1);
	jerr = json_tokener_get_error(tok);
	if (jerr != json_tokener_success) {
		*rc = XDR_EINVAL;
		*error = itg_admin_error(
		        ITG_ADMIN_BAD_REQUEST,
		        "request is not valid JSON: %s (at byte %zu)",
		        json_tokener_error_desc(jerr),
		        json_tokener_get_parse_end(tok));
		json_object_put(obj);
		obj = NULL;
	} else if (!json_object_is_type(obj, json_type_object)) {
		*rc = XDR_EINVAL;
		*error = itg_admin_error(
		        ITG_ADMIN_BAD_REQUEST,
		        "request must be a JSON object, not %s",
		        json_type_to_name(json_object_get_type(obj)));
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

/* Route a well-formed request; returns the status and the answer. */
static int route(struct itg_plugin *p, const char *action,
                 struct json_object *request, struct json_object **answer)
{
	const struct action *a = find_action(action);

	if ((a == NULL || !a->ungated) && !itg_integration_enabled(p)) {
		*answer = itg_admin_error(
		        ITG_ADMIN_DISABLED,
		        "IT Glue integration is disabled: turn on \"Enable "
		        "PSA/RMM Integration\" (xdr-host setting set %s on)",
		        ITG_GATE_SETTING);
		return XDR_EDISABLED;
	}
	if (a == NULL) {
		char known[512];

		list_actions(known, sizeof(known));
		*answer = itg_admin_error(ITG_ADMIN_UNKNOWN,
		                          "unknown action '%s'; known actions: "
		                          "%s",
		                          action, known);
		return XDR_ENOTFOUND;
	}
	/* Every action but status reads or writes the database. */
	if (!a->ungated) {
		char err[512];

		if (itg_store_ready(p, err, sizeof(err)) != XDR_OK) {
			*answer = itg_admin_error(
			        ITG_ADMIN_STORE_UNUSABLE,
			        "the plugin's state database cannot be used: "
			        "%s",
			        err);
			return XDR_EBUSY;
		}
	}
	return a->handler(p, request, answer);
}

int itg_admin_handle(struct itg_plugin *p, const char *action,
                     const char *request, char **response)
{
	struct json_object *parsed = NULL;
	struct json_object *answer = NULL;
	int rc;

	if (response == NULL)
		return XDR_EINVAL;
	*response = NULL;
	if (p == NULL) {
		rc = XDR_EINVAL;
		answer = itg_admin_error(ITG_ADMIN_INTERNAL,
		                         "the plugin is not initialised");
	} else if (!valid_action(action)) {
		rc = XDR_EINVAL;
		answer = itg_admin_error(ITG_ADMIN_BAD_ACTION,
		                         "an action name is 1 to %d characters "
		                         "of a-z, 0-9, '.', '_' and '-'",
		                         ITG_ADMIN_ACTION_MAX);
	} else {
		parsed = parse_request(request, &rc, &answer);
		if (parsed != NULL)
			rc = route(p, action, parsed, &answer);
	}
	json_object_put(parsed);

	/* No answer means memory ran out while building it. */
	*response = itg_json_to_string(answer);
	json_object_put(answer);
	if (*response == NULL) {
		*response = strdup(out_of_memory);
		return XDR_ENOMEM;
	}
	return rc;
}
