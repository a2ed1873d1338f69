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
	        cmocka_unit_test(test_without_a_host_nothing_happens),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
