/*
 * ratelimit.h - a sliding-window request limit per API key. Pure: the
 * caller passes the time.
 */
#ifndef SBX_RATELIMIT_H
#define SBX_RATELIMIT_H

#include <stdint.h>

#define SBX_RATE_LIMIT_MAX 1000000L

struct sbx_rate_key;

struct sbx_ratelimit {
	long limit;        /* requests allowed ... */
	int64_t window_ms; /* ... within any window of this length */
	struct sbx_rate_key *keys;
};

/*
 * "N/SECONDS", N in 1..SBX_RATE_LIMIT_MAX, SECONDS in 1..86400.
 * XDR_OK or XDR_EINVAL.
 */
int sbx_ratelimit_parse(const char *spec, long *limit, long *seconds);

void sbx_ratelimit_init(struct sbx_ratelimit *r, long limit, long seconds);
/* Forgets every key's history. */
void sbx_ratelimit_reset(struct sbx_ratelimit *r);
void sbx_ratelimit_free(struct sbx_ratelimit *r);

/*
 * Counts a request of KEY at NOW_MS (monotonic). Returns 1 if it is within
 * the limit, 0 if not (then *RETRY_AFTER is the seconds until a slot frees,
 * at least 1), XDR_ENOMEM on failure. Refused requests do not count.
 */
int sbx_ratelimit_take(struct sbx_ratelimit *r, const char *key, int64_t now_ms,
                       long *retry_after);

#endif
