/*
 * test_plugin_json_prune.c - pruning unread attributes out of JSON:API
 * documents before they are parsed: the copy, the strictness, and a sweep
 * of broken documents against json-c's strict parser.
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

static const char *const keep_name[] = {"name", "mac-address", NULL};

/* TEXT pruned with KEEP_NAME; the copy (free it). */
static char *pruned(const char *text)
{
	char *out = NULL;
	size_t len = 0;
	int rc = itg_json_prune(text, strlen(text), keep_name, 31, &out, &len);

	if (rc != 0)
		print_error("refused: %s\n", text);
	assert_int_equal(rc, 0);
	assert_non_null(out);
	assert_int_equal(len, strlen(out));
	return out;
}

static void assert_pruned(const char *text, const char *want)
{
	char *out = pruned(text);

	assert_string_equal(out, want);
	free(out);
}

static void assert_refused(const char *text, size_t len)
{
	char *out = (char *)&out;
	size_t n = 1;

	if (itg_json_prune(text, len, keep_name, 31, &out, &n) != XDR_EINVAL)
		print_error("accepted: %.*s\n", (int)len, text);
	assert_int_equal(itg_json_prune(text, len, keep_name, 31, &out, &n),
	                 XDR_EINVAL);
	assert_null(out);
	assert_int_equal(n, 0);
}

static void drops_unread_attributes_of_data_and_included(void **state)
{
	(void)state;
	assert_pruned(
	        "{\"data\":[{\"id\":\"1\",\"type\":\"configurations\","
	        "\"attributes\":{\"name\":\"FW1\",\"notes\":\"x\","
	        "\"mac-address\":\"00-11-22-33-44-55\",\"serial\":\"S\"},"
	        "\"relationships\":{\"configuration-interfaces\":{\"data\":"
	        "[{\"id\":\"7\",\"type\":\"configuration-interfaces\"}]}}}],"
	        "\"included\":[{\"id\":\"7\",\"type\":\"configuration-"
	        "interfaces\",\"attributes\":{\"ip-address\":\"10.0.0.1\","
	        "\"mac-address\":\"00:11:22:33:44:55\"}}],"
	        "\"meta\":{\"total-count\":1}}",
	        "{\"data\":[{\"id\":\"1\",\"type\":\"configurations\","
	        "\"attributes\":{\"name\":\"FW1\","
	        "\"mac-address\":\"00-11-22-33-44-55\"},"
	        "\"relationships\":{\"configuration-interfaces\":{\"data\":"
	        "[{\"id\":\"7\",\"type\":\"configuration-interfaces\"}]}}}],"
	        "\"included\":[{\"id\":\"7\",\"type\":\"configuration-"
	        "interfaces\",\"attributes\":{"
	        "\"mac-address\":\"00:11:22:33:44:55\"}}],"
	        "\"meta\":{\"total-count\":1}}");
	/* data as one object, included inside it (an IT Glue quirk) */
	assert_pruned("{\"data\":{\"id\":\"2\",\"type\":\"t\",\"attributes\":"
	              "{\"a\":1,\"name\":\"n\"},\"included\":[{\"id\":\"3\","
	              "\"type\":\"u\",\"attributes\":{\"b\":[1,2]}}]}}",
	              "{\"data\":{\"id\":\"2\",\"type\":\"t\",\"attributes\":"
	              "{\"name\":\"n\"},\"included\":[{\"id\":\"3\","
	              "\"type\":\"u\",\"attributes\":{}}]}}");
}

static void writes_the_commas_of_what_is_kept(void **state)
{
	(void)state;
	assert_pruned("{\"attributes\":{\"x\":1,\"name\":2}}",
	              "{\"attributes\":{\"name\":2}}");
	assert_pruned("{\"attributes\":{\"name\":2,\"x\":1}}",
	              "{\"attributes\":{\"name\":2}}");
	assert_pruned("{\"attributes\":{\"x\":1,\"name\":2,\"y\":3,"
	              "\"mac-address\":4,\"z\":5}}",
	              "{\"attributes\":{\"name\":2,\"mac-address\":4}}");
	assert_pruned("{\"attributes\":{\"x\":1,\"y\":{\"name\":1}}}",
	              "{\"attributes\":{}}");
	assert_pruned("{\"attributes\":{}}", "{\"attributes\":{}}");
	assert_pruned("{\"attributes\":{ }}", "{\"attributes\":{}}");
	/* a name given twice stays twice, as json-c then keeps the last */
	assert_pruned("{\"attributes\":{\"name\":1,\"name\":2}}",
	              "{\"attributes\":{\"name\":1,\"name\":2}}");
}

