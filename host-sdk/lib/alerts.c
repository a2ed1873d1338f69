/*
 * alerts.c - the pack's alerts: switching them on and off, and the alerts
 * that fired (written by the database trigger kp_alerts_fire as events are
 * logged).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int read_alert(sqlite3_stmt *st, struct xdr_alert_rec *a)
{
	a->event_id = (uint32_t)sqlite3_column_int64(st, 1);
	a->enabled = sqlite3_column_int(st, 3) != 0;
	if (xdr_db_column_text(st, 0, &a->name) != XDR_OK ||
	    xdr_db_column_text(st, 2, &a->threat) != XDR_OK ||
	    xdr_db_column_text(st, 4, &a->pack) != XDR_OK)
		return XDR_ENOMEM;
	return XDR_OK;
}

static int read_fired(sqlite3_stmt *st, struct xdr_fired_rec *f)
{
	f->seq = sqlite3_column_int64(st, 0);
	f->event_seq = sqlite3_column_int64(st, 3);
	f->event_id = (uint32_t)sqlite3_column_int64(st, 4);
	f->time = sqlite3_column_int64(st, 5);
	if (xdr_db_column_text(st, 1, &f->alert) != XDR_OK ||
	    xdr_db_column_text(st, 2, &f->threat) != XDR_OK ||
	    xdr_db_column_text(st, 6, &f->description) != XDR_OK)
		return XDR_ENOMEM;
	return XDR_OK;
}

/* Rows of sql into a growing array of size-byte records. */
static int select_all(struct xdr_db *db, const char *sql, void *items,
                      size_t *n, size_t size,
                      int (*read)(sqlite3_stmt *, void *), const char *doing,
                      struct xdr_err *err)
{
	char **arr = items;
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc, step = SQLITE_DONE;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db, sql, &st, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = xdr_array_grow(arr, &cap, *n, size);
		if (rc == XDR_OK)
			rc = read(st, *arr + size * (*n)++);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, doing, err);
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory") : rc;
}

static int read_alert_any(sqlite3_stmt *st, void *rec)
{
	return read_alert(st, rec);
}

static int read_fired_any(sqlite3_stmt *st, void *rec)
{
	return read_fired(st, rec);
}

int xdr_alert_list(struct xdr_db *db, struct xdr_alert_list *out,
                   struct xdr_err *err)
{
	struct xdr_alert_list list = {NULL, 0};
	int rc = select_all(db,
	                    "SELECT name, event_id, threat, enabled, pack"
	                    " FROM kp_alerts ORDER BY name",
	                    &list.items, &list.n, sizeof(*list.items),
	                    read_alert_any, "listing the alerts", err);

	if (rc != XDR_OK) {
		xdr_alert_list_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}

void xdr_alert_list_free(struct xdr_alert_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].name);
		free(list->items[i].threat);
		free(list->items[i].pack);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

int xdr_alert_set_enabled(struct xdr_db *db, const char *name, bool enabled,
                          struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "UPDATE kp_alerts SET enabled = ?1"
	                    " WHERE name = ?2",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_int(st, 1, enabled ? 1 : 0);
		xdr_db_bind_text(st, 2, name);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "changing an alert", err);
		else if (sqlite3_changes(xdr_db_handle(db)) == 0)
			rc = xdr_errf(err, XDR_ENOTFOUND,
			              "no alert named %s (see alert list)",
			              xdr_quote(name, q, sizeof(q)));
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	return rc;
}

int xdr_alert_fired_list(struct xdr_db *db, struct xdr_fired_list *out,
                         struct xdr_err *err)
{
	struct xdr_fired_list list = {NULL, 0};
	int rc = select_all(
	        db,
	        "SELECT f.seq, f.alert, f.threat, f.event_seq, e.id, f.time,"
	        " e.description FROM kp_fired_alerts f JOIN events e"
	        " ON e.seq = f.event_seq ORDER BY f.seq",
	        &list.items, &list.n, sizeof(*list.items), read_fired_any,
	        "listing the fired alerts", err);

	if (rc != XDR_OK) {
		xdr_fired_list_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}

void xdr_fired_list_free(struct xdr_fired_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].alert);
		free(list->items[i].threat);
		free(list->items[i].description);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}
