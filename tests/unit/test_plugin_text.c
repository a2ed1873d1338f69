/*
 * test_plugin_text.c - text from outside made fit to show (text.c), and
 * the two places every message and answer passes: errbuf.c and the JSON
 * writer of json_util.c.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include "compat/os.h"
#include "errbuf.h"
#include "json_util.h"
#include "text.h"
#include "text_test.h"

#define FFFD ITG_TEXT_REPLACEMENT

/* ---- characters ---- */

static void test_utf8_char_lengths(void **state)
{
	(void)state;
	assert_int_equal(itg_utf8_char("a", 1), 1);
	assert_int_equal(itg_utf8_char("\xc3\xa9", 2), 2);
	assert_int_equal(itg_utf8_char("\xe2\x82\xac", 3), 3);
	assert_int_equal(itg_utf8_char("\xf0\x9f\x98\x80", 4), 4);
	assert_int_equal(itg_utf8_char("a", 0), 0);
}

static void test_utf8_char_refuses_what_is_not_utf8(void **state)
{
	(void)state;
	assert_int_equal(itg_utf8_char("\x80", 1), 0);         /* stray */
	assert_int_equal(itg_utf8_char("\xc3", 1), 0);         /* cut */
	assert_int_equal(itg_utf8_char("\xc3\x41", 2), 0);     /* broken */
	assert_int_equal(itg_utf8_char("\xc0\xaf", 2), 0);     /* overlong / */
	assert_int_equal(itg_utf8_char("\xe0\x80\xaf", 3), 0); /* overlong */
	assert_int_equal(itg_utf8_char("\xed\xa0\x80", 3), 0); /* surrogate */
	assert_int_equal(itg_utf8_char("\xf4\x90\x80\x80", 4), 0); /* >10FFFF */
	assert_int_equal(itg_utf8_char("\xff", 1), 0);
	assert_int_equal(itg_utf8_char("\xe2\x82\xac", 2), 0); /* 2 of 3 */
}

static void test_utf8_valid_whole_texts(void **state)
{
	(void)state;
	assert_true(itg_utf8_valid("", 0));
	assert_true(itg_utf8_valid("Gr\xc3\xb6\xc3\x9f"
	                           "e",
	                           6));
	assert_false(itg_utf8_valid("ab\xff", 3));
	assert_false(itg_utf8_valid("ab\xc3", 3));
}

static void test_trim_cut_drops_a_partial_last_character(void **state)
{
	char s[16];

	(void)state;
	strcpy(s, "ab\xc3");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "ab");
	strcpy(s, "ab\xe2\x82");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "ab");
	strcpy(s, "ab\xf0\x9f\x98");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "ab");
	strcpy(s, "ab\xc3\xa9");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "ab\xc3\xa9");
	strcpy(s, "abc");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "abc");
	strcpy(s, "");
	itg_utf8_trim_cut(s);
	assert_string_equal(s, "");
}

/* ---- copies ---- */

static void test_copy_cuts_between_characters(void **state)
{
	char s[6];

	(void)state;
	assert_false(itg_text_copy(s, sizeof(s), "abc"));
	assert_string_equal(s, "abc");
	assert_false(itg_text_copy(s, sizeof(s), NULL));
	assert_string_equal(s, "");
	/* 5 bytes of room: "a" and two of the three 2-byte characters. */
	assert_true(itg_text_copy(s, sizeof(s), "a\xc3\xa9\xc3\xa9\xc3\xa9"));
	assert_string_equal(s, "a\xc3\xa9\xc3\xa9");
	/* 4 bytes of room would split the second: it goes whole. */
	assert_true(itg_text_copy(s, 5, "a\xc3\xa9\xc3\xa9\xc3\xa9"));
	assert_string_equal(s, "a\xc3\xa9");
	assert_true(itg_text_copy(s, 1, "abc"));
	assert_string_equal(s, "");
}

static void test_line_turns_line_breaks_into_spaces(void **state)
{
	char s[64];

	(void)state;
	assert_false(itg_text_line(s, sizeof(s), "a\r\nb\tc\x1b[0m\x7f"));
	assert_string_equal(s, "a  b c [0m ");
	/* C1: NEL (U+0085) and CSI (U+009B); U+2028 and U+2029. */
	itg_text_line(s, sizeof(s),
	              "a\xc2\x85"
	              "b\xc2\x9b"
	              "c\xe2\x80\xa8"
	              "d\xe2\x80\xa9"
	              "e");
	assert_string_equal(s, "a b c d e");
	/* U+00A0 and U+2027 are neither. */
	itg_text_line(s, sizeof(s),
	              "a\xc2\xa0"
	              "b\xe2\x80\xa7");
	assert_string_equal(s, "a\xc2\xa0"
	                       "b\xe2\x80\xa7");
	itg_text_line(s, sizeof(s), NULL);
	assert_string_equal(s, "");
}

