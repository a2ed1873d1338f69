#!/bin/sh
# The incremental auto-map against generated data (issue 8, scenario 2): a
# full first run; a second one with nothing changed in a few requests and
# the same mappings; 1% of the configurations changed (the sandbox's
# /_sandbox/touch) read in the changed pages and a few more, the changes
# seen; contacts and organizations read by their changes too (a contact
# no longer important, an organization renamed; a deleted contact gone
# only after a full pass); {"full": true}; a deleted configuration gone
# only after a full pass
# (automap_full_pass_hours); an organization mapped since the last run read
# in full; a sort that IT Glue did not apply noticed, and read in full.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

ORGS=120
CONFIGS=2500
CONTACTS=240
SYSTEM_EVERY=5 # a system for every 5th configuration
LATE_ORG=120    # its group joins the instance later
PAGE=1000

use_plugins itglue
start_sandbox --generate "orgs=$ORGS,configs=$CONFIGS,contacts=$CONTACTS,important=100"
inspect /_sandbox/data
printf '%s' "$out" >"$TMP/data.json"

# One group per organization (the e-mail domain of its contacts, org<k>),
# and a system with the first interface's MAC for every 5th configuration.
jq --argjson every "$SYSTEM_EVERY" '
	(.organizations | map({key: (.id | tostring), value: .["short-name"]})
		| from_entries) as $short
	| {groups: [.organizations[] | {name: ("G-" + .["short-name"]),
			email: ("it@" + .["short-name"] + ".example")}],
	   systems: [.configurations | to_entries[]
		| select((.key + 1) % $every == 0) | .value
		| {name: ("S-" + (.id | tostring)),
		   group: ("G-" + $short[.["organization-id"] | tostring]),
		   os: "windows", sensor: "agent", agent_version: "9.3.0",
		   macs: [.interfaces[0]["mac-address"]]}]}' \
	"$TMP/data.json" >"$TMP/inventory.json"
run setting set psa_rmm_integration on
run inventory load "$TMP/inventory.json"
is "$rc" 0 "the inventory of the generated data loads"
run admin itglue instance.add \
	"{\"name\": \"Gen\", \"url\": \"$BASE\", \"api_key\": \"ITG.sandbox-us-0000000000000000\"}"
groups=$(jq -c --arg late "G-org$LATE_ORG" '[.groups[].name | select(. != $late)]' "$TMP/inventory.json")
run admin itglue instance.groups "{\"instance\": \"Gen\", \"groups\": $groups}"
is "$rc" 0 "the instance serves every group but one"

# api_requests : API requests the sandbox has answered so far.
api_requests() {
	inspect /_sandbox/counts
	printf '%s' "$out" | jq .total
}
# config_requests : of them, GET /configurations.
config_requests() {
	inspect /_sandbox/counts
	printf '%s' "$out" | jq '.routes."GET /configurations" // 0'
}
# automap REQUEST : runs auto-map; $out is its answer, $requests and
# $config_reqs what it cost.
automap() {
	before=$(api_requests)
	before_configs=$(config_requests)
	run admin itglue automap "$1"
	answer=$out
	answer_rc=$rc
	requests=$(($(api_requests) - before))
	config_reqs=$(($(config_requests) - before_configs))
	out=$answer
	rc=$answer_rc
}
# snapshot : every system of the instance: name, state, configuration id.
snapshot() {
	run admin itglue mappings '{"instance": "Gen"}'
	json '[.systems[] | [.name, .state, .configuration_id]] | sort | tojson'
}
# le GOT LIMIT DESCRIPTION
le() {
	if [ "$1" -le "$2" ]; then
		pass "$3"
	else
		fail "$3"
		diag "got:  $1" "want: at most $2"
	fi
}
read_of() {
	json '.result.runs[0].configurations | "\(.read) \(.reason // "-")"'
}
pages() {
	echo $((($1 + PAGE - 1) / PAGE))
}

dir_of() {
	json '.result.runs[0].contacts_and_organizations | "\(.read) \(.reason // "-")"'
}
# The requests an incremental run makes whatever changed: a page of the
# contacts changed and one of the organizations changed.
BASE_REQUESTS=2

