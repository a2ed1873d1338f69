/*
 * test_plugin_publish.c - the pure parts of publishing: picking the type,
 * reading its fields by name, the type's creation body, the asset's body
 * frame, Upload trait shapes, and the "already related" rule.
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
#include "publish_asset.h"
#include "publish_type.h"

static struct itg_doc *parse(const char *text)
{
	struct itg_doc *doc = NULL;
	char err[256];

	assert_int_equal(itg_jsonapi_parse(text, strlen(text), 0, &doc, err,
	                                   sizeof(err)),
	                 0);
	return doc;
}

static struct json_object *json(const char *text)
{
	struct json_object *o = json_tokener_parse(text);

	assert_non_null(o);
	return o;
}

/* A field of type 7, as IT Glue includes it; ID_JSON is the id as JSON. */
#define FIELD(id_json, name, kind, key, title)                                 \
	"{\"id\":" id_json ",\"type\":\"flexible-asset-fields\","              \
	"\"attributes\":{\"name\":\"" name "\",\"kind\":\"" kind "\","         \
	"\"name-key\":\"" key "\",\"use-for-title\":" title                    \
	",\"flexible-asset-type-id\":7}}"

/* Our four fields in another order, ids as numbers, keys of their own, and
 * a field of another type that the listing included too. */
/* clang-format off */
static const char hand_made[] =
        "{\"data\":[{\"id\":\"3\",\"type\":\"flexible-asset-types\","
        "\"attributes\":{\"name\":\"Other\"},\"relationships\":"
        "{\"flexible-asset-fields\":{\"data\":[{\"id\":\"30\","
        "\"type\":\"flexible-asset-fields\"}]}}},"
        "{\"id\":\"7\",\"type\":\"flexible-asset-types\",\"attributes\":"
        "{\"name\":\"Netsurion Open XDR Reports\"},\"relationships\":"
        "{\"flexible-asset-fields\":{\"data\":[{\"id\":\"74\",\"type\":"
        "\"flexible-asset-fields\"},{\"id\":73},{\"id\":\"72\"},"
        "{\"id\":\"71\"},{\"id\":\"70\"}]}}}],"
        "\"included\":["
        "{\"id\":30,\"type\":\"flexible-asset-fields\",\"attributes\":"
        "{\"name\":\"Report File\",\"kind\":\"Upload\",\"name-key\":"
        "\"wrong-type\"}},"
        FIELD("70", "Notes", "Textbox", "notes", "false") ","
        FIELD("71", "Expiry Date", "Date", "valid-until", "false") ","
        FIELD("72", "report file", "Upload", "the-html", "false") ","
        FIELD("73", "Report Generation Date", "Date", "made-on", "false") ","
        FIELD("74", "REPORT NAME", "Textbox", "title-of-report", "true")
        "]}";

/* clang-format on */

static void test_pick_by_name(void **state)
{
	struct itg_doc *doc = parse(hand_made);
	const struct itg_resource *r;

	(void)state;
	r = itg_publish_type_pick(doc, "Netsurion Open XDR Reports");
	assert_non_null(r);
	assert_string_equal(r->id, "7");
	r = itg_publish_type_pick(doc, "netsurion open xdr REPORTS");
	assert_non_null(r);
	assert_string_equal(r->id, "7");
	assert_null(itg_publish_type_pick(doc, "Netsurion Open XDR Report"));
	assert_null(itg_publish_type_pick(doc, NULL));
	itg_doc_free(doc);
}

static void test_pick_prefers_the_exact_name(void **state)
{
	struct itg_doc *doc =
	        parse("{\"data\":[{\"id\":1,\"type\":\"flexible-asset-types\","
	              "\"attributes\":{\"name\":\"REPORTS\"}},{\"id\":2,"
	              "\"type\":\"flexible-asset-types\",\"attributes\":"
	              "{\"name\":\"Reports\"}},{\"id\":3,\"type\":"
	              "\"organizations\",\"attributes\":{\"name\":"
	              "\"Reports\"}}]}");

	(void)state;
	assert_string_equal(itg_publish_type_pick(doc, "Reports")->id, "2");
	assert_string_equal(itg_publish_type_pick(doc, "reports")->id, "1");
	itg_doc_free(doc);
}

