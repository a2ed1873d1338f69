/*
 * test_plugin_store_fault.c - storage faults told from SQLite's code and the
 * system's error (pure).
 */
#include <config.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "compat/os.h"
#include "store_fault.h"

/* What sqlite3_system_errno() holds: errno, or GetLastError() on Windows. */
#if OS_WIN32
#define SYS_FULL      112 /* ERROR_DISK_FULL */
#define SYS_READONLY  19  /* ERROR_WRITE_PROTECT */
#define SYS_FULL_TEXT "system error 112"
#define SYS_DENIED    5  /* ERROR_ACCESS_DENIED */
#define SYS_IO        30 /* ERROR_READ_FAULT (EIO, 5, is ACCESS_DENIED) */
#else
#define SYS_DENIED    EACCES
#define SYS_IO        EIO
#define SYS_FULL      ENOSPC
#define SYS_READONLY  EROFS
#define SYS_FULL_TEXT "system: No space left on device"
#endif

static void test_sqlite_full_is_a_full_disk(void **state)
{
	(void)state;
	assert_int_equal(itg_store_fault_of(SQLITE_FULL, 0), ITG_STORE_FULL);
}

static void test_an_io_error_of_a_full_disk_is_a_full_disk(void **state)
{
	(void)state;
	/* What SQLite answers when the disk fills while it grows its
	 * shared-memory file. */
	assert_int_equal(itg_store_fault_of(SQLITE_IOERR_SHMSIZE, SYS_FULL),
	                 ITG_STORE_FULL);
	assert_int_equal(itg_store_fault_of(SQLITE_IOERR_WRITE, SYS_FULL),
	                 ITG_STORE_FULL);
}

static void test_sqlite_readonly_is_read_only(void **state)
{
	(void)state;
	assert_int_equal(itg_store_fault_of(SQLITE_READONLY, 0),
	                 ITG_STORE_READONLY);
	assert_int_equal(itg_store_fault_of(SQLITE_READONLY_CANTINIT, 0),
	                 ITG_STORE_READONLY);
}

static void
test_cannot_open_on_a_read_only_file_system_is_read_only(void **state)
{
	(void)state;
	assert_int_equal(itg_store_fault_of(SQLITE_CANTOPEN, SYS_READONLY),
	                 ITG_STORE_READONLY);
#if !OS_WIN32
	/* An immutable file (chattr +i): not even root may write it. */
	assert_int_equal(itg_store_fault_of(SQLITE_CANTOPEN, EPERM),
	                 ITG_STORE_READONLY);
#endif
}

static void test_damage_is_corrupt_or_not_a_database(void **state)
{
	(void)state;
	assert_int_equal(itg_store_fault_of(SQLITE_CORRUPT, 0),
	                 ITG_STORE_CORRUPT);
	assert_int_equal(itg_store_fault_of(SQLITE_CORRUPT_INDEX, 0),
	                 ITG_STORE_CORRUPT);
	assert_int_equal(itg_store_fault_of(SQLITE_NOTADB, 0),
	                 ITG_STORE_NOTADB);
}

static void test_other_io_open_and_lock_failures(void **state)
{
	(void)state;
	assert_int_equal(itg_store_fault_of(SQLITE_IOERR_READ, SYS_IO),
	                 ITG_STORE_IOERR);
	assert_int_equal(itg_store_fault_of(SQLITE_CANTOPEN, ENOENT),
	                 ITG_STORE_CANTOPEN);
	assert_int_equal(itg_store_fault_of(SQLITE_CANTOPEN, SYS_DENIED),
	                 ITG_STORE_DENIED);
	assert_int_equal(itg_store_fault_of(SQLITE_PERM, 0), ITG_STORE_DENIED);
	assert_int_equal(itg_store_fault_of(SQLITE_BUSY, 0), ITG_STORE_LOCKED);
	assert_int_equal(itg_store_fault_of(SQLITE_BUSY_SNAPSHOT, 0),
	                 ITG_STORE_LOCKED);
}

