#!/bin/sh
# The console's JSON API walked as the seed's screens walk it, against the
# sandbox: "Enable PSA/RMM Integration", an instance added (its key sent on
# stdin), Test Connection and its job, an import with a filter, auto-map
# previewed then applied, a page of mappings, a group and a system mapped
# and unmapped by hand, "Publish report to the IT Glue" refused for a group
# never mapped and accepted for a mapped one, a report generated and
# published (4021), one published by hand, the outbox, the events and a
# dashboard. The API key is in no answer and not in the host's log.
. "$top_srcdir/tests/integration/console_lib.sh"

# Every answer of the walk, to look for the API key in.
ANSWERS="$TMP/answers"
: >"$ANSWERS"

# get PATH : GET, its answer kept.
get() {
	api GET "$1"
	printf '%s\n' "$out" >>"$ANSWERS"
}

# send METHOD PATH [JSON] : a JSON request with the CSRF token, its answer
# kept.
send() {
	api_write "$@"
	printf '%s\n' "$out" >>"$ANSWERS"
}

# finish JOB : polls GET /api/itglue/jobs/JOB until the job is no longer
# queued or running (60 s at most); $out is the job then.
finish() {
	for _ in $(seq 1 300); do
		get "/api/itglue/jobs/$1"
		case $(json .state) in
		queued | running) sleep 0.2 ;;
		*) return 0 ;;
		esac
	done
	diag "job $1 did not finish: $out"
}

# report_state REPORT : the report's outbox state, polled until it is done
# or failed (60 s at most).
report_state() {
	for _ in $(seq 1 300); do
		get "/api/itglue/outbox?limit=500"
		state=$(json "[.items[] | select(.report_id == $1) | .state][0] // \"none\"")
		case $state in
		done | failed) break ;;
		esac
		sleep 0.2
	done
	printf '%s\n' "$state"
}

use_plugins itglue
start_sandbox --data "$DEMO"
run inventory load "$top_srcdir/host-sdk/examples/inventory.json"
# The knowledge pack, for its dashboards.
sh "$top_srcdir/packaging/kp-build.sh" "$TMP/itglue.kp" openxdr-itglue 0.0.0 \
	"$ITGLUE_SO" "$top_srcdir/packaging/knowledge-pack" >/dev/null 2>&1
run kp install "$TMP/itglue.kp"
is "$rc" 0 "the knowledge pack is installed"
set_password
start_console --tick-seconds 0
login
is "$status" 200 "the administrator logs in"

# ---- Admin > Manager: "Enable PSA/RMM Integration" ----
get /api/itglue/instances
is "$(error_code)" integration_disabled "the plugin's actions wait for the integration"
send PUT /api/settings/psa_rmm_integration '{"value": "on"}'
is "$status" 200 "the integration is turned on"
get /api/settings/psa_rmm_integration
is "$(json .value)" on "and reads back on"
send PUT /api/settings/psa_rmm_integration '{"value": "yes"}'
is "$status" 400 "a value the setting does not take is refused"
get /api/settings/no_such_setting
is "$status" 404 "an unknown setting is not found"
send PUT /api/settings/psa_rmm_integration '{"value": "on", "extra": 1}'
is "$status:$(json .error.message)" '400:a setting takes no member "extra"' \
	"a member the setting does not know is refused, named"
get /api/plugins
is "$(json '[.[] | select(.name == "itglue") | .loaded][0]')" true \
	"the plugins list shows itglue loaded"

# ---- PSA/RMM Integration > IT Glue: Add, Test Connection ----
send POST /api/itglue/instances @- <<EOF
{"name": "Demo", "url": "$BASE", "api_key": "$US_KEY"}
EOF
is "$status" 200 "an instance is added, its key sent on stdin"
like "$(json .api_key)" '^ITG\.\*+0000$' "the answer shows the key masked"
send POST /api/itglue/instances '{"name": 5, "url": "x", "api_key": "k"}'
is "$status:$(json .error.message)" '400:"name" must be a string' \
	"a member of the wrong type is refused, named"
