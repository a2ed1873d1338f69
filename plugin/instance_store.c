/*
 * instance_store.c - IT Glue instances in the plugin's store: the tables
 * instances and instance_groups of schema.c.
 */
#include <config.h>

#include "instance_store.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "errbuf.h"

#define INSTANCE_COLUMNS                                                       \
	"id, name, region, url, key_sealed, key_masked, ca_file, proxy,"       \
	" rate_requests, rate_seconds, test_state, test_detail, test_at"

/* Report SQLite's error for WHAT; a UNIQUE violation on the name is the
 * administrator's mistake, not the store's. */
static int fail(sqlite3 *db, int rc, const char *what, const char *name,
                char *err, size_t errsize)
{
	if (rc == SQLITE_CONSTRAINT && name != NULL) {
		itg_errf(err, errsize,
		         "an instance named \"%s\" exists already", name);
		return XDR_EINVAL;
	}
	itg_errf(err, errsize, "cannot %s: %s", what, sqlite3_errmsg(db));
	return XDR_ERROR;
}

static int dup_column(sqlite3_stmt *st, int col, char **out)
{
	const unsigned char *text = sqlite3_column_text(st, col);

	*out = NULL;
	if (text == NULL)
		return 0;
	*out = strdup((const char *)text);
	return *out == NULL ? XDR_ENOMEM : 0;
}

static int read_row(sqlite3_stmt *st, struct itg_instance *inst)
{
	char *region = NULL;
	int rc;

	memset(inst, 0, sizeof(*inst));
	inst->id = sqlite3_column_int64(st, 0);
	inst->rate_requests = sqlite3_column_int64(st, 8);
	inst->rate_seconds = sqlite3_column_int64(st, 9);
	inst->test_state = sqlite3_column_int(st, 10);
	inst->test_at = sqlite3_column_int64(st, 12);
	rc = dup_column(st, 1, &inst->name);
	if (rc == 0)
		rc = dup_column(st, 2, &region);
	if (rc == 0)
		rc = dup_column(st, 3, &inst->url);
	if (rc == 0)
		rc = dup_column(st, 4, &inst->key_sealed);
	if (rc == 0)
		rc = dup_column(st, 5, &inst->key_masked);
	if (rc == 0)
		rc = dup_column(st, 6, &inst->ca_file);
	if (rc == 0)
		rc = dup_column(st, 7, &inst->proxy);
	if (rc == 0)
		rc = dup_column(st, 11, &inst->test_detail);
	inst->region = itg_region_parse(region);
	free(region);
	if (rc != 0)
		itg_instance_clear(inst);
	return rc;
}

/* The groups of INST, from instance_groups. */
static int read_groups(sqlite3 *db, struct itg_instance *inst)
{
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	rc = sqlite3_prepare_v2(db,
	                        "SELECT group_id FROM instance_groups"
	                        " WHERE instance_id = ?1 ORDER BY group_id",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, inst->id);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (inst->n_groups == cap) {
			size_t ncap = cap == 0 ? 8 : cap * 2;
			int64_t *g = realloc(inst->groups, ncap * sizeof(*g));

			if (g == NULL) {
				sqlite3_finalize(st);
				return XDR_ENOMEM;
			}
			inst->groups = g;
			cap = ncap;
		}
		inst->groups[inst->n_groups++] = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

/* Bind the configured fields of INST to ?1..?9 and NOW to ?10. */
static int bind_fields(sqlite3_stmt *st, const struct itg_instance *inst,
                       int64_t now)
{
	const char *region = itg_region_name(inst->region);
	int rc = sqlite3_bind_text(st, 1, inst->name, -1, SQLITE_STATIC);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, region, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, region == NULL ? inst->url : NULL,
		                       -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, inst->key_sealed, -1,
		                       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 5, inst->key_masked, -1,
		                       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 6, inst->ca_file, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 7, inst->proxy, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 8, inst->rate_requests);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 9, inst->rate_seconds);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 10, now);
	return rc;
}

