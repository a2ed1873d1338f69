/*
 * apierror.c - what an exchange with IT Glue came to, and one sentence for
 * the user (pure: no I/O).
 */
#include <config.h>

#include "apierror.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json.h>

#include "jsonapi.h"
#include "text.h"

/* Bodies longer than this are not parsed to explain an error: IT Glue's
 * error documents are a few hundred bytes. */
#define EXPLAIN_PARSE_MAX (64 * 1024)

/* JSON:API errors quoted in one sentence at most. */
#define EXPLAIN_ERRORS_MAX 3

/* Longest excerpt of a plain-text body or of an HTML page's title. */
#define EXPLAIN_TEXT_MAX 160

/* Longest API key (itg_http_key_ok): an excerpt is read this much further
 * so that a key at its end is seen whole, and masked whole. */
#define SECRET_MAX 512

/* What stands for the API key where a server echoed it. */
#define SECRET_MARK "[API key]"

enum body_shape { BODY_NONE, BODY_JSON, BODY_HTML, BODY_TEXT };

/*
 * A bounded string under construction: one line of UTF-8 (itg_text_unit),
 * the secret masked wherever it occurs whole in what is added. What does
 * not fit ends the line, so that it never skips a part to take a later,
 * shorter one, nor keeps the head of a secret.
 */
struct line {
	char *buf;
	size_t size; /* of buf */
	size_t len;
	size_t max; /* longest length, when below size - 1; 0: no bound */
	const char *secret;
	size_t secret_len;
	bool full;
};

