/*
 * test_console_api_call.c - what the console's route handlers share: a
 * plugin request built from the members of a body the action knows, each
 * checked for its type; names and ids from a path; small lists paged in
 * memory.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "api_call.h"

static const struct xcon_member members[] = {
        {"name", XCON_STRING},    {"count", XCON_INT},
        {"on", XCON_BOOL},        {"instance", XCON_ID},
        {"groups", XCON_IDS},     {"ca_file", XCON_NULLABLE},
        {"ids", XCON_ID_LIST},    {"filter", XCON_SKIP},
        {"domains", XCON_STRINGS}};

/* Copy BODY's members into a new request: the request, or NULL with the
 * reply's status and body in *status and *message. */
static struct json_object *copy(const char *body, unsigned *status,
                                char **message)
{
	struct json_object *b = json_tokener_parse(body);
	struct json_object *req = json_object_new_object();
	struct xcon_reply reply;

	assert_non_null(b);
	memset(&reply, 0, sizeof(reply));
	*message = NULL;
	*status = 0;
	if (!xcon_copy_members(req, b, members,
	                       sizeof(members) / sizeof(members[0]),
	                       "the action", &reply)) {
		json_object_put(req);
		req = NULL;
		*status = reply.status;
		*message = reply.body;
	}
	json_object_put(b);
	return req;
}

