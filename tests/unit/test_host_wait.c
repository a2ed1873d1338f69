/*
 * test_host_wait.c - reading a plugin's "status" answer, the progress line,
 * and waiting for busy plugins with its bound.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

static void reads_an_idle_answer(void **state)
{
	struct xdr_busy b;

	(void)state;
	assert_int_equal(xdr_busy_parse("{\"busy\": false, \"plugin\": \"x\"}",
	                                &b, NULL),
	                 XDR_OK);
	assert_false(b.busy);
	assert_string_equal(b.running, "");
}

static void reads_a_busy_answer_with_progress(void **state)
{
	struct xdr_busy b;

	(void)state;
	assert_int_equal(xdr_busy_parse("{\"busy\":true,\"progress\":{\"running"
	                                "\":\"auto-map\",\"done\":3,\"total\":"
	                                "10,\"queued\":2}}",
	                                &b, NULL),
	                 XDR_OK);
	assert_true(b.busy);
	assert_string_equal(b.running, "auto-map");
	assert_int_equal(b.done, 3);
	assert_int_equal(b.total, 10);
	assert_int_equal(xdr_busy_parse("{\"busy\":true,\"progress\":{\"done\":"
	                                "-4,\"total\":\"x\",\"running\":\"a\\n"
	                                "b\"}}",
	                                &b, NULL),
	                 XDR_OK);
	assert_int_equal(b.done, 0);
	assert_int_equal(b.total, 0);
	assert_string_equal(b.running, "a b");
}

static void refuses_answers_without_busy(void **state)
{
	static const char *const bad[] = {"{}",
	                                  "{\"busy\": 1}",
	                                  "{\"busy\": \"true\"}",
	                                  "[true]",
	                                  "busy",
	                                  "",
	                                  "{\"error\": {\"code\": \"x\"}}"};
	struct xdr_busy b;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(xdr_busy_parse(bad[i], &b, NULL), XDR_EINVAL);
	assert_int_equal(xdr_busy_parse(NULL, &b, NULL), XDR_EINVAL);
}

static void formats_the_progress_line(void **state)
{
	struct xdr_busy b = {true, "auto-map", 3, 10};
	char line[64];

	(void)state;
	xdr_busy_line("itglue", &b, line, sizeof(line));
	assert_string_equal(line, "itglue: auto-map 3/10");
	b.total = 0;
	xdr_busy_line("itglue", &b, line, sizeof(line));
	assert_string_equal(line, "itglue: auto-map");
	b.running[0] = '\0';
	xdr_busy_line("itglue", &b, line, sizeof(line));
	assert_string_equal(line, "itglue: busy");
}

/* A plugin that is busy for its first busy_polls status questions. */
struct fake {
	int busy_polls;
	int calls;
	const char *answer; /* a fixed answer instead */
};

static int fake_admin(void *state, const char *action, const char *request,
                      char **response)
{
	struct fake *f = state;

	assert_string_equal(action, "status");
	assert_null(request);
	f->calls++;
	if (f->answer != NULL) {
		*response = strdup(f->answer);
		return XDR_OK;
	}
	if (f->calls <= f->busy_polls)
		assert_true(asprintf(response,
		                     "{\"busy\":true,\"progress\":{\"running\":"
		                     "\"auto-map\",\"done\":%d,\"total\":10}}",
		                     f->calls) > 0);
	else
		*response = strdup("{\"busy\":false}");
	return XDR_OK;
}

static void fake_free(void *p)
{
	free(p);
}

static const struct xdr_plugin fake_desc = {
        .struct_size = sizeof(struct xdr_plugin),
        .abi_major = XDR_PLUGIN_ABI_MAJOR,
        .name = "fake",
        .version = "1",
        .on_admin_action = fake_admin,
        .free = fake_free,
};

struct fake_set {
	struct fake fake;
	struct xdr_plugin_rec rec;
	struct xdr_plugins set;
};

static void fake_set(struct fake_set *s, int busy_polls)
{
	memset(s, 0, sizeof(*s));
	s->fake.busy_polls = busy_polls;
	s->rec.name = "fake";
	s->rec.loaded = true;
	s->rec.desc = &fake_desc;
	s->rec.state = &s->fake;
	s->set.items = &s->rec;
	s->set.n = 1;
}

static long elapsed_ms(uint64_t start)
{
	return (long)(os_monotonic_ms() - start);
}

static void an_idle_plugin_is_asked_once(void **state)
{
	struct fake_set s;

	(void)state;
	fake_set(&s, 0);
	assert_int_equal(xdr_wait_idle(&s.set, 600, NULL), XDR_OK);
	assert_int_equal(s.fake.calls, 1);
}

static void waits_with_a_growing_pause_until_idle(void **state)
{
	uint64_t start;
	struct fake_set s;
	long ms;

	(void)state;
	fake_set(&s, 4);
	start = os_monotonic_ms();
	assert_int_equal(xdr_wait_idle(&s.set, 600, NULL), XDR_OK);
	ms = elapsed_ms(start);
	assert_int_equal(s.fake.calls, 5);
	/* 10 + 20 + 25 + 25 ms: the pause grows to 25 ms, no longer */
	assert_true(ms >= 80);
	assert_true(ms < 1500);
}

static void stops_at_the_bound(void **state)
{
	uint64_t start;
	struct fake_set s;
	struct xdr_err err;
	long ms;

	(void)state;
	fake_set(&s, 1000000);
	assert_int_equal(xdr_wait_idle(&s.set, 0, &err), XDR_EBUSY);
	assert_string_equal(err.msg, "fake still busy after 0 s (auto-map); "
	                             "stopping it; queued work resumes on the "
	                             "next start");
	start = os_monotonic_ms();
	assert_int_equal(xdr_wait_idle(&s.set, 1, &err), XDR_EBUSY);
	ms = elapsed_ms(start);
	assert_true(ms >= 1000);
	assert_true(ms < 1700);
	assert_non_null(strstr(err.msg, "after 1 s"));
}

static void a_plugin_that_cannot_say_is_not_waited_for(void **state)
{
	struct fake_set s;

	(void)state;
	fake_set(&s, 0);
	s.fake.answer = "not json";
	assert_int_equal(xdr_wait_idle(&s.set, 600, NULL), XDR_OK);
	assert_int_equal(s.fake.calls, 1);
}

static void refused_and_stopped_plugins_are_not_asked(void **state)
{
	struct fake_set s;

	(void)state;
	fake_set(&s, 1000000);
	s.rec.loaded = false;
	assert_int_equal(xdr_wait_idle(&s.set, 600, NULL), XDR_OK);
	s.rec.loaded = true;
	s.rec.stopped = true;
	assert_int_equal(xdr_wait_idle(&s.set, 600, NULL), XDR_OK);
	assert_int_equal(s.fake.calls, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(reads_an_idle_answer),
	        cmocka_unit_test(reads_a_busy_answer_with_progress),
	        cmocka_unit_test(refuses_answers_without_busy),
	        cmocka_unit_test(formats_the_progress_line),
	        cmocka_unit_test(an_idle_plugin_is_asked_once),
	        cmocka_unit_test(waits_with_a_growing_pause_until_idle),
	        cmocka_unit_test(stops_at_the_bound),
	        cmocka_unit_test(a_plugin_that_cannot_say_is_not_waited_for),
	        cmocka_unit_test(refused_and_stopped_plugins_are_not_asked),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
