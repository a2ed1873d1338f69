#!/bin/sh
# The HTTP surface: keys and regions, media types, unknown routes and
# methods, request bodies, missing records.
. "$top_srcdir/tests/integration/sandbox_lib.sh"

start_sandbox --data "$DEMO" || exit 1

req GET /organizations
is "$status" 200 "a US key on the US server is served"
is "$(header Content-Type)" "application/vnd.api+json" \
	"answers are application/vnd.api+json"

KEY=
req GET /organizations
is "$status" 401 "no key: 401"
is "$(json '.errors[0].status')" 401 "with a JSON:API error"
is "$(json '.errors[0].title')" Unauthorized "titled Unauthorized"
is "$(json '.errors[0].detail')" "Unauthorized resource access" \
	"detailed as IT Glue does"

KEY=ITG.not-a-key
req GET /organizations
is "$status" 401 "an unknown key: 401"

KEY=$EU_KEY
req GET /organizations
is "$status" 403 "an EU key on the US server: 403"
is "$out" '{"message":"Forbidden"}' "with the non-JSON:API body"
is "$(header Content-Type)" "application/json" "as application/json"

KEY=$US_KEY
req GET /organisations
is "$status" 404 "an unknown route: 404"
like "$(header Content-Type)" "^text/html" "as an HTML page"
like "$out" "<html>" "whose body is HTML"
like "$out" "doesn't exist" "saying the page does not exist"

KEY=
req GET /no/such/route
is "$status" 404 "an unknown route needs no key to be a 404"
KEY=$US_KEY

req DELETE /organizations
is "$status" 404 "a wrong method on a known path: HTML 404, as IT Glue"
like "$(header Content-Type)" "^text/html" "also HTML"

req GET /organizations/
is "$status" 200 "a trailing slash is the same route"

req GET /organizations/1
is "$status" 200 "one organization"
is "$(json .data.id)" 1 "ids are strings"
is "$(json '.data.id | type')" string "of type string"
is "$(json '.data.type')" organizations "types are plural"

req GET /contacts/10
is "$(json '.data.attributes["organization-id"] | type')" number \
	"foreign keys are numbers"
is "$(json '.data.attributes["organization-name"]')" "Acme Corp." \
	"organization-name is derived"
like "$(json '.data.attributes["created-at"]')" \
	'^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.000Z$' \
	"dates are RFC 3339 with .000Z"
is "$(json '.data.attributes | has("location-name")')" true \
	"empty attributes are present"
is "$(json '.data.attributes["location-name"]')" null "as null"
is "$(json '.data.attributes.name')" "Ada Lee" "a contact's name is derived"

req GET /configurations/100
like "$(json '.data.attributes["resource-url"]')" '/1/configurations/100$' \
	"configurations have a resource-url"

req GET /organizations/999
is "$status" 404 "a missing record: 404"
is "$(header Content-Type)" "application/vnd.api+json" "as JSON:API"
is "$(json '.errors[0].title')" "Record not found" "titled Record not found"

req GET /organizations/abc
is "$status" 404 "a non-numeric id is a missing record"

send POST /flexible_asset_types 'this is not json'
is "$status" 400 "a body that is not JSON: 400"
is "$(json '.errors[0].status')" 400 "with a JSON:API error"

req POST /flexible_asset_types
is "$status" 400 "a POST without a body: 400"

send POST /flexible_asset_types '{"data": {}} trailing'
is "$status" 400 "JSON followed by something else: 400"

send POST /flexible_asset_types '[1, 2]'
is "$status" 400 "a JSON body that is not an object: 400"

send POST /flexible_asset_types '{"nodata": true}'
is "$status" 400 "a body without data: 400"

send POST /flexible_asset_types '{"data": {"type": "flexible_asset_types"}}'
is "$status" 422 "data without attributes: 422"

start_sandbox --data "$DEMO" --region eu || exit 1
like "$(cat "$TMP/sandbox.out")" "region=eu$" "--region eu is announced"
KEY=$EU_KEY
req GET /organizations
is "$status" 200 "the EU server serves the EU key"
KEY=$US_KEY
req GET /organizations
is "$status" 403 "and refuses the US key"
KEY=$AU_KEY
req GET /organizations
is "$status" 403 "and the AU key"

done_testing
