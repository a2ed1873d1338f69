/*
 * http.c - the libcurl transport of the IT Glue client.
 */
#include <config.h>

#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <xdr/plugin.h>

#include "errbuf.h"
#include "secret.h"

#define USER_AGENT PACKAGE_NAME "/" PACKAGE_VERSION
#define MEDIA_TYPE "application/vnd.api+json"

/* One reusable easy handle and the request it runs. */
struct slot {
	CURL *easy;
	bool busy;
	struct curl_slist *headers; /* holds the key: wiped when freed */
	struct itg_http_response *resp;
	size_t cap; /* allocated bytes of resp->body */
	bool too_large;
	char errbuf[CURL_ERROR_SIZE];
	void *tag;
	struct itg_http *owner;
};

struct itg_http {
	CURLM *multi;
	struct itg_http_config cfg;
	char *ca_file;
	char *proxy;
	struct slot slots[ITG_HTTP_PARALLEL_MAX];
	size_t active;
	/* libcurl's TLS is OpenSSL's (or a fork's): its verify result is
	 * then an X509_V_ERR_* code, which says why a certificate failed. */
	bool openssl;
};

int itg_http_global_init(char *err, size_t errsize)
{
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		itg_errf(err, errsize, "cannot initialise libcurl: %s",
		         curl_easy_strerror(rc));
		return XDR_ERROR;
	}
	return 0;
}

void itg_http_global_cleanup(void)
{
	curl_global_cleanup();
}

/* Dotted-quad with the first octet 127, every octet 0..255. */
static bool loopback_ipv4(const char *host)
{
	unsigned int octets = 0, value;
	const char *p = host;
	bool first127 = false;

	while (octets < 4) {
		if (*p < '0' || *p > '9')
			return false;
		value = 0;
		while (*p >= '0' && *p <= '9') {
			value = value * 10 + (unsigned int)(*p - '0');
			if (value > 255)
				return false;
			p++;
		}
		if (octets == 0)
			first127 = value == 127;
		octets++;
		if (octets < 4 && *p++ != '.')
			return false;
	}
	return *p == '\0' && first127;
}

static bool loopback_host(const char *host)
{
	return strcasecmp(host, "localhost") == 0 || loopback_ipv4(host) ||
	       strcmp(host, "[::1]") == 0 ||
	       strcmp(host, "[0:0:0:0:0:0:0:1]") == 0;
}

int itg_http_check_url(const char *url, bool *is_http, char *err,
                       size_t errsize)
{
	CURLU *u;
	char *scheme = NULL, *host = NULL, *user = NULL, *password = NULL,
	     *query = NULL, *fragment = NULL;
	int rc = XDR_EINVAL;

	*is_http = false;
	if (url == NULL || url[0] == '\0') {
		itg_errf(err, errsize, "the IT Glue URL is empty");
		return XDR_EINVAL;
	}
	u = curl_url();
	if (u == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	/* Any scheme parses, not only those this libcurl was built with: a
	 * wrong one is refused below with its name. */
	if (curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) !=
	            CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK) {
		itg_errf(err, errsize,
		         "the IT Glue URL is not an absolute URL with a host");
		goto out;
	}
	curl_url_get(u, CURLUPART_USER, &user, 0);
	curl_url_get(u, CURLUPART_PASSWORD, &password, 0);
	curl_url_get(u, CURLUPART_QUERY, &query, 0);
	curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0);
	if (user != NULL || password != NULL) {
		itg_errf(err, errsize,
		         "the IT Glue URL must not hold a user name or "
		         "password");
	} else if (query != NULL || fragment != NULL) {
		itg_errf(err, errsize,
		         "the IT Glue URL must not hold a query or fragment");
	} else if (strcasecmp(scheme, "https") == 0) {
		rc = 0;
	} else if (strcasecmp(scheme, "http") == 0 && loopback_host(host)) {
		*is_http = true;
		rc = 0;
	} else if (strcasecmp(scheme, "http") == 0) {
		itg_errf(err, errsize,
		         "refusing http://%s: the API key would travel "
		         "unencrypted; use https (http is accepted only for "
		         "127.0.0.1, ::1 and localhost)",
		         host);
	} else {
		itg_errf(err, errsize,
		         "the IT Glue URL must start with https:// (not "
		         "%s://)",
		         scheme);
	}
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(user);
	curl_free(password);
	curl_free(query);
	curl_free(fragment);
	curl_url_cleanup(u);
	return rc;
}

