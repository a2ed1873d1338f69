/*
 * test_plugin_worker.c - the worker thread and its FIFO of jobs.
 *
 * Jobs only record what happened (cmocka's assertions belong on the test's
 * own thread); the test reads the records once the worker is quiet.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "worker.h"

/* Everything the test jobs share with the test. */
struct probe {
	os_mutex lock;
	os_cond changed;
	bool started;
	bool released;
	int runs;
	int frees;
	int order[2048];
	int n_order;
	bool saw_stop;
	bool sleep_said_stop;
};

struct step {
	struct probe *probe;
	int index;
};

static struct probe *probe_new(void)
{
	struct probe *p = calloc(1, sizeof(*p));

	assert_non_null(p);
	assert_int_equal(os_mutex_init(&p->lock), 0);
	assert_int_equal(os_cond_init(&p->changed), 0);
	return p;
}

static void probe_free(struct probe *p)
{
	os_cond_destroy(&p->changed);
	os_mutex_destroy(&p->lock);
	free(p);
}

static int64_t now_ms(void)
{
	return (int64_t)os_monotonic_ms();
}

/* Wait (bounded) until PRED holds for the probe. */
static bool wait_for(struct probe *p, bool (*pred)(struct probe *))
{
	uint64_t deadline = os_monotonic_ms() + 10 * 1000;
	bool ok;

	os_mutex_lock(&p->lock);
	while (!(ok = pred(p)) &&
	       os_cond_wait_until(&p->changed, &p->lock, deadline))
		;
	ok = pred(p);
	os_mutex_unlock(&p->lock);
	return ok;
}

static bool has_started(struct probe *p)
{
	return p->started;
}

static int expected_runs;

static bool has_run_expected(struct probe *p)
{
	return p->runs == expected_runs;
}

/* Record the step's index. */
static void record_job(struct itg_job_ctx *ctx, void *arg)
{
	struct step *s = arg;

	(void)ctx;
	os_mutex_lock(&s->probe->lock);
	s->probe->order[s->probe->n_order++] = s->index;
	s->probe->runs++;
	os_cond_broadcast(&s->probe->changed);
	os_mutex_unlock(&s->probe->lock);
}

static void free_step(void *arg)
{
	struct step *s = arg;

	os_mutex_lock(&s->probe->lock);
	s->probe->frees++;
	os_mutex_unlock(&s->probe->lock);
	free(s);
}

/* Report progress 3/10, say so, then wait until the test releases it. */
static void blocking_job(struct itg_job_ctx *ctx, void *arg)
{
	struct step *s = arg;
	struct probe *p = s->probe;

	itg_job_progress(ctx, 3, 10);
	os_mutex_lock(&p->lock);
	p->started = true;
	os_cond_broadcast(&p->changed);
	while (!p->released)
		os_cond_wait(&p->changed, &p->lock);
	p->runs++;
	os_cond_broadcast(&p->changed);
	os_mutex_unlock(&p->lock);
}

/* Sleep for a minute unless told to stop, the way a back-off does. */
static void sleeping_job(struct itg_job_ctx *ctx, void *arg)
{
	struct step *s = arg;
	struct probe *p = s->probe;
	bool said_stop;

	os_mutex_lock(&p->lock);
	p->started = true;
	os_cond_broadcast(&p->changed);
	os_mutex_unlock(&p->lock);
	said_stop = itg_job_sleep(ctx, 60000);
	os_mutex_lock(&p->lock);
	p->sleep_said_stop = said_stop;
	p->saw_stop = itg_job_should_stop(ctx);
	p->runs++;
	os_mutex_unlock(&p->lock);
}

static void release(struct probe *p)
{
	os_mutex_lock(&p->lock);
	p->released = true;
	os_cond_broadcast(&p->changed);
	os_mutex_unlock(&p->lock);
}

/* Release the probe a little later, from a thread of its own. */
static void *release_later(void *arg)
{
	os_sleep_ms(100);
	release(arg);
	return NULL;
}

static struct step *step_new(struct probe *p, int index)
{
	struct step *s = malloc(sizeof(*s));

	assert_non_null(s);
	s->probe = p;
	s->index = index;
	return s;
}

static int64_t submit(struct itg_worker *w, const char *kind, itg_job_fn fn,
                      struct probe *p, int index)
{
	struct itg_job job = {kind, fn, step_new(p, index), free_step};

