/*
 * automap.c - the auto-map job: gather what the rules need, run them
 * (mapper.c), write the outcome (automap_apply.c); the action "automap" and
 * the schedule that starts it every few hours.
 *
 * A run is per instance: its groups (or some of them), their systems, what
 * IT Glue holds for them. It changes nothing when any read fails: auto
 * mappings follow the data, so the rules only ever see complete data. With
 * dry_run it computes and answers what it would do, and writes nothing.
 */
#include <config.h>

#include "automap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "admin.h"
#include "compat/os.h"
#include "automap_apply.h"
#include "automap_data.h"
#include "automap_sync.h"
#include "config_keys.h"
#include "host_groups.h"
#include "host_systems.h"
#include "instance_client.h"
#include "instance_store.h"
#include "jobs.h"
#include "json_util.h"
#include "log.h"
#include "mapper.h"
#include "mapping_store.h"

#define ERR_MAX 512

/* Everything one instance's run holds; freed by run_clear(). */
struct run {
	struct itg_plugin *p;
	struct itg_job_ctx *ctx;
	struct itg_instance inst;
	struct itg_groups groups;   /* the run's groups */
	struct itg_systems systems; /* their systems */
	struct itg_mapping_set before;
	struct itg_automap_data data;
	struct itg_automap_sync sync; /* how configurations are read */
	struct itg_map_group *map_groups;
	struct itg_map_contact *contacts;
	struct itg_map_link *group_links, *system_links, *group_orgs;
	struct itg_map_exclusion *group_excl, *system_excl;
	size_t n_group_excl, n_system_excl, n_group_orgs;
	struct itg_map_system *map_systems;
	struct itg_group_map group_map;
	struct itg_system_map system_map;
	char **msp, **pub, **not_pub;
	char *msp_s, *pub_s, *not_pub_s;
	size_t n_msp, n_pub, n_not_pub;
	struct itg_client_stats stats;
	char err[ERR_MAX];
};

static void run_clear(struct run *r)
{
	itg_instance_clear(&r->inst);
	itg_groups_clear(&r->groups);
	itg_systems_clear(&r->systems);
	itg_mapping_set_clear(&r->before);
	/* The sync first: rows it may still be writing point into data. */
	itg_automap_sync_clear(&r->sync);
	itg_automap_data_clear(&r->data);
	itg_group_map_clear(&r->group_map);
	itg_system_map_clear(&r->system_map);
	free(r->map_groups);
	free(r->group_links);
	free(r->system_links);
	free(r->group_orgs);
	free(r->group_excl);
	free(r->system_excl);
	free(r->map_systems);
	free(r->msp);
	free(r->pub);
	free(r->not_pub);
	free(r->msp_s);
	free(r->pub_s);
	free(r->not_pub_s);
}

static bool in_ids(struct json_object *ids, int64_t id)
{
	for (size_t i = 0; ids != NULL && i < json_object_array_length(ids);
	     i++) {
		if (json_object_get_int64(json_object_array_get_idx(ids, i)) ==
		    id)
			return true;
	}
	return false;
}

/* The run's groups: those the instance serves, or ONLY of them. */
static int load_groups(struct run *r, struct json_object *only)
{
	struct itg_groups all;
	size_t kept = 0;
	int rc = itg_host_groups(r->p, &all);

	if (rc != XDR_OK)
		return rc;
	for (size_t i = 0; i < all.n; i++) {
		bool served = false;

		for (size_t k = 0; k < r->inst.n_groups; k++)
			served = served || r->inst.groups[k] == all.items[i].id;
		if (served && (only == NULL || in_ids(only, all.items[i].id)))
			all.items[kept++] = all.items[i];
		else {
			free(all.items[i].name);
			free(all.items[i].email);
		}
	}
	all.n = kept;
	r->groups = all;
	return XDR_OK;
}

