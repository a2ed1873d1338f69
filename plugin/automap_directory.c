/*
 * automap_directory.c - the important contacts and the organizations an
 * auto-map run reads: in full, or what changed since the last complete
 * read, merged into the cache.
 */
#include <config.h>

#include "automap_directory.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "automap_incr.h"
#include "automap_sync.h"
#include "errbuf.h"
#include "json_util.h"
#include "log.h"
#include "query.h"
#include "store.h"

/* A changed record as read: its id, kept in FRESH or not. */
struct reading {
	struct itg_automap_change *list;
	size_t n, cap;
};

static int note_change(struct reading *rd, const char *id, long kept)
{
	if (rd->n == rd->cap) {
		size_t cap = rd->cap ? rd->cap * 2 : 256;
		void *p = realloc(rd->list, cap * sizeof(*rd->list));

		if (p == NULL)
			return XDR_ENOMEM;
		rd->list = p;
		rd->cap = cap;
	}
	rd->list[rd->n].id = id;
	rd->list[rd->n].seq = rd->n;
	rd->list[rd->n].kept = kept;
	rd->n++;
	return 0;
}

static int by_id_then_seq(const void *a, const void *b)
{
	const struct itg_automap_change *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct itg_automap_change *)a)->id,
	              ((const struct itg_automap_change *)b)->id);
}

/* The newest of each id (read first: the listing is newest first), by id. */
static void settle_changes(struct reading *rd)
{
	size_t kept = 0;

	if (rd->n == 0)
		return;
	qsort(rd->list, rd->n, sizeof(*rd->list), by_id_then_seq);
	for (size_t i = 0; i < rd->n; i++)
		if (kept == 0 || strcmp(rd->list[kept - 1].id, rd->list[i].id))
			rd->list[kept++] = rd->list[i];
	rd->n = kept;
}

static bool changed(const struct itg_automap_change *list, size_t n,
                    const char *id)
{
	struct itg_automap_change key = {.id = id};

	return n > 0 && bsearch(&key, list, n, sizeof(*list), by_id) != NULL;
}

/* What one listing of changes reads. */
struct listing {
	struct itg_automap_directory *dir;
	const char *path, *type;
	bool contacts;
	struct reading rd;
	char newest[ITG_AUTOMAP_TIME_MAX];
	size_t listed;
};

/* A page of changed contacts or organizations: each record kept in
 * fresh (or not: a contact that is not important), and noted as a
 * change. */
static int page_of_changes(void *user, const struct itg_doc *doc,
                           const struct itg_automap_cursor *cur)
{
	struct listing *l = user;
	struct itg_automap_data *f = &l->dir->fresh;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < doc->n_data; i++) {
		const struct itg_resource *r = &doc->data[i];
		size_t before = l->contacts ? f->n_contacts : f->n_orgs;
		size_t after;
		int64_t ms;

		/* Below the overlap: as the cache has it already. */
		if (strcmp(r->type, l->type) != 0 ||
		    (itg_automap_time_ms(
		             itg_json_str(r->attributes, "updated-at"), &ms) ==
		             0 &&
		     ms < cur->stop_below_ms))
			continue;
		l->listed++;
		rc = l->contacts ? itg_automap_add_contact(f, r)
		                 : itg_automap_add_org(f, r);
		after = l->contacts ? f->n_contacts : f->n_orgs;
		if (rc == 0) {
			/* one not kept (a contact not important) is a change
			 * too: it leaves the cache */
			const char *id =
			        after > before
			                ? (l->contacts ? f->contacts[before].id
			                               : f->orgs[before].id)
			                : itg_automap_keep(f, r->id);

			rc = id == NULL
			             ? XDR_ENOMEM
			             : note_change(&l->rd, id,
			                           after > before ? (long)before
			                                          : -1);
		}
	}
	if (cur->newest[0] != '\0')
		snprintf(l->newest, sizeof(l->newest), "%s", cur->newest);
	return rc;
}

/* The records of L changed since MARK, newest first, one per id. */
static int read_changes(struct itg_automap_sync *s, struct itg_client *c,
                        struct listing *l, const char *mark,
                        struct itg_api_error *e)
{
	struct itg_query q;
	int rc;

	itg_query_init(&q);
	if (itg_query_add(&q, "sort", "-updated_at") != 0)
		return XDR_EINVAL;
	rc = itg_automap_read_changes(c, l->path, l->type, &q, mark, s->slack_s,
	                              page_of_changes, l, &l->dir->pages, e);
	if (rc == 0)
		settle_changes(&l->rd);
	return rc;
}

