/*
 * routes.c - every route of the console: its handler, what the server
 * checks before calling it, and how large a body it takes; and the matcher.
 *
 * Every route but POST /api/login and the assets needs a session; every
 * route that is not a GET needs the session's CSRF token, but login, which
 * has no session yet (it gets the media type and Origin checks).
 */
#include "config.h"

#include <string.h>

#include "handlers.h"
#include "http.h"
#include "routes.h"

#define S  XCON_NEED_SESSION
#define SC (XCON_NEED_SESSION | XCON_NEED_CSRF)
#define JS "application/json"

#define GET(pattern, handler)                                                  \
	{                                                                      \
		"GET", pattern, handler, S, 0, NULL                            \
	}
#define WRITE(method, pattern, handler)                                        \
	{                                                                      \
		method, pattern, handler, SC, XCON_BODY_JSON, JS               \
	}

const struct xcon_route xcon_routes[] = {
        {"POST", "/api/login", xcon_api_login, 0, XCON_BODY_LOGIN, JS},
        WRITE("POST", "/api/logout", xcon_api_logout),
        GET("/api/session", xcon_api_session),

        GET("/api/settings/:key", xcon_api_setting_get),
        WRITE("PUT", "/api/settings/:key", xcon_api_setting_put),
        GET("/api/plugins", xcon_api_plugins),
        GET("/api/groups", xcon_api_groups),
        GET("/api/systems", xcon_api_systems),
        GET("/api/report-configs", xcon_api_report_configs),
        WRITE("POST", "/api/report-configs", xcon_api_report_config_add),
        WRITE("PUT", "/api/report-configs/:id", xcon_api_report_config_update),
        GET("/api/reports", xcon_api_reports),
        {"POST", "/api/reports", xcon_api_report_generate, SC, XCON_BODY_REPORT,
         "text/html"},
        GET("/api/events", xcon_api_events),

        GET("/api/dashboards", xcon_api_dashboards),
        GET("/dashboards/:name", xcon_page_dashboard),

        GET("/api/itglue/status", xcon_api_itglue_status),
        GET("/api/itglue/instances", xcon_api_itglue_instances),
        WRITE("POST", "/api/itglue/instances", xcon_api_itglue_instance_add),
        WRITE("PUT", "/api/itglue/instances/:inst",
              xcon_api_itglue_instance_update),
        {"DELETE", "/api/itglue/instances/:inst",
         xcon_api_itglue_instance_remove, SC, 0, NULL},
        WRITE("PUT", "/api/itglue/instances/:inst/groups",
              xcon_api_itglue_instance_groups),
        WRITE("POST", "/api/itglue/instances/:inst/test",
              xcon_api_itglue_instance_test),
        WRITE("POST", "/api/itglue/instances/:inst/import-preview",
              xcon_api_itglue_import_preview),
        WRITE("POST", "/api/itglue/instances/:inst/import",
              xcon_api_itglue_import),
        GET("/api/itglue/instances/:inst/imported", xcon_api_itglue_imported),
        GET("/api/itglue/instances/:inst/mappings", xcon_api_itglue_mappings),
        WRITE("POST", "/api/itglue/automap", xcon_api_itglue_automap),
        GET("/api/itglue/jobs/:id", xcon_api_itglue_job),
        WRITE("POST", "/api/itglue/map", xcon_api_itglue_map),
        WRITE("POST", "/api/itglue/unmap", xcon_api_itglue_unmap),
        GET("/api/itglue/publish-check", xcon_api_itglue_publish_check),
        WRITE("POST", "/api/itglue/publish", xcon_api_itglue_publish),
        GET("/api/itglue/outbox", xcon_api_itglue_outbox),
        WRITE("POST", "/api/itglue/outbox/retry", xcon_api_itglue_outbox_retry),
        GET("/api/itglue/config", xcon_api_itglue_config_get),
        WRITE("PUT", "/api/itglue/config", xcon_api_itglue_config_put),

        {"GET", "/", xcon_asset, 0, 0, NULL},
        {"GET", "/assets/*path", xcon_asset, 0, 0, NULL},
};

const size_t xcon_n_routes = sizeof(xcon_routes) / sizeof(xcon_routes[0]);

bool xcon_method_safe(const char *method)
{
	return !strcmp(method, "GET") || !strcmp(method, "HEAD");
}

/* Does path match pattern? If so, the raw (still encoded) part the pattern's
 * ":name" or "*name" matched is [*pstart, *pstart + *plen). */
static bool path_matches(const char *pattern, const char *path,
                         const char **pstart, size_t *plen)
{
	const char *p = pattern, *s = path;

	*pstart = NULL;
	*plen = 0;
	while (*p && *s) {
		if (*p == ':' && p[-1] == '/') {
			size_t n = strcspn(s, "/");

			if (n == 0)
				return false;
			*pstart = s;
			*plen = n;
			s += n;
			p += strcspn(p, "/");
			continue;
		}
		if (*p == '*' && p[-1] == '/') {
			size_t n = strlen(s);

			/* One or more non-empty segments. */
			if (n == 0 || s[0] == '/' || s[n - 1] == '/' ||
			    strstr(s, "//"))
				return false;
			*pstart = s;
			*plen = n;
			return true;
		}
		if (*p != *s)
			return false;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

enum xcon_match xcon_route_match(const char *method, const char *path,
                                 const struct xcon_route **route,
                                 char param[XCON_PARAM_MAX],
                                 char allow[XCON_ALLOW_MAX])
{
	const char *want = !strcmp(method, "HEAD") ? "GET" : method;
	size_t used = 0;
	bool any = false;

	*route = NULL;
	param[0] = '\0';
	allow[0] = '\0';
	for (size_t i = 0; i < xcon_n_routes; i++) {
		const struct xcon_route *r = &xcon_routes[i];
		const char *start;
		size_t len;

		if (!path_matches(r->pattern, path, &start, &len))
			continue;
		if (start && xcon_percent_decode(start, len, false, param,
		                                 XCON_PARAM_MAX) < 0)
			continue;
		if (!strcmp(r->method, want)) {
			*route = r;
			return XCON_MATCH_OK;
		}
		/* The methods of this path, each once, in table order. */
		if (!strstr(allow, r->method) && used < XCON_ALLOW_MAX)
			used += (size_t)snprintf(allow + used,
			                         XCON_ALLOW_MAX - used, "%s%s",
			                         any ? ", " : "", r->method);
		any = true;
	}
	param[0] = '\0';
	return any ? XCON_MATCH_BAD_METHOD : XCON_MATCH_NOT_FOUND;
}
