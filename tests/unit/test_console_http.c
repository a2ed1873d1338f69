/*
 * test_console_http.c - the console's pure HTTP helpers: statuses of host
 * and plugin answers, page bounds, the Host and Origin decisions (loopback,
 * --allow-host, IPv6), percent-decoding, query strings, media types,
 * If-None-Match, the listen address; and the replies handlers fill (error
 * objects, plugin answers, request bodies).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "console.h"
#include "http.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- statuses ----------------------------------------------------------- */

static const char *error_of(const char *code)
{
	static char buf[256];

	snprintf(buf, sizeof(buf),
	         "{\"error\":{\"code\":\"%s\",\"message\":\"m\"}}", code);
	return buf;
}

static void an_error_code_gives_its_status(void **state)
{
	static const struct {
		const char *code;
		unsigned http;
	} cases[] = {
	        {"bad_request", 400},
	        {"bad_action", 400},
	        {"not_found", 404},
	        {"unknown_action", 404},
	        {"integration_disabled", 409},
	        {"not_mapped", 409},
	        {"store_unusable", 503},
	        {"busy", 409},
	        {"plugin_missing", 503},
	        {"out_of_memory", 500},
	        {"internal_error", 500},
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		print_message("# %s\n", cases[i].code);
		/* XDR_ERROR says nothing: the code decides. */
		assert_int_equal(
		        xcon_http_status(XDR_ERROR, error_of(cases[i].code)),
		        cases[i].http);
	}
}

static void the_code_decides_over_the_status(void **state)
{
	(void)state;
	assert_int_equal(xcon_http_status(XDR_EINVAL, error_of("not_mapped")),
	                 409);
}

static void without_a_known_code_the_status_decides(void **state)
{
	static const struct {
		int status;
		unsigned http;
	} cases[] = {
	        {XDR_EINVAL, 400}, {XDR_ENOTFOUND, 404}, {XDR_EDISABLED, 409},
	        {XDR_EBUSY, 503},  {XDR_ENOMEM, 500},    {XDR_ERROR, 500},
	        {XDR_ERANGE, 500},
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		assert_int_equal(xcon_http_status(cases[i].status, NULL),
		                 cases[i].http);
		assert_int_equal(
		        xcon_http_status(cases[i].status, error_of("zzz")),
		        cases[i].http);
		assert_int_equal(xcon_http_status(cases[i].status, "not json"),
		                 cases[i].http);
		assert_int_equal(xcon_http_status(cases[i].status,
		                                  "{\"error\":{\"code\":4}}"),
		                 cases[i].http);
	}
}

static void success_is_200_whatever_the_answer(void **state)
{
	(void)state;
	assert_int_equal(xcon_http_status(XDR_OK, "{}"), 200);
	assert_int_equal(xcon_http_status(XDR_OK, error_of("not_found")), 200);
}

/* ---- pages -------------------------------------------------------------- */

static void an_integer_is_digits_with_a_minus_at_most(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_true(xcon_int_parse("12", 1, 100, &v));
	assert_int_equal(v, 12);
	assert_true(xcon_int_parse("-3", -5, 5, &v));
	assert_int_equal(v, -3);
}

static void white_space_before_an_integer_is_refused(void **state)
{
	/* What %09, %0A, %0B, %0C, %0D and %20 decode to. */
	static const char *const cases[] = {"\t12", "\n12", "\v12",
	                                    "\f12", "\r12", " 12"};
	int64_t v = 0;

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_false(xcon_int_parse(cases[i], 1, 100, &v));
}

static void a_signed_empty_or_cut_integer_is_refused(void **state)
{
	static const char *const cases[] = {"",   "+12", "-",  "12 ",
	                                    "1x", "--1", "- 1"};
	int64_t v = 0;

	(void)state;
	for (size_t i = 0; i < N(cases); i++)
		assert_false(xcon_int_parse(cases[i], -100, 100, &v));
}

static void an_integer_out_of_its_range_is_refused(void **state)
{
	int64_t v = 0;

	(void)state;
	assert_false(xcon_int_parse("0", 1, 100, &v));
	assert_false(xcon_int_parse("101", 1, 100, &v));
	assert_false(xcon_int_parse("99999999999999999999", 1, INT64_MAX, &v));
}

