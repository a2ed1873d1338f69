/*
 * test_console_routes.c - the console's route table and its matcher: each
 * route found by an example path with its param, 404 and 405 with Allow,
 * and the table's invariants (sessions, CSRF tokens, bodies).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handlers.h"
#include "routes.h"

struct example {
	const char *method;
	const char *path;
	const char *pattern; /* of the route it must find */
	const char *param;   /* "" for none */
};

/* One request per route of handlers.h. */
static const struct example examples[] = {
        {"POST", "/api/login", "/api/login", ""},
        {"POST", "/api/logout", "/api/logout", ""},
        {"GET", "/api/session", "/api/session", ""},
        {"GET", "/api/settings/psa_rmm_integration", "/api/settings/:key",
         "psa_rmm_integration"},
        {"PUT", "/api/settings/psa_rmm_integration", "/api/settings/:key",
         "psa_rmm_integration"},
        {"GET", "/api/plugins", "/api/plugins", ""},
        {"GET", "/api/groups", "/api/groups", ""},
        {"GET", "/api/systems", "/api/systems", ""},
        {"GET", "/api/report-configs", "/api/report-configs", ""},
        {"POST", "/api/report-configs", "/api/report-configs", ""},
        {"PUT", "/api/report-configs/7", "/api/report-configs/:id", "7"},
        {"GET", "/api/reports", "/api/reports", ""},
        {"POST", "/api/reports", "/api/reports", ""},
        {"GET", "/api/events", "/api/events", ""},
        {"GET", "/api/dashboards", "/api/dashboards", ""},
        {"GET", "/dashboards/IT%20Glue%20-%20Report%20uploaded",
         "/dashboards/:name", "IT Glue - Report uploaded"},
        {"GET", "/api/itglue/status", "/api/itglue/status", ""},
        {"GET", "/api/itglue/instances", "/api/itglue/instances", ""},
        {"POST", "/api/itglue/instances", "/api/itglue/instances", ""},
        {"PUT", "/api/itglue/instances/Demo", "/api/itglue/instances/:inst",
         "Demo"},
        {"DELETE", "/api/itglue/instances/3", "/api/itglue/instances/:inst",
         "3"},
        {"PUT", "/api/itglue/instances/Demo/groups",
         "/api/itglue/instances/:inst/groups", "Demo"},
        {"POST", "/api/itglue/instances/Demo/test",
         "/api/itglue/instances/:inst/test", "Demo"},
        {"POST", "/api/itglue/instances/Demo/import-preview",
         "/api/itglue/instances/:inst/import-preview", "Demo"},
        {"POST", "/api/itglue/instances/Demo/import",
         "/api/itglue/instances/:inst/import", "Demo"},
        {"GET", "/api/itglue/instances/Demo/imported",
         "/api/itglue/instances/:inst/imported", "Demo"},
        {"GET", "/api/itglue/instances/Demo/mappings",
         "/api/itglue/instances/:inst/mappings", "Demo"},
        {"POST", "/api/itglue/automap", "/api/itglue/automap", ""},
        {"GET", "/api/itglue/jobs/42", "/api/itglue/jobs/:id", "42"},
        {"POST", "/api/itglue/map", "/api/itglue/map", ""},
        {"POST", "/api/itglue/unmap", "/api/itglue/unmap", ""},
        {"GET", "/api/itglue/publish-check", "/api/itglue/publish-check", ""},
        {"POST", "/api/itglue/publish", "/api/itglue/publish", ""},
        {"GET", "/api/itglue/outbox", "/api/itglue/outbox", ""},
        {"POST", "/api/itglue/outbox/retry", "/api/itglue/outbox/retry", ""},
        {"GET", "/api/itglue/config", "/api/itglue/config", ""},
        {"PUT", "/api/itglue/config", "/api/itglue/config", ""},
        {"GET", "/", "/", ""},
        {"GET", "/assets/js/screens/login.js", "/assets/*path",
         "js/screens/login.js"},
};

