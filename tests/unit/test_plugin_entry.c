/*
 * test_plugin_entry.c - the descriptor, init/shutdown and the hooks.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "itglue.h"
#include "mock_host.h"
#include "os_test.h"
#include "store.h"
#include "worker.h"

/* Built into this test from plugin/entry.c. */
const struct xdr_plugin *xdr_plugin_entry(void);

static int64_t now_ms(void)
{
	return (int64_t)os_monotonic_ms();
}

static void *init_ok(struct mock_fixture *f)
{
	void *plugin = NULL;

	int rc = xdr_plugin_entry()->init(mock_host_api(f->host), &plugin,
	                                  f->err, sizeof(f->err));

	if (rc != XDR_OK)
		print_message("init: %s\n", f->err);
	assert_int_equal(rc, XDR_OK);
	assert_non_null(plugin);
	return plugin;
}

/* init must fail with STATUS, leave no state and explain with TEXT. */
static void init_fails(struct mock_fixture *f, const struct xdr_host_api *api,
                       int status, const char *text)
{
	void *plugin = &plugin;

	f->err[0] = '\0';
	assert_int_equal(
	        xdr_plugin_entry()->init(api, &plugin, f->err, sizeof(f->err)),
	        status);
	assert_null(plugin);
	assert_non_null(strstr(f->err, text));
	assert_null(strchr(f->err, '\n'));
}

/* ---- the descriptor ---- */

static void test_descriptor_describes_the_plugin(void **state)
{
	const struct xdr_plugin *d = xdr_plugin_entry();

	(void)state;
	assert_non_null(d);
	assert_ptr_equal(d, xdr_plugin_entry());
	assert_int_equal(d->struct_size, sizeof(struct xdr_plugin));
	assert_true(d->struct_size >= XDR_PLUGIN_MIN_SIZE_1_0);
	assert_int_equal(d->abi_major, XDR_PLUGIN_ABI_MAJOR);
	assert_int_equal(d->abi_minor, XDR_PLUGIN_ABI_MINOR);
	assert_string_equal(d->name, "itglue");
	assert_string_equal(d->version, PACKAGE_VERSION);
	assert_string_equal(
	        d->description,
	        "IT Glue: map groups and systems, publish summary reports");
	assert_non_null(d->init);
	assert_non_null(d->shutdown);
	assert_non_null(d->on_report_generated);
	assert_non_null(d->on_schedule_tick);
	assert_non_null(d->on_admin_action);
	assert_non_null(d->free);
	d->free(NULL);
}

/* ---- init and shutdown ---- */

static void test_init_creates_the_store_and_shutdown_cleans_up(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin = init_ok(f);
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/itglue.db",
	         mock_host_state_dir(f->host));
	assert_int_equal(stat(path, &st), 0);
	assert_true(mock_host_logged(f->host, XDR_LOG_INFO, "started"));
	xdr_plugin_entry()->shutdown(plugin);
	assert_true(mock_host_logged(f->host, XDR_LOG_INFO, "stopping"));
}

static void test_init_twice_reuses_the_store(void **state)
{
	struct mock_fixture *f = *state;

	char schema[32];

	snprintf(schema, sizeof(schema), "schema %zu",
	         itg_schema_migration_count);
	xdr_plugin_entry()->shutdown(init_ok(f));
	xdr_plugin_entry()->shutdown(init_ok(f));
	assert_true(mock_host_logged(f->host, XDR_LOG_INFO, schema));
}

static void test_init_refuses_a_missing_api_table(void **state)
{
	init_fails(*state, NULL, XDR_EINVAL, "no host API table");
}

static void test_init_refuses_a_small_api_table(void **state)
{
	struct mock_fixture *f = *state;
	struct xdr_host_api api = *mock_host_api(f->host);

	api.struct_size = (uint32_t)offsetof(struct xdr_host_api, seal);
	init_fails(f, &api, XDR_EINVAL, "host API table too small");
	assert_non_null(strstr(f->err, "ABI 1.0 needs at least"));
}

static void test_init_refuses_another_major(void **state)
{
	struct mock_fixture *f = *state;
	struct xdr_host_api api = *mock_host_api(f->host);

	api.abi_major = XDR_PLUGIN_ABI_MAJOR + 1;
	api.abi_minor = 0;
	init_fails(f, &api, XDR_EINVAL,
	           "host has ABI 2.0, this plugin was built for ABI 1.0");
}

