/*
 * test_plugin_report_file.c - report file names, dates, base64, the size of
 * an upload's body at the 10 MB edge, and building it (plain and gzipped).
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
#include <zlib.h>

#include <xdr/plugin.h>

#include "compat/os.h"
#include "report_file.h"
#include "os_test.h"

/* {"content":"","file_name":""} */
#define UPLOAD_FIXED 29

/* --- file names --- */

static void name_is(const char *title, int64_t id, int64_t t,
                    const char *expected)
{
	char out[ITG_REPORT_FILE_NAME_MAX];

	assert_int_equal(itg_report_file_name(title, id, t, out, sizeof(out)),
	                 0);
	assert_string_equal(out, expected);
}

static void test_name_of_the_guide(void **state)
{
	(void)state;
	name_is("EDR Summary Reports", 1239, 1568967000,
	        "EDR_Summary_Reports_1239_1568967000.html");
	name_is("EDR Compliance Summary Reports", 1243, 1569522599,
	        "EDR_Compliance_Summary_Reports_1243_1569522599.html");
}

static void test_name_of_odd_titles(void **state)
{
	(void)state;
	name_is("A, B / C", 1, 2, "A_B_C_1_2.html");
	name_is("  __x__  ", 1, 2, "x_1_2.html");
	name_is("a-b_c", 1, 2, "a-b_c_1_2.html");
	name_is("../../etc/passwd", 1, 2, "etc_passwd_1_2.html");
	name_is("Gr\xc3\xb6\xc3\x9f"
	        "e Bericht",
	        1, 2, "Gr_e_Bericht_1_2.html");
	name_is("-dash-", 1, 2, "-dash-_1_2.html");
	name_is("tab\there\nnewline", 7, 0, "tab_here_newline_7_0.html");
}

static void test_name_of_an_empty_title(void **state)
{
	(void)state;
	name_is("", 5, 6, "Report_5_6.html");
	name_is("***", 5, 6, "Report_5_6.html");
	name_is("\xe2\x98\x83", 5, 6, "Report_5_6.html");
}

static void test_name_of_a_long_title(void **state)
{
	char title[301], expected[ITG_REPORT_FILE_NAME_MAX];

	(void)state;
	memset(title, 'a', 300);
	title[300] = '\0';
	memset(expected, 'a', ITG_REPORT_TITLE_PART_MAX);
	strcpy(expected + ITG_REPORT_TITLE_PART_MAX,
	       "_9223372036854775807_253402300799.html");
	name_is(title, INT64_MAX, ITG_TIME_MAX, expected);
	/* A cut that ends on a separator is trimmed. */
	memset(title, 'b', 99);
	strcpy(title + 99, " tail");
	memset(expected, 'b', 99);
	strcpy(expected + 99, "_1_1.html");
	name_is(title, 1, 1, expected);
}

/* Whatever the title, the name is one safe path component: letters,
 * digits, '-' and '_', then "_ID_TIME.html". */
static void test_name_of_hostile_titles(void **state)
{
	static const char *const titles[] = {
	        "'; DROP TABLE reports;--",
	        "<script>alert(1)</script>",
	        "\"quoted\" 'single'",
	        "../../etc/passwd",
	        "..",
	        "a/b\\c",
	        "C:\\Windows\\System32\\x",
	        "CON",
	        "line\r\nbreak\x1b[31m",
	        "bad \xff\xfe utf-8",
	        "nul\x7f\xc2\x85\xe2\x80\xa8",
	        "%s%n%x",
	        ".hidden",
	        "-rf",
	};
	char out[ITG_REPORT_FILE_NAME_MAX], big[20001];

	(void)state;
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++) {
		assert_int_equal(itg_report_file_name(titles[i], 42, 7, out,
		                                      sizeof(out)),
		                 0);
		assert_true(strlen(out) > strlen("_42_7.html"));
		assert_string_equal(out + strlen(out) - strlen("_42_7.html"),
		                    "_42_7.html");
		for (const char *p = out; *p != '\0'; p++)
			assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZ"
			                       "abcdefghijklmnopqrstuvwxyz"
			                       "0123456789-_.",
			                       *p));
		assert_null(strstr(out, ".."));
		assert_true(out[0] != '.');
	}
	name_is("../../etc/passwd", 1, 2, "etc_passwd_1_2.html");
	name_is("..", 1, 2, "Report_1_2.html");
	name_is("a/b\\c", 1, 2, "a_b_c_1_2.html");
	name_is("'; DROP TABLE reports;--", 1, 2,
	        "DROP_TABLE_reports_--_1_2.html");
	memset(big, '/', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	name_is(big, 1, 2, "Report_1_2.html");
}

