/*
 * http.c - pure helpers of the console: the HTTP status of a host or plugin
 * answer, page bounds, the Host and Origin decisions, percent-decoding,
 * query strings, media types, If-None-Match and the listen address.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"

/* ---- statuses ----------------------------------------------------------- */

static const struct {
	const char *code;
	unsigned http;
} code_status[] = {
        {"bad_request", 400},
        {"bad_action", 400},
        {"not_found", 404},
        {"unknown_action", 404},
        {"integration_disabled", 409},
        {"not_mapped", 409},
        {"store_unusable", 503},
        {"busy", 409}, /* publish: the report is published or being published */
        {"plugin_missing", 503},
        {"out_of_memory", 500},
        {"internal_error", 500},
};

static unsigned status_http(int status)
{
	switch (status) {
	case XDR_OK:
		return 200;
	case XDR_EINVAL:
		return 400;
	case XDR_ENOTFOUND:
		return 404;
	case XDR_EDISABLED:
		return 409;
	case XDR_EBUSY:
		return 503;
	default:
		return 500;
	}
}

unsigned xcon_http_status(int status, const char *answer)
{
	struct json_object *doc = NULL, *error, *code;
	unsigned http = status_http(status);

	if (status == XDR_OK || !answer ||
	    xdr_json_parse(answer, strlen(answer), 32, &doc, NULL) != XDR_OK)
		return http;
	if (json_object_object_get_ex(doc, "error", &error) &&
	    json_object_object_get_ex(error, "code", &code) &&
	    json_object_is_type(code, json_type_string)) {
		const char *s = json_object_get_string(code);

		for (size_t i = 0;
		     i < sizeof(code_status) / sizeof(*code_status); i++)
			if (!strcmp(s, code_status[i].code)) {
				http = code_status[i].http;
				break;
			}
	}
	json_object_put(doc);
	return http;
}

/* ---- pages -------------------------------------------------------------- */

/* A strict decimal number from min to max (no sign, no space, no leading
 * zero but "0"). */
static bool decimal(const char *s, int64_t min, int64_t max, int64_t *out)
{
	int64_t v = 0;

	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10)
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v < min || v > max)
		return false;
	*out = v;
	return true;
}

bool xcon_int_parse(const char *s, int64_t min, int64_t max, int64_t *out)
{
	const char *digits = s[0] == '-' ? s + 1 : s;
	char *end;
	long long n;

	/* strtoll() would skip white space and take a "+". */
	if (*digits < '0' || *digits > '9')
		return false;
	errno = 0;
	n = strtoll(s, &end, 10);
	if (*end != '\0' || errno != 0 || n < min || n > max)
		return false;
	*out = n;
	return true;
}

int xcon_page_parse(const char *offset, const char *limit, int64_t *off_out,
                    int64_t *lim_out, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];

	*off_out = 0;
	*lim_out = XCON_PAGE_DEFAULT_LIMIT;
	if (offset && !decimal(offset, 0, INT64_MAX, off_out))
		return xdr_errf(err, XDR_EINVAL,
		                "offset must be a number, 0 or more, not %s",
		                xdr_quote(offset, q, sizeof(q)));
	if (limit && !decimal(limit, 1, XDR_PAGE_MAX_LIMIT, lim_out))
		return xdr_errf(err, XDR_EINVAL,
		                "limit must be a number from 1 to %d, not %s",
		                XDR_PAGE_MAX_LIMIT,
		                xdr_quote(limit, q, sizeof(q)));
	return XDR_OK;
}

/* ---- Host and Origin ---------------------------------------------------- */

/* A Host header (or an --allow-host entry) split: the name without the
 * brackets of an IPv6 literal, and the port if one is given. */
struct host_parts {
	char name[256];
	bool has_port;
	unsigned port;
};

static bool split_host(const char *host, struct host_parts *h)
{
	const char *end, *colon = NULL;
	size_t n;

	h->has_port = false;
	h->port = 0;
	if (host[0] == '[') {
		end = strchr(host, ']');
		if (!end)
			return false;
		host++;
		n = (size_t)(end - host);
		if (end[1] == ':')
			colon = end + 1;
		else if (end[1] != '\0')
			return false;
	} else {
		colon = strchr(host, ':');
		if (colon && strchr(colon + 1, ':'))
			return false; /* an IPv6 literal needs brackets */
		n = colon ? (size_t)(colon - host) : strlen(host);
	}
	if (n == 0 || n >= sizeof(h->name))
		return false;
	memcpy(h->name, host, n);
	h->name[n] = '\0';
	if (colon) {
		int64_t port;

		if (!decimal(colon + 1, 1, 65535, &port))
			return false;
		h->has_port = true;
		h->port = (unsigned)port;
	}
	return true;
}