static void copies_the_rest_byte_for_byte(void **state)
{
	(void)state;
	/* whitespace outside pruned objects stays; inside, members are
	 * copied from their name to the end of their value */
	assert_pruned(
	        " { \"meta\" : { \"a\" : [ 1 , 2 ] } ,\n\t\"attributes\" :"
	        " { \"x\" : 1 ,  \"name\" :  \"v\" } } \r\n",
	        " { \"meta\" : { \"a\" : [ 1 , 2 ] } ,\n\t\"attributes\" :"
	        " {\"name\" :  \"v\"} } \r\n");
	assert_pruned("\"a JSON string holding {\\\"attributes\\\":{}}\"",
	              "\"a JSON string holding {\\\"attributes\\\":{}}\"");
	assert_pruned("[]", "[]");
	assert_pruned("0", "0");
	assert_pruned("null", "null");
	/* attributes that are not an object are left alone */
	assert_pruned("{\"attributes\":null,\"b\":{\"attributes\":[1]}}",
	              "{\"attributes\":null,\"b\":{\"attributes\":[1]}}");
}

static void does_not_prune_inside_what_it_keeps(void **state)
{
	(void)state;
	assert_pruned("{\"attributes\":{\"name\":{\"attributes\":{\"x\":1}}}}",
	              "{\"attributes\":{\"name\":{\"attributes\":{\"x\":1}}}}");
	/* but an "attributes" member anywhere else is pruned */
	assert_pruned("{\"meta\":{\"attributes\":{\"x\":1,\"name\":2}}}",
	              "{\"meta\":{\"attributes\":{\"name\":2}}}");
}

static void keeps_names_written_with_escapes(void **state)
{
	(void)state;
	/* names are compared as written: an escaped one is kept, and an
	 * escaped "attributes" is not pruned */
	assert_pruned("{\"attributes\":{\"n\\u0061me\":1,\"x\":2}}",
	              "{\"attributes\":{\"n\\u0061me\":1}}");
	assert_pruned("{\"attribute\\u0073\":{\"x\":1}}",
	              "{\"attribute\\u0073\":{\"x\":1}}");
	/* a longer or shorter name is not a kept one */
	assert_pruned("{\"attributes\":{\"names\":1,\"nam\":2}}",
	              "{\"attributes\":{}}");
}

static void accepts_every_form_of_valid_json(void **state)
{
	static const char *const valid[] = {
	        "0",
	        "-0",
	        "1",
	        "-12",
	        "1.5",
	        "-0.25e+10",
	        "3E-2",
	        "2e5",
	        "123456789012345678901234567890",
	        "true",
	        "false",
	        "null",
	        "\"\"",
	        "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\"",
	        "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 "
	        "\xf4\x8f\xbf\xbf\"",
	        "\"\xed\x9f\xbf \xee\x80\x80 \xef\xbf\xbf\"",
	        "[]",
	        "{}",
	        "[[],{},[{}]]",
	        " \t\r\n[ 1 , \"a\" , { \"b\" : null } ]\n",
	        "{\"a\":{\"attributes\":{\"name\":[true,false,null]}}}"};

	(void)state;
	for (size_t i = 0; i < sizeof(valid) / sizeof(valid[0]); i++) {
		char *out = pruned(valid[i]);

		free(out);
	}
}

static void refuses_what_is_not_strict_json(void **state)
{
	static const char *const invalid[] = {
	        "",
	        " ",
	        "{",
	        "}",
	        "[",
	        "]",
	        "[1,]",
	        "[,1]",
	        "{\"a\":1,}",
	        "{,}",
	        "{\"a\"}",
	        "{\"a\":}",
	        "{\"a\" 1}",
	        "{a:1}",
	        "{'a':1}",
	        "[1 2]",
	        "[1]]",
	        "{}{}",
	        "1 2",
	        "01",
	        "-",
	        "-a",
	        "1.",
	        ".5",
	        "1e",
	        "1e+",
	        "+1",
	        "0x10",
	        "NaN",
	        "Infinity",
	        "tru",
	        "nul",
	        "True",
	        "\"abc",
	        "\"\\x\"",
	        "\"\\u12\"",
	        "\"\\u12G4\"",
	        "\"\\\"",
	        "\"a\tb\"",
	        "\"a\nb\"",
	        "/* c */ 1",
	        "[1] // c",
	        "\"\x80\"",
	        "\"\xc0\x80\"",
	        "\"\xc1\xbf\"",
	        "\"\xc3\"",
	        "\"\xe0\x80\x80\"",
	        "\"\xe0\x9f\xbf\"",
	        "\"\xed\xa0\x80\"",
	        "\"\xe2\x82\"",
	        "\"\xf0\x80\x80\x80\"",
	        "\"\xf4\x90\x80\x80\"",
	        "\"\xf5\x80\x80\x80\"",
	        "\"\xff\"",
	        "{\"attributes\":{\"x\":[1,}}",
	        "{\"attributes\":{\"x\":\"\x01\"}}",
	        "{\"attributes\":{\"x\":01}}"};

	(void)state;
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
		assert_refused(invalid[i], strlen(invalid[i]));
	/* a NUL inside the text, in and out of strings */
	assert_refused("[1]\0", 4);
	assert_refused("\"a\0b\"", 5);
	assert_refused("{\"attributes\":{\"x\":\"\0\"}}", 23);
}

