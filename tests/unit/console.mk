# unit tests of the console's library (host-sdk/console): only where the
# console is built (libmicrohttpd and libcrypto, not Windows).
if HAVE_CONSOLE
if HAVE_CMOCKA
console_unit_tests = \
	tests/unit/test_console_api_call \
	tests/unit/test_console_body \
	tests/unit/test_console_http \
	tests/unit/test_console_login \
	tests/unit/test_console_password \
	tests/unit/test_console_routes \
	tests/unit/test_console_session
check_PROGRAMS += $(console_unit_tests)
TESTS += $(console_unit_tests)

console_unit_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/host-sdk/lib \
	-I$(top_srcdir)/host-sdk/console
console_unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JSONC_CFLAGS)
console_unit_ldadd = host-sdk/console/libxdrconsole.la \
	host-sdk/lib/libxdrhost.la $(CMOCKA_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)

tests_unit_test_console_password_SOURCES = \
	tests/unit/test_console_password.c $(host_unit_home)
tests_unit_test_console_password_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_password_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_password_LDADD = $(console_unit_ldadd)

tests_unit_test_console_session_SOURCES = tests/unit/test_console_session.c
tests_unit_test_console_session_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_session_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_session_LDADD = $(console_unit_ldadd)

tests_unit_test_console_routes_SOURCES = tests/unit/test_console_routes.c
tests_unit_test_console_routes_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_routes_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_routes_LDADD = $(console_unit_ldadd)

tests_unit_test_console_api_call_SOURCES = \
	tests/unit/test_console_api_call.c
tests_unit_test_console_api_call_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_api_call_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_api_call_LDADD = $(console_unit_ldadd)

tests_unit_test_console_http_SOURCES = tests/unit/test_console_http.c
tests_unit_test_console_http_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_http_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_http_LDADD = $(console_unit_ldadd)

# A password saved right after the login read the file: xcon_passwd_load
# wrapped (GNU ld's --wrap), and the server started on loopback.
tests_unit_test_console_login_SOURCES = tests/unit/test_console_login.c \
	$(host_unit_home)
tests_unit_test_console_login_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_login_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_login_LDFLAGS = -Wl,--wrap=xcon_passwd_load
tests_unit_test_console_login_LDADD = $(console_unit_ldadd)

# free wrapped (GNU ld's --wrap): what a freed body still holds is seen.
tests_unit_test_console_body_SOURCES = tests/unit/test_console_body.c
tests_unit_test_console_body_CPPFLAGS = $(console_unit_cppflags)
tests_unit_test_console_body_CFLAGS = $(console_unit_cflags)
tests_unit_test_console_body_LDFLAGS = -Wl,--wrap=free
tests_unit_test_console_body_LDADD = $(console_unit_ldadd)
endif
endif
