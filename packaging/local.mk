# packaging: scripts behind the Quick start, CI and packages.
EXTRA_DIST += packaging/quickstart.sh packaging/README.md \
	packaging/deb-build.sh

# The SDK's pkg-config file: a plugin is built with
# `pkg-config --cflags xdr-plugin` and nothing else of this tree.
pkgconfigdir = $(libdir)/pkgconfig
pkgconfig_DATA = include/xdr-plugin.pc
EXTRA_DIST += include/xdr-plugin.pc.in

# The demo's input, installed beside the sandbox's demo data so that the
# Quick start's main job runs from an installation alone.
examplesdir = $(pkgdatadir)/examples
examples_DATA = host-sdk/examples/inventory.json \
	host-sdk/examples/edr-summary.html

# Debian packaging (packaging/deb-build.sh copies it in as debian/).
EXTRA_DIST += \
	packaging/debian/changelog \
	packaging/debian/clean \
	packaging/debian/control \
	packaging/debian/copyright \
	packaging/debian/not-installed \
	packaging/debian/itglue-sandbox.h2m \
	packaging/debian/openxdr-host-sdk.install \
	packaging/debian/openxdr-host-sdk.manpages \
	packaging/debian/openxdr-itglue.docs \
	packaging/debian/openxdr-itglue.install \
	packaging/debian/rules \
	packaging/debian/source/format \
	packaging/debian/xdr-host.h2m

# A plugin of a third party, built against an installed SDK only.
EXTRA_DIST += tests/thirdparty/hello.c tests/thirdparty/build_and_load.sh \
	tests/thirdparty/README.md
EXTRA_DIST += packaging/windows/build-deps.sh packaging/windows/README.md

# Windows: the cross build, its tests under Wine, and the zip
# (packaging/windows/README.md). Both run from this native build folder.
EXTRA_DIST += packaging/windows/win-build.sh packaging/windows/win-package.sh \
	packaging/windows/README-package.txt
win-check:
	@$(MAKE) $(AM_MAKEFLAGS) all
	$(SHELL) $(top_srcdir)/packaging/windows/win-build.sh check
win-package:
	$(SHELL) $(top_srcdir)/packaging/windows/win-build.sh package
.PHONY: win-check win-package