static void test_read_fields_by_name_in_any_order(void **state)
{
	struct itg_doc *doc = parse(hand_made);
	struct itg_publish_type t;
	char err[256];

	(void)state;
	assert_int_equal(itg_publish_type_read(doc, &doc->data[1], "X", &t, err,
	                                       sizeof(err)),
	                 0);
	assert_int_equal(t.id, 7);
	assert_string_equal(t.key[ITG_FIELD_REPORT_NAME], "title-of-report");
	assert_string_equal(t.key[ITG_FIELD_GENERATION_DATE], "made-on");
	assert_string_equal(t.key[ITG_FIELD_REPORT_FILE], "the-html");
	assert_string_equal(t.key[ITG_FIELD_EXPIRY_DATE], "valid-until");
	assert_true(t.report_name_is_title);
	itg_publish_type_clear(&t);
	assert_null(t.key[0]);
	itg_publish_type_clear(NULL);
	itg_doc_free(doc);
}

/* Without relationships, the fields are told by flexible-asset-type-id. */
/* clang-format off */
static const char by_owner[] =
        "{\"data\":{\"id\":7,\"type\":\"flexible_asset_types\","
        "\"attributes\":{\"name\":\"R\"}},\"included\":["
        "{\"id\":\"90\",\"type\":\"flexible-asset-fields\",\"attributes\":"
        "{\"name\":\"Report Name\",\"kind\":\"Text\",\"name-key\":"
        "\"elsewhere\",\"flexible-asset-type-id\":8}},"
        FIELD("\"1\"", "Report Name", "Text", "rn", "true") ","
        FIELD("\"2\"", "Report Generation Date", "Date", "gd", "true") ","
        FIELD("\"3\"", "Report File", "Upload", "rf", "false") ","
        FIELD("\"4\"", "Expiry Date", "Date", "ed", "false")
        "]}";

/* clang-format on */

static void test_read_fields_by_owner(void **state)
{
	struct itg_doc *doc = parse(by_owner);
	struct itg_publish_type t;
	char err[256];

	(void)state;
	assert_int_equal(itg_publish_type_read(doc, &doc->data[0], "R", &t, err,
	                                       sizeof(err)),
	                 0);
	assert_string_equal(t.key[ITG_FIELD_REPORT_NAME], "rn");
	assert_string_equal(t.key[ITG_FIELD_EXPIRY_DATE], "ed");
	/* Two title fields: an asset's name is more than the title. */
	assert_false(t.report_name_is_title);
	itg_publish_type_clear(&t);
	itg_doc_free(doc);
}

/* Type 7 and its included fields, up to the fields themselves. */
#define TYPE_7                                                                 \
	"{\"data\":{\"id\":7,\"type\":\"flexible-asset-types\"},"              \
	"\"included\":["

/* Types lacking what we need; one field a line. */
/* clang-format off */
static const char no_upload[] =
        TYPE_7
        FIELD("1", "Report Name", "Text", "rn", "true") ","
        FIELD("2", "Report Generation Date", "Date", "gd", "false") ","
        FIELD("4", "Expiry Date", "Date", "ed", "false")
        "]}";

static const char wrong_kind[] =
        TYPE_7
        FIELD("1", "Report Name", "Text", "rn", "true") ","
        FIELD("2", "Report Generation Date", "Text", "gd", "false") ","
        FIELD("3", "Report File", "Upload", "rf", "false") ","
        FIELD("4", "Expiry Date", "Date", "ed", "false")
        "]}";

static const char no_key[] =
        TYPE_7
        FIELD("1", "Report Name", "Text", "", "true")
        "]}";

/* clang-format on */