static void test_init_refuses_a_table_with_a_hole(void **state)
{
	struct mock_fixture *f = *state;
	struct xdr_host_api api = *mock_host_api(f->host);

	api.get_setting = NULL;
	init_fails(f, &api, XDR_EINVAL, "host API table lacks get_setting");
	api = *mock_host_api(f->host);
	api.unseal = NULL;
	init_fails(f, &api, XDR_EINVAL, "host API table lacks unseal");
}

static void test_init_accepts_a_newer_minor_and_bigger_table(void **state)
{
	struct mock_fixture *f = *state;
	struct {
		struct xdr_host_api api;
		void (*later)(void);
	} newer;
	void *plugin = NULL;

	memset(&newer, 0, sizeof(newer));
	newer.api = *mock_host_api(f->host);
	newer.api.struct_size = sizeof(newer);
	newer.api.abi_minor = XDR_PLUGIN_ABI_MINOR + 3;
	assert_int_equal(xdr_plugin_entry()->init(&newer.api, &plugin, f->err,
	                                          sizeof(f->err)),
	                 XDR_OK);
	xdr_plugin_entry()->shutdown(plugin);
}

static void test_init_survives_missing_or_tiny_error_buffers(void **state)
{
	struct mock_fixture *f = *state;
	char tiny[8];
	void *plugin = NULL;

	assert_int_equal(xdr_plugin_entry()->init(NULL, &plugin, NULL, 0),
	                 XDR_EINVAL);
	memset(tiny, 'x', sizeof(tiny));
	assert_int_equal(
	        xdr_plugin_entry()->init(NULL, &plugin, tiny, sizeof(tiny)),
	        XDR_EINVAL);
	assert_int_equal(strlen(tiny), sizeof(tiny) - 1);
	assert_int_equal(xdr_plugin_entry()->init(mock_host_api(f->host), NULL,
	                                          f->err, sizeof(f->err)),
	                 XDR_EINVAL);
}

/* init must start without its database (a storage fault), saying why at
 * ERROR with TEXT (the file's name). */
static void *init_without_store(struct mock_fixture *f, const char *text)
{
	struct itg_plugin *p = init_ok(f);

	assert_null(p->store);
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR,
	                             "cannot use the state database: "));
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR, text));
	assert_true(mock_host_logged(f->host, XDR_LOG_INFO,
	                             "started without its state database"));
	return p;
}

/* ROOT/plain-file/state: nobody, root included, can create a file below a
 * regular file. */
static void state_below_a_regular_file(struct mock_fixture *f)
{
	char path[4096];
	FILE *file;

	snprintf(path, sizeof(path), "%s/plain-file", mock_host_root(f->host));
	file = fopen(path, "w");
	assert_non_null(file);
	fclose(file);
	strcat(path, "/state");
	mock_host_set_state_dir(f->host, path);
}

/* The answer of admin ACTION, with its status in *rc. */
static char *admin(void *plugin, const char *action, int *rc)
{
	char *response = NULL;

	*rc = xdr_plugin_entry()->on_admin_action(plugin, action, NULL,
	                                          &response);
	assert_non_null(response);
	return response;
}

static void
test_init_starts_without_its_store_below_a_regular_file(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin;

	state_below_a_regular_file(f);
	plugin = init_without_store(f, "plain-file/state/itglue.db");
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR,
	                             "the database file cannot be opened"));
	xdr_plugin_entry()->shutdown(plugin);
}

static void
test_init_starts_without_its_store_in_a_missing_directory(void **state)
{
	struct mock_fixture *f = *state;
	char path[4096];

	snprintf(path, sizeof(path), "%s/gone", mock_host_root(f->host));
	mock_host_set_state_dir(f->host, path);
	xdr_plugin_entry()->shutdown(init_without_store(f, "gone/itglue.db"));
}

