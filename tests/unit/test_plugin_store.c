/*
 * test_plugin_store.c - the SQLite store: migrations and plugin settings.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	assert_int_equal(itg_store_open(&store, dir, f->err, sizeof(f->err)),
	                 XDR_ERROR);
	assert_null(store);
	assert_non_null(strstr(f->err, "plain-file/state/itglue.db"));
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
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
