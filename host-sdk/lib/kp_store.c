/*
 * kp_store.c - the installed packs and their objects in the host database.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int run(struct xdr_db *db, const char *sql, const char *a, const char *b,
               const char *doing, struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db, sql, &st, err);

	if (rc != XDR_OK)
		return rc;
	if (a != NULL)
		xdr_db_bind_text(st, 1, a);
	if (b != NULL)
		xdr_db_bind_text(st, 2, b);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, doing, err);
	sqlite3_finalize(st);
	return rc;
}

static int current_version(struct xdr_db *db, const char *name,
                           const char *state, char **version,
                           struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db,
	                        "SELECT version FROM kp_packs"
	                        " WHERE name = ?1 AND state = ?2",
	                        &st, err);

	*version = NULL;
	if (rc != XDR_OK)
		return rc;
	xdr_db_bind_text(st, 1, name);
	xdr_db_bind_text(st, 2, state);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		if (xdr_db_column_text(st, 0, version) != XDR_OK)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
		break;
	case SQLITE_DONE:
		rc = xdr_errf(err, XDR_ENOTFOUND, "no %s version of pack %s",
		              state, name);
		break;
	default:
		rc = xdr_db_fail(db, "reading the installed packs", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int xdr_kp_pack_version(struct xdr_db *db, const char *name, const char *state,
                        char **version, struct xdr_err *err)
{
	int rc;

	xdr_db_lock(db);
	rc = current_version(db, name, state, version, err);
	xdr_db_unlock(db);
	return rc;
}

/* The rows of the pack's versions after installing m: the version current
 * until now becomes previous, unless it is m's own version (a reinstall). */
static int write_packs(struct xdr_db *db, const struct xdr_kp_manifest *m,
                       const char *plugin_file, int64_t now,
                       struct xdr_err *err)
{
	char *cur = NULL;
	sqlite3_stmt *st;
	int rc = current_version(db, m->name, "current", &cur, err);

	if (rc == XDR_ENOTFOUND) {
		rc = XDR_OK;
	} else if (rc == XDR_OK && strcmp(cur, m->version) != 0) {
		rc = run(db,
		         "DELETE FROM kp_packs WHERE name = ?1 AND"
		         " state = 'previous'",
		         m->name, NULL, "installing a pack", err);
		if (rc == XDR_OK)
			rc = run(db,
			         "UPDATE kp_packs SET state = 'previous'"
			         " WHERE name = ?1 AND state = 'current'",
			         m->name, NULL, "installing a pack", err);
	}
	free(cur);
	if (rc != XDR_OK)
		return rc;
	rc = xdr_db_prepare(db,
	                    "INSERT OR REPLACE INTO kp_packs (name, state,"
	                    " version, installed_at, plugin_file)"
	                    " VALUES (?1, 'current', ?2, ?3, ?4)",
	                    &st, err);
	if (rc != XDR_OK)
		return rc;
	xdr_db_bind_text(st, 1, m->name);
	xdr_db_bind_text(st, 2, m->version);
	sqlite3_bind_int64(st, 3, now);
	xdr_db_bind_text(st, 4, plugin_file);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "recording a pack", err);
	sqlite3_finalize(st);
	return rc;
}

static int write_alert(struct xdr_db *db, const char *pack,
                       const struct xdr_kp_object *o, struct xdr_err *err)
{
	sqlite3_stmt *st;
	/* An alert an administrator enabled stays enabled across upgrades. */
	int rc = xdr_db_prepare(
	        db,
	        "INSERT INTO kp_alerts (name, pack, event_id, threat, enabled)"
	        " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET"
	        " pack = excluded.pack, event_id = excluded.event_id,"
	        " threat = excluded.threat",
	        &st, err);

	if (rc != XDR_OK)
		return rc;
	xdr_db_bind_text(st, 1, o->name);
	xdr_db_bind_text(st, 2, pack);
	sqlite3_bind_int64(st, 3, o->event_id);
	xdr_db_bind_text(st, 4, o->threat);
	sqlite3_bind_int(st, 5, o->active ? 1 : 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "importing an alert", err);
	sqlite3_finalize(st);
	return rc;
}

static int write_object(struct xdr_db *db, const char *pack,
                        const struct xdr_kp_object *o, struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc =
	        xdr_db_prepare(db,
	                       "INSERT INTO kp_objects (type, name, pack, body)"
	                       " VALUES (?1, ?2, ?3, ?4)",
	                       &st, err);

	if (rc != XDR_OK)
		return rc;
	xdr_db_bind_text(st, 1, xdr_kp_type_name(o->type));
	xdr_db_bind_text(st, 2, o->name);
	xdr_db_bind_text(st, 3, pack);
	xdr_db_bind_text(st, 4, o->body);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "importing an object", err);
	sqlite3_finalize(st);
	if (rc == XDR_OK && o->type == XDR_KP_ALERT)
		rc = write_alert(db, pack, o, err);
	return rc;
}

/* Alerts the new version no longer has go; those it keeps stay as they
 * are until rewritten. */
static int drop_stale_alerts(struct xdr_db *db, const char *pack,
                             struct xdr_err *err)
{
	return run(db,
	           "DELETE FROM kp_alerts WHERE pack = ?1 AND name NOT IN"
	           " (SELECT name FROM kp_objects WHERE type = 'alert' AND"
	           " pack = ?1)",
	           pack, NULL, "importing the alerts", err);
}

