/*
 * test_plugin_domain.c - e-mail domains and public mail providers.
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
#include "domain.h"

static void domain_is(const char *email, const char *expected)
{
	char out[ITG_DOMAIN_MAX];

	assert_int_equal(itg_email_domain(email, out, sizeof(out)), 0);
	assert_string_equal(out, expected);
}

static void refused(const char *email)
{
	char out[ITG_DOMAIN_MAX];

	memset(out, 'x', sizeof(out));
	assert_int_equal(itg_email_domain(email, out, sizeof(out)), XDR_EINVAL);
	assert_string_equal(out, "");
}

static void test_domain_of_a_plain_address(void **state)
{
	(void)state;
	domain_is("robert@happyfrog.itglue.com", "happyfrog.itglue.com");
}

static void test_domain_is_lower_cased(void **state)
{
	(void)state;
	domain_is("Robert@HappyFrog.COM", "happyfrog.com");
}

static void test_surrounding_spaces_are_trimmed(void **state)
{
	(void)state;
	domain_is("  it@acme.com \t", "acme.com");
}

static void test_one_trailing_dot_is_dropped(void **state)
{
	(void)state;
	domain_is("it@acme.com.", "acme.com");
	refused("it@acme.com..");
}

static void test_the_last_at_sign_counts(void **state)
{
	(void)state;
	domain_is("\"a@b\"@acme.com", "acme.com");
}

static void test_utf8_domains_are_kept(void **state)
{
	(void)state;
	domain_is("info@B\xc3\xbc"
	          "cher.de",
	          "b\xc3\xbc"
	          "cher.de");
}

static void test_null_and_empty_are_refused(void **state)
{
	(void)state;
	refused(NULL);
	refused("");
	refused("   ");
}

static void test_no_at_sign_is_refused(void **state)
{
	(void)state;
	refused("acme.com");
}

static void test_empty_local_part_is_refused(void **state)
{
	(void)state;
	refused("@acme.com");
}

static void test_domain_without_a_dot_is_refused(void **state)
{
	(void)state;
	refused("it@localhost");
	refused("it@");
	refused("it@.");
}

static void test_empty_labels_are_refused(void **state)
{
	(void)state;
	refused("it@acme..com");
	refused("it@.acme.com");
}

static void test_spaces_inside_are_refused(void **state)
{
	(void)state;
	refused("it@acme .com");
	refused("first last@acme.com");
	refused("it@acme.com; ops@acme.com");
}

static void test_other_characters_are_refused(void **state)
{
	(void)state;
	refused("it@acme_corp.com");
	refused("Acme <it@acme.com>");
	refused("it@acme.com\n");
}

static void test_overlong_label_is_refused(void **state)
{
	char email[128];

	(void)state;
	memset(email, 'a', sizeof(email));
	memcpy(email, "x@", 2);
	memcpy(email + 2 + 64, ".com", 5);
	refused(email);
	memcpy(email + 2 + 63, ".com", 5);
	domain_is(email, email + 2);
}

static void test_small_buffer_is_a_range_error(void **state)
{
	char out[8];

	(void)state;
	assert_int_equal(itg_email_domain("it@acme.com", out, sizeof(out)),
	                 XDR_ERANGE);
	/* Seven bytes and the NUL: an exact fit. */
	assert_int_equal(itg_email_domain("it@acme.co", out, sizeof(out)), 0);
	assert_string_equal(out, "acme.co");
}

static void test_span_points_into_the_address(void **state)
{
	const char *email = " IT@Acme.COM. ";
	const char *d;
	size_t len;

	(void)state;
	assert_int_equal(itg_email_domain_span(email, &d, &len), 0);
	assert_ptr_equal(d, email + 4);
	assert_int_equal(len, 8);
	assert_int_equal(itg_email_domain_span("nope", &d, &len), XDR_EINVAL);
	assert_null(d);
	assert_int_equal(len, 0);
}

static void test_domains_compare_without_case_and_trailing_dot(void **state)
{
	(void)state;
	assert_true(itg_domain_equal("acme.com", "ACME.com"));
	assert_true(itg_domain_equal("acme.com", "acme.com."));
	assert_true(itg_domain_equal("acme.com", "@acme.com"));
	assert_false(itg_domain_equal("acme.com", "mail.acme.com"));
	assert_false(itg_domain_equal("acme.com", ""));
	assert_false(itg_domain_equal(NULL, "acme.com"));
}

static void test_shipped_providers_are_public(void **state)
{
	static const char *const providers[] = {
	        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com",
	        "live.com",  "msn.com",        "yahoo.com",   "ymail.com",
	        "aol.com",   "icloud.com",     "me.com",      "mac.com",
	        "proton.me", "protonmail.com", "gmx.com",     "gmx.de",
	        "web.de",    "mail.com",       "zoho.com",    "yandex.com",
	        "yandex.ru", "mail.ru",        "qq.com",      "163.com",
	        "126.com",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(providers) / sizeof(*providers); i++)
		assert_true(itg_domain_is_public(providers[i], NULL));
	assert_true(itg_domain_is_public("GMail.COM", NULL));
	assert_false(itg_domain_is_public("acme.com", NULL));
	assert_false(itg_domain_is_public("mail.gmail.com", NULL));
	assert_false(itg_domain_is_public(NULL, NULL));
}

