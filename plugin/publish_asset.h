/*
 * publish_asset.h - one report as a flexible asset of the reports' type:
 * its request body, finding it, creating it, relating it to configurations.
 *
 * The order of a publication (the caller's):
 *
 *   itg_publish_type_ensure(client, ITG_PUBLISH_TYPE_NAME, &type, &err);
 *   itg_publish_prepare(&type, org, &report, &upload, &err);
 *   itg_publish_find(client, &type, org, report.title, upload.file_name,
 *                    &asset_id, &err);
 *   if (asset_id == 0)
 *           itg_publish_create(client, &upload, &asset_id, &err);
 *   for each configuration: itg_publish_relate(client, asset_id, cfg, ...);
 *   itg_upload_free(&upload); itg_publish_type_clear(&type);
 *
 * The file name (report id and generation time in it) identifies a report:
 * after a failed or unanswered create, the next attempt must find before it
 * creates, since the asset may exist (the client repeats a POST only after
 * a 429). An asset is never PATCHed: PATCH deletes every trait not sent
 * again, the uploaded file included.
 */
#ifndef ITG_PUBLISH_ASSET_H
#define ITG_PUBLISH_ASSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "publish_type.h"
#include "report_file.h"

/* A generated report. */
struct itg_report {
	const char *title;        /* "EDR Summary Reports": Report Name */
	int64_t report_id;        /* the host's report id, positive */
	int64_t generated_at;     /* unix time: Report Generation Date */
	unsigned int expiry_days; /* Expiry Date = generation + this many
	                             days; 0: one calendar year */
	const char *html_path;    /* the report's HTML file */
};

/*
 * Build the body of POST /flexible_assets for REPORT in ORGANIZATION_ID:
 * traits Report Name (the title), Report Generation Date and Expiry Date
 * (YYYY-MM-DD, UTC) and Report File (the Upload {"content", "file_name"},
 * named by itg_report_file_name), under TYPE's name-keys. The HTML is read
 * here; when the body would exceed 10 MB it is gzipped (upload->file_name
 * then ends in ".html.gz").
 *
 * Returns 0 and *UPLOAD (itg_upload_free); on failure XDR_ERROR with *ERR,
 * always ITG_PERMANENT except for memory: the report is too large even
 * gzipped (ITG_ERR_TOO_LARGE, both sizes in the message), the file cannot
 * be read (ITG_ERR_CONFIG), a bad title, id or time (ITG_ERR_CONFIG, or
 * XDR_EINVAL); XDR_ENOMEM (ITG_RETRY, ITG_ERR_NO_MEMORY).
 */
int itg_publish_prepare(const struct itg_publish_type *type,
                        int64_t organization_id,
                        const struct itg_report *report,
                        struct itg_upload *upload, struct itg_api_error *err);

/*
 * Find the asset of TYPE in ORGANIZATION_ID whose Report File holds
 * FILE_NAME: GET /flexible_assets?filter[flexible_asset_type_id]=T&
 * filter[organization_id]=O, every page, narrowed by filter[name]=TITLE
 * when TITLE is not NULL and Report Name is the type's title field. Each
 * asset's type and organization are checked again (IT Glue ignores filters
 * it does not know).
 *
 * Returns 0 with *ASSET_ID the asset's id, or 0 when there is none;
 * XDR_ERROR with *ERR when IT Glue failed, or when several assets hold the
 * file (ITG_PERMANENT, ITG_ERR_INVALID, their ids in the message);
 * XDR_EINVAL.
 */
int itg_publish_find(struct itg_client *c, const struct itg_publish_type *type,
                     int64_t organization_id, const char *title,
                     const char *file_name, int64_t *asset_id,
                     struct itg_api_error *err);

/*
 * POST /flexible_assets with UPLOAD's body. Returns 0 and *ASSET_ID;
 * XDR_ERROR with *ERR otherwise. After ITG_RETRY the asset may or may not
 * exist: find it before creating it again. A 2xx answer without a readable
 * id is ITG_RETRY, ITG_ERR_BAD_RESPONSE, for that reason.
 */
int itg_publish_create(struct itg_client *c, const struct itg_upload *upload,
                       int64_t *asset_id, struct itg_api_error *err);

/*
 * Relate the asset to a configuration: POST /flexible_assets/:id/
 * relationships/related_items {destination_id: "<id>", destination_type:
 * "Configuration", notes} (NOTES may be NULL).
 *
 * Relating the same pair twice is refused with 422; such a refusal counts
 * as success (see itg_publish_already_related), with *ALREADY (may be
 * NULL) set to true. Returns 0, XDR_ERROR with *ERR, or XDR_EINVAL.
 */
int itg_publish_relate(struct itg_client *c, int64_t asset_id,
                       int64_t configuration_id, const char *notes,
                       bool *already, struct itg_api_error *err);

/*
 * The pure parts, for tests.
 */

/*
 * Is E IT Glue's refusal of a relation that already exists? The rule: HTTP
 * 422 and the explanation mentions "already" (the sandbox says "This item
 * is already related"; Rails' uniqueness check, which IT Glue's answers
 * follow elsewhere, says "has already been taken"). Any other 422 (a
 * destination that does not exist, a bad type) stays an error.
 */
bool itg_publish_already_related(const struct itg_api_error *e);

/*
 * Does the Upload trait VALUE hold a file named FILE_NAME? Accepted shapes
 * (IT Glue's own is unverified): a list of objects, or one object, with
 * "name" or "file_name" (the sandbox shows [{"id", "name", "url",
 * "size"}]), or a plain string. Names compare exactly.
 */
bool itg_upload_trait_holds(struct json_object *value, const char *file_name);

/* Is R an asset of TYPE in ORGANIZATION_ID (when it says) whose Report
 * File holds FILE_NAME? */
bool itg_publish_asset_matches(const struct itg_resource *r,
                               const struct itg_publish_type *type,
                               int64_t organization_id, const char *file_name);

/*
 * The JSON around the Upload value of a create body: *HEAD ends with the
 * Report File's key and ':', *TAIL closes the document. Returns 0, or
 * XDR_EINVAL (a key missing, a date out of range), XDR_ENOMEM; free both.
 */
int itg_publish_frame(const struct itg_publish_type *type,
                      int64_t organization_id, const char *title,
                      int64_t generated_at, unsigned int expiry_days,
                      char **head, char **tail);

#endif /* ITG_PUBLISH_ASSET_H */
