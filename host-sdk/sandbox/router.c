/*
 * router.c - method and path to handler. As with IT Glue's router, a route
 * is a method and a path together: anything else is an HTML 404.
 */
#include "config.h"

#include <string.h>

#include "sandbox.h"

static const struct sbx_route routes[] = {
        {"GET", "/organizations", sbx_organizations_list},
        {"GET", "/organizations/:id", sbx_organizations_show},
        {"GET", "/organizations/:id/relationships/contacts",
         sbx_organization_contacts},
        {"GET", "/contacts", sbx_contacts_list},
        {"GET", "/contacts/:id", sbx_contacts_show},
        {"GET", "/configurations", sbx_configurations_list},
        {"GET", "/configurations/:id", sbx_configurations_show},
        {"GET", "/configurations/:id/relationships/configuration_interfaces",
         sbx_configuration_interfaces},
        {"GET", "/flexible_asset_types", sbx_flexible_asset_types_list},
        {"POST", "/flexible_asset_types", sbx_flexible_asset_types_create},
        {"GET", "/flexible_asset_types/:id", sbx_flexible_asset_types_show},
        {"GET", "/flexible_asset_types/:id/relationships/flexible_asset_fields",
         sbx_flexible_asset_type_fields},
        {"GET", "/flexible_assets", sbx_flexible_assets_list},
        {"POST", "/flexible_assets", sbx_flexible_assets_create},
        {"GET", "/flexible_assets/:id", sbx_flexible_assets_show},
        {"PATCH", "/flexible_assets/:id", sbx_flexible_assets_update},
        {"DELETE", "/flexible_assets/:id", sbx_flexible_assets_delete},
        {"GET", "/flexible_assets/:id/relationships/attachments",
         sbx_attachments_list},
        {"POST", "/flexible_assets/:id/relationships/attachments",
         sbx_attachments_create},
        {"GET", "/flexible_assets/:id/relationships/related_items",
         sbx_related_items_list},
        {"POST", "/flexible_assets/:id/relationships/related_items",
         sbx_related_items_create},
};

bool sbx_route_match(const char *pattern, const char *path, char params[2][32])
{
	size_t nparams = 0;

	if (*path != '/')
		return false;
	while (*pattern && *path) {
		size_t plen = strcspn(pattern + 1, "/") + 1;
		size_t slen = strcspn(path + 1, "/") + 1;

		if (*path != '/' || *pattern != '/')
			return false;
		if (!strncmp(pattern, "/:", 2)) {
			if (slen < 2 || slen - 1 >= 32 || nparams == 2)
				return false;
			memcpy(params[nparams], path + 1, slen - 1);
			params[nparams++][slen - 1] = '\0';
		} else if (plen != slen || strncmp(pattern, path, plen)) {
			return false;
		}
		pattern += plen;
		path += slen;
	}
	/* One trailing slash is the same route, as with Rails. */
	return !*pattern && (!*path || !strcmp(path, "/"));
}

const struct sbx_route *sbx_route_find(const char *method, const char *path,
                                       char params[2][32])
{
	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (!strcmp(routes[i].method, method) &&
		    sbx_route_match(routes[i].pattern, path, params))
			return &routes[i];
	return NULL;
}
