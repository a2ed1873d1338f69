/*
 * mapping_store.c - mappings, exclusions, announced failures and the
 * auto-map schedule in the plugin's store (schema.c, version 5).
 */
#include <config.h>

#include "mapping_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include <xdr/plugin.h>

#include "errbuf.h"

static const char *kind_name(enum itg_map_kind kind)
{
	return kind == ITG_MAP_GROUP ? "group" : "system";
}

static char *dup_col(sqlite3_stmt *st, int col, bool *oom)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	char *copy;

	if (t == NULL)
		return NULL;
	copy = strdup((const char *)t);
	if (copy == NULL)
		*oom = true;
	return copy;
}

/* Grow *items (of SIZE bytes each) to hold n + 1. */
static int grow(void **items, size_t n, size_t size)
{
	void *p = realloc(*items, (n + 1) * size);

	if (p == NULL)
		return XDR_ENOMEM;
	*items = p;
	return 0;
}

static int read_groups(sqlite3_stmt *st, struct itg_mapping_set *set, bool *oom)
{
	struct itg_group_mapping *g;

	if (grow((void **)&set->groups, set->n_groups, sizeof(*g)) != 0)
		return XDR_ENOMEM;
	g = &set->groups[set->n_groups++];
	g->group_id = sqlite3_column_int64(st, 0);
	g->organization_id = dup_col(st, 1, oom);
	g->organization_name = dup_col(st, 2, oom);
	g->manual =
	        strcmp((const char *)sqlite3_column_text(st, 3), "manual") == 0;
	g->stale = sqlite3_column_int(st, 4) != 0;
	return 0;
}

static int read_systems(sqlite3_stmt *st, struct itg_mapping_set *set,
                        bool *oom)
{
	struct itg_system_mapping *m;

	if (grow((void **)&set->systems, set->n_systems, sizeof(*m)) != 0)
		return XDR_ENOMEM;
	m = &set->systems[set->n_systems++];
	m->system_id = sqlite3_column_int64(st, 0);
	m->group_id = sqlite3_column_int64(st, 1);
	m->configuration_id = dup_col(st, 2, oom);
	m->configuration_name = dup_col(st, 3, oom);
	m->manual =
	        strcmp((const char *)sqlite3_column_text(st, 4), "manual") == 0;
	m->mac = dup_col(st, 5, oom);
	m->archived_match = sqlite3_column_int(st, 6) != 0;
	m->stale = sqlite3_column_int(st, 7) != 0;
	return 0;
}

static int read_exclusions(sqlite3_stmt *st, struct itg_mapping_set *set,
                           bool *oom)
{
	struct itg_exclusion *x;

	if (grow((void **)&set->exclusions, set->n_exclusions, sizeof(*x)) != 0)
		return XDR_ENOMEM;
	x = &set->exclusions[set->n_exclusions++];
	x->kind = strcmp((const char *)sqlite3_column_text(st, 0), "group") == 0
	                  ? ITG_MAP_GROUP
	                  : ITG_MAP_SYSTEM;
	x->host_id = sqlite3_column_int64(st, 1);
	x->itg_id = dup_col(st, 2, oom);
	return 0;
}

static int read_failures(sqlite3_stmt *st, struct itg_mapping_set *set,
                         bool *oom)
{
	struct itg_failure *f;

	if (grow((void **)&set->failures, set->n_failures, sizeof(*f)) != 0)
		return XDR_ENOMEM;
	f = &set->failures[set->n_failures++];
	f->kind = strcmp((const char *)sqlite3_column_text(st, 0), "group") == 0
	                  ? ITG_MAP_GROUP
	                  : ITG_MAP_SYSTEM;
	f->host_id = sqlite3_column_int64(st, 1);
	f->reason = dup_col(st, 2, oom);
	f->detail = dup_col(st, 3, oom);
	f->fingerprint = dup_col(st, 4, oom);
	return 0;
}

