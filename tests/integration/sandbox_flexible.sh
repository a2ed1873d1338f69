#!/bin/sh
# Flexible asset types and fields, flexible assets and their traits,
# uploads, PATCH, DELETE, attachments and related items.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" || exit 1

# fields JSON... : a POST /flexible_asset_types body named $type_name.
type_body() {
	printf '{"data": {"type": "flexible_asset_types", "attributes":
 {"name": "%s", "description": "Reports", "icon": "file",
 "show-in-menu": true}, "relationships": {"flexible-asset-fields":
 {"data": [%s]}}}}' "$type_name" "$1"
}
field() { # name kind required show-in-list use-for-title
	printf '{"type": "flexible_asset_fields", "attributes": {"name": "%s",
 "kind": "%s", "required": %s, "show-in-list": %s, "use-for-title": %s,
 "expiration": false}}' "$1" "$2" "$3" "$4" "$5"
}

type_name="Open XDR Reports"
fields="$(field "Report Name" Text true true true),
$(field "Report Generation Date" Date true true false),
$(field "Report File" Upload false true false),
$(field "Expiry Date (UTC)" Date false true false),
$(field "R&D Notes" Textbox false false false),
$(field "Owner's Group" Text false false false),
$(field "Report Name" Text false false false),
$(field "Details" Header false false false)"
send POST /flexible_asset_types "$(type_body "$fields")"
is "$status" 201 "a type and its fields are created in one request"
type_id=$(json .data.id)
is "$(json '.data.type')" flexible-asset-types "as a flexible-asset-types"
is "$(json '[.included[].attributes["name-key"]] | join(" ")')" \
	"report-name report-generation-date report-file expiry-date-utc r-and-d-notes owners-group report-name-2 details" \
	"the server gives each field a name-key (read it back)"
is "$(json '.data.relationships["flexible-asset-fields"].data | length')" 8 \
	"the answer relates the fields"
is "$(json '.included[1].attributes["flexible-asset-type-id"]')" "$type_id" \
	"fields know their type"
is "$(json '.included[0].attributes.order')" 1 "fields are ordered from 1"

send POST /flexible_asset_types "$(type_body "$(field A Text false true false)")"
is "$status" 422 "a second type of the same name: 422"

type_name="No list"
send POST /flexible_asset_types "$(type_body "$(field A Text false false false)")"
is "$status" 422 "a type without a show-in-list field: 422"
like "$(json '.errors[0].detail')" "show-in-list" "says why"

type_name="Bad kind"
send POST /flexible_asset_types "$(type_body "$(field A Spreadsheet false true false)")"
is "$status" 422 "a field of an unknown kind: 422"
is "$(json '.errors[0].source.pointer')" \
	"/data/relationships/flexible-asset-fields/data/0/attributes/kind" \
	"pointing at the kind"

type_name="No fields"
send POST /flexible_asset_types "$(type_body "")"
is "$status" 422 "a type without fields: 422"

req GET "/flexible_asset_types?filter[name]=open%20xdr%20reports&include=flexible_asset_fields"
is "$(json '.data[0].id')" "$type_id" "filter[name] finds the type"
is "$(json '.included | length')" 8 "include=flexible_asset_fields"

req GET "/flexible_asset_types/$type_id/relationships/flexible_asset_fields"
is "$(json '.meta["total-count"]')" 8 "the nested fields route"
is "$(json '.data[2].attributes.kind')" Upload "lists the fields in order"

req GET /flexible_assets
is "$status" 422 "GET /flexible_assets without the type filter: 422"
is "$(json '.errors[0].title')" \
	"Cannot index flexible assets without providing a flexible asset type ID filter" \
	"with IT Glue's message"
is "$(json '.errors[0].source | has("pointer")')" true "and a pointer"
is "$(json '.errors[0].source.pointer')" null "which is null"

