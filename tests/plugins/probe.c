/*
 * probe: a small, well-behaved plugin that exposes the host's services to the
 * integration tests. Every hook call is made visible (as an event), and admin
 * actions call each host service and answer what it returned, so that a test
 * can check the host from outside through xdr-host alone.
 *
 *   on_report_generated  -> event 9001 with the report's fields
 *   on_schedule_tick     -> event 9002 with the tick's time
 *   admin status         -> {"busy": ..., "progress": {...}}
 *   admin work           {"steps": N, "ms": M} runs N steps of M ms on a thread
 *   admin seal           {"secret": S} -> {"sealed": T}
 *   admin unseal         {"sealed": T} -> {"secret": S}
 *   admin setting        {"key": K} -> {"value": V}
 *   admin state_dir      -> {"state_dir": D}
 *   admin groups         -> {"groups": [{"id","name","email"}]}
 *   admin systems        {"group_id": G} -> {"systems": [{"id","name","macs"}]}
 *   admin emit           {"id": N, "description": D, "fields": {name: value}}
 *                        -> {"emitted": "yes"}: an event as given, so that a
 *                        test can show the host any text
 *   admin instance.add   -> the request itself: a plugin that would show an
 *                        instance's API key (the console must not pass it on)
 *   admin fail           -> an error response
 *   admin garbage        -> a response that is not JSON
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "xdr/plugin.h"

struct probe {
	const struct xdr_host_api *api;
	os_mutex lock;
	os_thread thread;
	int thread_started;
	int busy;
	int done;
	int total;
	int step_ms;
};

static char *probe_dup_json(json_object *obj)
{
	const char *text = json_object_to_json_string_ext(
	        obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	char *copy = strdup(text);
	json_object_put(obj);
	return copy;
}

static int probe_error(char **response, const char *message)
{
	json_object *root = json_object_new_object();
	json_object *err = json_object_new_object();
	json_object_object_add(err, "code", json_object_new_string("probe"));
	json_object_object_add(err, "message", json_object_new_string(message));
	json_object_object_add(root, "error", err);
	*response = probe_dup_json(root);
	return XDR_ERROR;
}

static void probe_sleep_ms(int ms)
{
	if (ms > 0)
		os_sleep_ms((uint64_t)ms);
}

static void *probe_work(void *arg)
{
	struct probe *p = arg;
	for (;;) {
		os_mutex_lock(&p->lock);
		int finished = p->done >= p->total;
		int ms = p->step_ms;
		if (finished)
			p->busy = 0;
		os_mutex_unlock(&p->lock);
		if (finished)
			break;
		probe_sleep_ms(ms);
		os_mutex_lock(&p->lock);
		p->done++;
		os_mutex_unlock(&p->lock);
	}
	return NULL;
}

static int probe_init(const struct xdr_host_api *api, void **state, char *err,
                      size_t errsize)
{
	struct probe *p = calloc(1, sizeof(*p));
	if (p == NULL) {
		snprintf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	p->api = api;
	os_mutex_init(&p->lock);
	*state = p;
	api->log(api->host, XDR_LOG_INFO, "probe ready");
	return XDR_OK;
}

static void probe_shutdown(void *state)
{
	struct probe *p = state;
	os_mutex_lock(&p->lock);
	p->total = p->done; /* ends the work thread at its next step */
	os_mutex_unlock(&p->lock);
	if (p->thread_started)
		os_thread_join(p->thread);
	os_mutex_destroy(&p->lock);
	free(p);
}

static int probe_report_fields(void *user, const struct xdr_report *r)
{
	struct probe *p = user;
	char id[32], size[32], systems[32], publish[8];
	snprintf(id, sizeof(id), "%lld", (long long)r->id);
	snprintf(size, sizeof(size), "%llu", (unsigned long long)r->file_size);
	snprintf(systems, sizeof(systems), "%zu", r->n_system_ids);
	snprintf(publish, sizeof(publish), "%d", r->publish_itglue ? 1 : 0);
	const struct xdr_event_field fields[] = {
	        {"report_id", id},
	        {"title", r->title},
	        {"type", r->type},
	        {"file_name", r->file_name},
	        {"size", size},
	        {"systems", systems},
	        {"publish_itglue", publish},
	};
	const struct xdr_event ev = {
	        .struct_size = sizeof(ev),
	        .id = 9001,
	        .severity = XDR_SEVERITY_INFO,
	        .category = "probe",
	        .description = "probe saw a generated report",
	        .fields = fields,
	        .n_fields = sizeof(fields) / sizeof(fields[0]),
	};
	return p->api->emit_event(p->api->host, &ev);
}

