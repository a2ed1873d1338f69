/*
 * seal_dpapi.c - the cryptography of seal.c on Windows, with no OpenSSL:
 * CNG (bcrypt) for the random bytes and AES-256-GCM, DPAPI (crypt32) for
 * the key file.
 *
 * The key file holds the 32-byte key protected with CryptProtectData for
 * the Windows user running the host, so only that user, on that computer,
 * can use it: this takes the place of the owner and permission checks of
 * POSIX, which mean nothing to Windows' access lists. The home's access
 * list (owner, SYSTEM and Administrators) still keeps it from other users.
 *
 * Why not seal each secret with CryptProtectData directly: a DPAPI blob
 * has 140 to 230 bytes of overhead of its own, more than the at most
 * 3 * len + 64 bytes of text that plugin.h promises plugins; and one key
 * per home keeps the text format, and every guarantee (another plugin's or
 * another home's text is refused), the same as on POSIX.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* windows.h first: the others need its types. */
#include <windows.h>

#include <bcrypt.h>
#include <wincrypt.h>

#include "seal_backend.h"
#include "xdrhost.h"

/* The optional entropy of the key's protection: it must never change, or
 * existing key files stop unprotecting. */
#define KEY_ENTROPY "openxdr xdr-host seal key v1"
/* A DPAPI blob of 32 bytes is about 200 to 300 bytes; anything larger is
 * not one. */
#define KEY_FILE_MAX 4096
/* How long to wait for another host that is writing the key file. */
#define KEY_BUSY_TRIES 200
#define KEY_BUSY_MS    10

/* "The system cannot find the file specified" for code, without the final
 * period and line break, or "error N". */
static const char *win_error(DWORD code, char *buf, size_t size)
{
	DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM |
	                                 FORMAT_MESSAGE_IGNORE_INSERTS,
	                         NULL, code, 0, buf, (DWORD)size, NULL);

	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' ||
	                 buf[n - 1] == ' ' || buf[n - 1] == '.'))
		buf[--n] = '\0';
	if (n == 0)
		snprintf(buf, size, "error %lu", (unsigned long)code);
	return buf;
}

static DATA_BLOB key_entropy(void)
{
	DATA_BLOB b = {(DWORD)(sizeof(KEY_ENTROPY) - 1), (BYTE *)KEY_ENTROPY};

	return b;
}

static bool write_all(HANDLE h, const BYTE *p, DWORD len)
{
	while (len > 0) {
		DWORD w = 0;

		if (!WriteFile(h, p, len, &w, NULL) || w == 0)
			return false;
		p += w;
		len -= w;
	}
	return true;
}

static bool read_all(HANDLE h, BYTE *p, DWORD len)
{
	while (len > 0) {
		DWORD r = 0;

		if (!ReadFile(h, p, len, &r, NULL) || r == 0)
			return false;
		p += r;
		len -= r;
	}
	return true;
}

int xdr_seal_key_create(const char *path, unsigned char *key, bool *created,
                        struct xdr_err *err)
{
	DATA_BLOB in = {XDR_SEAL_KEY_LEN, key}, entropy = key_entropy();
	DATA_BLOB out = {0, NULL};
	char msg[256];
	HANDLE h;
	DWORD e;

