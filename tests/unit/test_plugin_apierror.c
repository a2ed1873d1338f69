/*
 * test_plugin_apierror.c - outcomes and sentences of exchanges with IT Glue.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apierror.h"
#include "compat/os.h"
#include "text_test.h"

#define JSONAPI "application/vnd.api+json; charset=utf-8"

static struct itg_api_error e;

static void answer(long status, const char *content_type, const char *body)
{
	struct itg_exchange x;

	memset(&x, 0, sizeof(x));
	x.transfer = ITG_XFER_OK;
	x.status = status;
	x.content_type = content_type;
	x.body = body;
	x.body_len = body != NULL ? strlen(body) : 0;
	memset(&e, 0x55, sizeof(e));
	itg_apierror_classify(&x, &e);
	assert_int_equal(e.status, status);
	assert_non_null(memchr(e.message, '\0', sizeof(e.message)));
}

static void failed(enum itg_transfer t, const char *detail)
{
	struct itg_exchange x;

	memset(&x, 0, sizeof(x));
	x.transfer = t;
	x.transfer_detail = detail;
	itg_apierror_classify(&x, &e);
}

static void expect(enum itg_outcome outcome, enum itg_error_kind kind,
                   const char *message)
{
	assert_string_equal(itg_outcome_name(e.outcome),
	                    itg_outcome_name(outcome));
	assert_string_equal(itg_error_kind_name(e.kind),
	                    itg_error_kind_name(kind));
	if (message != NULL)
		assert_string_equal(e.message, message);
}

static void test_success_is_ok(void **state)
{
	(void)state;
	answer(200, JSONAPI, "{\"data\":[]}");
	expect(ITG_OK, ITG_ERR_NONE, "");
	answer(201, JSONAPI, "not even json");
	expect(ITG_OK, ITG_ERR_NONE, "");
	answer(204, NULL, NULL);
	expect(ITG_OK, ITG_ERR_NONE, "");
}

static void test_retryable_statuses(void **state)
{
	(void)state;
	answer(429, JSONAPI,
	       "{\"errors\":[{\"status\":\"429\",\"title\":\"Too Many "
	       "Requests\"}]}");
	expect(ITG_RETRY, ITG_ERR_RATE_LIMITED,
	       "IT Glue is limiting the request rate (HTTP 429): Too Many "
	       "Requests");
	answer(408, NULL, NULL);
	expect(ITG_RETRY, ITG_ERR_TIMEOUT,
	       "IT Glue timed the request out (HTTP 408)");
	answer(500, JSONAPI,
	       "{\"errors\":[{\"status\":500,\"title\":\"Internal Server "
	       "Error\"}]}");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 500): Internal "
	       "Server Error");
	answer(503, NULL, "");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 503)");
	answer(599, NULL, NULL);
	expect(ITG_RETRY, ITG_ERR_SERVER, NULL);
}

static void test_html_gateway_pages(void **state)
{
	(void)state;
	answer(504, "text/html",
	       "<html><head><title>504 Gateway\n  Time-out</title></head>"
	       "<body><h1>504 Gateway Time-out</h1></body></html>");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue answered an HTML page (HTTP 504): 504 Gateway "
	       "Time-out");
	answer(502, NULL, "\n<html><body>Bad Gateway</body></html>");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue answered an HTML page (HTTP 502)");
	/* A bad route answers an HTML 404: permanent all the same. */
	answer(404, "text/html; charset=utf-8",
	       "<!DOCTYPE html><html><head><TITLE>The page you were looking "
	       "for doesn't exist (404)</TITLE></head></html>");
	expect(ITG_PERMANENT, ITG_ERR_NOT_FOUND,
	       "IT Glue answered an HTML page (HTTP 404): The page you were "
	       "looking for doesn't exist (404)");
}

static void test_invalid_with_detail_string(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"status\":422,\"title\":\"Unprocessable "
	       "Entity\",\"detail\":\"Request contains invalid trait keys\","
	       "\"source\":{\"pointer\":\"data/attributes/traits\"}}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): Request contains invalid "
	       "trait keys (data/attributes/traits)");
}

