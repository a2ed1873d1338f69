/*
 * test_plugin_admin_lists.c - the list actions the console pages through:
 * "mappings" with a page, "imported.list" and "outbox.list", through the
 * real descriptor on the in-memory host (groups 1 "Default" and 2
 * "Globex", systems 1 "WS-01" in group 1 and 2 "FW-01" in group 2).
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

#include <cmocka.h>
#include <json.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "itglue.h"
#include "mock_host.h"
#include "store.h"
#include "text_test.h"

/* Built into this test from plugin/entry.c. */
const struct xdr_plugin *xdr_plugin_entry(void);

struct fixture {
	struct mock_host *host;
	const struct xdr_plugin *desc;
	void *state;
};

static struct json_object *call(struct fixture *f, const char *action,
                                const char *request, int *rc);

/* The plugin on, with instance 1 "Acme" serving both groups. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct json_object *obj;
	char err[256];
	int rc;

	if (f == NULL)
		return -1;
	f->host = mock_host_new();
	f->desc = xdr_plugin_entry();
	if (f->host == NULL || f->desc->init(mock_host_api(f->host), &f->state,
	                                     err, sizeof(err)) != XDR_OK) {
		mock_host_free(f->host);
		free(f);
		return -1;
	}
	mock_host_set_setting(f->host, "psa_rmm_integration", "on");
	obj = call(f, "instance.add",
	           "{\"name\": \"Acme\", \"url\": \"https://127.0.0.1:1\","
	           " \"api_key\": \"ITG.k\"}",
	           &rc);
	json_object_put(obj);
	if (rc != XDR_OK)
		return -1;
	obj = call(f, "instance.groups",
	           "{\"instance\": \"Acme\", \"groups\": [1, 2]}", &rc);
	json_object_put(obj);
	if (rc != XDR_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	f->desc->shutdown(f->state);
	mock_host_free(f->host);
	free(f);
	return 0;
}

static struct itg_store *store_of(struct fixture *f)
{
	return ((struct itg_plugin *)f->state)->store;
}

/* Call the action; check the answer is one compact JSON object of UTF-8. */
static struct json_object *call(struct fixture *f, const char *action,
                                const char *request, int *rc)
{
	struct json_object *obj;
	char *response = NULL;

	*rc = f->desc->on_admin_action(f->state, action, request, &response);
	assert_non_null(response);
	assert_null(strchr(response, '\n'));
	assert_true(test_utf8_valid(response));
	obj = json_tokener_parse(response);
	f->desc->free(response);
	assert_non_null(obj);
	assert_true(json_object_is_type(obj, json_type_object));
	return obj;
}

static struct json_object *member(struct json_object *obj, const char *key)
{
	struct json_object *val = NULL;

	if (!json_object_object_get_ex(obj, key, &val))
		return NULL;
	return val;
}

static const char *str(struct json_object *obj, const char *key)
{
	return json_object_get_string(member(obj, key));
}

static struct json_object *item(struct json_object *obj, size_t i)
{
	return json_object_array_get_idx(member(obj, "items"), i);
}

static size_t n_items(struct json_object *obj)
{
	return json_object_array_length(member(obj, "items"));
}

/* An answer of ACTION that succeeds. */
static struct json_object *ok(struct fixture *f, const char *action,
                              const char *request)
{
	int rc;
	struct json_object *obj = call(f, action, request, &rc);

	assert_int_equal(rc, XDR_OK);
	assert_null(member(obj, "error"));
	return obj;
}

/* ACTION with REQUEST is refused with STATUS, CODE and a message holding
 * TEXT. */
static void refused(struct fixture *f, const char *action, const char *request,
                    int status, const char *code, const char *text)
{
	int rc;
	struct json_object *obj = call(f, action, request, &rc);
	struct json_object *error = member(obj, "error");

	assert_int_equal(rc, status);
	assert_non_null(error);
	assert_string_equal(str(error, "code"), code);
	assert_non_null(strstr(str(error, "message"), text));
	json_object_put(obj);
}

