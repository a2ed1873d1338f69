/*
 * test_plugin_gate.c - the integration-enabled gate.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "gate.h"
#include "itglue.h"
#include "mock_host.h"

static void test_on_means_enabled(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_true(itg_integration_enabled(&f->plugin));
}

static void test_off_means_disabled(void **state)
{
	struct mock_fixture *f = *state;

	assert_false(itg_integration_enabled(&f->plugin));
}

static void test_any_other_value_means_disabled(void **state)
{
	struct mock_fixture *f = *state;
	static const char *const values[] = {"ON", "On",  "yes", "1",  "true",
	                                     "",   " on", "on ", "onn"};
	size_t i;

	for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		mock_host_set_setting(f->host, "psa_rmm_integration",
		                      values[i]);
		assert_false(itg_integration_enabled(&f->plugin));
	}
}

static void test_a_value_too_long_for_the_buffer_means_disabled(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_set_setting(f->host, "psa_rmm_integration",
	                      "on-and-much-longer-than-any-real-value");
	assert_false(itg_integration_enabled(&f->plugin));
}

static void test_a_missing_setting_means_disabled(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_set_setting(f->host, "psa_rmm_integration", NULL);
	assert_false(itg_integration_enabled(&f->plugin));
}

static void test_a_failing_host_means_disabled(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	mock_host_fail_settings(f->host, XDR_ERROR);
	assert_false(itg_integration_enabled(&f->plugin));
	assert_true(mock_host_logged(f->host, XDR_LOG_DEBUG,
	                             "psa_rmm_integration"));
}

static void test_the_setting_is_read_on_every_call(void **state)
{
	struct mock_fixture *f = *state;
	size_t before = mock_host_setting_reads(f->host);

	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_true(itg_integration_enabled(&f->plugin));
	mock_host_set_setting(f->host, "psa_rmm_integration", "off");
	assert_false(itg_integration_enabled(&f->plugin));
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_true(itg_integration_enabled(&f->plugin));
	assert_int_equal(mock_host_setting_reads(f->host) - before, 3);
}

static void test_no_plugin_means_disabled(void **state)
{
	(void)state;
	assert_false(itg_integration_enabled(NULL));
}

#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, mock_fixture_setup,              \
	                                mock_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_on_means_enabled),
	        T(test_off_means_disabled),
	        T(test_any_other_value_means_disabled),
	        T(test_a_value_too_long_for_the_buffer_means_disabled),
	        T(test_a_missing_setting_means_disabled),
	        T(test_a_failing_host_means_disabled),
	        T(test_the_setting_is_read_on_every_call),
	        cmocka_unit_test(test_no_plugin_means_disabled),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
