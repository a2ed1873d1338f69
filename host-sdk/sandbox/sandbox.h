/*
 * sandbox.h - what the files of itglue-sandbox share: the store, requests
 * and responses, resource families, handlers, and the server's state.
 */
#ifndef SBX_SANDBOX_H
#define SBX_SANDBOX_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "faults.h"
#include "filters.h"
#include "query.h"
#include "ratelimit.h"

#define SBX_MEDIA_TYPE    "application/vnd.api+json"
#define SBX_DEFAULT_TIME  "2024-01-01T00:00:00.000Z"
#define SBX_RESOURCE_HOST "https://sandbox.itglue.example"

/* ---- store.c: the data, in the data-file format ---- */

/* An integer attribute of every record of a collection, read once. */
struct sbx_column {
	struct json_object *array; /* referenced, so never another's address */
	char attribute[64];
	size_t n;
	int64_t *values; /* INT64_MIN where the attribute is no integer */
};

struct sbx_store {
	struct json_object
	        *root;   /* {"api_keys": [...], "organizations": ...} */
	int64_t next_id; /* above every id in the store */
	struct sbx_column *columns;
	size_t n_columns;
};

/* The collections of a data file, in the order they are written. */
extern const char *const sbx_collections[];

void sbx_store_init(struct sbx_store *s);
void sbx_store_free(struct sbx_store *s);
/*
 * Replaces the store's content with DOC (a data-file document, borrowed),
 * after checking it and filling the derived defaults. On failure ERR says
 * which entry is wrong and why, and the store is unchanged. XDR_OK,
 * XDR_EINVAL or XDR_ENOMEM.
 */
int sbx_store_load(struct sbx_store *s, struct json_object *doc, char *err,
                   size_t errlen);
/* sbx_store_load() of the file at PATH. */
int sbx_store_load_file(struct sbx_store *s, const char *path, char *err,
                        size_t errlen);
/* Writes the data to PATH atomically (temporary file, then rename). */
int sbx_store_save_file(const struct sbx_store *s, const char *path, char *err,
                        size_t errlen);
/* DST (initialised, emptied first) becomes a deep copy of SRC. */
int sbx_store_copy(struct sbx_store *dst, const struct sbx_store *src);
/* Adds the three default API keys when the store has none. */
int sbx_store_default_keys(struct sbx_store *s);

struct json_object *sbx_store_collection(const struct sbx_store *s,
                                         const char *name);
struct json_object *sbx_store_find(const struct sbx_store *s,
                                   const char *collection, int64_t id);
/* sbx_store_find() in a collection the API never writes (organizations),
 * by its id column (sbx_store_column): for the lookups of every record of a
 * page. */
struct json_object *sbx_store_find_indexed(struct sbx_store *s,
                                           const char *collection, int64_t id);
int64_t sbx_store_take_id(struct sbx_store *s);
/*
 * ATTRIBUTE of every record of ARRAY, a collection the API never writes
 * (records are only loaded or generated), read once and kept with the
 * store until sbx_store_changed(): NULL when memory runs out or too many
 * are kept already.
 */
const int64_t *sbx_store_column(struct sbx_store *s, struct json_object *array,
                                const char *attribute);
/* Records of ARRAY were changed or deleted (/_sandbox/touch): the columns
 * kept of it are dropped, to be read again by the next listing. */
void sbx_store_changed(struct sbx_store *s, struct json_object *array);
/* Region of API key KEY, or NULL if unknown. */
const char *sbx_store_key_region(const struct sbx_store *s, const char *key);

/* Small accessors for stored objects. */
struct json_object *sbx_find_by_id(struct json_object *array, int64_t id);
int64_t sbx_id_of(struct json_object *o);                   /* "id", or -1 */
int64_t sbx_int_of(struct json_object *o, const char *key); /* or -1 */
const char *sbx_str_of(struct json_object *o, const char *key);
bool sbx_parse_id(const char *s, int64_t *id);
void sbx_now_rfc3339(char out[32]);

/* ---- response.c: answers ---- */

struct sbx_response {
	int status;
	char *body;
	size_t length;
	/* A document not serialised yet (sbx_response_render): the body of
	 * a large listing is written after the store's lock is released. */
	struct json_object *doc;
	const char *content_type;
	long retry_after; /* seconds, -1 for no Retry-After */
};

