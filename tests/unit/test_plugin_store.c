/*
 * test_plugin_store.c - the SQLite store: migrations and plugin settings.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "mock_host.h"
#include "store.h"

struct fixture {
	char *dir;
	char db_path[4096];
	char err[512];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->dir = mock_tempdir();
	if (f->dir == NULL) {
		free(f);
		return -1;
	}
	snprintf(f->db_path, sizeof(f->db_path), "%s/%s", f->dir,
	         ITG_STORE_FILE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	mock_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* Run one query of one integer on a separate connection, as an outside
 * observer of the file would. */
static int query_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	int value = -1000;

	assert_int_equal(
	        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL),
	                 SQLITE_OK);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		value = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return value;
}

static int table_exists(const char *path, const char *table)
{
	char sql[256];

	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM sqlite_master WHERE type = 'table' "
	         "AND name = '%s'",
	         table);
	return query_int(path, sql);
}

static void exec_on(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(
	        sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static const struct itg_migration two[] = {
        {1, "CREATE TABLE one (x INTEGER);"},
        {2, "CREATE TABLE two (y INTEGER);"},
};

static const struct itg_migration three[] = {
        {1, "CREATE TABLE one (x INTEGER);"},
        {2, "CREATE TABLE two (y INTEGER);"},
        {3, "CREATE TABLE three (z INTEGER);"},
};

static void test_schema_table_is_numbered_from_one(void **state)
{
	size_t i;

	(void)state;
	assert_true(itg_schema_migration_count >= 1);
	for (i = 0; i < itg_schema_migration_count; i++) {
		assert_int_equal(itg_schema_migrations[i].version, (int)i + 1);
		assert_non_null(itg_schema_migrations[i].sql);
	}
}

static void test_open_fresh_applies_every_migration(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_non_null(store);
	assert_int_equal(itg_store_schema_version(store),
	                 (int)itg_schema_migration_count);
	itg_store_close(store);
	assert_int_equal(query_int(f->db_path, "PRAGMA user_version"),
	                 (int)itg_schema_migration_count);
	assert_int_equal(table_exists(f->db_path, "plugin_config"), 1);
}

static void test_open_uses_wal(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(
	        sqlite3_open_v2(f->db_path, &db, SQLITE_OPEN_READONLY, NULL),
	        SQLITE_OK);
	assert_int_equal(
	        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, NULL),
	        SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(stmt, 0), "wal");
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	itg_store_close(store);
}

static void test_reopen_is_a_no_op(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	/* A second run of "CREATE TABLE one" would fail: success proves the
	 * migrations were not applied again. */
	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	itg_store_close(store);
	store = NULL;
	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_schema_version(store), 2);
	itg_store_close(store);
}

static void test_open_applies_only_missing_migrations(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	itg_store_close(store);
	store = NULL;
	assert_int_equal(itg_store_open_with(&store, f->dir, three, 3, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_schema_version(store), 3);
	itg_store_close(store);
	assert_int_equal(table_exists(f->db_path, "three"), 1);
}

static void test_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	itg_store_close(store);
	store = (struct itg_store *)f; /* must be reset to NULL */
	assert_int_equal(itg_store_open_with(&store, f->dir, two, 1, f->err,
	                                     sizeof(f->err)),
	                 XDR_ERROR);
	assert_null(store);
	assert_non_null(strstr(f->err, "database schema 2 is newer than this "
	                               "plugin (1): downgrade not supported"));
	assert_non_null(strstr(f->err, f->db_path));
	assert_int_equal(query_int(f->db_path, "PRAGMA user_version"), 2);
}

