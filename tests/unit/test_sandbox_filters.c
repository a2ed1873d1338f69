/*
 * test_sandbox_filters.c - filter lists with the "\," escape, attribute
 * names, and the matching rules (ids, names, exact text, booleans, the
 * primary e-mail).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "filters.h"

static void split(const char *value, size_t want, const char *const *items)
{
	char **got;
	size_t n;

	assert_int_equal(sbx_filter_split(value, &got, &n), XDR_OK);
	assert_int_equal(n, want);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(got[i], items[i]);
	sbx_filter_items_free(got, n);
}

static void splits_comma_lists(void **state)
{
	(void)state;
	split("1,2,3", 3, (const char *const[]){"1", "2", "3"});
	split("one", 1, (const char *const[]){"one"});
	split("", 1, (const char *const[]){""});
	split("a,", 2, (const char *const[]){"a", ""});
	split(",", 2, (const char *const[]){"", ""});
}

static void escaped_commas_are_literal(void **state)
{
	(void)state;
	split("Soylent Green\\, Inc.", 1,
	      (const char *const[]){"Soylent Green, Inc."});
	split("a\\,b,c", 2, (const char *const[]){"a,b", "c"});
	split("a\\b", 1, (const char *const[]){"a\\b"});
	split("a\\", 1, (const char *const[]){"a\\"});
}

static void filter_names_map_to_kebab_case(void **state)
{
	char out[64];

	(void)state;
	assert_true(sbx_filter_attribute("organization_id", out, sizeof(out)));
	assert_string_equal(out, "organization-id");
	assert_true(sbx_filter_attribute("name", out, sizeof(out)));
	assert_string_equal(out, "name");
	assert_false(sbx_filter_attribute("organization_id", out, 4));
}

static void ids_match_as_decimal_text(void **state)
{
	struct json_object *v = json_object_new_int(42);

	(void)state;
	assert_true(sbx_filter_value_matches(SBX_MATCH_ID, v, "42"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_ID, v, "042"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_ID, v, "4"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_ID, NULL, "42"));
	json_object_put(v);
}

static void names_match_ignoring_case(void **state)
{
	struct json_object *v = json_object_new_string("Acme Corp.");

	(void)state;
	assert_true(sbx_filter_value_matches(SBX_MATCH_NAME, v, "acme corp."));
	assert_false(sbx_filter_value_matches(SBX_MATCH_NAME, v, "acme"));
	assert_false(
	        sbx_filter_value_matches(SBX_MATCH_EXACT, v, "acme corp."));
	assert_true(sbx_filter_value_matches(SBX_MATCH_EXACT, v, "Acme Corp."));
	json_object_put(v);
}

static void macs_are_not_normalised(void **state)
{
	struct json_object *v = json_object_new_string("18-5E-0F-ED-99-9A");

	(void)state;
	assert_true(sbx_filter_value_matches(SBX_MATCH_EXACT, v,
	                                     "18-5E-0F-ED-99-9A"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_EXACT, v,
	                                      "18:5E:0F:ED:99:9A"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_EXACT, v,
	                                      "18-5e-0f-ed-99-9a"));
	json_object_put(v);
}

static void booleans_never_match_null(void **state)
{
	struct json_object *t = json_object_new_boolean(1);
	struct json_object *f = json_object_new_boolean(0);

	(void)state;
	assert_true(sbx_filter_value_matches(SBX_MATCH_BOOL, t, "true"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_BOOL, t, "false"));
	assert_true(sbx_filter_value_matches(SBX_MATCH_BOOL, f, "false"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_BOOL, NULL, "true"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_BOOL, NULL, "false"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_BOOL, t, "1"));
	json_object_put(t);
	json_object_put(f);
}

static void primary_email_is_the_primary_one(void **state)
{
	struct json_object *emails = json_tokener_parse(
	        "[{\"value\": \"home@x.example\", \"primary\": false},"
	        " {\"value\": \"Work@X.example\", \"primary\": true}]");

	(void)state;
	assert_true(sbx_filter_value_matches(SBX_MATCH_PRIMARY_EMAIL, emails,
	                                     "work@x.example"));
	assert_false(sbx_filter_value_matches(SBX_MATCH_PRIMARY_EMAIL, emails,
	                                      "home@x.example"));
	json_object_put(emails);
}

static void a_set_ands_filters_and_ors_items(void **state)
{
	static const struct sbx_filter_rule rules[] = {
	        {"id", SBX_MATCH_ID},
	        {"organization_id", SBX_MATCH_ID},
	        {NULL, SBX_MATCH_ID},
	};
	enum sbx_query_problem problem;
	struct sbx_query q;
	struct sbx_filter_set set;
	struct json_object *a =
	        json_tokener_parse("{\"id\": 1, \"organization-id\": 5}");
	struct json_object *b =
	        json_tokener_parse("{\"id\": 2, \"organization-id\": 6}");

	(void)state;
	assert_int_equal(
	        sbx_query_parse("filter[id]=1,2&filter[organization_id]"
	                        "=5&filter[unknown]=9",
	                        &q, &problem),
	        XDR_OK);
	assert_int_equal(sbx_filter_set_build(&q, rules, &set), XDR_OK);
	assert_int_equal(set.count, 2);
	assert_true(sbx_filter_set_matches(&set, a));
	assert_false(sbx_filter_set_matches(&set, b));
	sbx_filter_set_free(&set);
	sbx_query_free(&q);
	json_object_put(a);
	json_object_put(b);
}

/* Whether {"organization-id": VALUE} passes SET. */
static bool org_passes(const struct sbx_filter_set *set, int64_t value)
{
	struct json_object *o = json_object_new_object();
	bool ok;

	json_object_object_add(o, "organization-id",
	                       json_object_new_int64(value));
	ok = sbx_filter_set_matches(set, o);
	json_object_put(o);
	return ok;
}

