/*
 * admin_config.c - the plugin's own settings: config.get and config.set.
 *
 * Settings are few and each is checked: a typo in a key or a value is
 * refused, never stored. A null (or "") resets a setting to its default.
 */
#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "config_keys.h"
#include "domain.h"
#include "http.h"
#include "instance_url.h"
#include "json_util.h"
#include "log.h"
#include "store.h"

enum kind { URL, HOURS, DOMAINS, ATTEMPTS, DAYS, FULL_PASS, SECONDS };

static const struct setting {
	const char *key;
	enum kind kind;
} settings[] = {
        {ITG_REGION_URL_SETTING "us", URL},
        {ITG_REGION_URL_SETTING "eu", URL},
        {ITG_REGION_URL_SETTING "au", URL},
        {ITG_CONFIG_AUTOMAP_HOURS, HOURS},
        {ITG_CONFIG_FULL_PASS_HOURS, FULL_PASS},
        {ITG_CONFIG_PUBLISH_ATTEMPTS, ATTEMPTS},
        {ITG_CONFIG_PUBLISH_AGE_HOURS, HOURS},
        {ITG_CONFIG_EXPIRY_DAYS, DAYS},
        {ITG_CONFIG_REQUEST_TIMEOUT, SECONDS},
        {ITG_CONFIG_MSP_DOMAINS, DOMAINS},
        {ITG_CONFIG_PUBLIC_DOMAINS, DOMAINS},
        {ITG_CONFIG_NOT_PUBLIC_DOMAINS, DOMAINS},
};

#define N_SETTINGS (sizeof(settings) / sizeof(settings[0]))

static const struct setting *find(const char *key)
{
	for (size_t i = 0; i < N_SETTINGS; i++) {
		if (strcmp(settings[i].key, key) == 0)
			return &settings[i];
	}
	return NULL;
}

/* A stored value as JSON: lists are arrays, hours a number. */
static struct json_object *typed(const struct setting *s, const char *value)
{
	struct json_object *list;
	char *copy, *save = NULL;

	if (value == NULL || value[0] == '\0')
		return NULL;
	if (s->kind == URL)
		return json_object_new_string(value);
	if (s->kind != URL && s->kind != DOMAINS)
		return json_object_new_int64(strtoll(value, NULL, 10));
	list = json_object_new_array();
	copy = strdup(value);
	for (char *d = copy ? strtok_r(copy, ",", &save) : NULL; d != NULL;
	     d = strtok_r(NULL, ",", &save))
		json_object_array_add(list, json_object_new_string(d));
	free(copy);
	return list;
}

static int reply_settings(struct itg_plugin *p, struct json_object **response)
{
	struct json_object *o = json_object_new_object();

	for (size_t i = 0; o != NULL && i < N_SETTINGS; i++) {
		char *value = NULL;
		struct json_object *v;

		itg_store_config_get(p->store, settings[i].key, &value, NULL,
		                     0);
		v = typed(&settings[i], value);
		free(value);
		if (json_object_object_add(o, settings[i].key, v) != 0) {
			json_object_put(v);
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

static int check_url(const char *key, struct json_object *v, char *out,
                     size_t size, char *err, size_t errsize)
{
	bool is_http;

	if (!json_object_is_type(v, json_type_string)) {
		snprintf(err, errsize, "\"%s\" must be a URL or null", key);
		return XDR_EINVAL;
	}
	if (itg_http_check_url(json_object_get_string(v), &is_http, err,
	                       errsize) != 0)
		return XDR_EINVAL;
	snprintf(out, size, "%s", json_object_get_string(v));
	return 0;
}

static int check_hours(const char *key, struct json_object *v, char *out,
                       size_t size, char *err, size_t errsize)
{
	int64_t h;

	if (!json_object_is_type(v, json_type_int) ||
	    (h = json_object_get_int64(v)) < 0 || h > ITG_AUTOMAP_HOURS_MAX) {
		snprintf(err, errsize,
		         "\"%s\" must be a whole number of hours from 0 (no "
		         "scheduled auto-map) to %d",
		         key, ITG_AUTOMAP_HOURS_MAX);
		return XDR_EINVAL;
	}
	snprintf(out, size, "%lld", (long long)h);
	return 0;
}

static int check_full_pass(const char *key, struct json_object *v, char *out,
                           size_t size, char *err, size_t errsize)
{
	int64_t h;

	if (!json_object_is_type(v, json_type_int) ||
	    (h = json_object_get_int64(v)) < 0 || h > ITG_FULL_PASS_HOURS_MAX) {
		snprintf(err, errsize,
		         "\"%s\" must be a whole number of hours from 0 (every "
		         "auto-map reads every configuration) to %d",
		         key, ITG_FULL_PASS_HOURS_MAX);
		return XDR_EINVAL;
	}
	snprintf(out, size, "%lld", (long long)h);
	return 0;
}

static int check_attempts(const char *key, struct json_object *v, char *out,
                          size_t size, char *err, size_t errsize)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int) ||
	    (n = json_object_get_int64(v)) < 1 ||
	    n > ITG_PUBLISH_ATTEMPTS_MAX) {
		snprintf(err, errsize,
		         "\"%s\" must be a whole number from 1 to %d", key,
		         ITG_PUBLISH_ATTEMPTS_MAX);
		return XDR_EINVAL;
	}
	snprintf(out, size, "%lld", (long long)n);
	return 0;
}