static void limits_the_nesting(void **state)
{
	char text[80], *out;
	size_t len;

	(void)state;
	memset(text, 0, sizeof(text));
	memset(text, '[', 3);
	memset(text + 3, ']', 3);
	assert_int_equal(itg_json_prune(text, 6, keep_name, 3, &out, &len), 0);
	free(out);
	assert_int_equal(itg_json_prune(text, 6, keep_name, 2, &out, &len),
	                 XDR_EINVAL);
	assert_int_equal(itg_json_prune("{\"a\":{\"b\":{}}}", 14, keep_name, 2,
	                                &out, &len),
	                 XDR_EINVAL);
	assert_int_equal(itg_json_prune(NULL, 0, keep_name, 3, &out, &len),
	                 XDR_EINVAL);
	assert_int_equal(itg_json_prune("1", 1, NULL, 3, &out, &len),
	                 XDR_EINVAL);
	assert_int_equal(itg_json_prune("1", 1, keep_name, 3, NULL, &len),
	                 XDR_EINVAL);
}

/* json-c's strict verdict on LEN bytes of TEXT. */
static bool json_c_accepts(const char *text, size_t len)
{
	char why[200];
	struct json_object *o =
	        itg_json_parse_strict(text, len, why, sizeof(why));

	json_object_put(o);
	return o != NULL;
}

/* The verdict of itg_jsonapi_parse_kept (KEEP) or itg_jsonapi_parse. */
static bool jsonapi_accepts(const char *text, size_t len,
                            const char *const *keep)
{
	struct itg_doc *doc = NULL;
	char why[200];
	int rc = keep != NULL ? itg_jsonapi_parse_kept(text, len, 0, keep, &doc,
	                                               why, sizeof(why))
	                      : itg_jsonapi_parse(text, len, 0, &doc, why,
	                                          sizeof(why));

	itg_doc_free(doc);
	return rc == 0;
}

/*
 * Every one-byte change of a document (each byte deleted, or replaced by
 * each of a set of bytes that matter to JSON), and every cut. Whatever the
 * pruner accepts, json-c accepts too, before and after pruning: nothing
 * wrong hides in what is dropped. json-c is laxer in places (it takes raw
 * control characters in strings, overlong UTF-8, "1."); the pruner refuses
 * those and the page is parsed whole, so that reading a page with or
 * without pruning always gives the same verdict.
 */
static void agrees_with_json_c_on_every_one_byte_change(void **state)
{
	static const char base[] =
	        "{\"data\":[{\"id\":\"1\",\"type\":\"c\",\"attributes\":{"
	        "\"notes\":\"a\\\"b\\u00e9 caf\xc3\xa9\",\"n\":-1.5e3,"
	        "\"name\":\"x\",\"t\":[true,false,null],\"o\":{\"k\":[]}},"
	        "\"relationships\":{}}],\"meta\":{\"total-count\":10}}";
	static const char subst[] = "\"\\{}[]:,0-.eE+tfnu \x01\x80\xc3\xff";
	size_t n = sizeof(base) - 1;
	char text[sizeof(base) + 1];
	unsigned checked = 0, pruned_n = 0;

	(void)state;
	for (size_t pos = 0; pos <= n; pos++) {
		for (size_t s = 0; s <= sizeof(subst) - 1; s++) {
			size_t len;
			char *out = NULL;
			size_t out_len = 0;
			int rc;

			if (pos == n && s > 0)
				break;
			memcpy(text, base, n);
			if (pos == n) {
				len = n; /* unchanged */
			} else if (s == sizeof(subst) - 1) {
				memmove(text + pos, text + pos + 1,
				        n - pos - 1);
				len = n - 1; /* deleted */
			} else {
				text[pos] = subst[s];
				len = n;
			}
			rc = itg_json_prune(text, len, keep_name, 31, &out,
			                    &out_len);
			assert_true(rc == 0 || rc == XDR_EINVAL);
			if (rc == 0) {
				pruned_n++;
				if (!json_c_accepts(text, len))
					print_error("json-c refuses what the "
					            "pruner accepts: %.*s\n",
					            (int)len, text);
				assert_true(json_c_accepts(text, len));
				assert_true(json_c_accepts(out, out_len));
			}
			assert_true(jsonapi_accepts(text, len, keep_name) ==
			            jsonapi_accepts(text, len, NULL));
			free(out);
			checked++;
		}
	}
	/* every cut of it is refused, as json-c refuses it */
	for (size_t len = 0; len < n; len++) {
		char *out = NULL;
		size_t out_len;

		assert_int_equal(itg_json_prune(base, len, keep_name, 31, &out,
		                                &out_len),
		                 XDR_EINVAL);
		assert_false(json_c_accepts(base, len));
	}
	assert_true(checked > 3000);
	/* the changes that keep it JSON: names, values, digits */
	assert_true(pruned_n > 100);
}

