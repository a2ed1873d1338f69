/*
 * api_dashboard.c - the knowledge pack's dashboards: their names, and one
 * rendered over the event log as "xdr-host dashboard" renders it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "api_call.h"
#include "handlers.h"

/* The page is the pack's: inline styles and SVG, no script, shown only in
 * the console's own frames. */
#define DASHBOARD_CSP                                                          \
	"default-src 'none'; style-src 'unsafe-inline'; "                      \
	"frame-ancestors 'self'"

XCON_HANDLER(xcon_api_dashboards)
{
	struct xdr_err err;
	char **names;
	size_t n;
	int rc;

	if ((rc = xdr_kp_object_names(xcon_runtime(c)->db, XDR_KP_DASHBOARD,
	                              &names, &n, &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	xcon_reply_names(req, names, n, reply);
	xdr_kp_names_free(names, n);
}

XCON_HANDLER(xcon_page_dashboard)
{
	struct xdr_db *db = xcon_runtime(c)->db;
	struct xdr_event_list events;
	struct xdr_err err;
	char *body, *page;
	int rc;

	if (req->param == NULL || req->param[0] == '\0') {
		xcon_reply_error(reply, 404, "not_found",
		                 "the path names no dashboard");
		return;
	}
	if ((rc = xdr_kp_object_get(db, XDR_KP_DASHBOARD, req->param, &body,
	                            &err)) != XDR_OK) {
		xcon_reply_err(reply, rc, &err);
		return;
	}
	if ((rc = xdr_kp_events_of(db, body, &events, &err)) != XDR_OK) {
		free(body);
		xcon_reply_err(reply, rc, &err);
		return;
	}
	if ((rc = xdr_kp_dashboard_render(body, &events, &page, &err)) !=
	    XDR_OK) {
		xcon_reply_err(reply, rc, &err);
	} else {
		reply->status = 200;
		reply->body = page;
		reply->len = strlen(page);
		reply->content_type = "text/html; charset=utf-8";
		reply->csp = DASHBOARD_CSP;
	}
	xdr_event_list_free(&events);
	free(body);
}
