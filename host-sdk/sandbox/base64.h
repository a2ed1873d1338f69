/*
 * base64.h - strict base64 (RFC 4648, standard alphabet, padded, no line
 * breaks), as IT Glue wants file content. Pure.
 */
#ifndef SBX_BASE64_H
#define SBX_BASE64_H

#include <stddef.h>

/*
 * Decodes the LEN characters at IN into a new buffer (*OUT, *OUTLEN bytes,
 * NUL-terminated for convenience). XDR_OK, XDR_EINVAL (not strict base64)
 * or XDR_ENOMEM.
 */
int sbx_base64_decode(const char *in, size_t len, unsigned char **out,
                      size_t *outlen);

/* Encodes LEN bytes into a new NUL-terminated string; NULL out of memory. */
char *sbx_base64_encode(const unsigned char *in, size_t len);

#endif
