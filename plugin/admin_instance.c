/*
 * admin_instance.c - the actions that manage IT Glue instances:
 * instance.add, instance.update, instance.remove, instance.list and
 * instance.groups.
 *
 * The API key is sealed through the host before it is stored and is shown
 * only masked; no answer, log line or error message ever holds it.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json.h>

#include "compat/os.h"
#include "admin.h"
#include "host_groups.h"
#include "instance.h"
#include "instance_store.h"
#include "instance_url.h"
#include "json_util.h"
#include "log.h"
#include "secret.h"

#define ERR_MAX 512

static int reply_error(struct json_object **response, int rc,
                       const char *message)
{
	const char *code = rc == XDR_ENOTFOUND ? ITG_ADMIN_NOT_FOUND
	                   : rc == XDR_EINVAL  ? ITG_ADMIN_BAD_REQUEST
	                   : rc == XDR_ENOMEM  ? ITG_ADMIN_NO_MEMORY
	                                       : ITG_ADMIN_INTERNAL;

	*response = itg_admin_error(code, "%s", message);
	return rc < 0 ? rc : XDR_ERROR;
}

/* The "instance" member of REQUEST: an id (number or digits) or a name. */
static int find_instance(struct itg_plugin *p, struct json_object *request,
                         struct itg_instance *inst, char *err, size_t errsize)
{
	struct json_object *ref;
	char id[32];
	const char *text;

	if (!json_object_object_get_ex(request, "instance", &ref) ||
	    !(json_object_is_type(ref, json_type_string) ||
	      json_object_is_type(ref, json_type_int))) {
		snprintf(err, errsize,
		         "\"instance\" is required: the instance's id or name");
		return XDR_EINVAL;
	}
	if (json_object_is_type(ref, json_type_int)) {
		snprintf(id, sizeof(id), "%lld",
		         (long long)json_object_get_int64(ref));
		text = id;
	} else {
		text = json_object_get_string(ref);
	}
	return itg_instances_find(p->store, text, inst, err, errsize);
}

int itg_admin_instance_ref(struct itg_plugin *p, struct json_object *request,
                           struct itg_instance *inst,
                           struct json_object **response)
{
	char err[ERR_MAX];
	int rc = find_instance(p, request, inst, err, sizeof(err));

	if (rc != 0)
		reply_error(response, rc, err);
	return rc;
}

/* A CA file must be there and readable when it is configured, not at the
 * first upload hours later. */
static int check_ca_file(const char *path, char *err, size_t errsize)
{
	struct stat st;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    access(path, R_OK) != 0) {
		snprintf(err, errsize, "CA file %s is not a readable file",
		         path);
		return XDR_EINVAL;
	}
	return 0;
}

/* Seal KEY through the host into inst->key_sealed, and mask it. */
static int seal_key(struct itg_plugin *p, const char *key,
                    struct itg_instance *inst, char *err, size_t errsize)
{
	const struct xdr_host_api *api = p->api;
	size_t len = strlen(key);
	size_t size = 3 * len + 64;
	size_t needed = 0;
	char mask[ITG_SECRET_MASK_MAX];
	char *sealed = malloc(size);
	int rc;

	if (sealed == NULL)
		return XDR_ENOMEM;
	rc = api->seal(api->host, key, len, sealed, size, &needed);
	if (rc != XDR_OK) {
		free(sealed);
		snprintf(err, errsize, "the host cannot seal the API key (%d)",
		         rc);
		return XDR_ERROR;
	}
	itg_secret_mask(key, mask, sizeof(mask));
	free(inst->key_sealed);
	free(inst->key_masked);
	inst->key_sealed = sealed;
	inst->key_masked = strdup(mask);
	return inst->key_masked == NULL ? XDR_ENOMEM : 0;
}

static int replace(char **field, const char *value)
{
	char *copy = NULL;

	if (value != NULL && (copy = strdup(value)) == NULL)
		return XDR_ENOMEM;
	free(*field);
	*field = copy;
	return 0;
}

/* Apply SPEC (checked already) to INST. */
static int apply_spec(struct itg_plugin *p,
                      const struct itg_instance_spec *spec,
                      struct itg_instance *inst, char *err, size_t errsize)
{
	int rc = 0;