static void read_fails(const char *text, int rc, const char *message)
{
	struct itg_doc *doc = parse(text);
	struct itg_publish_type t;
	char err[400];

	assert_int_equal(itg_publish_type_read(doc, &doc->data[0],
	                                       "Netsurion Open XDR Reports", &t,
	                                       err, sizeof(err)),
	                 rc);
	if (strstr(err, message) == NULL)
		fail_msg("'%s' does not say '%s'", err, message);
	assert_null(t.key[0]);
	assert_int_equal(t.id, 0);
	itg_doc_free(doc);
}

static void test_read_missing_upload(void **state)
{
	(void)state;
	read_fails(no_upload, XDR_EINVAL,
	           "the flexible asset type 'Netsurion Open XDR Reports' has "
	           "no field 'Report File' of kind Upload: add it in IT Glue "
	           "or remove the type");
}

static void test_read_wrong_kind(void **state)
{
	(void)state;
	read_fails(wrong_kind, XDR_EINVAL,
	           "has no field 'Report Generation Date' of kind Date (its "
	           "'Report Generation Date' is of kind Text)");
}

static void test_read_without_name_key(void **state)
{
	(void)state;
	read_fails(no_key, XDR_EINVAL,
	           "the field 'Report Name' of the flexible asset type "
	           "'Netsurion Open XDR Reports' has no name-key");
}

static void test_read_without_fields(void **state)
{
	(void)state;
	read_fails("{\"data\":{\"id\":7,\"type\":\"flexible-asset-types\"}}",
	           XDR_ENOTFOUND, "does not include the fields");
	read_fails(
	        "{\"data\":{\"id\":\"x7\",\"type\":\"flexible-asset-types\"}}",
	        XDR_EINVAL, "is not a positive number");
}

static void test_type_body(void **state)
{
	char *text = itg_publish_type_body(ITG_PUBLISH_TYPE_NAME);
	struct json_object *root, *data, *attrs, *fields;
	static const char *const expected[][2] = {
	        {"Report Name", "Text"},
	        {"Report Generation Date", "Date"},
	        {"Report File", "Upload"},
	        {"Expiry Date", "Date"},
	};

	(void)state;
	assert_non_null(text);
	root = json(text);
	data = json_object_object_get(root, "data");
	attrs = json_object_object_get(data, "attributes");
	assert_string_equal(itg_json_str(data, "type"), "flexible_asset_types");
	assert_string_equal(itg_json_str(attrs, "name"),
	                    "Netsurion Open XDR Reports");
	fields = json_object_object_get(
	        json_object_object_get(
	                json_object_object_get(data, "relationships"),
	                "flexible-asset-fields"),
	        "data");
	assert_int_equal(json_object_array_length(fields), 4);
	for (size_t i = 0; i < 4; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);
		struct json_object *a = json_object_object_get(f, "attributes");
		int64_t order;

		assert_string_equal(itg_json_str(f, "type"),
		                    "flexible_asset_fields");
		assert_string_equal(itg_json_str(a, "name"), expected[i][0]);
		assert_string_equal(itg_json_str(a, "kind"), expected[i][1]);
		assert_int_equal(itg_json_int64(a, "order", &order), 0);
		assert_int_equal(order, (int64_t)i + 1);
		assert_true(json_object_get_boolean(
		        json_object_object_get(a, "show-in-list")));
		assert_int_equal(json_object_get_boolean(
		                         json_object_object_get(a, "required")),
		                 i == 0);
		assert_int_equal(json_object_get_boolean(json_object_object_get(
		                         a, "use-for-title")),
		                 i == 0);
		assert_int_equal(json_object_get_boolean(json_object_object_get(
		                         a, "expiration")),
		                 i == 3);
		assert_string_equal(itg_report_field_name(i), expected[i][0]);
	}
	assert_string_equal(itg_report_field_name(ITG_REPORT_FIELDS), "");
	json_object_put(root);
	free(text);
}

/* --- the asset --- */

static void type_of(struct itg_publish_type *t)
{
	static const char *const keys[] = {"report-name",
	                                   "report-generation-date",
	                                   "report-file", "expiry-date"};

	memset(t, 0, sizeof(*t));
	t->id = 7;
	for (size_t i = 0; i < ITG_REPORT_FIELDS; i++)
		t->key[i] = strdup(keys[i]);
	t->report_name_is_title = true;
}

