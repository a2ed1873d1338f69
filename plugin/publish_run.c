/*
 * publish_run.c - the drain of the outbox: claim a due row, publish it,
 * record each step IT Glue confirmed, end it done or retry or failed.
 *
 * Exactly once: the asset id is written as soon as IT Glue answered the
 * creation, and a row without one first looks for an asset of its file name
 * in its organization before creating one. A process that dies between the
 * creation and that write leaves a row whose next attempt finds the asset.
 */
#include <config.h>

#include "publish_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config_keys.h"
#include "events.h"
#include "host_groups.h"
#include "instance_client.h"
#include "instance_store.h"
#include "log.h"
#include "mapping_store.h"
#include "outbox_store.h"
#include "publish_asset.h"
#include "publish_type.h"

#define ERR_MAX 512

/* The flexible asset type of one instance, looked up once per drain. */
struct type_cache {
	int64_t instance;
	struct itg_publish_type type;
	bool ready;
};

struct attempt {
	enum itg_attempt_outcome outcome;
	bool lost; /* another process took the row over: leave it */
	char error[ERR_MAX];
};

/*
 * Before a step that must not run twice (creating the asset, relating it):
 * extend the lease, or learn that it ran out and another process has the
 * row, which then does the step itself.
 */
static int keep_lease(struct itg_plugin *p, int64_t report_id,
                      struct attempt *a)
{
	int rc = itg_outbox_renew(p->store, report_id, p->owner,
	                          (int64_t)time(NULL), ITG_OUTBOX_LEASE_S,
	                          a->error, sizeof(a->error));

	if (rc == XDR_EBUSY)
		a->lost = true;
	if (rc != 0)
		a->outcome = ITG_ATTEMPT_RETRYABLE;
	return rc;
}

/* A store write after a step IT Glue confirmed failed. */
static int store_failed(struct attempt *a, int rc, const char *err)
{
	a->lost = rc == XDR_EBUSY;
	a->outcome = ITG_ATTEMPT_RETRYABLE;
	snprintf(a->error, sizeof(a->error), "%s", err);
	return rc;
}

static void set_failure(struct attempt *a, const struct itg_api_error *e,
                        const char *step)
{
	a->outcome = e->outcome == ITG_RETRY ? ITG_ATTEMPT_RETRYABLE
	                                     : ITG_ATTEMPT_PERMANENT;
	snprintf(a->error, sizeof(a->error), "%s: %s", step, e->message);
}

/* The systems the report covers, from the host. */
struct systems_copy {
	int64_t *ids;
	size_t n;
};

static int copy_systems(void *user, const struct xdr_report *r)
{
	struct systems_copy *c = user;

	if (r->n_system_ids == 0)
		return 0;
	c->ids = calloc(r->n_system_ids, sizeof(*c->ids));
	if (c->ids == NULL)
		return XDR_ENOMEM;
	memcpy(c->ids, r->system_ids, r->n_system_ids * sizeof(*c->ids));
	c->n = r->n_system_ids;
	return 0;
}

/* Relate the asset to the configuration mapped to each system of the
 * report, skipping those related already. */
static int relate_all(struct itg_plugin *p, struct itg_client *c,
                      const struct itg_outbox_row *row, int64_t asset,
                      struct attempt *a)
{
	struct systems_copy sys = {0};
	struct itg_mapping_set set;
	struct itg_api_error e;
	char err[ERR_MAX];
	int rc = 0;

