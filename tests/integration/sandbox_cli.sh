#!/bin/sh
# itglue-sandbox's command line: help, refusals, start-up, port file,
# signals, --save round trip, --generate.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

# run_sandbox ARGS... : runs it to completion (for refusals); sets rc, out,
# err.
run_sandbox() {
	"$SANDBOX_BIN" "$@" >"$TMP/stdout" 2>"$TMP/stderr" </dev/null
	rc=$?
	out=$(cat "$TMP/stdout")
	err=$(cat "$TMP/stderr")
}

run_sandbox --help
is "$rc" 0 "--help exits 0"
for opt in --data --save --bind --port --port-file --region --rate-limit \
	--no-retry-after --latency-ms --fail-every --fault --tls --generate \
	--max-body --quiet; do
	like "$out" "^  $opt( |$)" "--help documents $opt"
done
like "$out" "double-encoded" "--help lists the fault kinds"

run_sandbox --version
like "$out" "^itglue-sandbox [0-9]" "--version prints the version"

for bad in "--frobnicate" "--region mars" "--rate-limit 5" \
	"--rate-limit 0/60" "--fault 3" "--fault 0:500" "--fault 2:302" \
	"--fail-every x" "--fail-every 2:teapot" "--port 70000" \
	"--latency-ms -1" "--generate orgs=x" "--generate configs=5" \
	"--max-body 0" "--tls only-one" "stray" "--quiet=yes" \
	"--bind localhost"; do
	# shellcheck disable=SC2086
	run_sandbox $bad
	is "$rc" 2 "bad option '$bad' exits 2"
	like "$err" "itglue-sandbox: " "bad option '$bad' says why"
done

printf '{"organizations": [{"id": 1, "name": "A"}],
 "contacts": [{"id": 2, "organization-id": 9}]}' >"$TMP/badref.json"
run_sandbox --data "$TMP/badref.json" --port 0
is "$rc" 1 "a data file with a dangling reference exits 1"
like "$err" "contacts\[0\] \(id 2\): organization-id 9 does not exist" \
	"and names the entry and the reason"

printf '{"organizations": [{"id": 1, "name": "A"}, {"id": 1, "name": "B"}]}' \
	>"$TMP/dup.json"
run_sandbox --data "$TMP/dup.json"
is "$rc" 1 "a duplicate id exits 1"
like "$err" "organizations\[1\] \(id 1\): id 1 is used twice" \
	"and names the second entry"

printf '{"organisations": []}' >"$TMP/typo.json"
run_sandbox --data "$TMP/typo.json"
like "$err" "organisations: unknown member" "an unknown collection is refused"

printf '{"api_keys": [{"key": "k", "region": "moon"}]}' >"$TMP/region.json"
run_sandbox --data "$TMP/region.json"
like "$err" "api_keys\[0\]: \"region\" must be us, eu or au" \
	"a key of an unknown region is refused"

printf '{"organizations": [' >"$TMP/broken.json"
run_sandbox --data "$TMP/broken.json"
is "$rc" 1 "a file that is not JSON exits 1"
like "$err" "broken.json" "and names the file"

run_sandbox --data "$TMP/missing.json"
is "$rc" 1 "a missing data file exits 1"

start_sandbox --data "$DEMO" || exit 1
like "$(cat "$TMP/sandbox.out")" \
	"^itglue-sandbox: listening on http://127\.0\.0\.1:$PORT region=us$" \
	"prints one listening line with the port and region"
is "$(lines_of "$(cat "$TMP/sandbox.out")")" 1 "exactly one line"
like "$PORT" '^[0-9]+$' "the port file holds the port"
busy=$PORT
run_sandbox --port "$busy"
is "$rc" 1 "a port in use exits 1"
like "$err" "cannot listen on 127\.0\.0\.1 port $busy" "and says so"
stop_sandbox
is "$stop_rc" 0 "SIGTERM stops it with status 0"

start_sandbox --data "$DEMO" || exit 1
kill -INT "$SANDBOX_PID"
wait "$SANDBOX_PID"
is "$?" 0 "SIGINT stops it with status 0"
SANDBOX_PID=

# --save: a write survives a stop and a start from the saved file.
start_sandbox --data "$DEMO" --save "$TMP/saved.json" || exit 1
send POST /flexible_asset_types '{"data": {"type": "flexible_asset_types",
 "attributes": {"name": "Saved"}, "relationships": {"flexible-asset-fields":
 {"data": [{"type": "flexible_asset_fields", "attributes": {"order": 1,
 "name": "Title", "kind": "Text", "show-in-list": true,
 "use-for-title": true}}]}}}}'
