/*
 * jobs.c - long work an administrator started: the jobs table and the glue
 * between a task and the worker thread.
 */
#include <config.h>

#include "jobs.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json.h>
#include <sqlite3.h>

#include "compat/os.h"
#include "admin.h"
#include "errbuf.h"
#include "json_util.h"
#include "log.h"
#include "store.h"

struct job_arg {
	struct itg_plugin *p;
	int64_t id;
	char kind[ITG_JOB_KIND_MAX];
	itg_task_fn task;
	struct json_object *params;
};

static int64_t now(void)
{
	return (int64_t)time(NULL);
}

/*
 * Run SQL on the jobs table: ?1 is the job id, ?2 a time, ?3 a text (the
 * result), ?4 and ?5 the progress; a statement binds only what it names.
 * Returns 0 or XDR_ERROR.
 */
static int exec_job_sql(struct itg_store *store, const char *sql, int64_t id,
                        int64_t at, const char *text, int64_t done,
                        int64_t total)
{
	sqlite3 *db = itg_store_acquire(store);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int n = rc == SQLITE_OK ? sqlite3_bind_parameter_count(st) : 0;

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, id);
	if (rc == SQLITE_OK && n >= 2)
		rc = sqlite3_bind_int64(st, 2, at);
	if (rc == SQLITE_OK && n >= 3)
		rc = sqlite3_bind_text(st, 3, text, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK && n >= 4)
		rc = sqlite3_bind_int64(st, 4, done);
	if (rc == SQLITE_OK && n >= 5)
		rc = sqlite3_bind_int64(st, 5, total);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	itg_store_release(store);
	return rc == SQLITE_DONE ? 0 : XDR_ERROR;
}

/* The statement that ends a job in STATE, with ?1..?5 of exec_job_sql. */
static const char *end_sql(const char *state)
{
	if (strcmp(state, "done") == 0)
		return "UPDATE jobs SET state = 'done', finished_at = ?2,"
		       " result = ?3, done = ?4, total = ?5 WHERE id = ?1";
	if (strcmp(state, "failed") == 0)
		return "UPDATE jobs SET state = 'failed', finished_at = ?2,"
		       " result = ?3, done = ?4, total = ?5 WHERE id = ?1";
	return "UPDATE jobs SET state = 'cancelled', finished_at = ?2,"
	       " result = ?3, done = ?4, total = ?5 WHERE id = ?1";
}

static void run_job(struct itg_job_ctx *ctx, void *varg)
{
	struct job_arg *arg = varg;
	struct itg_plugin *p = arg->p;
	struct itg_worker_status ws;
	struct json_object *result = NULL;
	const char *state;
	char *text;
	int rc;

	exec_job_sql(p->store,
	             "UPDATE jobs SET state = 'running', started_at = ?2"
	             " WHERE id = ?1",
	             arg->id, now(), NULL, 0, 0);
	rc = arg->task(p, ctx, arg->params, &result);
	state = itg_job_should_stop(ctx) ? "cancelled"
	        : rc == 0                ? "done"
	                                 : "failed";
	/* The worker still holds this job's last progress report. */
	itg_worker_status(p->worker, &ws);
	text = result != NULL ? itg_json_to_string(result) : NULL;
	if (exec_job_sql(p->store, end_sql(state), arg->id, now(), text,
	                 (int64_t)ws.done, (int64_t)ws.total) != 0)
		itg_log(p, XDR_LOG_ERROR,
		        "job %lld (%s): cannot record its end",
		        (long long)arg->id, arg->kind);
	itg_log(p, rc == 0 ? XDR_LOG_INFO : XDR_LOG_WARNING, "job %lld (%s) %s",
	        (long long)arg->id, arg->kind, state);
	free(text);
	json_object_put(result);
}

static void free_job(void *varg)
{
	struct job_arg *arg = varg;

	json_object_put(arg->params);
	free(arg);
}

int itg_jobs_start(struct itg_plugin *p, const char *kind, itg_task_fn task,
                   struct json_object *params, int64_t *id, char *err,
                   size_t errsize)
{
	struct job_arg *arg = calloc(1, sizeof(*arg));
	struct itg_job job;
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	int64_t seq;
	int rc;

	if (arg == NULL) {
		json_object_put(params);
		itg_errf(err, errsize, "out of memory");
		return XDR_ENOMEM;
	}
	arg->p = p;
	arg->task = task;
	arg->params = params;
	snprintf(arg->kind, sizeof(arg->kind), "%s", kind);

	db = itg_store_acquire(p->store);
	rc = sqlite3_prepare_v2(db,
	                        "INSERT INTO jobs (kind, state, created_at)"
	                        " VALUES (?1, 'queued', ?2)",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, now());
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		arg->id = sqlite3_last_insert_rowid(db);
	else
		itg_errf(err, errsize, "cannot record the job: %s",
		         sqlite3_errmsg(db));
	sqlite3_finalize(st);
	itg_store_release(p->store);
	if (rc != SQLITE_DONE) {
		free_job(arg);
		return XDR_ERROR;
	}

	job.kind = arg->kind;
	job.run = run_job;
	job.arg = arg;
	job.free_arg = free_job;
	seq = itg_worker_submit(p->worker, &job);
	if (seq < 0) {
		exec_job_sql(p->store,
		             "UPDATE jobs SET state = 'cancelled',"
		             " finished_at = ?2 WHERE id = ?1",
		             arg->id, now(), NULL, 0, 0);
		itg_errf(err, errsize, "the worker refused the job (%d)",
		         (int)seq);
		free_job(arg);
		return (int)seq;
	}
	*id = arg->id;
	return XDR_OK;
}

