#!/bin/sh
# Mapping against the sandbox's demo data, as the seed walks through it:
# auto-map (groups by the e-mail domain of important contacts, systems by
# MAC), each 4018 and 4019 reason, events not repeated for unchanged
# failures, the dry run, manual mapping and its precedence, exclusions, stale
# mappings, and the 6-hour schedule driven by tick --now.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

use_plugins itglue
start_sandbox --data "$DEMO"
demo_host Default Globex Lab
run system add ACME-NOMAC --group Default --os windows --sensor agent
run system add ACME-ELSEWHERE --group Default --os windows --mac 02-11-22-33-44-55
run system add ACME-DC01-TWIN --group Default --os windows --mac 18:5e:0f:ed:99:9a
run group add Gmail --email someone@gmail.com
run group add Nowhere --email it@nowhere.example
run group add Kraken --email noc@kraken.example
run admin itglue instance.groups '{"instance": "Demo", "groups": ["Default", "Globex", "Lab", "Gmail", "Nowhere", "Kraken"]}'
run admin itglue config.set '{"msp_domains": ["kraken.example"]}'
is "$rc" 0 "the MSP's own domain is configurable"

# group_state NAME / system_state NAME : state and mapping from "mappings".
mappings() {
	run admin itglue mappings '{"instance": "Demo"}'
}
group_row() {
	printf '%s' "$out" | jq -r ".groups[] | select(.name == \"$1\") | \"\(.state) \(.organization // \"-\") \(.source // \"-\")\""
}
system_row() {
	printf '%s' "$out" | jq -r ".systems[] | select(.name == \"$1\") | \"\(.state) \(.configuration // \"-\") \(.source // \"-\")\""
}
contacts_requests() {
	inspect /_sandbox/counts
	printf '%s' "$out" | jq '.routes."GET /contacts" // 0'
}

# ---- Dry run: what it would do, and nothing changes ----
run admin itglue automap '{"instance": "Demo", "dry_run": true}'
is "$rc" 0 "a dry run succeeds"
is "$(json '.result.runs[0].details[] | select(.group == "Default") | .outcome')" mapped \
	"the dry run says Default would map"
is "$(json '.result.runs[0].details[] | select(.group == "Default") | .organization_id')" 1 \
	"to Acme Corp. (1)"
mappings
is "$(group_row Default)" "unmapped - -" "a dry run maps nothing"
run events --json
is "$out" "[]" "a dry run emits no event"

# ---- The seed's walk-through: Auto Map ----
run admin itglue automap '{"instance": "Demo"}'
is "$rc" 0 "auto-map succeeds"
is "$(json .state)" done "the job is done when xdr-host returns"
is "$(json '.result.runs[0].groups.mapped')" 1 "one group maps"
mappings
is "$(group_row Default)" "mapped Acme Corp. auto" \
	"Default maps to Acme Corp. by the domain of its important contact"
is "$(system_row ACME-WS01)" "mapped ACME-WS01 auto" \
	"a system maps by a MAC on an interface (colons, upper case)"
is "$(system_row ACME-FW01 | cut -d' ' -f1)" needs_manual \
	"a syslog device without MAC needs manual mapping"

run events --id 4018 --json
reason_of() {
	printf '%s' "$out" | jq -r ".[] | select(.fields.group == \"$1\") | .fields.reason"
}
like "$(reason_of Globex)" "several organizations" "4018: a domain in two organizations"
like "$(printf '%s' "$out" | jq -r '.[] | select(.fields.group == "Globex") | .fields.candidates')" \
	"Globex \(2\), Globex Holdings \(3\)" "4018 names the candidate organizations"
like "$(reason_of Lab)" "no customer e-mail" "4018: a group without e-mail"
like "$(reason_of Nowhere)" "no important contact|no organization" "4018: no organization has the domain"
like "$(reason_of Gmail)" "public" "4018: a public mail provider's domain"
like "$(reason_of Kraken)" "MSP" "4018: the MSP's own domain"
is "$(printf '%s' "$out" | jq -r '.[] | select(.fields.group == "Globex") | .fields.domain')" \
	globex.example "4018 carries the domain"

