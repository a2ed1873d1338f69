/*
 * resource.c - stored objects served as JSON:API resources, and the list
 * answer every index route shares: filter, sort, page, meta, links.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

#include "paging.h"
#include "sandbox.h"

#define SORT_KEYS_MAX 4

static bool listed(const char *key, const char *const *list)
{
	for (; list && *list; list++)
		if (!strcmp(key, *list))
			return true;
	return false;
}

bool sbx_wants(const struct sbx_ctx *ctx, const char *name)
{
	return sbx_query_includes(ctx->req->query, name) ||
	       (ctx->force_include && !strcmp(ctx->force_include, name));
}

struct json_object *sbx_identifier(const char *type, int64_t id)
{
	struct json_object *o = json_object_new_object();
	char buf[24];

	if (!o)
		return NULL;
	snprintf(buf, sizeof(buf), "%" PRId64, id);
	json_object_object_add(o, "id", json_object_new_string(buf));
	json_object_object_add(o, "type", json_object_new_string(type));
	return o;
}

struct json_object *sbx_resource(struct sbx_ctx *ctx,
                                 const struct sbx_family *f,
                                 struct json_object *stored,
                                 struct json_object *included)
{
	struct json_object *o = sbx_identifier(f->type, sbx_id_of(stored));
	struct json_object *attrs = json_object_new_object();
	struct json_object *rels = json_object_new_object();

	if (!o || !attrs || !rels)
		goto nomem;
	for (const char *const *a = f->attributes; a && *a; a++)
		json_object_object_add(attrs, *a, NULL);
	json_object_object_foreach(stored, key, value)
	{
		struct json_object *copy = NULL;

		if (!strcmp(key, "id") || listed(key, f->hidden))
			continue;
		if (value && json_object_deep_copy(value, &copy, NULL))
			goto nomem;
		json_object_object_add(attrs, key, copy);
	}
	if (f->derive && f->derive(ctx, stored, attrs) != XDR_OK)
		goto nomem;
	if (f->relate && f->relate(ctx, stored, rels, included) != XDR_OK)
		goto nomem;
	json_object_object_add(o, "attributes", attrs);
	json_object_object_add(o, "relationships", rels);
	return o;
nomem:
	json_object_put(o);
	json_object_put(attrs);
	json_object_put(rels);
	return NULL;
}

int sbx_relate_nested(struct sbx_ctx *ctx, struct json_object *owner,
                      const char *member, const char *rel_name,
                      const struct sbx_family *f, struct json_object *rels,
                      struct json_object *included)
{
	struct json_object *data = json_object_new_array();
	struct json_object *holder = json_object_new_object();
	struct json_object *saved = ctx->parent, *items = NULL;
	size_t n;
	int rc = XDR_OK;

	if (!data || !holder) {
		json_object_put(data);
		json_object_put(holder);
		return XDR_ENOMEM;
	}
	json_object_object_add(holder, "data", data);
	json_object_object_add(rels, rel_name, holder);
	if (!json_object_object_get_ex(owner, member, &items) || !items)
		return XDR_OK;
	n = json_object_array_length(items);
	ctx->parent = owner;
	for (size_t i = 0; i < n && rc == XDR_OK; i++) {
		struct json_object *item = json_object_array_get_idx(items, i);
		struct json_object *id =
		        sbx_identifier(f->type, sbx_id_of(item));
		struct json_object *r =
		        included ? sbx_resource(ctx, f, item, NULL) : NULL;

		if (!id || (included && !r)) {
			json_object_put(id);
			json_object_put(r);
			rc = XDR_ENOMEM;
			break;
		}
		json_object_array_add(data, id);
		if (r)
			json_object_array_add(included, r);
	}
	ctx->parent = saved;
	return rc;
}

/* ---- sorting ---- */

enum sort_field { SORT_ID, SORT_NAME, SORT_CREATED, SORT_UPDATED };

struct sort_key {
	enum sort_field field;
	bool descending;
};

