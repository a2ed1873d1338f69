/*
 * fuzz_inventory.c - the inventory loader (host-sdk/lib/inventory.c): an
 * inventory document as any text, read and, when accepted, stored in the
 * host's database, as `xdr-host inventory load` does.
 *
 * The database lives in a temporary directory, holds a group and a system
 * before each input (so that the document may update them), and is put
 * back after each input that wrote to it. Beyond not crashing: a document
 * accepted once is accepted again, and loading it twice stores what
 * loading it once did (the loader's promise).
 */
#include "config.h"

#include "fuzz.h"

#include "fuzz_db.h"
#include "internal.h"
#include "compat/os.h"

static struct xdr_db *db;
static char *dir;
static struct fuzz_snapshot *snapshot;

static const char base[] =
        "{\"groups\":[{\"name\":\"Default\",\"email\":\"it@acme.example\"},"
        "{\"name\":\"Globex\",\"email\":null}],"
        "\"systems\":[{\"name\":\"WS-01\",\"group\":\"Default\","
        "\"os\":\"windows\",\"sensor\":\"agent\",\"agent_version\":\"9.3.0\","
        "\"macs\":[\"18-5E-0F-ED-99-9A\"]}]}";

static void load(const char *text, size_t len)
{
	struct xdr_inventory inv;
	struct xdr_err err;

	if (xdr_inventory_parse(text, len, &inv, &err) != XDR_OK ||
	    xdr_inventory_apply(db, &inv, &err) != XDR_OK) {
		fprintf(stderr, "fuzz_inventory: base inventory: %s\n",
		        err.msg);
		abort();
	}
	xdr_inventory_free(&inv);
}

static void stop(void)
{
	fuzz_snapshot_free(snapshot);
	xdr_db_close(db);
	os_rmtree(dir);
	free(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct xdr_err err;
	char path[4096];
	const char *tmp = getenv("TMPDIR");

	(void)argc;
	(void)argv;
	snprintf(path, sizeof(path), "%s/fuzz-inventory-XXXXXX",
	         tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	dir = strdup(path);
	if (dir == NULL || os_mkdtemp(dir) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/xdr.db", dir);
	if (xdr_db_open(&db, path, &err) != XDR_OK) {
		fprintf(stderr, "fuzz_inventory: %s\n", err.msg);
		abort();
	}
	load(base, sizeof(base) - 1);
	xdr_db_lock(db);
	snapshot = fuzz_snapshot_take(xdr_db_handle(db));
	xdr_db_unlock(db);
	atexit(stop);
	return 0;
}

/* Everything the database holds of groups and systems, as one text. */
static char *dump(void)
{
	static const char sql[] =
	        "SELECT group_concat(x, '|') FROM ("
	        " SELECT 'g' || id || name || ifnull(email, '-') AS x"
	        "  FROM groups"
	        " UNION ALL SELECT 's' || s.id || s.name || s.group_id ||"
	        "  s.os || s.sensor || ifnull(s.agent_version, '-') ||"
	        "  ifnull((SELECT group_concat(position || mac) FROM "
	        "system_macs m"
	        "   WHERE m.system_id = s.id), '-')"
	        "  FROM systems s ORDER BY 1)";
	sqlite3_stmt *st = NULL;
	char *text = NULL;

	xdr_db_lock(db);
	FUZZ_CHECK(sqlite3_prepare_v2(xdr_db_handle(db), sql, -1, &st, NULL) ==
	                   SQLITE_OK,
	           "the dump's statement");
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		text = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	return text != NULL ? text : strdup("");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xdr_inventory inv, again;
	struct xdr_err err;
	char *once, *twice;
	int rc;

	rc = xdr_inventory_parse((const char *)data, size, &inv, &err);
	if (rc != XDR_OK) {
		FUZZ_CHECK(rc == XDR_EINVAL || rc == XDR_ENOMEM,
		           "a refusal is XDR_EINVAL");
		FUZZ_CHECK(err.msg[0] != '\0' && fuzz_one_line(err.msg),
		           "a refusal says why, in one line");
		return 0;
	}
	FUZZ_CHECK(xdr_inventory_parse((const char *)data, size, &again,
	                               &err) == XDR_OK,
	           "accepted again");
	xdr_inventory_free(&again);

	rc = xdr_inventory_apply(db, &inv, &err);
	if (rc == XDR_OK) {
		once = dump();
		FUZZ_CHECK(xdr_inventory_apply(db, &inv, &err) == XDR_OK,
		           "a document stored once stores again");
		twice = dump();
		FUZZ_CHECK(strcmp(once, twice) == 0,
		           "loading twice stores what loading once did");
		free(once);
		free(twice);
	} else {
		FUZZ_CHECK(err.msg[0] != '\0' && fuzz_one_line(err.msg),
		           "a refusal to store says why, in one line");
	}
	xdr_inventory_free(&inv);

	xdr_db_lock(db);
	fuzz_snapshot_restore(snapshot, xdr_db_handle(db));
	xdr_db_unlock(db);
	return 0;
}
