/*
 * automap_sync.c - the configurations an auto-map run reads: in full, or
 * what changed since the last complete read, merged into the cache.
 */
#include <config.h>

#include "automap_sync.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "automap_cache.h"
#include "config_keys.h"
#include "errbuf.h"
#include "instance_url.h"
#include "json_util.h"
#include "log.h"
#include "query.h"
#include "store.h"

static void free_list(char **list, size_t n)
{
	for (size_t i = 0; list != NULL && i < n; i++)
		free(list[i]);
	free(list);
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Append a copy of S to *LIST (N items, CAP room). */
static int push(char ***list, size_t *n, size_t *cap, const char *s)
{
	char *copy;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		char **p = realloc(*list, (c + 1) * sizeof(*p));

		if (p == NULL)
			return XDR_ENOMEM;
		*list = p;
		*cap = c;
	}
	copy = strdup(s);
	if (copy == NULL)
		return XDR_ENOMEM;
	(*list)[(*n)++] = copy;
	return 0;
}

/* A sorted copy of the N strings of LIST, without repeats. */
static int sorted_copy(const char *const *list, size_t n, char ***out,
                       size_t *out_n)
{
	char **copy = NULL;
	size_t kept = 0, cap = 0, count = 0;

	*out = NULL;
	*out_n = 0;
	for (size_t i = 0; i < n; i++) {
		if (push(&copy, &count, &cap, list[i]) != 0) {
			free_list(copy, count);
			return XDR_ENOMEM;
		}
	}
	if (copy != NULL)
		qsort(copy, count, sizeof(*copy), by_text);
	for (size_t i = 0; i < count; i++) {
		if (kept > 0 && strcmp(copy[kept - 1], copy[i]) == 0)
			free(copy[i]);
		else
			copy[kept++] = copy[i];
	}
	*out = copy;
	*out_n = kept;
	return 0;
}

static char *dup_column(sqlite3_stmt *st, int col, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	char *s;

	if (t == NULL)
		return NULL;
	s = strdup((const char *)t);
	*oom = *oom || s == NULL;
	return s;
}

/* The instance's mark, and the organizations it follows (sorted: ORDER BY
 * compares as strcmp does, with the column's BINARY collation). */