/* Every handler handlers.h declares. */
static const xcon_handler handlers[] = {
        xcon_api_login,
        xcon_api_logout,
        xcon_api_session,
        xcon_api_setting_get,
        xcon_api_setting_put,
        xcon_api_plugins,
        xcon_api_groups,
        xcon_api_systems,
        xcon_api_report_configs,
        xcon_api_report_config_add,
        xcon_api_report_config_update,
        xcon_api_reports,
        xcon_api_report_generate,
        xcon_api_events,
        xcon_api_dashboards,
        xcon_page_dashboard,
        xcon_api_itglue_status,
        xcon_api_itglue_instances,
        xcon_api_itglue_instance_add,
        xcon_api_itglue_instance_update,
        xcon_api_itglue_instance_remove,
        xcon_api_itglue_instance_groups,
        xcon_api_itglue_instance_test,
        xcon_api_itglue_import_preview,
        xcon_api_itglue_import,
        xcon_api_itglue_imported,
        xcon_api_itglue_mappings,
        xcon_api_itglue_automap,
        xcon_api_itglue_job,
        xcon_api_itglue_map,
        xcon_api_itglue_unmap,
        xcon_api_itglue_publish_check,
        xcon_api_itglue_publish,
        xcon_api_itglue_outbox,
        xcon_api_itglue_outbox_retry,
        xcon_api_itglue_config_get,
        xcon_api_itglue_config_put,
        xcon_asset,
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static enum xcon_match match(const char *method, const char *path,
                             const struct xcon_route **r, char *param,
                             char *allow)
{
	return xcon_route_match(method, path, r, param, allow);
}

static bool is_login(const struct xcon_route *r)
{
	return !strcmp(r->method, "POST") && !strcmp(r->pattern, "/api/login");
}

/* ---- matching ----------------------------------------------------------- */

static void each_example_finds_its_route_and_param(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	for (size_t i = 0; i < N(examples); i++) {
		const struct example *e = &examples[i];

		print_message("# %s %s\n", e->method, e->path);
		assert_int_equal(match(e->method, e->path, &r, param, allow),
		                 XCON_MATCH_OK);
		assert_string_equal(r->method, e->method);
		assert_string_equal(r->pattern, e->pattern);
		assert_string_equal(param, e->param);
	}
}

static void every_route_has_an_example(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		bool found = false;

		for (size_t j = 0; j < N(examples) && !found; j++)
			found = !strcmp(examples[j].method,
			                xcon_routes[i].method) &&
			        !strcmp(examples[j].pattern,
			                xcon_routes[i].pattern);
		print_message("# %s %s\n", xcon_routes[i].method,
		              xcon_routes[i].pattern);
		assert_true(found);
	}
}

static void head_finds_the_get_route(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("HEAD", "/api/itglue/status", &r, param, allow),
	                 XCON_MATCH_OK);
	assert_string_equal(r->method, "GET");
}

static void a_param_is_percent_decoded(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("PUT", "/api/itglue/instances/Acme%2FEU%20one",
	                       &r, param, allow),
	                 XCON_MATCH_OK);
	assert_string_equal(param, "Acme/EU one");
}

static void a_plus_in_a_path_stays_a_plus(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("GET", "/api/itglue/jobs/a+b", &r, param, allow),
	                 XCON_MATCH_OK);
	assert_string_equal(param, "a+b");
}

static void an_unknown_path_is_not_found(void **state)
{
	static const char *const paths[] = {
	        "/api/nothing",
	        "/api",
	        "/api/",
	        "/api/itglue/instances/",   /* an empty segment */
	        "/api/itglue/instances//x", /* an empty segment */
	        "/api/itglue/instances/a/b",
	        "/api/itglue/jobs",
	        "/assets",
	        "/assets/",
	        "/assets//js/app.js",
	        "/assets/js//app.js",
	        "/assets/js/",
	        "/index.html",
	        "",
	        "//",
	};
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	for (size_t i = 0; i < N(paths); i++) {
		print_message("# GET '%s'\n", paths[i]);
		assert_int_equal(match("GET", paths[i], &r, param, allow),
		                 XCON_MATCH_NOT_FOUND);
		assert_null(r);
	}
}

