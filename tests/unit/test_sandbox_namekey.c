/*
 * test_sandbox_namekey.c - name-keys of flexible asset fields, and base64
 * as uploads need it.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "base64.h"
#include "namekey.h"

static void key_of(const char *name, const char *want)
{
	char out[SBX_NAME_KEY_SIZE];

	assert_int_equal(sbx_name_key(name, out, sizeof(out)), XDR_OK);
	assert_string_equal(out, want);
}

static void plain_names_become_dashed_words(void **state)
{
	(void)state;
	key_of("Report Name", "report-name");
	key_of("Report Generation Date", "report-generation-date");
	key_of("UUID", "uuid");
	key_of("  Leading and trailing  ", "leading-and-trailing");
	key_of("snake_case_name", "snake-case-name");
}

static void special_characters_are_not_a_naive_slug(void **state)
{
	(void)state;
	key_of("Expiry Date (UTC)", "expiry-date-utc");
	key_of("R&D Notes", "r-and-d-notes");
	key_of("100% Done", "100-percent-done");
	key_of("C++ Runtime", "c-plus-plus-runtime");
	key_of("Owner's Group", "owners-group");
	key_of("Ticket #", "ticket-number");
	key_of("Größe", "gre");
	key_of("a -- b", "a-b");
}

static void empty_and_long_names(void **state)
{
	char long_name[200];

	(void)state;
	key_of("", "field");
	key_of("(!)", "field");
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	{
		char out[SBX_NAME_KEY_SIZE];

		assert_int_equal(sbx_name_key(long_name, out, sizeof(out)),
		                 XDR_OK);
		assert_int_equal(strlen(out), SBX_NAME_KEY_MAX);
		assert_int_equal(sbx_name_key("x", out, 8), XDR_ERANGE);
	}
}

static void repeats_get_numbered(void **state)
{
	const char *taken[] = {"report-name", "report-name-2"};
	char out[SBX_NAME_KEY_SIZE];

	(void)state;
	assert_int_equal(
	        sbx_name_key_unique("Report Name", taken, 2, out, sizeof(out)),
	        XDR_OK);
	assert_string_equal(out, "report-name-3");
	assert_int_equal(
	        sbx_name_key_unique("Other", taken, 2, out, sizeof(out)),
	        XDR_OK);
	assert_string_equal(out, "other");
}

static void base64_round_trip_and_strictness(void **state)
{
	const char *text = "<html>EDR</html>";
	char *enc =
	        sbx_base64_encode((const unsigned char *)text, strlen(text));
	unsigned char *dec;
	size_t len;

	(void)state;
	assert_string_equal(enc, "PGh0bWw+RURSPC9odG1sPg==");
	assert_int_equal(sbx_base64_decode(enc, strlen(enc), &dec, &len),
	                 XDR_OK);
	assert_int_equal(len, strlen(text));
	assert_memory_equal(dec, text, len);
	free(dec);
	free(enc);
	assert_int_equal(sbx_base64_decode("", 0, &dec, &len), XDR_OK);
	assert_int_equal(len, 0);
	free(dec);
	assert_int_equal(sbx_base64_decode("PGh0\nbWw+", 9, &dec, &len),
	                 XDR_EINVAL);
	assert_int_equal(sbx_base64_decode("PGh", 3, &dec, &len), XDR_EINVAL);
	assert_int_equal(sbx_base64_decode("PG=0", 4, &dec, &len), XDR_EINVAL);
	assert_int_equal(sbx_base64_decode("P===", 4, &dec, &len), XDR_EINVAL);
	assert_int_equal(sbx_base64_decode("PGg*", 4, &dec, &len), XDR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(plain_names_become_dashed_words),
	        cmocka_unit_test(special_characters_are_not_a_naive_slug),
	        cmocka_unit_test(empty_and_long_names),
	        cmocka_unit_test(repeats_get_numbered),
	        cmocka_unit_test(base64_round_trip_and_strictness),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
