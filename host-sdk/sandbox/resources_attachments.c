/*
 * resources_attachments.c - attachments of flexible assets: POST and GET
 * /flexible_assets/:id/relationships/attachments, and include=attachments.
 * The file arrives as {"attachment": {"content": base64, "file_name"}}.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

#include "base64.h"
#include "sandbox.h"

static const char *const attributes[] = {
        "name",
        "attachment-file-name",
        "attachment-content-type",
        "attachment-file-size",
        "ext",
        "viewable",
        "download-url",
        "created-at",
        "updated-at",
        NULL,
};

static const char *const hidden[] = {"content", NULL};

static const struct {
	const char *ext, *type;
	bool viewable;
} media[] = {
        {"html", "text/html", true},      {"htm", "text/html", true},
        {"pdf", "application/pdf", true}, {"txt", "text/plain", true},
        {"png", "image/png", true},       {"jpg", "image/jpeg", true},
        {"csv", "text/csv", true},        {"json", "application/json", true},
};

static int derive(struct sbx_ctx *ctx, struct json_object *att,
                  struct json_object *attrs)
{
	const char *name = sbx_str_of(att, "attachment-file-name");
	const char *dot = name ? strrchr(name, '.') : NULL;
	const char *ext = dot ? dot + 1 : "";
	const char *type = "application/octet-stream";
	bool viewable = false;
	char url[512];

	for (size_t i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (!strcasecmp(ext, media[i].ext)) {
			type = media[i].type;
			viewable = media[i].viewable;
		}
	snprintf(url, sizeof(url), "%s/_sandbox/files/%" PRId64,
	         ctx->req->base_url, sbx_id_of(att));
	json_object_object_add(attrs, "name",
	                       json_object_new_string(name ? name : ""));
	json_object_object_add(attrs, "attachment-content-type",
	                       json_object_new_string(type));
	json_object_object_add(attrs, "ext", json_object_new_string(ext));
	json_object_object_add(attrs, "viewable",
	                       json_object_new_boolean(viewable));
	json_object_object_add(attrs, "download-url",
	                       json_object_new_string(url));
	return XDR_OK;
}

static const struct sbx_family attachments = {
        .type = "attachments",
        .attributes = attributes,
        .hidden = hidden,
        .derive = derive,
};

int sbx_attachments_relate(struct sbx_ctx *ctx, struct json_object *asset,
                           struct json_object *relationships,
                           struct json_object *included)
{
	if (!sbx_wants(ctx, "attachments"))
		return XDR_OK;
	return sbx_relate_nested(ctx, asset, "attachments", "attachments",
	                         &attachments, relationships, included);
}

int sbx_attachments_list(struct sbx_ctx *ctx)
{
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	struct json_object *list = NULL, *empty = NULL;
	int rc;

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	if (!json_object_object_get_ex(asset, "attachments", &list) || !list) {
		list = empty = json_object_new_array();
		if (!empty)
			return XDR_ENOMEM;
	}
	rc = sbx_list(ctx, &attachments, list, false);
	json_object_put(empty);
	return rc;
}

/* The array ASSET keeps its attachments in, created when missing. */
static struct json_object *attachments_of(struct json_object *asset)
{
	struct json_object *list;

	if (json_object_object_get_ex(asset, "attachments", &list) && list)
		return list;
	list = json_object_new_array();
	if (!list || json_object_object_add(asset, "attachments", list)) {
		json_object_put(list);
		return NULL;
	}
	return list;
}

int sbx_attachments_create(struct sbx_ctx *ctx)
{
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	struct json_object *attrs, *file, *att, *list;
	const char *content, *name;
	unsigned char *bytes;
	size_t size;
	char now[32];
	int rc;

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	attrs = sbx_body_attributes(ctx);
	if (!attrs)
		return ctx->res->status ? XDR_OK : XDR_ENOMEM;
	if (!json_object_object_get_ex(attrs, "attachment", &file))
		file = NULL;
	content = sbx_str_of(file, "content");
	name = sbx_str_of(file, "file_name");
	if (!content || !name || !*name)
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "attachment needs content and "
		                         "file_name",
		                         "/data/attributes/attachment");
	rc = sbx_base64_decode(content, strlen(content), &bytes, &size);
	if (rc == XDR_EINVAL)
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "content is not base64 (one line, "
		                         "padded)",
		                         "/data/attributes/attachment/content");
	if (rc != XDR_OK)
		return rc;
	free(bytes);
	list = attachments_of(asset);
	att = json_object_new_object();
	if (!list || !att) {
		json_object_put(att);
		return XDR_ENOMEM;
	}
	sbx_now_rfc3339(now);
	json_object_object_add(
	        att, "id",
	        json_object_new_int64(sbx_store_take_id(ctx->store)));
	json_object_object_add(att, "attachment-file-name",
	                       json_object_new_string(name));
	json_object_object_add(att, "attachment-file-size",
	                       json_object_new_int64((int64_t)size));
	json_object_object_add(att, "content", json_object_new_string(content));
	json_object_object_add(att, "created-at", json_object_new_string(now));
	json_object_object_add(att, "updated-at", json_object_new_string(now));
	json_object_array_add(list, att);
	return sbx_show(ctx, &attachments, att, 201);
}