run events --id 4019 --json
sys_reason() {
	printf '%s' "$out" | jq -r ".[] | select(.fields.system == \"$1\") | .fields.reason"
}
like "$(sys_reason ACME-WS02)" "several configurations" "4019: a MAC on two configurations"
like "$(printf '%s' "$out" | jq -r '.[] | select(.fields.system == "ACME-WS02") | .fields.candidates')" \
	"ACME-WS02 \(102\), ACME-WS02-CLONE \(103\)" "4019 names both configurations"
like "$(sys_reason ACME-NOMAC)" "no MAC" "4019: an agent without MAC"
like "$(sys_reason ACME-ELSEWHERE)" "no configuration" "4019: no configuration has the MAC"
like "$(sys_reason ACME-DC01-TWIN)" "mapped to another system|taken|ACME-DC01" \
	"4019: the configuration belongs to another system already"
is "$(printf '%s' "$out" | jq '[.[] | select(.fields.system == "ACME-FW01")] | length')" 0 \
	"a syslog device is not announced as a failure"
events_before=$("$XDR_HOST_BIN" --home "$HOME_DIR" events --json | jq length)

# ---- Unchanged failures are not announced again ----
run admin itglue automap '{"instance": "Demo"}'
is "$("$XDR_HOST_BIN" --home "$HOME_DIR" events --json | jq length)" "$events_before" \
	"a second run announces no unchanged failure"
cat >"$TMP/changed.json" <<'JSON'
{"groups": [{"name": "Gmail", "email": "someone@nowhere.example"}]}
JSON
run inventory load "$TMP/changed.json"
run admin itglue automap '{"instance": "Demo"}'
run events --id 4018 --json
is "$(printf '%s' "$out" | jq '[.[] | select(.fields.group == "Gmail")] | length')" 2 \
	"a failure whose reason changed is announced again"

# ---- Manual mapping wins; unmapping an auto mapping excludes it ----
run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
run admin itglue import '{"instance": "Demo", "feature": "configurations"}'
run admin itglue map '{"instance": "Demo", "group": "Globex", "organization_id": "2"}'
is "$rc" 0 "a group is mapped by hand"
run admin itglue map '{"instance": "Demo", "system": "ACME-WS02", "configuration_id": 103}'
is "$rc" 0 "a system is mapped by hand to one of its two candidates"
run admin itglue map '{"instance": "Demo", "system": "ACME-DC01-TWIN", "configuration_id": "100"}'
is "$rc" 1 "a configuration mapped to another system is refused"
like "$(json .error.message)" "mapped to system" "and the refusal says so"
run admin itglue map '{"instance": "Demo", "system": "ACME-FW01", "configuration_id": "200"}'
is "$rc" 1 "a configuration of another organization is refused"
run admin itglue map '{"instance": "Demo", "group": "Lab", "organization_id": "999"}'
like "$(json .error.message)" "not imported" "an organization that was not imported is refused"
run admin itglue map '{"instance": "Demo", "system": "ACME-FW01", "configuration_id": "104"}'
is "$rc" 0 "a syslog device is mapped by hand"
run admin itglue automap '{"instance": "Demo"}'
mappings
is "$(group_row Globex)" "mapped Globex manual" "auto-map keeps a manual group mapping"
is "$(system_row ACME-WS02)" "mapped ACME-WS02-CLONE manual" "auto-map keeps a manual system mapping"
is "$(system_row GLOBEX-SRV01)" "mapped GLOBEX-SRV01 auto" \
	"once its group is mapped by hand, a system auto-maps"
is "$(system_row ACME-FW01)" "mapped ACME-FW01 manual" "the syslog device stays mapped by hand"

# ---- The console's lists, from the command line ----
# A page of mappings is the whole answer's rows, filtered and cut.
jsonc() {
	printf '%s' "$out" | jq -c "$1"
}
mappings
all_mapped=$(printf '%s' "$out" | jq -c '[.systems[] | select(.state == "mapped") | .name]')
globex_systems=$(printf '%s' "$out" | jq -c '[.systems[] | select(.group == "Globex") | .name]')
run admin itglue mappings '{"instance": "Demo", "kind": "systems", "state": "mapped", "limit": 1000}'
is "$rc" 0 "a page of mappings is answered"
is "$(jsonc '[.items[].name]')" "$all_mapped" "a page of mapped systems lists those the whole answer says are mapped"
is "$(json .total)" "$(printf '%s' "$all_mapped" | jq length)" "and its total counts them"
run admin itglue mappings '{"instance": "Demo", "kind": "systems", "state": "mapped", "offset": 1, "limit": 2}'
is "$(jsonc '[.items[].name]')" "$(printf '%s' "$all_mapped" | jq -c '.[1:3]')" \
	"offset 1, limit 2: the second and third of them"
