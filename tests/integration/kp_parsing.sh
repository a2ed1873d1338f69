#!/bin/sh
# The knowledge pack against the plugin's real events: the pack installed
# with `kp install`, the seed's scenarios run against the sandbox (auto-map
# failures of groups and systems for each reason, reports published and
# failing permanently and past their attempts), then
#   - for every event in the log, the parsing rule "IT Glue" extracts from
#     its description exactly its structured fields, so pack and plugin
#     cannot drift (the mapping and publishing scripts check the same on
#     their own scenarios, with check_parsing_rule);
#   - enabled alerts fired once per matching event, disabled ones never;
#   - the saved searches, reports (html, csv) and dashboards hold the counts.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

[ -x "$SANDBOX_BIN" ] || {
	echo "1..0 # SKIP itglue-sandbox is not built (needs libmicrohttpd)"
	exit 0
}

sh "$top_srcdir/packaging/kp-build.sh" "$TMP/pack.kp" openxdr-itglue 0.1.0 \
	"$ITGLUE_SO" "$top_srcdir/packaging/knowledge-pack" >/dev/null
use_plugins
run kp install "$TMP/pack.kp"
is "$rc" 0 "the pack installs the plugin"
run alert enable "IT Glue: Automap failed for groups"
run alert enable "IT Glue: Report upload failed"

# ---- the scenarios ----
start_sandbox --data "$DEMO"
run setting set psa_rmm_integration on
run inventory load "$top_srcdir/host-sdk/examples/inventory.json"
run system add ACME-NOMAC --group Default --os windows --sensor agent
run system add ACME-ELSEWHERE --group Default --os windows --mac 02-11-22-33-44-55
run system add ACME-DC01-TWIN --group Default --os windows --mac 18:5e:0f:ed:99:9a
run group add Gmail --email someone@gmail.com
run group add Nowhere --email it@nowhere.example
run group add "Quote's (group)" --email "ops@nowhere.example"
run admin itglue instance.add "{\"name\": \"Demo\", \"url\": \"$BASE\", \"api_key\": \"$US_KEY\"}"
run admin itglue instance.groups '{"instance": "Demo", "groups": ["Default", "Globex", "Lab", "Gmail", "Nowhere", "Quote'"'"'s (group)"]}'
run admin itglue automap '{"instance": "Demo"}'
is "$rc" 0 "auto-map runs"

printf '<html><body><h1>EDR</h1></body></html>\n' >"$TMP/edr.html"
run report config add "Daily EDR" --group Default --publish-itglue
run report generate --config "Daily EDR" --title "EDR Summary Reports" \
	--file "$TMP/edr.html" --system ACME-DC01
run report generate --config "Daily EDR" --title "Weekly: 'quoted' (id 7)" \
	--file "$TMP/edr.html"
start_sandbox --data "$DEMO" --fail-every 1:422
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run report generate --config "Daily EDR" --title "Refused" --file "$TMP/edr.html"
start_sandbox --data "$DEMO" --fail-every 1:503
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue config.set '{"publish_max_attempts": 1}'
run report generate --config "Daily EDR" --title "Down" --file "$TMP/edr.html"

run events --json
events=$out
count() { printf '%s' "$events" | jq "[.[] | select(.id == $1)] | length"; }
n4018=$(count 4018) n4019=$(count 4019) n4021=$(count 4021) n4022=$(count 4022)
diag "events: 4018=$n4018 4019=$n4019 4021=$n4021 4022=$n4022"
for id in 4018 4019 4021 4022; do
	isnt "$(count $id)" 0 "the scenarios emit event $id"
done
is "$(printf '%s' "$events" | jq '[.[] | select(.id | IN(4018, 4019, 4021, 4022) | not)] | length')" 0 \
	"and no event outside the catalogue"

# ---- the parsing rule, event by event ----
rule=$(jq -c . "$top_srcdir/packaging/knowledge-pack/parsing/it-glue.json")
total=$(printf '%s' "$events" | jq length)
bad=0
i=0
while [ "$i" -lt "$total" ]; do
	ev=$(printf '%s' "$events" | jq -c ".[$i]")
	id=$(printf '%s' "$ev" | jq -r .id)
	desc=$(printf '%s' "$ev" | jq -r .description)
	skip=$(printf '%s' "$rule" | jq -c "[.rules[] | select(.event_id == $id) | .not_in_text // []] | add // []")
	want=$(printf '%s' "$ev" | jq -cS --argjson skip "$skip" '.fields | with_entries(select(.key | IN($skip[]) | not))')
	run kp parse --id "$id" "$desc"
	got=$(printf '%s' "$out" | jq -cS . 2>/dev/null)
	if [ "$rc" -ne 0 ] || [ "$got" != "$want" ]; then
		bad=$((bad + 1))
		diag "event $id: $desc" "want: $want" "got:  $got $err"
	fi
	i=$((i + 1))
