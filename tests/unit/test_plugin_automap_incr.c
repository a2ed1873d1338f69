/*
 * test_plugin_automap_incr.c - the rules of the incremental auto-map: full
 * or incremental, where an incremental read stops, how what it read merges
 * into the configurations cached from earlier runs.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <xdr/plugin.h>

#include "automap_incr.h"
#include "compat/os.h"

#define HOUR 3600

/* ---- IT Glue's times ------------------------------------------------- */

static int64_t ms_of(const char *text)
{
	int64_t ms = 0;

	assert_int_equal(itg_automap_time_ms(text, &ms), 0);
	return ms;
}

static void test_time_of_the_api_docs(void **state)
{
	(void)state;
	assert_true(ms_of("2016-09-14T18:15:28.000Z") == 1473876928000LL);
	assert_true(ms_of("1970-01-01T00:00:00Z") == 0);
	assert_true(ms_of("2024-02-29T23:59:59.999Z") == 1709251199999LL);
}

static void test_time_fractions_and_offsets(void **state)
{
	(void)state;
	assert_true(ms_of("2016-09-14T18:15:28.5Z") ==
	            ms_of("2016-09-14T18:15:28.500Z"));
	assert_true(ms_of("2016-09-14T18:15:28.123456Z") ==
	            ms_of("2016-09-14T18:15:28.123Z"));
	assert_true(ms_of("2016-09-14T20:15:28+02:00") ==
	            ms_of("2016-09-14T18:15:28Z"));
	assert_true(ms_of("2016-09-14T13:15:28.000-05:00") ==
	            ms_of("2016-09-14T18:15:28Z"));
}

static void test_bad_times_are_refused(void **state)
{
	static const char *const bad[] = {
	        "",
	        "2016-09-14",
	        "2016-09-14T18:15:28",      /* no zone */
	        "2016-09-14T18:15:28.Z",    /* an empty fraction */
	        "2016-13-01T00:00:00Z",     /* month 13 */
	        "2023-02-29T00:00:00Z",     /* not a leap year */
	        "1900-02-29T00:00:00Z",     /* nor is 1900 */
	        "2016-09-14T24:00:00Z",     /* hour 24 */
	        "2016-09-14T18:15:28+0200", /* offset without colon */
	        "2016-09-14T18:15:28Zjunk",
	        "yesterday, around noon",
	};
	int64_t ms = 42;

	(void)state;
	assert_int_equal(itg_automap_time_ms(NULL, &ms), XDR_EINVAL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(itg_automap_time_ms(bad[i], &ms), XDR_EINVAL);
	assert_true(ms == 42);
	assert_int_equal(itg_automap_time_ms("2000-02-29T00:00:00Z", &ms), 0);
}

/* ---- full or incremental --------------------------------------------- */

/* A run of every group an hour after a full pass that left a mark, from the
 * same URL and key: incremental. */
static struct itg_automap_decision_input fresh_mark(void)
{
	return (struct itg_automap_decision_input){
	        .recorded = true,
	        .mark = "2026-03-01T00:00:00.000Z",
	        .source = "https://api.itglue.com ITG.****abcd",
	        .full_at = 1000000,
	        .now_source = "https://api.itglue.com ITG.****abcd",
	        .now = 1000000 + HOUR,
	        .full_pass_hours = 24,
	};
}

static void test_a_recent_mark_reads_incrementally(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_NONE);
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_NONE), "");
}

static void test_no_mark_reads_in_full(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.recorded = false;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_NO_MARK);
	/* A complete read that saw no configuration left no mark. */
	in = fresh_mark();
	in.mark = NULL;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_NO_MARK);
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_NO_MARK),
	                    "no_mark");
}

static void test_a_full_pass_is_due_after_the_setting(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.now = in.full_at + 24 * HOUR - 1;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_NONE);
	in.now = in.full_at + 24 * HOUR;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_DUE);
	in.full_pass_hours = 48;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_NONE);
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_DUE), "due");
}

static void test_zero_hours_reads_in_full_every_time(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.full_pass_hours = 0;
	in.now = in.full_at;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_ALWAYS);
}

static void test_a_clock_gone_back_makes_the_pass_due(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.now = in.full_at - 1;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_DUE);
}