# ---- First run: no mark, everything read ----
automap '{"instance": "Gen"}'
is "$rc" 0 "the first auto-map succeeds"
is "$(read_of)" "full no_mark" "with no mark it reads every configuration"
is "$(dir_of)" "full no_mark" "and every important contact and organization"
first_requests=$requests
first_configs=$config_reqs
is "$(json '.result.runs[0].requests')" "$requests" \
	"the run counts the requests the sandbox answered"
mapped_groups=$(json '.result.runs[0].groups.mapped')
mapped_systems=$(json '.result.runs[0].systems.mapped')
le 101 "$mapped_groups" \
	"more groups map ($mapped_groups) than organizations fit in one filtered listing"
le 100 "$mapped_systems" "systems map by MAC ($mapped_systems)"
S1=$(snapshot)
events_before=$("$XDR_HOST_BIN" --home "$HOME_DIR" events --json | jq length)

# ---- Nothing changed ----
automap '{"instance": "Gen"}'
is "$rc" 0 "a second auto-map succeeds"
is "$(read_of)" "incremental -" "with a recent mark it reads what changed only"
is "$(dir_of)" "incremental -" "contacts and organizations too"
is "$(json '.result.runs[0].contacts_and_organizations.pages')" 2 \
	"nothing changed: a page of contacts and one of organizations"
NOTHING_REQUESTS=$requests
le "$requests" 10 "nothing changed: $requests requests (at most 10; the first run took $first_requests)"
is "$config_reqs" 1 "nothing changed: one page of configurations"
is "$requests" $((BASE_REQUESTS + 1)) \
	"nothing changed: contacts and organizations, and that page"
is "$(json '.result.runs[0].configurations.written')" 0 "nothing changed: no cached row is written"
is "$(snapshot)" "$S1" "nothing changed: the mappings are the same"
is "$("$XDR_HOST_BIN" --home "$HOME_DIR" events --json | jq length)" "$events_before" \
	"nothing changed: no event"

# ---- An organization mapped since the last run is read in full ----
# A full read that failed may have left cached rows of an organization it
# was the first to read: here a configuration of the late organization
# that IT Glue has no more, with the MAC of one of its systems. A run that
# reads that organization in full must neither take it nor keep it.
late_org=$(jq --arg s "org$LATE_ORG" '.organizations[] | select(.["short-name"] == $s) | .id' "$TMP/data.json")
late_system=$(jq -r --arg g "G-org$LATE_ORG" '[.systems[] | select(.group == $g)][0] | .name' "$TMP/inventory.json")
late_mac=$(jq -r --arg n "$late_system" '.systems[] | select(.name == $n) | .macs[0]' "$TMP/inventory.json")
DB="$HOME_DIR/plugins/itglue/itglue.db"
sqlite3 -cmd '.timeout 5000' "$DB" "INSERT INTO automap_configs (instance_id, id, organization_id, name, archived, macs) SELECT id, '9999999', '$late_org', 'Ghost', 0, '[\"$late_mac\"]' FROM instances WHERE name = 'Gen'"
is "$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT count(*) FROM automap_configs WHERE id = '9999999'")" 1 \
	"a row a failed full read could leave is in the cache"
groups=$(jq -c '[.groups[].name]' "$TMP/inventory.json")
run admin itglue instance.groups "{\"instance\": \"Gen\", \"groups\": $groups}"
automap '{"instance": "Gen"}'
is "$(read_of)" "incremental -" "a run with a new organization reads incrementally"
is "$(json '.result.runs[0].configurations.new_organizations')" 1 \
	"and reads the new organization's configurations in full"
late_mapped=$(printf '%s' "$(snapshot)" | jq --arg g "G-org$LATE_ORG" \
	--slurpfile inv "$TMP/inventory.json" '
	[$inv[0].systems[] | select(.group == $g) | .name] as $mine
	| [.[] | select((.[0] as $n | $mine | index($n)) and .[1] == "mapped")] | length')
le 1 "$late_mapped" "its systems map ($late_mapped)"
is "$(printf '%s' "$(snapshot)" | jq --arg n "$late_system" -r '.[] | select(.[0] == $n) | .[2]')" \
	"$(jq -r --arg m "$late_mac" '[.configurations[] | select(.interfaces[0]["mac-address"] == $m) | .id][0]' "$TMP/data.json")" \
	"its system maps to the configuration IT Glue has, not to the one left in the cache"
is "$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT count(*) FROM automap_configs WHERE id = '9999999'")" 0 \
	"and the row left by the failed read leaves the cache"

