/*
 * wait.c - waiting until no plugin is busy, by polling the "status" admin
 * action every plugin answers, with a bound and a progress line.
 */
#include "config.h"

#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compat/os.h"
#include "xdrhost.h"

#define STATUS_MAX_DEPTH 16
#define POLL_FIRST_MS    10
/* A status answer costs a plugin next to nothing (no store, no I/O), and
 * each pause is idle time a waiting command may add after the work is
 * done: forty questions a second cost less than a 100 ms pause. */
#define POLL_MAX_MS 25

static uint64_t count_of(struct json_object *progress, const char *key)
{
	struct json_object *v;
	int64_t n;

	if (!json_object_object_get_ex(progress, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return 0;
	n = json_object_get_int64(v);
	return n > 0 ? (uint64_t)n : 0;
}

int xdr_busy_parse(const char *json, struct xdr_busy *out, struct xdr_err *err)
{
	struct json_object *root, *busy, *progress, *running;
	int rc;

	memset(out, 0, sizeof(*out));
	if (json == NULL)
		return xdr_errf(err, XDR_EINVAL, "no status answer");
	rc = xdr_json_parse(json, strlen(json), STATUS_MAX_DEPTH, &root, err);
	if (rc != XDR_OK)
		return rc;
	if (!json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "busy", &busy) ||
	    !json_object_is_type(busy, json_type_boolean)) {
		json_object_put(root);
		return xdr_errf(err, XDR_EINVAL,
		                "status answer has no boolean \"busy\"");
	}
	out->busy = json_object_get_boolean(busy);
	if (json_object_object_get_ex(root, "progress", &progress) &&
	    json_object_is_type(progress, json_type_object)) {
		if (json_object_object_get_ex(progress, "running", &running) &&
		    json_object_is_type(running, json_type_string)) {
			snprintf(out->running, sizeof(out->running), "%s",
			         json_object_get_string(running));
			for (char *p = out->running; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = ' ';
		}
		out->done = count_of(progress, "done");
		out->total = count_of(progress, "total");
	}
	json_object_put(root);
	return XDR_OK;
}

void xdr_busy_line(const char *name, const struct xdr_busy *busy, char *buf,
                   size_t size)
{
	const char *what = busy->running[0] ? busy->running : "busy";

	if (busy->total > 0)
		snprintf(buf, size, "%s: %s %" PRIu64 "/%" PRIu64, name, what,
		         busy->done, busy->total);
	else
		snprintf(buf, size, "%s: %s", name, what);
}

/* Ask rec whether it is busy. A plugin that cannot say is taken as idle:
 * waiting on it could only end at the bound. */
static bool is_busy(struct xdr_plugin_rec *rec, struct xdr_busy *busy)
{
	struct xdr_err err;
	char *answer = NULL;
	int rc = xdr_plugin_admin(rec, "status", NULL, &answer);

	if (rc == XDR_OK)
		rc = xdr_busy_parse(answer, busy, &err);
	else
		xdr_errf(&err, rc, "status action failed: %s",
		         xdr_status_name(rc));
	free(answer);
	if (rc != XDR_OK) {
		xdr_eprintf("xdr-host: %s: %s; not waiting for it\n", rec->name,
		            err.msg);
		return false;
	}
	return busy->busy;
}

static uint64_t now_ms(void)
{
	return os_monotonic_ms();
}

int xdr_wait_idle(struct xdr_plugins *set, unsigned seconds,
                  struct xdr_err *err)
{
	uint64_t start = now_ms(), bound = (uint64_t)seconds * 1000;
	unsigned delay = POLL_FIRST_MS;

	for (;;) {
		struct xdr_plugin_rec *busy_rec = NULL;
		struct xdr_busy busy;
		char line[256];
		uint64_t elapsed;

		for (size_t i = 0; i < set->n && busy_rec == NULL; i++) {
			struct xdr_plugin_rec *rec = &set->items[i];

			if (rec->loaded && !rec->stopped && is_busy(rec, &busy))
				busy_rec = rec;
		}
		if (busy_rec == NULL) {
			xdr_statusline_clear();
			return XDR_OK;
		}
		xdr_busy_line(busy_rec->name, &busy, line, sizeof(line));
		xdr_statusline_set(line);
		elapsed = now_ms() - start;
		if (elapsed >= bound) {
			xdr_statusline_clear();
			return xdr_errf(
			        err, XDR_EBUSY,
			        "%s still busy after %u s (%s); stopping "
			        "it; queued work resumes on the next "
			        "start",
			        busy_rec->name, seconds,
			        busy.running[0] ? busy.running : "busy");
		}
		if (xdr_signals_sleep((unsigned)(bound - elapsed < delay
		                                         ? bound - elapsed
		                                         : delay)) != 0) {
			xdr_statusline_clear();
			return xdr_errf(err, XDR_EINTERRUPTED,
			                "interrupted while %s was busy",
			                busy_rec->name);
		}
		delay = delay * 2 < POLL_MAX_MS ? delay * 2 : POLL_MAX_MS;
	}
}
