/*
 * publish_run.c - the drain of the outbox: claim a due row, publish it,
 * record each step IT Glue confirmed, end it done or retry or failed.
 *
 * Exactly once: the asset id is written as soon as IT Glue answered the
 * creation, and a row without one first looks for an asset of its file name
 * in its organization before creating one, unless no attempt at it can have
 * sent a creation yet (its first claim, no attempt ended before). A process
 * that dies between the creation and that write leaves a row whose next
 * attempt is counted as a second one, and finds the asset.
 *
 * Rows are published several at a time, one per lane (thread), each with
 * its own claim: IT Glue answers in its own time, and the connections of
 * one client are used by one request of a report at a time.
 */
#include <config.h>

#include "publish_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/os.h"
#include "config_keys.h"
#include "events.h"
#include "host_groups.h"
#include "http.h"
#include "instance_client.h"
#include "instance_store.h"
#include "log.h"
#include "mapping_store.h"
#include "outbox_store.h"
#include "publish_asset.h"
#include "publish_type.h"
#include "store_ready.h"
#include "text.h"

#define ERR_MAX 512

/* Reports published at once: one per transfer the client may run. */
#define LANES ITG_HTTP_PARALLEL_MAX

/* The flexible asset type of one instance, looked up once per drain and
 * never changed afterwards, so that lanes read it without the lock. */
struct known_type {
	int64_t instance;
	struct itg_publish_type type;
	struct known_type *next;
};

/* One drain: what its lanes share. */
struct drain {
	struct itg_plugin *p;
	struct itg_job_ctx *ctx;
	struct itg_outbox_policy policy;
	os_mutex lock; /* types and handled */
	struct known_type *types;
	size_t handled;
};

/* One lane of a drain: its own name as the owner of the rows it claims,
 * "<plugin's owner>:<lane>", so that no lane renews or ends another's row.
 * The rows of a process that died are recovered by its pid, as before. */
struct lane {
	struct drain *d;
	char owner[sizeof(((struct itg_plugin *)0)->owner) + 8];
};

struct attempt {
	const char *owner; /* who holds the row: this lane */
	enum itg_attempt_outcome outcome;
	bool lost;        /* another process took the row over: leave it */
	bool create_sent; /* IT Glue may have created the asset */
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
	int rc = itg_outbox_renew(p->store, report_id, a->owner,
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
	struct itg_api_error e;
	char err[ERR_MAX];
	int rc = 0;

	p->api->get_report(p->api->host, row->report_id, copy_systems, &sys);
	/* Each system's mapping alone: loading every mapping of the
	 * instance for each report held the store from the hooks. */
	for (size_t i = 0; rc == 0 && i < sys.n; i++) {
		struct itg_system_mapping m;
		char *end;
		long long conf;

		rc = itg_system_mapping_get(p->store, row->instance_id,
		                            sys.ids[i], &m);
		if (rc == XDR_ENOTFOUND) {
			rc = 0;
			continue;
		}
		if (rc != 0) {
			a->outcome = ITG_ATTEMPT_RETRYABLE;
			snprintf(a->error, sizeof(a->error),
			         "cannot read the mapping of system %lld",
			         (long long)sys.ids[i]);
			break;
		}
		conf = strtoll(m.configuration_id ? m.configuration_id : "",
		               &end, 10);
		if (m.stale ||
		    itg_outbox_related_has(row->related, m.configuration_id) ||
		    *end != '\0' || conf <= 0) {
			itg_system_mapping_clear(&m);
			continue;
		}
		rc = keep_lease(p, row->report_id, a);
		if (rc == 0) {
			rc = itg_publish_relate(
			        c, asset, conf,
			        "Open XDR report covers this system", NULL, &e);
			if (rc != 0)
				set_failure(a, &e, "relating a configuration");
		}
		if (rc == 0) {
			rc = itg_outbox_add_related(
			        p->store, row->report_id, a->owner,
			        m.configuration_id, err, sizeof(err));
			if (rc != 0)
				store_failed(a, rc, err);
		}
		itg_system_mapping_clear(&m);
	}
	free(sys.ids);
	return rc;
}

/* The asset of ROW's file, plain or gzipped, in its organization. */
static int find_asset(struct itg_client *c, const struct itg_publish_type *type,
                      const struct itg_outbox_row *row, int64_t org,
                      int64_t *asset, struct itg_api_error *e)
{
	char gz[ITG_REPORT_FILE_NAME_MAX + 4];
	int rc;

	snprintf(gz, sizeof(gz), "%s.gz", row->file_name);
	rc = itg_publish_find(c, type, org, row->title, row->file_name, asset,
	                      e);
	if (rc == 0 && *asset == 0)
		rc = itg_publish_find(c, type, org, row->title, gz, asset, e);
	return rc;
}

/* Creations of one asset within an attempt, at most. */
#define CREATE_ROUNDS 3

/*
 * Create the asset. A creation that failed in a way that may have created
 * it all the same (a 5xx, a timeout, an answer cut short) is looked for
 * before it is sent again.
 */
static int create(struct itg_plugin *p, struct itg_client *c,
                  const struct itg_publish_type *type,
                  const struct itg_outbox_row *row, int64_t org,
                  const struct itg_upload *up, int64_t *asset,
                  struct attempt *a)
{
	struct itg_api_error e;
	int rc = 0;