# ---- 1% changed ----
# touch_status BODY : POST /_sandbox/touch; prints the status, the answer in
# $TMP/touch.json.
touch_status() {
	curl -sS -X POST --max-time 20 -o "$TMP/touch.json" -w '%{http_code}' \
		"$BASE/_sandbox/touch" -d "$1"
}
is "$(touch_status '{"resource": "groups", "every": 100}')" 400 \
	"the sandbox touches configurations, contacts and organizations only"
is "$(touch_status '{"resource": "configurations", "every": 0}')" 400 \
	"touch needs every >= 1 or ids"
is "$(touch_status '{"resource": "configurations", "ids": [999999]}')" 400 \
	"touch refuses an unknown id"
S1=$(snapshot)
curl -sS -X POST --max-time 20 "$BASE/_sandbox/touch" \
	-d '{"resource": "configurations", "every": 100}' >"$TMP/touch.json"
touched=$(jq .touched "$TMP/touch.json")
is "$touched" $((CONFIGS / 100)) "the sandbox changes 1% of the configurations"
changed_pages=$(pages "$touched")
# Those of the organizations the runs follow (the mapped ones) are cached.
run admin itglue mappings '{"instance": "Gen"}'
mapped_orgs=$(json '[.groups[] | select(.state == "mapped") | .organization_id] | unique | tojson')
followed_touched=$(jq --argjson orgs "$mapped_orgs" --slurpfile t "$TMP/touch.json" \
	'[.configurations[] | select((.id | IN($t[0].ids[])) and
		(.["organization-id"] | tostring | IN($orgs[])))] | length' "$TMP/data.json")
# A dry run reads them, and keeps neither the changes nor the mark.
automap '{"instance": "Gen", "dry_run": true}'
is "$(read_of)" "incremental -" "a dry run reads incrementally too"
automap '{"instance": "Gen"}'
is "$rc" 0 "auto-map after 1% changed succeeds"
is "$(read_of)" "incremental -" "1% changed: read incrementally"
ONE_PERCENT_REQUESTS=$requests
ONE_PERCENT_CONFIGS=$config_reqs
le "$requests" $((changed_pages + 5)) \
	"1% changed: $requests requests (at most $changed_pages changed page(s) + 5)"
is "$(json '.result.runs[0].configurations.written')" "$followed_touched" \
	"1% changed: the touched configurations of mapped organizations are written, and only they (the dry run kept none)"
