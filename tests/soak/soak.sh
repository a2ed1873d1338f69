#!/bin/sh
# The fault soak: the IT Glue plugin in xdr-host against itglue-sandbox
# failing a share of its API requests at random (every fault kind), while
# reports are published and auto-maps run, and the host is killed (SIGKILL)
# and started again at random moments. Then everything drains without
# faults, and the script checks, one TAP case per property, that nothing was
# lost, duplicated, stuck or leaked, and that the API key went nowhere. See
# tests/soak/README.md.
#
#   soak.sh [--long]    (make soak; make soak SOAK_FLAGS=--long)
#
# Parameters (environment): REPORTS, AUTOMAPS, KILLS, AUTOMAP_KILL_PERCENT,
# FAULT_PERCENT, SEED, LATENCY_MS, SOAK_SECONDS, DRAIN_SECONDS,
# SOAK_HOST_WRAPPER, SOAK_KEEP. Exit 0 when every case passes, 1 otherwise.
. "$top_srcdir/tests/integration/lib.sh"

LONG=no
for arg in "$@"; do
	case $arg in
	--long) LONG=yes ;;
	*) echo "usage: soak.sh [--long]" >&2; exit 2 ;;
	esac
done
if [ "$LONG" = yes ]; then
	REPORTS=${REPORTS:-2000} AUTOMAPS=${AUTOMAPS:-12} KILLS=${KILLS:-30}
	SOAK_SECONDS=${SOAK_SECONDS:-3600}
fi
REPORTS=${REPORTS:-200}
AUTOMAPS=${AUTOMAPS:-3}
KILLS=${KILLS:-5}
AUTOMAP_KILL_PERCENT=${AUTOMAP_KILL_PERCENT:-50}
FAULT_PERCENT=${FAULT_PERCENT:-10}
SEED=${SEED:-1}
LATENCY_MS=${LATENCY_MS:-20}
SOAK_SECONDS=${SOAK_SECONDS:-600}
DRAIN_SECONDS=${DRAIN_SECONDS:-90}
SOAK_KEEP=${SOAK_KEEP:-no}
for v in REPORTS AUTOMAPS KILLS AUTOMAP_KILL_PERCENT FAULT_PERCENT SEED \
	LATENCY_MS SOAK_SECONDS DRAIN_SECONDS; do
	eval "val=\$$v"
	case $val in
	'' | *[!0-9]*) echo "soak: $v must be a number, not '$val'" >&2; exit 2 ;;
	esac
done
[ "$FAULT_PERCENT" -le 100 ] && [ "$REPORTS" -ge 1 ] || {
	echo "soak: FAULT_PERCENT is 0..100 and REPORTS at least 1" >&2
	exit 2
}

if [ "$WINDOWS" = yes ]; then
	echo "1..0 # SKIP the soak kills and watches native processes"
	exit 0
fi
for tool in curl sqlite3 awk base64; do
	command -v "$tool" >/dev/null 2>&1 || {
		echo "1..0 # SKIP $tool is not installed"
		exit 0
	}
done
SANDBOX_BIN=$top_builddir/host-sdk/sandbox/itglue-sandbox
INVENTORY_BIN=$top_builddir/tests/bench/bench-inventory
for f in "$SANDBOX_BIN" "$INVENTORY_BIN" "$ITGLUE_SO"; do
	[ -e "$f" ] || {
		echo "1..0 # SKIP $f is not built (make soak builds it)"
		exit 0
	}
done

# The last host cycle runs under valgrind when it is there, but for a
# sanitizer build, which checks every process itself (a killed one
# excepted); SOAK_HOST_WRAPPER=none runs it bare.
SANITIZERS=no
grep -q -e '-fsanitize=address' "$top_builddir/Makefile" 2>/dev/null && SANITIZERS=yes
if [ -z "${SOAK_HOST_WRAPPER+set}" ]; then
	SOAK_HOST_WRAPPER=none
	if [ "$SANITIZERS" = no ] && command -v valgrind >/dev/null 2>&1; then
		SOAK_HOST_WRAPPER="valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
	fi
fi
[ "$SOAK_HOST_WRAPPER" != none ] || SOAK_HOST_WRAPPER=

T0=$(date +%s)
elapsed() { echo $(($(date +%s) - T0)); }
say() { diag "[$(elapsed) s] $*"; }

# ---- the soak's directory, processes, clean-up ----

