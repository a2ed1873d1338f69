/*
 * password.c - the console's password: PBKDF2-HMAC-SHA256 hashes, the
 * line that stores one ("pbkdf2-sha256$ITERATIONS$SALT$HASH"), and the file
 * HOME/console.passwd that holds the line, private to the user as the seal
 * key is.
 *
 * Every buffer that held a password or a hash is wiped with
 * OPENSSL_cleanse() before it is released.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"

#define SCHEME       "pbkdf2-sha256$"
#define SALT_B64_LEN 24 /* xdr_base64_len(XCON_SALT_BYTES) */
#define HASH_B64_LEN 44 /* xdr_base64_len(XCON_HASH_BYTES) */
/* The longest line xcon_password_hash() writes, with room to spare: a file
 * larger than this is not one of ours. */
#define LINE_MAX_BYTES 256

int xcon_pbkdf2_sha256(const void *pw, size_t pw_len, const unsigned char *salt,
                       size_t salt_len, unsigned iterations, unsigned char *out,
                       size_t out_len, struct xdr_err *err)
{
	if ((pw == NULL && pw_len > 0) || (salt == NULL && salt_len > 0) ||
	    out == NULL || out_len == 0 || iterations == 0 ||
	    pw_len > INT_MAX || salt_len > INT_MAX || out_len > INT_MAX ||
	    iterations > INT_MAX)
		return xdr_errf(err, XDR_EINVAL,
		                "PBKDF2: an argument is out of range");
	/* OpenSSL reads a NULL password of length 0 as "use strlen". */
	if (PKCS5_PBKDF2_HMAC(pw_len > 0 ? pw : "", (int)pw_len,
	                      salt_len > 0 ? salt : (const unsigned char *)"",
	                      (int)salt_len, (int)iterations, EVP_sha256(),
	                      (int)out_len, out) != 1) {
		OPENSSL_cleanse(out, out_len);
		return xdr_errf(err, XDR_ENOMEM,
		                "PBKDF2-HMAC-SHA256 failed (out of memory?)");
	}
	return XDR_OK;
}

int xcon_password_acceptable(const char *pw, size_t len, struct xdr_err *err)
{
	size_t chars;

	if (pw == NULL || len < XCON_PASSWORD_MIN)
		return xdr_errf(err, XDR_EINVAL,
		                "the password is too short: at least %d bytes",
		                XCON_PASSWORD_MIN);
	if (len > XCON_PASSWORD_MAX)
		return xdr_errf(err, XDR_EINVAL,
		                "the password is too long: at most %d bytes",
		                XCON_PASSWORD_MAX);
	if (memchr(pw, '\0', len) != NULL || !xdr_utf8_valid(pw, len, &chars))
		return xdr_errf(err, XDR_EINVAL,
		                "the password is not valid UTF-8 text");
	/* Valid UTF-8 without NUL: each character ends before len. */
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)pw[i];

		if (xdr_line_break_len(pw + i) > 0)
			return xdr_errf(
			        err, XDR_EINVAL,
			        "the password holds a control character");
		i += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
	}
	return XDR_OK;
}

int xcon_password_hash(const char *pw, size_t len, unsigned iterations,
                       const unsigned char salt[XCON_SALT_BYTES], char **line,
                       struct xdr_err *err)
{
	unsigned char hash[XCON_HASH_BYTES];
	char salt_b64[SALT_B64_LEN + 1], hash_b64[HASH_B64_LEN + 1];
	char *s;
	int n, rc;