static void test_frame(void **state)
{
	struct itg_publish_type t;
	struct json_object *root, *attrs, *traits;
	char *head = NULL, *tail = NULL, *whole;
	const char *title = "Weekly \"EDR\" \\ r\xc3\xa9sum\xc3\xa9 </x>";
	int64_t v;

	(void)state;
	type_of(&t);
	assert_int_equal(
	        itg_publish_frame(&t, 12, title, 1568967000, 0, &head, &tail),
	        0);
	assert_non_null(strstr(head, "\"report-file\":"));
	assert_int_equal(head[strlen(head) - 1], ':');
	whole = malloc(strlen(head) + strlen(tail) + 64);
	sprintf(whole, "%s{\"content\":\"Zm9v\",\"file_name\":\"a.html\"}%s",
	        head, tail);
	root = json(whole);
	attrs = json_object_object_get(json_object_object_get(root, "data"),
	                               "attributes");
	assert_string_equal(
	        itg_json_str(json_object_object_get(root, "data"), "type"),
	        "flexible-assets");
	assert_int_equal(itg_json_int64(attrs, "organization-id", &v), 0);
	assert_int_equal(v, 12);
	assert_int_equal(itg_json_int64(attrs, "flexible-asset-type-id", &v),
	                 0);
	assert_int_equal(v, 7);
	traits = json_object_object_get(attrs, "traits");
	assert_int_equal(json_object_object_length(traits), 4);
	assert_string_equal(itg_json_str(traits, "report-name"), title);
	assert_string_equal(itg_json_str(traits, "report-generation-date"),
	                    "2019-09-20");
	assert_string_equal(itg_json_str(traits, "expiry-date"), "2020-09-20");
	assert_string_equal(
	        itg_json_str(json_object_object_get(traits, "report-file"),
	                     "content"),
	        "Zm9v");
	json_object_put(root);
	free(whole);
	free(head);
	free(tail);
	itg_publish_type_clear(&t);
}

static void test_frame_refusals(void **state)
{
	struct itg_publish_type t;
	char *head = NULL, *tail = NULL;

	(void)state;
	type_of(&t);
	assert_int_equal(itg_publish_frame(&t, 0, "t", 1, 0, &head, &tail),
	                 XDR_EINVAL);
	assert_int_equal(itg_publish_frame(&t, 1, "", 1, 0, &head, &tail),
	                 XDR_EINVAL);
	assert_int_equal(itg_publish_frame(&t, 1, "t", -1, 0, &head, &tail),
	                 XDR_EINVAL);
	assert_int_equal(
	        itg_publish_frame(&t, 1, "t", ITG_TIME_MAX, 1, &head, &tail),
	        XDR_EINVAL);
	free(t.key[ITG_FIELD_EXPIRY_DATE]);
	t.key[ITG_FIELD_EXPIRY_DATE] = NULL;
	assert_int_equal(itg_publish_frame(&t, 1, "t", 1, 0, &head, &tail),
	                 XDR_EINVAL);
	assert_null(head);
	assert_null(tail);
	itg_publish_type_clear(&t);
}

static void holds(const char *value, const char *name, bool expected)
{
	struct json_object *v = json(value);

	assert_int_equal(itg_upload_trait_holds(v, name), expected);
	json_object_put(v);
}

