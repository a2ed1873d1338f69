/*
 * test_plugin_jsonapi.c - reading JSON:API documents with IT Glue's quirks.
 *
 * The documents are the project's own, shaped like IT Glue's answers.
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
#include "json_prune.h"
#include "jsonapi.h"

static char err[256];

static struct itg_doc *parse_ok(const char *text)
{
	struct itg_doc *doc = NULL;
	int rc = itg_jsonapi_parse(text, strlen(text), 0, &doc, err,
	                           sizeof(err));

	if (rc != 0)
		print_error("unexpected failure: %s\n", err);
	assert_int_equal(rc, 0);
	assert_non_null(doc);
	return doc;
}

static int parse_fails(const char *text)
{
	struct itg_doc *doc = (struct itg_doc *)&doc;
	int rc;

	err[0] = '\0';
	rc = itg_jsonapi_parse(text, strlen(text), 0, &doc, err, sizeof(err));
	assert_null(doc);
	assert_true(rc < 0);
	assert_true(err[0] != '\0');
	return rc;
}

static void test_list_with_string_ids_and_numeric_foreign_keys(void **state)
{
	struct itg_doc *doc;
	int64_t v;

	(void)state;
	doc = parse_ok(
	        "{\"data\":[{\"id\":\"31\",\"type\":\"organizations\","
	        "\"attributes\":{\"name\":\"Northwind\",\"parent-id\":\"7\","
	        "\"ancestor-ids\":\"[7,3]\",\"organization-type-id\":12}},"
	        "{\"id\":\"32\",\"type\":\"organizations\",\"attributes\":"
	        "{\"name\":\"Contoso\",\"parent-id\":null}}],"
	        "\"meta\":{\"current-page\":1,\"next-page\":null,"
	        "\"prev-page\":null,\"total-pages\":1,\"total-count\":2,"
	        "\"filters\":{}}}");
	assert_true(doc->data_is_array);
	assert_int_equal(doc->n_data, 2);
	assert_string_equal(doc->data[0].id, "31");
	assert_string_equal(doc->data[0].type, "organizations");
	assert_string_equal(itg_json_str(doc->data[0].attributes, "name"),
	                    "Northwind");
	/* parent-id as a string, a foreign key as a number: both read. */
	assert_int_equal(
	        itg_json_int64(doc->data[0].attributes, "parent-id", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(itg_json_int64(doc->data[0].attributes,
	                                "organization-type-id", &v),
	                 0);
	assert_int_equal(v, 12);
	/* ancestor-ids is a string holding JSON, not an array. */
	assert_null(itg_json_array(doc->data[0].attributes, "ancestor-ids"));
	assert_string_equal(
	        itg_json_str(doc->data[0].attributes, "ancestor-ids"), "[7,3]");
	assert_int_equal(
	        itg_json_int64(doc->data[1].attributes, "parent-id", &v),
	        XDR_ENOTFOUND);
	assert_true(doc->paging.present);
	assert_int_equal(doc->paging.current_page, 1);
	assert_int_equal(doc->paging.next_page, ITG_PAGE_UNKNOWN);
	assert_int_equal(doc->paging.total_pages, 1);
	assert_int_equal(doc->paging.total_count, 2);
	assert_null(doc->links_next);
	itg_doc_free(doc);
}

static void test_numeric_ids_are_normalised(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":[{\"id\":455,\"type\":\"configurations\"},"
	               "{\"id\":\"0456\",\"type\":\"configurations\"},"
	               "{\"id\":9007199254740993,\"type\":\"configurations\"},"
	               "{\"id\":12.0,\"type\":\"configurations\"}]}");
	assert_string_equal(doc->data[0].id, "455");
	assert_string_equal(doc->data[1].id, "0456");
	assert_string_equal(doc->data[2].id, "9007199254740993");
	assert_string_equal(doc->data[3].id, "12");
	itg_doc_free(doc);
}

