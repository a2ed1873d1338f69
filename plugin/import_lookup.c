/*
 * import_lookup.c - reading the imported IT Glue records back.
 */
#include <config.h>

#include "import_lookup.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "errbuf.h"

void itg_imported_clear(struct itg_imported *r)
{
	free(r->id);
	free(r->name);
	free(r->organization_id);
	free(r->short_name);
	free(r->type_name);
	free(r->status_name);
	free(r->organization_name);
	free(r->hostname);
	free(r->primary_ip);
	free(r->mac_address);
	memset(r, 0, sizeof(*r));
}

static char *dup_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t != NULL ? strdup((const char *)t) : NULL;
}

static int lookup(struct itg_store *store, const char *sql, const char *what,
                  int64_t instance, const char *id, struct itg_imported *out,
                  char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = dup_text(st, 0);
		out->name = dup_text(st, 1);
		out->organization_id = dup_text(st, 2);
		out->archived = sqlite3_column_int(st, 3) != 0;
		rc = out->id != NULL && out->name != NULL ? XDR_OK : XDR_ENOMEM;
		if (rc != XDR_OK) {
			itg_imported_clear(out);
			itg_errf(err, errsize, "out of memory");
		}
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize,
		         "IT Glue %s %s is not imported: import it first "
		         "(action import, feature %ss)",
		         what, id, what);
		rc = XDR_ENOTFOUND;
	} else {
		itg_errf(err, errsize, "cannot read %s %s: %s", what, id,
		         sqlite3_errmsg(db));
		rc = XDR_ERROR;
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc;
}

int itg_imported_organization(struct itg_store *store, int64_t instance,
                              const char *id, struct itg_imported *out,
                              char *err, size_t errsize)
{
	return lookup(store,
	              "SELECT id, name, NULL, 0 FROM itg_organizations"
	              " WHERE instance_id = ?1 AND id = ?2",
	              "organization", instance, id, out, err, errsize);
}

int itg_imported_configuration(struct itg_store *store, int64_t instance,
                               const char *id, struct itg_imported *out,
                               char *err, size_t errsize)
{
	return lookup(store,
	              "SELECT id, name, organization_id, archived"
	              " FROM itg_configurations"
	              " WHERE instance_id = ?1 AND id = ?2",
	              "configuration", instance, id, out, err, errsize);
}

/* The filters are parameters that are NULL when unused: ?1 instance, ?2
 * the text, ?3 the organization (configurations), ?4 limit, ?5 offset. */
#define ORGANIZATIONS_WHERE                                                    \
	" FROM itg_organizations o WHERE o.instance_id = ?1"                   \
	" AND (?2 IS NULL OR instr(lower(o.name), lower(?2)) > 0)"             \
	" AND (?3 IS NULL OR o.id = ?3)"
#define CONFIGURATIONS_WHERE                                                   \
	" FROM itg_configurations c WHERE c.instance_id = ?1"                  \
	" AND (?2 IS NULL OR instr(lower(c.name), lower(?2)) > 0"              \
	" OR instr(lower(coalesce(c.hostname, '')), lower(?2)) > 0)"           \
	" AND (?3 IS NULL OR c.organization_id = ?3)"

static int bind_query(sqlite3_stmt *st, int64_t instance,
                      const struct itg_imported_query *q)
{
	int n = sqlite3_bind_parameter_count(st);
	int rc = sqlite3_bind_int64(st, 1, instance);

	if (rc == SQLITE_OK)
		rc = q->q != NULL
		             ? sqlite3_bind_text(st, 2, q->q, -1, SQLITE_STATIC)
		             : sqlite3_bind_null(st, 2);
	if (rc == SQLITE_OK && n >= 3)
		rc = q->organization_id != NULL
		             ? sqlite3_bind_text(st, 3, q->organization_id, -1,
		                                 SQLITE_STATIC)
		             : sqlite3_bind_null(st, 3);
	if (rc == SQLITE_OK && n >= 5)
		rc = sqlite3_bind_int64(st, 4, q->limit);
	if (rc == SQLITE_OK && n >= 5)
		rc = sqlite3_bind_int64(st, 5, q->offset);
	return rc;
}

