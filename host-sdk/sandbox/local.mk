# host-sdk/sandbox: itglue-sandbox, a faithful local IT Glue.
#
# Everything but main.c goes into a convenience library, so that the unit
# tests link the very code the program runs. Without libmicrohttpd nothing
# here is built.

sandbox_sources = \
	host-sdk/sandbox/base64.c \
	host-sdk/sandbox/base64.h \
	host-sdk/sandbox/digits.c host-sdk/sandbox/digits.h \
	host-sdk/sandbox/fault_body.c \
	host-sdk/sandbox/fault_body.h \
	host-sdk/sandbox/faults.c \
	host-sdk/sandbox/faults.h \
	host-sdk/sandbox/filters.c \
	host-sdk/sandbox/filters.h \
	host-sdk/sandbox/generate.c \
	host-sdk/sandbox/inspect.c \
	host-sdk/sandbox/namekey.c \
	host-sdk/sandbox/namekey.h \
	host-sdk/sandbox/options.c \
	host-sdk/sandbox/options.h \
	host-sdk/sandbox/paging.c \
	host-sdk/sandbox/paging.h \
	host-sdk/sandbox/query.c \
	host-sdk/sandbox/query.h \
	host-sdk/sandbox/ratelimit.c \
	host-sdk/sandbox/ratelimit.h \
	host-sdk/sandbox/reqlog.c \
	host-sdk/sandbox/resource.c \
	host-sdk/sandbox/resource_text.c \
	host-sdk/sandbox/resources_attachments.c \
	host-sdk/sandbox/resources_configurations.c \
	host-sdk/sandbox/resources_contacts.c \
	host-sdk/sandbox/resources_flexible_asset_types.c \
	host-sdk/sandbox/resources_flexible_assets.c \
	host-sdk/sandbox/resources_organizations.c \
	host-sdk/sandbox/resources_related_items.c \
	host-sdk/sandbox/response.c \
	host-sdk/sandbox/router.c \
	host-sdk/sandbox/sandbox.h \
	host-sdk/sandbox/server.c \
	host-sdk/sandbox/store.c \
	host-sdk/sandbox/traits.c

sandbox_unit_tests = \
	tests/unit/test_sandbox_faults \
	tests/unit/test_sandbox_filters \
	tests/unit/test_sandbox_namekey \
	tests/unit/test_sandbox_paging \
	tests/unit/test_sandbox_query \
	tests/unit/test_sandbox_ratelimit \
	tests/unit/test_sandbox_router

sandbox_integration_tests = \
	tests/integration/sandbox_cli.sh \
	tests/integration/sandbox_http.sh \
	tests/integration/sandbox_lists.sh \
	tests/integration/sandbox_flexible.sh \
	tests/integration/sandbox_faults.sh \
	tests/integration/sandbox_hostile.sh \
	tests/integration/sandbox_limits.sh \
	tests/integration/sandbox_tls.sh \
	tests/integration/sandbox_inspect.sh \
	tests/integration/sandbox_demo.sh

EXTRA_DIST += host-sdk/sandbox/README.md host-sdk/sandbox/demo.json \
	$(sandbox_integration_tests) tests/integration/sandbox_lib.sh

if HAVE_MHD
noinst_LTLIBRARIES += host-sdk/sandbox/libsandbox.la
host_sdk_sandbox_libsandbox_la_SOURCES = $(sandbox_sources)
host_sdk_sandbox_libsandbox_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) \
	$(MHD_CFLAGS)
host_sdk_sandbox_libsandbox_la_LIBADD = $(JSONC_LIBS) $(MHD_LIBS)

bin_PROGRAMS += host-sdk/sandbox/itglue-sandbox
host_sdk_sandbox_itglue_sandbox_SOURCES = host-sdk/sandbox/main.c
host_sdk_sandbox_itglue_sandbox_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
host_sdk_sandbox_itglue_sandbox_LDADD = host-sdk/sandbox/libsandbox.la \
	$(JSONC_LIBS)

dist_pkgdata_DATA = host-sdk/sandbox/demo.json

TESTS += $(sandbox_integration_tests)

if HAVE_CMOCKA
check_PROGRAMS += $(sandbox_unit_tests)
TESTS += $(sandbox_unit_tests)

sandbox_unit_cflags = $(AM_CFLAGS) -I$(top_srcdir)/host-sdk/sandbox \
	$(CMOCKA_CFLAGS) $(JSONC_CFLAGS)
sandbox_unit_ldadd = host-sdk/sandbox/libsandbox.la $(CMOCKA_LIBS) \
	$(JSONC_LIBS)

tests_unit_test_sandbox_faults_SOURCES = tests/unit/test_sandbox_faults.c
tests_unit_test_sandbox_faults_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_faults_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_filters_SOURCES = tests/unit/test_sandbox_filters.c
tests_unit_test_sandbox_filters_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_filters_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_namekey_SOURCES = tests/unit/test_sandbox_namekey.c
tests_unit_test_sandbox_namekey_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_namekey_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_paging_SOURCES = tests/unit/test_sandbox_paging.c
tests_unit_test_sandbox_paging_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_paging_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_query_SOURCES = tests/unit/test_sandbox_query.c
tests_unit_test_sandbox_query_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_query_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_ratelimit_SOURCES = tests/unit/test_sandbox_ratelimit.c
tests_unit_test_sandbox_ratelimit_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_ratelimit_LDADD = $(sandbox_unit_ldadd)

tests_unit_test_sandbox_router_SOURCES = tests/unit/test_sandbox_router.c
tests_unit_test_sandbox_router_CFLAGS = $(sandbox_unit_cflags)
tests_unit_test_sandbox_router_LDADD = $(sandbox_unit_ldadd)
endif
endif
