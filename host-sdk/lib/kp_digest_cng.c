/*
 * kp_digest_cng.c - SHA-256 through Windows' CNG (bcrypt), which every
 * Windows since Vista has: no OpenSSL there.
 */
#include "config.h"

#include <limits.h>

/* windows.h first: bcrypt.h needs its types. */
#include <windows.h>

#include <bcrypt.h>

#include "kp_digest.h"

bool xdr_sha256(const void *data, size_t len, unsigned char md[XDR_SHA256_LEN])
{
	BCRYPT_ALG_HANDLE alg = NULL;
	BCRYPT_HASH_HANDLE h = NULL;
	const unsigned char *p = data;
	NTSTATUS st;

	st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_SHA256_ALGORITHM, NULL,
	                                 0);
	if (!BCRYPT_SUCCESS(st))
		return false;
	/* CNG allocates the hash object itself (NULL, 0). */
	st = BCryptCreateHash(alg, &h, NULL, 0, NULL, 0, 0);
	/* BCryptHashData takes a ULONG: feed larger data in pieces. */
	while (BCRYPT_SUCCESS(st) && len > 0) {
		ULONG n = len > ULONG_MAX ? ULONG_MAX : (ULONG)len;

		st = BCryptHashData(h, (PUCHAR)p, n, 0);
		p += n;
		len -= n;
	}
	if (BCRYPT_SUCCESS(st))
		st = BCryptFinishHash(h, md, XDR_SHA256_LEN, 0);
	if (h != NULL)
		BCryptDestroyHash(h);
	BCryptCloseAlgorithmProvider(alg, 0);
	return BCRYPT_SUCCESS(st);
}
