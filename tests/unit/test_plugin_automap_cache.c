/*
 * test_plugin_automap_cache.c - the configurations cache's rows: written in
 * a caller's transaction, and streamed on a thread as a read brings them.
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

#include "automap_cache.h"
#include "compat/os.h"
#include "mock_host.h"
#include "store.h"

#define INSTANCE 7
#define ROWS     2500

struct fixture {
	char *dir;
	struct itg_store *store;
	char err[512];
	/* ROWS configurations, their strings in the buffers below */
	struct itg_map_config configs[ROWS];
	char ids[ROWS][16];
	char names[ROWS][32];
	char macs[ROWS][2][24];
	const char *mac_lists[ROWS][2];
};

static void make_configs(struct fixture *f)
{
	for (int i = 0; i < ROWS; i++) {
		struct itg_map_config *c = &f->configs[i];

		snprintf(f->ids[i], sizeof(f->ids[i]), "%d", 1000 + i);
		snprintf(f->names[i], sizeof(f->names[i]), "host-%d", i);
		snprintf(f->macs[i][0], sizeof(f->macs[i][0]),
		         "00:11:22:33:%02x:%02x", i / 256, i % 256);
		snprintf(f->macs[i][1], sizeof(f->macs[i][1]),
		         "02:11:22:33:%02x:%02x", i / 256, i % 256);
		f->mac_lists[i][0] = f->macs[i][0];
		f->mac_lists[i][1] = f->macs[i][1];
		memset(c, 0, sizeof(*c));
		c->id = f->ids[i];
		c->organization_id = i % 2 ? "51" : "52";
		c->name = f->names[i];
		c->archived = i % 7 == 0;
		c->macs = f->mac_lists[i];
		c->n_macs = (size_t)(i % 3 == 0 ? 1 : 2);
	}
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL)
		return -1;
	f->dir = mock_tempdir();
	if (f->dir == NULL ||
	    itg_store_open(&f->store, f->dir, f->err, sizeof(f->err)) != 0 ||
	    itg_store_exec(f->store, f->err, sizeof(f->err),
	                   "INSERT INTO instances (id, name, region,"
	                   " key_sealed, key_masked, rate_requests,"
	                   " rate_seconds, created_at, updated_at)"
	                   " VALUES (?1, 'Main', 'us', 'sealed', 'abcd',"
	                   " 3000, 300, 0, 0)",
	                   "i", (int64_t)INSTANCE) != 1) {
		if (f->dir != NULL) {
			itg_store_close(f->store);
			mock_rmtree(f->dir);
			free(f->dir);
		}
		free(f);
		return -1;
	}
	make_configs(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	itg_store_close(f->store);
	mock_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int count_rows(struct fixture *f, const char *where)
{
	char sql[256];
	sqlite3_stmt *st;
	sqlite3 *db = itg_store_acquire(f->store);
	int n = -1;

	snprintf(sql, sizeof(sql),
	         "SELECT count(*) FROM automap_configs WHERE %s", where);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	itg_store_release(f->store);
	return n;
}

/* The row of configuration ID as "org|name|archived|macs". */
static void row_text(struct fixture *f, const char *id, char *out, size_t size)
{
	sqlite3_stmt *st;
	sqlite3 *db = itg_store_acquire(f->store);

	out[0] = '\0';
	assert_int_equal(
	        sqlite3_prepare_v2(db,
	                           "SELECT organization_id, name, archived,"
	                           " macs FROM automap_configs"
	                           " WHERE instance_id = ?1 AND id = ?2",
	                           -1, &st, NULL),
	        SQLITE_OK);
	sqlite3_bind_int64(st, 1, INSTANCE);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, size, "%s|%s|%d|%s", sqlite3_column_text(st, 0),
		         sqlite3_column_text(st, 1), sqlite3_column_int(st, 2),
		         sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	itg_store_release(f->store);
}

static void writer_puts_updates_and_drops(void **state)
{
	struct fixture *f = *state;
	struct itg_cache_writer w;
	struct itg_map_config changed;
	char row[256];

	assert_int_equal(itg_store_begin(f->store, f->err, sizeof(f->err)), 0);
	assert_int_equal(itg_cache_writer_open(&w, itg_store_acquire(f->store),
	                                       INSTANCE),
	                 SQLITE_OK);
	for (int i = 0; i < 3; i++)
		assert_int_equal(itg_cache_put(&w, &f->configs[i]), SQLITE_OK);
	assert_int_equal(w.written, 3);
	/* The same row again is not rewritten; a changed one is. */
	assert_int_equal(itg_cache_put(&w, &f->configs[1]), SQLITE_OK);
	assert_int_equal(w.written, 3);
	changed = f->configs[1];
	changed.name = "renamed";
	assert_int_equal(itg_cache_put(&w, &changed), SQLITE_OK);
	assert_int_equal(w.written, 4);
	assert_int_equal(itg_cache_drop(&w, f->ids[2]), SQLITE_OK);
	assert_int_equal(itg_cache_drop(&w, "no-such-id"), SQLITE_OK);
	assert_int_equal(w.written, 5);
	itg_cache_writer_close(&w);
	itg_store_release(f->store);
	assert_int_equal(itg_store_commit(f->store, f->err, sizeof(f->err)), 0);
	row_text(f, f->ids[0], row, sizeof(row));
	assert_string_equal(row, "52|host-0|1|[\"00:11:22:33:00:00\"]");
	row_text(f, f->ids[1], row, sizeof(row));
	assert_string_equal(
	        row,
	        "51|renamed|0|[\"00:11:22:33:00:01\",\"02:11:22:33:00:01\"]");
	assert_int_equal(count_rows(f, "1"), 2);
}

/* Rows given in batches, as pages come in, are all written. */
static void stream_writes_every_batch(void **state)
{
	struct fixture *f = *state;
	struct itg_cache_stream *s = itg_cache_stream_start(f->store, INSTANCE);
	size_t written = 0;
	char row[256];

	assert_non_null(s);
	for (int from = 0; from < ROWS; from += 1000) {
		int n = ROWS - from < 1000 ? ROWS - from : 1000;

		assert_int_equal(
		        itg_cache_stream_give(s, f->configs + from, (size_t)n),
		        0);
		/* The store stays usable meanwhile: each batch is a short
		 * transaction of its own. */
		assert_true(count_rows(f, "1") >= 0);
	}
	assert_int_equal(itg_cache_stream_give(s, f->configs, 0), 0);
	assert_true(itg_cache_stream_end(s, false, &written));
	assert_int_equal(written, ROWS);
	assert_int_equal(count_rows(f, "instance_id = 7"), ROWS);
	assert_int_equal(count_rows(f, "archived = 1"), (ROWS + 6) / 7);
	row_text(f, f->ids[ROWS - 1], row, sizeof(row));
	/* 2499: odd, a multiple of 7 and of 3 */
	assert_string_equal(row, "51|host-2499|1|[\"00:11:22:33:09:c3\"]");

	/* The same rows again change nothing. */
	s = itg_cache_stream_start(f->store, INSTANCE);
	assert_non_null(s);
	assert_int_equal(itg_cache_stream_give(s, f->configs, ROWS), 0);
	assert_true(itg_cache_stream_end(s, false, &written));
	assert_int_equal(written, 0);
}

/* A read that failed ends its stream without writing what is queued. */
static void stream_discarded_says_so(void **state)
{
	struct fixture *f = *state;
	struct itg_cache_stream *s = itg_cache_stream_start(f->store, INSTANCE);
	size_t written = 99;

	assert_non_null(s);
	/* The connection held: nothing can be written before the end. */
	assert_int_equal(itg_store_begin(f->store, f->err, sizeof(f->err)), 0);
	assert_int_equal(itg_cache_stream_give(s, f->configs, 10), 0);
	assert_int_equal(itg_cache_stream_give(s, f->configs + 10, 10), 0);
	assert_int_equal(itg_store_commit(f->store, f->err, sizeof(f->err)), 0);
	assert_false(itg_cache_stream_end(s, true, &written));
	assert_true(written <= 20);
	assert_true(count_rows(f, "1") <= 20);
	assert_false(itg_cache_stream_end(NULL, false, &written));
	assert_int_equal(written, 0);
}

/* A batch the store refuses fails the stream: the caller then writes the
 * rows itself. */
static void stream_failure_is_reported(void **state)
{
	struct fixture *f = *state;
	/* No such instance: the foreign key refuses every row. */
	struct itg_cache_stream *s = itg_cache_stream_start(f->store, 999);
	size_t written = 0;

	assert_non_null(s);
	assert_int_equal(itg_cache_stream_give(s, f->configs, 5), 0);
	assert_int_equal(itg_cache_stream_give(s, f->configs + 5, 5), 0);
	assert_false(itg_cache_stream_end(s, false, &written));
	assert_int_equal(written, 0);
	assert_int_equal(count_rows(f, "1"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test_setup_teardown(writer_puts_updates_and_drops,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(stream_writes_every_batch,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(stream_discarded_says_so, setup,
	                                        teardown),
	        cmocka_unit_test_setup_teardown(stream_failure_is_reported,
	                                        setup, teardown),
	};

	/* TAP lines without a carriage return, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
