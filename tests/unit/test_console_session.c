/*
 * test_console_session.c - the console's sessions (ids, CSRF tokens, idle
 * and absolute expiry, eviction, logout), the comparison of tokens, the
 * reading of the Cookie header and the back-off after failed logins.
 *
 * The clock and the random bytes are chosen by each test.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "auth.h"

/* base64url of the bytes 0..31 and 32..63. */
#define ID0   "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
#define CSRF0 "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8"

#define T0 1000000 /* the time of the first login in most tests */

/* Random bytes that differ for each seed: 0, 1, 2... 63 but the first
 * byte of id and token, which are the seed (0 for seed 0). */
static void fill(unsigned char r[2 * XCON_TOKEN_BYTES], unsigned seed)
{
	for (size_t i = 0; i < 2 * XCON_TOKEN_BYTES; i++)
		r[i] = (unsigned char)i;
	r[0] = (unsigned char)seed;
	r[XCON_TOKEN_BYTES] = (unsigned char)(XCON_TOKEN_BYTES + seed);
}

static int setup(void **state)
{
	*state = xcon_sessions_new();
	assert_non_null(*state);
	return 0;
}

static int teardown(void **state)
{
	xcon_sessions_free(*state);
	return 0;
}

/* Open a session with fill(seed) at now, its id into id. */
static void open_at(struct xcon_sessions *s, int64_t now, unsigned seed,
                    char id[XCON_TOKEN_CHARS])
{
	unsigned char r[2 * XCON_TOKEN_BYTES];
	char csrf[XCON_TOKEN_CHARS];

	fill(r, seed);
	assert_int_equal(xcon_session_open(s, now, r, id, csrf), XDR_OK);
}

/* ---- ids and tokens ------------------------------------------------------ */

static void id_and_token_are_the_base64url_of_the_random_bytes(void **state)
{
	unsigned char r[2 * XCON_TOKEN_BYTES];
	char id[XCON_TOKEN_CHARS], csrf[XCON_TOKEN_CHARS];

	fill(r, 0);
	assert_int_equal(xcon_session_open(*state, T0, r, id, csrf), XDR_OK);
	assert_string_equal(id, ID0);
	assert_string_equal(csrf, CSRF0);
}

static void ids_use_only_the_url_safe_alphabet(void **state)
{
	unsigned char r[2 * XCON_TOKEN_BYTES];
	char id[XCON_TOKEN_CHARS], csrf[XCON_TOKEN_CHARS];

	/* Bytes 0xe0..0xff encode to the characters '-' and '_' among others.
	 */
	for (size_t i = 0; i < sizeof(r); i++)
		r[i] = (unsigned char)(0xe0 + i % 32);
	assert_int_equal(xcon_session_open(*state, T0, r, id, csrf), XDR_OK);
	assert_string_equal(id, "4OHi4-Tl5ufo6err7O3u7_Dx8vP09fb3-Pn6-_z9_v8");
	assert_int_equal(strlen(csrf), XCON_TOKEN_CHARS - 1);
	assert_int_equal(strspn(csrf, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
	                              "nopqrstuvwxyz0123456789-_"),
	                 XCON_TOKEN_CHARS - 1);
}

static void a_session_is_found_by_its_id_with_its_token(void **state)
{
	char id[XCON_TOKEN_CHARS], csrf[XCON_TOKEN_CHARS] = "";

	open_at(*state, T0, 0, id);
	assert_true(xcon_session_touch(*state, id, T0 + 1, csrf));
	assert_string_equal(csrf, CSRF0);
}

static void a_wrong_id_finds_no_session(void **state)
{
	static const char *const wrong[] = {
	        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh9",  /* last char */
	        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh",   /* short */
	        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8A", /* long */
	        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh+",  /* base64 */
	        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", /* padded */
	        CSRF0,                                          /* the token */
	        "",
	};
	char id[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, id);
	for (size_t i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++)
		assert_false(xcon_session_touch(*state, wrong[i], T0, NULL));
	assert_false(xcon_session_touch(*state, NULL, T0, NULL));
}

