/*
 * admin_map.c - manual mapping and the mapping view: the actions map, unmap
 * and mappings (the seed's Mapping page).
 *
 * A group maps to one organization, many groups may share one; a system maps
 * to one configuration of its group's organization, and a configuration to
 * one system. A manual mapping always wins over auto-map. Removing an auto
 * mapping by hand remembers the pair as excluded, so that the next auto-map
 * does not silently redo it.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "admin.h"
#include "errbuf.h"
#include "host_groups.h"
#include "host_systems.h"
#include "import_lookup.h"
#include "instance.h"
#include "json_util.h"
#include "log.h"
#include "mapping_store.h"
#include "store.h"

#define ERR_MAX 512

static int fail(struct json_object **response, int rc, const char *fmt, ...)
        __attribute__((format(PRINTF_FORMAT, 3, 4)));

static int fail(struct json_object **response, int rc, const char *fmt, ...)
{
	char message[ERR_MAX];
	va_list ap;

	va_start(ap, fmt);
	itg_verrf(message, sizeof(message), fmt, ap);
	va_end(ap);
	*response = itg_admin_error(rc == XDR_ENOTFOUND ? ITG_ADMIN_NOT_FOUND
	                            : rc == XDR_EINVAL  ? ITG_ADMIN_BAD_REQUEST
	                            : rc == XDR_ENOMEM  ? ITG_ADMIN_NO_MEMORY
	                                                : ITG_ADMIN_INTERNAL,
	                            "%s", message);
	return rc;
}

static bool serves(const struct itg_instance *inst, int64_t group)
{
	for (size_t i = 0; i < inst->n_groups; i++) {
		if (inst->groups[i] == group)
			return true;
	}
	return false;
}

/* The member KEY of REQUEST as an id or a name, into *id or *name. */
static bool ref_member(struct json_object *request, const char *key,
                       int64_t *id, const char **name)
{
	struct json_object *v;

	*id = 0;
	*name = NULL;
	if (!json_object_object_get_ex(request, key, &v))
		return false;
	if (json_object_is_type(v, json_type_int))
		*id = json_object_get_int64(v);
	else if (json_object_is_type(v, json_type_string))
		*name = json_object_get_string(v);
	else
		return false;
	return true;
}

/* An IT Glue id: a string of digits or a number, as text in BUF. */
static const char *itg_id_member(struct json_object *request, const char *key,
                                 char *buf, size_t size)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(request, key, &v))
		return NULL;
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) > 0) {
		snprintf(buf, size, "%lld",
		         (long long)json_object_get_int64(v));
		return buf;
	}
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	s = json_object_get_string(v);
	if (s[0] == '\0' || strspn(s, "0123456789") != strlen(s) ||
	    strlen(s) >= size)
		return NULL;
	snprintf(buf, size, "%s", s);
	return buf;
}

/* Everything an action of this file works on. */
struct ctx {
	struct itg_plugin *p;
	struct itg_instance inst;
	struct itg_groups groups;
	struct itg_systems systems;
	int64_t now;
	char err[ERR_MAX];
};

static int ctx_open(struct ctx *c, struct itg_plugin *p,
                    struct json_object *request, struct json_object **response)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->now = (int64_t)time(NULL);
	rc = itg_admin_instance_ref(p, request, &c->inst, response);
	if (rc != XDR_OK)
		return rc;
	rc = itg_host_groups(p, &c->groups);
	if (rc == XDR_OK)
		rc = itg_host_systems(p, 0, &c->systems);
	if (rc != XDR_OK)
		return fail(response, rc,
		            "cannot read the host's groups and "
		            "systems");
	return XDR_OK;
}

static void ctx_close(struct ctx *c)
{
	itg_instance_clear(&c->inst);
	itg_groups_clear(&c->groups);
	itg_systems_clear(&c->systems);
}

static const struct itg_group *find_group(struct ctx *c,
                                          struct json_object *request,
                                          struct json_object **response)
{
	const struct itg_group *g;
	const char *name;
	int64_t id;

