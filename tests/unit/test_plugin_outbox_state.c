/*
 * test_plugin_outbox_state.c - what happens to an outbox row after an
 * attempt, and the outbox's claims and leases in the store.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#if !OS_WIN32
#include <sys/wait.h>
#include <unistd.h>
#endif

#include <cmocka.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "outbox_state.h"
#include "outbox_store.h"
#include "os_test.h"

static const struct itg_outbox_policy policy = {
        .max_attempts = 5,
        .max_age_s = 3600,
        .backoff_base_ms = 10 * 1000,
        .backoff_cap_ms = 60 * 1000,
};

static void test_success_is_done_and_announced(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_SUCCESS, 3, 0, 100, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_DONE);
	assert_true(d.announce);
	assert_false(d.gave_up);
}

static void test_permanent_failure_fails_at_once(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_PERMANENT, 1, 0, 0, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.announce);
	assert_false(d.gave_up);
}

static void test_retryable_failure_is_retried_later_silently(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 100, 0,
	                      0.5);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
	assert_false(d.announce);
	assert_true(d.next_attempt > 100);
	assert_true(d.next_attempt <= 100 + 1 + 10);
}

static void test_backoff_grows_to_its_cap(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 2, 0, 0, 0,
	                      0.999);
	assert_true(d.next_attempt <= 1 + 20);
	assert_true(d.next_attempt >= 20);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 4, 0, 0, 0,
	                      0.999);
	assert_true(d.next_attempt <= 1 + 60);
	assert_true(d.next_attempt >= 60);
}

static void test_jitter_zero_still_waits_a_second(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 50, 0, 0);
	assert_int_equal(d.next_attempt, 51);
}

static void test_retry_after_is_honoured(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 10, 300,
	                      0.5);
	assert_int_equal(d.next_attempt, 310);
}

static void test_attempts_are_bounded(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 4, 0, 10, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 5, 0, 10, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.announce);
	assert_true(d.gave_up);
}

static void test_age_is_bounded(void **state)
{
	struct itg_outbox_decision d;

	(void)state;
	/* The next attempt would come after the row's hour is over. */
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 3595, 0,
	                      0.999);
	assert_int_equal(d.state, ITG_OUTBOX_FAILED);
	assert_true(d.gave_up);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, 1, 0, 3000, 0,
	                      0.999);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
}

static void test_state_names_round_trip(void **state)
{
	enum itg_outbox_state s;

	(void)state;
	for (int i = ITG_OUTBOX_PENDING; i <= ITG_OUTBOX_FAILED; i++) {
		assert_int_equal(
		        itg_outbox_state_parse(
		                itg_outbox_state_name((enum itg_outbox_state)i),
		                &s),
		        0);
		assert_int_equal(s, i);
	}
	assert_int_equal(itg_outbox_state_parse("gone", &s), XDR_EINVAL);
	assert_int_equal(itg_outbox_state_parse(NULL, &s), XDR_EINVAL);
}

/* ---- The outbox in the store ---- */

struct fixture {
	char dir[4096];
	struct itg_store *store;
	char err[512];
};