static void each_login_gets_a_new_id(void **state)
{
	char a[XCON_TOKEN_CHARS], b[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, a);
	open_at(*state, T0, 1, b);
	assert_string_not_equal(a, b);
	assert_int_equal(xcon_sessions_count(*state), 2);
	assert_true(xcon_session_touch(*state, a, T0, NULL));
	assert_true(xcon_session_touch(*state, b, T0, NULL));
}

/* ---- expiry -------------------------------------------------------------- */

static void a_session_idle_for_30_minutes_ends(void **state)
{
	char id[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, id);
	assert_true(xcon_session_touch(*state, id, T0 + 1799, NULL));
	assert_false(xcon_session_touch(*state, id, T0 + 1799 + 1800, NULL));
	assert_int_equal(xcon_sessions_count(*state), 0);
}

static void a_used_session_stays_until_its_eighth_hour(void **state)
{
	char id[XCON_TOKEN_CHARS];
	int64_t t = T0;

	open_at(*state, T0, 0, id);
	for (; t + 1700 < T0 + XCON_SESSION_LIFETIME; t += 1700)
		assert_true(xcon_session_touch(*state, id, t + 1700, NULL));
	assert_true(xcon_session_touch(*state, id, T0 + 28799, NULL));
	assert_false(xcon_session_touch(*state, id, T0 + 28800, NULL));
}

static void a_login_drops_the_expired_sessions(void **state)
{
	char a[XCON_TOKEN_CHARS], b[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, a);
	open_at(*state, T0 + 1800, 1, b);
	assert_int_equal(xcon_sessions_count(*state), 1);
	assert_false(xcon_session_touch(*state, a, T0 + 1800, NULL));
}

/* ---- eviction ------------------------------------------------------------ */

static void a_full_table_drops_the_session_used_least_recently(void **state)
{
	char ids[XCON_SESSIONS_MAX + 1][XCON_TOKEN_CHARS];

	for (unsigned i = 0; i < XCON_SESSIONS_MAX; i++)
		open_at(*state, T0 + i, i, ids[i]);
	/* The oldest login is used again: the second is now the least
	 * recently used. */
	assert_true(xcon_session_touch(*state, ids[0], T0 + 100, NULL));
	open_at(*state, T0 + 101, XCON_SESSIONS_MAX, ids[XCON_SESSIONS_MAX]);
	assert_int_equal(xcon_sessions_count(*state), XCON_SESSIONS_MAX);
	assert_false(xcon_session_touch(*state, ids[1], T0 + 102, NULL));
	assert_true(xcon_session_touch(*state, ids[0], T0 + 102, NULL));
	assert_true(xcon_session_touch(*state, ids[2], T0 + 102, NULL));
	assert_true(xcon_session_touch(*state, ids[XCON_SESSIONS_MAX], T0 + 102,
	                               NULL));
}

/* ---- logout -------------------------------------------------------------- */

static void a_closed_session_is_gone(void **state)
{
	char a[XCON_TOKEN_CHARS], b[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, a);
	open_at(*state, T0, 1, b);
	assert_true(xcon_session_close(*state, a));
	assert_false(xcon_session_touch(*state, a, T0, NULL));
	assert_true(xcon_session_touch(*state, b, T0, NULL));
	assert_int_equal(xcon_sessions_count(*state), 1);
}

static void closing_twice_or_an_unknown_id_says_so(void **state)
{
	char a[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, a);
	assert_true(xcon_session_close(*state, a));
	assert_false(xcon_session_close(*state, a));
	assert_false(xcon_session_close(*state, CSRF0));
	assert_false(xcon_session_close(*state, NULL));
}

static void close_all_ends_every_session(void **state)
{
	char a[XCON_TOKEN_CHARS], b[XCON_TOKEN_CHARS];

	open_at(*state, T0, 0, a);
	open_at(*state, T0, 1, b);
	xcon_sessions_close_all(*state);
	assert_int_equal(xcon_sessions_count(*state), 0);
	assert_false(xcon_session_touch(*state, a, T0, NULL));
	assert_false(xcon_session_touch(*state, b, T0, NULL));
}

/* ---- comparing tokens ---------------------------------------------------- */

static void equal_tokens_are_equal(void **state)
{
	(void)state;
	assert_true(xcon_token_equal(CSRF0, CSRF0));
}