static void parse_kept_reads_only_the_attributes_named(void **state)
{
	static const char text[] =
	        "{\"data\":[{\"id\":\"5\",\"type\":\"configurations\","
	        "\"attributes\":{\"name\":\"FW\",\"notes\":\"n\"}},"
	        "{\"type\":\"configuration-interfaces\",\"attributes\":{"
	        "\"id\":9,\"mac-address\":\"m\",\"ip\":\"i\"}}],"
	        "\"meta\":{\"current-page\":1,\"total-pages\":1}}";
	static const char *const keep[] = {"id", "name", "mac-address", NULL};
	struct itg_doc *doc = NULL;
	char why[200];

	(void)state;
	assert_int_equal(itg_jsonapi_parse_kept(text, strlen(text), 0, keep,
	                                        &doc, why, sizeof(why)),
	                 0);
	assert_int_equal(doc->n_data, 2);
	assert_string_equal(doc->data[0].id, "5");
	assert_string_equal(itg_json_str(doc->data[0].attributes, "name"),
	                    "FW");
	assert_null(itg_json_str(doc->data[0].attributes, "notes"));
	/* the id that only attributes carry is still found */
	assert_string_equal(doc->data[1].id, "9");
	assert_string_equal(
	        itg_json_str(doc->data[1].attributes, "mac-address"), "m");
	assert_null(itg_json_str(doc->data[1].attributes, "ip"));
	assert_int_equal(doc->paging.total_pages, 1);
	itg_doc_free(doc);
	/* NULL keeps everything */
	assert_int_equal(itg_jsonapi_parse_kept(text, strlen(text), 0, NULL,
	                                        &doc, why, sizeof(why)),
	                 0);
	assert_string_equal(itg_json_str(doc->data[0].attributes, "notes"),
	                    "n");
	itg_doc_free(doc);
}

static void parse_kept_says_what_json_c_says_of_a_broken_page(void **state)
{
	static const char *const keep[] = {"name", NULL};
	struct itg_doc *doc = (struct itg_doc *)&doc;
	char why[200], plain[200];
	const char *broken = "{\"data\":[{\"id\":\"1\",\"type\":\"t\","
	                     "\"attributes\":{\"notes\":[1,]}}]}";

	(void)state;
	assert_int_equal(itg_jsonapi_parse_kept(broken, strlen(broken), 0, keep,
	                                        &doc, why, sizeof(why)),
	                 XDR_EINVAL);
	assert_null(doc);
	assert_int_equal(itg_jsonapi_parse(broken, strlen(broken), 0, &doc,
	                                   plain, sizeof(plain)),
	                 XDR_EINVAL);
	assert_string_equal(why, plain);
	/* over the size limit: refused before anything is read */
	assert_int_equal(itg_jsonapi_parse_kept(broken, strlen(broken), 10,
	                                        keep, &doc, why, sizeof(why)),
	                 XDR_ERANGE);
	assert_null(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(drops_unread_attributes_of_data_and_included),
	        cmocka_unit_test(writes_the_commas_of_what_is_kept),
	        cmocka_unit_test(copies_the_rest_byte_for_byte),
	        cmocka_unit_test(does_not_prune_inside_what_it_keeps),
	        cmocka_unit_test(keeps_names_written_with_escapes),
	        cmocka_unit_test(accepts_every_form_of_valid_json),
	        cmocka_unit_test(refuses_what_is_not_strict_json),
	        cmocka_unit_test(limits_the_nesting),
	        cmocka_unit_test(agrees_with_json_c_on_every_one_byte_change),
	        cmocka_unit_test(parse_kept_reads_only_the_attributes_named),
	        cmocka_unit_test(
	                parse_kept_says_what_json_c_says_of_a_broken_page),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
