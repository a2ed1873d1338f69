/*
 * resources_flexible_asset_types.c - GET /flexible_asset_types (filter[name],
 * include=flexible_asset_fields), GET /flexible_asset_types/:id, POST
 * /flexible_asset_types (the type and its fields in one request) and GET
 * /flexible_asset_types/:id/relationships/flexible_asset_fields.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <xdr/plugin.h>

#include "namekey.h"
#include "sandbox.h"

static const char *const kinds[] = {
        "Checkbox", "Date",   "Header", "Number",  "Select",   "Text",
        "Textbox",  "Upload", "Tag",    "Percent", "Password", NULL,
};

static const char *const field_attributes[] = {
        "order",         "name",
        "kind",          "hint",
        "decimals",      "tag-type",
        "required",      "use-for-title",
        "expiration",    "show-in-list",
        "name-key",      "created-at",
        "updated-at",    "flexible-asset-type-id",
        "default-value", NULL,
};

static int field_derive(struct sbx_ctx *ctx, struct json_object *field,
                        struct json_object *attrs)
{
	(void)field;
	if (ctx->parent)
		json_object_object_add(
		        attrs, "flexible-asset-type-id",
		        json_object_new_int64(sbx_id_of(ctx->parent)));
	return XDR_OK;
}

static int field_relate(struct sbx_ctx *ctx, struct json_object *field,
                        struct json_object *rels, struct json_object *included)
{
	struct json_object *holder;

	(void)field;
	(void)included;
	if (!ctx->parent)
		return XDR_OK;
	holder = json_object_new_object();
	if (!holder)
		return XDR_ENOMEM;
	json_object_object_add(
	        holder, "data",
	        sbx_identifier("flexible-asset-types", sbx_id_of(ctx->parent)));
	json_object_object_add(rels, "flexible-asset-type", holder);
	return XDR_OK;
}

const struct sbx_family sbx_flexible_asset_fields_family = {
        .type = "flexible-asset-fields",
        .attributes = field_attributes,
        .derive = field_derive,
        .relate = field_relate,
};

static const char *const attributes[] = {
        "name",    "description", "icon",       "show-in-menu",
        "enabled", "created-at",  "updated-at", NULL,
};

static const char *const hidden[] = {"fields", NULL};

static const struct sbx_filter_rule filters[] = {
        {"id", SBX_MATCH_ID},
        {"name", SBX_MATCH_NAME},
        {NULL, SBX_MATCH_ID},
};

static int relate(struct sbx_ctx *ctx, struct json_object *type,
                  struct json_object *rels, struct json_object *included)
{
	if (!sbx_wants(ctx, "flexible_asset_fields"))
		return XDR_OK;
	return sbx_relate_nested(ctx, type, "fields", "flexible-asset-fields",
	                         &sbx_flexible_asset_fields_family, rels,
	                         included);
}

static const struct sbx_family types = {
        .type = "flexible-asset-types",
        .attributes = attributes,
        .hidden = hidden,
        .filters = filters,
        .relate = relate,
};

int sbx_flexible_asset_types_list(struct sbx_ctx *ctx)
{
	return sbx_list(
	        ctx, &types,
	        sbx_store_collection(ctx->store, "flexible_asset_types"), true);
}

int sbx_flexible_asset_types_show(struct sbx_ctx *ctx)
{
	struct json_object *t = sbx_lookup(ctx, "flexible_asset_types", 0);

	if (!t)
		return sbx_not_found(ctx, ctx->req->params[0]);
	return sbx_show(ctx, &types, t, 200);
}

int sbx_flexible_asset_type_fields(struct sbx_ctx *ctx)
{
	struct json_object *t = sbx_lookup(ctx, "flexible_asset_types", 0);
	struct json_object *fields;
	int rc;

	if (!t)
		return sbx_not_found(ctx, ctx->req->params[0]);
	json_object_object_get_ex(t, "fields", &fields);
	ctx->parent = t;
	rc = sbx_list(ctx, &sbx_flexible_asset_fields_family, fields, false);
	ctx->parent = NULL;
	return rc;
}

/* ---- creating a type ---- */

static bool is_kind(const char *s)
{
	for (const char *const *k = kinds; s && *k; k++)
		if (!strcmp(s, *k))
			return true;
	return false;
}