static int probe_report(void *state, int64_t report_id)
{
	struct probe *p = state;
	return p->api->get_report(p->api->host, report_id, probe_report_fields,
	                          p);
}

static int probe_tick(void *state, int64_t now)
{
	struct probe *p = state;
	char when[32];
	snprintf(when, sizeof(when), "%lld", (long long)now);
	const struct xdr_event_field fields[] = {{"now", when}};
	const struct xdr_event ev = {
	        .struct_size = sizeof(ev),
	        .id = 9002,
	        .severity = XDR_SEVERITY_INFO,
	        .category = "probe",
	        .description = "probe ticked",
	        .fields = fields,
	        .n_fields = 1,
	};
	return p->api->emit_event(p->api->host, &ev);
}

static int probe_add_group(void *user, const struct xdr_group *g)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(g->id));
	json_object_object_add(o, "name", json_object_new_string(g->name));
	json_object_object_add(
	        o, "email", g->email ? json_object_new_string(g->email) : NULL);
	json_object_array_add(user, o);
	return 0;
}

static int probe_add_system(void *user, const struct xdr_system *s)
{
	json_object *o = json_object_new_object();
	json_object *macs = json_object_new_array();
	for (size_t i = 0; i < s->n_macs; i++)
		json_object_array_add(macs, json_object_new_string(s->macs[i]));
	json_object_object_add(o, "id", json_object_new_int64(s->id));
	json_object_object_add(o, "name", json_object_new_string(s->name));
	json_object_object_add(o, "group_id",
	                       json_object_new_int64(s->group_id));
	json_object_object_add(o, "macs", macs);
	json_object_array_add(user, o);
	return 0;
}

