/*
 * import_store.c - imported IT Glue records in the plugin's store.
 */
#include <config.h>

#include "import_store.h"

#include <stdio.h>
#include <string.h>

#include <json.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "errbuf.h"

/*
 * A page is written in one transaction on the shared connection, so the
 * connection's mutex is held from begin to commit: no other user of the
 * store may slip a statement into it.
 */
int itg_import_begin(struct itg_store *store, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);

	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		itg_errf(err, errsize, "cannot start writing: %s",
		         sqlite3_errmsg(db));
		itg_store_release(store);
		return XDR_ERROR;
	}
	return 0;
}

int itg_import_commit(struct itg_store *store, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	int rc = 0;

	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		itg_errf(err, errsize, "cannot save the page: %s",
		         sqlite3_errmsg(db));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		rc = XDR_ERROR;
	}
	itg_store_release(store); /* this call's */
	itg_store_release(store); /* itg_import_begin's */
	return rc;
}

void itg_import_rollback(struct itg_store *store)
{
	sqlite3 *db = itg_store_acquire(store);

	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	itg_store_release(store);
	itg_store_release(store);
}

static int bind_text_attr(sqlite3_stmt *st, int col, struct json_object *a,
                          const char *key)
{
	return sqlite3_bind_text(st, col, itg_json_str(a, key), -1,
	                         SQLITE_TRANSIENT);
}

static int bind_int_attr(sqlite3_stmt *st, int col, struct json_object *a,
                         const char *key)
{
	int64_t v;

	if (itg_json_int64(a, key, &v) != 0)
		return sqlite3_bind_null(st, col);
	return sqlite3_bind_int64(st, col, v);
}

/* A name is required by the tables; IT Glue always sends one, but a record
 * without it is kept under its id rather than refused. */
static int bind_name(sqlite3_stmt *st, int col, const struct itg_resource *r)
{
	const char *name = itg_json_str(r->attributes, "name");

	return sqlite3_bind_text(st, col, name != NULL ? name : r->id, -1,
	                         SQLITE_TRANSIENT);
}

static int step_done(sqlite3 *db, sqlite3_stmt *st, int rc, const char *what,
                     const char *id, char *err, size_t errsize)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		itg_errf(err, errsize, "cannot save %s %s: %s", what, id,
		         sqlite3_errmsg(db));
		sqlite3_finalize(st);
		return XDR_ERROR;
	}
	sqlite3_finalize(st);
	return 0;
}

int itg_import_put_organization(struct itg_store *store, int64_t instance,
                                const struct itg_resource *r, int64_t now,
                                char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	struct json_object *a = r->attributes;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(
	        db,
	        "INSERT INTO itg_organizations (instance_id, id, name,"
	        " short_name, type_id, type_name, status_id, status_name,"
	        " parent_id, updated_at, imported_at)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	        " ON CONFLICT (instance_id, id) DO UPDATE SET"
	        " name = excluded.name, short_name = excluded.short_name,"
	        " type_id = excluded.type_id, type_name = excluded.type_name,"
	        " status_id = excluded.status_id,"
	        " status_name = excluded.status_name,"
	        " parent_id = excluded.parent_id,"
	        " updated_at = excluded.updated_at,"
	        " imported_at = excluded.imported_at",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, r->id, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = bind_name(st, 3, r);
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 4, a, "short-name");
	if (rc == SQLITE_OK)
		rc = bind_int_attr(st, 5, a, "organization-type-id");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 6, a, "organization-type-name");
	if (rc == SQLITE_OK)
		rc = bind_int_attr(st, 7, a, "organization-status-id");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 8, a, "organization-status-name");
	if (rc == SQLITE_OK)
		rc = bind_int_attr(st, 9, a, "parent-id");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 10, a, "updated-at");
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 11, now);
	rc = step_done(db, st, rc, "organization", r->id, err, errsize);
	itg_store_release(store);
	return rc;
}

static int put_interface(sqlite3 *db, int64_t instance, const char *config,
                         const struct itg_resource *i, char *err,
                         size_t errsize)
{
	struct json_object *a = i->attributes;
	enum itg_tristate primary = ITG_TRI_NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	itg_json_bool(a, "primary", &primary);
	rc = sqlite3_prepare_v2(db,
	                        "INSERT OR REPLACE INTO"
	                        " itg_configuration_interfaces (instance_id,"
	                        " configuration_id, id, name, ip_address,"
	                        " mac_address, is_primary)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, config, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, i->id, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 4, a, "name");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 5, a, "ip-address");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 6, a, "mac-address");
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 7, primary == ITG_TRI_TRUE);
	return step_done(db, st, rc, "interface", i->id, err, errsize);
}

