# unit tests of the plugin: cmocka programs linking the plugin's core library
# (and, for those that go through the descriptor, plugin/entry.c) against the
# in-memory host of mock_host.c.

# What the unit tests need of the platform beyond compat/os.h (both .mk).
EXTRA_DIST += tests/unit/os_test.h tests/unit/text_test.h
if HAVE_CMOCKA
plugin_unit_tests = \
	tests/unit/test_plugin_admin \
	tests/unit/test_plugin_admin_lists \
	tests/unit/test_plugin_automap_cache \
	tests/unit/test_plugin_entry \
	tests/unit/test_plugin_events \
	tests/unit/test_plugin_gate \
	tests/unit/test_plugin_log \
	tests/unit/test_plugin_store \
	tests/unit/test_plugin_store_fault \
	tests/unit/test_plugin_text \
	tests/unit/test_plugin_worker
check_PROGRAMS += $(plugin_unit_tests)
TESTS += $(plugin_unit_tests)

plugin_unit_cflags = $(AM_CFLAGS) -I$(top_srcdir)/plugin $(CMOCKA_CFLAGS) \
	$(JSONC_CFLAGS) $(SQLITE_CFLAGS)
plugin_unit_ldadd = plugin/libitglue-core.la $(CMOCKA_LIBS) $(JSONC_LIBS) \
	$(SQLITE_LIBS)
plugin_unit_mock = tests/unit/mock_host.c tests/unit/mock_host.h

tests_unit_test_plugin_admin_SOURCES = tests/unit/test_plugin_admin.c \
	plugin/entry.c $(plugin_unit_mock)
tests_unit_test_plugin_admin_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_admin_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_admin_lists_SOURCES = \
	tests/unit/test_plugin_admin_lists.c plugin/entry.c $(plugin_unit_mock)
tests_unit_test_plugin_admin_lists_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_admin_lists_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_automap_cache_SOURCES = \
	tests/unit/test_plugin_automap_cache.c $(plugin_unit_mock)
tests_unit_test_plugin_automap_cache_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_automap_cache_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_entry_SOURCES = tests/unit/test_plugin_entry.c \
	plugin/entry.c $(plugin_unit_mock)
tests_unit_test_plugin_entry_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_entry_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_events_SOURCES = tests/unit/test_plugin_events.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_events_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_events_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_gate_SOURCES = tests/unit/test_plugin_gate.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_gate_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_gate_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_log_SOURCES = tests/unit/test_plugin_log.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_log_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_log_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_text_SOURCES = tests/unit/test_plugin_text.c
tests_unit_test_plugin_text_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_text_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_store_SOURCES = tests/unit/test_plugin_store.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_store_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_store_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_store_fault_SOURCES = \
	tests/unit/test_plugin_store_fault.c
tests_unit_test_plugin_store_fault_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_store_fault_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_worker_SOURCES = tests/unit/test_plugin_worker.c
tests_unit_test_plugin_worker_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_worker_LDADD = $(plugin_unit_ldadd)
endif

# The IT Glue client: its pure layers, and (with libmicrohttpd) the client
# against a scripted in-process HTTP server.
if HAVE_CMOCKA
client_unit_tests = \
	tests/unit/test_plugin_jsonapi \
	tests/unit/test_plugin_json_prune \
	tests/unit/test_plugin_apierror \
	tests/unit/test_plugin_backoff \
	tests/unit/test_plugin_ratelimit \
	tests/unit/test_plugin_client \
	tests/unit/test_plugin_secret
check_PROGRAMS += $(client_unit_tests)
TESTS += $(client_unit_tests)

client_unit_cflags = $(plugin_unit_cflags) $(CURL_CFLAGS)
client_unit_ldadd = $(plugin_unit_ldadd) $(CURL_LIBS)

tests_unit_test_plugin_jsonapi_SOURCES = tests/unit/test_plugin_jsonapi.c
tests_unit_test_plugin_jsonapi_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_jsonapi_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_json_prune_SOURCES = \
	tests/unit/test_plugin_json_prune.c
tests_unit_test_plugin_json_prune_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_json_prune_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_apierror_SOURCES = tests/unit/test_plugin_apierror.c
tests_unit_test_plugin_apierror_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_apierror_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_backoff_SOURCES = tests/unit/test_plugin_backoff.c
tests_unit_test_plugin_backoff_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_backoff_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_ratelimit_SOURCES = tests/unit/test_plugin_ratelimit.c
tests_unit_test_plugin_ratelimit_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_ratelimit_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_secret_SOURCES = tests/unit/test_plugin_secret.c
tests_unit_test_plugin_secret_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_secret_LDADD = $(client_unit_ldadd)

