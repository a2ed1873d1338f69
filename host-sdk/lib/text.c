/*
 * text.c - UTF-8 and quoting of untrusted text for messages.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "xdrhost.h"

/* Bytes of the well-formed UTF-8 sequence at s, or 0 if there is none. */
static size_t utf8_seq_len(const unsigned char *s, size_t avail)
{
	size_t n = 0;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	if (n == 0 || n > avail)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates and code points past U+10FFFF. */
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

bool xdr_utf8_valid(const char *s, size_t len, size_t *chars)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t count = 0;

	for (size_t i = 0; i < len;) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 0)
			return false;
		i += n;
		count++;
	}
	if (chars != NULL)
		*chars = count;
	return true;
}

size_t xdr_line_break_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (p[0] == '\0')
		return 0;
	if (p[0] < 0x20 || p[0] == 0x7f)
		return 1;
	if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
		return 2;
	if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
		return 3;
	return 0;
}

void xdr_text_flatten(char *s)
{
	char *o = s;

	while (*s != '\0') {
		size_t n = xdr_line_break_len(s);

		if (n > 0) {
			*o++ = ' ';
			s += n;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

const char *xdr_quote(const char *s, char *buf, size_t size)
{
	static const size_t shown_max = 64;
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, i = 0, len;

	if (size < XDR_QUOTE_MAX) {
		if (size > 0)
			buf[0] = '\0';
		return buf;
	}
	if (s == NULL) {
		snprintf(buf, size, "(null)");
		return buf;
	}
	len = strlen(s);
	buf[o++] = '"';
	/* Each step writes at most 4 bytes; 5 stay for '"...' and the NUL. */
	while (i < len && i < shown_max && o + 4 + 5 <= size) {
		size_t n = utf8_seq_len(p + i, len - i);

		if (n == 1 && (p[i] < 0x20 || p[i] == 0x7f || p[i] == '"' ||
		               p[i] == '\\')) {
			if (p[i] == '"' || p[i] == '\\') {
				buf[o++] = '\\';
				buf[o++] = (char)p[i];
			} else {
				o += (size_t)snprintf(buf + o, size - o,
				                      "\\x%02x", p[i]);
			}
			i++;
		} else if (n == 0) {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x",
			                      p[i]);
			i++;
		} else {
			memcpy(buf + o, p + i, n);
			o += n;
			i += n;
		}
	}
	buf[o++] = '"';
	if (i < len) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
