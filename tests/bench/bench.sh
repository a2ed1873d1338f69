#!/bin/sh
# The benchmark of the IT Glue plugin: the real plugin in the real host
# (xdr-host) against itglue-sandbox with generated data, a per-request
# latency and the default rate limit. See tests/bench/README.md.
#
#   bench.sh [--json FILE] [--latency-ms N] [--only N] [--quick] [--keep]
#
# Run by `make bench` (top_srcdir and top_builddir set as for the tests).
# Prints one table row per scenario and a pass/fail per target; --json
# writes the same as JSON. Exit 0 when every measured target holds, 1 when
# one fails, 2 for bad usage or a broken setup (the message says what).
set -eu

: "${top_builddir:?run through make bench, or export top_builddir}"
: "${top_srcdir:?run through make bench, or export top_srcdir}"

usage() {
	echo "usage: bench.sh [--json FILE] [--latency-ms N] [--only 1-5] [--quick] [--keep]"
}

JSON_OUT=
LATENCY_MS=150
ONLY=
QUICK=no
KEEP=no
while [ $# -gt 0 ]; do
	case $1 in
	--json) JSON_OUT=${2:?--json needs a file}; shift 2 ;;
	--json=*) JSON_OUT=${1#*=}; shift ;;
	--latency-ms) LATENCY_MS=${2:?--latency-ms needs a number}; shift 2 ;;
	--latency-ms=*) LATENCY_MS=${1#*=}; shift ;;
	--only) ONLY=${2:?--only needs a scenario number}; shift 2 ;;
	--only=*) ONLY=${1#*=}; shift ;;
	--quick) QUICK=yes; shift ;;
	--keep) KEEP=yes; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage >&2; echo "bench: unknown option '$1'" >&2; exit 2 ;;
	esac
done
case $LATENCY_MS in '' | *[!0-9]*) echo "bench: --latency-ms takes a number of milliseconds, not '$LATENCY_MS'" >&2; exit 2 ;; esac
case $ONLY in '' | [1-5]) ;; *) echo "bench: --only takes a scenario from 1 to 5, not '$ONLY'" >&2; exit 2 ;; esac

die() {
	echo "bench: $*" >&2
	exit 2
}
for tool in curl jq awk; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is needed (apt-get install $tool)"
done

EXT=${LT_MODULE_EXT:-.so}
EXE=${EXEEXT:-}
HOST_BIN=$top_builddir/host-sdk/xdr-host/xdr-host$EXE
SANDBOX_BIN=$top_builddir/host-sdk/sandbox/itglue-sandbox$EXE
MEASURE=$top_builddir/tests/bench/measure$EXE
INVENTORY=$top_builddir/tests/bench/bench-inventory$EXE
HOOK_LATENCY=$top_builddir/tests/bench/hook-latency$EXE
ITGLUE_SO=$top_builddir/plugin/.libs/itglue$EXT
for f in "$HOST_BIN" "$SANDBOX_BIN" "$MEASURE" "$INVENTORY"; do
	[ -x "$f" ] || die "$f is not built (run make bench)"
done
[ -f "$ITGLUE_SO" ] || die "$ITGLUE_SO is not built (run make)"

# What the floors are made of, read from the sources so that they follow
# the product: the transfers the plugin keeps in flight, and the rate limit
# it keeps to (IT Glue's, which the sandbox enforces by default).
define() { # NAME FILE
	sed -n "s/^#define $1 *(*\([0-9][0-9]*\).*/\1/p" "$2" | head -n 1
}
CONNECTIONS=$(define ITG_HTTP_PARALLEL_MAX "$top_srcdir/plugin/http.h")
RATE_REQUESTS=$(define ITG_RATE_DEFAULT_REQUESTS "$top_srcdir/plugin/ratelimit.h")
RATE_WINDOW_S=$(define ITG_RATE_DEFAULT_WINDOW_S "$top_srcdir/plugin/ratelimit.h")
PAGE_SIZE=$(define ITG_PAGE_SIZE_MAX "$top_srcdir/plugin/query.h")
for v in CONNECTIONS RATE_REQUESTS RATE_WINDOW_S PAGE_SIZE; do
	eval "[ -n \"\${$v}\" ]" || die "cannot read $v from the plugin's headers"
done

# The data of each scenario (--quick: a twentieth, for a smoke run).
if [ "$QUICK" = yes ]; then
	S1_ORGS=100 S1_CONFIGS=5000 S1_CONTACTS=1000 S1_SYSTEMS=3000
	S3_GROUPS=10 S3_REPORTS=50
else
	S1_ORGS=2000 S1_CONFIGS=100000 S1_CONTACTS=20000 S1_SYSTEMS=60000
	S3_GROUPS=200 S3_REPORTS=1000
fi
S1_IMPORTANT_PCT=20
S3_REPORT_BYTES=204800
S5_REPORT_BYTES=$((7 * 1024 * 1024))
KEY=ITG.sandbox-us-0000000000000000
INSTANCE=Bench

