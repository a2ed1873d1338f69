# unit tests of the plugin: cmocka programs linking the plugin's core library
# (and, for those that go through the descriptor, plugin/entry.c) against the
# in-memory host of mock_host.c.
if HAVE_CMOCKA
plugin_unit_tests = \
	tests/unit/test_plugin_admin \
	tests/unit/test_plugin_entry \
	tests/unit/test_plugin_events \
	tests/unit/test_plugin_gate \
	tests/unit/test_plugin_log \
	tests/unit/test_plugin_store \
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

tests_unit_test_plugin_store_SOURCES = tests/unit/test_plugin_store.c \
	$(plugin_unit_mock)
tests_unit_test_plugin_store_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_store_LDADD = $(plugin_unit_ldadd)

tests_unit_test_plugin_worker_SOURCES = tests/unit/test_plugin_worker.c
tests_unit_test_plugin_worker_CFLAGS = $(plugin_unit_cflags)
tests_unit_test_plugin_worker_LDADD = $(plugin_unit_ldadd)
endif