OUT=$TMP/out  # every stdout and stderr of every process, for the key grep
RUN=$TMP/run  # the processes' working directory: core files land here
mkdir -p "$OUT" "$RUN"
: >"$TMP/killed"
: >"$TMP/automap-started"
: >"$TMP/requests.all"
SANDBOX_PID= HOST_PID= SAMPLER_PID= GEN_PID= MAPPER_PID= WATCHDOG_PID=
# kill_tree PID... : the processes and all theirs; each stopped first, so
# that it starts no other while its children are found.
kill_tree() {
	todo="$*"
	all=
	while [ -n "$todo" ]; do
		next=
		for q in $todo; do
			kill -STOP "$q" 2>/dev/null || continue
			all="$all $q"
			next="$next $(ps -eo pid=,ppid= | awk -v p="$q" '$2 == p { print $1 }')"
		done
		todo=$(echo $next)
	done
	for q in $all; do
		kill -KILL "$q" 2>/dev/null
	done
}
cleanup() {
	kill_tree $GEN_PID $MAPPER_PID $SAMPLER_PID $HOST_PID $WATCHDOG_PID
	for q in $GEN_PID $MAPPER_PID $SAMPLER_PID $HOST_PID $WATCHDOG_PID; do
		wait "$q" 2>/dev/null
	done
	if [ -n "$SANDBOX_PID" ]; then
		kill -TERM "$SANDBOX_PID" 2>/dev/null
		wait "$SANDBOX_PID" 2>/dev/null
	fi
	if [ "$SOAK_KEEP" = yes ]; then
		echo "# soak: kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
# The watchdog's TERM: the run went over its bound.
trap 'fail "the soak ends within SOAK_SECONDS ($SOAK_SECONDS s)"
echo "Bail out! over the bound of $SOAK_SECONDS s"
exit 1' TERM
ulimit -c unlimited 2>/dev/null

# A random number in [0, N) for draw K of this seed: the plan of the soak
# (which report covers what, when to kill) is the seed's.
draw() { # K N
	awk -v s="$SEED" -v k="$1" -v n="$2" 'BEGIN { srand(s * 100003 + k); print int(rand() * n) }'
}

# Every process of the soak leaves its status in $TMP/status: "WHAT RC".
HOME_DIR=$TMP/home
REF_HOME=$TMP/ref-home
host_in() { # HOME ARGS... : xdr-host, from the run directory
	h=$1
	shift
	(cd "$RUN" && exec "$XDR_HOST_BIN" --home "$h" --plugin-dir "$PLUGIN_DIR" "$@")
}
# host NAME ARGS... : xdr-host on the soak's home, its input $STDIN (for
# one call); OUT/NAME.{out,err}; $rc
STDIN=/dev/null
host() {
	name=$1
	shift
	host_in "$HOME_DIR" "$@" >"$OUT/$name.out" 2>"$OUT/$name.err" <"$STDIN"
	rc=$?
	STDIN=/dev/null
	echo "$name $rc" >>"$TMP/status"
	return $rc
}
die() {
	fail "$*"
	diag "$(tail -c 2000 "$OUT/$name.err" 2>/dev/null)"
	done_testing
	exit 1
}
sq() { # DB SQL : a read of a plugin's store while hosts may write it
	sqlite3 -readonly -cmd '.timeout 10000' "$1" "$2"
}
DB=$HOME_DIR/plugins/itglue/itglue.db
REF_DB=$REF_HOME/plugins/itglue/itglue.db

# ---- the sandbox ----

# A key of this run only, never on a command line: the sandbox reads it from
# its data file, the plugin from instance.add's standard input.
KEY="ITG.soak-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$KEY" >"$TMP/key"
printf '{"api_keys": [{"key": "%s", "region": "us"}]}\n' "$KEY" >"$TMP/keys.json"
ORGS=$((REPORTS / 4 + 40))
[ "$ORGS" -le 400 ] || ORGS=400
SPEC=orgs=$ORGS,configs=$((ORGS * 40)),contacts=$((ORGS * 10)),important=20,seed=$SEED
GROUPS_N=$((ORGS * 3 / 4))
SYSTEMS_N=$((ORGS * 10))
(cd "$RUN" && exec "$SANDBOX_BIN" --data "$TMP/keys.json" --generate "$SPEC" \
	--latency-ms "$LATENCY_MS" --rate-limit 1000000/300 --port 0 \
	--port-file "$TMP/port" >"$OUT/sandbox.out" 2>"$OUT/sandbox.err" </dev/null) &
SANDBOX_PID=$!
for _ in $(seq 1 300); do
	[ -s "$TMP/port" ] && break
	kill -0 "$SANDBOX_PID" 2>/dev/null || break
	sleep 0.1
done
[ -s "$TMP/port" ] || die "the sandbox starts ($(cat "$OUT/sandbox.err"))"
BASE=http://127.0.0.1:$(cat "$TMP/port")
inspect() { # PATH [CURL ARGS...]
	p=$1
	shift
	curl -sS -g --max-time 120 "$@" "$BASE$p"
}
set_faults() { # JSON
	inspect /_sandbox/faults -X POST --data-binary "$1" -o /dev/null -f
}
say "sandbox $SPEC, $LATENCY_MS ms of latency, at $BASE"

# ---- the host's home: inventory, instance, groups (bench-inventory) ----

use_plugins itglue
inspect /_sandbox/data >"$TMP/data.json" || die "reading the sandbox's data"
"$INVENTORY_BIN" "$TMP/data.json" --groups "$GROUPS_N" --systems "$SYSTEMS_N" \
	--out "$TMP/inventory.json" --request "$TMP/groups.json" \
	--instance Soak --stats "$TMP/stats.json" 2>"$OUT/inventory.err" ||
	die "bench-inventory makes the inventory"
host setting setting set psa_rmm_integration on || die "integration on"
host inventory inventory load "$TMP/inventory.json" || die "inventory load"
jq -n --arg url "$BASE" --rawfile key "$TMP/key" \
	'{name: "Soak", url: $url, api_key: ($key | rtrimstr("\n")),
	  rate: {requests: 100000, seconds: 300}}' >"$TMP/instance.json"
host_in "$HOME_DIR" admin itglue instance.add - <"$TMP/instance.json" \
	>"$OUT/instance.out" 2>"$OUT/instance.err" || die "instance.add"
rm -f "$TMP/instance.json"
STDIN=$TMP/groups.json
host groups admin itglue instance.groups - || die "instance.groups"
host schedule admin itglue config.set '{"automap_interval_hours": 0}' || die "schedule off"
# The fault-free run's home: this one before any auto-map.
cp -a "$HOME_DIR" "$REF_HOME"
t=$(date +%s)
host automap-0 admin itglue automap '{}' || die "the first auto-map (no faults)"
AUTOMAP_S=$(($(date +%s) - t + 1))
host mappings-0 admin itglue mappings '{"instance": "Soak"}' || die "mappings"
jq -r '.groups[] | select(.state == "mapped") | .name' "$OUT/mappings-0.out" >"$TMP/mapped"
MAPPED=$(wc -l <"$TMP/mapped")
[ "$MAPPED" -ge 4 ] || die "the first auto-map maps at least 4 groups (it mapped $MAPPED)"
pass "setup: $GROUPS_N groups ($MAPPED mapped by a first auto-map without faults), $SYSTEMS_N systems, instance on the sandbox"

