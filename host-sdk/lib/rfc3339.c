/*
 * rfc3339.c - RFC 3339 timestamps to and from seconds since the epoch.
 * Pure calendar arithmetic (proleptic Gregorian), so it needs neither the
 * time zone database nor timegm().
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "xdrhost.h"

/* Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30,
	                             31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* n decimal digits at *p into *out, advancing *p. */
static bool digits(const char **p, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* The reason s is not a timestamp, or NULL with *out set. */
static const char *parse(const char *s, int64_t *out)
{
	const char *p = s;
	int year, mon, day, hour, min, sec, off = 0;

	if (!digits(&p, 4, &year) || !expect(&p, '-') || !digits(&p, 2, &mon) ||
	    !expect(&p, '-') || !digits(&p, 2, &day))
		return "expected a date YYYY-MM-DD";
	if (*p != 'T' && *p != 't' && *p != ' ')
		return "expected 'T' after the date";
	p++;
	if (!digits(&p, 2, &hour) || !expect(&p, ':') || !digits(&p, 2, &min) ||
	    !expect(&p, ':') || !digits(&p, 2, &sec))
		return "expected a time HH:MM:SS";
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return "expected digits after '.'";
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om;

		p++;
		if (!digits(&p, 2, &oh) || !expect(&p, ':') ||
		    !digits(&p, 2, &om))
			return "expected an offset +HH:MM or -HH:MM";
		if (oh > 23 || om > 59)
			return "offset out of range";
		off = sign * (oh * 3600 + om * 60);
	} else {
		return "expected 'Z' or an offset such as +02:00";
	}
	if (*p != '\0')
		return "unexpected text after the offset";
	if (mon < 1 || mon > 12)
		return "month out of range";
	if (day < 1 || day > days_in_month(year, mon))
		return "day out of range";
	if (hour > 23)
		return "hour out of range";
	if (min > 59)
		return "minute out of range";
	if (sec > 60) /* 60: a leap second */
		return "second out of range";
	*out = days_from_civil(year, mon, day) * 86400 + hour * 3600 +
	       min * 60 + sec - off;
	return NULL;
}

int xdr_rfc3339_parse(const char *s, int64_t *out, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	const char *problem;
	int64_t t;

	if (s == NULL)
		return xdr_errf(err, XDR_EINVAL, "time is missing");
	problem = parse(s, &t);
	if (problem != NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "invalid time %s: %s (RFC 3339, e.g. "
		                "2026-01-01T06:00:00Z)",
		                xdr_quote(s, q, sizeof(q)), problem);
	*out = t;
	return XDR_OK;
}

void xdr_rfc3339_format(int64_t t, char buf[XDR_RFC3339_MAX])
{
	int64_t days = t / 86400, secs = t % 86400, y;
	int m, d;

	if (secs < 0) {
		secs += 86400;
		days--;
	}
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, XDR_RFC3339_MAX, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
	         (long long)y, m, d, (int)(secs / 3600), (int)(secs / 60 % 60),
	         (int)(secs % 60));
}