run admin itglue mappings '{"instance": "Demo", "kind": "systems", "group": "Globex"}'
is "$(jsonc '[.items[].name]')" "$globex_systems" "a page of one group's systems"
run admin itglue mappings '{"instance": "Demo", "kind": "groups", "limit": 1001}'
is "$rc" 1 "a limit over 1000 is refused"
like "$(json .error.message)" "\"limit\" must be an integer from 1 to 1000" "and the refusal says the bounds"
run admin itglue imported.list '{"instance": "Demo", "feature": "organizations", "limit": 1000}'
is "$rc" 0 "the imported organizations are listed"
is "$(json .total)" "$(sqlite3 "$HOME_DIR/plugins/itglue/itglue.db" "SELECT count(*) FROM itg_organizations")" \
	"every imported organization is counted"
run admin itglue imported.list '{"instance": "Demo", "feature": "configurations", "organization_id": "1", "limit": 1000}'
is "$(json '[.items[].organization_id] | unique | join(",")')" 1 \
	"the configurations of one organization are its own"
is "$(json .total)" "$(sqlite3 "$HOME_DIR/plugins/itglue/itglue.db" "SELECT count(*) FROM itg_configurations WHERE organization_id = '1'")" \
	"and all of them are counted"
run admin itglue outbox.list '{"state": "failed"}'
is "$(jsonc '[.total, .items]')" '[0,[]]' "nothing published: the outbox lists nothing"
# Import Selected: a page of what an import would bring, stored nowhere.
count_orgs() {
	sqlite3 "$HOME_DIR/plugins/itglue/itglue.db" "SELECT count(*) FROM itg_organizations"
}
orgs_before=$(count_orgs)
sqlite3 "$HOME_DIR/plugins/itglue/itglue.db" "DELETE FROM itg_organizations WHERE id = '3'"
run admin itglue import.preview '{"instance": "Demo", "feature": "organizations", "limit": 2}'
is "$rc" 0 "a preview of an import succeeds"
is "$(json .state)" done "its job is done when xdr-host returns"
is "$(json '.result.items | length')" 2 "it lists one page: two organizations"
is "$(json .result.total)" "$orgs_before" "and IT Glue's count of them all"
is "$(count_orgs)" "$((orgs_before - 1))" "a preview stores nothing"
first_page=$(jsonc '[.result.items[].id]')
run admin itglue import.preview '{"instance": "Demo", "feature": "organizations", "offset": 2, "limit": 2}'
is "$(jsonc "[.result.items[].id] - $first_page | length")" 2 "offset 2, limit 2: the next two"
run admin itglue import.preview '{"instance": "Demo", "feature": "organizations", "filter": {"name": "Globex"}}'
is "$(jsonc '[.result.items[] | [.id, .name]]')" '[["2","Globex"]]' "a preview takes the import's filters"
run admin itglue import.preview '{"instance": "Demo", "feature": "organizations", "offset": 3, "limit": 2}'
is "$rc" 1 "a preview starting inside a page is refused"
run admin itglue import '{"instance": "Demo", "feature": "organizations", "select": ["3"]}'
is "$(count_orgs)" "$orgs_before" "what a preview listed is imported by its id"

run admin itglue unmap '{"instance": "Demo", "system": "ACME-WS01"}'
is "$(json .excluded)" true "unmapping an auto mapping remembers it as excluded"
run admin itglue automap '{"instance": "Demo"}'
mappings
is "$(system_row ACME-WS01 | cut -d' ' -f1)" unmapped "auto-map does not redo what an administrator undid"
run admin itglue automap '{"instance": "Demo", "reset_exclusions": true}'
mappings
is "$(system_row ACME-WS01)" "mapped ACME-WS01 auto" "reset_exclusions lets auto-map map it again"
run admin itglue unmap '{"instance": "Demo", "system": "GLOBEX-SRV01"}'
run admin itglue automap '{"instance": "Demo", "groups": ["Default"], "reset_exclusions": true}'
run admin itglue automap '{"instance": "Demo"}'
mappings
is "$(system_row GLOBEX-SRV01 | cut -d' ' -f1)" unmapped \
	"reset_exclusions of a run of some groups keeps the other groups' exclusions"
