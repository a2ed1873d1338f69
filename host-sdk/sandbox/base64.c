/*
 * base64.c - strict base64. Whitespace and line breaks are refused: IT
 * Glue's upload fields want the content on one line.
 */
#include "config.h"

#include "base64.h"

#include <stdlib.h>

#include <xdr/plugin.h>

static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

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

int sbx_base64_decode(const char *in, size_t len, unsigned char **out,
                      size_t *outlen)
{
	size_t pad = 0, o = 0;
	unsigned char *buf;

	*out = NULL;
	*outlen = 0;
	if (len % 4)
		return XDR_EINVAL;
	if (len && in[len - 1] == '=')
		pad = (len >= 2 && in[len - 2] == '=') ? 2 : 1;
	buf = malloc(len / 4 * 3 + 1);
	if (!buf)
		return XDR_ENOMEM;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		size_t quad_pad = (i + 4 == len) ? pad : 0;

		for (size_t k = 0; k < 4; k++) {
			v[k] = k >= 4 - quad_pad ? 0 : value_of(in[i + k]);
			if (v[k] < 0) {
				free(buf);
				return XDR_EINVAL;
			}
		}
		buf[o++] = (unsigned char)(v[0] << 2 | v[1] >> 4);
		if (quad_pad < 2)
			buf[o++] =
			        (unsigned char)((v[1] & 15) << 4 | v[2] >> 2);
		if (quad_pad < 1)
			buf[o++] = (unsigned char)((v[2] & 3) << 6 | v[3]);
	}
	buf[o] = '\0';
	*out = buf;
	*outlen = o;
	return XDR_OK;
}

char *sbx_base64_encode(const unsigned char *in, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;

		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = alphabet[v >> 18 & 63];
		out[o++] = alphabet[v >> 12 & 63];
		out[o++] = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? alphabet[v & 63] : '=';
	}
	out[o] = '\0';
	return out;
}
