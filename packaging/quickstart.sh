#!/usr/bin/env bash
# The work behind the README's Quick start, and behind CI.
#
#   packaging/quickstart.sh demo   install what is needed, build, run the main job
#   packaging/quickstart.sh test   install what is needed, build, run every test
#   packaging/quickstart.sh console  the demo's data, then the web console on
#                                  http://127.0.0.1:8443/ (CONSOLE_PORT=N for
#                                  another port) until Ctrl-C
#   packaging/quickstart.sh deb    install what is needed, build the .deb files,
#                                  install them into a clean root, run the demo
#                                  and a third-party plugin from there
#   packaging/quickstart.sh deps   only install what is needed (Debian 12, as root)
#
# The build goes to _build/ (out of tree) and installs into _build/stage/, so
# the demo runs the host and the plugin from their installed layout. Each
# stage prints its duration. "test" ends with one line "N passed, N failed".
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/_build"
stage_dir="$build/stage"
jobs=$(nproc 2>/dev/null || echo 2)

# Debian packages: the build, the libraries, and the tools the tests use
# (jq reads JSON in the integration tests, sqlite3 inspects stores, script(1)
# from bsdutils gives a test a terminal, curl talks to the sandbox, openssl
# makes the self-signed certificate of the TLS tests; valgrind checks the unit
# tests' memory, clang and its runtime (libclang-rt) build the fuzz targets
# with libFuzzer; the demo prints its
# tables with jq and column(1), from bsdextrautils; dpkg-dev, debhelper,
# help2man (the manual pages) and lintian build and check the Debian
# packages; zip makes the Windows package, whose toolchain, Wine and
# libraries packaging/windows/build-deps.sh installs and builds; chromium
# and nodejs run the console's browser tests, with npm, which comes with
# some builds of nodejs and is a package of its own in Debian's).
packages=(
	build-essential autoconf automake libtool libltdl-dev pkg-config
	libcurl4-openssl-dev libjson-c-dev libsqlite3-dev libmicrohttpd-dev
	libssl-dev zlib1g-dev libcmocka-dev
	jq sqlite3 bsdutils bsdextrautils binutils curl openssl
	valgrind clang libclang-rt-dev
	dpkg-dev debhelper lintian help2man zip unzip
	chromium nodejs
)

usage() {
	sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
}

stage() {
	local name=$1
	shift
	local start=$SECONDS
	echo "== $name"
	if "$@"; then
		echo "== $name: done in $((SECONDS - start)) s"
	else
		local rc=$?
		echo "== $name: FAILED (exit $rc) after $((SECONDS - start)) s"
		return "$rc"
	fi
}