# asset TRAITS [ORG] : a POST /flexible_assets body.
asset() {
	printf '{"data": {"type": "flexible-assets", "attributes":
 {"organization-id": %s, "flexible-asset-type-id": %s, "traits": %s}}}' \
		"${2:-1}" "$type_id" "$1"
}
html='<html><body>EDR Summary</body></html>'
b64=$(printf '%s' "$html" | base64 | tr -d '\n')

send POST /flexible_assets "$(asset '{"report-name": "EDR", "bogus": 1}')"
is "$status" 422 "an unknown trait key: 422"
is "$(json '.errors[0].detail')" "Request contains invalid trait keys" \
	"Request contains invalid trait keys"

send POST /flexible_assets "$(asset '{"Report Name": "EDR"}')"
is "$status" 422 "a field name instead of its name-key: 422"

send POST /flexible_assets "$(asset '{"details": "x", "report-name": "EDR", "report-generation-date": "2024-03-06"}')"
is "$status" 422 "a Header field takes no trait"

send POST /flexible_assets "$(asset '{"report-name": "EDR"}')"
is "$status" 422 "a missing required trait: 422"
is "$(json '.errors[0].source.pointer')" \
	"/data/attributes/flexible-asset-traits.report-generation-date" \
	"pointing at the trait"
is "$(json '.errors[0].detail[0]')" "can't be blank" "can't be blank"

send POST /flexible_assets "$(asset '{"report-name": "EDR", "report-generation-date": "06/03/2024"}')"
is "$status" 422 "a Date that is not YYYY-MM-DD: 422"

send POST /flexible_assets "$(asset '{"report-name": "EDR", "report-generation-date": "2024-03-06", "report-file": {"content": "not base64!", "file_name": "r.html"}}')"
is "$status" 422 "an upload that is not base64: 422"

send POST /flexible_assets "$(asset '{"report-name": "EDR", "report-generation-date": "2024-03-06", "report-file": {"content": "PGh0\nbWw+", "file_name": "r.html"}}')"
is "$status" 422 "an upload with a line break: 422"

send POST /flexible_assets "$(asset '{"report-name": "EDR", "report-generation-date": "2024-03-06"}' 999)"
is "$status" 422 "an unknown organization: 422"
is "$(json '.errors[0].title')" "Valid organization_id is required" \
	"Valid organization_id is required"

traits="{\"report-name\": \"EDR Summary Reports\",
 \"report-generation-date\": \"2024-03-06\",
 \"report-file\": {\"content\": \"$b64\", \"file_name\": \"EDR_1.html\"},
 \"expiry-date-utc\": \"2025-03-06\", \"r-and-d-notes\": \"none\"}"
send POST /flexible_assets "$(asset "$traits")"
is "$status" 201 "a valid asset: 201"
asset_id=$(json .data.id)
is "$(json '.data.attributes.name')" "EDR Summary Reports" \
	"its name is its use-for-title trait"
is "$(json '.data.attributes["organization-name"]')" "Acme Corp." \
	"with organization-name"
is "$(json '.data.attributes["flexible-asset-type-name"]')" \
	"Open XDR Reports" "and flexible-asset-type-name"
is "$(json '.data.attributes.traits["report-file"] | type')" array \
	"an upload is shown as a list"
is "$(json '.data.attributes.traits["report-file"][0].name')" EDR_1.html \
	"of files with their name"
is "$(json '.data.attributes.traits["report-file"][0].size')" \
	"$(printf '%s' "$html" | wc -c | tr -d ' ')" "and decoded size"
file_url=$(json '.data.attributes.traits["report-file"][0].url')
is "$(curl -sS "$file_url")" "$html" "its url serves the decoded file"

req GET "/flexible_assets?filter[flexible_asset_type_id]=$type_id"
is "$(json '[.data[].id] | join(",")')" "$asset_id" "listed by type"
req GET "/flexible_assets?filter[flexible_asset_type_id]=$type_id&filter[organization_id]=2"
is "$(json '.data | length')" 0 "filter[organization_id]"
req GET "/flexible_assets?filter[flexible_asset_type_id]=$type_id&filter[name]=edr%20summary%20reports"
is "$(json '.data | length')" 1 "filter[name]"

