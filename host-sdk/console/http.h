/*
 * http.h - the pure parsing the console's server needs besides the helpers
 * of console.h (http.c): percent-decoding, query strings, media types,
 * If-None-Match and the listen address.
 */
#ifndef XCON_HTTP_H
#define XCON_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "console.h"

/* Decode len bytes of in (%XX escapes; '+' as a space if plus_space) into
 * out, NUL-terminated: the decoded length, or -1 for a bad escape, a NUL
 * byte or an out of size bytes (the NUL included). */
ssize_t xcon_percent_decode(const char *in, size_t len, bool plus_space,
                            char *out, size_t size);

/* A query string's parameters, decoded. */
#define XCON_PARAMS_MAX 32

struct xcon_params {
	size_t n;
	char *keys[XCON_PARAMS_MAX];
	char *values[XCON_PARAMS_MAX];
};

/* Parse query ("a=1&b=x%20y"; NULL or "" for none) into out: XDR_OK;
 * XDR_EINVAL for a bad escape, a NUL byte, an empty key or more than
 * XCON_PARAMS_MAX parameters; XDR_ENOMEM. "a" alone is a = "". */
int xcon_params_parse(const char *query, struct xcon_params *out);

/* The value of key's first occurrence, or NULL. */
const char *xcon_params_get(const struct xcon_params *p, const char *key);
void xcon_params_free(struct xcon_params *p);

/* The media type of a Content-Type header ("Application/JSON;
 * charset=utf-8" is "application/json"), lower case, into out: false when
 * it is empty or does not fit. */
bool xcon_media_type(const char *header, char *out, size_t size);

/* A request's body as it comes in, kept NUL-terminated. */
struct xcon_buf {
	char *data; /* NULL until the first byte */
	size_t len;
	size_t cap;
};

/* Append size bytes of data to b. A buffer that grows is copied into a new
 * one and the old one wiped before it is freed, so that no copy of a
 * password or an API key is left in freed memory. XDR_OK or XDR_ENOMEM (b
 * unchanged). */
int xcon_buf_append(struct xcon_buf *b, const char *data, size_t size);

/* Wipe b's bytes, free it and empty it. */
void xcon_buf_wipe(struct xcon_buf *b);

/* Does an If-None-Match header (NULL: none) name etag (quoted): "*", or
 * etag among its list, weak (W/) or not? */
bool xcon_etag_match(const char *header, const char *etag);

/* "ADDRESS:PORT" (an IPv4 address) or "[ADDRESS]:PORT" (IPv6), port 0 to
 * 65535: the address without brackets into addr, and the port. XDR_EINVAL
 * with the reason otherwise. */
#define XCON_ADDR_MAX 64
int xcon_listen_parse(const char *listen, char addr[XCON_ADDR_MAX],
                      unsigned *port, struct xdr_err *err);

/* Is addr (an IP address without brackets) a loopback one: 127.0.0.0/8 or
 * ::1? */
bool xcon_addr_loopback(const char *addr);

#endif
