/*
 * digits.c - reading a decimal number from a piece of a string (pure).
 */
#include "config.h"

#include "digits.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool sbx_parse_digits(const char *s, size_t len, long *out)
{
	char buf[24];
	char *end;
	long v;

	if (len == 0 || len > 18)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return false;
	*out = v;
	return true;
}