static int load_rows(sqlite3 *db, const char *sql, int64_t instance,
                     int (*row)(sqlite3_stmt *, struct itg_mapping_set *,
                                bool *),
                     struct itg_mapping_set *set, char *err, size_t errsize)
{
	sqlite3_stmt *st = NULL;
	bool oom = false;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(st, set, &oom) == 0 ? SQLITE_OK : SQLITE_NOMEM;
	sqlite3_finalize(st);
	if (rc == SQLITE_DONE && !oom)
		return 0;
	itg_errf(err, errsize, "cannot read the mappings: %s",
	         oom || rc == SQLITE_NOMEM ? "out of memory"
	                                   : sqlite3_errmsg(db));
	return oom || rc == SQLITE_NOMEM ? XDR_ENOMEM : XDR_ERROR;
}

int itg_mappings_load(struct itg_store *store, int64_t instance,
                      struct itg_mapping_set *out, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(store);
	int rc;

	memset(out, 0, sizeof(*out));
	rc = load_rows(db,
	               "SELECT group_id, organization_id, organization_name,"
	               " source, stale FROM group_mappings"
	               " WHERE instance_id = ?1 ORDER BY group_id",
	               instance, read_groups, out, err, errsize);
	if (rc == 0)
		rc = load_rows(
		        db,
		        "SELECT system_id, group_id, configuration_id,"
		        " configuration_name, source, mac, archived_match,"
		        " stale FROM system_mappings"
		        " WHERE instance_id = ?1 ORDER BY system_id",
		        instance, read_systems, out, err, errsize);
	if (rc == 0)
		rc = load_rows(db,
		               "SELECT kind, host_id, itg_id"
		               " FROM automap_exclusions WHERE instance_id = ?1"
		               " ORDER BY kind, host_id, itg_id",
		               instance, read_exclusions, out, err, errsize);
	if (rc == 0)
		rc = load_rows(
		        db,
		        "SELECT kind, host_id, reason, detail, fingerprint"
		        " FROM automap_failures WHERE instance_id = ?1"
		        " ORDER BY kind, host_id",
		        instance, read_failures, out, err, errsize);
	itg_store_release(store);
	if (rc != 0)
		itg_mapping_set_clear(out);
	return rc;
}

void itg_mapping_set_clear(struct itg_mapping_set *set)
{
	for (size_t i = 0; i < set->n_groups; i++) {
		free(set->groups[i].organization_id);
		free(set->groups[i].organization_name);
	}
	for (size_t i = 0; i < set->n_systems; i++) {
		free(set->systems[i].configuration_id);
		free(set->systems[i].configuration_name);
		free(set->systems[i].mac);
	}
	for (size_t i = 0; i < set->n_exclusions; i++)
		free(set->exclusions[i].itg_id);
	for (size_t i = 0; i < set->n_failures; i++) {
		free(set->failures[i].reason);
		free(set->failures[i].detail);
		free(set->failures[i].fingerprint);
	}
	free(set->groups);
	free(set->systems);
	free(set->exclusions);
	free(set->failures);
	memset(set, 0, sizeof(*set));
}

/* The set's arrays come from the store sorted by their keys (the ORDER BY
 * of itg_mappings_load), so the lookups a run makes for every record are
 * binary searches. */
static int cmp_group(const void *key, const void *item)
{
	int64_t id = *(const int64_t *)key;
	int64_t other = ((const struct itg_group_mapping *)item)->group_id;

	return id < other ? -1 : id > other;
}

static int cmp_system(const void *key, const void *item)
{
	int64_t id = *(const int64_t *)key;
	int64_t other = ((const struct itg_system_mapping *)item)->system_id;

	return id < other ? -1 : id > other;
}

struct failure_key {
	enum itg_map_kind kind;
	int64_t host_id;
};

static int cmp_failure(const void *key, const void *item)
{
	const struct failure_key *k = key;
	const struct itg_failure *f = item;

	if (k->kind != f->kind)
		return k->kind < f->kind ? -1 : 1;
	return k->host_id < f->host_id ? -1 : k->host_id > f->host_id;
}

const struct itg_group_mapping *
itg_mapping_set_group(const struct itg_mapping_set *set, int64_t group_id)
{
	if (set->n_groups == 0)
		return NULL;
	return bsearch(&group_id, set->groups, set->n_groups,
	               sizeof(*set->groups), cmp_group);
}

