/*
 * groups.c - Open XDR groups: a unique name and an optional customer
 * e-mail address.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

int xdr_group_check(const char *name, const char *email, char **name_out,
                    char **email_out, struct xdr_err *err)
{
	char *n = NULL, *e = NULL;
	int rc =
	        xdr_text_check("group name", name, XDR_NAME_MAX_CHARS, &n, err);

	if (rc == XDR_OK && email != NULL)
		rc = xdr_email_check(email, &e, err);
	if (rc != XDR_OK) {
		free(n);
		return rc;
	}
	*name_out = n;
	*email_out = e;
	return XDR_OK;
}

int xdr_group_id_locked(struct xdr_db *db, const char *name, int64_t *id,
                        struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db, "SELECT id FROM groups WHERE name = ?1",
	                        &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(st, 0);
		break;
	case SQLITE_DONE:
		rc = xdr_errf(err, XDR_ENOTFOUND, "no group %s",
		              xdr_quote(name, q, sizeof(q)));
		break;
	default:
		rc = xdr_db_fail(db, "looking up a group", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int xdr_group_write_locked(struct xdr_db *db, const char *name,
                           const char *email, bool update, int64_t *id,
                           struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int64_t existing = 0;
	int rc = xdr_group_id_locked(db, name, &existing, err);
	bool exists = rc == XDR_OK;

	if (rc != XDR_OK && rc != XDR_ENOTFOUND)
		return rc;
	if (exists && !update)
		return xdr_errf(err, XDR_EINVAL, "group %s already exists",
		                xdr_quote(name, q, sizeof(q)));
	rc = xdr_db_prepare(
	        db,
	        exists ? "UPDATE groups SET email = ?2 WHERE id = ?1"
	               : "INSERT INTO groups (name, email)"
	                 " VALUES (?1, ?2)",
	        &st, err);
	if (rc != XDR_OK)
		return rc;
	if (exists)
		sqlite3_bind_int64(st, 1, existing);
	else
		sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	xdr_db_bind_text(st, 2, email);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "storing a group", err);
	else if (id != NULL)
		*id = exists ? existing
		             : sqlite3_last_insert_rowid(xdr_db_handle(db));
	sqlite3_finalize(st);
	return rc;
}

int xdr_group_add(struct xdr_db *db, const char *name, const char *email,
                  int64_t *id, struct xdr_err *err)
{
	char *n, *e;
	int rc = xdr_group_check(name, email, &n, &e, err);

	if (rc != XDR_OK)
		return rc;
	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	if (rc == XDR_OK) {
		rc = xdr_group_write_locked(db, n, e, false, id, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	free(n);
	free(e);
	return rc;
}

int xdr_group_list(struct xdr_db *db, struct xdr_group_list *out,
                   struct xdr_err *err)
{
	struct xdr_group_list list = {NULL, 0};
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc, step = SQLITE_DONE;

	xdr_db_lock(db);
	rc = xdr_db_prepare(
	        db, "SELECT id, name, email FROM groups ORDER BY id", &st, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xdr_group_rec *g;

		rc = xdr_array_grow(&list.items, &cap, list.n, sizeof(*g));
		if (rc != XDR_OK)
			break;
		g = &list.items[list.n++];
		g->id = sqlite3_column_int64(st, 0);
		rc = xdr_db_column_text(st, 1, &g->name);
		if (rc == XDR_OK)
			rc = xdr_db_column_text(st, 2, &g->email);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing groups", err);
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_group_list_free(&list);
		return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory")
		                        : rc;
	}
	*out = list;
	return XDR_OK;
}

void xdr_group_list_free(struct xdr_group_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].name);
		free(list->items[i].email);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}
