/*
 * store.c - the plugin's SQLite database: open, migrate, plugin settings.
 */
#include <config.h>

#include "store.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"

/* How long a statement waits for another connection's lock (the host may
 * open the database to inspect it) before giving up with "busy". */
#define BUSY_TIMEOUT_MS 5000

/* Prepared statements kept between calls, by the address of their SQL (the
 * literals of the call sites): parsing a statement costs more than running
 * it, and a run writes tens of thousands of rows one statement at a time. */
#define STATEMENTS 64

struct cached_statement {
	const char *sql;
	sqlite3_stmt *st;
	bool busy; /* handed out and not given back yet */
};

struct itg_store {
	sqlite3 *db;
	int version; /* PRAGMA user_version after the migrations */
	struct cached_statement cache[STATEMENTS];
};

/* Run SQL that returns no rows we need. */
static int exec_sql(sqlite3 *db, const char *sql, char *err, size_t errsize)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
		return XDR_OK;
	itg_errf(err, errsize, "%s", msg != NULL ? msg : sqlite3_errmsg(db));
	sqlite3_free(msg);
	return XDR_ERROR;
}

/* Undo an open transaction, if SQLite has not already undone it. */
static void rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static int read_user_version(sqlite3 *db, int *version, char *err,
                             size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		itg_errf(err, errsize, "cannot read the schema version: %s",
		         sqlite3_errmsg(db));
		sqlite3_finalize(stmt);
		return XDR_ERROR;
	}
	*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return XDR_OK;
}

/* WAL lets readers (the host, an administrator's sqlite3 shell) work while
 * the worker writes, and survives a crash mid-transaction. */
static int use_wal(sqlite3 *db, char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	const unsigned char *mode = NULL;
	int ok = 0;
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		mode = sqlite3_column_text(stmt, 0);
		ok = mode != NULL &&
		     sqlite3_stricmp((const char *)mode, "wal") == 0;
	}
	if (!ok)
		itg_errf(err, errsize, "cannot switch to WAL journaling: %s",
		         rc == SQLITE_ROW ? "journal mode unchanged"
		                          : sqlite3_errmsg(db));
	sqlite3_finalize(stmt);
	return ok ? XDR_OK : XDR_ERROR;
}

/* A table with holes or out of order would skip or repeat schema changes. */
static int check_migrations(const struct itg_migration *migrations, size_t n,
                            char *err, size_t errsize)
{
	size_t i;

	if (n > 0 && migrations == NULL) {
		itg_errf(err, errsize, "no migration table");
		return XDR_EINVAL;
	}
	for (i = 0; i < n; i++) {
		if ((size_t)migrations[i].version != i + 1 ||
		    migrations[i].sql == NULL) {
			itg_errf(err, errsize,
			         "migration table entry %zu is not version %zu "
			         "with SQL",
			         i, i + 1);
			return XDR_EINVAL;
		}
	}
	return XDR_OK;
}

/*
 * Apply one migration in its own transaction. BEGIN IMMEDIATE takes the write
 * lock first, and the version is read again under it, so two processes
 * opening the same database at once cannot both apply the same migration.
 */
static int apply_migration(sqlite3 *db, const struct itg_migration *m,
                           char *err, size_t errsize)
{
	char msg[256];
	char pragma[64];
	int current;

	if (exec_sql(db, "BEGIN IMMEDIATE", msg, sizeof(msg)) != XDR_OK) {
		itg_errf(err, errsize, "migration %d: cannot begin: %s",
		         m->version, msg);
		return XDR_ERROR;
	}
	if (read_user_version(db, &current, msg, sizeof(msg)) != XDR_OK)
		goto fail;
	if (current >= m->version) {
		rollback(db);
		return XDR_OK;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
	         m->version);
	if (exec_sql(db, m->sql, msg, sizeof(msg)) != XDR_OK ||
	    exec_sql(db, pragma, msg, sizeof(msg)) != XDR_OK ||
	    exec_sql(db, "COMMIT", msg, sizeof(msg)) != XDR_OK)
		goto fail;
	return XDR_OK;

fail:
	rollback(db);
	itg_errf(err, errsize,
	         "migration %d failed and was rolled back (schema stays at "
	         "version %d): %s",
	         m->version, m->version - 1, msg);
	return XDR_ERROR;
}

