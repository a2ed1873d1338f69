/*
 * kp_tar.c - reading a knowledge pack's ustar archive from memory. Only what
 * a pack may hold is accepted: regular files and directories with plain
 * relative names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BLOCK 512

/* An octal field of the header (NUL or space terminated). */
static int octal(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '7')
		return XDR_EINVAL;
	for (; i < n && p[i] >= '0' && p[i] <= '7'; i++) {
		if (v > (UINT64_MAX >> 3))
			return XDR_EINVAL;
		v = (v << 3) | (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ' && p[i] != '\0')
			return XDR_EINVAL;
	*out = v;
	return XDR_OK;
}

static bool all_zero(const unsigned char *p)
{
	for (size_t i = 0; i < BLOCK; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static bool checksum_ok(const unsigned char *h)
{
	uint64_t want, sum = 0;

	if (octal(h + 148, 8, &want) != XDR_OK)
		return false;
	for (size_t i = 0; i < BLOCK; i++)
		sum += (i >= 148 && i < 156) ? ' ' : h[i];
	return sum == want;
}

/* prefix "/" name, each at most its field's width and maybe unterminated. */
static char *entry_name(const unsigned char *h)
{
	size_t nlen = strnlen((const char *)h, 100);
	size_t plen = memcmp(h + 257, "ustar", 5) == 0
	                      ? strnlen((const char *)h + 345, 155)
	                      : 0;
	char *s = malloc(plen + 1 + nlen + 1);

	if (s == NULL)
		return NULL;
	if (plen > 0) {
		memcpy(s, h + 345, plen);
		s[plen] = '/';
		memcpy(s + plen + 1, h, nlen);
		s[plen + 1 + nlen] = '\0';
	} else {
		memcpy(s, h, nlen);
		s[nlen] = '\0';
	}
	return s;
}

/* Drop "./" prefixes and one trailing '/'; refuse absolute names, empty
 * components, "." and "..". Returns false if refused. */
static bool clean_name(char *s)
{
	char *p = s, *seg;

	while (p[0] == '.' && p[1] == '/')
		p += 2;
	memmove(s, p, strlen(p) + 1);
	if (s[0] != '\0' && s[strlen(s) - 1] == '/')
		s[strlen(s) - 1] = '\0';
	if (s[0] == '\0' || s[0] == '/')
		return false;
	for (seg = s;;) {
		size_t n = strcspn(seg, "/");

		if (n == 0 || (n == 1 && seg[0] == '.') ||
		    (n == 2 && seg[0] == '.' && seg[1] == '.'))
			return false;
		if (seg[n] == '\0')
			return true;
		seg += n + 1;
	}
}

static int add_file(struct xdr_kp_archive *a, size_t *cap, char *name,
                    const unsigned char *data, size_t len)
{
	struct xdr_kp_file *f;

	if (xdr_array_grow(&a->files, cap, a->n, sizeof(*f)) != XDR_OK)
		return XDR_ENOMEM;
	f = &a->files[a->n];
	f->data = malloc(len + 1);
	if (f->data == NULL)
		return XDR_ENOMEM;
	memcpy(f->data, data, len);
	f->data[len] = '\0'; /* so that text files can be read as strings */
	f->len = len;
	f->path = name;
	a->n++;
	return XDR_OK;
}

/* One header at buf[*pos]: a file is added, a directory skipped. */
static int read_entry(const unsigned char *buf, size_t len, size_t *pos,
                      struct xdr_kp_archive *a, size_t *cap,
                      struct xdr_err *err)
{
	const unsigned char *h = buf + *pos;
	char q[XDR_QUOTE_MAX], *name;
	uint64_t size;
	size_t padded;
	int rc;

	if (!checksum_ok(h))
		return xdr_errf(err, XDR_EINVAL,
		                "pack archive: bad header checksum at byte %zu",
		                *pos);
	if (octal(h + 124, 12, &size) != XDR_OK || size > XDR_KP_MAX_BYTES)
		return xdr_errf(err, XDR_EINVAL,
		                "pack archive: bad size at byte %zu", *pos);
	name = entry_name(h);
	if (name == NULL)
		return xdr_errf(err, XDR_ENOMEM, "out of memory");
	padded = ((size_t)size + BLOCK - 1) / BLOCK * BLOCK;
	if (len - *pos - BLOCK < padded) {
		rc = xdr_errf(err, XDR_EINVAL, "pack archive is truncated");
	} else if (!clean_name(name)) {
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack archive: refused member name %s",
		              xdr_quote(name, q, sizeof(q)));
	} else if (h[156] == '5') {
		rc = XDR_OK;
	} else if (h[156] != '0' && h[156] != '\0') {
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack archive: %s is not a regular file",
		              xdr_quote(name, q, sizeof(q)));
	} else if (xdr_kp_archive_find(a, name) != NULL) {
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack archive: %s is there twice",
		              xdr_quote(name, q, sizeof(q)));
	} else if (a->n >= XDR_KP_MAX_FILES) {
		rc = xdr_errf(err, XDR_EINVAL,
		              "pack archive: more than %d files",
		              XDR_KP_MAX_FILES);
	} else {
		rc = add_file(a, cap, name, h + BLOCK, (size_t)size);
		if (rc == XDR_OK)
			name = NULL;
		else
			xdr_errf(err, rc, "out of memory");
	}
	free(name);
	*pos += BLOCK + padded;
	return rc;
}

int xdr_kp_tar_parse(const unsigned char *buf, size_t len,
                     struct xdr_kp_archive *out, struct xdr_err *err)
{
	struct xdr_kp_archive a = {NULL, 0};
	size_t pos = 0, cap = 0;
	int rc = XDR_OK;

	for (;;) {
		if (len - pos < BLOCK) {
			rc = xdr_errf(
			        err, XDR_EINVAL,
			        "pack archive is truncated (no end marker)");
			break;
		}
		if (all_zero(buf + pos))
			break;
		rc = read_entry(buf, len, &pos, &a, &cap, err);
		if (rc != XDR_OK)
			break;
	}
	if (rc != XDR_OK) {
		xdr_kp_archive_free(&a);
		return rc;
	}
	*out = a;
	return XDR_OK;
}

const struct xdr_kp_file *xdr_kp_archive_find(const struct xdr_kp_archive *a,
                                              const char *path)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->files[i].path, path) == 0)
			return &a->files[i];
	return NULL;
}

void xdr_kp_archive_free(struct xdr_kp_archive *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->files[i].path);
		free(a->files[i].data);
	}
	free(a->files);
	a->files = NULL;
	a->n = 0;
}
