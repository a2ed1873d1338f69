/*
 * db.c - the host database (HOME/xdr.db): opening, the schema and its
 * forward migrations, and the SQLite routines the model files share.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compat/os.h"
#include "internal.h"

struct xdr_db {
	sqlite3 *sql;
	os_mutex lock;
};

/*
 * The schema, one entry per version. Append only: a released migration is
 * never edited, a change is a new entry.
 */
static const struct xdr_migration host_migrations[] = {
        {1,
         "CREATE TABLE settings ("
         " key TEXT PRIMARY KEY,"
         " value TEXT NOT NULL);"
         "CREATE TABLE groups ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " name TEXT NOT NULL UNIQUE,"
         " email TEXT);"
         "CREATE TABLE systems ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " name TEXT NOT NULL UNIQUE,"
         " group_id INTEGER NOT NULL REFERENCES groups(id),"
         " os TEXT NOT NULL CHECK (os IN ('windows', 'linux', 'other')),"
         " sensor TEXT NOT NULL CHECK (sensor IN ('agent', 'syslog')),"
         " agent_version TEXT);"
         "CREATE INDEX systems_group ON systems(group_id);"
         "CREATE TABLE system_macs ("
         " system_id INTEGER NOT NULL REFERENCES systems(id)"
         "  ON DELETE CASCADE,"
         " position INTEGER NOT NULL,"
         " mac TEXT NOT NULL,"
         " PRIMARY KEY (system_id, position));"
         "CREATE TABLE report_configs ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " name TEXT NOT NULL UNIQUE,"
         " group_id INTEGER NOT NULL REFERENCES groups(id),"
         " publish_itglue INTEGER NOT NULL CHECK (publish_itglue IN (0, 1)));"
         "CREATE TABLE reports ("
         " id INTEGER PRIMARY KEY AUTOINCREMENT,"
         " title TEXT NOT NULL,"
         " type TEXT NOT NULL,"
         " config_id INTEGER REFERENCES report_configs(id),"
         " group_id INTEGER NOT NULL REFERENCES groups(id),"
         " publish_itglue INTEGER NOT NULL CHECK (publish_itglue IN (0, 1)),"
         " generated_at INTEGER NOT NULL,"
         " file_path TEXT NOT NULL,"
         " file_name TEXT NOT NULL,"
         " size INTEGER NOT NULL);"
         "CREATE TABLE report_systems ("
         " report_id INTEGER NOT NULL REFERENCES reports(id)"
         "  ON DELETE CASCADE,"
         " position INTEGER NOT NULL,"
         " system_id INTEGER NOT NULL REFERENCES systems(id),"
         " PRIMARY KEY (report_id, position),"
         " UNIQUE (report_id, system_id));"
         "CREATE TABLE events ("
         " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
         " id INTEGER NOT NULL CHECK (id > 0),"
         " time INTEGER NOT NULL,"
         " severity TEXT NOT NULL,"
         " source TEXT NOT NULL,"
         " category TEXT NOT NULL,"
         " description TEXT NOT NULL,"
         " fields TEXT NOT NULL);"
         "CREATE INDEX events_id ON events(id);"},
        /* Knowledge packs: the versions installed (the current one and the
         * one before it), their objects, and the alerts that fired. An
         * enabled alert fires in the statement that logs its event. */
        {2, "CREATE TABLE kp_packs ("
            " name TEXT NOT NULL,"
            " state TEXT NOT NULL CHECK (state IN ('current', 'previous')),"
            " version TEXT NOT NULL,"
            " installed_at INTEGER NOT NULL,"
            " plugin_file TEXT NOT NULL,"
            " PRIMARY KEY (name, state));"
            "CREATE TABLE kp_objects ("
            " type TEXT NOT NULL,"
            " name TEXT NOT NULL,"
            " pack TEXT NOT NULL,"
            " body TEXT NOT NULL,"
            " PRIMARY KEY (type, name));"
            "CREATE TABLE kp_alerts ("
            " name TEXT PRIMARY KEY,"
            " pack TEXT NOT NULL,"
            " event_id INTEGER NOT NULL CHECK (event_id > 0),"
            " threat TEXT NOT NULL,"
            " enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)));"
            "CREATE INDEX kp_alerts_event ON kp_alerts(event_id);"
            "CREATE TABLE kp_fired_alerts ("
            " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            " alert TEXT NOT NULL,"
            " threat TEXT NOT NULL,"
            " event_seq INTEGER NOT NULL REFERENCES events(seq),"
            " time INTEGER NOT NULL);"
            "CREATE TRIGGER kp_alerts_fire AFTER INSERT ON events BEGIN"
            " INSERT INTO kp_fired_alerts (alert, threat, event_seq, time)"
            "  SELECT name, threat, NEW.seq, NEW.time FROM kp_alerts"
            "  WHERE enabled = 1 AND event_id = NEW.id ORDER BY name;"
            " END;"},
};

