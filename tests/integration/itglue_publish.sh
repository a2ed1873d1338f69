#!/bin/sh
# Publishing reports to the sandbox, as the seed's section 7 walks through
# it: a report configuration that asks for it, the report generated, one
# flexible asset with its file and related configurations, event 4021; the
# type created once; manual publish (section 8), also after a failure and for
# a group mapped after generation; faults, the size limit, 4022.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

use_plugins itglue
start_sandbox --data "$DEMO"
demo_host Default Globex Lab
run admin itglue automap '{}'

# data JQ : a jq filter over the sandbox's current data.
data() {
	inspect /_sandbox/data
	printf '%s' "$out" | jq -r "$1"
}
asset_of() { # FILE-NAME-PREFIX
	data "[.flexible_assets[] | select((.traits[\"report-file\"].file_name // \"\") | startswith(\"$1\"))]"
}
route_count() {
	inspect /_sandbox/counts
	printf '%s' "$out" | jq ".routes.\"$1\" // 0"
}
html() {
	printf '<html><body><h1>%s</h1><p>Summary</p></body></html>\n' "$1" >"$TMP/$2"
}

# ---- Section 7: publish on generation ----
run report config add "Daily EDR" --group Lab --publish-itglue
is "$rc" 1 "publishing cannot be asked for a group that is not mapped"
like "$err" "not mapped" "the refusal is the plugin's reason"
run report config add "Daily EDR" --group Default --publish-itglue
is "$rc" 0 "publishing is asked for a mapped group"
run report config add "Lab weekly" --group Lab
run report config set "Lab weekly" --publish-itglue
is "$rc" 1 "report config set cannot turn publishing on for a group that is not mapped"
like "$err" "cannot enable --publish-itglue: .*not mapped" "the refusal is the plugin's reason"
run report config list --json
is "$(json '[.[] | select(.name == "Lab weekly") | .publish_itglue] | join(",")')" false \
	"and the configuration is unchanged"
run report config set "Daily EDR" --no-publish-itglue
is "$rc" 0 "report config set turns publishing off"
run report config set "Daily EDR" --publish-itglue
is "$rc" 0 "and on again for a mapped group, checked by the plugin"
run report config list --json
is "$(json '[.[] | select(.name == "Daily EDR") | .publish_itglue] | join(",")')" true \
	"the configuration publishes"
html "EDR" edr.html
run report generate --config "Daily EDR" --title "EDR Summary Reports" \
	--file "$TMP/edr.html" --system ACME-DC01 --system ACME-WS01
is "$rc" 0 "report generate publishes and waits until it is done"
rid=$out
run events --id 4021 --json
is "$(json 'length')" 1 "event 4021 once"
is "$(json '.[0].fields | "\(.report)|\(.organization)|\(.group)"')" \
	"EDR Summary Reports|Acme Corp.|Default" "4021 names the report, organization and group"
file=$(json '.[0].fields.file')
like "$file" "^EDR_Summary_Reports_${rid}_[0-9]+\.html$" \
	"the file is named like the seed's EDR_Summary_Reports_1239_1568967000.html"
asset=$(asset_of "$file")
is "$(printf '%s' "$asset" | jq length)" 1 "one flexible asset holds the file"
is "$(printf '%s' "$asset" | jq -r '.[0].traits["report-name"]')" "EDR Summary Reports" "Report Name is the title"
gen=$(printf '%s' "$asset" | jq -r '.[0].traits["report-generation-date"]')
exp=$(printf '%s' "$asset" | jq -r '.[0].traits["expiry-date"]')
is "$(date -u -d "$gen + 1 year" +%F)" "$exp" "Expiry Date is a year after the generation date"
is "$(printf '%s' "$asset" | jq -r '.[0]["organization-id"]')" 1 "the asset is in the group's organization"
is "$(printf '%s' "$asset" | jq -r '.[0].traits["report-file"].content' | base64 -d)" \
	"$(cat "$TMP/edr.html")" "the Report File is the report's HTML"
is "$(printf '%s' "$asset" | jq -r '[.[0]["related-items"][] | "\(.["destination-type"]) \(.["destination-id"])"] | sort | join(",")')" \
	"Configuration 100,Configuration 101" "the asset is related to the configurations of the report's systems"
is "$(data '.flexible_asset_types | length')" 1 "the type was created"
is "$(data '.flexible_asset_types[0].name')" "Netsurion Open XDR Reports" "with the guide's name"

for i in 2 3 4; do
	run report generate --config "Daily EDR" --title "EDR Summary Reports" --file "$TMP/edr.html"
done
is "$(route_count 'POST /flexible_asset_types')" 1 "the type is created once across many reports"
run events --id 4021 --json
is "$(json length)" 4 "one 4021 per report"
run admin itglue status
is "$(json '.outbox.done')" 4 "status shows the reports done"
is "$(json '.outbox.done_today')" 4 "and how many today"

