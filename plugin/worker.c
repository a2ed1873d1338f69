/*
 * worker.c - the plugin's own thread and its FIFO of jobs.
 */
#include <config.h>

#include "worker.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"

struct queued_job {
	struct queued_job *next;
	int64_t seq;
	char kind[ITG_JOB_KIND_MAX];
	itg_job_fn run;
	void *arg;
	itg_job_free_fn free_arg;
};

struct itg_worker {
	os_mutex lock; /* guards everything below but the thread */
	os_cond wake;  /* a job was queued, or stop was asked */
	os_thread thread;
	bool joined;
	bool stopping;
	struct queued_job *head;
	struct queued_job *tail;
	size_t queued;
	struct queued_job *running; /* owned by the thread while it runs */
	uint64_t done;
	uint64_t total;
	int64_t next_seq;
};

struct itg_job_ctx {
	struct itg_worker *worker;
};

static void drop_job(struct queued_job *job)
{
	if (job->free_arg != NULL)
		job->free_arg(job->arg);
	free(job);
}

static void *worker_main(void *data)
{
	struct itg_worker *w = data;
	struct itg_job_ctx ctx = {w};
	struct queued_job *job;

	os_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->head == NULL)
			os_cond_wait(&w->wake, &w->lock);
		if (w->stopping)
			break;
		job = w->head;
		w->head = job->next;
		if (w->head == NULL)
			w->tail = NULL;
		w->queued--;
		w->running = job;
		w->done = 0;
		w->total = 0;
		os_mutex_unlock(&w->lock);

		job->run(&ctx, job->arg);

		os_mutex_lock(&w->lock);
		w->running = NULL;
		os_mutex_unlock(&w->lock);
		drop_job(job);
		os_mutex_lock(&w->lock);
	}
	os_mutex_unlock(&w->lock);
	return NULL;
}

int itg_worker_start(struct itg_worker **out, char *err, size_t errsize)
{
	struct itg_worker *w;
	int rc;

	if (out == NULL) {
		itg_errf(err, errsize, "no worker given");
		return XDR_EINVAL;
	}
	*out = NULL;
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		itg_errf(err, errsize, "out of memory starting the worker");
		return XDR_ENOMEM;
	}
	w->next_seq = 1;
	if (os_mutex_init(&w->lock) != 0) {
		free(w);
		itg_errf(err, errsize, "cannot create the worker's lock: %s",
		         strerror(errno));
		return XDR_ERROR;
	}
	/* The condition's timed waits use a monotonic clock, so that a change
	 * of the wall clock neither cuts a job's sleep short nor stretches
	 * it; the thread blocks every signal, so that the host's handlers run
	 * on the host's threads. */
	rc = os_cond_init(&w->wake);
	if (rc == 0) {
		rc = os_thread_start(&w->thread, worker_main, w);
		if (rc != 0)
			os_cond_destroy(&w->wake);
	}
	if (rc != 0) {
		int e = errno;

		os_mutex_destroy(&w->lock);
		free(w);
		itg_errf(err, errsize, "cannot start the worker thread: %s%s",
		         strerror(e),
		         e == EAGAIN ? " (too many threads or out of memory)"
		                     : "");
		return XDR_ERROR;
	}
	*out = w;
	return XDR_OK;
}

static bool valid_kind(const char *kind)
{
	size_t i;

	if (kind == NULL || kind[0] == '\0')
		return false;
	for (i = 0; kind[i] != '\0'; i++) {
		if (i >= ITG_JOB_KIND_MAX - 1 || kind[i] < 0x21 ||
		    kind[i] > 0x7e)
			return false;
	}
	return true;
}

int64_t itg_worker_submit(struct itg_worker *w, const struct itg_job *job)
{
	struct queued_job *q;
	int64_t seq;

	if (w == NULL || job == NULL || job->run == NULL ||
	    !valid_kind(job->kind))
		return XDR_EINVAL;
	q = calloc(1, sizeof(*q));
	if (q == NULL)
		return XDR_ENOMEM;
	strcpy(q->kind, job->kind);
	q->run = job->run;
	q->arg = job->arg;
	q->free_arg = job->free_arg;

	os_mutex_lock(&w->lock);
	if (w->stopping || w->queued >= ITG_WORKER_QUEUE_MAX) {
		seq = w->stopping ? XDR_EDISABLED : XDR_EBUSY;
		os_mutex_unlock(&w->lock);
		free(q);
		return seq;
	}
	seq = w->next_seq++;
	q->seq = seq;
	if (w->tail != NULL)
		w->tail->next = q;
	else
		w->head = q;
	w->tail = q;
	w->queued++;
	os_cond_signal(&w->wake);
	os_mutex_unlock(&w->lock);
	return seq;
}

void itg_worker_status(struct itg_worker *w, struct itg_worker_status *status)
{
	const struct queued_job *shown;

	if (status == NULL)
		return;
	memset(status, 0, sizeof(*status));
	if (w == NULL)
		return;
	os_mutex_lock(&w->lock);
	shown = w->running != NULL ? w->running : w->head;
	if (shown != NULL) {
		memcpy(status->running, shown->kind, sizeof(status->running));
		status->running_seq = shown->seq;
	}
	if (w->running != NULL) {
		status->done = w->done;
		status->total = w->total;
	}
	status->queued = w->queued;
	status->busy = shown != NULL;
	os_mutex_unlock(&w->lock);
}

void itg_job_progress(struct itg_job_ctx *ctx, uint64_t done, uint64_t total)
{
	if (ctx == NULL)
		return;
	os_mutex_lock(&ctx->worker->lock);
	ctx->worker->done = done;
	ctx->worker->total = total;
	os_mutex_unlock(&ctx->worker->lock);
}

bool itg_job_should_stop(struct itg_job_ctx *ctx)
{
	bool stopping;

	if (ctx == NULL)
		return true;
	os_mutex_lock(&ctx->worker->lock);
	stopping = ctx->worker->stopping;
	os_mutex_unlock(&ctx->worker->lock);
	return stopping;
}

bool itg_job_sleep(struct itg_job_ctx *ctx, unsigned int ms)
{
	struct itg_worker *w;
	uint64_t deadline;
	bool stopping, woken = true;

	if (ctx == NULL)
		return true;
	w = ctx->worker;
	deadline = os_monotonic_ms() + ms;
	os_mutex_lock(&w->lock);
	/* The condition is also signalled by submissions: wait again until
	 * the deadline unless a stop was asked. */
	while (!w->stopping && woken)
		woken = os_cond_wait_until(&w->wake, &w->lock, deadline);
	stopping = w->stopping;
	os_mutex_unlock(&w->lock);
	return stopping;
}

void itg_worker_stop(struct itg_worker *w)
{
	struct queued_job *dropped;
	struct queued_job *next;

	if (w == NULL)
		return;
	os_mutex_lock(&w->lock);
	w->stopping = true;
	os_cond_broadcast(&w->wake);
	os_mutex_unlock(&w->lock);

	if (!w->joined) {
		os_thread_join(w->thread);
		w->joined = true;
	}

	os_mutex_lock(&w->lock);
	dropped = w->head;
	w->head = NULL;
	w->tail = NULL;
	w->queued = 0;
	os_mutex_unlock(&w->lock);
	for (; dropped != NULL; dropped = next) {
		next = dropped->next;
		drop_job(dropped);
	}
}

void itg_worker_free(struct itg_worker *w)
{
	if (w == NULL)
		return;
	itg_worker_stop(w);
	os_cond_destroy(&w->wake);
	os_mutex_destroy(&w->lock);
	free(w);
}
