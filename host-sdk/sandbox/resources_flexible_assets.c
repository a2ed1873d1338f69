/*
 * resources_flexible_assets.c - GET /flexible_assets (which, as with IT
 * Glue, requires filter[flexible_asset_type_id]), GET, POST, PATCH and
 * DELETE of single flexible assets. PATCH replaces the traits: a trait not
 * sent again is gone, uploaded files included.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <xdr/plugin.h>

#include "sandbox.h"

static const char *const attributes[] = {
        "organization-id",
        "organization-name",
        "resource-url",
        "restricted",
        "my-glue",
        "flexible-asset-type-id",
        "flexible-asset-type-name",
        "name",
        "traits",
        "archived",
        "created-at",
        "updated-at",
        NULL,
};

static const char *const hidden[] = {"traits", "attachments", "related-items",
                                     NULL};

static const struct sbx_filter_rule filters[] = {
        {"id", SBX_MATCH_ID},
        {"name", SBX_MATCH_NAME},
        {"organization_id", SBX_MATCH_ID},
        {"flexible_asset_type_id", SBX_MATCH_ID},
        {NULL, SBX_MATCH_ID},
};

static struct json_object *type_of(struct sbx_store *s,
                                   struct json_object *asset)
{
	return sbx_store_find(s, "flexible_asset_types",
	                      sbx_int_of(asset, "flexible-asset-type-id"));
}

static int derive(struct sbx_ctx *ctx, struct json_object *a,
                  struct json_object *attrs)
{
	struct json_object *org = sbx_store_find(
	        ctx->store, "organizations", sbx_int_of(a, "organization-id"));
	struct json_object *type = type_of(ctx->store, a);
	struct json_object *traits = NULL, *shown;
	char url[160];

	json_object_object_add(
	        attrs, "organization-name",
	        org ? json_object_new_string(sbx_str_of(org, "name")) : NULL);
	json_object_object_add(
	        attrs, "flexible-asset-type-name",
	        type ? json_object_new_string(sbx_str_of(type, "name")) : NULL);
	snprintf(url, sizeof(url),
	         SBX_RESOURCE_HOST "/%" PRId64 "/assets/records/%" PRId64,
	         sbx_int_of(a, "organization-id"), sbx_id_of(a));
	json_object_object_add(attrs, "resource-url",
	                       json_object_new_string(url));
	if (!json_object_object_get(attrs, "restricted"))
		json_object_object_add(attrs, "restricted",
		                       json_object_new_boolean(0));
	if (!json_object_object_get(attrs, "my-glue"))
		json_object_object_add(attrs, "my-glue",
		                       json_object_new_boolean(0));
	json_object_object_get_ex(a, "traits", &traits);
	shown = type && traits ? sbx_traits_render(ctx, type, traits)
	                       : json_object_new_object();
	if (!shown)
		return XDR_ENOMEM;
	json_object_object_add(attrs, "traits", shown);
	return XDR_OK;
}

static int relate(struct sbx_ctx *ctx, struct json_object *a,
                  struct json_object *rels, struct json_object *included)
{
	int rc = sbx_attachments_relate(ctx, a, rels, included);

	return rc ? rc : sbx_related_items_relate(ctx, a, rels, included);
}

static const struct sbx_family assets = {
        .type = "flexible-assets",
        .attributes = attributes,
        .hidden = hidden,
        .filters = filters,
        .derive = derive,
        .relate = relate,
};

int sbx_flexible_assets_list(struct sbx_ctx *ctx)
{
	const char *type =
	        sbx_query_filter(ctx->req->query, "flexible_asset_type_id");

	if (!type || !*type) {
		struct sbx_problem p;

		sbx_problem_set(&p, 422,
		                "Cannot index flexible assets without "
		                "providing a flexible asset type ID filter",
		                NULL, NULL);
		p.null_pointer = true;
		return sbx_respond_problem(ctx->res, &p);
	}
	return sbx_list(ctx, &assets,
	                sbx_store_collection(ctx->store, "flexible_assets"),
	                true);
}

int sbx_flexible_assets_show(struct sbx_ctx *ctx)
{
	struct json_object *a = sbx_lookup(ctx, "flexible_assets", 0);

	if (!a)
		return sbx_not_found(ctx, ctx->req->params[0]);
	return sbx_show(ctx, &assets, a, 200);
}

/* An id attribute given as a number or a digit string; -1 otherwise. */
static int64_t id_attribute(struct json_object *attrs, const char *kebab,
                            const char *snake)
{
	struct json_object *v;
	int64_t id = -1;

	if (!json_object_object_get_ex(attrs, kebab, &v) &&
	    !json_object_object_get_ex(attrs, snake, &v))
		return -1;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_string))
		sbx_parse_id(json_object_get_string(v), &id);
	return id;
}

static int set_name(struct json_object *asset, struct json_object *type)
{
	const char *title = NULL;
	struct json_object *traits;

	if (json_object_object_get_ex(asset, "traits", &traits))
		title = sbx_traits_title(type, traits);
	return json_object_object_add(
	               asset, "name",
	               json_object_new_string(title ? title : ""))
	               ? XDR_ENOMEM
	               : XDR_OK;
}