static void test_invalid_with_detail_array_and_leading_slash(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"source\":{\"pointer\":\"/data/attributes/"
	       "report-file\"},\"detail\":[\"can't be blank\",\"is too "
	       "short\"],\"title\":\"Unprocessable Entity\",\"status\":"
	       "\"422\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): can't be blank; is too "
	       "short (data/attributes/report-file)");
}

static void test_invalid_without_detail_uses_title(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"status\":\"unprocessable_entity\",\"title\":"
	       "\"Valid organization_id is required\",\"source\":"
	       "{\"pointer\":\"data/attributes/organization_id\"}}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): Valid organization_id is "
	       "required (data/attributes/organization_id)");
}

static void test_null_pointer_and_empty_detail(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"status\":422,\"title\":\"Cannot list assets "
	       "without a type filter\",\"detail\":\"\",\"source\":"
	       "{\"pointer\":null}}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): Cannot list assets "
	       "without a type filter");
	answer(422, JSONAPI,
	       "{\"errors\":[{\"detail\":\"must exist\",\"source\":"
	       "{\"pointer\":\"/\"}}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): must exist");
}

static void test_several_errors_are_joined_and_bounded(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"detail\":\"a\"},{\"status\":422},"
	       "{\"detail\":[\"b\"]},{\"title\":\"c\"},{\"detail\":\"d\"},"
	       "{\"detail\":\"e\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): a; b; c (and 2 more)");
}

static void test_unauthorized(void **state)
{
	(void)state;
	answer(401, JSONAPI,
	       "{\"errors\":[{\"status\":401,\"title\":\"Unauthorized\","
	       "\"detail\":\"Unauthorized resource access\",\"source\":"
	       "{\"pointer\":\"id\"}}]}");
	expect(ITG_PERMANENT, ITG_ERR_UNAUTHORIZED,
	       "IT Glue refused the API key (HTTP 401): Unauthorized resource "
	       "access (id)");
}

static void test_forbidden_region(void **state)
{
	(void)state;
	answer(403, "application/json", "{\"message\":\"Forbidden\"}");
	expect(ITG_PERMANENT, ITG_ERR_FORBIDDEN_REGION, NULL);
	assert_non_null(strstr(e.message, "another region"));
	assert_non_null(strstr(e.message, "api.eu.itglue.com"));
	answer(403, "application/json", " {\"message\" : \"Forbidden\"}\n");
	expect(ITG_PERMANENT, ITG_ERR_FORBIDDEN_REGION, NULL);
}

static void test_forbidden_other(void **state)
{
	(void)state;
	answer(403, JSONAPI,
	       "{\"errors\":[{\"status\":403,\"title\":\"Forbidden\","
	       "\"detail\":\"The key lacks the password access right\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_FORBIDDEN,
	       "IT Glue denied access (HTTP 403): The key lacks the password "
	       "access right");
	answer(403, "application/json", "{\"message\":\"Forbidden\",\"x\":1}");
	expect(ITG_PERMANENT, ITG_ERR_FORBIDDEN,
	       "IT Glue denied access (HTTP 403): Forbidden");
	answer(403, NULL, NULL);
	expect(ITG_PERMANENT, ITG_ERR_FORBIDDEN,
	       "IT Glue denied access (HTTP 403)");
}

static void test_other_permanent_statuses(void **state)
{
	(void)state;
	answer(400, JSONAPI,
	       "{\"errors\":[{\"status\":400,\"title\":\"Bad Request\","
	       "\"detail\":\"Unknown sort key\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_BAD_REQUEST,
	       "IT Glue refused the request (400): Unknown sort key");
	answer(413, "text/plain", "Request Entity Too Large\nnginx");
	expect(ITG_PERMANENT, ITG_ERR_TOO_LARGE,
	       "IT Glue refused the request as too large (413): Request "
	       "Entity Too Large");
	answer(404, JSONAPI,
	       "{\"errors\":[{\"status\":\"404\",\"title\":\"Record not "
	       "found\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_NOT_FOUND,
	       "IT Glue has no such resource or route (HTTP 404): Record not "
	       "found");
	answer(409, NULL, NULL);
	expect(ITG_PERMANENT, ITG_ERR_BAD_REQUEST,
	       "IT Glue refused the request (409)");
}

