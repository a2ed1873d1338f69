/*
 * host_groups.h - the host's Open XDR groups, copied for the plugin's use.
 */
#ifndef ITG_HOST_GROUPS_H
#define ITG_HOST_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "itglue.h"

struct itg_group {
	int64_t id;
	char *name;
	char *email; /* NULL if the group has none */
};

struct itg_groups {
	struct itg_group *items;
	size_t n;
};

/* Copy every group of the host into *out (clear it with itg_groups_clear).
 * Returns XDR_OK or the host's or XDR_ENOMEM's negative status. */
int itg_host_groups(const struct itg_plugin *p, struct itg_groups *out);

void itg_groups_clear(struct itg_groups *groups);

/* The group of that id, or of that name (exact), or NULL. */
const struct itg_group *itg_groups_by_id(const struct itg_groups *groups,
                                         int64_t id);
const struct itg_group *itg_groups_by_name(const struct itg_groups *groups,
                                           const char *name);

#endif /* ITG_HOST_GROUPS_H */
