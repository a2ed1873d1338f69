/*
 * test_sandbox_ratelimit.c - the sliding window: limits, per key,
 * Retry-After, refused requests not counted, reset.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "ratelimit.h"

static void parses_specs(void **state)
{
	long n, s;

	(void)state;
	assert_int_equal(sbx_ratelimit_parse("3000/300", &n, &s), XDR_OK);
	assert_int_equal(n, 3000);
	assert_int_equal(s, 300);
	assert_int_equal(sbx_ratelimit_parse("5", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("0/60", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("5/0", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("5/", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("/5", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("5/60s", &n, &s), XDR_EINVAL);
	assert_int_equal(sbx_ratelimit_parse("9999999/60", &n, &s), XDR_EINVAL);
}

static void allows_the_limit_then_refuses(void **state)
{
	struct sbx_ratelimit r;
	long retry = -1;

	(void)state;
	sbx_ratelimit_init(&r, 5, 60);
	for (int i = 0; i < 5; i++)
		assert_int_equal(sbx_ratelimit_take(&r, "k", 1000 + i, &retry),
		                 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 1010, &retry), 0);
	/* The oldest (t=1000) leaves the window at 61000. */
	assert_int_equal(retry, 60);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 30000, &retry), 0);
	assert_int_equal(retry, 31);
	sbx_ratelimit_free(&r);
}

static void the_window_slides(void **state)
{
	struct sbx_ratelimit r;
	long retry;

	(void)state;
	sbx_ratelimit_init(&r, 2, 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 0, &retry), 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 500, &retry), 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 999, &retry), 0);
	assert_int_equal(retry, 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 1000, &retry), 1);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 1200, &retry), 0);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 1500, &retry), 1);
	sbx_ratelimit_free(&r);
}

static void keys_are_counted_apart(void **state)
{
	struct sbx_ratelimit r;
	long retry;

	(void)state;
	sbx_ratelimit_init(&r, 1, 60);
	assert_int_equal(sbx_ratelimit_take(&r, "a", 0, &retry), 1);
	assert_int_equal(sbx_ratelimit_take(&r, "a", 1, &retry), 0);
	assert_int_equal(sbx_ratelimit_take(&r, "b", 2, &retry), 1);
	sbx_ratelimit_reset(&r);
	assert_int_equal(sbx_ratelimit_take(&r, "a", 3, &retry), 1);
	sbx_ratelimit_free(&r);
}

static void refusals_do_not_fill_the_window(void **state)
{
	struct sbx_ratelimit r;
	long retry;

	(void)state;
	sbx_ratelimit_init(&r, 1, 10);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 0, &retry), 1);
	for (int i = 1; i < 100; i++)
		assert_int_equal(sbx_ratelimit_take(&r, "k", i * 50, &retry),
		                 0);
	assert_int_equal(sbx_ratelimit_take(&r, "k", 10000, &retry), 1);
	sbx_ratelimit_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parses_specs),
	        cmocka_unit_test(allows_the_limit_then_refuses),
	        cmocka_unit_test(the_window_slides),
	        cmocka_unit_test(keys_are_counted_apart),
	        cmocka_unit_test(refusals_do_not_fill_the_window),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