static void test_redirects_are_not_followed(void **state)
{
	(void)state;
	answer(301, "text/html", "<html><title>Moved</title></html>");
	expect(ITG_PERMANENT, ITG_ERR_REDIRECT, NULL);
	assert_non_null(strstr(e.message, "(HTTP 301)"));
	assert_non_null(strstr(e.message, "not followed"));
}

static void test_unexpected_status(void **state)
{
	(void)state;
	answer(600, NULL, NULL);
	expect(ITG_RETRY, ITG_ERR_BAD_RESPONSE,
	       "IT Glue answered with an unexpected status (HTTP 600)");
	answer(101, NULL, NULL);
	expect(ITG_RETRY, ITG_ERR_BAD_RESPONSE, NULL);
}

static void test_double_encoded_error_body(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "\"{\\\"errors\\\":[{\\\"status\\\":422,\\\"detail\\\":"
	       "\\\"has already been taken\\\"}]}\"");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): has already been taken");
	answer(500, JSONAPI, "\"{\\\"message\\\":\\\"boom\\\"}\"");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 500): boom");
}

static void test_bodies_that_explain_nothing(void **state)
{
	(void)state;
	answer(500, JSONAPI, "{\"errors\":[]}");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 500)");
	answer(500, JSONAPI, "{\"errors\":\"x\",\"foo\":1}");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 500)");
	answer(500, "application/octet-stream", "\x01\x02\x03");
	expect(ITG_RETRY, ITG_ERR_SERVER,
	       "IT Glue failed to serve the request (HTTP 500)");
}

static void test_messages_are_one_bounded_line(void **state)
{
	char body[4096];
	size_t i;

	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"detail\":\"line one\\nline two\\r\\tend\"}]}");
	expect(ITG_PERMANENT, ITG_ERR_INVALID,
	       "IT Glue refused the request (422): line one line two  end");
	strcpy(body, "{\"errors\":[{\"detail\":\"");
	for (i = strlen(body); i < 3000; i++)
		body[i] = 'x';
	strcpy(body + i, "\"}]}");
	answer(422, JSONAPI, body);
	assert_int_equal(strlen(e.message), ITG_APIERROR_MAX - 1);
}

static void test_bytes_that_are_not_utf8_are_replaced(void **state)
{
	(void)state;
	/* A Latin-1 page, as a proxy in front of IT Glue may serve. */
	answer(500, "text/plain", "Acc\xe8s refus\xe9");
	assert_true(test_utf8_valid(e.message));
	assert_string_equal(e.message,
	                    "IT Glue failed to serve the request (HTTP 500): "
	                    "Acc\xef\xbf\xbds refus\xef\xbf\xbd");
	answer(502, "text/html",
	       "<html><title>Erreur \xe9\xe9 \xc3</title></html>");
	assert_true(test_utf8_valid(e.message));
}

static void test_cuts_fall_between_characters(void **state)
{
	char body[4096], title[1024];
	size_t i;

	(void)state;
	/* 2-byte characters after an odd number of bytes: any cut by bytes
	 * would split one. */
	strcpy(body, "{\"errors\":[{\"detail\":\"x");
	for (i = strlen(body); i < 3000; i += 2)
		memcpy(body + i, "\xc3\xa9", 2);
	strcpy(body + i, "\"}]}");
	answer(422, JSONAPI, body);
	assert_true(test_utf8_valid(e.message));
	assert_true(strlen(e.message) >= ITG_APIERROR_MAX - 3);
	strcpy(title, "<html><title>x");
	for (i = strlen(title); i < 900; i += 2)
		memcpy(title + i, "\xc3\xa9", 2);
	strcpy(title + i, "</title></html>");
	answer(504, "text/html", title);
	assert_true(test_utf8_valid(e.message));
	memset(body, 0, sizeof(body));
	body[0] = 'x';
	for (i = 1; i < 400; i += 2)
		memcpy(body + i, "\xc3\xa9", 2);
	answer(500, "text/plain", body);
	assert_true(test_utf8_valid(e.message));
}

