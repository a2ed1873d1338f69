/*
 * kp_digest.h - the SHA-256 of the platform's cryptography, for
 * kp_digest.c: kp_digest_openssl.c (EVP, POSIX) or kp_digest_cng.c (CNG,
 * Windows). Shared between those files only.
 */
#ifndef XDRHOST_KP_DIGEST_H
#define XDRHOST_KP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

#define XDR_SHA256_LEN 32

/* The SHA-256 of data[0..len) into md; false if the library failed. */
bool xdr_sha256(const void *data, size_t len, unsigned char md[XDR_SHA256_LEN]);

#endif /* XDRHOST_KP_DIGEST_H */
