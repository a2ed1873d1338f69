/*
 * host_systems.h - the host's Open XDR systems, copied for the plugin's use.
 */
#ifndef ITG_HOST_SYSTEMS_H
#define ITG_HOST_SYSTEMS_H

#include <stddef.h>
#include <stdint.h>

#include "itglue.h"

struct itg_system {
	int64_t id;
	char *name;
	int64_t group_id;
	enum xdr_os os;
	enum xdr_sensor sensor;
	char **macs; /* as the host recorded them */
	size_t n_macs;
};

struct itg_systems {
	struct itg_system *items;
	size_t n;
};

/* Copy the systems of GROUP_ID (0: of every group) into *out, sorted by id
 * (clear it with itg_systems_clear). Returns XDR_OK or a negative status. */
int itg_host_systems(const struct itg_plugin *p, int64_t group_id,
                     struct itg_systems *out);

void itg_systems_clear(struct itg_systems *systems);

/* The system of that id (a binary search), or of that name (exact), or
 * NULL. */
const struct itg_system *itg_systems_by_id(const struct itg_systems *systems,
                                           int64_t id);
const struct itg_system *itg_systems_by_name(const struct itg_systems *systems,
                                             const char *name);

#endif /* ITG_HOST_SYSTEMS_H */