static void absent_bounds_are_offset_0_and_limit_25(void **state)
{
	int64_t off = -1, lim = -1;

	(void)state;
	assert_int_equal(xcon_page_parse(NULL, NULL, &off, &lim, NULL), XDR_OK);
	assert_int_equal(off, 0);
	assert_int_equal(lim, XCON_PAGE_DEFAULT_LIMIT);
}

static void bounds_in_range_are_taken(void **state)
{
	int64_t off, lim;

	(void)state;
	assert_int_equal(xcon_page_parse("1000000", "500", &off, &lim, NULL),
	                 XDR_OK);
	assert_int_equal(off, 1000000);
	assert_int_equal(lim, 500);
	assert_int_equal(xcon_page_parse("0", "1", &off, &lim, NULL), XDR_OK);
	assert_int_equal(off, 0);
	assert_int_equal(lim, 1);
}

static void a_bad_offset_is_refused_by_name(void **state)
{
	static const char *const bad[] = {
	        "-1", "01", "1x", "", " 1", "+1", "99999999999999999999"};
	struct xdr_err err;
	int64_t off, lim;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# offset '%s'\n", bad[i]);
		assert_int_equal(
		        xcon_page_parse(bad[i], NULL, &off, &lim, &err),
		        XDR_EINVAL);
		assert_non_null(strstr(err.msg, "offset"));
	}
}

static void a_limit_out_of_1_to_500_is_refused_by_name(void **state)
{
	static const char *const bad[] = {"0", "501", "-5", "", "ten", "1.5"};
	struct xdr_err err;
	int64_t off, lim;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# limit '%s'\n", bad[i]);
		assert_int_equal(
		        xcon_page_parse(NULL, bad[i], &off, &lim, &err),
		        XDR_EINVAL);
		assert_non_null(strstr(err.msg, "limit"));
	}
}

/* ---- Host --------------------------------------------------------------- */

static void the_listen_address_and_port_are_allowed(void **state)
{
	(void)state;
	assert_true(xcon_host_allowed("127.0.0.1:8443", "127.0.0.1", 8443, NULL,
	                              0));
}

static void loopback_names_are_allowed_on_loopback(void **state)
{
	(void)state;
	assert_true(xcon_host_allowed("localhost:8443", "127.0.0.1", 8443, NULL,
	                              0));
	assert_true(xcon_host_allowed("LocalHost:8443", "127.0.0.1", 8443, NULL,
	                              0));
	assert_true(
	        xcon_host_allowed("[::1]:8443", "127.0.0.1", 8443, NULL, 0));
}

static void another_port_is_refused(void **state)
{
	(void)state;
	assert_false(xcon_host_allowed("127.0.0.1:8444", "127.0.0.1", 8443,
	                               NULL, 0));
	assert_false(
	        xcon_host_allowed("localhost:80", "127.0.0.1", 8443, NULL, 0));
}

static void a_host_without_port_is_port_80(void **state)
{
	(void)state;
	assert_false(
	        xcon_host_allowed("localhost", "127.0.0.1", 8443, NULL, 0));
	assert_true(xcon_host_allowed("localhost", "127.0.0.1", 80, NULL, 0));
}

static void another_name_is_refused(void **state)
{
	(void)state;
	assert_false(xcon_host_allowed("evil.example:8443", "127.0.0.1", 8443,
	                               NULL, 0));
	/* A rebinding name pointing at 127.0.0.1 looks just like this. */
	assert_false(xcon_host_allowed("127.0.0.1.evil.example:8443",
	                               "127.0.0.1", 8443, NULL, 0));
}

static void ipv6_listen_allows_its_bracketed_form(void **state)
{
	(void)state;
	assert_true(xcon_host_allowed("[::1]:9000", "::1", 9000, NULL, 0));
	assert_true(xcon_host_allowed("localhost:9000", "::1", 9000, NULL, 0));
	assert_false(xcon_host_allowed("[::2]:9000", "::1", 9000, NULL, 0));
	assert_true(xcon_host_allowed("[::1]:9000", "[::1]", 9000, NULL, 0));
}

static void loopback_names_are_not_allowed_off_loopback(void **state)
{
	(void)state;
	assert_true(xcon_host_allowed("192.0.2.10:8443", "192.0.2.10", 8443,
	                              NULL, 0));
	assert_false(xcon_host_allowed("localhost:8443", "192.0.2.10", 8443,
	                               NULL, 0));
	assert_false(xcon_host_allowed("127.0.0.1:8443", "192.0.2.10", 8443,
	                               NULL, 0));
}