static void test_a_lingering_errno_does_not_make_a_fault(void **state)
{
	(void)state;
	/* The errno of an earlier failed call stays on the connection. */
	assert_int_equal(itg_store_fault_of(SQLITE_CONSTRAINT, SYS_FULL),
	                 ITG_STORE_NO_FAULT);
	assert_int_equal(itg_store_fault_of(SQLITE_CORRUPT, SYS_FULL),
	                 ITG_STORE_CORRUPT);
	assert_int_equal(itg_store_fault_of(SQLITE_OK, SYS_FULL),
	                 ITG_STORE_NO_FAULT);
}

static void test_every_fault_has_a_sentence(void **state)
{
	(void)state;
	assert_string_equal(itg_store_fault_text(ITG_STORE_NO_FAULT), "");
	for (int f = ITG_STORE_FULL; f <= ITG_STORE_LOCKED; f++)
		assert_true(strlen(itg_store_fault_text(
		                    (enum itg_store_fault)f)) > 10);
	assert_string_equal(itg_store_fault_text(ITG_STORE_FULL),
	                    "the disk is full");
}

static void test_the_message_puts_the_fault_first(void **state)
{
	char buf[256];

	(void)state;
	itg_store_fault_message(SQLITE_IOERR_SHMSIZE, SYS_FULL,
	                        "disk I/O error", buf, sizeof(buf));
	assert_string_equal(
	        buf,
	        "the disk is full (SQLite: disk I/O error; " SYS_FULL_TEXT ")");
}

static void test_the_message_of_a_corrupt_file_has_no_system_part(void **state)
{
	char buf[256];

	(void)state;
	itg_store_fault_message(SQLITE_CORRUPT, SYS_FULL,
	                        "database disk image is malformed", buf,
	                        sizeof(buf));
	assert_string_equal(buf, "the database file is corrupt (SQLite: "
	                         "database disk image is malformed)");
}

static void test_the_message_of_no_fault_is_sqlites_alone(void **state)
{
	char buf[256];

	(void)state;
	itg_store_fault_message(SQLITE_CONSTRAINT, 0, "UNIQUE failed", buf,
	                        sizeof(buf));
	assert_string_equal(buf, "UNIQUE failed");
}

static void test_the_message_without_sqlites_text_uses_the_code(void **state)
{
	char buf[256];

	(void)state;
	itg_store_fault_message(SQLITE_READONLY, 0, NULL, buf, sizeof(buf));
	assert_non_null(strstr(buf, "read-only (SQLite: "));
	assert_non_null(strstr(buf, sqlite3_errstr(SQLITE_READONLY)));
}

static void test_the_message_fits_a_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	itg_store_fault_message(SQLITE_FULL, SYS_FULL, "full", buf,
	                        sizeof(buf));
	assert_string_equal(buf, "the dis");
	itg_store_fault_message(SQLITE_FULL, 0, "full", NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_sqlite_full_is_a_full_disk),
	        cmocka_unit_test(
	                test_an_io_error_of_a_full_disk_is_a_full_disk),
	        cmocka_unit_test(test_sqlite_readonly_is_read_only),
	        cmocka_unit_test(
	                test_cannot_open_on_a_read_only_file_system_is_read_only),
	        cmocka_unit_test(test_damage_is_corrupt_or_not_a_database),
	        cmocka_unit_test(test_other_io_open_and_lock_failures),
	        cmocka_unit_test(test_a_lingering_errno_does_not_make_a_fault),
	        cmocka_unit_test(test_every_fault_has_a_sentence),
	        cmocka_unit_test(test_the_message_puts_the_fault_first),
	        cmocka_unit_test(
	                test_the_message_of_a_corrupt_file_has_no_system_part),
	        cmocka_unit_test(test_the_message_of_no_fault_is_sqlites_alone),
	        cmocka_unit_test(
	                test_the_message_without_sqlites_text_uses_the_code),
	        cmocka_unit_test(test_the_message_fits_a_small_buffer),
	};

	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
