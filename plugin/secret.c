/*
 * secret.c - API keys shown masked and wiped from memory after use.
 */
#include <config.h>

#include "secret.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREFIX          "ITG."
#define SHOWN           4
#define MIN_LEN_TO_SHOW 8

char *itg_secret_mask(const char *secret, char *out, size_t outsize)
{
	size_t len;
	const char *prefix = "";

	if (out == NULL || outsize == 0)
		return out;
	len = secret != NULL ? strlen(secret) : 0;
	if (len < MIN_LEN_TO_SHOW) {
		snprintf(out, outsize, "****");
		return out;
	}
	/* The prefix is shown only when enough is left hidden after it. */
	if (strncmp(secret, PREFIX, strlen(PREFIX)) == 0 &&
	    len >= strlen(PREFIX) + MIN_LEN_TO_SHOW)
		prefix = PREFIX;
	snprintf(out, outsize, "%s****%s", prefix, secret + len - SHOWN);
	return out;
}

void itg_secret_wipe(void *p, size_t len)
{
	/* A volatile pointer keeps the stores: explicit_bzero is not on every
	 * platform the plugin builds for. */
	volatile unsigned char *v = p;

	if (p == NULL)
		return;
	while (len-- > 0)
		*v++ = 0;
}

void itg_secret_free(char *s)
{
	if (s == NULL)
		return;
	itg_secret_wipe(s, strlen(s));
	free(s);
}