static int load_systems(struct run *r)
{
	struct itg_systems all;
	size_t kept = 0;
	int rc = itg_host_systems(r->p, 0, &all);

	if (rc != XDR_OK)
		return rc;
	for (size_t i = 0; i < all.n; i++) {
		if (itg_groups_by_id(&r->groups, all.items[i].group_id) !=
		    NULL) {
			all.items[kept++] = all.items[i];
		} else {
			/* Dropped: free its strings, not the array. */
			for (size_t m = 0; m < all.items[i].n_macs; m++)
				free(all.items[i].macs[m]);
			free(all.items[i].macs);
			free(all.items[i].name);
		}
	}
	all.n = kept;
	r->systems = all;
	return XDR_OK;
}

/* The mapper's inputs for the groups. */
static int group_inputs(struct run *r, struct itg_group_map_input *in,
                        bool reset)
{
	const struct itg_mapping_set *b = &r->before;
	int rc;

	r->map_groups = calloc(r->groups.n + 1, sizeof(*r->map_groups));
	r->group_links = calloc(b->n_groups + 1, sizeof(*r->group_links));
	r->group_excl = calloc(b->n_exclusions + 1, sizeof(*r->group_excl));
	if (!r->map_groups || !r->group_links || !r->group_excl)
		return XDR_ENOMEM;
	for (size_t i = 0; i < r->groups.n; i++) {
		r->map_groups[i].id = r->groups.items[i].id;
		r->map_groups[i].name = r->groups.items[i].name;
		r->map_groups[i].email = r->groups.items[i].email;
	}
	for (size_t i = 0; i < b->n_groups; i++) {
		r->group_links[i].host_id = b->groups[i].group_id;
		r->group_links[i].itg_id = b->groups[i].organization_id;
		r->group_links[i].manual = b->groups[i].manual;
	}
	for (size_t i = 0; !reset && i < b->n_exclusions; i++) {
		if (b->exclusions[i].kind != ITG_MAP_GROUP)
			continue;
		r->group_excl[r->n_group_excl].host_id =
		        b->exclusions[i].host_id;
		r->group_excl[r->n_group_excl++].itg_id =
		        b->exclusions[i].itg_id;
	}
	rc = itg_config_list(r->p, ITG_CONFIG_MSP_DOMAINS, &r->msp, &r->n_msp,
	                     &r->msp_s);
	if (rc == 0)
		rc = itg_config_list(r->p, ITG_CONFIG_PUBLIC_DOMAINS, &r->pub,
		                     &r->n_pub, &r->pub_s);
	if (rc == 0)
		rc = itg_config_list(r->p, ITG_CONFIG_NOT_PUBLIC_DOMAINS,
		                     &r->not_pub, &r->n_not_pub, &r->not_pub_s);
	if (rc == XDR_ERROR)
		snprintf(r->err, sizeof(r->err),
		         "cannot read the domain settings");
	if (rc != 0)
		return rc;
	memset(in, 0, sizeof(*in));
	in->groups = r->map_groups;
	in->n_groups = r->groups.n;
	in->contacts = r->data.contacts;
	in->n_contacts = r->data.n_contacts;
	in->existing = r->group_links;
	in->n_existing = b->n_groups;
	in->exclusions = r->group_excl;
	in->n_exclusions = r->n_group_excl;
	in->rules.msp_domains = (const char *const *)r->msp;
	in->rules.n_msp_domains = r->n_msp;
	in->rules.public_domains.extra = (const char *const *)r->pub;
	in->rules.public_domains.n_extra = r->n_pub;
	in->rules.public_domains.not_public = (const char *const *)r->not_pub;
	in->rules.public_domains.n_not_public = r->n_not_pub;
	return 0;
}

