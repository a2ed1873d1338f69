/*
 * automap.h - the auto-map job: on demand (action automap) and every few
 * hours (on_schedule_tick), per instance.
 */
#ifndef ITG_AUTOMAP_H
#define ITG_AUTOMAP_H

#include <stdint.h>

#include "itglue.h"

/*
 * Called from on_schedule_tick with the host's time: start an auto-map job
 * for every instance that serves groups and whose last scheduled run is
 * automap_interval_hours or more before NOW (or that never ran). Quick: no
 * network; the jobs run on the worker.
 */
void itg_automap_tick(struct itg_plugin *p, int64_t now);

#endif /* ITG_AUTOMAP_H */