static void test_another_url_or_key_reads_in_full(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.now_source = "https://api.eu.itglue.com ITG.****abcd";
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_SOURCE);
	in.now_source = "https://api.itglue.com ITG.****wxyz";
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_SOURCE);
	in.source = NULL;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_SOURCE);
}

static void test_asked_and_some_groups_read_in_full(void **state)
{
	struct itg_automap_decision_input in = fresh_mark();

	(void)state;
	in.asked_full = true;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_ASKED);
	in.some_groups = true;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_GROUPS);
	/* Before anything else: such a run keeps no mark. */
	in.recorded = false;
	assert_int_equal(itg_automap_decide(&in), ITG_FULL_GROUPS);
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_ASKED),
	                    "asked");
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_GROUPS),
	                    "groups");
	assert_string_equal(itg_automap_full_reason_name(ITG_FULL_NOT_SORTED),
	                    "not_sorted");
}

/* ---- where an incremental read stops --------------------------------- */

#define MARK "2026-03-01T12:00:00.000Z"

static struct itg_automap_cursor cursor(void)
{
	struct itg_automap_cursor c;

	assert_int_equal(
	        itg_automap_cursor_init(&c, MARK, ITG_AUTOMAP_OVERLAP_MS, 0),
	        0);
	return c;
}

#define VERDICT(c, ...)                                                        \
	itg_automap_page_verdict(&(c), (const char *const[]){__VA_ARGS__},     \
	                         sizeof((const char *const[]){__VA_ARGS__}) /  \
	                                 sizeof(char *))

static void test_a_page_of_recent_changes_goes_on(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	assert_int_equal(VERDICT(c, "2026-03-02T09:00:00.000Z",
	                         "2026-03-02T08:00:00.000Z", MARK),
	                 ITG_PAGE_GO_ON);
	assert_string_equal(c.newest, "2026-03-02T09:00:00.000Z");
}

static void test_the_page_reaching_below_the_mark_is_the_last(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	assert_int_equal(VERDICT(c, "2026-03-02T09:00:00.000Z",
	                         "2026-02-20T00:00:00.000Z"),
	                 ITG_PAGE_LAST);
}

static void test_the_overlap_reads_a_little_below_the_mark(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	/* Ten minutes below the mark is still read... */
	assert_int_equal(VERDICT(c, "2026-03-01T11:55:00.000Z",
	                         "2026-03-01T11:50:00.000Z"),
	                 ITG_PAGE_GO_ON);
	/* ...a millisecond more is not. */
	assert_int_equal(VERDICT(c, "2026-03-01T11:49:59.999Z"), ITG_PAGE_LAST);
}

static void test_the_slack_of_a_long_read_widens_the_overlap(void **state)
{
	struct itg_automap_cursor c;

	(void)state;
	assert_int_equal(
	        itg_automap_cursor_init(&c, MARK, ITG_AUTOMAP_OVERLAP_MS, 300),
	        0);
	assert_int_equal(VERDICT(c, "2026-03-01T11:46:00.000Z"),
	                 ITG_PAGE_GO_ON);
	assert_int_equal(VERDICT(c, "2026-03-01T11:44:59.999Z"), ITG_PAGE_LAST);
}

static void test_an_empty_page_is_the_last(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	assert_int_equal(itg_automap_page_verdict(&c, NULL, 0), ITG_PAGE_LAST);
}

static void test_equal_times_are_sorted(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	/* The sandbox's demo data: every record at the same time. */
	assert_int_equal(VERDICT(c, MARK, MARK, MARK), ITG_PAGE_GO_ON);
	assert_int_equal(VERDICT(c, MARK), ITG_PAGE_GO_ON);
}

static void test_an_ignored_sort_is_noticed_within_a_page(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	/* What sort=id answers: times going up and down. */
	assert_int_equal(VERDICT(c, "2025-01-01T00:00:00.000Z",
	                         "2026-03-02T00:00:00.000Z"),
	                 ITG_PAGE_NOT_SORTED);
}

static void test_an_ignored_sort_is_noticed_across_pages(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	assert_int_equal(VERDICT(c, "2026-03-03T00:00:00.000Z",
	                         "2026-03-02T00:00:00.000Z"),
	                 ITG_PAGE_GO_ON);
	assert_int_equal(VERDICT(c, "2026-03-02T00:00:00.001Z"),
	                 ITG_PAGE_NOT_SORTED);
}

