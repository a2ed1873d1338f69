/*
 * automap_apply.c - writing one auto-map run's results, then its events.
 */
#include <config.h>

#include "automap_apply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errbuf.h"
#include "events.h"
#include "log.h"

/* Sizes of the texts of an event: candidates and MACs are cut to fit in
 * the detail and the fingerprint. */
#define CAND_MAX 512
#define MACS_MAX 256
#define TEXT_MAX 1024

/* One event to emit once the transaction holds. */
struct pending {
	uint32_t id;
	char *values[6];
	size_t n;
};

struct apply {
	struct itg_plugin *p;
	const struct itg_automap_run *run;
	struct itg_automap_counts *counts;
	struct pending *events;
	size_t n_events;
	char *err;
	size_t errsize;
};

static int queue_event(struct apply *a, uint32_t id, const char *const *values,
                       size_t n)
{
	struct pending *ev;
	struct pending *list =
	        realloc(a->events, (a->n_events + 1) * sizeof(*list));

	if (list == NULL)
		return XDR_ENOMEM;
	a->events = list;
	ev = &list[a->n_events];
	memset(ev, 0, sizeof(*ev));
	ev->id = id;
	for (size_t i = 0; i < n; i++) {
		ev->values[i] = strdup(values[i] != NULL ? values[i] : "");
		if (ev->values[i] == NULL) {
			for (size_t j = 0; j < i; j++)
				free(ev->values[j]);
			return XDR_ENOMEM;
		}
	}
	ev->n = n;
	a->n_events++;
	return 0;
}

static void free_events(struct apply *a)
{
	for (size_t i = 0; i < a->n_events; i++)
		for (size_t j = 0; j < a->events[i].n; j++)
			free(a->events[i].values[j]);
	free(a->events);
}

/*
 * Remember the failure of a group or system; queue its event when it is new
 * or its fingerprint changed. EVENT 0 remembers without an event.
 */
static int failed(struct apply *a, enum itg_map_kind kind, int64_t host_id,
                  const char *reason, const char *detail,
                  const char *fingerprint, uint32_t event,
                  const char *const *values, size_t n)
{
	const struct itg_failure *before =
	        itg_mapping_set_failure(a->run->before, kind, host_id);
	struct itg_failure f = {kind, host_id, (char *)reason, (char *)detail,
	                        (char *)fingerprint};

	if (before != NULL && strcmp(before->fingerprint, fingerprint) == 0)
		return itg_failure_set(a->p->store, a->run->inst->id, &f,
		                       a->run->now, a->err, a->errsize);
	if (event != 0 && queue_event(a, event, values, n) != 0)
		return XDR_ENOMEM;
	return itg_failure_set(a->p->store, a->run->inst->id, &f, a->run->now,
	                       a->err, a->errsize);
}

static int succeeded(struct apply *a, enum itg_map_kind kind, int64_t host_id)
{
	if (itg_mapping_set_failure(a->run->before, kind, host_id) == NULL)
		return 0;
	return itg_failure_clear(a->p->store, a->run->inst->id, kind, host_id,
	                         a->err, a->errsize);
}

static const char *group_name(const struct apply *a, int64_t id)
{
	const struct itg_group *g = itg_groups_by_id(a->run->groups, id);

	return g != NULL ? g->name : "?";
}