#define N_HOST_MIGRATIONS (sizeof(host_migrations) / sizeof(host_migrations[0]))

int xdr_db_latest_version(void)
{
	return host_migrations[N_HOST_MIGRATIONS - 1].version;
}

void xdr_db_lock(struct xdr_db *db)
{
	os_mutex_lock(&db->lock);
}

void xdr_db_unlock(struct xdr_db *db)
{
	os_mutex_unlock(&db->lock);
}

sqlite3 *xdr_db_handle(struct xdr_db *db)
{
	return db->sql;
}

static int status_of(int sqlite_rc)
{
	switch (sqlite_rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return XDR_EBUSY;
	case SQLITE_NOMEM:
		return XDR_ENOMEM;
	default:
		return XDR_ERROR;
	}
}

int xdr_db_fail(struct xdr_db *db, const char *doing, struct xdr_err *err)
{
	int code = sqlite3_errcode(db->sql);

	return xdr_errf(err, status_of(code), "database error while %s: %s",
	                doing, sqlite3_errmsg(db->sql));
}

static int exec(struct xdr_db *db, const char *sql, const char *doing,
                struct xdr_err *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return xdr_db_fail(db, doing, err);
	return XDR_OK;
}

int xdr_db_begin(struct xdr_db *db, struct xdr_err *err)
{
	return exec(db, "BEGIN IMMEDIATE", "starting a transaction", err);
}

int xdr_db_begin_read(struct xdr_db *db, struct xdr_err *err)
{
	return exec(db, "BEGIN", "starting a transaction", err);
}

int xdr_db_commit(struct xdr_db *db, struct xdr_err *err)
{
	int rc = exec(db, "COMMIT", "committing", err);

	if (rc != XDR_OK)
		xdr_db_rollback(db);
	return rc;
}

void xdr_db_rollback(struct xdr_db *db)
{
	if (!sqlite3_get_autocommit(db->sql))
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
}

int xdr_db_prepare(struct xdr_db *db, const char *sql, sqlite3_stmt **st,
                   struct xdr_err *err)
{
	if (sqlite3_prepare_v2(db->sql, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return xdr_db_fail(db, "preparing a statement", err);
	}
	return XDR_OK;
}

int xdr_db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
}