	return itg_worker_submit(w, &job);
}

static struct itg_worker *start(void)
{
	struct itg_worker *w = NULL;
	char err[256];

	assert_int_equal(itg_worker_start(&w, err, sizeof(err)), XDR_OK);
	assert_non_null(w);
	return w;
}

static void test_idle_worker_is_not_busy(void **state)
{
	struct itg_worker *w = start();
	struct itg_worker_status st;

	(void)state;
	itg_worker_status(w, &st);
	assert_false(st.busy);
	assert_string_equal(st.running, "");
	assert_int_equal(st.running_seq, 0);
	assert_int_equal(st.queued, 0);
	itg_worker_free(w);
}

static void test_jobs_run_in_submission_order(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	int i;

	(void)state;
	for (i = 0; i < 200; i++)
		assert_int_equal(submit(w, "record", record_job, p, i), i + 1);
	expected_runs = 200;
	assert_true(wait_for(p, has_run_expected));
	itg_worker_free(w);
	assert_int_equal(p->n_order, 200);
	for (i = 0; i < 200; i++)
		assert_int_equal(p->order[i], i);
	assert_int_equal(p->frees, 200);
	probe_free(p);
}

static void test_status_shows_the_running_job_and_its_progress(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	struct itg_worker_status st;

	(void)state;
	assert_int_equal(submit(w, "auto-map", blocking_job, p, 0), 1);
	assert_true(wait_for(p, has_started));
	assert_int_equal(submit(w, "publish", record_job, p, 1), 2);
	assert_int_equal(submit(w, "publish", record_job, p, 2), 3);

	itg_worker_status(w, &st);
	assert_true(st.busy);
	assert_string_equal(st.running, "auto-map");
	assert_int_equal(st.running_seq, 1);
	assert_int_equal(st.done, 3);
	assert_int_equal(st.total, 10);
	assert_int_equal(st.queued, 2);

	release(p);
	expected_runs = 3;
	assert_true(wait_for(p, has_run_expected));
	itg_worker_stop(w);
	itg_worker_status(w, &st);
	assert_false(st.busy);
	assert_int_equal(st.queued, 0);
	itg_worker_free(w);
	assert_int_equal(p->frees, 3);
	probe_free(p);
}

static void
test_stop_interrupts_a_sleeping_job_and_drops_the_queue(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	int64_t t0;
	int i;

	(void)state;
	assert_true(submit(w, "auto-map", sleeping_job, p, 0) > 0);
	assert_true(wait_for(p, has_started));
	for (i = 1; i <= 5; i++)
		assert_true(submit(w, "publish", record_job, p, i) > 0);
	t0 = now_ms();
	itg_worker_stop(w);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(p->runs, 1);
	assert_true(p->sleep_said_stop);
	assert_true(p->saw_stop);
	assert_int_equal(p->frees, 6);
	itg_worker_free(w);
	probe_free(p);
}

static void test_stop_waits_for_the_running_job(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	os_thread releaser;

	(void)state;
	assert_true(submit(w, "auto-map", blocking_job, p, 0) > 0);
	assert_true(wait_for(p, has_started));
	/* Release from another thread shortly: stop must join, not abandon. */
	assert_int_equal(os_thread_start(&releaser, release_later, p), 0);
	itg_worker_stop(w);
	os_thread_join(releaser);
	assert_int_equal(p->runs, 1);
	assert_int_equal(p->frees, 1);
	itg_worker_free(w);
	probe_free(p);
}

static void test_submit_after_stop_is_refused(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	struct step *s = step_new(p, 0);
	struct itg_job job = {"record", record_job, s, free_step};

	(void)state;
	itg_worker_stop(w);
	assert_int_equal(itg_worker_submit(w, &job), XDR_EDISABLED);
	/* A refused job's argument still belongs to the caller. */
	assert_int_equal(p->frees, 0);
	free_step(s);
	itg_worker_stop(w);
	itg_worker_free(w);
	assert_int_equal(p->runs, 0);
	probe_free(p);
}