/* The organizations of the mapped groups, once each. */
static int group_orgs(struct run *r, const char ***orgs, size_t *n)
{
	const struct itg_group_map *gm = &r->group_map;

	*n = 0;
	r->group_orgs = calloc(gm->n + 1, sizeof(*r->group_orgs));
	*orgs = calloc(gm->n + 1, sizeof(**orgs));
	if (r->group_orgs == NULL || *orgs == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < gm->n; i++) {
		const char *org = gm->results[i].organization_id;
		bool seen = false;

		if (org == NULL)
			continue;
		r->group_orgs[r->n_group_orgs].host_id =
		        gm->results[i].group_id;
		r->group_orgs[r->n_group_orgs++].itg_id = org;
		for (size_t k = 0; k < *n; k++)
			seen = seen || strcmp((*orgs)[k], org) == 0;
		if (!seen)
			(*orgs)[(*n)++] = org;
	}
	return 0;
}

static int system_inputs(struct run *r, struct itg_system_map_input *in,
                         bool reset)
{
	const struct itg_mapping_set *b = &r->before;

	r->map_systems = calloc(r->systems.n + 1, sizeof(*r->map_systems));
	r->system_links = calloc(b->n_systems + 1, sizeof(*r->system_links));
	r->system_excl = calloc(b->n_exclusions + 1, sizeof(*r->system_excl));
	if (!r->map_systems || !r->system_links || !r->system_excl)
		return XDR_ENOMEM;
	for (size_t i = 0; i < r->systems.n; i++) {
		const struct itg_system *s = &r->systems.items[i];

		r->map_systems[i].id = s->id;
		r->map_systems[i].name = s->name;
		r->map_systems[i].group_id = s->group_id;
		r->map_systems[i].sensor = s->sensor;
		r->map_systems[i].macs = (const char *const *)s->macs;
		r->map_systems[i].n_macs = s->n_macs;
	}
	for (size_t i = 0; i < b->n_systems; i++) {
		r->system_links[i].host_id = b->systems[i].system_id;
		r->system_links[i].itg_id = b->systems[i].configuration_id;
		r->system_links[i].manual = b->systems[i].manual;
	}
	for (size_t i = 0; !reset && i < b->n_exclusions; i++) {
		if (b->exclusions[i].kind != ITG_MAP_SYSTEM)
			continue;
		r->system_excl[r->n_system_excl].host_id =
		        b->exclusions[i].host_id;
		r->system_excl[r->n_system_excl++].itg_id =
		        b->exclusions[i].itg_id;
	}
	memset(in, 0, sizeof(*in));
	in->systems = r->map_systems;
	in->n_systems = r->systems.n;
	in->configs = r->data.configs;
	in->n_configs = r->data.n_configs;
	in->group_orgs = r->group_orgs;
	in->n_group_orgs = r->n_group_orgs;
	in->existing = r->system_links;
	in->n_existing = b->n_systems;
	in->exclusions = r->system_excl;
	in->n_exclusions = r->n_system_excl;
	return 0;
}

/* Read, then run the rules; nothing is written. */
/*
 * Work of a run done on a thread of its own while the run goes on: reading
 * the host's systems while IT Glue is read (they are needed only once the
 * configurations are in), and writing what was read while the systems are
 * mapped. Without a thread, the work is done at once.
 */
struct side_task {
	struct run *r;
	int (*fn)(struct run *r);
	os_thread thread;
	bool started;
	int rc;
};

static void *side_main(void *arg)
{
	struct side_task *t = arg;

	t->rc = t->fn(t->r);
	return NULL;
}

static void side_start(struct side_task *t, struct run *r,
                       int (*fn)(struct run *r))
{
	t->r = r;
	t->fn = fn;
	t->rc = 0;
	t->started = os_thread_start(&t->thread, side_main, t) == 0;
	if (!t->started)
		t->rc = fn(r);
}

/* Its status, once it is done. */
static int side_join(struct side_task *t)
{
	if (t->started)
		os_thread_join(t->thread);
	t->started = false;
	return t->rc;
}

