/*
 * template.c - "%field%" substitution for event descriptions (pure).
 */
#include <config.h>

#include "template.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The output so far; with buf NULL, only the length is counted. */
struct out {
	char *buf;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->buf != NULL)
		o->buf[o->len] = c;
	o->len++;
}

static void put_value(struct out *o, const char *value)
{
	for (; value != NULL && *value != '\0'; value++) {
		unsigned char c = (unsigned char)*value;

		/* A quote in a name cannot close the template's quotes, so
		 * that the parsing rule reads the fields back as they are. */
		if (c == '\\' || c == '\'')
			put(o, '\\');
		put(o, c < 0x20 || c == 0x7f ? ' ' : (char)c);
	}
}

static void put_span(struct out *o, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		put(o, s[i]);
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Index of the name s[0..len) in names, or n if absent. */
static size_t find_name(const char *s, size_t len, const char *const names[],
                        size_t n)
{
	size_t i;

	for (i = 0; names != NULL && i < n; i++) {
		if (names[i] != NULL && strlen(names[i]) == len &&
		    memcmp(names[i], s, len) == 0)
			return i;
	}
	return n;
}

static void expand(struct out *o, const char *tmpl, const char *const names[],
                   const char *const values[], size_t n)
{
	const char *s = tmpl;
	size_t len;
	size_t i;

	while (*s != '\0') {
		if (s[0] != '%') {
			put(o, *s++);
			continue;
		}
		if (s[1] == '%') {
			put(o, '%');
			s += 2;
			continue;
		}
		len = 0;
		while (len <= ITG_TEMPLATE_NAME_MAX && is_name_char(s[1 + len]))
			len++;
		if (len == 0 || len > ITG_TEMPLATE_NAME_MAX ||
		    s[1 + len] != '%') {
			put(o, *s++);
			continue;
		}
		i = find_name(s + 1, len, names, n);
		if (i < n)
			put_value(o, values != NULL ? values[i] : NULL);
		else
			put_span(o, s, len + 2);
		s += len + 2;
	}
}

char *itg_template_expand(const char *tmpl, const char *const names[],
                          const char *const values[], size_t n)
{
	struct out o = {NULL, 0};

	if (tmpl == NULL)
		return NULL;
	expand(&o, tmpl, names, values, n);
	o.buf = malloc(o.len + 1);
	if (o.buf == NULL)
		return NULL;
	o.len = 0;
	expand(&o, tmpl, names, values, n);
	o.buf[o.len] = '\0';
	return o.buf;
}
