#!/bin/sh
# Lists: paging and its meta and links, filters, sorting, includes and the
# nested routes.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

KEY=ITG.sandbox-us-0000000000000000
start_sandbox --generate orgs=120,configs=1,contacts=1100 || exit 1

req GET /organizations
is "$(json '.data | length')" 50 "page[size] defaults to 50"
is "$(json '.meta["current-page"]')" 1 "page[number] defaults to 1"
is "$(json '.meta["next-page"]')" 2 "next-page"
is "$(json '.meta["prev-page"]')" null "no prev-page on page 1"
is "$(json '.meta["total-pages"]')" 3 "total-pages"
is "$(json '.meta["total-count"]')" 120 "total-count"
is "$(json '.meta.filters')" "{}" "meta.filters is {}"
like "$(json .links.next)" 'page%5Bnumber%5D=2' "links.next asks for page 2"
like "$(json .links.last)" 'page%5Bnumber%5D=3' "links.last asks for page 3"

req GET "/organizations?page[number]=3"
is "$(json '.data | length')" 20 "the last page holds the rest"
is "$(json '.meta["next-page"]')" null "next-page null on the last page"
is "$(json '.meta["prev-page"]')" 2 "prev-page on the last page"
is "$(json '.links | has("next")')" false "no links.next on the last page"

req GET "/organizations?page[number]=4"
is "$status" 200 "paging past the end: 200"
is "$(json '.data')" "[]" "with no data"
is "$(json '.meta["next-page"]')" null "and no next page"

# Walking every page through meta.next-page sees each record once.
seen=0
page=1
for _ in $(seq 1 30); do
	req GET "/organizations?page[size]=7&page[number]=$page"
	seen=$((seen + $(json '.data | length')))
	page=$(json '.meta["next-page"]')
	[ "$page" = null ] && break
done
is "$seen" 120 "following next-page visits all 120 records once"

req GET "/contacts?page[size]=2000"
is "$(json '.data | length')" 1000 "page[size] above 1000 is capped at 1000"
is "$(json '.meta["total-pages"]')" 2 "and pages are counted with 1000"

req GET "/contacts?page[size]=1000&page[number]=2"
is "$(json '.data | length')" 100 "the second page of 1000 holds the rest"

for bad in "page[size]=0" "page[number]=0" "page[number]=abc" "page[size]=-5"; do
	req GET "/organizations?$bad"
	is "$status" 400 "$bad: 400"
done

req GET "/organizations?filter[name]=nothing-has-this-name"
is "$(json '.meta["total-pages"]')" 0 "an empty result has total-pages 0"
is "$(json '.meta["total-count"]')" 0 "and total-count 0"
is "$(json '.meta["next-page"]')" null "and no next page"

req GET "/organizations?page[size]=5"
next=$(json .links.next)
status=$(curl -sS -g -o "$TMP/body" -w '%{http_code}' \
	-H "x-api-key: $KEY" "$next")
is "$status" 200 "following links.next as it is works"
status=$(curl -sS -g -o "$TMP/body" -w '%{http_code}' \
	-H "x-api-key: $KEY" "$next&page%5Bsize%5D=5")
is "$status" 422 "links.next plus a parameter again: 422"
is "$(jq -r '.errors[0].title' "$TMP/body")" \
	"Duplicate Parameters Specified" "titled Duplicate Parameters Specified"

req GET "/organizations?filter[name]=a&filter[name]=b"
is "$status" 422 "a filter given twice: 422"

KEY=$US_KEY
start_sandbox --data "$DEMO" || exit 1

req GET "/organizations?filter[id]=1,3"
is "$(json '[.data[].id] | join(",")')" "1,3" "a filter list is an OR"

req GET "/organizations?filter[name]=globex"
is "$(json '[.data[].attributes.name] | join(",")')" "Globex" \
	"names match case-insensitively and exactly"

req GET '/organizations?filter[name]=Soylent%20Green\,%20Inc.'
is "$(json '[.data[].id] | join(",")')" "7" "\\, is a literal comma"

req GET '/organizations?filter[name]=Soylent%20Green,%20Inc.'
is "$(json '.data | length')" 0 "an unescaped comma splits the name"

req GET "/organizations?filter[no_such_filter]=1"
is "$status" 200 "an unknown filter: 200"
is "$(json '.meta["total-count"]')" 7 "and it is ignored (the whole set)"

req GET "/organizations?filter[organization_type_id]=2"
is "$(json '[.data[].id] | join(",")')" "4,7" "filter[organization_type_id]"

req GET "/organizations?filter[organization_status_id]=2"
is "$(json '[.data[].id] | join(",")')" "5" "filter[organization_status_id]"

req GET "/contacts?filter[organization_id]=1"
is "$(json '[.data[].id] | join(",")')" "10,11" \
	"filter[organization_id] maps to organization-id"

req GET "/contacts?filter[important]=true"
is "$(json '[.data[].id] | join(",")')" "10,13,14,15" \
	"filter[important]=true leaves out null"
req GET "/contacts?filter[important]=false"
is "$(json '[.data[].id] | join(",")')" "12" \
	"filter[important]=false leaves out null too"

req GET "/contacts?filter[primary_email]=ADA@acmecorp.example"
is "$(json '[.data[].id] | join(",")')" "10" "filter[primary_email]"

req GET "/configurations?filter[archived]=true"
is "$(json '[.data[].id] | join(",")')" "105" "filter[archived]=true"
req GET "/configurations?filter[archived]=false&filter[organization_id]=1"
is "$(json '[.data[].id] | join(",")')" "100,101,102,103,104" \
	"filters combine with AND"