static void test_foreign_schema_version_is_refused(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	itg_store_close(store);
	store = NULL;
	exec_on(f->db_path, "PRAGMA user_version = -3");
	assert_int_equal(itg_store_open_with(&store, f->dir, two, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_ERROR);
	assert_null(store);
	assert_non_null(strstr(f->err, "schema -3"));
}

static void test_failing_migration_rolls_back(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	/* Migration 2 creates a table, then fails: the table must go too. */
	static const struct itg_migration broken[] = {
	        {1, "CREATE TABLE one (x INTEGER);"},
	        {2, "CREATE TABLE half (y INTEGER);"
	            "INSERT INTO no_such_table VALUES (1);"},
	        {3, "CREATE TABLE three (z INTEGER);"},
	};

	assert_int_equal(itg_store_open_with(&store, f->dir, broken, 3, f->err,
	                                     sizeof(f->err)),
	                 XDR_ERROR);
	assert_null(store);
	assert_non_null(strstr(f->err, "migration 2 failed"));
	assert_non_null(strstr(f->err, "no_such_table"));
	assert_int_equal(query_int(f->db_path, "PRAGMA user_version"), 1);
	assert_int_equal(table_exists(f->db_path, "one"), 1);
	assert_int_equal(table_exists(f->db_path, "half"), 0);
	assert_int_equal(table_exists(f->db_path, "three"), 0);

	/* The database stays usable at the version that applied. */
	assert_int_equal(itg_store_open_with(&store, f->dir, broken, 1, f->err,
	                                     sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_schema_version(store), 1);
	itg_store_close(store);
}

static void test_migration_table_must_be_sequential(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	static const struct itg_migration gap[] = {
	        {1, "CREATE TABLE one (x INTEGER);"},
	        {3, "CREATE TABLE three (z INTEGER);"},
	};
	static const struct itg_migration no_sql[] = {
	        {1, NULL},
	};

	assert_int_equal(itg_store_open_with(&store, f->dir, gap, 2, f->err,
	                                     sizeof(f->err)),
	                 XDR_EINVAL);
	assert_null(store);
	assert_non_null(strstr(f->err, "entry 1"));
	assert_int_equal(itg_store_open_with(&store, f->dir, no_sql, 1, f->err,
	                                     sizeof(f->err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_store_open_with(&store, f->dir, NULL, 1, f->err,
	                                     sizeof(f->err)),
	                 XDR_EINVAL);
}

static void test_open_rejects_bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open(NULL, f->dir, f->err, sizeof(f->err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_store_open(&store, NULL, f->err, sizeof(f->err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_store_open(&store, "", NULL, 0), XDR_EINVAL);
	assert_null(store);
	assert_int_equal(itg_store_schema_version(NULL), XDR_EINVAL);
	itg_store_close(NULL);
}

static void test_open_fails_where_no_file_can_be_made(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char dir[4200];
	FILE *file;

	/* A directory below a regular file cannot exist, not even for root. */
	snprintf(dir, sizeof(dir), "%s/plain-file", f->dir);
	file = fopen(dir, "w");
	assert_non_null(file);
	fclose(file);
	strcat(dir, "/state");
	/* A storage fault, which may go: to be tried again. */
	assert_int_equal(itg_store_open(&store, dir, f->err, sizeof(f->err)),
	                 XDR_EBUSY);
	assert_null(store);
	assert_non_null(strstr(f->err, "plain-file/state/itglue.db"));
	assert_non_null(strstr(f->err, "the database file cannot be opened"));
}

static void test_config_get_of_unset_key_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char *value = (char *)f;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_get(store, "automap_hours", &value,
	                                      f->err, sizeof(f->err)),
	                 XDR_ENOTFOUND);
	assert_null(value);
	assert_non_null(strstr(f->err, "automap_hours"));
	itg_store_close(store);
}

static void test_config_set_then_get_round_trips(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char *value = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_set(store, "automap_hours", "6",
	                                      f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_set(store, "automap_hours", "12",
	                                      f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_set(store, "name", "Zürich \"HQ\"",
	                                      f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_set(store, "empty", "", f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_get(store, "automap_hours", &value,
	                                      f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "12");
	free(value);
	assert_int_equal(itg_store_config_get(store, "name", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "Zürich \"HQ\"");
	free(value);
	assert_int_equal(itg_store_config_get(store, "empty", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "");
	free(value);
	itg_store_close(store);
}

static void test_config_survives_reopen(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char *value = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_store_config_set(store, "k", "v", f->err, sizeof(f->err)),
	        XDR_OK);
	itg_store_close(store);
	store = NULL;
	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(itg_store_config_get(store, "k", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "v");
	free(value);
	itg_store_close(store);
}

static void test_config_rejects_bad_arguments(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char *value = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_store_config_set(store, "", "v", f->err, sizeof(f->err)),
	        XDR_EINVAL);
	assert_int_equal(itg_store_config_set(store, NULL, "v", NULL, 0),
	                 XDR_EINVAL);
	assert_int_equal(
	        itg_store_config_set(store, "k", NULL, f->err, sizeof(f->err)),
	        XDR_EINVAL);
	assert_int_equal(
	        itg_store_config_set(NULL, "k", "v", f->err, sizeof(f->err)),
	        XDR_EINVAL);
	assert_int_equal(itg_store_config_get(store, NULL, &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_EINVAL);
	assert_int_equal(
	        itg_store_config_get(store, "k", NULL, f->err, sizeof(f->err)),
	        XDR_EINVAL);
	assert_int_equal(
	        itg_store_config_get(NULL, "k", &value, f->err, sizeof(f->err)),
	        XDR_EINVAL);
	assert_null(value);
	itg_store_close(store);
}

/* ---- storage faults ---- */

/* Run SQL on the store's own connection (a pragma that answers a row). */
static void on_connection(struct itg_store *store, const char *sql)
{
	sqlite3 *db = itg_store_acquire(store);

	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	itg_store_release(store);
}

static void test_a_full_database_says_the_disk_is_full(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char big[8192], sql[96];

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* No page more than it has: SQLite's own "full disk". */
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d",
	         query_int(f->db_path, "PRAGMA page_count"));
	on_connection(store, sql);
	assert_int_equal(
	        itg_store_config_set(store, "big", big, f->err, sizeof(f->err)),
	        XDR_ERROR);
	assert_non_null(strstr(f->err, "cannot write plugin setting 'big': "
	                               "the disk is full (SQLite: "));
	itg_store_close(store);
}

static void test_a_store_recovers_when_room_is_made(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	char big[8192], sql[96];
	char *value = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d",
	         query_int(f->db_path, "PRAGMA page_count"));
	on_connection(store, sql);
	assert_int_equal(
	        itg_store_config_set(store, "big", big, f->err, sizeof(f->err)),
	        XDR_ERROR);
	on_connection(store, "PRAGMA max_page_count = 1000000");
	assert_int_equal(
	        itg_store_config_set(store, "big", big, f->err, sizeof(f->err)),
	        XDR_OK);
	assert_int_equal(itg_store_config_get(store, "big", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(strlen(value), sizeof(big) - 1);
	free(value);
	itg_store_close(store);
}

static void test_a_write_refused_as_read_only_says_so(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	on_connection(store, "PRAGMA query_only = 1");
	assert_int_equal(
	        itg_store_config_set(store, "k", "v", f->err, sizeof(f->err)),
	        XDR_ERROR);
	assert_non_null(strstr(f->err, "cannot write plugin setting 'k': the "
	                               "database cannot be written: its file "
	                               "system, file or journal is read-only "
	                               "(SQLite: "));
	itg_store_close(store);
}

/* The whole of PATH (*len bytes), malloc'd. */
static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *file = fopen(path, "rb");
	unsigned char *data;
	long size;

	assert_non_null(file);
	assert_int_equal(fseek(file, 0, SEEK_END), 0);
	size = ftell(file);
	assert_true(size > 0);
	rewind(file);
	data = malloc((size_t)size);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, file), (size_t)size);
	fclose(file);
	*len = (size_t)size;
	return data;
}

static void write_all(const char *path, const void *data, size_t len)
{
	FILE *file = fopen(path, "wb");

	assert_non_null(file);
	assert_int_equal(fwrite(data, 1, len, file), len);
	assert_int_equal(fclose(file), 0);
}

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Garbage: the same bytes every run. */
static void garbage(unsigned char *p, size_t len)
{
	uint32_t x = 2463534242u;

	for (size_t i = 0; i < len; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[i] = (unsigned char)x;
	}
}

/* A closed store holding N outbox rows (report ids 1..N, titles "Report
 * 0001" and so on, long enough to take many pages) and a setting. */
static void make_store_with_outbox(struct fixture *f, int n)
{
	struct itg_store *store = NULL;
	char title[300];

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_store_config_set(store, "k", "v", f->err, sizeof(f->err)),
	        XDR_OK);
	for (int i = 1; i <= n; i++) {
		snprintf(title, sizeof(title), "Report %04d %0200d", i, 0);
		assert_int_equal(
		        itg_store_exec(store, f->err, sizeof(f->err),
		                       "INSERT INTO outbox (report_id,"
		                       " instance_id, group_id,"
		                       " organization_id, title, file_path,"
		                       " file_name, generated_at, state,"
		                       " created_at, updated_at)"
		                       " VALUES (?1, 1, 1, '1', ?2, '/r.html',"
		                       " 'r.html', 1, 'pending', 1, 1)",
		                       "it", (int64_t)i, title),
		        1);
	}
	itg_store_close(store);
}

static int count_rows(const char *path, const char *where)
{
	char sql[160];

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM outbox WHERE %s",
	         where);
	return query_int(path, sql);
}

static void test_a_sound_file_is_not_rebuilt(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;

	make_store_with_outbox(f, 3);
	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_null(itg_store_rebuilt(store));
	assert_string_equal(itg_store_path(store), f->db_path);
	itg_store_close(store);
}

static void test_a_file_that_is_not_a_database_is_set_aside(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	const struct itg_store_rebuilt *r;
	unsigned char junk[20000], *kept;
	size_t len;

	garbage(junk, sizeof(junk));
	write_all(f->db_path, junk, sizeof(junk));
	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	r = itg_store_rebuilt(store);
	assert_non_null(r);
	assert_non_null(strstr(r->reason, "the file is not a database"));
	assert_int_equal(strncmp(r->moved_to, f->db_path, strlen(f->db_path)),
	                 0);
	assert_int_equal(
	        strncmp(r->moved_to + strlen(f->db_path), ".corrupt-", 9), 0);
	kept = read_all(r->moved_to, &len);
	assert_int_equal(len, sizeof(junk));
	assert_memory_equal(kept, junk, len);
	free(kept);
	assert_false(r->outbox_whole);
	assert_false(r->outbox_before_known);
	assert_int_equal(r->outbox_after, 0);
	assert_int_equal(r->rows, 0);
	assert_non_null(strstr(r->lost, "outbox (reports after 0)"));
	/* The fresh store works. */
	assert_int_equal(
	        itg_store_config_set(store, "k", "v", f->err, sizeof(f->err)),
	        XDR_OK);
	itg_store_close(store);
	assert_int_equal(query_int(f->db_path, "PRAGMA user_version"),
	                 (int)itg_schema_migration_count);
}

static void test_a_damaged_page_loses_only_its_rows(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	const struct itg_store_rebuilt *r;
	int64_t copied;
	int page_size = -1;
	unsigned char *data;
	char *value = NULL;
	size_t len, at;

	make_store_with_outbox(f, 300);
	page_size = query_int(f->db_path, "PRAGMA page_size");
	data = read_all(f->db_path, &len);
	for (at = 0; at + 11 < len; at++)
		if (memcmp(data + at, "Report 0150", 11) == 0)
			break;
	assert_true(at + 11 < len);
	at -= at % (size_t)page_size;
	garbage(data + at, (size_t)page_size);
	write_all(f->db_path, data, len);
	free(data);

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	r = itg_store_rebuilt(store);
	assert_non_null(r);
	assert_non_null(strstr(r->reason, "the database file is corrupt"));
	assert_false(r->outbox_whole);
	assert_true(r->outbox_after > 1 && r->outbox_after < 150);
	assert_true(r->outbox_before_known);
	assert_true(r->outbox_before > 150 && r->outbox_before < 300);
	assert_non_null(strstr(r->lost, "outbox (reports "));
	assert_int_equal(itg_store_config_get(store, "k", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "v");
	free(value);
	copied = r->rows;
	itg_store_close(store);
	assert_int_equal(count_rows(f->db_path, "report_id = 1"), 1);
	assert_int_equal(count_rows(f->db_path, "report_id = 300"), 1);
	assert_int_equal(count_rows(f->db_path, "report_id = 150"), 0);
	/* Every row copied is a row of the outbox, but the setting. */
	assert_int_equal(count_rows(f->db_path, "1"), (int)copied - 1);
}

static void test_a_truncated_file_is_set_aside_keeping_what_it_can(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	const struct itg_store_rebuilt *r;
	unsigned char *data;
	char *value = NULL;
	size_t len;

	make_store_with_outbox(f, 300);
	data = read_all(f->db_path, &len);
	write_all(f->db_path, data, len / 2);
	free(data);

	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	r = itg_store_rebuilt(store);
	assert_non_null(r);
	assert_non_null(strstr(r->reason, "the database file is corrupt"));
	/* The pages past the cut are gone, and with them the outbox's last
	 * rows; the settings, on the second page, are kept. */
	assert_false(r->outbox_whole);
	assert_int_equal(itg_store_config_get(store, "k", &value, f->err,
	                                      sizeof(f->err)),
	                 XDR_OK);
	assert_string_equal(value, "v");
	free(value);
	itg_store_close(store);
	assert_int_equal(count_rows(f->db_path, "report_id = 300"), 0);
}

static void test_two_rebuilds_keep_both_files(void **state)
{
	struct fixture *f = *state;
	struct itg_store *store = NULL;
	unsigned char junk[9000];
	char first[4200];

	garbage(junk, sizeof(junk));
	write_all(f->db_path, junk, sizeof(junk));
	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	snprintf(first, sizeof(first), "%s",
	         itg_store_rebuilt(store)->moved_to);
	itg_store_close(store);
	write_all(f->db_path, junk, sizeof(junk));
	assert_int_equal(itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
	                 XDR_OK);
	assert_string_not_equal(itg_store_rebuilt(store)->moved_to, first);
	assert_true(file_exists(first));
	assert_true(file_exists(itg_store_rebuilt(store)->moved_to));
	itg_store_close(store);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

/*
 * An upgrade: a store made by every release before this one (each earlier
 * schema version in turn) is brought forward by this plugin's open, and
 * what it held survives.
 */
static void test_every_earlier_schema_upgrades_keeping_its_data(void **state)
{
	struct fixture *f = *state;

	for (size_t old = 1; old < itg_schema_migration_count; old++) {
		struct itg_store *store = NULL;
		char *value = NULL;

		mock_rmtree(f->dir);
		assert_int_equal(os_mkdir_private(f->dir), 0);
		assert_int_equal(itg_store_open_with(&store, f->dir,
		                                     itg_schema_migrations, old,
		                                     f->err, sizeof(f->err)),
		                 XDR_OK);
		assert_int_equal(itg_store_config_set(store, "kept", "yes",
		                                      f->err, sizeof(f->err)),
		                 XDR_OK);
		itg_store_close(store);
		assert_int_equal(query_int(f->db_path, "PRAGMA user_version"),
		                 (int)old);

		assert_int_equal(
		        itg_store_open(&store, f->dir, f->err, sizeof(f->err)),
		        XDR_OK);
		assert_int_equal(itg_store_schema_version(store),
		                 (int)itg_schema_migration_count);
		assert_int_equal(itg_store_config_get(store, "kept", &value,
		                                      f->err, sizeof(f->err)),
		                 XDR_OK);
		assert_string_equal(value, "yes");
		free(value);
		itg_store_close(store);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_schema_table_is_numbered_from_one),
	        T(test_open_fresh_applies_every_migration),
	        T(test_open_uses_wal),
	        T(test_reopen_is_a_no_op),
	        T(test_open_applies_only_missing_migrations),
	        T(test_every_earlier_schema_upgrades_keeping_its_data),
	        T(test_newer_schema_is_refused),
	        T(test_foreign_schema_version_is_refused),
	        T(test_failing_migration_rolls_back),
	        T(test_migration_table_must_be_sequential),
	        T(test_open_rejects_bad_arguments),
	        T(test_open_fails_where_no_file_can_be_made),
	        T(test_config_get_of_unset_key_is_not_found),
	        T(test_config_set_then_get_round_trips),
	        T(test_config_survives_reopen),
	        T(test_config_rejects_bad_arguments),
	        T(test_a_full_database_says_the_disk_is_full),
	        T(test_a_store_recovers_when_room_is_made),
	        T(test_a_write_refused_as_read_only_says_so),
	        T(test_a_sound_file_is_not_rebuilt),
	        T(test_a_file_that_is_not_a_database_is_set_aside),
	        T(test_a_damaged_page_loses_only_its_rows),
	        T(test_a_truncated_file_is_set_aside_keeping_what_it_can),
	        T(test_two_rebuilds_keep_both_files),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
