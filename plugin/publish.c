/*
 * publish.c - publishing reports to IT Glue: the outbox's producers and its
 * drain on the worker.
 */
#include <config.h>

#include "publish.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_keys.h"
#include "events.h"
#include "host_groups.h"
#include "host_systems.h"
#include "instance_client.h"
#include "instance_store.h"
#include "log.h"
#include "mapping_store.h"
#include "outbox_store.h"
#include "publish_run.h"
#include "report_file.h"
#include "store_ready.h"
#include "worker.h"

#include <stdbool.h>

#define ERR_MAX 512

int itg_publish_target(struct itg_plugin *p, int64_t group_id,
                       struct itg_instance *inst, char **org, char *err,
                       size_t errsize)
{
	struct itg_instance *list = NULL;
	struct itg_group_mapping m;
	size_t n = 0;
	int rc;

	*org = NULL;
	memset(inst, 0, sizeof(*inst));
	rc = itg_instances_list(p->store, &list, &n, err, errsize);
	for (size_t i = 0; rc == XDR_OK && i < n && inst->id == 0; i++) {
		for (size_t k = 0; k < list[i].n_groups; k++) {
			if (list[i].groups[k] == group_id) {
				*inst = list[i];
				memset(&list[i], 0, sizeof(list[i]));
				break;
			}
		}
	}
	itg_instances_free(list, n);
	if (rc != XDR_OK)
		return rc;
	if (inst->id == 0) {
		snprintf(err, errsize,
		         "the group is served by no IT Glue instance "
		         "(instance.groups)");
		return XDR_ENOTFOUND;
	}
	rc = itg_group_mapping_get(p->store, inst->id, group_id, &m);
	if (rc == XDR_ENOTFOUND) {
		snprintf(err, errsize,
		         "the group is not mapped to an IT Glue organization: "
		         "map it first (Auto Map or map)");
	} else if (rc != XDR_OK) {
		snprintf(err, errsize, "cannot read the group's mapping");
	} else if (m.stale) {
		snprintf(
		        err, errsize,
		        "the group's organization %s is gone from IT Glue: map "
		        "the group again",
		        m.organization_id);
		rc = XDR_ENOTFOUND;
	} else {
		*org = m.organization_id;
		m.organization_id = NULL;
	}
	itg_group_mapping_clear(&m);
	if (rc != XDR_OK)
		itg_instance_clear(inst);
	return rc;
}

/* The fields of a report the outbox needs, copied from the host. */
struct report_copy {
	int found;
	int publish;
	int64_t group_id;
	int64_t generated_at;
	char *title;
	char *path;
};

static int copy_report(void *user, const struct xdr_report *r)
{
	struct report_copy *c = user;

	c->found = 1;
	c->publish = r->publish_itglue;
	c->group_id = r->group_id;
	c->generated_at = r->generated_at;
	c->title = strdup(r->title != NULL ? r->title : "Report");
	c->path = strdup(r->file_path != NULL ? r->file_path : "");
	return c->title != NULL && c->path != NULL ? 0 : XDR_ENOMEM;
}

