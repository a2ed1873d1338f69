/*
 * admin_mappings.c - the action "mappings": the seed's Mapping page for one
 * instance. Every group the instance serves with its organization, and
 * every system of those groups with its configuration: the source (auto or
 * manual), the state, and for failures the reason.
 *
 * States: mapped; stale (mapped, but the IT Glue record is gone); failed
 * (auto-map could not map it: reason); needs_manual (a sensor without a
 * usable MAC, such as syslog: never announced, listed here); unmapped.
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "admin.h"
#include "host_groups.h"
#include "host_systems.h"
#include "instance.h"
#include "json_util.h"
#include "mapping_store.h"

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

static struct json_object *group_row(const struct itg_group *g,
                                     const struct itg_mapping_set *set)
{
	const struct itg_group_mapping *m = itg_mapping_set_group(set, g->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_GROUP, g->id)
	                  : NULL;
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "id", json_object_new_int64(g->id)) ||
	    add_str(o, "name", g->name) || add_str(o, "email", g->email) ||
	    add_str(o, "organization_id", m ? m->organization_id : NULL) ||
	    add_str(o, "organization", m ? m->organization_name : NULL) ||
	    add_str(o, "source", m ? (m->manual ? "manual" : "auto") : NULL) ||
	    add_str(o, "state", state_of(m != NULL, m && m->stale, f)) ||
	    add_str(o, "reason", f ? f->detail : NULL)) {
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

static struct json_object *system_row(const struct itg_system *s,
                                      const struct itg_group *g,
                                      const struct itg_mapping_set *set)
{
	const struct itg_system_mapping *m = itg_mapping_set_system(set, s->id);
	const struct itg_failure *f =
	        m == NULL ? itg_mapping_set_failure(set, ITG_MAP_SYSTEM, s->id)
	                  : NULL;
	const char *state = state_of(m != NULL, m && m->stale, f);
	struct json_object *o = json_object_new_object();

	if (m == NULL && f == NULL && needs_manual(s))
		state = "needs_manual";
	if (itg_json_add(o, "id", json_object_new_int64(s->id)) ||
	    add_str(o, "name", s->name) || add_str(o, "group", g->name) ||
	    add_str(o, "sensor",
	            s->sensor == XDR_SENSOR_AGENT    ? "agent"
	            : s->sensor == XDR_SENSOR_SYSLOG ? "syslog"
	                                             : "other") ||
	    add_str(o, "configuration_id", m ? m->configuration_id : NULL) ||
	    add_str(o, "configuration", m ? m->configuration_name : NULL) ||
	    add_str(o, "source", m ? (m->manual ? "manual" : "auto") : NULL) ||
	    add_str(o, "mac", m ? m->mac : NULL) ||
	    itg_json_add(o, "archived_match",
	                 json_object_new_boolean(m && m->archived_match)) ||
	    add_str(o, "state", state) ||
	    add_str(o, "reason", f ? f->detail : NULL)) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int itg_admin_mappings(struct itg_plugin *p, struct json_object *request,
                       struct json_object **response)
{
	struct itg_instance inst;
	struct itg_mapping_set set;
	struct itg_groups groups;
	struct itg_systems systems;
	struct json_object *gl, *sl, *o;
	char err[512];
	int rc;

	if (json_object_object_length(request) != 1) {
		*response =
		        itg_admin_error(ITG_ADMIN_BAD_REQUEST,
		                        "mappings takes {\"instance\": id or "
		                        "name}");
		return XDR_EINVAL;
	}
	rc = itg_admin_instance_ref(p, request, &inst, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_mappings_load(p->store, inst.id, &set, err, sizeof(err));
	if (rc == XDR_OK && itg_host_groups(p, &groups) != XDR_OK) {
		itg_mapping_set_clear(&set);
		rc = XDR_ERROR;
		snprintf(err, sizeof(err), "cannot read the host's groups");
	}
	if (rc == XDR_OK && itg_host_systems(p, 0, &systems) != XDR_OK) {
		itg_mapping_set_clear(&set);
		itg_groups_clear(&groups);
		rc = XDR_ERROR;
		snprintf(err, sizeof(err), "cannot read the host's systems");
	}
	if (rc != XDR_OK) {
		itg_instance_clear(&inst);
		*response = itg_admin_error(ITG_ADMIN_INTERNAL, "%s", err);
		return rc;
	}
	gl = json_object_new_array();
	sl = json_object_new_array();
	for (size_t i = 0; i < inst.n_groups; i++) {
		const struct itg_group *g =
		        itg_groups_by_id(&groups, inst.groups[i]);

		if (g == NULL)
			continue;
		json_object_array_add(gl, group_row(g, &set));
		for (size_t k = 0; k < systems.n; k++) {
			if (systems.items[k].group_id == g->id)
				json_object_array_add(
				        sl,
				        system_row(&systems.items[k], g, &set));
		}
	}
	o = json_object_new_object();
	add_str(o, "instance", inst.name);
	itg_json_add(o, "groups", gl);
	itg_json_add(o, "systems", sl);
	*response = o;
	itg_systems_clear(&systems);
	itg_groups_clear(&groups);
	itg_mapping_set_clear(&set);
	itg_instance_clear(&inst);
	return XDR_OK;
}
