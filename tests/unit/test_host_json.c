/*
 * test_host_json.c - the --json renderings, key for key as documented in
 * host-sdk/README.md, and the strict JSON parser.
 */
#include "config.h"

#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

static void assert_renders(struct json_object *obj, const char *want)
{
	assert_non_null(obj);
	assert_string_equal(
	        json_object_to_json_string_ext(
	                obj, JSON_C_TO_STRING_PLAIN |
	                             JSON_C_TO_STRING_NOSLASHESCAPE),
	        want);
	json_object_put(obj);
}

static void groups_render_as_documented(void **state)
{
	struct xdr_group_rec items[] = {{1, "Default", "it@acme.example"},
	                                {2, "Lab", NULL}};
	struct xdr_group_list list = {items, 2};

	(void)state;
	assert_renders(
	        xdr_json_groups(&list),
	        "[{\"id\":1,\"name\":\"Default\",\"email\":\"it@acme."
	        "example\"},{\"id\":2,\"name\":\"Lab\",\"email\":null}]");
	list.n = 0;
	assert_renders(xdr_json_groups(&list), "[]");
}

static void systems_render_as_documented(void **state)
{
	char *macs[] = {"18-5E-0F-ED-99-9A"};
	struct xdr_system_rec items[] = {
	        {1, "WS-01", 1, "Default", XDR_OS_WINDOWS, XDR_SENSOR_AGENT,
	         "9.3.0", macs, 1},
	        {2, "FW-01", 1, "Default", XDR_OS_OTHER, XDR_SENSOR_SYSLOG,
	         NULL, NULL, 0}};
	struct xdr_system_list list = {items, 2};

	(void)state;
	assert_renders(
	        xdr_json_systems(&list),
	        "[{\"id\":1,\"name\":\"WS-01\",\"group_id\":1,\"group\":"
	        "\"Default\",\"os\":\"windows\",\"sensor\":\"agent\","
	        "\"agent_version\":\"9.3.0\",\"macs\":[\"18-5E-0F-ED-99-9A\"]},"
	        "{\"id\":2,\"name\":\"FW-01\",\"group_id\":1,\"group\":"
	        "\"Default\",\"os\":\"other\",\"sensor\":\"syslog\","
	        "\"agent_version\":null,\"macs\":[]}]");
}

static void report_configs_render_as_documented(void **state)
{
	struct xdr_report_config_rec items[] = {
	        {1, "Daily EDR", 1, "Default", true}};
	struct xdr_report_config_list list = {items, 1};

	(void)state;
	assert_renders(xdr_json_report_configs(&list),
	               "[{\"id\":1,\"name\":\"Daily EDR\",\"group\":"
	               "\"Default\",\"publish_itglue\":true}]");
}

static void reports_render_as_documented(void **state)
{
	char *systems[] = {"WS-01"};
	int64_t ids[] = {1};
	struct xdr_report_rec items[] = {{
	        .id = 1,
	        .title = "EDR Summary Reports",
	        .type = "Security Summary",
	        .config = "Daily EDR",
	        .group_id = 1,
	        .group = "Default",
	        .publish_itglue = true,
	        .generated_at = 1795845604,
	        .file_path = "/home/x/reports/1/x.html",
	        .file_name = "x.html",
	        .size = 19234,
	        .system_ids = ids,
	        .systems = systems,
	        .n_systems = 1,
	}};
	struct xdr_report_list list = {items, 1};

	(void)state;
	assert_renders(
	        xdr_json_reports(&list),
	        "[{\"id\":1,\"title\":\"EDR Summary Reports\",\"type\":"
	        "\"Security Summary\",\"config\":\"Daily EDR\",\"group\":"
	        "\"Default\",\"publish_itglue\":true,\"generated_at\":"
	        "\"2026-11-28T06:00:04Z\",\"file\":\"/home/x/reports/1/"
	        "x.html\","
	        "\"file_name\":\"x.html\",\"size\":19234,\"systems\":"
	        "[\"WS-01\"]}]");
	items[0].config = NULL;
	items[0].n_systems = 0;
	items[0].publish_itglue = false;
	assert_renders(
	        xdr_json_reports(&list),
	        "[{\"id\":1,\"title\":\"EDR Summary Reports\",\"type\":"
	        "\"Security Summary\",\"config\":null,\"group\":\"Default\","
	        "\"publish_itglue\":false,\"generated_at\":"
	        "\"2026-11-28T06:00:04Z\",\"file\":\"/home/x/reports/1/"
	        "x.html\","
	        "\"file_name\":\"x.html\",\"size\":19234,\"systems\":[]}]");
}