static int read_item(sqlite3_stmt *st, struct itg_imported *r)
{
	static const int text_cols[] = {0, 1, 2, 4, 5, 6, 7, 8, 9, 10};
	char **fields[] = {&r->id,
	                   &r->name,
	                   &r->organization_id,
	                   &r->short_name,
	                   &r->type_name,
	                   &r->status_name,
	                   &r->organization_name,
	                   &r->hostname,
	                   &r->primary_ip,
	                   &r->mac_address};

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; i < sizeof(text_cols) / sizeof(text_cols[0]); i++) {
		*fields[i] = dup_text(st, text_cols[i]);
		if (*fields[i] == NULL &&
		    sqlite3_column_type(st, text_cols[i]) != SQLITE_NULL) {
			itg_imported_clear(r);
			return XDR_ENOMEM;
		}
	}
	r->archived = sqlite3_column_int(st, 3) != 0;
	return 0;
}

int itg_imported_page(struct itg_store *store, int64_t instance,
                      const struct itg_imported_query *q,
                      struct itg_imported **items, size_t *n, int64_t *total,
                      char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	const char *sql;
	bool oom = false;
	int rc;

	*items = NULL;
	*n = 0;
	*total = 0;
	/* The count and the page under one hold: they agree. */
	sql = q->configurations ? "SELECT count(*)" CONFIGURATIONS_WHERE
	                        : "SELECT count(*)" ORGANIZATIONS_WHERE;
	rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_query(st, instance, q);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*total = sqlite3_column_int64(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	st = NULL;
	/* The page is chosen by rowid: the other columns (the organization's
	 * name above all) are read for its rows only, not for every row the
	 * sort goes through. */
	sql = q->configurations
	              ? "SELECT c.id, c.name, c.organization_id,"
	                " c.archived, NULL, c.type_name,"
	                " c.status_name,"
	                " (SELECT o.name FROM itg_organizations o"
	                " WHERE o.instance_id = c.instance_id"
	                " AND o.id = c.organization_id),"
	                " c.hostname, c.primary_ip, c.mac_address"
	                " FROM (SELECT c.rowid AS r" CONFIGURATIONS_WHERE
	                " ORDER BY c.name COLLATE NOCASE, c.id"
	                " LIMIT ?4 OFFSET ?5) page"
	                " JOIN itg_configurations c ON c.rowid = page.r"
	                " ORDER BY c.name COLLATE NOCASE, c.id"
	              : "SELECT o.id, o.name, NULL, 0, o.short_name,"
	                " o.type_name, o.status_name, NULL, NULL, NULL,"
	                " NULL" ORGANIZATIONS_WHERE
	                " ORDER BY o.name COLLATE NOCASE, o.id"
	                " LIMIT ?4 OFFSET ?5";
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_query(st, instance, q);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct itg_imported *grown =
		        realloc(*items, (*n + 1) * sizeof(**items));

		if (grown == NULL || read_item(st, &grown[*n]) != 0) {
			if (grown != NULL)
				*items = grown;
			oom = true;
			break;
		}
		*items = grown;
		(*n)++;
		rc = SQLITE_OK;
	}
	if (!oom && rc != SQLITE_DONE)
		itg_errf(err, errsize, "cannot read the imported %s: %s",
		         q->configurations ? "configurations" : "organizations",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	itg_store_release(store);
	if (oom)
		itg_errf(err, errsize, "out of memory");
	if (oom || rc != SQLITE_DONE) {
		for (size_t i = 0; i < *n; i++)
			itg_imported_clear(&(*items)[i]);
		free(*items);
		*items = NULL;
		*n = 0;
		return oom ? XDR_ENOMEM : XDR_ERROR;
	}
	return 0;
}
