/*
 * test_host_kp.c - the pure parts of knowledge packs: the template matcher
 * of the parsing rule, the archive reader, gunzip, the manifest and its
 * check against the archive, objects, saved-search filters, reports and
 * dashboards.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include <cmocka.h>

#include "compat/os.h"
#include "xdrhost.h"

#define T4021 "Report '%report%' (id %report_id%) of group '%group%' uploaded"

static void template_matches_fields(void **state)
{
	struct xdr_kp_fields f;
	struct xdr_err err;

	(void)state;
	assert_int_equal(
	        xdr_kp_template_match("group '%group%' (domain '%domain%'): "
	                              "%reason%",
	                              "group 'A' (domain 'a.com'): two: 'x'",
	                              NULL, 0, false, &f, &err),
	        XDR_OK);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.items[0].name, "group");
	assert_string_equal(f.items[0].value, "A");
	assert_string_equal(f.items[1].value, "a.com");
	assert_string_equal(f.items[2].name, "reason");
	assert_string_equal(f.items[2].value, "two: 'x'");
	xdr_kp_fields_free(&f);
}

static void digits_settle_ambiguous_text(void **state)
{
	static const char *const digits[] = {"report_id"};
	struct xdr_kp_fields f;

	(void)state;
	assert_int_equal(xdr_kp_template_match(
	                         T4021,
	                         "Report 'W: 'q' (id 7)' (id 2) of group 'G' "
	                         "uploaded",
	                         digits, 1, false, &f, NULL),
	                 XDR_OK);
	assert_string_equal(f.items[0].value, "W: 'q' (id 7)");
	assert_string_equal(f.items[1].value, "2");
	assert_string_equal(f.items[2].value, "G");
	xdr_kp_fields_free(&f);
}

static void template_refuses_what_does_not_match(void **state)
{
	struct xdr_kp_fields f;
	struct xdr_err err;

	(void)state;
	assert_int_equal(xdr_kp_template_match(T4021, "Report 'x' uploaded",
	                                       NULL, 0, false, &f, &err),
	                 XDR_ENOTFOUND);
	assert_int_equal(xdr_kp_template_match("a %x% b", "a 1 b c", NULL, 0,
	                                       false, &f, &err),
	                 XDR_ENOTFOUND);
	assert_int_equal(xdr_kp_template_match("100%% %x%", "100% ok", NULL, 0,
	                                       false, &f, &err),
	                 XDR_OK);
	assert_string_equal(f.items[0].value, "ok");
	xdr_kp_fields_free(&f);
}

static void escaped_values_cannot_forge_fields(void **state)
{
	static const char *const tmpl =
	        "group '%group%' (domain '%domain%') on '%instance%': "
	        "%reason%; candidates: %candidates%";
	/* The group's name holds the template's own words; escaped, its
	 * quotes cannot end the field. */
	static const char *const text =
	        "group 'x\\' (domain \\'forged\\') on \\'F\\': r; candidates: "
	        "none' (domain 'real') on 'I': why; candidates: C:\\\\";
	struct xdr_kp_fields f;

	(void)state;
	assert_int_equal(
	        xdr_kp_template_match(tmpl, text, NULL, 0, true, &f, NULL),
	        XDR_OK);
	assert_string_equal(f.items[0].value,
	                    "x' (domain 'forged') on 'F': r; candidates: none");
	assert_string_equal(f.items[1].value, "real");
	assert_string_equal(f.items[2].value, "I");
	assert_string_equal(f.items[3].value, "why");
	assert_string_equal(f.items[4].value, "C:\\");
	xdr_kp_fields_free(&f);
	/* Read as unescaped, the value keeps its backslashes. */
	assert_int_equal(
	        xdr_kp_template_match(tmpl, text, NULL, 0, false, &f, NULL),
	        XDR_OK);
	assert_string_equal(f.items[0].value, "x\\' (domain \\'forged\\') on "
	                                      "\\'F\\': r; candidates: none");
	xdr_kp_fields_free(&f);
	/* A value may not end in a lone backslash. */
	assert_int_equal(xdr_kp_template_match("a '%x%' %y%", "a 'v' w\\", NULL,
	                                       0, true, &f, NULL),
	                 XDR_ENOTFOUND);
}

