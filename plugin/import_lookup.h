/*
 * import_lookup.h - reading the imported IT Glue records back: what the
 * manual mapping screens offer and check against.
 */
#ifndef ITG_IMPORT_LOOKUP_H
#define ITG_IMPORT_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

struct itg_imported {
	char *id;
	char *name;
	char *organization_id; /* configurations: their organization */
	bool archived;         /* configurations */
};

void itg_imported_clear(struct itg_imported *r);

/*
 * The imported organization or configuration ID of INSTANCE into *out.
 * XDR_ENOTFOUND (with a message saying to import it) if it was not
 * imported.
 */
int itg_imported_organization(struct itg_store *store, int64_t instance,
                              const char *id, struct itg_imported *out,
                              char *err, size_t errsize);
int itg_imported_configuration(struct itg_store *store, int64_t instance,
                               const char *id, struct itg_imported *out,
                               char *err, size_t errsize);

#endif /* ITG_IMPORT_LOOKUP_H */
