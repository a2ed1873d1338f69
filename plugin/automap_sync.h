/*
 * automap_sync.h - how an auto-map run reads the configurations of the
 * mapped organizations: in full, or only what changed since the last
 * complete read, merged into the copy the plugin keeps of them.
 *
 * Per instance the store keeps (schema 7): the configurations of the
 * organizations the runs follow (automap_configs: id, organization, name,
 * archived, MACs: what the rules read), those organizations
 * (automap_sync_orgs), and the mark of the last complete read
 * (automap_sync): the newest updated-at it saw, the URL and key it read
 * from, how long its reads took, and when the last full pass was.
 *
 * A run of every group reads in full when there is no mark, when the URL or
 * key changed, when the last full pass is automap_full_pass_hours old (0:
 * always), or when asked ({"full": true}); a run of some groups always
 * reads in full and keeps no mark. Otherwise it reads incrementally:
 *
 *   - GET /configurations?sort=-updated_at&include=configuration_interfaces
 *     (filter[organization_id] = the organizations followed when they fit
 *     in one request, ITG_AUTOMAP_ORGS_PER_REQUEST, else the whole account
 *     filtered here: one listing either way, so that a run that changed
 *     nothing costs one request whatever the number of organizations),
 *     1000 a page, one page at a time, until the first page whose oldest
 *     record is older than mark - ITG_AUTOMAP_OVERLAP_MS - the time the
 *     last complete read took (a change made while a read ran may carry an
 *     updated-at older than the mark it left);
 *   - every record must be no newer than the one before it: otherwise IT
 *     Glue ignored the sort (as it ignores what it does not know), and the
 *     run reads in full instead, in the same run;
 *   - organizations mapped since the last run are read in full;
 *   - the changed records replace the cached ones of their ids (one that
 *     moved to an organization not followed leaves), and the rules run on
 *     the whole cache. Deletions are seen by full passes only.
 *
 * The same decision holds for the important contacts and the organizations
 * (automap_directory.h), made once by itg_automap_sync_begin().
 *
 * The rows of a full read are written as its pages come in, each page in a
 * transaction of its own (automap_cache.h); the rest waits until every
 * read is complete: itg_automap_sync_save() then writes the rows that
 * changed (an unchanged row is not rewritten), removes those a full read
 * did not see, and writes the new marks, in one transaction, on a thread of
 * its own while the run maps the systems (automap.c). A dry run or a run of
 * some groups writes nothing. A run whose reads (or whose save) failed
 * leaves the marks as they were, and the cache too but for the rows its
 * full read wrote first: copies of the same account's configurations as
 * the read saw them (a read of another URL or key writes nothing before it
 * is complete). The next run reads them again: in full when the mark
 * says so; otherwise it takes cached rows of the organizations followed
 * only, and reads those new to it in full, their cached rows then becoming
 * exactly what that read saw. The
 * mappings need not be written first: the rules run on the whole cache at
 * every run.
 */
#ifndef ITG_AUTOMAP_SYNC_H
#define ITG_AUTOMAP_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "automap_cache.h"
#include "automap_data.h"
#include "automap_directory.h"
#include "automap_incr.h"
#include "client.h"
#include "instance.h"
#include "itglue.h"
#include "query.h"

struct json_object;

