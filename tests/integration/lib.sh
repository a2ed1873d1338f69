# Shared helpers of the integration tests: TAP output, a private home and
# plugin directory per script, and a runner for xdr-host.
#
# A script sources this file, calls the assertions below, and ends with
# done_testing. Each assertion prints one TAP line; failures print what was
# expected and what came, as TAP diagnostics.

set -u

: "${top_builddir:?run through make check, or export top_builddir}"
: "${top_srcdir:?run through make check, or export top_srcdir}"
EXT=${LT_MODULE_EXT:-.so}
ITGLUE_SO="$top_builddir/plugin/.libs/itglue$EXT"
TEST_PLUGINS="$top_builddir/tests/plugins/.libs"
# A cross build for Windows: xdr-host.exe runs under Wine ($XDR_WINE), and
# WINDOWS=yes lets a script skip what Windows has not (a written reason
# each time: mode bits, the key file DPAPI makes needless).
WINDOWS=no
[ -z "${XDR_WINE:-}" ] || WINDOWS=yes

command -v jq >/dev/null 2>&1 || {
	echo "1..0 # SKIP jq is not installed (apt-get install jq)"
	exit 0
}

TMP=$(mktemp -d "${TMPDIR:-/tmp}/xdr-it.XXXXXX") || exit 99
trap 'rm -rf "$TMP"' EXIT
HOME_DIR="$TMP/home"
# runnable PROGRAM : a command that runs the program PROGRAM of this build
# (a path without .exe): PROGRAM itself, or under Wine a script of
# $TMP/bin that runs PROGRAM.exe, so that scripts call it as they would the
# native program (also through script(1), or in the background to be
# killed: exec keeps the pid). It runs the real .libs/PROGRAM.exe where
# libtool made a wrapper .exe, which would start it as a child that a kill
# misses.
runnable() {
	if [ "$WINDOWS" = no ]; then
		printf '%s\n' "$1"
		return
	fi
	set -- "$1" "$(dirname "$1")" "$(basename "$1")"
	exe="$2/$3$EXEEXT"
	[ ! -f "$2/.libs/$3$EXEEXT" ] || exe="$2/.libs/$3$EXEEXT"
	mkdir -p "$TMP/bin"
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$XDR_WINE" "$exe" \
		>"$TMP/bin/$3"
	chmod +x "$TMP/bin/$3"
	printf '%s\n' "$TMP/bin/$3"
}
XDR_HOST_BIN=$(runnable "$top_builddir/host-sdk/xdr-host/xdr-host")

PLUGIN_DIR="$TMP/plugins"
mkdir -p "$PLUGIN_DIR"
unset XDR_HOME XDR_PLUGIN_DIR

tap_count=0
tap_failures=0
rc=0 out= err=

# What an absolute path the host prints looks like: /x, or C:\x on Windows.
ABS_PATH_RE='^/'
[ "$WINDOWS" = no ] || ABS_PATH_RE='^[A-Za-z]:[\\/]'

# host_path PATH : a path xdr-host printed, as this shell opens it (under
# Wine the host prints Windows paths: Z:\tmp\x for /tmp/x).
host_path() {
	if [ "$WINDOWS" = yes ]; then
		winepath -u "$1" 2>/dev/null
	else
		printf '%s\n' "$1"
	fi
}

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

pass() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count - $1"
}

fail() {
	tap_count=$((tap_count + 1))
	tap_failures=$((tap_failures + 1))
	echo "not ok $tap_count - $1"
}

done_testing() {
	echo "1..$tap_count"
	[ "$tap_failures" -eq 0 ]
}

# use_plugins NAME... : the plugin directory holds exactly these plugins.
# "itglue" is the product's plugin; any other name is a test plugin.
use_plugins() {
	rm -rf "$PLUGIN_DIR"
	mkdir -p "$PLUGIN_DIR"
	for name in "$@"; do
		if [ "$name" = itglue ]; then
			cp "$ITGLUE_SO" "$PLUGIN_DIR/itglue$EXT"
		else
			cp "$TEST_PLUGINS/$name$EXT" "$PLUGIN_DIR/$name$EXT"
		fi
	done
}

# run ARGS... : runs xdr-host on the script's home and plugin directory;
# sets $rc, $out (stdout) and $err (stderr).
run() {
	"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" "$@" \
		>"$TMP/stdout" 2>"$TMP/stderr" </dev/null
	rc=$?
	out=$(cat "$TMP/stdout")
	err=$(cat "$TMP/stderr")
}

# run_stdin TEXT ARGS... : like run, with TEXT on standard input.
run_stdin() {
	input=$1
	shift
	printf '%s' "$input" | "$XDR_HOST_BIN" --home "$HOME_DIR" \
		--plugin-dir "$PLUGIN_DIR" "$@" >"$TMP/stdout" 2>"$TMP/stderr"
	rc=$?
	out=$(cat "$TMP/stdout")
	err=$(cat "$TMP/stderr")
}

# is GOT WANT DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "got:  $1" "want: $2" "stderr: $err"
	fi
}

# isnt GOT UNWANTED DESCRIPTION
isnt() {
	if [ "$1" != "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "got what was not wanted: $1"
	fi
}

# like TEXT EXTENDED-REGEX DESCRIPTION
like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		pass "$3"
	else
		fail "$3"
		diag "text: $1" "does not match: $2"
	fi
}

# unlike TEXT EXTENDED-REGEX DESCRIPTION
unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		fail "$3"
		diag "text: $1" "matches, and should not: $2"
	else
		pass "$3"
	fi
}

# json FILTER : applies a jq filter to the last stdout, prints the result.
json() {
	printf '%s' "$out" | jq -r "$1" 2>/dev/null
}

# one_line TEXT : true if TEXT is exactly one line.
lines_of() {
	printf '%s\n' "$1" | wc -l | tr -d ' '
}
