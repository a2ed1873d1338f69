/*
 * fuzz_db.h - a SQLite database put back as it was before each input, so
 * that every input of a target that writes meets the same store and a
 * crash reproduces from its input alone.
 */
#ifndef FUZZ_DB_H
#define FUZZ_DB_H

#include <sqlite3.h>

struct fuzz_snapshot;

/* A copy in memory of DB as it is now; aborts on failure. */
struct fuzz_snapshot *fuzz_snapshot_take(sqlite3 *db);

/* Put DB back as the snapshot holds it, if anything was written since it
 * was taken or last put back. */
void fuzz_snapshot_restore(struct fuzz_snapshot *s, sqlite3 *db);

void fuzz_snapshot_free(struct fuzz_snapshot *s);

#endif /* FUZZ_DB_H */