static void test_unicode_line_breaks_become_spaces(void **state)
{
	(void)state;
	answer(422, JSONAPI,
	       "{\"errors\":[{\"detail\":\"one\\u0085two\\u2028three"
	       "\\u2029four\\u001b[31mfive\"}]}");
	assert_true(test_one_line(e.message));
	assert_string_equal(e.message, "IT Glue refused the request (422): "
	                               "one two three four [31mfive");
}

static void test_transfer_failures(void **state)
{
	(void)state;
	failed(ITG_XFER_TIMEOUT, "Operation timed out after 120000 ms");
	expect(ITG_RETRY, ITG_ERR_TIMEOUT,
	       "IT Glue did not answer in time (Operation timed out after "
	       "120000 ms)");
	failed(ITG_XFER_DNS, "Could not resolve host: api.itglue.example");
	expect(ITG_RETRY, ITG_ERR_DNS, NULL);
	failed(ITG_XFER_CONNECT, NULL);
	expect(ITG_RETRY, ITG_ERR_NETWORK, "cannot reach IT Glue (no details)");
	failed(ITG_XFER_PARTIAL, "transfer closed with 100 bytes remaining");
	expect(ITG_RETRY, ITG_ERR_TRUNCATED, NULL);
	failed(ITG_XFER_TLS, "SSL certificate problem: self-signed");
	expect(ITG_PERMANENT, ITG_ERR_TLS, NULL);
	failed(ITG_XFER_TOO_LARGE, "over the limit of 10 bytes");
	expect(ITG_PERMANENT, ITG_ERR_TOO_LARGE, NULL);
	failed(ITG_XFER_CANCELLED, NULL);
	expect(ITG_PERMANENT, ITG_ERR_CANCELLED, NULL);
	failed(ITG_XFER_SETUP, "error setting certificate file");
	expect(ITG_PERMANENT, ITG_ERR_CONFIG, NULL);
	failed(ITG_XFER_NO_MEMORY, NULL);
	expect(ITG_PERMANENT, ITG_ERR_NO_MEMORY, NULL);
}

