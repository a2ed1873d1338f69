/*
 * outbox_store.c - the outbox in the plugin's store (schema.c, version 6).
 */
#include <config.h>

#include "outbox_store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "errbuf.h"

#define ROW_COLUMNS                                                            \
	"report_id, instance_id, group_id, organization_id, title,"            \
	" file_path, file_name, generated_at, state, attempts,"                \
	" next_attempt, asset_id, related, last_error, created_at,"            \
	" finished_at, updated_at"

void itg_outbox_row_clear(struct itg_outbox_row *row)
{
	free(row->organization_id);
	free(row->title);
	free(row->file_path);
	free(row->file_name);
	free(row->asset_id);
	free(row->related);
	free(row->last_error);
	memset(row, 0, sizeof(*row));
}

int itg_outbox_owner(char *out, size_t size)
{
	char host[128] = "";
	unsigned int salt = (unsigned int)time(NULL) ^ (unsigned int)os_pid();

	if (os_hostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "localhost");
	for (char *c = host; *c != '\0'; c++) {
		if (*c == ':')
			*c = '_';
	}
	snprintf(out, size, "%s:%ld:%08x", host, os_pid(), salt * 2654435761u);
	return 0;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? strdup((const char *)t) : NULL;
}

static int read_row(sqlite3_stmt *st, struct itg_outbox_row *row)
{
	memset(row, 0, sizeof(*row));
	row->report_id = sqlite3_column_int64(st, 0);
	row->instance_id = sqlite3_column_int64(st, 1);
	row->group_id = sqlite3_column_int64(st, 2);
	row->organization_id = dup_col(st, 3);
	row->title = dup_col(st, 4);
	row->file_path = dup_col(st, 5);
	row->file_name = dup_col(st, 6);
	row->generated_at = sqlite3_column_int64(st, 7);
	itg_outbox_state_parse((const char *)sqlite3_column_text(st, 8),
	                       &row->state);
	row->attempts = (unsigned int)sqlite3_column_int(st, 9);
	row->next_attempt = sqlite3_column_int64(st, 10);
	row->asset_id = dup_col(st, 11);
	row->related = dup_col(st, 12);
	row->last_error = dup_col(st, 13);
	row->created_at = sqlite3_column_int64(st, 14);
	row->finished_at = sqlite3_column_int64(st, 15);
	row->updated_at = sqlite3_column_int64(st, 16);
	if (row->organization_id == NULL || row->title == NULL ||
	    row->file_path == NULL || row->file_name == NULL ||
	    row->related == NULL) {
		itg_outbox_row_clear(row);
		return XDR_ENOMEM;
	}
	return 0;
}

/* The row REPORT_ID read with DB held. 1 found, 0 none, negative error. */
static int select_row(sqlite3 *db, int64_t report_id,
                      struct itg_outbox_row *row)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(
	        db, "SELECT " ROW_COLUMNS " FROM outbox WHERE report_id = ?1",
	        -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, report_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = read_row(st, row) == 0 ? 1 : XDR_ENOMEM;
	else
		rc = rc == SQLITE_DONE ? 0 : XDR_ERROR;
	sqlite3_finalize(st);
	return rc;
}

int itg_outbox_get(struct itg_store *store, int64_t report_id,
                   struct itg_outbox_row *row, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	int rc = select_row(db, report_id, row);

	if (rc == 0) {
		itg_errf(err, errsize, "report %lld is not in the outbox",
		         (long long)report_id);
		rc = XDR_ENOTFOUND;
	} else if (rc < 0) {
		itg_errf(err, errsize, "cannot read the outbox: %s",
		         sqlite3_errmsg(db));
	} else {
		rc = XDR_OK;
	}
	itg_store_release(store);
	return rc;
}

