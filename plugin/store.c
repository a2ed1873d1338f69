/*
 * store.c - the plugin's SQLite database: open (checked, and rebuilt when
 * damaged), migrate, plugin settings.
 */
#include <config.h>

#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"
#include "store_fault.h"
#include "store_salvage.h"

#ifndef W_OK
#define W_OK 2
#endif

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
	char *path;  /* DIR/itglue.db */
	struct itg_store_rebuilt *rebuilt; /* NULL unless the open rebuilt */
	struct cached_statement cache[STATEMENTS];
};

/* A failed SQLite call of the open: its code and the system's error, kept
 * before anything else runs on the connection. code 0: no SQLite call
 * failed (a check of the plugin's own refused). */
struct failure {
	int code;
	int sys;
};

/* DB's last error in words into MSG, recorded in F. */
static void failed(sqlite3 *db, struct failure *f, char *msg, size_t size)
{
	int code = db != NULL ? sqlite3_extended_errcode(db) : SQLITE_NOMEM;

	f->code = code != SQLITE_OK ? code : SQLITE_ERROR;
	f->sys = db != NULL ? sqlite3_system_errno(db) : 0;
	itg_store_fault_message(f->code, f->sys,
	                        db != NULL ? sqlite3_errmsg(db) : NULL, msg,
	                        size);
}

void itg_store_describe(sqlite3 *db, char *buf, size_t size)
{
	itg_store_fault_message(sqlite3_extended_errcode(db),
	                        sqlite3_system_errno(db), sqlite3_errmsg(db),
	                        buf, size);
}

/* Run SQL that returns no rows we need. */
static int exec_sql(sqlite3 *db, const char *sql, struct failure *f, char *err,
                    size_t errsize)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return XDR_OK;
	failed(db, f, err, errsize);
	return XDR_ERROR;
}

/* Undo an open transaction, if SQLite has not already undone it. */
static void rollback(sqlite3 *db)
{
	if (!sqlite3_get_autocommit(db))
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
}

static int read_user_version(sqlite3 *db, int *version, struct failure *f,
                             char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	char msg[384];
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		failed(db, f, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot read the schema version: %s",
		         msg);
		sqlite3_finalize(stmt);
		return XDR_ERROR;
	}
	*version = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return XDR_OK;
}

/* WAL lets readers (the host, an administrator's sqlite3 shell) work while
 * the worker writes, and survives a crash mid-transaction. */
static int use_wal(sqlite3 *db, struct failure *f, char *err, size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	const unsigned char *mode = NULL;
	char msg[384] = "journal mode unchanged";
	int ok = 0;
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA journal_mode=WAL", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		mode = sqlite3_column_text(stmt, 0);
		ok = mode != NULL &&
		     sqlite3_stricmp((const char *)mode, "wal") == 0;
	} else {
		failed(db, f, msg, sizeof(msg));
	}
	if (!ok)
		itg_errf(err, errsize, "cannot switch to WAL journaling: %s",
		         msg);
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
                           struct failure *f, char *err, size_t errsize)
{
	char msg[384];
	char pragma[64];
	int current;

	if (exec_sql(db, "BEGIN IMMEDIATE", f, msg, sizeof(msg)) != XDR_OK) {
		itg_errf(err, errsize, "migration %d: cannot begin: %s",
		         m->version, msg);
		return XDR_ERROR;
	}
	if (read_user_version(db, &current, f, msg, sizeof(msg)) != XDR_OK)
		goto fail;
	if (current >= m->version) {
		rollback(db);
		return XDR_OK;
	}
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
	         m->version);
	if (exec_sql(db, m->sql, f, msg, sizeof(msg)) != XDR_OK ||
	    exec_sql(db, pragma, f, msg, sizeof(msg)) != XDR_OK ||
	    exec_sql(db, "COMMIT", f, msg, sizeof(msg)) != XDR_OK)
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
                   size_t n, int *version, struct failure *f, char *err,
                   size_t errsize)
{
	int current;
	size_t i;
	int rc;

	rc = read_user_version(db, &current, f, err, errsize);
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
		rc = apply_migration(db, &migrations[i], f, err, errsize);
		if (rc != XDR_OK)
			return rc;
	}
	return read_user_version(db, version, f, err, errsize);
}

static int configure(sqlite3 *db, struct failure *f, char *err, size_t errsize)
{
	int rc;

	rc = sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (rc != SQLITE_OK) {
		failed(db, f, err, errsize);
		return XDR_ERROR;
	}
	rc = exec_sql(db, "PRAGMA foreign_keys = ON", f, err, errsize);
	if (rc != XDR_OK)
		return rc;
	rc = use_wal(db, f, err, errsize);
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
	return exec_sql(db, "PRAGMA synchronous = NORMAL", f, err, errsize);
}

