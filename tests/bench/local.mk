# tests/bench: the benchmark (`make bench`). Its programs are built by
# `make bench` only, never by `make` or `make check`.
EXTRA_PROGRAMS = tests/bench/measure tests/bench/bench-inventory \
	tests/bench/hook-latency

tests_bench_measure_SOURCES = tests/bench/measure.c

tests_bench_bench_inventory_SOURCES = tests/bench/inventory.c
tests_bench_bench_inventory_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
tests_bench_bench_inventory_LDADD = $(JSONC_LIBS)

# The report hook's latency (scenario 4). `make bench` builds it when its
# source is there; bench.sh reports the scenario as not measured otherwise.
tests_bench_hook_latency_SOURCES = tests/bench/hook_latency.c
tests_bench_hook_latency_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/host-sdk/lib
tests_bench_hook_latency_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS) $(SQLITE_CFLAGS)
tests_bench_hook_latency_LDADD = host-sdk/lib/libxdrhost.la $(JSONC_LIBS) \
	$(SQLITE_LIBS)

EXTRA_DIST += tests/bench/bench.sh tests/bench/README.md
CLEANFILES += $(EXTRA_PROGRAMS) tests/bench/bench.json

# make bench [BENCH_FLAGS="--quick --only 1 --latency-ms 150"]
BENCH_FLAGS =
BENCH_JSON = tests/bench/bench.json
bench_programs = tests/bench/measure$(EXEEXT) \
	tests/bench/bench-inventory$(EXEEXT)

bench: all $(bench_programs)
	@if test -f $(srcdir)/tests/bench/hook_latency.c; then \
	  $(MAKE) $(AM_MAKEFLAGS) tests/bench/hook-latency$(EXEEXT) || \
	  echo "bench: tests/bench/hook-latency did not build" >&2; \
	else \
	  rm -f tests/bench/hook-latency$(EXEEXT); \
	fi
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  EXEEXT='$(EXEEXT)' LT_MODULE_EXT='$(LT_MODULE_EXT)' \
	  $(SHELL) $(srcdir)/tests/bench/bench.sh --json $(BENCH_JSON) \
	  $(BENCH_FLAGS)

.PHONY: bench