int itg_outbox_enqueue(struct itg_store *store,
                       const struct itg_outbox_row *row, bool requeue,
                       int64_t now, char *err, size_t errsize)
{
	struct itg_outbox_row old;
	sqlite3 *db;
	int found, rc;

	rc = itg_store_begin(store, err, errsize);
	if (rc != 0)
		return rc;
	db = itg_store_acquire(store);
	found = select_row(db, row->report_id, &old);
	if (found < 0) {
		char msg[384];

		itg_store_describe(db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot read the outbox: %s", msg);
	}
	itg_store_release(store);
	if (found < 0) {
		itg_store_rollback(store);
		return found;
	}
	if (found == 1 &&
	    (old.state == ITG_OUTBOX_DONE || old.state == ITG_OUTBOX_WORKING)) {
		itg_errf(err, errsize,
		         old.state == ITG_OUTBOX_DONE
		                 ? "report %lld is published already (flexible "
		                   "asset %s)"
		                 : "report %lld is being published right now",
		         (long long)row->report_id,
		         old.asset_id ? old.asset_id : "?");
		itg_outbox_row_clear(&old);
		itg_store_rollback(store);
		return XDR_EBUSY;
	}
	if (found == 1 && !requeue) {
		itg_outbox_row_clear(&old);
		return itg_store_commit(store, err, errsize);
	}
	rc = found == 1
	             ? itg_store_exec(store, err, errsize,
	                              "UPDATE outbox SET state = 'pending',"
	                              " attempts = 0, next_attempt = ?2,"
	                              " instance_id = ?3,"
	                              " organization_id = ?4,"
	                              " created_at = ?2, updated_at = ?2,"
	                              " finished_at = NULL"
	                              " WHERE report_id = ?1",
	                              "iiit", row->report_id, now,
	                              row->instance_id, row->organization_id)
	             : itg_store_exec(
	                       store, err, errsize,
	                       "INSERT INTO outbox (report_id, instance_id,"
	                       " group_id, organization_id, title, file_path,"
	                       " file_name, generated_at, state,"
	                       " next_attempt, created_at, updated_at)"
	                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
	                       " 'pending', ?9, ?9, ?9)",
	                       "iiittttii", row->report_id, row->instance_id,
	                       row->group_id, row->organization_id, row->title,
	                       row->file_path, row->file_name,
	                       row->generated_at, now);
	if (found == 1)
		itg_outbox_row_clear(&old);
	if (rc < 0) {
		itg_store_rollback(store);
		return rc;
	}
	return itg_store_commit(store, err, errsize);
}

int itg_outbox_claim(struct itg_store *store, const char *owner, int64_t now,
                     int64_t lease_s, struct itg_outbox_row *row, char *err,
                     size_t errsize)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t id = 0;
	int rc;

	memset(row, 0, sizeof(*row));
	rc = itg_store_begin(store, err, errsize);
	if (rc != 0)
		return rc;
	db = itg_store_acquire(store);
	/* The first due row of each state, then the first of the two: each
	 * half walks index outbox_due in order and stops at its first row.
	 * One WHERE with an OR sorted every due row, a backlog of thousands,
	 * while the hooks waited for the connection. */
	rc = sqlite3_prepare_v2(
	        db,
	        "SELECT report_id FROM ("
	        " SELECT * FROM (SELECT report_id, next_attempt FROM outbox"
	        "  WHERE state = 'pending' AND next_attempt <= ?1"
	        "  ORDER BY next_attempt, report_id LIMIT 1)"
	        " UNION ALL"
	        " SELECT * FROM (SELECT report_id, next_attempt FROM outbox"
	        "  WHERE state = 'working' AND lease_until < ?1"
	        "  ORDER BY next_attempt, report_id LIMIT 1))"
	        " ORDER BY next_attempt, report_id LIMIT 1",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, now);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		char msg[384];

		itg_store_describe(db, msg, sizeof(msg));
		itg_errf(err, errsize, "cannot read the outbox: %s", msg);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		itg_store_rollback(store);
		return XDR_ERROR;
	}
	if (id == 0)
		return itg_store_commit(store, err, errsize) == 0 ? 0
		                                                  : XDR_ERROR;
	rc = itg_store_exec(store, err, errsize,
	                    "UPDATE outbox SET state = 'working',"
	                    " lease_owner = ?2, lease_until = ?3,"
	                    " attempts = attempts + 1, updated_at = ?4"
	                    " WHERE report_id = ?1",
	                    "itii", id, owner, now + lease_s, now);
	if (rc >= 0) {
		db = itg_store_acquire(store);
		rc = select_row(db, id, row);
		itg_store_release(store);
	}
	if (rc != 1) {
		itg_store_rollback(store);
		itg_outbox_row_clear(row);
		return rc < 0 ? rc : XDR_ERROR;
	}
	if (itg_store_commit(store, err, errsize) != 0) {
		itg_outbox_row_clear(row);
		return XDR_ERROR;
	}
	return 1;
}

