/*
 * inspect.c - the /_sandbox/ API: no key, not counted, never faulted. It
 * lets tests see what a client sent (the request log, with its headers),
 * how often (counts), what the data became, reset it all, change the
 * faults at run time and fetch uploaded files.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

#include "base64.h"
#include "sandbox.h"

#define JSON_TYPE "application/json"

static int answer(struct sbx_response *res, int status, struct json_object *doc)
{
	int rc = sbx_respond_doc(res, status, doc);

	res->content_type = JSON_TYPE;
	return rc;
}

static int refuse(struct sbx_response *res, int status, const char *why)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "error", json_object_new_string(why));
	return answer(res, status, doc);
}

static int health(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "status", json_object_new_string("ok"));
	json_object_object_add(doc, "region",
	                       json_object_new_string(srv->set.region));
	json_object_object_add(doc, "requests",
	                       json_object_new_int64(srv->seq));
	return answer(res, 200, doc);
}

static int requests(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "requests", json_object_get(srv->log));
	return answer(res, 200, doc);
}

static int counts(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "total", json_object_new_int64(srv->total));
	json_object_object_add(doc, "routes",
	                       json_object_get(srv->route_counts));
	json_object_object_add(doc, "status",
	                       json_object_get(srv->status_counts));
	return answer(res, 200, doc);
}

static int reset(struct sbx_server *srv, struct sbx_response *res)
{
	struct sbx_store fresh;
	struct sbx_faults faults;
	struct json_object *doc;

	sbx_store_init(&fresh);
	if (sbx_store_copy(&fresh, &srv->initial) != XDR_OK)
		return XDR_ENOMEM;
	if (sbx_faults_copy(&faults, &srv->initial_faults) != XDR_OK) {
		sbx_store_free(&fresh);
		return XDR_ENOMEM;
	}
	sbx_store_free(&srv->store);
	srv->store = fresh;
	sbx_faults_clear(&srv->faults);
	srv->faults = faults;
	sbx_ratelimit_reset(&srv->rate);
	sbx_reqlog_clear(srv);
	srv->seq = 0;
	doc = json_object_new_object();
	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "status", json_object_new_string("reset"));
	return answer(res, 200, doc);
}

static struct json_object *fault_json(long at_or_n, const char *member,
                                      const struct sbx_fault *f)
{
	struct json_object *o = json_object_new_object();
	char kind[40];

	if (!o)
		return NULL;
	sbx_fault_name(f, kind, sizeof(kind));
	json_object_object_add(o, member, json_object_new_int64(at_or_n));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	return o;
}

static int faults_show(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *schedule = json_object_new_array();
	const struct sbx_faults *f = &srv->faults;

	if (!doc || !schedule) {
		json_object_put(doc);
		json_object_put(schedule);
		return XDR_ENOMEM;
	}
	json_object_object_add(
	        doc, "fail_every",
	        f->every ? fault_json(f->every, "n", &f->every_fault) : NULL);
	for (size_t i = 0; i < f->scheduled; i++)
		json_object_array_add(schedule,
		                      fault_json(f->schedule[i].at, "at",
		                                 &f->schedule[i].fault));
	json_object_object_add(doc, "schedule", schedule);
	json_object_object_add(doc, "counter",
	                       json_object_new_int64(f->counter));
	return answer(res, 200, doc);
}

static const char *fault_kind_of(struct json_object *o)
{
	struct json_object *kind;

	if (!json_object_object_get_ex(o, "kind", &kind))
		return "500";
	return json_object_is_type(kind, json_type_string)
	               ? json_object_get_string(kind)
	               : NULL;
}

/* {"fail_every": {"n", "kind"} | null, "schedule": [{"at", "kind"}]} */
static int parse_faults(struct json_object *doc, struct sbx_faults *out,
                        const char **why)
{
	struct json_object *every, *schedule;
	const char *kind;
	struct sbx_fault f;

	*why = "the body must be a JSON object";
	if (!json_object_is_type(doc, json_type_object))
		return XDR_EINVAL;
	if (json_object_object_get_ex(doc, "fail_every", &every) && every) {
		*why = "fail_every needs \"n\" >= 1 and a valid \"kind\"";
		kind = fault_kind_of(every);
		out->every = (long)sbx_int_of(every, "n");
		if (out->every < 1 || !kind ||
		    sbx_fault_parse_kind(kind, &out->every_fault))
			return XDR_EINVAL;
	}
	if (!json_object_object_get_ex(doc, "schedule", &schedule) || !schedule)
		return XDR_OK;
	*why = "schedule must be an array of {\"at\" >= 1, \"kind\"}";
	if (!json_object_is_type(schedule, json_type_array))
		return XDR_EINVAL;
	for (size_t i = 0; i < json_object_array_length(schedule); i++) {
		struct json_object *e = json_object_array_get_idx(schedule, i);
		long at = (long)sbx_int_of(e, "at");

		kind = fault_kind_of(e);
		if (at < 1 || !kind || sbx_fault_parse_kind(kind, &f))
			return XDR_EINVAL;
		if (sbx_faults_schedule(out, at, &f))
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

static int faults_set(struct sbx_server *srv, const char *body, size_t len,
                      struct sbx_response *res)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = NULL;
	struct sbx_faults faults;
	const char *why;
	int rc;

	if (!tok)
		return XDR_ENOMEM;
	doc = json_tokener_parse_ex(tok, body ? body : "", (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	sbx_faults_init(&faults);
	rc = parse_faults(doc, &faults, &why);
	json_object_put(doc);
	if (rc != XDR_OK) {
		sbx_faults_clear(&faults);
		return rc == XDR_EINVAL ? refuse(res, 400, why) : rc;
	}
	sbx_faults_clear(&srv->faults);
	srv->faults = faults;
	return faults_show(srv, res);
}

static const char *media_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;

	if (dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm")))
		return "text/html; charset=utf-8";
	if (dot && !strcasecmp(dot, ".pdf"))
		return "application/pdf";
	if (dot && !strcasecmp(dot, ".txt"))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

static int file(struct sbx_server *srv, const char *id_text,
                struct sbx_response *res)
{
	struct json_object *f;
	const char *content, *name;
	unsigned char *bytes;
	size_t size;
	int64_t id;
	int rc;

	if (!sbx_parse_id(id_text, &id) ||
	    !(f = sbx_file_find(&srv->store, id)))
		return refuse(res, 404, "no such file");
	content = sbx_str_of(f, "content");
	name = sbx_str_of(f, "file_name");
	if (!name)
		name = sbx_str_of(f, "attachment-file-name");
	if (!content)
		return refuse(res, 404, "no such file");
	rc = sbx_base64_decode(content, strlen(content), &bytes, &size);
	if (rc == XDR_EINVAL)
		return refuse(res, 500, "stored content is not base64");
	if (rc != XDR_OK)
		return rc;
	rc = sbx_respond_bytes(res, 200, media_type(name), bytes, size);
	free(bytes);
	return rc;
}

int sbx_inspect(struct sbx_server *srv, const char *method, const char *path,
                const char *body, size_t body_len, struct sbx_response *res)
{
	bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
	char params[2][32];

	if (get && !strcmp(path, "/_sandbox/health"))
		return health(srv, res);
	if (get && !strcmp(path, "/_sandbox/requests"))
		return requests(srv, res);
	if (get && !strcmp(path, "/_sandbox/counts"))
		return counts(srv, res);
	if (get && !strcmp(path, "/_sandbox/data"))
		return answer(res, 200, json_object_get(srv->store.root));
	if (post && !strcmp(path, "/_sandbox/reset"))
		return reset(srv, res);
	if (get && !strcmp(path, "/_sandbox/faults"))
		return faults_show(srv, res);
	if (post && !strcmp(path, "/_sandbox/faults"))
		return faults_set(srv, body, body_len, res);
	if (get && sbx_route_match("/_sandbox/files/:id", path, params))
		return file(srv, params[0], res);
	return refuse(res, 404, "no such /_sandbox/ route");
}