static void test_single_object_data(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":{\"id\":\"88\",\"type\":\"contacts\","
	               "\"attributes\":{\"first-name\":\"Ines\"}}}");
	assert_false(doc->data_is_array);
	assert_int_equal(doc->n_data, 1);
	assert_string_equal(doc->data[0].id, "88");
	assert_false(doc->paging.present);
	assert_int_equal(doc->paging.total_pages, ITG_PAGE_UNKNOWN);
	itg_doc_free(doc);
}

static void test_null_and_empty_data(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":null}");
	assert_int_equal(doc->n_data, 0);
	itg_doc_free(doc);
	doc = parse_ok("{\"data\":[],\"meta\":{\"current-page\":1,"
	               "\"next-page\":null,\"total-pages\":0,"
	               "\"total-count\":0}}");
	assert_true(doc->data_is_array);
	assert_int_equal(doc->n_data, 0);
	assert_int_equal(doc->paging.total_pages, 0);
	itg_doc_free(doc);
}

static void test_interfaces_take_their_id_from_attributes(void **state)
{
	struct itg_doc *doc;
	enum itg_tristate primary;

	(void)state;
	doc = parse_ok("{\"data\":[{\"type\":\"configuration-interfaces\","
	               "\"attributes\":{\"id\":501,\"name\":null,"
	               "\"mac-address\":\"A0:B1:C2:D3:E4:F5\","
	               "\"primary\":true}},"
	               "{\"type\":\"configuration-interfaces\",\"attributes\":"
	               "{\"id\":\"502\",\"mac-address\":null,"
	               "\"primary\":false}}]}");
	assert_int_equal(doc->n_data, 2);
	assert_string_equal(doc->data[0].id, "501");
	assert_string_equal(doc->data[1].id, "502");
	assert_null(itg_json_str(doc->data[0].attributes, "name"));
	assert_null(itg_json_str(doc->data[1].attributes, "mac-address"));
	assert_int_equal(
	        itg_json_bool(doc->data[0].attributes, "primary", &primary), 0);
	assert_int_equal(primary, ITG_TRI_TRUE);
	itg_doc_free(doc);
}

static void test_top_level_id_wins_over_attributes(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":{\"id\":\"9\",\"type\":\"x\",\"attributes\":"
	               "{\"id\":10}}}");
	assert_string_equal(doc->data[0].id, "9");
	itg_doc_free(doc);
}

static void test_included_top_level_with_numeric_ids(void **state)
{
	struct itg_doc *doc;
	const struct itg_resource *r;

	(void)state;
	doc = parse_ok(
	        "{\"data\":{\"id\":\"40\",\"type\":\"flexible-asset-types\","
	        "\"relationships\":{\"flexible-asset-fields\":{\"data\":["
	        "{\"id\":\"700\",\"type\":\"flexible-asset-fields\"},"
	        "{\"id\":\"701\",\"type\":\"flexible-asset-fields\"}]}}},"
	        "\"included\":[{\"id\":700,\"type\":\"flexible-asset-fields\","
	        "\"attributes\":{\"name-key\":\"report-name\"}},"
	        "{\"id\":701,\"type\":\"flexible-asset-fields\","
	        "\"attributes\":{\"name-key\":\"report-file\"}}]}");
	assert_non_null(doc->data[0].relationships);
	assert_int_equal(doc->n_included, 2);
	/* Relationship ids are strings, included ids numbers: they meet. */
	r = itg_doc_included(doc, "flexible-asset-fields", "701");
	assert_non_null(r);
	assert_string_equal(itg_json_str(r->attributes, "name-key"),
	                    "report-file");
	assert_null(itg_doc_included(doc, "flexible-asset-fields", "702"));
	assert_null(itg_doc_included(doc, "configurations", "700"));
	itg_doc_free(doc);
}

