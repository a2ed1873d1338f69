# host-sdk: the reference host library and the xdr-host command.

noinst_LTLIBRARIES += host-sdk/lib/libxdrhost.la
host_sdk_lib_libxdrhost_la_SOURCES = \
	host-sdk/lib/xdrhost.h \
	host-sdk/lib/internal.h \
	host-sdk/lib/abi.c \
	host-sdk/lib/alerts.c \
	host-sdk/lib/array.c \
	host-sdk/lib/base64.c \
	host-sdk/lib/db.c \
	host-sdk/lib/err.c \
	host-sdk/lib/events.c \
	host-sdk/lib/fsutil.c \
	host-sdk/lib/groups.c \
	host-sdk/lib/home.c \
	host-sdk/lib/host_api.c \
	host-sdk/lib/inventory.c \
	host-sdk/lib/json_out.c \
	host-sdk/lib/kp_dashboard.c \
	host-sdk/lib/kp_digest.c \
	host-sdk/lib/kp_digest.h \
	host-sdk/lib/kp_gzip.c \
	host-sdk/lib/kp_install.c \
	host-sdk/lib/kp_manifest.c \
	host-sdk/lib/kp_object.c \
	host-sdk/lib/kp_parse.c \
	host-sdk/lib/kp_render.c \
	host-sdk/lib/kp_store.c \
	host-sdk/lib/kp_tar.c \
	host-sdk/lib/kp_text.c \
	host-sdk/lib/loader.c \
	host-sdk/lib/log.c \
	host-sdk/lib/plugin_call.c \
	host-sdk/lib/publish_check.c \
	host-sdk/lib/reports.c \
	host-sdk/lib/rfc3339.c \
	host-sdk/lib/runtime.c \
	host-sdk/lib/seal.c \
	host-sdk/lib/seal_backend.h \
	host-sdk/lib/search.c \
	host-sdk/lib/settings.c \
	host-sdk/lib/statusline.c \
	host-sdk/lib/systems.c \
	host-sdk/lib/text.c \
	host-sdk/lib/validate.c \
	host-sdk/lib/wait.c
# The platform's cryptography and stop requests: DPAPI and CNG, console
# control events on Windows; OpenSSL's libcrypto, signals elsewhere.
if OS_WIN32
host_sdk_lib_libxdrhost_la_SOURCES += \
	host-sdk/lib/kp_digest_cng.c \
	host-sdk/lib/seal_dpapi.c \
	host-sdk/lib/signals_win32.c
else
host_sdk_lib_libxdrhost_la_SOURCES += \
	host-sdk/lib/kp_digest_openssl.c \
	host-sdk/lib/private_file_posix.c \
	host-sdk/lib/seal_openssl.c \
	host-sdk/lib/signals_posix.c
endif
host_sdk_lib_libxdrhost_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DXDR_PLUGINDIR=\"$(plugindir)\"
host_sdk_lib_libxdrhost_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS) $(CRYPTO_CFLAGS) $(ZLIB_CFLAGS)
host_sdk_lib_libxdrhost_la_LIBADD = compat/libcompat.la $(OS_LIBS) $(JSONC_LIBS) $(SQLITE_LIBS) \
	$(CRYPTO_LIBS) $(LTDL_LIBS) $(ZLIB_LIBS)

bin_PROGRAMS += host-sdk/xdr-host/xdr-host
host_sdk_xdr_host_xdr_host_SOURCES = \
	host-sdk/xdr-host/cli.h \
	host-sdk/xdr-host/args.c \
	host-sdk/xdr-host/cmd_admin.c \
	host-sdk/xdr-host/cmd_alert.c \
	host-sdk/xdr-host/cmd_console.c \
	host-sdk/xdr-host/cmd_console_passwd.c \
	host-sdk/xdr-host/cmd_dashboard.c \
	host-sdk/xdr-host/cmd_events.c \
	host-sdk/xdr-host/cmd_group.c \
	host-sdk/xdr-host/cmd_inventory.c \
	host-sdk/xdr-host/cmd_kp.c \
	host-sdk/xdr-host/cmd_plugin.c \
	host-sdk/xdr-host/cmd_report.c \
	host-sdk/xdr-host/cmd_search.c \
	host-sdk/xdr-host/cmd_setting.c \
	host-sdk/xdr-host/cmd_system.c \
	host-sdk/xdr-host/cmd_tick.c \
	host-sdk/xdr-host/commands.c \
	host-sdk/xdr-host/help.c \
	host-sdk/xdr-host/main.c \
	host-sdk/xdr-host/output.c \
	host-sdk/xdr-host/setup.c \
	host-sdk/xdr-host/table.c
host_sdk_xdr_host_xdr_host_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/host-sdk/lib
host_sdk_xdr_host_xdr_host_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
host_sdk_xdr_host_xdr_host_LDADD =
# The console (host-sdk/console): linked where it is built, before the
# library it uses.
if HAVE_CONSOLE
host_sdk_xdr_host_xdr_host_CPPFLAGS += -I$(top_srcdir)/host-sdk/console
host_sdk_xdr_host_xdr_host_CFLAGS += $(CRYPTO_CFLAGS)
host_sdk_xdr_host_xdr_host_LDADD += host-sdk/console/libxdrconsole.la
endif
host_sdk_xdr_host_xdr_host_LDADD += host-sdk/lib/libxdrhost.la $(JSONC_LIBS)
if HAVE_CONSOLE
host_sdk_xdr_host_xdr_host_LDADD += $(CRYPTO_LIBS)
endif

EXTRA_DIST += host-sdk/README.md host-sdk/examples/inventory.json \
	host-sdk/examples/edr-summary.html host-sdk/examples/README.md

# The knowledge pack: the plugin and the objects of
# packaging/knowledge-pack/ with a manifest of their SHA-256 sums.
KP_FILE = $(PACKAGE)-$(VERSION).kp
kp: plugin/itglue.la $(top_srcdir)/packaging/kp-build.sh
	$(SHELL) $(top_srcdir)/packaging/kp-build.sh $(KP_FILE) $(PACKAGE) \
		$(VERSION) plugin/.libs/itglue$(LT_MODULE_EXT) \
		$(top_srcdir)/packaging/knowledge-pack
.PHONY: kp
CLEANFILES += $(PACKAGE)-*.kp
EXTRA_DIST += packaging/kp-build.sh packaging/knowledge-pack
