/*
 * throttle.c - the back-off after failed logins: the first
 * XCON_THROTTLE_FREE failures in a row cost nothing (typos), then each
 * failure makes the next attempt wait twice as long as the last one did,
 * from 1 second up to XCON_THROTTLE_MAX. A guesser gets about 60 tries an
 * hour; a user who mistyped waits seconds.
 *
 * Pure: the caller gives the time.
 */
#include "config.h"

#include "auth.h"

int64_t xcon_throttle_wait(const struct xcon_throttle *t, int64_t now)
{
	return t->until > now ? t->until - now : 0;
}

void xcon_throttle_failed(struct xcon_throttle *t, int64_t now)
{
	unsigned over;
	int64_t wait;

	if (t->failures < UINT32_MAX)
		t->failures++;
	if (t->failures <= XCON_THROTTLE_FREE)
		return;
	over = t->failures - XCON_THROTTLE_FREE - 1; /* 0 for the first wait */
	wait = over < 16 ? (int64_t)1 << over : XCON_THROTTLE_MAX;
	if (wait > XCON_THROTTLE_MAX)
		wait = XCON_THROTTLE_MAX;
	t->until = now + wait;
}

void xcon_throttle_passed(struct xcon_throttle *t)
{
	t->failures = 0;
	t->until = 0;
}
