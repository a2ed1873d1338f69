# host-sdk/console: the web console of xdr-host (libmicrohttpd, libcrypto).
# Not built for Windows: HAVE_CONSOLE is false there and "xdr-host console"
# says so.

if HAVE_CONSOLE
noinst_LTLIBRARIES += host-sdk/console/libxdrconsole.la
host_sdk_console_libxdrconsole_la_SOURCES = \
	host-sdk/console/api_call.c \
	host-sdk/console/api_call.h \
	host-sdk/console/api_dashboard.c \
	host-sdk/console/api_host.c \
	host-sdk/console/api_itglue.c \
	host-sdk/console/auth.h \
	host-sdk/console/console.h \
	host-sdk/console/handlers.h \
	host-sdk/console/password.c \
	host-sdk/console/session.c \
	host-sdk/console/throttle.c
host_sdk_console_libxdrconsole_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/host-sdk/lib -I$(top_srcdir)/host-sdk/console \
	-I$(top_builddir)/host-sdk/console
host_sdk_console_libxdrconsole_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(MHD_CFLAGS) $(CRYPTO_CFLAGS)
host_sdk_console_libxdrconsole_la_LIBADD = host-sdk/lib/libxdrhost.la \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)
endif