install_deps() {
	local missing=()
	for p in "${packages[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || missing+=("$p")
	done
	command -v npm >/dev/null || missing+=(npm)
	if [ ${#missing[@]} -eq 0 ]; then
		echo "all ${#packages[@]} packages are installed"
		return 0
	fi
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages: ${missing[*]}" >&2
		echo "run as root, or: sudo apt-get install ${missing[*]}" >&2
		return 1
	fi
	echo "installing: ${missing[*]}"
	apt-get update -q
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		"${missing[@]}"
}

configure_tree() {
	cd "$root"
	autoreconf -fi
	mkdir -p "$build"
	cd "$build"
	"$root/configure" --prefix="$stage_dir" --enable-werror --quiet
}

build_tree() {
	make -C "$build" -j"$jobs" --no-print-directory
}

install_tree() {
	make -C "$build" install --no-print-directory >/dev/null
}

# The main job on the embedded default: a reference host with the example
# inventory, the itglue plugin, and IT Glue played by itglue-sandbox with the
# demo data, as the seed's walk-through goes: enable the integration, add an
# instance, Test Connection, import, Auto Map, the Mapping page; then a
# report configuration that publishes to IT Glue, a report, the flexible
# asset it became, and the events, as a user would see them.
run_demo() {
	demo_from "$stage_dir/bin" "$stage_dir/share/openxdr-itglue" \
		"$build/demo-home"
}

# The demo with the programs of BINDIR and the data of DATADIR (demo.json,
# examples/) as installed, in the host home HOME. With a fourth argument
# "keep", the sandbox keeps running afterwards (its pid in demo_sandbox_pid).
demo_sandbox_pid=
demo_from() {
	local bindir=$1 datadir=$2 home=$3 keep=${4:-}
	local host="$bindir/xdr-host"
	local sandbox="$bindir/itglue-sandbox"
	local examples="$datadir/examples"
	local port_file="$home.port"
	rm -rf "$home" "$port_file"
	"$sandbox" --data "$datadir/demo.json" --port 0 \
		--port-file "$port_file" --quiet >"$home-sandbox.log" 2>&1 &
	local sandbox_pid=$!
	trap 'kill $sandbox_pid 2>/dev/null' EXIT
	for _ in $(seq 1 100); do
		[ -s "$port_file" ] && break
		sleep 0.1
	done
	[ -s "$port_file" ] || {
		cat "$home-sandbox.log" >&2
		return 1
	}
	local url="http://127.0.0.1:$(cat "$port_file")"
	echo "IT Glue sandbox at $url (demo data: $datadir/demo.json)"
	set -x
	"$host" --home "$home" setting set psa_rmm_integration on
	"$host" --home "$home" inventory load "$examples/inventory.json"
	"$host" --home "$home" group list
	"$host" --home "$home" system list
	"$host" --home "$home" plugin list
	"$host" --home "$home" admin itglue status
	# The request holds the API key: on standard input, never on a
	# command line, where ps and shell histories would show it.
	"$host" --home "$home" admin itglue instance.add - <<EOF
{"name": "Demo", "url": "$url", "api_key": "ITG.demo-us-0000000000000000"}
EOF
	"$host" --home "$home" admin itglue instance.groups \
		'{"instance": "Demo", "groups": ["Default", "Globex", "Lab"]}'
	"$host" --home "$home" admin itglue instance.test '{"instance": "Demo"}'
	"$host" --home "$home" admin itglue import \
		'{"instance": "Demo", "feature": "organizations"}'
	"$host" --home "$home" admin itglue import \
		'{"instance": "Demo", "feature": "configurations"}'
	"$host" --home "$home" admin itglue automap '{"instance": "Demo"}'
	{ set +x; } 2>/dev/null
	echo
	echo "Mapping (admin itglue mappings '{\"instance\": \"Demo\"}'):"
	"$host" --home "$home" admin itglue mappings '{"instance": "Demo"}' |
		jq -r '(.groups[] | ["group", .name, .state, (.organization // "-"),
		        (.source // "-"), (.reason // "")]),
		       (.systems[] | ["system", .name, .state,
		        (.configuration // "-"), (.source // "-"),
		        (.reason // "")]) | @tsv' | column -t -s "$(printf '\t')"
	echo
	echo "Publishing (the guide's section 7):"
	set -x
	"$host" --home "$home" report config add "EDR Summary Reports" \
		--group Default --publish-itglue
	"$host" --home "$home" report generate --config "EDR Summary Reports" \
		--title "EDR Summary Reports" \
		--file "$examples/edr-summary.html" \
		--system ACME-DC01 --system ACME-WS01
	{ set +x; } 2>/dev/null
	echo
	echo "The flexible asset as the IT Glue sandbox holds it:"
	curl -s "$url/_sandbox/data" | jq '.flexible_assets[] | {
		name, "organization-id", "flexible-asset-type-id",
		"Report Name": .traits["report-name"],
		"Report Generation Date": .traits["report-generation-date"],
		"Report File": .traits["report-file"].file_name,
		"Expiry Date": .traits["expiry-date"],
		"Related Items": [.["related-items"][] |
			"\(.["destination-type"]) \(.["destination-id"])"]}'
	echo
	echo "Events:"
	"$host" --home "$home" events
	trap - EXIT
	if [ "$keep" = keep ]; then
		demo_sandbox_pid=$sandbox_pid
		return 0
	fi
	kill "$sandbox_pid" 2>/dev/null
	wait "$sandbox_pid" 2>/dev/null
	echo
	echo "The demo's home is $home; try: $host --home $home --help"
}

# The web console on the demo's data: the demo in its own home (the sandbox
# left running), the console's password (asked on the terminal the first
# time, kept for the next runs; XDR_CONSOLE_PASSWORD gives it without a
# terminal), then "xdr-host console" on loopback until Ctrl-C.
run_console() {
	local home="$build/console-home" bindir="$stage_dir/bin"
	local kept="$build/console.passwd.kept"
	local port=${CONSOLE_PORT:-8443}
	rm -f "$kept"
	[ -f "$home/console.passwd" ] && cp -p "$home/console.passwd" "$kept"
	demo_from "$bindir" "$stage_dir/share/openxdr-itglue" "$home" keep \
		>"$build/console-demo.out" 2>&1 || {
		tail -30 "$build/console-demo.out"
		return 1
	}
	trap 'kill $demo_sandbox_pid 2>/dev/null' EXIT
	echo "the demo's data is ready (what it did: $build/console-demo.out)"
	if [ -f "$kept" ]; then
		mv "$kept" "$home/console.passwd"
		echo "the console's password is the one set before" \
			"($bindir/xdr-host --home $home console passwd changes it)"
	elif [ -n "${XDR_CONSOLE_PASSWORD:-}" ]; then
		printf '%s\n' "$XDR_CONSOLE_PASSWORD" |
			"$bindir/xdr-host" --home "$home" console passwd || return
	else
		echo "choose the console's password (12 characters or more):"
		"$bindir/xdr-host" --home "$home" console passwd || return
	fi
	echo "open http://127.0.0.1:$port/ in a browser on this machine (from" \
		"another: ssh -L $port:127.0.0.1:$port THIS-HOST); Ctrl-C stops"
	local rc=0
	"$bindir/xdr-host" --home "$home" console --listen "127.0.0.1:$port" ||
		rc=$?
	kill "$demo_sandbox_pid" 2>/dev/null
	wait "$demo_sandbox_pid" 2>/dev/null
	trap - EXIT
	return "$rc"
}

# The browser tests (tests/browser/): playwright-core at the version its
# package-lock.json fixes, driving Debian's chromium through the seed's
# walk-throughs and the console's security cases; screenshots of every
# screen are kept in _build/tests/browser/artefacts/. Its TAP cases count in
# the summary.
run_browser() {
	if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
		echo "node and npm are missing: apt-get install nodejs npm" >&2
		return 1
	fi
	rm -f "$build/tests/browser/browser.log"
	npm ci --prefix "$root/tests/browser" --no-audit --no-fund \
		--loglevel=error || return 1
	make -C "$build" check-browser --no-print-directory
}

# The Debian packages, built by deb-build.sh (lintian errors fail it) and
# installed with dpkg --root into an empty root. Their dependencies are
# resolved against this machine's Debian with apt-get --simulate; then the
# demo and a third-party plugin run from the root's files alone (the host
# finds the root's plugin directory through XDR_PLUGIN_DIR, the libraries
# come from this machine).
run_debian() {
	local out="$build/deb" droot="$build/deb-root"
	"$root/packaging/deb-build.sh" "$out" || return
	local debs=("$out"/openxdr-host-sdk_*.deb "$out"/openxdr-itglue_*.deb)

	echo "dependencies (apt-get install --simulate):"
	apt-get install --simulate "${debs[@]}" >"$out/apt-simulate.log" 2>&1 || {
		cat "$out/apt-simulate.log"
		return 1
	}
	grep '^Inst ' "$out/apt-simulate.log" | sed 's/^/  /'

	echo "dpkg --root $droot -i ${debs[*]##*/}"
	rm -rf "$droot"
	mkdir -p "$droot/var/lib/dpkg/info" "$droot/var/lib/dpkg/updates"
	: >"$droot/var/lib/dpkg/status"
	# The root holds our packages only, so their dependencies are forced.
	dpkg --root="$droot" --force-depends -i "${debs[@]}" >"$out/dpkg.log" 2>&1 || {
		cat "$out/dpkg.log"
		return 1
	}
	dpkg --root="$droot" --verify || return
	dpkg-query --admindir="$droot/var/lib/dpkg" -W \
		-f='  ${Package} ${Version} ${db:Status-Abbrev}\n'

	local triplet
	triplet=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	local bindir="$droot/usr/bin" home="$out/demo-home"
	local plugindir="$droot/usr/lib/$triplet/openxdr-itglue/plugins"
	echo "the demo from the installed files (output in $out/demo.out):"
	(
		export XDR_PLUGIN_DIR="$plugindir"
		demo_from "$bindir" "$droot/usr/share/openxdr-itglue" "$home"
	) >"$out/demo.out" 2>&1 || {
		tail -30 "$out/demo.out"
		return 1
	}
	local loaded published
	loaded=$("$bindir/xdr-host" --home "$home" --plugin-dir "$plugindir" \
		plugin list --json | jq -r '.[] | select(.loaded) | .name')
	published=$("$bindir/xdr-host" --home "$home" --plugin-dir "$plugindir" \
		events --json | jq '[.[] | select(.id == 4021)] | length')
	echo "  plugins loaded: $loaded; reports published (event 4021): $published"
	[ "$loaded" = itglue ] && [ "$published" -ge 1 ] || return 1

	local kp
	kp=$(find "$droot/usr/lib/$triplet/openxdr-itglue" -maxdepth 1 -name '*.kp' |
		head -n 1)
	if [ -n "$kp" ]; then
		echo "the packaged knowledge pack into a new home:"
		rm -rf "$out/kp-home"
		"$bindir/xdr-host" --home "$out/kp-home" --plugin-dir "$plugindir" \
			kp install "$kp" | sed 's/^/  /' || return 1
	fi

	echo "a third-party plugin against the installed SDK:"
	"$root/tests/thirdparty/build_and_load.sh" "$droot" | sed 's/^/  /'
}

# make check, with its log kept for the summary.
# Configures the tree again in DIR with ARGS (warnings as errors) and builds
# it there; on failure shows the end of what went wrong.
build_again() {
	local dir=$1
	shift
	mkdir -p "$dir"
	(cd "$dir" && "$root/configure" "$@" --enable-werror --quiet) \
		>"$dir/configure.out" 2>&1 || {
		tail -20 "$dir/configure.out"
		return 1
	}
	make -C "$dir" -j"$jobs" --no-print-directory >"$dir/build.out" 2>&1 || {
		tail -30 "$dir/build.out"
		return 1
	}
}

run_checks() {
	make -C "$build" -j"$jobs" check --no-print-directory 2>&1 |
		tee "$build/check.out"
}

# The whole suite again, built with AddressSanitizer (leaks included) and
# UndefinedBehaviorSanitizer (configure --enable-sanitizers): any finding
# fails the program that made it, and so its test.
san_build="$root/_build/sanitizers"
run_sanitizers() {
	build_again "$san_build" --enable-sanitizers || return 1
	make -C "$san_build" -j"$jobs" check --no-print-directory \
		>"$san_build/check.out" 2>&1
	local rc=$?
	grep -E '^(FAIL|ERROR):|^# (TOTAL|PASS|FAIL|ERROR)' \
		"$san_build/check.out" | tail -20
	return $rc
}

# The unit test programs again under valgrind's memcheck (tests/valgrind.sh):
# an error or memory definitely or indirectly lost fails the program.
run_valgrind() {
	make -C "$build" check-valgrind --no-print-directory \
		VALGRIND_JOBS="$jobs" 2>&1 | tee "$build/valgrind.out" |
		grep -E '^FAIL:|^# (TOTAL|PASS|FAIL)'
	return "${PIPESTATUS[0]}"
}

# The fuzz targets (tests/fuzz/): the whole tree built again with clang,
# libFuzzer's coverage, ASan and UBSan in _build/fuzz/, then each target
# fuzzed FUZZ_SECONDS (default 60) from its seeds; a crash, leak, hang or
# failed check fails its case. Its TAP cases count in the summary.
fuzz_build="$root/_build/fuzz"
run_fuzz() {
	build_again "$fuzz_build" CC=clang --enable-fuzzing || return 1
	make -C "$fuzz_build" fuzz --no-print-directory \
		FUZZ_SECONDS="${FUZZ_SECONDS:-60}" FUZZ_JOBS="$jobs" \
		>"$fuzz_build/fuzz.out" 2>&1
	local rc=$?
	grep -E '^(ok|not ok|#)' "$fuzz_build/fuzz.out" | head -60
	return $rc
}

# The bounded fault soak (tests/soak/): reports and auto-maps against a
# sandbox failing 10% of requests at random, the host killed and restarted;
# its TAP cases count in the summary.
run_soak() {
	make -C "$build" soak --no-print-directory >"$build/soak.out" 2>&1
	local rc=$?
	grep -E '^(ok|not ok|# (seed|kills|reports|requests|time))' \
		"$build/soak.out"
	return $rc
}

run_distcheck() {
	make -C "$build" -j"$jobs" distcheck --no-print-directory \
		>"$build/distcheck.out" 2>&1 || {
		tail -50 "$build/distcheck.out"
		return 1
	}
	grep -E '^(# (TOTAL|PASS|FAIL|ERROR)|=+$|.*archives ready)' \
		"$build/distcheck.out" | tail -5
}

# The Windows build: the libraries, the cross build and its make check
# under Wine (the log is _build/win/check.log), then the zip.
run_windows() {
	make -C "$build" win-check --no-print-directory &&
		make -C "$build" win-package --no-print-directory
}

# One line for the whole suite: every TAP case of make check, native and
# under Wine, plus distcheck, the format check, the Debian packages and the
# Windows package as one test each.
summarise() {
	local pass fail logs=("$build/check.out") taps=()
	[ -f "$san_build/check.out" ] && logs+=("$san_build/check.out")
	[ -f "$build/valgrind.out" ] && logs+=("$build/valgrind.out")
	[ -f "$root/_build/win/check.log" ] && logs+=("$root/_build/win/check.log")
	[ -f "$fuzz_build/fuzz.out" ] && taps+=("$fuzz_build/fuzz.out")
	[ -f "$build/soak.out" ] && taps+=("$build/soak.out")
	local browser_log="$build/tests/browser/browser.log"
	[ -f "$browser_log" ] && taps+=("$browser_log")
	pass=$(awk '/^# PASS:/ { s += $3 } END { print s + 0 }' "${logs[@]}")
	fail=$(awk '/^# (FAIL|ERROR|XPASS):/ { s += $3 } END { print s + 0 }' \
		"${logs[@]}")
	# The fuzz, soak and browser runs print bare TAP: a case is "ok" or "not ok"
	# (a "# SKIP" counts as neither, a "not ok ... # TODO" is a known gap).
	if [ ${#taps[@]} -gt 0 ]; then
		pass=$((pass + $(cat "${taps[@]}" | grep -E '^ok ' |
			grep -vc '# SKIP' || true)))
		fail=$((fail + $(cat "${taps[@]}" | grep -E '^not ok ' |
			grep -vc '# TODO' || true)))
		# A run that could not start (a missing browser) says "Bail out!".
		fail=$((fail + $(cat "${taps[@]}" | grep -c '^Bail out!' || true)))
	fi
	local rc
	for rc in "$@"; do
		if [ "$rc" -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	done
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

main() {
	local cmd=${1:-}
	case $cmd in
	deps)
		stage "install packages" install_deps
		;;
	demo)
		stage "install packages" install_deps
		stage "configure" configure_tree
		stage "build" build_tree
		stage "install into _build/stage" install_tree
		stage "demo" run_demo
		;;
	test)
		local total=$SECONDS check_rc=0 san_rc=0 dist_rc=0 fmt_rc=0 deb_rc=0
		local win_rc=0 vg_rc=0 fuzz_rc=0 soak_rc=0 browser_rc=0
		stage "install packages" install_deps
		stage "configure" configure_tree
		stage "build" build_tree
		stage "make check" run_checks || check_rc=$?
		rm -f "$build/valgrind.out"
		stage "unit tests under valgrind" run_valgrind || vg_rc=$?
		rm -f "$build/soak.out"
		stage "fault soak (bounded)" run_soak || soak_rc=$?
		stage "browser tests (Playwright, Chromium)" run_browser ||
			browser_rc=$?
		rm -f "$san_build/check.out"
		stage "make check, sanitizers (ASan, UBSan)" run_sanitizers ||
			san_rc=$?
		rm -f "$fuzz_build/fuzz.out"
		stage "fuzzing (libFuzzer, ASan, UBSan)" run_fuzz || fuzz_rc=$?
		stage "make distcheck" run_distcheck || dist_rc=$?
		stage "format check" make -C "$build" format-check --no-print-directory ||
			fmt_rc=$?
		stage "Debian packages" run_debian || deb_rc=$?
		rm -f "$root/_build/win/check.log"
		stage "Windows: cross build, tests under Wine, zip" run_windows ||
			win_rc=$?
		echo "== total: $((SECONDS - total)) s"
		[ -f "$build/check.out" ] || : >"$build/check.out"
		summarise "$dist_rc" "$fmt_rc" "$deb_rc" "$win_rc" &&
			[ "$check_rc" -eq 0 ] && [ "$san_rc" -eq 0 ] &&
			[ "$vg_rc" -eq 0 ] && [ "$soak_rc" -eq 0 ] &&
			[ "$fuzz_rc" -eq 0 ] && [ "$browser_rc" -eq 0 ]
		;;
	console)
		stage "install packages" install_deps
		stage "configure" configure_tree
		stage "build" build_tree
		stage "install into _build/stage" install_tree
		run_console
		;;
	deb)
		stage "install packages" install_deps
		stage "Debian packages" run_debian
		;;
	-h | --help | help)
		usage
		;;
	*)
		usage >&2
		exit 2
		;;
	esac
}

main "$@"