done
is "$bad" 0 "the parsing rule extracts exactly the fields of all $total events"
is "$(printf '%s' "$rule" | jq -c '[.rules[].not_in_text // [] | .[]] | unique')" '[]' \
	"every field of every event is in its text"

# ---- the knowledge object ----
run kp show "IT Glue activities"
is "$rc" 0 "the knowledge object is shown"
is "$(json '[.. | objects | select(has("event_id")) | .event_id] | sort | join(",")')" \
	"4018,4019,4021,4022" "it explains the four events"
run kp show "No such object"
is "$rc" 1 "an unknown object is an error"

# ---- alerts ----
run alerts --json
is "$(json '[.[] | select(.alert == "IT Glue: Automap failed for groups")] | length')" "$n4018" \
	"the enabled 4018 alert fired once per 4018"
is "$(json '[.[] | select(.alert == "IT Glue: Report upload failed")] | length')" "$n4022" \
	"the enabled 4022 alert fired once per 4022"
is "$(json '[.[] | select(.alert == "IT Glue: Automap failed for systems")] | length')" 0 \
	"the inactive 4019 alert never fired"
is "$(json '[.[] | select(.threat != "yellow")] | length')" 0 "fired alerts are yellow"
run alerts
like "$out" "IT Glue: Report upload failed +4022 +yellow" "alerts lists them as a table"

# ---- saved searches, reports, dashboards ----
run search "IT Glue - Automap failed systems" --json
is "$(json length)" "$n4019" "the saved search finds every 4019"
run search "IT Glue - Report uploaded" --json
is "$(json '[.[].id] | unique | join(",")')" 4021 "a saved search keeps to its event id"
run search "No such search"
is "$rc" 1 "an unknown saved search is an error"
run kp report "IT Glue - Report upload failed" --format csv
is "$rc" 0 "a report renders as CSV"
is "$(printf '%s\n' "$out" | head -1 | tr -d '\r')" \
	'"time","instance","group","report","report_id","attempts","reason"' "with its columns"
is "$(printf '%s\n' "$out" | tail -n +2 | grep -c '"Demo"')" "$n4022" "one row per event"
run kp report "IT Glue - Report uploaded" --format html --out "$TMP/r.html"
is "$rc" 0 "a report renders as HTML"
like "$(cat "$TMP/r.html")" "<p id=\"count\">$n4021 events?</p>" "with its count"
like "$(cat "$TMP/r.html")" "Weekly: &#39;quoted&#39; \(id 7\)" "and text escaped"
run kp report "IT Glue - Report uploaded" --format pdf
is "$rc" 2 "an unknown format is a usage error"

for d in "IT Glue - Automap failed for groups" "IT Glue - Automap failed for systems" \
	"IT Glue - Report upload failed" "IT Glue - Report uploaded"; do
	run dashboard "$d" --out "$TMP/d.html"
	is "$rc" 0 "dashboard $d renders"
	unlike "$(cat "$TMP/d.html")" "<script|https?://[^\"]*\"[^>]*(src|href)=|<link|@import" \
		"dashboard $d needs nothing outside the page"
done
run dashboard "IT Glue - Automap failed for systems" --out "$TMP/d.html"
like "$(cat "$TMP/d.html")" "id=\"total\">$n4019<" "the dashboard shows the total"
is "$(grep -o '<svg' "$TMP/d.html" | wc -l | tr -d ' ')" 4 "and one SVG per chart"

# ---- headless Chromium: the page loads and shows the counts ----
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	pass "# SKIP chromium is not installed"
else
	profile=$(mktemp -d "$TMP/chromium.XXXXXX")
	flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync
--user-data-dir=$profile --window-size=1200,900"
	# shellcheck disable=SC2086
	timeout 60 "$CHROMIUM" $flags --screenshot="$TMP/d.png" \
		"file://$TMP/d.html" >"$TMP/shot.out" 2>&1
	[ -n "${KP_SCREENSHOT:-}" ] && cp "$TMP/d.png" "$KP_SCREENSHOT"
	is "$(head -c 8 "$TMP/d.png" 2>/dev/null | od -An -c | tr -d ' ')" \
		'211PNG\r\n032\n' "Chromium takes a screenshot of the dashboard"
	# shellcheck disable=SC2086
	dom=$(timeout 60 "$CHROMIUM" $flags --enable-logging=stderr --v=0 \
		--dump-dom "file://$TMP/d.html" 2>"$TMP/dom.err")
	like "$dom" "id=\"total\">$n4019<" "the loaded page shows the total"
	unlike "$(cat "$TMP/dom.err")" "Uncaught|CONSOLE.*(Error|error)" \
		"without script errors"
fi

done_testing