/* What the cache's rows go into. */
struct loading {
	const struct itg_automap_directory *dir;
	struct itg_automap_data *d;
};

/* A cached contact (id, organization, its name, e-mails as JSON) into D
 * unless a change hides it. An SQLite status. */
static int contact_row(sqlite3_stmt *st, struct loading *l)
{
	const char *id = (const char *)sqlite3_column_text(st, 0);
	const char *text = (const char *)sqlite3_column_text(st, 3);
	struct json_object *emails =
	        text != NULL ? json_tokener_parse(text) : NULL;
	size_t n = json_object_is_type(emails, json_type_array)
	                   ? json_object_array_length(emails)
	                   : 0;
	const char **list = calloc(n + 1, sizeof(*list));
	struct itg_map_contact c = {
	        .id = id,
	        .organization_id = (const char *)sqlite3_column_text(st, 1),
	        .organization_name = (const char *)sqlite3_column_text(st, 2),
	        .important = ITG_TRI_TRUE,
	        .emails = list};
	int rc = SQLITE_OK;

	for (size_t i = 0; list != NULL && i < n; i++) {
		const char *v = json_object_get_string(
		        json_object_array_get_idx(emails, i));

		if (v != NULL)
			list[c.n_emails++] = v;
	}
	if (list == NULL)
		rc = SQLITE_NOMEM;
	else if (id != NULL && c.organization_id != NULL &&
	         !changed(l->dir->contacts, l->dir->n_contacts, id) &&
	         itg_automap_put_contact(l->d, &c) != 0)
		rc = SQLITE_NOMEM;
	free(list);
	json_object_put(emails);
	return rc;
}

/* A cached organization (id, name) into D unless a change hides it. */
static int org_row(sqlite3_stmt *st, struct loading *l)
{
	const char *id = (const char *)sqlite3_column_text(st, 0);

	if (id != NULL && !changed(l->dir->orgs, l->dir->n_orgs, id) &&
	    itg_automap_put_org(l->d, id,
	                        (const char *)sqlite3_column_text(st, 1)) != 0)
		return SQLITE_NOMEM;
	return SQLITE_OK;
}

/* Each row of SQL (its ?1 the instance) to ROW. SQLITE_DONE when all
 * went. */
static int each_row(sqlite3 *db, const char *sql, int64_t instance,
                    int (*row)(sqlite3_stmt *st, struct loading *l),
                    struct loading *l)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = row(st, l);
	sqlite3_finalize(st);
	return rc;
}

/* The cached contacts and organizations that no change hides, into D. */
static int load_cache(const struct itg_automap_directory *dir,
                      struct itg_automap_sync *s, struct itg_automap_data *d,
                      char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(s->p->store);
	struct loading l = {dir, d};
	int rc = each_row(db,
	                  "SELECT id, organization_id, organization_name,"
	                  " emails FROM automap_contacts"
	                  " WHERE instance_id = ?1",
	                  s->instance, contact_row, &l);

	if (rc == SQLITE_DONE)
		rc = each_row(db,
		              "SELECT id, name FROM automap_organizations"
		              " WHERE instance_id = ?1",
		              s->instance, org_row, &l);
	if (rc != SQLITE_DONE)
		itg_errf(err, errsize,
		         "cannot read the auto-map's contacts and "
		         "organizations: %s",
		         rc == SQLITE_NOMEM ? "out of memory"
		                            : sqlite3_errmsg(db));
	itg_store_release(s->p->store);
	if (rc == SQLITE_NOMEM)
		return XDR_ENOMEM;
	return rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

/* The changes kept, after the cached records: the merged directory. */
static int add_changes(const struct itg_automap_directory *dir,
                       struct itg_automap_data *d)
{
	const struct itg_automap_data *f = &dir->fresh;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < dir->n_contacts; i++)
		if (dir->contacts[i].kept >= 0)
			rc = itg_automap_put_contact(
			        d, &f->contacts[dir->contacts[i].kept]);
	for (size_t i = 0; rc == 0 && i < dir->n_orgs; i++)
		if (dir->orgs[i].kept >= 0)
			rc = itg_automap_put_org(
			        d, f->orgs[dir->orgs[i].kept].id,
			        f->orgs[dir->orgs[i].kept].name);
	return rc;
}

static void forget_changes(struct itg_automap_directory *dir)
{
	free(dir->contacts);
	free(dir->orgs);
	dir->contacts = dir->orgs = NULL;
	dir->n_contacts = dir->n_orgs = 0;
	itg_automap_data_clear(&dir->fresh);
}

