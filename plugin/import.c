/*
 * import.c - the "import" action: IT Glue organizations or configurations,
 * filtered as the seed's Import screen offers, all or a selection, copied
 * into the store for the mapping screens. It runs as a job.
 *
 * IT Glue ignores filters it does not know and answers 200 with everything,
 * so every record is checked against the filter again before it is kept;
 * those that do not match are counted as "skipped".
 */
#include <config.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>

#include "admin.h"
#include "import_filter.h"
#include "import_store.h"
#include "instance_client.h"
#include "instance_store.h"
#include "jobs.h"
#include "json_util.h"
#include "log.h"

#define ERR_MAX 512

struct run {
	struct itg_plugin *p;
	struct itg_job_ctx *ctx;
	const struct itg_import_filter *filter;
	int64_t instance;
	int64_t now;
	int64_t imported;
	int64_t skipped;
	int64_t seen;
	int64_t total; /* records the listing holds, from page 1's meta */
	char err[ERR_MAX];
};

/* One page: every matching record saved, in one transaction. */
static int save_page(void *user, const struct itg_doc *doc, int64_t page)
{
	struct run *run = user;
	struct itg_store *store = run->p->store;
	int rc;

	if (page == 1 && doc->paging.total_count >= 0)
		run->total += doc->paging.total_count;
	if (itg_import_begin(store, run->err, sizeof(run->err)) != 0)
		return XDR_ERROR;
	for (size_t i = 0; i < doc->n_data; i++) {
		const struct itg_resource *r = &doc->data[i];

		if (!itg_import_matches(run->filter, r)) {
			run->skipped++;
			continue;
		}
		rc = run->filter->feature == ITG_FEATURE_ORGANIZATIONS
		             ? itg_import_put_organization(
		                       store, run->instance, r, run->now,
		                       run->err, sizeof(run->err))
		             : itg_import_put_configuration(
		                       store, run->instance, r, doc, run->now,
		                       run->err, sizeof(run->err));
		if (rc != 0) {
			itg_import_rollback(store);
			return XDR_ERROR;
		}
		run->imported++;
	}
	if (itg_import_commit(store, run->err, sizeof(run->err)) != 0)
		return XDR_ERROR;
	run->seen += (int64_t)doc->n_data;
	itg_job_progress(
	        run->ctx, (uint64_t)run->seen,
	        (uint64_t)(run->total > run->seen ? run->total : run->seen));
	return 0;
}

