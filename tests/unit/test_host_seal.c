/*
 * test_host_seal.c - sealing secrets: round trips, every alteration
 * detected, another plugin's or host's text refused, the key file's rules
 * (and the private file they are made of) and the buffer rule; and the
 * strict base64 underneath.
 *
 * On Windows the key file holds the key protected with DPAPI, not its bare
 * 32 bytes, and has no permission bits: the tests of those skip there.
 */
#include "config.h"

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

#include "compat/os.h"
#include "host_test_home.h"
#include "xdrhost.h"

#ifndef O_BINARY
#define O_BINARY 0
#endif

#if OS_WIN32
/* Skip the running test, saying why as a TAP comment. */
#define SKIP_BECAUSE(why)                                                      \
	do {                                                                   \
		print_message("# skipped on Windows: %s\n", why);              \
		skip();                                                        \
	} while (0)
#endif

struct fixture {
	char dir[64];
	char key_path[128];
	struct xdr_seal_key *key;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	host_test_tempdir(f->dir, sizeof(f->dir), "test_host_seal");
	snprintf(f->key_path, sizeof(f->key_path), "%s/seal.key", f->dir);
	assert_int_equal(xdr_seal_key_load(f->key_path, &f->key, NULL), XDR_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xdr_seal_key_free(f->key);
	host_test_home_close(f->dir, NULL);
	free(f);
	return 0;
}

/* Seal into a malloc'd string. */
static char *seal(const struct xdr_seal_key *key, const char *aad,
                  const void *secret, size_t len)
{
	size_t size = xdr_seal_text_len(len) + 1, needed = 0;
	char *buf = malloc(size);

	assert_non_null(buf);
	assert_int_equal(
	        xdr_seal(key, aad, secret, len, buf, size, &needed, NULL),
	        XDR_OK);
	assert_int_equal(needed, size);
	return buf;
}

static void write_key(const char *path, mode_t mode, size_t len)
{
	unsigned char bytes[64];
	int fd;

	memset(bytes, 7, sizeof(bytes));
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_BINARY, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

static void the_key_file_is_made_private_and_32_bytes(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	assert_int_equal(stat(f->key_path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
#if OS_WIN32
	/* Not the bare key: DPAPI's protection of it. */
	assert_true(st.st_size > XDR_SEAL_KEY_LEN);
	/* No permission bits on Windows: DPAPI keeps the key to its user. */
	SKIP_BECAUSE("no permission bits: DPAPI keeps the key to its user");
#else
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(st.st_size, XDR_SEAL_KEY_LEN);
#endif
}

static void a_round_trip_gives_the_secret_back(void **state)
{
	struct fixture *f = *state;
	const char *secret = "ITG.0123456789abcdef.s3cr3t";
	char out[64];
	size_t len = 0;
	char *text = seal(f->key, "itglue", secret, strlen(secret));

	assert_int_equal(strncmp(text, XDR_SEAL_PREFIX, 9), 0);
	assert_null(strstr(text, "s3cr3t"));
	assert_null(strchr(text, '\n'));
	assert_int_equal(strlen(text), xdr_seal_text_len(strlen(secret)));
	assert_true(strlen(text) <= 3 * strlen(secret) + 64);
	assert_int_equal(xdr_unseal(f->key, "itglue", text, out, sizeof(out),
	                            &len, NULL),
	                 XDR_OK);
	assert_int_equal(len, strlen(secret));
	assert_string_equal(out, secret);
	free(text);
}

static void an_empty_secret_round_trips(void **state)
{
	struct fixture *f = *state;
	char out[4] = "xyz";
	size_t len = 99;
	char *text = seal(f->key, "itglue", NULL, 0);

	assert_true(strlen(text) <= 64);
	assert_int_equal(xdr_unseal(f->key, "itglue", text, out, sizeof(out),
	                            &len, NULL),
	                 XDR_OK);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	free(text);
}

static void a_binary_secret_round_trips(void **state)
{
	struct fixture *f = *state;
	unsigned char secret[256], out[256];
	size_t len = 0;
	char *text;

	for (size_t i = 0; i < sizeof(secret); i++)
		secret[i] = (unsigned char)i;
	text = seal(f->key, "itglue", secret, sizeof(secret));
	assert_int_equal(xdr_unseal(f->key, "itglue", text, out, sizeof(out),
	                            &len, NULL),
	                 XDR_OK);
	assert_int_equal(len, sizeof(secret));
	assert_memory_equal(out, secret, sizeof(secret));
	free(text);
}

static void sealing_twice_gives_different_text(void **state)
{
	struct fixture *f = *state;
	char *a = seal(f->key, "itglue", "same", 4);
	char *b = seal(f->key, "itglue", "same", 4);

	assert_string_not_equal(a, b);
	free(a);
	free(b);
}

static void a_reloaded_key_unseals(void **state)
{
	struct fixture *f = *state;
	struct xdr_seal_key *again;
	char out[16];
	size_t len;
	char *text = seal(f->key, "itglue", "secret", 6);

	assert_int_equal(xdr_seal_key_load(f->key_path, &again, NULL), XDR_OK);
	assert_int_equal(
	        xdr_unseal(again, "itglue", text, out, sizeof(out), &len, NULL),
	        XDR_OK);
	assert_string_equal(out, "secret");
	xdr_seal_key_free(again);
	free(text);
}

static void altering_any_byte_is_detected(void **state)
{
	struct fixture *f = *state;
	char *text = seal(f->key, "itglue", "a secret of some length", 23);
	unsigned char blob[128];
	size_t blob_len, prefix = strlen(XDR_SEAL_PREFIX);
	char altered[256], out[64];

	assert_int_equal(xdr_base64_decode(text + prefix, strlen(text + prefix),
	                                   blob, sizeof(blob), &blob_len),
	                 XDR_OK);
	assert_int_equal(blob_len, 12 + 23 + 16);
	/* Nonce, ciphertext and tag: each byte, each time one bit. */
	for (size_t i = 0; i < blob_len; i++) {
		size_t len;

		blob[i] ^= 0x01;
		memcpy(altered, XDR_SEAL_PREFIX, prefix);
		xdr_base64_encode(blob, blob_len, altered + prefix);
		assert_int_equal(xdr_unseal(f->key, "itglue", altered, out,
		                            sizeof(out), &len, NULL),
		                 XDR_EINVAL);
		blob[i] ^= 0x01;
	}
	free(text);
}

static void altering_the_text_is_detected(void **state)
{
	struct fixture *f = *state;
	char *text = seal(f->key, "itglue", "secret", 6);
	size_t n = strlen(text), len;
	char altered[256], out[64];
	struct xdr_err err;

	snprintf(altered, sizeof(altered), "xdrseal2:%s", text + 9);
	assert_int_equal(xdr_unseal(f->key, "itglue", altered, out, sizeof(out),
	                            &len, &err),
	                 XDR_EINVAL);
	snprintf(altered, sizeof(altered), "%.*s", (int)(n - 4), text);
	assert_int_equal(xdr_unseal(f->key, "itglue", altered, out, sizeof(out),
	                            &len, NULL),
	                 XDR_EINVAL);
	snprintf(altered, sizeof(altered), "%sAAAA", text);
	assert_int_equal(xdr_unseal(f->key, "itglue", altered, out, sizeof(out),
	                            &len, NULL),
	                 XDR_EINVAL);
	snprintf(altered, sizeof(altered), "%s", text);
	altered[12] = '!';
	assert_int_equal(xdr_unseal(f->key, "itglue", altered, out, sizeof(out),
	                            &len, NULL),
	                 XDR_EINVAL);
	assert_int_equal(
	        xdr_unseal(f->key, "itglue", "", out, sizeof(out), &len, NULL),
	        XDR_EINVAL);
	assert_int_equal(xdr_unseal(f->key, "itglue", "xdrseal1:", out,
	                            sizeof(out), &len, NULL),
	                 XDR_EINVAL);
	assert_int_equal(xdr_unseal(f->key, "itglue", text + 9, out,
	                            sizeof(out), &len, NULL),
	                 XDR_EINVAL);
	free(text);
}

static void another_plugins_text_is_refused(void **state)
{
	struct fixture *f = *state;
	char *text = seal(f->key, "alpha", "secret", 6);
	char out[16];
	size_t len;

	assert_int_equal(
	        xdr_unseal(f->key, "beta", text, out, sizeof(out), &len, NULL),
	        XDR_EINVAL);
	assert_int_equal(
	        xdr_unseal(f->key, "alph", text, out, sizeof(out), &len, NULL),
	        XDR_EINVAL);
	free(text);
}

static void another_hosts_text_is_refused(void **state)
{
	struct fixture *f = *state;
	char other_path[160], out[16];
	struct xdr_seal_key *other;
	size_t len;
	char *text = seal(f->key, "itglue", "secret", 6);

	snprintf(other_path, sizeof(other_path), "%s/other.key", f->dir);
	assert_int_equal(xdr_seal_key_load(other_path, &other, NULL), XDR_OK);
	assert_int_equal(
	        xdr_unseal(other, "itglue", text, out, sizeof(out), &len, NULL),
	        XDR_EINVAL);
	xdr_seal_key_free(other);
	free(text);
}

static void expect_key_refused(const char *path, const char *fragment)
{
	struct xdr_seal_key *key = NULL;
	struct xdr_err err;

	assert_int_equal(xdr_seal_key_load(path, &key, &err), XDR_ERROR);
	assert_null(key);
	assert_non_null(strstr(err.msg, fragment));
	assert_non_null(strstr(err.msg, path));
}

static void a_key_readable_by_others_is_refused(void **state)
{
	struct fixture *f = *state;

#if OS_WIN32
	/* Permission bits are POSIX: DPAPI ties the key file to its user. */
	SKIP_BECAUSE("permission bits are POSIX: DPAPI ties the key to its "
	             "user");
#endif
	assert_int_equal(chmod(f->key_path, 0640), 0);
	expect_key_refused(f->key_path, "permissions 0640");
	assert_int_equal(chmod(f->key_path, 0604), 0);
	expect_key_refused(f->key_path, "too open");
	assert_int_equal(chmod(f->key_path, 0620), 0);
	expect_key_refused(f->key_path, "too open");
	assert_int_equal(chmod(f->key_path, 0400), 0);
	{
		struct xdr_seal_key *key;

		assert_int_equal(xdr_seal_key_load(f->key_path, &key, NULL),
		                 XDR_OK);
		xdr_seal_key_free(key);
	}
}

static void a_key_of_the_wrong_size_is_refused(void **state)
{
	struct fixture *f = *state;
	char path[160];

	snprintf(path, sizeof(path), "%s/odd.key", f->dir);
#if OS_WIN32
	/* Any size but a DPAPI blob's is refused, with DPAPI's verdict. */
	write_key(path, 0600, 31);
	expect_key_refused(path, "cannot unprotect key file");
	write_key(path, 0600, 64);
	expect_key_refused(path, "cannot unprotect key file");
	write_key(path, 0600, 0);
	expect_key_refused(path, "has 0 bytes");
#else
	write_key(path, 0600, 31);
	expect_key_refused(path, "has 31 bytes, expected 32");
	write_key(path, 0600, 33);
	expect_key_refused(path, "has 33 bytes, expected 32");
	write_key(path, 0600, 0);
	expect_key_refused(path, "has 0 bytes, expected 32");
#endif
}

static void a_key_behind_a_symlink_is_refused(void **state)
{
	struct fixture *f = *state;
#if OS_WIN32
	/* Making a symbolic link needs a privilege tests cannot count on. */
	(void)f;
	SKIP_BECAUSE("making a symbolic link needs a privilege");
#else
	char link[160];
	struct xdr_seal_key *key = NULL;

	snprintf(link, sizeof(link), "%s/link.key", f->dir);
	assert_int_equal(symlink(f->key_path, link), 0);
	assert_int_equal(xdr_seal_key_load(link, &key, NULL), XDR_ERROR);
	assert_null(key);
#endif
}

/* xdr_private_file_open(), which the key file's checks are made of. */
#define NO_PRIVATE_FILE_ON_WINDOWS                                             \
	"xdr_private_file_open is POSIX: DPAPI protects secrets on Windows"

#if !OS_WIN32
static void write_private(const char *path, mode_t mode, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
	assert_int_equal(chmod(path, mode), 0);
}
#endif

static void a_private_file_opens_with_its_size(void **state)
{
	struct fixture *f = *state;
#if OS_WIN32
	(void)f;
	SKIP_BECAUSE(NO_PRIVATE_FILE_ON_WINDOWS);
#else
	char path[160], buf[8] = {0};
	int64_t size = -1;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/console.passwd", f->dir);
	write_private(path, 0600, "secret");
	assert_int_equal(
	        xdr_private_file_open(path, "password file", &fd, &size, NULL),
	        XDR_OK);
	assert_int_equal(size, 6);
	assert_int_equal(read(fd, buf, sizeof(buf) - 1), 6);
	assert_string_equal(buf, "secret");
	close(fd);
#endif
}

static void a_private_file_open_to_others_is_refused_by_name(void **state)
{
	struct fixture *f = *state;
#if OS_WIN32
	(void)f;
	SKIP_BECAUSE(NO_PRIVATE_FILE_ON_WINDOWS);
#else
	char path[160], want[512];
	struct xdr_err err;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/console.passwd", f->dir);
	write_private(path, 0644, "secret");
	assert_int_equal(
	        xdr_private_file_open(path, "password file", &fd, NULL, &err),
	        XDR_ERROR);
	snprintf(want, sizeof(want),
	         "permissions 0644 for password file '%s' are too open: it "
	         "must not be accessible by group or others (chmod 600 '%s')",
	         path, path);
	assert_string_equal(err.msg, want);
	assert_int_equal(fd, -1);
#endif
}

static void a_private_file_behind_a_symlink_is_refused(void **state)
{
	struct fixture *f = *state;
#if OS_WIN32
	(void)f;
	SKIP_BECAUSE(NO_PRIVATE_FILE_ON_WINDOWS);
#else
	char path[160], link[160];
	struct xdr_err err;
	int fd = -1;

	snprintf(path, sizeof(path), "%s/console.passwd", f->dir);
	snprintf(link, sizeof(link), "%s/link.passwd", f->dir);
	write_private(path, 0600, "secret");
	assert_int_equal(symlink(path, link), 0);
	assert_int_equal(
	        xdr_private_file_open(link, "password file", &fd, NULL, &err),
	        XDR_ERROR);
	assert_non_null(strstr(err.msg, "cannot open password file"));
	assert_int_equal(fd, -1);
#endif
}

static void a_private_directory_is_not_a_private_file(void **state)
{
	struct fixture *f = *state;
#if OS_WIN32
	(void)f;
	SKIP_BECAUSE(NO_PRIVATE_FILE_ON_WINDOWS);
#else
	char want[256];
	struct xdr_err err;
	int fd = -1;

	assert_int_equal(
	        xdr_private_file_open(f->dir, "password file", &fd, NULL, &err),
	        XDR_ERROR);
	snprintf(want, sizeof(want), "password file '%s' is not a regular file",
	         f->dir);
	assert_string_equal(err.msg, want);
#endif
}

static void a_small_buffer_gets_erange_and_the_size_needed(void **state)
{
	struct fixture *f = *state;
	size_t want = xdr_seal_text_len(6) + 1, needed = 0;
	char *buf = malloc(want);

	assert_non_null(buf);
	assert_int_equal(xdr_seal(f->key, "itglue", "secret", 6, buf, want - 1,
	                          &needed, NULL),
	                 XDR_ERANGE);
	assert_int_equal(needed, want);
	needed = 0;
	assert_int_equal(
	        xdr_seal(f->key, "itglue", "secret", 6, NULL, 0, &needed, NULL),
	        XDR_ERANGE);
	assert_int_equal(needed, want);
	assert_int_equal(
	        xdr_seal(f->key, "itglue", "secret", 6, buf, want, NULL, NULL),
	        XDR_OK);
	assert_int_equal(strlen(buf), want - 1);
	free(buf);
}

static void unseal_into_a_small_buffer_gets_erange_and_the_length(void **state)
{
	struct fixture *f = *state;
	char *text = seal(f->key, "itglue", "0123456789", 10);
	char out[11];
	size_t len = 0;

	assert_int_equal(xdr_unseal(f->key, "itglue", text, out, 5, &len, NULL),
	                 XDR_ERANGE);
	assert_int_equal(len, 10);
	len = 0;
	assert_int_equal(
	        xdr_unseal(f->key, "itglue", text, NULL, 0, &len, NULL),
	        XDR_ERANGE);
	assert_int_equal(len, 10);
	/* Exactly the secret's length: no room for the NUL, none written. */
	memset(out, 'x', sizeof(out));
	assert_int_equal(
	        xdr_unseal(f->key, "itglue", text, out, 10, &len, NULL),
	        XDR_OK);
	assert_memory_equal(out, "0123456789", 10);
	assert_int_equal(out[10], 'x');
	assert_int_equal(
	        xdr_unseal(f->key, "itglue", text, out, 11, &len, NULL),
	        XDR_OK);
	assert_string_equal(out, "0123456789");
	free(text);
}

static void an_oversized_secret_is_refused(void **state)
{
	struct fixture *f = *state;
	size_t len = XDR_SEAL_MAX_SECRET + 1;
	char *secret = calloc(1, len), buf[16];

	assert_non_null(secret);
	assert_int_equal(xdr_seal(f->key, "itglue", secret, len, buf,
	                          sizeof(buf), NULL, NULL),
	                 XDR_EINVAL);
	free(secret);
}

static void base64_matches_rfc_4648(void **state)
{
	static const char *const plain[] = {"",     "f",     "fo",    "foo",
	                                    "foob", "fooba", "foobar"};
	static const char *const coded[] = {
	        "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	char text[16];
	unsigned char bytes[16];
	size_t n;

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		xdr_base64_encode((const unsigned char *)plain[i],
		                  strlen(plain[i]), text);
		assert_string_equal(text, coded[i]);
		assert_int_equal(xdr_base64_len(strlen(plain[i])),
		                 strlen(coded[i]));
		assert_int_equal(xdr_base64_decode(coded[i], strlen(coded[i]),
		                                   bytes, sizeof(bytes), &n),
		                 XDR_OK);
		assert_int_equal(n, strlen(plain[i]));
		assert_memory_equal(bytes, plain[i], n);
	}
}

static void base64_refuses_all_but_the_canonical_form(void **state)
{
	static const char *const bad[] = {
	        "Zg=",  "Zh==",   "Zm9=", "Z===", "Zg=a",
	        "Z=g=", "Zm9v\n", "Zm 9", "Zm9!", "=Zm9"};
	unsigned char bytes[16];
	size_t n;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(xdr_base64_decode(bad[i], strlen(bad[i]),
		                                   bytes, sizeof(bytes), &n),
		                 XDR_EINVAL);
	assert_int_equal(xdr_base64_decode("Zm9vYmFy", 8, bytes, 5, &n),
	                 XDR_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	        T(the_key_file_is_made_private_and_32_bytes),
	        T(a_round_trip_gives_the_secret_back),
	        T(an_empty_secret_round_trips),
	        T(a_binary_secret_round_trips),
	        T(sealing_twice_gives_different_text),
	        T(a_reloaded_key_unseals),
	        T(altering_any_byte_is_detected),
	        T(altering_the_text_is_detected),
	        T(another_plugins_text_is_refused),
	        T(another_hosts_text_is_refused),
	        T(a_key_readable_by_others_is_refused),
	        T(a_key_of_the_wrong_size_is_refused),
	        T(a_key_behind_a_symlink_is_refused),
	        T(a_private_file_opens_with_its_size),
	        T(a_private_file_open_to_others_is_refused_by_name),
	        T(a_private_file_behind_a_symlink_is_refused),
	        T(a_private_directory_is_not_a_private_file),
	        T(a_small_buffer_gets_erange_and_the_size_needed),
	        T(unseal_into_a_small_buffer_gets_erange_and_the_length),
	        T(an_oversized_secret_is_refused),
#undef T
	        cmocka_unit_test(base64_matches_rfc_4648),
	        cmocka_unit_test(base64_refuses_all_but_the_canonical_form),
	};

	os_binary_stdio();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
