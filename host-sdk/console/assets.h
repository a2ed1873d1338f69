/*
 * assets.h - the files of assets/ built into xdr-host: console_assets.c,
 * made by gen-assets.sh, holds their bytes; assets.c serves them.
 */
#ifndef XCON_ASSETS_H
#define XCON_ASSETS_H

#include <stddef.h>

struct xcon_asset_file {
	const char *path; /* relative to assets/: "js/app.js" */
	const char *type; /* its media type, by its extension */
	const unsigned char *data;
	size_t len;
};

extern const struct xcon_asset_file xcon_asset_files[];
extern const size_t xcon_n_asset_files;

#endif