static int apply_group(struct apply *a, const struct itg_group_result *r)
{
	const struct itg_automap_run *run = a->run;
	struct itg_store *store = a->p->store;
	char candidates[CAND_MAX], detail[TEXT_MAX], fingerprint[TEXT_MAX];
	int rc = 0;

	if (r->changed && r->previous_organization_id != NULL) {
		rc = itg_group_unmap(store, run->inst->id, r->group_id, a->err,
		                     a->errsize);
		a->counts->changes++;
	}
	if (rc == 0 && r->changed && r->outcome == ITG_GROUP_MAPPED) {
		rc = itg_group_map(
		        store, run->inst->id, r->group_id, r->organization_id,
		        itg_automap_org_name(run->data, r->organization_id),
		        false, run->now, a->err, a->errsize);
		a->counts->changes++;
	}
	if (rc != 0)
		return rc;
	if (r->outcome == ITG_GROUP_FAILED) {
		const char *values[5];

		itg_map_candidates_text(r->candidates, r->n_candidates,
		                        candidates, sizeof(candidates));
		snprintf(detail, sizeof(detail), "%s%s%s",
		         itg_group_reason_text(r->reason),
		         candidates[0] ? ": " : "", candidates);
		snprintf(fingerprint, sizeof(fingerprint), "%s|%s|%s",
		         itg_group_reason_name(r->reason), r->domain,
		         candidates);
		values[0] = run->inst->name;
		values[1] = group_name(a, r->group_id);
		values[2] = r->domain[0] != '\0' ? r->domain : "none";
		values[3] = itg_group_reason_text(r->reason);
		values[4] = candidates[0] != '\0' ? candidates : "none";
		return failed(a, ITG_MAP_GROUP, r->group_id,
		              itg_group_reason_name(r->reason), detail,
		              fingerprint, ITG_EVENT_AUTOMAP_GROUP_FAILED,
		              values, 5);
	}
	if (r->organization_id != NULL) {
		const char *name =
		        itg_automap_org_name(run->data, r->organization_id);
		bool gone = name == NULL;
		const struct itg_group_mapping *m =
		        itg_mapping_set_group(run->before, r->group_id);

		/* An organization renamed in IT Glue: the mapping says so. */
		if (!gone && !r->changed && m != NULL &&
		    (m->organization_name == NULL ||
		     strcmp(m->organization_name, name) != 0)) {
			rc = itg_group_rename(store, run->inst->id, r->group_id,
			                      r->organization_id, name, a->err,
			                      a->errsize);
			a->counts->changes++;
		}
		if (rc == 0 && (gone || (m != NULL && m->stale))) {
			rc = itg_mapping_mark_stale(store, run->inst->id,
			                            ITG_MAP_GROUP, r->group_id,
			                            gone, a->err, a->errsize);
			a->counts->stale += gone;
		}
	}
	return rc != 0 ? rc : succeeded(a, ITG_MAP_GROUP, r->group_id);
}

static const struct itg_system *system_of(const struct apply *a, int64_t id)
{
	return itg_systems_by_id(a->run->systems, id);
}

/* The MAC of a system result for messages: the one the rule looked at, or
 * every MAC the system has. */
static void mac_text(const struct itg_system_result *r,
                     const struct itg_system *s, char *buf, size_t size)
{
	char pretty[ITG_MAC_TEXT_SIZE];

	if (r->mac[0] != '\0' && itg_mac_format(r->mac, pretty) == 0) {
		snprintf(buf, size, "%s", pretty);
		return;
	}
	buf[0] = '\0';
	if (s != NULL)
		itg_map_macs_text((const char *const *)s->macs, s->n_macs, buf,
		                  size);
}

static int system_failed(struct apply *a, const struct itg_system_result *r)
{
	const struct itg_system *s = system_of(a, r->system_id);
	char candidates[CAND_MAX], detail[TEXT_MAX], fingerprint[TEXT_MAX];
	char mac[MACS_MAX], reason[64], why[256];
	const char *values[6];

	mac_text(r, s, mac, sizeof(mac));
	itg_map_candidates_text(r->candidates, r->n_candidates, candidates,
	                        sizeof(candidates));
	if (r->reason == ITG_SYSTEM_REASON_CONFIGURATION_TAKEN) {
		const struct itg_system *holder = system_of(a, r->taken_by);

		snprintf(why, sizeof(why), "%s (system %s)",
		         itg_system_reason_text(r->reason),
		         holder ? holder->name : "of another instance");
	} else {
		snprintf(why, sizeof(why), "%s",
		         itg_system_reason_text(r->reason));
	}
	snprintf(detail, sizeof(detail), "%s%s%s", why,
	         candidates[0] ? ": " : "", candidates);
	snprintf(fingerprint, sizeof(fingerprint), "%s|%s|%s|%lld",
	         itg_system_reason_name(r->reason), mac, candidates,
	         (long long)r->taken_by);
	values[0] = a->run->inst->name;
	values[1] = s != NULL ? group_name(a, s->group_id) : "?";
	values[2] = s != NULL ? s->name : "?";
	values[3] = mac;
	values[4] = why;
	values[5] = candidates[0] != '\0' ? candidates : "none";
	if (r->outcome == ITG_SYSTEM_NEEDS_MANUAL) {
		/* Listed in the mapping view, never announced. */
		snprintf(reason, sizeof(reason), "needs_manual");
		return failed(a, ITG_MAP_SYSTEM, r->system_id, reason, detail,
		              fingerprint, 0, values, 6);
	}
	return failed(a, ITG_MAP_SYSTEM, r->system_id,
	              itg_system_reason_name(r->reason), detail, fingerprint,
	              ITG_EVENT_AUTOMAP_SYSTEM_FAILED, values, 6);
}

