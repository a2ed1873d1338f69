/*
 * json_out.c - the --json renderings of the host's records (documented in
 * host-sdk/README.md: keys and their order are a stable contract), and
 * strict parsing of JSON documents.
 */
#include "config.h"

#include <json-c/json.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "xdrhost.h"

/* Building stops being "ok" at the first allocation failure. */
struct builder {
	struct json_object *obj;
	bool ok;
};

static void put(struct builder *b, const char *key, struct json_object *v,
                bool may_be_null)
{
	if (!b->ok)
		return;
	if (v == NULL && !may_be_null) {
		b->ok = false;
		return;
	}
	if (json_object_object_add(b->obj, key, v) != 0) {
		json_object_put(v);
		b->ok = false;
	}
}

static void put_str(struct builder *b, const char *key, const char *s)
{
	put(b, key, s ? json_object_new_string(s) : NULL, s == NULL);
}

static void put_int(struct builder *b, const char *key, int64_t v)
{
	put(b, key, json_object_new_int64(v), false);
}

static void put_bool(struct builder *b, const char *key, bool v)
{
	put(b, key, json_object_new_boolean(v), false);
}

static void put_time(struct builder *b, const char *key, int64_t t)
{
	char when[XDR_RFC3339_MAX];

	xdr_rfc3339_format(t, when);
	put_str(b, key, when);
}

static void put_strings(struct builder *b, const char *key, char *const *items,
                        size_t n)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < n; i++) {
		struct json_object *s = json_object_new_string(items[i]);

		if (s == NULL || json_object_array_add(arr, s) != 0) {
			json_object_put(s);
			json_object_put(arr);
			arr = NULL;
		}
	}
	put(b, key, arr, false);
}

static struct builder begin(void)
{
	struct builder b = {json_object_new_object(), true};

	b.ok = b.obj != NULL;
	return b;
}

/* Append the finished object to arr; false (and arr released) on failure. */
static bool finish(struct json_object *arr, struct builder *b)
{
	if (b->ok && json_object_array_add(arr, b->obj) == 0)
		return true;
	json_object_put(b->obj);
	json_object_put(arr);
	return false;
}

struct json_object *xdr_json_groups(const struct xdr_group_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_group_rec *g = &list->items[i];
		struct builder b = begin();

		put_int(&b, "id", g->id);
		put_str(&b, "name", g->name);
		put_str(&b, "email", g->email);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

struct json_object *xdr_json_systems(const struct xdr_system_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_system_rec *s = &list->items[i];
		struct builder b = begin();

		put_int(&b, "id", s->id);
		put_str(&b, "name", s->name);
		put_int(&b, "group_id", s->group_id);
		put_str(&b, "group", s->group);
		put_str(&b, "os", xdr_os_name(s->os));
		put_str(&b, "sensor", xdr_sensor_name(s->sensor));
		put_str(&b, "agent_version", s->agent_version);
		put_strings(&b, "macs", s->macs, s->n_macs);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

struct json_object *
xdr_json_report_configs(const struct xdr_report_config_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_report_config_rec *c = &list->items[i];
		struct builder b = begin();

		put_int(&b, "id", c->id);
		put_str(&b, "name", c->name);
		put_str(&b, "group", c->group);
		put_bool(&b, "publish_itglue", c->publish_itglue);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

struct json_object *xdr_json_reports(const struct xdr_report_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_report_rec *r = &list->items[i];
		struct builder b = begin();

		put_int(&b, "id", r->id);
		put_str(&b, "title", r->title);
		put_str(&b, "type", r->type);
		put_str(&b, "config", r->config);
		put_str(&b, "group", r->group);
		put_bool(&b, "publish_itglue", r->publish_itglue);
		put_time(&b, "generated_at", r->generated_at);
		put_str(&b, "file", r->file_path);
		put_str(&b, "file_name", r->file_name);
		put_int(&b, "size", (int64_t)r->size);
		put_strings(&b, "systems", r->systems, r->n_systems);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

struct json_object *xdr_json_events(const struct xdr_event_list *list)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < list->n; i++) {
		const struct xdr_event_rec *e = &list->items[i];
		struct builder b = begin();
		struct json_object *fields = NULL;

		put_int(&b, "seq", e->seq);
		put_int(&b, "id", e->id);
		put_time(&b, "time", e->time);
		put_str(&b, "severity", e->severity);
		put_str(&b, "source", e->source);
		put_str(&b, "category", e->category);
		put_str(&b, "description", e->description);
		/* Stored by this host as a JSON object; anything else would
		 * mean the file was edited, and shows as an empty object. */
		if (xdr_json_parse(e->fields, strlen(e->fields), 4, &fields,
		                   NULL) != XDR_OK ||
		    !json_object_is_type(fields, json_type_object)) {
			json_object_put(fields);
			fields = json_object_new_object();
		}
		put(&b, "fields", fields, false);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

struct json_object *xdr_json_page(int64_t total, int64_t offset, int64_t limit,
                                  struct json_object *items)
{
	struct builder b = begin();

	put_int(&b, "total", total);
	put_int(&b, "offset", offset);
	put_int(&b, "limit", limit);
	if (!b.ok)
		json_object_put(items);
	else
		put(&b, "items", items, false); /* added, or released */
	if (b.ok)
		return b.obj;
	json_object_put(b.obj);
	return NULL;
}

struct json_object *xdr_json_plugins(const struct xdr_plugins *set)
{
	struct json_object *arr = json_object_new_array();

	for (size_t i = 0; arr != NULL && i < set->n; i++) {
		const struct xdr_plugin_rec *p = &set->items[i];
		struct builder b = begin();
		char abi[32];

		snprintf(abi, sizeof(abi), "%d.%d", p->abi_major, p->abi_minor);
		put_str(&b, "file", p->file);
		put_str(&b, "name", p->name);
		put_str(&b, "version", p->version);
		put_str(&b, "abi", p->abi_major >= 0 ? abi : NULL);
		put_bool(&b, "loaded", p->loaded);
		put_str(&b, "error", p->error);
		put_str(&b, "description", p->description);
		if (!finish(arr, &b))
			return NULL;
	}
	return arr;
}

static bool only_space(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return false;
	return true;
}

int xdr_json_parse(const char *text, size_t len, int max_depth,
                   struct json_object **out, struct xdr_err *err)
{
	struct json_tokener *tok;
	struct json_object *obj;
	enum json_tokener_error jerr;
	size_t end;

	if (len >= INT_MAX)
		return xdr_errf(err, XDR_EINVAL, "JSON document too large");
	if (memchr(text, '\0', len) != NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "JSON text contains a NUL byte");
	if (only_space(text, len))
		return xdr_errf(err, XDR_EINVAL, "empty JSON document");
	tok = json_tokener_new_ex(max_depth);
	if (tok == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT |
	                                    JSON_TOKENER_VALIDATE_UTF8);
	/* Exactly len bytes are read: text need not end in a NUL. One is
	 * passed after them, so that a bare number ends there and a cut
	 * document says so. */
	obj = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue) {
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		end = len;
	}
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		json_object_put(obj);
		return xdr_errf(err, XDR_EINVAL,
		                "invalid JSON at offset %zu: %s", end,
		                json_tokener_error_desc(jerr));
	}
	if (end < len && !only_space(text + end, len - end)) {
		json_object_put(obj);
		return xdr_errf(err, XDR_EINVAL,
		                "unexpected text after the JSON document at "
		                "offset %zu",
		                end);
	}
	*out = obj;
	return XDR_OK;
}
