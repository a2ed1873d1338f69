/*
 * test_console_password.c - the console's password: PBKDF2-HMAC-SHA256
 * against RFC 7914's vectors, the stored line (written, verified, every
 * malformed form refused), which passwords are taken, and the password file
 * (private, one line, replaced whole, its stamp).
 *
 * The salts are fixed so that the lines are known in advance; the counts are
 * the smallest the console accepts, to keep the runs under valgrind short.
 */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "auth.h"
#include "host_test_home.h"

static const unsigned char salt16[XCON_SALT_BYTES] = {
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

#define PW "correct horse battery"
/* PW with salt16 and 100,000 rounds, by Python's hashlib.pbkdf2_hmac. */
#define PW_LINE                                                                \
	"pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"                       \
	"yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY="

struct fixture {
	char home[128];
	char path[192];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_tempdir(f->home, sizeof(f->home), "test_console_password");
	snprintf(f->path, sizeof(f->path), "%s/%s", f->home, XCON_PASSWD_FILE);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	host_test_home_close(f->home, NULL);
	free(f);
	return 0;
}

static void write_file(const char *path, mode_t mode, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(chmod(path, mode), 0);
}

/* ---- PBKDF2 ------------------------------------------------------------- */

static void pbkdf2_matches_rfc_7914_with_one_round(void **state)
{
	static const unsigned char want[64] = {
	        0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f, 0xec, 0x16,
	        0x91, 0xc2, 0x25, 0x44, 0xb6, 0x05, 0xf9, 0x41, 0x85, 0x21,
	        0x6d, 0xde, 0x04, 0x65, 0xe6, 0x8b, 0x9d, 0x57, 0xc2, 0x0d,
	        0xac, 0xbc, 0x49, 0xca, 0x9c, 0xcc, 0xf1, 0x79, 0xb6, 0x45,
	        0x99, 0x16, 0x64, 0xb3, 0x9d, 0x77, 0xef, 0x31, 0x7c, 0x71,
	        0xb8, 0x45, 0xb1, 0xe3, 0x0b, 0xd5, 0x09, 0x11, 0x20, 0x41,
	        0xd3, 0xa1, 0x97, 0x83};
	unsigned char out[64];

	(void)state;
	assert_int_equal(xcon_pbkdf2_sha256("passwd", 6,
	                                    (const unsigned char *)"salt", 4, 1,
	                                    out, sizeof(out), NULL),
	                 XDR_OK);
	assert_memory_equal(out, want, sizeof(want));
}

static void pbkdf2_matches_rfc_7914_with_80000_rounds(void **state)
{
	static const unsigned char want[64] = {
	        0x4d, 0xdc, 0xd8, 0xf6, 0x0b, 0x98, 0xbe, 0x21, 0x83, 0x0c,
	        0xee, 0x5e, 0xf2, 0x27, 0x01, 0xf9, 0x64, 0x1a, 0x44, 0x18,
	        0xd0, 0x4c, 0x04, 0x14, 0xae, 0xff, 0x08, 0x87, 0x6b, 0x34,
	        0xab, 0x56, 0xa1, 0xd4, 0x25, 0xa1, 0x22, 0x58, 0x33, 0x54,
	        0x9a, 0xdb, 0x84, 0x1b, 0x51, 0xc9, 0xb3, 0x17, 0x6a, 0x27,
	        0x2b, 0xde, 0xbb, 0xa1, 0xd0, 0x78, 0x47, 0x8f, 0x62, 0xb3,
	        0x97, 0xf3, 0x3c, 0x8d};
	unsigned char out[64];

	(void)state;
	assert_int_equal(xcon_pbkdf2_sha256("Password", 8,
	                                    (const unsigned char *)"NaCl", 4,
	                                    80000, out, sizeof(out), NULL),
	                 XDR_OK);
	assert_memory_equal(out, want, sizeof(want));
}

static void pbkdf2_refuses_zero_rounds_and_an_empty_output(void **state)
{
	unsigned char out[32];

	(void)state;
	assert_int_equal(xcon_pbkdf2_sha256("pw", 2, salt16, sizeof(salt16), 0,
	                                    out, sizeof(out), NULL),
	                 XDR_EINVAL);
	assert_int_equal(xcon_pbkdf2_sha256("pw", 2, salt16, sizeof(salt16), 1,
	                                    out, 0, NULL),
	                 XDR_EINVAL);
}

/* ---- the line ------------------------------------------------------------ */

static void hash_writes_the_line_another_implementation_computes(void **state)
{
	char *line = NULL;

	(void)state;
	assert_int_equal(
	        xcon_password_hash(PW, strlen(PW), 100000, salt16, &line, NULL),
	        XDR_OK);
	assert_string_equal(line, PW_LINE);
	free(line);
}

static void hash_refuses_a_count_out_of_range(void **state)
{
	char *line = NULL;

	(void)state;
	assert_int_equal(
	        xcon_password_hash(PW, strlen(PW), 99999, salt16, &line, NULL),
	        XDR_EINVAL);
	assert_null(line);
	assert_int_equal(xcon_password_hash(PW, strlen(PW), 10000001, salt16,
	                                    &line, NULL),
	                 XDR_EINVAL);
	assert_null(line);
}

static void the_right_password_verifies(void **state)
{
	bool match = false;

	(void)state;
	assert_int_equal(
	        xcon_password_verify(PW_LINE, PW, strlen(PW), &match, NULL),
	        XDR_OK);
	assert_true(match);
}

static void a_wrong_password_does_not_verify(void **state)
{
	bool match = true;

	(void)state;
	assert_int_equal(xcon_password_verify(PW_LINE, "correct horse batterz",
	                                      strlen(PW), &match, NULL),
	                 XDR_OK);
	assert_false(match);
}

static void a_prefix_of_the_password_does_not_verify(void **state)
{
	bool match = true;

	(void)state;
	assert_int_equal(
	        xcon_password_verify(PW_LINE, PW, strlen(PW) - 1, &match, NULL),
	        XDR_OK);
	assert_false(match);
}

static void every_malformed_line_is_refused(void **state)
{
	static const char *const bad[] = {
	        "",
	        "pbkdf2-sha1$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "PBKDF2-SHA256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        /* counts: below, above, leading zero, sign, none, not digits */
	        "pbkdf2-sha256$99999$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$10000001$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$0100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$+100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$1e6$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$100000000000000000000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        /* salt: 15 bytes, not canonical, not base64, missing */
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0O$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODx==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0OD!==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$100000$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        /* hash: 31 bytes, 33 bytes, newline, trailing field, space */
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5A==",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DYA",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=\n",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        "yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=$x",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$"
	        " yNEi7NuUd81IprF1DFmFwLiwUVjQQNIFF8zbSYZd5DY=",
	        "pbkdf2-sha256$100000$AAECAwQFBgcICQoLDA0ODw==$",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		bool match = true;
		struct xdr_err err = {{0}};

		assert_int_equal(xcon_password_verify(bad[i], PW, strlen(PW),
		                                      &match, &err),
		                 XDR_EINVAL);
		assert_false(match);
		assert_non_null(strstr(err.msg, "malformed"));
	}
}

static void a_null_line_is_refused(void **state)
{
	bool match = true;

	(void)state;
	assert_int_equal(
	        xcon_password_verify(NULL, PW, strlen(PW), &match, NULL),
	        XDR_EINVAL);
	assert_false(match);
}

/* ---- which passwords are taken ------------------------------------------- */

static void passwords_of_12_to_1024_bytes_of_text_are_taken(void **state)
{
	char *longest = malloc(XCON_PASSWORD_MAX);

	(void)state;
	assert_non_null(longest);
	memset(longest, 'x', XCON_PASSWORD_MAX);
	assert_int_equal(xcon_password_acceptable("twelve bytes", 12, NULL),
	                 XDR_OK);
	assert_int_equal(
	        xcon_password_acceptable(longest, XCON_PASSWORD_MAX, NULL),
	        XDR_OK);
	free(longest);
}

static void a_password_of_other_scripts_is_taken(void **state)
{
	static const char pw[] = "p\xc3\xa4sswort \xe6\x97\xa5\xe6\x9c\xac "
	                         "\xf0\x9f\x94\x91";

	(void)state;
	assert_int_equal(xcon_password_acceptable(pw, strlen(pw), NULL),
	                 XDR_OK);
}

static void a_password_of_11_bytes_is_too_short(void **state)
{
	struct xdr_err err = {{0}};

	(void)state;
	assert_int_equal(xcon_password_acceptable("eleven byte", 11, &err),
	                 XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "the password is too short: at least 12 bytes");
}

static void a_password_of_1025_bytes_is_too_long(void **state)
{
	char *pw = malloc(XCON_PASSWORD_MAX + 1);
	struct xdr_err err = {{0}};

	(void)state;
	assert_non_null(pw);
	memset(pw, 'x', XCON_PASSWORD_MAX + 1);
	assert_int_equal(
	        xcon_password_acceptable(pw, XCON_PASSWORD_MAX + 1, &err),
	        XDR_EINVAL);
	assert_string_equal(err.msg,
	                    "the password is too long: at most 1024 bytes");
	free(pw);
}

static void a_password_that_is_not_utf8_is_refused(void **state)
{
	static const char *const bad[] = {
	        "password \xff\xfe!",     /* bytes never in UTF-8 */
	        "password \xc0\xaf!!",    /* overlong "/" */
	        "password \xed\xa0\x80!", /* a surrogate */
	        "password end \xe6\x97",  /* cut in a character */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xdr_err err = {{0}};

		assert_int_equal(
		        xcon_password_acceptable(bad[i], strlen(bad[i]), &err),
		        XDR_EINVAL);
		assert_string_equal(err.msg,
		                    "the password is not valid UTF-8 text");
	}
}

static void a_password_with_a_nul_byte_is_refused(void **state)
{
	(void)state;
	assert_int_equal(
	        xcon_password_acceptable("password\0password", 17, NULL),
	        XDR_EINVAL);
}

static void a_password_with_a_control_character_is_refused(void **state)
{
	static const char *const bad[] = {
	        "password\tpassword",           /* C0 */
	        "password\x7fpassword",         /* DEL */
	        "password\xc2\x85password",     /* C1: NEL */
	        "password\xe2\x80\xa8password", /* LINE SEPARATOR */
	        "password pass\r",              /* a stray carriage return */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct xdr_err err = {{0}};

		assert_int_equal(
		        xcon_password_acceptable(bad[i], strlen(bad[i]), &err),
		        XDR_EINVAL);
		assert_string_equal(err.msg,
		                    "the password holds a control character");
	}
}

/* ---- the file ------------------------------------------------------------ */

static void save_writes_one_private_line(void **state)
{
	struct fixture *f = *state;
	struct stat st;
	char *text = NULL;
	size_t len = 0;

	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(xdr_read_file(f->path, 4096, &text, &len, NULL),
	                 XDR_OK);
	assert_string_equal(text, PW_LINE "\n");
	free(text);
}

static void save_leaves_no_temporary_file(void **state)
{
	struct fixture *f = *state;
	DIR *d;
	struct dirent *e;
	size_t n = 0;

	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	d = opendir(f->home);
	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	assert_int_equal(n, 1);
}

static void save_refuses_text_of_two_lines(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(xcon_passwd_save(f->home, PW_LINE "\n" PW_LINE, NULL),
	                 XDR_EINVAL);
	assert_int_equal(access(f->path, F_OK), -1);
}

static void load_gives_back_the_line_saved(void **state)
{
	struct fixture *f = *state;
	struct xcon_stamp stamp, now;
	char *line = NULL;

	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	assert_int_equal(xcon_passwd_load(f->home, &line, &stamp, NULL),
	                 XDR_OK);
	assert_string_equal(line, PW_LINE);
	assert_int_equal(xcon_passwd_stamp(f->home, &now, NULL), XDR_OK);
	assert_true(xcon_stamp_equal(&stamp, &now));
	free(line);
}

static void load_takes_a_line_without_its_newline(void **state)
{
	struct fixture *f = *state;
	char *line = NULL;

	write_file(f->path, 0600, PW_LINE);
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, NULL), XDR_OK);
	assert_string_equal(line, PW_LINE);
	free(line);
}