static void tokens_differing_in_the_last_character_are_not(void **state)
{
	(void)state;
	assert_false(xcon_token_equal(
	        CSRF0, "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj9"));
}

static void a_prefix_or_a_longer_token_is_not_equal(void **state)
{
	(void)state;
	assert_false(xcon_token_equal(CSRF0, "ICEiIyQlJicoKSorLC0u"));
	assert_false(xcon_token_equal(CSRF0, CSRF0 "A"));
}

static void a_missing_or_empty_token_is_never_equal(void **state)
{
	(void)state;
	assert_false(xcon_token_equal(CSRF0, NULL));
	assert_false(xcon_token_equal(NULL, CSRF0));
	assert_false(xcon_token_equal(CSRF0, ""));
	assert_false(xcon_token_equal("", ""));
	assert_false(xcon_token_equal(NULL, NULL));
}

/* ---- the Cookie header --------------------------------------------------- */

static void a_cookie_alone_is_read(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_true(xcon_cookie_value("xdr_console=" ID0, "xdr_console", v,
	                              sizeof(v)));
	assert_string_equal(v, ID0);
}

static void a_cookie_among_others_is_read(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_true(xcon_cookie_value("theme=dark; xdr_console=" ID0
	                              "; lang=en",
	                              "xdr_console", v, sizeof(v)));
	assert_string_equal(v, ID0);
}

static void spaces_tabs_and_missing_spaces_are_taken(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_true(xcon_cookie_value("a=1;xdr_console=" ID0 ";b=2",
	                              "xdr_console", v, sizeof(v)));
	assert_string_equal(v, ID0);
	assert_true(xcon_cookie_value("  a=1 ;\txdr_console=" ID0 "  ; ;",
	                              "xdr_console", v, sizeof(v)));
	assert_string_equal(v, ID0);
}

static void an_absent_cookie_is_not_read(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_false(
	        xcon_cookie_value("a=1; b=2", "xdr_console", v, sizeof(v)));
	assert_false(xcon_cookie_value("", "xdr_console", v, sizeof(v)));
	assert_false(xcon_cookie_value(NULL, "xdr_console", v, sizeof(v)));
}

static void a_name_that_only_starts_or_ends_alike_is_another(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_false(xcon_cookie_value("xdr_console2=" ID0, "xdr_console", v,
	                               sizeof(v)));
	assert_false(xcon_cookie_value("__Host-xdr_console=" ID0, "xdr_console",
	                               v, sizeof(v)));
	assert_false(xcon_cookie_value("XDR_CONSOLE=" ID0, "xdr_console", v,
	                               sizeof(v)));
}

static void a_piece_without_equals_sign_is_skipped(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_true(xcon_cookie_value("xdr_console; xdr_console=" ID0,
	                              "xdr_console", v, sizeof(v)));
	assert_string_equal(v, ID0);
}

static void a_cookie_given_twice_is_refused(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_false(xcon_cookie_value("xdr_console=" ID0
	                               "; xdr_console=" CSRF0,
	                               "xdr_console", v, sizeof(v)));
	assert_false(xcon_cookie_value("xdr_console=" ID0 "; xdr_console=" ID0,
	                               "xdr_console", v, sizeof(v)));
}

static void a_value_too_long_for_the_buffer_is_refused(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_false(xcon_cookie_value("xdr_console=" ID0 "A", "xdr_console", v,
	                               sizeof(v)));
	assert_false(xcon_cookie_value("xdr_console=" ID0, "xdr_console", v,
	                               sizeof(v) - 1));
}

static void an_empty_value_is_refused(void **state)
{
	char v[XCON_TOKEN_CHARS];

	(void)state;
	assert_false(xcon_cookie_value("xdr_console=; a=1", "xdr_console", v,
	                               sizeof(v)));
}

static void a_value_with_a_forbidden_byte_is_refused(void **state)
{
	static const char *const bad[] = {
	        "xdr_console=\"abc\"", "xdr_console=a b",
	        "xdr_console=a,b",     "xdr_console=a\\b",
	        "xdr_console=a\x01",   "xdr_console=\xc3\xa9",
	};
	char v[XCON_TOKEN_CHARS];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(
		        xcon_cookie_value(bad[i], "xdr_console", v, sizeof(v)));
}

