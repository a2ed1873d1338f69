/*
 * ratelimit.h - a token bucket per IT Glue instance (pure: no I/O, the clock
 * is passed in).
 *
 * IT Glue allows 3000 requests per 5 minutes per account. The bucket holds
 * `capacity` tokens and refills continuously at capacity/window, so the
 * sustained rate is the limit; the initial burst can still overshoot a
 * server's sliding window, which is why a 429 drains the bucket
 * (itg_rate_penalise).
 *
 * Not thread-safe: a bucket belongs to one client, which only the worker
 * thread uses.
 */
#ifndef ITG_RATELIMIT_H
#define ITG_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define ITG_RATE_DEFAULT_REQUESTS 3000
#define ITG_RATE_DEFAULT_WINDOW_S 300

struct itg_rate {
	int64_t level;     /* tokens * window_ms, so refills stay exact */
	int64_t max_level; /* capacity * window_ms */
	uint32_t capacity;
	uint32_t window_ms;
	int64_t last_ms;          /* when level was last brought up to date */
	int64_t blocked_until_ms; /* no token before this (Retry-After) */
};

/*
 * Start full: CAPACITY requests (1..1000000) per WINDOW_S seconds
 * (1..86400). Returns 0, or XDR_EINVAL for values out of range.
 */
int itg_rate_init(struct itg_rate *b, uint32_t capacity, uint32_t window_s,
                  int64_t now_ms);

/*
 * Take a token at NOW_MS: true if one was taken (*wait_ms 0); false with
 * *wait_ms, the time until one will be there. A clock that went backwards
 * counts as no time passed.
 */
bool itg_rate_acquire(struct itg_rate *b, int64_t now_ms, uint64_t *wait_ms);

/*
 * The server said 429: empty the bucket, and give no token for HOLD_MS
 * milliseconds (a Retry-After; 0 for none).
 */
void itg_rate_penalise(struct itg_rate *b, int64_t now_ms, uint64_t hold_ms);

#endif /* ITG_RATELIMIT_H */