int itg_instances_add(struct itg_store *store, const struct itg_instance *inst,
                      int64_t now, int64_t *id, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
	        db,
	        "INSERT INTO instances (name, region, url, key_sealed,"
	        " key_masked, ca_file, proxy, rate_requests, rate_seconds,"
	        " created_at, updated_at)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_fields(st, inst, now);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		*id = sqlite3_last_insert_rowid(db);
		rc = XDR_OK;
	} else {
		rc = fail(db, rc, "add the instance", inst->name, err, errsize);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc;
}

int itg_instances_update(struct itg_store *store,
                         const struct itg_instance *inst, int64_t now,
                         char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
	        db,
	        "UPDATE instances SET name = ?1, region = ?2, url = ?3,"
	        " key_sealed = ?4, key_masked = ?5, ca_file = ?6, proxy = ?7,"
	        " rate_requests = ?8, rate_seconds = ?9, updated_at = ?10"
	        " WHERE id = ?11",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_fields(st, inst, now);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 11, inst->id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE && sqlite3_changes(db) == 1) {
		rc = XDR_OK;
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize, "no instance %lld", (long long)inst->id);
		rc = XDR_ENOTFOUND;
	} else {
		rc = fail(db, rc, "update the instance", inst->name, err,
		          errsize);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc;
}

/* Run a one-row statement on the instance ID; XDR_ENOTFOUND if no row. */
static int change_one(struct itg_store *store, const char *sql, int64_t id,
                      const char *what, char *err, size_t errsize,
                      int (*bind)(sqlite3_stmt *, const void *),
                      const void *arg)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, id);
	if (rc == SQLITE_OK && bind != NULL)
		rc = bind(st, arg);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE && sqlite3_changes(db) == 1) {
		rc = XDR_OK;
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize, "no instance %lld", (long long)id);
		rc = XDR_ENOTFOUND;
	} else {
		rc = fail(db, rc, what, NULL, err, errsize);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc;
}

int itg_instances_remove(struct itg_store *store, int64_t id, char *err,
                         size_t errsize)
{
	return change_one(store, "DELETE FROM instances WHERE id = ?1", id,
	                  "remove the instance", err, errsize, NULL, NULL);
}

struct test_result {
	bool ok;
	const char *detail;
	int64_t at;
};

static int bind_test(sqlite3_stmt *st, const void *arg)
{
	const struct test_result *t = arg;
	int rc = sqlite3_bind_int(st, 2, t->ok ? 1 : 0);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, t->detail, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 4, t->at);
	return rc;
}

int itg_instances_set_test(struct itg_store *store, int64_t id, bool ok,
                           const char *detail, int64_t at, char *err,
                           size_t errsize)
{
	const struct test_result t = {ok, detail, at};

	return change_one(store,
	                  "UPDATE instances SET test_state = ?2,"
	                  " test_detail = ?3, test_at = ?4 WHERE id = ?1",
	                  id, "record the connection test", err, errsize,
	                  bind_test, &t);
}

/* Digits only: an id. */
static bool is_id(const char *ref)
{
	if (ref[0] == '\0' || strlen(ref) > 18)
		return false;
	for (const char *c = ref; *c != '\0'; c++) {
		if (*c < '0' || *c > '9')
			return false;
	}
	return true;
}

int itg_instances_find(struct itg_store *store, const char *ref,
                       struct itg_instance *out, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	bool by_id = is_id(ref);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(db,
	                        by_id ? "SELECT " INSTANCE_COLUMNS
	                                " FROM instances WHERE id = ?1"
	                              : "SELECT " INSTANCE_COLUMNS
	                                " FROM instances WHERE name = ?1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = by_id ? sqlite3_bind_int64(st, 1, strtoll(ref, NULL, 10))
		           : sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = read_row(st, out);
		if (rc == 0)
			rc = read_groups(db, out);
		if (rc != 0) {
			itg_instance_clear(out);
			itg_errf(err, errsize, "cannot read instance \"%s\"",
			         ref);
		}
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize, "no instance \"%s\"", ref);
		rc = XDR_ENOTFOUND;
	} else {
		rc = fail(db, rc, "find the instance", NULL, err, errsize);
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc;
}