# Reports go to the first half of the mapped groups, whose data never
# changes (so each report's related configurations are known); the other
# half's configurations are touched between auto-maps.
REPORT_GROUPS=$((MAPPED / 2))
head -n "$REPORT_GROUPS" "$TMP/mapped" >"$TMP/report-groups"
tail -n +$((REPORT_GROUPS + 1)) "$TMP/mapped" >"$TMP/churn-groups"
jq -r --rawfile churn "$TMP/churn-groups" \
	'($churn | split("\n") | map(select(. != ""))) as $g
	 | [.groups[] | select(.name | IN($g[])) | .organization_id] | join(" ")' \
	"$OUT/mappings-0.out" >"$TMP/churn-orgs"
# What the touches choose from: the first 40 configurations of each of
# those organizations.
jq -r --arg orgs "$(cat "$TMP/churn-orgs")" '
	($orgs | split(" ") | map(select(. != "") | tonumber)) as $o
	| [.configurations[] | select(."organization-id" | IN($o[]))]
	| group_by(."organization-id") | map(.[:40][] | .id) | .[]' \
	"$TMP/data.json" >"$TMP/churn-configs"
jq -r '.systems[] | [.group, .name] | @tsv' "$TMP/inventory.json" >"$TMP/systems.tsv"
for g in $(cat "$TMP/report-groups"); do
	host "config-$g" report config add "EDR $g" --group "$g" --publish-itglue ||
		die "report configuration of $g"
done

# The plan: report I's group and systems (1 to 3 of its group's), drawn
# from the seed.
awk -F '\t' -v seed="$SEED" -v n="$REPORTS" '
	FILENAME == ARGV[1] { groups[++ng] = $1; next }
	{ sys[$1, ++count[$1]] = $2 }
	END {
		srand(seed)
		for (i = 1; i <= n; i++) {
			g = groups[1 + int(rand() * ng)]
			k = 1 + int(rand() * 3)
			line = i "\t" g
			split("", taken)
			for (j = 0; j < k && j < count[g]; j++) {
				do s = sys[g, 1 + int(rand() * count[g])]; while (s in taken)
				taken[s] = 1
				line = line "\t" s
			}
			print line
		}
	}' "$TMP/report-groups" "$TMP/systems.tsv" >"$TMP/plan.tsv"

# ---- watchers: command lines, the sandbox's request log, the bound ----

# ps is grepped against the key in a file, so that no command line of the
# soak itself holds it.
(
	while :; do
		ps -eww -o args= 2>/dev/null | grep -F -f "$TMP/key" >>"$TMP/ps.hits"
		echo x >>"$TMP/ps.samples"
		sleep 0.2
	done
) >/dev/null 2>&1 &
SAMPLER_PID=$!
# The sandbox keeps its last 10,000 requests: read them before they go.
# They are logged as they end and numbered as they arrive, so each read
# goes back 1,000 numbers before the last seen (for those still running
# then); the copies read twice are dropped at the end.
LOG_SEEN=0
save_requests() {
	total=$(inspect /_sandbox/health | jq .requests)
	[ -n "$total" ] && [ "$total" -gt "$LOG_SEEN" ] || return 0
	inspect /_sandbox/requests | jq -c --argjson after "$((LOG_SEEN - 1000))" \
		'.requests[] | select(.seq > $after)' >"$TMP/requests.new"
	cat "$TMP/requests.new" >>"$TMP/requests.all"
	LOG_SEEN=$(jq -s 'map(.seq) | max // 0' "$TMP/requests.new")
}
(
	i=0
	while [ "$i" -lt "$SOAK_SECONDS" ]; do
		sleep 1
		i=$((i + 1))
	done
	kill -TERM $$
) >/dev/null 2>&1 &
WATCHDOG_PID=$!

# ---- the faulty phase ----

start_host() { # NAME : the long-running host
	(cd "$RUN" && exec "$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" \
		run --tick-seconds 1 >"$OUT/$1.out" 2>"$OUT/$1.err" </dev/null) &
	HOST_PID=$!
	HOST_NAME=$1
}
stop_host() { # SIGNAL : once the host said it runs (its handlers are set)
	for _ in $(seq 1 600); do
		grep -q 'running' "$OUT/$HOST_NAME.err" 2>/dev/null && break
		kill -0 "$HOST_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "-$1" "$HOST_PID" 2>/dev/null
	wait "$HOST_PID" 2>/dev/null
	echo "$HOST_NAME $?" >>"$TMP/status"
	HOST_PID=
}

[ "$FAULT_PERCENT" -eq 0 ] ||
	set_faults "{\"random\": {\"percent\": $FAULT_PERCENT, \"seed\": $SEED}}" ||
	die "the sandbox takes random faults"
say "faults: $FAULT_PERCENT% of API requests, seed $SEED; $REPORTS reports, $AUTOMAPS auto-maps, $KILLS kills of the host"
HOST_RUNS=1
start_host host-1

