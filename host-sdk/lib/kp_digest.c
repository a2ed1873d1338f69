/*
 * kp_digest.c - SHA-256 of a pack's files, through OpenSSL's EVP.
 */
#include "config.h"

#include <openssl/evp.h>

#include "internal.h"

int xdr_sha256_hex(const void *data, size_t len, char out[XDR_SHA256_HEX],
                   struct xdr_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
		return xdr_errf(err, XDR_ERROR, "SHA-256 failed");
	for (unsigned int i = 0; i < n; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * n] = '\0';
	return XDR_OK;
}