static int load_state(struct itg_automap_sync *s, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(s->p->store);
	sqlite3_stmt *st = NULL;
	bool oom = false;
	size_t cap = 0;
	int rc;

	rc = sqlite3_prepare_v2(db,
	                        "SELECT source, config_mark, slack_s, full_at,"
	                        " contact_mark, organization_mark"
	                        " FROM automap_sync WHERE instance_id = ?1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, s->instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		s->recorded = true;
		s->recorded_source = dup_column(st, 0, &oom);
		s->mark = dup_column(st, 1, &oom);
		s->slack_s = sqlite3_column_int64(st, 2);
		s->full_at = sqlite3_column_int64(st, 3);
		s->contact_mark = dup_column(st, 4, &oom);
		s->org_mark = dup_column(st, 5, &oom);
		rc = SQLITE_DONE;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == SQLITE_DONE)
		rc = sqlite3_prepare_v2(
		        db,
		        "SELECT organization_id FROM automap_sync_orgs"
		        " WHERE instance_id = ?1 ORDER BY organization_id",
		        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, s->instance);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const unsigned char *org = sqlite3_column_text(st, 0);

		rc = SQLITE_OK;
		if (org != NULL &&
		    push(&s->known, &s->n_known, &cap, (const char *)org)) {
			oom = true;
			break;
		}
	}
	if (rc != SQLITE_DONE && !oom)
		itg_errf(err, errsize,
		         "cannot read the auto-map's configurations mark: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	itg_store_release(s->p->store);
	if (oom) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	return rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

/* Full (and why) or incremental, for everything the run reads. */
static enum itg_automap_full_reason decide(const struct itg_automap_sync *s)
{
	struct itg_automap_decision_input in = {
	        .recorded = s->recorded,
	        .mark = s->mark,
	        .source = s->recorded_source,
	        .full_at = s->full_at,
	        .now_source = s->source,
	        .now = s->now,
	        .full_pass_hours = s->full_pass_hours,
	        .asked_full = s->asked_full,
	        .some_groups = s->some_groups,
	};

	return itg_automap_decide(&in);
}

static bool param_true(struct json_object *params, const char *key)
{
	struct json_object *v = NULL;

	return json_object_object_get_ex(params, key, &v) &&
	       json_object_get_boolean(v);
}

int itg_automap_sync_begin(struct itg_automap_sync *s, struct itg_plugin *p,
                           const struct itg_instance *inst,
                           struct json_object *params, char *err,
                           size_t errsize)
{
	char *url;
	size_t len;
	int rc;

	memset(s, 0, sizeof(*s));
	s->p = p;
	s->instance = inst->id;
	s->now = (int64_t)time(NULL);
	s->dry_run = param_true(params, "dry_run");
	s->asked_full = param_true(params, "full");
	s->some_groups = json_object_object_get_ex(params, "groups", NULL);
	s->full_pass_hours = itg_config_int(p, ITG_CONFIG_FULL_PASS_HOURS,
	                                    ITG_FULL_PASS_HOURS_DEFAULT);
	/* The mark belongs to what was read: another URL or key may be
	 * another account. */
	url = itg_instance_url(p, inst);
	len = (url ? strlen(url) : 0) +
	      (inst->key_masked ? strlen(inst->key_masked) : 0) + 2;
	s->source = malloc(len);
	s->name = strdup(inst->name != NULL ? inst->name : "?");
	if (url == NULL || s->source == NULL || s->name == NULL) {
		free(url);
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	snprintf(s->source, len, "%s %s", url,
	         inst->key_masked ? inst->key_masked : "");
	free(url);
	rc = load_state(s, err, errsize);
	if (rc == 0)
		s->reason = decide(s);
	return rc;
}

/* The records of TYPE of DOC judged by CUR: *v. 0 or XDR_ENOMEM. */
static int judge(const struct itg_doc *doc, const char *type,
                 struct itg_automap_cursor *cur, enum itg_automap_verdict *v)
{
	const char **times = calloc(doc->n_data + 1, sizeof(*times));
	size_t n = 0;

	if (times == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < doc->n_data; i++)
		if (strcmp(doc->data[i].type, type) == 0)
			times[n++] = itg_json_str(doc->data[i].attributes,
			                          "updated-at");
	*v = itg_automap_page_verdict(cur, times, n);
	free(times);
	return 0;
}

int itg_automap_read_changes(struct itg_client *c, const char *path,
                             const char *type, const struct itg_query *query,
                             const char *mark, int64_t slack_s,
                             itg_automap_changes_fn on_page, void *user,
                             uint64_t *pages, struct itg_api_error *e)
{
	struct itg_automap_cursor cur;
	bool last = false;
	int rc = 0;

	if (itg_automap_cursor_init(&cur, mark, ITG_AUTOMAP_OVERLAP_MS,
	                            slack_s) != 0)
		return ITG_AUTOMAP_NOT_SORTED;
	for (int64_t page = 1; rc == 0 && !last; page++) {
		struct itg_query q = *query;
		struct itg_doc *doc = NULL;
		enum itg_automap_verdict v = ITG_PAGE_LAST;
		char number[24], size[16];

		snprintf(number, sizeof(number), "%" PRId64, page);
		snprintf(size, sizeof(size), "%d", ITG_PAGE_SIZE_MAX);
		if (page > ITG_PAGES_MAX ||
		    itg_query_add(&q, "page[size]", size) != 0 ||
		    itg_query_add(&q, "page[number]", number) != 0)
			return XDR_EINVAL;
		rc = itg_client_get(c, path, &q, &doc, e);
		if (rc != 0)
			return rc;
		(*pages)++;
		rc = judge(doc, type, &cur, &v);
		if (rc == 0 && v == ITG_PAGE_NOT_SORTED)
			rc = ITG_AUTOMAP_NOT_SORTED;
		if (rc == 0)
			rc = on_page(user, doc, &cur);
		last = v == ITG_PAGE_LAST ||
		       !itg_page_more(&doc->paging, page, doc->n_data,
		                      ITG_PAGE_SIZE_MAX);
		itg_doc_free(doc);
	}
	return rc;
}

/* A page of changed configurations into s->delta. */
static int config_changes(void *user, const struct itg_doc *doc,
                          const struct itg_automap_cursor *cur)
{
	struct itg_automap_sync *s = user;

	(void)cur;
	for (size_t i = 0; i < doc->n_data; i++)
		if (itg_automap_add_config(&s->delta, &doc->data[i], doc) != 0)
			return XDR_ENOMEM;
	return 0;
}

/* The configurations of the organizations followed, newest first, down to
 * the mark. One listing either way: the organizations when they fit in
 * one request, else the whole account (filtered when merged). */
static int read_changes(struct itg_automap_sync *s, struct itg_client *c,
                        struct itg_api_error *e, char *err, size_t errsize)
{
	struct itg_query q;
	int rc;

	itg_query_init(&q);
	if ((s->n_known <= ITG_AUTOMAP_ORGS_PER_REQUEST &&
	     itg_query_filter(&q, "organization_id",
	                      (const char *const *)s->known,
	                      s->n_known) != 0) ||
	    itg_query_add(&q, "include", "configuration_interfaces") != 0 ||
	    itg_query_add(&q, "sort", "-updated_at") != 0)
		rc = XDR_EINVAL;
	else
		rc = itg_automap_read_changes(
		        c, "/configurations", "configurations", &q, s->mark,
		        s->slack_s, config_changes, s, &s->pages, e);
	if (rc == XDR_EINVAL)
		itg_errf(err, errsize,
		         "cannot ask for the configurations changed since %s",
		         s->mark);
	else if (rc == XDR_ENOMEM)
		itg_errf(err, errsize, "out of memory");
	return rc;
}

/* The cached configurations of the run's organizations that no change
 * hides, into D. */
static int load_cache(struct itg_automap_sync *s,
                      const struct itg_automap_merge *plan,
                      struct itg_automap_data *d, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(s->p->store);
	sqlite3_stmt *st = NULL;
	int rc;

	rc = sqlite3_prepare_v2(db,
	                        "SELECT id, organization_id, name, archived,"
	                        " macs FROM automap_configs"
	                        " WHERE instance_id = ?1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, s->instance);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct itg_map_config cf = {
		        .id = (const char *)sqlite3_column_text(st, 0),
		        .organization_id =
		                (const char *)sqlite3_column_text(st, 1),
		        .name = (const char *)sqlite3_column_text(st, 2),
		        .archived = sqlite3_column_int(st, 3) != 0,
		};
		const char *text = (const char *)sqlite3_column_text(st, 4);
		struct json_object *macs =
		        text != NULL ? json_tokener_parse(text) : NULL;
		size_t n = json_object_is_type(macs, json_type_array)
		                   ? json_object_array_length(macs)
		                   : 0;
		const char **list = calloc(n + 1, sizeof(*list));

		rc = SQLITE_OK;
		/* Only organizations followed: a row of another can only be
		 * one a failed full read wrote, and an organization new to
		 * this run is read in full (automap_sync.h). */
		if (cf.id == NULL ||
		    !itg_automap_org_in((const char *const *)s->orgs, s->n_orgs,
		                        cf.organization_id) ||
		    !itg_automap_org_in((const char *const *)s->known,
		                        s->n_known, cf.organization_id) ||
		    itg_automap_merge_hides(plan, cf.id)) {
			free(list);
			json_object_put(macs);
			continue;
		}
		for (size_t i = 0; list != NULL && i < n; i++) {
			struct json_object *m =
			        json_object_array_get_idx(macs, i);

			if (json_object_is_type(m, json_type_string))
				list[cf.n_macs++] = json_object_get_string(m);
		}
		cf.macs = list;
		if (list == NULL || itg_automap_put_config(d, &cf) != 0)
			rc = SQLITE_NOMEM;
		free(list);
		json_object_put(macs);
	}
	if (rc == SQLITE_NOMEM)
		itg_errf(err, errsize, "out of memory");
	else if (rc != SQLITE_DONE)
		itg_errf(err, errsize,
		         "cannot read the cached configurations: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	itg_store_release(s->p->store);
	return rc == SQLITE_DONE    ? 0
	       : rc == SQLITE_NOMEM ? XDR_ENOMEM
	                            : XDR_ERROR;
}

/* The changes in merge order: what was read in full (organizations new to
 * the run) first, then the listing's records, newest first. */
static int list_changes(struct itg_automap_sync *s)
{
	size_t n = s->fresh.n_configs + s->delta.n_configs;

	s->changes = calloc(n + 1, sizeof(*s->changes));
	if (s->changes == NULL)
		return XDR_ENOMEM;
	for (size_t i = 0; i < s->fresh.n_configs; i++)
		s->changes[s->n_changes++] = &s->fresh.configs[i];
	for (size_t i = 0; i < s->delta.n_configs; i++)
		s->changes[s->n_changes++] = &s->delta.configs[i];
	return 0;
}

static int read_incremental(struct itg_automap_sync *s, struct itg_client *c,
                            struct itg_automap_data *d, struct itg_api_error *e,
                            char *err, size_t errsize)
{
	struct itg_automap_merge plan;
	const char **fresh = calloc(s->n_orgs + 1, sizeof(*fresh));
	int rc = 0;

	if (fresh == NULL) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	if (s->n_known > 0)
		rc = read_changes(s, c, e, err, errsize);
	for (size_t i = 0; rc == 0 && i < s->n_orgs; i++) {
		if (!itg_automap_org_in((const char *const *)s->known,
		                        s->n_known, s->orgs[i]))
			fresh[s->n_new++] = s->orgs[i];
	}
	if (rc == 0 && s->n_new > 0)
		rc = itg_automap_fetch_configs(c, fresh, s->n_new, &s->fresh,
		                               NULL, NULL, e);
	free(fresh);
	if (rc != 0) {
		if (rc == XDR_ENOMEM)
			itg_errf(err, errsize, "out of memory");
		return rc;
	}
	rc = list_changes(s);
	if (rc == 0)
		rc = itg_automap_merge_plan(s->changes, s->n_changes,
		                            (const char *const *)s->orgs,
		                            s->n_orgs, &plan);
	if (rc != 0) {
		itg_errf(err, errsize, "%s",
		         rc == XDR_ENOMEM ? "out of memory"
		                          : "a configuration without id");
		return rc;
	}
	rc = load_cache(s, &plan, d, err, errsize);
	for (size_t i = 0; rc == 0 && i < plan.n; i++) {
		if (plan.kept[i])
			rc = itg_automap_put_config(d,
			                            s->changes[plan.first[i]]);
	}
	itg_automap_merge_clear(&plan);
	if (rc == 0)
		rc = itg_automap_index(d, (const char *const *)s->orgs,
		                       s->n_orgs);
	if (rc == XDR_ENOMEM)
		itg_errf(err, errsize, "out of memory");
	return rc;
}

static void log_read(const struct itg_automap_sync *s)
{
	if (s->reason == ITG_FULL_NONE)
		itg_log(s->p, XDR_LOG_INFO,
		        "auto-map of \"%s\": configurations read "
		        "incrementally since %s: %zu record(s) in %" PRIu64
		        " page(s); %zu organization(s) new to the run read "
		        "in full",
		        s->name, s->mark, s->delta.n_configs, s->pages,
		        s->n_new);
	else
		itg_log(s->p, XDR_LOG_INFO,
		        "auto-map of \"%s\": configurations of %zu "
		        "organization(s) read in full (%s)",
		        s->name, s->n_orgs,
		        itg_automap_full_reason_name(s->reason));
}

/* Is the cache (if any) of the account this run reads? */
static bool same_source(const struct itg_automap_sync *s)
{
	return !s->recorded || (s->recorded_source != NULL &&
	                        strcmp(s->recorded_source, s->source) == 0);
}

/* A full read's configurations as they come in: into the cache. A stream
 * that cannot take them leaves them to itg_automap_sync_save(). */
static int stream_configs(void *user, const struct itg_map_config *configs,
                          size_t n)
{
	itg_cache_stream_give(user, configs, n);
	return 0;
}

int itg_automap_sync_read(struct itg_automap_sync *s, struct itg_client *c,
                          const char *const *orgs, size_t n,
                          struct itg_automap_data *d, struct itg_api_error *e,
                          char *err, size_t errsize)
{
	time_t start = time(NULL);
	int rc = 0;

	memset(e, 0, sizeof(*e));
	if (sorted_copy(orgs, n, &s->orgs, &s->n_orgs) != 0) {
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	s->reason = decide(s);
	if (s->reason == ITG_FULL_NONE) {
		rc = read_incremental(s, c, d, e, err, errsize);
		if (rc == ITG_AUTOMAP_NOT_SORTED) {
			itg_log(s->p, XDR_LOG_WARNING,
			        "auto-map of \"%s\": IT Glue did not sort the "
			        "configurations by -updated_at; reading them "
			        "in full",
			        s->name);
			s->reason = ITG_FULL_NOT_SORTED;
			itg_automap_data_clear(&s->delta);
			itg_automap_data_clear(&s->fresh);
			free(s->changes);
			s->changes = NULL;
			s->n_changes = s->n_new = 0;
		}
	}
	if (s->reason != ITG_FULL_NONE) {
		/* What a full read brings is written as it comes, when the run
		 * saves at all (itg_automap_sync_save) and reads the account
		 * the cache holds: rows of another one, left by a read that
		 * failed, could be taken for this one's. */
		if (!s->dry_run && !s->some_groups && same_source(s))
			s->stream = itg_cache_stream_start(s->p->store,
			                                   s->instance);
		rc = itg_automap_fetch_configs(
		        c, orgs, n, d,
		        s->stream != NULL ? stream_configs : NULL, s->stream,
		        e);
		if (rc == XDR_ENOMEM)
			itg_errf(err, errsize, "out of memory");
		if (rc != 0) {
			itg_cache_stream_end(s->stream, true, NULL);
			s->stream = NULL;
		}
	}
	/* Every failure says why: a query that could not be built fills
	 * neither E nor ERR on its way up. */
	if (rc != 0 && err[0] == '\0' && e->message[0] == '\0')
		itg_errf(err, errsize,
		         "cannot ask IT Glue for the configurations of %zu "
		         "organization(s) (status %d)",
		         n, rc);
	s->read_s = (int64_t)(time(NULL) - start) + 1;
	s->read = rc == 0;
	if (rc == 0)
		log_read(s);
	return rc;
}

/* ---- saving ---- */

/* The instance's cached rows; -1 when they cannot be counted. */
static int64_t cached_rows(struct itg_cache_writer *w)
{
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	if (sqlite3_prepare_v2(w->db,
	                       "SELECT count(*) FROM automap_configs"
	                       " WHERE instance_id = ?1",
	                       -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_bind_int64(st, 1, w->instance) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The distinct configuration ids of D (its sorted index counted). */
static int64_t distinct_ids(const struct itg_automap_data *d)
{
	int64_t n = 0;

	for (size_t i = 0; i < d->n_config_ids_sorted; i++)
		if (i == 0 || strcmp(d->config_ids_sorted[i],
		                     d->config_ids_sorted[i - 1]) != 0)
			n++;
	return n;
}

/*
 * Cached rows that a read in full did not see: gone from IT Glue, or (a
 * full read, ALL_ORGS) of an organization no longer followed. Without
 * ALL_ORGS, only the rows of the organizations D read are looked at: those
 * an incremental run read in full because they are new to it, whose cached
 * rows can only be left by a full read that failed (automap_sync.h).
 */
static int drop_unseen(struct itg_cache_writer *w,
                       const struct itg_automap_data *d, bool all_orgs)
{
	sqlite3_stmt *st = NULL;
	char **gone = NULL;
	size_t n = 0, cap = 0;
	int rc;

	/* Every configuration of D has its row by now: a cache of as many
	 * rows as D has ids holds no other, and needs no look at each. */
	if (all_orgs && cached_rows(w) == distinct_ids(d))
		return SQLITE_OK;
	rc = sqlite3_prepare_v2(
	        w->db,
	        "SELECT id, organization_id FROM automap_configs"
	        " WHERE instance_id = ?1",
	        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, w->instance);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(st, 0);
		const char *org = (const char *)sqlite3_column_text(st, 1);

		rc = SQLITE_OK;
		if (id == NULL || itg_automap_has_config(d, id))
			continue;
		if (!all_orgs && (org == NULL || !itg_automap_read_org(d, org)))
			continue;
		if (push(&gone, &n, &cap, id) != 0)
			rc = SQLITE_NOMEM;
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		rc = SQLITE_OK;
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++)
		rc = itg_cache_drop(w, gone[i]);
	free_list(gone, n);
	return rc;
}

/* The organizations followed: exactly ORGS (REPLACE) or those and the
 * ones before. */
static int put_orgs(struct itg_cache_writer *w, char **orgs, size_t n,
                    bool replace)
{
	sqlite3_stmt *st = NULL;
	int rc = SQLITE_OK;

	if (replace) {
		rc = sqlite3_prepare_v2(w->db,
		                        "DELETE FROM automap_sync_orgs"
		                        " WHERE instance_id = ?1",
		                        -1, &st, NULL);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(st, 1, w->instance);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK
			                                     : SQLITE_ERROR;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(
		        w->db,
		        "INSERT OR IGNORE INTO automap_sync_orgs"
		        " (instance_id, organization_id)"
		        " VALUES (?1, ?2)",
		        -1, &st, NULL);
	for (size_t i = 0; rc == SQLITE_OK && i < n; i++) {
		rc = sqlite3_bind_int64(st, 1, w->instance);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(st, 2, orgs[i], -1,
			                       SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK
			                                     : SQLITE_ERROR;
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	return rc;
}

static int put_mark(struct itg_cache_writer *w,
                    const struct itg_automap_sync *s, const char *mark,
                    int64_t full_at)
{
	sqlite3_stmt *st = NULL;
	int rc;

	const char *marks[2] = {
	        itg_automap_directory_mark(&s->dir, true, s->contact_mark),
	        itg_automap_directory_mark(&s->dir, false, s->org_mark)};

	rc = sqlite3_prepare_v2(w->db,
	                        "INSERT OR REPLACE INTO automap_sync"
	                        " (instance_id, source, config_mark, slack_s,"
	                        " full_at, updated_at, contact_mark,"
	                        " organization_mark)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, w->instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, s->source, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = mark != NULL && mark[0] != '\0'
		             ? sqlite3_bind_text(st, 3, mark, -1, SQLITE_STATIC)
		             : sqlite3_bind_null(st, 3);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 4, s->read_s);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 5, full_at);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 6, (int64_t)time(NULL));
	for (int i = 0; i < 2 && rc == SQLITE_OK; i++)
		rc = marks[i] != NULL && marks[i][0] != '\0'
		             ? sqlite3_bind_text(st, 7 + i, marks[i], -1,
		                                 SQLITE_STATIC)
		             : sqlite3_bind_null(st, 7 + i);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc;
}

/* A full read: the cache becomes D, the organizations followed the
 * run's. STREAMED: every row of D was written as it came in. */
static int save_full(struct itg_cache_writer *w, struct itg_automap_sync *s,
                     const struct itg_automap_data *d, bool streamed)
{
	int rc = SQLITE_OK;

	for (size_t i = 0; !streamed && rc == SQLITE_OK && i < d->n_configs;
	     i++)
		rc = itg_cache_put(w, &d->configs[i]);
	if (rc == SQLITE_OK)
		rc = drop_unseen(w, d, true);
	if (rc == SQLITE_OK)
		rc = put_orgs(w, s->orgs, s->n_orgs, true);
	if (rc == SQLITE_OK)
		rc = put_mark(w, s, d->newest, s->now);
	return rc;
}

/* An incremental read: each change goes in (or out, when it moved to an
 * organization not followed); the organizations new to the run are
 * followed from now on. */
static int save_incremental(struct itg_cache_writer *w,
                            struct itg_automap_sync *s)
{
	struct itg_automap_merge plan;
	char **all = NULL;
	size_t n_all = 0;
	const char **both = calloc(s->n_known + s->n_orgs + 1, sizeof(*both));
	int rc;

	if (both == NULL)
		return SQLITE_NOMEM;
	for (size_t i = 0; i < s->n_known; i++)
		both[i] = s->known[i];
	for (size_t i = 0; i < s->n_orgs; i++)
		both[s->n_known + i] = s->orgs[i];
	rc = sorted_copy(both, s->n_known + s->n_orgs, &all, &n_all);
	free(both);
	if (rc != 0)
		return SQLITE_NOMEM;
	rc = itg_automap_merge_plan(s->changes, s->n_changes,
	                            (const char *const *)all, n_all, &plan);
	rc = rc == 0 ? SQLITE_OK : SQLITE_NOMEM;
	for (size_t i = 0; rc == SQLITE_OK && i < plan.n; i++) {
		const struct itg_map_config *c = s->changes[plan.first[i]];

		rc = plan.kept[i] ? itg_cache_put(w, c)
		                  : itg_cache_drop(w, c->id);
	}
	itg_automap_merge_clear(&plan);
	free_list(all, n_all);
	/* The organizations read in full: their cache becomes that read. */
	if (rc == SQLITE_OK && s->n_new > 0)
		rc = drop_unseen(w, &s->fresh, false);
	if (rc == SQLITE_OK)
		rc = put_orgs(w, s->orgs, s->n_orgs, false);
	if (rc == SQLITE_OK)
		rc = put_mark(
		        w, s,
		        itg_automap_newer(s->mark,
		                          itg_automap_newer(s->delta.newest,
		                                            s->fresh.newest)),
		        s->full_at);
	return rc;
}

int itg_automap_sync_save(struct itg_automap_sync *s,
                          const struct itg_automap_data *d, char *err,
                          size_t errsize)
{
	struct itg_cache_writer w;
	size_t streamed_rows = 0;
	bool streamed = false;
	int rc;

	/* Before the transaction: the stream's own need the connection. A
	 * stream that failed leaves its rows to be written below. */
	if (s->stream != NULL)
		streamed =
		        itg_cache_stream_end(s->stream, false, &streamed_rows);
	s->stream = NULL;
	if (s->dry_run || s->some_groups || !s->read)
		return 0;
	if (itg_store_begin(s->p->store, err, errsize) != 0)
		return XDR_ERROR;
	rc = itg_cache_writer_open(&w, itg_store_acquire(s->p->store),
	                           s->instance);
	w.written = streamed_rows;
	if (rc == SQLITE_OK)
		rc = s->reason == ITG_FULL_NONE ? save_incremental(&w, s)
		                                : save_full(&w, s, d, streamed);
	if (rc == SQLITE_OK)
		rc = itg_automap_directory_save(&s->dir, w.db, s->instance, d);
	if (rc != SQLITE_OK)
		itg_errf(err, errsize,
		         "cannot save the configurations read: %s",
		         rc == SQLITE_NOMEM ? "out of memory"
		                            : sqlite3_errmsg(w.db));
	s->written = w.written;
	itg_cache_writer_close(&w);
	itg_store_release(s->p->store);
	if (rc != SQLITE_OK) {
		itg_store_rollback(s->p->store);
		return rc == SQLITE_NOMEM ? XDR_ENOMEM : XDR_ERROR;
	}
	return itg_store_commit(s->p->store, err, errsize) == 0 ? 0 : XDR_ERROR;
}

struct json_object *itg_automap_sync_json(const struct itg_automap_sync *s)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	if (!s->read) {
		itg_json_add(o, "read", json_object_new_string("none"));
		return o;
	}
	if (s->reason != ITG_FULL_NONE) {
		itg_json_add(o, "read", json_object_new_string("full"));
		itg_json_add(o, "reason",
		             json_object_new_string(
		                     itg_automap_full_reason_name(s->reason)));
	} else {
		itg_json_add(o, "read", json_object_new_string("incremental"));
		itg_json_add(o, "since", json_object_new_string(s->mark));
		itg_json_add(
		        o, "listed",
		        json_object_new_int64((int64_t)s->delta.n_configs));
		itg_json_add(o, "pages",
		             json_object_new_int64((int64_t)s->pages));
		itg_json_add(o, "new_organizations",
		             json_object_new_int64((int64_t)s->n_new));
	}
	itg_json_add(o, "written", json_object_new_int64((int64_t)s->written));
	return o;
}

void itg_automap_sync_clear(struct itg_automap_sync *s)
{
	itg_cache_stream_end(s->stream, true, NULL);
	free(s->name);
	free(s->source);
	free(s->recorded_source);
	free(s->mark);
	free(s->contact_mark);
	free(s->org_mark);
	itg_automap_directory_clear(&s->dir);
	free_list(s->known, s->n_known);
	free_list(s->orgs, s->n_orgs);
	itg_automap_data_clear(&s->delta);
	itg_automap_data_clear(&s->fresh);
	free(s->changes);
	memset(s, 0, sizeof(*s));
}