/* Name of configuration ID among the run's candidates. */
static const char *config_name(const struct itg_system_result *r)
{
	for (size_t i = 0; i < r->n_candidates; i++) {
		if (strcmp(r->candidates[i].id, r->configuration_id) == 0)
			return r->candidates[i].name;
	}
	return NULL;
}

/* The configurations given up by the run go first, so that one moving
 * from a system to another is free when the other takes it. */
static int unmap_systems(struct apply *a)
{
	const struct itg_system_map *map = a->run->system_map;

	for (size_t i = 0; i < map->n; i++) {
		const struct itg_system_result *r = &map->results[i];
		int rc;

		if (!r->changed || r->previous_configuration_id == NULL)
			continue;
		rc = itg_system_unmap(a->p->store, a->run->inst->id,
		                      r->system_id, a->err, a->errsize);
		if (rc != 0)
			return rc;
		a->counts->changes++;
	}
	return 0;
}

static int apply_system(struct apply *a, const struct itg_system_result *r)
{
	const struct itg_automap_run *run = a->run;
	int rc = 0;

	if (r->changed && r->outcome == ITG_SYSTEM_MAPPED) {
		const struct itg_system *s = system_of(a, r->system_id);
		char mac[ITG_MAC_TEXT_SIZE] = "";
		struct itg_system_mapping m = {
		        .system_id = r->system_id,
		        .group_id = s != NULL ? s->group_id : 0,
		        .configuration_id = (char *)r->configuration_id,
		        .configuration_name = (char *)config_name(r),
		        .mac = mac,
		        .archived_match = r->archived,
		};

		itg_mac_format(r->mac, mac);
		rc = itg_system_map(a->p->store, run->inst->id, &m, run->now,
		                    a->err, a->errsize);
		a->counts->changes++;
	}
	if (rc != 0)
		return rc;
	if (r->outcome == ITG_SYSTEM_FAILED ||
	    r->outcome == ITG_SYSTEM_NEEDS_MANUAL)
		return system_failed(a, r);
	if (r->configuration_id != NULL) {
		const struct itg_system *s = system_of(a, r->system_id);
		const struct itg_system_mapping *m =
		        itg_mapping_set_system(run->before, r->system_id);
		const struct itg_group_mapping *g =
		        s != NULL ? itg_mapping_set_group(run->before,
		                                          s->group_id)
		                  : NULL;
		/* Gone: its organization's configurations were read, and it
		 * was not among them. */
		bool gone =
		        g != NULL &&
		        itg_automap_read_org(run->data, g->organization_id) &&
		        !itg_automap_has_config(run->data, r->configuration_id);

		if (gone || (m != NULL && m->stale)) {
			rc = itg_mapping_mark_stale(
			        a->p->store, run->inst->id, ITG_MAP_SYSTEM,
			        r->system_id, gone, a->err, a->errsize);
			a->counts->stale += gone;
		}
	}
	return rc != 0 ? rc : succeeded(a, ITG_MAP_SYSTEM, r->system_id);
}

/* reset_exclusions forgets the exclusions of the run's groups and systems
 * only: those of the groups a run leaves out stay. */