	for (int round = 1; rc == 0; round++) {
		rc = keep_lease(p, row->report_id, a);
		if (rc != 0)
			return rc;
		a->create_sent = true;
		rc = itg_publish_create(c, up, asset, &e);
		if (rc == 0)
			return 0;
		/* A stop cancels the request: permanent, not tried again. */
		if (e.outcome != ITG_RETRY || round == CREATE_ROUNDS)
			break;
		rc = keep_lease(p, row->report_id, a);
		if (rc != 0)
			return rc;
		rc = find_asset(c, type, row, org, asset, &e);
		if (rc != 0) {
			set_failure(a, &e, "looking for the asset");
			return rc;
		}
		if (*asset != 0)
			return 0;
	}
	set_failure(a, &e, "creating the asset");
	return rc;
}

/* When a rebuild of the database lost outbox rows (0: never). */
static int64_t rebuilt_at(struct itg_plugin *p)
{
	return itg_config_int(p, ITG_CONFIG_STORE_REBUILT_AT, 0);
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
	char id[32], err[ERR_MAX];
	int rc;

	*asset = 0;
	/* Renewed before the search too: the search and the creation must
	 * both happen within this process's lease. */
	rc = keep_lease(p, row->report_id, a);
	if (rc != 0)
		return rc;
	/* A row claimed for the first time, whose no attempt ever ended (a
	 * stopped one that may have sent the creation is counted, and says
	 * so in last_error), cannot have an asset yet; unless its report is
	 * older than a rebuild of the database that lost outbox rows, which
	 * may have been this report's, published. */
	if (row->attempts > 1 || row->last_error != NULL ||
	    row->generated_at <= rebuilt_at(p)) {
		rc = find_asset(c, type, row, org, asset, &e);
		if (rc != 0) {
			set_failure(a, &e, "looking for the asset");
			return rc;
		}
	}
	if (*asset == 0) {
		rc = itg_publish_prepare(type, org, &rep, &up, &e);
		if (rc != 0) {
			set_failure(a, &e, "creating the asset");
			return rc;
		}
		rc = create(p, c, type, row, org, &up, asset, a);
		itg_upload_free(&up);
		if (rc != 0)
			return rc;
	}
	snprintf(id, sizeof(id), "%lld", (long long)*asset);
	rc = itg_outbox_set_asset(p->store, row->report_id, a->owner, id, err,
	                          sizeof(err));
	return rc != 0 ? store_failed(a, rc, err) : 0;
}

/* The type of INSTANCE: known to the drain, or looked up (or created) by
 * the first lane that needs it while the others wait for it. */
static const struct itg_publish_type *ensure_type(struct drain *d,
                                                  struct itg_client *c,
                                                  int64_t instance,
                                                  struct attempt *a)
{
	struct itg_api_error e;
	struct known_type *k;