static void a_missing_file_is_not_found_and_says_what_to_run(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err = {{0}};
	char *line = NULL;

	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, &err),
	                 XDR_ENOTFOUND);
	assert_null(line);
	assert_non_null(strstr(err.msg, "xdr-host console passwd"));
}

static void a_file_readable_by_others_is_refused(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err = {{0}};
	char *line = NULL;

	write_file(f->path, 0644, PW_LINE "\n");
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, &err),
	                 XDR_EINVAL);
	assert_null(line);
	assert_non_null(strstr(err.msg, "permissions 0644"));
}

static void a_file_behind_a_symlink_is_refused(void **state)
{
	struct fixture *f = *state;
	char target[192], *line = NULL;

	snprintf(target, sizeof(target), "%s/elsewhere", f->home);
	write_file(target, 0600, PW_LINE "\n");
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, NULL),
	                 XDR_EINVAL);
	assert_null(line);
}

static void a_directory_is_refused(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err = {{0}};
	char *line = NULL;

	assert_int_equal(mkdir(f->path, 0700), 0);
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, &err),
	                 XDR_EINVAL);
	assert_null(line);
	assert_non_null(strstr(err.msg, "not a regular file"));
}

static void a_file_of_two_lines_is_refused(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err = {{0}};
	char *line = NULL;

	write_file(f->path, 0600, PW_LINE "\n" PW_LINE "\n");
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, &err),
	                 XDR_EINVAL);
	assert_null(line);
	assert_non_null(strstr(err.msg, "not one line"));
}