static void report_copy_clear(struct report_copy *c)
{
	free(c->title);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

/* Event 4022 for a report that could not even be queued. */
static void refuse(struct itg_plugin *p, int64_t report_id, const char *title,
                   int64_t group_id, const char *reason)
{
	struct itg_groups groups = {0};
	const struct itg_group *g = NULL;
	char id[32], gid[32];
	const char *values[7];

	snprintf(id, sizeof(id), "%lld", (long long)report_id);
	snprintf(gid, sizeof(gid), "%lld", (long long)group_id);
	if (itg_host_groups(p, &groups) == XDR_OK)
		g = itg_groups_by_id(&groups, group_id);
	/* Not queued: no instance or organization serves the group. */
	values[0] = "none";
	values[1] = id;
	values[2] = title;
	values[3] = g != NULL ? g->name : gid;
	values[4] = "none";
	values[5] = reason;
	values[6] = "0";
	itg_event_emit(p, ITG_EVENT_REPORT_UPLOAD_FAILED, values, 7);
	itg_groups_clear(&groups);
}

int itg_publish_queue(struct itg_plugin *p, int64_t report_id, bool manual,
                      char *err, size_t errsize)
{
	struct report_copy rep = {0};
	struct itg_instance inst;
	struct itg_outbox_row row = {0};
	char name[ITG_REPORT_FILE_NAME_MAX];
	char *org = NULL;
	int rc;

	rc = p->api->get_report(p->api->host, report_id, copy_report, &rep);
	if (rc != XDR_OK || !rep.found) {
		report_copy_clear(&rep);
		snprintf(err, errsize, "no report %lld in the host",
		         (long long)report_id);
		return XDR_ENOTFOUND;
	}
	if (!manual && !rep.publish) {
		report_copy_clear(&rep);
		return XDR_OK;
	}
	rc = itg_publish_target(p, rep.group_id, &inst, &org, err, errsize);
	if (rc != XDR_OK) {
		/* A failure of the plugin's own is its caller's to tell. */
		if (!manual && rc == XDR_ENOTFOUND)
			refuse(p, report_id, rep.title, rep.group_id, err);
		report_copy_clear(&rep);
		return rc;
	}
	itg_report_file_name(rep.title, report_id, rep.generated_at, name,
	                     sizeof(name));
	row.report_id = report_id;
	row.instance_id = inst.id;
	row.group_id = rep.group_id;
	row.organization_id = org;
	row.title = rep.title;
	row.file_path = rep.path;
	row.file_name = name;
	row.generated_at = rep.generated_at;
	rc = itg_outbox_enqueue(p->store, &row, manual, (int64_t)time(NULL),
	                        err, errsize);
	free(org);
	itg_instance_clear(&inst);
	report_copy_clear(&rep);
	if (rc == XDR_OK)
		itg_publish_kick(p);
	return rc;
}

/* Event 4022 for a report the plugin could not queue (the store, memory),
 * with REASON and what to do. */
static void not_queued(struct itg_plugin *p, int64_t report_id,
                       const char *reason)
{
	struct report_copy rep = {0};
	char why[ERR_MAX + 480];

	p->api->get_report(p->api->host, report_id, copy_report, &rep);
	snprintf(why, sizeof(why),
	         "not queued: %s; publish it by hand (publish) once this is "
	         "fixed",
	         reason);
	refuse(p, report_id, rep.title != NULL ? rep.title : "Report",
	       rep.group_id, why);
	report_copy_clear(&rep);
}

int itg_publish_report_generated(struct itg_plugin *p, int64_t report_id)
{
	char err[ERR_MAX], reason[ERR_MAX + 300];
	bool usable = itg_store_ready(p, err, sizeof(err)) == XDR_OK;
	int rc = XDR_ERROR;

	if (usable)
		rc = itg_publish_queue(p, report_id, false, err, sizeof(err));
	if (rc == XDR_OK)
		return XDR_OK;
	/* Not published by choice (not asked, no mapping: 4022 said so), or
	 * queued already: the hook did its job. */
	if (usable && (rc == XDR_ENOTFOUND || rc == XDR_EBUSY)) {
		itg_log(p, XDR_LOG_WARNING, "report %lld not queued: %s",
		        (long long)report_id, err);
		return XDR_OK;
	}
	/* The store (or memory) failed: the report is in no outbox. The
	 * error goes to the host, the log and an event, naming the file. */
	if (usable)
		snprintf(reason, sizeof(reason), "%s (database %s)", err,
		         itg_store_path(p->store));
	else
		snprintf(reason, sizeof(reason), "%s", err);
	itg_log(p, XDR_LOG_ERROR, "report %lld not queued for IT Glue: %s",
	        (long long)report_id, reason);
	not_queued(p, report_id, reason);
	return XDR_ERROR;
}

/* How many report ids after the last readable one are looked up in the
 * host, and how many unknown ones in a row end the search. */
#define LOST_PROBES_MAX 10000
#define LOST_MISSES_MAX 100

void itg_publish_lost(struct itg_plugin *p, int64_t after, int64_t before,
                      bool before_known)
{
	struct itg_outbox_policy policy = ITG_OUTBOX_POLICY_DEFAULT;
	int64_t hours = itg_config_int(p, ITG_CONFIG_PUBLISH_AGE_HOURS, 0);
	int64_t since = (int64_t)time(NULL) -
	                (hours > 0 ? hours * 3600 : policy.max_age_s);
	int misses = 0;
	size_t told = 0;

	for (int64_t id = after + 1, probes = 0;
	     probes < LOST_PROBES_MAX &&
	     (before_known ? id < before : misses < LOST_MISSES_MAX);
	     id++, probes++) {
		struct report_copy rep = {0};

		if (p->api->get_report(p->api->host, id, copy_report, &rep) !=
		            XDR_OK ||
		    !rep.found) {
			misses++;
			report_copy_clear(&rep);
			continue;
		}
		misses = 0;
		/* Older reports would have been given up by now. */
		if (rep.publish && rep.generated_at >= since) {
			refuse(p, id, rep.title, rep.group_id,
			       "its place in the outbox was lost when the "
			       "plugin's damaged state database was rebuilt: "
			       "publish it by hand (publish); a report "
			       "published already is found in IT Glue, not "
			       "published twice");
			told++;
		}
		report_copy_clear(&rep);
	}
	itg_log(p, XDR_LOG_WARNING,
	        "outbox rows of reports after %lld%s could not be read: %zu "
	        "report(s) that may not be published named in event 4022",
	        (long long)after, before_known ? " (and before the next)" : "",
	        told);
}

static void drain(struct itg_job_ctx *ctx, void *arg)
{
	struct itg_plugin *p = arg;

	/* Cleared before the first claim: a row queued from now on queues
	 * another drain, so none waits for the next tick. */
	__atomic_store_n(&p->drain_queued, 0, __ATOMIC_SEQ_CST);
	itg_publish_drain(p, ctx);
}

void itg_publish_kick(struct itg_plugin *p)
{
	struct itg_job job = {"publish", drain, p, NULL};

	if (__atomic_exchange_n(&p->drain_queued, 1, __ATOMIC_SEQ_CST))
		return;
	if (itg_worker_submit(p->worker, &job) < 0)
		__atomic_store_n(&p->drain_queued, 0, __ATOMIC_SEQ_CST);
}

void itg_publish_resume(struct itg_plugin *p)
{
	char err[ERR_MAX];

	if (itg_outbox_recover(p->store, p->owner, err, sizeof(err)) != 0)
		itg_log(p, XDR_LOG_ERROR, "outbox: %s", err);
	itg_publish_tick(p);
}

void itg_publish_tick(struct itg_plugin *p)
{
	struct itg_outbox_counts c;

	if (itg_outbox_count(p->store, 0, &c) == 0 && c.pending > 0 &&
	    c.next_due <= (int64_t)time(NULL))
		itg_publish_kick(p);
}
