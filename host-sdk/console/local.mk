# host-sdk/console: the web console of xdr-host (libmicrohttpd, libcrypto).
# Not built for Windows: HAVE_CONSOLE is false there and "xdr-host console"
# says so.

# Every file of assets/ but its README.md, built into xdr-host by
# gen-assets.sh: a file of the directory missing here fails the build (so
# that it is distributed and its changes rebuild the table).
CONSOLE_ASSETS = \
	host-sdk/console/assets/console.css \
	host-sdk/console/assets/index.html \
	host-sdk/console/assets/js/api.js \
	host-sdk/console/assets/js/app.js \
	host-sdk/console/assets/js/dom.js \
	host-sdk/console/assets/js/jobs.js \
	host-sdk/console/assets/js/pager.js \
	host-sdk/console/assets/js/screens/dashboards.js \
	host-sdk/console/assets/js/screens/events.js \
	host-sdk/console/assets/js/screens/failures.js \
	host-sdk/console/assets/js/screens/import.js \
	host-sdk/console/assets/js/screens/itglue.js \
	host-sdk/console/assets/js/screens/login.js \
	host-sdk/console/assets/js/screens/manager.js \
	host-sdk/console/assets/js/screens/mapping.js \
	host-sdk/console/assets/js/screens/outbox.js \
	host-sdk/console/assets/js/screens/report_config.js \
	host-sdk/console/assets/js/screens/report_dashboard.js
EXTRA_DIST += $(CONSOLE_ASSETS) host-sdk/console/gen-assets.sh \
	host-sdk/console/README.md \
	host-sdk/console/assets/README.md

if HAVE_CONSOLE
noinst_LTLIBRARIES += host-sdk/console/libxdrconsole.la
host_sdk_console_libxdrconsole_la_SOURCES = \
	host-sdk/console/api_auth.c \
	host-sdk/console/api_call.c \
	host-sdk/console/api_call.h \
	host-sdk/console/api_dashboard.c \
	host-sdk/console/api_host.c \
	host-sdk/console/api_itglue.c \
	host-sdk/console/assets.c \
	host-sdk/console/assets.h \
	host-sdk/console/auth.h \
	host-sdk/console/console.h \
	host-sdk/console/handlers.h \
	host-sdk/console/http.c \
	host-sdk/console/http.h \
	host-sdk/console/password.c \
	host-sdk/console/reply.c \
	host-sdk/console/routes.c \
	host-sdk/console/routes.h \
	host-sdk/console/server.c \
	host-sdk/console/server.h \
	host-sdk/console/session.c \
	host-sdk/console/throttle.c
nodist_host_sdk_console_libxdrconsole_la_SOURCES = \
	host-sdk/console/console_assets.c
host_sdk_console_libxdrconsole_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/host-sdk/lib -I$(top_srcdir)/host-sdk/console \
	-I$(top_builddir)/host-sdk/console
host_sdk_console_libxdrconsole_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(MHD_CFLAGS) $(CRYPTO_CFLAGS)
host_sdk_console_libxdrconsole_la_LIBADD = host-sdk/lib/libxdrhost.la \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)

# Made again at every make, so that a file added to assets/ but not to
# CONSOLE_ASSETS fails the build at once; the table is replaced only when
# it changes, so nothing is rebuilt when nothing changed.
BUILT_SOURCES += host-sdk/console/console_assets.c
CLEANFILES += host-sdk/console/console_assets.c
host-sdk/console/console_assets.c: $(CONSOLE_ASSETS) \
		host-sdk/console/gen-assets.sh console-assets-always
	$(AM_V_GEN)$(MKDIR_P) host-sdk/console && \
	$(SHELL) $(top_srcdir)/host-sdk/console/gen-assets.sh $@ \
		$(top_srcdir) $(CONSOLE_ASSETS)
console-assets-always:
endif

.PHONY: console-assets-always