	os_mutex_lock(&d->lock);
	for (k = d->types; k != NULL && k->instance != instance; k = k->next)
		;
	if (k == NULL) {
		k = calloc(1, sizeof(*k));
		if (k == NULL) {
			a->outcome = ITG_ATTEMPT_RETRYABLE;
			snprintf(a->error, sizeof(a->error), "out of memory");
		} else if (itg_publish_type_ensure(c, ITG_PUBLISH_TYPE_NAME,
		                                   &k->type, &e) != 0) {
			set_failure(a, &e, "the flexible asset type");
			itg_publish_type_clear(&k->type);
			free(k);
			k = NULL;
		} else {
			k->instance = instance;
			k->next = d->types;
			d->types = k;
		}
	}
	os_mutex_unlock(&d->lock);
	return k != NULL ? &k->type : NULL;
}

/* One attempt at ROW; *asset is its asset on success. */
static void publish_row(struct itg_plugin *p, struct itg_job_ctx *ctx,
                        const struct itg_outbox_row *row, struct drain *d,
                        int64_t *asset, struct attempt *a)
{
	const struct itg_publish_type *type;
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
	} else if ((type = ensure_type(d, c, inst.id, a)) != NULL) {
		*asset = row->asset_id != NULL
		                 ? strtoll(row->asset_id, NULL, 10)
		                 : 0;
		if ((*asset != 0 ||
		     find_or_create(p, c, type, row, org, asset, a) == 0) &&
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
	struct itg_group_mapping m;
	char ref[32], err[64];

	snprintf(instance, isize, "%lld", (long long)row->instance_id);
	snprintf(group, gsize, "%lld", (long long)row->group_id);
	snprintf(org, osize, "%s", row->organization_id);
	snprintf(ref, sizeof(ref), "%lld", (long long)row->instance_id);
	if (itg_instances_find(p->store, ref, &inst, err, sizeof(err)) == 0) {
		itg_text_copy(instance, isize, inst.name);
		itg_instance_clear(&inst);
	}
	if (itg_host_groups(p, &groups) == XDR_OK) {
		const struct itg_group *g =
		        itg_groups_by_id(&groups, row->group_id);

		if (g != NULL)
			itg_text_copy(group, gsize, g->name);
		itg_groups_clear(&groups);
	}
	if (itg_group_mapping_get(p->store, row->instance_id, row->group_id,
	                          &m) == 0) {
		if (m.organization_name != NULL && m.organization_id != NULL &&
		    strcmp(m.organization_id, row->organization_id) == 0)
			itg_text_copy(org, osize, m.organization_name);
		itg_group_mapping_clear(&m);
	}
}

static void announce(struct itg_plugin *p, const struct itg_outbox_row *row,
                     bool done, int64_t asset, const char *reason,
                     unsigned int attempts)
{
	/* Longer than an event's value, which then says it was cut. */
	char instance[ITG_EVENT_VALUE_MAX + 8], group[ITG_EVENT_VALUE_MAX + 8],
	        org[ITG_EVENT_VALUE_MAX + 8], id[32], asset_s[32], tries[16];

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

/* Give a row back undecided, due now: this attempt not counted, unless it
 * may have created the asset, which the next attempt must then look for. */
static void release(struct itg_plugin *p, const struct itg_outbox_row *row,
                    const struct attempt *a)
{
	struct itg_outbox_decision d = {ITG_OUTBOX_PENDING, 0, false, false};
	char err[ERR_MAX];

	if (itg_outbox_finish(p->store, row->report_id, a->owner, &d,
	                      a->create_sent ? row->attempts
	                                     : row->attempts - 1,
	                      a->create_sent ? "stopped after sending the asset"
	                                     : row->last_error,
	                      (int64_t)time(NULL), err, sizeof(err)) != 0)
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

	if (itg_outbox_finish(p->store, row->report_id, a->owner, &d,
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

/* Claim and publish rows until none is due or the worker stops. */
static void drain_rows(struct lane *l)
{
	struct drain *d = l->d;
	struct itg_plugin *p = d->p;
	char err[ERR_MAX];

	while (!itg_job_should_stop(d->ctx)) {
		struct itg_outbox_row row;
		struct attempt a = {.owner = l->owner};
		int64_t asset = 0, now = (int64_t)time(NULL);
		int rc = itg_outbox_claim(p->store, l->owner, now,
		                          ITG_OUTBOX_LEASE_S, &row, err,
		                          sizeof(err));
		size_t handled;

		if (rc <= 0) {
			if (rc < 0)
				itg_log(p, XDR_LOG_ERROR, "outbox: %s", err);
			break;
		}
		publish_row(p, d->ctx, &row, d, &asset, &a);
		if (a.lost) {
			itg_log(p, XDR_LOG_WARNING, "outbox: %s", a.error);
		} else if (itg_job_should_stop(d->ctx) &&
		           a.outcome != ITG_ATTEMPT_SUCCESS) {
			/* Stopping: the row is due again at once, for whichever
			 * process runs next. */
			release(p, &row, &a);
			itg_outbox_row_clear(&row);
			break;
		} else {
			end_attempt(p, &d->policy, &row, &a, asset);
		}
		itg_outbox_row_clear(&row);
		os_mutex_lock(&d->lock);
		handled = ++d->handled;
		os_mutex_unlock(&d->lock);
		itg_job_progress(d->ctx, handled, 0);
	}
}

static void *lane_main(void *arg)
{
	drain_rows(arg);
	return NULL;
}

/*
 * No lane of this process holds a row between two drains: a row still
 * claimed by one is an attempt whose end could not be written (a full disk,
 * say). It is due again, and stays counted, so that its next attempt looks
 * for the asset it may have made.
 */
static void recover_own(struct itg_plugin *p)
{
	char err[ERR_MAX];

	if (itg_outbox_recover(p->store, p->owner, err, sizeof(err)) != 0)
		itg_log(p, XDR_LOG_WARNING, "outbox: %s", err);
}

size_t itg_publish_drain(struct itg_plugin *p, struct itg_job_ctx *ctx)
{
	struct drain d = {
	        .p = p, .ctx = ctx, .policy = ITG_OUTBOX_POLICY_DEFAULT};
	struct lane lanes[LANES];
	os_thread threads[LANES];
	size_t started = 0;
	int64_t hours = itg_config_int(p, ITG_CONFIG_PUBLISH_AGE_HOURS, 0);

	d.policy.max_attempts = (unsigned int)itg_config_int(
	        p, ITG_CONFIG_PUBLISH_ATTEMPTS, d.policy.max_attempts);
	if (hours > 0)
		d.policy.max_age_s = hours * 3600;
	if (os_mutex_init(&d.lock) != 0) {
		itg_log(p, XDR_LOG_ERROR, "outbox: cannot start the drain");
		return 0;
	}
	recover_own(p);
	for (size_t i = 0; i < LANES; i++) {
		lanes[i].d = &d;
		snprintf(lanes[i].owner, sizeof(lanes[i].owner), "%s:%zu",
		         p->owner, i);
	}
	/* Lanes 1.. on threads of their own (fewer when none can start),
	 * lane 0 on the worker. */
	for (size_t i = 1; i < LANES; i++)
		if (os_thread_start(&threads[started], lane_main, &lanes[i]) ==
		    0)
			started++;
	drain_rows(&lanes[0]);
	for (size_t i = 0; i < started; i++)
		os_thread_join(threads[i]);
	while (d.types != NULL) {
		struct known_type *next = d.types->next;

		itg_publish_type_clear(&d.types->type);
		free(d.types);
		d.types = next;
	}
	os_mutex_destroy(&d.lock);
	return d.handled;
}
