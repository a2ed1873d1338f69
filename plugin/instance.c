/*
 * instance.c - the rules of an IT Glue instance: regions, and the checks of
 * what an administrator asks for in instance.add and instance.update.
 */
#include <config.h>

#include "instance.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"
#include "http.h"

/* A proxy or CA path longer than this is refused as a mistake. */
#define PATH_MAX_LEN 4096
/* Bounds of a request budget an administrator may set. */
#define RATE_REQUESTS_MAX 100000
#define RATE_SECONDS_MAX  86400

static const struct {
	enum itg_region region;
	const char *name;
	const char *url;
} regions[ITG_REGION_COUNT] = {
        {ITG_REGION_US, "us", "https://api.itglue.com"},
        {ITG_REGION_EU, "eu", "https://api.eu.itglue.com"},
        {ITG_REGION_AU, "au", "https://api.au.itglue.com"},
};

const char *itg_region_name(enum itg_region region)
{
	for (size_t i = 0; i < ITG_REGION_COUNT; i++) {
		if (regions[i].region == region)
			return regions[i].name;
	}
	return NULL;
}

enum itg_region itg_region_parse(const char *name)
{
	for (size_t i = 0; name != NULL && i < ITG_REGION_COUNT; i++) {
		if (strcasecmp(regions[i].name, name) == 0)
			return regions[i].region;
	}
	return ITG_REGION_NONE;
}

const char *itg_region_default_url(enum itg_region region)
{
	for (size_t i = 0; i < ITG_REGION_COUNT; i++) {
		if (regions[i].region == region)
			return regions[i].url;
	}
	return NULL;
}

void itg_instance_clear(struct itg_instance *inst)
{
	if (inst == NULL)
		return;
	free(inst->name);
	free(inst->url);
	free(inst->key_sealed);
	free(inst->key_masked);
	free(inst->ca_file);
	free(inst->proxy);
	free(inst->test_detail);
	free(inst->groups);
	memset(inst, 0, sizeof(*inst));
}

static const char *const add_fields[] = {
        "name", "region", "url", "api_key", "ca_file", "proxy", "rate", NULL,
};
static const char *const update_fields[] = {
        "instance", "name",  "region", "url", "api_key",
        "ca_file",  "proxy", "rate",   NULL,
};

static bool known_field(const char *const *fields, const char *key)
{
	for (; *fields != NULL; fields++) {
		if (strcmp(*fields, key) == 0)
			return true;
	}
	return false;
}

/*
 * The string member KEY of REQUEST into *out (NULL when absent). A JSON null
 * sets *was_null when the caller accepts it (was_null non-NULL).
 */
static int read_string(struct json_object *request, const char *key,
                       const char **out, bool *was_null, char *err,
                       size_t errsize)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(request, key, &v))
		return 0;
	if (v == NULL && was_null != NULL) {
		*was_null = true;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string)) {
		itg_errf(err, errsize, "\"%s\" must be a string%s", key,
		         was_null != NULL ? " or null" : "");
		return XDR_EINVAL;
	}
	*out = json_object_get_string(v);
	return 0;
}

static bool has_control(const char *s)
{
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return true;
	}
	return false;
}

static bool only_digits(const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return false;
	}
	return true;
}

static int check_name(const char *name, char *err, size_t errsize)
{
	size_t len = strlen(name);

	if (len == 0 || len > ITG_INSTANCE_NAME_MAX || has_control(name) ||
	    name[0] == ' ' || name[len - 1] == ' ') {
		itg_errf(err, errsize,
		         "\"name\" must be 1 to %d characters, without control "
		         "characters or spaces at either end",
		         ITG_INSTANCE_NAME_MAX);
		return XDR_EINVAL;
	}
	/* An action names its instance by id or name, and digits are read
	 * as an id: such a name could never be reached. */
	if (only_digits(name)) {
		itg_errf(err, errsize,
		         "\"name\" must not be digits only: \"%s\" would be "
		         "read as an instance id",
		         name);
		return XDR_EINVAL;
	}
	return 0;
}

static int check_path(const char *key, const char *value, char *err,
                      size_t errsize)
{
	if (!os_path_is_absolute(value) || strlen(value) > PATH_MAX_LEN ||
	    has_control(value)) {
		itg_errf(err, errsize, "\"%s\" must be an absolute file path",
		         key);
		return XDR_EINVAL;
	}
	return 0;
}

static int check_proxy(const char *proxy, char *err, size_t errsize)
{
	static const char *const schemes[] = {
	        "http://",   "https://",   "socks4://", "socks4a://",
	        "socks5://", "socks5h://", NULL,
	};

	if (strlen(proxy) <= PATH_MAX_LEN && !has_control(proxy) &&
	    strchr(proxy, ' ') == NULL) {
		for (const char *const *s = schemes; *s != NULL; s++) {
			size_t n = strlen(*s);

			if (strncasecmp(proxy, *s, n) == 0 && proxy[n] != '\0')
				return 0;
		}
	}
	itg_errf(err, errsize,
	         "\"proxy\" must be a URL such as http://proxy.example:3128 "
	         "(schemes: http, https, socks4, socks4a, socks5, socks5h)");
	return XDR_EINVAL;
}