/* Turn the control characters of S (quick_check's lines) into spaces. */
static void one_line(char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
}

/*
 * Is the file sound? quick_check reads every page of every b-tree (70 ms
 * for 20 MB): damage is found at the start, where the file can still be set
 * aside and rebuilt, rather than by whichever statement meets it later.
 */
static int check_pages(sqlite3 *db, struct failure *f, char *err,
                       size_t errsize)
{
	sqlite3_stmt *stmt = NULL;
	const unsigned char *text;
	int rc;

	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		failed(db, f, err, errsize);
		sqlite3_finalize(stmt);
		return XDR_ERROR;
	}
	text = sqlite3_column_text(stmt, 0);
	if (text != NULL && strcmp((const char *)text, "ok") == 0) {
		sqlite3_finalize(stmt);
		return XDR_OK;
	}
	f->code = SQLITE_CORRUPT;
	f->sys = 0;
	itg_errf(err, errsize, "%s (SQLite's quick_check: %s)",
	         itg_store_fault_text(ITG_STORE_CORRUPT),
	         text != NULL ? (const char *)text : "no answer");
	one_line(err);
	sqlite3_finalize(stmt);
	return XDR_ERROR;
}

/*
 * Can the store be written? SQLite opens a file it cannot write read-only
 * without a word, and a journal it cannot write makes every write fail: a
 * store opened so would stay read-only after the fault is fixed. Taking the
 * write lock writes nothing, so a full disk does not fail here.
 */