static void test_line_replaces_bytes_that_are_not_utf8(void **state)
{
	char s[64];

	(void)state;
	itg_text_line(s, sizeof(s), "Caf\xe9 \xff\xfe \xc3");
	assert_string_equal(s, "Caf" FFFD " " FFFD FFFD " " FFFD);
	itg_text_line(s, sizeof(s), "\xed\xa0\x80");
	assert_string_equal(s, FFFD FFFD FFFD);
	assert_true(test_utf8_valid(s));
}

static void test_line_is_cut_with_an_ellipsis(void **state)
{
	char s[8];

	(void)state;
	assert_false(itg_text_line(s, sizeof(s), "1234567"));
	assert_string_equal(s, "1234567");
	assert_true(itg_text_line(s, sizeof(s), "12345678"));
	assert_string_equal(s, "1234...");
	/* "a" + 2-byte characters: the cut leaves no half. */
	assert_true(itg_text_line(s, sizeof(s),
	                          "a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"));
	assert_string_equal(s, "a\xc3\xa9...");
	/* A replacement character is not split either. */
	assert_true(itg_text_line(s, sizeof(s), "ab\xff\xff\xff"));
	assert_string_equal(s, "ab...");
	/* No room for the ellipsis: as much as fits. */
	assert_true(itg_text_line(s, 3, "abcdef"));
	assert_string_equal(s, "ab");
}

static void test_line_dup_is_bounded(void **state)
{
	char *big = malloc(10001), *s;

	(void)state;
	assert_non_null(big);
	big[0] = 'x';
	for (size_t i = 1; i < 10000; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[9999] = '\0';
	s = itg_text_line_dup(big, 1024);
	assert_non_null(s);
	assert_true(strlen(s) <= 1024);
	assert_true(strlen(s) >= 1020);
	assert_string_equal(s + strlen(s) - 3, "...");
	assert_true(test_utf8_valid(s));
	free(s);
	s = itg_text_line_dup("short\nline", 1024);
	assert_string_equal(s, "short line");
	free(s);
	s = itg_text_line_dup(NULL, 16);
	assert_string_equal(s, "");
	free(s);
	free(big);
}

static void test_repair_keeps_text_and_replaces_bytes(void **state)
{
	char *s;

	(void)state;
	s = itg_utf8_repair("a\nb\xc3\xa9\xff");
	assert_string_equal(s, "a\nb\xc3\xa9" FFFD);
	free(s);
	s = itg_utf8_repair(NULL);
	assert_string_equal(s, "");
	free(s);
}

/* ---- messages and JSON ---- */

static void test_errf_cuts_between_characters(void **state)
{
	char err[8];

	(void)state;
	/* 7 bytes of room: "no " and two whole "é"; "n " and two "é" and
	 * half of the third, which goes. */
	itg_errf(err, sizeof(err), "no %s", "\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_string_equal(err, "no \xc3\xa9\xc3\xa9");
	itg_errf(err, sizeof(err), "n %s", "\xc3\xa9\xc3\xa9\xc3\xa9");
	assert_string_equal(err, "n \xc3\xa9\xc3\xa9");
	assert_true(test_utf8_valid(err));
}

static void test_json_text_is_always_utf8(void **state)
{
	struct json_object *o = json_object_new_object();
	struct json_object *back;
	char *text;

	(void)state;
	/* A name cut by bytes somewhere before it reached the answer. */
	json_object_object_add(o, "name", json_object_new_string("Caf\xc3"));
	json_object_object_add(o, "quote",
	                       json_object_new_string("'\"</script>\n"));
	text = itg_json_to_string(o);
	assert_non_null(text);
	assert_true(test_utf8_valid(text));
	assert_string_equal(text, "{\"name\":\"Caf" FFFD "\",\"quote\":\"'\\\""
	                          "</script>\\n\"}");
	back = json_tokener_parse(text);
	assert_non_null(back);
	assert_string_equal(
	        json_object_get_string(json_object_object_get(back, "quote")),
	        "'\"</script>\n");
	json_object_put(back);
	free(text);
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_utf8_char_lengths),
	        cmocka_unit_test(test_utf8_char_refuses_what_is_not_utf8),
	        cmocka_unit_test(test_utf8_valid_whole_texts),
	        cmocka_unit_test(test_trim_cut_drops_a_partial_last_character),
	        cmocka_unit_test(test_copy_cuts_between_characters),
	        cmocka_unit_test(test_line_turns_line_breaks_into_spaces),
	        cmocka_unit_test(test_line_replaces_bytes_that_are_not_utf8),
	        cmocka_unit_test(test_line_is_cut_with_an_ellipsis),
	        cmocka_unit_test(test_line_dup_is_bounded),
	        cmocka_unit_test(test_repair_keeps_text_and_replaces_bytes),
	        cmocka_unit_test(test_errf_cuts_between_characters),
	        cmocka_unit_test(test_json_text_is_always_utf8),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