static bool tls_is_openssl(void)
{
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	static const char *const names[] = {"OpenSSL/", "LibreSSL/",
	                                    "BoringSSL", "quictls/"};

	/* A build with several TLS libraries names the inactive ones in
	 * parentheses, first: only the first name counts. */
	for (size_t i = 0; v != NULL && v->ssl_version != NULL &&
	                   i < sizeof(names) / sizeof(names[0]);
	     i++)
		if (strncmp(v->ssl_version, names[i], strlen(names[i])) == 0)
			return true;
	return false;
}

static char *copy_or_null(const char *s)
{
	return s != NULL && s[0] != '\0' ? strdup(s) : NULL;
}

int itg_http_new(const struct itg_http_config *cfg, struct itg_http **out,
                 char *err, size_t errsize)
{
	struct itg_http *h;
	size_t i;

	*out = NULL;
	h = calloc(1, sizeof(*h));
	if (h == NULL)
		goto nomem;
	h->cfg = *cfg;
	if (h->cfg.connect_timeout_ms == 0)
		h->cfg.connect_timeout_ms = ITG_HTTP_CONNECT_TIMEOUT_MS_DEFAULT;
	if (h->cfg.timeout_ms == 0)
		h->cfg.timeout_ms = ITG_HTTP_TIMEOUT_MS_DEFAULT;
	if (h->cfg.max_body == 0)
		h->cfg.max_body = ITG_HTTP_MAX_BODY_DEFAULT;
	h->ca_file = copy_or_null(cfg->ca_file);
	h->proxy = copy_or_null(cfg->proxy);
	if ((cfg->ca_file != NULL && cfg->ca_file[0] != '\0' &&
	     h->ca_file == NULL) ||
	    (cfg->proxy != NULL && cfg->proxy[0] != '\0' && h->proxy == NULL))
		goto nomem;
	h->cfg.ca_file = h->ca_file;
	h->cfg.proxy = h->proxy;
	h->multi = curl_multi_init();
	if (h->multi == NULL)
		goto nomem;
	h->openssl = tls_is_openssl();
	for (i = 0; i < ITG_HTTP_PARALLEL_MAX; i++) {
		h->slots[i].easy = curl_easy_init();
		h->slots[i].owner = h;
		if (h->slots[i].easy == NULL)
			goto nomem;
	}
	*out = h;
	return 0;
nomem:
	itg_http_free(h);
	itg_errf(err, errsize, "out of memory (or libcurl failed to start)");
	return XDR_ENOMEM;
}

static void wipe_headers(struct slot *s)
{
	struct curl_slist *l;

	for (l = s->headers; l != NULL; l = l->next)
		itg_secret_wipe(l->data, strlen(l->data));
	curl_slist_free_all(s->headers);
	s->headers = NULL;
}

void itg_http_response_free(struct itg_http_response *r)
{
	if (r == NULL)
		return;
	free(r->body);
	free(r);
}

/* Take a slot out of the multi handle and make it free again. */
static void release(struct itg_http *h, struct slot *s)
{
	if (!s->busy)
		return;
	curl_multi_remove_handle(h->multi, s->easy);
	wipe_headers(s);
	itg_http_response_free(s->resp);
	s->resp = NULL;
	s->busy = false;
	h->active--;
}

void itg_http_wakeup(struct itg_http *h)
{
	if (h != NULL)
		curl_multi_wakeup(h->multi);
}

void itg_http_abort_all(struct itg_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	for (i = 0; i < ITG_HTTP_PARALLEL_MAX; i++)
		release(h, &h->slots[i]);
}

void itg_http_free(struct itg_http *h)
{
	size_t i;

	if (h == NULL)
		return;
	itg_http_abort_all(h);
	for (i = 0; i < ITG_HTTP_PARALLEL_MAX; i++)
		if (h->slots[i].easy != NULL)
			curl_easy_cleanup(h->slots[i].easy);
	if (h->multi != NULL)
		curl_multi_cleanup(h->multi);
	free(h->ca_file);
	free(h->proxy);
	free(h);
}

size_t itg_http_active(const struct itg_http *h)
{
	return h != NULL ? h->active : 0;
}

/* The largest told length a body's room is taken for at once. */
#define PRESIZE_MAX ((uint64_t)8 * 1024 * 1024)