static void a_param_that_does_not_decode_is_not_found(void **state)
{
	static const char *const paths[] = {
	        "/api/itglue/jobs/%zz",
	        "/api/itglue/jobs/%4",
	        "/api/itglue/jobs/a%00b",
	};
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	for (size_t i = 0; i < N(paths); i++)
		assert_int_equal(match("GET", paths[i], &r, param, allow),
		                 XCON_MATCH_NOT_FOUND);
}

static void a_param_longer_than_the_limit_is_not_found(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	char path[XCON_PARAM_MAX + 64];
	const struct xcon_route *r;

	(void)state;
	strcpy(path, "/api/itglue/jobs/");
	memset(path + strlen(path), 'x', XCON_PARAM_MAX);
	path[strlen("/api/itglue/jobs/") + XCON_PARAM_MAX] = '\0';
	assert_int_equal(match("GET", path, &r, param, allow),
	                 XCON_MATCH_NOT_FOUND);
}

static void another_method_is_405_with_the_paths_methods(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(
	        match("DELETE", "/api/itglue/instances", &r, param, allow),
	        XCON_MATCH_BAD_METHOD);
	assert_string_equal(allow, "GET, POST");
	assert_null(r);
}

static void allow_lists_a_param_paths_methods(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(
	        match("POST", "/api/itglue/instances/Demo", &r, param, allow),
	        XCON_MATCH_BAD_METHOD);
	assert_string_equal(allow, "PUT, DELETE");
}

static void a_get_of_login_is_405(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("GET", "/api/login", &r, param, allow),
	                 XCON_MATCH_BAD_METHOD);
	assert_string_equal(allow, "POST");
}

static void an_unknown_method_is_405(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("PATCH", "/api/itglue/config", &r, param, allow),
	                 XCON_MATCH_BAD_METHOD);
	assert_string_equal(allow, "GET, PUT");
}

static void get_and_head_are_the_safe_methods(void **state)
{
	(void)state;
	assert_true(xcon_method_safe("GET"));
	assert_true(xcon_method_safe("HEAD"));
	assert_false(xcon_method_safe("POST"));
	assert_false(xcon_method_safe("PUT"));
	assert_false(xcon_method_safe("DELETE"));
	assert_false(xcon_method_safe("OPTIONS"));
}

/* ---- the table's invariants --------------------------------------------- */

static void every_route_but_login_and_assets_needs_a_session(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const struct xcon_route *r = &xcon_routes[i];
		bool open = is_login(r) || r->handler == xcon_asset;

		print_message("# %s %s\n", r->method, r->pattern);
		assert_int_equal(!(r->flags & XCON_NEED_SESSION), open);
	}
}

static void every_write_but_login_needs_the_csrf_token(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const struct xcon_route *r = &xcon_routes[i];

		print_message("# %s %s\n", r->method, r->pattern);
		if (xcon_method_safe(r->method))
			assert_false(r->flags & XCON_NEED_CSRF);
		else if (!is_login(r))
			assert_true(r->flags & XCON_NEED_CSRF);
		else
			assert_false(r->flags & XCON_NEED_CSRF);
	}
}

static void only_get_routes_serve_assets(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++)
		if (xcon_routes[i].handler == xcon_asset)
			assert_string_equal(xcon_routes[i].method, "GET");
}

static void gets_and_deletes_take_no_body(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const struct xcon_route *r = &xcon_routes[i];

		if (!strcmp(r->method, "GET") || !strcmp(r->method, "DELETE")) {
			print_message("# %s %s\n", r->method, r->pattern);
			assert_int_equal(r->max_body, 0);
			assert_null(r->media);
		}
	}
}