static void sql(struct fixture *f, const char *statement, const char *types,
                ...)
{
	char err[256];
	va_list ap;
	int rc;

	/* itg_store_exec() takes its values as arguments: one per type. */
	va_start(ap, types);
	if (types[0] == '\0')
		rc = itg_store_exec(store_of(f), err, sizeof(err), statement,
		                    "");
	else if (strcmp(types, "t") == 0)
		rc = itg_store_exec(store_of(f), err, sizeof(err), statement,
		                    "t", va_arg(ap, const char *));
	else if (strcmp(types, "tt") == 0) {
		const char *a = va_arg(ap, const char *);
		const char *b = va_arg(ap, const char *);

		rc = itg_store_exec(store_of(f), err, sizeof(err), statement,
		                    "tt", a, b);
	} else {
		fail_msg("no such types: %s", types);
		rc = XDR_ERROR;
	}
	va_end(ap);
	assert_true(rc >= 0);
}

/* ---- mappings ---- */

static void test_mappings_of_an_instance_alone_answer_everything(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj = ok(f, "mappings", "{\"instance\": \"Acme\"}");

	assert_int_equal(json_object_object_length(obj), 3);
	assert_string_equal(str(obj, "instance"), "Acme");
	assert_int_equal(json_object_array_length(member(obj, "groups")), 2);
	assert_int_equal(json_object_array_length(member(obj, "systems")), 2);
	json_object_put(obj);
}

static void test_mappings_unpaged_keep_names_as_stored(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	sql(f,
	    "INSERT INTO group_mappings (instance_id, group_id,"
	    " organization_id, organization_name, source, stale, updated_at)"
	    " VALUES (1, 1, '7', ?1, 'manual', 0, 1)",
	    "t", "Two\nLines");
	obj = ok(f, "mappings", "{\"instance\": \"Acme\"}");
	assert_string_equal(
	        str(json_object_array_get_idx(member(obj, "groups"), 0),
	            "organization"),
	        "Two\nLines");
	json_object_put(obj);
}

static void test_mappings_page_of_groups(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"groups\"}");

	assert_int_equal(json_object_object_length(obj), 6);
	assert_string_equal(str(obj, "instance"), "Acme");
	assert_string_equal(str(obj, "kind"), "groups");
	assert_int_equal(json_object_get_int(member(obj, "total")), 2);
	assert_int_equal(json_object_get_int(member(obj, "offset")), 0);
	assert_int_equal(json_object_get_int(member(obj, "limit")), 100);
	assert_int_equal(n_items(obj), 2);
	assert_string_equal(str(item(obj, 0), "name"), "Default");
	assert_string_equal(str(item(obj, 0), "state"), "unmapped");
	assert_string_equal(str(item(obj, 1), "name"), "Globex");
	json_object_put(obj);
}

static void test_mappings_page_of_systems_from_an_offset(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"offset\": 1, \"limit\": 1}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 2);
	assert_int_equal(json_object_get_int(member(obj, "offset")), 1);
	assert_int_equal(json_object_get_int(member(obj, "limit")), 1);
	assert_int_equal(n_items(obj), 1);
	assert_string_equal(str(item(obj, 0), "name"), "FW-01");
	assert_string_equal(str(item(obj, 0), "group"), "Globex");
	json_object_put(obj);
}

static void test_mappings_page_past_the_end_is_empty(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"offset\": 5}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 2);
	assert_int_equal(n_items(obj), 0);
	json_object_put(obj);
}

static void test_mappings_systems_of_one_group_by_name(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"group\": \"Globex\"}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "name"), "FW-01");
	json_object_put(obj);
}

static void test_mappings_systems_of_one_group_by_id(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"group\": 1}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "name"), "WS-01");
	json_object_put(obj);
}

static void test_mappings_filter_by_state(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	sql(f,
	    "INSERT INTO group_mappings (instance_id, group_id,"
	    " organization_id, organization_name, source, stale, updated_at)"
	    " VALUES (1, 2, '7', ?1, 'manual', 0, 1)",
	    "t", "Globex Corp");
	obj = ok(f, "mappings",
	         "{\"instance\": \"Acme\", \"kind\": \"groups\","
	         " \"state\": \"mapped\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "name"), "Globex");
	assert_string_equal(str(item(obj, 0), "organization"), "Globex Corp");
	json_object_put(obj);
}

static void test_mappings_filter_needs_manual_systems(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"state\": \"needs_manual\"}");

	/* FW-01 is no agent and has no MAC. */
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "name"), "FW-01");
	json_object_put(obj);
}