static int check_days(const char *key, struct json_object *v, char *out,
                      size_t size, char *err, size_t errsize)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int) ||
	    (n = json_object_get_int64(v)) < 0 || n > ITG_EXPIRY_DAYS_MAX) {
		snprintf(err, errsize,
		         "\"%s\" must be a number of days from 0 (a calendar "
		         "year) to %d",
		         key, ITG_EXPIRY_DAYS_MAX);
		return XDR_EINVAL;
	}
	snprintf(out, size, "%lld", (long long)n);
	return 0;
}

static int check_seconds(const char *key, struct json_object *v, char *out,
                         size_t size, char *err, size_t errsize)
{
	int64_t n;

	if (!json_object_is_type(v, json_type_int) ||
	    (n = json_object_get_int64(v)) < 1 || n > ITG_REQUEST_TIMEOUT_MAX) {
		snprintf(err, errsize,
		         "\"%s\" must be a whole number of seconds from 1 to "
		         "%d",
		         key, ITG_REQUEST_TIMEOUT_MAX);
		return XDR_EINVAL;
	}
	snprintf(out, size, "%lld", (long long)n);
	return 0;
}

/* A list of e-mail domains, stored lower-cased and comma-separated. */
static int check_domains(const char *key, struct json_object *v, char *out,
                         size_t size, char *err, size_t errsize)
{
	size_t used = 0;

	out[0] = '\0';
	if (!json_object_is_type(v, json_type_array)) {
		snprintf(err, errsize,
		         "\"%s\" must be a list of domains, e.g. "
		         "[\"example.com\"]",
		         key);
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		struct json_object *d = json_object_array_get_idx(v, i);
		char email[ITG_DOMAIN_MAX + 2];
		char domain[ITG_DOMAIN_MAX];
		int n;

		if (!json_object_is_type(d, json_type_string) ||
		    snprintf(email, sizeof(email), "x@%s",
		             json_object_get_string(d)) >= (int)sizeof(email) ||
		    itg_email_domain(email, domain, sizeof(domain)) != 0) {
			snprintf(err, errsize, "%s[%zu]: %s is not a domain",
			         key, i, json_object_to_json_string(d));
			return XDR_EINVAL;
		}
		n = snprintf(out + used, size - used, "%s%s", used ? "," : "",
		             domain);
		if (n < 0 || (size_t)n >= size - used) {
			snprintf(err, errsize, "\"%s\": too many domains", key);
			return XDR_EINVAL;
		}
		used += (size_t)n;
	}
	return 0;
}

/* Check one key and value into the text to store ("" resets). */
static int check(const char *key, struct json_object *value, char *out,
                 size_t size, char *err, size_t errsize)
{
	const struct setting *s = find(key);

	out[0] = '\0';
	if (s == NULL) {
		size_t used = 0;

		used += (size_t)snprintf(err, errsize,
		                         "unknown setting \"%s\"; the settings "
		                         "are ",
		                         key);
		for (size_t i = 0; i < N_SETTINGS && used < errsize; i++)
			used += (size_t)snprintf(err + used, errsize - used,
			                         "%s%s", i ? ", " : "",
			                         settings[i].key);
		return XDR_EINVAL;
	}
	if (value == NULL || (json_object_is_type(value, json_type_string) &&
	                      json_object_get_string_len(value) == 0))
		return 0;
	switch (s->kind) {
	case URL:
		return check_url(key, value, out, size, err, errsize);
	case HOURS:
		return check_hours(key, value, out, size, err, errsize);
	case DOMAINS:
		return check_domains(key, value, out, size, err, errsize);
	case ATTEMPTS:
		return check_attempts(key, value, out, size, err, errsize);
	case DAYS:
		return check_days(key, value, out, size, err, errsize);
	case FULL_PASS:
		return check_full_pass(key, value, out, size, err, errsize);
	case SECONDS:
		return check_seconds(key, value, out, size, err, errsize);
	}
	return XDR_EINVAL;
}

int itg_admin_config_set(struct itg_plugin *p, struct json_object *request,
                         struct json_object **response)
{
	char err[512];
	char text[4096];

	if (json_object_object_length(request) == 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "config.set takes {\"setting\": "
		                            "value, ...}");
		return XDR_EINVAL;
	}
	/* Check everything before writing anything. */
	json_object_object_foreach(request, key, value)
	{
		if (check(key, value, text, sizeof(text), err, sizeof(err)) !=
		    0) {
			*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s",
			                            err);
			return XDR_EINVAL;
		}
	}
	json_object_object_foreach(request, k, v)
	{
		check(k, v, text, sizeof(text), err, sizeof(err));
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
