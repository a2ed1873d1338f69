#!/bin/sh
# The /_sandbox/ API: health, the request log, counts, the data, reset,
# and that none of it needs a key or is counted.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" || exit 1

inspect /_sandbox/health
is "$(printf '%s' "$out" | jq -r .status)" ok "/_sandbox/health, no key"
is "$(printf '%s' "$out" | jq -r .region)" us "says the region"

req GET "/configurations?filter[organization_id]=1"
req GET /configurations/100
req GET /configurations/101
KEY=
req GET /organizations
KEY=$US_KEY
send POST /flexible_asset_types '{"data": {"type": "x", "attributes": {}}}'

inspect /_sandbox/requests
n=$(printf '%s' "$out" | jq '.requests | length')
is "$n" 5 "the log holds the API requests, not /_sandbox/ ones"
entry() { printf '%s' "$out" | jq -r ".requests[$1]$2"; }
is "$(entry 0 .seq)" 1 "entries are numbered from 1"
is "$(entry 0 .method)" GET "with the method"
is "$(entry 0 .path)" /configurations "the path"
is "$(entry 0 .query)" "filter[organization_id]=1" "the raw query"
is "$(entry 0 .status)" 200 "the status"
is "$(entry 0 .route)" /configurations "the route pattern"
is "$(entry 1 .route)" /configurations/:id "patterns have :id"
is "$(entry 0 '.headers["x-api-key"]')" "$US_KEY" \
	"and the headers as received, the key included"
is "$(entry 3 '.headers | has("x-api-key")')" false \
	"a request without a key has no key header"
is "$(entry 3 .status)" 401 "and its 401"
is "$(entry 4 .body_size)" 41 "the body size"
is "$(entry 0 .fault)" null "no fault"

inspect /_sandbox/counts
c() { printf '%s' "$out" | jq -r "$1"; }
is "$(c '.routes["GET /configurations/:id"]')" 2 "counts per route pattern"
is "$(c '.routes["GET /configurations"]')" 1 "each pattern apart"
is "$(c .total)" 5 "the total"
is "$(c '.status["200"]')" 3 "per status"
is "$(c '.status["401"]')" 1 "401 counted too"
req GET /nowhere
inspect /_sandbox/counts
is "$(c '.routes["GET (no route)"]')" 1 "unknown routes are counted apart"

inspect /_sandbox/data
is "$(printf '%s' "$out" | jq -r 'keys | join(",")')" \
	"api_keys,configurations,contacts,flexible_asset_types,flexible_assets,organizations" \
	"/_sandbox/data is in the data-file format"
is "$(printf '%s' "$out" | jq '.organizations | length')" 7 "with the data"

send POST /flexible_asset_types '{"data": {"type": "flexible_asset_types",
 "attributes": {"name": "T"}, "relationships": {"flexible-asset-fields":
 {"data": [{"type": "flexible_asset_fields", "attributes": {"name": "A",
 "kind": "Text", "show-in-list": true}}]}}}}'
is "$status" 201 "a write"
inspect /_sandbox/data
is "$(printf '%s' "$out" | jq '.flexible_asset_types | length')" 1 \
	"shows in /_sandbox/data"
is "$(printf '%s' "$out" | jq -r '.flexible_asset_types[0].fields[0]["name-key"]')" \
	a "with the fields and their name-keys"

out=$(curl -sS -X POST "$BASE/_sandbox/reset")
is "$(printf '%s' "$out" | jq -r .status)" reset "POST /_sandbox/reset"
inspect /_sandbox/data
is "$(printf '%s' "$out" | jq '.flexible_asset_types | length')" 0 \
	"brings the loaded data back"
inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq '.requests | length')" 0 "empties the log"
inspect /_sandbox/counts
is "$(printf '%s' "$out" | jq .total)" 0 "and the counts"
req GET /organizations
inspect /_sandbox/requests
is "$(printf '%s' "$out" | jq '.requests[0].seq')" 1 "numbering starts again"

inspect /_sandbox/faults
is "$(printf '%s' "$out" | jq -c .)" \
	'{"fail_every":null,"schedule":[],"counter":1}' "GET /_sandbox/faults"

is "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/_sandbox/nothing")" 404 \
	"an unknown /_sandbox/ route: 404"
is "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/_sandbox/files/12345")" \
	404 "an unknown file: 404"

done_testing
