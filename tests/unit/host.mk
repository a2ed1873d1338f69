# unit tests of the host SDK: cmocka programs linking libxdrhost.
if HAVE_CMOCKA
host_unit_tests = \
	tests/unit/test_host_abi \
	tests/unit/test_host_api \
	tests/unit/test_host_inventory \
	tests/unit/test_host_json \
	tests/unit/test_host_kp \
	tests/unit/test_host_loader \
	tests/unit/test_host_model \
	tests/unit/test_host_report_plugins \
	tests/unit/test_host_rfc3339 \
	tests/unit/test_host_seal \
	tests/unit/test_host_validate \
	tests/unit/test_host_wait
check_PROGRAMS += $(host_unit_tests)
TESTS += $(host_unit_tests)

host_unit_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/host-sdk/lib
host_unit_cflags = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS)
host_unit_ldadd = host-sdk/lib/libxdrhost.la $(CMOCKA_LIBS) $(JSONC_LIBS) \
	$(SQLITE_LIBS)
# The temporary homes of the tests that need a directory of their own.
host_unit_home = tests/unit/host_test_home.c tests/unit/host_test_home.h

tests_unit_test_host_abi_SOURCES = tests/unit/test_host_abi.c
tests_unit_test_host_abi_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_abi_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_abi_LDADD = $(host_unit_ldadd)

tests_unit_test_host_seal_SOURCES = tests/unit/test_host_seal.c \
	$(host_unit_home)
tests_unit_test_host_seal_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_seal_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_seal_LDADD = $(host_unit_ldadd)

tests_unit_test_host_validate_SOURCES = tests/unit/test_host_validate.c
tests_unit_test_host_validate_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_validate_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_validate_LDADD = $(host_unit_ldadd)

tests_unit_test_host_rfc3339_SOURCES = tests/unit/test_host_rfc3339.c
tests_unit_test_host_rfc3339_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_rfc3339_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_rfc3339_LDADD = $(host_unit_ldadd)

tests_unit_test_host_model_SOURCES = tests/unit/test_host_model.c \
	$(host_unit_home)
tests_unit_test_host_model_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_model_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_model_LDADD = $(host_unit_ldadd)

tests_unit_test_host_inventory_SOURCES = tests/unit/test_host_inventory.c \
	$(host_unit_home)
tests_unit_test_host_inventory_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_inventory_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_inventory_LDADD = $(host_unit_ldadd)

tests_unit_test_host_api_SOURCES = tests/unit/test_host_api.c \
	$(host_unit_home)
tests_unit_test_host_api_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_api_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_api_LDADD = $(host_unit_ldadd)

tests_unit_test_host_loader_SOURCES = tests/unit/test_host_loader.c \
	$(host_unit_home)
tests_unit_test_host_loader_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_loader_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_loader_LDADD = $(host_unit_ldadd)

tests_unit_test_host_wait_SOURCES = tests/unit/test_host_wait.c
tests_unit_test_host_wait_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_wait_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_wait_LDADD = $(host_unit_ldadd)

tests_unit_test_host_report_plugins_SOURCES = \
	tests/unit/test_host_report_plugins.c
tests_unit_test_host_report_plugins_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_report_plugins_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_report_plugins_LDADD = $(host_unit_ldadd)

tests_unit_test_host_json_SOURCES = tests/unit/test_host_json.c
tests_unit_test_host_json_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_json_CFLAGS = $(host_unit_cflags)
tests_unit_test_host_json_LDADD = $(host_unit_ldadd)

tests_unit_test_host_kp_SOURCES = tests/unit/test_host_kp.c
tests_unit_test_host_kp_CPPFLAGS = $(host_unit_cppflags)
tests_unit_test_host_kp_CFLAGS = $(host_unit_cflags) $(ZLIB_CFLAGS)
tests_unit_test_host_kp_LDADD = $(host_unit_ldadd) $(ZLIB_LIBS)
endif