	p->api->get_report(p->api->host, row->report_id, copy_systems, &sys);
	if (sys.n == 0)
		return 0;
	if (itg_mappings_load(p->store, row->instance_id, &set, err,
	                      sizeof(err)) != 0) {
		free(sys.ids);
		a->outcome = ITG_ATTEMPT_RETRYABLE;
		snprintf(a->error, sizeof(a->error), "%s", err);
		return XDR_ERROR;
	}
	for (size_t i = 0; rc == 0 && i < sys.n; i++) {
		const struct itg_system_mapping *m =
		        itg_mapping_set_system(&set, sys.ids[i]);
		char *end;
		long long conf;

		if (m == NULL || m->stale ||
		    itg_outbox_related_has(row->related, m->configuration_id))
			continue;
		conf = strtoll(m->configuration_id, &end, 10);
		if (*end != '\0' || conf <= 0)
			continue;
		rc = keep_lease(p, row->report_id, a);
		if (rc != 0)
			break;
		rc = itg_publish_relate(c, asset, conf,
		                        "Open XDR report covers this system",
		                        NULL, &e);
		if (rc != 0) {
			set_failure(a, &e, "relating a configuration");
			break;
		}
		rc = itg_outbox_add_related(p->store, row->report_id, p->owner,
		                            m->configuration_id, err,
		                            sizeof(err));
		if (rc != 0)
			store_failed(a, rc, err);
	}
	itg_mapping_set_clear(&set);
	free(sys.ids);
	return rc;
}

/* Find the report's asset, or create it; write its id at once. */
static int find_or_create(struct itg_plugin *p, struct itg_client *c,
                          const struct itg_publish_type *type,
                          const struct itg_outbox_row *row, int64_t org,
                          int64_t *asset, struct attempt *a)
{
	struct itg_api_error e;
	struct itg_upload up = {0};
	struct itg_report rep = {
	        .title = row->title,
	        .report_id = row->report_id,
	        .generated_at = row->generated_at,
	        .html_path = row->file_path,
	        .expiry_days = (unsigned int)itg_config_int(
	                p, ITG_CONFIG_EXPIRY_DAYS, 0),
	};
	char gz[ITG_REPORT_FILE_NAME_MAX + 4];
	char id[32], err[ERR_MAX];
	int rc;

	*asset = 0;
	/* Renewed before the search too: the search and the creation must
	 * both happen within this process's lease. */
	rc = keep_lease(p, row->report_id, a);
	if (rc != 0)
		return rc;
	snprintf(gz, sizeof(gz), "%s.gz", row->file_name);
	rc = itg_publish_find(c, type, org, row->title, row->file_name, asset,
	                      &e);
	if (rc == 0 && *asset == 0)
		rc = itg_publish_find(c, type, org, row->title, gz, asset, &e);
	if (rc != 0) {
		set_failure(a, &e, "looking for the asset");
		return rc;
	}
	if (*asset == 0) {
		int kept = 0;

		rc = itg_publish_prepare(type, org, &rep, &up, &e);
		if (rc == 0)
			kept = keep_lease(p, row->report_id, a);
		if (rc == 0 && kept == 0)
			rc = itg_publish_create(c, &up, asset, &e);
		itg_upload_free(&up);
		if (kept != 0)
			return kept;
		if (rc != 0) {
			set_failure(a, &e, "creating the asset");
			return rc;
		}
	}
	snprintf(id, sizeof(id), "%lld", (long long)*asset);
	rc = itg_outbox_set_asset(p->store, row->report_id, p->owner, id, err,
	                          sizeof(err));
	return rc != 0 ? store_failed(a, rc, err) : 0;
}

static int ensure_type(struct itg_client *c, struct type_cache *cache,
                       int64_t instance, struct attempt *a)
{
	struct itg_api_error e;

	if (cache->ready && cache->instance == instance)
		return 0;
	itg_publish_type_clear(&cache->type);
	cache->ready = false;
	if (itg_publish_type_ensure(c, ITG_PUBLISH_TYPE_NAME, &cache->type,
	                            &e) != 0) {
		set_failure(a, &e, "the flexible asset type");
		return XDR_ERROR;
	}
	cache->instance = instance;
	cache->ready = true;
	return 0;
}

/* One attempt at ROW; *asset is its asset on success. */
static void publish_row(struct itg_plugin *p, struct itg_job_ctx *ctx,
                        const struct itg_outbox_row *row,
                        struct type_cache *cache, int64_t *asset,
                        struct attempt *a)
{
	struct itg_instance inst;
	struct itg_client *c = NULL;
	char ref[32], err[ERR_MAX];
	char *end;
	long long org = strtoll(row->organization_id, &end, 10);

