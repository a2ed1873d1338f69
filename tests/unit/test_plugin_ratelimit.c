/*
 * test_plugin_ratelimit.c - the token bucket, on a fake clock.
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

#include "compat/os.h"
#include "ratelimit.h"

#define T0 1000000

static void test_bad_settings_are_refused(void **state)
{
	struct itg_rate b;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 0, 300, T0), XDR_EINVAL);
	assert_int_equal(itg_rate_init(&b, 3000, 0, T0), XDR_EINVAL);
	assert_int_equal(itg_rate_init(&b, 1000001, 300, T0), XDR_EINVAL);
	assert_int_equal(itg_rate_init(&b, 10, 86401, T0), XDR_EINVAL);
	assert_int_equal(itg_rate_init(&b, 1000000, 86400, T0), 0);
}

static void test_full_burst_then_wait(void **state)
{
	struct itg_rate b;
	uint64_t wait = 99;
	int i;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 3000, 300, T0), 0);
	for (i = 0; i < 3000; i++) {
		assert_true(itg_rate_acquire(&b, T0, &wait));
		assert_int_equal(wait, 0);
	}
	assert_false(itg_rate_acquire(&b, T0, &wait));
	/* 3000 per 300 s: one token every 100 ms. */
	assert_int_equal(wait, 100);
}

static void test_continuous_refill(void **state)
{
	struct itg_rate b;
	uint64_t wait;
	int i;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 5, 2, T0), 0);
	for (i = 0; i < 5; i++)
		assert_true(itg_rate_acquire(&b, T0, &wait));
	assert_false(itg_rate_acquire(&b, T0, &wait));
	assert_int_equal(wait, 400);
	assert_false(itg_rate_acquire(&b, T0 + 399, &wait));
	assert_int_equal(wait, 1);
	assert_true(itg_rate_acquire(&b, T0 + 400, &wait));
	assert_false(itg_rate_acquire(&b, T0 + 400, &wait));
	assert_int_equal(wait, 400);
	/* Long idle: full again, never more than full. */
	for (i = 0; i < 5; i++)
		assert_true(itg_rate_acquire(&b, T0 + 100000, &wait));
	assert_false(itg_rate_acquire(&b, T0 + 100000, &wait));
}

static void test_wait_rounds_up(void **state)
{
	struct itg_rate b;
	uint64_t wait;

	(void)state;
	/* 3 per second: a token every 333.3 ms. */
	assert_int_equal(itg_rate_init(&b, 3, 1, T0), 0);
	assert_true(itg_rate_acquire(&b, T0, &wait));
	assert_true(itg_rate_acquire(&b, T0, &wait));
	assert_true(itg_rate_acquire(&b, T0, &wait));
	assert_false(itg_rate_acquire(&b, T0, &wait));
	assert_int_equal(wait, 334);
	assert_false(itg_rate_acquire(&b, T0 + 333, &wait));
	assert_int_equal(wait, 1);
	assert_true(itg_rate_acquire(&b, T0 + 334, &wait));
}

static void test_penalise_drains(void **state)
{
	struct itg_rate b;
	uint64_t wait;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 10, 10, T0), 0);
	assert_true(itg_rate_acquire(&b, T0, &wait));
	itg_rate_penalise(&b, T0, 0);
	assert_false(itg_rate_acquire(&b, T0, &wait));
	assert_int_equal(wait, 1000);
	assert_true(itg_rate_acquire(&b, T0 + 1000, &wait));
}

static void test_penalise_with_hold(void **state)
{
	struct itg_rate b;
	uint64_t wait;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 10, 10, T0), 0);
	itg_rate_penalise(&b, T0, 5000);
	assert_false(itg_rate_acquire(&b, T0 + 10, &wait));
	assert_int_equal(wait, 4990);
	/* After the hold the bucket refills from empty. */
	assert_false(itg_rate_acquire(&b, T0 + 5000, &wait));
	assert_int_equal(wait, 1000);
	assert_true(itg_rate_acquire(&b, T0 + 6000, &wait));
	/* A shorter second hold does not shorten the first. */
	itg_rate_penalise(&b, T0 + 6000, 8000);
	itg_rate_penalise(&b, T0 + 6001, 10);
	assert_false(itg_rate_acquire(&b, T0 + 7000, &wait));
	assert_int_equal(wait, 7000);
}

static void test_clock_going_back_adds_nothing(void **state)
{
	struct itg_rate b;
	uint64_t wait;

	(void)state;
	assert_int_equal(itg_rate_init(&b, 1, 1, T0), 0);
	assert_true(itg_rate_acquire(&b, T0, &wait));
	assert_false(itg_rate_acquire(&b, T0 - 5000, &wait));
	assert_int_equal(wait, 1000);
	assert_true(itg_rate_acquire(&b, T0 + 1000, &wait));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_bad_settings_are_refused),
	        cmocka_unit_test(test_full_burst_then_wait),
	        cmocka_unit_test(test_continuous_refill),
	        cmocka_unit_test(test_wait_rounds_up),
	        cmocka_unit_test(test_penalise_drains),
	        cmocka_unit_test(test_penalise_with_hold),
	        cmocka_unit_test(test_clock_going_back_adds_nothing),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
