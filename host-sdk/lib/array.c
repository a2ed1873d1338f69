/*
 * array.c - growing the arrays that list functions return.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

int xdr_array_grow(void *items, size_t *cap, size_t n, size_t size)
{
	void **p = items;
	size_t ncap;
	void *grown;

	if (n < *cap)
		return XDR_OK;
	ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return XDR_ENOMEM;
	grown = realloc(*p, ncap * size);
	if (grown == NULL)
		return XDR_ENOMEM;
	/* New slots start zeroed, so a partly filled record frees cleanly. */
	memset((char *)grown + *cap * size, 0, (ncap - *cap) * size);
	*p = grown;
	*cap = ncap;
	return XDR_OK;
}