# The reports, one xdr-host each, not waiting for the plugin: their
# process's own drain is stopped as it exits, and the long-running host
# publishes.
(
	while IFS='	' read -r i g systems; do
		html=$TMP/report.html
		{
			printf '<html><body><h1>Soak report %s</h1><pre>\n' "$i"
			head -c $((200 + $(draw "$((i + 1000000))" 3000))) /dev/urandom | base64
			printf '</pre></body></html>\n'
		} >"$html"
		set -- report generate --config "EDR $g" --title "Soak report $i" \
			--file "$html" --no-wait
		for s in $(printf '%s' "$systems" | tr '\t' ' '); do
			set -- "$@" --system "$s"
		done
		host "report-$i" "$@"
		echo "$i" >"$TMP/progress.new" && mv "$TMP/progress.new" "$TMP/progress"
	done <"$TMP/plan.tsv"
) &
GEN_PID=$!
progress() { cat "$TMP/progress" 2>/dev/null || echo 0; }

# The auto-maps, spread over the reports: before each, some configurations
# of the churn groups' organizations get new MACs; odd runs read in full.
# A run is killed, with AUTOMAP_KILL_PERCENT's chance, at a random moment
# within the time the first auto-map took.
(
	k=0
	while [ "$k" -lt "$AUTOMAPS" ]; do
		k=$((k + 1))
		while [ "$(progress)" -lt $((REPORTS * k / (AUTOMAPS + 1))) ]; do
			sleep 0.1
		done
		ids=$(awk -v s="$SEED" -v k="$k" 'BEGIN { srand(s + k) } rand() < 0.2' \
			"$TMP/churn-configs" | jq -sc .)
		inspect /_sandbox/touch -X POST --data-binary \
			"{\"resource\": \"configurations\", \"ids\": $ids}" \
			>"$OUT/touch-$k.out" 2>&1
		request='{}'
		[ $((k % 2)) -eq 0 ] || request='{"full": true}'
		(cd "$RUN" && exec "$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" \
			admin itglue automap "$request" >"$OUT/automap-$k.out" \
			2>"$OUT/automap-$k.err" </dev/null) &
		pid=$!
		echo "$pid" >"$TMP/automap.pid"
		echo "automap-$k $(date +%s)" >>"$TMP/automap-started"
		if [ "$(draw "$((k + 2000000))" 100)" -lt "$AUTOMAP_KILL_PERCENT" ]; then
			ms=$(draw "$((k + 3000000))" $((AUTOMAP_S * 1000)))
			sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
			kill -KILL "$pid" 2>/dev/null &&
				echo "automap-$k $(date +%s)" >>"$TMP/killed"
		fi
		wait "$pid" 2>/dev/null
		echo "automap-$k $?" >>"$TMP/status"
		rm -f "$TMP/automap.pid"
	done
) &
MAPPER_PID=$!

# The host's kills, at random points of the reports' progress, each a
# random part of a second after its point.
j=0
while [ "$j" -lt "$KILLS" ]; do
	j=$((j + 1))
	echo "$(draw "$((j + 4000000))" "$REPORTS") $(draw "$((j + 5000000))" 1000)"
done | sort -n >"$TMP/kill-plan"
while read -r at ms; do
	while [ "$(progress)" -lt "$at" ] && kill -0 "$GEN_PID" 2>/dev/null; do
		save_requests
		sleep 0.1
	done
	sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
	kill -KILL "$HOST_PID" 2>/dev/null && echo "$HOST_NAME $(date +%s)" >>"$TMP/killed"
	wait "$HOST_PID" 2>/dev/null
	echo "$HOST_NAME $?" >>"$TMP/status"
	HOST_RUNS=$((HOST_RUNS + 1))
	start_host "host-$HOST_RUNS"
done <"$TMP/kill-plan"
while kill -0 "$GEN_PID" 2>/dev/null || kill -0 "$MAPPER_PID" 2>/dev/null; do
	save_requests
	sleep 0.5
done
wait "$GEN_PID"
wait "$MAPPER_PID"
GEN_PID= MAPPER_PID=
stop_host TERM
save_requests
say "faulty phase over: $(progress) reports generated, host started $HOST_RUNS times, $(wc -l <"$TMP/killed") kills"

# ---- the drain, without faults ----

set_faults '{}' || die "the sandbox's faults go off"
# Failed reports are requeued by hand, as an administrator would
# (outbox.retry); each must have had exactly one 4022 by now.
sq "$DB" "SELECT report_id || ' ' || finished_at FROM outbox WHERE state = 'failed'
	ORDER BY report_id" >"$TMP/failed-at"
cut -d' ' -f1 "$TMP/failed-at" >"$TMP/failed"
for id in $(cat "$TMP/failed"); do
	host "retry-$id" admin itglue outbox.retry "{\"report_id\": $id}" --no-wait
done
host events-before-drain events --id 4022 --json
# The last cycle of the host, under SOAK_HOST_WRAPPER: it publishes what is
# left (rows waiting for their back-off included: DRAIN_SECONDS, then the
# rest is made due by hand with publish), and stops cleanly.
HOST_NAME=host-last
(cd "$RUN" && exec $SOAK_HOST_WRAPPER "$XDR_HOST_BIN" --home "$HOME_DIR" \
	--plugin-dir "$PLUGIN_DIR" run --tick-seconds 1 \
	>"$OUT/host-last.out" 2>"$OUT/host-last.err" </dev/null) &
HOST_PID=$!
left() { sq "$DB" "SELECT count(*) FROM outbox WHERE state IN ('pending', 'working')"; }
waited=0
HURRIED=0
while [ "$(left)" -gt 0 ]; do
	if [ "$waited" -eq "$DRAIN_SECONDS" ]; then
		for id in $(sq "$DB" "SELECT report_id FROM outbox WHERE state = 'pending'"); do
			host "hurry-$id" admin itglue publish "{\"report_id\": $id}" --no-wait
			HURRIED=$((HURRIED + 1))
		done
	fi
	[ "$waited" -lt $((DRAIN_SECONDS * 2 + 60)) ] || break
	sleep 1
	waited=$((waited + 1))