/* The configurations, contacts and organizations read, and their marks,
 * into the cache (automap_sync.h): once the reads are complete, whatever
 * the mapping then does; the rules run on the whole cache at every run, so
 * it never needs the mappings to be written first. A cache that cannot be
 * written only makes the next run read from the old marks again. */
static int save_reads(struct run *r)
{
	char err[ERR_MAX];

	if (itg_automap_sync_save(&r->sync, &r->data, err, sizeof(err)) != 0)
		itg_log(r->p, XDR_LOG_WARNING,
		        "auto-map of \"%s\": %s; the next run reads them again",
		        r->inst.name, err);
	return 0;
}

static int compute(struct run *r, struct json_object *params)
{
	struct side_task systems = {0}, save = {0};
	struct itg_group_map_input gin;
	struct itg_system_map_input sin;
	struct itg_client *client = NULL;
	struct itg_api_error e;
	struct json_object *only = NULL, *reset_v = NULL;
	const char **orgs = NULL;
	size_t n_orgs = 0;
	bool reset;
	int rc;

	json_object_object_get_ex(params, "groups", &only);
	json_object_object_get_ex(params, "reset_exclusions", &reset_v);
	reset = json_object_get_boolean(reset_v);
	rc = load_groups(r, only);
	if (rc == 0)
		side_start(&systems, r, load_systems);
	if (rc == 0)
		rc = itg_mappings_load(r->p->store, r->inst.id, &r->before,
		                       r->err, sizeof(r->err));
	if (rc == 0)
		rc = itg_automap_sync_begin(&r->sync, r->p, &r->inst, params,
		                            r->err, sizeof(r->err));
	if (rc == 0)
		rc = itg_instance_client(r->p, &r->inst, NULL, r->ctx, NULL,
		                         &client, r->err, sizeof(r->err));
	itg_job_progress(r->ctx, 1, 4);
	if (rc == 0) {
		rc = itg_automap_directory_read(&r->sync, client, &r->data, &e,
		                                r->err, sizeof(r->err));
		if (rc != 0 && r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err),
			         "cannot read contacts and organizations: %s",
			         e.message);
	}
	if (rc == 0)
		rc = group_inputs(r, &gin, reset);
	if (rc == 0)
		rc = itg_map_groups(&gin, &r->group_map, r->err,
		                    sizeof(r->err));
	if (rc == 0)
		rc = group_orgs(r, &orgs, &n_orgs);
	itg_job_progress(r->ctx, 2, 4);
	if (rc == 0 && n_orgs > 0) {
		rc = itg_automap_sync_read(&r->sync, client, orgs, n_orgs,
		                           &r->data, &e, r->err,
		                           sizeof(r->err));
		if (rc != 0 && r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err),
			         "cannot read configurations: %s", e.message);
	}
	free(orgs);
	if (rc == 0 && n_orgs > 0)
		side_start(&save, r, save_reads);
	/* Always joined, whatever failed meanwhile. */
	int loaded = side_join(&systems);

	if (rc == 0)
		rc = loaded;
	if (rc == 0)
		rc = system_inputs(r, &sin, reset);
	if (rc == 0)
		rc = itg_map_systems(&sin, &r->system_map, r->err,
		                     sizeof(r->err));
	side_join(&save);
	itg_job_progress(r->ctx, 3, 4);
	if (client != NULL)
		itg_client_stats(client, &r->stats);
	itg_client_free(client);
	if (rc != 0 && r->err[0] == '\0')
		snprintf(r->err, sizeof(r->err), "%s",
		         rc == XDR_ENOMEM ? "out of memory"
		                          : "cannot read the host's groups");
	return rc;
}

static void count(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v))
		json_object_int_inc(v, 1);
	else
		json_object_object_add(o, key, json_object_new_int(1));
}

/* One line per group and system, for a dry run's answer. */
static struct json_object *details(const struct run *r)
{
	struct json_object *list = json_object_new_array();

