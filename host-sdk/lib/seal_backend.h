/*
 * seal_backend.h - what seal.c (the format, the argument checks and the
 * buffer rule, the same everywhere) asks of the platform's cryptography:
 * seal_openssl.c (libcrypto, POSIX) or seal_dpapi.c (DPAPI and CNG,
 * Windows). Shared between those files only.
 */
#ifndef XDRHOST_SEAL_BACKEND_H
#define XDRHOST_SEAL_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include "xdrhost.h"

#define XDR_SEAL_NONCE_LEN 12
#define XDR_SEAL_TAG_LEN   16

struct xdr_seal_key {
	unsigned char bytes[XDR_SEAL_KEY_LEN];
};

/*
 * The key file at path. xdr_seal_key_create() makes it with a new random
 * key, atomically (O_EXCL or CREATE_NEW): *created is false, and XDR_OK
 * returned, if it already exists. xdr_seal_key_read() reads an existing one,
 * refusing what the platform cannot trust. Both wipe key on failure.
 */
int xdr_seal_key_create(const char *path, unsigned char *key, bool *created,
                        struct xdr_err *err);
int xdr_seal_key_read(const char *path, unsigned char *key,
                      struct xdr_err *err);

/* len bytes from the system's cryptographic random generator. */
bool xdr_seal_random(unsigned char *buf, size_t len);

/* AES-256-GCM over in[0..len) with aad (a C string) as additional data and
 * a XDR_SEAL_NONCE_LEN-byte nonce: out gets len bytes. Encrypting, tag
 * receives XDR_SEAL_TAG_LEN bytes; decrypting, it is checked, and false
 * means it did not match (or the library failed). */
bool xdr_seal_gcm(bool encrypt, const struct xdr_seal_key *key,
                  const unsigned char *nonce, const char *aad,
                  const unsigned char *in, size_t len, unsigned char *out,
                  unsigned char *tag);

/* Overwrite len bytes at p with zeros in a way the compiler keeps. */
void xdr_seal_wipe(void *p, size_t len);

#endif /* XDRHOST_SEAL_BACKEND_H */
