/*
 * kp_digest.c - SHA-256 of a pack's files as hex digits. The digest itself
 * is the platform's: kp_digest_openssl.c or kp_digest_cng.c.
 */
#include "config.h"

#include "internal.h"
#include "kp_digest.h"

int xdr_sha256_hex(const void *data, size_t len, char out[XDR_SHA256_HEX],
                   struct xdr_err *err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[XDR_SHA256_LEN];

	if (!xdr_sha256(data, len, md))
		return xdr_errf(err, XDR_ERROR, "SHA-256 failed");
	for (unsigned int i = 0; i < XDR_SHA256_LEN; i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[2 * XDR_SHA256_LEN] = '\0';
	return XDR_OK;
}
