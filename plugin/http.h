/*
 * http.h - the libcurl transport of the IT Glue client.
 *
 * One struct itg_http per client: a curl multi handle (its connection cache
 * keeps connections alive between requests) and a few reusable easy handles,
 * so that up to ITG_HTTP_PARALLEL_MAX requests run at once on one thread.
 *
 * Safety rules applied to every request: TLS 1.2 at least, peers and host
 * names always verified; redirects are never followed (the API key must not
 * travel to another host); only https is spoken, and http only when the
 * client was created for a loopback URL; proxies come from the configuration
 * only, never from the environment; curl never writes to stdout or stderr.
 *
 * curl_global_init() is process-wide and not safe to race with other threads
 * on every platform: itg_http_global_init() is called once, from the plugin's
 * init() before its worker starts (and from main() in tools), and
 * itg_http_global_cleanup() once after the last client is freed.
 */
#ifndef ITG_HTTP_H
#define ITG_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "apierror.h"

#define ITG_HTTP_PARALLEL_MAX               4
#define ITG_HTTP_MAX_BODY_DEFAULT           ((size_t)32 * 1024 * 1024)
#define ITG_HTTP_CONNECT_TIMEOUT_MS_DEFAULT 10000
#define ITG_HTTP_TIMEOUT_MS_DEFAULT         120000

/* True when the transfers must stop (the worker is stopping). */
typedef bool (*itg_cancel_fn)(void *user);

struct itg_http_config {
	const char *ca_file;         /* PEM bundle; NULL: the system's */
	const char *proxy;           /* "http://proxy:3128"; NULL: none */
	bool allow_http;             /* the base URL is http on loopback */
	uint32_t connect_timeout_ms; /* 0: the default */
	uint32_t timeout_ms;         /* whole transfer; 0: the default */
	size_t max_body;             /* bytes of answer; 0: the default */
	itg_cancel_fn cancel;        /* NULL: never */
	void *cancel_user;
};

struct itg_http_request {
	const char *method;  /* "GET", "POST" or "PATCH" */
	const char *url;     /* absolute */
	const char *api_key; /* sent as x-api-key only */
	const char *body;    /* NULL for none */
	size_t body_len;
};

struct itg_http_response {
	enum itg_transfer transfer;
	char detail[256]; /* the transport's words when it failed */
	long status;      /* 0 when no answer came */
	char content_type[128];
	char retry_after[64];  /* the Retry-After header as sent, or "" */
	long tls_verify;       /* a TLS failure's X509_V_ERR_* code (OpenSSL
	                          builds), else 0 */
	char redirect_to[256]; /* a 3xx's Location: scheme://host:port, or "" */
	char *body;            /* body_len bytes and a NUL */
	size_t body_len;
};

struct itg_http;

/* Once per process, before any client exists. Returns 0 or XDR_ERROR. */
int itg_http_global_init(char *err, size_t errsize);
void itg_http_global_cleanup(void);

/*
 * Check a base URL: absolute, https (or http to 127.0.0.0/8, ::1 or
 * localhost), a host, no user name or password, no query or fragment.
 * *is_http says whether it is plain http. Returns 0 or XDR_EINVAL with the
 * reason in err.
 */
int itg_http_check_url(const char *url, bool *is_http, char *err,
                       size_t errsize);

/* Is KEY fit to be sent as a header: 1..512 printable ASCII characters,
 * no spaces, so no line breaks that could smuggle in other headers? */
bool itg_http_key_ok(const char *key);

/* Returns 0 and *out, or XDR_ENOMEM / XDR_ERROR with err. */
int itg_http_new(const struct itg_http_config *cfg, struct itg_http **out,
                 char *err, size_t errsize);

/* Abort what still runs and free everything; NULL is allowed. */
void itg_http_free(struct itg_http *h);

/*
 * Start a request; TAG comes back with its response. Returns 0, XDR_EBUSY
 * when ITG_HTTP_PARALLEL_MAX run already, XDR_EINVAL (bad request),
 * XDR_ENOMEM or XDR_ERROR. The request's strings are copied.
 */
int itg_http_start(struct itg_http *h, const struct itg_http_request *req,
                   void *tag);

/* Requests started and not yet handed back. */
size_t itg_http_active(const struct itg_http *h);

/*
 * Move the transfers on, waiting at most WAIT_MS for something to happen.
 * Returns 1 with a finished request's response (*resp, free it with
 * itg_http_response_free) and tag, or 0 when none finished yet.
 */
int itg_http_poll(struct itg_http *h, int wait_ms,
                  struct itg_http_response **resp, void **tag);

/* End a wait of itg_http_poll() early. Safe from another thread while H
 * lives. */
void itg_http_wakeup(struct itg_http *h);

/* Drop every running request (their responses are discarded). */
void itg_http_abort_all(struct itg_http *h);

void itg_http_response_free(struct itg_http_response *r);

#endif /* ITG_HTTP_H */
