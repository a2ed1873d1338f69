/*
 * test_sandbox_router.c - route patterns: segments, :id parameters,
 * trailing slashes, and method + path together.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "sandbox.h"

static void matches_literal_paths(void **state)
{
	char p[2][32];

	(void)state;
	assert_true(sbx_route_match("/organizations", "/organizations", p));
	assert_true(sbx_route_match("/organizations", "/organizations/", p));
	assert_false(sbx_route_match("/organizations", "/organization", p));
	assert_false(sbx_route_match("/organizations", "/organizationsX", p));
	assert_false(sbx_route_match("/organizations", "/organizations/1", p));
	assert_false(sbx_route_match("/organizations", "organizations", p));
	assert_false(sbx_route_match("/organizations", "", p));
}

static void captures_parameters(void **state)
{
	char p[2][32];

	(void)state;
	assert_true(sbx_route_match("/organizations/:id/relationships/contacts",
	                            "/organizations/42/relationships/contacts",
	                            p));
	assert_string_equal(p[0], "42");
	assert_true(sbx_route_match("/a/:id/b/:id", "/a/x/b/y", p));
	assert_string_equal(p[0], "x");
	assert_string_equal(p[1], "y");
	assert_false(
	        sbx_route_match("/organizations/:id", "/organizations/", p));
	assert_false(
	        sbx_route_match("/organizations/:id", "/organizations/1/2", p));
	assert_false(sbx_route_match(
	        "/a/:id", "/a/0123456789012345678901234567890123456789", p));
}

static void a_route_is_method_and_path(void **state)
{
	char p[2][32];

	(void)state;
	assert_non_null(sbx_route_find("GET", "/flexible_assets/7", p));
	assert_non_null(sbx_route_find("PATCH", "/flexible_assets/7", p));
	assert_non_null(sbx_route_find("DELETE", "/flexible_assets/7", p));
	assert_null(sbx_route_find("DELETE", "/organizations/7", p));
	assert_null(sbx_route_find("GET", "/nowhere", p));
	assert_string_equal(
	        sbx_route_find("GET",
	                       "/configurations/9/relationships/"
	                       "configuration_interfaces",
	                       p)
	                ->pattern,
	        "/configurations/:id/relationships/configuration_interfaces");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(matches_literal_paths),
	        cmocka_unit_test(captures_parameters),
	        cmocka_unit_test(a_route_is_method_and_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
