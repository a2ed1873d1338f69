/*
 * console.h - the reference host's web console: what the server, its route
 * handlers and xdr-host share.
 *
 * The console drives the plugin only through on_admin_action and the host's
 * own data, the calls the command line makes. A handler gets a parsed
 * request and fills a reply; it never sees libmicrohttpd.
 */
#ifndef XCON_CONSOLE_H
#define XCON_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xdrhost.h"

struct json_object;

/* ---- starting and stopping (server.c) ----------------------------------- */

#define XCON_LISTEN_DEFAULT  "127.0.0.1:8443"
#define XCON_MAX_ALLOW_HOSTS 8

struct xcon_options {
	const char *listen; /* "ADDRESS:PORT"; port 0 picks a free one */
	const char *allow_hosts[XCON_MAX_ALLOW_HOSTS]; /* more Host names */
	size_t n_allow_hosts;
	const char *port_file; /* write the port there once listening */
	bool allow_remote;     /* listen on an address that is not loopback */
};

struct xcon;

/* Start serving on rt and the loaded plugins set (both stay the caller's
 * and must outlive xcon_stop()). The password file must exist
 * (XDR_ENOTFOUND, saying to run "xdr-host console passwd"); an address that
 * is not loopback needs allow_remote (XDR_EINVAL). */
int xcon_start(const struct xcon_options *opt, struct xdr_runtime *rt,
               struct xdr_plugins *set, struct xcon **out, struct xdr_err *err);

/* The port it listens on. */
unsigned xcon_port(const struct xcon *c);

/* Stop: waits for the requests being answered, then frees. */
void xcon_stop(struct xcon *c);

/* ---- what a handler gets and gives (server.c) --------------------------- */

#define XCON_PAGE_DEFAULT_LIMIT 25
#define XCON_QUERY_MAX          128 /* bytes of a "q" search */

struct xcon_request {
	const char *method; /* "GET", "POST", "PUT", "DELETE" */
	const char *path;   /* without the query string */
	const char *param;  /* the route's ":name" part, decoded, or NULL */
	const char *body;   /* NUL-terminated; "" when none */
	size_t body_len;
	const char *content_type; /* the media type only, or "" */
	void *server_conn;        /* the server's, for xcon_query() */
};

struct xcon_reply {
	unsigned status; /* HTTP status; 200 unless set */
	char *body;      /* malloc'd, or NULL for none */
	size_t len;
	const char *content_type; /* static; NULL: application/json */
	const char *csp;          /* static; NULL: the console's policy */
	char *set_cookie;         /* malloc'd Set-Cookie value, or NULL */
	const char *etag;         /* static; an ETag header, or NULL */
	unsigned retry_after;     /* seconds; a Retry-After header if not 0 */
};

typedef void (*xcon_handler)(struct xcon *c, const struct xcon_request *req,
                             struct xcon_reply *reply);

/* A query parameter, percent-decoded; NULL if absent. */
const char *xcon_query(const struct xcon_request *req, const char *key);

/* The host's runtime and plugins of the console. */
struct xdr_runtime *xcon_runtime(struct xcon *c);
struct xdr_plugins *xcon_plugins(struct xcon *c);

/* The itglue plugin's record when it is loaded; otherwise NULL and the reply
 * is 503 {"error": {"code": "plugin_missing", "message": ...}} saying why
 * (the file's refusal when there is one). */
struct xdr_plugin_rec *xcon_itglue(struct xcon *c, struct xcon_reply *reply);

/* ---- replies (reply.c) -------------------------------------------------- */

/* value as the body (released); 500 if it cannot be rendered. */
void xcon_reply_json(struct xcon_reply *reply, unsigned status,
                     struct json_object *value);

/* {"error": {"code": CODE, "message": MESSAGE}} with status. */
void xcon_reply_error(struct xcon_reply *reply, unsigned status,
                      const char *code, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 4, 5)));

/* A host call's failure: its status (what the call returned; struct
 * xdr_err holds only the message) mapped to an HTTP status and a code
 * (XDR_EINVAL 400 bad_request, XDR_ENOTFOUND 404 not_found, XDR_EDISABLED
 * 409 integration_disabled, XDR_EBUSY 503 busy, others 500
 * internal_error), err's message as the message. */
void xcon_reply_err(struct xcon_reply *reply, int status,
                    const struct xdr_err *err);

/* A plugin's answer passed through verbatim (taken over): 200 when status is
 * XDR_OK, else the status xcon_http_status() gives. NULL answer: 502. */
void xcon_reply_plugin(struct xcon_reply *reply, int status, char *answer);

/* The JSON object of the request's body, or NULL with a 400 reply. */
struct json_object *xcon_body_object(const struct xcon_request *req,
                                     struct xcon_reply *reply);

/* ---- pure helpers (http.c) ---------------------------------------------- */

/* The HTTP status for a host or plugin status and, when the answer is an
 * error object, its "code": bad_request 400, not_found 404,
 * integration_disabled/not_mapped 409, store_unusable 503... */
unsigned xcon_http_status(int status, const char *answer);

/* "offset" (0 or more) and "limit" (1..XDR_PAGE_MAX_LIMIT, default
 * XCON_PAGE_DEFAULT_LIMIT) from their text (NULL: absent). XDR_EINVAL with a
 * message naming the parameter otherwise. */
int xcon_page_parse(const char *offset, const char *limit, int64_t *off_out,
                    int64_t *lim_out, struct xdr_err *err);

/* A query's integer: decimal digits, a "-" before them if negative, from
 * min to max; nothing else (no space, tab or line break before them, no
 * "+", nothing after). false otherwise. */
bool xcon_int_parse(const char *s, int64_t min, int64_t max, int64_t *out);

/* Is host (the Host header) one this console answers to: its listen address
 * and port, localhost/127.0.0.1/[::1] with the port when it listens on
 * loopback (or on the wildcard address), or one of allow ("NAME" with any
 * port, "NAME:PORT" with that one)? */
bool xcon_host_allowed(const char *host, const char *listen_addr, unsigned port,
                       const char *const *allow, size_t n_allow);

/* Is origin (the Origin header) "http://HOST" for that same host header? */
bool xcon_origin_allowed(const char *origin, const char *host);

#endif
