/*
 * seal.c - sealing plugins' secrets with AES-256-GCM.
 *
 * Sealed text is "xdrseal1:" + base64(nonce[12] | ciphertext | tag[16]).
 * The plugin's name is the additional authenticated data, so text sealed
 * for one plugin does not unseal for another. The key is 32 random bytes in
 * a file of mode 0600 that the host refuses to use if anyone else can read
 * it, as ssh does with private keys.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xdrhost.h"

#define NONCE_LEN  12
#define TAG_LEN    16
#define PREFIX_LEN (sizeof(XDR_SEAL_PREFIX) - 1)

struct xdr_seal_key {
	unsigned char bytes[XDR_SEAL_KEY_LEN];
};

static int create_key(const char *path, unsigned char *key, bool *created,
                      struct xdr_err *err)
{
	int fd =
	        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	             0600);
	ssize_t w;

	*created = false;
	if (fd < 0) {
		if (errno == EEXIST)
			return XDR_OK;
		return xdr_errf(err, XDR_ERROR,
		                "cannot create key file '%s': %s", path,
		                strerror(errno));
	}
	if (RAND_bytes(key, XDR_SEAL_KEY_LEN) != 1) {
		close(fd);
		unlink(path);
		return xdr_errf(err, XDR_ERROR,
		                "cannot draw random bytes for a key");
	}
	w = write(fd, key, XDR_SEAL_KEY_LEN);
	if (w != XDR_SEAL_KEY_LEN || fsync(fd) != 0) {
		int e = w < 0 ? errno : EIO;

		close(fd);
		unlink(path);
		OPENSSL_cleanse(key, XDR_SEAL_KEY_LEN);
		return xdr_errf(err, XDR_ERROR,
		                "cannot write key file '%s': %s", path,
		                strerror(e));
	}
	close(fd);
	*created = true;
	return XDR_OK;
}

static int read_key(const char *path, unsigned char *key, struct xdr_err *err)
{
	struct stat st;
	ssize_t r;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return xdr_errf(err, XDR_ERROR, "cannot open key file '%s': %s",
		                path, strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' is not a regular file", path);
	}
	if (st.st_uid != geteuid()) {
		close(fd);
		return xdr_errf(
		        err, XDR_ERROR,
		        "key file '%s' is not owned by the user running "
		        "the host",
		        path);
	}
	if ((st.st_mode & 077) != 0) {
		close(fd);
		return xdr_errf(err, XDR_ERROR,
		                "permissions %04o for key file '%s' are too "
		                "open: it must not be accessible by group or "
		                "others (chmod 600 '%s')",
		                (unsigned)(st.st_mode & 07777), path, path);
	}
	if (st.st_size != XDR_SEAL_KEY_LEN) {
		close(fd);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' has %lld bytes, expected %d",
		                path, (long long)st.st_size, XDR_SEAL_KEY_LEN);
	}
	r = read(fd, key, XDR_SEAL_KEY_LEN);
	close(fd);
	if (r != XDR_SEAL_KEY_LEN) {
		OPENSSL_cleanse(key, XDR_SEAL_KEY_LEN);
		return xdr_errf(err, XDR_ERROR, "cannot read key file '%s'",
		                path);
	}
	return XDR_OK;
}

int xdr_seal_key_load(const char *path, struct xdr_seal_key **out,
                      struct xdr_err *err)
{
	struct xdr_seal_key *key = malloc(sizeof(*key));
	bool created;
	int rc;

	if (key == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	/* O_EXCL settles a race between two hosts starting at once: one
	 * creates, the other reads what it wrote. */
	rc = create_key(path, key->bytes, &created, err);
	if (rc == XDR_OK && !created)
		rc = read_key(path, key->bytes, err);
	if (rc != XDR_OK) {
		xdr_seal_key_free(key);
		return rc;
	}
	*out = key;
	return XDR_OK;
}

void xdr_seal_key_free(struct xdr_seal_key *key)
{
	if (key == NULL)
		return;
	OPENSSL_cleanse(key, sizeof(*key));
	free(key);
}

size_t xdr_seal_text_len(size_t len)
{
	return PREFIX_LEN + xdr_base64_len(NONCE_LEN + len + TAG_LEN);
}

