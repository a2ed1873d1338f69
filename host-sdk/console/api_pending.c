/*
 * api_pending.c - 501 answers for the routes whose handlers are not built
 * yet (api_host.c, api_itglue.c, api_dashboard.c): the table of routes.c is
 * whole, and every route says what it is waiting for. This file goes when
 * those handlers land.
 */
#include "config.h"

#include "handlers.h"

#define PENDING(name)                                                          \
	XCON_HANDLER(name)                                                     \
	{                                                                      \
		(void)c;                                                       \
		xcon_reply_error(reply, 501, "not_implemented",                \
		                 "%s %s is not implemented yet", req->method,  \
		                 req->path);                                   \
	}

PENDING(xcon_api_setting_get)
PENDING(xcon_api_setting_put)
PENDING(xcon_api_plugins)
PENDING(xcon_api_groups)
PENDING(xcon_api_systems)
PENDING(xcon_api_report_configs)
PENDING(xcon_api_report_config_add)
PENDING(xcon_api_report_config_update)
PENDING(xcon_api_reports)
PENDING(xcon_api_report_generate)
PENDING(xcon_api_events)
PENDING(xcon_api_dashboards)
PENDING(xcon_page_dashboard)
PENDING(xcon_api_itglue_status)
PENDING(xcon_api_itglue_instances)
PENDING(xcon_api_itglue_instance_add)
PENDING(xcon_api_itglue_instance_update)
PENDING(xcon_api_itglue_instance_remove)
PENDING(xcon_api_itglue_instance_groups)
PENDING(xcon_api_itglue_instance_test)
PENDING(xcon_api_itglue_import_preview)
PENDING(xcon_api_itglue_import)
PENDING(xcon_api_itglue_imported)
PENDING(xcon_api_itglue_mappings)
PENDING(xcon_api_itglue_automap)
PENDING(xcon_api_itglue_job)
PENDING(xcon_api_itglue_map)
PENDING(xcon_api_itglue_unmap)
PENDING(xcon_api_itglue_publish_check)
PENDING(xcon_api_itglue_publish)
PENDING(xcon_api_itglue_outbox)
PENDING(xcon_api_itglue_outbox_retry)
PENDING(xcon_api_itglue_config_get)
PENDING(xcon_api_itglue_config_put)