static int check_writable(sqlite3 *db, struct failure *f, char *err,
                          size_t errsize)
{
	if (sqlite3_db_readonly(db, "main") == 1) {
		f->code = SQLITE_READONLY;
		f->sys = sqlite3_system_errno(db);
		itg_store_fault_message(f->code, f->sys,
		                        "the file was opened read-only", err,
		                        errsize);
		return XDR_ERROR;
	}
	if (exec_sql(db, "BEGIN IMMEDIATE", f, err, errsize) != XDR_OK)
		return XDR_ERROR;
	rollback(db);
	return XDR_OK;
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

static int open_db(const char *path, sqlite3 **db, struct failure *f, char *err,
                   size_t errsize)
{
	char *name = os_path_to_utf8(path);
	char msg[384];
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
	if (*db != NULL) {
		failed(*db, f, msg, sizeof(msg));
	} else {
		f->code = rc;
		f->sys = 0;
		itg_store_fault_message(rc, 0, NULL, msg, sizeof(msg));
	}
	itg_errf(err, errsize, "cannot open the database: %s", msg);
	return XDR_ERROR;
}

static char *with_suffix(const char *path, const char *suffix);
static bool exists(const char *path);

/* What a failed access(W_OK) says: a file no one may write (a read-only
 * file system, an immutable file), or one this user may not. */
static enum itg_store_fault unwritable(int e)
{
	if (e == EROFS || e == EPERM)
		return ITG_STORE_READONLY;
	if (e == EACCES)
		return ITG_STORE_DENIED;
	return ITG_STORE_NO_FAULT;
}

/* NAME cannot be written (access() said so, errno E): the fault's words,
 * the file and the system's. */
static int not_writable(const char *name, int e, struct failure *f, char *err,
                        size_t errsize)
{
	enum itg_store_fault fault = unwritable(e);

	f->code = fault == ITG_STORE_DENIED ? SQLITE_PERM : SQLITE_READONLY;
	f->sys = 0;
	itg_errf(err, errsize, "%s (%s: %s)", itg_store_fault_text(fault), name,
	         strerror(e));
	return XDR_ERROR;
}

/*
 * Can the directory, the database and its journal and shared memory (those
 * that exist) be written? SQLite opens what it may not write read-only and
 * then fails with the errno of a later call ("unable to open database file:
 * No such file or directory" on a read-only file system): this names the
 * file and the system's reason first.
 */
static int check_access(const char *path, struct failure *f, char *err,
                        size_t errsize)
{
	static const char *const companions[] = {"", "-wal", "-shm"};
	char *dir = strdup(path);
	char *slash = dir != NULL ? strrchr(dir, '/') : NULL;
	int rc = XDR_OK;

	if (dir == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
#ifdef _WIN32
	if (strrchr(dir, '\\') > slash)
		slash = strrchr(dir, '\\');
#endif
	if (slash != NULL) {
		*slash = '\0';
		if (dir[0] != '\0' && access(dir, W_OK) != 0 &&
		    unwritable(errno) != ITG_STORE_NO_FAULT)
			rc = not_writable(dir, errno, f, err, errsize);
	}
	free(dir);
	for (size_t i = 0; rc == XDR_OK && i < 3; i++) {
		char *name = with_suffix(path, companions[i]);

		if (name == NULL) {
			itg_errf(err, errsize, "out of memory");
			return XDR_ENOMEM;
		}
		if (exists(name) && access(name, W_OK) != 0 &&
		    unwritable(errno) != ITG_STORE_NO_FAULT)
			rc = not_writable(name, errno, f, err, errsize);
		free(name);
	}
	return rc;
}

/* Open PATH and make it ready: configured, sound, migrated, writable. */
static int open_checked(const char *path,
                        const struct itg_migration *migrations, size_t n,
                        sqlite3 **out, int *version, struct failure *f,
                        char *err, size_t errsize)
{
	sqlite3 *db = NULL;
	int rc;

	rc = check_access(path, f, err, errsize);
	if (rc == XDR_OK)
		rc = open_db(path, &db, f, err, errsize);
	if (rc == XDR_OK)
		rc = configure(db, f, err, errsize);
	if (rc == XDR_OK)
		rc = check_pages(db, f, err, errsize);
	if (rc == XDR_OK)
		rc = migrate(db, migrations, n, version, f, err, errsize);
	if (rc == XDR_OK)
		rc = check_writable(db, f, err, errsize);
	if (rc != XDR_OK) {
		sqlite3_close(db);
		db = NULL;
	}
	*out = db;
	return rc;
}

/* PATH with SUFFIX appended, malloc'd. */
static char *with_suffix(const char *path, const char *suffix)
{
	size_t len = strlen(path) + strlen(suffix) + 1;
	char *s = malloc(len);

	if (s != NULL)
		snprintf(s, len, "%s%s", path, suffix);
	return s;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* Rename FROM-SUFFIX to TO-SUFFIX if it exists; 0 or -1 with errno. */
static int move_companion(const char *from, const char *to, const char *suffix)
{
	char *a = with_suffix(from, suffix);
	char *b = with_suffix(to, suffix);
	int rc = -1;

	if (a != NULL && b != NULL)
		rc = exists(a) ? os_replace(a, b) : 0;
	else
		errno = ENOMEM;
	free(a);
	free(b);
	return rc;
}

static void remove_companion(const char *path, const char *suffix)
{
	char *a = with_suffix(path, suffix);

	if (a != NULL)
		remove(a);
	free(a);
}

/*
 * Move the damaged PATH (and its write-ahead log, which holds committed
 * transactions) aside to PATH.corrupt-YYYYMMDDTHHMMSSZ, or -2, -3... when
 * that name is taken; its shared memory goes. Returns the new name, or NULL
 * with the reason in ERR.
 */
static char *set_aside(const char *path, struct failure *f, char *err,
                       size_t errsize)
{
	char stamp[64], suffix[80];
	time_t now = time(NULL);
	struct tm tm;
	char *aside = NULL;

	if (os_gmtime(now, &tm) == NULL ||
	    strftime(stamp, sizeof(stamp), ".corrupt-%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(stamp, sizeof(stamp), ".corrupt-%lld", (long long)now);
	for (int i = 1; i < 100; i++) {
		if (i == 1)
			snprintf(suffix, sizeof(suffix), "%s", stamp);
		else
			snprintf(suffix, sizeof(suffix), "%s-%d", stamp, i);
		free(aside);
		aside = with_suffix(path, suffix);
		if (aside == NULL || !exists(aside))
			break;
	}
	if (aside == NULL) {
		itg_errf(err, errsize, "out of memory");
		return NULL;
	}
	if (os_replace(path, aside) != 0 ||
	    move_companion(path, aside, "-wal") != 0) {
		f->code = SQLITE_CANTOPEN;
		f->sys = errno;
		itg_errf(err, errsize, "it cannot be set aside as %s: %s",
		         aside, strerror(errno));
		/* The log goes with its database or not at all. */
		if (!exists(path))
			os_replace(aside, path);
		free(aside);
		return NULL;
	}
	remove_companion(path, "-shm");
	return aside;
}

/* Undo set_aside(): the fresh files go, the damaged file comes back, to be
 * found damaged again at the next open rather than lost. */
static void put_back(const char *path, const char *aside)
{
	remove(path);
	remove_companion(path, "-wal");
	remove_companion(path, "-shm");
	remove_companion(aside, "-shm");
	if (os_replace(aside, path) == 0)
		move_companion(aside, path, "-wal");
}

void itg_store_rebuilt_free(struct itg_store_rebuilt *r)
{
	if (r == NULL)
		return;
	free(r->moved_to);
	free(r);
}

/*
 * PATH is damaged (WHY): set it aside, create a fresh store there and copy
 * into it what can be read of the damaged one. On success *db is the fresh
 * store and *out says what happened; on failure the damaged file is back
 * where it was.
 */
static int rebuild(const char *path, const char *why,
                   const struct itg_migration *migrations, size_t n,
                   sqlite3 **db, int *version, struct itg_store_rebuilt **out,
                   struct failure *f, char *err, size_t errsize)
{
	struct itg_store_rebuilt *r = calloc(1, sizeof(*r));
	char msg[384];
	int rc;

	*out = NULL;
	if (r == NULL) {
		itg_errf(err, errsize, "%s; out of memory rebuilding it", why);
		return XDR_ENOMEM;
	}
	snprintf(r->reason, sizeof(r->reason), "%s", why);
	r->moved_to = set_aside(path, f, msg, sizeof(msg));
	if (r->moved_to == NULL) {
		itg_errf(err, errsize, "%s, and %s", why, msg);
		itg_store_rebuilt_free(r);
		return XDR_ERROR;
	}
	rc = open_checked(path, migrations, n, db, version, f, msg,
	                  sizeof(msg));
	if (rc == XDR_OK) {
		rc = itg_store_salvage(*db, r->moved_to, r, &f->code, msg,
		                       sizeof(msg));
		f->sys = sqlite3_system_errno(*db);
		if (rc != XDR_OK) {
			sqlite3_close(*db);
			*db = NULL;
		}
	}
	if (rc != XDR_OK) {
		itg_errf(err, errsize,
		         "%s, and no fresh store could be made in its place: "
		         "%s",
		         why, msg);
		put_back(path, r->moved_to);
		itg_store_rebuilt_free(r);
		return rc;
	}
	*out = r;
	return XDR_OK;
}

/* Is F a damaged file, which a rebuild may cure? */
static bool damaged(const struct failure *f)
{
	enum itg_store_fault fault = itg_store_fault_of(f->code, f->sys);

	return fault == ITG_STORE_CORRUPT || fault == ITG_STORE_NOTADB;
}

int itg_store_open_with(struct itg_store **out, const char *dir,
                        const struct itg_migration *migrations, size_t n,
                        char *err, size_t errsize)
{
	struct itg_store *store;
	struct failure f = {0, 0};
	sqlite3 *db = NULL;
	char msg[512], why[512];
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
		rc = open_checked(path, migrations, n, &db, &version, &f, msg,
		                  sizeof(msg));
	if (rc != XDR_OK && damaged(&f)) {
		snprintf(why, sizeof(why), "%s", msg);
		f.code = 0;
		rc = rebuild(path, why, migrations, n, &db, &version,
		             &store->rebuilt, &f, msg, sizeof(msg));
	}
	if (rc != XDR_OK) {
		/* The reason first: a long path must not push it out of a
		 * small error buffer. */
		itg_errf(err, errsize, "%s (database %s)", msg, path);
		free(path);
		free(store);
		/* A storage fault may go: the caller may try again. */
		return rc == XDR_ERROR && f.code != 0 &&
		                       itg_store_fault_of(f.code, f.sys) !=
		                               ITG_STORE_NO_FAULT
		               ? XDR_EBUSY
		               : rc;
	}
	store->db = db;
	store->path = path;
	store->version = version;
	*out = store;
	return XDR_OK;
}

const char *itg_store_path(const struct itg_store *store)
{
	return store != NULL ? store->path : NULL;
}

const struct itg_store_rebuilt *itg_store_rebuilt(const struct itg_store *store)
{
	return store != NULL ? store->rebuilt : NULL;
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
		char msg[384];

		itg_store_describe(store->db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot read plugin setting '%s': %s",
		         key, msg);
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
		char msg[384];

		itg_store_describe(store->db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot write plugin setting '%s': %s",
		         key, msg);
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
	itg_store_rebuilt_free(store->rebuilt);
	free(store->path);
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
		char msg[384];

		itg_store_describe(db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot start a transaction: %s", msg);
		itg_store_release(store);
		return XDR_ERROR;
	}
	return XDR_OK;
}

int itg_store_commit(struct itg_store *store, char *err, size_t errsize)
{
	int rc = XDR_OK;

	if (sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		char msg[384];

		itg_store_describe(store->db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot commit: %s", msg);
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
	} else if (rc == SQLITE_MISUSE) {
		itg_errf(err, errsize,
		         "the types do not match the statement's parameters");
		rc = XDR_ERROR;
	} else {
		/* The error's words before the statement is reset. */
		itg_store_describe(db, err, errsize);
		rc = XDR_ERROR;
	}
	itg_store_done(store, st);
	itg_store_release(store);
	return rc;
}
