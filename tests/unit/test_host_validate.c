/*
 * test_host_validate.c - the rules for what users type: settings, names,
 * e-mail addresses, MAC addresses, the enumerations and quoting.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

static void settings_know_psa_rmm_integration(void **state)
{
	const struct xdr_setting_def *d;

	(void)state;
	assert_int_equal(xdr_setting_count(), 1);
	d = xdr_setting_at(0);
	assert_string_equal(d->key, "psa_rmm_integration");
	assert_string_equal(d->default_value, "off");
	assert_string_equal(d->label, "Enable PSA/RMM Integration");
	assert_null(xdr_setting_at(1));
}

static void settings_accept_on_and_off_only(void **state)
{
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_setting_check("psa_rmm_integration", "on", NULL),
	                 XDR_OK);
	assert_int_equal(xdr_setting_check("psa_rmm_integration", "off", NULL),
	                 XDR_OK);
	assert_int_equal(xdr_setting_check("psa_rmm_integration", "yes", &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg, "invalid value \"yes\" for "
	                             "psa_rmm_integration: expected on or off");
	assert_int_equal(xdr_setting_check("psa_rmm_integration", "ON", NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_setting_check("psa_rmm_integration", NULL, NULL),
	                 XDR_EINVAL);
}

static void an_unknown_setting_lists_the_known_ones(void **state)
{
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_setting_check("psa_rmm", "on", &err),
	                 XDR_ENOTFOUND);
	assert_string_equal(err.msg, "unknown setting \"psa_rmm\" (known "
	                             "settings: psa_rmm_integration)");
	assert_int_equal(xdr_setting_check(NULL, "on", NULL), XDR_ENOTFOUND);
}

static void names_are_trimmed(void **state)
{
	char *out = NULL;

	(void)state;
	assert_int_equal(
	        xdr_text_check("group name", " \tDefault  \n", 128, &out, NULL),
	        XDR_OK);
	assert_string_equal(out, "Default");
	free(out);
	assert_int_equal(
	        xdr_text_check("group name", "Acme Corp", 128, &out, NULL),
	        XDR_OK);
	assert_string_equal(out, "Acme Corp");
	free(out);
}

static void names_must_not_be_empty(void **state)
{
	struct xdr_err err;
	char *out = NULL;

	(void)state;
	assert_int_equal(xdr_text_check("group name", "", 128, &out, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg, "group name must not be empty");
	assert_int_equal(xdr_text_check("group name", "   ", 128, &out, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_text_check("group name", NULL, 128, &out, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg, "group name is missing");
	assert_null(out);
}

static void names_count_characters_not_bytes(void **state)
{
	char name[300], *out = NULL;
	struct xdr_err err;

	(void)state;
	memset(name, 'a', 128);
	name[128] = '\0';
	assert_int_equal(xdr_text_check("group name", name, 128, &out, NULL),
	                 XDR_OK);
	free(out);
	name[128] = 'a';
	name[129] = '\0';
	assert_int_equal(xdr_text_check("group name", name, 128, &out, &err),
	                 XDR_EINVAL);
	assert_non_null(strstr(err.msg, "longer than 128 characters"));
	/* 128 two-byte characters are 128 characters. */
	name[0] = '\0';
	for (int i = 0; i < 128; i++)
		strcat(name, "\xc3\xa9");
	assert_int_equal(xdr_text_check("group name", name, 128, &out, NULL),
	                 XDR_OK);
	free(out);
}

static void names_refuse_control_characters_and_bad_utf8(void **state)
{
	struct xdr_err err;
	char *out = NULL;

	(void)state;
	assert_int_equal(xdr_text_check("group name", "a\tb", 128, &out, &err),
	                 XDR_EINVAL);
	assert_string_equal(
	        err.msg, "group name \"a\\x09b\" contains a control character");
	assert_int_equal(xdr_text_check("group name", "a\x7f", 128, &out, NULL),
	                 XDR_EINVAL);
	assert_int_equal(
	        xdr_text_check("group name", "a\xc2\x85", 128, &out, NULL),
	        XDR_EINVAL);
	assert_int_equal(xdr_text_check("group name", "a\xff", 128, &out, &err),
	                 XDR_EINVAL);
	assert_non_null(strstr(err.msg, "not valid UTF-8"));
	assert_int_equal(
	        xdr_text_check("group name", "\xc0\xaf", 128, &out, NULL),
	        XDR_EINVAL);
	assert_int_equal(
	        xdr_text_check("group name", "\xed\xa0\x80", 128, &out, NULL),
	        XDR_EINVAL);
	assert_null(out);
}

static void emails_accept_the_usual_forms(void **state)
{
	static const char *const good[] = {
	        "it@acme.example", "first.last+tag@mail.acme.co.uk", "a@b.c"};
	char *out = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(xdr_email_check(good[i], &out, NULL), XDR_OK);
		assert_string_equal(out, good[i]);
		free(out);
	}
	assert_int_equal(xdr_email_check("  it@acme.example ", &out, NULL),
	                 XDR_OK);
	assert_string_equal(out, "it@acme.example");
	free(out);
}

