/*
 * kp_parse.c - the parsing rule's matcher: an event description template
 * ("Auto-map failed for group '%group%' ...") matched back against a text to
 * recover the fields. Fields match the shortest text that lets the rest of
 * the template match; the last field of a template takes what is left. In
 * an escaped rule every value has its backslashes and single quotes behind
 * a backslash: a value then never ends inside an escape, so a name holding
 * the template's own words (' (e-mail domain ') cannot end its field early,
 * and the values are read back without the escapes.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "internal.h"

#define MAX_SEGMENTS 64
#define MAX_STEPS    100000 /* bounds backtracking on hostile text */

struct segment {
	bool field;
	bool digits;       /* a field whose value is one or more ASCII digits */
	const char *start; /* into the template */
	size_t len;        /* of the literal text or the field name */
};

struct matcher {
	struct segment seg[MAX_SEGMENTS];
	size_t n;
	const char *text;
	bool escaped;
	size_t cap_start[MAX_SEGMENTS];
	size_t cap_len[MAX_SEGMENTS];
	unsigned long steps;
};

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

/* Split tmpl into segments; "%%" stays in a literal as two characters and is
 * compared as one '%'. */
static int split(const char *tmpl, struct matcher *m, struct xdr_err *err)
{
	const char *p = tmpl;

	m->n = 0;
	while (*p) {
		struct segment *s;

		if (m->n == MAX_SEGMENTS)
			return xdr_errf(err, XDR_EINVAL,
			                "template has too many parts");
		s = &m->seg[m->n];
		if (p[0] == '%' && p[1] != '%') {
			size_t n = 0;

			while (name_char(p[1 + n]))
				n++;
			if (n == 0 || p[1 + n] != '%')
				return xdr_errf(
				        err, XDR_EINVAL,
				        "template: a '%%' opens no "
				        "%%field%% (write %%%% for a %%)");
			if (m->n > 0 && m->seg[m->n - 1].field)
				return xdr_errf(err, XDR_EINVAL,
				                "template: two fields with no "
				                "text between them");
			for (size_t i = 0; i < m->n; i++)
				if (m->seg[i].field && m->seg[i].len == n &&
				    memcmp(m->seg[i].start, p + 1, n) == 0)
					return xdr_errf(err, XDR_EINVAL,
					                "template: field %.*s "
					                "twice",
					                (int)n, p + 1);
			*s = (struct segment){true, false, p + 1, n};
			p += n + 2;
		} else {
			const char *q = p;

			while (*q && !(q[0] == '%' && q[1] != '%'))
				q += q[0] == '%' ? 2 : 1;
			*s = (struct segment){false, false, p, (size_t)(q - p)};
			p = q;
		}
		m->n++;
	}
	return XDR_OK;
}

int xdr_kp_template_check(const char *tmpl, struct xdr_err *err)
{
	struct matcher m;

	if (tmpl == NULL || tmpl[0] == '\0')
		return xdr_errf(err, XDR_EINVAL, "template is empty");
	return split(tmpl, &m, err);
}

/* Does literal segment s match text at pos? *used receives its length in
 * the text. */
static bool literal_at(const struct segment *s, const char *text, size_t pos,
                       size_t *used)
{
	size_t i = 0, j = pos;

	while (i < s->len) {
		if (text[j] == '\0' || text[j] != s->start[i])
			return false;
		i += s->start[i] == '%' ? 2 : 1;
		j++;
	}
	*used = j - pos;
	return true;
}

static bool value_ok(const struct segment *s, const char *v, size_t len)
{
	if (!s->digits)
		return true;
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (v[i] < '0' || v[i] > '9')
			return false;
	return true;
}

/* Does V (LEN bytes) end outside an escape (no lone backslash last)? */
static bool escapes_whole(const char *v, size_t len)
{
	size_t i = 0;

	while (i < len)
		i += v[i] == '\\' ? 2 : 1;
	return i == len;
}

/* Bytes from AT to the next place a value may end: past a whole escape. */
static size_t step(const struct matcher *m, size_t at)
{
	return m->escaped && m->text[at] == '\\' && m->text[at + 1] != '\0' ? 2
	                                                                    : 1;
}

/* 1: matched, 0: not, -1: too many steps. */
static int match_from(struct matcher *m, size_t k, size_t pos)
{
	size_t used, end;

	if (++m->steps > MAX_STEPS)
		return -1;
	if (k == m->n)
		return m->text[pos] == '\0';
	if (!m->seg[k].field) {
		if (!literal_at(&m->seg[k], m->text, pos, &used))
			return 0;
		return match_from(m, k + 1, pos + used);
	}
	m->cap_start[k] = pos;
	if (k + 1 == m->n) {
		m->cap_len[k] = strlen(m->text + pos);
		return value_ok(&m->seg[k], m->text + pos, m->cap_len[k]) &&
		       (!m->escaped ||
		        escapes_whole(m->text + pos, m->cap_len[k]));
	}
	/* The next segment is a literal: try each place it occurs, never
	 * inside an escape. */
	for (end = pos;; end += step(m, end)) {
		if (!value_ok(&m->seg[k], m->text + pos, end - pos) &&
		    end > pos)
			return 0;
		if (literal_at(&m->seg[k + 1], m->text, end, &used) &&
		    value_ok(&m->seg[k], m->text + pos, end - pos)) {
			int r;

			m->cap_len[k] = end - pos;
			r = match_from(m, k + 2, end + used);
			if (r != 0)
				return r;
		}
		if (m->text[end] == '\0')
			return 0;
	}
}

