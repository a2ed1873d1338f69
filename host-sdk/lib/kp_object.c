/*
 * kp_object.c - the knowledge objects of a pack, one JSON file each: their
 * validation, one type at a time, and the check of a pack's set of them.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char *const type_names[] = {
        [XDR_KP_ALERT] = "alert",
        [XDR_KP_SEARCH] = "search",
        [XDR_KP_REPORT] = "report",
        [XDR_KP_KNOWLEDGE] = "knowledge",
        [XDR_KP_PARSING_RULE] = "parsing_rule",
        [XDR_KP_DASHBOARD] = "dashboard",
};

#define N_TYPES (sizeof(type_names) / sizeof(type_names[0]))

/* The notification options of an alert, as the manager's Alert Management
 * lists them. */
static const char *const notify_keys[] = {
        "email", "snmp", "syslog", "remedial_console", "remedial_agent",
};

static const char *const threats[] = {"green", "yellow", "red"};

const char *xdr_kp_type_name(enum xdr_kp_type type)
{
	return (size_t)type < N_TYPES ? type_names[type] : NULL;
}

int xdr_kp_type_parse(const char *s, enum xdr_kp_type *out)
{
	for (size_t i = 0; s != NULL && i < N_TYPES; i++)
		if (strcmp(s, type_names[i]) == 0) {
			*out = (enum xdr_kp_type)i;
			return XDR_OK;
		}
	return XDR_EINVAL;
}

static struct json_object *member(struct json_object *o, const char *key,
                                  json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, type))
		return NULL;
	return v;
}

static const char *text_of(struct json_object *o, const char *key)
{
	struct json_object *v = member(o, key, json_type_string);
	const char *s = v ? json_object_get_string(v) : NULL;

	return s != NULL && s[0] != '\0' ? s : NULL;
}

static int event_id_of(struct json_object *o, const char *key, uint32_t *id)
{
	struct json_object *v = member(o, key, json_type_int);
	int64_t n = v ? json_object_get_int64(v) : 0;

	if (n < 1 || n > (int64_t)UINT32_MAX)
		return XDR_EINVAL;
	*id = (uint32_t)n;
	return XDR_OK;
}

static int bad(struct xdr_err *err, const char *name, const char *why)
{
	char q[XDR_QUOTE_MAX];

	return xdr_errf(err, XDR_EINVAL, "object %s: %s",
	                xdr_quote(name, q, sizeof(q)), why);
}

static int check_alert(struct json_object *o, struct xdr_kp_object *obj,
                       struct xdr_err *err)
{
	struct json_object *active = member(o, "active", json_type_boolean);
	struct json_object *notify = member(o, "notify", json_type_object);
	const char *threat = text_of(o, "threat");
	bool known = false;

	if (event_id_of(o, "event_id", &obj->event_id) != XDR_OK)
		return bad(err, obj->name, "event_id must be 1..4294967295");
	for (size_t i = 0; threat && i < sizeof(threats) / sizeof(*threats);
	     i++)
		known = known || strcmp(threat, threats[i]) == 0;
	if (!known)
		return bad(err, obj->name,
		           "threat must be green, yellow or red");
	if (active == NULL)
		return bad(err, obj->name, "active must be true or false");
	if (notify == NULL)
		return bad(err, obj->name, "notify must be an object");
	for (size_t i = 0; i < sizeof(notify_keys) / sizeof(*notify_keys); i++)
		if (member(notify, notify_keys[i], json_type_boolean) == NULL)
			return bad(err, obj->name,
			           "notify needs email, snmp, syslog, "
			           "remedial_console and remedial_agent as "
			           "true or false");
	if (text_of(o, "applies_to") == NULL)
		return bad(err, obj->name, "applies_to is missing");
	obj->active = json_object_get_boolean(active);
	obj->threat = strdup(threat);
	return obj->threat ? XDR_OK
	                   : xdr_errf(err, XDR_ENOMEM, "out of memory");
}

static int check_search(struct json_object *o, struct xdr_kp_object *obj,
                        struct xdr_err *err)
{
	struct json_object *fields;

	if (text_of(o, "category") == NULL)
		return bad(err, obj->name, "category is missing");
	if (event_id_of(o, "event_id", &obj->event_id) != XDR_OK)
		return bad(err, obj->name, "event_id must be 1..4294967295");
	if (json_object_object_get_ex(o, "fields", &fields)) {
		if (!json_object_is_type(fields, json_type_object))
			return bad(err, obj->name, "fields must be an object");
		json_object_object_foreach(fields, k, v)
		{
			(void)k;
			if (!json_object_is_type(v, json_type_string))
				return bad(err, obj->name,
				           "field values must be strings");
		}
	}
	return XDR_OK;
}

