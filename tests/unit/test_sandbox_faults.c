/*
 * test_sandbox_faults.c - fault descriptions and the per-request decision.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "fault_body.h"
#include "faults.h"

#include <stdlib.h>
#include <string.h>

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

static void parses_hostile_kinds(void **state)
{
	static const struct {
		const char *text;
		enum sbx_fault_kind kind;
		int status;
		long size;
		bool chunked;
		const char *location;
	} cases[] = {
	        {"hang", SBX_FAULT_HANG, 200, 0, false, ""},
	        {"redirect=http://127.0.0.1:8080", SBX_FAULT_REDIRECT, 302, 0,
	         false, "http://127.0.0.1:8080"},
	        {"redirect-307=https://evil.example/x", SBX_FAULT_REDIRECT, 307,
	         0, false, "https://evil.example/x"},
	        {"huge", SBX_FAULT_HUGE, 200, SBX_FAULT_HUGE_DEFAULT, false,
	         ""},
	        {"huge=1000", SBX_FAULT_HUGE, 200, 1000, false, ""},
	        {"huge-chunked", SBX_FAULT_HUGE, 200, SBX_FAULT_HUGE_DEFAULT,
	         true, ""},
	        {"huge-chunked=100", SBX_FAULT_HUGE, 200, 100, true, ""},
	        {"deep", SBX_FAULT_DEEP, 200, SBX_FAULT_DEEP_DEFAULT, false,
	         ""},
	        {"deep=1", SBX_FAULT_DEEP, 200, 1, false, ""},
	};
	struct sbx_fault f;
	char name[SBX_FAULT_NAME_MAX];
	long n_at;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sbx_fault_parse_kind(cases[i].text, &f),
		                 XDR_OK);
		assert_int_equal(f.kind, cases[i].kind);
		assert_int_equal(f.status, cases[i].status);
		assert_int_equal(f.size, cases[i].size);
		assert_int_equal(f.chunked, cases[i].chunked);
		assert_string_equal(f.location, cases[i].location);
		sbx_fault_name(&f, name, sizeof(name));
		assert_string_equal(name, cases[i].text);
	}
	/* As --fault AT:KIND: the URL's own colons stay in the kind. */
	assert_int_equal(
	        sbx_fault_parse_at("3:redirect=http://127.0.0.1:9", &n_at, &f),
	        XDR_OK);
	assert_int_equal(n_at, 3);
	assert_string_equal(f.location, "http://127.0.0.1:9");
}

static void refuses_bad_hostile_kinds(void **state)
{
	static const char *const bad[] = {
	        "hang=1",
	        "hanging",
	        "redirect",
	        "redirect=",
	        "redirect=ftp://host",
	        "redirect=http://",
	        "redirect=http://a b",
	        "redirect=http://a\tb",
	        "redirect-301=http://host",
	        "huge=",
	        "huge=99",
	        "huge=x",
	        "huge=1099511627777",
	        "huge-chunked=",
	        "hugely",
	        "deep=0",
	        "deep=",
	        "deep=100000001",
	        "deeper",
	};
	char url[SBX_FAULT_LOCATION_MAX + 16];
	struct sbx_fault f;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sbx_fault_parse_kind(bad[i], &f), XDR_EINVAL);
	/* A target as long as the room for it, its NUL included. */
	memset(url, 'a', sizeof(url));
	memcpy(url, "redirect=http://", 16);
	url[9 + SBX_FAULT_LOCATION_MAX] = '\0';
	assert_int_equal(sbx_fault_parse_kind(url, &f), XDR_EINVAL);
	url[9 + SBX_FAULT_LOCATION_MAX - 1] = '\0';
	assert_int_equal(sbx_fault_parse_kind(url, &f), XDR_OK);
}

/* The whole body of F, read in pieces of STEP bytes. */
static char *whole_body(const struct sbx_fault *f, size_t step, size_t *len)
{
	struct sbx_fault_body b;
	char *out;
	size_t n;

	assert_int_equal(sbx_fault_body_init(&b, f), XDR_OK);
	out = malloc((size_t)b.total + 1);
	assert_non_null(out);
	for (*len = 0;
	     (n = sbx_fault_body_read(&b, *len, out + *len, step)) > 0;
	     *len += n)
		assert_true(*len + n <= b.total);
	assert_int_equal(*len, b.total);
	out[*len] = '\0';
	return out;
}

static void huge_body_is_exactly_its_size(void **state)
{
	struct sbx_fault f;
	char *one, *pieces;
	size_t len, len7;

	(void)state;
	assert_int_equal(sbx_fault_parse_kind("huge=1000", &f), XDR_OK);
	one = whole_body(&f, 1 << 20, &len);
	assert_int_equal(len, 1000);
	assert_memory_equal(one, "{\"data\":[{\"id\":\"1\"", 17);
	assert_string_equal(one + len - 5, "\"}}]}");
	pieces = whole_body(&f, 7, &len7);
	assert_int_equal(len7, len);
	assert_memory_equal(pieces, one, len);
	free(one);
	free(pieces);
	assert_int_equal(sbx_fault_parse_kind("huge=100", &f), XDR_OK);
	one = whole_body(&f, 64, &len);
	assert_int_equal(len, 100);
	free(one);
}

