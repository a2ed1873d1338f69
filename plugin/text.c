/*
 * text.c - text from outside made fit to show: one line, well-formed
 * UTF-8, bounded, never cut inside a character (pure).
 */
#include <config.h>

#include "text.h"

#include <stdlib.h>
#include <string.h>

#define ELLIPSIS "..."

/* Bytes a character led by C takes, or 0 when C leads none. */
static size_t lead_length(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

size_t itg_utf8_char(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (avail == 0)
		return 0;
	n = lead_length(p[0]);
	if (n == 0 || n > avail)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	/* Overlong forms, surrogates, and code points past U+10FFFF. */
	if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) ||
	    (p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
		return 0;
	return n;
}

bool itg_utf8_valid(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t n = itg_utf8_char(s + i, len - i);

		if (n == 0)
			return false;
		i += n;
	}
	return true;
}

void itg_utf8_trim_cut(char *s)
{
	size_t len = strlen(s), start = len;

	/* The start of the last character: back over continuation bytes. */
	while (start > 0 && len - start < 4 &&
	       ((unsigned char)s[start - 1] & 0xc0) == 0x80)
		start--;
	if (start == 0)
		return;
	start--;
	if (lead_length((unsigned char)s[start]) > len - start)
		s[start] = '\0';
}

bool itg_text_copy(char *dst, size_t size, const char *src)
{
	size_t len = src != NULL ? strlen(src) : 0;

	if (dst == NULL || size == 0)
		return len > 0;
	if (len < size) {
		memcpy(dst, src != NULL ? src : "", len + 1);
		return false;
	}
	len = size - 1;
	while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
		len--;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return true;
}

size_t itg_line_break_len(const char *s, size_t avail)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = itg_utf8_char(s, avail);

	/* C0 and DEL; C1 (U+0080..U+009F, NEL among them); U+2028, U+2029. */
	if ((n == 1 && (p[0] < 0x20 || p[0] == 0x7f)) ||
	    (n == 2 && p[0] == 0xc2 && p[1] <= 0x9f) ||
	    (n == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	     (p[2] == 0xa8 || p[2] == 0xa9)))
		return n;
	return 0;
}

size_t itg_text_unit(const char *s, size_t avail, const char **out,
                     size_t *out_len)
{
	size_t n = itg_utf8_char(s, avail);

	if (n == 0) {
		*out = ITG_TEXT_REPLACEMENT;
		*out_len = sizeof(ITG_TEXT_REPLACEMENT) - 1;
		return 1;
	}
	if (itg_line_break_len(s, avail) > 0) {
		*out = " ";
		*out_len = 1;
		return n;
	}
	*out = s;
	*out_len = n;
	return n;
}

/* Bytes itg_text_line() makes of S whole. */
static size_t line_length(const char *s, size_t len)
{
	size_t total = 0, used, n;
	const char *u;

	for (size_t i = 0; i < len; i += used) {
		used = itg_text_unit(s + i, len - i, &u, &n);
		total += n;
	}
	return total;
}

bool itg_text_line(char *dst, size_t size, const char *src)
{
	size_t len, room, o = 0, used, n;
	bool cut;

	if (dst == NULL || size == 0)
		return false;
	if (src == NULL)
		src = "";
	len = strlen(src);
	cut = line_length(src, len) > size - 1;
	room = size - 1;
	if (cut && room >= sizeof(ELLIPSIS) - 1)
		room -= sizeof(ELLIPSIS) - 1;
	for (size_t i = 0; i < len; i += used) {
		const char *u;

		used = itg_text_unit(src + i, len - i, &u, &n);
		if (o + n > room)
			break;
		memcpy(dst + o, u, n);
		o += n;
	}
	if (cut && o + sizeof(ELLIPSIS) - 1 <= size - 1) {
		memcpy(dst + o, ELLIPSIS, sizeof(ELLIPSIS) - 1);
		o += sizeof(ELLIPSIS) - 1;
	}
	dst[o] = '\0';
	return cut;
}

char *itg_text_line_dup(const char *src, size_t max)
{
	size_t need = src != NULL ? line_length(src, strlen(src)) : 0;
	char *out;

	if (need > max)
		need = max;
	out = malloc(need + 1);
	if (out != NULL)
		itg_text_line(out, need + 1, src);
	return out;
}

char *itg_utf8_repair(const char *src)
{
	size_t len = src != NULL ? strlen(src) : 0, need = 0, o = 0, n;
	char *out;

	for (size_t i = 0; i<len; i += n> 0 ? n : 1) {
		n = itg_utf8_char(src + i, len - i);
		need += n > 0 ? n : sizeof(ITG_TEXT_REPLACEMENT) - 1;
	}
	out = malloc(need + 1);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i<len; i += n> 0 ? n : 1) {
		n = itg_utf8_char(src + i, len - i);
		if (n > 0) {
			memcpy(out + o, src + i, n);
			o += n;
		} else {
			memcpy(out + o, ITG_TEXT_REPLACEMENT,
			       sizeof(ITG_TEXT_REPLACEMENT) - 1);
			o += sizeof(ITG_TEXT_REPLACEMENT) - 1;
		}
	}
	out[o] = '\0';
	return out;
}