static void test_a_record_without_time_cannot_be_placed(void **state)
{
	struct itg_automap_cursor c = cursor();

	(void)state;
	assert_int_equal(VERDICT(c, "2026-03-03T00:00:00.000Z", NULL),
	                 ITG_PAGE_NOT_SORTED);
	c = cursor();
	assert_int_equal(VERDICT(c, "not a time"), ITG_PAGE_NOT_SORTED);
}

static void test_a_bad_mark_is_refused(void **state)
{
	struct itg_automap_cursor c;

	(void)state;
	assert_int_equal(itg_automap_cursor_init(&c, NULL, 0, 0), XDR_EINVAL);
	assert_int_equal(itg_automap_cursor_init(&c, "soon", 0, 0), XDR_EINVAL);
}

/* Pages of 1000 of a listing sorted by -updated_at: CHANGED records newer
 * than the mark, then the rest, a minute apart below it. How many pages
 * does the read take? */
static size_t pages_read(size_t changed, size_t total)
{
	struct itg_automap_cursor c = cursor();
	static char text[3000][32];
	const char *page[1000];
	size_t pages = 0;
	int64_t mark = ms_of(MARK) / 1000;

	assert_true(total <= 3000);
	for (size_t i = 0; i < total; i++) {
		time_t t =
		        (time_t)(i < changed
		                         ? mark + 3600 - (int64_t)i
		                         : mark - 60 * (int64_t)(i - changed));

		assert_true(strftime(text[i], sizeof(text[i]),
		                     "%Y-%m-%dT%H:%M:%S.000Z", gmtime(&t)) > 0);
	}
	for (size_t first = 0; first < total; first += 1000) {
		size_t n = total - first < 1000 ? total - first : 1000;
		enum itg_automap_verdict v;

		for (size_t i = 0; i < n; i++)
			page[i] = text[first + i];
		pages++;
		v = itg_automap_page_verdict(&c, page, n);
		assert_int_not_equal(v, ITG_PAGE_NOT_SORTED);
		if (v == ITG_PAGE_LAST)
			break;
	}
	return pages;
}

static void test_pages_read_follow_the_changes(void **state)
{
	(void)state;
	/* The mark itself and ten minutes below it are read again: 11
	 * records a minute apart. A page of 1000 that holds up to 988
	 * changes also holds a record older than that: the last page. */
	assert_int_equal(pages_read(0, 2500), 1);
	assert_int_equal(pages_read(25, 2500), 1);
	assert_int_equal(pages_read(988, 2500), 1);
	assert_int_equal(pages_read(989, 2500), 2);
	assert_int_equal(pages_read(1250, 2500), 2);
	assert_int_equal(pages_read(2000, 2500), 3);
}

/* ---- merging --------------------------------------------------------- */

static const char *const mac_a[] = {"18-5E-0F-ED-99-9A"};
static const char *const mac_b[] = {"C4:7A:92:14:3D:78"};

#define CONFIG(id_, org_, name_, mac_)                                         \
	{                                                                      \
		.id = id_, .organization_id = org_, .name = name_,             \
		.macs = mac_, .n_macs = 1                                      \
	}

/* What the cache held: Acme (1) has 100, 101; Globex (2) has 200. */
static const struct itg_map_config cached[] = {
        CONFIG("100", "1", "ACME-DC01", mac_a),
        CONFIG("101", "1", "ACME-WS01", mac_a),
        CONFIG("200", "2", "GLOBEX-SRV01", mac_a),
};

static const char *const followed[] = {"1", "2"};

/* The run's configurations: the cached ones no change hides, then the
 * changes kept, by id (as automap_sync.c builds them). */
static size_t merged(const struct itg_automap_merge *plan,
                     const struct itg_map_config **out)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(cached) / sizeof(cached[0]); i++) {
		if (itg_automap_org_in(followed, 2,
		                       cached[i].organization_id) &&
		    !itg_automap_merge_hides(plan, cached[i].id))
			out[n++] = &cached[i];
	}
	for (size_t i = 0; i < plan->n; i++) {
		if (plan->kept[i])
			out[n++] = plan->changed[plan->first[i]];
	}
	return n;
}