static bool line_put(struct line *l, const char *s, size_t n)
{
	size_t limit = l->size - 1;

	if (l->max > 0 && l->max < limit)
		limit = l->max;
	if (l->full || l->len + n > limit) {
		l->full = true;
		return false;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
	l->buf[l->len] = '\0';
	return true;
}

static void line_add(struct line *l, const char *s, size_t n)
{
	size_t i = 0, used, out_len;
	const char *out;

	n = strnlen(s, n);
	while (i < n && !l->full) {
		if (l->secret_len > 0 && n - i >= l->secret_len &&
		    memcmp(s + i, l->secret, l->secret_len) == 0) {
			line_put(l, SECRET_MARK, sizeof(SECRET_MARK) - 1);
			i += l->secret_len;
			continue;
		}
		used = itg_text_unit(s + i, n - i, &out, &out_len);
		if (!line_put(l, out, out_len))
			break;
		i += used;
	}
	l->buf[l->len] = '\0';
}

static void line_str(struct line *l, const char *s)
{
	line_add(l, s, strlen(s));
}

/* A line into BUF of SIZE bytes that masks SECRET (NULL: none). */
static struct line line_new(char *buf, size_t size, const char *secret)
{
	struct line l = {buf, size, 0, 0, secret, 0, false};

	l.secret_len = secret != NULL ? strlen(secret) : 0;
	buf[0] = '\0';
	return l;
}

static const char *trim_slash(const char *pointer)
{
	while (*pointer == '/')
		pointer++;
	return pointer;
}

/* One entry of errors[]: detail (string or array), else title, with the
 * pointer. Returns whether it said anything. */
static bool explain_one_error(struct json_object *e, struct line *l)
{
	struct json_object *detail, *source, *item;
	const char *title, *pointer;
	size_t i, n;
	bool said = false;

	if (!json_object_is_type(e, json_type_object))
		return false;
	if (json_object_object_get_ex(e, "detail", &detail) &&
	    json_object_is_type(detail, json_type_string) &&
	    json_object_get_string_len(detail) > 0) {
		line_str(l, json_object_get_string(detail));
		said = true;
	} else if (json_object_is_type(detail, json_type_array)) {
		n = json_object_array_length(detail);
		for (i = 0; i < n; i++) {
			item = json_object_array_get_idx(detail, i);
			if (!json_object_is_type(item, json_type_string))
				continue;
			if (said)
				line_str(l, "; ");
			line_str(l, json_object_get_string(item));
			said = true;
		}
	}
	title = itg_json_str(e, "title");
	if (!said && title != NULL && title[0] != '\0') {
		line_str(l, title);
		said = true;
	}
	if (!said)
		return false;
	source = NULL;
	json_object_object_get_ex(e, "source", &source);
	pointer = itg_json_str(source, "pointer");
	if (pointer != NULL && trim_slash(pointer)[0] != '\0') {
		line_str(l, " (");
		line_str(l, trim_slash(pointer));
		line_str(l, ")");
	}
	return true;
}

static void explain_json(struct json_object *root, struct line *l)
{
	struct json_object *errors;
	const char *message;
	size_t i, n, said = 0;
	char one[ITG_APIERROR_MAX], more[48];
	struct line o;

	errors = itg_json_array(root, "errors");
	n = errors != NULL ? json_object_array_length(errors) : 0;
	for (i = 0; i < n; i++) {
		if (said == EXPLAIN_ERRORS_MAX) {
			snprintf(more, sizeof(more), " (and %zu more)", n - i);
			line_str(l, more);
			break;
		}
		o = line_new(one, sizeof(one), l->secret);
		if (!explain_one_error(json_object_array_get_idx(errors, i),
		                       &o))
			continue;
		if (said++ > 0)
			line_str(l, "; ");
		line_str(l, one);
	}
	if (said > 0)
		return;
	message = itg_json_str(root, "message");
	if (message == NULL)
		message = itg_json_str(root, "error");
	if (message != NULL)
		line_str(l, message);
}

/* The text of an HTML page's <title>, spaces collapsed. */
static void explain_html(const char *body, size_t len, struct line *l)
{
	char title[EXPLAIN_TEXT_MAX + SECRET_MAX + 4];
	size_t i, start = 0, end = 0, n = 0;
	bool space = false;

	for (i = 0; i + 7 <= len; i++)
		if (strncasecmp(body + i, "<title>", 7) == 0) {
			start = i + 7;
			break;
		}
	if (start == 0)
		return;
	for (i = start; i + 8 <= len; i++)
		if (strncasecmp(body + i, "</title>", 8) == 0) {
			end = i;
			break;
		}
	for (i = start; i < end && n + 1 < sizeof(title); i++) {
		bool blank = body[i] == ' ' || body[i] == '\t' ||
		             body[i] == '\r' || body[i] == '\n';

		if (blank) {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < sizeof(title))
			title[n++] = ' ';
		space = false;
		title[n++] = body[i];
	}
	l->max = l->len + EXPLAIN_TEXT_MAX;
	line_add(l, title, n);
	l->max = 0;
}

static bool looks_html(const char *content_type, const char *body, size_t len)
{
	size_t i = 0;

	if (content_type != NULL && strstr(content_type, "html") != NULL)
		return true;
	while (i < len && (body[i] == ' ' || body[i] == '\t' ||
	                   body[i] == '\r' || body[i] == '\n'))
		i++;
	return i < len && body[i] == '<';
}

static enum body_shape explain_body(const char *content_type, const char *body,
                                    size_t len, struct line *l)
{
	struct json_object *root, *inner;
	size_t i, n;

	if (body == NULL || len == 0)
		return BODY_NONE;
	if (looks_html(content_type, body, len)) {
		explain_html(body, len, l);
		return BODY_HTML;
	}
	root = len <= EXPLAIN_PARSE_MAX
	               ? itg_json_parse_strict(body, len, NULL, 0)
	               : NULL;
	if (json_object_is_type(root, json_type_string)) {
		inner = itg_json_parse_strict(
		        json_object_get_string(root),
		        (size_t)json_object_get_string_len(root), NULL, 0);
		json_object_put(root);
		root = inner;
	}
	if (root != NULL) {
		explain_json(root, l);
		json_object_put(root);
		return BODY_JSON;
	}
	/* Plain text: its first line, if it is one. It is read a key's
	 * length further than it is shown, so that a key it ends with is
	 * seen whole. */
	for (n = 0; n < len && n < EXPLAIN_TEXT_MAX + SECRET_MAX; n++)
		if (body[n] == '\n' || body[n] == '\r')
			break;
	for (i = 0; i < n && i < EXPLAIN_TEXT_MAX; i++)
		if ((unsigned char)body[i] < 0x20 && body[i] != '\t')
			return BODY_TEXT;
	l->max = l->len + EXPLAIN_TEXT_MAX;
	line_add(l, body, n);
	l->max = 0;
	return BODY_TEXT;
}

void itg_apierror_explain(const char *content_type, const char *body,
                          size_t len, char *out, size_t outsize)
{
	struct line l;

	if (out == NULL || outsize == 0)
		return;
	l = line_new(out, outsize, NULL);
	explain_body(content_type, body, len, &l);
}

void itg_apierror_set(struct itg_api_error *e, enum itg_outcome outcome,
                      enum itg_error_kind kind, long status, const char *fmt,
                      ...)
{
	va_list ap;
	struct line l;
	char raw[ITG_APIERROR_MAX];
	int n;

	e->outcome = outcome;
	e->kind = kind;
	e->tls = ITG_TLS_NONE;
	e->status = status;
	va_start(ap, fmt);
	n = vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	if (n < 0)
		raw[0] = '\0';
	else if ((size_t)n >= sizeof(raw))
		itg_utf8_trim_cut(raw);
	l = line_new(e->message, sizeof(e->message), NULL);
	line_str(&l, raw);
}

/* Does TEXT hold NEEDLE, ignoring ASCII case? */
static bool holds(const char *text, const char *needle)
{
	size_t n = strlen(needle);

	for (; *text != '\0'; text++)
		if (strncasecmp(text, needle, n) == 0)
			return true;
	return false;
}

/* OpenSSL's X509_V_ERR_* codes that name a cause (x509_vfy.h). */
static enum itg_tls_problem problem_of_verify(long verify)
{
	switch (verify) {
	case 2:  /* UNABLE_TO_GET_ISSUER_CERT */
	case 18: /* DEPTH_ZERO_SELF_SIGNED_CERT */
	case 19: /* SELF_SIGNED_CERT_IN_CHAIN */
	case 20: /* UNABLE_TO_GET_ISSUER_CERT_LOCALLY */
	case 21: /* UNABLE_TO_VERIFY_LEAF_SIGNATURE */
	case 27: /* CERT_UNTRUSTED */
		return ITG_TLS_UNTRUSTED;
	case 10: /* CERT_HAS_EXPIRED */
		return ITG_TLS_EXPIRED;
	case 9: /* CERT_NOT_YET_VALID */
		return ITG_TLS_NOT_YET_VALID;
	case 62: /* HOSTNAME_MISMATCH */
	case 64: /* IP_ADDRESS_MISMATCH */
		return ITG_TLS_NAME_MISMATCH;
	default:
		return ITG_TLS_NONE;
	}
}

enum itg_tls_problem itg_tls_problem_of(long verify, const char *detail)
{
	/* The words of OpenSSL, GnuTLS and Schannel (its SEC_E_ and CERT_E_
	 * names, and their texts), most telling first. */
	static const struct {
		const char *words;
		enum itg_tls_problem problem;
	} said[] = {
	        {"alert protocol version", ITG_TLS_OLD_PROTOCOL},
	        {"unsupported protocol", ITG_TLS_OLD_PROTOCOL},
	        {"no protocols available", ITG_TLS_OLD_PROTOCOL},
	        {"SEC_E_UNSUPPORTED_FUNCTION", ITG_TLS_OLD_PROTOCOL},
	        {"subject name matches target host", ITG_TLS_NAME_MISMATCH},
	        {"does not match target host", ITG_TLS_NAME_MISMATCH},
	        {"hostname mismatch", ITG_TLS_NAME_MISMATCH},
	        {"does not match the expected name", ITG_TLS_NAME_MISMATCH},
	        {"SEC_E_WRONG_PRINCIPAL", ITG_TLS_NAME_MISMATCH},
	        {"CERT_E_CN_NO_MATCH", ITG_TLS_NAME_MISMATCH},
	        {"target principal name", ITG_TLS_NAME_MISMATCH},
	        {"not yet valid", ITG_TLS_NOT_YET_VALID},
	        {"not yet activated", ITG_TLS_NOT_YET_VALID},
	        {"has expired", ITG_TLS_EXPIRED},
	        {"certificate expired", ITG_TLS_EXPIRED},
	        {"CERT_E_EXPIRED", ITG_TLS_EXPIRED},
	        {"SEC_E_CERT_EXPIRED", ITG_TLS_EXPIRED},
	        {"validity period", ITG_TLS_EXPIRED},
	        {"self-signed", ITG_TLS_UNTRUSTED},
	        {"self signed", ITG_TLS_UNTRUSTED},
	        {"unable to get local issuer", ITG_TLS_UNTRUSTED},
	        {"unable to get issuer", ITG_TLS_UNTRUSTED},
	        {"unable to verify the first certificate", ITG_TLS_UNTRUSTED},
	        {"issuer is unknown", ITG_TLS_UNTRUSTED},
	        {"signer not found", ITG_TLS_UNTRUSTED},
	        {"SEC_E_UNTRUSTED_ROOT", ITG_TLS_UNTRUSTED},
	        {"CERT_E_UNTRUSTEDROOT", ITG_TLS_UNTRUSTED},
	        {"CERT_E_CHAINING", ITG_TLS_UNTRUSTED},
	        {"not trusted", ITG_TLS_UNTRUSTED},
	        {"unknown ca", ITG_TLS_UNTRUSTED},
	};
	enum itg_tls_problem p = problem_of_verify(verify);

	if (p != ITG_TLS_NONE)
		return p;
	for (size_t i = 0; detail != NULL && i < sizeof(said) / sizeof(said[0]);
	     i++)
		if (holds(detail, said[i].words))
			return said[i].problem;
	return ITG_TLS_OTHER;
}

const char *itg_tls_problem_name(enum itg_tls_problem problem)
{
	switch (problem) {
	case ITG_TLS_NONE:
		return "none";
	case ITG_TLS_UNTRUSTED:
		return "untrusted";
	case ITG_TLS_EXPIRED:
		return "expired";
	case ITG_TLS_NOT_YET_VALID:
		return "not_yet_valid";
	case ITG_TLS_NAME_MISMATCH:
		return "name_mismatch";
	case ITG_TLS_OLD_PROTOCOL:
		return "old_protocol";
	case ITG_TLS_OTHER:
		break;
	}
	return "other";
}

/* The sentence of a refused TLS connection: what was wrong first. */
static void classify_tls(const struct itg_exchange *x, const char *d,
                         struct itg_api_error *e)
{
	static const char *const what[] = {
	        [ITG_TLS_NONE] = "the TLS connection to IT Glue failed",
	        [ITG_TLS_UNTRUSTED] =
	                "the TLS certificate of the IT Glue server is not "
	                "trusted: it is self-signed or issued by a CA this "
	                "machine does not trust",
	        [ITG_TLS_EXPIRED] =
	                "the TLS certificate of the IT Glue server has expired",
	        [ITG_TLS_NOT_YET_VALID] = "the TLS certificate of the IT Glue "
	                                  "server is not valid yet (is this "
	                                  "machine's clock right?)",
	        [ITG_TLS_NAME_MISMATCH] =
	                "the TLS certificate of the IT Glue server is for "
	                "another host name than the URL's",
	        [ITG_TLS_OLD_PROTOCOL] =
	                "the IT Glue server offers only TLS versions older "
	                "than 1.2, which are refused",
	        [ITG_TLS_OTHER] = "the TLS connection to IT Glue failed",
	};
	enum itg_tls_problem p =
	        itg_tls_problem_of(x->tls_verify, x->transfer_detail);

	/* A certificate that fails verification fails the next attempt
	 * too. */
	itg_apierror_set(e, ITG_PERMANENT, ITG_ERR_TLS, x->status, "%s (%s)",
	                 what[p], d);
	e->tls = p;
}

/* The sentence of a failed transfer. */
static void classify_transfer(const struct itg_exchange *x,
                              struct itg_api_error *e)
{
	char detail[ITG_APIERROR_MAX];
	struct line l = line_new(detail, sizeof(detail), x->secret);
	const char *d = detail;

	if (x->transfer_detail != NULL)
		line_str(&l, x->transfer_detail);
	if (detail[0] == '\0')
		d = "no details";

	switch (x->transfer) {
	case ITG_XFER_TIMEOUT:
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_TIMEOUT, x->status,
		                 "IT Glue did not answer in time (%s)", d);
		break;
	case ITG_XFER_DNS:
		/* A resolver hiccup heals; a misspelt host fails every
		 * attempt and ends as this same sentence. */
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_DNS, x->status,
		                 "cannot resolve the IT Glue host name (%s)",
		                 d);
		break;
	case ITG_XFER_CONNECT:
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_NETWORK, x->status,
		                 "cannot reach IT Glue (%s)", d);
		break;
	case ITG_XFER_TLS:
		classify_tls(x, d, e);
		break;
	case ITG_XFER_PARTIAL:
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_TRUNCATED, x->status,
		                 "IT Glue's answer was cut short (%s)", d);
		break;
	case ITG_XFER_TOO_LARGE:
		itg_apierror_set(e, ITG_PERMANENT, ITG_ERR_TOO_LARGE, x->status,
		                 "IT Glue's answer is too large (%s)", d);
		break;
	case ITG_XFER_CANCELLED:
		itg_apierror_set(
		        e, ITG_PERMANENT, ITG_ERR_CANCELLED, x->status,
		        "the request to IT Glue was cancelled: the job "
		        "is stopping");
		break;
	case ITG_XFER_SETUP:
		itg_apierror_set(
		        e, ITG_PERMANENT, ITG_ERR_CONFIG, x->status,
		        "the request to IT Glue could not be made (%s)", d);
		break;
	case ITG_XFER_NO_MEMORY:
	default:
		itg_apierror_set(e, ITG_PERMANENT, ITG_ERR_NO_MEMORY, x->status,
		                 "out of memory while talking to IT Glue");
		break;
	}
}