/* The configuration's interfaces: its relationship's ids, found in DOC's
 * included resources. An id missing from included is skipped. */
static int put_interfaces(sqlite3 *db, int64_t instance,
                          const struct itg_resource *r,
                          const struct itg_doc *doc, char *err, size_t errsize)
{
	struct json_object *rel = NULL, *data;
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
	                        "DELETE FROM itg_configuration_interfaces"
	                        " WHERE instance_id = ?1"
	                        " AND configuration_id = ?2",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, r->id, -1, SQLITE_TRANSIENT);
	if (step_done(db, st, rc, "interfaces of", r->id, err, errsize) != 0)
		return XDR_ERROR;
	if (r->relationships == NULL ||
	    !json_object_object_get_ex(r->relationships,
	                               "configuration-interfaces", &rel))
		return 0;
	data = itg_json_array(rel, "data");
	for (size_t k = 0; data != NULL && k < json_object_array_length(data);
	     k++) {
		struct json_object *ref = json_object_array_get_idx(data, k);
		struct json_object *idv = NULL;
		const struct itg_resource *i;
		char id[ITG_JSONAPI_ID_MAX];

		if (!json_object_object_get_ex(ref, "id", &idv) || idv == NULL)
			continue;
		snprintf(id, sizeof(id), "%s", json_object_get_string(idv));
		i = itg_doc_included(doc, "configuration-interfaces", id);
		if (i != NULL &&
		    put_interface(db, instance, r->id, i, err, errsize) != 0)
			return XDR_ERROR;
	}
	return 0;
}

int itg_import_put_configuration(struct itg_store *store, int64_t instance,
                                 const struct itg_resource *r,
                                 const struct itg_doc *doc, int64_t now,
                                 char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	struct json_object *a = r->attributes;
	enum itg_tristate archived = ITG_TRI_NULL;
	sqlite3_stmt *st = NULL;
	int rc;

	itg_json_bool(a, "archived", &archived);
	rc = sqlite3_prepare_v2(
	        db,
	        "INSERT INTO itg_configurations (instance_id, id,"
	        " organization_id, name, hostname, primary_ip, mac_address,"
	        " serial_number, type_id, type_name, status_id, status_name,"
	        " archived, updated_at, imported_at)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	        " ?13, ?14, ?15)"
	        " ON CONFLICT (instance_id, id) DO UPDATE SET"
	        " organization_id = excluded.organization_id,"
	        " name = excluded.name, hostname = excluded.hostname,"
	        " primary_ip = excluded.primary_ip,"
	        " mac_address = excluded.mac_address,"
	        " serial_number = excluded.serial_number,"
	        " type_id = excluded.type_id, type_name = excluded.type_name,"
	        " status_id = excluded.status_id,"
	        " status_name = excluded.status_name,"
	        " archived = excluded.archived,"
	        " updated_at = excluded.updated_at,"
	        " imported_at = excluded.imported_at",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, r->id, -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK) {
		int64_t org;

		rc = itg_json_int64(a, "organization-id", &org) == 0
		             ? sqlite3_bind_int64(st, 3, org)
		             : sqlite3_bind_null(st, 3);
	}
	if (rc == SQLITE_OK)
		rc = bind_name(st, 4, r);
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 5, a, "hostname");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 6, a, "primary-ip");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 7, a, "mac-address");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 8, a, "serial-number");
	if (rc == SQLITE_OK)
		rc = bind_int_attr(st, 9, a, "configuration-type-id");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 10, a, "configuration-type-name");
	if (rc == SQLITE_OK)
		rc = bind_int_attr(st, 11, a, "configuration-status-id");
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 12, a, "configuration-status-name");
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 13, archived == ITG_TRI_TRUE);
	if (rc == SQLITE_OK)
		rc = bind_text_attr(st, 14, a, "updated-at");
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 15, now);
	rc = step_done(db, st, rc, "configuration", r->id, err, errsize);
	if (rc == 0)
		rc = put_interfaces(db, instance, r, doc, err, errsize);
	itg_store_release(store);
	return rc;
}

int64_t itg_import_count(struct itg_store *store, int64_t instance,
                         const char *feature)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int64_t n = XDR_ERROR;
	const char *sql = strcmp(feature, "organizations") == 0
	                          ? "SELECT count(*) FROM itg_organizations"
	                            " WHERE instance_id = ?1"
	                          : "SELECT count(*) FROM itg_configurations"
	                            " WHERE instance_id = ?1";

	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, instance) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	itg_store_release(store);
	return n;
}