/* Why a request was refused, as a JSON:API error. */
struct sbx_problem {
	int status;
	char title[160];
	char detail[256];  /* empty: no detail member */
	bool detail_array; /* detail as ["..."] */
	char pointer[160]; /* empty: no source member */
	bool null_pointer; /* source.pointer null */
};

void sbx_response_init(struct sbx_response *r);
void sbx_response_clear(struct sbx_response *r);
const char *sbx_status_title(int status);
/* DOC (consumed, holding no stored object: copies only) is the body; it is
 * serialised by sbx_response_render(). */
int sbx_respond_doc(struct sbx_response *r, int status,
                    struct json_object *doc);
/* Serialises the pending document, if any, into the body. XDR_OK or
 * XDR_ENOMEM. */
int sbx_response_render(struct sbx_response *r);
int sbx_respond_error(struct sbx_response *r, int status, const char *title,
                      const char *detail, const char *pointer);
int sbx_respond_problem(struct sbx_response *r, const struct sbx_problem *p);
int sbx_respond_html(struct sbx_response *r, int status, const char *heading,
                     const char *text);
/* Copies LENGTH bytes of BODY. */
int sbx_respond_bytes(struct sbx_response *r, int status,
                      const char *content_type, const void *body,
                      size_t length);
/* BODY (malloc'd, LENGTH bytes and a '\0' after them) becomes the body as it
 * is: a large page is not copied. */
int sbx_respond_take(struct sbx_response *r, int status,
                     const char *content_type, char *body, size_t length);
void sbx_problem_set(struct sbx_problem *p, int status, const char *title,
                     const char *detail, const char *pointer);

/* ---- handlers ---- */

struct sbx_request {
	const char *method;
	const char *path; /* decoded, no query */
	const struct sbx_query *query;
	struct json_object *body; /* the JSON body, or NULL */
	const char *base_url;     /* scheme://host of this request */
	char params[2][32];       /* the :id segments of the route */
};

/* Listings kept for their next pages (resource.c): the records a listing's
 * filters and sort select, while the store does not change. */
struct sbx_listing {
	char *key; /* the path and the query without page[...] */
	const struct sbx_family *family;
	struct json_object *items; /* the collection listed */
	struct json_object **records;
	size_t count;
	uint64_t used; /* the least recently used is dropped first */
};

#define SBX_LISTINGS_MAX 8

struct sbx_listings {
	struct sbx_listing kept[SBX_LISTINGS_MAX];
	uint64_t clock;
};

/* Drops every kept listing: after anything that may change the store. */
void sbx_listings_clear(struct sbx_listings *l);

struct sbx_ctx {
	struct sbx_store *store;
	struct sbx_listings *listings; /* NULL: none kept */
	const struct sbx_request *req;
	struct sbx_response *res;
	struct json_object *parent; /* owner of nested resources */
	const char *force_include;  /* included as if include= asked for it */
};

/* A handler answers through ctx->res; XDR_ENOMEM means "answer 500". */
typedef int (*sbx_handler)(struct sbx_ctx *ctx);

/* ---- resource.c: serving stored objects as JSON:API resources ---- */

struct sbx_family;

/* Objects nested in a record and served as its relationship, in included[]
 * when asked for (the interfaces of a configuration). */
struct sbx_nested {
	const char *include;      /* include=NAME asks for them */
	const char *member;       /* the stored array */
	const char *relationship; /* its name under relationships */
	const struct sbx_family *family;
};

struct sbx_family {
	const char *type;
	const char *const *attributes; /* always served, null when absent */
	const char *const *hidden;     /* stored, never served as is */
	const struct sbx_filter_rule *filters;
	/* Adds the derived attributes (may be NULL). */
	int (*derive)(struct sbx_ctx *ctx, struct json_object *stored,
	              struct json_object *attributes);
	/* Adds relationships and included[] entries (may be NULL). */
	int (*relate)(struct sbx_ctx *ctx, struct json_object *stored,
	              struct json_object *relationships,
	              struct json_object *included);
	/* Written by listings without relate() (NULL: none, or relate()). */
	const struct sbx_nested *nested;
	/* Records never change through the API (only /_sandbox/touch
	 * changes them, and says so with sbx_store_changed), so a listing
	 * may read their attributes once (sbx_store_column) and write its
	 * page as text (sbx_list_text). */
	bool read_only;
	/* The text sort=name compares (NULL: the "name" member). */
	const char *(*sort_name)(struct json_object *stored, char *buf,
	                         size_t size);
};