static void loopback_names_are_allowed_on_the_wildcard_address(void **state)
{
	(void)state;
	assert_true(
	        xcon_host_allowed("127.0.0.1:8443", "0.0.0.0", 8443, NULL, 0));
	assert_true(xcon_host_allowed("localhost:8443", "::", 8443, NULL, 0));
	assert_false(xcon_host_allowed("host.example:8443", "0.0.0.0", 8443,
	                               NULL, 0));
}

static void an_allowed_name_without_port_takes_any_port(void **state)
{
	const char *allow[] = {"console.example"};

	(void)state;
	assert_true(xcon_host_allowed("console.example:9000", "0.0.0.0", 8443,
	                              allow, 1));
	assert_true(xcon_host_allowed("CONSOLE.example", "0.0.0.0", 8443, allow,
	                              1));
	assert_false(xcon_host_allowed("other.example:8443", "0.0.0.0", 8443,
	                               allow, 1));
}

static void an_allowed_name_with_port_takes_that_port(void **state)
{
	const char *allow[] = {"localhost:9000", "[::1]:9001"};

	(void)state;
	assert_true(xcon_host_allowed("localhost:9000", "127.0.0.1", 8443,
	                              allow, 2));
	assert_false(xcon_host_allowed("localhost:9002", "127.0.0.1", 8443,
	                               allow, 2));
	assert_true(
	        xcon_host_allowed("[::1]:9001", "127.0.0.1", 8443, allow, 2));
}

static void a_malformed_host_is_refused(void **state)
{
	static const char *const bad[] = {
	        "",
	        ":8443",
	        "127.0.0.1:",
	        "127.0.0.1:0x20",
	        "127.0.0.1:65536",
	        "127.0.0.1:08443",
	        "::1:8443",
	        "[::1:8443",
	        "[::1]8443",
	        "[]:8443",
	        "127.0.0.1:8443 ",
	};

	(void)state;
	assert_false(xcon_host_allowed(NULL, "127.0.0.1", 8443, NULL, 0));
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# Host '%s'\n", bad[i]);
		assert_false(
		        xcon_host_allowed(bad[i], "127.0.0.1", 8443, NULL, 0));
	}
}

/* ---- Origin ------------------------------------------------------------- */

static void the_consoles_own_origin_is_allowed(void **state)
{
	(void)state;
	assert_true(
	        xcon_origin_allowed("http://127.0.0.1:8443", "127.0.0.1:8443"));
	assert_true(
	        xcon_origin_allowed("HTTP://LOCALHOST:8443", "localhost:8443"));
	assert_true(xcon_origin_allowed("http://[::1]:8443", "[::1]:8443"));
}

static void another_origin_is_refused(void **state)
{
	(void)state;
	assert_false(
	        xcon_origin_allowed("http://evil.example", "127.0.0.1:8443"));
	assert_false(xcon_origin_allowed("https://127.0.0.1:8443",
	                                 "127.0.0.1:8443"));
	assert_false(
	        xcon_origin_allowed("http://127.0.0.1:8444", "127.0.0.1:8443"));
	assert_false(
	        xcon_origin_allowed("http://localhost:8443", "127.0.0.1:8443"));
	assert_false(xcon_origin_allowed("null", "127.0.0.1:8443"));
	assert_false(xcon_origin_allowed("http://127.0.0.1:8443/",
	                                 "127.0.0.1:8443"));
	assert_false(xcon_origin_allowed(NULL, "127.0.0.1:8443"));
	assert_false(xcon_origin_allowed("http://", ""));
}

/* ---- percent-decoding and queries --------------------------------------- */

static void escapes_are_decoded(void **state)
{
	char out[32];

	(void)state;
	assert_int_equal(xcon_percent_decode("a%20b%2Fc%e2%82%ac", 18, false,
	                                     out, sizeof(out)),
	                 8);
	assert_string_equal(out, "a b/c\xe2\x82\xac");
}

static void plus_is_a_space_only_in_queries(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(xcon_percent_decode("a+b", 3, true, out, sizeof(out)),
	                 3);
	assert_string_equal(out, "a b");
	assert_int_equal(xcon_percent_decode("a+b", 3, false, out, sizeof(out)),
	                 3);
	assert_string_equal(out, "a+b");
}

