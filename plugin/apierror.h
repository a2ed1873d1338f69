/*
 * apierror.h - what an exchange with IT Glue came to, and one sentence for
 * the user (pure: no I/O).
 *
 * The decision is made by the transport result and the HTTP status alone;
 * the body is read only to explain. Retryable outcomes (429, 408, 5xx,
 * network, timeouts, cut answers, unreadable 2xx bodies) are told apart from
 * permanent ones (400, 401, 403, 404, 413, 422, ...), which a retry cannot
 * fix.
 */
#ifndef ITG_APIERROR_H
#define ITG_APIERROR_H

#include <stddef.h>

/* Longest sentence kept, including the NUL. */
#define ITG_APIERROR_MAX 400

enum itg_outcome {
	ITG_OK = 0,   /* the exchange succeeded */
	ITG_RETRY,    /* it failed; the same request may succeed later */
	ITG_PERMANENT /* it failed; repeating it cannot help */
};

enum itg_error_kind {
	ITG_ERR_NONE = 0,
	ITG_ERR_RATE_LIMITED,     /* 429 */
	ITG_ERR_SERVER,           /* 5xx */
	ITG_ERR_TIMEOUT,          /* 408, or no answer in time */
	ITG_ERR_NETWORK,          /* connection refused, reset, ... */
	ITG_ERR_DNS,              /* the host name does not resolve */
	ITG_ERR_TLS,              /* handshake or certificate failure */
	ITG_ERR_TRUNCATED,        /* the answer was cut short */
	ITG_ERR_BAD_RESPONSE,     /* a 2xx whose body cannot be read */
	ITG_ERR_UNAUTHORIZED,     /* 401 */
	ITG_ERR_FORBIDDEN,        /* 403 */
	ITG_ERR_FORBIDDEN_REGION, /* 403 {"message":"Forbidden"}: the key is
	                             most likely of another region */
	ITG_ERR_NOT_FOUND,        /* 404 */
	ITG_ERR_INVALID,          /* 422 */
	ITG_ERR_BAD_REQUEST,      /* 400 and other refusals */
	ITG_ERR_TOO_LARGE,        /* 413, or an answer over our limit */
	ITG_ERR_CANCELLED,        /* the job is stopping */
	ITG_ERR_REDIRECT,         /* 3xx: not followed, the key stays home */
	ITG_ERR_CONFIG,           /* the request could not be built or sent as
	                             configured (bad URL, proxy, CA file) */
	ITG_ERR_NO_MEMORY
};

/* What the transport made of the exchange, without libcurl's types. */
enum itg_transfer {
	ITG_XFER_OK = 0, /* an HTTP answer came, whatever its status */
	ITG_XFER_TIMEOUT,
	ITG_XFER_DNS,
	ITG_XFER_CONNECT, /* refused, reset, unreachable, closed early */
	ITG_XFER_TLS,
	ITG_XFER_PARTIAL,   /* fewer bytes than announced */
	ITG_XFER_TOO_LARGE, /* the answer is over the client's limit */
	ITG_XFER_CANCELLED,
	ITG_XFER_SETUP, /* a local problem: bad option, proxy, CA file */
	ITG_XFER_NO_MEMORY
};

/* Why a TLS connection was refused, as far as it can be told. */
enum itg_tls_problem {
	ITG_TLS_NONE = 0,
	ITG_TLS_UNTRUSTED,     /* self-signed, or issued by an unknown CA */
	ITG_TLS_EXPIRED,       /* a certificate of the chain has expired */
	ITG_TLS_NOT_YET_VALID, /* ... or is not valid yet (a clock?) */
	ITG_TLS_NAME_MISMATCH, /* the certificate is for another host name */
	ITG_TLS_OLD_PROTOCOL,  /* the server offers only TLS below 1.2 */
	ITG_TLS_OTHER          /* another handshake or certificate failure */
};

/* An exchange as seen by the client. Strings may be NULL. */
struct itg_exchange {
	enum itg_transfer transfer;
	const char *transfer_detail; /* the transport's own words */
	long tls_verify;         /* ITG_XFER_TLS: OpenSSL's X509_V_ERR_* code,
	                            0 when not known */
	const char *redirect_to; /* a 3xx's target, scheme://host:port */
	long status;             /* HTTP status, 0 when none came */
	const char *content_type;
	const char *body; /* body_len bytes, need not end in NUL */
	size_t body_len;
	/* Text never to repeat (the API key): a server or proxy that echoes
	 * the request may put it in its answer. Masked as "[API key]"
	 * wherever it occurs whole; a message never holds a part of it
	 * either. NULL: none. */
	const char *secret;
};

struct itg_api_error {
	enum itg_outcome outcome;
	enum itg_error_kind kind;
	enum itg_tls_problem tls;       /* kind ITG_ERR_TLS: why */
	long status;                    /* HTTP status, 0 if none */
	char message[ITG_APIERROR_MAX]; /* one line of UTF-8, no secrets */
};

/*
 * Classify an exchange into *e. A 2xx with a transfer that went well is
 * ITG_OK (message ""); reading its body is the caller's business (see
 * itg_apierror_set for an unreadable one). Never fails.
 */
void itg_apierror_classify(const struct itg_exchange *x,
                           struct itg_api_error *e);

/* Fill *e by hand, e.g. for a 2xx body that is not JSON:API. */
void itg_apierror_set(struct itg_api_error *e, enum itg_outcome outcome,
                      enum itg_error_kind kind, long status, const char *fmt,
                      ...) __attribute__((format(PRINTF_FORMAT, 5, 6)));

/*
 * Why a TLS connection failed: from OpenSSL's verify result VERIFY (an
 * X509_V_ERR_* code; 0 or 1 say nothing) when it names the cause, else
 * from the words of the TLS library in DETAIL (OpenSSL, GnuTLS, Schannel).
 * ITG_TLS_OTHER when neither tells.
 */
enum itg_tls_problem itg_tls_problem_of(long verify, const char *detail);

/* "untrusted", "expired", "not_yet_valid", "name_mismatch",
 * "old_protocol", "other" ("none" for ITG_TLS_NONE): stable, for admin
 * answers. */
const char *itg_tls_problem_name(enum itg_tls_problem problem);

/* "ok", "retry", "permanent". */
const char *itg_outcome_name(enum itg_outcome outcome);

/* "rate_limited", "forbidden_region", ...: stable, for logs and admin
 * answers. */
const char *itg_error_kind_name(enum itg_error_kind kind);

/*
 * Explain BODY (LEN bytes) in at most OUTSIZE - 1 bytes of one line: the
 * JSON:API errors (detail, else title, with the source pointer), a
 * {"message": ...} body, a double-encoded string of either, an HTML page
 * (its title), or a short text. Writes "" when nothing useful is in it.
 */
void itg_apierror_explain(const char *content_type, const char *body,
                          size_t len, char *out, size_t outsize);

#endif /* ITG_APIERROR_H */