done
stop_host TERM
# The last auto-map, without faults, from whatever the faulty runs left;
# and the fault-free run: a full auto-map on the copy made before any.
(cd "$RUN" && exec $SOAK_HOST_WRAPPER "$XDR_HOST_BIN" --home "$HOME_DIR" \
	--plugin-dir "$PLUGIN_DIR" admin itglue automap '{}' \
	>"$OUT/automap-last.out" 2>"$OUT/automap-last.err" </dev/null)
echo "automap-last $?" >>"$TMP/status"
host_in "$REF_HOME" admin itglue automap '{}' >"$OUT/ref-automap.out" \
	2>"$OUT/ref-automap.err" </dev/null
echo "ref-automap $?" >>"$TMP/status"
kill_tree "$SAMPLER_PID"
wait "$SAMPLER_PID" 2>/dev/null
SAMPLER_PID=
save_requests
jq -c -s 'unique_by(.seq) | .[]' "$TMP/requests.all" >"$TMP/requests.jsonl"
say "drained in $waited s ($HURRIED rows still waiting for their back-off made due by hand)"

# ---- what the soak left ----

host events events --json
host reports report list --json
host system-list system list --json
host_in "$REF_HOME" events --json >"$OUT/ref-events.out" 2>"$OUT/ref-events.err"
inspect /_sandbox/data >"$TMP/final-data.json"
sq "$DB" "SELECT json_group_array(json_object('report_id', report_id, 'state', state,
	'file_name', file_name, 'asset_id', asset_id, 'attempts', attempts,
	'last_error', last_error)) FROM outbox" >"$TMP/outbox.json"
sq "$DB" "SELECT json_group_object(system_id, configuration_id) FROM system_mappings" \
	>"$TMP/system-mappings.json"
mapping_tables() { # DB
	sq "$1" "SELECT 'group', group_id, organization_id, organization_name, source, stale
		FROM group_mappings ORDER BY group_id;
		SELECT 'system', system_id, group_id, configuration_id, configuration_name,
			source, mac, archived_match, stale FROM system_mappings ORDER BY system_id;
		SELECT 'failure', kind, host_id, reason, detail, fingerprint
		FROM automap_failures ORDER BY kind, host_id"
}

jq -r '.[].id' "$OUT/reports.out" | sort -n >"$TMP/queued-ids"
QUEUED=$(wc -l <"$TMP/queued-ids")
GENERATED=$(jq length "$OUT/reports.out")

# Every report was recorded by the host.
is "$GENERATED" "$REPORTS" "every report generate recorded its report ($REPORTS)"

# No process crashed: every status is 0, 1 for an auto-map whose reads
# failed under faults (and said so), 137 for the processes the soak killed;
# no core, no sanitizer report.
grep -l 'xdr-host: itglue automap: cannot read ' "$OUT"/automap-*.err 2>/dev/null |
	sed 's|.*/||; s|\.err$| 1|' >"$TMP/read-failed"