static void an_empty_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char *line = NULL;

	write_file(f->path, 0600, "");
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, NULL),
	                 XDR_EINVAL);
	assert_null(line);
}

static void a_file_with_a_malformed_line_is_refused(void **state)
{
	struct fixture *f = *state;
	struct xdr_err err = {{0}};
	char *line = NULL;

	write_file(f->path, 0600, "pbkdf2-sha256$1$AAAA$AAAA\n");
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, &err),
	                 XDR_EINVAL);
	assert_null(line);
	assert_non_null(strstr(err.msg, "malformed"));
}

static void a_large_file_is_refused(void **state)
{
	struct fixture *f = *state;
	char big[1024];
	char *line = NULL;

	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	write_file(f->path, 0600, big);
	assert_int_equal(xcon_passwd_load(f->home, &line, NULL, NULL),
	                 XDR_EINVAL);
	assert_null(line);
}

static void the_stamp_changes_when_the_file_is_saved_again(void **state)
{
	struct fixture *f = *state;
	struct xcon_stamp before, after;

	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	assert_int_equal(xcon_passwd_stamp(f->home, &before, NULL), XDR_OK);
	assert_int_equal(xcon_passwd_save(f->home, PW_LINE, NULL), XDR_OK);
	assert_int_equal(xcon_passwd_stamp(f->home, &after, NULL), XDR_OK);
	assert_false(xcon_stamp_equal(&before, &after));
}

