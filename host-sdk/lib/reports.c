/*
 * reports.c - report configurations and generated reports. A generated
 * report owns a copy of its HTML file under HOME/reports/<id>/, so that it
 * outlives the file it was generated from.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat/os.h"
#include "internal.h"

/* ---- configurations ---------------------------------------------------- */

int xdr_report_config_add(struct xdr_db *db, const char *name,
                          const char *group, bool publish_itglue, int64_t *id,
                          struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	char *n = NULL, *g = NULL;
	sqlite3_stmt *st = NULL;
	int64_t group_id;
	int rc = xdr_text_check("report configuration name", name,
	                        XDR_NAME_MAX_CHARS, &n, err);

	if (rc == XDR_OK)
		rc = xdr_text_check("group name", group, XDR_NAME_MAX_CHARS, &g,
		                    err);
	if (rc != XDR_OK) {
		free(n);
		return rc;
	}
	xdr_db_lock(db);
	rc = xdr_db_begin(db, err);
	if (rc == XDR_OK)
		rc = xdr_group_id_locked(db, g, &group_id, err);
	if (rc == XDR_OK)
		rc = xdr_db_prepare(
		        db, "SELECT 1 FROM report_configs WHERE name = ?1", &st,
		        err);
	if (rc == XDR_OK) {
		sqlite3_bind_text(st, 1, n, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = xdr_errf(err, XDR_EINVAL,
			              "report configuration %s already exists",
			              xdr_quote(n, q, sizeof(q)));
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == XDR_OK)
		rc = xdr_db_prepare(db,
		                    "INSERT INTO report_configs"
		                    " (name, group_id, publish_itglue)"
		                    " VALUES (?1, ?2, ?3)",
		                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_text(st, 1, n, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, group_id);
		sqlite3_bind_int(st, 3, publish_itglue ? 1 : 0);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "storing a report configuration",
			                 err);
		else if (id != NULL)
			*id = sqlite3_last_insert_rowid(xdr_db_handle(db));
		sqlite3_finalize(st);
	}
	if (rc == XDR_OK)
		rc = xdr_db_commit(db, err);
	else
		xdr_db_rollback(db);
	xdr_db_unlock(db);
	free(n);
	free(g);
	return rc;
}

int xdr_report_config_list(struct xdr_db *db,
                           struct xdr_report_config_list *out,
                           struct xdr_err *err)
{
	struct xdr_report_config_list list = {NULL, 0};
	size_t cap = 0;
	sqlite3_stmt *st;
	int rc, step = SQLITE_DONE;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "SELECT c.id, c.name, c.group_id, g.name,"
	                    " c.publish_itglue FROM report_configs c"
	                    " JOIN groups g ON g.id = c.group_id ORDER BY c.id",
	                    &st, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xdr_report_config_rec *c;

		rc = xdr_array_grow(&list.items, &cap, list.n, sizeof(*c));
		if (rc != XDR_OK)
			break;
		c = &list.items[list.n++];
		c->id = sqlite3_column_int64(st, 0);
		c->group_id = sqlite3_column_int64(st, 2);
		c->publish_itglue = sqlite3_column_int(st, 4) != 0;
		rc = xdr_db_column_text(st, 1, &c->name);
		if (rc == XDR_OK)
			rc = xdr_db_column_text(st, 3, &c->group);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing report configurations", err);
	sqlite3_finalize(st);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_report_config_list_free(&list);
		return rc == XDR_ENOMEM ? xdr_errf(err, rc, "out of memory")
		                        : rc;
	}
	*out = list;
	return XDR_OK;
}

int xdr_report_config_set_publish(struct xdr_db *db, int64_t id, bool publish,
                                  struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc;

	xdr_db_lock(db);
	rc = xdr_db_prepare(db,
	                    "UPDATE report_configs SET publish_itglue = ?1"
	                    " WHERE id = ?2",
	                    &st, err);
	if (rc == XDR_OK) {
		sqlite3_bind_int(st, 1, publish ? 1 : 0);
		sqlite3_bind_int64(st, 2, id);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "updating a report configuration",
			                 err);
		else if (sqlite3_changes(xdr_db_handle(db)) == 0)
			rc = xdr_errf(err, XDR_ENOTFOUND,
			              "no report configuration with id %lld",
			              (long long)id);
		sqlite3_finalize(st);
	}
	xdr_db_unlock(db);
	return rc;
}