/* 403 with exactly {"message":"Forbidden"}: what the host of one region
 * answers to a key of another. */
static bool is_region_refusal(const struct itg_exchange *x)
{
	struct json_object *root;
	bool yes = false;

	if (x->body == NULL || x->body_len == 0 ||
	    x->body_len > EXPLAIN_PARSE_MAX)
		return false;
	root = itg_json_parse_strict(x->body, x->body_len, NULL, 0);
	if (json_object_is_type(root, json_type_object) &&
	    json_object_object_length(root) == 1) {
		const char *m = itg_json_str(root, "message");

		yes = m != NULL && strcmp(m, "Forbidden") == 0;
	}
	json_object_put(root);
	return yes;
}

struct status_rule {
	long lo, hi;
	enum itg_outcome outcome;
	enum itg_error_kind kind;
	const char *what;  /* before the status */
	bool http_word;    /* "(HTTP 404)" rather than "(422)" */
	const char *after; /* after the status */
};

/* Decided by the status alone; first match wins. */
static const struct status_rule status_rules[] = {
        {429, 429, ITG_RETRY, ITG_ERR_RATE_LIMITED,
         "IT Glue is limiting the request rate", true, ""},
        {408, 408, ITG_RETRY, ITG_ERR_TIMEOUT, "IT Glue timed the request out",
         true, ""},
        {500, 599, ITG_RETRY, ITG_ERR_SERVER,
         "IT Glue failed to serve the request", true, ""},
        {401, 401, ITG_PERMANENT, ITG_ERR_UNAUTHORIZED,
         "IT Glue refused the API key", true, ""},
        {403, 403, ITG_PERMANENT, ITG_ERR_FORBIDDEN, "IT Glue denied access",
         true, ""},
        {404, 404, ITG_PERMANENT, ITG_ERR_NOT_FOUND,
         "IT Glue has no such resource or route", true, ""},
        {413, 413, ITG_PERMANENT, ITG_ERR_TOO_LARGE,
         "IT Glue refused the request as too large", false, ""},
        {422, 422, ITG_PERMANENT, ITG_ERR_INVALID,
         "IT Glue refused the request", false, ""},
        {400, 499, ITG_PERMANENT, ITG_ERR_BAD_REQUEST,
         "IT Glue refused the request", false, ""},
        {300, 399, ITG_PERMANENT, ITG_ERR_REDIRECT,
         "IT Glue redirected the request", true,
         "; redirects are not followed, so that the API key goes to the "
         "configured host only"},
};

