/*
 * ratelimit.c - sliding-window log: each key keeps the times of its last
 * LIMIT accepted requests in a ring, so the check is exact and costs O(1)
 * amortised, at LIMIT * 8 bytes per key.
 */
#include "config.h"

#include "ratelimit.h"

#include "digits.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

struct sbx_rate_key {
	struct sbx_rate_key *next;
	char *key;
	int64_t *times; /* ring of accepted request times */
	long head;      /* index of the oldest */
	long used;
};

int sbx_ratelimit_parse(const char *spec, long *limit, long *seconds)
{
	const char *slash = strchr(spec, '/');

	if (!slash || !sbx_parse_digits(spec, (size_t)(slash - spec), limit) ||
	    !sbx_parse_digits(slash + 1, strlen(slash + 1), seconds))
		return XDR_EINVAL;
	if (*limit < 1 || *limit > SBX_RATE_LIMIT_MAX || *seconds < 1 ||
	    *seconds > 86400)
		return XDR_EINVAL;
	return XDR_OK;
}

void sbx_ratelimit_init(struct sbx_ratelimit *r, long limit, long seconds)
{
	r->limit = limit;
	r->window_ms = (int64_t)seconds * 1000;
	r->keys = NULL;
}

void sbx_ratelimit_reset(struct sbx_ratelimit *r)
{
	while (r->keys) {
		struct sbx_rate_key *k = r->keys;

		r->keys = k->next;
		free(k->key);
		free(k->times);
		free(k);
	}
}

void sbx_ratelimit_free(struct sbx_ratelimit *r)
{
	sbx_ratelimit_reset(r);
}

static struct sbx_rate_key *find_or_add(struct sbx_ratelimit *r,
                                        const char *key)
{
	struct sbx_rate_key *k;

	for (k = r->keys; k; k = k->next)
		if (!strcmp(k->key, key))
			return k;
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->key = strdup(key);
	k->times = malloc((size_t)r->limit * sizeof(*k->times));
	if (!k->key || !k->times) {
		free(k->key);
		free(k->times);
		free(k);
		return NULL;
	}
	k->next = r->keys;
	r->keys = k;
	return k;
}

int sbx_ratelimit_take(struct sbx_ratelimit *r, const char *key, int64_t now_ms,
                       long *retry_after)
{
	struct sbx_rate_key *k = find_or_add(r, key);
	int64_t wait_ms;

	if (!k)
		return XDR_ENOMEM;
	/* Drop what has left the window (now - window, now]. */
	while (k->used && k->times[k->head] <= now_ms - r->window_ms) {
		k->head = (k->head + 1) % r->limit;
		k->used--;
	}
	if (k->used < r->limit) {
		k->times[(k->head + k->used) % r->limit] = now_ms;
		k->used++;
		return 1;
	}
	wait_ms = k->times[k->head] + r->window_ms - now_ms;
	*retry_after = (long)((wait_ms + 999) / 1000);
	if (*retry_after < 1)
		*retry_after = 1;
	return 0;
}
