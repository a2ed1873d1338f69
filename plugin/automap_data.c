/*
 * automap_data.c - what one auto-map run reads from IT Glue.
 */
#include <config.h>

#include "automap_data.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "import_filter.h"

/* Blocks of the arena that every string and list of D lives in: a run
 * keeps half a million small strings, which one malloc each would
 * scatter over the heap with a header each, and free one by one. */
#define ARENA_BLOCK (256 * 1024)

struct itg_arena_block {
	struct itg_arena_block *next;
	size_t used, size;
	max_align_t data[];
};

/* SIZE zeroed bytes for the life of D, aligned for any pointer; NULL (and
 * *oom) when memory runs out. */
static void *arena_alloc(struct itg_automap_data *d, size_t size, bool *oom)
{
	struct itg_arena_block *b = d->arena;
	size_t at = b != NULL ? (b->used + sizeof(void *) - 1) &
	                                ~(sizeof(void *) - 1)
	                      : 0;
	void *p;

	if (b == NULL || size > b->size - at) {
		size_t room = size > ARENA_BLOCK ? size : ARENA_BLOCK;

		b = malloc(sizeof(*b) + room);
		if (b == NULL) {
			*oom = true;
			return NULL;
		}
		b->next = d->arena;
		b->used = 0;
		b->size = room;
		d->arena = b;
		at = 0;
	}
	p = (char *)b->data + at;
	b->used = at + size;
	memset(p, 0, size);
	return p;
}

/* Keep a copy of S (NULL stays NULL) for the life of D. */
static const char *keep(struct itg_automap_data *d, const char *s, bool *oom)
{
	size_t len;
	char *copy;

	if (s == NULL)
		return NULL;
	len = strlen(s) + 1;
	copy = arena_alloc(d, len, oom);
	if (copy != NULL)
		memcpy(copy, s, len);
	return copy;
}

static void *grow(void *items, size_t n, size_t size, bool *oom)
{
	void *p;

	/* Double at powers of two: amortised constant. */
	if (n != 0 && (n & (n - 1)) != 0)
		return items;
	p = realloc(items, (n == 0 ? 1 : n * 2) * size);
	if (p == NULL)
		*oom = true;
	return p;
}

/* Keep T in NEWEST (MS) when it is a time newer than the one there. */
static void note_newest(char newest[ITG_AUTOMAP_TIME_MAX], int64_t *ms,
                        const char *t)
{
	int64_t v;

	if (itg_automap_time_ms(t, &v) == 0 && (newest[0] == '\0' || v > *ms)) {
		*ms = v;
		snprintf(newest, ITG_AUTOMAP_TIME_MAX, "%s", t);
	}
}

struct page_ctx {
	struct itg_automap_data *d;
	bool oom;
	/* fetch_configs: the configurations added since last given */
	itg_automap_configs_fn on_configs;
	void *user;
	size_t given;
};

/* Every contact-emails[].value of a contact. */
static int add_contact(struct page_ctx *ctx, const struct itg_resource *r)
{
	struct itg_automap_data *d = ctx->d;
	struct json_object *emails =
	        itg_json_array(r->attributes, "contact-emails");
	size_t n = emails != NULL ? json_object_array_length(emails) : 0;
	struct itg_map_contact *c;
	const char **list;
	char org[32];
	int64_t org_id;
	enum itg_tristate important = ITG_TRI_NULL;

	note_newest(d->contact_newest, &d->contact_newest_ms,
	            itg_json_str(r->attributes, "updated-at"));
	itg_json_bool(r->attributes, "important", &important);
	/* Only important contacts count; the filter should have said so. */
	if (important != ITG_TRI_TRUE || n == 0 ||
	    itg_json_int64(r->attributes, "organization-id", &org_id) != 0)
		return 0;
	snprintf(org, sizeof(org), "%lld", (long long)org_id);
	list = arena_alloc(d, n * sizeof(*list), &ctx->oom);
	void *items = grow(d->contacts, d->n_contacts, sizeof(*c), &ctx->oom);
	/* A grown array is kept even when the rest failed. */
	if (items != NULL)
		d->contacts = items;
	if (list == NULL || items == NULL)
		return XDR_ENOMEM;
	c = &d->contacts[d->n_contacts];
	memset(c, 0, sizeof(*c));
	c->id = keep(d, r->id, &ctx->oom);
	c->organization_id = keep(d, org, &ctx->oom);
	c->organization_name = keep(
	        d, itg_json_str(r->attributes, "organization-name"), &ctx->oom);
	c->important = important;
	for (size_t i = 0; i < n; i++) {
		const char *v = itg_json_str(
		        json_object_array_get_idx(emails, i), "value");

		if (v != NULL)
			list[c->n_emails++] = keep(d, v, &ctx->oom);
	}
	c->emails = list;
	d->n_contacts++;
	return ctx->oom ? XDR_ENOMEM : 0;
}