	if (spec->ca_file != NULL &&
	    check_ca_file(spec->ca_file, err, errsize) != 0)
		return XDR_EINVAL;
	if (spec->name != NULL)
		rc = replace(&inst->name, spec->name);
	if (rc == 0 && spec->region != NULL) {
		inst->region = itg_region_parse(spec->region);
		rc = replace(&inst->url, NULL);
	}
	if (rc == 0 && spec->url != NULL) {
		inst->region = ITG_REGION_NONE;
		rc = replace(&inst->url, spec->url);
	}
	if (rc == 0 && (spec->ca_file != NULL || spec->clear_ca_file))
		rc = replace(&inst->ca_file, spec->ca_file);
	if (rc == 0 && (spec->proxy != NULL || spec->clear_proxy))
		rc = replace(&inst->proxy, spec->proxy);
	if (rc == 0 && spec->rate_requests > 0) {
		inst->rate_requests = spec->rate_requests;
		inst->rate_seconds = spec->rate_seconds;
	}
	if (rc == 0 && spec->api_key != NULL)
		rc = seal_key(p, spec->api_key, inst, err, errsize);
	if (rc == XDR_ENOMEM)
		snprintf(err, errsize, "out of memory");
	return rc;
}

/* Add a JSON null: json-c represents it as a NULL value. */
static int add_nullable(struct json_object *obj, const char *key,
                        const char *value)
{
	if (value == NULL)
		return json_object_object_add(obj, key, NULL);
	return itg_json_add(obj, key, json_object_new_string(value));
}

static struct json_object *groups_json(const struct itg_instance *inst,
                                       const struct itg_groups *groups)
{
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; list != NULL && i < inst->n_groups; i++) {
		const struct itg_group *g =
		        itg_groups_by_id(groups, inst->groups[i]);
		struct json_object *o = json_object_new_object();

		if (itg_json_add(o, "id",
		                 json_object_new_int64(inst->groups[i])) != 0 ||
		    add_nullable(o, "name", g != NULL ? g->name : NULL) != 0 ||
		    json_object_array_add(list, o) != 0) {
			json_object_put(o);
			json_object_put(list);
			return NULL;
		}
	}
	return list;
}

static struct json_object *test_json(const struct itg_instance *inst)
{
	struct json_object *o;
	char at[32];
	time_t t = (time_t)inst->test_at;
	struct tm tm;