send POST /api/itglue/instances '{"name": "X", "region": "us", "api_key": "k", "owner": "me"}'
is "$status:$(json .error.code)" 400:bad_request \
	"a member instance.add does not know is refused, not passed on"
send POST /api/itglue/instances '{"name": "Empty", "region": "us", "api_key": ""}'
is "$status:$(error_code)" 400:bad_request \
	"an empty API key is the plugin's refusal, not a key shown in its answer"
send PUT /api/itglue/instances/Demo/groups '{"groups": ["Default", "Globex", "Lab"]}'
is "$(json '[.groups[].name] | join(",")')" Default,Globex,Lab \
	"the instance serves the three groups"
send PUT /api/itglue/instances/Demo '{"proxy": null}'
is "$status:$(json .proxy)" 200:null "an instance is updated, null clearing its proxy"
send POST /api/itglue/instances '{"name": "Spare", "region": "eu", "api_key": "ITG.spare-key-000"}'
api DELETE /api/itglue/instances/Spare -H "X-CSRF-Token: $CSRF"
is "$status:$(json .name)" 200:Spare "an instance is removed"
get /api/itglue/status
is "$(json .enabled)" true "the plugin's status says the integration is on"
get /api/itglue/config
is "$status" 200 "the plugin's settings are read"
send PUT /api/itglue/config '{"automap_interval_hours": 0}'
is "$status:$(json .automap_interval_hours)" 200:0 "a plugin setting is changed"
send PUT /api/itglue/config '{"colour": "red"}'
is "$status" 400 "a setting the plugin does not have is refused"
get '/api/groups?q=GL'
is "$(json '[.items[].name] | join(",")'):$(json .total)" Globex:1 "groups are searched by name"
get '/api/systems?group=Default&limit=2'
is "$(json '.items | length'):$(json .total)" 2:4 "a page of a group's systems"
get '/api/systems?group=Nowhere'
is "$status" 404 "the systems of an unknown group are not found"
send POST /api/itglue/instances/Demo/test
job=$(json .job)
finish "$job"
is "$(json .state):$(json .result.ok)" done:true "Test Connection's job ends connected"
get /api/itglue/instances
is "$(json '.instances[0].last_test.ok')" true "the instance shows the green light"

# ---- Import, with a filter ----
send POST /api/itglue/instances/Demo/import-preview '{"feature": "organizations", "limit": 2}'
finish "$(json .job)"
is "$(json .state):$(json '.result.items | length')" done:2 "Import Selected's preview is a page read from IT Glue"
send POST /api/itglue/instances/Demo/import '{"feature": "organizations", "filter": {"name": "Globex"}}'
finish "$(json .job)"
is "$(json .state):$(json .result.imported)" done:1 "an import takes a filter"
send POST /api/itglue/instances/Demo/import '{"feature": "organizations", "filter": {"colour": "red"}}'
is "$status:$(json .error.message)" '400:filter takes no member "colour"' \
	"a filter the import does not know is refused, named"
send POST /api/itglue/instances/Demo/import '{"feature": "organizations"}'
finish "$(json .job)"
send POST /api/itglue/instances/Demo/import '{"feature": "configurations", "filter": {"organization_id": 1}}'
finish "$(json .job)"
is "$(json .state)" done "the configurations of one organization are imported"
get '/api/itglue/instances/Demo/imported?feature=organizations&q=GLOB&limit=1'
is "$(json .total):$(json '.items | length')" 2:1 \
	"imported organizations are searched and paged"

# ---- Auto Map: the dry run's preview, then applied ----
send POST /api/itglue/automap '{"instance": "Demo", "dry_run": true}'
finish "$(json .job)"
is "$(json .state)" done "the dry run ends"
like "$(printf '%s' "$out" | jq -c '.result.runs[0]')" Default "the preview details each group"
get '/api/itglue/instances/Demo/mappings?kind=groups&state=mapped'
is "$(json .total)" 0 "a dry run maps nothing"
send POST /api/itglue/automap '{"instance": "Demo"}'
finish "$(json .job)"
get '/api/itglue/instances/Demo/mappings?kind=groups&state=mapped'
is "$(json '[.items[].name] | join(",")')" Default "auto-map maps the group Default"
get '/api/itglue/instances/Demo/mappings?kind=systems&limit=2'
is "$(json '.items | length'):$(json .total)" 2:6 "a page of 2 mappings, and the total"
get '/api/itglue/instances/Demo/mappings?kind=systems&limit=0'
is "$status" 400 "a limit of 0 is refused"