/* The listing answer of the COUNT records at ITEMS, page PAGE, written as
 * text: what sbx_list() builds as a document, for large collections. */
struct sbx_page;
int sbx_list_text(struct sbx_ctx *ctx, const struct sbx_family *f,
                  struct json_object *const *items,
                  const struct sbx_page *page);
/* The resource object of STORED; relate() may add to INCLUDED. */
struct json_object *sbx_resource(struct sbx_ctx *ctx,
                                 const struct sbx_family *f,
                                 struct json_object *stored,
                                 struct json_object *included);
/* True if include=NAME was asked for (or is forced). */
bool sbx_wants(const struct sbx_ctx *ctx, const char *name);
/*
 * Relationship REL_NAME of OWNER: identifiers of the objects of its nested
 * array MEMBER (served as family F) into RELS, the resources into INCLUDED.
 */
int sbx_relate_nested(struct sbx_ctx *ctx, struct json_object *owner,
                      const char *member, const char *rel_name,
                      const struct sbx_family *f, struct json_object *rels,
                      struct json_object *included);
/* {"id": "N", "type": TYPE} */
struct json_object *sbx_identifier(const char *type, int64_t id);
/*
 * Answers a list of ITEMS (a JSON array of stored objects): filtered by the
 * family's rules when FILTERED, sorted, paged, with meta and links.
 */
int sbx_list(struct sbx_ctx *ctx, const struct sbx_family *f,
             struct json_object *items, bool filtered);
/* Answers {"data": resource} with STATUS. */
int sbx_show(struct sbx_ctx *ctx, const struct sbx_family *f,
             struct json_object *stored, int status);
/* 404, JSON:API "Record not found". */
int sbx_not_found(struct sbx_ctx *ctx, const char *id);
/* The stored object of COLLECTION whose id is path parameter N, or NULL. */
struct json_object *sbx_lookup(struct sbx_ctx *ctx, const char *collection,
                               int n);
/* data.attributes of the request body, or NULL after answering 400/422. */
struct json_object *sbx_body_attributes(struct sbx_ctx *ctx);

/* Families shared between files. */
extern const struct sbx_family sbx_configuration_interfaces_family;
extern const struct sbx_family sbx_flexible_asset_fields_family;

int sbx_organizations_list(struct sbx_ctx *ctx);
int sbx_organizations_show(struct sbx_ctx *ctx);
int sbx_contacts_list(struct sbx_ctx *ctx);
int sbx_contacts_show(struct sbx_ctx *ctx);
int sbx_organization_contacts(struct sbx_ctx *ctx);
int sbx_configurations_list(struct sbx_ctx *ctx);
int sbx_configurations_show(struct sbx_ctx *ctx);
int sbx_configuration_interfaces(struct sbx_ctx *ctx);
int sbx_flexible_asset_types_list(struct sbx_ctx *ctx);
int sbx_flexible_asset_types_show(struct sbx_ctx *ctx);
int sbx_flexible_asset_types_create(struct sbx_ctx *ctx);
int sbx_flexible_asset_type_fields(struct sbx_ctx *ctx);
int sbx_flexible_assets_list(struct sbx_ctx *ctx);
int sbx_flexible_assets_show(struct sbx_ctx *ctx);
int sbx_flexible_assets_create(struct sbx_ctx *ctx);
int sbx_flexible_assets_update(struct sbx_ctx *ctx);
int sbx_flexible_assets_delete(struct sbx_ctx *ctx);
int sbx_attachments_list(struct sbx_ctx *ctx);
int sbx_attachments_create(struct sbx_ctx *ctx);
int sbx_related_items_list(struct sbx_ctx *ctx);
int sbx_related_items_create(struct sbx_ctx *ctx);
/* The relationships/included of a flexible asset's attachments/related. */
int sbx_attachments_relate(struct sbx_ctx *ctx, struct json_object *asset,
                           struct json_object *relationships,
                           struct json_object *included);
int sbx_related_items_relate(struct sbx_ctx *ctx, struct json_object *asset,
                             struct json_object *relationships,
                             struct json_object *included);