	ref_member(request, "group", &id, &name);
	g = name != NULL ? itg_groups_by_name(&c->groups, name)
	                 : itg_groups_by_id(&c->groups, id);
	if (g == NULL) {
		fail(response, XDR_ENOTFOUND, "no Open XDR group %s",
		     json_object_to_json_string(
		             json_object_object_get(request, "group")));
		return NULL;
	}
	if (!serves(&c->inst, g->id)) {
		fail(response, XDR_EINVAL,
		     "group \"%s\" is not served by instance \"%s\" "
		     "(instance.groups)",
		     g->name, c->inst.name);
		return NULL;
	}
	return g;
}

static const struct itg_system *find_system(struct ctx *c,
                                            struct json_object *request,
                                            struct json_object **response)
{
	const struct itg_system *s;
	const char *name;
	int64_t id;

	ref_member(request, "system", &id, &name);
	s = name != NULL ? itg_systems_by_name(&c->systems, name)
	                 : itg_systems_by_id(&c->systems, id);
	if (s == NULL) {
		fail(response, XDR_ENOTFOUND, "no Open XDR system %s",
		     json_object_to_json_string(
		             json_object_object_get(request, "system")));
		return NULL;
	}
	if (!serves(&c->inst, s->group_id)) {
		fail(response, XDR_EINVAL,
		     "the group of system \"%s\" is not served by instance "
		     "\"%s\"",
		     s->name, c->inst.name);
		return NULL;
	}
	return s;
}

static struct json_object *mapped_answer(const char *what, int64_t id,
                                         const char *name, const char *itg_id,
                                         const char *itg_name)
{
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, what, json_object_new_string(name)) ||
	    itg_json_add(o, "id", json_object_new_int64(id)) ||
	    itg_json_add(o,
	                 strcmp(what, "group") == 0 ? "organization_id"
	                                            : "configuration_id",
	                 json_object_new_string(itg_id)) ||
	    itg_json_add(o,
	                 strcmp(what, "group") == 0 ? "organization"
	                                            : "configuration",
	                 json_object_new_string(itg_name)) ||
	    itg_json_add(o, "source", json_object_new_string("manual"))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int map_group(struct ctx *c, struct json_object *request,
                     struct json_object **response)
{
	const struct itg_group *g = find_group(c, request, response);
	struct itg_imported org;
	char id[32];
	int rc;

	if (g == NULL)
		return XDR_EINVAL;
	if (itg_id_member(request, "organization_id", id, sizeof(id)) == NULL)
		return fail(response, XDR_EINVAL,
		            "\"organization_id\" must be an IT Glue id");
	rc = itg_imported_organization(c->p->store, c->inst.id, id, &org,
	                               c->err, sizeof(c->err));
	if (rc != XDR_OK)
		return fail(response, rc, "%s", c->err);
	rc = itg_store_begin(c->p->store, c->err, sizeof(c->err));
	if (rc == XDR_OK) {
		rc = itg_group_map(c->p->store, c->inst.id, g->id, org.id,
		                   org.name, true, c->now, c->err,
		                   sizeof(c->err));
		if (rc == XDR_OK)
			rc = itg_failure_clear(c->p->store, c->inst.id,
			                       ITG_MAP_GROUP, g->id, c->err,
			                       sizeof(c->err));
		if (rc == XDR_OK)
			rc = itg_store_commit(c->p->store, c->err,
			                      sizeof(c->err));
		else
			itg_store_rollback(c->p->store);
	}
	if (rc == XDR_OK) {
		itg_log(c->p, XDR_LOG_INFO,
		        "group \"%s\" mapped by hand to organization \"%s\" "
		        "(%s)",
		        g->name, org.name, org.id);
		*response = mapped_answer("group", g->id, g->name, org.id,
		                          org.name);
	}
	itg_imported_clear(&org);
	return rc == XDR_OK ? XDR_OK : fail(response, rc, "%s", c->err);
}

static int map_system(struct ctx *c, struct json_object *request,
                      struct json_object **response)
{
	const struct itg_system *s = find_system(c, request, response);
	struct itg_mapping_set set;
	const struct itg_group_mapping *gm;
	struct itg_imported conf;
	struct itg_system_mapping m = {0};
	char id[32];
	int rc;

