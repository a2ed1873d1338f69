/*
 * admin_mappings.c - the action "mappings": the seed's Mapping page for one
 * instance. Every group the instance serves with its organization, and
 * every system of those groups with its configuration: the source (auto or
 * manual), the state, and for failures the reason.
 *
 * States: mapped; stale (mapped, but the IT Glue record is gone); failed
 * (auto-map could not map it: reason); needs_manual (a sensor without a
 * usable MAC, such as syslog: never announced, listed here); unmapped.
 *
 * {"instance"} alone answers everything, as the CLI always had it. Any of
 * kind, group, state, q, offset, limit answers one page of one kind
 * instead (a console's long lists), its text values as one line each.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "admin_list.h"
#include "host_groups.h"
#include "host_systems.h"
#include "instance.h"
#include "json_util.h"
#include "mapping_store.h"
#include "text.h"

/* How a row's text values are added: as they are, or as one line. */
typedef int (*add_fn)(struct json_object *o, const char *key, const char *v);

static int add_str(struct json_object *o, const char *key, const char *v)
{
	if (v == NULL)
		return json_object_object_add(o, key, NULL);
	return itg_json_add(o, key, json_object_new_string(v));
}

static const char *state_of(bool mapped, bool stale,
                            const struct itg_failure *f)
{
	if (mapped)
		return stale ? "stale" : "mapped";
	if (f == NULL)
		return "unmapped";
	return strcmp(f->reason, "needs_manual") == 0 ? "needs_manual"
	                                              : "failed";
}

static const char *group_state(const struct itg_group *g,
                               const struct itg_mapping_set *set)
{
	const struct itg_group_mapping *m = itg_mapping_set_group(set, g->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_GROUP, g->id)
	                  : NULL;

	return state_of(m != NULL, m && m->stale, f);
}

static struct json_object *group_row(const struct itg_group *g,
                                     const struct itg_mapping_set *set,
                                     add_fn add)
{
	const struct itg_group_mapping *m = itg_mapping_set_group(set, g->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_GROUP, g->id)
	                  : NULL;
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "id", json_object_new_int64(g->id)) ||
	    add(o, "name", g->name) || add(o, "email", g->email) ||
	    add(o, "organization_id", m ? m->organization_id : NULL) ||
	    add(o, "organization", m ? m->organization_name : NULL) ||
	    add(o, "source", m ? (m->manual ? "manual" : "auto") : NULL) ||
	    add(o, "state", group_state(g, set)) ||
	    add(o, "reason", f ? f->detail : NULL)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* A system that auto-map has not looked at yet, but that has no MAC and
 * is no agent, needs manual mapping all the same. */
static bool needs_manual(const struct itg_system *s)
{
	return s->sensor != XDR_SENSOR_AGENT && s->n_macs == 0;
}

static const char *system_state(const struct itg_system *s,
                                const struct itg_mapping_set *set)
{
	const struct itg_system_mapping *m = itg_mapping_set_system(set, s->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_SYSTEM, s->id)
	                  : NULL;

	if (m == NULL && f == NULL && needs_manual(s))
		return "needs_manual";
	return state_of(m != NULL, m && m->stale, f);
}

static struct json_object *system_row(const struct itg_system *s,
                                      const struct itg_group *g,
                                      const struct itg_mapping_set *set,
                                      add_fn add)
{
	const struct itg_system_mapping *m = itg_mapping_set_system(set, s->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_SYSTEM, s->id)
	                  : NULL;
	const char *state = system_state(s, set);
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "id", json_object_new_int64(s->id)) ||
	    add(o, "name", s->name) || add(o, "group", g->name) ||
	    add(o, "sensor",
	        s->sensor == XDR_SENSOR_AGENT    ? "agent"
	        : s->sensor == XDR_SENSOR_SYSLOG ? "syslog"
	                                         : "other") ||
	    add(o, "configuration_id", m ? m->configuration_id : NULL) ||
	    add(o, "configuration", m ? m->configuration_name : NULL) ||
	    add(o, "source", m ? (m->manual ? "manual" : "auto") : NULL) ||
	    add(o, "mac", m ? m->mac : NULL) ||
	    itg_json_add(o, "archived_match",
	                 json_object_new_boolean(m && m->archived_match)) ||
	    add(o, "state", state) || add(o, "reason", f ? f->detail : NULL)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/* What the Mapping page shows of one instance. */
struct view {
	struct itg_instance inst;
	struct itg_mapping_set set;
	struct itg_groups groups;
	struct itg_systems systems;
};

static int view_load(struct itg_plugin *p, struct json_object *request,
                     struct view *v, struct json_object **response)
{
	char err[512];
	int rc;

