/*
 * test_host_api.c - the services of struct xdr_host_api as a plugin sees
 * them: the buffer rule, events stamped by the host, enumerations and their
 * early stop, sealing per plugin, the log, and calls from many threads.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "compat/os.h"
#include "host_test_home.h"
#include "os_test.h"
#include "xdrhost.h"

struct fixture {
	char home[512];
	struct xdr_runtime *rt;
	struct xdr_host *alpha;
	struct xdr_host *beta;
	const struct xdr_host_api *a;
	const struct xdr_host_api *b;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "test_host_api", &f->rt);
	assert_int_equal(xdr_host_new(f->rt, "alpha", &f->alpha, NULL), XDR_OK);
	assert_int_equal(xdr_host_new(f->rt, "beta", &f->beta, NULL), XDR_OK);
	f->a = xdr_host_api_of(f->alpha);
	f->b = xdr_host_api_of(f->beta);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xdr_host_free(f->alpha);
	xdr_host_free(f->beta);
	host_test_home_close(f->home, f->rt);
	free(f);
	return 0;
}

static void the_table_declares_its_version_and_size(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->a->struct_size, sizeof(struct xdr_host_api));
	assert_true(f->a->struct_size >= XDR_HOST_API_MIN_SIZE_1_0);
	assert_int_equal(f->a->abi_major, XDR_PLUGIN_ABI_MAJOR);
	assert_int_equal(f->a->abi_minor, XDR_PLUGIN_ABI_MINOR);
	assert_ptr_equal(f->a->host, f->alpha);
	assert_int_equal(xdr_host_new(f->rt, "Bad Name", &f->alpha, NULL),
	                 XDR_EINVAL);
}

static void each_plugin_has_a_private_state_directory(void **state)
{
	struct fixture *f = *state;
	char buf[256], want[256];
	size_t needed = 0;
	struct stat st;

	snprintf(want, sizeof(want), "%s/plugins/alpha", f->rt->home);
	assert_int_equal(
	        f->a->get_state_dir(f->a->host, buf, sizeof(buf), &needed),
	        XDR_OK);
	assert_string_equal(buf, want);
	assert_int_equal(needed, strlen(want) + 1);
	assert_int_equal(stat(buf, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
#if !OS_WIN32
	/* Windows has an access list instead (see os_mkdir_private()). */
	assert_int_equal(st.st_mode & 07777, 0700);
#endif
	assert_int_equal(
	        f->b->get_state_dir(f->b->host, buf, sizeof(buf), NULL),
	        XDR_OK);
	assert_string_not_equal(buf, want);
}

static void a_short_buffer_gets_erange_and_the_size_needed(void **state)
{
	struct fixture *f = *state;
	char buf[256];
	size_t needed = 0,
	       want = strlen(f->rt->home) + strlen("/plugins/alpha") + 1;

	assert_int_equal(
	        f->a->get_state_dir(f->a->host, buf, want - 1, &needed),
	        XDR_ERANGE);
	assert_int_equal(needed, want);
	needed = 0;
	assert_int_equal(f->a->get_state_dir(f->a->host, NULL, 0, &needed),
	                 XDR_ERANGE);
	assert_int_equal(needed, want);
	assert_int_equal(f->a->get_state_dir(f->a->host, buf, want, NULL),
	                 XDR_OK);
	assert_int_equal(strlen(buf), want - 1);
	needed = 0;
	assert_int_equal(f->a->get_setting(f->a->host, "psa_rmm_integration",
	                                   buf, 3, &needed),
	                 XDR_ERANGE);
	assert_int_equal(needed, 4);
	assert_int_equal(f->a->get_setting(f->a->host, "psa_rmm_integration",
	                                   buf, 4, &needed),
	                 XDR_OK);
	assert_string_equal(buf, "off");
}

static void settings_are_read_live(void **state)
{
	struct fixture *f = *state;
	char buf[8];

	assert_int_equal(
	        xdr_setting_set(f->rt->db, "psa_rmm_integration", "on", NULL),
	        XDR_OK);
	assert_int_equal(f->a->get_setting(f->a->host, "psa_rmm_integration",
	                                   buf, sizeof(buf), NULL),
	                 XDR_OK);
	assert_string_equal(buf, "on");
	assert_int_equal(
	        f->a->get_setting(f->a->host, "colour", buf, sizeof(buf), NULL),
	        XDR_ENOTFOUND);
	assert_int_equal(
	        f->a->get_setting(f->a->host, NULL, buf, sizeof(buf), NULL),
	        XDR_EINVAL);
}

