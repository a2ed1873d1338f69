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
	'{"fail_every":null,"schedule":[],"random":null,"counter":1}' "GET /_sandbox/faults"

is "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/_sandbox/nothing")" 404 \
	"an unknown /_sandbox/ route: 404"
is "$(curl -sS -o /dev/null -w '%{http_code}' "$BASE/_sandbox/files/12345")" \
	404 "an unknown file: 404"

# POST /_sandbox/touch: configurations, contacts and organizations changed,
# or deleted, as the account's users would between two reads; listings see
# it at once (new values, the new order by updated_at, no deleted record).
KEY=ITG.sandbox-us-0000000000000000
start_sandbox --generate orgs=5,configs=20,contacts=30 || exit 1
# Organizations 1-5, contacts 6-35 (contact j of organization (j-1)%5+1).

# touch_req BODY : POST /_sandbox/touch; sets $status and $out.
touch_req() {
	status=$(curl -sS --max-time 20 -o "$TMP/touch.json" -w '%{http_code}' \
		-X POST "$BASE/_sandbox/touch" -d "$1")
	out=$(cat "$TMP/touch.json")
}
ids() { json '[.data[].id] | join(",")'; }
# name_of PATH : the name of the resource at PATH.
name_of() {
	curl -sS -g --max-time 20 -H "x-api-key: $KEY" "$BASE$1" |
		jq -r .data.attributes.name
}
org2=$(name_of /organizations/2)
org3=$(name_of /organizations/3)

req GET "/contacts?sort=-updated_at&page[size]=5"
is "$(ids)" "35,34,33,32,31" "generated contacts: the last is the newest"
req GET "/contacts?filter[important]=true&page[size]=100"
imp=$(json '.data[0].id')
req GET "/contacts?filter[organization_id]=3&page[size]=100"
is "$(ids)" "8,13,18,23,28,33" "the contacts of organization 3"
req GET "/organizations?filter[organization_status_id]=2"
inactive=$(ids)
req GET "/contacts?filter[id]=9,10"
is "$(ids)" "9,10" "filter[id] before a delete"

# Contacts: updated-at now, and what "set" says.
touch_req "{\"resource\": \"contacts\", \"ids\": [$imp], \"set\": {\"important\": false}}"
is "$status" 200 "touch a contact"
is "$(json '[.resource, .touched, (.ids | join(","))] | join(" ")')" \
	"contacts 1 $imp" "answers the resource, how many and which"
like "$(json .updated_at)" '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$' \
	"and the time it wrote"
stamp=$(json .updated_at)
req GET "/contacts?sort=-updated_at&page[size]=5"
is "$(ids)" "$imp,35,34,33,32" "sort=-updated_at starts with the touched contact"
is "$(json '.data[0].attributes["updated-at"]')" "$stamp" "its updated-at is the touch's"
is "$(json '.data[0].attributes.important')" false "set wrote important: false"
req GET "/contacts?filter[important]=true&page[size]=100"
is "$(printf '%s' "$out" | jq --arg i "$imp" '[.data[].id] | index($i)')" \
	null "filter[important]=true no longer lists it"
req GET "/contacts/$imp"
is "$(json .data.attributes.important)" false "nor does /contacts/:id"

touch_req '{"resource": "contacts", "every": 10}'
is "$(json '[.touched, (.ids | join(","))] | join(" ")')" "3 15,25,35" \
	"every: N touches every Nth contact in the data's order"
req GET "/contacts?sort=-updated_at&page[size]=5"
is "$(ids)" "15,25,35,$imp,34" "the latest touch first (ties by id)"

touch_req '{"resource": "contacts", "ids": [8], "set": {"organization-id": 2, "title": "CTO"}}'
is "$status" 200 "set organization-id"
req GET "/contacts?filter[organization_id]=3&page[size]=100"
is "$(ids)" "13,18,23,28,33" "filter[organization_id] sees the contact leave"
req GET "/contacts?filter[organization_id]=2&page[size]=100"
is "$(ids)" "7,8,12,17,22,27,32" "and arrive"
req GET /contacts/8
is "$(json '[.data.attributes["organization-name"], .data.attributes.title] | join(",")')" \
	"$org2,CTO" "with its new organization's name and title"

touch_req '{"resource": "contacts", "ids": [11], "set": {"contact-emails": [{"value": "a@b.example", "primary": true}], "important": null}}'
req GET "/contacts?filter[primary_email]=A@b.example"
is "$(ids)" 11 "set contact-emails: filter[primary_email] finds the new address"
is "$(json '.data[0].attributes.important')" null "set writes null as given"

touch_req '{"resource": "contacts", "ids": [10], "delete": true}'
is "$(printf '%s' "$out" | jq -c .)" \
	'{"resource":"contacts","deleted":1,"ids":[10]}' \
	"delete a contact: the answer"
req GET "/contacts?page[size]=100"
is "$(json '.meta["total-count"]')" 29 "the contact is gone from /contacts"
is "$(json '[.data[].id] | index("10")')" null "not listed"
req GET "/contacts?filter[id]=9,10"
is "$(ids)" 9 "nor found by filter[id]"
req GET /contacts/10
is "$status" 404 "/contacts/:id of a deleted contact: 404"
req GET /organizations/5/relationships/contacts
is "$(json '[.data[].id] | index("10")')" null "nor among its organization's contacts"

