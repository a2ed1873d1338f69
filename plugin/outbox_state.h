/*
 * outbox_state.h - what happens to an outbox row after an attempt to
 * publish it (pure: no I/O). The store and the worker only apply the
 * decision.
 *
 * A row is pending (due at next_attempt), working (claimed by one process
 * until its lease ends), done, or failed. An attempt ends in success, a
 * retryable failure (429, 5xx, network, timeout...) or a permanent one (422,
 * 403, 404, too large...). A retryable failure is retried with full-jitter
 * back-off until the row has used max_attempts attempts or is older than
 * max_age; then, like a permanent failure, it fails for good and event 4022
 * says why. A success is event 4021. Each report gets one 4021 or one 4022
 * per outcome, never one per attempt.
 */
#ifndef ITG_OUTBOX_STATE_H
#define ITG_OUTBOX_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum itg_outbox_state {
	ITG_OUTBOX_PENDING = 0,
	ITG_OUTBOX_WORKING,
	ITG_OUTBOX_DONE,
	ITG_OUTBOX_FAILED
};

enum itg_attempt_outcome {
	ITG_ATTEMPT_SUCCESS = 0,
	ITG_ATTEMPT_RETRYABLE,
	ITG_ATTEMPT_PERMANENT
};

struct itg_outbox_policy {
	unsigned int max_attempts; /* attempts in all, >= 1 */
	int64_t max_age_s;         /* a row older than this is not retried */
	uint32_t backoff_base_ms;  /* first retry waits up to this */
	uint32_t backoff_cap_ms;   /* no wait is longer */
};

#define ITG_OUTBOX_POLICY_DEFAULT                                              \
	{                                                                      \
		8, 48 * 3600, 30 * 1000, 30 * 60 * 1000                        \
	}

struct itg_outbox_decision {
	enum itg_outbox_state state;
	int64_t next_attempt; /* pending: not before this time (seconds) */
	bool announce;        /* emit 4021 (done) or 4022 (failed) now */
	bool gave_up;         /* failed because attempts or age ran out */
};

/*
 * The row created at CREATED_AT has now made ATTEMPTS attempts (this one
 * included) and this one ended in OUTCOME at NOW. RETRY_AFTER_S is the
 * server's Retry-After (0: none), RANDOM a value in [0, 1) for the jitter.
 */
struct itg_outbox_decision
itg_outbox_decide(const struct itg_outbox_policy *policy,
                  enum itg_attempt_outcome outcome, unsigned int attempts,
                  int64_t created_at, int64_t now, int64_t retry_after_s,
                  double random);

const char *itg_outbox_state_name(enum itg_outbox_state state);
int itg_outbox_state_parse(const char *name, enum itg_outbox_state *out);

#endif /* ITG_OUTBOX_STATE_H */