static void test_a_changed_record_replaces_the_cached_one(void **state)
{
	static const struct itg_map_config renamed =
	        CONFIG("101", "1", "ACME-WS01-NEW", mac_b);
	const struct itg_map_config *changes[] = {&renamed};
	const struct itg_map_config *out[8];
	struct itg_automap_merge plan;
	size_t n;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(changes, 1, followed, 2, &plan),
	                 0);
	assert_true(itg_automap_merge_hides(&plan, "101"));
	assert_false(itg_automap_merge_hides(&plan, "100"));
	n = merged(&plan, out);
	assert_int_equal(n, 3);
	assert_string_equal(out[0]->id, "100");
	assert_string_equal(out[1]->id, "200");
	assert_ptr_equal(out[2], &renamed);
	assert_string_equal(out[2]->macs[0], "C4:7A:92:14:3D:78");
	itg_automap_merge_clear(&plan);
}

static void test_a_new_record_of_a_followed_organization_joins(void **state)
{
	static const struct itg_map_config added =
	        CONFIG("102", "1", "ACME-WS02", mac_b);
	const struct itg_map_config *changes[] = {&added};
	const struct itg_map_config *out[8];
	struct itg_automap_merge plan;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(changes, 1, followed, 2, &plan),
	                 0);
	assert_int_equal(merged(&plan, out), 4);
	assert_ptr_equal(out[3], &added);
	itg_automap_merge_clear(&plan);
}

static void test_a_record_moved_out_leaves(void **state)
{
	/* Configuration 200 moved to organization 3, which no group maps
	 * to; 300 of organization 3 was never cached. */
	static const struct itg_map_config moved =
	        CONFIG("200", "3", "GLOBEX-SRV01", mac_a);
	static const struct itg_map_config other =
	        CONFIG("300", "3", "ELSEWHERE", mac_b);
	const struct itg_map_config *changes[] = {&moved, &other};
	const struct itg_map_config *out[8];
	struct itg_automap_merge plan;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(changes, 2, followed, 2, &plan),
	                 0);
	assert_int_equal(plan.n, 2);
	assert_false(plan.kept[0]);
	assert_false(plan.kept[1]);
	assert_int_equal(merged(&plan, out), 2);
	assert_string_equal(out[0]->id, "100");
	assert_string_equal(out[1]->id, "101");
	itg_automap_merge_clear(&plan);
}

static void test_an_id_read_twice_counts_as_first_read(void **state)
{
	/* A page shift repeats a record, or an organization read in full
	 * holds it too: the first of the list wins. */
	static const struct itg_map_config newest =
	        CONFIG("101", "2", "MOVED-TO-GLOBEX", mac_b);
	static const struct itg_map_config older =
	        CONFIG("101", "1", "ACME-WS01-OLD", mac_a);
	const struct itg_map_config *changes[] = {&newest, &older, &older};
	const struct itg_map_config *out[8];
	struct itg_automap_merge plan;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(changes, 3, followed, 2, &plan),
	                 0);
	assert_int_equal(plan.n, 1);
	assert_int_equal(plan.first[0], 0);
	assert_int_equal(merged(&plan, out), 3);
	assert_ptr_equal(out[2], &newest);
	itg_automap_merge_clear(&plan);
}

static void test_no_change_keeps_the_cache(void **state)
{
	const struct itg_map_config *out[8];
	struct itg_automap_merge plan;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(NULL, 0, followed, 2, &plan),
	                 0);
	assert_false(itg_automap_merge_hides(&plan, "100"));
	assert_int_equal(merged(&plan, out), 3);
	itg_automap_merge_clear(&plan);
}

static void test_a_change_without_id_is_refused(void **state)
{
	static const struct itg_map_config no_id =
	        CONFIG(NULL, "1", "?", mac_a);
	const struct itg_map_config *changes[] = {&no_id};
	struct itg_automap_merge plan;

	(void)state;
	assert_int_equal(itg_automap_merge_plan(changes, 1, followed, 2, &plan),
	                 XDR_EINVAL);
	itg_automap_merge_clear(&plan);
}

