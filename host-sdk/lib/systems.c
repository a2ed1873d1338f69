/*
 * systems.c - Open XDR systems: a unique name, a group, OS, sensor type,
 * agent version and the MAC addresses the agent registered.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SYSTEM_MAX_MACS 64

void xdr_system_new_free(struct xdr_system_new *sys)
{
	free(sys->name);
	free(sys->group);
	free(sys->agent_version);
	for (size_t i = 0; i < sys->n_macs; i++)
		free(sys->macs[i]);
	free(sys->macs);
	memset(sys, 0, sizeof(*sys));
}

static int check_macs(const struct xdr_system_spec *in,
                      struct xdr_system_new *out, struct xdr_err *err)
{
	char(*canon)[XDR_MAC_CANON_LEN];
	char q1[XDR_QUOTE_MAX], q2[XDR_QUOTE_MAX];
	int rc = XDR_OK;

	if (in->n_macs == 0)
		return XDR_OK;
	if (in->n_macs > SYSTEM_MAX_MACS)
		return xdr_errf(err, XDR_EINVAL, "more than %d MAC addresses",
		                SYSTEM_MAX_MACS);
	canon = calloc(in->n_macs, sizeof(*canon));
	out->macs = calloc(in->n_macs, sizeof(*out->macs));
	if (canon == NULL || out->macs == NULL) {
		free(canon);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < in->n_macs && rc == XDR_OK; i++) {
		rc = xdr_mac_check(in->macs[i], &out->macs[i], canon[i], err);
		if (rc != XDR_OK)
			break;
		out->n_macs++;
		/* One address in two notations is still one address. */
		for (size_t j = 0; j < i; j++) {
			if (strcmp(canon[i], canon[j]) == 0) {
				rc = xdr_errf(
				        err, XDR_EINVAL,
				        "duplicate MAC %s (same as %s)",
				        xdr_quote(out->macs[i], q1, sizeof(q1)),
				        xdr_quote(out->macs[j], q2,
				                  sizeof(q2)));
				break;
			}
		}
	}
	free(canon);
	return rc;
}

int xdr_system_check(const struct xdr_system_spec *in,
                     struct xdr_system_new *out, struct xdr_err *err)
{
	struct xdr_system_new s;
	int rc;

	memset(&s, 0, sizeof(s));
	rc = xdr_text_check("system name", in->name, XDR_NAME_MAX_CHARS,
	                    &s.name, err);
	if (rc == XDR_OK)
		rc = xdr_text_check("group name", in->group, XDR_NAME_MAX_CHARS,
		                    &s.group, err);
	if (rc == XDR_OK && in->os != XDR_OS_WINDOWS &&
	    in->os != XDR_OS_LINUX && in->os != XDR_OS_OTHER)
		rc = xdr_errf(err, XDR_EINVAL,
		              "invalid OS (expected windows, linux or other)");
	if (rc == XDR_OK && in->sensor != XDR_SENSOR_AGENT &&
	    in->sensor != XDR_SENSOR_SYSLOG)
		rc = xdr_errf(err, XDR_EINVAL,
		              "invalid sensor (expected agent or syslog)");
	/* The ABI promises plugins an agent version only for agents. */
	if (rc == XDR_OK && in->agent_version != NULL &&
	    in->sensor != XDR_SENSOR_AGENT)
		rc = xdr_errf(err, XDR_EINVAL,
		              "an agent version is only for sensor agent");
	if (rc == XDR_OK && in->agent_version != NULL)
		rc = xdr_text_check("agent version", in->agent_version,
		                    XDR_VERSION_MAX_CHARS, &s.agent_version,
		                    err);
	if (rc == XDR_OK)
		rc = check_macs(in, &s, err);
	if (rc != XDR_OK) {
		xdr_system_new_free(&s);
		return rc;
	}
	s.os = in->os;
	s.sensor = in->sensor;
	*out = s;
	return XDR_OK;
}

