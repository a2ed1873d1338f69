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