static void test_mappings_q_matches_names_in_any_case(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj =
	        ok(f, "mappings",
	           "{\"instance\": \"Acme\", \"kind\": \"systems\","
	           " \"q\": \"ws-\"}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "name"), "WS-01");
	json_object_put(obj);
}

static void test_mappings_page_shows_values_as_one_line(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	sql(f,
	    "INSERT INTO group_mappings (instance_id, group_id,"
	    " organization_id, organization_name, source, stale, updated_at)"
	    " VALUES (1, 1, '7', ?1, 'manual', 0, 1)",
	    "t", "Two\nLines\xff");
	obj = ok(f, "mappings",
	         "{\"instance\": \"Acme\", \"kind\": \"groups\"}");
	assert_string_equal(str(item(obj, 0), "organization"),
	                    "Two Lines\xef\xbf\xbd");
	json_object_put(obj);
}

static void test_mappings_page_needs_a_kind(void **state)
{
	refused(*state, "mappings", "{\"instance\": \"Acme\", \"limit\": 5}",
	        XDR_EINVAL, "bad_request", "needs \"kind\"");
}

static void test_mappings_page_refuses_an_unknown_kind(void **state)
{
	refused(*state, "mappings",
	        "{\"instance\": \"Acme\", \"kind\": \"users\"}", XDR_EINVAL,
	        "bad_request", "\"kind\" must be");
}

static void test_mappings_page_refuses_an_unknown_state(void **state)
{
	refused(*state, "mappings",
	        "{\"instance\": \"Acme\", \"kind\": \"groups\","
	        " \"state\": \"happy\"}",
	        XDR_EINVAL, "bad_request", "\"state\" must be one of");
}

static void test_mappings_refuse_unknown_members(void **state)
{
	refused(*state, "mappings",
	        "{\"instance\": \"Acme\", \"kind\": \"groups\", \"page\": 2}",
	        XDR_EINVAL, "bad_request", "\"page\" is not one of them");
}

static void test_mappings_page_refuses_a_group_not_served(void **state)
{
	refused(*state, "mappings",
	        "{\"instance\": \"Acme\", \"kind\": \"systems\","
	        " \"group\": 99}",
	        XDR_ENOTFOUND, "not_found", "is not a group instance");
}

/* ---- limits, offsets (every list the same) ---- */

static void test_lists_refuse_a_limit_of_zero(void **state)
{
	refused(*state, "outbox.list", "{\"limit\": 0}", XDR_EINVAL,
	        "bad_request", "\"limit\" must be an integer from 1 to 1000");
}

static void test_lists_refuse_a_limit_over_1000(void **state)
{
	refused(*state, "imported.list",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"limit\": 1001}",
	        XDR_EINVAL, "bad_request",
	        "\"limit\" must be an integer from 1 to 1000");
}

static void test_lists_take_a_limit_of_1000(void **state)
{
	struct json_object *obj =
	        ok(*state, "outbox.list", "{\"limit\": 1000}");

	assert_int_equal(json_object_get_int(member(obj, "limit")), 1000);
	json_object_put(obj);
}

static void test_lists_refuse_a_limit_that_is_text(void **state)
{
	refused(*state, "mappings",
	        "{\"instance\": \"Acme\", \"kind\": \"groups\","
	        " \"limit\": \"5\"}",
	        XDR_EINVAL, "bad_request", "\"limit\" must be an integer");
}

static void test_lists_refuse_a_negative_offset(void **state)
{
	refused(*state, "outbox.list", "{\"offset\": -1}", XDR_EINVAL,
	        "bad_request", "\"offset\" must be an integer from 0");
}

static void test_lists_refuse_a_fractional_offset(void **state)
{
	refused(*state, "outbox.list", "{\"offset\": 1.5}", XDR_EINVAL,
	        "bad_request", "\"offset\" must be an integer from 0");
}

/* ---- imported.list ---- */

static void import_records(struct fixture *f)
{
	sql(f,
	    "INSERT INTO itg_organizations (instance_id, id, name, short_name,"
	    " type_name, status_name, imported_at) VALUES"
	    " (1, '2', 'happy Frog', 'hf', 'Customer', 'Active', 1),"
	    " (1, '7', 'Globex Corp', NULL, NULL, NULL, 1),"
	    " (1, '9', 'Acme 100% _real_', NULL, NULL, NULL, 1)",
	    "");
	sql(f,
	    "INSERT INTO itg_configurations (instance_id, id, organization_id,"
	    " name, hostname, primary_ip, mac_address, type_name, archived,"
	    " imported_at) VALUES"
	    " (1, '455', '2', 'HF-WS-01', 'hf-ws-01.lan', '10.0.0.5',"
	    " '18-5E-0F-ED-99-9A', 'Workstation', 0, 1),"
	    " (1, '456', '2', 'HF-SRV', 'vault', NULL, NULL, NULL, 1, 1),"
	    " (1, '700', '7', 'GX-FW', NULL, NULL, NULL, NULL, 0, 1)",
	    "");
}

static void test_imported_organizations_by_name(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"organizations\"}");
	assert_int_equal(json_object_object_length(obj), 5);
	assert_string_equal(str(obj, "feature"), "organizations");
	assert_int_equal(json_object_get_int(member(obj, "total")), 3);
	assert_int_equal(json_object_get_int(member(obj, "offset")), 0);
	assert_int_equal(json_object_get_int(member(obj, "limit")), 100);
	assert_int_equal(n_items(obj), 3);
	assert_string_equal(str(item(obj, 0), "name"), "Acme 100% _real_");
	assert_string_equal(str(item(obj, 1), "name"), "Globex Corp");
	assert_string_equal(str(item(obj, 2), "name"), "happy Frog");
	json_object_put(obj);
}