TMP=$(mktemp -d "${TMPDIR:-/tmp}/xdr-bench.XXXXXX") || die "cannot create a temporary directory"
SANDBOX_PID=
cleanup() {
	stop_sandbox
	if [ "$KEEP" = yes ]; then
		echo "bench: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
RESULTS=$TMP/results
mkdir -p "$RESULTS"
PLUGIN_DIR=$TMP/plugins
mkdir -p "$PLUGIN_DIR"
cp "$ITGLUE_SO" "$PLUGIN_DIR/itglue$EXT"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
say() { printf '%s\n' "$*" >&2; }
calc() { awk "BEGIN { printf \"%s\", ($1) }"; }
# ceil(A/B)
pages() { calc "int(($1 + $2 - 1) / $2)"; }
# The shortest time N requests take under a sliding window of R requests
# per W seconds that starts empty: the first R go at once, each further R
# one window later.
rate_floor() { calc "($1 > 0 ? int(($1 - 1) / $RATE_REQUESTS) * $RATE_WINDOW_S : 0)"; }
# max(N requests at the latency spread over the connections, rate floor)
floor_of() {
	calc "(a = $1 * $LATENCY_MS / 1000 / $CONNECTIONS) > (b = $(rate_floor "$1")) ? a : b"
}

# ---- the sandbox ----

stop_sandbox() {
	if [ -n "$SANDBOX_PID" ]; then
		kill -TERM "$SANDBOX_PID" 2>/dev/null || :
		wait "$SANDBOX_PID" 2>/dev/null || :
		SANDBOX_PID=
	fi
}

# start_sandbox NAME ARGS... : one sandbox at a time; sets BASE.
start_sandbox() {
	name=$1
	shift
	stop_sandbox
	rm -f "$TMP/$name.port"
	"$SANDBOX_BIN" --quiet --port 0 --port-file "$TMP/$name.port" "$@" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" </dev/null &
	SANDBOX_PID=$!
	i=0
	while [ ! -s "$TMP/$name.port" ]; do
		kill -0 "$SANDBOX_PID" 2>/dev/null ||
			die "the sandbox ($*) did not start: $(cat "$TMP/$name.err")"
		i=$((i + 1))
		[ $i -lt 600 ] || die "the sandbox ($*) did not listen within 60 s"
		sleep 0.1
	done
	BASE=http://127.0.0.1:$(cat "$TMP/$name.port")
}

inspect() { # PATH
	curl -sS -g --max-time 120 "$BASE$1" || die "GET $1 from the sandbox failed"
}
requests_so_far() { inspect /_sandbox/counts | jq .total; }

# The sandbox's own time for a 1000-record page: a sandbox without latency,
# the median and the worst of a few answers, alone and four at once.
page_time() { # PATH-AND-QUERY : seconds
	curl -sS -g -o /dev/null -w '%{time_total}\n' -H "x-api-key: $KEY" \
		"$BASE$1" || die "GET $1 from the sandbox failed"
}
median_max() { # FILE of seconds : "median_ms max_ms"
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		printf "%.1f %.1f", v[int((NR + 1) / 2)] * 1000, v[NR] * 1000 }'
}
measure_sandbox() { # DATA-FILE
	orgs=$(jq -r '[.organizations[:100][].id] | join(",")' "$1")
	conf="/configurations?filter[organization_id]=$orgs&include=configuration_interfaces&sort=id&page[size]=$PAGE_SIZE"
	: >"$TMP/page-alone"
	for i in 1 2 3 4 5 6 7; do
		page_time "$conf&page[number]=$((i % 3 + 1))" >>"$TMP/page-alone"
	done
	: >"$TMP/page-four"
	t0=$(now)
	for round in 1 2 3; do
		pids=
		for i in 1 2 3 4; do
			page_time "$conf&page[number]=$i" >>"$TMP/page-four" &
			pids="$pids $!"
		done
		for p in $pids; do
			wait "$p"
		done
	done
	four_s=$(elapsed "$t0")
	: >"$TMP/page-contacts"
	for i in 1 2 3 4 5; do
		page_time "/contacts?filter[important]=true&sort=id&page[size]=$PAGE_SIZE" >>"$TMP/page-contacts"
	done
	set -- $(median_max "$TMP/page-alone")
	SBX_PAGE_MS=$1 SBX_PAGE_MAX_MS=$2
	SBX_FOUR_MS=$(calc "$four_s * 1000 / 12")
	set -- $(median_max "$TMP/page-contacts")
	SBX_CONTACTS_MS=$1
	jq -n --argjson median "$SBX_PAGE_MS" --argjson max "$SBX_PAGE_MAX_MS" \
		--argjson four "$SBX_FOUR_MS" --argjson contacts "$SBX_CONTACTS_MS" \
		--argjson latency "$LATENCY_MS" --argjson conns "$CONNECTIONS" '{
		configurations_page_ms: {median: $median, max: $max},
		configurations_page_ms_four_at_once: $four,
		contacts_page_ms: $contacts, latency_ms: $latency,
		pass: ($median <= $latency / 3 and $four * $conns <= $latency)}' \
		>"$RESULTS/sandbox.json"
}

# ---- the host ----

HOME_DIR=
host() {
	"$HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" "$@"
}
# host_ok WHAT ARGS... : runs the host; on failure says WHAT failed, and why.
host_ok() {
	what=$1
	shift
	if ! host "$@" >"$TMP/host.out" 2>"$TMP/host.err"; then
		die "$what failed: $(cat "$TMP/host.err") $(head -c 2000 "$TMP/host.out")"
	fi
}