/* An array of 1..32 non-empty strings. */
static bool string_array(struct json_object *a)
{
	size_t n = a ? json_object_array_length(a) : 0;

	if (n == 0 || n > 32)
		return false;
	for (size_t i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(a, i);

		if (!json_object_is_type(v, json_type_string) ||
		    json_object_get_string_len(v) == 0)
			return false;
	}
	return true;
}

static int take_ref(struct json_object *o, struct xdr_kp_object *obj,
                    struct xdr_err *err)
{
	const char *ref = text_of(o, "search");

	if (ref == NULL)
		return bad(err, obj->name,
		           "search (a saved search) is missing");
	obj->ref = strdup(ref);
	return obj->ref ? XDR_OK : xdr_errf(err, XDR_ENOMEM, "out of memory");
}

static int check_report(struct json_object *o, struct xdr_kp_object *obj,
                        struct xdr_err *err)
{
	if (text_of(o, "title") == NULL)
		return bad(err, obj->name, "title is missing");
	if (!string_array(member(o, "columns", json_type_array)))
		return bad(err, obj->name,
		           "columns must be 1 to 32 non-empty strings");
	return take_ref(o, obj, err);
}

static int check_knowledge(struct json_object *o, struct xdr_kp_object *obj,
                           struct xdr_err *err)
{
	struct json_object *events = member(o, "events", json_type_array);
	size_t n = events ? json_object_array_length(events) : 0;
	uint32_t id;

	if (n == 0)
		return bad(err, obj->name, "events must be a non-empty array");
	for (size_t i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(events, i);

		if (!json_object_is_type(e, json_type_object) ||
		    event_id_of(e, "event_id", &id) != XDR_OK ||
		    text_of(e, "title") == NULL ||
		    text_of(e, "meaning") == NULL ||
		    text_of(e, "action") == NULL)
			return bad(err, obj->name,
			           "each event needs event_id, title, meaning "
			           "and action");
	}
	return XDR_OK;
}

static int check_rule(struct json_object *o, struct xdr_kp_object *obj,
                      struct xdr_err *err)
{
	struct json_object *rules = member(o, "rules", json_type_array);
	size_t n = rules ? json_object_array_length(rules) : 0;
	uint32_t id;

	if (text_of(o, "source") == NULL)
		return bad(err, obj->name, "source (the plugin) is missing");
	if (n == 0)
		return bad(err, obj->name, "rules must be a non-empty array");
	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(rules, i);
		const char *t;
		int rc;

		if (!json_object_is_type(r, json_type_object) ||
		    event_id_of(r, "event_id", &id) != XDR_OK ||
		    (t = text_of(r, "template")) == NULL)
			return bad(err, obj->name,
			           "each rule needs event_id and template");
		rc = xdr_kp_template_check(t, err);
		if (rc != XDR_OK)
			return rc;
	}
	return XDR_OK;
}

static int check_dashboard(struct json_object *o, struct xdr_kp_object *obj,
                           struct xdr_err *err)
{
	struct json_object *charts = member(o, "charts", json_type_array);
	size_t n = charts ? json_object_array_length(charts) : 0;

	if (text_of(o, "title") == NULL)
		return bad(err, obj->name, "title is missing");
	if (n == 0 || n > 16)
		return bad(err, obj->name, "charts must hold 1 to 16 charts");
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(charts, i);
		const char *kind = text_of(c, "kind");

		if (text_of(c, "title") == NULL || kind == NULL ||
		    (strcmp(kind, "per_day") != 0 &&
		     (strcmp(kind, "by_field") != 0 ||
		      text_of(c, "field") == NULL)))
			return bad(err, obj->name,
			           "each chart needs a title and a kind: "
			           "per_day, or by_field with a field");
	}
	return take_ref(o, obj, err);
}

static int check_typed(struct json_object *o, struct xdr_kp_object *obj,
                       struct xdr_err *err)
{
	switch (obj->type) {
	case XDR_KP_ALERT:
		return check_alert(o, obj, err);
	case XDR_KP_SEARCH:
		return check_search(o, obj, err);
	case XDR_KP_REPORT:
		return check_report(o, obj, err);
	case XDR_KP_KNOWLEDGE:
		return check_knowledge(o, obj, err);
	case XDR_KP_PARSING_RULE:
		return check_rule(o, obj, err);
	case XDR_KP_DASHBOARD:
		return check_dashboard(o, obj, err);
	}
	return bad(err, obj->name, "unknown type");
}