# ---- Mapping by hand ----
send POST /api/itglue/map '{"instance": "Demo", "group": "Globex", "organization_id": "2"}'
is "$status" 200 "a group is mapped by hand"
send POST /api/itglue/map '{"instance": "Demo", "system": "ACME-FW01", "configuration_id": "104"}'
is "$status" 200 "a system is mapped by hand"
send POST /api/itglue/unmap '{"instance": "Demo", "system": "ACME-FW01"}'
is "$status:$(json .name)" 200:ACME-FW01 "the system's map is removed"
send POST /api/itglue/unmap '{"instance": "Demo", "group": "Globex"}'
is "$status:$(json .name)" 200:Globex "the group's map is removed"
send POST /api/itglue/map '{"instance": "Demo", "group": "Lab", "organization_id": "999"}'
is "$status" 404 "a map to an organization never imported is refused"

# ---- Report Configuration: "Publish report to the IT Glue" ----
get '/api/itglue/publish-check?group=Default'
is "$status:$(json .ok)" 200:true "a mapped group can publish"
get '/api/itglue/publish-check?group=Lab'
is "$status:$(error_code)" 409:not_mapped "a group never mapped cannot"
send POST /api/report-configs '{"name": "Lab weekly", "group": "Lab", "publish_itglue": true}'
is "$status:$(error_code)" 409:not_mapped "publishing is refused for a group never mapped"
like "$(json .error.message)" "not mapped" "in the plugin's words"
get /api/report-configs
is "$(json .total)" 0 "and nothing is stored"
send POST /api/report-configs '{"name": "Daily EDR", "group": "Default", "publish_itglue": true}'
is "$status:$(json .publish_itglue)" 201:true "publishing is accepted for a mapped group"
send POST /api/report-configs '{"name": "Lab weekly", "group": "Lab"}'
lab=$(json .id)
send PUT "/api/report-configs/$lab" '{"publish_itglue": true}'
is "$status:$(error_code)" 409:not_mapped "an update that turns publishing on is checked too"
send PUT "/api/report-configs/$lab" '{"publish_itglue": "yes"}'
is "$status:$(json .error.message)" '400:"publish_itglue" must be true or false' \
	"publish_itglue must be a boolean"
get '/api/report-configs?q=daily'
is "$(json '[.items[].name] | join(",")'):$(json .total)" "Daily EDR:1" \
	"configurations are searched by name"

# ---- Report Dashboard: generate, published on generation ----
api POST "/api/reports?config=Daily%20EDR&title=EDR%20Summary%20Reports" \
	-H 'Content-Type: text/html' -H "X-CSRF-Token: $CSRF" \
	--data-binary "@$top_srcdir/host-sdk/examples/edr-summary.html"
printf '%s\n' "$out" >>"$ANSWERS"
is "$status" 201 "a report is generated from an HTML body"
rid=$(json .id)
is "$(report_state "$rid")" done "the report goes through the outbox to done"
get '/api/events?id=4021'
is "$(json .total):$(json '.items[0].fields.report_id')" "1:$rid" \
	"event 4021 says the report was uploaded"
get /api/reports
is "$(json '.items[0].id'):$(json '.items[0].itglue.state')" "$rid:done" \
	"the report list carries each report's IT Glue state"
is "$(json '.items[0].file_name')" report.html "the report's file is kept as report.html"
is "$(ls -d "$HOME_DIR"/console-upload-* 2>/dev/null | wc -l | tr -d ' ')" 0 \
	"and the upload leaves nothing behind"
api POST "/api/reports?config=Daily%20EDR&title=Empty" \
	-H 'Content-Type: text/html' -H "X-CSRF-Token: $CSRF" --data-binary ''