	for (size_t i = 0; i < r->group_map.n; i++) {
		const struct itg_group_result *g = &r->group_map.results[i];
		const struct itg_group *hg =
		        itg_groups_by_id(&r->groups, g->group_id);
		struct json_object *o = json_object_new_object();
		char cand[512];

		itg_map_candidates_text(g->candidates, g->n_candidates, cand,
		                        sizeof(cand));
		itg_json_add(o, "group", json_object_new_string(hg->name));
		itg_json_add(o, "outcome",
		             json_object_new_string(
		                     itg_group_outcome_name(g->outcome)));
		if (g->organization_id != NULL)
			itg_json_add(
			        o, "organization_id",
			        json_object_new_string(g->organization_id));
		if (g->outcome == ITG_GROUP_FAILED)
			itg_json_add(o, "reason",
			             json_object_new_string(
			                     itg_group_reason_text(g->reason)));
		if (cand[0] != '\0')
			itg_json_add(o, "candidates",
			             json_object_new_string(cand));
		json_object_array_add(list, o);
	}
	for (size_t i = 0; i < r->system_map.n; i++) {
		const struct itg_system_result *s = &r->system_map.results[i];
		const struct itg_system *hs =
		        itg_systems_by_id(&r->systems, s->system_id);
		struct json_object *o = json_object_new_object();
		char cand[512];

		itg_map_candidates_text(s->candidates, s->n_candidates, cand,
		                        sizeof(cand));
		itg_json_add(o, "system", json_object_new_string(hs->name));
		itg_json_add(o, "outcome",
		             json_object_new_string(
		                     itg_system_outcome_name(s->outcome)));
		if (s->configuration_id != NULL)
			itg_json_add(
			        o, "configuration_id",
			        json_object_new_string(s->configuration_id));
		if (s->reason != ITG_SYSTEM_REASON_NONE)
			itg_json_add(
			        o, "reason",
			        json_object_new_string(
			                itg_system_reason_text(s->reason)));
		if (cand[0] != '\0')
			itg_json_add(o, "candidates",
			             json_object_new_string(cand));
		json_object_array_add(list, o);
	}
	return list;
}

static struct json_object *summary(const struct run *r, bool dry_run,
                                   const struct itg_automap_counts *counts)
{
	struct json_object *o = json_object_new_object();
	struct json_object *groups = json_object_new_object();
	struct json_object *systems = json_object_new_object();

	for (size_t i = 0; i < r->group_map.n; i++)
		count(groups,
		      itg_group_outcome_name(r->group_map.results[i].outcome));
	for (size_t i = 0; i < r->system_map.n; i++)
		count(systems, itg_system_outcome_name(
		                       r->system_map.results[i].outcome));
	itg_json_add(o, "instance", json_object_new_string(r->inst.name));
	itg_json_add(o, "dry_run", json_object_new_boolean(dry_run));
	itg_json_add(o, "groups", groups);
	itg_json_add(o, "systems", systems);
	itg_json_add(o, "requests",
	             json_object_new_int64((int64_t)r->stats.requests));
	itg_json_add(o, "configurations", itg_automap_sync_json(&r->sync));
	itg_json_add(o, "contacts_and_organizations",
	             itg_automap_directory_json(&r->sync.dir));
	if (dry_run) {
		itg_json_add(o, "details", details(r));
	} else {
		itg_json_add(o, "changes",
		             json_object_new_int64((int64_t)counts->changes));
		itg_json_add(o, "events",
		             json_object_new_int64((int64_t)counts->events));
		itg_json_add(o, "stale",
		             json_object_new_int64((int64_t)counts->stale));
	}
	return o;
}

/* Forget what compute() gathered, keeping the instance, to compute again. */
static void run_restart(struct run *r)
{
	struct run fresh = {.p = r->p, .ctx = r->ctx, .inst = r->inst};

	memset(&r->inst, 0, sizeof(r->inst));
	run_clear(r);
	*r = fresh;
}

