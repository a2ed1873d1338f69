/*
 * server.c - the console's HTTP side: libmicrohttpd started and stopped,
 * each request judged before its handler runs, the common headers, and one
 * log line per request.
 *
 * The order in which a request is judged, each step answering for itself
 * when it refuses: the Host header (421, against DNS rebinding); the route
 * (404, or 405 with Allow); the query string (400); a declared body larger
 * than the route takes (413, before reading it); the session cookie when
 * the route needs one (401; a changed password file has ended every
 * session); for a request that changes something, its media type (415),
 * its Origin and Sec-Fetch-Site (403 bad_origin) and the session's CSRF
 * token (403 csrf); then the body is read (413 past the route's limit); and
 * last the handler. Everything but the body is judged from the headers, so
 * nobody without a session makes the console keep a body.
 *
 * One thread per connection: a handler may wait for the host's database or
 * for a password hash without holding up other requests.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>

#include "http.h"
#include "routes.h"
#include "server.h"

#define CONNECTION_LIMIT   64
#define PER_IP_LIMIT       16
#define CONNECTION_TIMEOUT 30 /* seconds */

/* The headers of every answer. */
#define CSP                                                                    \
	"default-src 'none'; script-src 'self'; style-src 'self'; "            \
	"img-src 'self' data:; connect-src 'self'; form-action 'self'; "       \
	"base-uri 'none'; frame-src 'self'; frame-ancestors 'none'"

struct xcon {
	struct MHD_Daemon *daemon;
	struct xdr_runtime *rt;
	struct xdr_plugins *set;
	char listen_addr[XCON_ADDR_MAX];
	unsigned port;
	char *allow_hosts[XCON_MAX_ALLOW_HOSTS];
	size_t n_allow_hosts;

	pthread_mutex_t lock; /* sessions, throttle, stamp */
	struct xcon_sessions *sessions;
	struct xcon_throttle throttle;
	struct xcon_stamp stamp;
	bool have_stamp;

	pthread_mutex_t hash_lock;
};