/*
 * A 3xx's target as shown, into OUT: a server that echoes the request may
 * name a host after the key. The key is masked whole, and so is its head
 * (4 bytes or more) where the target, kept in a bounded buffer, ends.
 */
static const char *redirect_text(const struct itg_exchange *x, char *out,
                                 size_t size)
{
	struct line l = line_new(out, size, x->secret);
	size_t len = strlen(x->redirect_to), keep = len;

	for (size_t k = 4; k < l.secret_len && k <= len; k++)
		if (memcmp(x->redirect_to + len - k, x->secret, k) == 0)
			keep = len - k;
	line_add(&l, x->redirect_to, keep);
	if (keep < len)
		line_put(&l, SECRET_MARK, sizeof(SECRET_MARK) - 1);
	return out;
}

void itg_apierror_classify(const struct itg_exchange *x,
                           struct itg_api_error *e)
{
	const struct status_rule *rule = NULL;
	char head[ITG_APIERROR_MAX], why[ITG_APIERROR_MAX];
	char target[ITG_APIERROR_MAX];
	struct line l = line_new(why, sizeof(why), x->secret);
	enum body_shape shape;
	size_t i;

	memset(e, 0, sizeof(*e));
	if (x->transfer != ITG_XFER_OK) {
		classify_transfer(x, e);
		return;
	}
	if (x->status >= 200 && x->status <= 299) {
		e->status = x->status;
		return;
	}
	for (i = 0; i < sizeof(status_rules) / sizeof(status_rules[0]); i++)
		if (x->status >= status_rules[i].lo &&
		    x->status <= status_rules[i].hi) {
			rule = &status_rules[i];
			break;
		}
	if (rule == NULL) {
		itg_apierror_set(e, ITG_RETRY, ITG_ERR_BAD_RESPONSE, x->status,
		                 "IT Glue answered with an unexpected status "
		                 "(HTTP %ld)",
		                 x->status);
		return;
	}
	if (x->status == 403 && is_region_refusal(x)) {
		itg_apierror_set(
		        e, ITG_PERMANENT, ITG_ERR_FORBIDDEN_REGION, 403,
		        "IT Glue refused the API key (HTTP 403 "
		        "Forbidden): it is most likely a key of another "
		        "region; use the host of the key's region (US "
		        "api.itglue.com, EU api.eu.itglue.com, AU "
		        "api.au.itglue.com)");
		return;
	}
	shape = explain_body(x->content_type, x->body, x->body_len, &l);
	if (shape == BODY_HTML && rule->kind != ITG_ERR_REDIRECT)
		snprintf(head, sizeof(head),
		         "IT Glue answered an HTML page (HTTP %ld)", x->status);
	else if (rule->kind == ITG_ERR_REDIRECT && x->redirect_to != NULL &&
	         x->redirect_to[0] != '\0')
		snprintf(head, sizeof(head), "%s to %.200s (HTTP %ld)%s",
		         rule->what, redirect_text(x, target, sizeof(target)),
		         x->status, rule->after);
	else
		snprintf(head, sizeof(head), "%s (%s%ld)%s", rule->what,
		         rule->http_word ? "HTTP " : "", x->status,
		         rule->after);
	if (why[0] != '\0')
		itg_apierror_set(e, rule->outcome, rule->kind, x->status,
		                 "%s: %s", head, why);
	else
		itg_apierror_set(e, rule->outcome, rule->kind, x->status, "%s",
		                 head);
}