static void test_name_refusals(void **state)
{
	char out[ITG_REPORT_FILE_NAME_MAX];

	(void)state;
	assert_int_equal(itg_report_file_name(NULL, 1, 1, out, sizeof(out)),
	                 XDR_EINVAL);
	assert_int_equal(itg_report_file_name("t", 0, 1, out, sizeof(out)),
	                 XDR_EINVAL);
	assert_int_equal(itg_report_file_name("t", -4, 1, out, sizeof(out)),
	                 XDR_EINVAL);
	assert_int_equal(itg_report_file_name("t", 1, -1, out, sizeof(out)),
	                 XDR_EINVAL);
	assert_int_equal(itg_report_file_name("t", 1, ITG_TIME_MAX + 1, out,
	                                      sizeof(out)),
	                 XDR_EINVAL);
	assert_int_equal(itg_report_file_name("t", 1, 1, NULL, 10), XDR_EINVAL);
	/* "t_1_1.html" needs 11 bytes. */
	assert_int_equal(itg_report_file_name("t", 1, 1, out, 10), XDR_ERANGE);
	assert_string_equal(out, "");
	assert_int_equal(itg_report_file_name("t", 1, 1, out, 11), 0);
	assert_string_equal(out, "t_1_1.html");
}

/* --- dates --- */

static void date_is(int64_t t, const char *expected)
{
	char out[ITG_DATE_SIZE];

	assert_int_equal(itg_report_date(t, out), 0);
	assert_string_equal(out, expected);
}

static void expiry_is(int64_t t, unsigned int days, const char *expected)
{
	char out[ITG_DATE_SIZE];

	assert_int_equal(itg_report_expiry(t, days, out), 0);
	assert_string_equal(out, expected);
}