	*created = false;
	/* No sharing until it is written: a host reading it meanwhile waits
	 * (xdr_seal_key_read()) instead of reading half a file. */
	h = CreateFileA(path, GENERIC_WRITE, 0, NULL, CREATE_NEW,
	                FILE_ATTRIBUTE_NORMAL, NULL);
	if (h == INVALID_HANDLE_VALUE) {
		e = GetLastError();
		if (e == ERROR_FILE_EXISTS || e == ERROR_ALREADY_EXISTS ||
		    e == ERROR_SHARING_VIOLATION)
			return XDR_OK;
		return xdr_errf(err, XDR_ERROR,
		                "cannot create key file '%s': %s", path,
		                win_error(e, msg, sizeof(msg)));
	}
	if (!xdr_seal_random(key, XDR_SEAL_KEY_LEN)) {
		CloseHandle(h);
		DeleteFileA(path);
		return xdr_errf(err, XDR_ERROR,
		                "cannot draw random bytes for a key");
	}
	if (!CryptProtectData(&in, L"xdr-host seal key", &entropy, NULL, NULL,
	                      CRYPTPROTECT_UI_FORBIDDEN, &out)) {
		e = GetLastError();
		CloseHandle(h);
		DeleteFileA(path);
		xdr_seal_wipe(key, XDR_SEAL_KEY_LEN);
		return xdr_errf(err, XDR_ERROR,
		                "cannot protect the key of '%s' with DPAPI: %s",
		                path, win_error(e, msg, sizeof(msg)));
	}
	if (!write_all(h, out.pbData, out.cbData) || !FlushFileBuffers(h)) {
		e = GetLastError();
		LocalFree(out.pbData);
		CloseHandle(h);
		DeleteFileA(path);
		xdr_seal_wipe(key, XDR_SEAL_KEY_LEN);
		return xdr_errf(err, XDR_ERROR,
		                "cannot write key file '%s': %s", path,
		                win_error(e, msg, sizeof(msg)));
	}
	LocalFree(out.pbData);
	CloseHandle(h);
	*created = true;
	return XDR_OK;
}

/* Open path for reading, not following a symbolic link or junction, and
 * waiting a little while another host is still writing it. */
static HANDLE open_key(const char *path, DWORD *e)
{
	for (int i = 0;; i++) {
		HANDLE h = CreateFileA(path, GENERIC_READ, FILE_SHARE_READ,
		                       NULL, OPEN_EXISTING,
		                       FILE_FLAG_OPEN_REPARSE_POINT, NULL);

		if (h != INVALID_HANDLE_VALUE)
			return h;
		*e = GetLastError();
		if (*e != ERROR_SHARING_VIOLATION || i + 1 >= KEY_BUSY_TRIES)
			return INVALID_HANDLE_VALUE;
		Sleep(KEY_BUSY_MS);
	}
}

int xdr_seal_key_read(const char *path, unsigned char *key, struct xdr_err *err)
{
	BY_HANDLE_FILE_INFORMATION info;
	DATA_BLOB in = {0, NULL}, out = {0, NULL}, entropy = key_entropy();
	BYTE blob[KEY_FILE_MAX];
	ULONGLONG size;
	char msg[256];
	DWORD e = 0;
	HANDLE h = open_key(path, &e);

	if (h == INVALID_HANDLE_VALUE)
		return xdr_errf(err, XDR_ERROR, "cannot open key file '%s': %s",
		                path, win_error(e, msg, sizeof(msg)));
	if (!GetFileInformationByHandle(h, &info) ||
	    (info.dwFileAttributes &
	     (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT |
	      FILE_ATTRIBUTE_DEVICE)) != 0) {
		CloseHandle(h);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' is not a regular file", path);
	}
	size = (ULONGLONG)info.nFileSizeHigh << 32 | info.nFileSizeLow;
	if (size == 0 || size > KEY_FILE_MAX) {
		CloseHandle(h);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' has %llu bytes: it is not a key "
		                "protected with DPAPI",
		                path, (unsigned long long)size);
	}
	if (!read_all(h, blob, (DWORD)size)) {
		CloseHandle(h);
		return xdr_errf(err, XDR_ERROR, "cannot read key file '%s'",
		                path);
	}
	CloseHandle(h);
	in.cbData = (DWORD)size;
	in.pbData = blob;
	if (!CryptUnprotectData(&in, NULL, &entropy, NULL, NULL,
	                        CRYPTPROTECT_UI_FORBIDDEN, &out))
		return xdr_errf(err, XDR_ERROR,
		                "cannot unprotect key file '%s' (%s): it was "
		                "made by another Windows user or on another "
		                "computer, or it is damaged",
		                path,
		                win_error(GetLastError(), msg, sizeof(msg)));
	if (out.cbData != XDR_SEAL_KEY_LEN) {
		xdr_seal_wipe(out.pbData, out.cbData);
		LocalFree(out.pbData);
		return xdr_errf(err, XDR_ERROR,
		                "key file '%s' holds %lu bytes, expected %d",
		                path, (unsigned long)out.cbData,
		                XDR_SEAL_KEY_LEN);
	}
	memcpy(key, out.pbData, XDR_SEAL_KEY_LEN);
	xdr_seal_wipe(out.pbData, out.cbData);
	LocalFree(out.pbData);
	return XDR_OK;
}

