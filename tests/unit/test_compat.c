/*
 * test_compat.c - the operating system layer (compat/os.h): the same cases,
 * with the same expectations, on POSIX and on Windows.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"

/* ---- threads ------------------------------------------------------------ */

struct shared {
	os_mutex lock;
	os_cond cond;
	bool ready;
	bool go;
	void *seen;
	long count;
};

static void shared_init(struct shared *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(os_mutex_init(&s->lock), 0);
	assert_int_equal(os_cond_init(&s->cond), 0);
}

static void shared_destroy(struct shared *s)
{
	os_cond_destroy(&s->cond);
	os_mutex_destroy(&s->lock);
}

static void *signal_ready(void *arg)
{
	struct shared *s = arg;

	os_mutex_lock(&s->lock);
	s->seen = arg;
	s->ready = true;
	os_cond_signal(&s->cond);
	os_mutex_unlock(&s->lock);
	return NULL;
}

static void a_thread_wakes_a_timed_waiter(void **state)
{
	struct shared s;
	os_thread t;
	uint64_t deadline;

	(void)state;
	shared_init(&s);
	os_mutex_lock(&s.lock);
	assert_int_equal(os_thread_start(&t, signal_ready, &s), 0);
	deadline = os_monotonic_ms() + 10000;
	while (!s.ready && os_cond_wait_until(&s.cond, &s.lock, deadline))
		;
	assert_true(s.ready);
	assert_ptr_equal(s.seen, &s);
	os_mutex_unlock(&s.lock);
	os_thread_join(t);
	shared_destroy(&s);
}

enum { WORKERS = 4, ROUNDS = 20000 };

/* Wait for the start (os_cond_wait), then count under the lock. */
static void *count_after_go(void *arg)
{
	struct shared *s = arg;

	os_mutex_lock(&s->lock);
	while (!s->go)
		os_cond_wait(&s->cond, &s->lock);
	os_mutex_unlock(&s->lock);
	for (int i = 0; i < ROUNDS; i++) {
		os_mutex_lock(&s->lock);
		s->count++;
		os_mutex_unlock(&s->lock);
	}
	return NULL;
}

static void a_broadcast_starts_every_waiter(void **state)
{
	struct shared s;
	os_thread t[WORKERS];

	(void)state;
	shared_init(&s);
	for (int i = 0; i < WORKERS; i++)
		assert_int_equal(os_thread_start(&t[i], count_after_go, &s), 0);
	os_sleep_ms(20); /* most of them are waiting by now */
	os_mutex_lock(&s.lock);
	s.go = true;
	os_cond_broadcast(&s.cond);
	os_mutex_unlock(&s.lock);
	for (int i = 0; i < WORKERS; i++)
		os_thread_join(t[i]);
	assert_int_equal(s.count, (long)WORKERS * ROUNDS);
	shared_destroy(&s);
}

static os_mutex static_lock = OS_MUTEX_INIT;

static void a_static_mutex_needs_no_init(void **state)
{
	(void)state;
	os_mutex_lock(&static_lock);
	os_mutex_unlock(&static_lock);
	os_mutex_lock(&static_lock);
	os_mutex_unlock(&static_lock);
}

static void a_deadline_in_the_past_times_out_at_once(void **state)
{
	struct shared s;
	uint64_t now = os_monotonic_ms();

	(void)state;
	shared_init(&s);
	os_mutex_lock(&s.lock);
	assert_false(os_cond_wait_until(&s.cond, &s.lock, 0));
	assert_false(os_cond_wait_until(&s.cond, &s.lock, now));
	if (now > 0)
		assert_false(os_cond_wait_until(&s.cond, &s.lock, now - 1));
	os_mutex_unlock(&s.lock);
	shared_destroy(&s);
}

static void a_wait_times_out_at_its_deadline(void **state)
{
	struct shared s;
	uint64_t start, elapsed;
	int wakeups = 0;

	(void)state;
	shared_init(&s);
	os_mutex_lock(&s.lock);
	start = os_monotonic_ms();
	/* Nobody signals: only spurious wake-ups return true. */
	while (os_cond_wait_until(&s.cond, &s.lock, start + 50))
		assert_true(++wakeups < 1000);
	elapsed = os_monotonic_ms() - start;
	os_mutex_unlock(&s.lock);
	assert_true(elapsed >= 40);
	assert_true(elapsed < 10000);
	shared_destroy(&s);
}

