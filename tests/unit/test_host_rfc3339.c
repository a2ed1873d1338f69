/*
 * test_host_rfc3339.c - RFC 3339 timestamps: parsing with offsets and
 * fractions, the calendar's edges, refusals, and formatting.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

static int64_t parse(const char *s)
{
	int64_t t = -1;

	assert_int_equal(xdr_rfc3339_parse(s, &t, NULL), XDR_OK);
	return t;
}

static void parses_utc(void **state)
{
	(void)state;
	assert_int_equal(parse("1970-01-01T00:00:00Z"), 0);
	assert_int_equal(parse("2026-01-01T06:00:00Z"), 1767247200);
	assert_int_equal(parse("2000-02-29T12:34:56Z"), 951827696);
}

static void parses_offsets(void **state)
{
	(void)state;
	assert_int_equal(parse("2026-01-01T08:00:00+02:00"), 1767247200);
	assert_int_equal(parse("2026-01-01T00:30:00-05:30"), 1767247200);
	assert_int_equal(parse("2026-01-01T06:00:00-00:00"), 1767247200);
	assert_int_equal(parse("2026-01-01T06:00:00+00:00"), 1767247200);
}

static void accepts_the_rfc_variants(void **state)
{
	(void)state;
	assert_int_equal(parse("2026-01-01t06:00:00z"), 1767247200);
	assert_int_equal(parse("2026-01-01 06:00:00Z"), 1767247200);
	assert_int_equal(parse("2026-01-01T06:00:00.999Z"), 1767247200);
	assert_int_equal(parse("2026-01-01T06:00:00.5+01:00"), 1767243600);
	/* A leap second is the next minute's first second. */
	assert_int_equal(parse("2016-12-31T23:59:60Z"), 1483228800);
}

static void handles_the_calendar(void **state)
{
	(void)state;
	assert_int_equal(parse("1969-12-31T23:59:59Z"), -1);
	assert_int_equal(parse("2100-03-01T00:00:00Z") -
	                         parse("2100-02-28T00:00:00Z"),
	                 86400);
	assert_int_equal(parse("2400-03-01T00:00:00Z") -
	                         parse("2400-02-28T00:00:00Z"),
	                 2 * 86400);
	assert_int_equal(parse("9999-12-31T23:59:59Z"), 253402300799LL);
	assert_int_equal(parse("0000-01-01T00:00:00Z"), -62167219200LL);
}

static void refuses_malformed_times(void **state)
{
	static const char *const bad[] = {
	        "",
	        "yesterday",
	        "2026-01-01",
	        "2026-01-01T06:00:00",
	        "2026-01-01T06:00Z",
	        "2026-1-01T06:00:00Z",
	        "2026-01-01X06:00:00Z",
	        "2026-13-01T06:00:00Z",
	        "2026-00-01T06:00:00Z",
	        "2026-02-29T06:00:00Z",
	        "2026-04-31T06:00:00Z",
	        "2026-01-00T06:00:00Z",
	        "2026-01-01T24:00:00Z",
	        "2026-01-01T06:60:00Z",
	        "2026-01-01T06:00:61Z",
	        "2026-01-01T06:00:00+2:00",
	        "2026-01-01T06:00:00+24:00",
	        "2026-01-01T06:00:00+02:60",
	        "2026-01-01T06:00:00+0200",
	        "2026-01-01T06:00:00.Z",
	        "2026-01-01T06:00:00Z ",
	        "2026-01-01T06:00:00ZZ",
	        "+2026-01-01T06:00:00Z",
	};
	int64_t t = 42;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(xdr_rfc3339_parse(bad[i], &t, NULL),
		                 XDR_EINVAL);
	assert_int_equal(t, 42);
	assert_int_equal(xdr_rfc3339_parse(NULL, &t, NULL), XDR_EINVAL);
}

static void says_why_a_time_is_refused(void **state)
{
	struct xdr_err err;
	int64_t t;

	(void)state;
	xdr_rfc3339_parse("2026-13-01T06:00:00Z", &t, &err);
	assert_string_equal(err.msg, "invalid time \"2026-13-01T06:00:00Z\": "
	                             "month out of range (RFC 3339, e.g. "
	                             "2026-01-01T06:00:00Z)");
	xdr_rfc3339_parse("2026-01-01T06:00:00", &t, &err);
	assert_non_null(strstr(err.msg, "expected 'Z' or an offset"));
}

static void formats_utc(void **state)
{
	char buf[XDR_RFC3339_MAX];

	(void)state;
	xdr_rfc3339_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	xdr_rfc3339_format(1767247200, buf);
	assert_string_equal(buf, "2026-01-01T06:00:00Z");
	xdr_rfc3339_format(-1, buf);
	assert_string_equal(buf, "1969-12-31T23:59:59Z");
	xdr_rfc3339_format(951827696, buf);
	assert_string_equal(buf, "2000-02-29T12:34:56Z");
	xdr_rfc3339_format(253402300799LL, buf);
	assert_string_equal(buf, "9999-12-31T23:59:59Z");
}

static void format_and_parse_agree(void **state)
{
	char buf[XDR_RFC3339_MAX];

	(void)state;
	/* Every day of four centuries, at an odd second. */
	for (int64_t t = -62167219200LL + 3723; t < 253402300799LL;
	     t += 86400 * 7 + 1) {
		xdr_rfc3339_format(t, buf);
		assert_int_equal(parse(buf), t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parses_utc),
	        cmocka_unit_test(parses_offsets),
	        cmocka_unit_test(accepts_the_rfc_variants),
	        cmocka_unit_test(handles_the_calendar),
	        cmocka_unit_test(refuses_malformed_times),
	        cmocka_unit_test(says_why_a_time_is_refused),
	        cmocka_unit_test(formats_utc),
	        cmocka_unit_test(format_and_parse_agree),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