/* Compute, then (unless a dry run) apply. */
static int compute_and_apply(struct run *r, struct json_object *params,
                             bool dry_run, struct itg_automap_counts *counts)
{
	struct json_object *reset_v = NULL;
	int rc = compute(r, params);

	json_object_object_get_ex(params, "reset_exclusions", &reset_v);
	if (rc == 0 && !dry_run) {
		struct itg_automap_run run = {
		        .inst = &r->inst,
		        .groups = &r->groups,
		        .systems = &r->systems,
		        .before = &r->before,
		        .data = &r->data,
		        .group_map = &r->group_map,
		        .system_map = &r->system_map,
		        .reset_exclusions = json_object_get_boolean(reset_v),
		        .now = (int64_t)time(NULL),
		};

		rc = itg_automap_apply(r->p, &run, counts, r->err,
		                       sizeof(r->err));
	}
	return rc;
}

/* Runs of one instance, at most: a run whose mappings were changed by hand
 * while it read IT Glue is computed again (itg_automap_apply: XDR_EBUSY). */
#define RUN_ATTEMPTS 2

/* One instance: compute, then (unless a dry run) apply. */
static struct json_object *run_instance(struct itg_plugin *p,
                                        struct itg_job_ctx *ctx, int64_t id,
                                        struct json_object *params, bool *ok)
{
	struct run r;
	struct itg_automap_counts counts = {0};
	struct json_object *dry_v = NULL, *out;
	char ref[32];
	bool dry_run;
	int rc;

	memset(&r, 0, sizeof(r));
	r.p = p;
	r.ctx = ctx;
	json_object_object_get_ex(params, "dry_run", &dry_v);
	dry_run = json_object_get_boolean(dry_v);
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	rc = itg_instances_find(p->store, ref, &r.inst, r.err, sizeof(r.err));
	for (int attempt = 1; rc == 0; attempt++) {
		rc = compute_and_apply(&r, params, dry_run, &counts);
		if (rc != XDR_EBUSY || attempt == RUN_ATTEMPTS)
			break;
		itg_log(p, XDR_LOG_INFO,
		        "auto-map of \"%s\": %s; running again", r.inst.name,
		        r.err);
		run_restart(&r);
		rc = 0;
	}
	itg_job_progress(ctx, 4, 4);
	if (rc == 0) {
		out = summary(&r, dry_run, &counts);
		itg_log(p, XDR_LOG_INFO,
		        "auto-map of \"%s\"%s: %zu group(s), %zu system(s), "
		        "%zu change(s), %zu event(s), %llu request(s)",
		        r.inst.name, dry_run ? " (dry run)" : "", r.group_map.n,
		        r.system_map.n, counts.changes, counts.events,
		        (unsigned long long)r.stats.requests);
	} else {
		out = json_object_new_object();
		itg_json_add(out, "instance",
		             json_object_new_string(r.inst.name ? r.inst.name
		                                                : ref));
		itg_json_add(out, "detail", json_object_new_string(r.err));
		itg_log(p, XDR_LOG_WARNING,
		        "auto-map of \"%s\" failed, nothing changed: %s",
		        r.inst.name ? r.inst.name : ref, r.err);
		*ok = false;
	}
	run_clear(&r);
	return out;
}

static int automap_task(struct itg_plugin *p, struct itg_job_ctx *ctx,
                        struct json_object *params, struct json_object **result)
{
	struct json_object *ids = NULL, *list = json_object_new_array();
	bool ok = true;

	json_object_object_get_ex(params, "instances", &ids);
	for (size_t i = 0;
	     i < json_object_array_length(ids) && !itg_job_should_stop(ctx);
	     i++) {
		int64_t id = json_object_get_int64(
		        json_object_array_get_idx(ids, i));

		json_object_array_add(list,
		                      run_instance(p, ctx, id, params, &ok));
	}
	*result = json_object_new_object();
	itg_json_add(*result, "runs", list);
	if (!ok) {
		struct json_object *detail = NULL;

		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *d = NULL;

			if (json_object_object_get_ex(
			            json_object_array_get_idx(list, i),
			            "detail", &d)) {
				detail = d;
				break;
			}
		}
		if (detail != NULL)
			itg_json_add(*result, "detail",
			             json_object_get(detail));
	}
	return ok ? 0 : XDR_ERROR;
}

