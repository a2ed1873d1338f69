/*
 * reply.c - filling a handler's reply: JSON bodies, error objects, host and
 * plugin failures, and the JSON object of a request's body.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"

/* How deep a request body may nest: the plugin's own limit. */
#define BODY_MAX_DEPTH 32

/* The answer when even an error object cannot be made. */
static const char no_memory[] =
        "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of "
        "memory\"}}";

static void set_body(struct xcon_reply *reply, unsigned status, char *body,
                     size_t len)
{
	free(reply->body);
	reply->body = body;
	reply->len = len;
	reply->status = status;
	reply->content_type = NULL;
}

static void set_no_memory(struct xcon_reply *reply)
{
	char *body = strdup(no_memory);

	set_body(reply, 500, body, body ? strlen(body) : 0);
}

void xcon_reply_json(struct xcon_reply *reply, unsigned status,
                     struct json_object *value)
{
	const char *text;
	char *body;

	if (!value) {
		set_no_memory(reply);
		return;
	}
	text = json_object_to_json_string_ext(
	        value, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	body = text ? strdup(text) : NULL;
	json_object_put(value);
	if (!body) {
		set_no_memory(reply);
		return;
	}
	set_body(reply, status, body, strlen(body));
}

void xcon_reply_error(struct xcon_reply *reply, unsigned status,
                      const char *code, const char *fmt, ...)
{
	struct json_object *doc, *error;
	char message[XDR_ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), fmt, ap);
	va_end(ap);
	doc = json_object_new_object();
	error = json_object_new_object();
	if (!doc || !error ||
	    json_object_object_add(doc, "error", error) != 0) {
		json_object_put(doc);
		json_object_put(error);
		set_no_memory(reply);
		return;
	}
	if (json_object_object_add(error, "code",
	                           json_object_new_string(code)) != 0 ||
	    json_object_object_add(error, "message",
	                           json_object_new_string(message)) != 0) {
		json_object_put(doc);
		set_no_memory(reply);
		return;
	}
	xcon_reply_json(reply, status, doc);
}

void xcon_reply_err(struct xcon_reply *reply, int status,
                    const struct xdr_err *err)
{
	const char *code;

	switch (status) {
	case XDR_EINVAL:
		code = "bad_request";
		break;
	case XDR_ENOTFOUND:
		code = "not_found";
		break;
	case XDR_EDISABLED:
		code = "integration_disabled";
		break;
	case XDR_EBUSY:
		code = "busy";
		break;
	default:
		code = status == XDR_ENOMEM ? "out_of_memory"
		                            : "internal_error";
		break;
	}
	xcon_reply_error(reply, xcon_http_status(status, NULL), code, "%s",
	                 err && err->msg[0] ? err->msg
	                                    : xdr_status_name(status));
}

void xcon_reply_plugin(struct xcon_reply *reply, int status, char *answer)
{
	if (!answer) {
		xcon_reply_error(reply, 502, "no_answer",
		                 "the plugin gave no answer (status %d: %s)",
		                 status, xdr_status_name(status));
		return;
	}
	set_body(reply, xcon_http_status(status, answer), answer,
	         strlen(answer));
}

struct json_object *xcon_body_object(const struct xcon_request *req,
                                     struct xcon_reply *reply)
{
	struct json_object *obj = NULL;
	struct xdr_err err;

	if (!req->body || req->body_len == 0) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "the request needs a JSON object as its body");
		return NULL;
	}
	if (xdr_json_parse(req->body, req->body_len, BODY_MAX_DEPTH, &obj,
	                   &err) != XDR_OK) {
		xcon_reply_error(reply, 400, "bad_request",
		                 "the body is not JSON: %s", err.msg);
		return NULL;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		xcon_reply_error(reply, 400, "bad_request",
		                 "the body must be a JSON object");
		return NULL;
	}
	return obj;
}