static void test_extra_public_domains_are_public(void **state)
{
	static const char *const extra[] = {"Example-ISP.net", NULL};
	struct itg_public_domains cfg = {.extra = extra, .n_extra = 2};

	(void)state;
	assert_true(itg_domain_is_public("example-isp.net", &cfg));
	assert_true(itg_domain_is_public("gmail.com", &cfg));
	assert_false(itg_domain_is_public("acme.com", &cfg));
}

static void test_removed_shipped_domains_are_not_public(void **state)
{
	static const char *const not_public[] = {"comcast.net"};
	struct itg_public_domains cfg = {.not_public = not_public,
	                                 .n_not_public = 1};

	(void)state;
	assert_true(itg_domain_is_public("comcast.net", NULL));
	assert_false(itg_domain_is_public("comcast.net", &cfg));
	assert_true(itg_domain_is_public("gmail.com", &cfg));
}

static void test_shipped_list_is_sorted_lower_case_and_valid(void **state)
{
	size_t n = itg_public_domain_count();

	(void)state;
	assert_true(n >= 25);
	for (size_t i = 0; i < n; i++) {
		const char *d = itg_public_domain_at(i);
		char email[ITG_DOMAIN_MAX + 2] = "a@";
		char out[ITG_DOMAIN_MAX];

		strcat(email, d);
		assert_int_equal(itg_email_domain(email, out, sizeof(out)), 0);
		assert_string_equal(out, d);
		if (i > 0)
			assert_true(strcmp(itg_public_domain_at(i - 1), d) < 0);
	}
	assert_null(itg_public_domain_at(n));
}

static void test_hostile_text_is_refused(void **state)
{
	char email[600];

	(void)state;
	refused("it@'; DROP TABLE x;--.example");
	refused("'; DROP TABLE x;--@evil.example'");
	refused("it@<script>.example");
	refused("it@../../etc");
	refused("it@a/b.example");
	refused("it@a\\b.example");
	refused("it@exa\nmple.example");
	refused("it@example.com\r\n4018 forged");
	refused("it@\"quoted\".example");
	/* Bytes that are not UTF-8, and characters that break a line. */
	refused("it@exa\xffmple.example");
	refused("it@exa\xc3mple.example");
	refused("it@exa\xc2\x85mple.example");
	refused("it@exa\xe2\x80\xa8mple.example");
	memset(email, 'a', sizeof(email));
	memcpy(email, "x@", 2);
	for (size_t i = 2 + 60; i < sizeof(email) - 5; i += 61)
		email[i] = '.';
	memcpy(email + sizeof(email) - 5, ".com", 5);
	refused(email);
}

static void test_case_and_unicode_forms_are_other_domains(void **state)
{
	(void)state;
	/* ASCII letters are folded; other characters are kept as they are,
	 * so a full-width or accented look-alike is another domain. */
	domain_is("it@ACME.Example", "acme.example");
	domain_is("it@\xef\xbd\x81"
	          "cme.example",
	          "\xef\xbd\x81"
	          "cme.example");
	domain_is("x@B\xc3\x9c"
	          "CHER.de",
	          "b\xc3\x9c"
	          "cher.de");
	assert_false(itg_domain_equal("\xef\xbd\x81"
	                              "cme.example",
	                              "acme.example"));
	assert_true(itg_domain_equal("ACME.example.", "@acme.EXAMPLE"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_hostile_text_is_refused),
	        cmocka_unit_test(test_case_and_unicode_forms_are_other_domains),
	        cmocka_unit_test(test_domain_of_a_plain_address),
	        cmocka_unit_test(test_domain_is_lower_cased),
	        cmocka_unit_test(test_surrounding_spaces_are_trimmed),
	        cmocka_unit_test(test_one_trailing_dot_is_dropped),
	        cmocka_unit_test(test_the_last_at_sign_counts),
	        cmocka_unit_test(test_utf8_domains_are_kept),
	        cmocka_unit_test(test_null_and_empty_are_refused),
	        cmocka_unit_test(test_no_at_sign_is_refused),
	        cmocka_unit_test(test_empty_local_part_is_refused),
	        cmocka_unit_test(test_domain_without_a_dot_is_refused),
	        cmocka_unit_test(test_empty_labels_are_refused),
	        cmocka_unit_test(test_spaces_inside_are_refused),
	        cmocka_unit_test(test_other_characters_are_refused),
	        cmocka_unit_test(test_overlong_label_is_refused),
	        cmocka_unit_test(test_small_buffer_is_a_range_error),
	        cmocka_unit_test(test_span_points_into_the_address),
	        cmocka_unit_test(
	                test_domains_compare_without_case_and_trailing_dot),
	        cmocka_unit_test(test_shipped_providers_are_public),
	        cmocka_unit_test(test_extra_public_domains_are_public),
	        cmocka_unit_test(test_removed_shipped_domains_are_not_public),
	        cmocka_unit_test(
	                test_shipped_list_is_sorted_lower_case_and_valid),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