static void the_stamp_of_a_missing_file_is_not_found(void **state)
{
	struct fixture *f = *state;
	struct xcon_stamp stamp;

	assert_int_equal(xcon_passwd_stamp(f->home, &stamp, NULL),
	                 XDR_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(pbkdf2_matches_rfc_7914_with_one_round),
	        cmocka_unit_test(pbkdf2_matches_rfc_7914_with_80000_rounds),
	        cmocka_unit_test(
	                pbkdf2_refuses_zero_rounds_and_an_empty_output),
	        cmocka_unit_test(
	                hash_writes_the_line_another_implementation_computes),
	        cmocka_unit_test(hash_refuses_a_count_out_of_range),
	        cmocka_unit_test(the_right_password_verifies),
	        cmocka_unit_test(a_wrong_password_does_not_verify),
	        cmocka_unit_test(a_prefix_of_the_password_does_not_verify),
	        cmocka_unit_test(every_malformed_line_is_refused),
	        cmocka_unit_test(a_null_line_is_refused),
	        cmocka_unit_test(
	                passwords_of_12_to_1024_bytes_of_text_are_taken),
	        cmocka_unit_test(a_password_of_other_scripts_is_taken),
	        cmocka_unit_test(a_password_of_11_bytes_is_too_short),
	        cmocka_unit_test(a_password_of_1025_bytes_is_too_long),
	        cmocka_unit_test(a_password_that_is_not_utf8_is_refused),
	        cmocka_unit_test(a_password_with_a_nul_byte_is_refused),
	        cmocka_unit_test(
	                a_password_with_a_control_character_is_refused),
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(save_writes_one_private_line),
	        T(save_leaves_no_temporary_file),
	        T(save_refuses_text_of_two_lines),
	        T(load_gives_back_the_line_saved),
	        T(load_takes_a_line_without_its_newline),
	        T(a_missing_file_is_not_found_and_says_what_to_run),
	        T(a_file_readable_by_others_is_refused),
	        T(a_file_behind_a_symlink_is_refused),
	        T(a_directory_is_refused),
	        T(a_file_of_two_lines_is_refused),
	        T(an_empty_file_is_refused),
	        T(a_file_with_a_malformed_line_is_refused),
	        T(a_large_file_is_refused),
	        T(the_stamp_changes_when_the_file_is_saved_again),
	        T(the_stamp_of_a_missing_file_is_not_found),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
