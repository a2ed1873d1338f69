/*
 * automap_directory.h - how an auto-map run reads the important contacts
 * and the organizations (the account's directory): in full, or only what
 * changed since the last complete read, merged into the copy the plugin
 * keeps (schema 8: automap_contacts, automap_organizations, and the marks
 * contact_mark and organization_mark of automap_sync).
 *
 * The run's decision (automap_sync.h) holds for them too: a run that reads
 * the configurations in full reads the directory in full (the important
 * contacts, filter[important]=true, and every organization); so does one
 * with no mark for them. Otherwise:
 *
 *   - GET /contacts?sort=-updated_at and GET /organizations?sort=-updated_at,
 *     1000 a page, one page at a time, down to the mark less the overlap,
 *     as for configurations. The contacts are every contact, not only the
 *     important ones: a contact that stopped being important must leave.
 *   - each changed record replaces the cached one of its id; a changed
 *     contact that is not important (false or null) removes it;
 *   - an answer not sorted by -updated_at is read in full, in the same run;
 *   - deletions are seen by full passes only (a deleted contact keeps its
 *     organization's domain until the next full pass, as a deleted
 *     configuration keeps its MACs).
 *
 * A run that changed nothing reads one page of each. Nothing is written
 * until the run's results are (itg_automap_sync_save()).
 */
#ifndef ITG_AUTOMAP_DIRECTORY_H
#define ITG_AUTOMAP_DIRECTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "automap_data.h"
#include "client.h"

struct itg_automap_sync;
struct json_object;
struct sqlite3;

/* One changed record of an incremental read, the newest of its id. */
struct itg_automap_change {
	const char *id;
	size_t seq; /* the order it was read in */
	long kept;  /* its index in fresh's contacts or orgs; -1: gone */
};

struct itg_automap_directory {
	bool read;        /* the directory was read */
	bool incremental; /* only its changes */
	const char *why_full;
	uint64_t pages; /* incremental: pages of both listings */
	size_t listed_contacts, listed_orgs; /* records taken: not below the
	                                      overlap */
	/* incremental: the changes, one per id, sorted by id */
	struct itg_automap_change *contacts, *orgs;
	size_t n_contacts, n_orgs;
	struct itg_automap_data fresh; /* the changed records kept */
	char contact_newest[ITG_AUTOMAP_TIME_MAX]; /* "" for none */
	char org_newest[ITG_AUTOMAP_TIME_MAX];
	size_t written; /* cached rows inserted, changed or removed */
};

/*
 * Fill D with the important contacts and the organizations, in full or
 * incrementally as above, for the run S (begun: its decision and marks
 * known) through client C. Returns 0, a negative status with e filled (IT
 * Glue or the network), or XDR_ERROR / XDR_ENOMEM with err (the store).
 */
int itg_automap_directory_read(struct itg_automap_sync *s, struct itg_client *c,
                               struct itg_automap_data *d,
                               struct itg_api_error *e, char *err,
                               size_t errsize);

/*
 * Within the transaction of itg_automap_sync_save(): write what the read
 * saw of INSTANCE's directory into DB (D: what a full read gathered).
 * Returns an SQLite status.
 */
int itg_automap_directory_save(struct itg_automap_directory *dir,
                               struct sqlite3 *db, int64_t instance,
                               const struct itg_automap_data *d);

/* The marks to keep after the read: the newer of OLD and what was seen
 * (incremental), or what was seen (full). */
const char *itg_automap_directory_mark(const struct itg_automap_directory *dir,
                                       bool contacts, const char *old);

/* {"read": "full"|"incremental"|"none", "reason"?, "pages"?,
 * "contacts_listed"?, "organizations_listed"?, "written"?} */
struct json_object *
itg_automap_directory_json(const struct itg_automap_directory *dir);

void itg_automap_directory_clear(struct itg_automap_directory *dir);

#endif /* ITG_AUTOMAP_DIRECTORY_H */