int xdr_kp_store_import(struct xdr_db *db, const struct xdr_kp_manifest *m,
                        const char *plugin_file,
                        const struct xdr_kp_objects *objs, int64_t now,
                        struct xdr_err *err)
{
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	if (rc == XDR_OK)
		rc = write_packs(db, m, plugin_file, now, err);
	if (rc == XDR_OK)
		rc = run(db, "DELETE FROM kp_objects WHERE pack = ?1", m->name,
		         NULL, "importing the objects", err);
	for (size_t i = 0; rc == XDR_OK && i < objs->n; i++)
		rc = write_object(db, m->name, &objs->items[i], err);
	if (rc == XDR_OK)
		rc = drop_stale_alerts(db, m->name, err);
	if (rc == XDR_OK)
		rc = xdr_db_commit(db, err);
	else
		xdr_db_rollback(db);
	xdr_db_unlock(db);
	return rc;
}

int xdr_kp_store_remove(struct xdr_db *db, const char *name,
                        struct xdr_err *err)
{
	static const char *const sql[] = {
	        "DELETE FROM kp_alerts WHERE pack = ?1",
	        "DELETE FROM kp_objects WHERE pack = ?1",
	        "DELETE FROM kp_packs WHERE name = ?1",
	};
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	for (size_t i = 0; rc == XDR_OK && i < 3; i++)
		rc = run(db, sql[i], name, NULL, "removing a pack", err);
	if (rc == XDR_OK)
		rc = xdr_db_commit(db, err);
	else
		xdr_db_rollback(db);
	xdr_db_unlock(db);
	return rc;
}

static int read_pack(sqlite3_stmt *st, struct xdr_kp_pack_rec *p)
{
	p->installed_at = sqlite3_column_int64(st, 3);
	p->n_objects = (size_t)sqlite3_column_int64(st, 5);
	if (xdr_db_column_text(st, 0, &p->name) != XDR_OK ||
	    xdr_db_column_text(st, 1, &p->state) != XDR_OK ||
	    xdr_db_column_text(st, 2, &p->version) != XDR_OK ||
	    xdr_db_column_text(st, 4, &p->plugin_file) != XDR_OK)
		return XDR_ENOMEM;
	return XDR_OK;
}

int xdr_kp_pack_list(struct xdr_db *db, struct xdr_kp_pack_list *out,
                     struct xdr_err *err)
{
	struct xdr_kp_pack_list list = {NULL, 0};
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc, step = SQLITE_DONE;

	xdr_db_lock(db);
	rc = xdr_db_prepare(
	        db,
	        "SELECT name, state, version, installed_at, plugin_file,"
	        " CASE state WHEN 'current' THEN (SELECT count(*) FROM"
	        " kp_objects o WHERE o.pack = p.name) ELSE 0 END"
	        " FROM kp_packs p ORDER BY name, state",
	        &st, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = xdr_array_grow(&list.items, &cap, list.n,
		                    sizeof(*list.items));
		if (rc == XDR_OK)
			rc = read_pack(st, &list.items[list.n++]);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing the packs", err);
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_kp_pack_list_free(&list);
		return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory")
		                        : rc;
	}
	*out = list;
	return XDR_OK;
}

void xdr_kp_pack_list_free(struct xdr_kp_pack_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].name);
		free(list->items[i].version);
		free(list->items[i].state);
		free(list->items[i].plugin_file);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

int xdr_kp_object_get(struct xdr_db *db, enum xdr_kp_type type,
                      const char *name, char **body, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int rc;

	*body = NULL;
	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "SELECT body FROM kp_objects"
	                    " WHERE type = ?1 AND name = ?2",
	                    &st, err);
	if (rc == XDR_OK) {
		xdr_db_bind_text(st, 1, xdr_kp_type_name(type));
		xdr_db_bind_text(st, 2, name);
		switch (sqlite3_step(st)) {
		case SQLITE_ROW:
			if (xdr_db_column_text(st, 0, body) != XDR_OK)
				rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
			break;
		case SQLITE_DONE:
			rc = xdr_errf(err, XDR_ENOTFOUND, "no %s named %s",
			              xdr_kp_type_name(type),
			              xdr_quote(name, q, sizeof(q)));
			break;
		default:
			rc = xdr_db_fail(db, "reading an object", err);
		}
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	return rc;
}

int xdr_kp_object_names(struct xdr_db *db, enum xdr_kp_type type, char ***names,
                        size_t *n, struct xdr_err *err)
{
	char **list = NULL;
	size_t count = 0, cap = 0;
	sqlite3_stmt *st;
	int rc, step = SQLITE_DONE;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "SELECT name FROM kp_objects WHERE type = ?1"
	                    " ORDER BY name",
	                    &st, err);
	if (rc == XDR_OK)
		xdr_db_bind_text(st, 1, xdr_kp_type_name(type));
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = xdr_array_grow(&list, &cap, count, sizeof(*list));
		if (rc == XDR_OK)
			rc = xdr_db_column_text(st, 0, &list[count++]);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing objects", err);
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_kp_names_free(list, count);
		return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory")
		                        : rc;
	}
	*names = list;
	*n = count;
	return XDR_OK;
}

void xdr_kp_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