static int migrate(sqlite3 *db, const struct itg_migration *migrations,
                   size_t n, int *version, char *err, size_t errsize)
{
	int current;
	size_t i;
	int rc;

	rc = read_user_version(db, &current, err, errsize);
	if (rc != XDR_OK)
		return rc;
	if (current < 0) {
		itg_errf(err, errsize,
		         "database schema %d is not one of this plugin's",
		         current);
		return XDR_ERROR;
	}
	if ((size_t)current > n) {
		itg_errf(err, errsize,
		         "database schema %d is newer than this plugin (%zu): "
		         "downgrade not supported",
		         current, n);
		return XDR_ERROR;
	}
	for (i = (size_t)current; i < n; i++) {
		rc = apply_migration(db, &migrations[i], err, errsize);
		if (rc != XDR_OK)
			return rc;
	}
	return read_user_version(db, version, err, errsize);
}

static int configure(sqlite3 *db, char *err, size_t errsize)
{
	int rc;

	rc = sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK) {
		itg_errf(err, errsize, "cannot set the busy timeout: %s",
		         sqlite3_errmsg(db));
		return XDR_ERROR;
	}
	rc = exec_sql(db, "PRAGMA foreign_keys = ON", err, errsize);
	if (rc != XDR_OK)
		return rc;
	rc = use_wal(db, err, errsize);
	if (rc != XDR_OK)
		return rc;
	/* Under WAL, FULL flushes the disk at every commit: the report hook's
	 * outbox row, and every commit the worker makes while the hooks wait
	 * for the connection. A flush takes a few milliseconds on a busy disk,
	 * more than a hook may take (plugin.h). NORMAL flushes at checkpoints
	 * only: a commit still survives the process dying as soon as COMMIT
	 * returns, and the database stays consistent, but a power loss may
	 * undo the last commits (a report queued just then must be published
	 * by hand; an asset id lost is found again by its file name). */
	return exec_sql(db, "PRAGMA synchronous = NORMAL", err, errsize);
}

/* SQLite's error for a path longer than its VFS takes is only "unable to
 * open database file": say what is wrong instead. */
static int check_path_length(const char *path, char *err, size_t errsize)
{
	sqlite3_vfs *vfs = sqlite3_vfs_find(NULL);

	if (vfs != NULL && strlen(path) >= (size_t)vfs->mxPathname) {
		itg_errf(err, errsize,
		         "the database path is %zu bytes long; SQLite takes at "
		         "most %d here",
		         strlen(path), vfs->mxPathname - 1);
		return XDR_ERROR;
	}
	return XDR_OK;
}