is "$status" 400 "an empty report is refused"

# ---- Publish to IT Glue, by hand ----
api POST "/api/reports?group=Default&title=Ad%20hoc" \
	-H 'Content-Type: text/html' -H "X-CSRF-Token: $CSRF" \
	--data-binary '<html><body>ad hoc</body></html>'
adhoc=$(json .id)
get /api/reports
is "$(json '.items[0].itglue')" null "a report never queued has no IT Glue state"
send POST /api/itglue/publish "{\"report_id\": $adhoc}"
finish "$(json .job)"
is "$(json .state):$(json .result.state)" done:done "a report is published by hand"
get '/api/itglue/outbox?state=done'
is "$(json '[.items[].report_id] | sort | map(tostring) | join(",")')" "$rid,$adhoc" \
	"the outbox lists both reports done"
send POST /api/itglue/publish "{\"report_id\": $adhoc}"
is "$status:$(error_code)" 409:busy \
	"publishing a report published already is a conflict (409), not a retry"
like "$(json .error.message)" 'published already' "which the message says"
send POST /api/itglue/publish '{"report_id": "1"}'
is "$status:$(json .error.message)" '400:"report_id" must be an integer' \
	"a report id must be an integer"

# ---- Events and dashboards ----
get '/api/events?id=4021&limit=1'
is "$(json .limit):$(json .total)" 1:2 "the event log is paged"
get '/api/events?q=report%20%27ad%20hoc%27'
is "$(json .total):$(json '.items[0].id')" 1:4021 "the event log is searched"
get '/api/reports?q=AD%20HOC'
is "$(json .total):$(json '.items[0].id')" "1:$adhoc" "reports are searched"
get '/api/systems?q=acme'
is "$status" 400 "systems cannot be searched"
get '/api/events?id=x'
is "$status" 400 "an event id must be a number"
get /api/dashboards
like "$(json '.items | join(",")')" "IT Glue - Report uploaded" "the pack's dashboards are listed"
get "/dashboards/IT%20Glue%20-%20Report%20uploaded"
is "$status" 200 "a dashboard is rendered"
like "$(header Content-Type)" '^text/html' "as HTML"
is "$(header Content-Security-Policy)" \
	"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'" \
	"with a policy that allows no script"
like "$out" "Acme Corp\\." "showing the uploaded reports by organization"
get "/dashboards/No%20such%20dashboard"
is "$status" 404 "an unknown dashboard is not found"

# ---- The key ----
is "$(grep -c -F "$US_KEY" "$ANSWERS")" 0 "the API key is in no answer"
stop_console
is "$(grep -c -F "$US_KEY" "$HOME_DIR/xdr-host.log")" 0 "nor in the host's log"

# A plugin that would show the key it is given (the probe, in itglue's
# place, answers instance.add with the request): the console refuses to.
rm -f "$PLUGIN_DIR"/*
cp "$TEST_PLUGINS/probe$EXT" "$PLUGIN_DIR/itglue$EXT"
start_console --tick-seconds 0
login
send POST /api/itglue/instances @- <<EOF
{"name": "Leak", "region": "us", "api_key": "$EU_KEY"}
EOF
is "$status:$(error_code)" 500:internal_error \
	"an answer that would show the API key is refused"
unlike "$out" "$EU_KEY" "and the key is not in it"

# Without the plugin: its routes say so, and publishing is stored unchecked,
# with the command line's warning.
rm -f "$PLUGIN_DIR"/*
start_console --tick-seconds 0
login
get /api/itglue/status
is "$status:$(error_code)" 503:plugin_missing "without itglue its routes answer 503"
send POST /api/report-configs '{"name": "Lab daily", "group": "Lab", "publish_itglue": true}'
is "$status:$(json .publish_itglue)" 201:true "publishing is stored unchecked without the plugin"
like "$(json .warning)" "not loaded: whether group \"Lab\" can be published to IT Glue was not checked" \
	"with the command line's warning"
get /api/reports
is "$(json '.items[0] | has("itglue")')" false "reports carry no IT Glue state without the plugin"

stop_console
done_testing