static void test_included_nested_inside_data(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":{\"id\":\"88\",\"type\":\"contacts\","
	               "\"relationships\":{\"attachments\":{\"data\":["
	               "{\"id\":\"5\",\"type\":\"attachments\"}]}},"
	               "\"included\":[{\"id\":\"5\",\"type\":\"attachments\","
	               "\"attributes\":{\"name\":\"notes.txt\"}}]}}");
	assert_int_equal(doc->n_included, 1);
	assert_non_null(itg_doc_included(doc, "attachments", "5"));
	itg_doc_free(doc);
	/* Both places at once are read in document order. */
	doc = parse_ok("{\"data\":[{\"id\":\"1\",\"type\":\"a\",\"included\":"
	               "[{\"id\":2,\"type\":\"b\"}]}],\"included\":"
	               "[{\"id\":\"3\",\"type\":\"b\"}]}");
	assert_int_equal(doc->n_included, 2);
	assert_string_equal(doc->included[0].id, "3");
	assert_string_equal(doc->included[1].id, "2");
	itg_doc_free(doc);
}

static void test_meta_and_links_absent(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":[{\"id\":\"1\",\"type\":\"flexible-assets\","
	               "\"relationships\":{}}]}");
	assert_false(doc->paging.present);
	assert_int_equal(doc->paging.current_page, ITG_PAGE_UNKNOWN);
	assert_int_equal(doc->paging.next_page, ITG_PAGE_UNKNOWN);
	assert_null(doc->links_next);
	itg_doc_free(doc);
}

static void test_empty_links_with_next_page_in_meta(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":[],\"meta\":{\"current-page\":1,"
	               "\"next-page\":2,\"total-pages\":3},\"links\":"
	               "{\"self\":\"\",\"next\":\"\",\"last\":\"\"}}");
	assert_null(doc->links_next);
	assert_int_equal(doc->paging.next_page, 2);
	itg_doc_free(doc);
	doc = parse_ok("{\"data\":[],\"links\":{}}");
	assert_null(doc->links_next);
	itg_doc_free(doc);
	doc = parse_ok("{\"data\":[],\"links\":{\"next\":"
	               "\"https://api.itglue.com/x?page%5Bnumber%5D=2\"}}");
	assert_string_equal(doc->links_next,
	                    "https://api.itglue.com/x?page%5Bnumber%5D=2");
	itg_doc_free(doc);
}

static void test_meta_numbers_as_strings(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("{\"data\":[],\"meta\":{\"current-page\":\"2\","
	               "\"next-page\":\"3\",\"prev-page\":1,"
	               "\"total-pages\":\"5\",\"total-count\":\"4321\"}}");
	assert_int_equal(doc->paging.current_page, 2);
	assert_int_equal(doc->paging.next_page, 3);
	assert_int_equal(doc->paging.prev_page, 1);
	assert_int_equal(doc->paging.total_pages, 5);
	assert_int_equal(doc->paging.total_count, 4321);
	itg_doc_free(doc);
}

static void test_bad_meta_is_refused(void **state)
{
	(void)state;
	parse_fails("{\"data\":[],\"meta\":{\"total-pages\":\"many\"}}");
	parse_fails("{\"data\":[],\"meta\":{\"next-page\":-2}}");
	parse_fails("{\"data\":[],\"meta\":[]}");
	parse_fails("{\"data\":[],\"links\":\"x\"}");
}

static void test_double_encoded_document(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok("\"{\\\"data\\\":{\\\"id\\\":\\\"3\\\","
	               "\\\"type\\\":\\\"organizations\\\"}}\"");
	assert_string_equal(doc->data[0].id, "3");
	itg_doc_free(doc);
	/* Decoded once only. */
	parse_fails("\"\\\"{}\\\"\"");
	parse_fails("\"not json\"");
}