static void the_host_stamps_events_with_source_and_time(void **state)
{
	struct fixture *f = *state;
	const struct xdr_event_field fields[] = {{"group", "Default"}};
	struct xdr_event ev = {sizeof(ev),
	                       4018,
	                       XDR_SEVERITY_WARNING,
	                       "IT Glue",
	                       "Auto-map failed",
	                       fields,
	                       1};
	struct xdr_event_list list;
	time_t before = time(NULL);

	assert_int_equal(f->a->emit_event(f->a->host, &ev), XDR_OK);
	assert_int_equal(f->b->emit_event(f->b->host, &ev), XDR_OK);
	assert_int_equal(xdr_event_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 2);
	assert_string_equal(list.items[0].source, "alpha");
	assert_string_equal(list.items[1].source, "beta");
	assert_true(list.items[0].time >= before);
	assert_true(list.items[0].time <= time(NULL));
	assert_string_equal(list.items[0].fields, "{\"group\":\"Default\"}");
	xdr_event_list_free(&list);
}

static char *read_log(const struct fixture *f)
{
	char *path = xdr_path_join(f->rt->home, "xdr-host.log"), *text = NULL;

	assert_non_null(path);
	if (xdr_read_file(path, 1 << 20, &text, NULL, NULL) != XDR_OK)
		text = strdup("");
	free(path);
	return text;
}

static void a_malformed_event_is_refused_and_logged(void **state)
{
	struct fixture *f = *state;
	struct xdr_event ev = {sizeof(ev), 0, XDR_SEVERITY_INFO, "c", "d",
	                       NULL,       0};
	struct xdr_event_list list;
	char *log;

	assert_int_equal(f->a->emit_event(f->a->host, &ev), XDR_EINVAL);
	assert_int_equal(f->a->emit_event(f->a->host, NULL), XDR_EINVAL);
	assert_int_equal(xdr_event_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 0);
	xdr_event_list_free(&list);
	log = read_log(f);
	assert_non_null(strstr(log, "WARNING alpha: emit_event: event id must "
	                            "be > 0"));
	free(log);
}

static void log_lines_name_the_plugin_and_stay_one_line(void **state)
{
	struct fixture *f = *state;
	char *log;

	f->a->log(f->a->host, XDR_LOG_INFO, "hello\nforged line");
	f->b->log(f->b->host, XDR_LOG_DEBUG, NULL);
	log = read_log(f);
	assert_non_null(strstr(log, "Z INFO alpha: hello forged line\n"));
	assert_non_null(strstr(log, "Z DEBUG beta: \n"));
	assert_int_equal(log[4], '-');
	assert_int_equal(log[19], 'Z');
	free(log);
}

struct seen {
	int calls;
	int stop_at;
	char names[256];
	int64_t ids[8];
	size_t n_macs[8];
};

static int on_group(void *user, const struct xdr_group *g)
{
	struct seen *s = user;

	assert_int_equal(g->struct_size, sizeof(*g));
	s->ids[s->calls] = g->id;
	strcat(s->names, g->name);
	strcat(s->names, g->email ? "+" : "-");
	return ++s->calls == s->stop_at ? 42 : 0;
}

static int on_system(void *user, const struct xdr_system *sys)
{
	struct seen *s = user;

	assert_int_equal(sys->struct_size, sizeof(*sys));
	assert_true(sys->n_macs == 0 ? sys->macs == NULL : sys->macs != NULL);
	s->ids[s->calls] = sys->group_id;
	s->n_macs[s->calls] = sys->n_macs;
	strcat(s->names, sys->name);
	strcat(s->names, " ");
	return ++s->calls == s->stop_at ? 7 : 0;
}