static void emails_refuse_what_is_not_an_address(void **state)
{
	static const struct {
		const char *in;
		const char *why;
	} bad[] = {
	        {"itacme.example", "no '@'"},
	        {"it@@acme.example", "more than one '@'"},
	        {"it@acme@example.com", "more than one '@'"},
	        {"@acme.example", "nothing before the '@'"},
	        {"it@", "no domain after the '@'"},
	        {"it@localhost", "the domain has no dot"},
	        {"it@.acme.example", "the domain starts or ends with a dot"},
	        {"it@acme.example.", "the domain starts or ends with a dot"},
	        {"it@acme..example", "the domain has an empty label"},
	        {"i t@acme.example", "white space"},
	};
	struct xdr_err err;
	char *out = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(xdr_email_check(bad[i].in, &out, &err),
		                 XDR_EINVAL);
		assert_non_null(strstr(err.msg, bad[i].why));
		assert_non_null(strstr(err.msg, "invalid e-mail address"));
	}
	assert_int_equal(xdr_email_check("", &out, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "e-mail address must not be empty");
	assert_null(out);
}

static void macs_accept_common_notations(void **state)
{
	static const char *const good[] = {
	        "18-5E-0F-ED-99-9A", "18:5e:0f:ed:99:9a",
	        "185E.0FED.999A",    "185E0FED999A",
	        "185e0f-ed999a",     " 18:5E:0F:ED:99:9A "};
	char canon[XDR_MAC_CANON_LEN], *out = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(xdr_mac_check(good[i], &out, canon, NULL),
		                 XDR_OK);
		assert_string_equal(canon, "185e0fed999a");
		free(out);
	}
	assert_int_equal(
	        xdr_mac_check(" 18-5E-0F-ED-99-9A\t", &out, NULL, NULL),
	        XDR_OK);
	assert_string_equal(out, "18-5E-0F-ED-99-9A");
	free(out);
}

static void macs_refuse_anything_else(void **state)
{
	static const char *const bad[] = {"zz",
	                                  "",
	                                  "185E0FED999",
	                                  "185E0FED999A0",
	                                  "18:5E-0F:ED:99:9A",
	                                  ":18:5E:0F:ED:99:9A",
	                                  "18:5E:0F:ED:99:9A:",
	                                  "18::5E:0F:ED:99:9A",
	                                  "1:85E:0F:ED:99:9A",
	                                  "185:E0F:ED9:99A",
	                                  "18 5E 0F ED 99 9A",
	                                  "zz:zz:zz:zz:zz:zz",
	                                  "18-5E-0F-ED-99-9G"};
	struct xdr_err err;
	char *out = NULL;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(xdr_mac_check(bad[i], &out, NULL, NULL),
		                 XDR_EINVAL);
	assert_null(out);
	assert_int_equal(xdr_mac_check("zz", NULL, NULL, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "bad MAC \"zz\" (expected 12 hex digits, "
	                             "bare or separated by ':', '-' or '.')");
}

static void systems_refuse_a_mac_given_twice(void **state)
{
	const char *macs[] = {"18-5E-0F-ED-99-9A", "00:11:22:33:44:55",
	                      "185e.0fed.999a"};
	struct xdr_system_spec spec = {
	        "WS-01", "Default", XDR_OS_WINDOWS, XDR_SENSOR_AGENT, "9.3.0",
	        macs,    3};
	struct xdr_system_new sys;
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_system_check(&spec, &sys, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "duplicate MAC \"185e.0fed.999a\" (same "
	                             "as \"18-5E-0F-ED-99-9A\")");
	spec.n_macs = 2;
	assert_int_equal(xdr_system_check(&spec, &sys, NULL), XDR_OK);
	assert_int_equal(sys.n_macs, 2);
	assert_string_equal(sys.macs[1], "00:11:22:33:44:55");
	xdr_system_new_free(&sys);
}

static void systems_keep_agent_versions_for_agents(void **state)
{
	struct xdr_system_spec spec = {
	        "FW-01", "Default", XDR_OS_OTHER, XDR_SENSOR_SYSLOG, "1.0",
	        NULL,    0};
	struct xdr_system_new sys;
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_system_check(&spec, &sys, &err), XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "an agent version is only for sensor agent");
	spec.agent_version = NULL;
	assert_int_equal(xdr_system_check(&spec, &sys, NULL), XDR_OK);
	assert_null(sys.agent_version);
	xdr_system_new_free(&sys);
	spec.sensor = XDR_SENSOR_OTHER;
	assert_int_equal(xdr_system_check(&spec, &sys, NULL), XDR_EINVAL);
}

static void groups_check_name_and_email(void **state)
{
	char *name, *email;
	struct xdr_err err;

	(void)state;
	assert_int_equal(
	        xdr_group_check(" Default ", NULL, &name, &email, NULL),
	        XDR_OK);
	assert_string_equal(name, "Default");
	assert_null(email);
	free(name);
	assert_int_equal(
	        xdr_group_check("Default", "nope", &name, &email, &err),
	        XDR_EINVAL);
	assert_non_null(strstr(err.msg, "nope"));
}