static void rules_say_whether_values_are_escaped(void **state)
{
	static const char *const rule =
	        "{\"type\":\"parsing_rule\",\"name\":\"r\",\"source\":\"s\","
	        "\"rules\":[{\"event_id\":1,\"template\":\"g '%g%' d '%d%'\","
	        "\"escaped\":true},{\"event_id\":2,\"template\":"
	        "\"g '%g%' d '%d%'\"}]}";
	struct xdr_kp_fields f;

	(void)state;
	assert_int_equal(
	        xdr_kp_rule_apply(rule, 1, "g 'a\\' d \\'b' d 'c'", &f, NULL),
	        XDR_OK);
	assert_string_equal(f.items[0].value, "a' d 'b");
	assert_string_equal(f.items[1].value, "c");
	xdr_kp_fields_free(&f);
	assert_int_equal(
	        xdr_kp_rule_apply(rule, 2, "g 'a\\' d \\'b' d 'c'", &f, NULL),
	        XDR_OK);
	assert_string_equal(f.items[0].value, "a\\' d \\'b");
	xdr_kp_fields_free(&f);
}

static void bad_templates_are_refused(void **state)
{
	(void)state;
	assert_int_equal(xdr_kp_template_check("%a%%b%", NULL), XDR_EINVAL);
	assert_int_equal(xdr_kp_template_check("%a% and %a%", NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_kp_template_check("50% off", NULL), XDR_EINVAL);
	assert_int_equal(xdr_kp_template_check("", NULL), XDR_EINVAL);
	assert_int_equal(xdr_kp_template_check("x %ok_1% y", NULL), XDR_OK);
}

/* One ustar header for name with size bytes of data, typeflag type. */
static void header(unsigned char *h, const char *name, size_t size, char type)
{
	unsigned sum = 0;

	memset(h, 0, 512);
	strcpy((char *)h, name);
	strcpy((char *)h + 100, "0000644");
	snprintf((char *)h + 124, 12, "%011o", (unsigned)size & 07777777777u);
	h[156] = (unsigned char)type;
	memcpy(h + 257, "ustar", 6);
	memset(h + 148, ' ', 8);
	for (int i = 0; i < 512; i++)
		sum += h[i];
	snprintf((char *)h + 148, 8, "%06o", sum);
}

/* A tar of the files (name, text) pairs; *len its size. */
static unsigned char *tar_of(const char *const *files, size_t n, size_t *len)
{
	unsigned char *buf = calloc(n * 1024 + 1024, 1);
	size_t pos = 0;

	assert_non_null(buf);
	for (size_t i = 0; i < n; i++) {
		size_t size = strlen(files[2 * i + 1]);

		header(buf + pos, files[2 * i], size, '0');
		memcpy(buf + pos + 512, files[2 * i + 1], size);
		pos += 512 + (size + 511) / 512 * 512;
	}
	*len = pos + 1024;
	return buf;
}

static void tar_reads_files(void **state)
{
	static const char *const files[] = {"./a.json", "{}", "d/b.txt",
	                                    "hello"};
	struct xdr_kp_archive a;
	size_t len;
	unsigned char *buf = tar_of(files, 2, &len);

	(void)state;
	assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL), XDR_OK);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.files[0].path, "a.json");
	assert_string_equal((char *)xdr_kp_archive_find(&a, "d/b.txt")->data,
	                    "hello");
	xdr_kp_archive_free(&a);
	/* Without its end marker the archive is truncated. */
	assert_int_equal(xdr_kp_tar_parse(buf, len - 1024, &a, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_kp_tar_parse(buf, 700, &a, NULL), XDR_EINVAL);
	free(buf);
}