static void
test_init_starts_without_its_store_in_a_read_only_directory(void **state)
{
	struct mock_fixture *f = *state;
	char dir[4096];

#if OS_WIN32
	/* Windows has no permission bits: chmod() cannot make a directory
	 * read-only (the read-only attribute does not bind directories). */
	(void)f;
	(void)dir;
	SKIP_BECAUSE("POSIX permission bits: chmod() cannot make a "
	             "directory read-only on Windows");
#else
	/* Permission bits do not bind root, who gets a directory in which
	 * the kernel lets nobody create a file. */
	if (geteuid() == 0) {
		mock_host_set_state_dir(f->host, "/proc/self");
		xdr_plugin_entry()->shutdown(
		        init_without_store(f, "/proc/self/itglue.db"));
		return;
	}
	snprintf(dir, sizeof(dir), "%s", mock_host_state_dir(f->host));
	assert_int_equal(chmod(dir, 0500), 0);
	xdr_plugin_entry()->shutdown(init_without_store(f, "itglue.db"));
	assert_int_equal(chmod(dir, 0700), 0);
#endif
}

static void test_a_report_without_the_store_is_an_error_and_a_4022(void **state)
{
	struct mock_fixture *f = *state;
	const struct mock_event *e;
	void *plugin;

	state_below_a_regular_file(f);
	plugin = init_without_store(f, "plain-file/state/itglue.db");
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 1),
	                 XDR_ERROR);
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR,
	                             "report 1 not queued for IT Glue: "));
	assert_int_equal(mock_host_event_count(f->host), 1);
	e = mock_host_event(f->host, 0);
	assert_int_equal(e->id, 4022);
	assert_string_equal(e->values[1], "1");
	assert_string_equal(e->values[2], "EDR Summary Reports");
	assert_string_equal(e->values[3], "Default");
	assert_non_null(strstr(e->values[5], "not queued: "));
	assert_non_null(strstr(e->values[5], "plain-file/state/itglue.db"));
	assert_non_null(strstr(e->values[5], "publish it by hand"));
	xdr_plugin_entry()->shutdown(plugin);
}

/* Run SQL on the plugin's own connection. */
static void on_store(struct itg_plugin *p, const char *sql)
{
	sqlite3 *db = itg_store_acquire(p->store);

	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	itg_store_release(p->store);
}

static void
test_a_report_the_store_cannot_write_is_an_error_and_a_4022(void **state)
{
	struct mock_fixture *f = *state;
	struct itg_plugin *p = init_ok(f);
	const struct mock_event *e;

	/* Report 1's group, served by an instance and mapped. */
	on_store(p, "INSERT INTO instances (id, name, region, key_sealed,"
	            " key_masked, rate_requests, rate_seconds, created_at,"
	            " updated_at) VALUES (1, 'Demo', 'us', 'x', 'x', 1, 1, 0,"
	            " 0);"
	            "INSERT INTO instance_groups VALUES (1, 1);"
	            "INSERT INTO group_mappings (instance_id, group_id,"
	            " organization_id, source, updated_at)"
	            " VALUES (1, 1, '7', 'manual', 0)");
	/* Writes refused, as on a file system remounted read-only under a
	 * running host. */
	on_store(p, "PRAGMA query_only = 1");
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_int_equal(xdr_plugin_entry()->on_report_generated(p, 1),
	                 XDR_ERROR);
	assert_true(mock_host_logged(f->host, XDR_LOG_ERROR,
	                             "report 1 not queued for IT Glue: "));
	assert_int_equal(mock_host_event_count(f->host), 1);
	e = mock_host_event(f->host, 0);
	assert_int_equal(e->id, 4022);
	assert_string_equal(e->values[1], "1");
	assert_non_null(strstr(e->values[5], "the database cannot be written"));
	assert_non_null(strstr(e->values[5], "itglue.db"));
	assert_non_null(strstr(e->values[5], "publish it by hand"));
	on_store(p, "PRAGMA query_only = 0");
	xdr_plugin_entry()->shutdown(p);
}

