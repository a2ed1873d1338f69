/*
 * store_salvage.c - what can be read of a damaged database, copied into a
 * fresh store.
 */
#include <config.h>

#include "store_salvage.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"

/* The table whose rows are reports to publish, keyed by report id. */
#define OUTBOX "outbox"

/* One table's copy. */
struct copy {
	sqlite3 *db, *old;
	const char *table;
	sqlite3_stmt *insert;
	int n_cols;
	int64_t rows, dropped;
	int64_t last_forward; /* rowid of the last row read forward */
	int64_t first_back;   /* rowid of the last row read backward */
	bool any_forward, any_back, whole;
	int code; /* a write into db failed: its extended code */
};

/* The columns of TABLE on DB, as a NULL-ended array; NULL on error. */
static char **columns_of(sqlite3 *db, const char *table, const char *schema)
{
	sqlite3_stmt *st = NULL;
	char **cols = NULL;
	size_t n = 0;
	int rc;

	rc = sqlite3_prepare_v2(db,
	                        "SELECT name FROM pragma_table_info(?1, ?2)"
	                        " ORDER BY cid",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, schema, -1, SQLITE_STATIC);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char **grown = realloc(cols, (n + 2) * sizeof(*cols));

		if (grown == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		cols = grown;
		cols[n] = strdup(name != NULL ? name : "");
		cols[n + 1] = NULL;
		rc = cols[n++] != NULL ? SQLITE_OK : SQLITE_NOMEM;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; cols != NULL && cols[i] != NULL; i++)
			free(cols[i]);
		free(cols);
		return NULL;
	}
	return cols;
}

static void free_columns(char **cols)
{
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++)
		free(cols[i]);
	free(cols);
}

static bool has(char **cols, const char *name)
{
	for (size_t i = 0; cols != NULL && cols[i] != NULL; i++)
		if (strcmp(cols[i], name) == 0)
			return true;
	return false;
}

/* "a", "b": the columns of NEW_COLS that OLD_COLS has too (sqlite3_free);
 * *n how many. */
static char *common_list(char **new_cols, char **old_cols, int *n)
{
	char *list = NULL;

	*n = 0;
	for (size_t i = 0; new_cols[i] != NULL; i++) {
		char *grown;

		if (!has(old_cols, new_cols[i]))
			continue;
		grown = sqlite3_mprintf("%z%s\"%w\"", list,
		                        list != NULL ? ", " : "", new_cols[i]);
		if (grown == NULL)
			return NULL;
		list = grown;
		(*n)++;
	}
	return list;
}

/* Copy the current row of READ (rowid, then the columns) into the fresh
 * table. false when the fresh store could not be written. */
static bool copy_row(struct copy *c, sqlite3_stmt *read)
{
	int rc = SQLITE_OK;

	for (int i = 0; rc == SQLITE_OK && i < c->n_cols; i++)
		rc = sqlite3_bind_value(c->insert, i + 1,
		                        sqlite3_column_value(read, i + 1));
	if (rc == SQLITE_OK)
		rc = sqlite3_step(c->insert);
	sqlite3_reset(c->insert);
	if (rc == SQLITE_DONE) {
		c->rows += sqlite3_changes(c->db);
		return true;
	}
	/* A row whose parent was lost, or that breaks a rule of the fresh
	 * schema: dropped, the copy goes on. */
	if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		c->dropped++;
		return true;
	}
	c->code = sqlite3_extended_errcode(c->db);
	return false;
}

/* Read SQL on the damaged file (binding AFTER when BIND) and copy each row
 * until the end or the first row that cannot be read. Returns SQLite's last
 * code of the read (SQLITE_DONE when it reached the end), or SQLITE_ABORT
 * when the fresh store could not be written. */