	a->outcome = ITG_ATTEMPT_SUCCESS;
	snprintf(ref, sizeof(ref), "%lld", (long long)row->instance_id);
	if (itg_instances_find(p->store, ref, &inst, err, sizeof(err)) != 0) {
		a->outcome = ITG_ATTEMPT_PERMANENT;
		snprintf(a->error, sizeof(a->error),
		         "IT Glue instance %lld was removed",
		         (long long)row->instance_id);
		return;
	}
	if (itg_instance_client(p, &inst, NULL, ctx, NULL, &c, err,
	                        sizeof(err)) != 0) {
		a->outcome = ITG_ATTEMPT_PERMANENT;
		snprintf(a->error, sizeof(a->error), "%s", err);
	} else if (ensure_type(c, cache, inst.id, a) == 0) {
		*asset = row->asset_id != NULL
		                 ? strtoll(row->asset_id, NULL, 10)
		                 : 0;
		if ((*asset != 0 || find_or_create(p, c, &cache->type, row, org,
		                                   asset, a) == 0) &&
		    relate_all(p, c, row, *asset, a) == 0)
			a->outcome = ITG_ATTEMPT_SUCCESS;
	}
	itg_client_free(c);
	itg_instance_clear(&inst);
}

/* The names events carry: the instance's, the group's. */
static void names(struct itg_plugin *p, const struct itg_outbox_row *row,
                  char *instance, size_t isize, char *group, size_t gsize,
                  char *org, size_t osize)
{
	struct itg_instance inst;
	struct itg_groups groups;
	struct itg_mapping_set set;
	char ref[32], err[64];

	snprintf(instance, isize, "%lld", (long long)row->instance_id);
	snprintf(group, gsize, "%lld", (long long)row->group_id);
	snprintf(org, osize, "%s", row->organization_id);
	snprintf(ref, sizeof(ref), "%lld", (long long)row->instance_id);
	if (itg_instances_find(p->store, ref, &inst, err, sizeof(err)) == 0) {
		snprintf(instance, isize, "%s", inst.name);
		itg_instance_clear(&inst);
	}
	if (itg_host_groups(p, &groups) == XDR_OK) {
		const struct itg_group *g =
		        itg_groups_by_id(&groups, row->group_id);

		if (g != NULL)
			snprintf(group, gsize, "%s", g->name);
		itg_groups_clear(&groups);
	}
	if (itg_mappings_load(p->store, row->instance_id, &set, err,
	                      sizeof(err)) == 0) {
		const struct itg_group_mapping *m =
		        itg_mapping_set_group(&set, row->group_id);

		if (m != NULL && m->organization_name != NULL &&
		    strcmp(m->organization_id, row->organization_id) == 0)
			snprintf(org, osize, "%s", m->organization_name);
		itg_mapping_set_clear(&set);
	}
}

static void announce(struct itg_plugin *p, const struct itg_outbox_row *row,
                     bool done, int64_t asset, const char *reason,
                     unsigned int attempts)
{
	char instance[128], group[256], org[256], id[32], asset_s[32],
	        tries[16];

	names(p, row, instance, sizeof(instance), group, sizeof(group), org,
	      sizeof(org));
	snprintf(id, sizeof(id), "%lld", (long long)row->report_id);
	if (done) {
		const char *values[7] = {instance,      id,  row->title,
		                         group,         org, asset_s,
		                         row->file_name};

		snprintf(asset_s, sizeof(asset_s), "%lld", (long long)asset);
		itg_event_emit(p, ITG_EVENT_REPORT_UPLOADED, values, 7);
		itg_log(p, XDR_LOG_INFO,
		        "report %s published to \"%s\" as flexible asset %s",
		        id, org, asset_s);
	} else {
		const char *values[7] = {instance, id,     row->title, group,
		                         org,      reason, tries};

		snprintf(tries, sizeof(tries), "%u", attempts);
		itg_event_emit(p, ITG_EVENT_REPORT_UPLOAD_FAILED, values, 7);
		itg_log(p, XDR_LOG_WARNING, "report %s not published: %s", id,
		        reason);
	}
}

