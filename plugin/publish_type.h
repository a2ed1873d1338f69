/*
 * publish_type.h - the flexible asset type that holds published reports:
 * found by name, or created with its four fields, and its fields' name-keys.
 *
 * A trait's key is its field's `name-key` as IT Glue reports it; IT Glue's
 * slug rule is unknown, so a key is never derived from a name. Our fields
 * are recognised by NAME (ignoring ASCII case), so a type an administrator
 * made by hand, with fields in any order and keys of its own, is used as it
 * is.
 */
#ifndef ITG_PUBLISH_TYPE_H
#define ITG_PUBLISH_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "jsonapi.h"

/* The type's name, as the guide shows it in IT Glue. */
#define ITG_PUBLISH_TYPE_NAME "Netsurion Open XDR Reports"

/* Our fields, in the order they are created. */
enum itg_report_field {
	ITG_FIELD_REPORT_NAME = 0, /* "Report Name", Text (or Textbox) */
	ITG_FIELD_GENERATION_DATE, /* "Report Generation Date", Date */
	ITG_FIELD_REPORT_FILE,     /* "Report File", Upload */
	ITG_FIELD_EXPIRY_DATE,     /* "Expiry Date", Date */
	ITG_REPORT_FIELDS
};

struct itg_publish_type {
	int64_t id;                   /* the type's id */
	char *key[ITG_REPORT_FIELDS]; /* each field's name-key (owned) */
	bool report_name_is_title;    /* "Report Name" is the one
	                                 use-for-title field, so an asset's
	                                 name is the report's title */
};

/* The field's name: "Report Name", ... ("" for a bad value). */
const char *itg_report_field_name(enum itg_report_field f);

/* Free the keys and empty *T; NULL is allowed. */
void itg_publish_type_clear(struct itg_publish_type *t);

/*
 * Find the type named NAME (NULL: ITG_PUBLISH_TYPE_NAME), or create it with
 * our four fields, and read its id and name-keys into *OUT.
 *
 * Finding: GET /flexible_asset_types?filter[name]=NAME&include=
 * flexible_asset_fields, every page, keeping only a type whose name really
 * is NAME (ignoring ASCII case; IT Glue ignores filters it does not know).
 * Creating: one POST with the fields under relationships; the name-keys are
 * read from its answer, or from GET /flexible_asset_types/:id?include=
 * flexible_asset_fields when the answer lacks them. A POST refused with 422
 * (the name was taken meanwhile) is followed by one more search.
 *
 * Returns 0 and *OUT (itg_publish_type_clear); XDR_ERROR with *ERR filled
 * when IT Glue failed (ERR->outcome tells whether a retry may help) or the
 * type lacks one of our fields or has it of another kind (ITG_PERMANENT,
 * ITG_ERR_INVALID, e.g. "the flexible asset type 'X' has no field 'Report
 * File' of kind Upload: add it in IT Glue or remove the type");
 * XDR_EINVAL, XDR_ENOMEM. On failure *OUT is empty.
 */
int itg_publish_type_ensure(struct itg_client *c, const char *name,
                            struct itg_publish_type *out,
                            struct itg_api_error *err);

/*
 * The pure parts, for tests.
 */

/* The resource of DOC's data that is a flexible-asset-types named NAME
 * (an exact match first, else one ignoring ASCII case), or NULL. */
const struct itg_resource *itg_publish_type_pick(const struct itg_doc *doc,
                                                 const char *name);

/*
 * Read the type TYPE of DOC: its id, and our fields among the
 * flexible-asset-fields resources of DOC's included (those listed in TYPE's
 * relationships, or when it lists none, those whose flexible-asset-type-id
 * is TYPE's id or absent; ids may be strings or numbers). TYPE_NAME is for
 * messages.
 *
 * Returns 0 and *OUT; XDR_ENOTFOUND when DOC holds none of TYPE's fields (ask
 * for them again); XDR_EINVAL when a field is missing, of another kind or
 * has no name-key (ERR says which); XDR_ENOMEM.
 */
int itg_publish_type_read(const struct itg_doc *doc,
                          const struct itg_resource *type,
                          const char *type_name, struct itg_publish_type *out,
                          char *err, size_t errsize);

/* The body of POST /flexible_asset_types creating NAME with our fields;
 * NULL when memory runs out. Free it. */
char *itg_publish_type_body(const char *name);

#endif /* ITG_PUBLISH_TYPE_H */
