/*
 * test_plugin_outbox_state.c - what happens to an outbox row after an
 * attempt.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "outbox_state.h"

static const struct itg_outbox_policy policy = {
        .max_attempts = 5,
        .max_age_s = 3600,
        .backoff_base_ms = 10 * 1000,
        .backoff_cap_ms = 60 * 1000,
};

static void test_success_is_done_and_announced(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_SUCCESS, 3, 0, 100, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_DONE);
	assert_true(d.announce);
	assert_false(d.gave_up);
}

static void test_permanent_failure_fails_at_once(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_PERMANENT, 1, 0, 0, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.announce);
	assert_false(d.gave_up);
}

static void test_retryable_failure_is_retried_later_silently(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 100, 0,
	                      0.5);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
	assert_false(d.announce);
	assert_true(d.next_attempt > 100);
	assert_true(d.next_attempt <= 100 + 1 + 10);
}

static void test_backoff_grows_to_its_cap(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 2, 0, 0, 0,
	                      0.999);
	assert_true(d.next_attempt <= 1 + 20);
	assert_true(d.next_attempt >= 20);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 4, 0, 0, 0,
	                      0.999);
	assert_true(d.next_attempt <= 1 + 60);
	assert_true(d.next_attempt >= 60);
}

static void test_jitter_zero_still_waits_a_second(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 50, 0, 0);
	assert_int_equal(d.next_attempt, 51);
}

static void test_retry_after_is_honoured(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 10, 300,
	                      0.5);
	assert_int_equal(d.next_attempt, 310);
}

static void test_attempts_are_bounded(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 4, 0, 10, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 5, 0, 10, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.announce);
	assert_true(d.gave_up);
}

static void test_age_is_bounded(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	/* The next attempt would come after the row's hour is over. */
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 3595, 0,
	                      0.999);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.gave_up);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 3000, 0,
	                      0.999);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
}

static void test_state_names_round_trip(void **state)
{
	enum itg_outbox_state s;

	(void)state;
	for (int i = ITG_OUTBOX_PENDING; i <= ITG_OUTBOX_FAILED; i++) {
		assert_int_equal(
		        itg_outbox_state_parse(
		                itg_outbox_state_name((enum itg_outbox_state)i),
		                &s),
		        0);
		assert_int_equal(s, i);
	}
	assert_int_equal(itg_outbox_state_parse("gone", &s), XDR_EINVAL);
	assert_int_equal(itg_outbox_state_parse(NULL, &s), XDR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_success_is_done_and_announced),
	        cmocka_unit_test(test_permanent_failure_fails_at_once),
	        cmocka_unit_test(
	                test_retryable_failure_is_retried_later_silently),
	        cmocka_unit_test(test_backoff_grows_to_its_cap),
	        cmocka_unit_test(test_jitter_zero_still_waits_a_second),
	        cmocka_unit_test(test_retry_after_is_honoured),
	        cmocka_unit_test(test_attempts_are_bounded),
	        cmocka_unit_test(test_age_is_bounded),
	        cmocka_unit_test(test_state_names_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
