# host-sdk/console: the web console of xdr-host (libmicrohttpd, libcrypto).
# Not built for Windows: HAVE_CONSOLE is false there and "xdr-host console"
# says so.

if HAVE_CONSOLE
noinst_LTLIBRARIES += host-sdk/console/libxdrconsole.la
host_sdk_console_libxdrconsole_la_SOURCES = \
	host-sdk/console/auth.h \
	host-sdk/console/console.h
host_sdk_console_libxdrconsole_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(top_srcdir)/host-sdk/lib -I$(top_srcdir)/host-sdk/console \
	-I$(top_builddir)/host-sdk/console
host_sdk_console_libxdrconsole_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(MHD_CFLAGS) $(CRYPTO_CFLAGS)
host_sdk_console_libxdrconsole_la_LIBADD = host-sdk/lib/libxdrhost.la \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(JSONC_LIBS)
endif

# The console's pages, built into xdr-host (gen-assets.sh); every file of
# assets/ is listed here (tests/integration/console_assets.sh checks it).
console_assets = \
	host-sdk/console/assets/index.html \
	host-sdk/console/assets/console.css \
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
EXTRA_DIST += $(console_assets) host-sdk/console/assets/README.md
