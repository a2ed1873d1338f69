/*
 * assets.c - GET / and GET /assets/PATH: the files of assets/, built into
 * xdr-host (console_assets.c), never read from the file system, so a path
 * is only a key of that table. Each has an ETag, the SHA-256 of its bytes,
 * and a request whose If-None-Match names it gets 304.
 */
#include "config.h"

#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "assets.h"
#include "handlers.h"
#include "http.h"
#include "server.h"

#define ETAG_MAX (XDR_SHA256_HEX + 2) /* the quoted digest */

/* The ETags, made once: the table is the same for the binary's life. */
static char (*etags)[ETAG_MAX];
static pthread_once_t etags_once = PTHREAD_ONCE_INIT;

static void make_etags(void)
{
	static char made[64][ETAG_MAX];
	char hex[XDR_SHA256_HEX];

	if (xcon_n_asset_files > sizeof(made) / sizeof(made[0]))
		return; /* no ETags rather than a larger fixed table */
	for (size_t i = 0; i < xcon_n_asset_files; i++) {
		if (xdr_sha256_hex(xcon_asset_files[i].data,
		                   xcon_asset_files[i].len, hex,
		                   NULL) != XDR_OK)
			return;
		snprintf(made[i], ETAG_MAX, "\"%s\"", hex);
	}
	etags = made;
}

static const struct xcon_asset_file *find(const char *path, size_t *index)
{
	for (size_t i = 0; i < xcon_n_asset_files; i++)
		if (!strcmp(xcon_asset_files[i].path, path)) {
			*index = i;
			return &xcon_asset_files[i];
		}
	return NULL;
}

XCON_HANDLER(xcon_asset)
{
	const struct xcon_asset_file *f;
	size_t i = 0;

	(void)c;
	pthread_once(&etags_once, make_etags);
	f = find(req->param ? req->param : "index.html", &i);
	if (!f) {
		xcon_reply_error(reply, 404, "not_found", "no such asset");
		return;
	}
	reply->content_type = f->type;
	reply->etag = etags ? etags[i] : NULL;
	if (reply->etag &&
	    xcon_etag_match(xcon_header(req, "If-None-Match"), reply->etag)) {
		reply->status = 304;
		return;
	}
	reply->body = malloc(f->len ? f->len : 1);
	if (!reply->body) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		return;
	}
	memcpy(reply->body, f->data, f->len);
	reply->len = f->len;
	reply->status = 200;
}
