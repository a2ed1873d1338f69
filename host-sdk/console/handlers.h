/*
 * handlers.h - the console's route handlers, one per route of routes.c's
 * table. Lists take ?offset=&limit=&q= and answer {"total", "offset",
 * "limit", "items"}. Plugin answers pass through verbatim; failures are
 * {"error": {"code", "message"}}. Every route but POST /api/login and the
 * assets needs a session; every non-GET one the X-CSRF-Token header.
 */
#ifndef XCON_HANDLERS_H
#define XCON_HANDLERS_H

#include "console.h"

#define XCON_HANDLER(name)                                                     \
	void name(struct xcon *c, const struct xcon_request *req,              \
	          struct xcon_reply *reply)

/* api_auth.c */
XCON_HANDLER(xcon_api_login);   /* POST /api/login {"password"} */
XCON_HANDLER(xcon_api_logout);  /* POST /api/logout */
XCON_HANDLER(xcon_api_session); /* GET /api/session -> {"csrf", ...} */

/* api_host.c: the host's own data, as the CLI's commands */
XCON_HANDLER(xcon_api_setting_get);       /* GET /api/settings/:key */
XCON_HANDLER(xcon_api_setting_put);       /* PUT /api/settings/:key {"value"} */
XCON_HANDLER(xcon_api_plugins);           /* GET /api/plugins */
XCON_HANDLER(xcon_api_groups);            /* GET /api/groups */
XCON_HANDLER(xcon_api_systems);           /* GET /api/systems?group= */
XCON_HANDLER(xcon_api_report_configs);    /* GET /api/report-configs */
XCON_HANDLER(xcon_api_report_config_add); /* POST /api/report-configs */
XCON_HANDLER(xcon_api_report_config_update); /* PUT /api/report-configs/:id */
XCON_HANDLER(xcon_api_reports);              /* GET /api/reports */
XCON_HANDLER(xcon_api_report_generate);      /* POST /api/reports (text/html) */
XCON_HANDLER(xcon_api_events);               /* GET /api/events?id= */

/* api_dashboard.c: the knowledge pack's dashboards */
XCON_HANDLER(xcon_api_dashboards); /* GET /api/dashboards */
XCON_HANDLER(xcon_page_dashboard); /* GET /dashboards/:name (HTML) */

/* api_itglue.c: the plugin's admin actions */
XCON_HANDLER(xcon_api_itglue_status);          /* GET /api/itglue/status */
XCON_HANDLER(xcon_api_itglue_instances);       /* GET /api/itglue/instances */
XCON_HANDLER(xcon_api_itglue_instance_add);    /* POST /api/itglue/instances */
XCON_HANDLER(xcon_api_itglue_instance_update); /* PUT .../instances/:inst */
XCON_HANDLER(xcon_api_itglue_instance_remove); /* DELETE .../instances/:inst */
XCON_HANDLER(
        xcon_api_itglue_instance_groups); /* PUT .../instances/:inst/groups */
XCON_HANDLER(xcon_api_itglue_instance_test); /* POST .../instances/:inst/test */
XCON_HANDLER(
        xcon_api_itglue_import_preview);     /* POST .../:inst/import-preview */
XCON_HANDLER(xcon_api_itglue_import);        /* POST .../:inst/import */
XCON_HANDLER(xcon_api_itglue_imported);      /* GET .../:inst/imported */
XCON_HANDLER(xcon_api_itglue_mappings);      /* GET .../:inst/mappings */
XCON_HANDLER(xcon_api_itglue_automap);       /* POST /api/itglue/automap */
XCON_HANDLER(xcon_api_itglue_job);           /* GET /api/itglue/jobs/:id */
XCON_HANDLER(xcon_api_itglue_map);           /* POST /api/itglue/map */
XCON_HANDLER(xcon_api_itglue_unmap);         /* POST /api/itglue/unmap */
XCON_HANDLER(xcon_api_itglue_publish_check); /* GET /api/itglue/publish-check */
XCON_HANDLER(xcon_api_itglue_publish);       /* POST /api/itglue/publish */
XCON_HANDLER(xcon_api_itglue_outbox);        /* GET /api/itglue/outbox */
XCON_HANDLER(xcon_api_itglue_outbox_retry);  /* POST /api/itglue/outbox/retry */
XCON_HANDLER(xcon_api_itglue_config_get);    /* GET /api/itglue/config */
XCON_HANDLER(xcon_api_itglue_config_put);    /* PUT /api/itglue/config */

/* assets.c: GET / and GET /assets/... from the table built into xdr-host */
XCON_HANDLER(xcon_asset);

#endif