static int open_db(const char *path, sqlite3 **db, char *err, size_t errsize)
{
	char *name = os_path_to_utf8(path);
	int rc;

	if (name == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	rc = sqlite3_open_v2(name, db,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_FULLMUTEX,
	                     NULL);
	free(name);
	if (rc == SQLITE_OK)
		return XDR_OK;
	itg_errf(err, errsize, "cannot open the database: %s",
	         *db != NULL ? sqlite3_errmsg(*db) : sqlite3_errstr(rc));
	return XDR_ERROR;
}

int itg_store_open_with(struct itg_store **out, const char *dir,
                        const struct itg_migration *migrations, size_t n,
                        char *err, size_t errsize)
{
	struct itg_store *store;
	sqlite3 *db = NULL;
	char msg[512];
	char *path;
	size_t len;
	int version = 0;
	int rc;

	if (out == NULL || dir == NULL || dir[0] == '\0') {
		itg_errf(err, errsize, "no store or directory given");
		return XDR_EINVAL;
	}
	*out = NULL;
	rc = check_migrations(migrations, n, err, errsize);
	if (rc != XDR_OK)
		return rc;

	len = strlen(dir) + 1 + sizeof(ITG_STORE_FILE);
	path = malloc(len);
	store = calloc(1, sizeof(*store));
	if (path == NULL || store == NULL) {
		free(path);
		free(store);
		itg_errf(err, errsize, "out of memory opening the store");
		return XDR_ENOMEM;
	}
	snprintf(path, len, "%s/%s", dir, ITG_STORE_FILE);

	rc = check_path_length(path, msg, sizeof(msg));
	if (rc == XDR_OK)
		rc = open_db(path, &db, msg, sizeof(msg));
	if (rc == XDR_OK)
		rc = configure(db, msg, sizeof(msg));
	if (rc == XDR_OK)
		rc = migrate(db, migrations, n, &version, msg, sizeof(msg));
	if (rc != XDR_OK) {
		/* The reason first: a long path must not push it out of a
		 * small error buffer. */
		itg_errf(err, errsize, "%s (database %s)", msg, path);
		sqlite3_close(db);
		free(path);
		free(store);
		return rc;
	}
	free(path);
	store->db = db;
	store->version = version;
	*out = store;
	return XDR_OK;
}

int itg_store_open(struct itg_store **out, const char *dir, char *err,
                   size_t errsize)
{
	return itg_store_open_with(out, dir, itg_schema_migrations,
	                           itg_schema_migration_count, err, errsize);
}

int itg_store_schema_version(const struct itg_store *store)
{
	return store != NULL ? store->version : XDR_EINVAL;
}

int itg_store_config_get(struct itg_store *store, const char *key, char **value,
                         char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3_mutex *mutex;
	const unsigned char *text;
	int rc;

	if (value != NULL)
		*value = NULL;
	if (store == NULL || key == NULL || value == NULL) {
		itg_errf(err, errsize, "no store, key or result given");
		return XDR_EINVAL;
	}
	mutex = sqlite3_db_mutex(store->db);
	sqlite3_mutex_enter(mutex);
	rc = sqlite3_prepare_v2(
	        store->db, "SELECT value FROM plugin_config WHERE key = ?1", -1,
	        &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		text = sqlite3_column_text(stmt, 0);
		*value = text != NULL ? strdup((const char *)text) : NULL;
		if (*value != NULL) {
			rc = XDR_OK;
		} else {
			itg_errf(err, errsize, "out of memory reading '%s'",
			         key);
			rc = XDR_ENOMEM;
		}
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize, "no plugin setting '%s'", key);
		rc = XDR_ENOTFOUND;
	} else {
		itg_errf(err, errsize, "cannot read plugin setting '%s': %s",
		         key, sqlite3_errmsg(store->db));
		rc = XDR_ERROR;
	}
	sqlite3_finalize(stmt);
	sqlite3_mutex_leave(mutex);
	return rc;
}