static void test_upload_trait_shapes(void **state)
{
	(void)state;
	/* The sandbox's shape. */
	holds("[{\"id\":5,\"name\":\"r_1_2.html\",\"url\":\"u\",\"size\":3}]",
	      "r_1_2.html", true);
	holds("[{\"id\":5,\"name\":\"other.html\"},{\"name\":\"r_1_2.html\"}]",
	      "r_1_2.html", true);
	holds("[{\"file_name\":\"r_1_2.html\"}]", "r_1_2.html", true);
	holds("{\"name\":\"r_1_2.html\"}", "r_1_2.html", true);
	holds("{\"file_name\":\"r_1_2.html\",\"content\":\"eA==\"}",
	      "r_1_2.html", true);
	holds("\"r_1_2.html\"", "r_1_2.html", true);
	holds("[\"r_1_2.html\"]", "r_1_2.html", true);
	holds("[{\"name\":\"R_1_2.HTML\"}]", "r_1_2.html", false);
	holds("[{\"name\":\"r_1_2.html.gz\"}]", "r_1_2.html", false);
	holds("[]", "r_1_2.html", false);
	holds("{}", "r_1_2.html", false);
	holds("[{\"name\":null}]", "r_1_2.html", false);
	holds("42", "r_1_2.html", false);
	assert_false(itg_upload_trait_holds(NULL, "x"));
}

static bool matches(const char *asset, int64_t org)
{
	struct itg_doc *doc = parse(asset);
	struct itg_publish_type t;
	bool m;

	type_of(&t);
	m = itg_publish_asset_matches(&doc->data[0], &t, org, "r.html");
	itg_publish_type_clear(&t);
	itg_doc_free(doc);
	return m;
}

static void test_asset_matches(void **state)
{
	(void)state;
	assert_true(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"organization-id\":1,"
	                "\"flexible-asset-type-id\":7,\"traits\":"
	                "{\"report-file\":[{\"name\":\"r.html\"}]}}}}",
	                1));
	/* Another organization, another type (a filter was ignored). */
	assert_false(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"organization-id\":2,"
	                "\"traits\":{\"report-file\":[{\"name\":"
	                "\"r.html\"}]}}}}",
	                1));
	assert_false(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"flexible-asset-type-id\":\"8\","
	                "\"traits\":{\"report-file\":[{\"name\":"
	                "\"r.html\"}]}}}}",
	                1));
	/* Ids as strings; attributes it does not state are not held
	 * against it. */
	assert_true(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"organization-id\":\"1\","
	                "\"traits\":{\"report-file\":{\"file_name\":"
	                "\"r.html\"}}}}}",
	                1));
	/* The file under another trait, or no traits. */
	assert_false(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"traits\":{\"notes\":"
	                "[{\"name\":\"r.html\"}]}}}}",
	                1));
	assert_false(
	        matches("{\"data\":{\"id\":\"9\",\"type\":\"flexible-assets\","
	                "\"attributes\":{\"traits\":null}}}",
	                1));
}

static bool already(long status, const char *message)
{
	struct itg_api_error e;

	memset(&e, 0, sizeof(e));
	e.status = status;
	e.outcome = ITG_PERMANENT;
	snprintf(e.message, sizeof(e.message), "%s", message);
	return itg_publish_already_related(&e);
}

static void test_already_related_rule(void **state)
{
	(void)state;
	assert_true(already(422, "IT Glue refused the request (422): This item "
	                         "is already related "
	                         "(/data/attributes/destination_id)"));
	assert_true(already(422, "IT Glue refused the request (422): "
	                         "destination_id has ALREADY been taken"));
	assert_false(already(422, "IT Glue refused the request (422): "
	                          "Destination must exist"));
	assert_false(already(409, "This item is already related"));
	assert_false(already(500, "already"));
	assert_false(itg_publish_already_related(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_pick_by_name),
	        cmocka_unit_test(test_pick_prefers_the_exact_name),
	        cmocka_unit_test(test_read_fields_by_name_in_any_order),
	        cmocka_unit_test(test_read_fields_by_owner),
	        cmocka_unit_test(test_read_missing_upload),
	        cmocka_unit_test(test_read_wrong_kind),
	        cmocka_unit_test(test_read_without_name_key),
	        cmocka_unit_test(test_read_without_fields),
	        cmocka_unit_test(test_type_body),
	        cmocka_unit_test(test_frame),
	        cmocka_unit_test(test_frame_refusals),
	        cmocka_unit_test(test_upload_trait_shapes),
	        cmocka_unit_test(test_asset_matches),
	        cmocka_unit_test(test_already_related_rule),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
