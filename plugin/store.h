/*
 * store.h - the plugin's SQLite database, DIR/itglue.db.
 *
 * One connection, shared by the hooks and the worker thread: every function
 * below holds the connection's mutex for its whole run, so each is atomic with
 * respect to the others and its error message belongs to its own call.
 */
#ifndef ITG_STORE_H
#define ITG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The database's file name inside the state directory. */
#define ITG_STORE_FILE "itglue.db"

struct itg_store;

/*
 * One forward migration: the SQL that takes the schema from version - 1 to
 * version. A table of them lists versions 1, 2, 3, ... in order.
 */
struct itg_migration {
	int version;
	const char *sql;
};

/* The plugin's own migrations (schema.c) and how many there are. */
extern const struct itg_migration itg_schema_migrations[];
extern const size_t itg_schema_migration_count;

/*
 * Open (creating if needed) DIR/itglue.db with WAL journaling (synchronous
 * NORMAL: no disk flush per commit, see store.c), a busy timeout and foreign
 * keys on, check every page of it (PRAGMA quick_check), bring its schema up
 * to date with the plugin's migrations, and make sure it can be written
 * (SQLite would open a file it cannot write read-only, for good).
 *
 * A damaged file (corrupt, or not a database) is set aside as
 * itglue.db.corrupt-YYYYMMDDTHHMMSSZ with its write-ahead log, a fresh store
 * takes its place, and what can be read of the damaged one is copied into it
 * (store_salvage.h); itg_store_rebuilt() then says so.
 *
 * On success *out is the store; on failure *out is NULL, err holds a
 * one-line reason (naming the file) and the status is negative:
 *   XDR_EINVAL  bad arguments;
 *   XDR_ENOMEM  out of memory;
 *   XDR_EBUSY   a storage fault that may go: the disk is full, the file
 *               system, file or journal is read-only, an I/O error, the
 *               file cannot be opened or stays locked, or a damaged file
 *               could not be set aside and rebuilt (it is left in place);
 *               err says which, in words (store_fault.h). Try again later;
 *   XDR_ERROR   anything else: a migration failed (rolled back: the version
 *               is unchanged), the database is newer than the plugin
 *               (downgrade refused), the path is too long for SQLite.
 */
int itg_store_open(struct itg_store **out, const char *dir, char *err,
                   size_t errsize);

/*
 * As itg_store_open() with a migration table of the caller's (n entries,
 * versions 1..n in order). Each migration runs in its own transaction that
 * also sets PRAGMA user_version, so a failure leaves the database at the last
 * version that fully applied.
 */
int itg_store_open_with(struct itg_store **out, const char *dir,
                        const struct itg_migration *migrations, size_t n,
                        char *err, size_t errsize);

/* The schema version of the open database (PRAGMA user_version). */
int itg_store_schema_version(const struct itg_store *store);

/* The database's file, DIR/itglue.db. */
const char *itg_store_path(const struct itg_store *store);

/*
 * What the open did with a damaged file: why it was set aside, where it is
 * now, and what of it was copied into the fresh store. A table is read
 * forward in rowid order until a row cannot be read, then backward from its
 * end, so that only the rows between are lost.
 */
struct itg_store_rebuilt {
	char reason[512]; /* what was wrong with the file */
	char *moved_to;   /* the damaged file's new name */
	size_t tables;    /* tables of the schema */
	size_t whole;     /* of which read in full */
	int64_t rows;     /* rows copied */
	int64_t dropped;  /* rows read but refused (their parent was lost) */
	char lost[512];   /* the tables not read in full, "" if none */
	/* The outbox, whose rows are reports to publish: read in full, or
	 * the report ids after which (and before which, when
	 * outbox_before_known) rows could not be read. */
	bool outbox_whole;
	int64_t outbox_after;
	int64_t outbox_before;
	bool outbox_before_known;
};

/* NULL unless the open rebuilt a damaged file. */
const struct itg_store_rebuilt *
itg_store_rebuilt(const struct itg_store *store);
void itg_store_rebuilt_free(struct itg_store_rebuilt *r);

/*
 * The last error of DB (a store's connection, held) in words: the storage
 * fault first, then SQLite's message and the system's (store_fault.h).
 */
struct sqlite3;
void itg_store_describe(struct sqlite3 *db, char *buf, size_t size);

/*
 * Read the plugin setting KEY into *value (a NUL-terminated string the caller
 * frees with free()). XDR_ENOTFOUND (and *value NULL) if it was never set.
 */
int itg_store_config_get(struct itg_store *store, const char *key, char **value,
                         char *err, size_t errsize);

/* Create or replace the plugin setting KEY (non-empty) with VALUE. */
int itg_store_config_set(struct itg_store *store, const char *key,
                         const char *value, char *err, size_t errsize);

/*
 * The connection itself, for the files that keep a feature's tables
 * (instance_store.c, ...): itg_store_acquire() holds the connection's mutex
 * (recursive) until itg_store_release(), so that a group of statements, or a
 * transaction, is atomic with respect to every other user of the store.
 */
struct sqlite3;
struct sqlite3 *itg_store_acquire(struct itg_store *store);
void itg_store_release(struct itg_store *store);

/*
 * A transaction on the shared connection: itg_store_begin() takes the
 * connection's mutex and holds it until itg_store_commit() or
 * itg_store_rollback(), so no other user of the store can slip a statement
 * into it. On failure of begin nothing is held; commit releases in every
 * case (rolling back when the commit fails).
 */
int itg_store_begin(struct itg_store *store, char *err, size_t errsize);
int itg_store_commit(struct itg_store *store, char *err, size_t errsize);
void itg_store_rollback(struct itg_store *store);

/*
 * Run one statement that returns no rows, binding the arguments after TYPES
 * to ?1, ?2, ... as TYPES says: 'i' an int64_t, 't' a string (NULL binds
 * null). Returns the number of rows changed (>= 0), XDR_EINVAL when a
 * constraint refused the change (err says "constraint"), or XDR_ERROR with
 * SQLite's message in err.
 */
int itg_store_exec(struct itg_store *store, char *err, size_t errsize,
                   const char *sql, const char *types, ...);

/*
 * A prepared statement of SQL, with the connection held (itg_store_acquire),
 * kept for the next call with the same SQL at the same address (a literal):
 * give it back with itg_store_done() before releasing the connection, which
 * resets it and clears its bindings. NULL when SQLite refused it
 * (sqlite3_errmsg says why).
 */
struct sqlite3_stmt;
struct sqlite3_stmt *itg_store_statement(struct itg_store *store,
                                         const char *sql);
void itg_store_done(struct itg_store *store, struct sqlite3_stmt *st);

/* Close the database; NULL is allowed. */
void itg_store_close(struct itg_store *store);

#endif /* ITG_STORE_H */
