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

/* The report hook: queue report REPORT_ID if its configuration asks. */
int itg_publish_report_generated(struct itg_plugin *p, int64_t report_id);

/* Queue a drain of the outbox on the worker, unless one waits already. */
void itg_publish_kick(struct itg_plugin *p);

/* At init: rows of processes that died are pending again; drain if due. */
void itg_publish_resume(struct itg_plugin *p);

/* At a tick: drain when a retry is due. */
void itg_publish_tick(struct itg_plugin *p);

#endif /* ITG_PUBLISH_H */
