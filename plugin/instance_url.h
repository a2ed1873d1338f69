/*
 * instance_url.h - where an instance's API lives.
 */
#ifndef ITG_INSTANCE_URL_H
#define ITG_INSTANCE_URL_H

#include "instance.h"
#include "itglue.h"

/* The plugin setting that points a region elsewhere: "region_url." + name.
 * A test bed sets it to local sandboxes; production leaves it unset. */
#define ITG_REGION_URL_SETTING "region_url."

/*
 * The API URL of REGION: the plugin setting region_url.<region> when set and
 * not empty, else IT Glue's public host of that region. A new string
 * (free()), or NULL if memory runs out or the region is unknown.
 */
char *itg_region_url(const struct itg_plugin *p, enum itg_region region);

/* The API URL of INST: its own URL, or its region's. As above. */
char *itg_instance_url(const struct itg_plugin *p,
                       const struct itg_instance *inst);

#endif /* ITG_INSTANCE_URL_H */
