/*
 * test_host_abi.c - the ABI check: every refusal, with its exact reason,
 * and the descriptors it must accept.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

static int f_init(const struct xdr_host_api *api, void **state, char *err,
                  size_t errsize)
{
	(void)api;
	(void)state;
	(void)err;
	(void)errsize;
	return XDR_OK;
}

static void f_shutdown(void *state)
{
	(void)state;
}

static int f_report(void *state, int64_t id)
{
	(void)state;
	(void)id;
	return XDR_OK;
}

static int f_tick(void *state, int64_t now)
{
	(void)state;
	(void)now;
	return XDR_OK;
}

static int f_admin(void *state, const char *action, const char *request,
                   char **response)
{
	(void)state;
	(void)action;
	(void)request;
	*response = NULL;
	return XDR_OK;
}

static void f_free(void *p)
{
	(void)p;
}

static struct xdr_plugin good(void)
{
	struct xdr_plugin d = {
	        .struct_size = sizeof(struct xdr_plugin),
	        .abi_major = XDR_PLUGIN_ABI_MAJOR,
	        .abi_minor = XDR_PLUGIN_ABI_MINOR,
	        .name = "itglue",
	        .version = "0.1.0",
	        .description = "IT Glue",
	        .init = f_init,
	        .shutdown = f_shutdown,
	        .on_report_generated = f_report,
	        .on_schedule_tick = f_tick,
	        .on_admin_action = f_admin,
	        .free = f_free,
	};
	return d;
}

static void assert_refused(const struct xdr_plugin *d, const char *reason)
{
	struct xdr_err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(xdr_abi_check(d, &err), XDR_EINVAL);
	assert_string_equal(err.msg, reason);
}

static void accepts_a_current_descriptor(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	assert_int_equal(xdr_abi_check(&d, NULL), XDR_OK);
}

static void accepts_an_older_minor(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	d.abi_minor = 0;
	assert_int_equal(xdr_abi_check_for(&d, 1, 2, NULL), XDR_OK);
	d.abi_minor = 1;
	assert_int_equal(xdr_abi_check_for(&d, 1, 2, NULL), XDR_OK);
	d.abi_minor = 2;
	assert_int_equal(xdr_abi_check_for(&d, 1, 2, NULL), XDR_OK);
}

static void accepts_a_bigger_struct(void **state)
{
	struct {
		struct xdr_plugin d;
		void *later_fields[8];
	} bigger;

	(void)state;
	memset(&bigger, 0, sizeof(bigger));
	bigger.d = good();
	bigger.d.struct_size = sizeof(bigger);
	assert_int_equal(xdr_abi_check(&bigger.d, NULL), XDR_OK);
}

static void accepts_no_description(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	d.description = NULL;
	assert_int_equal(xdr_abi_check(&d, NULL), XDR_OK);
}

static void refuses_no_descriptor(void **state)
{
	(void)state;
	assert_refused(NULL, "entry point returned no descriptor");
}

static void refuses_a_struct_too_small(void **state)
{
	struct xdr_plugin d = good();
	char want[128];

	(void)state;
	d.struct_size = XDR_PLUGIN_MIN_SIZE_1_0 - 1;
	snprintf(want, sizeof(want),
	         "descriptor too small: %zu bytes, ABI 1.0 needs at least %zu",
	         (size_t)XDR_PLUGIN_MIN_SIZE_1_0 - 1,
	         (size_t)XDR_PLUGIN_MIN_SIZE_1_0);
	assert_refused(&d, want);
	d.struct_size = 0;
	snprintf(want, sizeof(want),
	         "descriptor too small: 0 bytes, ABI 1.0 needs at least %zu",
	         (size_t)XDR_PLUGIN_MIN_SIZE_1_0);
	assert_refused(&d, want);
}

static void accepts_exactly_the_minimum_size(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	d.struct_size = XDR_PLUGIN_MIN_SIZE_1_0;
	assert_int_equal(xdr_abi_check(&d, NULL), XDR_OK);
}

static void refuses_another_major(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	d.abi_major = 2;
	assert_refused(&d, "built for ABI 2.0, this host has ABI 1.0");
	d.abi_major = 0;
	d.abi_minor = 9;
	assert_refused(&d, "built for ABI 0.9, this host has ABI 1.0");
}

static void refuses_a_newer_minor(void **state)
{
	struct xdr_plugin d = good();
	struct xdr_err err;

	(void)state;
	d.abi_minor = 3;
	assert_refused(&d, "built for ABI 1.3, this host has ABI 1.0");
	assert_int_equal(xdr_abi_check_for(&d, 1, 2, &err), XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "built for ABI 1.3, this host has ABI 1.2");
}

static void refuses_invalid_names(void **state)
{
	static const char *const bad[] = {
	        "",        "ItGlue",
	        "it glue", "it.glue",
	        "it/glue", "itglué",
	        "a\n",     "abcdefghijklmnopqrstuvwxyz0123456"};
	struct xdr_plugin d = good();
	struct xdr_err err;

	(void)state;
	d.name = NULL;
	assert_refused(&d, "invalid name (null): 1 to 32 of [a-z0-9_-]");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		d.name = bad[i];
		assert_int_equal(xdr_abi_check(&d, &err), XDR_EINVAL);
		assert_non_null(strstr(err.msg, "invalid name"));
		assert_false(xdr_plugin_name_valid(bad[i]));
	}
	d.name = "Bad!";
	assert_refused(&d, "invalid name \"Bad!\": 1 to 32 of [a-z0-9_-]");
}

static void accepts_names_at_the_edges(void **state)
{
	static const char *const good_names[] = {
	        "a", "a-b_9", "0", "abcdefghijklmnopqrstuvwxyz012345"};
	struct xdr_plugin d = good();

	(void)state;
	for (size_t i = 0; i < sizeof(good_names) / sizeof(good_names[0]);
	     i++) {
		d.name = good_names[i];
		assert_int_equal(xdr_abi_check(&d, NULL), XDR_OK);
	}
}

static void refuses_no_version(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	d.version = NULL;
	assert_refused(&d, "no version");
	d.version = "";
	assert_refused(&d, "no version");
}

static void refuses_each_missing_callback(void **state)
{
	static const char *const reasons[] = {"no init callback",
	                                      "no shutdown callback",
	                                      "no on_report_generated callback",
	                                      "no on_schedule_tick callback",
	                                      "no on_admin_action callback",
	                                      "no free callback"};

	(void)state;
	for (int i = 0; i < 6; i++) {
		struct xdr_plugin d = good();

		switch (i) {
		case 0:
			d.init = NULL;
			break;
		case 1:
			d.shutdown = NULL;
			break;
		case 2:
			d.on_report_generated = NULL;
			break;
		case 3:
			d.on_schedule_tick = NULL;
			break;
		case 4:
			d.on_admin_action = NULL;
			break;
		default:
			d.free = NULL;
		}
		assert_refused(&d, reasons[i]);
	}
}

static void checks_in_the_documented_order(void **state)
{
	struct xdr_plugin d = good();

	(void)state;
	/* Several faults: the size is told first, then the version. */
	d.struct_size = 8;
	d.abi_major = 2;
	d.name = NULL;
	assert_non_null(d.init);
	{
		struct xdr_err err;

		xdr_abi_check(&d, &err);
		assert_non_null(strstr(err.msg, "too small"));
		d.struct_size = sizeof(d);
		xdr_abi_check(&d, &err);
		assert_non_null(strstr(err.msg, "built for ABI 2.0"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(accepts_a_current_descriptor),
	        cmocka_unit_test(accepts_an_older_minor),
	        cmocka_unit_test(accepts_a_bigger_struct),
	        cmocka_unit_test(accepts_no_description),
	        cmocka_unit_test(refuses_no_descriptor),
	        cmocka_unit_test(refuses_a_struct_too_small),
	        cmocka_unit_test(accepts_exactly_the_minimum_size),
	        cmocka_unit_test(refuses_another_major),
	        cmocka_unit_test(refuses_a_newer_minor),
	        cmocka_unit_test(refuses_invalid_names),
	        cmocka_unit_test(accepts_names_at_the_edges),
	        cmocka_unit_test(refuses_no_version),
	        cmocka_unit_test(refuses_each_missing_callback),
	        cmocka_unit_test(checks_in_the_documented_order),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