int itg_jobs_start_answer(struct itg_plugin *p, const char *kind,
                          itg_task_fn task, struct json_object *params,
                          struct json_object **response)
{
	char err[256];
	int64_t job = 0;
	int rc = itg_jobs_start(p, kind, task, params, &job, err, sizeof(err));

	if (rc != XDR_OK) {
		*response =
		        itg_admin_error(rc == XDR_ENOMEM ? ITG_ADMIN_NO_MEMORY
		                                         : ITG_ADMIN_INTERNAL,
		                        "%s", err);
		return rc;
	}
	*response = json_object_new_object();
	if (itg_json_add(*response, "job", json_object_new_int64(job)) != 0 ||
	    itg_json_add(*response, "state",
	                 json_object_new_string("queued")) != 0) {
		json_object_put(*response);
		*response =
		        itg_admin_error(ITG_ADMIN_NO_MEMORY, "out of memory");
		return XDR_ENOMEM;
	}
	return XDR_OK;
}

int itg_jobs_recover(struct itg_store *store, int64_t at, char *err,
                     size_t errsize)
{
	if (exec_job_sql(store,
	                 "UPDATE jobs SET state = 'cancelled',"
	                 " finished_at = ?2, result = ?3"
	                 " WHERE state IN ('queued', 'running') AND ?1 = ?1",
	                 0, at,
	                 "{\"detail\":\"the host stopped before the job "
	                 "finished\"}",
	                 0, 0) != 0) {
		itg_errf(err, errsize, "cannot mark interrupted jobs");
		return XDR_ERROR;
	}
	return XDR_OK;
}

static struct json_object *time_or_null(sqlite3_stmt *st, int col)
{
	char text[32];
	time_t t;
	struct tm tm;

	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return NULL;
	t = (time_t)sqlite3_column_int64(st, col);
	/* A time no calendar of this platform holds is no time. */
	if (os_gmtime(t, &tm) == NULL)
		return NULL;
	strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_object_new_string(text);
}

static int add_or_null(struct json_object *o, const char *key,
                       struct json_object *v)
{
	if (v == NULL)
		return json_object_object_add(o, key, NULL);
	return itg_json_add(o, key, v);
}

static struct json_object *describe_row(struct itg_plugin *p, sqlite3_stmt *st)
{
	struct json_object *o = json_object_new_object();
	struct json_object *progress = json_object_new_object();
	const char *state = (const char *)sqlite3_column_text(st, 2);
	const char *result = (const char *)sqlite3_column_text(st, 3);
	int64_t done = sqlite3_column_int64(st, 4);
	int64_t total = sqlite3_column_int64(st, 5);
	struct json_object *parsed = NULL;

	if (state != NULL && strcmp(state, "running") == 0) {
		struct itg_worker_status ws;

		/* One job runs at a time: the worker's progress is this one's.
		 */
		itg_worker_status(p->worker, &ws);
		done = (int64_t)ws.done;
		total = (int64_t)ws.total;
	}
	if (result != NULL)
		parsed = json_tokener_parse(result);
	if (itg_json_add(progress, "done", json_object_new_int64(done)) != 0 ||
	    itg_json_add(progress, "total", json_object_new_int64(total)) !=
	            0) {
		json_object_put(progress);
		progress = NULL;
	}
	if (itg_json_add(o, "id",
	                 json_object_new_int64(sqlite3_column_int64(st, 0))) !=
	            0 ||
	    itg_json_add(o, "kind",
	                 json_object_new_string(
	                         (const char *)sqlite3_column_text(st, 1))) !=
	            0 ||
	    itg_json_add(o, "state",
	                 json_object_new_string(state ? state : "")) != 0) {
		/* progress and parsed are not in O yet. */
		json_object_put(progress);
		json_object_put(parsed);
		json_object_put(o);
		return NULL;
	}
	if (itg_json_add(o, "progress", progress) != 0) {
		json_object_put(parsed);
		json_object_put(o);
		return NULL;
	}
	if (add_or_null(o, "result", parsed) != 0 ||
	    add_or_null(o, "created_at", time_or_null(st, 6)) != 0 ||
	    add_or_null(o, "started_at", time_or_null(st, 7)) != 0 ||
	    add_or_null(o, "finished_at", time_or_null(st, 8)) != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int itg_jobs_describe(struct itg_plugin *p, int64_t id,
                      struct json_object **out, char *err, size_t errsize)
{
	sqlite3 *db = itg_store_acquire(p->store);
	sqlite3_stmt *st = NULL;
	int rc;

	*out = NULL;
	rc = sqlite3_prepare_v2(db,
	                        "SELECT id, kind, state, result, done, total,"
	                        " created_at, started_at, finished_at"
	                        " FROM jobs WHERE id = ?1",
	                        -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = describe_row(p, st);
		rc = *out != NULL ? XDR_OK : XDR_ENOMEM;
		if (rc != XDR_OK)
			itg_errf(err, errsize, "out of memory");
	} else if (rc == SQLITE_DONE) {
		itg_errf(err, errsize, "no job %lld", (long long)id);
		rc = XDR_ENOTFOUND;
	} else {
		itg_errf(err, errsize, "cannot read job %lld: %s",
		         (long long)id, sqlite3_errmsg(db));
		rc = XDR_ERROR;
	}
	sqlite3_finalize(st);
	itg_store_release(p->store);
	return rc;
}
