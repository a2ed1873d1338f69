/*
 * instance_store.h - IT Glue instances in the plugin's store.
 */
#ifndef ITG_INSTANCE_STORE_H
#define ITG_INSTANCE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "instance.h"
#include "store.h"

/*
 * Add INST (its id and groups are ignored) and set *id. XDR_EINVAL with a
 * reason when an instance of that name exists (names are unique, whatever
 * their case).
 */
int itg_instances_add(struct itg_store *store, const struct itg_instance *inst,
                      int64_t now, int64_t *id, char *err, size_t errsize);

/* Replace every configured field of the instance INST->id (its groups and
 * test result are kept). XDR_ENOTFOUND, or XDR_EINVAL for a taken name. */
int itg_instances_update(struct itg_store *store,
                         const struct itg_instance *inst, int64_t now,
                         char *err, size_t errsize);

/* Remove the instance ID and what belongs to it. XDR_ENOTFOUND if none. */
int itg_instances_remove(struct itg_store *store, int64_t id, char *err,
                         size_t errsize);

/*
 * Find the instance REF names: its id (digits only) or its name (any case).
 * Fills *out (clear it with itg_instance_clear). XDR_ENOTFOUND if none.
 */
int itg_instances_find(struct itg_store *store, const char *ref,
                       struct itg_instance *out, char *err, size_t errsize);

/* Every instance, by id; *out is an array of *n (itg_instances_free). */
int itg_instances_list(struct itg_store *store, struct itg_instance **out,
                       size_t *n, char *err, size_t errsize);
void itg_instances_free(struct itg_instance *list, size_t n);

/*
 * Make GROUPS (host group ids, n of them) the groups the instance ID serves,
 * in one transaction. A group another instance serves is refused with
 * XDR_EINVAL naming that instance; nothing changes then.
 */
int itg_instances_set_groups(struct itg_store *store, int64_t id,
                             const int64_t *groups, size_t n, char *err,
                             size_t errsize);

/* Record the outcome of the last Test Connection of the instance ID. */
int itg_instances_set_test(struct itg_store *store, int64_t id, bool ok,
                           const char *detail, int64_t at, char *err,
                           size_t errsize);

#endif /* ITG_INSTANCE_STORE_H */
