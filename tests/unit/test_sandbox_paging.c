/*
 * test_sandbox_paging.c - page arithmetic at the edges (0, 1, 999, 1000,
 * 1001 and 2500 records; pages of 50 and 1000), meta and links.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "paging.h"

struct expect {
	long total, number, size;
	long total_pages, first, count, next, prev;
};

static void check(const struct expect *e)
{
	struct sbx_page p;

	sbx_page_compute(e->total, e->number, e->size, &p);
	assert_int_equal(p.total_count, e->total);
	assert_int_equal(p.total_pages, e->total_pages);
	assert_int_equal(p.first, e->first);
	assert_int_equal(p.count, e->count);
	assert_int_equal(p.next, e->next);
	assert_int_equal(p.prev, e->prev);
}

static void pages_of_50(void **state)
{
	static const struct expect cases[] = {
	        {0, 1, 50, 0, 0, 0, 0, 0},
	        {1, 1, 50, 1, 0, 1, 0, 0},
	        {999, 1, 50, 20, 0, 50, 2, 0},
	        {999, 20, 50, 20, 950, 49, 0, 19},
	        {1000, 20, 50, 20, 950, 50, 0, 19},
	        {1001, 20, 50, 21, 950, 50, 21, 19},
	        {1001, 21, 50, 21, 1000, 1, 0, 20},
	        {2500, 50, 50, 50, 2450, 50, 0, 49},
	        {2500, 51, 50, 50, 2500, 0, 0, 50},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i]);
}

static void pages_of_1000(void **state)
{
	static const struct expect cases[] = {
	        {0, 1, 1000, 0, 0, 0, 0, 0},
	        {1, 1, 1000, 1, 0, 1, 0, 0},
	        {999, 1, 1000, 1, 0, 999, 0, 0},
	        {1000, 1, 1000, 1, 0, 1000, 0, 0},
	        {1000, 2, 1000, 1, 1000, 0, 0, 1},
	        {1001, 1, 1000, 2, 0, 1000, 2, 0},
	        {1001, 2, 1000, 2, 1000, 1, 0, 1},
	        {2500, 3, 1000, 3, 2000, 500, 0, 2},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check(&cases[i]);
}

static void meta_has_nulls_where_there_is_no_page(void **state)
{
	struct sbx_page p;
	struct json_object *meta, *v;

	(void)state;
	sbx_page_compute(0, 1, 50, &p);
	meta = sbx_page_meta(&p);
	assert_non_null(meta);
	assert_true(json_object_object_get_ex(meta, "next-page", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(meta, "prev-page", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(meta, "total-pages", &v));
	assert_int_equal(json_object_get_int(v), 0);
	assert_true(json_object_object_get_ex(meta, "current-page", &v));
	assert_int_equal(json_object_get_int(v), 1);
	assert_true(json_object_object_get_ex(meta, "filters", &v));
	assert_true(json_object_is_type(v, json_type_object));
	json_object_put(meta);
}

static void links_carry_the_query_and_no_next_on_the_last_page(void **state)
{
	enum sbx_query_problem problem;
	struct sbx_query q;
	struct sbx_page p;
	struct json_object *links, *v;

	(void)state;
	assert_int_equal(
	        sbx_query_parse("filter[id]=1&page[size]=2", &q, &problem),
	        XDR_OK);
	sbx_page_compute(5, 1, 2, &p);
	links = sbx_page_links(&p, "http://h:1", "/organizations", &q);
	assert_true(json_object_object_get_ex(links, "next", &v));
	assert_string_equal(json_object_get_string(v),
	                    "http://h:1/organizations?filter%5Bid%5D=1"
	                    "&page%5Bsize%5D=2&page%5Bnumber%5D=2");
	assert_true(json_object_object_get_ex(links, "last", &v));
	assert_non_null(
	        strstr(json_object_get_string(v), "page%5Bnumber%5D=3"));
	json_object_put(links);
	sbx_page_compute(5, 3, 2, &p);
	links = sbx_page_links(&p, "http://h:1", "/organizations", &q);
	assert_false(json_object_object_get_ex(links, "next", NULL));
	assert_true(json_object_object_get_ex(links, "self", NULL));
	json_object_put(links);
	sbx_query_free(&q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(pages_of_50),
	        cmocka_unit_test(pages_of_1000),
	        cmocka_unit_test(meta_has_nulls_where_there_is_no_page),
	        cmocka_unit_test(
	                links_carry_the_query_and_no_next_on_the_last_page),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
