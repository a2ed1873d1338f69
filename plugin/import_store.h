/*
 * import_store.h - imported IT Glue records in the plugin's store: the
 * organizations and configurations (with their interfaces) the mapping
 * screens offer.
 */
#ifndef ITG_IMPORT_STORE_H
#define ITG_IMPORT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "jsonapi.h"
#include "store.h"

/* Open and close the transaction one page of an import is written in. */
int itg_import_begin(struct itg_store *store, char *err, size_t errsize);
int itg_import_commit(struct itg_store *store, char *err, size_t errsize);
void itg_import_rollback(struct itg_store *store);

/*
 * Create or refresh one organization / one configuration of INSTANCE from
 * its JSON:API resource R; a configuration's interfaces (from DOC's
 * included resources) replace those it had. Inside itg_import_begin/commit.
 * Returns 0 or XDR_ERROR with err.
 */
int itg_import_put_organization(struct itg_store *store, int64_t instance,
                                const struct itg_resource *r, int64_t now,
                                char *err, size_t errsize);
int itg_import_put_configuration(struct itg_store *store, int64_t instance,
                                 const struct itg_resource *r,
                                 const struct itg_doc *doc, int64_t now,
                                 char *err, size_t errsize);

/* How many records of FEATURE ("organizations" or "configurations") the
 * instance has imported; negative on error. */
int64_t itg_import_count(struct itg_store *store, int64_t instance,
                         const char *feature);

#endif /* ITG_IMPORT_STORE_H */