/* In place: "\x" becomes "x". */
static void unescape(char *v)
{
	char *o = v;

	for (; *v != '\0'; v++) {
		if (*v == '\\' && v[1] != '\0')
			v++;
		*o++ = *v;
	}
	*o = '\0';
}

static int capture(const struct matcher *m, struct xdr_kp_fields *out,
                   struct xdr_err *err)
{
	size_t n = 0;

	for (size_t k = 0; k < m->n; k++)
		n += m->seg[k].field;
	out->items = calloc(n > 0 ? n : 1, sizeof(*out->items));
	out->n = 0;
	if (out->items == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	for (size_t k = 0; k < m->n; k++) {
		struct xdr_kp_field *f;

		if (!m->seg[k].field)
			continue;
		f = &out->items[out->n++];
		f->name = strndup(m->seg[k].start, m->seg[k].len);
		f->value = strndup(m->text + m->cap_start[k], m->cap_len[k]);
		if (m->escaped && f->value != NULL)
			unescape(f->value);
		if (f->name == NULL || f->value == NULL) {
			xdr_kp_fields_free(out);
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		}
	}
	return XDR_OK;
}

static void mark_digits(struct matcher *m, const char *const *digits, size_t n)
{
	for (size_t k = 0; k < m->n; k++)
		for (size_t i = 0; m->seg[k].field && i < n; i++)
			if (strlen(digits[i]) == m->seg[k].len &&
			    memcmp(digits[i], m->seg[k].start, m->seg[k].len) ==
			            0)
				m->seg[k].digits = true;
}

int xdr_kp_template_match(const char *tmpl, const char *text,
                          const char *const *digits, size_t n_digits,
                          bool escaped, struct xdr_kp_fields *out,
                          struct xdr_err *err)
{
	struct matcher *m;
	int rc, r;

	if (tmpl == NULL || text == NULL)
		return xdr_errf(err, XDR_EINVAL, "no template or no text");
	m = calloc(1, sizeof(*m));
	if (m == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	rc = split(tmpl, m, err);
	if (rc == XDR_OK) {
		mark_digits(m, digits, n_digits);
		m->text = text;
		m->escaped = escaped;
		r = match_from(m, 0, 0);
		if (r == 1)
			rc = capture(m, out, err);
		else if (r == 0)
			rc = xdr_errf(err, XDR_ENOTFOUND,
			              "the text does not match the template");
		else
			rc = xdr_errf(err, XDR_ERANGE,
			              "the text is too ambiguous to match");
	}
	free(m);
	return rc;
}

void xdr_kp_fields_free(struct xdr_kp_fields *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->items[i].name);
		free(f->items[i].value);
	}
	free(f->items);
	f->items = NULL;
	f->n = 0;
}

int xdr_kp_rule_apply(const char *rule_body, uint32_t event_id,
                      const char *text, struct xdr_kp_fields *out,
                      struct xdr_err *err)
{
	struct json_object *root, *rules, *digits = NULL, *escaped = NULL;
	const char *tmpl = NULL, *names[XDR_EVENT_MAX_FIELDS];
	size_t n_names = 0;
	int rc = xdr_json_parse(rule_body, strlen(rule_body), 8, &root, err);

	if (rc != XDR_OK)
		return rc;
	if (json_object_object_get_ex(root, "rules", &rules) &&
	    json_object_is_type(rules, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(rules); i++) {
			struct json_object *r =
			        json_object_array_get_idx(rules, i);
			struct json_object *id, *t;

			if (json_object_object_get_ex(r, "event_id", &id) &&
			    json_object_get_int64(id) == (int64_t)event_id &&
			    json_object_object_get_ex(r, "template", &t)) {
				tmpl = json_object_get_string(t);
				json_object_object_get_ex(r, "digits", &digits);
				json_object_object_get_ex(r, "escaped",
				                          &escaped);
				break;
			}
		}
	}
	if (tmpl == NULL)
		rc = xdr_errf(err, XDR_ENOTFOUND,
		              "the parsing rule has no template for event %u",
		              (unsigned)event_id);
	for (size_t i = 0;
	     digits != NULL && json_object_is_type(digits, json_type_array) &&
	     i < json_object_array_length(digits) &&
	     n_names < XDR_EVENT_MAX_FIELDS;
	     i++)
		names[n_names++] = json_object_get_string(
		        json_object_array_get_idx(digits, i));
	if (tmpl != NULL)
		rc = xdr_kp_template_match(
		        tmpl, text, names, n_names,
		        json_object_is_type(escaped, json_type_boolean) &&
		                json_object_get_boolean(escaped),
		        out, err);
	json_object_put(root);
	return rc;
}
