/*
 * publish_run.h - the drain of the outbox: on the worker, one row at a time.
 */
#ifndef ITG_PUBLISH_RUN_H
#define ITG_PUBLISH_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "itglue.h"
#include "worker.h"

/* How long a claimed row is this process's: a process that dies holding it
 * on this machine is noticed at the next start; on another machine, the
 * lease has to run out. */
#define ITG_OUTBOX_LEASE_S 600

/*
 * Publish every due row of the outbox, then return. Returns the number of
 * rows this drain ended (done or failed) or retried.
 */
size_t itg_publish_drain(struct itg_plugin *p, struct itg_job_ctx *ctx);

/*
 * Queue report REPORT_ID (when MANUAL, whatever its configuration says, and
 * again if it failed before) and kick a drain. Returns XDR_OK, XDR_ENOTFOUND
 * (no such report, or its group has no organization: err says), XDR_EBUSY
 * (published already, or being published), or another negative status.
 */
int itg_publish_queue(struct itg_plugin *p, int64_t report_id, bool manual,
                      char *err, size_t errsize);

#endif /* ITG_PUBLISH_RUN_H */