static int read_rows(struct copy *c, const char *sql, bool bind, int64_t after,
                     bool forward)
{
	sqlite3_stmt *read = NULL;
	int rc = sqlite3_prepare_v2(c->old, sql, -1, &read, NULL);

	if (rc == SQLITE_OK && bind)
		rc = sqlite3_bind_int64(read, 1, after);
	while (rc == SQLITE_OK && (rc = sqlite3_step(read)) == SQLITE_ROW) {
		int64_t rowid = sqlite3_column_int64(read, 0);

		if (!copy_row(c, read)) {
			rc = SQLITE_ABORT;
			break;
		}
		if (forward) {
			c->last_forward = rowid;
			c->any_forward = true;
		} else {
			c->first_back = rowid;
			c->any_back = true;
		}
		rc = SQLITE_OK;
	}
	sqlite3_finalize(read);
	return rc;
}

/* Copy TABLE's readable rows: forward, then backward when forward stopped
 * at a row that cannot be read. */
static int copy_table(struct copy *c, const char *list)
{
	char *forward = sqlite3_mprintf(
	        "SELECT rowid, %s FROM \"%w\" ORDER BY rowid", list, c->table);
	char *backward =
	        sqlite3_mprintf("SELECT rowid, %s FROM \"%w\""
	                        " WHERE rowid > ?1 ORDER BY rowid DESC",
	                        list, c->table);
	int rc = SQLITE_NOMEM;

	if (forward != NULL && backward != NULL) {
		rc = read_rows(c, forward, false, 0, true);
		c->whole = rc == SQLITE_DONE;
		if (rc != SQLITE_DONE && rc != SQLITE_ABORT)
			rc = read_rows(c, backward, true,
			               c->any_forward ? c->last_forward
			                              : INT64_MIN,
			               false);
	}
	sqlite3_free(forward);
	sqlite3_free(backward);
	return rc == SQLITE_ABORT   ? XDR_ERROR
	       : rc == SQLITE_NOMEM ? XDR_ENOMEM
	                            : XDR_OK;
}

/* Add "TABLE (what)" to R's list of tables not read in full. */
static void note_lost(struct itg_store_rebuilt *r, const char *table,
                      const char *what)
{
	size_t used = strlen(r->lost);

	snprintf(r->lost + used, sizeof(r->lost) - used, "%s%s (%s)",
	         used > 0 ? ", " : "", table, what);
}

static void note_outbox(struct itg_store_rebuilt *r, const struct copy *c)
{
	char what[128];

	r->outbox_whole = c->whole;
	r->outbox_after = c->any_forward ? c->last_forward : 0;
	r->outbox_before_known = c->any_back;
	r->outbox_before = c->any_back ? c->first_back : 0;
	if (c->whole)
		return;
	if (c->any_back)
		snprintf(what, sizeof(what), "reports %lld to %lld",
		         (long long)r->outbox_after + 1,
		         (long long)r->outbox_before - 1);
	else
		snprintf(what, sizeof(what), "reports after %lld",
		         (long long)r->outbox_after);
	note_lost(r, OUTBOX, what);
}