tests_unit_test_plugin_client_SOURCES = tests/unit/test_plugin_client.c
tests_unit_test_plugin_client_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_client_LDADD = $(client_unit_ldadd)
if HAVE_MHD
tests_unit_test_plugin_client_CFLAGS += -DCLIENT_TEST_SERVER $(MHD_CFLAGS)
tests_unit_test_plugin_client_LDADD += $(MHD_LIBS)
endif
endif

# itg-fetch: the client from the command line, for the integration tests.
check_PROGRAMS += tests/tools/itg-fetch
tests_tools_itg_fetch_SOURCES = tests/tools/itg-fetch.c
tests_tools_itg_fetch_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/plugin \
	$(JSONC_CFLAGS) $(CURL_CFLAGS)
tests_tools_itg_fetch_LDADD = plugin/libitglue-core.la $(JSONC_LIBS) \
	$(CURL_LIBS)

# The client against itglue-sandbox (skipped when it is not built).
client_integration_tests = tests/integration/client_sandbox.sh
TESTS += $(client_integration_tests)
EXTRA_DIST += $(client_integration_tests)

# IT Glue instances: request rules and their tables.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_plugin_instance
TESTS += tests/unit/test_plugin_instance
tests_unit_test_plugin_instance_SOURCES = tests/unit/test_plugin_instance.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_instance_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_instance_LDADD = $(plugin_unit_ldadd) $(CURL_LIBS)
endif

# Auto-map rules: MACs, e-mail domains, groups and systems (pure).
if HAVE_CMOCKA
mapper_unit_tests = \
	tests/unit/test_plugin_mac \
	tests/unit/test_plugin_domain \
	tests/unit/test_plugin_mapper
check_PROGRAMS += $(mapper_unit_tests)
TESTS += $(mapper_unit_tests)

tests_unit_test_plugin_mac_SOURCES = tests/unit/test_plugin_mac.c
tests_unit_test_plugin_mac_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_mac_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_domain_SOURCES = tests/unit/test_plugin_domain.c
tests_unit_test_plugin_domain_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_domain_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_mapper_SOURCES = tests/unit/test_plugin_mapper.c
tests_unit_test_plugin_mapper_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_mapper_LDADD = $(plugin_unit_ldadd)
endif

# Incremental auto-map: full or incremental, where a read stops, merging
# (pure).
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_plugin_automap_incr
TESTS += tests/unit/test_plugin_automap_incr
tests_unit_test_plugin_automap_incr_SOURCES = \
	tests/unit/test_plugin_automap_incr.c
tests_unit_test_plugin_automap_incr_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_automap_incr_LDADD = $(plugin_unit_ldadd)
endif

# The outbox's decisions.
if HAVE_CMOCKA
check_PROGRAMS += tests/unit/test_plugin_outbox_state
TESTS += tests/unit/test_plugin_outbox_state
tests_unit_test_plugin_outbox_state_SOURCES = \
	tests/unit/test_plugin_outbox_state.c
tests_unit_test_plugin_outbox_state_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_outbox_state_LDADD = $(plugin_unit_ldadd) $(CURL_LIBS)
endif

# Publishing: report files (names, dates, base64, the 10 MB rule, gzip) and
# the pure parts of the type and the asset; itg-publish and its script
# against itglue-sandbox.
if HAVE_CMOCKA
publish_unit_tests = \
	tests/unit/test_plugin_report_file \
	tests/unit/test_plugin_publish
check_PROGRAMS += $(publish_unit_tests)
TESTS += $(publish_unit_tests)

tests_unit_test_plugin_report_file_SOURCES = \
	tests/unit/test_plugin_report_file.c
tests_unit_test_plugin_report_file_CFLAGS = $(client_unit_cflags) \
	$(ZLIB_CFLAGS)
tests_unit_test_plugin_report_file_LDADD = $(client_unit_ldadd) \
	$(ZLIB_LIBS)

tests_unit_test_plugin_publish_SOURCES = tests/unit/test_plugin_publish.c
tests_unit_test_plugin_publish_CFLAGS = $(client_unit_cflags)
tests_unit_test_plugin_publish_LDADD = $(client_unit_ldadd) $(ZLIB_LIBS)
endif

check_PROGRAMS += tests/tools/itg-publish
tests_tools_itg_publish_SOURCES = tests/tools/itg-publish.c
tests_tools_itg_publish_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/plugin \
	$(JSONC_CFLAGS) $(CURL_CFLAGS)
tests_tools_itg_publish_LDADD = plugin/libitglue-core.la $(JSONC_LIBS) \
	$(CURL_LIBS) $(ZLIB_LIBS)

publish_integration_tests = tests/integration/publish_sandbox.sh
TESTS += $(publish_integration_tests)
EXTRA_DIST += $(publish_integration_tests)
