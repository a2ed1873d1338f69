/*
 * store_ready.c - the plugin's database, opened at init or as soon as a
 * storage fault goes, and what follows an open.
 */
#include <config.h>

#include "store_ready.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "compat/os.h"
#include "errbuf.h"
#include "gate.h"
#include "jobs.h"
#include "json_util.h"
#include "log.h"
#include "publish.h"
#include "store.h"

struct itg_store_gate {
	os_mutex lock;
	char error[512]; /* why the store cannot be used; "" once it can */
};

/* Jobs left queued or running by the last run are cancelled: done before
 * the store is handed out, so that no job queued since is taken for one. */
static void recover_jobs(struct itg_plugin *p, struct itg_store *store)
{
	char err[512];

	if (itg_jobs_recover(store, (int64_t)time(NULL), err, sizeof(err)) !=
	    XDR_OK)
		itg_log(p, XDR_LOG_ERROR, "jobs: %s", err);
}

int itg_store_start(struct itg_plugin *p, char *err, size_t errsize)
{
	struct itg_store_gate *g = calloc(1, sizeof(*g));
	char msg[512];
	int rc;

	if (g == NULL || os_mutex_init(&g->lock) != 0) {
		free(g);
		itg_errf(err, errsize, "out of memory opening the store");
		return XDR_ENOMEM;
	}
	p->store_gate = g;
	rc = itg_store_open(&p->store, p->state_dir, msg, sizeof(msg));
	if (rc == XDR_OK)
		recover_jobs(p, p->store);
	if (rc == XDR_EBUSY) {
		snprintf(g->error, sizeof(g->error), "%s", msg);
		itg_log(p, XDR_LOG_ERROR,
		        "cannot use the state database: %s; it is opened "
		        "again at the next report, tick or action",
		        msg);
		return XDR_OK;
	}
	if (rc != XDR_OK)
		itg_errf(err, errsize, "%s", msg);
	return rc;
}

void itg_store_gate_free(struct itg_plugin *p)
{
	if (p->store_gate == NULL)
		return;
	os_mutex_destroy(&p->store_gate->lock);
	free(p->store_gate);
	p->store_gate = NULL;
}

/* What the last rebuild did, kept for status (a JSON object). */
static void record_rebuild(struct itg_plugin *p,
                           const struct itg_store_rebuilt *r, time_t now)
{
	struct json_object *o = json_object_new_object();
	char at[32] = "", err[256];
	struct tm tm;
	char *text;

	if (os_gmtime(now, &tm) != NULL)
		strftime(at, sizeof(at), "%Y-%m-%dT%H:%M:%SZ", &tm);
	itg_json_add(o, "at", json_object_new_string(at));
	itg_json_add(o, "file",
	             json_object_new_string(itg_store_path(p->store)));
	itg_json_add(o, "moved_to", json_object_new_string(r->moved_to));
	itg_json_add(o, "reason", json_object_new_string(r->reason));
	itg_json_add(o, "tables", json_object_new_uint64(r->tables));
	itg_json_add(o, "tables_read_in_full",
	             json_object_new_uint64(r->whole));
	itg_json_add(o, "rows_copied", json_object_new_int64(r->rows));
	itg_json_add(o, "rows_dropped", json_object_new_int64(r->dropped));
	itg_json_add(o, "not_read_in_full", json_object_new_string(r->lost));
	text = itg_json_to_string(o);
	json_object_put(o);
	if (text == NULL ||
	    itg_store_config_set(p->store, ITG_CONFIG_STORE_REBUILT, text, err,
	                         sizeof(err)) != XDR_OK)
		itg_log(p, XDR_LOG_WARNING,
		        "cannot record the rebuild of the state database: %s",
		        text == NULL ? "out of memory" : err);
	free(text);
}

/* A damaged database was set aside and rebuilt: say so, and name every
 * report whose place in the outbox could not be read. */
static void announce_rebuild(struct itg_plugin *p)
{
	const struct itg_store_rebuilt *r = itg_store_rebuilt(p->store);
	time_t now = time(NULL);
	char stamp[32], err[256];

	if (r == NULL)
		return;
	itg_log(p, XDR_LOG_ERROR,
	        "the state database %s was damaged (%s): it was set aside as "
	        "%s and a fresh one made in its place; %lld rows of %zu "
	        "tables copied (%zu read in full)%s%s; %lld rows dropped "
	        "(their parent row was lost)",
	        itg_store_path(p->store), r->reason, r->moved_to,
	        (long long)r->rows, r->tables, r->whole,
	        r->lost[0] != '\0' ? "; not read in full: " : "", r->lost,
	        (long long)r->dropped);
	record_rebuild(p, r, now);
	if (r->outbox_whole)
		return;
	snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	if (itg_store_config_set(p->store, ITG_CONFIG_STORE_REBUILT_AT, stamp,
	                         err, sizeof(err)) != XDR_OK)
		itg_log(p, XDR_LOG_WARNING,
		        "cannot record the time of the rebuild: %s", err);
	itg_publish_lost(p, r->outbox_after, r->outbox_before,
	                 r->outbox_before_known);
}

void itg_store_opened(struct itg_plugin *p)
{
	announce_rebuild(p);
	if (itg_integration_enabled(p))
		itg_publish_resume(p);
}

int itg_store_ready(struct itg_plugin *p, char *err, size_t errsize)
{
	struct itg_store_gate *g = p->store_gate;
	struct itg_store *store = NULL;
	char msg[512];
	int rc;

	if (__atomic_load_n(&p->store, __ATOMIC_ACQUIRE) != NULL)
		return XDR_OK;
	if (g == NULL) {
		itg_errf(err, errsize, "the state database is not open");
		return XDR_EBUSY;
	}
	os_mutex_lock(&g->lock);
	if (__atomic_load_n(&p->store, __ATOMIC_ACQUIRE) == NULL) {
		rc = itg_store_open(&store, p->state_dir, msg, sizeof(msg));
		if (rc == XDR_OK) {
			recover_jobs(p, store);
			__atomic_store_n(&p->store, store, __ATOMIC_RELEASE);
			g->error[0] = '\0';
			itg_log(p, XDR_LOG_INFO,
			        "the state database %s can be used again",
			        itg_store_path(store));
			itg_store_opened(p);
		} else if (strcmp(msg, g->error) != 0) {
			/* Once per reason, not once per call. */
			snprintf(g->error, sizeof(g->error), "%s", msg);
			itg_log(p, XDR_LOG_ERROR,
			        "cannot use the state database: %s", msg);
		}
	}
	rc = __atomic_load_n(&p->store, __ATOMIC_ACQUIRE) != NULL ? XDR_OK
	                                                          : XDR_EBUSY;
	if (rc != XDR_OK)
		itg_errf(err, errsize, "%s", g->error);
	os_mutex_unlock(&g->lock);
	return rc;
}

void itg_store_unusable_reason(struct itg_plugin *p, char *buf, size_t size)
{
	struct itg_store_gate *g = p->store_gate;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (__atomic_load_n(&p->store, __ATOMIC_ACQUIRE) != NULL)
		return;
	if (g == NULL) {
		snprintf(buf, size, "the state database is not open");
		return;
	}
	os_mutex_lock(&g->lock);
	if (__atomic_load_n(&p->store, __ATOMIC_ACQUIRE) == NULL)
		snprintf(buf, size, "%s", g->error);
	os_mutex_unlock(&g->lock);
}