static void test_many_changes_merge_by_id(void **state)
{
	enum { N = 20000 };
	struct itg_map_config *list = calloc(N, sizeof(*list));
	const struct itg_map_config **changes = calloc(N, sizeof(*changes));
	char(*ids)[16] = calloc(N, sizeof(*ids));
	struct itg_automap_merge plan;

	(void)state;
	assert_non_null(list);
	assert_non_null(changes);
	assert_non_null(ids);
	/* Each id twice, newest first: 10000 ids, half of them followed. */
	for (size_t i = 0; i < N; i++) {
		snprintf(ids[i], sizeof(ids[i]), "%zu", (i * 7919) % (N / 2));
		list[i].id = ids[i];
		list[i].organization_id = i % 2 ? "1" : "3";
		changes[i] = &list[i];
	}
	assert_int_equal(itg_automap_merge_plan(changes, N, followed, 2, &plan),
	                 0);
	assert_int_equal(plan.n, N / 2);
	for (size_t i = 0; i < plan.n; i++) {
		assert_true(plan.first[i] < N / 2);
		assert_true(itg_automap_merge_hides(&plan, ids[plan.first[i]]));
	}
	assert_false(itg_automap_merge_hides(&plan, "99999"));
	itg_automap_merge_clear(&plan);
	free(list);
	free(changes);
	free(ids);
}

static void test_the_newer_of_two_times(void **state)
{
	(void)state;
	assert_string_equal(itg_automap_newer("2024-01-01T00:00:00.000Z",
	                                      "2024-01-01T00:00:01Z"),
	                    "2024-01-01T00:00:01Z");
	/* an offset counts: 01:00+02:00 is 23:00 the day before */
	assert_string_equal(itg_automap_newer("2024-01-01T01:00:00+02:00",
	                                      "2023-12-31T23:30:00Z"),
	                    "2023-12-31T23:30:00Z");
	/* equal: the first */
	assert_string_equal(itg_automap_newer("2024-01-01T00:00:00Z",
	                                      "2024-01-01T00:00:00.000Z"),
	                    "2024-01-01T00:00:00Z");
	/* what is not a time loses */
	assert_string_equal(itg_automap_newer(NULL, "2024-01-01T00:00:00Z"),
	                    "2024-01-01T00:00:00Z");
	assert_string_equal(itg_automap_newer("2024-01-01T00:00:00Z", ""),
	                    "2024-01-01T00:00:00Z");
	assert_null(itg_automap_newer(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_the_newer_of_two_times),
	        cmocka_unit_test(test_time_of_the_api_docs),
	        cmocka_unit_test(test_time_fractions_and_offsets),
	        cmocka_unit_test(test_bad_times_are_refused),
	        cmocka_unit_test(test_a_recent_mark_reads_incrementally),
	        cmocka_unit_test(test_no_mark_reads_in_full),
	        cmocka_unit_test(test_a_full_pass_is_due_after_the_setting),
	        cmocka_unit_test(test_zero_hours_reads_in_full_every_time),
	        cmocka_unit_test(test_a_clock_gone_back_makes_the_pass_due),
	        cmocka_unit_test(test_another_url_or_key_reads_in_full),
	        cmocka_unit_test(test_asked_and_some_groups_read_in_full),
	        cmocka_unit_test(test_a_page_of_recent_changes_goes_on),
	        cmocka_unit_test(
	                test_the_page_reaching_below_the_mark_is_the_last),
	        cmocka_unit_test(
	                test_the_overlap_reads_a_little_below_the_mark),
	        cmocka_unit_test(
	                test_the_slack_of_a_long_read_widens_the_overlap),
	        cmocka_unit_test(test_an_empty_page_is_the_last),
	        cmocka_unit_test(test_equal_times_are_sorted),
	        cmocka_unit_test(test_an_ignored_sort_is_noticed_within_a_page),
	        cmocka_unit_test(test_an_ignored_sort_is_noticed_across_pages),
	        cmocka_unit_test(test_a_record_without_time_cannot_be_placed),
	        cmocka_unit_test(test_a_bad_mark_is_refused),
	        cmocka_unit_test(test_pages_read_follow_the_changes),
	        cmocka_unit_test(test_a_changed_record_replaces_the_cached_one),
	        cmocka_unit_test(
	                test_a_new_record_of_a_followed_organization_joins),
	        cmocka_unit_test(test_a_record_moved_out_leaves),
	        cmocka_unit_test(test_an_id_read_twice_counts_as_first_read),
	        cmocka_unit_test(test_no_change_keeps_the_cache),
	        cmocka_unit_test(test_a_change_without_id_is_refused),
	        cmocka_unit_test(test_many_changes_merge_by_id),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