/* ---- the back-off -------------------------------------------------------- */

static void five_failures_cost_nothing(void **state)
{
	struct xcon_throttle t = {0, 0};

	(void)state;
	for (int i = 0; i < XCON_THROTTLE_FREE; i++) {
		xcon_throttle_failed(&t, T0);
		assert_int_equal(xcon_throttle_wait(&t, T0), 0);
	}
}

static void then_waits_double_up_to_a_minute(void **state)
{
	static const int64_t want[] = {1, 2, 4, 8, 16, 32, 60, 60, 60};
	struct xcon_throttle t = {0, 0};
	int64_t now = T0;

	(void)state;
	for (int i = 0; i < XCON_THROTTLE_FREE; i++)
		xcon_throttle_failed(&t, now);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		xcon_throttle_failed(&t, now);
		assert_int_equal(xcon_throttle_wait(&t, now), want[i]);
		now += want[i];
		assert_int_equal(xcon_throttle_wait(&t, now), 0);
	}
}

static void the_wait_shrinks_as_time_passes(void **state)
{
	struct xcon_throttle t = {0, 0};

	(void)state;
	for (int i = 0; i < XCON_THROTTLE_FREE + 4; i++)
		xcon_throttle_failed(&t, T0);
	assert_int_equal(xcon_throttle_wait(&t, T0), 8);
	assert_int_equal(xcon_throttle_wait(&t, T0 + 3), 5);
	assert_int_equal(xcon_throttle_wait(&t, T0 + 100), 0);
}

static void a_login_that_passes_forgives_the_failures(void **state)
{
	struct xcon_throttle t = {0, 0};

	(void)state;
	for (int i = 0; i < XCON_THROTTLE_FREE + 3; i++)
		xcon_throttle_failed(&t, T0);
	xcon_throttle_passed(&t);
	assert_int_equal(xcon_throttle_wait(&t, T0), 0);
	for (int i = 0; i < XCON_THROTTLE_FREE; i++)
		xcon_throttle_failed(&t, T0);
	assert_int_equal(xcon_throttle_wait(&t, T0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(id_and_token_are_the_base64url_of_the_random_bytes),
	        T(ids_use_only_the_url_safe_alphabet),
	        T(a_session_is_found_by_its_id_with_its_token),
	        T(a_wrong_id_finds_no_session),
	        T(each_login_gets_a_new_id),
	        T(a_session_idle_for_30_minutes_ends),
	        T(a_used_session_stays_until_its_eighth_hour),
	        T(a_login_drops_the_expired_sessions),
	        T(a_full_table_drops_the_session_used_least_recently),
	        T(a_closed_session_is_gone),
	        T(closing_twice_or_an_unknown_id_says_so),
	        T(close_all_ends_every_session),
#undef T
	        cmocka_unit_test(equal_tokens_are_equal),
	        cmocka_unit_test(
	                tokens_differing_in_the_last_character_are_not),
	        cmocka_unit_test(a_prefix_or_a_longer_token_is_not_equal),
	        cmocka_unit_test(a_missing_or_empty_token_is_never_equal),
	        cmocka_unit_test(a_cookie_alone_is_read),
	        cmocka_unit_test(a_cookie_among_others_is_read),
	        cmocka_unit_test(spaces_tabs_and_missing_spaces_are_taken),
	        cmocka_unit_test(an_absent_cookie_is_not_read),
	        cmocka_unit_test(
	                a_name_that_only_starts_or_ends_alike_is_another),
	        cmocka_unit_test(a_piece_without_equals_sign_is_skipped),
	        cmocka_unit_test(a_cookie_given_twice_is_refused),
	        cmocka_unit_test(a_value_too_long_for_the_buffer_is_refused),
	        cmocka_unit_test(an_empty_value_is_refused),
	        cmocka_unit_test(a_value_with_a_forbidden_byte_is_refused),
	        cmocka_unit_test(five_failures_cost_nothing),
	        cmocka_unit_test(then_waits_double_up_to_a_minute),
	        cmocka_unit_test(the_wait_shrinks_as_time_passes),
	        cmocka_unit_test(a_login_that_passes_forgives_the_failures),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
