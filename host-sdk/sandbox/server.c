/*
 * server.c - the HTTP side: libmicrohttpd glue, the body limit, faults,
 * authentication, the rate limit, latency, and the request log.
 *
 * One thread per connection, so that --latency-ms delays one answer without
 * holding up the others; the data and every counter sit behind one mutex,
 * taken for the short time a request needs them.
 *
 * The order in which an API request is judged: its fault (counted in
 * arrival order) first, as a gateway would answer before the application;
 * then the body limit; the route (an unknown one is an HTML 404, whatever
 * the key); the key (401, or 403 for another region's key); the rate limit
 * (429); the query and body; and last the handler.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include <xdr/plugin.h>

#include "fault_body.h"
#include "sandbox.h"

/* The state of one request, from its URI to its completion. */
struct conn {
	char *uri;
	char *path; /* decoded */
	const char *query;
	bool started, answered, inspect;
	char *body;
	size_t length, capacity;
	bool too_big;
	int64_t seq;
	struct sbx_fault fault;
	struct json_object *headers;
};

/* What a truncate fault sends: the first half of a declared body. */
struct partial {
	char *body;
	size_t sent_max;
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

static void *uri_logged(void *cls, const char *uri,
                        struct MHD_Connection *connection)
{
	struct conn *c = calloc(1, sizeof(*c));

	(void)cls;
	(void)connection;
	if (c && !(c->uri = strdup(uri))) {
		free(c);
		c = NULL;
	}
	return c;
}

static void completed(void *cls, struct MHD_Connection *connection,
                      void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct conn *c = *req_cls;

	(void)cls;
	(void)connection;
	(void)toe;
	if (!c)
		return;
	free(c->uri);
	free(c->path);
	free(c->body);
	json_object_put(c->headers);
	free(c);
	*req_cls = NULL;
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind,
                                  const char *key, const char *value)
{
	(void)kind;
	json_object_object_add(cls, key,
	                       json_object_new_string(value ? value : ""));
	return MHD_YES;
}

static void base_url(struct sbx_server *srv, struct MHD_Connection *con,
                     char *out, size_t size)
{
	const char *host = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	                                               MHD_HTTP_HEADER_HOST);

	if (host)
		snprintf(out, size, "%s://%s",
		         srv->set.tls_cert ? "https" : "http", host);
	else
		snprintf(out, size, "%s://%s:%u",
		         srv->set.tls_cert ? "https" : "http", srv->set.bind,
		         srv->port);
}

/* ---- turning a response into HTTP ---- */

static ssize_t read_partial(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct partial *p = cls;
	size_t left;

	if (pos >= p->sent_max)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	left = p->sent_max - (size_t)pos;
	if (left > max)
		left = max;
	memcpy(buf, p->body + pos, left);
	return (ssize_t)left;
}

static void free_partial(void *cls)
{
	struct partial *p = cls;

	free(p->body);
	free(p);
}

static struct MHD_Response *make_response(struct sbx_response *res,
                                          bool truncate)
{
	struct MHD_Response *r;
	char value[24];

	if (truncate && res->length > 1) {
		struct partial *p = malloc(sizeof(*p));

		if (!p)
			return NULL;
		p->body = res->body;
		p->sent_max = res->length / 2;
		r = MHD_create_response_from_callback(
		        res->length, 4096, read_partial, p, free_partial);
		if (!r) {
			free(p);
			return NULL;
		}
	} else {
		r = MHD_create_response_from_buffer(res->length, res->body,
		                                    MHD_RESPMEM_MUST_FREE);
		if (!r)
			return NULL;
	}
	res->body = NULL;
	if (res->content_type)
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        res->content_type);
	if (res->retry_after >= 0) {
		snprintf(value, sizeof(value), "%ld", res->retry_after);
		MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, value);
	}
	return r;
}

static enum MHD_Result send_response(struct MHD_Connection *con,
                                     struct sbx_response *res, bool truncate)
{
	struct MHD_Response *r = make_response(res, truncate);
	enum MHD_Result ok;

	if (!r)
		return MHD_NO;
	ok = MHD_queue_response(con, (unsigned)res->status, r);
	MHD_destroy_response(r);
	return ok;
}

/* ---- faults that answer instead of the application ---- */

