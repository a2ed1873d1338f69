#!/bin/sh
# The command line of xdr-host: help, versions, usage errors, home resolution.
. "$top_srcdir/tests/integration/lib.sh"

run --help
is "$rc" 0 "--help exits 0"
for cmd in setting group system inventory plugin admin report tick run events; do
	like "$out" "(^|[[:space:]])$cmd([[:space:]]|$)" "--help lists the command '$cmd'"
done

run --version
is "$rc" 0 "--version exits 0"
like "$out" "[0-9]+\.[0-9]+\.[0-9]+" "--version prints a version"
like "$out" "ABI 1\.0" "--version names the plugin ABI it hosts"

run
is "$rc" 2 "no command is a usage error (exit 2)"
like "$err" "usage|Usage" "no command prints the usage on stderr"

run frobnicate
is "$rc" 2 "an unknown command exits 2"
like "$err" "frobnicate" "an unknown command is named in the error"

run group list --frobnicate
is "$rc" 2 "an unknown option exits 2"
like "$err" "frobnicate" "an unknown option is named in the error"

for cmd in "setting" "group" "system" "inventory" "plugin" "admin" "report" \
	"report config" "report generate" "tick" "run" "events" "group add" \
	"system add" "setting set"; do
	# shellcheck disable=SC2086
	run $cmd --help
	is "$rc" 0 "'$cmd --help' exits 0"
	like "$out" "[Uu]sage" "'$cmd --help' prints its usage on stdout"
done

run group add
is "$rc" 2 "group add without a name is a usage error"

run system add WS-01
is "$rc" 2 "system add without --group is a usage error"

run setting set psa_rmm_integration maybe
isnt "$rc" 0 "a bad setting value is refused"
like "$err" "on.*off|off.*on" "the refusal names the accepted values"

run setting get psa_rmm_intgration
isnt "$rc" 0 "an unknown setting is refused"
like "$err" "psa_rmm_integration" "the refusal lists the known settings"

# The home: --home, else $XDR_HOME, else ./xdr-home.
mkdir -p "$TMP/cwd"
(cd "$TMP/cwd" && "$XDR_HOST_BIN" group add FromCwd >/dev/null 2>&1)
if [ -f "$TMP/cwd/xdr-home/xdr.db" ]; then
	pass "without --home or XDR_HOME the home is ./xdr-home"
else
	fail "without --home or XDR_HOME the home is ./xdr-home"
fi
(cd "$TMP/cwd" && XDR_HOME="$TMP/envhome" "$XDR_HOST_BIN" group add FromEnv \
	>/dev/null 2>&1)
if [ -f "$TMP/envhome/xdr.db" ]; then
	pass "XDR_HOME names the home"
else
	fail "XDR_HOME names the home"
fi
out=$(cd "$TMP/cwd" && XDR_HOME="$TMP/envhome" "$XDR_HOST_BIN" \
	--home "$TMP/cwd/xdr-home" group list --json)
is "$(json '[.[].name] | join(",")')" "FromCwd" "--home wins over XDR_HOME"
if [ "$WINDOWS" = yes ]; then
	# Windows has no mode bits: the home's access list (owner, SYSTEM,
	# Administrators; compat/fs_win32.c) is what keeps it private.
	pass "# SKIP on Windows, a home is private by its access list"
else
	mode=$(stat -c %a "$TMP/envhome")
	is "$mode" 700 "a new home is private to its owner (0700)"
fi

done_testing