static void test_imported_organization_fields(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj, *o;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": 1, \"feature\": \"organizations\","
	         " \"q\": \"FROG\"}");
	assert_int_equal(n_items(obj), 1);
	o = item(obj, 0);
	assert_int_equal(json_object_object_length(o), 5);
	assert_string_equal(str(o, "id"), "2");
	assert_string_equal(str(o, "short_name"), "hf");
	assert_string_equal(str(o, "type"), "Customer");
	assert_string_equal(str(o, "status"), "Active");
	json_object_put(obj);
}

static void test_imported_page_from_an_offset(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	         " \"offset\": 1, \"limit\": 1}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 3);
	assert_int_equal(n_items(obj), 1);
	assert_string_equal(str(item(obj, 0), "name"), "Globex Corp");
	json_object_put(obj);
}

static void test_imported_q_is_text_not_a_pattern(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	         " \"q\": \"0% _\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "id"), "9");
	json_object_put(obj);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	         " \"q\": \"G_obex\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 0);
	json_object_put(obj);
}

static void test_imported_configurations_of_one_organization(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj, *c;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"configurations\","
	         " \"organization_id\": 2}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 2);
	c = item(obj, 1);
	assert_int_equal(json_object_object_length(c), 10);
	assert_string_equal(str(c, "name"), "HF-WS-01");
	assert_string_equal(str(c, "organization_id"), "2");
	assert_string_equal(str(c, "organization"), "happy Frog");
	assert_string_equal(str(c, "hostname"), "hf-ws-01.lan");
	assert_string_equal(str(c, "primary_ip"), "10.0.0.5");
	assert_string_equal(str(c, "mac_address"), "18-5E-0F-ED-99-9A");
	assert_string_equal(str(c, "type"), "Workstation");
	assert_null(member(c, "status"));
	assert_false(json_object_get_boolean(member(c, "archived")));
	assert_true(json_object_get_boolean(member(item(obj, 0), "archived")));
	json_object_put(obj);
}

static void test_imported_configurations_q_matches_host_names(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	import_records(f);
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"configurations\","
	         " \"q\": \"VAULT\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_string_equal(str(item(obj, 0), "id"), "456");
	json_object_put(obj);
}

static void test_imported_values_are_one_line(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	sql(f,
	    "INSERT INTO itg_organizations (instance_id, id, name, imported_at)"
	    " VALUES (1, '3', ?1, 1)",
	    "t", "<b>Evil</b>\r\nCorp\xc3");
	obj = ok(f, "imported.list",
	         "{\"instance\": \"Acme\", \"feature\": \"organizations\"}");
	assert_string_equal(str(item(obj, 0), "name"),
	                    "<b>Evil</b>  Corp\xef\xbf\xbd");
	json_object_put(obj);
}