static int system_id_locked(struct xdr_db *db, const char *name, int64_t *id,
                            struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db, "SELECT id FROM systems WHERE name = ?1",
	                        &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(st, 0);
		break;
	case SQLITE_DONE:
		rc = XDR_ENOTFOUND;
		break;
	default:
		rc = xdr_db_fail(db, "looking up a system", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int write_macs(struct xdr_db *db, int64_t id,
                      const struct xdr_system_new *sys, struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(
	        db, "DELETE FROM system_macs WHERE system_id = ?1", &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "replacing MAC addresses", err);
	sqlite3_finalize(st);
	if (rc != XDR_OK || sys->n_macs == 0)
		return rc;
	rc = xdr_db_prepare(db,
	                    "INSERT INTO system_macs (system_id, position, mac)"
	                    " VALUES (?1, ?2, ?3)",
	                    &st, err);
	if (rc != XDR_OK)
		return rc;
	for (size_t i = 0; i < sys->n_macs && rc == XDR_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_text(st, 3, sys->macs[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "storing a MAC address", err);
	}
	sqlite3_finalize(st);
	return rc;
}

int xdr_system_write_locked(struct xdr_db *db, const struct xdr_system_new *sys,
                            bool update, int64_t *id, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int64_t group_id, existing = 0;
	int rc = xdr_group_id_locked(db, sys->group, &group_id, err);
	bool exists;

	if (rc != XDR_OK)
		return rc;
	rc = system_id_locked(db, sys->name, &existing, err);
	if (rc != XDR_OK && rc != XDR_ENOTFOUND)
		return rc;
	exists = rc == XDR_OK;
	if (exists && !update)
		return xdr_errf(err, XDR_EINVAL, "system %s already exists",
		                xdr_quote(sys->name, q, sizeof(q)));
	rc = xdr_db_prepare(
	        db,
	        exists ? "UPDATE systems SET group_id = ?2, os = ?3, sensor = "
	                 "?4,"
	                 " agent_version = ?5 WHERE id = ?1"
	               : "INSERT INTO systems (name, group_id, os, sensor,"
	                 " agent_version) VALUES (?1, ?2, ?3, ?4, ?5)",
	        &st, err);
	if (rc != XDR_OK)
		return rc;
	if (exists)
		sqlite3_bind_int64(st, 1, existing);
	else
		sqlite3_bind_text(st, 1, sys->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, group_id);
	sqlite3_bind_text(st, 3, xdr_os_name(sys->os), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, xdr_sensor_name(sys->sensor), -1,
	                  SQLITE_STATIC);
	xdr_db_bind_text(st, 5, sys->agent_version);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "storing a system", err);
	else if (!exists)
		existing = sqlite3_last_insert_rowid(xdr_db_handle(db));
	sqlite3_finalize(st);
	if (rc == XDR_OK)
		rc = write_macs(db, existing, sys, err);
	if (rc == XDR_OK && id != NULL)
		*id = existing;
	return rc;
}

int xdr_system_add(struct xdr_db *db, const struct xdr_system_spec *in,
                   int64_t *id, struct xdr_err *err)
{
	struct xdr_system_new sys;
	int rc = xdr_system_check(in, &sys, err);

	if (rc != XDR_OK)
		return rc;
	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	if (rc == XDR_OK) {
		rc = xdr_system_write_locked(db, &sys, false, id, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	xdr_system_new_free(&sys);
	return rc;
}

static int read_macs(struct xdr_db *db, sqlite3_stmt *st,
                     struct xdr_system_rec *s, struct xdr_err *err)
{
	size_t cap = 0;
	int rc = XDR_OK, step;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, s->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		rc = xdr_array_grow(&s->macs, &cap, s->n_macs,
		                    sizeof(*s->macs));
		if (rc == XDR_OK)
			rc = xdr_db_column_text(st, 0, &s->macs[s->n_macs]);
		if (rc != XDR_OK)
			return xdr_errf(err, rc, "out of memory");
		s->n_macs++;
	}
	if (step != SQLITE_DONE)
		return xdr_db_fail(db, "listing MAC addresses", err);
	return XDR_OK;
}

static int group_exists_locked(struct xdr_db *db, int64_t group_id,
                               struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db, "SELECT 1 FROM groups WHERE id = ?1", &st,
	                        err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, group_id);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		break;
	case SQLITE_DONE:
		rc = xdr_errf(err, XDR_ENOTFOUND, "no group with id %lld",
		              (long long)group_id);
		break;
	default:
		rc = xdr_db_fail(db, "looking up a group", err);
	}
	sqlite3_finalize(st);
	return rc;
}

#define SYSTEM_SELECT                                                          \
	"SELECT s.id, s.name, s.group_id, g.name, s.os, s.sensor,"             \
	" s.agent_version FROM systems s JOIN groups g ON g.id = s.group_id"

/* The systems st answers, with their MACs, appended to list; st
 * finalized. */
static int read_rows(struct xdr_db *db, sqlite3_stmt *st,
                     struct xdr_system_list *list, struct xdr_err *err)
{
	sqlite3_stmt *macs = NULL;
	size_t cap = list->n;
	int rc, step = SQLITE_DONE;

	rc = xdr_db_prepare(db,
	                    "SELECT mac FROM system_macs"
	                    " WHERE system_id = ?1 ORDER BY position",
	                    &macs, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xdr_system_rec *s;
		char *text = NULL;

		rc = xdr_array_grow(&list->items, &cap, list->n, sizeof(*s));
		if (rc != XDR_OK) {
			rc = xdr_errf(err, rc, "out of memory");
			break;
		}
		s = &list->items[list->n++];
		s->id = sqlite3_column_int64(st, 0);
		s->group_id = sqlite3_column_int64(st, 2);
		if (xdr_db_column_text(st, 1, &s->name) != XDR_OK ||
		    xdr_db_column_text(st, 3, &s->group) != XDR_OK ||
		    xdr_db_column_text(st, 6, &s->agent_version) != XDR_OK) {
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
			break;
		}
		text = (char *)sqlite3_column_text(st, 4);
		if (xdr_os_parse(text, &s->os) != XDR_OK)
			s->os = XDR_OS_OTHER;
		text = (char *)sqlite3_column_text(st, 5);
		if (xdr_sensor_parse(text, &s->sensor) != XDR_OK)
			s->sensor = XDR_SENSOR_OTHER;
		rc = read_macs(db, macs, s, err);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing systems", err);
	sqlite3_finalize(st);
	sqlite3_finalize(macs);
	return rc;
}

static int list_locked(struct xdr_db *db, int64_t group_id,
                       struct xdr_system_list *list, struct xdr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = XDR_OK;

	if (group_id != 0)
		rc = group_exists_locked(db, group_id, err);
	if (rc == XDR_OK)
		rc = xdr_db_prepare(
		        db,
		        "SELECT s.id, s.name, s.group_id, g.name, s.os,"
		        " s.sensor, s.agent_version FROM systems s"
		        " JOIN groups g ON g.id = s.group_id"
		        " WHERE ?1 = 0 OR s.group_id = ?1 ORDER BY s.id",
		        &st, err);
	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, group_id);
	return read_rows(db, st, list, err);
}

int xdr_system_list(struct xdr_db *db, int64_t group_id,
                    struct xdr_system_list *out, struct xdr_err *err)
{
	struct xdr_system_list list = {NULL, 0};
	int rc;

	if (group_id < 0)
		return xdr_errf(err, XDR_EINVAL, "invalid group id %lld",
		                (long long)group_id);
	xdr_db_lock(db);
	rc = list_locked(db, group_id, &list, err);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_system_list_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}

/* Count, then read the page, inside one read transaction. */
static int page_locked(struct xdr_db *db, int64_t group_id, int64_t offset,
                       int64_t limit, struct xdr_system_list *list,
                       int64_t *total, struct xdr_err *err)
{
	/* Two statements each rather than "?1 = 0 OR s.group_id = ?1", so
	 * that a group's page uses the index on group_id. */
	const char *sql = group_id != 0 ? "SELECT COUNT(*) FROM systems"
	                                  " WHERE group_id = ?1"
	                                : "SELECT COUNT(*) FROM systems";
	sqlite3_stmt *st = NULL;
	int rc = XDR_OK;

	if (group_id != 0)
		rc = group_exists_locked(db, group_id, err);
	if (rc == XDR_OK)
		rc = xdr_db_prepare(db, sql, &st, err);
	if (rc != XDR_OK)
		return rc;
	if (group_id != 0)
		sqlite3_bind_int64(st, 1, group_id);
	rc = xdr_db_count(db, st, "counting systems", total, err);
	sql = group_id != 0 ? SYSTEM_SELECT " WHERE s.group_id = ?3"
	                                    " ORDER BY s.id LIMIT ?1 OFFSET ?2"
	                    : SYSTEM_SELECT " ORDER BY s.id LIMIT ?1 OFFSET ?2";
	if (rc == XDR_OK)
		rc = xdr_db_prepare(db, sql, &st, err);
	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	if (group_id != 0)
		sqlite3_bind_int64(st, 3, group_id);
	return read_rows(db, st, list, err);
}

int xdr_system_page(struct xdr_db *db, int64_t group_id, int64_t offset,
                    int64_t limit, struct xdr_system_list *out, int64_t *total,
                    struct xdr_err *err)
{
	struct xdr_system_list list = {NULL, 0};
	int64_t n = 0;
	int rc = xdr_page_check(offset, limit, err);

	if (rc != XDR_OK)
		return rc;
	if (group_id < 0)
		return xdr_errf(err, XDR_EINVAL, "invalid group id %lld",
		                (long long)group_id);
	xdr_db_lock(db);
	rc = xdr_db_begin_read(db, err);
	if (rc == XDR_OK) {
		rc = page_locked(db, group_id, offset, limit, &list, &n, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_system_list_free(&list);
		return rc;
	}
	*out = list;
	*total = n;
	return XDR_OK;
}

void xdr_system_list_free(struct xdr_system_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct xdr_system_rec *s = &list->items[i];

		free(s->name);
		free(s->group);
		free(s->agent_version);
		for (size_t j = 0; j < s->n_macs; j++)
			free(s->macs[j]);
		free(s->macs);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}