static void tar_refuses_unsafe_members(void **state)
{
	static const char *const names[] = {"../x", "/etc/x", "a/../b", "a//b"};
	static const char *const twice[] = {"a", "1", "./a", "2"};
	struct xdr_kp_archive a;
	unsigned char *buf;
	size_t len;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		const char *files[] = {names[i], "x"};

		buf = tar_of(files, 1, &len);
		assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL),
		                 XDR_EINVAL);
		free(buf);
	}
	buf = tar_of(twice, 2, &len);
	assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL), XDR_EINVAL);
	free(buf);
	buf = calloc(2048, 1);
	assert_non_null(buf);
	header(buf, "link", 0, '2');
	assert_int_equal(xdr_kp_tar_parse(buf, 2048, &a, NULL), XDR_EINVAL);
	buf[0] = 'L'; /* the header checksum no longer holds */
	assert_int_equal(xdr_kp_tar_parse(buf, 2048, &a, NULL), XDR_EINVAL);
	free(buf);
}

static unsigned char *gzip_of(const char *text, size_t *len)
{
	unsigned char *out = malloc(1024);
	z_stream z;

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 8,
	                              Z_DEFAULT_STRATEGY),
	                 Z_OK);
	z.next_in = (unsigned char *)text;
	z.avail_in = (uInt)strlen(text);
	z.next_out = out;
	z.avail_out = 1024;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*len = 1024 - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void gunzip_refuses_truncation(void **state)
{
	unsigned char *out, *gz;
	size_t len, outlen;

	(void)state;
	gz = gzip_of("hello, pack", &len);
	assert_int_equal(xdr_kp_gunzip(gz, len, &out, &outlen, NULL), XDR_OK);
	assert_int_equal(outlen, 11);
	assert_memory_equal(out, "hello, pack", 11);
	free(out);
	assert_int_equal(xdr_kp_gunzip(gz, len - 3, &out, &outlen, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_kp_gunzip((const unsigned char *)"plain", 5, &out,
	                               &outlen, NULL),
	                 XDR_EINVAL);
	gz[len - 1] ^= 1; /* the length in the trailer */
	assert_int_equal(xdr_kp_gunzip(gz, len, &out, &outlen, NULL),
	                 XDR_EINVAL);
	free(gz);
}

#define SUM_HELLO                                                              \
	"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
#define SUM_OTHER                                                              \
	"0000000000000000000000000000000000000000000000000000000000000000"

static void verify_checks_every_sum(void **state)
{
	char manifest[512];
	const char *files[] = {
	        "manifest.json",  manifest, "plugin/p.so", "hello",
	        "objects/a.json", "hello",  "x",           "y"};
	struct xdr_kp_manifest m;
	struct xdr_kp_archive a;
	struct xdr_err err;
	unsigned char *buf;
	size_t len;

	(void)state;
	snprintf(manifest, sizeof(manifest),
	         "{\"format\":1,\"name\":\"p\",\"version\":\"1.0\","
	         "\"plugin\":{\"file\":\"plugin/p.so\",\"sha256\":\"%s\"},"
	         "\"objects\":[{\"file\":\"objects/"
	         "a.json\",\"sha256\":\"%s\"}]}",
	         SUM_HELLO, SUM_HELLO);
	buf = tar_of(files, 3, &len);
	assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL), XDR_OK);
	assert_int_equal(xdr_kp_verify(&a, &m, &err), XDR_OK);
	assert_string_equal(m.name, "p");
	assert_int_equal(m.n_objects, 1);
	xdr_kp_manifest_free(&m);
	xdr_kp_archive_free(&a);
	free(buf);

	buf = tar_of(files, 4, &len); /* a file not in the manifest */
	assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL), XDR_OK);
	assert_int_equal(xdr_kp_verify(&a, &m, &err), XDR_EINVAL);
	assert_non_null(strstr(err.msg, "not in the manifest"));
	xdr_kp_archive_free(&a);
	free(buf);

	files[5] = "hellO";
	buf = tar_of(files, 3, &len);
	assert_int_equal(xdr_kp_tar_parse(buf, len, &a, NULL), XDR_OK);
	assert_int_equal(xdr_kp_verify(&a, &m, &err), XDR_EINVAL);
	assert_non_null(strstr(err.msg, "SHA-256"));
	xdr_kp_archive_free(&a);
	free(buf);
}

