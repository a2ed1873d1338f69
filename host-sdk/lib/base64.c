/*
 * base64.c - RFC 4648 base64 with padding. The decoder accepts only the
 * canonical encoding, so two different texts never decode to the same
 * bytes: altering sealed text is always detected.
 */
#include "config.h"

#include "xdrhost.h"

static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t xdr_base64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

void xdr_base64_encode(const unsigned char *in, size_t n, char *out)
{
	size_t o = 0, i = 0;

	for (; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 |
		             in[i + 2];

		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = alphabet[v >> 6 & 63];
		out[o++] = alphabet[v & 63];
	}
	if (i < n) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = i + 1 < n ? alphabet[v >> 6 & 63] : '=';
		out[o++] = '=';
	}
	out[o] = '\0';
}

static int value_of(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int xdr_base64_decode(const char *in, size_t len, unsigned char *out,
                      size_t size, size_t *outlen)
{
	size_t pad = 0, n, o = 0;

	if (len % 4 != 0)
		return XDR_EINVAL;
	if (len > 0 && in[len - 1] == '=')
		pad = len > 1 && in[len - 2] == '=' ? 2 : 1;
	n = len / 4 * 3 - pad;
	if (n > size)
		return XDR_ERANGE;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		unsigned bits;
		bool last = i + 4 == len;

		for (int k = 0; k < 4; k++) {
			bool padding = last && k >= 4 - (int)pad;

			v[k] = padding ? 0 : value_of(in[i + (size_t)k]);
			if (v[k] < 0)
				return XDR_EINVAL;
		}
		bits = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 |
		       (unsigned)v[2] << 6 | (unsigned)v[3];
		if (last && pad == 2 && (bits & 0xffff) != 0)
			return XDR_EINVAL;
		if (last && pad == 1 && (bits & 0xff) != 0)
			return XDR_EINVAL;
		out[o++] = (unsigned char)(bits >> 16);
		if (!(last && pad == 2))
			out[o++] = (unsigned char)(bits >> 8 & 0xff);
		if (!(last && pad >= 1))
			out[o++] = (unsigned char)(bits & 0xff);
	}
	*outlen = o;
	return XDR_OK;
}
