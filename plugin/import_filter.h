/*
 * import_filter.h - what an import asks for (pure: no I/O).
 *
 * The seed's Import screen offers, for organizations: name, organization
 * type and status; for configurations: organization, type, status and
 * archived; then "Import All" or "Import Selected". Here that is the request
 * {"feature": "organizations" | "configurations", "filter": {...},
 * "select": "all" | [ids]}, read and checked into struct itg_import_filter,
 * turned into IT Glue's query, and used again on every record that comes
 * back: IT Glue silently ignores filters it does not know, so a record is
 * kept only if it really matches.
 */
#ifndef ITG_IMPORT_FILTER_H
#define ITG_IMPORT_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jsonapi.h"
#include "query.h"

struct json_object;

enum itg_feature { ITG_FEATURE_ORGANIZATIONS = 1, ITG_FEATURE_CONFIGURATIONS };

/* Ids listed in one filter, at most. */
#define ITG_IMPORT_IDS_MAX 1000
/* Ids sent in one request's filter[id], at most (the query stays short). */
#define ITG_IMPORT_IDS_PER_REQUEST 100

struct itg_id_list {
	int64_t *ids;
	size_t n;
};

struct itg_import_filter {
	enum itg_feature feature;
	char *name;                  /* exact, any case; NULL: any */
	struct itg_id_list type_ids; /* organization or configuration type */
	struct itg_id_list
	        status_ids; /* organization or configuration status */
	struct itg_id_list organization_ids; /* configurations only */
	int archived;                        /* configurations: -1 any, 0, 1 */
	bool select_all;                     /* "select": "all" */
	struct itg_id_list select;           /* "select": [ids] */
};

/* "organizations" / "configurations", and the API path "/organizations". */
const char *itg_feature_name(enum itg_feature feature);
const char *itg_feature_path(enum itg_feature feature);

/*
 * Read an import request's "feature", "filter" and "select" (other members,
 * like "instance", are the caller's). Returns 0, or XDR_EINVAL with a
 * one-line reason in err, or XDR_ENOMEM. Clear *out with
 * itg_import_filter_clear() in every case.
 */
int itg_import_filter_read(struct json_object *request,
                           struct itg_import_filter *out, char *err,
                           size_t errsize);

void itg_import_filter_clear(struct itg_import_filter *f);

/*
 * The query of pass PASS (0, 1, ...) of the import: the filters, sorted by
 * id, and for a selection the ids of that pass (ITG_IMPORT_IDS_PER_REQUEST
 * at a time). Returns 1 with *q filled, 0 when there is no such pass, or
 * XDR_ERANGE if the query does not fit.
 */
int itg_import_query(const struct itg_import_filter *f, size_t pass,
                     struct itg_query *q);

/* Does the record R (a resource of the feature's type) match F? */
bool itg_import_matches(const struct itg_import_filter *f,
                        const struct itg_resource *r);

#endif /* ITG_IMPORT_FILTER_H */
