/*
 * server.h - what server.c gives the console's own handlers (api_auth.c,
 * assets.c) beyond console.h: request headers, the request's session, and
 * the login state behind the server's mutex.
 */
#ifndef XCON_SERVER_H
#define XCON_SERVER_H

#include <stdint.h>

#include "auth.h"
#include "console.h"

#define XCON_COOKIE "xdr_console"

/* A request header, or NULL. */
const char *xcon_header(const struct xcon_request *req, const char *name);

/* The value of the request's session cookie, or NULL when it has none (or
 * an unusable one). */
const char *xcon_request_cookie(const struct xcon_request *req);

/* The CSRF token of the request's session when its route needs a session
 * (the server found it live), else NULL. */
const char *xcon_request_csrf(const struct xcon_request *req);

/* The clock of sessions and the throttle, in seconds since boot (never
 * the wall clock, which can be set back or forward). */
int64_t xcon_clock(void);

/* The mutex of the session table, the throttle and the password file's
 * stamp. */
void xcon_auth_lock(struct xcon *c);
void xcon_auth_unlock(struct xcon *c);

/* With the mutex held. */
struct xcon_sessions *xcon_sessions(struct xcon *c);
struct xcon_throttle *xcon_throttle(struct xcon *c);

/* With the mutex held: the password file as it is now (NULL: gone). One
 * that differs from the one seen last ends every session. */
void xcon_passwd_seen(struct xcon *c, const struct xcon_stamp *stamp);

/* With the mutex held: xcon_passwd_seen() of the file as it is read now.
 * true with *stamp its stamp, false when it is gone. The file is looked at
 * inside the mutex, so that a thread that read it earlier cannot bring an
 * older stamp back after a newer one was seen. */
bool xcon_passwd_now(struct xcon *c, struct xcon_stamp *stamp);

/* One password hash at a time, so that logins cannot take every core. */
void xcon_hash_lock(struct xcon *c);
void xcon_hash_unlock(struct xcon *c);

#endif
