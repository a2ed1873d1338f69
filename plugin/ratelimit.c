/*
 * ratelimit.c - a token bucket per IT Glue instance (pure: no I/O).
 */
#include <config.h>

#include "ratelimit.h"

#include <xdr/plugin.h>

#define MAX_CAPACITY 1000000
#define MAX_WINDOW_S 86400

int itg_rate_init(struct itg_rate *b, uint32_t capacity, uint32_t window_s,
                  int64_t now_ms)
{
	if (capacity < 1 || capacity > MAX_CAPACITY || window_s < 1 ||
	    window_s > MAX_WINDOW_S)
		return XDR_EINVAL;
	b->capacity = capacity;
	b->window_ms = window_s * 1000;
	b->max_level = (int64_t)capacity * b->window_ms;
	b->level = b->max_level;
	b->last_ms = now_ms;
	b->blocked_until_ms = INT64_MIN;
	return 0;
}

/* Each millisecond adds `capacity` units; one token is window_ms units. */
static void refill(struct itg_rate *b, int64_t now_ms)
{
	int64_t elapsed = now_ms - b->last_ms;

	if (elapsed <= 0)
		return;
	b->last_ms = now_ms;
	if (elapsed >= (int64_t)b->window_ms) {
		b->level = b->max_level;
		return;
	}
	b->level += elapsed * b->capacity;
	if (b->level > b->max_level)
		b->level = b->max_level;
}

bool itg_rate_acquire(struct itg_rate *b, int64_t now_ms, uint64_t *wait_ms)
{
	int64_t missing;

	if (now_ms < b->blocked_until_ms) {
		*wait_ms = (uint64_t)(b->blocked_until_ms - now_ms);
		return false;
	}
	refill(b, now_ms);
	if (b->level >= (int64_t)b->window_ms) {
		b->level -= b->window_ms;
		*wait_ms = 0;
		return true;
	}
	missing = (int64_t)b->window_ms - b->level;
	*wait_ms = (uint64_t)((missing + b->capacity - 1) / b->capacity);
	return false;
}

void itg_rate_penalise(struct itg_rate *b, int64_t now_ms, uint64_t hold_ms)
{
	int64_t until = now_ms + (int64_t)hold_ms;

	refill(b, now_ms);
	b->level = 0;
	if (until > b->blocked_until_ms) {
		b->blocked_until_ms = until;
		/* The bucket refills only after the hold. */
		if (until > b->last_ms)
			b->last_ms = until;
	}
}