static void test_dates(void **state)
{
	char out[ITG_DATE_SIZE];

	(void)state;
	date_is(0, "1970-01-01");
	date_is(86399, "1970-01-01");
	date_is(86400, "1970-01-02");
	date_is(951782400, "2000-02-29");
	date_is(1568967000, "2019-09-20");
	date_is(1582934400, "2020-02-29");
	date_is(4107456000, "2100-02-28");
	date_is(4107542400, "2100-03-01");
	date_is(ITG_TIME_MAX, "9999-12-31");
	assert_int_equal(itg_report_date(-1, out), XDR_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(itg_report_date(ITG_TIME_MAX + 1, out), XDR_EINVAL);
	assert_int_equal(itg_report_date(0, NULL), XDR_EINVAL);
}

static void test_expiry_across_leap_years(void **state)
{
	char out[ITG_DATE_SIZE];

	(void)state;
	/* The default is a calendar year: the guide's Sep 2019 -> Sep 2020. */
	expiry_is(1568967000, 0, "2020-09-20");
	/* 29 February has no twin a year later. */
	expiry_is(1582934400, 0, "2021-02-28");
	/* 2019-09-20 + 365 days crosses 2020-02-29. */
	expiry_is(1568967000, ITG_REPORT_EXPIRY_DAYS, "2020-09-19");
	/* From the leap day itself. */
	expiry_is(1582934400, 365, "2021-02-28");
	/* 2023-03-01 + 365 lands on the next leap day. */
	expiry_is(1677628800, 365, "2024-02-29");
	/* 2021-01-01 + 365: no leap day in between. */
	expiry_is(1609459200, 365, "2022-01-01");
	/* 2100 is not a leap year. */
	expiry_is(4107456000, 1, "2100-03-01");
	expiry_is(1568967000, 1, "2019-09-21");
	assert_int_equal(itg_report_expiry(ITG_TIME_MAX, 1, out), XDR_EINVAL);
	assert_string_equal(out, "");
	assert_int_equal(itg_report_expiry(-1, 1, out), XDR_EINVAL);
	assert_int_equal(itg_report_expiry(0, UINT32_MAX, out), XDR_EINVAL);
}

/* --- base64 --- */

static void b64_is(const char *in, size_t n, const char *expected)
{
	char out[64];

	assert_int_equal(itg_base64_size(n), strlen(expected));
	assert_int_equal(itg_base64_encode(in, n, out), strlen(expected));
	assert_string_equal(out, expected);
}

static void test_base64_vectors(void **state)
{
	(void)state;
	/* RFC 4648, section 10: lengths 0, 1, 2 mod 3. */
	b64_is("", 0, "");
	b64_is("f", 1, "Zg==");
	b64_is("fo", 2, "Zm8=");
	b64_is("foo", 3, "Zm9v");
	b64_is("foob", 4, "Zm9vYg==");
	b64_is("fooba", 5, "Zm9vYmE=");
	b64_is("foobar", 6, "Zm9vYmFy");
	b64_is("\x00\x00\x00", 3, "AAAA");
	b64_is("\xff\xff\xff", 3, "////");
	b64_is("\xfb\xff\xbf", 3, "+/+/");
	b64_is("\x00", 1, "AA==");
}

static void test_base64_size(void **state)
{
	(void)state;
	assert_int_equal(itg_base64_size(0), 0);
	assert_int_equal(itg_base64_size(1), 4);
	assert_int_equal(itg_base64_size(3), 4);
	assert_int_equal(itg_base64_size(4), 8);
	assert_int_equal(itg_base64_size(7864320), 10485760);
	assert_int_equal(itg_base64_size(SIZE_MAX), SIZE_MAX);
	assert_int_equal(itg_base64_size(SIZE_MAX / 4 * 3 + 3), SIZE_MAX);
}

/* Fed in pieces of every size, the stream gives the one-shot result. */
static void test_base64_stream_in_pieces(void **state)
{
	unsigned char in[50];
	char whole[80], parts[80];

	(void)state;
	for (size_t i = 0; i < sizeof(in); i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= sizeof(in); n++) {
		for (size_t piece = 1; piece <= 7; piece++) {
			struct itg_base64 b;
			char *end;

			itg_base64_encode(in, n, whole);
			memset(parts, 0, sizeof(parts));
			itg_base64_init(&b, parts);
			for (size_t at = 0; at < n; at += piece)
				itg_base64_feed(&b, in + at,
				                n - at < piece ? n - at
				                               : piece);
			end = itg_base64_finish(&b);
			assert_int_equal(end - parts, itg_base64_size(n));
			*end = '\0';
			assert_string_equal(parts, whole);
		}
	}
}

/* --- body size --- */

static void test_body_size(void **state)
{
	(void)state;
	assert_int_equal(itg_upload_body_size(0, 0, 0), UPLOAD_FIXED);
	assert_int_equal(itg_upload_body_size(100, 10, 3), 100 + 29 + 10 + 4);
	assert_int_equal(itg_upload_body_size(100, 10, 4), 100 + 29 + 10 + 8);
	assert_int_equal(itg_upload_body_size(SIZE_MAX, 1, 1), SIZE_MAX);
	assert_int_equal(itg_upload_body_size(1, SIZE_MAX - 10, 1), SIZE_MAX);
	assert_int_equal(itg_upload_body_size(1, 1, SIZE_MAX - 2), SIZE_MAX);
}

/* At the 10 MB edge: the largest file fits, one byte more does not. */
static void test_body_size_at_the_10_mb_edge(void **state)
{
	(void)state;
	for (size_t frame = 300; frame < 312; frame++) {
		size_t max =
		        itg_upload_max_file(frame, 40, ITG_UPLOAD_BODY_MAX);

		assert_true(itg_upload_body_size(frame, 40, max) <=
		            ITG_UPLOAD_BODY_MAX);
		assert_true(itg_upload_body_size(frame, 40, max + 1) >
		            ITG_UPLOAD_BODY_MAX);
		assert_int_equal(max % 3, 0);
	}
	/* A body of exactly 10 MB: 371 + 29 + 40 + 4 * 2621330. */
	assert_int_equal(itg_upload_max_file(371, 40, ITG_UPLOAD_BODY_MAX),
	                 7863990);
	assert_int_equal(itg_upload_body_size(371, 40, 7863990),
	                 ITG_UPLOAD_BODY_MAX);
	/* Two bytes of frame less leave two unusable characters. */
	assert_int_equal(itg_upload_max_file(369, 40, ITG_UPLOAD_BODY_MAX),
	                 7863990);
	assert_int_equal(itg_upload_body_size(369, 40, 7863990),
	                 ITG_UPLOAD_BODY_MAX - 2);
	assert_int_equal(itg_upload_max_file(ITG_UPLOAD_BODY_MAX, 40,
	                                     ITG_UPLOAD_BODY_MAX),
	                 0);
	assert_int_equal(itg_upload_max_file(SIZE_MAX, 40, 100), 0);
	assert_int_equal(itg_upload_max_file(0, 0, UPLOAD_FIXED + 3), 0);
	assert_int_equal(itg_upload_max_file(0, 0, UPLOAD_FIXED + 4), 3);
}

/* --- building the body --- */

static char dir[4096];

static int make_dir(void **state)
{
	int n = snprintf(dir, sizeof(dir), "%s/itg-report-file.XXXXXX",
	                 test_temp_root());

	(void)state;
	if (n < 0 || (size_t)n >= sizeof(dir))
		return -1;
	return os_mkdtemp(dir) != NULL ? 0 : -1;
}

static int remove_dir(void **state)
{
	(void)state;
	return os_rmtree(dir);
}

static char *write_file(const char *name, const void *data, size_t n)
{
	static char path[4096 + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_build_plain(void **state)
{
	const char html[] = "<html>report</html>";
	struct itg_upload u;
	char err[256], expected[256], b64[64];
	char *path;

	(void)state;
	path = write_file("plain.html", html, strlen(html));
	assert_int_equal(itg_upload_build(path, "r_1_2.html", "{\"t\":", "}", 0,
	                                  &u, err, sizeof(err)),
	                 0);
	itg_base64_encode(html, strlen(html), b64);
	snprintf(expected, sizeof(expected),
	         "{\"t\":{\"content\":\"%s\",\"file_name\":\"r_1_2.html\"}}",
	         b64);
	assert_string_equal(u.body, expected);
	assert_int_equal(u.body_len, strlen(expected));
	assert_int_equal(u.body_len, itg_upload_body_size(6, 10, strlen(html)));
	assert_false(u.gzipped);
	assert_string_equal(u.file_name, "r_1_2.html");
	assert_int_equal(u.html_size, strlen(html));
	assert_int_equal(u.file_size, strlen(html));
	itg_upload_free(&u);
	assert_null(u.body);
	itg_upload_free(&u);
	itg_upload_free(NULL);
}

static void test_build_empty_file(void **state)
{
	struct itg_upload u;
	char err[256];
	char *path;

	(void)state;
	path = write_file("empty.html", "", 0);
	assert_int_equal(itg_upload_build(path, "e.html", "[", "]", 0, &u, err,
	                                  sizeof(err)),
	                 0);
	assert_string_equal(u.body,
	                    "[{\"content\":\"\",\"file_name\":\"e.html\"}]");
	itg_upload_free(&u);
}

/* Sizes 0..2 mod 3 give bodies of exactly the computed size. */
static void test_build_sizes_mod_3(void **state)
{
	unsigned char data[40];
	struct itg_upload u;
	char err[256];

	(void)state;
	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(255 - i);
	for (size_t n = 30; n <= 33; n++) {
		char *path = write_file("mod.html", data, n);
		char b64[64];

		assert_int_equal(itg_upload_build(path, "m.html", "", "", 0, &u,
		                                  err, sizeof(err)),
		                 0);
		assert_int_equal(u.body_len, itg_upload_body_size(0, 6, n));
		assert_int_equal(strlen(u.body), u.body_len);
		itg_base64_encode(data, n, b64);
		assert_memory_equal(u.body + 12, b64, strlen(b64));
		itg_upload_free(&u);
	}
}

static void inflate_all(const unsigned char *in, size_t n, unsigned char *out,
                        size_t room, size_t *got)
{
	z_stream zs;

	memset(&zs, 0, sizeof(zs));
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = (unsigned char *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)room;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	*got = room - zs.avail_out;
	inflateEnd(&zs);
}

/* Base64 back to bytes, for checking what was built. */
static size_t unbase64(const char *s, size_t n, unsigned char *out)
{
	static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
	                               "klmnopqrstuvwxyz0123456789+/";
	size_t len = 0;
	uint32_t acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n && s[i] != '='; i++) {
		acc = (acc << 6) |
		      (uint32_t)(strchr(alphabet, s[i]) - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[len++] = (unsigned char)(acc >> bits);
		}
	}
	return len;
}

/* The limit decides: a body of exactly LIMIT bytes goes plain, one byte
 * less makes it gzipped. */
static void test_build_gzips_at_the_limit(void **state)
{
	char html[3000];
	unsigned char gz[3000], back[4000];
	struct itg_upload u;
	char err[256];
	size_t body, got, n;
	char *path;

	(void)state;
	for (size_t i = 0; i < sizeof(html); i++)
		html[i] = "<td>x</td>"[i % 10];
	path = write_file("edge.html", html, sizeof(html));
	body = itg_upload_body_size(2, 10, sizeof(html));
	assert_int_equal(itg_upload_build(path, "e_1_1.html", "[", "]", body,
	                                  &u, err, sizeof(err)),
	                 0);
	assert_false(u.gzipped);
	assert_int_equal(u.body_len, body);
	itg_upload_free(&u);
	body = itg_upload_body_size(2, 10, sizeof(html));
	assert_int_equal(itg_upload_build(path, "e_1_1.html", "[", "]",
	                                  body - 1, &u, err, sizeof(err)),
	                 0);
	assert_true(u.gzipped);
	assert_string_equal(u.file_name, "e_1_1.html.gz");
	assert_int_equal(u.html_size, sizeof(html));
	assert_true(u.file_size < 200);
	assert_int_equal(u.body_len, itg_upload_body_size(2, 13, u.file_size));
	assert_non_null(strstr(u.body, "\"file_name\":\"e_1_1.html.gz\"}]"));
	n = unbase64(u.body + 13, itg_base64_size(u.file_size), gz);
	assert_int_equal(n, u.file_size);
	inflate_all(gz, n, back, sizeof(back), &got);
	assert_int_equal(got, sizeof(html));
	assert_memory_equal(back, html, sizeof(html));
	itg_upload_free(&u);
}

static void test_build_too_large(void **state)
{
	unsigned char noise[6000];
	struct itg_upload u;
	char err[400];
	uint32_t x = 12345;
	char *path;

	(void)state;
	for (size_t i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (unsigned char)(x >> 16);
	}
	path = write_file("noise.html", noise, sizeof(noise));
	assert_int_equal(itg_upload_build(path, "n_1_1.html", "[", "]", 4000,
	                                  &u, err, sizeof(err)),
	                 XDR_ERANGE);
	assert_null(u.body);
	assert_non_null(strstr(err,
	                       "the report n_1_1.html is too large for "
	                       "IT Glue: its 6000 bytes of HTML make a "
	                       "request body of 8041 bytes, and gzipped ("));
	assert_non_null(strstr(err, "; IT Glue accepts at most 4000"));
	/* A limit that not even the frame fits. */
	assert_int_equal(itg_upload_build(path, "n_1_1.html", "[", "]", 10, &u,
	                                  err, sizeof(err)),
	                 XDR_ERANGE);
}

static void test_build_refusals(void **state)
{
	struct itg_upload u;
	char err[4352], missing[4160];
	char *path;

	(void)state;
	path = write_file("ok.html", "x", 1);
	assert_int_equal(itg_upload_build(path, "a b.html", "", "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_EINVAL);
	assert_non_null(strstr(err, "not an acceptable upload file name"));
	assert_int_equal(itg_upload_build(path, "a\".html", "", "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(
	        itg_upload_build(path, "", "", "", 0, &u, err, sizeof(err)),
	        XDR_EINVAL);
	assert_int_equal(itg_upload_build(NULL, "a.html", "", "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_EINVAL);
	assert_int_equal(itg_upload_build(path, "a.html", NULL, "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_EINVAL);
	snprintf(missing, sizeof(missing), "%s/missing.html", dir);
	assert_int_equal(itg_upload_build(missing, "a.html", "", "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_ERROR);
	assert_non_null(strstr(err, "cannot open the report file"));
	assert_non_null(strstr(err, "No such file"));
	assert_int_equal(itg_upload_build(dir, "a.html", "", "", 0, &u, err,
	                                  sizeof(err)),
	                 XDR_ERROR);
	assert_non_null(strstr(err, "is not a file"));
	assert_null(u.body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(test_name_of_the_guide),
	        cmocka_unit_test(test_name_of_odd_titles),
	        cmocka_unit_test(test_name_of_an_empty_title),
	        cmocka_unit_test(test_name_of_a_long_title),
	        cmocka_unit_test(test_name_of_hostile_titles),
	        cmocka_unit_test(test_name_refusals),
	        cmocka_unit_test(test_dates),
	        cmocka_unit_test(test_expiry_across_leap_years),
	        cmocka_unit_test(test_base64_vectors),
	        cmocka_unit_test(test_base64_size),
	        cmocka_unit_test(test_base64_stream_in_pieces),
	        cmocka_unit_test(test_body_size),
	        cmocka_unit_test(test_body_size_at_the_10_mb_edge),
	        cmocka_unit_test(test_build_plain),
	        cmocka_unit_test(test_build_empty_file),
	        cmocka_unit_test(test_build_sizes_mod_3),
	        cmocka_unit_test(test_build_gzips_at_the_limit),
	        cmocka_unit_test(test_build_too_large),
	        cmocka_unit_test(test_build_refusals),
	};

	/* TAP lines end in \n alone, on Windows too. */
	os_binary_stdio();
	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