/* How often a hang fault drips a byte: often enough to keep any idle
 * timeout away, rarely enough to cost nothing. */
#define HANG_DRIP_MS 100

static bool hostile(enum sbx_fault_kind kind)
{
	return kind == SBX_FAULT_HANG || kind == SBX_FAULT_REDIRECT ||
	       kind == SBX_FAULT_HUGE || kind == SBX_FAULT_DEEP;
}

static ssize_t read_fault_body(void *cls, uint64_t pos, char *buf, size_t max)
{
	const struct sbx_fault_body *b = cls;

	if (pos >= b->total)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (pos >= b->head) {
		/* Past the head of an endless body: a space now and then. */
		sleep_ms(HANG_DRIP_MS);
		max = 1;
	} else if (max > b->head - pos) {
		max = (size_t)(b->head - pos);
	}
	return (ssize_t)sbx_fault_body_read(b, pos, buf, max);
}

/* The answer of a hang, redirect, huge or deep fault: never the
 * application's, and never held whole. */
static enum MHD_Result send_hostile(struct MHD_Connection *con,
                                    const struct conn *c)
{
	const struct sbx_fault *f = &c->fault;
	struct MHD_Response *r;
	enum MHD_Result ok;

	if (f->kind == SBX_FAULT_REDIRECT) {
		static const char page[] =
		        "<html><head><title>Moved</title></head><body>You are "
		        "being redirected.</body></html>";
		char location[SBX_FAULT_LOCATION_MAX + 2048];
		size_t n = strlen(f->location);

		/* The target's own path, if any, then the request's. */
		while (n > 0 && f->location[n - 1] == '/')
			n--;
		snprintf(location, sizeof(location), "%.*s%s", (int)n,
		         f->location, c->uri);
		r = MHD_create_response_from_buffer(
		        sizeof(page) - 1, (void *)page, MHD_RESPMEM_PERSISTENT);
		if (!r)
			return MHD_NO;
		MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, location);
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        "text/html; charset=utf-8");
	} else {
		struct sbx_fault_body *b = malloc(sizeof(*b));

		if (!b || sbx_fault_body_init(b, f) != XDR_OK) {
			free(b);
			return MHD_NO;
		}
		r = MHD_create_response_from_callback(
		        b->total == UINT64_MAX || f->chunked ? MHD_SIZE_UNKNOWN
		                                             : b->total,
		        64 * 1024, read_fault_body, b, free);
		if (!r) {
			free(b);
			return MHD_NO;
		}
		MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
		                        SBX_MEDIA_TYPE);
	}
	ok = MHD_queue_response(con, (unsigned)f->status, r);
	MHD_destroy_response(r);
	return ok;
}

static int fault_answer(const struct sbx_fault *f, struct MHD_Connection *con,
                        const char *path, struct sbx_response *res)
{
	switch (f->kind) {
	case SBX_FAULT_ECHO: {
		const char *key = MHD_lookup_connection_value(
		        con, MHD_HEADER_KIND, "x-api-key");
		char detail[1024];

		snprintf(detail, sizeof(detail),
		         "x-api-key: %s is not allowed to %s", key ? key : "",
		         path);
		return sbx_respond_error(res, 401, "Unauthorized", detail,
		                         NULL);
	}
	case SBX_FAULT_STATUS:
		return sbx_respond_error(res, f->status,
		                         sbx_status_title(f->status), NULL,
		                         NULL);
	case SBX_FAULT_HTML:
		return sbx_respond_html(
		        res, f->status,
		        f->status == 504 ? "504 Gateway Time-out"
		                         : "502 Bad Gateway",
		        "The server did not receive a timely response from "
		        "the upstream server.");
	case SBX_FAULT_RATE: {
		int rc = sbx_respond_error(res, 429, "Too Many Requests",
		                           "Rate limit exceeded", NULL);

		res->retry_after = f->retry_after;
		return rc;
	}
	default:
		return XDR_OK;
	}
}