static int read_incremental(struct itg_automap_directory *dir,
                            struct itg_automap_sync *s, struct itg_client *c,
                            struct itg_automap_data *d, struct itg_api_error *e,
                            char *err, size_t errsize)
{
	struct listing contacts = {.dir = dir,
	                           .path = "/contacts",
	                           .type = "contacts",
	                           .contacts = true};
	struct listing orgs = {
	        .dir = dir, .path = "/organizations", .type = "organizations"};
	int rc = read_changes(s, c, &contacts, s->contact_mark, e);

	if (rc == 0)
		rc = read_changes(s, c, &orgs, s->org_mark, e);
	dir->contacts = contacts.rd.list;
	dir->n_contacts = contacts.rd.n;
	dir->orgs = orgs.rd.list;
	dir->n_orgs = orgs.rd.n;
	snprintf(dir->contact_newest, sizeof(dir->contact_newest), "%s",
	         contacts.newest);
	snprintf(dir->org_newest, sizeof(dir->org_newest), "%s", orgs.newest);
	dir->listed_contacts = contacts.listed;
	dir->listed_orgs = orgs.listed;
	if (rc == 0)
		rc = load_cache(dir, s, d, err, errsize);
	if (rc == 0)
		rc = add_changes(dir, d);
	if (rc == 0)
		rc = itg_automap_index_orgs(d);
	if (rc == XDR_ENOMEM && err[0] == '\0')
		itg_errf(err, errsize, "out of memory");
	else if (rc == XDR_EINVAL && err[0] == '\0')
		itg_errf(err, errsize,
		         "cannot ask for the contacts and organizations "
		         "changed since %s and %s",
		         s->contact_mark, s->org_mark);
	return rc;
}

int itg_automap_directory_read(struct itg_automap_sync *s, struct itg_client *c,
                               struct itg_automap_data *d,
                               struct itg_api_error *e, char *err,
                               size_t errsize)
{
	struct itg_automap_directory *dir = &s->dir;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	dir->incremental = s->reason == ITG_FULL_NONE &&
	                   s->contact_mark != NULL && s->org_mark != NULL;
	dir->why_full = s->reason != ITG_FULL_NONE
	                        ? itg_automap_full_reason_name(s->reason)
	                        : "no_mark";
	if (dir->incremental) {
		rc = read_incremental(dir, s, c, d, e, err, errsize);
		if (rc == ITG_AUTOMAP_NOT_SORTED) {
			itg_log(s->p, XDR_LOG_WARNING,
			        "auto-map of \"%s\": IT Glue did not sort the "
			        "contacts or organizations by -updated_at; "
			        "reading them in full",
			        s->name);
			forget_changes(dir);
			itg_automap_data_clear(d);
			dir->incremental = false;
			dir->why_full = itg_automap_full_reason_name(
			        ITG_FULL_NOT_SORTED);
			rc = 0;
		}
	}
	if (rc == 0 && !dir->incremental) {
		rc = itg_automap_fetch_contacts(c, d, e);
		snprintf(dir->contact_newest, sizeof(dir->contact_newest), "%s",
		         d->contact_newest);
		snprintf(dir->org_newest, sizeof(dir->org_newest), "%s",
		         d->org_newest);
		if (rc == XDR_ENOMEM)
			itg_errf(err, errsize, "out of memory");
	}
	dir->read = rc == 0;
	return rc;
}

/* ---- saving ---- */

static int exec_instance(sqlite3 *db, const char *sql, int64_t instance)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_finalize(st);
	return rc;
}

