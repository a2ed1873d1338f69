/*
 * automap_cache.c - writing the rows of the configurations cache, at once
 * or as a full read comes in (automap_cache.h).
 */
#include <config.h>

#include "automap_cache.h"

#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "store.h"

int itg_cache_writer_open(struct itg_cache_writer *w, sqlite3 *db,
                          int64_t instance)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->db = db;
	w->instance = instance;
	/* An unchanged row is not rewritten. */
	rc = sqlite3_prepare_v2(
	        w->db,
	        "INSERT INTO automap_configs (instance_id, id,"
	        " organization_id, name, archived, macs)"
	        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	        " ON CONFLICT (instance_id, id) DO UPDATE SET"
	        " organization_id = excluded.organization_id,"
	        " name = excluded.name, archived = excluded.archived,"
	        " macs = excluded.macs"
	        " WHERE organization_id IS NOT excluded.organization_id"
	        " OR name IS NOT excluded.name"
	        " OR archived IS NOT excluded.archived"
	        " OR macs IS NOT excluded.macs",
	        -1, &w->put, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(w->db,
		                        "DELETE FROM automap_configs"
		                        " WHERE instance_id = ?1 AND id = ?2",
		                        -1, &w->drop, NULL);
	return rc;
}

void itg_cache_writer_close(struct itg_cache_writer *w)
{
	sqlite3_finalize(w->put);
	sqlite3_finalize(w->drop);
	w->put = w->drop = NULL;
}

static int step(struct itg_cache_writer *w, sqlite3_stmt *st, int rc)
{
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		w->written += (size_t)sqlite3_changes(w->db);
		rc = SQLITE_OK;
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int itg_cache_put(struct itg_cache_writer *w, const struct itg_map_config *c)
{
	struct json_object *macs = json_object_new_array();
	int rc = macs != NULL ? SQLITE_OK : SQLITE_NOMEM;

	for (size_t i = 0; rc == SQLITE_OK && i < c->n_macs; i++) {
		if (c->macs[i] != NULL &&
		    json_object_array_add(macs,
		                          json_object_new_string(c->macs[i])))
			rc = SQLITE_NOMEM;
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(w->put, 1, w->instance);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(w->put, 2, c->id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(
		        w->put, 3, c->organization_id ? c->organization_id : "",
		        -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(w->put, 4, c->name, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(w->put, 5, c->archived);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(
		        w->put, 6,
		        json_object_to_json_string_ext(
		                macs, JSON_C_TO_STRING_PLAIN |
		                              JSON_C_TO_STRING_NOSLASHESCAPE),
		        -1, SQLITE_TRANSIENT);
	rc = step(w, w->put, rc);
	json_object_put(macs);
	return rc;
}

int itg_cache_drop(struct itg_cache_writer *w, const char *id)
{
	int rc = sqlite3_bind_int64(w->drop, 1, w->instance);

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(w->drop, 2, id, -1, SQLITE_STATIC);
	return step(w, w->drop, rc);
}

/* ---- rows written as they come ---- */

/* Rows given at once: shallow copies, their strings the reader's. */
struct batch {
	struct batch *next;
	size_t n;
	struct itg_map_config rows[];
};

struct itg_cache_stream {
	struct itg_store *store;
	int64_t instance;
	os_mutex lock;
	os_cond cond; /* a batch came, or the end */
	struct batch *first, *last;
	bool ending, discard;
	bool failed;    /* a batch was not written */
	size_t written; /* by the thread; read once it is joined */
	os_thread thread;
};

/* One batch in a transaction of its own. */
static bool write_batch(struct itg_cache_stream *s, const struct batch *b)
{
	struct itg_cache_writer w;
	char err[256];
	int rc;

	if (itg_store_begin(s->store, err, sizeof(err)) != 0)
		return false;
	rc = itg_cache_writer_open(&w, itg_store_acquire(s->store),
	                           s->instance);
	for (size_t i = 0; rc == SQLITE_OK && i < b->n; i++)
		rc = itg_cache_put(&w, &b->rows[i]);
	itg_cache_writer_close(&w);
	itg_store_release(s->store);
	if (rc != SQLITE_OK) {
		itg_store_rollback(s->store);
		return false;
	}
	if (itg_store_commit(s->store, err, sizeof(err)) != 0)
		return false;
	s->written += w.written;
	return true;
}

static void *stream_main(void *arg)
{
	struct itg_cache_stream *s = arg;

	os_mutex_lock(&s->lock);
	for (;;) {
		struct batch *b;
		bool write, ok = true;

		while (s->first == NULL && !s->ending)
			os_cond_wait(&s->cond, &s->lock);
		b = s->first;
		if (b == NULL)
			break;
		s->first = b->next;
		if (s->first == NULL)
			s->last = NULL;
		/* After a failure the caller writes every row itself. */
		write = !s->failed && !s->discard;
		os_mutex_unlock(&s->lock);
		if (write)
			ok = write_batch(s, b);
		free(b);
		os_mutex_lock(&s->lock);
		if (!ok)
			s->failed = true;
	}
	os_mutex_unlock(&s->lock);
	return NULL;
}

struct itg_cache_stream *itg_cache_stream_start(struct itg_store *store,
                                                int64_t instance)
{
	struct itg_cache_stream *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->store = store;
	s->instance = instance;
	if (os_mutex_init(&s->lock) != 0) {
		free(s);
		return NULL;
	}
	if (os_cond_init(&s->cond) != 0) {
		os_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	if (os_thread_start(&s->thread, stream_main, s) != 0) {
		os_cond_destroy(&s->cond);
		os_mutex_destroy(&s->lock);
		free(s);
		return NULL;
	}
	return s;
}

int itg_cache_stream_give(struct itg_cache_stream *s,
                          const struct itg_map_config *configs, size_t n)
{
	struct batch *b;

	if (n == 0)
		return 0;
	b = n <= (SIZE_MAX - sizeof(*b)) / sizeof(b->rows[0])
	            ? malloc(sizeof(*b) + n * sizeof(b->rows[0]))
	            : NULL;
	os_mutex_lock(&s->lock);
	if (b == NULL) {
		s->failed = true;
		os_mutex_unlock(&s->lock);
		return XDR_ENOMEM;
	}
	b->next = NULL;
	b->n = n;
	memcpy(b->rows, configs, n * sizeof(b->rows[0]));
	if (s->last != NULL)
		s->last->next = b;
	else
		s->first = b;
	s->last = b;
	os_cond_signal(&s->cond);
	os_mutex_unlock(&s->lock);
	return 0;
}

bool itg_cache_stream_end(struct itg_cache_stream *s, bool discard,
                          size_t *written)
{
	bool ok;

	if (written != NULL)
		*written = 0;
	if (s == NULL)
		return false;
	os_mutex_lock(&s->lock);
	s->ending = true;
	s->discard = discard;
	os_cond_signal(&s->cond);
	os_mutex_unlock(&s->lock);
	os_thread_join(s->thread);
	ok = !s->failed && !discard;
	if (written != NULL)
		*written = s->written;
	os_cond_destroy(&s->cond);
	os_mutex_destroy(&s->lock);
	free(s);
	return ok;
}