crashes=$(awk 'FILENAME == ARGV[1] { killed[$1] = 1; next }
	FILENAME == ARGV[2] { read_failed[$1] = 1; next }
	{ ok = $2 == 0 || ($2 == 1 && read_failed[$1]) || ($2 == 137 && killed[$1]) }
	!ok { print }' "$TMP/killed" "$TMP/read-failed" "$TMP/status")
cores=$(find "$TMP" -name 'core*' -type f 2>/dev/null | grep -v '/out/')
sanitizer=$(grep -l -E 'AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer' "$OUT"/*.err 2>/dev/null)
if [ -z "$crashes" ] && [ -z "$cores" ] && [ -z "$sanitizer" ]; then
	pass "no crash: every process exited 0 (or 1: an auto-map whose reads failed under faults), or was killed by the soak; no core file, no sanitizer report"
else
	fail "no crash: every process exited 0 (or 1: an auto-map whose reads failed under faults), or was killed by the soak; no core file, no sanitizer report"
	diag "exit statuses: $crashes" "cores: $cores" "sanitizer reports: $sanitizer"
fi

# No stuck row: the outbox holds only done rows; no job is left queued
# or running.
stuck=$(sq "$DB" "SELECT report_id || ' ' || state || ' attempts ' || attempts || ': ' || coalesce(last_error, '')
	FROM outbox WHERE state <> 'done'")
jobs=$(sq "$DB" "SELECT id || ' ' || kind || ' ' || state FROM jobs WHERE state IN ('queued', 'running')")
if [ -z "$stuck" ] && [ -z "$jobs" ]; then
	pass "no stuck row: all $(sq "$DB" "SELECT count(*) FROM outbox") outbox rows done, no job queued or running"
else
	fail "no stuck row: all outbox rows done, no job queued or running"
	diag "outbox rows not done:" "$stuck" "jobs:" "$jobs"
fi

# Every report is one asset in IT Glue, with its file
# (the Upload trait, byte for byte) and no attachment; nothing else.
for id in $(cat "$TMP/queued-ids"); do
	printf '%s\t%s\n' "$id" "$(base64 -w 0 "$HOME_DIR/reports/$id/"*)"
done >"$TMP/contents.tsv"
jq -n --slurpfile data "$TMP/final-data.json" --slurpfile outbox "$TMP/outbox.json" \
	--rawfile contents "$TMP/contents.tsv" --rawfile queued "$TMP/queued-ids" '
	($contents | split("\n") | map(select(. != "") | split("\t") | {(.[0]): .[1]}) | add // {}) as $content
	| ($outbox[0] | map({(.file_name): .report_id}) | add // {}) as $report_of
	| [$data[0].flexible_assets[] | select(.traits["report-file"] != null)] as $assets
	| ($queued | split("\n") | map(select(. != "") | tonumber)) as $ids
	| ($assets | map(.traits["report-file"].file_name | rtrimstr(".gz") | $report_of[.])) as $owners
	| {assets: ($assets | length),
	   strays: [$assets[] | select($report_of[.traits["report-file"].file_name] == null) | .id],
	   twice: ($owners | group_by(.) | map(select(length > 1) | .[0])),
	   missing: ($ids - $owners),
	   wrong_file: [$assets[] | select($content[($report_of[.traits["report-file"].file_name] // 0) | tostring] != .traits["report-file"].content) | .id],
	   attachments: [$assets[] | select((.attachments // []) | length > 0) | .id]}' >"$TMP/assets.json"
ASSETS=$(jq .assets "$TMP/assets.json")
if jq -e '.strays + .twice + .missing + .wrong_file + .attachments | length == 0' "$TMP/assets.json" >/dev/null &&
	[ "$ASSETS" -eq "$QUEUED" ]; then
	pass "every report published exactly once: $QUEUED reports, $ASSETS assets, each with its file byte for byte, no attachment, no stray"
else
	fail "every report published exactly once: $QUEUED reports, $ASSETS assets, each with its file byte for byte, no attachment, no stray"
	diag "$(jq -c '{strays: .strays[:10], twice: .twice[:10], missing: .missing[:10], wrong_file: .wrong_file[:10], attachments: .attachments[:10]}' "$TMP/assets.json")"
fi

# The flexible asset type was created once, whatever answer its creation got.
TYPES=$(jq '[.flexible_asset_types[] | select(.name == "Netsurion Open XDR Reports")] | length' "$TMP/final-data.json")
is "$TYPES" 1 "the flexible asset type of the reports was created once"

# Each asset is related to the configurations mapped to its report's
# systems, once each.
jq -n --slurpfile data "$TMP/final-data.json" --slurpfile outbox "$TMP/outbox.json" \
	--slurpfile reports "$OUT/reports.out" --slurpfile systems "$OUT/system-list.out" \
	--slurpfile maps "$TMP/system-mappings.json" '
	($outbox[0] | map({(.file_name): .report_id}) | add // {}) as $report_of
	| ($systems[0] | map({(.name): (.id | tostring)}) | add) as $sid
	| ($reports[0] | map({(.id | tostring): .systems}) | add) as $rsys
	| [$data[0].flexible_assets[] | select(.traits["report-file"] != null)
	   | ($report_of[.traits["report-file"].file_name | rtrimstr(".gz")] | tostring) as $r
	   | {asset: .id, report: $r,
	      got: [.["related-items"][] | select(."destination-type" == "Configuration") | ."destination-id" | tostring],
	      want: ([$rsys[$r][]? | $maps[0][$sid[.]] // empty] | unique)}
	   | select((.got | sort) != .want)]' >"$TMP/related-wrong.json"
RELATED=$(jq '[.flexible_assets[]["related-items"][]?] | length' "$TMP/final-data.json")
if jq -e 'length == 0' "$TMP/related-wrong.json" >/dev/null; then
	pass "every asset is related to the configurations of its report's systems, once each ($RELATED related items)"
else
	fail "every asset is related to the configurations of its report's systems, once each"
	diag "$(jq -c '.[:5]' "$TMP/related-wrong.json")" "$(jq length "$TMP/related-wrong.json") assets differ"
fi

# One 4021 per published report, none twice. A report killed between its
# done-commit and the event has none: counted apart (the known limit).
jq -n --slurpfile ev "$OUT/events.out" --rawfile queued "$TMP/queued-ids" '
	[$ev[0][] | select(.id == 4021) | .fields.report_id | tonumber] as $got
	| ($queued | split("\n") | map(select(. != "") | tonumber)) as $ids
	| {events: ($got | length), twice: ($got | group_by(.) | map(select(length > 1) | .[0])),
	   lost: ($ids - $got), strays: ($got - $ids)}' >"$TMP/4021.json"
if jq -e '.twice + .strays | length == 0' "$TMP/4021.json" >/dev/null; then
	pass "no report has two events 4021, none has one for another report ($(jq .events "$TMP/4021.json") events)"
else
	fail "no report has two events 4021, none has one for another report"
	diag "$(jq -c . "$TMP/4021.json")"
fi
LOST_4021=$(jq '.lost | length' "$TMP/4021.json")
# An event is lost when the host is killed after the outbox's commit of the
# row's end and before the event (plugin/README.md, "Known limits"): each
# lost one must have ended in the second of a kill, or up to two before.
# explain < "ID ENDED_AT" lines : "ID ENDED_AT killed|unexplained" lines
explain() {
	while read -r id at; do
		awk -v id="$id" -v at="$at" '$2 >= at && $2 <= at + 2 { found = 1 }
			END { print id, at, (found ? "killed" : "unexplained") }' "$TMP/killed"
	done
}
jq -r '.lost[]' "$TMP/4021.json" | while read -r id; do
	echo "$id $(sq "$DB" "SELECT finished_at FROM outbox WHERE report_id = $id")"
done | explain >"$TMP/lost-4021"
UNEXPLAINED=$(grep -c 'unexplained$' "$TMP/lost-4021")
if [ "$LOST_4021" -eq 0 ]; then
	pass "every published report has its event 4021"
elif [ "$UNEXPLAINED" -eq 0 ]; then
	echo "not ok $((tap_count + 1)) - every published report has its event 4021 # TODO $LOST_4021 lost, each done in the second of a kill: killed between the done-commit and the event"
	tap_count=$((tap_count + 1))
	diag "reports without a 4021 (id, finished at): $(awk '{ printf "%s (%s) ", $1, $2 }' "$TMP/lost-4021")"
else
	fail "every published report has its event 4021"
	diag "reports without a 4021 (id, finished at, cause): $(tr '\n' ';' <"$TMP/lost-4021")" "kills: $(tr '\n' ';' <"$TMP/killed")"
fi

# Each failure reported once: a report that failed for good under
# faults (a 422, or attempts run out) had exactly one 4022 before it was
# requeued, and none after; no other report has one.
jq -n --slurpfile before "$OUT/events-before-drain.out" --slurpfile ev "$OUT/events.out" \
	--rawfile failed "$TMP/failed" '
	($failed | split("\n") | map(select(. != "") | tonumber)) as $want
	| def reports($e): [$e[] | select(.id == 4022) | .fields.report_id | tonumber];
	reports($before[0]) as $b | reports($ev[0]) as $a
	| {before: ($b | length), after: ($a | length),
	   not_once: [$want[] | . as $r | select(([$b[] | select(. == $r)] | length) != 1)],
	   unexpected: ($a - $want), after_requeue: (($a | length) - ($b | length))}' >"$TMP/4022.json"
# A failed report without its 4022 is the same loss as a 4021's.
jq -r --slurpfile before "$OUT/events-before-drain.out" '
	[$before[0][] | select(.id == 4022) | .fields.report_id | tonumber] as $b
	| .not_once[] | . as $r | select([$b[] | select(. == $r)] | length == 0)' \
	"$TMP/4022.json" >"$TMP/lost-4022-ids"
awk 'FILENAME == ARGV[1] { lost[$1] = 1; next } lost[$1]' "$TMP/lost-4022-ids" \
	"$TMP/failed-at" | explain >"$TMP/lost-4022"
LOST_4022=$(wc -l <"$TMP/lost-4022")
desc="each report that failed for good has exactly one 4022, and none after it was requeued; no other report has one"
if jq -e '(.not_once + .unexpected | length) == 0 and .after_requeue == 0' "$TMP/4022.json" >/dev/null; then
	pass "$desc ($(wc -l <"$TMP/failed") reports)"
elif jq -e --argjson lost "$LOST_4022" '(.not_once | length) == $lost and (.unexpected | length) == 0 and .after_requeue == 0' \
	"$TMP/4022.json" >/dev/null && ! grep -q 'unexplained$' "$TMP/lost-4022"; then
	echo "not ok $((tap_count + 1)) - $desc # TODO $LOST_4022 lost, each failed in the second of a kill: killed between the commit and the event"
	tap_count=$((tap_count + 1))
	diag "reports without a 4022 (id, failed at): $(awk '{ printf "%s (%s) ", $1, $2 }' "$TMP/lost-4022")"
else
	fail "$desc"
	diag "$(jq -c . "$TMP/4022.json")" "without a 4022 (id, failed at, cause): $(tr '\n' ';' <"$TMP/lost-4022")"
fi

# Auto-map failures (4018, 4019) announced once each: the soak's events
# are exactly the fault-free run's (each once, whatever ran between).
auto_events() { # FILE
	jq -c '[.[] | select(.id == 4018 or .id == 4019) | {id, fields}] | sort_by(tostring) | .[]' "$1"
}
auto_events "$OUT/events.out" >"$TMP/auto-events"
auto_events "$OUT/ref-events.out" >"$TMP/ref-auto-events"
# An auto-map killed after its commit and before its events loses them, as
# a report's 4021 is lost: each event missing here must be of a failure
# first recorded by an auto-map the soak killed (between its start and the
# kill).
host group-list group list --json
jq -n -r --slurpfile soak "$TMP/auto-events" --slurpfile ref "$TMP/ref-auto-events" \
	--slurpfile groups "$OUT/group-list.out" --slurpfile systems "$OUT/system-list.out" '
	($groups[0] | map({(.name): .id}) | add) as $gid
	| ($systems[0] | map({(.name): .id}) | add) as $sid
	| reduce $soak[] as $e ($ref; index($e) as $i | if $i == null then . else del(.[$i]) end)
	| .[] | if .id == 4018 then "group \($gid[.fields.group])" else "system \($sid[.fields.system])" end' \
	>"$TMP/auto-missing" 2>/dev/null
while read -r kind id; do
	at=$(sq "$DB" "SELECT first_seen FROM automap_failures WHERE kind = '$kind' AND host_id = $id")
	awk -v at="${at:-0}" -v what="$kind $id" 'FILENAME == ARGV[1] { started[$1] = $2; next }
		$1 ~ /^automap-/ && started[$1] <= at && at <= $2 { found = 1 }
		END { print what, at, (found ? "killed" : "unexplained") }' \
		"$TMP/automap-started" "$TMP/killed"
done <"$TMP/auto-missing" >"$TMP/lost-auto"
LOST_AUTO=$(wc -l <"$TMP/lost-auto")
desc="auto-map failures announced once each, as the fault-free run announces them"
extra=$(jq -n --slurpfile soak "$TMP/auto-events" --slurpfile ref "$TMP/ref-auto-events" \
	'reduce $ref[] as $e ($soak; index($e) as $i | if $i == null then . else del(.[$i]) end) | length')
if cmp -s "$TMP/auto-events" "$TMP/ref-auto-events"; then
	pass "$desc ($(wc -l <"$TMP/auto-events") events 4018/4019)"
elif [ "$extra" -eq 0 ] && ! grep -q 'unexplained$' "$TMP/lost-auto"; then
	echo "not ok $((tap_count + 1)) - $desc # TODO $LOST_AUTO lost, each of an auto-map killed between its commit and its events"
	tap_count=$((tap_count + 1))
	diag "failures without their event (kind, id, first seen): $(tr '\n' ';' <"$TMP/lost-auto")"
else
	fail "$desc"
	diag "soak $(wc -l <"$TMP/auto-events"), fault-free $(wc -l <"$TMP/ref-auto-events"), $extra more in the soak; first differences:" \
		"$(diff "$TMP/auto-events" "$TMP/ref-auto-events" | head -n 10)" "missing: $(tr '\n' ';' <"$TMP/lost-auto")"
fi

# The mappings are those of a fault-free run.
mapping_tables "$DB" >"$TMP/mappings"
mapping_tables "$REF_DB" >"$TMP/ref-mappings"
if [ -s "$TMP/mappings" ] && cmp -s "$TMP/mappings" "$TMP/ref-mappings"; then
	pass "mappings equal a fault-free run's ($(grep -c '^group' "$TMP/mappings") groups, $(grep -c '^system' "$TMP/mappings") systems, $(grep -c '^failure' "$TMP/mappings") failures)"
else
	fail "mappings equal a fault-free run's"
	diag "$(diff "$TMP/mappings" "$TMP/ref-mappings" | head -n 10)"
fi

# No leak: the last host cycle (the drain and the last auto-map) under
# the wrapper, or every process in a sanitizer build.
if [ -n "$SOAK_HOST_WRAPPER" ]; then
	if grep -q '^host-last 0$' "$TMP/status" && grep -q '^automap-last 0$' "$TMP/status"; then
		pass "no leak, no memory error in the last host cycle under $(echo "$SOAK_HOST_WRAPPER" | cut -d' ' -f1)"
	else
		fail "no leak, no memory error in the last host cycle under $(echo "$SOAK_HOST_WRAPPER" | cut -d' ' -f1)"
		diag "$(grep -E '^(host|automap)-last' "$TMP/status")" "$(tail -n 30 "$OUT/host-last.err" "$OUT/automap-last.err")"
	fi
elif [ "$SANITIZERS" = yes ]; then
	pass "no leak: every process of this sanitizer build exited without a report"
else
	pass "no leak # SKIP no SOAK_HOST_WRAPPER, valgrind missing, and not a sanitizer build"
fi

# The API key: in no log, event, output or answer; in the sandbox's
# request log only as the x-api-key header; in no file name; on no command
# line.
find "$HOME_DIR" "$REF_HOME" "$OUT" -type f \( -name '*.log' -o -name '*.out' -o -name '*.err' \) \
	>"$TMP/outputs"
hits=$(xargs grep -l -F -f "$TMP/key" <"$TMP/outputs" 2>/dev/null)
if [ -z "$hits" ]; then
	pass "the API key is in no log, event, output or admin answer ($(wc -l <"$TMP/outputs") files)"
else
	fail "the API key is in no log, event, output or admin answer"
	diag "found in: $hits"
fi
in_header=$(grep -c -F -f "$TMP/key" "$TMP/requests.jsonl")
elsewhere=$(jq -c 'del(.headers["x-api-key"])' "$TMP/requests.jsonl" | grep -c -F -f "$TMP/key")
header_ok=$(jq -c 'select(.headers["x-api-key"] != null)' "$TMP/requests.jsonl" | wc -l)
logged=$(wc -l <"$TMP/requests.jsonl")
# Every request seen: the sandbox numbers them from 1.
last_seq=$(tail -n 1 "$TMP/requests.jsonl" | jq .seq)
if [ "$elsewhere" -eq 0 ] && [ "$in_header" -eq "$logged" ] && [ "$logged" -eq "$last_seq" ]; then
	pass "in the sandbox's log of all $logged requests the key is only ever the x-api-key header"
else
	fail "in the sandbox's log of all requests the key is only ever the x-api-key header"
	diag "$elsewhere requests hold it elsewhere; $in_header of $logged hold it ($header_ok with the header); $last_seq requests were made"
fi
names=$(find "$HOME_DIR" "$REF_HOME" "$RUN" | grep -F -f "$TMP/key")
if [ -z "$names" ]; then
	pass "the API key is in no file name under the homes or the processes' directory"
else
	fail "the API key is in no file name under the homes or the processes' directory"
	diag "$names"
fi
if [ ! -s "$TMP/ps.hits" ]; then
	pass "the API key is on no command line ($(wc -l <"$TMP/ps.samples") samples of ps)"
else
	fail "the API key is on no command line"
	diag "$(head -n 3 "$TMP/ps.hits")"
fi

# The counts.
jq -r '[.[] | .fault // empty] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' -s "$TMP/requests.jsonl" >"$TMP/faults"
diag "seed $SEED: $REPORTS reports ($QUEUED recorded), $ASSETS assets, $RELATED related items" \
	"kills: $(grep -c '^host' "$TMP/killed") of the host, $(grep -c '^automap' "$TMP/killed") of auto-maps; auto-maps: $(grep -c '^automap-[1-9][0-9]* 0$' "$TMP/status") done, $(grep -c '^automap-[1-9][0-9]* 1$' "$TMP/status") failed under faults" \
	"reports failed for good under faults and requeued: $(wc -l <"$TMP/failed"); 4021 lost: $LOST_4021; 4022 lost: $LOST_4022; 4018/4019 lost: $LOST_AUTO; rows hurried after ${DRAIN_SECONDS} s: $HURRIED" \
	"requests: $(wc -l <"$TMP/requests.jsonl"); faults: $(cat "$TMP/faults")" \
	"time: $(elapsed) s"
done_testing