int itg_store_config_set(struct itg_store *store, const char *key,
                         const char *value, char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3_mutex *mutex;
	int rc;

	if (store == NULL || key == NULL || key[0] == '\0' || value == NULL) {
		itg_errf(err, errsize, "no store, key or value given");
		return XDR_EINVAL;
	}
	mutex = sqlite3_db_mutex(store->db);
	sqlite3_mutex_enter(mutex);
	rc = sqlite3_prepare_v2(store->db,
	                        "INSERT INTO plugin_config (key, value)"
	                        " VALUES (?1, ?2)"
	                        " ON CONFLICT (key) DO UPDATE"
	                        " SET value = excluded.value",
	                        -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(stmt, 2, value, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_DONE) {
		rc = XDR_OK;
	} else {
		itg_errf(err, errsize, "cannot write plugin setting '%s': %s",
		         key, sqlite3_errmsg(store->db));
		rc = XDR_ERROR;
	}
	sqlite3_finalize(stmt);
	sqlite3_mutex_leave(mutex);
	return rc;
}

void itg_store_close(struct itg_store *store)
{
	if (store == NULL)
		return;
	for (size_t i = 0; i < STATEMENTS; i++)
		sqlite3_finalize(store->cache[i].st);
	sqlite3_close(store->db);
	free(store);
}

static size_t slot_of(const char *sql)
{
	uintptr_t h = (uintptr_t)sql;

	h ^= h >> 17;
	return (size_t)((h >> 3) % STATEMENTS);
}

sqlite3_stmt *itg_store_statement(struct itg_store *store, const char *sql)
{
	struct cached_statement *c = &store->cache[slot_of(sql)];
	sqlite3_stmt *st = NULL;

	/* The same address may hold another text by now: compared too. */
	if (c->st != NULL && !c->busy && c->sql == sql &&
	    strcmp(sqlite3_sql(c->st), sql) == 0) {
		c->busy = true;
		return c->st;
	}
	if (sqlite3_prepare_v3(store->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
	                       &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	/* A slot in use (a statement run while another one is) keeps its
	 * own; this one is finalized when given back. */
	if (!c->busy) {
		sqlite3_finalize(c->st);
		c->sql = sql;
		c->st = st;
		c->busy = true;
	}
	return st;
}

void itg_store_done(struct itg_store *store, sqlite3_stmt *st)
{
	if (st == NULL)
		return;
	for (size_t i = 0; i < STATEMENTS; i++) {
		if (store->cache[i].st == st) {
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			store->cache[i].busy = false;
			return;
		}
	}
	sqlite3_finalize(st);
}

sqlite3 *itg_store_acquire(struct itg_store *store)
{
	sqlite3_mutex_enter(sqlite3_db_mutex(store->db));
	return store->db;
}

void itg_store_release(struct itg_store *store)
{
	sqlite3_mutex_leave(sqlite3_db_mutex(store->db));
}

int itg_store_begin(struct itg_store *store, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		itg_errf(err, errsize, "cannot start a transaction: %s",
		         sqlite3_errmsg(db));
		itg_store_release(store);
		return XDR_ERROR;
	}
	return XDR_OK;
}

int itg_store_commit(struct itg_store *store, char *err, size_t errsize)
{
	int rc = XDR_OK;

	if (sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		itg_errf(err, errsize, "cannot commit: %s",
		         sqlite3_errmsg(store->db));
		rollback(store->db);
		rc = XDR_ERROR;
	}
	itg_store_release(store);
	return rc;
}

void itg_store_rollback(struct itg_store *store)
{
	rollback(store->db);
	itg_store_release(store);
}

/* Bind the arguments of AP to ST as TYPES says: 'i' int64_t, 't' text (NULL
 * binds null). */
static int bind_args(sqlite3_stmt *st, const char *types, va_list ap)
{
	int rc = SQLITE_OK;

	for (int i = 0; rc == SQLITE_OK && types[i] != '\0'; i++) {
		if (types[i] == 'i') {
			rc = sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
		} else if (types[i] == 't') {
			rc = sqlite3_bind_text(st, i + 1,
			                       va_arg(ap, const char *), -1,
			                       SQLITE_TRANSIENT);
		} else {
			rc = SQLITE_MISUSE;
		}
	}
	return rc;
}

int itg_store_exec(struct itg_store *store, char *err, size_t errsize,
                   const char *sql, const char *types, ...)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	st = itg_store_statement(store, sql);
	rc = st != NULL ? SQLITE_OK : sqlite3_errcode(db);
	/* One type letter per parameter: a mismatch is a programming error,
	 * refused before any argument is read. */
	if (rc == SQLITE_OK &&
	    sqlite3_bind_parameter_count(st) != (int)strlen(types))
		rc = SQLITE_MISUSE;
	if (rc == SQLITE_OK) {
		va_start(ap, types);
		rc = bind_args(st, types, ap);
		va_end(ap);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		rc = sqlite3_changes(db);
	} else if ((rc & 0xff) == SQLITE_CONSTRAINT) {
		/* Primary or extended code alike. */
		itg_errf(err, errsize, "constraint");
		rc = XDR_EINVAL;
	} else {
		itg_errf(err, errsize, "%s",
		         rc == SQLITE_MISUSE ? "the types do not match the "
		                               "statement's parameters"
		                             : sqlite3_errmsg(db));
		rc = XDR_ERROR;
	}
	itg_store_done(store, st);
	itg_store_release(store);
	return rc;
}