static int store_setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	int n;

	if (f == NULL)
		return -1;
	n = snprintf(f->dir, sizeof(f->dir), "%s/outbox-test.XXXXXX",
	             test_temp_root());
	if (n < 0 || (size_t)n >= sizeof(f->dir) ||
	    os_mkdtemp(f->dir) == NULL ||
	    itg_store_open(&f->store, f->dir, f->err, sizeof(f->err)) != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int store_teardown(void **state)
{
	struct fixture *f = *state;

	itg_store_close(f->store);
	os_rmtree(f->dir);
	free(f);
	return 0;
}

static void enqueue(struct fixture *f, int64_t report_id, bool requeue,
                    int64_t now)
{
	struct itg_outbox_row row = {
	        .report_id = report_id,
	        .instance_id = 1,
	        .group_id = 2,
	        .organization_id = "3",
	        .title = "Daily",
	        .file_path = "/nonexistent/daily.html",
	        .file_name = "Daily_1_1.html",
	        .generated_at = 1,
	};

	assert_int_equal(itg_outbox_enqueue(f->store, &row, requeue, now,
	                                    f->err, sizeof(f->err)),
	                 0);
}

/* Claim the next due row for OWNER at NOW: its report id, 0 for none. */
static int64_t claim(struct fixture *f, const char *owner, int64_t now)
{
	struct itg_outbox_row row;
	int64_t id = 0;
	int rc = itg_outbox_claim(f->store, owner, now, 600, &row, f->err,
	                          sizeof(f->err));

	assert_true(rc == 0 || rc == 1);
	if (rc == 1)
		id = row.report_id;
	itg_outbox_row_clear(&row);
	return id;
}

static enum itg_outbox_state state_of(struct fixture *f, int64_t report_id)
{
	struct itg_outbox_row row;
	enum itg_outbox_state s;

	assert_int_equal(itg_outbox_get(f->store, report_id, &row, f->err,
	                                sizeof(f->err)),
	                 0);
	s = row.state;
	itg_outbox_row_clear(&row);
	return s;
}

/* A manual publish of a report that failed long ago gets the retries of a
 * new one: its age counts from the requeue, not from the first queueing. */
static void test_requeue_restarts_the_age(void **state)
{
	struct fixture *f = *state;
	struct itg_outbox_decision failed = {ITG_OUTBOX_FAILED, 0, true, true};
	struct itg_outbox_decision d;
	struct itg_outbox_row row;
	const int64_t t0 = 1000000, later = t0 + 3 * 24 * 3600;

	enqueue(f, 7, false, t0);
	assert_int_equal(claim(f, "h:1:a", t0), 7);
	assert_int_equal(itg_outbox_finish(f->store, 7, "h:1:a", &failed, 1,
	                                   "503", t0, f->err, sizeof(f->err)),
	                 0);
	enqueue(f, 7, true, later);
	assert_int_equal(itg_outbox_claim(f->store, "h:1:a", later, 600, &row,
	                                  f->err, sizeof(f->err)),
	                 1);
	assert_int_equal(row.attempts, 1);
	assert_int_equal(row.created_at, later);
	d = itg_outbox_decide(&policy, ITG_ATTEMPT_RETRYABLE, row.attempts,
	                      row.created_at, later, 0, 0.5);
	assert_int_equal(d.state, ITG_OUTBOX_PENDING);
	itg_outbox_row_clear(&row);
}

/* A lease that ran out is taken over; the first owner then learns it lost
 * the row before it sends anything more, and the new owner's renewal keeps
 * others away. */
static void test_a_lost_lease_is_noticed(void **state)
{
	struct fixture *f = *state;
	const int64_t t0 = 1000000;

	enqueue(f, 8, false, t0);
	assert_int_equal(claim(f, "h:1:a", t0), 8);
	assert_int_equal(claim(f, "h:2:b", t0 + 10), 0);
	assert_int_equal(itg_outbox_renew(f->store, 8, "h:1:a", t0 + 500, 600,
	                                  f->err, sizeof(f->err)),
	                 0);
	/* Renewed at t0 + 500: still A's at t0 + 700. */
	assert_int_equal(claim(f, "h:2:b", t0 + 700), 0);
	assert_int_equal(claim(f, "h:2:b", t0 + 1101), 8);
	assert_int_equal(itg_outbox_renew(f->store, 8, "h:1:a", t0 + 1102, 600,
	                                  f->err, sizeof(f->err)),
	                 XDR_EBUSY);
	assert_int_equal(itg_outbox_set_asset(f->store, 8, "h:1:a", "99",
	                                      f->err, sizeof(f->err)),
	                 XDR_EBUSY);
	assert_int_equal(itg_outbox_set_asset(f->store, 8, "h:2:b", "99",
	                                      f->err, sizeof(f->err)),
	                 0);
}

#if OS_WIN32
/* The arguments that make this program a child of the test below. */
#define CHILD_EXITS  "--child-exits"
#define CHILD_SLEEPS "--child-sleeps"

/* Start this program again with argument WHAT; its process handle. */
static HANDLE spawn_self(const char *what)
{
	char exe[MAX_PATH];
	char cmd[MAX_PATH + 64];
	STARTUPINFOA si;
	PROCESS_INFORMATION pi;
	DWORD n = GetModuleFileNameA(NULL, exe, sizeof(exe));

	assert_true(n > 0 && n < sizeof(exe));
	snprintf(cmd, sizeof(cmd), "\"%s\" %s", exe, what);
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	assert_true(CreateProcessA(exe, cmd, NULL, NULL, FALSE, 0, NULL, NULL,
	                           &si, &pi));
	CloseHandle(pi.hThread);
	return pi.hProcess;
}
#endif

/* A row held by a process of this machine that is gone is pending again at
 * the next start; one held by a live process is left alone. */
static void test_recover_takes_back_rows_of_gone_processes(void **state)
{
	struct fixture *f = *state;
	char me[192], host[192], gone[256], alive[256], earlier[256];
#if OS_WIN32
	/* No fork(): two children of this very program (see main()), one
	 * that has ended and one that sleeps until it is killed below. */
	HANDLE ended = spawn_self(CHILD_EXITS);
	HANDLE running = spawn_self(CHILD_SLEEPS);
	long child = (long)GetProcessId(ended);
	long live = (long)GetProcessId(running);

	assert_int_equal(WaitForSingleObject(ended, 30 * 1000), WAIT_OBJECT_0);
#else
	pid_t child = fork();
	long live = (long)getppid();
	int status;

	assert_true(child >= 0);
	if (child == 0)
		_exit(0);
	assert_int_equal(waitpid(child, &status, 0), child);
#endif
	assert_int_equal(itg_outbox_owner(me, sizeof(me)), 0);
	snprintf(host, sizeof(host), "%s", me);
	*strchr(host, ':') = '\0';
	snprintf(gone, sizeof(gone), "%s:%ld:0", host, (long)child);
	snprintf(alive, sizeof(alive), "%s:%ld:0", host, live);
	/* This process's pid, another start's salt: a process that died
	 * before this one got its pid (a restarted container). */
	snprintf(earlier, sizeof(earlier), "%s:%ld:0", host, os_pid());
	enqueue(f, 1, false, 10);
	enqueue(f, 2, false, 10);
	enqueue(f, 3, false, 10);
	enqueue(f, 4, false, 10);
	assert_int_equal(claim(f, gone, 10), 1);
	assert_int_equal(claim(f, alive, 10), 2);
	assert_int_equal(claim(f, earlier, 10), 3);
	assert_int_equal(claim(f, me, 10), 4);
	assert_int_equal(
	        itg_outbox_recover(f->store, me, f->err, sizeof(f->err)), 0);
	assert_int_equal(state_of(f, 1), ITG_OUTBOX_PENDING);
	assert_int_equal(state_of(f, 2), ITG_OUTBOX_WORKING);
	assert_int_equal(state_of(f, 3), ITG_OUTBOX_PENDING);
	assert_int_equal(state_of(f, 4), ITG_OUTBOX_WORKING);
#if OS_WIN32
	TerminateProcess(running, 0);
	WaitForSingleObject(running, 30 * 1000);
	CloseHandle(running);
	CloseHandle(ended);
#endif
}

/* Between two drains no lane of this process holds a row: one still held
 * by a lane ("<owner>:<lane>") is an attempt whose end could not be
 * written (a full disk). The drain's start takes it back, still counted, so
 * that its next attempt looks for the asset it may have made. */
static void test_recover_takes_back_rows_this_process_s_lanes_left(void **state)
{
	struct fixture *f = *state;
	struct itg_outbox_row row;
	char me[192], lane[200];

	assert_int_equal(itg_outbox_owner(me, sizeof(me)), 0);
	snprintf(lane, sizeof(lane), "%s:0", me);
	enqueue(f, 1, false, 10);
	assert_int_equal(claim(f, lane, 10), 1);
	assert_int_equal(
	        itg_outbox_recover(f->store, me, f->err, sizeof(f->err)), 0);
	assert_int_equal(
	        itg_outbox_get(f->store, 1, &row, f->err, sizeof(f->err)), 0);
	assert_int_equal(row.state, ITG_OUTBOX_PENDING);
	assert_int_equal(row.next_attempt, 0);
	assert_int_equal(row.attempts, 1);
	itg_outbox_row_clear(&row);
	assert_int_equal(claim(f, lane, 11), 1);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_success_is_done_and_announced),
	        cmocka_unit_test(test_permanent_failure_fails_at_once),
	        cmocka_unit_test(
	                test_retryable_failure_is_retried_later_silently),
	        cmocka_unit_test(test_backoff_grows_to_its_cap),
	        cmocka_unit_test(test_jitter_zero_still_waits_a_second),
	        cmocka_unit_test(test_retry_after_is_honoured),
	        cmocka_unit_test(test_attempts_are_bounded),
	        cmocka_unit_test(test_age_is_bounded),
	        cmocka_unit_test(test_state_names_round_trip),
	        cmocka_unit_test_setup_teardown(test_requeue_restarts_the_age,
	                                        store_setup, store_teardown),
	        cmocka_unit_test_setup_teardown(test_a_lost_lease_is_noticed,
	                                        store_setup, store_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_recover_takes_back_rows_of_gone_processes,
	                store_setup, store_teardown),
	        cmocka_unit_test_setup_teardown(
	                test_recover_takes_back_rows_this_process_s_lanes_left,
	                store_setup, store_teardown),
	};

#if OS_WIN32
	if (argc == 2 && strcmp(argv[1], CHILD_EXITS) == 0)
		return 0;
	if (argc == 2 && strcmp(argv[1], CHILD_SLEEPS) == 0) {
		os_sleep_ms(60 * 1000);
		return 0;
	}
#else
	(void)argc;
	(void)argv;
#endif
	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