const struct itg_system_mapping *
itg_mapping_set_system(const struct itg_mapping_set *set, int64_t system_id)
{
	if (set->n_systems == 0)
		return NULL;
	return bsearch(&system_id, set->systems, set->n_systems,
	               sizeof(*set->systems), cmp_system);
}

const struct itg_failure *
itg_mapping_set_failure(const struct itg_mapping_set *set,
                        enum itg_map_kind kind, int64_t host_id)
{
	struct failure_key key = {kind, host_id};

	if (set->n_failures == 0)
		return NULL;
	return bsearch(&key, set->failures, set->n_failures,
	               sizeof(*set->failures), cmp_failure);
}

static int done(int changes)
{
	return changes < 0 ? changes : 0;
}

int itg_group_map(struct itg_store *store, int64_t instance, int64_t group_id,
                  const char *organization_id, const char *organization_name,
                  bool manual, int64_t now, char *err, size_t errsize)
{
	return done(itg_store_exec(
	        store, err, errsize,
	        "INSERT OR REPLACE INTO group_mappings (instance_id, group_id,"
	        " organization_id, organization_name, source, stale,"
	        " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6)",
	        "iittti", instance, group_id, organization_id,
	        organization_name, manual ? "manual" : "auto", now));
}

int itg_group_rename(struct itg_store *store, int64_t instance,
                     int64_t group_id, const char *organization_id,
                     const char *organization_name, char *err, size_t errsize)
{
	return done(itg_store_exec(
	        store, err, errsize,
	        "UPDATE group_mappings SET organization_name = ?4"
	        " WHERE instance_id = ?1 AND group_id = ?2"
	        " AND organization_id = ?3",
	        "iitt", instance, group_id, organization_id,
	        organization_name));
}