	*line = NULL;
	if (iterations < XCON_PBKDF2_MIN_ITERATIONS ||
	    iterations > XCON_PBKDF2_MAX_ITERATIONS)
		return xdr_errf(err, XDR_EINVAL,
		                "PBKDF2 count %u is out of range (%u to %u)",
		                iterations, XCON_PBKDF2_MIN_ITERATIONS,
		                XCON_PBKDF2_MAX_ITERATIONS);
	rc = xcon_pbkdf2_sha256(pw, len, salt, XCON_SALT_BYTES, iterations,
	                        hash, sizeof(hash), err);
	if (rc != XDR_OK)
		return rc;
	xdr_base64_encode(salt, XCON_SALT_BYTES, salt_b64);
	xdr_base64_encode(hash, sizeof(hash), hash_b64);
	OPENSSL_cleanse(hash, sizeof(hash));
	s = malloc(LINE_MAX_BYTES);
	if (s != NULL) {
		n = snprintf(s, LINE_MAX_BYTES, SCHEME "%u$%s$%s", iterations,
		             salt_b64, hash_b64);
		if (n < 0 || n >= LINE_MAX_BYTES) {
			OPENSSL_cleanse(s, LINE_MAX_BYTES);
			free(s);
			s = NULL;
		}
	}
	OPENSSL_cleanse(hash_b64, sizeof(hash_b64));
	if (s == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	*line = s;
	return XDR_OK;
}

/* A parsed line; hash is wiped by whoever parsed it. */
struct parsed {
	unsigned iterations;
	unsigned char salt[XCON_SALT_BYTES];
	unsigned char hash[XCON_HASH_BYTES];
};

/* Decode exactly want bytes of canonical base64 from s[0..len). */
static bool decode_exact(const char *s, size_t len, unsigned char *out,
                         size_t want)
{
	size_t n = 0;

	return xdr_base64_decode(s, len, out, want, &n) == XDR_OK && n == want;
}

/* Parse a line as xcon_password_hash() writes it; XDR_EINVAL otherwise. */
static int parse_line(const char *line, struct parsed *p, struct xdr_err *err)
{
	static const char bad[] = "the console password line is malformed";
	const char *s = line, *salt, *hash;
	unsigned long long count = 0;
	size_t digits = 0;

	if (line == NULL || strncmp(s, SCHEME, strlen(SCHEME)) != 0)
		return xdr_errf(err, XDR_EINVAL,
		                "%s: it does not start with \"%s\"", bad,
		                SCHEME);
	s += strlen(SCHEME);
	/* A decimal count without sign or leading zero. */
	while (s[digits] >= '0' && s[digits] <= '9' && digits < 9)
		count = count * 10 + (unsigned)(s[digits++] - '0');
	if (digits == 0 || s[digits] != '$' || (s[0] == '0' && digits > 1))
		return xdr_errf(err, XDR_EINVAL, "%s: bad iteration count",
		                bad);
	if (count < XCON_PBKDF2_MIN_ITERATIONS ||
	    count > XCON_PBKDF2_MAX_ITERATIONS)
		return xdr_errf(err, XDR_EINVAL,
		                "%s: iteration count %llu is out of range "
		                "(%u to %u)",
		                bad, count, XCON_PBKDF2_MIN_ITERATIONS,
		                XCON_PBKDF2_MAX_ITERATIONS);
	salt = s + digits + 1;
	hash = strchr(salt, '$');
	if (hash == NULL || (size_t)(hash - salt) != SALT_B64_LEN ||
	    !decode_exact(salt, SALT_B64_LEN, p->salt, XCON_SALT_BYTES))
		return xdr_errf(err, XDR_EINVAL,
		                "%s: the salt is not %d bytes of base64", bad,
		                XCON_SALT_BYTES);
	hash++;
	if (strlen(hash) != HASH_B64_LEN ||
	    !decode_exact(hash, HASH_B64_LEN, p->hash, XCON_HASH_BYTES)) {
		OPENSSL_cleanse(p->hash, sizeof(p->hash));
		return xdr_errf(err, XDR_EINVAL,
		                "%s: the hash is not %d bytes of base64", bad,
		                XCON_HASH_BYTES);
	}
	p->iterations = (unsigned)count;
	return XDR_OK;
}

int xcon_password_verify(const char *line, const char *pw, size_t len,
                         bool *match, struct xdr_err *err)
{
	struct parsed p;
	unsigned char got[XCON_HASH_BYTES];
	int rc;

	*match = false;
	rc = parse_line(line, &p, err);
	if (rc != XDR_OK)
		return rc;
	rc = xcon_pbkdf2_sha256(pw, len, p.salt, sizeof(p.salt), p.iterations,
	                        got, sizeof(got), err);
	if (rc == XDR_OK)
		*match = CRYPTO_memcmp(got, p.hash, sizeof(got)) == 0;
	OPENSSL_cleanse(got, sizeof(got));
	OPENSSL_cleanse(&p, sizeof(p));
	return rc;
}

bool xcon_stamp_equal(const struct xcon_stamp *a, const struct xcon_stamp *b)
{
	return a->device == b->device && a->inode == b->inode &&
	       a->size == b->size && a->mtime_ns == b->mtime_ns;
}

static void stamp_of(const struct stat *st, struct xcon_stamp *stamp)
{
	stamp->device = (uint64_t)st->st_dev;
	stamp->inode = (uint64_t)st->st_ino;
	stamp->size = (int64_t)st->st_size;
	stamp->mtime_ns = (int64_t)st->st_mtim.tv_sec * 1000000000 +
	                  (int64_t)st->st_mtim.tv_nsec;
}

int xcon_passwd_path(const char *home, char **out, struct xdr_err *err)
{
	*out = NULL;
	if (home == NULL || home[0] == '\0')
		return xdr_errf(err, XDR_EINVAL, "no home directory");
	*out = xdr_path_join(home, XCON_PASSWD_FILE);
	if (*out == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	return XDR_OK;
}

static int write_all(int fd, const char *buf, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, buf, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		buf += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Make the rename durable: fsync the directory holding the file. */
static int sync_dir(const char *dir, struct xdr_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = XDR_OK;

	if (fd < 0)
		return xdr_errf(err, XDR_ERROR, "cannot open '%s': %s", dir,
		                strerror(errno));
	if (fsync(fd) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot sync '%s': %s", dir,
		              strerror(errno));
	close(fd);
	return rc;
}

/* A new temporary file of home, private, that no other process opened:
 * HOME/.console.passwd.RANDOM. */
static int create_temp(const char *home, char **tmp, int *fd,
                       struct xdr_err *err)
{
	for (int attempt = 0; attempt < 8; attempt++) {
		unsigned char r[8];
		char name[64];

		if (RAND_bytes(r, sizeof(r)) != 1)
			return xdr_errf(err, XDR_ERROR,
			                "cannot draw random bytes for a file "
			                "name");
		snprintf(name, sizeof(name),
		         "." XCON_PASSWD_FILE
		         ".%02x%02x%02x%02x%02x%02x%02x%02x",
		         r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
		*tmp = xdr_path_join(home, name);
		if (*tmp == NULL)
			return xdr_errf(err, XDR_ENOMEM, "out of memory");
		*fd = open(*tmp,
		           O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		           0600);
		if (*fd >= 0)
			return XDR_OK;
		if (errno != EEXIST) {
			int rc = xdr_errf(err, XDR_ERROR,
			                  "cannot create '%s': %s", *tmp,
			                  strerror(errno));

			free(*tmp);
			*tmp = NULL;
			return rc;
		}
		free(*tmp);
		*tmp = NULL;
	}
	return xdr_errf(err, XDR_ERROR,
	                "cannot create a temporary file in '%s'", home);
}

int xcon_passwd_save(const char *home, const char *line, struct xdr_err *err)
{
	char *path = NULL, *tmp = NULL;
	int fd = -1, rc;

	if (line == NULL || line[0] == '\0' || strpbrk(line, "\r\n") != NULL)
		return xdr_errf(err, XDR_EINVAL,
		                "a password line is one line of text");
	rc = xcon_passwd_path(home, &path, err);
	if (rc == XDR_OK)
		rc = create_temp(home, &tmp, &fd, err);
	if (rc == XDR_OK && (write_all(fd, line, strlen(line)) != 0 ||
	                     write_all(fd, "\n", 1) != 0 || fsync(fd) != 0))
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", tmp,
		              strerror(errno));
	if (fd >= 0 && close(fd) != 0 && rc == XDR_OK)
		rc = xdr_errf(err, XDR_ERROR, "cannot write '%s': %s", tmp,
		              strerror(errno));
	if (rc == XDR_OK && rename(tmp, path) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot rename '%s' to '%s': %s",
		              tmp, path, strerror(errno));
	if (rc == XDR_OK)
		rc = sync_dir(home, err);
	else if (tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int xcon_passwd_load(const char *home, char **line, struct xcon_stamp *stamp,
                     struct xdr_err *err)
{
	struct parsed p;
	struct stat st;
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	int fd = -1, rc;

	*line = NULL;
	rc = xcon_passwd_path(home, &path, err);
	if (rc != XDR_OK)
		return rc;
	if (lstat(path, &st) != 0 && errno == ENOENT) {
		rc = xdr_errf(err, XDR_ENOTFOUND,
		              "no console password in '%s': set one with "
		              "\"xdr-host console passwd\"",
		              path);
		free(path);
		return rc;
	}
	/* The file is checked once opened, so nothing can be swapped in
	 * between the checks and the read. */
	rc = xdr_private_file_open(path, "console password file", &fd, NULL,
	                           err);
	if (rc != XDR_OK)
		rc = XDR_EINVAL;
	if (rc == XDR_OK && fstat(fd, &st) != 0)
		rc = xdr_errf(err, XDR_ERROR, "cannot read '%s': %s", path,
		              strerror(errno));
	if (rc == XDR_OK) {
		rc = xdr_read_fd(fd, "console password file", LINE_MAX_BYTES,
		                 &buf, &len, err);
		if (rc == XDR_ERANGE)
			rc = XDR_EINVAL; /* too large for one of our lines */
	}
	if (fd >= 0)
		close(fd);
	if (rc == XDR_OK) {
		/* One line: text with no newline but, optionally, a last one.
		 */
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if (len == 0 || strlen(buf) != len ||
		    strpbrk(buf, "\r\n") != NULL)
			rc = xdr_errf(err, XDR_EINVAL,
			              "console password file '%s' is not one "
			              "line",
			              path);
	}
	if (rc == XDR_OK) {
		rc = parse_line(buf, &p, err);
		OPENSSL_cleanse(&p, sizeof(p));
	}
	if (rc != XDR_OK) {
		if (buf != NULL)
			OPENSSL_cleanse(buf, len);
		free(buf);
		free(path);
		return rc;
	}
	if (stamp != NULL)
		stamp_of(&st, stamp);
	*line = buf;
	free(path);
	return XDR_OK;
}

int xcon_passwd_stamp(const char *home, struct xcon_stamp *stamp,
                      struct xdr_err *err)
{
	struct stat st;
	char *path = NULL;
	int rc = xcon_passwd_path(home, &path, err);

	if (rc != XDR_OK)
		return rc;
	if (lstat(path, &st) != 0)
		rc = xdr_errf(err, errno == ENOENT ? XDR_ENOTFOUND : XDR_ERROR,
		              "cannot find console password file '%s': %s",
		              path, strerror(errno));
	else
		stamp_of(&st, stamp);
	free(path);
	return rc;
}