/* AES-256-GCM over in[0..len) with aad: out gets len bytes, tag TAG_LEN. */
static bool gcm(bool encrypt, const struct xdr_seal_key *key,
                const unsigned char *nonce, const char *aad,
                const unsigned char *in, size_t len, unsigned char *out,
                unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0;
	bool ok = ctx != NULL;

	ok = ok && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
	                             encrypt) == 1;
	ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN,
	                               NULL) == 1;
	ok = ok && EVP_CipherInit_ex(ctx, NULL, NULL, key->bytes, nonce,
	                             encrypt) == 1;
	ok = ok && EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	                            (int)strlen(aad)) == 1;
	if (len > 0)
		ok = ok && EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1;
	if (!encrypt)
		ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
		                               TAG_LEN, tag) == 1;
	/* Decrypting, this is where a wrong tag shows. */
	ok = ok && EVP_CipherFinal_ex(ctx, out + (len > 0 ? n : 0), &fin) == 1;
	if (encrypt)
		ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
		                               TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

int xdr_seal(const struct xdr_seal_key *key, const char *aad,
             const void *secret, size_t len, char *buf, size_t size,
             size_t *needed, struct xdr_err *err)
{
	size_t blob_len = NONCE_LEN + len + TAG_LEN;
	size_t text_len = xdr_seal_text_len(len);
	unsigned char *blob;

	if (key == NULL || aad == NULL || (secret == NULL && len > 0) ||
	    (buf == NULL && size > 0))
		return xdr_errf(err, XDR_EINVAL, "seal: invalid argument");
	if (len > XDR_SEAL_MAX_SECRET)
		return xdr_errf(err, XDR_EINVAL,
		                "seal: secret longer than %d bytes",
		                XDR_SEAL_MAX_SECRET);
	if (size < text_len + 1) {
		if (needed != NULL)
			*needed = text_len + 1;
		if (size > 0)
			buf[0] = '\0';
		return xdr_errf(err, XDR_ERANGE,
		                "seal: buffer of %zu bytes, %zu needed", size,
		                text_len + 1);
	}
	blob = malloc(blob_len);
	if (blob == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	if (RAND_bytes(blob, NONCE_LEN) != 1 ||
	    !gcm(true, key, blob, aad, secret, len, blob + NONCE_LEN,
	         blob + NONCE_LEN + len)) {
		free(blob);
		buf[0] = '\0';
		return xdr_errf(err, XDR_ERROR, "seal: encryption failed");
	}
	memcpy(buf, XDR_SEAL_PREFIX, PREFIX_LEN);
	xdr_base64_encode(blob, blob_len, buf + PREFIX_LEN);
	free(blob);
	if (needed != NULL)
		*needed = text_len + 1;
	return XDR_OK;
}

int xdr_unseal(const struct xdr_seal_key *key, const char *aad,
               const char *sealed, void *buf, size_t size, size_t *len,
               struct xdr_err *err)
{
	unsigned char *blob = NULL, *plain = NULL;
	size_t text_len, blob_len = 0, secret_len;
	int rc = XDR_OK;

	if (key == NULL || aad == NULL || sealed == NULL || len == NULL ||
	    (buf == NULL && size > 0))
		return xdr_errf(err, XDR_EINVAL, "unseal: invalid argument");
	text_len = strnlen(sealed, xdr_seal_text_len(XDR_SEAL_MAX_SECRET) + 1);
	if (text_len < PREFIX_LEN ||
	    memcmp(sealed, XDR_SEAL_PREFIX, PREFIX_LEN) != 0 ||
	    text_len > xdr_seal_text_len(XDR_SEAL_MAX_SECRET))
		return xdr_errf(err, XDR_EINVAL, "unseal: not sealed text");
	text_len -= PREFIX_LEN;
	blob = malloc(text_len / 4 * 3 + 1);
	if (blob == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	if (xdr_base64_decode(sealed + PREFIX_LEN, text_len, blob,
	                      text_len / 4 * 3 + 1, &blob_len) != XDR_OK ||
	    blob_len < NONCE_LEN + TAG_LEN) {
		free(blob);
		return xdr_errf(err, XDR_EINVAL, "unseal: not sealed text");
	}
	secret_len = blob_len - NONCE_LEN - TAG_LEN;
	/* Authenticate before saying anything about the size. */
	plain = malloc(secret_len + 1);
	if (plain == NULL) {
		free(blob);
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	}
	if (!gcm(false, key, blob, aad, blob + NONCE_LEN, secret_len, plain,
	         blob + NONCE_LEN + secret_len)) {
		rc = xdr_errf(err, XDR_EINVAL,
		              "unseal: text was altered or sealed for "
		              "another plugin or host");
	} else if (size < secret_len) {
		*len = secret_len;
		rc = xdr_errf(err, XDR_ERANGE,
		              "unseal: buffer of %zu bytes, %zu needed", size,
		              secret_len);
	} else {
		memcpy(buf, plain, secret_len);
		if (size > secret_len)
			((unsigned char *)buf)[secret_len] = '\0';
		*len = secret_len;
	}
	OPENSSL_cleanse(plain, secret_len + 1);
	free(plain);
	free(blob);
	return rc;
}
