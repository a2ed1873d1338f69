/*
 * digits.h - reading a decimal number from a piece of an option or a query
 * (pure).
 */
#ifndef SBX_DIGITS_H
#define SBX_DIGITS_H

#include <stdbool.h>
#include <stddef.h>

/* The LEN bytes at S are 1 to 18 decimal digits and nothing else: true and
 * *OUT their value. */
bool sbx_parse_digits(const char *s, size_t len, long *out);

#endif /* SBX_DIGITS_H */