/* The system that has CONFIGURATION, other than SYSTEM; 0 if none. */
static int64_t configuration_holder(struct itg_store *store, int64_t instance,
                                    const char *configuration, int64_t system)
{
	sqlite3_stmt *st;
	int64_t holder = 0;

	itg_store_acquire(store);
	st = itg_store_statement(store, "SELECT system_id FROM system_mappings"
	                                " WHERE instance_id = ?1"
	                                " AND configuration_id = ?2"
	                                " AND system_id <> ?3");
	if (st != NULL && sqlite3_bind_int64(st, 1, instance) == SQLITE_OK &&
	    sqlite3_bind_text(st, 2, configuration, -1, SQLITE_STATIC) ==
	            SQLITE_OK &&
	    sqlite3_bind_int64(st, 3, system) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		holder = sqlite3_column_int64(st, 0);
	itg_store_done(store, st);
	itg_store_release(store);
	return holder;
}

/*
 * An upsert on the system, not INSERT OR REPLACE: a configuration mapped to
 * another system then fails on UNIQUE (instance_id, configuration_id)
 * instead of silently deleting that system's mapping.
 */
int itg_system_map(struct itg_store *store, int64_t instance,
                   const struct itg_system_mapping *m, int64_t now, char *err,
                   size_t errsize)
{
	int64_t holder = 0;
	int rc;

	/* One hold of the connection for the write and, when the UNIQUE
	 * (instance, configuration) constraint refuses it, for finding the
	 * system that has the configuration: looked up only then, since
	 * auto-map writes tens of thousands of mappings that never clash. */
	itg_store_acquire(store);
	rc = done(itg_store_exec(
	        store, err, errsize,
	        "INSERT INTO system_mappings (instance_id,"
	        " system_id, group_id, configuration_id,"
	        " configuration_name, source, mac,"
	        " archived_match, stale, updated_at)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0, ?9)"
	        " ON CONFLICT (instance_id, system_id) DO UPDATE"
	        " SET group_id = excluded.group_id,"
	        " configuration_id = excluded.configuration_id,"
	        " configuration_name ="
	        " excluded.configuration_name,"
	        " source = excluded.source, mac = excluded.mac,"
	        " archived_match = excluded.archived_match,"
	        " stale = 0, updated_at = excluded.updated_at",
	        "iiitttt"
	        "ii",
	        instance, m->system_id, m->group_id, m->configuration_id,
	        m->configuration_name, m->manual ? "manual" : "auto", m->mac,
	        (int64_t)(m->archived_match ? 1 : 0), now));
	if (rc == XDR_EINVAL)
		holder = configuration_holder(
		        store, instance, m->configuration_id, m->system_id);
	itg_store_release(store);
	if (rc == XDR_EINVAL && holder != 0)
		itg_errf(err, errsize,
		         "configuration %s is mapped to system %lld already",
		         m->configuration_id, (long long)holder);
	else if (rc == XDR_EINVAL)
		itg_errf(err, errsize,
		         "configuration %s is mapped to another system already",
		         m->configuration_id);
	return rc;
}

static int removed(int changes, const char *what, int64_t id, char *err,
                   size_t errsize)
{
	if (changes < 0)
		return changes;
	if (changes == 0) {
		itg_errf(err, errsize, "%s %lld is not mapped", what,
		         (long long)id);
		return XDR_ENOTFOUND;
	}
	return 0;
}

int itg_group_unmap(struct itg_store *store, int64_t instance, int64_t group_id,
                    char *err, size_t errsize)
{
	return removed(itg_store_exec(store, err, errsize,
	                              "DELETE FROM group_mappings"
	                              " WHERE instance_id = ?1"
	                              " AND group_id = ?2",
	                              "ii", instance, group_id),
	               "group", group_id, err, errsize);
}

int itg_system_unmap(struct itg_store *store, int64_t instance,
                     int64_t system_id, char *err, size_t errsize)
{
	return removed(itg_store_exec(store, err, errsize,
	                              "DELETE FROM system_mappings"
	                              " WHERE instance_id = ?1"
	                              " AND system_id = ?2",
	                              "ii", instance, system_id),
	               "system", system_id, err, errsize);
}

int itg_group_unmap_auto_systems(struct itg_store *store, int64_t instance,
                                 int64_t group_id, char *err, size_t errsize)
{
	return done(itg_store_exec(store, err, errsize,
	                           "DELETE FROM system_mappings"
	                           " WHERE instance_id = ?1 AND group_id = ?2"
	                           " AND source = 'auto'",
	                           "ii", instance, group_id));
}

int itg_mapping_mark_stale(struct itg_store *store, int64_t instance,
                           enum itg_map_kind kind, int64_t host_id, bool stale,
                           char *err, size_t errsize)
{
	return done(itg_store_exec(
	        store, err, errsize,
	        kind == ITG_MAP_GROUP ? "UPDATE group_mappings SET stale = ?3"
	                                " WHERE instance_id = ?1"
	                                " AND group_id = ?2"
	                              : "UPDATE system_mappings SET stale = ?3"
	                                " WHERE instance_id = ?1"
	                                " AND system_id = ?2",
	        "iii", instance, host_id, (int64_t)(stale ? 1 : 0)));
}

int itg_exclusion_add(struct itg_store *store, int64_t instance,
                      enum itg_map_kind kind, int64_t host_id,
                      const char *itg_id, int64_t now, char *err,
                      size_t errsize)
{
	return done(itg_store_exec(store, err, errsize,
	                           "INSERT OR IGNORE INTO automap_exclusions"
	                           " (instance_id, kind, host_id, itg_id,"
	                           " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	                           "ititi", instance, kind_name(kind), host_id,
	                           itg_id, now));
}

int itg_exclusions_forget(struct itg_store *store, int64_t instance,
                          enum itg_map_kind kind, int64_t host_id, char *err,
                          size_t errsize)
{
	return done(itg_store_exec(store, err, errsize,
	                           "DELETE FROM automap_exclusions"
	                           " WHERE instance_id = ?1 AND kind = ?2"
	                           " AND host_id = ?3",
	                           "iti", instance, kind_name(kind), host_id));
}

int itg_failure_set(struct itg_store *store, int64_t instance,
                    const struct itg_failure *f, int64_t now, char *err,
                    size_t errsize)
{
	return done(itg_store_exec(
	        store, err, errsize,
	        "INSERT INTO automap_failures (instance_id, kind, host_id,"
	        " reason, detail, fingerprint, first_seen, last_seen)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)"
	        " ON CONFLICT (instance_id, kind, host_id) DO UPDATE SET"
	        " reason = excluded.reason, detail = excluded.detail,"
	        " fingerprint = excluded.fingerprint,"
	        " last_seen = excluded.last_seen",
	        "itittti", instance, kind_name(f->kind), f->host_id, f->reason,
	        f->detail, f->fingerprint, now));
}

int itg_failure_clear(struct itg_store *store, int64_t instance,
                      enum itg_map_kind kind, int64_t host_id, char *err,
                      size_t errsize)
{
	return done(itg_store_exec(store, err, errsize,
	                           "DELETE FROM automap_failures"
	                           " WHERE instance_id = ?1 AND kind = ?2"
	                           " AND host_id = ?3",
	                           "iti", instance, kind_name(kind), host_id));
}

int itg_schedule_last(struct itg_store *store, int64_t instance, int64_t *last)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc;

	*last = 0;
	rc = sqlite3_prepare_v2(db,
	                        "SELECT last_scheduled FROM automap_schedule"
	                        " WHERE instance_id = ?1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*last = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

int itg_schedule_set(struct itg_store *store, int64_t instance, int64_t at,
                     char *err, size_t errsize)
{
	return done(itg_store_exec(store, err, errsize,
	                           "INSERT OR REPLACE INTO automap_schedule"
	                           " (instance_id, last_scheduled)"
	                           " VALUES (?1, ?2)",
	                           "ii", instance, at));
}

int itg_group_mapping_get(struct itg_store *store, int64_t instance,
                          int64_t group_id, struct itg_group_mapping *out)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	bool oom = false;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = sqlite3_prepare_v2(db,
	                        "SELECT organization_id, organization_name,"
	                        " source, stale FROM group_mappings"
	                        " WHERE instance_id = ?1 AND group_id = ?2",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, group_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->group_id = group_id;
		out->organization_id = dup_col(st, 0, &oom);
		out->organization_name = dup_col(st, 1, &oom);
		out->manual = strcmp((const char *)sqlite3_column_text(st, 2),
		                     "manual") == 0;
		out->stale = sqlite3_column_int(st, 3) != 0;
		rc = oom ? XDR_ENOMEM : XDR_OK;
	} else {
		rc = rc == SQLITE_DONE ? XDR_ENOTFOUND : XDR_ERROR;
	}
	sqlite3_finalize(st);
	itg_store_release(store);
	if (rc != XDR_OK)
		itg_group_mapping_clear(out);
	return rc;
}

void itg_group_mapping_clear(struct itg_group_mapping *m)
{
	free(m->organization_id);
	free(m->organization_name);
	memset(m, 0, sizeof(*m));
}

int itg_system_mapping_get(struct itg_store *store, int64_t instance,
                           int64_t system_id, struct itg_system_mapping *out)
{
	sqlite3_stmt *st;
	bool oom = false;
	int rc;

	memset(out, 0, sizeof(*out));
	itg_store_acquire(store);
	st = itg_store_statement(store,
	                         "SELECT group_id, configuration_id,"
	                         " configuration_name, source, mac,"
	                         " archived_match, stale FROM system_mappings"
	                         " WHERE instance_id = ?1 AND system_id = ?2");
	rc = st != NULL ? SQLITE_OK : SQLITE_ERROR;
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, system_id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->system_id = system_id;
		out->group_id = sqlite3_column_int64(st, 0);
		out->configuration_id = dup_col(st, 1, &oom);
		out->configuration_name = dup_col(st, 2, &oom);
		out->manual = strcmp((const char *)sqlite3_column_text(st, 3),
		                     "manual") == 0;
		out->mac = dup_col(st, 4, &oom);
		out->archived_match = sqlite3_column_int(st, 5) != 0;
		out->stale = sqlite3_column_int(st, 6) != 0;
		rc = oom ? XDR_ENOMEM : XDR_OK;
	} else {
		rc = rc == SQLITE_DONE ? XDR_ENOTFOUND : XDR_ERROR;
	}
	itg_store_done(store, st);
	itg_store_release(store);
	if (rc != XDR_OK)
		itg_system_mapping_clear(out);
	return rc;
}

void itg_system_mapping_clear(struct itg_system_mapping *m)
{
	free(m->configuration_id);
	free(m->configuration_name);
	free(m->mac);
	memset(m, 0, sizeof(*m));
}
