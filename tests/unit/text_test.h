/*
 * text_test.h - what the tests of hostile text check of a string the code
 * produced: well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), and one line (no C0 control, DEL, C1 control,
 * U+2028 or U+2029 that a log or event viewer could take for a line break
 * or a terminal for a command).
 */
#ifndef TEXT_TEST_H
#define TEXT_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static inline bool test_utf8_valid(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t len = strlen(text);

	for (size_t i = 0; i < len;) {
		size_t n = s[i] < 0x80                    ? 1
		           : s[i] >= 0xc2 && s[i] <= 0xdf ? 2
		           : s[i] >= 0xe0 && s[i] <= 0xef ? 3
		           : s[i] >= 0xf0 && s[i] <= 0xf4 ? 4
		                                          : 0;

		if (n == 0 || i + n > len)
			return false;
		for (size_t k = 1; k < n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		if ((s[i] == 0xe0 && s[i + 1] < 0xa0) ||
		    (s[i] == 0xed && s[i + 1] > 0x9f) ||
		    (s[i] == 0xf0 && s[i + 1] < 0x90) ||
		    (s[i] == 0xf4 && s[i + 1] > 0x8f))
			return false;
		i += n;
	}
	return true;
}

static inline bool test_one_line(const char *text)
{
	const unsigned char *s = (const unsigned char *)text;

	for (size_t i = 0; s[i] != '\0'; i++) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			return false;
		if (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return false;
		if (s[i] == 0xe2 && s[i + 1] == 0x80 &&
		    (s[i + 2] == 0xa8 || s[i + 2] == 0xa9))
			return false;
	}
	return true;
}

#endif /* TEXT_TEST_H */