/* Member KEY of SRC copied to DST when it has type T (or is null). */
static int copy_member(struct json_object *dst, struct json_object *src,
                       const char *key, json_type t, struct sbx_problem *p,
                       const char *pointer)
{
	struct json_object *v, *copy = NULL;

	if (!json_object_object_get_ex(src, key, &v))
		return XDR_OK;
	if (v && !json_object_is_type(v, t) &&
	    !(t == json_type_double && json_object_is_type(v, json_type_int))) {
		sbx_problem_set(p, 422, "Unprocessable Entity", "is invalid",
		                pointer);
		p->detail_array = true;
		return XDR_EINVAL;
	}
	if (v && json_object_deep_copy(v, &copy, NULL))
		return XDR_ENOMEM;
	return json_object_object_add(dst, key, copy) ? XDR_ENOMEM : XDR_OK;
}

static int set_bool_default(struct json_object *o, const char *key)
{
	struct json_object *v;

	if (json_object_object_get_ex(o, key, &v) && v)
		return XDR_OK;
	return json_object_object_add(o, key, json_object_new_boolean(0))
	               ? XDR_ENOMEM
	               : XDR_OK;
}

static int build_field(struct json_object *in, size_t index,
                       struct json_object *out, struct sbx_problem *p)
{
	static const struct {
		const char *key;
		json_type type;
	} members[] = {
	        {"order", json_type_int},
	        {"name", json_type_string},
	        {"kind", json_type_string},
	        {"hint", json_type_string},
	        {"tag-type", json_type_string},
	        {"default-value", json_type_string},
	        {"decimals", json_type_int},
	        {"required", json_type_boolean},
	        {"show-in-list", json_type_boolean},
	        {"use-for-title", json_type_boolean},
	        {"expiration", json_type_boolean},
	};
	struct json_object *attrs;
	char pointer[128];
	const char *name, *kind;
	int rc;

	snprintf(pointer, sizeof(pointer),
	         "/data/relationships/flexible-asset-fields/data/%zu", index);
	if (!json_object_object_get_ex(in, "attributes", &attrs) ||
	    !json_object_is_type(attrs, json_type_object)) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                "attributes are missing", pointer);
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < sizeof(members) / sizeof(members[0]); i++) {
		char where[160];

		snprintf(where, sizeof(where), "%s/attributes/%s", pointer,
		         members[i].key);
		rc = copy_member(out, attrs, members[i].key, members[i].type, p,
		                 where);
		if (rc)
			return rc;
	}
	name = sbx_str_of(out, "name");
	kind = sbx_str_of(out, "kind");
	if (!name || !*name || !is_kind(kind)) {
		char where[160];

		snprintf(where, sizeof(where), "%s/attributes/%s", pointer,
		         !name || !*name ? "name" : "kind");
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                !name || !*name ? "can't be blank"
		                                : "is not included in the list",
		                where);
		p->detail_array = true;
		return XDR_EINVAL;
	}
	if (!strcmp(kind, "Tag") && !sbx_str_of(out, "tag-type")) {
		char where[160];

		snprintf(where, sizeof(where), "%s/attributes/tag-type",
		         pointer);
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                "can't be blank", where);
		p->detail_array = true;
		return XDR_EINVAL;
	}
	if (sbx_int_of(out, "order") < 0 &&
	    json_object_object_add(out, "order",
	                           json_object_new_int64((int64_t)index + 1)))
		return XDR_ENOMEM;
	if (set_bool_default(out, "required") ||
	    set_bool_default(out, "show-in-list") ||
	    set_bool_default(out, "use-for-title") ||
	    set_bool_default(out, "expiration"))
		return XDR_ENOMEM;
	return XDR_OK;
}

static struct json_object *fields_of_request(struct json_object *body)
{
	static const char *const names[] = {"flexible-asset-fields",
	                                    "flexible_asset_fields"};
	struct json_object *data, *rels, *rel, *list;

	if (!json_object_object_get_ex(body, "data", &data) ||
	    !json_object_object_get_ex(data, "relationships", &rels))
		return NULL;
	for (size_t i = 0; i < 2; i++)
		if (json_object_object_get_ex(rels, names[i], &rel) &&
		    json_object_object_get_ex(rel, "data", &list) &&
		    json_object_is_type(list, json_type_array))
			return list;
	return NULL;
}

static bool name_taken(struct sbx_store *s, const char *name)
{
	struct json_object *all =
	        sbx_store_collection(s, "flexible_asset_types");
	size_t n = json_object_array_length(all);

	for (size_t i = 0; i < n; i++) {
		const char *other =
		        sbx_str_of(json_object_array_get_idx(all, i), "name");

		if (other && !strcasecmp(other, name))
			return true;
	}
	return false;
}

/* Checks the fields and gives each an id, a name-key and timestamps. */
static int build_fields(struct sbx_store *s, struct json_object *list,
                        struct json_object *fields, const char *now,
                        struct sbx_problem *p)
{
	size_t n = json_object_array_length(list);
	const char *taken[256];
	char key[SBX_NAME_KEY_SIZE];
	bool shown = false;
	int rc;

