/*
 * events.c - the host's event log: what plugins report through emit_event,
 * stamped with the plugin's name and the host's clock.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A string of an event: present (unless optional), UTF-8, bounded. */
static int check_text(const char *what, const char *s, bool optional,
                      struct xdr_err *err)
{
	size_t len;

	if (s == NULL)
		return optional ? XDR_OK
		                : xdr_errf(err, XDR_EINVAL, "event %s is NULL",
		                           what);
	len = strnlen(s, XDR_EVENT_MAX_TEXT + 1);
	if (len > XDR_EVENT_MAX_TEXT)
		return xdr_errf(err, XDR_EINVAL,
		                "event %s is longer than %d bytes", what,
		                XDR_EVENT_MAX_TEXT);
	if (!xdr_utf8_valid(s, len, NULL))
		return xdr_errf(err, XDR_EINVAL, "event %s is not valid UTF-8",
		                what);
	return XDR_OK;
}

int xdr_event_check(const struct xdr_event *ev, struct xdr_err *err)
{
	const size_t min_size =
	        offsetof(struct xdr_event, n_fields) + sizeof(size_t);
	char q[XDR_QUOTE_MAX];
	int rc;

	if (ev == NULL)
		return xdr_errf(err, XDR_EINVAL, "event is NULL");
	if (ev->struct_size < min_size)
		return xdr_errf(err, XDR_EINVAL,
		                "event struct_size %u is smaller than %zu",
		                (unsigned)ev->struct_size, min_size);
	if (ev->id == 0)
		return xdr_errf(err, XDR_EINVAL, "event id must be > 0");
	if (xdr_severity_name(ev->severity) == NULL)
		return xdr_errf(err, XDR_EINVAL, "event severity %d is unknown",
		                (int)ev->severity);
	rc = check_text("description", ev->description, false, err);
	if (rc == XDR_OK && ev->description[0] == '\0')
		rc = xdr_errf(err, XDR_EINVAL, "event description is empty");
	if (rc == XDR_OK)
		rc = check_text("category", ev->category, true, err);
	if (rc != XDR_OK)
		return rc;
	if (ev->n_fields > XDR_EVENT_MAX_FIELDS)
		return xdr_errf(err, XDR_EINVAL,
		                "event has more than %d fields",
		                XDR_EVENT_MAX_FIELDS);
	if (ev->n_fields > 0 && ev->fields == NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "event has %zu fields but fields is NULL",
		                ev->n_fields);
	for (size_t i = 0; i < ev->n_fields; i++) {
		const struct xdr_event_field *f = &ev->fields[i];

		rc = check_text("field name", f->name, false, err);
		if (rc == XDR_OK && f->name[0] == '\0')
			rc = xdr_errf(err, XDR_EINVAL,
			              "event field name is empty");
		if (rc == XDR_OK)
			rc = check_text("field value", f->value, false, err);
		if (rc != XDR_OK)
			return rc;
		/* A JSON object holds a name once. */
		for (size_t j = 0; j < i; j++)
			if (strcmp(ev->fields[j].name, f->name) == 0)
				return xdr_errf(
				        err, XDR_EINVAL,
				        "event field %s given twice",
				        xdr_quote(f->name, q, sizeof(q)));
	}
	return XDR_OK;
}