static void events_render_as_documented(void **state)
{
	struct xdr_event_rec items[] = {
	        {1, 4018, 1795845604, "warning", "itglue", "IT Glue",
	         "Auto-map failed", "{\"group\":\"x\",\"domain\":\"a.b\"}"},
	        {2, 4021, 1795845605, "info", "itglue", "IT Glue", "Uploaded",
	         "not an object"}};
	struct xdr_event_list list = {items, 2};

	(void)state;
	assert_renders(
	        xdr_json_events(&list),
	        "[{\"seq\":1,\"id\":4018,\"time\":\"2026-11-28T06:00:04Z\","
	        "\"severity\":\"warning\",\"source\":\"itglue\",\"category\":"
	        "\"IT Glue\",\"description\":\"Auto-map failed\",\"fields\":"
	        "{\"group\":\"x\",\"domain\":\"a.b\"}},{\"seq\":2,\"id\":4021,"
	        "\"time\":\"2026-11-28T06:00:05Z\",\"severity\":\"info\","
	        "\"source\":\"itglue\",\"category\":\"IT Glue\","
	        "\"description\":\"Uploaded\",\"fields\":{}}]");
}

static void plugins_render_as_documented(void **state)
{
	struct xdr_plugin_rec items[2];
	struct xdr_plugins set = {"/p", items, 2};

	(void)state;
	memset(items, 0, sizeof(items));
	items[0].file = "itglue.so";
	items[0].name = "itglue";
	items[0].version = "0.1.0";
	items[0].description = "IT Glue";
	items[0].abi_major = 1;
	items[0].abi_minor = 0;
	items[0].loaded = true;
	items[1].file = "junk.so";
	items[1].abi_major = items[1].abi_minor = -1;
	items[1].error = "not a loadable library: file too short";
	assert_renders(
	        xdr_json_plugins(&set),
	        "[{\"file\":\"itglue.so\",\"name\":\"itglue\",\"version\":"
	        "\"0.1.0\",\"abi\":\"1.0\",\"loaded\":true,\"error\":null,"
	        "\"description\":\"IT Glue\"},{\"file\":\"junk.so\",\"name\":"
	        "null,\"version\":null,\"abi\":null,\"loaded\":false,\"error\":"
	        "\"not a loadable library: file too short\",\"description\":"
	        "null}]");
}

static void a_page_renders_as_documented(void **state)
{
	struct xdr_group_rec items[] = {{3, "Lab", NULL}};
	struct xdr_group_list list = {items, 1};

	(void)state;
	assert_renders(xdr_json_page(120, 2, 1, xdr_json_groups(&list)),
	               "{\"total\":120,\"offset\":2,\"limit\":1,\"items\":"
	               "[{\"id\":3,\"name\":\"Lab\",\"email\":null}]}");
}

static void a_page_without_items_is_no_page(void **state)
{
	(void)state;
	assert_null(xdr_json_page(0, 0, 25, NULL));
}

static void parses_one_document_and_nothing_more(void **state)
{
	struct json_object *obj = NULL;
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_json_parse("{\"a\": [1, 2]}", 13, 8, &obj, NULL),
	                 XDR_OK);
	assert_true(json_object_is_type(obj, json_type_object));
	json_object_put(obj);
	assert_int_equal(xdr_json_parse(" 42 \n", 5, 8, &obj, NULL), XDR_OK);
	assert_int_equal(json_object_get_int(obj), 42);
	json_object_put(obj);
	assert_int_equal(xdr_json_parse("null", 4, 8, &obj, NULL), XDR_OK);
	assert_null(obj);
	assert_int_equal(xdr_json_parse("{} x", 4, 8, &obj, &err), XDR_EINVAL);
	assert_int_equal(xdr_json_parse("{\"a\":", 5, 8, &obj, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "invalid JSON at offset 5: unexpected end of data");
	assert_int_equal(xdr_json_parse("  ", 2, 8, &obj, &err), XDR_EINVAL);
	assert_string_equal(err.msg, "empty JSON document");
	assert_int_equal(
	        xdr_json_parse("{\"a\":\"\\u0000\"}\0x", 16, 8, &obj, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg, "JSON text contains a NUL byte");
	assert_int_equal(xdr_json_parse("[[[[1]]]]", 9, 3, &obj, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_json_parse("\"\xff\"", 3, 8, &obj, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_json_parse("[1,]", 4, 8, &obj, NULL), XDR_EINVAL);
}

/* The LEN bytes given and not one more: what follows them in memory is no
 * part of the document (a buffer read from a pack or a file need not end
 * in a NUL). */
static void parses_exactly_the_bytes_given(void **state)
{
	struct json_object *obj = NULL;
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_json_parse("75", 1, 8, &obj, &err), XDR_OK);
	assert_int_equal(json_object_get_int(obj), 7);
	json_object_put(obj);
	assert_int_equal(xdr_json_parse("{\"a\": 1}}", 8, 8, &obj, &err),
	                 XDR_OK);
	json_object_put(obj);
	assert_int_equal(xdr_json_parse("[1, 2]", 5, 8, &obj, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "invalid JSON at offset 5: unexpected end of data");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(groups_render_as_documented),
	        cmocka_unit_test(systems_render_as_documented),
	        cmocka_unit_test(report_configs_render_as_documented),
	        cmocka_unit_test(reports_render_as_documented),
	        cmocka_unit_test(events_render_as_documented),
	        cmocka_unit_test(plugins_render_as_documented),
	        cmocka_unit_test(a_page_renders_as_documented),
	        cmocka_unit_test(a_page_without_items_is_no_page),
	        cmocka_unit_test(parses_one_document_and_nothing_more),
	        cmocka_unit_test(parses_exactly_the_bytes_given),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