static void test_imported_of_nothing_imported_is_empty(void **state)
{
	struct json_object *obj =
	        ok(*state, "imported.list",
	           "{\"instance\": \"Acme\", \"feature\": \"configurations\"}");

	assert_int_equal(json_object_get_int(member(obj, "total")), 0);
	assert_int_equal(n_items(obj), 0);
	json_object_put(obj);
}

static void test_imported_needs_a_feature(void **state)
{
	refused(*state, "imported.list", "{\"instance\": \"Acme\"}", XDR_EINVAL,
	        "bad_request", "\"feature\" must be");
}

static void test_imported_refuses_an_organization_id_of_text(void **state)
{
	refused(*state, "imported.list",
	        "{\"instance\": \"Acme\", \"feature\": \"configurations\","
	        " \"organization_id\": \"2 OR 1=1\"}",
	        XDR_EINVAL, "bad_request", "\"organization_id\" must be");
}

static void test_imported_refuses_an_empty_q(void **state)
{
	refused(*state, "imported.list",
	        "{\"instance\": \"Acme\", \"feature\": \"configurations\","
	        " \"q\": \"\"}",
	        XDR_EINVAL, "bad_request", "\"q\" must be a string");
}

static void test_imported_of_an_unknown_instance(void **state)
{
	refused(*state, "imported.list",
	        "{\"instance\": \"Nope\", \"feature\": \"organizations\"}",
	        XDR_ENOTFOUND, "not_found", "Nope");
}

static void test_imported_needs_an_instance(void **state)
{
	refused(*state, "imported.list", "{\"feature\": \"organizations\"}",
	        XDR_EINVAL, "bad_request", "\"instance\" is required");
}

/* ---- outbox.list ---- */

static void outbox_rows(struct fixture *f)
{
	sql(f,
	    "INSERT INTO outbox (report_id, instance_id, group_id,"
	    " organization_id, title, file_path, file_name, generated_at,"
	    " state, attempts, next_attempt, asset_id, last_error, created_at,"
	    " updated_at) VALUES"
	    " (1, 1, 1, '7', 'Weekly', '/r1.pdf', 'r1.pdf', 1, 'done', 1, 0,"
	    " '900', NULL, 1, 100),"
	    " (2, 1, 1, '7', 'Weekly', '/r2.pdf', 'r2.pdf', 1, 'failed', 5, 0,"
	    " NULL, 'IT Glue refused\nthe upload', 1, 300),"
	    " (3, 1, 1, '7', 'Weekly', '/r3.pdf', 'r3.pdf', 1, 'pending', 2,"
	    " 500, NULL, 'timed out', 1, 200)",
	    "");
}

static void test_outbox_empty(void **state)
{
	struct json_object *obj = ok(*state, "outbox.list", NULL);

	assert_int_equal(json_object_object_length(obj), 4);
	assert_int_equal(json_object_get_int(member(obj, "total")), 0);
	assert_int_equal(json_object_get_int(member(obj, "offset")), 0);
	assert_int_equal(json_object_get_int(member(obj, "limit")), 100);
	assert_int_equal(n_items(obj), 0);
	json_object_put(obj);
}

static void test_outbox_latest_change_first(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 3);
	assert_int_equal(json_object_get_int(member(item(obj, 0), "report_id")),
	                 2);
	assert_int_equal(json_object_get_int(member(item(obj, 1), "report_id")),
	                 3);
	assert_int_equal(json_object_get_int(member(item(obj, 2), "report_id")),
	                 1);
	json_object_put(obj);
}

