/*
 * outbox_store.h - the outbox in the plugin's store: one row per report to
 * publish, claimed by one process at a time.
 *
 * Two host processes may share the plugin's state. A row is claimed
 * atomically (one IMMEDIATE transaction) with a lease naming the claiming
 * process; a lease that ran out, or whose process is gone from this
 * machine, may be claimed again. Everything IT Glue confirmed (the asset,
 * each related item) is written at once, so that a process that dies at any
 * point leaves a row the next claim continues from.
 */
#ifndef ITG_OUTBOX_STORE_H
#define ITG_OUTBOX_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "outbox_state.h"
#include "store.h"

struct itg_outbox_row {
	int64_t report_id;
	int64_t instance_id;
	int64_t group_id;
	char *organization_id;
	char *title;
	char *file_path;
	char *file_name;
	int64_t generated_at;
	enum itg_outbox_state state;
	unsigned int attempts;
	int64_t next_attempt;
	char *asset_id;   /* NULL until IT Glue confirmed the asset */
	char *related;    /* configuration ids already related, ",a,b," */
	char *last_error; /* why the last attempt failed */
	int64_t created_at;
	int64_t updated_at;
	int64_t finished_at;
};

void itg_outbox_row_clear(struct itg_outbox_row *row);

/* Who claims: "<host>:<pid>:<random>", unique per plugin start. */
int itg_outbox_owner(char *out, size_t size);

/*
 * Queue ROW (state, attempts and asset ignored) as pending, due now. A row
 * that exists already is left as it is, unless REQUEUE: then a failed or
 * pending row is made due now with a fresh count of attempts and a fresh
 * age (its asset and related items are kept: they exist in IT Glue).
 * XDR_EBUSY when the row is done (published already) or being worked on.
 */
int itg_outbox_enqueue(struct itg_store *store,
                       const struct itg_outbox_row *row, bool requeue,
                       int64_t now, char *err, size_t errsize);

/*
 * Claim the next due row for OWNER until now + LEASE_S. Returns 1 and
 * *row, 0 when nothing is due, or a negative status.
 */
int itg_outbox_claim(struct itg_store *store, const char *owner, int64_t now,
                     int64_t lease_s, struct itg_outbox_row *row, char *err,
                     size_t errsize);

/* Rows claimed by processes of this machine that are gone (SELF is this
 * process's owner): pending again. */
int itg_outbox_recover(struct itg_store *store, const char *self, char *err,
                       size_t errsize);

/*
 * Extend OWNER's lease of REPORT_ID to now + LEASE_S before a step that
 * must not run twice. XDR_EBUSY when the lease ran out and another process
 * took the row: the attempt stops, the row is that process's.
 */
int itg_outbox_renew(struct itg_store *store, int64_t report_id,
                     const char *owner, int64_t now, int64_t lease_s, char *err,
                     size_t errsize);

/* Record what IT Glue confirmed, while OWNER holds the row (XDR_EBUSY when
 * it no longer does). */
int itg_outbox_set_asset(struct itg_store *store, int64_t report_id,
                         const char *owner, const char *asset_id, char *err,
                         size_t errsize);
int itg_outbox_add_related(struct itg_store *store, int64_t report_id,
                           const char *owner, const char *configuration_id,
                           char *err, size_t errsize);

/* End OWNER's attempt with DECISION; the row has made ATTEMPTS attempts.
 * XDR_EBUSY when the row is no longer OWNER's. */
int itg_outbox_finish(struct itg_store *store, int64_t report_id,
                      const char *owner,
                      const struct itg_outbox_decision *decision,
                      unsigned int attempts, const char *error, int64_t now,
                      char *err, size_t errsize);

int itg_outbox_get(struct itg_store *store, int64_t report_id,
                   struct itg_outbox_row *row, char *err, size_t errsize);

struct itg_outbox_counts {
	int64_t pending, working, failed, done, done_today;
	int64_t next_due; /* earliest next_attempt of pending rows, 0 if none */
};
int itg_outbox_count(struct itg_store *store, int64_t day_start,
                     struct itg_outbox_counts *out);

/* The last MAX failed rows, newest first: *out holds *n rows (clear each,
 * then free the array). */
int itg_outbox_failures(struct itg_store *store, size_t max,
                        struct itg_outbox_row **out, size_t *n);

/*
 * A page of the outbox, the latest change first: the rows in STATE (NULL:
 * every state) and, when N_IDS is not 0, of the reports IDS[0..N_IDS)
 * (at most ITG_OUTBOX_PAGE_IDS_MAX), LIMIT from OFFSET, into *out (*n rows:
 * clear each, then free the array) and how many there are in all into
 * *total. 0, or a negative status with err.
 */
#define ITG_OUTBOX_PAGE_IDS_MAX 1000
int itg_outbox_page(struct itg_store *store, const char *state,
                    const int64_t *ids, size_t n_ids, int64_t offset,
                    int64_t limit, struct itg_outbox_row **out, size_t *n,
                    int64_t *total, char *err, size_t errsize);

/* Is REL (",a,b,") holding configuration ID? */
bool itg_outbox_related_has(const char *related, const char *id);

#endif /* ITG_OUTBOX_STORE_H */