static void test_attribute_readers(void **state)
{
	struct itg_doc *doc;
	struct json_object *a, *emails;
	int64_t v = 77;
	enum itg_tristate t;

	(void)state;
	doc = parse_ok("{\"data\":{\"id\":\"1\",\"type\":\"contacts\","
	               "\"attributes\":{\"important\":null,\"archived\":false,"
	               "\"flag\":\"true\",\"n\":\"-12\",\"big\":"
	               "\"99999999999999999999\",\"neg\":-3,\"float\":1.5,"
	               "\"word\":\"12a\",\"blank\":\"\",\"contact-emails\":"
	               "[{\"value\":\"ines@northwind.example\","
	               "\"primary\":true,\"label-name\":\"Work\"}]}}}");
	a = doc->data[0].attributes;
	assert_int_equal(itg_json_bool(a, "important", &t), 0);
	assert_int_equal(t, ITG_TRI_NULL);
	assert_int_equal(itg_json_bool(a, "absent", &t), 0);
	assert_int_equal(t, ITG_TRI_NULL);
	assert_int_equal(itg_json_bool(a, "archived", &t), 0);
	assert_int_equal(t, ITG_TRI_FALSE);
	assert_int_equal(itg_json_bool(a, "flag", &t), XDR_EINVAL);
	assert_int_equal(itg_json_int64(a, "n", &v), 0);
	assert_int_equal(v, -12);
	assert_int_equal(itg_json_int64(a, "neg", &v), 0);
	assert_int_equal(v, -3);
	v = 77;
	assert_int_equal(itg_json_int64(a, "big", &v), XDR_EINVAL);
	assert_int_equal(itg_json_int64(a, "float", &v), XDR_EINVAL);
	assert_int_equal(itg_json_int64(a, "word", &v), XDR_EINVAL);
	assert_int_equal(itg_json_int64(a, "blank", &v), XDR_EINVAL);
	assert_int_equal(itg_json_int64(a, "contact-emails", &v), XDR_EINVAL);
	assert_int_equal(v, 77);
	assert_int_equal(itg_json_int64(NULL, "n", &v), XDR_ENOTFOUND);
	assert_null(itg_json_str(a, "n-absent"));
	assert_null(itg_json_str(a, "neg"));
	assert_null(itg_json_str(NULL, "x"));
	emails = itg_json_array(a, "contact-emails");
	assert_non_null(emails);
	assert_int_equal(json_object_array_length(emails), 1);
	assert_string_equal(
	        itg_json_str(json_object_array_get_idx(emails, 0), "value"),
	        "ines@northwind.example");
	assert_null(itg_json_array(a, "important"));
	assert_null(itg_json_array(a, "n"));
	itg_doc_free(doc);
}

static void test_mac_notations_are_read_as_given(void **state)
{
	struct itg_doc *doc;

	(void)state;
	doc = parse_ok(
	        "{\"data\":[{\"id\":\"1\",\"type\":\"configurations\","
	        "\"attributes\":{\"mac-address\":\"3C-52-82-71-A0-B4\"}},"
	        "{\"id\":\"2\",\"type\":\"configurations\",\"attributes\":"
	        "{\"mac-address\":\"3c:52:82:71:a0:b4\"}},"
	        "{\"id\":\"3\",\"type\":\"configurations\",\"attributes\":"
	        "{\"mac-address\":\"3C-52-82-71-A0-BZ\"}},"
	        "{\"id\":\"4\",\"type\":\"configurations\",\"attributes\":"
	        "{\"mac-address\":null}}]}");
	assert_string_equal(
	        itg_json_str(doc->data[0].attributes, "mac-address"),
	        "3C-52-82-71-A0-B4");
	assert_string_equal(
	        itg_json_str(doc->data[1].attributes, "mac-address"),
	        "3c:52:82:71:a0:b4");
	assert_string_equal(
	        itg_json_str(doc->data[2].attributes, "mac-address"),
	        "3C-52-82-71-A0-BZ");
	assert_null(itg_json_str(doc->data[3].attributes, "mac-address"));
	itg_doc_free(doc);
}

static void test_not_a_document(void **state)
{
	(void)state;
	parse_fails("");
	parse_fails("   ");
	parse_fails("null");
	parse_fails("[]");
	parse_fails("42");
	parse_fails("{}");
	parse_fails("{\"errors\":[{\"status\":422}]}");
	parse_fails("{\"data\":\"x\"}");
	parse_fails("{\"data\":[1]}");
	parse_fails("<html><body>Gateway Timeout</body></html>");
	/* The documented examples' own mistakes. */
	parse_fails("{\"data\":{\"id\":\"1\",\"type\":\"a\",\"attributes\":"
	            "{\"x\":[\"a\",]}}}");
	parse_fails("{\"data\":{\"id\":\"1\",\"type\":\"a\"]}");
	/* Cut short, and with something after it. */
	parse_fails("{\"data\":[{\"id\":\"1\",\"type\":\"a\"}");
	parse_fails("{\"data\":null} {}");
	parse_fails("{\"data\":null} x");
}