static void test_outbox_row_fields(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj, *r;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{\"state\": \"pending\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	r = item(obj, 0);
	assert_int_equal(json_object_object_length(r), 7);
	assert_int_equal(json_object_get_int(member(r, "report_id")), 3);
	assert_string_equal(str(r, "state"), "pending");
	assert_int_equal(json_object_get_int(member(r, "attempts")), 2);
	assert_null(member(r, "asset_id"));
	assert_string_equal(str(r, "last_error"), "timed out");
	assert_int_equal(json_object_get_int(member(r, "next_attempt")), 500);
	assert_int_equal(json_object_get_int(member(r, "updated_at")), 200);
	json_object_put(obj);
}

static void test_outbox_errors_are_one_line(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{\"state\": \"failed\"}");
	assert_string_equal(str(item(obj, 0), "last_error"),
	                    "IT Glue refused the upload");
	json_object_put(obj);
}

static void test_outbox_done_rows_keep_their_asset(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{\"state\": \"done\", \"limit\": 1}");
	assert_string_equal(str(item(obj, 0), "asset_id"), "900");
	assert_null(member(item(obj, 0), "last_error"));
	json_object_put(obj);
}

static void test_outbox_page_from_an_offset(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{\"offset\": 2, \"limit\": 5}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 3);
	assert_int_equal(n_items(obj), 1);
	assert_int_equal(json_object_get_int(member(item(obj, 0), "report_id")),
	                 1);
	json_object_put(obj);
}

static void test_outbox_refuses_an_unknown_state(void **state)
{
	refused(*state, "outbox.list", "{\"state\": \"lost\"}", XDR_EINVAL,
	        "bad_request", "\"state\" must be");
}

static void test_outbox_refuses_unknown_members(void **state)
{
	refused(*state, "outbox.list", "{\"report\": 1}", XDR_EINVAL,
	        "bad_request", "outbox.list takes");
}

static void test_outbox_rows_of_the_reports_asked_for(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list", "{\"report_ids\": [1, 3, 42]}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 2);
	assert_int_equal(n_items(obj), 2);
	assert_int_equal(json_object_get_int(member(item(obj, 0), "report_id")),
	                 3);
	assert_int_equal(json_object_get_int(member(item(obj, 1), "report_id")),
	                 1);
	json_object_put(obj);
}

static void test_outbox_report_ids_and_state_both_filter(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;

	outbox_rows(f);
	obj = ok(f, "outbox.list",
	         "{\"report_ids\": [1, 2, 3], \"state\": \"failed\"}");
	assert_int_equal(json_object_get_int(member(obj, "total")), 1);
	assert_int_equal(json_object_get_int(member(item(obj, 0), "report_id")),
	                 2);
	json_object_put(obj);
}

static void test_outbox_refuses_report_ids_that_are_not_ids(void **state)
{
	refused(*state, "outbox.list", "{\"report_ids\": [1, \"2\"]}",
	        XDR_EINVAL, "bad_request", "\"report_ids\" must be");
	refused(*state, "outbox.list", "{\"report_ids\": [0]}", XDR_EINVAL,
	        "bad_request", "\"report_ids\" must be");
}

static void test_outbox_refuses_an_empty_list_of_report_ids(void **state)
{
	refused(*state, "outbox.list", "{\"report_ids\": []}", XDR_EINVAL,
	        "bad_request", "\"report_ids\" must be");
}

static void test_outbox_takes_a_thousand_report_ids(void **state)
{
	struct fixture *f = *state;
	struct json_object *obj;
	char req[16 * 1024];
	size_t used = (size_t)snprintf(req, sizeof(req), "{\"report_ids\": [");

	outbox_rows(f);
	for (int i = 1; i <= 1000; i++)
		used += (size_t)snprintf(req + used, sizeof(req) - used, "%s%d",
		                         i > 1 ? "," : "", i);
	snprintf(req + used, sizeof(req) - used, "]}");
	obj = ok(f, "outbox.list", req);
	assert_int_equal(json_object_get_int(member(obj, "total")), 3);
	json_object_put(obj);
	memcpy(req + used, ",1001]}", 8);
	refused(f, "outbox.list", req, XDR_EINVAL, "bad_request",
	        "\"report_ids\" must be");
}

/* ---- import.preview (its page is read from IT Glue by a job) ---- */

static void test_preview_refuses_an_offset_inside_a_page(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"offset\": 150, \"limit\": 100}",
	        XDR_EINVAL, "bad_request",
	        "\"offset\" must be a multiple of \"limit\"");
}

static void test_preview_refuses_a_page_past_the_last(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"offset\": 100000000, \"limit\": 1}",
	        XDR_EINVAL, "bad_request", "past the last page");
}

static void test_preview_refuses_a_selection(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"select\": \"all\"}",
	        XDR_EINVAL, "bad_request", "\"select\" is not one of them");
}

static void test_preview_refuses_an_unknown_filter(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"filter\": {\"colour\": \"red\"}}",
	        XDR_EINVAL, "bad_request", "colour");
}

static void test_preview_refuses_a_limit_over_1000(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\","
	        " \"limit\": 1001}",
	        XDR_EINVAL, "bad_request", "\"limit\" must be an integer");
}

