#!/usr/bin/env bash
# The work behind the README's Quick start, and behind CI.
#
#   packaging/quickstart.sh demo   install what is needed, build, run the main job
#   packaging/quickstart.sh test   install what is needed, build, run every test
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
# makes the self-signed certificate of the TLS tests; the demo prints its
# tables with jq and column(1), from bsdextrautils).
packages=(
	build-essential autoconf automake libtool libltdl-dev pkg-config
	libcurl4-openssl-dev libjson-c-dev libsqlite3-dev libmicrohttpd-dev
	libssl-dev zlib1g-dev libcmocka-dev
	jq sqlite3 bsdutils bsdextrautils binutils curl openssl
)

usage() {
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
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
	local home="$build/demo-home"
	local host="$stage_dir/bin/xdr-host"
	local sandbox="$stage_dir/bin/itglue-sandbox"
	local port_file="$build/demo-sandbox.port"
	rm -rf "$home" "$port_file"
	"$sandbox" --data "$root/host-sdk/sandbox/demo.json" --port 0 \
		--port-file "$port_file" --quiet >"$build/demo-sandbox.log" 2>&1 &
	local sandbox_pid=$!
	trap 'kill $sandbox_pid 2>/dev/null' EXIT
	for _ in $(seq 1 100); do
		[ -s "$port_file" ] && break
		sleep 0.1
	done
	[ -s "$port_file" ] || {
		cat "$build/demo-sandbox.log" >&2
		return 1
	}
	local url="http://127.0.0.1:$(cat "$port_file")"
	echo "IT Glue sandbox at $url (demo data: host-sdk/sandbox/demo.json)"
	set -x
	"$host" --home "$home" setting set psa_rmm_integration on
	"$host" --home "$home" inventory load "$root/host-sdk/examples/inventory.json"
	"$host" --home "$home" group list
	"$host" --home "$home" system list
	"$host" --home "$home" plugin list
	"$host" --home "$home" admin itglue status
	"$host" --home "$home" admin itglue instance.add \
		"{\"name\": \"Demo\", \"url\": \"$url\", \"api_key\": \"ITG.demo-us-0000000000000000\"}"
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
		--file "$root/host-sdk/examples/edr-summary.html" \
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
	kill "$sandbox_pid" 2>/dev/null
	wait "$sandbox_pid" 2>/dev/null
	trap - EXIT
	echo
	echo "The demo's home is $home; try: $host --home $home --help"
}

# make check, with its log kept for the summary.
run_checks() {
	make -C "$build" -j"$jobs" check --no-print-directory 2>&1 |
		tee "$build/check.out"
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

# One line for the whole suite: every TAP case of make check, plus distcheck
# and the format check as one test each.
summarise() {
	local pass fail
	pass=$(awk '/^# PASS:/ { s += $3 } END { print s + 0 }' "$build/check.out")
	fail=$(awk '/^# (FAIL|ERROR|XPASS):/ { s += $3 } END { print s + 0 }' \
		"$build/check.out")
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
		local total=$SECONDS check_rc=0 dist_rc=0 fmt_rc=0
		stage "install packages" install_deps
		stage "configure" configure_tree
		stage "build" build_tree
		stage "make check" run_checks || check_rc=$?
		stage "make distcheck" run_distcheck || dist_rc=$?
		stage "format check" make -C "$build" format-check --no-print-directory ||
			fmt_rc=$?
		echo "== total: $((SECONDS - total)) s"
		[ -f "$build/check.out" ] || : >"$build/check.out"
		summarise "$dist_rc" "$fmt_rc" && [ "$check_rc" -eq 0 ]
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