static void enumerations_parse_and_name(void **state)
{
	enum xdr_os os;
	enum xdr_sensor sensor;

	(void)state;
	assert_int_equal(xdr_os_parse("windows", &os), XDR_OK);
	assert_int_equal(os, XDR_OS_WINDOWS);
	assert_int_equal(xdr_os_parse("linux", &os), XDR_OK);
	assert_int_equal(os, XDR_OS_LINUX);
	assert_int_equal(xdr_os_parse("other", &os), XDR_OK);
	assert_int_equal(os, XDR_OS_OTHER);
	assert_int_equal(xdr_os_parse("Windows", &os), XDR_EINVAL);
	assert_int_equal(xdr_sensor_parse("agent", &sensor), XDR_OK);
	assert_int_equal(sensor, XDR_SENSOR_AGENT);
	assert_int_equal(xdr_sensor_parse("syslog", &sensor), XDR_OK);
	assert_int_equal(sensor, XDR_SENSOR_SYSLOG);
	assert_int_equal(xdr_sensor_parse("other", &sensor), XDR_EINVAL);
	assert_string_equal(xdr_os_name(XDR_OS_LINUX), "linux");
	assert_string_equal(xdr_sensor_name(XDR_SENSOR_SYSLOG), "syslog");
	assert_string_equal(xdr_severity_name(XDR_SEVERITY_CRITICAL),
	                    "critical");
	assert_null(xdr_severity_name((enum xdr_severity)9));
	assert_string_equal(xdr_log_level_name(XDR_LOG_WARNING), "WARNING");
}

static void quoting_escapes_and_bounds_untrusted_text(void **state)
{
	char buf[XDR_QUOTE_MAX], long_text[300];

	(void)state;
	assert_string_equal(xdr_quote("WS-01", buf, sizeof(buf)), "\"WS-01\"");
	assert_string_equal(xdr_quote("a\"b\\c\n", buf, sizeof(buf)),
	                    "\"a\\\"b\\\\c\\x0a\"");
	assert_string_equal(xdr_quote("caf\xc3\xa9", buf, sizeof(buf)),
	                    "\"caf\xc3\xa9\"");
	assert_string_equal(xdr_quote("a\xff", buf, sizeof(buf)), "\"a\\xff\"");
	assert_string_equal(xdr_quote(NULL, buf, sizeof(buf)), "(null)");
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	xdr_quote(long_text, buf, sizeof(buf));
	assert_true(strlen(buf) < sizeof(buf));
	assert_non_null(strstr(buf, "\"..."));
	memset(long_text, '\n', sizeof(long_text) - 1);
	xdr_quote(long_text, buf, sizeof(buf));
	assert_true(strlen(buf) < sizeof(buf));
}

static void flattening_leaves_one_line(void **state)
{
	char s[64];

	(void)state;
	assert_int_equal(xdr_line_break_len("\n"), 1);
	assert_int_equal(xdr_line_break_len("\x7f"), 1);
	assert_int_equal(xdr_line_break_len("\xc2\x85"), 2);
	assert_int_equal(xdr_line_break_len("\xe2\x80\xa8"), 3);
	assert_int_equal(xdr_line_break_len("\xe2\x80\xa9"), 3);
	assert_int_equal(xdr_line_break_len("\xc2\xa0"), 0);
	assert_int_equal(xdr_line_break_len("a"), 0);
	assert_int_equal(xdr_line_break_len(""), 0);
	strcpy(s, "a\r\nb\xc2\x85"
	          "c\xe2\x80\xa8"
	          "d\x1b[0m\xc3\xa9");
	xdr_text_flatten(s);
	assert_string_equal(s, "a  b c d [0m\xc3\xa9");
}

static void status_names_are_plain_words(void **state)
{
	(void)state;
	assert_string_equal(xdr_status_name(XDR_EINVAL), "invalid argument");
	assert_string_equal(xdr_status_name(XDR_EBUSY), "busy");
	assert_string_equal(xdr_status_name(12345), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(settings_know_psa_rmm_integration),
	        cmocka_unit_test(settings_accept_on_and_off_only),
	        cmocka_unit_test(an_unknown_setting_lists_the_known_ones),
	        cmocka_unit_test(names_are_trimmed),
	        cmocka_unit_test(names_must_not_be_empty),
	        cmocka_unit_test(names_count_characters_not_bytes),
	        cmocka_unit_test(names_refuse_control_characters_and_bad_utf8),
	        cmocka_unit_test(emails_accept_the_usual_forms),
	        cmocka_unit_test(emails_refuse_what_is_not_an_address),
	        cmocka_unit_test(macs_accept_common_notations),
	        cmocka_unit_test(macs_refuse_anything_else),
	        cmocka_unit_test(systems_refuse_a_mac_given_twice),
	        cmocka_unit_test(systems_keep_agent_versions_for_agents),
	        cmocka_unit_test(groups_check_name_and_email),
	        cmocka_unit_test(enumerations_parse_and_name),
	        cmocka_unit_test(quoting_escapes_and_bounds_untrusted_text),
	        cmocka_unit_test(flattening_leaves_one_line),
	        cmocka_unit_test(status_names_are_plain_words),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