/* ---- time --------------------------------------------------------------- */

static void the_monotonic_clock_never_goes_back(void **state)
{
	uint64_t last = os_monotonic_ms();

	(void)state;
	for (int i = 0; i < 200000; i++) {
		uint64_t now = os_monotonic_ms();

		assert_true(now >= last);
		last = now;
	}
}

static void sleep_takes_all_its_time(void **state)
{
	uint64_t start = os_monotonic_ms(), elapsed;

	(void)state;
	os_sleep_ms(0);
	os_sleep_ms(30);
	elapsed = os_monotonic_ms() - start;
	assert_true(elapsed >= 30);
	assert_true(elapsed < 10000);
}

static void gmtime_of_the_epoch(void **state)
{
	struct tm tm;

	(void)state;
	memset(&tm, 0x55, sizeof(tm));
	assert_ptr_equal(os_gmtime(0, &tm), &tm);
	assert_int_equal(tm.tm_year, 70);
	assert_int_equal(tm.tm_mon, 0);
	assert_int_equal(tm.tm_mday, 1);
	assert_int_equal(tm.tm_hour, 0);
	assert_int_equal(tm.tm_min, 0);
	assert_int_equal(tm.tm_sec, 0);
	assert_int_equal(tm.tm_wday, 4); /* a Thursday */
	assert_int_equal(tm.tm_yday, 0);
}

static void gmtime_of_a_leap_day(void **state)
{
	struct tm tm;

	(void)state;
	/* 2000-02-29T00:00:00Z, then one second before it. */
	assert_ptr_equal(os_gmtime(951782400, &tm), &tm);
	assert_int_equal(tm.tm_year, 100);
	assert_int_equal(tm.tm_mon, 1);
	assert_int_equal(tm.tm_mday, 29);
	assert_int_equal(tm.tm_hour, 0);
	assert_int_equal(tm.tm_wday, 2); /* a Tuesday */
	assert_int_equal(tm.tm_yday, 59);
	assert_ptr_equal(os_gmtime(951782399, &tm), &tm);
	assert_int_equal(tm.tm_mon, 1);
	assert_int_equal(tm.tm_mday, 28);
	assert_int_equal(tm.tm_hour, 23);
	assert_int_equal(tm.tm_min, 59);
	assert_int_equal(tm.tm_sec, 59);
}

/* ---- files -------------------------------------------------------------- */

struct scratch {
	char dir[4096];
};

/* BASE/NAME into OUT (4096 bytes); fails the test if it does not fit. */
static void path_of(char *out, const char *base, const char *name)
{
	int n = snprintf(out, 4096, "%s/%s", base, name);

	assert_true(n > 0 && n < 4096);
}

/* The system's directory for temporary files, or the current one. */
static const char *temp_base(void)
{
	static const char *const vars[] = {"TMPDIR", "TEMP", "TMP"};

	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
		const char *v = getenv(vars[i]);

		if (v != NULL && *v != '\0')
			return v;
	}
	return ".";
}

static int scratch_setup(void **state)
{
	struct scratch *s = calloc(1, sizeof(*s));
	const char *base = temp_base();
	size_t len;

	if (s == NULL)
		return -1;
	path_of(s->dir, base, "test_compat.XXXXXX");
	len = strlen(s->dir);
	if (os_mkdtemp(s->dir) == NULL) {
		free(s);
		return -1;
	}
	/* The X's became a name of its own, and the directory exists. */
	assert_int_equal(strlen(s->dir), len);
	assert_null(strstr(s->dir, "XXXXXX"));
	*state = s;
	return 0;
}

static int scratch_teardown(void **state)
{
	struct scratch *s = *state;
	int rc = os_rmtree(s->dir);

	free(s);
	return rc;
}

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, size, f), size);
	assert_int_equal(fflush(f), 0);
	assert_int_equal(os_fsync(fileno(f)), 0);
	assert_int_equal(os_fchmod(fileno(f), 0600), 0);
	assert_int_equal(fclose(f), 0);
}

/* The whole of file PATH into BUF (SIZE bytes, NUL-terminated): its length. */
static size_t read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, size - 1, f);
	assert_false(ferror(f));
	fclose(f);
	buf[n] = '\0';
	return n;
}