# Organizations.
req GET "/organizations?sort=-updated_at"
is "$(ids)" "5,4,3,2,1" "generated organizations: the last is the newest"
touch_req '{"resource": "organizations", "ids": [3], "set": {"name": "Renamed", "organization-status-id": 2, "organization-status-name": "Inactive"}}'
is "$(json '[.resource, .touched] | join(" ")')" "organizations 1" "touch an organization"
req GET "/organizations?sort=-updated_at"
is "$(json '.data[0] | [.id, .attributes.name] | join(" ")')" "3 Renamed" \
	"sort=-updated_at shows it first, renamed"
req GET "/organizations?filter[name]=renamed"
is "$(ids)" 3 "filter[name] finds the new name"
req GET "/organizations?filter[organization_status_id]=2"
like ",$(ids)," ",3," "filter[organization_status_id] sees the new status"
req GET /contacts/13
is "$(json '.data.attributes["organization-name"]')" Renamed \
	"its contacts show the new name"
touch_req '{"resource": "organizations", "ids": [5], "delete": true}'
is "$(json .deleted)" 1 "delete an organization"
req GET /organizations
is "$(ids)" "1,2,3,4" "it is gone from /organizations"
req GET /organizations/5
is "$status" 404 "/organizations/:id of a deleted organization: 404"
req GET "/contacts?filter[organization_id]=5&page[size]=100"
is "$(ids)" "15,20,25,30,35" "its contacts stay (no cascade)"
is "$(json '[.data[].attributes["organization-name"]] | map(tostring) | unique | join(",")')" null \
	"with no organization name"

# Configurations: new MACs too, and set and delete.
req GET "/configurations?page[size]=100"
cfg=$(json '.data[0].id')
cfg2=$(json '.data[1].id')
touch_req "{\"resource\": \"configurations\", \"ids\": [$cfg]}"
is "$(json .touched)" 1 "touch a configuration"
req GET "/configurations?sort=-updated_at&page[size]=1&include=configuration_interfaces"
is "$(ids)" "$cfg" "sort=-updated_at starts with it"
like "$(json '[.included[].attributes["mac-address"]] | join(" ")')" \
	'^02(:[0-9A-F]{2}){5}( 02(:[0-9A-F]{2}){5})*$' "with new interface MACs"
touch_req "{\"resource\": \"configurations\", \"ids\": [$cfg2], \"set\": {\"archived\": true, \"serial-number\": \"SN-TOUCHED\"}}"
req GET "/configurations?filter[serial_number]=SN-TOUCHED&filter[archived]=true"
is "$(ids)" "$cfg2" "set on a configuration"
touch_req "{\"resource\": \"configurations\", \"ids\": [$cfg], \"delete\": true}"
req GET /configurations/$cfg
is "$status" 404 "a deleted configuration: 404"
req GET "/configurations?page[size]=100"
is "$(json '.meta["total-count"]')" 19 "and gone from /configurations"

# Refusals change nothing.
for body in \
	'{"resource": "flexible_assets", "every": 1}' \
	'{"resource": "contacts"}' \
	'{"resource": "contacts", "every": 0}' \
	'{"resource": "contacts", "ids": [6, 999999], "set": {"title": "x"}}' \
	'{"resource": "contacts", "ids": [6], "set": [1]}' \
	'{"resource": "contacts", "ids": [6], "set": {"id": 7}}' \
	'{"resource": "contacts", "ids": [6], "set": {"updated-at": "2030-01-01T00:00:00.000Z"}}' \
	'{"resource": "organizations", "ids": [1], "set": {"created-at": "2030-01-01T00:00:00.000Z"}}' \
	'{"resource": "contacts", "ids": [6], "set": {"title": "x"}, "delete": true}' \
	'{"resource": "contacts", "ids": [6], "set": {"important": "yes"}}' \
	'{"resource": "contacts", "ids": [6], "set": {"organization-id": 999}}' \
	'{"resource": "contacts", "ids": [6], "set": {"contact-emails": "a@b.example"}}' \
	'{"resource": "organizations", "ids": [1], "set": {"name": ""}}' \
	"{\"resource\": \"configurations\", \"ids\": [$cfg2], \"set\": {\"interfaces\": []}}"; do
	touch_req "$body"
	is "$status $(json '.error | type')" "400 string" "400 with a reason: $body"
done
req GET /contacts/6
is "$(json '.data.attributes.title')" null "a refused touch changes nothing"

out=$(curl -sS -X POST "$BASE/_sandbox/reset")
req GET "/contacts?sort=-updated_at&page[size]=3"
is "$(ids)" "35,34,33" "reset: the generated times are back"
is "$(json '.meta["total-count"]')" 30 "the deleted contact too"
req GET "/contacts/$imp"
is "$(json .data.attributes.important)" true "and the old values"
req GET "/contacts?filter[organization_id]=3&page[size]=100"
is "$(ids)" "8,13,18,23,28,33" "filters see the old values"
req GET "/organizations?sort=-updated_at"
is "$(json '[.data[0].id, (.data | length)] | join(" ")')" "5 5" \
	"the deleted organization"
is "$(name_of /organizations/3)" "$org3" "the renamed one's old name"
req GET "/organizations?filter[organization_status_id]=2"
is "$(ids)" "$inactive" "and statuses"
req GET "/configurations/$cfg"
is "$status" 200 "and the deleted configuration"

done_testing