static void manifest_is_validated(void **state)
{
	static const char *const bad[] = {
	        "[]",
	        "{\"format\":2,\"name\":\"p\",\"version\":\"1\"}",
	        "{\"format\":1,\"name\":\"P Q\",\"version\":\"1\"}",
	        "{\"format\":1,\"name\":\"p\",\"version\":\"../1\"}",
	        "{\"format\":1,\"name\":\"p\",\"version\":\"1\",\"plugin\":"
	        "{\"file\":\"p.so\",\"sha256\":\"" SUM_OTHER "\"},"
	        "\"objects\":[{\"file\":\"o\",\"sha256\":\"" SUM_OTHER "\"}]}",
	        "{\"format\":1,\"name\":\"p\",\"version\":\"1\",\"plugin\":"
	        "{\"file\":\"plugin/p.so\",\"sha256\":\"" SUM_OTHER "\"},"
	        "\"objects\":[]}",
	        "{\"format\":1,\"name\":\"p\",\"version\":\"1\",\"plugin\":"
	        "{\"file\":\"plugin/p.so\",\"sha256\":\"" SUM_OTHER "\"},"
	        "\"objects\":[{\"file\":\"o\",\"sha256\":\"" SUM_OTHER "\"},"
	        "{\"file\":\"o\",\"sha256\":\"" SUM_OTHER "\"}]}",
	        "{\"format\":1,\"name\":\"p\",\"version\":\"1\",\"plugin\":"
	        "{\"file\":\"plugin/p.so\",\"sha256\":\"ABC\"},"
	        "\"objects\":[{\"file\":\"o\",\"sha256\":\"" SUM_OTHER "\"}]}",
	};
	struct xdr_kp_manifest m;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(
		        xdr_kp_manifest_parse(bad[i], strlen(bad[i]), &m, NULL),
		        XDR_EINVAL);
}

static void objects_are_validated(void **state)
{
	static const char *const alert =
	        "{\"type\":\"alert\",\"name\":\"A\",\"event_id\":4018,"
	        "\"threat\":\"yellow\",\"active\":false,\"applies_to\":\"IT "
	        "Glue\",\"notify\":{\"email\":false,\"snmp\":false,"
	        "\"syslog\":false,\"remedial_console\":false,"
	        "\"remedial_agent\":false}}";
	static const char *const bad[] = {
	        "{\"type\":\"alert\",\"name\":\"A\",\"event_id\":4018}",
	        "{\"type\":\"nope\",\"name\":\"A\"}",
	        "{\"type\":\"search\",\"name\":\"S\",\"event_id\":0,"
	        "\"category\":\"c\"}",
	        "{\"type\":\"report\",\"name\":\"R\",\"title\":\"t\","
	        "\"columns\":[],\"search\":\"S\"}",
	        "{\"type\":\"parsing_rule\",\"name\":\"P\",\"source\":\"s\","
	        "\"rules\":[{\"event_id\":1,\"template\":\"%a%%b%\"}]}",
	        "{\"type\":\"dashboard\",\"name\":\"D\",\"title\":\"t\","
	        "\"search\":\"S\",\"charts\":[{\"title\":\"x\",\"kind\":"
	        "\"by_field\"}]}",
	};
	struct xdr_kp_object o;

	(void)state;
	assert_int_equal(xdr_kp_object_parse(alert, strlen(alert), &o, NULL),
	                 XDR_OK);
	assert_int_equal(o.type, XDR_KP_ALERT);
	assert_int_equal(o.event_id, 4018);
	assert_string_equal(o.threat, "yellow");
	assert_false(o.active);
	xdr_kp_object_free(&o);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		assert_int_equal(
		        xdr_kp_object_parse(bad[i], strlen(bad[i]), &o, NULL),
		        XDR_EINVAL);
}