run admin itglue unmap '{"instance": "Demo", "group": "Globex"}'
is "$(json .excluded)" false "unmapping a manual mapping excludes nothing"
run admin itglue unmap '{"instance": "Demo", "group": "Globex"}'
is "$rc" 1 "unmapping an unmapped group is refused"

# ---- A mapping whose configuration disappeared is flagged ----
jq 'del(.configurations[] | select(.id == 101 or .id == 104))' "$DEMO" >"$TMP/less.json"
start_sandbox --data "$TMP/less.json"
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue automap '{"instance": "Demo"}'
mappings
is "$(system_row ACME-FW01 | cut -d' ' -f1)" stale \
	"a manual mapping whose configuration is gone is flagged stale, not kept silently"
is "$(system_row ACME-WS01 | cut -d' ' -f1)" failed \
	"an auto mapping whose configuration is gone follows the data: it fails"
run events --id 4019 --json
like "$(sys_reason ACME-WS01)" "no configuration" "and the failure is announced"

# ---- A mapping made by hand while auto-map runs is not overwritten ----
# Each IT Glue answer takes a second: the group is mapped by hand (written to
# the store as the map action does) once the run has read the mappings and
# waits for the contacts, and before it writes its results.
DB="$HOME_DIR/plugins/itglue/itglue.db"
start_sandbox --data "$DEMO" --latency-ms 1000
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
mappings
default_id=$(printf '%s' "$out" | jq '.groups[] | select(.name == "Default") | .id')
run admin itglue unmap '{"instance": "Demo", "group": "Default"}'
"$XDR_HOST_BIN" --home "$HOME_DIR" --plugin-dir "$PLUGIN_DIR" admin itglue \
	automap '{"instance": "Demo", "reset_exclusions": true}' \
	>"$TMP/bg.out" 2>"$TMP/bg.err" </dev/null &
bg=$!
for _ in $(seq 1 100); do
	[ "$(contacts_requests)" -ge 1 ] && break
	sleep 0.05
done
sqlite3 "$DB" "PRAGMA busy_timeout = 5000; INSERT INTO group_mappings
	(instance_id, group_id, organization_id, organization_name, source,
	updated_at) SELECT instances.id, $default_id, '2', 'Globex', 'manual', 0
	FROM instances WHERE name = 'Demo'" >/dev/null
wait "$bg"
is "$?" 0 "auto-map succeeds when a mapping changed during the run"
mappings
is "$(group_row Default)" "mapped Globex manual" \
	"a group mapped by hand during auto-map keeps its manual mapping"
run admin itglue unmap '{"instance": "Demo", "group": "Default"}'

# ---- The schedule: every 6 hours, driven by the host's clock ----
start_sandbox --data "$DEMO"
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run tick --now 2026-03-01T00:00:00Z
is "$(contacts_requests)" 1 "the first tick runs auto-map"
run tick --now 2026-03-01T05:59:00Z
is "$(contacts_requests)" 1 "5 h 59 min later it does not run again"
run tick --now 2026-03-01T06:00:00Z
is "$(contacts_requests)" 2 "6 hours later it runs again"
run admin itglue config.set '{"automap_interval_hours": 0}'
run tick --now 2026-03-02T00:00:00Z
is "$(contacts_requests)" 2 "automap_interval_hours 0 turns the schedule off"
run admin itglue config.set '{"automap_interval_hours": 48}'
is "$(json .automap_interval_hours)" 48 "the interval is configurable"
run admin itglue config.set '{"automap_interval_hours": -1}'
is "$rc" 1 "a negative interval is refused"

run setting set psa_rmm_integration off
run admin itglue config.set '{"automap_interval_hours": null}'
run tick --now 2026-03-09T00:00:00Z
is "$(contacts_requests)" 2 "with the integration off, the schedule does nothing"

check_parsing_rule

done_testing
