/*
 * api_auth.c - POST /api/login, POST /api/logout and GET /api/session.
 *
 * A login is heard only when the back-off after failed ones allows it, and
 * hashes one password at a time: the throttle is judged inside that turn,
 * so that attempts queued meanwhile wait their back-off too. A login that
 * passes opens a new session (a new id every time; the request's old one,
 * if any, ends) and answers its CSRF token; the id goes only into the
 * HttpOnly, SameSite=Strict cookie.
 */
#include "config.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "handlers.h"
#include "server.h"

#define COOKIE_ATTRS "; Path=/; HttpOnly; SameSite=Strict"

static void reply_csrf(struct xcon_reply *reply, const char *csrf)
{
	struct json_object *doc = json_object_new_object();

	if (doc && json_object_object_add(doc, "csrf",
	                                  json_object_new_string(csrf)) != 0) {
		json_object_put(doc);
		doc = NULL;
	}
	xcon_reply_json(reply, 200, doc);
}

/* The password of the body, or NULL with a 400 reply. */
static struct json_object *password_of(const struct xcon_request *req,
                                       struct xcon_reply *reply,
                                       const char **pw, size_t *len)
{
	struct json_object *body = xcon_body_object(req, reply), *value;

	if (!body)
		return NULL;
	if (!json_object_object_get_ex(body, "password", &value) ||
	    !json_object_is_type(value, json_type_string)) {
		json_object_put(body);
		xcon_reply_error(reply, 400, "bad_request",
		                 "the body needs \"password\", a string");
		return NULL;
	}
	*pw = json_object_get_string(value);
	*len = (size_t)json_object_get_string_len(value);
	return body;
}

/* Wipe the password in the parsed body, then release it. */
static void forget(struct json_object *body, const char *pw, size_t len)
{
	OPENSSL_cleanse((void *)pw, len);
	json_object_put(body);
}

/* Does pw match the password file? XDR_OK with *match set and *stamp the
 * stamp of the file it was checked against, or a failure answered in
 * reply. */
static int check_password(struct xcon *c, const char *pw, size_t len,
                          bool *match, struct xcon_stamp *stamp,
                          struct xcon_reply *reply)
{
	struct xdr_err err;
	char *line = NULL;
	int rc;

	rc = xcon_passwd_load(xcon_runtime(c)->home, &line, stamp, &err);
	if (rc != XDR_OK) {
		xcon_reply_error(reply, 503, "no_password", "%s", err.msg);
		return rc;
	}
	rc = xcon_password_verify(line, pw, len, match, &err);
	OPENSSL_cleanse(line, strlen(line));
	free(line);
	if (rc != XDR_OK)
		xcon_reply_error(reply, 503, "no_password",
		                 "the password file is not usable: %s",
		                 err.msg);
	return rc;
}

/* A new session for a login that passed against the password file of
 * stamp checked: the cookie and the CSRF token. If the file changed
 * meanwhile (every session ended), the login is refused, so that no
 * session outlives the password it was opened with. */
static void open_session(struct xcon *c, const struct xcon_request *req,
                         const struct xcon_stamp *checked,
                         struct xcon_reply *reply)
{
	unsigned char random[2 * XCON_TOKEN_BYTES];
	char id[XCON_TOKEN_CHARS], csrf[XCON_TOKEN_CHARS];
	const char *old = xcon_request_cookie(req);
	struct xcon_stamp now;
	bool same;
	size_t n;
	int rc = XDR_OK;

	if (RAND_bytes(random, sizeof(random)) != 1) {
		xcon_reply_error(reply, 500, "internal_error",
		                 "no random bytes for a session");
		return;
	}
	xcon_auth_lock(c);
	same = xcon_passwd_now(c, &now) && xcon_stamp_equal(&now, checked);
	if (old)
		xcon_session_close(xcon_sessions(c), old);
	if (same)
		rc = xcon_session_open(xcon_sessions(c), xcon_clock(), random,
		                       id, csrf);
	xcon_auth_unlock(c);
	OPENSSL_cleanse(random, sizeof(random));
	if (!same) {
		xcon_reply_error(reply, 401, "wrong_password",
		                 "Wrong password");
		return;
	}
	if (rc != XDR_OK) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		return;
	}
	n = sizeof(XCON_COOKIE) + XCON_TOKEN_CHARS + sizeof(COOKIE_ATTRS) + 32;
	reply->set_cookie = malloc(n);
	if (!reply->set_cookie) {
		xcon_auth_lock(c);
		xcon_session_close(xcon_sessions(c), id);
		xcon_auth_unlock(c);
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
	} else {
		snprintf(reply->set_cookie, n, "%s=%s%s; Max-Age=%d",
		         XCON_COOKIE, id, COOKIE_ATTRS, XCON_SESSION_LIFETIME);
		reply_csrf(reply, csrf);
	}
	OPENSSL_cleanse(id, sizeof(id));
	OPENSSL_cleanse(csrf, sizeof(csrf));
}

XCON_HANDLER(xcon_api_login)
{
	struct xcon_stamp stamp;
	struct json_object *body;
	const char *pw = NULL;
	size_t len = 0;
	int64_t wait;
	bool match = false;

	body = password_of(req, reply, &pw, &len);
	if (!body)
		return;
	xcon_hash_lock(c);
	xcon_auth_lock(c);
	wait = xcon_throttle_wait(xcon_throttle(c), xcon_clock());
	xcon_auth_unlock(c);
	if (wait > 0) {
		xcon_hash_unlock(c);
		forget(body, pw, len);
		xcon_reply_error(reply, 429, "too_many_attempts",
		                 "too many wrong passwords: try again in %lld "
		                 "s",
		                 (long long)wait);
		reply->retry_after = (unsigned)wait;
		return;
	}
	if (check_password(c, pw, len, &match, &stamp, reply) != XDR_OK) {
		xcon_hash_unlock(c);
		forget(body, pw, len);
		return;
	}
	xcon_auth_lock(c);
	if (match)
		xcon_throttle_passed(xcon_throttle(c));
	else
		xcon_throttle_failed(xcon_throttle(c), xcon_clock());
	xcon_auth_unlock(c);
	xcon_hash_unlock(c);
	forget(body, pw, len);
	if (!match) {
		xcon_reply_error(reply, 401, "wrong_password",
		                 "Wrong password");
		return;
	}
	open_session(c, req, &stamp, reply);
}

XCON_HANDLER(xcon_api_logout)
{
	const char *id = xcon_request_cookie(req);
	static const char cleared[] =
	        XCON_COOKIE "=" COOKIE_ATTRS "; Max-Age=0";

	if (id) {
		xcon_auth_lock(c);
		xcon_session_close(xcon_sessions(c), id);
		xcon_auth_unlock(c);
	}
	reply->set_cookie = strdup(cleared);
	if (!reply->set_cookie) {
		xcon_reply_error(reply, 500, "out_of_memory", "out of memory");
		return;
	}
	xcon_reply_json(reply, 200, json_object_new_object());
}

XCON_HANDLER(xcon_api_session)
{
	const char *csrf = xcon_request_csrf(req);

	(void)c;
	if (!csrf) {
		xcon_reply_error(reply, 401, "login_required", "log in first");
		return;
	}
	reply_csrf(reply, csrf);
}
