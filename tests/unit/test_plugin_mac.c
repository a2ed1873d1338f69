/*
 * test_plugin_mac.c - MAC addresses in canonical form, and those ignored.
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
#include "mac.h"

static void canonical_is(const char *in, const char *expected)
{
	char out[ITG_MAC_CANON_SIZE];

	assert_int_equal(itg_mac_canonical(in, out), 0);
	assert_string_equal(out, expected);
}

static void refused(const char *in)
{
	char out[ITG_MAC_CANON_SIZE];

	memset(out, 'x', sizeof(out));
	assert_int_equal(itg_mac_canonical(in, out), XDR_EINVAL);
	assert_string_equal(out, "");
}

static void test_colons_are_accepted(void **state)
{
	(void)state;
	canonical_is("c4:7a:92:14:3d:78", "c47a92143d78");
}

static void test_dashes_are_accepted(void **state)
{
	(void)state;
	canonical_is("18-5E-0F-ED-99-9A", "185e0fed999a");
}

static void test_cisco_dots_are_accepted(void **state)
{
	(void)state;
	canonical_is("185e.0fed.999a", "185e0fed999a");
}

static void test_groups_of_four_with_dashes_are_accepted(void **state)
{
	(void)state;
	canonical_is("185E-0FED-999A", "185e0fed999a");
}

static void test_any_separator_with_any_group_size_is_accepted(void **state)
{
	(void)state;
	canonical_is("185e:0fed:999a", "185e0fed999a");
	canonical_is("18.5e.0f.ed.99.9a", "185e0fed999a");
}

static void test_no_separator_is_accepted(void **state)
{
	(void)state;
	canonical_is("185E0FED999A", "185e0fed999a");
}

static void test_upper_lower_and_mixed_case_agree(void **state)
{
	(void)state;
	canonical_is("C4:7A:92:14:3D:78", "c47a92143d78");
	canonical_is("c4:7a:92:14:3d:78", "c47a92143d78");
	canonical_is("C4:7a:92:14:3D:78", "c47a92143d78");
}

static void test_surrounding_blanks_are_ignored(void **state)
{
	(void)state;
	canonical_is("  18-5E-0F-ED-99-9A\t", "185e0fed999a");
}

static void test_null_and_empty_are_refused(void **state)
{
	(void)state;
	refused(NULL);
	refused("");
	refused("   ");
}

static void test_non_hex_digit_is_refused(void **state)
{
	(void)state;
	refused("18-5E-0F-ED-99-9J");
	refused("18-5E-0F-ED-99-9 ");
	refused("g85e0fed999a");
}

static void test_wrong_length_is_refused(void **state)
{
	(void)state;
	refused("18-5E-0F-ED-99");
	refused("18-5E-0F-ED-99-9A-00");
	refused("185e0fed999");
	refused("185e0fed999a0");
}

static void test_mixed_separators_are_refused(void **state)
{
	(void)state;
	refused("18:5E-0F:ED-99:9A");
	refused("185e.0fed-999a");
}

static void test_wrong_group_sizes_are_refused(void **state)
{
	(void)state;
	refused("8:5E:0F:ED:99:9A:A");
	refused("185e0f:ed999a");
	refused("185:e0f:ed9:99a");
	refused("18:5e0f:ed:99:9a");
}

static void test_stray_separators_are_refused(void **state)
{
	(void)state;
	refused(":18:5E:0F:ED:99:9A");
	refused("18:5E:0F:ED:99:9A:");
	refused("18::5E:0F:ED:99:9A");
	refused("18 5E 0F ED 99 9A");
}

/* Texts of the length of an accepted form (12, 14 or 17 characters) whose
 * digits and separators are not where that form has them. */
static void test_right_length_wrong_layout_is_refused(void **state)
{
	(void)state;
	refused("185:e0:fe:d9:99:a");
	refused("18:5e:0f:ed:999a:");
	refused(":18:5e:0f:ed:999a");
	refused("18:5e:0f:ed:99 9a");
	refused("18:5e0fed:999a");
	refused("185e.0fed.999.");
	refused("185e0fed999:");
	refused("185e0f ed999");
}

static void test_value_of_a_canonical_mac(void **state)
{
	(void)state;
	assert_true(itg_mac_value("185e0fed999a") == UINT64_C(0x185e0fed999a));
	assert_true(itg_mac_value("18:5e:0f:ed:99:9a") == 0);
	assert_true(itg_mac_value(NULL) == 0);
}

