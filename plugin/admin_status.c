/*
 * admin_status.c - the "status" action: what the plugin is and is doing.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <json.h>

#include "admin.h"
#include "gate.h"
#include "json_util.h"
#include "outbox_store.h"
#include "store.h"
#include "store_ready.h"
#include "worker.h"

static struct json_object *progress(const struct itg_worker_status *ws)
{
	struct json_object *obj = json_object_new_object();

	if (itg_json_add(obj, "running", json_object_new_string(ws->running)) !=
	            0 ||
	    itg_json_add(obj, "done", json_object_new_uint64(ws->done)) != 0 ||
	    itg_json_add(obj, "total", json_object_new_uint64(ws->total)) !=
	            0 ||
	    itg_json_add(obj, "queued",
	                 json_object_new_uint64((uint64_t)ws->queued)) != 0) {
		json_object_put(obj);
		return NULL;
	}
	return obj;
}

/* The outbox at a glance: counts, and why the last failures failed. */
static struct json_object *outbox(struct itg_plugin *p)
{
	struct itg_outbox_counts c;
	struct itg_outbox_row *failed = NULL;
	struct json_object *o, *list;
	time_t now = time(NULL);
	size_t n = 0;

	if (itg_outbox_count(p->store, (int64_t)(now - now % 86400), &c) != 0)
		return NULL;
	o = json_object_new_object();
	list = json_object_new_array();
	itg_json_add(o, "pending", json_object_new_int64(c.pending));
	itg_json_add(o, "in_progress", json_object_new_int64(c.working));
	itg_json_add(o, "failed", json_object_new_int64(c.failed));
	itg_json_add(o, "done_today", json_object_new_int64(c.done_today));
	itg_json_add(o, "done", json_object_new_int64(c.done));
	if (itg_outbox_failures(p->store, 10, &failed, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			struct json_object *f = json_object_new_object();

			itg_json_add(
			        f, "report_id",
			        json_object_new_int64(failed[i].report_id));
			itg_json_add(f, "reason",
			             json_object_new_string(
			                     failed[i].last_error
			                             ? failed[i].last_error
			                             : ""));
			json_object_array_add(list, f);
		}
	}
	for (size_t i = 0; i < n; i++)
		itg_outbox_row_clear(&failed[i]);
	free(failed);
	itg_json_add(o, "failures", list);
	return o;
}

/*
 * The database: usable or why not, and what its last rebuild did. Status
 * also tries to open a database init could not, so that an administrator
 * who fixed the fault sees it at once.
 */
static struct json_object *store(struct itg_plugin *p)
{
	struct json_object *o = json_object_new_object();
	char reason[512], path[4096];
	char *rebuilt = NULL;
	bool ok = itg_store_ready(p, reason, sizeof(reason)) == XDR_OK;

	if (ok)
		snprintf(path, sizeof(path), "%s", itg_store_path(p->store));
	else
		snprintf(path, sizeof(path), "%s/%s",
		         p->state_dir != NULL ? p->state_dir : "",
		         ITG_STORE_FILE);
	if (itg_json_add(o, "ok", json_object_new_boolean(ok)) != 0 ||
	    itg_json_add(o, "file", json_object_new_string(path)) != 0 ||
	    (!ok &&
	     itg_json_add(o, "error", json_object_new_string(reason)) != 0)) {
		json_object_put(o);
		return NULL;
	}
	if (ok && itg_store_config_get(p->store, ITG_CONFIG_STORE_REBUILT,
	                               &rebuilt, NULL, 0) == XDR_OK) {
		struct json_object *r = json_tokener_parse(rebuilt);

		if (r != NULL && itg_json_add(o, "last_rebuild", r) != 0) {
			json_object_put(o);
			o = NULL;
		}
	}
	free(rebuilt);
	return o;
}

/* VALUE under KEY, or null when there is none (the store cannot say). */
static int add_or_null(struct json_object *obj, const char *key,
                       struct json_object *value)
{
	if (value != NULL)
		return itg_json_add(obj, key, value);
	return json_object_object_add(obj, key, NULL);
}

int itg_admin_status(struct itg_plugin *p, struct json_object *request,
                     struct json_object **response)
{
	struct itg_worker_status ws;
	struct json_object *obj;
	bool usable;

	if (json_object_object_length(request) != 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "status takes no parameters");
		return XDR_EINVAL;
	}
	itg_worker_status(p->worker, &ws);
	obj = json_object_new_object();
	if (itg_json_add(obj, "store", store(p)) != 0) {
		json_object_put(obj);
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory answering status");
		return XDR_ENOMEM;
	}
	usable = __atomic_load_n(&p->store, __ATOMIC_ACQUIRE) != NULL;
	if (itg_json_add(obj, "plugin",
	                 json_object_new_string(ITG_PLUGIN_NAME)) != 0 ||
	    itg_json_add(obj, "version",
	                 json_object_new_string(PACKAGE_VERSION)) != 0 ||
	    itg_json_add(obj, "enabled",
	                 json_object_new_boolean(itg_integration_enabled(p))) !=
	            0 ||
	    itg_json_add(obj, "busy", json_object_new_boolean(ws.busy)) != 0 ||
	    add_or_null(obj, "schema_version",
	                usable ? json_object_new_int(
	                                 itg_store_schema_version(p->store))
	                       : NULL) != 0 ||
	    add_or_null(obj, "outbox", usable ? outbox(p) : NULL) != 0 ||
	    (ws.busy && itg_json_add(obj, "progress", progress(&ws)) != 0)) {
		json_object_put(obj);
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory answering status");
		return XDR_ENOMEM;
	}
	*response = obj;
	return XDR_OK;
}