	rc = itg_admin_instance_ref(p, request, &v->inst, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_mappings_load(p->store, v->inst.id, &v->set, err, sizeof(err));
	if (rc == XDR_OK && itg_host_groups(p, &v->groups) != XDR_OK) {
		itg_mapping_set_clear(&v->set);
		rc = XDR_ERROR;
		snprintf(err, sizeof(err), "cannot read the host's groups");
	}
	if (rc == XDR_OK && itg_host_systems(p, 0, &v->systems) != XDR_OK) {
		itg_mapping_set_clear(&v->set);
		itg_groups_clear(&v->groups);
		rc = XDR_ERROR;
		snprintf(err, sizeof(err), "cannot read the host's systems");
	}
	if (rc != XDR_OK) {
		itg_instance_clear(&v->inst);
		*response = itg_admin_error(ITG_ADMIN_INTERNAL, "%s", err);
	}
	return rc;
}

static void view_clear(struct view *v)
{
	itg_systems_clear(&v->systems);
	itg_groups_clear(&v->groups);
	itg_mapping_set_clear(&v->set);
	itg_instance_clear(&v->inst);
}

/* Everything, as the action always answered {"instance"}. */
static int answer_all(struct view *v, struct json_object **response)
{
	struct json_object *gl, *sl, *o;

	gl = json_object_new_array();
	sl = json_object_new_array();
	for (size_t i = 0; i < v->inst.n_groups; i++) {
		const struct itg_group *g =
		        itg_groups_by_id(&v->groups, v->inst.groups[i]);

		if (g == NULL)
			continue;
		json_object_array_add(gl, group_row(g, &v->set, add_str));
		for (size_t k = 0; k < v->systems.n; k++) {
			if (v->systems.items[k].group_id == g->id)
				json_object_array_add(
				        sl, system_row(&v->systems.items[k], g,
				                       &v->set, add_str));
		}
	}
	o = json_object_new_object();
	add_str(o, "instance", v->inst.name);
	itg_json_add(o, "groups", gl);
	itg_json_add(o, "systems", sl);
	*response = o;
	return XDR_OK;
}

static const char *const states[] = {"mapped",       "stale",    "failed",
                                     "needs_manual", "unmapped", NULL};

/* What a page asks for. */
struct filter {
	bool systems;                  /* kind: systems, else groups */
	const struct itg_group *group; /* only this group, or NULL */
	const char *state;             /* only this state, or NULL */
	const char *q;                 /* names holding this, or NULL */
	struct itg_list_page page;
};

static int bad(struct json_object **response, const char *message)
{
	*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s", message);
	return XDR_EINVAL;
}

static bool serves(const struct itg_instance *inst, int64_t group)
{
	for (size_t i = 0; i < inst->n_groups; i++) {
		if (inst->groups[i] == group)
			return true;
	}
	return false;
}

/* The member "group": a served group, by id or name. */
static int read_group(struct json_object *request, const struct view *v,
                      struct filter *f, struct json_object **response)
{
	struct json_object *ref;
	char shown[128];

