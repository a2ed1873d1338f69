/*
 * inventory.c - loading groups and systems in bulk from a JSON document:
 *
 *   {"groups": [{"name": "Default", "email": "it@acme.example"}],
 *    "systems": [{"name": "WS-01", "group": "Default", "os": "windows",
 *                 "sensor": "agent", "agent_version": "9.3.0",
 *                 "macs": ["18-5E-0F-ED-99-9A"]}]}
 *
 * The whole document is validated before anything is written, then stored
 * in one transaction; an existing name is updated, so loading a file twice
 * changes nothing the second time.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define INVENTORY_MAX_BYTES (64u * 1024 * 1024)
#define INVENTORY_MAX_DEPTH 8

/* "groups[2]" or `systems[3] "WS-04"`: how messages name an entry. */
static void entry_label(char *buf, size_t size, const char *kind, size_t i,
                        struct json_object *entry)
{
	char q[XDR_QUOTE_MAX];
	struct json_object *name;

	if (json_object_object_get_ex(entry, "name", &name) &&
	    json_object_is_type(name, json_type_string))
		snprintf(buf, size, "%s[%zu] %s", kind, i,
		         xdr_quote(json_object_get_string(name), q, sizeof(q)));
	else
		snprintf(buf, size, "%s[%zu]", kind, i);
}

/* Every key of obj must be one of keys. */
static int known_keys(struct json_object *obj, const char *const *keys,
                      const char *label, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];

	json_object_object_foreach(obj, key, val)
	{
		bool known = false;

		(void)val;
		for (size_t i = 0; keys[i] != NULL && !known; i++)
			known = strcmp(keys[i], key) == 0;
		if (!known)
			return xdr_errf(err, XDR_EINVAL, "%s: unknown key %s",
			                label, xdr_quote(key, q, sizeof(q)));
	}
	return XDR_OK;
}

/* The string under key: *out NULL when absent (or null, if nullable). */
static int string_of(struct json_object *obj, const char *key, bool nullable,
                     const char *label, const char **out, struct xdr_err *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v))
		return XDR_OK;
	if (v == NULL && nullable)
		return XDR_OK;
	if (!json_object_is_type(v, json_type_string))
		return xdr_errf(err, XDR_EINVAL,
		                "%s: \"%s\" must be a string%s", label, key,
		                nullable ? " or null" : "");
	*out = json_object_get_string(v);
	return XDR_OK;
}

static int array_of(struct json_object *root, const char *key,
                    struct json_object **out, struct xdr_err *err)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(root, key, &v))
		return XDR_OK;
	if (!json_object_is_type(v, json_type_array))
		return xdr_errf(err, XDR_EINVAL, "\"%s\" must be an array",
		                key);
	*out = v;
	return XDR_OK;
}

static int prefixed(int rc, const char *label, struct xdr_err *err)
{
	char msg[XDR_ERR_MAX];

	if (rc == XDR_OK || err == NULL)
		return rc;
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return xdr_errf(err, rc, "%s: %s", label, msg);
}

static int parse_group(struct json_object *entry, size_t i,
                       struct xdr_inventory_group *g, struct xdr_err *err)
{
	static const char *const keys[] = {"name", "email", NULL};
	const char *name, *email;
	char label[160];
	int rc;

	entry_label(label, sizeof(label), "groups", i, entry);
	if (!json_object_is_type(entry, json_type_object))
		return xdr_errf(err, XDR_EINVAL, "%s: must be an object",
		                label);
	rc = known_keys(entry, keys, label, err);
	if (rc == XDR_OK)
		rc = string_of(entry, "name", false, label, &name, err);
	if (rc == XDR_OK)
		rc = string_of(entry, "email", true, label, &email, err);
	if (rc == XDR_OK)
		rc = prefixed(
		        xdr_group_check(name, email, &g->name, &g->email, err),
		        label, err);
	return rc;
}

static int parse_enum(struct json_object *entry, const char *key,
                      const char *label, int (*parse)(const char *, void *),
                      void *out, const char *expected, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	const char *s;
	int rc = string_of(entry, key, false, label, &s, err);

	if (rc != XDR_OK || s == NULL)
		return rc;
	if (parse(s, out) != XDR_OK)
		return xdr_errf(err, XDR_EINVAL,
		                "%s: invalid %s %s (expected %s)", label, key,
		                xdr_quote(s, q, sizeof(q)), expected);
	return XDR_OK;
}

