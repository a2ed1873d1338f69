/*
 * automap_data.h - what one auto-map run reads from IT Glue: the important
 * contacts of every organization, the organizations' names, and the
 * configurations (with their interfaces' MACs) of the mapped organizations,
 * copied out of the API's documents into the mapper's plain inputs.
 *
 * As few requests as IT Glue allows: contacts in one filtered listing
 * (filter[important]=true; null is not important, and every record is
 * checked again), organizations in one listing, configurations of the
 * mapped organizations with include=configuration_interfaces, 100
 * organization ids a listing, 1000 records a page. Never a request per
 * system.
 */
#ifndef ITG_AUTOMAP_DATA_H
#define ITG_AUTOMAP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "automap_incr.h"
#include "client.h"
#include "mapper.h"

/* Organization ids a configurations listing filters on, at most: fewer
 * listings leave fewer part-filled last pages, and 400 ids of IT Glue's
 * seven digits, with their encoded commas, keep the query near 4 KB, under
 * any server's limit on a request line (and ITG_QUERY_MAX). */
#define ITG_AUTOMAP_ORGS_PER_REQUEST 400

struct itg_automap_org {
	char *id;
	char *name;
};

struct itg_automap_data {
	struct itg_map_contact *contacts;
	size_t n_contacts;
	struct itg_automap_org *orgs; /* every organization, by id order */
	size_t n_orgs;
	struct itg_map_config *configs;
	size_t n_configs;
	/* every string and list the arrays above point to */
	struct itg_arena_block *arena;
	bool configs_fetched; /* configurations were read for orgs below */
	char **config_orgs;   /* the organizations whose configs were read */
	size_t n_config_orgs;
	/* Sorted by id for the lookups below, built by the fetches. */
	struct itg_automap_org *orgs_sorted;
	const char **config_ids_sorted;
	size_t n_config_ids_sorted;
	/* The newest updated-at of the configurations read ("" for none):
	 * the mark of an incremental auto-map (automap_sync.h). */
	char newest[ITG_AUTOMAP_TIME_MAX];
	int64_t newest_ms;
	/* The same of the contacts (important or not) and organizations. */
	char contact_newest[ITG_AUTOMAP_TIME_MAX];
	int64_t contact_newest_ms;
	char org_newest[ITG_AUTOMAP_TIME_MAX];
	int64_t org_newest_ms;
};

/* Read the important contacts and the organizations. Returns 0, a
 * negative status with e filled (IT Glue or the network), or XDR_ENOMEM. */
int itg_automap_fetch_contacts(struct itg_client *c, struct itg_automap_data *d,
                               struct itg_api_error *e);

/* The N configurations a fetch just added (CONFIGS points into d->configs,
 * valid until the next addition; the strings as long as d). 0 to go on;
 * anything else stops the fetch and is returned by it. */
typedef int (*itg_automap_configs_fn)(void *user,
                                      const struct itg_map_config *configs,
                                      size_t n);

/* Read the configurations of ORGS (n ids); ON_CONFIGS (may be NULL) is
 * given each page's configurations as they are added, in batches. */
int itg_automap_fetch_configs(struct itg_client *c, const char *const *orgs,
                              size_t n, struct itg_automap_data *d,
                              itg_automap_configs_fn on_configs, void *user,
                              struct itg_api_error *e);

/* The organization's name, or NULL if IT Glue has no such organization.
 * This and the next two are O(log n): a run looks up every result. */
const char *itg_automap_org_name(const struct itg_automap_data *d,
                                 const char *id);

/* Was configuration ID among those read? */
bool itg_automap_has_config(const struct itg_automap_data *d, const char *id);

/* Were the configurations of organization ORG read? */
bool itg_automap_read_org(const struct itg_automap_data *d, const char *org);

/*
 * For the incremental read of contacts and organizations
 * (automap_directory.c), which gathers them itself: add the contact R as a
 * fetch does (only an important one, with its id); add the organization R;
 * add a copy of contact C or of organization ID and NAME; then index the
 * organizations as itg_automap_fetch_contacts() ends. Each returns 0 or
 * XDR_ENOMEM.
 */
int itg_automap_add_contact(struct itg_automap_data *d,
                            const struct itg_resource *r);
int itg_automap_add_org(struct itg_automap_data *d,
                        const struct itg_resource *r);
int itg_automap_put_contact(struct itg_automap_data *d,
                            const struct itg_map_contact *c);
int itg_automap_put_org(struct itg_automap_data *d, const char *id,
                        const char *name);
int itg_automap_index_orgs(struct itg_automap_data *d);
/* A copy of S kept as long as D (NULL for NULL or when memory is out). */
const char *itg_automap_keep(struct itg_automap_data *d, const char *s);

void itg_automap_data_clear(struct itg_automap_data *d);

/* The attributes of configurations and their interfaces that auto-map
 * reads (NULL-terminated): a listing need not parse the others. */
extern const char *const itg_automap_config_attributes[];

/*
 * For the incremental auto-map (automap_sync.c), which gathers the
 * configurations itself: add the configuration R of DOC as a fetch does;
 * add a copy of C; then index what was added as the configurations of
 * ORGS (n ids, copied), as itg_automap_fetch_configs() ends. Each returns
 * 0 or XDR_ENOMEM.
 */
int itg_automap_add_config(struct itg_automap_data *d,
                           const struct itg_resource *r,
                           const struct itg_doc *doc);
int itg_automap_put_config(struct itg_automap_data *d,
                           const struct itg_map_config *c);
int itg_automap_index(struct itg_automap_data *d, const char *const *orgs,
                      size_t n);

#endif /* ITG_AUTOMAP_DATA_H */