static int put_contact(sqlite3_stmt *st, int64_t instance,
                       const struct itg_map_contact *c)
{
	struct json_object *emails = json_object_new_array();
	int rc = emails != NULL ? SQLITE_OK : SQLITE_NOMEM;

	for (size_t i = 0; rc == SQLITE_OK && i < c->n_emails; i++)
		if (json_object_array_add(emails,
		                          json_object_new_string(c->emails[i])))
			rc = SQLITE_NOMEM;
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, c->id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, c->organization_id, -1,
		                       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 4, c->organization_name, -1,
		                       SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(
		        st, 5,
		        json_object_to_json_string_ext(
		                emails, JSON_C_TO_STRING_PLAIN |
		                                JSON_C_TO_STRING_NOSLASHESCAPE),
		        -1, SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_reset(st);
	json_object_put(emails);
	return rc;
}

static int put_org(sqlite3_stmt *st, int64_t instance, const char *id,
                   const char *name)
{
	int rc = sqlite3_bind_int64(st, 1, instance);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 3, name, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_reset(st);
	return rc;
}

static int drop(sqlite3_stmt *st, int64_t instance, const char *id)
{
	int rc = sqlite3_bind_int64(st, 1, instance);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
	sqlite3_reset(st);
	return rc;
}

int itg_automap_directory_save(struct itg_automap_directory *dir,
                               struct sqlite3 *db, int64_t instance,
                               const struct itg_automap_data *d)
{
	sqlite3_stmt *contact = NULL, *org = NULL, *gone = NULL;
	const struct itg_automap_data *f = &dir->fresh;
	int rc;

	if (!dir->read)
		return SQLITE_OK;
	rc = sqlite3_prepare_v2(db,
	                        "INSERT OR REPLACE INTO automap_contacts"
	                        " (instance_id, id, organization_id,"
	                        " organization_name, emails)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5)",
	                        -1, &contact, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "INSERT OR REPLACE INTO"
		                        " automap_organizations"
		                        " (instance_id, id, name)"
		                        " VALUES (?1, ?2, ?3)",
		                        -1, &org, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db,
		                        "DELETE FROM automap_contacts"
		                        " WHERE instance_id = ?1 AND id = ?2",
		                        -1, &gone, NULL);
	if (rc == SQLITE_OK && !dir->incremental) {
		/* A full read: the cache becomes what it saw. */
		rc = exec_instance(db,
		                   "DELETE FROM automap_contacts"
		                   " WHERE instance_id = ?1",
		                   instance);
		if (rc == SQLITE_OK)
			rc = exec_instance(db,
			                   "DELETE FROM automap_organizations"
			                   " WHERE instance_id = ?1",
			                   instance);
		for (size_t i = 0; rc == SQLITE_OK && i < d->n_contacts; i++)
			if (d->contacts[i].id != NULL)
				rc = put_contact(contact, instance,
				                 &d->contacts[i]);
		for (size_t i = 0; rc == SQLITE_OK && i < d->n_orgs; i++)
			rc = put_org(org, instance, d->orgs[i].id,
			             d->orgs[i].name);
		dir->written = d->n_contacts + d->n_orgs;
	}
	for (size_t i = 0;
	     dir->incremental && rc == SQLITE_OK && i < dir->n_contacts; i++) {
		const struct itg_automap_change *ch = &dir->contacts[i];

		rc = ch->kept >= 0 ? put_contact(contact, instance,
		                                 &f->contacts[ch->kept])
		                   : drop(gone, instance, ch->id);
		dir->written++;
	}
	for (size_t i = 0;
	     dir->incremental && rc == SQLITE_OK && i < dir->n_orgs; i++) {
		const struct itg_automap_change *ch = &dir->orgs[i];

		if (ch->kept < 0)
			continue;
		rc = put_org(org, instance, f->orgs[ch->kept].id,
		             f->orgs[ch->kept].name);
		dir->written++;
	}
	sqlite3_finalize(contact);
	sqlite3_finalize(org);
	sqlite3_finalize(gone);
	return rc;
}

const char *itg_automap_directory_mark(const struct itg_automap_directory *dir,
                                       bool contacts, const char *old)
{
	const char *seen = contacts ? dir->contact_newest : dir->org_newest;

	if (!dir->read)
		return old;
	return dir->incremental ? itg_automap_newer(old, seen) : seen;
}

struct json_object *
itg_automap_directory_json(const struct itg_automap_directory *dir)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	if (!dir->read) {
		itg_json_add(o, "read", json_object_new_string("none"));
		return o;
	}
	if (!dir->incremental) {
		itg_json_add(o, "read", json_object_new_string("full"));
		itg_json_add(o, "reason",
		             json_object_new_string(dir->why_full));
	} else {
		itg_json_add(o, "read", json_object_new_string("incremental"));
		itg_json_add(o, "pages",
		             json_object_new_int64((int64_t)dir->pages));
		itg_json_add(
		        o, "contacts_listed",
		        json_object_new_int64((int64_t)dir->listed_contacts));
		itg_json_add(o, "organizations_listed",
		             json_object_new_int64((int64_t)dir->listed_orgs));
	}
	itg_json_add(o, "written",
	             json_object_new_int64((int64_t)dir->written));
	return o;
}

void itg_automap_directory_clear(struct itg_automap_directory *dir)
{
	forget_changes(dir);
	memset(dir, 0, sizeof(*dir));
}
