/*
 * fuzz.h - what the libFuzzer targets of tests/fuzz/ share: the entry
 * points libFuzzer calls, the input as a C string, and the checks of what
 * a target promises beyond not crashing.
 *
 * A failed check aborts, so that libFuzzer keeps the input as a crash.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Stop with a message when COND does not hold: a finding. */
#define FUZZ_CHECK(cond, what)                                                 \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s (%s)\n",      \
			        __FILE__, __LINE__, (what), #cond);            \
			abort();                                               \
		}                                                              \
	} while (0)

/* The SIZE bytes of DATA and a NUL, in a new buffer (free it); a NUL inside
 * the input ends the string early, as it would for any C caller. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Is S (LEN bytes) well-formed UTF-8 (no overlong forms, no surrogates,
 * nothing over U+10FFFF)? What a strict JSON reader accepts in a string. */
static inline bool fuzz_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;
		unsigned char lo = 0x80, hi = 0xBF;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			n = 1;
		else if (c >= 0xE0 && c <= 0xEF)
			n = 2;
		else if (c >= 0xF0 && c <= 0xF4)
			n = 3;
		else
			return false;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
		else if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
		if (n >= len - i)
			return false;
		for (size_t k = 1; k <= n; k++) {
			unsigned char t = p[i + k];

			if (k == 1 ? (t < lo || t > hi) : (t & 0xC0) != 0x80)
				return false;
		}
		i += n + 1;
	}
	return true;
}

/* One line: no control character but tab. */
static inline bool fuzz_one_line(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 && *s != '\t')
			return false;
	return true;
}

#endif /* FUZZ_H */
