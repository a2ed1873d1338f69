/*
 * backoff.h - how long to wait before retrying a request (pure: no I/O).
 *
 * Full-jitter exponential back-off: before retry number n (0 for the first
 * retry) wait uniform(0, min(cap, base * 2^n)) milliseconds, the random
 * source injected so that tests are deterministic. A Retry-After from the
 * server is a floor: the wait is at least that long (bounded).
 */
#ifndef ITG_BACKOFF_H
#define ITG_BACKOFF_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define ITG_BACKOFF_BASE_MS           500
#define ITG_BACKOFF_CAP_MS            30000
#define ITG_BACKOFF_ATTEMPTS          6 /* requests sent at most, first included */
#define ITG_BACKOFF_RETRY_AFTER_MAX_S 300

struct itg_backoff {
	uint32_t base_ms;
	uint32_t cap_ms;
	unsigned int max_attempts;  /* >= 1 */
	uint32_t retry_after_max_s; /* a longer Retry-After is cut to this */
};

/* A uniformly distributed 32-bit value. */
typedef uint32_t (*itg_random_fn)(void *user);

/* The defaults above. */
void itg_backoff_defaults(struct itg_backoff *b);

/* May another attempt follow ATTEMPTS_MADE (>= 1) failed ones? */
bool itg_backoff_may_retry(const struct itg_backoff *b,
                           unsigned int attempts_made);

/*
 * The wait before retry RETRY (0-based) in milliseconds. RETRY_AFTER_S is the
 * server's Retry-After in seconds, or negative for none; it is cut to
 * retry_after_max_s and the result is at least that long.
 */
uint64_t itg_backoff_delay_ms(const struct itg_backoff *b, unsigned int retry,
                              int64_t retry_after_s, itg_random_fn random,
                              void *user);

/*
 * Parse a Retry-After value: delta-seconds ("120") or an HTTP-date (IMF-fixdate
 * "Sun, 06 Nov 1994 08:49:37 GMT", or the obsolete RFC 850 and asctime forms),
 * the latter relative to NOW (seconds since the epoch). Surrounding spaces are
 * allowed. Returns 0 and *seconds (a date in the past gives 0), or XDR_EINVAL.
 */
int itg_retry_after_parse(const char *value, time_t now, int64_t *seconds);

#endif /* ITG_BACKOFF_H */