/* Faults that spoil the application's own answer. */
static int spoil(const struct sbx_fault *f, struct sbx_response *res)
{
	struct json_object *s;
	size_t half;
	int rc;

	if (f->kind == SBX_FAULT_MALFORMED ||
	    f->kind == SBX_FAULT_DOUBLE_ENCODED) {
		rc = sbx_response_render(res);
		if (rc != XDR_OK)
			return rc;
	}
	switch (f->kind) {
	case SBX_FAULT_MALFORMED:
		half = res->length / 2;
		if (half < 2)
			return sbx_respond_bytes(res, 200, SBX_MEDIA_TYPE,
			                         "{\"data\": [", 10);
		res->body[half] = '\0';
		res->length = half;
		res->status = 200;
		res->content_type = SBX_MEDIA_TYPE;
		return XDR_OK;
	case SBX_FAULT_DOUBLE_ENCODED:
		s = json_object_new_string_len(res->body ? res->body : "",
		                               (int)res->length);
		if (!s)
			return XDR_ENOMEM;
		rc = sbx_respond_doc(res, 200, s);
		return rc == XDR_OK ? sbx_response_render(res) : rc;
	default:
		return XDR_OK;
	}
}

/* ---- the API ---- */

static int parse_body(struct conn *c, struct json_object **out)
{
	struct json_tokener *tok;
	size_t end;

	*out = NULL;
	if (!c->length)
		return XDR_EINVAL;
	tok = json_tokener_new();
	if (!tok)
		return XDR_ENOMEM;
	*out = json_tokener_parse_ex(tok, c->body, (int)c->length);
	end = json_tokener_get_parse_end(tok);
	while (end < c->length && strchr(" \t\r\n", c->body[end]))
		end++;
	/* One JSON object and nothing after it. */
	if (json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(*out, json_type_object) || end != c->length) {
		json_object_put(*out);
		*out = NULL;
	}
	json_tokener_free(tok);
	return *out ? XDR_OK : XDR_EINVAL;
}

static int forbidden(struct sbx_response *res)
{
	static const char body[] = "{\"message\":\"Forbidden\"}";

	return sbx_respond_bytes(res, 403, "application/json", body,
	                         sizeof(body) - 1);
}

/* Runs the request through the application (lock held). */
static int api_answer(struct sbx_server *srv, struct MHD_Connection *con,
                      struct conn *c, const char *method,
                      const struct sbx_route *route, struct sbx_request *req,
                      struct sbx_response *res)
{
	const char *key =
	        MHD_lookup_connection_value(con, MHD_HEADER_KIND, "x-api-key");
	const char *region =
	        key ? sbx_store_key_region(&srv->store, key) : NULL;
	enum sbx_query_problem problem;
	struct sbx_query query;
	struct sbx_ctx ctx;
	long retry;
	int rc;

	if (!route)
		return sbx_respond_html(
		        res, 404,
		        "The page you were looking for doesn't exist.",
		        "You may have mistyped the address or the page may "
		        "have moved.");
	if (!region)
		return sbx_respond_error(res, 401, "Unauthorized",
		                         "Unauthorized resource access", "id");
	if (strcmp(region, srv->set.region))
		return forbidden(res);
	rc = sbx_ratelimit_take(&srv->rate, key, now_ms(), &retry);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		rc = sbx_respond_error(res, 429, "Too Many Requests",
		                       "Rate limit exceeded", NULL);
		if (srv->set.retry_after)
			res->retry_after = retry;
		return rc;
	}
	rc = sbx_query_parse(c->query, &query, &problem);
	if (rc == XDR_EINVAL)
		rc = problem == SBX_QUERY_DUPLICATE
		             ? sbx_respond_error(res, 422,
		                                 "Duplicate Parameters "
		                                 "Specified",
		                                 NULL, NULL)
		             : sbx_respond_error(res, 400, "Invalid Page Value",
		                                 "page[number] and page[size] "
		                                 "must be positive integers",
		                                 "page");
	if (rc != XDR_OK || res->status) {
		sbx_query_free(&query);
		return rc;
	}
	req->query = &query;
	if (!strcmp(method, "POST") || !strcmp(method, "PATCH")) {
		rc = parse_body(c, &req->body);
		if (rc == XDR_EINVAL)
			rc = sbx_respond_error(res, 400, "Bad Request",
			                       "The request body must be a "
			                       "JSON object",
			                       NULL);
	}
	if (rc == XDR_OK && !res->status) {
		ctx.store = &srv->store;
		ctx.listings = &srv->listings;
		ctx.req = req;
		ctx.res = res;
		ctx.parent = NULL;
		ctx.force_include = NULL;
		rc = route->handler(&ctx);
	}
	json_object_put(req->body);
	req->body = NULL;
	sbx_query_free(&query);
	return rc;
}

