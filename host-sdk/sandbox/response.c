/*
 * response.c - building answers: JSON:API documents, JSON:API errors and
 * the HTML pages IT Glue's router and gateway answer with.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

#include "sandbox.h"

void sbx_response_init(struct sbx_response *r)
{
	memset(r, 0, sizeof(*r));
	r->retry_after = -1;
}

void sbx_response_clear(struct sbx_response *r)
{
	free(r->body);
	json_object_put(r->doc);
	sbx_response_init(r);
}

const char *sbx_status_title(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Payload Too Large";
	case 422:
		return "Unprocessable Entity";
	case 429:
		return "Too Many Requests";
	case 500:
		return "Internal Server Error";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	case 504:
		return "Gateway Timeout";
	default:
		return status >= 500 ? "Server Error" : "Client Error";
	}
}

int sbx_respond_bytes(struct sbx_response *r, int status,
                      const char *content_type, const void *body, size_t length)
{
	char *copy = malloc(length + 1);

	if (!copy)
		return XDR_ENOMEM;
	if (length)
		memcpy(copy, body, length);
	copy[length] = '\0';
	return sbx_respond_take(r, status, content_type, copy, length);
}

int sbx_respond_take(struct sbx_response *r, int status,
                     const char *content_type, char *body, size_t length)
{
	free(r->body);
	json_object_put(r->doc);
	r->doc = NULL;
	r->body = body;
	r->length = length;
	r->status = status;
	r->content_type = content_type;
	return XDR_OK;
}

int sbx_respond_doc(struct sbx_response *r, int status, struct json_object *doc)
{
	if (!doc)
		return XDR_ENOMEM;
	free(r->body);
	r->body = NULL;
	r->length = 0;
	json_object_put(r->doc);
	r->doc = doc;
	r->status = status;
	r->content_type = SBX_MEDIA_TYPE;
	return XDR_OK;
}

int sbx_response_render(struct sbx_response *r)
{
	struct json_object *doc = r->doc;
	const char *text;
	size_t len;
	int rc;

	if (!doc)
		return XDR_OK;
	text = json_object_to_json_string_length(
	        doc, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
	        &len);
	if (!text)
		return XDR_ENOMEM;
	r->doc = NULL;
	rc = sbx_respond_bytes(r, r->status, r->content_type, text, len);
	json_object_put(doc);
	return rc;
}

int sbx_respond_problem(struct sbx_response *r, const struct sbx_problem *p)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *errors = json_object_new_array();
	struct json_object *e = json_object_new_object();

	if (!doc || !errors || !e) {
		json_object_put(doc);
		json_object_put(errors);
		json_object_put(e);
		return XDR_ENOMEM;
	}
	json_object_object_add(e, "status", json_object_new_int(p->status));
	json_object_object_add(e, "title", json_object_new_string(p->title));
	if (p->detail[0]) {
		struct json_object *d = json_object_new_string(p->detail);

		if (p->detail_array) {
			struct json_object *a = json_object_new_array();

			json_object_array_add(a, d);
			d = a;
		}
		json_object_object_add(e, "detail", d);
	}
	if (p->pointer[0] || p->null_pointer) {
		struct json_object *source = json_object_new_object();

		json_object_object_add(
		        source, "pointer",
		        p->null_pointer ? NULL
		                        : json_object_new_string(p->pointer));
		json_object_object_add(e, "source", source);
	}
	json_object_array_add(errors, e);
	json_object_object_add(doc, "errors", errors);
	return sbx_respond_doc(r, p->status, doc);
}

void sbx_problem_set(struct sbx_problem *p, int status, const char *title,
                     const char *detail, const char *pointer)
{
	memset(p, 0, sizeof(*p));
	p->status = status;
	snprintf(p->title, sizeof(p->title), "%s",
	         title ? title : sbx_status_title(status));
	if (detail)
		snprintf(p->detail, sizeof(p->detail), "%s", detail);
	if (pointer)
		snprintf(p->pointer, sizeof(p->pointer), "%s", pointer);
}

int sbx_respond_error(struct sbx_response *r, int status, const char *title,
                      const char *detail, const char *pointer)
{
	struct sbx_problem p;

	sbx_problem_set(&p, status, title, detail, pointer);
	return sbx_respond_problem(r, &p);
}

/* The page of a Rails router or an API gateway: HTML, not JSON. */
#define HTML_PAGE                                                              \
	"<!DOCTYPE html>\n<html>\n<head>\n"                                    \
	"  <title>%s (%d)</title>\n</head>\n<body>\n"                          \
	"  <div class=\"dialog\">\n    <h1>%s</h1>\n    <p>%s</p>\n"           \
	"  </div>\n</body>\n</html>\n"

int sbx_respond_html(struct sbx_response *r, int status, const char *heading,
                     const char *text)
{
	int len = snprintf(NULL, 0, HTML_PAGE, heading, status, heading, text);
	char *page;
	int rc;

	if (len < 0)
		return XDR_ERROR;
	page = malloc((size_t)len + 1);
	if (!page)
		return XDR_ENOMEM;
	snprintf(page, (size_t)len + 1, HTML_PAGE, heading, status, heading,
	         text);
	rc = sbx_respond_bytes(r, status, "text/html; charset=utf-8", page,
	                       (size_t)len);
	free(page);
	return rc;
}
