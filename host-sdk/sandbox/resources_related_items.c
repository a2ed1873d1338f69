/*
 * resources_related_items.c - related items of flexible assets: POST and GET
 * /flexible_assets/:id/relationships/related_items, include=related_items.
 * destination_id arrives as a string, destination_type in singular Title
 * Case; the destination must exist and a pair is related once only.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xdr/plugin.h>

#include "sandbox.h"

static const struct {
	const char *type, *collection;
} destinations[] = {
        {"Configuration", "configurations"},
        {"Organization", "organizations"},
        {"Contact", "contacts"},
        {"FlexibleAsset", "flexible_assets"},
};

static const char *const attributes[] = {
        "destination-id",
        "destination-type",
        "destination-name",
        "notes",
        "created-at",
        "updated-at",
        NULL,
};

static const char *collection_of(const char *type)
{
	for (size_t i = 0;
	     type && i < sizeof(destinations) / sizeof(destinations[0]); i++)
		if (!strcmp(type, destinations[i].type))
			return destinations[i].collection;
	return NULL;
}

static int derive(struct sbx_ctx *ctx, struct json_object *item,
                  struct json_object *attrs)
{
	const char *collection =
	        collection_of(sbx_str_of(item, "destination-type"));
	struct json_object *dest =
	        collection ? sbx_store_find(ctx->store, collection,
	                                    sbx_int_of(item, "destination-id"))
	                   : NULL;
	const char *name = dest ? sbx_str_of(dest, "name") : NULL;

	json_object_object_add(attrs, "destination-name",
	                       name ? json_object_new_string(name) : NULL);
	return XDR_OK;
}

static const struct sbx_family related_items = {
        .type = "related-items",
        .attributes = attributes,
        .derive = derive,
};

int sbx_related_items_relate(struct sbx_ctx *ctx, struct json_object *asset,
                             struct json_object *relationships,
                             struct json_object *included)
{
	if (!sbx_wants(ctx, "related_items"))
		return XDR_OK;
	return sbx_relate_nested(ctx, asset, "related-items", "related-items",
	                         &related_items, relationships, included);
}

int sbx_related_items_list(struct sbx_ctx *ctx)
{
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	struct json_object *list = NULL, *empty = NULL;
	int rc;

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	if (!json_object_object_get_ex(asset, "related-items", &list) ||
	    !list) {
		list = empty = json_object_new_array();
		if (!empty)
			return XDR_ENOMEM;
	}
	rc = sbx_list(ctx, &related_items, list, false);
	json_object_put(empty);
	return rc;
}

static struct json_object *member(struct json_object *o, const char *snake,
                                  const char *kebab)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, snake, &v) ||
	    json_object_object_get_ex(o, kebab, &v))
		return v;
	return NULL;
}

static bool already_related(struct json_object *list, int64_t id,
                            const char *type)
{
	size_t n = list ? json_object_array_length(list) : 0;

	for (size_t i = 0; i < n; i++) {
		struct json_object *r = json_object_array_get_idx(list, i);
		const char *t = sbx_str_of(r, "destination-type");

		if (sbx_int_of(r, "destination-id") == id && t &&
		    !strcmp(t, type))
			return true;
	}
	return false;
}

static int add_item(struct sbx_ctx *ctx, struct json_object *asset,
                    int64_t dest, const char *type, struct json_object *notes)
{
	struct json_object *list = NULL, *item;
	char now[32];

	if (!json_object_object_get_ex(asset, "related-items", &list) ||
	    !list) {
		list = json_object_new_array();
		if (!list ||
		    json_object_object_add(asset, "related-items", list)) {
			json_object_put(list);
			return XDR_ENOMEM;
		}
	}
	item = json_object_new_object();
	if (!item)
		return XDR_ENOMEM;
	sbx_now_rfc3339(now);
	json_object_object_add(
	        item, "id",
	        json_object_new_int64(sbx_store_take_id(ctx->store)));
	json_object_object_add(item, "destination-id",
	                       json_object_new_int64(dest));
	json_object_object_add(item, "destination-type",
	                       json_object_new_string(type));
	json_object_object_add(item, "notes", json_object_get(notes));
	json_object_object_add(item, "created-at", json_object_new_string(now));
	json_object_object_add(item, "updated-at", json_object_new_string(now));
	json_object_array_add(list, item);
	return sbx_show(ctx, &related_items, item, 201);
}

int sbx_related_items_create(struct sbx_ctx *ctx)
{
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	struct json_object *attrs, *id_value, *notes, *list = NULL;
	const char *type, *collection;
	int64_t dest = -1;

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	attrs = sbx_body_attributes(ctx);
	if (!attrs)
		return ctx->res->status ? XDR_OK : XDR_ENOMEM;
	id_value = member(attrs, "destination_id", "destination-id");
	notes = member(attrs, "notes", "notes");
	type = json_object_get_string(
	        member(attrs, "destination_type", "destination-type"));
	collection = collection_of(type);
	if (!collection)
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "destination_type must be one of "
		                         "Configuration, Organization, "
		                         "Contact, FlexibleAsset",
		                         "/data/attributes/destination_type");
	if (json_object_is_type(id_value, json_type_int))
		dest = json_object_get_int64(id_value);
	else if (json_object_is_type(id_value, json_type_string))
		sbx_parse_id(json_object_get_string(id_value), &dest);
	if (!sbx_store_find(ctx->store, collection, dest))
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "Destination must exist",
		                         "/data/attributes/destination_id");
	if (notes && !json_object_is_type(notes, json_type_string))
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "notes must be a string",
		                         "/data/attributes/notes");
	json_object_object_get_ex(asset, "related-items", &list);
	if (already_related(list, dest, type))
		return sbx_respond_error(ctx->res, 422, "Unprocessable Entity",
		                         "This item is already related",
		                         "/data/attributes/destination_id");
	return add_item(ctx, asset, dest, type, notes);
}