static const char *probe_string(json_object *req, const char *key)
{
	json_object *v;
	if (req == NULL || !json_object_object_get_ex(req, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static int probe_int(json_object *req, const char *key, int fallback)
{
	json_object *v;
	if (req == NULL || !json_object_object_get_ex(req, key, &v))
		return fallback;
	return json_object_get_int(v);
}

/* A host service that fills a buffer, answered as {"<key>": "<text>"}. */
static int probe_buffer_answer(char **response, const char *key, int rc,
                               const char *text)
{
	if (rc != XDR_OK) {
		char msg[64];
		snprintf(msg, sizeof(msg), "host answered %d", rc);
		return probe_error(response, msg);
	}
	json_object *root = json_object_new_object();
	json_object_object_add(root, key, json_object_new_string(text));
	*response = probe_dup_json(root);
	return XDR_OK;
}

static int probe_action(struct probe *p, const char *action, json_object *req,
                        char **response)
{
	const struct xdr_host_api *api = p->api;
	char buf[4096];
	size_t len = 0;

	if (strcmp(action, "status") == 0) {
		json_object *root = json_object_new_object();
		os_mutex_lock(&p->lock);
		json_object_object_add(root, "busy",
		                       json_object_new_boolean(p->busy));
		if (p->busy) {
			json_object *prog = json_object_new_object();
			json_object_object_add(
			        prog, "running",
			        json_object_new_string("probe work"));
			json_object_object_add(prog, "done",
			                       json_object_new_int(p->done));
			json_object_object_add(prog, "total",
			                       json_object_new_int(p->total));
			json_object_object_add(root, "progress", prog);
		}
		os_mutex_unlock(&p->lock);
		*response = probe_dup_json(root);
		return XDR_OK;
	}
	if (strcmp(action, "work") == 0) {
		os_mutex_lock(&p->lock);
		if (p->busy) {
			os_mutex_unlock(&p->lock);
			return probe_error(response, "already working");
		}
		os_mutex_unlock(&p->lock);
		if (p->thread_started)
			os_thread_join(p->thread);
		p->thread_started = 0;
		os_mutex_lock(&p->lock);
		p->busy = 1;
		p->done = 0;
		p->total = probe_int(req, "steps", 3);
		p->step_ms = probe_int(req, "ms", 100);
		os_mutex_unlock(&p->lock);
		if (os_thread_start(&p->thread, probe_work, p) != 0) {
			p->busy = 0;
			return probe_error(response, "cannot start a thread");
		}
		p->thread_started = 1;
		return probe_buffer_answer(response, "started", XDR_OK, "yes");
	}
	if (strcmp(action, "seal") == 0) {
		const char *secret = probe_string(req, "secret");
		if (secret == NULL)
			return probe_error(response, "secret missing");
		int rc = api->seal(api->host, secret, strlen(secret), buf,
		                   sizeof(buf), &len);
		return probe_buffer_answer(response, "sealed", rc, buf);
	}
	if (strcmp(action, "unseal") == 0) {
		const char *sealed = probe_string(req, "sealed");
		if (sealed == NULL)
			return probe_error(response, "sealed missing");
		int rc = api->unseal(api->host, sealed, buf, sizeof(buf) - 1,
		                     &len);
		if (rc == XDR_OK)
			buf[len] = '\0';
		return probe_buffer_answer(response, "secret", rc, buf);
	}
	if (strcmp(action, "setting") == 0) {
		const char *key = probe_string(req, "key");
		int rc = api->get_setting(api->host, key ? key : "", buf,
		                          sizeof(buf), &len);
		return probe_buffer_answer(response, "value", rc, buf);
	}
	if (strcmp(action, "state_dir") == 0) {
		int rc = api->get_state_dir(api->host, buf, sizeof(buf), &len);
		return probe_buffer_answer(response, "state_dir", rc, buf);
	}
	if (strcmp(action, "groups") == 0 || strcmp(action, "systems") == 0) {
		int groups = strcmp(action, "groups") == 0;
		json_object *list = json_object_new_array();
		int rc = groups ? api->list_groups(api->host, probe_add_group,
		                                   list)
		                : api->list_systems(
		                          api->host,
		                          probe_int(req, "group_id", 0),
		                          probe_add_system, list);
		if (rc != XDR_OK) {
			json_object_put(list);
			return probe_buffer_answer(response, action, rc, "");
		}
		json_object *root = json_object_new_object();
		json_object_object_add(root, action, list);
		*response = probe_dup_json(root);
		return XDR_OK;
	}
	if (strcmp(action, "emit") == 0) {
		struct xdr_event_field fields[16];
		json_object *given = NULL;
		size_t n = 0;

		if (req != NULL)
			json_object_object_get_ex(req, "fields", &given);
		if (json_object_is_type(given, json_type_object)) {
			json_object_object_foreach(given, name, value)
			{
				if (n == sizeof(fields) / sizeof(fields[0]))
					break;
				fields[n].name = name;
				fields[n++].value =
				        json_object_get_string(value);
			}
		}
		const char *description = probe_string(req, "description");
		const struct xdr_event ev = {
		        .struct_size = sizeof(ev),
		        .id = (uint32_t)probe_int(req, "id", 9003),
		        .severity = XDR_SEVERITY_INFO,
		        .category = "probe",
		        .description = description ? description : "probe",
		        .fields = n > 0 ? fields : NULL,
		        .n_fields = n,
		};
		int rc = api->emit_event(api->host, &ev);
		return probe_buffer_answer(response, "emitted", rc, "yes");
	}
	if (strcmp(action, "garbage") == 0) {
		*response = strdup("this is not JSON");
		return XDR_OK;
	}
	if (strcmp(action, "instance.add") == 0) {
		*response = req != NULL ? probe_dup_json(json_object_get(req))
		                        : strdup("{}");
		return XDR_OK;
	}
	return probe_error(response, "the probe fails as asked");
}

static int probe_admin(void *state, const char *action, const char *request,
                       char **response)
{
	json_object *req = NULL;
	if (request != NULL && request[0] != '\0') {
		req = json_tokener_parse(request);
		if (req == NULL)
			return probe_error(response, "request is not JSON");
	}
	int rc = probe_action(state, action, req, response);
	json_object_put(req);
	return rc;
}

static const struct xdr_plugin probe_descriptor = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .abi_minor = XDR_PLUGIN_ABI_MINOR,
        .name = "probe",
        .version = "1.0.0",
        .description = "exposes the host's services to the integration tests",
        .init = probe_init,
        .shutdown = probe_shutdown,
        .on_report_generated = probe_report,
        .on_schedule_tick = probe_tick,
        .on_admin_action = probe_admin,
        .free = free,
};

XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void);
XDR_PLUGIN_EXPORT const struct xdr_plugin *xdr_plugin_entry(void)
{
	return &probe_descriptor;
}
