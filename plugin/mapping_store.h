/*
 * mapping_store.h - mappings in the plugin's store: groups to
 * organizations, systems to configurations, the auto mappings an
 * administrator removed (exclusions), the failures last announced, and the
 * auto-map schedule.
 */
#ifndef ITG_MAPPING_STORE_H
#define ITG_MAPPING_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "store.h"

enum itg_map_kind { ITG_MAP_GROUP = 0, ITG_MAP_SYSTEM = 1 };

struct itg_group_mapping {
	int64_t group_id;
	char *organization_id;
	char *organization_name;
	bool manual;
	bool stale; /* the organization is gone from IT Glue */
};

struct itg_system_mapping {
	int64_t system_id;
	int64_t group_id;
	char *configuration_id;
	char *configuration_name;
	char *mac; /* the MAC that matched (auto), or NULL */
	bool manual;
	bool archived_match;
	bool stale;
};

struct itg_exclusion {
	enum itg_map_kind kind;
	int64_t host_id;
	char *itg_id;
};

struct itg_failure {
	enum itg_map_kind kind;
	int64_t host_id;
	char *reason; /* a reason code, e.g. "several_configurations" */
	char *detail; /* the sentence */
	char *fingerprint;
};

/* Everything stored for one instance. */
struct itg_mapping_set {
	struct itg_group_mapping *groups;
	size_t n_groups;
	struct itg_system_mapping *systems;
	size_t n_systems;
	struct itg_exclusion *exclusions;
	size_t n_exclusions;
	struct itg_failure *failures;
	size_t n_failures;
};

int itg_mappings_load(struct itg_store *store, int64_t instance,
                      struct itg_mapping_set *out, char *err, size_t errsize);
void itg_mapping_set_clear(struct itg_mapping_set *set);

/* The mapping of one group, read alone (the report hook's fast path).
 * XDR_ENOTFOUND if the group is not mapped. */
int itg_group_mapping_get(struct itg_store *store, int64_t instance,
                          int64_t group_id, struct itg_group_mapping *out);
void itg_group_mapping_clear(struct itg_group_mapping *m);

/* The mapping of one system, read alone (publishing relates a report's
 * systems without loading every mapping). XDR_ENOTFOUND if the system is
 * not mapped. */
int itg_system_mapping_get(struct itg_store *store, int64_t instance,
                           int64_t system_id, struct itg_system_mapping *out);
void itg_system_mapping_clear(struct itg_system_mapping *m);

/* Lookups in a loaded set; NULL if none. */
const struct itg_group_mapping *
itg_mapping_set_group(const struct itg_mapping_set *set, int64_t group_id);
const struct itg_system_mapping *
itg_mapping_set_system(const struct itg_mapping_set *set, int64_t system_id);
const struct itg_failure *
itg_mapping_set_failure(const struct itg_mapping_set *set,
                        enum itg_map_kind kind, int64_t host_id);

/*
 * The writers below are single statements: call them inside
 * itg_store_begin()/itg_store_commit() when several must hold together.
 * Each returns 0 or a negative status with err.
 */

/* Create or replace the mapping of a group. */
int itg_group_map(struct itg_store *store, int64_t instance, int64_t group_id,
                  const char *organization_id, const char *organization_name,
                  bool manual, int64_t now, char *err, size_t errsize);
/* The organization of GROUP_ID's mapping to ORGANIZATION_ID is now called
 * ORGANIZATION_NAME (renamed in IT Glue); nothing if it maps elsewhere. */
int itg_group_rename(struct itg_store *store, int64_t instance,
                     int64_t group_id, const char *organization_id,
                     const char *organization_name, char *err, size_t errsize);

/* Create or replace the mapping of a system. XDR_EINVAL when the
 * configuration is mapped to another system (a configuration maps to one
 * system), with that system's id in the message. */
int itg_system_map(struct itg_store *store, int64_t instance,
                   const struct itg_system_mapping *m, int64_t now, char *err,
                   size_t errsize);

/* Remove a mapping; XDR_ENOTFOUND if there is none. */
int itg_group_unmap(struct itg_store *store, int64_t instance, int64_t group_id,
                    char *err, size_t errsize);
int itg_system_unmap(struct itg_store *store, int64_t instance,
                     int64_t system_id, char *err, size_t errsize);

/* Remove the auto mappings of the systems of a group. */
int itg_group_unmap_auto_systems(struct itg_store *store, int64_t instance,
                                 int64_t group_id, char *err, size_t errsize);

/* Flag a mapping whose IT Glue record is gone (or back). */
int itg_mapping_mark_stale(struct itg_store *store, int64_t instance,
                           enum itg_map_kind kind, int64_t host_id, bool stale,
                           char *err, size_t errsize);

/* Remember that the pair (host_id, itg_id) must not be auto-mapped again. */
int itg_exclusion_add(struct itg_store *store, int64_t instance,
                      enum itg_map_kind kind, int64_t host_id,
                      const char *itg_id, int64_t now, char *err,
                      size_t errsize);

/* Forget the exclusions of one group or system. */
int itg_exclusions_forget(struct itg_store *store, int64_t instance,
                          enum itg_map_kind kind, int64_t host_id, char *err,
                          size_t errsize);

/* Record a failure (replacing the previous one of that group or system). */
int itg_failure_set(struct itg_store *store, int64_t instance,
                    const struct itg_failure *f, int64_t now, char *err,
                    size_t errsize);

/* Forget the failure of a group or system (it maps now, or is gone). */
int itg_failure_clear(struct itg_store *store, int64_t instance,
                      enum itg_map_kind kind, int64_t host_id, char *err,
                      size_t errsize);

/* The time of the last scheduled auto-map of the instance: 0 if never. */
int itg_schedule_last(struct itg_store *store, int64_t instance, int64_t *last);
int itg_schedule_set(struct itg_store *store, int64_t instance, int64_t at,
                     char *err, size_t errsize);

#endif /* ITG_MAPPING_STORE_H */