static size_t on_body(char *data, size_t size, size_t nmemb, void *user)
{
	struct slot *s = user;
	struct itg_http_response *r = s->resp;
	size_t n = size * nmemb, want;
	char *grown;

	if (n > s->owner->cfg.max_body - r->body_len) {
		s->too_large = true;
		return 0;
	}
	if (s->cap == 0) {
		/* The whole answer's room at once when its length is told: a
		 * page of a thousand records is over a megabyte, and growing
		 * to it copies it several times. Up to PRESIZE_MAX only, so
		 * that a told length is not memory taken before any byte
		 * came; without the room, the body grows as it comes. */
		curl_off_t told = -1;

		if (curl_easy_getinfo(s->easy,
		                      CURLINFO_CONTENT_LENGTH_DOWNLOAD_T,
		                      &told) == CURLE_OK &&
		    told > 0 && (uint64_t)told < s->owner->cfg.max_body &&
		    (uint64_t)told < PRESIZE_MAX) {
			r->body = malloc((size_t)told + 1);
			if (r->body != NULL)
				s->cap = (size_t)told + 1;
		}
	}
	if (r->body_len + n + 1 > s->cap) {
		want = s->cap > 0 ? s->cap : 16384;
		while (want < r->body_len + n + 1)
			want *= 2;
		grown = realloc(r->body, want);
		if (grown == NULL)
			return 0;
		r->body = grown;
		s->cap = want;
	}
	memcpy(r->body + r->body_len, data, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
	return n;
}

/* Copy a header's value (spaces and the line end trimmed) into out. */
static void header_value(const char *v, size_t n, char *out, size_t outsize)
{
	while (n > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' ||
	                 v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (n >= outsize)
		n = outsize - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *user)
{
	struct slot *s = user;
	size_t n = size * nmemb;
	static const char name[] = "retry-after:";

	/* A new status line (after a 100 Continue, say) starts afresh. */
	if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
		s->resp->retry_after[0] = '\0';
	else if (n > sizeof(name) - 1 &&
	         strncasecmp(data, name, sizeof(name) - 1) == 0)
		header_value(data + sizeof(name) - 1, n - (sizeof(name) - 1),
		             s->resp->retry_after,
		             sizeof(s->resp->retry_after));
	return n;
}

static int on_progress(void *user, curl_off_t dltotal, curl_off_t dlnow,
                       curl_off_t ultotal, curl_off_t ulnow)
{
	struct slot *s = user;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return s->owner->cfg.cancel != NULL &&
	                       s->owner->cfg.cancel(s->owner->cfg.cancel_user)
	               ? 1
	               : 0;
}

static int build_headers(struct slot *s, const struct itg_http_request *req)
{
	char *line;
	size_t len = strlen("x-api-key: ") + strlen(req->api_key) + 1;
	struct curl_slist *l;

	line = malloc(len);
	if (line == NULL)
		return XDR_ENOMEM;
	snprintf(line, len, "x-api-key: %s", req->api_key);
	l = curl_slist_append(NULL, line);
	itg_secret_free(line);
	if (l == NULL)
		return XDR_ENOMEM;
	s->headers = l;
	if (curl_slist_append(l, "Accept: " MEDIA_TYPE) == NULL)
		return XDR_ENOMEM;
	if (req->body != NULL &&
	    (curl_slist_append(l, "Content-Type: " MEDIA_TYPE) == NULL ||
	     /* No 100-continue round trip before the body. */
	     curl_slist_append(l, "Expect:") == NULL))
		return XDR_ENOMEM;
	return 0;
}

#define SET(opt, val)                                                          \
	do {                                                                   \
		if (curl_easy_setopt(e, opt, val) != CURLE_OK)                 \
			return XDR_ERROR;                                      \
	} while (0)

static int set_options(struct itg_http *h, struct slot *s,
                       const struct itg_http_request *req)
{
	CURL *e = s->easy;

	/* A reset keeps the connection cache and TLS sessions. */
	curl_easy_reset(e);
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_NOSIGNAL, 1L);
	SET(CURLOPT_ERRORBUFFER, s->errbuf);
	SET(CURLOPT_USERAGENT, USER_AGENT);
	SET(CURLOPT_HTTPHEADER, s->headers);
	SET(CURLOPT_FOLLOWLOCATION, 0L);
#if LIBCURL_VERSION_NUM >= 0x075500
	SET(CURLOPT_PROTOCOLS_STR, h->cfg.allow_http ? "http,https" : "https");
#else
	SET(CURLOPT_PROTOCOLS,
	    h->cfg.allow_http ? (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS)
	                      : (long)CURLPROTO_HTTPS);
#endif
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	/* TLS 1.2 at least, whatever the system's TLS library would allow:
	 * its configuration may accept 1.0 and 1.1 for other programs. */
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	if (h->ca_file != NULL)
		SET(CURLOPT_CAINFO, h->ca_file);
#if LIBCURL_VERSION_NUM >= 0x074600
	/* Schannel (Windows) fails a connection whose certificate's
	 * revocation it cannot check, as on a network that cannot reach the
	 * revocation servers; a revoked certificate is still refused.
	 * OpenSSL builds check no revocation and ignore this. */
	SET(CURLOPT_SSL_OPTIONS, (long)CURLSSLOPT_REVOKE_BEST_EFFORT);
#endif
	/* "" disables the proxies of the environment. */
	SET(CURLOPT_PROXY, h->proxy != NULL ? h->proxy : "");
	SET(CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
	SET(CURLOPT_CONNECTTIMEOUT_MS, (long)h->cfg.connect_timeout_ms);
	SET(CURLOPT_TIMEOUT_MS, (long)h->cfg.timeout_ms);
	SET(CURLOPT_TCP_KEEPALIVE, 1L);
	SET(CURLOPT_ACCEPT_ENCODING, "");
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)h->cfg.max_body);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, s);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, s);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, s);
	SET(CURLOPT_VERBOSE, 0L);
	if (strcmp(req->method, "GET") == 0) {
		SET(CURLOPT_HTTPGET, 1L);
		return 0;
	}
	SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
	SET(CURLOPT_COPYPOSTFIELDS, req->body != NULL ? req->body : "");
	if (strcmp(req->method, "POST") != 0)
		SET(CURLOPT_CUSTOMREQUEST, req->method);
	return 0;
}

