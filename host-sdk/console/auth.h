/*
 * auth.h - the console's login: password hashes and the password file,
 * sessions with their CSRF tokens, the back-off after failed logins, and
 * the reading of a Cookie header.
 *
 * Everything here but the xcon_passwd_* file functions is pure: the clock
 * and the random bytes are the caller's, so that tests can choose them.
 * Nothing here locks: the server holds its own mutex around the session
 * table and the throttle.
 */
#ifndef XCON_AUTH_H
#define XCON_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "xdrhost.h"

/* ---- passwords (password.c) -------------------------------------------- */

#define XCON_PBKDF2_ITERATIONS     600000u /* OWASP's figure for SHA-256 */
#define XCON_PBKDF2_MIN_ITERATIONS 100000u
#define XCON_PBKDF2_MAX_ITERATIONS 10000000u
#define XCON_SALT_BYTES            16
#define XCON_HASH_BYTES            32
#define XCON_PASSWORD_MIN          12   /* bytes */
#define XCON_PASSWORD_MAX          1024 /* bytes */
#define XCON_PASSWD_FILE           "console.passwd"

/* PBKDF2-HMAC-SHA256 (RFC 8018) of pw: XDR_OK, or XDR_EINVAL/XDR_ENOMEM. */
int xcon_pbkdf2_sha256(const void *pw, size_t pw_len, const unsigned char *salt,
                       size_t salt_len, unsigned iterations, unsigned char *out,
                       size_t out_len, struct xdr_err *err);

/* Is pw (len bytes) a password the console takes: XCON_PASSWORD_MIN to
 * XCON_PASSWORD_MAX bytes of valid UTF-8 with no control character?
 * XDR_OK, or XDR_EINVAL with the reason in err. */
int xcon_password_acceptable(const char *pw, size_t len, struct xdr_err *err);

/* The password file's line for pw with this salt and count:
 * "pbkdf2-sha256$ITERATIONS$SALT$HASH" (SALT and HASH in base64), malloc'd
 * into *line. The caller draws the salt (RAND_bytes); tests choose it. */
int xcon_password_hash(const char *pw, size_t len, unsigned iterations,
                       const unsigned char salt[XCON_SALT_BYTES], char **line,
                       struct xdr_err *err);

/* Does pw match line? XDR_OK with *match set, or XDR_EINVAL when the line is
 * not one xcon_password_hash() writes (count out of range, bad base64, wrong
 * lengths, unknown scheme). Compares in constant time; wipes its buffers. */
int xcon_password_verify(const char *line, const char *pw, size_t len,
                         bool *match, struct xdr_err *err);

/* What identifies one version of the password file: a changed file ends
 * every session. */
struct xcon_stamp {
	uint64_t device;
	uint64_t inode;
	int64_t size;
	int64_t mtime_ns;
};

bool xcon_stamp_equal(const struct xcon_stamp *a, const struct xcon_stamp *b);

/* HOME/console.passwd, malloc'd. */
int xcon_passwd_path(const char *home, char **out, struct xdr_err *err);

/* Replace HOME/console.passwd with line and a newline: a temporary file
 * (O_CREAT|O_EXCL|O_NOFOLLOW, 0600) written, fsynced and renamed over it. */
int xcon_passwd_save(const char *home, const char *line, struct xdr_err *err);

/* Read the file's one line into *line (malloc'd, no newline) and, if stamp
 * is not NULL, its stamp. XDR_ENOTFOUND when there is no file (the message
 * says to run "xdr-host console passwd"); XDR_EINVAL when it is not a
 * private regular file of this user (the checks of the seal key), not one
 * line, or not a line xcon_password_hash() writes. */
int xcon_passwd_load(const char *home, char **line, struct xcon_stamp *stamp,
                     struct xdr_err *err);

/* The stamp of the file as it is now; XDR_ENOTFOUND if it is gone. */
int xcon_passwd_stamp(const char *home, struct xcon_stamp *stamp,
                      struct xdr_err *err);

/* ---- sessions and CSRF tokens (session.c), pure ------------------------- */

#define XCON_TOKEN_BYTES      32
#define XCON_TOKEN_CHARS      44 /* 43 base64url characters and a NUL */
#define XCON_SESSIONS_MAX     32
#define XCON_SESSION_IDLE     1800  /* seconds without a request */
#define XCON_SESSION_LIFETIME 28800 /* seconds from the login */

struct xcon_sessions;

/* An empty table; NULL when out of memory. */
struct xcon_sessions *xcon_sessions_new(void);
void xcon_sessions_free(struct xcon_sessions *s);

/*
 * A new session at time now (seconds): its id and CSRF token are the
 * base64url (no padding) of the first and second XCON_TOKEN_BYTES of random.
 * The table keeps only the SHA-256 of the id. When the table is full the
 * session used least recently is dropped. XDR_OK or XDR_ENOMEM.
 */
int xcon_session_open(struct xcon_sessions *s, int64_t now,
                      const unsigned char random[2 * XCON_TOKEN_BYTES],
                      char id[XCON_TOKEN_CHARS], char csrf[XCON_TOKEN_CHARS]);

/* Is id a live session at time now? If so its last use becomes now and its
 * CSRF token is copied to csrf (if not NULL). Expired sessions found on the
 * way are dropped. */
bool xcon_session_touch(struct xcon_sessions *s, const char *id, int64_t now,
                        char csrf[XCON_TOKEN_CHARS]);

/* End one session (logout); false if id named none. */
bool xcon_session_close(struct xcon_sessions *s, const char *id);

/* End them all (the password changed). */
void xcon_sessions_close_all(struct xcon_sessions *s);

size_t xcon_sessions_count(const struct xcon_sessions *s);

/* Are the two tokens equal? Constant time for tokens of equal length; false
 * if either is NULL or empty. */
bool xcon_token_equal(const char *expected, const char *given);

/* ---- the back-off after failed logins (throttle.c), pure ---------------- */

#define XCON_THROTTLE_FREE 5  /* failures before any wait */
#define XCON_THROTTLE_MAX  60 /* seconds, the longest wait */

struct xcon_throttle {
	unsigned failures;
	int64_t until; /* no attempt is heard before this time */
};

/* Seconds to wait before the next attempt is heard; 0: now. */
int64_t xcon_throttle_wait(const struct xcon_throttle *t, int64_t now);

/* A failed login at now: after XCON_THROTTLE_FREE failures in a row, waits
 * of 1, 2, 4... seconds, at most XCON_THROTTLE_MAX. */
void xcon_throttle_failed(struct xcon_throttle *t, int64_t now);

/* A login passed: no more waiting. */
void xcon_throttle_passed(struct xcon_throttle *t);

/* ---- the Cookie header (session.c), pure ------------------------------- */

/* The value of cookie name in a Cookie header ("a=1; b=2"), copied to out:
 * true if present exactly once and it fits (size includes the NUL); false
 * if absent, given twice (a planted duplicate), too long, empty, or holding
 * a byte RFC 6265 does not allow in a value (quotes, spaces, commas...). */
bool xcon_cookie_value(const char *header, const char *name, char *out,
                       size_t size);

#endif
