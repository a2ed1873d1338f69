/*
 * test_host_model.c - the host database on a temporary home: schema and
 * migrations, settings, groups, systems, report configurations, generated
 * reports and the event log.
 */
#include "config.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "compat/os.h"
#include "host_test_home.h"
#include "xdrhost.h"

struct fixture {
	char home[512];
	struct xdr_runtime *rt;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "test_host_model",
	                    &f->rt);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	host_test_home_close(f->home, f->rt);
	free(f);
	return 0;
}

static char *path_in(const struct fixture *f, const char *name)
{
	char *p = xdr_path_join(f->rt->home, name);

	assert_non_null(p);
	return p;
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* An SQL answer of the database file, through a connection of its own. */
static char *sql_text(const char *db_path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	char *out = NULL;

	assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		out = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	assert_non_null(out);
	return out;
}

static void add_group(struct fixture *f, const char *name, const char *email)
{
	assert_int_equal(xdr_group_add(f->rt->db, name, email, NULL, NULL),
	                 XDR_OK);
}

static void add_system(struct fixture *f, const char *name, const char *group,
                       const char *mac)
{
	const char *macs[] = {mac};
	struct xdr_system_spec spec = {name,           group,
	                               XDR_OS_WINDOWS, XDR_SENSOR_AGENT,
	                               "9.3.0",        mac ? macs : NULL,
	                               mac ? 1 : 0};

	assert_int_equal(xdr_system_add(f->rt->db, &spec, NULL, NULL), XDR_OK);
}

/* ---- schema ------------------------------------------------------------ */

static void a_new_database_has_the_latest_schema_in_wal_mode(void **state)
{
	struct fixture *f = *state;
	char *db_path = path_in(f, "xdr.db"), *mode;
	int version = 0;

	assert_int_equal(xdr_db_schema_version(f->rt->db, &version, NULL),
	                 XDR_OK);
	assert_int_equal(version, xdr_db_latest_version());
	mode = sql_text(db_path, "PRAGMA journal_mode");
	assert_string_equal(mode, "wal");
	free(mode);
	free(db_path);
}

static void reopening_keeps_the_data_and_the_schema(void **state)
{
	struct fixture *f = *state;
	struct xdr_group_list list;
	int version = 0;

	add_group(f, "Default", NULL);
	xdr_runtime_close(f->rt);
	assert_int_equal(xdr_runtime_open(&f->rt, f->home, false, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_db_schema_version(f->rt->db, &version, NULL),
	                 XDR_OK);
	assert_int_equal(version, xdr_db_latest_version());
	assert_int_equal(xdr_group_list(f->rt->db, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	xdr_group_list_free(&list);
}

static void a_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	char *path = path_in(f, "future.db"), want[128];
	struct xdr_db *db = NULL;
	struct xdr_err err;
	sqlite3 *raw;

	assert_int_equal(sqlite3_open(path, &raw), SQLITE_OK);
	assert_int_equal(
	        sqlite3_exec(raw, "PRAGMA user_version = 99", NULL, NULL, NULL),
	        SQLITE_OK);
	sqlite3_close(raw);
	assert_int_equal(xdr_db_open(&db, path, &err), XDR_ERROR);
	assert_null(db);
	snprintf(want, sizeof(want),
	         "database schema 99 is newer than this host (%d): downgrade "
	         "not supported",
	         xdr_db_latest_version());
	assert_string_equal(err.msg, want);
	free(path);
}

static void a_failing_migration_changes_nothing(void **state)
{
	static const struct xdr_migration steps[] = {
	        {1, "CREATE TABLE a (x)"},
	        {2, "CREATE TABLE b (x); INSERT INTO nowhere VALUES (1)"},
	};
	struct fixture *f = *state;
	char *path = path_in(f, "steps.db"), *tables;
	struct xdr_db *db = NULL;
	struct xdr_err err;
	int version = 0;

	assert_int_equal(xdr_db_open_with(&db, path, steps, 2, &err),
	                 XDR_ERROR);
	assert_non_null(strstr(err.msg, "migrating to schema 2"));
	assert_int_equal(xdr_db_open_with(&db, path, steps, 1, NULL), XDR_OK);
	assert_int_equal(xdr_db_schema_version(db, &version, NULL), XDR_OK);
	assert_int_equal(version, 1);
	xdr_db_close(db);
	tables = sql_text(path, "SELECT group_concat(name) FROM sqlite_master"
	                        " WHERE type = 'table'");
	assert_string_equal(tables, "a");
	free(tables);
	free(path);
}

/* ---- settings ---------------------------------------------------------- */

static void settings_default_then_change(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err;
	char *v = NULL;

	assert_int_equal(
	        xdr_setting_get(f->rt->db, "psa_rmm_integration", &v, NULL),
	        XDR_OK);
	assert_string_equal(v, "off");
	free(v);
	assert_int_equal(
	        xdr_setting_set(f->rt->db, "psa_rmm_integration", "on", NULL),
	        XDR_OK);
	assert_int_equal(xdr_setting_set(f->rt->db, "psa_rmm_integration",
	                                 "maybe", &err),
	                 XDR_EINVAL);
	assert_int_equal(
	        xdr_setting_get(f->rt->db, "psa_rmm_integration", &v, NULL),
	        XDR_OK);
	assert_string_equal(v, "on");
	free(v);
	assert_int_equal(xdr_setting_get(f->rt->db, "colour", &v, &err),
	                 XDR_ENOTFOUND);
	assert_int_equal(xdr_setting_set(f->rt->db, "colour", "red", &err),
	                 XDR_ENOTFOUND);
}

/* ---- groups ------------------------------------------------------------ */

static void groups_get_stable_ids_in_order(void **state)
{
	struct fixture *f = *state;
	struct xdr_group_list list;
	int64_t a = 0, b = 0;

	assert_int_equal(xdr_group_add(f->rt->db, "  Default ",
	                               "it@acme.example", &a, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_group_add(f->rt->db, "Lab", NULL, &b, NULL),
	                 XDR_OK);
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	assert_int_equal(xdr_group_list(f->rt->db, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.items[0].id, 1);
	assert_string_equal(list.items[0].name, "Default");
	assert_string_equal(list.items[0].email, "it@acme.example");
	assert_string_equal(list.items[1].name, "Lab");
	assert_null(list.items[1].email);
	xdr_group_list_free(&list);
}

static void groups_refuse_duplicates_and_bad_input(void **state)
{
	struct fixture *f = *state;
	struct xdr_group_list list;
	struct xdr_err err;

	add_group(f, "Default", NULL);
	assert_int_equal(xdr_group_add(f->rt->db, "Default", NULL, NULL, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg, "group \"Default\" already exists");
	assert_int_equal(xdr_group_add(f->rt->db, " Default", NULL, NULL, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_group_add(f->rt->db, "Other", "x@y", NULL, &err),
	                 XDR_EINVAL);
	assert_int_equal(xdr_group_add(f->rt->db, "", NULL, NULL, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_group_list(f->rt->db, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	xdr_group_list_free(&list);
}

/* ---- systems ----------------------------------------------------------- */

static void systems_keep_their_macs_as_typed(void **state)
{
	struct fixture *f = *state;
	const char *macs[] = {" 18-5E-0F-ED-99-9A ", "c4:7a:92:14:3d:78"};
	struct xdr_system_spec spec = {
	        "WS-01", "Default", XDR_OS_WINDOWS, XDR_SENSOR_AGENT, "9.3.0",
	        macs,    2};
	struct xdr_system_list list;
	int64_t id = 0;

	add_group(f, "Default", NULL);
	assert_int_equal(xdr_system_add(f->rt->db, &spec, &id, NULL), XDR_OK);
	assert_int_equal(id, 1);
	assert_int_equal(xdr_system_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].name, "WS-01");
	assert_string_equal(list.items[0].group, "Default");
	assert_int_equal(list.items[0].group_id, 1);
	assert_int_equal(list.items[0].os, XDR_OS_WINDOWS);
	assert_int_equal(list.items[0].sensor, XDR_SENSOR_AGENT);
	assert_string_equal(list.items[0].agent_version, "9.3.0");
	assert_int_equal(list.items[0].n_macs, 2);
	assert_string_equal(list.items[0].macs[0], "18-5E-0F-ED-99-9A");
	assert_string_equal(list.items[0].macs[1], "c4:7a:92:14:3d:78");
	xdr_system_list_free(&list);
}

static void systems_refuse_what_does_not_fit(void **state)
{
	struct fixture *f = *state;
	const char *macs[] = {"18-5E-0F-ED-99-9A", "185e0fed999a"};
	struct xdr_system_spec spec = {
	        "WS-02", "Default", XDR_OS_LINUX, XDR_SENSOR_AGENT, NULL,
	        macs,    2};
	struct xdr_system_list list;
	struct xdr_err err;

	add_group(f, "Default", NULL);
	add_system(f, "WS-01", "Default", NULL);
	assert_int_equal(xdr_system_add(f->rt->db, &spec, NULL, &err),
	                 XDR_EINVAL);
	assert_non_null(strstr(err.msg, "duplicate MAC"));
	spec.n_macs = 1;
	spec.group = "Nowhere";
	assert_int_equal(xdr_system_add(f->rt->db, &spec, NULL, &err),
	                 XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no group \"Nowhere\"");
	spec.group = "Default";
	spec.name = "WS-01";
	assert_int_equal(xdr_system_add(f->rt->db, &spec, NULL, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg, "system \"WS-01\" already exists");
	assert_int_equal(xdr_system_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.items[0].n_macs, 0);
	xdr_system_list_free(&list);
}

static void systems_list_by_group(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	struct xdr_err err;

	add_group(f, "Default", NULL);
	add_group(f, "Lab", NULL);
	add_system(f, "WS-01", "Default", "18-5E-0F-ED-99-9A");
	add_system(f, "LAB-01", "Lab", "00:1a:2b:3c:4d:5e");
	add_system(f, "WS-02", "Default", NULL);
	assert_int_equal(xdr_system_list(f->rt->db, 1, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].name, "WS-01");
	assert_string_equal(list.items[1].name, "WS-02");
	xdr_system_list_free(&list);
	assert_int_equal(xdr_system_list(f->rt->db, 2, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].name, "LAB-01");
	xdr_system_list_free(&list);
	assert_int_equal(xdr_system_list(f->rt->db, 99, &list, &err),
	                 XDR_ENOTFOUND);
	assert_int_equal(xdr_system_list(f->rt->db, -1, &list, NULL),
	                 XDR_EINVAL);
}

static void systems_page_by_group_with_a_total(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	int64_t total = -1;

	add_group(f, "Default", NULL);
	add_group(f, "Lab", NULL);
	add_system(f, "WS-01", "Default", NULL);
	add_system(f, "LAB-01", "Lab", NULL);
	add_system(f, "WS-02", "Default", NULL);
	add_system(f, "WS-03", "Default", "18-5E-0F-ED-99-9A");
	assert_int_equal(
	        xdr_system_page(f->rt->db, 1, 0, 2, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 3);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].name, "WS-01");
	assert_string_equal(list.items[1].name, "WS-02");
	xdr_system_list_free(&list);
	assert_int_equal(
	        xdr_system_page(f->rt->db, 1, 2, 2, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].name, "WS-03");
	assert_int_equal(list.items[0].n_macs, 1);
	assert_string_equal(list.items[0].macs[0], "18-5E-0F-ED-99-9A");
	xdr_system_list_free(&list);
}

static void a_systems_page_of_every_group_keeps_id_order(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	int64_t total = -1;

	add_group(f, "Default", NULL);
	add_group(f, "Lab", NULL);
	add_system(f, "WS-01", "Default", NULL);
	add_system(f, "LAB-01", "Lab", NULL);
	add_system(f, "WS-02", "Default", NULL);
	assert_int_equal(
	        xdr_system_page(f->rt->db, 0, 1, 500, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 3);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].name, "LAB-01");
	assert_string_equal(list.items[0].group, "Lab");
	assert_string_equal(list.items[1].name, "WS-02");
	xdr_system_list_free(&list);
}

static void a_page_past_the_end_is_empty_with_its_total(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	int64_t total = -1;

	add_group(f, "Default", NULL);
	add_system(f, "WS-01", "Default", NULL);
	assert_int_equal(
	        xdr_system_page(f->rt->db, 0, 5, 25, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list.n, 0);
	xdr_system_list_free(&list);
}

static void a_systems_page_of_an_unknown_group_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	struct xdr_err err;
	int64_t total = -1;

	assert_int_equal(
	        xdr_system_page(f->rt->db, 99, 0, 25, &list, &total, &err),
	        XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no group with id 99");
	assert_int_equal(
	        xdr_system_page(f->rt->db, -1, 0, 25, &list, &total, NULL),
	        XDR_EINVAL);
}

static void pages_refuse_a_limit_or_offset_out_of_range(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list systems;
	struct xdr_report_list reports;
	struct xdr_event_list events;
	struct xdr_err err;
	int64_t total = -1;

	assert_int_equal(
	        xdr_system_page(f->rt->db, 0, 0, 0, &systems, &total, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg, "page limit 0 is not from 1 to 500");
	assert_int_equal(
	        xdr_system_page(f->rt->db, 0, 0, 501, &systems, &total, NULL),
	        XDR_EINVAL);
	assert_int_equal(
	        xdr_report_page(f->rt->db, -1, 25, &reports, &total, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg, "page offset -1 is negative");
	assert_int_equal(
	        xdr_event_page(f->rt->db, 0, 0, 501, &events, &total, NULL),
	        XDR_EINVAL);
	assert_int_equal(total, -1);
}

/* ---- report configurations --------------------------------------------- */

static void report_configs_name_a_group(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_config_list list;
	struct xdr_err err;
	int64_t id = 0;

	add_group(f, "Default", NULL);
	assert_int_equal(xdr_report_config_add(f->rt->db, "Daily EDR",
	                                       "Default", true, &id, NULL),
	                 XDR_OK);
	assert_int_equal(id, 1);
	assert_int_equal(xdr_report_config_add(f->rt->db, "Daily EDR",
	                                       "Default", false, NULL, &err),
	                 XDR_EINVAL);
	assert_string_equal(
	        err.msg, "report configuration \"Daily EDR\" already exists");
	assert_int_equal(xdr_report_config_add(f->rt->db, "Ghost", "Nowhere",
	                                       false, NULL, &err),
	                 XDR_ENOTFOUND);
	assert_int_equal(xdr_report_config_list(f->rt->db, &list, NULL),
	                 XDR_OK);
	assert_int_equal(list.n, 1);
	assert_string_equal(list.items[0].name, "Daily EDR");
	assert_string_equal(list.items[0].group, "Default");
	assert_true(list.items[0].publish_itglue);
	xdr_report_config_list_free(&list);
}

static void report_config_publishing_can_be_changed(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_config_list list;
	int64_t id = 0;

	add_group(f, "Default", NULL);
	assert_int_equal(xdr_report_config_add(f->rt->db, "Daily EDR",
	                                       "Default", false, &id, NULL),
	                 XDR_OK);
	assert_int_equal(
	        xdr_report_config_set_publish(f->rt->db, id, true, NULL),
	        XDR_OK);
	assert_int_equal(xdr_report_config_list(f->rt->db, &list, NULL),
	                 XDR_OK);
	assert_true(list.items[0].publish_itglue);
	xdr_report_config_list_free(&list);
	assert_int_equal(
	        xdr_report_config_set_publish(f->rt->db, id, false, NULL),
	        XDR_OK);
	assert_int_equal(xdr_report_config_list(f->rt->db, &list, NULL),
	                 XDR_OK);
	assert_false(list.items[0].publish_itglue);
	xdr_report_config_list_free(&list);
}

static void publishing_an_unknown_report_config_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err;

	assert_int_equal(
	        xdr_report_config_set_publish(f->rt->db, 7, true, &err),
	        XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no report configuration with id 7");
}

/* ---- reports ----------------------------------------------------------- */

static void report_fixture(struct fixture *f, char **file)
{
	add_group(f, "Default", NULL);
	add_group(f, "Lab", NULL);
	add_system(f, "WS-01", "Default", NULL);
	add_system(f, "WS-02", "Default", NULL);
	add_system(f, "LAB-01", "Lab", NULL);
	assert_int_equal(xdr_report_config_add(f->rt->db, "Daily EDR",
	                                       "Default", true, NULL, NULL),
	                 XDR_OK);
	*file = path_in(f, "EDR_Summary_Reports_1239.html");
	write_file(*file, "<html><body>EDR summary</body></html>\n");
}

static void a_report_keeps_its_own_copy_of_the_file(void **state)
{
	struct fixture *f = *state;
	const char *systems[] = {"WS-02", "WS-01"};
	struct xdr_report_spec spec = {
	        "Daily EDR", NULL,      "EDR Summary Reports",
	        NULL,        NULL,      systems,
	        2,           1767247204};
	struct xdr_report_rec r;
	char *file, *kept;
	int64_t id = 0;

	report_fixture(f, &file);
	spec.file = file;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, &id, NULL),
	        XDR_OK);
	assert_int_equal(id, 1);
	unlink(file);
	assert_int_equal(xdr_report_get(f->rt->db, id, &r, NULL), XDR_OK);
	assert_string_equal(r.title, "EDR Summary Reports");
	assert_string_equal(r.type, "Security Summary");
	assert_string_equal(r.config, "Daily EDR");
	assert_string_equal(r.group, "Default");
	assert_int_equal(r.group_id, 1);
	assert_true(r.publish_itglue);
	assert_int_equal(r.generated_at, 1767247204);
	assert_string_equal(r.file_name, "EDR_Summary_Reports_1239.html");
	kept = path_in(f, "reports/1/EDR_Summary_Reports_1239.html");
	assert_string_equal(r.file_path, kept);
	assert_int_equal(r.size, 38);
	assert_int_equal(access(kept, R_OK), 0);
	assert_int_equal(r.n_systems, 2);
	assert_string_equal(r.systems[0], "WS-02");
	assert_int_equal(r.system_ids[0], 2);
	assert_int_equal(r.system_ids[1], 1);
	xdr_report_rec_free(&r);
	free(kept);
	free(file);
}

static void an_ad_hoc_report_is_not_published(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_spec spec = {
	        NULL, "Lab", "Ad hoc", "Extended Summary", NULL, NULL, 0, 0};
	struct xdr_report_list list;
	char *file;

	report_fixture(f, &file);
	spec.file = file;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, NULL),
	        XDR_OK);
	assert_int_equal(xdr_report_list(f->rt->db, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	assert_null(list.items[0].config);
	assert_false(list.items[0].publish_itglue);
	assert_string_equal(list.items[0].type, "Extended Summary");
	assert_string_equal(list.items[0].group, "Lab");
	assert_int_equal(list.items[0].n_systems, 0);
	xdr_report_list_free(&list);
	free(file);
}

static void generate_reports(struct fixture *f, const char *file, int n)
{
	const char *systems[] = {"WS-02"};

	for (int i = 0; i < n; i++) {
		struct xdr_report_spec spec = {
		        "Daily EDR", NULL, "EDR Summary Reports", NULL, file,
		        systems,     1,    1767247204 + i};

		assert_int_equal(xdr_report_generate(f->rt->db, f->rt->home,
		                                     &spec, NULL, NULL),
		                 XDR_OK);
	}
}

static void a_reports_page_is_newest_first(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_list list;
	int64_t total = -1;
	char *file;

	report_fixture(f, &file);
	generate_reports(f, file, 3);
	assert_int_equal(xdr_report_page(f->rt->db, 0, 2, &list, &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 3);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.items[0].id, 3);
	assert_int_equal(list.items[1].id, 2);
	xdr_report_list_free(&list);
	free(file);
}

static void a_reports_page_carries_configs_and_systems(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_list list;
	int64_t total = -1;
	char *file;

	report_fixture(f, &file);
	generate_reports(f, file, 3);
	assert_int_equal(xdr_report_page(f->rt->db, 2, 2, &list, &total, NULL),
	                 XDR_OK);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.items[0].id, 1);
	assert_string_equal(list.items[0].config, "Daily EDR");
	assert_true(list.items[0].publish_itglue);
	assert_int_equal(list.items[0].n_systems, 1);
	assert_string_equal(list.items[0].systems[0], "WS-02");
	xdr_report_list_free(&list);
	free(file);
}

static void a_reports_search_looks_in_title_type_group_and_config(void **state)
{
	struct fixture *f = *state;
	const char *none[] = {NULL};
	struct xdr_report_spec lab = {NULL,       "Lab",     "Lab weekly",
	                              "Firewall", NULL,      none,
	                              0,          1767247300};
	struct xdr_report_list list;
	int64_t total = -1;
	char *file;

	report_fixture(f, &file);
	generate_reports(f, file, 2);
	lab.file = file;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &lab, NULL, NULL),
	        XDR_OK);
	assert_int_equal(xdr_report_search(f->rt->db, "WEEKLY", 0, 25, &list,
	                                   &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list.items[0].id, 3);
	xdr_report_list_free(&list);
	assert_int_equal(xdr_report_search(f->rt->db, "firewall", 0, 25, &list,
	                                   &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 1);
	xdr_report_list_free(&list);
	assert_int_equal(xdr_report_search(f->rt->db, "default", 0, 25, &list,
	                                   &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 2);
	xdr_report_list_free(&list);
	assert_int_equal(xdr_report_search(f->rt->db, "daily edr", 1, 25, &list,
	                                   &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 2);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.items[0].id, 1);
	xdr_report_list_free(&list);
	free(file);
}

static void a_reports_search_is_text_not_a_pattern(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_list list;
	int64_t total = -1;
	char *file;

	report_fixture(f, &file);
	generate_reports(f, file, 2);
	assert_int_equal(
	        xdr_report_search(f->rt->db, "%", 0, 25, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 0);
	xdr_report_list_free(&list);
	assert_int_equal(
	        xdr_report_search(f->rt->db, "", 0, 25, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 2);
	xdr_report_list_free(&list);
	free(file);
}

static void a_report_keeps_the_publishing_it_was_generated_with(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_list list;
	char *file;

	report_fixture(f, &file);
	generate_reports(f, file, 1);
	assert_int_equal(
	        xdr_report_config_set_publish(f->rt->db, 1, false, NULL),
	        XDR_OK);
	generate_reports(f, file, 1);
	assert_int_equal(xdr_report_list(f->rt->db, &list, NULL), XDR_OK);
	assert_true(list.items[0].publish_itglue);
	assert_false(list.items[1].publish_itglue);
	xdr_report_list_free(&list);
	free(file);
}

static size_t entries_of(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t n = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL)
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void refused_reports_leave_nothing_behind(void **state)
{
	struct fixture *f = *state;
	const char *other[] = {"LAB-01"}, *ghost[] = {"WS-99"},
	           *twice[] = {"WS-01", " WS-01"};
	struct xdr_report_spec spec = {NULL, "Default", "T", NULL,
	                               NULL, NULL,      0,   0};
	struct xdr_report_list list;
	struct xdr_err err;
	char *file, *missing = path_in(f, "gone.html"),
	            *reports = path_in(f, "reports");

	report_fixture(f, &file);
	spec.file = missing;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_ENOTFOUND);
	assert_non_null(strstr(err.msg, "cannot read report file"));
	assert_non_null(strstr(err.msg, "gone.html"));
	spec.file = f->rt->home;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_EINVAL);
	assert_non_null(strstr(err.msg, "not a regular file"));
	spec.file = file;
	spec.systems = other;
	spec.n_systems = 1;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "system \"LAB-01\" is not in group \"Default\"");
	spec.systems = ghost;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no system \"WS-99\"");
	spec.systems = twice;
	spec.n_systems = 2;
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg, "system \"WS-01\" given twice");
	spec.n_systems = 0;
	spec.config = "Daily EDR";
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, NULL),
	        XDR_EINVAL);
	spec.group = NULL;
	spec.config = "Weekly";
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, &err),
	        XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no report configuration \"Weekly\"");
	spec.config = "Daily EDR";
	spec.title = "  ";
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, NULL, NULL),
	        XDR_EINVAL);
	assert_int_equal(xdr_report_list(f->rt->db, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 0);
	xdr_report_list_free(&list);
	assert_int_equal(entries_of(reports), 0);
	free(file);
	free(missing);
	free(reports);
}

static void a_missing_report_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct xdr_report_rec r;
	struct xdr_err err;

	assert_int_equal(xdr_report_get(f->rt->db, 999, &r, &err),
	                 XDR_ENOTFOUND);
	assert_string_equal(err.msg, "no report 999");
	assert_int_equal(xdr_report_get(f->rt->db, 0, &r, NULL), XDR_ENOTFOUND);
}