static void a_bad_escape_or_a_nul_is_refused(void **state)
{
	static const char *const bad[] = {"%", "%4", "%4g", "%zz", "a%00"};
	char out[16];

	(void)state;
	for (size_t i = 0; i < N(bad); i++)
		assert_int_equal(xcon_percent_decode(bad[i], strlen(bad[i]),
		                                     true, out, sizeof(out)),
		                 -1);
}

static void what_does_not_fit_is_refused(void **state)
{
	char out[4];

	(void)state;
	assert_int_equal(xcon_percent_decode("abc", 3, false, out, sizeof(out)),
	                 3);
	assert_int_equal(
	        xcon_percent_decode("abcd", 4, false, out, sizeof(out)), -1);
}

static void a_query_is_read_into_decoded_pairs(void **state)
{
	struct xcon_params p;

	(void)state;
	assert_int_equal(
	        xcon_params_parse("q=Acme+Corp.&offset=25&group=A%26B", &p),
	        XDR_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(xcon_params_get(&p, "q"), "Acme Corp.");
	assert_string_equal(xcon_params_get(&p, "offset"), "25");
	assert_string_equal(xcon_params_get(&p, "group"), "A&B");
	assert_null(xcon_params_get(&p, "limit"));
	xcon_params_free(&p);
}

static void a_key_alone_has_an_empty_value(void **state)
{
	struct xcon_params p;

	(void)state;
	assert_int_equal(xcon_params_parse("dry_run&x=", &p), XDR_OK);
	assert_string_equal(xcon_params_get(&p, "dry_run"), "");
	assert_string_equal(xcon_params_get(&p, "x"), "");
	xcon_params_free(&p);
}

static void the_first_of_a_repeated_key_counts(void **state)
{
	struct xcon_params p;

	(void)state;
	assert_int_equal(xcon_params_parse("id=1&id=2", &p), XDR_OK);
	assert_string_equal(xcon_params_get(&p, "id"), "1");
	xcon_params_free(&p);
}

static void empty_pieces_and_queries_are_nothing(void **state)
{
	struct xcon_params p;

	(void)state;
	assert_int_equal(xcon_params_parse("&&a=1&", &p), XDR_OK);
	assert_int_equal(p.n, 1);
	xcon_params_free(&p);
	assert_int_equal(xcon_params_parse("", &p), XDR_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(xcon_params_parse(NULL, &p), XDR_OK);
	assert_int_equal(p.n, 0);
}

static void a_bad_query_is_refused(void **state)
{
	static const char *const bad[] = {"=1", "a=%zz", "a%00=1", "a=b%"};
	struct xcon_params p;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# '%s'\n", bad[i]);
		assert_int_equal(xcon_params_parse(bad[i], &p), XDR_EINVAL);
		assert_int_equal(p.n, 0);
	}
}

static void more_than_32_parameters_are_refused(void **state)
{
	char query[33 * 4 + 1] = "";
	struct xcon_params p;

	(void)state;
	for (int i = 0; i < 32; i++)
		strcat(query, "a=1&");
	assert_int_equal(xcon_params_parse(query, &p), XDR_OK);
	assert_int_equal(p.n, 32);
	xcon_params_free(&p);
	strcat(query, "b=2");
	assert_int_equal(xcon_params_parse(query, &p), XDR_EINVAL);
}

/* ---- media types -------------------------------------------------------- */

static void a_media_type_is_read_without_parameters(void **state)
{
	char out[64];

	(void)state;
	assert_true(xcon_media_type("Application/JSON; charset=utf-8", out,
	                            sizeof(out)));
	assert_string_equal(out, "application/json");
	assert_true(xcon_media_type("  text/html  ", out, sizeof(out)));
	assert_string_equal(out, "text/html");
}

static void an_empty_or_long_media_type_is_none(void **state)
{
	char out[8];

	(void)state;
	assert_false(xcon_media_type(NULL, out, sizeof(out)));
	assert_false(xcon_media_type("", out, sizeof(out)));
	assert_false(xcon_media_type(" ; charset=x", out, sizeof(out)));
	assert_false(xcon_media_type("application/json", out, sizeof(out)));
}

/* ---- ETags -------------------------------------------------------------- */

#define ETAG "\"abc123\""

static void an_etag_alone_or_in_a_list_matches(void **state)
{
	(void)state;
	assert_true(xcon_etag_match(ETAG, ETAG));
	assert_true(xcon_etag_match("\"x\", " ETAG, ETAG));
	assert_true(xcon_etag_match("\"x\"," ETAG ",\"y\"", ETAG));
	assert_true(xcon_etag_match("W/" ETAG, ETAG));
	assert_true(xcon_etag_match("*", ETAG));
}

static void another_etag_or_a_prefix_does_not_match(void **state)
{
	(void)state;
	assert_false(xcon_etag_match(NULL, ETAG));
	assert_false(xcon_etag_match("", ETAG));
	assert_false(xcon_etag_match("\"abc\"", ETAG));
	assert_false(xcon_etag_match("\"abc1234\"", ETAG));
	assert_false(xcon_etag_match("abc123", ETAG));
	assert_false(xcon_etag_match("\"x\", \"y\"", ETAG));
}

/* ---- the listen address ------------------------------------------------- */

static void ipv4_and_bracketed_ipv6_listen_addresses_parse(void **state)
{
	char addr[XCON_ADDR_MAX];
	unsigned port = 1;

	(void)state;
	assert_int_equal(xcon_listen_parse("127.0.0.1:8443", addr, &port, NULL),
	                 XDR_OK);
	assert_string_equal(addr, "127.0.0.1");
	assert_int_equal(port, 8443);
	assert_int_equal(xcon_listen_parse("[::1]:0", addr, &port, NULL),
	                 XDR_OK);
	assert_string_equal(addr, "::1");
	assert_int_equal(port, 0);
}

static void a_bad_listen_address_is_refused(void **state)
{
	static const char *const bad[] = {
	        "127.0.0.1",
	        "localhost:8443",
	        "127.0.0.1:65536",
	        "127.0.0.1:-1",
	        "::1:8443",
	        "[::1]8443",
	        "[::1]",
	        "[127.0.0.1]:80",
	        ":8443",
	        "1.2.3.4.5:80",
	        "",
	};
	char addr[XCON_ADDR_MAX];
	struct xdr_err err;
	unsigned port;

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# '%s'\n", bad[i]);
		assert_int_equal(xcon_listen_parse(bad[i], addr, &port, &err),
		                 XDR_EINVAL);
	}
}