req GET "/configurations?filter[mac_address]=18-5E-0F-ED-99-9A"
is "$(json '[.data[].id] | join(",")')" "100" \
	"filter[mac_address] matches the stored notation"
req GET "/configurations?filter[mac_address]=18:5E:0F:ED:99:9A"
is "$(json '.data | length')" 0 "but not another notation of the same MAC"
req GET "/configurations?filter[mac_address]=C4:7A:92:14:3D:78"
is "$(json '.data | length')" 0 "nor an interface's MAC"

req GET "/configurations?filter[serial_number]=VMW-42-17"
is "$(json '[.data[].id] | join(",")')" "102,103" "filter[serial_number]"

req GET "/configurations?filter[configuration_type_id]=3"
is "$(json '[.data[].attributes.name] | join(",")')" "ACME-FW01" \
	"filter[configuration_type_id]"

req GET "/organizations?sort=name"
is "$(json '.data[0].attributes.name')" "Acme Corp." "sort=name"
req GET "/organizations?sort=-name"
is "$(json '.data[0].attributes.name')" "Umbrella Labs" "sort=-name"
req GET "/organizations?sort=-id"
is "$(json '.data[0].id')" 7 "sort=-id"
req GET "/organizations?sort=created_at"
is "$(json '.data[0].id')" 6 "sort=created_at"
req GET "/organizations?sort=-updated_at"
is "$(json '.data[0].id')" 1 "sort=-updated_at"
req GET "/contacts?sort=name"
is "$(json '.data[0].attributes.name')" "Ada Lee" "contacts sort by full name"
req GET "/organizations?sort=shoe_size"
is "$status" 400 "an unknown sort key: 400"

req GET "/configurations?filter[id]=101&include=configuration_interfaces"
is "$(json '[.data[0].relationships["configuration-interfaces"].data[].id] | join(",")')" \
	"1010,1011" "include puts interface ids on the configuration"
is "$(json '[.included[].type] | unique | join(",")')" \
	"configuration-interfaces" "and the interfaces in included[]"
is "$(json '.included[0].attributes["mac-address"]')" "C4:7A:92:14:3D:78" \
	"with their own MACs"
is "$(json '.included[0].attributes["configuration-id"]')" 101 \
	"and their configuration's id"

req GET "/configurations?filter[id]=101"
is "$(json '.data[0].relationships')" "{}" "no include, no relationships"
is "$(json 'has("included")')" false "and no included[]"

req GET "/configurations/101?include=configuration_interfaces"
is "$(json '.included | length')" 2 "include works on one configuration"

req GET /configurations/101/relationships/configuration_interfaces
is "$(json '[.data[].id] | join(",")')" "1010,1011" \
	"the nested interfaces route"
is "$(json '.meta["total-count"]')" 2 "is paged like any list"

req GET /configurations/104/relationships/configuration_interfaces
is "$(json '.data')" "[]" "a configuration without interfaces: empty list"

req GET "/organizations/1/relationships/contacts?filter[important]=true"
is "$(json '[.data[].id] | join(",")')" "10,11" \
	"the nested contacts route ignores filters"

req GET /organizations/999/relationships/contacts
is "$status" 404 "nested under a missing organization: 404"

# The records a listing selects are kept for its next pages: whatever
# changes the data between two pages (a touch, a deletion, a reset) is seen
# by the next one, as when every page is computed afresh. Twenty
# organizations: their filter is tested against a bitmap.
KEY=ITG.sandbox-us-0000000000000000
start_sandbox --generate orgs=40,configs=400,contacts=1 || exit 1
inspect /_sandbox/data
orgs=$(printf '%s' "$out" | jq -r '[.organizations[:20][].id] | join(",")')
outside=$(printf '%s' "$out" | jq -r --argjson n 20 \
	'[.organizations[:$n][].id] as $in
	 | [.configurations[] | select(."organization-id" as $o
	    | $in | index($o) | not)][0].id')
listing="/configurations?filter[organization_id]=$orgs&sort=id&page[size]=10"
# touch_data BODY : POST /_sandbox/touch, its status into $status.
touch_data() {
	status=$(curl -sS --max-time 20 -o /dev/null -w '%{http_code}' \
		-X POST "$BASE/_sandbox/touch" -d "$1")
}

req GET "$listing&page[number]=1"
total=$(json '.meta["total-count"]')
req GET "$listing&page[number]=2"
second=$(json '.data[0].id')
is "$(json '.meta["total-count"]')" "$total" "the next page: the same listing"
touch_data "{\"resource\": \"configurations\", \"ids\": [$second], \"delete\": true}"
is "$status" 200 "a configuration of page 2 deleted"
req GET "$listing&page[number]=2"
is "$(json '.meta["total-count"]')" "$((total - 1))" \
	"the next request counts one fewer"
isnt "$(json '.data[0].id')" "$second" "and does not show it"
touch_data "{\"resource\": \"configurations\", \"ids\": [$outside], \"set\": {\"organization-id\": ${orgs%%,*}}}"
is "$status" 200 "a configuration moved into the listed organizations"
req GET "$listing&page[number]=3"
is "$(json '.meta["total-count"]')" "$total" "the next page counts it"
req GET "$listing&page[number]=1000"
is "$(json '.meta["total-count"]')" "$total" "as does a page past the end"
curl -sS --max-time 20 -o /dev/null -X POST "$BASE/_sandbox/reset"
req GET "$listing&page[number]=2"
is "$(json '.data[0].id')" "$second" "after a reset, the deleted one is back"
is "$(json '.meta["total-count"]')" "$total" "and the moved one gone"

done_testing