static int read_rate(struct json_object *request, int64_t *requests,
                     int64_t *seconds, char *err, size_t errsize)
{
	struct json_object *rate, *n, *s;

	if (!json_object_object_get_ex(request, "rate", &rate))
		return 0;
	if (!json_object_is_type(rate, json_type_object) ||
	    json_object_object_length(rate) != 2 ||
	    !json_object_object_get_ex(rate, "requests", &n) ||
	    !json_object_object_get_ex(rate, "seconds", &s) ||
	    !json_object_is_type(n, json_type_int) ||
	    !json_object_is_type(s, json_type_int) ||
	    json_object_get_int64(n) < 1 ||
	    json_object_get_int64(n) > RATE_REQUESTS_MAX ||
	    json_object_get_int64(s) < 1 ||
	    json_object_get_int64(s) > RATE_SECONDS_MAX) {
		itg_errf(err, errsize,
		         "\"rate\" must be {\"requests\": 1..%d, \"seconds\": "
		         "1..%d}",
		         RATE_REQUESTS_MAX, RATE_SECONDS_MAX);
		return XDR_EINVAL;
	}
	*requests = json_object_get_int64(n);
	*seconds = json_object_get_int64(s);
	return 0;
}

static int read_fields(struct json_object *request, bool for_update,
                       struct itg_instance_spec *spec, char *err,
                       size_t errsize)
{
	bool bad = false;

	json_object_object_foreach(request, key, val)
	{
		(void)val;
		if (!known_field(for_update ? update_fields : add_fields,
		                 key)) {
			itg_errf(err, errsize,
			         "unknown field \"%s\"; an instance has name, "
			         "region or url, api_key, ca_file, proxy and "
			         "rate",
			         key);
			bad = true;
			break;
		}
	}
	if (bad ||
	    read_string(request, "name", &spec->name, NULL, err, errsize) ||
	    read_string(request, "region", &spec->region, NULL, err, errsize) ||
	    read_string(request, "url", &spec->url, NULL, err, errsize) ||
	    read_string(request, "api_key", &spec->api_key, NULL, err,
	                errsize) ||
	    read_string(request, "ca_file", &spec->ca_file,
	                &spec->clear_ca_file, err, errsize) ||
	    read_string(request, "proxy", &spec->proxy, &spec->clear_proxy, err,
	                errsize) ||
	    read_rate(request, &spec->rate_requests, &spec->rate_seconds, err,
	              errsize))
		return XDR_EINVAL;
	return 0;
}

static int check_fields(const struct itg_instance_spec *spec, char *err,
                        size_t errsize)
{
	bool is_http;

	if (spec->name != NULL && check_name(spec->name, err, errsize) != 0)
		return XDR_EINVAL;
	if (spec->region != NULL &&
	    itg_region_parse(spec->region) == ITG_REGION_NONE) {
		itg_errf(err, errsize,
		         "unknown region \"%s\": use us, eu or au, or give the "
		         "API URL as \"url\"",
		         spec->region);
		return XDR_EINVAL;
	}
	if (spec->url != NULL &&
	    itg_http_check_url(spec->url, &is_http, err, errsize) != 0)
		return XDR_EINVAL;
	if (spec->api_key != NULL && !itg_http_key_ok(spec->api_key)) {
		itg_errf(err, errsize,
		         "\"api_key\" must be 1 to 512 printable characters "
		         "without spaces (IT Glue keys look like ITG.…)");
		return XDR_EINVAL;
	}
	if (spec->ca_file != NULL &&
	    check_path("ca_file", spec->ca_file, err, errsize) != 0)
		return XDR_EINVAL;
	if (spec->proxy != NULL && check_proxy(spec->proxy, err, errsize) != 0)
		return XDR_EINVAL;
	if (spec->region != NULL && spec->url != NULL) {
		itg_errf(err, errsize,
		         "give either \"region\" or \"url\", not both");
		return XDR_EINVAL;
	}
	return 0;
}

int itg_instance_spec_read(struct json_object *request, bool for_update,
                           struct itg_instance_spec *spec, char *err,
                           size_t errsize)
{
	memset(spec, 0, sizeof(*spec));
	if (read_fields(request, for_update, spec, err, errsize) != 0 ||
	    check_fields(spec, err, errsize) != 0)
		return XDR_EINVAL;
	if (for_update) {
		if (spec->name == NULL && spec->region == NULL &&
		    spec->url == NULL && spec->api_key == NULL &&
		    spec->ca_file == NULL && spec->proxy == NULL &&
		    !spec->clear_ca_file && !spec->clear_proxy &&
		    spec->rate_requests == 0) {
			itg_errf(
			        err, errsize,
			        "nothing to update: give at least one of name, "
			        "region, url, api_key, ca_file, proxy, rate");
			return XDR_EINVAL;
		}
		return 0;
	}
	if (spec->name == NULL || spec->api_key == NULL) {
		itg_errf(err, errsize, "an instance needs \"%s\"",
		         spec->name == NULL ? "name" : "api_key");
		return XDR_EINVAL;
	}
	if (spec->region == NULL && spec->url == NULL) {
		itg_errf(err, errsize,
		         "an instance needs \"region\" (us, eu or au) or the "
		         "API "
		         "URL as \"url\"");
		return XDR_EINVAL;
	}
	return 0;
}
