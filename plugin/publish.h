/*
 * publish.h - publishing reports to IT Glue: the outbox's producers (the
 * report hook, the publish actions) and its consumer (the drain on the
 * worker).
 *
 * A report whose configuration asks for it becomes one outbox row when it
 * is generated; the hook does nothing else. The worker drains the outbox:
 * it claims a due row, makes sure the flexible asset type exists, finds or
 * creates the report's asset, relates it to the configurations mapped to
 * the report's systems, and ends the row done (event 4021) or, after the
 * retries the policy allows, failed (event 4022).
 */
#ifndef ITG_PUBLISH_H
#define ITG_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "instance.h"
#include "itglue.h"

/*
 * Where GROUP_ID's reports go: the instance serving it and the organization
 * it is mapped to (*inst, and *org a new string). XDR_ENOTFOUND with a
 * reason when the group is served by no instance, is not mapped, or its
 * organization is gone from IT Glue (stale).
 */
int itg_publish_target(struct itg_plugin *p, int64_t group_id,
                       struct itg_instance *inst, char **org, char *err,
                       size_t errsize);

/*
 * The report hook: queue report REPORT_ID if its configuration asks.
 * XDR_OK when it was queued, or is not to be (not asked; the group is not
 * mapped, which event 4022 says; queued already). XDR_ERROR when the
 * plugin's database (or memory) failed: the report is in no outbox, and the
 * log (ERROR) and event 4022 say why, naming the database's file.
 */
int itg_publish_report_generated(struct itg_plugin *p, int64_t report_id);

/*
 * After a damaged database was rebuilt without all of its outbox: event
 * 4022 for each report of the host with an id after AFTER (and before
 * BEFORE when BEFORE_KNOWN; else until 100 ids in a row are unknown, 10,000
 * at most) whose configuration asks for publishing and that is younger than
 * publish_max_age_hours: its row may have been lost, and it is to be
 * published by hand.
 */
void itg_publish_lost(struct itg_plugin *p, int64_t after, int64_t before,
                      bool before_known);

/* Queue a drain of the outbox on the worker, unless one waits already. */
void itg_publish_kick(struct itg_plugin *p);

/* At init: rows of processes that died are pending again; drain if due. */
void itg_publish_resume(struct itg_plugin *p);

/* At a tick: drain when a retry is due. */
void itg_publish_tick(struct itg_plugin *p);

#endif /* ITG_PUBLISH_H */