static void loopback_addresses_are_known(void **state)
{
	(void)state;
	assert_true(xcon_addr_loopback("127.0.0.1"));
	assert_true(xcon_addr_loopback("127.1.2.3"));
	assert_true(xcon_addr_loopback("::1"));
	assert_true(xcon_addr_loopback("::ffff:127.0.0.1"));
	assert_false(xcon_addr_loopback("0.0.0.0"));
	assert_false(xcon_addr_loopback("::"));
	assert_false(xcon_addr_loopback("192.0.2.1"));
	assert_false(xcon_addr_loopback("128.0.0.1"));
	assert_false(xcon_addr_loopback("localhost"));
}

/* ---- replies ------------------------------------------------------------ */

static void reply_clear(struct xcon_reply *r)
{
	free(r->body);
	free(r->set_cookie);
	memset(r, 0, sizeof(*r));
}

/* The reply's body as JSON, with its error code checked. */
static void assert_error(struct xcon_reply *r, unsigned status,
                         const char *code)
{
	struct json_object *doc, *error, *c;

	assert_int_equal(r->status, status);
	assert_non_null(r->body);
	assert_int_equal(strlen(r->body), r->len);
	doc = json_tokener_parse(r->body);
	assert_non_null(doc);
	assert_true(json_object_object_get_ex(doc, "error", &error));
	assert_true(json_object_object_get_ex(error, "code", &c));
	assert_string_equal(json_object_get_string(c), code);
	json_object_put(doc);
}

static void an_error_reply_is_code_and_message(void **state)
{
	struct xcon_reply r = {0};

	(void)state;
	xcon_reply_error(&r, 403, "csrf", "token %s", "\"wrong\"");
	assert_string_equal(r.body, "{\"error\":{\"code\":\"csrf\",\"message\":"
	                            "\"token \\\"wrong\\\"\"}}");
	assert_error(&r, 403, "csrf");
	assert_null(r.content_type);
	reply_clear(&r);
}

