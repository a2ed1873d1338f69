/*
 * seal.c - sealing plugins' secrets with AES-256-GCM.
 *
 * Sealed text is "xdrseal1:" + base64(nonce[12] | ciphertext | tag[16]).
 * The plugin's name is the additional authenticated data, so text sealed
 * for one plugin does not unseal for another. The key is 32 random bytes
 * in the home's key file, which only the user running the host can use:
 * on POSIX the file holds the key itself, mode 0600, and the host refuses
 * it if anyone else can read it, as ssh does with private keys; on Windows
 * it holds the key protected with DPAPI for that user (seal_backend.h).
 *
 * This file is the same everywhere: the text format, the argument checks
 * and the buffer rule. The cryptography is seal_openssl.c or seal_dpapi.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "seal_backend.h"
#include "xdrhost.h"

#define NONCE_LEN  XDR_SEAL_NONCE_LEN
#define TAG_LEN    XDR_SEAL_TAG_LEN
#define PREFIX_LEN (sizeof(XDR_SEAL_PREFIX) - 1)

int xdr_seal_key_load(const char *path, struct xdr_seal_key **out,
                      struct xdr_err *err)
{
	struct xdr_seal_key *key;
	bool created;
	int rc;

	if (path == NULL || out == NULL)
		return xdr_errf(err, XDR_EINVAL, "seal key: invalid argument");
	key = malloc(sizeof(*key));
	if (key == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	/* Exclusive creation settles a race between two hosts starting at
	 * once: one creates, the other reads what it wrote. */
	rc = xdr_seal_key_create(path, key->bytes, &created, err);
	if (rc == XDR_OK && !created)
		rc = xdr_seal_key_read(path, key->bytes, err);
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
	xdr_seal_wipe(key, sizeof(*key));
	free(key);
}

size_t xdr_seal_text_len(size_t len)
{
	return PREFIX_LEN + xdr_base64_len(NONCE_LEN + len + TAG_LEN);
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
	if (!xdr_seal_random(blob, NONCE_LEN) ||
	    !xdr_seal_gcm(true, key, blob, aad, secret, len, blob + NONCE_LEN,
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
	if (!xdr_seal_gcm(false, key, blob, aad, blob + NONCE_LEN, secret_len,
	                  plain, blob + NONCE_LEN + secret_len)) {
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
	xdr_seal_wipe(plain, secret_len + 1);
	free(plain);
	free(blob);
	return rc;
}