static void search_filters_on_fields(void **state)
{
	(void)state;
	assert_true(xdr_search_match(NULL, "{\"a\":\"1\"}"));
	assert_true(
	        xdr_search_match("{\"a\":\"1\"}", "{\"a\":\"1\",\"b\":\"2\"}"));
	assert_false(xdr_search_match("{\"a\":\"1\"}", "{\"a\":\"2\"}"));
	assert_false(xdr_search_match("{\"c\":\"1\"}", "{\"a\":\"1\"}"));
}

static struct xdr_event_rec event(int64_t seq, int64_t time, char *fields)
{
	struct xdr_event_rec e = {seq,      4022,      time,          "error",
	                          "itglue", "IT Glue", "desc <b>&\"", fields};

	return e;
}

static void reports_escape_and_quote(void **state)
{
	struct xdr_event_rec items[] = {
	        event(1, 0, "{\"reason\":\"a \\\"b\\\", c\"}"),
	        event(2, 86400, "{\"reason\":\"<x>\"}"),
	};
	struct xdr_event_list list = {items, 2};
	const char *body = "{\"title\":\"T <1>\",\"columns\":[\"time\","
	                   "\"reason\"]}";
	char *out;

	(void)state;
	assert_int_equal(
	        xdr_kp_report_render(body, &list, XDR_KP_CSV, &out, NULL),
	        XDR_OK);
	assert_string_equal(out,
	                    "\"time\",\"reason\"\r\n"
	                    "\"1970-01-01T00:00:00Z\",\"a \"\"b\"\", c\"\r\n"
	                    "\"1970-01-02T00:00:00Z\",\"<x>\"\r\n");
	free(out);
	assert_int_equal(
	        xdr_kp_report_render(body, &list, XDR_KP_HTML, &out, NULL),
	        XDR_OK);
	assert_non_null(strstr(out, "<title>T &lt;1&gt;</title>"));
	assert_non_null(strstr(out, "<td>&lt;x&gt;</td>"));
	assert_non_null(strstr(out, "<p id=\"count\">2 events</p>"));
	free(out);
}

static void dashboards_count_per_day_and_field(void **state)
{
	struct xdr_event_rec items[] = {
	        event(1, 0, "{\"group\":\"G1\"}"),
	        event(2, 10, "{\"group\":\"G2\"}"),
	        event(3, 86400, "{\"group\":\"G1\"}"),
	};
	struct xdr_event_list list = {items, 3};
	const char *body =
	        "{\"title\":\"D\",\"charts\":[{\"title\":\"Per day\","
	        "\"kind\":\"per_day\"},{\"title\":\"By group\",\"kind\":"
	        "\"by_field\",\"field\":\"group\"}]}";
	char *out;

	(void)state;
	assert_int_equal(xdr_kp_dashboard_render(body, &list, &out, NULL),
	                 XDR_OK);
	assert_non_null(strstr(out, "id=\"total\">3<"));
	assert_non_null(strstr(out, "id=\"chart-1\""));
	assert_non_null(strstr(out, ">1970-01-01</text>"));
	assert_non_null(strstr(out, ">G1</text>"));
	assert_null(strstr(out, "<script"));
	/* G1 (2 events) comes before G2 (1). */
	assert_true(strstr(out, ">G1<") < strstr(out, ">G2<"));
	free(out);
}

