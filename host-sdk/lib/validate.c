/*
 * validate.c - the rules for what users type: names, e-mail addresses, MAC
 * addresses and the enumerations. Pure: no I/O.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "xdrhost.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* The trimmed part of s: *start and *len. */
static void trim(const char *s, const char **start, size_t *len)
{
	size_t n = strlen(s);

	while (n > 0 && is_space(*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space(s[n - 1]))
		n--;
	*start = s;
	*len = n;
}

/* C0, DEL and C1 (U+0080..U+009F, encoded 0xc2 0x80..0x9f). */
static bool has_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0; i < len; i++) {
		if (p[i] < 0x20 || p[i] == 0x7f)
			return true;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return true;
	}
	return false;
}

static int dup_out(const char *s, size_t len, char **out, struct xdr_err *err)
{
	char *copy = strndup(s, len);

	if (copy == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	*out = copy;
	return XDR_OK;
}

int xdr_text_check(const char *what, const char *in, size_t max_chars,
                   char **out, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	const char *s;
	size_t len, chars;

	if (in == NULL)
		return xdr_errf(err, XDR_EINVAL, "%s is missing", what);
	trim(in, &s, &len);
	if (len == 0)
		return xdr_errf(err, XDR_EINVAL, "%s must not be empty", what);
	if (!xdr_utf8_valid(s, len, &chars))
		return xdr_errf(err, XDR_EINVAL, "%s %s is not valid UTF-8",
		                what, xdr_quote(in, q, sizeof(q)));
	if (has_control(s, len))
		return xdr_errf(err, XDR_EINVAL,
		                "%s %s contains a control character", what,
		                xdr_quote(in, q, sizeof(q)));
	if (chars > max_chars)
		return xdr_errf(err, XDR_EINVAL,
		                "%s %s is longer than %zu characters", what,
		                xdr_quote(in, q, sizeof(q)), max_chars);
	return dup_out(s, len, out, err);
}

/* Why addr (len bytes, trimmed) is not an acceptable address, or NULL. */
static const char *email_problem(const char *addr, size_t len)
{
	const char *at = memchr(addr, '@', len);
	const char *domain;
	size_t dlen;

	if (len > 254)
		return "longer than 254 characters";
	for (size_t i = 0; i < len; i++)
		if (is_space(addr[i]) || (unsigned char)addr[i] < 0x20 ||
		    addr[i] == 0x7f)
			return "contains white space or a control character";
	if (!xdr_utf8_valid(addr, len, NULL))
		return "not valid UTF-8";
	if (at == NULL)
		return "no '@'";
	if (memchr(at + 1, '@', len - (size_t)(at - addr) - 1) != NULL)
		return "more than one '@'";
	if (at == addr)
		return "nothing before the '@'";
	domain = at + 1;
	dlen = len - (size_t)(domain - addr);
	if (dlen == 0)
		return "no domain after the '@'";
	if (memchr(domain, '.', dlen) == NULL)
		return "the domain has no dot";
	if (domain[0] == '.' || domain[dlen - 1] == '.')
		return "the domain starts or ends with a dot";
	for (size_t i = 0; i + 1 < dlen; i++)
		if (domain[i] == '.' && domain[i + 1] == '.')
			return "the domain has an empty label";
	return NULL;
}

int xdr_email_check(const char *in, char **out, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	const char *s, *problem;
	size_t len;

	if (in == NULL)
		return xdr_errf(err, XDR_EINVAL, "e-mail address is missing");
	trim(in, &s, &len);
	if (len == 0)
		return xdr_errf(err, XDR_EINVAL,
		                "e-mail address must not be empty");
	problem = email_problem(s, len);
	if (problem != NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "invalid e-mail address %s: %s",
		                xdr_quote(in, q, sizeof(q)), problem);
	return dup_out(s, len, out, err);
}

/*
 * Accept 12 hex digits, bare or split into equal groups of 2, 4 or 6 digits
 * by a single kind of separator: the notations of Windows, Linux and Cisco
 * ("18-5E-0F-ED-99-9A", "18:5e:0f:ed:99:9a", "185e.0fed.999a") and the
 * grouped-by-six one of some switches.
 */
static bool mac_parse(const char *s, size_t len, char canon[XDR_MAC_CANON_LEN])
{
	char sep = '\0';
	size_t digits = 0, group = 0, group_len = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (isxdigit((unsigned char)c)) {
			if (digits == 12)
				return false;
			canon[digits++] = (char)tolower((unsigned char)c);
			group++;
			continue;
		}
		if (c != ':' && c != '-' && c != '.')
			return false;
		if (sep != '\0' && c != sep)
			return false;
		if (group == 0) /* leading or doubled separator */
			return false;
		if (group_len != 0 && group != group_len)
			return false;
		sep = c;
		group_len = group;
		group = 0;
	}
	if (digits != 12)
		return false;
	if (sep != '\0') {
		if (group != group_len)
			return false;
		if (group_len != 2 && group_len != 4 && group_len != 6)
			return false;
	}
	canon[12] = '\0';
	return true;
}