struct itg_automap_sync {
	/* itg_automap_sync_begin() */
	struct itg_plugin *p;
	int64_t instance;
	char *name;
	char *source; /* "URL key-mask" */
	bool dry_run, some_groups, asked_full;
	int64_t now;
	int64_t full_pass_hours;
	/* the last complete read, as stored */
	bool recorded;
	char *recorded_source;
	char *mark;
	char *contact_mark, *org_mark; /* the directory's (schema 8) */
	int64_t slack_s, full_at;
	char **known; /* the organizations followed, sorted */
	size_t n_known;
	/* the run's decision, made by itg_automap_sync_begin() */
	enum itg_automap_full_reason reason;
	/* itg_automap_directory_read() */
	struct itg_automap_directory dir;
	/* itg_automap_sync_read() */
	bool read;   /* configurations were read */
	char **orgs; /* the run's organizations, sorted */
	size_t n_orgs;
	size_t n_new;   /* of them, not followed before */
	uint64_t pages; /* incremental: pages of the listing */
	int64_t read_s; /* seconds the reads took, rounded up */
	struct itg_automap_data delta, fresh;
	const struct itg_map_config **changes; /* fresh's, then delta's */
	size_t n_changes;
	/* a full read's rows, written as they come (automap_cache.h) */
	struct itg_cache_stream *stream;
	/* itg_automap_sync_save() */
	size_t written; /* rows inserted, changed or removed */
};

/* What itg_automap_read_changes() returns when the answer is not sorted
 * by -updated_at (a positive status: the run reads in full instead). */
#define ITG_AUTOMAP_NOT_SORTED 1

/* A page of a listing of changes, its records judged by CUR; 0 to go on,
 * anything else stops the read and is returned by it. */
typedef int (*itg_automap_changes_fn)(void *user, const struct itg_doc *doc,
                                      const struct itg_automap_cursor *cur);

/*
 * The records of TYPE changed since MARK (less the overlap and SLACK_S),
 * newest first: GET PATH?QUERY (which holds sort=-updated_at, not
 * page[...]) one page at a time, since the stop is known only once a page
 * is read (a listing would already be fetching the next ones); each page
 * to ON_PAGE, *PAGES counting them. Returns 0, ITG_AUTOMAP_NOT_SORTED (a
 * time missing or going up, or a MARK that is not a time), ON_PAGE's
 * status, XDR_EINVAL (a query that cannot be built), or an error of the
 * client with E filled.
 */
int itg_automap_read_changes(struct itg_client *c, const char *path,
                             const char *type, const struct itg_query *query,
                             const char *mark, int64_t slack_s,
                             itg_automap_changes_fn on_page, void *user,
                             uint64_t *pages, struct itg_api_error *e);

/*
 * Prepare S for a run of INST with the job's PARAMS ("full", "groups",
 * "dry_run") and load the instance's mark. Returns 0, or XDR_ERROR /
 * XDR_ENOMEM with err. Clear S with itg_automap_sync_clear() in every case.
 */
int itg_automap_sync_begin(struct itg_automap_sync *s, struct itg_plugin *p,
                           const struct itg_instance *inst,
                           struct json_object *params, char *err,
                           size_t errsize);

/*
 * Fill D with the configurations of ORGS (n ids), in full or incrementally
 * as above, through client C. Returns 0, a negative status with e filled
 * (IT Glue or the network), or XDR_ERROR / XDR_ENOMEM with err (the store).
 */
int itg_automap_sync_read(struct itg_automap_sync *s, struct itg_client *c,
                          const char *const *orgs, size_t n,
                          struct itg_automap_data *d, struct itg_api_error *e,
                          char *err, size_t errsize);

/*
 * Once the reads are complete: write D's changes into the cache and the
 * new marks, in one transaction (nothing for a dry run, a run of some
 * groups, or one that read nothing). Returns 0, or XDR_ERROR / XDR_ENOMEM
 * with err; the cache and mark are then as before, and the next run reads
 * from the old mark again.
 */
int itg_automap_sync_save(struct itg_automap_sync *s,
                          const struct itg_automap_data *d, char *err,
                          size_t errsize);

/* {"read": "full"|"incremental"|"none", "reason"?, "since"?, "listed"?,
 * "pages"?, "new_organizations"?, "written"?} for the run's answer:
 * "listed" the records the incremental listing read, "written" the cached
 * rows the run inserted, changed or removed. */
struct json_object *itg_automap_sync_json(const struct itg_automap_sync *s);

void itg_automap_sync_clear(struct itg_automap_sync *s);

#endif /* ITG_AUTOMAP_SYNC_H */
