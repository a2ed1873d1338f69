/*
 * outbox_state.c - the outbox's decisions after an attempt (pure).
 */
#include <config.h>

#include "outbox_state.h"

#include <string.h>

#include <xdr/plugin.h>

static const char *const names[] = {"pending", "working", "done", "failed"};

const char *itg_outbox_state_name(enum itg_outbox_state state)
{
	return (unsigned)state < 4 ? names[state] : "?";
}

int itg_outbox_state_parse(const char *name, enum itg_outbox_state *out)
{
	for (int i = 0; name != NULL && i < 4; i++) {
		if (strcmp(names[i], name) == 0) {
			*out = (enum itg_outbox_state)i;
			return 0;
		}
	}
	return XDR_EINVAL;
}

/* Full jitter: a uniform wait in [0, min(cap, base * 2^(attempts-1))]. */
static int64_t backoff_s(const struct itg_outbox_policy *policy,
                         unsigned int attempts, double random)
{
	double ceiling = policy->backoff_base_ms;

	for (unsigned int i = 1;
	     i < attempts && ceiling < policy->backoff_cap_ms; i++)
		ceiling *= 2;
	if (ceiling > policy->backoff_cap_ms)
		ceiling = policy->backoff_cap_ms;
	if (random < 0)
		random = 0;
	if (random >= 1)
		random = 0.999999;
	/* At least a second, so that a row is never due again at once. */
	return 1 + (int64_t)(ceiling * random / 1000.0);
}

struct itg_outbox_decision
itg_outbox_decide(const struct itg_outbox_policy *policy,
                  enum itg_attempt_outcome outcome, unsigned int attempts,
                  int64_t created_at, int64_t now, int64_t retry_after_s,
                  double random)
{
	struct itg_outbox_decision d = {ITG_OUTBOX_FAILED, 0, true, false};
	int64_t wait;

	if (outcome == ITG_ATTEMPT_SUCCESS) {
		d.state = ITG_OUTBOX_DONE;
		return d;
	}
	if (outcome == ITG_ATTEMPT_PERMANENT)
		return d;
	wait = backoff_s(policy, attempts, random);
	if (retry_after_s > wait)
		wait = retry_after_s;
	if (attempts >= policy->max_attempts ||
	    now + wait - created_at > policy->max_age_s) {
		d.gave_up = true;
		return d;
	}
	d.state = ITG_OUTBOX_PENDING;
	d.next_attempt = now + wait;
	d.announce = false;
	return d;
}