static void posts_and_puts_take_json_of_at_most_1_mib(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const struct xcon_route *r = &xcon_routes[i];

		if (strcmp(r->method, "POST") && strcmp(r->method, "PUT"))
			continue;
		if (!strcmp(r->pattern, "/api/reports"))
			continue; /* the report upload, below */
		print_message("# %s %s\n", r->method, r->pattern);
		assert_non_null(r->media);
		assert_string_equal(r->media, "application/json");
		assert_in_range(r->max_body, 1, XCON_BODY_JSON);
	}
}

static void the_login_body_is_small(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("POST", "/api/login", &r, param, allow),
	                 XCON_MATCH_OK);
	assert_int_equal(r->max_body, XCON_BODY_LOGIN);
	assert_true(r->max_body < 64 * 1024);
}

static void a_report_upload_is_html_of_at_most_32_mib(void **state)
{
	char param[XCON_PARAM_MAX], allow[XCON_ALLOW_MAX];
	const struct xcon_route *r;

	(void)state;
	assert_int_equal(match("POST", "/api/reports", &r, param, allow),
	                 XCON_MATCH_OK);
	assert_string_equal(r->media, "text/html");
	assert_int_equal(r->max_body, 32 * 1024 * 1024);
}

static void every_handler_has_a_route(void **state)
{
	(void)state;
	for (size_t h = 0; h < N(handlers); h++) {
		bool found = false;

		for (size_t i = 0; i < xcon_n_routes && !found; i++)
			found = xcon_routes[i].handler == handlers[h];
		print_message("# handler %zu\n", h);
		assert_true(found);
	}
}

static void no_method_and_pattern_is_there_twice(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++)
		for (size_t j = i + 1; j < xcon_n_routes; j++)
			assert_false(!strcmp(xcon_routes[i].method,
			                     xcon_routes[j].method) &&
			             !strcmp(xcon_routes[i].pattern,
			                     xcon_routes[j].pattern));
}

static void a_pattern_has_at_most_one_param(void **state)
{
	(void)state;
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const char *p = xcon_routes[i].pattern;
		size_t n = 0;

		for (; *p; p++)
			n += (*p == ':' || *p == '*') && p[-1] == '/';
		assert_in_range(n, 0, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(each_example_finds_its_route_and_param),
	        cmocka_unit_test(every_route_has_an_example),
	        cmocka_unit_test(head_finds_the_get_route),
	        cmocka_unit_test(a_param_is_percent_decoded),
	        cmocka_unit_test(a_plus_in_a_path_stays_a_plus),
	        cmocka_unit_test(an_unknown_path_is_not_found),
	        cmocka_unit_test(a_param_that_does_not_decode_is_not_found),
	        cmocka_unit_test(a_param_longer_than_the_limit_is_not_found),
	        cmocka_unit_test(another_method_is_405_with_the_paths_methods),
	        cmocka_unit_test(allow_lists_a_param_paths_methods),
	        cmocka_unit_test(a_get_of_login_is_405),
	        cmocka_unit_test(an_unknown_method_is_405),
	        cmocka_unit_test(get_and_head_are_the_safe_methods),
	        cmocka_unit_test(
	                every_route_but_login_and_assets_needs_a_session),
	        cmocka_unit_test(every_write_but_login_needs_the_csrf_token),
	        cmocka_unit_test(only_get_routes_serve_assets),
	        cmocka_unit_test(gets_and_deletes_take_no_body),
	        cmocka_unit_test(posts_and_puts_take_json_of_at_most_1_mib),
	        cmocka_unit_test(the_login_body_is_small),
	        cmocka_unit_test(a_report_upload_is_html_of_at_most_32_mib),
	        cmocka_unit_test(every_handler_has_a_route),
	        cmocka_unit_test(no_method_and_pattern_is_there_twice),
	        cmocka_unit_test(a_pattern_has_at_most_one_param),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
