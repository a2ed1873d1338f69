/*
 * test_plugin_secret.c - API keys masked for display and wiped after use.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "secret.h"

static const char *mask(const char *secret)
{
	static char out[ITG_SECRET_MASK_MAX];

	return itg_secret_mask(secret, out, sizeof(out));
}

static void test_itg_key_keeps_prefix_and_last_four(void **state)
{
	(void)state;
	assert_string_equal(mask("ITG.abcdef0123456789wxyz"), "ITG.****wxyz");
}

static void test_key_without_prefix_shows_last_four(void **state)
{
	(void)state;
	assert_string_equal(mask("0123456789abcdef"), "****cdef");
	assert_string_equal(mask("abcdefgh"), "****efgh");
}

static void test_short_keys_show_nothing(void **state)
{
	(void)state;
	assert_string_equal(mask("abcdefg"), "****");
	assert_string_equal(mask("ITG.x"), "****");
	assert_string_equal(mask(""), "****");
	assert_string_equal(mask(NULL), "****");
}

static void test_prefix_hidden_when_too_little_follows(void **state)
{
	(void)state;
	/* "ITG." and 4 more: showing the prefix and 4 would show it all. */
	assert_string_equal(mask("ITG.abcd"), "****abcd");
	assert_string_equal(mask("ITG.abcdefg"), "****defg");
	assert_string_equal(mask("ITG.abcdefgh"), "ITG.****efgh");
}

static void test_never_more_than_four_shown(void **state)
{
	const char *key = "ITG.0123456789abcdefghijklmnopqrstuvwxyz";
	const char *m;
	size_t i, shown = 0;

	(void)state;
	m = mask(key);
	for (i = 0; m[i] != '\0'; i++)
		if (strchr("0123456789abcdefghijklmnopqrstuvwxyz", m[i]))
			shown++;
	assert_int_equal(shown, 4);
}

static void test_small_buffer_is_terminated(void **state)
{
	char out[6];

	(void)state;
	itg_secret_mask("ITG.abcdef0123456789", out, sizeof(out));
	assert_int_equal(strlen(out), 5);
	assert_ptr_equal(itg_secret_mask("x", NULL, 0), NULL);
}

static void test_wipe_zeroes_every_byte(void **state)
{
	char buf[16] = "ITG.secretvalue";
	size_t i;

	(void)state;
	itg_secret_wipe(buf, sizeof(buf));
	for (i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	itg_secret_wipe(NULL, 10);
}

static void test_secret_free_accepts_null(void **state)
{
	char *s = strdup("ITG.abcdefghijkl");

	(void)state;
	assert_non_null(s);
	itg_secret_free(s);
	itg_secret_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_itg_key_keeps_prefix_and_last_four),
	        cmocka_unit_test(test_key_without_prefix_shows_last_four),
	        cmocka_unit_test(test_short_keys_show_nothing),
	        cmocka_unit_test(test_prefix_hidden_when_too_little_follows),
	        cmocka_unit_test(test_never_more_than_four_shown),
	        cmocka_unit_test(test_small_buffer_is_terminated),
	        cmocka_unit_test(test_wipe_zeroes_every_byte),
	        cmocka_unit_test(test_secret_free_accepts_null),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
