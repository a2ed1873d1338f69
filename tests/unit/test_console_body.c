/*
 * test_console_body.c - a request's body as the console keeps it while it
 * comes in: appended, kept NUL-terminated, and never left in freed memory.
 *
 * The program is linked with -Wl,--wrap=free: a test names a block it
 * expects to be freed and what the block must no longer hold when it is.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "http.h"

void __real_free(void *p);
void __wrap_free(void *p);

/* The block watched, the byte it must not hold when freed, over how many
 * bytes; and what was seen. */
static void *watched;
static size_t watched_len;
static char secret_byte;
static bool watched_freed, watched_wiped;

void __wrap_free(void *p)
{
	if (p != NULL && p == watched) {
		watched_freed = true;
		watched_wiped = memchr(p, secret_byte, watched_len) == NULL;
		watched = NULL;
	}
	__real_free(p);
}

static void watch(void *p, size_t len, char byte)
{
	watched = p;
	watched_len = len;
	secret_byte = byte;
	watched_freed = watched_wiped = false;
}

static void pieces_are_appended_in_order(void **state)
{
	struct xcon_buf b = {NULL, 0, 0};

	(void)state;
	assert_int_equal(xcon_buf_append(&b, "{\"a\"", 4), XDR_OK);
	assert_int_equal(xcon_buf_append(&b, ": 1}", 4), XDR_OK);
	assert_int_equal(b.len, 8);
	assert_string_equal(b.data, "{\"a\": 1}");
	xcon_buf_wipe(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void a_body_that_grows_leaves_no_copy_in_freed_memory(void **state)
{
	struct xcon_buf b = {NULL, 0, 0};
	char secret[4000], more[200];

	(void)state;
	memset(secret, 'S', sizeof(secret));
	memset(more, 'x', sizeof(more));
	assert_int_equal(xcon_buf_append(&b, secret, sizeof(secret)), XDR_OK);
	watch(b.data, sizeof(secret), 'S');
	/* 4,200 bytes and a NUL do not fit the first 4,096: a new block. */
	assert_int_equal(xcon_buf_append(&b, more, sizeof(more)), XDR_OK);
	assert_true(watched_freed);
	assert_true(watched_wiped);
	assert_int_equal(b.len, sizeof(secret) + sizeof(more));
	assert_int_equal(b.data[0], 'S');
	assert_int_equal(b.data[b.len - 1], 'x');
	xcon_buf_wipe(&b);
}

static void a_body_dropped_is_wiped_before_it_is_freed(void **state)
{
	struct xcon_buf b = {NULL, 0, 0};
	char secret[100];

	(void)state;
	memset(secret, 'S', sizeof(secret));
	assert_int_equal(xcon_buf_append(&b, secret, sizeof(secret)), XDR_OK);
	watch(b.data, sizeof(secret), 'S');
	xcon_buf_wipe(&b);
	assert_true(watched_freed);
	assert_true(watched_wiped);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(pieces_are_appended_in_order),
	        cmocka_unit_test(
	                a_body_that_grows_leaves_no_copy_in_freed_memory),
	        cmocka_unit_test(a_body_dropped_is_wiped_before_it_is_freed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