static void test_from_value_is_the_inverse_of_value(void **state)
{
	char out[ITG_MAC_CANON_SIZE];

	(void)state;
	itg_mac_from_value(UINT64_C(0x185e0fed999a), out);
	assert_string_equal(out, "185e0fed999a");
	itg_mac_from_value(0, out);
	assert_string_equal(out, "000000000000");
	itg_mac_from_value(UINT64_C(0xffffffffffff), out);
	assert_string_equal(out, "ffffffffffff");
	assert_true(itg_mac_value(out) == UINT64_C(0xffffffffffff));
}

static void test_format_gives_colons(void **state)
{
	char out[ITG_MAC_TEXT_SIZE];

	(void)state;
	assert_int_equal(itg_mac_format("185e0fed999a", out), 0);
	assert_string_equal(out, "18:5e:0f:ed:99:9a");
}

static void test_format_refuses_a_non_canonical_mac(void **state)
{
	const char short_mac[ITG_MAC_CANON_SIZE] = "185e0fed999";
	char out[ITG_MAC_TEXT_SIZE];

	(void)state;
	assert_int_equal(itg_mac_format("185E0FED999A", out), XDR_EINVAL);
	assert_string_equal(out, "");
	/* One digit short, in a buffer of the declared size. */
	assert_int_equal(itg_mac_format(short_mac, out), XDR_EINVAL);
	assert_int_equal(itg_mac_format(NULL, out), XDR_EINVAL);
}

static void test_an_ordinary_mac_identifies(void **state)
{
	(void)state;
	assert_true(itg_mac_identifies("185e0fed999a"));
	assert_null(itg_mac_ignored_reason("185e0fed999a"));
	/* Locally administered but unicast: still a device (Hyper-V,
	 * randomised Wi-Fi addresses). */
	assert_true(itg_mac_identifies("02155d010203"));
}

static void test_all_zeros_is_ignored(void **state)
{
	(void)state;
	assert_false(itg_mac_identifies("000000000000"));
	assert_string_equal(itg_mac_ignored_reason("000000000000"),
	                    "all zeros");
}

static void test_broadcast_is_ignored(void **state)
{
	(void)state;
	assert_string_equal(itg_mac_ignored_reason("ffffffffffff"),
	                    "broadcast");
}

static void test_multicast_is_ignored(void **state)
{
	(void)state;
	assert_string_equal(itg_mac_ignored_reason("01005e000001"),
	                    "multicast");
	assert_string_equal(itg_mac_ignored_reason("333300000001"),
	                    "multicast");
}

static void test_shared_virtual_adapters_are_ignored(void **state)
{
	(void)state;
	assert_string_equal(itg_mac_ignored_reason("02004c4f4f50"),
	                    "Microsoft loopback adapter");
	assert_string_equal(itg_mac_ignored_reason("005056c00001"),
	                    "VMware host virtual adapter");
	assert_string_equal(itg_mac_ignored_reason("005056c00008"),
	                    "VMware host virtual adapter");
	assert_string_equal(itg_mac_ignored_reason("0a0027000000"),
	                    "VirtualBox host-only adapter");
	assert_string_equal(itg_mac_ignored_reason("0a002700000d"),
	                    "VirtualBox host-only adapter");
	assert_string_equal(itg_mac_ignored_reason("00059a3c7a00"),
	                    "Cisco AnyConnect virtual adapter");
	assert_string_equal(itg_mac_ignored_reason("204153594eff"),
	                    "Windows RAS async adapter");
	assert_string_equal(itg_mac_ignored_reason("525400123456"),
	                    "QEMU default NIC address");
}

static void test_vmware_guest_macs_identify(void **state)
{
	(void)state;
	/* Guests' own NICs (00:50:56:00-3f:..) are real devices; only the
	 * host adapters 00:50:56:c0:00:xx are shared. */
	assert_true(itg_mac_identifies("005056a1b2c3"));
	assert_true(itg_mac_identifies("0050563f0001"));
	assert_true(itg_mac_identifies("0a0027000100"));
}

static void test_a_non_canonical_string_identifies_nothing(void **state)
{
	(void)state;
	assert_false(itg_mac_identifies("18:5e:0f:ed:99:9a"));
	assert_false(itg_mac_identifies(NULL));
}