static void test_resources_need_type_and_id(void **state)
{
	char id[ITG_JSONAPI_ID_MAX + 40];

	(void)state;
	parse_fails("{\"data\":[{\"id\":\"1\"}]}");
	parse_fails("{\"data\":[{\"id\":\"1\",\"type\":\"\"}]}");
	parse_fails("{\"data\":[{\"id\":\"1\",\"type\":3}]}");
	parse_fails("{\"data\":[{\"type\":\"a\"}]}");
	parse_fails("{\"data\":[{\"type\":\"a\",\"attributes\":{}}]}");
	parse_fails("{\"data\":[{\"id\":\"\",\"type\":\"a\"}]}");
	parse_fails("{\"data\":[{\"id\":true,\"type\":\"a\"}]}");
	parse_fails("{\"data\":[{\"id\":1.5,\"type\":\"a\"}]}");
	parse_fails("{\"data\":[{\"id\":\"1\",\"type\":\"a\","
	            "\"attributes\":[]}]}");
	parse_fails("{\"included\":[{\"type\":\"b\"}],\"data\":[]}");
	snprintf(id, sizeof(id), "{\"data\":{\"type\":\"a\",\"id\":\"%0*d\"}}",
	         ITG_JSONAPI_ID_MAX, 7);
	parse_fails(id);
}

/* A NUL inside a type would make it read as another, shorter type. */
static void test_a_type_holding_a_nul_is_refused(void **state)
{
	(void)state;
	parse_fails("{\"data\":[{\"id\":\"5\",\"type\":\"\\u0000x\"}]}");
	parse_fails("{\"data\":[{\"id\":\"5\",\"type\":"
	            "\"configurations\\u0000x\"}]}");
	parse_fails("{\"data\":[],\"included\":[{\"id\":\"5\",\"type\":"
	            "\"configuration-interfaces\\u0000\"}]}");
}

/* What the server sent is quoted in one line, whatever bytes it holds. */
static void test_a_refusal_is_one_line(void **state)
{
	(void)state;
	parse_fails("{\"data\":[{\"type\":\"configu\x19rations\nx\"}]}");
	assert_string_equal(err, "data[0] (configu rations x) has no id");
}

static void test_size_limit(void **state)
{
	const char *text = "{\"data\":null}";
	struct itg_doc *doc = NULL;

	(void)state;
	assert_int_equal(itg_jsonapi_parse(text, strlen(text), 5, &doc, err,
	                                   sizeof(err)),
	                 XDR_ERANGE);
	assert_null(doc);
	assert_non_null(strstr(err, "at most 5"));
	assert_int_equal(itg_jsonapi_parse(text, strlen(text), strlen(text),
	                                   &doc, err, sizeof(err)),
	                 0);
	itg_doc_free(doc);
}