/* The ids of GROUPS (names or ids), each served by INST, as a new array. */
static int resolve_groups(struct itg_plugin *p, const struct itg_instance *inst,
                          struct json_object *groups, struct json_object **out,
                          struct json_object **response)
{
	struct itg_groups all;
	int rc = itg_host_groups(p, &all);

	if (rc != XDR_OK) {
		*response = itg_admin_error(ITG_ADMIN_INTERNAL,
		                            "cannot read the host's groups");
		return rc;
	}
	*out = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(groups); i++) {
		struct json_object *v = json_object_array_get_idx(groups, i);
		const struct itg_group *g =
		        json_object_is_type(v, json_type_int)
		                ? itg_groups_by_id(&all,
		                                   json_object_get_int64(v))
		        : json_object_is_type(v, json_type_string)
		                ? itg_groups_by_name(&all,
		                                     json_object_get_string(v))
		                : NULL;
		bool served = false;

		for (size_t k = 0; g != NULL && k < inst->n_groups; k++)
			served = served || inst->groups[k] == g->id;
		if (g == NULL || !served) {
			*response = itg_admin_error(
			        g == NULL ? ITG_ADMIN_NOT_FOUND
			                  : ITG_ADMIN_BAD_REQUEST,
			        "groups[%zu]: %s %s", i,
			        json_object_to_json_string(v),
			        g == NULL ? "is no Open XDR group"
			                  : "is not served by the instance");
			json_object_put(*out);
			*out = NULL;
			itg_groups_clear(&all);
			return g == NULL ? XDR_ENOTFOUND : XDR_EINVAL;
		}
		json_object_array_add(*out, json_object_new_int64(g->id));
	}
	itg_groups_clear(&all);
	return XDR_OK;
}

static bool bool_member(struct json_object *request, const char *key,
                        struct json_object **out)
{
	*out = NULL;
	if (!json_object_object_get_ex(request, key, out))
		return true;
	return json_object_is_type(*out, json_type_boolean);
}

int itg_admin_automap(struct itg_plugin *p, struct json_object *request,
                      struct json_object **response)
{
	struct json_object *params = json_object_new_object();
	struct json_object *ids = json_object_new_array();
	struct json_object *dry, *reset, *full, *groups = NULL,
	                                        *resolved = NULL;
	struct itg_instance inst = {0};
	int rc = XDR_OK;

