/*
 * test_host_inventory.c - bulk loading groups and systems: a good file, a
 * reload that changes nothing, updates, and every kind of bad entry
 * refusing the whole file without changing anything.
 */
#include "config.h"

#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "compat/os.h"
#include "host_test_home.h"
#include "xdrhost.h"

struct fixture {
	char home[512];
	char file[640];
	struct xdr_runtime *rt;
};

static const char good_inventory[] =
        "{\"groups\": [{\"name\": \"Default\", \"email\": \"it@acme.example\"},"
        "              {\"name\": \"Lab\"}],"
        " \"systems\": [{\"name\": \"WS-01\", \"group\": \"Default\","
        "                \"os\": \"windows\", \"sensor\": \"agent\","
        "                \"agent_version\": \"9.3.0\","
        "                \"macs\": [\"18-5E-0F-ED-99-9A\"]},"
        "               {\"name\": \"FW-01\", \"group\": \"Default\","
        "                \"os\": \"other\", \"sensor\": \"syslog\"},"
        "               {\"name\": \"LAB-01\", \"group\": \"Lab\","
        "                \"os\": \"linux\", \"agent_version\": null,"
        "                \"macs\": [\"001a.2b3c.4d5e\", "
        "\"00:1A:2B:3C:4D:5F\"]}]}";

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "test_host_inventory",
	                    &f->rt);
	snprintf(f->file, sizeof(f->file), "%s/inventory.json", f->home);
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