const char *itg_outcome_name(enum itg_outcome outcome)
{
	switch (outcome) {
	case ITG_OK:
		return "ok";
	case ITG_RETRY:
		return "retry";
	case ITG_PERMANENT:
		return "permanent";
	}
	return "unknown";
}

const char *itg_error_kind_name(enum itg_error_kind kind)
{
	static const char *const names[] = {
	        [ITG_ERR_NONE] = "none",
	        [ITG_ERR_RATE_LIMITED] = "rate_limited",
	        [ITG_ERR_SERVER] = "server",
	        [ITG_ERR_TIMEOUT] = "timeout",
	        [ITG_ERR_NETWORK] = "network",
	        [ITG_ERR_DNS] = "dns",
	        [ITG_ERR_TLS] = "tls",
	        [ITG_ERR_TRUNCATED] = "truncated",
	        [ITG_ERR_BAD_RESPONSE] = "bad_response",
	        [ITG_ERR_UNAUTHORIZED] = "unauthorized",
	        [ITG_ERR_FORBIDDEN] = "forbidden",
	        [ITG_ERR_FORBIDDEN_REGION] = "forbidden_region",
	        [ITG_ERR_NOT_FOUND] = "not_found",
	        [ITG_ERR_INVALID] = "invalid",
	        [ITG_ERR_BAD_REQUEST] = "bad_request",
	        [ITG_ERR_TOO_LARGE] = "too_large",
	        [ITG_ERR_CANCELLED] = "cancelled",
	        [ITG_ERR_REDIRECT] = "redirect",
	        [ITG_ERR_CONFIG] = "config",
	        [ITG_ERR_NO_MEMORY] = "no_memory",
	};

	if ((size_t)kind < sizeof(names) / sizeof(names[0]) &&
	    names[kind] != NULL)
		return names[kind];
	return "unknown";
}