/*
 * Does OWNER name a process of HOST that is gone? Our own pid under another
 * owner is a process that died before this one got its pid (a restarted
 * container starts with the same pids).
 */
static bool owner_gone(const char *owner, const char *host, const char *self)
{
	size_t hl = strlen(host);
	long pid;

	if (owner == NULL || strncmp(owner, host, hl) != 0 ||
	    owner[hl] != ':' || strcmp(owner, self) == 0)
		return false;
	pid = strtol(owner + hl + 1, NULL, 10);
	return pid == os_pid() || os_process_gone(pid);
}

int itg_outbox_recover(struct itg_store *store, const char *self, char *err,
                       size_t errsize)
{
	char host[128] = "";
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int rc;

	if (os_hostname(host, sizeof(host)) != 0)
		return 0;
	/* One transaction: a row another process recovers and claims
	 * meanwhile must not be taken from it. */
	rc = itg_store_begin(store, err, errsize);
	if (rc != 0)
		return rc;
	db = itg_store_acquire(store);
	rc = sqlite3_prepare_v2(db,
	                        "SELECT report_id, lease_owner FROM outbox"
	                        " WHERE state = 'working'",
	                        -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *owner = (const char *)sqlite3_column_text(st, 1);

		rc = SQLITE_OK;
		if (!owner_gone(owner, host, self))
			continue;
		if (itg_store_exec(store, err, errsize,
		                   "UPDATE outbox SET state = 'pending',"
		                   " next_attempt = 0, lease_owner = NULL,"
		                   " lease_until = 0"
		                   " WHERE report_id = ?1 AND lease_owner = ?2",
		                   "it", sqlite3_column_int64(st, 0),
		                   owner) < 0)
			rc = SQLITE_ERROR;
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	if (rc != SQLITE_DONE) {
		itg_store_rollback(store);
		if (rc != SQLITE_ERROR)
			itg_errf(err, errsize, "cannot read the outbox");
		return XDR_ERROR;
	}
	return itg_store_commit(store, err, errsize);
}

/* 0 when OWNER holds REPORT_ID (CHANGED rows), else XDR_EBUSY. */
static int still_owned(int changed, int64_t report_id, char *err,
                       size_t errsize)
{
	if (changed < 0)
		return changed;
	if (changed == 0) {
		itg_errf(err, errsize,
		         "report %lld was taken over by another process",
		         (long long)report_id);
		return XDR_EBUSY;
	}
	return 0;
}

int itg_outbox_renew(struct itg_store *store, int64_t report_id,
                     const char *owner, int64_t now, int64_t lease_s, char *err,
                     size_t errsize)
{
	return still_owned(itg_store_exec(store, err, errsize,
	                                  "UPDATE outbox SET lease_until = ?3"
	                                  " WHERE report_id = ?1"
	                                  " AND state = 'working'"
	                                  " AND lease_owner = ?2",
	                                  "iti", report_id, owner,
	                                  now + lease_s),
	                   report_id, err, errsize);
}

int itg_outbox_set_asset(struct itg_store *store, int64_t report_id,
                         const char *owner, const char *asset_id, char *err,
                         size_t errsize)
{
	return still_owned(itg_store_exec(store, err, errsize,
	                                  "UPDATE outbox SET asset_id = ?3"
	                                  " WHERE report_id = ?1"
	                                  " AND lease_owner = ?2",
	                                  "itt", report_id, owner, asset_id),
	                   report_id, err, errsize);
}

bool itg_outbox_related_has(const char *related, const char *id)
{
	char needle[80];

	if (related == NULL)
		return false;
	snprintf(needle, sizeof(needle), ",%s,", id);
	return strstr(related, needle) != NULL;
}

int itg_outbox_add_related(struct itg_store *store, int64_t report_id,
                           const char *owner, const char *configuration_id,
                           char *err, size_t errsize)
{
	/* The row is updated even when it lists the configuration already,
	 * so that no change means the row is no longer OWNER's. */
	return still_owned(
	        itg_store_exec(store, err, errsize,
	                       "UPDATE outbox SET related = CASE"
	                       " WHEN instr(related, ',' || ?3 || ',') > 0"
	                       " THEN related"
	                       " WHEN related = '' THEN ',' || ?3 || ','"
	                       " ELSE related || ?3 || ',' END"
	                       " WHERE report_id = ?1 AND lease_owner = ?2",
	                       "itt", report_id, owner, configuration_id),
	        report_id, err, errsize);
}

int itg_outbox_finish(struct itg_store *store, int64_t report_id,
                      const char *owner,
                      const struct itg_outbox_decision *decision,
                      unsigned int attempts, const char *error, int64_t now,
                      char *err, size_t errsize)
{
	int rc;

	rc = itg_store_exec(
	        store, err, errsize,
	        "UPDATE outbox SET state = ?3, next_attempt = ?4,"
	        " last_error = ?5, lease_owner = NULL, lease_until = 0,"
	        " updated_at = ?6, attempts = ?7,"
	        " finished_at = CASE WHEN ?3 IN ('done', 'failed') THEN ?6"
	        " ELSE NULL END"
	        " WHERE report_id = ?1 AND lease_owner = ?2",
	        "ittitii", report_id, owner,
	        itg_outbox_state_name(decision->state), decision->next_attempt,
	        error, now, (int64_t)attempts);
	return still_owned(rc, report_id, err, errsize);
}

int itg_outbox_count(struct itg_store *store, int64_t day_start,
                     struct itg_outbox_counts *out)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(
	        db,
	        "SELECT"
	        " count(*) FILTER (WHERE state = 'pending'),"
	        " count(*) FILTER (WHERE state = 'working'),"
	        " count(*) FILTER (WHERE state = 'failed'),"
	        " count(*) FILTER (WHERE state = 'done'),"
	        " count(*) FILTER (WHERE state = 'done' AND finished_at >= ?1),"
	        " coalesce(min(next_attempt) FILTER (WHERE state = 'pending'),"
	        " 0)"
	        " FROM outbox",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, day_start);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->pending = sqlite3_column_int64(st, 0);
		out->working = sqlite3_column_int64(st, 1);
		out->failed = sqlite3_column_int64(st, 2);
		out->done = sqlite3_column_int64(st, 3);
		out->done_today = sqlite3_column_int64(st, 4);
		out->next_due = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc == SQLITE_ROW ? 0 : XDR_ERROR;
}