static int reset_exclusions(struct apply *a)
{
	const struct itg_automap_run *run = a->run;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < run->group_map->n; i++)
		rc = itg_exclusions_forget(a->p->store, run->inst->id,
		                           ITG_MAP_GROUP,
		                           run->group_map->results[i].group_id,
		                           a->err, a->errsize);
	for (size_t i = 0; rc == 0 && i < run->system_map->n; i++)
		rc = itg_exclusions_forget(
		        a->p->store, run->inst->id, ITG_MAP_SYSTEM,
		        run->system_map->results[i].system_id, a->err,
		        a->errsize);
	return rc;
}

static bool same_text(const char *a, const char *b)
{
	return a == NULL || b == NULL ? a == b : strcmp(a, b) == 0;
}

/* Do the mappings and exclusions of A and B (as itg_mappings_load orders
 * them) say the same? */
static bool same_links(const struct itg_mapping_set *a,
                       const struct itg_mapping_set *b)
{
	if (a->n_groups != b->n_groups || a->n_systems != b->n_systems ||
	    a->n_exclusions != b->n_exclusions)
		return false;
	for (size_t i = 0; i < a->n_groups; i++) {
		const struct itg_group_mapping *x = &a->groups[i];
		const struct itg_group_mapping *y = &b->groups[i];

		if (x->group_id != y->group_id || x->manual != y->manual ||
		    !same_text(x->organization_id, y->organization_id))
			return false;
	}
	for (size_t i = 0; i < a->n_systems; i++) {
		const struct itg_system_mapping *x = &a->systems[i];
		const struct itg_system_mapping *y = &b->systems[i];

		if (x->system_id != y->system_id || x->manual != y->manual ||
		    !same_text(x->configuration_id, y->configuration_id))
			return false;
	}
	for (size_t i = 0; i < a->n_exclusions; i++) {
		const struct itg_exclusion *x = &a->exclusions[i];
		const struct itg_exclusion *y = &b->exclusions[i];

		if (x->kind != y->kind || x->host_id != y->host_id ||
		    !same_text(x->itg_id, y->itg_id))
			return false;
	}
	return true;
}

/*
 * The results were computed from run->before. A manual map or unmap (or
 * another run) that changed the mappings since would be undone by writing
 * them: refuse with XDR_EBUSY instead. Called inside the transaction, so
 * nothing can change between this check and the writes.
 */
static int check_unchanged(struct apply *a)
{
	struct itg_mapping_set now;
	int rc = itg_mappings_load(a->p->store, a->run->inst->id, &now, a->err,
	                           a->errsize);

	if (rc != 0)
		return rc;
	if (!same_links(a->run->before, &now)) {
		itg_errf(a->err, a->errsize,
		         "the mappings changed while auto-map ran");
		rc = XDR_EBUSY;
	}
	itg_mapping_set_clear(&now);
	return rc;
}

static int write_all(struct apply *a)
{
	const struct itg_automap_run *run = a->run;
	int rc = check_unchanged(a);

	if (rc == 0 && run->reset_exclusions)
		rc = reset_exclusions(a);
	for (size_t i = 0; rc == 0 && i < run->group_map->n; i++)
		rc = apply_group(a, &run->group_map->results[i]);
	if (rc == 0)
		rc = unmap_systems(a);
	for (size_t i = 0; rc == 0 && i < run->system_map->n; i++)
		rc = apply_system(a, &run->system_map->results[i]);
	return rc;
}

int itg_automap_apply(struct itg_plugin *p, const struct itg_automap_run *run,
                      struct itg_automap_counts *counts, char *err,
                      size_t errsize)
{
	struct apply a = {
	        .p = p,
	        .run = run,
	        .counts = counts,
	        .err = err,
	        .errsize = errsize,
	};
	int rc;

	memset(counts, 0, sizeof(*counts));
	rc = itg_store_begin(p->store, err, errsize);
	if (rc != 0)
		return rc;
	rc = write_all(&a);
	if (rc == 0)
		rc = itg_store_commit(p->store, err, errsize);
	else
		itg_store_rollback(p->store);
	for (size_t i = 0; rc == 0 && i < a.n_events; i++) {
		if (itg_event_emit(p, a.events[i].id,
		                   (const char *const *)a.events[i].values,
		                   a.events[i].n) == XDR_OK)
			counts->events++;
	}
	free_events(&a);
	return rc;
}