int xdr_mac_check(const char *in, char **out, char canon[XDR_MAC_CANON_LEN],
                  struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	char c[XDR_MAC_CANON_LEN];
	const char *s;
	size_t len;

	if (in == NULL)
		return xdr_errf(err, XDR_EINVAL, "MAC address is missing");
	trim(in, &s, &len);
	if (!mac_parse(s, len, c))
		return xdr_errf(err, XDR_EINVAL,
		                "bad MAC %s (expected 12 hex digits, bare or "
		                "separated by ':', '-' or '.')",
		                xdr_quote(in, q, sizeof(q)));
	if (canon != NULL)
		memcpy(canon, c, sizeof(c));
	if (out != NULL)
		return dup_out(s, len, out, err);
	return XDR_OK;
}

int xdr_os_parse(const char *s, enum xdr_os *out)
{
	if (s == NULL)
		return XDR_EINVAL;
	if (strcmp(s, "windows") == 0)
		*out = XDR_OS_WINDOWS;
	else if (strcmp(s, "linux") == 0)
		*out = XDR_OS_LINUX;
	else if (strcmp(s, "other") == 0)
		*out = XDR_OS_OTHER;
	else
		return XDR_EINVAL;
	return XDR_OK;
}

const char *xdr_os_name(enum xdr_os os)
{
	switch (os) {
	case XDR_OS_WINDOWS:
		return "windows";
	case XDR_OS_LINUX:
		return "linux";
	case XDR_OS_OTHER:
		return "other";
	}
	return "other";
}

int xdr_sensor_parse(const char *s, enum xdr_sensor *out)
{
	if (s == NULL)
		return XDR_EINVAL;
	if (strcmp(s, "agent") == 0)
		*out = XDR_SENSOR_AGENT;
	else if (strcmp(s, "syslog") == 0)
		*out = XDR_SENSOR_SYSLOG;
	else
		return XDR_EINVAL;
	return XDR_OK;
}

const char *xdr_sensor_name(enum xdr_sensor sensor)
{
	switch (sensor) {
	case XDR_SENSOR_AGENT:
		return "agent";
	case XDR_SENSOR_SYSLOG:
		return "syslog";
	case XDR_SENSOR_OTHER:
		return "other";
	}
	return "other";
}

const char *xdr_severity_name(enum xdr_severity severity)
{
	switch (severity) {
	case XDR_SEVERITY_INFO:
		return "info";
	case XDR_SEVERITY_WARNING:
		return "warning";
	case XDR_SEVERITY_ERROR:
		return "error";
	case XDR_SEVERITY_CRITICAL:
		return "critical";
	}
	return NULL;
}

const char *xdr_log_level_name(enum xdr_log_level level)
{
	switch (level) {
	case XDR_LOG_ERROR:
		return "ERROR";
	case XDR_LOG_WARNING:
		return "WARNING";
	case XDR_LOG_INFO:
		return "INFO";
	case XDR_LOG_DEBUG:
		return "DEBUG";
	}
	return "DEBUG";
}
