/*
 * strndup.c - strndup() where the C library has none (Windows' msvcrt).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "os.h"

char *strndup(const char *s, size_t n)
{
	size_t len = 0;
	char *copy;

	while (len < n && s[len] != '\0')
		len++;
	copy = malloc(len + 1);
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, len);
	copy[len] = '\0';
	return copy;
}