# Each touched configuration had a system mapped by its old MAC: every
# one of those systems lost it.
S2=$(snapshot)
lost=$(jq -rn --argjson t "$(jq -c '.ids | map(tostring)' "$TMP/touch.json")" \
	--argjson before "$S1" --argjson after "$S2" '
	[$before[] | select(.[1] == "mapped" and (.[2] as $c | $t | index($c)))]
	| map(.[0]) as $had
	| [$after[] | select((.[0] as $n | $had | index($n)) and .[1] == "mapped")]
	| "\($had | length) \(length)"')
had=${lost% *}
le 1 "$had" "1% changed: $had touched configurations were mapped to systems"
is "${lost#* }" 0 "1% changed: their new MACs are seen (those systems no longer map)"
is "$(jq -rn --argjson a "$S1" --argjson b "$S2" '[$a[] as $x | select(($b | index([$x])) == null)] | length')" \
	"$had" "1% changed: nothing else changed"

# ---- Half changed: more than a page ----
curl -sS -X POST --max-time 20 "$BASE/_sandbox/touch" \
	-d '{"resource": "configurations", "every": 2}' >"$TMP/touch.json"
touched=$(jq .touched "$TMP/touch.json")
automap '{"instance": "Gen"}'
is "$(json '.result.runs[0].configurations.pages')" 2 \
	"$touched changed: the read stops on the second page"
le "$requests" $(($(pages "$touched") + 5)) \
	"$touched changed: $requests requests (at most $(pages "$touched") changed pages + 5)"

# ---- Contacts and organizations: their changes only ----
# group_state GROUP : "state organization_id organization" of its mapping.
group_state() {
	run admin itglue mappings '{"instance": "Gen"}'
	printf '%s' "$out" | jq -r --arg g "$1" \
		'.groups[] | select(.name == $g) | "\(.state) \(.organization_id) \(.organization)"'
}
org7=$(jq '.organizations[] | select(.["short-name"] == "org7") | .id' "$TMP/data.json")
org7_contacts=$(jq -c --argjson o "$org7" \
	'[.contacts[] | select(.["organization-id"] == $o) | .id]' "$TMP/data.json")
like "$(group_state G-org7)" "^mapped $org7 " "G-org7 maps to org7 by its important contacts"
is "$(touch_status "{\"resource\": \"contacts\", \"ids\": $org7_contacts, \"set\": {\"important\": false}}")" 200 \
	"org7's contacts are no longer important"
automap '{"instance": "Gen"}'
is "$(dir_of)" "incremental -" "a changed contact is read incrementally"
listed=$(json '.result.runs[0].contacts_and_organizations.contacts_listed')
le "$(jq '.ids | length' "$TMP/touch.json")" "$listed" \
	"the contacts changed are taken ($listed with the overlap below the mark)"
is "$((requests - config_reqs))" "$BASE_REQUESTS" \
	"a changed contact: one page of contacts and one of organizations"
unlike "$(group_state G-org7)" "^mapped $org7 " \
	"a contact no longer important no longer maps its domain to org7"
is "$(touch_status "{\"resource\": \"contacts\", \"ids\": $org7_contacts, \"set\": {\"important\": true}}")" 200 \
	"org7's contacts are important again"
automap '{"instance": "Gen"}'
like "$(group_state G-org7)" "^mapped $org7 " "and G-org7 maps to org7 again"
is "$(touch_status "{\"resource\": \"organizations\", \"ids\": [$org7], \"set\": {\"name\": \"Org Seven Renamed\"}}")" 200 \
	"org7 is renamed"
automap '{"instance": "Gen"}'
listed=$(json '.result.runs[0].contacts_and_organizations.organizations_listed')
le 1 "$listed" "the renamed organization is taken ($listed with the overlap)"
is "$(group_state G-org7)" "mapped $org7 Org Seven Renamed" "the mapping shows the new name"
first_contact=$(printf '%s' "$org7_contacts" | jq '.[0]')
is "$(touch_status "{\"resource\": \"contacts\", \"ids\": $org7_contacts, \"delete\": true}")" 200 \
	"org7's contacts are deleted"
automap '{"instance": "Gen"}'
like "$(group_state G-org7)" "^mapped $org7 " \
	"an incremental read does not see a deleted contact"
automap '{"instance": "Gen", "full": true}'
is "$(dir_of)" "full asked" "{\"full\": true} reads every contact and organization"
unlike "$(group_state G-org7)" "^mapped $org7 " \
	"the full pass sees the deleted contacts"
DB="$HOME_DIR/plugins/itglue/itglue.db"
is "$(sqlite3 -cmd '.timeout 5000' "$DB" "SELECT count(*) FROM automap_contacts WHERE id IN ($(printf '%s' "$org7_contacts" | jq -r 'map(tostring | "'"'"'" + . + "'"'"'") | join(",")'))")" 0 \
	"and the deleted contacts leave the cache"

# ---- Asked for: a full read ----
automap '{"instance": "Gen", "full": true}'
is "$rc" 0 "a full auto-map on request succeeds"
is "$(read_of)" "full asked" "{\"full\": true} reads every configuration"
is "$(json '.result.runs[0].configurations.written') $(json '.result.runs[0].changes')" "0 0" \
	"{\"full\": true}: what the incremental runs merged is what a full read finds"
run admin itglue mappings '{"instance": "Gen"}'
mapped_orgs=$(json '[.groups[] | select(.state == "mapped") | .organization_id] | unique | tojson')
mapped_configs=$(jq --argjson orgs "$mapped_orgs" \
	'[.configurations[] | select(.["organization-id"] | tostring | IN($orgs[]))] | length' \
	"$TMP/data.json")
le "$(pages "$mapped_configs")" "$config_reqs" \
	"{\"full\": true}: $config_reqs pages for the $mapped_configs configurations of the mapped organizations"
run admin itglue automap '{"instance": "Gen", "full": 1}'
is "$rc" 1 "\"full\" is true or false"

# ---- A deleted configuration disappears only after a full pass ----
victim=$(printf '%s' "$(snapshot)" | jq -r '[.[] | select(.[1] == "mapped")][0] | "\(.[0]) \(.[2])"')
victim_system=${victim% *}
victim_config=${victim#* }
curl -sS -X POST --max-time 20 "$BASE/_sandbox/touch" \
	-d "{\"resource\": \"configurations\", \"ids\": [$victim_config], \"delete\": true}" >"$TMP/touch.json"
is "$(jq .deleted "$TMP/touch.json")" 1 "the sandbox deletes a configuration"
system_state() {
	printf '%s' "$(snapshot)" | jq -r --arg n "$1" '.[] | select(.[0] == $n) | "\(.[1]) \(.[2])"'
}
automap '{"instance": "Gen"}'
is "$(read_of)" "incremental -" "after a deletion, a run within the day reads incrementally"
is "$(system_state "$victim_system")" "mapped $victim_config" \
	"an incremental read does not see the deletion"
DB="$HOME_DIR/plugins/itglue/itglue.db"
sqlite3 "$DB" "PRAGMA busy_timeout = 5000; UPDATE automap_sync SET full_at = full_at - 24 * 3600" >/dev/null
automap '{"instance": "Gen"}'
is "$(read_of)" "full due" "a day after the last full pass, the run reads in full"
like "$(system_state "$victim_system")" "^failed" \
	"the full pass sees the deletion: the system's auto mapping follows the data"

# ---- automap_full_pass_hours ----
run admin itglue config.set '{"automap_full_pass_hours": 0}'
is "$(json .automap_full_pass_hours)" 0 "automap_full_pass_hours is a setting"
automap '{"instance": "Gen"}'
is "$(read_of)" "full always" "automap_full_pass_hours 0: every run reads in full"
run admin itglue config.set '{"automap_full_pass_hours": 721}'
is "$rc" 1 "more than 720 hours is refused"
like "$(json .error.message)" "automap_full_pass_hours" "and the refusal names the setting"
run admin itglue config.set '{"automap_full_pass_hours": -1}'
is "$rc" 1 "a negative number of hours is refused"
run admin itglue config.set '{"automap_full_pass_hours": null}'
is "$(json '.automap_full_pass_hours')" null "null goes back to the default (24)"
automap '{"instance": "Gen"}'
is "$(read_of)" "incremental -" "with the default, the next run reads incrementally again"

# ---- A sort IT Glue did not apply is noticed ----
# Times with an offset sort as text in another order than in time: what a
# server that ignored sort=-updated_at would answer.
jq '(.configurations[] | select(.id == 100) | .["updated-at"]) = "2024-06-01T12:00:00.000+05:00"
	| (.configurations[] | select(.id == 101) | .["updated-at"]) = "2024-06-01T08:00:00.000Z"' \
	"$DEMO" >"$TMP/unsorted.json"
start_sandbox --data "$TMP/unsorted.json"
run admin itglue instance.add \
	"{\"name\": \"Demo\", \"url\": \"$BASE\", \"api_key\": \"$US_KEY\"}"
run inventory load "$top_srcdir/host-sdk/examples/inventory.json"
run admin itglue instance.groups '{"instance": "Demo", "groups": ["Default"]}'
run admin itglue automap '{"instance": "Demo"}'
is "$(read_of)" "full no_mark" "the demo's first run reads in full"
demo_snapshot() {
	run admin itglue mappings '{"instance": "Demo"}'
	json '[.systems[] | [.name, .state, .configuration_id]] | sort | tojson'
}
S3=$(demo_snapshot)
run admin itglue automap '{"instance": "Demo"}'
is "$rc" 0 "a run whose answer is not sorted succeeds"
is "$(read_of)" "full not_sorted" "an answer not sorted by -updated_at is read in full, in the same run"
is "$(demo_snapshot)" "$S3" "and maps the same"
like "$(grep 'did not sort' "$HOME_DIR/xdr-host.log" | tail -n 1)" \
	"WARN.*did not sort the configurations" "the fallback is logged as a warning"
start_sandbox --data "$DEMO"
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue automap '{"instance": "Demo"}'
is "$(read_of)" "full source_changed" "another URL for the instance reads in full"

diag "requests: first run $first_requests ($first_configs of configurations)," \
	"nothing changed $NOTHING_REQUESTS, 1% changed $ONE_PERCENT_REQUESTS ($ONE_PERCENT_CONFIGS of configurations)"

done_testing