static void log_request(struct sbx_server *srv, struct conn *c,
                        const char *method, const struct sbx_route *route,
                        int status)
{
	struct sbx_log_entry e;
	char fault[SBX_FAULT_NAME_MAX];

	sbx_fault_name(&c->fault, fault, sizeof(fault));
	e.seq = c->seq;
	e.method = method;
	e.path = c->path;
	e.query = c->query ? c->query : "";
	e.route = route ? route->pattern : "(no route)";
	e.status = status;
	e.fault = c->fault.kind == SBX_FAULT_NONE ? NULL : fault;
	e.headers = c->headers;
	e.body_size = c->too_big ? 0 : c->length;
	c->headers = NULL;
	sbx_reqlog_add(srv, &e);
	if (!srv->set.quiet)
		fprintf(stderr,
		        "itglue-sandbox: #%" PRId64 " %s %s%s%s -> %d%s%s\n",
		        c->seq, method, c->path, e.query[0] ? "?" : "", e.query,
		        status, e.fault ? " fault=" : "", e.fault ? fault : "");
}

static enum MHD_Result api_request(struct sbx_server *srv,
                                   struct MHD_Connection *con, struct conn *c,
                                   const char *method)
{
	struct sbx_request req;
	struct sbx_response res;
	const struct sbx_route *route;
	char base[300];
	enum MHD_Result ok;
	int rc = XDR_OK;
	/* The latency runs from here, the request received whole: the time
	 * the answer takes to make (and to wait for the data's lock) is part
	 * of it, as on a server whose answers take that long. */
	int64_t received_ms = now_ms();

	memset(&req, 0, sizeof(req));
	sbx_response_init(&res);
	base_url(srv, con, base, sizeof(base));
	req.method = method;
	req.path = c->path;
	req.base_url = base;
	route = sbx_route_find(method, c->path, req.params);
	pthread_mutex_lock(&srv->lock);
	if (c->fault.kind == SBX_FAULT_RESET) {
		log_request(srv, c, method, route, 0);
		pthread_mutex_unlock(&srv->lock);
		return MHD_NO;
	}
	if (hostile(c->fault.kind)) {
		log_request(srv, c, method, route, c->fault.status);
		pthread_mutex_unlock(&srv->lock);
		return send_hostile(con, c);
	}
	if (c->fault.kind == SBX_FAULT_STATUS ||
	    c->fault.kind == SBX_FAULT_HTML ||
	    c->fault.kind == SBX_FAULT_RATE || c->fault.kind == SBX_FAULT_ECHO)
		rc = fault_answer(&c->fault, con, c->path, &res);
	else if (c->too_big)
		rc = sbx_respond_error(&res, 413, "Payload Too Large",
		                       "The request body is larger than the "
		                       "limit",
		                       NULL);
	else
		rc = api_answer(srv, con, c, method, route, &req, &res);
	/* Only a GET leaves the store as it was: after anything else, the
	 * listings kept for their next pages may be wrong. */
	if (strcmp(method, "GET"))
		sbx_listings_clear(&srv->listings);
	if (rc == XDR_OK && !res.status)
		rc = XDR_ERROR;
	if (rc != XDR_OK) {
		sbx_response_clear(&res);
		rc = sbx_respond_error(&res, 500, "Internal Server Error", NULL,
		                       NULL);
	}
	if (rc == XDR_OK)
		rc = spoil(&c->fault, &res);
	log_request(srv, c, method, route, rc == XDR_OK ? res.status : 500);
	pthread_mutex_unlock(&srv->lock);
	/* The answer holds copies only: written out of the lock, so that
	 * other connections are not held up by a large page. */
	if (rc == XDR_OK)
		rc = sbx_response_render(&res);
	if (srv->set.latency_ms > now_ms() - received_ms)
		sleep_ms(srv->set.latency_ms - (long)(now_ms() - received_ms));
	ok = rc == XDR_OK ? send_response(con, &res,
	                                  c->fault.kind == SBX_FAULT_TRUNCATE)
	                  : MHD_NO;
	sbx_response_clear(&res);
	return ok;
}

