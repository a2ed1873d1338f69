/*
 * events.h - the plugin's event catalogue and the way events are emitted.
 *
 * The catalogue is data: each event's id, severity, title (the alert name
 * of the knowledge pack), description template and the exact, ordered list
 * of its fields. The knowledge pack is generated from it, so a field renamed
 * here is renamed everywhere.
 */
#ifndef ITG_EVENTS_H
#define ITG_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "itglue.h"

#define ITG_EVENT_CATEGORY   "IT Glue"
#define ITG_EVENT_FIELDS_MAX 8

/* Longest field value sent, in bytes, and longest in the description,
 * where quotes and backslashes are escaped: longer ones are cut and end in
 * "...". With the longest template, eight values keep a description under
 * the 8192 bytes hosts take (test_plugin_events checks it). */
#define ITG_EVENT_VALUE_MAX 960

enum itg_event_id {
	ITG_EVENT_AUTOMAP_GROUP_FAILED = 4018,
	ITG_EVENT_AUTOMAP_SYSTEM_FAILED = 4019,
	ITG_EVENT_REPORT_UPLOADED = 4021,
	ITG_EVENT_REPORT_UPLOAD_FAILED = 4022
};

struct itg_event_def {
	uint32_t id;
	enum xdr_severity severity;
	const char *title;       /* e.g. "IT Glue: Report uploaded" */
	const char *description; /* template, "%field%" placeholders */
	const char *fields[ITG_EVENT_FIELDS_MAX]; /* names, in order */
	size_t n_fields;
};

/* The catalogue entry of event ID, or NULL if the plugin has no such event. */
const struct itg_event_def *itg_event_lookup(uint32_t id);

/* The catalogue in id order: itg_event_at(0 .. itg_event_count() - 1). */
size_t itg_event_count(void);
const struct itg_event_def *itg_event_at(size_t i);

/*
 * Emit event ID through the host. values[] holds one value per field of the
 * event, in catalogue order (a NULL value is sent as ""). Each value is sent
 * as one line of UTF-8 of at most ITG_EVENT_VALUE_MAX bytes
 * (itg_text_line()), in its field and in the description alike. Returns XDR_OK,
 * or XDR_ENOTFOUND (id not in the catalogue), XDR_EINVAL (n is not the event's
 * field count), XDR_ENOMEM, or the host's status; a failure is also logged.
 */
int itg_event_emit(const struct itg_plugin *p, uint32_t id,
                   const char *const values[], size_t n);

#endif /* ITG_EVENTS_H */