static int os_parse(const char *s, void *out)
{
	return xdr_os_parse(s, out);
}

static int sensor_parse(const char *s, void *out)
{
	return xdr_sensor_parse(s, out);
}

static int parse_macs(struct json_object *entry, const char *label,
                      const char ***macs, size_t *n, struct xdr_err *err)
{
	struct json_object *arr;
	size_t count;

	*macs = NULL;
	*n = 0;
	if (!json_object_object_get_ex(entry, "macs", &arr))
		return XDR_OK;
	if (!json_object_is_type(arr, json_type_array))
		return xdr_errf(err, XDR_EINVAL,
		                "%s: \"macs\" must be an array of strings",
		                label);
	count = json_object_array_length(arr);
	if (count == 0)
		return XDR_OK;
	*macs = calloc(count, sizeof(**macs));
	if (*macs == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	for (size_t i = 0; i < count; i++) {
		struct json_object *m = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(m, json_type_string)) {
			free(*macs);
			*macs = NULL;
			return xdr_errf(err, XDR_EINVAL,
			                "%s: \"macs\" must be an array of "
			                "strings",
			                label);
		}
		(*macs)[i] = json_object_get_string(m);
	}
	*n = count;
	return XDR_OK;
}

static int parse_system(struct json_object *entry, size_t i,
                        struct xdr_system_new *sys, struct xdr_err *err)
{
	static const char *const keys[] = {
	        "name", "group", "os", "sensor", "agent_version", "macs", NULL};
	struct xdr_system_spec spec = {
	        NULL, NULL, XDR_OS_OTHER, XDR_SENSOR_AGENT, NULL, NULL, 0};
	const char **macs = NULL;
	char label[160];
	int rc;

	entry_label(label, sizeof(label), "systems", i, entry);
	if (!json_object_is_type(entry, json_type_object))
		return xdr_errf(err, XDR_EINVAL, "%s: must be an object",
		                label);
	rc = known_keys(entry, keys, label, err);
	if (rc == XDR_OK)
		rc = string_of(entry, "name", false, label, &spec.name, err);
	if (rc == XDR_OK)
		rc = string_of(entry, "group", false, label, &spec.group, err);
	if (rc == XDR_OK)
		rc = parse_enum(entry, "os", label, os_parse, &spec.os,
		                "windows, linux or other", err);
	if (rc == XDR_OK)
		rc = parse_enum(entry, "sensor", label, sensor_parse,
		                &spec.sensor, "agent or syslog", err);
	if (rc == XDR_OK)
		rc = string_of(entry, "agent_version", true, label,
		               &spec.agent_version, err);
	if (rc == XDR_OK)
		rc = parse_macs(entry, label, &macs, &spec.n_macs, err);
	if (rc == XDR_OK) {
		spec.macs = macs;
		rc = prefixed(xdr_system_check(&spec, sys, err), label, err);
	}
	free(macs);
	return rc;
}

/* A name given twice in one document is almost certainly a mistake. */
static int duplicate(const char *kind, size_t i, const char *name, size_t j,
                     struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];

	return xdr_errf(err, XDR_EINVAL, "%s[%zu] %s: duplicate of %s[%zu]",
	                kind, i, xdr_quote(name, q, sizeof(q)), kind, j);
}

static int no_duplicates(const struct xdr_inventory *inv, struct xdr_err *err)
{
	for (size_t i = 0; i < inv->n_groups; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(inv->groups[i].name, inv->groups[j].name) ==
			    0)
				return duplicate("groups", i,
				                 inv->groups[i].name, j, err);
	for (size_t i = 0; i < inv->n_systems; i++)
		for (size_t j = 0; j < i; j++)
			if (strcmp(inv->systems[i].name,
			           inv->systems[j].name) == 0)
				return duplicate("systems", i,
				                 inv->systems[i].name, j, err);
	return XDR_OK;
}

static int parse_root(struct json_object *root, struct xdr_inventory *inv,
                      struct xdr_err *err)
{
	static const char *const keys[] = {"groups", "systems", NULL};
	struct json_object *groups, *systems;
	int rc;