/* The one-pass value agrees with canonical + identifies + value. */
static void test_identifying_value_agrees_with_the_three_steps(void **state)
{
	static const char *const inputs[] = {
	        "18-5E-0F-ED-99-9A", "c4:7a:92:14:3d:78",
	        "c47a.9214.3d78",    " 00-50-56-C0-00-08 ",
	        "00:00:00:00:00:00", "ff:ff:ff:ff:ff:ff",
	        "01:00:5e:00:00:fb", "02:00:4C:4F:4F:50",
	        "0a:00:27:00:00:00", "00:50:56:a1:b2:c3",
	        "not a mac",         "",
	        "18:5e:0f:ed:99",    "18:5e:0f:ed:99:9a:00",
	        "0:1:2:3:4:5",       "A0B1C2D3E4F5"};

	(void)state;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
		char canon[ITG_MAC_CANON_SIZE];
		bool usable = itg_mac_canonical(inputs[i], canon) == 0 &&
		              itg_mac_identifies(canon);
		uint64_t v = 12345;

		assert_int_equal(itg_mac_identifying_value(inputs[i], &v),
		                 usable ? 0 : XDR_EINVAL);
		if (usable)
			assert_true(v == itg_mac_value(canon));
		else
			assert_true(v == 12345);
	}
	assert_int_equal(itg_mac_identifying_value(NULL, NULL), XDR_EINVAL);
}

static void test_hostile_text_is_refused(void **state)
{
	char longest[4096];
	uint64_t value;

	(void)state;
	refused("'; DROP TABLE x;--");
	refused("<script>alert(1)</script>");
	refused("../../etc/passwd");
	refused("18-5E-0F-ED-99-9A\n4019 forged");
	refused("18-5E-0F-ED-99-9A\r");
	refused("18-5E-0F-ED-99-9\xc3\xa9");
	refused("18-5E-0F-ED-99-9A\xff");
	refused("\xef\xbc\x91\xef\xbc\x98-5E-0F-ED-99-9A"); /* full-width 18 */
	refused("18\\5E\\0F\\ED\\99\\9A");
	refused("18/5E/0F/ED/99/9A");
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	refused(longest);
	assert_int_equal(itg_mac_identifying_value("'; DROP--", &value),
	                 XDR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hostile_text_is_refused),
	        cmocka_unit_test(test_colons_are_accepted),
	        cmocka_unit_test(test_dashes_are_accepted),
	        cmocka_unit_test(test_cisco_dots_are_accepted),
	        cmocka_unit_test(test_groups_of_four_with_dashes_are_accepted),
	        cmocka_unit_test(
	                test_any_separator_with_any_group_size_is_accepted),
	        cmocka_unit_test(test_no_separator_is_accepted),
	        cmocka_unit_test(test_upper_lower_and_mixed_case_agree),
	        cmocka_unit_test(test_surrounding_blanks_are_ignored),
	        cmocka_unit_test(test_null_and_empty_are_refused),
	        cmocka_unit_test(test_non_hex_digit_is_refused),
	        cmocka_unit_test(test_wrong_length_is_refused),
	        cmocka_unit_test(test_mixed_separators_are_refused),
	        cmocka_unit_test(test_wrong_group_sizes_are_refused),
	        cmocka_unit_test(test_stray_separators_are_refused),
	        cmocka_unit_test(test_right_length_wrong_layout_is_refused),
	        cmocka_unit_test(test_value_of_a_canonical_mac),
	        cmocka_unit_test(test_from_value_is_the_inverse_of_value),
	        cmocka_unit_test(test_format_gives_colons),
	        cmocka_unit_test(test_format_refuses_a_non_canonical_mac),
	        cmocka_unit_test(test_an_ordinary_mac_identifies),
	        cmocka_unit_test(test_all_zeros_is_ignored),
	        cmocka_unit_test(test_broadcast_is_ignored),
	        cmocka_unit_test(test_multicast_is_ignored),
	        cmocka_unit_test(test_shared_virtual_adapters_are_ignored),
	        cmocka_unit_test(test_vmware_guest_macs_identify),
	        cmocka_unit_test(
	                test_a_non_canonical_string_identifies_nothing),
	        cmocka_unit_test(
	                test_identifying_value_agrees_with_the_three_steps),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