int xdr_db_count(struct xdr_db *db, sqlite3_stmt *st, const char *doing,
                 int64_t *n, struct xdr_err *err)
{
	int rc = XDR_OK;

	if (sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	else
		rc = xdr_db_fail(db, doing, err);
	sqlite3_finalize(st);
	return rc;
}

int xdr_page_check(int64_t offset, int64_t limit, struct xdr_err *err)
{
	if (offset < 0)
		return xdr_errf(err, XDR_EINVAL, "page offset %lld is negative",
		                (long long)offset);
	if (limit < 1 || limit > XDR_PAGE_MAX_LIMIT)
		return xdr_errf(err, XDR_EINVAL,
		                "page limit %lld is not from 1 to %d",
		                (long long)limit, XDR_PAGE_MAX_LIMIT);
	return XDR_OK;
}

int xdr_db_column_text(sqlite3_stmt *st, int col, char **out)
{
	const unsigned char *text = sqlite3_column_text(st, col);

	*out = NULL;
	if (text == NULL)
		return sqlite3_column_type(st, col) == SQLITE_NULL ? XDR_OK
		                                                   : XDR_ENOMEM;
	*out = strdup((const char *)text);
	return *out == NULL ? XDR_ENOMEM : XDR_OK;
}

static int read_version(struct xdr_db *db, int *version, struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db, "PRAGMA user_version", &st, err);

	if (rc != XDR_OK)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*version = sqlite3_column_int(st, 0);
	} else {
		rc = xdr_db_fail(db, "reading the schema version", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int xdr_db_schema_version(struct xdr_db *db, int *version, struct xdr_err *err)
{
	int rc;

	xdr_db_lock(db);
	rc = read_version(db, version, err);
	xdr_db_unlock(db);
	return rc;
}

/* Apply one migration in its own transaction. Another process may have
 * migrated meanwhile: the version is read again under the write lock. */
static int migrate_one(struct xdr_db *db, const struct xdr_migration *m,
                       struct xdr_err *err)
{
	char doing[64], pragma[48];
	int current, rc = xdr_db_begin(db, err);

	if (rc != XDR_OK)
		return rc;
	rc = read_version(db, &current, err);
	if (rc == XDR_OK && current < m->version) {
		snprintf(doing, sizeof(doing), "migrating to schema %d",
		         m->version);
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
		         m->version);
		rc = exec(db, m->sql, doing, err);
		if (rc == XDR_OK)
			rc = exec(db, pragma, doing, err);
	}
	if (rc != XDR_OK) {
		xdr_db_rollback(db);
		return rc;
	}
	return xdr_db_commit(db, err);
}

static int migrate(struct xdr_db *db, const struct xdr_migration *migrations,
                   size_t n, struct xdr_err *err)
{
	int latest = n > 0 ? migrations[n - 1].version : 0, current;
	int rc = read_version(db, &current, err);

	if (rc != XDR_OK)
		return rc;
	if (current > latest)
		return xdr_errf(err, XDR_ERROR,
		                "database schema %d is newer than this host "
		                "(%d): downgrade not supported",
		                current, latest);
	for (size_t i = 0; i < n && rc == XDR_OK; i++)
		if (migrations[i].version > current)
			rc = migrate_one(db, &migrations[i], err);
	return rc;
}

static int configure(struct xdr_db *db, struct xdr_err *err)
{
	const unsigned char *mode;
	sqlite3_stmt *st;
	int rc;

	sqlite3_busy_timeout(db->sql, 5000);
	/* journal_mode answers with the mode in force: check it took. */
	rc = xdr_db_prepare(db, "PRAGMA journal_mode = WAL", &st, err);
	if (rc != XDR_OK)
		return rc;
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = xdr_db_fail(db, "setting WAL mode", err);
	} else {
		/* NULL only when SQLite ran out of memory converting it. */
		mode = sqlite3_column_text(st, 0);
		if (mode == NULL || strcmp((const char *)mode, "wal") != 0)
			rc = xdr_errf(err, XDR_ERROR,
			              "database does not support WAL mode");
	}
	sqlite3_finalize(st);
	if (rc != XDR_OK)
		return rc;
	/* As the plugin's store (plugin/store.c): under WAL, FULL flushes the
	 * disk at every commit, and every event a plugin emits is a commit of
	 * its own; a run that reports a few hundred failures waited that many
	 * flushes, a millisecond or more each. NORMAL flushes at checkpoints:
	 * a commit still survives the process dying, and the database stays
	 * consistent; a power loss may undo the last commits. */
	rc = exec(db, "PRAGMA synchronous = NORMAL",
	          "setting the synchronous mode", err);
	if (rc != XDR_OK)
		return rc;
	return exec(db, "PRAGMA foreign_keys = ON", "enabling foreign keys",
	            err);
}

int xdr_db_open_with(struct xdr_db **out, const char *path,
                     const struct xdr_migration *migrations, size_t n,
                     struct xdr_err *err)
{
	struct xdr_db *db = calloc(1, sizeof(*db));
	char *name = os_path_to_utf8(path);
	int rc;

	if (db == NULL || name == NULL) {
		free(db);
		free(name);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	rc = sqlite3_open_v2(name, &db->sql,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                             SQLITE_OPEN_FULLMUTEX,
	                     NULL);
	free(name);
	if (rc != SQLITE_OK) {
		rc = xdr_errf(
		        err, XDR_ERROR, "cannot open database '%s': %s", path,
		        db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		sqlite3_close(db->sql);
		free(db);
		return rc;
	}
	os_mutex_init(&db->lock);
	rc = configure(db, err);
	if (rc == XDR_OK)
		rc = migrate(db, migrations, n, err);
	if (rc != XDR_OK) {
		xdr_db_close(db);
		return rc;
	}
	*out = db;
	return XDR_OK;
}

int xdr_db_open(struct xdr_db **out, const char *path, struct xdr_err *err)
{
	return xdr_db_open_with(out, path, host_migrations, N_HOST_MIGRATIONS,
	                        err);
}

void xdr_db_close(struct xdr_db *db)
{
	if (db == NULL)
		return;
	sqlite3_close(db->sql);
	os_mutex_destroy(&db->lock);
	free(db);
}
