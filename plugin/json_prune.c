/*
 * json_prune.c - a copy of a JSON:API document without the attributes its
 * reader does not use (pure: no I/O).
 *
 * One pass, recursive descent over the bytes: it checks the whole text as
 * strictly as json-c's strict mode does (so that nothing wrong hides in
 * what it leaves out), copies spans of the text as they are, and rebuilds
 * only the "attributes" objects, from the members kept.
 */
#include <config.h>

#include "json_prune.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

struct pruner {
	const unsigned char *p, *end;
	const unsigned char *copied; /* the text before it is in out */
	char *out;
	size_t n;
	const char *const *keep;
	unsigned depth, max_depth;
};

static void emit(struct pruner *s, const unsigned char *from,
                 const unsigned char *to)
{
	memcpy(s->out + s->n, from, (size_t)(to - from));
	s->n += (size_t)(to - from);
}

static void skip_space(struct pruner *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' ||
	                         *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	       (c >= 'A' && c <= 'F');
}

static bool is_tail(const unsigned char *p, const unsigned char *end, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p + i >= end || (p[i] & 0xC0) != 0x80)
			return false;
	return true;
}

/* The length of the well-formed UTF-8 sequence at P (its first byte is
 * 0x80 or over), or 0: no overlong forms, no surrogates, nothing over
 * U+10FFFF (the Unicode standard's table 3-7). */
static size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
	unsigned char c = p[0], second = p + 1 < end ? p[1] : 0;

	if (c >= 0xC2 && c <= 0xDF)
		return is_tail(p + 1, end, 1) ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((c == 0xE0 && second < 0xA0) ||
		    (c == 0xED && second > 0x9F))
			return 0;
		return is_tail(p + 1, end, 2) ? 3 : 0;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((c == 0xF0 && second < 0x90) ||
		    (c == 0xF4 && second > 0x8F))
			return 0;
		return is_tail(p + 1, end, 3) ? 4 : 0;
	}
	return 0;
}

/* The string whose opening quote is at s->p; *escaped tells whether it
 * holds an escape. */
static bool string(struct pruner *s, bool *escaped)
{
	const unsigned char *p = s->p + 1, *end = s->end;

	for (;;) {
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		       *p != '\\')
			p++;
		if (p >= end || *p < 0x20)
			return false;
		if (*p == '"') {
			s->p = p + 1;
			return true;
		}
		if (*p == '\\') {
			*escaped = true;
			if (++p >= end)
				return false;
			if (*p == 'u') {
				if (end - p < 5 || !is_hex(p[1]) ||
				    !is_hex(p[2]) || !is_hex(p[3]) ||
				    !is_hex(p[4]))
					return false;
				p += 5;
			} else if (strchr("\"\\/bfnrt", *p) != NULL && *p) {
				p++;
			} else {
				return false;
			}
			continue;
		}
		size_t n = utf8_length(p, end);

		if (n == 0)
			return false;
		p += n;
	}
}

static bool digits(struct pruner *s)
{
	const unsigned char *start = s->p;

	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool number(struct pruner *s)
{
	if (*s->p == '-')
		s->p++;
	if (s->p >= s->end)
		return false;
	if (*s->p == '0')
		s->p++;
	else if (!digits(s))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!digits(s))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!digits(s))
			return false;
	}
	return true;
}

static bool literal(struct pruner *s, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* NAME (the bytes between the quotes) is one of KEEP. */
static bool kept(const char *const *keep, const unsigned char *name, size_t len)
{
	for (; *keep != NULL; keep++)
		if (strlen(*keep) == len && memcmp(*keep, name, len) == 0)
			return true;
	return false;
}

static bool value(struct pruner *s, bool check_only, bool prune);

static const unsigned char comma[] = ",", brace[] = "}";

/* The object at s->p. CHECK_ONLY: it is inside a pruned object, whose
 * members are copied whole. PRUNE: rebuild it from the members kept. */
static bool object(struct pruner *s, bool check_only, bool prune)
{
	size_t n_kept = 0;

	if (++s->depth > s->max_depth)
		return false;
	if (prune) {
		emit(s, s->copied, s->p + 1);
		s->copied = s->p + 1;
	}
	s->p++;
	skip_space(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
	} else {
		for (;;) {
			const unsigned char *name;
			bool escaped = false, attributes;
			size_t name_len;

			skip_space(s);
			if (s->p >= s->end || *s->p != '"')
				return false;
			name = s->p;
			if (!string(s, &escaped))
				return false;
			name_len = (size_t)(s->p - name) - 2;
			attributes = !escaped && name_len == 10 &&
			             memcmp(name + 1, "attributes", 10) == 0;
			skip_space(s);
			if (s->p >= s->end || *s->p != ':')
				return false;
			s->p++;
			skip_space(s);
			if (!value(s, check_only || prune,
			           attributes && !check_only && !prune))
				return false;
			if (prune &&
			    (escaped || kept(s->keep, name + 1, name_len))) {
				if (n_kept++ > 0)
					emit(s, comma, comma + 1);
				emit(s, name, s->p);
			}
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == '}') {
				s->p++;
				break;
			}
			return false;
		}
	}
	if (prune) {
		emit(s, brace, brace + 1);
		s->copied = s->p;
	}
	s->depth--;
	return true;
}

static bool array(struct pruner *s, bool check_only)
{
	if (++s->depth > s->max_depth)
		return false;
	s->p++;
	skip_space(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
	} else {
		for (;;) {
			if (!value(s, check_only, false))
				return false;
			skip_space(s);
			if (s->p < s->end && *s->p == ',') {
				s->p++;
				continue;
			}
			if (s->p < s->end && *s->p == ']') {
				s->p++;
				break;
			}
			return false;
		}
	}
	s->depth--;
	return true;
}

static bool value(struct pruner *s, bool check_only, bool prune)
{
	bool escaped = false;

	skip_space(s);
	if (s->p >= s->end)
		return false;
	switch (*s->p) {
	case '{':
		return object(s, check_only, prune);
	case '[':
		return array(s, check_only);
	case '"':
		return string(s, &escaped);
	case 't':
		return literal(s, "true");
	case 'f':
		return literal(s, "false");
	case 'n':
		return literal(s, "null");
	default:
		if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
			return number(s);
		return false;
	}
}

int itg_json_prune(const char *text, size_t len, const char *const *keep,
                   unsigned max_depth, char **out, size_t *out_len)
{
	struct pruner s;

	if (out != NULL)
		*out = NULL;
	if (out_len != NULL)
		*out_len = 0;
	if (text == NULL || keep == NULL || out == NULL || out_len == NULL ||
	    len == SIZE_MAX)
		return XDR_EINVAL;
	memset(&s, 0, sizeof(s));
	s.out = malloc(len + 1);
	if (s.out == NULL)
		return XDR_ENOMEM;
	s.p = s.copied = (const unsigned char *)text;
	s.end = s.p + len;
	s.keep = keep;
	s.max_depth = max_depth;
	if (!value(&s, false, false) || (skip_space(&s), s.p != s.end)) {
		free(s.out);
		return XDR_EINVAL;
	}
	emit(&s, s.copied, s.end);
	s.out[s.n] = '\0';
	*out = s.out;
	*out_len = s.n;
	return 0;
}