/* A filter of many ids: as decimal text still, whether they are dense
 * enough for a bitmap or searched. */
static void many_ids_match_as_decimal_text(void **state)
{
	static const struct sbx_filter_rule rules[] = {
	        {"organization_id", SBX_MATCH_ID},
	        {NULL, SBX_MATCH_ID},
	};
	static const char *const queries[] = {
	        /* 20 ids from 100: a bitmap */
	        "filter[organization_id]=100,101,102,103,104,105,106,107,108,"
	        "109,110,111,112,113,114,115,116,117,118,119,0120,+121,121.0,"
	        "x,,-5",
	        /* the same ids, with one far away: searched */
	        "filter[organization_id]=100,101,102,103,104,105,106,107,108,"
	        "109,110,111,112,113,114,115,116,117,118,119,0120,+121,121.0,"
	        "x,,-5,9223372036854775807",
	};

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		enum sbx_query_problem problem;
		struct sbx_query q;
		struct sbx_filter_set set;

		assert_int_equal(sbx_query_parse(queries[i], &q, &problem),
		                 XDR_OK);
		assert_int_equal(sbx_filter_set_build(&q, rules, &set), XDR_OK);
		assert_int_equal(set.count, 1);
		assert_true((set.filters[0].bits != NULL) == (i == 0));
		assert_true(org_passes(&set, 100));
		assert_true(org_passes(&set, 110));
		assert_true(org_passes(&set, 119));
		assert_true(org_passes(&set, -5));
		assert_false(org_passes(&set, 99));
		assert_false(org_passes(&set, 120)); /* "0120" is not 120 */
		assert_false(org_passes(&set, 121)); /* nor "+121", "121.0" */
		assert_false(org_passes(&set, 0));
		assert_false(org_passes(&set, INT64_MIN));
		assert_true(org_passes(&set, INT64_MAX) == (i == 1));
		sbx_filter_set_free(&set);
		sbx_query_free(&q);
	}
}

/* Ids from INT64_MIN to INT64_MAX: their span does not fit 64 bits (it
 * once wrapped to 0 and a tiny bitmap was written far past its end). */
static void ids_across_the_whole_range_are_searched(void **state)
{
	static const struct sbx_filter_rule rules[] = {
	        {"organization_id", SBX_MATCH_ID},
	        {NULL, SBX_MATCH_ID},
	};
	enum sbx_query_problem problem;
	struct sbx_query q;
	struct sbx_filter_set set;

	(void)state;
	assert_int_equal(
	        sbx_query_parse("filter[organization_id]=-9223372036854775808,"
	                        "9223372036854775807,1,2,3,4,5,6,7,8,9,10,11,"
	                        "12,13,14",
	                        &q, &problem),
	        XDR_OK);
	assert_int_equal(sbx_filter_set_build(&q, rules, &set), XDR_OK);
	assert_null(set.filters[0].bits);
	assert_true(org_passes(&set, INT64_MIN));
	assert_true(org_passes(&set, INT64_MAX));
	assert_true(org_passes(&set, 7));
	assert_false(org_passes(&set, 15));
	assert_false(org_passes(&set, 0));
	sbx_filter_set_free(&set);
	sbx_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(splits_comma_lists),
	        cmocka_unit_test(escaped_commas_are_literal),
	        cmocka_unit_test(filter_names_map_to_kebab_case),
	        cmocka_unit_test(ids_match_as_decimal_text),
	        cmocka_unit_test(names_match_ignoring_case),
	        cmocka_unit_test(macs_are_not_normalised),
	        cmocka_unit_test(booleans_never_match_null),
	        cmocka_unit_test(primary_email_is_the_primary_one),
	        cmocka_unit_test(a_set_ands_filters_and_ors_items),
	        cmocka_unit_test(many_ids_match_as_decimal_text),
	        cmocka_unit_test(ids_across_the_whole_range_are_searched),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
