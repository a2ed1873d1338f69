#!/usr/bin/env bash
# The Windows build of this tree, from a configured native build folder
# (what `make win-check` and `make win-package` run):
#
#   packaging/windows/win-build.sh check     cross build, then make check
#                                            under Wine
#   packaging/windows/win-build.sh package   cross build, then the zip
#
# Both run from the native build folder (the current directory). The
# libraries for x86_64-w64-mingw32 are built by build-deps.sh into the
# source tree's _build/win-deps/ (skipped once built; WIN_DEPS names
# another prefix), and the rest happens in the source tree's _build/win/
# (WIN_BUILD names another folder):
#   src/     this tree as it would ship (make distdir), so that the cross
#            build never meets the native build's files
#   build/   the cross build: ./configure --host=x86_64-w64-mingw32
#   wine/    the Wine prefix of the tests
#   check.log  the output of make check
# Later runs reuse them all: make rebuilds what changed.
#
# The tests run the Windows programs under Wine: the unit tests, and the
# integration scripts, whose xdr-host.exe loads itglue.dll and talks over
# loopback to the native sandbox of the native build (the sandbox is built
# for Linux only). A native build without the sandbox cannot run them, and
# this script fails rather than skip them.
set -euo pipefail

host=x86_64-w64-mingw32
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
native=$(pwd)
work=$(realpath -m "${WIN_BUILD:-$root/_build/win}")
deps=$(realpath -m "${WIN_DEPS:-$root/_build/win-deps}")
jobs=$(nproc 2>/dev/null || echo 2)

say() { printf '[win-build] %s\n' "$*"; }
die() {
	printf '[win-build] error: %s\n' "$*" >&2
	exit 1
}

timed() {
	local name=$1 start=$SECONDS
	shift
	say "$name ..."
	"$@"
	say "$name: $((SECONDS - start)) s"
}

[ -f "$native/Makefile" ] && [ -f "$native/config.status" ] ||
	die "run from a configured native build folder (make win-check)"
version=$(sed -n 's/^PACKAGE_VERSION = //p' "$native/Makefile")

mode=${1:-}
case $mode in
check | package) ;;
*)
	echo "usage: $0 check|package" >&2
	exit 2
	;;
esac

wine_env() {
	export WINEPREFIX=$work/wine
	export WINEDEBUG=-all
	export WINEDLLOVERRIDES="mscoree,mshtml="
	export WINEPATH="$deps/bin"
}

# A fresh Wine prefix takes seconds to create: start it while building.
start_wine() {
	wine_env
	command -v wine >/dev/null || die "wine is not installed (apt-get install wine wine64)"
	mkdir -p "$WINEPREFIX"
	(wineboot -i >/dev/null 2>&1 || true) &
	wineboot_pid=$!
}

# The tree as it ships: distdir keeps the files' times, so an unchanged
# file is not rebuilt.
copy_sources() {
	make -C "$native" --no-print-directory distdir \
		distdir="$work/src.new" >/dev/null
	mkdir -p "$work/src"
	# Replace only what changed, and drop what the tree no longer has.
	(cd "$work/src.new" && find . -type f) | while read -r f; do
		if ! cmp -s "$work/src.new/$f" "$work/src/$f"; then
			mkdir -p "$(dirname "$work/src/$f")"
			cp -p "$work/src.new/$f" "$work/src/$f"
		fi
	done
	(cd "$work/src" && find . -type f) | while read -r f; do
		[ -e "$work/src.new/$f" ] || rm -f "$work/src/$f"
	done
	rm -rf "$work/src.new"
}

configure_build() {
	mkdir -p "$work/build"
	# Configured once, again only for other libraries.
	[ -f "$work/build/config.status" ] &&
		[ "$(cat "$work/build/.win-deps" 2>/dev/null)" = "$deps" ] &&
		return 0
	(cd "$work/build" &&
		PKG_CONFIG=pkg-config \
		PKG_CONFIG_LIBDIR="$deps/lib/pkgconfig" \
		"$work/src/configure" --host="$host" --enable-werror --quiet \
		--prefix=/ CPPFLAGS="-I$deps/include" LDFLAGS="-L$deps/lib")
	echo "$deps" >"$work/build/.win-deps"
}