/* Applies organization-id, traits and archived of ATTRS to ASSET. */
static int apply(struct sbx_ctx *ctx, struct json_object *asset,
                 struct json_object *attrs, bool creating,
                 struct sbx_problem *p)
{
	int64_t org = id_attribute(attrs, "organization-id", "organization_id");
	int64_t type_id =
	        creating ? id_attribute(attrs, "flexible-asset-type-id",
	                                "flexible_asset_type_id")
	                 : sbx_int_of(asset, "flexible-asset-type-id");
	struct json_object *type, *input = NULL, *traits, *archived;
	char now[32];
	int rc;

	if ((creating || org != -1) &&
	    !sbx_store_find(ctx->store, "organizations", org)) {
		sbx_problem_set(p, 422, "Valid organization_id is required",
		                NULL, "data/attributes/organization_id");
		return XDR_EINVAL;
	}
	type = sbx_store_find(ctx->store, "flexible_asset_types", type_id);
	if (!type) {
		sbx_problem_set(p, 422, "Unprocessable Entity", "must exist",
		                "/data/attributes/flexible-asset-type");
		return XDR_EINVAL;
	}
	if (json_object_object_get_ex(attrs, "archived", &archived) &&
	    !json_object_is_type(archived, json_type_boolean)) {
		sbx_problem_set(p, 422, "Unprocessable Entity", "is invalid",
		                "/data/attributes/archived");
		return XDR_EINVAL;
	}
	json_object_object_get_ex(attrs, "traits", &input);
	if (creating || json_object_object_get_ex(attrs, "traits", NULL)) {
		rc = sbx_traits_build(ctx->store, type, input, &traits, p);
		if (rc)
			return rc;
		json_object_object_add(asset, "traits", traits);
	}
	if (org != -1)
		json_object_object_add(asset, "organization-id",
		                       json_object_new_int64(org));
	if (creating)
		json_object_object_add(asset, "flexible-asset-type-id",
		                       json_object_new_int64(type_id));
	if (archived || creating)
		json_object_object_add(
		        asset, "archived",
		        json_object_new_boolean(
		                archived && json_object_get_boolean(archived)));
	sbx_now_rfc3339(now);
	if (creating)
		json_object_object_add(asset, "created-at",
		                       json_object_new_string(now));
	json_object_object_add(asset, "updated-at",
	                       json_object_new_string(now));
	return set_name(asset, type);
}

int sbx_flexible_assets_create(struct sbx_ctx *ctx)
{
	struct json_object *attrs = sbx_body_attributes(ctx);
	struct json_object *asset;
	struct sbx_problem p;
	int rc;

	if (!attrs)
		return ctx->res->status ? XDR_OK : XDR_ENOMEM;
	asset = json_object_new_object();
	if (!asset)
		return XDR_ENOMEM;
	rc = apply(ctx, asset, attrs, true, &p);
	if (rc != XDR_OK) {
		json_object_put(asset);
		return rc == XDR_EINVAL ? sbx_respond_problem(ctx->res, &p)
		                        : rc;
	}
	json_object_object_add(
	        asset, "id",
	        json_object_new_int64(sbx_store_take_id(ctx->store)));
	json_object_array_add(
	        sbx_store_collection(ctx->store, "flexible_assets"), asset);
	return sbx_show(ctx, &assets, asset, 201);
}

int sbx_flexible_assets_update(struct sbx_ctx *ctx)
{
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	struct json_object *attrs, *copy = NULL;
	struct sbx_problem p;
	int rc;

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	attrs = sbx_body_attributes(ctx);
	if (!attrs)
		return ctx->res->status ? XDR_OK : XDR_ENOMEM;
	/* Work on a copy so that a refused PATCH changes nothing. */
	if (json_object_deep_copy(asset, &copy, NULL))
		return XDR_ENOMEM;
	rc = apply(ctx, copy, attrs, false, &p);
	if (rc != XDR_OK) {
		json_object_put(copy);
		return rc == XDR_EINVAL ? sbx_respond_problem(ctx->res, &p)
		                        : rc;
	}
	json_object_object_foreach(copy, key, value)
	        json_object_object_add(asset, key, json_object_get(value));
	json_object_put(copy);
	return sbx_show(ctx, &assets, asset, 200);
}

int sbx_flexible_assets_delete(struct sbx_ctx *ctx)
{
	struct json_object *all =
	        sbx_store_collection(ctx->store, "flexible_assets");
	struct json_object *asset = sbx_lookup(ctx, "flexible_assets", 0);
	size_t n = json_object_array_length(all);

	if (!asset)
		return sbx_not_found(ctx, ctx->req->params[0]);
	for (size_t i = 0; i < n; i++)
		if (json_object_array_get_idx(all, i) == asset) {
			json_object_array_del_idx(all, i, 1);
			break;
		}
	return sbx_respond_bytes(ctx->res, 204, NULL, "", 0);
}