int itg_outbox_failures(struct itg_store *store, size_t max,
                        struct itg_outbox_row **out, size_t *n)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	*out = calloc(max + 1, sizeof(**out));
	*n = 0;
	if (*out == NULL) {
		itg_store_release(store);
		return XDR_ENOMEM;
	}
	rc = sqlite3_prepare_v2(
	        db,
	        "SELECT " ROW_COLUMNS " FROM outbox"
	        " WHERE state = 'failed'"
	        " ORDER BY finished_at DESC, report_id LIMIT ?1",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, (int64_t)max);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = read_row(st, &(*out)[(*n)++]) == 0 ? SQLITE_OK
		                                        : SQLITE_NOMEM;
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

/* The report ids as a JSON array, bound as one value that json_each()
 * reads: the statement stays a literal whatever the number of ids.
 * malloc'd; NULL when out of memory. */
static char *ids_array(const int64_t *ids, size_t n_ids)
{
	size_t size = 3 + n_ids * 21, used = 1;
	char *text = malloc(size);

	if (text == NULL)
		return NULL;
	text[0] = '[';
	for (size_t i = 0; i < n_ids; i++)
		used += (size_t)snprintf(text + used, size - used, "%s%lld",
		                         i > 0 ? "," : "", (long long)ids[i]);
	snprintf(text + used, size - used, "]");
	return text;
}