static void deep_body_nests_its_levels(void **state)
{
	struct sbx_fault f;
	char *body;
	size_t len;

	(void)state;
	assert_int_equal(sbx_fault_parse_kind("deep=3", &f), XDR_OK);
	body = whole_body(&f, 2, &len);
	assert_string_equal(body, "{\"data\":[[[]]]}");
	free(body);
	assert_int_equal(sbx_fault_parse_kind("deep", &f), XDR_OK);
	body = whole_body(&f, 4096, &len);
	assert_int_equal(len, 8 + 2 * SBX_FAULT_DEEP_DEFAULT + 1);
	assert_int_equal(body[8 + SBX_FAULT_DEEP_DEFAULT - 1], '[');
	assert_int_equal(body[8 + SBX_FAULT_DEEP_DEFAULT], ']');
	free(body);
}

static void hang_body_never_ends(void **state)
{
	struct sbx_fault f;
	struct sbx_fault_body b;
	char buf[32];

	(void)state;
	assert_int_equal(sbx_fault_parse_kind("hang", &f), XDR_OK);
	assert_int_equal(sbx_fault_body_init(&b, &f), XDR_OK);
	assert_true(b.total == UINT64_MAX);
	assert_int_equal(b.head, 9);
	assert_int_equal(sbx_fault_body_read(&b, 0, buf, b.head), 9);
	assert_memory_equal(buf, "{\"data\":[", 9);
	assert_int_equal(sbx_fault_body_read(&b, (uint64_t)1 << 62, buf, 1), 1);
	assert_int_equal(buf[0], ' ');
	assert_int_equal(sbx_fault_body_read(&b, UINT64_MAX - 1, buf, 8), 1);
	/* Kinds without a body of their own have none. */
	assert_int_equal(sbx_fault_parse_kind("500", &f), XDR_OK);
	assert_int_equal(sbx_fault_body_init(&b, &f), XDR_EINVAL);
}

/* Field by field: a struct copied by value need not copy its padding. */
static bool same_fault(const struct sbx_fault *a, const struct sbx_fault *b)
{
	return a->kind == b->kind && a->status == b->status &&
	       a->retry_after == b->retry_after && a->size == b->size &&
	       a->chunked == b->chunked && !strcmp(a->location, b->location);
}

static void parses_fail_random(void **state)
{
	static const char *const bad[] = {
	        "",    "0",    "101",   "x",   ":5",
	        "10:", "10:x", "10:-1", "-10", "10:5:5",
	};
	int percent;
	long seed;

	(void)state;
	assert_int_equal(sbx_fault_parse_random("10", &percent, &seed), XDR_OK);
	assert_int_equal(percent, 10);
	assert_int_equal(seed, 1);
	assert_int_equal(sbx_fault_parse_random("100:0", &percent, &seed),
	                 XDR_OK);
	assert_int_equal(percent, 100);
	assert_int_equal(seed, 0);
	assert_int_equal(sbx_fault_parse_random("1:987654321", &percent, &seed),
	                 XDR_OK);
	assert_int_equal(percent, 1);
	assert_int_equal(seed, 987654321);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(
		        sbx_fault_parse_random(bad[i], &percent, &seed),
		        XDR_EINVAL);
}

static void the_random_kinds_hold_every_kind(void **state)
{
	struct sbx_fault f;
	char name[SBX_FAULT_NAME_MAX];
	struct sbx_fault again;

	(void)state;
	for (int k = SBX_FAULT_STATUS; k <= SBX_FAULT_ECHO; k++) {
		bool found = false;

		for (size_t i = 0; i < sbx_fault_kind_count(); i++) {
			assert_int_equal(sbx_fault_kind_at(i, &f), XDR_OK);
			found = found || (int)f.kind == k;
		}
		assert_true(found);
	}
	for (size_t i = 0; i < sbx_fault_kind_count(); i++) {
		assert_int_equal(sbx_fault_kind_at(i, &f), XDR_OK);
		sbx_fault_name(&f, name, sizeof(name));
		assert_int_equal(sbx_fault_parse_kind(name, &again), XDR_OK);
		assert_true(same_fault(&again, &f));
	}
	assert_int_equal(sbx_fault_kind_at(sbx_fault_kind_count(), &f),
	                 XDR_EINVAL);
}

#define RANDOM_REQUESTS 100000