static void test_submit_rejects_bad_jobs(void **state)
{
	struct itg_worker *w = start();
	struct itg_job job = {"ok", record_job, NULL, NULL};
	char long_kind[ITG_JOB_KIND_MAX + 1];

	(void)state;
	memset(long_kind, 'a', sizeof(long_kind) - 1);
	long_kind[sizeof(long_kind) - 1] = '\0';
	assert_int_equal(itg_worker_submit(NULL, &job), XDR_EINVAL);
	assert_int_equal(itg_worker_submit(w, NULL), XDR_EINVAL);
	job.run = NULL;
	assert_int_equal(itg_worker_submit(w, &job), XDR_EINVAL);
	job.run = record_job;
	job.kind = NULL;
	assert_int_equal(itg_worker_submit(w, &job), XDR_EINVAL);
	job.kind = "";
	assert_int_equal(itg_worker_submit(w, &job), XDR_EINVAL);
	job.kind = "auto map";
	assert_int_equal(itg_worker_submit(w, &job), XDR_EINVAL);
	job.kind = long_kind;
	assert_int_equal(itg_worker_submit(w, &job), XDR_EINVAL);
	long_kind[ITG_JOB_KIND_MAX - 1] = '\0';
	job.kind = long_kind;
	job.run = sleeping_job;
	itg_worker_stop(w);
	assert_int_equal(itg_worker_submit(w, &job), XDR_EDISABLED);
	itg_worker_free(w);
}

static void test_full_queue_answers_busy(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();
	struct step *s;
	struct itg_job job;
	int i;

	(void)state;
	assert_true(submit(w, "auto-map", sleeping_job, p, 0) > 0);
	assert_true(wait_for(p, has_started));
	for (i = 0; i < ITG_WORKER_QUEUE_MAX; i++)
		assert_true(submit(w, "publish", record_job, p, i) > 0);
	s = step_new(p, -1);
	job = (struct itg_job){"publish", record_job, s, free_step};
	assert_int_equal(itg_worker_submit(w, &job), XDR_EBUSY);
	free_step(s);
	itg_worker_free(w);
	assert_int_equal(p->runs, 1);
	assert_int_equal(p->frees, ITG_WORKER_QUEUE_MAX + 2);
	probe_free(p);
}

static void napping_job(struct itg_job_ctx *ctx, void *arg)
{
	struct step *s = arg;
	int64_t t0 = now_ms();
	bool said_stop = itg_job_sleep(ctx, 50);
	int64_t slept = now_ms() - t0;

	os_mutex_lock(&s->probe->lock);
	s->probe->sleep_said_stop = said_stop;
	s->probe->order[0] = (int)slept;
	s->probe->runs++;
	os_cond_broadcast(&s->probe->changed);
	os_mutex_unlock(&s->probe->lock);
}

static void test_job_sleep_waits_its_time(void **state)
{
	struct itg_worker *w = start();
	struct probe *p = probe_new();

	(void)state;
	assert_true(submit(w, "nap", napping_job, p, 0) > 0);
	expected_runs = 1;
	assert_true(wait_for(p, has_run_expected));
	itg_worker_free(w);
	assert_false(p->sleep_said_stop);
	assert_true(p->order[0] >= 49);
	probe_free(p);
}

static void test_null_worker_and_context_are_harmless(void **state)
{
	struct itg_worker_status st;

	(void)state;
	itg_worker_status(NULL, &st);
	assert_false(st.busy);
	itg_worker_status(NULL, NULL);
	itg_job_progress(NULL, 1, 2);
	assert_true(itg_job_should_stop(NULL));
	assert_true(itg_job_sleep(NULL, 10));
	itg_worker_stop(NULL);
	itg_worker_free(NULL);
	assert_int_equal(itg_worker_start(NULL, NULL, 0), XDR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_idle_worker_is_not_busy),
	        cmocka_unit_test(test_jobs_run_in_submission_order),
	        cmocka_unit_test(
	                test_status_shows_the_running_job_and_its_progress),
	        cmocka_unit_test(
	                test_stop_interrupts_a_sleeping_job_and_drops_the_queue),
	        cmocka_unit_test(test_stop_waits_for_the_running_job),
	        cmocka_unit_test(test_submit_after_stop_is_refused),
	        cmocka_unit_test(test_submit_rejects_bad_jobs),
	        cmocka_unit_test(test_full_queue_answers_busy),
	        cmocka_unit_test(test_job_sleep_waits_its_time),
	        cmocka_unit_test(test_null_worker_and_context_are_harmless),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
