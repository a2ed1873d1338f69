/*
 * automap_apply.h - writing one auto-map run's results: mappings that
 * appear, move or go, failures remembered, mappings whose IT Glue record
 * is gone flagged stale, and the events of failures that are new or whose
 * reason changed (an unchanged failure is not announced again).
 */
#ifndef ITG_AUTOMAP_APPLY_H
#define ITG_AUTOMAP_APPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "automap_data.h"
#include "host_groups.h"
#include "host_systems.h"
#include "instance.h"
#include "mapper.h"
#include "mapping_store.h"

struct itg_automap_run {
	const struct itg_instance *inst;
	const struct itg_groups *groups;   /* the groups of the run */
	const struct itg_systems *systems; /* their systems */
	const struct itg_mapping_set *before;
	const struct itg_automap_data *data;
	const struct itg_group_map *group_map;
	const struct itg_system_map *system_map;
	bool reset_exclusions;
	int64_t now;
};

struct itg_automap_counts {
	size_t changes; /* mappings added, moved or removed */
	size_t events;  /* 4018 and 4019 emitted */
	size_t stale;   /* mappings flagged stale */
};

/*
 * Write RUN in one transaction, then emit its events. Returns 0, or a
 * negative status with err (nothing written, no event): XDR_EBUSY when the
 * mappings or exclusions in the store are no longer RUN->before (changed by
 * hand while the run read IT Glue), so that the run must be computed again.
 */
int itg_automap_apply(struct itg_plugin *p, const struct itg_automap_run *run,
                      struct itg_automap_counts *counts, char *err,
                      size_t errsize);

#endif /* ITG_AUTOMAP_APPLY_H */
