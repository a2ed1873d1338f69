/*
 * backoff.c - how long to wait before retrying a request (pure: no I/O).
 */
#include <config.h>

#include "backoff.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

#include "civil.h"

void itg_backoff_defaults(struct itg_backoff *b)
{
	b->base_ms = ITG_BACKOFF_BASE_MS;
	b->cap_ms = ITG_BACKOFF_CAP_MS;
	b->max_attempts = ITG_BACKOFF_ATTEMPTS;
	b->retry_after_max_s = ITG_BACKOFF_RETRY_AFTER_MAX_S;
}

bool itg_backoff_may_retry(const struct itg_backoff *b,
                           unsigned int attempts_made)
{
	return attempts_made < b->max_attempts;
}

uint64_t itg_backoff_delay_ms(const struct itg_backoff *b, unsigned int retry,
                              int64_t retry_after_s, itg_random_fn random,
                              void *user)
{
	uint64_t ceiling = b->base_ms, delay, floor_ms;
	unsigned int i;

	/* Doubling stops at the cap, so no shift can overflow. */
	for (i = 0; i < retry && ceiling < b->cap_ms; i++)
		ceiling *= 2;
	if (ceiling > b->cap_ms)
		ceiling = b->cap_ms;
	/* uniform(0, ceiling), both ends included, without modulo bias
	 * worth the name: scale a 32-bit draw. */
	delay = random != NULL ? ((uint64_t)random(user) * (ceiling + 1)) >> 32
	                       : ceiling;
	if (retry_after_s >= 0) {
		if ((uint64_t)retry_after_s > b->retry_after_max_s)
			retry_after_s = b->retry_after_max_s;
		floor_ms = (uint64_t)retry_after_s * 1000;
		if (delay < floor_ms)
			delay = floor_ms;
	}
	return delay;
}

static int month_number(const char *name)
{
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr",
	                                     "May", "Jun", "Jul", "Aug",
	                                     "Sep", "Oct", "Nov", "Dec"};
	int i;

	for (i = 0; i < 12; i++)
		if (strcmp(name, months[i]) == 0)
			return i + 1;
	return 0;
}

static bool only_spaces(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0';
}

/* An HTTP-date (RFC 9110, 5.6.7) into seconds since the epoch. */
static int parse_http_date(const char *v, int64_t *epoch)
{
	char wday[10], mon[4];
	int d, y, hh, mm, ss, n = -1, m;

	int fields;

	/* IMF-fixdate, the form servers send today. */
	fields = sscanf(v, "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n",
	                wday, &d, mon, &y, &hh, &mm, &ss, &n);
	if (fields != 7 || n < 0) {
		/* RFC 850, with a two-digit year. */
		n = -1;
		fields = sscanf(
		        v, "%9[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n",
		        wday, &d, mon, &y, &hh, &mm, &ss, &n);
		if (fields == 7 && n >= 0)
			y += y < 70 ? 2000 : 1900;
	}
	if (fields != 7 || n < 0) {
		/* asctime */
		n = -1;
		fields =
		        sscanf(v, "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n",
		               wday, mon, &d, &hh, &mm, &ss, &y, &n);
	}
	if (fields != 7 || n < 0)
		return XDR_EINVAL;
	m = month_number(mon);
	if (!only_spaces(v + n) || m == 0 || d < 1 || d > 31 || y < 1970 ||
	    hh > 23 || mm > 59 || ss > 60 || hh < 0 || mm < 0 || ss < 0)
		return XDR_EINVAL;
	*epoch =
	        itg_days_from_civil(y, m, d) * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}

int itg_retry_after_parse(const char *value, time_t now, int64_t *seconds)
{
	const char *p;
	int64_t n = 0, when;

	if (value == NULL)
		return XDR_EINVAL;
	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		for (p = value; isdigit((unsigned char)*p); p++) {
			/* Anything beyond a year is as good as forever. */
			if (n < 100000000)
				n = n * 10 + (*p - '0');
		}
		if (!only_spaces(p))
			return XDR_EINVAL;
		*seconds = n;
		return 0;
	}
	if (parse_http_date(value, &when) != 0)
		return XDR_EINVAL;
	*seconds = when > (int64_t)now ? when - (int64_t)now : 0;
	return 0;
}