static enum MHD_Result inspect_request(struct sbx_server *srv,
                                       struct MHD_Connection *con,
                                       struct conn *c, const char *method)
{
	struct sbx_response res;
	enum MHD_Result ok;
	int rc;

	sbx_response_init(&res);
	pthread_mutex_lock(&srv->lock);
	if (c->too_big)
		rc = sbx_respond_bytes(&res, 413, "application/json",
		                       "{\"error\":\"body too large\"}", 26);
	else
		rc = sbx_inspect(srv, method, c->path, c->body, c->length,
		                 &res);
	/* Touch, reset, new data...: whatever an inspection request did,
	 * the listings kept are read again. */
	sbx_listings_clear(&srv->listings);
	/* Inspection answers share the server's own objects: written
	 * under the lock. */
	if (rc == XDR_OK)
		rc = sbx_response_render(&res);
	pthread_mutex_unlock(&srv->lock);
	ok = rc == XDR_OK ? send_response(con, &res, false) : MHD_NO;
	sbx_response_clear(&res);
	return ok;
}

/* The first call of a request: its path, number, fault and headers. */
static int start_request(struct sbx_server *srv, struct MHD_Connection *con,
                         struct conn *c)
{
	const char *q = strchr(c->uri, '?');
	const char *declared;
	size_t plen = q ? (size_t)(q - c->uri) : strlen(c->uri);

	c->started = true;
	c->path = sbx_percent_decode(c->uri, plen);
	c->query = q ? q + 1 : "";
	if (!c->path)
		return XDR_ENOMEM;
	c->inspect = !strncmp(c->path, "/_sandbox/", 10);
	declared = MHD_lookup_connection_value(con, MHD_HEADER_KIND,
	                                       MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (declared && strtoull(declared, NULL, 10) > srv->set.max_body)
		c->too_big = true;
	if (c->inspect)
		return XDR_OK;
	c->headers = json_object_new_object();
	if (!c->headers)
		return XDR_ENOMEM;
	MHD_get_connection_values(con, MHD_HEADER_KIND, add_header, c->headers);
	pthread_mutex_lock(&srv->lock);
	c->seq = ++srv->seq;
	c->fault = sbx_faults_next(&srv->faults);
	pthread_mutex_unlock(&srv->lock);
	return XDR_OK;
}

static int keep_body(struct sbx_server *srv, struct conn *c, const char *data,
                     size_t size)
{
	if (c->too_big)
		return XDR_OK;
	if (size > srv->set.max_body - c->length) {
		/* Stop keeping what is past the limit; the rest is read and
		 * dropped so that the 413 can be sent. */
		c->too_big = true;
		free(c->body);
		c->body = NULL;
		c->length = c->capacity = 0;
		return XDR_OK;
	}
	if (c->length + size + 1 > c->capacity) {
		size_t cap = c->capacity ? c->capacity : 4096;
		char *grown;

		while (cap < c->length + size + 1)
			cap *= 2;
		grown = realloc(c->body, cap);
		if (!grown)
			return XDR_ENOMEM;
		c->body = grown;
		c->capacity = cap;
	}
	memcpy(c->body + c->length, data, size);
	c->length += size;
	c->body[c->length] = '\0';
	return XDR_OK;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *con,
                                      const char *url, const char *method,
                                      const char *version,
                                      const char *upload_data,
                                      size_t *upload_data_size, void **req_cls)
{
	struct sbx_server *srv = cls;
	struct conn *c = *req_cls;

	(void)url;
	(void)version;
	if (!c)
		return MHD_NO;
	if (c->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!c->started) {
		if (start_request(srv, con, c) != XDR_OK)
			return MHD_NO;
		if (!c->too_big)
			return MHD_YES;
		/* Refuse a declared oversize body before reading it. */
		c->answered = true;
		return c->inspect ? inspect_request(srv, con, c, method)
		                  : api_request(srv, con, c, method);
	}
	if (*upload_data_size) {
		if (keep_body(srv, c, upload_data, *upload_data_size) != XDR_OK)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	c->answered = true;
	return c->inspect ? inspect_request(srv, con, c, method)
	                  : api_request(srv, con, c, method);
}

/* ---- starting and stopping ---- */

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	do {
		if (len + 4096 + 1 > cap) {
			char *grown = realloc(text, cap = len + 8192);

			if (!grown) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
			text = grown;
		}
		n = fread(text + len, 1, 4096, f);
		len += n;
	} while (n > 0);
	fclose(f);
	text[len] = '\0';
	return text;
}

union address {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static int parse_address(const char *host, unsigned port, union address *a,
                         socklen_t *len)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, host, &a->v4.sin_addr) == 1) {
		a->v4.sin_family = AF_INET;
		a->v4.sin_port = htons((uint16_t)port);
		*len = sizeof(a->v4);
		return XDR_OK;
	}
	if (inet_pton(AF_INET6, host, &a->v6.sin6_addr) == 1) {
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons((uint16_t)port);
		*len = sizeof(a->v6);
		return XDR_OK;
	}
	return XDR_EINVAL;
}