static bool is_loopback_name(const char *name)
{
	return !strcasecmp(name, "localhost") || xcon_addr_loopback(name);
}

/* Does a socket on addr take connections to loopback: a loopback address,
 * or the wildcard 0.0.0.0 or ::? */
static bool reaches_loopback(const char *addr)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (xcon_addr_loopback(addr))
		return true;
	if (inet_pton(AF_INET, addr, &v4) == 1)
		return v4.s_addr == htonl(INADDR_ANY);
	return inet_pton(AF_INET6, addr, &v6) == 1 &&
	       IN6_IS_ADDR_UNSPECIFIED(&v6);
}

bool xcon_host_allowed(const char *host, const char *listen_addr, unsigned port,
                       const char *const *allow, size_t n_allow)
{
	struct host_parts h, a;
	/* A Host without a port is one of the scheme's default port. */
	unsigned host_port;
	char listen[XCON_ADDR_MAX];
	size_t n = listen_addr ? strlen(listen_addr) : 0;

	if (!host || !split_host(host, &h))
		return false;
	host_port = h.has_port ? h.port : 80;
	/* The listen address is bare, or bracketed if IPv6. */
	if (n >= 2 && listen_addr[0] == '[' && listen_addr[n - 1] == ']') {
		listen_addr++;
		n -= 2;
	}
	if (n > 0 && n < sizeof(listen)) {
		memcpy(listen, listen_addr, n);
		listen[n] = '\0';
		if (host_port == port &&
		    (!strcasecmp(h.name, listen) ||
		     (reaches_loopback(listen) && is_loopback_name(h.name))))
			return true;
	}
	for (size_t i = 0; i < n_allow; i++) {
		if (!allow[i] || !split_host(allow[i], &a))
			continue;
		if (!strcasecmp(h.name, a.name) &&
		    (!a.has_port || a.port == host_port))
			return true;
	}
	return false;
}

bool xcon_origin_allowed(const char *origin, const char *host)
{
	return origin && host && host[0] &&
	       !strncasecmp(origin, "http://", 7) &&
	       !strcasecmp(origin + 7, host);
}

/* ---- percent-decoding and query strings --------------------------------- */

static int hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

ssize_t xcon_percent_decode(const char *in, size_t len, bool plus_space,
                            char *out, size_t size)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -1;
			hi = hex((unsigned char)in[i + 1]);
			lo = hex((unsigned char)in[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = hi << 4 | lo;
			i += 2;
		} else if (c == '+' && plus_space) {
			c = ' ';
		}
		if (c == '\0' || o + 1 >= size)
			return -1;
		out[o++] = (char)c;
	}
	if (o >= size)
		return -1;
	out[o] = '\0';
	return (ssize_t)o;
}

static char *decode_dup(const char *in, size_t len, int *rc)
{
	char *out = malloc(len + 1);

	if (!out) {
		*rc = XDR_ENOMEM;
		return NULL;
	}
	if (xcon_percent_decode(in, len, true, out, len + 1) < 0) {
		free(out);
		*rc = XDR_EINVAL;
		return NULL;
	}
	return out;
}

int xcon_params_parse(const char *query, struct xcon_params *out)
{
	const char *p = query ? query : "";
	int rc = XDR_OK;

	memset(out, 0, sizeof(*out));
	while (*p) {
		size_t n = strcspn(p, "&");
		const char *eq = memchr(p, '=', n);
		size_t klen = eq ? (size_t)(eq - p) : n;

		if (n == 0) { /* "a=1&&b=2": an empty piece is nothing */
			p++;
			continue;
		}
		if (klen == 0 || out->n == XCON_PARAMS_MAX) {
			rc = XDR_EINVAL;
			break;
		}
		out->keys[out->n] = decode_dup(p, klen, &rc);
		if (!out->keys[out->n])
			break;
		out->values[out->n] = eq ? decode_dup(eq + 1, n - klen - 1, &rc)
		                         : decode_dup("", 0, &rc);
		if (!out->values[out->n]) {
			free(out->keys[out->n]);
			break;
		}
		out->n++;
		p += n;
		if (*p == '&')
			p++;
	}
	if (rc != XDR_OK)
		xcon_params_free(out);
	return rc;
}

const char *xcon_params_get(const struct xcon_params *p, const char *key)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcmp(p->keys[i], key))
			return p->values[i];
	return NULL;
}

void xcon_params_free(struct xcon_params *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->keys[i]);
		free(p->values[i]);
	}
	p->n = 0;
}