static void write_inventory(const struct fixture *f, const char *text)
{
	FILE *fp = fopen(f->file, "wb");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static int load(struct fixture *f, const char *text, size_t *groups,
                size_t *systems, struct xdr_err *err)
{
	write_inventory(f, text);
	return xdr_inventory_load(f->rt->db, f->file, groups, systems, err);
}

/* Everything the host knows of groups and systems, as JSON text. */
static char *snapshot(struct fixture *f)
{
	struct xdr_group_list groups;
	struct xdr_system_list systems;
	struct json_object *g, *s;
	char *text;

	assert_int_equal(xdr_group_list(f->rt->db, &groups, NULL), XDR_OK);
	assert_int_equal(xdr_system_list(f->rt->db, 0, &systems, NULL), XDR_OK);
	g = xdr_json_groups(&groups);
	s = xdr_json_systems(&systems);
	assert_non_null(g);
	assert_non_null(s);
	assert_true(asprintf(&text, "%s %s", json_object_to_json_string(g),
	                     json_object_to_json_string(s)) > 0);
	json_object_put(g);
	json_object_put(s);
	xdr_group_list_free(&groups);
	xdr_system_list_free(&systems);
	return text;
}

static void a_good_file_loads(void **state)
{
	struct fixture *f = *state;
	struct xdr_system_list list;
	size_t groups = 0, systems = 0;

	assert_int_equal(load(f, good_inventory, &groups, &systems, NULL),
	                 XDR_OK);
	assert_int_equal(groups, 2);
	assert_int_equal(systems, 3);
	assert_int_equal(xdr_system_list(f->rt->db, 0, &list, NULL), XDR_OK);
	assert_int_equal(list.n, 3);
	assert_string_equal(list.items[1].name, "FW-01");
	assert_int_equal(list.items[1].sensor, XDR_SENSOR_SYSLOG);
	assert_null(list.items[1].agent_version);
	assert_string_equal(list.items[2].group, "Lab");
	assert_int_equal(list.items[2].os, XDR_OS_LINUX);
	assert_int_equal(list.items[2].sensor, XDR_SENSOR_AGENT);
	assert_int_equal(list.items[2].n_macs, 2);
	assert_string_equal(list.items[2].macs[0], "001a.2b3c.4d5e");
	xdr_system_list_free(&list);
}

static void loading_twice_changes_nothing(void **state)
{
	struct fixture *f = *state;
	size_t groups, systems;
	char *first, *second;

	assert_int_equal(load(f, good_inventory, &groups, &systems, NULL),
	                 XDR_OK);
	first = snapshot(f);
	assert_int_equal(load(f, good_inventory, &groups, &systems, NULL),
	                 XDR_OK);
	assert_int_equal(groups, 2);
	assert_int_equal(systems, 3);
	second = snapshot(f);
	assert_string_equal(first, second);
	free(first);
	free(second);
}

static void an_existing_name_is_updated_in_place(void **state)
{
	struct fixture *f = *state;
	struct xdr_group_list groups;
	struct xdr_system_list systems;
	size_t ng, ns;

	assert_int_equal(load(f, good_inventory, &ng, &ns, NULL), XDR_OK);
	assert_int_equal(
	        load(f,
	             "{\"groups\": [{\"name\": \"Default\","
	             " \"email\": \"soc@acme.example\"}],"
	             " \"systems\": [{\"name\": \"WS-01\", \"group\": \"Lab\","
	             " \"macs\": [\"00:00:00:00:00:01\"]}]}",
	             &ng, &ns, NULL),
	        XDR_OK);
	assert_int_equal(xdr_group_list(f->rt->db, &groups, NULL), XDR_OK);
	assert_int_equal(groups.n, 2);
	assert_int_equal(groups.items[0].id, 1);
	assert_string_equal(groups.items[0].email, "soc@acme.example");
	xdr_group_list_free(&groups);
	assert_int_equal(xdr_system_list(f->rt->db, 0, &systems, NULL), XDR_OK);
	assert_int_equal(systems.n, 3);
	assert_int_equal(systems.items[0].id, 1);
	assert_string_equal(systems.items[0].group, "Lab");
	assert_int_equal(systems.items[0].os, XDR_OS_OTHER);
	assert_null(systems.items[0].agent_version);
	assert_int_equal(systems.items[0].n_macs, 1);
	assert_string_equal(systems.items[0].macs[0], "00:00:00:00:00:01");
	xdr_system_list_free(&systems);
}

static void an_empty_inventory_loads_nothing(void **state)
{
	struct fixture *f = *state;
	size_t groups = 9, systems = 9;

	assert_int_equal(load(f, "{}", &groups, &systems, NULL), XDR_OK);
	assert_int_equal(groups, 0);
	assert_int_equal(systems, 0);
	assert_int_equal(load(f, "{\"groups\": [], \"systems\": []}", &groups,
	                      &systems, NULL),
	                 XDR_OK);
}

static void each_bad_entry_refuses_the_whole_file(void **state)
{
	static const struct {
		const char *json;
		const char *message;
	} bad[] = {
	        {"{\"groups\": [{\"name\": \"New\"}], \"systems\": ["
	         "{\"name\": \"WS-01\", \"group\": \"Default\"},"
	         "{\"name\": \"WS-02\", \"group\": \"Default\", \"macs\": "
	         "[\"zz\"]}]}",
	         "systems[1] \"WS-02\": bad MAC \"zz\""},
	        {"{\"hosts\": []}", "inventory: unknown key \"hosts\""},
	        {"{\"groups\": [{\"name\": \"New\", \"colour\": \"red\"}]}",
	         "groups[0] \"New\": unknown key \"colour\""},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"mac\": []}]}",
	         "systems[0] \"S\": unknown key \"mac\""},
	        {"{\"groups\": [{\"email\": \"it@acme.example\"}]}",
	         "groups[0]: group name is missing"},
	        {"{\"groups\": [{\"name\": \"New\", \"email\": \"nope\"}]}",
	         "groups[0] \"New\": invalid e-mail address \"nope\": no '@'"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"os\": \"beos\"}]}",
	         "systems[0] \"S\": invalid os \"beos\" (expected windows, "
	         "linux or other)"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"sensor\": \"snmp\"}]}",
	         "systems[0] \"S\": invalid sensor \"snmp\""},
	        {"{\"groups\": [{\"name\": \"New\"}], \"systems\": [{\"name\":"
	         " \"S\", \"group\": \"Nowhere\"}]}",
	         "systems[0] \"S\": no group \"Nowhere\""},
	        {"{\"groups\": [{\"name\": \"A\"}, {\"name\": \" A \"}]}",
	         "groups[1] \"A\": duplicate of groups[0]"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\"},"
	         " {\"name\": \"S\", \"group\": \"Default\"}]}",
	         "systems[1] \"S\": duplicate of systems[0]"},
	        {"{\"groups\": [{\"name\": 7}]}",
	         "groups[0]: \"name\" must be a string"},
	        {"{\"groups\": [{\"name\": \"N\", \"email\": 7}]}",
	         "groups[0] \"N\": \"email\" must be a string or null"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"macs\": \"18-5E-0F-ED-99-9A\"}]}",
	         "systems[0] \"S\": \"macs\" must be an array of strings"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"macs\": [7]}]}",
	         "systems[0] \"S\": \"macs\" must be an array of strings"},
	        {"{\"systems\": [{\"name\": \"S\", \"group\": \"Default\","
	         " \"sensor\": \"syslog\", \"agent_version\": \"1\"}]}",
	         "systems[0] \"S\": an agent version is only for sensor agent"},
	        {"{\"groups\": {}}", "\"groups\" must be an array"},
	        {"{\"groups\": [1]}", "groups[0]: must be an object"},
	        {"[]", "an inventory is a JSON object"},
	        {"not json", "invalid JSON"},
	        {"{\"groups\": []} {}", "invalid JSON at offset 15"},
	        {"", "empty JSON document"},
	};
	struct fixture *f = *state;
	size_t groups, systems;
	struct xdr_err err;
	char *before, *after;

	assert_int_equal(load(f,
	                      "{\"groups\": [{\"name\": \"Default\"}],"
	                      " \"systems\": [{\"name\": \"WS-01\","
	                      " \"group\": \"Default\"}]}",
	                      &groups, &systems, NULL),
	                 XDR_OK);
	before = snapshot(f);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&err, 0, sizeof(err));
		assert_int_not_equal(
		        load(f, bad[i].json, &groups, &systems, &err), XDR_OK);
		if (strstr(err.msg, bad[i].message) == NULL)
			/* cmocka's printf is the C library's: no %zu on
			 * Windows. */
			fail_msg("inventory %lu: \"%s\" lacks \"%s\"",
			         (unsigned long)i, err.msg, bad[i].message);
		after = snapshot(f);
		assert_string_equal(before, after);
		free(after);
	}
	free(before);
}