/* One request, from its URI to its completion. */
struct conn {
	struct xcon *c;
	struct MHD_Connection *con;
	char *uri;
	char *path; /* raw, without the query */
	const char *query;
	struct xcon_params params;
	const struct xcon_route *route;
	char param[XCON_PARAM_MAX];
	bool started, answered, too_big, has_media;
	struct xcon_buf body;
	char cookie[XCON_TOKEN_CHARS];
	bool has_cookie;
	char csrf[XCON_TOKEN_CHARS];
	bool has_session;
	uint64_t start_ms;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Time since boot, suspended time included: a wall clock set back would
 * keep sessions past their end and hold logins back for as long, one set
 * forward would end them all. */
#ifdef CLOCK_BOOTTIME
#define XCON_CLOCK_ID CLOCK_BOOTTIME
#else
#define XCON_CLOCK_ID CLOCK_MONOTONIC
#endif

int64_t xcon_clock(void)
{
	struct timespec ts;

	if (clock_gettime(XCON_CLOCK_ID, &ts) != 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

/* ---- what handlers reach through the request ---------------------------- */

const char *xcon_query(const struct xcon_request *req, const char *key)
{
	const struct conn *k = req->server_conn;

	return k ? xcon_params_get(&k->params, key) : NULL;
}

const char *xcon_header(const struct xcon_request *req, const char *name)
{
	const struct conn *k = req->server_conn;

	return k ? MHD_lookup_connection_value(k->con, MHD_HEADER_KIND, name)
	         : NULL;
}

const char *xcon_request_cookie(const struct xcon_request *req)
{
	const struct conn *k = req->server_conn;

	return k && k->has_cookie ? k->cookie : NULL;
}

const char *xcon_request_csrf(const struct xcon_request *req)
{
	const struct conn *k = req->server_conn;

	return k && k->has_session ? k->csrf : NULL;
}

struct xdr_runtime *xcon_runtime(struct xcon *c)
{
	return c->rt;
}

struct xdr_plugins *xcon_plugins(struct xcon *c)
{
	return c->set;
}

struct xdr_plugin_rec *xcon_itglue(struct xcon *c, struct xcon_reply *reply)
{
	struct xdr_plugin_rec *rec = xdr_plugins_find(c->set, "itglue");

	if (rec && rec->loaded)
		return rec;
	if (rec)
		xcon_reply_error(reply, 503, "plugin_missing",
		                 "plugin %s refused: %s", rec->file,
		                 rec->error ? rec->error : "not loaded");
	else
		xcon_reply_error(reply, 503, "plugin_missing",
		                 "the itglue plugin is not in the plugin "
		                 "directory %s",
		                 c->set->dir ? c->set->dir : "");
	return NULL;
}

void xcon_auth_lock(struct xcon *c)
{
	pthread_mutex_lock(&c->lock);
}

void xcon_auth_unlock(struct xcon *c)
{
	pthread_mutex_unlock(&c->lock);
}

struct xcon_sessions *xcon_sessions(struct xcon *c)
{
	return c->sessions;
}

struct xcon_throttle *xcon_throttle(struct xcon *c)
{
	return &c->throttle;
}

void xcon_passwd_seen(struct xcon *c, const struct xcon_stamp *stamp)
{
	bool same = stamp ? c->have_stamp && xcon_stamp_equal(stamp, &c->stamp)
	                  : !c->have_stamp;

	if (same)
		return;
	xcon_sessions_close_all(c->sessions);
	c->have_stamp = stamp != NULL;
	if (stamp)
		c->stamp = *stamp;
}

bool xcon_passwd_now(struct xcon *c, struct xcon_stamp *stamp)
{
	bool present = xcon_passwd_stamp(c->rt->home, stamp, NULL) == XDR_OK;

	xcon_passwd_seen(c, present ? stamp : NULL);
	return present;
}

void xcon_hash_lock(struct xcon *c)
{
	pthread_mutex_lock(&c->hash_lock);
}

void xcon_hash_unlock(struct xcon *c)
{
	pthread_mutex_unlock(&c->hash_lock);
}

/* ---- answering ---------------------------------------------------------- */

static void log_request(struct conn *k, const char *method, unsigned status)
{
	char line[256];

	snprintf(line, sizeof(line), "%s %s %u %" PRIu64 " ms", method,
	         k->route ? k->route->pattern : "(no route)", status,
	         now_ms() - k->start_ms);
	xdr_log_write(k->c->rt->log, XDR_LOG_INFO, "console", line);
}

static bool add(struct MHD_Response *r, const char *name, const char *value)
{
	return MHD_add_response_header(r, name, value) == MHD_YES;
}

/* The reply as HTTP, with the headers every answer carries. */
static enum MHD_Result send_reply(struct conn *k, const char *method,
                                  struct xcon_reply *reply, const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ok;
	char retry[24];
	bool headers;

	if (!reply->status)
		reply->status = 200;
	r = MHD_create_response_from_buffer(
	        reply->body ? reply->len : 0, reply->body ? reply->body : "",
	        reply->body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		log_request(k, method, 0);
		return MHD_NO;
	}
	reply->body = NULL; /* the response frees it */
	headers =
	        add(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	            reply->content_type ? reply->content_type
	                                : "application/json") &&
	        add(r, "Content-Security-Policy",
	            reply->csp ? reply->csp : CSP) &&
	        add(r, "X-Frame-Options", reply->csp ? "SAMEORIGIN" : "DENY") &&
	        add(r, "X-Content-Type-Options", "nosniff") &&
	        add(r, "Referrer-Policy", "no-referrer") &&
	        add(r, "Cross-Origin-Opener-Policy", "same-origin");
	if (headers && !strncmp(k->path ? k->path : "", "/api/", 5))
		headers = add(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	else if (headers && reply->etag)
		headers = add(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache") &&
		          add(r, MHD_HTTP_HEADER_ETAG, reply->etag);
	if (headers && reply->set_cookie)
		headers = add(r, MHD_HTTP_HEADER_SET_COOKIE, reply->set_cookie);
	if (headers && reply->retry_after) {
		snprintf(retry, sizeof(retry), "%u", reply->retry_after);
		headers = add(r, MHD_HTTP_HEADER_RETRY_AFTER, retry);
	}
	if (headers && allow && allow[0])
		headers = add(r, MHD_HTTP_HEADER_ALLOW, allow);
	if (!headers) {
		MHD_destroy_response(r);
		log_request(k, method, 0);
		return MHD_NO;
	}
	log_request(k, method, reply->status);
	ok = MHD_queue_response(k->con, reply->status, r);
	MHD_destroy_response(r);
	return ok;
}

static void reply_free(struct xcon_reply *reply)
{
	free(reply->body);
	free(reply->set_cookie);
	memset(reply, 0, sizeof(*reply));
}

/* A refusal of the server itself. */
static enum MHD_Result refuse(struct conn *k, const char *method,
                              unsigned status, const char *allow,
                              const char *code, const char *message)
{
	struct xcon_reply reply;
	enum MHD_Result ok;

	memset(&reply, 0, sizeof(reply));
	k->answered = true;
	xcon_reply_error(&reply, status, code, "%s", message);
	ok = send_reply(k, method, &reply, allow);
	reply_free(&reply);
	return ok;
}

/* ---- judging a request -------------------------------------------------- */

static const char *header(struct conn *k, const char *name)
{
	return MHD_lookup_connection_value(k->con, MHD_HEADER_KIND, name);
}

/* Is the password file the one sessions were opened under? If not, they
 * all end. */
static void check_passwd(struct xcon *c)
{
	struct xcon_stamp stamp;

	xcon_auth_lock(c);
	xcon_passwd_now(c, &stamp);
	xcon_auth_unlock(c);
}

/* Every Cookie header of a request, joined with "; " as one. */
struct cookies {
	char *text;
	size_t len;
	bool failed;
};

static enum MHD_Result add_cookie_header(void *cls, enum MHD_ValueKind kind,
                                         const char *key, const char *value)
{
	struct cookies *all = cls;
	size_t n = value ? strlen(value) : 0;
	char *grown;

	(void)kind;
	if (!key || strcasecmp(key, MHD_HTTP_HEADER_COOKIE) != 0 || n == 0)
		return MHD_YES;
	grown = realloc(all->text, all->len + n + 3);
	if (!grown) {
		all->failed = true;
		return MHD_NO;
	}
	all->text = grown;
	if (all->len) {
		memcpy(all->text + all->len, "; ", 2);
		all->len += 2;
	}
	memcpy(all->text + all->len, value, n + 1);
	all->len += n;
	return MHD_YES;
}

/* The session id of the request's Cookie headers, if they name one, once.
 * A client may send several Cookie headers: they are read together, so
 * that the cookie named in two of them is refused as it is when named
 * twice in one. Read for every route: a login ends the session its browser
 * held. */
static void read_cookie(struct conn *k)
{
	struct cookies all = {NULL, 0, false};

	MHD_get_connection_values(k->con, MHD_HEADER_KIND, add_cookie_header,
	                          &all);
	k->has_cookie = !all.failed && all.text &&
	                xcon_cookie_value(all.text, XCON_COOKIE, k->cookie,
	                                  sizeof(k->cookie));
	if (all.text)
		OPENSSL_cleanse(all.text, all.len);
	free(all.text);
}

/* The session of the request's cookie, if live: its CSRF token kept. */
static bool find_session(struct conn *k)
{
	bool live;

	if (!k->has_cookie)
		return false;
	check_passwd(k->c);
	xcon_auth_lock(k->c);
	live = xcon_session_touch(k->c->sessions, k->cookie, xcon_clock(),
	                          k->csrf);
	xcon_auth_unlock(k->c);
	return live;
}

/* Does a body come with the request, as far as its headers say? */
static bool body_declared(struct conn *k)
{
	const char *length = header(k, MHD_HTTP_HEADER_CONTENT_LENGTH);

	return (length && strtoull(length, NULL, 10) > 0) ||
	       header(k, MHD_HTTP_HEADER_TRANSFER_ENCODING);
}

/* The first call of a request: everything judged from its headers. */
static enum MHD_Result start_request(struct conn *k, const char *method)
{
	const char *host = header(k, MHD_HTTP_HEADER_HOST);
	const char *q = strchr(k->uri, '?');
	const char *declared, *origin, *site;
	char allow[XCON_ALLOW_MAX];
	char media[128];

	k->started = true;
	k->start_ms = now_ms();
	k->path = q ? strndup(k->uri, (size_t)(q - k->uri)) : strdup(k->uri);
	k->query = q ? q + 1 : "";
	if (!k->path)
		return MHD_NO;
	if (!xcon_host_allowed(host, k->c->listen_addr, k->c->port,
	                       (const char *const *)k->c->allow_hosts,
	                       k->c->n_allow_hosts))
		return refuse(k, method, 421, NULL, "misdirected",
		              "this console answers to its own address only "
		              "(see --allow-host)");
	switch (xcon_route_match(method, k->path, &k->route, k->param, allow)) {
	case XCON_MATCH_NOT_FOUND:
		return refuse(k, method, 404, NULL, "not_found",
		              "no such page or route");
	case XCON_MATCH_BAD_METHOD:
		return refuse(k, method, 405, allow, "method_not_allowed",
		              "this route does not take that method");
	case XCON_MATCH_OK:
		break;
	}
	if (xcon_params_parse(k->query, &k->params) != XDR_OK)
		return refuse(k, method, 400, NULL, "bad_request",
		              "the query string is not one the console reads");
	declared = header(k, MHD_HTTP_HEADER_CONTENT_LENGTH);
	if (declared && strtoull(declared, NULL, 10) > k->route->max_body)
		return refuse(k, method, 413, NULL, "too_large",
		              "the request body is larger than this route "
		              "takes");
	read_cookie(k);
	if (k->route->flags & XCON_NEED_SESSION) {
		k->has_session = find_session(k);
		if (!k->has_session)
			return refuse(k, method, 401, NULL, "login_required",
			              "log in first");
	}
	if (xcon_method_safe(method))
		return MHD_YES;
	k->has_media = xcon_media_type(header(k, MHD_HTTP_HEADER_CONTENT_TYPE),
	                               media, sizeof(media));
	if ((k->route->media && k->has_media &&
	     strcmp(media, k->route->media) != 0) ||
	    (!k->has_media && body_declared(k)))
		return refuse(
		        k, method, 415, NULL, "unsupported_media_type",
		        k->route->media && !strcmp(k->route->media, "text/html")
		                ? "the body must be text/html"
		                : "the body must be application/json");
	origin = header(k, "Origin");
	site = header(k, "Sec-Fetch-Site");
	if ((origin && !xcon_origin_allowed(origin, host)) ||
	    (site && strcmp(site, "same-origin") != 0))
		return refuse(k, method, 403, NULL, "bad_origin",
		              "the request comes from another site");
	if ((k->route->flags & XCON_NEED_CSRF) &&
	    !xcon_token_equal(k->csrf, header(k, "X-CSRF-Token")))
		return refuse(k, method, 403, NULL, "csrf",
		              "the X-CSRF-Token header is missing or wrong");
	return MHD_YES;
}

static int keep_body(struct conn *k, const char *data, size_t size)
{
	if (k->too_big)
		return XDR_OK;
	if (size > k->route->max_body - k->body.len) {
		/* Past the limit: the rest is read and dropped, for the 413. */
		k->too_big = true;
		xcon_buf_wipe(&k->body);
		return XDR_OK;
	}
	return xcon_buf_append(&k->body, data, size);
}

/* The body is in: the handler answers. */
static enum MHD_Result run_handler(struct conn *k, const char *method)
{
	struct xcon_request req;
	struct xcon_reply reply;
	enum MHD_Result ok;
	char media[128];

	k->answered = true;
	if (k->too_big)
		return refuse(k, method, 413, NULL, "too_large",
		              "the request body is larger than this route "
		              "takes");
	if (!xcon_method_safe(method) && k->body.len && !k->has_media)
		return refuse(k, method, 415, NULL, "unsupported_media_type",
		              "a body needs its Content-Type");
	memset(&req, 0, sizeof(req));
	memset(&reply, 0, sizeof(reply));
	req.method = method;
	req.path = k->path;
	req.param = k->param[0] ? k->param : NULL;
	req.body = k->body.data ? k->body.data : "";
	req.body_len = k->body.len;
	req.content_type =
	        xcon_media_type(header(k, MHD_HTTP_HEADER_CONTENT_TYPE), media,
	                        sizeof(media))
	                ? media
	                : "";
	req.server_conn = k;
	k->route->handler(k->c, &req, &reply);
	if (!reply.status && !reply.body)
		xcon_reply_error(&reply, 500, "internal_error",
		                 "the handler gave no answer");
	ok = send_reply(k, method, &reply, NULL);
	reply_free(&reply);
	return ok;
}

static enum MHD_Result access_handler(void *cls, struct MHD_Connection *con,
                                      const char *url, const char *method,
                                      const char *version,
                                      const char *upload_data,
                                      size_t *upload_data_size, void **req_cls)
{
	struct conn *k = *req_cls;

	(void)cls;
	(void)url;
	(void)version;
	if (!k)
		return MHD_NO;
	k->con = con;
	if (k->answered) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (!k->started)
		return start_request(k, method);
	if (*upload_data_size) {
		if (keep_body(k, upload_data, *upload_data_size) != XDR_OK)
			return MHD_NO;
		*upload_data_size = 0;
		return MHD_YES;
	}
	return run_handler(k, method);
}

static void *uri_logged(void *cls, const char *uri,
                        struct MHD_Connection *connection)
{
	struct conn *k = calloc(1, sizeof(*k));

	(void)connection;
	if (!k)
		return NULL;
	k->c = cls;
	k->uri = strdup(uri);
	if (!k->uri) {
		free(k);
		return NULL;
	}
	return k;
}

static void completed(void *cls, struct MHD_Connection *connection,
                      void **req_cls, enum MHD_RequestTerminationCode toe)
{
	struct conn *k = *req_cls;

	(void)cls;
	(void)connection;
	(void)toe;
	if (!k)
		return;
	free(k->uri);
	free(k->path);
	/* Passwords and API keys come in bodies: wiped. */
	xcon_buf_wipe(&k->body);
	xcon_params_free(&k->params);
	/* The session's secrets do not linger in freed memory. */
	OPENSSL_cleanse(k, sizeof(*k));
	free(k);
	*req_cls = NULL;
}

/* ---- starting and stopping ---------------------------------------------- */

union address {
	struct sockaddr sa;
	struct sockaddr_in v4;
	struct sockaddr_in6 v6;
};

static void address_of(const char *addr, unsigned port, union address *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, addr, &a->v4.sin_addr) == 1) {
		a->v4.sin_family = AF_INET;
		a->v4.sin_port = htons((uint16_t)port);
	} else {
		inet_pton(AF_INET6, addr, &a->v6.sin6_addr);
		a->v6.sin6_family = AF_INET6;
		a->v6.sin6_port = htons((uint16_t)port);
	}
}

/* Says why the address cannot be had, since libmicrohttpd does not. */
static int probe(const union address *a, const char *listen,
                 struct xdr_err *err)
{
	int fd = socket(a->sa.sa_family, SOCK_STREAM, 0);
	socklen_t len =
	        a->sa.sa_family == AF_INET ? sizeof(a->v4) : sizeof(a->v6);
	int one = 1, rc = XDR_OK;

	if (fd < 0)
		return XDR_OK;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, &a->sa, len) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot listen on %s: %s", listen,
		              strerror(errno));
	close(fd);
	return rc;
}

/* The port into path, written whole or not at all. */
static int write_port_file(const char *path, unsigned port, struct xdr_err *err)
{
	size_t n = strlen(path) + 5;
	char *tmp = malloc(n);
	FILE *f;
	int rc = XDR_OK;

	if (!tmp)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f) {
		rc = xdr_errf(err, XDR_ERROR, "%s: %s", tmp, strerror(errno));
	} else {
		bool written = fprintf(f, "%u\n", port) > 0;

		if (fclose(f) != 0 || !written)
			rc = xdr_errf(err, XDR_ERROR, "%s: %s", tmp,
			              strerror(errno));
		else if (rename(tmp, path) != 0)
			rc = xdr_errf(err, XDR_ERROR, "%s: %s", path,
			              strerror(errno));
		if (rc != XDR_OK)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

static void xcon_free(struct xcon *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n_allow_hosts; i++)
		free(c->allow_hosts[i]);
	xcon_sessions_free(c->sessions);
	pthread_mutex_destroy(&c->lock);
	pthread_mutex_destroy(&c->hash_lock);
	free(c);
}

int xcon_start(const struct xcon_options *opt, struct xdr_runtime *rt,
               struct xdr_plugins *set, struct xcon **out, struct xdr_err *err)
{
	const char *listen = opt->listen ? opt->listen : XCON_LISTEN_DEFAULT;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD |
	                 MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
	const union MHD_DaemonInfo *info;
	union address addr;
	struct xcon *c;
	char *line = NULL;
	int rc;