#undef SET

static bool known_method(const char *m)
{
	return m != NULL &&
	       (strcmp(m, "GET") == 0 || strcmp(m, "POST") == 0 ||
	        strcmp(m, "PATCH") == 0 || strcmp(m, "DELETE") == 0);
}

bool itg_http_key_ok(const char *key)
{
	const unsigned char *p = (const unsigned char *)key;
	size_t n = 0;

	if (key == NULL || *p == '\0')
		return false;
	for (; *p != '\0'; p++, n++)
		if (*p < 0x21 || *p > 0x7e || n >= 512)
			return false;
	return true;
}

int itg_http_start(struct itg_http *h, const struct itg_http_request *req,
                   void *tag)
{
	struct slot *s = NULL;
	size_t i;
	int rc, running;

	if (h == NULL || req == NULL || req->url == NULL ||
	    !known_method(req->method) || !itg_http_key_ok(req->api_key) ||
	    (req->body == NULL && req->body_len != 0))
		return XDR_EINVAL;
	for (i = 0; i < ITG_HTTP_PARALLEL_MAX && s == NULL; i++)
		if (!h->slots[i].busy)
			s = &h->slots[i];
	if (s == NULL)
		return XDR_EBUSY;
	s->resp = calloc(1, sizeof(*s->resp));
	if (s->resp == NULL)
		return XDR_ENOMEM;
	s->cap = 0;
	s->too_large = false;
	s->errbuf[0] = '\0';
	s->tag = tag;
	rc = build_headers(s, req);
	if (rc == 0)
		rc = set_options(h, s, req);
	if (rc == 0 && curl_multi_add_handle(h->multi, s->easy) != CURLM_OK)
		rc = XDR_ERROR;
	if (rc != 0) {
		wipe_headers(s);
		itg_http_response_free(s->resp);
		s->resp = NULL;
		return rc;
	}
	s->busy = true;
	h->active++;
	/* Out now, not at the next poll: the caller may have a page to read
	 * first, and the answer's time runs from when the request is sent.
	 * What this finishes of other transfers waits for the next poll. */
	curl_multi_perform(h->multi, &running);
	return 0;
}

