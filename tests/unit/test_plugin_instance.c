/*
 * test_plugin_instance.c - IT Glue instances: the rules of what an
 * administrator may ask for, and their tables in the store.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "instance.h"
#include "instance_store.h"
#include "mock_host.h"
#include "store.h"

static char err[512];

/* Read REQUEST (JSON text) as an add or update; returns the status. */
static int read_spec(const char *request, bool for_update,
                     struct itg_instance_spec *spec, struct json_object **obj)
{
	*obj = json_tokener_parse(request);
	assert_non_null(*obj);
	err[0] = '\0';
	return itg_instance_spec_read(*obj, for_update, spec, err, sizeof(err));
}

/* The request is refused, and the reason mentions WORD. */
static void refused(const char *request, bool for_update, const char *word)
{
	struct itg_instance_spec spec;
	struct json_object *obj;

	assert_int_equal(read_spec(request, for_update, &spec, &obj),
	                 XDR_EINVAL);
	if (strstr(err, word) == NULL)
		fail_msg("reason \"%s\" does not mention \"%s\"", err, word);
	json_object_put(obj);
}

static void accepted(const char *request, bool for_update)
{
	struct itg_instance_spec spec;
	struct json_object *obj;

	if (read_spec(request, for_update, &spec, &obj) != 0)
		fail_msg("refused %s: %s", request, err);
	json_object_put(obj);
}

static void test_regions_have_names_and_public_hosts(void **state)
{
	(void)state;
	assert_int_equal(itg_region_parse("us"), ITG_REGION_US);
	assert_int_equal(itg_region_parse("EU"), ITG_REGION_EU);
	assert_int_equal(itg_region_parse("au"), ITG_REGION_AU);
	assert_int_equal(itg_region_parse("uk"), ITG_REGION_NONE);
	assert_int_equal(itg_region_parse(NULL), ITG_REGION_NONE);
	assert_string_equal(itg_region_name(ITG_REGION_EU), "eu");
	assert_null(itg_region_name(ITG_REGION_NONE));
	assert_string_equal(itg_region_default_url(ITG_REGION_US),
	                    "https://api.itglue.com");
	assert_string_equal(itg_region_default_url(ITG_REGION_EU),
	                    "https://api.eu.itglue.com");
	assert_string_equal(itg_region_default_url(ITG_REGION_AU),
	                    "https://api.au.itglue.com");
}

static void test_add_with_a_region(void **state)
{
	struct itg_instance_spec spec;
	struct json_object *obj;

	(void)state;
	assert_int_equal(read_spec("{\"name\": \"Acme\", \"region\": \"eu\","
	                           " \"api_key\": \"ITG.abc\"}",
	                           false, &spec, &obj),
	                 0);
	assert_string_equal(spec.name, "Acme");
	assert_string_equal(spec.region, "eu");
	assert_null(spec.url);
	assert_string_equal(spec.api_key, "ITG.abc");
	json_object_put(obj);
}

static void test_add_with_a_url_of_its_own(void **state)
{
	(void)state;
	accepted("{\"name\": \"a\", \"url\": \"https://itglue.example/api\","
	         " \"api_key\": \"k\"}",
	         false);
	accepted("{\"name\": \"a\", \"url\": \"http://127.0.0.1:8089\","
	         " \"api_key\": \"k\"}",
	         false);
}

static void test_add_needs_name_key_and_one_place(void **state)
{
	(void)state;
	refused("{\"region\": \"us\", \"api_key\": \"k\"}", false, "name");
	refused("{\"name\": \"a\", \"region\": \"us\"}", false, "api_key");
	refused("{\"name\": \"a\", \"api_key\": \"k\"}", false, "region");
	refused("{\"name\": \"a\", \"region\": \"us\", \"url\": "
	        "\"https://x.example\", \"api_key\": \"k\"}",
	        false, "not both");
}

static void test_add_refuses_unknown_fields(void **state)
{
	(void)state;
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"apikey\": \"k\"}",
	        false, "apikey");
	refused("{\"instance\": 1, \"name\": \"a\", \"region\": \"us\","
	        " \"api_key\": \"k\"}",
	        false, "instance");
}