	json_object_object_foreach(request, key, val)
	{
		(void)val;
		if (strcmp(key, "instance") && strcmp(key, "groups") &&
		    strcmp(key, "dry_run") && strcmp(key, "reset_exclusions") &&
		    strcmp(key, "full")) {
			*response = itg_admin_error(
			        ITG_ADMIN_BAD_REQUEST,
			        "unknown member \"%s\"; automap takes "
			        "instance, groups, dry_run, reset_exclusions "
			        "and full",
			        key);
			rc = XDR_EINVAL;
			break;
		}
	}
	if (rc == XDR_OK &&
	    (!bool_member(request, "dry_run", &dry) ||
	     !bool_member(request, "reset_exclusions", &reset) ||
	     !bool_member(request, "full", &full))) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "dry_run, reset_exclusions and full "
		                        "are true or false");
		rc = XDR_EINVAL;
	}
	if (rc == XDR_OK &&
	    json_object_object_get_ex(request, "groups", &groups) &&
	    (!json_object_is_type(groups, json_type_array) ||
	     !json_object_object_get_ex(request, "instance", NULL))) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "\"groups\" is a list of group names "
		                        "or ids, and needs \"instance\"");
		rc = XDR_EINVAL;
	}
	if (rc == XDR_OK &&
	    json_object_object_get_ex(request, "instance", NULL)) {
		rc = itg_admin_instance_ref(p, request, &inst, response);
		if (rc == XDR_OK && groups != NULL)
			rc = resolve_groups(p, &inst, groups, &resolved,
			                    response);
		if (rc == XDR_OK)
			json_object_array_add(ids,
			                      json_object_new_int64(inst.id));
		/* Zeroed before, so cleared whether it was read or not. */
		itg_instance_clear(&inst);
	} else if (rc == XDR_OK) {
		struct itg_instance *list = NULL;
		size_t n = 0;
		char err[ERR_MAX];

		rc = itg_instances_list(p->store, &list, &n, err, sizeof(err));
		for (size_t i = 0; rc == XDR_OK && i < n; i++) {
			if (list[i].n_groups > 0)
				json_object_array_add(
				        ids, json_object_new_int64(list[i].id));
		}
		itg_instances_free(list, n);
		if (rc != XDR_OK)
			*response =
			        itg_admin_error(ITG_ADMIN_INTERNAL, "%s", err);
	}
	if (rc == XDR_OK && json_object_array_length(ids) == 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                            "no instance serves any group: add "
		                            "groups with instance.groups");
		rc = XDR_EINVAL;
	}
	if (rc != XDR_OK) {
		json_object_put(params);
		json_object_put(ids);
		json_object_put(resolved);
		return rc;
	}
	itg_json_add(params, "instances", ids);
	if (resolved != NULL)
		itg_json_add(params, "groups", resolved);
	itg_json_add(params, "dry_run",
	             json_object_new_boolean(json_object_get_boolean(dry)));
	itg_json_add(params, "reset_exclusions",
	             json_object_new_boolean(json_object_get_boolean(reset)));
	itg_json_add(params, "full",
	             json_object_new_boolean(json_object_get_boolean(full)));
	return itg_jobs_start_answer(p, "auto-map", automap_task, params,
	                             response);
}

void itg_automap_tick(struct itg_plugin *p, int64_t now)
{
	int64_t hours = itg_config_int(p, ITG_CONFIG_AUTOMAP_HOURS,
	                               ITG_AUTOMAP_HOURS_DEFAULT);
	struct itg_instance *list = NULL;
	char err[ERR_MAX];
	size_t n = 0;

	if (hours <= 0 ||
	    itg_instances_list(p->store, &list, &n, err, sizeof(err)) != 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct json_object *params, *ids;
		int64_t last = 0, job = 0;

		if (list[i].n_groups == 0 ||
		    itg_schedule_last(p->store, list[i].id, &last) != 0 ||
		    (last != 0 && now - last < hours * 3600))
			continue;
		params = json_object_new_object();
		ids = json_object_new_array();
		json_object_array_add(ids, json_object_new_int64(list[i].id));
		itg_json_add(params, "instances", ids);
		itg_json_add(params, "scheduled", json_object_new_boolean(1));
		/* Recorded once started only: a job the worker refused is
		 * tried again at the next tick, not hours later. */
		if (itg_jobs_start(p, "auto-map", automap_task, params, &job,
		                   err, sizeof(err)) != XDR_OK) {
			itg_log(p, XDR_LOG_ERROR,
			        "cannot start the scheduled auto-map of "
			        "\"%s\": "
			        "%s",
			        list[i].name, err);
			continue;
		}
		itg_log(p, XDR_LOG_INFO,
		        "scheduled auto-map of \"%s\" started (job %lld)",
		        list[i].name, (long long)job);
		if (itg_schedule_set(p->store, list[i].id, now, err,
		                     sizeof(err)) != 0)
			itg_log(p, XDR_LOG_ERROR,
			        "cannot record the scheduled auto-map of "
			        "\"%s\": %s",
			        list[i].name, err);
	}
	itg_instances_free(list, n);
}