static const char *text(struct json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

static void known_members_of_their_types_are_copied(void **state)
{
	unsigned status;
	char *message;
	struct json_object *req =
	        copy("{\"name\":\"a\",\"count\":2,\"on\":true,\"instance\":"
	             "\"Demo\",\"groups\":[1,\"Lab\"],\"ids\":7}",
	             &status, &message);

	(void)state;
	assert_non_null(req);
	assert_string_equal(text(req),
	                    "{\"name\":\"a\",\"count\":2,\"on\":true,"
	                    "\"instance\":\"Demo\",\"groups\":[1,\"Lab\"],"
	                    "\"ids\":7}");
	json_object_put(req);
}

static void an_unknown_member_is_refused_by_name(void **state)
{
	unsigned status;
	char *message;

	(void)state;
	assert_null(
	        copy("{\"name\":\"a\",\"owner\":\"me\"}", &status, &message));
	assert_int_equal(status, 400);
	assert_non_null(strstr(message, "the action takes no member "
	                                "\\\"owner\\\""));
	free(message);
}

static void a_member_of_another_type_is_refused_by_name(void **state)
{
	unsigned status;
	char *message;

	(void)state;
	assert_null(copy("{\"count\":\"2\"}", &status, &message));
	assert_int_equal(status, 400);
	assert_non_null(strstr(message, "\\\"count\\\" must be an integer"));
	free(message);
}

static void null_is_passed_on_where_it_is_taken(void **state)
{
	unsigned status;
	char *message;
	struct json_object *req =
	        copy("{\"ca_file\":null,\"domains\":null}", &status, &message);

	(void)state;
	assert_non_null(req);
	assert_string_equal(text(req), "{\"ca_file\":null,\"domains\":null}");
	json_object_put(req);
}

static void null_is_refused_for_a_string(void **state)
{
	unsigned status;
	char *message;

	(void)state;
	assert_null(copy("{\"name\":null}", &status, &message));
	assert_int_equal(status, 400);
	free(message);
}

static void a_member_left_to_the_caller_is_not_copied(void **state)
{
	unsigned status;
	char *message;
	struct json_object *req =
	        copy("{\"filter\":{\"x\":1}}", &status, &message);

	(void)state;
	assert_non_null(req);
	assert_string_equal(text(req), "{}");
	json_object_put(req);
}

static void ids_are_positive_integers_or_names(void **state)
{
	unsigned status;
	char *message;

	(void)state;
	assert_null(copy("{\"instance\":0}", &status, &message));
	free(message);
	assert_null(copy("{\"instance\":\"\"}", &status, &message));
	free(message);
	assert_null(copy("{\"groups\":[1,true]}", &status, &message));
	free(message);
	assert_null(copy("{\"groups\":\"Lab\"}", &status, &message));
	free(message);
}

static void an_id_list_is_one_id_or_an_array(void **state)
{
	unsigned status;
	char *message;
	struct json_object *req;

	(void)state;
	req = copy("{\"ids\":[1,\"2\"]}", &status, &message);
	assert_non_null(req);
	json_object_put(req);
	assert_null(copy("{\"ids\":[1,-2]}", &status, &message));
	free(message);
}

static void a_path_of_digits_names_an_id(void **state)
{
	struct json_object *v;

	(void)state;
	v = xcon_id_value("12");
	assert_true(json_object_is_type(v, json_type_int));
	assert_int_equal(json_object_get_int64(v), 12);
	json_object_put(v);
	v = xcon_id_value("Demo 2");
	assert_string_equal(json_object_get_string(v), "Demo 2");
	json_object_put(v);
}

static void digits_that_are_no_id_stay_a_name(void **state)
{
	struct json_object *v;

	(void)state;
	v = xcon_id_value("012");
	assert_true(json_object_is_type(v, json_type_string));
	json_object_put(v);
	v = xcon_id_value("99999999999999999999");
	assert_true(json_object_is_type(v, json_type_string));
	json_object_put(v);
}

static void a_search_matches_ascii_letters_in_any_case(void **state)
{
	(void)state;
	assert_true(xcon_name_matches("Globex Holdings", "GLOB"));
	assert_true(xcon_name_matches("Globex Holdings", "x h"));
	assert_true(xcon_name_matches("Lab", NULL));
	assert_true(xcon_name_matches("Lab", ""));
	assert_false(xcon_name_matches("Lab", "Labs"));
	assert_false(xcon_name_matches("Default", "acme"));
}

static const char *name_of(const void *item)
{
	return *(char *const *)item;
}

static void a_small_list_is_cut_after_its_search(void **state)
{
	const char *names[] = {"Acme", "Globex", "Globex Holdings", "Lab",
	                       "Global"};
	const char **page;
	void *cut;
	size_t n;
	int64_t total;

	(void)state;
	assert_true(xcon_slice(names, 5, sizeof(names[0]), name_of, "glob", 1,
	                       1, &cut, &n, &total));
	page = cut;
	assert_int_equal(total, 3);
	assert_int_equal(n, 1);
	assert_string_equal(page[0], "Globex Holdings");
	free(cut);
}

static void a_page_past_the_end_is_empty(void **state)
{
	const char *names[] = {"Acme", "Lab"};
	void *cut;
	size_t n;
	int64_t total;

	(void)state;
	assert_true(xcon_slice(names, 2, sizeof(names[0]), name_of, NULL, 5, 25,
	                       &cut, &n, &total));
	assert_int_equal(total, 2);
	assert_int_equal(n, 0);
	free(cut);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(known_members_of_their_types_are_copied),
	        cmocka_unit_test(an_unknown_member_is_refused_by_name),
	        cmocka_unit_test(a_member_of_another_type_is_refused_by_name),
	        cmocka_unit_test(null_is_passed_on_where_it_is_taken),
	        cmocka_unit_test(null_is_refused_for_a_string),
	        cmocka_unit_test(a_member_left_to_the_caller_is_not_copied),
	        cmocka_unit_test(ids_are_positive_integers_or_names),
	        cmocka_unit_test(an_id_list_is_one_id_or_an_array),
	        cmocka_unit_test(a_path_of_digits_names_an_id),
	        cmocka_unit_test(digits_that_are_no_id_stay_a_name),
	        cmocka_unit_test(a_search_matches_ascii_letters_in_any_case),
	        cmocka_unit_test(a_small_list_is_cut_after_its_search),
	        cmocka_unit_test(a_page_past_the_end_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
