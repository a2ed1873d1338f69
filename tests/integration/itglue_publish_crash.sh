#!/bin/sh
# Exactly once, whatever happens: the host is killed (SIGKILL) at several
# points of a publication and started again; each report ends as one asset
# with its file and related items, and one event 4021. Then two host
# processes drain one outbox of 200 reports at the same time: each report is
# published once.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

use_plugins itglue

setup() { # SANDBOX-ARGS...
	rm -rf "$HOME_DIR"
	start_sandbox --data "$DEMO" "$@"
	demo_host Default
	run admin itglue automap '{}'
	run report config add "Daily EDR" --group Default --publish-itglue
	printf '<html><body>EDR</body></html>\n' >"$TMP/edr.html"
}

# requests_to ROUTE : how many requests the sandbox logged for ROUTE
# ("POST /flexible_assets").
requests_to() {
	inspect /_sandbox/requests
	printf '%s' "$out" | jq --arg r "$1" \
		'[.requests[] | select(.method + " " + .path | test("^" + $r + "$"))] | length'
}

# kill_after ROUTE N : start a host that publishes the queued report, and
# kill it (SIGKILL) once the sandbox has handled its N-th request to ROUTE
# (handled, not yet answered: the sandbox delays answers).
kill_after() {
	"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" tick \
		>/dev/null 2>&1 &
	host_pid=$!
	for _ in $(seq 1 200); do
		[ "$(requests_to "$1")" -ge "$2" ] && break
		sleep 0.05
	done
	kill -KILL "$host_pid" 2>/dev/null
	wait "$host_pid" 2>/dev/null
}

check_once() { # WHAT
	run tick
	run events --id 4021 --json
	is "$(json length)" 1 "$1: one 4021"
	file=$(json '.[0].fields.file')
	inspect /_sandbox/data
	is "$(printf '%s' "$out" | jq '[.flexible_assets[] | select(.traits["report-name"] == "EDR Summary Reports")] | length')" 1 \
		"$1: one asset"
	is "$(printf '%s' "$out" | jq -r '[.flexible_assets[] | select(.traits["report-name"] == "EDR Summary Reports")][0].traits["report-file"].file_name')" \
		"$file" "$1: the asset holds the file"
	is "$(printf '%s' "$out" | jq '[.flexible_assets[] | select(.traits["report-name"] == "EDR Summary Reports")][0]["related-items"] | length')" 2 \
		"$1: both related items, once each"
}

for point in "GET /flexible_asset_types 1" "POST /flexible_asset_types 1" \
	"GET /flexible_assets 1" "POST /flexible_assets 1" \
	"POST /flexible_assets/[0-9]+/relationships/related_items 1" \
	"POST /flexible_assets/[0-9]+/relationships/related_items 2"; do
	route=${point% *}
	n=${point##* }
	setup --latency-ms 300
	run report generate --config "Daily EDR" --title "EDR Summary Reports" \
		--file "$TMP/edr.html" --system ACME-DC01 --system ACME-WS01 --no-wait
	kill_after "$route" "$n"
	check_once "killed after $route #$n"
done

# Two processes, 200 reports.
setup
i=0
while [ $i -lt 200 ]; do
	i=$((i + 1))
	"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" \
		setting set psa_rmm_integration off >/dev/null
	"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" report \
		generate --config "Daily EDR" --title "Report $i" \
		--file "$TMP/edr.html" --no-wait >/dev/null 2>&1
done
run setting set psa_rmm_integration on
run admin itglue status
is "$(json .outbox.pending)" 0 "reports generated while the integration is off are not queued"
# Queue them by hand, as the report list's Publish to IT Glue would, then
# let two hosts drain at once.
run report list --json
ids=$(json '[.[].id] | join(" ")')
for id in $ids; do
	printf '{"report_id": %s}' "$id" >"$TMP/req.json"
	"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" admin itglue \
		publish - --no-wait <"$TMP/req.json" >/dev/null 2>&1
done
"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" tick >/dev/null 2>&1 &
a=$!
"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" tick >/dev/null 2>&1 &
b=$!
wait $a
wait $b
run tick
run events --id 4021 --json
is "$(json length)" 200 "two hosts: 200 reports, 200 events 4021"
if [ "$(json length)" != 200 ]; then
	# What the rows not done say, for a failure that is rare.
	diag "$(sqlite3 -cmd '.timeout 5000' "$HOME_DIR/plugins/itglue/itglue.db" \
		"SELECT report_id, state, attempts, next_attempt - strftime('%s', 'now'),
			lease_owner, last_error FROM outbox WHERE state <> 'done'")"
	run events --id 4021 --json
fi
is "$(json '[.[].fields.report_id] | unique | length')" 200 "one 4021 per report"
inspect /_sandbox/data
is "$(printf '%s' "$out" | jq '[.flexible_assets[] | select(.traits["report-name"] | startswith("Report "))] | length')" 200 \
	"two hosts: 200 assets"
is "$(printf '%s' "$out" | jq '[.flexible_assets[].traits["report-file"].file_name] | unique | length')" \
	"$(printf '%s' "$out" | jq '[.flexible_assets[]] | length')" "no file published twice"

check_parsing_rule

done_testing