static void test_ticks_and_actions_without_the_store_say_why(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin;
	char *answer;
	int rc;

	state_below_a_regular_file(f);
	plugin = init_without_store(f, "plain-file/state/itglue.db");
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_int_equal(xdr_plugin_entry()->on_schedule_tick(plugin, 1),
	                 XDR_ERROR);
	answer = admin(plugin, "instance.list", &rc);
	assert_int_equal(rc, XDR_EBUSY);
	assert_non_null(strstr(answer, "\"code\":\"store_unusable\""));
	assert_non_null(strstr(answer, "plain-file/state/itglue.db"));
	xdr_plugin_entry()->free(answer);
	answer = admin(plugin, "status", &rc);
	assert_int_equal(rc, XDR_OK);
	assert_non_null(strstr(answer, "\"ok\":false"));
	assert_non_null(strstr(answer, "cannot be opened"));
	assert_non_null(strstr(answer, "\"schema_version\":null"));
	assert_non_null(strstr(answer, "\"outbox\":null"));
	xdr_plugin_entry()->free(answer);
	xdr_plugin_entry()->shutdown(plugin);
}

static void test_the_store_is_opened_once_the_fault_goes(void **state)
{
	struct mock_fixture *f = *state;
	char path[4096];
	void *plugin;
	char *answer;
	int rc;

	snprintf(path, sizeof(path), "%s/later", mock_host_root(f->host));
	mock_host_set_state_dir(f->host, path);
	plugin = init_without_store(f, "later/itglue.db");
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 1),
	                 XDR_ERROR);
	assert_int_equal(os_mkdir_private(path), 0);
	/* Report 1's group is served by no instance: not queued, by choice
	 * (4022), and the hook did its job. */
	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 1),
	                 XDR_OK);
	assert_true(mock_host_logged(f->host, XDR_LOG_INFO,
	                             "later/itglue.db can be used again"));
	answer = admin(plugin, "status", &rc);
	assert_int_equal(rc, XDR_OK);
	assert_non_null(strstr(answer, "\"ok\":true"));
	xdr_plugin_entry()->free(answer);
	xdr_plugin_entry()->shutdown(plugin);
}

static void test_init_fails_when_the_host_has_no_state_dir(void **state)
{
	struct mock_fixture *f = *state;

	mock_host_fail_state_dir(f->host, XDR_ERROR);
	init_fails(f, mock_host_api(f->host), XDR_ERROR, "state directory");
	mock_host_set_state_dir(f->host, "");
	mock_host_fail_state_dir(f->host, XDR_OK);
	init_fails(f, mock_host_api(f->host), XDR_ERROR, "state directory");
}

/* ROOT/ddd.../ddd... (PARTS levels of 100 characters) in PATH, each level
 * made if MAKE. */
static void make_deep_dir(struct mock_fixture *f, char *path, size_t size,
                          int parts, bool make)
{
	char part[101];
	size_t len;
	int i;

	memset(part, 'd', 100);
	part[100] = '\0';
	len = (size_t)snprintf(path, size, "%s", mock_host_root(f->host));
	for (i = 0; i < parts; i++) {
		assert_true(len + 1 + sizeof(part) <= size);
		len += (size_t)snprintf(path + len, size - len, "/%s", part);
		if (make)
			assert_int_equal(os_mkdir_private(path), 0);
	}
}

static void
test_init_takes_a_state_dir_longer_than_its_first_guess(void **state)
{
	struct mock_fixture *f = *state;
	char path[4096];

#if OS_WIN32
	/* Windows makes no directory whose path is longer than MAX_PATH
	 * (260): name the state directory with 150 "." steps instead. */
	size_t len = (size_t)snprintf(path, sizeof(path), "%s",
	                              mock_host_state_dir(f->host));

	for (int i = 0; i < 150; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "/.");
#else
	make_deep_dir(f, path, sizeof(path), 3, true);
#endif
	assert_true(strlen(path) > 300);
	mock_host_set_state_dir(f->host, path);
	xdr_plugin_entry()->shutdown(init_ok(f));
}

static void test_init_explains_a_state_dir_too_long_for_sqlite(void **state)
{
	struct mock_fixture *f = *state;
	char path[4096];

#if OS_WIN32
	/* Windows makes no directory whose path is longer than MAX_PATH
	 * (260), and its SQLite takes longer paths than that: the path is
	 * refused before anything is opened, so it need not exist. */
	make_deep_dir(f, path, sizeof(path),
	              sqlite3_vfs_find(NULL)->mxPathname / 100 + 1, false);
#else
	make_deep_dir(f, path, sizeof(path), 7, true);
#endif
	mock_host_set_state_dir(f->host, path);
	init_fails(f, mock_host_api(f->host), XDR_ERROR,
	           "the database path is ");
	assert_non_null(strstr(f->err, "SQLite takes at most"));
}

