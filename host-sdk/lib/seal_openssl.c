/*
 * seal_openssl.c - the cryptography of seal.c on POSIX, with OpenSSL's
 * libcrypto: the key file holds the 32 bytes of the key, mode 0600, and is
 * refused if it is not a regular file of the user running the host or if
 * group or others can access it, as ssh does with private keys.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <string.h>
#include <unistd.h>

#include "seal_backend.h"
#include "xdrhost.h"

int xdr_seal_key_create(const char *path, unsigned char *key, bool *created,
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

int xdr_seal_key_read(const char *path, unsigned char *key, struct xdr_err *err)
{
	int64_t size;
	ssize_t r;
	int fd;
	int rc = xdr_private_file_open(path, "key file", &fd, &size, err);

	if (rc != XDR_OK)
		return rc;
	if (size != XDR_SEAL_KEY_LEN) {
		close(fd);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' has %lld bytes, expected %d",
		                path, (long long)size, XDR_SEAL_KEY_LEN);
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

bool xdr_seal_random(unsigned char *buf, size_t len)
{
	return len <= (size_t)0x7fffffff && RAND_bytes(buf, (int)len) == 1;
}

bool xdr_seal_gcm(bool encrypt, const struct xdr_seal_key *key,
                  const unsigned char *nonce, const char *aad,
                  const unsigned char *in, size_t len, unsigned char *out,
                  unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, fin = 0;
	bool ok = ctx != NULL;

	ok = ok && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL,
	                             encrypt) == 1;
	ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN,
	                               XDR_SEAL_NONCE_LEN, NULL) == 1;
	ok = ok && EVP_CipherInit_ex(ctx, NULL, NULL, key->bytes, nonce,
	                             encrypt) == 1;
	ok = ok && EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)aad,
	                            (int)strlen(aad)) == 1;
	if (len > 0)
		ok = ok && EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1;
	if (!encrypt)
		ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG,
		                               XDR_SEAL_TAG_LEN, tag) == 1;
	/* Decrypting, this is where a wrong tag shows. */
	ok = ok && EVP_CipherFinal_ex(ctx, out + (len > 0 ? n : 0), &fin) == 1;
	if (encrypt)
		ok = ok && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG,
		                               XDR_SEAL_TAG_LEN, tag) == 1;
	EVP_CIPHER_CTX_free(ctx);
	return ok;
}

void xdr_seal_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}
