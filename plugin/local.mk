# plugin: the IT Glue plugin (itglue.so / itglue.dll).
#
# Everything but the entry point is a convenience library, so that the unit
# tests link the very code the module is made of.
noinst_LTLIBRARIES += plugin/libitglue-core.la
plugin_libitglue_core_la_SOURCES = \
	plugin/itglue.h \
	plugin/admin.c plugin/admin.h \
	plugin/admin_status.c \
	plugin/errbuf.c plugin/errbuf.h \
	plugin/events.c plugin/events.h \
	plugin/gate.c plugin/gate.h \
	plugin/json_util.c plugin/json_util.h \
	plugin/log.c plugin/log.h \
	plugin/schema.c \
	plugin/store.c plugin/store.h \
	plugin/template.c plugin/template.h \
	plugin/worker.c plugin/worker.h
plugin_libitglue_core_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden \
	$(JSONC_CFLAGS) $(SQLITE_CFLAGS)
plugin_libitglue_core_la_LIBADD = $(JSONC_LIBS) $(SQLITE_LIBS)

# The module exports xdr_plugin_entry and nothing else; it reaches the host
# only through the table init() receives, hence -no-undefined.
plugin_LTLIBRARIES += plugin/itglue.la
plugin_itglue_la_SOURCES = plugin/entry.c
plugin_itglue_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
plugin_itglue_la_LDFLAGS = -module -avoid-version -no-undefined \
	-export-symbols-regex '^xdr_plugin_entry$$'
plugin_itglue_la_LIBADD = plugin/libitglue-core.la

EXTRA_DIST += plugin/README.md
