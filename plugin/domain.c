/*
 * domain.c - e-mail domains and public mail providers (pure: no I/O).
 */
#include <config.h>

#include "domain.h"

#include <string.h>

#include <xdr/plugin.h>

#include "text.h"

#define DOMAIN_LEN_MAX 253
#define LABEL_LEN_MAX  63

/*
 * Free or consumer mail services whose domain is shared by unrelated
 * customers: the large international providers, their common regional
 * domains, and the big consumer ISPs whose addresses small businesses use.
 * Sorted, lower-case.
 */
static const char *const public_domains[] = {
        "126.com",       "163.com",        "aim.com",     "aol.com",
        "att.net",       "btinternet.com", "comcast.net", "cox.net",
        "fastmail.com",  "free.fr",        "gmail.com",   "gmx.at",
        "gmx.com",       "gmx.de",         "gmx.net",     "googlemail.com",
        "hey.com",       "hotmail.co.uk",  "hotmail.com", "hotmail.de",
        "hotmail.fr",    "hotmail.it",     "icloud.com",  "laposte.net",
        "libero.it",     "live.co.uk",     "live.com",    "live.de",
        "live.fr",       "mac.com",        "mail.com",    "mail.ru",
        "me.com",        "msn.com",        "orange.fr",   "outlook.com",
        "outlook.de",    "outlook.fr",     "pm.me",       "proton.me",
        "protonmail.ch", "protonmail.com", "qq.com",      "rocketmail.com",
        "sbcglobal.net", "sina.com",       "t-online.de", "tutanota.com",
        "verizon.net",   "web.de",         "yahoo.ca",    "yahoo.co.in",
        "yahoo.co.jp",   "yahoo.co.uk",    "yahoo.com",   "yahoo.com.au",
        "yahoo.com.br",  "yahoo.de",       "yahoo.es",    "yahoo.fr",
        "yahoo.it",      "yandex.com",     "yandex.ru",   "ymail.com",
        "zoho.com",
};

#define N_PUBLIC_DOMAINS (sizeof(public_domains) / sizeof(*public_domains))

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || (unsigned char)c >= 0x80;
}

/* Does D (LEN bytes of UTF-8) hold a character that breaks a line where
 * it is shown (a C1 control, U+2028, U+2029)? */
static bool has_line_break(const char *d, size_t len)
{
	for (size_t i = 0; i < len; i += itg_utf8_char(d + i, len - i))
		if (itg_line_break_len(d + i, len - i) > 0)
			return true;
	return false;
}

/* Labels of 1..63 label characters joined by single dots, at least two;
 * an international name is well-formed UTF-8 without line breaks. */
static bool valid_domain(const char *d, size_t len)
{
	size_t label = 0, dots = 0;

	if (len == 0 || len > DOMAIN_LEN_MAX || !itg_utf8_valid(d, len) ||
	    has_line_break(d, len))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (d[i] == '.') {
			if (label == 0)
				return false;
			dots++;
			label = 0;
		} else if (!is_label_char(d[i]) || ++label > LABEL_LEN_MAX) {
			return false;
		}
	}
	return label > 0 && dots > 0;
}

int itg_email_domain_span(const char *email, const char **start, size_t *len)
{
	const char *end, *at = NULL;

	*start = NULL;
	*len = 0;
	if (email == NULL)
		return XDR_EINVAL;
	while (is_blank(*email))
		email++;
	end = email + strlen(email);
	while (end > email && is_blank(end[-1]))
		end--;
	for (const char *c = email; c < end; c++) {
		if (*c == '@')
			at = c;
		else if (is_blank(*c) || (unsigned char)*c < 0x20)
			return XDR_EINVAL;
	}
	if (at == NULL || at == email)
		return XDR_EINVAL;
	at++;
	if (end > at && end[-1] == '.')
		end--;
	if (!valid_domain(at, (size_t)(end - at)))
		return XDR_EINVAL;
	*start = at;
	*len = (size_t)(end - at);
	return 0;
}

int itg_email_domain(const char *email, char *out, size_t size)
{
	const char *d;
	size_t len;

	if (out != NULL && size > 0)
		out[0] = '\0';
	if (itg_email_domain_span(email, &d, &len) != 0)
		return XDR_EINVAL;
	if (out == NULL || len >= size)
		return XDR_ERANGE;
	for (size_t i = 0; i < len; i++)
		out[i] = ascii_lower(d[i]);
	out[len] = '\0';
	return 0;
}

/* LEN bytes of S without one trailing dot. */
static size_t without_trailing_dot(const char *s)
{
	size_t len = strlen(s);

	return len > 0 && s[len - 1] == '.' ? len - 1 : len;
}

bool itg_domain_equal(const char *domain, const char *other)
{
	size_t a, b;

	if (domain == NULL || other == NULL)
		return false;
	if (other[0] == '@')
		other++;
	a = without_trailing_dot(domain);
	b = without_trailing_dot(other);
	if (a != b || a == 0)
		return false;
	for (size_t i = 0; i < a; i++) {
		if (ascii_lower(domain[i]) != ascii_lower(other[i]))
			return false;
	}
	return true;
}

static bool in_list(const char *domain, const char *const *list, size_t n)
{
	if (list == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (itg_domain_equal(domain, list[i]))
			return true;
	}
	return false;
}

bool itg_domain_is_public(const char *domain,
                          const struct itg_public_domains *cfg)
{
	if (domain == NULL)
		return false;
	if (cfg != NULL && in_list(domain, cfg->extra, cfg->n_extra))
		return true;
	if (!in_list(domain, public_domains, N_PUBLIC_DOMAINS))
		return false;
	return cfg == NULL ||
	       !in_list(domain, cfg->not_public, cfg->n_not_public);
}

size_t itg_public_domain_count(void)
{
	return N_PUBLIC_DOMAINS;
}

const char *itg_public_domain_at(size_t i)
{
	return i < N_PUBLIC_DOMAINS ? public_domains[i] : NULL;
}
