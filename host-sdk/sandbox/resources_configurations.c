/*
 * resources_configurations.c - GET /configurations (with
 * include=configuration_interfaces), /configurations/:id and
 * /configurations/:id/relationships/configuration_interfaces.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <xdr/plugin.h>

#include "sandbox.h"

static const char *const attributes[] = {
        "organization-id",
        "organization-name",
        "resource-url",
        "name",
        "hostname",
        "primary-ip",
        "mac-address",
        "serial-number",
        "asset-tag",
        "notes",
        "created-at",
        "updated-at",
        "organization-short-name",
        "configuration-type-id",
        "configuration-type-name",
        "configuration-type-kind",
        "configuration-status-id",
        "configuration-status-name",
        "manufacturer-name",
        "model-name",
        "operating-system-name",
        "archived",
        NULL,
};

static const char *const hidden[] = {"interfaces", NULL};

static const struct sbx_filter_rule filters[] = {
        {"id", SBX_MATCH_ID},
        {"name", SBX_MATCH_NAME},
        {"organization_id", SBX_MATCH_ID},
        {"configuration_type_id", SBX_MATCH_ID},
        {"configuration_status_id", SBX_MATCH_ID},
        {"mac_address", SBX_MATCH_EXACT},
        {"serial_number", SBX_MATCH_EXACT},
        {"asset_tag", SBX_MATCH_EXACT},
        {"archived", SBX_MATCH_BOOL},
        {NULL, SBX_MATCH_ID},
};

static const char *const interface_attributes[] = {
        "configuration-id", "name",       "ip-address",
        "mac-address",      "primary",    "notes",
        "created-at",       "updated-at", NULL,
};

static int interface_derive(struct sbx_ctx *ctx, struct json_object *iface,
                            struct json_object *attrs)
{
	(void)iface;
	if (ctx->parent)
		json_object_object_add(
		        attrs, "configuration-id",
		        json_object_new_int64(sbx_id_of(ctx->parent)));
	return XDR_OK;
}

const struct sbx_family sbx_configuration_interfaces_family = {
        .type = "configuration-interfaces",
        .attributes = interface_attributes,
        .derive = interface_derive,
};

static int derive(struct sbx_ctx *ctx, struct json_object *c,
                  struct json_object *attrs)
{
	int64_t org_id = sbx_int_of(c, "organization-id");
	/* Once per configuration of a page: by the organizations' id
	 * column, not a search through their objects. */
	struct json_object *org =
	        sbx_store_find_indexed(ctx->store, "organizations", org_id);
	const char *short_name = org ? sbx_str_of(org, "short-name") : NULL;
	char url[128];

	json_object_object_add(
	        attrs, "organization-name",
	        org ? json_object_new_string(sbx_str_of(org, "name")) : NULL);
	if (short_name)
		json_object_object_add(attrs, "organization-short-name",
		                       json_object_new_string(short_name));
	snprintf(url, sizeof(url),
	         SBX_RESOURCE_HOST "/%" PRId64 "/configurations/%" PRId64,
	         org_id, sbx_id_of(c));
	json_object_object_add(attrs, "resource-url",
	                       json_object_new_string(url));
	return XDR_OK;
}

/* include=configuration_interfaces: ids on the configuration, the
 * interfaces themselves in included[]. */
static int relate(struct sbx_ctx *ctx, struct json_object *c,
                  struct json_object *rels, struct json_object *included)
{
	if (!sbx_wants(ctx, "configuration_interfaces"))
		return XDR_OK;
	return sbx_relate_nested(
	        ctx, c, "interfaces", "configuration-interfaces",
	        &sbx_configuration_interfaces_family, rels, included);
}

static const struct sbx_nested interfaces = {
        .include = "configuration_interfaces",
        .member = "interfaces",
        .relationship = "configuration-interfaces",
        .family = &sbx_configuration_interfaces_family,
};

static const struct sbx_family configurations = {
        .type = "configurations",
        .attributes = attributes,
        .hidden = hidden,
        .filters = filters,
        .derive = derive,
        .relate = relate,
        .nested = &interfaces,
        .read_only = true,
};

int sbx_configurations_list(struct sbx_ctx *ctx)
{
	return sbx_list(ctx, &configurations,
	                sbx_store_collection(ctx->store, "configurations"),
	                true);
}

int sbx_configurations_show(struct sbx_ctx *ctx)
{
	struct json_object *c = sbx_lookup(ctx, "configurations", 0);

	if (!c)
		return sbx_not_found(ctx, ctx->req->params[0]);
	return sbx_show(ctx, &configurations, c, 200);
}

int sbx_configuration_interfaces(struct sbx_ctx *ctx)
{
	struct json_object *c = sbx_lookup(ctx, "configurations", 0);
	struct json_object *ifaces = NULL, *empty = NULL;
	int rc;

	if (!c)
		return sbx_not_found(ctx, ctx->req->params[0]);
	if (!json_object_object_get_ex(c, "interfaces", &ifaces) || !ifaces) {
		empty = json_object_new_array();
		if (!empty)
			return XDR_ENOMEM;
		ifaces = empty;
	}
	ctx->parent = c;
	rc = sbx_list(ctx, &sbx_configuration_interfaces_family, ifaces, false);
	ctx->parent = NULL;
	json_object_put(empty);
	return rc;
}
