/*
 * resources_contacts.c - GET /contacts, /contacts/:id and the nested
 * /organizations/:id/relationships/contacts (where, as with IT Glue,
 * filters do nothing).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>

#include <xdr/plugin.h>

#include "sandbox.h"

static const char *const attributes[] = {
        "organization-id",
        "organization-name",
        "name",
        "first-name",
        "last-name",
        "title",
        "contact-type-id",
        "contact-type-name",
        "location-id",
        "location-name",
        "important",
        "notes",
        "created-at",
        "updated-at",
        "contact-emails",
        "contact-phones",
        NULL,
};

static const struct sbx_filter_rule filters[] = {
        {"id", SBX_MATCH_ID},
        {"organization_id", SBX_MATCH_ID},
        {"important", SBX_MATCH_BOOL},
        {"primary_email", SBX_MATCH_PRIMARY_EMAIL},
        {"first_name", SBX_MATCH_NAME},
        {"last_name", SBX_MATCH_NAME},
        {"contact_type_id", SBX_MATCH_ID},
        {NULL, SBX_MATCH_ID},
};

static const char *full_name(struct json_object *c, char *buf, size_t size)
{
	const char *first = sbx_str_of(c, "first-name");
	const char *last = sbx_str_of(c, "last-name");

	snprintf(buf, size, "%s%s%s", first ? first : "",
	         first && last ? " " : "", last ? last : "");
	return buf;
}

static int derive(struct sbx_ctx *ctx, struct json_object *c,
                  struct json_object *attrs)
{
	int64_t org_id = sbx_int_of(c, "organization-id");
	/* Once per contact of a page: by the organizations' id column. */
	struct json_object *org =
	        sbx_store_find_indexed(ctx->store, "organizations", org_id);
	char name[256], url[128];

	json_object_object_add(
	        attrs, "name",
	        json_object_new_string(full_name(c, name, sizeof(name))));
	json_object_object_add(
	        attrs, "organization-name",
	        org ? json_object_new_string(sbx_str_of(org, "name")) : NULL);
	snprintf(url, sizeof(url),
	         SBX_RESOURCE_HOST "/%" PRId64 "/contacts/%" PRId64, org_id,
	         sbx_id_of(c));
	json_object_object_add(attrs, "resource-url",
	                       json_object_new_string(url));
	return XDR_OK;
}

static const struct sbx_family contacts = {
        .type = "contacts",
        .attributes = attributes,
        .filters = filters,
        .derive = derive,
        .sort_name = full_name,
        .read_only = true,
};

int sbx_contacts_list(struct sbx_ctx *ctx)
{
	return sbx_list(ctx, &contacts,
	                sbx_store_collection(ctx->store, "contacts"), true);
}

int sbx_contacts_show(struct sbx_ctx *ctx)
{
	struct json_object *c = sbx_lookup(ctx, "contacts", 0);

	if (!c)
		return sbx_not_found(ctx, ctx->req->params[0]);
	return sbx_show(ctx, &contacts, c, 200);
}

int sbx_organization_contacts(struct sbx_ctx *ctx)
{
	struct json_object *org = sbx_lookup(ctx, "organizations", 0);
	struct json_object *all = sbx_store_collection(ctx->store, "contacts");
	struct json_object *mine;
	size_t n = json_object_array_length(all);
	int rc;

	if (!org)
		return sbx_not_found(ctx, ctx->req->params[0]);
	mine = json_object_new_array();
	if (!mine)
		return XDR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct json_object *c = json_object_array_get_idx(all, i);

		if (sbx_int_of(c, "organization-id") == sbx_id_of(org))
			json_object_array_add(mine, json_object_get(c));
	}
	rc = sbx_list(ctx, &contacts, mine, false);
	json_object_put(mine);
	return rc;
}