bool xdr_seal_random(unsigned char *buf, size_t len)
{
	return len <= ULONG_MAX &&
	       BCRYPT_SUCCESS(BCryptGenRandom(NULL, buf, (ULONG)len,
	                                      BCRYPT_USE_SYSTEM_PREFERRED_RNG));
}

bool xdr_seal_gcm(bool encrypt, const struct xdr_seal_key *key,
                  const unsigned char *nonce, const char *aad,
                  const unsigned char *in, size_t len, unsigned char *out,
                  unsigned char *tag)
{
	BCRYPT_ALG_HANDLE alg = NULL;
	BCRYPT_KEY_HANDLE k = NULL;
	BCRYPT_AUTHENTICATED_CIPHER_MODE_INFO info;
	size_t aad_len = strlen(aad);
	ULONG done = 0;
	NTSTATUS st;

	if (len > ULONG_MAX || aad_len > ULONG_MAX)
		return false;
	st = BCryptOpenAlgorithmProvider(&alg, BCRYPT_AES_ALGORITHM, NULL, 0);
	if (!BCRYPT_SUCCESS(st))
		return false;
	st = BCryptSetProperty(alg, BCRYPT_CHAINING_MODE,
	                       (PUCHAR)BCRYPT_CHAIN_MODE_GCM,
	                       sizeof(BCRYPT_CHAIN_MODE_GCM), 0);
	/* CNG allocates the key object itself (NULL, 0). */
	if (BCRYPT_SUCCESS(st))
		st = BCryptGenerateSymmetricKey(alg, &k, NULL, 0,
		                                (PUCHAR)key->bytes,
		                                XDR_SEAL_KEY_LEN, 0);
	if (BCRYPT_SUCCESS(st)) {
		BCRYPT_INIT_AUTH_MODE_INFO(info);
		info.pbNonce = (PUCHAR)nonce;
		info.cbNonce = XDR_SEAL_NONCE_LEN;
		info.pbAuthData = aad_len > 0 ? (PUCHAR)aad : NULL;
		info.cbAuthData = (ULONG)aad_len;
		info.pbTag = tag;
		info.cbTag = XDR_SEAL_TAG_LEN;
		/* One call each way: decrypting, a wrong tag fails it
		 * (STATUS_AUTH_TAG_MISMATCH). */
		if (encrypt)
			st = BCryptEncrypt(k, len > 0 ? (PUCHAR)in : NULL,
			                   (ULONG)len, &info, NULL, 0,
			                   len > 0 ? out : NULL, (ULONG)len,
			                   &done, 0);
		else
			st = BCryptDecrypt(k, len > 0 ? (PUCHAR)in : NULL,
			                   (ULONG)len, &info, NULL, 0,
			                   len > 0 ? out : NULL, (ULONG)len,
			                   &done, 0);
	}
	if (k != NULL)
		BCryptDestroyKey(k);
	BCryptCloseAlgorithmProvider(alg, 0);
	return BCRYPT_SUCCESS(st) && done == (ULONG)len;
}

void xdr_seal_wipe(void *p, size_t len)
{
	SecureZeroMemory(p, len);
}
