/*
 * internal.h - what the files of libxdrhost share with each other and with
 * nobody else.
 */
#ifndef XDRHOST_INTERNAL_H
#define XDRHOST_INTERNAL_H

#include <sqlite3.h>

#include "xdrhost.h"

/*
 * db.c. Every function below but xdr_db_lock() expects the caller to hold
 * the database mutex.
 */
void xdr_db_lock(struct xdr_db *db);
void xdr_db_unlock(struct xdr_db *db);
sqlite3 *xdr_db_handle(struct xdr_db *db);

/* BEGIN IMMEDIATE: take the write lock up front so that a transaction never
 * fails half-way for want of upgrading it. */
int xdr_db_begin(struct xdr_db *db, struct xdr_err *err);
int xdr_db_commit(struct xdr_db *db, struct xdr_err *err);
/* BEGIN (deferred): one snapshot for several reads, ended by
 * xdr_db_commit(). */
int xdr_db_begin_read(struct xdr_db *db, struct xdr_err *err);
void xdr_db_rollback(struct xdr_db *db);

int xdr_db_prepare(struct xdr_db *db, const char *sql, sqlite3_stmt **st,
                   struct xdr_err *err);

/* Turn the connection's last error into a status and a message naming what
 * was being done. */
int xdr_db_fail(struct xdr_db *db, const char *doing, struct xdr_err *err);

/* Bind s, or NULL as SQL NULL. */
int xdr_db_bind_text(sqlite3_stmt *st, int idx, const char *s);

/* The COUNT(*) that st (prepared, bound) answers in *n; st finalized.
 * doing names the count in a message ("counting events"). */
int xdr_db_count(struct xdr_db *db, sqlite3_stmt *st, const char *doing,
                 int64_t *n, struct xdr_err *err);

/* The offset and limit of a page (xdrhost.h), or XDR_EINVAL. Pure. */
int xdr_page_check(int64_t offset, int64_t limit, struct xdr_err *err);

/* A malloc'd copy of a text column (NULL for SQL NULL); XDR_ENOMEM. */
int xdr_db_column_text(sqlite3_stmt *st, int col, char **out);

/* array.c: make room for element n of *items (a T ** passed as void *),
 * doubling *cap; new elements are zeroed. XDR_ENOMEM. */
int xdr_array_grow(void *items, size_t *cap, size_t n, size_t size);

/* groups.c */
int xdr_group_id_locked(struct xdr_db *db, const char *name, int64_t *id,
                        struct xdr_err *err);
int xdr_group_write_locked(struct xdr_db *db, const char *name,
                           const char *email, bool update, int64_t *id,
                           struct xdr_err *err);

/* systems.c */
int xdr_system_write_locked(struct xdr_db *db, const struct xdr_system_new *sys,
                            bool update, int64_t *id, struct xdr_err *err);

#endif /* XDRHOST_INTERNAL_H */