static void random_faults_hit_the_percent_of_requests(void **state)
{
	struct sbx_faults faults;
	long hit = 0;

	(void)state;
	sbx_faults_init(&faults);
	faults.random_percent = 10;
	faults.random_seed = 42;
	for (long i = 0; i < RANDOM_REQUESTS; i++)
		hit += sbx_faults_next(&faults).kind != SBX_FAULT_NONE;
	assert_in_range(hit, RANDOM_REQUESTS / 10 - RANDOM_REQUESTS / 100,
	                RANDOM_REQUESTS / 10 + RANDOM_REQUESTS / 100);
	sbx_faults_clear(&faults);
}

static void random_faults_pick_each_kind_alike(void **state)
{
	struct sbx_faults faults;
	long picked[32] = {0};
	size_t n = sbx_fault_kind_count();

	(void)state;
	assert_true(n <= sizeof(picked) / sizeof(picked[0]));
	sbx_faults_init(&faults);
	faults.random_percent = 100;
	for (long i = 0; i < RANDOM_REQUESTS; i++) {
		struct sbx_fault f = sbx_faults_next(&faults);
		bool known = false;

		for (size_t k = 0; k < n; k++) {
			struct sbx_fault kind;

			assert_int_equal(sbx_fault_kind_at(k, &kind), XDR_OK);
			if (same_fault(&kind, &f)) {
				picked[k]++;
				known = true;
			}
		}
		assert_true(known);
	}
	for (size_t k = 0; k < n; k++)
		assert_in_range(picked[k], RANDOM_REQUESTS / (long)n * 9 / 10,
		                RANDOM_REQUESTS / (long)n * 11 / 10);
	sbx_faults_clear(&faults);
}

/* The kinds of requests 1..N as letters, '-' for none. */
static void random_sequence(struct sbx_faults *faults, char *out, size_t n)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (char)('-' + sbx_faults_next(faults).kind);
}

static void random_faults_follow_the_seed(void **state)
{
	struct sbx_faults a, b, c;
	char sa[2000], sb[2000], sc[2000];

	(void)state;
	sbx_faults_init(&a);
	a.random_percent = 30;
	a.random_seed = 7;
	assert_int_equal(sbx_faults_copy(&b, &a), XDR_OK);
	assert_int_equal(sbx_faults_copy(&c, &a), XDR_OK);
	c.random_seed = 8;
	random_sequence(&a, sa, sizeof(sa));
	random_sequence(&b, sb, sizeof(sb));
	random_sequence(&c, sc, sizeof(sc));
	assert_memory_equal(sa, sb, sizeof(sa));
	assert_memory_not_equal(sa, sc, sizeof(sa));
	/* A copy taken half-way goes on as the original does. */
	sbx_faults_clear(&b);
	assert_int_equal(sbx_faults_copy(&b, &a), XDR_OK);
	random_sequence(&a, sa, sizeof(sa));
	random_sequence(&b, sb, sizeof(sb));
	assert_memory_equal(sa, sb, sizeof(sa));
	sbx_faults_clear(&b);
	sbx_faults_clear(&a);
	sbx_faults_clear(&c);
}

static void scheduled_and_periodic_faults_win_over_random(void **state)
{
	struct sbx_faults faults;
	struct sbx_fault f;

	(void)state;
	sbx_faults_init(&faults);
	faults.random_percent = 100;
	assert_int_equal(sbx_fault_parse_every("3:504-html", &faults.every,
	                                       &faults.every_fault),
	                 XDR_OK);
	assert_int_equal(sbx_fault_parse_kind("408", &f), XDR_OK);
	assert_int_equal(sbx_faults_schedule(&faults, 2, &f), XDR_OK);
	assert_int_not_equal(sbx_faults_next(&faults).kind, SBX_FAULT_NONE);
	f = sbx_faults_next(&faults);
	assert_int_equal(f.status, 408);
	f = sbx_faults_next(&faults);
	assert_int_equal(f.kind, SBX_FAULT_HTML);
	assert_int_equal(f.status, 504);
	sbx_faults_clear(&faults);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(parses_every_kind),
	        cmocka_unit_test(refuses_unknown_kinds),
	        cmocka_unit_test(parses_fail_every_and_at),
	        cmocka_unit_test(decides_request_by_request),
	        cmocka_unit_test(copies_are_independent),
	        cmocka_unit_test(parses_hostile_kinds),
	        cmocka_unit_test(refuses_bad_hostile_kinds),
	        cmocka_unit_test(huge_body_is_exactly_its_size),
	        cmocka_unit_test(deep_body_nests_its_levels),
	        cmocka_unit_test(hang_body_never_ends),
	        cmocka_unit_test(parses_fail_random),
	        cmocka_unit_test(the_random_kinds_hold_every_kind),
	        cmocka_unit_test(random_faults_hit_the_percent_of_requests),
	        cmocka_unit_test(random_faults_pick_each_kind_alike),
	        cmocka_unit_test(random_faults_follow_the_seed),
	        cmocka_unit_test(scheduled_and_periodic_faults_win_over_random),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