static void model(struct fixture *f)
{
	const char *macs[] = {"18-5E-0F-ED-99-9A", "c4:7a:92:14:3d:78"};
	struct xdr_system_spec ws = {
	        "WS-01", "Default", XDR_OS_WINDOWS, XDR_SENSOR_AGENT, "9.3.0",
	        macs,    2};
	struct xdr_system_spec fw = {
	        "FW-01", "Lab", XDR_OS_OTHER, XDR_SENSOR_SYSLOG, NULL, NULL, 0};

	assert_int_equal(xdr_group_add(f->rt->db, "Default", "it@acme.example",
	                               NULL, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_group_add(f->rt->db, "Lab", NULL, NULL, NULL),
	                 XDR_OK);
	assert_int_equal(xdr_system_add(f->rt->db, &ws, NULL, NULL), XDR_OK);
	assert_int_equal(xdr_system_add(f->rt->db, &fw, NULL, NULL), XDR_OK);
}

static void groups_are_listed_in_id_order(void **state)
{
	struct fixture *f = *state;
	struct seen s;

	model(f);
	memset(&s, 0, sizeof(s));
	assert_int_equal(f->a->list_groups(f->a->host, on_group, &s), XDR_OK);
	assert_int_equal(s.calls, 2);
	assert_string_equal(s.names, "Default+Lab-");
	assert_int_equal(s.ids[0], 1);
	assert_int_equal(s.ids[1], 2);
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(f->a->list_groups(f->a->host, on_group, &s), 42);
	assert_int_equal(s.calls, 1);
	assert_int_equal(f->a->list_groups(f->a->host, NULL, &s), XDR_EINVAL);
}

static void systems_are_listed_all_or_by_group(void **state)
{
	struct fixture *f = *state;
	struct seen s;

	model(f);
	memset(&s, 0, sizeof(s));
	assert_int_equal(f->a->list_systems(f->a->host, 0, on_system, &s),
	                 XDR_OK);
	assert_string_equal(s.names, "WS-01 FW-01 ");
	assert_int_equal(s.n_macs[0], 2);
	assert_int_equal(s.n_macs[1], 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(f->a->list_systems(f->a->host, 2, on_system, &s),
	                 XDR_OK);
	assert_string_equal(s.names, "FW-01 ");
	assert_int_equal(s.ids[0], 2);
	memset(&s, 0, sizeof(s));
	s.stop_at = 1;
	assert_int_equal(f->a->list_systems(f->a->host, 0, on_system, &s), 7);
	assert_int_equal(f->a->list_systems(f->a->host, 99, on_system, &s),
	                 XDR_ENOTFOUND);
	assert_int_equal(f->a->list_systems(f->a->host, -1, on_system, &s),
	                 XDR_EINVAL);
}

struct report_seen {
	int calls;
	struct xdr_report copy;
	char title[64];
	char path[256];
	int64_t system;
};

static int on_report(void *user, const struct xdr_report *r)
{
	struct report_seen *s = user;

	s->calls++;
	s->copy = *r;
	snprintf(s->title, sizeof(s->title), "%s", r->title);
	snprintf(s->path, sizeof(s->path), "%s", r->file_path);
	s->system = r->n_system_ids ? r->system_ids[0] : 0;
	return 0;
}

static void a_report_is_handed_over_with_its_fields(void **state)
{
	struct fixture *f = *state;
	const char *systems[] = {"WS-01"};
	struct xdr_report_spec spec = {
	        "Daily", NULL,      "EDR Summary Reports", NULL, NULL, systems,
	        1,       1767247204};
	struct report_seen s;
	char *file = xdr_path_join(f->rt->home, "r.html");
	FILE *fp;
	int64_t id;

	model(f);
	assert_non_null(file);
	fp = fopen(file, "wb");
	assert_non_null(fp);
	fputs("<html></html>", fp);
	fclose(fp);
	spec.file = file;
	assert_int_equal(xdr_report_config_add(f->rt->db, "Daily", "Default",
	                                       true, NULL, NULL),
	                 XDR_OK);
	assert_int_equal(
	        xdr_report_generate(f->rt->db, f->rt->home, &spec, &id, NULL),
	        XDR_OK);
	memset(&s, 0, sizeof(s));
	assert_int_equal(f->a->get_report(f->a->host, id, on_report, &s),
	                 XDR_OK);
	assert_int_equal(s.calls, 1);
	assert_int_equal(s.copy.struct_size, sizeof(struct xdr_report));
	assert_int_equal(s.copy.id, id);
	assert_string_equal(s.title, "EDR Summary Reports");
	assert_int_equal(s.copy.publish_itglue, 1);
	assert_int_equal(s.copy.group_id, 1);
	assert_int_equal(s.copy.generated_at, 1767247204);
	assert_int_equal(s.copy.file_size, 13);
	assert_int_equal(s.copy.n_system_ids, 1);
	assert_int_equal(s.system, 1);
	assert_int_equal(access(s.path, R_OK), 0);
	assert_int_equal(f->a->get_report(f->a->host, id + 1, on_report, &s),
	                 XDR_ENOTFOUND);
	assert_int_equal(f->a->get_report(f->a->host, id, NULL, &s),
	                 XDR_EINVAL);
	free(file);
}

static void secrets_unseal_only_for_the_plugin_that_sealed_them(void **state)
{
	struct fixture *f = *state;
	char sealed[256], out[64], *key_path;
	size_t needed = 0, len = 0;
	struct stat st;

	key_path = xdr_path_join(f->rt->home, "seal.key");
	assert_non_null(key_path);
	/* The key is made when a plugin first needs it. */
	assert_int_not_equal(stat(key_path, &st), 0);
	assert_int_equal(f->a->seal(f->a->host, "api-key", 7, sealed,
	                            sizeof(sealed), &needed),
	                 XDR_OK);
	assert_int_equal(stat(key_path, &st), 0);
#if !OS_WIN32
	/* On Windows DPAPI protects the key, not the file's mode. */
	assert_int_equal(st.st_mode & 07777, 0600);
#endif
	assert_true(needed <= 3 * 7 + 64);
	assert_int_equal(
	        f->a->unseal(f->a->host, sealed, out, sizeof(out), &len),
	        XDR_OK);
	assert_int_equal(len, 7);
	assert_string_equal(out, "api-key");
	assert_int_equal(
	        f->b->unseal(f->b->host, sealed, out, sizeof(out), &len),
	        XDR_EINVAL);
	assert_int_equal(
	        f->a->seal(f->a->host, "api-key", 7, sealed, 10, &needed),
	        XDR_ERANGE);
	assert_int_equal(needed, xdr_seal_text_len(7) + 1);
	free(key_path);
}

static void a_key_file_others_can_read_is_not_used(void **state)
{
	struct fixture *f = *state;
	char *key_path, sealed[256], *log;
	FILE *fp;

#if OS_WIN32
	/* POSIX permission bits: Windows has no mode for the host to find
	 * too open; DPAPI protects the key there (see test_host_seal). */
	(void)f;
	(void)key_path;
	(void)sealed;
	(void)log;
	(void)fp;
	SKIP_BECAUSE("POSIX permission bits: a key file's mode cannot be too "
	             "open on Windows, where DPAPI protects the key");
#else
	key_path = xdr_path_join(f->rt->home, "seal.key");
	assert_non_null(key_path);
	fp = fopen(key_path, "w");
	assert_non_null(fp);
	fputs("0123456789abcdef0123456789abcdef", fp);
	fclose(fp);
	assert_int_equal(chmod(key_path, 0644), 0);
	assert_int_equal(
	        f->a->seal(f->a->host, "x", 1, sealed, sizeof(sealed), NULL),
	        XDR_ERROR);
	log = read_log(f);
	assert_non_null(strstr(log, "too open"));
	free(log);
	/* Fixed without a restart. */
	assert_int_equal(chmod(key_path, 0600), 0);
	assert_int_equal(
	        f->a->seal(f->a->host, "x", 1, sealed, sizeof(sealed), NULL),
	        XDR_OK);
	free(key_path);
#endif
}

#define THREADS           4
#define EVENTS_PER_THREAD 50

static int count_group(void *user, const struct xdr_group *g)
{
	(void)g;
	(*(int *)user)++;
	return 0;
}

/* A plugin's thread: its table, and whether a call failed. */
struct busy {
	const struct xdr_host_api *api;
	bool failed;
};

static void *busy_plugin_thread(void *arg)
{
	struct busy *b = arg;
	const struct xdr_host_api *api = b->api;
	struct xdr_event ev = {sizeof(ev), 9, XDR_SEVERITY_INFO, "t", "x",
	                       NULL,       0};
	char buf[256];

	b->failed = false;
	for (int i = 0; i < EVENTS_PER_THREAD; i++) {
		int groups = 0;

		if (api->emit_event(api->host, &ev) != XDR_OK ||
		    api->list_groups(api->host, count_group, &groups) !=
		            XDR_OK ||
		    groups != 2 ||
		    api->get_setting(api->host, "psa_rmm_integration", buf,
		                     sizeof(buf), NULL) != XDR_OK ||
		    api->seal(api->host, "s", 1, buf, sizeof(buf), NULL) !=
		            XDR_OK) {
			b->failed = true;
			return NULL;
		}
		api->log(api->host, XDR_LOG_DEBUG, "working");
	}
	return NULL;
}

static void services_are_safe_from_many_threads(void **state)
{
	struct fixture *f = *state;
	struct xdr_event_list list;
	os_thread t[THREADS];
	struct busy b[THREADS];

	model(f);
	for (int i = 0; i < THREADS; i++) {
		b[i].api = i % 2 ? f->a : f->b;
		assert_int_equal(
		        os_thread_start(&t[i], busy_plugin_thread, &b[i]), 0);
	}
	for (int i = 0; i < THREADS; i++) {
		os_thread_join(t[i]);
		assert_false(b[i].failed);
	}
	assert_int_equal(xdr_event_list(f->rt->db, 9, &list, NULL), XDR_OK);
	assert_int_equal(list.n, THREADS * EVENTS_PER_THREAD);
	xdr_event_list_free(&list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(the_table_declares_its_version_and_size),
	        T(each_plugin_has_a_private_state_directory),
	        T(a_short_buffer_gets_erange_and_the_size_needed),
	        T(settings_are_read_live),
	        T(the_host_stamps_events_with_source_and_time),
	        T(a_malformed_event_is_refused_and_logged),
	        T(log_lines_name_the_plugin_and_stay_one_line),
	        T(groups_are_listed_in_id_order),
	        T(systems_are_listed_all_or_by_group),
	        T(a_report_is_handed_over_with_its_fields),
	        T(secrets_unseal_only_for_the_plugin_that_sealed_them),
	        T(a_key_file_others_can_read_is_not_used),
	        T(services_are_safe_from_many_threads),
#undef T
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