static int check_object(struct json_object *o, struct xdr_kp_object *obj,
                        struct xdr_err *err)
{
	const char *type = text_of(o, "type"), *name = text_of(o, "name");
	int rc;

	if (!json_object_is_type(o, json_type_object))
		return xdr_errf(err, XDR_EINVAL,
		                "an object is not a JSON object");
	if (xdr_kp_type_parse(type, &obj->type) != XDR_OK)
		return xdr_errf(err, XDR_EINVAL,
		                "an object has no known type (alert, search, "
		                "report, knowledge, parsing_rule, dashboard)");
	rc = xdr_text_check("object name", name ? name : "", XDR_NAME_MAX_CHARS,
	                    &obj->name, err);
	if (rc != XDR_OK)
		return rc;
	rc = check_typed(o, obj, err);
	if (rc != XDR_OK)
		return rc;
	obj->body = strdup(json_object_to_json_string_ext(
	        o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	return obj->body ? XDR_OK : xdr_errf(err, XDR_ENOMEM, "out of memory");
}

int xdr_kp_object_parse(const char *text, size_t len, struct xdr_kp_object *out,
                        struct xdr_err *err)
{
	struct xdr_kp_object obj;
	struct json_object *root;
	int rc;

	memset(&obj, 0, sizeof(obj));
	rc = xdr_json_parse(text, len, 16, &root, err);
	if (rc != XDR_OK)
		return rc;
	rc = check_object(root, &obj, err);
	json_object_put(root);
	if (rc != XDR_OK) {
		xdr_kp_object_free(&obj);
		return rc;
	}
	*out = obj;
	return XDR_OK;
}

void xdr_kp_object_free(struct xdr_kp_object *obj)
{
	free(obj->name);
	free(obj->body);
	free(obj->threat);
	free(obj->ref);
	memset(obj, 0, sizeof(*obj));
}

void xdr_kp_objects_free(struct xdr_kp_objects *list)
{
	for (size_t i = 0; i < list->n; i++)
		xdr_kp_object_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

static const struct xdr_kp_object *find(const struct xdr_kp_objects *list,
                                        size_t before, enum xdr_kp_type type,
                                        const char *name)
{
	for (size_t i = 0; i < before; i++)
		if (list->items[i].type == type &&
		    strcmp(list->items[i].name, name) == 0)
			return &list->items[i];
	return NULL;
}

static int check_set(const struct xdr_kp_objects *list, struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];

	for (size_t i = 0; i < list->n; i++) {
		const struct xdr_kp_object *o = &list->items[i];

		if (find(list, i, o->type, o->name) != NULL)
			return xdr_errf(err, XDR_EINVAL,
			                "pack refused: two %s objects named %s",
			                xdr_kp_type_name(o->type),
			                xdr_quote(o->name, q, sizeof(q)));
		if (o->ref != NULL &&
		    find(list, list->n, XDR_KP_SEARCH, o->ref) == NULL)
			return xdr_errf(err, XDR_EINVAL,
			                "pack refused: %s %s names the saved "
			                "search %s, which the pack lacks",
			                xdr_kp_type_name(o->type), o->name,
			                xdr_quote(o->ref, q, sizeof(q)));
	}
	return XDR_OK;
}

int xdr_kp_objects_load(const struct xdr_kp_archive *a,
                        const struct xdr_kp_manifest *m,
                        struct xdr_kp_objects *out, struct xdr_err *err)
{
	struct xdr_kp_objects list = {NULL, 0};
	char q[XDR_QUOTE_MAX];
	int rc = XDR_OK;

	list.items = calloc(m->n_objects, sizeof(*list.items));
	if (list.items == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	for (size_t i = 0; rc == XDR_OK && i < m->n_objects; i++) {
		const struct xdr_kp_file *f =
		        xdr_kp_archive_find(a, m->objects[i].file);
		struct xdr_err why;

		if (f == NULL) {
			rc = xdr_errf(
			        err, XDR_EINVAL,
			        "pack refused: %s is "
			        "missing",
			        xdr_quote(m->objects[i].file, q, sizeof(q)));
			break;
		}
		rc = xdr_kp_object_parse((const char *)f->data, f->len,
		                         &list.items[i], &why);
		if (rc == XDR_OK)
			list.n++;
		else
			xdr_errf(err, rc, "pack refused: %s: %s",
			         xdr_quote(f->path, q, sizeof(q)), why.msg);
	}
	if (rc == XDR_OK)
		rc = check_set(&list, err);
	if (rc != XDR_OK) {
		xdr_kp_objects_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}
