/*
 * plugin_call.c - calling a loaded plugin's hooks. What the plugin returns
 * is copied into host memory and released with the plugin's own free(), as
 * the ABI requires (the two may use different C runtimes).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "xdrhost.h"

/* A response larger than this is treated as no response at all. */
#define RESPONSE_MAX (16u * 1024 * 1024)

static bool usable(const struct xdr_plugin_rec *rec)
{
	return rec != NULL && rec->loaded && !rec->stopped;
}

int xdr_plugin_admin(struct xdr_plugin_rec *rec, const char *action,
                     const char *request, char **response)
{
	char *theirs = NULL;
	int rc;

	*response = NULL;
	if (!usable(rec) || action == NULL)
		return XDR_EINVAL;
	rc = rec->desc->on_admin_action(rec->state, action, request, &theirs);
	if (theirs == NULL)
		return rc;
	if (strnlen(theirs, RESPONSE_MAX + 1) <= RESPONSE_MAX) {
		*response = strdup(theirs);
		if (*response == NULL)
			rc = XDR_ENOMEM;
	}
	rec->desc->free(theirs);
	return rc;
}

int xdr_plugin_report_generated(struct xdr_plugin_rec *rec, int64_t report_id)
{
	if (!usable(rec))
		return XDR_EINVAL;
	return rec->desc->on_report_generated(rec->state, report_id);
}

int xdr_plugin_tick(struct xdr_plugin_rec *rec, int64_t now)
{
	if (!usable(rec))
		return XDR_EINVAL;
	return rec->desc->on_schedule_tick(rec->state, now);
}

int xdr_plugins_report_generated(struct xdr_plugins *set, int64_t report_id,
                                 xdr_refusal_fn refused, void *ctx)
{
	int rc = XDR_OK;

	for (size_t i = 0; i < set->n; i++) {
		struct xdr_plugin_rec *rec = &set->items[i];
		int status;

		if (!usable(rec))
			continue;
		status = xdr_plugin_report_generated(rec, report_id);
		if (status == XDR_OK)
			continue;
		rc = status;
		if (refused != NULL)
			refused(ctx, rec, status);
	}
	return rc;
}