static void test_tls_problem_from_verify_result(void **state)
{
	static const struct {
		long verify;
		enum itg_tls_problem problem;
	} cases[] = {
	        {18, ITG_TLS_UNTRUSTED},     {19, ITG_TLS_UNTRUSTED},
	        {20, ITG_TLS_UNTRUSTED},     {21, ITG_TLS_UNTRUSTED},
	        {2, ITG_TLS_UNTRUSTED},      {27, ITG_TLS_UNTRUSTED},
	        {10, ITG_TLS_EXPIRED},       {9, ITG_TLS_NOT_YET_VALID},
	        {62, ITG_TLS_NAME_MISMATCH}, {64, ITG_TLS_NAME_MISMATCH},
	        {0, ITG_TLS_OTHER},          {1, ITG_TLS_OTHER},
	        {23, ITG_TLS_OTHER},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(itg_tls_problem_name(itg_tls_problem_of(
		                            cases[i].verify, NULL)),
		                    itg_tls_problem_name(cases[i].problem));
	/* The code wins over words that say something else. */
	assert_int_equal(itg_tls_problem_of(10, "self-signed certificate"),
	                 ITG_TLS_EXPIRED);
}

static void test_tls_problem_from_words(void **state)
{
	static const struct {
		const char *words;
		enum itg_tls_problem problem;
	} cases[] = {
	        /* OpenSSL 3 through libcurl, as seen against the sandbox and
	         * openssl s_server. */
	        {"SSL certificate problem: self-signed certificate",
	         ITG_TLS_UNTRUSTED},
	        {"SSL certificate problem: self signed certificate in "
	         "certificate chain",
	         ITG_TLS_UNTRUSTED},
	        {"SSL certificate problem: unable to get local issuer "
	         "certificate",
	         ITG_TLS_UNTRUSTED},
	        {"SSL certificate problem: certificate has expired",
	         ITG_TLS_EXPIRED},
	        {"SSL certificate problem: certificate is not yet valid",
	         ITG_TLS_NOT_YET_VALID},
	        {"SSL: no alternative certificate subject name matches "
	         "target host name 'localhost'",
	         ITG_TLS_NAME_MISMATCH},
	        {"SSL: certificate subject name 'a' does not match target "
	         "host name 'b'",
	         ITG_TLS_NAME_MISMATCH},
	        {"OpenSSL/3.0.22: error:0A00042E:SSL routines::tlsv1 alert "
	         "protocol version",
	         ITG_TLS_OLD_PROTOCOL},
	        {"error:0A000102:SSL routines::unsupported protocol",
	         ITG_TLS_OLD_PROTOCOL},
	        /* GnuTLS. */
	        {"server certificate verification failed. CAfile: x CRLfile: "
	         "none: The certificate issuer is unknown",
	         ITG_TLS_UNTRUSTED},
	        {"The certificate has expired", ITG_TLS_EXPIRED},
	        {"The certificate is not yet activated", ITG_TLS_NOT_YET_VALID},
	        {"certificate does not match the expected name",
	         ITG_TLS_NAME_MISMATCH},
	        /* Schannel. */
	        {"schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The "
	         "certificate chain was issued by an authority that is not "
	         "trusted.",
	         ITG_TLS_UNTRUSTED},
	        {"schannel: CERT_E_EXPIRED (0x800B0101) - A required "
	         "certificate is not within its validity period",
	         ITG_TLS_EXPIRED},
	        {"schannel: SEC_E_WRONG_PRINCIPAL (0x80090322) - The target "
	         "principal name is incorrect.",
	         ITG_TLS_NAME_MISMATCH},
	        {"schannel: next InitializeSecurityContext failed: "
	         "SEC_E_UNSUPPORTED_FUNCTION (0x80090302)",
	         ITG_TLS_OLD_PROTOCOL},
	        /* Nothing telling. */
	        {"OpenSSL/3.0.22: error:0A00014D:SSL routines::legacy sigalg "
	         "disallowed or unsupported",
	         ITG_TLS_OTHER},
	        {"", ITG_TLS_OTHER},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_string_equal(itg_tls_problem_name(itg_tls_problem_of(
		                            0, cases[i].words)),
		                    itg_tls_problem_name(cases[i].problem));
	assert_int_equal(itg_tls_problem_of(0, NULL), ITG_TLS_OTHER);
}

static void tls_failed(long verify, const char *detail)
{
	struct itg_exchange x;

	memset(&x, 0, sizeof(x));
	x.transfer = ITG_XFER_TLS;
	x.transfer_detail = detail;
	x.tls_verify = verify;
	memset(&e, 0x55, sizeof(e));
	itg_apierror_classify(&x, &e);
}

static void test_tls_sentences_say_why(void **state)
{
	(void)state;
	tls_failed(18, "SSL certificate problem: self-signed certificate");
	expect(ITG_PERMANENT, ITG_ERR_TLS,
	       "the TLS certificate of the IT Glue server is not trusted: it "
	       "is self-signed or issued by a CA this machine does not trust "
	       "(SSL certificate problem: self-signed certificate)");
	assert_int_equal(e.tls, ITG_TLS_UNTRUSTED);
	tls_failed(10, "SSL certificate problem: certificate has expired");
	expect(ITG_PERMANENT, ITG_ERR_TLS,
	       "the TLS certificate of the IT Glue server has expired (SSL "
	       "certificate problem: certificate has expired)");
	assert_int_equal(e.tls, ITG_TLS_EXPIRED);
	tls_failed(9, "x");
	assert_non_null(strstr(e.message, "is not valid yet"));
	assert_non_null(strstr(e.message, "clock"));
	tls_failed(1, "SSL: no alternative certificate subject name matches "
	              "target host name 'localhost'");
	assert_non_null(strstr(e.message, "is for another host name than the "
	                                  "URL's"));
	assert_int_equal(e.tls, ITG_TLS_NAME_MISMATCH);
	tls_failed(1, "error:0A00042E:SSL routines::tlsv1 alert protocol "
	              "version");
	assert_non_null(strstr(e.message, "offers only TLS versions older "
	                                  "than 1.2, which are refused"));
	assert_int_equal(e.tls, ITG_TLS_OLD_PROTOCOL);
	tls_failed(0, NULL);
	expect(ITG_PERMANENT, ITG_ERR_TLS,
	       "the TLS connection to IT Glue failed (no details)");
	assert_int_equal(e.tls, ITG_TLS_OTHER);
	/* Anything else than TLS says nothing of it. */
	failed(ITG_XFER_TIMEOUT, "x");
	assert_int_equal(e.tls, ITG_TLS_NONE);
	answer(500, NULL, NULL);
	assert_int_equal(e.tls, ITG_TLS_NONE);
}

static void test_redirect_names_its_target(void **state)
{
	struct itg_exchange x;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.transfer = ITG_XFER_OK;
	x.status = 302;
	x.content_type = "text/html";
	x.body = "<html><head><title>Moved</title></head></html>";
	x.body_len = strlen(x.body);
	x.redirect_to = "http://127.0.0.1:9";
	itg_apierror_classify(&x, &e);
	expect(ITG_PERMANENT, ITG_ERR_REDIRECT,
	       "IT Glue redirected the request to http://127.0.0.1:9 (HTTP "
	       "302); redirects are not followed, so that the API key goes "
	       "to the configured host only: Moved");
}

/* A redirect to a host named after the key (a server that echoes the
 * request in its Location) names no part of the key. */
static void test_redirect_target_never_holds_the_key(void **state)
{
	static const char key[] = "ITG.k3y-0123456789abcdef";
	char cut[256];
	struct itg_exchange x;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.transfer = ITG_XFER_OK;
	x.status = 302;
	x.secret = key;
	x.redirect_to = "https://ITG.k3y-0123456789abcdef.evil.example:443";
	itg_apierror_classify(&x, &e);
	assert_null(strstr(e.message, "ITG.k3y"));
	assert_non_null(
	        strstr(e.message, "https://[API key].evil.example:443"));
	/* The key across the 200 bytes of a target that are shown. */
	memset(cut, 'a', sizeof(cut));
	memcpy(cut, "https://", 8);
	memcpy(cut + 195, key, strlen(key));
	cut[255] = '\0';
	x.redirect_to = cut;
	itg_apierror_classify(&x, &e);
	assert_null(strstr(e.message, "ITG.k3y"));
	/* A target cut where it was kept, ending in the key's head. */
	memcpy(cut + 100, key, 10);
	cut[110] = '\0';
	itg_apierror_classify(&x, &e);
	assert_null(strstr(e.message, "ITG.k3y"));
}

/* An error body nested far deeper than any parser allows: parsed within
 * its limit (no recursion follows the nesting), or not parsed at all when
 * over the size explanations are read at. */
static void test_deeply_nested_error_bodies(void **state)
{
	size_t levels[] = {30000, 100000};
	char *body;

	(void)state;
	for (size_t k = 0; k < sizeof(levels) / sizeof(levels[0]); k++) {
		size_t n = levels[k], i = 0;

		body = malloc(2 * n + 16);
		assert_non_null(body);
		i += (size_t)sprintf(body, "{\"errors\":");
		memset(body + i, '[', n);
		memset(body + i + n, ']', n);
		strcpy(body + i + 2 * n, "}");
		answer(400, JSONAPI, body);
		expect(ITG_PERMANENT, ITG_ERR_BAD_REQUEST, NULL);
		assert_non_null(strstr(e.message, "IT Glue refused the request "
		                                  "(400)"));
		free(body);
	}
}

static void test_transfer_failure_wins_over_status(void **state)
{
	struct itg_exchange x;

	(void)state;
	memset(&x, 0, sizeof(x));
	x.transfer = ITG_XFER_PARTIAL;
	x.status = 200;
	x.body = "{\"da";
	x.body_len = 4;
	itg_apierror_classify(&x, &e);
	expect(ITG_RETRY, ITG_ERR_TRUNCATED, NULL);
}

static void test_explain_alone(void **state)
{
	char out[16];

	(void)state;
	itg_apierror_explain(NULL, "{\"message\":\"Forbidden\"}", 23, out,
	                     sizeof(out));
	assert_string_equal(out, "Forbidden");
	itg_apierror_explain(NULL, "{\"error\":\"a long explanation\"}", 30,
	                     out, sizeof(out));
	assert_string_equal(out, "a long explanat");
	itg_apierror_explain(NULL, NULL, 0, out, sizeof(out));
	assert_string_equal(out, "");
	itg_apierror_explain(NULL, "x", 1, NULL, 0);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(itg_error_kind_name(ITG_ERR_FORBIDDEN_REGION),
	                    "forbidden_region");
	assert_string_equal(itg_error_kind_name(ITG_ERR_RATE_LIMITED),
	                    "rate_limited");
	assert_string_equal(itg_error_kind_name((enum itg_error_kind)999),
	                    "unknown");
	assert_string_equal(itg_outcome_name(ITG_PERMANENT), "permanent");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_NONE), "none");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_UNTRUSTED),
	                    "untrusted");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_EXPIRED), "expired");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_NOT_YET_VALID),
	                    "not_yet_valid");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_NAME_MISMATCH),
	                    "name_mismatch");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_OLD_PROTOCOL),
	                    "old_protocol");
	assert_string_equal(itg_tls_problem_name(ITG_TLS_OTHER), "other");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_success_is_ok),
	        cmocka_unit_test(test_retryable_statuses),
	        cmocka_unit_test(test_html_gateway_pages),
	        cmocka_unit_test(test_invalid_with_detail_string),
	        cmocka_unit_test(
	                test_invalid_with_detail_array_and_leading_slash),
	        cmocka_unit_test(test_invalid_without_detail_uses_title),
	        cmocka_unit_test(test_null_pointer_and_empty_detail),
	        cmocka_unit_test(test_several_errors_are_joined_and_bounded),
	        cmocka_unit_test(test_unauthorized),
	        cmocka_unit_test(test_forbidden_region),
	        cmocka_unit_test(test_forbidden_other),
	        cmocka_unit_test(test_other_permanent_statuses),
	        cmocka_unit_test(test_redirects_are_not_followed),
	        cmocka_unit_test(test_unexpected_status),
	        cmocka_unit_test(test_double_encoded_error_body),
	        cmocka_unit_test(test_bodies_that_explain_nothing),
	        cmocka_unit_test(test_messages_are_one_bounded_line),
	        cmocka_unit_test(test_bytes_that_are_not_utf8_are_replaced),
	        cmocka_unit_test(test_cuts_fall_between_characters),
	        cmocka_unit_test(test_unicode_line_breaks_become_spaces),
	        cmocka_unit_test(test_transfer_failures),
	        cmocka_unit_test(test_tls_problem_from_verify_result),
	        cmocka_unit_test(test_tls_problem_from_words),
	        cmocka_unit_test(test_tls_sentences_say_why),
	        cmocka_unit_test(test_redirect_names_its_target),
	        cmocka_unit_test(test_redirect_target_never_holds_the_key),
	        cmocka_unit_test(test_deeply_nested_error_bodies),
	        cmocka_unit_test(test_transfer_failure_wins_over_status),
	        cmocka_unit_test(test_explain_alone),
	        cmocka_unit_test(test_names),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