	if (s == NULL)
		return XDR_EINVAL;
	if (itg_id_member(request, "configuration_id", id, sizeof(id)) == NULL)
		return fail(response, XDR_EINVAL,
		            "\"configuration_id\" must be an IT Glue id");
	rc = itg_mappings_load(c->p->store, c->inst.id, &set, c->err,
	                       sizeof(c->err));
	if (rc != XDR_OK)
		return fail(response, rc, "%s", c->err);
	gm = itg_mapping_set_group(&set, s->group_id);
	rc = itg_imported_configuration(c->p->store, c->inst.id, id, &conf,
	                                c->err, sizeof(c->err));
	if (rc == XDR_OK && gm == NULL) {
		snprintf(c->err, sizeof(c->err),
		         "the group of system \"%s\" is not mapped to an "
		         "organization: map the group first",
		         s->name);
		rc = XDR_EINVAL;
	} else if (rc == XDR_OK &&
	           (conf.organization_id == NULL ||
	            strcmp(conf.organization_id, gm->organization_id) != 0)) {
		snprintf(c->err, sizeof(c->err),
		         "configuration \"%s\" belongs to organization %s, not "
		         "to %s, the organization of the system's group",
		         conf.name,
		         conf.organization_id ? conf.organization_id : "(none)",
		         gm->organization_id);
		rc = XDR_EINVAL;
	}
	if (rc == XDR_OK) {
		m.system_id = s->id;
		m.group_id = s->group_id;
		m.configuration_id = conf.id;
		m.configuration_name = conf.name;
		m.manual = true;
		m.archived_match = conf.archived;
		rc = itg_store_begin(c->p->store, c->err, sizeof(c->err));
	}
	if (rc == XDR_OK) {
		rc = itg_system_map(c->p->store, c->inst.id, &m, c->now, c->err,
		                    sizeof(c->err));
		if (rc == XDR_OK)
			rc = itg_failure_clear(c->p->store, c->inst.id,
			                       ITG_MAP_SYSTEM, s->id, c->err,
			                       sizeof(c->err));
		if (rc == XDR_OK)
			rc = itg_store_commit(c->p->store, c->err,
			                      sizeof(c->err));
		else
			itg_store_rollback(c->p->store);
	}
	if (rc == XDR_OK) {
		itg_log(c->p, XDR_LOG_INFO,
		        "system \"%s\" mapped by hand to configuration \"%s\" "
		        "(%s)",
		        s->name, conf.name, conf.id);
		*response = mapped_answer("system", s->id, s->name, conf.id,
		                          conf.name);
	}
	itg_imported_clear(&conf);
	itg_mapping_set_clear(&set);
	return rc == XDR_OK ? XDR_OK : fail(response, rc, "%s", c->err);
}

/* {instance, group|system} plus exactly the member KEY for map, or none. */
static bool shape_ok(struct json_object *request, const char *key)
{
	bool group = json_object_object_get_ex(request, "group", NULL);
	bool system = json_object_object_get_ex(request, "system", NULL);
	size_t want = key != NULL ? 3 : 2;

	if (group == system || json_object_object_length(request) != (int)want)
		return false;
	return key == NULL ||
	       json_object_object_get_ex(
	               request, group ? "organization_id" : "configuration_id",
	               NULL);
}

int itg_admin_map(struct itg_plugin *p, struct json_object *request,
                  struct json_object **response)
{
	struct ctx c;
	int rc;

	if (!shape_ok(request, "id"))
		return fail(response, XDR_EINVAL,
		            "map takes {instance, group, organization_id} or "
		            "{instance, system, configuration_id}");
	rc = ctx_open(&c, p, request, response);
	if (rc == XDR_OK)
		rc = json_object_object_get_ex(request, "group", NULL)
		             ? map_group(&c, request, response)
		             : map_system(&c, request, response);
	ctx_close(&c);
	return rc;
}

/*
 * Remove the mapping of one group or system; an auto one is remembered as
 * excluded (*manual says which it was). The mapping is read in the same
 * transaction, so that an auto-map run cannot move it in between and have
 * the wrong pair excluded.
 */
