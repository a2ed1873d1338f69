/*
 * kp_digest_openssl.c - SHA-256 through OpenSSL's EVP (POSIX).
 */
#include "config.h"

#include <openssl/evp.h>
#include <string.h>

#include "kp_digest.h"

bool xdr_sha256(const void *data, size_t len, unsigned char md[XDR_SHA256_LEN])
{
	unsigned char buf[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (EVP_Digest(data, len, buf, &n, EVP_sha256(), NULL) != 1 ||
	    n != XDR_SHA256_LEN)
		return false;
	memcpy(md, buf, XDR_SHA256_LEN);
	return true;
}
