/*
 * worker.h - the plugin's own thread and its FIFO of jobs.
 *
 * Hooks must return within a millisecond or two, so anything long (auto-map,
 * imports, uploads) is queued here and run, one job at a time and in
 * submission order, on a thread the plugin owns. Durable work lives in the
 * store: a job that is still queued at shutdown is dropped, and the work it
 * stood for is derived again from the store at the next init.
 *
 * Every pthread call of the plugin is in worker.c, so that a platform without
 * pthreads replaces that one file.
 */
#ifndef ITG_WORKER_H
#define ITG_WORKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Size of a job kind ("auto-map", ...) including the NUL. */
#define ITG_JOB_KIND_MAX 32

/* Jobs waiting at most; a full queue refuses more with XDR_EBUSY. */
#define ITG_WORKER_QUEUE_MAX 1024

struct itg_worker;

/* What a running job holds to report progress and to learn of a stop. */
struct itg_job_ctx;

typedef void (*itg_job_fn)(struct itg_job_ctx *ctx, void *arg);
typedef void (*itg_job_free_fn)(void *arg);

/* A job as submitted; the worker copies kind. */
struct itg_job {
	const char *kind;         /* 1 to ITG_JOB_KIND_MAX - 1 printable
	                             ASCII characters, e.g. "auto-map" */
	itg_job_fn run;           /* runs on the worker thread */
	void *arg;                /* passed to run and to free_arg */
	itg_job_free_fn free_arg; /* releases arg after the run or when the
	                             job is dropped; NULL for none */
};

/* A consistent snapshot of the worker, for the "status" admin action. */
struct itg_worker_status {
	bool busy;                      /* a job runs or waits */
	char running[ITG_JOB_KIND_MAX]; /* the running job's kind, or when
	                                   between two jobs the next one's;
	                                   "" when idle */
	int64_t running_seq;            /* its sequence number, 0 when idle */
	uint64_t done;                  /* its progress, as last reported */
	uint64_t total;                 /* 0 when unknown */
	size_t queued;                  /* jobs waiting behind it */
};

/*
 * Start the thread. On failure *out is NULL, err holds a one-line reason and
 * the status is negative (XDR_ENOMEM, XDR_ERROR).
 */
int itg_worker_start(struct itg_worker **out, char *err, size_t errsize);

/*
 * Queue a job. Returns its sequence number (1, 2, 3, ... in submission order)
 * or a negative status: XDR_EINVAL (bad job), XDR_ENOMEM, XDR_EBUSY (queue
 * full), XDR_EDISABLED (the worker is stopping). On success the worker owns
 * arg; on failure the caller still does.
 */
int64_t itg_worker_submit(struct itg_worker *w, const struct itg_job *job);

/* Fill *status with a snapshot; an all-idle snapshot for a NULL worker. */
void itg_worker_status(struct itg_worker *w, struct itg_worker_status *status);

/* For the running job: it has done DONE of TOTAL steps (TOTAL 0: unknown). */
void itg_job_progress(struct itg_job_ctx *ctx, uint64_t done, uint64_t total);

/* For the running job: true once the worker is stopping; return soon. */
bool itg_job_should_stop(struct itg_job_ctx *ctx);

/*
 * For the running job: wait MS milliseconds (a retry's back-off, say), cut
 * short by a stop. Returns true if the worker is stopping.
 */
bool itg_job_sleep(struct itg_job_ctx *ctx, unsigned int ms);

/*
 * Stop taking jobs, tell the running job to stop, wait for the thread to
 * end, and drop (free_arg) the jobs still queued. Idempotent; call it from
 * the thread that owns the worker, never from a job.
 */
void itg_worker_stop(struct itg_worker *w);

/* Stop the worker if it still runs, then free it; NULL is allowed. */
void itg_worker_free(struct itg_worker *w);

#endif /* ITG_WORKER_H */