build() {
	make -C "$work/build" -j"$jobs" --no-print-directory >/dev/null
}

run_checks() {
	local sandbox=$native/host-sdk/sandbox/itglue-sandbox rc=0
	[ -x "$sandbox" ] ||
		die "no native sandbox at $sandbox (build it: make host-sdk/sandbox/itglue-sandbox; needs libmicrohttpd)"
	wait "$wineboot_pid" || true
	# One Wine server for the whole run: each program then starts in
	# about a tenth of a second. One may be running already (it stays a
	# few seconds after its last program): start afresh.
	wineserver -k 2>/dev/null || true
	wineserver -w 2>/dev/null || true
	wineserver -p
	wine_started=yes
	make -C "$work/build" -j"$jobs" --no-print-directory check \
		XDR_SANDBOX_BIN="$sandbox" >"$work/check.log" 2>&1 || rc=$?
	sed -n '/^====/,$p' "$work/check.log" | head -n 40
	[ "$rc" -eq 0 ] || {
		[ -f "$work/build/test-suite.log" ] &&
			sed -n '1,200p' "$work/build/test-suite.log"
		return "$rc"
	}
}

zip_path=$native/openxdr-itglue-$version-win64.zip

package() {
	sh "$here/win-package.sh" "$work/build" "$work/src" "$deps" "$zip_path"
}

# The zip alone, unpacked, under Wine without WINEPATH: the host finds
# every DLL beside it and loads the plugin, and installs the knowledge
# pack, whose plugin loads too.
try_zip() {
	local t top out
	wine_env
	unset WINEPATH
	t=$(mktemp -d "${TMPDIR:-/tmp}/win-zip.XXXXXX")
	zip_tmp=$t
	top=$t/openxdr-itglue-$version-win64
	(cd "$t" && unzip -q "$zip_path")
	out=$(cd "$top" && wine bin/xdr-host.exe --home h --plugin-dir plugins \
		plugin list 2>&1) || true
	printf '%s\n' "$out" | sed 's/^/  /'
	printf '%s\n' "$out" | grep -Eq '^itglue +[0-9.]+ +1\.0 +loaded' ||
		die "the unpacked zip's host does not load plugins/itglue.dll"
	mkdir -p "$top/kp-plugins"
	out=$(cd "$top" && wine bin/xdr-host.exe --home h2 \
		--plugin-dir kp-plugins kp install "openxdr-itglue-$version-win64.kp" &&
		wine bin/xdr-host.exe --home h2 --plugin-dir kp-plugins plugin list \
		2>&1) || true
	printf '%s\n' "$out" | sed 's/^/  /'
	rm -rf "$t"
	zip_tmp=
	printf '%s\n' "$out" | grep -Eq '^itglue +[0-9.]+ +1\.0 +loaded' ||
		die "the zip's knowledge pack does not install a loadable plugin"
}

# On the way out, whatever happened: the Wine server of the tests, the
# unpacked zip.
wine_started= zip_tmp=
cleanup() {
	[ -z "$wine_started" ] || wineserver -k 2>/dev/null || true
	[ -z "$zip_tmp" ] || rm -rf "$zip_tmp"
}
trap cleanup EXIT

mkdir -p "$work"
timed "dependencies" bash "$here/build-deps.sh" "$deps"
[ "$mode" = check ] && start_wine
timed "sources" copy_sources
timed "configure" configure_build
timed "build" build
case $mode in
check) timed "tests under Wine" run_checks ;;
package)
	timed "zip" package
	if command -v wine >/dev/null && command -v unzip >/dev/null; then
		timed "the zip under Wine" try_zip
	else
		say "not trying the zip: wine or unzip is not installed"
	fi
	;;
esac