void itg_instances_free(struct itg_instance *list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		itg_instance_clear(&list[i]);
	free(list);
}

int itg_instances_list(struct itg_store *store, struct itg_instance **out,
                       size_t *n, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	struct itg_instance *list = NULL;
	size_t count = 0, cap = 0;
	int rc;

	rc = sqlite3_prepare_v2(
	        db, "SELECT " INSTANCE_COLUMNS " FROM instances ORDER BY id",
	        -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == cap) {
			size_t ncap = cap == 0 ? 4 : cap * 2;
			struct itg_instance *l =
			        realloc(list, ncap * sizeof(*l));

			if (l == NULL) {
				rc = XDR_ENOMEM;
				break;
			}
			list = l;
			cap = ncap;
		}
		rc = read_row(st, &list[count]);
		if (rc != 0)
			break;
		count++;
		rc = read_groups(db, &list[count - 1]);
		if (rc != 0)
			break;
		rc = SQLITE_OK;
	}
	if (rc == SQLITE_DONE) {
		rc = XDR_OK;
	} else {
		itg_errf(err, errsize, "cannot list the instances: %s",
		         rc == XDR_ENOMEM ? "out of memory"
		                          : sqlite3_errmsg(db));
		itg_instances_free(list, count);
		list = NULL;
		count = 0;
		rc = rc == XDR_ENOMEM ? XDR_ENOMEM : XDR_ERROR;
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	*out = list;
	*n = count;
	return rc;
}

/* The name of the instance other than ID that serves GROUP, or NULL. */
static char *served_elsewhere(sqlite3 *db, int64_t id, int64_t group)
{
	sqlite3_stmt *st = NULL;
	char *name = NULL;

	if (sqlite3_prepare_v2(db,
	                       "SELECT i.name FROM instance_groups g"
	                       " JOIN instances i ON i.id = g.instance_id"
	                       " WHERE g.group_id = ?1 AND i.id <> ?2",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, group) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 2, id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		dup_column(st, 0, &name);
	sqlite3_finalize(st);
	return name;
}

static int insert_groups(sqlite3 *db, int64_t id, const int64_t *groups,
                         size_t n, char *err, size_t errsize)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
	                            "INSERT OR IGNORE INTO instance_groups"
	                            " (instance_id, group_id) VALUES (?1, ?2)",
	                            -1, &st, NULL);

	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		char *other = served_elsewhere(db, id, groups[i]);

		if (other != NULL) {
			itg_errf(err, errsize,
			         "group %lld is served by instance \"%s\" "
			         "already: remove it there first",
			         (long long)groups[i], other);
			free(other);
			sqlite3_finalize(st);
			return XDR_EINVAL;
		}
		rc = sqlite3_bind_int64(st, 1, id);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(st, 2, groups[i]);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st);
		if (rc == SQLITE_DONE)
			rc = sqlite3_reset(st);
	}
	if (rc != SQLITE_OK)
		itg_errf(err, errsize, "cannot set the groups: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? XDR_OK : XDR_ERROR;
}

int itg_instances_set_groups(struct itg_store *store, int64_t id,
                             const int64_t *groups, size_t n, char *err,
                             size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc = XDR_ERROR;

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		itg_errf(err, errsize, "cannot set the groups: %s",
		         sqlite3_errmsg(db));
		itg_store_release(store);
		return XDR_ERROR;
	}
	if (sqlite3_prepare_v2(db,
	                       "DELETE FROM instance_groups"
	                       " WHERE instance_id = ?1",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, id) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_DONE)
		rc = insert_groups(db, id, groups, n, err, errsize);
	else
		itg_errf(err, errsize, "cannot set the groups: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	if (rc == XDR_OK &&
	    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		itg_errf(err, errsize, "cannot set the groups: %s",
		         sqlite3_errmsg(db));
		rc = XDR_ERROR;
	}
	if (rc != XDR_OK)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	itg_store_release(store);
	return rc;
}