/* Says why the address cannot be had, since the HTTP library does not. */
static int probe(const union address *a, socklen_t len, char *err,
                 size_t errlen, const char *host, unsigned port)
{
	int fd = socket(a->sa.sa_family, SOCK_STREAM, 0);
	int one = 1, rc = XDR_OK;

	if (fd < 0)
		return XDR_OK;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &a->sa, len) != 0) {
		snprintf(err, errlen, "cannot listen on %s port %u: %s", host,
		         port, strerror(errno));
		rc = XDR_ERROR;
	}
	close(fd);
	return rc;
}

int sbx_server_start(struct sbx_server *srv, char *err, size_t errlen)
{
	unsigned flags =
	        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION;
	union address addr;
	socklen_t alen;
	const union MHD_DaemonInfo *info;

	if (parse_address(srv->set.bind, srv->set.port, &addr, &alen)) {
		snprintf(err, errlen, "--bind %s: not an IP address",
		         srv->set.bind);
		return XDR_EINVAL;
	}
	if (probe(&addr, alen, err, errlen, srv->set.bind, srv->set.port))
		return XDR_ERROR;
	if (addr.sa.sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (!srv->set.quiet)
		flags |= MHD_USE_ERROR_LOG;
	if (srv->set.tls_cert) {
		srv->tls_cert_pem = read_file(srv->set.tls_cert, err, errlen);
		if (!srv->tls_cert_pem)
			return XDR_ERROR;
		srv->tls_key_pem = read_file(srv->set.tls_key, err, errlen);
		if (!srv->tls_key_pem)
			return XDR_ERROR;
		flags |= MHD_USE_TLS;
		srv->daemon = MHD_start_daemon(
		        flags, (uint16_t)srv->set.port, NULL, NULL,
		        access_handler, srv, MHD_OPTION_SOCK_ADDR, &addr.sa,
		        MHD_OPTION_URI_LOG_CALLBACK, uri_logged, srv,
		        MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
		        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		        MHD_OPTION_HTTPS_MEM_CERT, srv->tls_cert_pem,
		        MHD_OPTION_HTTPS_MEM_KEY, srv->tls_key_pem,
		        MHD_OPTION_END);
	} else {
		srv->daemon = MHD_start_daemon(
		        flags, (uint16_t)srv->set.port, NULL, NULL,
		        access_handler, srv, MHD_OPTION_SOCK_ADDR, &addr.sa,
		        MHD_OPTION_URI_LOG_CALLBACK, uri_logged, srv,
		        MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
		        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
		        MHD_OPTION_END);
	}
	if (!srv->daemon) {
		snprintf(
		        err, errlen,
		        srv->set.tls_cert
		                ? "cannot start HTTPS on %s port %u (is the "
		                  "certificate and key PEM, and do they match?)"
		                : "cannot start HTTP on %s port %u",
		        srv->set.bind, srv->set.port);
		return XDR_ERROR;
	}
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : srv->set.port;
	return XDR_OK;
}

void sbx_server_stop(struct sbx_server *srv)
{
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	srv->daemon = NULL;
	free(srv->tls_cert_pem);
	free(srv->tls_key_pem);
	srv->tls_cert_pem = srv->tls_key_pem = NULL;
}
