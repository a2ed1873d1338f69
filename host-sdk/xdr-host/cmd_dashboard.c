/*
 * cmd_dashboard.c - dashboard NAME --out FILE.html: a dashboard of the
 * knowledge pack rendered over the event log.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int cmd_dashboard(struct cli *cli, struct cli_args *args)
{
	const char *path = cli_value(args, "out");
	struct xdr_event_list events;
	struct xdr_runtime *rt;
	struct xdr_err err;
	char *body, *page;
	FILE *f;
	int rc;

	if (path == NULL)
		return cli_usage_error(cli, "--out FILE.html is required");
	rc = cli_open(cli, &rt);
	if (rc != CLI_OK)
		return rc;
	if (xdr_kp_object_get(rt->db, XDR_KP_DASHBOARD, args->pos[0], &body,
	                      &err) != XDR_OK) {
		xdr_runtime_close(rt);
		return cli_fail_err(&err);
	}
	if (xdr_kp_events_of(rt->db, body, &events, &err) != XDR_OK) {
		rc = cli_fail_err(&err);
	} else {
		if (xdr_kp_dashboard_render(body, &events, &page, &err) !=
		    XDR_OK) {
			rc = cli_fail_err(&err);
		} else {
			f = fopen(path, "wb");
			if (f != NULL && fputs(page, f) < 0) {
				fclose(f);
				f = NULL;
			}
			if (f == NULL || fclose(f) != 0)
				rc = cli_fail("cannot write '%s'", path);
			else
				printf("%s: %zu events\n", path, events.n);
			free(page);
		}
		xdr_event_list_free(&events);
	}
	free(body);
	xdr_runtime_close(rt);
	return rc;
}
