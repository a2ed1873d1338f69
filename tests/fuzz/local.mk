# tests/fuzz: libFuzzer targets, one per reader of untrusted input. Built
# only by configure --enable-fuzzing (CC=clang); `make fuzz` runs each for
# FUZZ_SECONDS, `make fuzz-replay` runs the seed corpora once (README.md).
fuzz_targets = \
	tests/fuzz/fuzz_jsonapi \
	tests/fuzz/fuzz_apierror \
	tests/fuzz/fuzz_mac \
	tests/fuzz/fuzz_domain \
	tests/fuzz/fuzz_admin \
	tests/fuzz/fuzz_kp_manifest \
	tests/fuzz/fuzz_inventory

fuzz_plugin_cflags = $(AM_CFLAGS) $(FUZZ_LINK_FLAGS) \
	-I$(top_srcdir)/plugin -I$(top_srcdir)/tests/fuzz \
	$(JSONC_CFLAGS) $(SQLITE_CFLAGS)
fuzz_plugin_ldadd = plugin/libitglue-core.la $(JSONC_LIBS) $(SQLITE_LIBS)
fuzz_host_cppflags = $(AM_CPPFLAGS) -I$(top_srcdir)/host-sdk/lib \
	-I$(top_srcdir)/tests/fuzz
fuzz_host_cflags = $(AM_CFLAGS) $(FUZZ_LINK_FLAGS) $(JSONC_CFLAGS) \
	$(SQLITE_CFLAGS)
fuzz_host_ldadd = host-sdk/lib/libxdrhost.la $(JSONC_LIBS) $(SQLITE_LIBS)

tests_fuzz_fuzz_jsonapi_SOURCES = tests/fuzz/fuzz_jsonapi.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_jsonapi_CFLAGS = $(fuzz_plugin_cflags)
tests_fuzz_fuzz_jsonapi_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_jsonapi_LDADD = $(fuzz_plugin_ldadd)

tests_fuzz_fuzz_apierror_SOURCES = tests/fuzz/fuzz_apierror.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_apierror_CFLAGS = $(fuzz_plugin_cflags)
tests_fuzz_fuzz_apierror_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_apierror_LDADD = $(fuzz_plugin_ldadd)

tests_fuzz_fuzz_mac_SOURCES = tests/fuzz/fuzz_mac.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_mac_CFLAGS = $(fuzz_plugin_cflags)
tests_fuzz_fuzz_mac_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_mac_LDADD = $(fuzz_plugin_ldadd)

tests_fuzz_fuzz_domain_SOURCES = tests/fuzz/fuzz_domain.c tests/fuzz/fuzz.h
tests_fuzz_fuzz_domain_CFLAGS = $(fuzz_plugin_cflags)
tests_fuzz_fuzz_domain_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_domain_LDADD = $(fuzz_plugin_ldadd)

# Through the descriptor, on the unit tests' in-memory host.
tests_fuzz_fuzz_admin_SOURCES = tests/fuzz/fuzz_admin.c tests/fuzz/fuzz.h \
	tests/fuzz/fuzz_db.c tests/fuzz/fuzz_db.h plugin/entry.c \
	tests/unit/mock_host.c tests/unit/mock_host.h
tests_fuzz_fuzz_admin_CFLAGS = $(fuzz_plugin_cflags) -I$(top_srcdir)/tests/unit
tests_fuzz_fuzz_admin_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_admin_LDADD = $(fuzz_plugin_ldadd)

tests_fuzz_fuzz_kp_manifest_SOURCES = tests/fuzz/fuzz_kp_manifest.c \
	tests/fuzz/fuzz.h
tests_fuzz_fuzz_kp_manifest_CPPFLAGS = $(fuzz_host_cppflags)
tests_fuzz_fuzz_kp_manifest_CFLAGS = $(fuzz_host_cflags)
tests_fuzz_fuzz_kp_manifest_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_kp_manifest_LDADD = $(fuzz_host_ldadd)

tests_fuzz_fuzz_inventory_SOURCES = tests/fuzz/fuzz_inventory.c \
	tests/fuzz/fuzz.h tests/fuzz/fuzz_db.c tests/fuzz/fuzz_db.h
tests_fuzz_fuzz_inventory_CPPFLAGS = $(fuzz_host_cppflags)
tests_fuzz_fuzz_inventory_CFLAGS = $(fuzz_host_cflags)
tests_fuzz_fuzz_inventory_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_inventory_LDADD = $(fuzz_host_ldadd)

fuzz_run = FUZZ_SRCDIR='$(abs_top_srcdir)/tests/fuzz' \
	FUZZ_BUILDDIR='$(abs_top_builddir)/tests/fuzz' \
	$(SHELL) $(top_srcdir)/tests/fuzz/run.sh

if ENABLE_FUZZING
noinst_PROGRAMS += $(fuzz_targets)

fuzz: $(fuzz_targets)
	@$(fuzz_run)

fuzz-replay: $(fuzz_targets)
	@$(fuzz_run) --replay
else
fuzz fuzz-replay:
	@echo "the fuzz targets are built by: ../configure --enable-fuzzing CC=clang" >&2
	@exit 1
endif
.PHONY: fuzz fuzz-replay

clean-local: clean-fuzz
clean-fuzz:
	-rm -rf tests/fuzz/corpus tests/fuzz/artifacts tests/fuzz/logs \
		tests/fuzz/tmp
.PHONY: clean-fuzz

EXTRA_DIST += tests/fuzz/README.md tests/fuzz/run.sh tests/fuzz/seeds \
	tests/fuzz/dict