static void test_shutdown_of_nothing_is_harmless(void **state)
{
	(void)state;
	xdr_plugin_entry()->shutdown(NULL);
}

/* ---- the hooks ---- */

static void test_hooks_do_nothing_while_disabled(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin = init_ok(f);

	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 7),
	                 XDR_OK);
	assert_int_equal(
	        xdr_plugin_entry()->on_schedule_tick(plugin, 1764309604),
	        XDR_OK);
	assert_true(mock_host_logged(f->host, XDR_LOG_DEBUG,
	                             "integration disabled: ignoring report "
	                             "7"));
	assert_true(mock_host_logged(f->host, XDR_LOG_DEBUG,
	                             "integration disabled: ignoring the tick "
	                             "at 1764309604"));
	assert_int_equal(mock_host_event_count(f->host), 0);
	xdr_plugin_entry()->shutdown(plugin);
}

static void test_hooks_answer_ok_while_enabled(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin = init_ok(f);

	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 7),
	                 XDR_OK);
	assert_int_equal(
	        xdr_plugin_entry()->on_schedule_tick(plugin, 1764309604),
	        XDR_OK);
	assert_false(mock_host_logged(f->host, XDR_LOG_DEBUG,
	                              "integration disabled"));
	xdr_plugin_entry()->shutdown(plugin);
}

static void test_hooks_refuse_bad_input(void **state)
{
	struct mock_fixture *f = *state;
	void *plugin = init_ok(f);

	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, 0),
	                 XDR_EINVAL);
	assert_int_equal(xdr_plugin_entry()->on_report_generated(plugin, -5),
	                 XDR_EINVAL);
	assert_true(mock_host_logged(f->host, XDR_LOG_WARNING,
	                             "ignoring report id -5"));
	assert_int_equal(xdr_plugin_entry()->on_report_generated(NULL, 7),
	                 XDR_EINVAL);
	assert_int_equal(xdr_plugin_entry()->on_schedule_tick(NULL, 0),
	                 XDR_EINVAL);
	xdr_plugin_entry()->shutdown(plugin);
}

/* A job that holds the worker until released (or until a stop). */
struct hold {
	os_mutex lock;
	os_cond cond;
	bool started;
	bool released;
};

static void hold_init(struct hold *h)
{
	assert_int_equal(os_mutex_init(&h->lock), 0);
	assert_int_equal(os_cond_init(&h->cond), 0);
}

static void hold_destroy(struct hold *h)
{
	os_cond_destroy(&h->cond);
	os_mutex_destroy(&h->lock);
}

static void held_job(struct itg_job_ctx *ctx, void *arg)
{
	struct hold *h = arg;

	os_mutex_lock(&h->lock);
	h->started = true;
	os_cond_broadcast(&h->cond);
	while (!h->released)
		os_cond_wait(&h->cond, &h->lock);
	os_mutex_unlock(&h->lock);
	(void)ctx;
}

static void *release_after_two_seconds(void *arg)
{
	struct hold *h = arg;
	os_sleep_ms(2000);
	os_mutex_lock(&h->lock);
	h->released = true;
	os_cond_broadcast(&h->cond);
	os_mutex_unlock(&h->lock);
	return NULL;
}

