/*
 * kp_gzip.c - reading a pack file: the file into memory, gunzipped
 * (bounded), then its archive parsed.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "internal.h"

#define CHUNK 65536

int xdr_kp_gunzip(const unsigned char *in, size_t len, unsigned char **out,
                  size_t *outlen, struct xdr_err *err)
{
	z_stream z;
	unsigned char *buf = NULL;
	size_t cap = 0;
	int zr = Z_OK, rc = XDR_OK;

	memset(&z, 0, sizeof(z));
	if (len < 2 || in[0] != 0x1f || in[1] != 0x8b)
		return xdr_errf(err, XDR_EINVAL, "pack is not gzip-compressed");
	/* 16 + MAX_WBITS: a gzip wrapper, not zlib's. */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	z.next_in = (unsigned char *)in;
	z.avail_in = (uInt)len;
	while (rc == XDR_OK && zr != Z_STREAM_END) {
		if (z.avail_out == 0) {
			unsigned char *p;

			if (cap >= XDR_KP_MAX_BYTES) {
				rc = xdr_errf(err, XDR_ERANGE,
				              "pack is larger than %u bytes",
				              XDR_KP_MAX_BYTES);
				break;
			}
			p = realloc(buf, cap + CHUNK);
			if (p == NULL) {
				rc = xdr_errf(err, XDR_ENOMEM, "out of memory");
				break;
			}
			buf = p;
			z.next_out = buf + cap;
			z.avail_out = CHUNK;
			cap += CHUNK;
		}
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_BUF_ERROR && z.avail_in == 0)
			rc = xdr_errf(err, XDR_EINVAL, "pack is truncated");
		else if (zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
			rc = xdr_errf(err, XDR_EINVAL, "pack is corrupt: %s",
			              z.msg ? z.msg : "inflate failed");
	}
	if (rc == XDR_OK && z.avail_in != 0)
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack has data after its compressed stream");
	*outlen = cap - z.avail_out;
	inflateEnd(&z);
	if (rc != XDR_OK) {
		free(buf);
		return rc;
	}
	*out = buf;
	return XDR_OK;
}

int xdr_kp_read(const char *path, struct xdr_kp_archive *out,
                unsigned char **raw, size_t *raw_len, struct xdr_err *err)
{
	unsigned char *buf;
	char *file, q[XDR_QUOTE_MAX];
	size_t len, flen;
	int rc = xdr_read_file(path, XDR_KP_MAX_BYTES, &file, &flen, err);

	if (rc != XDR_OK)
		return rc;
	rc = xdr_kp_gunzip((const unsigned char *)file, flen, &buf, &len, err);
	if (rc == XDR_OK) {
		rc = xdr_kp_tar_parse(buf, len, out, err);
		free(buf);
	}
	if (rc != XDR_OK) {
		struct xdr_err why = *err;

		free(file);
		return xdr_errf(err, rc, "pack %s refused: %s",
		                xdr_quote(path, q, sizeof(q)), why.msg);
	}
	if (raw != NULL) {
		*raw = (unsigned char *)file;
		*raw_len = flen;
	} else {
		free(file);
	}
	return XDR_OK;
}