send PATCH "/flexible_assets/$asset_id" '{"data": {"type": "flexible-assets",
 "attributes": {"traits": {"report-name": "Renamed",
 "report-generation-date": "2024-03-07"}}}}'
is "$status" 200 "PATCH: 200"
is "$(json '.data.attributes.traits | keys | join(",")')" \
	"report-generation-date,report-name" \
	"PATCH replaces the traits: those not sent are gone"
is "$(json '.data.attributes.traits | has("report-file")')" false \
	"the uploaded file included"
is "$(curl -sS -o /dev/null -w '%{http_code}' "$file_url")" 404 \
	"and the file is no longer served"

send PATCH "/flexible_assets/$asset_id" '{"data": {"type": "flexible-assets",
 "attributes": {"traits": {"nope": 1}}}}'
is "$status" 422 "a PATCH with an unknown key: 422"
req GET "/flexible_assets/$asset_id"
is "$(json '.data.attributes.name')" Renamed "and changes nothing"

# Attachments.
send POST "/flexible_assets/$asset_id/relationships/attachments" \
	"{\"data\": {\"type\": \"attachments\", \"attributes\":
 {\"attachment\": {\"content\": \"$b64\", \"file_name\": \"extra.html\"}}}}"
is "$status" 201 "an attachment: 201"
is "$(json '.data.type')" attachments "of type attachments"
is "$(json '.data.attributes["attachment-file-name"]')" extra.html \
	"with its file name"
is "$(curl -sS "$(json '.data.attributes["download-url"]')")" "$html" \
	"its download-url serves the file"
send POST "/flexible_assets/$asset_id/relationships/attachments" \
	'{"data": {"type": "attachments", "attributes": {"attachment": {"file_name": "x"}}}}'
is "$status" 422 "an attachment without content: 422"
req GET "/flexible_assets/$asset_id/relationships/attachments"
is "$(json '.meta["total-count"]')" 1 "the attachments are listed"
req GET "/flexible_assets/$asset_id?include=attachments"
is "$(json '.included[0].type')" attachments "include=attachments"

# Related items.
related() {
	printf '{"data": {"type": "related_items", "attributes":
 {"destination_id": %s, "destination_type": "%s", "notes": "n"}}}' "$1" "$2"
}
send POST "/flexible_assets/$asset_id/relationships/related_items" \
	"$(related '"100"' Configuration)"
is "$status" 201 "a related configuration: 201"
is "$(json '.data.attributes["destination-name"]')" ACME-DC01 \
	"with the destination's name"
send POST "/flexible_assets/$asset_id/relationships/related_items" \
	"$(related '"100"' Configuration)"
is "$status" 422 "the same pair again: 422"
send POST "/flexible_assets/$asset_id/relationships/related_items" \
	"$(related '"99999"' Configuration)"
is "$status" 422 "a destination that does not exist: 422"
send POST "/flexible_assets/$asset_id/relationships/related_items" \
	"$(related '"100"' Configurations)"
is "$status" 422 "a plural destination_type: 422"
send POST "/flexible_assets/$asset_id/relationships/related_items" \
	"$(related '"101"' Configuration)"
req GET "/flexible_assets/$asset_id?include=related_items"
is "$(json '[.data.relationships["related-items"].data[].type] | unique | join(",")')" \
	"related-items" "include=related_items relates them"
is "$(json '[.included[].attributes["destination-id"]] | join(",")')" \
	"100,101" "and includes them"
req GET "/flexible_assets/$asset_id/relationships/related_items"
is "$(json '.meta["total-count"]')" 2 "the related items are listed"

req DELETE "/flexible_assets/$asset_id"
is "$status" 204 "DELETE: 204"
is "$out" "" "with no body"
req GET "/flexible_assets/$asset_id"
is "$status" 404 "a deleted asset is gone"
req DELETE "/flexible_assets/$asset_id"
is "$status" 404 "deleting it again: 404"

done_testing