void xdr_report_config_list_free(struct xdr_report_config_list *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].name);
		free(list->items[i].group);
	}
	free(list->items);
	list->items = NULL;
	list->n = 0;
}

/* ---- generating a report ----------------------------------------------- */

/* Validated copies of what the user gave. */
struct report_input {
	char *config; /* exactly one of config and group */
	char *group;
	char *title;
	char *type;
	char **systems;
	size_t n_systems;
	int64_t generated_at;
};

/* What a report is about, resolved inside the transaction. */
struct target {
	int64_t config_id; /* 0 if ad hoc */
	int64_t group_id;
	char *group;
	bool publish_itglue;
	int64_t *system_ids;
};

static int resolve_config(struct xdr_db *db, const char *name, struct target *t,
                          struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db,
	                        "SELECT c.id, c.group_id, c.publish_itglue,"
	                        " g.name FROM report_configs c"
	                        " JOIN groups g ON g.id = c.group_id"
	                        " WHERE c.name = ?1",
	                        &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	switch (sqlite3_step(st)) {
	case SQLITE_ROW:
		t->config_id = sqlite3_column_int64(st, 0);
		t->group_id = sqlite3_column_int64(st, 1);
		t->publish_itglue = sqlite3_column_int(st, 2) != 0;
		if (xdr_db_column_text(st, 3, &t->group) != XDR_OK)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
		break;
	case SQLITE_DONE:
		rc = xdr_errf(err, XDR_ENOTFOUND, "no report configuration %s",
		              xdr_quote(name, q, sizeof(q)));
		break;
	default:
		rc = xdr_db_fail(db, "looking up a report configuration", err);
	}
	sqlite3_finalize(st);
	return rc;
}

static int resolve_systems(struct xdr_db *db, char *const *names, size_t n,
                           struct target *t, struct xdr_err *err)
{
	char q1[XDR_QUOTE_MAX], q2[XDR_QUOTE_MAX];
	sqlite3_stmt *st;
	int rc;