static bool exists(const char *path)
{
	char *abs = os_realpath(path);

	free(abs);
	return abs != NULL;
}

static void mkdtemp_makes_distinct_directories(void **state)
{
	struct scratch *s = *state;
	char a[4096], b[4096];

	path_of(a, s->dir, "t.XXXXXX");
	path_of(b, s->dir, "t.XXXXXX");
	assert_non_null(os_mkdtemp(a));
	assert_non_null(os_mkdtemp(b));
	assert_string_not_equal(a, b);
	assert_true(exists(a));
	assert_true(exists(b));
	/* A template without its X's is refused. */
	path_of(a, s->dir, "t.XXXXX");
	errno = 0;
	assert_null(os_mkdtemp(a));
	assert_int_equal(errno, EINVAL);
}

static void a_private_directory_is_created_once(void **state)
{
	struct scratch *s = *state;
	char sub[4096], file[4096], buf[64];

	path_of(sub, s->dir, "private");
	assert_int_equal(os_mkdir_private(sub), 0);
	errno = 0;
	assert_int_equal(os_mkdir_private(sub), -1);
	assert_int_equal(errno, EEXIST);
	/* Its owner can use it. */
	path_of(file, sub, "f");
	write_file(file, "mine", 4);
	assert_int_equal(read_file(file, buf, sizeof(buf)), 4);
	assert_string_equal(buf, "mine");
	/* A parent that does not exist. */
	path_of(sub, s->dir, "missing/private");
	errno = 0;
	assert_int_equal(os_mkdir_private(sub), -1);
	assert_int_equal(errno, ENOENT);
}

static void replace_puts_the_new_file_in_place(void **state)
{
	struct scratch *s = *state;
	char to[4096], from[4096], buf[64];

	path_of(to, s->dir, "state.json");
	path_of(from, s->dir, "state.json.tmp");
	write_file(to, "old and longer", 14);
	write_file(from, "new\r\n", 5);
	assert_int_equal(os_replace(from, to), 0);
	os_sync_dir(s->dir);
	assert_int_equal(read_file(to, buf, sizeof(buf)), 5);
	assert_string_equal(buf, "new\r\n");
	assert_false(exists(from));
	/* Onto a name that is free, too. */
	path_of(from, s->dir, "moved.json");
	assert_int_equal(os_replace(to, from), 0);
	assert_false(exists(to));
	assert_true(exists(from));
	/* From nowhere. */
	errno = 0;
	assert_int_equal(os_replace(to, from), -1);
	assert_int_equal(errno, ENOENT);
}

