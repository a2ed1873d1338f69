#!/bin/sh
# The manager model of the reference host: settings, groups, systems, the
# inventory file, report configurations and generated reports.
. "$top_srcdir/tests/integration/lib.sh"

run setting get psa_rmm_integration
is "$rc:$out" "0:off" "\"Enable PSA/RMM Integration\" is off by default"
run setting set psa_rmm_integration on
is "$rc" 0 "setting set psa_rmm_integration on"
run setting get psa_rmm_integration
is "$out" "on" "the setting reads back on"

# Groups.
run group add Default --email it@acme.example
is "$rc" 0 "group add with an e-mail"
run group add Lab
is "$rc" 0 "group add without an e-mail"
run group add Default
is "$rc" 1 "a second group of the same name is refused"
like "$err" "Default" "the refusal names the group"
run group add Broken --email not-an-address
isnt "$rc" 0 "a malformed e-mail is refused"
run group list --json
is "$(json 'length')" 2 "group list --json lists two groups"
is "$(json '.[0].name + " " + .[0].email')" "Default it@acme.example" \
	"group list --json gives name and e-mail"
is "$(json '.[1].email')" "null" "a group without e-mail has email null"
is "$(json '.[0].id | type')" "number" "group ids are numbers"
run group list
like "$out" "Default.*it@acme\.example" "group list prints a table"

# Systems.
run system add WS-01 --group Default --os windows --sensor agent \
	--agent-version 9.3.0 --mac 18-5E-0F-ED-99-9A --mac c4:7a:92:14:3d:78
is "$rc" 0 "system add with two MACs"
run system add FW-01 --group Default --os other --sensor syslog
is "$rc" 0 "system add of a syslog device without MAC"
run system add WS-02 --group Nowhere
is "$rc" 1 "system add into an unknown group is refused"
like "$err" "Nowhere" "the refusal names the group"
run system add WS-03 --group Default --mac zz:zz:zz:zz:zz:zz
isnt "$rc" 0 "a malformed MAC is refused"
like "$err" "zz:zz" "the refusal quotes the MAC"
run system add WS-04 --group Default --os beos
isnt "$rc" 0 "an unknown OS is refused"
run system list --json
is "$(json 'length')" 2 "system list --json lists two systems"
is "$(json '.[0] | [.name, .group, .os, .sensor, .agent_version] | join(" ")')" \
	"WS-01 Default windows agent 9.3.0" "system list --json gives the fields"
is "$(json '.[0].macs | join(" ")')" "18-5E-0F-ED-99-9A c4:7a:92:14:3d:78" \
	"MACs are kept as given"
is "$(json '.[1].macs | length')" 0 "a system without MAC has an empty list"

# The inventory file.
cat >"$TMP/inventory.json" <<'JSON'
{"groups": [{"name": "Globex", "email": "admin@globex.example"},
            {"name": "Initech"}],
 "systems": [{"name": "GX-DC01", "group": "Globex", "os": "windows",
              "sensor": "agent", "agent_version": "9.2.1",
              "macs": ["00:1A:2B:3C:4D:5E"]},
             {"name": "GX-SW01", "group": "Globex", "os": "other",
              "sensor": "syslog"},
             {"name": "IN-WS01", "group": "Initech", "os": "linux",
              "macs": ["001a.2b3c.4d5f"]}]}
JSON
run inventory load "$TMP/inventory.json"
is "$rc" 0 "inventory load of a good file"
like "$out" "2 groups.*3 systems" "inventory load says what it loaded"
run inventory load "$TMP/inventory.json"
is "$rc" 0 "loading the same inventory again succeeds"
run system list --json
is "$(json 'length')" 5 "loading the same inventory twice adds nothing"

cat >"$TMP/bad-mac.json" <<'JSON'
{"groups": [{"name": "Umbrella"}],
 "systems": [{"name": "UM-01", "group": "Umbrella", "macs": ["00:11:22:33:44:55"]},
             {"name": "UM-02", "group": "Umbrella", "macs": ["nope"]}]}