	if (n == 0 || n > 256) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                n ? "A type has at most 256 fields"
		                  : "A type needs at least one field",
		                "/data/relationships/flexible-asset-fields");
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_new_object();

		if (!f || json_object_array_add(fields, f)) {
			json_object_put(f);
			return XDR_ENOMEM;
		}
		rc = build_field(json_object_array_get_idx(list, i), i, f, p);
		if (rc)
			return rc;
		sbx_name_key_unique(sbx_str_of(f, "name"), taken, i, key,
		                    sizeof(key));
		json_object_object_add(f, "name-key",
		                       json_object_new_string(key));
		taken[i] = sbx_str_of(f, "name-key");
		shown = shown || json_object_get_boolean(json_object_object_get(
		                         f, "show-in-list"));
	}
	if (!shown) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                "At least one field must be shown in the list "
		                "(show-in-list)",
		                "/data/relationships/flexible-asset-fields");
		return XDR_EINVAL;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *f = json_object_array_get_idx(fields, i);

		json_object_object_add(
		        f, "id", json_object_new_int64(sbx_store_take_id(s)));
		json_object_object_add(f, "created-at",
		                       json_object_new_string(now));
		json_object_object_add(f, "updated-at",
		                       json_object_new_string(now));
	}
	return XDR_OK;
}

static int build_type(struct sbx_ctx *ctx, struct json_object *attrs,
                      struct json_object *type, struct sbx_problem *p)
{
	struct json_object *fields = json_object_new_array();
	struct json_object *list = fields_of_request(ctx->req->body);
	const char *name;
	char now[32];
	int rc;

	if (!fields || json_object_object_add(type, "fields", fields)) {
		json_object_put(fields);
		return XDR_ENOMEM;
	}
	if ((rc = copy_member(type, attrs, "name", json_type_string, p,
	                      "/data/attributes/name")) ||
	    (rc = copy_member(type, attrs, "description", json_type_string, p,
	                      "/data/attributes/description")) ||
	    (rc = copy_member(type, attrs, "icon", json_type_string, p,
	                      "/data/attributes/icon")) ||
	    (rc = copy_member(type, attrs, "show-in-menu", json_type_boolean, p,
	                      "/data/attributes/show-in-menu")) ||
	    (rc = copy_member(type, attrs, "enabled", json_type_boolean, p,
	                      "/data/attributes/enabled")))
		return rc;
	name = sbx_str_of(type, "name");
	if (!name || !*name || name_taken(ctx->store, name)) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                name && *name ? "has already been taken"
		                              : "can't be blank",
		                "/data/attributes/name");
		p->detail_array = true;
		return XDR_EINVAL;
	}
	if (!list) {
		sbx_problem_set(p, 422, "Unprocessable Entity",
		                "A type needs at least one field",
		                "/data/relationships/flexible-asset-fields");
		return XDR_EINVAL;
	}
	sbx_now_rfc3339(now);
	if ((rc = build_fields(ctx->store, list, fields, now, p)))
		return rc;
	if (set_bool_default(type, "show-in-menu"))
		return XDR_ENOMEM;
	if (!json_object_object_get_ex(type, "enabled", NULL))
		json_object_object_add(type, "enabled",
		                       json_object_new_boolean(1));
	json_object_object_add(type, "created-at", json_object_new_string(now));
	json_object_object_add(type, "updated-at", json_object_new_string(now));
	return XDR_OK;
}

int sbx_flexible_asset_types_create(struct sbx_ctx *ctx)
{
	struct json_object *attrs = sbx_body_attributes(ctx);
	struct json_object *type;
	struct sbx_problem p;
	int64_t saved_next = ctx->store->next_id;
	int rc;

	if (!attrs)
		return ctx->res->status ? XDR_OK : XDR_ENOMEM;
	type = json_object_new_object();
	if (!type)
		return XDR_ENOMEM;
	rc = build_type(ctx, attrs, type, &p);
	if (rc == XDR_OK) {
		json_object_object_add(
		        type, "id",
		        json_object_new_int64(sbx_store_take_id(ctx->store)));
		json_object_array_add(
		        sbx_store_collection(ctx->store,
		                             "flexible_asset_types"),
		        type);
		/* The answer carries the fields: their name-keys are the
		 * trait keys, and clients must read them back. */
		ctx->force_include = "flexible_asset_fields";
		return sbx_show(ctx, &types, type, 201);
	}
	json_object_put(type);
	ctx->store->next_id = saved_next;
	return rc == XDR_EINVAL ? sbx_respond_problem(ctx->res, &p) : rc;
}