	*out = NULL;
	if (opt->n_allow_hosts > XCON_MAX_ALLOW_HOSTS)
		return xdr_errf(err, XDR_EINVAL, "at most %d --allow-host",
		                XCON_MAX_ALLOW_HOSTS);
	c = calloc(1, sizeof(*c));
	if (!c)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutex_init(&c->hash_lock, NULL);
	c->rt = rt;
	c->set = set;
	rc = xcon_listen_parse(listen, c->listen_addr, &c->port, err);
	if (rc == XDR_OK && !opt->allow_remote &&
	    !xcon_addr_loopback(c->listen_addr))
		rc = xdr_errf(err, XDR_EINVAL,
		              "%s is not a loopback address (the console "
		              "speaks plain HTTP)",
		              listen);
	for (size_t i = 0; rc == XDR_OK && i < opt->n_allow_hosts; i++) {
		c->allow_hosts[i] = strdup(opt->allow_hosts[i]);
		if (!c->allow_hosts[i])
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
		else
			c->n_allow_hosts++;
	}
	if (rc == XDR_OK && !(c->sessions = xcon_sessions_new()))
		rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	/* Sessions live as long as this version of the password file. */
	if (rc == XDR_OK)
		rc = xcon_passwd_load(rt->home, &line, &c->stamp, err);
	if (line) {
		memset(line, 0, strlen(line));
		free(line);
	}
	c->have_stamp = rc == XDR_OK;
	if (rc == XDR_OK) {
		address_of(c->listen_addr, c->port, &addr);
		rc = probe(&addr, listen, err);
	}
	if (rc != XDR_OK) {
		xcon_free(c);
		return rc;
	}
	if (addr.sa.sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	c->daemon = MHD_start_daemon(
	        flags, (uint16_t)c->port, NULL, NULL, access_handler, c,
	        MHD_OPTION_SOCK_ADDR, &addr.sa, MHD_OPTION_URI_LOG_CALLBACK,
	        uri_logged, c, MHD_OPTION_NOTIFY_COMPLETED, completed, c,
	        MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
	        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP_LIMIT,
	        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT,
	        MHD_OPTION_END);
	if (!c->daemon) {
		xcon_free(c);
		return xdr_errf(err, XDR_ERROR, "cannot start HTTP on %s",
		                listen);
	}
	info = MHD_get_daemon_info(c->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (info && info->port)
		c->port = info->port;
	if (opt->port_file) {
		rc = write_port_file(opt->port_file, c->port, err);
		if (rc != XDR_OK) {
			xcon_stop(c);
			return rc;
		}
	}
	*out = c;
	return XDR_OK;
}

unsigned xcon_port(const struct xcon *c)
{
	return c->port;
}

void xcon_stop(struct xcon *c)
{
	if (!c)
		return;
	if (c->daemon)
		MHD_stop_daemon(c->daemon);
	c->daemon = NULL;
	xcon_free(c);
}