static void test_add_refuses_bad_values(void **state)
{
	(void)state;
	refused("{\"name\": \"a\", \"region\": \"uk\", \"api_key\": \"k\"}",
	        false, "uk");
	refused("{\"name\": \"a\", \"url\": \"http://itglue.example\","
	        " \"api_key\": \"k\"}",
	        false, "https");
	refused("{\"name\": \"a\", \"url\": \"https://u:p@itglue.example\","
	        " \"api_key\": \"k\"}",
	        false, "password");
	refused("{\"name\": \"a\", \"url\": \"ftp://itglue.example\","
	        " \"api_key\": \"k\"}",
	        false, "https");
	refused("{\"name\": \"\", \"region\": \"us\", \"api_key\": \"k\"}",
	        false, "name");
	refused("{\"name\": \" a\", \"region\": \"us\", \"api_key\": \"k\"}",
	        false, "name");
	refused("{\"name\": \"a\\nb\", \"region\": \"us\", \"api_key\": \"k\"}",
	        false, "name");
	refused("{\"name\": 7, \"region\": \"us\", \"api_key\": \"k\"}", false,
	        "string");
	/* "instance": "42" means the instance of id 42: a name of digits
	 * could never be reached by name. */
	refused("{\"name\": \"42\", \"region\": \"us\", \"api_key\": \"k\"}",
	        false, "digits");
	refused("{\"instance\": 1, \"name\": \"2024\"}", true, "digits");
	accepted("{\"name\": \"2024 EU\", \"region\": \"eu\", \"api_key\": "
	         "\"k\"}",
	         false);
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"a b\"}",
	        false, "api_key");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"\"}",
	        false, "api_key");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"ca_file\": \"ca.pem\"}",
	        false, "absolute");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"proxy\": \"proxy:3128\"}",
	        false, "proxy");
}

static void test_a_name_of_64_bytes_is_the_longest(void **state)
{
	char request[256];
	char name[80];

	(void)state;
	memset(name, 'n', 64);
	name[64] = '\0';
	snprintf(request, sizeof(request),
	         "{\"name\": \"%s\", \"region\": \"us\", \"api_key\": \"k\"}",
	         name);
	accepted(request, false);
	name[64] = 'n';
	name[65] = '\0';
	snprintf(request, sizeof(request),
	         "{\"name\": \"%s\", \"region\": \"us\", \"api_key\": \"k\"}",
	         name);
	refused(request, false, "64");
}

static void test_rate_is_requests_per_seconds(void **state)
{
	struct itg_instance_spec spec;
	struct json_object *obj;

	(void)state;
	assert_int_equal(
	        read_spec("{\"name\": \"a\", \"region\": \"us\", \"api_key\":"
	                  " \"k\", \"rate\": {\"requests\": 100, "
	                  "\"seconds\": 60}}",
	                  false, &spec, &obj),
	        0);
	assert_int_equal(spec.rate_requests, 100);
	assert_int_equal(spec.rate_seconds, 60);
	json_object_put(obj);
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"rate\": {\"requests\": 0, \"seconds\": 60}}",
	        false, "rate");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"rate\": {\"requests\": 10}}",
	        false, "rate");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"rate\": {\"requests\": \"10\", \"seconds\": 60}}",
	        false, "rate");
	refused("{\"name\": \"a\", \"region\": \"us\", \"api_key\": \"k\","
	        " \"rate\": 3000}",
	        false, "rate");
}

static void test_update_needs_something_to_change(void **state)
{
	(void)state;
	refused("{\"instance\": \"a\"}", true, "nothing to update");
	accepted("{\"instance\": \"a\", \"region\": \"au\"}", true);
	accepted("{\"instance\": \"a\", \"url\": \"https://x.example\"}", true);
	accepted("{\"instance\": \"a\", \"api_key\": \"ITG.new\"}", true);
	refused("{\"instance\": \"a\", \"region\": \"au\", \"url\": "
	        "\"https://x.example\"}",
	        true, "not both");
}

static void test_update_clears_ca_file_and_proxy_with_null(void **state)
{
	struct itg_instance_spec spec;
	struct json_object *obj;

	(void)state;
	assert_int_equal(read_spec("{\"instance\": \"a\", \"ca_file\": null,"
	                           " \"proxy\": null}",
	                           true, &spec, &obj),
	                 0);
	assert_true(spec.clear_ca_file);
	assert_true(spec.clear_proxy);
	json_object_put(obj);
}

/* The store. */

struct fixture {
	char *dir;
	struct itg_store *store;
};

