/*
 * test_plugin_backoff.c - full-jitter back-off and Retry-After.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "backoff.h"
#include "compat/os.h"

static uint32_t fixed_random(void *user)
{
	return *(uint32_t *)user;
}

static uint64_t delay(unsigned int retry, int64_t retry_after_s, uint32_t draw)
{
	struct itg_backoff b;

	itg_backoff_defaults(&b);
	return itg_backoff_delay_ms(&b, retry, retry_after_s, fixed_random,
	                            &draw);
}

static void test_defaults(void **state)
{
	struct itg_backoff b;

	(void)state;
	itg_backoff_defaults(&b);
	assert_int_equal(b.base_ms, 500);
	assert_int_equal(b.max_attempts, 6);
	assert_int_equal(b.retry_after_max_s, 300);
}

static void test_ceiling_doubles_up_to_the_cap(void **state)
{
	(void)state;
	/* The highest draw gives the ceiling itself. */
	assert_int_equal(delay(0, -1, UINT32_MAX), 500);
	assert_int_equal(delay(1, -1, UINT32_MAX), 1000);
	assert_int_equal(delay(2, -1, UINT32_MAX), 2000);
	assert_int_equal(delay(5, -1, UINT32_MAX), 16000);
	assert_int_equal(delay(6, -1, UINT32_MAX), 30000);
	assert_int_equal(delay(60, -1, UINT32_MAX), 30000);
	assert_int_equal(delay(4000000000u, -1, UINT32_MAX), 30000);
}

static void test_jitter_spans_zero_to_ceiling(void **state)
{
	(void)state;
	assert_int_equal(delay(3, -1, 0), 0);
	assert_int_equal(delay(3, -1, 0x80000000u), 2000);
	assert_int_equal(delay(3, -1, 0x40000000u), 1000);
}

static void test_retry_after_is_a_floor(void **state)
{
	(void)state;
	assert_int_equal(delay(0, 1, 0), 1000);
	assert_int_equal(delay(0, 0, 0), 0);
	/* Jitter above the floor stays. */
	assert_int_equal(delay(6, 2, UINT32_MAX), 30000);
	assert_int_equal(delay(6, 45, 0), 45000);
}

static void test_retry_after_is_bounded(void **state)
{
	(void)state;
	assert_int_equal(delay(0, 301, 0), 300000);
	assert_int_equal(delay(0, INT64_MAX, 0), 300000);
}

static void test_attempts_are_bounded(void **state)
{
	struct itg_backoff b;

	(void)state;
	itg_backoff_defaults(&b);
	assert_true(itg_backoff_may_retry(&b, 1));
	assert_true(itg_backoff_may_retry(&b, 5));
	assert_false(itg_backoff_may_retry(&b, 6));
	b.max_attempts = 1;
	assert_false(itg_backoff_may_retry(&b, 1));
}

static int64_t parse(const char *v, time_t now)
{
	int64_t s = -42;

	if (itg_retry_after_parse(v, now, &s) != 0)
		return -1;
	return s;
}

/* Sun, 06 Nov 1994 08:49:37 GMT */
#define RFC_EXAMPLE 784111777

static void test_retry_after_delta_seconds(void **state)
{
	(void)state;
	assert_int_equal(parse("120", 0), 120);
	assert_int_equal(parse("0", 0), 0);
	assert_int_equal(parse(" 7 ", 0), 7);
	assert_int_equal(parse("99999999999999999999999", 0), 999999999);
}

static void test_retry_after_http_dates(void **state)
{
	(void)state;
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE),
	                 0);
	assert_int_equal(
	        parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE - 30), 30);
	assert_int_equal(
	        parse("Sunday, 06-Nov-94 08:49:37 GMT", RFC_EXAMPLE - 5), 5);
	assert_int_equal(parse("Sun Nov  6 08:49:37 1994", RFC_EXAMPLE - 9), 9);
	/* A date in the past means now. */
	assert_int_equal(
	        parse("Sun, 06 Nov 1994 08:49:37 GMT", RFC_EXAMPLE + 100), 0);
	/* Leap day and year ends. */
	assert_int_equal(parse("Thu, 29 Feb 2024 00:00:00 GMT", 1709164800 - 1),
	                 1);
	assert_int_equal(parse("Fri, 01 Jan 2100 00:00:10 GMT", 4102444800),
	                 10);
}

static void test_retry_after_garbage_is_refused(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL, 0), -1);
	assert_int_equal(parse("", 0), -1);
	assert_int_equal(parse("-5", 0), -1);
	assert_int_equal(parse("5s", 0), -1);
	assert_int_equal(parse("1.5", 0), -1);
	assert_int_equal(parse("soon", 0), -1);
	assert_int_equal(parse("Sun, 06 Foo 1994 08:49:37 GMT", 0), -1);
	assert_int_equal(parse("Sun, 06 Nov 1994 25:49:37 GMT", 0), -1);
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 CET", 0), -1);
	assert_int_equal(parse("Sun, 06 Nov 1994 08:49:37 GMT x", 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_defaults),
	        cmocka_unit_test(test_ceiling_doubles_up_to_the_cap),
	        cmocka_unit_test(test_jitter_spans_zero_to_ceiling),
	        cmocka_unit_test(test_retry_after_is_a_floor),
	        cmocka_unit_test(test_retry_after_is_bounded),
	        cmocka_unit_test(test_attempts_are_bounded),
	        cmocka_unit_test(test_retry_after_delta_seconds),
	        cmocka_unit_test(test_retry_after_http_dates),
	        cmocka_unit_test(test_retry_after_garbage_is_refused),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