static void test_depth_limit(void **state)
{
	char text[256];
	size_t i, n = 0;
	struct itg_doc *doc = NULL;

	(void)state;
	/* {"data":null,"x": then 31 arrays: depth 32 in all. */
	n += (size_t)snprintf(text, sizeof(text), "{\"data\":null,\"x\":");
	for (i = 0; i < 31; i++)
		text[n++] = '[';
	for (i = 0; i < 31; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	assert_int_equal(itg_jsonapi_parse(text, n, 0, &doc, err, sizeof(err)),
	                 0);
	itg_doc_free(doc);
	n = (size_t)snprintf(text, sizeof(text), "{\"data\":null,\"x\":");
	for (i = 0; i < 32; i++)
		text[n++] = '[';
	for (i = 0; i < 32; i++)
		text[n++] = ']';
	text[n++] = '}';
	text[n] = '\0';
	assert_int_equal(itg_jsonapi_parse(text, n, 0, &doc, err, sizeof(err)),
	                 XDR_EINVAL);
	assert_non_null(strstr(err, "nesting too deep"));
}

/* "{"data": LEVELS arrays nested, closed, "}": what a hostile server may
 * send. */
static char *nested(size_t levels, size_t *len)
{
	char *text = malloc(2 * levels + 16);
	size_t n;

	assert_non_null(text);
	n = (size_t)sprintf(text, "{\"data\":");
	memset(text + n, '[', levels);
	memset(text + n + levels, ']', levels);
	n += 2 * levels;
	text[n++] = '}';
	text[n] = '\0';
	*len = n;
	return text;
}

/* 100,000 levels: refused at the limit, by the parser and by the pruner
 * (whose recursion stops there), never by a stack overflow. */
static void test_deep_nesting_is_refused_without_overflow(void **state)
{
	static const char *const keep[] = {"name", NULL};
	struct itg_doc *doc = NULL;
	size_t len;
	char *text = nested(100000, &len);
	char *pruned = NULL;
	size_t pruned_len = 0;

	(void)state;
	assert_int_equal(
	        itg_jsonapi_parse(text, len, 0, &doc, err, sizeof(err)),
	        XDR_EINVAL);
	assert_null(doc);
	assert_non_null(strstr(err, "nesting too deep"));
	assert_int_equal(itg_jsonapi_parse_kept(text, len, 0, keep, &doc, err,
	                                        sizeof(err)),
	                 XDR_EINVAL);
	assert_null(doc);
	assert_non_null(strstr(err, "nesting too deep"));
	assert_int_equal(itg_json_prune(text, len, keep,
	                                ITG_JSONAPI_MAX_DEPTH - 1, &pruned,
	                                &pruned_len),
	                 XDR_EINVAL);
	assert_null(pruned);
	free(text);
}

static void test_bytes_are_checked(void **state)
{
	const char nul[] = "{\"data\":null}\0{}";
	const char bad_utf8[] = "{\"data\":{\"id\":\"1\",\"type\":\"a\xff\"}}";
	struct itg_doc *doc = NULL;

	(void)state;
	assert_int_equal(itg_jsonapi_parse(nul, sizeof(nul) - 1, 0, &doc, err,
	                                   sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_jsonapi_parse(bad_utf8, strlen(bad_utf8), 0, &doc,
	                                   err, sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_jsonapi_parse(NULL, 0, 0, &doc, err, sizeof(err)),
	                 XDR_EINVAL);
	/* Only as many bytes as told are read. */
	assert_int_equal(itg_jsonapi_parse("{\"data\":null}xyz", 13, 0, &doc,
	                                   err, sizeof(err)),
	                 0);
	itg_doc_free(doc);
	itg_doc_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                test_list_with_string_ids_and_numeric_foreign_keys),
	        cmocka_unit_test(test_numeric_ids_are_normalised),
	        cmocka_unit_test(test_single_object_data),
	        cmocka_unit_test(test_null_and_empty_data),
	        cmocka_unit_test(test_interfaces_take_their_id_from_attributes),
	        cmocka_unit_test(test_top_level_id_wins_over_attributes),
	        cmocka_unit_test(test_included_top_level_with_numeric_ids),
	        cmocka_unit_test(test_included_nested_inside_data),
	        cmocka_unit_test(test_meta_and_links_absent),
	        cmocka_unit_test(test_empty_links_with_next_page_in_meta),
	        cmocka_unit_test(test_meta_numbers_as_strings),
	        cmocka_unit_test(test_bad_meta_is_refused),
	        cmocka_unit_test(test_double_encoded_document),
	        cmocka_unit_test(test_attribute_readers),
	        cmocka_unit_test(test_mac_notations_are_read_as_given),
	        cmocka_unit_test(test_not_a_document),
	        cmocka_unit_test(test_resources_need_type_and_id),
	        cmocka_unit_test(test_a_type_holding_a_nul_is_refused),
	        cmocka_unit_test(test_a_refusal_is_one_line),
	        cmocka_unit_test(test_size_limit),
	        cmocka_unit_test(test_depth_limit),
	        cmocka_unit_test(test_deep_nesting_is_refused_without_overflow),
	        cmocka_unit_test(test_bytes_are_checked),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
