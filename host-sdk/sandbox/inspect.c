/*
 * inspect.c - the /_sandbox/ API: no key, not counted, never faulted. It
 * lets tests see what a client sent (the request log, with its headers),
 * how often (counts), what the data became, reset it all, change the
 * faults at run time, fetch uploaded files, and change or delete
 * configurations, contacts and organizations as an account's users would
 * (touch).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <xdr/plugin.h>

#include "base64.h"
#include "sandbox.h"

#define JSON_TYPE "application/json"

static int answer(struct sbx_response *res, int status, struct json_object *doc)
{
	int rc = sbx_respond_doc(res, status, doc);

	res->content_type = JSON_TYPE;
	return rc;
}

static int refuse(struct sbx_response *res, int status, const char *why)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "error", json_object_new_string(why));
	return answer(res, status, doc);
}

static int health(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "status", json_object_new_string("ok"));
	json_object_object_add(doc, "region",
	                       json_object_new_string(srv->set.region));
	json_object_object_add(doc, "requests",
	                       json_object_new_int64(srv->seq));
	return answer(res, 200, doc);
}

static int requests(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "requests", json_object_get(srv->log));
	return answer(res, 200, doc);
}

static int counts(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();

	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "total", json_object_new_int64(srv->total));
	json_object_object_add(doc, "routes",
	                       json_object_get(srv->route_counts));
	json_object_object_add(doc, "status",
	                       json_object_get(srv->status_counts));
	return answer(res, 200, doc);
}

static int reset(struct sbx_server *srv, struct sbx_response *res)
{
	struct sbx_store fresh;
	struct sbx_faults faults;
	struct json_object *doc;

	sbx_store_init(&fresh);
	if (sbx_store_copy(&fresh, &srv->initial) != XDR_OK)
		return XDR_ENOMEM;
	if (sbx_faults_copy(&faults, &srv->initial_faults) != XDR_OK) {
		sbx_store_free(&fresh);
		return XDR_ENOMEM;
	}
	sbx_store_free(&srv->store);
	srv->store = fresh;
	sbx_faults_clear(&srv->faults);
	srv->faults = faults;
	sbx_ratelimit_reset(&srv->rate);
	sbx_reqlog_clear(srv);
	srv->seq = 0;
	doc = json_object_new_object();
	if (!doc)
		return XDR_ENOMEM;
	json_object_object_add(doc, "status", json_object_new_string("reset"));
	return answer(res, 200, doc);
}

static struct json_object *fault_json(long at_or_n, const char *member,
                                      const struct sbx_fault *f)
{
	struct json_object *o = json_object_new_object();
	char kind[SBX_FAULT_NAME_MAX];

	if (!o)
		return NULL;
	sbx_fault_name(f, kind, sizeof(kind));
	json_object_object_add(o, member, json_object_new_int64(at_or_n));
	json_object_object_add(o, "kind", json_object_new_string(kind));
	return o;
}

/* {"percent", "seed"} of --fail-random, or NULL when it is off. */
static struct json_object *random_json(const struct sbx_faults *f)
{
	struct json_object *o;

	if (f->random_percent <= 0 || !(o = json_object_new_object()))
		return NULL;
	json_object_object_add(o, "percent",
	                       json_object_new_int(f->random_percent));
	json_object_object_add(o, "seed",
	                       json_object_new_int64(f->random_seed));
	return o;
}

static int faults_show(struct sbx_server *srv, struct sbx_response *res)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *schedule = json_object_new_array();
	const struct sbx_faults *f = &srv->faults;

	if (!doc || !schedule) {
		json_object_put(doc);
		json_object_put(schedule);
		return XDR_ENOMEM;
	}
	json_object_object_add(
	        doc, "fail_every",
	        f->every ? fault_json(f->every, "n", &f->every_fault) : NULL);
	for (size_t i = 0; i < f->scheduled; i++)
		json_object_array_add(schedule,
		                      fault_json(f->schedule[i].at, "at",
		                                 &f->schedule[i].fault));
	json_object_object_add(doc, "schedule", schedule);
	json_object_object_add(doc, "random", random_json(f));
	json_object_object_add(doc, "counter",
	                       json_object_new_int64(f->counter));
	return answer(res, 200, doc);
}