static void a_hard_link_is_a_second_name(void **state)
{
	struct scratch *s = *state;
	char file[4096], second[4096], tmp[4096], buf[64];

	path_of(file, s->dir, "plugin.so");
	path_of(second, s->dir, "plugin.so.prev");
	write_file(file, "v1", 2);
	assert_int_equal(os_link(file, second), 0);
	assert_int_equal(read_file(second, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "v1");
	/* A new file replacing the first name leaves the second as it was. */
	path_of(tmp, s->dir, "plugin.so.tmp");
	write_file(tmp, "v2", 2);
	assert_int_equal(os_replace(tmp, file), 0);
	assert_int_equal(read_file(second, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "v1");
	assert_int_equal(read_file(file, buf, sizeof(buf)), 2);
	assert_string_equal(buf, "v2");
	/* Not over a name that is taken, and not from nowhere. */
	errno = 0;
	assert_int_equal(os_link(file, second), -1);
	assert_int_equal(errno, EEXIST);
	path_of(file, s->dir, "missing");
	path_of(second, s->dir, "missing.prev");
	errno = 0;
	assert_int_equal(os_link(file, second), -1);
	assert_int_equal(errno, ENOENT);
}

static void rmtree_removes_everything_under_it(void **state)
{
	struct scratch *s = *state;
	char top[4096], path[4096];

	path_of(top, s->dir, "tree");
	assert_int_equal(os_mkdir_private(top), 0);
	path_of(path, top, "a");
	assert_int_equal(os_mkdir_private(path), 0);
	path_of(path, top, "a/b");
	assert_int_equal(os_mkdir_private(path), 0);
	path_of(path, top, "a/b/deep.txt");
	write_file(path, "x", 1);
	path_of(path, top, "a/empty");
	write_file(path, "", 0);
	path_of(path, top, "top.txt");
	write_file(path, "y", 1);
	path_of(path, top, "c");
	assert_int_equal(os_mkdir_private(path), 0);

	assert_int_equal(os_rmtree(top), 0);
	assert_false(exists(top));
	assert_true(exists(s->dir));
	/* What is not there is removed already. */
	assert_int_equal(os_rmtree(top), 0);
	path_of(path, s->dir, "no/such/thing");
	assert_int_equal(os_rmtree(path), 0);
	/* A plain file goes as well. */
	path_of(path, s->dir, "single");
	write_file(path, "z", 1);
	assert_int_equal(os_rmtree(path), 0);
	assert_false(exists(path));
}

static void realpath_makes_paths_absolute(void **state)
{
	struct scratch *s = *state;
	char *abs, *again, path[4096];

	abs = os_realpath(".");
	assert_non_null(abs);
	assert_true(os_path_is_absolute(abs));
	again = os_realpath("./.");
	assert_non_null(again);
	assert_string_equal(abs, again);
	free(again);
	free(abs);

	abs = os_realpath(s->dir);
	assert_non_null(abs);
	assert_true(os_path_is_absolute(abs));
	free(abs);

	path_of(path, s->dir, "missing");
	errno = 0;
	assert_null(os_realpath(path));
	assert_int_equal(errno, ENOENT);
	errno = 0;
	assert_null(os_realpath("test_compat.no-such-file"));
	assert_int_equal(errno, ENOENT);
}

static void absolute_paths_are_told_apart(void **state)
{
	char *cwd = os_realpath(".");
	bool drives;

	(void)state;
	assert_true(os_path_is_absolute("/"));
	assert_true(os_path_is_absolute("/x/y"));
	assert_false(os_path_is_absolute(NULL));
	assert_false(os_path_is_absolute(""));
	assert_false(os_path_is_absolute("x"));
	assert_false(os_path_is_absolute("./x"));
	assert_false(os_path_is_absolute("../x"));
	assert_false(os_path_is_absolute("x/y"));
	/* Relative to a drive's current directory, or a drive alone. */
	assert_false(os_path_is_absolute("C:x"));
	assert_false(os_path_is_absolute("C:"));
	/* Drive letters and server names are absolute where paths have them,
	 * that is where the current directory has one. */
	assert_non_null(cwd);
	drives = cwd[0] != '/';
	free(cwd);
	assert_int_equal(os_path_is_absolute("C:\\x"), drives);
	assert_int_equal(os_path_is_absolute("c:/x"), drives);
	assert_int_equal(os_path_is_absolute("Z:\\"), drives);
	assert_int_equal(os_path_is_absolute("\\x"), drives);
	assert_int_equal(os_path_is_absolute("\\\\server\\share\\x"), drives);
	assert_false(os_path_is_absolute("1:\\x"));
}

/* ---- processes and the terminal ----------------------------------------- */

static void this_process_is_alive(void **state)
{
	(void)state;
	assert_true(os_pid() > 0);
	assert_false(os_process_gone(os_pid()));
	/* No pid at all is not known to be gone. */
	assert_false(os_process_gone(0));
	assert_false(os_process_gone(-1));
}

static void a_pid_no_system_hands_out_is_gone(void **state)
{
	(void)state;
	/* Beyond Linux's pid_max (2^22) and the BSDs' 99999; a multiple of 4
	 * as Windows' process ids are. */
	assert_true(os_process_gone(0x7ffffffcL));
}

static void the_hostname_is_cut_to_fit(void **state)
{
	char name[256], cut[256];
	size_t len;

	(void)state;
	memset(name, 'x', sizeof(name));
	assert_int_equal(os_hostname(name, sizeof(name)), 0);
	len = strlen(name);
	assert_true(len > 0 && len < sizeof(name));
	/* One byte too few: the name without its last character. */
	memset(cut, 'x', sizeof(cut));
	assert_int_equal(os_hostname(cut, len), 0);
	assert_int_equal(strlen(cut), len - 1);
	assert_memory_equal(cut, name, len - 1);
	/* No room at all. */
	assert_int_equal(os_hostname(cut, 0), -1);
}

static void the_terminal_is_asked_without_failing(void **state)
{
	(void)state;
	/* Not a terminal: no columns to tell. */
	if (!os_stderr_is_terminal())
		assert_int_equal(os_stderr_columns(), 0);
	else
		(void)os_stderr_columns();
}

/* ---- in-memory streams -------------------------------------------------- */

static void a_memstream_keeps_every_byte(void **state)
{
	static const char binary[] = "\r\n\0\x1a\xff\n\r";
	struct os_memstream ms;
	char *expect, *text;
	size_t size = 0, len = 0, cap = 64 * 1024;

	(void)state;
	expect = malloc(cap);
	assert_non_null(expect);
	assert_int_equal(os_memstream_open(&ms), 0);
	assert_non_null(ms.f);
	for (int i = 0; i < 500; i++) {
		int n = fprintf(ms.f, "line %d of the report\n", i);

		assert_true(n > 0);
		assert_int_equal(snprintf(expect + len, cap - len,
		                          "line %d of the report\n", i),
		                 n);
		len += (size_t)n;
	}
	assert_true(len > 4000);
	assert_int_equal(fwrite(binary, 1, sizeof(binary), ms.f),
	                 sizeof(binary));
	memcpy(expect + len, binary, sizeof(binary));
	len += sizeof(binary);

	text = os_memstream_close(&ms, &size);
	assert_non_null(text);
	assert_null(ms.f);
	assert_int_equal(size, len);
	assert_memory_equal(text, expect, len);
	assert_int_equal(text[size], '\0');
	free(text);
	free(expect);
}

static void an_empty_memstream_is_an_empty_string(void **state)
{
	struct os_memstream ms;
	char *text;
	size_t size = 99;

	(void)state;
	assert_int_equal(os_memstream_open(&ms), 0);
	text = os_memstream_close(&ms, &size);
	assert_non_null(text);
	assert_int_equal(size, 0);
	assert_string_equal(text, "");
	free(text);
	/* The size is optional. */
	assert_int_equal(os_memstream_open(&ms), 0);
	fputs("abc", ms.f);
	text = os_memstream_close(&ms, NULL);
	assert_non_null(text);
	assert_string_equal(text, "abc");
	free(text);
}

/* ---- strings ------------------------------------------------------------ */

static void strndup_copies_at_most_n_bytes(void **state)
{
	const char hi[16] = "hi";
	char *s;

	(void)state;
	s = strndup("hello", 3);
	assert_string_equal(s, "hel");
	free(s);
	s = strndup(hi, 10);
	assert_string_equal(s, "hi");
	free(s);
	s = strndup("abc", 0);
	assert_string_equal(s, "");
	free(s);
	/* It reads no further than N, nor past the end. */
	s = strndup((const char[]){'a', 'b'}, 2);
	assert_string_equal(s, "ab");
	free(s);
}

#define S(name)                                                                \
	cmocka_unit_test_setup_teardown(name, scratch_setup, scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_thread_wakes_a_timed_waiter),
	        cmocka_unit_test(a_broadcast_starts_every_waiter),
	        cmocka_unit_test(a_static_mutex_needs_no_init),
	        cmocka_unit_test(a_deadline_in_the_past_times_out_at_once),
	        cmocka_unit_test(a_wait_times_out_at_its_deadline),
	        cmocka_unit_test(the_monotonic_clock_never_goes_back),
	        cmocka_unit_test(sleep_takes_all_its_time),
	        cmocka_unit_test(gmtime_of_the_epoch),
	        cmocka_unit_test(gmtime_of_a_leap_day),
	        S(mkdtemp_makes_distinct_directories),
	        S(a_private_directory_is_created_once),
	        S(replace_puts_the_new_file_in_place),
	        S(a_hard_link_is_a_second_name),
	        S(rmtree_removes_everything_under_it),
	        S(realpath_makes_paths_absolute),
	        cmocka_unit_test(absolute_paths_are_told_apart),
	        cmocka_unit_test(this_process_is_alive),
	        cmocka_unit_test(a_pid_no_system_hands_out_is_gone),
	        cmocka_unit_test(the_hostname_is_cut_to_fit),
	        cmocka_unit_test(the_terminal_is_asked_without_failing),
	        cmocka_unit_test(a_memstream_keeps_every_byte),
	        cmocka_unit_test(an_empty_memstream_is_an_empty_string),
	        cmocka_unit_test(strndup_copies_at_most_n_bytes),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