/* ---- media types -------------------------------------------------------- */

bool xcon_media_type(const char *header, char *out, size_t size)
{
	size_t start = 0, end, n;

	if (!header)
		return false;
	while (header[start] == ' ' || header[start] == '\t')
		start++;
	end = start + strcspn(header + start, ";");
	while (end > start &&
	       (header[end - 1] == ' ' || header[end - 1] == '\t'))
		end--;
	n = end - start;
	if (n == 0 || n >= size)
		return false;
	for (size_t i = 0; i < n; i++)
		out[i] = (char)tolower((unsigned char)header[start + i]);
	out[n] = '\0';
	return true;
}

/* ---- request bodies ----------------------------------------------------- */

int xcon_buf_append(struct xcon_buf *b, const char *data, size_t size)
{
	if (size > SIZE_MAX - 1 - b->len)
		return XDR_ENOMEM;
	if (b->len + size + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *grown;

		while (cap < b->len + size + 1) {
			if (cap > SIZE_MAX / 2)
				return XDR_ENOMEM;
			cap *= 2;
		}
		/* Not realloc(): it would free the old bytes unwiped. */
		grown = malloc(cap);
		if (!grown)
			return XDR_ENOMEM;
		if (b->data) {
			memcpy(grown, b->data, b->len);
			OPENSSL_cleanse(b->data, b->cap);
			free(b->data);
		}
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, size);
	b->len += size;
	b->data[b->len] = '\0';
	return XDR_OK;
}

void xcon_buf_wipe(struct xcon_buf *b)
{
	if (b->data)
		OPENSSL_cleanse(b->data, b->cap);
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* ---- ETags -------------------------------------------------------------- */

bool xcon_etag_match(const char *header, const char *etag)
{
	const char *p = header;
	size_t n = strlen(etag);

	if (!header || n == 0)
		return false;
	while (*p) {
		p += strspn(p, " \t,");
		if (!strncmp(p, "W/", 2))
			p += 2;
		if (*p == '*' || (!strncmp(p, etag, n) &&
		                  (p[n] == '\0' || strchr(" \t,", p[n]))))
			return true;
		p += strcspn(p, ",");
	}
	return false;
}

/* ---- the listen address ------------------------------------------------- */

int xcon_listen_parse(const char *listen, char addr[XCON_ADDR_MAX],
                      unsigned *port, struct xdr_err *err)
{
	const char *colon, *start = listen;
	unsigned char buf[sizeof(struct in6_addr)];
	char q[XDR_QUOTE_MAX];
	int64_t p;
	size_t n;
	bool v6;

	if (!listen)
		return xdr_errf(err, XDR_EINVAL, "no listen address");
	v6 = listen[0] == '[';
	if (v6) {
		const char *end = strchr(listen, ']');

		if (!end || end[1] != ':')
			return xdr_errf(err, XDR_EINVAL,
			                "%s: an IPv6 address is written "
			                "[ADDRESS]:PORT",
			                xdr_quote(listen, q, sizeof(q)));
		start = listen + 1;
		n = (size_t)(end - start);
		colon = end + 1;
	} else {
		colon = strrchr(listen, ':');
		if (!colon)
			return xdr_errf(
			        err, XDR_EINVAL,
			        "%s: the listen address is ADDRESS:PORT",
			        xdr_quote(listen, q, sizeof(q)));
		n = (size_t)(colon - listen);
	}
	if (n == 0 || n >= XCON_ADDR_MAX)
		return xdr_errf(err, XDR_EINVAL, "%s: not an IP address",
		                xdr_quote(listen, q, sizeof(q)));
	memcpy(addr, start, n);
	addr[n] = '\0';
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, buf) != 1)
		return xdr_errf(err, XDR_EINVAL, "%s: not an IP%s address",
		                xdr_quote(addr, q, sizeof(q)),
		                v6 ? "v6" : "v4");
	if (!decimal(colon + 1, 0, 65535, &p))
		return xdr_errf(err, XDR_EINVAL,
		                "%s: the port must be a number from 0 to 65535",
		                xdr_quote(colon + 1, q, sizeof(q)));
	*port = (unsigned)p;
	return XDR_OK;
}

bool xcon_addr_loopback(const char *addr)
{
	struct in_addr v4;
	struct in6_addr v6;

	if (inet_pton(AF_INET, addr, &v4) == 1)
		return (ntohl(v4.s_addr) >> 24) == 127;
	if (inet_pton(AF_INET6, addr, &v6) == 1)
		return IN6_IS_ADDR_LOOPBACK(&v6) ||
		       (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
	return false;
}
