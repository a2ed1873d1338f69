#!/usr/bin/env bash
# A plugin of a third party against an installed SDK, and nothing else.
#
#   tests/thirdparty/build_and_load.sh ROOT
#
# ROOT is where the SDK was installed: the root the .deb files were unpacked
# into, a DESTDIR of "make install", or / for an installation in place. The
# script copies hello.c to a temporary directory outside the source tree,
# builds it with only `pkg-config --cflags xdr-plugin` (the .pc file found
# under ROOT), puts it into the SDK's plugin directory and checks that the
# installed xdr-host loads it and that it answers. It prints TAP, leaves
# ROOT as it found it, and exits non-zero if any check fails.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=${1:?usage: build_and_load.sh ROOT}
root=$(cd "$root" && pwd)
[ "$root" = / ] && root=

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
}
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		echo "#   got:      '$1'"
		echo "#   expected: '$2'"
	fi
}
bail() {
	echo "Bail out! $1"
	exit 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/xdr-thirdparty.XXXXXX") ||
	bail "cannot make a temporary directory"
installed=
cleanup() {
	[ -n "$installed" ] && rm -f "$installed"
	rm -rf "$work"
}
trap cleanup EXIT

# The .pc file of the installed SDK, and pkg-config pointed at it alone; for
# an installation in place, wherever pkg-config finds it.
if [ -n "$root" ]; then
	pc=$(find "$root" -path '*/pkgconfig/xdr-plugin.pc' 2>/dev/null | head -n 1)
	[ -n "$pc" ] || bail "no pkgconfig/xdr-plugin.pc under $root"
	export PKG_CONFIG_LIBDIR="${pc%/*}" PKG_CONFIG_PATH='' PKG_CONFIG_SYSROOT_DIR="$root"
else
	pc=$(pkg-config --variable=pcfiledir xdr-plugin)/xdr-plugin.pc ||
		bail "pkg-config does not find xdr-plugin (PKG_CONFIG_PATH?)"
fi

# A path of the .pc file inside ROOT (pkgconf already prefixes the sysroot
# to path variables; pkg-config does not).
pc_path() {
	local v
	v=$(pkg-config --variable="$1" xdr-plugin) || return 1
	case $v in
	"$root"/*) echo "$v" ;;
	*) echo "$root$v" ;;
	esac
}

cflags=$(pkg-config --cflags xdr-plugin | sed 's/ *$//') ||
	bail "pkg-config --cflags xdr-plugin failed"
plugindir=$(pc_path plugindir)
host=$(pc_path bindir)/xdr-host
ext=$(pkg-config --variable=module_ext xdr-plugin)
echo "# SDK: $pc (version $(pkg-config --modversion xdr-plugin))"
echo "# cflags: $cflags"

# pkg-config leaves out the compiler's own /usr/include.
includedir=$(pc_path includedir)
expected="-I$includedir"
[ "$includedir" = /usr/include ] && expected=
is "$cflags" "$expected" \
	"pkg-config --cflags xdr-plugin names the installed include directory only"
check "the installed header is there" test -f "$includedir/xdr/plugin.h"
check "the plugin directory of the .pc file exists" test -d "$plugindir"
check "the installed host is there" test -x "$host"

# Built as a third party would: a copy of the source in a directory of its
# own, the compiler and the .pc file, with the usual warnings as errors.
cp "$here/hello.c" "$work/hello.c"
# shellcheck disable=SC2086 # cflags is a list of options
check "hello.c builds with the installed header alone" \
	cc -std=c11 -Wall -Wextra -Werror -O2 -fPIC -fvisibility=hidden -shared \
	$cflags -o "$work/hello$ext" "$work/hello.c"
[ -f "$work/hello$ext" ] || bail "no module was built"

exported=$(nm -D --defined-only "$work/hello$ext" | awk '$2 == "T" { print $3 }')
is "$exported" xdr_plugin_entry "the module exports xdr_plugin_entry alone"
needed=$(readelf -d "$work/hello$ext" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' |
	tr '\n' ' ')
is "$needed" "libc.so.6 " "the module needs the C library only"

installed="$plugindir/hello$ext"
check "the module goes into the SDK's plugin directory" \
	install -m 644 "$work/hello$ext" "$installed"

xdr() {
	"$host" --home "$work/home" --plugin-dir "$plugindir" "$@"
}

list=$(xdr plugin list --json)
is "$?" 0 "plugin list exits 0"
is "$(jq -r '.[] | select(.name == "hello") | [.version, .abi, .loaded] | join(" ")' \
	<<<"$list")" "1.0.0 1.0 true" \
	"plugin list shows hello 1.0.0 loaded with ABI 1.0"
is "$(jq -r '[.[] | select(.loaded | not) | .name] | join(" ")' <<<"$list")" "" \
	"every plugin of the directory is loaded"
like_loaded=$(xdr plugin list | grep -c '^hello .*loaded')
is "$like_loaded" 1 "plugin list prints hello as loaded"

is "$(xdr admin hello status | jq -r .busy)" false "hello answers status"
is "$(xdr admin hello hello | jq -r .greeting)" "hello from a third party" \
	"hello answers its own action"
is "$(xdr events --json | jq -r '[.[] | select(.id == 9001) | .source] | join(" ")')" \
	hello "the event hello emitted is in the host's event log, from hello"

echo "1..$n"
[ "$failed" -eq 0 ]
