/*
 * routes.h - the console's route table and its matcher (routes.c), pure.
 *
 * A pattern is a path of literal segments where one segment may be ":name"
 * (one non-empty segment) or, last, "*name" (the rest of the path, one or
 * more segments): the part it matched is the request's param, decoded.
 */
#ifndef XCON_ROUTES_H
#define XCON_ROUTES_H

#include <stdbool.h>
#include <stddef.h>

#include "console.h"

/* What the server checks before the handler runs. */
#define XCON_NEED_SESSION 1u /* a live session cookie, else 401 */
#define XCON_NEED_CSRF    2u /* X-CSRF-Token equal to the session's */

#define XCON_BODY_JSON   (1024 * 1024)      /* the plugin's request maximum */
#define XCON_BODY_LOGIN  (8 * 1024)         /* {"password": ...} */
#define XCON_BODY_REPORT (32 * 1024 * 1024) /* a generated report's HTML */

struct xcon_route {
	const char *method;  /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern; /* "/api/itglue/instances/:inst/groups" */
	xcon_handler handler;
	unsigned flags;    /* XCON_NEED_* */
	size_t max_body;   /* bytes; 0: no body */
	const char *media; /* the body's media type, NULL when none */
};

extern const struct xcon_route xcon_routes[];
extern const size_t xcon_n_routes;

enum xcon_match {
	XCON_MATCH_OK,
	XCON_MATCH_NOT_FOUND,  /* 404 */
	XCON_MATCH_BAD_METHOD, /* 405: the path has routes, not this method */
};

#define XCON_PARAM_MAX 1024 /* bytes of a decoded param, NUL included */
#define XCON_ALLOW_MAX 64   /* "GET, PUT, POST, DELETE" and a NUL */

/*
 * The route of method (HEAD as GET) and path (the raw path of the request,
 * still percent-encoded, without its query). On XCON_MATCH_OK *route is set
 * and param holds the decoded ":name" or "*name" part ("" when the pattern
 * has none). On XCON_MATCH_BAD_METHOD allow lists the path's methods
 * ("GET, PUT"). A param that does not decode (a bad escape, a NUL, more
 * than XCON_PARAM_MAX bytes) matches nothing.
 */
enum xcon_match xcon_route_match(const char *method, const char *path,
                                 const struct xcon_route **route,
                                 char param[XCON_PARAM_MAX],
                                 char allow[XCON_ALLOW_MAX]);

/* Is method one that changes nothing (GET, HEAD)? */
bool xcon_method_safe(const char *method);

#endif
