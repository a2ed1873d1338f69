/*
 * worker.c - the plugin's own thread and its FIFO of jobs (pthreads).
 */
#include <config.h>

#include "worker.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xdr/plugin.h>

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
	pthread_mutex_t lock; /* guards everything below but the thread */
	pthread_cond_t wake;  /* a job was queued, or stop was asked */
	pthread_t thread;
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

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->head == NULL)
			pthread_cond_wait(&w->wake, &w->lock);
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
		pthread_mutex_unlock(&w->lock);

		job->run(&ctx, job->arg);

		pthread_mutex_lock(&w->lock);
		w->running = NULL;
		pthread_mutex_unlock(&w->lock);
		drop_job(job);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

/* A monotonic clock, so that a change of the wall clock neither cuts a
 * job's sleep short nor stretches it. */
static int init_cond(pthread_cond_t *cond)
{
	pthread_condattr_t attr;
	int rc;

	rc = pthread_condattr_init(&attr);
	if (rc != 0)
		return rc;
	rc = pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(cond, &attr);
	pthread_condattr_destroy(&attr);
	return rc;
}

/* The host's signal handlers must run on the host's threads: the new thread
 * inherits a mask that blocks every signal. */
static int start_thread(struct itg_worker *w)
{
	sigset_t all;
	sigset_t old;
	int rc;

	sigfillset(&all);
	rc = pthread_sigmask(SIG_SETMASK, &all, &old);
	if (rc != 0)
		return rc;
	rc = pthread_create(&w->thread, NULL, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
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
	rc = pthread_mutex_init(&w->lock, NULL);
	if (rc != 0) {
		free(w);
		itg_errf(err, errsize,
		         "cannot create the worker's lock "
		         "(error %d)",
		         rc);
		return XDR_ERROR;
	}
	rc = init_cond(&w->wake);
	if (rc == 0) {
		rc = start_thread(w);
		if (rc != 0)
			pthread_cond_destroy(&w->wake);
	}
	if (rc != 0) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		itg_errf(err, errsize,
		         "cannot start the worker thread (error %d%s)", rc,
		         rc == EAGAIN ? ": too many threads or out of memory"
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

	pthread_mutex_lock(&w->lock);
	if (w->stopping || w->queued >= ITG_WORKER_QUEUE_MAX) {
		seq = w->stopping ? XDR_EDISABLED : XDR_EBUSY;
		pthread_mutex_unlock(&w->lock);
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
	pthread_cond_signal(&w->wake);
	pthread_mutex_unlock(&w->lock);
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
	pthread_mutex_lock(&w->lock);
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
	pthread_mutex_unlock(&w->lock);
}

void itg_job_progress(struct itg_job_ctx *ctx, uint64_t done, uint64_t total)
{
	if (ctx == NULL)
		return;
	pthread_mutex_lock(&ctx->worker->lock);
	ctx->worker->done = done;
	ctx->worker->total = total;
	pthread_mutex_unlock(&ctx->worker->lock);
}

bool itg_job_should_stop(struct itg_job_ctx *ctx)
{
	bool stopping;

	if (ctx == NULL)
		return true;
	pthread_mutex_lock(&ctx->worker->lock);
	stopping = ctx->worker->stopping;
	pthread_mutex_unlock(&ctx->worker->lock);
	return stopping;
}

bool itg_job_sleep(struct itg_job_ctx *ctx, unsigned int ms)
{
	struct itg_worker *w;
	struct timespec deadline;
	bool stopping;
	int rc = 0;

	if (ctx == NULL)
		return true;
	w = ctx->worker;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += (time_t)(ms / 1000);
	deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&w->lock);
	/* The condition is also signalled by submissions: wait again until
	 * the deadline (ETIMEDOUT) unless a stop was asked. */
	while (!w->stopping && rc == 0)
		rc = pthread_cond_timedwait(&w->wake, &w->lock, &deadline);
	stopping = w->stopping;
	pthread_mutex_unlock(&w->lock);
	return stopping;
}

void itg_worker_stop(struct itg_worker *w)
{
	struct queued_job *dropped;
	struct queued_job *next;

	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->wake);
	pthread_mutex_unlock(&w->lock);

	if (!w->joined) {
		pthread_join(w->thread, NULL);
		w->joined = true;
	}

	pthread_mutex_lock(&w->lock);
	dropped = w->head;
	w->head = NULL;
	w->tail = NULL;
	w->queued = 0;
	pthread_mutex_unlock(&w->lock);
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
	pthread_cond_destroy(&w->wake);
	pthread_mutex_destroy(&w->lock);
	free(w);
}
