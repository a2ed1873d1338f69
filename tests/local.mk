# tests: unit tests (cmocka), test plugins, and integration tests that drive
# xdr-host as a user would. Every test prints TAP.
include tests/unit/host.mk
include tests/unit/plugin.mk
include tests/unit/console.mk

# Test plugins. Modules for the check target need an -rpath to be built
# shared; it is never used, since the host loads them by full path.
test_plugin_ldflags = -module -avoid-version -no-undefined -rpath /nowhere \
	-export-symbols-regex '^xdr_plugin_entry'

check_LTLIBRARIES += tests/plugins/probe.la
tests_plugins_probe_la_SOURCES = tests/plugins/probe.c
tests_plugins_probe_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
tests_plugins_probe_la_LIBADD = compat/libcompat.la $(JSONC_LIBS)
tests_plugins_probe_la_LDFLAGS = $(test_plugin_ldflags)

# One source, one refusal each (see tests/plugins/broken.c).
check_LTLIBRARIES += \
	tests/plugins/wrong_major.la \
	tests/plugins/newer_minor.la \
	tests/plugins/small_struct.la \
	tests/plugins/init_fails.la \
	tests/plugins/no_entry.la \
	tests/plugins/null_descriptor.la \
	tests/plugins/bad_name.la \
	tests/plugins/no_callback.la

tests_plugins_wrong_major_la_SOURCES = tests/plugins/broken.c
tests_plugins_wrong_major_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_WRONG_MAJOR
tests_plugins_wrong_major_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_newer_minor_la_SOURCES = tests/plugins/broken.c
tests_plugins_newer_minor_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NEWER_MINOR
tests_plugins_newer_minor_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_small_struct_la_SOURCES = tests/plugins/broken.c
tests_plugins_small_struct_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_SMALL_STRUCT
tests_plugins_small_struct_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_init_fails_la_SOURCES = tests/plugins/broken.c
tests_plugins_init_fails_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_INIT_FAILS
tests_plugins_init_fails_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_no_entry_la_SOURCES = tests/plugins/broken.c
tests_plugins_no_entry_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NO_ENTRY
tests_plugins_no_entry_la_LDFLAGS = -module -avoid-version -no-undefined -rpath /nowhere
tests_plugins_null_descriptor_la_SOURCES = tests/plugins/broken.c
tests_plugins_null_descriptor_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NULL_DESCRIPTOR
tests_plugins_null_descriptor_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_bad_name_la_SOURCES = tests/plugins/broken.c
tests_plugins_bad_name_la_CPPFLAGS = $(AM_CPPFLAGS) '-DBROKEN_NAME="Bad Name!"'
tests_plugins_bad_name_la_LDFLAGS = $(test_plugin_ldflags)
tests_plugins_no_callback_la_SOURCES = tests/plugins/broken.c
tests_plugins_no_callback_la_CPPFLAGS = $(AM_CPPFLAGS) -DBROKEN_NO_CALLBACK
tests_plugins_no_callback_la_LDFLAGS = $(test_plugin_ldflags)

# Integration tests: shell scripts that drive xdr-host. They need jq.
integration_tests = \
	tests/integration/cli_usage.sh \
	tests/integration/model.sh \
	tests/integration/model_pages.sh \
	tests/integration/loader_refusals.sh \
	tests/integration/host_services.sh \
	tests/integration/busy_wait.sh \
	tests/integration/itglue_plugin.sh \
	tests/integration/itglue_instances.sh \
	tests/integration/itglue_connection.sh \
	tests/integration/itglue_tls.sh \
	tests/integration/itglue_hostile_responses.sh \
	tests/integration/itglue_mapping.sh \
	tests/integration/itglue_automap_incremental.sh \
	tests/integration/itglue_publish.sh \
	tests/integration/itglue_publish_crash.sh \
	tests/integration/itglue_hostile_names.sh \
	tests/integration/itglue_storage_faults.sh \
	tests/integration/kp_install.sh \
	tests/integration/kp_parsing.sh \
	tests/integration/console_passwd.sh \
	tests/integration/console_api.sh \
	tests/integration/console_api_walk.sh \
	tests/integration/console_assets.sh
TESTS += $(integration_tests)
EXTRA_DIST += $(integration_tests) tests/integration/lib.sh tests/README.md \
	tests/integration/console_lib.sh
include tests/bench/local.mk

# The unit test programs again under valgrind's memcheck: any error, or
# memory definitely or indirectly lost, fails the program (tests/valgrind.sh).
# The scripts among TESTS are left out by the script itself.
check-valgrind: $(check_PROGRAMS) $(check_LTLIBRARIES)
	@LIBTOOL='$(LIBTOOL)' CMOCKA_MESSAGE_OUTPUT=TAP \
		top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
		LT_MODULE_EXT='$(LT_MODULE_EXT)' \
		$(SHELL) $(top_srcdir)/tests/valgrind.sh $(TESTS)
.PHONY: check-valgrind
EXTRA_DIST += tests/valgrind.sh
CLEANFILES += tests/unit/*.vg.log tests/unit/*.vg.result
include tests/soak/local.mk
