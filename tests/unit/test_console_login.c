/*
 * test_console_login.c - POST /api/login against a console started on
 * loopback, its handler called directly: a session is opened only under the
 * password file the password was checked against; and the clock sessions
 * and the back-off are timed by.
 *
 * The program is linked with -Wl,--wrap=xcon_passwd_load, so that a test
 * can save a new password right after the login has read the file: the
 * change lands, every time, between the check and the session.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <openssl/crypto.h>

#include "auth.h"
#include "handlers.h"
#include "host_test_home.h"
#include "server.h"

#define PASSWORD     "correct horse battery staple"
#define NEW_PASSWORD "another password altogether"

int __real_xcon_passwd_load(const char *home, char **line,
                            struct xcon_stamp *stamp, struct xdr_err *err);
int __wrap_xcon_passwd_load(const char *home, char **line,
                            struct xcon_stamp *stamp, struct xdr_err *err);

/* When set, the next read of the file is followed by a new password. */
static bool change_after_load;

static void save_password(const char *home, const char *pw)
{
	unsigned char salt[XCON_SALT_BYTES];
	struct xdr_err err;
	char *line = NULL;

	memset(salt, pw[0], sizeof(salt));
	assert_int_equal(xcon_password_hash(pw, strlen(pw),
	                                    XCON_PBKDF2_MIN_ITERATIONS, salt,
	                                    &line, &err),
	                 XDR_OK);
	assert_int_equal(xcon_passwd_save(home, line, &err), XDR_OK);
	OPENSSL_cleanse(line, strlen(line));
	free(line);
}

int __wrap_xcon_passwd_load(const char *home, char **line,
                            struct xcon_stamp *stamp, struct xdr_err *err)
{
	int rc = __real_xcon_passwd_load(home, line, stamp, err);

	if (change_after_load) {
		change_after_load = false;
		save_password(home, NEW_PASSWORD);
	}
	return rc;
}

struct fixture {
	char home[512];
	struct xdr_runtime *rt;
	struct xdr_plugins set;
	struct xcon *c;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct xcon_options opt;
	struct xdr_err err;

	assert_non_null(f);
	host_test_home_open(f->home, sizeof(f->home), "console-login", &f->rt);
	save_password(f->home, PASSWORD);
	memset(&opt, 0, sizeof(opt));
	opt.listen = "127.0.0.1:0";
	assert_int_equal(xcon_start(&opt, f->rt, &f->set, &f->c, &err), XDR_OK);
	change_after_load = false;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	xcon_stop(f->c);
	host_test_home_close(f->home, f->rt);
	free(f);
	return 0;
}

/* POST /api/login {"password": pw}: its status; the reply freed. */
static unsigned login(struct fixture *f, const char *pw)
{
	struct xcon_request req;
	struct xcon_reply reply;
	char body[128];

	snprintf(body, sizeof(body), "{\"password\": \"%s\"}", pw);
	memset(&req, 0, sizeof(req));
	memset(&reply, 0, sizeof(reply));
	req.method = "POST";
	req.path = "/api/login";
	req.body = body;
	req.body_len = strlen(body);
	req.content_type = "application/json";
	xcon_api_login(f->c, &req, &reply);
	free(reply.body);
	free(reply.set_cookie);
	return reply.status ? reply.status : 200;
}

static size_t sessions(struct fixture *f)
{
	size_t n;

	xcon_auth_lock(f->c);
	n = xcon_sessions_count(xcon_sessions(f->c));
	xcon_auth_unlock(f->c);
	return n;
}

static void the_password_opens_a_session(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(login(f, PASSWORD), 200);
	assert_int_equal(sessions(f), 1);
}

static void a_password_changed_during_the_login_opens_none(void **state)
{
	struct fixture *f = *state;

	change_after_load = true;
	assert_int_equal(login(f, PASSWORD), 401);
	assert_int_equal(sessions(f), 0);
}

static void the_new_password_then_opens_one(void **state)
{
	struct fixture *f = *state;

	change_after_load = true;
	login(f, PASSWORD);
	assert_int_equal(login(f, NEW_PASSWORD), 200);
	assert_int_equal(sessions(f), 1);
}

/* Sessions and the back-off are timed by a clock that no one sets: since
 * boot, not since 1970 (a wall clock set back a day would hold logins back
 * for a day). */
static void the_clock_of_sessions_is_not_the_wall_clock(void **state)
{
	struct timespec ts;

	(void)state;
	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	assert_true(xcon_clock() >= (int64_t)ts.tv_sec);
	assert_true(xcon_clock() < (int64_t)time(NULL) - 365 * 86400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(the_clock_of_sessions_is_not_the_wall_clock),
	        cmocka_unit_test_setup_teardown(the_password_opens_a_session,
	                                        setup, teardown),
	        cmocka_unit_test_setup_teardown(
	                a_password_changed_during_the_login_opens_none, setup,
	                teardown),
	        cmocka_unit_test_setup_teardown(the_new_password_then_opens_one,
	                                        setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
