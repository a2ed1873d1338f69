# host-sdk: the reference host library and the xdr-host command.

noinst_LTLIBRARIES += host-sdk/lib/libxdrhost.la
host_sdk_lib_libxdrhost_la_SOURCES = \
	host-sdk/lib/xdrhost.h \
	host-sdk/lib/internal.h \
	host-sdk/lib/abi.c \
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
	host-sdk/lib/loader.c \
	host-sdk/lib/log.c \
	host-sdk/lib/plugin_call.c \
	host-sdk/lib/reports.c \
	host-sdk/lib/rfc3339.c \
	host-sdk/lib/runtime.c \
	host-sdk/lib/seal.c \
	host-sdk/lib/settings.c \
	host-sdk/lib/signals.c \
	host-sdk/lib/statusline.c \
	host-sdk/lib/systems.c \
	host-sdk/lib/text.c \
	host-sdk/lib/validate.c \
	host-sdk/lib/wait.c
host_sdk_lib_libxdrhost_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DXDR_PLUGINDIR=\"$(plugindir)\"
host_sdk_lib_libxdrhost_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS) $(CRYPTO_CFLAGS)
host_sdk_lib_libxdrhost_la_LIBADD = $(JSONC_LIBS) $(SQLITE_LIBS) \
	$(CRYPTO_LIBS) $(LTDL_LIBS)

bin_PROGRAMS += host-sdk/xdr-host/xdr-host
host_sdk_xdr_host_xdr_host_SOURCES = \
	host-sdk/xdr-host/cli.h \
	host-sdk/xdr-host/args.c \
	host-sdk/xdr-host/cmd_admin.c \
	host-sdk/xdr-host/cmd_events.c \
	host-sdk/xdr-host/cmd_group.c \
	host-sdk/xdr-host/cmd_inventory.c \
	host-sdk/xdr-host/cmd_plugin.c \
	host-sdk/xdr-host/cmd_report.c \
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
host_sdk_xdr_host_xdr_host_LDADD = host-sdk/lib/libxdrhost.la $(JSONC_LIBS)

EXTRA_DIST += host-sdk/README.md host-sdk/examples/inventory.json \
	host-sdk/examples/edr-summary.html