/* Bind the page's state (?1) and report ids (?4, NULL for every report). */
static int page_bind(sqlite3_stmt *st, const char *state, const char *ids)
{
	int rc = sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);

	if (rc == SQLITE_OK && ids != NULL)
		rc = sqlite3_bind_text(st, 4, ids, -1, SQLITE_STATIC);
	return rc;
}

int itg_outbox_page(struct itg_store *store, const char *state,
                    const int64_t *ids, size_t n_ids, int64_t offset,
                    int64_t limit, struct itg_outbox_row **out, size_t *n,
                    int64_t *total, char *err, size_t errsize)
{
	/* With report ids, the rows of those reports, found by key. */
	const char *sql = n_ids > 0 ? "SELECT count(*) FROM outbox"
	                              " WHERE report_id IN"
	                              " (SELECT value FROM json_each(?4))"
	                              " AND (?1 IS NULL OR state = ?1)"
	                            : "SELECT count(*) FROM outbox"
	                              " WHERE ?1 IS NULL OR state = ?1";
	char *id_list = n_ids > 0 ? ids_array(ids, n_ids) : NULL;
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	bool oom = false;
	int rc;

	*out = NULL;
	*n = 0;
	*total = 0;
	if (n_ids > 0 && id_list == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	db = itg_store_acquire(store);
	/* The count and the page under one hold: they agree. */
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = page_bind(st, state, id_list);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*total = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	sql = n_ids > 0 ? "SELECT " ROW_COLUMNS " FROM outbox"
	                  " WHERE report_id IN"
	                  " (SELECT value FROM json_each(?4))"
	                  " AND (?1 IS NULL OR state = ?1)"
	                  " ORDER BY updated_at DESC,"
	                  " report_id DESC LIMIT ?2 OFFSET ?3"
	                : "SELECT " ROW_COLUMNS " FROM outbox"
	                  " WHERE ?1 IS NULL OR state = ?1"
	                  " ORDER BY updated_at DESC,"
	                  " report_id DESC LIMIT ?2 OFFSET ?3";
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = page_bind(st, state, id_list);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, limit);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 3, offset);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct itg_outbox_row *grown =
		        realloc(*out, (*n + 1) * sizeof(**out));

		if (grown == NULL) {
			oom = true;
			break;
		}
		*out = grown;
		if (read_row(st, &grown[*n]) != 0) {
			oom = true;
			break;
		}
		(*n)++;
		rc = SQLITE_OK;
	}
	if (oom)
		itg_errf(err, errsize, "out of memory");
	else if (rc != SQLITE_DONE)
		itg_errf(err, errsize, "cannot read the outbox: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	itg_store_release(store);
	free(id_list);
	if (oom || rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			itg_outbox_row_clear(&(*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
		return oom ? XDR_ENOMEM : XDR_ERROR;
	}
	return 0;
}