static const char *fault_kind_of(struct json_object *o)
{
	struct json_object *kind;

	if (!json_object_object_get_ex(o, "kind", &kind))
		return "500";
	return json_object_is_type(kind, json_type_string)
	               ? json_object_get_string(kind)
	               : NULL;
}

/* {"fail_every": {"n", "kind"} | null, "schedule": [{"at", "kind"}],
 *  "random": {"percent", "seed"} | null} */
static int parse_faults(struct json_object *doc, struct sbx_faults *out,
                        const char **why)
{
	struct json_object *every, *schedule, *random;
	const char *kind;
	struct sbx_fault f;

	*why = "the body must be a JSON object";
	if (!json_object_is_type(doc, json_type_object))
		return XDR_EINVAL;
	if (json_object_object_get_ex(doc, "fail_every", &every) && every) {
		*why = "fail_every needs \"n\" >= 1 and a valid \"kind\"";
		kind = fault_kind_of(every);
		out->every = (long)sbx_int_of(every, "n");
		if (out->every < 1 || !kind ||
		    sbx_fault_parse_kind(kind, &out->every_fault))
			return XDR_EINVAL;
	}
	if (json_object_object_get_ex(doc, "random", &random) && random) {
		int64_t percent = sbx_int_of(random, "percent");
		int64_t seed = json_object_object_get_ex(random, "seed", NULL)
		                       ? sbx_int_of(random, "seed")
		                       : 1;

		*why = "random needs \"percent\" from 1 to 100 and a \"seed\" "
		       ">= 0";
		if (percent < 1 || percent > 100 || seed < 0)
			return XDR_EINVAL;
		out->random_percent = (int)percent;
		out->random_seed = (long)seed;
	}
	if (!json_object_object_get_ex(doc, "schedule", &schedule) || !schedule)
		return XDR_OK;
	*why = "schedule must be an array of {\"at\" >= 1, \"kind\"}";
	if (!json_object_is_type(schedule, json_type_array))
		return XDR_EINVAL;
	for (size_t i = 0; i < json_object_array_length(schedule); i++) {
		struct json_object *e = json_object_array_get_idx(schedule, i);
		long at = (long)sbx_int_of(e, "at");

		kind = fault_kind_of(e);
		if (at < 1 || !kind || sbx_fault_parse_kind(kind, &f))
			return XDR_EINVAL;
		if (sbx_faults_schedule(out, at, &f))
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

static int faults_set(struct sbx_server *srv, const char *body, size_t len,
                      struct sbx_response *res)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = NULL;
	struct sbx_faults faults;
	const char *why;
	int rc;

	if (!tok)
		return XDR_ENOMEM;
	doc = json_tokener_parse_ex(tok, body ? body : "", (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	sbx_faults_init(&faults);
	rc = parse_faults(doc, &faults, &why);
	json_object_put(doc);
	if (rc != XDR_OK) {
		sbx_faults_clear(&faults);
		return rc == XDR_EINVAL ? refuse(res, 400, why) : rc;
	}
	sbx_faults_clear(&srv->faults);
	srv->faults = faults;
	return faults_show(srv, res);
}

/* ---- /_sandbox/touch: what an account's users do between two reads ---- */

/* A MAC for interface I of a configuration touched at MS: locally
 * administered, unicast, and another one at every touch. */
static void touched_mac(int64_t id, size_t i, int64_t ms, const char *sep,
                        char *out, size_t size)
{
	uint64_t z = (uint64_t)id * 0x9E3779B97F4A7C15ULL ^
	             ((uint64_t)i << 48) ^ (uint64_t)ms;

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	snprintf(out, size, "02%s%02X%s%02X%s%02X%s%02X%s%02X", sep,
	         (unsigned)(z & 0xFF), sep, (unsigned)(z >> 8 & 0xFF), sep,
	         (unsigned)(z >> 16 & 0xFF), sep, (unsigned)(z >> 24 & 0xFF),
	         sep, (unsigned)(z >> 32 & 0xFF));
}

/* New MACs for the configuration C and its interfaces, and updated-at NOW
 * on each. Only strings change: the integer columns a listing keeps of
 * this collection (sbx_store_column) stay true. */
static int touch_configuration(struct json_object *c, const char *now,
                               int64_t ms)
{
	struct json_object *ifaces = NULL, *own = NULL;
	char mac[32];
	size_t n;

	if (json_object_object_get_ex(c, "interfaces", &ifaces) &&
	    json_object_is_type(ifaces, json_type_array)) {
		n = json_object_array_length(ifaces);
		for (size_t i = 0; i < n; i++) {
			struct json_object *f =
			        json_object_array_get_idx(ifaces, i);

			touched_mac(sbx_id_of(c), i, ms, ":", mac, sizeof(mac));
			if (json_object_object_add(
			            f, "mac-address",
			            json_object_new_string(mac)) ||
			    json_object_object_add(f, "updated-at",
			                           json_object_new_string(now)))
				return XDR_ENOMEM;
		}
	}
	/* Its own MAC, when it has one: the first interface's, with
	 * dashes, as IT Glue's configurations write it. */
	if (json_object_object_get_ex(c, "mac-address", &own) && own) {
		touched_mac(sbx_id_of(c), 0, ms, "-", mac, sizeof(mac));
		if (json_object_object_add(c, "mac-address",
		                           json_object_new_string(mac)))
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

/* Touches the record R of RESOURCE at NOW: updated-at, what touching does
 * to a configuration, then the attributes of SET (may be NULL), a copy of
 * each on R. */
static int touch_one(const char *resource, struct json_object *r,
                     struct json_object *set, const char *now, int64_t ms)
{
	int rc = XDR_OK;

	if (!strcmp(resource, "configurations"))
		rc = touch_configuration(r, now, ms);
	if (rc == XDR_OK && json_object_object_add(r, "updated-at",
	                                           json_object_new_string(now)))
		rc = XDR_ENOMEM;
	if (rc != XDR_OK || !set)
		return rc;
	json_object_object_foreach(set, key, value)
	{
		struct json_object *copy = NULL;

		if (value && json_object_deep_copy(value, &copy, NULL))
			return XDR_ENOMEM;
		if (json_object_object_add(r, key, copy)) {
			json_object_put(copy);
			return XDR_ENOMEM;
		}
	}
	return XDR_OK;
}

/* Whether VALUE may be written as attribute KEY of a record of RESOURCE
 * (checked in STORE): what a data file may hold there, so that the data
 * still loads (--save) and every answer can still be written. WHY says
 * what is wrong. */
static bool settable(const struct sbx_store *store, const char *resource,
                     const char *key, struct json_object *value, char *why,
                     size_t size)
{
	bool configuration = !strcmp(resource, "configurations");
	bool contact = !strcmp(resource, "contacts");

	if (!strcmp(key, "id") || !strcmp(key, "created-at") ||
	    !strcmp(key, "updated-at")) {
		snprintf(why, size,
		         "\"set\" cannot change \"%s\" (ids stay; touch sets "
		         "updated-at itself)",
		         key);
		return false;
	}
	if ((contact &&
	     (!strcmp(key, "name") || !strcmp(key, "organization-name") ||
	      !strcmp(key, "resource-url"))) ||
	    (configuration && (!strcmp(key, "organization-name") ||
	                       !strcmp(key, "organization-short-name") ||
	                       !strcmp(key, "resource-url")))) {
		snprintf(why, size,
		         "\"set\" cannot change \"%s\": it is derived (from "
		         "the names, the organization, the id)",
		         key);
		return false;
	}
	if (configuration && !strcmp(key, "interfaces")) {
		snprintf(why, size,
		         "\"set\" cannot change a configuration's "
		         "\"interfaces\" (touch gives them new MACs)");
		return false;
	}
	if ((configuration || contact) && !strcmp(key, "organization-id") &&
	    !(json_object_is_type(value, json_type_int) &&
	      sbx_store_find(store, "organizations",
	                     json_object_get_int64(value)))) {
		snprintf(why, size,
		         "\"set\": \"organization-id\" must be the id of an "
		         "existing organization");
		return false;
	}
	if (((contact && !strcmp(key, "important")) ||
	     (configuration && !strcmp(key, "archived"))) &&
	    value && !json_object_is_type(value, json_type_boolean)) {
		snprintf(why, size,
		         "\"set\": \"%s\" must be true, false or null", key);
		return false;
	}
	if (!strcmp(key, "name") && !contact &&
	    (!json_object_is_type(value, json_type_string) ||
	     (!configuration && !json_object_get_string_len(value)))) {
		snprintf(why, size, "\"set\": \"name\" must be a%s string",
		         configuration ? "" : " non-empty");
		return false;
	}
	if (contact && !strcmp(key, "contact-emails") && value) {
		size_t n = json_object_is_type(value, json_type_array)
		                   ? json_object_array_length(value)
		                   : 0;
		bool ok = json_object_is_type(value, json_type_array);

		for (size_t i = 0; ok && i < n; i++)
			ok = sbx_str_of(json_object_array_get_idx(value, i),
			                "value") != NULL;
		if (!ok) {
			snprintf(
			        why, size,
			        "\"set\": \"contact-emails\" must be null or a "
			        "list of objects with a string \"value\"");
			return false;
		}
	}
	return true;
}

/* "set" of DOC into *SET: absent or null (NULL), or an object whose every
 * attribute may be written on RESOURCE. */
static bool touch_set(const struct sbx_store *store, struct json_object *doc,
                      const char *resource, struct json_object **set, char *why,
                      size_t size)
{
	*set = NULL;
	if (!json_object_object_get_ex(doc, "set", set) || !*set)
		return true;
	if (!json_object_is_type(*set, json_type_object)) {
		snprintf(why, size,
		         "\"set\" must be an object of attributes, e.g. "
		         "{\"important\": false}");
		return false;
	}
	json_object_object_foreach(*set, key, value)
	{
		if (!settable(store, resource, key, value, why, size))
			return false;
	}
	return true;
}

/* The position of the record with id ID in ALL into *AT: a binary search
 * finds it at once when ALL is in id order (generated data), a scan
 * otherwise. */
static bool position_of(struct json_object *all, int64_t id, size_t *at)
{
	size_t n = json_object_array_length(all), lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t here = sbx_id_of(json_object_array_get_idx(all, mid));

		if (here == id) {
			*at = mid;
			return true;
		}
		if (here < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = 0; i < n; i++) {
		if (sbx_id_of(json_object_array_get_idx(all, i)) == id) {
			*at = i;
			return true;
		}
	}
	return false;
}

/* The positions in ALL (the collection RESOURCE) of the records DOC
 * selects: "every": N (the Nth, 2Nth, ... in store order) or "ids": [...]
 * (each must exist). */
static int touch_select(struct json_object *doc, const char *resource,
                        struct json_object *all, size_t **at, size_t *n,
                        char *why, size_t size)
{
	struct json_object *every = NULL, *ids = NULL;
	size_t count = json_object_array_length(all), wanted;
	bool has_every = json_object_object_get_ex(doc, "every", &every);
	bool has_ids = json_object_object_get_ex(doc, "ids", &ids);

	*n = 0;
	snprintf(why, size,
	         "give one of \"every\": N >= 1 and \"ids\": [id, ...]");
	if (has_every == has_ids)
		return XDR_EINVAL;
	if (has_ids && !json_object_is_type(ids, json_type_array)) {
		snprintf(why, size,
		         "\"ids\" must be a list of ids of existing %s",
		         resource);
		return XDR_EINVAL;
	}
	wanted = has_ids ? json_object_array_length(ids) : count;
	*at = malloc((wanted ? wanted : 1) * sizeof(**at));
	if (!*at)
		return XDR_ENOMEM;
	if (has_every) {
		int64_t step = json_object_is_type(every, json_type_int)
		                       ? json_object_get_int64(every)
		                       : 0;

		if (step < 1)
			return XDR_EINVAL;
		for (int64_t i = step - 1; i < (int64_t)count; i += step)
			(*at)[(*n)++] = (size_t)i;
		return XDR_OK;
	}
	for (size_t k = 0; k < wanted; k++) {
		struct json_object *v = json_object_array_get_idx(ids, k);
		int64_t id = json_object_is_type(v, json_type_int)
		                     ? json_object_get_int64(v)
		                     : -1;

		if (id < 1 || !position_of(all, id, &(*at)[*n])) {
			snprintf(why, size,
			         "\"ids\" must be a list of ids of existing "
			         "%s: %s is not one",
			         resource, json_object_to_json_string(v));
			return XDR_EINVAL;
		}
		(*n)++;
	}
	return XDR_OK;
}

static int by_position_desc(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* Deletes the records at the N positions AT of ALL, from the end so that
 * the positions hold (AT is sorted; an id given twice is deleted once). */
static int touch_delete(struct json_object *all, size_t *at, size_t n)
{
	qsort(at, n, sizeof(*at), by_position_desc);
	for (size_t k = 0; k < n; k++) {
		if (k > 0 && at[k] == at[k - 1])
			continue;
		if (json_object_array_del_idx(all, at[k], 1))
			return XDR_ENOMEM;
	}
	return XDR_OK;
}

/* {"resource": "configurations" | "contacts" | "organizations", "every": N
 * | "ids": [...], "set"?: {...} | "delete"?: true}: change (or delete)
 * records as a user of the account would, since the API writes none of
 * them. Answers what was done. */
static int touch_apply(struct sbx_server *srv, struct json_object *doc,
                       struct sbx_response *res)
{
	static const char *const resources[] = {"configurations", "contacts",
	                                        "organizations", NULL};
	struct json_object *resource = NULL, *del = NULL, *set = NULL;
	struct json_object *all, *out, *list;
	const char *name = NULL;
	bool deleting;
	size_t *at = NULL, n = 0;
	char now[32], why[256];
	int64_t ms;
	int rc;

	if (!json_object_is_type(doc, json_type_object))
		return refuse(res, 400, "the body must be a JSON object");
	if (json_object_object_get_ex(doc, "resource", &resource) &&
	    json_object_is_type(resource, json_type_string))
		for (const char *const *r = resources; *r && !name; r++)
			if (!strcmp(json_object_get_string(resource), *r))
				name = *r;
	if (!name)
		return refuse(res, 400,
		              "\"resource\" must be \"configurations\", "
		              "\"contacts\" or \"organizations\"");
	if (json_object_object_get_ex(doc, "delete", &del) && del &&
	    !json_object_is_type(del, json_type_boolean))
		return refuse(res, 400, "\"delete\" is true or false");
	deleting = json_object_get_boolean(del);
	if (!touch_set(&srv->store, doc, name, &set, why, sizeof(why)))
		return refuse(res, 400, why);
	if (deleting && set)
		return refuse(res, 400,
		              "\"set\" cannot go with \"delete\": a deleted "
		              "record has no attributes left to set");
	all = sbx_store_collection(&srv->store, name);
	if (!all) {
		snprintf(why, sizeof(why), "no %s", name);
		return refuse(res, 404, why);
	}
	rc = touch_select(doc, name, all, &at, &n, why, sizeof(why));
	if (rc != XDR_OK) {
		free(at);
		return rc == XDR_EINVAL ? refuse(res, 400, why) : rc;
	}
	out = json_object_new_object();
	list = json_object_new_array();
	if (!out || !list) {
		json_object_put(out);
		json_object_put(list);
		free(at);
		return XDR_ENOMEM;
	}
	sbx_now_rfc3339(now);
	ms = (int64_t)time(NULL) * 1000 + atoi(now + 20);
	for (size_t k = 0; k < n && rc == XDR_OK; k++) {
		struct json_object *r = json_object_array_get_idx(all, at[k]);

		json_object_array_add(list,
		                      json_object_new_int64(sbx_id_of(r)));
		if (!deleting)
			rc = touch_one(name, r, set, now, ms);
	}
	if (deleting && rc == XDR_OK)
		rc = touch_delete(all, at, n);
	/* The columns a listing keeps of the collection (its ids, integer
	 * filters) are read again after a delete, or a "set" that may have
	 * written an integer attribute. A plain touch changes strings only. */
	if (deleting || set)
		sbx_store_changed(&srv->store, all);
	free(at);
	if (rc != XDR_OK) {
		json_object_put(out);
		json_object_put(list);
		return rc;
	}
	json_object_object_add(out, "resource", json_object_new_string(name));
	json_object_object_add(out, deleting ? "deleted" : "touched",
	                       json_object_new_int64((int64_t)n));
	json_object_object_add(out, "ids", list);
	if (!deleting)
		json_object_object_add(out, "updated_at",
		                       json_object_new_string(now));
	return answer(res, 200, out);
}

static int touch(struct sbx_server *srv, const char *body, size_t len,
                 struct sbx_response *res)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *doc = NULL;
	int rc;

	if (!tok)
		return XDR_ENOMEM;
	doc = json_tokener_parse_ex(tok, body ? body : "", (int)len);
	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	rc = touch_apply(srv, doc, res);
	json_object_put(doc);
	return rc;
}

static const char *media_type(const char *name)
{
	const char *dot = name ? strrchr(name, '.') : NULL;

	if (dot && (!strcasecmp(dot, ".html") || !strcasecmp(dot, ".htm")))
		return "text/html; charset=utf-8";
	if (dot && !strcasecmp(dot, ".pdf"))
		return "application/pdf";
	if (dot && !strcasecmp(dot, ".txt"))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

static int file(struct sbx_server *srv, const char *id_text,
                struct sbx_response *res)
{
	struct json_object *f;
	const char *content, *name;
	unsigned char *bytes;
	size_t size;
	int64_t id;
	int rc;

	if (!sbx_parse_id(id_text, &id) ||
	    !(f = sbx_file_find(&srv->store, id)))
		return refuse(res, 404, "no such file");
	content = sbx_str_of(f, "content");
	name = sbx_str_of(f, "file_name");
	if (!name)
		name = sbx_str_of(f, "attachment-file-name");
	if (!content)
		return refuse(res, 404, "no such file");
	rc = sbx_base64_decode(content, strlen(content), &bytes, &size);
	if (rc == XDR_EINVAL)
		return refuse(res, 500, "stored content is not base64");
	if (rc != XDR_OK)
		return rc;
	rc = sbx_respond_bytes(res, 200, media_type(name), bytes, size);
	free(bytes);
	return rc;
}

int sbx_inspect(struct sbx_server *srv, const char *method, const char *path,
                const char *body, size_t body_len, struct sbx_response *res)
{
	bool get = !strcmp(method, "GET"), post = !strcmp(method, "POST");
	char params[2][32];

	if (get && !strcmp(path, "/_sandbox/health"))
		return health(srv, res);
	if (get && !strcmp(path, "/_sandbox/requests"))
		return requests(srv, res);
	if (get && !strcmp(path, "/_sandbox/counts"))
		return counts(srv, res);
	if (get && !strcmp(path, "/_sandbox/data"))
		return answer(res, 200, json_object_get(srv->store.root));
	if (post && !strcmp(path, "/_sandbox/reset"))
		return reset(srv, res);
	if (get && !strcmp(path, "/_sandbox/faults"))
		return faults_show(srv, res);
	if (post && !strcmp(path, "/_sandbox/faults"))
		return faults_set(srv, body, body_len, res);
	if (post && !strcmp(path, "/_sandbox/touch"))
		return touch(srv, body, body_len, res);
	if (get && sbx_route_match("/_sandbox/files/:id", path, params))
		return file(srv, params[0], res);
	return refuse(res, 404, "no such /_sandbox/ route");
}
