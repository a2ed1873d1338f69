# tests/soak: the fault soak (`make soak`), never part of `make check`: it
# runs for a minute or more and kills processes (tests/soak/README.md).
EXTRA_DIST += tests/soak/soak.sh tests/soak/README.md

# make soak [SOAK_FLAGS=--long] [REPORTS=... SEED=... (environment)]
SOAK_FLAGS =

soak: all tests/bench/bench-inventory$(EXEEXT)
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  EXEEXT='$(EXEEXT)' LT_MODULE_EXT='$(LT_MODULE_EXT)' \
	  $(SHELL) $(srcdir)/tests/soak/soak.sh $(SOAK_FLAGS)

.PHONY: soak
