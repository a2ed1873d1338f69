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
	/* Read by itg_imported_page() only (NULL from the lookups): */
	char *short_name; /* organizations */
	char *type_name;
	char *status_name;
	char *organization_name; /* configurations: their organization's */
	char *hostname;          /* configurations, and the two below */
	char *primary_ip;
	char *mac_address;
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

/* Which imported records a page lists. */
struct itg_imported_query {
	bool configurations;         /* else organizations */
	const char *q;               /* names (or host names) holding it, ASCII
	                                letters in any case; NULL: all */
	const char *organization_id; /* configurations of it; NULL: all */
	int64_t offset;
	int64_t limit;
};

/*
 * A page of INSTANCE's imported records by name (then id): *items holds *n
 * records (itg_imported_clear each, then free the array), *total how many
 * match Q in all. 0, or a negative status with err.
 */
int itg_imported_page(struct itg_store *store, int64_t instance,
                      const struct itg_imported_query *q,
                      struct itg_imported **items, size_t *n, int64_t *total,
                      char *err, size_t errsize);

#endif /* ITG_IMPORT_LOOKUP_H */