	f->group = NULL;
	if (!json_object_object_get_ex(request, "group", &ref) || ref == NULL)
		return XDR_OK;
	if (json_object_is_type(ref, json_type_int))
		f->group = itg_groups_by_id(&v->groups,
		                            json_object_get_int64(ref));
	else if (json_object_is_type(ref, json_type_string))
		f->group = itg_groups_by_name(&v->groups,
		                              json_object_get_string(ref));
	else
		return bad(response, "\"group\" must be a group's id or name");
	if (f->group != NULL && serves(&v->inst, f->group->id))
		return XDR_OK;
	itg_text_line(shown, sizeof(shown), json_object_get_string(ref));
	*response = itg_admin_error(ITG_ADMIN_NOT_FOUND,
	                            "group \"%s\" is not a group instance "
	                            "\"%s\" serves (instance.groups)",
	                            shown, v->inst.name);
	return XDR_ENOTFOUND;
}

static int read_filter(struct json_object *request, const struct view *v,
                       struct filter *f, struct json_object **response)
{
	const char *kind = NULL;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = itg_list_text_member(request, "kind", 16, &kind, response);
	if (rc == XDR_OK && kind == NULL)
		return bad(response, "a page of mappings needs \"kind\": "
		                     "\"groups\" or \"systems\"");
	if (rc == XDR_OK && strcmp(kind, "groups") != 0 &&
	    strcmp(kind, "systems") != 0)
		return bad(response,
		           "\"kind\" must be \"groups\" or \"systems\"");
	if (rc != XDR_OK)
		return rc;
	f->systems = strcmp(kind, "systems") == 0;
	rc = itg_list_text_member(request, "state", 16, &f->state, response);
	if (rc == XDR_OK && f->state != NULL) {
		size_t i;

		for (i = 0; states[i] != NULL; i++) {
			if (strcmp(states[i], f->state) == 0)
				break;
		}
		if (states[i] == NULL)
			return bad(response,
			           "\"state\" must be one of mapped, stale, "
			           "failed, needs_manual, unmapped");
	}
	if (rc == XDR_OK)
		rc = itg_list_text_member(request, "q", ITG_LIST_QUERY_MAX,
		                          &f->q, response);
	if (rc == XDR_OK)
		rc = itg_list_page_read(request, &f->page, response);
	if (rc == XDR_OK)
		rc = read_group(request, v, f, response);
	return rc;
}

/* Whether a row of NAME in STATE passes the filter. */
static bool passes(const struct filter *f, const char *name, const char *state)
{
	return (f->state == NULL || strcmp(f->state, state) == 0) &&
	       (f->q == NULL || itg_list_matches(name, f->q));
}

/* Count a row that passed; whether it is on the page. */
static bool on_page(const struct filter *f, int64_t *total)
{
	int64_t at = (*total)++;

	return at >= f->page.offset && at - f->page.offset < f->page.limit;
}

/* Add ROW (NULL: memory ran out) to ITEMS. */
static int add_row(struct json_object *items, struct json_object *row)
{
	if (row == NULL || json_object_array_add(items, row) != 0) {
		json_object_put(row);
		return -1;
	}
	return 0;
}

/* Systems by group, each group's in the host's order: a page of systems
 * goes through each served group's without a pass over all of them. */
static int cmp_by_group(const void *a, const void *b)
{
	const struct itg_system *x = *(const struct itg_system *const *)a;
	const struct itg_system *y = *(const struct itg_system *const *)b;

	if (x->group_id != y->group_id)
		return x->group_id < y->group_id ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int page_systems(const struct view *v, const struct filter *f,
                        struct json_object *items, int64_t *total)
{
	const struct itg_system **by_group;
	size_t n = v->systems.n, at = 0;

	by_group = malloc((n > 0 ? n : 1) * sizeof(*by_group));
	if (by_group == NULL)
		return XDR_ENOMEM;
	for (size_t k = 0; k < n; k++)
		by_group[k] = &v->systems.items[k];
	qsort(by_group, n, sizeof(*by_group), cmp_by_group);
	for (size_t i = 0; i < v->inst.n_groups; i++) {
		const struct itg_group *g =
		        itg_groups_by_id(&v->groups, v->inst.groups[i]);
		size_t lo = 0, hi = n;

		if (g == NULL || (f->group != NULL && f->group != g))
			continue;
		while (lo < hi) { /* the first system of g */
			size_t mid = lo + (hi - lo) / 2;

			if (by_group[mid]->group_id < g->id)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (at = lo; at < n && by_group[at]->group_id == g->id; at++) {
			const struct itg_system *s = by_group[at];

			if (!passes(f, s->name, system_state(s, &v->set)) ||
			    !on_page(f, total))
				continue;
			if (add_row(items, system_row(s, g, &v->set,
			                              itg_list_add_line)) !=
			    0) {
				free(by_group);
				return XDR_ENOMEM;
			}
		}
	}
	free(by_group);
	return XDR_OK;
}

static int page_groups(const struct view *v, const struct filter *f,
                       struct json_object *items, int64_t *total)
{
	for (size_t i = 0; i < v->inst.n_groups; i++) {
		const struct itg_group *g =
		        itg_groups_by_id(&v->groups, v->inst.groups[i]);

		if (g == NULL || (f->group != NULL && f->group != g) ||
		    !passes(f, g->name, group_state(g, &v->set)) ||
		    !on_page(f, total))
			continue;
		if (add_row(items, group_row(g, &v->set, itg_list_add_line)) !=
		    0)
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

/* One page of one kind: {instance, kind, total, offset, limit, items}. */
static int answer_page(struct view *v, struct json_object *request,
                       struct json_object **response)
{
	struct filter f;
	struct json_object *items, *o;
	int64_t total = 0;
	int rc = read_filter(request, v, &f, response);

	if (rc != XDR_OK)
		return rc;
	items = json_object_new_array();
	if (items == NULL)
		rc = XDR_ENOMEM;
	else if (f.systems)
		rc = page_systems(v, &f, items, &total);
	else
		rc = page_groups(v, &f, items, &total);
	o = rc == XDR_OK ? itg_list_answer(total, &f.page, items) : NULL;
	if (rc != XDR_OK)
		json_object_put(items);
	if (o == NULL || itg_list_add_line(o, "instance", v->inst.name) != 0 ||
	    itg_json_add(o, "kind",
	                 json_object_new_string(f.systems ? "systems"
	                                                  : "groups")) != 0) {
		json_object_put(o);
		*response = itg_admin_error(ITG_ADMIN_NO_MEMORY,
		                            "out of memory answering mappings");
		return XDR_ENOMEM;
	}
	*response = o;
	return XDR_OK;
}

int itg_admin_mappings(struct itg_plugin *p, struct json_object *request,
                       struct json_object **response)
{
	static const char *const members[] = {"instance", "kind", "group",
	                                      "state",    "q",    "offset",
	                                      "limit",    NULL};
	struct view v;
	int rc;

	if (json_object_object_length(request) < 1) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "mappings takes {\"instance\": id or "
		                        "name}");
		return XDR_EINVAL;
	}
	rc = itg_list_members(request, members, "mappings",
	                      "{instance, kind?, group?, state?, q?, "
	                      "offset?, limit?}",
	                      response);
	if (rc != XDR_OK)
		return rc;
	rc = view_load(p, request, &v, response);
	if (rc != XDR_OK)
		return rc;
	if (json_object_object_length(request) == 1)
		rc = answer_all(&v, response);
	else
		rc = answer_page(&v, request, response);
	view_clear(&v);
	return rc;
}