static void test_no_hook_blocks_while_the_worker_is_busy(void **state)
{
	struct mock_fixture *f = *state;
	struct itg_plugin *p = init_ok(f);
	struct hold h = {.started = false, .released = false};
	struct itg_job job = {"auto-map", held_job, &h, NULL};
	os_thread releaser;
	char *response;
	int64_t t0;
	int64_t slowest = 0;
	int i;

	hold_init(&h);
	assert_true(itg_worker_submit(p->worker, &job) > 0);
	os_mutex_lock(&h.lock);
	while (!h.started)
		os_cond_wait(&h.cond, &h.lock);
	os_mutex_unlock(&h.lock);
	/* A hook that waited for the worker would take the two seconds the
	 * releaser waits; without it, a hook that blocked would hang. */
	assert_int_equal(
	        os_thread_start(&releaser, release_after_two_seconds, &h), 0);
	for (i = 0; i < 40; i++) {
		mock_host_set_setting(f->host, "psa_rmm_integration",
		                      i % 2 ? "on" : "off");
		t0 = now_ms();
		assert_int_equal(
		        xdr_plugin_entry()->on_report_generated(p, 1 + i),
		        XDR_OK);
		assert_int_equal(xdr_plugin_entry()->on_schedule_tick(p, i),
		                 XDR_OK);
		response = NULL;
		assert_int_equal(xdr_plugin_entry()->on_admin_action(
		                         p, "status", NULL, &response),
		                 XDR_OK);
		assert_non_null(strstr(response, "\"busy\":true"));
		xdr_plugin_entry()->free(response);
		if (now_ms() - t0 > slowest)
			slowest = now_ms() - t0;
	}
	assert_true(slowest < 1000);
	os_thread_join(releaser);
	xdr_plugin_entry()->shutdown(p);
	hold_destroy(&h);
}

static int dropped;

static void count_drop(void *arg)
{
	(void)arg;
	dropped++;
}

static void sleeping_job(struct itg_job_ctx *ctx, void *arg)
{
	struct hold *h = arg;

	os_mutex_lock(&h->lock);
	h->started = true;
	os_cond_broadcast(&h->cond);
	os_mutex_unlock(&h->lock);
	itg_job_sleep(ctx, 60 * 1000);
}

static void test_shutdown_stops_a_running_job_promptly(void **state)
{
	struct mock_fixture *f = *state;
	struct itg_plugin *p = init_ok(f);
	struct hold h = {.started = false, .released = false};
	struct itg_job sleeper = {"auto-map", sleeping_job, &h, NULL};
	struct itg_job queued = {"publish", sleeping_job, &h, count_drop};
	int64_t t0;

	dropped = 0;
	hold_init(&h);
	assert_true(itg_worker_submit(p->worker, &sleeper) > 0);
	os_mutex_lock(&h.lock);
	while (!h.started)
		os_cond_wait(&h.cond, &h.lock);
	os_mutex_unlock(&h.lock);
	assert_true(itg_worker_submit(p->worker, &queued) > 0);
	assert_true(itg_worker_submit(p->worker, &queued) > 0);
	t0 = now_ms();
	xdr_plugin_entry()->shutdown(p);
	assert_true(now_ms() - t0 < 5000);
	assert_int_equal(dropped, 2);
	hold_destroy(&h);
}

#define T(name)                                                                \
	cmocka_unit_test_setup_teardown(name, mock_fixture_setup,              \
	                                mock_fixture_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_descriptor_describes_the_plugin),
	        T(test_init_creates_the_store_and_shutdown_cleans_up),
	        T(test_init_twice_reuses_the_store),
	        T(test_init_refuses_a_missing_api_table),
	        T(test_init_refuses_a_small_api_table),
	        T(test_init_refuses_another_major),
	        T(test_init_refuses_a_table_with_a_hole),
	        T(test_init_accepts_a_newer_minor_and_bigger_table),
	        T(test_init_survives_missing_or_tiny_error_buffers),
	        T(test_init_starts_without_its_store_below_a_regular_file),
	        T(test_init_starts_without_its_store_in_a_missing_directory),
	        T(test_init_starts_without_its_store_in_a_read_only_directory),
	        T(test_a_report_without_the_store_is_an_error_and_a_4022),
	        T(test_a_report_the_store_cannot_write_is_an_error_and_a_4022),
	        T(test_ticks_and_actions_without_the_store_say_why),
	        T(test_the_store_is_opened_once_the_fault_goes),
	        T(test_init_fails_when_the_host_has_no_state_dir),
	        T(test_init_takes_a_state_dir_longer_than_its_first_guess),
	        T(test_init_explains_a_state_dir_too_long_for_sqlite),
	        T(test_shutdown_of_nothing_is_harmless),
	        T(test_hooks_do_nothing_while_disabled),
	        T(test_hooks_answer_ok_while_enabled),
	        T(test_hooks_refuse_bad_input),
	        T(test_no_hook_blocks_while_the_worker_is_busy),
	        T(test_shutdown_stops_a_running_job_promptly),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
