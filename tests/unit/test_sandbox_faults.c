/*
 * test_sandbox_faults.c - fault descriptions and the per-request decision.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "faults.h"

static void parses_every_kind(void **state)
{
	static const struct {
		const char *text;
		enum sbx_fault_kind kind;
		int status, retry_after;
	} cases[] = {
	        {"500", SBX_FAULT_STATUS, 500, -1},
	        {"503", SBX_FAULT_STATUS, 503, -1},
	        {"408", SBX_FAULT_STATUS, 408, -1},
	        {"502-html", SBX_FAULT_HTML, 502, -1},
	        {"504-html", SBX_FAULT_HTML, 504, -1},
	        {"429", SBX_FAULT_RATE, 429, -1},
	        {"429-retry-after=30", SBX_FAULT_RATE, 429, 30},
	        {"429-retry-after=0", SBX_FAULT_RATE, 429, 0},
	        {"reset", SBX_FAULT_RESET, 0, -1},
	        {"truncate", SBX_FAULT_TRUNCATE, 200, -1},
	        {"malformed", SBX_FAULT_MALFORMED, 200, -1},
	        {"double-encoded", SBX_FAULT_DOUBLE_ENCODED, 200, -1},
	        {"401-echo", SBX_FAULT_ECHO, 401, -1},
	};
	struct sbx_fault f;
	char name[40];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sbx_fault_parse_kind(cases[i].text, &f),
		                 XDR_OK);
		assert_int_equal(f.kind, cases[i].kind);
		assert_int_equal(f.status, cases[i].status);
		assert_int_equal(f.retry_after, cases[i].retry_after);
		sbx_fault_name(&f, name, sizeof(name));
		assert_string_equal(name, cases[i].text);
	}
}

static void refuses_unknown_kinds(void **state)
{
	static const char *const bad[] = {
	        "",
	        "200",
	        "399",
	        "600",
	        "5OO",
	        "503-html",
	        "reset ",
	        "429-retry-after=",
	        "429-retry-after=x",
	        "429-retry-after=-1",
	};
	struct sbx_fault f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sbx_fault_parse_kind(bad[i], &f), XDR_EINVAL);
}

static void parses_fail_every_and_at(void **state)
{
	struct sbx_fault f;
	long n;

	(void)state;
	assert_int_equal(sbx_fault_parse_every("3", &n, &f), XDR_OK);
	assert_int_equal(n, 3);
	assert_int_equal(f.kind, SBX_FAULT_STATUS);
	assert_int_equal(f.status, 500);
	assert_int_equal(sbx_fault_parse_every("10:reset", &n, &f), XDR_OK);
	assert_int_equal(n, 10);
	assert_int_equal(f.kind, SBX_FAULT_RESET);
	assert_int_equal(sbx_fault_parse_every("0", &n, &f), XDR_EINVAL);
	assert_int_equal(sbx_fault_parse_every(":500", &n, &f), XDR_EINVAL);
	assert_int_equal(sbx_fault_parse_every("2:", &n, &f), XDR_EINVAL);
	assert_int_equal(sbx_fault_parse_at("5:502-html", &n, &f), XDR_OK);
	assert_int_equal(n, 5);
	assert_int_equal(f.kind, SBX_FAULT_HTML);
	assert_int_equal(sbx_fault_parse_at("5", &n, &f), XDR_EINVAL);
	assert_int_equal(sbx_fault_parse_at("x:500", &n, &f), XDR_EINVAL);
}

static void decides_request_by_request(void **state)
{
	struct sbx_faults faults;
	struct sbx_fault f;
	enum sbx_fault_kind seen[8];

	(void)state;
	sbx_faults_init(&faults);
	assert_int_equal(
	        sbx_fault_parse_every("3", &faults.every, &faults.every_fault),
	        XDR_OK);
	assert_int_equal(sbx_fault_parse_kind("reset", &f), XDR_OK);
	assert_int_equal(sbx_faults_schedule(&faults, 6, &f), XDR_OK);
	assert_int_equal(sbx_faults_schedule(&faults, 2, &f), XDR_OK);
	for (int i = 0; i < 8; i++)
		seen[i] = sbx_faults_next(&faults).kind;
	assert_int_equal(seen[0], SBX_FAULT_NONE);
	assert_int_equal(seen[1], SBX_FAULT_RESET);
	assert_int_equal(seen[2], SBX_FAULT_STATUS);
	assert_int_equal(seen[3], SBX_FAULT_NONE);
	assert_int_equal(seen[4], SBX_FAULT_NONE);
	assert_int_equal(seen[5], SBX_FAULT_RESET); /* schedule wins */
	assert_int_equal(seen[6], SBX_FAULT_NONE);
	assert_int_equal(seen[7], SBX_FAULT_NONE);
	sbx_faults_clear(&faults);
}

static void copies_are_independent(void **state)
{
	struct sbx_faults a, b;
	struct sbx_fault f;

	(void)state;
	sbx_faults_init(&a);
	assert_int_equal(sbx_fault_parse_kind("500", &f), XDR_OK);
	assert_int_equal(sbx_faults_schedule(&a, 1, &f), XDR_OK);
	assert_int_equal(sbx_faults_copy(&b, &a), XDR_OK);
	assert_int_equal(sbx_faults_next(&b).kind, SBX_FAULT_STATUS);
	assert_int_equal(a.counter, 0);
	assert_int_equal(sbx_faults_next(&a).kind, SBX_FAULT_STATUS);
	sbx_faults_clear(&a);
	sbx_faults_clear(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parses_every_kind),
	        cmocka_unit_test(refuses_unknown_kinds),
	        cmocka_unit_test(parses_fail_every_and_at),
	        cmocka_unit_test(decides_request_by_request),
	        cmocka_unit_test(copies_are_independent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