/* The fields as JSON object text, in the order given (json-c keeps it). */
static char *fields_json(const struct xdr_event *ev)
{
	struct json_object *obj = json_object_new_object();
	char *text = NULL;
	bool ok = obj != NULL;

	for (size_t i = 0; ok && i < ev->n_fields; i++) {
		struct json_object *v =
		        json_object_new_string(ev->fields[i].value);

		ok = v != NULL &&
		     json_object_object_add(obj, ev->fields[i].name, v) == 0;
		if (!ok)
			json_object_put(v);
	}
	if (ok)
		text = strdup(json_object_to_json_string_ext(
		        obj, JSON_C_TO_STRING_PLAIN |
		                     JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return text;
}

int xdr_event_append(struct xdr_db *db, const char *source, int64_t time,
                     const struct xdr_event *ev, int64_t *seq,
                     struct xdr_err *err)
{
	sqlite3_stmt *st;
	char *fields;
	int rc = xdr_event_check(ev, err);

	if (rc != XDR_OK)
		return rc;
	fields = fields_json(ev);
	if (fields == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "INSERT INTO events (id, time, severity, source,"
	                    " category, description, fields)"
	                    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_int64(st, 1, ev->id);
		sqlite3_bind_int64(st, 2, time);
		sqlite3_bind_text(st, 3, xdr_severity_name(ev->severity), -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 4, source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, ev->category ? ev->category : "", -1,
		                  SQLITE_STATIC);
		sqlite3_bind_text(st, 6, ev->description, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, fields, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "storing an event", err);
		else if (seq != NULL)
			*seq = sqlite3_last_insert_rowid(xdr_db_handle(db));
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	free(fields);
	return rc;
}

static int read_row(sqlite3_stmt *st, struct xdr_event_rec *e)
{
	e->seq = sqlite3_column_int64(st, 0);
	e->id = (uint32_t)sqlite3_column_int64(st, 1);
	e->time = sqlite3_column_int64(st, 2);
	if (xdr_db_column_text(st, 3, &e->severity) != XDR_OK ||
	    xdr_db_column_text(st, 4, &e->source) != XDR_OK ||
	    xdr_db_column_text(st, 5, &e->category) != XDR_OK ||
	    xdr_db_column_text(st, 6, &e->description) != XDR_OK ||
	    xdr_db_column_text(st, 7, &e->fields) != XDR_OK)
		return XDR_ENOMEM;
	return XDR_OK;
}

#define EVENT_SELECT                                                           \
	"SELECT seq, id, time, severity, source, category, description,"       \
	" fields FROM events"

/* The rows st answers, appended to list; st finalized. */
static int read_rows(struct xdr_db *db, sqlite3_stmt *st,
                     struct xdr_event_list *list, struct xdr_err *err)
{
	size_t cap = list->n;
	int rc = XDR_OK, step = SQLITE_DONE;

	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xdr_event_rec *e;

		rc = xdr_array_grow(&list->items, &cap, list->n, sizeof(*e));
		if (rc == XDR_OK) {
			e = &list->items[list->n++];
			rc = read_row(st, e);
		}
	}
	if (rc == XDR_ENOMEM)
		rc = xdr_errf(err, rc, "out of memory");
	else if (step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing events", err);
	sqlite3_finalize(st);
	return rc;
}

int xdr_event_list(struct xdr_db *db, uint32_t id, struct xdr_event_list *out,
                   struct xdr_err *err)
{
	struct xdr_event_list list = {NULL, 0};
	sqlite3_stmt *st;
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "SELECT seq, id, time, severity, source, category,"
	                    " description, fields FROM events"
	                    " WHERE ?1 = 0 OR id = ?1 ORDER BY seq",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = read_rows(db, st, &list, err);
	}
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_event_list_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}

/* The events of a page: of one id (?3, 0 for every id) and, with a
 * search (?4), whose description or source holds it. */
#define EVENT_MATCH                                                            \
	" WHERE (?3 = 0 OR id = ?3) AND (instr(lower(description),"            \
	" lower(?4)) > 0 OR instr(lower(source), lower(?4)) > 0)"

/* Count, then read the page, inside one read transaction. */
static int page_locked(struct xdr_db *db, uint32_t id, const char *q,
                       int64_t offset, int64_t limit,
                       struct xdr_event_list *list, int64_t *total,
                       struct xdr_err *err)
{
	/* Without a search, two statements rather than "?3 = 0 OR id = ?3",
	 * so that a filtered page uses the index on id. */
	const char *sql = q != NULL ? EVENT_SELECT EVENT_MATCH
	                          " ORDER BY seq DESC"
	                          " LIMIT ?1 OFFSET ?2"
	                  : id != 0 ? EVENT_SELECT " WHERE id = ?3"
	                                           " ORDER BY seq DESC"
	                                           " LIMIT ?1 OFFSET ?2"
	                            : EVENT_SELECT " ORDER BY seq DESC"
	                                           " LIMIT ?1 OFFSET ?2";
	sqlite3_stmt *st;
	int rc;

	rc = xdr_db_prepare(
	        db,
	        q != NULL ? "SELECT COUNT(*) FROM events" EVENT_MATCH
	        : id != 0 ? "SELECT COUNT(*) FROM events WHERE id = ?3"
	                  : "SELECT COUNT(*) FROM events",
	        &st, err);
	if (rc != XDR_OK)
		return rc;
	if (id != 0 || q != NULL)
		sqlite3_bind_int64(st, 3, id);
	if (q != NULL)
		sqlite3_bind_text(st, 4, q, -1, SQLITE_STATIC);
	rc = xdr_db_count(db, st, "counting events", total, err);
	if (rc == XDR_OK)
		rc = xdr_db_prepare(db, sql, &st, err);
	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	if (id != 0 || q != NULL)
		sqlite3_bind_int64(st, 3, id);
	if (q != NULL)
		sqlite3_bind_text(st, 4, q, -1, SQLITE_STATIC);
	return read_rows(db, st, list, err);
}

int xdr_event_page(struct xdr_db *db, uint32_t id, int64_t offset,
                   int64_t limit, struct xdr_event_list *out, int64_t *total,
                   struct xdr_err *err)
{
	return xdr_event_search(db, id, NULL, offset, limit, out, total, err);
}

int xdr_event_search(struct xdr_db *db, uint32_t id, const char *q,
                     int64_t offset, int64_t limit, struct xdr_event_list *out,
                     int64_t *total, struct xdr_err *err)
{
	struct xdr_event_list list = {NULL, 0};
	int64_t n = 0;
	int rc = xdr_page_check(offset, limit, err);

	if (rc != XDR_OK)
		return rc;
	if (q != NULL && q[0] == '\0')
		q = NULL;
	xdr_db_lock(db);
	rc = xdr_db_begin_read(db, err);
	if (rc == XDR_OK) {
		rc = page_locked(db, id, q, offset, limit, &list, &n, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_event_list_free(&list);
		return rc;
	}
	*out = list;
	*total = n;
	return XDR_OK;
}

void xdr_event_list_free(struct xdr_event_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		struct xdr_event_rec *e = &list->items[i];

		free(e->severity);
		free(e->source);
		free(e->category);
		free(e->description);
		free(e->fields);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}
