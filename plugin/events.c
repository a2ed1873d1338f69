/*
 * events.c - the plugin's event catalogue and the way events are emitted.
 */
#include <config.h>

#include "events.h"

#include <stdlib.h>

#include "log.h"
#include "template.h"
#include "text.h"

static const struct itg_event_def catalogue[] = {
        {
                ITG_EVENT_AUTOMAP_GROUP_FAILED,
                XDR_SEVERITY_WARNING,
                "IT Glue: Automap failed for groups",
                "Auto-map failed for group '%group%' (e-mail domain "
                "'%domain%') on IT Glue instance '%instance%': %reason%; "
                "candidates: %candidates%",
                {"instance", "group", "domain", "reason", "candidates"},
                5,
        },
        {
                ITG_EVENT_AUTOMAP_SYSTEM_FAILED,
                XDR_SEVERITY_WARNING,
                "IT Glue: Automap failed for systems",
                "Auto-map failed for system '%system%' (MAC %mac%) of group "
                "'%group%' on IT Glue instance '%instance%': %reason%; "
                "candidates: %candidates%",
                {"instance", "group", "system", "mac", "reason", "candidates"},
                6,
        },
        {
                ITG_EVENT_REPORT_UPLOADED,
                XDR_SEVERITY_INFO,
                "IT Glue: Report uploaded",
                "Report '%report%' (id %report_id%) of group '%group%' "
                "uploaded to IT Glue instance '%instance%', organization "
                "'%organization%', as flexible asset %asset_id% (file "
                "'%file%')",
                {"instance", "report_id", "report", "group", "organization",
                 "asset_id", "file"},
                7,
        },
        {
                ITG_EVENT_REPORT_UPLOAD_FAILED,
                XDR_SEVERITY_ERROR,
                "IT Glue: Report upload failed",
                "Report '%report%' (id %report_id%) of group '%group%' could "
                "not be uploaded to IT Glue instance '%instance%', "
                "organization '%organization%', after %attempts% "
                "attempt(s): %reason%",
                {"instance", "report_id", "report", "group", "organization",
                 "reason", "attempts"},
                7,
        },
};

#define CATALOGUE_SIZE (sizeof(catalogue) / sizeof(catalogue[0]))

const struct itg_event_def *itg_event_lookup(uint32_t id)
{
	size_t i;

	for (i = 0; i < CATALOGUE_SIZE; i++) {
		if (catalogue[i].id == id)
			return &catalogue[i];
	}
	return NULL;
}

size_t itg_event_count(void)
{
	return CATALOGUE_SIZE;
}

const struct itg_event_def *itg_event_at(size_t i)
{
	return i < CATALOGUE_SIZE ? &catalogue[i] : NULL;
}

/* Bytes of S in a description, where a backslash or quote is escaped. */
static size_t escaped_length(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\\' || *s == '\'' ? 2 : 1;
	return n;
}

static void free_values(char *clean[], size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(clean[i]);
}

int itg_event_emit(const struct itg_plugin *p, uint32_t id,
                   const char *const values[], size_t n)
{
	const struct itg_event_def *def = itg_event_lookup(id);
	struct xdr_event_field fields[ITG_EVENT_FIELDS_MAX];
	char *clean[ITG_EVENT_FIELDS_MAX] = {NULL};
	struct xdr_event event;
	char *description = NULL;
	size_t i;
	int rc;

	if (p == NULL || p->api == NULL)
		return XDR_EINVAL;
	if (def == NULL) {
		itg_log(p, XDR_LOG_ERROR, "event %u is not in the catalogue",
		        (unsigned int)id);
		return XDR_ENOTFOUND;
	}
	if (n != def->n_fields) {
		itg_log(p, XDR_LOG_ERROR, "event %u takes %zu fields, not %zu",
		        (unsigned int)id, def->n_fields, n);
		return XDR_EINVAL;
	}
	if (n > 0 && values == NULL) {
		itg_log(p, XDR_LOG_ERROR, "event %u: no field values given",
		        (unsigned int)id);
		return XDR_EINVAL;
	}
	/* Values come from IT Glue and the host: each becomes one bounded
	 * line of UTF-8, so that no value forges a line in an event list or
	 * a log, and the event stays within what a host accepts. The
	 * description is made of the same values, so that the parsing rule
	 * reads back exactly the fields. */
	for (i = 0; i < n; i++) {
		clean[i] = itg_text_line_dup(values[i], ITG_EVENT_VALUE_MAX);
		/* Escaped in the description, it stays within the bound too. */
		if (clean[i] != NULL &&
		    escaped_length(clean[i]) > ITG_EVENT_VALUE_MAX) {
			free(clean[i]);
			clean[i] = itg_text_line_dup(values[i],
			                             ITG_EVENT_VALUE_MAX / 2);
		}
		if (clean[i] == NULL)
			break;
		fields[i].name = def->fields[i];
		fields[i].value = clean[i];
	}
	if (i == n)
		description =
		        itg_template_expand(def->description, def->fields,
		                            (const char *const *)clean, n);
	if (description == NULL) {
		free_values(clean, n);
		itg_log(p, XDR_LOG_ERROR, "out of memory emitting event %u",
		        (unsigned int)id);
		return XDR_ENOMEM;
	}
	event.struct_size = sizeof(event);
	event.id = id;
	event.severity = def->severity;
	event.category = ITG_EVENT_CATEGORY;
	event.description = description;
	event.fields = n > 0 ? fields : NULL;
	event.n_fields = n;
	rc = p->api->emit_event(p->api->host, &event);
	if (rc != XDR_OK)
		itg_log(p, XDR_LOG_WARNING,
		        "the host refused event %u (status %d)",
		        (unsigned int)id, rc);
	free(description);
	free_values(clean, n);
	return rc;
}
