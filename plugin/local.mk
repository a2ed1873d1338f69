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
	plugin/store_fault.c plugin/store_fault.h \
	plugin/store_ready.c plugin/store_ready.h \
	plugin/store_salvage.c plugin/store_salvage.h \
	plugin/template.c plugin/template.h \
	plugin/text.c plugin/text.h \
	plugin/worker.c plugin/worker.h
plugin_libitglue_core_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden \
	$(JSONC_CFLAGS) $(SQLITE_CFLAGS)
plugin_libitglue_core_la_LIBADD = compat/libcompat.la $(JSONC_LIBS) $(SQLITE_LIBS)

# The module exports xdr_plugin_entry and nothing else; it reaches the host
# only through the table init() receives, hence -no-undefined.
plugin_LTLIBRARIES += plugin/itglue.la
plugin_itglue_la_SOURCES = plugin/entry.c
plugin_itglue_la_CFLAGS = $(AM_CFLAGS) -fvisibility=hidden
plugin_itglue_la_LDFLAGS = -module -avoid-version -no-undefined \
	-export-symbols-regex '^xdr_plugin_entry$$'
plugin_itglue_la_LIBADD = plugin/libitglue-core.la

EXTRA_DIST += plugin/README.md

# The IT Glue client: pure layers (JSON:API, errors, back-off, rate, query,
# secrets) and the libcurl transport under it.
plugin_libitglue_core_la_SOURCES += \
	plugin/apierror.c plugin/apierror.h \
	plugin/backoff.c plugin/backoff.h \
	plugin/civil.c plugin/civil.h \
	plugin/client.c plugin/client.h \
	plugin/http.c plugin/http.h \
	plugin/json_prune.c plugin/json_prune.h \
	plugin/jsonapi.c plugin/jsonapi.h \
	plugin/query.c plugin/query.h \
	plugin/ratelimit.c plugin/ratelimit.h \
	plugin/secret.c plugin/secret.h
plugin_libitglue_core_la_CFLAGS += $(CURL_CFLAGS)
plugin_libitglue_core_la_LIBADD += $(CURL_LIBS) -lm

# IT Glue instances: the rules, their tables, and the admin actions.
plugin_libitglue_core_la_SOURCES += \
	plugin/admin_instance.c \
	plugin/host_groups.c plugin/host_groups.h \
	plugin/instance.c plugin/instance.h \
	plugin/instance_store.c plugin/instance_store.h \
	plugin/instance_url.c plugin/instance_url.h

# Jobs: long work an administrator started, and its answer.
plugin_libitglue_core_la_SOURCES += \
	plugin/admin_job.c \
	plugin/jobs.c plugin/jobs.h

# Test Connection, and the client an instance's jobs use.
plugin_libitglue_core_la_SOURCES += \
	plugin/instance_client.c plugin/instance_client.h \
	plugin/instance_test.c
plugin_libitglue_core_la_SOURCES += plugin/admin_config.c

# Import: IT Glue records into the store for the mapping screens.
plugin_libitglue_core_la_SOURCES += \
	plugin/import.c \
	plugin/import_filter.c plugin/import_filter.h \
	plugin/import_store.c plugin/import_store.h

# Auto-map rules: MACs, e-mail domains, and the mapping of groups and systems
# (pure).
plugin_libitglue_core_la_SOURCES += \
	plugin/domain.c plugin/domain.h \
	plugin/mac.c plugin/mac.h \
	plugin/mapper.c plugin/mapper.h

# Mappings: their tables.
plugin_libitglue_core_la_SOURCES += \
	plugin/mapping_store.c plugin/mapping_store.h
plugin_libitglue_core_la_SOURCES += \
	plugin/import_lookup.c plugin/import_lookup.h
plugin_libitglue_core_la_SOURCES += \
	plugin/host_systems.c plugin/host_systems.h
plugin_libitglue_core_la_SOURCES += \
	plugin/admin_map.c \
	plugin/config_keys.c plugin/config_keys.h

# Auto-map: the job, what it reads, how it writes, the schedule.
plugin_libitglue_core_la_SOURCES += \
	plugin/automap.c plugin/automap.h \
	plugin/automap_apply.c plugin/automap_apply.h \
	plugin/automap_data.c plugin/automap_data.h \
	plugin/automap_directory.c plugin/automap_directory.h
# Incremental auto-map: its rules (pure), the cache and the mark.
plugin_libitglue_core_la_SOURCES += \
	plugin/automap_cache.c plugin/automap_cache.h \
	plugin/automap_incr.c plugin/automap_incr.h \
	plugin/automap_sync.c plugin/automap_sync.h
plugin_libitglue_core_la_SOURCES += plugin/admin_mappings.c
# The console's lists: a page of mappings, of imported records, of the
# outbox.
plugin_libitglue_core_la_SOURCES += \
	plugin/admin_list.c plugin/admin_list.h \
	plugin/admin_imported.c \
	plugin/admin_import_preview.c

# Publishing: the outbox.
plugin_libitglue_core_la_SOURCES += \
	plugin/outbox_state.c plugin/outbox_state.h
plugin_libitglue_core_la_SOURCES += \
	plugin/outbox_store.c plugin/outbox_store.h
plugin_libitglue_core_la_SOURCES += \
	plugin/publish.c plugin/publish.h \
	plugin/publish_run.c plugin/publish_run.h

# Publishing a report: the flexible asset type, the report's file and its
# upload, the asset and its related items.
plugin_libitglue_core_la_SOURCES += \
	plugin/publish_asset.c plugin/publish_asset.h \
	plugin/publish_type.c plugin/publish_type.h \
	plugin/report_file.c plugin/report_file.h
plugin_libitglue_core_la_CFLAGS += $(ZLIB_CFLAGS)
plugin_libitglue_core_la_LIBADD += $(ZLIB_LIBS)
plugin_libitglue_core_la_SOURCES += plugin/admin_publish.c
plugin_libitglue_core_la_SOURCES += plugin/admin_outbox.c
