/*
 * admin_config.c - the plugin's own settings: config.get and config.set.
 *
 * Settings are few and each is checked: a typo in a key or a value is
 * refused, never stored. Today they point IT Glue's regions elsewhere (a
 * test bed of local sandboxes, or a regional gateway); unset, the public
 * hosts are used.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "http.h"
#include "instance.h"
#include "instance_url.h"
#include "json_util.h"
#include "log.h"
#include "store.h"

static const char *const settings[] = {
        ITG_REGION_URL_SETTING "us",
        ITG_REGION_URL_SETTING "eu",
        ITG_REGION_URL_SETTING "au",
        NULL,
};

static bool known(const char *key)
{
	for (const char *const *s = settings; *s != NULL; s++) {
		if (strcmp(*s, key) == 0)
			return true;
	}
	return false;
}

/* {"region_url.us": "https://..." | null, ...}: every setting, null when
 * unset (the default applies). */
static int reply_settings(struct itg_plugin *p, struct json_object **response)
{
	struct json_object *o = json_object_new_object();

	for (const char *const *s = settings; o != NULL && *s != NULL; s++) {
		char *value = NULL;
		int rc;

		itg_store_config_get(p->store, *s, &value, NULL, 0);
		rc = value != NULL && value[0] != '\0'
		             ? itg_json_add(o, *s,
		                            json_object_new_string(value))
		             : json_object_object_add(o, *s, NULL);
		free(value);
		if (rc != 0) {
			json_object_put(o);
			o = NULL;
		}
	}
	*response = o != NULL ? o
	                      : itg_admin_error(ITG_ADMIN_NO_MEMORY,
	                                        "out of memory");
	return o != NULL ? XDR_OK : XDR_ENOMEM;
}

int itg_admin_config_get(struct itg_plugin *p, struct json_object *request,
                         struct json_object **response)
{
	if (json_object_object_length(request) != 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "config.get takes no parameters");
		return XDR_EINVAL;
	}
	return reply_settings(p, response);
}

/* Check one key and value; a value of null or "" resets the setting. */
static int check(const char *key, struct json_object *value, char *err,
                 size_t errsize)
{
	bool is_http;

	if (!known(key)) {
		snprintf(err, errsize,
		         "unknown setting \"%s\"; the settings are "
		         "region_url.us, region_url.eu and region_url.au",
		         key);
		return XDR_EINVAL;
	}
	if (value == NULL)
		return 0;
	if (!json_object_is_type(value, json_type_string)) {
		snprintf(err, errsize, "\"%s\" must be a URL or null", key);
		return XDR_EINVAL;
	}
	if (json_object_get_string_len(value) == 0)
		return 0;
	if (itg_http_check_url(json_object_get_string(value), &is_http, err,
	                       errsize) != 0)
		return XDR_EINVAL;
	return 0;
}

int itg_admin_config_set(struct itg_plugin *p, struct json_object *request,
                         struct json_object **response)
{
	char err[512];

	if (json_object_object_length(request) == 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "config.set takes {\"setting\": "
		                            "value, ...}");
		return XDR_EINVAL;
	}
	/* Check everything before writing anything. */
	json_object_object_foreach(request, key, value)
	{
		if (check(key, value, err, sizeof(err)) != 0) {
			*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s",
			                            err);
			return XDR_EINVAL;
		}
	}
	json_object_object_foreach(request, k, v)
	{
		const char *text = v != NULL ? json_object_get_string(v) : "";

		if (itg_store_config_set(p->store, k, text, err, sizeof(err)) !=
		    XDR_OK) {
			*response =
			        itg_admin_error(ITG_ADMIN_INTERNAL, "%s", err);
			return XDR_ERROR;
		}
		itg_log(p, XDR_LOG_INFO, "setting %s = %s", k,
		        text[0] != '\0' ? text : "(default)");
	}
	return reply_settings(p, response);
}