static void a_missing_file_is_named(void **state)
{
	struct fixture *f = *state;
	size_t groups, systems;
	struct xdr_err err;

	assert_int_equal(xdr_inventory_load(f->rt->db, "/nonexistent/inv.json",
	                                    &groups, &systems, &err),
	                 XDR_ENOTFOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/inv.json"));
}

static void parsing_needs_no_database(void **state)
{
	struct xdr_inventory inv;

	(void)state;
	assert_int_equal(xdr_inventory_parse(good_inventory,
	                                     strlen(good_inventory), &inv,
	                                     NULL),
	                 XDR_OK);
	assert_int_equal(inv.n_groups, 2);
	assert_string_equal(inv.groups[0].email, "it@acme.example");
	assert_null(inv.groups[1].email);
	assert_int_equal(inv.n_systems, 3);
	assert_string_equal(inv.systems[0].group, "Default");
	assert_int_equal(inv.systems[0].n_macs, 1);
	xdr_inventory_free(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(a_good_file_loads),
	        T(loading_twice_changes_nothing),
	        T(an_existing_name_is_updated_in_place),
	        T(an_empty_inventory_loads_nothing),
	        T(each_bad_entry_refuses_the_whole_file),
	        T(a_missing_file_is_named),
#undef T
	        cmocka_unit_test(parsing_needs_no_database),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
