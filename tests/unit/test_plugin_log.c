/*
 * test_plugin_log.c - lines in the host's log.
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
#include "itglue.h"
#include "log.h"
#include "mock_host.h"
#include "text_test.h"

static void test_message_is_formatted_with_its_level(void **state)
{
	struct mock_fixture *f = *state;
	const struct mock_log_line *line;

	itg_log(&f->plugin, XDR_LOG_WARNING, "group %s: %d systems", "Acme", 3);
	assert_int_equal(mock_host_log_count(f->host), 1);
	line = mock_host_log(f->host, 0);
	assert_int_equal(line->level, XDR_LOG_WARNING);
	assert_string_equal(line->message, "group Acme: 3 systems");
}

static void test_message_is_always_one_line(void **state)
{
	struct mock_fixture *f = *state;

	itg_log(&f->plugin, XDR_LOG_INFO, "%s", "one\ntwo\r\tthree\n");
	assert_string_equal(mock_host_log(f->host, 0)->message,
	                    "one two  three ");
}

static void test_long_message_is_cut_with_an_ellipsis(void **state)
{
	struct mock_fixture *f = *state;
	char *big = malloc(3 * ITG_LOG_LINE_MAX);
	const char *message;
	size_t len;

	assert_non_null(big);
	memset(big, 'x', 3 * ITG_LOG_LINE_MAX - 1);
	big[3 * ITG_LOG_LINE_MAX - 1] = '\0';
	itg_log(&f->plugin, XDR_LOG_ERROR, "%s", big);
	free(big);
	message = mock_host_log(f->host, 0)->message;
	len = strlen(message);
	assert_int_equal(len, ITG_LOG_LINE_MAX - 1);
	assert_string_equal(message + len - 3, "...");
}

static void test_message_has_no_unicode_line_break(void **state)
{
	struct mock_fixture *f = *state;

	itg_log(&f->plugin, XDR_LOG_INFO, "%s",
	        "a\xc2\x85"
	        "b\xe2\x80\xa8"
	        "c\xe2\x80\xa9"
	        "d\x1b[0m");
	assert_string_equal(mock_host_log(f->host, 0)->message, "a b c d [0m");
}

static void test_message_is_valid_utf8(void **state)
{
	struct mock_fixture *f = *state;

	itg_log(&f->plugin, XDR_LOG_INFO, "organization %s", "Caf\xe9 \xff");
	assert_string_equal(mock_host_log(f->host, 0)->message,
	                    "organization Caf\xef\xbf\xbd \xef\xbf\xbd");
}

static void test_long_message_is_cut_between_characters(void **state)
{
	struct mock_fixture *f = *state;
	char *big = malloc(3 * ITG_LOG_LINE_MAX);
	const char *message;
	size_t len;

	assert_non_null(big);
	big[0] = 'x';
	for (size_t i = 1; i + 2 < 3 * ITG_LOG_LINE_MAX; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[3 * ITG_LOG_LINE_MAX - 2] = '\0';
	itg_log(&f->plugin, XDR_LOG_ERROR, "%s", big);
	free(big);
	message = mock_host_log(f->host, 0)->message;
	len = strlen(message);
	assert_true(len < ITG_LOG_LINE_MAX);
	assert_true(len >= ITG_LOG_LINE_MAX - 4);
	assert_string_equal(message + len - 3, "...");
	assert_true(test_utf8_valid(message));
}

static void test_without_a_host_nothing_happens(void **state)
{
	struct itg_plugin bare = {0};

	(void)state;
	itg_log(NULL, XDR_LOG_ERROR, "lost");
	itg_log(&bare, XDR_LOG_ERROR, "lost");
}

#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, mock_fixture_setup,              \
	                                mock_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_message_is_formatted_with_its_level),
	        T(test_message_is_always_one_line),
	        T(test_long_message_is_cut_with_an_ellipsis),
	        T(test_message_has_no_unicode_line_break),
	        T(test_message_is_valid_utf8),
	        T(test_long_message_is_cut_between_characters),
	        cmocka_unit_test(test_without_a_host_nothing_happens),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