static void a_second_reply_replaces_the_first(void **state)
{
	struct xcon_reply r = {0};

	(void)state;
	xcon_reply_json(&r, 200, json_object_new_object());
	xcon_reply_error(&r, 400, "bad_request", "no");
	assert_error(&r, 400, "bad_request");
	reply_clear(&r);
}

static void a_json_reply_is_the_value_on_one_line(void **state)
{
	struct xcon_reply r = {0};
	struct json_object *v = json_object_new_object();

	(void)state;
	json_object_object_add(v, "url", json_object_new_string("a/b"));
	xcon_reply_json(&r, 201, v);
	assert_int_equal(r.status, 201);
	assert_string_equal(r.body, "{\"url\":\"a/b\"}");
	reply_clear(&r);
}

static void a_host_failure_maps_its_status(void **state)
{
	struct xcon_reply r = {0};
	struct xdr_err err;

	(void)state;
	xdr_errf(&err, XDR_ENOTFOUND, "no group 'x'");
	xcon_reply_err(&r, XDR_ENOTFOUND, &err);
	assert_error(&r, 404, "not_found");
	assert_non_null(strstr(r.body, "no group 'x'"));
	reply_clear(&r);
	xcon_reply_err(&r, XDR_EINVAL, &err);
	assert_error(&r, 400, "bad_request");
	reply_clear(&r);
	xcon_reply_err(&r, XDR_EDISABLED, &err);
	assert_error(&r, 409, "integration_disabled");
	reply_clear(&r);
	xcon_reply_err(&r, XDR_EBUSY, &err);
	assert_error(&r, 503, "busy");
	reply_clear(&r);
	xcon_reply_err(&r, XDR_ERROR, &err);
	assert_error(&r, 500, "internal_error");
	reply_clear(&r);
}

static void a_plugin_answer_passes_through_verbatim(void **state)
{
	struct xcon_reply r = {0};
	const char *answer =
	        "{\"error\":{\"code\":\"not_mapped\",\"message\":\"Lab\"}}";

	(void)state;
	xcon_reply_plugin(&r, XDR_ENOTFOUND, strdup(answer));
	assert_int_equal(r.status, 409);
	assert_string_equal(r.body, answer);
	reply_clear(&r);
	xcon_reply_plugin(&r, XDR_OK, strdup("{\"job\":3}"));
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"job\":3}");
	reply_clear(&r);
}

static void no_plugin_answer_is_502(void **state)
{
	struct xcon_reply r = {0};

	(void)state;
	xcon_reply_plugin(&r, XDR_ERROR, NULL);
	assert_error(&r, 502, "no_answer");
	reply_clear(&r);
}

static void body_of(struct xcon_request *req, const char *text)
{
	memset(req, 0, sizeof(*req));
	req->method = "POST";
	req->path = "/api/itglue/map";
	req->body = text;
	req->body_len = strlen(text);
}

static void a_json_object_body_is_parsed(void **state)
{
	struct xcon_request req;
	struct xcon_reply r = {0};
	struct json_object *obj;

	(void)state;
	body_of(&req, " {\"group\": \"Default\"} \n");
	obj = xcon_body_object(&req, &r);
	assert_non_null(obj);
	assert_int_equal(r.status, 0);
	assert_null(r.body);
	json_object_put(obj);
}

static void a_body_that_is_not_an_object_is_400(void **state)
{
	static const char *const bad[] = {
	        "",      "   ",  "[1]", "\"x\"",      "{",
	        "{} {}", "null", "{}x", "{\"a\":1,}",
	};
	struct xcon_request req;
	struct xcon_reply r = {0};

	(void)state;
	for (size_t i = 0; i < N(bad); i++) {
		print_message("# '%s'\n", bad[i]);
		body_of(&req, bad[i]);
		assert_null(xcon_body_object(&req, &r));
		assert_error(&r, 400, "bad_request");
		reply_clear(&r);
	}
}