	if (!json_object_is_type(root, json_type_object))
		return xdr_errf(err, XDR_EINVAL,
		                "an inventory is a JSON object with \"groups\" "
		                "and \"systems\"");
	rc = known_keys(root, keys, "inventory", err);
	if (rc == XDR_OK)
		rc = array_of(root, "groups", &groups, err);
	if (rc == XDR_OK)
		rc = array_of(root, "systems", &systems, err);
	if (rc != XDR_OK)
		return rc;
	if (groups != NULL && json_object_array_length(groups) > 0) {
		size_t n = json_object_array_length(groups);

		inv->groups = calloc(n, sizeof(*inv->groups));
		if (inv->groups == NULL)
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		for (size_t i = 0; i < n && rc == XDR_OK; i++) {
			rc = parse_group(json_object_array_get_idx(groups, i),
			                 i, &inv->groups[i], err);
			if (rc == XDR_OK)
				inv->n_groups++;
		}
	}
	if (rc == XDR_OK && systems != NULL &&
	    json_object_array_length(systems) > 0) {
		size_t n = json_object_array_length(systems);

		inv->systems = calloc(n, sizeof(*inv->systems));
		if (inv->systems == NULL)
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		for (size_t i = 0; i < n && rc == XDR_OK; i++) {
			rc = parse_system(json_object_array_get_idx(systems, i),
			                  i, &inv->systems[i], err);
			if (rc == XDR_OK)
				inv->n_systems++;
		}
	}
	if (rc == XDR_OK)
		rc = no_duplicates(inv, err);
	return rc;
}

int xdr_inventory_parse(const char *text, size_t len, struct xdr_inventory *out,
                        struct xdr_err *err)
{
	struct xdr_inventory inv = {NULL, 0, NULL, 0};
	struct json_object *root;
	int rc = xdr_json_parse(text, len, INVENTORY_MAX_DEPTH, &root, err);

	if (rc != XDR_OK)
		return rc;
	rc = parse_root(root, &inv, err);
	json_object_put(root);
	if (rc != XDR_OK) {
		xdr_inventory_free(&inv);
		return rc;
	}
	*out = inv;
	return XDR_OK;
}

void xdr_inventory_free(struct xdr_inventory *inv)
{
	for (size_t i = 0; i < inv->n_groups; i++) {
		free(inv->groups[i].name);
		free(inv->groups[i].email);
	}
	free(inv->groups);
	for (size_t i = 0; i < inv->n_systems; i++)
		xdr_system_new_free(&inv->systems[i]);
	free(inv->systems);
	memset(inv, 0, sizeof(*inv));
}

static int apply_locked(struct xdr_db *db, const struct xdr_inventory *inv,
                        struct xdr_err *err)
{
	char label[160], q[XDR_QUOTE_MAX];
	int rc = XDR_OK;

	/* Groups first: systems of the document may name them. */
	for (size_t i = 0; i < inv->n_groups && rc == XDR_OK; i++) {
		const struct xdr_inventory_group *g = &inv->groups[i];

		snprintf(label, sizeof(label), "groups[%zu] %s", i,
		         xdr_quote(g->name, q, sizeof(q)));
		rc = prefixed(xdr_group_write_locked(db, g->name, g->email,
		                                     true, NULL, err),
		              label, err);
	}
	for (size_t i = 0; i < inv->n_systems && rc == XDR_OK; i++) {
		const struct xdr_system_new *s = &inv->systems[i];

		snprintf(label, sizeof(label), "systems[%zu] %s", i,
		         xdr_quote(s->name, q, sizeof(q)));
		rc = prefixed(xdr_system_write_locked(db, s, true, NULL, err),
		              label, err);
	}
	return rc;
}

int xdr_inventory_apply(struct xdr_db *db, const struct xdr_inventory *inv,
                        struct xdr_err *err)
{
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	if (rc == XDR_OK) {
		rc = apply_locked(db, inv, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	return rc;
}

int xdr_inventory_load(struct xdr_db *db, const char *path, size_t *n_groups,
                       size_t *n_systems, struct xdr_err *err)
{
	struct xdr_inventory inv;
	char *text;
	size_t len;
	int rc = xdr_read_file(path, INVENTORY_MAX_BYTES, &text, &len, err);

	if (rc != XDR_OK)
		return rc;
	rc = xdr_inventory_parse(text, len, &inv, err);
	free(text);
	if (rc != XDR_OK)
		return rc;
	rc = xdr_inventory_apply(db, &inv, err);
	if (rc == XDR_OK) {
		*n_groups = inv.n_groups;
		*n_systems = inv.n_systems;
	}
	xdr_inventory_free(&inv);
	return rc;
}