static void reports_keep_hostile_text_inert(void **state)
{
	struct xdr_event_rec items[] = {
	        event(1, 0,
	              "{\"reason\":\"=HYPERLINK(\\\"http://x\\\")\","
	              "\"group\":\"a\\r\\n4021,"
	              "\\\"forged\\\"\\u0085\\u2028\\u007f\"}"),
	        event(2, 0, "{\"reason\":\"+1\",\"group\":\"-2\"}"),
	        event(3, 0, "{\"reason\":\"@SUM(A1)\",\"group\":\"\\tx\"}"),
	        event(4, 0,
	              "{\"reason\":\"<script>alert(1)</script>\","
	              "\"group\":\"'\\u0085\"}"),
	};
	struct xdr_event_list list = {items, 4};
	const char *body = "{\"title\":\"T\",\"columns\":[\"reason\","
	                   "\"group\"]}";
	char *out;

	(void)state;
	assert_int_equal(
	        xdr_kp_report_render(body, &list, XDR_KP_CSV, &out, NULL),
	        XDR_OK);
	/* One record a line, no cell a spreadsheet would run as a formula. */
	assert_string_equal(out, "\"reason\",\"group\"\r\n"
	                         "\"'=HYPERLINK(\"\"http://x\"\")\","
	                         "\"a  4021,\"\"forged\"\"   \"\r\n"
	                         "\"'+1\",\"'-2\"\r\n"
	                         "\"'@SUM(A1)\",\"' x\"\r\n"
	                         "\"<script>alert(1)</script>\",\"' \"\r\n");
	free(out);
	assert_int_equal(
	        xdr_kp_report_render(body, &list, XDR_KP_HTML, &out, NULL),
	        XDR_OK);
	assert_null(strstr(out, "<script"));
	assert_non_null(
	        strstr(out, "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"));
	assert_non_null(strstr(out, "<td>a  4021,&quot;forged&quot;   </td>"));
	free(out);
}

static void dashboards_keep_hostile_labels_inert(void **state)
{
	struct xdr_event_rec items[] = {
	        event(1, 0,
	              "{\"group\":\"<script>alert(1)</script>\\n\\u2028x\"}"),
	        event(2, 0,
	              "{\"group\":\"\\\"><img src=x onerror=alert(1)>\"}"),
	};
	struct xdr_event_list list = {items, 2};
	const char *body =
	        "{\"title\":\"<b>D</b>\",\"charts\":[{\"title\":\"<i>\","
	        "\"kind\":\"by_field\",\"field\":\"group\"}]}";
	char *out;

	(void)state;
	assert_int_equal(xdr_kp_dashboard_render(body, &list, &out, NULL),
	                 XDR_OK);
	assert_null(strstr(out, "<script"));
	assert_null(strstr(out, "<img"));
	assert_null(strstr(out, "<b>"));
	assert_null(strstr(out, "<i>"));
	assert_non_null(strstr(out, "<title>&lt;script&gt;alert(1)&lt;/script"
	                            "&gt;  x</title>"));
	assert_non_null(strstr(out, "&quot;&gt;&lt;img src=x"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(template_matches_fields),
	        cmocka_unit_test(digits_settle_ambiguous_text),
	        cmocka_unit_test(template_refuses_what_does_not_match),
	        cmocka_unit_test(escaped_values_cannot_forge_fields),
	        cmocka_unit_test(rules_say_whether_values_are_escaped),
	        cmocka_unit_test(bad_templates_are_refused),
	        cmocka_unit_test(tar_reads_files),
	        cmocka_unit_test(tar_refuses_unsafe_members),
	        cmocka_unit_test(gunzip_refuses_truncation),
	        cmocka_unit_test(verify_checks_every_sum),
	        cmocka_unit_test(manifest_is_validated),
	        cmocka_unit_test(objects_are_validated),
	        cmocka_unit_test(search_filters_on_fields),
	        cmocka_unit_test(reports_escape_and_quote),
	        cmocka_unit_test(dashboards_count_per_day_and_field),
	        cmocka_unit_test(reports_keep_hostile_text_inert),
	        cmocka_unit_test(dashboards_keep_hostile_labels_inert),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