static enum itg_transfer transfer_of(CURLcode rc, bool too_large)
{
	switch (rc) {
	case CURLE_OK:
		return ITG_XFER_OK;
	case CURLE_OPERATION_TIMEDOUT:
		return ITG_XFER_TIMEOUT;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
		return ITG_XFER_DNS;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_USE_SSL_FAILED:
		return ITG_XFER_TLS;
	case CURLE_PARTIAL_FILE:
	case CURLE_BAD_CONTENT_ENCODING:
		return ITG_XFER_PARTIAL;
	case CURLE_FILESIZE_EXCEEDED:
		return ITG_XFER_TOO_LARGE;
	case CURLE_WRITE_ERROR:
		return too_large ? ITG_XFER_TOO_LARGE : ITG_XFER_NO_MEMORY;
	case CURLE_ABORTED_BY_CALLBACK:
		return ITG_XFER_CANCELLED;
	case CURLE_OUT_OF_MEMORY:
		return ITG_XFER_NO_MEMORY;
	case CURLE_UNSUPPORTED_PROTOCOL:
	case CURLE_URL_MALFORMAT:
	case CURLE_BAD_FUNCTION_ARGUMENT:
	case CURLE_UNKNOWN_OPTION:
	case CURLE_NOT_BUILT_IN:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
		return ITG_XFER_SETUP;
	default:
		/* Refused, reset, nothing received, HTTP/2 stream errors:
		 * the network or the far end failed. */
		return ITG_XFER_CONNECT;
	}
}

/* Where a redirect points: its scheme, host and port only (the path and
 * query say nothing the user needs, and may be long). "" when none. */
static void redirect_origin(CURL *easy, char *out, size_t size)
{
	char *to = NULL, *scheme = NULL, *host = NULL, *port = NULL;
	CURLU *u;

	out[0] = '\0';
	if (curl_easy_getinfo(easy, CURLINFO_REDIRECT_URL, &to) != CURLE_OK ||
	    to == NULL || (u = curl_url()) == NULL)
		return;
	if (curl_url_set(u, CURLUPART_URL, to, CURLU_NON_SUPPORT_SCHEME) ==
	            CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK) {
		if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
			snprintf(out, size, "%s://%s:%s", scheme, host, port);
		else
			snprintf(out, size, "%s://%s", scheme, host);
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

/* Fill the response of a finished slot and hand it out. */
static struct itg_http_response *finish(struct itg_http *h, struct slot *s,
                                        CURLcode rc, void **tag)
{
	struct itg_http_response *r = s->resp;
	char *ct = NULL;

	curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &r->status);
	if (curl_easy_getinfo(s->easy, CURLINFO_CONTENT_TYPE, &ct) ==
	            CURLE_OK &&
	    ct != NULL)
		header_value(ct, strlen(ct), r->content_type,
		             sizeof(r->content_type));
	r->transfer = transfer_of(rc, s->too_large);
	if (r->transfer == ITG_XFER_TLS && h->openssl &&
	    curl_easy_getinfo(s->easy, CURLINFO_SSL_VERIFYRESULT,
	                      &r->tls_verify) != CURLE_OK)
		r->tls_verify = 0;
	if (r->status >= 300 && r->status <= 399)
		redirect_origin(s->easy, r->redirect_to,
		                sizeof(r->redirect_to));
	if (r->transfer == ITG_XFER_TOO_LARGE)
		snprintf(r->detail, sizeof(r->detail),
		         "over the limit of %zu bytes", h->cfg.max_body);
	else if (rc != CURLE_OK)
		snprintf(r->detail, sizeof(r->detail), "%s",
		         s->errbuf[0] != '\0' ? s->errbuf
		                              : curl_easy_strerror(rc));
	*tag = s->tag;
	s->resp = NULL;
	release(h, s);
	return r;
}

static int collect(struct itg_http *h, struct itg_http_response **resp,
                   void **tag)
{
	CURLMsg *msg;
	int left;
	size_t i;

	while ((msg = curl_multi_info_read(h->multi, &left)) != NULL) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		for (i = 0; i < ITG_HTTP_PARALLEL_MAX; i++)
			if (h->slots[i].busy &&
			    h->slots[i].easy == msg->easy_handle) {
				*resp = finish(h, &h->slots[i],
				               msg->data.result, tag);
				return 1;
			}
	}
	return 0;
}

int itg_http_poll(struct itg_http *h, int wait_ms,
                  struct itg_http_response **resp, void **tag)
{
	int running = 0;

	*resp = NULL;
	*tag = NULL;
	if (h == NULL || h->active == 0)
		return 0;
	curl_multi_perform(h->multi, &running);
	if (collect(h, resp, tag))
		return 1;
	if (running > 0 && wait_ms > 0)
		curl_multi_poll(h->multi, NULL, 0, wait_ms, NULL);
	curl_multi_perform(h->multi, &running);
	return collect(h, resp, tag);
}