# new_home DIR SPEC DATA-ARGS... : a sandbox with generated SPEC, its data
# in DIR/data.json, and the home DIR/home with the integration on and the
# instance; the inventory is made by bench-inventory DATA-ARGS.
new_home() {
	dir=$1
	spec=$2
	shift 2
	mkdir -p "$dir"
	HOME_DIR=$dir/home
	inspect /_sandbox/data >"$dir/data.json"
	t0=$(now)
	"$INVENTORY" "$dir/data.json" --out "$dir/inventory.json" \
		--request "$dir/groups.json" --instance "$INSTANCE" \
		--stats "$dir/stats.json" "$@" ||
		die "bench-inventory could not build the inventory of $spec"
	say "  inventory of $(jq .groups "$dir/stats.json") groups and $(jq .systems "$dir/stats.json") systems written in $(elapsed "$t0") s"
	host_ok "setting the integration on" setting set psa_rmm_integration on
	t0=$(now)
	host_ok "loading the inventory" inventory load "$dir/inventory.json"
	say "  $(cat "$TMP/host.out") in $(elapsed "$t0") s"
	host_ok "adding the instance" admin itglue instance.add \
		"{\"name\": \"$INSTANCE\", \"url\": \"$BASE\", \"api_key\": \"$KEY\"}"
	host_ok "giving the groups to the instance" admin itglue instance.groups - \
		<"$dir/groups.json"
	# The schedule would start auto-map at the first tick.
	host_ok "turning the schedule off" admin itglue config.set \
		'{"automap_interval_hours": 0}'
}

# set_faults JSON : the sandbox's faults (POST /_sandbox/faults).
set_faults() {
	curl -sS -g --max-time 20 -o /dev/null -f -X POST --data-binary "$1" \
		"$BASE/_sandbox/faults" || die "the sandbox refused the faults $1"
}

# measured NAME ARGS... : runs xdr-host ARGS under measure, the sandbox's
# request count before and after; RESULTS/NAME.{json,out,err}.
measured() {
	name=$1
	shift
	before=$(requests_so_far)
	set +e
	"$MEASURE" "$RESULTS/$name.measure.json" -- "$HOST_BIN" \
		--home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" "$@" \
		>"$RESULTS/$name.out" 2>"$RESULTS/$name.err" </dev/null
	status=$?
	set -e
	after=$(requests_so_far)
	REQUESTS=$((after - before))
	[ -f "$RESULTS/$name.measure.json" ] ||
		die "measure could not run xdr-host $*: $(cat "$RESULTS/$name.err")"
	WALL_S=$(jq .wall_s "$RESULTS/$name.measure.json")
	CPU_S=$(jq .cpu_s "$RESULTS/$name.measure.json")
	RSS_KB=$(jq .maxrss_kb "$RESULTS/$name.measure.json")
	if [ "$status" -ne 0 ]; then
		say "  xdr-host $1 $2 exited with status $status: $(head -c 2000 "$RESULTS/$name.err")"
		return 1
	fi
	return 0
}

# ---- results ----

# target NAME VALUE OP LIMIT TEXT : one target of the current scenario.
target() {
	pass=$(calc "($2 $3 $4) ? \"true\" : \"false\"")
	jq -n --arg name "$1" --argjson value "$2" --arg op "$3" \
		--argjson limit "$4" --arg text "$5" --argjson pass "$pass" \
		'{name: $name, value: $value, op: $op, limit: $limit, text: $text, pass: $pass}' \
		>>"$TARGETS"
}

# scenario_result ID NAME STATUS [DETAILS-JSON] : the row of a scenario from
# the last measured run (REQUESTS, MINIMUM, WALL_S, FLOOR_S, CPU_S, RSS_KB)
# and its targets.
scenario_result() {
	details=${4:-}
	[ -n "$details" ] || details='{}'
	jq -n --argjson id "$1" --arg name "$2" --arg status "$3" \
		--argjson requests "${REQUESTS:-null}" --argjson minimum "${MINIMUM:-null}" \
		--argjson wall "${WALL_S:-null}" --argjson floor "${FLOOR_S:-null}" \
		--argjson cpu "${CPU_S:-null}" --argjson rss "${RSS_KB:-null}" \
		--argjson details "$details" --slurpfile targets "$TARGETS" '{
		id: $id, name: $name, requests: $requests, minimum: $minimum,
		wall_s: $wall, floor_s: $floor, cpu_s: $cpu, maxrss_kb: $rss,
		targets: $targets, details: $details,
		status: (if $status != "" then $status
			elif ($targets | length) == 0 then "todo"
			elif all($targets[]; .pass) then "pass" else "fail" end)}' \
		>"$RESULTS/scenario-$1.json"
}

begin_scenario() {
	REQUESTS= MINIMUM= WALL_S= FLOOR_S= CPU_S= RSS_KB=
	TARGETS=$TMP/targets.$1
	: >"$TARGETS"
	SCENARIO_T0=$(now)
	say ""
	say "scenario $1: $2"
}

wanted() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

# ---- scenario 1: full auto-map of a large MSP ----

# The account of scenarios 1 and 2: S1_SPEC's data in a sandbox at the
# latency, and the home S1_DIR/home (new_home). Scenario 1 leaves both for
# scenario 2: S1_ACCOUNT once they are up, S1_MAPPED once a full auto-map
# of every group has run on them (the mark an incremental run starts from).
S1_SPEC=orgs=$S1_ORGS,configs=$S1_CONFIGS,contacts=$S1_CONTACTS,important=$S1_IMPORTANT_PCT
S1_DIR=$TMP/s1
S1_ACCOUNT=no
S1_MAPPED=no
s1_account() {
	t0=$(now)
	start_sandbox s1 --generate "$S1_SPEC" --latency-ms "$LATENCY_MS"
	say "  sandbox with $S1_SPEC and $LATENCY_MS ms of latency generated in $(elapsed "$t0") s"
	new_home "$S1_DIR" "$S1_SPEC" --groups "$S1_ORGS" --systems "$S1_SYSTEMS"
	S1_ACCOUNT=yes
	S1_MAPPED=no
}