	if (inst->test_state < 0 || os_gmtime(t, &tm) == NULL)
		return NULL;
	strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	o = json_object_new_object();
	if (itg_json_add(o, "ok", json_object_new_boolean(inst->test_state)) !=
	            0 ||
	    add_nullable(o, "detail", inst->test_detail) != 0 ||
	    itg_json_add(o, "at", json_object_new_string(at)) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* The instance as administrators see it: never its key, only the mask. */
static struct json_object *instance_json(const struct itg_plugin *p,
                                         const struct itg_instance *inst,
                                         const struct itg_groups *groups)
{
	struct json_object *o = json_object_new_object();
	struct json_object *rate = json_object_new_object();
	char *url = itg_instance_url(p, inst);
	int bad;

	bad = itg_json_add(rate, "requests",
	                   json_object_new_int64(inst->rate_requests)) != 0 ||
	      itg_json_add(rate, "seconds",
	                   json_object_new_int64(inst->rate_seconds)) != 0;
	if (bad)
		json_object_put(rate);
	bad = bad || itg_json_add(o, "id", json_object_new_int64(inst->id)) ||
	      itg_json_add(o, "name", json_object_new_string(inst->name)) ||
	      add_nullable(o, "region", itg_region_name(inst->region)) ||
	      add_nullable(o, "url", url) ||
	      itg_json_add(o, "api_key",
	                   json_object_new_string(inst->key_masked)) ||
	      add_nullable(o, "ca_file", inst->ca_file) ||
	      add_nullable(o, "proxy", inst->proxy) ||
	      itg_json_add(o, "rate", rate) ||
	      itg_json_add(o, "groups", groups_json(inst, groups)) ||
	      (inst->test_state < 0
	               ? json_object_object_add(o, "last_test", NULL)
	               : itg_json_add(o, "last_test", test_json(inst)));
	free(url);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* Answer with the instance REF as stored now. */
static int reply_instance(struct itg_plugin *p, const char *ref,
                          struct json_object **response)
{
	struct itg_instance inst;
	struct itg_groups groups;
	char err[ERR_MAX];
	int rc;

	rc = itg_instances_find(p->store, ref, &inst, err, sizeof(err));
	if (rc != XDR_OK)
		return reply_error(response, rc, err);
	rc = itg_host_groups(p, &groups);
	if (rc != XDR_OK) {
		itg_instance_clear(&inst);
		return reply_error(response, rc,
		                   "cannot read the host's groups");
	}
	*response = instance_json(p, &inst, &groups);
	itg_groups_clear(&groups);
	itg_instance_clear(&inst);
	if (*response == NULL)
		return reply_error(response, XDR_ENOMEM, "out of memory");
	return XDR_OK;
}

static void id_text(int64_t id, char *buf, size_t size)
{
	snprintf(buf, size, "%lld", (long long)id);
}

int itg_admin_instance_add(struct itg_plugin *p, struct json_object *request,
                           struct json_object **response)
{
	struct itg_instance_spec spec;
	struct itg_instance inst = {0};
	char err[ERR_MAX];
	char ref[32];
	int64_t id = 0;
	int rc;

	rc = itg_instance_spec_read(request, false, &spec, err, sizeof(err));
	if (rc != 0)
		return reply_error(response, rc, err);
	inst.rate_requests = ITG_RATE_REQUESTS_DEFAULT;
	inst.rate_seconds = ITG_RATE_SECONDS_DEFAULT;
	inst.test_state = -1;
	rc = apply_spec(p, &spec, &inst, err, sizeof(err));
	if (rc == 0)
		rc = itg_instances_add(p->store, &inst, (int64_t)time(NULL),
		                       &id, err, sizeof(err));
	if (rc != 0) {
		itg_instance_clear(&inst);
		return reply_error(response, rc, err);
	}
	itg_log(p, XDR_LOG_INFO, "instance \"%s\" added (id %lld, key %s)",
	        inst.name, (long long)id, inst.key_masked);
	itg_instance_clear(&inst);
	id_text(id, ref, sizeof(ref));
	return reply_instance(p, ref, response);
}

int itg_admin_instance_update(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response)
{
	struct itg_instance_spec spec;
	struct itg_instance inst;
	char err[ERR_MAX];
	char ref[32];
	int rc;

	rc = itg_instance_spec_read(request, true, &spec, err, sizeof(err));
	if (rc != 0)
		return reply_error(response, rc, err);
	rc = find_instance(p, request, &inst, err, sizeof(err));
	if (rc != 0)
		return reply_error(response, rc, err);
	rc = apply_spec(p, &spec, &inst, err, sizeof(err));
	if (rc == 0)
		rc = itg_instances_update(p->store, &inst, (int64_t)time(NULL),
		                          err, sizeof(err));
	if (rc != 0) {
		itg_instance_clear(&inst);
		return reply_error(response, rc, err);
	}
	itg_log(p, XDR_LOG_INFO, "instance \"%s\" updated", inst.name);
	id_text(inst.id, ref, sizeof(ref));
	itg_instance_clear(&inst);
	return reply_instance(p, ref, response);
}

int itg_admin_instance_remove(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response)
{
	struct itg_instance inst = {0};
	struct json_object *o;
	char err[ERR_MAX];
	int rc;

	if (json_object_object_length(request) != 1)
		return reply_error(response, XDR_EINVAL,
		                   "instance.remove takes only \"instance\"");
	rc = find_instance(p, request, &inst, err, sizeof(err));
	if (rc == 0)
		rc = itg_instances_remove(p->store, inst.id, err, sizeof(err));
	if (rc != 0) {
		itg_instance_clear(&inst);
		return reply_error(response, rc, err);
	}
	itg_log(p, XDR_LOG_INFO, "instance \"%s\" removed", inst.name);
	o = json_object_new_object();
	if (itg_json_add(o, "removed", json_object_new_int64(inst.id)) != 0 ||
	    itg_json_add(o, "name", json_object_new_string(inst.name)) != 0) {
		json_object_put(o);
		o = NULL;
	}
	itg_instance_clear(&inst);
	*response = o;
	return o != NULL ? XDR_OK
	                 : reply_error(response, XDR_ENOMEM, "out of memory");
}

int itg_admin_instance_list(struct itg_plugin *p, struct json_object *request,
                            struct json_object **response)
{
	struct itg_instance *list = NULL;
	struct itg_groups groups;
	struct json_object *array, *o;
	char err[ERR_MAX];
	size_t n = 0;
	int rc;

	if (json_object_object_length(request) != 0)
		return reply_error(response, XDR_EINVAL,
		                   "instance.list takes no parameters");
	rc = itg_instances_list(p->store, &list, &n, err, sizeof(err));
	if (rc != XDR_OK)
		return reply_error(response, rc, err);
	rc = itg_host_groups(p, &groups);
	if (rc != XDR_OK) {
		itg_instances_free(list, n);
		return reply_error(response, rc,
		                   "cannot read the host's groups");
	}
	array = json_object_new_array();
	for (size_t i = 0; array != NULL && i < n; i++) {
		struct json_object *item = instance_json(p, &list[i], &groups);

		if (item == NULL || json_object_array_add(array, item) != 0) {
			json_object_put(item);
			json_object_put(array);
			array = NULL;
		}
	}
	itg_groups_clear(&groups);
	itg_instances_free(list, n);
	o = json_object_new_object();
	if (itg_json_add(o, "instances", array) != 0) {
		json_object_put(o);
		return reply_error(response, XDR_ENOMEM, "out of memory");
	}
	*response = o;
	return XDR_OK;
}

/* Resolve GROUPS (names or ids) to host ids, without duplicates. */
static int resolve_groups(struct json_object *list,
                          const struct itg_groups *groups, int64_t **out,
                          size_t *n, char *err, size_t errsize)
{
	size_t len = json_object_array_length(list);
	int64_t *ids = calloc(len + 1, sizeof(*ids));

	*out = NULL;
	*n = 0;
	if (ids == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < len; i++) {
		struct json_object *v = json_object_array_get_idx(list, i);
		const struct itg_group *g = NULL;
		bool seen = false;

		if (json_object_is_type(v, json_type_int))
			g = itg_groups_by_id(groups, json_object_get_int64(v));
		else if (json_object_is_type(v, json_type_string))
			g = itg_groups_by_name(groups,
			                       json_object_get_string(v));
		if (g == NULL) {
			snprintf(err, errsize,
			         "groups[%zu]: no Open XDR group %s", i,
			         json_object_to_json_string(v));
			free(ids);
			return XDR_EINVAL;
		}
		for (size_t j = 0; j < *n; j++)
			seen = seen || ids[j] == g->id;
		if (!seen)
			ids[(*n)++] = g->id;
	}
	*out = ids;
	return 0;
}

int itg_admin_instance_groups(struct itg_plugin *p, struct json_object *request,
                              struct json_object **response)
{
	struct itg_instance inst;
	struct itg_groups groups;
	struct json_object *list;
	char err[ERR_MAX];
	char ref[32];
	int64_t *ids = NULL;
	size_t n = 0;
	int rc;

	if (!json_object_object_get_ex(request, "groups", &list) ||
	    !json_object_is_type(list, json_type_array) ||
	    json_object_object_length(request) != 2)
		return reply_error(response, XDR_EINVAL,
		                   "instance.groups takes \"instance\" and "
		                   "\"groups\": a list of group names or ids");
	rc = find_instance(p, request, &inst, err, sizeof(err));
	if (rc != 0)
		return reply_error(response, rc, err);
	rc = itg_host_groups(p, &groups);
	if (rc != XDR_OK) {
		itg_instance_clear(&inst);
		return reply_error(response, rc,
		                   "cannot read the host's groups");
	}
	rc = resolve_groups(list, &groups, &ids, &n, err, sizeof(err));
	itg_groups_clear(&groups);
	if (rc == 0)
		rc = itg_instances_set_groups(p->store, inst.id, ids, n, err,
		                              sizeof(err));
	free(ids);
	id_text(inst.id, ref, sizeof(ref));
	if (rc == 0)
		itg_log(p, XDR_LOG_INFO, "instance \"%s\" serves %zu group(s)",
		        inst.name, n);
	itg_instance_clear(&inst);
	if (rc != 0)
		return reply_error(response, rc, err);
	return reply_instance(p, ref, response);
}
