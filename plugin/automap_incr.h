/*
 * automap_incr.h - the rules of the incremental auto-map (pure: no I/O).
 *
 * A run reads the configurations of the mapped organizations either in full
 * (every page, as IT Glue holds them now: the only way to see deletions) or
 * incrementally: the configurations sorted by -updated_at, page by page,
 * down to the mark of the last complete read (the newest updated-at it saw)
 * less an overlap, merged into the copy the plugin keeps from earlier runs.
 *
 *   itg_automap_decide()        full or incremental, and why
 *   itg_automap_page_verdict()  go on, stop, or the answer is not sorted
 *   itg_automap_merge_plan()    which changed records replace cached ones
 */
#ifndef ITG_AUTOMAP_INCR_H
#define ITG_AUTOMAP_INCR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapper.h"

/*
 * How far below the mark an incremental read goes on. IT Glue stamps
 * updated-at when a change is made, not when it becomes visible to a
 * listing, and its servers' clocks differ a little: a record may show up
 * with an updated-at a little older than one seen before it. Ten minutes
 * covers that with room; the cost is the records changed in those ten
 * minutes, read again.
 */
#define ITG_AUTOMAP_OVERLAP_MS (10 * 60 * 1000)

/* Longest updated-at text kept as a mark, with its NUL. */
#define ITG_AUTOMAP_TIME_MAX 64

/*
 * IT Glue's RFC 3339 time ("2016-09-14T18:15:28.000Z", any fraction, "Z" or
 * "+hh:mm") as milliseconds since 1970. Returns 0, or XDR_EINVAL when TEXT
 * (NULL allowed) is not such a time.
 */
int itg_automap_time_ms(const char *text, int64_t *ms);

/* The newer of two such times: one that is not a time (NULL, "") loses;
 * A when they are equal. */
const char *itg_automap_newer(const char *a, const char *b);

/* Why a run reads the configurations in full; NONE: incrementally. */
enum itg_automap_full_reason {
	ITG_FULL_NONE = 0,
	ITG_FULL_GROUPS,     /* a run of some groups: it keeps no mark */
	ITG_FULL_ASKED,      /* automap {"full": true} */
	ITG_FULL_NO_MARK,    /* no complete read recorded */
	ITG_FULL_SOURCE,     /* the instance's URL or key changed since */
	ITG_FULL_ALWAYS,     /* automap_full_pass_hours is 0 */
	ITG_FULL_DUE,        /* the last full pass is that many hours old */
	ITG_FULL_NOT_SORTED, /* IT Glue did not sort by updated_at */
};

/* What a run knows of the instance's last complete read. */
struct itg_automap_decision_input {
	bool recorded;          /* a complete read was recorded */
	const char *mark;       /* its newest updated-at; NULL: none seen */
	const char *source;     /* the URL and key it was read from */
	int64_t full_at;        /* its last full pass, seconds since 1970 */
	const char *now_source; /* the instance's URL and key now */
	int64_t now;            /* seconds since 1970 */
	int64_t full_pass_hours;
	bool asked_full;
	bool some_groups;
};

/* Full (and why) or incremental (ITG_FULL_NONE), in the order of the enum:
 * the first reason that holds. A last full pass in the future (the clock
 * went back) is due. */
enum itg_automap_full_reason
itg_automap_decide(const struct itg_automap_decision_input *in);

/* "groups", "asked", "no_mark", ... (stable, for answers); "" for NONE. */
const char *itg_automap_full_reason_name(enum itg_automap_full_reason r);

/* Where an incremental read stands after the pages judged so far. */
struct itg_automap_cursor {
	int64_t stop_below_ms; /* a page whose oldest record is older: last */
	bool seen;             /* a record was judged */
	int64_t last_ms;       /* the updated-at of the last one */
	int64_t newest_ms;     /* the newest one */
	char newest[ITG_AUTOMAP_TIME_MAX];
};

/* Start a read down to MARK less OVERLAP_MS (both as IT Glue wrote them;
 * the overlap grows by SLACK_S seconds, see itg_automap_sync). Returns 0,
 * or XDR_EINVAL when MARK is not a time. */
int itg_automap_cursor_init(struct itg_automap_cursor *c, const char *mark,
                            int64_t overlap_ms, int64_t slack_s);

enum itg_automap_verdict {
	ITG_PAGE_GO_ON,     /* every record is recent: read the next page */
	ITG_PAGE_LAST,      /* it reaches below the mark: the read is done */
	ITG_PAGE_NOT_SORTED /* a time missing or going up: not -updated_at */
};

/*
 * Judge one page of a listing sorted by -updated_at: UPDATED holds the
 * updated-at texts of its N records in order. The records must not get
 * newer, within the page and from the previous page on; a record without a
 * time cannot be placed, so it counts as unsorted. An empty page is the
 * last. The page's records are taken in every case but NOT_SORTED.
 */
enum itg_automap_verdict itg_automap_page_verdict(struct itg_automap_cursor *c,
                                                  const char *const *updated,
                                                  size_t n);

/*
 * How CHANGED records (N pointers, the one read last first: an id read
 * twice counts once, as first seen) merge into the configurations cached
 * from earlier runs. An id among them hides the cached record of that id;
 * the first record of each id is kept when its organization is one of
 * ORGS (sorted with strcmp), else dropped (it moved to an organization
 * that is not followed).
 */
struct itg_automap_merge {
	const struct itg_map_config *const *changed; /* borrowed */
	size_t *first; /* indexes into changed, one per id, by id */
	bool *kept;    /* kept[i]: changed[first[i]] is kept */
	size_t n;
};

/* Returns 0 with *plan set (itg_automap_merge_clear it), XDR_EINVAL for a
 * record without id, or XDR_ENOMEM. */
int itg_automap_merge_plan(const struct itg_map_config *const *changed,
                           size_t n, const char *const *orgs, size_t n_orgs,
                           struct itg_automap_merge *plan);

/* Does a changed record hide the cached record ID? O(log n). */
bool itg_automap_merge_hides(const struct itg_automap_merge *plan,
                             const char *id);

/* Is ORG one of ORGS (sorted with strcmp)? */
bool itg_automap_org_in(const char *const *orgs, size_t n, const char *org);

void itg_automap_merge_clear(struct itg_automap_merge *plan);

#endif /* ITG_AUTOMAP_INCR_H */