static void a_body_nested_too_deep_is_400(void **state)
{
	char deep[2 * 40 + 8];
	struct xcon_request req;
	struct xcon_reply r = {0};
	struct json_object *obj;
	size_t n = 0;

	(void)state;
	/* {"a":[[[...]]]} 31 deep is taken, 40 deep is not. */
	n = (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
	for (int i = 0; i < 30; i++)
		deep[n++] = '[';
	for (int i = 0; i < 30; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	body_of(&req, deep);
	obj = xcon_body_object(&req, &r);
	assert_non_null(obj);
	json_object_put(obj);

	n = (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
	for (int i = 0; i < 40; i++)
		deep[n++] = '[';
	for (int i = 0; i < 40; i++)
		deep[n++] = ']';
	deep[n++] = '}';
	deep[n] = '\0';
	body_of(&req, deep);
	assert_null(xcon_body_object(&req, &r));
	assert_error(&r, 400, "bad_request");
	reply_clear(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(an_error_code_gives_its_status),
	        cmocka_unit_test(the_code_decides_over_the_status),
	        cmocka_unit_test(without_a_known_code_the_status_decides),
	        cmocka_unit_test(success_is_200_whatever_the_answer),
	        cmocka_unit_test(an_integer_is_digits_with_a_minus_at_most),
	        cmocka_unit_test(white_space_before_an_integer_is_refused),
	        cmocka_unit_test(a_signed_empty_or_cut_integer_is_refused),
	        cmocka_unit_test(an_integer_out_of_its_range_is_refused),
	        cmocka_unit_test(absent_bounds_are_offset_0_and_limit_25),
	        cmocka_unit_test(bounds_in_range_are_taken),
	        cmocka_unit_test(a_bad_offset_is_refused_by_name),
	        cmocka_unit_test(a_limit_out_of_1_to_500_is_refused_by_name),
	        cmocka_unit_test(the_listen_address_and_port_are_allowed),
	        cmocka_unit_test(loopback_names_are_allowed_on_loopback),
	        cmocka_unit_test(another_port_is_refused),
	        cmocka_unit_test(a_host_without_port_is_port_80),
	        cmocka_unit_test(another_name_is_refused),
	        cmocka_unit_test(ipv6_listen_allows_its_bracketed_form),
	        cmocka_unit_test(loopback_names_are_not_allowed_off_loopback),
	        cmocka_unit_test(
	                loopback_names_are_allowed_on_the_wildcard_address),
	        cmocka_unit_test(an_allowed_name_without_port_takes_any_port),
	        cmocka_unit_test(an_allowed_name_with_port_takes_that_port),
	        cmocka_unit_test(a_malformed_host_is_refused),
	        cmocka_unit_test(the_consoles_own_origin_is_allowed),
	        cmocka_unit_test(another_origin_is_refused),
	        cmocka_unit_test(escapes_are_decoded),
	        cmocka_unit_test(plus_is_a_space_only_in_queries),
	        cmocka_unit_test(a_bad_escape_or_a_nul_is_refused),
	        cmocka_unit_test(what_does_not_fit_is_refused),
	        cmocka_unit_test(a_query_is_read_into_decoded_pairs),
	        cmocka_unit_test(a_key_alone_has_an_empty_value),
	        cmocka_unit_test(the_first_of_a_repeated_key_counts),
	        cmocka_unit_test(empty_pieces_and_queries_are_nothing),
	        cmocka_unit_test(a_bad_query_is_refused),
	        cmocka_unit_test(more_than_32_parameters_are_refused),
	        cmocka_unit_test(a_media_type_is_read_without_parameters),
	        cmocka_unit_test(an_empty_or_long_media_type_is_none),
	        cmocka_unit_test(an_etag_alone_or_in_a_list_matches),
	        cmocka_unit_test(another_etag_or_a_prefix_does_not_match),
	        cmocka_unit_test(
	                ipv4_and_bracketed_ipv6_listen_addresses_parse),
	        cmocka_unit_test(a_bad_listen_address_is_refused),
	        cmocka_unit_test(loopback_addresses_are_known),
	        cmocka_unit_test(an_error_reply_is_code_and_message),
	        cmocka_unit_test(a_second_reply_replaces_the_first),
	        cmocka_unit_test(a_json_reply_is_the_value_on_one_line),
	        cmocka_unit_test(a_host_failure_maps_its_status),
	        cmocka_unit_test(a_plugin_answer_passes_through_verbatim),
	        cmocka_unit_test(no_plugin_answer_is_502),
	        cmocka_unit_test(a_json_object_body_is_parsed),
	        cmocka_unit_test(a_body_that_is_not_an_object_is_400),
	        cmocka_unit_test(a_body_nested_too_deep_is_400),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