/* ---- traits.c: flexible asset traits against their type ---- */

/*
 * Checks INPUT (the traits object of a request) against TYPE's fields and
 * builds the stored traits (*OUT, new): unknown or Header keys, missing
 * required values, values of the wrong kind, bad base64 refuse with P set.
 * Upload values get ids from the store. XDR_OK, XDR_EINVAL or XDR_ENOMEM.
 */
int sbx_traits_build(struct sbx_store *s, struct json_object *type,
                     struct json_object *input, struct json_object **out,
                     struct sbx_problem *p);
/* The traits as IT Glue shows them (uploads as file lists, tags resolved). */
struct json_object *sbx_traits_render(struct sbx_ctx *ctx,
                                      struct json_object *type,
                                      struct json_object *traits);
/* The text of the first use-for-title trait, or NULL. */
const char *sbx_traits_title(struct json_object *type,
                             struct json_object *traits);
/* The stored upload or attachment with id ID anywhere, or NULL. */
struct json_object *sbx_file_find(const struct sbx_store *s, int64_t id);

/* ---- router.c ---- */

struct sbx_route {
	const char *method;
	const char *pattern;
	sbx_handler handler;
};

/* The route of METHOD and PATH (its :id segments into PARAMS), or NULL. */
const struct sbx_route *sbx_route_find(const char *method, const char *path,
                                       char params[2][32]);
/* True if PATH matches PATTERN ("/a/:id/b"); fills PARAMS. Pure. */
bool sbx_route_match(const char *pattern, const char *path, char params[2][32]);

/* ---- the server's state (server.c, reqlog.c, inspect.c) ---- */

struct sbx_settings {
	const char *bind;
	unsigned port;
	const char *port_file;
	const char *region;
	long rate_limit, rate_seconds;
	bool retry_after;
	long latency_ms;
	size_t max_body;
	const char *tls_cert, *tls_key;
	bool quiet;
};

struct sbx_server {
	pthread_mutex_t lock; /* guards everything below */
	struct sbx_settings set;
	struct sbx_store store;
	struct sbx_store initial;     /* what /_sandbox/reset goes back to */
	struct sbx_listings listings; /* kept pages' listings of STORE */
	struct sbx_faults faults;
	struct sbx_faults initial_faults;
	struct sbx_ratelimit rate;
	int64_t seq; /* API requests since the start or the last reset */
	struct json_object *log;
	struct json_object *route_counts;
	struct json_object *status_counts;
	int64_t total;
	struct MHD_Daemon *daemon;
	char *tls_cert_pem, *tls_key_pem;
	unsigned port;
};

/* One API request, for the log. */
struct sbx_log_entry {
	int64_t seq;
	const char *method, *path, *query, *route;
	int status;                  /* 0: no answer */
	const char *fault;           /* NULL: none */
	struct json_object *headers; /* consumed */
	size_t body_size;
};

#define SBX_LOG_MAX 10000

int sbx_reqlog_init(struct sbx_server *srv);
void sbx_reqlog_clear(struct sbx_server *srv);
void sbx_reqlog_free(struct sbx_server *srv);
int sbx_reqlog_add(struct sbx_server *srv, struct sbx_log_entry *e);

/* Answers a /_sandbox/ request (lock held). */
int sbx_inspect(struct sbx_server *srv, const char *method, const char *path,
                const char *body, size_t body_len, struct sbx_response *res);

/* server.c */
int sbx_server_start(struct sbx_server *srv, char *err, size_t errlen);
void sbx_server_stop(struct sbx_server *srv);

/* ---- generate.c ---- */

struct sbx_generate_spec {
	long orgs, configs, contacts;
	/* Percent of each organization's contacts that are important, the
	 * others false and null in turn; -1: important true, false or null
	 * by the contact's number. */
	long important;
	uint64_t seed;
};

/* "orgs=N,configs=N,contacts=N[,important=P][,seed=S]". XDR_OK or
 * XDR_EINVAL. */
int sbx_generate_parse(const char *spec, struct sbx_generate_spec *out);
/* Adds the generated data to S. XDR_OK or XDR_ENOMEM. */
int sbx_generate(struct sbx_store *s, const struct sbx_generate_spec *spec);

#endif