static void test_preview_of_an_unknown_instance(void **state)
{
	refused(*state, "import.preview",
	        "{\"instance\": \"Nope\", \"feature\": \"organizations\"}",
	        XDR_ENOTFOUND, "not_found", "Nope");
}

static void test_preview_starts_a_job(void **state)
{
	struct json_object *obj =
	        ok(*state, "import.preview",
	           "{\"instance\": \"Acme\", \"feature\": \"configurations\","
	           " \"filter\": {\"organization_id\": 2}, \"offset\": 200,"
	           " \"limit\": 100}");

	assert_true(json_object_is_type(member(obj, "job"), json_type_int));
	json_object_put(obj);
}

static void test_lists_are_gated(void **state)
{
	struct fixture *f = *state;

	mock_host_set_setting(f->host, "psa_rmm_integration", "off");
	refused(f, "outbox.list", NULL, XDR_EDISABLED, "integration_disabled",
	        "disabled");
	refused(f, "imported.list",
	        "{\"instance\": \"Acme\", \"feature\": \"organizations\"}",
	        XDR_EDISABLED, "integration_disabled", "disabled");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(test_mappings_of_an_instance_alone_answer_everything),
	        T(test_mappings_unpaged_keep_names_as_stored),
	        T(test_mappings_page_of_groups),
	        T(test_mappings_page_of_systems_from_an_offset),
	        T(test_mappings_page_past_the_end_is_empty),
	        T(test_mappings_systems_of_one_group_by_name),
	        T(test_mappings_systems_of_one_group_by_id),
	        T(test_mappings_filter_by_state),
	        T(test_mappings_filter_needs_manual_systems),
	        T(test_mappings_q_matches_names_in_any_case),
	        T(test_mappings_page_shows_values_as_one_line),
	        T(test_mappings_page_needs_a_kind),
	        T(test_mappings_page_refuses_an_unknown_kind),
	        T(test_mappings_page_refuses_an_unknown_state),
	        T(test_mappings_refuse_unknown_members),
	        T(test_mappings_page_refuses_a_group_not_served),
	        T(test_lists_refuse_a_limit_of_zero),
	        T(test_lists_refuse_a_limit_over_1000),
	        T(test_lists_take_a_limit_of_1000),
	        T(test_lists_refuse_a_limit_that_is_text),
	        T(test_lists_refuse_a_negative_offset),
	        T(test_lists_refuse_a_fractional_offset),
	        T(test_imported_organizations_by_name),
	        T(test_imported_organization_fields),
	        T(test_imported_page_from_an_offset),
	        T(test_imported_q_is_text_not_a_pattern),
	        T(test_imported_configurations_of_one_organization),
	        T(test_imported_configurations_q_matches_host_names),
	        T(test_imported_values_are_one_line),
	        T(test_imported_of_nothing_imported_is_empty),
	        T(test_imported_needs_a_feature),
	        T(test_imported_refuses_an_organization_id_of_text),
	        T(test_imported_refuses_an_empty_q),
	        T(test_imported_of_an_unknown_instance),
	        T(test_imported_needs_an_instance),
	        T(test_outbox_empty),
	        T(test_outbox_latest_change_first),
	        T(test_outbox_row_fields),
	        T(test_outbox_errors_are_one_line),
	        T(test_outbox_done_rows_keep_their_asset),
	        T(test_outbox_page_from_an_offset),
	        T(test_outbox_refuses_an_unknown_state),
	        T(test_outbox_refuses_unknown_members),
	        T(test_outbox_rows_of_the_reports_asked_for),
	        T(test_outbox_report_ids_and_state_both_filter),
	        T(test_outbox_refuses_report_ids_that_are_not_ids),
	        T(test_outbox_refuses_an_empty_list_of_report_ids),
	        T(test_outbox_takes_a_thousand_report_ids),
	        T(test_preview_refuses_an_offset_inside_a_page),
	        T(test_preview_refuses_a_page_past_the_last),
	        T(test_preview_refuses_a_selection),
	        T(test_preview_refuses_an_unknown_filter),
	        T(test_preview_refuses_a_limit_over_1000),
	        T(test_preview_of_an_unknown_instance),
	        T(test_preview_starts_a_job),
	        T(test_lists_are_gated),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
