/*
 * resources_organizations.c - GET /organizations and /organizations/:id.
 */
#include "config.h"

#include <xdr/plugin.h>

#include "sandbox.h"

static const char *const attributes[] = {
        "name",
        "short-name",
        "description",
        "alert",
        "quick-notes",
        "primary",
        "organization-type-id",
        "organization-type-name",
        "organization-status-id",
        "organization-status-name",
        "parent-id",
        "created-at",
        "updated-at",
        NULL,
};

static const struct sbx_filter_rule filters[] = {
        {"id", SBX_MATCH_ID},
        {"name", SBX_MATCH_NAME},
        {"organization_type_id", SBX_MATCH_ID},
        {"organization_status_id", SBX_MATCH_ID},
        {NULL, SBX_MATCH_ID},
};

static const struct sbx_family organizations = {
        .type = "organizations",
        .attributes = attributes,
        .filters = filters,
        .read_only = true,
};

int sbx_organizations_list(struct sbx_ctx *ctx)
{
	return sbx_list(ctx, &organizations,
	                sbx_store_collection(ctx->store, "organizations"),
	                true);
}

int sbx_organizations_show(struct sbx_ctx *ctx)
{
	struct json_object *o = sbx_lookup(ctx, "organizations", 0);

	if (!o)
		return sbx_not_found(ctx, ctx->req->params[0]);
	return sbx_show(ctx, &organizations, o, 200);
}