static struct json_object *summary(const struct run *run,
                                   const struct itg_client_stats *stats,
                                   const char *instance)
{
	struct json_object *o = json_object_new_object();

	if (itg_json_add(o, "instance", json_object_new_string(instance)) ||
	    itg_json_add(o, "feature",
	                 json_object_new_string(
	                         itg_feature_name(run->filter->feature))) ||
	    itg_json_add(o, "imported", json_object_new_int64(run->imported)) ||
	    itg_json_add(o, "skipped", json_object_new_int64(run->skipped)) ||
	    itg_json_add(o, "pages",
	                 json_object_new_int64((int64_t)stats->pages)) ||
	    itg_json_add(o, "requests",
	                 json_object_new_int64((int64_t)stats->requests))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int import_task(struct itg_plugin *p, struct itg_job_ctx *ctx,
                       struct json_object *params, struct json_object **result)
{
	struct itg_import_filter filter;
	struct itg_instance inst;
	struct itg_client *client = NULL;
	struct itg_client_stats stats = {0};
	struct itg_api_error e;
	struct itg_query q;
	struct run run = {.p = p, .ctx = ctx, .now = (int64_t)time(NULL)};
	struct json_object *ref = NULL;
	int rc;

	json_object_object_get_ex(params, "instance", &ref);
	rc = itg_import_filter_read(params, &filter, run.err, sizeof(run.err));
	if (rc == 0)
		rc = itg_instances_find(p->store, json_object_get_string(ref),
		                        &inst, run.err, sizeof(run.err));
	if (rc != 0) {
		itg_import_filter_clear(&filter);
		*result = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s", run.err);
		return rc;
	}
	run.filter = &filter;
	run.instance = inst.id;
	rc = itg_instance_client(p, &inst, NULL, ctx, NULL, &client, run.err,
	                         sizeof(run.err));
	for (size_t pass = 0; rc == 0; pass++) {
		int more = itg_import_query(&filter, pass, &q);

		if (more <= 0) {
			rc = more;
			break;
		}
		rc = itg_client_list(client, itg_feature_path(filter.feature),
		                     &q, 1000, save_page, NULL, &run, &e);
		if (rc != 0 && run.err[0] == '\0')
			snprintf(run.err, sizeof(run.err), "%s", e.message);
	}
	if (client != NULL)
		itg_client_stats(client, &stats);
	itg_client_free(client);
	if (rc == 0) {
		*result = summary(&run, &stats, inst.name);
		itg_log(p, XDR_LOG_INFO,
		        "import of %s from \"%s\": %lld imported, %lld skipped "
		        "(%llu requests)",
		        itg_feature_name(filter.feature), inst.name,
		        (long long)run.imported, (long long)run.skipped,
		        (unsigned long long)stats.requests);
	} else {
		*result = json_object_new_object();
		itg_json_add(*result, "detail",
		             json_object_new_string(run.err));
		itg_json_add(*result, "imported",
		             json_object_new_int64(run.imported));
		itg_log(p, XDR_LOG_WARNING,
		        "import of %s from \"%s\" failed: %s",
		        itg_feature_name(filter.feature), inst.name, run.err);
	}
	itg_instance_clear(&inst);
	itg_import_filter_clear(&filter);
	return rc == 0 ? 0 : XDR_ERROR;
}

int itg_import_job_start(struct itg_plugin *p, struct json_object *request,
                         const char *kind, itg_task_fn task,
                         struct json_object **response)
{
	struct itg_import_filter filter;
	struct itg_instance inst;
	struct json_object *params = NULL;
	char err[ERR_MAX];
	char id[32];
	int rc;

	rc = itg_import_filter_read(request, &filter, err, sizeof(err));
	itg_import_filter_clear(&filter);
	if (rc != 0) {
		*response = itg_admin_error(ITG_ADMIN_BAD_REQUEST, "%s", err);
		return rc == XDR_ENOMEM ? XDR_ENOMEM : XDR_EINVAL;
	}
	rc = itg_admin_instance_ref(p, request, &inst, response);
	if (rc != XDR_OK)
		return rc;
	snprintf(id, sizeof(id), "%lld", (long long)inst.id);
	itg_instance_clear(&inst);
	/* The job gets a copy of its own: the request dies with this call. */
	if (json_object_deep_copy(request, &params, NULL) != 0 ||
	    json_object_object_add(params, "instance",
	                           json_object_new_string(id)) != 0) {
		json_object_put(params);
		*response =
		        itg_admin_error(ITG_ADMIN_NO_MEMORY, "out of memory");
		return XDR_ENOMEM;
	}
	return itg_jobs_start_answer(p, kind, task, params, response);
}

int itg_admin_import(struct itg_plugin *p, struct json_object *request,
                     struct json_object **response)
{
	static const char *const members[] = {"instance", "feature", "filter",
	                                      "select", NULL};

	json_object_object_foreach(request, key, val)
	{
		const char *const *m = members;

		(void)val;
		while (*m != NULL && strcmp(*m, key) != 0)
			m++;
		if (*m == NULL) {
			*response = itg_admin_error(
			        ITG_ADMIN_BAD_REQUEST,
			        "unknown member \"%s\"; import takes instance, "
			        "feature, filter and select",
			        key);
			return XDR_EINVAL;
		}
	}
	return itg_import_job_start(p, request, "import", import_task,
	                            response);
}