scenario_1() {
	begin_scenario 1 "full auto-map, large MSP"
	spec=$S1_SPEC
	dir=$S1_DIR
	mkdir -p "$dir"
	# The sandbox's own time per page first, without latency.
	t0=$(now)
	start_sandbox s1-fast --generate "$spec" --latency-ms 0
	say "  sandbox with $spec generated in $(elapsed "$t0") s"
	inspect /_sandbox/data >"$dir/data.json"
	measure_sandbox "$dir/data.json"
	say "  sandbox alone: a $PAGE_SIZE-record page of configurations with interfaces in $SBX_PAGE_MS ms (median; worst $SBX_PAGE_MAX_MS ms), $SBX_FOUR_MS ms a page four at once; important contacts $SBX_CONTACTS_MS ms"
	s1_account
	say "  auto-map of $S1_ORGS groups and $S1_SYSTEMS systems, measured"
	if ! measured s1 admin itglue automap '{}' --wait-seconds 3600; then
		scenario_result 1 "full auto-map, large MSP" fail
		return
	fi
	S1_MAPPED=yes
	run=$RESULTS/s1.out
	groups_mapped=$(jq '.result.runs[0].groups.mapped // 0' "$run")
	systems_mapped=$(jq '.result.runs[0].systems.mapped // 0' "$run")
	plugin_requests=$(jq '.result.runs[0].requests // 0' "$run")
	HOME_DIR=$dir/home
	host_ok "reading the mappings" admin itglue mappings "{\"instance\": \"$INSTANCE\"}"
	mapped_configs=$(jq -n --slurpfile m "$TMP/host.out" --slurpfile s "$dir/stats.json" \
		'[$m[0].groups[] | select(.state == "mapped") | .organization_id]
		| unique | map($s[0].org_configurations[.] // 0) | add // 0')
	orgs=$(jq '.organizations | length' "$dir/data.json")
	important=$(jq .important_contacts "$dir/stats.json")
	MINIMUM=$(($(pages "$orgs" "$PAGE_SIZE") + $(pages "$important" "$PAGE_SIZE") + $(pages "$mapped_configs" "$PAGE_SIZE")))
	FLOOR_S=$(floor_of "$MINIMUM")
	target requests "$REQUESTS" "<=" "$(calc "1.05 * $MINIMUM")" "requests <= 1.05 x minimum"
	target wall_s "$WALL_S" "<=" "$(calc "1.3 * $FLOOR_S")" "wall <= 1.3 x floor"
	target cpu_s "$CPU_S" "<=" 5 "host CPU <= 5 s"
	target maxrss_kb "$RSS_KB" "<=" 131072 "peak RSS <= 128 MB"
	macs=$(jq .macs "$dir/stats.json")
	systems=$(jq .systems "$dir/stats.json")
	details=$(jq -n --argjson gm "$groups_mapped" --argjson sm "$systems_mapped" \
		--argjson pr "$plugin_requests" --argjson mc "$mapped_configs" \
		--argjson orgs "$orgs" --argjson imp "$important" \
		--argjson systems "$systems" --argjson macs "$macs" \
		--argjson groups "$S1_ORGS" --argjson configs "$S1_CONFIGS" \
		--argjson naive_floor "$(rate_floor "$macs")" --argjson requests "$REQUESTS" \
		--argjson wall "$WALL_S" '{
		groups: $groups, groups_mapped: $gm, systems: $systems,
		systems_mapped: $sm, plugin_counted_requests: $pr,
		organizations: $orgs, important_contacts: $imp,
		configurations: $configs, configurations_of_mapped_organizations: $mc,
		one_request_per_mac: {requests: $macs, floor_s: $naive_floor,
			requests_ratio: ($macs / $requests), floor_vs_wall: ($naive_floor / $wall)}}')
	scenario_result 1 "full auto-map, large MSP" "" "$details"
	say "  $groups_mapped of $S1_ORGS groups and $systems_mapped of $systems systems mapped; $REQUESTS requests (minimum $MINIMUM) in $WALL_S s (floor $FLOOR_S s)"
}

# ---- scenario 2: incremental auto-map ----

# read_of NAME MEMBER : how auto-map run NAME read the configurations
# (MEMBER read: full, incremental or none; reason: why in full, or -).
read_of() {
	jq -r --arg m "$2" '.result.runs[0].configurations[$m] // "-"' "$RESULTS/$1.out"
}

# mappings_of NAME : the instance's mappings now, groups and systems in id
# order, into RESULTS/NAME.mappings.json.
mappings_of() {
	host_ok "reading the mappings" admin itglue mappings "{\"instance\": \"$INSTANCE\"}"
	jq '{groups: (.groups | sort_by(.id)), systems: (.systems | sort_by(.id))}' \
		"$TMP/host.out" >"$RESULTS/$1.mappings.json" ||
		die "cannot read the mappings: $(head -c 2000 "$TMP/host.out")"
}

# requests_of NAME : the API requests of the last measured run (the last
# REQUESTS of the sandbox's log) into RESULTS/NAME.requests.json.
requests_of() {
	inspect /_sandbox/requests | jq --argjson n "$REQUESTS" \
		'[if $n > 0 then .requests[-$n:][] else empty end
		| {seq, method, route, query, status}]' >"$RESULTS/$1.requests.json" ||
		die "cannot read the sandbox's requests"
}

# s2_automap NAME REQUEST : a measured auto-map of scenario 2 (REQUEST as
# `admin itglue automap` takes it), its requests kept as requests_of does;
# a run that fails fails the scenario (status 1).
s2_automap() {
	if ! measured "$1" admin itglue automap "$2" --wait-seconds 3600; then
		scenario_result 2 "incremental auto-map" fail
		return 1
	fi
	requests_of "$1"
}

# touch_configurations EVERY : every EVERYth configuration changes (new
# updated-at and MACs); the sandbox's answer in RESULTS/s2-touch.json.
touch_configurations() {
	curl -sS -g --max-time 120 -f -X POST \
		--data-binary "{\"resource\": \"configurations\", \"every\": $1}" \
		"$BASE/_sandbox/touch" >"$RESULTS/s2-touch.json" ||
		die "the sandbox refused to touch every $1th configuration"
}

scenario_2() {
	begin_scenario 2 "incremental auto-map"
	if [ "$S1_ACCOUNT" != yes ]; then
		say "  scenario 1's account first"
		mkdir -p "$S1_DIR"
		s1_account
	fi
	HOME_DIR=$S1_DIR/home
	if [ "$S1_MAPPED" != yes ]; then
		t0=$(now)
		host_ok "the first auto-map (full) of scenario 1's account" \
			admin itglue automap '{}' --wait-seconds 3600
		S1_MAPPED=yes
		say "  first auto-map (full, not measured): $(jq -c '.result.runs[0].configurations' "$TMP/host.out") in $(elapsed "$t0") s"
	fi
	mappings_of s2-before

	# (a) Nothing changed since the full read.
	say "  auto-map again, nothing changed, measured"
	s2_automap s2-unchanged '{}' || return
	a_requests=$REQUESTS a_wall=$WALL_S a_cpu=$CPU_S a_rss=$RSS_KB
	a_read=$(read_of s2-unchanged read) a_reason=$(read_of s2-unchanged reason)
	say "  nothing changed: $REQUESTS requests in $WALL_S s, configurations read $a_read$([ "$a_reason" = - ] || echo " ($a_reason)")"

	# (b) 1% of the configurations changed.
	touch_configurations 100
	touched=$(jq '.touched' "$RESULTS/s2-touch.json")
	# Of them, those of organizations that auto-map mapped: the ones the
	# plugin keeps. It reads the others too when its listing is of the
	# whole account (more mapped organizations than fit in one filter).
	touched_mapped=$(jq -n --slurpfile t "$RESULTS/s2-touch.json" \
		--slurpfile d "$S1_DIR/data.json" --slurpfile m "$RESULTS/s2-before.mappings.json" '
		($m[0].groups | map(select(.state == "mapped") | {key: .organization_id, value: true})
		| from_entries) as $mapped
		| (reduce $d[0].configurations[] as $c ({}; .[$c.id | tostring] = ($c["organization-id"] | tostring))) as $org
		| [$t[0].ids[] | $org[tostring] | select(. != null and $mapped[.] == true)] | length')
	changed_pages=$(pages "$touched" "$PAGE_SIZE")
	say "  $touched configurations touched ($touched_mapped of mapped organizations: $changed_pages page(s) changed); auto-map, measured"
	s2_automap s2-changed '{}' || return
	b_requests=$REQUESTS b_wall=$WALL_S b_cpu=$CPU_S b_rss=$RSS_KB
	b_read=$(read_of s2-changed read) b_reason=$(read_of s2-changed reason)
	say "  1% changed: $REQUESTS requests in $WALL_S s, configurations read $b_read$([ "$b_reason" = - ] || echo " ($b_reason)")"
	mappings_of s2-incremental

	# (c) A full read from there maps exactly as the incremental one did.
	say "  a full auto-map to compare, measured"
	s2_automap s2-full '{"full": true}' || return
	c_requests=$REQUESTS c_wall=$WALL_S
	mappings_of s2-full
	differences=$(jq -n --slurpfile a "$RESULTS/s2-incremental.mappings.json" \
		--slurpfile b "$RESULTS/s2-full.mappings.json" '
		def diff($k): ($a[0][$k] | map({key: (.id | tostring), value: .}) | from_entries) as $x
			| ($b[0][$k] | map({key: (.id | tostring), value: .}) | from_entries) as $y
			| [($x + $y) | keys[] | select($x[.] != $y[.])];
		{groups: diff("groups"), systems: diff("systems")}
		| {groups: (.groups | length), systems: (.systems | length),
		   first_ids: {groups: .groups[:5], systems: .systems[:5]}}')
	same=$(printf '%s' "$differences" | jq '.groups + .systems == 0')
	if [ "$same" = true ]; then
		say "  the full read maps exactly as the incremental one did"
	else
		say "  the full read maps otherwise than the incremental one did: $(printf '%s' "$differences" | jq -c .)"
	fi

	incremental=0
	for r in "$a_read" "$b_read"; do
		[ "$r" != incremental ] || incremental=$((incremental + 1))
	done
	[ "$a_read" = incremental ] ||
		say "  FAIL: the run after nothing changed read the configurations $a_read ($a_reason), not incrementally"
	[ "$b_read" = incremental ] ||
		say "  FAIL: the run after 1% changed read the configurations $b_read ($b_reason), not incrementally"

	# The row: the run after 1% changed.
	REQUESTS=$b_requests WALL_S=$b_wall CPU_S=$b_cpu RSS_KB=$b_rss
	MINIMUM=$changed_pages
	FLOOR_S=$(floor_of "$MINIMUM")
	target requests_unchanged "$a_requests" "<=" 10 "nothing changed: requests <= 10"
	target requests_changed "$b_requests" "<=" "$((changed_pages + 5))" "1% changed: requests <= changed pages + 5"
	target incremental_reads "$incremental" "==" 2 "both runs read incrementally"
	target same_mappings "$([ "$same" = true ] && echo 1 || echo 0)" "==" 1 "incremental maps as a full read does"
	details=$(jq -n --slurpfile a "$RESULTS/s2-unchanged.out" \
		--slurpfile b "$RESULTS/s2-changed.out" --slurpfile c "$RESULTS/s2-full.out" \
		--slurpfile ra "$RESULTS/s2-unchanged.requests.json" \
		--slurpfile rb "$RESULTS/s2-changed.requests.json" \
		--argjson ar "$a_requests" --argjson aw "$a_wall" --argjson ac "$a_cpu" \
		--argjson am "$a_rss" --argjson cr "$c_requests" --argjson cw "$c_wall" \
		--argjson touched "$touched" --argjson tm "$touched_mapped" \
		--argjson cp "$changed_pages" --argjson page "$PAGE_SIZE" \
		--argjson same "$same" --argjson diff "$differences" '
		def run: .[0].result.runs[0] | {configurations, plugin_counted_requests: .requests,
			groups_mapped: (.groups.mapped // 0), systems_mapped: (.systems.mapped // 0)};
		def routes: .[0] | group_by(.route) | map({key: "\(.[0].method) \(.[0].route)", value: length})
			| from_entries;
		{unchanged: ({requests: $ar, wall_s: $aw, cpu_s: $ac, maxrss_kb: $am} + ($a | run)
			+ {routes: ($ra | routes)}),
		 changed: ({touched: $touched, touched_of_mapped_organizations: $tm,
			changed_pages: $cp, page_size: $page} + ($b | run) + {routes: ($rb | routes)}),
		 full_read: ({requests: $cr, wall_s: $cw} + ($c | run)),
		 same_mappings: $same, mapping_differences: $diff}')
	scenario_result 2 "incremental auto-map" "" "$details"
	say "  nothing changed: $a_requests requests (target 10); 1% changed: $b_requests requests (target $((changed_pages + 5))) in $b_wall s; a full read: $c_requests requests in $c_wall s"
}

# ---- the publishing scenarios' home ----

# publish_home DIR GROUPS SYSTEMS : a sandbox (with latency) and a home
# whose GROUPS groups are mapped by auto-map, each with a report
# configuration "EDR <group>" that publishes to IT Glue; SYSTEMS systems.
publish_home() {
	dir=$1
	orgs=$(($2 + $2 / 4 + 10))
	spec=orgs=$orgs,configs=$((orgs * 50)),contacts=$((orgs * 10)),important=$S1_IMPORTANT_PCT
	start_sandbox "$(basename "$dir")" --generate "$spec" --latency-ms "$LATENCY_MS"
	new_home "$dir" "$spec" --groups "$2" --systems "$3" --mappable-only
	host_ok "auto-map of the publishing scenario" admin itglue automap '{}' --wait-seconds 3600
	mapped=$(jq '.result.runs[0].groups.mapped // 0' "$TMP/host.out")
	[ "$mapped" -eq "$2" ] || die "auto-map mapped $mapped of the $2 groups of the publishing scenario"
	jq -r '.groups[].name' "$dir/inventory.json" >"$dir/group-names"
	while read -r g; do
		host_ok "adding the report configuration of $g" report config add "EDR $g" \
			--group "$g" --publish-itglue
	done <"$dir/group-names"
}

# html FILE BYTES : an HTML report of about BYTES bytes that does not
# compress much (base64 of random bytes), as a report with charts would.
html() {
	{
		printf '<html><body><h1>EDR Summary</h1><pre>\n'
		head -c $(($2 * 3 / 4 - 64)) /dev/urandom | base64 -w 76
		printf '</pre></body></html>\n'
	} >"$1"
}

# queue_reports DIR COUNT FILE : COUNT reports, each of one system of a
# group, left in the outbox to be published at once. Each xdr-host that
# loads the plugin starts draining the outbox, so IT Glue drops every
# connection meanwhile, and no command waits for the plugin: its attempt
# stops when the host exits, and the report is handed back uncounted.
queue_reports() {
	dir=$1
	jq -r '.systems[] | "\(.group)\t\(.name)"' "$dir/inventory.json" >"$dir/systems"
	set_faults '{"fail_every": {"n": 1, "kind": "reset"}, "schedule": []}'
	t0=$(now)
	i=0
	while [ $i -lt "$2" ]; do
		i=$((i + 1))
		line=$(sed -n "$(((i - 1) % $(wc -l <"$dir/systems") + 1))p" "$dir/systems")
		group=${line%%"	"*}
		system=${line#*"	"}
		host_ok "generating report $i" report generate --config "EDR $group" \
			--title "EDR Summary $i" --file "$3" --system "$system" --no-wait
	done
	say "  $2 reports generated and queued in $(elapsed "$t0") s"
	host_ok "reading the plugin's status" admin itglue status --no-wait
	pending=$(jq '.outbox.pending + .outbox.in_progress' "$TMP/host.out")
	[ "$pending" -eq "$2" ] || die "$pending reports wait in the outbox, not $2: $(cat "$TMP/host.out")"
	set_faults '{"fail_every": null, "schedule": []}'
}

# ---- scenario 3: publishing ----

scenario_3() {
	begin_scenario 3 "publishing $S3_REPORTS reports of 200 KB"
	dir=$TMP/s3
	publish_home "$dir" "$S3_GROUPS" "$S3_REPORTS"
	html "$dir/report.html" "$S3_REPORT_BYTES"
	# One report first, so that the type exists as it does after the
	# first publication: the run looks it up once.
	first=$(head -n 1 "$dir/group-names")
	host_ok "publishing a first report" report generate --config "EDR $first" \
		--title "First" --file "$dir/report.html"
	queue_reports "$dir" "$S3_REPORTS" "$dir/report.html"
	say "  publishing $S3_REPORTS reports, measured"
	if ! measured s3 tick --wait-seconds 3600; then
		scenario_result 3 "publishing" fail
		return
	fi
	host_ok "reading the plugin's status" admin itglue status
	done_n=$(jq '.outbox.done' "$TMP/host.out")
	failed_n=$(jq '.outbox.failed' "$TMP/host.out")
	MINIMUM=$((2 * S3_REPORTS + 1))
	FLOOR_S=$(floor_of "$MINIMUM")
	per_report=$(calc "$REQUESTS / $S3_REPORTS")
	throughput=$(calc "$S3_REPORTS / $WALL_S")
	floor_throughput=$(calc "$S3_REPORTS / $FLOOR_S")
	target requests_per_report "$per_report" "<=" 2.05 "requests <= 2.05 per report"
	target throughput "$throughput" ">=" "$(calc "0.8 * $floor_throughput")" "throughput >= 0.8 x floor's"
	target published "$((done_n - 1))" "==" "$S3_REPORTS" "every report published"
	details=$(jq -n --argjson reports "$S3_REPORTS" --argjson groups "$S3_GROUPS" \
		--argjson bytes "$S3_REPORT_BYTES" --argjson done "$((done_n - 1))" \
		--argjson failed "$failed_n" --argjson per "$per_report" \
		--argjson tp "$throughput" --argjson ftp "$floor_throughput" '{
		reports: $reports, groups: $groups, report_bytes: $bytes,
		published: $done, failed: $failed, requests_per_report: $per,
		reports_per_s: $tp, floor_reports_per_s: $ftp}')
	scenario_result 3 "publishing" "" "$details"
	say "  $((done_n - 1)) published, $failed_n failed; $REQUESTS requests (minimum $MINIMUM), $throughput reports/s (floor $floor_throughput)"
}

# ---- scenario 4: the report hook's latency ----

scenario_4() {
	begin_scenario 4 "report hook latency"
	if [ ! -x "$HOOK_LATENCY" ]; then
		say "  not measured: $HOOK_LATENCY is not built"
		scenario_result 4 "report hook latency" todo '{"note": "not measured: tests/bench/hook-latency is not built"}'
		return
	fi
	dir=$TMP/s4
	publish_home "$dir" "$S3_GROUPS" "$S3_REPORTS"
	say "  $S3_REPORTS hook calls while the worker publishes, measured"
	set +e
	"$MEASURE" "$RESULTS/s4.measure.json" -- "$HOOK_LATENCY" --home "$HOME_DIR" \
		--plugin-dir "$PLUGIN_DIR" --rows "$S3_REPORTS" --json "$RESULTS/s4.hook.json" \
		>"$RESULTS/s4.out" 2>"$RESULTS/s4.err" </dev/null
	status=$?
	set -e
	if [ "$status" -ne 0 ] || [ ! -s "$RESULTS/s4.hook.json" ]; then
		say "  hook-latency failed (status $status): $(head -c 2000 "$RESULTS/s4.err")"
		scenario_result 4 "report hook latency" fail
		return
	fi
	WALL_S=$(jq .wall_s "$RESULTS/s4.measure.json")
	CPU_S=$(jq .cpu_s "$RESULTS/s4.measure.json")
	RSS_KB=$(jq .maxrss_kb "$RESULTS/s4.measure.json")
	p99=$(jq .p99_ms "$RESULTS/s4.hook.json")
	target p99_ms "$p99" "<=" 2 "hook p99 <= 2 ms"
	scenario_result 4 "report hook latency" "" "$(cat "$RESULTS/s4.hook.json")"
	say "  $(cat "$RESULTS/s4.hook.json")"
}

# ---- scenario 5: one large report ----

scenario_5() {
	begin_scenario 5 "one report of 7 MB"
	dir=$TMP/s5
	publish_home "$dir" 1 1
	html "$dir/first.html" 2048
	host_ok "publishing a first report" report generate \
		--config "EDR $(head -n 1 "$dir/group-names")" --title "First" \
		--file "$dir/first.html"
	head -c "$S5_REPORT_BYTES" /dev/urandom | base64 -w 0 | head -c "$((S5_REPORT_BYTES - 40))" >"$dir/body"
	{ printf '<html><body><pre>'; cat "$dir/body"; printf '</pre></body></html>\n'; } >"$dir/report.html"
	bytes=$(wc -c <"$dir/report.html")
	queue_reports "$dir" 1 "$dir/report.html"
	say "  publishing one report of $bytes bytes, measured"
	if ! measured s5 tick --wait-seconds 3600; then
		scenario_result 5 "one report of 7 MB" fail
		return
	fi
	inspect /_sandbox/data | jq -c '[.flexible_assets[] | .traits["report-file"] | {file_name, size}]' >"$dir/assets.json"
	host_ok "reading the plugin's status" admin itglue status
	done_n=$(($(jq '.outbox.done' "$TMP/host.out") - 1))
	# The type lookup, the asset with its file, its related item.
	MINIMUM=3
	FLOOR_S=$(floor_of "$MINIMUM")
	target maxrss_kb "$RSS_KB" "<=" "$(((3 * bytes + 32 * 1024 * 1024) / 1024))" "peak RSS <= 3 x file + 32 MB"
	target published "$done_n" "==" 1 "the report is published"
	# Whole: it fits in one request without being gzipped.
	whole=$(jq '[.[] | select(.file_name | endswith(".html"))] | length' "$dir/assets.json")
	target sent_whole "$whole" "==" 2 "both reports sent as .html, not gzipped"
	details=$(jq -n --argjson bytes "$bytes" --argjson done "$done_n" \
		--slurpfile assets "$dir/assets.json" \
		'{report_bytes: $bytes, published: $done, assets: $assets[0]}')
	scenario_result 5 "one report of 7 MB" "" "$details"
	say "  published: $done_n; peak RSS $RSS_KB kB for a file of $bytes bytes"
}

# ---- run ----

T0=$(now)
say "bench: latency $LATENCY_MS ms, $CONNECTIONS connections, rate limit $RATE_REQUESTS/$RATE_WINDOW_S s$([ "$QUICK" = yes ] && echo ', quick (1/20 of the data)')"
echo '{}' >"$RESULTS/sandbox.json"
for s in 1 2 3 4 5; do
	if wanted "$s"; then
		"scenario_$s"
		# Scenario 2 goes on with scenario 1's sandbox and home.
		if [ "$s" != 1 ] || ! wanted 2; then
			stop_sandbox
		fi
	fi
done
TOTAL_S=$(elapsed "$T0")

# ---- the table ----

machine=$(jq -n --arg cpu "$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1)" \
	--argjson cores "$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 0)" \
	--argjson mem "$(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo 2>/dev/null || echo 0)" \
	--arg kernel "$(uname -srm)" \
	'{cpu: $cpu, cores: $cores, memory_mb: $mem, kernel: $kernel}')
jq -s . "$RESULTS"/scenario-*.json >"$TMP/scenarios.json"
jq -n --argjson machine "$machine" --argjson latency "$LATENCY_MS" \
	--argjson conns "$CONNECTIONS" --arg rate "$RATE_REQUESTS/$RATE_WINDOW_S" \
	--argjson quick "$([ "$QUICK" = yes ] && echo true || echo false)" \
	--argjson total "$TOTAL_S" --slurpfile sandbox "$RESULTS/sandbox.json" \
	--arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
	'{date: $date, machine: $machine, latency_ms: $latency, connections: $conns,
	  rate_limit: $rate, quick: $quick, total_s: $total,
	  sandbox: $sandbox[0], scenarios: $scenarios[0]}' \
	--slurpfile scenarios "$TMP/scenarios.json" >"$TMP/bench.json"

jq -r '
def num(d): if . == null then "-" else (. * pow(10; d) | round / pow(10; d) | tostring) end;
def mb: if . == null then "-" else (. / 1024 | num(1)) end;
def pad(n): tostring | (" " * ([n - length, 0] | max)) + .;
"machine: \(.machine.cpu), \(.machine.cores) cores, \(.machine.memory_mb) MB, \(.machine.kernel)",
"latency \(.latency_ms) ms, \(.connections) connections, rate limit \(.rate_limit) s\(if .quick then ", quick run (1/20 of the data)" else "" end)",
(if .sandbox.configurations_page_ms then
 "sandbox alone: a 1000-record page of configurations with interfaces in \(.sandbox.configurations_page_ms.median) ms (worst \(.sandbox.configurations_page_ms.max) ms; \(.sandbox.configurations_page_ms_four_at_once) ms a page four at once) against \(.latency_ms) ms of latency: \(if .sandbox.pass then "not the bottleneck" else "TOO SLOW: the sandbox is the bottleneck" end)" else empty end),
"",
"\("scenario" | . + " " * 30 | .[:30]) \("requests" | pad(9)) \("minimum" | pad(8)) \("wall s" | pad(8)) \("floor s" | pad(8)) \("CPU s" | pad(7)) \("RSS MB" | pad(7))  status",
(.scenarios[] |
 "\("\(.id) \(.name)" + " " * 30 | .[:30]) \(.requests | num(0) | pad(9)) \(.minimum | num(0) | pad(8)) \(.wall_s | num(2) | pad(8)) \(.floor_s | num(2) | pad(8)) \(.cpu_s | num(2) | pad(7)) \(.maxrss_kb | mb | pad(7))  \(.status)"),
"",
"targets:",
(.scenarios[] | . as $s |
 if (.targets | length) == 0 then "  \(.id): \(.status) \(.details.note // "")"
 else (.targets[] | "  \($s.id): \(if .pass then "pass" else "FAIL" end)  \(.text): \(.value | num(3)) \(.op) \(.limit | num(3))") end),
(.scenarios[] | select(.id == 1 and .details.one_request_per_mac) |
 "", "for comparison, one request per MAC as public scripts do: \(.details.one_request_per_mac.requests) requests (\(.details.one_request_per_mac.requests_ratio | num(0)) x scenario 1), at least \(.details.one_request_per_mac.floor_s) s under the rate limit (\(.details.one_request_per_mac.floor_vs_wall | num(0)) x scenario 1'"'"'s wall time)"),
(.scenarios[] | select(.id == 2 and .details.unchanged) | .details |
 "", "scenario 2, incremental auto-map: nothing changed, \(.unchanged.requests) requests in \(.unchanged.wall_s | num(2)) s; 1% changed (\(.changed.touched) configurations touched, \(.changed.touched_of_mapped_organizations) of them of mapped organizations), \(.changed.configurations.pages // "-") page(s) of changes read; a full read then, \(.full_read.requests) requests in \(.full_read.wall_s | num(2)) s, maps \(if .same_mappings then "the same" else "OTHERWISE (\(.mapping_differences.groups) groups, \(.mapping_differences.systems) systems differ)" end)"),
"",
"total: \(.total_s) s"
' "$TMP/bench.json"

if [ -n "$JSON_OUT" ]; then
	cp "$TMP/bench.json" "$JSON_OUT" || die "cannot write $JSON_OUT"
	say "bench: results in $JSON_OUT"
fi
if jq -e '[.scenarios[] | select(.status == "fail")] | length == 0' "$TMP/bench.json" >/dev/null; then
	exit 0
fi
exit 1
