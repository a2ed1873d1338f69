/*
 * itglue.h - the plugin's state, shared by its files.
 */
#ifndef ITG_ITGLUE_H
#define ITG_ITGLUE_H

#include <stdbool.h>

#include <xdr/plugin.h>

/* The name the host knows the plugin by (admin actions, event source). */
#define ITG_PLUGIN_NAME "itglue"

struct itg_store;
struct itg_store_gate;
struct itg_worker;

/*
 * Everything init() builds and shutdown() tears down. The fields are set once
 * by init() and only read afterwards, so the hooks may read them from any
 * thread without a lock; drain_queued, the one that changes, is read and
 * written with atomic builtins only. store is the exception: NULL while a
 * storage fault keeps the database from being used, it is set once, under
 * store_gate's lock, by whichever call first finds it usable
 * (store_ready.h), and never changes after; every entry point goes through
 * itg_store_ready() before it reads it.
 */
struct itg_plugin {
	const struct xdr_host_api *api;    /* the host's table, valid until
	                                      shutdown() returns */
	char *state_dir;                   /* the host-given state directory */
	struct itg_store *store;           /* DIR/itglue.db, or NULL (above) */
	struct itg_store_gate *store_gate; /* opening it after init */
	struct itg_worker *worker;         /* the plugin's own thread */
	bool curl_ready;                   /* libcurl's global init was done */
	char owner[192];                   /* who claims outbox rows: this
	                                      process and plugin start */
	int drain_queued;                  /* an outbox drain waits on the
	                                      worker (atomic) */
};

#endif /* ITG_ITGLUE_H */