	if (n == 0)
		return XDR_OK;
	t->system_ids = calloc(n, sizeof(*t->system_ids));
	if (t->system_ids == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	rc = xdr_db_prepare(db,
	                    "SELECT id, group_id FROM systems WHERE name = ?1",
	                    &st, err);
	for (size_t i = 0; i < n && rc == XDR_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, names[i], -1, SQLITE_STATIC);
		switch (sqlite3_step(st)) {
		case SQLITE_ROW:
			t->system_ids[i] = sqlite3_column_int64(st, 0);
			if (sqlite3_column_int64(st, 1) != t->group_id)
				rc = xdr_errf(
				        err, XDR_EINVAL,
				        "system %s is not in group %s",
				        xdr_quote(names[i], q1, sizeof(q1)),
				        xdr_quote(t->group, q2, sizeof(q2)));
			break;
		case SQLITE_DONE:
			rc = xdr_errf(err, XDR_ENOTFOUND, "no system %s",
			              xdr_quote(names[i], q1, sizeof(q1)));
			break;
		default:
			rc = xdr_db_fail(db, "looking up a system", err);
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static int resolve(struct xdr_db *db, const struct report_input *in,
                   struct target *t, struct xdr_err *err)
{
	int rc;

	if (in->config != NULL) {
		rc = resolve_config(db, in->config, t, err);
	} else {
		rc = xdr_group_id_locked(db, in->group, &t->group_id, err);
		if (rc == XDR_OK) {
			t->group = strdup(in->group);
			if (t->group == NULL)
				rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
		}
	}
	if (rc == XDR_OK)
		rc = resolve_systems(db, in->systems, in->n_systems, t, err);
	return rc;
}

static int insert_report(struct xdr_db *db, const struct target *t,
                         const char *title, const char *type,
                         const char *file_name, int64_t generated_at,
                         int64_t *id, struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db,
	                        "INSERT INTO reports (title, type, config_id,"
	                        " group_id, publish_itglue, generated_at,"
	                        " file_path, file_name, size)"
	                        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, '', ?7, 0)",
	                        &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_text(st, 1, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
	if (t->config_id != 0)
		sqlite3_bind_int64(st, 3, t->config_id);
	else
		sqlite3_bind_null(st, 3);
	sqlite3_bind_int64(st, 4, t->group_id);
	sqlite3_bind_int(st, 5, t->publish_itglue ? 1 : 0);
	sqlite3_bind_int64(st, 6, generated_at);
	sqlite3_bind_text(st, 7, file_name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "storing a report", err);
	else
		*id = sqlite3_last_insert_rowid(xdr_db_handle(db));
	sqlite3_finalize(st);
	return rc;
}

static int finish_report(struct xdr_db *db, int64_t id, const char *path,
                         uint64_t size, const struct target *t, size_t n,
                         struct xdr_err *err)
{
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(db,
	                        "UPDATE reports SET file_path = ?2, size = ?3"
	                        " WHERE id = ?1",
	                        &st, err);

	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)size);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = xdr_db_fail(db, "storing a report", err);
	sqlite3_finalize(st);
	if (rc != XDR_OK || n == 0)
		return rc;
	rc = xdr_db_prepare(db,
	                    "INSERT INTO report_systems"
	                    " (report_id, position, system_id)"
	                    " VALUES (?1, ?2, ?3)",
	                    &st, err);
	for (size_t i = 0; i < n && rc == XDR_OK; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		sqlite3_bind_int64(st, 3, t->system_ids[i]);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = xdr_db_fail(db, "storing a report's systems", err);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * Inside the transaction: the row first (for its id), then the copy, then
 * the row completed. The commit comes last, so a report row never exists
 * without its file; a directory left by a crash before the commit belongs
 * to no row and is replaced when its id is handed out again.
 */
static int store(struct xdr_db *db, const char *home,
                 const struct report_input *in, int src, const char *file_name,
                 int64_t *id, struct xdr_err *err)
{
	struct target t = {0, 0, NULL, false, NULL};
	char sub[64], *dir = NULL, *path = NULL;
	uint64_t size = 0;
	int64_t new_id = 0;
	int rc = resolve(db, in, &t, err);

	if (rc == XDR_OK)
		rc = insert_report(db, &t, in->title, in->type, file_name,
		                   in->generated_at, &new_id, err);
	if (rc == XDR_OK) {
		snprintf(sub, sizeof(sub), "reports/%" PRId64, new_id);
		dir = xdr_path_join(home, sub);
		path = dir ? xdr_path_join(dir, file_name) : NULL;
		if (path == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	if (rc == XDR_OK)
		rc = xdr_rmtree(dir, err);
	if (rc == XDR_OK && os_mkdir_private(dir) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot create '%s': %s", dir,
		              strerror(errno));
	if (rc == XDR_OK)
		rc = xdr_copy_fd(src, path, &size, err);
	if (rc == XDR_OK)
		rc = finish_report(db, new_id, path, size, &t, in->n_systems,
		                   err);
	if (rc == XDR_OK)
		rc = xdr_db_commit(db, err);
	else
		xdr_db_rollback(db);
	if (rc != XDR_OK && dir != NULL && new_id != 0)
		xdr_rmtree(dir, NULL);
	if (rc == XDR_OK && id != NULL)
		*id = new_id;
	free(t.group);
	free(t.system_ids);
	free(dir);
	free(path);
	return rc;
}

static void input_free(struct report_input *r)
{
	free(r->config);
	free(r->group);
	free(r->title);
	free(r->type);
	for (size_t i = 0; i < r->n_systems; i++)
		free(r->systems[i]);
	free(r->systems);
}

static int check_input(const struct xdr_report_spec *in, struct report_input *r,
                       struct xdr_err *err)
{
	char q[XDR_QUOTE_MAX];
	int rc;

	if ((in->config == NULL) == (in->group == NULL))
		return xdr_errf(err, XDR_EINVAL,
		                "a report needs either a configuration or a "
		                "group");
	if (in->file == NULL || *in->file == '\0')
		return xdr_errf(err, XDR_EINVAL, "a report needs its file");
	r->generated_at = in->generated_at;
	if (in->config != NULL)
		rc = xdr_text_check("report configuration name", in->config,
		                    XDR_NAME_MAX_CHARS, &r->config, err);
	else
		rc = xdr_text_check("group name", in->group, XDR_NAME_MAX_CHARS,
		                    &r->group, err);
	if (rc == XDR_OK)
		rc = xdr_text_check("report title", in->title,
		                    XDR_TITLE_MAX_CHARS, &r->title, err);
	if (rc == XDR_OK)
		rc = xdr_text_check("report type",
		                    in->type ? in->type
		                             : XDR_REPORT_DEFAULT_TYPE,
		                    XDR_NAME_MAX_CHARS, &r->type, err);
	if (rc == XDR_OK && in->n_systems > 0) {
		r->systems = calloc(in->n_systems, sizeof(*r->systems));
		if (r->systems == NULL)
			rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; rc == XDR_OK && i < in->n_systems; i++) {
		rc = xdr_text_check("system name", in->systems[i],
		                    XDR_NAME_MAX_CHARS, &r->systems[i], err);
		if (rc != XDR_OK)
			break;
		r->n_systems++;
		for (size_t j = 0; j < i; j++)
			if (strcmp(r->systems[i], r->systems[j]) == 0)
				rc = xdr_errf(
				        err, XDR_EINVAL,
				        "system %s given twice",
				        xdr_quote(r->systems[i], q, sizeof(q)));
	}
	return rc;
}

static const char *base_name(const char *path)
{
	const char *name = path;

	for (const char *p = path; *p != '\0'; p++) {
		if (strchr(OS_DIR_SEPARATORS, *p) != NULL)
			name = p + 1;
	}
	return name;
}

/* Open the report file, refusing anything but a readable regular file. */
static int open_source(const char *file, int *fd, struct xdr_err *err)
{
	struct stat st;
	int f = open(file, O_RDONLY | O_CLOEXEC | O_BINARY);

	if (f < 0) {
		int saved = errno;

		/* Windows opens no directory: refuse it as below. */
		if (stat(file, &st) == 0 && !S_ISREG(st.st_mode))
			return xdr_errf(
			        err, XDR_EINVAL,
			        "report file '%s' is not a regular file", file);
		return xdr_errf(err,
		                saved == ENOENT ? XDR_ENOTFOUND : XDR_ERROR,
		                "cannot read report file '%s': %s", file,
		                strerror(saved));
	}
	if (fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(f);
		return xdr_errf(err, XDR_EINVAL,
		                "report file '%s' is not a regular file", file);
	}
	*fd = f;
	return XDR_OK;
}

int xdr_report_generate(struct xdr_db *db, const char *home,
                        const struct xdr_report_spec *in, int64_t *id,
                        struct xdr_err *err)
{
	struct report_input r;
	int rc, src = -1;

	memset(&r, 0, sizeof(r));
	rc = check_input(in, &r, err);
	if (rc == XDR_OK)
		rc = open_source(in->file, &src, err);
	if (rc == XDR_OK) {
		xdr_db_lock(db);
		rc = xdr_db_begin(db, err);
		if (rc == XDR_OK)
			rc = store(db, home, &r, src, base_name(in->file), id,
			           err);
		xdr_db_unlock(db);
		close(src);
	}
	input_free(&r);
	return rc;
}

/* ---- reading reports --------------------------------------------------- */

static int read_systems(struct xdr_db *db, sqlite3_stmt *st,
                        struct xdr_report_rec *r, struct xdr_err *err)
{
	size_t cap_ids = 0, cap_names = 0;
	int step;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, r->id);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (xdr_array_grow(&r->system_ids, &cap_ids, r->n_systems,
		                   sizeof(*r->system_ids)) != XDR_OK ||
		    xdr_array_grow(&r->systems, &cap_names, r->n_systems,
		                   sizeof(*r->systems)) != XDR_OK ||
		    xdr_db_column_text(st, 1, &r->systems[r->n_systems]) !=
		            XDR_OK)
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		r->system_ids[r->n_systems++] = sqlite3_column_int64(st, 0);
	}
	if (step != SQLITE_DONE)
		return xdr_db_fail(db, "listing a report's systems", err);
	return XDR_OK;
}

static int read_row(sqlite3_stmt *st, struct xdr_report_rec *r)
{
	r->id = sqlite3_column_int64(st, 0);
	r->group_id = sqlite3_column_int64(st, 4);
	r->publish_itglue = sqlite3_column_int(st, 6) != 0;
	r->generated_at = sqlite3_column_int64(st, 7);
	r->size = (uint64_t)sqlite3_column_int64(st, 10);
	if (xdr_db_column_text(st, 1, &r->title) != XDR_OK ||
	    xdr_db_column_text(st, 2, &r->type) != XDR_OK ||
	    xdr_db_column_text(st, 3, &r->config) != XDR_OK ||
	    xdr_db_column_text(st, 5, &r->group) != XDR_OK ||
	    xdr_db_column_text(st, 8, &r->file_path) != XDR_OK ||
	    xdr_db_column_text(st, 9, &r->file_name) != XDR_OK)
		return XDR_ENOMEM;
	return XDR_OK;
}

#define REPORT_SELECT                                                          \
	"SELECT r.id, r.title, r.type, c.name, r.group_id, g.name,"            \
	" r.publish_itglue, r.generated_at, r.file_path, r.file_name,"         \
	" r.size FROM reports r JOIN groups g ON g.id = r.group_id"            \
	" LEFT JOIN report_configs c ON c.id = r.config_id"

/* The reports st answers (prepared, bound), with their systems, appended
 * to list; st finalized. */
static int read_rows(struct xdr_db *db, sqlite3_stmt *st,
                     struct xdr_report_list *list, struct xdr_err *err)
{
	sqlite3_stmt *sys = NULL;
	size_t cap = list->n;
	int rc, step = SQLITE_DONE;

	rc = xdr_db_prepare(db,
	                    "SELECT s.id, s.name FROM report_systems rs"
	                    " JOIN systems s ON s.id = rs.system_id"
	                    " WHERE rs.report_id = ?1"
	                    " ORDER BY rs.position",
	                    &sys, err);
	while (rc == XDR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct xdr_report_rec *r;

		rc = xdr_array_grow(&list->items, &cap, list->n, sizeof(*r));
		if (rc == XDR_OK) {
			r = &list->items[list->n++];
			rc = read_row(st, r);
		}
		if (rc != XDR_OK) {
			rc = xdr_errf(err, rc, "out of memory");
			break;
		}
		rc = read_systems(db, sys, r, err);
	}
	if (rc == XDR_OK && step != SQLITE_DONE)
		rc = xdr_db_fail(db, "listing reports", err);
	sqlite3_finalize(st);
	sqlite3_finalize(sys);
	return rc;
}

/* Reports with id (0: every report), in id order. */
static int read_locked(struct xdr_db *db, int64_t id,
                       struct xdr_report_list *list, struct xdr_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	/* One report by its primary key, not "?1 = 0 OR r.id = ?1", which
	 * SQLite answers with a scan of every report (a plugin asks for one
	 * report per hook and per publication). */
	rc = xdr_db_prepare(db,
	                    id != 0 ? REPORT_SELECT " WHERE r.id = ?1"
	                            : REPORT_SELECT " ORDER BY r.id",
	                    &st, err);
	if (rc != XDR_OK)
		return rc;
	if (id != 0)
		sqlite3_bind_int64(st, 1, id);
	return read_rows(db, st, list, err);
}

int xdr_report_list(struct xdr_db *db, struct xdr_report_list *out,
                    struct xdr_err *err)
{
	struct xdr_report_list list = {NULL, 0};
	int rc;

	xdr_db_lock(db);
	rc = read_locked(db, 0, &list, err);
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_report_list_free(&list);
		return rc;
	}
	*out = list;
	return XDR_OK;
}

/* What a search looks in: the title, the type, the group and the
 * configuration, ASCII letters in any case (?3). */
#define REPORT_MATCH                                                           \
	" WHERE instr(lower(r.title), lower(?3)) > 0"                          \
	" OR instr(lower(r.type), lower(?3)) > 0"                              \
	" OR instr(lower(g.name), lower(?3)) > 0"                              \
	" OR instr(lower(coalesce(c.name, '')), lower(?3)) > 0"
#define REPORT_FROM                                                            \
	" FROM reports r JOIN groups g ON g.id = r.group_id"                   \
	" LEFT JOIN report_configs c ON c.id = r.config_id"

/* Count, then read the page, inside one read transaction. */
static int page_locked(struct xdr_db *db, const char *q, int64_t offset,
                       int64_t limit, struct xdr_report_list *list,
                       int64_t *total, struct xdr_err *err)
{
	const char *sql = q != NULL ? REPORT_SELECT REPORT_MATCH
	                          " ORDER BY r.id DESC LIMIT ?1 OFFSET ?2"
	                            : REPORT_SELECT
	                          " ORDER BY r.id DESC LIMIT ?1 OFFSET ?2";
	sqlite3_stmt *st;
	int rc = xdr_db_prepare(
	        db,
	        q != NULL ? "SELECT COUNT(*)" REPORT_FROM REPORT_MATCH
	                  : "SELECT COUNT(*) FROM reports",
	        &st, err);

	if (rc == XDR_OK && q != NULL)
		sqlite3_bind_text(st, 3, q, -1, SQLITE_STATIC);
	if (rc == XDR_OK)
		rc = xdr_db_count(db, st, "counting reports", total, err);
	if (rc == XDR_OK)
		rc = xdr_db_prepare(db, sql, &st, err);
	if (rc != XDR_OK)
		return rc;
	sqlite3_bind_int64(st, 1, limit);
	sqlite3_bind_int64(st, 2, offset);
	if (q != NULL)
		sqlite3_bind_text(st, 3, q, -1, SQLITE_STATIC);
	return read_rows(db, st, list, err);
}

int xdr_report_page(struct xdr_db *db, int64_t offset, int64_t limit,
                    struct xdr_report_list *out, int64_t *total,
                    struct xdr_err *err)
{
	return xdr_report_search(db, NULL, offset, limit, out, total, err);
}

int xdr_report_search(struct xdr_db *db, const char *q, int64_t offset,
                      int64_t limit, struct xdr_report_list *out,
                      int64_t *total, struct xdr_err *err)
{
	struct xdr_report_list list = {NULL, 0};
	int64_t n = 0;
	int rc = xdr_page_check(offset, limit, err);

	if (rc != XDR_OK)
		return rc;
	if (q != NULL && q[0] == '\0')
		q = NULL;
	xdr_db_lock(db);
	rc = xdr_db_begin_read(db, err);
	if (rc == XDR_OK) {
		rc = page_locked(db, q, offset, limit, &list, &n, err);
		if (rc == XDR_OK)
			rc = xdr_db_commit(db, err);
		else
			xdr_db_rollback(db);
	}
	xdr_db_unlock(db);
	if (rc != XDR_OK) {
		xdr_report_list_free(&list);
		return rc;
	}
	*out = list;
	*total = n;
	return XDR_OK;
}

int xdr_report_get(struct xdr_db *db, int64_t id, struct xdr_report_rec *out,
                   struct xdr_err *err)
{
	struct xdr_report_list list = {NULL, 0};
	int rc;

	if (id <= 0)
		return xdr_errf(err, XDR_ENOTFOUND, "no report %lld",
		                (long long)id);
	xdr_db_lock(db);
	rc = read_locked(db, id, &list, err);
	xdr_db_unlock(db);
	if (rc == XDR_OK && list.n == 0)
		rc = xdr_errf(err, XDR_ENOTFOUND, "no report %lld",
		              (long long)id);
	if (rc != XDR_OK) {
		xdr_report_list_free(&list);
		return rc;
	}
	*out = list.items[0];
	free(list.items);
	return XDR_OK;
}

void xdr_report_rec_free(struct xdr_report_rec *r)
{
	free(r->title);
	free(r->type);
	free(r->config);
	free(r->group);
	free(r->file_path);
	free(r->file_name);
	free(r->system_ids);
	for (size_t i = 0; i < r->n_systems; i++)
		free(r->systems[i]);
	free(r->systems);
	memset(r, 0, sizeof(*r));
}

void xdr_report_list_free(struct xdr_report_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		xdr_report_rec_free(&list->items[i]);
	free(list->items);
	list->items = NULL;
	list->n = 0;
}