is "$status" 201 "a type is created before the stop"
type_id=$(json .data.id)
send POST /flexible_assets "{\"data\": {\"type\": \"flexible-assets\",
 \"attributes\": {\"organization-id\": 1, \"flexible-asset-type-id\":
 $type_id, \"traits\": {\"title\": \"kept\"}}}}"
asset_id=$(json .data.id)
stop_sandbox
is "$stop_rc" 0 "stops cleanly with --save"
is "$(jq -r '.flexible_assets[0].traits.title' "$TMP/saved.json")" kept \
	"the saved file holds the new asset"
leftover=no
for f in "$TMP"/saved.json.tmp*; do
	[ -e "$f" ] && leftover=yes
done
is "$leftover" no "no temporary file is left"
start_sandbox --data "$TMP/saved.json" || exit 1
req GET "/flexible_assets/$asset_id"
is "$(json .data.attributes.name)" kept "the saved data loads again"
send POST /flexible_assets "{\"data\": {\"type\": \"flexible-assets\",
 \"attributes\": {\"organization-id\": 1, \"flexible-asset-type-id\":
 $type_id, \"traits\": {\"title\": \"next\"}}}}"
isnt "$(json .data.id)" "$asset_id" "ids go on after the saved ones"

# --generate: the counts asked for, the same data for the same seed.
KEY=ITG.sandbox-us-0000000000000000
start_sandbox --generate orgs=7,configs=23,contacts=11,seed=5 || exit 1
req GET /organizations
is "$(json '.meta["total-count"]')" 7 "--generate makes the organizations"
req GET /configurations
is "$(json '.meta["total-count"]')" 23 "--generate makes the configurations"
req GET /contacts
is "$(json '.meta["total-count"]')" 11 "--generate makes the contacts"
req GET "/configurations?page[size]=1000&include=configuration_interfaces"
n=$(json '[.data[].relationships["configuration-interfaces"].data | length]
	| (min >= 1 and max <= 3)')
is "$n" true "each generated configuration has 1 to 3 interfaces"
req GET "/contacts?page[size]=1000"
like "$(json '[.data[].attributes.important] | map(tostring) | unique | join(",")')" \
	"false,null,true" "generated contacts are important, not, or null"
inspect /_sandbox/data
first=$(printf '%s' "$out" | jq -S .)
# Distinct updated-at times, a minute apart in id order, in each collection.
for c in organizations contacts configurations; do
	is "$(printf '%s' "$out" | jq -r --arg c "$c" '.[$c] | sort_by(.id) |
		[.[]["updated-at"]] | [.[0], (. == (sort | unique))] | join(" ")')" \
		"2024-01-01T00:01:00.000Z true" \
		"generated $c: distinct updated-at times in id order, from 00:01"
done
is "$(printf '%s' "$out" | jq -r '[.organizations[], .contacts[],
	.configurations[] | .["created-at"]] | unique | join(",")')" \
	"2024-01-01T00:00:00.000Z" "and all created at the same time"
req GET "/contacts?sort=-updated_at&page[size]=1"
is "$(json '.data[0].attributes["updated-at"]')" "2024-01-01T00:11:00.000Z" \
	"sort=-updated_at: the last contact first"
start_sandbox --generate orgs=7,configs=23,contacts=11,seed=5 || exit 1
inspect /_sandbox/data
is "$(printf '%s' "$out" | jq -S .)" "$first" "the same seed gives the same data"
start_sandbox --generate orgs=7,configs=23,contacts=11,seed=6 || exit 1
inspect /_sandbox/data
isnt "$(printf '%s' "$out" | jq -S .)" "$first" "another seed gives other data"
like "$(printf '%s' "$out" | jq -r '.api_keys[].key' | tr '\n' ' ')" \
	"ITG.sandbox-us-0+ ITG.sandbox-eu-0+ ITG.sandbox-au-0+" \
	"without keys in the data, one default key per region"

KEY=$US_KEY
start_sandbox --data "$DEMO" --generate orgs=3,configs=2,contacts=1 || exit 1
req GET /organizations
is "$(json '.meta["total-count"]')" 10 "--generate adds to --data"

done_testing