run admin itglue publish "{\"report_id\": $rid}"
is "$rc" 1 "publishing a published report again is refused"
like "$(json .error.message)" "published already" "it says the report is published already"
is "$(data "[.flexible_assets[] | select(.traits[\"report-file\"].file_name == \"$file\")] | length")" 1 \
	"and no second asset exists"

run admin itglue config.set '{"report_expiry_days": 30}'
run report generate --config "Daily EDR" --title "Monthly" --file "$TMP/edr.html"
m=$(asset_of "Monthly_")
is "$(printf '%s' "$m" | jq -r '.[0].traits["expiry-date"]')" \
	"$(date -u -d "$(printf '%s' "$m" | jq -r '.[0].traits["report-generation-date"]') + 30 days" +%F)" \
	"the Expiry Date is configurable (report_expiry_days)"
run admin itglue config.set '{"report_expiry_days": null}'

# ---- Section 8: manual publish, for a group mapped after generation ----
html "Globex" globex.html
run report generate --group Globex --title "Globex Summary" --file "$TMP/globex.html"
gid=$out
run admin itglue publish "{\"report_id\": $gid}"
is "$rc" 1 "a report of an unmapped group cannot be published"
like "$(json .error.message)" "not mapped" "and the reason says so"
run admin itglue import '{"instance": "Demo", "feature": "organizations"}'
run admin itglue map '{"instance": "Demo", "group": "Globex", "organization_id": "2"}'
run admin itglue publish "{\"report_id\": $gid}"
is "$rc" 0 "once the group is mapped, the report is published by hand"
is "$(json .result.state)" done "the job says done"
is "$(asset_of "Globex_Summary_${gid}_" | jq '.[0]["organization-id"]')" 2 "in the organization mapped since"

# ---- Failures: 4022 once, with the reason; manual publish after it ----
start_sandbox --data "$DEMO" --fail-every 1:422
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run report generate --config "Daily EDR" --title "Refused" --file "$TMP/edr.html"
fid=$out
run events --id 4022 --json
is "$(json "[.[] | select(.fields.report_id == \"$fid\")] | length")" 1 "a permanent failure is one 4022"
like "$(json "[.[] | select(.fields.report_id == \"$fid\")][0].fields.reason")" "422" "4022 says why"
is "$(json "[.[] | select(.fields.report_id == \"$fid\")][0].fields.attempts")" 1 \
	"a permanent failure is not retried"
run admin itglue status
is "$(json '.outbox.failed')" 1 "status shows the failed report"
like "$(json '.outbox.failures[0].reason')" "422" "with its reason"
start_sandbox --data "$DEMO"
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue outbox.retry "{\"report_id\": $fid}"
is "$rc" 0 "outbox.retry requeues the failed report"
is "$(json .result.state)" done "and it is published"

for kind in 500 502-html 504-html 429 reset truncate malformed; do
	start_sandbox --data "$DEMO" --fault "3:$kind"
	run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
	run report generate --config "Daily EDR" --title "Fault $kind" --file "$TMP/edr.html" --system ACME-DC01
	rep=$out
	run events --json
	is "$(json "[.[] | select(.id == 4021 and .fields.report_id == \"$rep\")] | length")" 1 \
		"a $kind answer is retried and the report published"
	is "$(data '[.flexible_assets[] | select(.traits["report-name"] | startswith("Fault"))] | length')" 1 \
		"a $kind answer leaves exactly one asset"
done

# Retryable failures are retried up to publish_max_attempts.
start_sandbox --data "$DEMO" --fail-every 1:503
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
run admin itglue config.set '{"publish_max_attempts": 1}'
is "$(json .publish_max_attempts)" 1 "the outbox's attempts are configurable"
run admin itglue config.set '{"publish_max_attempts": 0}'
is "$rc" 1 "zero attempts is refused"
run report generate --config "Daily EDR" --title "Down" --file "$TMP/edr.html"
down=$out
run events --id 4022 --json
like "$(json "[.[] | select(.fields.report_id == \"$down\")][0].fields.reason")" "503" \
	"IT Glue down past the attempts: 4022 with the reason"
is "$(json "[.[] | select(.fields.report_id == \"$down\")] | length")" 1 "one 4022, not one per attempt"
run admin itglue config.set '{"publish_max_attempts": null}'

# ---- Size: compressed when that fits, refused at once when not ----
start_sandbox --data "$DEMO"
run admin itglue instance.update "{\"instance\": \"Demo\", \"url\": \"$BASE\"}"
{ printf '<html><body>'; yes '<p>the same line of a long report, again and again</p>' | head -c 12000000; printf '</body></html>'; } >"$TMP/big.html"
run report generate --config "Daily EDR" --title "Big" --file "$TMP/big.html"
big=$out
run events --json
is "$(json "[.[] | select(.id == 4021 and .fields.report_id == \"$big\")] | length")" 1 \
	"a 12 MB report is published"
like "$(data '[.flexible_assets[] | select(.traits["report-name"] == "Big")][0].traits["report-file"].file_name')" \
	"\.html\.gz$" "compressed, since it would not fit in 10 MB"
head -c 9000000 /dev/urandom | base64 -w0 >"$TMP/noise.html"
posts=$(route_count 'POST /flexible_assets')
run report generate --config "Daily EDR" --title "Noise" --file "$TMP/noise.html"
noise=$out
run events --id 4022 --json
like "$(json "[.[] | select(.fields.report_id == \"$noise\")][0].fields.reason")" "10 MB|too large|MB" \
	"a report too large even compressed fails with a 4022 that says why"
is "$(json "[.[] | select(.fields.report_id == \"$noise\")][0].fields.attempts")" 1 "at once, without retries"
is "$(route_count 'POST /flexible_assets')" "$posts" "and nothing was sent"

check_parsing_rule

done_testing
