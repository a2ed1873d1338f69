/*
 * automap_cache.h - writing the rows of the configurations cache
 * (automap_configs, automap_sync.h): one at a time inside a caller's
 * transaction, or a full read's as its pages come in.
 *
 * A full read of a large account brings some hundred thousand rows. Written
 * once the read is complete, they would hold the run up for as long as
 * writing them takes; written page by page while the next pages are still
 * on their way, they cost the run nothing, and the final save only removes
 * what the read did not see and moves the mark. Each page is its own short
 * transaction, so the report hook never waits long for the store.
 *
 * The rows a full read wrote before it failed stay, copies of the same
 * account's configurations as the read saw them; the mark does not move,
 * and automap_sync.h says how the next run reads them again.
 */
#ifndef ITG_AUTOMAP_CACHE_H
#define ITG_AUTOMAP_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mapper.h"

struct itg_store;
struct sqlite3;
struct sqlite3_stmt;

/* Statements on the instance's rows, prepared on DB. */
struct itg_cache_writer {
	struct sqlite3 *db;
	struct sqlite3_stmt *put, *drop;
	int64_t instance;
	size_t written; /* rows inserted, changed or removed */
};

/* Prepare W on DB (held by the caller) for INSTANCE's rows. Returns an
 * SQLite status; close W in every case. */
int itg_cache_writer_open(struct itg_cache_writer *w, struct sqlite3 *db,
                          int64_t instance);
void itg_cache_writer_close(struct itg_cache_writer *w);

/* Insert or update the row of C (an unchanged row is not rewritten);
 * remove the row of ID. Each returns an SQLite status. */
int itg_cache_put(struct itg_cache_writer *w, const struct itg_map_config *c);
int itg_cache_drop(struct itg_cache_writer *w, const char *id);

/*
 * Rows written on a thread of their own as a read gives them, each batch in
 * a transaction of its own. The rows given must stay valid (the strings
 * they point to) until itg_cache_stream_end() returns.
 */
struct itg_cache_stream;

/* Start writing INSTANCE's rows into STORE. NULL when there is no memory
 * or no thread: the caller then writes the rows itself, at the end. */
struct itg_cache_stream *itg_cache_stream_start(struct itg_store *store,
                                                int64_t instance);

/* Queue a copy of the N rows of CONFIGS. Returns 0, or XDR_ENOMEM (the
 * stream is then failed: the caller writes the rows itself). */
int itg_cache_stream_give(struct itg_cache_stream *s,
                          const struct itg_map_config *configs, size_t n);

/* Write what is queued (nothing when DISCARD), stop the thread, and free S.
 * Returns true when every row given was written; *WRITTEN (may be NULL)
 * counts the rows inserted or changed. A NULL S returns false. */
bool itg_cache_stream_end(struct itg_cache_stream *s, bool discard,
                          size_t *written);

#endif
