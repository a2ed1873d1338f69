/*
 * reqlog.c - the request log and counters behind /_sandbox/requests and
 * /_sandbox/counts. The log keeps the last SBX_LOG_MAX API requests.
 */
#include "config.h"

#include <stdio.h>

#include <xdr/plugin.h>

#include "sandbox.h"

int sbx_reqlog_init(struct sbx_server *srv)
{
	srv->log = json_object_new_array();
	srv->route_counts = json_object_new_object();
	srv->status_counts = json_object_new_object();
	srv->total = 0;
	if (!srv->log || !srv->route_counts || !srv->status_counts) {
		sbx_reqlog_free(srv);
		return XDR_ENOMEM;
	}
	return XDR_OK;
}

void sbx_reqlog_free(struct sbx_server *srv)
{
	json_object_put(srv->log);
	json_object_put(srv->route_counts);
	json_object_put(srv->status_counts);
	srv->log = srv->route_counts = srv->status_counts = NULL;
}

void sbx_reqlog_clear(struct sbx_server *srv)
{
	struct json_object *log = json_object_new_array();
	struct json_object *routes = json_object_new_object();
	struct json_object *statuses = json_object_new_object();

	if (!log || !routes || !statuses) {
		json_object_put(log);
		json_object_put(routes);
		json_object_put(statuses);
		return;
	}
	sbx_reqlog_free(srv);
	srv->log = log;
	srv->route_counts = routes;
	srv->status_counts = statuses;
	srv->total = 0;
}

static void count(struct json_object *counts, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(counts, key, &v))
		json_object_int_inc(v, 1);
	else
		json_object_object_add(counts, key, json_object_new_int64(1));
}

int sbx_reqlog_add(struct sbx_server *srv, struct sbx_log_entry *e)
{
	struct json_object *o = json_object_new_object();
	char key[96];

	if (!o) {
		json_object_put(e->headers);
		return XDR_ENOMEM;
	}
	json_object_object_add(o, "seq", json_object_new_int64(e->seq));
	json_object_object_add(o, "method", json_object_new_string(e->method));
	json_object_object_add(o, "path", json_object_new_string(e->path));
	json_object_object_add(o, "query", json_object_new_string(e->query));
	json_object_object_add(o, "route", json_object_new_string(e->route));
	json_object_object_add(o, "status", json_object_new_int(e->status));
	json_object_object_add(
	        o, "fault", e->fault ? json_object_new_string(e->fault) : NULL);
	json_object_object_add(o, "headers", e->headers);
	json_object_object_add(o, "body_size",
	                       json_object_new_int64((int64_t)e->body_size));
	e->headers = NULL;
	if (json_object_array_length(srv->log) >= SBX_LOG_MAX)
		json_object_array_del_idx(srv->log, 0, 1);
	json_object_array_add(srv->log, o);
	snprintf(key, sizeof(key), "%s %s", e->method, e->route);
	count(srv->route_counts, key);
	snprintf(key, sizeof(key), "%d", e->status);
	count(srv->status_counts, key);
	srv->total++;
	return XDR_OK;
}