/* Give a row back undecided, due now, this attempt not counted. */
static void release(struct itg_plugin *p, const struct itg_outbox_row *row)
{
	struct itg_outbox_decision d = {ITG_OUTBOX_PENDING, 0, false, false};
	char err[ERR_MAX];

	if (itg_outbox_finish(p->store, row->report_id, p->owner, &d,
	                      row->attempts - 1, "stopped", (int64_t)time(NULL),
	                      err, sizeof(err)) != 0)
		itg_log(p, XDR_LOG_WARNING, "outbox: %s", err);
}

/* Record the outcome of an attempt; the event only once the store says the
 * row ended, and only when it ended for good. */
static void end_attempt(struct itg_plugin *p,
                        const struct itg_outbox_policy *policy,
                        const struct itg_outbox_row *row,
                        const struct attempt *a, int64_t asset)
{
	bool ok = a->outcome == ITG_ATTEMPT_SUCCESS;
	int64_t now = (int64_t)time(NULL);
	struct itg_outbox_decision d = itg_outbox_decide(
	        policy, a->outcome, row->attempts, row->created_at, now, 0,
	        (double)rand() / ((double)RAND_MAX + 1));
	char err[ERR_MAX];

	if (itg_outbox_finish(p->store, row->report_id, p->owner, &d,
	                      row->attempts, ok ? NULL : a->error, now, err,
	                      sizeof(err)) != 0)
		itg_log(p, XDR_LOG_WARNING, "outbox: %s", err);
	else if (d.announce)
		announce(p, row, d.state == ITG_OUTBOX_DONE, asset, a->error,
		         row->attempts);
	else
		itg_log(p, XDR_LOG_INFO,
		        "report %lld: attempt %u failed, retrying at %lld: %s",
		        (long long)row->report_id, row->attempts,
		        (long long)d.next_attempt, a->error);
}

size_t itg_publish_drain(struct itg_plugin *p, struct itg_job_ctx *ctx)
{
	struct itg_outbox_policy policy = ITG_OUTBOX_POLICY_DEFAULT;
	struct type_cache cache = {0};
	char err[ERR_MAX];
	size_t handled = 0;
	int64_t hours = itg_config_int(p, ITG_CONFIG_PUBLISH_AGE_HOURS, 0);

	policy.max_attempts = (unsigned int)itg_config_int(
	        p, ITG_CONFIG_PUBLISH_ATTEMPTS, policy.max_attempts);
	if (hours > 0)
		policy.max_age_s = hours * 3600;
	while (!itg_job_should_stop(ctx)) {
		struct itg_outbox_row row;
		struct attempt a = {0};
		int64_t asset = 0, now = (int64_t)time(NULL);
		int rc = itg_outbox_claim(p->store, p->owner, now,
		                          ITG_OUTBOX_LEASE_S, &row, err,
		                          sizeof(err));

		if (rc <= 0) {
			if (rc < 0)
				itg_log(p, XDR_LOG_ERROR, "outbox: %s", err);
			break;
		}
		itg_job_progress(ctx, handled, 0);
		publish_row(p, ctx, &row, &cache, &asset, &a);
		if (a.lost) {
			itg_log(p, XDR_LOG_WARNING, "outbox: %s", a.error);
		} else if (itg_job_should_stop(ctx) &&
		           a.outcome != ITG_ATTEMPT_SUCCESS) {
			/* Stopping: the row is due again at once, for whichever
			 * process runs next. */
			release(p, &row);
			itg_outbox_row_clear(&row);
			break;
		} else {
			end_attempt(p, &policy, &row, &a, asset);
		}
		itg_outbox_row_clear(&row);
		handled++;
	}
	itg_publish_type_clear(&cache.type);
	return handled;
}
