/*
 * fuzz_db.c - snapshots of a SQLite database, with SQLite's backup API.
 */
#include <config.h>

#include "fuzz_db.h"

#include <stdio.h>
#include <stdlib.h>

struct fuzz_snapshot {
	sqlite3 *copy;      /* an in-memory database */
	sqlite3_int64 seen; /* DB's total changes when last in this state */
};

static void copy_all(sqlite3 *to, sqlite3 *from)
{
	sqlite3_backup *b = sqlite3_backup_init(to, "main", from, "main");
	int rc;

	if (b == NULL) {
		fprintf(stderr, "fuzz_db: backup: %s\n", sqlite3_errmsg(to));
		abort();
	}
	rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "fuzz_db: backup step: %s\n",
		        sqlite3_errstr(rc));
		abort();
	}
}

struct fuzz_snapshot *fuzz_snapshot_take(sqlite3 *db)
{
	struct fuzz_snapshot *s = calloc(1, sizeof(*s));

	if (s == NULL || sqlite3_open(":memory:", &s->copy) != SQLITE_OK)
		abort();
	copy_all(s->copy, db);
	s->seen = sqlite3_total_changes64(db);
	return s;
}

void fuzz_snapshot_restore(struct fuzz_snapshot *s, sqlite3 *db)
{
	if (sqlite3_total_changes64(db) == s->seen)
		return;
	copy_all(db, s->copy);
	s->seen = sqlite3_total_changes64(db);
}

void fuzz_snapshot_free(struct fuzz_snapshot *s)
{
	if (s == NULL)
		return;
	sqlite3_close(s->copy);
	free(s);
}