JSON
run inventory load "$TMP/bad-mac.json"
isnt "$rc" 0 "an inventory with one bad MAC is refused"
like "$err" "UM-02" "the refusal names the bad entry"
run group list --json
is "$(json '[.[] | select(.name == "Umbrella")] | length')" 0 \
	"a refused inventory changes nothing"
printf '{"groups": [{"name": "X", "colour": "red"}]}' >"$TMP/unknown-key.json"
run inventory load "$TMP/unknown-key.json"
isnt "$rc" 0 "an inventory with an unknown key is refused"
like "$err" "colour" "the refusal names the unknown key"
printf 'not json' >"$TMP/not-json.json"
run inventory load "$TMP/not-json.json"
isnt "$rc" 0 "an inventory that is not JSON is refused"
run inventory load "$TMP/missing.json"
isnt "$rc" 0 "a missing inventory file is refused"
like "$err" "missing\.json" "the refusal names the file"

# Report configurations and reports.
run report config add "Daily EDR" --group Default --publish-itglue
is "$rc" 0 "report config add with --publish-itglue"
run report config add "Lab weekly" --group Lab
is "$rc" 0 "report config add without publishing"
run report config add "Ghost" --group Nowhere
isnt "$rc" 0 "report config for an unknown group is refused"
run report config list --json
is "$(json '[.[] | "\(.name)/\(.group)/\(.publish_itglue)"] | join(" ")')" \
	"Daily EDR/Default/true Lab weekly/Lab/false" "report config list --json"

printf '<html><body>EDR summary</body></html>\n' >"$TMP/edr.html"
run report generate --config "Daily EDR" --title "EDR Summary Reports" \
	--file "$TMP/edr.html" --system WS-01
is "$rc" 0 "report generate from a configuration"
like "$out" "^[0-9]+$" "report generate prints the report id alone"
report_id=$out
rm "$TMP/edr.html"
run report list --json
is "$(json '.[0].id')" "$report_id" "report list has the new report"
is "$(json '.[0] | [.title, .type, .config, .group] | join("|")')" \
	"EDR Summary Reports|Security Summary|Daily EDR|Default" \
	"report list --json gives title, type, configuration and group"
is "$(json '.[0].publish_itglue')" true "the publish flag comes from the configuration"
is "$(json '.[0].systems | join(",")')" "WS-01" "the report lists its systems"
is "$(json '.[0].file_name')" "edr.html" "the report keeps the file's name"
is "$(json '.[0].size')" 38 "the report records the file's size"
like "$(json '.[0].generated_at')" "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" \
	"generated_at is RFC 3339 UTC"
stored=$(host_path "$(json '.[0].file')")
if [ -f "$stored" ] && grep -q "EDR summary" "$stored"; then
	pass "the report file is kept in the home after the original is gone"
else
	fail "the report file is kept in the home after the original is gone"
fi

printf '<html></html>' >"$TMP/adhoc.html"
run report generate --group Lab --title "Ad hoc" --type "Extended Summary" \
	--file "$TMP/adhoc.html"
is "$rc" 0 "an ad-hoc report for a group"
run report list --json
is "$(json '.[1] | "\(.config)/\(.publish_itglue)/\(.type)"')" \
	"null/false/Extended Summary" "an ad-hoc report has no configuration and is not published"
run report generate --group Lab --title "Missing" --file "$TMP/nope.html"
isnt "$rc" 0 "a report whose file is missing is refused"
run report generate --group Lab --title "Wrong system" --file "$TMP/adhoc.html" \
	--system WS-01
isnt "$rc" 0 "a report naming a system of another group is refused"
run report list --json
is "$(json 'length')" 2 "refused reports are not recorded"

run events --json
is "$out" "[]" "the event log starts empty"

done_testing
