/*
 * jobs.h - long work an administrator started, run on the worker and
 * recorded in the store, so that its answer can be read when it is over.
 *
 * An action that would take longer than a hook may (Test Connection, an
 * import, an auto-map) answers at once with {"job": ID, ...}; the work runs
 * on the worker thread; the action "job" {"id": ID} tells its state
 * (queued, running, done, failed, cancelled), its progress and, once over,
 * its result. A job that was queued or running when the host stopped is
 * marked cancelled at the next start.
 */
#ifndef ITG_JOBS_H
#define ITG_JOBS_H

#include <stddef.h>
#include <stdint.h>

#include "itglue.h"
#include "worker.h"

struct json_object;

/*
 * A job's work. PARAMS is the job's own copy of the request (borrowed). On
 * return *result holds the job's answer (an object, or NULL); the status
 * says whether the job is done (0) or failed (negative).
 */
typedef int (*itg_task_fn)(struct itg_plugin *p, struct itg_job_ctx *ctx,
                           struct json_object *params,
                           struct json_object **result);

/*
 * Record a new job of KIND and queue TASK with PARAMS (taken over, also on
 * failure). On success *id is the job's id. Returns XDR_OK or a negative
 * status with err.
 */
int itg_jobs_start(struct itg_plugin *p, const char *kind, itg_task_fn task,
                   struct json_object *params, int64_t *id, char *err,
                   size_t errsize);

/*
 * itg_jobs_start() for an action: on success *response is the action's
 * answer {"job": ID, "state": "queued"}, on failure an error answer.
 */
int itg_jobs_start_answer(struct itg_plugin *p, const char *kind,
                          itg_task_fn task, struct json_object *params,
                          struct json_object **response);

/*
 * The job ID as the "job" action answers it: {"id", "kind", "state",
 * "progress": {"done", "total"}, "result", "created_at", "started_at",
 * "finished_at"}. XDR_ENOTFOUND if there is no such job.
 */
int itg_jobs_describe(struct itg_plugin *p, int64_t id,
                      struct json_object **out, char *err, size_t errsize);

/* Mark the jobs a previous run left queued or running as cancelled. */
int itg_jobs_recover(struct itg_store *store, int64_t now, char *err,
                     size_t errsize);

#endif /* ITG_JOBS_H */
