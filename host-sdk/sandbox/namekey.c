/*
 * namekey.c - name-keys of flexible asset fields.
 *
 * The rules: ASCII letters and digits are kept (lower case); "&", "+", "%",
 * "@" and "#" become the words "and", "plus", "percent", "at", "number";
 * apostrophes vanish without splitting the word ("Owner's" -> "owners"), and
 * so do bytes outside ASCII ("Größe" -> "gre"); anything else separates
 * words, which are joined by single dashes. Keys are cut at
 * SBX_NAME_KEY_MAX characters; an empty one is "field".
 */
#include "config.h"

#include "namekey.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <xdr/plugin.h>

static const char *word_for(char c)
{
	switch (c) {
	case '&':
		return "and";
	case '+':
		return "plus";
	case '%':
		return "percent";
	case '@':
		return "at";
	case '#':
		return "number";
	default:
		return NULL;
	}
}

/* Appends C, starting a new word first if one was pending. */
static void put(char *out, size_t *len, bool *pending_dash, char c)
{
	if (*len >= SBX_NAME_KEY_MAX)
		return;
	if (*pending_dash && *len > 0) {
		out[(*len)++] = '-';
		*pending_dash = false;
		if (*len >= SBX_NAME_KEY_MAX)
			return;
	}
	*pending_dash = false;
	out[(*len)++] = c;
}

int sbx_name_key(const char *name, char *out, size_t size)
{
	char key[SBX_NAME_KEY_MAX + 1];
	bool dash = false;
	size_t len = 0;

	if (size < SBX_NAME_KEY_SIZE)
		return XDR_ERANGE;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		const char *word = word_for((char)*p);

		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
			put(key, &len, &dash, (char)*p);
		} else if (*p >= 'A' && *p <= 'Z') {
			put(key, &len, &dash, (char)(*p - 'A' + 'a'));
		} else if (word) {
			dash = true;
			for (; *word; word++)
				put(key, &len, &dash, *word);
			dash = true;
		} else if (*p == '\'' || *p >= 0x80) {
			continue;
		} else {
			dash = true;
		}
	}
	while (len > 0 && key[len - 1] == '-')
		len--;
	key[len] = '\0';
	snprintf(out, size, "%s", len ? key : "field");
	return XDR_OK;
}

static bool is_taken(const char *key, const char *const *taken, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (taken[i] && !strcmp(taken[i], key))
			return true;
	return false;
}

int sbx_name_key_unique(const char *name, const char *const *taken,
                        size_t ntaken, char *out, size_t size)
{
	char base[SBX_NAME_KEY_SIZE];
	int rc = sbx_name_key(name, base, sizeof(base));

	if (rc != XDR_OK)
		return rc;
	snprintf(out, size, "%s", base);
	for (unsigned n = 2; is_taken(out, taken, ntaken); n++)
		snprintf(out, size, "%s-%u", base, n);
	return XDR_OK;
}