/* ---- events ------------------------------------------------------------ */

static void events_keep_their_fields_in_order(void **state)
{
	struct fixture *f = *state;
	const struct xdr_event_field fields[] = {{"instance", "acme"},
	                                         {"group", "Default"},
	                                         {"domain", "a.b"},
	                                         {"reason", "no organization"}};
	struct xdr_event ev = {sizeof(ev),
	                       4018,
	                       XDR_SEVERITY_WARNING,
	                       "IT Glue",
	                       "Auto-map failed for group 'Default'",
	                       fields,
	                       4};
	struct xdr_event_list list;
	int64_t seq = 0;

	assert_int_equal(xdr_event_append(f->rt->db, "itglue", 1767247204, &ev,
	                                  &seq, NULL),
	                 XDR_OK);
	assert_int_equal(seq, 1);
	ev.id = 4021;
	ev.severity = XDR_SEVERITY_INFO;
	ev.n_fields = 0;
	ev.fields = NULL;
	assert_int_equal(xdr_event_append(f->rt->db, "itglue", 1767247205, &ev,
	                                  NULL, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_event_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.items[0].seq, 1);
	assert_int_equal(list.items[0].id, 4018);
	assert_int_equal(list.items[0].time, 1767247204);
	assert_string_equal(list.items[0].severity, "warning");
	assert_string_equal(list.items[0].source, "itglue");
	assert_string_equal(list.items[0].category, "IT Glue");
	assert_string_equal(
	        list.items[0].fields,
	        "{\"instance\":\"acme\",\"group\":\"Default\","
	        "\"domain\":\"a.b\",\"reason\":\"no organization\"}");
	assert_string_equal(list.items[1].fields, "{}");
	xdr_event_list_free(&list);
	assert_int_equal(xdr_event_list(f->rt->db, 4021, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 1);
	assert_int_equal(list.items[0].seq, 2);
	xdr_event_list_free(&list);
	assert_int_equal(xdr_event_list(f->rt->db, 1, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 0);
	xdr_event_list_free(&list);
}

static void append_events(struct fixture *f, const uint32_t *ids, size_t n)
{
	struct xdr_event ev = {sizeof(ev), 0,          XDR_SEVERITY_INFO,
	                       "IT Glue",  "an event", NULL,
	                       0};

	for (size_t i = 0; i < n; i++) {
		ev.id = ids[i];
		assert_int_equal(xdr_event_append(f->rt->db, "itglue",
		                                  1767247204 + (int64_t)i, &ev,
		                                  NULL, NULL),
		                 XDR_OK);
	}
}

static void an_events_page_is_newest_first(void **state)
{
	struct fixture *f = *state;
	const uint32_t ids[] = {4018, 4021, 4018, 4022, 4018};
	struct xdr_event_list list;
	int64_t total = -1;

	append_events(f, ids, 5);
	assert_int_equal(
	        xdr_event_page(f->rt->db, 0, 1, 2, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 5);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.items[0].seq, 4);
	assert_int_equal(list.items[1].seq, 3);
	assert_int_equal(list.items[0].id, 4022);
	assert_int_equal(list.items[0].time, 1767247207);
	assert_string_equal(list.items[0].source, "itglue");
	xdr_event_list_free(&list);
}

static void an_events_page_keeps_to_its_event_id(void **state)
{
	struct fixture *f = *state;
	const uint32_t ids[] = {4018, 4021, 4018, 4022, 4018};
	struct xdr_event_list list;
	int64_t total = -1;

	append_events(f, ids, 5);
	assert_int_equal(
	        xdr_event_page(f->rt->db, 4018, 1, 25, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 3);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.items[0].seq, 3);
	assert_int_equal(list.items[1].seq, 1);
	xdr_event_list_free(&list);
	assert_int_equal(
	        xdr_event_page(f->rt->db, 1, 0, 25, &list, &total, NULL),
	        XDR_OK);
	assert_int_equal(total, 0);
	assert_int_equal(list.n, 0);
	xdr_event_list_free(&list);
}

static void an_events_search_looks_in_descriptions(void **state)
{
	struct fixture *f = *state;
	struct xdr_event ev = {sizeof(ev),
	                       4021,
	                       XDR_SEVERITY_INFO,
	                       "IT Glue",
	                       "Report 'Weekly' uploaded",
	                       NULL,
	                       0};
	const uint32_t ids[] = {4018, 4021};
	struct xdr_event_list list;
	int64_t total = -1;

	append_events(f, ids, 2);
	assert_int_equal(xdr_event_append(f->rt->db, "itglue", 1767247300, &ev,
	                                  NULL, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_event_search(f->rt->db, 0, "WEEKLY", 0, 25, &list,
	                                  &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list.items[0].seq, 3);
	xdr_event_list_free(&list);
	assert_int_equal(xdr_event_search(f->rt->db, 4021, "an event", 0, 25,
	                                  &list, &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 1);
	assert_int_equal(list.items[0].seq, 2);
	xdr_event_list_free(&list);
	assert_int_equal(xdr_event_search(f->rt->db, 0, "itglue", 0, 25, &list,
	                                  &total, NULL),
	                 XDR_OK);
	assert_int_equal(total, 3);
	xdr_event_list_free(&list);
}

static void malformed_events_are_refused(void **state)
{
	struct fixture *f = *state;
	struct xdr_event_field fields[2] = {{"a", "1"}, {"b", "2"}};
	struct xdr_event good = {sizeof(good), 1, XDR_SEVERITY_INFO, "c", "d",
	                         fields,       2};
	struct xdr_event ev;
	struct xdr_event_list list;
	struct xdr_err err;

	assert_int_equal(xdr_event_check(&good, NULL), XDR_OK);
	assert_int_equal(xdr_event_check(NULL, NULL), XDR_EINVAL);
	ev = good;
	ev.struct_size = offsetof(struct xdr_event, n_fields);
	assert_int_equal(xdr_event_check(&ev, &err), XDR_EINVAL);
	assert_non_null(strstr(err.msg, "struct_size"));
	ev = good;
	ev.id = 0;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	ev = good;
	ev.severity = (enum xdr_severity)7;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	ev = good;
	ev.description = NULL;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	ev.description = "";
	assert_int_equal(xdr_event_check(&ev, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "event description is empty");
	ev = good;
	ev.fields = NULL;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	ev = good;
	fields[1].name = NULL;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	fields[1].name = "";
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	fields[1].name = "a";
	assert_int_equal(xdr_event_check(&ev, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "event field \"a\" given twice");
	fields[1].name = "b";
	fields[1].value = NULL;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	fields[1].value = "\xff";
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	fields[1].value = "2";
	ev.n_fields = XDR_EVENT_MAX_FIELDS + 1;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_EINVAL);
	ev = good;
	ev.category = NULL;
	assert_int_equal(xdr_event_check(&ev, NULL), XDR_OK);
	ev.struct_size = 0;
	assert_int_equal(xdr_event_append(f->rt->db, "x", 0, &ev, NULL, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_event_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 0);
	xdr_event_list_free(&list);
}

static void the_home_is_private(void **state)
{
	struct fixture *f = *state;
	char *reports = path_in(f, "reports"), *plugins = path_in(f, "plugins");
	char sub[640];
	struct stat st;
	char *abs = NULL, *canonical;

	/* Windows has no mode bits: an access list keeps these private
	 * there (see os_mkdir_private()). */
	assert_int_equal(stat(reports, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	if (!OS_WIN32)
		assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(plugins, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	if (!OS_WIN32)
		assert_int_equal(st.st_mode & 07777, 0700);
	/* A new home, parents and all, is created 0700 and made absolute
	 * (and canonical: with backslashes on Windows). */
	snprintf(sub, sizeof(sub), "%s/a/b", f->home);
	assert_int_equal(xdr_home_resolve(sub, &abs, NULL), XDR_OK);
	canonical = os_realpath(sub);
	assert_non_null(canonical);
	assert_string_equal(abs, canonical);
	assert_int_equal(stat(sub, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	if (!OS_WIN32)
		assert_int_equal(st.st_mode & 07777, 0700);
	free(canonical);
	free(abs);
	free(reports);
	free(plugins);
}

/* An empty path names no directory; the walk over its prefixes must not
 * step past the end of the string. */
static void an_empty_directory_path_is_refused(void **state)
{
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_mkdir_p("", &err), XDR_EINVAL);
	assert_string_equal(err.msg, "no directory to create");
	assert_int_equal(xdr_mkdir_p(NULL, NULL), XDR_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(a_new_database_has_the_latest_schema_in_wal_mode),
	        T(reopening_keeps_the_data_and_the_schema),
	        T(a_newer_schema_is_refused),
	        T(a_failing_migration_changes_nothing),
	        T(settings_default_then_change),
	        T(groups_get_stable_ids_in_order),
	        T(groups_refuse_duplicates_and_bad_input),
	        T(systems_keep_their_macs_as_typed),
	        T(systems_refuse_what_does_not_fit),
	        T(systems_list_by_group),
	        T(systems_page_by_group_with_a_total),
	        T(a_systems_page_of_every_group_keeps_id_order),
	        T(a_page_past_the_end_is_empty_with_its_total),
	        T(a_systems_page_of_an_unknown_group_is_not_found),
	        T(pages_refuse_a_limit_or_offset_out_of_range),
	        T(report_configs_name_a_group),
	        T(report_config_publishing_can_be_changed),
	        T(publishing_an_unknown_report_config_is_not_found),
	        T(a_report_keeps_its_own_copy_of_the_file),
	        T(an_ad_hoc_report_is_not_published),
	        T(a_reports_page_is_newest_first),
	        T(a_reports_search_looks_in_title_type_group_and_config),
	        T(a_reports_search_is_text_not_a_pattern),
	        T(a_reports_page_carries_configs_and_systems),
	        T(a_report_keeps_the_publishing_it_was_generated_with),
	        T(refused_reports_leave_nothing_behind),
	        T(a_missing_report_is_not_found),
	        T(events_keep_their_fields_in_order),
	        T(an_events_page_is_newest_first),
	        T(an_events_page_keeps_to_its_event_id),
	        T(an_events_search_looks_in_descriptions),
	        T(malformed_events_are_refused),
	        T(the_home_is_private),
	        cmocka_unit_test(an_empty_directory_path_is_refused),
#undef T
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
