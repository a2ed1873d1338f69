/*
 * store_ready.h - the plugin's database as its entry points get it: opened
 * by init, or, when a storage fault kept init from opening it (a full disk,
 * a read-only file system, an I/O error...), by the first report, tick or
 * action after the fault went.
 *
 * A plugin refused at init would hear of no report until the host restarts;
 * one that starts without its database answers each call with the reason
 * instead, and recovers on its own.
 */
#ifndef ITG_STORE_READY_H
#define ITG_STORE_READY_H

#include <stddef.h>

#include "itglue.h"

/*
 * At init: open the database and cancel the jobs the last run left. XDR_OK
 * when it is open, and also when a storage fault kept it closed (p->store
 * NULL; logged at ERROR with the reason); any other failure is returned with
 * err, and refuses the plugin. The rest of what follows an open (outbox
 * recovered, a rebuild announced) is itg_store_opened()'s, once the worker
 * runs.
 */
int itg_store_start(struct itg_plugin *p, char *err, size_t errsize);

/* After an open, with the worker running: announce a rebuilt database and
 * recover the outbox rows of processes that died. */
void itg_store_opened(struct itg_plugin *p);

/*
 * Before an entry point reads p->store: XDR_OK when it can, else XDR_EBUSY
 * with the reason in err (naming the file). Opens the database when init
 * could not; the first call that succeeds cancels the jobs the last run
 * left, logs that the database is usable again and runs
 * itg_store_opened(). Safe from any thread.
 */
int itg_store_ready(struct itg_plugin *p, char *err, size_t errsize);

/* Why the database cannot be used ("" when it can), for status. */
void itg_store_unusable_reason(struct itg_plugin *p, char *buf, size_t size);

/* Shutdown: release what itg_store_start() made (not the store). */
void itg_store_gate_free(struct itg_plugin *p);

/* The setting that keeps what the last rebuild of a damaged database did
 * (JSON, for status), and the time of a rebuild that lost outbox rows
 * (reports generated before it look for their asset before creating one). */
#define ITG_CONFIG_STORE_REBUILT    "store_rebuilt"
#define ITG_CONFIG_STORE_REBUILT_AT "store_rebuilt_at"

#endif /* ITG_STORE_READY_H */