/* Does the damaged file have TABLE? -1 when its schema cannot be read. */
static int old_has_table(sqlite3 *old, const char *table)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(old,
	                            "SELECT 1 FROM sqlite_schema"
	                            " WHERE type = 'table' AND name = ?1",
	                            -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Salvage TABLE from OLD into DB, updating R. */
static int salvage_table(sqlite3 *db, sqlite3 *old, const char *table,
                         struct itg_store_rebuilt *r, int *code)
{
	struct copy c = {.db = db, .old = old, .table = table};
	char **new_cols = NULL, **old_cols = NULL;
	char *list = NULL, *insert = NULL, *marks = NULL;
	int present = old_has_table(old, table);
	int rc = XDR_OK;

	r->tables++;
	if (present == 0) {
		/* Made by a migration the damaged file never had. */
		r->whole++;
		if (strcmp(table, OUTBOX) == 0)
			r->outbox_whole = true;
		return XDR_OK;
	}
	new_cols = columns_of(db, table, "main");
	old_cols = present == 1 ? columns_of(old, table, "main") : NULL;
	if (new_cols == NULL)
		rc = XDR_ENOMEM;
	else if (old_cols != NULL)
		list = common_list(new_cols, old_cols, &c.n_cols);
	if (rc == XDR_OK && list != NULL) {
		for (int i = 0; i < c.n_cols; i++)
			marks = sqlite3_mprintf("%z%s?", marks,
			                        i > 0 ? ", " : "");
		insert = sqlite3_mprintf(
		        "INSERT OR IGNORE INTO main.\"%w\" (%s) VALUES (%s)",
		        table, list, marks);
		if (insert == NULL ||
		    sqlite3_prepare_v2(db, insert, -1, &c.insert, NULL) !=
		            SQLITE_OK)
			rc = XDR_ENOMEM;
		if (rc == XDR_OK)
			rc = copy_table(&c, list);
		sqlite3_finalize(c.insert);
	}
	if (rc == XDR_OK) {
		r->rows += c.rows;
		r->dropped += c.dropped;
		if (c.whole)
			r->whole++;
		if (strcmp(table, OUTBOX) == 0)
			note_outbox(r, &c);
		else if (!c.whole)
			note_lost(r, table,
			          c.any_forward || c.any_back ? "part" : "all");
	}
	if (rc == XDR_ERROR)
		*code = c.code;
	sqlite3_free(list);
	sqlite3_free(insert);
	sqlite3_free(marks);
	free_columns(new_cols);
	free_columns(old_cols);
	return rc;
}

/* The tables of DB's schema in the order they were made. */
static char **fresh_tables(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	char **names = NULL;
	size_t n = 0;
	int rc =
	        sqlite3_prepare_v2(db,
	                           "SELECT name FROM sqlite_schema"
	                           " WHERE type = 'table'"
	                           " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
	                           " ORDER BY rowid",
	                           -1, &st, NULL);

	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		char **grown = realloc(names, (n + 2) * sizeof(*names));

		if (grown == NULL) {
			rc = SQLITE_NOMEM;
			break;
		}
		names = grown;
		names[n] = strdup(name != NULL ? name : "");
		names[n + 1] = NULL;
		rc = names[n++] != NULL ? SQLITE_OK : SQLITE_NOMEM;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		free_columns(names);
		return NULL;
	}
	return names;
}

/* The damaged file, read-only, never written back (not even by the
 * checkpoint SQLite makes when the last connection closes). */
static sqlite3 *open_old(const char *from)
{
	char *name = os_path_to_utf8(from);
	sqlite3 *old = NULL;

	if (name == NULL)
		return NULL;
	if (sqlite3_open_v2(name, &old, SQLITE_OPEN_READONLY, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(old);
		old = NULL;
	}
	free(name);
	/* A file shorter than its header says is refused whole unless the
	 * schema is "writable": only the reading is lenient here, since the
	 * connection is read-only. */
	if (old != NULL) {
		sqlite3_db_config(old, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1,
		                  NULL);
		sqlite3_db_config(old, SQLITE_DBCONFIG_WRITABLE_SCHEMA, 1,
		                  NULL);
	}
	return old;
}

int itg_store_salvage(sqlite3 *db, const char *from,
                      struct itg_store_rebuilt *r, int *code, char *err,
                      size_t errsize)
{
	char **tables = fresh_tables(db);
	sqlite3 *old = NULL;
	int rc = XDR_OK;

	*code = SQLITE_OK;
	if (tables == NULL) {
		*code = sqlite3_extended_errcode(db);
		itg_store_describe(db, err, errsize);
		return XDR_ERROR;
	}
	old = open_old(from);
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		*code = sqlite3_extended_errcode(db);
		itg_store_describe(db, err, errsize);
		rc = XDR_ERROR;
	}
	for (size_t i = 0; rc == XDR_OK && tables[i] != NULL; i++) {
		if (old != NULL) {
			rc = salvage_table(db, old, tables[i], r, code);
		} else {
			r->tables++;
			note_lost(r, tables[i], "all");
		}
	}
	if (rc == XDR_OK && old == NULL)
		r->outbox_whole = false;
	if (rc == XDR_OK &&
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		*code = sqlite3_extended_errcode(db);
		rc = XDR_ERROR;
	}
	if (rc == XDR_ERROR && *code != SQLITE_OK)
		itg_store_describe(db, err, errsize);
	else if (rc == XDR_ENOMEM)
		itg_errf(err, errsize, "out of memory copying the old rows");
	if (rc != XDR_OK && !sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(old);
	free_columns(tables);
	return rc;
}