struct sort_spec {
	const struct sbx_family *family;
	struct sort_key keys[SORT_KEYS_MAX];
	size_t count;
};

/* sort=name,-id: IT Glue's sort keys; false for anything else. */
static bool parse_sort(const char *s, struct sort_spec *spec)
{
	static const struct {
		const char *name;
		enum sort_field field;
	} fields[] = {{"id", SORT_ID},
	              {"name", SORT_NAME},
	              {"created_at", SORT_CREATED},
	              {"updated_at", SORT_UPDATED}};

	spec->count = 0;
	while (s && *s) {
		size_t len = strcspn(s, ",");
		bool desc = *s == '-';
		bool found = false;

		if (desc) {
			s++;
			len--;
		}
		for (size_t i = 0; i < 4 && !found; i++) {
			if (strlen(fields[i].name) != len ||
			    strncmp(s, fields[i].name, len))
				continue;
			if (spec->count == SORT_KEYS_MAX)
				return false;
			spec->keys[spec->count].field = fields[i].field;
			spec->keys[spec->count++].descending = desc;
			found = true;
		}
		if (!found)
			return false;
		s += len;
		if (*s == ',')
			s++;
	}
	return true;
}

static const char *name_of(const struct sbx_family *f, struct json_object *o,
                           char *buf, size_t size)
{
	const char *s;

	if (f->sort_name)
		return f->sort_name(o, buf, size);
	s = sbx_str_of(o, "name");
	return s ? s : "";
}

static int compare(struct json_object *a, struct json_object *b,
                   const struct sort_spec *spec)
{
	char ba[256], bb[256];

	for (size_t i = 0; i < spec->count; i++) {
		int c = 0;

		switch (spec->keys[i].field) {
		case SORT_ID:
			c = sbx_id_of(a) < sbx_id_of(b)   ? -1
			    : sbx_id_of(a) > sbx_id_of(b) ? 1
			                                  : 0;
			break;
		case SORT_NAME:
			c = strcasecmp(
			        name_of(spec->family, a, ba, sizeof(ba)),
			        name_of(spec->family, b, bb, sizeof(bb)));
			break;
		case SORT_CREATED:
		case SORT_UPDATED: {
			const char *k = spec->keys[i].field == SORT_CREATED
			                        ? "created-at"
			                        : "updated-at";
			const char *x = sbx_str_of(a, k), *y = sbx_str_of(b, k);

			c = strcmp(x ? x : "", y ? y : "");
			break;
		}
		}
		if (c)
			return spec->keys[i].descending ? -c : c;
	}
	return sbx_id_of(a) < sbx_id_of(b) ? -1 : sbx_id_of(a) > sbx_id_of(b);
}