static int setup_store(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (f == NULL || (f->dir = mock_tempdir()) == NULL ||
	    itg_store_open(&f->store, f->dir, err, sizeof(err)) != XDR_OK) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown_store(void **state)
{
	struct fixture *f = *state;

	itg_store_close(f->store);
	mock_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

static int64_t add(struct itg_store *store, const char *name,
                   enum itg_region region, const char *url)
{
	struct itg_instance inst = {
	        .name = (char *)name,
	        .region = region,
	        .url = (char *)url,
	        .key_sealed = "sealed",
	        .key_masked = "ITG.****abcd",
	        .rate_requests = 3000,
	        .rate_seconds = 300,
	};
	int64_t id = 0;
	int rc = itg_instances_add(store, &inst, 1000, &id, err, sizeof(err));

	return rc == XDR_OK ? id : rc;
}

static void test_store_adds_and_finds_by_id_or_name(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;
	int64_t id = add(f->store, "Acme US", ITG_REGION_US, NULL);

	assert_true(id > 0);
	assert_int_equal(itg_instances_find(f->store, "acme us", &inst, err,
	                                    sizeof(err)),
	                 XDR_OK);
	assert_int_equal(inst.id, id);
	assert_string_equal(inst.name, "Acme US");
	assert_int_equal(inst.region, ITG_REGION_US);
	assert_null(inst.url);
	assert_string_equal(inst.key_masked, "ITG.****abcd");
	assert_int_equal(inst.test_state, -1);
	itg_instance_clear(&inst);

	char ref[32];
	snprintf(ref, sizeof(ref), "%lld", (long long)id);
	assert_int_equal(
	        itg_instances_find(f->store, ref, &inst, err, sizeof(err)),
	        XDR_OK);
	assert_string_equal(inst.name, "Acme US");
	itg_instance_clear(&inst);
	assert_int_equal(
	        itg_instances_find(f->store, "nobody", &inst, err, sizeof(err)),
	        XDR_ENOTFOUND);
	assert_non_null(strstr(err, "nobody"));
}

static void test_store_refuses_a_second_name_in_any_case(void **state)
{
	struct fixture *f = *state;

	assert_true(add(f->store, "Acme", ITG_REGION_US, NULL) > 0);
	assert_int_equal(add(f->store, "ACME", ITG_REGION_EU, NULL),
	                 XDR_EINVAL);
	assert_non_null(strstr(err, "exists"));
}

static void test_store_keeps_a_url_instead_of_a_region(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;

	assert_true(add(f->store, "Lab", ITG_REGION_NONE,
	                "http://127.0.0.1:8089") > 0);
	assert_int_equal(
	        itg_instances_find(f->store, "Lab", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.region, ITG_REGION_NONE);
	assert_string_equal(inst.url, "http://127.0.0.1:8089");
	itg_instance_clear(&inst);
}

static void test_store_updates_and_removes(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;
	int64_t id = add(f->store, "Acme", ITG_REGION_US, NULL);

	assert_int_equal(
	        itg_instances_find(f->store, "Acme", &inst, err, sizeof(err)),
	        XDR_OK);
	inst.region = ITG_REGION_AU;
	free(inst.proxy);
	inst.proxy = strdup("http://proxy.example:3128");
	assert_int_equal(
	        itg_instances_update(f->store, &inst, 2000, err, sizeof(err)),
	        XDR_OK);
	itg_instance_clear(&inst);
	assert_int_equal(
	        itg_instances_find(f->store, "Acme", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.region, ITG_REGION_AU);
	assert_string_equal(inst.proxy, "http://proxy.example:3128");
	itg_instance_clear(&inst);

	assert_int_equal(itg_instances_remove(f->store, id, err, sizeof(err)),
	                 XDR_OK);
	assert_int_equal(itg_instances_remove(f->store, id, err, sizeof(err)),
	                 XDR_ENOTFOUND);
}

static void test_store_lists_in_id_order_with_groups(void **state)
{
	struct fixture *f = *state;
	struct itg_instance *list;
	const int64_t groups[] = {5, 3, 5};
	size_t n;
	int64_t a = add(f->store, "A", ITG_REGION_US, NULL);

	add(f->store, "B", ITG_REGION_EU, NULL);
	assert_int_equal(itg_instances_set_groups(f->store, a, groups, 2, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_instances_list(f->store, &list, &n, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "A");
	assert_string_equal(list[1].name, "B");
	assert_int_equal(list[0].n_groups, 2);
	assert_int_equal(list[0].groups[0], 3);
	assert_int_equal(list[0].groups[1], 5);
	assert_int_equal(list[1].n_groups, 0);
	itg_instances_free(list, n);
}

static void test_store_replaces_the_groups(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;
	const int64_t first[] = {1, 2};
	const int64_t second[] = {3};
	int64_t id = add(f->store, "A", ITG_REGION_US, NULL);

	assert_int_equal(itg_instances_set_groups(f->store, id, first, 2, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(itg_instances_set_groups(f->store, id, second, 1, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_instances_find(f->store, "A", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.n_groups, 1);
	assert_int_equal(inst.groups[0], 3);
	itg_instance_clear(&inst);
	assert_int_equal(itg_instances_set_groups(f->store, id, NULL, 0, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_instances_find(f->store, "A", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.n_groups, 0);
	itg_instance_clear(&inst);
}

static void test_a_group_is_served_by_one_instance(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;
	const int64_t a_groups[] = {1, 2};
	const int64_t b_groups[] = {3, 2};
	int64_t a = add(f->store, "A", ITG_REGION_US, NULL);
	int64_t b = add(f->store, "B", ITG_REGION_EU, NULL);

	assert_int_equal(itg_instances_set_groups(f->store, a, a_groups, 2, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(itg_instances_set_groups(f->store, b, b_groups, 2, err,
	                                          sizeof(err)),
	                 XDR_EINVAL);
	assert_non_null(strstr(err, "\"A\""));
	/* Nothing changed: the refused set left B with no group at all. */
	assert_int_equal(
	        itg_instances_find(f->store, "B", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.n_groups, 0);
	itg_instance_clear(&inst);
}

static void test_removing_an_instance_frees_its_groups(void **state)
{
	struct fixture *f = *state;
	const int64_t groups[] = {7};
	int64_t a = add(f->store, "A", ITG_REGION_US, NULL);
	int64_t b = add(f->store, "B", ITG_REGION_US, NULL);

	assert_int_equal(itg_instances_set_groups(f->store, a, groups, 1, err,
	                                          sizeof(err)),
	                 XDR_OK);
	assert_int_equal(itg_instances_remove(f->store, a, err, sizeof(err)),
	                 XDR_OK);
	assert_int_equal(itg_instances_set_groups(f->store, b, groups, 1, err,
	                                          sizeof(err)),
	                 XDR_OK);
}

static void test_store_records_the_last_test(void **state)
{
	struct fixture *f = *state;
	struct itg_instance inst;
	int64_t id = add(f->store, "A", ITG_REGION_US, NULL);

	assert_int_equal(itg_instances_set_test(f->store, id, true, "connected",
	                                        1234, err, sizeof(err)),
	                 XDR_OK);
	assert_int_equal(
	        itg_instances_find(f->store, "A", &inst, err, sizeof(err)),
	        XDR_OK);
	assert_int_equal(inst.test_state, 1);
	assert_string_equal(inst.test_detail, "connected");
	assert_int_equal(inst.test_at, 1234);
	itg_instance_clear(&inst);
	assert_int_equal(itg_instances_set_test(f->store, 999, false, "x", 1,
	                                        err, sizeof(err)),
	                 XDR_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_regions_have_names_and_public_hosts),
	        cmocka_unit_test(test_add_with_a_region),
	        cmocka_unit_test(test_add_with_a_url_of_its_own),
	        cmocka_unit_test(test_add_needs_name_key_and_one_place),
	        cmocka_unit_test(test_add_refuses_unknown_fields),
	        cmocka_unit_test(test_add_refuses_bad_values),
	        cmocka_unit_test(test_a_name_of_64_bytes_is_the_longest),
	        cmocka_unit_test(test_rate_is_requests_per_seconds),
	        cmocka_unit_test(test_update_needs_something_to_change),
	        cmocka_unit_test(
	                test_update_clears_ca_file_and_proxy_with_null),
	        cmocka_unit_test_setup_teardown(
	                test_store_adds_and_finds_by_id_or_name, setup_store,
	                teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_store_refuses_a_second_name_in_any_case,
	                setup_store, teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_store_keeps_a_url_instead_of_a_region, setup_store,
	                teardown_store),
	        cmocka_unit_test_setup_teardown(test_store_updates_and_removes,
	                                        setup_store, teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_store_lists_in_id_order_with_groups, setup_store,
	                teardown_store),
	        cmocka_unit_test_setup_teardown(test_store_replaces_the_groups,
	                                        setup_store, teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_a_group_is_served_by_one_instance, setup_store,
	                teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_removing_an_instance_frees_its_groups, setup_store,
	                teardown_store),
	        cmocka_unit_test_setup_teardown(
	                test_store_records_the_last_test, setup_store,
	                teardown_store),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
