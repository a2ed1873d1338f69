/*
 * store_salvage.h - copying what can be read of a damaged database into a
 * fresh store.
 */
#ifndef ITG_STORE_SALVAGE_H
#define ITG_STORE_SALVAGE_H

#include <stddef.h>

#include "store.h"

struct sqlite3;

/*
 * Copy into DB (a fresh store at the current schema) the rows that can be
 * read of the damaged database FROM, table by table in the order DB's
 * schema made them (a table before those that refer to it), the columns the
 * two have in common. A table is read forward in rowid order until a row
 * cannot be read, then backward from its end down to that point, so that
 * only the rows between are lost; a row DB refuses (its parent row was lost)
 * is dropped and counted. One transaction: all or nothing.
 *
 * Fills R's counts, lost and outbox members (not reason or moved_to).
 * Returns XDR_OK, also when nothing could be read (R says so), XDR_ENOMEM,
 * or XDR_ERROR when DB could not be written (*code is SQLite's extended
 * code, err says why): the caller gives the fresh store up.
 */
int itg_store_salvage(struct sqlite3 *db, const char *from,
                      struct itg_store_rebuilt *r, int *code, char *err,
                      size_t errsize);

#endif /* ITG_STORE_SALVAGE_H */