/* A stable merge sort, since qsort() takes no context. */
static void merge_sort(struct json_object **v, struct json_object **tmp,
                       size_t n, const struct sort_spec *spec)
{
	size_t mid = n / 2, i = 0, j = mid, k = 0;

	if (n < 2)
		return;
	merge_sort(v, tmp, mid, spec);
	merge_sort(v + mid, tmp, n - mid, spec);
	while (i < mid && j < n)
		tmp[k++] = compare(v[j], v[i], spec) < 0 ? v[j++] : v[i++];
	while (i < mid)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

/* Sort by id alone (the default, and sort=id or sort=-id): the ids are read
 * once, and a collection already in id order, as stored ones mostly are,
 * costs one pass. */
struct by_id {
	int64_t id;
	struct json_object *o;
};

static int by_id_asc(const void *a, const void *b)
{
	const struct by_id *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static bool sort_by_id(struct json_object **v, const int64_t *ids, size_t n,
                       const struct sort_spec *spec)
{
	bool desc, sorted = true;
	struct by_id *keys;

	if (spec->count != 1 || spec->keys[0].field != SORT_ID)
		return false;
	desc = spec->keys[0].descending;
	keys = malloc((n ? n : 1) * sizeof(*keys));
	if (!keys)
		return false;
	for (size_t i = 0; i < n; i++) {
		keys[i].id = ids ? ids[i] : sbx_id_of(v[i]);
		keys[i].o = v[i];
		if (i > 0 && keys[i].id < keys[i - 1].id)
			sorted = false;
	}
	if (!sorted)
		qsort(keys, n, sizeof(*keys), by_id_asc);
	for (size_t i = 0; i < n; i++)
		v[i] = keys[desc ? n - 1 - i : i].o;
	free(keys);
	return true;
}

/* Sorts the N records at V by SPEC: by id alone with IDS (their ids, may be
 * NULL) when it asks for that, by a stable merge sort otherwise. */
static int sort_records(struct json_object **v, const int64_t *ids, size_t n,
                        const struct sort_spec *spec)
{
	struct json_object **tmp;

	if (sort_by_id(v, ids, n, spec))
		return XDR_OK;
	tmp = malloc((n ? n : 1) * sizeof(*tmp));
	if (!tmp)
		return XDR_ENOMEM;
	merge_sort(v, tmp, n, spec);
	free(tmp);
	return XDR_OK;
}

/* The records of ITEMS that pass the family's filters (all of them unless
 * FILTERED), sorted by SPEC: *OUT (the caller frees) and *KEPT. */
static int select_records(struct sbx_ctx *ctx, const struct sbx_family *f,
                          struct json_object *items, bool filtered,
                          const struct sort_spec *spec,
                          struct json_object ***out, size_t *kept)
{
	struct sbx_filter_set set = {NULL, 0};
	size_t n = json_object_array_length(items), k = 0;
	struct json_object **v = malloc((n ? n : 1) * sizeof(*v));
	const int64_t *ids = NULL;
	int64_t *kept_ids = NULL;
	int rc = XDR_ENOMEM;

	if (!v)
		return XDR_ENOMEM;
	if (filtered &&
	    sbx_filter_set_build(ctx->req->query, f->filters, &set) != XDR_OK)
		goto out;
	/* A large collection is mostly filtered and sorted by ids: read once
	 * where the records never change, not once per request. */
	if (filtered && f->read_only) {
		ids = sbx_store_column(ctx->store, items, "id");
		for (size_t i = 0; i < set.count; i++)
			if (set.filters[i].rule->match == SBX_MATCH_ID)
				set.filters[i].column = sbx_store_column(
				        ctx->store, items,
				        set.filters[i].attribute);
		kept_ids = ids ? malloc((n ? n : 1) * sizeof(*kept_ids)) : NULL;
		if (!kept_ids)
			ids = NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_array_get_idx(items, i);

		if (!sbx_filter_set_matches_row(&set, o, i))
			continue;
		if (ids)
			kept_ids[k] = ids[i];
		v[k++] = o;
	}
	rc = sort_records(v, ids ? kept_ids : NULL, k, spec);
out:
	sbx_filter_set_free(&set);
	free(kept_ids);
	if (rc != XDR_OK) {
		free(v);
		return rc;
	}
	*out = v;
	*kept = k;
	return XDR_OK;
}

/* ---- listings kept for their next pages ---- */

/*
 * A client reads a large listing page after page, each request with the same
 * filters and sort: the records selected for the first page are kept, so that
 * the next pages do not filter and sort the whole collection again. They are
 * pointers into the store, kept only while it does not change: the server
 * drops them all (sbx_listings_clear) after any request but an API GET,
 * every one of which only reads the store.
 */

static void listing_free(struct sbx_listing *l)
{
	free(l->key);
	free(l->records);
	memset(l, 0, sizeof(*l));
}

void sbx_listings_clear(struct sbx_listings *l)
{
	for (size_t i = 0; i < SBX_LISTINGS_MAX; i++)
		listing_free(&l->kept[i]);
}

static bool is_page_param(const char *key)
{
	return !strcmp(key, "page[number]") || !strcmp(key, "page[size]");
}

/* PATH and every parameter of Q but the page, lengths first so that no two
 * different queries read the same. NULL when out of memory. */
static char *listing_key(const char *path, const struct sbx_query *q)
{
	size_t len = strlen(path) + 2, at;
	char *key;

	for (size_t i = 0; i < q->count; i++)
		if (!is_page_param(q->params[i].key))
			len += strlen(q->params[i].key) +
			       strlen(q->params[i].value) + 2 * 24;
	key = malloc(len);
	if (!key)
		return NULL;
	at = (size_t)snprintf(key, len, "%s?", path);
	for (size_t i = 0; i < q->count; i++) {
		const struct sbx_param *p = &q->params[i];

		if (!is_page_param(p->key))
			at += (size_t)snprintf(key + at, len - at,
			                       "%zu:%s%zu:%s", strlen(p->key),
			                       p->key, strlen(p->value),
			                       p->value);
	}
	return key;
}

static struct sbx_listing *listing_find(struct sbx_listings *l, const char *key,
                                        const struct sbx_family *f,
                                        struct json_object *items)
{
	for (size_t i = 0; i < SBX_LISTINGS_MAX; i++) {
		struct sbx_listing *k = &l->kept[i];

		if (k->key && k->family == f && k->items == items &&
		    !strcmp(k->key, key)) {
			k->used = ++l->clock;
			return k;
		}
	}
	return NULL;
}

/* Keeps RECORDS (taken over) under KEY (taken over), in place of the least
 * recently used listing, and returns it: its records may have moved. */
static struct sbx_listing *listing_keep(struct sbx_listings *l, char *key,
                                        const struct sbx_family *f,
                                        struct json_object *items,
                                        struct json_object **records,
                                        size_t count)
{
	struct sbx_listing *slot = &l->kept[0];
	/* RECORDS has room for the whole collection: kept, it holds what
	 * the filters selected only. */
	struct json_object **fit =
	        realloc(records, (count ? count : 1) * sizeof(*records));

	if (fit)
		records = fit;
	for (size_t i = 1; i < SBX_LISTINGS_MAX; i++)
		if (l->kept[i].used < slot->used)
			slot = &l->kept[i];
	listing_free(slot);
	slot->key = key;
	slot->family = f;
	slot->items = items;
	slot->records = records;
	slot->count = count;
	slot->used = ++l->clock;
	return slot;
}

/* The records a listing shows, as select_records() finds them, from the
 * listings kept when the store has not changed since. *RECORDS is the
 * caller's to free when *OWNED, the kept listing's otherwise. */
static int listing_records(struct sbx_ctx *ctx, const struct sbx_family *f,
                           struct json_object *items, bool filtered,
                           const struct sort_spec *spec,
                           struct json_object ***records, size_t *count,
                           bool *owned)
{
	struct sbx_listings *l = ctx->listings;
	struct sbx_listing *hit;
	char *key;
	int rc;

	*owned = true;
	/* Only the large collections are worth it, listed whole. */
	if (!l || !filtered || !f->read_only)
		return select_records(ctx, f, items, filtered, spec, records,
		                      count);
	key = listing_key(ctx->req->path, ctx->req->query);
	hit = key ? listing_find(l, key, f, items) : NULL;
	if (hit) {
		free(key);
		*records = hit->records;
		*count = hit->count;
		*owned = false;
		return XDR_OK;
	}
	rc = select_records(ctx, f, items, filtered, spec, records, count);
	if (rc == XDR_OK && key) {
		hit = listing_keep(l, key, f, items, *records, *count);
		*records = hit->records; /* moved, when shrunk */
		*owned = false;
	} else {
		free(key);
	}
	return rc;
}

/* ---- answers ---- */

/* The page of V (the listing's records) as a document. */
static int list_doc(struct sbx_ctx *ctx, const struct sbx_family *f,
                    struct json_object **v, const struct sbx_page *page)
{
	const struct sbx_query *q = ctx->req->query;
	struct json_object *doc = json_object_new_object();
	struct json_object *data = json_object_new_array();
	struct json_object *included = json_object_new_array();
	struct json_object *meta, *links;

	if (!doc || !data || !included) {
		json_object_put(doc);
		json_object_put(data);
		json_object_put(included);
		return XDR_ENOMEM;
	}
	json_object_object_add(doc, "data", data);
	for (long i = 0; i < page->count; i++) {
		struct json_object *r =
		        sbx_resource(ctx, f, v[page->first + i], included);

		if (!r || json_object_array_add(data, r)) {
			json_object_put(r);
			json_object_put(included);
			json_object_put(doc);
			return XDR_ENOMEM;
		}
	}
	if (sbx_query_get(q, "include"))
		json_object_object_add(doc, "included", included);
	else
		json_object_put(included);
	meta = sbx_page_meta(page);
	links = sbx_page_links(page, ctx->req->base_url, ctx->req->path, q);
	if (!meta || !links) {
		json_object_put(meta);
		json_object_put(links);
		json_object_put(doc);
		return XDR_ENOMEM;
	}
	json_object_object_add(doc, "meta", meta);
	json_object_object_add(doc, "links", links);
	return sbx_respond_doc(ctx->res, 200, doc);
}

int sbx_list(struct sbx_ctx *ctx, const struct sbx_family *f,
             struct json_object *items, bool filtered)
{
	const struct sbx_query *q = ctx->req->query;
	struct sort_spec spec = {f, {{SORT_ID, false}}, 1};
	struct json_object **v = NULL;
	struct sbx_page page;
	size_t kept = 0;
	bool owned;
	int rc;

	if (q->sort && !parse_sort(q->sort, &spec))
		return sbx_respond_error(ctx->res, 400, "Invalid sort criteria",
		                         q->sort, "sort");
	rc = listing_records(ctx, f, items, filtered, &spec, &v, &kept, &owned);
	if (rc != XDR_OK)
		return rc;
	sbx_page_compute((long)kept, q->page_number, q->page_size, &page);
	if (f->read_only)
		rc = sbx_list_text(ctx, f, page.count ? v + page.first : v,
		                   &page);
	else
		rc = list_doc(ctx, f, v, &page);
	if (owned)
		free(v);
	return rc;
}

int sbx_show(struct sbx_ctx *ctx, const struct sbx_family *f,
             struct json_object *stored, int status)
{
	struct json_object *doc = json_object_new_object();
	struct json_object *included = json_object_new_array();
	struct json_object *r;

	if (!doc || !included)
		goto nomem;
	r = sbx_resource(ctx, f, stored, included);
	if (!r)
		goto nomem;
	json_object_object_add(doc, "data", r);
	if (sbx_query_get(ctx->req->query, "include") || ctx->force_include)
		json_object_object_add(doc, "included", included);
	else
		json_object_put(included);
	return sbx_respond_doc(ctx->res, status, doc);
nomem:
	json_object_put(doc);
	json_object_put(included);
	return XDR_ENOMEM;
}

int sbx_not_found(struct sbx_ctx *ctx, const char *id)
{
	char detail[96];

	snprintf(detail, sizeof(detail),
	         "The record identified by %.40s could not be found.", id);
	return sbx_respond_error(ctx->res, 404, "Record not found", detail,
	                         NULL);
}

struct json_object *sbx_lookup(struct sbx_ctx *ctx, const char *collection,
                               int n)
{
	int64_t id;

	if (!sbx_parse_id(ctx->req->params[n], &id))
		return NULL;
	return sbx_store_find(ctx->store, collection, id);
}

struct json_object *sbx_body_attributes(struct sbx_ctx *ctx)
{
	struct json_object *data, *attrs;

	if (!ctx->req->body ||
	    !json_object_object_get_ex(ctx->req->body, "data", &data) ||
	    !json_object_is_type(data, json_type_object)) {
		sbx_respond_error(ctx->res, 400, "Bad Request",
		                  "The request body must hold a data object",
		                  "/data");
		return NULL;
	}
	if (!json_object_object_get_ex(data, "attributes", &attrs) ||
	    !json_object_is_type(attrs, json_type_object)) {
		sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                  "data.attributes is missing",
		                  "/data/attributes");
		return NULL;
	}
	return attrs;
}
