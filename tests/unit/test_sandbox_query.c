/*
 * test_sandbox_query.c - the query string: decoding, duplicates, pages,
 * filters, includes and the query links are built from.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "query.h"

static int parse(const char *raw, struct sbx_query *q,
                 enum sbx_query_problem *problem)
{
	return sbx_query_parse(raw, q, problem);
}

static void empty_query_has_defaults(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	assert_int_equal(parse(NULL, &q, &problem), XDR_OK);
	assert_int_equal(q.count, 0);
	assert_int_equal(q.page_number, 1);
	assert_int_equal(q.page_size, 50);
	assert_null(q.sort);
	sbx_query_free(&q);
	assert_int_equal(parse("", &q, &problem), XDR_OK);
	assert_int_equal(q.count, 0);
	sbx_query_free(&q);
}

static void decodes_keys_and_values(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	assert_int_equal(parse("filter%5Bname%5D=Acme+Corp%2e&flag&sort=-name",
	                       &q, &problem),
	                 XDR_OK);
	assert_int_equal(q.count, 3);
	assert_string_equal(sbx_query_filter(&q, "name"), "Acme Corp.");
	assert_string_equal(sbx_query_get(&q, "flag"), "");
	assert_string_equal(q.sort, "-name");
	assert_null(sbx_query_filter(&q, "nam"));
	assert_null(sbx_query_get(&q, "missing"));
	sbx_query_free(&q);
}

static void keeps_bad_escapes_literally(void **state)
{
	char *s = sbx_percent_decode("100%-%4", 7);

	(void)state;
	assert_string_equal(s, "100%-%4");
	free(s);
}

static void refuses_duplicates_even_when_encoded_differently(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	assert_int_equal(parse("filter[id]=1&filter%5Bid%5D=2", &q, &problem),
	                 XDR_EINVAL);
	assert_int_equal(problem, SBX_QUERY_DUPLICATE);
	sbx_query_free(&q);
	assert_int_equal(parse("page[number]=1&page[number]=1", &q, &problem),
	                 XDR_EINVAL);
	assert_int_equal(problem, SBX_QUERY_DUPLICATE);
	sbx_query_free(&q);
}

static void reads_and_caps_pages(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	assert_int_equal(parse("page[number]=3&page[size]=1000", &q, &problem),
	                 XDR_OK);
	assert_int_equal(q.page_number, 3);
	assert_int_equal(q.page_size, 1000);
	sbx_query_free(&q);
	assert_int_equal(parse("page[size]=1001", &q, &problem), XDR_OK);
	assert_int_equal(q.page_size, 1000);
	sbx_query_free(&q);
}

static void refuses_bad_pages(void **state)
{
	static const char *const bad[] = {
	        "page[size]=0",
	        "page[number]=0",
	        "page[size]=-1",
	        "page[number]=x",
	        "page[size]=",
	        "page[number]=1.5",
	        "page[size]=99999999999999999999999",
	};
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse(bad[i], &q, &problem), XDR_EINVAL);
		assert_int_equal(problem, SBX_QUERY_BAD_PAGE);
		sbx_query_free(&q);
	}
}

static void finds_includes_in_a_list(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;

	(void)state;
	assert_int_equal(
	        parse("include=attachments,related_items", &q, &problem),
	        XDR_OK);
	assert_true(sbx_query_includes(&q, "attachments"));
	assert_true(sbx_query_includes(&q, "related_items"));
	assert_false(sbx_query_includes(&q, "related"));
	assert_false(sbx_query_includes(&q, "items"));
	sbx_query_free(&q);
}

static void builds_link_queries(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;
	char *s;

	(void)state;
	assert_int_equal(
	        parse("filter[name]=a%2Cb&page[number]=1", &q, &problem),
	        XDR_OK);
	s = sbx_query_with_page(&q, 2, 50);
	assert_string_equal(s, "filter%5Bname%5D=a%2Cb&page%5Bnumber%5D=2"
	                       "&page%5Bsize%5D=50");
	free(s);
	sbx_query_free(&q);
	assert_int_equal(parse(NULL, &q, &problem), XDR_OK);
	s = sbx_query_with_page(&q, 7, 1000);
	assert_string_equal(s, "page%5Bnumber%5D=7&page%5Bsize%5D=1000");
	free(s);
	sbx_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(empty_query_has_defaults),
	        cmocka_unit_test(decodes_keys_and_values),
	        cmocka_unit_test(keeps_bad_escapes_literally),
	        cmocka_unit_test(
	                refuses_duplicates_even_when_encoded_differently),
	        cmocka_unit_test(reads_and_caps_pages),
	        cmocka_unit_test(refuses_bad_pages),
	        cmocka_unit_test(finds_includes_in_a_list),
	        cmocka_unit_test(builds_link_queries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