static int contact_resource(void *user, const struct itg_resource *r,
                            const struct itg_doc *doc)
{
	(void)doc;
	if (strcmp(r->type, "contacts") != 0)
		return 0;
	return add_contact(user, r);
}

static int org_resource(void *user, const struct itg_resource *r,
                        const struct itg_doc *doc)
{
	struct page_ctx *ctx = user;
	struct itg_automap_data *d = ctx->d;
	void *items;

	(void)doc;
	if (strcmp(r->type, "organizations") != 0)
		return 0;
	items = grow(d->orgs, d->n_orgs, sizeof(*d->orgs), &ctx->oom);
	if (items == NULL)
		return XDR_ENOMEM;
	d->orgs = items;
	d->orgs[d->n_orgs].id = (char *)keep(d, r->id, &ctx->oom);
	d->orgs[d->n_orgs].name =
	        (char *)keep(d, itg_json_str(r->attributes, "name"), &ctx->oom);
	d->n_orgs++;
	note_newest(d->org_newest, &d->org_newest_ms,
	            itg_json_str(r->attributes, "updated-at"));
	return ctx->oom ? XDR_ENOMEM : 0;
}

static int by_org_id(const void *a, const void *b)
{
	const struct itg_automap_org *x = a, *y = b;

	return strcmp(x->id ? x->id : "", y->id ? y->id : "");
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The sorted copies the lookups search. */
static int index_orgs(struct itg_automap_data *d)
{
	free(d->orgs_sorted);
	d->orgs_sorted = calloc(d->n_orgs + 1, sizeof(*d->orgs_sorted));
	if (d->orgs_sorted == NULL)
		return XDR_ENOMEM;
	if (d->n_orgs > 0)
		memcpy(d->orgs_sorted, d->orgs, d->n_orgs * sizeof(*d->orgs));
	qsort(d->orgs_sorted, d->n_orgs, sizeof(*d->orgs_sorted), by_org_id);
	return 0;
}

static int index_configs(struct itg_automap_data *d)
{
	free(d->config_ids_sorted);
	d->config_ids_sorted =
	        calloc(d->n_configs + 1, sizeof(*d->config_ids_sorted));
	if (d->config_ids_sorted == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < d->n_configs; i++)
		d->config_ids_sorted[i] = d->configs[i].id;
	d->n_config_ids_sorted = d->n_configs;
	qsort(d->config_ids_sorted, d->n_configs, sizeof(*d->config_ids_sorted),
	      by_string);
	qsort(d->config_orgs, d->n_config_orgs, sizeof(*d->config_orgs),
	      by_string);
	return 0;
}

/* The attributes add_contact() and org_resource() read ("id": where IT Glue
 * puts a resource's id when it has no top-level one). */
static const char *const contact_or_org_attributes[] = {"id",
                                                        "contact-emails",
                                                        "important",
                                                        "organization-id",
                                                        "organization-name",
                                                        "name",
                                                        "updated-at",
                                                        NULL};

static int contact_or_org(void *user, const struct itg_resource *r,
                          const struct itg_doc *doc)
{
	return strcmp(r->type, "contacts") == 0 ? contact_resource(user, r, doc)
	                                        : org_resource(user, r, doc);
}

int itg_automap_fetch_contacts(struct itg_client *c, struct itg_automap_data *d,
                               struct itg_api_error *e)
{
	struct page_ctx ctx = {.d = d};
	struct itg_listing l[2] = {{.path = "/contacts"},
	                           {.path = "/organizations"}};
	int rc;

	/* Both listings at once; each callback takes its own type. */
	itg_query_init(&l[0].query);
	itg_query_init(&l[1].query);
	if (itg_query_add(&l[0].query, "filter[important]", "true") != 0 ||
	    itg_query_add(&l[0].query, "sort", "id") != 0 ||
	    itg_query_add(&l[1].query, "sort", "id") != 0)
		return XDR_EINVAL;
	l[0].attributes = l[1].attributes = contact_or_org_attributes;
	rc = itg_client_list_each(c, l, 2, 1000, NULL, contact_or_org, &ctx, e);
	if (rc == 0 && !ctx.oom)
		rc = index_orgs(d);
	return ctx.oom ? XDR_ENOMEM : rc;
}

const char *const itg_automap_config_attributes[] = {
        "id",          "organization-id", "name", "archived",
        "mac-address", "updated-at",      NULL};

/* The configuration R with its own MAC and its interfaces' MACs; reads
 * only itg_automap_config_attributes. */
static int config_resource(void *user, const struct itg_resource *r,
                           const struct itg_doc *doc)
{
	struct page_ctx *ctx = user;
	struct itg_automap_data *d = ctx->d;
	struct json_object *rel = NULL, *data = NULL;
	struct itg_map_config *cf;
	enum itg_tristate archived = ITG_TRI_NULL;
	const char **macs;
	size_t n_ifaces = 0;
	int64_t org_id;
	char org[32];
	void *items;

	if (strcmp(r->type, "configurations") != 0 ||
	    itg_json_int64(r->attributes, "organization-id", &org_id) != 0)
		return 0;
	if (r->relationships != NULL &&
	    json_object_object_get_ex(r->relationships,
	                              "configuration-interfaces", &rel))
		data = itg_json_array(rel, "data");
	n_ifaces = data != NULL ? json_object_array_length(data) : 0;
	macs = arena_alloc(d, (n_ifaces + 1) * sizeof(*macs), &ctx->oom);
	items = grow(d->configs, d->n_configs, sizeof(*cf), &ctx->oom);
	if (items != NULL)
		d->configs = items;
	if (macs == NULL || items == NULL)
		return XDR_ENOMEM;
	cf = &d->configs[d->n_configs];
	memset(cf, 0, sizeof(*cf));
	snprintf(org, sizeof(org), "%lld", (long long)org_id);
	itg_json_bool(r->attributes, "archived", &archived);
	cf->id = keep(d, r->id, &ctx->oom);
	cf->organization_id = keep(d, org, &ctx->oom);
	cf->name = keep(d, itg_json_str(r->attributes, "name"), &ctx->oom);
	cf->archived = archived == ITG_TRI_TRUE;
	if (itg_json_str(r->attributes, "mac-address") != NULL)
		macs[cf->n_macs++] =
		        keep(d, itg_json_str(r->attributes, "mac-address"),
		             &ctx->oom);
	for (size_t k = 0; k < n_ifaces; k++) {
		struct json_object *idv = NULL;
		const struct itg_resource *i;
		char id[ITG_JSONAPI_ID_MAX];
		const char *mac;

		if (!json_object_object_get_ex(
		            json_object_array_get_idx(data, k), "id", &idv) ||
		    idv == NULL)
			continue;
		snprintf(id, sizeof(id), "%s", json_object_get_string(idv));
		i = itg_doc_included(doc, "configuration-interfaces", id);
		mac = i != NULL ? itg_json_str(i->attributes, "mac-address")
		                : NULL;
		if (mac != NULL)
			macs[cf->n_macs++] = keep(d, mac, &ctx->oom);
	}
	cf->macs = macs;
	d->n_configs++;
	note_newest(d->newest, &d->newest_ms,
	            itg_json_str(r->attributes, "updated-at"));
	return ctx->oom ? XDR_ENOMEM : 0;
}

/* Give ON_CONFIGS the configurations added since it was last called. */
static int give_configs(struct page_ctx *ctx)
{
	size_t from = ctx->given;

	if (ctx->on_configs == NULL || ctx->d->n_configs == from)
		return 0;
	ctx->given = ctx->d->n_configs;
	return ctx->on_configs(ctx->user, ctx->d->configs + from,
	                       ctx->d->n_configs - from);
}

/* A page begins: the resources of the one before are all in. */
static int config_page(void *user, const struct itg_doc *doc, int64_t page)
{
	(void)doc;
	(void)page;
	return give_configs(user);
}

int itg_automap_fetch_configs(struct itg_client *c, const char *const *orgs,
                              size_t n, struct itg_automap_data *d,
                              itg_automap_configs_fn on_configs, void *user,
                              struct itg_api_error *e)
{
	struct page_ctx ctx = {.d = d, .on_configs = on_configs, .user = user};
	int rc = 0;

	d->configs_fetched = true;
	d->config_orgs = calloc(n + 1, sizeof(*d->config_orgs));
	if (d->config_orgs == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		d->config_orgs[d->n_config_orgs++] =
		        (char *)keep(d, orgs[i], &ctx.oom);
	/* One listing per ITG_AUTOMAP_ORGS_PER_REQUEST organizations, all
	 * fetched at once: their first pages go together, and the client
	 * keeps its transfers busy across them. */
	size_t n_queries = (n + ITG_AUTOMAP_ORGS_PER_REQUEST - 1) /
	                   ITG_AUTOMAP_ORGS_PER_REQUEST;
	struct itg_listing *queries = calloc(n_queries + 1, sizeof(*queries));

	if (queries == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n_queries && !ctx.oom; i++) {
		size_t first = i * ITG_AUTOMAP_ORGS_PER_REQUEST, k = n - first;
		struct itg_query *q = &queries[i].query;

		if (k > ITG_AUTOMAP_ORGS_PER_REQUEST)
			k = ITG_AUTOMAP_ORGS_PER_REQUEST;
		queries[i].path = "/configurations";
		queries[i].attributes = itg_automap_config_attributes;
		itg_query_init(q);
		if (itg_query_filter(q, "organization_id", orgs + first, k) !=
		            0 ||
		    itg_query_add(q, "include", "configuration_interfaces") !=
		            0 ||
		    itg_query_add(q, "sort", "id") != 0) {
			free(queries);
			return XDR_EINVAL;
		}
	}
	if (!ctx.oom)
		rc = itg_client_list_each(c, queries, n_queries, 1000,
		                          on_configs != NULL ? config_page
		                                             : NULL,
		                          config_resource, &ctx, e);
	free(queries);
	if (rc == 0 && !ctx.oom)
		rc = give_configs(&ctx);
	if (rc == 0 && !ctx.oom)
		rc = index_configs(d);
	return ctx.oom ? XDR_ENOMEM : rc;
}

const char *itg_automap_org_name(const struct itg_automap_data *d,
                                 const char *id)
{
	struct itg_automap_org key = {(char *)id, NULL};
	const struct itg_automap_org *hit;

	if (d->orgs_sorted == NULL)
		return NULL;
	hit = bsearch(&key, d->orgs_sorted, d->n_orgs, sizeof(key), by_org_id);
	if (hit == NULL)
		return NULL;
	return hit->name != NULL ? hit->name : "";
}

bool itg_automap_has_config(const struct itg_automap_data *d, const char *id)
{
	return d->config_ids_sorted != NULL &&
	       bsearch(&id, d->config_ids_sorted, d->n_config_ids_sorted,
	               sizeof(id), by_string) != NULL;
}

bool itg_automap_read_org(const struct itg_automap_data *d, const char *org)
{
	return d->config_orgs != NULL &&
	       bsearch(&org, d->config_orgs, d->n_config_orgs, sizeof(org),
	               by_string) != NULL;
}

void itg_automap_data_clear(struct itg_automap_data *d)
{
	while (d->arena != NULL) {
		struct itg_arena_block *b = d->arena;

		d->arena = b->next;
		free(b);
	}
	free(d->contacts);
	free(d->orgs);
	free(d->configs);
	free(d->config_orgs);
	free(d->orgs_sorted);
	free(d->config_ids_sorted);
	memset(d, 0, sizeof(*d));
}

int itg_automap_add_config(struct itg_automap_data *d,
                           const struct itg_resource *r,
                           const struct itg_doc *doc)
{
	struct page_ctx ctx = {.d = d};
	int rc = config_resource(&ctx, r, doc);

	return ctx.oom ? XDR_ENOMEM : rc;
}

int itg_automap_put_config(struct itg_automap_data *d,
                           const struct itg_map_config *c)
{
	bool oom = false;
	const char **macs =
	        arena_alloc(d, (c->n_macs + 1) * sizeof(*macs), &oom);
	void *items = grow(d->configs, d->n_configs, sizeof(*d->configs), &oom);
	struct itg_map_config *cf;

	if (items != NULL)
		d->configs = items;
	if (macs == NULL || items == NULL)
		return XDR_ENOMEM;
	cf = &d->configs[d->n_configs];
	memset(cf, 0, sizeof(*cf));
	cf->id = keep(d, c->id, &oom);
	cf->organization_id = keep(d, c->organization_id, &oom);
	cf->name = keep(d, c->name, &oom);
	cf->archived = c->archived;
	for (size_t i = 0; i < c->n_macs; i++) {
		if (c->macs[i] != NULL)
			macs[cf->n_macs++] = keep(d, c->macs[i], &oom);
	}
	cf->macs = macs;
	d->n_configs++;
	return oom ? XDR_ENOMEM : 0;
}

const char *itg_automap_keep(struct itg_automap_data *d, const char *s)
{
	bool oom = false;

	return keep(d, s, &oom);
}

int itg_automap_add_contact(struct itg_automap_data *d,
                            const struct itg_resource *r)
{
	struct page_ctx ctx = {.d = d};
	int rc = strcmp(r->type, "contacts") == 0 ? add_contact(&ctx, r) : 0;

	return ctx.oom ? XDR_ENOMEM : rc;
}

int itg_automap_add_org(struct itg_automap_data *d,
                        const struct itg_resource *r)
{
	struct page_ctx ctx = {.d = d};
	int rc = org_resource(&ctx, r, NULL);

	return ctx.oom ? XDR_ENOMEM : rc;
}

int itg_automap_put_contact(struct itg_automap_data *d,
                            const struct itg_map_contact *c)
{
	bool oom = false;
	const char **emails =
	        arena_alloc(d, (c->n_emails + 1) * sizeof(*emails), &oom);
	void *items =
	        grow(d->contacts, d->n_contacts, sizeof(*d->contacts), &oom);
	struct itg_map_contact *to;

	if (items != NULL)
		d->contacts = items;
	if (emails == NULL || items == NULL)
		return XDR_ENOMEM;
	to = &d->contacts[d->n_contacts];
	memset(to, 0, sizeof(*to));
	to->id = keep(d, c->id, &oom);
	to->organization_id = keep(d, c->organization_id, &oom);
	to->organization_name = keep(d, c->organization_name, &oom);
	to->important = c->important;
	for (size_t i = 0; i < c->n_emails; i++)
		if (c->emails[i] != NULL)
			emails[to->n_emails++] = keep(d, c->emails[i], &oom);
	to->emails = emails;
	d->n_contacts++;
	return oom ? XDR_ENOMEM : 0;
}

int itg_automap_put_org(struct itg_automap_data *d, const char *id,
                        const char *name)
{
	bool oom = false;
	void *items = grow(d->orgs, d->n_orgs, sizeof(*d->orgs), &oom);

	if (items == NULL)
		return XDR_ENOMEM;
	d->orgs = items;
	d->orgs[d->n_orgs].id = (char *)keep(d, id, &oom);
	d->orgs[d->n_orgs].name = (char *)keep(d, name, &oom);
	d->n_orgs++;
	return oom ? XDR_ENOMEM : 0;
}

int itg_automap_index_orgs(struct itg_automap_data *d)
{
	return index_orgs(d);
}

int itg_automap_index(struct itg_automap_data *d, const char *const *orgs,
                      size_t n)
{
	bool oom = false;

	free(d->config_orgs);
	d->n_config_orgs = 0;
	d->configs_fetched = true;
	d->config_orgs = calloc(n + 1, sizeof(*d->config_orgs));
	if (d->config_orgs == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n && !oom; i++)
		d->config_orgs[d->n_config_orgs++] =
		        (char *)keep(d, orgs[i], &oom);
	return oom ? XDR_ENOMEM : index_configs(d);
}