static int unmap_one(struct ctx *c, enum itg_map_kind kind, int64_t host_id,
                     const char *name, bool *manual)
{
	struct itg_store *store = c->p->store;
	struct itg_mapping_set set = {0};
	const char *itg_id = NULL;
	int rc = itg_store_begin(store, c->err, sizeof(c->err));

	if (rc != XDR_OK)
		return rc;
	rc = itg_mappings_load(store, c->inst.id, &set, c->err, sizeof(c->err));
	if (rc == XDR_OK && kind == ITG_MAP_GROUP) {
		const struct itg_group_mapping *m =
		        itg_mapping_set_group(&set, host_id);

		itg_id = m != NULL ? m->organization_id : NULL;
		*manual = m != NULL && m->manual;
	} else if (rc == XDR_OK) {
		const struct itg_system_mapping *m =
		        itg_mapping_set_system(&set, host_id);

		itg_id = m != NULL ? m->configuration_id : NULL;
		*manual = m != NULL && m->manual;
	}
	if (rc == XDR_OK && itg_id == NULL) {
		snprintf(c->err, sizeof(c->err), "%s \"%s\" is not mapped",
		         kind == ITG_MAP_GROUP ? "group" : "system", name);
		rc = XDR_ENOTFOUND;
	}
	if (rc == XDR_OK)
		rc = kind == ITG_MAP_GROUP
		             ? itg_group_unmap(store, c->inst.id, host_id,
		                               c->err, sizeof(c->err))
		             : itg_system_unmap(store, c->inst.id, host_id,
		                                c->err, sizeof(c->err));
	if (rc == XDR_OK && kind == ITG_MAP_GROUP)
		rc = itg_group_unmap_auto_systems(store, c->inst.id, host_id,
		                                  c->err, sizeof(c->err));
	if (rc == XDR_OK && !*manual)
		rc = itg_exclusion_add(store, c->inst.id, kind, host_id, itg_id,
		                       c->now, c->err, sizeof(c->err));
	itg_mapping_set_clear(&set);
	if (rc == XDR_OK)
		return itg_store_commit(store, c->err, sizeof(c->err));
	itg_store_rollback(store);
	return rc;
}

int itg_admin_unmap(struct itg_plugin *p, struct json_object *request,
                    struct json_object **response)
{
	struct ctx c;
	const char *what = NULL, *name = NULL;
	bool manual = false;
	int64_t host_id = 0;
	int rc;

	if (!shape_ok(request, NULL))
		return fail(response, XDR_EINVAL,
		            "unmap takes {instance, group} or {instance, "
		            "system}");
	rc = ctx_open(&c, p, request, response);
	if (rc == XDR_OK && json_object_object_get_ex(request, "group", NULL)) {
		const struct itg_group *g = find_group(&c, request, response);

		what = "group";
		if (g == NULL) {
			rc = XDR_EINVAL;
		} else {
			host_id = g->id;
			name = g->name;
			rc = unmap_one(&c, ITG_MAP_GROUP, host_id, name,
			               &manual);
		}
	} else if (rc == XDR_OK) {
		const struct itg_system *s = find_system(&c, request, response);

		what = "system";
		if (s == NULL) {
			rc = XDR_EINVAL;
		} else {
			host_id = s->id;
			name = s->name;
			rc = unmap_one(&c, ITG_MAP_SYSTEM, host_id, name,
			               &manual);
		}
	}
	if (rc == XDR_OK) {
		struct json_object *o = json_object_new_object();

		itg_log(p, XDR_LOG_INFO, "%s \"%s\" unmapped by hand%s", what,
		        name, manual ? "" : "; auto-map will not redo it");
		if (itg_json_add(o, "unmapped", json_object_new_string(what)) ||
		    itg_json_add(o, "id", json_object_new_int64(host_id)) ||
		    itg_json_add(o, "name", json_object_new_string(name)) ||
		    itg_json_add(o, "excluded",
		                 json_object_new_boolean(!manual))) {
			json_object_put(o);
			o = NULL;
		}
		*response = o;
		if (o == NULL)
			rc = fail(response, XDR_ENOMEM, "out of memory");
	} else if (*response == NULL) {
		fail(response, rc, "%s", c.err);
	}
	ctx_close(&c);
	return rc;
}
