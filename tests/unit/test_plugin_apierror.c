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
	        cmocka_unit_test(test_transfer_failure_wins_over_status),
	        cmocka_unit_test(test_explain_alone),
	        cmocka_unit_test(test_names),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
